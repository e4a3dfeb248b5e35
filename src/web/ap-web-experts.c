/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApWeb"

#include "ap-error.h"
#include "ap-json.h"
#include "ap-time.h"
#include "ap-validate.h"
#include "ap-web-handlers.h"
#include "ap-web-views.h"

/* who may do what with an expert */
typedef enum {
	AP_EXPERT_ACT_READ_PRIVATE, /* admin, staff, the expert */
	AP_EXPERT_ACT_EDIT_HOURS,   /* admin, the expert */
	AP_EXPERT_ACT_EDIT_PROFILE, /* admin, the expert (name, bio, branch, zone) */
	AP_EXPERT_ACT_TIME_OFF,	    /* admin, staff, the expert */
	AP_EXPERT_ACT_ADMIN,	    /* admin */
} ApExpertAct;

static gboolean
ap_web_experts_may(const ApPrincipal *who, gint64 expert_id, ApExpertAct act)
{
	gboolean self =
		ap_principal_is_role(who, AP_ROLE_EXPERT) && who->user->expert_id == expert_id;

	switch (act) {
	case AP_EXPERT_ACT_READ_PRIVATE:
	case AP_EXPERT_ACT_TIME_OFF:
		return self || ap_principal_is_staff(who);
	case AP_EXPERT_ACT_EDIT_HOURS:
	case AP_EXPERT_ACT_EDIT_PROFILE:
		return self || ap_principal_is_role(who, AP_ROLE_ADMIN);
	case AP_EXPERT_ACT_ADMIN:
	default:
		return ap_principal_is_role(who, AP_ROLE_ADMIN);
	}
}

/* the expert named by the path, once the caller's rights are checked */
static ApExpert *
ap_web_experts_load(ApWebRequest *req, ApExpertAct act)
{
	const gchar *text = ap_web_request_param(req, "id");
	g_autoptr(GError) error = NULL;
	guint64 id = 0;
	ApExpert *expert;

	if (!g_ascii_string_to_unsigned(text, 10, 1, G_MAXINT64, &id, NULL)) {
		ap_web_respond_problem(req, SOUP_STATUS_NOT_FOUND, "no such expert");
		return NULL;
	}
	if (!ap_web_require_user(req))
		return NULL;
	if (!ap_web_experts_may(req->principal, (gint64)id, act)) {
		ap_web_respond_problem(req, SOUP_STATUS_FORBIDDEN, "not allowed for this expert");
		return NULL;
	}
	expert = ap_store_expert_get(ap_engine_get_store(req->engine), (gint64)id, &error);
	if (expert == NULL)
		ap_web_respond_error(req, error);
	return expert;
}

/* [["09:00","17:00"], …] */
static gboolean
ap_web_experts_parse_ranges(JsonNode *node, const gchar *field, GArray *ranges, GError **error)
{
	JsonArray *array;

	if (node == NULL || !JSON_NODE_HOLDS_ARRAY(node)) {
		g_set_error(error,
			    AP_ERROR,
			    AP_ERROR_INVALID,
			    "%s: must be a list of [start, end]",
			    field);
		return FALSE;
	}
	array = json_node_get_array(node);
	if (json_array_get_length(array) > 12) {
		g_set_error(
			error, AP_ERROR, AP_ERROR_INVALID, "%s: at most 12 ranges a day", field);
		return FALSE;
	}
	for (guint i = 0; i < json_array_get_length(array); i++) {
		JsonNode *pair = json_array_get_element(array, i);
		JsonArray *ends = JSON_NODE_HOLDS_ARRAY(pair) ? json_node_get_array(pair) : NULL;
		const gchar *start = NULL, *end = NULL;
		ApTimeRange range;

		if (ends != NULL && json_array_get_length(ends) == 2 &&
		    json_node_get_value_type(json_array_get_element(ends, 0)) == G_TYPE_STRING &&
		    json_node_get_value_type(json_array_get_element(ends, 1)) == G_TYPE_STRING) {
			start = json_array_get_string_element(ends, 0);
			end = json_array_get_string_element(ends, 1);
		}
		if (start == NULL || end == NULL) {
			g_set_error(error,
				    AP_ERROR,
				    AP_ERROR_INVALID,
				    "%s: each range is [\"HH:MM\", \"HH:MM\"]",
				    field);
			return FALSE;
		}
		if (!ap_time_range_parse(start, end, &range, error)) {
			g_prefix_error(error, "%s: ", field);
			return FALSE;
		}
		g_array_append_val(ranges, range);
	}
	ap_time_ranges_sort(ranges);
	if (!ap_time_ranges_validate(ranges, error)) {
		g_prefix_error(error, "%s: ", field);
		return FALSE;
	}
	return TRUE;
}

/* {mon: [...], …}; days left out are days off */
static ApWeeklyHours *
ap_web_experts_parse_weekly(JsonObject *weekly, GError **error)
{
	g_autoptr(ApWeeklyHours) hours = ap_weekly_hours_new();
	JsonObjectIter iter;
	const gchar *day;
	JsonNode *node;

	json_object_iter_init(&iter, weekly);
	while (json_object_iter_next(&iter, &day, &node)) {
		GDateWeekday weekday = ap_weekday_from_string(day);
		g_autofree gchar *field = g_strdup_printf("weekly.%s", day);
		if (weekday == G_DATE_BAD_WEEKDAY) {
			g_set_error(error,
				    AP_ERROR,
				    AP_ERROR_INVALID,
				    "%s: is not one of mon, tue, wed, thu, fri, sat, sun",
				    field);
			return NULL;
		}
		if (!ap_web_experts_parse_ranges(node, field, hours->days[weekday - 1], error))
			return NULL;
	}
	return g_steal_pointer(&hours);
}

/* fields an administrator sets on create and PATCH */
static gboolean
ap_web_experts_apply(ApExpert *expert, JsonObject *body, gboolean create, GError **error)
{
	const gchar *allowed[] = {
		"name", "email", "bio", "branch", "services", "timezone", "active", "weekly", NULL};
	const gchar *name = NULL, *email = NULL, *bio = NULL, *branch = NULL, *timezone = NULL;
	JsonArray *services;
	JsonObject *weekly;
	g_autoptr(GError) error_local = NULL;

	if (!ap_json_check_members(body, allowed, error) ||
	    !ap_json_get_string(body, "name", create, &name, error) ||
	    !ap_json_get_string(body, "email", create, &email, error) ||
	    !ap_json_get_string(body, "bio", FALSE, &bio, error) ||
	    !ap_json_get_string(body, "branch", FALSE, &branch, error) ||
	    !ap_json_get_string(body, "timezone", create, &timezone, error) ||
	    !ap_json_get_bool(body, "active", FALSE, &expert->active, error))
		return FALSE;
	services = ap_json_get_array(body, "services", create, &error_local);
	if (error_local == NULL)
		weekly = ap_json_get_object(body, "weekly", FALSE, &error_local);
	if (error_local != NULL) {
		g_propagate_error(error, g_steal_pointer(&error_local));
		return FALSE;
	}
#define AP_SET(field, value)                                                                       \
	if ((value) != NULL) {                                                                     \
		g_free(expert->field);                                                             \
		expert->field = g_strdup(value);                                                   \
	}
	AP_SET(name, name)
	AP_SET(email, email)
	AP_SET(bio, bio)
	AP_SET(branch, branch)
	AP_SET(timezone, timezone)
#undef AP_SET
	if (services != NULL) {
		g_ptr_array_set_size(expert->services, 0);
		for (guint i = 0; i < json_array_get_length(services); i++) {
			JsonNode *s = json_array_get_element(services, i);
			if (json_node_get_value_type(s) != G_TYPE_STRING) {
				g_set_error(error,
					    AP_ERROR,
					    AP_ERROR_INVALID,
					    "services: must be service ids");
				return FALSE;
			}
			g_ptr_array_add(expert->services, g_strdup(json_node_get_string(s)));
		}
	}
	if (weekly != NULL) {
		ApWeeklyHours *hours = ap_web_experts_parse_weekly(weekly, error);
		if (hours == NULL)
			return FALSE;
		ap_weekly_hours_free(expert->hours);
		expert->hours = hours;
	}
	if (expert->bio == NULL)
		expert->bio = g_strdup("");
	return ap_expert_validate(expert, error);
}

static void
ap_web_experts_create(ApWebRequest *req)
{
	g_autoptr(ApExpert) expert = ap_expert_new();
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) view = NULL;
	JsonObject *body;

	if (!ap_web_require_user(req))
		return;
	if (!ap_principal_is_role(req->principal, AP_ROLE_ADMIN)) {
		ap_web_respond_problem(
			req, SOUP_STATUS_FORBIDDEN, "only administrators add experts");
		return;
	}
	body = ap_web_request_body_object(req);
	if (body == NULL)
		return;
	g_clear_pointer(&expert->timezone, g_free);
	if (!ap_web_experts_apply(expert, body, TRUE, &error) ||
	    !ap_store_expert_create(ap_engine_get_store(req->engine), expert, &error)) {
		ap_web_respond_error(req, error);
		return;
	}
	view = ap_web_view_expert(expert, TRUE);
	ap_web_respond_json(req, SOUP_STATUS_CREATED, view);
}

/* GET /api/v1/experts[?service=ID]: active experts, without emails */
static void
ap_web_experts_list(ApWebRequest *req)
{
	const gchar *allowed[] = {"service", NULL};
	const gchar *service = ap_web_request_query(req, "service");
	g_autoptr(GPtrArray) experts = NULL;
	g_autoptr(JsonArray) array = json_array_new();
	g_autoptr(JsonNode) root = NULL;
	g_autoptr(GError) error = NULL;

	if (!ap_web_request_check_query(req, allowed))
		return;
	if (service != NULL && !ap_service_id_is_valid(service)) {
		ap_web_problem_full(req->msg,
				    SOUP_STATUS_BAD_REQUEST,
				    "service: is not a service id",
				    "service");
		return;
	}
	experts = ap_store_experts_list(ap_engine_get_store(req->engine), service, FALSE, &error);
	if (experts == NULL) {
		ap_web_respond_error(req, error);
		return;
	}
	for (guint i = 0; i < experts->len; i++)
		json_array_add_element(array,
				       ap_web_view_expert(g_ptr_array_index(experts, i), FALSE));
	root = json_node_init_array(json_node_alloc(), array);
	ap_web_respond_json(req, SOUP_STATUS_OK, root);
}

/* GET /api/v1/experts/{id}: anyone sees an active expert's profile */
static void
ap_web_experts_get(ApWebRequest *req)
{
	const gchar *text = ap_web_request_param(req, "id");
	g_autoptr(ApExpert) expert = NULL;
	g_autoptr(JsonNode) view = NULL;
	guint64 id = 0;
	gboolean private_fields;

	if (!g_ascii_string_to_unsigned(text, 10, 1, G_MAXINT64, &id, NULL) ||
	    (expert = ap_store_expert_get(ap_engine_get_store(req->engine), (gint64)id, NULL)) ==
		    NULL) {
		ap_web_respond_problem(req, SOUP_STATUS_NOT_FOUND, "no such expert");
		return;
	}
	private_fields = ap_web_experts_may(req->principal, expert->id, AP_EXPERT_ACT_READ_PRIVATE);
	if (!expert->active && !private_fields) {
		ap_web_respond_problem(req, SOUP_STATUS_NOT_FOUND, "no such expert");
		return;
	}
	view = ap_web_view_expert(expert, private_fields);
	ap_web_respond_json(req, SOUP_STATUS_OK, view);
}

static void
ap_web_experts_patch(ApWebRequest *req)
{
	/* what an expert may change of their own profile; the rest (email,
	 * services, active) is the administrators' */
	const gchar *own[] = {"name", "bio", "branch", "timezone", "weekly", NULL};
	g_autoptr(ApExpert) expert = ap_web_experts_load(req, AP_EXPERT_ACT_EDIT_PROFILE);
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) view = NULL;
	JsonObject *body;

	if (expert == NULL)
		return;
	body = ap_web_request_body_object(req);
	if (body == NULL)
		return;
	if (!ap_principal_is_role(req->principal, AP_ROLE_ADMIN)) {
		JsonObjectIter iter;
		const gchar *member;

		json_object_iter_init(&iter, body);
		while (json_object_iter_next(&iter, &member, NULL)) {
			if (!g_strv_contains(own, member)) {
				g_autofree gchar *detail = g_strdup_printf(
					"%s: only an administrator may change it", member);
				ap_web_problem_full(
					req->msg, SOUP_STATUS_FORBIDDEN, detail, member);
				return;
			}
		}
	}
	if (!ap_web_experts_apply(expert, body, FALSE, &error) ||
	    !ap_store_expert_update(ap_engine_get_store(req->engine), expert, &error)) {
		ap_web_respond_error(req, error);
		return;
	}
	view = ap_web_view_expert(expert, TRUE);
	ap_web_respond_json(req, SOUP_STATUS_OK, view);
}

static void
ap_web_experts_get_hours(ApWebRequest *req)
{
	g_autoptr(ApExpert) expert = ap_web_experts_load(req, AP_EXPERT_ACT_READ_PRIVATE);
	g_autoptr(JsonNode) view = NULL;

	if (expert == NULL)
		return;
	view = ap_web_view_hours(expert);
	ap_web_respond_json(req, SOUP_STATUS_OK, view);
}

/* PUT /api/v1/experts/{id}/hours {weekly: {mon: [["09:00","17:00"]], …}} */
static void
ap_web_experts_put_hours(ApWebRequest *req)
{
	const gchar *allowed[] = {"weekly", NULL};
	g_autoptr(ApExpert) expert = ap_web_experts_load(req, AP_EXPERT_ACT_EDIT_HOURS);
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) view = NULL;
	ApWeeklyHours *hours;
	JsonObject *body, *weekly;

	if (expert == NULL)
		return;
	body = ap_web_request_body_object(req);
	if (body == NULL)
		return;
	if (!ap_json_check_members(body, allowed, &error) ||
	    (weekly = ap_json_get_object(body, "weekly", TRUE, &error)) == NULL ||
	    (hours = ap_web_experts_parse_weekly(weekly, &error)) == NULL) {
		ap_web_respond_error(req, error);
		return;
	}
	ap_weekly_hours_free(expert->hours);
	expert->hours = hours;
	if (!ap_store_expert_update(ap_engine_get_store(req->engine), expert, &error)) {
		ap_web_respond_error(req, error);
		return;
	}
	view = ap_web_view_hours(expert);
	ap_web_respond_json(req, SOUP_STATUS_OK, view);
}

/* PUT or DELETE /api/v1/experts/{id}/overrides/{date} */
static void
ap_web_experts_override(ApWebRequest *req, gboolean remove)
{
	const gchar *allowed[] = {"hours", NULL};
	g_autoptr(ApExpert) expert = ap_web_experts_load(req, AP_EXPERT_ACT_EDIT_HOURS);
	g_autoptr(ApDateOverride) override = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) view = NULL;
	JsonObject *body;
	GDate date;

	if (expert == NULL)
		return;
	if (!ap_date_parse(ap_web_request_param(req, "date"), &date, NULL)) {
		ap_web_respond_problem(req, SOUP_STATUS_NOT_FOUND, "no such date");
		return;
	}
	for (guint i = 0; i < expert->overrides->len; i++) {
		ApDateOverride *o = g_ptr_array_index(expert->overrides, i);
		if (g_date_compare(&o->date, &date) == 0) {
			g_ptr_array_remove_index(expert->overrides, i);
			break;
		}
	}
	if (!remove) {
		body = ap_web_request_body_object(req);
		if (body == NULL)
			return;
		override = ap_date_override_new(&date);
		if (!ap_json_check_members(body, allowed, &error) ||
		    !ap_web_experts_parse_ranges(json_object_get_member(body, "hours"),
						 "hours",
						 override->ranges,
						 &error)) {
			ap_web_respond_error(req, error);
			return;
		}
		g_ptr_array_add(expert->overrides, g_steal_pointer(&override));
	}
	if (!ap_store_expert_update(ap_engine_get_store(req->engine), expert, &error)) {
		ap_web_respond_error(req, error);
		return;
	}
	view = ap_web_view_hours(expert);
	ap_web_respond_json(req, SOUP_STATUS_OK, view);
}

static void
ap_web_experts_put_override(ApWebRequest *req)
{
	ap_web_experts_override(req, FALSE);
}

static void
ap_web_experts_delete_override(ApWebRequest *req)
{
	ap_web_experts_override(req, TRUE);
}

/* POST /api/v1/experts/{id}/time-off {start, end, reason?} */
static void
ap_web_experts_add_time_off(ApWebRequest *req)
{
	const gchar *allowed[] = {"start", "end", "reason", NULL};
	g_autoptr(ApExpert) expert = ap_web_experts_load(req, AP_EXPERT_ACT_TIME_OFF);
	g_autoptr(ApTimeOff) time_off = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) view = NULL;
	const gchar *start = NULL, *end = NULL, *reason = NULL;
	gint64 s = 0, e = 0;
	JsonObject *body;

	if (expert == NULL)
		return;
	body = ap_web_request_body_object(req);
	if (body == NULL)
		return;
	if (!ap_json_check_members(body, allowed, &error) ||
	    !ap_json_get_string(body, "start", TRUE, &start, &error) ||
	    !ap_json_get_string(body, "end", TRUE, &end, &error) ||
	    !ap_json_get_string(body, "reason", FALSE, &reason, &error)) {
		ap_web_respond_error(req, error);
		return;
	}
	if (!ap_time_parse_rfc3339(start, &s, &error)) {
		g_prefix_error(&error, "start: ");
	} else if (!ap_time_parse_rfc3339(end, &e, &error)) {
		g_prefix_error(&error, "end: ");
	} else if (e <= s) {
		g_set_error(&error, AP_ERROR, AP_ERROR_INVALID, "end: must be after start");
	} else if (e - s > G_GINT64_CONSTANT(366) * 86400) {
		g_set_error(&error,
			    AP_ERROR,
			    AP_ERROR_INVALID,
			    "end: time off is at most a year at once");
	} else if (!ap_validate_text(reason, "reason", 500, FALSE, &error)) {
		/* error set */
	}
	if (error != NULL) {
		ap_web_respond_error(req, error);
		return;
	}
	time_off = ap_time_off_new(s, e, reason);
	if (!ap_store_time_off_add(
		    ap_engine_get_store(req->engine), expert->id, time_off, &error)) {
		ap_web_respond_error(req, error);
		return;
	}
	view = ap_web_view_time_off(time_off);
	ap_web_respond_json(req, SOUP_STATUS_CREATED, view);
}

static void
ap_web_experts_list_time_off(ApWebRequest *req)
{
	g_autoptr(ApExpert) expert = ap_web_experts_load(req, AP_EXPERT_ACT_TIME_OFF);
	g_autoptr(JsonArray) array = json_array_new();
	g_autoptr(JsonNode) root = NULL;

	if (expert == NULL)
		return;
	for (guint i = 0; i < expert->time_off->len; i++)
		json_array_add_element(
			array, ap_web_view_time_off(g_ptr_array_index(expert->time_off, i)));
	root = json_node_init_array(json_node_alloc(), array);
	ap_web_respond_json(req, SOUP_STATUS_OK, root);
}

static void
ap_web_experts_delete_time_off(ApWebRequest *req)
{
	g_autoptr(ApExpert) expert = ap_web_experts_load(req, AP_EXPERT_ACT_TIME_OFF);
	g_autoptr(GError) error = NULL;
	guint64 id = 0;

	if (expert == NULL)
		return;
	if (!g_ascii_string_to_unsigned(
		    ap_web_request_param(req, "time_off"), 10, 1, G_MAXINT64, &id, NULL)) {
		ap_web_respond_problem(req, SOUP_STATUS_NOT_FOUND, "no such time off");
		return;
	}
	if (!ap_store_time_off_remove(
		    ap_engine_get_store(req->engine), expert->id, (gint64)id, &error)) {
		ap_web_respond_error(req, error);
		return;
	}
	ap_web_respond_empty(req, SOUP_STATUS_NO_CONTENT);
}

static const ApWebRoute ap_web_experts_routes[] = {
	{"POST", "/api/v1/experts", ap_web_experts_create},
	{"GET", "/api/v1/experts", ap_web_experts_list},
	{"GET", "/api/v1/experts/{id}", ap_web_experts_get},
	{"PATCH", "/api/v1/experts/{id}", ap_web_experts_patch},
	{"GET", "/api/v1/experts/{id}/hours", ap_web_experts_get_hours},
	{"PUT", "/api/v1/experts/{id}/hours", ap_web_experts_put_hours},
	{"PUT", "/api/v1/experts/{id}/overrides/{date}", ap_web_experts_put_override},
	{"DELETE", "/api/v1/experts/{id}/overrides/{date}", ap_web_experts_delete_override},
	{"GET", "/api/v1/experts/{id}/time-off", ap_web_experts_list_time_off},
	{"POST", "/api/v1/experts/{id}/time-off", ap_web_experts_add_time_off},
	{"DELETE", "/api/v1/experts/{id}/time-off/{time_off}", ap_web_experts_delete_time_off},
};

void
ap_web_experts_register(ApWebRouter *router)
{
	ap_web_router_add(router, ap_web_experts_routes, G_N_ELEMENTS(ap_web_experts_routes));
}
