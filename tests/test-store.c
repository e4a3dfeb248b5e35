/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "ap-error.h"
#include "ap-secret.h"
#include "ap-sqlite-store.h"

/*
 * The SQLite store against a real database file: every behaviour of
 * ApStore, the schema's second line of defence, and that a failure leaves
 * nothing half done and no transaction open.
 */

G_DEFINE_AUTOPTR_CLEANUP_FUNC(sqlite3, sqlite3_close)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(sqlite3_stmt, sqlite3_finalize)

typedef struct {
	gchar *dir;
	gchar *path;
	ApStore *store;
	gint64 expert_a; /* personal-styling, home-design, nursery */
	gint64 expert_b; /* personal-styling, nursery */
} Fixture;

/* Tuesday 4 March 2031, far enough ahead to be cancellable */
static gint64
at(gint day, gint hour, gint minute)
{
	g_autoptr(GDateTime) dt = g_date_time_new_utc(2031, 3, day, hour, minute, 0);
	return g_date_time_to_unix(dt);
}

static void
rm_rf(const gchar *path)
{
	if (g_file_test(path, G_FILE_TEST_IS_DIR)) {
		g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
		const gchar *name;
		while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
			g_autofree gchar *child = g_build_filename(path, name, NULL);
			rm_rf(child);
		}
		g_rmdir(path);
		return;
	}
	g_unlink(path);
}

static sqlite3 *
raw_open(const gchar *path)
{
	sqlite3 *db = NULL;
	g_assert_cmpint(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	return db;
}

static gint64
raw_int(sqlite3 *db, const gchar *sql)
{
	g_autoptr(sqlite3_stmt) stmt = NULL;

	g_assert_cmpint(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
	g_assert_cmpint(sqlite3_step(stmt), ==, SQLITE_ROW);
	return sqlite3_column_int64(stmt, 0);
}

static gchar *
raw_text(sqlite3 *db, const gchar *sql)
{
	g_autoptr(sqlite3_stmt) stmt = NULL;

	g_assert_cmpint(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
	g_assert_cmpint(sqlite3_step(stmt), ==, SQLITE_ROW);
	return g_strdup((const gchar *)sqlite3_column_text(stmt, 0));
}

static gint64
seat_of(Fixture *f, const ApBooking *booking)
{
	g_autoptr(sqlite3) db = raw_open(f->path);
	g_autofree gchar *sql = g_strdup_printf(
		"SELECT seat FROM bookings WHERE id = %" G_GINT64_FORMAT, booking->id);
	return raw_int(db, sql);
}

static gint64
add_expert(ApStore *store, const gchar *email, const gchar *services)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ApExpert) e = ap_expert_new();
	g_auto(GStrv) ids = g_strsplit(services, ",", -1);

	e->name = g_strdup(email);
	e->email = g_strdup(email);
	e->branch = g_strdup("Oxford Street");
	for (guint i = 0; ids[i] != NULL; i++)
		g_ptr_array_add(e->services, g_strdup(ids[i]));
	for (GDateWeekday d = G_DATE_MONDAY; d <= G_DATE_SUNDAY; d++) {
		ap_weekly_hours_add(e->hours, d, 9 * 60, 17 * 60, &error);
		g_assert_no_error(error);
	}
	ap_store_expert_create(store, e, &error);
	g_assert_no_error(error);
	g_assert_cmpint(e->id, >, 0);
	return e->id;
}

static ApBooking *
booking_new(ApStore *store, const gchar *service_id, gint64 start, const gchar *name)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ApService) service = ap_store_service_get(store, service_id, &error);
	g_autofree gchar *uuid = g_uuid_string_random();
	ApBooking *b = ap_booking_new();

	g_assert_no_error(error);
	b->token_hash = ap_token_hash(uuid);
	b->service_id = g_strdup(service_id);
	b->start = start;
	b->end = start + (gint64)service->duration_minutes * 60;
	b->customer_name = g_strdup(name);
	b->customer_email = g_strdup_printf("%s@example.org", name);
	b->ical_uid = g_strdup_printf("%s@appoint.test", uuid);
	return b;
}

static void
candidate_for(ApCandidate *c, gint64 expert_id, gint64 start)
{
	g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc(start);
	g_autoptr(GDateTime) day = g_date_time_new_utc(g_date_time_get_year(dt),
						       g_date_time_get_month(dt),
						       g_date_time_get_day_of_month(dt),
						       0,
						       0,
						       0);
	g_autoptr(GDateTime) next = g_date_time_add_days(day, 1);

	c->expert_id = expert_id;
	c->day_start = g_date_time_to_unix(day);
	c->day_end = g_date_time_to_unix(next);
}

/* books @booking with the experts in @experts (a 0-terminated list) */
static gboolean
book_full(ApStore *store,
	  ApBooking *booking,
	  const gint64 *experts,
	  ApIdempotency *idem,
	  GError **error)
{
	g_autoptr(ApService) service = ap_store_service_get(store, booking->service_id, error);
	ApCandidate candidates[8];
	guint n = 0;

	g_assert_nonnull(service);
	for (; experts[n] != 0; n++)
		candidate_for(&candidates[n], experts[n], booking->start);
	return ap_store_booking_create(store, booking, service, candidates, n, idem, "test", error);
}

static ApBooking *
book(ApStore *store, const gchar *service_id, gint64 start, gint64 expert_id, GError **error)
{
	g_autoptr(ApBooking) b = booking_new(store, service_id, start, "Alex");
	const gint64 experts[] = {expert_id, 0};

	if (!book_full(store, b, experts, NULL, error))
		return NULL;
	return g_steal_pointer(&b);
}

static ApService *
add_service(
	ApStore *store, const gchar *id, guint duration, guint before, guint after, guint capacity)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ApService) s = ap_service_new(id);

	s->duration_minutes = duration;
	s->buffer_before_minutes = before;
	s->buffer_after_minutes = after;
	s->capacity = capacity;
	ap_store_service_create(store, s, &error);
	g_assert_no_error(error);
	return g_steal_pointer(&s);
}

static guint
count_bookings(ApStore *store)
{
	g_autoptr(GError) error = NULL;
	ApBookingQuery q = {.from = G_MININT64, .to = G_MAXINT64, .limit = 1000};
	g_autoptr(GPtrArray) all = ap_store_bookings_search(store, &q, &error);

	g_assert_no_error(error);
	return all->len;
}

static void
fixture_set_up(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;

	f->dir = g_dir_make_tmp("appoint-store-XXXXXX", &error);
	g_assert_no_error(error);
	/* a folder that does not exist yet: the store makes it */
	f->path = g_build_filename(f->dir, "var", "appoint.db", NULL);
	f->store = ap_sqlite_store_new(f->path, &error);
	g_assert_no_error(error);
	g_assert_nonnull(f->store);
	f->expert_a = add_expert(f->store, "a@example.com", "personal-styling,home-design,nursery");
	f->expert_b = add_expert(f->store, "b@example.com", "personal-styling,nursery");
}

static void
fixture_tear_down(Fixture *f, gconstpointer user_data)
{
	g_clear_object(&f->store);
	rm_rf(f->dir);
	g_free(f->path);
	g_free(f->dir);
}

static void
test_open_twice(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ApStore) again = NULL;
	g_autoptr(GPtrArray) services = NULL;
	g_autoptr(ApBooking) b = book(f->store, "nursery", at(4, 10, 0), f->expert_a, &error);

	g_assert_no_error(error);
	g_assert_cmpuint(ap_sqlite_store_get_schema_version(AP_SQLITE_STORE(f->store)),
			 ==,
			 AP_SQLITE_SCHEMA_VERSION);
	g_clear_object(&f->store);

	/* reopening neither migrates again nor adds the catalogue twice */
	again = ap_sqlite_store_new(f->path, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(ap_sqlite_store_get_schema_version(AP_SQLITE_STORE(again)), ==, 2);
	services = ap_store_services_list(again, TRUE, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(services->len, ==, 3);
	g_assert_cmpuint(count_bookings(again), ==, 1);

	/* and two connections may be open at once */
	f->store = ap_sqlite_store_new(f->path, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(count_bookings(f->store), ==, 1);
}

static void
test_wal(Fixture *f, gconstpointer user_data)
{
	g_autoptr(sqlite3) db = raw_open(f->path);
	g_autofree gchar *mode = raw_text(db, "PRAGMA journal_mode");

	g_assert_cmpstr(mode, ==, "wal");
	g_assert_cmpint(raw_int(db, "PRAGMA user_version"), ==, AP_SQLITE_SCHEMA_VERSION);
	g_assert_true(g_file_test(f->path, G_FILE_TEST_EXISTS));
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
	g_autoptr(ApTimeOff) later = ap_time_off_new(at(20, 0, 0), at(21, 0, 0), "holiday");
	g_autoptr(ApTimeOff) sooner = ap_time_off_new(at(10, 0, 0), at(11, 0, 0), NULL);
	g_autoptr(ApTimeOff) orphan = ap_time_off_new(at(10, 0, 0), at(11, 0, 0), NULL);
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
test_booking_create(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ApBooking) b = booking_new(f->store, "personal-styling", at(4, 10, 0), "Zoë");
	g_autoptr(ApBooking) got = NULL;
	g_autoptr(ApBooking) by_token = NULL;
	g_autoptr(ApBooking) missing = NULL;
	g_autoptr(GPtrArray) history = NULL;
	const gint64 experts[] = {f->expert_a, 0};
	ApBookingEvent *ev;

	b->channel = AP_BOOKING_CHANNEL_PHONE;
	b->customer_phone = g_strdup("+44 7700 900002");
	b->customer_timezone = g_strdup("Europe/Berlin");
	b->answers = json_object_new();
	json_object_set_string_member(b->answers, "occasion", "Work");
	g_assert_true(book_full(f->store, b, experts, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmpint(b->id, >, 0);
	g_assert_cmpint(b->expert_id, ==, f->expert_a);
	g_assert_true(ap_reference_is_valid(b->reference));
	g_assert_cmpint(b->status, ==, AP_BOOKING_STATUS_CONFIRMED);
	g_assert_cmpint(b->created_at, >, 0);
	g_assert_cmpint(b->updated_at, ==, b->created_at);

	got = ap_store_booking_get(f->store, b->reference, &error);
	g_assert_no_error(error);
	g_assert_cmpint(got->id, ==, b->id);
	g_assert_cmpstr(got->reference, ==, b->reference);
	g_assert_cmpstr(got->token_hash, ==, b->token_hash);
	g_assert_cmpstr(got->service_id, ==, "personal-styling");
	g_assert_cmpint(got->expert_id, ==, f->expert_a);
	g_assert_cmpint(got->start, ==, at(4, 10, 0));
	g_assert_cmpint(got->end, ==, at(4, 10, 45));
	g_assert_cmpint(got->channel, ==, AP_BOOKING_CHANNEL_PHONE);
	g_assert_cmpstr(got->customer_name, ==, "Zoë");
	g_assert_cmpstr(got->customer_email, ==, "Zoë@example.org");
	g_assert_cmpstr(got->customer_phone, ==, "+44 7700 900002");
	g_assert_cmpstr(got->customer_locale, ==, "en-GB");
	g_assert_cmpstr(got->customer_timezone, ==, "Europe/Berlin");
	g_assert_cmpstr(json_object_get_string_member(got->answers, "occasion"), ==, "Work");
	g_assert_cmpstr(got->ical_uid, ==, b->ical_uid);
	g_assert_cmpint(got->sequence, ==, 0);
	g_assert_null(got->cancel_reason);
	g_assert_cmpint(got->created_at, ==, b->created_at);

	by_token = ap_store_booking_get_by_token(f->store, b->token_hash, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(by_token->reference, ==, b->reference);

	history = ap_store_booking_history(f->store, b->reference, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(history->len, ==, 1);
	ev = g_ptr_array_index(history, 0);
	g_assert_cmpstr(ev->action, ==, "created");
	g_assert_cmpstr(ev->actor, ==, "test");
	g_assert_nonnull(strstr(ev->detail, "2031-03-04T10:00:00Z"));

	missing = ap_store_booking_get(f->store, "ZZZZZZZZ", &error);
	g_assert_error(error, AP_ERROR, AP_ERROR_NOT_FOUND);
	g_assert_null(missing);
	g_clear_error(&error);
	missing = ap_store_booking_get_by_token(f->store, "nope", &error);
	g_assert_error(error, AP_ERROR, AP_ERROR_NOT_FOUND);
	g_assert_null(missing);
	g_clear_error(&error);
	g_clear_pointer(&history, g_ptr_array_unref);
	history = ap_store_booking_history(f->store, "ZZZZZZZZ", &error);
	g_assert_error(error, AP_ERROR, AP_ERROR_NOT_FOUND);
	g_assert_null(history);
}

static GPtrArray *
search(ApStore *store, const gchar *text)
{
	g_autoptr(GError) error = NULL;
	ApBookingQuery q = {.text = text, .from = G_MININT64, .to = G_MAXINT64, .limit = 50};
	GPtrArray *found = ap_store_bookings_search(store, &q, &error);

	g_assert_no_error(error);
	return found;
}

static const gchar *
name_at(GPtrArray *bookings, guint i)
{
	return ((ApBooking *)g_ptr_array_index(bookings, i))->customer_name;
}

static void
test_booking_search(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	const gchar *names[] = {"Zoë Öztürk", "Ann_Lee", "AnnXLee", "100% Cotton", "1000 Cotton"};
	const gchar *phones[] = {"+44 7700 900002", "020 7946 0018", NULL, NULL, "07700 900111"};
	g_autoptr(GPtrArray) found = NULL;
	g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func((GDestroyNotify)ap_booking_free);
	g_autofree gchar *part = NULL;
	ApBookingQuery q = {.from = G_MININT64, .to = G_MAXINT64, .limit = 2};
	guint hits = 0;

	for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
		ApBooking *b = booking_new(f->store, "nursery", at(4, 9 + (gint)i, 0), names[i]);
		const gint64 experts[] = {i % 2 == 0 ? f->expert_a : f->expert_b, 0};
		b->customer_phone = g_strdup(phones[i]);
		g_assert_true(book_full(f->store, b, experts, NULL, &error));
		g_assert_no_error(error);
		g_ptr_array_add(keep, b);
	}

	/* part of a reference, in any case (its digits may match a phone too) */
	part = g_ascii_strdown(((ApBooking *)g_ptr_array_index(keep, 3))->reference + 2, 5);
	found = search(f->store, part);
	g_assert_cmpuint(found->len, >=, 1);
	for (guint i = 0; i < found->len; i++) {
		if (g_strcmp0(name_at(found, i), "100% Cotton") == 0)
			hits++;
	}
	g_assert_cmpuint(hits, ==, 1);
	g_clear_pointer(&found, g_ptr_array_unref);

	/* names and emails, case-insensitively beyond ASCII */
	found = search(f->store, "ÖZTÜRK");
	g_assert_cmpuint(found->len, ==, 1);
	g_assert_cmpstr(name_at(found, 0), ==, "Zoë Öztürk");
	g_clear_pointer(&found, g_ptr_array_unref);
	found = search(f->store, "annxlee@EXAMPLE");
	g_assert_cmpuint(found->len, ==, 1);
	g_assert_cmpstr(name_at(found, 0), ==, "AnnXLee");
	g_clear_pointer(&found, g_ptr_array_unref);

	/* the user's wildcards are literal */
	found = search(f->store, "n_L");
	g_assert_cmpuint(found->len, ==, 1);
	g_assert_cmpstr(name_at(found, 0), ==, "Ann_Lee");
	g_clear_pointer(&found, g_ptr_array_unref);
	found = search(f->store, "0%");
	g_assert_cmpuint(found->len, ==, 1);
	g_assert_cmpstr(name_at(found, 0), ==, "100% Cotton");
	g_clear_pointer(&found, g_ptr_array_unref);
	found = search(f->store, "%");
	g_assert_cmpuint(found->len, ==, 1);
	g_clear_pointer(&found, g_ptr_array_unref);

	/* phones by their digits: national form finds the international one */
	found = search(f->store, "07700 900002");
	g_assert_cmpuint(found->len, ==, 1);
	g_assert_cmpstr(name_at(found, 0), ==, "Zoë Öztürk");
	g_clear_pointer(&found, g_ptr_array_unref);
	found = search(f->store, "7946-0018");
	g_assert_cmpuint(found->len, ==, 1);
	g_assert_cmpstr(name_at(found, 0), ==, "Ann_Lee");
	g_clear_pointer(&found, g_ptr_array_unref);
	found = search(f->store, "7700");
	g_assert_cmpuint(found->len, ==, 2);
	g_clear_pointer(&found, g_ptr_array_unref);
	found = search(f->store, "no such person");
	g_assert_cmpuint(found->len, ==, 0);
	g_clear_pointer(&found, g_ptr_array_unref);

	/* filters, order, paging */
	found = search(f->store, "cotton");
	g_assert_cmpuint(found->len, ==, 2);
	g_assert_cmpstr(name_at(found, 0), ==, "100% Cotton");
	g_assert_cmpstr(name_at(found, 1), ==, "1000 Cotton");
	g_clear_pointer(&found, g_ptr_array_unref);
	q.expert_id = f->expert_b;
	found = ap_store_bookings_search(f->store, &q, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(found->len, ==, 2);
	g_assert_cmpstr(name_at(found, 0), ==, "Ann_Lee");
	g_clear_pointer(&found, g_ptr_array_unref);
	q.expert_id = 0;
	q.from = at(4, 10, 0);
	q.to = at(4, 13, 0);
	q.offset = 1;
	found = ap_store_bookings_search(f->store, &q, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(found->len, ==, 2);
	g_assert_cmpstr(name_at(found, 0), ==, "AnnXLee");
	g_assert_cmpstr(name_at(found, 1), ==, "100% Cotton");
}

static void
test_booking_conflict(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ApBooking) first =
		book(f->store, "personal-styling", at(4, 10, 0), f->expert_a, &error);
	g_autoptr(ApBooking) same = NULL;
	g_autoptr(ApBooking) overlap = NULL;
	g_autoptr(ApBooking) other = NULL;

	g_assert_no_error(error);
	same = book(f->store, "personal-styling", at(4, 10, 0), f->expert_a, &error);
	g_assert_error(error, AP_ERROR, AP_ERROR_CONFLICT);
	g_assert_null(same);
	g_clear_error(&error);
	overlap = book(f->store, "nursery", at(4, 9, 30), f->expert_a, &error);
	g_assert_error(error, AP_ERROR, AP_ERROR_CONFLICT);
	g_assert_null(overlap);
	g_clear_error(&error);

	/* another expert is free */
	other = book(f->store, "personal-styling", at(4, 10, 0), f->expert_b, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(count_bookings(f->store), ==, 2);
}

static void
test_booking_buffers(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ApService) prep = add_service(f->store, "prepared", 30, 30, 0, 1);
	g_autoptr(ApBooking) first = NULL;
	g_autoptr(ApBooking) b = NULL;

	/* personal styling at 10:00 lasts to 10:45 and keeps 15 minutes after */
	first = book(f->store, "personal-styling", at(4, 10, 0), f->expert_a, &error);
	g_assert_no_error(error);
	b = book(f->store, "personal-styling", at(4, 10, 45), f->expert_a, &error);
	g_assert_error(error, AP_ERROR, AP_ERROR_CONFLICT);
	g_clear_error(&error);
	/* nor may a session's own buffer run into the next session */
	b = book(f->store, "personal-styling", at(4, 9, 15), f->expert_a, &error);
	g_assert_error(error, AP_ERROR, AP_ERROR_CONFLICT);
	g_clear_error(&error);
	b = book(f->store, "personal-styling", at(4, 9, 0), f->expert_a, &error);
	g_assert_no_error(error);
	g_clear_pointer(&b, ap_booking_free);

	/* 30 minutes before "prepared": at 11:00 its buffer meets 10:00-10:45 */
	b = book(f->store, "prepared", at(4, 11, 0), f->expert_a, &error);
	g_assert_error(error, AP_ERROR, AP_ERROR_CONFLICT);
	g_clear_error(&error);
	/* at 11:15 the two buffers overlap, which is allowed */
	b = book(f->store, "prepared", at(4, 11, 15), f->expert_a, &error);
	g_assert_no_error(error);
	g_clear_pointer(&b, ap_booking_free);
	b = book(f->store, "personal-styling", at(4, 11, 45), f->expert_a, &error);
	g_assert_no_error(error);
}

static void
test_booking_any_expert(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func((GDestroyNotify)ap_booking_free);
	const gint64 both[] = {f->expert_a, f->expert_b, 0};
	const gint64 both_reversed[] = {f->expert_b, f->expert_a, 0};
	ApBooking *b;

	/* a has two bookings on the 4th, b one; b has three on the 5th */
	g_ptr_array_add(keep, book(f->store, "nursery", at(4, 9, 0), f->expert_a, &error));
	g_ptr_array_add(keep, book(f->store, "nursery", at(4, 11, 0), f->expert_a, &error));
	g_ptr_array_add(keep, book(f->store, "nursery", at(4, 9, 0), f->expert_b, &error));
	g_ptr_array_add(keep, book(f->store, "nursery", at(5, 9, 0), f->expert_b, &error));
	g_ptr_array_add(keep, book(f->store, "nursery", at(5, 10, 0), f->expert_b, &error));
	g_ptr_array_add(keep, book(f->store, "nursery", at(5, 11, 0), f->expert_b, &error));
	g_assert_no_error(error);

	/* fewest that day wins, whatever the order of the candidates */
	b = booking_new(f->store, "nursery", at(4, 14, 0), "Sam");
	g_assert_true(book_full(f->store, b, both, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmpint(b->expert_id, ==, f->expert_b);
	g_ptr_array_add(keep, b);

	/* now 2 each on the 4th: a tie goes to the lowest id */
	b = booking_new(f->store, "nursery", at(4, 15, 0), "Kim");
	g_assert_true(book_full(f->store, b, both_reversed, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmpint(b->expert_id, ==, f->expert_a);
	g_ptr_array_add(keep, b);

	/* the less busy expert is taken at that time: the busier one gets it */
	g_ptr_array_add(keep, book(f->store, "nursery", at(5, 13, 0), f->expert_a, &error));
	g_assert_no_error(error);
	b = booking_new(f->store, "nursery", at(5, 13, 0), "Lee");
	g_assert_true(book_full(f->store, b, both, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmpint(b->expert_id, ==, f->expert_b);
	g_ptr_array_add(keep, b);

	/* nobody free */
	b = booking_new(f->store, "nursery", at(4, 9, 0), "Max");
	g_assert_false(book_full(f->store, b, both, NULL, &error));
	g_assert_error(error, AP_ERROR, AP_ERROR_CONFLICT);
	g_assert_cmpint(b->id, ==, 0);
	g_assert_cmpint(b->expert_id, ==, 0);
	g_assert_cmpstr(b->reference, ==, "");
	ap_booking_free(b);
}

static void
test_booking_capacity(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ApService) group = add_service(f->store, "workshop", 60, 0, 0, 2);
	g_autoptr(ApBooking) one = NULL;
	g_autoptr(ApBooking) two = NULL;
	g_autoptr(ApBooking) three = NULL;
	g_autoptr(ApBooking) again = NULL;
	g_autoptr(ApBooking) inside = NULL;

	one = book(f->store, "workshop", at(4, 10, 0), f->expert_a, &error);
	g_assert_no_error(error);
	two = book(f->store, "workshop", at(4, 10, 0), f->expert_a, &error);
	g_assert_no_error(error);
	g_assert_cmpint(seat_of(f, one), ==, 1);
	g_assert_cmpint(seat_of(f, two), ==, 2);
	three = book(f->store, "workshop", at(4, 10, 0), f->expert_a, &error);
	g_assert_error(error, AP_ERROR, AP_ERROR_CONFLICT);
	g_clear_error(&error);
	/* a seat is only shared at exactly the same start */
	inside = book(f->store, "workshop", at(4, 10, 30), f->expert_a, &error);
	g_assert_error(error, AP_ERROR, AP_ERROR_CONFLICT);
	g_clear_error(&error);

	/* a cancelled seat is given again */
	g_assert_true(ap_store_booking_set_status(
		f->store, one, AP_BOOKING_STATUS_CANCELLED, NULL, "test", &error));
	g_assert_no_error(error);
	again = book(f->store, "workshop", at(4, 10, 0), f->expert_a, &error);
	g_assert_no_error(error);
	g_assert_cmpint(seat_of(f, again), ==, 1);
}

static void
test_booking_idempotency(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ApBooking) first = booking_new(f->store, "nursery", at(4, 10, 0), "Ada");
	g_autoptr(ApBooking) retry = booking_new(f->store, "nursery", at(4, 10, 0), "Ada");
	g_autoptr(ApBooking) other = booking_new(f->store, "nursery", at(4, 12, 0), "Ada");
	g_autoptr(GBytes) sealed = g_bytes_new_static("sealed\0token", 12);
	const gint64 experts[] = {f->expert_a, 0};
	ApIdempotency idem = {.key = "key-1", .request_hash = "hash-1", .sealed_token = sealed};
	gsize len = 0;
	const gchar *data;

	g_assert_true(book_full(f->store, first, experts, &idem, &error));
	g_assert_no_error(error);
	g_assert_null(idem.replay);

	/* the same request again answers with the first booking */
	g_assert_true(book_full(f->store, retry, experts, &idem, &error));
	g_assert_no_error(error);
	g_assert_nonnull(idem.replay);
	g_assert_cmpstr(idem.replay->reference, ==, first->reference);
	g_assert_cmpint(idem.replay->id, ==, first->id);
	g_assert_cmpint(retry->id, ==, 0);
	data = g_bytes_get_data(idem.replay_sealed_token, &len);
	g_assert_cmpmem(data, len, "sealed\0token", 12);
	g_assert_cmpuint(count_bookings(f->store), ==, 1);
	ap_idempotency_clear(&idem);

	/* the same key with another request is refused */
	idem.request_hash = "hash-2";
	g_assert_false(book_full(f->store, other, experts, &idem, &error));
	g_assert_error(error, AP_ERROR, AP_ERROR_IDEMPOTENCY_MISMATCH);
	g_assert_null(idem.replay);
	g_clear_error(&error);
	g_assert_cmpuint(count_bookings(f->store), ==, 1);

	/* another key books anew */
	idem.key = "key-2";
	g_assert_true(book_full(f->store, other, experts, &idem, &error));
	g_assert_no_error(error);
	g_assert_null(idem.replay);
	g_assert_cmpuint(count_bookings(f->store), ==, 2);
}

static void
test_booking_reschedule(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ApService) service = ap_store_service_get(f->store, "personal-styling", &error);
	g_autoptr(ApBooking) b =
		book(f->store, "personal-styling", at(4, 10, 0), f->expert_a, &error);
	g_autoptr(ApBooking) blocker =
		book(f->store, "personal-styling", at(4, 14, 0), f->expert_a, &error);
	g_autoptr(ApBooking) copy = NULL;
	g_autoptr(ApBooking) got = NULL;
	g_autoptr(GPtrArray) history = NULL;
	g_autofree gchar *token_hash = NULL;
	g_autofree gchar *uid = NULL;
	gchar reference[AP_REFERENCE_LENGTH + 1];
	ApCandidate c[2];
	ApBookingEvent *ev;

	g_assert_no_error(error);
	g_strlcpy(reference, b->reference, sizeof(reference));
	token_hash = g_strdup(b->token_hash);
	uid = g_strdup(b->ical_uid);

	/* into a taken slot: refused, and nothing changes */
	candidate_for(&c[0], f->expert_a, at(4, 14, 0));
	copy = ap_booking_copy(b);
	g_assert_false(ap_store_booking_reschedule(
		f->store, b, service, at(4, 14, 0), at(4, 14, 45), c, 1, "test", &error));
	g_assert_error(error, AP_ERROR, AP_ERROR_CONFLICT);
	g_clear_error(&error);
	g_assert_cmpint(b->start, ==, at(4, 10, 0));
	got = ap_store_booking_get(f->store, reference, &error);
	g_assert_no_error(error);
	g_assert_cmpint(got->start, ==, at(4, 10, 0));
	g_assert_cmpint(got->sequence, ==, 0);
	g_assert_cmpint(got->updated_at, ==, copy->updated_at);
	g_clear_pointer(&got, ap_booking_free);

	/* moving a little later overlaps only the booking itself */
	candidate_for(&c[0], f->expert_a, at(4, 10, 30));
	candidate_for(&c[1], f->expert_b, at(4, 10, 30));
	g_assert_true(ap_store_booking_reschedule(
		f->store, b, service, at(4, 10, 30), at(4, 11, 15), c, 2, "customer", &error));
	g_assert_no_error(error);
	/* the current expert keeps it while free, busier or not */
	g_assert_cmpint(b->expert_id, ==, f->expert_a);
	g_assert_cmpint(b->start, ==, at(4, 10, 30));
	g_assert_cmpint(b->end, ==, at(4, 11, 15));
	g_assert_cmpint(b->sequence, ==, 1);
	g_assert_cmpstr(b->reference, ==, reference);
	g_assert_cmpstr(b->token_hash, ==, token_hash);
	g_assert_cmpstr(b->ical_uid, ==, uid);
	got = ap_store_booking_get(f->store, reference, &error);
	g_assert_no_error(error);
	g_assert_cmpint(got->start, ==, at(4, 10, 30));
	g_assert_cmpint(got->sequence, ==, 1);
	g_clear_pointer(&got, ap_booking_free);

	/* to another expert */
	candidate_for(&c[0], f->expert_b, at(5, 16, 0));
	g_assert_true(ap_store_booking_reschedule(
		f->store, b, service, at(5, 16, 0), at(5, 16, 45), c, 1, "staff", &error));
	g_assert_no_error(error);
	g_assert_cmpint(b->expert_id, ==, f->expert_b);
	g_assert_cmpint(b->sequence, ==, 2);

	history = ap_store_booking_history(f->store, reference, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(history->len, ==, 3);
	ev = g_ptr_array_index(history, 1);
	g_assert_cmpstr(ev->action, ==, "rescheduled");
	g_assert_cmpstr(ev->actor, ==, "customer");
	g_assert_nonnull(strstr(ev->detail, "\"from\""));
	g_assert_nonnull(strstr(ev->detail, "2031-03-04T10:00:00Z"));
	g_assert_nonnull(strstr(ev->detail, "2031-03-04T10:30:00Z"));
	ev = g_ptr_array_index(history, 2);
	g_assert_cmpstr(ev->actor, ==, "staff");

	/* a cancelled booking cannot move */
	g_assert_true(ap_store_booking_set_status(
		f->store, b, AP_BOOKING_STATUS_CANCELLED, "ill", "customer", &error));
	g_assert_no_error(error);
	g_assert_false(ap_store_booking_reschedule(
		f->store, b, service, at(6, 10, 0), at(6, 10, 45), c, 1, "customer", &error));
	g_assert_error(error, AP_ERROR, AP_ERROR_STATE);
}

static void
test_booking_status(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ApBooking) future = book(f->store, "nursery", at(4, 10, 0), f->expert_a, &error);
	g_autoptr(ApBooking) past = NULL;
	g_autoptr(ApBooking) got = NULL;
	g_autoptr(ApBooking) ghost = ap_booking_new();
	g_autoptr(GPtrArray) history = NULL;
	g_autoptr(GDateTime) now = g_date_time_new_now_utc();
	g_autoptr(GDateTime) yesterday = g_date_time_add_days(now, -1);
	ApBookingEvent *ev;

	g_assert_no_error(error);
	past = book(f->store, "nursery", g_date_time_to_unix(yesterday), f->expert_a, &error);
	g_assert_no_error(error);

	/* not started: cannot be completed */
	g_assert_false(ap_store_booking_set_status(
		f->store, future, AP_BOOKING_STATUS_COMPLETED, NULL, "expert", &error));
	g_assert_error(error, AP_ERROR, AP_ERROR_STATE);
	g_clear_error(&error);
	got = ap_store_booking_get(f->store, future->reference, &error);
	g_assert_no_error(error);
	g_assert_cmpint(got->status, ==, AP_BOOKING_STATUS_CONFIRMED);
	g_clear_pointer(&got, ap_booking_free);

	/* cancelled, with a reason; the calendar must follow */
	g_assert_true(ap_store_booking_set_status(
		f->store, future, AP_BOOKING_STATUS_CANCELLED, "moving house", "customer", &error));
	g_assert_no_error(error);
	g_assert_cmpint(future->status, ==, AP_BOOKING_STATUS_CANCELLED);
	g_assert_cmpstr(future->cancel_reason, ==, "moving house");
	g_assert_cmpint(future->sequence, ==, 1);
	g_assert_cmpstr(future->customer_name, ==, "Alex");
	g_assert_false(ap_store_booking_set_status(
		f->store, future, AP_BOOKING_STATUS_CANCELLED, NULL, "customer", &error));
	g_assert_error(error, AP_ERROR, AP_ERROR_STATE);
	g_clear_error(&error);

	/* started: cannot be cancelled, can be marked */
	g_assert_false(ap_store_booking_set_status(
		f->store, past, AP_BOOKING_STATUS_CANCELLED, NULL, "customer", &error));
	g_assert_error(error, AP_ERROR, AP_ERROR_STATE);
	g_clear_error(&error);
	g_assert_true(ap_store_booking_set_status(
		f->store, past, AP_BOOKING_STATUS_NO_SHOW, NULL, "expert", &error));
	g_assert_no_error(error);
	g_assert_cmpint(past->status, ==, AP_BOOKING_STATUS_NO_SHOW);
	g_assert_cmpint(past->sequence, ==, 0);
	g_assert_false(ap_store_booking_set_status(
		f->store, past, AP_BOOKING_STATUS_COMPLETED, NULL, "expert", &error));
	g_assert_error(error, AP_ERROR, AP_ERROR_STATE);
	g_clear_error(&error);

	history = ap_store_booking_history(f->store, future->reference, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(history->len, ==, 2);
	ev = g_ptr_array_index(history, 0);
	g_assert_cmpstr(ev->action, ==, "created");
	ev = g_ptr_array_index(history, 1);
	g_assert_cmpstr(ev->action, ==, "cancelled");
	g_assert_cmpstr(ev->actor, ==, "customer");
	g_assert_nonnull(strstr(ev->detail, "moving house"));
	g_clear_pointer(&history, g_ptr_array_unref);
	history = ap_store_booking_history(f->store, past->reference, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(history->len, ==, 2);
	g_assert_cmpstr(((ApBookingEvent *)g_ptr_array_index(history, 1))->action, ==, "no-show");

	g_strlcpy(ghost->reference, "ZZZZZZZZ", sizeof(ghost->reference));
	g_assert_false(ap_store_booking_set_status(
		f->store, ghost, AP_BOOKING_STATUS_CANCELLED, NULL, "customer", &error));
	g_assert_error(error, AP_ERROR, AP_ERROR_NOT_FOUND);
}

static void
test_clock(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ApBooking) b = NULL;
	g_autoptr(GPtrArray) history = NULL;

	/* a fixed clock (as the engine's in tests and demonstrations) decides
	 * the transitions and stamps the changes */
	ap_store_set_now(f->store, at(1, 12, 0));
	g_assert_cmpint(ap_store_get_now(f->store), ==, at(1, 12, 0));
	b = book(f->store, "nursery", at(4, 10, 0), f->expert_a, &error);
	g_assert_no_error(error);
	g_assert_cmpint(b->created_at, ==, at(1, 12, 0));
	ap_store_set_now(f->store, at(4, 10, 50));
	g_assert_true(ap_store_booking_set_status(
		f->store, b, AP_BOOKING_STATUS_COMPLETED, NULL, "expert", &error));
	g_assert_no_error(error);
	g_assert_cmpint(b->status, ==, AP_BOOKING_STATUS_COMPLETED);
	g_assert_cmpint(b->updated_at, ==, at(4, 10, 50));
	history = ap_store_booking_history(f->store, b->reference, &error);
	g_assert_no_error(error);
	g_assert_cmpint(((ApBookingEvent *)g_ptr_array_index(history, 1))->at, ==, at(4, 10, 50));

	/* 0 is the real clock again */
	ap_store_set_now(f->store, 0);
	g_assert_cmpint(ap_store_get_now(f->store), >=, g_get_real_time() / G_USEC_PER_SEC - 5);
}

static void
test_busy_list(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func((GDestroyNotify)ap_booking_free);
	g_autoptr(GArray) busy = NULL;
	ApBooking *cancelled;
	ApBusy *b;

	g_ptr_array_add(keep,
			book(f->store, "personal-styling", at(4, 14, 0), f->expert_b, &error));
	g_ptr_array_add(keep,
			book(f->store, "personal-styling", at(4, 10, 0), f->expert_b, &error));
	g_ptr_array_add(keep,
			book(f->store, "personal-styling", at(4, 12, 0), f->expert_a, &error));
	g_ptr_array_add(keep,
			book(f->store, "personal-styling", at(4, 16, 0), f->expert_a, &error));
	g_assert_no_error(error);
	cancelled = book(f->store, "nursery", at(4, 11, 0), f->expert_a, &error);
	g_assert_no_error(error);
	g_assert_true(ap_store_booking_set_status(
		f->store, cancelled, AP_BOOKING_STATUS_CANCELLED, NULL, "test", &error));
	g_assert_no_error(error);
	g_ptr_array_add(keep, cancelled);

	/* [10:45, 16:00): the 10:00 session's buffer reaches in, 16:00 does
	 * not; the cancelled booking holds nothing */
	busy = ap_store_busy_list(f->store, 0, at(4, 10, 45), at(4, 16, 0), &error);
	g_assert_no_error(error);
	g_assert_cmpuint(busy->len, ==, 3);
	b = &g_array_index(busy, ApBusy, 0);
	g_assert_cmpint(b->expert_id, ==, f->expert_a);
	g_assert_cmpint(b->start, ==, at(4, 12, 0));
	g_assert_cmpint(b->end, ==, at(4, 12, 45));
	g_assert_cmpint(b->block_start, ==, at(4, 12, 0));
	g_assert_cmpint(b->block_end, ==, at(4, 13, 0));
	g_assert_true(b->service_id == g_intern_static_string("personal-styling"));
	b = &g_array_index(busy, ApBusy, 1);
	g_assert_cmpint(b->expert_id, ==, f->expert_b);
	g_assert_cmpint(b->start, ==, at(4, 10, 0));
	b = &g_array_index(busy, ApBusy, 2);
	g_assert_cmpint(b->start, ==, at(4, 14, 0));
	g_clear_pointer(&busy, g_array_unref);

	/* [11:00, ...): the 10:00 block ends exactly where it starts */
	busy = ap_store_busy_list(f->store, f->expert_b, at(4, 11, 0), at(5, 0, 0), &error);
	g_assert_no_error(error);
	g_assert_cmpuint(busy->len, ==, 1);
	g_assert_cmpint(g_array_index(busy, ApBusy, 0).start, ==, at(4, 14, 0));
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
	db = raw_open(f->path);
	g_assert_cmpint(raw_int(db, "SELECT last_used_at IS NOT NULL FROM api_tokens"), ==, 1);
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
		g_ptr_array_add(keep,
				book(f->store, "nursery", at(4, 9 + i, 0), f->expert_a, &error));
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
	g_ptr_array_add(keep, book(f->store, "nursery", at(5, 9, 0), f->expert_a, &error));
	g_assert_no_error(error);
	copy = ap_sqlite_store_new(copy_path, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(count_bookings(copy), ==, 5);
	for (guint i = 0; i < 5; i++) {
		ApBooking *b = g_ptr_array_index(keep, i);
		g_autoptr(ApBooking) got = ap_store_booking_get(copy, b->reference, &error);
		g_assert_no_error(error);
		g_assert_cmpstr(got->token_hash, ==, b->token_hash);
	}
	g_assert_cmpuint(count_bookings(f->store), ==, 6);
}

static void
test_failed_write(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ApBooking) b = book(f->store, "nursery", at(4, 10, 0), f->expert_a, &error);
	g_autoptr(ApBooking) clash = NULL;
	g_autoptr(ApBooking) next = NULL;
	g_autoptr(ApExpert) bad = ap_expert_new();
	g_autoptr(ApExpert) good = ap_expert_new();
	g_autoptr(sqlite3) db = NULL;
	g_autoptr(GPtrArray) experts = NULL;

	g_assert_no_error(error);
	clash = book(f->store, "nursery", at(4, 10, 0), f->expert_a, &error);
	g_assert_error(error, AP_ERROR, AP_ERROR_CONFLICT);
	g_clear_error(&error);

	/* no write lock is left behind: another connection can write at once */
	db = raw_open(f->path);
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
	g_assert_cmpint(raw_int(db, "SELECT count(*) FROM experts"), ==, 2);
	g_assert_cmpint(raw_int(db, "SELECT count(*) FROM expert_services"), ==, 5);
	g_assert_cmpint(
		sqlite3_exec(db, "BEGIN IMMEDIATE; COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);

	/* and the next writes work */
	good->name = g_strdup("Half");
	good->email = g_strdup("half@example.com");
	g_assert_true(ap_store_expert_create(f->store, good, &error));
	g_assert_no_error(error);
	next = book(f->store, "nursery", at(4, 11, 0), f->expert_a, &error);
	g_assert_no_error(error);
	experts = ap_store_experts_list(f->store, NULL, TRUE, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(experts->len, ==, 3);
}

static void
test_unique_index(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(sqlite3) db = raw_open(f->path);
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

	b = book(f->store, "nursery", at(4, 10, 0), f->expert_a, &error);
	g_assert_error(error, AP_ERROR, AP_ERROR_CONFLICT);
	g_assert_null(b);
	g_clear_error(&error);
	g_assert_cmpint(raw_int(db, "SELECT count(*) FROM bookings"), ==, 0);
	g_assert_cmpint(raw_int(db, "SELECT count(*) FROM booking_events"), ==, 0);
	g_assert_cmpint(sqlite3_exec(db, "DROP TRIGGER sneak", NULL, NULL, NULL), ==, SQLITE_OK);

	b = book(f->store, "nursery", at(4, 10, 0), f->expert_a, &error);
	g_assert_no_error(error);
}

static void
test_newer_version(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *dir = g_dir_make_tmp("appoint-store-XXXXXX", &error);
	g_autofree gchar *path = g_build_filename(dir, "future.db", NULL);
	g_autoptr(ApStore) store = NULL;
	sqlite3 *db = NULL;

	g_assert_no_error(error);
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
	rm_rf(dir);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) g_test_add(path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
	ADD("/store/open-twice", test_open_twice);
	ADD("/store/wal", test_wal);
	ADD("/store/catalogue", test_catalogue);
	ADD("/store/services", test_services);
	ADD("/store/experts", test_experts);
	ADD("/store/booking/create", test_booking_create);
	ADD("/store/booking/search", test_booking_search);
	ADD("/store/booking/conflict", test_booking_conflict);
	ADD("/store/booking/buffers", test_booking_buffers);
	ADD("/store/booking/any-expert", test_booking_any_expert);
	ADD("/store/booking/capacity", test_booking_capacity);
	ADD("/store/booking/idempotency", test_booking_idempotency);
	ADD("/store/booking/reschedule", test_booking_reschedule);
	ADD("/store/booking/status", test_booking_status);
	ADD("/store/clock", test_clock);
	ADD("/store/busy-list", test_busy_list);
	ADD("/store/users", test_users);
	ADD("/store/backup", test_backup);
	ADD("/store/failed-write", test_failed_write);
	ADD("/store/unique-index", test_unique_index);
#undef ADD
	g_test_add_func("/store/newer-version", test_newer_version);
	return g_test_run();
}
