/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApWeb"

#include "ap-error.h"
#include "ap-json.h"
#include "ap-validate.h"
#include "ap-web-handlers.h"

static gboolean
ap_web_services_require_admin(ApWebRequest *req)
{
	if (!ap_web_require_user(req))
		return FALSE;
	if (!ap_principal_is_role(req->principal, AP_ROLE_ADMIN)) {
		ap_web_respond_problem(
			req, SOUP_STATUS_FORBIDDEN, "only administrators manage services");
		return FALSE;
	}
	return TRUE;
}

/* GET /api/v1/services: the active ones; administrators may ask ?all=true */
static void
ap_web_services_list(ApWebRequest *req)
{
	const gchar *allowed[] = {"all", NULL};
	const gchar *all = ap_web_request_query(req, "all");
	gboolean include_inactive = g_strcmp0(all, "true") == 0;
	g_autoptr(GPtrArray) services = NULL;
	g_autoptr(JsonArray) array = json_array_new();
	g_autoptr(JsonNode) root = NULL;
	g_autoptr(GError) error = NULL;

	if (!ap_web_request_check_query(req, allowed))
		return;
	if (all != NULL && g_strcmp0(all, "true") != 0 && g_strcmp0(all, "false") != 0) {
		ap_web_problem_full(
			req->msg, SOUP_STATUS_BAD_REQUEST, "all: must be true or false", "all");
		return;
	}
	if (include_inactive && !ap_web_services_require_admin(req))
		return;
	services =
		ap_store_services_list(ap_engine_get_store(req->engine), include_inactive, &error);
	if (services == NULL) {
		ap_web_respond_error(req, error);
		return;
	}
	for (guint i = 0; i < services->len; i++)
		json_array_add_element(array, ap_service_to_json(g_ptr_array_index(services, i)));
	root = json_node_init_array(json_node_alloc(), array);
	ap_web_respond_json(req, SOUP_STATUS_OK, root);
}

static ApService *
ap_web_services_load(ApWebRequest *req)
{
	g_autoptr(GError) error = NULL;
	const gchar *id = ap_web_request_param(req, "id");
	ApService *service = ap_store_service_get(ap_engine_get_store(req->engine), id, &error);

	if (service == NULL) {
		ap_web_respond_error(req, error);
		return NULL;
	}
	/* an inactive service exists only for administrators */
	if (!service->active && !ap_principal_is_role(req->principal, AP_ROLE_ADMIN)) {
		ap_service_unref(service);
		ap_web_respond_problem(req, SOUP_STATUS_NOT_FOUND, "no such service");
		return NULL;
	}
	return service;
}

static void
ap_web_services_get(ApWebRequest *req)
{
	g_autoptr(ApService) service = ap_web_services_load(req);
	g_autoptr(JsonNode) view = NULL;

	if (service == NULL)
		return;
	view = ap_service_to_json(service);
	ap_web_respond_json(req, SOUP_STATUS_OK, view);
}

static void
ap_web_services_create(ApWebRequest *req)
{
	JsonObject *body;
	g_autoptr(ApService) service = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) view = NULL;

	if (!ap_web_services_require_admin(req))
		return;
	body = ap_web_request_body_object(req);
	if (body == NULL)
		return;
	service = ap_service_from_json(body, &error);
	if (service == NULL ||
	    !ap_store_service_create(ap_engine_get_store(req->engine), service, &error)) {
		ap_web_respond_error(req, error);
		return;
	}
	view = ap_service_to_json(service);
	ap_web_respond_json(req, SOUP_STATUS_CREATED, view);
}

/* applies the members of a PATCH; `buffer_minutes` sets both buffers */
static gboolean
ap_web_services_apply(ApService *s, JsonObject *body, GError **error)
{
	const gchar *allowed[] = {"name",
				  "description",
				  "preparation",
				  "duration_minutes",
				  "buffer_minutes",
				  "buffer_before_minutes",
				  "buffer_after_minutes",
				  "min_notice_minutes",
				  "horizon_days",
				  "step_minutes",
				  "capacity",
				  "questions",
				  "active",
				  NULL};
	const gchar *name = NULL, *description = NULL, *preparation = NULL;
	guint buffer = G_MAXUINT;
	JsonNode *questions;

	if (!ap_json_check_members(body, allowed, error) ||
	    !ap_json_get_string(body, "name", FALSE, &name, error) ||
	    !ap_json_get_string(body, "description", FALSE, &description, error) ||
	    !ap_json_get_string(body, "preparation", FALSE, &preparation, error) ||
	    !ap_json_get_uint(
		    body, "duration_minutes", 0, G_MAXINT, FALSE, &s->duration_minutes, error) ||
	    !ap_json_get_uint(body, "buffer_minutes", 0, G_MAXINT, FALSE, &buffer, error) ||
	    !ap_json_get_uint(body,
			      "buffer_before_minutes",
			      0,
			      G_MAXINT,
			      FALSE,
			      &s->buffer_before_minutes,
			      error) ||
	    !ap_json_get_uint(body,
			      "buffer_after_minutes",
			      0,
			      G_MAXINT,
			      FALSE,
			      &s->buffer_after_minutes,
			      error) ||
	    !ap_json_get_uint(body,
			      "min_notice_minutes",
			      0,
			      G_MAXINT,
			      FALSE,
			      &s->min_notice_minutes,
			      error) ||
	    !ap_json_get_uint(body, "horizon_days", 0, G_MAXINT, FALSE, &s->horizon_days, error) ||
	    !ap_json_get_uint(body, "step_minutes", 0, G_MAXINT, FALSE, &s->step_minutes, error) ||
	    !ap_json_get_uint(body, "capacity", 0, G_MAXINT, FALSE, &s->capacity, error) ||
	    !ap_json_get_bool(body, "active", FALSE, &s->active, error))
		return FALSE;
	if (buffer != G_MAXUINT) {
		s->buffer_before_minutes = buffer;
		s->buffer_after_minutes = buffer;
	}
	if (name != NULL) {
		g_free(s->name);
		s->name = g_strdup(name);
	}
	if (description != NULL) {
		g_free(s->description);
		s->description = g_strdup(description);
	}
	if (preparation != NULL) {
		g_free(s->preparation);
		s->preparation = g_strdup(preparation);
	}
	questions = json_object_get_member(body, "questions");
	if (questions != NULL && !ap_service_questions_from_json(s, questions, error))
		return FALSE;
	return ap_service_validate(s, error);
}

static void
ap_web_services_patch(ApWebRequest *req)
{
	g_autoptr(ApService) service = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) view = NULL;
	JsonObject *body;

	if (!ap_web_services_require_admin(req))
		return;
	service = ap_web_services_load(req);
	if (service == NULL)
		return;
	body = ap_web_request_body_object(req);
	if (body == NULL)
		return;
	if (!ap_web_services_apply(service, body, &error) ||
	    !ap_store_service_update(ap_engine_get_store(req->engine), service, &error)) {
		ap_web_respond_error(req, error);
		return;
	}
	view = ap_service_to_json(service);
	ap_web_respond_json(req, SOUP_STATUS_OK, view);
}

/* DELETE deactivates: bookings keep pointing at the service */
static void
ap_web_services_delete(ApWebRequest *req)
{
	g_autoptr(ApService) service = NULL;
	g_autoptr(GError) error = NULL;

	if (!ap_web_services_require_admin(req))
		return;
	service = ap_web_services_load(req);
	if (service == NULL)
		return;
	service->active = FALSE;
	if (!ap_store_service_update(ap_engine_get_store(req->engine), service, &error)) {
		ap_web_respond_error(req, error);
		return;
	}
	ap_web_respond_empty(req, SOUP_STATUS_NO_CONTENT);
}

static const ApWebRoute ap_web_services_routes[] = {
	{"GET", "/api/v1/services", ap_web_services_list},
	{"POST", "/api/v1/services", ap_web_services_create},
	{"GET", "/api/v1/services/{id}", ap_web_services_get},
	{"PATCH", "/api/v1/services/{id}", ap_web_services_patch},
	{"DELETE", "/api/v1/services/{id}", ap_web_services_delete},
};

void
ap_web_services_register(ApWebRouter *router)
{
	ap_web_router_add(router, ap_web_services_routes, G_N_ELEMENTS(ap_web_services_routes));
}
