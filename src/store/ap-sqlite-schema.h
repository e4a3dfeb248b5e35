/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ap-sqlite-db.h"

G_BEGIN_DECLS

gboolean
ap_sqlite_schema_migrate(ApSqliteDb *db, guint *version, GError **error);
const gchar *
ap_sqlite_schema_get_ddl(guint version);

G_END_DECLS
