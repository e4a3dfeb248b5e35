/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-log-writer"

#include <glib/gstdio.h>
#include <stdio.h>
#include <time.h>
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

/* what was written */
static gchar *
captured_stop(Captured *c)
{
	gchar *text = NULL;
	g_autoptr(GError) error = NULL;

	fflush(stderr);
	g_assert_cmpint(dup2(c->saved, fileno(stderr)), >=, 0);
	close(c->saved);
	g_assert_true(g_file_get_contents(c->path, &text, NULL, &error));
	g_assert_no_error(error);
	(void)g_unlink(c->path);
	g_free(c->path);
	return text;
}

/* @text with each HH:MM:SS.mmm stamp made 00:00:00.000 */
static gchar *
without_stamps(const gchar *text)
{
	g_autoptr(GRegex) stamp = NULL;
	g_autoptr(GError) error = NULL;

	stamp = g_regex_new(": [0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}: ", 0, 0, &error);
	g_assert_no_error(error);
	return g_regex_replace_literal(stamp, text, -1, 0, ": 00:00:00.000: ", 0, &error);
}

static const GLogField *
access_fields(const gchar *message, gsize *n_fields)
{
	static GLogField fields[] = {
		{"MESSAGE", NULL, -1},
		{"PRIORITY", "5", -1},
		{"GLIB_DOMAIN", "ApWeb", -1},
		{"HTTP_ROUTE", "/api/v1/slots", -1},
	};

	fields[0].value = message;
	*n_fields = G_N_ELEMENTS(fields);
	return fields;
}

/* GLib's line for @message, and what ap_log_writer() writes (installed,
 * so that it chooses itself), time stamps aside; and whether the
 * shorter way writes it (%FALSE: it wrote nothing) */
static void
assert_same_line(const gchar *message, gboolean plain)
{
	gsize n_fields;
	const GLogField *fields = access_fields(message, &n_fields);
	Captured glib = {NULL}, ours = {NULL}, shorter = {NULL};
	g_autofree gchar *glib_text = NULL;
	g_autofree gchar *our_text = NULL;
	g_autofree gchar *shorter_text = NULL;
	g_autofree gchar *glib_line = NULL;
	g_autofree gchar *our_line = NULL;

	captured_start(&glib);
	g_assert_cmpint(g_log_writer_default(G_LOG_LEVEL_MESSAGE, fields, n_fields, NULL),
			==,
			G_LOG_WRITER_HANDLED);
	glib_text = captured_stop(&glib);

	captured_start(&ours);
	ap_log_writer_install();
	g_assert_cmpint(ap_log_writer(G_LOG_LEVEL_MESSAGE, fields, n_fields, NULL),
			==,
			G_LOG_WRITER_HANDLED);
	our_text = captured_stop(&ours);

	captured_start(&shorter);
	g_assert_cmpint(ap_log_writer_write_plain(fields, n_fields), ==, plain);
	shorter_text = captured_stop(&shorter);

	glib_line = without_stamps(glib_text);
	our_line = without_stamps(our_text);
	g_assert_cmpstr(our_line, ==, glib_line);
	if (plain) {
		g_autofree gchar *shorter_line = without_stamps(shorter_text);
		g_assert_cmpstr(shorter_line, ==, glib_line);
	} else {
		g_assert_cmpstr(shorter_text, ==, "");
	}
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

/* no domain (GLib writes "** " first), or a MESSAGE of a given length:
 * GLib's lines to write */
static void
test_log_writer_not_text(void)
{
	const GLogField no_domain[] = {{"MESSAGE", "no domain", -1}};
	const GLogField sized[] = {{"MESSAGE", "sized", 5}, {"GLIB_DOMAIN", "ApWeb", -1}};
	Captured c = {NULL};
	g_autofree gchar *text = NULL;

	captured_start(&c);
	g_assert_false(ap_log_writer_write_plain(no_domain, G_N_ELEMENTS(no_domain)));
	g_assert_false(ap_log_writer_write_plain(sized, G_N_ELEMENTS(sized)));
	text = captured_stop(&c);
	g_assert_cmpstr(text, ==, "");
}

/* HH:MM:SS.mmm of @usec, local time, as GLib writes it */
static gchar *
local_stamp(gint64 usec)
{
	time_t secs = (time_t)(usec / G_USEC_PER_SEC);
	struct tm tm;
	gchar hms[16];

	g_assert_nonnull(localtime_r(&secs, &tm));
	g_assert_cmpuint(strftime(hms, sizeof(hms), "%H:%M:%S", &tm), ==, 8);
	return g_strdup_printf("%s.%03d", hms, (gint)((usec / 1000) % 1000));
}

/* the time stamp is the local time, to the millisecond, between the
 * instants before and after (the tests run with TZ=UTC: main() sets a
 * zone with a half-hour offset) */
static void
test_log_writer_stamp(void)
{
	gsize n_fields;
	const GLogField *fields = access_fields("GET /healthz 200 0.100 ms", &n_fields);
	Captured c = {NULL};
	g_autofree gchar *text = NULL;
	g_autofree gchar *first = NULL;
	g_autofree gchar *last = NULL;
	g_autofree gchar *stamp = NULL;
	gint64 before, after;

	before = g_get_real_time();
	captured_start(&c);
	g_assert_true(ap_log_writer_write_plain(fields, n_fields));
	text = captured_stop(&c);
	after = g_get_real_time();

	g_assert_true(g_str_has_prefix(text, "ApWeb-Message: "));
	stamp = g_strndup(text + strlen("ApWeb-Message: "), 12);
	first = local_stamp(before);
	last = local_stamp(after);
	/* between the two, or either side of midnight */
	if (g_strcmp0(first, last) <= 0)
		g_assert_true(g_strcmp0(first, stamp) <= 0 && g_strcmp0(stamp, last) <= 0);
	else
		g_assert_true(g_strcmp0(first, stamp) <= 0 || g_strcmp0(stamp, last) <= 0);
}

/* installed, it writes what g_log_structured() is given */
static void
test_log_writer_installed(void)
{
	Captured c = {NULL};
	g_autofree gchar *text = NULL;
	g_autofree gchar *line = NULL;

	captured_start(&c);
	ap_log_writer_install();
	g_log_structured(
		"ApWeb", G_LOG_LEVEL_MESSAGE, "MESSAGE", "GET %s 200 1.000 ms", "/healthz");
	text = captured_stop(&c);
	line = without_stamps(text);
	g_assert_cmpstr(line, ==, "ApWeb-Message: 00:00:00.000: GET /healthz 200 1.000 ms\n");
}

int
main(int argc, char **argv)
{
	/* the shape of line this writer writes for itself, whatever the
	 * environment of the test run; a zone half an hour off the hour */
	g_unsetenv("G_MESSAGES_PREFIXED");
	g_setenv("TZ", "Asia/Kolkata", TRUE);
	tzset();
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/log-writer/plain", test_log_writer_plain);
	g_test_add_func("/log-writer/not-plain", test_log_writer_not_plain);
	g_test_add_func("/log-writer/not-text", test_log_writer_not_text);
	g_test_add_func("/log-writer/stamp", test_log_writer_stamp);
	g_test_add_func("/log-writer/installed", test_log_writer_installed);
	return g_test_run();
}
