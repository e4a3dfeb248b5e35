/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApSqliteStore"

#include "ap-error.h"
#include "ap-sqlite-store-private.h"

/*
 * The customer's reminders: a day and an hour before the session, each
 * only if the customer was told of that time before its moment came.
 *
 * They are written to the outbox a little before they are due, not when
 * the booking is made: the planner (ap_sqlite_store_outbox_plan_reminders(),
 * run by the outbox's thread every few minutes) walks the bookings by
 * start time up to a mark kept in the reminder_plan table, and writes the
 * reminders due before it, in the order they fall due. A booking writes
 * nothing for its reminders, then, unless one falls before the mark, i.e.
 * within the next few minutes; that one it writes at once, in its own
 * transaction (ap_sqlite_reminders_add()). Between the two every reminder
 * is written exactly once: the planner and a booking each read the mark
 * inside their write transaction, which SQLite runs one at a time, and
 * the planner skips a booking that already has the reminder.
 *
 * Writing them at booking time cost each booking two rows and two entries
 * at random places in the outbox's due index, a sixth of the pages it
 * wrote; the planner writes them in order, a few pages for many.
 */

static const gint64 ap_sqlite_reminder_leads[] = {
	AP_OUTBOX_REMIND_DAY_SECONDS,
	AP_OUTBOX_REMIND_HOUR_SECONDS,
};

/* the planner's mark: every reminder due before it is in the outbox.
 * Without one (the row deleted by hand), every booking writes all its
 * reminders itself, as before the planner, and the planner writes none:
 * still each once */
static gboolean
ap_sqlite_reminders_read_mark(ApSqliteDb *db, gint64 *mark, GError **error)
{
	g_autoptr(ApSqliteStmt) stmt =
		ap_sqlite_db_prepare(db, "SELECT planned_until FROM reminder_plan", error);
	gint rc;

	if (stmt == NULL)
		return FALSE;
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_DONE) {
		*mark = G_MAXINT64;
		return TRUE;
	}
	if (rc != SQLITE_ROW) {
		ap_sqlite_set_error(ap_sqlite_db_get_handle(db), rc, error);
		return FALSE;
	}
	*mark = sqlite3_column_int64(stmt, 0);
	return TRUE;
}

/**
 * ap_sqlite_reminders_add:
 * @db: a connection inside the transaction that booked or moved it
 * @target: the booking, as now stored
 * @now: the change's instant, when the customer is told of its time
 * @error: a #GError, or %NULL
 *
 * Writes those of the customer's reminders that are still ahead of @now
 * but due before the planner's mark; the planner writes the others when
 * their time comes near.
 *
 * Returns: %TRUE on success
 */
gboolean
ap_sqlite_reminders_add(ApSqliteDb *db,
			const ApSqliteOutboxTarget *target,
			gint64 now,
			GError **error)
{
	gint64 mark = 0;
	gboolean have_mark = FALSE;

	for (guint i = 0; i < G_N_ELEMENTS(ap_sqlite_reminder_leads); i++) {
		gint64 remind_at = target->start - ap_sqlite_reminder_leads[i];

		if (remind_at <= now)
			continue;
		if (!have_mark && !ap_sqlite_reminders_read_mark(db, &mark, error))
			return FALSE;
		have_mark = TRUE;
		if (remind_at >= mark)
			continue;
		if (!ap_sqlite_outbox_insert(db,
					     target,
					     AP_OUTBOX_ROLE_CUSTOMER,
					     AP_OUTBOX_KIND_REMINDER,
					     0,
					     0,
					     now,
					     remind_at,
					     error))
			return FALSE;
	}
	return TRUE;
}

/**
 * ap_sqlite_reminders_void:
 *
 * The reminders still waiting for @booking_id will not go: the session
 * has moved or is cancelled.
 *
 * Returns: %TRUE on success
 */
gboolean
ap_sqlite_reminders_void(ApSqliteDb *db, gint64 booking_id, GError **error)
{
	g_autoptr(ApSqliteStmt) stmt = ap_sqlite_db_prepare(
		db,
		"UPDATE outbox SET status = 'void' "
		"WHERE booking_id = ?1 AND kind = 'reminder' AND status = 'pending'",
		error);

	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_int64(stmt, 1, booking_id);
	return ap_sqlite_stmt_run(stmt, error);
}

/**
 * ap_sqlite_reminders_replan:
 * @db: a connection inside the transaction that moved it
 * @booking_id: the booking, as now stored
 * @now: the change's instant
 * @error: a #GError, or %NULL
 *
 * Voids the reminders the booking had waiting, then writes those of its
 * new time that are due before the planner's mark
 * (ap_sqlite_reminders_add()). A cancellation only voids them
 * (ap_sqlite_reminders_void()).
 *
 * Returns: %TRUE on success
 */
gboolean
ap_sqlite_reminders_replan(ApSqliteDb *db, gint64 booking_id, gint64 now, GError **error)
{
	g_auto(ApSqliteOutboxTarget) target = {0};

	return ap_sqlite_reminders_void(db, booking_id, error) &&
	       ap_sqlite_outbox_target_read(db, booking_id, &target, error) &&
	       ap_sqlite_reminders_add(db, &target, now, error);
}

/* the reminders @lead before the start that fall due in [@from, @until),
 * of confirmed bookings:
 * - not yet begun;
 * - whose customer has not asked to be forgotten (an erasure cancels the
 *   bookings it finds, but one made meanwhile may stay confirmed while
 *   its details are erased);
 * - whose customer was told of that start (a confirmation, an update or
 *   a resend, for this start) before the reminder's moment;
 * - that do not have it already (written at booking time, or before
 *   this schema).
 * One walk of the start index over the window; each booking found costs
 * two lookups in the outbox's booking index */
static gboolean
ap_sqlite_reminders_plan_lead(ApSqliteDb *db,
			      gint64 from,
			      gint64 until,
			      gint64 lead,
			      gint64 now,
			      guint *planned,
			      GError **error)
{
	/* nor of sessions already begun, which no reminder serves: after a
	 * long stop the window may reach far back */
	gint64 first_start = MAX(from + lead, now + 1);
	g_autoptr(ApSqliteStmt) stmt = ap_sqlite_db_prepare(
		db,
		"INSERT INTO outbox (booking_id, kind, recipient_role, recipient, expert_id, "
		"sequence, start_at, end_at, created_at, next_attempt_at, remind_at) "
		"SELECT b.id, 'reminder', 'customer', b.customer_email, b.expert_id, b.sequence, "
		"b.start_at, b.end_at, ?4, b.start_at - ?3, b.start_at - ?3 "
		"FROM bookings b "
		"WHERE b.start_at >= ?1 AND b.start_at < ?2 AND b.status = 'confirmed' "
		"AND b.erase_requested_at IS NULL AND b.anonymised_at IS NULL "
		"AND EXISTS (SELECT 1 FROM outbox t WHERE t.booking_id = b.id "
		"  AND t.recipient_role = 'customer' AND t.kind IN ('confirmation', 'update') "
		"  AND t.start_at = b.start_at AND t.created_at < b.start_at - ?3) "
		"AND NOT EXISTS (SELECT 1 FROM outbox r WHERE r.booking_id = b.id "
		"  AND r.kind = 'reminder' AND r.remind_at = b.start_at - ?3 "
		"  AND r.status != 'void') "
		"ORDER BY b.start_at",
		error);

	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_int64(stmt, 1, first_start);
	sqlite3_bind_int64(stmt, 2, until + lead);
	sqlite3_bind_int64(stmt, 3, lead);
	sqlite3_bind_int64(stmt, 4, now);
	if (!ap_sqlite_stmt_run(stmt, error))
		return FALSE;
	*planned += (guint)sqlite3_changes(ap_sqlite_db_get_handle(db));
	return TRUE;
}

static gboolean
ap_sqlite_store_outbox_plan_reminders(ApStore *store, gint64 until, guint *planned, GError **error)
{
	ApSqliteStore *self = AP_SQLITE_STORE(store);
	g_autoptr(ApSqliteTxn) txn = NULL;
	g_autoptr(ApSqliteStmt) stmt = NULL;
	gint64 now = ap_store_get_now(store);
	gint64 mark = 0;

	*planned = 0;
	/* most calls find the mark far enough ahead: a read, no write lock */
	if (!ap_sqlite_reminders_read_mark(self->db, &mark, error))
		return FALSE;
	if (until <= mark)
		return TRUE;
	txn = ap_sqlite_txn_begin(self->db, error);
	if (txn == NULL)
		return FALSE;
	/* again, under the write lock: another connection may have moved it */
	if (!ap_sqlite_reminders_read_mark(self->db, &mark, error))
		return FALSE;
	if (until <= mark)
		return ap_sqlite_txn_commit(txn, error);
	for (guint i = 0; i < G_N_ELEMENTS(ap_sqlite_reminder_leads); i++) {
		if (!ap_sqlite_reminders_plan_lead(self->db,
						   mark,
						   until,
						   ap_sqlite_reminder_leads[i],
						   now,
						   planned,
						   error))
			return FALSE;
	}
	stmt = ap_sqlite_db_prepare(self->db, "UPDATE reminder_plan SET planned_until = ?1", error);
	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_int64(stmt, 1, until);
	if (!ap_sqlite_stmt_run(stmt, error))
		return FALSE;
	return ap_sqlite_txn_commit(txn, error);
}

void
ap_sqlite_store_reminders_class_init(ApStoreClass *store_class)
{
	store_class->outbox_plan_reminders = ap_sqlite_store_outbox_plan_reminders;
}
