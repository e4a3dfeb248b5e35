/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "ap-test-util.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "ap-secret.h"
#include "ap-sqlite-db.h"
#include "ap-sqlite-store.h"
#include "ap-time.h"

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
	g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new(
		G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
	g_autofree gchar *input_path = NULL;
	ApTestRun *run = g_new0(ApTestRun, 1);

	/* the input comes from a file, not a pipe: a command that fails
	 * before reading it would break the pipe, and communicate() would
	 * then fail without the command's output */
	if (input != NULL) {
		gint fd = g_file_open_tmp("ap-test-input-XXXXXX", &input_path, &error);
		g_assert_no_error(error);
		close(fd);
		g_assert_true(g_file_set_contents(input_path, input, -1, &error));
		g_assert_no_error(error);
		g_subprocess_launcher_set_stdin_file_path(launcher, input_path);
	} else {
		g_subprocess_launcher_set_stdin_file_path(launcher, "/dev/null");
	}
	proc = g_subprocess_launcher_spawnv(launcher, argv, &error);
	g_assert_no_error(error);
	g_assert_true(
		g_subprocess_communicate_utf8(proc, NULL, NULL, &run->out, &run->err, &error));
	g_assert_no_error(error);
	if (input_path != NULL)
		g_unlink(input_path);
	run->status = g_subprocess_get_if_exited(proc) ? g_subprocess_get_exit_status(proc) : -1;
	{
		g_autofree gchar *line = g_strjoinv(" ", (gchar **)argv);
		g_test_message(
			"%s → %d\nstdout: %s\nstderr: %s", line, run->status, run->out, run->err);
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
		if (g_file_test(path, G_FILE_TEST_IS_DIR) &&
		    !g_file_test(path, G_FILE_TEST_IS_SYMLINK))
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

/**
 * ap_test_instant:
 * @text: an RFC 3339 date and time that must parse
 *
 * Returns: the instant @text names
 */
gint64
ap_test_instant(const gchar *text)
{
	g_autoptr(GError) error = NULL;
	gint64 instant = 0;
	gboolean ok = ap_time_parse_rfc3339(text, &instant, &error);

	g_assert_no_error(error);
	g_assert_true(ok);
	return instant;
}

/**
 * ap_test_date:
 * @text: a YYYY-MM-DD date that must parse
 * @date: (out): the date
 */
void
ap_test_date(const gchar *text, GDate *date)
{
	g_autoptr(GError) error = NULL;
	gboolean ok = ap_date_parse(text, date, &error);

	g_assert_no_error(error);
	g_assert_true(ok);
}

/**
 * ap_test_at:
 *
 * The store tests book in March 2031 (Tuesday the 4th is their usual day),
 * far enough ahead to be cancellable.
 *
 * Returns: @day March 2031, @hour:@minute UTC
 */
gint64
ap_test_at(gint day, gint hour, gint minute)
{
	g_autoptr(GDateTime) dt = g_date_time_new_utc(2031, 3, day, hour, minute, 0);
	return g_date_time_to_unix(dt);
}

/**
 * ap_test_store_open:
 * @path: a database file, made with its folders if missing
 *
 * Returns: (transfer full): an #ApSqliteStore on @path
 */
ApStore *
ap_test_store_open(const gchar *path)
{
	g_autoptr(GError) error = NULL;
	ApStore *store = ap_sqlite_store_new(path, &error);

	g_assert_no_error(error);
	g_assert_nonnull(store);
	return store;
}

/**
 * ap_test_add_expert:
 * @email: the expert's email, also their name
 * @services: the services they give, comma separated
 * @last_day: hours of 09:00-17:00 from Monday to this day, or
 *   %G_DATE_BAD_WEEKDAY for none
 *
 * Returns: the new expert's id
 */
gint64
ap_test_add_expert(ApStore *store, const gchar *email, const gchar *services, GDateWeekday last_day)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ApExpert) e = ap_expert_new();
	g_auto(GStrv) ids = g_strsplit(services, ",", -1);

	e->name = g_strdup(email);
	e->email = g_strdup(email);
	for (guint i = 0; ids[i] != NULL; i++)
		g_ptr_array_add(e->services, g_strdup(ids[i]));
	for (GDateWeekday d = G_DATE_MONDAY; d <= last_day; d++) {
		ap_weekly_hours_add(e->hours, d, 9 * 60, 17 * 60, &error);
		g_assert_no_error(error);
	}
	ap_store_expert_create(store, e, &error);
	g_assert_no_error(error);
	g_assert_cmpint(e->id, >, 0);
	return e->id;
}

/**
 * ap_test_booking_draft:
 * @service: what is booked
 * @start: when
 * @name: the customer's name, and the local part of their email
 *
 * Returns: (transfer full): a booking of @service at @start, with a fresh
 * token hash and calendar UID, ready for ap_store_booking_create()
 */
ApBooking *
ap_test_booking_draft(const ApService *service, gint64 start, const gchar *name)
{
	g_autofree gchar *uuid = g_uuid_string_random();
	ApBooking *b = ap_booking_new();

	b->token_hash = ap_token_hash(uuid);
	b->service_id = g_strdup(service->id);
	b->start = start;
	b->end = start + (gint64)service->duration_minutes * 60;
	b->customer_name = g_strdup(name);
	b->customer_email = g_strdup_printf("%s@example.org", name);
	b->ical_uid = g_strdup_printf("%s@appoint.test", uuid);
	return b;
}

/**
 * ap_test_candidate_init:
 *
 * Makes @candidate offer @expert_id for @start, taking the expert's day to
 * be the UTC day of @start.
 */
void
ap_test_candidate_init(ApCandidate *candidate, gint64 expert_id, gint64 start)
{
	/* a UTC day is 86400 seconds of Unix time; round down, before 1970 too */
	gint64 day_start = start - ((start % 86400) + 86400) % 86400;

	candidate->expert_id = expert_id;
	candidate->day_start = day_start;
	candidate->day_end = day_start + 86400;
}

/**
 * ap_test_db_open:
 *
 * Opens an existing database file directly, beside the store, to look at
 * or tamper with what the store wrote.
 *
 * Returns: (transfer full): the connection
 */
sqlite3 *
ap_test_db_open(const gchar *path)
{
	sqlite3 *db = NULL;

	/* SQLite set up as appointd sets it up, whichever opens it first */
	ap_sqlite_library_init();
	g_assert_cmpint(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	return db;
}

/**
 * ap_test_db_int:
 *
 * Returns: the first column of the first row of @sql, which must have one
 */
gint64
ap_test_db_int(sqlite3 *db, const gchar *sql)
{
	g_autoptr(sqlite3_stmt) stmt = NULL;

	g_assert_cmpint(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
	g_assert_cmpint(sqlite3_step(stmt), ==, SQLITE_ROW);
	return sqlite3_column_int64(stmt, 0);
}

/**
 * ap_test_db_has_index:
 *
 * Returns: whether the database has an index called @name
 */
gboolean
ap_test_db_has_index(sqlite3 *db, const gchar *name)
{
	g_autoptr(sqlite3_stmt) stmt = NULL;

	g_assert_cmpint(
		sqlite3_prepare_v2(db,
				   "SELECT 1 FROM sqlite_schema WHERE type = 'index' AND name = ?1",
				   -1,
				   &stmt,
				   NULL),
		==,
		SQLITE_OK);
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_TRANSIENT);
	return sqlite3_step(stmt) == SQLITE_ROW;
}

/**
 * ap_test_db_plan:
 * @query: a statement, without `EXPLAIN QUERY PLAN`
 *
 * Returns: (transfer full): how SQLite would run @query, a line a step
 */
gchar *
ap_test_db_plan(sqlite3 *db, const gchar *query)
{
	g_autoptr(sqlite3_stmt) plan = NULL;
	g_autofree gchar *sql = g_strconcat("EXPLAIN QUERY PLAN ", query, NULL);
	GString *details = g_string_new(NULL);

	g_assert_cmpint(sqlite3_prepare_v2(db, sql, -1, &plan, NULL), ==, SQLITE_OK);
	while (sqlite3_step(plan) == SQLITE_ROW)
		g_string_append_printf(details, "%s\n", sqlite3_column_text(plan, 3));
	g_test_message("plan of %s: %s", query, details->str);
	return g_string_free(details, FALSE);
}

/**
 * ap_test_assert_busy_plan:
 *
 * An expert's active bookings near a time, as ap_sqlite_busy_load()
 * asks for them, are found through the seats' index, and the index by
 * (expert, block start) that schema version 8 dropped is gone.
 */
void
ap_test_assert_busy_plan(sqlite3 *db)
{
	g_autofree gchar *plan = ap_test_db_plan(
		db,
		"SELECT id, block_start, block_end FROM bookings WHERE expert_id = 1 "
		"AND start_at > 0 AND start_at < 100000 "
		"AND block_start < 90000 AND block_end > 10000 "
		"AND status != 'cancelled' AND id != 0 ORDER BY start_at, id");

	g_assert_false(ap_test_db_has_index(db, "bookings_expert_block"));
	g_assert_nonnull(strstr(
		plan, "USING INDEX bookings_seat (expert_id=? AND start_at>? AND start_at<?)"));
}

/**
 * ap_test_db_text:
 *
 * Returns: (transfer full): the first column of the first row of @sql
 */
gchar *
ap_test_db_text(sqlite3 *db, const gchar *sql)
{
	g_autoptr(sqlite3_stmt) stmt = NULL;

	g_assert_cmpint(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
	g_assert_cmpint(sqlite3_step(stmt), ==, SQLITE_ROW);
	return g_strdup((const gchar *)sqlite3_column_text(stmt, 0));
}
