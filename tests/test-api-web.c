/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "ap-secret.h"
#include "ap-test-http.h"
#include "ap-test-util.h"

/*
 * What the web pages stand on, over real HTTP: the shells and assets with
 * their security headers, the translations, the manage token's own
 * booking and calendar file, notes and resends in the timeline with the
 * audit trail's who and from where, the experts' calendar feeds, and the
 * admins' user accounts.
 */

static void
test_web_pages(ApApiFixture *fx, gconstpointer data)
{
	g_autoptr(ApTestResponse) page = ap_test_http_get(fx->d, NULL, "/");
	g_autoptr(ApTestResponse) script = ap_test_http_get(fx->d, NULL, "/assets/common.js");
	g_autoptr(ApTestResponse) again = NULL;
	g_autoptr(ApTestResponse) climbing = ap_test_http_get(fx->d, NULL, "/assets/..common.js");
	g_autoptr(ApTestResponse) unknown = ap_test_http_get(fx->d, NULL, "/assets/common.exe");
	g_autoptr(ApTestResponse) german = ap_test_http_get(fx->d, NULL, "/i18n/de");
	g_autoptr(ApTestResponse) welsh = ap_test_http_get(fx->d, NULL, "/i18n/cy-GB");
	g_autoptr(ApTestResponse) other = ap_test_http_get(fx->d, NULL, "/i18n/xx");
	const gchar *csp;
	const gchar *etag;
	const gchar *headers[3] = {"If-None-Match", NULL, NULL};
	ApTestRequest req = {.method = "GET", .path = "/assets/common.js", .headers = headers};

	ap_test_assert_status(page, 200);
	g_assert_cmpstr(
		soup_message_headers_get_content_type(page->headers, NULL), ==, "text/html");
	g_assert_nonnull(strstr(page->text, "/assets/book.js"));
	csp = soup_message_headers_get_one(page->headers, "Content-Security-Policy");
	g_assert_nonnull(strstr(csp, "script-src 'self'"));
	g_assert_null(strstr(csp, "unsafe-inline"));
	g_assert_cmpstr(
		soup_message_headers_get_one(page->headers, "Referrer-Policy"), ==, "no-referrer");
	g_assert_cmpstr(soup_message_headers_get_one(page->headers, "X-Content-Type-Options"),
			==,
			"nosniff");
	g_assert_cmpstr(
		soup_message_headers_get_one(page->headers, "Cache-Control"), ==, "no-store");

	ap_test_assert_status(script, 200);
	g_assert_cmpstr(soup_message_headers_get_content_type(script->headers, NULL),
			==,
			"text/javascript");
	etag = soup_message_headers_get_one(script->headers, "ETag");
	g_assert_nonnull(etag);
	headers[1] = etag;
	again = ap_test_http_request(fx->d, NULL, &req);
	ap_test_assert_status(again, 304);
	g_assert_cmpuint(strlen(again->text != NULL ? again->text : ""), ==, 0);

	ap_test_assert_problem(climbing, 404, NULL);
	ap_test_assert_problem(unknown, 404, NULL);

	/* the scripts' texts, in the languages of po/; English has none */
	ap_test_assert_status(german, 200);
	g_assert_cmpstr(ap_test_json_str(german, "lang"), ==, "de-DE");
	g_assert_cmpstr(ap_test_json_str(welsh, "lang"), ==, "cy-GB");
	g_assert_cmpstr(ap_test_json_str(other, "lang"), ==, "en-GB");
	/* plurals: each text's forms, and which one each number takes */
	g_assert_cmpstr(ap_test_json_str(german, "plurals.%s minute.forms.0"), ==, "%s Minuten");
	g_assert_cmpstr(ap_test_json_str(german, "plurals.%s minute.forms.1"), ==, "%s Minute");
	g_assert_cmpint(ap_test_json_int(german, "plurals.%s minute.index.1"), ==, 1);
	g_assert_cmpint(ap_test_json_int(german, "plurals.%s minute.index.5"), ==, 0);
	g_assert_cmpuint(ap_test_json_len(german, "plurals.%s minute.index"), ==, 200);
	g_assert_cmpuint(ap_test_json_len(welsh, "plurals.%s minute.forms"), ==, 2);
	g_assert_cmpstr(ap_test_json_str(welsh, "plurals.%s minute.forms.1"), ==, "%s funud");
	g_assert_cmpint(ap_test_json_int(welsh, "plurals.%s minute.index.2"), ==, 1);
	g_assert_cmpuint(
		json_object_get_size(json_node_get_object(ap_test_json_at(other->json, "strings"))),
		==,
		0);
}

static void
test_web_manage(ApApiFixture *fx, gconstpointer data)
{
	g_autoptr(ApTestResponse) made = ap_api_book_ok(fx, fx->expert_a, 0, 10, 0);
	const gchar *token = ap_test_json_str(made, "token");
	const gchar *reference = ap_test_json_str(made, "reference");
	g_autoptr(ApTestResponse) mine = ap_test_http_get(fx->d, token, "/api/v1/manage");
	g_autoptr(ApTestResponse) nobody = ap_test_http_get(fx->d, NULL, "/api/v1/manage");
	g_autoptr(ApTestResponse) staff = ap_test_http_get(fx->d, fx->staff, "/api/v1/manage");
	g_autoptr(ApTestResponse) wrong = ap_test_http_get(fx->d, "not-a-token", "/api/v1/manage");
	g_autofree gchar *ics_path = g_strdup_printf("/manage/%s/invite.ics", token);
	g_autoptr(ApTestResponse) ics = ap_test_http_get(fx->d, NULL, ics_path);
	g_autoptr(ApTestResponse) no_ics =
		ap_test_http_get(fx->d, NULL, "/manage/nothing/invite.ics");
	g_autoptr(ApTestResponse) page = NULL;
	g_autoptr(ApTestResponse) cancelled = NULL;
	g_autoptr(ApTestResponse) gone = NULL;
	g_autofree gchar *page_path = g_strdup_printf("/manage/%s", token);
	g_autofree gchar *cancel_path = NULL;

	ap_test_assert_status(mine, 200);
	g_assert_cmpstr(ap_test_json_str(mine, "reference"), ==, reference);
	g_assert_false(ap_test_json_has(mine, "token"));
	ap_test_assert_problem(nobody, 401, NULL);
	ap_test_assert_problem(staff, 403, NULL);
	ap_test_assert_problem(wrong, 401, NULL);

	ap_test_assert_status(ics, 200);
	g_assert_cmpstr(
		soup_message_headers_get_content_type(ics->headers, NULL), ==, "text/calendar");
	g_assert_nonnull(strstr(ics->text, "METHOD:PUBLISH\r\n"));
	g_assert_nonnull(strstr(ics->text, "BEGIN:VEVENT\r\n"));
	g_assert_nonnull(strstr(ics->text, "SEQUENCE:0\r\n"));
	g_assert_nonnull(strstr(soup_message_headers_get_one(ics->headers, "Content-Disposition"),
				reference));
	g_assert_cmpstr(
		soup_message_headers_get_one(ics->headers, "Referrer-Policy"), ==, "no-referrer");
	ap_test_assert_problem(no_ics, 404, NULL);

	/* the page itself: never cached, since its address is a secret */
	page = ap_test_http_get(fx->d, NULL, page_path);
	ap_test_assert_status(page, 200);
	g_assert_cmpstr(
		soup_message_headers_get_one(page->headers, "Cache-Control"), ==, "no-store");
	g_assert_nonnull(strstr(page->text, "/assets/manage.js"));

	cancel_path = g_strdup_printf("/api/v1/bookings/%s/cancel", reference);
	cancelled = ap_test_http_send(fx->d, "POST", token, cancel_path, "{}");
	ap_test_assert_status(cancelled, 200);
	gone = ap_test_http_get(fx->d, NULL, ics_path);
	ap_test_assert_problem(gone, 410, NULL);
}

static void
test_web_timeline(ApApiFixture *fx, gconstpointer data)
{
	g_autoptr(ApTestResponse) made = ap_api_book_ok(fx, fx->expert_a, 0, 11, 0);
	const gchar *token = ap_test_json_str(made, "token");
	const gchar *reference = ap_test_json_str(made, "reference");
	g_autofree gchar *notes = g_strdup_printf("/api/v1/bookings/%s/notes", reference);
	g_autofree gchar *resend = g_strdup_printf("/api/v1/bookings/%s/resend", reference);
	g_autofree gchar *history_path = g_strdup_printf("/api/v1/bookings/%s/history", reference);
	g_autofree gchar *emails_path = g_strdup_printf("/api/v1/bookings/%s/emails", reference);
	g_autoptr(ApTestResponse) note = ap_test_http_send(
		fx->d, "POST", fx->staff, notes, "{\"text\": \"Asked for a female stylist\"}");
	g_autoptr(ApTestResponse) expert_note = ap_test_http_send(
		fx->d, "POST", fx->alice, notes, "{\"text\": \"Bring swatches\"}");
	g_autoptr(ApTestResponse) other_expert =
		ap_test_http_send(fx->d, "POST", fx->bert, notes, "{\"text\": \"Not mine\"}");
	g_autoptr(ApTestResponse) customer =
		ap_test_http_send(fx->d, "POST", token, notes, "{\"text\": \"From me\"}");
	g_autoptr(ApTestResponse) empty =
		ap_test_http_send(fx->d, "POST", fx->staff, notes, "{\"text\": \"\"}");
	g_autoptr(ApTestResponse) extra =
		ap_test_http_send(fx->d, "POST", fx->staff, notes, "{\"text\": \"x\", \"y\": 1}");
	g_autoptr(ApTestResponse) emails_before = ap_test_http_get(fx->d, fx->staff, emails_path);
	g_autoptr(ApTestResponse) resent =
		ap_test_http_send(fx->d, "POST", fx->staff, resend, NULL);
	g_autoptr(ApTestResponse) expert_resend =
		ap_test_http_send(fx->d, "POST", fx->alice, resend, NULL);
	g_autoptr(ApTestResponse) emails_after = ap_test_http_get(fx->d, fx->staff, emails_path);
	g_autoptr(ApTestResponse) history = ap_test_http_get(fx->d, fx->staff, history_path);
	g_autoptr(ApTestResponse) cancelled = NULL;
	g_autoptr(ApTestResponse) late = NULL;
	g_autofree gchar *cancel_path = NULL;
	guint n;

	ap_test_assert_status(note, 201);
	ap_test_assert_status(expert_note, 201);
	ap_test_assert_problem(other_expert, 404, NULL);
	ap_test_assert_problem(customer, 403, NULL);
	ap_test_assert_problem(empty, 422, "text");
	ap_test_assert_problem(extra, 422, NULL);
	ap_test_assert_status(resent, 202);
	ap_test_assert_problem(expert_resend, 403, NULL);
	g_assert_cmpuint(
		ap_test_json_len(emails_after, ""), ==, ap_test_json_len(emails_before, "") + 1);

	/* created, two notes, resent: who did each, and from where */
	ap_test_assert_status(history, 200);
	n = ap_test_json_len(history, "");
	g_assert_cmpuint(n, ==, 4);
	g_assert_cmpstr(ap_test_json_str(history, "0.action"), ==, "created");
	g_assert_cmpstr(ap_test_json_str(history, "0.address"), ==, "127.0.0.1");
	g_assert_cmpstr(ap_test_json_str(history, "1.action"), ==, "note");
	g_assert_cmpstr(
		ap_test_json_str(history, "1.detail.text"), ==, "Asked for a female stylist");
	g_assert_cmpstr(ap_test_json_str(history, "1.actor_name"), ==, "staff@example.com");
	g_assert_cmpstr(ap_test_json_str(history, "1.address"), ==, "127.0.0.1");
	g_assert_cmpstr(ap_test_json_str(history, "2.actor_name"), ==, "alice@example.com");
	g_assert_cmpstr(ap_test_json_str(history, "3.action"), ==, "resent");

	cancel_path = g_strdup_printf("/api/v1/bookings/%s/cancel", reference);
	cancelled = ap_test_http_send(fx->d, "POST", fx->staff, cancel_path, "{}");
	ap_test_assert_status(cancelled, 200);
	late = ap_test_http_send(fx->d, "POST", fx->staff, resend, NULL);
	ap_test_assert_problem(late, 409, NULL);
}

static void
test_web_calendar_feed(ApApiFixture *fx, gconstpointer data)
{
	g_autoptr(ApTestResponse) made = ap_api_book_ok(fx, fx->expert_a, 0, 12, 0);
	g_autofree gchar *mine =
		g_strdup_printf("/api/v1/experts/%" G_GINT64_FORMAT "/calendar", fx->expert_a);
	g_autoptr(ApTestResponse) before = ap_test_http_get(fx->d, fx->alice, mine);
	g_autoptr(ApTestResponse) created = ap_test_http_send(fx->d, "POST", fx->alice, mine, NULL);
	g_autoptr(ApTestResponse) after = ap_test_http_get(fx->d, fx->alice, mine);
	g_autoptr(ApTestResponse) by_bert = ap_test_http_send(fx->d, "POST", fx->bert, mine, NULL);
	g_autoptr(ApTestResponse) by_staff = ap_test_http_get(fx->d, fx->staff, mine);
	g_autoptr(ApTestResponse) feed = NULL;
	g_autoptr(ApTestResponse) renewed = NULL;
	g_autoptr(ApTestResponse) old_feed = NULL;
	g_autoptr(ApTestResponse) new_feed = NULL;
	g_autofree gchar *path = NULL;
	g_autofree gchar *old_path = NULL;
	g_autofree gchar *new_path = NULL;
	const gchar *url;

	ap_test_assert_status(before, 200);
	g_assert_false(json_node_get_boolean(ap_test_json_at(before->json, "active")));
	ap_test_assert_status(created, 201);
	url = ap_test_json_str(created, "url");
	g_assert_nonnull(strstr(url, "/calendar/apc_"));
	g_assert_true(json_node_get_boolean(ap_test_json_at(after->json, "active")));
	g_assert_false(ap_test_json_has(after, "url"));
	ap_test_assert_problem(by_bert, 403, NULL);
	ap_test_assert_problem(by_staff, 403, NULL);

	path = g_strdup(strstr(url, "/calendar/"));
	feed = ap_test_http_get(fx->d, NULL, path);
	ap_test_assert_status(feed, 200);
	g_assert_nonnull(strstr(feed->text, "METHOD:PUBLISH\r\n"));
	g_assert_nonnull(strstr(feed->text, "X-WR-CALNAME:appoint: Alice Able\r\n"));
	/* the expert's own feed names the customer */
	g_assert_nonnull(strstr(feed->text, "Casey Customer"));
	g_assert_nonnull(strstr(feed->text, ap_test_json_str(made, "reference")));

	/* renewing ends the old address */
	old_path = g_strdup(path);
	renewed = ap_test_http_send(fx->d, "POST", fx->admin, mine, NULL);
	ap_test_assert_status(renewed, 201);
	new_path = g_strdup(strstr(ap_test_json_str(renewed, "url"), "/calendar/"));
	old_feed = ap_test_http_get(fx->d, NULL, old_path);
	ap_test_assert_problem(old_feed, 404, NULL);
	new_feed = ap_test_http_get(fx->d, NULL, new_path);
	ap_test_assert_status(new_feed, 200);
}

/* a note written through a proxy that says who the client is */
static ApTestResponse *
note_via(ApApiFixture *fx, const gchar *path, const gchar *forwarded_for)
{
	const gchar *headers[] = {"X-Forwarded-For", forwarded_for, NULL};
	ApTestRequest req = {.method = "POST",
			     .path = path,
			     .token = fx->staff,
			     .type = "application/json",
			     .body = "{\"text\": \"via the proxy\"}",
			     .len = -1,
			     .headers = headers};

	return ap_test_http_request(fx->d, NULL, &req);
}

static void
test_web_forwarded(ApApiFixture *fx, gconstpointer data)
{
	g_autoptr(ApTestResponse) made = ap_api_book_ok(fx, fx->expert_a, 0, 13, 0);
	g_autofree gchar *notes =
		g_strdup_printf("/api/v1/bookings/%s/notes", ap_test_json_str(made, "reference"));
	g_autofree gchar *history_path =
		g_strdup_printf("/api/v1/bookings/%s/history", ap_test_json_str(made, "reference"));
	g_autoptr(ApTestResponse) untrusted = note_via(fx, notes, "203.0.113.9");
	g_autoptr(ApTestResponse) trusted = NULL;
	g_autoptr(ApTestResponse) forged = NULL;
	g_autoptr(ApTestResponse) history = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *text = NULL;
	g_autoptr(GString) config = NULL;

	/* from anyone not named a proxy, the header is the client's word */
	ap_test_assert_status(untrusted, 201);

	g_assert_cmpint(ap_test_daemon_stop(fx->d), ==, 0);
	g_assert_true(g_file_get_contents(fx->d->config, &text, NULL, &error));
	config = g_string_new(text);
	g_string_replace(config, "[server]\n", "[server]\ntrusted-proxies = 127.0.0.1, ::1\n", 1);
	g_assert_true(g_file_set_contents(fx->d->config, config->str, -1, &error));
	g_clear_pointer(&fx->d->url, g_free);
	ap_test_daemon_start(fx->d);

	/* the proxy's own entry is the last; one before it could be forged */
	trusted = note_via(fx, notes, "198.51.100.7");
	forged = note_via(fx, notes, "192.0.2.1, 198.51.100.8");
	ap_test_assert_status(trusted, 201);
	ap_test_assert_status(forged, 201);
	history = ap_test_http_get(fx->d, fx->staff, history_path);
	g_assert_cmpuint(ap_test_json_len(history, ""), ==, 4);
	g_assert_cmpstr(ap_test_json_str(history, "1.address"), ==, "127.0.0.1");
	g_assert_cmpstr(ap_test_json_str(history, "2.address"), ==, "198.51.100.7");
	g_assert_cmpstr(ap_test_json_str(history, "3.address"), ==, "198.51.100.8");
}

static void
test_web_users(ApApiFixture *fx, gconstpointer data)
{
	g_autoptr(ApTestResponse) list = ap_test_http_get(fx->d, fx->admin, "/api/v1/users");
	g_autoptr(ApTestResponse) by_staff = ap_test_http_get(fx->d, fx->staff, "/api/v1/users");
	g_autoptr(ApTestResponse) made = ap_test_http_send(
		fx->d,
		"POST",
		fx->admin,
		"/api/v1/users",
		"{\"email\": \"new@example.com\", \"name\": \"New Staff\", \"role\": \"staff\", "
		"\"password\": \"a long enough secret\"}");
	g_autoptr(ApTestResponse) twice = ap_test_http_send(
		fx->d,
		"POST",
		fx->admin,
		"/api/v1/users",
		"{\"email\": \"NEW@example.com\", \"name\": \"Again\", \"role\": \"staff\", "
		"\"password\": \"a long enough secret\"}");
	g_autoptr(ApTestResponse) short_password =
		ap_test_http_send(fx->d,
				  "POST",
				  fx->admin,
				  "/api/v1/users",
				  "{\"email\": \"s@example.com\", \"name\": \"S\", \"role\": "
				  "\"staff\", \"password\": \"short\"}");
	g_autoptr(ApTestResponse) expert_alone = ap_test_http_send(
		fx->d,
		"POST",
		fx->admin,
		"/api/v1/users",
		"{\"email\": \"e@example.com\", \"name\": \"E\", \"role\": \"expert\", "
		"\"password\": \"a long enough secret\"}");
	g_autoptr(ApTestResponse) bad_role = ap_test_http_send(
		fx->d,
		"POST",
		fx->admin,
		"/api/v1/users",
		"{\"email\": \"r@example.com\", \"name\": \"R\", \"role\": \"root\", "
		"\"password\": \"a long enough secret\"}");
	g_autoptr(ApTestResponse) login = NULL;
	g_autoptr(ApTestResponse) off = NULL;
	g_autoptr(ApTestResponse) login_off = NULL;
	g_autoptr(ApTestResponse) self_off = NULL;
	g_autoptr(ApTestResponse) after = NULL;
	g_autofree gchar *path = NULL;
	guint before;

	ap_test_assert_status(list, 200);
	before = ap_test_json_len(list, "");
	g_assert_cmpuint(before, >=, 4);
	g_assert_false(ap_test_json_has(list, "0.password_hash"));
	ap_test_assert_problem(by_staff, 403, NULL);
	ap_test_assert_status(made, 201);
	g_assert_cmpstr(ap_test_json_str(made, "role"), ==, "staff");
	g_assert_true(json_node_get_boolean(ap_test_json_at(made->json, "has_password")));
	ap_test_assert_problem(twice, 409, NULL);
	ap_test_assert_problem(short_password, 422, "password");
	ap_test_assert_problem(expert_alone, 422, "expert_id");
	ap_test_assert_problem(bad_role, 422, "role");

	login = ap_test_http_send(
		fx->d,
		"POST",
		NULL,
		"/api/v1/auth/login",
		"{\"email\": \"new@example.com\", \"password\": \"a long enough secret\"}");
	ap_test_assert_status(login, 200);
	path = g_strdup_printf("/api/v1/users/%" G_GINT64_FORMAT, ap_test_json_int(made, "id"));
	off = ap_test_http_send(fx->d, "PATCH", fx->admin, path, "{\"active\": false}");
	ap_test_assert_status(off, 200);
	g_assert_false(json_node_get_boolean(ap_test_json_at(off->json, "active")));
	login_off = ap_test_http_send(
		fx->d,
		"POST",
		NULL,
		"/api/v1/auth/login",
		"{\"email\": \"new@example.com\", \"password\": \"a long enough secret\"}");
	ap_test_assert_problem(login_off, 401, NULL);
	after = ap_test_http_get(fx->d, fx->admin, "/api/v1/users");
	g_assert_cmpuint(ap_test_json_len(after, ""), ==, before + 1);
	self_off = ap_test_http_send(
		fx->d, "PATCH", fx->admin, "/api/v1/users/1", "{\"active\": false}");
	g_assert_cmpuint(self_off->status, >=, 400);
	g_assert_cmpuint(self_off->status, <, 500);
}

/* a manage link made before tokens began with their time (a plain
 * 256-bit token, stored as its bare SHA-256) still finds its booking */
static void
test_web_manage_legacy(ApApiFixture *fx, gconstpointer data)
{
	g_autoptr(ApTestResponse) made = ap_api_book_ok(fx, fx->expert_a, 0, 10, 0);
	const gchar *reference = ap_test_json_str(made, "reference");
	g_autofree gchar *legacy = ap_token_generate(NULL);
	g_autofree gchar *legacy_hash =
		g_compute_checksum_for_string(G_CHECKSUM_SHA256, legacy, -1);
	g_autofree gchar *db_path = g_build_filename(fx->d->dir, "appoint.db", NULL);
	g_autofree gchar *sql =
		g_strdup_printf("UPDATE bookings SET token_hash = '%s' WHERE reference = '%s'",
				legacy_hash,
				reference);
	g_autofree gchar *ics_path = g_strdup_printf("/manage/%s/invite.ics", legacy);
	g_autoptr(sqlite3) db = ap_test_db_open(db_path);
	g_autoptr(ApTestResponse) mine = NULL;
	g_autoptr(ApTestResponse) ics = NULL;
	g_autoptr(ApTestResponse) fresh =
		ap_test_http_get(fx->d, ap_test_json_str(made, "token"), "/api/v1/manage");

	ap_test_assert_status(fresh, 200);
	g_assert_cmpint(sqlite3_exec(db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
	mine = ap_test_http_get(fx->d, legacy, "/api/v1/manage");
	ap_test_assert_status(mine, 200);
	g_assert_cmpstr(ap_test_json_str(mine, "reference"), ==, reference);
	ics = ap_test_http_get(fx->d, NULL, ics_path);
	ap_test_assert_status(ics, 200);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func)                                                                            \
	g_test_add(path, ApApiFixture, NULL, ap_api_fixture_set_up, func, ap_api_fixture_tear_down)
	ADD("/api/web/pages", test_web_pages);
	ADD("/api/web/manage", test_web_manage);
	ADD("/api/web/manage-legacy", test_web_manage_legacy);
	ADD("/api/web/timeline", test_web_timeline);
	ADD("/api/web/calendar-feed", test_web_calendar_feed);
	ADD("/api/web/users", test_web_users);
	ADD("/api/web/forwarded", test_web_forwarded);
#undef ADD
	return g_test_run();
}
