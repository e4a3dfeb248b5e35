/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApWeb"

#include "ap-engine-book.h"
#include "ap-error.h"
#include "ap-json.h"
#include "ap-time.h"
#include "ap-validate.h"
#include "ap-web-handlers.h"
#include "ap-web-views.h"
#include "ap-web-writer.h"
#include "ap-zone.h"

/*
 * The rights on one booking, in one place: its manage token may read,
 * move and cancel it; staff and admins anything; its expert may read,
 * cancel and mark it. A manage token for another booking, or an expert
 * asking about someone else's, gets 404: they learn nothing about it.
 */
ApBooking *
ap_web_bookings_load(ApWebRequest *req, ApBookingAct act)
{
	const ApPrincipal *who = req->principal;
	const gchar *reference = ap_web_request_param(req, "reference");
	g_autoptr(GError) error = NULL;
	g_autoptr(ApBooking) booking = NULL;

	if (who->kind == AP_PRINCIPAL_ANONYMOUS) {
		ap_web_respond_problem(req, SOUP_STATUS_UNAUTHORIZED, "authentication is required");
		return NULL;
	}
	if (who->kind == AP_PRINCIPAL_MANAGE) {
		if (g_strcmp0(who->booking->reference, reference) != 0 ||
		    act == AP_BOOKING_ACT_MARK) {
			ap_web_respond_problem(
				req,
				act == AP_BOOKING_ACT_MARK &&
						g_strcmp0(who->booking->reference, reference) == 0
					? SOUP_STATUS_FORBIDDEN
					: SOUP_STATUS_NOT_FOUND,
				act == AP_BOOKING_ACT_MARK ? "not allowed with a booking's token"
							   : "no such booking");
			return NULL;
		}
	}
	booking = ap_store_booking_get(ap_engine_get_store(req->engine), reference, &error);
	if (booking == NULL && g_error_matches(error, AP_ERROR, AP_ERROR_NOT_FOUND)) {
		/* the same words as for a booking one may not see, so that the
		 * answer never tells the two apart */
		ap_web_respond_problem(req, SOUP_STATUS_NOT_FOUND, "no such booking");
		return NULL;
	}
	if (booking == NULL) {
		ap_web_respond_error(req, error);
		return NULL;
	}
	if (ap_principal_is_role(who, AP_ROLE_EXPERT)) {
		if (who->user->expert_id != booking->expert_id) {
			ap_web_respond_problem(req, SOUP_STATUS_NOT_FOUND, "no such booking");
			return NULL;
		}
		if (act == AP_BOOKING_ACT_MOVE) {
			ap_web_respond_problem(
				req,
				SOUP_STATUS_FORBIDDEN,
				"experts cannot move bookings; ask customer service");
			return NULL;
		}
	}
	return g_steal_pointer(&booking);
}

static gboolean
ap_web_bookings_parse_instant(JsonObject *body,
			      const gchar *member,
			      gint64 *instant,
			      GError **error)
{
	const gchar *text = NULL;

	if (!ap_json_get_string(body, member, TRUE, &text, error))
		return FALSE;
	if (!ap_time_parse_rfc3339(text, instant, error)) {
		g_prefix_error(error, "%s: ", member);
		return FALSE;
	}
	return TRUE;
}

/* the request hash of an idempotent create: the body, re-serialised so
 * that white space does not matter */
static gchar *
ap_web_bookings_request_hash(ApWebRequest *req)
{
	g_autofree gchar *canonical = json_to_string(req->body, FALSE);
	return g_compute_checksum_for_string(G_CHECKSUM_SHA256, canonical, -1);
}

static gboolean
ap_web_bookings_parse_create(ApWebRequest *req,
			     JsonObject *body,
			     ApBookingRequest *request,
			     GError **error)
{
	const gchar *allowed[] = {
		"service", "start", "expert", "customer", "answers", "channel", NULL};
	const gchar *customer_allowed[] = {"name", "email", "phone", "locale", "timezone", NULL};
	const gchar *channel = NULL;
	JsonObject *customer;
	g_autoptr(GError) error_local = NULL;

	if (!ap_json_check_members(body, allowed, error) ||
	    !ap_json_get_string(body, "service", TRUE, &request->service_id, error) ||
	    !ap_web_bookings_parse_instant(body, "start", &request->start, error) ||
	    !ap_json_get_int64(body, "expert", FALSE, &request->expert_id, error) ||
	    !ap_json_get_string(body, "channel", FALSE, &channel, error))
		return FALSE;
	customer = ap_json_get_object(body, "customer", TRUE, error);
	if (customer == NULL)
		return FALSE;
	if (!ap_json_check_members(customer, customer_allowed, error) ||
	    !ap_json_get_string(customer, "name", TRUE, &request->customer_name, error) ||
	    !ap_json_get_string(customer, "email", TRUE, &request->customer_email, error) ||
	    !ap_json_get_string(customer, "phone", FALSE, &request->customer_phone, error) ||
	    !ap_json_get_string(customer, "locale", FALSE, &request->customer_locale, error) ||
	    !ap_json_get_string(customer, "timezone", FALSE, &request->customer_timezone, error)) {
		g_prefix_error(error, "customer.");
		return FALSE;
	}
	request->answers = ap_json_get_object(body, "answers", FALSE, &error_local);
	if (error_local != NULL) {
		g_propagate_error(error, g_steal_pointer(&error_local));
		return FALSE;
	}
	if (request->expert_id < 0) {
		g_set_error(error, AP_ERROR, AP_ERROR_INVALID, "expert: is not an expert id");
		return FALSE;
	}
	if (channel != NULL) {
		if (!ap_booking_channel_from_string(channel, &request->channel)) {
			g_set_error(error,
				    AP_ERROR,
				    AP_ERROR_INVALID,
				    "channel: must be web, phone, social or in-store");
			return FALSE;
		}
		/* phone and in-store bookings are made by staff for a customer */
		if ((request->channel == AP_BOOKING_CHANNEL_PHONE ||
		     request->channel == AP_BOOKING_CHANNEL_IN_STORE) &&
		    !ap_principal_is_staff(req->principal)) {
			g_set_error(error,
				    AP_ERROR,
				    AP_ERROR_FORBIDDEN,
				    "channel: only staff book by phone or in store");
			return FALSE;
		}
	}
	return TRUE;
}

/* a booking on its way to the writer's thread */
typedef struct {
	ApBookingDraft *draft;
	/* the request's body, kept whole and untouched by the main loop
	 * until the booking is answered: the draft holds its answers */
	JsonNode *body;
} ApWebBookingsCreate;

static void
ap_web_bookings_create_free(ApWebBookingsCreate *create)
{
	ap_booking_draft_free(create->draft);
	g_clear_pointer(&create->body, json_node_unref);
	g_free(create);
}

/* on the writer's thread */
static gboolean
ap_web_bookings_create_write(ApEngine *engine, gpointer data, GError **error)
{
	ApWebBookingsCreate *create = data;

	return ap_engine_book_store(engine, create->draft, error);
}

static void
ap_web_bookings_created(ApWebRequest *req, gpointer data, const GError *error)
{
	ApWebBookingsCreate *create = data;
	g_autoptr(ApBooking) booking = NULL;
	g_autoptr(JsonNode) view = NULL;
	g_autofree gchar *token = NULL;
	gboolean replayed = FALSE;

	if (error != NULL) {
		ap_web_respond_error(req, error);
		return;
	}
	booking = ap_engine_book_finish(req->engine, create->draft, &token, &replayed);
	if (replayed)
		soup_message_headers_replace(soup_server_message_get_response_headers(req->msg),
					     "Idempotent-Replayed",
					     "true");
	else
		ap_web_metrics_count_booking(req->metrics, "created");
	view = ap_web_view_booking(req->engine, booking, token);
	ap_web_respond_json(req, SOUP_STATUS_CREATED, view);
}

/* checked and prepared here; written on the writer's thread, answered
 * by ap_web_bookings_created() once on disk */
static void
ap_web_bookings_create(ApWebRequest *req)
{
	JsonObject *body = ap_web_request_body_object(req);
	SoupMessageHeaders *headers = soup_server_message_get_request_headers(req->msg);
	ApBookingRequest request = {.channel = AP_BOOKING_CHANNEL_WEB};
	g_autoptr(GError) error = NULL;
	g_autoptr(ApBookingDraft) draft = NULL;
	g_autofree gchar *hash = NULL;
	g_autofree gchar *actor = ap_principal_actor(req->principal);
	ApWebBookingsCreate *create;

	if (body == NULL)
		return;
	if (!ap_web_bookings_parse_create(req, body, &request, &error)) {
		ap_web_respond_error(req, error);
		return;
	}
	request.idempotency_key = soup_message_headers_get_one(headers, "Idempotency-Key");
	if (request.idempotency_key != NULL) {
		hash = ap_web_bookings_request_hash(req);
		request.request_hash = hash;
	}
	draft = ap_engine_book_prepare(req->engine, &request, actor, &error);
	if (draft == NULL) {
		ap_web_respond_error(req, error);
		return;
	}
	create = g_new0(ApWebBookingsCreate, 1);
	create->draft = g_steal_pointer(&draft);
	/* a retry answered by the booking made the first time: nothing to write */
	if (ap_booking_draft_is_stored(create->draft)) {
		ap_web_bookings_created(req, create, NULL);
		ap_web_bookings_create_free(create);
		return;
	}
	create->body = g_steal_pointer(&req->body);
	ap_web_writer_add(req->writer,
			  req,
			  ap_web_bookings_create_write,
			  ap_web_bookings_created,
			  create,
			  (GDestroyNotify)ap_web_bookings_create_free);
}

static void
ap_web_bookings_get(ApWebRequest *req)
{
	g_autoptr(ApBooking) booking = ap_web_bookings_load(req, AP_BOOKING_ACT_READ);
	g_autoptr(JsonNode) view = NULL;

	if (booking == NULL)
		return;
	view = ap_web_view_booking(req->engine, booking, NULL);
	ap_web_respond_json(req, SOUP_STATUS_OK, view);
}

static void
ap_web_bookings_history(ApWebRequest *req)
{
	g_autoptr(ApBooking) booking = ap_web_bookings_load(req, AP_BOOKING_ACT_READ);
	g_autoptr(GPtrArray) events = NULL;
	g_autoptr(JsonNode) view = NULL;
	g_autoptr(GError) error = NULL;

	if (booking == NULL)
		return;
	events = ap_store_booking_history(
		ap_engine_get_store(req->engine), booking->reference, &error);
	if (events == NULL) {
		ap_web_respond_error(req, error);
		return;
	}
	view = ap_web_view_history(ap_engine_get_store(req->engine), events);
	ap_web_respond_json(req, SOUP_STATUS_OK, view);
}

/* `from`/`to` dates in London, as the contract says */
static gboolean
ap_web_bookings_parse_day(ApWebRequest *req, const gchar *name, gboolean end, gint64 *instant)
{
	const gchar *text = ap_web_request_query(req, name);
	g_autoptr(GTimeZone) tz = ap_zone_lookup(AP_WEB_BOOKING_ZONE);
	g_autoptr(GError) error = NULL;
	gint64 start, next;
	GDate date;

	if (text == NULL)
		return TRUE;
	if (!ap_date_parse(text, &date, &error)) {
		g_autofree gchar *detail = g_strdup_printf("%s: %s", name, error->message);
		ap_web_problem_full(req->msg, SOUP_STATUS_BAD_REQUEST, detail, name);
		return FALSE;
	}
	ap_local_day_bounds(tz, &date, &start, &next);
	*instant = end ? next : start;
	return TRUE;
}

static void
ap_web_bookings_list(ApWebRequest *req)
{
	const gchar *allowed[] = {"q", "from", "to", "limit", "offset", NULL};
	ApBookingQuery query = {.from = G_MININT64, .to = G_MAXINT64, .limit = 100};
	g_autoptr(GPtrArray) bookings = NULL;
	g_autoptr(JsonArray) array = json_array_new();
	g_autoptr(JsonNode) root = NULL;
	g_autoptr(GError) error = NULL;

	if (!ap_web_require_user(req) || !ap_web_request_check_query(req, allowed))
		return;
	/* an expert sees only their own */
	if (ap_principal_is_role(req->principal, AP_ROLE_EXPERT))
		query.expert_id = req->principal->user->expert_id;
	query.text = ap_web_request_query(req, "q");
	if (query.text != NULL && !ap_validate_line(query.text, "q", 200, FALSE, &error)) {
		ap_web_problem_full(req->msg, SOUP_STATUS_BAD_REQUEST, error->message, "q");
		return;
	}
	if (!ap_web_bookings_parse_day(req, "from", FALSE, &query.from) ||
	    !ap_web_bookings_parse_day(req, "to", TRUE, &query.to) ||
	    !ap_web_request_query_count(req, "limit", 0, 500, &query.limit) ||
	    !ap_web_request_query_count(req, "offset", 0, G_MAXINT32, &query.offset))
		return;
	if (query.limit == 0) {
		ap_web_problem_full(
			req->msg, SOUP_STATUS_BAD_REQUEST, "limit: must be at least 1", "limit");
		return;
	}
	bookings = ap_store_bookings_search(ap_engine_get_store(req->engine), &query, &error);
	if (bookings == NULL) {
		ap_web_respond_error(req, error);
		return;
	}
	for (guint i = 0; i < bookings->len; i++)
		json_array_add_element(
			array,
			ap_web_view_booking(req->engine, g_ptr_array_index(bookings, i), NULL));
	root = json_node_init_array(json_node_alloc(), array);
	ap_web_respond_json(req, SOUP_STATUS_OK, root);
}

static void
ap_web_bookings_reschedule(ApWebRequest *req)
{
	const gchar *allowed[] = {"start", "expert", NULL};
	g_autoptr(ApBooking) booking = ap_web_bookings_load(req, AP_BOOKING_ACT_MOVE);
	g_autoptr(ApBooking) moved = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) view = NULL;
	g_autofree gchar *actor = NULL;
	JsonObject *body;
	gint64 start = 0, expert_id = 0;

	if (booking == NULL)
		return;
	body = ap_web_request_body_object(req);
	if (body == NULL)
		return;
	if (!ap_json_check_members(body, allowed, &error) ||
	    !ap_web_bookings_parse_instant(body, "start", &start, &error) ||
	    !ap_json_get_int64(body, "expert", FALSE, &expert_id, &error)) {
		ap_web_respond_error(req, error);
		return;
	}
	actor = ap_principal_actor(req->principal);
	moved = ap_engine_reschedule(
		req->engine, booking->reference, start, expert_id, actor, &error);
	if (moved == NULL) {
		ap_web_respond_error(req, error);
		return;
	}
	ap_web_metrics_count_booking(req->metrics, "rescheduled");
	view = ap_web_view_booking(req->engine, moved, NULL);
	ap_web_respond_json(req, SOUP_STATUS_OK, view);
}

static void
ap_web_bookings_change(ApWebRequest *req, ApBookingAct act, ApBookingStatus status)
{
	const gchar *allowed[] = {"reason", NULL};
	g_autoptr(ApBooking) booking = ap_web_bookings_load(req, act);
	g_autoptr(ApBooking) changed = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) view = NULL;
	g_autofree gchar *actor = NULL;
	const gchar *reason = NULL;

	if (booking == NULL)
		return;
	/* the body is optional here */
	if (soup_server_message_get_request_body(req->msg)->length > 0) {
		JsonObject *body = ap_web_request_body_object(req);
		if (body == NULL)
			return;
		if (!ap_json_check_members(body, allowed, &error) ||
		    !ap_json_get_string(body, "reason", FALSE, &reason, &error)) {
			ap_web_respond_error(req, error);
			return;
		}
	}
	actor = ap_principal_actor(req->principal);
	changed = ap_engine_set_status(
		req->engine, booking->reference, status, reason, actor, &error);
	if (changed == NULL) {
		ap_web_respond_error(req, error);
		return;
	}
	ap_web_metrics_count_booking(req->metrics, ap_booking_status_to_string(status));
	view = ap_web_view_booking(req->engine, changed, NULL);
	ap_web_respond_json(req, SOUP_STATUS_OK, view);
}

static void
ap_web_bookings_cancel(ApWebRequest *req)
{
	ap_web_bookings_change(req, AP_BOOKING_ACT_CANCEL, AP_BOOKING_STATUS_CANCELLED);
}

static void
ap_web_bookings_complete(ApWebRequest *req)
{
	ap_web_bookings_change(req, AP_BOOKING_ACT_MARK, AP_BOOKING_STATUS_COMPLETED);
}

static void
ap_web_bookings_no_show(ApWebRequest *req)
{
	ap_web_bookings_change(req, AP_BOOKING_ACT_MARK, AP_BOOKING_STATUS_NO_SHOW);
}

static const ApWebRoute ap_web_bookings_routes[] = {
	{"POST", "/api/v1/bookings", ap_web_bookings_create},
	{"GET", "/api/v1/bookings", ap_web_bookings_list},
	{"GET", "/api/v1/bookings/{reference}", ap_web_bookings_get},
	{"GET", "/api/v1/bookings/{reference}/history", ap_web_bookings_history},
	{"POST", "/api/v1/bookings/{reference}/reschedule", ap_web_bookings_reschedule, TRUE},
	{"POST", "/api/v1/bookings/{reference}/cancel", ap_web_bookings_cancel, TRUE},
	{"POST", "/api/v1/bookings/{reference}/complete", ap_web_bookings_complete, TRUE},
	{"POST", "/api/v1/bookings/{reference}/no-show", ap_web_bookings_no_show, TRUE},
};

void
ap_web_bookings_register(ApWebRouter *router)
{
	ap_web_router_add(router, ap_web_bookings_routes, G_N_ELEMENTS(ap_web_bookings_routes));
}
