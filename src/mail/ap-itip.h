/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
	AP_ITIP_REQUEST, /* a new event, or a change to it (RFC 5546 3.2.2) */
	AP_ITIP_CANCEL,	 /* the event is gone (RFC 5546 3.2.5) */
	AP_ITIP_PUBLISH, /* a copy to keep: a download, a subscribed feed (3.2.1) */
} ApItipMethod;

/**
 * ApItipPerson:
 * @name: shown by calendars (CN)
 * @email: the mailto: address
 */
typedef struct {
	const gchar *name;
	const gchar *email;
} ApItipPerson;

/**
 * ApItipEvent:
 * @method: what the calendar is asked to do
 * @uid: the booking's UID, the same for its whole life
 * @sequence: its SEQUENCE: 0 first, raised by every move and the
 *   cancellation
 * @stamp: when the change was made (DTSTAMP)
 * @start: first instant
 * @end: first instant after
 * @summary: the title calendars show
 * @description: (nullable): the details
 * @location: (nullable): the video link, where the session takes place
 * @organizer: the service's mailbox, the From address of the email
 * @customer: attendee
 * @expert: attendee
 *
 * What one iTIP message says about a booking's event.
 */
typedef struct {
	ApItipMethod method;
	const gchar *uid;
	gint sequence;
	gint64 stamp;
	gint64 start;
	gint64 end;
	const gchar *summary;
	const gchar *description;
	const gchar *location;
	ApItipPerson organizer;
	ApItipPerson customer;
	ApItipPerson expert;
} ApItipEvent;

const gchar *
ap_itip_method_to_string(ApItipMethod method);
gchar *
ap_itip_render(const ApItipEvent *event, GError **error);
gchar *
ap_itip_render_feed(const gchar *name, const ApItipEvent *events, guint n_events, GError **error);

G_END_DECLS
