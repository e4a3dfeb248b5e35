/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApWeb"

#include "ap-error.h"
#include "ap-time.h"
#include "ap-web-handlers.h"
#include "ap-web-slots-worker.h"

#include <string.h>

/* a query parameter that is missing or malformed: 400, naming it */
static void
ap_web_slots_bad(ApWebRequest *req, const gchar *name, const gchar *message)
{
	g_autofree gchar *detail = g_strdup_printf("%s: %s", name, message);
	ap_web_problem_full(req->msg, SOUP_STATUS_BAD_REQUEST, detail, name);
}

static gboolean
ap_web_slots_date(ApWebRequest *req, const gchar *name, GDate *date, GError **error)
{
	const gchar *text = ap_web_request_query(req, name);

	if (text == NULL) {
		g_set_error_literal(error, AP_ERROR, AP_ERROR_INVALID, "is required (YYYY-MM-DD)");
		return FALSE;
	}
	return ap_date_parse(text, date, error);
}

/* the query's values, checked; @field names the one that is wrong */
static gboolean
ap_web_slots_question_read(ApWebRequest *req,
			   ApWebSlotsQuestion *question,
			   const gchar **field,
			   GError **error)
{
	const gchar *service = ap_web_request_query(req, "service");
	const gchar *expert = ap_web_request_query(req, "expert");
	const gchar *tz_name = ap_web_request_query(req, "tz");
	guint64 value = 0;

	*field = "service";
	if (service == NULL) {
		g_set_error_literal(error, AP_ERROR, AP_ERROR_INVALID, "is required");
		return FALSE;
	}
	*field = "from";
	if (!ap_web_slots_date(req, "from", &question->from, error))
		return FALSE;
	*field = "to";
	if (!ap_web_slots_date(req, "to", &question->to, error))
		return FALSE;
	*field = "expert";
	if (expert != NULL &&
	    !g_ascii_string_to_unsigned(expert, 10, 1, G_MAXINT64, &value, NULL)) {
		g_set_error_literal(error, AP_ERROR, AP_ERROR_INVALID, "is not an expert id");
		return FALSE;
	}
	*field = "tz";
	if (tz_name == NULL)
		tz_name = "Europe/London";
	question->tz = ap_time_zone_new(tz_name, error);
	if (question->tz == NULL)
		return FALSE;
	*field = NULL;
	question->service_id = g_strdup(service);
	question->timezone = g_strdup(tz_name);
	question->expert_id = (gint64)value;
	return TRUE;
}

/* what a slots answer is kept under: the query as sent, or nothing for
 * one longer than any real question needs, since every spelling of a
 * question (empty pairs, leading zeros) is kept apart */
#define AP_WEB_SLOTS_KEY_MAX 512

static const gchar *
ap_web_slots_key(ApWebRequest *req)
{
	const gchar *query = g_uri_get_query(soup_server_message_get_uri(req->msg));

	return query != NULL && strlen(query) <= AP_WEB_SLOTS_KEY_MAX ? query : NULL;
}

static void
ap_web_slots_answered_cb(GBytes *body, const GError *error, gpointer user_data)
{
	ApWebRequest *req = user_data;

	if (body != NULL) {
		ap_web_respond_bytes(req, SOUP_STATUS_OK, body);
	} else if (g_error_matches(error, AP_ERROR, AP_ERROR_INVALID)) {
		/* everything wrong here is in the query string */
		ap_web_problem_full(req->msg, SOUP_STATUS_BAD_REQUEST, error->message, NULL);
	} else if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_BUSY) ||
		   g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
		/* too many questions at once, or stopping: nothing is wrong
		 * with this one, asked again in a moment */
		soup_message_headers_replace(
			soup_server_message_get_response_headers(req->msg), "Retry-After", "1");
		ap_web_problem(req->msg, SOUP_STATUS_SERVICE_UNAVAILABLE, error->message);
	} else {
		ap_web_respond_error(req, error);
	}
	ap_web_request_release(req);
}

/* GET /api/v1/slots?service=ID&from=DATE&to=DATE[&expert=ID][&tz=ZONE] */
static void
ap_web_slots_list(ApWebRequest *req)
{
	const gchar *allowed[] = {"service", "from", "to", "expert", "tz", NULL};
	g_auto(ApWebSlotsQuestion) question = {NULL};
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) body = NULL;
	const gchar *key = ap_web_slots_key(req);
	const gchar *field = NULL;
	guint64 generation;
	gint64 now, kept_until = 0;

	/* the same question asked again while nothing has changed gets the
	 * same bytes: the week a popular expert is viewed in is asked for
	 * far more often than anything is booked. The key is the query as
	 * sent, and only answers to questions found valid are kept, so an
	 * answer found needs no checking again */
	generation = ap_store_get_generation(ap_engine_get_store(req->engine));
	now = ap_engine_get_now(req->engine);
	if (key != NULL)
		body = ap_web_cache_lookup(req->slots_cache, key, generation, now, &kept_until);
	if (body != NULL) {
		ap_web_respond_bytes(req, SOUP_STATUS_OK, body);
		/* asked for while its answer nears its end: the next is
		 * computed for then, so that nobody waits for it; asked for
		 * again before: planned to be, in case nobody asks then */
		if (kept_until - now <= AP_WEB_SLOTS_AHEAD_SECONDS) {
			if (!ap_web_slots_worker_is_computing(req->slots_worker, key, generation) &&
			    ap_web_slots_question_read(req, &question, &field, NULL))
				ap_web_slots_worker_compute_ahead(
					req->slots_worker, key, &question, generation, kept_until);
		} else if (kept_until != G_MAXINT64 &&
			   !ap_web_slots_worker_is_planned(
				   req->slots_worker, key, generation, kept_until) &&
			   ap_web_slots_question_read(req, &question, &field, NULL)) {
			ap_web_slots_worker_plan_ahead(
				req->slots_worker, key, &question, generation, kept_until, now);
		}
		return;
	}
	if (!ap_web_request_check_query(req, allowed))
		return;
	if (!ap_web_slots_question_read(req, &question, &field, &error)) {
		ap_web_slots_bad(req, field, error->message);
		return;
	}
	ap_web_slots_worker_ask(req->slots_worker,
				key,
				&question,
				generation,
				now,
				ap_web_slots_answered_cb,
				ap_web_request_hold(req));
}

static const ApWebRoute ap_web_slots_routes[] = {
	{"GET", "/api/v1/slots", ap_web_slots_list},
};

void
ap_web_slots_register(ApWebRouter *router)
{
	ap_web_router_add(router, ap_web_slots_routes, G_N_ELEMENTS(ap_web_slots_routes));
}
