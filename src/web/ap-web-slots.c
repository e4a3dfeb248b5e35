/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApWeb"

#include "ap-error.h"
#include "ap-time.h"
#include "ap-web-handlers.h"
#include "ap-web-views.h"

#include <string.h>

/* a query parameter that is missing or malformed: 400, naming it */
static gboolean
ap_web_slots_bad(ApWebRequest *req, const gchar *name, const gchar *message)
{
	g_autofree gchar *detail = g_strdup_printf("%s: %s", name, message);
	ap_web_problem_full(req->msg, SOUP_STATUS_BAD_REQUEST, detail, name);
	return FALSE;
}

static gboolean
ap_web_slots_date(ApWebRequest *req, const gchar *name, GDate *date)
{
	const gchar *text = ap_web_request_query(req, name);
	g_autoptr(GError) error = NULL;

	if (text == NULL)
		return ap_web_slots_bad(req, name, "is required (YYYY-MM-DD)");
	if (!ap_date_parse(text, date, &error))
		return ap_web_slots_bad(req, name, error->message);
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

/* GET /api/v1/slots?service=ID&from=DATE&to=DATE[&expert=ID][&tz=ZONE] */
static void
ap_web_slots_list(ApWebRequest *req)
{
	const gchar *allowed[] = {"service", "from", "to", "expert", "tz", NULL};
	const gchar *service = ap_web_request_query(req, "service");
	const gchar *expert = ap_web_request_query(req, "expert");
	const gchar *tz_name = ap_web_request_query(req, "tz");
	g_autoptr(GTimeZone) tz = NULL;
	g_autoptr(GPtrArray) slots = NULL;
	g_autoptr(JsonNode) view = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) body = NULL;
	const gchar *key = ap_web_slots_key(req);
	g_autofree gchar *text = NULL;
	guint64 generation;
	gint64 now, valid_until = 0;
	gsize len;
	gint64 expert_id = 0;
	guint64 value = 0;
	GDate from, to;

	/* the same question asked again while nothing has changed gets the
	 * same bytes: the week a popular expert is viewed in is asked for
	 * far more often than anything is booked. The key is the query as
	 * sent, and only answers to questions found valid are kept, so an
	 * answer found needs no checking again */
	generation = ap_store_get_generation(ap_engine_get_store(req->engine));
	now = ap_engine_get_now(req->engine);
	if (key != NULL)
		body = ap_web_cache_lookup(req->slots_cache, key, generation, now);
	if (body != NULL) {
		ap_web_respond_bytes(req, SOUP_STATUS_OK, body);
		return;
	}
	if (!ap_web_request_check_query(req, allowed))
		return;
	if (service == NULL) {
		ap_web_slots_bad(req, "service", "is required");
		return;
	}
	if (!ap_web_slots_date(req, "from", &from) || !ap_web_slots_date(req, "to", &to))
		return;
	if (expert != NULL) {
		if (!g_ascii_string_to_unsigned(expert, 10, 1, G_MAXINT64, &value, NULL)) {
			ap_web_slots_bad(req, "expert", "is not an expert id");
			return;
		}
		expert_id = (gint64)value;
	}
	if (tz_name == NULL)
		tz_name = "Europe/London";
	tz = ap_time_zone_new(tz_name, &error);
	if (tz == NULL) {
		ap_web_slots_bad(req, "tz", error->message);
		return;
	}
	slots = ap_engine_list_slots(
		req->engine, service, &from, &to, tz_name, expert_id, &valid_until, &error);
	if (slots == NULL) {
		/* everything wrong here is in the query string */
		if (g_error_matches(error, AP_ERROR, AP_ERROR_INVALID))
			ap_web_problem_full(
				req->msg, SOUP_STATUS_BAD_REQUEST, error->message, NULL);
		else
			ap_web_respond_error(req, error);
		return;
	}
	view = ap_web_view_slots(slots, tz);
	text = json_to_string(view, FALSE);
	len = strlen(text);
	body = g_bytes_new_take(g_steal_pointer(&text), len);
	if (key != NULL)
		ap_web_cache_insert(req->slots_cache, key, body, generation, valid_until);
	ap_web_respond_bytes(req, SOUP_STATUS_OK, body);
}

static const ApWebRoute ap_web_slots_routes[] = {
	{"GET", "/api/v1/slots", ap_web_slots_list},
};

void
ap_web_slots_register(ApWebRouter *router)
{
	ap_web_router_add(router, ap_web_slots_routes, G_N_ELEMENTS(ap_web_slots_routes));
}
