/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "ap-error.h"
#include "ap-sqlite-db.h"
#include "ap-sqlite-file.h"
#include "ap-sqlite-store.h"
#include "ap-test-store.h"

/*
 * What the connections of one process to one database file share
 * (ap-sqlite-file.c): their turns to write, first come first served and
 * given back however a transaction ends, and the checkpointer's thread,
 * which copies the write-ahead log back while writers go on, and keeps
 * the log from growing past its bound. All on a real database file.
 */

typedef ApTestStoreFixture Fixture;

/* until @file has @n connections waiting to write (at most 10 s) */
static void
wait_for_waiting(ApSqliteFile *file, guint n)
{
	for (guint i = 0; i < 10000 && ap_sqlite_file_get_waiting(file) != n; i++)
		g_usleep(1000);
	g_assert_cmpuint(ap_sqlite_file_get_waiting(file), ==, n);
}

typedef struct {
	ApSqliteFile *file;
	gint *order; /* (unowned) where each writer writes its name when it has its turn */
	gint *next;
	gint name;
} Turn;

static gpointer
turn_thread(gpointer data)
{
	Turn *t = data;

	g_assert_true(ap_sqlite_file_lock_write(t->file, 10 * G_USEC_PER_SEC));
	t->order[g_atomic_int_add(t->next, 1)] = t->name;
	ap_sqlite_file_unlock_write(t->file);
	return NULL;
}

/* those who wait get their turn in the order they came */
static void
test_turns_in_order(Fixture *f, gconstpointer user_data)
{
	g_autoptr(ApSqliteFile) file = ap_sqlite_file_get(f->path);
	gint order[3] = {0}, next = 0;
	Turn b = {file, order, &next, 2}, c = {file, order, &next, 3};
	GThread *tb, *tc;

	g_assert_true(ap_sqlite_file_lock_write(file, 0));
	tb = g_thread_new("b", turn_thread, &b);
	wait_for_waiting(file, 1);
	tc = g_thread_new("c", turn_thread, &c);
	wait_for_waiting(file, 2);
	order[g_atomic_int_add(&next, 1)] = 1;
	ap_sqlite_file_unlock_write(file);
	g_thread_join(tb);
	g_thread_join(tc);
	g_assert_cmpint(order[0], ==, 1);
	g_assert_cmpint(order[1], ==, 2);
	g_assert_cmpint(order[2], ==, 3);
	g_assert_cmpuint(ap_sqlite_file_get_waiting(file), ==, 0);
}

/* a turn that does not come in time is given up, and leaves the queue */
static void
test_turn_times_out(Fixture *f, gconstpointer user_data)
{
	g_autoptr(ApSqliteFile) file = ap_sqlite_file_get(f->path);

	g_assert_true(ap_sqlite_file_lock_write(file, 0));
	g_assert_false(ap_sqlite_file_lock_write(file, 20 * G_TIME_SPAN_MILLISECOND));
	g_assert_cmpuint(ap_sqlite_file_get_waiting(file), ==, 0);
	ap_sqlite_file_unlock_write(file);
	g_assert_true(ap_sqlite_file_lock_write(file, 0));
	ap_sqlite_file_unlock_write(file);
}

static gpointer
insert_thread(gpointer data)
{
	ApSqliteDb *db = data;
	g_autoptr(GError) error = NULL;
	g_autoptr(ApSqliteTxn) txn = ap_sqlite_txn_begin(db, &error);

	g_assert_no_error(error);
	g_assert_true(ap_sqlite_db_exec(db, "INSERT INTO t VALUES (2)", &error));
	g_assert_true(ap_sqlite_txn_commit(txn, &error));
	return NULL;
}

/* a second connection's write queues behind the first's transaction and
 * goes as soon as it ends; a transaction rolled back gives its turn back */
static void
test_connections_take_turns(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	ApSqliteDb *one = ap_sqlite_db_open(f->path, &error);
	ApSqliteDb *two = ap_sqlite_db_open(f->path, &error);
	ApSqliteFile *file = ap_sqlite_db_get_file(one);
	g_autoptr(sqlite3) check = NULL;
	ApSqliteTxn *txn;
	GThread *thread;

	g_assert_no_error(error);
	g_assert_true(file == ap_sqlite_db_get_file(two));
	g_assert_true(ap_sqlite_db_exec(one, "CREATE TABLE t (x INTEGER)", &error));

	txn = ap_sqlite_txn_begin(one, &error);
	g_assert_no_error(error);
	g_assert_true(ap_sqlite_db_exec(one, "INSERT INTO t VALUES (1)", &error));
	thread = g_thread_new("two", insert_thread, two);
	wait_for_waiting(file, 1);
	g_assert_true(ap_sqlite_txn_commit(txn, &error));
	g_clear_pointer(&txn, ap_sqlite_txn_free);
	g_thread_join(thread);

	/* rolled back: the next write has its turn at once */
	txn = ap_sqlite_txn_begin(one, &error);
	g_assert_no_error(error);
	g_assert_true(ap_sqlite_db_exec(one, "INSERT INTO t VALUES (3)", &error));
	g_clear_pointer(&txn, ap_sqlite_txn_free);
	g_assert_true(ap_sqlite_file_lock_write(file, 0));
	ap_sqlite_file_unlock_write(file);

	/* and so does a batch, committed */
	g_assert_true(ap_sqlite_db_batch_begin(two, &error));
	g_assert_true(ap_sqlite_db_exec(two, "INSERT INTO t VALUES (4)", &error));
	g_assert_false(ap_sqlite_file_lock_write(file, 0));
	g_assert_true(ap_sqlite_db_batch_commit(two, &error));
	g_assert_true(ap_sqlite_file_lock_write(file, 0));
	ap_sqlite_file_unlock_write(file);

	/* a write begun inside a read transaction fails, and holds no turn */
	txn = ap_sqlite_txn_begin_read(one, &error);
	g_assert_no_error(error);
	g_assert_null(ap_sqlite_txn_begin(one, &error));
	g_assert_error(error, AP_ERROR, AP_ERROR_STORE);
	g_clear_error(&error);
	g_assert_true(ap_sqlite_file_lock_write(file, 0));
	ap_sqlite_file_unlock_write(file);
	g_clear_pointer(&txn, ap_sqlite_txn_free);

	ap_sqlite_db_free(two);
	ap_sqlite_db_free(one);
	check = ap_test_db_open(f->path);
	g_assert_cmpint(ap_test_db_int(check, "SELECT group_concat(x) = '1,2,4' FROM t"), ==, 1);
}

/* the bytes of the write-ahead log on disk */
static gint64
wal_bytes(Fixture *f)
{
	g_autofree gchar *wal = g_strconcat(f->path, "-wal", NULL);
	GStatBuf st;

	return g_stat(wal, &st) == 0 ? (gint64)st.st_size : 0;
}

/* with the checkpointer running, the log is copied back on its thread
 * and, under a stream of commits that never lets it catch up, grows no
 * further than its bound before the committer copies the rest and it
 * starts again; nothing is lost */
static void
test_checkpointer(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	ApSqliteStore *store = AP_SQLITE_STORE(f->store);
	ApSqliteDb *db = NULL;
	g_autoptr(sqlite3) check = NULL;
	g_autofree gchar *integrity = NULL;
	const gint64 bound =
		(AP_SQLITE_CHECKPOINT_BEHIND_PAGES + 2 * AP_SQLITE_CHECKPOINT_PAGES) * (4096 + 24) +
		32;
	const guint commits = 2 * AP_SQLITE_CHECKPOINT_BEHIND_PAGES / 10;
	gint64 largest = 0;

	g_assert_true(ap_sqlite_store_start_checkpointer(store, &error));
	g_assert_no_error(error);
	db = ap_sqlite_db_open(f->path, &error);
	g_assert_no_error(error);
	g_assert_true(ap_sqlite_db_exec(db, "CREATE TABLE t (x BLOB)", &error));
	/* ten pages a commit */
	for (guint i = 0; i < commits; i++) {
		g_autoptr(ApSqliteTxn) txn = ap_sqlite_txn_begin(db, &error);

		g_assert_no_error(error);
		g_assert_true(ap_sqlite_db_exec(db,
						"INSERT INTO t SELECT randomblob(3500) FROM "
						"(SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 "
						"UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL "
						"SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 "
						"UNION ALL SELECT 9 UNION ALL SELECT 10)",
						&error));
		g_assert_true(ap_sqlite_txn_commit(txn, &error));
		largest = MAX(largest, wal_bytes(f));
	}
	g_test_message("%u checkpoints on the thread; the log at most %" G_GINT64_FORMAT " bytes",
		       (guint)ap_sqlite_store_get_checkpoints(store),
		       largest);
	g_assert_cmpuint(ap_sqlite_store_get_checkpoints(store), >, 0);
	g_assert_cmpint(largest, <=, bound);
	ap_sqlite_db_free(db);
	ap_sqlite_store_stop_checkpointer(store);

	check = ap_test_db_open(f->path);
	g_assert_cmpint(ap_test_db_int(check, "SELECT count(*) FROM t"), ==, (gint)commits * 10);
	integrity = ap_test_db_text(check, "PRAGMA integrity_check");
	g_assert_cmpstr(integrity, ==, "ok");
}

/* without it, a commit that takes the log past its threshold copies it
 * back itself, as SQLite's own automatic checkpoints did */
static void
test_no_checkpointer(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	ApSqliteDb *db = ap_sqlite_db_open(f->path, &error);
	gint64 largest = 0;

	g_assert_no_error(error);
	g_assert_true(ap_sqlite_db_exec(db, "CREATE TABLE t (x BLOB)", &error));
	for (guint i = 0; i < 3 * AP_SQLITE_CHECKPOINT_PAGES / 10; i++) {
		g_autoptr(ApSqliteTxn) txn = ap_sqlite_txn_begin(db, &error);

		g_assert_no_error(error);
		for (guint k = 0; k < 10; k++)
			g_assert_true(ap_sqlite_db_exec(
				db, "INSERT INTO t VALUES (randomblob(3500))", &error));
		g_assert_true(ap_sqlite_txn_commit(txn, &error));
		largest = MAX(largest, wal_bytes(f));
	}
	g_assert_cmpint(largest, <=, (AP_SQLITE_CHECKPOINT_PAGES + 50) * (4096 + 24) + 32);
	g_assert_cmpuint(ap_sqlite_store_get_checkpoints(AP_SQLITE_STORE(f->store)), ==, 0);
	ap_sqlite_db_free(db);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	ap_test_store_add("/sqlite-file/turns-in-order", test_turns_in_order);
	ap_test_store_add("/sqlite-file/turn-times-out", test_turn_times_out);
	ap_test_store_add("/sqlite-file/connections-take-turns", test_connections_take_turns);
	ap_test_store_add("/sqlite-file/checkpointer", test_checkpointer);
	ap_test_store_add("/sqlite-file/no-checkpointer", test_no_checkpointer);
	return g_test_run();
}
