/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApSqliteStore"

#include <string.h>

#include "ap-error.h"
#include "ap-sqlite-store-private.h"

/*
 * After the session: the expert's summary, sent to the customer through
 * the outbox in the same transaction, and the customer's rating.
 */

/* the booking named, if its session took place; @what says what needs it */
static ApBooking *
ap_sqlite_feedback_load_completed(ApSqliteDb *db,
				  const gchar *reference,
				  const gchar *what,
				  GError **error)
{
	g_autoptr(ApBooking) stored = ap_sqlite_booking_load_by_reference(db, reference, error);

	if (stored == NULL)
		return NULL;
	if (stored->status != AP_BOOKING_STATUS_COMPLETED) {
		g_set_error(error,
			    AP_ERROR,
			    AP_ERROR_STATE,
			    "booking %s is %s: %s follows a session marked completed",
			    stored->reference,
			    ap_booking_status_to_string(stored->status),
			    what);
		return NULL;
	}
	return g_steal_pointer(&stored);
}

static gboolean
ap_sqlite_store_booking_set_summary(ApStore *store,
				    ApBooking *booking,
				    const gchar *summary,
				    const gchar *actor,
				    GError **error)
{
	ApSqliteStore *self = AP_SQLITE_STORE(store);
	g_autoptr(ApSqliteTxn) txn = ap_sqlite_txn_begin(self->db, error);
	g_autoptr(ApSqliteStmt) stmt = NULL;
	g_autoptr(ApBooking) stored = NULL;
	g_autoptr(ApBooking) updated = NULL;
	gint64 now = ap_store_get_now(store);

	if (txn == NULL)
		return FALSE;
	stored =
		ap_sqlite_feedback_load_completed(self->db, booking->reference, "a summary", error);
	if (stored == NULL)
		return FALSE;
	stmt = ap_sqlite_db_prepare(
		self->db,
		"UPDATE bookings SET summary = ?2, summary_at = ?3, updated_at = ?3 "
		"WHERE id = ?1",
		error);
	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_int64(stmt, 1, stored->id);
	ap_sqlite_stmt_bind_text(stmt, 2, summary);
	sqlite3_bind_int64(stmt, 3, now);
	/* the history says that it was written, not what: it is the
	 * customer's to read */
	if (!ap_sqlite_stmt_run(stmt, error) ||
	    !ap_sqlite_event_add(self->db, stored->id, now, actor, "summary", NULL, error) ||
	    !ap_sqlite_outbox_enqueue(self->db,
				      stored->id,
				      AP_OUTBOX_ROLE_CUSTOMER,
				      AP_OUTBOX_KIND_SUMMARY,
				      0,
				      0,
				      now,
				      error))
		return FALSE;
	updated = ap_sqlite_booking_load_by_id(self->db, stored->id, error);
	if (updated == NULL || !ap_sqlite_txn_commit(txn, error))
		return FALSE;
	ap_sqlite_booking_take(booking, g_steal_pointer(&updated));
	return TRUE;
}

static gboolean
ap_sqlite_store_feedback_add(
	ApStore *store, const gchar *reference, guint rating, const gchar *comment, GError **error)
{
	ApSqliteStore *self = AP_SQLITE_STORE(store);
	g_autoptr(ApSqliteTxn) txn = ap_sqlite_txn_begin(self->db, error);
	g_autoptr(ApSqliteStmt) stmt = NULL;
	g_autoptr(ApBooking) stored = NULL;
	gint64 now = ap_store_get_now(store);
	gint rc;

	if (txn == NULL)
		return FALSE;
	stored = ap_sqlite_feedback_load_completed(self->db, reference, "feedback", error);
	if (stored == NULL)
		return FALSE;
	stmt = ap_sqlite_db_prepare(
		self->db,
		"INSERT INTO feedback (booking_id, rating, comment, created_at) "
		"VALUES (?1, ?2, ?3, ?4)",
		error);
	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_int64(stmt, 1, stored->id);
	sqlite3_bind_int(stmt, 2, (gint)rating);
	ap_sqlite_stmt_bind_text(stmt, 3, comment != NULL && *comment != '\0' ? comment : NULL);
	sqlite3_bind_int64(stmt, 4, now);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
		g_set_error(error,
			    AP_ERROR,
			    AP_ERROR_EXISTS,
			    "booking %s has been rated already",
			    stored->reference);
		return FALSE;
	}
	if (rc != SQLITE_DONE) {
		ap_sqlite_set_error(ap_sqlite_db_get_handle(self->db), rc, error);
		return FALSE;
	}
	if (!ap_sqlite_event_add(self->db, stored->id, now, "customer", "rated", NULL, error))
		return FALSE;
	return ap_sqlite_txn_commit(txn, error);
}

static ApFeedbackReport *
ap_sqlite_store_feedback_report(
	ApStore *store, gint64 expert_id, const gchar *service_id, guint limit, GError **error)
{
	ApSqliteStore *self = AP_SQLITE_STORE(store);
	g_autoptr(ApFeedbackReport) report = g_new0(ApFeedbackReport, 1);
	g_autoptr(ApSqliteStmt) counts = ap_sqlite_db_prepare(
		self->db,
		"SELECT f.rating, count(*) FROM feedback f JOIN bookings b ON b.id = f.booking_id "
		"WHERE (?1 = 0 OR b.expert_id = ?1) AND (?2 IS NULL OR b.service_id = ?2) "
		"GROUP BY f.rating",
		error);
	g_autoptr(ApSqliteStmt) latest = NULL;
	gint rc;

	if (counts == NULL)
		return NULL;
	sqlite3_bind_int64(counts, 1, expert_id);
	ap_sqlite_stmt_bind_text(counts, 2, service_id);
	while ((rc = sqlite3_step(counts)) == SQLITE_ROW) {
		gint rating = sqlite3_column_int(counts, 0);
		guint n = (guint)sqlite3_column_int64(counts, 1);
		if (rating >= 0 && rating <= AP_FEEDBACK_MAX_RATING) {
			report->histogram[rating] += n;
			report->count += n;
		}
	}
	if (rc != SQLITE_DONE) {
		ap_sqlite_set_error(ap_sqlite_db_get_handle(self->db), rc, error);
		return NULL;
	}
	latest = ap_sqlite_db_prepare(
		self->db,
		"SELECT b.reference, b.expert_id, b.service_id, f.rating, f.comment, f.created_at "
		"FROM feedback f JOIN bookings b ON b.id = f.booking_id "
		"WHERE (?1 = 0 OR b.expert_id = ?1) AND (?2 IS NULL OR b.service_id = ?2) "
		"ORDER BY f.created_at DESC, f.booking_id DESC LIMIT ?3",
		error);
	if (latest == NULL)
		return NULL;
	sqlite3_bind_int64(latest, 1, expert_id);
	ap_sqlite_stmt_bind_text(latest, 2, service_id);
	sqlite3_bind_int64(latest, 3, MAX(limit, 1));
	report->entries = g_ptr_array_new_with_free_func((GDestroyNotify)ap_feedback_free);
	while ((rc = sqlite3_step(latest)) == SQLITE_ROW) {
		ApFeedback *f = g_new0(ApFeedback, 1);
		f->reference = ap_sqlite_stmt_dup_text(latest, 0);
		f->expert_id = sqlite3_column_int64(latest, 1);
		f->service_id = ap_sqlite_stmt_dup_text(latest, 2);
		f->rating = (guint)sqlite3_column_int(latest, 3);
		f->comment = ap_sqlite_stmt_dup_text(latest, 4);
		f->created_at = sqlite3_column_int64(latest, 5);
		g_ptr_array_add(report->entries, f);
	}
	if (rc != SQLITE_DONE) {
		ap_sqlite_set_error(ap_sqlite_db_get_handle(self->db), rc, error);
		return NULL;
	}
	return g_steal_pointer(&report);
}

void
ap_sqlite_store_feedback_class_init(ApStoreClass *store_class)
{
	store_class->booking_set_summary = ap_sqlite_store_booking_set_summary;
	store_class->feedback_add = ap_sqlite_store_feedback_add;
	store_class->feedback_report = ap_sqlite_store_feedback_report;
}
