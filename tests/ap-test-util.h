/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <sqlite3.h>

#include "ap-sqlite-db.h" /* and its g_autoptr() for sqlite3 */
#include "ap-store.h"

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

gint64
ap_test_instant(const gchar *text);
void
ap_test_date(const gchar *text, GDate *date);
gint64
ap_test_at(gint day, gint hour, gint minute);

ApStore *
ap_test_store_open(const gchar *path);
gint64
ap_test_add_expert(ApStore *store,
		   const gchar *email,
		   const gchar *services,
		   GDateWeekday last_day);
ApBooking *
ap_test_booking_draft(const ApService *service, gint64 start, const gchar *name);
void
ap_test_candidate_init(ApCandidate *candidate, gint64 expert_id, gint64 start);

sqlite3 *
ap_test_db_open(const gchar *path);
gint64
ap_test_db_int(sqlite3 *db, const gchar *sql);
gboolean
ap_test_db_has_index(sqlite3 *db, const gchar *name);
gchar *
ap_test_db_plan(sqlite3 *db, const gchar *query);
void
ap_test_assert_busy_plan(sqlite3 *db);
gchar *
ap_test_db_text(sqlite3 *db, const gchar *sql);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(ApTestRun, ap_test_run_free)

G_END_DECLS
