/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApSqliteStore"

#include "ap-error.h"
#include "ap-sqlite-store-private.h"

/*
 * The outbox: one row an email, written by the booking's own transaction
 * (ap_sqlite_outbox_enqueue()) and delivered afterwards by ApOutbox, which
 * marks each row sent once the relay has accepted it. A row is never
 * deleted: it is the booking's record of what it was told.
 */

#define AP_SQLITE_OUTBOX_COLUMNS                                                                   \
	"o.id, o.booking_id, o.kind, o.recipient_role, o.recipient, o.expert_id, o.sequence, "     \
	"o.start_at, o.end_at, o.previous_start_at, o.previous_expert_id, o.created_at, "          \
	"o.status, o.attempts, o.next_attempt_at, o.last_error, b.reference, o.remind_at"
#define AP_SQLITE_OUTBOX_FROM " FROM outbox o JOIN bookings b ON b.id = o.booking_id "

/**
 * ap_sqlite_outbox_target_clear:
 *
 * Frees what @target holds, not @target itself.
 */
void
ap_sqlite_outbox_target_clear(ApSqliteOutboxTarget *target)
{
	g_clear_pointer(&target->customer_email, g_free);
	g_clear_pointer(&target->expert_email, g_free);
}

/**
 * ap_sqlite_outbox_target_read:
 * @db: a connection, inside the transaction that changed the booking
 * @booking_id: the booking
 * @target: (out caller-allocates): its addresses and dates as stored now
 *
 * Returns: %TRUE if read
 */
gboolean
ap_sqlite_outbox_target_read(ApSqliteDb *db,
			     gint64 booking_id,
			     ApSqliteOutboxTarget *target,
			     GError **error)
{
	g_autoptr(ApSqliteStmt) stmt =
		ap_sqlite_db_prepare(db,
				     "SELECT b.customer_email, e.email, b.expert_id, b.sequence, "
				     "b.start_at, b.end_at "
				     "FROM bookings b JOIN experts e ON e.id = b.expert_id "
				     "WHERE b.id = ?1",
				     error);
	gint rc;

	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_int64(stmt, 1, booking_id);
	rc = sqlite3_step(stmt);
	if (rc != SQLITE_ROW) {
		if (rc == SQLITE_DONE)
			g_set_error(error,
				    AP_ERROR,
				    AP_ERROR_STORE,
				    "booking %" G_GINT64_FORMAT " has no expert to write to",
				    booking_id);
		else
			ap_sqlite_set_error(ap_sqlite_db_get_handle(db), rc, error);
		return FALSE;
	}
	target->booking_id = booking_id;
	target->customer_email = ap_sqlite_stmt_dup_text(stmt, 0);
	target->expert_email = ap_sqlite_stmt_dup_text(stmt, 1);
	target->expert_id = sqlite3_column_int64(stmt, 2);
	target->sequence = sqlite3_column_int64(stmt, 3);
	target->start = sqlite3_column_int64(stmt, 4);
	target->end = sqlite3_column_int64(stmt, 5);
	return TRUE;
}

/**
 * ap_sqlite_outbox_insert:
 * @remind_at: for a reminder, when it is due; else 0 (due at once)
 *
 * One row, its values bound: an INSERT of one row of VALUES, with no
 * SELECT and no trigger, is one SQLite writes without a statement
 * journal (the copy of every page it touches, kept in case the statement
 * fails halfway), which an INSERT ... SELECT needs.
 *
 * Returns: %TRUE if added
 */
gboolean
ap_sqlite_outbox_insert(ApSqliteDb *db,
			const ApSqliteOutboxTarget *target,
			ApOutboxRole role,
			ApOutboxKind kind,
			gint64 previous_start,
			gint64 previous_expert_id,
			gint64 now,
			gint64 remind_at,
			GError **error)
{
	gboolean customer = role == AP_OUTBOX_ROLE_CUSTOMER;
	g_autoptr(ApSqliteStmt) stmt = ap_sqlite_db_prepare(
		db,
		"INSERT INTO outbox (booking_id, kind, recipient_role, recipient, expert_id, "
		"sequence, start_at, end_at, previous_start_at, previous_expert_id, created_at, "
		"next_attempt_at, remind_at) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, NULLIF(?9, 0), NULLIF(?10, 0), ?11, "
		"coalesce(?12, ?11), ?12)",
		error);

	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_int64(stmt, 1, target->booking_id);
	ap_sqlite_stmt_bind_text(stmt, 2, ap_outbox_kind_to_string(kind));
	ap_sqlite_stmt_bind_text(stmt, 3, customer ? "customer" : "expert");
	ap_sqlite_stmt_bind_text(stmt, 4, customer ? target->customer_email : target->expert_email);
	sqlite3_bind_int64(stmt, 5, target->expert_id);
	sqlite3_bind_int64(stmt, 6, target->sequence);
	sqlite3_bind_int64(stmt, 7, target->start);
	sqlite3_bind_int64(stmt, 8, target->end);
	sqlite3_bind_int64(stmt, 9, previous_start);
	sqlite3_bind_int64(stmt, 10, previous_expert_id);
	sqlite3_bind_int64(stmt, 11, now);
	if (remind_at != 0)
		sqlite3_bind_int64(stmt, 12, remind_at);
	else
		sqlite3_bind_null(stmt, 12);
	return ap_sqlite_stmt_run(stmt, error);
}

/**
 * ap_sqlite_outbox_enqueue:
 * @db: a connection inside the transaction that changed the booking
 * @booking_id: the booking, as now stored
 * @role: who the email is for: the customer, or the booking's expert
 * @kind: what happened
 * @previous_start: for an update, where the session was; else 0
 * @previous_expert_id: for an update, who it was with; else 0
 * @now: the change's instant
 * @error: a #GError, or %NULL
 *
 * Adds the email for @role about the booking's state now: its time, its
 * expert, its SEQUENCE.
 *
 * Returns: %TRUE if added
 */
gboolean
ap_sqlite_outbox_enqueue(ApSqliteDb *db,
			 gint64 booking_id,
			 ApOutboxRole role,
			 ApOutboxKind kind,
			 gint64 previous_start,
			 gint64 previous_expert_id,
			 gint64 now,
			 GError **error)
{
	g_auto(ApSqliteOutboxTarget) target = {0};

	return ap_sqlite_outbox_target_read(db, booking_id, &target, error) &&
	       ap_sqlite_outbox_insert(
		       db, &target, role, kind, previous_start, previous_expert_id, now, 0, error);
}

/**
 * ap_sqlite_outbox_enqueue_new:
 * @db: a connection inside the transaction that made the booking
 * @booking_id: the booking, just stored
 * @now: its instant
 * @error: a #GError, or %NULL
 *
 * Everything a new booking sends: the confirmations to the customer and
 * to the expert, and those of the customer's reminders that are due too
 * soon to wait for the planner (ap_sqlite_reminders_add()), from one
 * read of the booking.
 *
 * Returns: %TRUE if added
 */
gboolean
ap_sqlite_outbox_enqueue_new(ApSqliteDb *db, gint64 booking_id, gint64 now, GError **error)
{
	g_auto(ApSqliteOutboxTarget) target = {0};

	return ap_sqlite_outbox_target_read(db, booking_id, &target, error) &&
	       ap_sqlite_outbox_insert(db,
				       &target,
				       AP_OUTBOX_ROLE_CUSTOMER,
				       AP_OUTBOX_KIND_CONFIRMATION,
				       0,
				       0,
				       now,
				       0,
				       error) &&
	       ap_sqlite_outbox_insert(db,
				       &target,
				       AP_OUTBOX_ROLE_EXPERT,
				       AP_OUTBOX_KIND_CONFIRMATION,
				       0,
				       0,
				       now,
				       0,
				       error) &&
	       ap_sqlite_reminders_add(db, &target, now, error);
}

/**
 * ap_sqlite_outbox_enqueue_cancel_expert:
 * @expert_id: the expert the booking has just left
 * @start: the session's start when it was theirs
 * @end: its end
 *
 * The cancellation an expert gets when a booking moves to another expert,
 * with the booking's new SEQUENCE, so that the event leaves their calendar.
 *
 * Returns: %TRUE if added
 */
gboolean
ap_sqlite_outbox_enqueue_cancel_expert(ApSqliteDb *db,
				       gint64 booking_id,
				       gint64 expert_id,
				       gint64 start,
				       gint64 end,
				       gint64 now,
				       GError **error)
{
	g_autoptr(ApSqliteStmt) stmt = ap_sqlite_db_prepare(
		db,
		"INSERT INTO outbox (booking_id, kind, recipient_role, recipient, expert_id, "
		"sequence, start_at, end_at, created_at, next_attempt_at) "
		"SELECT b.id, 'cancellation', 'expert', e.email, e.id, b.sequence, ?3, ?4, ?5, ?5 "
		"FROM bookings b, experts e WHERE b.id = ?1 AND e.id = ?2",
		error);

	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_int64(stmt, 1, booking_id);
	sqlite3_bind_int64(stmt, 2, expert_id);
	sqlite3_bind_int64(stmt, 3, start);
	sqlite3_bind_int64(stmt, 4, end);
	sqlite3_bind_int64(stmt, 5, now);
	return ap_sqlite_stmt_run(stmt, error);
}

static gboolean
ap_sqlite_store_outbox_void(ApStore *store, gint64 id, const gchar *reason, GError **error)
{
	ApSqliteStore *self = AP_SQLITE_STORE(store);
	g_autoptr(ApSqliteStmt) stmt =
		ap_sqlite_db_prepare(self->db,
				     "UPDATE outbox SET status = 'void', last_error = ?2 WHERE id "
				     "= ?1 AND status = 'pending'",
				     error);

	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_int64(stmt, 1, id);
	ap_sqlite_stmt_bind_text(stmt, 2, reason);
	return ap_sqlite_stmt_run(stmt, error);
}

static ApOutboxItem *
ap_sqlite_outbox_from_row(ApSqliteStmt *stmt, GError **error)
{
	g_autoptr(ApOutboxItem) item = g_new0(ApOutboxItem, 1);
	const gchar *kind = (const gchar *)sqlite3_column_text(stmt, 2);
	const gchar *status = (const gchar *)sqlite3_column_text(stmt, 12);

	item->id = sqlite3_column_int64(stmt, 0);
	item->booking_id = sqlite3_column_int64(stmt, 1);
	item->role = g_strcmp0((const gchar *)sqlite3_column_text(stmt, 3), "customer") == 0
			     ? AP_OUTBOX_ROLE_CUSTOMER
			     : AP_OUTBOX_ROLE_EXPERT;
	item->recipient = ap_sqlite_stmt_dup_text(stmt, 4);
	item->expert_id = sqlite3_column_int64(stmt, 5);
	item->sequence = sqlite3_column_int(stmt, 6);
	item->start = sqlite3_column_int64(stmt, 7);
	item->end = sqlite3_column_int64(stmt, 8);
	item->previous_start = sqlite3_column_int64(stmt, 9);
	item->previous_expert_id = sqlite3_column_int64(stmt, 10);
	item->created_at = sqlite3_column_int64(stmt, 11);
	item->attempts = (guint)sqlite3_column_int(stmt, 13);
	item->next_attempt_at = sqlite3_column_int64(stmt, 14);
	item->last_error = ap_sqlite_stmt_dup_text(stmt, 15);
	item->reference = ap_sqlite_stmt_dup_text(stmt, 16);
	item->remind_at = sqlite3_column_int64(stmt, 17);
	if (!ap_outbox_kind_from_string(kind, &item->kind) ||
	    !ap_outbox_status_from_string(status, &item->status)) {
		g_set_error(error,
			    AP_ERROR,
			    AP_ERROR_STORE,
			    "outbox row %" G_GINT64_FORMAT " is unreadable",
			    item->id);
		return NULL;
	}
	return g_steal_pointer(&item);
}

static GPtrArray *
ap_sqlite_outbox_collect(ApSqliteDb *db, ApSqliteStmt *stmt, GError **error)
{
	g_autoptr(GPtrArray) items =
		g_ptr_array_new_with_free_func((GDestroyNotify)ap_outbox_item_free);
	gint rc;

	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		ApOutboxItem *item = ap_sqlite_outbox_from_row(stmt, error);
		if (item == NULL)
			return NULL;
		g_ptr_array_add(items, item);
	}
	if (rc != SQLITE_DONE) {
		ap_sqlite_set_error(ap_sqlite_db_get_handle(db), rc, error);
		return NULL;
	}
	return g_steal_pointer(&items);
}

static GPtrArray *
ap_sqlite_store_outbox_due(ApStore *store, gint64 now, guint limit, GError **error)
{
	ApSqliteStore *self = AP_SQLITE_STORE(store);
	g_autoptr(ApSqliteStmt) stmt =
		ap_sqlite_db_prepare(self->db,
				     "SELECT " AP_SQLITE_OUTBOX_COLUMNS AP_SQLITE_OUTBOX_FROM
				     "WHERE o.status = 'pending' AND o.next_attempt_at <= ?1 "
				     "ORDER BY o.next_attempt_at, o.id LIMIT ?2",
				     error);

	if (stmt == NULL)
		return NULL;
	sqlite3_bind_int64(stmt, 1, now);
	sqlite3_bind_int64(stmt, 2, MAX(limit, 1));
	return ap_sqlite_outbox_collect(self->db, stmt, error);
}

static GPtrArray *
ap_sqlite_store_outbox_list(ApStore *store, gint64 booking_id, GError **error)
{
	ApSqliteStore *self = AP_SQLITE_STORE(store);
	g_autoptr(ApSqliteStmt) stmt =
		ap_sqlite_db_prepare(self->db,
				     "SELECT " AP_SQLITE_OUTBOX_COLUMNS AP_SQLITE_OUTBOX_FROM
				     "WHERE o.booking_id = ?1 ORDER BY o.id",
				     error);

	if (stmt == NULL)
		return NULL;
	sqlite3_bind_int64(stmt, 1, booking_id);
	return ap_sqlite_outbox_collect(self->db, stmt, error);
}

static GPtrArray *
ap_sqlite_store_outbox_list_status(ApStore *store,
				   ApOutboxStatus status,
				   guint limit,
				   GError **error)
{
	ApSqliteStore *self = AP_SQLITE_STORE(store);
	g_autoptr(ApSqliteStmt) stmt =
		ap_sqlite_db_prepare(self->db,
				     "SELECT " AP_SQLITE_OUTBOX_COLUMNS AP_SQLITE_OUTBOX_FROM
				     "WHERE o.status = ?1 ORDER BY o.id DESC LIMIT ?2",
				     error);

	if (stmt == NULL)
		return NULL;
	ap_sqlite_stmt_bind_text(stmt, 1, ap_outbox_status_to_string(status));
	sqlite3_bind_int64(stmt, 2, MAX(limit, 1));
	return ap_sqlite_outbox_collect(self->db, stmt, error);
}

static gboolean
ap_sqlite_store_outbox_mark_sent(ApStore *store, gint64 id, gint64 now, GError **error)
{
	ApSqliteStore *self = AP_SQLITE_STORE(store);
	/* a transaction of its own, for the turn to write (ap-sqlite-file.c) */
	g_autoptr(ApSqliteTxn) txn = ap_sqlite_txn_begin(self->db, error);
	g_autoptr(ApSqliteStmt) stmt = NULL;

	if (txn == NULL)
		return FALSE;
	stmt = ap_sqlite_db_prepare(
		self->db,
		"UPDATE outbox SET status = 'sent', sent_at = ?2, last_error = NULL WHERE id = ?1",
		error);
	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_int64(stmt, 1, id);
	sqlite3_bind_int64(stmt, 2, now);
	if (!ap_sqlite_stmt_run(stmt, error))
		return FALSE;
	return ap_sqlite_txn_commit(txn, error);
}

static gboolean
ap_sqlite_store_outbox_mark_failed(ApStore *store,
				   gint64 id,
				   gboolean permanent,
				   const gchar *reason,
				   gint64 now,
				   GError **error)
{
	ApSqliteStore *self = AP_SQLITE_STORE(store);
	/* the count read and raised in one transaction */
	g_autoptr(ApSqliteTxn) txn = ap_sqlite_txn_begin(self->db, error);
	g_autoptr(ApSqliteStmt) attempts = NULL;
	g_autoptr(ApSqliteStmt) stmt = NULL;
	guint n;

	if (txn == NULL)
		return FALSE;
	attempts =
		ap_sqlite_db_prepare(self->db, "SELECT attempts FROM outbox WHERE id = ?1", error);
	if (attempts == NULL)
		return FALSE;
	sqlite3_bind_int64(attempts, 1, id);
	if (sqlite3_step(attempts) != SQLITE_ROW) {
		g_set_error(
			error, AP_ERROR, AP_ERROR_NOT_FOUND, "no outbox row %" G_GINT64_FORMAT, id);
		return FALSE;
	}
	n = (guint)sqlite3_column_int(attempts, 0) + 1;
	stmt = ap_sqlite_db_prepare(self->db,
				    "UPDATE outbox SET status = ?2, attempts = ?3, "
				    "next_attempt_at = ?4, last_error = ?5 WHERE id = ?1",
				    error);
	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_int64(stmt, 1, id);
	ap_sqlite_stmt_bind_text(stmt, 2, permanent ? "dead" : "pending");
	sqlite3_bind_int(stmt, 3, (gint)n);
	sqlite3_bind_int64(stmt, 4, now + ap_outbox_retry_delay(n));
	ap_sqlite_stmt_bind_text(stmt, 5, reason);
	if (!ap_sqlite_stmt_run(stmt, error))
		return FALSE;
	return ap_sqlite_txn_commit(txn, error);
}

static gboolean
ap_sqlite_store_outbox_retry(ApStore *store, gint64 id, gint64 now, GError **error)
{
	ApSqliteStore *self = AP_SQLITE_STORE(store);
	g_autoptr(ApSqliteTxn) txn = ap_sqlite_txn_begin(self->db, error);
	g_autoptr(ApSqliteStmt) stmt = NULL;

	if (txn == NULL)
		return FALSE;
	stmt = ap_sqlite_db_prepare(self->db,
				    "UPDATE outbox SET status = 'pending', next_attempt_at = ?2 "
				    "WHERE id = ?1 AND status = 'dead'",
				    error);
	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_int64(stmt, 1, id);
	sqlite3_bind_int64(stmt, 2, now);
	if (!ap_sqlite_stmt_run(stmt, error))
		return FALSE;
	if (sqlite3_changes(ap_sqlite_db_get_handle(self->db)) != 1) {
		g_autoptr(ApSqliteStmt) exists =
			ap_sqlite_db_prepare(self->db, "SELECT 1 FROM outbox WHERE id = ?1", error);
		if (exists == NULL)
			return FALSE;
		sqlite3_bind_int64(exists, 1, id);
		if (sqlite3_step(exists) != SQLITE_ROW) {
			g_set_error(error,
				    AP_ERROR,
				    AP_ERROR_NOT_FOUND,
				    "no email %" G_GINT64_FORMAT,
				    id);
			return FALSE;
		}
		g_set_error(error,
			    AP_ERROR,
			    AP_ERROR_STATE,
			    "email %" G_GINT64_FORMAT " is not waiting to be retried",
			    id);
		return FALSE;
	}
	return ap_sqlite_txn_commit(txn, error);
}

static gboolean
ap_sqlite_store_outbox_stats(ApStore *store, gint64 now, ApOutboxStats *stats, GError **error)
{
	ApSqliteStore *self = AP_SQLITE_STORE(store);
	g_autoptr(ApSqliteStmt) stmt = ap_sqlite_db_prepare(
		self->db,
		/* the backlog is what should have gone: all but the reminders
		 * whose time has not come */
		"SELECT (SELECT count(*) FROM outbox WHERE status = 'pending' "
		"AND (kind != 'reminder' OR next_attempt_at <= ?1)), "
		"(SELECT count(*) FROM outbox WHERE status = 'dead'), "
		"(SELECT min(next_attempt_at) FROM outbox WHERE status = 'pending'), "
		"(SELECT count(*) FROM outbox WHERE status = 'pending' AND kind = 'reminder' "
		"AND next_attempt_at > ?1), "
		"(SELECT planned_until FROM reminder_plan)",
		error);
	gint rc;

	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_int64(stmt, 1, now);
	rc = sqlite3_step(stmt);
	if (rc != SQLITE_ROW) {
		ap_sqlite_set_error(ap_sqlite_db_get_handle(self->db), rc, error);
		return FALSE;
	}
	stats->pending = (guint64)sqlite3_column_int64(stmt, 0);
	stats->dead = (guint64)sqlite3_column_int64(stmt, 1);
	stats->next_due =
		sqlite3_column_type(stmt, 2) == SQLITE_NULL ? 0 : sqlite3_column_int64(stmt, 2);
	stats->scheduled = (guint64)sqlite3_column_int64(stmt, 3);
	/* no mark: every booking writes its own (ap-sqlite-reminders.c) */
	stats->reminders_planned_until = sqlite3_column_type(stmt, 4) == SQLITE_NULL
						 ? G_MAXINT64
						 : sqlite3_column_int64(stmt, 4);
	return TRUE;
}

void
ap_sqlite_store_outbox_class_init(ApStoreClass *store_class)
{
	store_class->outbox_due = ap_sqlite_store_outbox_due;
	store_class->outbox_list = ap_sqlite_store_outbox_list;
	store_class->outbox_mark_sent = ap_sqlite_store_outbox_mark_sent;
	store_class->outbox_mark_failed = ap_sqlite_store_outbox_mark_failed;
	store_class->outbox_retry = ap_sqlite_store_outbox_retry;
	store_class->outbox_stats = ap_sqlite_store_outbox_stats;
	store_class->outbox_void = ap_sqlite_store_outbox_void;
	store_class->outbox_list_status = ap_sqlite_store_outbox_list_status;
}
