/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ap-expert.h"
#include "ap-service.h"

G_BEGIN_DECLS

/**
 * ApBusy:
 * @booking_id: the booking holding the time
 * @expert_id: the expert it is with
 * @service_id: its service (capacity is shared only within one service)
 * @start: the session's first instant
 * @end: the first instant after it
 * @block_start: @start less the service's buffer before
 * @block_end: @end plus the service's buffer after
 *
 * Time an expert's active booking holds. @service_id is an interned
 * string (g_intern_string()); nothing is owned.
 */
typedef struct {
	gint64 booking_id;
	gint64 expert_id;
	const gchar *service_id;
	gint64 start;
	gint64 end;
	gint64 block_start;
	gint64 block_end;
} ApBusy;

/**
 * ApSlotOffer:
 * @start: first instant
 * @end: first instant after
 * @expert_id: who is free then
 * @remaining: seats left: 1 for a free one-to-one slot, up to the
 *   service's capacity for a group session
 *
 * One expert free at one start.
 */
typedef struct {
	gint64 start;
	gint64 end;
	gint64 expert_id;
	guint remaining;
} ApSlotOffer;

/**
 * ApSlot:
 * @start: first instant
 * @end: first instant after
 * @experts: (element-type gint64): ids of the experts free then, ascending
 * @remaining: seats left across those experts
 *
 * A start a customer can choose, with everyone who can take it.
 */
typedef struct {
	gint64 start;
	gint64 end;
	GArray *experts;
	guint remaining;
} ApSlot;

/**
 * ApSlotWindow:
 * @now: the current instant; nothing starts before @now plus the
 *   service's minimum notice, nor at or after @now plus its horizon
 * @from: first instant asked for
 * @to: first instant not asked for; half open
 *
 * Which starts a computation may return.
 */
typedef struct {
	gint64 now;
	gint64 from;
	gint64 to;
} ApSlotWindow;

void
ap_slots_block(
	const ApService *service, gint64 start, gint64 end, gint64 *block_start, gint64 *block_end);
gboolean
ap_slots_is_free(const ApService *service,
		 gint64 start,
		 gint64 end,
		 const ApBusy *busy,
		 guint n_busy,
		 guint *remaining);
GArray *
ap_slots_for_expert(const ApService *service,
		    ApExpert *expert,
		    const ApSlotWindow *window,
		    const ApBusy *busy,
		    guint n_busy);
gint64
ap_slots_horizon_end(const ApService *service, gint64 now);
gboolean
ap_slots_is_offered(const ApService *service, ApExpert *expert, gint64 now, gint64 start);
GPtrArray *
ap_slots_merge(GArray *offers);
void
ap_slot_free(ApSlot *slot);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(ApSlot, ap_slot_free)

G_END_DECLS
