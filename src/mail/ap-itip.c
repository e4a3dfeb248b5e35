/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApMail"

#include "ap-itip.h"

#include <libical/ical.h>
#include <locale.h>
#include <string.h>

#include "ap-error.h"

#include "config.h"

/*
 * iTIP objects (RFC 5546) with libical: one VCALENDAR with VERSION,
 * PRODID and METHOD, one VEVENT. Times are in UTC, which every calendar
 * shows at the right local time without a VTIMEZONE to get wrong; they
 * are never floating. libical escapes the text and folds lines at 75
 * octets; what it writes is checked by tests/test-itip.c.
 */

G_DEFINE_AUTOPTR_CLEANUP_FUNC(icalcomponent, icalcomponent_free)

/* libical writes text through the C library's multibyte functions: in a
 * process whose locale is "C" (a service started without LANG) every
 * character outside ASCII comes out as '?'. It runs under a UTF-8 locale
 * of its own, for this thread alone. */
static locale_t
ap_itip_utf8_locale(void)
{
	static gsize once = 0;
	static locale_t utf8 = (locale_t)0;

	if (g_once_init_enter(&once)) {
		utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
		if (utf8 == (locale_t)0)
			g_warning(
				"no C.UTF-8 locale: invitations may lose characters outside ASCII");
		g_once_init_leave(&once, 1);
	}
	return utf8;
}

const gchar *
ap_itip_method_to_string(ApItipMethod method)
{
	switch (method) {
	case AP_ITIP_CANCEL:
		return "CANCEL";
	case AP_ITIP_PUBLISH:
		return "PUBLISH";
	case AP_ITIP_REQUEST:
	default:
		return "REQUEST";
	}
}

static struct icaltimetype
ap_itip_time(gint64 instant)
{
	return icaltime_from_timet_with_zone((time_t)instant, 0, icaltimezone_get_utc_timezone());
}

/* a name as a CN parameter can hold it: RFC 5545 allows no DQUOTE in a
 * parameter value, libical reads a backslash there as an escape (a name
 * ending in one swallowed the next parameter) and a caret as RFC 6868's
 * (which it does not write): found by fuzz-mail. They become look-alikes
 * (/, ', U+02C6); the rest libical quotes */
static gchar *
ap_itip_cn(const gchar *name)
{
	GString *out = g_string_sized_new(strlen(name));

	for (const gchar *p = name; *p != '\0'; p++) {
		if (*p == '\\')
			g_string_append_c(out, '/');
		else if (*p == '"')
			g_string_append_c(out, '\'');
		else if (*p == '^')
			g_string_append(out, "\u02c6");
		else
			g_string_append_c(out, *p);
	}
	return g_string_free(out, FALSE);
}

static icalproperty *
ap_itip_person(icalproperty *prop, const ApItipPerson *person)
{
	if (person->name != NULL && *person->name != '\0') {
		g_autofree gchar *cn = ap_itip_cn(person->name);
		icalproperty_add_parameter(prop, icalparameter_new_cn(cn));
	}
	return prop;
}

static icalproperty *
ap_itip_attendee(const ApItipPerson *person, ApItipMethod method)
{
	g_autofree gchar *mailto = g_strconcat("mailto:", person->email, NULL);
	icalproperty *prop = ap_itip_person(icalproperty_new_attendee(mailto), person);

	icalproperty_add_parameter(prop, icalparameter_new_cutype(ICAL_CUTYPE_INDIVIDUAL));
	icalproperty_add_parameter(prop, icalparameter_new_role(ICAL_ROLE_REQPARTICIPANT));
	/* the session is agreed when booked: nobody is asked to reply, and a
	 * client that offers buttons anyway shows it as accepted */
	icalproperty_add_parameter(prop,
				   icalparameter_new_partstat(method == AP_ITIP_CANCEL
								      ? ICAL_PARTSTAT_DECLINED
								      : ICAL_PARTSTAT_ACCEPTED));
	icalproperty_add_parameter(prop, icalparameter_new_rsvp(ICAL_RSVP_FALSE));
	return prop;
}

static gboolean
ap_itip_check(const ApItipEvent *event, GError **error)
{
	const gchar *const texts[] = {event->uid,
				      event->summary,
				      event->organizer.email,
				      event->customer.email,
				      event->expert.email};

	for (guint i = 0; i < G_N_ELEMENTS(texts); i++) {
		if (texts[i] == NULL || *texts[i] == '\0') {
			g_set_error(error,
				    AP_ERROR,
				    AP_ERROR_INVALID,
				    "an invitation needs %s",
				    i == 0   ? "a UID"
				    : i == 1 ? "a summary"
					     : "every address");
			return FALSE;
		}
	}
	for (const gchar *p = event->uid; *p != '\0'; p++) {
		if ((guchar)*p < 0x21 || (guchar)*p > 0x7e) {
			g_set_error(error, AP_ERROR, AP_ERROR_INVALID, "a UID is printable ASCII");
			return FALSE;
		}
	}
	if (event->end <= event->start || event->sequence < 0) {
		g_set_error(error,
			    AP_ERROR,
			    AP_ERROR_INVALID,
			    "an invitation needs a start before its end");
		return FALSE;
	}
	return TRUE;
}

static icalcomponent *
ap_itip_vcalendar(icalproperty_method method)
{
	icalcomponent *cal = icalcomponent_new_vcalendar();

	icalcomponent_add_property(
		cal, icalproperty_new_prodid("-//appoint//appoint " PACKAGE_VERSION "//EN"));
	icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
	icalcomponent_add_property(cal, icalproperty_new_calscale("GREGORIAN"));
	icalcomponent_add_property(cal, icalproperty_new_method(method));
	return cal;
}

/* the VEVENT of @event, checked */
static icalcomponent *
ap_itip_vevent(const ApItipEvent *event, GError **error)
{
	icalcomponent *vevent;
	g_autofree gchar *organizer = NULL;
	gboolean cancel = event->method == AP_ITIP_CANCEL;

	if (!ap_itip_check(event, error))
		return NULL;
	vevent = icalcomponent_new_vevent();
	icalcomponent_add_property(vevent, icalproperty_new_uid(event->uid));
	icalcomponent_add_property(vevent, icalproperty_new_sequence(event->sequence));
	icalcomponent_add_property(vevent, icalproperty_new_dtstamp(ap_itip_time(event->stamp)));
	icalcomponent_add_property(vevent, icalproperty_new_dtstart(ap_itip_time(event->start)));
	icalcomponent_add_property(vevent, icalproperty_new_dtend(ap_itip_time(event->end)));
	icalcomponent_add_property(vevent, icalproperty_new_summary(event->summary));
	if (event->description != NULL)
		icalcomponent_add_property(vevent,
					   icalproperty_new_description(event->description));
	if (event->location != NULL) {
		icalcomponent_add_property(vevent, icalproperty_new_location(event->location));
		icalcomponent_add_property(vevent, icalproperty_new_url(event->location));
	}
	organizer = g_strconcat("mailto:", event->organizer.email, NULL);
	icalcomponent_add_property(
		vevent, ap_itip_person(icalproperty_new_organizer(organizer), &event->organizer));
	icalcomponent_add_property(vevent, ap_itip_attendee(&event->customer, event->method));
	icalcomponent_add_property(vevent, ap_itip_attendee(&event->expert, event->method));
	icalcomponent_add_property(
		vevent,
		icalproperty_new_status(cancel ? ICAL_STATUS_CANCELLED : ICAL_STATUS_CONFIRMED));
	icalcomponent_add_property(
		vevent,
		icalproperty_new_transp(cancel ? ICAL_TRANSP_TRANSPARENT : ICAL_TRANSP_OPAQUE));
	if (!cancel) {
		/* a reminder a quarter of an hour before; none on a cancellation */
		icalcomponent *alarm = icalcomponent_new_valarm();
		struct icaltriggertype trigger = {.time = icaltime_null_time(),
						  .duration = icaldurationtype_from_int(-15 * 60)};

		icalcomponent_add_property(alarm, icalproperty_new_action(ICAL_ACTION_DISPLAY));
		icalcomponent_add_property(alarm, icalproperty_new_description(event->summary));
		icalcomponent_add_property(alarm, icalproperty_new_trigger(trigger));
		icalcomponent_add_component(vevent, alarm);
	}
	return vevent;
}

static icalproperty_method
ap_itip_ical_method(ApItipMethod method)
{
	switch (method) {
	case AP_ITIP_CANCEL:
		return ICAL_METHOD_CANCEL;
	case AP_ITIP_PUBLISH:
		return ICAL_METHOD_PUBLISH;
	case AP_ITIP_REQUEST:
	default:
		return ICAL_METHOD_REQUEST;
	}
}

/* what libical writes, in GLib memory */
static gchar *
ap_itip_to_text(icalcomponent *cal, GError **error)
{
	locale_t utf8 = ap_itip_utf8_locale();
	locale_t old = utf8 != (locale_t)0 ? uselocale(utf8) : (locale_t)0;
	gchar *text = icalcomponent_as_ical_string_r(cal);

	if (old != (locale_t)0)
		uselocale(old);
	if (text == NULL) {
		g_set_error(error,
			    AP_ERROR,
			    AP_ERROR_INVALID,
			    "libical could not write the invitation");
		return NULL;
	}
	/* libical allocates with malloc(): hand back GLib memory */
	{
		gchar *copy = g_strdup(text);
		free(text);
		return copy;
	}
}

/**
 * ap_itip_render:
 * @event: what to say
 * @error: a #GError, or %NULL
 *
 * Returns: (transfer full) (nullable): the VCALENDAR as text, CRLF line
 * endings, lines folded at 75 octets
 */
gchar *
ap_itip_render(const ApItipEvent *event, GError **error)
{
	g_autoptr(icalcomponent) cal = NULL;
	icalcomponent *vevent;

	g_return_val_if_fail(event != NULL, NULL);

	vevent = ap_itip_vevent(event, error);
	if (vevent == NULL)
		return NULL;
	cal = ap_itip_vcalendar(ap_itip_ical_method(event->method));
	icalcomponent_add_component(cal, vevent);
	return ap_itip_to_text(cal, error);
}

/**
 * ap_itip_render_feed:
 * @name: (nullable): the calendar's name, for the apps that show one
 *   (X-WR-CALNAME)
 * @events: (array length=n_events): the events, each with its own method
 *   ignored: a feed is METHOD:PUBLISH
 * @n_events: how many
 * @error: a #GError, or %NULL
 *
 * One VCALENDAR of many events, for a calendar app's subscription.
 *
 * Returns: (transfer full) (nullable): the text, as ap_itip_render()
 */
gchar *
ap_itip_render_feed(const gchar *name, const ApItipEvent *events, guint n_events, GError **error)
{
	g_autoptr(icalcomponent) cal = ap_itip_vcalendar(ICAL_METHOD_PUBLISH);

	g_return_val_if_fail(events != NULL || n_events == 0, NULL);

	if (name != NULL) {
		icalproperty *calname = icalproperty_new_x(name);
		icalproperty_set_x_name(calname, "X-WR-CALNAME");
		icalcomponent_add_property(cal, calname);
	}
	for (guint i = 0; i < n_events; i++) {
		ApItipEvent event = events[i];
		icalcomponent *vevent;

		event.method = AP_ITIP_PUBLISH;
		vevent = ap_itip_vevent(&event, error);
		if (vevent == NULL)
			return NULL;
		icalcomponent_add_component(cal, vevent);
	}
	return ap_itip_to_text(cal, error);
}
