/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <libical/ical.h>
#include <locale.h>
#include <string.h>

#include "ap-itip.h"

/*
 * What mail clients import: the iTIP objects, read back with libical's
 * parser and checked line by line against RFC 5545's rules.
 */

G_DEFINE_AUTOPTR_CLEANUP_FUNC(icalcomponent, icalcomponent_free)

/* Zoë's long details, in several scripts, so that folding meets
 * multi-byte characters at every offset */
#define AP_LONG_TEXT                                                                                                  \
	"Occasion: a wedding in Cardiff, ceremony at 14:00; reception after.\n"                                       \
	"Sizes: UK 12; shoes 39 (½ size up).\n"                                                                      \
	"Notes: Zoë Öztürk prefers ‘soft’ colours — no neon; 日本語も少し; Здравствуйте; " \
	"emoji 👗👠🎀 too."

static ApItipEvent
ap_event(ApItipMethod method, gint sequence)
{
	ApItipEvent event = {
		.method = method,
		.uid = "0f8fad5b-d9cb-469f-a165-70867728950e@example.com",
		.sequence = sequence,
		.stamp = 1798977600 + sequence,
		.start = 1799053200,
		.end = 1799053200 + 45 * 60,
		.summary = "Personal styling with Amelia Hughes, Oxford Street",
		.description = AP_LONG_TEXT,
		.location = "https://meet.example.com/appoint-01c9c37171e782bc11e3a76a",
		.organizer = {"Appointments", "appointments@example.com"},
		.customer = {"Zoë Öztürk", "zoe@example.net"},
		.expert = {"Amelia Hughes", "amelia@example.com"},
	};
	return event;
}

/* CRLF only, no line over 75 octets, no UTF-8 character cut in two */
static void
ap_assert_wire_format(const gchar *text)
{
	g_auto(GStrv) lines = NULL;
	guint n;

	g_assert_true(g_str_has_suffix(text, "\r\n"));
	for (const gchar *p = text; *p != '\0'; p++) {
		if (*p == '\n')
			g_assert_true(p > text && p[-1] == '\r');
		if (*p == '\r')
			g_assert_true(p[1] == '\n');
	}
	lines = g_strsplit(text, "\r\n", -1);
	n = g_strv_length(lines);
	for (guint i = 0; i + 1 < n; i++) {
		g_assert_cmpuint(strlen(lines[i]), <=, 75);
		g_assert_true(g_utf8_validate(lines[i], -1, NULL));
	}
}

static const gchar *
ap_param(icalproperty *prop, icalparameter_kind kind)
{
	icalparameter *param = icalproperty_get_first_parameter(prop, kind);
	return param != NULL ? icalparameter_as_ical_string(param) : NULL;
}

static void
test_itip_request(void)
{
	ApItipEvent event = ap_event(AP_ITIP_REQUEST, 0);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *text = ap_itip_render(&event, &error);
	g_autoptr(icalcomponent) cal = NULL;
	icalcomponent *vevent;
	icalproperty *prop;
	struct icaltimetype start;
	guint attendees = 0;

	g_assert_no_error(error);
	ap_assert_wire_format(text);
	g_assert_null(strstr(text, "freeassociation"));
	cal = icalparser_parse_string(text);
	g_assert_nonnull(cal);
	g_assert_cmpint(icalcomponent_isa(cal), ==, ICAL_VCALENDAR_COMPONENT);
	g_assert_cmpint(icalcomponent_get_method(cal), ==, ICAL_METHOD_REQUEST);
	g_assert_nonnull(icalcomponent_get_first_property(cal, ICAL_VERSION_PROPERTY));
	g_assert_nonnull(icalcomponent_get_first_property(cal, ICAL_PRODID_PROPERTY));
	g_assert_cmpint(icalcomponent_count_components(cal, ICAL_VEVENT_COMPONENT), ==, 1);
	vevent = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	g_assert_cmpstr(icalcomponent_get_uid(vevent), ==, event.uid);
	g_assert_cmpint(icalcomponent_get_sequence(vevent), ==, 0);
	g_assert_cmpint(icalcomponent_get_status(vevent), ==, ICAL_STATUS_CONFIRMED);
	/* in UTC, never floating */
	start = icalcomponent_get_dtstart(vevent);
	g_assert_true(icaltime_is_utc(start));
	g_assert_cmpint(icaltime_as_timet(start), ==, event.start);
	g_assert_cmpint(icaltime_as_timet(icalcomponent_get_dtend(vevent)), ==, event.end);
	g_assert_true(icaltime_is_utc(icalcomponent_get_dtstamp(vevent)));
	g_assert_nonnull(strstr(text, "DTSTART:20270104T090000Z\r\n"));
	/* the text comes back exactly, escaping and folding undone */
	g_assert_cmpstr(icalcomponent_get_description(vevent), ==, AP_LONG_TEXT);
	g_assert_cmpstr(icalcomponent_get_summary(vevent), ==, event.summary);
	g_assert_cmpstr(icalcomponent_get_location(vevent), ==, event.location);
	prop = icalcomponent_get_first_property(vevent, ICAL_ORGANIZER_PROPERTY);
	g_assert_cmpstr(icalproperty_get_organizer(prop), ==, "mailto:appointments@example.com");
	for (prop = icalcomponent_get_first_property(vevent, ICAL_ATTENDEE_PROPERTY); prop != NULL;
	     prop = icalcomponent_get_next_property(vevent, ICAL_ATTENDEE_PROPERTY)) {
		g_assert_cmpstr(ap_param(prop, ICAL_PARTSTAT_PARAMETER), ==, "PARTSTAT=ACCEPTED");
		g_assert_cmpstr(ap_param(prop, ICAL_RSVP_PARAMETER), ==, "RSVP=FALSE");
		attendees++;
	}
	g_assert_cmpuint(attendees, ==, 2);
	g_assert_nonnull(strstr(text, "CN=Zoë Öztürk"));
	g_assert_cmpint(icalcomponent_count_components(vevent, ICAL_VALARM_COMPONENT), ==, 1);
}

static void
test_itip_cancel(void)
{
	ApItipEvent event = ap_event(AP_ITIP_CANCEL, 3);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *text = ap_itip_render(&event, &error);
	g_autoptr(icalcomponent) cal = NULL;
	icalcomponent *vevent;

	g_assert_no_error(error);
	ap_assert_wire_format(text);
	cal = icalparser_parse_string(text);
	g_assert_cmpint(icalcomponent_get_method(cal), ==, ICAL_METHOD_CANCEL);
	vevent = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	g_assert_cmpstr(icalcomponent_get_uid(vevent), ==, event.uid);
	g_assert_cmpint(icalcomponent_get_sequence(vevent), ==, 3);
	g_assert_cmpint(icalcomponent_get_status(vevent), ==, ICAL_STATUS_CANCELLED);
	g_assert_cmpint(icalcomponent_count_components(vevent, ICAL_VALARM_COMPONENT), ==, 0);
}

/* a service started without LANG runs in the "C" locale: the text must
 * still come out as UTF-8, not as question marks */
static void
test_itip_c_locale(void)
{
	ApItipEvent event = ap_event(AP_ITIP_REQUEST, 0);
	g_autofree gchar *saved = g_strdup(setlocale(LC_ALL, NULL));
	g_autofree gchar *text = NULL;

	g_assert_nonnull(setlocale(LC_ALL, "C"));
	text = ap_itip_render(&event, NULL);
	setlocale(LC_ALL, saved);
	g_assert_nonnull(strstr(text, "CN=Zoë Öztürk"));
	g_assert_nonnull(strstr(text, "Notes: Zoë"));
}

/* what can be got wrong is refused, not written */
static void
test_itip_invalid(void)
{
	ApItipEvent event = ap_event(AP_ITIP_REQUEST, 0);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *text = NULL;

	event.uid = "no spaces allowed@example.com";
	text = ap_itip_render(&event, &error);
	g_assert_null(text);
	g_assert_nonnull(error);
	g_clear_error(&error);
	event = ap_event(AP_ITIP_REQUEST, 0);
	event.end = event.start;
	g_assert_null(ap_itip_render(&event, &error));
	g_assert_nonnull(error);
}

/* names a parameter cannot hold as typed: each attendee keeps its own
 * parameters, the name reads back as its look-alike */
static void
test_itip_awkward_names(void)
{
	const struct {
		const gchar *name;
		const gchar *back;
	} cases[] = {
		{"Zoë \\", "Zoë /"},
		{"Ann \"Nan\" Lee", "Ann 'Nan' Lee"},
		{"O^Brien", "O\u02c6Brien"},
		{"Semi; Colon, Comma: Yes", "Semi; Colon, Comma: Yes"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		ApItipEvent event = ap_event(AP_ITIP_REQUEST, 0);
		g_autoptr(GError) error = NULL;
		g_autofree gchar *text = NULL;
		icalcomponent *cal;
		icalcomponent *vevent;
		icalproperty *customer;
		icalparameter *cn;

		event.customer.name = cases[i].name;
		text = ap_itip_render(&event, &error);
		g_assert_no_error(error);
		cal = icalparser_parse_string(text);
		g_assert_nonnull(cal);
		vevent = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
		customer = icalcomponent_get_first_property(vevent, ICAL_ATTENDEE_PROPERTY);
		cn = icalproperty_get_first_parameter(customer, ICAL_CN_PARAMETER);
		g_assert_cmpstr(icalparameter_get_cn(cn), ==, cases[i].back);
		/* the next parameter is still a parameter */
		g_assert_nonnull(icalproperty_get_first_parameter(customer, ICAL_CUTYPE_PARAMETER));
		icalcomponent_free(cal);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/itip/request", test_itip_request);
	g_test_add_func("/itip/cancel", test_itip_cancel);
	g_test_add_func("/itip/invalid", test_itip_invalid);
	g_test_add_func("/itip/c-locale", test_itip_c_locale);
	g_test_add_func("/itip/awkward-names", test_itip_awkward_names);
	return g_test_run();
}
