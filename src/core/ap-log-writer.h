/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

void
ap_log_writer_install(void);

GLogWriterOutput
ap_log_writer(GLogLevelFlags log_level,
	      const GLogField *fields,
	      gsize n_fields,
	      gpointer user_data);

gboolean
ap_log_writer_write_plain(const GLogField *fields, gsize n_fields);

G_END_DECLS
