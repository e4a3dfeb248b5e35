/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "ap-test-util.h"
#include "ap-time.h"
#include "ap-zone.h"

/*
 * The zone tables must say exactly what GLib says, at every instant:
 * checked at random instants and next to every transition, in zones with
 * odd rules (half-hour DST on Lord Howe, Morocco's Ramadan changes, a
 * 45-minute offset in Nepal, the southern hemisphere, no DST at all).
 */

static const gchar *const ap_zones[] = {
	"Europe/London",
	"America/New_York",
	"Australia/Lord_Howe",
	"Africa/Casablanca",
	"Asia/Kathmandu",
	"America/Sao_Paulo",
	"Pacific/Apia",
	"Asia/Tokyo",
	"UTC",
};

static gint32
ap_glib_offset(GTimeZone *tz, gint64 instant)
{
	return g_time_zone_get_offset(
		tz, g_time_zone_find_interval(tz, G_TIME_TYPE_UNIVERSAL, instant));
}

static void
test_zone_matches_glib(void)
{
	g_autoptr(GRand) rand = g_rand_new_with_seed(20270328);

	for (guint z = 0; z < G_N_ELEMENTS(ap_zones); z++) {
		g_autoptr(GTimeZone) tz = ap_zone_lookup(ap_zones[z]);
		g_autoptr(GTimeZone) plain = g_time_zone_new_identifier(ap_zones[z]);
		gint32 last = 0;

		g_assert_nonnull(tz);
		/* random instants from 1900 to 2200, past both ends of the table */
		for (guint i = 0; i < 20000; i++) {
			gint64 instant =
				(gint64)g_rand_double_range(rand, -2208988800.0, 7258118400.0);
			g_assert_cmpint(ap_zone_offset_at(tz, instant, NULL),
					==,
					ap_glib_offset(plain, instant));
		}
		/* every second around each change, hour by hour from 1970 to 2040 */
		for (gint64 t = 0; t < G_GINT64_CONSTANT(2208988800); t += 3600) {
			gint32 offset = ap_glib_offset(plain, t);
			if (t > 0 && offset != last) {
				for (gint64 s = t - 3600; s <= t; s++)
					g_assert_cmpint(ap_zone_offset_at(tz, s, NULL),
							==,
							ap_glib_offset(plain, s));
			}
			last = offset;
		}
	}
}

/* one interval value, one offset, and nothing changes in between */
static void
test_zone_intervals(void)
{
	g_autoptr(GTimeZone) tz = ap_zone_lookup("Europe/London");
	gint64 before = 1806195600 - 1; /* 2027-03-28T00:59:59Z, GMT */
	gint64 after = 1806195600;	/* 2027-03-28T01:00:00Z, BST */
	gint a, b, c;

	g_assert_cmpint(ap_zone_offset_at(tz, before, &a), ==, 0);
	g_assert_cmpint(ap_zone_offset_at(tz, after, &b), ==, 3600);
	g_assert_cmpint(ap_zone_offset_at(tz, before - 86400 * 30, &c), ==, 0);
	g_assert_cmpint(a, !=, b);
	g_assert_cmpint(a, ==, c);
}

/* the same zone object for one name; none for what is not a database name */
static void
test_zone_lookup(void)
{
	g_autoptr(GTimeZone) a = ap_zone_lookup("Europe/London");
	g_autoptr(GTimeZone) b = ap_zone_lookup("Europe/London");
	const gchar *bad[] = {"",
			      "UTC+5",
			      "EST5EDT,M3.2.0,M11.1.0",
			      "+05:00",
			      "Europe/Nowhere",
			      "../etc/passwd",
			      "localtime",
			      "posixrules",
			      "Europe/London\n"};

	g_assert_nonnull(a);
	g_assert_true(a == b);
	g_assert_cmpstr(g_time_zone_get_identifier(a), ==, "Europe/London");
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(GTimeZone) tz = ap_zone_lookup(bad[i]);
		g_assert_null(tz);
	}
	g_assert_null(ap_zone_lookup(NULL));
}

/* formatting reads the table too: both sides of London's 2027 changes */
static void
test_zone_format(void)
{
	g_autoptr(GTimeZone) tz = ap_zone_lookup("Europe/London");
	g_autoptr(GTimeZone) ny = ap_zone_lookup("America/New_York");
	g_autoptr(GTimeZone) kathmandu = ap_zone_lookup("Asia/Kathmandu");
	struct {
		GTimeZone *tz;
		gint64 instant;
		const gchar *text;
	} rows[] = {
		{tz, 1806195600 - 1, "2027-03-28T00:59:59+00:00"},
		{tz, 1806195600, "2027-03-28T02:00:00+01:00"},
		{tz, 1824944400 - 1, "2027-10-31T01:59:59+01:00"},
		{tz, 1824944400, "2027-10-31T01:00:00+00:00"},
		{ny, 1799053200, "2027-01-04T04:00:00-05:00"},
		{kathmandu, 1799053200, "2027-01-04T14:45:00+05:45"},
		{NULL, 1799053200, "2027-01-04T09:00:00Z"},
		{NULL, -1, "1969-12-31T23:59:59Z"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_autofree gchar *text = ap_time_format_rfc3339(rows[i].instant, rows[i].tz);
		g_assert_cmpstr(text, ==, rows[i].text);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/zone/matches-glib", test_zone_matches_glib);
	g_test_add_func("/zone/intervals", test_zone_intervals);
	g_test_add_func("/zone/lookup", test_zone_lookup);
	g_test_add_func("/zone/format", test_zone_format);
	return g_test_run();
}
