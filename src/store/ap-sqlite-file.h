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
 * four times SQLite's default for its automatic checkpoints (16 MiB of
 * 4 KiB pages). Each checkpoint ends with a flush of the database file,
 * which the commits' own flushes of the log then queue behind on the
 * disk; fewer, larger checkpoints also copy the pages every commit
 * touches (the tables' last pages, the outbox's) once for more commits.
 * At a million bookings this made bookings from 8 clients 10-16 % faster
 * than 1,000 pages, in three runs of each in turn (docs/performance.md) */
#define AP_SQLITE_CHECKPOINT_PAGES 4000

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
