/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "ap-hours.h"
#include "ap-time.h"
#include "fuzz.h"

/*
 * RFC 3339 instants, calendar dates and times of day, as every request
 * carries them. The input is the text itself (up to a NUL, if any).
 *
 *  - an instant that parses is in GDateTime's range, and formatting it
 *    gives text that parses back to the same instant, in UTC and in zones
 *    with odd offsets (-03:30, +05:45, +13:00 and daylight saving);
 *  - a date or a time of day that parses formats back to the same text;
 *  - the parsers never read past the end, whatever the text.
 */

static const gchar *fuzz_zones[] = {
	"Europe/London",
	"America/St_Johns",
	"Asia/Kathmandu",
	"Pacific/Apia",
	"Australia/Lord_Howe",
	"America/Havana",
};

/* what ap_time_format_rfc3339() writes: YYYY-MM-DDTHH:MM:SS then Z or ±HH:MM */
static void
fuzz_time_check_form(const gchar *text)
{
	static const gchar shape[] = "dddd-dd-ddTdd:dd:dd";
	gsize len = strlen(text);

	g_assert_true(len == 20 || len == 25);
	for (guint i = 0; i < sizeof(shape) - 1; i++) {
		if (shape[i] == 'd')
			g_assert_true(g_ascii_isdigit(text[i]));
		else
			g_assert_cmpint(text[i], ==, shape[i]);
	}
	if (len == 20)
		g_assert_cmpint(text[19], ==, 'Z');
	else
		g_assert_true((text[19] == '+' || text[19] == '-') && text[22] == ':');
}

static void
fuzz_time_instant(const gchar *text)
{
	gint64 instant = 0, again = 0;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *utc = NULL;

	if (!ap_time_parse_rfc3339(text, &instant, &error)) {
		g_assert_nonnull(error);
		return;
	}
	g_assert_no_error(error);
	g_assert_cmpint(instant, >=, AP_INSTANT_MIN);
	g_assert_cmpint(instant, <=, AP_INSTANT_MAX);

	/* ap_time_format_rfc3339() clamps to a day inside the range, so that
	 * no offset can push a date out of it: compare inside that */
	if (instant < AP_INSTANT_MIN + 86400 || instant > AP_INSTANT_MAX - 86400)
		return;
	utc = ap_time_format_rfc3339(instant, NULL);
	fuzz_time_check_form(utc);
	g_assert_true(ap_time_parse_rfc3339(utc, &again, NULL));
	g_assert_cmpint(again, ==, instant);

	for (guint i = 0; i < G_N_ELEMENTS(fuzz_zones); i++) {
		g_autoptr(GTimeZone) tz = ap_time_zone_new(fuzz_zones[i], NULL);
		g_autofree gchar *local = NULL;
		GDate date;
		guint minute = 0;

		g_assert_nonnull(tz);
		local = ap_time_format_rfc3339(instant, tz);
		fuzz_time_check_form(local);
		g_assert_true(ap_time_parse_rfc3339(local, &again, NULL));
		/* offsets of local mean time (before ~1900) have seconds that
		 * RFC 3339 cannot write; since 1972 every offset is whole
		 * minutes */
		if (instant >= 63072000)
			g_assert_cmpint(again, ==, instant);
		else
			g_assert_cmpint(ABS(again - instant), <, 60);

		/* and the wall clock read back */
		ap_instant_to_local(tz, instant, &date, &minute);
		g_assert_true(g_date_valid(&date));
		g_assert_cmpuint(minute, <, AP_MINUTES_PER_DAY);
	}
}

static void
fuzz_time_date(const gchar *text)
{
	GDate date;
	g_autofree gchar *again = NULL;

	if (!ap_date_parse(text, &date, NULL))
		return;
	g_assert_true(g_date_valid(&date));
	again = ap_date_format(&date);
	g_assert_cmpstr(again, ==, text);
}

static void
fuzz_time_minute(const gchar *text)
{
	for (guint allow_24 = 0; allow_24 <= 1; allow_24++) {
		g_autofree gchar *again = NULL;
		guint minute = G_MAXUINT;

		if (!ap_minute_parse(text, allow_24, &minute, NULL))
			continue;
		g_assert_cmpuint(
			minute, <=, allow_24 ? AP_MINUTES_PER_DAY : AP_MINUTES_PER_DAY - 1);
		again = ap_minute_format(minute);
		g_assert_cmpstr(again, ==, text);
	}
}

/* "HH:MM HH:MM": a working range, maybe past midnight */
static void
fuzz_time_range(const gchar *text)
{
	g_auto(GStrv) parts = g_strsplit(text, " ", 2);
	ApTimeRange range = {0};
	g_autoptr(GArray) ranges = g_array_new(FALSE, FALSE, sizeof(ApTimeRange));

	if (g_strv_length(parts) != 2 || !ap_time_range_parse(parts[0], parts[1], &range, NULL))
		return;
	g_assert_cmpuint(range.start, <, AP_MINUTES_PER_DAY);
	g_assert_cmpuint(range.end, >, range.start);
	g_assert_cmpuint(range.end, <=, 2 * AP_MINUTES_PER_DAY);
	g_array_append_val(ranges, range);
	g_assert_true(ap_time_ranges_validate(ranges, NULL));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autofree gchar *text = NULL;

	fuzz_init();
	if (size > 256)
		return 0;
	text = g_strndup((const gchar *)data, size);
	fuzz_time_instant(text);
	fuzz_time_date(text);
	fuzz_time_minute(text);
	fuzz_time_range(text);
	/* a zone name from a request: the answer is a zone or nothing */
	if (ap_time_zone_is_valid(text)) {
		g_autoptr(GTimeZone) tz = ap_time_zone_new(text, NULL);
		g_assert_nonnull(tz);
		g_assert_cmpstr(g_time_zone_get_identifier(tz), ==, text);
	}
	return 0;
}
