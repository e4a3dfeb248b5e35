/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-log-writer"

#include <glib/gstdio.h>
#include <stdio.h>
#include <unistd.h>

#include "ap-log-writer.h"

/* stderr into a file for the length of one test */
typedef struct {
	gchar *path;
	gint saved;
} Captured;

static void
captured_start(Captured *c)
{
	gint fd;
	g_autoptr(GError) error = NULL;

	fd = g_file_open_tmp("test-log-writer-XXXXXX", &c->path, &error);
	g_assert_no_error(error);
	fflush(stderr);
	c->saved = dup(fileno(stderr));
	g_assert_cmpint(c->saved, >=, 0);
	g_assert_cmpint(dup2(fd, fileno(stderr)), >=, 0);
	close(fd);
}

/* what was written, each HH:MM:SS.mmm stamp made 00:00:00.000 */
static gchar *
captured_stop(Captured *c)
{
	g_autofree gchar *text = NULL;
	g_autoptr(GRegex) stamp = NULL;
	g_autoptr(GError) error = NULL;

	fflush(stderr);
	g_assert_cmpint(dup2(c->saved, fileno(stderr)), >=, 0);
	close(c->saved);
	g_assert_true(g_file_get_contents(c->path, &text, NULL, &error));
	g_assert_no_error(error);
	(void)g_unlink(c->path);
	g_free(c->path);
	stamp = g_regex_new(": [0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}: ", 0, 0, &error);
	g_assert_no_error(error);
	return g_regex_replace_literal(stamp, text, -1, 0, ": 00:00:00.000: ", 0, &error);
}

/* GLib's line for @message, and ours; both written, ours only if plain */
static void
assert_same_line(const gchar *message, gboolean plain)
{
	const GLogField fields[] = {
		{"MESSAGE", message, -1},
		{"PRIORITY", "5", -1},
		{"GLIB_DOMAIN", "ApWeb", -1},
		{"HTTP_ROUTE", "/api/v1/slots", -1},
	};
	Captured glib = {NULL}, ours = {NULL};
	g_autofree gchar *glib_text = NULL;
	g_autofree gchar *our_text = NULL;

	captured_start(&glib);
	g_assert_cmpint(
		g_log_writer_default(G_LOG_LEVEL_MESSAGE, fields, G_N_ELEMENTS(fields), NULL),
		==,
		G_LOG_WRITER_HANDLED);
	glib_text = captured_stop(&glib);

	captured_start(&ours);
	g_assert_cmpint(ap_log_writer_write_plain(fields, G_N_ELEMENTS(fields)), ==, plain);
	if (!plain)
		g_assert_cmpint(
			ap_log_writer(G_LOG_LEVEL_MESSAGE, fields, G_N_ELEMENTS(fields), NULL),
			==,
			G_LOG_WRITER_HANDLED);
	our_text = captured_stop(&ours);

	g_assert_cmpstr(our_text, ==, glib_text);
}

/* the access log's line, byte for byte GLib's */
static void
test_log_writer_plain(void)
{
	assert_same_line("GET /api/v1/slots 200 0.412 ms", TRUE);
	assert_same_line("POST /api/v1/bookings 201 12.000 ms", TRUE);
	assert_same_line("", TRUE);
}

/* what GLib escapes or converts is left to GLib, and comes out as before */
static void
test_log_writer_not_plain(void)
{
	g_autofree gchar *long_line = g_strnfill(2000, 'x');

	assert_same_line("a tab\there", FALSE);
	assert_same_line("two\nlines", FALSE);
	assert_same_line("caf\xc3\xa9", FALSE);
	assert_same_line("bell \a", FALSE);
	assert_same_line(long_line, FALSE);
}

/* with no domain GLib writes "** " first: that is its line to write */
static void
test_log_writer_no_domain(void)
{
	const GLogField fields[] = {{"MESSAGE", "no domain", -1}};
	Captured c = {NULL};
	g_autofree gchar *text = NULL;

	captured_start(&c);
	g_assert_false(ap_log_writer_write_plain(fields, G_N_ELEMENTS(fields)));
	text = captured_stop(&c);
	g_assert_cmpstr(text, ==, "");
}

/* installed, it writes what g_log_structured() is given */
static void
test_log_writer_installed(void)
{
	Captured c = {NULL};
	g_autofree gchar *text = NULL;

	captured_start(&c);
	ap_log_writer_install();
	g_log_structured(
		"ApWeb", G_LOG_LEVEL_MESSAGE, "MESSAGE", "GET %s 200 1.000 ms", "/healthz");
	/* INFO is still dropped unless G_MESSAGES_DEBUG asks for it */
	g_log_structured("ApWeb", G_LOG_LEVEL_INFO, "MESSAGE", "not shown");
	text = captured_stop(&c);
	g_assert_cmpstr(text, ==, "ApWeb-Message: 00:00:00.000: GET /healthz 200 1.000 ms\n");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/log-writer/plain", test_log_writer_plain);
	g_test_add_func("/log-writer/not-plain", test_log_writer_not_plain);
	g_test_add_func("/log-writer/no-domain", test_log_writer_no_domain);
	g_test_add_func("/log-writer/installed", test_log_writer_installed);
	return g_test_run();
}
