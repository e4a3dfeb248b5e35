/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "ap-error.h"
#include "ap-test-util.h"
#include "ap-time.h"

#include <string.h>

static void
test_time_parse_valid(void)
{
	struct {
		const gchar *text;
		gint64 instant;
	} rows[] = {
		{"1970-01-01T00:00:00Z", 0},
		{"1970-01-01T01:00:00+01:00", 0},
		{"1969-12-31T19:00:00-05:00", 0},
		{"2027-01-04T09:00:00Z", 1799053200},
		{"2027-01-04t09:00:00z", 1799053200},
		{"2027-01-04T09:00:00+00:00", 1799053200},
		{"2027-01-04T09:00:00-00:00", 1799053200},
		{"2027-01-04T10:00:00+01:00", 1799053200},
		{"2027-01-04T04:00:00-05:00", 1799053200},
		{"2027-01-04T14:30:00+05:30", 1799053200},
		/* the offset moves the date */
		{"2027-01-05T00:00:00+15:00", 1799053200},
		{"2027-01-03T23:00:00-10:00", 1799053200},
		/* a zero fraction, as browsers send */
		{"2027-01-04T09:00:00.000Z", 1799053200},
		{"2027-01-04T09:00:00.0+01:00", 1799053200 - 3600},
		/* the last second of a day, and the extremes of each field */
		{"2027-10-31T00:00:00Z", 1824940800},
		{"2027-10-30T23:59:59Z", 1824940800 - 1},
		{"2027-10-31T00:00:00+23:59", 1824940800 - (23 * 60 + 59) * 60},
		{"2027-10-31T00:00:00-23:59", 1824940800 + (23 * 60 + 59) * 60},
	};

	for (guint i = 0; i < G_N_ELEMENTS(rows); i++)
		g_assert_cmpint(ap_test_instant(rows[i].text), ==, rows[i].instant);

	/* leap days, and the first and last years of four digits */
	g_assert_cmpint(ap_test_instant("2028-02-29T12:00:00Z") -
				ap_test_instant("2028-02-28T12:00:00Z"),
			==,
			86400);
	g_assert_cmpint(ap_test_instant("2000-02-29T00:00:00Z"), ==, 951782400);
	g_assert_cmpint(
		ap_test_instant("0001-01-01T00:00:00Z"), ==, G_GINT64_CONSTANT(-62135596800));
	g_assert_cmpint(
		ap_test_instant("9999-12-31T23:59:59Z"), ==, G_GINT64_CONSTANT(253402300799));
}

static void
test_time_parse_invalid(void)
{
	const gchar *rows[] = {
		NULL,
		"",
		"garbage",
		"2027-01-04",
		/* no offset: a floating time is not an instant */
		"2027-01-04T09:00:00",
		"2027-01-04T09:00",
		"2027-01-04T09:00Z",
		/* dates that do not exist */
		"2027-02-29T09:00:00Z",
		"2027-02-30T09:00:00Z",
		"2100-02-29T09:00:00Z",
		"2027-04-31T09:00:00Z",
		"2027-13-01T09:00:00Z",
		"2027-00-10T09:00:00Z",
		"2027-01-00T09:00:00Z",
		"2027-01-32T09:00:00Z",
		"0000-01-01T00:00:00Z",
		"10000-01-01T00:00:00Z",
		/* an offset that carries the instant out of the years 0001 to 9999 */
		"9999-12-31T23:59:59-01:00",
		"0001-01-01T00:00:00+01:00",
		/* times past the end of their fields */
		"2027-01-04T24:00:00Z",
		"2027-01-04T23:60:00Z",
		"2027-01-04T23:59:60Z",
		"2027-01-04T09:00:00+24:00",
		"2027-01-04T09:00:00+01:60",
		/* not the RFC 3339 shape */
		"2027-1-04T09:00:00Z",
		"2027-01-4T09:00:00Z",
		"2027-01-04T9:00:00Z",
		"2027-01-04 09:00:00Z",
		" 2027-01-04T09:00:00Z",
		"2027-01-04T09:00:00Z ",
		"2027-01-04T09:00:00Zjunk",
		"2027-01-04T09:00:00+0100",
		"2027-01-04T09:00:00+01",
		"2027-01-04T09:00:00UTC",
		"2027-01-04T09:00:00.Z",
		"+2027-01-04T09:00:00Z",
		"2027-01-04T09:00:00.000",
		/* a fraction of a second that is not zero */
		"2027-01-04T09:00:00.5Z",
		"2027-01-04T09:00:00.001+01:00",
	};

	for (guint i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_autoptr(GError) error = NULL;
		gint64 instant = 42;
		gboolean ok = ap_time_parse_rfc3339(rows[i], &instant, &error);

		g_test_message("%s", rows[i] != NULL ? rows[i] : "(null)");
		g_assert_error(error, AP_ERROR, AP_ERROR_INVALID);
		g_assert_false(ok);
		g_assert_cmpint(instant, ==, 42);
	}

	/* the message says what is wrong */
	{
		g_autoptr(GError) error = NULL;
		gint64 instant = 0;
		g_assert_false(ap_time_parse_rfc3339("2027-01-04T09:00:00.5Z", &instant, &error));
		g_assert_nonnull(strstr(error->message, "fraction"));
	}
}

static void
test_time_format(void)
{
	struct {
		const gchar *instant;
		const gchar *zone;
		const gchar *expected;
	} rows[] = {
		{"2027-01-04T09:00:00Z", NULL, "2027-01-04T09:00:00Z"},
		{"2027-01-04T09:00:00Z", "UTC", "2027-01-04T09:00:00Z"},
		{"2027-01-04T09:00:00Z", "Europe/London", "2027-01-04T09:00:00+00:00"},
		{"2027-07-05T08:00:00Z", "Europe/London", "2027-07-05T09:00:00+01:00"},
		{"2027-01-04T09:00:00Z", "America/New_York", "2027-01-04T04:00:00-05:00"},
		{"2027-07-05T13:00:00Z", "America/New_York", "2027-07-05T09:00:00-04:00"},
		{"2027-01-04T09:00:00Z", "Asia/Kolkata", "2027-01-04T14:30:00+05:30"},
		{"2027-01-04T09:00:00Z", "Australia/Sydney", "2027-01-04T20:00:00+11:00"},
		{"2027-07-05T09:00:00Z", "Australia/Sydney", "2027-07-05T19:00:00+10:00"},
		/* a negative offset that is not whole hours */
		{"2027-01-04T09:00:00Z", "America/St_Johns", "2027-01-04T05:30:00-03:30"},
		/* the repeated hour in London: the same wall clock, two offsets */
		{"2027-10-31T00:30:00Z", "Europe/London", "2027-10-31T01:30:00+01:00"},
		{"2027-10-31T01:30:00Z", "Europe/London", "2027-10-31T01:30:00+00:00"},
		/* the first instant after the spring gap */
		{"2027-03-28T01:00:00Z", "Europe/London", "2027-03-28T02:00:00+01:00"},
		{"2027-03-28T00:59:59Z", "Europe/London", "2027-03-28T00:59:59+00:00"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_autoptr(GTimeZone) tz = NULL;
		g_autofree gchar *text = NULL;
		gint64 instant = ap_test_instant(rows[i].instant);

		if (rows[i].zone != NULL) {
			tz = ap_time_zone_new(rows[i].zone, NULL);
			g_assert_nonnull(tz);
		}
		text = ap_time_format_rfc3339(instant, tz);
		g_assert_cmpstr(text, ==, rows[i].expected);

		/* and back */
		g_assert_cmpint(ap_test_instant(text), ==, instant);
	}
}

/* the digits put in place say what GLib's own GDateTime formatting says,
 * over random instants of years 1..9999 in zones east, west, off the
 * hour and UTC */
static void
test_time_format_random(void)
{
	const gchar *zones[] = {"UTC", "Europe/London", "America/St_Johns", "Asia/Kolkata", NULL};
	g_autoptr(GRand) rand = g_rand_new_with_seed(3339);

	for (guint z = 0; zones[z] != NULL; z++) {
		g_autoptr(GTimeZone) tz = ap_time_zone_new(zones[z], NULL);

		g_assert_nonnull(tz);
		for (guint i = 0; i < 2000; i++) {
			/* most in the years bookings are made, the rest anywhere */
			gint64 instant =
				i % 4 == 0 ? (gint64)g_rand_double_range(rand,
									 AP_INSTANT_MIN + 86400,
									 AP_INSTANT_MAX - 86400)
					   : (gint64)g_rand_double_range(rand, 1.7e9, 2.2e9);
			g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc(instant);
			g_autoptr(GDateTime) local = g_date_time_to_timezone(utc, tz);
			g_autofree gchar *text = ap_time_format_rfc3339(instant, tz);
			g_autofree gchar *expected = NULL;

			if (z == 0) {
				expected = g_date_time_format(local, "%Y-%m-%dT%H:%M:%SZ");
			} else {
				g_autofree gchar *stamp =
					g_date_time_format(local, "%Y-%m-%dT%H:%M:%S");
				gint64 offset =
					g_date_time_get_utc_offset(local) / G_TIME_SPAN_SECOND;
				/* the offset to the minute, as the format writes it */
				expected = g_strdup_printf("%s%c%02d:%02d",
							   stamp,
							   offset < 0 ? '-' : '+',
							   (gint)(ABS(offset) / 3600),
							   (gint)(ABS(offset) / 60 % 60));
			}
			/* GLib writes years before 1000 with fewer digits */
			if (g_date_time_get_year(local) < 1000)
				continue;
			g_assert_cmpstr(text, ==, expected);
		}
	}
}

static void
test_date_parse(void)
{
	struct {
		const gchar *text;
		gboolean valid;
	} rows[] = {
		{"2027-01-04", TRUE},
		{"2027-12-31", TRUE},
		{"0001-01-01", TRUE},
		{"9999-12-31", TRUE},
		/* leap years: every fourth, not every hundredth, every 400th */
		{"2028-02-29", TRUE},
		{"2000-02-29", TRUE},
		{"2027-02-29", FALSE},
		{"2100-02-29", FALSE},
		{"1900-02-29", FALSE},
		{"2027-02-30", FALSE},
		{"2027-04-31", FALSE},
		{"2027-13-01", FALSE},
		{"2027-00-01", FALSE},
		{"2027-01-00", FALSE},
		{"0000-01-01", FALSE},
		{"2027-1-04", FALSE},
		{"2027/01/04", FALSE},
		{"2027-01-04T", FALSE},
		{"2027-01-04 ", FALSE},
		{"20270104", FALSE},
		{"", FALSE},
		{NULL, FALSE},
	};

	for (guint i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_autoptr(GError) error = NULL;
		GDate date;
		gboolean ok = ap_date_parse(rows[i].text, &date, &error);

		g_test_message("%s", rows[i].text != NULL ? rows[i].text : "(null)");
		g_assert_cmpint(ok, ==, rows[i].valid);
		if (ok) {
			g_autofree gchar *text = ap_date_format(&date);
			g_assert_no_error(error);
			g_assert_true(g_date_valid(&date));
			g_assert_cmpstr(text, ==, rows[i].text);
		} else {
			g_assert_error(error, AP_ERROR, AP_ERROR_INVALID);
		}
	}
}

static void
test_minute_parse(void)
{
	struct {
		const gchar *text;
		gboolean allow_24;
		gboolean valid;
		guint minute;
	} rows[] = {
		{"00:00", FALSE, TRUE, 0},
		{"09:30", FALSE, TRUE, 570},
		{"23:59", FALSE, TRUE, 1439},
		{"24:00", TRUE, TRUE, 1440},
		{"24:00", FALSE, FALSE, 0},
		{"24:01", TRUE, FALSE, 0},
		{"25:00", TRUE, FALSE, 0},
		{"12:60", FALSE, FALSE, 0},
		{"9:30", FALSE, FALSE, 0},
		{"09:3", FALSE, FALSE, 0},
		{"09-30", FALSE, FALSE, 0},
		{"09:30:00", FALSE, FALSE, 0},
		{" 9:30", FALSE, FALSE, 0},
		{"", FALSE, FALSE, 0},
		{NULL, FALSE, FALSE, 0},
	};

	for (guint i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_autoptr(GError) error = NULL;
		guint minute = 9999;
		gboolean ok = ap_minute_parse(rows[i].text, rows[i].allow_24, &minute, &error);

		g_assert_cmpint(ok, ==, rows[i].valid);
		if (ok) {
			g_autofree gchar *text = ap_minute_format(minute);
			g_assert_no_error(error);
			g_assert_cmpuint(minute, ==, rows[i].minute);
			g_assert_cmpstr(text, ==, rows[i].text);
		} else {
			g_assert_error(error, AP_ERROR, AP_ERROR_INVALID);
			g_assert_cmpuint(minute, ==, 9999);
		}
	}
}

static void
test_time_zone_valid(void)
{
	struct {
		const gchar *identifier;
		gboolean valid;
	} rows[] = {
		{"Europe/London", TRUE},
		{"America/New_York", TRUE},
		{"America/Argentina/Buenos_Aires", TRUE},
		{"Asia/Kolkata", TRUE},
		{"Australia/Sydney", TRUE},
		{"UTC", TRUE},
		{"Mars/Olympus", FALSE},
		{"+05:00", FALSE},
		{"-05:00", FALSE},
		{"EST5EDT,M3.2.0,M11.1.0", FALSE},
		/* POSIX rules GLib would accept for an unknown name */
		{"UTC+5", FALSE},
		{"JST-9", FALSE},
		{"XYZ5", FALSE},
		{"localtime", FALSE},
		{"posixrules", FALSE},
		{"../etc/passwd", FALSE},
		{"Europe/../Europe/London", FALSE},
		{"/usr/share/zoneinfo/Europe/London", FALSE},
		{"Europe/London/", FALSE},
		{"Europe/London ", FALSE},
		{"Europe", FALSE},
		{"", FALSE},
		{NULL, FALSE},
	};

	for (guint i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(GTimeZone) tz = NULL;

		g_test_message("%s", rows[i].identifier != NULL ? rows[i].identifier : "(null)");
		g_assert_cmpint(ap_time_zone_is_valid(rows[i].identifier), ==, rows[i].valid);
		tz = ap_time_zone_new(rows[i].identifier, &error);
		if (rows[i].valid) {
			g_assert_no_error(error);
			g_assert_nonnull(tz);
			g_assert_cmpstr(g_time_zone_get_identifier(tz), ==, rows[i].identifier);
		} else {
			g_assert_error(error, AP_ERROR, AP_ERROR_INVALID);
			g_assert_null(tz);
		}
	}
}

static void
test_local_to_instant(void)
{
	struct {
		const gchar *zone;
		const gchar *date;
		gint minute;
		const gchar *expected; /* NULL: the local time does not exist */
	} rows[] = {
		{"Europe/London", "2027-01-04", 540, "2027-01-04T09:00:00Z"},
		{"Europe/London", "2027-07-05", 540, "2027-07-05T08:00:00Z"},
		/* minutes before and after the date's own */
		{"Europe/London", "2027-01-04", -60, "2027-01-03T23:00:00Z"},
		{"Europe/London", "2027-01-04", 1500, "2027-01-05T01:00:00Z"},
		/* spring forward: 01:00-01:59 does not exist */
		{"Europe/London", "2027-03-28", 59, "2027-03-28T00:59:00Z"},
		{"Europe/London", "2027-03-28", 60, NULL},
		{"Europe/London", "2027-03-28", 119, NULL},
		{"Europe/London", "2027-03-28", 120, "2027-03-28T01:00:00Z"},
		{"Europe/London", "2027-03-27", 1440 + 90, NULL},
		/* fall back: 01:00-01:59 happens twice; the first is taken */
		{"Europe/London", "2027-10-31", 59, "2027-10-30T23:59:00Z"},
		{"Europe/London", "2027-10-31", 60, "2027-10-31T00:00:00Z"},
		{"Europe/London", "2027-10-31", 119, "2027-10-31T00:59:00Z"},
		{"Europe/London", "2027-10-31", 120, "2027-10-31T02:00:00Z"},
		/* the US: 02:00-02:59 skipped, 01:00-01:59 repeated */
		{"America/New_York", "2027-03-14", 119, "2027-03-14T06:59:00Z"},
		{"America/New_York", "2027-03-14", 150, NULL},
		{"America/New_York", "2027-03-14", 180, "2027-03-14T07:00:00Z"},
		{"America/New_York", "2027-11-07", 90, "2027-11-07T05:30:00Z"},
		{"America/New_York", "2027-11-07", 120, "2027-11-07T07:00:00Z"},
		/* Sydney: 02:00-02:59 skipped in October, 02:00-02:59 repeated
		 * in April */
		{"Australia/Sydney", "2027-10-03", 150, NULL},
		{"Australia/Sydney", "2027-10-03", 180, "2027-10-02T16:00:00Z"},
		{"Australia/Sydney", "2027-04-04", 150, "2027-04-03T15:30:00Z"},
		/* no changes at all */
		{"Asia/Kolkata", "2027-03-28", 90, "2027-03-27T20:00:00Z"},
		{"UTC", "2027-03-28", 90, "2027-03-28T01:30:00Z"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_autoptr(GTimeZone) tz = ap_time_zone_new(rows[i].zone, NULL);
		gint64 instant = 42;
		GDate date;
		gboolean ok;

		ap_test_date(rows[i].date, &date);
		ok = ap_local_to_instant(tz, &date, rows[i].minute, &instant);
		if (rows[i].expected == NULL) {
			g_assert_false(ok);
			g_assert_cmpint(instant, ==, 42);
		} else {
			g_assert_true(ok);
			g_assert_cmpint(instant, ==, ap_test_instant(rows[i].expected));
		}
	}
}

static void
test_instant_to_local(void)
{
	struct {
		const gchar *zone;
		const gchar *instant;
		const gchar *date;
		guint minute;
	} rows[] = {
		{"Europe/London", "2027-01-04T09:00:00Z", "2027-01-04", 540},
		{"Europe/London", "2027-07-05T08:00:00Z", "2027-07-05", 540},
		/* the two 01:30s of 31 October */
		{"Europe/London", "2027-10-31T00:30:00Z", "2027-10-31", 90},
		{"Europe/London", "2027-10-31T01:30:00Z", "2027-10-31", 90},
		{"Europe/London", "2027-03-28T01:00:00Z", "2027-03-28", 120},
		{"Europe/London", "2027-03-28T00:59:59Z", "2027-03-28", 59},
		/* the date changes with the offset */
		{"Asia/Kolkata", "2027-01-04T18:30:00Z", "2027-01-05", 0},
		{"America/New_York", "2027-01-04T03:00:00Z", "2027-01-03", 1320},
		/* before 1970 */
		{"UTC", "1969-12-31T23:00:00Z", "1969-12-31", 1380},
		{"UTC", "1969-12-31T23:59:59Z", "1969-12-31", 1439},
		{"UTC", "1970-01-01T00:00:00Z", "1970-01-01", 0},
	};

	for (guint i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_autoptr(GTimeZone) tz = ap_time_zone_new(rows[i].zone, NULL);
		g_autofree gchar *text = NULL;
		GDate date;
		guint minute = 9999;

		ap_instant_to_local(tz, ap_test_instant(rows[i].instant), &date, &minute);
		text = ap_date_format(&date);
		g_assert_cmpstr(text, ==, rows[i].date);
		g_assert_cmpuint(minute, ==, rows[i].minute);

		/* the minute is optional */
		ap_instant_to_local(tz, ap_test_instant(rows[i].instant), &date, NULL);
	}
}

static void
test_local_day_bounds(void)
{
	struct {
		const gchar *zone;
		const gchar *date;
		const gchar *start;
		gint hours;
	} rows[] = {
		{"Europe/London", "2027-01-04", "2027-01-04T00:00:00Z", 24},
		{"Europe/London", "2027-07-05", "2027-07-04T23:00:00Z", 24},
		/* the 23-hour and the 25-hour day of 2027 */
		{"Europe/London", "2027-03-28", "2027-03-28T00:00:00Z", 23},
		{"Europe/London", "2027-10-31", "2027-10-30T23:00:00Z", 25},
		{"America/New_York", "2027-03-14", "2027-03-14T05:00:00Z", 23},
		{"America/New_York", "2027-11-07", "2027-11-07T04:00:00Z", 25},
		{"Australia/Sydney", "2027-10-03", "2027-10-02T14:00:00Z", 23},
		{"Australia/Sydney", "2027-04-04", "2027-04-03T13:00:00Z", 25},
		{"Asia/Kolkata", "2027-03-28", "2027-03-27T18:30:00Z", 24},
	};

	for (guint i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_autoptr(GTimeZone) tz = ap_time_zone_new(rows[i].zone, NULL);
		GDate date, next;
		gint64 start = 0, end = 0, next_start = 0, ignored;

		ap_test_date(rows[i].date, &date);
		ap_local_day_bounds(tz, &date, &start, &end);
		g_assert_cmpint(start, ==, ap_test_instant(rows[i].start));
		g_assert_cmpint(end - start, ==, rows[i].hours * 3600);

		/* days tile: one ends where the next starts */
		next = date;
		g_date_add_days(&next, 1);
		ap_local_day_bounds(tz, &next, &next_start, &ignored);
		g_assert_cmpint(next_start, ==, end);

		/* every minute of the day that exists maps back to itself */
		for (gint m = 0; m < 26 * 60; m++) {
			gint64 instant;
			GDate back;
			guint minute;

			if (!ap_local_to_instant(tz, &date, m, &instant))
				continue;
			ap_instant_to_local(tz, instant, &back, &minute);
			g_assert_cmpint(
				g_date_days_between(&date, &back) * 1440 + (gint)minute, ==, m);
			if (m < 1440) {
				g_assert_cmpint(instant, >=, start);
				g_assert_cmpint(instant, <, end);
			}
		}
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

	g_test_add_func("/time/parse-valid", test_time_parse_valid);
	g_test_add_func("/time/parse-invalid", test_time_parse_invalid);
	g_test_add_func("/time/format", test_time_format);
	g_test_add_func("/time/format-random", test_time_format_random);
	g_test_add_func("/time/date-parse", test_date_parse);
	g_test_add_func("/time/minute-parse", test_minute_parse);
	g_test_add_func("/time/zone-valid", test_time_zone_valid);
	g_test_add_func("/time/local-to-instant", test_local_to_instant);
	g_test_add_func("/time/instant-to-local", test_instant_to_local);
	g_test_add_func("/time/local-day-bounds", test_local_day_bounds);
	return g_test_run();
}
