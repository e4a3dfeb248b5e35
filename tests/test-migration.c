/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <sqlite3.h>
#include <string.h>

#include "ap-error.h"
#include "ap-sqlite-store.h"
#include "ap-test-util.h"

/*
 * Migration of a database written by the first release.
 *
 * tests/data/appoint-v1.db was made once with the sqlite3 shell from the
 * version 1 DDL exactly as ap-sqlite-schema.c runs it (page size 1024, WAL,
 * then VACUUM) and holds: services personal-styling (two questions),
 * home-design and nursery (inactive); expert 1 "Priya Patel"
 * (Europe/London; Mon, Tue, Thu, Fri 09:00-17:00, Wed 09:00-12:00 and
 * 13:00-17:00; a day off on 2031-03-07; time off 1 from 2031-03-10 to
 * 2031-03-15) giving personal-styling and nursery; booking VAAA2222
 * (personal-styling, 2031-03-04 10:00Z, confirmed, web, answers) and
 * VBBB3333 (nursery, 2031-03-05 14:00Z, cancelled "moved away", phone,
 * sequence 1) with three history events; users admin@example.com (with
 * API token hash "a1b2c3-v1-token-hash") and priya@example.com (expert 1);
 * and user_version 1. It is never opened in place: each test copies it.
 */

/* 2031-03-04T10:00:00Z, the start of VAAA2222 */
#define AP_TEST_V1_START 1930384800

typedef struct {
	gchar *dir;
	gchar *path;
} Fixture;

static void
fixture_set_up(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *source = g_test_build_filename(
		G_TEST_DIST, "data", user_data != NULL ? user_data : "appoint-v1.db", NULL);
	g_autofree gchar *contents = NULL;
	gsize len = 0;

	f->dir = ap_test_make_dir();
	f->path = g_build_filename(f->dir, "appoint.db", NULL);
	g_file_get_contents(source, &contents, &len, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(len, >, 0);
	g_file_set_contents(f->path, contents, (gssize)len, &error);
	g_assert_no_error(error);
}

static void
fixture_tear_down(Fixture *f, gconstpointer user_data)
{
	ap_test_remove_dir(f->dir);
	g_free(f->path);
	g_free(f->dir);
}

/* version 7: a customer's bookings are found by email, whatever its
 * case, through an index; the phone digits have none, as none could
 * serve their search */
static void
assert_customer_indexes(sqlite3 *db)
{
	g_autofree gchar *plan =
		ap_test_db_plan(db,
				"SELECT reference FROM bookings "
				"WHERE customer_email = 'x@example.com' COLLATE NOCASE "
				"ORDER BY start_at, id");

	g_assert_nonnull(strstr(plan, "USING INDEX bookings_customer_email"));
	g_assert_false(ap_test_db_has_index(db, "bookings_customer_phone"));
}

static void
test_migrate_v1(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ApStore) store = ap_sqlite_store_new(f->path, &error);
	g_autoptr(sqlite3) db = NULL;
	g_autoptr(GPtrArray) services = NULL;
	g_autoptr(ApService) styling = NULL;
	g_autoptr(ApExpert) expert = NULL;
	g_autoptr(ApBooking) first = NULL;
	g_autoptr(ApBooking) second = NULL;
	g_autoptr(GPtrArray) history = NULL;
	g_autoptr(GPtrArray) found = NULL;
	g_autoptr(ApUser) admin = NULL;
	g_autoptr(ApUser) by_token = NULL;
	g_autoptr(GArray) busy = NULL;
	ApBookingQuery q = {
		.text = "07700 900123", .from = G_MININT64, .to = G_MAXINT64, .limit = 10};
	const ApDateOverride *o;
	GArray *wednesday;

	g_assert_no_error(error);
	g_assert_nonnull(store);
	g_assert_cmpuint(ap_sqlite_store_get_schema_version(AP_SQLITE_STORE(store)),
			 ==,
			 AP_SQLITE_SCHEMA_VERSION);
	db = ap_test_db_open(f->path);
	g_assert_cmpint(ap_test_db_int(db, "PRAGMA user_version"), ==, AP_SQLITE_SCHEMA_VERSION);
	assert_customer_indexes(db);

	/* the catalogue is the old one: no default services were added */
	services = ap_store_services_list(store, TRUE, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(services->len, ==, 3);
	g_assert_false(((ApService *)g_ptr_array_index(services, 2))->active);
	styling = ap_store_service_get(store, "personal-styling", &error);
	g_assert_no_error(error);
	g_assert_cmpstr(styling->description, ==, "A one-to-one video session with a stylist.");
	g_assert_cmpuint(styling->buffer_after_minutes, ==, 15);
	g_assert_cmpuint(styling->questions->len, ==, 2);
	g_assert_cmpstr(((ApQuestion *)g_ptr_array_index(styling->questions, 0))->choices[1],
			==,
			"Wedding or formal event");

	expert = ap_store_expert_get(store, 1, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(expert->name, ==, "Priya Patel");
	g_assert_cmpstr(expert->timezone, ==, "Europe/London");
	g_assert_cmpuint(expert->services->len, ==, 2);
	wednesday = ap_weekly_hours_get_day(expert->hours, G_DATE_WEDNESDAY);
	g_assert_cmpuint(wednesday->len, ==, 2);
	g_assert_cmpuint(g_array_index(wednesday, ApTimeRange, 1).start, ==, 780);
	g_assert_cmpuint(ap_weekly_hours_get_day(expert->hours, G_DATE_SUNDAY)->len, ==, 0);
	g_assert_cmpuint(expert->overrides->len, ==, 1);
	o = g_ptr_array_index(expert->overrides, 0);
	g_assert_cmpuint(g_date_get_day(&o->date), ==, 7);
	g_assert_cmpuint(o->ranges->len, ==, 0);
	g_assert_cmpuint(expert->time_off->len, ==, 1);
	g_assert_cmpstr(
		((ApTimeOff *)g_ptr_array_index(expert->time_off, 0))->reason, ==, "holiday");

	first = ap_store_booking_get(store, "VAAA2222", &error);
	g_assert_no_error(error);
	g_assert_cmpint(first->start, ==, AP_TEST_V1_START);
	g_assert_cmpint(first->status, ==, AP_BOOKING_STATUS_CONFIRMED);
	g_assert_cmpstr(first->customer_name, ==, "Olivia Smith");
	g_assert_cmpstr(first->customer_phone, ==, "+44 7700 900123");
	g_assert_cmpstr(json_object_get_string_member(first->answers, "occasion"), ==, "Work");
	g_assert_cmpstr(first->ical_uid, ==, "0b7d2a0e-v1-first@appoint.test");
	g_assert_null(first->customer_timezone);
	second = ap_store_booking_get_by_token(
		store, "2f0fd5f1c6a6c0e2b8a1b1d49d2e3f4a5b6c7d8e9f00112233445566778899bb", &error);
	g_assert_no_error(error);
	g_assert_cmpstr(second->reference, ==, "VBBB3333");
	g_assert_cmpint(second->status, ==, AP_BOOKING_STATUS_CANCELLED);
	g_assert_cmpint(second->channel, ==, AP_BOOKING_CHANNEL_PHONE);
	g_assert_cmpstr(second->cancel_reason, ==, "moved away");
	g_assert_cmpstr(second->customer_locale, ==, "cy-GB");
	g_assert_cmpint(second->sequence, ==, 1);
	g_assert_null(second->customer_timezone);
	g_assert_null(second->answers);

	history = ap_store_booking_history(store, "VBBB3333", &error);
	g_assert_no_error(error);
	g_assert_cmpuint(history->len, ==, 2);
	g_assert_cmpstr(((ApBookingEvent *)g_ptr_array_index(history, 1))->action, ==, "cancelled");
	found = ap_store_bookings_search(store, &q, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(found->len, ==, 1);
	g_assert_cmpstr(((ApBooking *)g_ptr_array_index(found, 0))->reference, ==, "VAAA2222");

	/* only the confirmed booking holds time */
	busy = ap_store_busy_list(
		store, 0, AP_TEST_V1_START - 86400, AP_TEST_V1_START + 3 * 86400, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(busy->len, ==, 1);
	g_assert_cmpint(g_array_index(busy, ApBusy, 0).block_end, ==, AP_TEST_V1_START + 3600);

	admin = ap_store_user_get_by_email(store, "ADMIN@example.com", &error);
	g_assert_no_error(error);
	g_assert_cmpint(admin->role, ==, AP_ROLE_ADMIN);
	by_token = ap_store_user_get_by_token(store, "a1b2c3-v1-token-hash", &error);
	g_assert_no_error(error);
	g_assert_cmpint(by_token->id, ==, admin->id);

	g_assert_cmpint(ap_test_db_int(db, "SELECT count(*) FROM bookings"), ==, 2);
	g_assert_cmpint(ap_test_db_int(db, "SELECT count(*) FROM booking_events"), ==, 3);
	g_assert_cmpint(ap_test_db_int(db, "SELECT count(*) FROM idempotency_keys"), ==, 0);
	g_assert_cmpint(ap_test_db_int(db, "SELECT count(*) FROM pragma_foreign_key_check"), ==, 0);
}

static gboolean
book(ApStore *store,
     gint64 start,
     const gchar *tz,
     ApIdempotency *idem,
     ApBooking **out,
     GError **error)
{
	g_autoptr(ApService) service = ap_store_service_get(store, "personal-styling", error);
	g_autoptr(ApBooking) b = NULL;
	ApCandidate c;

	g_assert_nonnull(service);
	g_assert_cmpuint(service->duration_minutes, ==, 45);
	b = ap_test_booking_draft(service, start, "Ivy");
	b->customer_timezone = g_strdup(tz);
	ap_test_candidate_init(&c, 1, start);
	if (!ap_store_booking_create(store, b, service, &c, 1, idem, "test", error))
		return FALSE;
	*out = g_steal_pointer(&b);
	return TRUE;
}

static void
test_migrate_v1_then_book(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ApStore) store = ap_sqlite_store_new(f->path, &error);
	g_autoptr(ApBooking) clash = NULL;
	g_autoptr(ApBooking) fresh = NULL;
	g_autoptr(ApBooking) again = NULL;
	g_autoptr(ApBooking) got = NULL;
	ApIdempotency idem = {.key = "k-1", .request_hash = "h-1"};

	g_assert_no_error(error);

	/* the old booking still holds its slot and its buffer */
	g_assert_false(book(store, AP_TEST_V1_START + 45 * 60, NULL, NULL, &clash, &error));
	g_assert_error(error, AP_ERROR, AP_ERROR_CONFLICT);
	g_clear_error(&error);

	/* new bookings, with the columns and table version 2 added */
	g_assert_true(book(store, AP_TEST_V1_START + 3600, "Europe/Dublin", &idem, &fresh, &error));
	g_assert_no_error(error);
	g_assert_null(idem.replay);
	got = ap_store_booking_get(store, fresh->reference, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(got->customer_timezone, ==, "Europe/Dublin");
	g_assert_true(book(store, AP_TEST_V1_START + 3600, "Europe/Dublin", &idem, &again, &error));
	g_assert_no_error(error);
	g_assert_nonnull(idem.replay);
	g_assert_cmpstr(idem.replay->reference, ==, fresh->reference);
	g_assert_null(idem.replay_sealed_token);
	ap_idempotency_clear(&idem);

	/* the cancelled booking's slot is free */
	g_clear_pointer(&fresh, ap_booking_free);
	g_assert_true(book(store, AP_TEST_V1_START + 86400 + 4 * 3600, NULL, NULL, &fresh, &error));
	g_assert_no_error(error);
}

static void
test_migrate_failure_rolls_back(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(sqlite3) db = ap_test_db_open(f->path);
	g_autoptr(ApStore) store = NULL;

	/* something named like what version 2 creates makes its step fail */
	g_assert_cmpint(sqlite3_exec(db, "CREATE TABLE idempotency_keys (x)", NULL, NULL, NULL),
			==,
			SQLITE_OK);
	store = ap_sqlite_store_new(f->path, &error);
	g_assert_error(error, AP_ERROR, AP_ERROR_STORE);
	g_assert_nonnull(strstr(error->message, "idempotency_keys"));
	g_assert_null(store);

	/* nothing of the failed step stays: not even the column it added */
	g_assert_cmpint(ap_test_db_int(db, "PRAGMA user_version"), ==, 1);
	g_assert_cmpint(ap_test_db_int(db,
				       "SELECT count(*) FROM pragma_table_info('bookings') "
				       "WHERE name = 'customer_timezone'"),
			==,
			0);
	g_assert_cmpint(ap_test_db_int(db, "SELECT count(*) FROM bookings"), ==, 2);

	/* once the obstacle is gone the migration goes through */
	g_assert_cmpint(
		sqlite3_exec(db, "DROP TABLE idempotency_keys", NULL, NULL, NULL), ==, SQLITE_OK);
	g_clear_error(&error);
	store = ap_sqlite_store_new(f->path, &error);
	g_assert_no_error(error);
	g_assert_cmpint(ap_test_db_int(db, "PRAGMA user_version"), ==, AP_SQLITE_SCHEMA_VERSION);
}

/*
 * tests/data/appoint-v2.db is appoint-v1.db taken to version 2 with the
 * version 2 DDL of ap-sqlite-schema.c by the sqlite3 shell, then given a
 * customer zone (Europe/Paris on VAAA2222) and an idempotency key
 * ("v2-key" for VAAA2222), and vacuumed.
 */
static void
test_migrate_v2(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ApStore) store = ap_sqlite_store_new(f->path, &error);
	g_autoptr(ApBooking) booking = NULL;
	g_autoptr(sqlite3) db = NULL;

	g_assert_no_error(error);
	g_assert_cmpuint(ap_sqlite_store_get_schema_version(AP_SQLITE_STORE(store)),
			 ==,
			 AP_SQLITE_SCHEMA_VERSION);
	booking = ap_store_booking_get(store, "VAAA2222", &error);
	g_assert_no_error(error);
	g_assert_cmpstr(booking->customer_timezone, ==, "Europe/Paris");
	db = ap_test_db_open(f->path);
	g_assert_cmpint(ap_test_db_int(db, "PRAGMA user_version"), ==, AP_SQLITE_SCHEMA_VERSION);
	g_assert_cmpint(ap_test_db_int(db, "SELECT count(*) FROM idempotency_keys"), ==, 1);
	/* version 3 added the sessions, version 4 the outbox; both empty */
	g_assert_cmpint(ap_test_db_int(db, "SELECT count(*) FROM sessions"), ==, 0);
	g_assert_cmpint(ap_test_db_int(db, "SELECT count(*) FROM outbox"), ==, 0);
	g_assert_cmpint(ap_test_db_int(db, "SELECT count(*) FROM bookings"), ==, 2);
}

/*
 * tests/data/appoint-v3.db is appoint-v2.db taken to version 3 with the
 * version 3 DDL of ap-sqlite-schema.c by the sqlite3 shell, then given a
 * log-in session ("v3-session-hash" of user 1), and vacuumed.
 */
static void
test_migrate_v3(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ApStore) store = ap_sqlite_store_new(f->path, &error);
	g_autoptr(ApBooking) booking = NULL;
	g_autoptr(sqlite3) db = NULL;
	g_autofree gchar *csrf = NULL;

	g_assert_no_error(error);
	g_assert_cmpuint(ap_sqlite_store_get_schema_version(AP_SQLITE_STORE(store)),
			 ==,
			 AP_SQLITE_SCHEMA_VERSION);
	booking = ap_store_booking_get(store, "VAAA2222", &error);
	g_assert_no_error(error);
	/* the session survives */
	g_assert_cmpint(ap_store_session_lookup(store, "v3-session-hash", &csrf, &error), ==, 1);
	g_assert_cmpstr(csrf, ==, "v3-csrf");
	db = ap_test_db_open(f->path);
	g_assert_cmpint(ap_test_db_int(db, "PRAGMA user_version"), ==, AP_SQLITE_SCHEMA_VERSION);
	/* version 4 added the outbox, empty: bookings made before it were
	 * announced by nothing, and are not announced now */
	g_assert_cmpint(ap_test_db_int(db, "SELECT count(*) FROM outbox"), ==, 0);
	g_assert_cmpint(ap_test_db_int(db, "SELECT count(*) FROM bookings"), ==, 2);
}

/* the count of EXPLAIN rows of @sql whose opcode is @opcode */
static gint
count_opcodes(sqlite3 *db, const gchar *sql, const gchar *opcode)
{
	g_autofree gchar *explain = g_strconcat("EXPLAIN ", sql, NULL);
	g_autoptr(sqlite3_stmt) stmt = NULL;
	gint n = 0;

	g_assert_cmpint(sqlite3_prepare_v2(db, explain, -1, &stmt, NULL), ==, SQLITE_OK);
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		if (g_strcmp0((const gchar *)sqlite3_column_text(stmt, 1), opcode) == 0)
			n++;
	}
	return n;
}

/*
 * tests/data/appoint-v4.db is appoint-v3.db taken to version 4 by
 * appointctl of that version, then given two outbox rows for VAAA2222
 * (the customer's confirmation pending, the expert's dead after "550 no
 * such user"), and vacuumed.
 */
static void
test_migrate_v4(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ApStore) store = ap_sqlite_store_new(f->path, &error);
	g_autoptr(ApBooking) booking = NULL;
	g_autoptr(sqlite3) db = NULL;
	g_autofree gchar *integrity = NULL;
	const gchar *insert = "INSERT INTO outbox (booking_id, kind, recipient_role, recipient, "
			      "expert_id, sequence, start_at, end_at, created_at, next_attempt_at) "
			      "VALUES (1, 'update', 'customer', 'olivia@example.org', 1, 1, "
			      "1930384800, 1930387500, 1900000001, 1900000001)";

	g_assert_no_error(error);
	g_assert_cmpuint(ap_sqlite_store_get_schema_version(AP_SQLITE_STORE(store)),
			 ==,
			 AP_SQLITE_SCHEMA_VERSION);
	booking = ap_store_booking_get(store, "VAAA2222", &error);
	g_assert_no_error(error);
	g_assert_cmpint(booking->status, ==, AP_BOOKING_STATUS_CONFIRMED);
	db = ap_test_db_open(f->path);
	g_assert_cmpint(ap_test_db_int(db, "PRAGMA user_version"), ==, AP_SQLITE_SCHEMA_VERSION);
	g_assert_cmpint(
		ap_test_db_int(db, "SELECT count(*) FROM outbox WHERE status = 'pending'"), ==, 1);
	g_assert_cmpint(
		ap_test_db_int(db, "SELECT count(*) FROM outbox WHERE status = 'dead'"), ==, 1);

	/* version 5 wrote the lists out: no table keeps one, a statement that
	 * checks them needs no temporary index, and they refuse as before */
	g_assert_cmpint(ap_test_db_int(db,
				       "SELECT count(*) FROM sqlite_schema WHERE type = 'table' "
				       "AND sql GLOB '* IN (''*'"),
			==,
			0);
	g_assert_cmpint(count_opcodes(db, insert, "OpenEphemeral"), ==, 0);
	g_assert_cmpint(count_opcodes(db,
				      "UPDATE bookings SET status = 'completed' WHERE id = 1",
				      "OpenEphemeral"),
			==,
			0);
	g_assert_cmpint(sqlite3_exec(db, insert, NULL, NULL, NULL), ==, SQLITE_OK);
	g_assert_cmpint(
		sqlite3_exec(
			db, "UPDATE outbox SET status = 'lost' WHERE id = 1", NULL, NULL, NULL),
		==,
		SQLITE_CONSTRAINT);
	g_assert_cmpint(
		sqlite3_exec(
			db, "UPDATE bookings SET channel = 'fax' WHERE id = 1", NULL, NULL, NULL),
		==,
		SQLITE_CONSTRAINT);
	g_assert_cmpint(
		sqlite3_exec(db, "UPDATE users SET role = 'root' WHERE id = 1", NULL, NULL, NULL),
		==,
		SQLITE_CONSTRAINT);
	g_assert_cmpint(sqlite3_exec(db,
				     "UPDATE bookings SET status = 'no-show' WHERE id = 1; "
				     "UPDATE outbox SET status = 'void' WHERE id = 1",
				     NULL,
				     NULL,
				     NULL),
			==,
			SQLITE_OK);
	integrity = ap_test_db_text(db, "PRAGMA integrity_check");
	g_assert_cmpstr(integrity, ==, "ok");
}

/*
 * tests/data/appoint-v5.db is appoint-v4.db taken to version 5 with the
 * version 5 SQL of ap-sqlite-schema.c (and the schema cookie bumped, as
 * ap_sqlite_schema_migrate() does), then given a fourth history event of
 * VAAA2222 ("rescheduled" by staff:1), and vacuumed.
 */
static void
test_migrate_v5(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ApStore) store = ap_sqlite_store_new(f->path, &error);
	g_autoptr(GPtrArray) history = NULL;
	g_autoptr(sqlite3) db = NULL;
	const ApBookingEvent *last;

	g_assert_no_error(error);
	g_assert_cmpuint(ap_sqlite_store_get_schema_version(AP_SQLITE_STORE(store)),
			 ==,
			 AP_SQLITE_SCHEMA_VERSION);
	/* version 6: changes before it say nothing of where they came from */
	history = ap_store_booking_history(store, "VAAA2222", &error);
	g_assert_no_error(error);
	g_assert_cmpuint(history->len, >=, 2);
	last = g_ptr_array_index(history, history->len - 1);
	g_assert_cmpstr(last->action, ==, "rescheduled");
	g_assert_null(last->address);
	/* and no expert has a calendar feed yet */
	g_assert_cmpint(ap_store_calendar_feed_created(store, 1, &error), ==, 0);
	g_assert_no_error(error);
	g_assert_true(ap_store_calendar_feed_set(store, 1, "v6-feed-hash", &error));
	g_assert_no_error(error);
	g_assert_cmpint(ap_store_calendar_feed_lookup(store, "v6-feed-hash", &error), ==, 1);
	db = ap_test_db_open(f->path);
	g_assert_cmpint(ap_test_db_int(db, "PRAGMA user_version"), ==, AP_SQLITE_SCHEMA_VERSION);
	g_assert_cmpint(ap_test_db_int(db, "SELECT count(*) FROM outbox"), ==, 2);
	assert_customer_indexes(db);
}

/*
 * tests/data/appoint-v7.db is appoint-v5.db opened by appointctl at
 * version 7 (3b4c3b4), which migrated it, then checkpointed and vacuumed.
 * Version 8 drops the trigger that counted each new booking: the
 * generation still moves with one, and a new booking's confirmations are
 * the same rows as before. Version 9 plans the reminders apart.
 */
static gint
count_where(sqlite3 *db, const gchar *where, const gchar *cond)
{
	g_autofree gchar *sql = g_strdup_printf("SELECT count(*) %s AND %s", where, cond);

	return ap_test_db_int(db, sql);
}

static void
test_migrate_v7(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ApStore) store = ap_sqlite_store_new(f->path, &error);
	g_autoptr(ApBooking) fresh = NULL;
	g_autoptr(sqlite3) db = NULL;
	g_autofree gchar *where = NULL;
	guint64 g0;
	guint planned = 0;

	g_assert_no_error(error);
	g_assert_cmpuint(ap_sqlite_store_get_schema_version(AP_SQLITE_STORE(store)),
			 ==,
			 AP_SQLITE_SCHEMA_VERSION);
	g0 = ap_store_get_generation(store);
	g_assert_cmpuint(g0, !=, 0);
	db = ap_test_db_open(f->path);
	/* the reminders' mark starts at the migration, on the real clock: set
	 * back before the fixture's bookings' reminders */
	g_assert_cmpint(ap_test_db_int(db,
				       "SELECT abs(planned_until - CAST(strftime('%s', 'now') AS "
				       "INTEGER)) < 60 FROM reminder_plan"),
			==,
			1);
	g_assert_cmpint(sqlite3_exec(db,
				     "UPDATE reminder_plan SET planned_until = 1900000000",
				     NULL,
				     NULL,
				     NULL),
			==,
			SQLITE_OK);
	g_assert_true(book(store, AP_TEST_V1_START + 3600, NULL, NULL, &fresh, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(ap_store_get_generation(store), >, g0);

	g_assert_cmpint(ap_test_db_int(db, "PRAGMA user_version"), ==, AP_SQLITE_SCHEMA_VERSION);
	g_assert_cmpint(ap_test_db_int(db,
				       "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' "
				       "AND name LIKE 'bookings_%_generation'"),
			==,
			2);
	g_assert_cmpint(ap_test_db_int(db, "SELECT count(*) FROM bookings"), ==, 3);
	ap_test_assert_busy_plan(db);
	/* the two confirmations, due at once */
	where = g_strdup_printf("FROM outbox WHERE booking_id = %" G_GINT64_FORMAT, fresh->id);
	g_assert_cmpint(count_where(db,
				    where,
				    "kind = 'confirmation' AND next_attempt_at = created_at AND "
				    "remind_at IS NULL AND previous_start_at IS NULL"),
			==,
			2);
	g_assert_cmpint(count_where(db,
				    where,
				    "kind = 'confirmation' AND recipient_role = 'expert' AND "
				    "recipient = 'priya@example.com'"),
			==,
			1);
	/* version 9: the customer's reminders, due a day and an hour before,
	 * are the planner's, days ahead; it writes those of every confirmed
	 * booking whose customer was told, once: one that a booking wrote
	 * itself before the migration is not written again */
	g_assert_cmpint(count_where(db, where, "kind = 'reminder'"), ==, 0);
	g_assert_cmpint(
		sqlite3_exec(db,
			     "INSERT INTO outbox (booking_id, kind, recipient_role, "
			     "recipient, expert_id, sequence, start_at, end_at, created_at, "
			     "next_attempt_at, remind_at) SELECT id, 'reminder', 'customer', "
			     "customer_email, expert_id, sequence, start_at, end_at, "
			     "1900000000, start_at - 86400, start_at - 86400 FROM bookings "
			     "WHERE reference = 'VAAA2222'",
			     NULL,
			     NULL,
			     NULL),
		==,
		SQLITE_OK);
	g_assert_true(ap_store_outbox_plan_reminders(store, fresh->start, &planned, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(planned, ==, 3);
	g_assert_cmpint(ap_test_db_int(db,
				       "SELECT count(*) FROM outbox o JOIN bookings b ON "
				       "b.id = o.booking_id WHERE b.reference = 'VAAA2222' AND "
				       "o.kind = 'reminder' AND o.status = 'pending'"),
			==,
			2);
	g_assert_cmpint(count_where(db,
				    where,
				    "kind = 'reminder' AND recipient_role = 'customer' AND "
				    "next_attempt_at = remind_at AND remind_at = start_at - 86400"),
			==,
			1);
	g_assert_cmpint(
		count_where(db, where, "kind = 'reminder' AND remind_at = start_at - 3600"), ==, 1);
	g_assert_cmpint(
		count_where(db, where, "status = 'pending' AND sequence = 0 AND expert_id = 1"),
		==,
		4);
	g_assert_cmpint(ap_test_db_int(db, "SELECT count(*) FROM pragma_foreign_key_check"), ==, 0);
}

static void
test_fixture_untouched(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *source =
		g_test_build_filename(G_TEST_DIST, "data", "appoint-v1.db", NULL);
	g_autofree gchar *contents = NULL;
	const guint8 *header;
	gsize len = 0;

	/* read as bytes, not opened: SQLite would make -wal and -shm files
	 * beside it in the source tree; user_version is big-endian at 60 */
	g_file_get_contents(source, &contents, &len, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(len, >=, 100);
	g_assert_cmpmem(contents, 16, "SQLite format 3", 16);
	header = (const guint8 *)contents;
	g_assert_cmpuint((guint)header[60] << 24 | (guint)header[61] << 16 |
				 (guint)header[62] << 8 | header[63],
			 ==,
			 1);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) g_test_add(path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
	ADD("/migration/v1", test_migrate_v1);
	ADD("/migration/v1-then-book", test_migrate_v1_then_book);
	ADD("/migration/failure-rolls-back", test_migrate_failure_rolls_back);
#undef ADD
	g_test_add("/migration/v2",
		   Fixture,
		   "appoint-v2.db",
		   fixture_set_up,
		   test_migrate_v2,
		   fixture_tear_down);
	g_test_add("/migration/v3",
		   Fixture,
		   "appoint-v3.db",
		   fixture_set_up,
		   test_migrate_v3,
		   fixture_tear_down);
	g_test_add("/migration/v4",
		   Fixture,
		   "appoint-v4.db",
		   fixture_set_up,
		   test_migrate_v4,
		   fixture_tear_down);
	g_test_add("/migration/v5",
		   Fixture,
		   "appoint-v5.db",
		   fixture_set_up,
		   test_migrate_v5,
		   fixture_tear_down);
	g_test_add("/migration/v7",
		   Fixture,
		   "appoint-v7.db",
		   fixture_set_up,
		   test_migrate_v7,
		   fixture_tear_down);
	g_test_add_func("/migration/fixture-untouched", test_fixture_untouched);
	return g_test_run();
}
