/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/*
 * Private to src/store: one database file as this process's connections
 * to it share it (see ap-sqlite-file.c).
 */

typedef struct _ApSqliteFile ApSqliteFile;

/* the pages added to the write-ahead log that make a checkpoint due:
 * SQLite's own default for its automatic checkpoints */
#define AP_SQLITE_CHECKPOINT_PAGES 1000

/* a log this long is copied back by the committing connection, all of
 * it, so that it starts again (see ap_sqlite_file_committed()) */
#define AP_SQLITE_CHECKPOINT_BEHIND_PAGES (8 * AP_SQLITE_CHECKPOINT_PAGES)

ApSqliteFile *
ap_sqlite_file_get(const gchar *path);
void
ap_sqlite_file_unref(ApSqliteFile *file);
gboolean
ap_sqlite_file_lock_write(ApSqliteFile *file, gint64 timeout_us);
void
ap_sqlite_file_unlock_write(ApSqliteFile *file);
void
ap_sqlite_file_committed(ApSqliteFile *file, sqlite3 *handle, const gchar *name, gint pages);
gboolean
ap_sqlite_file_start_checkpointer(ApSqliteFile *file, GError **error);
void
ap_sqlite_file_stop_checkpointer(ApSqliteFile *file);
guint64
ap_sqlite_file_get_checkpoints(ApSqliteFile *file);
gint
ap_sqlite_file_get_commits(ApSqliteFile *file);
guint
ap_sqlite_file_get_waiting(ApSqliteFile *file);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(ApSqliteFile, ap_sqlite_file_unref)

G_END_DECLS
