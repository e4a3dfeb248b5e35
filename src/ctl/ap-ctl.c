/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApCtl"

#include "ap-ctl.h"

#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "ap-error.h"

/**
 * ap_ctl_parse:
 * @context: the command's options
 * @argc: (inout): argument count
 * @argv: (inout): arguments; argv[0] is the command
 * @positional: how many arguments must remain after the options
 * @error: a #GError, or %NULL
 *
 * Returns: %TRUE if the options parsed and exactly @positional arguments
 * are left
 */
gboolean
ap_ctl_parse(GOptionContext *context, gint *argc, gchar ***argv, guint positional, GError **error)
{
	g_autoptr(GError) error_local = NULL;

	g_option_context_set_help_enabled(context, TRUE);
	if (!g_option_context_parse(context, argc, argv, &error_local)) {
		g_set_error(error, AP_ERROR, AP_ERROR_INVALID, "%s", error_local->message);
		return FALSE;
	}
	if ((guint)(*argc - 1) != positional) {
		if ((guint)(*argc - 1) > positional)
			g_set_error(error,
				    AP_ERROR,
				    AP_ERROR_INVALID,
				    "unexpected argument '%s'",
				    (*argv)[positional + 1]);
		else
			g_set_error(error, AP_ERROR, AP_ERROR_INVALID, "missing argument");
		return FALSE;
	}
	return TRUE;
}

/**
 * ap_ctl_read_password:
 * @error: a #GError, or %NULL
 *
 * Reads one line from standard input, without echo when it is a terminal.
 *
 * Returns: (transfer full) (nullable): the password, without its newline
 */
gchar *
ap_ctl_read_password(GError **error)
{
	gchar buf[1024];
	gboolean tty = isatty(STDIN_FILENO);
	struct termios old, quiet;
	gchar *line;
	gsize len;

	if (tty) {
		g_printerr("Password: ");
		tcgetattr(STDIN_FILENO, &old);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	line = fgets(buf, sizeof(buf), stdin);
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		g_printerr("\n");
	}
	if (line == NULL) {
		g_set_error(error, AP_ERROR, AP_ERROR_INVALID, "no password on standard input");
		return NULL;
	}
	len = strlen(buf);
	if (len == sizeof(buf) - 1 && buf[len - 1] != '\n') {
		g_set_error(error, AP_ERROR, AP_ERROR_INVALID, "the password is too long");
		return NULL;
	}
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		buf[--len] = '\0';
	if (len == 0) {
		g_set_error(error, AP_ERROR, AP_ERROR_INVALID, "the password is empty");
		return NULL;
	}
	line = g_strdup(buf);
	explicit_bzero(buf, sizeof(buf));
	return line;
}

/**
 * ap_ctl_parse_id:
 * @text: (nullable): a decimal id
 * @what: what it identifies, for the message
 * @id: (out): the id
 * @error: a #GError, or %NULL
 *
 * Returns: %TRUE if @text is a positive whole number
 */
gboolean
ap_ctl_parse_id(const gchar *text, const gchar *what, gint64 *id, GError **error)
{
	guint64 value = 0;

	if (text == NULL) {
		g_set_error(error, AP_ERROR, AP_ERROR_INVALID, "--%s is required", what);
		return FALSE;
	}
	if (!g_ascii_string_to_unsigned(text, 10, 1, G_MAXINT64, &value, NULL)) {
		g_set_error(
			error, AP_ERROR, AP_ERROR_INVALID, "--%s: '%s' is not an id", what, text);
		return FALSE;
	}
	*id = (gint64)value;
	return TRUE;
}
