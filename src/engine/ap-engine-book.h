/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ap-engine.h"

G_BEGIN_DECLS

/**
 * ApBookingDraft:
 *
 * A booking on its way to the store, in three steps, so that the write
 * can run on another thread than the rest (see ApWebWriter):
 * ap_engine_book_prepare() checks the request and reads what it needs
 * (the replay of an idempotent retry, the service, the experts whose
 * hours offer the start) and makes the manage token, writing nothing;
 * ap_engine_book_store() writes it on an engine of its own thread,
 * reading the offer again if the catalogue changed meanwhile and
 * checking that the slot is still free, in its transaction;
 * ap_engine_book_finish() gives the booking to answer with.
 */
typedef struct _ApBookingDraft ApBookingDraft;

ApBookingDraft *
ap_engine_book_prepare(ApEngine *self,
		       const ApBookingRequest *request,
		       const gchar *actor,
		       GError **error);
gboolean
ap_engine_book_store(ApEngine *self, ApBookingDraft *draft, GError **error);
ApBooking *
ap_engine_book_finish(ApEngine *self, ApBookingDraft *draft, gchar **token, gboolean *replayed);
gboolean
ap_booking_draft_is_stored(const ApBookingDraft *draft);
void
ap_booking_draft_free(ApBookingDraft *draft);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(ApBookingDraft, ap_booking_draft_free)

G_END_DECLS
