/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApHours"

#include "ap-hours.h"

#include "ap-error.h"
#include "ap-time.h"

static const gchar *ap_weekday_names[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

const gchar *
ap_weekday_to_string(GDateWeekday weekday)
{
	g_return_val_if_fail(weekday >= G_DATE_MONDAY && weekday <= G_DATE_SUNDAY, NULL);
	return ap_weekday_names[weekday - 1];
}

/**
 * ap_weekday_from_string:
 * @text: `mon` to `sun`
 *
 * Returns: the weekday, or %G_DATE_BAD_WEEKDAY
 */
GDateWeekday
ap_weekday_from_string(const gchar *text)
{
	for (guint i = 0; i < G_N_ELEMENTS(ap_weekday_names); i++) {
		if (g_strcmp0(text, ap_weekday_names[i]) == 0)
			return (GDateWeekday)(i + 1);
	}
	return G_DATE_BAD_WEEKDAY;
}

/**
 * ap_time_range_parse:
 * @start: `HH:MM`
 * @end: `HH:MM`, or `24:00`; an end at or before @start means the next day
 * @range: (out caller-allocates): the range
 * @error: a #GError, or %NULL
 *
 * Returns: %TRUE on success
 */
gboolean
ap_time_range_parse(const gchar *start, const gchar *end, ApTimeRange *range, GError **error)
{
	guint s, e;

	if (!ap_minute_parse(start, FALSE, &s, error))
		return FALSE;
	if (!ap_minute_parse(end, TRUE, &e, error))
		return FALSE;
	if (e <= s)
		e += AP_MINUTES_PER_DAY;
	if (e - s > AP_MINUTES_PER_DAY) {
		g_set_error(error,
			    AP_ERROR,
			    AP_ERROR_INVALID,
			    "%s to %s is longer than a day",
			    start,
			    end);
		return FALSE;
	}
	range->start = (guint16)s;
	range->end = (guint16)e;
	return TRUE;
}

static gint
ap_time_range_cmp(gconstpointer a, gconstpointer b)
{
	const ApTimeRange *ra = a, *rb = b;
	if (ra->start != rb->start)
		return ra->start < rb->start ? -1 : 1;
	return ra->end < rb->end ? -1 : ra->end > rb->end;
}

void
ap_time_ranges_sort(GArray *ranges)
{
	g_array_sort(ranges, ap_time_range_cmp);
}

/**
 * ap_time_ranges_validate:
 * @ranges: (element-type ApTimeRange): sorted ranges of one day
 * @error: a #GError, or %NULL
 *
 * Returns: %TRUE if every range is well formed and none overlaps another
 */
gboolean
ap_time_ranges_validate(GArray *ranges, GError **error)
{
	for (guint i = 0; i < ranges->len; i++) {
		const ApTimeRange *r = &g_array_index(ranges, ApTimeRange, i);
		if (r->start >= AP_MINUTES_PER_DAY || r->end <= r->start ||
		    r->end > 2 * AP_MINUTES_PER_DAY) {
			g_set_error(error,
				    AP_ERROR,
				    AP_ERROR_INVALID,
				    "a range from minute %u to %u is not a time of day",
				    r->start,
				    r->end);
			return FALSE;
		}
		if (i > 0 && g_array_index(ranges, ApTimeRange, i - 1).end > r->start) {
			g_autofree gchar *s = ap_minute_format(r->start);
			g_set_error(error,
				    AP_ERROR,
				    AP_ERROR_INVALID,
				    "the range starting at %s overlaps the one before it",
				    s);
			return FALSE;
		}
	}
	return TRUE;
}

static GArray *
ap_time_ranges_new(void)
{
	return g_array_new(FALSE, FALSE, sizeof(ApTimeRange));
}

ApWeeklyHours *
ap_weekly_hours_new(void)
{
	ApWeeklyHours *hours = g_new0(ApWeeklyHours, 1);
	for (guint i = 0; i < 7; i++)
		hours->days[i] = ap_time_ranges_new();
	return hours;
}

ApWeeklyHours *
ap_weekly_hours_copy(const ApWeeklyHours *hours)
{
	ApWeeklyHours *copy = ap_weekly_hours_new();
	for (guint i = 0; i < 7; i++)
		g_array_append_vals(copy->days[i], hours->days[i]->data, hours->days[i]->len);
	return copy;
}

void
ap_weekly_hours_free(ApWeeklyHours *hours)
{
	if (hours == NULL)
		return;
	for (guint i = 0; i < 7; i++)
		g_array_unref(hours->days[i]);
	g_free(hours);
}

/**
 * ap_weekly_hours_get_day:
 * @hours: the week
 * @weekday: which day
 *
 * Returns: (transfer none) (element-type ApTimeRange): that day's ranges
 */
GArray *
ap_weekly_hours_get_day(const ApWeeklyHours *hours, GDateWeekday weekday)
{
	g_return_val_if_fail(weekday >= G_DATE_MONDAY && weekday <= G_DATE_SUNDAY, NULL);
	return hours->days[weekday - 1];
}

/**
 * ap_weekly_hours_add:
 * @hours: the week
 * @weekday: which day the range starts on
 * @start: minutes after midnight
 * @end: minutes after midnight, past 1440 when crossing midnight
 * @error: a #GError, or %NULL
 *
 * Adds a range, keeping the day sorted.
 *
 * Returns: %FALSE (and changes nothing) if it is malformed or overlaps
 */
gboolean
ap_weekly_hours_add(
	ApWeeklyHours *hours, GDateWeekday weekday, guint start, guint end, GError **error)
{
	g_autoptr(GArray) day = NULL;
	ApTimeRange range;

	g_return_val_if_fail(weekday >= G_DATE_MONDAY && weekday <= G_DATE_SUNDAY, FALSE);

	/* checked before the narrowing to 16 bits can wrap them */
	if (start >= AP_MINUTES_PER_DAY || end <= start || end > 2 * AP_MINUTES_PER_DAY) {
		g_set_error(error,
			    AP_ERROR,
			    AP_ERROR_INVALID,
			    "%s: minute %u to %u is not a range of one day",
			    ap_weekday_to_string(weekday),
			    start,
			    end);
		return FALSE;
	}
	range.start = (guint16)start;
	range.end = (guint16)end;
	day = ap_time_ranges_new();
	g_array_append_vals(day, hours->days[weekday - 1]->data, hours->days[weekday - 1]->len);
	g_array_append_val(day, range);
	ap_time_ranges_sort(day);
	if (!ap_time_ranges_validate(day, error)) {
		g_prefix_error(error, "%s: ", ap_weekday_to_string(weekday));
		return FALSE;
	}
	g_array_unref(hours->days[weekday - 1]);
	hours->days[weekday - 1] = g_steal_pointer(&day);
	return TRUE;
}

gboolean
ap_weekly_hours_is_empty(const ApWeeklyHours *hours)
{
	for (guint i = 0; i < 7; i++) {
		if (hours->days[i]->len > 0)
			return FALSE;
	}
	return TRUE;
}

ApDateOverride *
ap_date_override_new(const GDate *date)
{
	ApDateOverride *override = g_new0(ApDateOverride, 1);
	override->date = *date;
	override->ranges = ap_time_ranges_new();
	return override;
}

ApDateOverride *
ap_date_override_copy(const ApDateOverride *override)
{
	ApDateOverride *copy = ap_date_override_new(&override->date);
	g_array_append_vals(copy->ranges, override->ranges->data, override->ranges->len);
	return copy;
}

void
ap_date_override_free(ApDateOverride *override)
{
	if (override == NULL)
		return;
	g_array_unref(override->ranges);
	g_free(override);
}
