/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApWeb"

#include "ap-error.h"
#include "ap-json.h"
#include "ap-validate.h"
#include "ap-web-handlers.h"

/*
 * What customer service adds to a booking's timeline while the customer
 * is on the phone: a note, and the confirmation sent again.
 */

#define AP_WEB_NOTE_MAX_CHARS 2000

/* a signed-in user, not a manage token: the customer writes no notes */
static gboolean
ap_web_timeline_require_user(ApWebRequest *req)
{
	if (req->principal->kind != AP_PRINCIPAL_USER) {
		ap_web_respond_problem(
			req, SOUP_STATUS_FORBIDDEN, "not allowed with a booking's token");
		return FALSE;
	}
	return TRUE;
}

/* POST /api/v1/bookings/{reference}/notes {text}: staff, admin, its expert */
static void
ap_web_timeline_note(ApWebRequest *req)
{
	const gchar *allowed[] = {"text", NULL};
	g_autoptr(ApBooking) booking = ap_web_bookings_load(req, AP_BOOKING_ACT_MARK);
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonBuilder) b = NULL;
	g_autoptr(JsonNode) view = NULL;
	g_autofree gchar *actor = NULL;
	const gchar *text = NULL;
	JsonObject *body;

	if (booking == NULL || !ap_web_timeline_require_user(req))
		return;
	body = ap_web_request_body_object(req);
	if (body == NULL)
		return;
	if (!ap_json_check_members(body, allowed, &error) ||
	    !ap_json_get_string(body, "text", TRUE, &text, &error) ||
	    !ap_validate_text(text, "text", AP_WEB_NOTE_MAX_CHARS, TRUE, &error)) {
		ap_web_respond_error(req, error);
		return;
	}
	actor = ap_principal_actor(req->principal);
	if (!ap_store_booking_add_note(
		    ap_engine_get_store(req->engine), booking->reference, text, actor, &error)) {
		ap_web_respond_error(req, error);
		return;
	}
	b = json_builder_new();
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "action");
	json_builder_add_string_value(b, "note");
	json_builder_set_member_name(b, "text");
	json_builder_add_string_value(b, text);
	json_builder_end_object(b);
	view = json_builder_get_root(b);
	ap_web_respond_json(req, SOUP_STATUS_CREATED, view);
}

/* POST /api/v1/bookings/{reference}/resend: staff, admin */
static void
ap_web_timeline_resend(ApWebRequest *req)
{
	g_autoptr(ApBooking) booking = ap_web_bookings_load(req, AP_BOOKING_ACT_MOVE);
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonBuilder) b = NULL;
	g_autoptr(JsonNode) view = NULL;
	g_autofree gchar *actor = NULL;

	if (booking == NULL || !ap_web_timeline_require_user(req))
		return;
	if (!ap_principal_is_staff(req->principal)) {
		ap_web_respond_problem(
			req, SOUP_STATUS_FORBIDDEN, "customer service sends confirmations again");
		return;
	}
	actor = ap_principal_actor(req->principal);
	if (!ap_store_booking_resend(
		    ap_engine_get_store(req->engine), booking->reference, actor, &error)) {
		ap_web_respond_error(req, error);
		return;
	}
	ap_engine_notify_committed(req->engine);
	b = json_builder_new();
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "queued");
	json_builder_add_boolean_value(b, TRUE);
	json_builder_end_object(b);
	view = json_builder_get_root(b);
	ap_web_respond_json(req, SOUP_STATUS_ACCEPTED, view);
}

static const ApWebRoute ap_web_timeline_routes[] = {
	{"POST", "/api/v1/bookings/{reference}/notes", ap_web_timeline_note},
	{"POST", "/api/v1/bookings/{reference}/resend", ap_web_timeline_resend},
};

void
ap_web_timeline_register(ApWebRouter *router)
{
	ap_web_router_add(router, ap_web_timeline_routes, G_N_ELEMENTS(ap_web_timeline_routes));
}
