/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * ApTestRun:
 * @status: the exit status (0 on success)
 * @out: standard output
 * @err: standard error
 *
 * What a finished command printed.
 */
typedef struct {
	gint status;
	gchar *out;
	gchar *err;
} ApTestRun;

ApTestRun *
ap_test_run(const gchar *input, const gchar *const *argv);
void
ap_test_run_free(ApTestRun *run);
void
ap_test_assert_one_line_error(ApTestRun *run);
gchar *
ap_test_make_dir(void);
void
ap_test_remove_dir(const gchar *dir);
gchar *
ap_test_write_config(const gchar *dir, const gchar *extra);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(ApTestRun, ap_test_run_free)

G_END_DECLS
