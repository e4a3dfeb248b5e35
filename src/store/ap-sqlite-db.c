/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApSqliteStore"

#include "ap-sqlite-db.h"

#include <errno.h>
#include <glib/gstdio.h>

#include "ap-error.h"

/* the statement journal kept in memory: a booking's savepoint copies
 * some 20 pages of 4 KiB */
#define AP_SQLITE_STMT_JOURNAL_BYTES (1024 * 1024)

struct _ApSqliteDb {
	sqlite3 *handle;
	gchar *path;
	ApSqliteFile *file; /* (owned) what this process's connections to @path share */
	gboolean writing;   /* holds the file's write lock: see ap_sqlite_txn_begin() */
	GHashTable *stmts;  /* (owned) SQL text pointer → sqlite3_stmt */
	gboolean batch;	    /* a batch's transaction is open: see ap_sqlite_db_batch_begin() */
	/* the generations as last read, and what said nothing had changed */
	guint64 seen_data_version;
	gint64 seen_total_changes;
	gint seen_commits; /* the file's count of this process's commits */
	gint64 seen_at;	   /* monotonic: when data_version was last read */
	guint64 seen_catalogue;
	guint64 seen_bookings;
};

struct _ApSqliteTxn {
	ApSqliteDb *db;
	gboolean done;
	gboolean savepoint; /* inside a batch: a savepoint, not a transaction */
};

/* how long a writer waits for another process's write to finish */
#define AP_SQLITE_BUSY_TIMEOUT_MS 5000

/**
 * ap_sqlite_set_error:
 * @handle: (nullable): the connection that failed, for its message
 * @rc: an extended SQLite result code
 * @error: a #GError, or %NULL
 *
 * Maps a failure onto #ApError: a unique key already taken is
 * %AP_ERROR_EXISTS, other broken constraints are %AP_ERROR_INVALID, and
 * everything else (busy, I/O, corruption) is %AP_ERROR_STORE. Callers that
 * know better, e.g. that a unique index guards a slot, map it themselves.
 */
void
ap_sqlite_set_error(sqlite3 *handle, gint rc, GError **error)
{
	const gchar *msg = handle != NULL ? sqlite3_errmsg(handle) : sqlite3_errstr(rc);
	ApError code;

	switch (rc) {
	case SQLITE_CONSTRAINT_UNIQUE:
	case SQLITE_CONSTRAINT_PRIMARYKEY:
		code = AP_ERROR_EXISTS;
		break;
	case SQLITE_CONSTRAINT_NOTNULL:
	case SQLITE_CONSTRAINT_CHECK:
	case SQLITE_CONSTRAINT_FOREIGNKEY:
		code = AP_ERROR_INVALID;
		break;
	default:
		code = AP_ERROR_STORE;
		break;
	}
	g_set_error(error, AP_ERROR, code, "%s", msg);
}

/**
 * ap_sqlite_fold:
 * @text: (nullable): UTF-8 text
 *
 * The form in which searches compare text: composed and case-folded, so
 * that "ÖZTÜRK" finds "Öztürk", which SQLite's ASCII-only LIKE would miss.
 *
 * Returns: (transfer full) (nullable): the folded text
 */
gchar *
ap_sqlite_fold(const gchar *text)
{
	g_autofree gchar *normal = NULL;

	if (text == NULL)
		return NULL;
	if (!g_utf8_validate(text, -1, NULL))
		return g_strdup(text);
	normal = g_utf8_normalize(text, -1, G_NORMALIZE_ALL_COMPOSE);
	return g_utf8_casefold(normal, -1);
}

/* the SQL function ap_fold(text), for searches */
static void
ap_sqlite_fold_func(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const gchar *text = (const gchar *)sqlite3_value_text(argv[0]);

	if (text == NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	sqlite3_result_text(ctx, ap_sqlite_fold(text), -1, g_free);
}

static void
ap_sqlite_stmt_finalize(gpointer stmt)
{
	sqlite3_finalize(stmt);
}

/**
 * ap_sqlite_db_query_text:
 * @db: a connection
 * @sql: a one-off statement whose first column of its first row matters,
 *   e.g. `PRAGMA journal_mode`; not cached
 * @error: a #GError, or %NULL
 *
 * Returns: (transfer full) (nullable): that value as text (SQL NULL as
 * ""), or %NULL with @error set if there is no row
 */
gchar *
ap_sqlite_db_query_text(ApSqliteDb *db, const gchar *sql, GError **error)
{
	g_autoptr(sqlite3_stmt) stmt = NULL;
	gint rc;

	rc = sqlite3_prepare_v2(db->handle, sql, -1, &stmt, NULL);
	if (rc != SQLITE_OK) {
		ap_sqlite_set_error(db->handle, rc, error);
		return NULL;
	}
	rc = sqlite3_step(stmt);
	if (rc != SQLITE_ROW) {
		if (rc == SQLITE_DONE)
			g_set_error(error, AP_ERROR, AP_ERROR_STORE, "%s: no answer", sql);
		else
			ap_sqlite_set_error(db->handle, rc, error);
		return NULL;
	}
	return g_strdup(sqlite3_column_type(stmt, 0) == SQLITE_NULL
				? ""
				: (const gchar *)sqlite3_column_text(stmt, 0));
}

static gint
ap_sqlite_db_wal_hook(gpointer data, sqlite3 *handle, const gchar *name, gint pages)
{
	ap_sqlite_file_committed(data, handle, name, pages);
	return SQLITE_OK;
}

/* Settings that must come before SQLite initialises itself, i.e.
 * before the first connection:
 * - SQLite counts every allocation in global statistics by default,
 *   under a process-wide mutex: on the writer's thread a tenth of a
 *   booking's instructions went to that lock, its counters and malloc's.
 *   Nothing here reads those statistics (sqlite3_status()).
 * - Every write of a batch is a savepoint, whose undo pages (each page
 *   the write changes, copied first) go to a statement journal. Kept in
 *   memory in chunks of 1 KiB (temp_store=MEMORY), that was some 70
 *   allocations a booking, an eighth of the writer's instructions; kept
 *   in one piece of up to 1 MiB, one allocation, and only a write larger
 *   than that (an import, say) spills to a temporary file. */
static gboolean ap_sqlite_stmt_journal_configured;

static gpointer
ap_sqlite_library_init_once(gpointer data G_GNUC_UNUSED)
{
	gint rc = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);

	if (rc == SQLITE_OK)
		rc = sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, AP_SQLITE_STMT_JOURNAL_BYTES);
	ap_sqlite_stmt_journal_configured = rc == SQLITE_OK;
	/* SQLITE_MISUSE: something else in the process opened a database
	 * first; its settings stay, which only costs speed (and each
	 * connection keeps its statement journals in memory as before:
	 * ap_sqlite_db_open()) */
	if (rc != SQLITE_OK)
		g_message("SQLite was initialised before appoint could set it up: %s",
			  sqlite3_errstr(rc));
	return NULL;
}

/**
 * ap_sqlite_library_init:
 *
 * Sets SQLite up for appoint, once, before its first connection
 * (ap_sqlite_db_open() calls it); a program that opens databases of its
 * own with SQLite directly calls it before those.
 */
void
ap_sqlite_library_init(void)
{
	static GOnce library_once = G_ONCE_INIT;

	g_once(&library_once, ap_sqlite_library_init_once, NULL);
}

/**
 * ap_sqlite_db_open:
 * @path: the database file; its folder is made (0700) if missing
 * @error: a #GError, or %NULL
 *
 * Opens a connection for one thread: WAL (checked: a file system that
 * cannot share memory, or an in-memory database, answers otherwise), full
 * fsync at every commit so that an acknowledged booking survives a power
 * cut, foreign keys enforced (checked), and a busy timeout so that writers
 * in other processes queue rather than fail. A savepoint's undo pages
 * stay in memory up to %AP_SQLITE_STMT_JOURNAL_BYTES (see
 * ap_sqlite_library_init_once()): in a temporary file they were two
 * thirds of a booking's write calls, for nothing that lasts beyond the
 * transaction.
 *
 * Returns: (transfer full) (nullable): the connection
 */
ApSqliteDb *
ap_sqlite_db_open(const gchar *path, GError **error)
{
	g_autoptr(ApSqliteDb) db = g_new0(ApSqliteDb, 1);
	g_autofree gchar *dir = NULL;
	g_autofree gchar *mode = NULL;
	g_autofree gchar *fk = NULL;
	gint rc;

	g_return_val_if_fail(path != NULL, NULL);

	ap_sqlite_library_init();
	db->path = g_strdup(path);
	db->stmts =
		g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, ap_sqlite_stmt_finalize);
	dir = g_path_get_dirname(path);
	if (!g_file_test(dir, G_FILE_TEST_IS_DIR) && g_mkdir_with_parents(dir, 0700) != 0) {
		gint errsv = errno;
		g_set_error(error,
			    AP_ERROR,
			    AP_ERROR_STORE,
			    "cannot create %s: %s",
			    dir,
			    g_strerror(errsv));
		return NULL;
	}
	rc = sqlite3_open_v2(path,
			     &db->handle,
			     SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
			     NULL);
	if (rc != SQLITE_OK) {
		ap_sqlite_set_error(db->handle, rc, error);
		g_prefix_error(error, "cannot open %s: ", path);
		return NULL;
	}
	sqlite3_extended_result_codes(db->handle, 1);
	sqlite3_busy_timeout(db->handle, AP_SQLITE_BUSY_TIMEOUT_MS);
	/* in place of SQLite's automatic checkpoints (see ap-sqlite-file.c) */
	db->file = ap_sqlite_file_get(path);
	sqlite3_wal_hook(db->handle, ap_sqlite_db_wal_hook, db->file);

	mode = ap_sqlite_db_query_text(db, "PRAGMA journal_mode=WAL", error);
	if (mode == NULL) {
		g_prefix_error(error, "%s: ", path);
		return NULL;
	}
	if (g_ascii_strcasecmp(mode, "wal") != 0) {
		g_set_error(error,
			    AP_ERROR,
			    AP_ERROR_STORE,
			    "%s: the database cannot use write-ahead logging (journal mode is %s)",
			    path,
			    mode);
		return NULL;
	}
	/* SQLite set up by someone else first: its statement journals would
	 * spill to a temporary file past 64 KiB, a booking's every time */
	if (!ap_sqlite_stmt_journal_configured &&
	    !ap_sqlite_db_exec(db, "PRAGMA temp_store=MEMORY", error)) {
		g_prefix_error(error, "%s: ", path);
		return NULL;
	}
	if (!ap_sqlite_db_exec(db, "PRAGMA synchronous=FULL", error) ||
	    !ap_sqlite_db_exec(db, "PRAGMA foreign_keys=ON", error)) {
		g_prefix_error(error, "%s: ", path);
		return NULL;
	}
	fk = ap_sqlite_db_query_text(db, "PRAGMA foreign_keys", error);
	if (fk == NULL) {
		g_prefix_error(error, "%s: ", path);
		return NULL;
	}
	if (g_strcmp0(fk, "1") != 0) {
		g_set_error(error,
			    AP_ERROR,
			    AP_ERROR_STORE,
			    "%s: this SQLite does not enforce foreign keys",
			    path);
		return NULL;
	}
	rc = sqlite3_create_function_v2(db->handle,
					"ap_fold",
					1,
					SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
					NULL,
					ap_sqlite_fold_func,
					NULL,
					NULL,
					NULL);
	if (rc != SQLITE_OK) {
		ap_sqlite_set_error(db->handle, rc, error);
		return NULL;
	}
	return g_steal_pointer(&db);
}

/**
 * ap_sqlite_db_free:
 * @db: (nullable): a connection
 *
 * Finalizes every cached statement, then closes the connection.
 */
void
ap_sqlite_db_free(ApSqliteDb *db)
{
	if (db == NULL)
		return;
	g_clear_pointer(&db->stmts, g_hash_table_unref);
	if (db->handle != NULL) {
		gint rc = sqlite3_close(db->handle);
		if (rc != SQLITE_OK)
			g_warning("closing %s: %s", db->path, sqlite3_errstr(rc));
	}
	if (db->writing)
		ap_sqlite_file_unlock_write(db->file);
	g_clear_pointer(&db->file, ap_sqlite_file_unref);
	g_free(db->path);
	g_free(db);
}

sqlite3 *
ap_sqlite_db_get_handle(ApSqliteDb *db)
{
	return db->handle;
}

ApSqliteFile *
ap_sqlite_db_get_file(ApSqliteDb *db)
{
	return db->file;
}

/* in one statement, so in one read transaction (each costs a lock and a
 * look at the log's index): PRAGMA data_version, which moves when
 * another connection commits, and the generations counted by the
 * schema's triggers (version 4), for bookings with the largest id
 * (version 8). All 0 if SQLite could not say */
static gboolean
ap_sqlite_db_read_generations(ApSqliteDb *db,
			      guint64 *data_version,
			      guint64 *catalogue,
			      guint64 *bookings)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ApSqliteStmt) stmt = ap_sqlite_db_prepare(
		db,
		"SELECT (SELECT data_version FROM pragma_data_version), "
		"(SELECT value FROM generations WHERE name = 'catalogue'), "
		"(SELECT (value << 32) + coalesce((SELECT max(id) FROM bookings), 0) "
		" FROM generations WHERE name = 'bookings')",
		&error);

	if (stmt == NULL || sqlite3_step(stmt) != SQLITE_ROW) {
		g_debug("reading the generations: %s",
			error != NULL ? error->message : sqlite3_errmsg(db->handle));
		return FALSE;
	}
	*data_version = (guint64)sqlite3_column_int64(stmt, 0);
	*catalogue = (guint64)sqlite3_column_int64(stmt, 1);
	*bookings = (guint64)sqlite3_column_int64(stmt, 2);
	return *data_version != 0 && *catalogue != 0 && *bookings != 0;
}

/**
 * ap_sqlite_db_get_generation:
 * @db: a connection
 *
 * A number that changes whenever bookings or the catalogue may have, by
 * any connection or process: triggers count every change to the catalogue's
 * tables and every update and delete of a booking in the writer's own
 * transaction, and a new booking raises the largest booking id (it has no
 * trigger: see schema version 8). The outbox, sessions and keys do not
 * count, so that sending email does not end cached answers. The number
 * only grows: the bookings' counter is worth 2^32 ids, so that a delete of
 * the newest booking, which lowers the largest id, still raises it.
 *
 * A commit of this process (any of its connections) shows at once; one
 * of another process (appointctl) at the latest %AP_SQLITE_OTHERS_SEEN_US
 * after it.
 *
 * Returns: the generation, or 0 if SQLite could not say (then nothing
 * computed should be kept)
 */
/* reads the generations again, unless nothing at all was committed
 * since the last read. This process's count of its commits says so for
 * its own connections, with no read transaction (two locks and a stat of
 * the file), and this connection's count of its changes for what it has
 * not committed yet; other processes are asked about once
 * %AP_SQLITE_OTHERS_SEEN_US has passed since the last time, by PRAGMA
 * data_version alone, which costs less than the generations. */
static gboolean
ap_sqlite_db_refresh_generations(ApSqliteDb *db)
{
	gint commits = ap_sqlite_file_get_commits(db->file);
	gint64 now = g_get_monotonic_time();
	/* this connection's own changes, committed or not yet */
	gint64 changes = sqlite3_total_changes64(db->handle);
	guint64 data_version = 0, catalogue = 0, bookings = 0;

	if (db->seen_catalogue != 0 && commits == db->seen_commits &&
	    changes == db->seen_total_changes) {
		g_autoptr(ApSqliteStmt) stmt = NULL;

		if (now - db->seen_at < AP_SQLITE_OTHERS_SEEN_US)
			return TRUE;
		stmt = ap_sqlite_db_prepare(db, "PRAGMA data_version", NULL);
		if (stmt == NULL || sqlite3_step(stmt) != SQLITE_ROW)
			return FALSE;
		db->seen_at = now;
		if ((guint64)sqlite3_column_int64(stmt, 0) == db->seen_data_version)
			return TRUE;
	}
	if (!ap_sqlite_db_read_generations(db, &data_version, &catalogue, &bookings))
		return FALSE;
	db->seen_commits = commits;
	db->seen_at = now;
	db->seen_data_version = data_version;
	db->seen_total_changes = changes;
	db->seen_catalogue = catalogue;
	db->seen_bookings = bookings;
	return TRUE;
}

guint64
ap_sqlite_db_get_generation(ApSqliteDb *db)
{
	if (!ap_sqlite_db_refresh_generations(db))
		return 0;
	return db->seen_catalogue + db->seen_bookings;
}

/**
 * ap_sqlite_db_get_catalogue_generation:
 * @db: a connection
 *
 * Like ap_sqlite_db_get_generation(), for the catalogue alone (services,
 * experts, their hours and time off): bookings leave it alone.
 *
 * Returns: the generation, or 0 if SQLite could not say
 */
guint64
ap_sqlite_db_get_catalogue_generation(ApSqliteDb *db)
{
	if (!ap_sqlite_db_refresh_generations(db))
		return 0;
	return db->seen_catalogue;
}

/**
 * ap_sqlite_db_prepare:
 * @db: a connection
 * @sql: a string literal: the cache is keyed by its address
 * @error: a #GError, or %NULL
 *
 * Prepares @sql once for the life of the connection and lends it out. Hold
 * it in a g_autoptr(ApSqliteStmt) so that it is reset and unbound when the
 * caller is done. A statement may not be lent twice at the same time.
 *
 * Returns: (transfer none) (nullable): the statement
 */
ApSqliteStmt *
ap_sqlite_db_prepare(ApSqliteDb *db, const gchar *sql, GError **error)
{
	sqlite3_stmt *stmt = g_hash_table_lookup(db->stmts, sql);
	gint rc;

	if (stmt != NULL)
		return stmt;
	rc = sqlite3_prepare_v3(db->handle, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
	if (rc != SQLITE_OK) {
		ap_sqlite_set_error(db->handle, rc, error);
		return NULL;
	}
	/* SQLITE_OK and no statement: @sql was blank or only a comment; a
	 * NULL return must still come with an error */
	if (stmt == NULL) {
		g_set_error(error, AP_ERROR, AP_ERROR_STORE, "no SQL statement in '%s'", sql);
		return NULL;
	}
	g_hash_table_insert(db->stmts, (gpointer)sql, stmt);
	return stmt;
}

/**
 * ap_sqlite_db_exec:
 * @db: a connection
 * @sql: fixed SQL without parameters, e.g. DDL; never built from input
 * @error: a #GError, or %NULL
 *
 * Returns: %TRUE if every statement in @sql ran
 */
gboolean
ap_sqlite_db_exec(ApSqliteDb *db, const gchar *sql, GError **error)
{
	gint rc = sqlite3_exec(db->handle, sql, NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		ap_sqlite_set_error(db->handle, rc, error);
		return FALSE;
	}
	return TRUE;
}

/**
 * ap_sqlite_db_get_user_version:
 * @db: a connection
 * @version: (out): the schema version in `PRAGMA user_version`
 * @error: a #GError, or %NULL
 *
 * Returns: %TRUE on success
 */
gboolean
ap_sqlite_db_get_user_version(ApSqliteDb *db, guint *version, GError **error)
{
	g_autoptr(ApSqliteStmt) stmt = ap_sqlite_db_prepare(db, "PRAGMA user_version", error);
	gint rc;

	if (stmt == NULL)
		return FALSE;
	rc = sqlite3_step(stmt);
	if (rc != SQLITE_ROW) {
		ap_sqlite_set_error(db->handle, rc, error);
		return FALSE;
	}
	*version = (guint)MAX(sqlite3_column_int64(stmt, 0), 0);
	return TRUE;
}

/**
 * ap_sqlite_stmt_release:
 * @stmt: (nullable): a statement lent by ap_sqlite_db_prepare()
 *
 * Resets @stmt and clears its bindings, so that it keeps no read lock and
 * holds on to none of the caller's values.
 */
void
ap_sqlite_stmt_release(ApSqliteStmt *stmt)
{
	if (stmt == NULL)
		return;
	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
}

/**
 * ap_sqlite_stmt_run:
 * @stmt: a statement that returns no rows
 * @error: a #GError, or %NULL
 *
 * Returns: %TRUE if it ran to completion; otherwise @error is set with
 * ap_sqlite_set_error()
 */
gboolean
ap_sqlite_stmt_run(ApSqliteStmt *stmt, GError **error)
{
	gint rc = sqlite3_step(stmt);
	if (rc != SQLITE_DONE) {
		ap_sqlite_set_error(sqlite3_db_handle(stmt), rc, error);
		return FALSE;
	}
	return TRUE;
}

/* NULL binds SQL NULL; the text is copied, so temporaries are safe */
void
ap_sqlite_stmt_bind_text(ApSqliteStmt *stmt, gint index, const gchar *text)
{
	sqlite3_bind_text(stmt, index, text, -1, SQLITE_TRANSIENT);
}

gchar *
ap_sqlite_stmt_dup_text(ApSqliteStmt *stmt, gint column)
{
	return g_strdup((const gchar *)sqlite3_column_text(stmt, column));
}

static gboolean
ap_sqlite_db_run(ApSqliteDb *db, const gchar *sql, GError **error)
{
	g_autoptr(ApSqliteStmt) stmt = ap_sqlite_db_prepare(db, sql, error);

	return stmt != NULL && ap_sqlite_stmt_run(stmt, error);
}

/* gives the file's write lock back once the transaction has ended,
 * however it ended (SQLite may have rolled it back itself) */
static void
ap_sqlite_db_end_write(ApSqliteDb *db)
{
	if (db->writing && sqlite3_get_autocommit(db->handle)) {
		db->writing = FALSE;
		ap_sqlite_file_unlock_write(db->file);
	}
}

/* BEGIN IMMEDIATE once the connections of this process that asked
 * before have written (see ap-sqlite-file.c) */
static gboolean
ap_sqlite_db_begin_write(ApSqliteDb *db, GError **error)
{
	/* a transaction open on this connection already: SQLite says so at
	 * once, rather than this connection waiting for its own turn */
	if (db->writing || !sqlite3_get_autocommit(db->handle))
		return ap_sqlite_db_run(db, "BEGIN IMMEDIATE", error);
	if (!ap_sqlite_file_lock_write(db->file,
				       AP_SQLITE_BUSY_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND)) {
		g_set_error(error,
			    AP_ERROR,
			    AP_ERROR_STORE,
			    "database is locked: the writes queued before this one took over %d ms",
			    AP_SQLITE_BUSY_TIMEOUT_MS);
		return FALSE;
	}
	db->writing = TRUE;
	if (!ap_sqlite_db_run(db, "BEGIN IMMEDIATE", error)) {
		db->writing = FALSE;
		ap_sqlite_file_unlock_write(db->file);
		return FALSE;
	}
	return TRUE;
}

static ApSqliteTxn *
ap_sqlite_txn_begin_sql(ApSqliteDb *db, gboolean write, GError **error)
{
	gboolean savepoint = db->batch;
	ApSqliteTxn *txn;

	/* SQLite rolled the batch's transaction back (a full disk, an I/O
	 * error): a savepoint now would begin a transaction of its own and
	 * commit on its release, before the batch could say it failed */
	if (savepoint && sqlite3_get_autocommit(db->handle)) {
		g_set_error(error,
			    AP_ERROR,
			    AP_ERROR_STORE,
			    "the batch's transaction was rolled back by SQLite");
		return NULL;
	}
	/* within a batch each transaction is a savepoint of the batch's one:
	 * its failure undoes it alone, and its success is durable with the
	 * batch's commit */
	if (savepoint ? !ap_sqlite_db_run(db, "SAVEPOINT ap_txn", error)
	    : write   ? !ap_sqlite_db_begin_write(db, error)
		      : !ap_sqlite_db_run(db, "BEGIN DEFERRED", error))
		return NULL;
	txn = g_new0(ApSqliteTxn, 1);
	txn->db = db;
	txn->savepoint = savepoint;
	return txn;
}

/**
 * ap_sqlite_db_batch_begin:
 * @db: a connection
 * @error: a #GError, or %NULL
 *
 * Opens one write transaction for several operations (group commit): each
 * ap_sqlite_txn_begin() until ap_sqlite_db_batch_commit() is a savepoint
 * within it, so that N bookings cost one fsync instead of N, and each
 * still succeeds or fails on its own. Nothing done in the batch is
 * durable, nor may be acknowledged, before the batch commits.
 *
 * Returns: %TRUE if the batch is open
 */
gboolean
ap_sqlite_db_batch_begin(ApSqliteDb *db, GError **error)
{
	g_return_val_if_fail(!db->batch, FALSE);

	if (!ap_sqlite_db_begin_write(db, error))
		return FALSE;
	db->batch = TRUE;
	return TRUE;
}

/**
 * ap_sqlite_db_batch_commit:
 * @db: a connection with a batch open
 * @error: a #GError, or %NULL
 *
 * Commits everything the batch's savepoints kept. On failure, or if
 * SQLite had to roll the whole transaction back meanwhile (a full disk,
 * an I/O error), none of it is stored.
 *
 * Returns: %TRUE if all that the batch kept is durable
 */
gboolean
ap_sqlite_db_batch_commit(ApSqliteDb *db, GError **error)
{
	g_return_val_if_fail(db->batch, FALSE);

	db->batch = FALSE;
	if (sqlite3_get_autocommit(db->handle)) {
		ap_sqlite_db_end_write(db);
		g_set_error(error,
			    AP_ERROR,
			    AP_ERROR_STORE,
			    "the batch's transaction was rolled back by SQLite");
		return FALSE;
	}
	if (!ap_sqlite_db_run(db, "COMMIT", error)) {
		if (!sqlite3_get_autocommit(db->handle))
			ap_sqlite_db_run(db, "ROLLBACK", NULL);
		ap_sqlite_db_end_write(db);
		return FALSE;
	}
	ap_sqlite_db_end_write(db);
	return TRUE;
}

/**
 * ap_sqlite_txn_begin:
 * @db: a connection
 * @error: a #GError, or %NULL
 *
 * Starts a write transaction with `BEGIN IMMEDIATE`: the write lock is
 * taken now, so that what the transaction reads cannot change before it
 * writes (the check and the insert of a booking are one step), and a busy
 * database fails here, before any work, rather than at COMMIT.
 *
 * Returns: (transfer full) (nullable): the transaction; freeing it without
 * ap_sqlite_txn_commit() rolls it back
 */
ApSqliteTxn *
ap_sqlite_txn_begin(ApSqliteDb *db, GError **error)
{
	return ap_sqlite_txn_begin_sql(db, TRUE, error);
}

/**
 * ap_sqlite_txn_begin_read:
 * @db: a connection
 * @error: a #GError, or %NULL
 *
 * Starts a read transaction, so that a read made of several statements
 * sees one snapshot even while another process writes. Just free it when
 * done.
 *
 * Returns: (transfer full) (nullable): the transaction
 */
ApSqliteTxn *
ap_sqlite_txn_begin_read(ApSqliteDb *db, GError **error)
{
	return ap_sqlite_txn_begin_sql(db, FALSE, error);
}

/**
 * ap_sqlite_txn_commit:
 * @txn: a transaction
 * @error: a #GError, or %NULL
 *
 * Returns: %TRUE if committed; on failure freeing @txn rolls back
 */
gboolean
ap_sqlite_txn_commit(ApSqliteTxn *txn, GError **error)
{
	if (!ap_sqlite_db_run(txn->db, txn->savepoint ? "RELEASE ap_txn" : "COMMIT", error))
		return FALSE;
	txn->done = TRUE;
	ap_sqlite_db_end_write(txn->db);
	return TRUE;
}

/**
 * ap_sqlite_txn_free:
 * @txn: (nullable): a transaction
 *
 * Rolls @txn back unless it was committed (or SQLite already ended it).
 */
void
ap_sqlite_txn_free(ApSqliteTxn *txn)
{
	if (txn == NULL)
		return;
	if (!txn->done && !sqlite3_get_autocommit(txn->db->handle)) {
		g_autoptr(GError) error_local = NULL;
		gboolean ok =
			txn->savepoint
				? ap_sqlite_db_run(txn->db, "ROLLBACK TO ap_txn", &error_local) &&
					  ap_sqlite_db_run(txn->db, "RELEASE ap_txn", &error_local)
				: ap_sqlite_db_run(txn->db, "ROLLBACK", &error_local);
		if (!ok)
			g_warning("rolling back: %s", error_local->message);
	}
	ap_sqlite_db_end_write(txn->db);
	g_free(txn);
}
