/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApWeb"

#include "ap-error.h"
#include "ap-itip.h"
#include "ap-secret.h"
#include "ap-time.h"
#include "ap-web-handlers.h"
#include "ap-web-views.h"

/*
 * An expert's calendar subscription: a secret address their own calendar
 * app polls for an ICS feed of their sessions. Only its hash is kept; the
 * address is shown once, when made, and renewing it ends the old one.
 */

/* from a month back, so that the week just gone stays visible */
#define AP_WEB_CALENDAR_PAST_SECONDS (31 * 24 * 3600)
#define AP_WEB_CALENDAR_MAX_EVENTS   2000

/* the expert of the path, for that expert or an admin */
static gint64
ap_web_calendar_expert(ApWebRequest *req)
{
	guint64 id = 0;

	if (!g_ascii_string_to_unsigned(
		    ap_web_request_param(req, "id"), 10, 1, G_MAXINT64, &id, NULL)) {
		ap_web_respond_problem(req, SOUP_STATUS_NOT_FOUND, "no such expert");
		return 0;
	}
	if (!ap_web_require_user(req))
		return 0;
	if (!ap_principal_is_role(req->principal, AP_ROLE_ADMIN) &&
	    !(ap_principal_is_role(req->principal, AP_ROLE_EXPERT) &&
	      req->principal->user->expert_id == (gint64)id)) {
		ap_web_respond_problem(req, SOUP_STATUS_FORBIDDEN, "not allowed for this expert");
		return 0;
	}
	return (gint64)id;
}

static void
ap_web_calendar_respond(ApWebRequest *req, guint status, gint64 created_at, const gchar *url)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonNode) view = NULL;
	g_autoptr(GTimeZone) utc = g_time_zone_new_utc();

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "active");
	json_builder_add_boolean_value(b, created_at > 0);
	if (created_at > 0)
		ap_web_view_add_instant(b, "created_at", created_at, utc);
	if (url != NULL) {
		json_builder_set_member_name(b, "url");
		json_builder_add_string_value(b, url);
	}
	json_builder_end_object(b);
	view = json_builder_get_root(b);
	ap_web_respond_json(req, status, view);
}

/* GET /api/v1/experts/{id}/calendar: that expert, an admin */
static void
ap_web_calendar_get(ApWebRequest *req)
{
	g_autoptr(GError) error = NULL;
	gint64 id = ap_web_calendar_expert(req);
	gint64 created;

	if (id == 0)
		return;
	created = ap_store_calendar_feed_created(ap_engine_get_store(req->engine), id, &error);
	if (created < 0) {
		ap_web_respond_error(req, error);
		return;
	}
	ap_web_calendar_respond(req, SOUP_STATUS_OK, created, NULL);
}

/* POST /api/v1/experts/{id}/calendar: a new address, the old one ended */
static void
ap_web_calendar_renew(ApWebRequest *req)
{
	ApStore *store = ap_engine_get_store(req->engine);
	const ApConfig *config = ap_engine_get_config(req->engine);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *token = NULL;
	g_autofree gchar *hash = NULL;
	g_autofree gchar *url = NULL;
	gint64 id = ap_web_calendar_expert(req);

	if (id == 0)
		return;
	token = ap_token_generate("apc_");
	hash = ap_token_hash(token);
	if (!ap_store_calendar_feed_set(store, id, hash, &error)) {
		ap_web_respond_error(req, error);
		return;
	}
	url = g_strconcat(config->public_url, "/calendar/", token, NULL);
	ap_web_calendar_respond(req, SOUP_STATUS_CREATED, ap_store_get_now(store), url);
}

/* GET /calendar/{token}: the feed, for a calendar app (no header to send) */
static void
ap_web_calendar_feed(ApWebRequest *req)
{
	ApStore *store = ap_engine_get_store(req->engine);
	g_autofree gchar *hash = ap_token_hash(ap_web_request_param(req, "token"));
	g_autoptr(GError) error = NULL;
	g_autoptr(ApExpert) expert = NULL;
	g_autoptr(GPtrArray) bookings = NULL;
	g_autoptr(GPtrArray) services = NULL;
	g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GArray) events = g_array_new(FALSE, TRUE, sizeof(ApItipEvent));
	g_autoptr(GBytes) bytes = NULL;
	g_autofree gchar *name = NULL;
	gint64 id = ap_store_calendar_feed_lookup(store, hash, &error);
	ApBookingQuery query = {.to = G_MAXINT64, .limit = AP_WEB_CALENDAR_MAX_EVENTS};
	gchar *text;

	if (id < 0) {
		ap_web_respond_error(req, error);
		return;
	}
	if (id == 0 || (expert = ap_store_expert_get(store, id, NULL)) == NULL) {
		ap_web_respond_problem(req, SOUP_STATUS_NOT_FOUND, "no such calendar");
		return;
	}
	query.expert_id = id;
	query.from = ap_store_get_now(store) - AP_WEB_CALENDAR_PAST_SECONDS;
	bookings = ap_store_bookings_search(store, &query, &error);
	services = bookings != NULL ? ap_store_services_list(store, TRUE, &error) : NULL;
	if (services == NULL) {
		ap_web_respond_error(req, error);
		return;
	}
	for (guint i = 0; i < bookings->len; i++) {
		const ApBooking *booking = g_ptr_array_index(bookings, i);
		const ApService *service = NULL;
		ApItipEvent event;

		/* a cancelled session is left out: the app drops it */
		if (booking->status == AP_BOOKING_STATUS_CANCELLED)
			continue;
		for (guint j = 0; j < services->len && service == NULL; j++) {
			const ApService *s = g_ptr_array_index(services, j);
			if (g_strcmp0(s->id, booking->service_id) == 0)
				service = s;
		}
		ap_web_manage_event(req->engine, booking, service, expert, &event, strings);
		/* the expert's own feed names the customer */
		event.summary =
			g_strdup_printf("%s: %s",
					service != NULL ? service->name : booking->service_id,
					booking->customer_name);
		g_ptr_array_add(strings, (gpointer)event.summary);
		g_array_append_val(events, event);
		/* cppcheck-suppress memleak ; strings owns event.summary */
	}
	name = g_strdup_printf("appoint: %s", expert->name);
	text = ap_itip_render_feed(
		name, (const ApItipEvent *)(gpointer)events->data, events->len, &error);
	if (text == NULL) {
		ap_web_respond_error(req, error);
		return;
	}
	bytes = g_bytes_new_take(text, strlen(text));
	ap_web_pages_respond(req, "text/calendar; charset=utf-8", bytes, FALSE);
}

static const ApWebRoute ap_web_calendar_routes[] = {
	{"GET", "/api/v1/experts/{id}/calendar", ap_web_calendar_get},
	{"POST", "/api/v1/experts/{id}/calendar", ap_web_calendar_renew},
	{"GET", "/calendar/{token}", ap_web_calendar_feed},
};

void
ap_web_calendar_register(ApWebRouter *router)
{
	ap_web_router_add(router, ap_web_calendar_routes, G_N_ELEMENTS(ap_web_calendar_routes));
}
