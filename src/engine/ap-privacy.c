/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApEngine"

#include "ap-privacy.h"

#include "ap-error.h"

/*
 * The retention period and the right to erasure, over the store's
 * anonymisation (ap_store_privacy_sweep()): what is past the period, or
 * asked to be erased, loses its customer once its last email has gone.
 */

/* bookings a sweep takes at once: one short transaction each batch */
#define AP_PRIVACY_BATCH 200

/**
 * ap_privacy_sweep:
 * @engine: the engine
 * @error: a #GError, or %NULL
 *
 * Anonymises whatever is due: sessions that ended more than the
 * configured `[privacy] retention-days` ago, and bookings whose customer
 * asked to be erased. Short enough for the main loop: it stops after a
 * few batches and the next sweep goes on.
 *
 * Returns: how many bookings were anonymised, -1 on error
 */
gint
ap_privacy_sweep(ApEngine *engine, GError **error)
{
	const ApConfig *config = ap_engine_get_config(engine);
	ApStore *store = ap_engine_get_store(engine);
	gint64 keep_until = G_MININT64;
	gint total = 0;

	if (config->retention_days > 0)
		keep_until = ap_engine_get_now(engine) - (gint64)config->retention_days * 24 * 3600;
	for (guint round = 0; round < 10; round++) {
		gint n = ap_store_privacy_sweep(store, keep_until, AP_PRIVACY_BATCH, error);
		if (n < 0)
			return -1;
		total += n;
		if (n < AP_PRIVACY_BATCH)
			break;
	}
	return total;
}

/**
 * ap_privacy_erase:
 * @engine: the engine
 * @email: the customer's address
 * @actor: who asked, for the bookings' history
 * @cancelled: (out): future sessions cancelled (their customer and expert
 *   are emailed the cancellation)
 * @anonymised: (out): bookings anonymised now; the cancelled ones follow
 *   once their cancellation has been delivered
 * @error: a #GError, or %NULL
 *
 * Everything held about the customer goes. Safe to run again: what was
 * done is not done twice, and what was left is finished.
 *
 * Returns: %TRUE on success; %AP_ERROR_NOT_FOUND if no booking has @email
 */
gboolean
ap_privacy_erase(ApEngine *engine,
		 const gchar *email,
		 const gchar *actor,
		 guint *cancelled,
		 guint *anonymised,
		 GError **error)
{
	ApStore *store = ap_engine_get_store(engine);
	g_autoptr(GPtrArray) bookings = ap_store_customer_bookings(store, email, error);
	gint64 now = ap_engine_get_now(engine);
	gint n;

	*cancelled = 0;
	*anonymised = 0;
	if (bookings == NULL)
		return FALSE;
	if (bookings->len == 0) {
		g_set_error(
			error, AP_ERROR, AP_ERROR_NOT_FOUND, "no booking was made with %s", email);
		return FALSE;
	}
	for (guint i = 0; i < bookings->len; i++) {
		const ApBooking *b = g_ptr_array_index(bookings, i);
		g_autoptr(ApBooking) changed = NULL;

		if (b->status != AP_BOOKING_STATUS_CONFIRMED || b->start <= now)
			continue;
		changed = ap_engine_set_status(engine,
					       b->reference,
					       AP_BOOKING_STATUS_CANCELLED,
					       AP_PRIVACY_ERASE_REASON,
					       actor,
					       error);
		if (changed == NULL) {
			g_prefix_error(error, "booking %s: ", b->reference);
			return FALSE;
		}
		(*cancelled)++;
	}
	if (ap_store_customer_erase_request(store, email, error) < 0)
		return FALSE;
	n = ap_privacy_sweep(engine, error);
	if (n < 0)
		return FALSE;
	*anonymised = (guint)n;
	return TRUE;
}
