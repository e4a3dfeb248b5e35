/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApSqliteStore"

#include "ap-error.h"
#include "ap-sqlite-store-private.h"

/*
 * A customer's rights under UK GDPR: everything held about them, read
 * out; and its erasure. An anonymised booking keeps what it was (service,
 * expert, time, status, who changed it when) so that the figures stay
 * true, and loses whom it was for: name, email, phone, answers, reasons,
 * notes, the manage token, the rating's comment.
 */

#define AP_SQLITE_ERASED_NAME  "(erased)"
#define AP_SQLITE_ERASED_EMAIL "erased@invalid"

static GPtrArray *
ap_sqlite_store_customer_bookings(ApStore *store, const gchar *email, GError **error)
{
	ApSqliteStore *self = AP_SQLITE_STORE(store);
	g_autoptr(GPtrArray) bookings =
		g_ptr_array_new_with_free_func((GDestroyNotify)ap_booking_free);
	g_autoptr(GPtrArray) references = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(ApSqliteStmt) stmt = NULL;
	gint rc;

	stmt = ap_sqlite_db_prepare(
		self->db,
		"SELECT reference FROM bookings "
		"WHERE customer_email = ?1 COLLATE NOCASE ORDER BY start_at, id",
		error);
	if (stmt == NULL)
		return NULL;
	ap_sqlite_stmt_bind_text(stmt, 1, email);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		g_ptr_array_add(references, ap_sqlite_stmt_dup_text(stmt, 0));
	if (rc != SQLITE_DONE) {
		ap_sqlite_set_error(ap_sqlite_db_get_handle(self->db), rc, error);
		return NULL;
	}
	ap_sqlite_stmt_release(stmt);
	for (guint i = 0; i < references->len; i++) {
		ApBooking *booking = ap_sqlite_booking_load_by_reference(
			self->db, g_ptr_array_index(references, i), error);
		if (booking == NULL)
			return NULL;
		g_ptr_array_add(bookings, booking);
	}
	return g_steal_pointer(&bookings);
}

static gint
ap_sqlite_store_customer_erase_request(ApStore *store, const gchar *email, GError **error)
{
	ApSqliteStore *self = AP_SQLITE_STORE(store);
	g_autoptr(ApSqliteTxn) txn = ap_sqlite_txn_begin(self->db, error);
	g_autoptr(ApSqliteStmt) stmt = NULL;
	gint n;

	if (txn == NULL)
		return -1;
	stmt = ap_sqlite_db_prepare(self->db,
				    "UPDATE bookings SET erase_requested_at = ?2 "
				    "WHERE customer_email = ?1 COLLATE NOCASE "
				    "AND erase_requested_at IS NULL AND anonymised_at IS NULL",
				    error);
	if (stmt == NULL)
		return -1;
	ap_sqlite_stmt_bind_text(stmt, 1, email);
	sqlite3_bind_int64(stmt, 2, ap_store_get_now(store));
	if (!ap_sqlite_stmt_run(stmt, error))
		return -1;
	n = sqlite3_changes(ap_sqlite_db_get_handle(self->db));
	if (!ap_sqlite_txn_commit(txn, error))
		return -1;
	return n;
}

/* the statements that take one booking's customer out of every table;
 * an entry of several literals is parenthesised, so that a missing comma
 * between two entries would not pass unnoticed */
static const gchar *const ap_sqlite_privacy_erase[] = {
	("UPDATE bookings SET customer_name = '" AP_SQLITE_ERASED_NAME "', "
	 "customer_email = '" AP_SQLITE_ERASED_EMAIL "', customer_phone = NULL, "
	 "customer_phone_digits = NULL, customer_locale = 'en-GB', customer_timezone = NULL, "
	 "answers = NULL, cancel_reason = NULL, summary = NULL, sealed_token = NULL, "
	 "token_hash = 'erased:' || id, anonymised_at = ?2 WHERE id = ?1"),
	/* nothing more goes to them, and what went names nobody */
	("UPDATE outbox SET status = 'void' WHERE booking_id = ?1 AND (status = 'pending' OR "
	 "(status = 'dead' AND recipient_role = 'customer'))"),
	("UPDATE outbox SET recipient = '" AP_SQLITE_ERASED_EMAIL "', last_error = NULL "
	 "WHERE booking_id = ?1 AND recipient_role = 'customer'"),
	"UPDATE feedback SET comment = NULL WHERE booking_id = ?1",
	/* who did what when stays; what staff wrote about them, and the
	 * reasons given, go */
	("UPDATE booking_events SET detail = NULL WHERE booking_id = ?1 "
	 "AND action IN ('note', 'cancelled')"),
	"DELETE FROM idempotency_keys WHERE booking_id = ?1",
};

static gboolean
ap_sqlite_privacy_anonymise(ApSqliteDb *db, gint64 id, gint64 now, GError **error)
{
	for (guint i = 0; i < G_N_ELEMENTS(ap_sqlite_privacy_erase); i++) {
		g_autoptr(ApSqliteStmt) stmt =
			ap_sqlite_db_prepare(db, ap_sqlite_privacy_erase[i], error);

		if (stmt == NULL)
			return FALSE;
		sqlite3_bind_int64(stmt, 1, id);
		if (sqlite3_bind_parameter_count(stmt) >= 2)
			sqlite3_bind_int64(stmt, 2, now);
		if (!ap_sqlite_stmt_run(stmt, error))
			return FALSE;
	}
	return ap_sqlite_event_add(db, id, now, "privacy", "anonymised", NULL, error);
}

static gint
ap_sqlite_store_privacy_sweep(ApStore *store, gint64 keep_until, guint limit, GError **error)
{
	ApSqliteStore *self = AP_SQLITE_STORE(store);
	g_autoptr(ApSqliteTxn) txn = ap_sqlite_txn_begin(self->db, error);
	g_autoptr(ApSqliteStmt) due = NULL;
	g_autoptr(GArray) ids = g_array_new(FALSE, FALSE, sizeof(gint64));
	gint64 now = ap_store_get_now(store);
	gint rc;

	if (txn == NULL)
		return -1;
	/* an email still to go (the cancellations the erasure caused, to
	 * the customer and the expert; a feedback request) keeps the
	 * booking whole until it has gone; reminders of a past or cancelled
	 * session never go */
	due = ap_sqlite_db_prepare(
		self->db,
		/* two short index walks, not a scan of every booking: those
		 * asked to be erased, and the oldest past the retention period */
		"SELECT b.id FROM ("
		"  SELECT * FROM (SELECT id, end_at FROM bookings "
		"    WHERE erase_requested_at IS NOT NULL AND anonymised_at IS NULL "
		"    ORDER BY erase_requested_at LIMIT ?3) "
		"  UNION "
		"  SELECT * FROM (SELECT id, end_at FROM bookings "
		"    WHERE end_at < ?1 AND anonymised_at IS NULL ORDER BY end_at LIMIT ?3)"
		") b WHERE NOT EXISTS (SELECT 1 FROM outbox o WHERE o.booking_id = b.id "
		"  AND o.status = 'pending' AND o.kind != 'reminder') "
		"ORDER BY b.end_at LIMIT ?2",
		error);
	if (due == NULL)
		return -1;
	sqlite3_bind_int64(due, 1, keep_until);
	sqlite3_bind_int64(due, 2, limit);
	/* room for those whose last email has not gone yet */
	sqlite3_bind_int64(due, 3, (gint64)limit * 4);
	while ((rc = sqlite3_step(due)) == SQLITE_ROW) {
		gint64 id = sqlite3_column_int64(due, 0);
		g_array_append_val(ids, id);
	}
	if (rc != SQLITE_DONE) {
		ap_sqlite_set_error(ap_sqlite_db_get_handle(self->db), rc, error);
		return -1;
	}
	ap_sqlite_stmt_release(due);
	for (guint i = 0; i < ids->len; i++) {
		if (!ap_sqlite_privacy_anonymise(
			    self->db, g_array_index(ids, gint64, i), now, error))
			return -1;
	}
	if (!ap_sqlite_txn_commit(txn, error))
		return -1;
	return (gint)ids->len;
}

void
ap_sqlite_store_privacy_class_init(ApStoreClass *store_class)
{
	store_class->customer_bookings = ap_sqlite_store_customer_bookings;
	store_class->customer_erase_request = ap_sqlite_store_customer_erase_request;
	store_class->privacy_sweep = ap_sqlite_store_privacy_sweep;
}
