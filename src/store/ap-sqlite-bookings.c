/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApSqliteStore"

#include <string.h>

#include "ap-error.h"
#include "ap-json.h"
#include "ap-secret.h"
#include "ap-sqlite-store-private.h"
#include "ap-time.h"
#include "ap-validate.h"

/*
 * Bookings of the SQLite store.
 *
 * No double booking, by construction: the free-slot check (ap_slots_is_free(),
 * the one place the rule lives) and the insert run in one BEGIN IMMEDIATE
 * transaction, so no other writer, in this process or another, can slip a
 * booking in between. The partial unique index on (expert, start, seat) of
 * active bookings is the second line of defence; should it ever fire, the
 * caller sees the same %AP_ERROR_CONFLICT as for a slot found taken.
 */

/* attempts at a reference that is not taken: with 40 random bits a
 * collision is already rare, ten in a row means something else is wrong */
#define AP_SQLITE_REFERENCE_ATTEMPTS 10

/* replaces the contents of @booking with those of @stored, and frees what
 * @booking held, so that the caller's pointer sees the stored state */
void
ap_sqlite_booking_take(ApBooking *booking, ApBooking *stored)
{
	ApBooking old = *booking;

	*booking = *stored;
	*stored = old;
	ap_booking_free(stored);
}

/* active bookings of an expert starting in [day_start, day_end) */
static gboolean
ap_sqlite_bookings_count_day(ApSqliteDb *db,
			     const ApCandidate *candidate,
			     gint64 exclude_id,
			     gint64 *count,
			     GError **error)
{
	g_autoptr(ApSqliteStmt) stmt = NULL;
	gint rc;

	stmt = ap_sqlite_db_prepare(
		db,
		"SELECT count(*) FROM bookings WHERE expert_id = ?1 "
		"AND start_at >= ?2 AND start_at < ?3 AND status != 'cancelled' "
		"AND id != ?4",
		error);
	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_int64(stmt, 1, candidate->expert_id);
	sqlite3_bind_int64(stmt, 2, candidate->day_start);
	sqlite3_bind_int64(stmt, 3, candidate->day_end);
	sqlite3_bind_int64(stmt, 4, exclude_id);
	rc = sqlite3_step(stmt);
	if (rc != SQLITE_ROW) {
		ap_sqlite_set_error(ap_sqlite_db_get_handle(db), rc, error);
		return FALSE;
	}
	*count = sqlite3_column_int64(stmt, 0);
	return TRUE;
}

/*
 * Picks the expert for [start, end): among the candidates free then, the
 * one with the fewest active bookings that day, ties by lowest id. When
 * @keep_expert_id is free it is taken whatever its count, so that a moved
 * booking stays with the expert the customer already knows. Must run in
 * the write transaction that then writes the booking.
 */
static gboolean
ap_sqlite_bookings_choose(ApSqliteDb *db,
			  const ApService *service,
			  gint64 start,
			  gint64 end,
			  const ApCandidate *candidates,
			  guint n_candidates,
			  gint64 exclude_id,
			  gint64 keep_expert_id,
			  gint64 *expert_id,
			  GError **error)
{
	gint64 block_start, block_end;
	gint64 best = 0;
	gint64 best_count = G_MAXINT64;

	ap_slots_block(service, start, end, &block_start, &block_end);
	for (guint i = 0; i < n_candidates; i++) {
		const ApCandidate *c = &candidates[i];
		g_autoptr(GArray) busy = NULL;
		gint64 count = 0;

		busy = ap_sqlite_busy_load(
			db, c->expert_id, block_start, block_end, exclude_id, error);
		if (busy == NULL)
			return FALSE;
		if (!ap_slots_is_free(
			    service, start, end, (const ApBusy *)busy->data, busy->len, NULL))
			continue;
		if (c->expert_id == keep_expert_id || n_candidates == 1) {
			best = c->expert_id;
			break;
		}
		if (!ap_sqlite_bookings_count_day(db, c, exclude_id, &count, error))
			return FALSE;
		if (count < best_count || (count == best_count && c->expert_id < best)) {
			best = c->expert_id;
			best_count = count;
		}
	}
	if (best == 0) {
		g_set_error(error, AP_ERROR, AP_ERROR_CONFLICT, "the slot is no longer free");
		return FALSE;
	}
	*expert_id = best;
	return TRUE;
}

/* the lowest seat of @start not held by an active booking, so that a
 * cancelled seat is given again */
static gboolean
ap_sqlite_bookings_free_seat(ApSqliteDb *db,
			     gint64 expert_id,
			     gint64 start,
			     gint64 exclude_id,
			     gint64 *seat,
			     GError **error)
{
	g_autoptr(ApSqliteStmt) stmt = NULL;
	gint64 next = 1;
	gint rc;

	stmt = ap_sqlite_db_prepare(
		db,
		"SELECT seat FROM bookings WHERE expert_id = ?1 AND start_at = ?2 "
		"AND status != 'cancelled' AND id != ?3 ORDER BY seat",
		error);
	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_int64(stmt, 1, expert_id);
	sqlite3_bind_int64(stmt, 2, start);
	sqlite3_bind_int64(stmt, 3, exclude_id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		gint64 taken = sqlite3_column_int64(stmt, 0);
		if (taken > next)
			break;
		if (taken == next)
			next++;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		ap_sqlite_set_error(ap_sqlite_db_get_handle(db), rc, error);
		return FALSE;
	}
	*seat = next;
	return TRUE;
}

/* the lookups of nearby bookings rely on no block being longer than this */
static gboolean
ap_sqlite_bookings_check_block(const ApService *service,
			       gint64 start,
			       gint64 end,
			       gint64 *block_start,
			       gint64 *block_end,
			       GError **error)
{
	ap_slots_block(service, start, end, block_start, block_end);
	if (end <= start || *block_end - *block_start > AP_SQLITE_MAX_BLOCK_SECONDS) {
		g_set_error(error,
			    AP_ERROR,
			    AP_ERROR_INVALID,
			    "a session of %s from %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT
			    " is not within the service limits",
			    service->id,
			    start,
			    end);
		return FALSE;
	}
	return TRUE;
}

/* maps a unique index firing on a write of a booking onto #ApError */
static void
ap_sqlite_bookings_set_unique_error(sqlite3 *handle, gint rc, GError **error)
{
	const gchar *msg = sqlite3_errmsg(handle);

	if (rc == SQLITE_CONSTRAINT_UNIQUE && (strstr(msg, "bookings.token_hash") != NULL ||
					       strstr(msg, "bookings.ical_uid") != NULL)) {
		g_set_error(error, AP_ERROR, AP_ERROR_EXISTS, "%s", msg);
		return;
	}
	if (rc == SQLITE_CONSTRAINT_UNIQUE) {
		/* the seat index: another writer got there first */
		g_set_error(error, AP_ERROR, AP_ERROR_CONFLICT, "the slot is no longer free");
		return;
	}
	ap_sqlite_set_error(handle, rc, error);
}

static JsonNode *
ap_sqlite_event_place(gint64 start, gint64 expert_id)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autofree gchar *text = ap_time_format_rfc3339(start, NULL);

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "start");
	json_builder_add_string_value(b, text);
	json_builder_set_member_name(b, "expert_id");
	json_builder_add_int_value(b, expert_id);
	json_builder_end_object(b);
	return json_builder_get_root(b);
}

/* one entry of a booking's history, in the caller's transaction */
gboolean
ap_sqlite_event_add(ApSqliteDb *db,
		    gint64 booking_id,
		    gint64 at,
		    const gchar *actor,
		    const gchar *action,
		    JsonNode *detail,
		    GError **error)
{
	g_autoptr(ApSqliteStmt) stmt = NULL;
	g_autofree gchar *text = detail != NULL ? ap_json_to_string(detail) : NULL;

	stmt = ap_sqlite_db_prepare(
		db,
		"INSERT INTO booking_events (booking_id, at, actor, action, detail, address) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
		error);
	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_int64(stmt, 1, booking_id);
	sqlite3_bind_int64(stmt, 2, at);
	ap_sqlite_stmt_bind_text(stmt, 3, actor != NULL ? actor : "unknown");
	ap_sqlite_stmt_bind_text(stmt, 4, action);
	ap_sqlite_stmt_bind_text(stmt, 5, text);
	/* where the change came from, for the audit trail */
	ap_sqlite_stmt_bind_text(stmt, 6, ap_store_audit_get_address());
	return ap_sqlite_stmt_run(stmt, error);
}

/* a replay of @idem's key, if it was seen: sets idem->replay */
static gboolean
ap_sqlite_idempotency_lookup(ApSqliteDb *db, ApIdempotency *idem, GError **error)
{
	g_autoptr(ApSqliteStmt) stmt = NULL;
	g_autoptr(ApBooking) replay = NULL;
	gint rc;

	stmt = ap_sqlite_db_prepare(db,
				    "SELECT request_hash, booking_id, sealed_token "
				    "FROM idempotency_keys WHERE key = ?1",
				    error);
	if (stmt == NULL)
		return FALSE;
	ap_sqlite_stmt_bind_text(stmt, 1, idem->key);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_DONE)
		return TRUE;
	if (rc != SQLITE_ROW) {
		ap_sqlite_set_error(ap_sqlite_db_get_handle(db), rc, error);
		return FALSE;
	}
	if (g_strcmp0((const gchar *)sqlite3_column_text(stmt, 0), idem->request_hash) != 0) {
		g_set_error(error,
			    AP_ERROR,
			    AP_ERROR_IDEMPOTENCY_MISMATCH,
			    "the Idempotency-Key was already used with a different request");
		return FALSE;
	}
	replay = ap_sqlite_booking_load_by_id(db, sqlite3_column_int64(stmt, 1), error);
	if (replay == NULL)
		return FALSE;
	if (sqlite3_column_type(stmt, 2) != SQLITE_NULL) {
		g_clear_pointer(&idem->replay_sealed_token, g_bytes_unref);
		idem->replay_sealed_token = g_bytes_new(sqlite3_column_blob(stmt, 2),
							(gsize)sqlite3_column_bytes(stmt, 2));
	}
	g_clear_pointer(&idem->replay, ap_booking_free);
	idem->replay = g_steal_pointer(&replay);
	return TRUE;
}

static gboolean
ap_sqlite_idempotency_insert(
	ApSqliteDb *db, const ApIdempotency *idem, gint64 booking_id, gint64 now, GError **error)
{
	g_autoptr(ApSqliteStmt) stmt = NULL;

	stmt = ap_sqlite_db_prepare(db,
				    "INSERT INTO idempotency_keys (key, request_hash, booking_id, "
				    "sealed_token, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
				    error);
	if (stmt == NULL)
		return FALSE;
	ap_sqlite_stmt_bind_text(stmt, 1, idem->key);
	ap_sqlite_stmt_bind_text(stmt, 2, idem->request_hash != NULL ? idem->request_hash : "");
	sqlite3_bind_int64(stmt, 3, booking_id);
	if (idem->sealed_token != NULL) {
		gsize len = 0;
		gconstpointer data = g_bytes_get_data(idem->sealed_token, &len);
		sqlite3_bind_blob64(stmt, 4, data != NULL ? data : "", len, SQLITE_TRANSIENT);
	}
	sqlite3_bind_int64(stmt, 5, now);
	return ap_sqlite_stmt_run(stmt, error);
}

/* inserts @booking as confirmed, drawing references until one is free */
static gboolean
ap_sqlite_booking_insert(ApSqliteDb *db,
			 const ApBooking *booking,
			 const gchar *service_id,
			 gint64 expert_id,
			 gint64 block_start,
			 gint64 block_end,
			 gint64 seat,
			 gint64 now,
			 gchar reference[AP_REFERENCE_LENGTH + 1],
			 GError **error)
{
	g_autoptr(ApSqliteStmt) stmt = NULL;
	g_autofree gchar *digits = ap_phone_digits(booking->customer_phone);
	g_autofree gchar *answers = NULL;

	stmt = ap_sqlite_db_prepare(
		db,
		"INSERT INTO bookings (reference, token_hash, service_id, expert_id, "
		"start_at, end_at, block_start, block_end, seat, status, channel, "
		"customer_name, customer_email, customer_phone, customer_phone_digits, "
		"customer_locale, customer_timezone, answers, ical_uid, sequence, "
		"created_at, updated_at, sealed_token) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'confirmed', ?10, ?11, ?12, "
		"?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?20, ?21)",
		error);
	if (stmt == NULL)
		return FALSE;
	if (booking->answers != NULL) {
		g_autoptr(JsonNode) node =
			json_node_init_object(json_node_alloc(), booking->answers);
		answers = ap_json_to_string(node);
	}
	ap_sqlite_stmt_bind_text(stmt, 2, booking->token_hash);
	ap_sqlite_stmt_bind_text(stmt, 3, service_id);
	sqlite3_bind_int64(stmt, 4, expert_id);
	sqlite3_bind_int64(stmt, 5, booking->start);
	sqlite3_bind_int64(stmt, 6, booking->end);
	sqlite3_bind_int64(stmt, 7, block_start);
	sqlite3_bind_int64(stmt, 8, block_end);
	sqlite3_bind_int64(stmt, 9, seat);
	ap_sqlite_stmt_bind_text(stmt, 10, ap_booking_channel_to_string(booking->channel));
	ap_sqlite_stmt_bind_text(stmt, 11, booking->customer_name);
	ap_sqlite_stmt_bind_text(stmt, 12, booking->customer_email);
	ap_sqlite_stmt_bind_text(stmt, 13, booking->customer_phone);
	ap_sqlite_stmt_bind_text(stmt, 14, *digits != '\0' ? digits : NULL);
	ap_sqlite_stmt_bind_text(
		stmt, 15, booking->customer_locale != NULL ? booking->customer_locale : "en-GB");
	ap_sqlite_stmt_bind_text(stmt, 16, booking->customer_timezone);
	ap_sqlite_stmt_bind_text(stmt, 17, answers);
	ap_sqlite_stmt_bind_text(stmt, 18, booking->ical_uid);
	sqlite3_bind_int(stmt, 19, booking->sequence);
	sqlite3_bind_int64(stmt, 20, now);
	if (booking->sealed_token != NULL) {
		gsize len = 0;
		gconstpointer data = g_bytes_get_data(booking->sealed_token, &len);
		sqlite3_bind_blob(stmt, 21, data, (gint)len, SQLITE_TRANSIENT);
	} else {
		sqlite3_bind_null(stmt, 21);
	}

	for (guint attempt = 1;; attempt++) {
		gint rc;

		ap_reference_generate(reference);
		ap_sqlite_stmt_bind_text(stmt, 1, reference);
		rc = sqlite3_step(stmt);
		if (rc == SQLITE_DONE)
			return TRUE;
		if (rc == SQLITE_CONSTRAINT_UNIQUE && attempt < AP_SQLITE_REFERENCE_ATTEMPTS &&
		    strstr(sqlite3_errmsg(ap_sqlite_db_get_handle(db)), "bookings.reference") !=
			    NULL) {
			sqlite3_reset(stmt);
			continue;
		}
		ap_sqlite_bookings_set_unique_error(ap_sqlite_db_get_handle(db), rc, error);
		return FALSE;
	}
}

static gboolean
ap_sqlite_store_booking_create(ApStore *store,
			       ApBooking *booking,
			       const ApService *service,
			       const ApCandidate *candidates,
			       guint n_candidates,
			       ApIdempotency *idem,
			       const gchar *actor,
			       GError **error)
{
	ApSqliteStore *self = AP_SQLITE_STORE(store);
	g_autoptr(ApSqliteTxn) txn = NULL;
	g_autoptr(JsonNode) detail = NULL;
	gchar reference[AP_REFERENCE_LENGTH + 1] = {0};
	gint64 now = ap_store_get_now(store);
	gint64 expert_id = 0, seat = 0, block_start = 0, block_end = 0, id;

	g_return_val_if_fail(booking != NULL, FALSE);
	g_return_val_if_fail(service != NULL, FALSE);
	g_return_val_if_fail(candidates != NULL || n_candidates == 0, FALSE);

	if (booking->service_id != NULL && g_strcmp0(booking->service_id, service->id) != 0) {
		g_set_error(error,
			    AP_ERROR,
			    AP_ERROR_INVALID,
			    "booking for %s made with service %s",
			    booking->service_id,
			    service->id);
		return FALSE;
	}
	if (!ap_sqlite_bookings_check_block(
		    service, booking->start, booking->end, &block_start, &block_end, error))
		return FALSE;

	txn = ap_sqlite_txn_begin(self->db, error);
	if (txn == NULL)
		return FALSE;
	if (idem != NULL && idem->key != NULL) {
		if (!ap_sqlite_idempotency_lookup(self->db, idem, error))
			return FALSE;
		if (idem->replay != NULL)
			return ap_sqlite_txn_commit(txn, error);
	}
	if (!ap_sqlite_bookings_choose(self->db,
				       service,
				       booking->start,
				       booking->end,
				       candidates,
				       n_candidates,
				       0,
				       0,
				       &expert_id,
				       error))
		return FALSE;
	if (!ap_sqlite_bookings_free_seat(self->db, expert_id, booking->start, 0, &seat, error))
		return FALSE;
	if (!ap_sqlite_booking_insert(self->db,
				      booking,
				      service->id,
				      expert_id,
				      block_start,
				      block_end,
				      seat,
				      now,
				      reference,
				      error))
		return FALSE;
	id = sqlite3_last_insert_rowid(ap_sqlite_db_get_handle(self->db));
	detail = ap_sqlite_event_place(booking->start, expert_id);
	if (!ap_sqlite_event_add(self->db, id, now, actor, "created", detail, error)) {
		g_prefix_error(error, "booking %s: ", reference);
		return FALSE;
	}
	if (idem != NULL && idem->key != NULL &&
	    !ap_sqlite_idempotency_insert(self->db, idem, id, now, error)) {
		g_prefix_error(error, "booking %s: ", reference);
		return FALSE;
	}
	/* the confirmations and reminders, in the booking's own transaction */
	if (!ap_sqlite_outbox_enqueue_new(self->db, id, now, error)) {
		g_prefix_error(error, "booking %s: ", reference);
		return FALSE;
	}
	if (!ap_sqlite_txn_commit(txn, error)) {
		g_prefix_error(error, "booking %s: ", reference);
		return FALSE;
	}

	/* only now, so that a failure leaves the caller's booking untouched */
	booking->id = id;
	booking->expert_id = expert_id;
	memcpy(booking->reference, reference, sizeof(booking->reference));
	if (booking->service_id == NULL)
		booking->service_id = g_strdup(service->id);
	booking->status = AP_BOOKING_STATUS_CONFIRMED;
	booking->created_at = now;
	booking->updated_at = now;
	return TRUE;
}

static gboolean
ap_sqlite_store_booking_reschedule(ApStore *store,
				   ApBooking *booking,
				   const ApService *service,
				   gint64 start,
				   gint64 end,
				   const ApCandidate *candidates,
				   guint n_candidates,
				   const gchar *actor,
				   GError **error)
{
	ApSqliteStore *self = AP_SQLITE_STORE(store);
	g_autoptr(ApSqliteTxn) txn = NULL;
	g_autoptr(ApSqliteStmt) stmt = NULL;
	g_autoptr(ApBooking) stored = NULL;
	g_autoptr(ApBooking) updated = NULL;
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonNode) detail = NULL;
	gint64 now = ap_store_get_now(store);
	gint64 expert_id = 0, seat = 0, block_start = 0, block_end = 0;
	gint rc;

	g_return_val_if_fail(booking != NULL, FALSE);
	g_return_val_if_fail(service != NULL, FALSE);
	g_return_val_if_fail(candidates != NULL || n_candidates == 0, FALSE);

	if (!ap_sqlite_bookings_check_block(service, start, end, &block_start, &block_end, error)) {
		g_prefix_error(error, "booking %s: ", booking->reference);
		return FALSE;
	}
	txn = ap_sqlite_txn_begin(self->db, error);
	if (txn == NULL)
		return FALSE;
	stored = ap_sqlite_booking_load_by_reference(self->db, booking->reference, error);
	if (stored == NULL)
		return FALSE;
	if (stored->status != AP_BOOKING_STATUS_CONFIRMED) {
		g_set_error(error,
			    AP_ERROR,
			    AP_ERROR_STATE,
			    "booking %s is %s and can no longer change",
			    stored->reference,
			    ap_booking_status_to_string(stored->status));
		return FALSE;
	}
	if (g_strcmp0(stored->service_id, service->id) != 0) {
		g_set_error(error,
			    AP_ERROR,
			    AP_ERROR_INVALID,
			    "booking %s is for %s, not %s",
			    stored->reference,
			    stored->service_id,
			    service->id);
		return FALSE;
	}
	if (!ap_sqlite_bookings_choose(self->db,
				       service,
				       start,
				       end,
				       candidates,
				       n_candidates,
				       stored->id,
				       stored->expert_id,
				       &expert_id,
				       error) ||
	    !ap_sqlite_bookings_free_seat(self->db, expert_id, start, stored->id, &seat, error)) {
		g_prefix_error(error, "booking %s: ", stored->reference);
		return FALSE;
	}
	stmt = ap_sqlite_db_prepare(
		self->db,
		"UPDATE bookings SET expert_id = ?2, start_at = ?3, end_at = ?4, "
		"block_start = ?5, block_end = ?6, seat = ?7, "
		"sequence = sequence + 1, updated_at = ?8 WHERE id = ?1",
		error);
	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_int64(stmt, 1, stored->id);
	sqlite3_bind_int64(stmt, 2, expert_id);
	sqlite3_bind_int64(stmt, 3, start);
	sqlite3_bind_int64(stmt, 4, end);
	sqlite3_bind_int64(stmt, 5, block_start);
	sqlite3_bind_int64(stmt, 6, block_end);
	sqlite3_bind_int64(stmt, 7, seat);
	sqlite3_bind_int64(stmt, 8, now);
	rc = sqlite3_step(stmt);
	if (rc != SQLITE_DONE) {
		ap_sqlite_bookings_set_unique_error(ap_sqlite_db_get_handle(self->db), rc, error);
		g_prefix_error(error, "booking %s: ", stored->reference);
		return FALSE;
	}

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "from");
	json_builder_add_value(b, ap_sqlite_event_place(stored->start, stored->expert_id));
	json_builder_set_member_name(b, "to");
	json_builder_add_value(b, ap_sqlite_event_place(start, expert_id));
	json_builder_end_object(b);
	detail = json_builder_get_root(b);
	if (!ap_sqlite_event_add(self->db, stored->id, now, actor, "rescheduled", detail, error))
		return FALSE;
	/* the customer's event moves; the expert's moves too, or, with
	 * another expert, leaves the old one's calendar and joins the new */
	if (!ap_sqlite_outbox_enqueue(self->db,
				      stored->id,
				      AP_OUTBOX_ROLE_CUSTOMER,
				      AP_OUTBOX_KIND_UPDATE,
				      stored->start,
				      stored->expert_id,
				      now,
				      error))
		return FALSE;
	if (expert_id == stored->expert_id) {
		if (!ap_sqlite_outbox_enqueue(self->db,
					      stored->id,
					      AP_OUTBOX_ROLE_EXPERT,
					      AP_OUTBOX_KIND_UPDATE,
					      stored->start,
					      stored->expert_id,
					      now,
					      error))
			return FALSE;
	} else if (!ap_sqlite_outbox_enqueue_cancel_expert(self->db,
							   stored->id,
							   stored->expert_id,
							   stored->start,
							   stored->end,
							   now,
							   error) ||
		   !ap_sqlite_outbox_enqueue(self->db,
					     stored->id,
					     AP_OUTBOX_ROLE_EXPERT,
					     AP_OUTBOX_KIND_CONFIRMATION,
					     0,
					     0,
					     now,
					     error)) {
		return FALSE;
	}
	if (!ap_sqlite_reminders_replan(self->db, stored->id, now, error))
		return FALSE;
	updated = ap_sqlite_booking_load_by_id(self->db, stored->id, error);
	if (updated == NULL)
		return FALSE;
	if (!ap_sqlite_txn_commit(txn, error)) {
		g_prefix_error(error, "booking %s: ", stored->reference);
		return FALSE;
	}
	ap_sqlite_booking_take(booking, g_steal_pointer(&updated));
	return TRUE;
}

static gboolean
ap_sqlite_store_booking_set_status(ApStore *store,
				   ApBooking *booking,
				   ApBookingStatus status,
				   const gchar *reason,
				   const gchar *actor,
				   GError **error)
{
	ApSqliteStore *self = AP_SQLITE_STORE(store);
	g_autoptr(ApSqliteTxn) txn = NULL;
	g_autoptr(ApSqliteStmt) stmt = NULL;
	g_autoptr(ApBooking) stored = NULL;
	g_autoptr(ApBooking) updated = NULL;
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonNode) detail = NULL;
	gboolean cancelling = status == AP_BOOKING_STATUS_CANCELLED;
	gint64 now = ap_store_get_now(store);

	g_return_val_if_fail(booking != NULL, FALSE);

	txn = ap_sqlite_txn_begin(self->db, error);
	if (txn == NULL)
		return FALSE;
	stored = ap_sqlite_booking_load_by_reference(self->db, booking->reference, error);
	if (stored == NULL)
		return FALSE;
	if (!ap_booking_check_transition(stored, status, now, error))
		return FALSE;
	stmt = ap_sqlite_db_prepare(self->db,
				    "UPDATE bookings SET status = ?2, cancel_reason = ?3, "
				    "sequence = sequence + ?4, updated_at = ?5 WHERE id = ?1",
				    error);
	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_int64(stmt, 1, stored->id);
	ap_sqlite_stmt_bind_text(stmt, 2, ap_booking_status_to_string(status));
	ap_sqlite_stmt_bind_text(stmt, 3, cancelling ? reason : stored->cancel_reason);
	/* a cancellation is a change calendars must follow; the others are not */
	sqlite3_bind_int(stmt, 4, cancelling ? 1 : 0);
	sqlite3_bind_int64(stmt, 5, now);
	if (!ap_sqlite_stmt_run(stmt, error)) {
		g_prefix_error(error, "booking %s: ", stored->reference);
		return FALSE;
	}

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "reason");
	if (reason != NULL)
		json_builder_add_string_value(b, reason);
	else
		json_builder_add_null_value(b);
	json_builder_end_object(b);
	detail = json_builder_get_root(b);
	if (!ap_sqlite_event_add(self->db,
				 stored->id,
				 now,
				 actor,
				 ap_booking_status_to_string(status),
				 detail,
				 error))
		return FALSE;
	if (cancelling && (!ap_sqlite_outbox_enqueue(self->db,
						     stored->id,
						     AP_OUTBOX_ROLE_CUSTOMER,
						     AP_OUTBOX_KIND_CANCELLATION,
						     0,
						     0,
						     now,
						     error) ||
			   !ap_sqlite_outbox_enqueue(self->db,
						     stored->id,
						     AP_OUTBOX_ROLE_EXPERT,
						     AP_OUTBOX_KIND_CANCELLATION,
						     0,
						     0,
						     now,
						     error) ||
			   !ap_sqlite_reminders_void(self->db, stored->id, error)))
		return FALSE;
	/* a session that took place: ask the customer how it went */
	if (status == AP_BOOKING_STATUS_COMPLETED &&
	    !ap_sqlite_outbox_enqueue(self->db,
				      stored->id,
				      AP_OUTBOX_ROLE_CUSTOMER,
				      AP_OUTBOX_KIND_FEEDBACK,
				      0,
				      0,
				      now,
				      error))
		return FALSE;
	updated = ap_sqlite_booking_load_by_id(self->db, stored->id, error);
	if (updated == NULL)
		return FALSE;
	if (!ap_sqlite_txn_commit(txn, error)) {
		g_prefix_error(error, "booking %s: ", stored->reference);
		return FALSE;
	}
	ap_sqlite_booking_take(booking, g_steal_pointer(&updated));
	return TRUE;
}

static gboolean
ap_sqlite_store_idempotency_replay(ApStore *store, ApIdempotency *idem, GError **error)
{
	return ap_sqlite_idempotency_lookup(AP_SQLITE_STORE(store)->db, idem, error);
}

void
ap_sqlite_store_bookings_class_init(ApStoreClass *store_class)
{
	store_class->idempotency_replay = ap_sqlite_store_idempotency_replay;
	store_class->booking_create = ap_sqlite_store_booking_create;
	store_class->booking_reschedule = ap_sqlite_store_booking_reschedule;
	store_class->booking_set_status = ap_sqlite_store_booking_set_status;
}
