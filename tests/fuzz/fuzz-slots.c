/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "ap-slots.h"
#include "ap-time.h"
#include "fuzz.h"

/*
 * The slot engine's rules, on cases the input builds: a zone, a service
 * (length, step, buffers, notice, horizon, capacity), a week of hours
 * (ranges may cross midnight), an override, time off, bookings of this
 * expert and of another, and a window around a clock change. The rules
 * are those of tests/test-slots-property.c, written out again:
 *
 *  - offers ascend strictly by start, each of this expert, one duration
 *    long, with 1 to capacity seats;
 *  - each is in the window, at least the notice after now and before the
 *    horizon, inside a working range of its date (or of the date before,
 *    for a range past midnight) on that date's grid, clear of time off,
 *    and clear of every booking and its buffers (a group session may
 *    share a start) with the seats the bookings leave;
 *  - the offers without bookings or time off are a superset, and
 *    ap_slots_is_offered() agrees with them;
 *  - ap_slots_merge() of two experts' offers keeps every start once.
 */

static const gchar *fuzz_zones[] = {"Europe/London",
				    "America/New_York",
				    "Australia/Sydney",
				    "Asia/Kathmandu",
				    "America/St_Johns",
				    "Australia/Lord_Howe",
				    "America/Havana",
				    "UTC"};
/* around clock changes of 2027, and a quiet date */
static const gchar *fuzz_anchors[] = {"2027-03-14",
				      "2027-03-28",
				      "2027-04-04",
				      "2027-10-03",
				      "2027-10-31",
				      "2027-11-07",
				      "2027-06-20"};
static const guint fuzz_steps[] = {5, 10, 15, 20, 30, 45, 60, 90, 120, 240};

#define FUZZ_SERVICE "personal-styling"

static gint64
fuzz_first_existing(GTimeZone *tz, const GDate *date, gint minute)
{
	gint64 instant = 0;

	for (gint m = minute; m <= minute + 180; m++) {
		if (ap_local_to_instant(tz, date, m, &instant))
			return instant;
	}
	g_assert_not_reached();
	return 0;
}

/* as test-slots-property.c: a start of a range of its local date or of
 * the date before, on the grid, ending by the range's end */
static gboolean
fuzz_in_hours(const ApService *service, ApExpert *expert, gint64 start, gint64 end)
{
	GTimeZone *tz = ap_expert_get_tz(expert);
	GDate local;
	guint minute;

	ap_instant_to_local(tz, start, &local, &minute);
	for (guint back = 0; back <= 1; back++) {
		GDate base = local;
		GArray *ranges;
		guint m = minute + back * AP_MINUTES_PER_DAY;

		g_date_subtract_days(&base, back);
		ranges = ap_expert_get_ranges(expert, &base);
		for (guint i = 0; i < ranges->len; i++) {
			const ApTimeRange *r = &g_array_index(ranges, ApTimeRange, i);
			if (m < r->start || m >= r->end || m % service->step_minutes != 0)
				continue;
			if (end > fuzz_first_existing(tz, &base, r->end))
				continue;
			return TRUE;
		}
	}
	return FALSE;
}

static gboolean
fuzz_busy_allows(const ApService *service,
		 gint64 expert_id,
		 gint64 start,
		 gint64 end,
		 GArray *busy,
		 guint *remaining)
{
	gint64 nbs = start - (gint64)service->buffer_before_minutes * 60;
	gint64 nbe = end + (gint64)service->buffer_after_minutes * 60;
	guint taken = 0;

	for (guint i = 0; i < busy->len; i++) {
		const ApBusy *b = &g_array_index(busy, ApBusy, i);
		if (b->expert_id != expert_id)
			continue;
		if (service->capacity > 1 && g_strcmp0(b->service_id, service->id) == 0 &&
		    b->start == start && b->end == end) {
			taken++;
			continue;
		}
		if ((nbs < b->end && b->start < nbe) ||
		    (start < b->block_end && b->block_start < end))
			return FALSE;
	}
	if (taken >= service->capacity)
		return FALSE;
	*remaining = service->capacity - taken;
	return TRUE;
}

static gboolean
fuzz_in_time_off(ApExpert *expert, gint64 start, gint64 end)
{
	for (guint i = 0; i < expert->time_off->len; i++) {
		const ApTimeOff *t = g_ptr_array_index(expert->time_off, i);
		if (start < t->end && t->start < end)
			return TRUE;
	}
	return FALSE;
}

/* up to three ranges of a day, sorted and apart, from the input */
static void
fuzz_ranges(FuzzReader *r, GArray *ranges)
{
	guint n = fuzz_u8(r) % 4;
	guint cursor = 0;

	for (guint i = 0; i < n; i++) {
		ApTimeRange range;
		guint start = cursor + fuzz_pick(r, 12 * 60);
		guint length = 1 + fuzz_pick(r, AP_MINUTES_PER_DAY);

		if (start >= AP_MINUTES_PER_DAY)
			break;
		range.start = (guint16)start;
		range.end = (guint16)MIN(start + length, 2 * AP_MINUTES_PER_DAY);
		g_array_append_val(ranges, range);
		cursor = range.end;
	}
	g_assert_true(ap_time_ranges_validate(ranges, NULL));
}

static ApExpert *
fuzz_expert(FuzzReader *r, gint64 id, const gchar *zone)
{
	ApExpert *expert = ap_expert_new();

	expert->id = id;
	g_assert_true(ap_expert_set_timezone(expert, zone, NULL));
	g_ptr_array_add(expert->services, g_strdup(FUZZ_SERVICE));
	for (guint d = 0; d < 7; d++)
		fuzz_ranges(r, expert->hours->days[d]);
	return expert;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FuzzReader r = {data, size};
	const gchar *zone = fuzz_zones[fuzz_u8(&r) % G_N_ELEMENTS(fuzz_zones)];
	const gchar *anchor = fuzz_anchors[fuzz_u8(&r) % G_N_ELEMENTS(fuzz_anchors)];
	const gchar *service_id = g_intern_string(FUZZ_SERVICE);
	g_autoptr(ApService) service = ap_service_new(FUZZ_SERVICE);
	g_autoptr(ApExpert) expert = NULL;
	g_autoptr(ApExpert) other = NULL;
	g_autoptr(GArray) busy = g_array_new(FALSE, FALSE, sizeof(ApBusy));
	g_autoptr(GArray) plain = NULL;
	g_autoptr(GArray) offers = NULL;
	g_autoptr(GArray) other_offers = NULL;
	g_autoptr(GArray) both = NULL;
	g_autoptr(GPtrArray) slots = NULL;
	GTimeZone *tz;
	ApSlotWindow window;
	GDate first, last;
	gint64 ignored;
	guint n;

	fuzz_init();
	if (size > 4096)
		return 0;

	/* a service ap_service_validate() would accept */
	service->duration_minutes = 5 + fuzz_pick(&r, AP_SERVICE_MAX_DURATION_MINUTES - 4);
	service->step_minutes = fuzz_steps[fuzz_u8(&r) % G_N_ELEMENTS(fuzz_steps)];
	service->buffer_before_minutes = fuzz_pick(&r, AP_SERVICE_MAX_BUFFER_MINUTES + 1);
	service->buffer_after_minutes = fuzz_pick(&r, AP_SERVICE_MAX_BUFFER_MINUTES + 1);
	service->min_notice_minutes = fuzz_pick(&r, 3 * AP_MINUTES_PER_DAY);
	service->horizon_days = 1 + fuzz_pick(&r, 30);
	service->capacity = 1 + fuzz_u8(&r) % 4;
	g_assert_true(ap_service_validate(service, NULL));

	expert = fuzz_expert(&r, 1, zone);
	tz = ap_expert_get_tz(expert);

	/* a window of up to 5 local days, maybe starting and ending inside
	 * one; now somewhat before it or inside it */
	g_assert_true(ap_date_parse(anchor, &first, NULL));
	g_date_subtract_days(&first, fuzz_u8(&r) % 4);
	last = first;
	g_date_add_days(&last, fuzz_u8(&r) % 5);
	ap_local_day_bounds(tz, &first, &window.from, &ignored);
	ap_local_day_bounds(tz, &last, &ignored, &window.to);
	window.from += fuzz_pick(&r, 86400);
	window.to -= fuzz_pick(&r, 86400);
	window.now = window.from - 2 * 86400 + (gint64)fuzz_pick(&r, 3 * 86400);

	/* an override on a date of the window, maybe a day off */
	if (fuzz_u8(&r) % 2 == 1) {
		GDate date = first;
		ApDateOverride *o;

		g_date_add_days(&date, fuzz_u8(&r) % 5);
		o = ap_date_override_new(&date);
		fuzz_ranges(&r, o->ranges);
		g_ptr_array_add(expert->overrides, o);
	}

	plain = ap_slots_for_expert(service, expert, &window, NULL, 0);

	/* bookings, of this expert and of another, of this service and of
	 * another; group seats at offered starts; then time off */
	n = fuzz_u8(&r) % 12;
	for (guint i = 0; i < n; i++) {
		ApBusy b = {.booking_id = i + 1};
		guint8 how = fuzz_u8(&r);

		b.expert_id = (how & 1) != 0 ? 2 : 1;
		b.service_id = (how & 2) != 0 ? g_intern_string("other") : service_id;
		if ((how & 4) != 0 && plain->len > 0) {
			const ApSlotOffer *o =
				&g_array_index(plain, ApSlotOffer, fuzz_pick(&r, plain->len));
			b.start = o->start;
			b.end = o->end;
			ap_slots_block(service, b.start, b.end, &b.block_start, &b.block_end);
		} else {
			b.start = window.from - 86400 + (gint64)fuzz_pick(&r, 7 * 288) * 300;
			b.end = b.start + 60 * (gint64)(5 + fuzz_pick(&r, 480));
			b.block_start = b.start - 60 * (gint64)fuzz_pick(&r, 241);
			b.block_end = b.end + 60 * (gint64)fuzz_pick(&r, 241);
		}
		g_array_append_val(busy, b);
	}
	n = fuzz_u8(&r) % 3;
	for (guint i = 0; i < n; i++) {
		gint64 start = window.from - 86400 + (gint64)fuzz_u32(&r) % (7 * 86400);
		gint64 end = start + 1 + (gint64)fuzz_u32(&r) % (2 * 86400);
		g_ptr_array_add(expert->time_off, ap_time_off_new(start, end, NULL));
	}

	offers = ap_slots_for_expert(
		service, expert, &window, (const ApBusy *)(gpointer)busy->data, busy->len);
	for (guint i = 0, j = 0; i < offers->len; i++) {
		const ApSlotOffer *o = &g_array_index(offers, ApSlotOffer, i);
		guint remaining = 0;

		if (i > 0)
			g_assert_cmpint(
				g_array_index(offers, ApSlotOffer, i - 1).start, <, o->start);
		g_assert_cmpint(o->expert_id, ==, expert->id);
		g_assert_cmpint(o->end - o->start, ==, (gint64)service->duration_minutes * 60);
		g_assert_cmpuint(o->remaining, >=, 1);
		g_assert_cmpuint(o->remaining, <=, service->capacity);
		g_assert_cmpint(o->start, >=, window.from);
		g_assert_cmpint(o->start, <, window.to);
		g_assert_cmpint(
			o->start, >=, window.now + (gint64)service->min_notice_minutes * 60);
		g_assert_cmpint(o->start, <, window.now + (gint64)service->horizon_days * 86400);
		g_assert_true(fuzz_in_hours(service, expert, o->start, o->end));
		g_assert_false(fuzz_in_time_off(expert, o->start, o->end));
		g_assert_true(
			fuzz_busy_allows(service, expert->id, o->start, o->end, busy, &remaining));
		g_assert_cmpuint(remaining, ==, o->remaining);
		/* and one of the offers without bookings or time off */
		while (j < plain->len && g_array_index(plain, ApSlotOffer, j).start < o->start)
			j++;
		g_assert_cmpuint(j, <, plain->len);
		g_assert_cmpint(g_array_index(plain, ApSlotOffer, j).start, ==, o->start);
	}
	/* the rules that remove an offer are the only ones */
	{
		guint kept = 0;
		for (guint i = 0; i < plain->len; i++) {
			const ApSlotOffer *o = &g_array_index(plain, ApSlotOffer, i);
			guint remaining = 0;
			g_assert_cmpuint(o->remaining, ==, service->capacity);
			if (!fuzz_in_time_off(expert, o->start, o->end) &&
			    fuzz_busy_allows(
				    service, expert->id, o->start, o->end, busy, &remaining))
				kept++;
			/* is_offered() minds the time off, as the plain offers
			 * (made before it was added) do not */
			if (i < 8 && !fuzz_in_time_off(expert, o->start, o->end)) {
				g_assert_true(
					ap_slots_is_offered(service, expert, window.now, o->start));
				g_assert_false(ap_slots_is_offered(
					service, expert, window.now, o->start + 60));
			}
		}
		g_assert_cmpuint(kept, ==, offers->len);
	}

	/* two experts' offers, merged: every start once, experts ascending */
	other = fuzz_expert(&r, 2, fuzz_zones[fuzz_u8(&r) % G_N_ELEMENTS(fuzz_zones)]);
	other_offers = ap_slots_for_expert(
		service, other, &window, (const ApBusy *)(gpointer)busy->data, busy->len);
	both = g_array_new(FALSE, FALSE, sizeof(ApSlotOffer));
	g_array_append_vals(both, other_offers->data, other_offers->len);
	g_array_append_vals(both, offers->data, offers->len);
	g_array_append_vals(both, offers->data, MIN(offers->len, 3));
	slots = ap_slots_merge(both);
	{
		guint total = 0;
		for (guint i = 0; i < slots->len; i++) {
			const ApSlot *s = g_ptr_array_index(slots, i);
			guint seats = 0;
			if (i > 0) {
				const ApSlot *p = g_ptr_array_index(slots, i - 1);
				g_assert_true(p->start < s->start ||
					      (p->start == s->start && p->end < s->end));
			}
			g_assert_cmpuint(s->experts->len, >=, 1);
			g_assert_cmpuint(s->experts->len, <=, 2);
			for (guint k = 1; k < s->experts->len; k++)
				g_assert_cmpint(g_array_index(s->experts, gint64, k - 1),
						<,
						g_array_index(s->experts, gint64, k));
			for (guint k = 0; k < s->experts->len; k++)
				seats += service->capacity;
			g_assert_cmpuint(s->remaining, >=, s->experts->len);
			g_assert_cmpuint(s->remaining, <=, seats);
			total += s->experts->len;
		}
		g_assert_cmpuint(total, ==, offers->len + other_offers->len);
	}
	return 0;
}
