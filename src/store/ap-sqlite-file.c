/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApSqliteStore"

#include "ap-sqlite-file.h"

#include "ap-thread.h"

/*
 * What the connections of one process to one database file share.
 *
 * **The write lock, first come first served.** SQLite lets one connection
 * write at a time and makes the others poll: its busy handler sleeps 1,
 * 2, 5, 10 ms and more between tries. Under a steady stream of bookings
 * the writer's thread holds the lock most of the time and takes it again
 * within microseconds of a commit, so a poller seldom finds it free: the
 * outbox's marks, or a cancellation on the main loop, waited for up to the
 * busy timeout. The connections of this process therefore queue here, in
 * order of arrival, before `BEGIN IMMEDIATE`, and are woken the moment
 * the lock is given back. SQLite's busy handler still orders this process
 * against others (appointctl).
 *
 * **Checkpoints, off the writers' path.** SQLite copies the write-ahead
 * log back into the file (a checkpoint) on the committing connection once
 * the log passes 1,000 pages (SQLite's default; appointd's thread waits
 * for %AP_SQLITE_CHECKPOINT_PAGES): random pages of the file's indexes written
 * and flushed, milliseconds in which that connection (in appointd, the
 * one all new bookings wait for) does nothing else. Each connection's
 * WAL hook (which replaces SQLite's automatic checkpoints) hands that to
 * a thread of the file's own when one runs (ap_sqlite_file_start_checkpointer(),
 * appointd's), and does it itself otherwise (appointctl, the tests) or
 * once the log has grown to %AP_SQLITE_CHECKPOINT_BEHIND_PAGES. A passive
 * checkpoint takes no write lock: writers go on appending to the log
 * meanwhile.
 *
 * **Commits, counted.** The same hook counts every commit this process's
 * connections make, so that a connection can tell that nothing in the
 * file has changed, none of this process's writers having committed,
 * without a read transaction (see ap_sqlite_db_get_generation()).
 */

struct _ApSqliteFile {
	gint ref; /* under ap_sqlite_files_lock */
	gchar *path;
	GMutex lock;
	/* the write lock */
	GCond turn;
	GQueue waiting; /* (unowned) links on the waiters' stacks, first come first */
	gboolean writing;
	/* the checkpointer */
	GCond wake;
	GThread *thread;
	sqlite3 *handle; /* (owned) the checkpointer's connection */
	gboolean due;
	gboolean stopping;
	gint copied; /* the log's frames copied back by the last checkpoint */
	gint pages;  /* the log's frames at the last commit */
	guint64 checkpoints;
	gint commits; /* (atomic) this process's commits to the file, any connection's */
};

static GMutex ap_sqlite_files_lock;
static GHashTable *ap_sqlite_files; /* path → (unowned) file, while it has a reference */

/**
 * ap_sqlite_file_get:
 * @path: the database file, as the connections name it
 *
 * Returns: (transfer full): what this process's connections to @path share
 */
ApSqliteFile *
ap_sqlite_file_get(const gchar *path)
{
	ApSqliteFile *file;

	g_mutex_lock(&ap_sqlite_files_lock);
	if (ap_sqlite_files == NULL)
		ap_sqlite_files = g_hash_table_new(g_str_hash, g_str_equal);
	file = g_hash_table_lookup(ap_sqlite_files, path);
	if (file == NULL) {
		file = g_new0(ApSqliteFile, 1);
		file->path = g_strdup(path);
		g_mutex_init(&file->lock);
		g_cond_init(&file->turn);
		g_cond_init(&file->wake);
		g_queue_init(&file->waiting);
		g_hash_table_insert(ap_sqlite_files, file->path, file);
	}
	file->ref++;
	g_mutex_unlock(&ap_sqlite_files_lock);
	return file;
}

void
ap_sqlite_file_unref(ApSqliteFile *file)
{
	gboolean last;

	g_mutex_lock(&ap_sqlite_files_lock);
	last = --file->ref == 0;
	if (last)
		g_hash_table_remove(ap_sqlite_files, file->path);
	g_mutex_unlock(&ap_sqlite_files_lock);
	if (!last)
		return;
	g_warn_if_fail(file->thread == NULL && !file->writing && file->waiting.length == 0);
	g_cond_clear(&file->wake);
	g_cond_clear(&file->turn);
	g_mutex_clear(&file->lock);
	g_free(file->path);
	g_free(file);
}

/**
 * ap_sqlite_file_lock_write:
 * @timeout_us: how long to wait for the connections ahead
 *
 * Waits for this process's connections that asked before to have written,
 * then takes the turn to write; give it back with
 * ap_sqlite_file_unlock_write() once the transaction has ended. Not
 * recursive: a thread that writes on two connections to one file at once
 * waits out @timeout_us.
 *
 * Returns: %TRUE if it is this caller's turn, %FALSE after @timeout_us
 */
gboolean
ap_sqlite_file_lock_write(ApSqliteFile *file, gint64 timeout_us)
{
	GList link = {NULL, NULL, NULL};
	gint64 end = g_get_monotonic_time() + timeout_us;
	gboolean mine = TRUE;

	g_mutex_lock(&file->lock);
	g_queue_push_tail_link(&file->waiting, &link);
	while (file->writing || file->waiting.head != &link) {
		if (!g_cond_wait_until(&file->turn, &file->lock, end)) {
			mine = !file->writing && file->waiting.head == &link;
			break;
		}
	}
	g_queue_unlink(&file->waiting, &link);
	if (mine)
		file->writing = TRUE;
	else /* whoever was behind may be first now */
		g_cond_broadcast(&file->turn);
	g_mutex_unlock(&file->lock);
	return mine;
}

void
ap_sqlite_file_unlock_write(ApSqliteFile *file)
{
	g_mutex_lock(&file->lock);
	g_warn_if_fail(file->writing);
	file->writing = FALSE;
	/* a handful of threads at most wait: each looks whether it is first */
	if (file->waiting.length > 0)
		g_cond_broadcast(&file->turn);
	g_mutex_unlock(&file->lock);
}

/**
 * ap_sqlite_file_committed:
 * @handle: the connection that committed
 * @name: the schema it committed to ("main")
 * @pages: the pages now in the write-ahead log
 *
 * A connection's WAL hook (sqlite3_wal_hook()): SQLite calls it after a
 * commit, the write lock given back. Starts a checkpoint once
 * %AP_SQLITE_CHECKPOINT_PAGES have been added to the log since the last
 * one: on the checkpointer's thread if it runs and keeps up, else on
 * @handle, as SQLite would have.
 *
 * The log starts again from its beginning only when a write begins with
 * all of it copied and no reader on an older snapshot. While bookings
 * stream in, the checkpointer's copy never quite catches up (each commit
 * adds frames while it copies), so the log grows, to
 * %AP_SQLITE_CHECKPOINT_BEHIND_PAGES; from there each committing
 * connection, which this process's other writers queue behind, copies
 * what is left, all of it, and the log restarts once no reader holds it
 * back (as with SQLite's own checkpoints, a reader that never lets go
 * keeps the log growing).
 */
void
ap_sqlite_file_committed(ApSqliteFile *file, sqlite3 *handle, const gchar *name, gint pages)
{
	gint log = 0, copied = 0;
	gboolean here = FALSE;

	g_atomic_int_inc(&file->commits);
	g_mutex_lock(&file->lock);
	/* the log started again from its beginning (after a commit of this
	 * process or another's) */
	if (pages < file->pages)
		file->copied = 0;
	file->pages = pages;
	if (pages >= AP_SQLITE_CHECKPOINT_BEHIND_PAGES) {
		here = TRUE;
	} else if (pages - file->copied >= AP_SQLITE_CHECKPOINT_PAGES) {
		here = file->thread == NULL;
		if (!here && !file->due) {
			file->due = TRUE;
			g_cond_signal(&file->wake);
		}
	}
	g_mutex_unlock(&file->lock);
	/* readers on old snapshots may keep part of the log: the rest is
	 * copied, and the next checkpoint goes on from there */
	if (!here || sqlite3_wal_checkpoint_v2(
			     handle, name, SQLITE_CHECKPOINT_PASSIVE, &log, &copied) != SQLITE_OK)
		return;
	g_mutex_lock(&file->lock);
	file->copied = copied;
	g_mutex_unlock(&file->lock);
}

static gpointer
ap_sqlite_file_checkpoint_thread(gpointer data)
{
	ApSqliteFile *file = data;

	/* copying pages can wait a moment; the writers it frees should not */
	ap_thread_lower_priority(5);
	g_mutex_lock(&file->lock);
	for (;;) {
		gint rc, log = 0, copied = 0;

		while (!file->due && !file->stopping)
			g_cond_wait(&file->wake, &file->lock);
		if (file->stopping)
			break;
		file->due = FALSE;
		g_mutex_unlock(&file->lock);
		rc = sqlite3_wal_checkpoint_v2(
			file->handle, NULL, SQLITE_CHECKPOINT_PASSIVE, &log, &copied);
		if (rc != SQLITE_OK)
			g_debug("checkpoint of %s: %s", file->path, sqlite3_errmsg(file->handle));
		g_mutex_lock(&file->lock);
		if (rc == SQLITE_OK)
			file->copied = copied;
		file->checkpoints++;
	}
	g_mutex_unlock(&file->lock);
	return NULL;
}

/**
 * ap_sqlite_file_start_checkpointer:
 * @error: a #GError, or %NULL
 *
 * Checkpoints the file on a thread of its own from now on, with a
 * connection of its own, until ap_sqlite_file_stop_checkpointer().
 *
 * Returns: %TRUE if the thread runs
 */
gboolean
ap_sqlite_file_start_checkpointer(ApSqliteFile *file, GError **error)
{
	sqlite3 *handle = NULL;
	gint rc;

	g_return_val_if_fail(file->thread == NULL, FALSE);

	rc = sqlite3_open_v2(
		file->path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
	/* a checkpoint flushes the file before the log may be reused */
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(handle, "PRAGMA synchronous=FULL", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		g_set_error(error,
			    G_FILE_ERROR,
			    G_FILE_ERROR_FAILED,
			    "cannot open %s to checkpoint it: %s",
			    file->path,
			    handle != NULL ? sqlite3_errmsg(handle) : sqlite3_errstr(rc));
		sqlite3_close(handle);
		return FALSE;
	}
	file->handle = handle;
	/* the thread's own reference: a process that exits without stopping
	 * it frees nothing the thread still reads */
	g_mutex_lock(&ap_sqlite_files_lock);
	file->ref++;
	g_mutex_unlock(&ap_sqlite_files_lock);
	g_mutex_lock(&file->lock);
	file->thread = g_thread_new("checkpoint", ap_sqlite_file_checkpoint_thread, file);
	g_mutex_unlock(&file->lock);
	return TRUE;
}

/**
 * ap_sqlite_file_stop_checkpointer:
 *
 * Lets the checkpoint under way finish, stops the thread and closes its
 * connection; the committing connections checkpoint again themselves.
 */
void
ap_sqlite_file_stop_checkpointer(ApSqliteFile *file)
{
	GThread *thread;

	g_mutex_lock(&file->lock);
	thread = file->thread;
	if (thread != NULL) {
		file->stopping = TRUE;
		g_cond_signal(&file->wake);
	}
	g_mutex_unlock(&file->lock);
	if (thread == NULL)
		return;
	g_thread_join(thread);
	g_mutex_lock(&file->lock);
	file->thread = NULL;
	file->stopping = FALSE;
	file->due = FALSE;
	g_mutex_unlock(&file->lock);
	sqlite3_close(file->handle);
	file->handle = NULL;
	ap_sqlite_file_unref(file);
}

/**
 * ap_sqlite_file_get_checkpoints:
 *
 * Returns: the checkpoints the checkpointer's thread has run
 */
guint64
ap_sqlite_file_get_checkpoints(ApSqliteFile *file)
{
	guint64 n;

	g_mutex_lock(&file->lock);
	n = file->checkpoints;
	g_mutex_unlock(&file->lock);
	return n;
}

/**
 * ap_sqlite_file_get_commits:
 *
 * A count that moves with every commit of this process's connections to
 * the file, made by the time SQLite's commit returns to the connection
 * that made it. It wraps: compare it for equality only. Other processes'
 * commits do not count.
 *
 * Returns: the count
 */
gint
ap_sqlite_file_get_commits(ApSqliteFile *file)
{
	return g_atomic_int_get(&file->commits);
}

/**
 * ap_sqlite_file_get_waiting:
 *
 * Returns: the connections waiting for their turn to write
 */
guint
ap_sqlite_file_get_waiting(ApSqliteFile *file)
{
	guint n;

	g_mutex_lock(&file->lock);
	n = file->waiting.length;
	g_mutex_unlock(&file->lock);
	return n;
}
