/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApEngine"

#include "ap-booking-draft.h"

/**
 * ap_booking_draft_free:
 * @draft: (nullable): a draft
 *
 * Frees @draft, on the thread that prepared it (it holds references
 * shared with that thread's engine).
 */
void
ap_booking_draft_free(ApBookingDraft *draft)
{
	if (draft == NULL)
		return;
	g_clear_pointer(&draft->booking, ap_booking_free);
	g_clear_pointer(&draft->service, ap_service_unref);
	g_clear_pointer(&draft->candidates, g_array_unref);
	g_free(draft->actor);
	g_free(draft->token);
	g_free(draft->idempotency_key);
	g_free(draft->request_hash);
	g_clear_pointer(&draft->idem_sealed_token, g_bytes_unref);
	g_clear_pointer(&draft->replay, ap_booking_free);
	g_clear_pointer(&draft->replay_sealed_token, g_bytes_unref);
	g_free(draft);
}

/**
 * ap_booking_draft_store:
 * @draft: a draft from ap_engine_book_prepare()
 * @store: where to write it; any thread's own connection
 * @error: a #GError, or %NULL
 *
 * Writes the booking, its history and its emails in one transaction (a
 * savepoint within a batch), unless an idempotent retry already found the
 * booking made the first time. Touches nothing the preparing thread
 * shares, so it may run on another thread than the draft's.
 *
 * Returns: %TRUE if stored (durable once the batch, if any, commits)
 */
gboolean
ap_booking_draft_store(ApBookingDraft *draft, ApStore *store, GError **error)
{
	ApIdempotency idem = {
		draft->idempotency_key, draft->request_hash, draft->idem_sealed_token};

	g_return_val_if_fail(draft->booking != NULL || draft->stored, FALSE);

	if (draft->stored)
		return TRUE;
	if (draft->now != 0)
		ap_store_set_now(store, draft->now);
	if (!ap_store_booking_create(store,
				     draft->booking,
				     draft->service,
				     (const ApCandidate *)draft->candidates->data,
				     draft->candidates->len,
				     draft->idempotency_key != NULL ? &idem : NULL,
				     draft->actor,
				     error)) {
		ap_idempotency_clear(&idem);
		return FALSE;
	}
	draft->replay = g_steal_pointer(&idem.replay);
	draft->replay_sealed_token = g_steal_pointer(&idem.replay_sealed_token);
	draft->stored = TRUE;
	return TRUE;
}
