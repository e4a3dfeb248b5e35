/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApEngine"

#include "ap-engine-book.h"

#include "ap-engine-private.h"
#include "ap-secret.h"

/*
 * A new booking, from request to stored (see ApBookingDraft). The draft
 * is made and freed on the thread of the engine that prepared it; the
 * store step may run on another thread, with an engine (and so a
 * connection and a catalogue) of its own, and touches nothing of the
 * preparing engine's. It reads @request's answers through the booking,
 * which keeps a reference to them: whoever hands a draft to another
 * thread hands the answers with it (ap-web-bookings.c keeps the whole
 * request body, untouched, until the booking is answered).
 */
struct _ApBookingDraft {
	ApBooking *booking;
	ApService *service;
	GArray *candidates;	      /* ApCandidate */
	gint64 expert_id;	      /* the one asked for, or 0 */
	guint64 catalogue_generation; /* read before the service and candidates */
	gchar *actor;
	gchar *token;
	gchar *idempotency_key;
	gchar *request_hash;
	GBytes *idem_sealed_token;
	gint64 now; /* the preparing engine's fixed instant, or 0 */
	/* set by the store step, or at once for a retry seen before */
	gboolean stored;
	ApBooking *replay;
	GBytes *replay_sealed_token;
};

/**
 * ap_booking_draft_free:
 * @draft: (nullable): a draft
 *
 * Frees @draft, on the thread that prepared it.
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
 * ap_booking_draft_is_stored:
 *
 * Returns: %TRUE once there is nothing left to write: stored, or an
 * idempotent retry already answered by the booking made the first time
 */
gboolean
ap_booking_draft_is_stored(const ApBookingDraft *draft)
{
	return draft->stored;
}

/**
 * ap_engine_book_prepare:
 * @request: what the customer asked for; its answers are referenced,
 *   not copied (see above)
 * @actor: who is booking, for the history
 * @error: a #GError, or %NULL
 *
 * Checks @request and reads what its booking needs, writing nothing.
 *
 * Returns: (transfer full) (nullable): the draft, to be stored with
 * ap_engine_book_store() and answered with ap_engine_book_finish()
 */
ApBookingDraft *
ap_engine_book_prepare(ApEngine *self,
		       const ApBookingRequest *request,
		       const gchar *actor,
		       GError **error)
{
	ApStore *store = ap_engine_get_store(self);
	g_autoptr(ApBookingDraft) draft = g_new0(ApBookingDraft, 1);
	g_autoptr(ApBooking) booking = ap_booking_new();
	g_autofree gchar *uuid = NULL;
	gint64 made_ms;

	g_return_val_if_fail(AP_IS_ENGINE(self), NULL);

	draft->actor = g_strdup(actor);
	draft->now = ap_engine_get_fixed_now(self);
	draft->expert_id = request->expert_id;
	/* a retry is answered as the first time, whatever has changed since */
	if (request->idempotency_key != NULL) {
		ApIdempotency seen = {NULL};

		draft->idempotency_key = g_strdup(request->idempotency_key);
		draft->request_hash =
			g_strdup(request->request_hash != NULL ? request->request_hash : "");
		seen.key = draft->idempotency_key;
		seen.request_hash = draft->request_hash;
		if (!ap_store_idempotency_replay(store, &seen, error))
			return NULL;
		if (seen.replay != NULL) {
			draft->stored = TRUE;
			draft->replay = g_steal_pointer(&seen.replay);
			draft->replay_sealed_token = g_steal_pointer(&seen.replay_sealed_token);
			return g_steal_pointer(&draft);
		}
	}
	/* before the catalogue is read, so that the store step never takes
	 * what was read for newer than it is */
	draft->catalogue_generation = ap_store_get_catalogue_generation(store);
	draft->service = ap_engine_get_bookable_service(self, request->service_id, error);
	if (draft->service == NULL)
		return NULL;
	if (!ap_engine_check_customer(request, draft->service, error))
		return NULL;
	draft->candidates = ap_engine_candidates(
		self, draft->service, request->start, request->expert_id, error);
	if (draft->candidates == NULL)
		return NULL;

	made_ms = g_get_real_time() / 1000;
	draft->token = ap_manage_token_generate(made_ms);
	uuid = g_uuid_string_random();
	booking->token_hash = ap_token_hash(draft->token);
	booking->sealed_token = ap_engine_seal(self, draft->token);
	booking->service_id = g_strdup(draft->service->id);
	booking->start = request->start;
	booking->end = request->start + (gint64)draft->service->duration_minutes * 60;
	booking->channel = request->channel;
	booking->customer_name = g_strdup(request->customer_name);
	booking->customer_email = g_strdup(request->customer_email);
	booking->customer_phone =
		request->customer_phone != NULL && *request->customer_phone != '\0'
			? g_strdup(request->customer_phone)
			: NULL;
	if (request->customer_locale != NULL && *request->customer_locale != '\0') {
		g_free(booking->customer_locale);
		booking->customer_locale = g_strdup(request->customer_locale);
	}
	booking->customer_timezone = g_strdup(request->customer_timezone);
	booking->answers = request->answers != NULL ? json_object_ref(request->answers) : NULL;
	/* the time first, as in the manage token: UIDs made later sort after
	 * those made earlier, in the index that keeps them unique */
	booking->ical_uid = g_strdup_printf("%012" G_GINT64_MODIFIER "x-%s@%s",
					    made_ms,
					    uuid,
					    ap_config_get_mail_domain(ap_engine_get_config(self)));
	booking->sequence = 0;
	draft->booking = g_steal_pointer(&booking);
	if (draft->idempotency_key != NULL)
		draft->idem_sealed_token = ap_engine_seal(self, draft->token);
	return g_steal_pointer(&draft);
}

/* the catalogue changed since the draft was prepared (a service ended,
 * an expert's hours or time off): the offer is read again, and the
 * answers checked against the service's questions as they are now */
static gboolean
ap_engine_book_offer_again(ApEngine *self, ApBookingDraft *draft, GError **error)
{
	ApBooking *booking = draft->booking;
	g_autoptr(ApService) service = NULL;
	g_autoptr(GArray) candidates = NULL;

	service = ap_engine_get_bookable_service(self, booking->service_id, error);
	if (service == NULL || !ap_service_check_answers(service, booking->answers, error))
		return FALSE;
	candidates = ap_engine_candidates(self, service, booking->start, draft->expert_id, error);
	if (candidates == NULL)
		return FALSE;
	booking->end = booking->start + (gint64)service->duration_minutes * 60;
	g_clear_pointer(&draft->service, ap_service_unref);
	g_clear_pointer(&draft->candidates, g_array_unref);
	draft->service = g_steal_pointer(&service);
	draft->candidates = g_steal_pointer(&candidates);
	return TRUE;
}

/**
 * ap_engine_book_store:
 * @self: the engine of the thread writing, its store that thread's own
 * @draft: a draft from ap_engine_book_prepare(), by this engine or
 *   another on the same database
 * @error: a #GError, or %NULL
 *
 * Writes the booking, its history and its emails in one transaction (a
 * savepoint within a batch), unless an idempotent retry already found the
 * booking made the first time. What the draft was prepared from is read
 * again if the catalogue has changed since; within a batch, which holds
 * the write lock from its start, what is read then stays true until the
 * commit.
 *
 * Returns: %TRUE if stored (durable once the batch, if any, commits)
 */
gboolean
ap_engine_book_store(ApEngine *self, ApBookingDraft *draft, GError **error)
{
	ApStore *store = ap_engine_get_store(self);
	ApIdempotency idem = {
		draft->idempotency_key, draft->request_hash, draft->idem_sealed_token};
	guint64 generation;

	if (draft->stored)
		return TRUE;
	if (ap_engine_get_fixed_now(self) != draft->now)
		ap_engine_set_now(self, draft->now);
	generation = ap_store_get_catalogue_generation(store);
	if ((generation == 0 || generation != draft->catalogue_generation) &&
	    !ap_engine_book_offer_again(self, draft, error))
		return FALSE;
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
/**
 * ap_engine_book_finish:
 * @draft: a draft, stored
 * @token: (out) (optional): the manage token, the only time it is known
 * @replayed: (out) (optional): %TRUE when an idempotent retry answered
 *   with the booking made the first time
 *
 * Returns: (transfer full): the confirmed booking
 */
ApBooking *
ap_engine_book_finish(ApEngine *self, ApBookingDraft *draft, gchar **token, gboolean *replayed)
{
	g_return_val_if_fail(AP_IS_ENGINE(self), NULL);
	g_return_val_if_fail(draft->stored, NULL);

	if (replayed != NULL)
		*replayed = draft->replay != NULL;
	if (draft->replay != NULL) {
		if (token != NULL)
			*token = ap_engine_unseal_token(self, draft->replay_sealed_token);
		return g_steal_pointer(&draft->replay);
	}
	/* once only: the booking is the caller's from here */
	g_return_val_if_fail(draft->booking != NULL, NULL);
	g_info("booking %s made for %s at %" G_GINT64_FORMAT " with expert %" G_GINT64_FORMAT,
	       draft->booking->reference,
	       draft->booking->service_id,
	       draft->booking->start,
	       draft->booking->expert_id);
	if (token != NULL)
		*token = g_steal_pointer(&draft->token);
	return g_steal_pointer(&draft->booking);
}

/**
 * ap_engine_book:
 * @request: what the customer asked for
 * @actor: who is booking, for the history
 * @token: (out) (optional): the manage token, the only time it is known
 * @replayed: (out) (optional): %TRUE when an idempotent retry answered
 *   with the booking made the first time
 * @error: a #GError, or %NULL
 *
 * Prepares, stores and finishes a booking on the engine's own store.
 *
 * Returns: (transfer full) (nullable): the confirmed booking
 */
ApBooking *
ap_engine_book(ApEngine *self,
	       const ApBookingRequest *request,
	       const gchar *actor,
	       gchar **token,
	       gboolean *replayed,
	       GError **error)
{
	g_autoptr(ApBookingDraft) draft = ap_engine_book_prepare(self, request, actor, error);

	if (draft == NULL || !ap_engine_book_store(self, draft, error))
		return NULL;
	return ap_engine_book_finish(self, draft, token, replayed);
}
