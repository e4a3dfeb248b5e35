/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "ap-config.h"
#include "ap-engine.h"
#include "ap-error.h"
#include "ap-privacy.h"
#include "ap-secret.h"
#include "ap-test-store.h"
#include "ap-test-util.h"

/*
 * A customer's rights (UK GDPR): `appointctl customer export` prints
 * everything held about them, `customer erase` cancels their future
 * sessions (they are emailed) and anonymises every booking once its last
 * email has gone; past sessions lose their customer after the retention
 * period. Real appointctl, a real database file.
 */

#define AP_DAY (24 * 3600)

typedef struct {
	gchar *dir;
	gchar *config;
	gchar *db;
	ApStore *store;
	gint64 expert;
} Fixture;

static void
fixture_set_up(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;

	g_assert_no_error(error);
	f->dir = ap_test_make_dir();
	f->config = ap_test_write_config(f->dir, NULL);
	f->db = g_build_filename(f->dir, "appoint.db", NULL);
	f->store = ap_test_store_open(f->db);
	f->expert =
		ap_test_add_expert(f->store, "pat@example.com", "personal-styling", G_DATE_SUNDAY);
}

static void
fixture_tear_down(Fixture *f, gconstpointer user_data)
{
	g_clear_object(&f->store);
	ap_test_remove_dir(f->dir);
	g_free(f->db);
	g_free(f->config);
	g_free(f->dir);
}

/* a whole hour @days from now (negative: past), on the expert's day */
static gint64
hour_from_now(gint days, gint hour)
{
	gint64 now = g_get_real_time() / G_USEC_PER_SEC;
	gint64 midnight = now - now % AP_DAY;

	return midnight + (gint64)days * AP_DAY + hour * 3600;
}

/* the start of the hour @hours before this one: never more than a day
 * ago, whatever the time of day the test runs at */
static gint64
hours_ago(gint hours)
{
	gint64 now = g_get_real_time() / G_USEC_PER_SEC;

	return now - now % 3600 - (gint64)hours * 3600;
}

static gchar *
book(Fixture *f, gint64 start, const gchar *name, const gchar *email)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ApBooking) b = ap_test_booking_new(f->store, "personal-styling", start, name);
	const gint64 experts[] = {f->expert, 0};

	g_free(b->customer_email);
	b->customer_email = g_strdup(email);
	b->customer_phone = g_strdup("+44 7700 900123");
	g_assert_true(ap_test_book_full(f->store, b, experts, NULL, &error));
	g_assert_no_error(error);
	return g_strdup(b->reference);
}

static ApTestRun *
ctl(Fixture *f, const gchar *command, const gchar *email)
{
	const gchar *argv[] = {
		g_getenv("APPOINTCTL"), "--config", f->config, "customer", command, email, NULL};
	return ap_test_run(NULL, argv);
}

/* what the outbox relay would do: every email of @reference delivered */
static void
deliver(Fixture *f, const gchar *reference)
{
	g_autoptr(sqlite3) db = ap_test_db_open(f->db);
	g_autofree gchar *sql = g_strdup_printf(
		"UPDATE outbox SET status = 'sent', sent_at = 1 WHERE status = 'pending' AND "
		"kind != 'reminder' AND booking_id = (SELECT id FROM bookings WHERE reference = "
		"'%s')",
		reference);

	g_assert_cmpint(sqlite3_exec(db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
}

static gint64
db_int(Fixture *f, const gchar *format, ...) G_GNUC_PRINTF(2, 3);

/* the number @format, a query filled in printf()-style, answers */
static gint64
db_int(Fixture *f, const gchar *format, ...)
{
	g_autoptr(sqlite3) db = ap_test_db_open(f->db);
	g_autofree gchar *sql = NULL;
	va_list ap;

	va_start(ap, format);
	sql = g_strdup_vprintf(format, ap);
	va_end(ap);
	return ap_test_db_int(db, sql);
}

static void
test_privacy_export_erase(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *past =
		book(f, hour_from_now(-5, 10), "Alice Archer", "alice@example.org");
	g_autofree gchar *future =
		book(f, hour_from_now(3, 10), "Alice Archer", "Alice@Example.org");
	g_autofree gchar *other = book(f, hour_from_now(3, 12), "Bob Baker", "bob@example.org");
	g_autoptr(ApTestRun) exported = NULL;
	g_autoptr(ApTestRun) bad = NULL;
	g_autoptr(ApTestRun) nobody = NULL;
	g_autoptr(ApTestRun) erased = NULL;
	g_autoptr(ApTestRun) again = NULL;
	g_autoptr(JsonNode) json = NULL;
	JsonObject *root;
	JsonArray *bookings;
	JsonObject *first;

	g_assert_true(
		ap_store_booking_add_note(f->store, past, "Alice prefers blue", "staff:1", &error));
	g_assert_no_error(error);

	/* everything held, as JSON: both of hers, whatever the case of the
	 * address, with their history and emails; nobody else's */
	exported = ctl(f, "export", "alice@example.org");
	g_assert_cmpint(exported->status, ==, 0);
	json = json_from_string(exported->out, &error);
	g_assert_no_error(error);
	root = json_node_get_object(json);
	g_assert_cmpstr(json_object_get_string_member(root, "email"), ==, "alice@example.org");
	bookings = json_object_get_array_member(root, "bookings");
	g_assert_cmpuint(json_array_get_length(bookings), ==, 2);
	first = json_array_get_object_element(bookings, 0);
	g_assert_cmpstr(json_object_get_string_member(
				json_object_get_object_member(first, "booking"), "reference"),
			==,
			past);
	g_assert_cmpuint(
		json_array_get_length(json_object_get_array_member(first, "history")), ==, 2);
	g_assert_cmpuint(
		json_array_get_length(json_object_get_array_member(first, "emails")), >=, 2);
	g_assert_null(strstr(exported->out, "bob@example.org"));
	g_assert_nonnull(strstr(exported->out, "Alice prefers blue"));

	bad = ctl(f, "export", "not an address");
	ap_test_assert_one_line_error(bad);
	nobody = ctl(f, "erase", "nobody@example.org");
	ap_test_assert_one_line_error(nobody);

	/* the past session's emails went; the future one is cancelled, and
	 * keeps her address until its cancellation has gone too */
	deliver(f, past);
	erased = ctl(f, "erase", "alice@example.org");
	g_assert_cmpint(erased->status, ==, 0);
	g_assert_nonnull(
		strstr(erased->out, "cancelled 1 future session(s); anonymised 1 booking(s)"));
	g_assert_cmpint(
		db_int(f,
		       "SELECT count(*) FROM bookings WHERE reference = '%s' AND "
		       "customer_email = 'erased@invalid' AND customer_name = '(erased)' AND "
		       "customer_phone IS NULL AND answers IS NULL AND anonymised_at > 0 AND "
		       "token_hash LIKE 'erased:%%'",
		       past),
		==,
		1);
	g_assert_cmpint(db_int(f,
			       "SELECT count(*) FROM bookings WHERE reference = '%s' AND "
			       "status = 'cancelled' AND anonymised_at IS NULL AND "
			       "erase_requested_at > 0",
			       future),
			==,
			1);
	g_assert_cmpint(
		db_int(f,
		       "SELECT count(*) FROM outbox o JOIN bookings b ON b.id = o.booking_id "
		       "WHERE b.reference = '%s' AND o.kind = 'cancellation' AND "
		       "o.status = 'pending' AND o.recipient = 'Alice@Example.org'",
		       future),
		==,
		1);

	/* once it has gone, running it again finishes the job */
	deliver(f, future);
	again = ctl(f, "erase", "alice@example.org");
	g_assert_cmpint(again->status, ==, 0);
	g_assert_nonnull(
		strstr(again->out, "cancelled 0 future session(s); anonymised 1 booking(s)"));
	g_assert_cmpint(
		db_int(f, "SELECT count(*) FROM bookings WHERE customer_email LIKE '%%alice%%'"),
		==,
		0);
	g_assert_cmpint(
		db_int(f, "SELECT count(*) FROM outbox WHERE recipient LIKE '%%alice%%'"), ==, 0);
	g_assert_cmpint(
		db_int(f, "SELECT count(*) FROM booking_events WHERE detail LIKE '%%Alice%%'"),
		==,
		0);
	g_assert_cmpint(
		db_int(f,
		       "SELECT count(*) FROM booking_events e JOIN bookings b ON "
		       "b.id = e.booking_id WHERE b.reference = '%s' AND e.action = 'anonymised'",
		       future),
		==,
		1);
	/* Bob is untouched */
	g_assert_cmpint(db_int(f,
			       "SELECT count(*) FROM bookings WHERE reference = '%s' AND "
			       "customer_email = 'bob@example.org' AND status = 'confirmed'",
			       other),
			==,
			1);
}

static void
test_privacy_retention(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *old = book(f, hour_from_now(-3, 10), "Carol Cole", "carol@example.org");
	g_autofree gchar *recent = book(f, hours_ago(2), "Dan Dale", "dan@example.org");
	g_autofree gchar *unsent = book(f, hour_from_now(-4, 10), "Eve East", "eve@example.org");
	g_autoptr(ApConfig) config = ap_config_new_default();
	g_autoptr(ApEngine) engine = NULL;

	deliver(f, old);
	deliver(f, recent);
	/* keep for good: nothing goes */
	g_free(config->database_path);
	config->database_path = g_strdup(f->db);
	config->retention_days = 0;
	engine = ap_engine_new(config, f->store, &error);
	g_assert_no_error(error);
	g_assert_cmpint(ap_privacy_sweep(engine, &error), ==, 0);
	g_assert_no_error(error);

	/* a day: the session three days back goes, the one of two hours ago
	 * stays, and so does one whose confirmation has not gone yet */
	config->retention_days = 1;
	g_assert_cmpint(ap_privacy_sweep(engine, &error), ==, 1);
	g_assert_no_error(error);
	g_assert_cmpint(
		db_int(f,
		       "SELECT count(*) FROM bookings WHERE reference = '%s' AND anonymised_at > 0",
		       old),
		==,
		1);
	g_assert_cmpint(db_int(f,
			       "SELECT count(*) FROM bookings WHERE reference = '%s' AND "
			       "customer_email = 'dan@example.org'",
			       recent),
			==,
			1);
	g_assert_cmpint(db_int(f,
			       "SELECT count(*) FROM bookings WHERE reference = '%s' AND "
			       "customer_email = 'eve@example.org'",
			       unsent),
			==,
			1);
	g_assert_cmpint(ap_privacy_sweep(engine, &error), ==, 0);
	deliver(f, unsent);
	g_assert_cmpint(ap_privacy_sweep(engine, &error), ==, 1);
	g_assert_no_error(error);
}

static void
test_privacy_config(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ApConfig) config = ap_config_load_from_data(
		"[privacy]\nretention-days = 90\n", "/tmp/appoint.conf", &error);
	g_autoptr(ApConfig) bad = NULL;

	g_assert_no_error(error);
	g_assert_cmpuint(config->retention_days, ==, 90);
	bad = ap_config_load_from_data(
		"[privacy]\nretention-days = soon\n", "/tmp/appoint.conf", &error);
	g_assert_null(bad);
	g_assert_error(error, AP_ERROR, AP_ERROR_CONFIG);
	g_assert_nonnull(strstr(error->message, "retention-days"));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	g_assert_true(ap_secret_init(NULL));

#define ADD(path, func) g_test_add(path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
	ADD("/privacy/export-erase", test_privacy_export_erase);
	ADD("/privacy/retention", test_privacy_retention);
#undef ADD
	g_test_add_func("/privacy/config", test_privacy_config);
	return g_test_run();
}
