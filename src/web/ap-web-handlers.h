/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ap-itip.h"
#include "ap-web-request.h"
#include "ap-web-router.h"

G_BEGIN_DECLS

/* what a caller wants to do with one booking */
typedef enum {
	AP_BOOKING_ACT_READ,
	AP_BOOKING_ACT_MOVE,
	AP_BOOKING_ACT_CANCEL,
	AP_BOOKING_ACT_MARK, /* completed, no-show, the summary */
} ApBookingAct;

/* the booking of the path, once the caller's rights on it are checked
 * (ap-web-bookings.c); answers 401/403/404 itself */
ApBooking *
ap_web_bookings_load(ApWebRequest *req, ApBookingAct act);

/* each resource's routes, registered by ApWebServer */
void
ap_web_bookings_register(ApWebRouter *router);
void
ap_web_feedback_register(ApWebRouter *router);
void
ap_web_outbox_register(ApWebRouter *router);
void
ap_web_pages_register(ApWebRouter *router);
void
ap_web_manage_register(ApWebRouter *router);
void
ap_web_timeline_register(ApWebRouter *router);
void
ap_web_calendar_register(ApWebRouter *router);
void
ap_web_users_register(ApWebRouter *router);
void
ap_web_manage_event(ApEngine *engine,
		    const ApBooking *booking,
		    const ApService *service,
		    const ApExpert *expert,
		    ApItipEvent *event,
		    GPtrArray *strings);
void
ap_web_pages_respond(ApWebRequest *req, const gchar *type, GBytes *bytes, gboolean cache);
void
ap_web_experts_register(ApWebRouter *router);
void
ap_web_services_register(ApWebRouter *router);
void
ap_web_slots_register(ApWebRouter *router);

G_END_DECLS
