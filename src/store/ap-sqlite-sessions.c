/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApStore"

#include "ap-error.h"
#include "ap-sqlite-store-private.h"

/* log-in sessions: the cookie's value is stored only as its hash */

static gboolean
ap_sqlite_store_session_create(ApStore *store,
			       gint64 user_id,
			       const gchar *token_hash,
			       const gchar *csrf_token,
			       gint64 expires_at,
			       GError **error)
{
	ApSqliteStore *self = AP_SQLITE_STORE(store);
	g_autoptr(ApSqliteTxn) txn = ap_sqlite_txn_begin(self->db, error);
	g_autoptr(ApSqliteStmt) purge = NULL;
	g_autoptr(ApSqliteStmt) insert = NULL;
	gint64 now = ap_store_get_now(store);

	if (txn == NULL)
		return FALSE;
	purge = ap_sqlite_db_prepare(
		self->db, "DELETE FROM sessions WHERE expires_at <= ?1", error);
	if (purge == NULL)
		return FALSE;
	sqlite3_bind_int64(purge, 1, now);
	if (!ap_sqlite_stmt_run(purge, error))
		return FALSE;
	insert = ap_sqlite_db_prepare(self->db,
				      "INSERT INTO sessions (token_hash, user_id, csrf_token, "
				      "created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
				      error);
	if (insert == NULL)
		return FALSE;
	ap_sqlite_stmt_bind_text(insert, 1, token_hash);
	sqlite3_bind_int64(insert, 2, user_id);
	ap_sqlite_stmt_bind_text(insert, 3, csrf_token);
	sqlite3_bind_int64(insert, 4, now);
	sqlite3_bind_int64(insert, 5, expires_at);
	if (!ap_sqlite_stmt_run(insert, error)) {
		g_prefix_error(error, "session: ");
		return FALSE;
	}
	return ap_sqlite_txn_commit(txn, error);
}

static gint64
ap_sqlite_store_session_lookup(ApStore *store,
			       const gchar *token_hash,
			       gchar **csrf_token,
			       GError **error)
{
	ApSqliteStore *self = AP_SQLITE_STORE(store);
	g_autoptr(ApSqliteStmt) stmt = NULL;
	gint64 user_id;
	gint rc;

	stmt = ap_sqlite_db_prepare(self->db,
				    "SELECT s.user_id, s.csrf_token FROM sessions s "
				    "JOIN users u ON u.id = s.user_id "
				    "WHERE s.token_hash = ?1 AND s.expires_at > ?2 AND u.active",
				    error);
	if (stmt == NULL)
		return 0;
	ap_sqlite_stmt_bind_text(stmt, 1, token_hash);
	sqlite3_bind_int64(stmt, 2, ap_store_get_now(store));
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_DONE) {
		g_set_error(error, AP_ERROR, AP_ERROR_NOT_FOUND, "no such session");
		return 0;
	}
	if (rc != SQLITE_ROW) {
		ap_sqlite_set_error(ap_sqlite_db_get_handle(self->db), rc, error);
		return 0;
	}
	user_id = sqlite3_column_int64(stmt, 0);
	if (csrf_token != NULL)
		*csrf_token = ap_sqlite_stmt_dup_text(stmt, 1);
	return user_id;
}

static gboolean
ap_sqlite_store_session_delete(ApStore *store, const gchar *token_hash, GError **error)
{
	ApSqliteStore *self = AP_SQLITE_STORE(store);
	g_autoptr(ApSqliteTxn) txn = ap_sqlite_txn_begin(self->db, error);
	g_autoptr(ApSqliteStmt) stmt = NULL;

	if (txn == NULL)
		return FALSE;
	stmt = ap_sqlite_db_prepare(self->db, "DELETE FROM sessions WHERE token_hash = ?1", error);
	if (stmt == NULL)
		return FALSE;
	ap_sqlite_stmt_bind_text(stmt, 1, token_hash);
	if (!ap_sqlite_stmt_run(stmt, error))
		return FALSE;
	return ap_sqlite_txn_commit(txn, error);
}

void
ap_sqlite_store_sessions_class_init(ApStoreClass *store_class)
{
	store_class->session_create = ap_sqlite_store_session_create;
	store_class->session_lookup = ap_sqlite_store_session_lookup;
	store_class->session_delete = ap_sqlite_store_session_delete;
}
