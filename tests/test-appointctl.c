/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "ap-secret.h"
#include "ap-sqlite-store.h"
#include "ap-test-util.h"
#include "ap-time.h"

/* appointctl as an administrator uses it: the real binary, a real
 * database file, one clear line on stderr for every mistake */

typedef struct {
	gchar *dir;
	gchar *config;
} Fixture;

static void
fixture_set_up(Fixture *f, gconstpointer user_data)
{
	f->dir = ap_test_make_dir();
	f->config = ap_test_write_config(f->dir, NULL);
}

static void
fixture_tear_down(Fixture *f, gconstpointer user_data)
{
	ap_test_remove_dir(f->dir);
	g_free(f->dir);
	g_free(f->config);
}

/* appointctl --config FILE ARGS…, with @input on stdin */
static ApTestRun *
ctl(Fixture *f, const gchar *input, ...)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	va_list ap;
	const gchar *arg;

	g_ptr_array_add(argv, (gpointer)g_getenv("APPOINTCTL"));
	g_ptr_array_add(argv, (gpointer) "--config");
	g_ptr_array_add(argv, f->config);
	va_start(ap, input);
	while ((arg = va_arg(ap, const gchar *)) != NULL)
		g_ptr_array_add(argv, (gpointer)arg);
	va_end(ap);
	g_ptr_array_add(argv, NULL);
	return ap_test_run(input, (const gchar *const *)argv->pdata);
}

static guint
count_lines(const gchar *text)
{
	guint n = 0;
	for (const gchar *p = text; *p != '\0'; p++)
		n += *p == '\n';
	return n;
}

static ApStore *
open_store(Fixture *f)
{
	g_autofree gchar *db = g_build_filename(f->dir, "appoint.db", NULL);
	return ap_test_store_open(db);
}

static void
test_ctl_user_and_token(Fixture *f, gconstpointer user_data)
{
	g_autoptr(ApTestRun) add = ctl(f,
				       "s3cret-passw0rd\n",
				       "user",
				       "add",
				       "--email",
				       "admin@example.com",
				       "--name",
				       "Ada Admin",
				       "--role",
				       "admin",
				       NULL);
	g_autoptr(ApTestRun) again = ctl(f,
					 "other-password\n",
					 "user",
					 "add",
					 "--email",
					 "ADMIN@example.com",
					 "--name",
					 "Ada",
					 "--role",
					 "staff",
					 NULL);
	g_autoptr(ApTestRun) token =
		ctl(f, NULL, "token", "create", "--email", "admin@example.com", NULL);
	g_autoptr(ApTestRun) token2 =
		ctl(f, NULL, "token", "create", "--email", "admin@example.com", NULL);
	g_autoptr(ApStore) store = NULL;
	g_autoptr(ApUser) user = NULL;
	g_autoptr(ApUser) user2 = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *line = NULL;
	g_autofree gchar *hash = NULL;
	g_autofree gchar *hash2 = NULL;

	g_assert_cmpint(add->status, ==, 0);
	g_assert_cmpstr(add->err, ==, "");
	/* emails are unique whatever their case */
	ap_test_assert_one_line_error(again);

	/* the token alone on one line */
	g_assert_cmpint(token->status, ==, 0);
	g_assert_true(g_str_has_prefix(token->out, "apt_"));
	g_assert_cmpuint(strlen(token->out), ==, strlen("apt_") + 43 + 1);
	g_assert_true(g_str_has_suffix(token->out, "\n"));
	g_assert_cmpstr(token->out, !=, token2->out);

	store = open_store(f);
	line = g_strndup(token->out, strlen(token->out) - 1);
	hash = ap_token_hash(line);
	user = ap_store_user_get_by_token(store, hash, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(user->email, ==, "admin@example.com");
	g_assert_cmpint(user->role, ==, AP_ROLE_ADMIN);
	g_assert_true(ap_password_verify(user->password_hash, "s3cret-passw0rd"));
	g_assert_false(ap_password_verify(user->password_hash, "s3cret-passw0rd\n"));
	/* only the hash is stored */
	hash2 = ap_token_hash("apt_not-a-token");
	user2 = ap_store_user_get_by_token(store, hash2, &error);
	g_assert_null(user2);
	g_assert_nonnull(error);
}

static void
test_ctl_user_errors(Fixture *f, gconstpointer user_data)
{
	g_autoptr(ApTestRun) expert = ctl(f,
					  NULL,
					  "expert",
					  "add",
					  "--name",
					  "Ed Expert",
					  "--email",
					  "ed@example.com",
					  "--services",
					  "nursery",
					  "--timezone",
					  "Europe/London",
					  NULL);
	g_autofree gchar *id = g_strstrip(g_strdup(expert->out));
	const gchar *pw = "password123\n";
	struct {
		const gchar *input;
		const gchar *args[12];
	} bad[] = {
		{pw,
		 {"user",
		  "add",
		  "--email",
		  "e@example.com",
		  "--name",
		  "E",
		  "--role",
		  "expert",
		  NULL}},
		{pw,
		 {"user",
		  "add",
		  "--email",
		  "e@example.com",
		  "--name",
		  "E",
		  "--role",
		  "expert",
		  "--expert",
		  "999",
		  NULL}},
		{pw,
		 {"user",
		  "add",
		  "--email",
		  "e@example.com",
		  "--name",
		  "E",
		  "--role",
		  "expert",
		  "--expert",
		  "abc",
		  NULL}},
		{pw,
		 {"user",
		  "add",
		  "--email",
		  "e@example.com",
		  "--name",
		  "E",
		  "--role",
		  "staff",
		  "--expert",
		  id,
		  NULL}},
		{pw,
		 {"user",
		  "add",
		  "--email",
		  "e@example.com",
		  "--name",
		  "E",
		  "--role",
		  "owner",
		  NULL}},
		{pw,
		 {"user",
		  "add",
		  "--email",
		  "not-an-email",
		  "--name",
		  "E",
		  "--role",
		  "staff",
		  NULL}},
		{pw, {"user", "add", "--email", "e@example.com", "--role", "staff", NULL}},
		{"",
		 {"user",
		  "add",
		  "--email",
		  "e@example.com",
		  "--name",
		  "E",
		  "--role",
		  "staff",
		  NULL}},
		{"\n",
		 {"user",
		  "add",
		  "--email",
		  "e@example.com",
		  "--name",
		  "E",
		  "--role",
		  "staff",
		  NULL}},
		{pw,
		 {"user",
		  "add",
		  "--email",
		  "e@example.com",
		  "--name",
		  "E",
		  "--role",
		  "staff",
		  "extra",
		  NULL}},
		{NULL, {"token", "create", "--email", "nobody@example.com", NULL}},
		{NULL, {"token", "create", NULL}},
		{NULL, {"frobnicate", NULL}},
		{NULL, {"user", "remove", NULL}},
		{NULL,
		 {"expert",
		  "add",
		  "--name",
		  "X",
		  "--email",
		  "x@example.com",
		  "--services",
		  "juggling",
		  "--timezone",
		  "Europe/London",
		  NULL}},
		{NULL,
		 {"expert",
		  "add",
		  "--name",
		  "X",
		  "--email",
		  "x@example.com",
		  "--services",
		  "nursery",
		  "--timezone",
		  "Mars/Base",
		  NULL}},
		{NULL, {"hours", "set", "--expert", id, "mon=09:00-25:00", NULL}},
		{NULL, {"hours", "set", "--expert", id, "funday=09:00-17:00", NULL}},
		{NULL, {"hours", "set", "--expert", id, "mon=09:00-12:00,11:00-13:00", NULL}},
		{NULL,
		 {"time-off",
		  "add",
		  "--expert",
		  id,
		  "--start",
		  "2027-01-01",
		  "--end",
		  "2027-01-02T00:00:00Z",
		  NULL}},
		{NULL,
		 {"time-off",
		  "add",
		  "--expert",
		  id,
		  "--start",
		  "2027-01-02T00:00:00Z",
		  "--end",
		  "2027-01-01T00:00:00Z",
		  NULL}},
		{NULL, {"booking", "show", "ZZZZZZZZ", NULL}},
		{NULL, {"booking", "cancel", "ZZZZZZZZ", NULL}},
		{NULL,
		 {"slots",
		  "--service",
		  "nursery",
		  "--from",
		  "2027-01-01",
		  "--to",
		  "2027-06-01",
		  NULL}},
	};
	g_autoptr(ApStore) store = NULL;
	g_autoptr(GError) error = NULL;

	g_assert_cmpint(expert->status, ==, 0);
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(GPtrArray) argv = g_ptr_array_new();
		g_autoptr(ApTestRun) run = NULL;
		g_ptr_array_add(argv, (gpointer)g_getenv("APPOINTCTL"));
		g_ptr_array_add(argv, (gpointer) "--config");
		g_ptr_array_add(argv, f->config);
		for (guint j = 0; bad[i].args[j] != NULL; j++)
			g_ptr_array_add(argv, (gpointer)bad[i].args[j]);
		g_ptr_array_add(argv, NULL);
		run = ap_test_run(bad[i].input, (const gchar *const *)argv->pdata);
		ap_test_assert_one_line_error(run);
		g_assert_true(g_str_has_prefix(run->err, "appointctl: "));
	}
	/* and none of it left a user behind */
	store = open_store(f);
	g_assert_null(ap_store_user_get_by_email(store, "e@example.com", &error));
}

static void
test_ctl_expert_user(Fixture *f, gconstpointer user_data)
{
	g_autoptr(ApTestRun) expert = ctl(f,
					  NULL,
					  "expert",
					  "add",
					  "--name",
					  "Grace O'Neill",
					  "--email",
					  "grace@example.com",
					  "--services",
					  "nursery,home-design",
					  "--timezone",
					  "Europe/London",
					  "--branch",
					  "Belfast",
					  NULL);
	g_autofree gchar *id = g_strstrip(g_strdup(expert->out));
	g_autoptr(ApTestRun) user = ctl(f,
					"a-long-password\n",
					"user",
					"add",
					"--email",
					"grace@example.com",
					"--name",
					"Grace",
					"--role",
					"expert",
					"--expert",
					id,
					NULL);
	g_autoptr(ApTestRun) hours = ctl(f,
					 NULL,
					 "hours",
					 "set",
					 "--expert",
					 id,
					 "mon=09:00-12:00,13:00-17:00",
					 "sat=22:00-02:00",
					 NULL);
	g_autoptr(ApTestRun) override =
		ctl(f, NULL, "hours", "override", "--expert", id, "2027-12-25=", NULL);
	g_autoptr(ApTestRun) off = ctl(f,
				       NULL,
				       "time-off",
				       "add",
				       "--expert",
				       id,
				       "--start",
				       "2027-08-01T00:00:00+01:00",
				       "--end",
				       "2027-08-15T00:00:00+01:00",
				       "--reason",
				       "holiday",
				       NULL);
	g_autoptr(ApTestRun) list = ctl(f, NULL, "expert", "list", NULL);
	g_autoptr(ApStore) store = open_store(f);
	g_autoptr(GError) error = NULL;
	g_autoptr(ApUser) u = NULL;
	g_autoptr(ApExpert) e = NULL;
	gint64 expert_id = g_ascii_strtoll(id, NULL, 10);

	g_assert_cmpint(expert->status, ==, 0);
	g_assert_cmpint(user->status, ==, 0);
	g_assert_cmpint(hours->status, ==, 0);
	g_assert_cmpint(override->status, ==, 0);
	g_assert_cmpint(off->status, ==, 0);
	g_assert_cmpint(list->status, ==, 0);
	g_assert_nonnull(strstr(list->out, "Grace O'Neill"));
	g_assert_nonnull(strstr(list->out, "mon 09:00-12:00,13:00-17:00"));
	g_assert_nonnull(strstr(list->out, "sat 22:00-02:00"));

	u = ap_store_user_get_by_email(store, "grace@example.com", &error);
	g_assert_no_error(error);
	g_assert_cmpint(u->role, ==, AP_ROLE_EXPERT);
	g_assert_cmpint(u->expert_id, ==, expert_id);
	e = ap_store_expert_get(store, expert_id, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(e->services->len, ==, 2);
	g_assert_cmpuint(ap_weekly_hours_get_day(e->hours, G_DATE_MONDAY)->len, ==, 2);
	g_assert_cmpuint(ap_weekly_hours_get_day(e->hours, G_DATE_TUESDAY)->len, ==, 0);
	g_assert_cmpuint(
		g_array_index(ap_weekly_hours_get_day(e->hours, G_DATE_SATURDAY), ApTimeRange, 0)
			.end,
		==,
		26 * 60);
	g_assert_cmpuint(e->overrides->len, ==, 1);
	g_assert_cmpuint(
		((ApDateOverride *)g_ptr_array_index(e->overrides, 0))->ranges->len, ==, 0);
	g_assert_cmpuint(e->time_off->len, ==, 1);
	g_assert_cmpstr(((ApTimeOff *)g_ptr_array_index(e->time_off, 0))->reason, ==, "holiday");
}

/* demo data, then what staff at a terminal do with bookings */
static void
test_ctl_demo_and_bookings(Fixture *f, gconstpointer user_data)
{
	g_autoptr(ApTestRun) demo = ctl(f, NULL, "demo", NULL);
	g_autoptr(ApTestRun) demo2 = ctl(f, NULL, "demo", NULL);
	g_autoptr(ApTestRun) services = ctl(f, NULL, "service", "list", NULL);
	g_autoptr(ApTestRun) list = ctl(f, NULL, "booking", "list", NULL);
	g_autoptr(ApTestRun) by_phone =
		ctl(f, NULL, "booking", "list", "--q", "07700 900101", NULL);
	g_autoptr(ApTestRun) show = NULL;
	g_autoptr(ApTestRun) cancel = NULL;
	g_autoptr(ApTestRun) cancel2 = NULL;
	g_autoptr(ApTestRun) backup = NULL;
	g_autoptr(ApTestRun) backup2 = NULL;
	g_autofree gchar *reference = NULL;
	g_autofree gchar *copy = g_build_filename(f->dir, "copy.db", NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(ApStore) restored = NULL;
	g_autoptr(GPtrArray) found = NULL;
	ApBookingQuery all = {.from = G_MININT64, .to = G_MAXINT64, .limit = 1000};

	g_assert_cmpint(demo->status, ==, 0);
	g_assert_cmpint(demo2->status, ==, 0);
	g_assert_nonnull(strstr(demo2->out, "already present"));
	g_assert_nonnull(strstr(services->out, "personal-styling"));
	g_assert_nonnull(strstr(services->out, "home-design"));
	g_assert_nonnull(strstr(services->out, "nursery"));

	g_assert_cmpint(list->status, ==, 0);
	g_assert_cmpuint(count_lines(list->out), >=, 3);
	/* +44 7700 900101, typed as a UK number */
	g_assert_cmpint(by_phone->status, ==, 0);
	g_assert_nonnull(strstr(by_phone->out, "Olivia Bennett"));
	reference = g_strndup(by_phone->out, 8);

	show = ctl(f, NULL, "booking", "show", reference, NULL);
	g_assert_cmpint(show->status, ==, 0);
	g_assert_nonnull(strstr(show->out, "created"));
	g_assert_nonnull(strstr(show->out, "Wedding or formal event"));

	cancel = ctl(f, NULL, "booking", "cancel", reference, "--reason", "customer called", NULL);
	g_assert_cmpint(cancel->status, ==, 0);
	g_assert_nonnull(strstr(cancel->out, "cancelled"));
	cancel2 = ctl(f, NULL, "booking", "cancel", reference, NULL);
	ap_test_assert_one_line_error(cancel2);

	backup = ctl(f, NULL, "backup", copy, NULL);
	g_assert_cmpint(backup->status, ==, 0);
	backup2 = ctl(f, NULL, "backup", copy, NULL);
	ap_test_assert_one_line_error(backup2);
	restored = ap_sqlite_store_new(copy, &error);
	g_assert_no_error(error);
	found = ap_store_bookings_search(restored, &all, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(found->len, ==, count_lines(list->out));
}

/* a staff member moves a booking to another free slot from the terminal */
static void
test_ctl_reschedule(Fixture *f, gconstpointer user_data)
{
	g_autoptr(ApTestRun) demo = ctl(f, NULL, "demo", NULL);
	g_autoptr(ApTestRun) list = ctl(f, NULL, "booking", "list", "--q", "james.carter", NULL);
	g_autoptr(GDateTime) now = g_date_time_new_now_utc();
	g_autoptr(GDateTime) later = g_date_time_add_days(now, 14);
	g_autoptr(GDateTime) end = g_date_time_add_days(now, 20);
	g_autofree gchar *from = g_date_time_format(later, "%Y-%m-%d");
	g_autofree gchar *to = g_date_time_format(end, "%Y-%m-%d");
	g_autoptr(ApTestRun) slots =
		ctl(f, NULL, "slots", "--service", "home-design", "--from", from, "--to", to, NULL);
	g_autofree gchar *reference = g_strndup(list->out, 8);
	g_autofree gchar *start = NULL;
	g_autoptr(ApTestRun) moved = NULL;
	g_autoptr(ApTestRun) off_grid = NULL;
	g_autoptr(ApStore) store = NULL;
	g_autoptr(ApBooking) b = NULL;
	g_autoptr(GError) error = NULL;
	gint64 expected;

	g_assert_cmpint(slots->status, ==, 0);
	g_assert_cmpuint(strlen(slots->out), >, 25);
	start = g_strndup(slots->out, strcspn(slots->out, "\t"));
	moved = ctl(f, NULL, "booking", "reschedule", reference, "--start", start, NULL);
	g_assert_cmpint(moved->status, ==, 0);
	off_grid = ctl(f,
		       NULL,
		       "booking",
		       "reschedule",
		       reference,
		       "--start",
		       "2030-01-01T09:07:00Z",
		       NULL);
	ap_test_assert_one_line_error(off_grid);

	store = open_store(f);
	b = ap_store_booking_get(store, reference, &error);
	g_assert_no_error(error);
	g_assert_true(ap_time_parse_rfc3339(start, &expected, NULL));
	g_assert_cmpint(b->start, ==, expected);
	g_assert_cmpint(b->sequence, ==, 1);
}

/* without --config: everything under $XDG_DATA_HOME/appoint */
static void
test_ctl_default_config(void)
{
	const gchar *argv[] = {g_getenv("APPOINTCTL"), "service", "list", NULL};
	g_autofree gchar *dir = ap_test_make_dir();
	g_autofree gchar *db = g_build_filename(dir, "appoint", "appoint.db", NULL);
	g_autoptr(ApTestRun) run = NULL;

	/* the isolated XDG folders of GTest are not in the environment */
	g_setenv("XDG_DATA_HOME", dir, TRUE);
	run = ap_test_run(NULL, argv);
	g_assert_cmpint(run->status, ==, 0);
	g_assert_nonnull(strstr(run->out, "personal-styling"));
	g_assert_true(g_file_test(db, G_FILE_TEST_IS_REGULAR));
	g_unsetenv("XDG_DATA_HOME");
	ap_test_remove_dir(dir);
}

static void
test_ctl_bad_config(void)
{
	g_autofree gchar *dir = ap_test_make_dir();
	g_autofree gchar *config = ap_test_write_config(dir, "[database]\nwal = on\n");
	const gchar *argv[] = {g_getenv("APPOINTCTL"), "--config", config, "service", "list", NULL};
	const gchar *no_file[] = {g_getenv("APPOINTCTL"), "--config", NULL};
	g_autoptr(ApTestRun) run = ap_test_run(NULL, argv);
	g_autoptr(ApTestRun) run2 = ap_test_run(NULL, no_file);

	ap_test_assert_one_line_error(run);
	g_assert_nonnull(strstr(run->err, "[database] wal"));
	g_assert_nonnull(strstr(run->err, config));
	ap_test_assert_one_line_error(run2);
	ap_test_remove_dir(dir);
}

/* generated data: as many bookings as asked, none of an expert's
 * overlapping another, the same from the same seed, only on a new
 * database */
static void
test_ctl_generate(Fixture *f, gconstpointer user_data)
{
	g_autoptr(ApTestRun) run = ctl(
		f, NULL, "generate", "--experts", "12", "--bookings", "3000", "--seed", "7", NULL);
	g_autoptr(ApTestRun) again = NULL;
	g_autoptr(ApTestRun) bad = NULL;
	g_autofree gchar *db_path = g_build_filename(f->dir, "appoint.db", NULL);
	g_autoptr(sqlite3) db = NULL;
	g_autofree gchar *first = NULL;
	g_autofree gchar *integrity = NULL;

	g_assert_cmpint(run->status, ==, 0);
	g_assert_nonnull(strstr(run->out, "12 experts, 3000 bookings"));
	db = ap_test_db_open(db_path);
	g_assert_cmpint(ap_test_db_int(db, "SELECT count(*) FROM experts"), ==, 12);
	g_assert_cmpint(ap_test_db_int(db, "SELECT count(*) FROM bookings"), ==, 3000);
	g_assert_cmpint(
		ap_test_db_int(db, "SELECT count(DISTINCT reference) FROM bookings"), ==, 3000);
	g_assert_cmpint(
		ap_test_db_int(db,
			       "SELECT count(*) FROM bookings a JOIN bookings b ON "
			       "a.expert_id = b.expert_id AND a.id < b.id AND "
			       "a.block_start < b.block_end AND b.block_start < a.block_end"),
		==,
		0);
	g_assert_cmpint(
		ap_test_db_int(db,
			       "SELECT count(*) FROM bookings WHERE start_at < strftime('%s') "
			       "AND status = 'confirmed'"),
		==,
		0);
	g_assert_cmpint(ap_test_db_int(db, "SELECT count(*) FROM time_off"), ==, 36);
	/* token hashes and UIDs of the size and order of real ones, as the
	 * benchmarks' unique indexes must be: the time each booking was made
	 * (hexadecimal milliseconds) first, then the random part */
	g_assert_cmpint(ap_test_db_int(db,
				       "SELECT count(DISTINCT token_hash) FROM bookings "
				       "WHERE length(token_hash) = 78 AND token_hash GLOB '~*' AND "
				       "substr(token_hash, 2, 12) = "
				       "printf('%012x', created_at * 1000) AND "
				       "substr(token_hash, 14, 1) = '-' AND "
				       "substr(token_hash, 15) NOT GLOB '*[^0-9a-f]*'"),
			==,
			3000);
	g_assert_cmpint(
		ap_test_db_int(
			db,
			"SELECT count(DISTINCT ical_uid) FROM bookings WHERE "
			"substr(ical_uid, 1, 12) = printf('%012x', created_at * 1000) AND "
			"substr(ical_uid, 13, 1) = '-' AND substr(ical_uid, 22, 1) = '-' AND "
			"substr(ical_uid, 28, 1) = '4' AND substr(ical_uid, 50, 1) = '@'"),
		==,
		3000);
	integrity = ap_test_db_text(db, "PRAGMA integrity_check");
	g_assert_cmpstr(integrity, ==, "ok");
	first = ap_test_db_text(db,
				"SELECT group_concat(start_at) FROM (SELECT start_at FROM bookings "
				"ORDER BY expert_id, start_at LIMIT 50)");

	again = ctl(f, NULL, "generate", NULL);
	ap_test_assert_one_line_error(again);
	bad = ctl(f, NULL, "generate", "--experts", "0", NULL);
	ap_test_assert_one_line_error(bad);

	/* the same seed on another database: the same times */
	{
		Fixture other = {.dir = ap_test_make_dir()};
		g_autoptr(ApTestRun) twin = NULL;
		g_autofree gchar *other_path = g_build_filename(other.dir, "appoint.db", NULL);
		g_autoptr(sqlite3) other_db = NULL;
		g_autofree gchar *second = NULL;

		other.config = ap_test_write_config(other.dir, NULL);
		twin = ctl(&other,
			   NULL,
			   "generate",
			   "--experts",
			   "12",
			   "--bookings",
			   "3000",
			   "--seed",
			   "7",
			   NULL);
		g_assert_cmpint(twin->status, ==, 0);
		other_db = ap_test_db_open(other_path);
		second = ap_test_db_text(other_db,
					 "SELECT group_concat(start_at) FROM (SELECT start_at FROM "
					 "bookings ORDER BY expert_id, start_at LIMIT 50)");
		g_clear_pointer(&other_db, sqlite3_close);
		g_assert_cmpstr(first, ==, second);
		fixture_tear_down(&other, NULL);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
#define ADD(path, func) g_test_add(path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
	ADD("/appointctl/user-and-token", test_ctl_user_and_token);
	ADD("/appointctl/user-errors", test_ctl_user_errors);
	ADD("/appointctl/expert-user", test_ctl_expert_user);
	ADD("/appointctl/demo-and-bookings", test_ctl_demo_and_bookings);
	ADD("/appointctl/reschedule", test_ctl_reschedule);
	ADD("/appointctl/generate", test_ctl_generate);
#undef ADD
	g_test_add_func("/appointctl/default-config", test_ctl_default_config);
	g_test_add_func("/appointctl/bad-config", test_ctl_bad_config);
	return g_test_run();
}
