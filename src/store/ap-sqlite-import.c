/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApSqliteStore"

#include <string.h>

#include "ap-error.h"
#include "ap-secret.h"
#include "ap-slots.h"
#include "ap-sqlite-store-private.h"
#include "ap-validate.h"

/*
 * Bookings written in bulk, for test and benchmark data at the size of a
 * national retailer (appointctl generate): one transaction a batch, one
 * prepared statement, and a large page cache while it runs, since the
 * unique indexes on random references are written all over the file.
 * The rows are those a booking would have (block, seat, references),
 * without history or emails: nothing is announced to anyone. Whether
 * they overlap is the caller's to ensure; the unique index on active
 * seats still refuses two in one.
 */

#define AP_SQLITE_IMPORT_CACHE_KIB 1048576

static gboolean
ap_sqlite_import_one(ApSqliteStmt *stmt, const ApService *service, ApBooking *b, GError **error)
{
	g_autofree gchar *digits = ap_phone_digits(b->customer_phone);
	gint64 block_start = 0, block_end = 0;

	ap_slots_block(service, b->start, b->end, &block_start, &block_end);
	ap_sqlite_stmt_bind_text(stmt, 2, b->token_hash);
	ap_sqlite_stmt_bind_text(stmt, 3, service->id);
	sqlite3_bind_int64(stmt, 4, b->expert_id);
	sqlite3_bind_int64(stmt, 5, b->start);
	sqlite3_bind_int64(stmt, 6, b->end);
	sqlite3_bind_int64(stmt, 7, block_start);
	sqlite3_bind_int64(stmt, 8, block_end);
	ap_sqlite_stmt_bind_text(stmt, 9, ap_booking_status_to_string(b->status));
	ap_sqlite_stmt_bind_text(stmt, 10, ap_booking_channel_to_string(b->channel));
	ap_sqlite_stmt_bind_text(stmt, 11, b->customer_name);
	ap_sqlite_stmt_bind_text(stmt, 12, b->customer_email);
	ap_sqlite_stmt_bind_text(stmt, 13, b->customer_phone);
	ap_sqlite_stmt_bind_text(stmt, 14, *digits != '\0' ? digits : NULL);
	ap_sqlite_stmt_bind_text(
		stmt, 15, b->customer_locale != NULL ? b->customer_locale : "en-GB");
	ap_sqlite_stmt_bind_text(stmt, 16, b->customer_timezone);
	ap_sqlite_stmt_bind_text(stmt, 17, b->cancel_reason);
	sqlite3_bind_int64(stmt, 18, b->created_at);
	for (guint attempt = 1;; attempt++) {
		g_autofree gchar *uuid = g_uuid_string_random();
		gint rc;

		ap_reference_generate(b->reference);
		ap_sqlite_stmt_bind_text(stmt, 1, b->reference);
		/* a UID as a booking made by appointd has: when it was made,
		 * then random (ap_engine_book_prepare()) */
		g_free(b->ical_uid);
		b->ical_uid = g_strdup_printf("%012" G_GINT64_MODIFIER "x-%s@appoint.invalid",
					      b->created_at * 1000,
					      uuid);
		ap_sqlite_stmt_bind_text(stmt, 19, b->ical_uid);
		rc = sqlite3_step(stmt);
		sqlite3_reset(stmt);
		if (rc == SQLITE_DONE)
			return TRUE;
		/* a reference drawn twice in a million: draw again */
		if (rc == SQLITE_CONSTRAINT_UNIQUE && attempt < 8 &&
		    (strstr(sqlite3_errmsg(sqlite3_db_handle(stmt)), "bookings.reference") !=
			     NULL ||
		     strstr(sqlite3_errmsg(sqlite3_db_handle(stmt)), "bookings.ical_uid") != NULL))
			continue;
		ap_sqlite_set_error(sqlite3_db_handle(stmt), rc, error);
		return FALSE;
	}
}

/* the service of @id among @services */
static const ApService *
ap_sqlite_import_service(GPtrArray *services, const gchar *id)
{
	for (guint i = 0; i < services->len; i++) {
		const ApService *s = g_ptr_array_index(services, i);
		if (g_strcmp0(s->id, id) == 0)
			return s;
	}
	return NULL;
}

/* the bookings table's own indexes (not those its UNIQUE columns make),
 * as the SQL that made them, dropped: built again once the rows are in,
 * by sorting, they cost a fraction of a million scattered inserts */
static GPtrArray *
ap_sqlite_import_drop_indexes(ApSqliteDb *db, GError **error)
{
	g_autoptr(GPtrArray) made = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(ApSqliteStmt) stmt =
		ap_sqlite_db_prepare(db,
				     "SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND "
				     "tbl_name = 'bookings' "
				     "AND sql IS NOT NULL ORDER BY name",
				     error);
	gint rc;

	if (stmt == NULL)
		return NULL;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		g_ptr_array_add(names, ap_sqlite_stmt_dup_text(stmt, 0));
		g_ptr_array_add(made, ap_sqlite_stmt_dup_text(stmt, 1));
	}
	if (rc != SQLITE_DONE) {
		ap_sqlite_set_error(ap_sqlite_db_get_handle(db), rc, error);
		return NULL;
	}
	ap_sqlite_stmt_release(stmt);
	for (guint i = 0; i < names->len; i++) {
		/* names come from the schema, made by appoint itself */
		g_autofree gchar *drop = g_strdup_printf(
			"DROP INDEX \"%s\"", (const gchar *)g_ptr_array_index(names, i));
		if (!ap_sqlite_db_exec(db, drop, error))
			return NULL;
	}
	return g_steal_pointer(&made);
}

static gboolean
ap_sqlite_store_bookings_import(ApStore *store,
				GPtrArray *services,
				GPtrArray *bookings,
				GError **error)
{
	ApSqliteStore *self = AP_SQLITE_STORE(store);
	g_autoptr(ApSqliteTxn) txn = NULL;
	g_autoptr(ApSqliteStmt) stmt = NULL;
	g_autoptr(GPtrArray) indexes = NULL;

	if (!ap_sqlite_db_exec(self->db,
			       "PRAGMA cache_size = -" G_STRINGIFY(AP_SQLITE_IMPORT_CACHE_KIB),
			       error))
		return FALSE;
	txn = ap_sqlite_txn_begin(self->db, error);
	if (txn == NULL)
		return FALSE;
	indexes = ap_sqlite_import_drop_indexes(self->db, error);
	if (indexes == NULL)
		return FALSE;
	stmt = ap_sqlite_db_prepare(
		self->db,
		"INSERT INTO bookings (reference, token_hash, service_id, expert_id, start_at, "
		"end_at, block_start, block_end, seat, status, channel, customer_name, "
		"customer_email, customer_phone, customer_phone_digits, customer_locale, "
		"customer_timezone, cancel_reason, ical_uid, created_at, updated_at) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 1, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
		"?16, ?17, ?19, ?18, ?18)",
		error);
	if (stmt == NULL)
		return FALSE;
	for (guint i = 0; i < bookings->len; i++) {
		ApBooking *b = g_ptr_array_index(bookings, i);
		const ApService *service = ap_sqlite_import_service(services, b->service_id);

		if (service == NULL) {
			g_set_error(error,
				    AP_ERROR,
				    AP_ERROR_NOT_FOUND,
				    "service %s not found",
				    b->service_id);
			return FALSE;
		}
		if (!ap_sqlite_import_one(stmt, service, b, error))
			return FALSE;
	}
	ap_sqlite_stmt_release(stmt);
	/* the unique index on active seats, built again, refuses any
	 * double booking the caller let through: then nothing is written */
	for (guint i = 0; i < indexes->len; i++) {
		if (!ap_sqlite_db_exec(self->db, g_ptr_array_index(indexes, i), error))
			return FALSE;
	}
	return ap_sqlite_txn_commit(txn, error);
}

void
ap_sqlite_store_import_class_init(ApStoreClass *store_class)
{
	store_class->bookings_import = ap_sqlite_store_bookings_import;
}
