/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "ap-test-slots.h"

#include "ap-time.h"

/*
 * What the slot engine's tests build their cases from: services,
 * experts, windows and a readable form of the answers.
 */

/**
 * ap_test_service_new:
 * @duration: minutes a session lasts
 * @step: minutes between starts
 *
 * Returns: (transfer full): a one-to-one service %AP_TEST_SERVICE_ID with
 * no buffers, no notice and the longest horizon
 */
ApService *
ap_test_service_new(guint duration, guint step)
{
	ApService *service = ap_service_new(AP_TEST_SERVICE_ID);

	service->duration_minutes = duration;
	service->step_minutes = step;
	service->min_notice_minutes = 0;
	service->horizon_days = AP_SERVICE_MAX_HORIZON_DAYS;
	return service;
}

/**
 * ap_test_expert_new:
 * @timezone: an IANA zone
 *
 * Returns: (transfer full): an expert giving %AP_TEST_SERVICE_ID, with no
 * hours yet
 */
ApExpert *
ap_test_expert_new(gint64 id, const gchar *timezone)
{
	g_autoptr(GError) error = NULL;
	ApExpert *expert = ap_expert_new();
	gboolean ok;

	expert->id = id;
	ok = ap_expert_set_timezone(expert, timezone, &error);
	g_assert_no_error(error);
	g_assert_true(ok);
	g_ptr_array_add(expert->services, g_strdup(AP_TEST_SERVICE_ID));
	return expert;
}

/**
 * ap_test_expert_add_hours:
 * @start: HH:MM
 * @end: HH:MM, on the next day if not after @start
 *
 * Adds a working range to @weekday of @expert's week.
 */
void
ap_test_expert_add_hours(ApExpert *expert,
			 GDateWeekday weekday,
			 const gchar *start,
			 const gchar *end)
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

/**
 * ap_test_expert_add_weekdays:
 *
 * Adds the same working range to Monday to Friday.
 */
void
ap_test_expert_add_weekdays(ApExpert *expert, const gchar *start, const gchar *end)
{
	for (GDateWeekday d = G_DATE_MONDAY; d <= G_DATE_FRIDAY; d++)
		ap_test_expert_add_hours(expert, d, start, end);
}

/**
 * ap_test_window_days:
 *
 * Returns: the window from the start of local date @first to the end of
 * local date @last in @tz, seen from %AP_TEST_SLOTS_NOW
 */
ApSlotWindow
ap_test_window_days(GTimeZone *tz, const gchar *first, const gchar *last)
{
	ApSlotWindow window = {.now = ap_test_instant(AP_TEST_SLOTS_NOW)};
	GDate d1, d2;
	gint64 ignored;

	ap_test_date(first, &d1);
	ap_test_date(last, &d2);
	ap_local_day_bounds(tz, &d1, &window.from, &ignored);
	ap_local_day_bounds(tz, &d2, &ignored, &window.to);
	return window;
}

/* the invariants every answer keeps, whatever was asked */
static void
ap_test_offers_check(GArray *offers, const ApService *service, const ApSlotWindow *window)
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

/**
 * ap_test_slots:
 *
 * Asks ap_slots_for_expert() and checks the invariants of its answer.
 *
 * Returns: (transfer full): the offers, of #ApSlotOffer
 */
GArray *
ap_test_slots(const ApService *service,
	      ApExpert *expert,
	      const ApSlotWindow *window,
	      const ApBusy *busy,
	      guint n_busy)
{
	GArray *offers = ap_slots_for_expert(service, expert, window, busy, n_busy);

	g_assert_nonnull(offers);
	ap_test_offers_check(offers, service, window);
	return offers;
}

/**
 * ap_test_offers_to_string:
 *
 * Returns: (transfer full): the starts of @offers as RFC 3339 with the
 * offset of @tz, space separated
 */
gchar *
ap_test_offers_to_string(GArray *offers, GTimeZone *tz)
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

/**
 * ap_test_offers_to_hhmm:
 *
 * Returns: (transfer full): the starts of @offers as local HH:MM in @tz,
 * space separated
 */
gchar *
ap_test_offers_to_hhmm(GArray *offers, GTimeZone *tz)
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

/**
 * ap_test_slots_add:
 *
 * Adds the test @func at @path, run in a fresh #ApTestSlotsFixture.
 */
void
ap_test_slots_add(const gchar *path, ApTestSlotsFunc func)
{
	g_test_add(path,
		   ApTestSlotsFixture,
		   NULL,
		   ap_test_slots_fixture_set_up,
		   func,
		   ap_test_slots_fixture_tear_down);
}

void
ap_test_slots_fixture_set_up(ApTestSlotsFixture *fixture, gconstpointer user_data)
{
	fixture->service = ap_test_service_new(60, 60);
	fixture->expert = ap_test_expert_new(1, "Europe/London");
	ap_test_expert_add_weekdays(fixture->expert, "09:00", "17:00");
	fixture->tz = ap_expert_get_tz(fixture->expert);
}

void
ap_test_slots_fixture_tear_down(ApTestSlotsFixture *fixture, gconstpointer user_data)
{
	g_clear_pointer(&fixture->service, ap_service_unref);
	g_clear_pointer(&fixture->expert, ap_expert_unref);
}

/**
 * ap_test_first_existing:
 *
 * Returns: the instant of the first local minute of @date at or after
 * @minute that exists in @tz (a minute in a gap does not)
 */
gint64
ap_test_first_existing(GTimeZone *tz, const GDate *date, gint minute)
{
	gint64 instant = 0;

	for (gint m = minute; m <= minute + 180; m++) {
		if (ap_local_to_instant(tz, date, m, &instant))
			return instant;
	}
	g_assert_not_reached();
	return 0;
}
