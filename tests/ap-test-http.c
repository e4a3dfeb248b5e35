/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "ap-test-http.h"

#include <sqlite3.h>

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "ap-test-util.h"

/*
 * The harness of the HTTP integration tests: the real appointd on a free
 * port with a database of its own, users and tokens made with the real
 * appointctl, and a client that answers with status, headers and JSON.
 *
 * The daemon's standard error goes to a file rather than a pipe, so that
 * a test making thousands of requests can never block it on a full pipe.
 */

#define AP_TEST_DAEMON_TIMEOUT_SECONDS 30
#define AP_TEST_PASSWORD	       "correct horse battery staple\n"

/**
 * ap_test_daemon_new:
 *
 * Returns: (transfer full): a daemon with a configuration of its own in a
 * new temporary folder, not started yet
 */
ApTestDaemon *
ap_test_daemon_new(void)
{
	ApTestDaemon *d = g_new0(ApTestDaemon, 1);

	d->dir = ap_test_make_dir();
	d->config = ap_test_write_config(d->dir, NULL);
	d->log = g_build_filename(d->dir, "appointd.log", NULL);
	d->session = soup_session_new_with_options("timeout", AP_TEST_DAEMON_TIMEOUT_SECONDS, NULL);
	return d;
}

/* a test that fails aborts without tearing down: take the daemon along */
static void
ap_test_daemon_child_setup(gpointer user_data)
{
#ifdef __linux__
	prctl(PR_SET_PDEATHSIG, SIGTERM);
#endif
}

/**
 * ap_test_daemon_start:
 *
 * Starts the daemon and waits until its log names the address it listens on.
 */
void
ap_test_daemon_start(ApTestDaemon *d)
{
	g_autoptr(GSubprocessLauncher) launcher =
		g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
	g_autoptr(GError) error = NULL;
	const gchar *argv[] = {g_getenv("APPOINTD"), "--config", d->config, NULL};
	gint64 deadline = g_get_monotonic_time() + AP_TEST_DAEMON_TIMEOUT_SECONDS * G_USEC_PER_SEC;

	g_assert_null(d->proc);
	g_assert_nonnull(argv[0]);
	g_unlink(d->log);
	g_subprocess_launcher_set_stderr_file_path(launcher, d->log);
	g_subprocess_launcher_set_child_setup(launcher, ap_test_daemon_child_setup, NULL, NULL);
	d->proc = g_subprocess_launcher_spawnv(launcher, argv, &error);
	g_assert_no_error(error);
	while (d->url == NULL) {
		g_autofree gchar *text = NULL;
		const gchar *p = NULL;
		const gchar *end = NULL;

		if (g_file_get_contents(d->log, &text, NULL, NULL))
			p = strstr(text, "listening on ");
		if (p != NULL)
			end = strchr(p, '\n');
		if (end != NULL) {
			p += strlen("listening on ");
			if (end > p && end[-1] == '/')
				end--;
			d->url = g_strndup(p, (gsize)(end - p));
			break;
		}
		if (g_get_monotonic_time() > deadline) {
			g_test_message("appointd did not start:\n%s", text != NULL ? text : "");
			g_assert_cmpint(g_get_monotonic_time(), <=, deadline);
		}
		g_usleep(10 * 1000);
	}
	g_assert_true(g_str_has_prefix(d->url, "http://127.0.0.1:") ||
		      g_str_has_prefix(d->url, "https://127.0.0.1:"));
}

static void
ap_test_daemon_wait_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	gboolean *done = user_data;
	g_autoptr(GError) error = NULL;

	g_subprocess_wait_finish(G_SUBPROCESS(source), result, &error);
	g_assert_no_error(error);
	*done = TRUE;
}

static gboolean
ap_test_daemon_timeout_cb(gpointer user_data)
{
	gboolean *timed_out = user_data;
	*timed_out = TRUE;
	return G_SOURCE_REMOVE;
}

/**
 * ap_test_daemon_wait:
 *
 * Waits (at most 30 s) for the daemon to exit, killing it after that.
 *
 * Returns: its exit status, or -1 if it died of a signal or had to be killed
 */
gint
ap_test_daemon_wait(ApTestDaemon *d)
{
	g_autoptr(GMainContext) context = g_main_context_new();
	g_autoptr(GSource) timeout = g_timeout_source_new_seconds(AP_TEST_DAEMON_TIMEOUT_SECONDS);
	g_autofree gchar *text = NULL;
	gboolean done = FALSE;
	gboolean timed_out = FALSE;
	gint status = -1;

	g_assert_nonnull(d->proc);
	g_main_context_push_thread_default(context);
	g_subprocess_wait_async(d->proc, NULL, ap_test_daemon_wait_cb, &done);
	g_source_set_callback(timeout, ap_test_daemon_timeout_cb, &timed_out, NULL);
	g_source_attach(timeout, context);
	while (!done && !timed_out)
		g_main_context_iteration(context, TRUE);
	if (!done) {
		g_test_message("appointd did not stop within %d s", AP_TEST_DAEMON_TIMEOUT_SECONDS);
		g_subprocess_force_exit(d->proc);
		while (!done)
			g_main_context_iteration(context, TRUE);
	} else if (g_subprocess_get_if_exited(d->proc)) {
		status = g_subprocess_get_exit_status(d->proc);
	}
	g_source_destroy(timeout);
	g_main_context_pop_thread_default(context);
	if (g_file_get_contents(d->log, &text, NULL, NULL))
		g_test_message("appointd log:\n%s", text);
	g_clear_object(&d->proc);
	g_clear_pointer(&d->url, g_free);
	return status;
}

/**
 * ap_test_daemon_stop:
 *
 * Sends SIGTERM and waits for the daemon to exit.
 *
 * Returns: its exit status, or -1 if it died of a signal or had to be killed
 */
gint
ap_test_daemon_stop(ApTestDaemon *d)
{
	g_assert_nonnull(d->proc);
	g_subprocess_send_signal(d->proc, SIGTERM);
	return ap_test_daemon_wait(d);
}

/**
 * ap_test_daemon_free:
 *
 * Stops the daemon if it runs, expecting a clean exit, and removes its folder.
 */
void
ap_test_daemon_free(ApTestDaemon *d)
{
	if (d == NULL)
		return;
	/* close idle connections first: a stopping server waits for none */
	g_clear_object(&d->session);
	if (d->proc != NULL)
		g_assert_cmpint(ap_test_daemon_stop(d), ==, 0);
	ap_test_remove_dir(d->dir);
	g_free(d->dir);
	g_free(d->config);
	g_free(d->log);
	g_free(d);
}

/**
 * ap_test_daemon_add_user:
 * @email: the user's address, also their name
 * @role: admin, staff or expert
 * @expert_id: the expert a user of the expert role is, or 0
 *
 * Adds a user with `appointctl user add` and makes them an API token with
 * `appointctl token create`.
 *
 * Returns: (transfer full): the token
 */
gchar *
ap_test_daemon_add_user(ApTestDaemon *d, const gchar *email, const gchar *role, gint64 expert_id)
{
	const gchar *ctl = g_getenv("APPOINTCTL");
	g_autofree gchar *expert =
		expert_id > 0 ? g_strdup_printf("%" G_GINT64_FORMAT, expert_id) : NULL;
	const gchar *add[] = {ctl,
			      "--config",
			      d->config,
			      "user",
			      "add",
			      "--email",
			      email,
			      "--name",
			      email,
			      "--role",
			      role,
			      expert != NULL ? "--expert" : NULL,
			      expert,
			      NULL};
	const gchar *create[] = {
		ctl, "--config", d->config, "token", "create", "--email", email, NULL};
	g_autoptr(ApTestRun) added = NULL;
	g_autoptr(ApTestRun) token = NULL;

	g_assert_nonnull(ctl);
	added = ap_test_run(AP_TEST_PASSWORD, add);
	g_assert_cmpint(added->status, ==, 0);
	token = ap_test_run(NULL, create);
	g_assert_cmpint(token->status, ==, 0);
	g_strstrip(token->out);
	g_assert_true(g_str_has_prefix(token->out, "apt_"));
	g_assert_null(strchr(token->out, '\n'));
	return g_strdup(token->out);
}

static gboolean
ap_test_type_is_json(const gchar *type)
{
	return g_strcmp0(type, "application/json") == 0 ||
	       g_strcmp0(type, "application/problem+json") == 0;
}

/**
 * ap_test_http_request:
 * @session: (nullable): a session of the calling thread; the daemon's if %NULL
 *
 * Sends one request and reads the whole answer. A JSON answer must parse.
 *
 * Returns: (transfer full): the answer; status 0 and @error set when the
 * connection failed
 */
ApTestResponse *
ap_test_http_request(ApTestDaemon *d, SoupSession *session, const ApTestRequest *req)
{
	g_autofree gchar *url = g_strconcat(d->url, req->path, NULL);
	g_autoptr(SoupMessage) msg = soup_message_new(req->method, url);
	g_autoptr(GBytes) answer = NULL;
	SoupMessageHeaders *headers;
	ApTestResponse *r = g_new0(ApTestResponse, 1);

	g_assert_nonnull(msg);
	headers = soup_message_get_request_headers(msg);
	if (req->reuse)
		soup_message_add_flags(msg, SOUP_MESSAGE_IDEMPOTENT);
	if (req->token != NULL) {
		g_autofree gchar *value = g_strconcat("Bearer ", req->token, NULL);
		soup_message_headers_replace(headers, "Authorization", value);
	}
	for (guint i = 0; req->headers != NULL && req->headers[i] != NULL; i += 2)
		soup_message_headers_replace(headers, req->headers[i], req->headers[i + 1]);
	if (req->body != NULL) {
		gsize len = req->len < 0 ? strlen(req->body) : (gsize)req->len;
		g_autoptr(GBytes) bytes = g_bytes_new(req->body, len);
		if (req->chunked) {
			g_autoptr(GInputStream) stream =
				g_memory_input_stream_new_from_bytes(bytes);
			soup_message_set_request_body(msg, req->type, stream, -1);
		} else {
			soup_message_set_request_body_from_bytes(msg, req->type, bytes);
		}
	}
	answer = soup_session_send_and_read(
		session != NULL ? session : d->session, msg, NULL, &r->error);
	r->headers = soup_message_headers_ref(soup_message_get_response_headers(msg));
	if (answer == NULL) {
		r->text = g_strdup("");
		return r;
	}
	r->status = soup_message_get_status(msg);
	r->type = g_strdup(soup_message_headers_get_content_type(r->headers, NULL));
	r->text = g_bytes_get_size(answer) > 0
			  ? g_strndup(g_bytes_get_data(answer, NULL), g_bytes_get_size(answer))
			  : g_strdup("");
	if (ap_test_type_is_json(r->type) && g_bytes_get_size(answer) > 0) {
		g_autoptr(GError) error = NULL;
		r->json = json_from_string(r->text, &error);
		g_assert_no_error(error);
	}
	return r;
}

ApTestResponse *
ap_test_http_get(ApTestDaemon *d, const gchar *token, const gchar *path)
{
	ApTestRequest req = {.method = "GET", .path = path, .token = token, .len = -1};
	return ap_test_http_request(d, NULL, &req);
}

/**
 * ap_test_http_send:
 * @json: (nullable): a JSON body, sent as `application/json`
 */
ApTestResponse *
ap_test_http_send(ApTestDaemon *d,
		  const gchar *method,
		  const gchar *token,
		  const gchar *path,
		  const gchar *json)
{
	ApTestRequest req = {.method = method,
			     .path = path,
			     .token = token,
			     .type = json != NULL ? "application/json" : NULL,
			     .body = json,
			     .len = -1};
	return ap_test_http_request(d, NULL, &req);
}

ApTestResponse *
ap_test_http_sendf(ApTestDaemon *d,
		   const gchar *method,
		   const gchar *token,
		   const gchar *path,
		   const gchar *format,
		   ...)
{
	g_autofree gchar *json = NULL;
	va_list args;

	va_start(args, format);
	json = g_strdup_vprintf(format, args);
	va_end(args);
	return ap_test_http_send(d, method, token, path, json);
}

void
ap_test_response_free(ApTestResponse *r)
{
	if (r == NULL)
		return;
	g_free(r->type);
	g_free(r->text);
	g_clear_pointer(&r->json, json_node_unref);
	g_clear_pointer(&r->headers, soup_message_headers_unref);
	g_clear_error(&r->error);
	g_free(r);
}

/**
 * ap_test_assert_status:
 *
 * Like g_assert_cmpuint() on the status, but shows the body when it fails.
 */
void
ap_test_assert_status(ApTestResponse *r, guint status)
{
	if (r->status != status)
		g_test_message("unexpected answer %u: %s%s",
			       r->status,
			       r->text,
			       r->error != NULL ? r->error->message : "");
	g_assert_cmpuint(r->status, ==, status);
}

/**
 * ap_test_assert_problem:
 * @status: the 4xx status expected
 * @field: (nullable): the field `errors[0].field` must name
 *
 * An RFC 9457 answer: `application/problem+json` with `type`, `title`,
 * `status` (the HTTP status) and `detail`.
 */
void
ap_test_assert_problem(ApTestResponse *r, guint status, const gchar *field)
{
	ap_test_assert_status(r, status);
	g_assert_cmpstr(r->type, ==, "application/problem+json");
	g_assert_nonnull(r->json);
	/* one document: json-glib would read the first of two and say nothing */
	g_assert_null(strstr(r->text, "}{"));
	g_assert_true(JSON_NODE_HOLDS_OBJECT(r->json));
	g_assert_nonnull(ap_test_json_str(r, "type"));
	g_assert_nonnull(ap_test_json_str(r, "title"));
	g_assert_nonnull(ap_test_json_str(r, "detail"));
	g_assert_cmpint(ap_test_json_int(r, "status"), ==, status);
	if (field != NULL)
		g_assert_cmpstr(ap_test_json_str(r, "errors.0.field"), ==, field);
}

/**
 * ap_test_json_at:
 * @path: members and array indexes joined by dots, as `slots.0.start`;
 *   the empty string is @root itself
 *
 * Returns: (transfer none) (nullable): the node, or %NULL if there is none
 */
JsonNode *
ap_test_json_at(JsonNode *root, const gchar *path)
{
	g_auto(GStrv) parts = NULL;
	JsonNode *node = root;

	if (root == NULL || path == NULL || *path == '\0')
		return root;
	parts = g_strsplit(path, ".", -1);
	for (guint i = 0; parts[i] != NULL && node != NULL; i++) {
		if (JSON_NODE_HOLDS_OBJECT(node)) {
			node = json_object_get_member(json_node_get_object(node), parts[i]);
		} else if (JSON_NODE_HOLDS_ARRAY(node)) {
			JsonArray *array = json_node_get_array(node);
			guint64 index = 0;
			if (!g_ascii_string_to_unsigned(parts[i], 10, 0, G_MAXUINT, &index, NULL) ||
			    index >= json_array_get_length(array))
				return NULL;
			node = json_array_get_element(array, (guint)index);
		} else {
			return NULL;
		}
	}
	return node;
}

gboolean
ap_test_json_has(ApTestResponse *r, const gchar *path)
{
	return ap_test_json_at(r->json, path) != NULL;
}

/**
 * ap_test_json_str:
 *
 * Returns: (nullable): the string at @path; %NULL if missing or null, and
 * a failed assertion if it is anything else
 */
const gchar *
ap_test_json_str(ApTestResponse *r, const gchar *path)
{
	JsonNode *node = ap_test_json_at(r->json, path);

	if (node == NULL || JSON_NODE_HOLDS_NULL(node))
		return NULL;
	g_assert_cmpint(json_node_get_value_type(node), ==, G_TYPE_STRING);
	return json_node_get_string(node);
}

gint64
ap_test_json_int(ApTestResponse *r, const gchar *path)
{
	JsonNode *node = ap_test_json_at(r->json, path);

	g_assert_nonnull(node);
	g_assert_cmpint(json_node_get_value_type(node), ==, G_TYPE_INT64);
	return json_node_get_int(node);
}

/**
 * ap_test_json_len:
 *
 * Returns: the length of the array at @path, which must be one
 */
guint
ap_test_json_len(ApTestResponse *r, const gchar *path)
{
	JsonNode *node = ap_test_json_at(r->json, path);

	g_assert_nonnull(node);
	g_assert_true(JSON_NODE_HOLDS_ARRAY(node));
	return json_array_get_length(json_node_get_array(node));
}

/**
 * ap_test_instant_parse:
 * @text: an RFC 3339 instant with an offset
 *
 * Returns: its Unix time
 */
gint64
ap_test_instant_parse(const gchar *text)
{
	g_autoptr(GDateTime) dt = NULL;

	g_assert_nonnull(text);
	dt = g_date_time_new_from_iso8601(text, NULL);
	if (dt == NULL)
		g_test_message("not an RFC 3339 instant: %s", text);
	g_assert_nonnull(dt);
	return g_date_time_to_unix(dt);
}

/* midnight of the London date @days from today */
static GDateTime *
ap_test_london_day(gint days)
{
	g_autoptr(GTimeZone) tz = g_time_zone_new_identifier("Europe/London");
	g_autoptr(GDateTime) now = g_date_time_new_now(tz);
	g_autoptr(GDateTime) noon = NULL;
	g_autoptr(GDateTime) day = NULL;

	g_assert_nonnull(tz);
	/* from noon, so that adding days never lands on a clock change */
	noon = g_date_time_new(tz,
			       g_date_time_get_year(now),
			       g_date_time_get_month(now),
			       g_date_time_get_day_of_month(now),
			       12,
			       0,
			       0);
	day = g_date_time_add_days(noon, days);
	return g_date_time_new(tz,
			       g_date_time_get_year(day),
			       g_date_time_get_month(day),
			       g_date_time_get_day_of_month(day),
			       0,
			       0,
			       0);
}

/**
 * ap_test_london_at:
 * @days: days from today in London; negative for the past
 *
 * Returns: (transfer full): @hour:@minute London time that day, in RFC
 * 3339 with London's offset then
 */
gchar *
ap_test_london_at(gint days, gint hour, gint minute)
{
	g_autoptr(GDateTime) day = ap_test_london_day(days);
	g_autoptr(GDateTime) at = g_date_time_new(g_date_time_get_timezone(day),
						  g_date_time_get_year(day),
						  g_date_time_get_month(day),
						  g_date_time_get_day_of_month(day),
						  hour,
						  minute,
						  0);

	return g_date_time_format(at, "%Y-%m-%dT%H:%M:%S%:z");
}

/**
 * ap_test_london_date:
 *
 * Returns: (transfer full): the London date @days from today, `YYYY-MM-DD`
 */
gchar *
ap_test_london_date(gint days)
{
	g_autoptr(GDateTime) day = ap_test_london_day(days);
	return g_date_time_format(day, "%Y-%m-%d");
}

/**
 * ap_test_days_to_monday:
 *
 * Returns: days from today (London) to the next Monday, 1 to 7
 */
gint
ap_test_days_to_monday(void)
{
	g_autoptr(GDateTime) today = ap_test_london_day(0);
	return 8 - g_date_time_get_day_of_week(today);
}

static gint64
ap_api_fixture_add_expert(ApApiFixture *fx,
			  const gchar *name,
			  const gchar *email,
			  const gchar *services)
{
	static const gchar hours[] = "{\"weekly\": {"
				     "\"mon\": [[\"09:00\", \"17:00\"]], "
				     "\"tue\": [[\"09:00\", \"17:00\"]], "
				     "\"wed\": [[\"09:00\", \"17:00\"]], "
				     "\"thu\": [[\"09:00\", \"17:00\"]], "
				     "\"fri\": [[\"09:00\", \"17:00\"]], "
				     "\"sat\": [[\"09:00\", \"17:00\"]], "
				     "\"sun\": [[\"09:00\", \"17:00\"]]}}";
	g_autoptr(ApTestResponse) made = NULL;
	g_autoptr(ApTestResponse) put = NULL;
	g_autofree gchar *path = NULL;
	gint64 id;

	made = ap_test_http_sendf(fx->d,
				  "POST",
				  fx->admin,
				  "/api/v1/experts",
				  "{\"name\": \"%s\", \"email\": \"%s\", \"services\": %s, "
				  "\"timezone\": \"Europe/London\"}",
				  name,
				  email,
				  services);
	ap_test_assert_status(made, 201);
	id = ap_test_json_int(made, "id");
	g_assert_cmpint(id, >, 0);
	path = g_strdup_printf("/api/v1/experts/%" G_GINT64_FORMAT "/hours", id);
	put = ap_test_http_send(fx->d, "PUT", fx->admin, path, hours);
	ap_test_assert_status(put, 200);
	return id;
}

/**
 * ap_api_fixture_set_up:
 *
 * A running daemon with an administrator, a member of staff, and two
 * experts with users of their own.
 */
void
ap_api_fixture_set_up(ApApiFixture *fx, gconstpointer data)
{
	fx->d = ap_test_daemon_new();
	ap_test_daemon_start(fx->d);
	fx->admin = ap_test_daemon_add_user(fx->d, "admin@example.com", "admin", 0);
	fx->staff = ap_test_daemon_add_user(fx->d, "staff@example.com", "staff", 0);
	fx->expert_a = ap_api_fixture_add_expert(
		fx, "Alice Able", "alice@example.com", "[\"personal-styling\", \"home-design\"]");
	fx->expert_b = ap_api_fixture_add_expert(
		fx, "Bert Brown", "bert@example.com", "[\"personal-styling\"]");
	fx->alice = ap_test_daemon_add_user(fx->d, "alice@example.com", "expert", fx->expert_a);
	fx->bert = ap_test_daemon_add_user(fx->d, "bert@example.com", "expert", fx->expert_b);
	fx->base = ap_test_days_to_monday() + 7;
}

void
ap_api_fixture_tear_down(ApApiFixture *fx, gconstpointer data)
{
	g_clear_pointer(&fx->d, ap_test_daemon_free);
	g_clear_pointer(&fx->admin, g_free);
	g_clear_pointer(&fx->staff, g_free);
	g_clear_pointer(&fx->alice, g_free);
	g_clear_pointer(&fx->bert, g_free);
}

/**
 * ap_api_at:
 * @day: days after the fixture's Monday
 *
 * Returns: (transfer full): an RFC 3339 instant, London time
 */
gchar *
ap_api_at(ApApiFixture *fx, gint day, gint hour, gint minute)
{
	return ap_test_london_at(fx->base + day, hour, minute);
}

gchar *
ap_api_date(ApApiFixture *fx, gint day)
{
	return ap_test_london_date(fx->base + day);
}

/**
 * ap_api_book:
 * @expert_id: the expert asked for, or 0 for whoever is free
 * @phone: (nullable): the customer's phone number
 *
 * Books personal-styling at @start, anonymously.
 *
 * Returns: (transfer full): the answer
 */
ApTestResponse *
ap_api_book(ApApiFixture *fx,
	    gint64 expert_id,
	    const gchar *start,
	    const gchar *name,
	    const gchar *email,
	    const gchar *phone)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonNode) root = NULL;
	g_autofree gchar *body = NULL;

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "service");
	json_builder_add_string_value(b, "personal-styling");
	json_builder_set_member_name(b, "start");
	json_builder_add_string_value(b, start);
	if (expert_id > 0) {
		json_builder_set_member_name(b, "expert");
		json_builder_add_int_value(b, expert_id);
	}
	json_builder_set_member_name(b, "customer");
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "name");
	json_builder_add_string_value(b, name);
	json_builder_set_member_name(b, "email");
	json_builder_add_string_value(b, email);
	if (phone != NULL) {
		json_builder_set_member_name(b, "phone");
		json_builder_add_string_value(b, phone);
	}
	json_builder_end_object(b);
	json_builder_set_member_name(b, "answers");
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "occasion");
	json_builder_add_string_value(b, "Work");
	json_builder_end_object(b);
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	body = json_to_string(root, FALSE);
	return ap_test_http_send(fx->d, "POST", NULL, "/api/v1/bookings", body);
}

/**
 * ap_api_book_ok:
 *
 * Books personal-styling on @day after the fixture's Monday at
 * @hour:@minute London time, and expects 201.
 *
 * Returns: (transfer full): the answer, with `reference` and `token`
 */
ApTestResponse *
ap_api_book_ok(ApApiFixture *fx, gint64 expert_id, gint day, gint hour, gint minute)
{
	g_autofree gchar *start = ap_api_at(fx, day, hour, minute);
	ApTestResponse *r =
		ap_api_book(fx, expert_id, start, "Casey Customer", "casey@example.com", NULL);

	ap_test_assert_status(r, 201);
	g_assert_nonnull(ap_test_json_str(r, "reference"));
	g_assert_nonnull(ap_test_json_str(r, "token"));
	return r;
}

/* moves a booking to start @hours_ago, behind the daemon's back: the only
 * way to reach complete and no-show over HTTP without waiting for a slot */
void
ap_api_backdate(ApApiFixture *fx, const gchar *reference, gint hours_ago)
{
	g_autofree gchar *db_path = g_build_filename(fx->d->dir, "appoint.db", NULL);
	sqlite3 *db = NULL;
	sqlite3_stmt *stmt = NULL;
	const gchar *sql =
		"UPDATE bookings SET "
		"start_at = start_at - (start_at - (CAST(strftime('%s', 'now') AS INTEGER) - ?2)), "
		"end_at = end_at - (start_at - (CAST(strftime('%s', 'now') AS INTEGER) - ?2)), "
		"block_start = block_start - (start_at - (CAST(strftime('%s', 'now') AS INTEGER) - "
		"?2)), "
		"block_end = block_end - (start_at - (CAST(strftime('%s', 'now') AS INTEGER) - "
		"?2)) "
		"WHERE reference = ?1";

	g_assert_cmpint(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
	sqlite3_busy_timeout(db, 10000);
	g_assert_cmpint(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
	sqlite3_bind_text(stmt, 1, reference, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 2, (gint64)hours_ago * 3600);
	g_assert_cmpint(sqlite3_step(stmt), ==, SQLITE_DONE);
	g_assert_cmpint(sqlite3_changes(db), ==, 1);
	sqlite3_finalize(stmt);
	sqlite3_close(db);
}
