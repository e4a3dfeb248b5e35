/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApWeb"

#include "ap-error.h"
#include "ap-feedback.h"
#include "ap-json.h"
#include "ap-time.h"
#include "ap-validate.h"
#include "ap-web-handlers.h"
#include "ap-web-views.h"

/*
 * After the session: the expert's summary for the customer, the
 * customer's rating, and the ratings for staff and experts to read.
 */

/* POST /api/v1/bookings/{reference}/summary {summary}: its expert, an admin */
static void
ap_web_feedback_summary(ApWebRequest *req)
{
	const gchar *allowed[] = {"summary", NULL};
	g_autoptr(ApBooking) booking = ap_web_bookings_load(req, AP_BOOKING_ACT_MARK);
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) view = NULL;
	g_autofree gchar *actor = NULL;
	const gchar *summary = NULL;
	JsonObject *body;

	if (booking == NULL)
		return;
	/* the expert writes it; customer service cannot speak for them */
	if (!ap_principal_is_role(req->principal, AP_ROLE_EXPERT) &&
	    !ap_principal_is_role(req->principal, AP_ROLE_ADMIN)) {
		ap_web_respond_problem(
			req, SOUP_STATUS_FORBIDDEN, "the session's expert writes its summary");
		return;
	}
	body = ap_web_request_body_object(req);
	if (body == NULL)
		return;
	if (!ap_json_check_members(body, allowed, &error) ||
	    !ap_json_get_string(body, "summary", TRUE, &summary, &error) ||
	    !ap_validate_text(summary, "summary", AP_SUMMARY_MAX_CHARS, TRUE, &error)) {
		ap_web_respond_error(req, error);
		return;
	}
	actor = g_strdup_printf("user:%" G_GINT64_FORMAT, req->principal->user->id);
	if (!ap_store_booking_set_summary(
		    ap_engine_get_store(req->engine), booking, summary, actor, &error)) {
		ap_web_respond_error(req, error);
		return;
	}
	view = ap_web_view_booking(req->engine, booking, NULL);
	ap_web_respond_json(req, SOUP_STATUS_OK, view);
}

/* POST /api/v1/bookings/{reference}/feedback {rating, comment?}: its
 * manage token, the link in the feedback request */
static void
ap_web_feedback_give(ApWebRequest *req)
{
	const gchar *allowed[] = {"rating", "comment", NULL};
	g_autoptr(ApBooking) booking = ap_web_bookings_load(req, AP_BOOKING_ACT_READ);
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonBuilder) b = NULL;
	g_autoptr(JsonNode) view = NULL;
	const gchar *comment = NULL;
	gint64 rating = -1;
	JsonObject *body;

	if (booking == NULL)
		return;
	if (req->principal->kind != AP_PRINCIPAL_MANAGE) {
		ap_web_respond_problem(
			req, SOUP_STATUS_FORBIDDEN, "the customer rates the session");
		return;
	}
	body = ap_web_request_body_object(req);
	if (body == NULL)
		return;
	if (!ap_json_check_members(body, allowed, &error) ||
	    !ap_json_get_int64(body, "rating", TRUE, &rating, &error) ||
	    !ap_json_get_string(body, "comment", FALSE, &comment, &error) ||
	    !ap_validate_text(comment, "comment", AP_FEEDBACK_COMMENT_MAX_CHARS, FALSE, &error)) {
		ap_web_respond_error(req, error);
		return;
	}
	if (rating < 0 || rating > AP_FEEDBACK_MAX_RATING) {
		ap_web_problem_full(req->msg,
				    SOUP_STATUS_UNPROCESSABLE_ENTITY,
				    "rating: from 0 to 10",
				    "rating");
		return;
	}
	if (!ap_store_feedback_add(ap_engine_get_store(req->engine),
				   booking->reference,
				   (guint)rating,
				   comment,
				   &error)) {
		ap_web_respond_error(req, error);
		return;
	}
	b = json_builder_new();
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "reference");
	json_builder_add_string_value(b, booking->reference);
	json_builder_set_member_name(b, "rating");
	json_builder_add_int_value(b, rating);
	json_builder_set_member_name(b, "comment");
	if (comment != NULL && *comment != '\0')
		json_builder_add_string_value(b, comment);
	else
		json_builder_add_null_value(b);
	json_builder_end_object(b);
	view = json_builder_get_root(b);
	ap_web_respond_json(req, SOUP_STATUS_CREATED, view);
}

/* GET /api/v1/feedback[?expert=ID][&service=ID][&limit=N]: staff and
 * admins; an expert reads their own */
static void
ap_web_feedback_report(ApWebRequest *req)
{
	const gchar *allowed[] = {"expert", "service", "limit", NULL};
	const gchar *expert = ap_web_request_query(req, "expert");
	const gchar *service = ap_web_request_query(req, "service");
	g_autoptr(ApFeedbackReport) report = NULL;
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonNode) view = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GTimeZone) utc = g_time_zone_new_utc();
	guint64 expert_id = 0;
	guint limit = 50;

	if (!ap_web_require_user(req) || !ap_web_request_check_query(req, allowed))
		return;
	if (expert != NULL &&
	    !g_ascii_string_to_unsigned(expert, 10, 1, G_MAXINT64, &expert_id, NULL)) {
		ap_web_problem_full(
			req->msg, SOUP_STATUS_BAD_REQUEST, "expert: is not an expert id", "expert");
		return;
	}
	if (service != NULL && !ap_service_id_is_valid(service)) {
		ap_web_problem_full(req->msg,
				    SOUP_STATUS_BAD_REQUEST,
				    "service: is not a service id",
				    "service");
		return;
	}
	if (!ap_web_request_query_count(req, "limit", 1, 500, &limit))
		return;
	if (ap_principal_is_role(req->principal, AP_ROLE_EXPERT)) {
		gint64 own = req->principal->user->expert_id;
		if (expert_id != 0 && (gint64)expert_id != own) {
			ap_web_respond_problem(
				req, SOUP_STATUS_FORBIDDEN, "an expert reads their own feedback");
			return;
		}
		expert_id = (guint64)own;
	} else if (!ap_principal_is_staff(req->principal)) {
		ap_web_respond_problem(req, SOUP_STATUS_FORBIDDEN, "not allowed");
		return;
	}
	report = ap_store_feedback_report(
		ap_engine_get_store(req->engine), (gint64)expert_id, service, (guint)limit, &error);
	if (report == NULL) {
		ap_web_respond_error(req, error);
		return;
	}
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "count");
	json_builder_add_int_value(b, report->count);
	json_builder_set_member_name(b, "average");
	if (report->count > 0)
		json_builder_add_double_value(b, ap_feedback_report_average(report));
	else
		json_builder_add_null_value(b);
	json_builder_set_member_name(b, "histogram");
	json_builder_begin_array(b);
	for (guint r = 0; r <= AP_FEEDBACK_MAX_RATING; r++)
		json_builder_add_int_value(b, report->histogram[r]);
	json_builder_end_array(b);
	json_builder_set_member_name(b, "latest");
	json_builder_begin_array(b);
	for (guint i = 0; i < report->entries->len; i++) {
		const ApFeedback *f = g_ptr_array_index(report->entries, i);
		g_autofree gchar *at = ap_time_format_rfc3339(f->created_at, utc);

		json_builder_begin_object(b);
		json_builder_set_member_name(b, "reference");
		json_builder_add_string_value(b, f->reference);
		json_builder_set_member_name(b, "expert");
		json_builder_add_int_value(b, f->expert_id);
		json_builder_set_member_name(b, "service");
		json_builder_add_string_value(b, f->service_id);
		json_builder_set_member_name(b, "rating");
		json_builder_add_int_value(b, f->rating);
		json_builder_set_member_name(b, "comment");
		if (f->comment != NULL)
			json_builder_add_string_value(b, f->comment);
		else
			json_builder_add_null_value(b);
		json_builder_set_member_name(b, "created_at");
		json_builder_add_string_value(b, at);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_end_object(b);
	view = json_builder_get_root(b);
	ap_web_respond_json(req, SOUP_STATUS_OK, view);
}

static const ApWebRoute ap_web_feedback_routes[] = {
	{"POST", "/api/v1/bookings/{reference}/summary", ap_web_feedback_summary, TRUE},
	{"POST", "/api/v1/bookings/{reference}/feedback", ap_web_feedback_give, TRUE},
	{"GET", "/api/v1/feedback", ap_web_feedback_report},
};

void
ap_web_feedback_register(ApWebRouter *router)
{
	ap_web_router_add(router, ap_web_feedback_routes, G_N_ELEMENTS(ap_web_feedback_routes));
}
