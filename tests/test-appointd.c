/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <libsoup/soup.h>
#include <signal.h>
#include <string.h>

#include "ap-test-util.h"

/* the real binary: start it, wait until it says where it listens, use it,
 * stop it with SIGTERM and expect a clean exit */

typedef struct {
	GSubprocess *proc;
	GDataInputStream *err;
	gchar *url;
} ApDaemon;

static ApDaemon *
ap_daemon_start(const gchar *config)
{
	g_autoptr(GError) error = NULL;
	ApDaemon *d = g_new0(ApDaemon, 1);
	const gchar *argv[] = {g_getenv("APPOINTD"), "--config", config, NULL};

	d->proc = g_subprocess_newv(argv, G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
	g_assert_no_error(error);
	d->err = g_data_input_stream_new(g_subprocess_get_stderr_pipe(d->proc));
	/* readiness: the log line naming the address */
	for (;;) {
		g_autofree gchar *line =
			g_data_input_stream_read_line_utf8(d->err, NULL, NULL, &error);
		const gchar *p;
		g_assert_no_error(error);
		g_assert_nonnull(line);
		g_test_message("appointd: %s", line);
		p = strstr(line, "listening on ");
		if (p != NULL) {
			d->url = g_strdup(p + strlen("listening on "));
			break;
		}
	}
	if (g_str_has_suffix(d->url, "/"))
		d->url[strlen(d->url) - 1] = '\0';
	/* without a configured public URL, links use the port really chosen */
	{
		g_autofree gchar *line =
			g_data_input_stream_read_line_utf8(d->err, NULL, NULL, &error);
		g_autofree gchar *expect = g_strdup_printf("public URL %s", d->url);
		g_assert_no_error(error);
		g_assert_nonnull(line);
		g_assert_nonnull(strstr(line, expect));
	}
	return d;
}

/* SIGTERM, then the exit status */
static gint
ap_daemon_stop(ApDaemon *d)
{
	g_autoptr(GError) error = NULL;
	gint status;

	g_subprocess_send_signal(d->proc, SIGTERM);
	/* drain the log so the pipe cannot fill up */
	for (;;) {
		g_autofree gchar *line =
			g_data_input_stream_read_line_utf8(d->err, NULL, NULL, NULL);
		if (line == NULL)
			break;
		g_test_message("appointd: %s", line);
	}
	g_assert_true(g_subprocess_wait(d->proc, NULL, &error));
	g_assert_no_error(error);
	g_assert_true(g_subprocess_get_if_exited(d->proc));
	status = g_subprocess_get_exit_status(d->proc);
	g_object_unref(d->err);
	g_object_unref(d->proc);
	g_free(d->url);
	g_free(d);
	return status;
}

static GBytes *
ap_http(const gchar *method, const gchar *url, guint *status, gchar **content_type)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SoupSession) session = soup_session_new();
	g_autoptr(SoupMessage) msg = soup_message_new(method, url);
	GBytes *body = soup_session_send_and_read(session, msg, NULL, &error);

	g_assert_no_error(error);
	*status = soup_message_get_status(msg);
	if (content_type != NULL)
		*content_type = g_strdup(soup_message_headers_get_content_type(
			soup_message_get_response_headers(msg), NULL));
	return body;
}

static void
test_appointd_healthz_and_sigterm(void)
{
	g_autofree gchar *dir = ap_test_make_dir();
	g_autofree gchar *config = ap_test_write_config(dir, NULL);
	g_autofree gchar *db = g_build_filename(dir, "appoint.db", NULL);
	ApDaemon *d = ap_daemon_start(config);
	g_autofree gchar *healthz = g_strconcat(d->url, "/healthz", NULL);
	g_autofree gchar *missing = g_strconcat(d->url, "/no/such/thing", NULL);
	g_autofree gchar *type = NULL;
	g_autoptr(GBytes) body = NULL;
	guint status = 0;

	g_assert_true(g_str_has_prefix(d->url, "http://127.0.0.1:"));
	body = ap_http("GET", healthz, &status, NULL);
	g_assert_cmpuint(status, ==, 200);
	g_assert_cmpstr(g_bytes_get_data(body, NULL), ==, "{\"status\":\"ok\"}");
	g_clear_pointer(&body, g_bytes_unref);

	body = ap_http("GET", missing, &status, &type);
	g_assert_cmpuint(status, ==, 404);
	g_assert_cmpstr(type, ==, "application/problem+json");
	g_clear_pointer(&body, g_bytes_unref);

	body = ap_http("POST", healthz, &status, NULL);
	g_assert_cmpuint(status, ==, 405);

	/* the first start made the schema and the catalogue */
	g_assert_true(g_file_test(db, G_FILE_TEST_IS_REGULAR));
	g_assert_cmpint(ap_daemon_stop(d), ==, 0);
	ap_test_remove_dir(dir);
}

/* a second start reuses the database, and SIGINT stops it as well */
static void
test_appointd_restart_sigint(void)
{
	g_autofree gchar *dir = ap_test_make_dir();
	g_autofree gchar *config = ap_test_write_config(dir, NULL);
	ApDaemon *d = ap_daemon_start(config);
	g_assert_cmpint(ap_daemon_stop(d), ==, 0);
	d = ap_daemon_start(config);
	g_subprocess_send_signal(d->proc, SIGINT);
	g_assert_true(g_subprocess_wait(d->proc, NULL, NULL));
	g_assert_true(g_subprocess_get_if_exited(d->proc));
	g_assert_cmpint(g_subprocess_get_exit_status(d->proc), ==, 0);
	g_object_unref(d->err);
	g_object_unref(d->proc);
	g_free(d->url);
	g_free(d);
	ap_test_remove_dir(dir);
}

/* a client that stops half-way through its headers is cut off, and the
 * service goes on answering others */
static void
test_appointd_slow_client(void)
{
	g_autofree gchar *dir = ap_test_make_dir();
	g_autofree gchar *config = ap_test_write_config(dir, "[limits]\nio-timeout-seconds = 1\n");
	ApDaemon *d = ap_daemon_start(config);
	g_autoptr(GSocketClient) client = g_socket_client_new();
	g_autoptr(GSocketConnection) conn = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *healthz = g_strconcat(d->url, "/healthz", NULL);
	g_autoptr(GBytes) body = NULL;
	const gchar partial[] = "GET /healthz HTTP/1.1\r\nHost: x\r\n";
	gchar buf[64];
	gint64 before;
	gssize n;
	guint status = 0;

	conn = g_socket_client_connect_to_uri(client, d->url, 80, NULL, &error);
	g_assert_no_error(error);
	g_assert_true(g_output_stream_write_all(g_io_stream_get_output_stream(G_IO_STREAM(conn)),
						partial,
						sizeof(partial) - 1,
						NULL,
						NULL,
						&error));
	before = g_get_monotonic_time();
	n = g_input_stream_read(
		g_io_stream_get_input_stream(G_IO_STREAM(conn)), buf, sizeof(buf), NULL, &error);
	/* closed without an answer, after about the timeout */
	g_assert_cmpint(n, <=, 0);
	g_assert_cmpint(g_get_monotonic_time() - before, <, 10 * G_USEC_PER_SEC);
	body = ap_http("GET", healthz, &status, NULL);
	g_assert_cmpuint(status, ==, 200);
	g_assert_cmpint(ap_daemon_stop(d), ==, 0);
	ap_test_remove_dir(dir);
}

/* a client that trickles its headers in, a byte at a time but never
 * silent for long, is cut off at the request deadline */
static void
test_appointd_trickling_client(void)
{
	g_autofree gchar *dir = ap_test_make_dir();
	g_autofree gchar *config = ap_test_write_config(
		dir, "[limits]\nio-timeout-seconds = 5\nrequest-timeout-seconds = 2\n");
	ApDaemon *d = ap_daemon_start(config);
	g_autoptr(GSocketClient) client = g_socket_client_new();
	g_autoptr(GSocketConnection) conn = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *healthz = g_strconcat(d->url, "/healthz", NULL);
	g_autoptr(GBytes) body = NULL;
	GOutputStream *out;
	gint64 before = g_get_monotonic_time();
	gboolean cut = FALSE;
	guint status = 0;

	conn = g_socket_client_connect_to_uri(client, d->url, 80, NULL, &error);
	g_assert_no_error(error);
	out = g_io_stream_get_output_stream(G_IO_STREAM(conn));
	g_assert_true(g_output_stream_write_all(
		out, "GET /healthz HTTP/1.1\r\n", 24, NULL, NULL, &error));
	/* a header byte every 200 ms, for up to 8 s */
	for (guint i = 0; i < 40 && !cut; i++) {
		g_usleep(200 * 1000);
		cut = !g_output_stream_write_all(out, "X", 1, NULL, NULL, NULL);
	}
	if (!cut) {
		gchar buf[64];
		gssize n = g_input_stream_read(g_io_stream_get_input_stream(G_IO_STREAM(conn)),
					       buf,
					       sizeof(buf),
					       NULL,
					       NULL);
		cut = n <= 0;
	}
	g_assert_true(cut);
	/* after the 2 s deadline, well before the 5 s silence that would
	 * not have come anyway */
	g_assert_cmpint(g_get_monotonic_time() - before, <, 8 * G_USEC_PER_SEC);
	body = ap_http("GET", healthz, &status, NULL);
	g_assert_cmpuint(status, ==, 200);
	g_assert_cmpint(ap_daemon_stop(d), ==, 0);
	ap_test_remove_dir(dir);
}

static void
test_appointd_bad_config(void)
{
	const struct {
		const gchar *extra;
		const gchar *expect;
	} cases[] = {
		{"[server]\nlisten = 127.0.0.1:0\ncolour = blue\n", "colour"},
		{"[video]\nurl-template = https://meet.example.com/\n", "[video] url-template"},
		{"[mail]\nfrom = nobody\n", "[mail] from"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree gchar *dir = ap_test_make_dir();
		g_autofree gchar *config = ap_test_write_config(dir, cases[i].extra);
		const gchar *argv[] = {g_getenv("APPOINTD"), "--config", config, NULL};
		g_autoptr(ApTestRun) run = ap_test_run(NULL, argv);
		g_autofree gchar *db = g_build_filename(dir, "appoint.db", NULL);

		ap_test_assert_one_line_error(run);
		g_assert_nonnull(strstr(run->err, config));
		g_assert_nonnull(strstr(run->err, cases[i].expect));
		/* nothing was created */
		g_assert_false(g_file_test(db, G_FILE_TEST_EXISTS));
		ap_test_remove_dir(dir);
	}
}

static void
test_appointd_options(void)
{
	const gchar *version[] = {g_getenv("APPOINTD"), "--version", NULL};
	const gchar *unknown[] = {g_getenv("APPOINTD"), "--frobnicate", NULL};
	const gchar *missing[] = {
		g_getenv("APPOINTD"), "--config", "/nonexistent/appoint.conf", NULL};
	g_autoptr(ApTestRun) r1 = ap_test_run(NULL, version);
	g_autoptr(ApTestRun) r2 = ap_test_run(NULL, unknown);
	g_autoptr(ApTestRun) r3 = ap_test_run(NULL, missing);

	g_assert_cmpint(r1->status, ==, 0);
	g_assert_true(g_str_has_prefix(r1->out, "appointd "));
	ap_test_assert_one_line_error(r2);
	ap_test_assert_one_line_error(r3);
	g_assert_nonnull(strstr(r3->err, "/nonexistent/appoint.conf"));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	g_test_add_func("/appointd/healthz-and-sigterm", test_appointd_healthz_and_sigterm);
	g_test_add_func("/appointd/restart-sigint", test_appointd_restart_sigint);
	g_test_add_func("/appointd/slow-client", test_appointd_slow_client);
	g_test_add_func("/appointd/trickling-client", test_appointd_trickling_client);
	g_test_add_func("/appointd/bad-config", test_appointd_bad_config);
	g_test_add_func("/appointd/options", test_appointd_options);
	return g_test_run();
}
