/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApSqliteStore"

#include "ap-sqlite-store.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>

#include "ap-error.h"
#include "ap-json.h"
#include "ap-secret.h"
#include "ap-sqlite-schema.h"
#include "ap-sqlite-store-private.h"

/*
 * The SQLite implementation of #ApStore: the object, services, users and
 * their API tokens, and backups. Experts are in ap-sqlite-experts.c,
 * bookings in ap-sqlite-bookings.c (writes) and ap-sqlite-booking-queries.c
 * (reads), the schema in ap-sqlite-schema.c and the connection helpers in
 * ap-sqlite-db.c.
 *
 * One connection, owned by the thread that made the store; a worker
 * thread or another process opens its own.
 */

G_DEFINE_TYPE(ApSqliteStore, ap_sqlite_store, AP_TYPE_STORE)

/* an API token's last use is recorded at most this often, so that
 * authenticating a request is not a write */
#define AP_SQLITE_TOKEN_TOUCH_SECONDS 3600

/* services */

#define AP_SQLITE_SERVICE_COLUMNS                                                                  \
	"id, name, description, preparation, duration_minutes, buffer_before_minutes, "            \
	"buffer_after_minutes, min_notice_minutes, horizon_days, step_minutes, capacity, "         \
	"questions, active"

static void
ap_sqlite_replace_string(gchar **field, gchar *value)
{
	g_free(*field);
	*field = value;
}

static ApService *
ap_sqlite_service_from_row(ApSqliteStmt *stmt, GError **error)
{
	g_autoptr(ApService) service = NULL;
	g_autoptr(JsonNode) questions = NULL;
	g_autoptr(GError) error_local = NULL;
	const gchar *id = (const gchar *)sqlite3_column_text(stmt, 0);

	service = ap_service_new(id);
	ap_sqlite_replace_string(&service->name, ap_sqlite_stmt_dup_text(stmt, 1));
	ap_sqlite_replace_string(&service->description, ap_sqlite_stmt_dup_text(stmt, 2));
	ap_sqlite_replace_string(&service->preparation, ap_sqlite_stmt_dup_text(stmt, 3));
	service->duration_minutes = (guint)sqlite3_column_int(stmt, 4);
	service->buffer_before_minutes = (guint)sqlite3_column_int(stmt, 5);
	service->buffer_after_minutes = (guint)sqlite3_column_int(stmt, 6);
	service->min_notice_minutes = (guint)sqlite3_column_int(stmt, 7);
	service->horizon_days = (guint)sqlite3_column_int(stmt, 8);
	service->step_minutes = (guint)sqlite3_column_int(stmt, 9);
	service->capacity = (guint)sqlite3_column_int(stmt, 10);
	service->active = sqlite3_column_int(stmt, 12) != 0;
	questions = ap_json_from_string((const gchar *)sqlite3_column_text(stmt, 11), &error_local);
	if (questions == NULL ||
	    !ap_service_questions_from_json(service, questions, &error_local)) {
		g_set_error(error,
			    AP_ERROR,
			    AP_ERROR_STORE,
			    "service %s: stored questions are unreadable: %s",
			    id,
			    error_local->message);
		return NULL;
	}
	return g_steal_pointer(&service);
}

/* binds every field but the id as ?2 to ?13 */
static void
ap_sqlite_service_bind(ApSqliteStmt *stmt, const ApService *service)
{
	g_autoptr(JsonNode) questions = ap_service_questions_to_json(service);
	g_autofree gchar *text = ap_json_to_string(questions);

	ap_sqlite_stmt_bind_text(stmt, 1, service->id);
	ap_sqlite_stmt_bind_text(stmt, 2, service->name);
	ap_sqlite_stmt_bind_text(stmt, 3, service->description != NULL ? service->description : "");
	ap_sqlite_stmt_bind_text(stmt, 4, service->preparation != NULL ? service->preparation : "");
	sqlite3_bind_int64(stmt, 5, service->duration_minutes);
	sqlite3_bind_int64(stmt, 6, service->buffer_before_minutes);
	sqlite3_bind_int64(stmt, 7, service->buffer_after_minutes);
	sqlite3_bind_int64(stmt, 8, service->min_notice_minutes);
	sqlite3_bind_int64(stmt, 9, service->horizon_days);
	sqlite3_bind_int64(stmt, 10, service->step_minutes);
	sqlite3_bind_int64(stmt, 11, service->capacity);
	ap_sqlite_stmt_bind_text(stmt, 12, text);
	sqlite3_bind_int(stmt, 13, service->active ? 1 : 0);
}

/**
 * ap_sqlite_service_insert:
 * @db: a connection inside a write transaction
 * @service: the service, placed last in the catalogue
 * @error: a #GError, or %NULL
 *
 * Returns: %TRUE on success; %AP_ERROR_EXISTS if the id is taken
 */
gboolean
ap_sqlite_service_insert(ApSqliteDb *db, const ApService *service, GError **error)
{
	g_autoptr(ApSqliteStmt) stmt = NULL;
	g_autoptr(GError) error_local = NULL;

	stmt = ap_sqlite_db_prepare(
		db,
		"INSERT INTO services (" AP_SQLITE_SERVICE_COLUMNS ", position) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
		"(SELECT coalesce(max(position), 0) + 1 FROM services))",
		error);
	if (stmt == NULL)
		return FALSE;
	ap_sqlite_service_bind(stmt, service);
	if (!ap_sqlite_stmt_run(stmt, &error_local)) {
		if (g_error_matches(error_local, AP_ERROR, AP_ERROR_EXISTS)) {
			g_set_error(error,
				    AP_ERROR,
				    AP_ERROR_EXISTS,
				    "a service with id %s already exists",
				    service->id);
			return FALSE;
		}
		g_propagate_error(error, g_steal_pointer(&error_local));
		return FALSE;
	}
	return TRUE;
}

static GPtrArray *
ap_sqlite_store_services_list(ApStore *store, gboolean include_inactive, GError **error)
{
	ApSqliteStore *self = AP_SQLITE_STORE(store);
	g_autoptr(GPtrArray) services =
		g_ptr_array_new_with_free_func((GDestroyNotify)ap_service_unref);
	g_autoptr(ApSqliteStmt) stmt = NULL;
	gint rc;

	stmt = ap_sqlite_db_prepare(self->db,
				    "SELECT " AP_SQLITE_SERVICE_COLUMNS " FROM services "
				    "WHERE ?1 OR active ORDER BY position, id",
				    error);
	if (stmt == NULL)
		return NULL;
	sqlite3_bind_int(stmt, 1, include_inactive ? 1 : 0);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		ApService *service = ap_sqlite_service_from_row(stmt, error);
		if (service == NULL)
			return NULL;
		g_ptr_array_add(services, service);
	}
	if (rc != SQLITE_DONE) {
		ap_sqlite_set_error(ap_sqlite_db_get_handle(self->db), rc, error);
		return NULL;
	}
	return g_steal_pointer(&services);
}

static ApService *
ap_sqlite_store_service_get(ApStore *store, const gchar *id, GError **error)
{
	ApSqliteStore *self = AP_SQLITE_STORE(store);
	g_autoptr(ApSqliteStmt) stmt = NULL;
	gint rc;

	g_return_val_if_fail(id != NULL, NULL);

	stmt = ap_sqlite_db_prepare(self->db,
				    "SELECT " AP_SQLITE_SERVICE_COLUMNS
				    " FROM services WHERE id = ?1",
				    error);
	if (stmt == NULL)
		return NULL;
	ap_sqlite_stmt_bind_text(stmt, 1, id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_DONE) {
		g_set_error(error, AP_ERROR, AP_ERROR_NOT_FOUND, "service %s not found", id);
		return NULL;
	}
	if (rc != SQLITE_ROW) {
		ap_sqlite_set_error(ap_sqlite_db_get_handle(self->db), rc, error);
		return NULL;
	}
	return ap_sqlite_service_from_row(stmt, error);
}

static gboolean
ap_sqlite_store_service_create(ApStore *store, ApService *service, GError **error)
{
	ApSqliteStore *self = AP_SQLITE_STORE(store);
	g_autoptr(ApSqliteTxn) txn = NULL;

	g_return_val_if_fail(service != NULL, FALSE);

	txn = ap_sqlite_txn_begin(self->db, error);
	if (txn == NULL || !ap_sqlite_service_insert(self->db, service, error) ||
	    !ap_sqlite_txn_commit(txn, error)) {
		if (error != NULL && !g_error_matches(*error, AP_ERROR, AP_ERROR_INVALID))
			g_prefix_error(error, "service %s: ", service->id);
		return FALSE;
	}
	return TRUE;
}

static gboolean
ap_sqlite_store_service_update(ApStore *store, ApService *service, GError **error)
{
	ApSqliteStore *self = AP_SQLITE_STORE(store);
	g_autoptr(ApSqliteTxn) txn = NULL;
	g_autoptr(ApSqliteStmt) stmt = NULL;

	g_return_val_if_fail(service != NULL, FALSE);

	txn = ap_sqlite_txn_begin(self->db, error);
	if (txn == NULL)
		return FALSE;
	stmt = ap_sqlite_db_prepare(
		self->db,
		"UPDATE services SET name = ?2, description = ?3, preparation = ?4, "
		"duration_minutes = ?5, buffer_before_minutes = ?6, "
		"buffer_after_minutes = ?7, min_notice_minutes = ?8, "
		"horizon_days = ?9, step_minutes = ?10, capacity = ?11, "
		"questions = ?12, active = ?13 WHERE id = ?1",
		error);
	if (stmt == NULL)
		return FALSE;
	ap_sqlite_service_bind(stmt, service);
	if (!ap_sqlite_stmt_run(stmt, error)) {
		g_prefix_error(error, "service %s: ", service->id);
		return FALSE;
	}
	if (sqlite3_changes(ap_sqlite_db_get_handle(self->db)) == 0) {
		g_set_error(
			error, AP_ERROR, AP_ERROR_NOT_FOUND, "service %s not found", service->id);
		return FALSE;
	}
	return ap_sqlite_txn_commit(txn, error);
}

/* users */

ApUser *
ap_sqlite_user_from_row(ApSqliteStmt *stmt, GError **error)
{
	g_autoptr(ApUser) user = ap_user_new();
	const gchar *role = (const gchar *)sqlite3_column_text(stmt, 3);

	user->id = sqlite3_column_int64(stmt, 0);
	user->email = ap_sqlite_stmt_dup_text(stmt, 1);
	user->name = ap_sqlite_stmt_dup_text(stmt, 2);
	if (!ap_role_from_string(role, &user->role)) {
		g_set_error(error,
			    AP_ERROR,
			    AP_ERROR_STORE,
			    "user %" G_GINT64_FORMAT ": unknown role %s",
			    user->id,
			    role);
		return NULL;
	}
	user->expert_id = sqlite3_column_int64(stmt, 4);
	user->password_hash = ap_sqlite_stmt_dup_text(stmt, 5);
	user->active = sqlite3_column_int(stmt, 6) != 0;
	user->created_at = sqlite3_column_int64(stmt, 7);
	return g_steal_pointer(&user);
}

/* steps @stmt, bound by the caller, for one user */
static ApUser *
ap_sqlite_user_fetch(ApSqliteStmt *stmt, const gchar *what, GError **error)
{
	gint rc = sqlite3_step(stmt);

	if (rc == SQLITE_DONE) {
		g_set_error(error, AP_ERROR, AP_ERROR_NOT_FOUND, "%s not found", what);
		return NULL;
	}
	if (rc != SQLITE_ROW) {
		ap_sqlite_set_error(sqlite3_db_handle(stmt), rc, error);
		return NULL;
	}
	return ap_sqlite_user_from_row(stmt, error);
}

static gboolean
ap_sqlite_exists(ApSqliteDb *db, const gchar *sql, gint64 id, gboolean *exists, GError **error)
{
	g_autoptr(ApSqliteStmt) stmt = ap_sqlite_db_prepare(db, sql, error);
	gint rc;

	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_int64(stmt, 1, id);
	rc = sqlite3_step(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		ap_sqlite_set_error(ap_sqlite_db_get_handle(db), rc, error);
		return FALSE;
	}
	*exists = rc == SQLITE_ROW;
	return TRUE;
}

static gboolean
ap_sqlite_store_user_create(ApStore *store, ApUser *user, GError **error)
{
	ApSqliteStore *self = AP_SQLITE_STORE(store);
	g_autoptr(ApSqliteTxn) txn = NULL;
	g_autoptr(ApSqliteStmt) stmt = NULL;
	g_autoptr(GError) error_local = NULL;
	gint64 now = ap_store_get_now(store);
	gint64 created_at = user->created_at != 0 ? user->created_at : now;
	gboolean exists = FALSE;

	g_return_val_if_fail(user != NULL, FALSE);

	if (user->role == AP_ROLE_EXPERT && user->expert_id == 0) {
		g_set_error(error,
			    AP_ERROR,
			    AP_ERROR_INVALID,
			    "user %s: expert_id: an expert's account must name the expert",
			    user->email);
		return FALSE;
	}
	txn = ap_sqlite_txn_begin(self->db, error);
	if (txn == NULL)
		return FALSE;
	if (user->expert_id != 0) {
		if (!ap_sqlite_exists(self->db,
				      "SELECT 1 FROM experts WHERE id = ?1",
				      user->expert_id,
				      &exists,
				      error))
			return FALSE;
		if (!exists) {
			g_set_error(error,
				    AP_ERROR,
				    AP_ERROR_NOT_FOUND,
				    "user %s: expert %" G_GINT64_FORMAT " not found",
				    user->email,
				    user->expert_id);
			return FALSE;
		}
	}
	stmt = ap_sqlite_db_prepare(
		self->db,
		"INSERT INTO users (email, name, role, expert_id, password_hash, "
		"active, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
		error);
	if (stmt == NULL)
		return FALSE;
	ap_sqlite_stmt_bind_text(stmt, 1, user->email);
	ap_sqlite_stmt_bind_text(stmt, 2, user->name);
	ap_sqlite_stmt_bind_text(stmt, 3, ap_role_to_string(user->role));
	if (user->expert_id != 0)
		sqlite3_bind_int64(stmt, 4, user->expert_id);
	ap_sqlite_stmt_bind_text(stmt, 5, user->password_hash);
	sqlite3_bind_int(stmt, 6, user->active ? 1 : 0);
	sqlite3_bind_int64(stmt, 7, created_at);
	if (!ap_sqlite_stmt_run(stmt, &error_local)) {
		if (g_error_matches(error_local, AP_ERROR, AP_ERROR_EXISTS)) {
			g_set_error(error,
				    AP_ERROR,
				    AP_ERROR_EXISTS,
				    "a user with email %s already exists",
				    user->email);
			return FALSE;
		}
		g_propagate_prefixed_error(
			error, g_steal_pointer(&error_local), "user %s: ", user->email);
		return FALSE;
	}
	if (!ap_sqlite_txn_commit(txn, error))
		return FALSE;
	user->id = sqlite3_last_insert_rowid(ap_sqlite_db_get_handle(self->db));
	user->created_at = created_at;
	return TRUE;
}

static ApUser *
ap_sqlite_store_user_get(ApStore *store, gint64 id, GError **error)
{
	ApSqliteStore *self = AP_SQLITE_STORE(store);
	g_autoptr(ApSqliteStmt) stmt = NULL;
	g_autofree gchar *what = NULL;

	stmt = ap_sqlite_db_prepare(
		self->db, "SELECT " AP_SQLITE_USER_COLUMNS " FROM users u WHERE u.id = ?1", error);
	if (stmt == NULL)
		return NULL;
	sqlite3_bind_int64(stmt, 1, id);
	what = g_strdup_printf("user %" G_GINT64_FORMAT, id);
	return ap_sqlite_user_fetch(stmt, what, error);
}

static ApUser *
ap_sqlite_store_user_get_by_email(ApStore *store, const gchar *email, GError **error)
{
	ApSqliteStore *self = AP_SQLITE_STORE(store);
	g_autoptr(ApSqliteStmt) stmt = NULL;
	g_autofree gchar *what = NULL;

	g_return_val_if_fail(email != NULL, NULL);

	/* the column's NOCASE collation makes this ignore case */
	stmt = ap_sqlite_db_prepare(self->db,
				    "SELECT " AP_SQLITE_USER_COLUMNS
				    " FROM users u WHERE u.email = ?1",
				    error);
	if (stmt == NULL)
		return NULL;
	ap_sqlite_stmt_bind_text(stmt, 1, email);
	what = g_strdup_printf("user %s", email);
	return ap_sqlite_user_fetch(stmt, what, error);
}

static gboolean
ap_sqlite_store_api_token_create(ApStore *store,
				 gint64 user_id,
				 const gchar *token_hash,
				 GError **error)
{
	ApSqliteStore *self = AP_SQLITE_STORE(store);
	g_autoptr(ApSqliteTxn) txn = NULL;
	g_autoptr(ApSqliteStmt) stmt = NULL;
	gboolean exists = FALSE;

	g_return_val_if_fail(token_hash != NULL, FALSE);

	txn = ap_sqlite_txn_begin(self->db, error);
	if (txn == NULL)
		return FALSE;
	if (!ap_sqlite_exists(
		    self->db, "SELECT 1 FROM users WHERE id = ?1", user_id, &exists, error))
		return FALSE;
	if (!exists) {
		g_set_error(error,
			    AP_ERROR,
			    AP_ERROR_NOT_FOUND,
			    "user %" G_GINT64_FORMAT " not found",
			    user_id);
		return FALSE;
	}
	stmt = ap_sqlite_db_prepare(self->db,
				    "INSERT INTO api_tokens (user_id, token_hash, created_at) "
				    "VALUES (?1, ?2, ?3)",
				    error);
	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_int64(stmt, 1, user_id);
	ap_sqlite_stmt_bind_text(stmt, 2, token_hash);
	sqlite3_bind_int64(stmt, 3, ap_store_get_now(store));
	if (!ap_sqlite_stmt_run(stmt, error)) {
		g_prefix_error(error, "API token of user %" G_GINT64_FORMAT ": ", user_id);
		return FALSE;
	}
	return ap_sqlite_txn_commit(txn, error);
}

/* records a token's use; worth at most a warning, never a failed request */
static void
ap_sqlite_token_touch(ApSqliteDb *db, const gchar *token_hash, gint64 now)
{
	g_autoptr(GError) error_local = NULL;
	g_autoptr(ApSqliteTxn) txn = ap_sqlite_txn_begin(db, &error_local);
	g_autoptr(ApSqliteStmt) stmt = NULL;

	if (txn == NULL) {
		g_debug("recording an API token's use: %s", error_local->message);
		return;
	}
	stmt = ap_sqlite_db_prepare(
		db, "UPDATE api_tokens SET last_used_at = ?2 WHERE token_hash = ?1", &error_local);
	if (stmt == NULL) {
		g_debug("recording an API token's use: %s", error_local->message);
		return;
	}
	ap_sqlite_stmt_bind_text(stmt, 1, token_hash);
	sqlite3_bind_int64(stmt, 2, now);
	if (!ap_sqlite_stmt_run(stmt, &error_local) || !ap_sqlite_txn_commit(txn, &error_local))
		g_debug("recording an API token's use: %s", error_local->message);
}

static ApUser *
ap_sqlite_store_user_get_by_token(ApStore *store, const gchar *token_hash, GError **error)
{
	ApSqliteStore *self = AP_SQLITE_STORE(store);
	g_autoptr(ApSqliteStmt) stmt = NULL;
	g_autoptr(ApUser) user = NULL;
	gint64 now = ap_store_get_now(store);
	gboolean stale;

	g_return_val_if_fail(token_hash != NULL, NULL);

	stmt = ap_sqlite_db_prepare(self->db,
				    "SELECT " AP_SQLITE_USER_COLUMNS ", t.last_used_at "
				    "FROM api_tokens t JOIN users u ON u.id = t.user_id "
				    "WHERE t.token_hash = ?1 AND u.active",
				    error);
	if (stmt == NULL)
		return NULL;
	ap_sqlite_stmt_bind_text(stmt, 1, token_hash);
	user = ap_sqlite_user_fetch(stmt, "API token", error);
	if (user == NULL)
		return NULL;
	stale = sqlite3_column_type(stmt, 8) == SQLITE_NULL ||
		sqlite3_column_int64(stmt, 8) + AP_SQLITE_TOKEN_TOUCH_SECONDS <= now;
	ap_sqlite_stmt_release(g_steal_pointer(&stmt));
	if (stale)
		ap_sqlite_token_touch(self->db, token_hash, now);
	return g_steal_pointer(&user);
}

/* operations */

static gboolean
ap_sqlite_backup_copy(sqlite3 *source, const gchar *path, GError **error)
{
	g_autoptr(sqlite3) dest = NULL;
	sqlite3_backup *backup;
	gint rc;

	rc = sqlite3_open_v2(path, &dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		ap_sqlite_set_error(dest, rc, error);
		return FALSE;
	}
	backup = sqlite3_backup_init(dest, "main", source, "main");
	if (backup == NULL) {
		ap_sqlite_set_error(dest, sqlite3_extended_errcode(dest), error);
		return FALSE;
	}
	/* all pages in one step: the copy is read inside one transaction of
	 * the source, so it is a consistent snapshot even while other
	 * processes write (WAL lets them go on meanwhile) */
	for (guint i = 0; i < 100; i++) {
		rc = sqlite3_backup_step(backup, -1);
		if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
			break;
		sqlite3_sleep(50);
	}
	sqlite3_backup_finish(backup);
	if (rc != SQLITE_DONE) {
		ap_sqlite_set_error(dest, rc, error);
		return FALSE;
	}
	return TRUE;
}

static guint64
ap_sqlite_store_get_generation(ApStore *store)
{
	return ap_sqlite_db_get_generation(AP_SQLITE_STORE(store)->db);
}

static guint64
ap_sqlite_store_get_catalogue_generation(ApStore *store)
{
	return ap_sqlite_db_get_catalogue_generation(AP_SQLITE_STORE(store)->db);
}

static gboolean
ap_sqlite_store_batch_begin(ApStore *store, GError **error)
{
	return ap_sqlite_db_batch_begin(AP_SQLITE_STORE(store)->db, error);
}

static gboolean
ap_sqlite_store_batch_commit(ApStore *store, GError **error)
{
	return ap_sqlite_db_batch_commit(AP_SQLITE_STORE(store)->db, error);
}

static gboolean
ap_sqlite_store_backup(ApStore *store, const gchar *path, GError **error)
{
	ApSqliteStore *self = AP_SQLITE_STORE(store);
	gint fd;

	g_return_val_if_fail(path != NULL, FALSE);

	/* claim the name atomically, so that an existing file (perhaps the
	 * live database) is never overwritten; the copy holds personal data */
	fd = g_open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		gint errsv = errno;
		g_set_error(error,
			    AP_ERROR,
			    errsv == EEXIST ? AP_ERROR_EXISTS : AP_ERROR_STORE,
			    "backup %s: %s",
			    path,
			    g_strerror(errsv));
		return FALSE;
	}
	g_close(fd, NULL);
	if (!ap_sqlite_backup_copy(ap_sqlite_db_get_handle(self->db), path, error)) {
		g_prefix_error(error, "backup %s: ", path);
		g_unlink(path);
		return FALSE;
	}
	return TRUE;
}

/* the object */

static void
ap_sqlite_store_finalize(GObject *object)
{
	ApSqliteStore *self = AP_SQLITE_STORE(object);

	g_clear_pointer(&self->db, ap_sqlite_db_free);
	G_OBJECT_CLASS(ap_sqlite_store_parent_class)->finalize(object);
}

static void
ap_sqlite_store_class_init(ApSqliteStoreClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	ApStoreClass *store_class = AP_STORE_CLASS(klass);

	object_class->finalize = ap_sqlite_store_finalize;

	store_class->services_list = ap_sqlite_store_services_list;
	store_class->service_get = ap_sqlite_store_service_get;
	store_class->service_create = ap_sqlite_store_service_create;
	store_class->service_update = ap_sqlite_store_service_update;
	store_class->user_create = ap_sqlite_store_user_create;
	store_class->user_get = ap_sqlite_store_user_get;
	store_class->user_get_by_email = ap_sqlite_store_user_get_by_email;
	store_class->api_token_create = ap_sqlite_store_api_token_create;
	store_class->user_get_by_token = ap_sqlite_store_user_get_by_token;
	ap_sqlite_store_outbox_class_init(store_class);
	ap_sqlite_store_reminders_class_init(store_class);
	ap_sqlite_store_feedback_class_init(store_class);
	ap_sqlite_store_accounts_class_init(store_class);
	ap_sqlite_store_privacy_class_init(store_class);
	ap_sqlite_store_import_class_init(store_class);
	store_class->backup = ap_sqlite_store_backup;
	store_class->get_generation = ap_sqlite_store_get_generation;
	store_class->get_catalogue_generation = ap_sqlite_store_get_catalogue_generation;
	store_class->batch_begin = ap_sqlite_store_batch_begin;
	store_class->batch_commit = ap_sqlite_store_batch_commit;
	ap_sqlite_store_experts_class_init(store_class);
	ap_sqlite_store_booking_queries_class_init(store_class);
	ap_sqlite_store_bookings_class_init(store_class);
	ap_sqlite_store_sessions_class_init(store_class);
}

static void
ap_sqlite_store_init(ApSqliteStore *self)
{
}

/**
 * ap_sqlite_store_new:
 * @path: the database file, made (with its folder) if missing
 * @error: a #GError, or %NULL
 *
 * Opens the store and migrates its schema to %AP_SQLITE_SCHEMA_VERSION;
 * a new database starts with the default catalogue. A database made by a
 * newer appoint is refused.
 *
 * Returns: (transfer full) (nullable): the store
 */
ApStore *
ap_sqlite_store_new(const gchar *path, GError **error)
{
	g_autoptr(ApSqliteStore) self = NULL;

	g_return_val_if_fail(path != NULL, NULL);

	/* references are drawn from libsodium's generator */
	if (!ap_secret_init(error))
		return NULL;
	self = g_object_new(AP_TYPE_SQLITE_STORE, NULL);
	self->db = ap_sqlite_db_open(path, error);
	if (self->db == NULL)
		return NULL;
	if (!ap_sqlite_schema_migrate(self->db, NULL, error)) {
		g_prefix_error(error, "%s: ", path);
		return NULL;
	}
	self->schema_version = AP_SQLITE_SCHEMA_VERSION;
	return AP_STORE(g_steal_pointer(&self));
}

/**
 * ap_sqlite_store_get_schema_version:
 * @self: the store
 *
 * Returns: the schema version of the open database, as stored in it
 */
/**
 * ap_sqlite_store_set_relaxed_durability:
 * @error: a #GError, or %NULL
 *
 * For a connection whose writes may be lost in a power cut without harm
 * (the outbox's delivery marks, which only make an email go again, and
 * its planning of reminders, which is done again): commits are not
 * synced to disk one by one (`synchronous=NORMAL`, still crash-safe for the process in WAL
 * mode). Never for a connection that writes bookings.
 *
 * Returns: %TRUE on success
 */
gboolean
ap_sqlite_store_set_relaxed_durability(ApSqliteStore *self, GError **error)
{
	g_return_val_if_fail(AP_IS_SQLITE_STORE(self), FALSE);
	return ap_sqlite_db_exec(self->db, "PRAGMA synchronous=NORMAL", error);
}

/**
 * ap_sqlite_store_start_checkpointer:
 * @error: a #GError, or %NULL
 *
 * For a process whose writes must not wait on checkpoints (appointd):
 * from now on the write-ahead log is copied back into the database file
 * on a thread of its own, for every connection of this process to the
 * file (see ap-sqlite-file.c). Stop it with
 * ap_sqlite_store_stop_checkpointer() before the store goes.
 *
 * Returns: %TRUE if the thread runs
 */
gboolean
ap_sqlite_store_start_checkpointer(ApSqliteStore *self, GError **error)
{
	g_return_val_if_fail(AP_IS_SQLITE_STORE(self), FALSE);
	return ap_sqlite_file_start_checkpointer(ap_sqlite_db_get_file(self->db), error);
}

void
ap_sqlite_store_stop_checkpointer(ApSqliteStore *self)
{
	g_return_if_fail(AP_IS_SQLITE_STORE(self));
	ap_sqlite_file_stop_checkpointer(ap_sqlite_db_get_file(self->db));
}

/**
 * ap_sqlite_store_get_checkpoints:
 *
 * Returns: the checkpoints that the checkpointer's thread has run
 */
guint64
ap_sqlite_store_get_checkpoints(ApSqliteStore *self)
{
	g_return_val_if_fail(AP_IS_SQLITE_STORE(self), 0);
	return ap_sqlite_file_get_checkpoints(ap_sqlite_db_get_file(self->db));
}

/**
 * ap_sqlite_store_get_wal_bytes:
 *
 * Returns: the size of the database's write-ahead log on disk, 0 if it
 * has none
 */
gint64
ap_sqlite_store_get_wal_bytes(ApSqliteStore *self)
{
	g_autofree gchar *wal = NULL;
	GStatBuf st;

	g_return_val_if_fail(AP_IS_SQLITE_STORE(self), 0);
	wal = g_strconcat(
		sqlite3_db_filename(ap_sqlite_db_get_handle(self->db), "main"), "-wal", NULL);
	return g_stat(wal, &st) == 0 ? (gint64)st.st_size : 0;
}

guint
ap_sqlite_store_get_schema_version(ApSqliteStore *self)
{
	guint version = 0;

	g_return_val_if_fail(AP_IS_SQLITE_STORE(self), 0);

	if (!ap_sqlite_db_get_user_version(self->db, &version, NULL))
		return self->schema_version;
	return version;
}
