/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApTime"

#include "ap-time.h"

#include "ap-error.h"
#include "ap-zone.h"

#include <string.h>

static gboolean
ap_time_digits(const gchar *p, guint n)
{
	for (guint i = 0; i < n; i++) {
		if (!g_ascii_isdigit(p[i]))
			return FALSE;
	}
	return TRUE;
}

static gint
ap_time_number(const gchar *p, guint n)
{
	gint v = 0;
	for (guint i = 0; i < n; i++)
		v = v * 10 + (p[i] - '0');
	return v;
}

/* "YYYY-MM-DD" that names a real calendar date */
static gboolean
ap_date_parse_prefix(const gchar *text, GDate *date)
{
	gint y, m, d;

	if (!ap_time_digits(text, 4) || text[4] != '-' || !ap_time_digits(text + 5, 2) ||
	    text[7] != '-' || !ap_time_digits(text + 8, 2))
		return FALSE;
	y = ap_time_number(text, 4);
	m = ap_time_number(text + 5, 2);
	d = ap_time_number(text + 8, 2);
	if (y < 1 || m < 1 || m > 12 || d < 1 || !g_date_valid_dmy(d, m, y))
		return FALSE;
	g_date_clear(date, 1);
	g_date_set_dmy(date, d, m, y);
	return TRUE;
}

/* the offset in seconds east of UTC, from "Z" or "+HH:MM" ending the text */
static gboolean
ap_time_parse_offset(const gchar *p, gint *offset)
{
	gint oh, om;

	if ((*p == 'Z' || *p == 'z') && p[1] == '\0') {
		*offset = 0;
		return TRUE;
	}
	if ((*p != '+' && *p != '-') || !ap_time_digits(p + 1, 2) || p[3] != ':' ||
	    !ap_time_digits(p + 4, 2) || p[6] != '\0')
		return FALSE;
	oh = ap_time_number(p + 1, 2);
	om = ap_time_number(p + 4, 2);
	if (oh > 23 || om > 59)
		return FALSE;
	*offset = (oh * 60 + om) * 60 * (*p == '-' ? -1 : 1);
	return TRUE;
}

/* fractional seconds are accepted only when zero: see ap_time_parse_rfc3339() */
static const gchar *
ap_time_skip_zero_fraction(const gchar *p, gboolean *nonzero)
{
	if (*p != '.')
		return p;
	p++;
	if (!g_ascii_isdigit(*p))
		return NULL;
	for (; g_ascii_isdigit(*p); p++) {
		if (*p != '0')
			*nonzero = TRUE;
	}
	return p;
}

/**
 * ap_time_parse_rfc3339:
 * @text: an RFC 3339 date-time with an offset, e.g. `2027-01-04T09:00:00Z`
 * @instant: (out): Unix seconds
 * @error: a #GError, or %NULL
 *
 * Parses strictly: the offset is required (an instant without one would be
 * floating), fractional seconds are accepted only when they are zero so
 * that `2027-01-04T09:00:00.000Z` from a browser still works, and the date
 * must exist in the calendar.
 *
 * Returns: %TRUE on success
 */
gboolean
ap_time_parse_rfc3339(const gchar *text, gint64 *instant, GError **error)
{
	GDate date;
	const gchar *p = NULL;
	gint hour = 0, minute = 0, second = 0, offset = 0;
	gboolean fraction = FALSE;
	gint64 result;
	g_autoptr(GDateTime) midnight = NULL;

	g_return_val_if_fail(instant != NULL, FALSE);

	if (text != NULL && strlen(text) >= 20 && ap_date_parse_prefix(text, &date) &&
	    (text[10] == 'T' || text[10] == 't') && ap_time_digits(text + 11, 2) &&
	    text[13] == ':' && ap_time_digits(text + 14, 2) && text[16] == ':' &&
	    ap_time_digits(text + 17, 2)) {
		hour = ap_time_number(text + 11, 2);
		minute = ap_time_number(text + 14, 2);
		second = ap_time_number(text + 17, 2);
		p = ap_time_skip_zero_fraction(text + 19, &fraction);
	}
	if (p == NULL || hour > 23 || minute > 59 || second > 59 ||
	    !ap_time_parse_offset(p, &offset)) {
		g_set_error(error,
			    AP_ERROR,
			    AP_ERROR_INVALID,
			    "'%s' is not an RFC 3339 date-time with an offset, such as "
			    "2027-01-04T09:00:00Z",
			    text != NULL ? text : "");
		return FALSE;
	}
	if (fraction) {
		g_set_error(
			error, AP_ERROR, AP_ERROR_INVALID, "'%s' has a fraction of a second", text);
		return FALSE;
	}

	midnight = g_date_time_new_utc(
		g_date_get_year(&date), g_date_get_month(&date), g_date_get_day(&date), 0, 0, 0);
	result = g_date_time_to_unix(midnight) + hour * 3600 + minute * 60 + second - offset;
	/* an offset can push the first and last days out of GDateTime's range */
	if (result < AP_INSTANT_MIN || result > AP_INSTANT_MAX) {
		g_set_error(error,
			    AP_ERROR,
			    AP_ERROR_INVALID,
			    "'%s' is outside the years 0001 to 9999",
			    text);
		return FALSE;
	}
	*instant = result;
	return TRUE;
}

/**
 * ap_time_format_rfc3339:
 * @instant: Unix seconds
 * @tz: (nullable): the zone whose offset the text carries; %NULL for UTC
 *
 * Returns: (transfer full): e.g. `2027-07-05T09:00:00+01:00`, or with `Z`
 * when @tz is %NULL or UTC itself
 */
/* @value's last @width decimal digits at @out */
static void
ap_time_put_digits(gchar *out, guint value, guint width)
{
	for (guint i = width; i > 0; i--) {
		out[i - 1] = (gchar)('0' + value % 10);
		value /= 10;
	}
}

gchar *
ap_time_format_rfc3339(gint64 instant, GTimeZone *tz)
{
	gboolean utc = tz == NULL || g_strcmp0(g_time_zone_get_identifier(tz), "UTC") == 0;
	gint32 offset;
	gint64 naive, days, seconds;
	GDate date;
	gchar text[sizeof("YYYY-MM-DDTHH:MM:SS+HH:MM")];

	/* answers carry hundreds of instants: the zone's offset from its
	 * table and calendar arithmetic, not a GDateTime for each; and the
	 * digits put in place, not printf'd (every field has a fixed width:
	 * the clamp keeps the year within 0001..9999) */
	instant = CLAMP(instant, AP_INSTANT_MIN + 86400, AP_INSTANT_MAX - 86400);
	offset = utc ? 0 : ap_zone_offset_at(tz, instant, NULL);
	naive = instant + offset;
	days = naive >= 0 ? naive / 86400 : -((-naive + 86399) / 86400);
	seconds = naive - days * 86400;
	g_date_clear(&date, 1);
	g_date_set_julian(&date, (guint32)(days + 719163));
	ap_time_put_digits(text, g_date_get_year(&date), 4);
	text[4] = '-';
	ap_time_put_digits(text + 5, (guint)g_date_get_month(&date), 2);
	text[7] = '-';
	ap_time_put_digits(text + 8, g_date_get_day(&date), 2);
	text[10] = 'T';
	ap_time_put_digits(text + 11, (guint)(seconds / 3600), 2);
	text[13] = ':';
	ap_time_put_digits(text + 14, (guint)(seconds / 60 % 60), 2);
	text[16] = ':';
	ap_time_put_digits(text + 17, (guint)(seconds % 60), 2);
	if (utc) {
		text[19] = 'Z';
		return g_strndup(text, 20);
	}
	/* offsets of whole minutes only: RFC 3339 has no seconds there, and
	 * no zone has used such an offset since 1972 */
	text[19] = offset < 0 ? '-' : '+';
	ap_time_put_digits(text + 20, (guint)(ABS(offset) / 3600), 2);
	text[22] = ':';
	ap_time_put_digits(text + 23, (guint)(ABS(offset) / 60 % 60), 2);
	return g_strndup(text, 25);
}

/**
 * ap_date_parse:
 * @text: `YYYY-MM-DD`
 * @date: (out caller-allocates): the date
 * @error: a #GError, or %NULL
 *
 * Returns: %TRUE if @text is exactly a real calendar date
 */
gboolean
ap_date_parse(const gchar *text, GDate *date, GError **error)
{
	if (text == NULL || strlen(text) != 10 || !ap_date_parse_prefix(text, date)) {
		g_set_error(error,
			    AP_ERROR,
			    AP_ERROR_INVALID,
			    "'%s' is not a calendar date of the form YYYY-MM-DD",
			    text != NULL ? text : "");
		return FALSE;
	}
	return TRUE;
}

gchar *
ap_date_format(const GDate *date)
{
	return g_strdup_printf("%04u-%02u-%02u",
			       (guint)g_date_get_year(date),
			       (guint)g_date_get_month(date),
			       (guint)g_date_get_day(date));
}

/**
 * ap_minute_parse:
 * @text: `HH:MM`
 * @allow_24: whether `24:00` (the end of the day) is accepted
 * @minute: (out): minutes after midnight
 * @error: a #GError, or %NULL
 *
 * Returns: %TRUE on success
 */
gboolean
ap_minute_parse(const gchar *text, gboolean allow_24, guint *minute, GError **error)
{
	guint h, m;

	if (text == NULL || strlen(text) != 5 || !ap_time_digits(text, 2) || text[2] != ':' ||
	    !ap_time_digits(text + 3, 2)) {
		g_set_error(error,
			    AP_ERROR,
			    AP_ERROR_INVALID,
			    "'%s' is not a time of day of the form HH:MM",
			    text != NULL ? text : "");
		return FALSE;
	}
	h = (guint)ap_time_number(text, 2);
	m = (guint)ap_time_number(text + 3, 2);
	if (m > 59 || h > 24 || (h == 24 && (m != 0 || !allow_24))) {
		g_set_error(error,
			    AP_ERROR,
			    AP_ERROR_INVALID,
			    "'%s' is not a time of day between 00:00 and %s",
			    text,
			    allow_24 ? "24:00" : "23:59");
		return FALSE;
	}
	*minute = h * 60 + m;
	return TRUE;
}

gchar *
ap_minute_format(guint minute)
{
	return g_strdup_printf("%02u:%02u", minute / 60, minute % 60);
}

/**
 * ap_time_zone_is_valid:
 * @identifier: an IANA time-zone name such as `Europe/London`
 *
 * Returns: %TRUE if the zone database knows @identifier. POSIX TZ strings
 * and bare offsets (`+05:00`, `EST5EDT,M3.2.0,M11.1.0`) are refused: a
 * customer's zone must follow its government's rule changes.
 */
gboolean
ap_time_zone_is_valid(const gchar *identifier)
{
	g_autoptr(GTimeZone) tz = ap_zone_lookup(identifier);

	return tz != NULL;
}

/**
 * ap_time_zone_new:
 * @identifier: an IANA time-zone name
 * @error: a #GError, or %NULL
 *
 * Returns: (transfer full): the zone, or %NULL with @error set
 */
GTimeZone *
ap_time_zone_new(const gchar *identifier, GError **error)
{
	GTimeZone *tz = ap_zone_lookup(identifier);

	if (tz == NULL)
		g_set_error(error,
			    AP_ERROR,
			    AP_ERROR_INVALID,
			    "'%s' is not an IANA time zone such as Europe/London",
			    identifier != NULL ? identifier : "");
	return tz;
}

static gint32
ap_time_offset_at(GTimeZone *tz, gint64 instant)
{
	return ap_zone_offset_at(tz, instant, NULL);
}

/* local midnight of @date read as if it were UTC */
static gint64
ap_time_naive_midnight(const GDate *date)
{
	return ((gint64)g_date_get_julian(date) - 719163) * 86400;
}

/**
 * ap_local_to_instant:
 * @tz: the zone
 * @date: a local date
 * @minute: minutes after local midnight of @date; may be negative or past
 *   1440 to name a wall-clock time on an earlier or later date
 * @instant: (out): Unix seconds
 *
 * Turns a wall-clock time into an instant. When the clocks go back the
 * repeated hour is ambiguous and the earlier instant is taken; when they go
 * forward the skipped hour does not exist.
 *
 * Returns: %FALSE if that local time does not exist in @tz
 */
gboolean
ap_local_to_instant(GTimeZone *tz, const GDate *date, gint minute, gint64 *instant)
{
	gint64 naive = ap_time_naive_midnight(date) + (gint64)minute * 60;
	gint32 offsets[3];
	gboolean found = FALSE;
	gint64 best = 0;

	/* every instant that reads as @naive on the wall has one of the offsets
	 * in force around it; zones change offset at most every few weeks */
	offsets[0] = ap_time_offset_at(tz, naive - 86400);
	offsets[1] = ap_time_offset_at(tz, naive);
	offsets[2] = ap_time_offset_at(tz, naive + 86400);
	for (guint i = 0; i < G_N_ELEMENTS(offsets); i++) {
		gint64 candidate = naive - offsets[i];
		if (ap_time_offset_at(tz, candidate) != offsets[i])
			continue;
		if (!found || candidate < best)
			best = candidate;
		found = TRUE;
	}
	if (found)
		*instant = best;
	return found;
}

/**
 * ap_instant_to_local:
 * @tz: the zone
 * @instant: Unix seconds
 * @date: (out caller-allocates): the local date
 * @minute: (out) (optional): minutes after local midnight
 */
void
ap_instant_to_local(GTimeZone *tz, gint64 instant, GDate *date, guint *minute)
{
	gint64 naive = instant + ap_time_offset_at(tz, instant);
	gint64 days = naive >= 0 ? naive / 86400 : -((-naive + 86399) / 86400);

	g_date_clear(date, 1);
	g_date_set_julian(date, (guint32)(days + 719163));
	if (minute != NULL)
		*minute = (guint)((naive - days * 86400) / 60);
}

/**
 * ap_local_day_bounds:
 * @tz: the zone
 * @date: a local date
 * @start: (out): the first instant of @date in @tz
 * @end: (out): the first instant of the next date
 *
 * A local day is 23, 24 or 25 hours long; never add 86400 s to move a day.
 */
void
ap_local_day_bounds(GTimeZone *tz, const GDate *date, gint64 *start, gint64 *end)
{
	GDate next = *date;

	/* midnight itself is skipped in some zones (e.g. America/Havana); then
	 * the day starts at the first minute that exists */
	for (gint m = 0; m < 180; m++) {
		if (ap_local_to_instant(tz, date, m, start))
			break;
	}
	g_date_add_days(&next, 1);
	for (gint m = 0; m < 180; m++) {
		if (ap_local_to_instant(tz, &next, m, end))
			break;
	}
}
