/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApWeb"

#include <string.h>

#include "ap-error.h"
#include "ap-json.h"
#include "ap-secret.h"
#include "ap-validate.h"
#include "ap-web-handlers.h"
#include "ap-web-views.h"

/*
 * The accounts of staff, experts and admins, for the admin pages: the
 * same as `appointctl user add`, over HTTP. Passwords are hashed
 * (argon2id, ap_password_hash()) and never shown; admins only.
 */

#define AP_WEB_PASSWORD_MIN_CHARS 10
#define AP_WEB_PASSWORD_MAX_CHARS 256

static gboolean
ap_web_users_require_admin(ApWebRequest *req)
{
	if (!ap_web_require_user(req))
		return FALSE;
	if (!ap_principal_is_role(req->principal, AP_ROLE_ADMIN)) {
		ap_web_respond_problem(
			req, SOUP_STATUS_FORBIDDEN, "administrators manage accounts");
		return FALSE;
	}
	return TRUE;
}

static void
ap_web_users_add_view(JsonBuilder *b, const ApUser *user)
{
	json_builder_begin_object(b);
	ap_web_view_add_user_members(b, user);
	json_builder_set_member_name(b, "active");
	json_builder_add_boolean_value(b, user->active);
	json_builder_set_member_name(b, "has_password");
	json_builder_add_boolean_value(b, user->password_hash != NULL);
	json_builder_end_object(b);
}

static void
ap_web_users_respond(ApWebRequest *req, guint status, const ApUser *user)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonNode) view = NULL;

	ap_web_users_add_view(b, user);
	view = json_builder_get_root(b);
	ap_web_respond_json(req, status, view);
}

/* a password's hash, or FALSE with @error naming the field */
static gboolean
ap_web_users_hash_password(const gchar *password, gchar **hash, GError **error)
{
	glong chars = g_utf8_strlen(password, -1);

	if (chars < AP_WEB_PASSWORD_MIN_CHARS || chars > AP_WEB_PASSWORD_MAX_CHARS) {
		g_set_error(error,
			    AP_ERROR,
			    AP_ERROR_INVALID,
			    "password: must be %d to %d characters",
			    AP_WEB_PASSWORD_MIN_CHARS,
			    AP_WEB_PASSWORD_MAX_CHARS);
		return FALSE;
	}
	*hash = ap_password_hash(password, error);
	return *hash != NULL;
}

/* GET /api/v1/users: admin */
static void
ap_web_users_list(ApWebRequest *req)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) users = NULL;
	g_autoptr(JsonBuilder) b = NULL;
	g_autoptr(JsonNode) view = NULL;

	if (!ap_web_users_require_admin(req))
		return;
	users = ap_store_users_list(ap_engine_get_store(req->engine), &error);
	if (users == NULL) {
		ap_web_respond_error(req, error);
		return;
	}
	b = json_builder_new();
	json_builder_begin_array(b);
	for (guint i = 0; i < users->len; i++)
		ap_web_users_add_view(b, g_ptr_array_index(users, i));
	json_builder_end_array(b);
	view = json_builder_get_root(b);
	ap_web_respond_json(req, SOUP_STATUS_OK, view);
}

/* POST /api/v1/users {email, name, role, expert_id?, password}: admin */
static void
ap_web_users_create(ApWebRequest *req)
{
	const gchar *allowed[] = {"email", "name", "role", "expert_id", "password", NULL};
	g_autoptr(GError) error = NULL;
	g_autoptr(ApUser) user = NULL;
	const gchar *email = NULL, *name = NULL, *role = NULL, *password = NULL;
	gint64 expert_id = 0;
	JsonObject *body;

	if (!ap_web_users_require_admin(req))
		return;
	body = ap_web_request_body_object(req);
	if (body == NULL)
		return;
	user = ap_user_new();
	if (!ap_json_check_members(body, allowed, &error) ||
	    !ap_json_get_string(body, "email", TRUE, &email, &error) ||
	    !ap_validate_email(email, "email", &error) ||
	    !ap_json_get_string(body, "name", TRUE, &name, &error) ||
	    !ap_validate_name(name, "name", &error) ||
	    !ap_json_get_string(body, "role", TRUE, &role, &error) ||
	    !ap_json_get_int64(body, "expert_id", FALSE, &expert_id, &error) ||
	    !ap_json_get_string(body, "password", TRUE, &password, &error)) {
		ap_web_respond_error(req, error);
		return;
	}
	if (!ap_role_from_string(role, &user->role)) {
		ap_web_problem_fields(req->msg,
				      SOUP_STATUS_UNPROCESSABLE_ENTITY,
				      "the role is not known",
				      "role",
				      "must be admin, staff or expert");
		return;
	}
	if ((user->role == AP_ROLE_EXPERT) != (expert_id > 0)) {
		ap_web_problem_fields(req->msg,
				      SOUP_STATUS_UNPROCESSABLE_ENTITY,
				      "an expert's account names its expert, and only theirs",
				      "expert_id",
				      user->role == AP_ROLE_EXPERT ? "an expert's account needs it"
								   : "only for the role expert");
		return;
	}
	if (!ap_web_users_hash_password(password, &user->password_hash, &error)) {
		ap_web_respond_error(req, error);
		return;
	}
	user->email = g_strdup(email);
	user->name = g_strdup(name);
	user->expert_id = expert_id;
	user->active = TRUE;
	if (!ap_store_user_create(ap_engine_get_store(req->engine), user, &error)) {
		ap_web_respond_error(req, error);
		return;
	}
	ap_web_users_respond(req, SOUP_STATUS_CREATED, user);
}

/* PATCH /api/v1/users/{id} {name?, active?, password?}: admin */
static void
ap_web_users_update(ApWebRequest *req)
{
	const gchar *allowed[] = {"name", "active", "password", NULL};
	ApStore *store = ap_engine_get_store(req->engine);
	g_autoptr(GError) error = NULL;
	g_autoptr(ApUser) user = NULL;
	const gchar *name = NULL, *password = NULL;
	gboolean active = TRUE;
	guint64 id = 0;
	JsonObject *body;

	if (!ap_web_users_require_admin(req))
		return;
	if (!g_ascii_string_to_unsigned(
		    ap_web_request_param(req, "id"), 10, 1, G_MAXINT64, &id, NULL) ||
	    (user = ap_store_user_get(store, (gint64)id, NULL)) == NULL) {
		ap_web_respond_problem(req, SOUP_STATUS_NOT_FOUND, "no such user");
		return;
	}
	body = ap_web_request_body_object(req);
	if (body == NULL)
		return;
	active = user->active;
	if (!ap_json_check_members(body, allowed, &error) ||
	    !ap_json_get_string(body, "name", FALSE, &name, &error) ||
	    (name != NULL && !ap_validate_name(name, "name", &error)) ||
	    !ap_json_get_bool(body, "active", FALSE, &active, &error) ||
	    !ap_json_get_string(body, "password", FALSE, &password, &error)) {
		ap_web_respond_error(req, error);
		return;
	}
	if (user->id == req->principal->user->id && !active) {
		ap_web_problem_fields(req->msg,
				      SOUP_STATUS_UNPROCESSABLE_ENTITY,
				      "an administrator cannot switch off their own account",
				      "active",
				      "ask another administrator");
		return;
	}
	if (password != NULL) {
		g_autofree gchar *hash = NULL;
		if (!ap_web_users_hash_password(password, &hash, &error)) {
			ap_web_respond_error(req, error);
			return;
		}
		g_free(user->password_hash);
		user->password_hash = g_steal_pointer(&hash);
	}
	if (name != NULL) {
		g_free(user->name);
		user->name = g_strdup(name);
	}
	user->active = active;
	if (!ap_store_user_update(store, user, &error)) {
		ap_web_respond_error(req, error);
		return;
	}
	ap_web_users_respond(req, SOUP_STATUS_OK, user);
}

static const ApWebRoute ap_web_users_routes[] = {
	{"GET", "/api/v1/users", ap_web_users_list},
	{"POST", "/api/v1/users", ap_web_users_create},
	{"PATCH", "/api/v1/users/{id}", ap_web_users_update},
};

void
ap_web_users_register(ApWebRouter *router)
{
	ap_web_router_add(router, ap_web_users_routes, G_N_ELEMENTS(ap_web_users_routes));
}
