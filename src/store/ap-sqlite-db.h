/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <sqlite3.h>

#include "ap-sqlite-file.h"

G_BEGIN_DECLS

/*
 * Private to src/store: one SQLite connection with its cache of prepared
 * statements, transactions that cannot be left open, and the mapping of
 * SQLite result codes onto #ApError.
 */

typedef struct _ApSqliteDb ApSqliteDb;

/* a cached statement on loan: the cleanup resets it and clears its
 * bindings, so it goes back to the cache ready for the next caller */
typedef sqlite3_stmt ApSqliteStmt;

/* a write transaction that rolls back unless committed */
typedef struct _ApSqliteTxn ApSqliteTxn;

/* how soon a connection sees the generations move after a commit of
 * another process (its own process's commits it sees at once): a request
 * that arrives this long after appointctl committed sees the change */
#define AP_SQLITE_OTHERS_SEEN_US 1000

void
ap_sqlite_library_init(void);
ApSqliteDb *
ap_sqlite_db_open(const gchar *path, GError **error);
void
ap_sqlite_db_free(ApSqliteDb *db);
sqlite3 *
ap_sqlite_db_get_handle(ApSqliteDb *db);
ApSqliteFile *
ap_sqlite_db_get_file(ApSqliteDb *db);
ApSqliteStmt *
ap_sqlite_db_prepare(ApSqliteDb *db, const gchar *sql, GError **error);
guint64
ap_sqlite_db_get_generation(ApSqliteDb *db);
guint64
ap_sqlite_db_get_catalogue_generation(ApSqliteDb *db);
gboolean
ap_sqlite_db_batch_begin(ApSqliteDb *db, GError **error);
gboolean
ap_sqlite_db_batch_commit(ApSqliteDb *db, GError **error);
gboolean
ap_sqlite_db_exec(ApSqliteDb *db, const gchar *sql, GError **error);
gchar *
ap_sqlite_db_query_text(ApSqliteDb *db, const gchar *sql, GError **error);
gboolean
ap_sqlite_db_get_user_version(ApSqliteDb *db, guint *version, GError **error);

void
ap_sqlite_stmt_release(ApSqliteStmt *stmt);
gboolean
ap_sqlite_stmt_run(ApSqliteStmt *stmt, GError **error);
void
ap_sqlite_stmt_bind_text(ApSqliteStmt *stmt, gint index, const gchar *text);
gchar *
ap_sqlite_stmt_dup_text(ApSqliteStmt *stmt, gint column);
void
ap_sqlite_set_error(sqlite3 *handle, gint rc, GError **error);
gchar *
ap_sqlite_fold(const gchar *text);

ApSqliteTxn *
ap_sqlite_txn_begin(ApSqliteDb *db, GError **error);
ApSqliteTxn *
ap_sqlite_txn_begin_read(ApSqliteDb *db, GError **error);
gboolean
ap_sqlite_txn_commit(ApSqliteTxn *txn, GError **error);
void
ap_sqlite_txn_free(ApSqliteTxn *txn);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(sqlite3, sqlite3_close)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(sqlite3_stmt, sqlite3_finalize)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ApSqliteDb, ap_sqlite_db_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ApSqliteStmt, ap_sqlite_stmt_release)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ApSqliteTxn, ap_sqlite_txn_free)

G_END_DECLS
