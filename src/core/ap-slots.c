/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApSlots"

#include "ap-slots.h"

#include "ap-time.h"
#include "ap-zone.h"

/*
 * The slot engine: which starts a service can be booked at with an expert.
 *
 * Pure code, so that it can be tested exhaustively: no I/O and no clock
 * reads; the caller passes the current instant in #ApSlotWindow.
 *
 * Working hours are local wall-clock ranges in the expert's zone. They are
 * turned into instants one local date at a time with ap_local_to_instant(),
 * so that daylight-saving changes come from the zone database:
 *
 *  - a candidate start that does not exist (01:30 on the day the clocks go
 *    forward) is skipped;
 *  - a candidate start in the hour that is repeated when the clocks go back
 *    maps to the earlier of its two instants, so a wall-clock time is
 *    offered once, never twice;
 *  - a session must fit in its range both on the wall clock (start minute
 *    plus duration at most the range's end minute) and in real time (the
 *    session's instants lie between the first existing instants of the
 *    range's start and end minutes); the second check is the one that
 *    matters across a change, the first only bounds the loop.
 *
 * Ranges may end past midnight (up to minute 2880) and then belong to the
 * date they start on; that is why the date before the window is visited
 * too. Two ranges (or two dates) can yield the same instant; it is offered
 * once.
 */

/* half open intervals [a, b) and [c, d) share an instant */
static inline gboolean
ap_slots_overlap(gint64 a, gint64 b, gint64 c, gint64 d)
{
	return a < d && c < b;
}

/**
 * ap_slots_block:
 * @service: the service
 * @start: the session's first instant
 * @end: the first instant after the session
 * @block_start: (out): @start less the service's buffer before
 * @block_end: (out): @end plus the service's buffer after
 *
 * The time a session of @service keeps the expert from other work.
 */
void
ap_slots_block(
	const ApService *service, gint64 start, gint64 end, gint64 *block_start, gint64 *block_end)
{
	g_return_if_fail(service != NULL);
	g_return_if_fail(block_start != NULL);
	g_return_if_fail(block_end != NULL);

	*block_start = start - (gint64)service->buffer_before_minutes * 60;
	*block_end = end + (gint64)service->buffer_after_minutes * 60;
}

/* interned strings are usually pointer-equal; fall back to the text */
static inline gboolean
ap_slots_same_service(const gchar *a, const gchar *b)
{
	return a == b || g_strcmp0(a, b) == 0;
}

/**
 * ap_slots_is_free:
 * @service: the service of the new session
 * @start: the new session's first instant
 * @end: the first instant after it
 * @busy: (array length=n_busy) (nullable): the active bookings of one
 *   expert, in any order
 * @n_busy: the number of entries in @busy
 * @remaining: (out) (optional): seats left at @start once the existing
 *   bookings are counted, or 0 when not free
 *
 * Decides whether a new session of @service at [@start, @end) can be booked
 * with the expert whose bookings are @busy.
 *
 * Let the new block be [@start less the buffer before, @end plus the buffer
 * after] (see ap_slots_block()). An existing booking conflicts if the new
 * block overlaps its session, or the new session overlaps its block, so
 * each side's buffers are kept free of the other's session, but two buffers
 * may overlap each other.
 *
 * The exception is a group session: when @service has a capacity above 1,
 * a booking of the same service with exactly the same start and end takes
 * a seat instead of conflicting. The session is free if nothing conflicts
 * and fewer seats than the capacity are taken.
 *
 * Returns: %TRUE if a session can be booked
 */
gboolean
ap_slots_is_free(const ApService *service,
		 gint64 start,
		 gint64 end,
		 const ApBusy *busy,
		 guint n_busy,
		 guint *remaining)
{
	gint64 nbs, nbe;
	guint taken = 0;

	if (remaining != NULL)
		*remaining = 0;
	g_return_val_if_fail(service != NULL, FALSE);
	g_return_val_if_fail(busy != NULL || n_busy == 0, FALSE);

	ap_slots_block(service, start, end, &nbs, &nbe);
	for (guint i = 0; i < n_busy; i++) {
		const ApBusy *b = &busy[i];
		if (service->capacity > 1 && b->start == start && b->end == end &&
		    ap_slots_same_service(b->service_id, service->id)) {
			taken++;
			continue;
		}
		if (ap_slots_overlap(nbs, nbe, b->start, b->end) ||
		    ap_slots_overlap(start, end, b->block_start, b->block_end))
			return FALSE;
	}
	if (taken >= service->capacity)
		return FALSE;
	if (remaining != NULL)
		*remaining = service->capacity - taken;
	return TRUE;
}

/* the busy entries of one expert, sorted so that a candidate only looks at
 * the few that can touch it */
typedef struct {
	GArray *entries; /* of ApBusy, by ascending lo */
	GArray *lo;	 /* of gint64: MIN(start, block_start) of each entry */
	gint64 max_span; /* the longest MAX(end, block_end) - lo */
} ApSlotsBusyIndex;

static gint
ap_slots_busy_cmp(gconstpointer a, gconstpointer b)
{
	const ApBusy *ba = a, *bb = b;
	gint64 la = MIN(ba->start, ba->block_start);
	gint64 lb = MIN(bb->start, bb->block_start);
	return (la > lb) - (la < lb);
}

static void
ap_slots_busy_index_init(ApSlotsBusyIndex *bidx, gint64 expert_id, const ApBusy *busy, guint n_busy)
{
	bidx->entries = g_array_new(FALSE, FALSE, sizeof(ApBusy));
	bidx->lo = g_array_new(FALSE, FALSE, sizeof(gint64));
	bidx->max_span = 0;
	for (guint i = 0; i < n_busy; i++) {
		if (busy[i].expert_id == expert_id)
			g_array_append_val(bidx->entries, busy[i]);
	}
	g_array_sort(bidx->entries, ap_slots_busy_cmp);
	for (guint i = 0; i < bidx->entries->len; i++) {
		const ApBusy *b = &g_array_index(bidx->entries, ApBusy, i);
		gint64 lo = MIN(b->start, b->block_start);
		gint64 hi = MAX(b->end, b->block_end);
		g_array_append_val(bidx->lo, lo);
		bidx->max_span = MAX(bidx->max_span, hi - lo);
	}
}

static void
ap_slots_busy_index_clear(ApSlotsBusyIndex *bidx)
{
	g_clear_pointer(&bidx->entries, g_array_unref);
	g_clear_pointer(&bidx->lo, g_array_unref);
}

/* the first entry whose lo is at least @value */
static guint
ap_slots_busy_index_lower_bound(const ApSlotsBusyIndex *bidx, gint64 value)
{
	guint lo = 0, hi = bidx->lo->len;
	while (lo < hi) {
		guint mid = lo + (hi - lo) / 2;
		if (g_array_index(bidx->lo, gint64, mid) < value)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* an entry that conflicts with, or shares a seat with, a session whose block
 * is [nbs, nbe) has its own [lo, hi) overlapping [nbs, nbe): the session lies
 * inside its block and the entry's session and block inside [lo, hi); so
 * only entries with nbs - max_span < lo < nbe can matter, and the result is
 * exactly that of ap_slots_is_free() on all of them */
static gboolean
ap_slots_busy_index_is_free(const ApSlotsBusyIndex *bidx,
			    const ApService *service,
			    gint64 start,
			    gint64 end,
			    guint *remaining)
{
	gint64 nbs, nbe;
	guint first, last;

	ap_slots_block(service, start, end, &nbs, &nbe);
	first = ap_slots_busy_index_lower_bound(bidx, nbs - bidx->max_span + 1);
	last = ap_slots_busy_index_lower_bound(bidx, nbe);
	if (first >= last)
		return ap_slots_is_free(service, start, end, NULL, 0, remaining);
	return ap_slots_is_free(service,
				start,
				end,
				&g_array_index(bidx->entries, ApBusy, first),
				last - first,
				remaining);
}

static gboolean
ap_slots_in_time_off(ApExpert *expert, gint64 start, gint64 end)
{
	for (guint i = 0; i < expert->time_off->len; i++) {
		const ApTimeOff *t = g_ptr_array_index(expert->time_off, i);
		if (ap_slots_overlap(start, end, t->start, t->end))
			return TRUE;
	}
	return FALSE;
}

/* the instant of @minute on @date, or of the first minute after it that
 * exists when the clocks skip it; gaps are at most a few hours long */
static gboolean
ap_slots_first_existing(GTimeZone *tz, const GDate *date, gint minute, gint64 *instant)
{
	for (gint m = minute; m <= minute + 180; m++) {
		if (ap_local_to_instant(tz, date, m, instant))
			return TRUE;
	}
	return FALSE;
}

/* local midnight of @date read as if it were UTC */
static gint64
ap_slots_naive_midnight(const GDate *date)
{
	return ((gint64)g_date_get_julian(date) - 719163) * 86400;
}

/* the zone interval (a stretch with one offset) holding @instant */
static gint
ap_slots_interval(GTimeZone *tz, gint64 instant, gint32 *offset)
{
	gint interval;

	*offset = ap_zone_offset_at(tz, instant, &interval);
	return interval;
}

static gint
ap_slots_offer_cmp(gconstpointer a, gconstpointer b)
{
	const ApSlotOffer *oa = a, *ob = b;
	if (oa->start != ob->start)
		return oa->start < ob->start ? -1 : 1;
	if (oa->end != ob->end)
		return oa->end < ob->end ? -1 : 1;
	return (oa->expert_id > ob->expert_id) - (oa->expert_id < ob->expert_id);
}

/* sorts and drops repeats of one start, which two ranges (or a range that
 * crosses midnight and the next date's hours) can both produce */
static void
ap_slots_sort_unique(GArray *offers)
{
	guint n = 0;

	g_array_sort(offers, ap_slots_offer_cmp);
	for (guint i = 0; i < offers->len; i++) {
		ApSlotOffer *o = &g_array_index(offers, ApSlotOffer, i);
		if (n > 0 && g_array_index(offers, ApSlotOffer, n - 1).start == o->start)
			continue;
		g_array_index(offers, ApSlotOffer, n++) = *o;
	}
	g_array_set_size(offers, n);
}

/**
 * ap_slots_horizon_end:
 * @service: the service
 * @now: the current instant
 *
 * The horizon is a duration, the service's `horizon_days` times 86400 s
 * from now: the one place a fixed day length is meant, as "60 days
 * ahead" is a booking policy, not a calendar date in anyone's zone.
 *
 * Returns: the first instant at which no session of @service may start
 */
gint64
ap_slots_horizon_end(const ApService *service, gint64 now)
{
	return now + (gint64)service->horizon_days * 86400;
}

/**
 * ap_slots_for_expert:
 * @service: the service
 * @expert: the expert
 * @window: the current instant and the instants asked for
 * @busy: (array length=n_busy) (nullable): active bookings, possibly of
 *   many experts: only those of @expert are looked at
 * @n_busy: the number of entries in @busy
 *
 * Lists the starts at which a session of @service can be booked with
 * @expert. Nothing is offered if the expert or the service is inactive, or
 * the expert does not give the service.
 *
 * Every local date of the expert's zone from the day before @window's
 * first instant to the date of its last is visited (by calendar arithmetic:
 * local days are 23 to 25 hours long), skipping those that notice and
 * horizon rule out anyway. Each working range of that date
 * (its override, else its weekday's hours) yields candidate starts on a
 * grid of the service's step, counted from local midnight of that date,
 * as long as the session fits in the range (see the top of this file for
 * daylight-saving changes). A candidate is kept if it is in the window,
 * at least the minimum notice after now, before the horizon, clear of the
 * expert's time off (half open), and free by ap_slots_is_free().
 *
 * The horizon is a duration (see ap_slots_horizon_end()).
 *
 * Returns: (transfer full) (element-type ApSlotOffer): the offers, by
 * ascending start, each start once
 */
GArray *
ap_slots_for_expert(const ApService *service,
		    ApExpert *expert,
		    const ApSlotWindow *window,
		    const ApBusy *busy,
		    guint n_busy)
{
	g_autoptr(GArray) offers = g_array_new(FALSE, FALSE, sizeof(ApSlotOffer));
	ApSlotsBusyIndex bidx = {0};
	GTimeZone *tz;
	GDate date, last;
	gint64 earliest, latest;
	guint step, duration;

	g_return_val_if_fail(service != NULL, g_steal_pointer(&offers));
	g_return_val_if_fail(expert != NULL, g_steal_pointer(&offers));
	g_return_val_if_fail(window != NULL, g_steal_pointer(&offers));
	g_return_val_if_fail(busy != NULL || n_busy == 0, g_steal_pointer(&offers));

	/* a service without a step or a duration cannot be validated, and
	 * offers nothing rather than looping forever */
	step = service->step_minutes;
	duration = service->duration_minutes;
	if (!expert->active || !service->active || step == 0 || duration == 0 ||
	    !ap_expert_has_service(expert, service->id))
		return g_steal_pointer(&offers);

	/* every test on the start alone, in one interval */
	earliest = MAX(window->from, window->now + (gint64)service->min_notice_minutes * 60);
	latest = MIN(window->to, ap_slots_horizon_end(service, window->now));
	if (earliest >= latest)
		return g_steal_pointer(&offers);

	/* only the dates whose hours can reach [earliest, latest): a range
	 * belongs to its start date and ends at most a day later */
	tz = ap_expert_get_tz(expert);
	ap_instant_to_local(tz, earliest, &date, NULL);
	g_date_subtract_days(&date, 1);
	ap_instant_to_local(tz, latest, &last, NULL);

	ap_slots_busy_index_init(&bidx, expert->id, busy, n_busy);
	for (; g_date_compare(&date, &last) <= 0; g_date_add_days(&date, 1)) {
		GArray *ranges = ap_expert_get_ranges(expert, &date);

		for (guint i = 0; i < ranges->len; i++) {
			const ApTimeRange *r = &g_array_index(ranges, ApTimeRange, i);
			gint64 range_start, range_end;
			gint32 offset, offset_end;
			gboolean linear;
			guint first;

			if (!ap_slots_first_existing(tz, &date, r->start, &range_start) ||
			    !ap_slots_first_existing(tz, &date, r->end, &range_end))
				continue;

			/* asking the zone about every candidate is what costs
			 * (ap_local_to_instant() searches its transitions six
			 * times); when no change of offset falls inside the
			 * range, each of its wall-clock minutes exists once, at
			 * local midnight plus the minutes less that one offset:
			 * the first reading of the range's start lies in the
			 * stretch, so no later minute was read before it, and
			 * the answer is exactly ap_local_to_instant()'s */
			linear = ap_slots_interval(tz, range_start, &offset) ==
				 ap_slots_interval(tz, range_end, &offset_end);
			first = (r->start + step - 1) / step * step;
			/* with one offset, starts rise with minutes: begin at the
			 * first that can be in the window (a question about one
			 * start looks at one candidate, not a day's worth) */
			if (linear) {
				gint64 midnight = ap_slots_naive_midnight(&date) - offset;
				if (earliest > midnight + (gint64)first * 60) {
					gint64 skip = (earliest - midnight + 59) / 60;
					skip = (skip + step - 1) / step * step;
					first = (guint)MIN(skip, (gint64)r->end);
				}
			}
			for (guint m = first; m + duration <= r->end; m += step) {
				ApSlotOffer offer = {.expert_id = expert->id};

				if (linear)
					offer.start = ap_slots_naive_midnight(&date) +
						      (gint64)m * 60 - offset;
				else if (!ap_local_to_instant(tz, &date, (gint)m, &offer.start))
					continue;
				offer.end = offer.start + (gint64)duration * 60;
				if (offer.start < range_start || offer.end > range_end)
					continue;
				if (linear && offer.start >= latest)
					break;
				if (offer.start < earliest || offer.start >= latest)
					continue;
				if (ap_slots_in_time_off(expert, offer.start, offer.end))
					continue;
				if (!ap_slots_busy_index_is_free(&bidx,
								 service,
								 offer.start,
								 offer.end,
								 &offer.remaining))
					continue;
				g_array_append_val(offers, offer);
			}
		}
	}
	ap_slots_busy_index_clear(&bidx);
	ap_slots_sort_unique(offers);
	return g_steal_pointer(&offers);
}

/**
 * ap_slots_is_offered:
 * @service: the service
 * @expert: the expert
 * @now: the current instant
 * @start: a proposed start
 *
 * Whether @start is one of the starts ap_slots_for_expert() would list if
 * the expert had no bookings: this tells a start that was never offered
 * (HTTP 422) from one that has been taken (HTTP 409).
 *
 * Returns: %TRUE if @start is on the expert's grid, in their hours, clear of
 * their time off, and within the service's notice and horizon
 */
gboolean
ap_slots_is_offered(const ApService *service, ApExpert *expert, gint64 now, gint64 start)
{
	ApSlotWindow window = {.now = now, .from = start, .to = start + 1};
	g_autoptr(GArray) offers = NULL;

	g_return_val_if_fail(service != NULL, FALSE);
	g_return_val_if_fail(expert != NULL, FALSE);

	offers = ap_slots_for_expert(service, expert, &window, NULL, 0);
	return offers->len > 0;
}

/**
 * ap_slots_merge:
 * @offers: (element-type ApSlotOffer): offers of several experts, in any
 *   order
 *
 * Groups offers with the same start and end into the slots a customer
 * chooses from. An expert listed twice at one start counts once.
 *
 * Returns: (transfer container) (element-type ApSlot): the slots by
 * ascending start, each with its experts ascending and the seats left
 * summed over them
 */
GPtrArray *
ap_slots_merge(GArray *offers)
{
	g_autoptr(GPtrArray) slots = g_ptr_array_new_with_free_func((GDestroyNotify)ap_slot_free);
	g_autoptr(GArray) sorted = NULL;
	ApSlot *slot = NULL;

	g_return_val_if_fail(offers != NULL, g_steal_pointer(&slots));

	sorted = g_array_sized_new(FALSE, FALSE, sizeof(ApSlotOffer), offers->len);
	g_array_append_vals(sorted, offers->data, offers->len);
	g_array_sort(sorted, ap_slots_offer_cmp);
	for (guint i = 0; i < sorted->len; i++) {
		const ApSlotOffer *o = &g_array_index(sorted, ApSlotOffer, i);

		if (slot == NULL || slot->start != o->start || slot->end != o->end) {
			slot = g_new0(ApSlot, 1);
			slot->start = o->start;
			slot->end = o->end;
			slot->experts = g_array_new(FALSE, FALSE, sizeof(gint64));
			g_ptr_array_add(slots, slot);
		} else if (g_array_index(slot->experts, gint64, slot->experts->len - 1) ==
			   o->expert_id) {
			/* sorted by expert within a start: a repeat is adjacent */
			continue;
		}
		g_array_append_val(slot->experts, o->expert_id);
		slot->remaining += o->remaining;
	}
	return g_steal_pointer(&slots);
}

/**
 * ap_slot_free:
 * @slot: (nullable): a slot from ap_slots_merge()
 */
void
ap_slot_free(ApSlot *slot)
{
	if (slot == NULL)
		return;
	g_array_unref(slot->experts);
	g_free(slot);
}
