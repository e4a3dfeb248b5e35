/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <signal.h>
#include <string.h>
#include <sys/socket.h>

#include "ap-test-http.h"

/*
 * The graceful stop of the real appointd: SIGTERM while it answers lets
 * what is in flight finish, turns new work away with 503, and exits 0.
 */

/* a raw connection; a small receive buffer makes the daemon wait for us
 * while it writes a long answer */
static GIOStream *
ap_connect(ApTestDaemon *d, gint rcvbuf)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GUri) uri = g_uri_parse(d->url, G_URI_FLAGS_NONE, &error);
	g_autoptr(GInetAddress) host = NULL;
	g_autoptr(GSocketAddress) address = NULL;
	g_autoptr(GSocket) socket = g_socket_new(
		G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);

	g_assert_no_error(error);
	host = g_inet_address_new_from_string(g_uri_get_host(uri));
	address = g_inet_socket_address_new(host, (guint16)g_uri_get_port(uri));
	if (rcvbuf > 0)
		g_assert_true(g_socket_set_option(socket, SOL_SOCKET, SO_RCVBUF, rcvbuf, &error));
	g_assert_true(g_socket_connect(socket, address, NULL, &error));
	g_assert_no_error(error);
	return G_IO_STREAM(g_socket_connection_factory_create_connection(socket));
}

static gchar *
ap_read_all(GIOStream *conn)
{
	g_autoptr(GString) answer = g_string_new(NULL);
	g_autoptr(GError) error = NULL;
	gchar buf[16384];
	gssize n;

	while ((n = g_input_stream_read(
			g_io_stream_get_input_stream(conn), buf, sizeof(buf), NULL, &error)) > 0)
		g_string_append_len(answer, buf, n);
	/* the end of the stream, never a reset */
	g_assert_no_error(error);
	return g_string_free(g_steal_pointer(&answer), FALSE);
}

/* the statuses of pipelined answers; each must be whole */
static GArray *
ap_split_answers(const gchar *text)
{
	GArray *statuses = g_array_new(FALSE, FALSE, sizeof(guint));
	const gchar *p = text;

	while (*p != '\0') {
		const gchar *body = strstr(p, "\r\n\r\n");
		const gchar *length =
			g_strstr_len(p, body != NULL ? body - p : -1, "Content-Length: ");
		guint status;
		gsize len;

		g_assert_true(g_str_has_prefix(p, "HTTP/1.1 "));
		g_assert_nonnull(body);
		g_assert_nonnull(length);
		status = (guint)g_ascii_strtoull(p + strlen("HTTP/1.1 "), NULL, 10);
		len = g_ascii_strtoull(length + strlen("Content-Length: "), NULL, 10);
		body += 4;
		g_assert_cmpuint(strlen(body), >=, len);
		g_array_append_val(statuses, status);
		p = body + len;
	}
	return statuses;
}

/* SIGTERM while the daemon writes 1 MB answers to a client that reads
 * slowly and has more requests queued: new requests get 503, the answer
 * being written arrives whole, then the connection ends cleanly (no
 * reset that would lose its tail) with the queued ones unanswered, or
 * answered 503; the exit is clean */
static void
test_api_shutdown_answering(ApApiFixture *fx, gconstpointer data)
{
	g_autofree gchar *d0 = ap_api_date(fx, 0);
	g_autofree gchar *d61 = ap_api_date(fx, 61);
	g_autofree gchar *head = g_strdup_printf(
		"GET /api/v1/slots?service=personal-styling&from=%s&to=%s HTTP/1.1\r\n"
		"Host: 127.0.0.1\r\n\r\n",
		d0,
		d61);
	const gchar *all_day =
		"{\"weekly\": {\"mon\": [[\"00:00\", \"24:00\"]], \"tue\": [[\"00:00\", "
		"\"24:00\"]], "
		"\"wed\": [[\"00:00\", \"24:00\"]], \"thu\": [[\"00:00\", \"24:00\"]], "
		"\"fri\": [[\"00:00\", \"24:00\"]], \"sat\": [[\"00:00\", \"24:00\"]], "
		"\"sun\": [[\"00:00\", \"24:00\"]]}}";
	g_autofree gchar *hours_a =
		g_strdup_printf("/api/v1/experts/%" G_GINT64_FORMAT "/hours", fx->expert_a);
	g_autoptr(ApTestResponse) put_a =
		ap_test_http_send(fx->d, "PUT", fx->admin, hours_a, all_day);
	g_autoptr(ApTestResponse) step = ap_test_http_send(fx->d,
							   "PATCH",
							   fx->admin,
							   "/api/v1/services/personal-styling",
							   "{\"step_minutes\": 5}");
	g_autoptr(GIOStream) conn = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(ApTestResponse) refused = NULL;
	g_autoptr(GArray) statuses = NULL;
	g_autofree gchar *answer = NULL;
	guint whole = 0;

	ap_test_assert_status(put_a, 200);
	ap_test_assert_status(step, 200);
	conn = ap_connect(fx->d, 4096);
	for (guint i = 0; i < 12; i++)
		g_assert_true(g_output_stream_write_all(g_io_stream_get_output_stream(conn),
							head,
							strlen(head),
							NULL,
							NULL,
							&error));
	g_assert_no_error(error);
	g_usleep(1000 * 1000);
	g_subprocess_send_signal(fx->d->proc, SIGTERM);
	g_usleep(300 * 1000);

	/* still answering us, so still up, but taking no new work */
	refused = ap_test_http_get(fx->d, NULL, "/api/v1/services");
	ap_test_assert_problem(refused, 503, NULL);
	g_assert_nonnull(soup_message_headers_get_one(refused->headers, "Retry-After"));

	/* whole 200s, then at most 503s for what was queued behind them */
	answer = ap_read_all(conn);
	statuses = ap_split_answers(answer);
	for (guint i = 0; i < statuses->len; i++) {
		guint status = g_array_index(statuses, guint, i);
		g_test_message("answer %u: %u", i, status);
		if (status == 200) {
			g_assert_cmpuint(i, ==, whole);
			whole++;
		} else {
			g_assert_cmpuint(status, ==, 503);
		}
	}
	g_assert_cmpuint(whole, >, 0);
	g_assert_cmpuint(whole, <, 12);
	g_assert_cmpint(ap_test_daemon_wait(fx->d), ==, 0);
}

/* SIGTERM while a booking's body is still on its way: the contract says
 * requests in flight finish and nothing queued is lost */
static void
test_api_shutdown_body_in_flight(ApApiFixture *fx, gconstpointer data)
{
	g_autofree gchar *start = ap_api_at(fx, 0, 11, 0);
	g_autofree gchar *body =
		g_strdup_printf("{\"service\": \"personal-styling\", \"start\": \"%s\", "
				"\"customer\": {\"name\": \"Late Larry\", \"email\": "
				"\"larry@example.com\"}, \"answers\": {\"occasion\": \"Work\"}}",
				start);
	g_autofree gchar *head =
		g_strdup_printf("POST /api/v1/bookings HTTP/1.1\r\nHost: 127.0.0.1\r\n"
				"Content-Type: application/json\r\nConnection: close\r\n"
				"Content-Length: %zu\r\n\r\n",
				strlen(body));
	g_autoptr(GIOStream) conn = ap_connect(fx->d, 0);
	GOutputStream *out = g_io_stream_get_output_stream(conn);
	g_autoptr(GError) error = NULL;
	g_autoptr(ApTestResponse) found = NULL;
	g_autofree gchar *answer = NULL;
	gsize half = strlen(body) / 2;

	g_assert_true(g_output_stream_write_all(out, head, strlen(head), NULL, NULL, &error));
	g_assert_true(g_output_stream_write_all(out, body, half, NULL, NULL, &error));
	g_assert_no_error(error);
	g_usleep(300 * 1000);
	g_subprocess_send_signal(fx->d->proc, SIGTERM);
	g_usleep(300 * 1000);
	/* the daemon waits for the rest of the body */
	g_assert_true(g_output_stream_write_all(
		out, body + half, strlen(body) - half, NULL, NULL, &error));
	g_assert_no_error(error);
	answer = ap_read_all(conn);
	g_test_message("answer in flight: %s", answer);
	g_assert_cmpint(ap_test_daemon_wait(fx->d), ==, 0);
	g_assert_true(g_str_has_prefix(answer, "HTTP/1.1 201 "));
	ap_test_daemon_start(fx->d);
	found = ap_test_http_get(fx->d, fx->admin, "/api/v1/bookings?q=larry");
	ap_test_assert_status(found, 200);
	g_assert_cmpuint(ap_test_json_len(found, ""), ==, 1);
	g_assert_cmpint(ap_test_instant_parse(ap_test_json_str(found, "0.start")),
			==,
			ap_test_instant_parse(start));
}

typedef struct {
	/* the daemon's address alone: ap_test_daemon_stop() forgets its
	 * own while these threads still ask */
	ApTestDaemon view;
	gint stop;
	gint ok;
	gint unavailable;
	gint other;
	gint refused;
	gint failed;
} ApLoad;

static gpointer
ap_load_thread(gpointer user_data)
{
	ApLoad *load = user_data;
	g_autoptr(SoupSession) session = soup_session_new_with_options("timeout", 30, NULL);
	ApTestRequest req = {.method = "GET", .path = "/api/v1/experts", .len = -1};

	while (!g_atomic_int_get(&load->stop)) {
		g_autoptr(ApTestResponse) r = ap_test_http_request(&load->view, session, &req);
		if (r->status == 200)
			g_atomic_int_inc(&load->ok);
		else if (r->status == 503)
			g_atomic_int_inc(&load->unavailable);
		else if (r->status != 0)
			g_atomic_int_inc(&load->other);
		else if (g_error_matches(r->error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
			g_atomic_int_inc(&load->refused);
		else
			g_atomic_int_inc(&load->failed);
		if (r->status == 0 || r->status == 503)
			g_usleep(1000);
	}
	return NULL;
}

/* SIGTERM while four clients keep asking: exit status 0, and every
 * answer is either a real one or 503 */
static void
test_api_shutdown_under_load(ApApiFixture *fx, gconstpointer data)
{
	ApLoad load = {.view = {.url = g_strdup(fx->d->url)}};
	GThread *threads[4];
	gint64 deadline = g_get_monotonic_time() + 30 * G_USEC_PER_SEC;

	for (guint i = 0; i < G_N_ELEMENTS(threads); i++)
		threads[i] = g_thread_new("load", ap_load_thread, &load);
	while (g_atomic_int_get(&load.ok) < 50 && g_get_monotonic_time() < deadline)
		g_usleep(1000);
	g_assert_cmpint(g_atomic_int_get(&load.ok), >=, 50);
	g_clear_object(&fx->d->session);
	g_assert_cmpint(ap_test_daemon_stop(fx->d), ==, 0);
	g_atomic_int_set(&load.stop, 1);
	for (guint i = 0; i < G_N_ELEMENTS(threads); i++)
		g_thread_join(threads[i]);
	g_free(load.view.url);
	/* requests sent once the last answer has gone, while the process
	 * exits, find the port still open and are reset ("failed"): the
	 * listening socket stays open until the process ends */
	g_test_message("200: %d, 503: %d, other: %d, refused: %d, failed: %d",
		       load.ok,
		       load.unavailable,
		       load.other,
		       load.refused,
		       load.failed);
	g_assert_cmpint(load.other, ==, 0);
	fx->d->session = soup_session_new();
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
#define AP_ADD(path, func)                                                                         \
	g_test_add(path, ApApiFixture, NULL, ap_api_fixture_set_up, func, ap_api_fixture_tear_down)
	AP_ADD("/api/shutdown/answering", test_api_shutdown_answering);
	AP_ADD("/api/shutdown/body-in-flight", test_api_shutdown_body_in_flight);
	AP_ADD("/api/shutdown/under-load", test_api_shutdown_under_load);
#undef AP_ADD
	return g_test_run();
}
