/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ap-store.h"

G_BEGIN_DECLS

#define AP_TYPE_SQLITE_STORE (ap_sqlite_store_get_type())
G_DECLARE_FINAL_TYPE(ApSqliteStore, ap_sqlite_store, AP, SQLITE_STORE, ApStore)

/* the schema version this build writes; see ap-sqlite-schema.c */
#define AP_SQLITE_SCHEMA_VERSION 9

ApStore *
ap_sqlite_store_new(const gchar *path, GError **error);
guint
ap_sqlite_store_get_schema_version(ApSqliteStore *self);
gboolean
ap_sqlite_store_set_relaxed_durability(ApSqliteStore *self, GError **error);
gboolean
ap_sqlite_store_start_checkpointer(ApSqliteStore *self, GError **error);
void
ap_sqlite_store_stop_checkpointer(ApSqliteStore *self);
guint64
ap_sqlite_store_get_checkpoints(ApSqliteStore *self);
gint64
ap_sqlite_store_get_wal_bytes(ApSqliteStore *self);

G_END_DECLS
