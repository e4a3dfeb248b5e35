/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "ap-slots.h"
#include "ap-test-slots.h"
#include "ap-time.h"

/*
 * the property test: random experts, services, bookings and windows; the
 * engine's answers are checked against the rules written out again here,
 * and against an oracle that walks the window instant by instant instead of
 * date by date
 */

static const gchar *test_zones[] = {
	"Europe/London", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "UTC"};

/* around every clock change of 2027 in those zones, and two quiet dates */
static const gchar *test_anchors[] = {
	"2027-03-14", /* US spring */
	"2027-03-28", /* UK spring */
	"2027-04-04", /* Sydney autumn */
	"2027-10-03", /* Sydney spring */
	"2027-10-31", /* UK autumn */
	"2027-11-07", /* US autumn */
	"2027-01-15",
	"2027-06-20",
};

static guint
test_pick(GRand *rand, const guint *values, guint n_values)
{
	return values[g_rand_int_range(rand, 0, (gint32)n_values)];
}

static gboolean
test_in_time_off(ApExpert *expert, gint64 start, gint64 end)
{
	for (guint i = 0; i < expert->time_off->len; i++) {
		const ApTimeOff *t = g_ptr_array_index(expert->time_off, i);
		if (start < t->end && t->start < end)
			return TRUE;
	}
	return FALSE;
}

/* the booking rule of ap_slots_is_free(), written out again, over the
 * bookings of every expert */
static gboolean
test_busy_allows(const ApService *service,
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

/* whether [start, end) lies in a working range of the local date of
 * @start, or in one of the date before that crosses midnight, on that
 * date's grid */
static gboolean
test_in_hours(const ApService *service, ApExpert *expert, gint64 start, gint64 end)
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
			/* an end that does not exist (in a gap) is the first
			 * minute after it */
			if (end > ap_test_first_existing(tz, &base, r->end))
				continue;
			return TRUE;
		}
	}
	return FALSE;
}

/* the engine's rules asked the other way round: is @t a start? */
static gboolean
test_oracle(const ApService *service, ApExpert *expert, const ApSlotWindow *window, gint64 t)
{
	GTimeZone *tz = ap_expert_get_tz(expert);
	gint64 duration = (gint64)service->duration_minutes * 60;
	GDate local;
	guint minute;

	if (t < window->from || t >= window->to ||
	    t < window->now + (gint64)service->min_notice_minutes * 60 ||
	    t >= window->now + (gint64)service->horizon_days * 86400)
		return FALSE;
	ap_instant_to_local(tz, t, &local, &minute);
	for (guint back = 0; back <= 1; back++) {
		GDate base = local;
		GArray *ranges;
		guint m = minute + back * AP_MINUTES_PER_DAY;
		gint64 instant = 0;

		g_date_subtract_days(&base, back);
		if (m % service->step_minutes != 0)
			continue;
		if (!ap_local_to_instant(tz, &base, (gint)m, &instant) || instant != t)
			continue;
		ranges = ap_expert_get_ranges(expert, &base);
		for (guint i = 0; i < ranges->len; i++) {
			const ApTimeRange *r = &g_array_index(ranges, ApTimeRange, i);
			if (m < r->start || m + service->duration_minutes > r->end)
				continue;
			if (t < ap_test_first_existing(tz, &base, r->start) ||
			    t + duration > ap_test_first_existing(tz, &base, r->end))
				continue;
			return TRUE;
		}
	}
	return FALSE;
}

static void
test_random_hours(GRand *rand, GArray *ranges)
{
	guint n = (guint)g_rand_int_range(rand, 0, 4);
	guint cursor = (guint)g_rand_int_range(rand, 0, 9 * 60);

	/* clocks change between 01:00 and 03:00: start there often */
	if (g_rand_int_range(rand, 0, 3) == 0)
		cursor = (guint)g_rand_int_range(rand, 0, 4 * 60);

	for (guint i = 0; i < n; i++) {
		ApTimeRange r;
		guint start = cursor + (guint)g_rand_int_range(rand, 0, 5 * 60);
		guint end;

		if (start >= AP_MINUTES_PER_DAY)
			break;
		/* now and then a range crossing midnight */
		if (g_rand_int_range(rand, 0, 5) == 0)
			end = MAX(start + 30, AP_MINUTES_PER_DAY) +
			      (guint)g_rand_int_range(rand, 0, 5 * 60);
		else
			end = start + (guint)g_rand_int_range(rand, 15, 8 * 60);
		end = MIN(end, MIN(start + AP_MINUTES_PER_DAY, 2 * AP_MINUTES_PER_DAY));
		r.start = (guint16)start;
		r.end = (guint16)end;
		g_array_append_val(ranges, r);
		cursor = end;
	}
}

typedef struct {
	guint n_slots;
	guint n_seats_shared;
	guint n_busy_removed;
	guint n_time_off_removed;
	guint n_crossing;
} TestPropertyStats;

static void
test_property_once(GRand *rand, guint iteration, TestPropertyStats *stats)
{
	static const guint durations[] = {15, 30, 45, 60, 90, 120};
	static const guint steps[] = {5, 10, 15, 20, 30, 60};
	static const guint buffers[] = {0, 0, 5, 10, 15, 30};
	static const guint notices[] = {0, 60, 120, 1440};
	static const guint horizons[] = {3, 7, 10, 60};
	const gchar *zone = test_zones[g_rand_int_range(rand, 0, G_N_ELEMENTS(test_zones))];
	const gchar *viewer = test_zones[g_rand_int_range(rand, 0, G_N_ELEMENTS(test_zones))];
	g_autoptr(ApService) service =
		ap_test_service_new(test_pick(rand, durations, 6), test_pick(rand, steps, 6));
	g_autoptr(ApExpert) expert = ap_test_expert_new(g_rand_int_range(rand, 1, 4), zone);
	g_autoptr(GTimeZone) viewer_tz = g_time_zone_new_identifier(viewer);
	g_autoptr(GArray) busy = g_array_new(FALSE, FALSE, sizeof(ApBusy));
	g_autoptr(GArray) plain = NULL;
	g_autoptr(GArray) offers = NULL;
	g_autoptr(GArray) expected = g_array_new(FALSE, FALSE, sizeof(ApSlotOffer));
	GTimeZone *tz = ap_expert_get_tz(expert);
	const gchar *service_id = g_intern_string(AP_TEST_SERVICE_ID);
	ApSlotWindow window;
	GDate first, last;
	gint64 ignored;
	guint n_oracle = 0;

	service->buffer_before_minutes = test_pick(rand, buffers, 6);
	service->buffer_after_minutes = test_pick(rand, buffers, 6);
	service->min_notice_minutes = test_pick(rand, notices, 4);
	service->horizon_days = test_pick(rand, horizons, 4);
	service->capacity = g_rand_int_range(rand, 0, 3) == 0 ? 3 : 1;
	for (guint d = 0; d < 7; d++)
		test_random_hours(rand, expert->hours->days[d]);

	/* a window of 7 to 14 days around a clock change, in the customer's
	 * zone, sometimes starting or ending inside a day */
	ap_test_date(test_anchors[g_rand_int_range(rand, 0, G_N_ELEMENTS(test_anchors))], &first);
	g_date_subtract_days(&first, (guint)g_rand_int_range(rand, 0, 7));
	last = first;
	g_date_add_days(&last, (guint)g_rand_int_range(rand, 6, 14));
	ap_local_day_bounds(viewer_tz, &first, &window.from, &ignored);
	ap_local_day_bounds(viewer_tz, &last, &ignored, &window.to);
	if (g_rand_boolean(rand))
		window.from += g_rand_int_range(rand, 0, 86400);
	if (g_rand_boolean(rand))
		window.to -= g_rand_int_range(rand, 0, 86400);
	window.now = window.from + g_rand_int_range(rand, -3 * 86400, 2 * 86400);

	/* sometimes other hours on one date, or a day off */
	if (g_rand_boolean(rand)) {
		GDate date = first;
		ApDateOverride *o;
		g_date_add_days(&date, (guint)g_rand_int_range(rand, 0, 7));
		o = ap_date_override_new(&date);
		if (g_rand_boolean(rand))
			test_random_hours(rand, o->ranges);
		g_ptr_array_add(expert->overrides, o);
	}
	for (guint d = 0; d < 7; d++) {
		GArray *day = expert->hours->days[d];
		for (guint i = 0; i < day->len; i++) {
			if (g_array_index(day, ApTimeRange, i).end > AP_MINUTES_PER_DAY)
				stats->n_crossing++;
		}
	}
	for (guint d = 0; d < 7; d++)
		g_assert_true(ap_time_ranges_validate(expert->hours->days[d], NULL));

	if (g_test_verbose())
		g_test_message("iteration %u: %s seen from %s, %u min every %u, "
			       "buffers %u/%u, notice %u, horizon %u, capacity %u",
			       iteration,
			       zone,
			       viewer,
			       service->duration_minutes,
			       service->step_minutes,
			       service->buffer_before_minutes,
			       service->buffer_after_minutes,
			       service->min_notice_minutes,
			       service->horizon_days,
			       service->capacity);

	/* without bookings or time off: exactly the oracle's starts */
	plain = ap_test_slots(service, expert, &window, NULL, 0);
	for (gint64 t = window.from - window.from % 300; t < window.to; t += 300) {
		gboolean in_oracle = test_oracle(service, expert, &window, t);
		gboolean in_plain = n_oracle < plain->len &&
				    g_array_index(plain, ApSlotOffer, n_oracle).start == t;
		g_assert_cmpint(in_oracle, ==, in_plain);
		if (in_oracle)
			n_oracle++;
	}
	g_assert_cmpuint(n_oracle, ==, plain->len);
	for (guint i = 0; i < plain->len; i++) {
		const ApSlotOffer *o = &g_array_index(plain, ApSlotOffer, i);
		g_assert_cmpuint(o->remaining, ==, service->capacity);
		/* is_offered agrees, on the grid and next to it */
		g_assert_true(ap_slots_is_offered(service, expert, window.now, o->start));
		g_assert_false(ap_slots_is_offered(service, expert, window.now, o->start + 60));
	}

	/* bookings: random ones of this expert and of others, and group
	 * seats taken at offered starts */
	for (guint i = 0, n = (guint)g_rand_int_range(rand, 0, 16); i < n; i++) {
		ApBusy b = {.booking_id = i + 1};
		b.expert_id = g_rand_int_range(rand, 0, 3) == 0 ? expert->id + 10 : expert->id;
		b.service_id = g_rand_boolean(rand) ? service_id : g_intern_string("other");
		b.start = window.from - 86400 + g_rand_int_range(rand, 0, 16 * 288) * 300;
		b.end = b.start + test_pick(rand, durations, 6) * 60;
		b.block_start = b.start - test_pick(rand, buffers, 6) * 60;
		b.block_end = b.end + test_pick(rand, buffers, 6) * 60;
		g_array_append_val(busy, b);
	}
	for (guint i = 0; plain->len > 0 && i < 4; i++) {
		const ApSlotOffer *o =
			&g_array_index(plain, ApSlotOffer, g_rand_int_range(rand, 0, plain->len));
		guint seats = (guint)g_rand_int_range(rand, 1, 4);
		for (guint j = 0; j < seats; j++) {
			ApBusy b = {.booking_id = 100 + i, .expert_id = expert->id};
			b.service_id = service_id;
			b.start = o->start;
			b.end = o->end;
			ap_slots_block(service, b.start, b.end, &b.block_start, &b.block_end);
			g_array_append_val(busy, b);
		}
	}

	/* time off, partly overlapping slots */
	for (guint i = 0, n = (guint)g_rand_int_range(rand, 0, 3); i < n; i++) {
		gint64 start = window.from + g_rand_int_range(rand, 0, 14 * 288) * 300 +
			       g_rand_int_range(rand, 0, 300);
		gint64 end = start + g_rand_int_range(rand, 15 * 60, 36 * 3600);
		g_ptr_array_add(expert->time_off, ap_time_off_new(start, end, NULL));
	}

	/* the answer is the plain one less what the rules take away */
	for (guint i = 0; i < plain->len; i++) {
		ApSlotOffer o = g_array_index(plain, ApSlotOffer, i);
		if (test_in_time_off(expert, o.start, o.end)) {
			stats->n_time_off_removed++;
			continue;
		}
		if (!test_busy_allows(service, expert->id, o.start, o.end, busy, &o.remaining)) {
			stats->n_busy_removed++;
			continue;
		}
		g_array_append_val(expected, o);
	}
	offers = ap_test_slots(service, expert, &window, (const ApBusy *)busy->data, busy->len);
	g_assert_cmpuint(offers->len, ==, expected->len);
	for (guint i = 0; i < offers->len; i++) {
		const ApSlotOffer *o = &g_array_index(offers, ApSlotOffer, i);
		const ApSlotOffer *e = &g_array_index(expected, ApSlotOffer, i);
		guint remaining = 0;

		g_assert_cmpint(o->start, ==, e->start);
		g_assert_cmpint(o->end, ==, e->end);
		g_assert_cmpint(o->expert_id, ==, expert->id);
		g_assert_cmpuint(o->remaining, ==, e->remaining);

		/* and each rule on its own */
		g_assert_cmpint(o->start, >=, window.from);
		g_assert_cmpint(o->start, <, window.to);
		g_assert_cmpint(o->start, >=, window.now + service->min_notice_minutes * 60);
		g_assert_cmpint(o->start, <, window.now + (gint64)service->horizon_days * 86400);
		g_assert_true(test_in_hours(service, expert, o->start, o->end));
		g_assert_false(test_in_time_off(expert, o->start, o->end));
		g_assert_true(
			test_busy_allows(service, expert->id, o->start, o->end, busy, &remaining));
		g_assert_cmpuint(remaining, ==, o->remaining);
		if (i > 0)
			g_assert_cmpint(
				g_array_index(offers, ApSlotOffer, i - 1).start, <, o->start);
		/* zone offsets here are whole half hours and steps are whole
		 * five minutes, so the oracle's walk above saw every start */
		g_assert_cmpint(o->start % 300, ==, 0);
		if (o->remaining < service->capacity)
			stats->n_seats_shared++;
		stats->n_slots++;
	}

	/* no two starts at one wall-clock time, even in a repeated hour */
	for (guint i = 1; i < plain->len; i++) {
		GDate d1, d2;
		guint m1, m2;
		ap_instant_to_local(tz, g_array_index(plain, ApSlotOffer, i - 1).start, &d1, &m1);
		ap_instant_to_local(tz, g_array_index(plain, ApSlotOffer, i).start, &d2, &m2);
		g_assert_false(g_date_compare(&d1, &d2) == 0 && m1 == m2);
	}
}

static void
test_slots_property(void)
{
	g_autoptr(GRand) rand = g_rand_new_with_seed(20270328);
	TestPropertyStats stats = {0};

	for (guint i = 0; i < 300; i++)
		test_property_once(rand, i, &stats);
	g_test_message("%u slots, %u with seats taken, %u removed by bookings, "
		       "%u by time off, %u ranges crossing midnight",
		       stats.n_slots,
		       stats.n_seats_shared,
		       stats.n_busy_removed,
		       stats.n_time_off_removed,
		       stats.n_crossing);

	/* the random cases reached every rule */
	g_assert_cmpuint(stats.n_slots, >, 1000);
	g_assert_cmpuint(stats.n_seats_shared, >, 0);
	g_assert_cmpuint(stats.n_busy_removed, >, 0);
	g_assert_cmpuint(stats.n_time_off_removed, >, 0);
	g_assert_cmpuint(stats.n_crossing, >, 0);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

	g_test_add_func("/slots/property", test_slots_property);
	return g_test_run();
}
