/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "ap-test-util.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>

/**
 * ap_test_run:
 * @input: (nullable): fed to standard input
 * @argv: the command
 *
 * Runs a command to its end.
 *
 * Returns: (transfer full): its status and output
 */
ApTestRun *
ap_test_run(const gchar *input, const gchar *const *argv)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GSubprocess) proc = NULL;
	ApTestRun *run = g_new0(ApTestRun, 1);

	/* a command that fails before reading its input must not kill us */
	signal(SIGPIPE, SIG_IGN);
	proc = g_subprocess_newv(argv,
				 G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
				     G_SUBPROCESS_FLAGS_STDERR_PIPE,
				 &error);
	g_assert_no_error(error);
	g_assert_true(g_subprocess_communicate_utf8(proc, input, NULL, &run->out, &run->err, &error));
	g_assert_no_error(error);
	run->status = g_subprocess_get_if_exited(proc) ? g_subprocess_get_exit_status(proc) : -1;
	{
		g_autofree gchar *line = g_strjoinv(" ", (gchar **)argv);
		g_test_message("%s → %d\nstdout: %s\nstderr: %s", line, run->status, run->out, run->err);
	}
	return run;
}

void
ap_test_run_free(ApTestRun *run)
{
	if (run == NULL)
		return;
	g_free(run->out);
	g_free(run->err);
	g_free(run);
}

/**
 * ap_test_assert_one_line_error:
 *
 * A failed command says why in exactly one line on standard error.
 */
void
ap_test_assert_one_line_error(ApTestRun *run)
{
	const gchar *nl;

	g_assert_cmpint(run->status, !=, 0);
	g_assert_cmpuint(strlen(run->err), >, 0);
	nl = strchr(run->err, '\n');
	g_assert_nonnull(nl);
	g_assert_cmpstr(nl + 1, ==, "");
}

gchar *
ap_test_make_dir(void)
{
	g_autoptr(GError) error = NULL;
	gchar *dir = g_dir_make_tmp("appoint-test-XXXXXX", &error);
	g_assert_no_error(error);
	return dir;
}

/**
 * ap_test_remove_dir:
 *
 * Removes @dir and everything below it.
 */
void
ap_test_remove_dir(const gchar *dir)
{
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	const gchar *name;

	while (d != NULL && (name = g_dir_read_name(d)) != NULL) {
		g_autofree gchar *path = g_build_filename(dir, name, NULL);
		if (g_file_test(path, G_FILE_TEST_IS_DIR) && !g_file_test(path, G_FILE_TEST_IS_SYMLINK))
			ap_test_remove_dir(path);
		else
			g_unlink(path);
	}
	g_rmdir(dir);
}

/**
 * ap_test_write_config:
 * @dir: a temporary folder
 * @extra: (nullable): more lines for the end of the file
 *
 * Returns: (transfer full): the path of a configuration that listens on a
 * free port of 127.0.0.1 and keeps everything in @dir
 */
gchar *
ap_test_write_config(const gchar *dir, const gchar *extra)
{
	g_autoptr(GError) error = NULL;
	gchar *path = g_build_filename(dir, "appoint.conf", NULL);
	g_autofree gchar *text = g_strdup_printf("[server]\n"
						 "listen = 127.0.0.1:0\n"
						 "[database]\n"
						 "path = %s/appoint.db\n"
						 "[mail]\n"
						 "transport = maildir:%s/maildir\n"
						 "%s",
						 dir,
						 dir,
						 extra != NULL ? extra : "");
	g_assert_true(g_file_set_contents(path, text, -1, &error));
	g_assert_no_error(error);
	return path;
}
