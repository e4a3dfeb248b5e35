/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "ap-test-http.h"

/*
 * The web pages' log-in: a session cookie (HttpOnly, SameSite=Strict,
 * Secure behind https), a CSRF token on every write made with it, log-out,
 * and throttled guessing; all over HTTP against the real appointd.
 */

#define AP_PASSWORD "correct horse battery staple"

typedef struct {
	gchar *cookie;	   /* "appoint_session=..." for a Cookie header */
	gchar *set_cookie; /* the Set-Cookie header as sent */
	gchar *csrf;
} ApSession;

static void
ap_session_clear(ApSession *s)
{
	g_clear_pointer(&s->cookie, g_free);
	g_clear_pointer(&s->set_cookie, g_free);
	g_clear_pointer(&s->csrf, g_free);
}

static ApTestResponse *
ap_login(ApTestDaemon *d, const gchar *email, const gchar *password)
{
	g_autofree gchar *body =
		g_strdup_printf("{\"email\": \"%s\", \"password\": \"%s\"}", email, password);

	return ap_test_http_send(d, "POST", NULL, "/api/v1/auth/login", body);
}

static void
ap_login_ok(ApTestDaemon *d, const gchar *email, ApSession *s)
{
	g_autoptr(ApTestResponse) r = ap_login(d, email, AP_PASSWORD);
	const gchar *set_cookie;
	const gchar *end;

	ap_test_assert_status(r, 200);
	set_cookie = soup_message_headers_get_one(r->headers, "Set-Cookie");
	g_assert_nonnull(set_cookie);
	g_assert_true(g_str_has_prefix(set_cookie, "appoint_session=aps_"));
	end = strchr(set_cookie, ';');
	g_assert_nonnull(end);
	s->cookie = g_strndup(set_cookie, (gsize)(end - set_cookie));
	s->set_cookie = g_strdup(set_cookie);
	s->csrf = g_strdup(ap_test_json_str(r, "csrf_token"));
	g_assert_cmpuint(strlen(s->csrf), >=, 22);
	g_assert_cmpstr(ap_test_json_str(r, "user.email"), ==, email);
}

/* a request with the session's cookie, and its CSRF header if given */
static ApTestResponse *
ap_with_cookie(ApTestDaemon *d,
	       const gchar *method,
	       const gchar *path,
	       const gchar *body,
	       const ApSession *s,
	       const gchar *csrf)
{
	const gchar *headers[] = {
		"Cookie", s->cookie, csrf != NULL ? "X-CSRF-Token" : NULL, csrf, NULL};
	ApTestRequest req = {.method = method,
			     .path = path,
			     .type = body != NULL ? "application/json" : NULL,
			     .body = body,
			     .len = -1,
			     .headers = headers};

	return ap_test_http_request(d, NULL, &req);
}

static void
test_api_auth_login(ApApiFixture *fx, gconstpointer data)
{
	ApSession s = {NULL};
	g_autoptr(ApTestResponse) wrong = ap_login(fx->d, "staff@example.com", "not it");
	g_autoptr(ApTestResponse) nobody = ap_login(fx->d, "nobody@example.com", AP_PASSWORD);
	g_autoptr(ApTestResponse) me = NULL;
	g_autoptr(ApTestResponse) anonymous = NULL;
	g_autoptr(ApTestResponse) missing = ap_test_http_send(
		fx->d, "POST", NULL, "/api/v1/auth/login", "{\"email\": \"staff@example.com\"}");

	/* a wrong password and an unknown account look the same */
	ap_test_assert_problem(wrong, 401, NULL);
	ap_test_assert_problem(nobody, 401, NULL);
	g_assert_cmpstr(ap_test_json_str(wrong, "detail"), ==, ap_test_json_str(nobody, "detail"));
	ap_test_assert_problem(missing, 422, "password");

	ap_login_ok(fx->d, "staff@example.com", &s);
	/* the cookie's attributes: no script reads it, no other site sends it */
	g_assert_nonnull(strstr(s.set_cookie, "; HttpOnly"));
	g_assert_nonnull(strstr(s.set_cookie, "; SameSite=Strict"));
	g_assert_nonnull(strstr(s.set_cookie, "; Path=/"));
	g_assert_nonnull(strstr(s.set_cookie, "; Max-Age=43200"));
	g_assert_null(strstr(s.set_cookie, "Secure"));

	me = ap_with_cookie(fx->d, "GET", "/api/v1/auth/me", NULL, &s, NULL);
	ap_test_assert_status(me, 200);
	g_assert_cmpstr(ap_test_json_str(me, "user.role"), ==, "staff");
	g_assert_cmpstr(ap_test_json_str(me, "csrf_token"), ==, s.csrf);
	anonymous = ap_test_http_get(fx->d, NULL, "/api/v1/auth/me");
	ap_test_assert_problem(anonymous, 401, NULL);
	ap_session_clear(&s);
}

/* every write with the cookie needs the session's own CSRF token */
static void
test_api_auth_csrf(ApApiFixture *fx, gconstpointer data)
{
	ApSession s = {NULL};
	g_autofree gchar *path =
		g_strdup_printf("/api/v1/experts/%" G_GINT64_FORMAT "/time-off", fx->expert_a);
	g_autofree gchar *start = ap_api_at(fx, 3, 0, 0);
	g_autofree gchar *end = ap_api_at(fx, 4, 0, 0);
	g_autofree gchar *body =
		g_strdup_printf("{\"start\": \"%s\", \"end\": \"%s\"}", start, end);
	g_autoptr(ApTestResponse) none = NULL;
	g_autoptr(ApTestResponse) wrong = NULL;
	g_autoptr(ApTestResponse) right = NULL;
	g_autoptr(ApTestResponse) listed = NULL;

	ap_login_ok(fx->d, "staff@example.com", &s);
	none = ap_with_cookie(fx->d, "POST", path, body, &s, NULL);
	ap_test_assert_problem(none, 403, NULL);
	wrong = ap_with_cookie(fx->d, "POST", path, body, &s, "not-the-token");
	ap_test_assert_problem(wrong, 403, NULL);
	/* neither changed anything */
	listed = ap_test_http_get(fx->d, fx->admin, path);
	ap_test_assert_status(listed, 200);
	g_assert_cmpuint(ap_test_json_len(listed, ""), ==, 0);
	right = ap_with_cookie(fx->d, "POST", path, body, &s, s.csrf);
	ap_test_assert_status(right, 201);
	ap_session_clear(&s);
}

/* log-out ends the session on the server, not just in the browser */
static void
test_api_auth_logout(ApApiFixture *fx, gconstpointer data)
{
	ApSession s = {NULL};
	g_autoptr(ApTestResponse) without = NULL;
	g_autoptr(ApTestResponse) out = NULL;
	g_autoptr(ApTestResponse) after = NULL;
	g_autoptr(ApTestResponse) again = NULL;
	const gchar *cleared;

	ap_login_ok(fx->d, "alice@example.com", &s);
	without = ap_with_cookie(fx->d, "POST", "/api/v1/auth/logout", NULL, &s, NULL);
	ap_test_assert_problem(without, 403, NULL);
	out = ap_with_cookie(fx->d, "POST", "/api/v1/auth/logout", NULL, &s, s.csrf);
	ap_test_assert_status(out, 204);
	cleared = soup_message_headers_get_one(out->headers, "Set-Cookie");
	g_assert_nonnull(cleared);
	g_assert_nonnull(strstr(cleared, "Max-Age=0"));
	/* the old cookie is worth nothing now */
	after = ap_with_cookie(fx->d, "GET", "/api/v1/auth/me", NULL, &s, NULL);
	ap_test_assert_problem(after, 401, NULL);
	again = ap_with_cookie(fx->d, "POST", "/api/v1/auth/logout", NULL, &s, s.csrf);
	ap_test_assert_problem(again, 401, NULL);
	ap_session_clear(&s);
}

/* guessing is throttled: 429 with Retry-After, even for the right password */
static void
test_api_auth_throttle(ApApiFixture *fx, gconstpointer data)
{
	guint refused = 0;
	g_autoptr(ApTestResponse) right = NULL;

	for (guint i = 0; i < 15; i++) {
		g_autoptr(ApTestResponse) r = ap_login(fx->d, "admin@example.com", "guess");
		if (r->status == 429) {
			g_assert_nonnull(soup_message_headers_get_one(r->headers, "Retry-After"));
			ap_test_assert_problem(r, 429, NULL);
			refused++;
		} else {
			ap_test_assert_problem(r, 401, NULL);
		}
	}
	g_assert_cmpuint(refused, >=, 5);
	right = ap_login(fx->d, "admin@example.com", AP_PASSWORD);
	ap_test_assert_problem(right, 429, NULL);
}

/* behind https the cookie is Secure */
static void
test_api_auth_secure_cookie(ApApiFixture *fx, gconstpointer data)
{
	g_autofree gchar *text = NULL;
	g_autoptr(GString) config = NULL;
	g_autoptr(GError) error = NULL;
	ApSession s = {NULL};

	g_assert_cmpint(ap_test_daemon_stop(fx->d), ==, 0);
	g_assert_true(g_file_get_contents(fx->d->config, &text, NULL, &error));
	config = g_string_new(text);
	g_string_replace(config,
			 "listen = 127.0.0.1:0\n",
			 "listen = 127.0.0.1:0\npublic-url = https://book.example.com\n",
			 1);
	g_assert_true(g_file_set_contents(fx->d->config, config->str, -1, &error));
	g_clear_pointer(&fx->d->url, g_free);
	ap_test_daemon_start(fx->d);
	ap_login_ok(fx->d, "staff@example.com", &s);
	g_assert_nonnull(strstr(s.set_cookie, "; Secure"));
	ap_session_clear(&s);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
#define AP_ADD(path, func)                                                                         \
	g_test_add(path, ApApiFixture, NULL, ap_api_fixture_set_up, func, ap_api_fixture_tear_down)
	AP_ADD("/api/auth/login", test_api_auth_login);
	AP_ADD("/api/auth/csrf", test_api_auth_csrf);
	AP_ADD("/api/auth/logout", test_api_auth_logout);
	AP_ADD("/api/auth/throttle", test_api_auth_throttle);
	AP_ADD("/api/auth/secure-cookie", test_api_auth_secure_cookie);
#undef AP_ADD
	return g_test_run();
}
