/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApSqliteStore"

#include <string.h>

#include "ap-error.h"
#include "ap-json.h"
#include "ap-sqlite-store-private.h"
#include "ap-validate.h"

/*
 * Reading bookings in the SQLite store: rows into #ApBooking and #ApBusy
 * (shared with the writes in ap-sqlite-bookings.c), lookups, search and
 * history.
 */

#define AP_SQLITE_BOOKING_COLUMNS                                                                  \
	"id, reference, token_hash, service_id, expert_id, start_at, end_at, status, channel, "    \
	"customer_name, customer_email, customer_phone, customer_locale, customer_timezone, "      \
	"answers, ical_uid, sequence, cancel_reason, created_at, updated_at, sealed_token, "       \
	"summary, summary_at"

static ApBooking *
ap_sqlite_booking_from_row(ApSqliteStmt *stmt, GError **error)
{
	g_autoptr(ApBooking) booking = g_new0(ApBooking, 1);
	const gchar *status = (const gchar *)sqlite3_column_text(stmt, 7);
	const gchar *channel = (const gchar *)sqlite3_column_text(stmt, 8);
	const gchar *answers = (const gchar *)sqlite3_column_text(stmt, 14);

	booking->id = sqlite3_column_int64(stmt, 0);
	g_strlcpy(booking->reference,
		  (const gchar *)sqlite3_column_text(stmt, 1),
		  sizeof(booking->reference));
	booking->token_hash = ap_sqlite_stmt_dup_text(stmt, 2);
	booking->service_id = ap_sqlite_stmt_dup_text(stmt, 3);
	booking->expert_id = sqlite3_column_int64(stmt, 4);
	booking->start = sqlite3_column_int64(stmt, 5);
	booking->end = sqlite3_column_int64(stmt, 6);
	if (!ap_booking_status_from_string(status, &booking->status) ||
	    !ap_booking_channel_from_string(channel, &booking->channel)) {
		g_set_error(error,
			    AP_ERROR,
			    AP_ERROR_STORE,
			    "booking %s: unknown status %s or channel %s",
			    booking->reference,
			    status,
			    channel);
		return NULL;
	}
	booking->customer_name = ap_sqlite_stmt_dup_text(stmt, 9);
	booking->customer_email = ap_sqlite_stmt_dup_text(stmt, 10);
	booking->customer_phone = ap_sqlite_stmt_dup_text(stmt, 11);
	booking->customer_locale = ap_sqlite_stmt_dup_text(stmt, 12);
	booking->customer_timezone = ap_sqlite_stmt_dup_text(stmt, 13);
	if (answers != NULL) {
		g_autoptr(JsonNode) node = ap_json_from_string(answers, NULL);
		if (node == NULL || !JSON_NODE_HOLDS_OBJECT(node)) {
			g_set_error(error,
				    AP_ERROR,
				    AP_ERROR_STORE,
				    "booking %s: stored answers are unreadable",
				    booking->reference);
			return NULL;
		}
		booking->answers = json_node_dup_object(node);
	}
	booking->ical_uid = ap_sqlite_stmt_dup_text(stmt, 15);
	booking->sequence = sqlite3_column_int(stmt, 16);
	booking->cancel_reason = ap_sqlite_stmt_dup_text(stmt, 17);
	booking->created_at = sqlite3_column_int64(stmt, 18);
	booking->updated_at = sqlite3_column_int64(stmt, 19);
	if (sqlite3_column_type(stmt, 20) == SQLITE_BLOB)
		booking->sealed_token = g_bytes_new(sqlite3_column_blob(stmt, 20),
						    (gsize)sqlite3_column_bytes(stmt, 20));
	booking->summary = ap_sqlite_stmt_dup_text(stmt, 21);
	booking->summary_at = sqlite3_column_int64(stmt, 22);
	return g_steal_pointer(&booking);
}

/* steps @stmt, bound by the caller, for the one booking it selects */
static ApBooking *
ap_sqlite_booking_fetch(ApSqliteStmt *stmt, const gchar *what, GError **error)
{
	gint rc = sqlite3_step(stmt);

	if (rc == SQLITE_DONE) {
		g_set_error(error, AP_ERROR, AP_ERROR_NOT_FOUND, "booking %s not found", what);
		return NULL;
	}
	if (rc != SQLITE_ROW) {
		ap_sqlite_set_error(sqlite3_db_handle(stmt), rc, error);
		return NULL;
	}
	return ap_sqlite_booking_from_row(stmt, error);
}

/**
 * ap_sqlite_booking_load_by_reference:
 *
 * Returns: (transfer full) (nullable): the booking; %AP_ERROR_NOT_FOUND
 */
ApBooking *
ap_sqlite_booking_load_by_reference(ApSqliteDb *db, const gchar *reference, GError **error)
{
	g_autoptr(ApSqliteStmt) stmt = NULL;

	stmt = ap_sqlite_db_prepare(db,
				    "SELECT " AP_SQLITE_BOOKING_COLUMNS " FROM bookings "
				    "WHERE reference = ?1",
				    error);
	if (stmt == NULL)
		return NULL;
	ap_sqlite_stmt_bind_text(stmt, 1, reference);
	return ap_sqlite_booking_fetch(stmt, reference, error);
}

/**
 * ap_sqlite_booking_load_by_id:
 *
 * Returns: (transfer full) (nullable): the booking; %AP_ERROR_NOT_FOUND
 */
ApBooking *
ap_sqlite_booking_load_by_id(ApSqliteDb *db, gint64 id, GError **error)
{
	g_autoptr(ApSqliteStmt) stmt = NULL;
	g_autofree gchar *what = NULL;

	stmt = ap_sqlite_db_prepare(
		db, "SELECT " AP_SQLITE_BOOKING_COLUMNS " FROM bookings WHERE id = ?1", error);
	if (stmt == NULL)
		return NULL;
	sqlite3_bind_int64(stmt, 1, id);
	what = g_strdup_printf("#%" G_GINT64_FORMAT, id);
	return ap_sqlite_booking_fetch(stmt, what, error);
}

static void
ap_sqlite_busy_from_row(ApSqliteStmt *stmt, ApBusy *busy)
{
	busy->booking_id = sqlite3_column_int64(stmt, 0);
	busy->expert_id = sqlite3_column_int64(stmt, 1);
	busy->service_id = g_intern_string((const gchar *)sqlite3_column_text(stmt, 2));
	busy->start = sqlite3_column_int64(stmt, 3);
	busy->end = sqlite3_column_int64(stmt, 4);
	busy->block_start = sqlite3_column_int64(stmt, 5);
	busy->block_end = sqlite3_column_int64(stmt, 6);
}

/**
 * ap_sqlite_busy_load:
 *
 * Returns: (transfer full) (element-type ApBusy): the active bookings of
 * one expert whose block meets [@from, @to), except the booking
 * @exclude_id (0 for none)
 */
GArray *
ap_sqlite_busy_load(
	ApSqliteDb *db, gint64 expert_id, gint64 from, gint64 to, gint64 exclude_id, GError **error)
{
	g_autoptr(ApSqliteStmt) stmt = NULL;
	g_autoptr(GArray) busy = g_array_new(FALSE, FALSE, sizeof(ApBusy));
	gint rc;

	stmt = ap_sqlite_db_prepare(
		db,
		/* a start lies within its block, which is never longer than
		 * the maximum: the start_at bounds make it a range of the
		 * seats' index, the one index by expert and time (schema
		 * version 8), whose condition the status's repeats */
		"SELECT id, expert_id, service_id, start_at, end_at, block_start, "
		"block_end FROM bookings WHERE expert_id = ?1 "
		"AND start_at > ?2 AND start_at < ?3 AND block_start < ?4 AND block_end > ?5 "
		"AND status != 'cancelled' AND id != ?6 ORDER BY start_at, id",
		error);
	if (stmt == NULL)
		return NULL;
	sqlite3_bind_int64(stmt, 1, expert_id);
	sqlite3_bind_int64(stmt, 2, from - AP_SQLITE_MAX_BLOCK_SECONDS);
	sqlite3_bind_int64(stmt, 3, to + AP_SQLITE_MAX_BLOCK_SECONDS);
	sqlite3_bind_int64(stmt, 4, to);
	sqlite3_bind_int64(stmt, 5, from);
	sqlite3_bind_int64(stmt, 6, exclude_id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		ApBusy b;
		ap_sqlite_busy_from_row(stmt, &b);
		g_array_append_val(busy, b);
	}
	if (rc != SQLITE_DONE) {
		ap_sqlite_set_error(ap_sqlite_db_get_handle(db), rc, error);
		return NULL;
	}
	return g_steal_pointer(&busy);
}

static GArray *
ap_sqlite_store_busy_list(ApStore *store, gint64 expert_id, gint64 from, gint64 to, GError **error)
{
	ApSqliteStore *self = AP_SQLITE_STORE(store);
	g_autoptr(ApSqliteStmt) stmt = NULL;
	g_autoptr(GArray) busy = NULL;
	gint rc;

	if (expert_id != 0)
		return ap_sqlite_busy_load(self->db, expert_id, from, to, 0, error);

	/* a start lies within its block, which is never longer than the
	 * maximum, so the start_at bounds only narrow the scan of the index */
	busy = g_array_new(FALSE, FALSE, sizeof(ApBusy));
	stmt = ap_sqlite_db_prepare(
		self->db,
		"SELECT id, expert_id, service_id, start_at, end_at, block_start, "
		"block_end FROM bookings WHERE start_at > ?1 AND start_at < ?2 "
		"AND block_start < ?3 AND block_end > ?4 "
		"AND status != 'cancelled' ORDER BY expert_id, start_at, id",
		error);
	if (stmt == NULL)
		return NULL;
	sqlite3_bind_int64(stmt, 1, from - AP_SQLITE_MAX_BLOCK_SECONDS);
	sqlite3_bind_int64(stmt, 2, to + AP_SQLITE_MAX_BLOCK_SECONDS);
	sqlite3_bind_int64(stmt, 3, to);
	sqlite3_bind_int64(stmt, 4, from);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		ApBusy b;
		ap_sqlite_busy_from_row(stmt, &b);
		g_array_append_val(busy, b);
	}
	if (rc != SQLITE_DONE) {
		ap_sqlite_set_error(ap_sqlite_db_get_handle(self->db), rc, error);
		return NULL;
	}
	return g_steal_pointer(&busy);
}

static ApBooking *
ap_sqlite_store_booking_get(ApStore *store, const gchar *reference, GError **error)
{
	ApSqliteStore *self = AP_SQLITE_STORE(store);

	g_return_val_if_fail(reference != NULL, NULL);
	return ap_sqlite_booking_load_by_reference(self->db, reference, error);
}

static ApBooking *
ap_sqlite_store_booking_get_by_token(ApStore *store, const gchar *token_hash, GError **error)
{
	ApSqliteStore *self = AP_SQLITE_STORE(store);
	g_autoptr(ApSqliteStmt) stmt = NULL;

	g_return_val_if_fail(token_hash != NULL, NULL);

	stmt = ap_sqlite_db_prepare(self->db,
				    "SELECT " AP_SQLITE_BOOKING_COLUMNS " FROM bookings "
				    "WHERE token_hash = ?1",
				    error);
	if (stmt == NULL)
		return NULL;
	ap_sqlite_stmt_bind_text(stmt, 1, token_hash);
	/* the message must not repeat the secret */
	return ap_sqlite_booking_fetch(stmt, "with that token", error);
}

/* "%text%" for LIKE ... ESCAPE '\', with the user's own wildcards literal */
static gchar *
ap_sqlite_like_contains(const gchar *text)
{
	GString *pattern = g_string_new("%");

	for (const gchar *p = text; *p != '\0'; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			g_string_append_c(pattern, '\\');
		g_string_append_c(pattern, *p);
	}
	g_string_append_c(pattern, '%');
	return g_string_free(pattern, FALSE);
}

static GPtrArray *
ap_sqlite_store_bookings_search(ApStore *store, const ApBookingQuery *query, GError **error)
{
	ApSqliteStore *self = AP_SQLITE_STORE(store);
	g_autoptr(ApSqliteStmt) stmt = NULL;
	g_autoptr(GPtrArray) bookings =
		g_ptr_array_new_with_free_func((GDestroyNotify)ap_booking_free);
	g_autofree gchar *text = NULL;
	g_autofree gchar *folded = NULL;
	g_autofree gchar *pattern = NULL;
	g_autofree gchar *digits = NULL;
	g_autofree gchar *reference = NULL;
	gint rc;

	g_return_val_if_fail(query != NULL, NULL);

	text = g_strstrip(g_strdup(query->text != NULL ? query->text : ""));
	if (*text != '\0') {
		folded = ap_sqlite_fold(text);
		pattern = ap_sqlite_like_contains(folded);
		digits = ap_phone_digits(text);
		reference = ap_reference_normalize(text);
		if (!ap_reference_is_valid(reference))
			g_clear_pointer(&reference, g_free);
	}

	/* ?5 phone digits anywhere; ?6 the number without its prefixes at
	 * the end, so that "07700 900002" finds "+44 7700 900002" and the
	 * other way round (ap_phone_significant()); ?7 a reference typed
	 * with spaces or dashes */
	stmt = ap_sqlite_db_prepare(self->db,
				    "SELECT " AP_SQLITE_BOOKING_COLUMNS " FROM bookings "
				    "WHERE start_at >= ?1 AND start_at < ?2 "
				    "AND (?3 = 0 OR expert_id = ?3) "
				    "AND (?4 IS NULL "
				    "OR ap_fold(reference) LIKE ?4 ESCAPE '\\' "
				    "OR ap_fold(customer_name) LIKE ?4 ESCAPE '\\' "
				    "OR ap_fold(customer_email) LIKE ?4 ESCAPE '\\' "
				    "OR instr(customer_phone_digits, ?5) > 0 "
				    "OR substr(customer_phone_digits, -length(?6)) = ?6 "
				    "OR reference = ?7) "
				    "ORDER BY start_at, reference LIMIT ?8 OFFSET ?9",
				    error);
	if (stmt == NULL)
		return NULL;
	sqlite3_bind_int64(stmt, 1, query->from);
	sqlite3_bind_int64(stmt, 2, query->to);
	sqlite3_bind_int64(stmt, 3, query->expert_id);
	ap_sqlite_stmt_bind_text(stmt, 4, pattern);
	if (digits != NULL && strlen(digits) >= 3) {
		const gchar *significant = ap_phone_significant(digits);

		ap_sqlite_stmt_bind_text(stmt, 5, digits);
		/* long enough to name one subscriber, not a whole exchange */
		if (significant != digits && strlen(significant) >= 6)
			ap_sqlite_stmt_bind_text(stmt, 6, significant);
	}
	ap_sqlite_stmt_bind_text(stmt, 7, reference);
	sqlite3_bind_int64(stmt, 8, MAX(query->limit, 1));
	sqlite3_bind_int64(stmt, 9, query->offset);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		ApBooking *booking = ap_sqlite_booking_from_row(stmt, error);
		if (booking == NULL)
			return NULL;
		g_ptr_array_add(bookings, booking);
	}
	if (rc != SQLITE_DONE) {
		ap_sqlite_set_error(ap_sqlite_db_get_handle(self->db), rc, error);
		return NULL;
	}
	return g_steal_pointer(&bookings);
}

static GPtrArray *
ap_sqlite_store_booking_history(ApStore *store, const gchar *reference, GError **error)
{
	ApSqliteStore *self = AP_SQLITE_STORE(store);
	g_autoptr(ApSqliteTxn) txn = NULL;
	g_autoptr(ApSqliteStmt) find = NULL;
	g_autoptr(ApSqliteStmt) stmt = NULL;
	g_autoptr(GPtrArray) events =
		g_ptr_array_new_with_free_func((GDestroyNotify)ap_booking_event_free);
	gint rc;

	g_return_val_if_fail(reference != NULL, NULL);

	txn = ap_sqlite_txn_begin_read(self->db, error);
	if (txn == NULL)
		return NULL;
	find = ap_sqlite_db_prepare(
		self->db, "SELECT id FROM bookings WHERE reference = ?1", error);
	if (find == NULL)
		return NULL;
	ap_sqlite_stmt_bind_text(find, 1, reference);
	rc = sqlite3_step(find);
	if (rc == SQLITE_DONE) {
		g_set_error(error, AP_ERROR, AP_ERROR_NOT_FOUND, "booking %s not found", reference);
		return NULL;
	}
	if (rc != SQLITE_ROW) {
		ap_sqlite_set_error(ap_sqlite_db_get_handle(self->db), rc, error);
		return NULL;
	}
	/* in the order written: the clock may step back, the row id does not */
	stmt = ap_sqlite_db_prepare(self->db,
				    "SELECT at, actor, action, detail, address FROM booking_events "
				    "WHERE booking_id = ?1 ORDER BY id",
				    error);
	if (stmt == NULL)
		return NULL;
	sqlite3_bind_int64(stmt, 1, sqlite3_column_int64(find, 0));
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		ApBookingEvent *e =
			ap_booking_event_new(sqlite3_column_int64(stmt, 0),
					     (const gchar *)sqlite3_column_text(stmt, 1),
					     (const gchar *)sqlite3_column_text(stmt, 2),
					     (const gchar *)sqlite3_column_text(stmt, 3));
		e->address = ap_sqlite_stmt_dup_text(stmt, 4);
		g_ptr_array_add(events, e);
	}
	if (rc != SQLITE_DONE) {
		ap_sqlite_set_error(ap_sqlite_db_get_handle(self->db), rc, error);
		return NULL;
	}
	return g_steal_pointer(&events);
}

void
ap_sqlite_store_booking_queries_class_init(ApStoreClass *store_class)
{
	store_class->busy_list = ap_sqlite_store_busy_list;
	store_class->booking_get = ap_sqlite_store_booking_get;
	store_class->booking_get_by_token = ap_sqlite_store_booking_get_by_token;
	store_class->bookings_search = ap_sqlite_store_bookings_search;
	store_class->booking_history = ap_sqlite_store_booking_history;
}
