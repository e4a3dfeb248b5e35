/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApExpert"

#include "ap-expert.h"

#include "ap-error.h"
#include "ap-service.h"
#include "ap-time.h"
#include "ap-validate.h"
#include "ap-zone.h"

ApTimeOff *
ap_time_off_new(gint64 start, gint64 end, const gchar *reason)
{
	ApTimeOff *time_off = g_new0(ApTimeOff, 1);
	time_off->start = start;
	time_off->end = end;
	time_off->reason = g_strdup(reason);
	return time_off;
}

void
ap_time_off_free(ApTimeOff *time_off)
{
	if (time_off == NULL)
		return;
	g_free(time_off->reason);
	g_free(time_off);
}

ApExpert *
ap_expert_new(void)
{
	ApExpert *expert = g_rc_box_new0(ApExpert);
	expert->services = g_ptr_array_new_with_free_func(g_free);
	expert->hours = ap_weekly_hours_new();
	expert->overrides = g_ptr_array_new_with_free_func((GDestroyNotify)ap_date_override_free);
	expert->time_off = g_ptr_array_new_with_free_func((GDestroyNotify)ap_time_off_free);
	expert->timezone = g_strdup("Europe/London");
	expert->active = TRUE;
	return expert;
}

ApExpert *
ap_expert_ref(ApExpert *expert)
{
	return g_rc_box_acquire(expert);
}

static void
ap_expert_clear(ApExpert *expert)
{
	g_free(expert->name);
	g_free(expert->email);
	g_free(expert->bio);
	g_free(expert->branch);
	g_free(expert->timezone);
	g_ptr_array_unref(expert->services);
	ap_weekly_hours_free(expert->hours);
	g_ptr_array_unref(expert->overrides);
	g_ptr_array_unref(expert->time_off);
	if (expert->tz != NULL)
		g_time_zone_unref(expert->tz);
}

void
ap_expert_unref(ApExpert *expert)
{
	g_rc_box_release_full(expert, (GDestroyNotify)ap_expert_clear);
}

/**
 * ap_expert_set_timezone:
 * @expert: the expert
 * @identifier: an IANA zone name
 * @error: a #GError, or %NULL
 *
 * Returns: %FALSE (changing nothing) if @identifier is not a known zone
 */
gboolean
ap_expert_set_timezone(ApExpert *expert, const gchar *identifier, GError **error)
{
	GTimeZone *tz = ap_time_zone_new(identifier, error);
	if (tz == NULL)
		return FALSE;
	if (expert->tz != NULL)
		g_time_zone_unref(expert->tz);
	expert->tz = tz;
	g_free(expert->timezone);
	expert->timezone = g_strdup(identifier);
	return TRUE;
}

/**
 * ap_expert_get_tz:
 * @expert: the expert
 *
 * Returns: (transfer none): the zone of @timezone, loaded once
 */
GTimeZone *
ap_expert_get_tz(ApExpert *expert)
{
	if (expert->tz == NULL) {
		expert->tz = ap_zone_lookup(expert->timezone);
		if (expert->tz == NULL)
			expert->tz = g_time_zone_new_utc();
	}
	return expert->tz;
}

gboolean
ap_expert_has_service(const ApExpert *expert, const gchar *service_id)
{
	for (guint i = 0; i < expert->services->len; i++) {
		if (g_strcmp0(g_ptr_array_index(expert->services, i), service_id) == 0)
			return TRUE;
	}
	return FALSE;
}

/**
 * ap_expert_get_override:
 * @expert: the expert
 * @date: a local date
 *
 * Returns: (transfer none) (nullable): the hours replacing the weekly ones
 * on @date
 */
const ApDateOverride *
ap_expert_get_override(const ApExpert *expert, const GDate *date)
{
	for (guint i = 0; i < expert->overrides->len; i++) {
		const ApDateOverride *o = g_ptr_array_index(expert->overrides, i);
		if (g_date_compare(&o->date, date) == 0)
			return o;
	}
	return NULL;
}

/**
 * ap_expert_get_ranges:
 * @expert: the expert
 * @date: a local date
 *
 * Returns: (transfer none) (element-type ApTimeRange): the hours worked on
 * @date: its override if there is one, else the weekly hours of its weekday
 */
GArray *
ap_expert_get_ranges(const ApExpert *expert, const GDate *date)
{
	const ApDateOverride *o = ap_expert_get_override(expert, date);
	if (o != NULL)
		return o->ranges;
	return ap_weekly_hours_get_day(expert->hours, g_date_get_weekday(date));
}

/**
 * ap_expert_validate:
 * @expert: the expert
 * @error: a #GError, or %NULL
 *
 * Checks every field a client can set, naming the field in the message.
 *
 * Returns: %TRUE if @expert may be stored
 */
gboolean
ap_expert_validate(const ApExpert *expert, GError **error)
{
	GError *errors = NULL;
	GError *one = NULL;

	if (!ap_validate_name(expert->name, "name", &one))
		ap_error_merge(&errors, g_steal_pointer(&one));
	if (!ap_validate_email(expert->email, "email", &one))
		ap_error_merge(&errors, g_steal_pointer(&one));
	if (!ap_validate_text(expert->bio, "bio", 2000, FALSE, &one))
		ap_error_merge(&errors, g_steal_pointer(&one));
	if (!ap_validate_text(expert->branch, "branch", 200, FALSE, &one))
		ap_error_merge(&errors, g_steal_pointer(&one));
	if (!ap_time_zone_is_valid(expert->timezone))
		ap_error_merge(
			&errors,
			g_error_new(AP_ERROR,
				    AP_ERROR_INVALID,
				    "timezone: '%s' is not an IANA time zone such as Europe/London",
				    expert->timezone != NULL ? expert->timezone : ""));
	for (guint i = 0; i < expert->services->len; i++) {
		const gchar *id = g_ptr_array_index(expert->services, i);
		if (!ap_service_id_is_valid(id))
			ap_error_merge(&errors,
				       g_error_new(AP_ERROR,
						   AP_ERROR_INVALID,
						   "services: '%s' is not a service id",
						   id));
	}
	for (guint i = 0; i < 7; i++) {
		if (!ap_time_ranges_validate(expert->hours->days[i], &one)) {
			g_prefix_error(&one, "hours: %s: ", ap_weekday_to_string(i + 1));
			ap_error_merge(&errors, g_steal_pointer(&one));
		}
	}
	for (guint i = 0; i < expert->overrides->len; i++) {
		ApDateOverride *o = g_ptr_array_index(expert->overrides, i);
		if (!ap_time_ranges_validate(o->ranges, &one)) {
			g_autofree gchar *d = ap_date_format(&o->date);
			g_prefix_error(&one, "overrides: %s: ", d);
			ap_error_merge(&errors, g_steal_pointer(&one));
		}
	}
	if (errors != NULL) {
		g_propagate_error(error, errors);
		return FALSE;
	}
	return TRUE;
}
