/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApCtl"

#include "ap-ctl.h"

#include <string.h>

#include "ap-error.h"
#include "ap-time.h"

gboolean
ap_ctl_service_list(ApCtl *ctl, gint argc, gchar **argv, GError **error)
{
	g_autoptr(GOptionContext) context = g_option_context_new("- list the services");
	g_autoptr(GPtrArray) services = NULL;

	if (!ap_ctl_parse(context, &argc, &argv, 0, error))
		return FALSE;
	services = ap_store_services_list(ap_engine_get_store(ctl->engine), TRUE, error);
	if (services == NULL)
		return FALSE;
	for (guint i = 0; i < services->len; i++) {
		ApService *s = g_ptr_array_index(services, i);
		g_print("%-20s %3u min  step %2u  notice %4u min  horizon %3u d  capacity %u%s  "
			"%s\n",
			s->id,
			s->duration_minutes,
			s->step_minutes,
			s->min_notice_minutes,
			s->horizon_days,
			s->capacity,
			s->active ? "" : "  (inactive)",
			s->name);
	}
	return TRUE;
}

gboolean
ap_ctl_expert_add(ApCtl *ctl, gint argc, gchar **argv, GError **error)
{
	g_autofree gchar *name = NULL;
	g_autofree gchar *email = NULL;
	g_autofree gchar *services = NULL;
	g_autofree gchar *timezone = NULL;
	g_autofree gchar *bio = NULL;
	g_autofree gchar *branch = NULL;
	const GOptionEntry entries[] = {
		{"name", 0, 0, G_OPTION_ARG_STRING, &name, "Full name", "NAME"},
		{"email", 0, 0, G_OPTION_ARG_STRING, &email, "Where invites go", "EMAIL"},
		{"services",
		 0,
		 0,
		 G_OPTION_ARG_STRING,
		 &services,
		 "Comma-separated service ids",
		 "IDS"},
		{"timezone",
		 0,
		 0,
		 G_OPTION_ARG_STRING,
		 &timezone,
		 "IANA zone of the hours",
		 "ZONE"},
		{"bio", 0, 0, G_OPTION_ARG_STRING, &bio, "A short introduction", "TEXT"},
		{"branch", 0, 0, G_OPTION_ARG_STRING, &branch, "The store they work in", "NAME"},
		{NULL}};
	g_autoptr(GOptionContext) context = g_option_context_new("- add an expert");
	g_autoptr(ApExpert) expert = ap_expert_new();
	g_auto(GStrv) ids = NULL;

	g_option_context_add_main_entries(context, entries, NULL);
	if (!ap_ctl_parse(context, &argc, &argv, 0, error))
		return FALSE;
	expert->name = g_strdup(name);
	expert->email = g_strdup(email);
	expert->bio = g_strdup(bio != NULL ? bio : "");
	expert->branch = g_strdup(branch);
	if (timezone != NULL) {
		g_free(expert->timezone);
		expert->timezone = g_strdup(timezone);
	}
	ids = g_strsplit(services != NULL ? services : "", ",", -1);
	for (guint i = 0; ids[i] != NULL; i++) {
		g_strstrip(ids[i]);
		if (*ids[i] != '\0')
			g_ptr_array_add(expert->services, g_strdup(ids[i]));
	}
	if (!ap_expert_validate(expert, error))
		return FALSE;
	if (!ap_store_expert_create(ap_engine_get_store(ctl->engine), expert, error))
		return FALSE;
	g_print("%" G_GINT64_FORMAT "\n", expert->id);
	return TRUE;
}

static gchar *
ap_ctl_ranges_to_string(GArray *ranges)
{
	GString *out = g_string_new(NULL);
	for (guint i = 0; i < ranges->len; i++) {
		const ApTimeRange *r = &g_array_index(ranges, ApTimeRange, i);
		g_autofree gchar *s = ap_minute_format(r->start);
		g_autofree gchar *e = ap_minute_format(r->end % AP_MINUTES_PER_DAY);
		g_string_append_printf(out, "%s%s-%s", i > 0 ? "," : "", s, e);
	}
	return g_string_free(out, FALSE);
}

gboolean
ap_ctl_expert_list(ApCtl *ctl, gint argc, gchar **argv, GError **error)
{
	g_autofree gchar *service = NULL;
	gboolean all = FALSE;
	const GOptionEntry entries[] = {
		{"service",
		 0,
		 0,
		 G_OPTION_ARG_STRING,
		 &service,
		 "Only experts of this service",
		 "ID"},
		{"all", 0, 0, G_OPTION_ARG_NONE, &all, "Include inactive experts", NULL},
		{NULL}};
	g_autoptr(GOptionContext) context = g_option_context_new("- list experts and their hours");
	g_autoptr(GPtrArray) experts = NULL;

	g_option_context_add_main_entries(context, entries, NULL);
	if (!ap_ctl_parse(context, &argc, &argv, 0, error))
		return FALSE;
	experts = ap_store_experts_list(ap_engine_get_store(ctl->engine), service, all, error);
	if (experts == NULL)
		return FALSE;
	for (guint i = 0; i < experts->len; i++) {
		ApExpert *e = g_ptr_array_index(experts, i);
		g_autofree gchar *services = NULL;

		g_ptr_array_add(e->services, NULL);
		services = g_strjoinv(",", (gchar **)e->services->pdata);
		g_ptr_array_remove_index(e->services, e->services->len - 1);
		g_print("%" G_GINT64_FORMAT "\t%s <%s>\t%s\t%s\t%s%s\n",
			e->id,
			e->name,
			e->email,
			e->timezone,
			services,
			e->branch != NULL ? e->branch : "",
			e->active ? "" : "\t(inactive)");
		for (GDateWeekday d = G_DATE_MONDAY; d <= G_DATE_SUNDAY; d++) {
			GArray *ranges = ap_weekly_hours_get_day(e->hours, d);
			g_autofree gchar *text = ap_ctl_ranges_to_string(ranges);
			if (ranges->len > 0)
				g_print("\t%s %s\n", ap_weekday_to_string(d), text);
		}
	}
	return TRUE;
}

/* "09:00-12:00,13:00-17:30", or "" for none */
static gboolean
ap_ctl_parse_ranges(const gchar *text, GArray *ranges, GError **error)
{
	g_auto(GStrv) parts = g_strsplit(text, ",", -1);

	for (guint i = 0; parts[i] != NULL; i++) {
		g_auto(GStrv) ends = NULL;
		ApTimeRange range;

		if (*parts[i] == '\0' && parts[1] == NULL)
			break;
		ends = g_strsplit(parts[i], "-", 2);
		if (g_strv_length(ends) != 2) {
			g_set_error(error,
				    AP_ERROR,
				    AP_ERROR_INVALID,
				    "'%s' is not a range such as 09:00-17:00",
				    parts[i]);
			return FALSE;
		}
		if (!ap_time_range_parse(ends[0], ends[1], &range, error))
			return FALSE;
		g_array_append_val(ranges, range);
	}
	ap_time_ranges_sort(ranges);
	return ap_time_ranges_validate(ranges, error);
}

static ApExpert *
ap_ctl_get_expert(ApCtl *ctl, const gchar *id_text, GError **error)
{
	gint64 id;
	if (!ap_ctl_parse_id(id_text, "expert", &id, error))
		return NULL;
	return ap_store_expert_get(ap_engine_get_store(ctl->engine), id, error);
}

gboolean
ap_ctl_hours_set(ApCtl *ctl, gint argc, gchar **argv, GError **error)
{
	g_autofree gchar *expert_id = NULL;
	const GOptionEntry entries[] = {
		{"expert", 0, 0, G_OPTION_ARG_STRING, &expert_id, "The expert", "ID"}, {NULL}};
	g_autoptr(GOptionContext) context =
		g_option_context_new("DAY=RANGES… - replace an expert's weekly hours, e.g. "
				     "mon=09:00-12:00,13:00-17:00; days not named are off");
	g_autoptr(ApExpert) expert = NULL;
	g_autoptr(ApWeeklyHours) hours = ap_weekly_hours_new();

	g_option_context_add_main_entries(context, entries, NULL);
	if (!g_option_context_parse(context, &argc, &argv, error))
		return FALSE;
	expert = ap_ctl_get_expert(ctl, expert_id, error);
	if (expert == NULL)
		return FALSE;
	for (gint i = 1; i < argc; i++) {
		const gchar *eq = strchr(argv[i], '=');
		g_autofree gchar *day =
			eq != NULL ? g_strndup(argv[i], (gsize)(eq - argv[i])) : NULL;
		GDateWeekday weekday = ap_weekday_from_string(day);

		if (weekday == G_DATE_BAD_WEEKDAY) {
			g_set_error(error,
				    AP_ERROR,
				    AP_ERROR_INVALID,
				    "'%s' is not DAY=RANGES with DAY one of mon … sun",
				    argv[i]);
			return FALSE;
		}
		g_array_set_size(hours->days[weekday - 1], 0);
		if (!ap_ctl_parse_ranges(eq + 1, hours->days[weekday - 1], error)) {
			g_prefix_error(error, "%s: ", day);
			return FALSE;
		}
	}
	ap_weekly_hours_free(expert->hours);
	expert->hours = g_steal_pointer(&hours);
	return ap_store_expert_update(ap_engine_get_store(ctl->engine), expert, error);
}

gboolean
ap_ctl_hours_override(ApCtl *ctl, gint argc, gchar **argv, GError **error)
{
	g_autofree gchar *expert_id = NULL;
	gboolean remove = FALSE;
	const GOptionEntry entries[] = {
		{"expert", 0, 0, G_OPTION_ARG_STRING, &expert_id, "The expert", "ID"},
		{"remove", 0, 0, G_OPTION_ARG_NONE, &remove, "Go back to the weekly hours", NULL},
		{NULL}};
	g_autoptr(GOptionContext) context =
		g_option_context_new("DATE=RANGES - other hours on one date, e.g. "
				     "2027-12-24=10:00-14:00; DATE= for a day off");
	g_autoptr(ApExpert) expert = NULL;
	g_autoptr(ApDateOverride) override = NULL;
	g_autofree gchar *day = NULL;
	const gchar *eq;
	GDate date;

	g_option_context_add_main_entries(context, entries, NULL);
	if (!ap_ctl_parse(context, &argc, &argv, 1, error))
		return FALSE;
	expert = ap_ctl_get_expert(ctl, expert_id, error);
	if (expert == NULL)
		return FALSE;
	eq = strchr(argv[1], '=');
	day = eq != NULL ? g_strndup(argv[1], (gsize)(eq - argv[1])) : g_strdup(argv[1]);
	if (!ap_date_parse(day, &date, error))
		return FALSE;
	for (guint i = 0; i < expert->overrides->len; i++) {
		ApDateOverride *o = g_ptr_array_index(expert->overrides, i);
		if (g_date_compare(&o->date, &date) == 0) {
			g_ptr_array_remove_index(expert->overrides, i);
			break;
		}
	}
	if (!remove) {
		if (eq == NULL) {
			g_set_error(error,
				    AP_ERROR,
				    AP_ERROR_INVALID,
				    "'%s' is not DATE=RANGES",
				    argv[1]);
			return FALSE;
		}
		override = ap_date_override_new(&date);
		if (!ap_ctl_parse_ranges(eq + 1, override->ranges, error))
			return FALSE;
		g_ptr_array_add(expert->overrides, g_steal_pointer(&override));
	}
	return ap_store_expert_update(ap_engine_get_store(ctl->engine), expert, error);
}

gboolean
ap_ctl_time_off_add(ApCtl *ctl, gint argc, gchar **argv, GError **error)
{
	g_autofree gchar *expert_id = NULL;
	g_autofree gchar *start = NULL;
	g_autofree gchar *end = NULL;
	g_autofree gchar *reason = NULL;
	const GOptionEntry entries[] = {
		{"expert", 0, 0, G_OPTION_ARG_STRING, &expert_id, "The expert", "ID"},
		{"start",
		 0,
		 0,
		 G_OPTION_ARG_STRING,
		 &start,
		 "First instant away (RFC 3339)",
		 "TIME"},
		{"end", 0, 0, G_OPTION_ARG_STRING, &end, "First instant back (RFC 3339)", "TIME"},
		{"reason", 0, 0, G_OPTION_ARG_STRING, &reason, "Why, for staff", "TEXT"},
		{NULL}};
	g_autoptr(GOptionContext) context = g_option_context_new("- record an absence");
	g_autoptr(ApExpert) expert = NULL;
	g_autoptr(ApTimeOff) time_off = NULL;
	gint64 s, e;

	g_option_context_add_main_entries(context, entries, NULL);
	if (!ap_ctl_parse(context, &argc, &argv, 0, error))
		return FALSE;
	expert = ap_ctl_get_expert(ctl, expert_id, error);
	if (expert == NULL)
		return FALSE;
	if (!ap_time_parse_rfc3339(start, &s, error)) {
		g_prefix_error(error, "--start: ");
		return FALSE;
	}
	if (!ap_time_parse_rfc3339(end, &e, error)) {
		g_prefix_error(error, "--end: ");
		return FALSE;
	}
	if (e <= s) {
		g_set_error(error, AP_ERROR, AP_ERROR_INVALID, "--end must be after --start");
		return FALSE;
	}
	time_off = ap_time_off_new(s, e, reason);
	if (!ap_store_time_off_add(ap_engine_get_store(ctl->engine), expert->id, time_off, error))
		return FALSE;
	g_print("%" G_GINT64_FORMAT "\n", time_off->id);
	return TRUE;
}
