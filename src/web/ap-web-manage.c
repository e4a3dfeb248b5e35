/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApWeb"

#include "ap-error.h"
#include "ap-itip.h"
#include "ap-secret.h"
#include "ap-web-handlers.h"
#include "ap-web-views.h"

/*
 * The customer's own link: the booking its manage token names, for the
 * manage page, and that booking as a calendar file to keep ("add to
 * calendar"). The token never leaves the customer's address bar and
 * Authorization header; these answers are not stored by caches.
 */

/* GET /api/v1/manage: its manage token */
static void
ap_web_manage_booking(ApWebRequest *req)
{
	g_autoptr(JsonNode) view = NULL;

	if (req->principal->kind == AP_PRINCIPAL_ANONYMOUS) {
		ap_web_respond_problem(
			req, SOUP_STATUS_UNAUTHORIZED, "use the booking's manage token");
		return;
	}
	if (req->principal->kind != AP_PRINCIPAL_MANAGE) {
		ap_web_respond_problem(req,
				       SOUP_STATUS_FORBIDDEN,
				       "only a booking's manage token names its booking; staff use "
				       "/api/v1/bookings/{reference}");
		return;
	}
	view = ap_web_view_booking(req->engine, req->principal->booking, NULL);
	ap_web_respond_json(req, SOUP_STATUS_OK, view);
}

/**
 * ap_web_manage_event:
 * @engine: the engine
 * @booking: a booking
 * @service: (nullable): its service, for the title
 * @expert: (nullable): its expert
 * @event: (out caller-allocates): filled in; its strings belong to
 *   @strings
 * @strings: where the texts made for @event are kept
 *
 * The booking as an event for a calendar file (METHOD:PUBLISH): the same
 * UID and SEQUENCE as its invitations, so that a calendar holding both
 * keeps one event.
 */
void
ap_web_manage_event(ApEngine *engine,
		    const ApBooking *booking,
		    const ApService *service,
		    const ApExpert *expert,
		    ApItipEvent *event,
		    GPtrArray *strings)
{
	const ApConfig *config = ap_engine_get_config(engine);
	gchar *video = ap_engine_video_url(engine, booking);
	gchar *summary = g_strdup_printf("%s: %s",
					 service != NULL ? service->name : booking->service_id,
					 expert != NULL ? expert->name : booking->customer_name);
	gchar *description =
		g_strdup_printf("%s %s\n%s", booking->reference, booking->customer_name, video);

	g_ptr_array_add(strings, video);
	g_ptr_array_add(strings, summary);
	g_ptr_array_add(strings, description);
	*event = (ApItipEvent){
		.method = AP_ITIP_PUBLISH,
		.uid = booking->ical_uid,
		.sequence = booking->sequence,
		.stamp = booking->updated_at != 0 ? booking->updated_at : booking->created_at,
		.start = booking->start,
		.end = booking->end,
		.summary = summary,
		.description = description,
		.location = video,
		.organizer = {NULL, config->mail_from_address},
		.customer = {booking->customer_name, booking->customer_email},
		.expert = {expert != NULL ? expert->name : NULL,
			   expert != NULL ? expert->email : config->mail_from_address},
	};
}

/* GET /manage/{token}/invite.ics: the token in the address, as in the
 * emailed link, since a download cannot send a header */
static void
ap_web_manage_invite(ApWebRequest *req)
{
	ApStore *store = ap_engine_get_store(req->engine);
	g_autofree gchar *hash = ap_token_hash(ap_web_request_param(req, "token"));
	g_autoptr(ApBooking) booking = ap_store_booking_get_by_token(store, hash, NULL);
	g_autoptr(ApService) service = NULL;
	g_autoptr(ApExpert) expert = NULL;
	g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = NULL;
	g_autofree gchar *filename = NULL;
	ApItipEvent event;
	gchar *text;

	if (booking == NULL) {
		ap_web_respond_problem(req, SOUP_STATUS_NOT_FOUND, "no such booking");
		return;
	}
	if (booking->status == AP_BOOKING_STATUS_CANCELLED) {
		ap_web_respond_problem(req, SOUP_STATUS_GONE, "the booking was cancelled");
		return;
	}
	service = ap_store_service_get(store, booking->service_id, NULL);
	expert = ap_store_expert_get(store, booking->expert_id, NULL);
	ap_web_manage_event(req->engine, booking, service, expert, &event, strings);
	text = ap_itip_render(&event, &error);
	if (text == NULL) {
		ap_web_respond_error(req, error);
		return;
	}
	bytes = g_bytes_new_take(text, strlen(text));
	ap_web_pages_respond(req, "text/calendar; charset=utf-8; method=PUBLISH", bytes, FALSE);
	filename = g_strdup_printf("attachment; filename=\"appoint-%s.ics\"", booking->reference);
	soup_message_headers_replace(soup_server_message_get_response_headers(req->msg),
				     "Content-Disposition",
				     filename);
}

static const ApWebRoute ap_web_manage_routes[] = {
	{"GET", "/api/v1/manage", ap_web_manage_booking},
	{"GET", "/manage/{token}/invite.ics", ap_web_manage_invite},
};

void
ap_web_manage_register(ApWebRouter *router)
{
	ap_web_router_add(router, ap_web_manage_routes, G_N_ELEMENTS(ap_web_manage_routes));
}
