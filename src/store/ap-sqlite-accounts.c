/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApSqliteStore"

#include "ap-error.h"
#include "ap-json.h"
#include "ap-sqlite-store-private.h"

/*
 * What staff and experts keep beside the bookings: notes and resends in a
 * booking's timeline, the user accounts, and each expert's secret
 * calendar feed (its hash only).
 */

static gboolean
ap_sqlite_store_booking_add_note(ApStore *store,
				 const gchar *reference,
				 const gchar *text,
				 const gchar *actor,
				 GError **error)
{
	ApSqliteStore *self = AP_SQLITE_STORE(store);
	g_autoptr(ApSqliteTxn) txn = ap_sqlite_txn_begin(self->db, error);
	g_autoptr(ApBooking) stored = NULL;
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonNode) detail = NULL;

	if (txn == NULL)
		return FALSE;
	stored = ap_sqlite_booking_load_by_reference(self->db, reference, error);
	if (stored == NULL)
		return FALSE;
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "text");
	json_builder_add_string_value(b, text);
	json_builder_end_object(b);
	detail = json_builder_get_root(b);
	if (!ap_sqlite_event_add(
		    self->db, stored->id, ap_store_get_now(store), actor, "note", detail, error))
		return FALSE;
	return ap_sqlite_txn_commit(txn, error);
}

static gboolean
ap_sqlite_store_booking_resend(ApStore *store,
			       const gchar *reference,
			       const gchar *actor,
			       GError **error)
{
	ApSqliteStore *self = AP_SQLITE_STORE(store);
	g_autoptr(ApSqliteTxn) txn = ap_sqlite_txn_begin(self->db, error);
	g_autoptr(ApBooking) stored = NULL;
	gint64 now = ap_store_get_now(store);

	if (txn == NULL)
		return FALSE;
	stored = ap_sqlite_booking_load_by_reference(self->db, reference, error);
	if (stored == NULL)
		return FALSE;
	if (stored->status != AP_BOOKING_STATUS_CONFIRMED) {
		g_set_error(
			error,
			AP_ERROR,
			AP_ERROR_STATE,
			"booking %s is %s: only a confirmed booking's confirmation is sent again",
			stored->reference,
			ap_booking_status_to_string(stored->status));
		return FALSE;
	}
	if (!ap_sqlite_outbox_enqueue(self->db,
				      stored->id,
				      AP_OUTBOX_ROLE_CUSTOMER,
				      AP_OUTBOX_KIND_CONFIRMATION,
				      0,
				      0,
				      now,
				      error) ||
	    !ap_sqlite_event_add(self->db, stored->id, now, actor, "resent", NULL, error))
		return FALSE;
	return ap_sqlite_txn_commit(txn, error);
}

static GPtrArray *
ap_sqlite_store_users_list(ApStore *store, GError **error)
{
	ApSqliteStore *self = AP_SQLITE_STORE(store);
	g_autoptr(GPtrArray) users = g_ptr_array_new_with_free_func((GDestroyNotify)ap_user_free);
	g_autoptr(ApSqliteStmt) stmt = ap_sqlite_db_prepare(
		self->db, "SELECT " AP_SQLITE_USER_COLUMNS " FROM users u ORDER BY u.email", error);
	gint rc;

	if (stmt == NULL)
		return NULL;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		ApUser *user = ap_sqlite_user_from_row(stmt, error);
		if (user == NULL)
			return NULL;
		g_ptr_array_add(users, user);
	}
	if (rc != SQLITE_DONE) {
		ap_sqlite_set_error(ap_sqlite_db_get_handle(self->db), rc, error);
		return NULL;
	}
	return g_steal_pointer(&users);
}

static gboolean
ap_sqlite_store_user_update(ApStore *store, ApUser *user, GError **error)
{
	ApSqliteStore *self = AP_SQLITE_STORE(store);
	g_autoptr(ApSqliteTxn) txn = ap_sqlite_txn_begin(self->db, error);
	g_autoptr(ApSqliteStmt) update = NULL;
	g_autoptr(ApSqliteStmt) sessions = NULL;

	if (txn == NULL)
		return FALSE;
	update = ap_sqlite_db_prepare(self->db,
				      "UPDATE users SET name = ?2, active = ?3, password_hash = ?4 "
				      "WHERE id = ?1",
				      error);
	if (update == NULL)
		return FALSE;
	sqlite3_bind_int64(update, 1, user->id);
	ap_sqlite_stmt_bind_text(update, 2, user->name);
	sqlite3_bind_int(update, 3, user->active ? 1 : 0);
	ap_sqlite_stmt_bind_text(update, 4, user->password_hash);
	if (!ap_sqlite_stmt_run(update, error))
		return FALSE;
	if (sqlite3_changes(ap_sqlite_db_get_handle(self->db)) != 1) {
		g_set_error(error,
			    AP_ERROR,
			    AP_ERROR_NOT_FOUND,
			    "user %" G_GINT64_FORMAT " not found",
			    user->id);
		return FALSE;
	}
	/* an account switched off is signed out everywhere at once */
	if (!user->active) {
		sessions = ap_sqlite_db_prepare(
			self->db, "DELETE FROM sessions WHERE user_id = ?1", error);
		if (sessions == NULL)
			return FALSE;
		sqlite3_bind_int64(sessions, 1, user->id);
		if (!ap_sqlite_stmt_run(sessions, error))
			return FALSE;
	}
	return ap_sqlite_txn_commit(txn, error);
}

static gboolean
ap_sqlite_store_calendar_feed_set(ApStore *store,
				  gint64 expert_id,
				  const gchar *token_hash,
				  GError **error)
{
	ApSqliteStore *self = AP_SQLITE_STORE(store);
	g_autoptr(ApSqliteTxn) txn = ap_sqlite_txn_begin(self->db, error);
	g_autoptr(ApSqliteStmt) stmt = NULL;

	if (txn == NULL)
		return FALSE;
	stmt = ap_sqlite_db_prepare(
		self->db,
		"INSERT INTO calendar_feeds (expert_id, token_hash, created_at) "
		"SELECT id, ?2, ?3 FROM experts WHERE id = ?1 "
		"ON CONFLICT (expert_id) DO UPDATE SET token_hash = ?2, created_at = ?3",
		error);
	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_int64(stmt, 1, expert_id);
	ap_sqlite_stmt_bind_text(stmt, 2, token_hash);
	sqlite3_bind_int64(stmt, 3, ap_store_get_now(store));
	if (!ap_sqlite_stmt_run(stmt, error))
		return FALSE;
	if (sqlite3_changes(ap_sqlite_db_get_handle(self->db)) != 1) {
		g_set_error(error,
			    AP_ERROR,
			    AP_ERROR_NOT_FOUND,
			    "expert %" G_GINT64_FORMAT " not found",
			    expert_id);
		return FALSE;
	}
	return ap_sqlite_txn_commit(txn, error);
}

/* the first column of the one row of @sql bound to @key, 0 for none */
static gint64
ap_sqlite_accounts_lookup(
	ApSqliteDb *db, const gchar *sql, gint64 id, const gchar *text, GError **error)
{
	g_autoptr(ApSqliteStmt) stmt = ap_sqlite_db_prepare(db, sql, error);
	gint rc;

	if (stmt == NULL)
		return -1;
	if (text != NULL)
		ap_sqlite_stmt_bind_text(stmt, 1, text);
	else
		sqlite3_bind_int64(stmt, 1, id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW) {
		ap_sqlite_set_error(ap_sqlite_db_get_handle(db), rc, error);
		return -1;
	}
	return sqlite3_column_int64(stmt, 0);
}

static gint64
ap_sqlite_store_calendar_feed_created(ApStore *store, gint64 expert_id, GError **error)
{
	return ap_sqlite_accounts_lookup(
		AP_SQLITE_STORE(store)->db,
		"SELECT created_at FROM calendar_feeds WHERE expert_id = ?1",
		expert_id,
		NULL,
		error);
}

static gint64
ap_sqlite_store_calendar_feed_lookup(ApStore *store, const gchar *token_hash, GError **error)
{
	return ap_sqlite_accounts_lookup(
		AP_SQLITE_STORE(store)->db,
		"SELECT expert_id FROM calendar_feeds WHERE token_hash = ?1",
		0,
		token_hash,
		error);
}

void
ap_sqlite_store_accounts_class_init(ApStoreClass *store_class)
{
	store_class->booking_add_note = ap_sqlite_store_booking_add_note;
	store_class->booking_resend = ap_sqlite_store_booking_resend;
	store_class->users_list = ap_sqlite_store_users_list;
	store_class->user_update = ap_sqlite_store_user_update;
	store_class->calendar_feed_set = ap_sqlite_store_calendar_feed_set;
	store_class->calendar_feed_created = ap_sqlite_store_calendar_feed_created;
	store_class->calendar_feed_lookup = ap_sqlite_store_calendar_feed_lookup;
}
