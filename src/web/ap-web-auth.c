/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApWeb"

#include "ap-web-auth.h"

#include <string.h>

#include "ap-error.h"
#include "ap-json.h"
#include "ap-rate-limit.h"
#include "ap-secret.h"
#include "ap-validate.h"
#include "ap-web-views.h"

/*
 * Who is asking: a Bearer token (an API token `apt_…`, or a booking's
 * manage token), or the web pages' log-in session, a cookie that is
 * HttpOnly and SameSite=Strict, and whose every write must also carry the
 * session's CSRF token in a header. Secrets are looked up by hash only.
 */

/* the value of one cookie in a Cookie header */
static gchar *
ap_web_auth_cookie(SoupMessageHeaders *headers, const gchar *name)
{
	const gchar *header = soup_message_headers_get_list(headers, "Cookie");
	g_auto(GStrv) pairs = NULL;
	gsize len = strlen(name);

	if (header == NULL)
		return NULL;
	pairs = g_strsplit(header, ";", -1);
	for (guint i = 0; pairs[i] != NULL; i++) {
		const gchar *p = pairs[i];
		while (*p == ' ')
			p++;
		if (strncmp(p, name, len) == 0 && p[len] == '=')
			return g_strdup(p + len + 1);
	}
	return NULL;
}

static ApPrincipal *
ap_web_auth_bearer(ApStore *store, const gchar *header, GError **error)
{
	g_autoptr(ApPrincipal) principal = g_new0(ApPrincipal, 1);
	g_autofree gchar *hash = NULL;
	const gchar *token;

	if (g_ascii_strncasecmp(header, "Bearer ", 7) != 0) {
		g_set_error(
			error, AP_ERROR, AP_ERROR_UNAUTHORIZED, "use Authorization: Bearer TOKEN");
		return NULL;
	}
	token = header + 7;
	while (*token == ' ')
		token++;
	if (*token == '\0' || strlen(token) > 256) {
		g_set_error(error, AP_ERROR, AP_ERROR_UNAUTHORIZED, "the token is not valid");
		return NULL;
	}
	hash = ap_token_hash(token);
	if (g_str_has_prefix(token, "apt_")) {
		principal->kind = AP_PRINCIPAL_USER;
		principal->user = ap_store_user_get_by_token(store, hash, NULL);
		if (principal->user == NULL || !principal->user->active) {
			g_set_error(
				error, AP_ERROR, AP_ERROR_UNAUTHORIZED, "the token is not valid");
			return NULL;
		}
	} else {
		principal->kind = AP_PRINCIPAL_MANAGE;
		principal->booking = ap_store_booking_get_by_token(store, hash, NULL);
		if (principal->booking == NULL) {
			g_set_error(
				error, AP_ERROR, AP_ERROR_UNAUTHORIZED, "the token is not valid");
			return NULL;
		}
	}
	return g_steal_pointer(&principal);
}

static gboolean
ap_web_auth_is_safe_method(const gchar *method)
{
	return method == SOUP_METHOD_GET || method == SOUP_METHOD_HEAD ||
	       method == SOUP_METHOD_OPTIONS;
}

/* a session cookie; an unknown or expired one is as good as none */
static ApPrincipal *
ap_web_auth_session(ApStore *store, SoupServerMessage *msg, const gchar *cookie, GError **error)
{
	SoupMessageHeaders *headers = soup_server_message_get_request_headers(msg);
	g_autoptr(ApPrincipal) principal = g_new0(ApPrincipal, 1);
	g_autofree gchar *hash = ap_token_hash(cookie);
	g_autofree gchar *csrf = NULL;
	gint64 user_id = ap_store_session_lookup(store, hash, &csrf, NULL);

	if (user_id == 0)
		return NULL;
	principal->kind = AP_PRINCIPAL_USER;
	principal->user = ap_store_user_get(store, user_id, NULL);
	if (principal->user == NULL)
		return NULL;
	/* a cookie rides along with any request a browser makes, so writes
	 * must prove they come from our own pages */
	if (!ap_web_auth_is_safe_method(soup_server_message_get_method(msg)) &&
	    g_strcmp0(g_uri_get_path(soup_server_message_get_uri(msg)), "/api/v1/auth/login") !=
		    0 &&
	    !ap_secret_equal(soup_message_headers_get_one(headers, AP_WEB_CSRF_HEADER), csrf)) {
		g_set_error(error,
			    AP_ERROR,
			    AP_ERROR_FORBIDDEN,
			    "a write with a session cookie needs its " AP_WEB_CSRF_HEADER
			    " header");
		return NULL;
	}
	principal->session_hash = g_steal_pointer(&hash);
	return g_steal_pointer(&principal);
}

/**
 * ap_web_auth_from_headers:
 * @engine: the engine
 * @msg: a request whose headers have arrived
 * @error: a #GError, or %NULL
 *
 * Returns: (transfer full) (nullable): the caller, or %NULL for an
 * anonymous one (@error unset) or when the credentials are refused
 * (%AP_ERROR_UNAUTHORIZED, or %AP_ERROR_FORBIDDEN without the CSRF token)
 */
ApPrincipal *
ap_web_auth_from_headers(ApEngine *engine, SoupServerMessage *msg, GError **error)
{
	SoupMessageHeaders *headers = soup_server_message_get_request_headers(msg);
	const gchar *authorization = soup_message_headers_get_one(headers, "Authorization");
	g_autofree gchar *cookie = NULL;

	if (authorization != NULL)
		return ap_web_auth_bearer(ap_engine_get_store(engine), authorization, error);
	cookie = ap_web_auth_cookie(headers, AP_WEB_SESSION_COOKIE);
	if (cookie == NULL || *cookie == '\0' || strlen(cookie) > 256)
		return NULL;
	return ap_web_auth_session(ap_engine_get_store(engine), msg, cookie, error);
}

static void
ap_web_auth_set_cookie(ApWebRequest *req, const gchar *value, gint max_age)
{
	const ApConfig *config = ap_engine_get_config(req->engine);
	gboolean secure = g_str_has_prefix(config->public_url, "https://");
	g_autofree gchar *cookie =
		g_strdup_printf("%s=%s; Path=/; Max-Age=%d; HttpOnly; SameSite=Strict%s",
				AP_WEB_SESSION_COOKIE,
				value,
				max_age,
				secure ? "; Secure" : "");
	soup_message_headers_append(
		soup_server_message_get_response_headers(req->msg), "Set-Cookie", cookie);
}

static JsonNode *
ap_web_auth_view(const ApUser *user, const gchar *csrf)
{
	g_autoptr(JsonBuilder) b = json_builder_new();

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "user");
	json_builder_begin_object(b);
	ap_web_view_add_user_members(b, user);
	json_builder_end_object(b);
	if (csrf != NULL) {
		json_builder_set_member_name(b, "csrf_token");
		json_builder_add_string_value(b, csrf);
	}
	json_builder_end_object(b);
	return json_builder_get_root(b);
}

/* log-in attempts: per address and per account, so that neither one
 * address guessing many accounts nor many addresses guessing one works */
static ApRateLimit *
ap_web_auth_throttle(void)
{
	static ApRateLimit *limit = NULL;
	if (limit == NULL)
		limit = ap_rate_limit_new(5, 10);
	return limit;
}

/* POST /api/v1/auth/login {email, password} */
static void
ap_web_auth_login(ApWebRequest *req)
{
	const gchar *allowed[] = {"email", "password", NULL};
	/* a valid hash to check against when the account does not exist, so
	 * that the answer takes as long either way */
	static gchar *decoy = NULL;
	const gchar *email = NULL, *password = NULL;
	const gchar *host = ap_web_client_address(req->msg, ap_engine_get_config(req->engine));
	g_autoptr(GError) error = NULL;
	g_autoptr(ApUser) user = NULL;
	g_autofree gchar *token = NULL;
	g_autofree gchar *hash = NULL;
	g_autofree gchar *csrf = NULL;
	g_autofree gchar *account_key = NULL;
	g_autofree gchar *lower = NULL;
	g_autoptr(JsonNode) view = NULL;
	ApStore *store = ap_engine_get_store(req->engine);
	gint64 now = ap_engine_get_now(req->engine);
	guint retry = 1;
	gboolean ok;
	JsonObject *body = ap_web_request_body_object(req);

	if (body == NULL)
		return;
	if (!ap_json_check_members(body, allowed, &error) ||
	    !ap_json_get_string(body, "email", TRUE, &email, &error) ||
	    !ap_json_get_string(body, "password", TRUE, &password, &error) ||
	    !ap_validate_line(email, "email", 254, TRUE, &error) ||
	    !ap_validate_text(password, "password", 1024, TRUE, &error)) {
		ap_web_respond_error(req, error);
		return;
	}
	lower = g_ascii_strdown(email, -1);
	account_key = g_strconcat("account:", lower, NULL);
	if (!ap_rate_limit_take(ap_web_auth_throttle(),
				host != NULL ? host : "",
				g_get_monotonic_time(),
				&retry) ||
	    !ap_rate_limit_take(
		    ap_web_auth_throttle(), account_key, g_get_monotonic_time(), &retry)) {
		g_autofree gchar *after = g_strdup_printf("%u", MAX(retry, 1));
		soup_message_headers_replace(
			soup_server_message_get_response_headers(req->msg), "Retry-After", after);
		ap_web_respond_problem(req, 429, "too many log-in attempts; retry later");
		return;
	}
	if (decoy == NULL)
		decoy = ap_password_hash("not a password anyone has", NULL);
	user = ap_store_user_get_by_email(store, email, NULL);
	ok = ap_password_verify(user != NULL ? user->password_hash : decoy, password);
	if (user == NULL || !ok || !user->active) {
		ap_web_respond_problem(req, SOUP_STATUS_UNAUTHORIZED, "wrong email or password");
		return;
	}
	token = ap_token_generate("aps_");
	hash = ap_token_hash(token);
	csrf = ap_token_generate(NULL);
	if (!ap_store_session_create(
		    store, user->id, hash, csrf, now + AP_WEB_SESSION_SECONDS, &error)) {
		ap_web_respond_error(req, error);
		return;
	}
	ap_web_auth_set_cookie(req, token, AP_WEB_SESSION_SECONDS);
	view = ap_web_auth_view(user, csrf);
	ap_web_respond_json(req, SOUP_STATUS_OK, view);
}

/* POST /api/v1/auth/logout */
static void
ap_web_auth_logout(ApWebRequest *req)
{
	g_autoptr(GError) error = NULL;

	if (req->principal->session_hash == NULL) {
		ap_web_respond_problem(req, SOUP_STATUS_UNAUTHORIZED, "not logged in");
		return;
	}
	if (!ap_store_session_delete(
		    ap_engine_get_store(req->engine), req->principal->session_hash, &error)) {
		ap_web_respond_error(req, error);
		return;
	}
	ap_web_auth_set_cookie(req, "", 0);
	ap_web_respond_empty(req, SOUP_STATUS_NO_CONTENT);
}

/* GET /api/v1/auth/me: who the session or token belongs to */
static void
ap_web_auth_me(ApWebRequest *req)
{
	g_autoptr(JsonNode) view = NULL;
	g_autofree gchar *csrf = NULL;

	if (!ap_web_require_user(req))
		return;
	if (req->principal->session_hash != NULL)
		ap_store_session_lookup(ap_engine_get_store(req->engine),
					req->principal->session_hash,
					&csrf,
					NULL);
	view = ap_web_auth_view(req->principal->user, csrf);
	ap_web_respond_json(req, SOUP_STATUS_OK, view);
}

static const ApWebRoute ap_web_auth_routes[] = {
	{"POST", "/api/v1/auth/login", ap_web_auth_login},
	{"POST", "/api/v1/auth/logout", ap_web_auth_logout},
	{"GET", "/api/v1/auth/me", ap_web_auth_me},
};

void
ap_web_auth_register(ApWebRouter *router)
{
	ap_web_router_add(router, ap_web_auth_routes, G_N_ELEMENTS(ap_web_auth_routes));
}
