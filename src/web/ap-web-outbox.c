/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApWeb"

#include "ap-error.h"
#include "ap-time.h"
#include "ap-web-handlers.h"
#include "ap-web-views.h"

/*
 * The emails, for customer service: what a booking has been sent (for its
 * timeline), what the relay refused for good, and a retry once the cause
 * is fixed.
 */

static void
ap_web_outbox_respond_list(ApWebRequest *req, GPtrArray *items)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonNode) view = NULL;
	g_autoptr(GTimeZone) utc = g_time_zone_new_utc();

	json_builder_begin_array(b);
	for (guint i = 0; i < items->len; i++)
		ap_web_view_outbox_item(b, g_ptr_array_index(items, i), utc);
	json_builder_end_array(b);
	view = json_builder_get_root(b);
	ap_web_respond_json(req, SOUP_STATUS_OK, view);
}

/* GET /api/v1/bookings/{reference}/emails: staff, admin, its expert */
static void
ap_web_outbox_booking_emails(ApWebRequest *req)
{
	g_autoptr(ApBooking) booking = ap_web_bookings_load(req, AP_BOOKING_ACT_READ);
	g_autoptr(GPtrArray) items = NULL;
	g_autoptr(GError) error = NULL;

	if (booking == NULL)
		return;
	if (req->principal->kind == AP_PRINCIPAL_MANAGE) {
		ap_web_respond_problem(
			req, SOUP_STATUS_FORBIDDEN, "not allowed with a booking's token");
		return;
	}
	items = ap_store_outbox_list(ap_engine_get_store(req->engine), booking->id, &error);
	if (items == NULL) {
		ap_web_respond_error(req, error);
		return;
	}
	ap_web_outbox_respond_list(req, items);
}

static gboolean
ap_web_outbox_require_staff(ApWebRequest *req)
{
	if (!ap_web_require_user(req))
		return FALSE;
	if (!ap_principal_is_staff(req->principal)) {
		ap_web_respond_problem(
			req, SOUP_STATUS_FORBIDDEN, "customer service and admins only");
		return FALSE;
	}
	return TRUE;
}

/* GET /api/v1/outbox[?status=dead|pending][&limit=N]: staff, admin */
static void
ap_web_outbox_list(ApWebRequest *req)
{
	const gchar *allowed[] = {"status", "limit", NULL};
	const gchar *status_text = ap_web_request_query(req, "status");
	ApOutboxStatus status = AP_OUTBOX_STATUS_DEAD;
	g_autoptr(GPtrArray) items = NULL;
	g_autoptr(GError) error = NULL;
	guint limit = 100;

	if (!ap_web_outbox_require_staff(req) || !ap_web_request_check_query(req, allowed))
		return;
	if (status_text != NULL && !ap_outbox_status_from_string(status_text, &status)) {
		ap_web_problem_full(req->msg,
				    SOUP_STATUS_BAD_REQUEST,
				    "status: one of pending, sent, dead, void",
				    "status");
		return;
	}
	if (!ap_web_request_query_count(req, "limit", 1, 500, &limit))
		return;
	items = ap_store_outbox_list_status(
		ap_engine_get_store(req->engine), status, (guint)limit, &error);
	if (items == NULL) {
		ap_web_respond_error(req, error);
		return;
	}
	ap_web_outbox_respond_list(req, items);
}

/* POST /api/v1/outbox/{id}/retry: staff, admin; a dead email goes again */
static void
ap_web_outbox_retry(ApWebRequest *req)
{
	const gchar *text = ap_web_request_param(req, "id");
	ApStore *store = ap_engine_get_store(req->engine);
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonNode) view = NULL;
	guint64 id = 0;

	if (!ap_web_outbox_require_staff(req))
		return;
	if (!g_ascii_string_to_unsigned(text, 10, 1, G_MAXINT64, &id, NULL)) {
		ap_web_respond_problem(req, SOUP_STATUS_NOT_FOUND, "no such email");
		return;
	}
	if (!ap_store_outbox_retry(store, (gint64)id, ap_engine_get_now(req->engine), &error)) {
		/* an unknown id and a row not dead look alike to the store */
		ap_web_respond_error(req, error);
		return;
	}
	ap_engine_notify_committed(req->engine);
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "id");
	json_builder_add_int_value(b, (gint64)id);
	json_builder_set_member_name(b, "status");
	json_builder_add_string_value(b, "pending");
	json_builder_end_object(b);
	view = json_builder_get_root(b);
	ap_web_respond_json(req, SOUP_STATUS_OK, view);
}

static const ApWebRoute ap_web_outbox_routes[] = {
	{"GET", "/api/v1/bookings/{reference}/emails", ap_web_outbox_booking_emails},
	{"GET", "/api/v1/outbox", ap_web_outbox_list},
	{"POST", "/api/v1/outbox/{id}/retry", ap_web_outbox_retry},
};

void
ap_web_outbox_register(ApWebRouter *router)
{
	ap_web_router_add(router, ap_web_outbox_routes, G_N_ELEMENTS(ap_web_outbox_routes));
}
