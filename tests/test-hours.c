/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "ap-error.h"
#include "ap-hours.h"
#include "ap-time.h"

static void
test_time_range_parse(void)
{
	struct {
		const gchar *start;
		const gchar *end;
		gboolean valid;
		guint range_start;
		guint range_end;
	} rows[] = {
		{"09:00", "17:00", TRUE, 540, 1020},
		{"00:00", "23:59", TRUE, 0, 1439},
		/* the end of the day */
		{"09:00", "24:00", TRUE, 540, 1440},
		{"23:30", "24:00", TRUE, 1410, 1440},
		/* an end at or before the start is on the next day */
		{"22:00", "02:00", TRUE, 1320, 1560},
		{"23:30", "00:00", TRUE, 1410, 1440},
		{"00:00", "00:00", TRUE, 0, 1440},
		{"09:00", "09:00", TRUE, 540, 1980},
		{"23:59", "23:58", TRUE, 1439, 2878},
		/* a start of 24:00 is the next day's 00:00 */
		{"24:00", "01:00", FALSE, 0, 0},
		/* not times of day */
		{"9:00", "17:00", FALSE, 0, 0},
		{"09:00", "17:60", FALSE, 0, 0},
		{"09:00", "24:01", FALSE, 0, 0},
		{"25:00", "26:00", FALSE, 0, 0},
		{"09:00", "", FALSE, 0, 0},
		{NULL, "10:00", FALSE, 0, 0},
		{"09:00", NULL, FALSE, 0, 0},
	};

	for (guint i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_autoptr(GError) error = NULL;
		ApTimeRange range = {7, 7};
		gboolean ok = ap_time_range_parse(rows[i].start, rows[i].end, &range, &error);

		g_test_message("%s-%s",
			       rows[i].start != NULL ? rows[i].start : "(null)",
			       rows[i].end != NULL ? rows[i].end : "(null)");
		g_assert_cmpint(ok, ==, rows[i].valid);
		if (ok) {
			g_assert_no_error(error);
			g_assert_cmpuint(range.start, ==, rows[i].range_start);
			g_assert_cmpuint(range.end, ==, rows[i].range_end);
		} else {
			g_assert_error(error, AP_ERROR, AP_ERROR_INVALID);
			g_assert_cmpuint(range.start, ==, 7);
			g_assert_cmpuint(range.end, ==, 7);
		}
	}
}

static void
test_time_ranges_validate(void)
{
	struct {
		ApTimeRange ranges[3];
		guint n_ranges;
		gboolean valid;
	} rows[] = {
		{{{0}}, 0, TRUE},
		{{{540, 720}, {780, 1020}}, 2, TRUE},
		/* touching is not overlapping: ranges are half open */
		{{{540, 720}, {720, 1020}}, 2, TRUE},
		{{{540, 720}, {1320, 2880}}, 2, TRUE},
		{{{540, 721}, {720, 1020}}, 2, FALSE},
		{{{540, 1020}, {600, 660}}, 2, FALSE},
		/* malformed on their own */
		{{{720, 720}}, 1, FALSE},
		{{{720, 540}}, 1, FALSE},
		{{{1440, 1500}}, 1, FALSE},
		{{{1320, 2881}}, 1, FALSE},
	};

	for (guint i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_autoptr(GArray) ranges = g_array_new(FALSE, FALSE, sizeof(ApTimeRange));
		g_autoptr(GError) error = NULL;
		gboolean ok;

		g_array_append_vals(ranges, rows[i].ranges, rows[i].n_ranges);
		ok = ap_time_ranges_validate(ranges, &error);
		g_assert_cmpint(ok, ==, rows[i].valid);
		if (ok)
			g_assert_no_error(error);
		else
			g_assert_error(error, AP_ERROR, AP_ERROR_INVALID);
	}
}

static void
test_weekly_hours_add(void)
{
	g_autoptr(ApWeeklyHours) hours = ap_weekly_hours_new();
	g_autoptr(GError) error = NULL;
	GArray *monday;

	g_assert_true(ap_weekly_hours_is_empty(hours));

	g_assert_true(ap_weekly_hours_add(hours, G_DATE_MONDAY, 780, 1020, &error));
	g_assert_no_error(error);
	g_assert_true(ap_weekly_hours_add(hours, G_DATE_MONDAY, 540, 720, &error));
	g_assert_no_error(error);
	g_assert_false(ap_weekly_hours_is_empty(hours));

	/* kept sorted */
	monday = ap_weekly_hours_get_day(hours, G_DATE_MONDAY);
	g_assert_cmpuint(monday->len, ==, 2);
	g_assert_cmpuint(g_array_index(monday, ApTimeRange, 0).start, ==, 540);
	g_assert_cmpuint(g_array_index(monday, ApTimeRange, 1).start, ==, 780);

	/* an overlap is refused and changes nothing */
	g_assert_false(ap_weekly_hours_add(hours, G_DATE_MONDAY, 660, 840, &error));
	g_assert_error(error, AP_ERROR, AP_ERROR_INVALID);
	g_assert_true(g_str_has_prefix(error->message, "mon: "));
	g_clear_error(&error);
	g_assert_false(ap_weekly_hours_add(hours, G_DATE_MONDAY, 600, 660, &error));
	g_assert_error(error, AP_ERROR, AP_ERROR_INVALID);
	g_clear_error(&error);
	g_assert_false(ap_weekly_hours_add(hours, G_DATE_MONDAY, 0, 2880, &error));
	g_assert_error(error, AP_ERROR, AP_ERROR_INVALID);
	g_clear_error(&error);
	monday = ap_weekly_hours_get_day(hours, G_DATE_MONDAY);
	g_assert_cmpuint(monday->len, ==, 2);

	/* malformed ranges are refused too */
	g_assert_false(ap_weekly_hours_add(hours, G_DATE_TUESDAY, 1440, 1500, &error));
	g_assert_error(error, AP_ERROR, AP_ERROR_INVALID);
	g_assert_true(g_str_has_prefix(error->message, "tue: "));
	g_clear_error(&error);
	g_assert_false(ap_weekly_hours_add(hours, G_DATE_TUESDAY, 600, 600, &error));
	g_assert_error(error, AP_ERROR, AP_ERROR_INVALID);
	g_clear_error(&error);
	g_assert_cmpuint(ap_weekly_hours_get_day(hours, G_DATE_TUESDAY)->len, ==, 0);

	/* touching ranges are fine */
	g_assert_true(ap_weekly_hours_add(hours, G_DATE_MONDAY, 720, 780, &error));
	g_assert_no_error(error);
	monday = ap_weekly_hours_get_day(hours, G_DATE_MONDAY);
	g_assert_cmpuint(monday->len, ==, 3);
	g_assert_cmpuint(g_array_index(monday, ApTimeRange, 1).start, ==, 720);

	/* a range crossing midnight belongs to its first day, and does not
	 * clash with the next day's early hours */
	g_assert_true(ap_weekly_hours_add(hours, G_DATE_SUNDAY, 1320, 1560, &error));
	g_assert_no_error(error);
	g_assert_true(ap_weekly_hours_add(hours, G_DATE_MONDAY, 60, 180, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(ap_weekly_hours_get_day(hours, G_DATE_SUNDAY)->len, ==, 1);
	g_assert_cmpuint(ap_weekly_hours_get_day(hours, G_DATE_MONDAY)->len, ==, 4);
	g_assert_false(ap_weekly_hours_add(hours, G_DATE_SUNDAY, 1200, 1380, &error));
	g_assert_error(error, AP_ERROR, AP_ERROR_INVALID);
}

static void
test_weekly_hours_copy(void)
{
	g_autoptr(ApWeeklyHours) hours = ap_weekly_hours_new();
	g_autoptr(ApWeeklyHours) copy = NULL;

	g_assert_true(ap_weekly_hours_add(hours, G_DATE_WEDNESDAY, 540, 1020, NULL));
	copy = ap_weekly_hours_copy(hours);
	for (GDateWeekday d = G_DATE_MONDAY; d <= G_DATE_SUNDAY; d++) {
		GArray *a = ap_weekly_hours_get_day(hours, d);
		GArray *b = ap_weekly_hours_get_day(copy, d);
		g_assert_true(a != b);
		g_assert_cmpuint(a->len, ==, b->len);
		g_assert_cmpmem(a->data,
				a->len * sizeof(ApTimeRange),
				b->data,
				b->len * sizeof(ApTimeRange));
	}

	/* independent of each other */
	g_assert_true(ap_weekly_hours_add(copy, G_DATE_WEDNESDAY, 1080, 1200, NULL));
	g_assert_cmpuint(ap_weekly_hours_get_day(hours, G_DATE_WEDNESDAY)->len, ==, 1);
	g_assert_cmpuint(ap_weekly_hours_get_day(copy, G_DATE_WEDNESDAY)->len, ==, 2);
}

static void
test_weekday_strings(void)
{
	struct {
		const gchar *text;
		GDateWeekday weekday;
	} rows[] = {
		{"mon", G_DATE_MONDAY},
		{"tue", G_DATE_TUESDAY},
		{"wed", G_DATE_WEDNESDAY},
		{"thu", G_DATE_THURSDAY},
		{"fri", G_DATE_FRIDAY},
		{"sat", G_DATE_SATURDAY},
		{"sun", G_DATE_SUNDAY},
		{"Mon", G_DATE_BAD_WEEKDAY},
		{"monday", G_DATE_BAD_WEEKDAY},
		{"mo", G_DATE_BAD_WEEKDAY},
		{"xyz", G_DATE_BAD_WEEKDAY},
		{"", G_DATE_BAD_WEEKDAY},
		{NULL, G_DATE_BAD_WEEKDAY},
	};

	for (guint i = 0; i < G_N_ELEMENTS(rows); i++) {
		GDateWeekday weekday = ap_weekday_from_string(rows[i].text);
		g_assert_cmpint(weekday, ==, rows[i].weekday);
		if (weekday != G_DATE_BAD_WEEKDAY)
			g_assert_cmpstr(ap_weekday_to_string(weekday), ==, rows[i].text);
	}
}

static void
test_date_override_copy(void)
{
	g_autoptr(ApDateOverride) override = NULL;
	g_autoptr(ApDateOverride) copy = NULL;
	g_autoptr(ApDateOverride) empty = NULL;
	g_autoptr(ApDateOverride) empty_copy = NULL;
	ApTimeRange ranges[] = {{540, 720}, {780, 1020}};
	ApTimeRange extra = {1080, 1200};
	GDate date;

	g_date_clear(&date, 1);
	g_date_set_dmy(&date, 24, G_DATE_DECEMBER, 2027);
	override = ap_date_override_new(&date);
	g_array_append_vals(override->ranges, ranges, G_N_ELEMENTS(ranges));

	copy = ap_date_override_copy(override);
	g_assert_cmpint(g_date_compare(&copy->date, &override->date), ==, 0);
	g_assert_true(copy->ranges != override->ranges);
	g_assert_cmpuint(copy->ranges->len, ==, 2);
	g_assert_cmpmem(copy->ranges->data, sizeof(ranges), ranges, sizeof(ranges));

	/* the copy is its own */
	g_array_append_val(copy->ranges, extra);
	g_assert_cmpuint(override->ranges->len, ==, 2);

	/* an empty override (a day off) copies as empty */
	empty = ap_date_override_new(&date);
	empty_copy = ap_date_override_copy(empty);
	g_assert_cmpuint(empty_copy->ranges->len, ==, 0);

	/* freeing NULL is harmless */
	ap_date_override_free(NULL);
	ap_weekly_hours_free(NULL);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

	g_test_add_func("/hours/time-range-parse", test_time_range_parse);
	g_test_add_func("/hours/time-ranges-validate", test_time_ranges_validate);
	g_test_add_func("/hours/weekly-add", test_weekly_hours_add);
	g_test_add_func("/hours/weekly-copy", test_weekly_hours_copy);
	g_test_add_func("/hours/weekday-strings", test_weekday_strings);
	g_test_add_func("/hours/override-copy", test_date_override_copy);
	return g_test_run();
}
