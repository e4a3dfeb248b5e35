/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gstdio.h>
#include <string.h>

#include "ap-test-http.h"
#include "ap-test-util.h"

/*
 * What operators and integrators see: /metrics, the access log, the
 * booking rate limit, paging through search results, group sessions,
 * and what an expert may do to their own profile.
 */

/* restarts the fixture's daemon with @extra added to its configuration */
static void
ap_restart_with(ApApiFixture *fx, const gchar *extra)
{
	g_autofree gchar *text = NULL;
	g_autofree gchar *more = NULL;
	g_autoptr(GError) error = NULL;

	g_assert_cmpint(ap_test_daemon_stop(fx->d), ==, 0);
	g_assert_true(g_file_get_contents(fx->d->config, &text, NULL, &error));
	more = g_strconcat(text, extra, NULL);
	g_assert_true(g_file_set_contents(fx->d->config, more, -1, &error));
	g_clear_pointer(&fx->d->url, g_free);
	ap_test_daemon_start(fx->d);
}

/* the value of one sample line of the exposition, or -1 */
static gdouble
ap_metric(const gchar *text, const gchar *sample)
{
	g_autofree gchar *needle = g_strconcat("\n", sample, " ", NULL);
	const gchar *at = strstr(text, needle);

	if (at == NULL)
		return -1;
	return g_ascii_strtod(at + strlen(needle), NULL);
}

static void
test_api_ops_metrics(ApApiFixture *fx, gconstpointer data)
{
	g_autoptr(ApTestResponse) services = ap_test_http_get(fx->d, NULL, "/api/v1/services");
	g_autoptr(ApTestResponse) missing = ap_test_http_get(fx->d, NULL, "/api/v1/nothing");
	g_autoptr(ApTestResponse) made = ap_api_book_ok(fx, fx->expert_a, 0, 10, 0);
	g_autoptr(ApTestResponse) odd = ap_test_http_send(fx->d, "FOO", NULL, "/healthz", NULL);
	g_autoptr(ApTestResponse) metrics = ap_test_http_get(fx->d, NULL, "/metrics");
	const gchar *type;

	ap_test_assert_status(services, 200);
	ap_test_assert_status(metrics, 200);
	type = soup_message_headers_get_content_type(metrics->headers, NULL);
	g_assert_cmpstr(type, ==, "text/plain");
	g_assert_nonnull(strstr(metrics->text, "# TYPE appoint_http_requests_total counter"));
	g_assert_cmpfloat(
		ap_metric(metrics->text,
			  "appoint_http_requests_total{method=\"GET\",route=\"/api/v1/services\","
			  "status=\"200\"}"),
		>=,
		1);
	g_assert_cmpfloat(
		ap_metric(metrics->text,
			  "appoint_http_requests_total{method=\"GET\",route=\"(unrouted)\","
			  "status=\"404\"}"),
		==,
		1);
	/* a method nobody serves cannot make new series */
	g_assert_null(strstr(metrics->text, "FOO"));
	g_assert_nonnull(strstr(metrics->text, "method=\"other\""));
	g_assert_cmpfloat(
		ap_metric(metrics->text, "appoint_bookings_total{event=\"created\"}"), ==, 1);
	/* the write-ahead log: a booking was just written to it; a short run
	 * makes no checkpoint */
	g_assert_nonnull(strstr(metrics->text, "# TYPE appoint_db_wal_bytes gauge"));
	g_assert_cmpfloat(ap_metric(metrics->text, "appoint_db_wal_bytes"), >, 0);
	g_assert_cmpfloat(ap_metric(metrics->text, "appoint_db_checkpoints_total"), ==, 0);
	g_assert_cmpfloat(
		ap_metric(metrics->text, "appoint_http_request_duration_seconds_count"), >=, 4);
	g_assert_cmpfloat(ap_metric(metrics->text,
				    "appoint_http_request_duration_seconds_bucket{le=\"+Inf\"}"),
			  ==,
			  ap_metric(metrics->text, "appoint_http_request_duration_seconds_count"));
	/* the booking's own path (its reference) is no label */
	g_assert_null(strstr(metrics->text, ap_test_json_str(made, "reference")));
}

/* a client that goes away before its answer is written is counted as
 * 499 (nginx's "client closed request"), never as a 5xx of ours */
static void
test_api_ops_client_closed(ApApiFixture *fx, gconstpointer data)
{
	g_autoptr(GSocketClient) client = g_socket_client_new();
	g_autoptr(GSocketConnection) connection = NULL;
	g_autoptr(GError) error = NULL;
	const gchar *partial = "GET /api/v1/slots?service=personal-styling HTTP/1.1\r\n"
			       "Host: localhost\r\n";
	const gchar *sample = "appoint_http_requests_total{method=\"GET\","
			      "route=\"/api/v1/slots\",status=\"499\"}";
	gdouble closed = -1;

	connection = g_socket_client_connect_to_uri(client, fx->d->url, 0, NULL, &error);
	g_assert_no_error(error);
	g_assert_true(
		g_output_stream_write_all(g_io_stream_get_output_stream(G_IO_STREAM(connection)),
					  partial,
					  strlen(partial),
					  NULL,
					  NULL,
					  &error));
	g_assert_no_error(error);
	g_usleep(G_USEC_PER_SEC / 10);
	g_assert_true(g_io_stream_close(G_IO_STREAM(connection), NULL, &error));
	for (guint i = 0; i < 50 && closed < 1; i++) {
		g_autoptr(ApTestResponse) metrics = ap_test_http_get(fx->d, NULL, "/metrics");

		ap_test_assert_status(metrics, 200);
		closed = ap_metric(metrics->text, sample);
		g_assert_null(strstr(metrics->text, "route=\"/api/v1/slots\",status=\"500\""));
		if (closed < 1)
			g_usleep(G_USEC_PER_SEC / 20);
	}
	g_assert_cmpfloat(closed, ==, 1);
}

/* a 500 of ours stays a 500, although libsoup reports every 500 as an
 * aborted request: here the store fails under appointd, whose table of
 * calendar feeds another process has dropped */
static void
test_api_ops_server_error(ApApiFixture *fx, gconstpointer data)
{
	g_autofree gchar *db_path = g_build_filename(fx->d->dir, "appoint.db", NULL);
	g_autofree gchar *path =
		g_strdup_printf("/api/v1/experts/%" G_GINT64_FORMAT "/calendar", fx->expert_a);
	g_autoptr(sqlite3) db = ap_test_db_open(db_path);
	g_autoptr(ApTestResponse) failed = NULL;
	g_autoptr(ApTestResponse) metrics = NULL;
	const gchar *route = "route=\"/api/v1/experts/{id}/calendar\"";
	g_autofree gchar *as_500 = g_strdup_printf(
		"appoint_http_requests_total{method=\"GET\",%s,status=\"500\"}", route);
	g_autofree gchar *as_499 = g_strdup_printf("%s,status=\"499\"", route);

	g_assert_cmpint(
		sqlite3_exec(db, "DROP TABLE calendar_feeds", NULL, NULL, NULL), ==, SQLITE_OK);
	failed = ap_test_http_get(fx->d, fx->admin, path);
	ap_test_assert_problem(failed, 500, NULL);
	metrics = ap_test_http_get(fx->d, NULL, "/metrics");
	g_assert_cmpfloat(ap_metric(metrics->text, as_500), ==, 1);
	g_assert_null(strstr(metrics->text, as_499));
}

/* one line a request: method, route pattern, status, duration; never a
 * token, a reference, a query or anything about the customer */
static void
test_api_ops_access_log(ApApiFixture *fx, gconstpointer data)
{
	g_autoptr(ApTestResponse) made = ap_api_book_ok(fx, fx->expert_a, 0, 10, 0);
	g_autofree gchar *path =
		g_strconcat("/api/v1/bookings/", ap_test_json_str(made, "reference"), NULL);
	g_autoptr(ApTestResponse) got =
		ap_test_http_get(fx->d, ap_test_json_str(made, "token"), path);
	g_autoptr(ApTestResponse) search =
		ap_test_http_get(fx->d, fx->staff, "/api/v1/bookings?q=secret-query-text");
	g_autofree gchar *log = NULL;
	g_autoptr(GError) error = NULL;

	ap_test_assert_status(got, 200);
	ap_test_assert_status(search, 200);
	g_assert_cmpint(ap_test_daemon_stop(fx->d), ==, 0);
	g_assert_true(g_file_get_contents(fx->d->log, &log, NULL, &error));
	g_assert_nonnull(strstr(log, "POST /api/v1/bookings 201 "));
	/* GLib's shape of line, the duration in milliseconds to three places */
	g_assert_true(g_regex_match_simple("^ApWeb-Message: [0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}: "
					   "GET /api/v1/bookings/\\{reference\\} 200 "
					   "[0-9]+\\.[0-9]{3} ms$",
					   log,
					   G_REGEX_MULTILINE,
					   0));
	g_assert_nonnull(strstr(log, "GET /api/v1/bookings/{reference} 200 "));
	g_assert_nonnull(strstr(log, "GET /api/v1/bookings 200 "));
	g_assert_null(strstr(log, ap_test_json_str(made, "token")));
	g_assert_null(strstr(log, ap_test_json_str(made, "reference")));
	g_assert_null(strstr(log, fx->staff));
	g_assert_null(strstr(log, "secret-query-text"));
	g_assert_null(strstr(log, "@example.com"));
}

/* bookings from one address are limited: 429 with Retry-After */
static void
test_api_ops_booking_rate(ApApiFixture *fx, gconstpointer data)
{
	guint created = 0, limited = 0;

	ap_restart_with(fx, "[limits]\nbookings-per-minute = 2\n");
	for (guint i = 0; i < 5; i++) {
		g_autofree gchar *start = ap_api_at(fx, 0, 9 + i, 0);
		g_autoptr(ApTestResponse) r = ap_api_book(
			fx, fx->expert_a, start, "Rapid Rita", "rita@example.com", NULL);
		if (r->status == 201) {
			created++;
		} else {
			ap_test_assert_problem(r, 429, NULL);
			g_assert_nonnull(soup_message_headers_get_one(r->headers, "Retry-After"));
			limited++;
		}
	}
	g_assert_cmpuint(created, ==, 2);
	g_assert_cmpuint(limited, ==, 3);
}

/* search results by start, a page at a time */
static void
test_api_ops_paging(ApApiFixture *fx, gconstpointer data)
{
	g_autoptr(ApTestResponse) b1 = ap_api_book_ok(fx, fx->expert_a, 1, 10, 0);
	g_autoptr(ApTestResponse) b2 = ap_api_book_ok(fx, fx->expert_a, 0, 10, 0);
	g_autoptr(ApTestResponse) b3 = ap_api_book_ok(fx, fx->expert_b, 0, 12, 0);
	g_autoptr(ApTestResponse) p1 =
		ap_test_http_get(fx->d, fx->staff, "/api/v1/bookings?q=example.com&limit=2");
	g_autoptr(ApTestResponse) p2 = ap_test_http_get(
		fx->d, fx->staff, "/api/v1/bookings?q=example.com&limit=2&offset=2");
	g_autoptr(ApTestResponse) zero =
		ap_test_http_get(fx->d, fx->staff, "/api/v1/bookings?limit=0");
	g_autoptr(ApTestResponse) huge =
		ap_test_http_get(fx->d, fx->staff, "/api/v1/bookings?limit=100000");

	ap_test_assert_status(p1, 200);
	g_assert_cmpuint(ap_test_json_len(p1, ""), ==, 2);
	g_assert_cmpstr(ap_test_json_str(p1, "0.reference"), ==, ap_test_json_str(b2, "reference"));
	g_assert_cmpstr(ap_test_json_str(p1, "1.reference"), ==, ap_test_json_str(b3, "reference"));
	ap_test_assert_status(p2, 200);
	g_assert_cmpuint(ap_test_json_len(p2, ""), ==, 1);
	g_assert_cmpstr(ap_test_json_str(p2, "0.reference"), ==, ap_test_json_str(b1, "reference"));
	ap_test_assert_problem(zero, 400, "limit");
	ap_test_assert_problem(huge, 400, NULL);
}

/* a talk for three: seats are counted down, then it is full */
static void
test_api_ops_group_session(ApApiFixture *fx, gconstpointer data)
{
	g_autofree gchar *expert =
		g_strdup_printf("/api/v1/experts/%" G_GINT64_FORMAT, fx->expert_a);
	g_autofree gchar *day = ap_api_date(fx, 0);
	g_autofree gchar *slots =
		g_strdup_printf("/api/v1/slots?service=nursery-talk&from=%s&to=%s", day, day);
	g_autofree gchar *start = ap_api_at(fx, 0, 10, 0);
	g_autoptr(ApTestResponse) made = ap_test_http_send(
		fx->d,
		"POST",
		fx->admin,
		"/api/v1/services",
		"{\"id\": \"nursery-talk\", \"name\": \"Preparing the nursery: a talk\", "
		"\"duration_minutes\": 60, \"step_minutes\": 60, \"capacity\": 3}");
	g_autoptr(ApTestResponse) joined = ap_test_http_send(
		fx->d,
		"PATCH",
		fx->admin,
		expert,
		"{\"services\": [\"personal-styling\", \"home-design\", \"nursery-talk\"]}");
	g_autoptr(ApTestResponse) before = NULL;
	g_autoptr(ApTestResponse) after = NULL;
	g_autoptr(ApTestResponse) full = NULL;
	gint64 at = ap_test_instant_parse(start);

	ap_test_assert_status(made, 201);
	ap_test_assert_status(joined, 200);
	before = ap_test_http_get(fx->d, NULL, slots);
	ap_test_assert_status(before, 200);
	g_assert_cmpint(ap_test_instant_parse(ap_test_json_str(before, "slots.1.start")), ==, at);
	g_assert_cmpint(ap_test_json_int(before, "slots.1.remaining"), ==, 3);
	for (guint i = 0; i < 3; i++) {
		g_autofree gchar *body = g_strdup_printf(
			"{\"service\": \"nursery-talk\", \"start\": \"%s\", \"customer\": "
			"{\"name\": \"Guest %u\", \"email\": \"guest%u@example.com\"}}",
			start,
			i,
			i);
		g_autoptr(ApTestResponse) r =
			ap_test_http_send(fx->d, "POST", NULL, "/api/v1/bookings", body);
		g_autoptr(ApTestResponse) now = ap_test_http_get(fx->d, NULL, slots);
		ap_test_assert_status(r, 201);
		if (i < 2)
			g_assert_cmpint(
				ap_test_json_int(now, "slots.1.remaining"), ==, 2 - (gint)i);
	}
	after = ap_test_http_get(fx->d, NULL, slots);
	for (guint i = 0; i < ap_test_json_len(after, "slots"); i++) {
		g_autofree gchar *member = g_strdup_printf("slots.%u.start", i);
		g_assert_cmpint(ap_test_instant_parse(ap_test_json_str(after, member)), !=, at);
	}
	full = ap_test_http_sendf(
		fx->d,
		"POST",
		NULL,
		"/api/v1/bookings",
		"{\"service\": \"nursery-talk\", \"start\": \"%s\", \"customer\": "
		"{\"name\": \"Late Guest\", \"email\": \"late@example.com\"}}",
		start);
	ap_test_assert_problem(full, 409, NULL);
}

/* an expert keeps their own profile and time off, and only their own */
static void
test_api_ops_expert_self(ApApiFixture *fx, gconstpointer data)
{
	g_autofree gchar *mine = g_strdup_printf("/api/v1/experts/%" G_GINT64_FORMAT, fx->expert_a);
	g_autofree gchar *theirs =
		g_strdup_printf("/api/v1/experts/%" G_GINT64_FORMAT, fx->expert_b);
	g_autofree gchar *off = g_strconcat(mine, "/time-off", NULL);
	g_autofree gchar *start = ap_api_at(fx, 2, 0, 0);
	g_autofree gchar *end = ap_api_at(fx, 3, 0, 0);
	g_autoptr(ApTestResponse) bio = ap_test_http_send(
		fx->d, "PATCH", fx->alice, mine, "{\"bio\": \"Tailoring and colour.\"}");
	g_autoptr(ApTestResponse) other =
		ap_test_http_send(fx->d, "PATCH", fx->alice, theirs, "{\"bio\": \"Hacked.\"}");
	g_autoptr(ApTestResponse) added = ap_test_http_sendf(
		fx->d, "POST", fx->alice, off, "{\"start\": \"%s\", \"end\": \"%s\"}", start, end);
	g_autoptr(ApTestResponse) services =
		ap_test_http_send(fx->d, "PATCH", fx->alice, mine, "{\"services\": [\"nursery\"]}");
	g_autoptr(ApTestResponse) staff = ap_test_http_send(
		fx->d, "PATCH", fx->staff, mine, "{\"bio\": \"Staff wrote this.\"}");
	g_autoptr(ApTestResponse) removed = NULL;
	g_autoptr(ApTestResponse) listed = NULL;
	g_autoptr(ApTestResponse) again = NULL;
	g_autofree gchar *one = NULL;

	ap_test_assert_status(bio, 200);
	g_assert_cmpstr(ap_test_json_str(bio, "bio"), ==, "Tailoring and colour.");
	g_assert_cmpuint(other->status, ==, 403);
	/* what they give is the administrators' to decide */
	ap_test_assert_problem(services, 403, "services");
	ap_test_assert_problem(staff, 403, NULL);
	ap_test_assert_status(added, 201);
	one = g_strdup_printf("%s/%" G_GINT64_FORMAT, off, ap_test_json_int(added, "id"));
	removed = ap_test_http_send(fx->d, "DELETE", fx->alice, one, NULL);
	ap_test_assert_status(removed, 204);
	listed = ap_test_http_get(fx->d, fx->alice, off);
	g_assert_cmpuint(ap_test_json_len(listed, ""), ==, 0);
	again = ap_test_http_send(fx->d, "DELETE", fx->alice, one, NULL);
	ap_test_assert_problem(again, 404, NULL);
}

/* waits until @count complete invitations are in the fixture's Maildir */
static void
ap_wait_maildir(ApApiFixture *fx, guint count)
{
	g_autofree gchar *new_dir = g_build_filename(fx->d->dir, "maildir", "new", NULL);
	g_autofree gchar *tmp_dir = g_build_filename(fx->d->dir, "maildir", "tmp", NULL);
	gint64 deadline = g_get_monotonic_time() + 20 * G_USEC_PER_SEC;
	guint found = 0;

	while (found < count) {
		g_autoptr(GDir) dir = g_dir_open(new_dir, 0, NULL);
		const gchar *name;

		found = 0;
		while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
			g_autofree gchar *path = g_build_filename(new_dir, name, NULL);
			g_autofree gchar *text = NULL;
			g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
			g_assert_nonnull(strstr(
				text,
				"Content-Type: text/calendar; charset=utf-8; method=REQUEST"));
			g_assert_true(g_str_has_suffix(text, "--\r\n"));
			found++;
		}
		g_assert_cmpint(g_get_monotonic_time(), <, deadline);
		if (found < count)
			g_usleep(50 * 1000);
	}
	g_assert_cmpuint(found, ==, count);
	{
		g_autoptr(GDir) tmp = g_dir_open(tmp_dir, 0, NULL);
		g_assert_nonnull(tmp);
		g_assert_null(g_dir_read_name(tmp));
	}
}

/* the embedded default delivers into a Maildir: both confirmations land
 * in new/, whole, and nothing is left in tmp/ */
static void
test_api_ops_maildir(ApApiFixture *fx, gconstpointer data)
{
	g_autoptr(ApTestResponse) made = ap_api_book_ok(fx, fx->expert_a, 0, 10, 0);

	ap_test_assert_status(made, 201);
	ap_wait_maildir(fx, 2);
}

/* how many messages the fixture's Maildir has in new/ */
static guint
ap_maildir_count(ApApiFixture *fx)
{
	g_autofree gchar *new_dir = g_build_filename(fx->d->dir, "maildir", "new", NULL);
	g_autoptr(GDir) dir = g_dir_open(new_dir, 0, NULL);
	guint n = 0;

	while (dir != NULL && g_dir_read_name(dir) != NULL)
		n++;
	return n;
}

/* what went but cannot be marked sent (the store refuses, here by a
 * trigger another process adds) is not sent again at once, and again:
 * the outbox waits; once the store is back, it goes once more (the lesser
 * harm, with the same Message-ID) and is marked, and that is the end */
static void
test_api_ops_unrecorded(ApApiFixture *fx, gconstpointer data)
{
	g_autofree gchar *db_path = g_build_filename(fx->d->dir, "appoint.db", NULL);
	g_autoptr(sqlite3) db = ap_test_db_open(db_path);
	g_autoptr(ApTestResponse) made = NULL;

	g_assert_cmpint(sqlite3_exec(db,
				     "CREATE TRIGGER test_refuse_sent BEFORE UPDATE OF status ON "
				     "outbox WHEN NEW.status = 'sent' BEGIN "
				     "SELECT RAISE(ABORT, 'refused by the test'); END",
				     NULL,
				     NULL,
				     NULL),
			==,
			SQLITE_OK);
	made = ap_api_book_ok(fx, fx->expert_a, 0, 10, 0);
	ap_wait_maildir(fx, 2);
	g_usleep(2 * G_USEC_PER_SEC);
	g_assert_cmpuint(ap_maildir_count(fx), ==, 2);
	g_assert_cmpint(ap_test_db_int(db,
				       "SELECT count(*) FROM outbox WHERE status = 'pending' AND "
				       "kind != 'reminder'"),
			==,
			2);

	g_assert_cmpint(
		sqlite3_exec(db, "DROP TRIGGER test_refuse_sent", NULL, NULL, NULL), ==, SQLITE_OK);
	ap_wait_maildir(fx, 4);
	g_usleep(G_USEC_PER_SEC);
	g_assert_cmpuint(ap_maildir_count(fx), ==, 4);
	g_assert_cmpint(ap_test_db_int(db,
				       "SELECT count(*) FROM outbox WHERE status = 'pending' AND "
				       "kind != 'reminder'"),
			==,
			0);
}

/* a Maildir that cannot be made when the daemon starts (a mount not yet
 * there): bookings still succeed, their email waits in the outbox, and
 * goes once the folder can be made */
static void
test_api_ops_maildir_late(ApApiFixture *fx, gconstpointer data)
{
	g_autofree gchar *maildir = g_build_filename(fx->d->dir, "maildir", NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(ApTestResponse) made = NULL;

	g_assert_cmpint(ap_test_daemon_stop(fx->d), ==, 0);
	ap_test_remove_dir(maildir);
	g_assert_true(g_file_set_contents(maildir, "not a folder", -1, &error));
	g_assert_no_error(error);
	ap_test_daemon_start(fx->d);
	made = ap_api_book_ok(fx, fx->expert_a, 0, 10, 0);
	ap_test_assert_status(made, 201);
	g_usleep(500 * 1000);
	g_assert_true(g_file_test(maildir, G_FILE_TEST_IS_REGULAR));
	g_assert_cmpint(g_unlink(maildir), ==, 0);
	ap_wait_maildir(fx, 2);
}

/* the reminders' planner in appointd: an hour-before that fell due while
 * appointd was stopped, of a session not yet begun, is written once it
 * starts again, and goes; the day-before, whose moment had passed when
 * the customer was told of this time, does not */
static void
test_api_ops_reminder_planned(ApApiFixture *fx, gconstpointer data)
{
	g_autoptr(ApTestResponse) made = ap_api_book_ok(fx, fx->expert_a, 2, 10, 0);
	const gchar *reference = ap_test_json_str(made, "reference");
	g_autofree gchar *db_path = g_build_filename(fx->d->dir, "appoint.db", NULL);
	g_autofree gchar *start_sql = NULL;
	g_autofree gchar *sql = NULL;
	g_autoptr(sqlite3) db = NULL;
	gint64 now = g_get_real_time() / G_USEC_PER_SEC;
	gint64 deadline = g_get_monotonic_time() + 20 * G_USEC_PER_SEC;
	g_autoptr(ApTestResponse) metrics = NULL;
	gint64 shift;

	ap_wait_maildir(fx, 2);
	g_assert_cmpint(ap_test_daemon_stop(fx->d), ==, 0);
	db = ap_test_db_open(db_path);
	start_sql =
		g_strdup_printf("SELECT start_at FROM bookings WHERE reference = '%s'", reference);
	/* the session now begins in 50 minutes, the customer was told of it
	 * 15 minutes ago, and the planner last looked 20 minutes ago */
	shift = now + 50 * 60 - ap_test_db_int(db, start_sql);
	sql = g_strdup_printf(
		"UPDATE bookings SET start_at = start_at + %1$" G_GINT64_FORMAT ", "
		"end_at = end_at + %1$" G_GINT64_FORMAT ", "
		"block_start = block_start + %1$" G_GINT64_FORMAT ", "
		"block_end = block_end + %1$" G_GINT64_FORMAT " WHERE reference = '%2$s';"
		"UPDATE outbox SET start_at = start_at + %1$" G_GINT64_FORMAT ", "
		"end_at = end_at + %1$" G_GINT64_FORMAT ", created_at = %3$" G_GINT64_FORMAT " "
		"WHERE booking_id = (SELECT id FROM bookings WHERE reference = '%2$s');"
		"UPDATE reminder_plan SET planned_until = %4$" G_GINT64_FORMAT ";",
		shift,
		reference,
		now - 15 * 60,
		now - 20 * 60);
	g_assert_cmpint(sqlite3_exec(db, sql, NULL, NULL, NULL), ==, SQLITE_OK);

	ap_test_daemon_start(fx->d);
	while (ap_test_db_int(db,
			      "SELECT count(*) FROM outbox WHERE kind = 'reminder' "
			      "AND status = 'sent'") < 1) {
		g_assert_cmpint(g_get_monotonic_time(), <, deadline);
		g_usleep(50 * 1000);
	}
	g_assert_cmpint(ap_test_db_int(db,
				       "SELECT count(*) FROM outbox WHERE kind = 'reminder' AND "
				       "remind_at = start_at - 3600"),
			==,
			1);
	g_assert_cmpint(
		ap_test_db_int(db, "SELECT count(*) FROM outbox WHERE kind = 'reminder'"), ==, 1);
	g_assert_cmpuint(ap_maildir_count(fx), ==, 3);
	/* the planner's mark, for operators: ahead of the clock again */
	metrics = ap_test_http_get(fx->d, NULL, "/metrics");
	g_assert_cmpfloat(
		ap_metric(metrics->text, "appoint_outbox_reminders_planned_until_seconds"),
		>,
		(gdouble)now);
}

#define AP_OPS_ASKERS 8

typedef struct {
	ApTestDaemon *d;
	const gchar *path;
	ApTestResponse *response;
} ApOpsAsker;

static gpointer
ap_ops_asker_thread(gpointer user_data)
{
	ApOpsAsker *a = user_data;
	g_autoptr(SoupSession) session = soup_session_new_with_options("timeout", 60, NULL);
	ApTestRequest req = {.method = "GET", .path = a->path, .len = -1};

	a->response = ap_test_http_request(a->d, session, &req);
	return NULL;
}

/* the same question asked by many at once is computed once (shared
 * while it is computed, or kept once it is), and everyone gets the same
 * answer; other requests are answered all the while */
static void
test_api_ops_slots_once(ApApiFixture *fx, gconstpointer data)
{
	g_autofree gchar *date = ap_api_date(fx, 4);
	g_autofree gchar *path = g_strdup_printf(
		"/api/v1/slots?service=personal-styling&from=%s&to=%s&tz=Asia/Tokyo", date, date);
	g_autoptr(ApTestResponse) before = ap_test_http_get(fx->d, NULL, "/metrics");
	g_autoptr(ApTestResponse) after = NULL;
	ApOpsAsker askers[AP_OPS_ASKERS];
	GThread *threads[AP_OPS_ASKERS];
	gdouble computed;

	for (guint i = 0; i < AP_OPS_ASKERS; i++) {
		askers[i] = (ApOpsAsker){fx->d, path, NULL};
		threads[i] = g_thread_new("asker", ap_ops_asker_thread, &askers[i]);
	}
	for (guint i = 0; i < AP_OPS_ASKERS; i++) {
		g_autoptr(ApTestResponse) healthz = ap_test_http_get(fx->d, NULL, "/healthz");

		ap_test_assert_status(healthz, 200);
	}
	for (guint i = 0; i < AP_OPS_ASKERS; i++)
		g_thread_join(threads[i]);
	after = ap_test_http_get(fx->d, NULL, "/metrics");
	for (guint i = 0; i < AP_OPS_ASKERS; i++) {
		ap_test_assert_status(askers[i].response, 200);
		g_assert_cmpuint(ap_test_json_len(askers[i].response, "slots"), >, 0);
		g_assert_cmpstr(askers[i].response->text, ==, askers[0].response->text);
	}
	for (guint i = 0; i < AP_OPS_ASKERS; i++)
		g_clear_pointer(&askers[i].response, ap_test_response_free);
	computed = ap_metric(after->text, "appoint_slots_computed_total") -
		   ap_metric(before->text, "appoint_slots_computed_total");
	g_assert_cmpfloat(computed, ==, 1);
	g_assert_nonnull(strstr(after->text, "# TYPE appoint_slots_computed_total counter"));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
#define AP_ADD(path, func)                                                                         \
	g_test_add(path, ApApiFixture, NULL, ap_api_fixture_set_up, func, ap_api_fixture_tear_down)
	AP_ADD("/api/ops/metrics", test_api_ops_metrics);
	AP_ADD("/api/ops/access-log", test_api_ops_access_log);
	AP_ADD("/api/ops/client-closed", test_api_ops_client_closed);
	AP_ADD("/api/ops/server-error", test_api_ops_server_error);
	AP_ADD("/api/ops/booking-rate", test_api_ops_booking_rate);
	AP_ADD("/api/ops/paging", test_api_ops_paging);
	AP_ADD("/api/ops/group-session", test_api_ops_group_session);
	AP_ADD("/api/ops/expert-self", test_api_ops_expert_self);
	AP_ADD("/api/ops/maildir", test_api_ops_maildir);
	AP_ADD("/api/ops/maildir-late", test_api_ops_maildir_late);
	AP_ADD("/api/ops/unrecorded", test_api_ops_unrecorded);
	AP_ADD("/api/ops/reminder-planned", test_api_ops_reminder_planned);
	AP_ADD("/api/ops/slots-once", test_api_ops_slots_once);
#undef AP_ADD
	return g_test_run();
}
