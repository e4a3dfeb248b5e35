/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "ap-slots.h"
#include "ap-time.h"

#define TEST_SERVICE_ID "personal-styling"

/* long before every date below, so that notice and horizon do not matter
 * unless a test sets them */
#define TEST_NOW "2026-12-01T00:00:00Z"

static gint64
test_instant(const gchar *text)
{
	g_autoptr(GError) error = NULL;
	gint64 instant = 0;
	gboolean ok = ap_time_parse_rfc3339(text, &instant, &error);

	g_assert_no_error(error);
	g_assert_true(ok);
	return instant;
}

static void
test_date(const gchar *text, GDate *date)
{
	g_autoptr(GError) error = NULL;
	gboolean ok = ap_date_parse(text, date, &error);

	g_assert_no_error(error);
	g_assert_true(ok);
}

static ApService *
test_service_new(guint duration, guint step)
{
	ApService *service = ap_service_new(TEST_SERVICE_ID);

	service->duration_minutes = duration;
	service->step_minutes = step;
	service->min_notice_minutes = 0;
	service->horizon_days = AP_SERVICE_MAX_HORIZON_DAYS;
	return service;
}

static ApExpert *
test_expert_new(gint64 id, const gchar *timezone)
{
	g_autoptr(GError) error = NULL;
	ApExpert *expert = ap_expert_new();
	gboolean ok;

	expert->id = id;
	ok = ap_expert_set_timezone(expert, timezone, &error);
	g_assert_no_error(error);
	g_assert_true(ok);
	g_ptr_array_add(expert->services, g_strdup(TEST_SERVICE_ID));
	return expert;
}

static void
test_expert_add_hours(ApExpert *expert, GDateWeekday weekday, const gchar *start, const gchar *end)
{
	g_autoptr(GError) error = NULL;
	ApTimeRange range = {0};
	gboolean ok;

	ok = ap_time_range_parse(start, end, &range, &error);
	g_assert_no_error(error);
	g_assert_true(ok);
	ok = ap_weekly_hours_add(expert->hours, weekday, range.start, range.end, &error);
	g_assert_no_error(error);
	g_assert_true(ok);
}

static void
test_expert_add_weekdays(ApExpert *expert, const gchar *start, const gchar *end)
{
	for (GDateWeekday d = G_DATE_MONDAY; d <= G_DATE_FRIDAY; d++)
		test_expert_add_hours(expert, d, start, end);
}

/* from the start of local date @first to the end of local date @last */
static ApSlotWindow
test_window_days(GTimeZone *tz, const gchar *first, const gchar *last)
{
	ApSlotWindow window = {.now = test_instant(TEST_NOW)};
	GDate d1, d2;
	gint64 ignored;

	test_date(first, &d1);
	test_date(last, &d2);
	ap_local_day_bounds(tz, &d1, &window.from, &ignored);
	ap_local_day_bounds(tz, &d2, &ignored, &window.to);
	return window;
}

/* the invariants every answer keeps, whatever was asked */
static void
test_offers_check(GArray *offers, const ApService *service, const ApSlotWindow *window)
{
	for (guint i = 0; i < offers->len; i++) {
		const ApSlotOffer *o = &g_array_index(offers, ApSlotOffer, i);
		if (i > 0)
			g_assert_cmpint(
				g_array_index(offers, ApSlotOffer, i - 1).start, <, o->start);
		g_assert_cmpint(o->end - o->start, ==, (gint64)service->duration_minutes * 60);
		g_assert_cmpint(o->start, >=, window->from);
		g_assert_cmpint(o->start, <, window->to);
		g_assert_cmpuint(o->remaining, >=, 1);
		g_assert_cmpuint(o->remaining, <=, service->capacity);
	}
}

static GArray *
test_slots(const ApService *service,
	   ApExpert *expert,
	   const ApSlotWindow *window,
	   const ApBusy *busy,
	   guint n_busy)
{
	GArray *offers = ap_slots_for_expert(service, expert, window, busy, n_busy);

	g_assert_nonnull(offers);
	test_offers_check(offers, service, window);
	return offers;
}

/* starts as RFC 3339 with the offset of @tz, space separated */
static gchar *
test_offers_to_string(GArray *offers, GTimeZone *tz)
{
	GString *str = g_string_new(NULL);

	for (guint i = 0; i < offers->len; i++) {
		g_autofree gchar *text =
			ap_time_format_rfc3339(g_array_index(offers, ApSlotOffer, i).start, tz);
		if (i > 0)
			g_string_append_c(str, ' ');
		g_string_append(str, text);
	}
	return g_string_free(str, FALSE);
}

/* starts as local HH:MM in @tz, space separated */
static gchar *
test_offers_to_hhmm(GArray *offers, GTimeZone *tz)
{
	GString *str = g_string_new(NULL);

	for (guint i = 0; i < offers->len; i++) {
		GDate date;
		guint minute;
		g_autofree gchar *text = NULL;

		ap_instant_to_local(
			tz, g_array_index(offers, ApSlotOffer, i).start, &date, &minute);
		text = ap_minute_format(minute);
		if (i > 0)
			g_string_append_c(str, ' ');
		g_string_append(str, text);
	}
	return g_string_free(str, FALSE);
}

/* a London expert working Mon-Fri 09:00-17:00, and an hour-long service on
 * the hour */
typedef struct {
	ApService *service;
	ApExpert *expert;
	GTimeZone *tz; /* borrowed from the expert */
} TestSlotsFixture;

static void
test_fixture_setup(TestSlotsFixture *fixture, gconstpointer user_data)
{
	fixture->service = test_service_new(60, 60);
	fixture->expert = test_expert_new(1, "Europe/London");
	test_expert_add_weekdays(fixture->expert, "09:00", "17:00");
	fixture->tz = ap_expert_get_tz(fixture->expert);
}

static void
test_fixture_teardown(TestSlotsFixture *fixture, gconstpointer user_data)
{
	g_clear_pointer(&fixture->service, ap_service_unref);
	g_clear_pointer(&fixture->expert, ap_expert_unref);
}

static void
test_slots_london_seasons(TestSlotsFixture *fixture, gconstpointer user_data)
{
	struct {
		const gchar *date;
		guint n_slots;
		const gchar *first_local;
		const gchar *first_utc;
		const gchar *last_local;
	} rows[] = {
		/* GMT: local and UTC agree */
		{"2027-01-04",
		 8,
		 "2027-01-04T09:00:00+00:00",
		 "2027-01-04T09:00:00Z",
		 "2027-01-04T16:00:00+00:00"},
		/* BST: 09:00 on the wall is an hour earlier in UTC */
		{"2027-07-05",
		 8,
		 "2027-07-05T09:00:00+01:00",
		 "2027-07-05T08:00:00Z",
		 "2027-07-05T16:00:00+01:00"},
		/* a Saturday: no hours */
		{"2027-01-09", 0, NULL, NULL, NULL},
	};

	for (guint i = 0; i < G_N_ELEMENTS(rows); i++) {
		ApSlotWindow window = test_window_days(fixture->tz, rows[i].date, rows[i].date);
		g_autoptr(GArray) offers =
			test_slots(fixture->service, fixture->expert, &window, NULL, 0);
		g_autofree gchar *first_local = NULL;
		g_autofree gchar *first_utc = NULL;
		g_autofree gchar *last_local = NULL;
		const ApSlotOffer *first;

		g_assert_cmpuint(offers->len, ==, rows[i].n_slots);
		if (rows[i].n_slots == 0)
			continue;
		first = &g_array_index(offers, ApSlotOffer, 0);
		first_local = ap_time_format_rfc3339(first->start, fixture->tz);
		first_utc = ap_time_format_rfc3339(first->start, NULL);
		last_local = ap_time_format_rfc3339(
			g_array_index(offers, ApSlotOffer, offers->len - 1).start, fixture->tz);
		g_assert_cmpstr(first_local, ==, rows[i].first_local);
		g_assert_cmpstr(first_utc, ==, rows[i].first_utc);
		g_assert_cmpstr(last_local, ==, rows[i].last_local);
		g_assert_cmpint(first->start, ==, test_instant(rows[i].first_utc));
		g_assert_cmpint(first->end - first->start, ==, 3600);
		g_assert_cmpint(first->expert_id, ==, 1);
		g_assert_cmpuint(first->remaining, ==, 1);
	}
}

/* the instant of the first local minute at or after @minute that exists */
static gint64
test_first_existing(GTimeZone *tz, const GDate *date, gint minute)
{
	gint64 instant = 0;

	for (gint m = minute; m <= minute + 180; m++) {
		if (ap_local_to_instant(tz, date, m, &instant))
			return instant;
	}
	g_assert_not_reached();
	return 0;
}

static void
test_slots_london_clock_changes(void)
{
	/* each row: hours on one date only, and every slot expected from the
	 * start of that date to the end of the next */
	struct {
		const gchar *date;
		const gchar *start;
		const gchar *end;
		guint duration;
		guint step;
		guint n_slots;
		const gchar *expected;
	} rows[] = {
		/* spring forward, Sunday 28 March 2027: at 01:00 GMT the clocks
		 * go to 02:00 BST. 00:00-04:00 on the wall is three real hours
		 * and 8 wall-clock starts of 30 minutes; 01:00 and 01:30 do not
		 * exist, so 8 - 2 = 6 */
		{"2027-03-28",
		 "00:00",
		 "04:00",
		 30,
		 30,
		 6,
		 "2027-03-28T00:00:00+00:00 2027-03-28T00:30:00+00:00 2027-03-28T02:00:00+01:00 "
		 "2027-03-28T02:30:00+01:00 2027-03-28T03:00:00+01:00 2027-03-28T03:30:00+01:00"},
		/* hours starting in the gap start at its end: 02:00 and 02:30 */
		{"2027-03-28",
		 "01:30",
		 "03:00",
		 30,
		 30,
		 2,
		 "2027-03-28T02:00:00+01:00 2027-03-28T02:30:00+01:00"},
		/* hours ending in the gap end at 02:00 BST (01:00Z): an hour from
		 * 00:00 fits, an hour from 00:30 would end at 01:30Z; 1 slot */
		{"2027-03-28", "00:00", "01:30", 60, 30, 1, "2027-03-28T00:00:00+00:00"},
		/* 00:30-02:30 on the wall is one real hour: one session across the
		 * gap, from 00:30 GMT to 02:30 BST */
		{"2027-03-28", "00:30", "02:30", 60, 30, 1, "2027-03-28T00:30:00+00:00"},
		/* hours crossing midnight into the gap: Saturday 22:00 to Sunday
		 * 02:00 is 22:00Z to 01:00Z; 22:00, 23:00 and 00:00, as 01:00
		 * does not exist: 3 */
		{"2027-03-27",
		 "22:00",
		 "02:00",
		 60,
		 60,
		 3,
		 "2027-03-27T22:00:00+00:00 2027-03-27T23:00:00+00:00 2027-03-28T00:00:00+00:00"},
		/* fall back, Sunday 31 October 2027: at 02:00 BST the clocks go
		 * back to 01:00 GMT, so 01:00-01:59 happens twice. 00:00-04:00 on
		 * the wall is five real hours; each of its 8 wall-clock starts is
		 * offered once, the repeated ones at their first (BST) instant,
		 * and never again in GMT: 8 */
		{"2027-10-31",
		 "00:00",
		 "04:00",
		 30,
		 30,
		 8,
		 "2027-10-31T00:00:00+01:00 2027-10-31T00:30:00+01:00 2027-10-31T01:00:00+01:00 "
		 "2027-10-31T01:30:00+01:00 2027-10-31T02:00:00+00:00 2027-10-31T02:30:00+00:00 "
		 "2027-10-31T03:00:00+00:00 2027-10-31T03:30:00+00:00"},
		/* hours of the repeated hour alone: 01:00 BST (00:00Z) to 02:00
		 * GMT (02:00Z); the wall-clock starts 01:00 and 01:30 once: 2 */
		{"2027-10-31",
		 "01:00",
		 "02:00",
		 30,
		 30,
		 2,
		 "2027-10-31T01:00:00+01:00 2027-10-31T01:30:00+01:00"},
		/* a session must fit on the wall clock too: an hour from 01:30 BST
		 * would end at 01:30 GMT, inside the three real hours of
		 * 00:00-02:00, but 02:30 on the wall is past 02:00; 3 slots */
		{"2027-10-31",
		 "00:00",
		 "02:00",
		 60,
		 30,
		 3,
		 "2027-10-31T00:00:00+01:00 2027-10-31T00:30:00+01:00 2027-10-31T01:00:00+01:00"},
		/* crossing midnight into the change: Saturday 22:00 BST (21:00Z)
		 * to Sunday 02:00 GMT (02:00Z) is five real hours, but only the
		 * four wall-clock hours 22, 23, 00 and 01 start a session: 4 */
		{"2027-10-30",
		 "22:00",
		 "02:00",
		 60,
		 60,
		 4,
		 "2027-10-30T22:00:00+01:00 2027-10-30T23:00:00+01:00 2027-10-31T00:00:00+01:00 "
		 "2027-10-31T01:00:00+01:00"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_autoptr(ApService) service = test_service_new(rows[i].duration, rows[i].step);
		g_autoptr(ApExpert) expert = test_expert_new(1, "Europe/London");
		g_autoptr(GArray) offers = NULL;
		g_autofree gchar *text = NULL;
		GTimeZone *tz = ap_expert_get_tz(expert);
		ApSlotWindow window;
		ApTimeRange range = {0};
		GDate date, next;
		gint64 range_start, range_end;

		test_date(rows[i].date, &date);
		next = date;
		g_date_add_days(&next, 1);
		test_expert_add_hours(
			expert, g_date_get_weekday(&date), rows[i].start, rows[i].end);
		window = test_window_days(tz, rows[i].date, rows[i].date);
		ap_local_day_bounds(tz, &next, &range_start, &window.to);

		offers = test_slots(service, expert, &window, NULL, 0);
		text = test_offers_to_string(offers, tz);
		g_assert_cmpstr(text, ==, rows[i].expected);
		g_assert_cmpuint(offers->len, ==, rows[i].n_slots);

		/* and the rules behind the strings */
		g_assert_true(ap_time_range_parse(rows[i].start, rows[i].end, &range, NULL));
		range_start = test_first_existing(tz, &date, range.start);
		range_end = test_first_existing(tz, &date, range.end);
		for (guint j = 0; j < offers->len; j++) {
			const ApSlotOffer *o = &g_array_index(offers, ApSlotOffer, j);
			GDate local;
			guint minute;
			gint64 back = 0;
			gint rel;

			ap_instant_to_local(tz, o->start, &local, &minute);
			rel = (gint)minute + (gint)g_date_days_between(&date, &local) * 1440;

			/* the wall-clock start exists and names this instant:
			 * nothing in the gap, and in the repeated hour only
			 * the first of the two instants */
			g_assert_true(ap_local_to_instant(tz, &local, (gint)minute, &back));
			g_assert_cmpint(back, ==, o->start);

			/* no wall-clock time twice */
			for (guint k = 0; k < j; k++) {
				const ApSlotOffer *p = &g_array_index(offers, ApSlotOffer, k);
				GDate plocal;
				guint pminute;
				ap_instant_to_local(tz, p->start, &plocal, &pminute);
				g_assert_false(g_date_compare(&plocal, &local) == 0 &&
					       pminute == minute);
			}

			/* inside the hours */
			g_assert_cmpint(rel, >=, range.start);
			g_assert_cmpint(rel + (gint)rows[i].duration, <=, range.end);
			g_assert_cmpint(rel % (gint)rows[i].step, ==, 0);
			g_assert_cmpint(o->start, >=, range_start);
			g_assert_cmpint(o->end, <=, range_end);
		}
	}
}

static void
test_slots_new_york(void)
{
	/* an expert in New York working 09:00-17:00 there, seen by a customer
	 * in London: the US changes on 14 March and 7 November 2027, the UK
	 * on 28 March and 31 October, so for two or three weeks a year the
	 * two zones are 4 hours apart instead of 5 */
	struct {
		const gchar *date;
		const gchar *first_london;
		const gchar *first_new_york;
	} rows[] = {
		/* both on standard time: 5 hours */
		{"2027-03-08", "2027-03-08T14:00:00+00:00", "2027-03-08T09:00:00-05:00"},
		/* US on summer time, UK not yet: 4 hours, all week */
		{"2027-03-15", "2027-03-15T13:00:00+00:00", "2027-03-15T09:00:00-04:00"},
		{"2027-03-17", "2027-03-17T13:00:00+00:00", "2027-03-17T09:00:00-04:00"},
		{"2027-03-19", "2027-03-19T13:00:00+00:00", "2027-03-19T09:00:00-04:00"},
		{"2027-03-26", "2027-03-26T13:00:00+00:00", "2027-03-26T09:00:00-04:00"},
		/* both on summer time: 5 hours again */
		{"2027-03-29", "2027-03-29T14:00:00+01:00", "2027-03-29T09:00:00-04:00"},
		/* UK back on GMT, US not yet: 4 hours */
		{"2027-11-01", "2027-11-01T13:00:00+00:00", "2027-11-01T09:00:00-04:00"},
		/* both on standard time */
		{"2027-11-08", "2027-11-08T14:00:00+00:00", "2027-11-08T09:00:00-05:00"},
	};
	g_autoptr(ApService) service = test_service_new(60, 60);
	g_autoptr(ApExpert) expert = test_expert_new(2, "America/New_York");
	g_autoptr(GTimeZone) london = g_time_zone_new_identifier("Europe/London");
	GTimeZone *new_york = ap_expert_get_tz(expert);

	test_expert_add_weekdays(expert, "09:00", "17:00");
	for (guint i = 0; i < G_N_ELEMENTS(rows); i++) {
		ApSlotWindow window = test_window_days(london, rows[i].date, rows[i].date);
		g_autoptr(GArray) offers = test_slots(service, expert, &window, NULL, 0);
		g_autofree gchar *first_london = NULL;
		g_autofree gchar *first_new_york = NULL;

		g_assert_cmpuint(offers->len, ==, 8);
		first_london =
			ap_time_format_rfc3339(g_array_index(offers, ApSlotOffer, 0).start, london);
		first_new_york = ap_time_format_rfc3339(g_array_index(offers, ApSlotOffer, 0).start,
							new_york);
		g_assert_cmpstr(first_london, ==, rows[i].first_london);
		g_assert_cmpstr(first_new_york, ==, rows[i].first_new_york);
	}

	/* the whole odd week at once, from London's Monday to its Sunday: five
	 * days of 13:00-20:00 London starts */
	{
		ApSlotWindow window = test_window_days(london, "2027-03-15", "2027-03-21");
		g_autoptr(GArray) offers = test_slots(service, expert, &window, NULL, 0);
		g_autofree gchar *hhmm = NULL;

		g_assert_cmpuint(offers->len, ==, 5 * 8);
		for (guint day = 0; day < 5; day++) {
			g_autoptr(GArray) one = g_array_new(FALSE, FALSE, sizeof(ApSlotOffer));
			g_autofree gchar *text = NULL;
			g_array_append_vals(one, &g_array_index(offers, ApSlotOffer, day * 8), 8);
			text = test_offers_to_hhmm(one, london);
			g_assert_cmpstr(
				text, ==, "13:00 14:00 15:00 16:00 17:00 18:00 19:00 20:00");
		}
		hhmm = test_offers_to_hhmm(offers, new_york);
		g_assert_true(g_str_has_prefix(
			hhmm, "09:00 10:00 11:00 12:00 13:00 14:00 15:00 16:00 09:00"));
	}
}

static void
test_slots_cross_midnight(void)
{
	g_autoptr(ApService) service = test_service_new(60, 60);
	g_autoptr(ApExpert) expert = test_expert_new(1, "Europe/London");
	GTimeZone *tz = ap_expert_get_tz(expert);
	struct {
		const gchar *first;
		const gchar *last;
		const gchar *expected;
	} rows[] = {
		/* Friday 22:00 to Saturday 02:00, then Saturday's own 09:00-11:00 */
		{"2027-01-08",
		 "2027-01-09",
		 "2027-01-08T22:00:00+00:00 2027-01-08T23:00:00+00:00 2027-01-09T00:00:00+00:00 "
		 "2027-01-09T01:00:00+00:00 2027-01-09T09:00:00+00:00 2027-01-09T10:00:00+00:00"},
		/* asked for Saturday alone, Friday's hours still reach into it */
		{"2027-01-09",
		 "2027-01-09",
		 "2027-01-09T00:00:00+00:00 2027-01-09T01:00:00+00:00 2027-01-09T09:00:00+00:00 "
		 "2027-01-09T10:00:00+00:00"},
		/* asked for Friday alone: its late starts, none of Saturday's */
		{"2027-01-08", "2027-01-08", "2027-01-08T22:00:00+00:00 2027-01-08T23:00:00+00:00"},
		/* Thursday has no hours of its own, and none from Wednesday */
		{"2027-01-07", "2027-01-07", ""},
	};

	test_expert_add_hours(expert, G_DATE_FRIDAY, "22:00", "02:00");
	test_expert_add_hours(expert, G_DATE_SATURDAY, "09:00", "11:00");
	for (guint i = 0; i < G_N_ELEMENTS(rows); i++) {
		ApSlotWindow window = test_window_days(tz, rows[i].first, rows[i].last);
		g_autoptr(GArray) offers = test_slots(service, expert, &window, NULL, 0);
		g_autofree gchar *text = test_offers_to_string(offers, tz);
		g_assert_cmpstr(text, ==, rows[i].expected);
	}

	/* a Saturday range overlapping Friday's on the wall gives each
	 * instant once */
	test_expert_add_hours(expert, G_DATE_SATURDAY, "00:30", "03:00");
	{
		ApSlotWindow window = test_window_days(tz, "2027-01-09", "2027-01-09");
		g_autoptr(GArray) offers = test_slots(service, expert, &window, NULL, 0);
		g_autofree gchar *text = test_offers_to_hhmm(offers, tz);
		g_assert_cmpstr(text, ==, "00:00 01:00 02:00 09:00 10:00");
	}
}

static void
test_slots_overrides(TestSlotsFixture *fixture, gconstpointer user_data)
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

	test_date("2027-01-06", &date);
	o = ap_date_override_new(&date);
	g_assert_true(ap_time_range_parse("12:00", "14:00", &range, NULL));
	g_array_append_val(o->ranges, range);
	g_ptr_array_add(fixture->expert->overrides, o);

	test_date("2027-01-07", &date);
	g_ptr_array_add(fixture->expert->overrides, ap_date_override_new(&date));

	test_date("2027-01-09", &date);
	o = ap_date_override_new(&date);
	g_assert_true(ap_time_range_parse("10:00", "11:00", &range, NULL));
	g_array_append_val(o->ranges, range);
	g_ptr_array_add(fixture->expert->overrides, o);

	for (guint i = 0; i < G_N_ELEMENTS(rows); i++) {
		ApSlotWindow window = test_window_days(fixture->tz, rows[i].date, rows[i].date);
		g_autoptr(GArray) offers =
			test_slots(fixture->service, fixture->expert, &window, NULL, 0);
		g_autofree gchar *text = test_offers_to_hhmm(offers, fixture->tz);
		g_assert_cmpstr(text, ==, rows[i].expected);
	}
}

static void
test_slots_time_off(TestSlotsFixture *fixture, gconstpointer user_data)
{
	ApSlotWindow window = test_window_days(fixture->tz, "2027-01-04", "2027-01-05");
	g_autoptr(GArray) offers = NULL;
	g_autofree gchar *text = NULL;

	fixture->service->step_minutes = 30;

	/* 10:30-12:00 removes 10:00 and 11:30, which only overlap it, as well
	 * as 10:30 and 11:00; 09:30 ends as it starts (half open) */
	g_ptr_array_add(fixture->expert->time_off,
			ap_time_off_new(test_instant("2027-01-04T10:30:00Z"),
					test_instant("2027-01-04T12:00:00Z"),
					"dentist"));
	/* ending at the start of the day's first session removes nothing */
	g_ptr_array_add(fixture->expert->time_off,
			ap_time_off_new(test_instant("2027-01-04T08:00:00Z"),
					test_instant("2027-01-04T09:00:00Z"),
					NULL));
	/* a whole day as a range of instants */
	g_ptr_array_add(fixture->expert->time_off,
			ap_time_off_new(test_instant("2027-01-05T00:00:00Z"),
					test_instant("2027-01-06T00:00:00Z"),
					"holiday"));
	offers = test_slots(fixture->service, fixture->expert, &window, NULL, 0);
	text = test_offers_to_hhmm(offers, fixture->tz);
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
	busy.start = test_instant(start);
	busy.end = busy.start + (gint64)duration * 60;
	busy.block_start = busy.start - (gint64)before * 60;
	busy.block_end = busy.end + (gint64)after * 60;
	return busy;
}

static void
test_slots_bookings(TestSlotsFixture *fixture, gconstpointer user_data)
{
	ApSlotWindow window = test_window_days(fixture->tz, "2027-01-04", "2027-01-04");
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
		offers = test_slots(fixture->service, fixture->expert, &window, &rows[i].busy, 1);
		text = test_offers_to_hhmm(offers, fixture->tz);
		g_assert_cmpstr(text, ==, rows[i].expected);
	}
}

static void
test_slots_is_free(void)
{
	g_autoptr(ApService) service = test_service_new(60, 30);
	gint64 noon = test_instant("2027-01-04T12:00:00Z");
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
		{0, 0, 1, 0, 60, 0, 0, TEST_SERVICE_ID, 0, FALSE, 0},
		/* a group session shares its seats */
		{0, 0, 3, 0, 60, 0, 0, TEST_SERVICE_ID, 0, TRUE, 2},
		/* but not with another service, another start or another length */
		{0, 0, 3, 0, 60, 0, 0, "other", 0, FALSE, 0},
		{0, 0, 3, 30, 60, 0, 0, TEST_SERVICE_ID, 0, FALSE, 0},
		{0, 0, 3, 0, 45, 0, 0, TEST_SERVICE_ID, 0, FALSE, 0},
		/* nor with buffers in the way of a neighbouring session */
		{15, 0, 3, -60, 60, 0, 0, TEST_SERVICE_ID, 0, FALSE, 0},
		{0, 0, 3, -60, 60, 0, 0, TEST_SERVICE_ID, 0, TRUE, 3},
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
test_slots_notice_horizon(TestSlotsFixture *fixture, gconstpointer user_data)
{
	ApSlotWindow window = test_window_days(fixture->tz, "2027-01-04", "2027-01-08");
	g_autoptr(GArray) offers = NULL;
	g_autofree gchar *first = NULL;
	g_autofree gchar *last = NULL;

	/* now is Monday 10:20; two hours' notice make 13:00 the first start,
	 * and a horizon of 3 days (3 x 86400 s) ends at Thursday 10:20, so
	 * Thursday keeps 09:00 and 10:00: 4 + 8 + 8 + 2 = 22 */
	window.now = test_instant("2027-01-04T10:20:00Z");
	fixture->service->min_notice_minutes = 120;
	fixture->service->horizon_days = 3;
	offers = test_slots(fixture->service, fixture->expert, &window, NULL, 0);
	g_assert_cmpuint(offers->len, ==, 22);
	first = ap_time_format_rfc3339(g_array_index(offers, ApSlotOffer, 0).start, NULL);
	last = ap_time_format_rfc3339(g_array_index(offers, ApSlotOffer, offers->len - 1).start,
				      NULL);
	g_assert_cmpstr(first, ==, "2027-01-04T13:00:00Z");
	g_assert_cmpstr(last, ==, "2027-01-07T10:00:00Z");

	/* a start exactly at now plus notice is allowed */
	window.now = test_instant("2027-01-04T11:00:00Z");
	g_clear_pointer(&offers, g_array_unref);
	offers = test_slots(fixture->service, fixture->expert, &window, NULL, 0);
	g_assert_cmpint(g_array_index(offers, ApSlotOffer, 0).start,
			==,
			test_instant("2027-01-04T13:00:00Z"));

	/* a window entirely in the past */
	window.now = test_instant("2027-02-01T00:00:00Z");
	g_clear_pointer(&offers, g_array_unref);
	offers = test_slots(fixture->service, fixture->expert, &window, NULL, 0);
	g_assert_cmpuint(offers->len, ==, 0);
}

static void
test_slots_step(void)
{
	g_autoptr(ApService) service = test_service_new(15, 15);
	g_autoptr(ApExpert) expert = test_expert_new(1, "Europe/London");
	GTimeZone *tz = ap_expert_get_tz(expert);
	ApSlotWindow window = test_window_days(tz, "2027-01-04", "2027-01-04");
	g_autoptr(GArray) offers = NULL;
	g_autofree gchar *text = NULL;
	g_autofree gchar *text45 = NULL;

	/* the grid counts from local midnight, not from the start of the
	 * hours: 09:10 starts at 09:15 */
	test_expert_add_hours(expert, G_DATE_MONDAY, "09:10", "10:00");
	offers = test_slots(service, expert, &window, NULL, 0);
	text = test_offers_to_hhmm(offers, tz);
	g_assert_cmpstr(text, ==, "09:15 09:30 09:45");

	/* 45 minutes on a 15-minute grid */
	service->duration_minutes = 45;
	g_clear_pointer(&offers, g_array_unref);
	offers = test_slots(service, expert, &window, NULL, 0);
	text45 = test_offers_to_hhmm(offers, tz);
	g_assert_cmpstr(text45, ==, "09:15");
}

static void
test_slots_capacity(TestSlotsFixture *fixture, gconstpointer user_data)
{
	ApSlotWindow window = test_window_days(fixture->tz, "2027-01-04", "2027-01-04");
	ApBusy busy[] = {
		test_busy(1, TEST_SERVICE_ID, "2027-01-04T09:00:00Z", 60, 0, 0),
		test_busy(1, TEST_SERVICE_ID, "2027-01-04T09:00:00Z", 60, 0, 0),
		test_busy(1, TEST_SERVICE_ID, "2027-01-04T09:00:00Z", 60, 0, 0),
	};
	ApBusy other_start = test_busy(1, TEST_SERVICE_ID, "2027-01-04T10:30:00Z", 60, 0, 0);
	ApBusy other_service = test_busy(1, "other", "2027-01-04T09:00:00Z", 60, 0, 0);
	/* the same service id, not interned: compared by text */
	g_autofree gchar *copy = g_strdup(TEST_SERVICE_ID);
	ApBusy not_interned = busy[0];
	g_autoptr(GArray) offers = NULL;

	fixture->service->capacity = 3;

	/* two seats taken at 09:00 leave one */
	offers = test_slots(fixture->service, fixture->expert, &window, busy, 2);
	g_assert_cmpuint(offers->len, ==, 8);
	g_assert_cmpint(g_array_index(offers, ApSlotOffer, 0).start, ==, busy[0].start);
	g_assert_cmpuint(g_array_index(offers, ApSlotOffer, 0).remaining, ==, 1);
	g_assert_cmpuint(g_array_index(offers, ApSlotOffer, 1).remaining, ==, 3);

	/* three leave it out */
	g_clear_pointer(&offers, g_array_unref);
	offers = test_slots(fixture->service, fixture->expert, &window, busy, 3);
	g_assert_cmpuint(offers->len, ==, 7);
	g_assert_cmpint(g_array_index(offers, ApSlotOffer, 0).start,
			==,
			test_instant("2027-01-04T10:00:00Z"));

	/* a session of the same service at another start blocks both hours
	 * it overlaps */
	g_clear_pointer(&offers, g_array_unref);
	offers = test_slots(fixture->service, fixture->expert, &window, &other_start, 1);
	{
		g_autofree gchar *text = test_offers_to_hhmm(offers, fixture->tz);
		g_assert_cmpstr(text, ==, "09:00 12:00 13:00 14:00 15:00 16:00");
	}

	/* another service at the same start is a conflict, not a seat */
	g_clear_pointer(&offers, g_array_unref);
	offers = test_slots(fixture->service, fixture->expert, &window, &other_service, 1);
	g_assert_cmpuint(offers->len, ==, 7);

	not_interned.service_id = copy;
	g_clear_pointer(&offers, g_array_unref);
	offers = test_slots(fixture->service, fixture->expert, &window, &not_interned, 1);
	g_assert_cmpuint(offers->len, ==, 8);
	g_assert_cmpuint(g_array_index(offers, ApSlotOffer, 0).remaining, ==, 2);
}

static void
test_slots_not_offered(TestSlotsFixture *fixture, gconstpointer user_data)
{
	ApSlotWindow window = test_window_days(fixture->tz, "2027-01-04", "2027-01-04");
	g_autoptr(GArray) offers = NULL;
	g_autoptr(ApService) other = test_service_new(60, 60);

	offers = test_slots(fixture->service, fixture->expert, &window, NULL, 0);
	g_assert_cmpuint(offers->len, ==, 8);

	fixture->expert->active = FALSE;
	g_clear_pointer(&offers, g_array_unref);
	offers = test_slots(fixture->service, fixture->expert, &window, NULL, 0);
	g_assert_cmpuint(offers->len, ==, 0);
	fixture->expert->active = TRUE;

	fixture->service->active = FALSE;
	g_clear_pointer(&offers, g_array_unref);
	offers = test_slots(fixture->service, fixture->expert, &window, NULL, 0);
	g_assert_cmpuint(offers->len, ==, 0);
	fixture->service->active = TRUE;

	/* the expert does not give this one */
	g_free(other->id);
	other->id = g_strdup("colour-analysis");
	g_clear_pointer(&offers, g_array_unref);
	offers = test_slots(other, fixture->expert, &window, NULL, 0);
	g_assert_cmpuint(offers->len, ==, 0);

	/* an empty or backwards window */
	window.to = window.from;
	g_clear_pointer(&offers, g_array_unref);
	offers = test_slots(fixture->service, fixture->expert, &window, NULL, 0);
	g_assert_cmpuint(offers->len, ==, 0);
}

static void
test_slots_merge(void)
{
	g_autoptr(ApService) service = test_service_new(60, 60);
	g_autoptr(ApExpert) london = test_expert_new(1, "Europe/London");
	g_autoptr(ApExpert) new_york = test_expert_new(2, "America/New_York");
	g_autoptr(GArray) offers = g_array_new(FALSE, FALSE, sizeof(ApSlotOffer));
	g_autoptr(GPtrArray) slots = NULL;
	g_autoptr(GPtrArray) empty = NULL;
	ApSlotWindow window;
	ApSlot *slot;

	test_expert_add_weekdays(london, "09:00", "17:00");
	test_expert_add_weekdays(new_york, "09:00", "17:00");
	window = test_window_days(ap_expert_get_tz(london), "2027-01-04", "2027-01-04");

	/* New York first: the merge must not depend on the order */
	{
		g_autoptr(GArray) a = test_slots(service, new_york, &window, NULL, 0);
		g_autoptr(GArray) b = test_slots(service, london, &window, NULL, 0);
		g_array_append_vals(offers, a->data, a->len);
		g_array_append_vals(offers, b->data, b->len);
	}

	/* London 09:00Z-16:00Z and New York 14:00Z-21:00Z (09:00-16:00
	 * EST): 13 starts, three of them with both experts */
	slots = ap_slots_merge(offers);
	g_assert_cmpuint(slots->len, ==, 13);
	for (guint i = 0; i < slots->len; i++) {
		slot = g_ptr_array_index(slots, i);
		g_assert_cmpint(slot->start, ==, test_instant("2027-01-04T09:00:00Z") + i * 3600);
		g_assert_cmpint(slot->end, ==, slot->start + 3600);
		g_assert_cmpuint(slot->experts->len, ==, i >= 5 && i <= 7 ? 2 : 1);
		g_assert_cmpuint(slot->remaining, ==, slot->experts->len);
	}
	slot = g_ptr_array_index(slots, 0);
	g_assert_cmpint(g_array_index(slot->experts, gint64, 0), ==, 1);
	slot = g_ptr_array_index(slots, 5);
	g_assert_cmpint(slot->start, ==, test_instant("2027-01-04T14:00:00Z"));
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
	g_autoptr(ApService) service = test_service_new(45, 15);
	g_autoptr(ApExpert) expert = test_expert_new(1, "Europe/London");
	gint64 now = test_instant("2027-01-04T08:00:00Z");
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
	test_expert_add_weekdays(expert, "09:00", "17:00");
	g_ptr_array_add(expert->time_off,
			ap_time_off_new(test_instant("2027-01-07T10:30:00Z"),
					test_instant("2027-01-07T11:00:00Z"),
					NULL));
	for (guint i = 0; i < G_N_ELEMENTS(rows); i++) {
		gboolean offered =
			ap_slots_is_offered(service, expert, now, test_instant(rows[i].start));
		if (offered != rows[i].offered)
			g_test_message("%s", rows[i].start);
		g_assert_cmpint(offered, ==, rows[i].offered);
	}

	/* a BST date: 09:00 local is 08:00Z, and 09:00Z is 10:00 local */
	now = test_instant("2027-06-01T00:00:00Z");
	g_assert_true(
		ap_slots_is_offered(service, expert, now, test_instant("2027-06-07T08:00:00Z")));
	g_assert_true(
		ap_slots_is_offered(service, expert, now, test_instant("2027-06-07T09:00:00Z")));
	g_assert_false(
		ap_slots_is_offered(service, expert, now, test_instant("2027-06-07T16:00:00Z")));

	expert->active = FALSE;
	g_assert_false(
		ap_slots_is_offered(service, expert, now, test_instant("2027-06-07T08:00:00Z")));
}

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
			if (end > test_first_existing(tz, &base, r->end))
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
			if (t < test_first_existing(tz, &base, r->start) ||
			    t + duration > test_first_existing(tz, &base, r->end))
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
		test_service_new(test_pick(rand, durations, 6), test_pick(rand, steps, 6));
	g_autoptr(ApExpert) expert = test_expert_new(g_rand_int_range(rand, 1, 4), zone);
	g_autoptr(GTimeZone) viewer_tz = g_time_zone_new_identifier(viewer);
	g_autoptr(GArray) busy = g_array_new(FALSE, FALSE, sizeof(ApBusy));
	g_autoptr(GArray) plain = NULL;
	g_autoptr(GArray) offers = NULL;
	g_autoptr(GArray) expected = g_array_new(FALSE, FALSE, sizeof(ApSlotOffer));
	GTimeZone *tz = ap_expert_get_tz(expert);
	const gchar *service_id = g_intern_string(TEST_SERVICE_ID);
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
	test_date(test_anchors[g_rand_int_range(rand, 0, G_N_ELEMENTS(test_anchors))], &first);
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
	plain = test_slots(service, expert, &window, NULL, 0);
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
	offers = test_slots(service, expert, &window, (const ApBusy *)busy->data, busy->len);
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

	g_test_add("/slots/london-seasons",
		   TestSlotsFixture,
		   NULL,
		   test_fixture_setup,
		   test_slots_london_seasons,
		   test_fixture_teardown);
	g_test_add_func("/slots/london-clock-changes", test_slots_london_clock_changes);
	g_test_add_func("/slots/new-york", test_slots_new_york);
	g_test_add_func("/slots/cross-midnight", test_slots_cross_midnight);
	g_test_add("/slots/overrides",
		   TestSlotsFixture,
		   NULL,
		   test_fixture_setup,
		   test_slots_overrides,
		   test_fixture_teardown);
	g_test_add("/slots/time-off",
		   TestSlotsFixture,
		   NULL,
		   test_fixture_setup,
		   test_slots_time_off,
		   test_fixture_teardown);
	g_test_add("/slots/bookings",
		   TestSlotsFixture,
		   NULL,
		   test_fixture_setup,
		   test_slots_bookings,
		   test_fixture_teardown);
	g_test_add_func("/slots/is-free", test_slots_is_free);
	g_test_add("/slots/notice-horizon",
		   TestSlotsFixture,
		   NULL,
		   test_fixture_setup,
		   test_slots_notice_horizon,
		   test_fixture_teardown);
	g_test_add_func("/slots/step", test_slots_step);
	g_test_add("/slots/capacity",
		   TestSlotsFixture,
		   NULL,
		   test_fixture_setup,
		   test_slots_capacity,
		   test_fixture_teardown);
	g_test_add("/slots/not-offered",
		   TestSlotsFixture,
		   NULL,
		   test_fixture_setup,
		   test_slots_not_offered,
		   test_fixture_teardown);
	g_test_add_func("/slots/merge", test_slots_merge);
	g_test_add_func("/slots/is-offered", test_slots_is_offered);
	g_test_add_func("/slots/property", test_slots_property);
	return g_test_run();
}
