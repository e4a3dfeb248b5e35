/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <sqlite3.h>
#include <string.h>

#include "ap-error.h"
#include "ap-sqlite-db.h"
#include "ap-sqlite-store.h"
#include "ap-test-store.h"

/*
 * The SQLite store against a real database file: opening and migrating,
 * the catalogue, experts, users and backups, the schema's second line of
 * defence, and that a failure leaves nothing half done and no transaction
 * open. Bookings are in test-store-bookings.c.
 */

typedef ApTestStoreFixture Fixture;

static void
test_open_twice(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ApStore) again = NULL;
	g_autoptr(GPtrArray) services = NULL;
	g_autoptr(ApBooking) b =
		ap_test_book(f->store, "nursery", ap_test_at(4, 10, 0), f->expert_a, &error);

	g_assert_no_error(error);
	g_assert_cmpuint(ap_sqlite_store_get_schema_version(AP_SQLITE_STORE(f->store)),
			 ==,
			 AP_SQLITE_SCHEMA_VERSION);
	g_clear_object(&f->store);

	/* reopening neither migrates again nor adds the catalogue twice */
	again = ap_sqlite_store_new(f->path, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(ap_sqlite_store_get_schema_version(AP_SQLITE_STORE(again)),
			 ==,
			 AP_SQLITE_SCHEMA_VERSION);
	services = ap_store_services_list(again, TRUE, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(services->len, ==, 3);
	g_assert_cmpuint(ap_test_count_bookings(again), ==, 1);

	/* and two connections may be open at once */
	f->store = ap_sqlite_store_new(f->path, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(ap_test_count_bookings(f->store), ==, 1);
}

static void
test_wal(Fixture *f, gconstpointer user_data)
{
	g_autoptr(sqlite3) db = ap_test_db_open(f->path);
	g_autofree gchar *mode = ap_test_db_text(db, "PRAGMA journal_mode");

	g_assert_cmpstr(mode, ==, "wal");
	g_assert_cmpint(ap_test_db_int(db, "PRAGMA user_version"), ==, AP_SQLITE_SCHEMA_VERSION);
	/* a new database is made by the same migrations as an old one is
	 * brought up to date by: the phone digits have no index (version 7) */
	g_assert_false(ap_test_db_has_index(db, "bookings_customer_phone"));
	/* nor the bookings (expert, block start), version 8 */
	ap_test_assert_busy_plan(db);
	g_assert_true(g_file_test(f->path, G_FILE_TEST_EXISTS));
}

/* the generations move at once with a commit of this process, through
 * any of its connections, and within AP_SQLITE_OTHERS_SEEN_US of another
 * process's: a bare SQLite connection, which has no hook to count its
 * commits, stands in for that one */
static void
test_generation_seen(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ApSqliteDb) db = ap_sqlite_db_open(f->path, &error);
	g_autoptr(ApSqliteDb) mine = ap_sqlite_db_open(f->path, &error);
	g_autoptr(sqlite3) theirs = ap_test_db_open(f->path);
	g_autoptr(ApSqliteTxn) txn = NULL;
	const gchar *bump = "UPDATE generations SET value = value + 1 WHERE name = 'catalogue'";
	guint64 g0;

	g_assert_no_error(error);
	g0 = ap_sqlite_db_get_generation(db);
	g_assert_cmpuint(g0, !=, 0);
	g_assert_cmpuint(ap_sqlite_db_get_generation(db), ==, g0);
	g_assert_true(ap_sqlite_db_exec(mine, bump, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(ap_sqlite_db_get_generation(db), ==, g0 + 1);
	g_assert_true(ap_sqlite_db_exec(db, bump, &error));
	g_assert_cmpuint(ap_sqlite_db_get_generation(db), ==, g0 + 2);

	g_assert_cmpint(sqlite3_exec(theirs, bump, NULL, NULL, NULL), ==, SQLITE_OK);
	g_usleep(AP_SQLITE_OTHERS_SEEN_US);
	g_assert_cmpuint(ap_sqlite_db_get_generation(db), ==, g0 + 3);
	g_assert_cmpuint(ap_sqlite_db_get_generation(mine), ==, g0 + 3);

	/* and a connection sees its own change before it commits it */
	txn = ap_sqlite_txn_begin(db, &error);
	g_assert_no_error(error);
	g_assert_true(ap_sqlite_db_exec(db, bump, &error));
	g_assert_cmpuint(ap_sqlite_db_get_generation(db), ==, g0 + 4);
	g_assert_true(ap_sqlite_txn_commit(txn, &error));
	g_assert_cmpuint(ap_sqlite_db_get_generation(mine), ==, g0 + 4);
}

/* @sql by another process (a bare connection), then the generation
 * @db reads once such a change may have been missed for the longest */
static guint64
generation_after_theirs(ApSqliteDb *db, sqlite3 *theirs, const gchar *sql)
{
	g_assert_cmpint(sqlite3_exec(theirs, sql, NULL, NULL, NULL), ==, SQLITE_OK);
	g_usleep(AP_SQLITE_OTHERS_SEEN_US);
	return ap_sqlite_db_get_generation(db);
}

/* a new booking has no trigger to count it (schema version 8): the
 * largest booking id says it is there, whoever wrote it, and a delete of
 * the newest one, which lowers that id, still moves the generation on */
static void
test_generation_new_booking(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ApSqliteDb) db = ap_sqlite_db_open(f->path, &error);
	g_autoptr(sqlite3) theirs = ap_test_db_open(f->path);
	g_autoptr(ApBooking) b = NULL;
	guint64 g0, g1, g2, g3;

	g_assert_no_error(error);
	g0 = ap_sqlite_db_get_generation(db);
	g_assert_cmpuint(g0, !=, 0);

	/* through the store: another connection of this process */
	b = ap_test_book(f->store, "nursery", ap_test_at(4, 10, 0), f->expert_a, &error);
	g_assert_no_error(error);
	g1 = ap_sqlite_db_get_generation(db);
	g_assert_cmpuint(g1, >, g0);

	/* by another process, with bare SQL */
	g2 = generation_after_theirs(
		db,
		theirs,
		"INSERT INTO bookings (reference, token_hash, service_id, expert_id, "
		"start_at, end_at, block_start, block_end, seat, status, channel, "
		"customer_name, customer_email, customer_locale, ical_uid, "
		"created_at, updated_at) "
		"SELECT 'RAWRAW22', 'raw', service_id, expert_id, start_at + 3600, "
		"end_at + 3600, block_start + 3600, block_end + 3600, 1, 'confirmed', "
		"'web', 'Raw', 'raw@example.org', 'en-GB', 'raw@test', 0, 0 "
		"FROM bookings");
	g_assert_cmpuint(g2, >, g1);

	g3 = generation_after_theirs(
		db, theirs, "DELETE FROM bookings WHERE reference = 'RAWRAW22'");
	g_assert_cmpuint(g3, >, g2);
	g_assert_cmpint(ap_test_db_int(theirs,
				       "SELECT count(*) FROM sqlite_schema "
				       "WHERE name = 'bookings_insert_generation'"),
			==,
			0);
}

/* SQLite may roll a batch's whole transaction back itself (a full disk,
 * an I/O error; a ROLLBACK stands in for those here): the batch's next
 * write must fail, not begin a transaction of its own that its release
 * would commit, and the batch must say it was not stored */
static void
test_batch_rolled_back(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ApSqliteDb) db = ap_sqlite_db_open(f->path, &error);
	g_autoptr(ApSqliteTxn) first = NULL;
	g_autoptr(ApSqliteTxn) after = NULL;
	g_autoptr(sqlite3) other = ap_test_db_open(f->path);
	const gchar *count = "SELECT count(*) FROM generations WHERE name = 'rolled-back'";

	g_assert_no_error(error);
	g_assert_true(ap_sqlite_db_batch_begin(db, &error));
	first = ap_sqlite_txn_begin(db, &error);
	g_assert_no_error(error);
	g_assert_true(ap_sqlite_db_exec(
		db, "INSERT INTO generations (name, value) VALUES ('rolled-back', 1)", &error));
	g_assert_true(ap_sqlite_txn_commit(first, &error));
	g_assert_cmpint(sqlite3_exec(ap_sqlite_db_get_handle(db), "ROLLBACK", NULL, NULL, NULL),
			==,
			SQLITE_OK);

	after = ap_sqlite_txn_begin(db, &error);
	g_assert_error(error, AP_ERROR, AP_ERROR_STORE);
	g_assert_null(after);
	g_clear_error(&error);
	g_assert_false(ap_sqlite_db_batch_commit(db, &error));
	g_assert_error(error, AP_ERROR, AP_ERROR_STORE);
	g_assert_cmpint(ap_test_db_int(other, count), ==, 0);
}

static void
test_catalogue(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) services = ap_store_services_list(f->store, FALSE, &error);
	ApService *s;

	g_assert_no_error(error);
	g_assert_cmpuint(services->len, ==, 3);
	s = g_ptr_array_index(services, 0);
	g_assert_cmpstr(s->id, ==, "personal-styling");
	g_assert_cmpuint(s->duration_minutes, ==, 45);
	g_assert_cmpuint(s->buffer_after_minutes, ==, 15);
	g_assert_cmpuint(s->questions->len, ==, 4);
	g_assert_cmpstr(((ApQuestion *)g_ptr_array_index(s->questions, 0))->id, ==, "occasion");
	g_assert_cmpstr(((ApService *)g_ptr_array_index(services, 1))->id, ==, "home-design");
	g_assert_cmpstr(((ApService *)g_ptr_array_index(services, 2))->id, ==, "nursery");
}

static void
test_services(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ApService) s = ap_service_new("gift-wrapping");
	g_autoptr(ApService) dup = ap_service_new("gift-wrapping");
	g_autoptr(ApService) got = NULL;
	g_autoptr(ApService) missing = NULL;
	g_autoptr(ApService) ghost = ap_service_new("ghost");
	g_autoptr(GPtrArray) active = NULL;
	g_autoptr(GPtrArray) all = NULL;
	ApQuestion *q = ap_question_new("colour", "Which colour?", AP_QUESTION_CHOICE, TRUE);

	q->choices = g_strsplit("red,gold", ",", -1);
	g_ptr_array_add(s->questions, q);
	g_free(s->name);
	s->name = g_strdup("Gift wrapping");
	s->duration_minutes = 20;
	s->buffer_before_minutes = 5;
	s->capacity = 3;
	g_assert_true(ap_store_service_create(f->store, s, &error));
	g_assert_no_error(error);

	g_assert_false(ap_store_service_create(f->store, dup, &error));
	g_assert_error(error, AP_ERROR, AP_ERROR_EXISTS);
	g_clear_error(&error);

	got = ap_store_service_get(f->store, "gift-wrapping", &error);
	g_assert_no_error(error);
	g_assert_cmpstr(got->name, ==, "Gift wrapping");
	g_assert_cmpuint(got->duration_minutes, ==, 20);
	g_assert_cmpuint(got->buffer_before_minutes, ==, 5);
	g_assert_cmpuint(got->capacity, ==, 3);
	g_assert_cmpuint(got->questions->len, ==, 1);
	q = g_ptr_array_index(got->questions, 0);
	g_assert_cmpint(q->type, ==, AP_QUESTION_CHOICE);
	g_assert_cmpstr(q->choices[1], ==, "gold");

	/* an update replaces every field, the questions too */
	g_ptr_array_set_size(s->questions, 0);
	g_free(s->name);
	s->name = g_strdup("Wrapping");
	s->active = FALSE;
	g_assert_true(ap_store_service_update(f->store, s, &error));
	g_assert_no_error(error);
	g_clear_pointer(&got, ap_service_unref);
	got = ap_store_service_get(f->store, "gift-wrapping", &error);
	g_assert_no_error(error);
	g_assert_cmpstr(got->name, ==, "Wrapping");
	g_assert_cmpuint(got->questions->len, ==, 0);
	g_assert_false(got->active);

	/* the catalogue order: new services come last; inactive ones hidden */
	active = ap_store_services_list(f->store, FALSE, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(active->len, ==, 3);
	all = ap_store_services_list(f->store, TRUE, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(all->len, ==, 4);
	g_assert_cmpstr(((ApService *)g_ptr_array_index(all, 3))->id, ==, "gift-wrapping");

	missing = ap_store_service_get(f->store, "ghost", &error);
	g_assert_error(error, AP_ERROR, AP_ERROR_NOT_FOUND);
	g_assert_null(missing);
	g_clear_error(&error);
	g_assert_false(ap_store_service_update(f->store, ghost, &error));
	g_assert_error(error, AP_ERROR, AP_ERROR_NOT_FOUND);
}

static void
test_experts(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ApExpert) e = ap_expert_new();
	g_autoptr(ApExpert) got = NULL;
	g_autoptr(ApExpert) dup = ap_expert_new();
	g_autoptr(ApExpert) bad = ap_expert_new();
	g_autoptr(ApExpert) missing = NULL;
	g_autoptr(ApTimeOff) later =
		ap_time_off_new(ap_test_at(20, 0, 0), ap_test_at(21, 0, 0), "holiday");
	g_autoptr(ApTimeOff) sooner =
		ap_time_off_new(ap_test_at(10, 0, 0), ap_test_at(11, 0, 0), NULL);
	g_autoptr(ApTimeOff) orphan =
		ap_time_off_new(ap_test_at(10, 0, 0), ap_test_at(11, 0, 0), NULL);
	g_autoptr(GPtrArray) list = NULL;
	ApDateOverride *o;
	GDate date;
	GArray *day;

	e->name = g_strdup("Priya");
	e->email = g_strdup("Priya@Example.com");
	e->bio = g_strdup("Stylist for ten years");
	e->branch = g_strdup("Manchester");
	g_assert_true(ap_expert_set_timezone(e, "Europe/Paris", &error));
	g_ptr_array_add(e->services, g_strdup("home-design"));
	g_ptr_array_add(e->services, g_strdup("personal-styling"));
	ap_weekly_hours_add(e->hours, G_DATE_MONDAY, 13 * 60, 17 * 60, &error);
	ap_weekly_hours_add(e->hours, G_DATE_MONDAY, 9 * 60, 12 * 60, &error);
	ap_weekly_hours_add(e->hours, G_DATE_SATURDAY, 22 * 60, 26 * 60, &error);
	g_assert_no_error(error);
	/* overrides given out of order: a working Sunday, then a day off */
	g_date_set_dmy(&date, 9, 3, 2031);
	o = ap_date_override_new(&date);
	g_array_append_vals(o->ranges, (ApTimeRange[]){{600, 660}, {720, 780}}, 2);
	g_ptr_array_add(e->overrides, o);
	g_date_set_dmy(&date, 5, 3, 2031);
	g_ptr_array_add(e->overrides, ap_date_override_new(&date));
	g_assert_true(ap_store_expert_create(f->store, e, &error));
	g_assert_no_error(error);
	g_assert_cmpint(e->id, >, f->expert_b);

	g_assert_true(ap_store_time_off_add(f->store, e->id, later, &error));
	g_assert_no_error(error);
	g_assert_true(ap_store_time_off_add(f->store, e->id, sooner, &error));
	g_assert_no_error(error);
	g_assert_cmpint(sooner->id, >, later->id);
	g_assert_false(ap_store_time_off_add(f->store, 9999, orphan, &error));
	g_assert_error(error, AP_ERROR, AP_ERROR_NOT_FOUND);
	g_clear_error(&error);

	got = ap_store_expert_get(f->store, e->id, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(got->name, ==, "Priya");
	g_assert_cmpstr(got->email, ==, "Priya@Example.com");
	g_assert_cmpstr(got->bio, ==, "Stylist for ten years");
	g_assert_cmpstr(got->branch, ==, "Manchester");
	g_assert_cmpstr(got->timezone, ==, "Europe/Paris");
	g_assert_true(got->active);
	g_assert_cmpuint(got->services->len, ==, 2);
	g_assert_cmpstr(g_ptr_array_index(got->services, 0), ==, "home-design");
	g_assert_cmpstr(g_ptr_array_index(got->services, 1), ==, "personal-styling");
	day = ap_weekly_hours_get_day(got->hours, G_DATE_MONDAY);
	g_assert_cmpuint(day->len, ==, 2);
	g_assert_cmpuint(g_array_index(day, ApTimeRange, 0).start, ==, 9 * 60);
	g_assert_cmpuint(g_array_index(day, ApTimeRange, 1).end, ==, 17 * 60);
	day = ap_weekly_hours_get_day(got->hours, G_DATE_SATURDAY);
	g_assert_cmpuint(day->len, ==, 1);
	g_assert_cmpuint(g_array_index(day, ApTimeRange, 0).end, ==, 26 * 60);
	g_assert_cmpuint(ap_weekly_hours_get_day(got->hours, G_DATE_TUESDAY)->len, ==, 0);
	g_assert_cmpuint(got->overrides->len, ==, 2);
	o = g_ptr_array_index(got->overrides, 0);
	g_assert_cmpuint(g_date_get_day(&o->date), ==, 5);
	g_assert_cmpuint(o->ranges->len, ==, 0);
	o = g_ptr_array_index(got->overrides, 1);
	g_assert_cmpuint(g_date_get_day(&o->date), ==, 9);
	g_assert_cmpuint(o->ranges->len, ==, 2);
	g_assert_cmpuint(g_array_index(o->ranges, ApTimeRange, 1).start, ==, 720);
	g_assert_cmpuint(got->time_off->len, ==, 2);
	g_assert_cmpint(((ApTimeOff *)g_ptr_array_index(got->time_off, 0))->id, ==, sooner->id);
	g_assert_cmpstr(((ApTimeOff *)g_ptr_array_index(got->time_off, 1))->reason, ==, "holiday");

	/* the email is unique whatever its case */
	dup->name = g_strdup("Other");
	dup->email = g_strdup("priya@example.COM");
	g_assert_false(ap_store_expert_create(f->store, dup, &error));
	g_assert_error(error, AP_ERROR, AP_ERROR_EXISTS);
	g_assert_cmpint(dup->id, ==, 0);
	g_clear_error(&error);

	/* an unknown service is named, and nothing is left behind */
	bad->name = g_strdup("Bad");
	bad->email = g_strdup("bad@example.com");
	g_ptr_array_add(bad->services, g_strdup("knitting"));
	g_assert_false(ap_store_expert_create(f->store, bad, &error));
	g_assert_error(error, AP_ERROR, AP_ERROR_INVALID);
	g_assert_nonnull(strstr(error->message, "knitting"));
	g_clear_error(&error);
	g_ptr_array_set_size(bad->services, 0);
	g_assert_true(ap_store_expert_create(f->store, bad, &error));
	g_assert_no_error(error);

	/* an update replaces services, hours and overrides, not time off */
	g_ptr_array_set_size(e->services, 0);
	g_ptr_array_add(e->services, g_strdup("nursery"));
	ap_weekly_hours_free(e->hours);
	e->hours = ap_weekly_hours_new();
	ap_weekly_hours_add(e->hours, G_DATE_FRIDAY, 8 * 60, 10 * 60, &error);
	g_assert_no_error(error);
	g_ptr_array_set_size(e->overrides, 0);
	e->active = FALSE;
	g_assert_true(ap_store_expert_update(f->store, e, &error));
	g_assert_no_error(error);
	g_clear_pointer(&got, ap_expert_unref);
	got = ap_store_expert_get(f->store, e->id, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(got->services->len, ==, 1);
	g_assert_cmpstr(g_ptr_array_index(got->services, 0), ==, "nursery");
	g_assert_cmpuint(ap_weekly_hours_get_day(got->hours, G_DATE_MONDAY)->len, ==, 0);
	g_assert_cmpuint(ap_weekly_hours_get_day(got->hours, G_DATE_FRIDAY)->len, ==, 1);
	g_assert_cmpuint(got->overrides->len, ==, 0);
	g_assert_cmpuint(got->time_off->len, ==, 2);
	g_assert_false(got->active);

	/* time off goes one entry at a time, and only the expert's own */
	g_assert_false(ap_store_time_off_remove(f->store, f->expert_a, sooner->id, &error));
	g_assert_error(error, AP_ERROR, AP_ERROR_NOT_FOUND);
	g_clear_error(&error);
	g_assert_true(ap_store_time_off_remove(f->store, e->id, sooner->id, &error));
	g_assert_no_error(error);
	g_assert_false(ap_store_time_off_remove(f->store, e->id, sooner->id, &error));
	g_assert_error(error, AP_ERROR, AP_ERROR_NOT_FOUND);
	g_clear_error(&error);

	/* lists filter by service and by being active */
	list = ap_store_experts_list(f->store, "nursery", FALSE, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(list->len, ==, 2);
	g_clear_pointer(&list, g_ptr_array_unref);
	list = ap_store_experts_list(f->store, "nursery", TRUE, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(list->len, ==, 3);
	g_assert_cmpint(((ApExpert *)g_ptr_array_index(list, 2))->id, ==, e->id);
	g_clear_pointer(&list, g_ptr_array_unref);
	list = ap_store_experts_list(f->store, "home-design", TRUE, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(list->len, ==, 1);
	g_clear_pointer(&list, g_ptr_array_unref);
	list = ap_store_experts_list(f->store, NULL, TRUE, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(list->len, ==, 4);

	missing = ap_store_expert_get(f->store, 9999, &error);
	g_assert_error(error, AP_ERROR, AP_ERROR_NOT_FOUND);
	g_assert_null(missing);
}

static void
test_users(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ApUser) admin = ap_user_new();
	g_autoptr(ApUser) dup = ap_user_new();
	g_autoptr(ApUser) expert = ap_user_new();
	g_autoptr(ApUser) off = ap_user_new();
	g_autoptr(ApUser) got = NULL;
	g_autoptr(sqlite3) db = NULL;

	admin->email = g_strdup("Admin@Example.com");
	admin->name = g_strdup("Admin");
	admin->role = AP_ROLE_ADMIN;
	admin->password_hash = g_strdup("$argon2id$stub");
	g_assert_true(ap_store_user_create(f->store, admin, &error));
	g_assert_no_error(error);
	g_assert_cmpint(admin->id, >, 0);
	g_assert_cmpint(admin->created_at, >, 0);

	dup->email = g_strdup("admin@example.COM");
	dup->name = g_strdup("Again");
	g_assert_false(ap_store_user_create(f->store, dup, &error));
	g_assert_error(error, AP_ERROR, AP_ERROR_EXISTS);
	g_assert_cmpint(dup->id, ==, 0);
	g_clear_error(&error);

	/* an expert's account names an expert that exists */
	expert->email = g_strdup("priya@example.com");
	expert->name = g_strdup("Priya");
	expert->role = AP_ROLE_EXPERT;
	g_assert_false(ap_store_user_create(f->store, expert, &error));
	g_assert_error(error, AP_ERROR, AP_ERROR_INVALID);
	g_clear_error(&error);
	expert->expert_id = 9999;
	g_assert_false(ap_store_user_create(f->store, expert, &error));
	g_assert_error(error, AP_ERROR, AP_ERROR_NOT_FOUND);
	g_clear_error(&error);
	expert->expert_id = f->expert_b;
	g_assert_true(ap_store_user_create(f->store, expert, &error));
	g_assert_no_error(error);

	got = ap_store_user_get(f->store, expert->id, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(got->email, ==, "priya@example.com");
	g_assert_cmpint(got->role, ==, AP_ROLE_EXPERT);
	g_assert_cmpint(got->expert_id, ==, f->expert_b);
	g_assert_true(got->active);
	g_clear_pointer(&got, ap_user_free);
	got = ap_store_user_get_by_email(f->store, "ADMIN@example.com", &error);
	g_assert_no_error(error);
	g_assert_cmpint(got->id, ==, admin->id);
	g_assert_cmpstr(got->password_hash, ==, "$argon2id$stub");
	g_assert_cmpint(got->expert_id, ==, 0);
	g_clear_pointer(&got, ap_user_free);
	got = ap_store_user_get(f->store, 9999, &error);
	g_assert_error(error, AP_ERROR, AP_ERROR_NOT_FOUND);
	g_clear_error(&error);
	got = ap_store_user_get_by_email(f->store, "nobody@example.com", &error);
	g_assert_error(error, AP_ERROR, AP_ERROR_NOT_FOUND);
	g_clear_error(&error);

	/* tokens */
	g_assert_true(ap_store_api_token_create(f->store, admin->id, "hash-admin", &error));
	g_assert_no_error(error);
	g_assert_false(ap_store_api_token_create(f->store, admin->id, "hash-admin", &error));
	g_assert_error(error, AP_ERROR, AP_ERROR_EXISTS);
	g_clear_error(&error);
	g_assert_false(ap_store_api_token_create(f->store, 9999, "hash-ghost", &error));
	g_assert_error(error, AP_ERROR, AP_ERROR_NOT_FOUND);
	g_clear_error(&error);
	got = ap_store_user_get_by_token(f->store, "hash-admin", &error);
	g_assert_no_error(error);
	g_assert_cmpint(got->id, ==, admin->id);
	g_clear_pointer(&got, ap_user_free);
	db = ap_test_db_open(f->path);
	g_assert_cmpint(
		ap_test_db_int(db, "SELECT last_used_at IS NOT NULL FROM api_tokens"), ==, 1);
	got = ap_store_user_get_by_token(f->store, "hash-other", &error);
	g_assert_error(error, AP_ERROR, AP_ERROR_NOT_FOUND);
	g_assert_null(got);
	g_clear_error(&error);

	/* an inactive user's tokens open nothing */
	off->email = g_strdup("gone@example.com");
	off->name = g_strdup("Gone");
	off->role = AP_ROLE_STAFF;
	off->active = FALSE;
	g_assert_true(ap_store_user_create(f->store, off, &error));
	g_assert_no_error(error);
	g_assert_true(ap_store_api_token_create(f->store, off->id, "hash-off", &error));
	g_assert_no_error(error);
	got = ap_store_user_get_by_token(f->store, "hash-off", &error);
	g_assert_error(error, AP_ERROR, AP_ERROR_NOT_FOUND);
	g_assert_null(got);
}

static void
test_backup(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func((GDestroyNotify)ap_booking_free);
	g_autofree gchar *copy_path = g_build_filename(f->dir, "backup.db", NULL);
	g_autoptr(ApStore) copy = NULL;

	for (gint i = 0; i < 5; i++) {
		g_ptr_array_add(
			keep,
			ap_test_book(
				f->store, "nursery", ap_test_at(4, 9 + i, 0), f->expert_a, &error));
		g_assert_no_error(error);
	}
	g_assert_true(ap_store_backup(f->store, copy_path, &error));
	g_assert_no_error(error);

	/* never over an existing file */
	g_assert_false(ap_store_backup(f->store, copy_path, &error));
	g_assert_error(error, AP_ERROR, AP_ERROR_EXISTS);
	g_clear_error(&error);
	g_assert_false(ap_store_backup(f->store, f->path, &error));
	g_assert_error(error, AP_ERROR, AP_ERROR_EXISTS);
	g_clear_error(&error);

	/* the store goes on while the copy is opened on its own */
	g_ptr_array_add(
		keep, ap_test_book(f->store, "nursery", ap_test_at(5, 9, 0), f->expert_a, &error));
	g_assert_no_error(error);
	copy = ap_sqlite_store_new(copy_path, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(ap_test_count_bookings(copy), ==, 5);
	for (guint i = 0; i < 5; i++) {
		ApBooking *b = g_ptr_array_index(keep, i);
		g_autoptr(ApBooking) got = ap_store_booking_get(copy, b->reference, &error);
		g_assert_no_error(error);
		g_assert_cmpstr(got->token_hash, ==, b->token_hash);
	}
	g_assert_cmpuint(ap_test_count_bookings(f->store), ==, 6);
}

static void
test_failed_write(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ApBooking) b =
		ap_test_book(f->store, "nursery", ap_test_at(4, 10, 0), f->expert_a, &error);
	g_autoptr(ApBooking) clash = NULL;
	g_autoptr(ApBooking) next = NULL;
	g_autoptr(ApExpert) bad = ap_expert_new();
	g_autoptr(ApExpert) good = ap_expert_new();
	g_autoptr(sqlite3) db = NULL;
	g_autoptr(GPtrArray) experts = NULL;

	g_assert_no_error(error);
	clash = ap_test_book(f->store, "nursery", ap_test_at(4, 10, 0), f->expert_a, &error);
	g_assert_error(error, AP_ERROR, AP_ERROR_CONFLICT);
	g_clear_error(&error);

	/* no write lock is left behind: another connection can write at once */
	db = ap_test_db_open(f->path);
	sqlite3_busy_timeout(db, 0);
	g_assert_cmpint(
		sqlite3_exec(db, "BEGIN IMMEDIATE; COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);

	/* a write that fails half way leaves nothing of itself */
	bad->name = g_strdup("Half");
	bad->email = g_strdup("half@example.com");
	g_ptr_array_add(bad->services, g_strdup("nursery"));
	g_ptr_array_add(bad->services, g_strdup("no-such-service"));
	g_assert_false(ap_store_expert_create(f->store, bad, &error));
	g_assert_error(error, AP_ERROR, AP_ERROR_INVALID);
	g_clear_error(&error);
	g_assert_cmpint(ap_test_db_int(db, "SELECT count(*) FROM experts"), ==, 2);
	g_assert_cmpint(ap_test_db_int(db, "SELECT count(*) FROM expert_services"), ==, 5);
	g_assert_cmpint(
		sqlite3_exec(db, "BEGIN IMMEDIATE; COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);

	/* and the next writes work */
	good->name = g_strdup("Half");
	good->email = g_strdup("half@example.com");
	g_assert_true(ap_store_expert_create(f->store, good, &error));
	g_assert_no_error(error);
	next = ap_test_book(f->store, "nursery", ap_test_at(4, 11, 0), f->expert_a, &error);
	g_assert_no_error(error);
	experts = ap_store_experts_list(f->store, NULL, TRUE, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(experts->len, ==, 3);
}

static void
test_unique_index(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(sqlite3) db = ap_test_db_open(f->path);
	g_autoptr(ApBooking) b = NULL;

	/* another writer slipping in between the check and the insert, which
	 * BEGIN IMMEDIATE rules out, is played by a trigger: then only the
	 * unique index stands in the way, and the answer is still CONFLICT */
	g_assert_cmpint(
		sqlite3_exec(
			db,
			"CREATE TRIGGER sneak BEFORE INSERT ON bookings "
			"WHEN NEW.customer_name = 'Alex' BEGIN "
			"INSERT INTO bookings (reference, token_hash, service_id, expert_id, "
			"start_at, end_at, block_start, block_end, seat, status, channel, "
			"customer_name, customer_email, customer_locale, ical_uid, created_at, "
			"updated_at) VALUES ('RAWRAW22', 'raw', NEW.service_id, NEW.expert_id, "
			"NEW.start_at, NEW.end_at, NEW.block_start, NEW.block_end, NEW.seat, "
			"'confirmed', 'web', 'Sneak', 'sneak@example.org', 'en-GB', 'raw@test', 0, "
			"0);"
			"END",
			NULL,
			NULL,
			NULL),
		==,
		SQLITE_OK);

	b = ap_test_book(f->store, "nursery", ap_test_at(4, 10, 0), f->expert_a, &error);
	g_assert_error(error, AP_ERROR, AP_ERROR_CONFLICT);
	g_assert_null(b);
	g_clear_error(&error);
	g_assert_cmpint(ap_test_db_int(db, "SELECT count(*) FROM bookings"), ==, 0);
	g_assert_cmpint(ap_test_db_int(db, "SELECT count(*) FROM booking_events"), ==, 0);
	g_assert_cmpint(sqlite3_exec(db, "DROP TRIGGER sneak", NULL, NULL, NULL), ==, SQLITE_OK);

	b = ap_test_book(f->store, "nursery", ap_test_at(4, 10, 0), f->expert_a, &error);
	g_assert_no_error(error);
}

static void
test_newer_version(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *dir = ap_test_make_dir();
	g_autofree gchar *path = g_build_filename(dir, "future.db", NULL);
	g_autoptr(ApStore) store = NULL;
	sqlite3 *db = NULL;

	g_assert_cmpint(sqlite3_open(path, &db), ==, SQLITE_OK);
	g_assert_cmpint(sqlite3_exec(db,
				     "CREATE TABLE services (id TEXT); PRAGMA user_version = 99",
				     NULL,
				     NULL,
				     NULL),
			==,
			SQLITE_OK);
	sqlite3_close(db);

	store = ap_sqlite_store_new(path, &error);
	g_assert_error(error, AP_ERROR, AP_ERROR_STORE);
	g_assert_nonnull(strstr(error->message, "99"));
	g_assert_null(store);
	ap_test_remove_dir(dir);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

	ap_test_store_add("/store/open-twice", test_open_twice);
	ap_test_store_add("/store/wal", test_wal);
	ap_test_store_add("/store/generation-seen", test_generation_seen);
	ap_test_store_add("/store/generation-new-booking", test_generation_new_booking);
	ap_test_store_add("/store/batch-rolled-back", test_batch_rolled_back);
	ap_test_store_add("/store/catalogue", test_catalogue);
	ap_test_store_add("/store/services", test_services);
	ap_test_store_add("/store/experts", test_experts);
	ap_test_store_add("/store/users", test_users);
	ap_test_store_add("/store/backup", test_backup);
	ap_test_store_add("/store/failed-write", test_failed_write);
	ap_test_store_add("/store/unique-index", test_unique_index);
	g_test_add_func("/store/newer-version", test_newer_version);
	return g_test_run();
}
