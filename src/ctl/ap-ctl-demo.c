/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApCtl"

#include "ap-ctl.h"

#include "ap-error.h"
#include "ap-time.h"

/* a week of hours as "mon=09:00-17:00 …"-style ranges, Monday first */
typedef struct {
	const gchar *name;
	const gchar *email;
	const gchar *services;
	const gchar *timezone;
	const gchar *branch;
	const gchar *bio;
	const gchar *week[7];
} ApDemoExpert;

static const ApDemoExpert ap_demo_experts[] = {
	{"Amelia Hughes",
	 "amelia.hughes@example.com",
	 "personal-styling",
	 "Europe/London",
	 "London, Oxford Street",
	 "Personal stylist for twelve years; loves tailoring, colour and wedding-guest looks.",
	 {"09:00-12:30,13:30-17:30",
	  "09:00-12:30,13:30-17:30",
	  "09:00-12:30,13:30-17:30",
	  "09:00-12:30,13:30-17:30",
	  "09:00-12:30,13:30-17:00",
	  "10:00-16:00",
	  NULL}},
	{"Rhys Morgan",
	 "rhys.morgan@example.com",
	 "personal-styling,home-design",
	 "Europe/London",
	 "Cardiff, St David's",
	 "Styles menswear and small homes alike; Welsh speaker.",
	 {NULL, "10:00-18:00", "10:00-18:00", "10:00-18:00", "10:00-18:00", "10:00-18:00", NULL}},
	{"Priya Shah",
	 "priya.shah@example.com",
	 "home-design",
	 "Europe/London",
	 "Manchester, Exchange Square",
	 "Interior designer with a soft spot for small living rooms and clever storage.",
	 {"12:00-20:00", "12:00-20:00", "12:00-20:00", "12:00-20:00", NULL, NULL, NULL}},
	{"Hannah Becker",
	 "hannah.becker@example.com",
	 "home-design,nursery",
	 "Europe/Berlin",
	 "Online team",
	 "Advises on nurseries and family homes, in English and German.",
	 {"08:00-16:00", "08:00-16:00", "08:00-16:00", "08:00-16:00", "08:00-14:00", NULL, NULL}},
	{"Grace O'Neill",
	 "grace.oneill@example.com",
	 "nursery",
	 "Europe/London",
	 "Belfast, Victoria Square",
	 "Former midwife; helps parents-to-be choose pushchairs, car seats and cots.",
	 {"09:00-17:00", "09:00-17:00", "09:00-17:00", "09:00-17:00", "09:00-17:00", NULL, NULL}},
	{"Tom Fletcher",
	 "tom.fletcher@example.com",
	 "nursery,personal-styling",
	 "Europe/London",
	 "Edinburgh, Princes Street",
	 "Dad of three and nursery adviser; also styles for weekends away.",
	 {NULL,
	  NULL,
	  "10:00-13:00,14:00-18:00",
	  "10:00-13:00,14:00-18:00",
	  "10:00-13:00,14:00-18:00",
	  "10:00-13:00,14:00-18:00",
	  "11:00-17:00"}},
};

static const struct {
	const gchar *name;
	const gchar *email;
	const gchar *phone;
	const gchar *service;
	const gchar *answer_id;
	const gchar *answer;
} ap_demo_customers[] = {
	{"Olivia Bennett",
	 "olivia.bennett@example.net",
	 "+44 7700 900101",
	 "personal-styling",
	 "occasion",
	 "Wedding or formal event"},
	{"James Carter",
	 "james.carter@example.net",
	 "07700 900102",
	 "home-design",
	 "room",
	 "Living room"},
	{"Siân Davies",
	 "sian.davies@example.net",
	 NULL,
	 "nursery",
	 "needs",
	 "Pushchairs and prams"},
	{"Lukas Wagner",
	 "lukas.wagner@example.net",
	 "+49 30 901820",
	 "home-design",
	 "room",
	 "Home office"},
};

static gboolean
ap_demo_add_expert(ApCtl *ctl, const ApDemoExpert *d, GError **error)
{
	g_autoptr(ApExpert) expert = ap_expert_new();
	g_auto(GStrv) services = g_strsplit(d->services, ",", -1);

	expert->name = g_strdup(d->name);
	expert->email = g_strdup(d->email);
	expert->bio = g_strdup(d->bio);
	expert->branch = g_strdup(d->branch);
	if (!ap_expert_set_timezone(expert, d->timezone, error))
		return FALSE;
	for (guint i = 0; services[i] != NULL; i++)
		g_ptr_array_add(expert->services, g_strdup(services[i]));
	for (guint day = 0; day < 7; day++) {
		g_auto(GStrv) ranges =
			g_strsplit(d->week[day] != NULL ? d->week[day] : "", ",", -1);
		for (guint i = 0; ranges[i] != NULL && *ranges[i] != '\0'; i++) {
			g_auto(GStrv) ends = g_strsplit(ranges[i], "-", 2);
			ApTimeRange r;
			if (!ap_time_range_parse(ends[0], ends[1], &r, error) ||
			    !ap_weekly_hours_add(expert->hours, day + 1, r.start, r.end, error))
				return FALSE;
		}
	}
	return ap_store_expert_create(ap_engine_get_store(ctl->engine), expert, error);
}

/* a few bookings on the next free slots, so that searches find something */
static gboolean
ap_demo_add_bookings(ApCtl *ctl, GError **error)
{
	g_autoptr(GDateTime) today = g_date_time_new_now_utc();
	GDate from, to;

	g_date_clear(&from, 1);
	g_date_set_dmy(&from,
		       g_date_time_get_day_of_month(today),
		       g_date_time_get_month(today),
		       g_date_time_get_year(today));
	to = from;
	g_date_add_days(&from, 2);
	g_date_add_days(&to, 9);
	for (guint i = 0; i < G_N_ELEMENTS(ap_demo_customers); i++) {
		g_autoptr(GPtrArray) slots = NULL;
		g_autoptr(JsonObject) answers = json_object_new();
		g_autoptr(ApBooking) booking = NULL;
		ApBookingRequest request = {
			.service_id = ap_demo_customers[i].service,
			.customer_name = ap_demo_customers[i].name,
			.customer_email = ap_demo_customers[i].email,
			.customer_phone = ap_demo_customers[i].phone,
			.customer_timezone = "Europe/London",
			.answers = answers,
			.channel = i % 2 == 0 ? AP_BOOKING_CHANNEL_WEB : AP_BOOKING_CHANNEL_PHONE,
		};

		slots = ap_engine_list_slots(
			ctl->engine, request.service_id, &from, &to, NULL, 0, NULL, error);
		if (slots == NULL)
			return FALSE;
		if (slots->len == 0)
			continue;
		json_object_set_string_member(
			answers, ap_demo_customers[i].answer_id, ap_demo_customers[i].answer);
		request.start = ((ApSlot *)g_ptr_array_index(slots, (i * 7) % slots->len))->start;
		booking =
			ap_engine_book(ctl->engine, &request, "appointctl:demo", NULL, NULL, error);
		if (booking == NULL)
			return FALSE;
	}
	return TRUE;
}

gboolean
ap_ctl_demo(ApCtl *ctl, gint argc, gchar **argv, GError **error)
{
	g_autoptr(GOptionContext) context =
		g_option_context_new("- add demo experts with hours for every service, and a few "
				     "bookings; does nothing if experts exist");
	g_autoptr(GPtrArray) experts = NULL;

	if (!ap_ctl_parse(context, &argc, &argv, 0, error))
		return FALSE;
	experts = ap_store_experts_list(ap_engine_get_store(ctl->engine), NULL, TRUE, error);
	if (experts == NULL)
		return FALSE;
	if (experts->len > 0) {
		g_print("demo: %u expert(s) already present; nothing added\n", experts->len);
		return TRUE;
	}
	for (guint i = 0; i < G_N_ELEMENTS(ap_demo_experts); i++) {
		if (!ap_demo_add_expert(ctl, &ap_demo_experts[i], error)) {
			g_prefix_error(error, "%s: ", ap_demo_experts[i].name);
			return FALSE;
		}
	}
	if (!ap_demo_add_bookings(ctl, error))
		return FALSE;
	g_print("demo: added %u experts and a few bookings\n",
		(guint)G_N_ELEMENTS(ap_demo_experts));
	return TRUE;
}
