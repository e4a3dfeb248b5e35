/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "ap-slots.h"
#include "ap-test-slots.h"
#include "ap-time.h"

/*
 * The slot engine's rules, one table each: date overrides, time off,
 * bookings and buffers, notice and horizon, the grid, group capacity,
 * what is not offered, merging experts and checking a single start. The
 * wall clock (seasons, clock changes, other zones, midnight) is in
 * test-slots-dst.c, the randomised check in test-slots-property.c.
 */

static void
test_slots_overrides(ApTestSlotsFixture *fixture, gconstpointer user_data)
{
	ApDateOverride *o;
	GDate date;
	ApTimeRange range = {0};
	struct {
		const gchar *date;
		const gchar *expected;
	} rows[] = {
		{"2027-01-05", "09:00 10:00 11:00 12:00 13:00 14:00 15:00 16:00"},
		/* other hours on one date */
		{"2027-01-06", "12:00 13:00"},
		/* an empty override is a day off */
		{"2027-01-07", ""},
		{"2027-01-08", "09:00 10:00 11:00 12:00 13:00 14:00 15:00 16:00"},
		/* hours on a Saturday, which has none in the week */
		{"2027-01-09", "10:00"},
	};

	ap_test_date("2027-01-06", &date);
	o = ap_date_override_new(&date);
	g_assert_true(ap_time_range_parse("12:00", "14:00", &range, NULL));
	g_array_append_val(o->ranges, range);
	g_ptr_array_add(fixture->expert->overrides, o);

	ap_test_date("2027-01-07", &date);
	g_ptr_array_add(fixture->expert->overrides, ap_date_override_new(&date));

	ap_test_date("2027-01-09", &date);
	o = ap_date_override_new(&date);
	g_assert_true(ap_time_range_parse("10:00", "11:00", &range, NULL));
	g_array_append_val(o->ranges, range);
	g_ptr_array_add(fixture->expert->overrides, o);

	for (guint i = 0; i < G_N_ELEMENTS(rows); i++) {
		ApSlotWindow window = ap_test_window_days(fixture->tz, rows[i].date, rows[i].date);
		g_autoptr(GArray) offers =
			ap_test_slots(fixture->service, fixture->expert, &window, NULL, 0);
		g_autofree gchar *text = ap_test_offers_to_hhmm(offers, fixture->tz);
		g_assert_cmpstr(text, ==, rows[i].expected);
	}
}

static void
test_slots_time_off(ApTestSlotsFixture *fixture, gconstpointer user_data)
{
	ApSlotWindow window = ap_test_window_days(fixture->tz, "2027-01-04", "2027-01-05");
	g_autoptr(GArray) offers = NULL;
	g_autofree gchar *text = NULL;

	fixture->service->step_minutes = 30;

	/* 10:30-12:00 removes 10:00 and 11:30, which only overlap it, as well
	 * as 10:30 and 11:00; 09:30 ends as it starts (half open) */
	g_ptr_array_add(fixture->expert->time_off,
			ap_time_off_new(ap_test_instant("2027-01-04T10:30:00Z"),
					ap_test_instant("2027-01-04T12:00:00Z"),
					"dentist"));
	/* ending at the start of the day's first session removes nothing */
	g_ptr_array_add(fixture->expert->time_off,
			ap_time_off_new(ap_test_instant("2027-01-04T08:00:00Z"),
					ap_test_instant("2027-01-04T09:00:00Z"),
					NULL));
	/* a whole day as a range of instants */
	g_ptr_array_add(fixture->expert->time_off,
			ap_time_off_new(ap_test_instant("2027-01-05T00:00:00Z"),
					ap_test_instant("2027-01-06T00:00:00Z"),
					"holiday"));
	offers = ap_test_slots(fixture->service, fixture->expert, &window, NULL, 0);
	text = ap_test_offers_to_hhmm(offers, fixture->tz);
	g_assert_cmpstr(
		text, ==, "09:00 09:30 12:00 12:30 13:00 13:30 14:00 14:30 15:00 15:30 16:00");
}

static ApBusy
test_busy(gint64 expert_id,
	  const gchar *service_id,
	  const gchar *start,
	  guint duration,
	  guint before,
	  guint after)
{
	ApBusy busy = {.booking_id = 1, .expert_id = expert_id};

	busy.service_id = g_intern_string(service_id);
	busy.start = ap_test_instant(start);
	busy.end = busy.start + (gint64)duration * 60;
	busy.block_start = busy.start - (gint64)before * 60;
	busy.block_end = busy.end + (gint64)after * 60;
	return busy;
}

static void
test_slots_bookings(ApTestSlotsFixture *fixture, gconstpointer user_data)
{
	ApSlotWindow window = ap_test_window_days(fixture->tz, "2027-01-04", "2027-01-04");
	struct {
		guint before;
		guint after;
		ApBusy busy;
		const gchar *expected;
	} rows[] = {
		/* the new session's buffers keep 12:00-13:00 clear: 11:00 would
		 * buffer into it until 12:15, 13:00 from 12:45 */
		{15,
		 15,
		 test_busy(1, "other", "2027-01-04T12:00:00Z", 60, 0, 0),
		 "09:00 09:30 10:00 10:30 13:30 14:00 14:30 15:00 15:30 16:00"},
		/* the existing booking's buffers, 11:30-13:30, keep the new
		 * session out */
		{0,
		 0,
		 test_busy(1, "other", "2027-01-04T12:00:00Z", 60, 30, 30),
		 "09:00 09:30 10:00 10:30 13:30 14:00 14:30 15:00 15:30 16:00"},
		/* buffers may overlap buffers: 10:30-11:30 with 30 minutes after
		 * meets the booking's 30 minutes before; likewise 13:30 */
		{30,
		 30,
		 test_busy(1, "other", "2027-01-04T12:00:00Z", 60, 30, 30),
		 "09:00 09:30 10:00 10:30 13:30 14:00 14:30 15:00 15:30 16:00"},
		/* 45 minutes after the new session rule out 10:30, and the 30
		 * before the existing one rule out 11:00 */
		{0,
		 45,
		 test_busy(1, "other", "2027-01-04T12:00:00Z", 60, 30, 0),
		 "09:00 09:30 10:00 13:00 13:30 14:00 14:30 15:00 15:30 16:00"},
		/* another expert's booking is none of this expert's business */
		{15,
		 15,
		 test_busy(7, "other", "2027-01-04T12:00:00Z", 60, 30, 30),
		 "09:00 09:30 10:00 10:30 11:00 11:30 12:00 12:30 13:00 13:30 14:00 14:30 15:00 "
		 "15:30 16:00"},
	};

	fixture->service->step_minutes = 30;
	for (guint i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_autoptr(GArray) offers = NULL;
		g_autofree gchar *text = NULL;

		fixture->service->buffer_before_minutes = rows[i].before;
		fixture->service->buffer_after_minutes = rows[i].after;
		offers =
			ap_test_slots(fixture->service, fixture->expert, &window, &rows[i].busy, 1);
		text = ap_test_offers_to_hhmm(offers, fixture->tz);
		g_assert_cmpstr(text, ==, rows[i].expected);
	}
}

static void
test_slots_is_free(void)
{
	g_autoptr(ApService) service = ap_test_service_new(60, 30);
	gint64 noon = ap_test_instant("2027-01-04T12:00:00Z");
	/* minutes from noon; the new session lasts an hour */
	struct {
		guint before;
		guint after;
		guint capacity;
		gint busy_start;
		gint busy_minutes;
		gint busy_before;
		gint busy_after;
		const gchar *busy_service;
		gint start;
		gboolean free;
		guint remaining;
	} rows[] = {
		/* sessions meeting end to start */
		{0, 0, 1, 0, 60, 0, 0, "other", 60, TRUE, 1},
		{0, 0, 1, 0, 60, 0, 0, "other", -60, TRUE, 1},
		/* overlapping sessions, either way */
		{0, 0, 1, 0, 60, 0, 0, "other", 59, FALSE, 0},
		{0, 0, 1, 0, 60, 0, 0, "other", -59, FALSE, 0},
		/* a session inside another */
		{0, 0, 1, -30, 120, 0, 0, "other", 0, FALSE, 0},
		/* the new buffer after reaches the existing session */
		{0, 1, 1, 60, 60, 0, 0, "other", 0, FALSE, 0},
		/* the new buffer before reaches it */
		{1, 0, 1, -60, 60, 0, 0, "other", 0, FALSE, 0},
		/* the existing buffer before reaches the new session */
		{0, 0, 1, 60, 60, 1, 0, "other", 0, FALSE, 0},
		/* the existing buffer after reaches it */
		{0, 0, 1, -60, 60, 0, 1, "other", 0, FALSE, 0},
		/* buffers overlap buffers only */
		{0, 30, 1, 90, 60, 30, 0, "other", 0, TRUE, 1},
		{30, 0, 1, -90, 60, 0, 30, "other", 0, TRUE, 1},
		/* a one-to-one session at the same start of the same service */
		{0, 0, 1, 0, 60, 0, 0, AP_TEST_SERVICE_ID, 0, FALSE, 0},
		/* a group session shares its seats */
		{0, 0, 3, 0, 60, 0, 0, AP_TEST_SERVICE_ID, 0, TRUE, 2},
		/* but not with another service, another start or another length */
		{0, 0, 3, 0, 60, 0, 0, "other", 0, FALSE, 0},
		{0, 0, 3, 30, 60, 0, 0, AP_TEST_SERVICE_ID, 0, FALSE, 0},
		{0, 0, 3, 0, 45, 0, 0, AP_TEST_SERVICE_ID, 0, FALSE, 0},
		/* nor with buffers in the way of a neighbouring session */
		{15, 0, 3, -60, 60, 0, 0, AP_TEST_SERVICE_ID, 0, FALSE, 0},
		{0, 0, 3, -60, 60, 0, 0, AP_TEST_SERVICE_ID, 0, TRUE, 3},
	};

	for (guint i = 0; i < G_N_ELEMENTS(rows); i++) {
		ApBusy busy = {.booking_id = 1, .expert_id = 1};
		gint64 start = noon + rows[i].start * 60;
		gint64 bs = 0, be = 0;
		guint remaining = 99;
		gboolean free;

		service->buffer_before_minutes = rows[i].before;
		service->buffer_after_minutes = rows[i].after;
		service->capacity = rows[i].capacity;
		busy.service_id = g_intern_string(rows[i].busy_service);
		busy.start = noon + rows[i].busy_start * 60;
		busy.end = busy.start + rows[i].busy_minutes * 60;
		busy.block_start = busy.start - rows[i].busy_before * 60;
		busy.block_end = busy.end + rows[i].busy_after * 60;

		free = ap_slots_is_free(service, start, start + 3600, &busy, 1, &remaining);
		g_assert_cmpint(free, ==, rows[i].free);
		g_assert_cmpuint(remaining, ==, rows[i].remaining);
		free = ap_slots_is_free(service, start, start + 3600, &busy, 1, NULL);
		g_assert_cmpint(free, ==, rows[i].free);

		ap_slots_block(service, start, start + 3600, &bs, &be);
		g_assert_cmpint(bs, ==, start - rows[i].before * 60);
		g_assert_cmpint(be, ==, start + 3600 + rows[i].after * 60);
	}

	/* nothing booked */
	{
		guint remaining = 0;
		service->capacity = 3;
		g_assert_true(ap_slots_is_free(service, noon, noon + 3600, NULL, 0, &remaining));
		g_assert_cmpuint(remaining, ==, 3);
	}
}

static void
test_slots_notice_horizon(ApTestSlotsFixture *fixture, gconstpointer user_data)
{
	ApSlotWindow window = ap_test_window_days(fixture->tz, "2027-01-04", "2027-01-08");
	g_autoptr(GArray) offers = NULL;
	g_autofree gchar *first = NULL;
	g_autofree gchar *last = NULL;

	/* now is Monday 10:20; two hours' notice make 13:00 the first start,
	 * and a horizon of 3 days (3 x 86400 s) ends at Thursday 10:20, so
	 * Thursday keeps 09:00 and 10:00: 4 + 8 + 8 + 2 = 22 */
	window.now = ap_test_instant("2027-01-04T10:20:00Z");
	fixture->service->min_notice_minutes = 120;
	fixture->service->horizon_days = 3;
	offers = ap_test_slots(fixture->service, fixture->expert, &window, NULL, 0);
	g_assert_cmpuint(offers->len, ==, 22);
	first = ap_time_format_rfc3339(g_array_index(offers, ApSlotOffer, 0).start, NULL);
	last = ap_time_format_rfc3339(g_array_index(offers, ApSlotOffer, offers->len - 1).start,
				      NULL);
	g_assert_cmpstr(first, ==, "2027-01-04T13:00:00Z");
	g_assert_cmpstr(last, ==, "2027-01-07T10:00:00Z");

	/* a start exactly at now plus notice is allowed */
	window.now = ap_test_instant("2027-01-04T11:00:00Z");
	g_clear_pointer(&offers, g_array_unref);
	offers = ap_test_slots(fixture->service, fixture->expert, &window, NULL, 0);
	g_assert_cmpint(g_array_index(offers, ApSlotOffer, 0).start,
			==,
			ap_test_instant("2027-01-04T13:00:00Z"));

	/* a window entirely in the past */
	window.now = ap_test_instant("2027-02-01T00:00:00Z");
	g_clear_pointer(&offers, g_array_unref);
	offers = ap_test_slots(fixture->service, fixture->expert, &window, NULL, 0);
	g_assert_cmpuint(offers->len, ==, 0);
}

static void
test_slots_step(void)
{
	g_autoptr(ApService) service = ap_test_service_new(15, 15);
	g_autoptr(ApExpert) expert = ap_test_expert_new(1, "Europe/London");
	GTimeZone *tz = ap_expert_get_tz(expert);
	ApSlotWindow window = ap_test_window_days(tz, "2027-01-04", "2027-01-04");
	g_autoptr(GArray) offers = NULL;
	g_autofree gchar *text = NULL;
	g_autofree gchar *text45 = NULL;

	/* the grid counts from local midnight, not from the start of the
	 * hours: 09:10 starts at 09:15 */
	ap_test_expert_add_hours(expert, G_DATE_MONDAY, "09:10", "10:00");
	offers = ap_test_slots(service, expert, &window, NULL, 0);
	text = ap_test_offers_to_hhmm(offers, tz);
	g_assert_cmpstr(text, ==, "09:15 09:30 09:45");

	/* 45 minutes on a 15-minute grid */
	service->duration_minutes = 45;
	g_clear_pointer(&offers, g_array_unref);
	offers = ap_test_slots(service, expert, &window, NULL, 0);
	text45 = ap_test_offers_to_hhmm(offers, tz);
	g_assert_cmpstr(text45, ==, "09:15");
}

static void
test_slots_capacity(ApTestSlotsFixture *fixture, gconstpointer user_data)
{
	ApSlotWindow window = ap_test_window_days(fixture->tz, "2027-01-04", "2027-01-04");
	ApBusy busy[] = {
		test_busy(1, AP_TEST_SERVICE_ID, "2027-01-04T09:00:00Z", 60, 0, 0),
		test_busy(1, AP_TEST_SERVICE_ID, "2027-01-04T09:00:00Z", 60, 0, 0),
		test_busy(1, AP_TEST_SERVICE_ID, "2027-01-04T09:00:00Z", 60, 0, 0),
	};
	ApBusy other_start = test_busy(1, AP_TEST_SERVICE_ID, "2027-01-04T10:30:00Z", 60, 0, 0);
	ApBusy other_service = test_busy(1, "other", "2027-01-04T09:00:00Z", 60, 0, 0);
	/* the same service id, not interned: compared by text */
	g_autofree gchar *copy = g_strdup(AP_TEST_SERVICE_ID);
	ApBusy not_interned = busy[0];
	g_autoptr(GArray) offers = NULL;

	fixture->service->capacity = 3;

	/* two seats taken at 09:00 leave one */
	offers = ap_test_slots(fixture->service, fixture->expert, &window, busy, 2);
	g_assert_cmpuint(offers->len, ==, 8);
	g_assert_cmpint(g_array_index(offers, ApSlotOffer, 0).start, ==, busy[0].start);
	g_assert_cmpuint(g_array_index(offers, ApSlotOffer, 0).remaining, ==, 1);
	g_assert_cmpuint(g_array_index(offers, ApSlotOffer, 1).remaining, ==, 3);

	/* three leave it out */
	g_clear_pointer(&offers, g_array_unref);
	offers = ap_test_slots(fixture->service, fixture->expert, &window, busy, 3);
	g_assert_cmpuint(offers->len, ==, 7);
	g_assert_cmpint(g_array_index(offers, ApSlotOffer, 0).start,
			==,
			ap_test_instant("2027-01-04T10:00:00Z"));

	/* a session of the same service at another start blocks both hours
	 * it overlaps */
	g_clear_pointer(&offers, g_array_unref);
	offers = ap_test_slots(fixture->service, fixture->expert, &window, &other_start, 1);
	{
		g_autofree gchar *text = ap_test_offers_to_hhmm(offers, fixture->tz);
		g_assert_cmpstr(text, ==, "09:00 12:00 13:00 14:00 15:00 16:00");
	}

	/* another service at the same start is a conflict, not a seat */
	g_clear_pointer(&offers, g_array_unref);
	offers = ap_test_slots(fixture->service, fixture->expert, &window, &other_service, 1);
	g_assert_cmpuint(offers->len, ==, 7);

	not_interned.service_id = copy;
	g_clear_pointer(&offers, g_array_unref);
	offers = ap_test_slots(fixture->service, fixture->expert, &window, &not_interned, 1);
	g_assert_cmpuint(offers->len, ==, 8);
	g_assert_cmpuint(g_array_index(offers, ApSlotOffer, 0).remaining, ==, 2);
}

static void
test_slots_not_offered(ApTestSlotsFixture *fixture, gconstpointer user_data)
{
	ApSlotWindow window = ap_test_window_days(fixture->tz, "2027-01-04", "2027-01-04");
	g_autoptr(GArray) offers = NULL;
	g_autoptr(ApService) other = ap_test_service_new(60, 60);

	offers = ap_test_slots(fixture->service, fixture->expert, &window, NULL, 0);
	g_assert_cmpuint(offers->len, ==, 8);

	fixture->expert->active = FALSE;
	g_clear_pointer(&offers, g_array_unref);
	offers = ap_test_slots(fixture->service, fixture->expert, &window, NULL, 0);
	g_assert_cmpuint(offers->len, ==, 0);
	fixture->expert->active = TRUE;

	fixture->service->active = FALSE;
	g_clear_pointer(&offers, g_array_unref);
	offers = ap_test_slots(fixture->service, fixture->expert, &window, NULL, 0);
	g_assert_cmpuint(offers->len, ==, 0);
	fixture->service->active = TRUE;

	/* the expert does not give this one */
	g_free(other->id);
	other->id = g_strdup("colour-analysis");
	g_clear_pointer(&offers, g_array_unref);
	offers = ap_test_slots(other, fixture->expert, &window, NULL, 0);
	g_assert_cmpuint(offers->len, ==, 0);

	/* an empty or backwards window */
	window.to = window.from;
	g_clear_pointer(&offers, g_array_unref);
	offers = ap_test_slots(fixture->service, fixture->expert, &window, NULL, 0);
	g_assert_cmpuint(offers->len, ==, 0);
}

static void
test_slots_merge(void)
{
	g_autoptr(ApService) service = ap_test_service_new(60, 60);
	g_autoptr(ApExpert) london = ap_test_expert_new(1, "Europe/London");
	g_autoptr(ApExpert) new_york = ap_test_expert_new(2, "America/New_York");
	g_autoptr(GArray) offers = g_array_new(FALSE, FALSE, sizeof(ApSlotOffer));
	g_autoptr(GPtrArray) slots = NULL;
	g_autoptr(GPtrArray) empty = NULL;
	ApSlotWindow window;
	ApSlot *slot;

	ap_test_expert_add_weekdays(london, "09:00", "17:00");
	ap_test_expert_add_weekdays(new_york, "09:00", "17:00");
	window = ap_test_window_days(ap_expert_get_tz(london), "2027-01-04", "2027-01-04");

	/* New York first: the merge must not depend on the order */
	{
		g_autoptr(GArray) a = ap_test_slots(service, new_york, &window, NULL, 0);
		g_autoptr(GArray) b = ap_test_slots(service, london, &window, NULL, 0);
		g_array_append_vals(offers, a->data, a->len);
		g_array_append_vals(offers, b->data, b->len);
	}

	/* London 09:00Z-16:00Z and New York 14:00Z-21:00Z (09:00-16:00
	 * EST): 13 starts, three of them with both experts */
	slots = ap_slots_merge(offers);
	g_assert_cmpuint(slots->len, ==, 13);
	for (guint i = 0; i < slots->len; i++) {
		slot = g_ptr_array_index(slots, i);
		g_assert_cmpint(
			slot->start, ==, ap_test_instant("2027-01-04T09:00:00Z") + i * 3600);
		g_assert_cmpint(slot->end, ==, slot->start + 3600);
		g_assert_cmpuint(slot->experts->len, ==, i >= 5 && i <= 7 ? 2 : 1);
		g_assert_cmpuint(slot->remaining, ==, slot->experts->len);
	}
	slot = g_ptr_array_index(slots, 0);
	g_assert_cmpint(g_array_index(slot->experts, gint64, 0), ==, 1);
	slot = g_ptr_array_index(slots, 5);
	g_assert_cmpint(slot->start, ==, ap_test_instant("2027-01-04T14:00:00Z"));
	g_assert_cmpint(g_array_index(slot->experts, gint64, 0), ==, 1);
	g_assert_cmpint(g_array_index(slot->experts, gint64, 1), ==, 2);
	slot = g_ptr_array_index(slots, 12);
	g_assert_cmpint(g_array_index(slot->experts, gint64, 0), ==, 2);

	/* group seats add up */
	g_array_index(offers, ApSlotOffer, 0).remaining = 3;
	g_clear_pointer(&slots, g_ptr_array_unref);
	slots = ap_slots_merge(offers);
	slot = g_ptr_array_index(slots, 5);
	g_assert_cmpuint(slot->remaining, ==, 4);

	empty = ap_slots_merge(g_array_set_size(offers, 0));
	g_assert_cmpuint(empty->len, ==, 0);
}

static void
test_slots_is_offered(void)
{
	g_autoptr(ApService) service = ap_test_service_new(45, 15);
	g_autoptr(ApExpert) expert = ap_test_expert_new(1, "Europe/London");
	gint64 now = ap_test_instant("2027-01-04T08:00:00Z");
	struct {
		const gchar *start;
		gboolean offered;
	} rows[] = {
		/* on the grid, inside the hours */
		{"2027-01-05T09:15:00Z", TRUE},
		{"2027-01-05T16:15:00Z", TRUE},
		/* off the grid */
		{"2027-01-05T09:20:00Z", FALSE},
		{"2027-01-05T09:15:01Z", FALSE},
		/* outside the hours, or not fitting in them */
		{"2027-01-05T08:45:00Z", FALSE},
		{"2027-01-05T16:30:00Z", FALSE},
		{"2027-01-09T10:00:00Z", FALSE},
		/* in the past, or inside the two hours' notice */
		{"2027-01-01T09:00:00Z", FALSE},
		{"2027-01-04T09:00:00Z", FALSE},
		{"2027-01-04T10:00:00Z", TRUE},
		/* 60 days from now ends on Friday 5 March 08:00Z */
		{"2027-03-04T16:00:00Z", TRUE},
		{"2027-03-05T09:00:00Z", FALSE},
		/* any offset names the instant: 09:00 GMT, and 08:00Z */
		{"2027-03-01T09:00:00+00:00", TRUE},
		{"2027-01-06T09:00:00+01:00", FALSE},
		/* during time off */
		{"2027-01-07T10:00:00Z", FALSE},
	};

	service->min_notice_minutes = 120;
	service->horizon_days = 60;
	ap_test_expert_add_weekdays(expert, "09:00", "17:00");
	g_ptr_array_add(expert->time_off,
			ap_time_off_new(ap_test_instant("2027-01-07T10:30:00Z"),
					ap_test_instant("2027-01-07T11:00:00Z"),
					NULL));
	for (guint i = 0; i < G_N_ELEMENTS(rows); i++) {
		gboolean offered =
			ap_slots_is_offered(service, expert, now, ap_test_instant(rows[i].start));
		if (offered != rows[i].offered)
			g_test_message("%s", rows[i].start);
		g_assert_cmpint(offered, ==, rows[i].offered);
	}

	/* a BST date: 09:00 local is 08:00Z, and 09:00Z is 10:00 local */
	now = ap_test_instant("2027-06-01T00:00:00Z");
	g_assert_true(
		ap_slots_is_offered(service, expert, now, ap_test_instant("2027-06-07T08:00:00Z")));
	g_assert_true(
		ap_slots_is_offered(service, expert, now, ap_test_instant("2027-06-07T09:00:00Z")));
	g_assert_false(
		ap_slots_is_offered(service, expert, now, ap_test_instant("2027-06-07T16:00:00Z")));

	expert->active = FALSE;
	g_assert_false(
		ap_slots_is_offered(service, expert, now, ap_test_instant("2027-06-07T08:00:00Z")));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

	ap_test_slots_add("/slots/overrides", test_slots_overrides);
	ap_test_slots_add("/slots/time-off", test_slots_time_off);
	ap_test_slots_add("/slots/bookings", test_slots_bookings);
	g_test_add_func("/slots/is-free", test_slots_is_free);
	ap_test_slots_add("/slots/notice-horizon", test_slots_notice_horizon);
	g_test_add_func("/slots/step", test_slots_step);
	ap_test_slots_add("/slots/capacity", test_slots_capacity);
	ap_test_slots_add("/slots/not-offered", test_slots_not_offered);
	g_test_add_func("/slots/merge", test_slots_merge);
	g_test_add_func("/slots/is-offered", test_slots_is_offered);
	return g_test_run();
}
