/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ap-engine.h"

G_BEGIN_DECLS

/*
 * ApBookingDraft: a booking on its way to the store; its fields are the
 * engine's. What reads (the replay of an idempotent retry, the service,
 * the customer's answers, the experts whose hours offer the start) and
 * the manage token are done by
 * ap_engine_book_prepare() on the engine's thread. The write,
 * ap_booking_draft_store(), needs nothing but a store, so that it can run
 * on a thread with a connection of its own (see ApWebWriter): it checks
 * again, in its own transaction, that the slot is free.
 */
struct _ApBookingDraft {
	ApBooking *booking;
	ApService *service;
	GArray *candidates; /* ApCandidate */
	gchar *actor;
	gchar *token;
	gchar *idempotency_key;
	gchar *request_hash;
	GBytes *idem_sealed_token;
	gint64 now; /* the engine's fixed instant, or 0 */
	/* set by the write, or at once for a retry seen before */
	gboolean stored;
	ApBooking *replay;
	GBytes *replay_sealed_token;
};

G_END_DECLS
