/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * ApTimeRange:
 * @start: minutes after local midnight, 0 to 1439
 * @end: minutes after local midnight, greater than @start; up to 2880, so
 *   that hours crossing midnight (22:00 to 02:00) belong to the day they
 *   start on
 *
 * A local wall-clock interval of one day, half open.
 */
typedef struct {
	guint16 start;
	guint16 end;
} ApTimeRange;

/**
 * ApWeeklyHours:
 * @days: one #GArray of #ApTimeRange per weekday, Monday first
 *   (index `G_DATE_MONDAY - 1`), each sorted and without overlaps
 *
 * The hours an expert works in an ordinary week, in the expert's zone.
 */
typedef struct {
	GArray *days[7];
} ApWeeklyHours;

/**
 * ApDateOverride:
 * @date: the local date
 * @ranges: (element-type ApTimeRange): the hours that day, replacing the
 *   weekly ones; empty for a day off
 */
typedef struct {
	GDate date;
	GArray *ranges;
} ApDateOverride;

gboolean
ap_time_range_parse(const gchar *start, const gchar *end, ApTimeRange *range, GError **error);
gboolean
ap_time_ranges_validate(GArray *ranges, GError **error);
void
ap_time_ranges_sort(GArray *ranges);

ApWeeklyHours *
ap_weekly_hours_new(void);
ApWeeklyHours *
ap_weekly_hours_copy(const ApWeeklyHours *hours);
void
ap_weekly_hours_free(ApWeeklyHours *hours);
GArray *
ap_weekly_hours_get_day(const ApWeeklyHours *hours, GDateWeekday weekday);
gboolean
ap_weekly_hours_add(
	ApWeeklyHours *hours, GDateWeekday weekday, guint start, guint end, GError **error);
gboolean
ap_weekly_hours_is_empty(const ApWeeklyHours *hours);
const gchar *
ap_weekday_to_string(GDateWeekday weekday);
GDateWeekday
ap_weekday_from_string(const gchar *text);

ApDateOverride *
ap_date_override_new(const GDate *date);
ApDateOverride *
ap_date_override_copy(const ApDateOverride *override);
void
ap_date_override_free(ApDateOverride *override);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(ApWeeklyHours, ap_weekly_hours_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ApDateOverride, ap_date_override_free)

G_END_DECLS
