/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApStore"

#include "ap-store.h"

/*
 * The abstract store's outbox: every email a change causes, written in
 * the change's own transaction, and the customers' reminders, planned a
 * little before they are due (ap_store_outbox_plan_reminders()).
 */

/**
 * ap_store_outbox_due:
 * @now: the current instant
 * @limit: how many at the most
 * @error: a #GError, or %NULL
 *
 * Returns: (transfer container) (element-type ApOutboxItem) (nullable):
 * the pending emails due by @now, oldest first
 */
GPtrArray *
ap_store_outbox_due(ApStore *self, gint64 now, guint limit, GError **error)
{
	g_return_val_if_fail(AP_IS_STORE(self), NULL);
	return AP_STORE_GET_CLASS(self)->outbox_due(self, now, limit, error);
}

/**
 * ap_store_outbox_list:
 * @booking_id: a booking
 * @error: a #GError, or %NULL
 *
 * Returns: (transfer container) (element-type ApOutboxItem) (nullable):
 * every email the booking has caused, in order, whatever their status
 */
GPtrArray *
ap_store_outbox_list(ApStore *self, gint64 booking_id, GError **error)
{
	g_return_val_if_fail(AP_IS_STORE(self), NULL);
	return AP_STORE_GET_CLASS(self)->outbox_list(self, booking_id, error);
}

/**
 * ap_store_outbox_mark_sent:
 * @id: an outbox row the relay has accepted
 *
 * Returns: %TRUE if recorded
 */
gboolean
ap_store_outbox_mark_sent(ApStore *self, gint64 id, gint64 now, GError **error)
{
	g_return_val_if_fail(AP_IS_STORE(self), FALSE);
	return AP_STORE_GET_CLASS(self)->outbox_mark_sent(self, id, now, error);
}

/**
 * ap_store_outbox_mark_failed:
 * @id: an outbox row whose delivery failed
 * @permanent: the relay refused it for good (5xx): it waits for staff
 * @reason: what went wrong, for the timeline
 *
 * Otherwise the row is tried again after ap_outbox_retry_delay().
 *
 * Returns: %TRUE if recorded
 */
gboolean
ap_store_outbox_mark_failed(ApStore *self,
			    gint64 id,
			    gboolean permanent,
			    const gchar *reason,
			    gint64 now,
			    GError **error)
{
	g_return_val_if_fail(AP_IS_STORE(self), FALSE);
	return AP_STORE_GET_CLASS(self)->outbox_mark_failed(
		self, id, permanent, reason, now, error);
}

/**
 * ap_store_outbox_retry:
 * @id: a dead outbox row
 *
 * Puts an email refused for good back in line, due now.
 *
 * Returns: %TRUE if it was dead and is pending again
 */
gboolean
ap_store_outbox_retry(ApStore *self, gint64 id, gint64 now, GError **error)
{
	g_return_val_if_fail(AP_IS_STORE(self), FALSE);
	return AP_STORE_GET_CLASS(self)->outbox_retry(self, id, now, error);
}

/**
 * ap_store_outbox_stats:
 * @now: the current instant: what is due by then is the outbox's depth
 * @stats: (out caller-allocates): the counts
 *
 * Returns: %TRUE on success
 */
gboolean
ap_store_outbox_stats(ApStore *self, gint64 now, ApOutboxStats *stats, GError **error)
{
	g_return_val_if_fail(AP_IS_STORE(self), FALSE);
	return AP_STORE_GET_CLASS(self)->outbox_stats(self, now, stats, error);
}

/**
 * ap_store_outbox_void:
 * @id: a pending outbox row that must not go (a reminder found stale)
 * @reason: why, for the timeline
 *
 * Returns: %TRUE on success
 */
gboolean
ap_store_outbox_void(ApStore *self, gint64 id, const gchar *reason, GError **error)
{
	g_return_val_if_fail(AP_IS_STORE(self), FALSE);
	return AP_STORE_GET_CLASS(self)->outbox_void(self, id, reason, error);
}

/**
 * ap_store_outbox_list_status:
 * @status: e.g. %AP_OUTBOX_STATUS_DEAD, for the emails waiting for staff
 * @limit: how many at the most
 *
 * Returns: (transfer container) (element-type ApOutboxItem) (nullable):
 * the rows in @status, newest first
 */
GPtrArray *
ap_store_outbox_list_status(ApStore *self, ApOutboxStatus status, guint limit, GError **error)
{
	g_return_val_if_fail(AP_IS_STORE(self), NULL);
	return AP_STORE_GET_CLASS(self)->outbox_list_status(self, status, limit, error);
}

/**
 * ap_store_outbox_plan_reminders:
 * @until: write the reminders due before this instant
 * @planned: (out): how many were written
 * @error: a #GError, or %NULL
 *
 * Writes to the outbox the customers' reminders (a day and an hour
 * before each confirmed session) that fall due before @until and are not
 * there yet, and remembers @until: a booking made or moved afterwards
 * writes its own reminders due before it. Cheap when @until is not past
 * what was planned before (a read, no write). The outbox's thread calls
 * it every few minutes, a little ahead of time.
 *
 * Returns: %TRUE on success
 */
gboolean
ap_store_outbox_plan_reminders(ApStore *self, gint64 until, guint *planned, GError **error)
{
	guint ignored = 0;

	g_return_val_if_fail(AP_IS_STORE(self), FALSE);
	return AP_STORE_GET_CLASS(self)->outbox_plan_reminders(
		self, until, planned != NULL ? planned : &ignored, error);
}
