/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApCtl"

#include "ap-ctl.h"

#include "ap-error.h"
#include "ap-time.h"
#include "ap-zone.h"

/* what staff at a terminal see of times: London wall clock with offset */
#define AP_CTL_ZONE "Europe/London"

gboolean
ap_ctl_slots(ApCtl *ctl, gint argc, gchar **argv, GError **error)
{
	g_autofree gchar *service = NULL;
	g_autofree gchar *from = NULL;
	g_autofree gchar *to = NULL;
	g_autofree gchar *expert = NULL;
	g_autofree gchar *tz_name = NULL;
	const GOptionEntry entries[] = {
		{"service", 0, 0, G_OPTION_ARG_STRING, &service, "The service", "ID"},
		{"from", 0, 0, G_OPTION_ARG_STRING, &from, "First date", "YYYY-MM-DD"},
		{"to", 0, 0, G_OPTION_ARG_STRING, &to, "Last date, inclusive", "YYYY-MM-DD"},
		{"expert", 0, 0, G_OPTION_ARG_STRING, &expert, "Only this expert", "ID"},
		{"tz", 0, 0, G_OPTION_ARG_STRING, &tz_name, "Zone of the dates and times", "ZONE"},
		{NULL}};
	g_autoptr(GOptionContext) context = g_option_context_new("- list free slots");
	g_autoptr(GPtrArray) slots = NULL;
	g_autoptr(GTimeZone) tz = NULL;
	gint64 expert_id = 0;
	GDate d_from, d_to;

	g_option_context_add_main_entries(context, entries, NULL);
	if (!ap_ctl_parse(context, &argc, &argv, 0, error))
		return FALSE;
	if (!ap_date_parse(from, &d_from, error) || !ap_date_parse(to, &d_to, error))
		return FALSE;
	if (expert != NULL && !ap_ctl_parse_id(expert, "expert", &expert_id, error))
		return FALSE;
	tz = ap_time_zone_new(tz_name != NULL ? tz_name : AP_CTL_ZONE, error);
	if (tz == NULL)
		return FALSE;
	slots = ap_engine_list_slots(
		ctl->engine, service, &d_from, &d_to, tz_name, expert_id, NULL, error);
	if (slots == NULL)
		return FALSE;
	for (guint i = 0; i < slots->len; i++) {
		ApSlot *slot = g_ptr_array_index(slots, i);
		g_autofree gchar *start = ap_time_format_rfc3339(slot->start, tz);
		GString *ids = g_string_new(NULL);
		for (guint j = 0; j < slot->experts->len; j++)
			g_string_append_printf(ids,
					       "%s%" G_GINT64_FORMAT,
					       j > 0 ? "," : "",
					       g_array_index(slot->experts, gint64, j));
		g_print("%s\texperts %s\n", start, ids->str);
		g_string_free(ids, TRUE);
	}
	return TRUE;
}

static void
ap_ctl_booking_print(const ApBooking *b, gboolean full)
{
	g_autoptr(GTimeZone) tz = ap_zone_lookup(AP_CTL_ZONE);
	g_autofree gchar *start = ap_time_format_rfc3339(b->start, tz);

	g_print("%s\t%s\t%-10s\t%s\texpert %" G_GINT64_FORMAT "\t%s <%s>%s%s\n",
		b->reference,
		start,
		ap_booking_status_to_string(b->status),
		b->service_id,
		b->expert_id,
		b->customer_name,
		b->customer_email,
		b->customer_phone != NULL ? "\t" : "",
		b->customer_phone != NULL ? b->customer_phone : "");
	if (!full)
		return;
	g_print("  channel %s, locale %s, sequence %d, uid %s\n",
		ap_booking_channel_to_string(b->channel),
		b->customer_locale,
		b->sequence,
		b->ical_uid);
	if (b->cancel_reason != NULL)
		g_print("  cancelled because: %s\n", b->cancel_reason);
	if (b->answers != NULL) {
		g_autoptr(JsonNode) node = json_node_init_object(json_node_alloc(), b->answers);
		g_autofree gchar *text = json_to_string(node, TRUE);
		g_print("  answers %s\n", text);
	}
}

gboolean
ap_ctl_booking_list(ApCtl *ctl, gint argc, gchar **argv, GError **error)
{
	g_autofree gchar *q = NULL;
	g_autofree gchar *from = NULL;
	g_autofree gchar *to = NULL;
	gint limit = 100;
	const GOptionEntry entries[] = {
		{"q",
		 'q',
		 0,
		 G_OPTION_ARG_STRING,
		 &q,
		 "Part of a reference, name, email or phone",
		 "TEXT"},
		{"from", 0, 0, G_OPTION_ARG_STRING, &from, "First date (London)", "YYYY-MM-DD"},
		{"to", 0, 0, G_OPTION_ARG_STRING, &to, "Last date, inclusive", "YYYY-MM-DD"},
		{"limit", 0, 0, G_OPTION_ARG_INT, &limit, "At most this many", "N"},
		{NULL}};
	g_autoptr(GOptionContext) context = g_option_context_new("- find bookings");
	g_autoptr(GTimeZone) tz = ap_zone_lookup(AP_CTL_ZONE);
	g_autoptr(GPtrArray) bookings = NULL;
	ApBookingQuery query = {.from = G_MININT64, .to = G_MAXINT64};
	gint64 ignored;
	GDate date;

	g_option_context_add_main_entries(context, entries, NULL);
	if (!ap_ctl_parse(context, &argc, &argv, 0, error))
		return FALSE;
	if (from != NULL) {
		if (!ap_date_parse(from, &date, error))
			return FALSE;
		ap_local_day_bounds(tz, &date, &query.from, &ignored);
	}
	if (to != NULL) {
		if (!ap_date_parse(to, &date, error))
			return FALSE;
		ap_local_day_bounds(tz, &date, &ignored, &query.to);
	}
	if (limit < 1 || limit > 10000) {
		g_set_error(
			error, AP_ERROR, AP_ERROR_INVALID, "--limit must be between 1 and 10000");
		return FALSE;
	}
	query.text = q;
	query.limit = (guint)limit;
	bookings = ap_store_bookings_search(ap_engine_get_store(ctl->engine), &query, error);
	if (bookings == NULL)
		return FALSE;
	for (guint i = 0; i < bookings->len; i++)
		ap_ctl_booking_print(g_ptr_array_index(bookings, i), FALSE);
	return TRUE;
}

gboolean
ap_ctl_booking_show(ApCtl *ctl, gint argc, gchar **argv, GError **error)
{
	g_autoptr(GOptionContext) context =
		g_option_context_new("REFERENCE - show a booking and its history");
	g_autoptr(ApBooking) booking = NULL;
	g_autoptr(GPtrArray) history = NULL;
	g_autoptr(GTimeZone) tz = ap_zone_lookup(AP_CTL_ZONE);

	if (!ap_ctl_parse(context, &argc, &argv, 1, error))
		return FALSE;
	booking = ap_store_booking_get(ap_engine_get_store(ctl->engine), argv[1], error);
	if (booking == NULL)
		return FALSE;
	history = ap_store_booking_history(ap_engine_get_store(ctl->engine), argv[1], error);
	if (history == NULL)
		return FALSE;
	ap_ctl_booking_print(booking, TRUE);
	for (guint i = 0; i < history->len; i++) {
		ApBookingEvent *e = g_ptr_array_index(history, i);
		g_autofree gchar *at = ap_time_format_rfc3339(e->at, tz);
		g_print("  %s\t%s\tby %s\t%s\n",
			at,
			e->action,
			e->actor,
			e->detail != NULL ? e->detail : "");
	}
	return TRUE;
}

gboolean
ap_ctl_booking_reschedule(ApCtl *ctl, gint argc, gchar **argv, GError **error)
{
	g_autofree gchar *start = NULL;
	g_autofree gchar *expert = NULL;
	const GOptionEntry entries[] = {
		{"start", 0, 0, G_OPTION_ARG_STRING, &start, "The new start (RFC 3339)", "TIME"},
		{"expert", 0, 0, G_OPTION_ARG_STRING, &expert, "Move to this expert", "ID"},
		{NULL}};
	g_autoptr(GOptionContext) context = g_option_context_new("REFERENCE - move a booking");
	g_autoptr(ApBooking) booking = NULL;
	gint64 s, expert_id = 0;

	g_option_context_add_main_entries(context, entries, NULL);
	if (!ap_ctl_parse(context, &argc, &argv, 1, error))
		return FALSE;
	if (!ap_time_parse_rfc3339(start, &s, error)) {
		g_prefix_error(error, "--start: ");
		return FALSE;
	}
	if (expert != NULL && !ap_ctl_parse_id(expert, "expert", &expert_id, error))
		return FALSE;
	booking = ap_engine_reschedule(ctl->engine, argv[1], s, expert_id, ctl->actor, error);
	if (booking == NULL)
		return FALSE;
	ap_ctl_booking_print(booking, FALSE);
	return TRUE;
}

static gboolean
ap_ctl_booking_change(ApCtl *ctl,
		      gint argc,
		      gchar **argv,
		      ApBookingStatus status,
		      const gchar *summary,
		      GError **error)
{
	g_autofree gchar *reason = NULL;
	const GOptionEntry entries[] = {
		{"reason", 0, 0, G_OPTION_ARG_STRING, &reason, "Why", "TEXT"}, {NULL}};
	g_autoptr(GOptionContext) context = g_option_context_new(summary);
	g_autoptr(ApBooking) booking = NULL;

	if (status == AP_BOOKING_STATUS_CANCELLED)
		g_option_context_add_main_entries(context, entries, NULL);
	if (!ap_ctl_parse(context, &argc, &argv, 1, error))
		return FALSE;
	booking = ap_engine_set_status(ctl->engine, argv[1], status, reason, ctl->actor, error);
	if (booking == NULL)
		return FALSE;
	ap_ctl_booking_print(booking, FALSE);
	return TRUE;
}

gboolean
ap_ctl_booking_cancel(ApCtl *ctl, gint argc, gchar **argv, GError **error)
{
	return ap_ctl_booking_change(ctl,
				     argc,
				     argv,
				     AP_BOOKING_STATUS_CANCELLED,
				     "REFERENCE - cancel a booking",
				     error);
}

gboolean
ap_ctl_booking_complete(ApCtl *ctl, gint argc, gchar **argv, GError **error)
{
	return ap_ctl_booking_change(ctl,
				     argc,
				     argv,
				     AP_BOOKING_STATUS_COMPLETED,
				     "REFERENCE - mark a session as held",
				     error);
}

gboolean
ap_ctl_booking_no_show(ApCtl *ctl, gint argc, gchar **argv, GError **error)
{
	return ap_ctl_booking_change(ctl,
				     argc,
				     argv,
				     AP_BOOKING_STATUS_NO_SHOW,
				     "REFERENCE - mark that the customer did not come",
				     error);
}

gboolean
ap_ctl_backup(ApCtl *ctl, gint argc, gchar **argv, GError **error)
{
	g_autoptr(GOptionContext) context =
		g_option_context_new("FILE - write a consistent copy of the database, "
				     "safe while appointd runs");

	if (!ap_ctl_parse(context, &argc, &argv, 1, error))
		return FALSE;
	return ap_store_backup(ap_engine_get_store(ctl->engine), argv[1], error);
}
