/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApCtl"

#include "ap-ctl.h"

#include <stdio.h>

#include "ap-error.h"
#include "ap-privacy.h"
#include "ap-time.h"
#include "ap-validate.h"
#include "ap-web-views.h"

/*
 * A customer's rights under UK GDPR, for the data protection officer at a
 * terminal: a copy of everything held about them (Article 15) and its
 * erasure (Article 17).
 */

static const gchar *
ap_ctl_customer_email(GOptionContext *context, gint argc, gchar **argv, GError **error)
{
	if (!ap_ctl_parse(context, &argc, &argv, 1, error))
		return NULL;
	if (!ap_validate_email(argv[1], "EMAIL", error))
		return NULL;
	return argv[1];
}

gboolean
ap_ctl_customer_export(ApCtl *ctl, gint argc, gchar **argv, GError **error)
{
	g_autoptr(GOptionContext) context = g_option_context_new(
		"EMAIL - print as JSON everything held about the customer with that address");
	ApStore *store = ap_engine_get_store(ctl->engine);
	g_autoptr(GPtrArray) bookings = NULL;
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonNode) root = NULL;
	g_autoptr(JsonGenerator) generator = json_generator_new();
	g_autoptr(GTimeZone) utc = g_time_zone_new_utc();
	g_autofree gchar *text = NULL;
	const gchar *email = ap_ctl_customer_email(context, argc, argv, error);

	if (email == NULL)
		return FALSE;
	bookings = ap_store_customer_bookings(store, email, error);
	if (bookings == NULL)
		return FALSE;
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "email");
	json_builder_add_string_value(b, email);
	ap_web_view_add_instant(b, "exported_at", ap_engine_get_now(ctl->engine), utc);
	json_builder_set_member_name(b, "bookings");
	json_builder_begin_array(b);
	for (guint i = 0; i < bookings->len; i++) {
		const ApBooking *booking = g_ptr_array_index(bookings, i);
		g_autoptr(GPtrArray) history =
			ap_store_booking_history(store, booking->reference, error);
		g_autoptr(GPtrArray) emails =
			history != NULL ? ap_store_outbox_list(store, booking->id, error) : NULL;

		if (emails == NULL)
			return FALSE;
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "booking");
		json_builder_add_value(b, ap_web_view_booking(ctl->engine, booking, NULL));
		json_builder_set_member_name(b, "history");
		json_builder_add_value(b, ap_web_view_history(store, history));
		json_builder_set_member_name(b, "emails");
		json_builder_begin_array(b);
		for (guint j = 0; j < emails->len; j++)
			ap_web_view_outbox_item(b, g_ptr_array_index(emails, j), utc);
		json_builder_end_array(b);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	json_generator_set_root(generator, root);
	json_generator_set_pretty(generator, TRUE);
	text = json_generator_to_data(generator, NULL);
	g_print("%s\n", text);
	return TRUE;
}

gboolean
ap_ctl_customer_erase(ApCtl *ctl, gint argc, gchar **argv, GError **error)
{
	g_autoptr(GOptionContext) context =
		g_option_context_new("EMAIL - cancel the customer's future sessions (they are told "
				     "by email) and remove their details from every booking");
	const gchar *email = ap_ctl_customer_email(context, argc, argv, error);
	guint cancelled = 0, anonymised = 0;

	if (email == NULL)
		return FALSE;
	if (!ap_privacy_erase(ctl->engine, email, "appointctl", &cancelled, &anonymised, error))
		return FALSE;
	g_print("cancelled %u future session(s); anonymised %u booking(s)", cancelled, anonymised);
	if (cancelled > 0)
		g_print("; the cancelled ones follow once their emails have gone (appointd does "
			"it)");
	g_print("\n");
	return TRUE;
}
