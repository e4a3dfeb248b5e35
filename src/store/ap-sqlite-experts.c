/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApSqliteStore"

#include "ap-error.h"
#include "ap-sqlite-store-private.h"
#include "ap-time.h"

/*
 * Experts of the SQLite store: the expert row, the services given, the
 * weekly hours and the date overrides (written together, replaced
 * together) and time off (added and removed one entry at a time).
 */

static gboolean
ap_sqlite_expert_load_services(ApSqliteDb *db, ApExpert *expert, GError **error)
{
	g_autoptr(ApSqliteStmt) stmt = NULL;
	gint rc;

	stmt = ap_sqlite_db_prepare(db,
				    "SELECT service_id FROM expert_services WHERE expert_id = ?1 "
				    "ORDER BY position",
				    error);
	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_int64(stmt, 1, expert->id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		g_ptr_array_add(expert->services, ap_sqlite_stmt_dup_text(stmt, 0));
	if (rc != SQLITE_DONE) {
		ap_sqlite_set_error(ap_sqlite_db_get_handle(db), rc, error);
		return FALSE;
	}
	return TRUE;
}

static gboolean
ap_sqlite_expert_load_hours(ApSqliteDb *db, ApExpert *expert, GError **error)
{
	g_autoptr(ApSqliteStmt) stmt = NULL;
	gint rc;

	stmt = ap_sqlite_db_prepare(db,
				    "SELECT weekday, start_minute, end_minute FROM working_hours "
				    "WHERE expert_id = ?1 ORDER BY weekday, start_minute",
				    error);
	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_int64(stmt, 1, expert->id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		gint weekday = sqlite3_column_int(stmt, 0);
		ApTimeRange range = {(guint16)sqlite3_column_int(stmt, 1),
				     (guint16)sqlite3_column_int(stmt, 2)};
		/* the table's CHECK keeps the weekday in range */
		g_array_append_val(expert->hours->days[CLAMP(weekday, 1, 7) - 1], range);
	}
	if (rc != SQLITE_DONE) {
		ap_sqlite_set_error(ap_sqlite_db_get_handle(db), rc, error);
		return FALSE;
	}
	return TRUE;
}

static gboolean
ap_sqlite_expert_load_overrides(ApSqliteDb *db, ApExpert *expert, GError **error)
{
	g_autoptr(ApSqliteStmt) stmt = NULL;
	ApDateOverride *last = NULL;
	gint rc;

	/* a day off is one row without minutes; other days one row a range */
	stmt = ap_sqlite_db_prepare(db,
				    "SELECT date, start_minute, end_minute FROM date_overrides "
				    "WHERE expert_id = ?1 ORDER BY date, start_minute",
				    error);
	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_int64(stmt, 1, expert->id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		const gchar *text = (const gchar *)sqlite3_column_text(stmt, 0);
		GDate date;

		if (!ap_date_parse(text, &date, NULL)) {
			g_set_error(error,
				    AP_ERROR,
				    AP_ERROR_STORE,
				    "expert %" G_GINT64_FORMAT
				    ": stored override date %s is unreadable",
				    expert->id,
				    text);
			return FALSE;
		}
		if (last == NULL || g_date_compare(&last->date, &date) != 0) {
			last = ap_date_override_new(&date);
			g_ptr_array_add(expert->overrides, last);
		}
		if (sqlite3_column_type(stmt, 1) != SQLITE_NULL) {
			ApTimeRange range = {(guint16)sqlite3_column_int(stmt, 1),
					     (guint16)sqlite3_column_int(stmt, 2)};
			g_array_append_val(last->ranges, range);
		}
	}
	if (rc != SQLITE_DONE) {
		ap_sqlite_set_error(ap_sqlite_db_get_handle(db), rc, error);
		return FALSE;
	}
	return TRUE;
}

static gboolean
ap_sqlite_expert_load_time_off(ApSqliteDb *db, ApExpert *expert, GError **error)
{
	g_autoptr(ApSqliteStmt) stmt = NULL;
	gint rc;

	stmt = ap_sqlite_db_prepare(db,
				    "SELECT id, start_at, end_at, reason FROM time_off "
				    "WHERE expert_id = ?1 ORDER BY start_at, id",
				    error);
	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_int64(stmt, 1, expert->id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		ApTimeOff *time_off = ap_time_off_new(sqlite3_column_int64(stmt, 1),
						      sqlite3_column_int64(stmt, 2),
						      (const gchar *)sqlite3_column_text(stmt, 3));
		time_off->id = sqlite3_column_int64(stmt, 0);
		g_ptr_array_add(expert->time_off, time_off);
	}
	if (rc != SQLITE_DONE) {
		ap_sqlite_set_error(ap_sqlite_db_get_handle(db), rc, error);
		return FALSE;
	}
	return TRUE;
}

/* everything about one expert; the caller holds a transaction */
static ApExpert *
ap_sqlite_expert_load(ApSqliteDb *db, gint64 id, GError **error)
{
	g_autoptr(ApExpert) expert = ap_expert_new();
	g_autoptr(ApSqliteStmt) stmt = NULL;
	gint rc;

	stmt = ap_sqlite_db_prepare(
		db,
		"SELECT name, email, bio, branch, timezone, active FROM experts "
		"WHERE id = ?1",
		error);
	if (stmt == NULL)
		return NULL;
	sqlite3_bind_int64(stmt, 1, id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_DONE) {
		g_set_error(error,
			    AP_ERROR,
			    AP_ERROR_NOT_FOUND,
			    "expert %" G_GINT64_FORMAT " not found",
			    id);
		return NULL;
	}
	if (rc != SQLITE_ROW) {
		ap_sqlite_set_error(ap_sqlite_db_get_handle(db), rc, error);
		return NULL;
	}
	expert->id = id;
	expert->name = ap_sqlite_stmt_dup_text(stmt, 0);
	expert->email = ap_sqlite_stmt_dup_text(stmt, 1);
	expert->bio = ap_sqlite_stmt_dup_text(stmt, 2);
	expert->branch = ap_sqlite_stmt_dup_text(stmt, 3);
	/* the zone itself is loaded on first use by ap_expert_get_tz() */
	g_free(expert->timezone);
	expert->timezone = ap_sqlite_stmt_dup_text(stmt, 4);
	expert->active = sqlite3_column_int(stmt, 5) != 0;
	ap_sqlite_stmt_release(g_steal_pointer(&stmt));

	if (!ap_sqlite_expert_load_services(db, expert, error) ||
	    !ap_sqlite_expert_load_hours(db, expert, error) ||
	    !ap_sqlite_expert_load_overrides(db, expert, error) ||
	    !ap_sqlite_expert_load_time_off(db, expert, error))
		return NULL;
	return g_steal_pointer(&expert);
}

static gboolean
ap_sqlite_expert_write_services(ApSqliteDb *db, ApExpert *expert, gint64 id, GError **error)
{
	g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);

	for (guint i = 0; i < expert->services->len; i++) {
		const gchar *service_id = g_ptr_array_index(expert->services, i);
		g_autoptr(ApSqliteStmt) check = NULL;
		g_autoptr(ApSqliteStmt) insert = NULL;
		gint rc;

		if (!g_hash_table_add(seen, (gpointer)service_id)) {
			g_set_error(error,
				    AP_ERROR,
				    AP_ERROR_INVALID,
				    "services: '%s' is listed twice",
				    service_id);
			return FALSE;
		}
		check = ap_sqlite_db_prepare(db, "SELECT 1 FROM services WHERE id = ?1", error);
		if (check == NULL)
			return FALSE;
		ap_sqlite_stmt_bind_text(check, 1, service_id);
		rc = sqlite3_step(check);
		if (rc == SQLITE_DONE) {
			g_set_error(error,
				    AP_ERROR,
				    AP_ERROR_INVALID,
				    "services: '%s' is not a known service",
				    service_id);
			return FALSE;
		}
		if (rc != SQLITE_ROW) {
			ap_sqlite_set_error(ap_sqlite_db_get_handle(db), rc, error);
			return FALSE;
		}
		insert = ap_sqlite_db_prepare(db,
					      "INSERT INTO expert_services (expert_id, service_id, "
					      "position) VALUES (?1, ?2, ?3)",
					      error);
		if (insert == NULL)
			return FALSE;
		sqlite3_bind_int64(insert, 1, id);
		ap_sqlite_stmt_bind_text(insert, 2, service_id);
		sqlite3_bind_int64(insert, 3, i);
		if (!ap_sqlite_stmt_run(insert, error))
			return FALSE;
	}
	return TRUE;
}

static gboolean
ap_sqlite_expert_write_hours(ApSqliteDb *db, ApExpert *expert, gint64 id, GError **error)
{
	for (guint day = 0; day < 7; day++) {
		GArray *ranges = expert->hours->days[day];
		for (guint i = 0; i < ranges->len; i++) {
			const ApTimeRange *r = &g_array_index(ranges, ApTimeRange, i);
			g_autoptr(ApSqliteStmt) stmt = NULL;

			stmt = ap_sqlite_db_prepare(
				db,
				"INSERT INTO working_hours (expert_id, weekday, "
				"start_minute, end_minute) VALUES (?1, ?2, ?3, ?4)",
				error);
			if (stmt == NULL)
				return FALSE;
			sqlite3_bind_int64(stmt, 1, id);
			sqlite3_bind_int(stmt, 2, (gint)day + 1);
			sqlite3_bind_int(stmt, 3, r->start);
			sqlite3_bind_int(stmt, 4, r->end);
			if (!ap_sqlite_stmt_run(stmt, error)) {
				g_prefix_error(error, "hours: %s: ", ap_weekday_to_string(day + 1));
				return FALSE;
			}
		}
	}
	return TRUE;
}

static gboolean
ap_sqlite_expert_write_override_row(
	ApSqliteDb *db, gint64 id, const gchar *date, const ApTimeRange *range, GError **error)
{
	g_autoptr(ApSqliteStmt) stmt = NULL;

	stmt = ap_sqlite_db_prepare(db,
				    "INSERT INTO date_overrides (expert_id, date, start_minute, "
				    "end_minute) VALUES (?1, ?2, ?3, ?4)",
				    error);
	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_int64(stmt, 1, id);
	ap_sqlite_stmt_bind_text(stmt, 2, date);
	if (range != NULL) {
		sqlite3_bind_int(stmt, 3, range->start);
		sqlite3_bind_int(stmt, 4, range->end);
	}
	if (!ap_sqlite_stmt_run(stmt, error)) {
		g_prefix_error(error, "overrides: %s: ", date);
		return FALSE;
	}
	return TRUE;
}

static gboolean
ap_sqlite_expert_write_overrides(ApSqliteDb *db, ApExpert *expert, gint64 id, GError **error)
{
	for (guint i = 0; i < expert->overrides->len; i++) {
		const ApDateOverride *o = g_ptr_array_index(expert->overrides, i);
		g_autofree gchar *date = ap_date_format(&o->date);

		if (o->ranges->len == 0 &&
		    !ap_sqlite_expert_write_override_row(db, id, date, NULL, error))
			return FALSE;
		for (guint j = 0; j < o->ranges->len; j++) {
			if (!ap_sqlite_expert_write_override_row(
				    db, id, date, &g_array_index(o->ranges, ApTimeRange, j), error))
				return FALSE;
		}
	}
	return TRUE;
}

/* what expert_create writes and expert_update replaces */
static gboolean
ap_sqlite_expert_write_schedule(ApSqliteDb *db, ApExpert *expert, gint64 id, GError **error)
{
	return ap_sqlite_expert_write_services(db, expert, id, error) &&
	       ap_sqlite_expert_write_hours(db, expert, id, error) &&
	       ap_sqlite_expert_write_overrides(db, expert, id, error);
}

static gboolean
ap_sqlite_expert_delete_from(ApSqliteDb *db, const gchar *sql, gint64 id, GError **error)
{
	g_autoptr(ApSqliteStmt) stmt = ap_sqlite_db_prepare(db, sql, error);

	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_int64(stmt, 1, id);
	return ap_sqlite_stmt_run(stmt, error);
}

/* binds the expert row's fields as ?2 to ?7 */
static void
ap_sqlite_expert_bind(ApSqliteStmt *stmt, const ApExpert *expert)
{
	ap_sqlite_stmt_bind_text(stmt, 2, expert->name);
	ap_sqlite_stmt_bind_text(stmt, 3, expert->email);
	ap_sqlite_stmt_bind_text(stmt, 4, expert->bio);
	ap_sqlite_stmt_bind_text(stmt, 5, expert->branch);
	ap_sqlite_stmt_bind_text(stmt, 6, expert->timezone);
	sqlite3_bind_int(stmt, 7, expert->active ? 1 : 0);
}

/* runs the insert or update of the expert row, naming a taken email */
static gboolean
ap_sqlite_expert_run(ApSqliteStmt *stmt, const ApExpert *expert, GError **error)
{
	g_autoptr(GError) error_local = NULL;

	if (ap_sqlite_stmt_run(stmt, &error_local))
		return TRUE;
	if (g_error_matches(error_local, AP_ERROR, AP_ERROR_EXISTS)) {
		g_set_error(error,
			    AP_ERROR,
			    AP_ERROR_EXISTS,
			    "an expert with email %s already exists",
			    expert->email);
		return FALSE;
	}
	g_propagate_error(error, g_steal_pointer(&error_local));
	return FALSE;
}

static gboolean
ap_sqlite_store_expert_create(ApStore *store, ApExpert *expert, GError **error)
{
	ApSqliteStore *self = AP_SQLITE_STORE(store);
	g_autoptr(ApSqliteTxn) txn = NULL;
	g_autoptr(ApSqliteStmt) stmt = NULL;
	gint64 id;

	g_return_val_if_fail(expert != NULL, FALSE);

	txn = ap_sqlite_txn_begin(self->db, error);
	if (txn == NULL)
		return FALSE;
	stmt = ap_sqlite_db_prepare(self->db,
				    "INSERT INTO experts (created_at, name, email, bio, branch, "
				    "timezone, active) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
				    error);
	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_int64(stmt, 1, ap_store_get_now(store));
	ap_sqlite_expert_bind(stmt, expert);
	if (!ap_sqlite_expert_run(stmt, expert, error))
		return FALSE;
	id = sqlite3_last_insert_rowid(ap_sqlite_db_get_handle(self->db));
	if (!ap_sqlite_expert_write_schedule(self->db, expert, id, error)) {
		if (error != NULL && !g_error_matches(*error, AP_ERROR, AP_ERROR_INVALID))
			g_prefix_error(error, "expert %s: ", expert->email);
		return FALSE;
	}
	if (!ap_sqlite_txn_commit(txn, error))
		return FALSE;
	expert->id = id;
	return TRUE;
}

static gboolean
ap_sqlite_store_expert_update(ApStore *store, ApExpert *expert, GError **error)
{
	ApSqliteStore *self = AP_SQLITE_STORE(store);
	g_autoptr(ApSqliteTxn) txn = NULL;
	g_autoptr(ApSqliteStmt) stmt = NULL;

	g_return_val_if_fail(expert != NULL, FALSE);

	txn = ap_sqlite_txn_begin(self->db, error);
	if (txn == NULL)
		return FALSE;
	stmt = ap_sqlite_db_prepare(
		self->db,
		"UPDATE experts SET name = ?2, email = ?3, bio = ?4, branch = ?5, "
		"timezone = ?6, active = ?7 WHERE id = ?1",
		error);
	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_int64(stmt, 1, expert->id);
	ap_sqlite_expert_bind(stmt, expert);
	if (!ap_sqlite_expert_run(stmt, expert, error))
		return FALSE;
	if (sqlite3_changes(ap_sqlite_db_get_handle(self->db)) == 0) {
		g_set_error(error,
			    AP_ERROR,
			    AP_ERROR_NOT_FOUND,
			    "expert %" G_GINT64_FORMAT " not found",
			    expert->id);
		return FALSE;
	}
	if (!ap_sqlite_expert_delete_from(self->db,
					  "DELETE FROM expert_services WHERE expert_id = ?1",
					  expert->id,
					  error) ||
	    !ap_sqlite_expert_delete_from(self->db,
					  "DELETE FROM working_hours WHERE expert_id = ?1",
					  expert->id,
					  error) ||
	    !ap_sqlite_expert_delete_from(self->db,
					  "DELETE FROM date_overrides WHERE expert_id = ?1",
					  expert->id,
					  error) ||
	    !ap_sqlite_expert_write_schedule(self->db, expert, expert->id, error)) {
		/* what is wrong with the input keeps its field name first */
		if (error != NULL && !g_error_matches(*error, AP_ERROR, AP_ERROR_INVALID))
			g_prefix_error(error, "expert %" G_GINT64_FORMAT ": ", expert->id);
		return FALSE;
	}
	return ap_sqlite_txn_commit(txn, error);
}

static ApExpert *
ap_sqlite_store_expert_get(ApStore *store, gint64 id, GError **error)
{
	ApSqliteStore *self = AP_SQLITE_STORE(store);
	g_autoptr(ApSqliteTxn) txn = ap_sqlite_txn_begin_read(self->db, error);

	if (txn == NULL)
		return NULL;
	return ap_sqlite_expert_load(self->db, id, error);
}

static GPtrArray *
ap_sqlite_store_experts_list(ApStore *store,
			     const gchar *service_id,
			     gboolean include_inactive,
			     GError **error)
{
	ApSqliteStore *self = AP_SQLITE_STORE(store);
	g_autoptr(ApSqliteTxn) txn = NULL;
	g_autoptr(ApSqliteStmt) stmt = NULL;
	g_autoptr(GArray) ids = g_array_new(FALSE, FALSE, sizeof(gint64));
	g_autoptr(GPtrArray) experts =
		g_ptr_array_new_with_free_func((GDestroyNotify)ap_expert_unref);
	gint rc;

	txn = ap_sqlite_txn_begin_read(self->db, error);
	if (txn == NULL)
		return NULL;
	stmt = ap_sqlite_db_prepare(
		self->db,
		"SELECT e.id FROM experts e WHERE (?2 OR e.active) AND "
		"(?1 IS NULL OR EXISTS (SELECT 1 FROM expert_services s "
		"WHERE s.expert_id = e.id AND s.service_id = ?1)) ORDER BY e.id",
		error);
	if (stmt == NULL)
		return NULL;
	ap_sqlite_stmt_bind_text(stmt, 1, service_id);
	sqlite3_bind_int(stmt, 2, include_inactive ? 1 : 0);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		gint64 id = sqlite3_column_int64(stmt, 0);
		g_array_append_val(ids, id);
	}
	if (rc != SQLITE_DONE) {
		ap_sqlite_set_error(ap_sqlite_db_get_handle(self->db), rc, error);
		return NULL;
	}
	for (guint i = 0; i < ids->len; i++) {
		ApExpert *expert =
			ap_sqlite_expert_load(self->db, g_array_index(ids, gint64, i), error);
		if (expert == NULL)
			return NULL;
		g_ptr_array_add(experts, expert);
	}
	return g_steal_pointer(&experts);
}

static gboolean
ap_sqlite_store_time_off_add(ApStore *store, gint64 expert_id, ApTimeOff *time_off, GError **error)
{
	ApSqliteStore *self = AP_SQLITE_STORE(store);
	g_autoptr(ApSqliteTxn) txn = NULL;
	g_autoptr(ApSqliteStmt) check = NULL;
	g_autoptr(ApSqliteStmt) stmt = NULL;
	gint64 id;
	gint rc;

	g_return_val_if_fail(time_off != NULL, FALSE);

	txn = ap_sqlite_txn_begin(self->db, error);
	if (txn == NULL)
		return FALSE;
	check = ap_sqlite_db_prepare(self->db, "SELECT 1 FROM experts WHERE id = ?1", error);
	if (check == NULL)
		return FALSE;
	sqlite3_bind_int64(check, 1, expert_id);
	rc = sqlite3_step(check);
	if (rc == SQLITE_DONE) {
		g_set_error(error,
			    AP_ERROR,
			    AP_ERROR_NOT_FOUND,
			    "expert %" G_GINT64_FORMAT " not found",
			    expert_id);
		return FALSE;
	}
	if (rc != SQLITE_ROW) {
		ap_sqlite_set_error(ap_sqlite_db_get_handle(self->db), rc, error);
		return FALSE;
	}
	stmt = ap_sqlite_db_prepare(self->db,
				    "INSERT INTO time_off (expert_id, start_at, end_at, reason) "
				    "VALUES (?1, ?2, ?3, ?4)",
				    error);
	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_int64(stmt, 1, expert_id);
	sqlite3_bind_int64(stmt, 2, time_off->start);
	sqlite3_bind_int64(stmt, 3, time_off->end);
	ap_sqlite_stmt_bind_text(stmt, 4, time_off->reason);
	if (!ap_sqlite_stmt_run(stmt, error)) {
		g_prefix_error(error, "time off of expert %" G_GINT64_FORMAT ": ", expert_id);
		return FALSE;
	}
	id = sqlite3_last_insert_rowid(ap_sqlite_db_get_handle(self->db));
	if (!ap_sqlite_txn_commit(txn, error))
		return FALSE;
	time_off->id = id;
	return TRUE;
}

static gboolean
ap_sqlite_store_time_off_remove(ApStore *store,
				gint64 expert_id,
				gint64 time_off_id,
				GError **error)
{
	ApSqliteStore *self = AP_SQLITE_STORE(store);
	g_autoptr(ApSqliteTxn) txn = NULL;
	g_autoptr(ApSqliteStmt) stmt = NULL;

	txn = ap_sqlite_txn_begin(self->db, error);
	if (txn == NULL)
		return FALSE;
	stmt = ap_sqlite_db_prepare(
		self->db, "DELETE FROM time_off WHERE id = ?1 AND expert_id = ?2", error);
	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_int64(stmt, 1, time_off_id);
	sqlite3_bind_int64(stmt, 2, expert_id);
	if (!ap_sqlite_stmt_run(stmt, error))
		return FALSE;
	if (sqlite3_changes(ap_sqlite_db_get_handle(self->db)) == 0) {
		g_set_error(error,
			    AP_ERROR,
			    AP_ERROR_NOT_FOUND,
			    "expert %" G_GINT64_FORMAT " has no time off %" G_GINT64_FORMAT,
			    expert_id,
			    time_off_id);
		return FALSE;
	}
	return ap_sqlite_txn_commit(txn, error);
}

void
ap_sqlite_store_experts_class_init(ApStoreClass *store_class)
{
	store_class->expert_create = ap_sqlite_store_expert_create;
	store_class->expert_update = ap_sqlite_store_expert_update;
	store_class->expert_get = ap_sqlite_store_expert_get;
	store_class->experts_list = ap_sqlite_store_experts_list;
	store_class->time_off_add = ap_sqlite_store_time_off_add;
	store_class->time_off_remove = ap_sqlite_store_time_off_remove;
}
