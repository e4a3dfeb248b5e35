/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bench-booking"

#include <sqlite3.h>
#include <stdlib.h>

#include "ap-error.h"
#include "ap-secret.h"
#include "ap-sqlite-db.h"
#include "ap-sqlite-store.h"
#include "ap-test-util.h"

/*
 * What a booking costs beyond the commit itself.
 *
 * Durable bookings are bound by fsync: with synchronous=FULL every commit
 * waits for the disk. So the yardstick is SQLite alone on the same disk in
 * the same run: (a) a loop of bare inserts into a table shaped like
 * bookings, with the same unique index, each in its own BEGIN IMMEDIATE /
 * COMMIT through a prepared statement; then (b) ap_store_booking_create()
 * on distinct free slots (several experts, one candidate each), which also
 * reads the expert's nearby bookings, counts seats, writes the history
 * row and keeps its statements cached. The ratio says how much of the
 * disk's commit rate the store delivers.
 *
 *   bench-booking [--raw-only] [N]    (default 1000 commits each)
 *
 * --raw-only measures (a) alone: the ceiling bench-http.sh holds the
 * bookings over HTTP against, over as many commits as it asks for, or
 * AP_BENCH_RAW_SECONDS of them on a disk too slow for that.
 */

#define AP_BENCH_EXPERTS 10

/* the raw loop stops after this long, whatever N asked for */
#define AP_BENCH_RAW_SECONDS 10

/* Monday 3 March 2031, 09:00 UTC */
#define AP_BENCH_FIRST_START 1930381200

static gboolean
bench_exec(sqlite3 *db, const gchar *sql, GError **error)
{
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK) {
		g_set_error(error, AP_ERROR, AP_ERROR_STORE, "%s: %s", sql, sqlite3_errmsg(db));
		return FALSE;
	}
	return TRUE;
}

static gboolean
bench_step(sqlite3 *db, sqlite3_stmt *stmt, GError **error)
{
	gint rc = sqlite3_step(stmt);

	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE) {
		g_set_error(error, AP_ERROR, AP_ERROR_STORE, "%s", sqlite3_errmsg(db));
		return FALSE;
	}
	return TRUE;
}

/* (a) bare SQLite: commits per second */
static gboolean
bench_raw(const gchar *path, guint n, gdouble *rate, GError **error)
{
	guint i;
	g_autoptr(sqlite3) db = NULL;
	g_autoptr(sqlite3_stmt) begin = NULL;
	g_autoptr(sqlite3_stmt) insert = NULL;
	g_autoptr(sqlite3_stmt) commit = NULL;
	gint64 t0;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK) {
		g_set_error(error, AP_ERROR, AP_ERROR_STORE, "%s", sqlite3_errmsg(db));
		return FALSE;
	}
	if (!bench_exec(db, "PRAGMA journal_mode=WAL", error) ||
	    !bench_exec(db, "PRAGMA synchronous=FULL", error) ||
	    !bench_exec(
		    db,
		    "CREATE TABLE bookings (id INTEGER PRIMARY KEY, reference TEXT NOT NULL "
		    "UNIQUE, expert_id INTEGER NOT NULL, start_at INTEGER NOT NULL, end_at "
		    "INTEGER NOT NULL, block_start INTEGER NOT NULL, block_end INTEGER NOT NULL, "
		    "seat INTEGER NOT NULL, status TEXT NOT NULL, customer_name TEXT NOT NULL, "
		    "customer_email TEXT NOT NULL);"
		    "CREATE UNIQUE INDEX bookings_seat ON bookings(expert_id, start_at, seat) "
		    "WHERE status != 'cancelled';"
		    "CREATE INDEX bookings_expert_block ON bookings(expert_id, block_start);",
		    error))
		return FALSE;
	if (sqlite3_prepare_v3(
		    db, "BEGIN IMMEDIATE", -1, SQLITE_PREPARE_PERSISTENT, &begin, NULL) !=
		    SQLITE_OK ||
	    sqlite3_prepare_v3(db, "COMMIT", -1, SQLITE_PREPARE_PERSISTENT, &commit, NULL) !=
		    SQLITE_OK ||
	    sqlite3_prepare_v3(
		    db,
		    "INSERT INTO bookings (reference, expert_id, start_at, end_at, "
		    "block_start, block_end, seat, status, customer_name, customer_email) "
		    "VALUES (?1, ?2, ?3, ?4, ?3, ?5, 1, 'confirmed', 'Bench', "
		    "'bench@example.org')",
		    -1,
		    SQLITE_PREPARE_PERSISTENT,
		    &insert,
		    NULL) != SQLITE_OK) {
		g_set_error(error, AP_ERROR, AP_ERROR_STORE, "%s", sqlite3_errmsg(db));
		return FALSE;
	}

	t0 = g_get_monotonic_time();
	for (i = 0; i < n; i++) {
		gint64 start = AP_BENCH_FIRST_START + (gint64)(i / AP_BENCH_EXPERTS) * 3600;
		gchar reference[AP_REFERENCE_LENGTH + 1];

		/* a disk that commits slowly: enough commits for a rate, not
		 * minutes of them */
		if (i % 100 == 0 && i > 0 &&
		    g_get_monotonic_time() - t0 > AP_BENCH_RAW_SECONDS * G_USEC_PER_SEC)
			break;

		ap_reference_generate(reference);
		sqlite3_bind_text(insert, 1, reference, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(insert, 2, 1 + i % AP_BENCH_EXPERTS);
		sqlite3_bind_int64(insert, 3, start);
		sqlite3_bind_int64(insert, 4, start + 45 * 60);
		sqlite3_bind_int64(insert, 5, start + 60 * 60);
		if (!bench_step(db, begin, error) || !bench_step(db, insert, error) ||
		    !bench_step(db, commit, error))
			return FALSE;
	}
	*rate = i / ((g_get_monotonic_time() - t0) / (gdouble)G_USEC_PER_SEC);
	return TRUE;
}

/* (b) the store: commits per second of ap_store_booking_create() */
static gboolean
bench_store(ApStore *store, guint n, gdouble *rate, GError **error)
{
	g_autoptr(ApService) service = ap_store_service_get(store, "personal-styling", error);
	gint64 experts[AP_BENCH_EXPERTS];
	gint64 t0;

	if (service == NULL)
		return FALSE;
	for (guint i = 0; i < AP_BENCH_EXPERTS; i++) {
		g_autofree gchar *email = g_strdup_printf("expert%u@example.com", i);
		experts[i] =
			ap_test_add_expert(store, email, "personal-styling", G_DATE_BAD_WEEKDAY);
	}

	t0 = g_get_monotonic_time();
	for (guint i = 0; i < n; i++) {
		gint64 start = AP_BENCH_FIRST_START + (gint64)(i / AP_BENCH_EXPERTS) * 3600;
		g_autoptr(ApBooking) b = ap_test_booking_draft(service, start, "bench");
		ApCandidate c;

		ap_test_candidate_init(&c, experts[i % AP_BENCH_EXPERTS], start);
		if (!ap_store_booking_create(store, b, service, &c, 1, NULL, "bench", error))
			return FALSE;
	}
	*rate = n / ((g_get_monotonic_time() - t0) / (gdouble)G_USEC_PER_SEC);
	return TRUE;
}

/* double bookings: two active bookings of one expert where either's
 * session meets the other's block (one-to-one sessions only here) */
static gint64
bench_count_double(const gchar *path, gint64 *total, GError **error)
{
	g_autoptr(sqlite3) db = NULL;
	g_autoptr(sqlite3_stmt) stmt = NULL;
	gint64 doubles;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db,
			       "SELECT (SELECT count(*) FROM bookings a JOIN bookings b "
			       "ON a.expert_id = b.expert_id AND a.id < b.id "
			       "AND ((a.block_start < b.end_at AND b.start_at < a.block_end) "
			       "OR (a.start_at < b.block_end AND b.block_start < a.end_at)) "
			       "WHERE a.status != 'cancelled' AND b.status != 'cancelled'), "
			       "(SELECT count(*) FROM bookings WHERE status != 'cancelled')",
			       -1,
			       &stmt,
			       NULL) != SQLITE_OK ||
	    sqlite3_step(stmt) != SQLITE_ROW) {
		g_set_error(error, AP_ERROR, AP_ERROR_STORE, "%s", sqlite3_errmsg(db));
		return -1;
	}
	doubles = sqlite3_column_int64(stmt, 0);
	*total = sqlite3_column_int64(stmt, 1);
	return doubles;
}

int
main(int argc, char **argv)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ApStore) store = NULL;
	g_autofree gchar *dir = NULL;
	g_autofree gchar *raw_path = NULL;
	g_autofree gchar *store_path = NULL;
	guint64 n = 1000;
	gdouble raw_rate = 0, store_rate = 0;
	gint64 doubles, total = 0;
	gboolean raw_only = argc > 1 && g_strcmp0(argv[1], "--raw-only") == 0;
	const gchar *count = argc > (raw_only ? 2 : 1) ? argv[raw_only ? 2 : 1] : NULL;

	if (count != NULL && !g_ascii_string_to_unsigned(count, 10, 1, 1000000, &n, &error)) {
		g_printerr("usage: bench-booking [--raw-only] [N]: %s\n", error->message);
		return EXIT_FAILURE;
	}
	if (!ap_secret_init(&error)) {
		g_printerr("%s\n", error->message);
		return EXIT_FAILURE;
	}
	/* the raw loop opens SQLite first: the store's settings before it */
	ap_sqlite_library_init();
	/* in $TMPDIR: point it at the disk the database will live on, as a
	 * tmpfs makes fsync free and the numbers meaningless */
	dir = g_dir_make_tmp("appoint-bench-XXXXXX", &error);
	if (dir == NULL) {
		g_printerr("%s\n", error->message);
		return EXIT_FAILURE;
	}
	raw_path = g_build_filename(dir, "raw.db", NULL);
	store_path = g_build_filename(dir, "appoint.db", NULL);
	g_print("%" G_GUINT64_FORMAT " commits each, synchronous=FULL, WAL, in %s\n", n, dir);

	if (!bench_raw(raw_path, (guint)n, &raw_rate, &error)) {
		g_printerr("raw sqlite: %s\n", error->message);
		ap_test_remove_dir(dir);
		return EXIT_FAILURE;
	}
	g_print("raw sqlite: %.0f commits/s\n", raw_rate);
	if (raw_only) {
		ap_test_remove_dir(dir);
		return EXIT_SUCCESS;
	}

	store = ap_sqlite_store_new(store_path, &error);
	if (store == NULL || !bench_store(store, (guint)n, &store_rate, &error)) {
		g_printerr("ap_store_booking_create: %s\n", error->message);
		ap_test_remove_dir(dir);
		return EXIT_FAILURE;
	}
	g_print("ap_store_booking_create: %.0f commits/s\n", store_rate);
	g_print("ratio: %.2f\n", store_rate / raw_rate);

	g_clear_object(&store);
	doubles = bench_count_double(store_path, &total, &error);
	ap_test_remove_dir(dir);
	if (doubles < 0) {
		g_printerr("checking: %s\n", error->message);
		return EXIT_FAILURE;
	}
	g_print("double bookings: %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT "\n", doubles, total);
	if (doubles != 0 || total != (gint64)n) {
		g_printerr("FAILED: expected %" G_GUINT64_FORMAT
			   " bookings and no double booking\n",
			   n);
		return EXIT_FAILURE;
	}
	return EXIT_SUCCESS;
}
