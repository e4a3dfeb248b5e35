/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApCore"

#include "ap-log-writer.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/*
 * The daemon's log writer: GLib's default one, with a shorter way for
 * the line every request writes to the access log.
 *
 * g_log_writer_default() asks whether stderr is a terminal (an ioctl),
 * builds the line in a GString through printf, and writes it through
 * stdio, for every message; per request that was about 5 % of what a
 * cached answer costs. Here the questions are asked once, when the
 * writer is installed, and a plain message (G_LOG_LEVEL_MESSAGE, a
 * domain, printable ASCII) is put together on the stack and written
 * with one write(2), byte for byte the line GLib would write. Anything
 * else (other levels, the journal, colours, G_MESSAGES_PREFIXED, text
 * GLib would escape or convert) goes to g_log_writer_default() as
 * before. Two things differ, neither used by appointd: a MESSAGE made
 * fatal with g_log_set_always_fatal() is written but does not abort, and
 * the time stamp is in the zone TZ named when the process first asked
 * (localtime_r() does not read TZ again, as localtime() does; appointd
 * sets TZ once, at start-up).
 */

/* "DOMAIN-Message: HH:MM:SS.mmm: MESSAGE\n" fits, or GLib writes it */
#define AP_LOG_WRITER_LINE_MAX 1024

static gint ap_log_writer_plain;

/**
 * ap_log_writer_install:
 *
 * Makes ap_log_writer() the process's log writer. Call it early in
 * main(), once stderr is what it will stay; called again, it only looks
 * at stderr again (GLib takes one writer for the life of a process).
 */
void
ap_log_writer_install(void)
{
	static gsize installed = 0;
	gint fd = fileno(stderr);

	g_atomic_int_set(&ap_log_writer_plain,
			 fd >= 0 && !g_log_writer_is_journald(fd) &&
				 !g_log_writer_supports_color(fd) &&
				 g_getenv("G_MESSAGES_PREFIXED") == NULL);
	if (g_once_init_enter(&installed)) {
		g_log_set_writer_func(ap_log_writer, NULL, NULL);
		g_once_init_leave(&installed, 1);
	}
}

static gsize
ap_log_writer_append(gchar *line, gsize at, const gchar *text, gsize len)
{
	if (at + len > AP_LOG_WRITER_LINE_MAX)
		return AP_LOG_WRITER_LINE_MAX + 1;
	memcpy(line + at, text, len);
	return at + len;
}

static gboolean
ap_log_writer_is_plain_text(const gchar *text, gsize *len)
{
	const gchar *p;

	for (p = text; *p != '\0'; p++) {
		if (*p < 0x20 || *p > 0x7e)
			return FALSE;
	}
	*len = (gsize)(p - text);
	return TRUE;
}

static void
ap_log_writer_two_digits(gchar *out, gint value)
{
	out[0] = (gchar)('0' + value / 10 % 10);
	out[1] = (gchar)('0' + value % 10);
}

/**
 * ap_log_writer_write_plain:
 * @fields: (array length=n_fields): a message's fields
 * @n_fields: how many
 *
 * Writes the line of a plain message to stderr, as GLib would write it
 * at G_LOG_LEVEL_MESSAGE with no colours.
 *
 * Returns: %FALSE, having written nothing, when the message is not plain
 *   (no domain, text other than printable ASCII, over a line's room)
 */
gboolean
ap_log_writer_write_plain(const GLogField *fields, gsize n_fields)
{
	const gchar *message = NULL;
	const gchar *domain = NULL;
	gsize message_len = 0, domain_len = 0, at = 0;
	gchar line[AP_LOG_WRITER_LINE_MAX];
	gchar stamp[16];
	gint64 now = g_get_real_time();
	time_t secs = (time_t)(now / G_USEC_PER_SEC);
	struct tm tm;

	/* the first of each, as GLib reads them; a length of its own says
	 * the value may not be text, and GLib's line is GLib's to write */
	for (gsize i = 0; i < n_fields && (message == NULL || domain == NULL); i++) {
		if (message == NULL && g_strcmp0(fields[i].key, "MESSAGE") == 0) {
			if (fields[i].length >= 0)
				return FALSE;
			message = fields[i].value;
		} else if (domain == NULL && g_strcmp0(fields[i].key, "GLIB_DOMAIN") == 0) {
			if (fields[i].length >= 0)
				return FALSE;
			domain = fields[i].value;
		}
	}
	if (message == NULL || domain == NULL ||
	    !ap_log_writer_is_plain_text(message, &message_len) ||
	    !ap_log_writer_is_plain_text(domain, &domain_len) || localtime_r(&secs, &tm) == NULL)
		return FALSE;
	/* HH:MM:SS.mmm, as strftime("%H:%M:%S") and "%03d" give it */
	ap_log_writer_two_digits(stamp, tm.tm_hour);
	stamp[2] = ':';
	ap_log_writer_two_digits(stamp + 3, tm.tm_min);
	stamp[5] = ':';
	ap_log_writer_two_digits(stamp + 6, tm.tm_sec);
	stamp[8] = '.';
	stamp[9] = (gchar)('0' + (now / 100000) % 10);
	ap_log_writer_two_digits(stamp + 10, (gint)((now / 1000) % 100));
	at = ap_log_writer_append(line, at, domain, domain_len);
	at = ap_log_writer_append(line, at, "-Message: ", 10);
	at = ap_log_writer_append(line, at, stamp, 12);
	at = ap_log_writer_append(line, at, ": ", 2);
	at = ap_log_writer_append(line, at, message, message_len);
	at = ap_log_writer_append(line, at, "\n", 1);
	if (at > AP_LOG_WRITER_LINE_MAX)
		return FALSE;
	/* as GLib's writer, a line that cannot be written is dropped */
	for (gsize done = 0; done < at;) {
		gssize n = write(fileno(stderr), line + done, at - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		done += (gsize)n;
	}
	return TRUE;
}

/**
 * ap_log_writer:
 *
 * A #GLogWriterFunc: g_log_writer_default(), but for plain messages,
 * written as it would write them with less work (see above).
 */
GLogWriterOutput
ap_log_writer(GLogLevelFlags log_level, const GLogField *fields, gsize n_fields, gpointer user_data)
{
	if (log_level == G_LOG_LEVEL_MESSAGE && g_atomic_int_get(&ap_log_writer_plain) &&
	    ap_log_writer_write_plain(fields, n_fields))
		return G_LOG_WRITER_HANDLED;
	return g_log_writer_default(log_level, fields, n_fields, user_data);
}
