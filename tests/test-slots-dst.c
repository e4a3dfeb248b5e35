/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "ap-slots.h"
#include "ap-test-slots.h"
#include "ap-time.h"

/*
 * The slot engine against the wall clock: a London expert in winter and in
 * summer, both clock changes of 2027 (a start in the gap is never offered,
 * one in the repeated hour only once), a New York expert seen from London
 * in the weeks the two zones change apart, and hours crossing midnight.
 */

static void
test_slots_london_seasons(ApTestSlotsFixture *fixture, gconstpointer user_data)
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
		ApSlotWindow window = ap_test_window_days(fixture->tz, rows[i].date, rows[i].date);
		g_autoptr(GArray) offers =
			ap_test_slots(fixture->service, fixture->expert, &window, NULL, 0);
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
		g_assert_cmpint(first->start, ==, ap_test_instant(rows[i].first_utc));
		g_assert_cmpint(first->end - first->start, ==, 3600);
		g_assert_cmpint(first->expert_id, ==, 1);
		g_assert_cmpuint(first->remaining, ==, 1);
	}
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
		g_autoptr(ApService) service = ap_test_service_new(rows[i].duration, rows[i].step);
		g_autoptr(ApExpert) expert = ap_test_expert_new(1, "Europe/London");
		g_autoptr(GArray) offers = NULL;
		g_autofree gchar *text = NULL;
		GTimeZone *tz = ap_expert_get_tz(expert);
		ApSlotWindow window;
		ApTimeRange range = {0};
		GDate date, next;
		gint64 range_start, range_end;

		ap_test_date(rows[i].date, &date);
		next = date;
		g_date_add_days(&next, 1);
		ap_test_expert_add_hours(
			expert, g_date_get_weekday(&date), rows[i].start, rows[i].end);
		window = ap_test_window_days(tz, rows[i].date, rows[i].date);
		ap_local_day_bounds(tz, &next, &range_start, &window.to);

		offers = ap_test_slots(service, expert, &window, NULL, 0);
		text = ap_test_offers_to_string(offers, tz);
		g_assert_cmpstr(text, ==, rows[i].expected);
		g_assert_cmpuint(offers->len, ==, rows[i].n_slots);

		/* and the rules behind the strings */
		g_assert_true(ap_time_range_parse(rows[i].start, rows[i].end, &range, NULL));
		range_start = ap_test_first_existing(tz, &date, range.start);
		range_end = ap_test_first_existing(tz, &date, range.end);
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
	g_autoptr(ApService) service = ap_test_service_new(60, 60);
	g_autoptr(ApExpert) expert = ap_test_expert_new(2, "America/New_York");
	g_autoptr(GTimeZone) london = g_time_zone_new_identifier("Europe/London");
	GTimeZone *new_york = ap_expert_get_tz(expert);

	ap_test_expert_add_weekdays(expert, "09:00", "17:00");
	for (guint i = 0; i < G_N_ELEMENTS(rows); i++) {
		ApSlotWindow window = ap_test_window_days(london, rows[i].date, rows[i].date);
		g_autoptr(GArray) offers = ap_test_slots(service, expert, &window, NULL, 0);
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
		ApSlotWindow window = ap_test_window_days(london, "2027-03-15", "2027-03-21");
		g_autoptr(GArray) offers = ap_test_slots(service, expert, &window, NULL, 0);
		g_autofree gchar *hhmm = NULL;

		g_assert_cmpuint(offers->len, ==, 5 * 8);
		for (guint day = 0; day < 5; day++) {
			g_autoptr(GArray) one = g_array_new(FALSE, FALSE, sizeof(ApSlotOffer));
			g_autofree gchar *text = NULL;
			g_array_append_vals(one, &g_array_index(offers, ApSlotOffer, day * 8), 8);
			text = ap_test_offers_to_hhmm(one, london);
			g_assert_cmpstr(
				text, ==, "13:00 14:00 15:00 16:00 17:00 18:00 19:00 20:00");
		}
		hhmm = ap_test_offers_to_hhmm(offers, new_york);
		g_assert_true(g_str_has_prefix(
			hhmm, "09:00 10:00 11:00 12:00 13:00 14:00 15:00 16:00 09:00"));
	}
}

static void
test_slots_cross_midnight(void)
{
	g_autoptr(ApService) service = ap_test_service_new(60, 60);
	g_autoptr(ApExpert) expert = ap_test_expert_new(1, "Europe/London");
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

	ap_test_expert_add_hours(expert, G_DATE_FRIDAY, "22:00", "02:00");
	ap_test_expert_add_hours(expert, G_DATE_SATURDAY, "09:00", "11:00");
	for (guint i = 0; i < G_N_ELEMENTS(rows); i++) {
		ApSlotWindow window = ap_test_window_days(tz, rows[i].first, rows[i].last);
		g_autoptr(GArray) offers = ap_test_slots(service, expert, &window, NULL, 0);
		g_autofree gchar *text = ap_test_offers_to_string(offers, tz);
		g_assert_cmpstr(text, ==, rows[i].expected);
	}

	/* a Saturday range overlapping Friday's on the wall gives each
	 * instant once */
	ap_test_expert_add_hours(expert, G_DATE_SATURDAY, "00:30", "03:00");
	{
		ApSlotWindow window = ap_test_window_days(tz, "2027-01-09", "2027-01-09");
		g_autoptr(GArray) offers = ap_test_slots(service, expert, &window, NULL, 0);
		g_autofree gchar *text = ap_test_offers_to_hhmm(offers, tz);
		g_assert_cmpstr(text, ==, "00:00 01:00 02:00 09:00 10:00");
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

	ap_test_slots_add("/slots/london-seasons", test_slots_london_seasons);
	g_test_add_func("/slots/london-clock-changes", test_slots_london_clock_changes);
	g_test_add_func("/slots/new-york", test_slots_new_york);
	g_test_add_func("/slots/cross-midnight", test_slots_cross_midnight);
	return g_test_run();
}
