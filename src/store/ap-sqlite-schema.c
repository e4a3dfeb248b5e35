/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApSqliteStore"

#include "ap-sqlite-schema.h"

#include "ap-error.h"
#include "ap-service.h"
#include "ap-sqlite-store-private.h"

/*
 * The schema and its history. The version lives in `PRAGMA user_version`;
 * each step below takes a database from one version to the next and is
 * never edited once released: a change is a new step, and a database file
 * of the old version is committed under tests/data/ with a test that
 * migrates it.
 */

/* version 1: the first release */
static const gchar ap_sqlite_schema_v1[] =
	"CREATE TABLE services ("
	"  id TEXT PRIMARY KEY NOT NULL,"
	"  position INTEGER NOT NULL,"
	"  name TEXT NOT NULL,"
	"  description TEXT NOT NULL DEFAULT '',"
	"  preparation TEXT NOT NULL DEFAULT '',"
	"  duration_minutes INTEGER NOT NULL CHECK (duration_minutes > 0),"
	"  buffer_before_minutes INTEGER NOT NULL DEFAULT 0 CHECK (buffer_before_minutes >= 0),"
	"  buffer_after_minutes INTEGER NOT NULL DEFAULT 0 CHECK (buffer_after_minutes >= 0),"
	"  min_notice_minutes INTEGER NOT NULL DEFAULT 0,"
	"  horizon_days INTEGER NOT NULL,"
	"  step_minutes INTEGER NOT NULL CHECK (step_minutes > 0),"
	"  capacity INTEGER NOT NULL DEFAULT 1 CHECK (capacity >= 1),"
	"  questions TEXT NOT NULL DEFAULT '[]',"
	"  active INTEGER NOT NULL DEFAULT 1"
	");"
	"CREATE TABLE experts ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL,"
	"  email TEXT NOT NULL UNIQUE COLLATE NOCASE,"
	"  bio TEXT,"
	"  branch TEXT,"
	"  timezone TEXT NOT NULL,"
	"  active INTEGER NOT NULL DEFAULT 1,"
	"  created_at INTEGER NOT NULL"
	");"
	"CREATE TABLE expert_services ("
	"  expert_id INTEGER NOT NULL REFERENCES experts(id) ON DELETE CASCADE,"
	"  service_id TEXT NOT NULL REFERENCES services(id),"
	"  position INTEGER NOT NULL,"
	"  PRIMARY KEY (expert_id, service_id)"
	");"
	"CREATE INDEX expert_services_service ON expert_services(service_id);"
	"CREATE TABLE working_hours ("
	"  expert_id INTEGER NOT NULL REFERENCES experts(id) ON DELETE CASCADE,"
	"  weekday INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),"
	"  start_minute INTEGER NOT NULL CHECK (start_minute BETWEEN 0 AND 1439),"
	"  end_minute INTEGER NOT NULL CHECK (end_minute > start_minute AND end_minute <= 2880)"
	");"
	"CREATE INDEX working_hours_expert ON working_hours(expert_id, weekday);"
	"CREATE TABLE date_overrides ("
	"  expert_id INTEGER NOT NULL REFERENCES experts(id) ON DELETE CASCADE,"
	"  date TEXT NOT NULL,"
	"  start_minute INTEGER,"
	"  end_minute INTEGER,"
	"  CHECK ((start_minute IS NULL) = (end_minute IS NULL))"
	");"
	"CREATE INDEX date_overrides_expert ON date_overrides(expert_id, date);"
	"CREATE TABLE time_off ("
	"  id INTEGER PRIMARY KEY,"
	"  expert_id INTEGER NOT NULL REFERENCES experts(id) ON DELETE CASCADE,"
	"  start_at INTEGER NOT NULL,"
	"  end_at INTEGER NOT NULL CHECK (end_at > start_at),"
	"  reason TEXT"
	");"
	"CREATE INDEX time_off_expert ON time_off(expert_id, start_at);"
	"CREATE TABLE bookings ("
	"  id INTEGER PRIMARY KEY,"
	"  reference TEXT NOT NULL UNIQUE,"
	"  token_hash TEXT NOT NULL UNIQUE,"
	"  service_id TEXT NOT NULL REFERENCES services(id),"
	"  expert_id INTEGER NOT NULL REFERENCES experts(id),"
	"  start_at INTEGER NOT NULL,"
	"  end_at INTEGER NOT NULL CHECK (end_at > start_at),"
	"  block_start INTEGER NOT NULL CHECK (block_start <= start_at),"
	"  block_end INTEGER NOT NULL CHECK (block_end >= end_at),"
	"  seat INTEGER NOT NULL DEFAULT 1 CHECK (seat >= 1),"
	"  status TEXT NOT NULL"
	"    CHECK (status IN ('confirmed', 'cancelled', 'completed', 'no-show')),"
	"  channel TEXT NOT NULL CHECK (channel IN ('web', 'phone', 'social', 'in-store')),"
	"  customer_name TEXT NOT NULL,"
	"  customer_email TEXT NOT NULL,"
	"  customer_phone TEXT,"
	"  customer_phone_digits TEXT,"
	"  customer_locale TEXT NOT NULL,"
	"  answers TEXT,"
	"  ical_uid TEXT NOT NULL UNIQUE,"
	"  sequence INTEGER NOT NULL DEFAULT 0,"
	"  cancel_reason TEXT,"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL"
	");"
	/* the second line of defence against double booking: whatever the
	 * code does, two active bookings cannot hold one seat of one start */
	"CREATE UNIQUE INDEX bookings_seat ON bookings(expert_id, start_at, seat)"
	"  WHERE status != 'cancelled';"
	"CREATE INDEX bookings_expert_block ON bookings(expert_id, block_start);"
	"CREATE INDEX bookings_start ON bookings(start_at);"
	"CREATE INDEX bookings_customer_email ON bookings(customer_email);"
	"CREATE INDEX bookings_customer_phone ON bookings(customer_phone_digits);"
	"CREATE TABLE booking_events ("
	"  id INTEGER PRIMARY KEY,"
	"  booking_id INTEGER NOT NULL REFERENCES bookings(id),"
	"  at INTEGER NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  action TEXT NOT NULL,"
	"  detail TEXT"
	");"
	"CREATE INDEX booking_events_booking ON booking_events(booking_id);"
	"CREATE TABLE users ("
	"  id INTEGER PRIMARY KEY,"
	"  email TEXT NOT NULL UNIQUE COLLATE NOCASE,"
	"  name TEXT NOT NULL,"
	"  role TEXT NOT NULL CHECK (role IN ('admin', 'staff', 'expert')),"
	"  expert_id INTEGER REFERENCES experts(id),"
	"  password_hash TEXT,"
	"  active INTEGER NOT NULL DEFAULT 1,"
	"  created_at INTEGER NOT NULL,"
	"  CHECK (role != 'expert' OR expert_id IS NOT NULL)"
	");"
	"CREATE TABLE api_tokens ("
	"  id INTEGER PRIMARY KEY,"
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  token_hash TEXT NOT NULL UNIQUE,"
	"  created_at INTEGER NOT NULL,"
	"  last_used_at INTEGER"
	");"
	"CREATE INDEX api_tokens_user ON api_tokens(user_id);";

/* version 2: the customer's zone, and idempotent booking requests */
static const gchar ap_sqlite_schema_v2[] =
	"ALTER TABLE bookings ADD COLUMN customer_timezone TEXT;"
	"CREATE TABLE idempotency_keys ("
	"  key TEXT PRIMARY KEY NOT NULL,"
	"  request_hash TEXT NOT NULL,"
	"  booking_id INTEGER NOT NULL REFERENCES bookings(id),"
	"  sealed_token BLOB,"
	"  created_at INTEGER NOT NULL"
	");"
	"CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at);";

/* version 3: log-in sessions of the web pages */
static const gchar ap_sqlite_schema_v3[] =
	"CREATE TABLE sessions ("
	"  token_hash TEXT PRIMARY KEY NOT NULL,"
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  csrf_token TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL,"
	"  expires_at INTEGER NOT NULL"
	");"
	"CREATE INDEX sessions_expires ON sessions(expires_at);";

/* version 4: the outbox, every email a change causes, written in the same
 * transaction as the change (a crash after the commit loses none) */
static const gchar ap_sqlite_schema_v4[] =
	"CREATE TABLE outbox ("
	"  id INTEGER PRIMARY KEY,"
	"  booking_id INTEGER NOT NULL REFERENCES bookings(id),"
	"  kind TEXT NOT NULL"
	"    CHECK (kind IN ('confirmation', 'update', 'cancellation', 'reminder', 'summary',"
	"                    'feedback')),"
	"  recipient_role TEXT NOT NULL CHECK (recipient_role IN ('customer', 'expert')),"
	"  recipient TEXT NOT NULL,"
	"  expert_id INTEGER NOT NULL,"
	"  sequence INTEGER NOT NULL,"
	"  start_at INTEGER NOT NULL,"
	"  end_at INTEGER NOT NULL,"
	"  previous_start_at INTEGER,"
	"  previous_expert_id INTEGER,"
	"  created_at INTEGER NOT NULL,"
	"  status TEXT NOT NULL DEFAULT 'pending'"
	"    CHECK (status IN ('pending', 'sent', 'dead', 'void')),"
	"  remind_at INTEGER,"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  next_attempt_at INTEGER NOT NULL,"
	"  sent_at INTEGER,"
	"  last_error TEXT"
	");"
	"CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE status = 'pending';"
	"CREATE INDEX outbox_booking ON outbox(booking_id);"
	/* the manage token sealed with the service's key: every email carries
	 * the manage link, and the token itself is kept only as a hash */
	"ALTER TABLE bookings ADD COLUMN sealed_token BLOB;"
	/* what the expert wrote after the session, sent to the customer */
	"ALTER TABLE bookings ADD COLUMN summary TEXT;"
	"ALTER TABLE bookings ADD COLUMN summary_at INTEGER;"
	/* what the customer thought of it: one answer a session */
	/* what cached answers depend on, counted by the database itself in
	 * every writer's transaction (appointd's, appointctl's): the catalogue
	 * and the bookings, apart from the outbox, sessions and keys, whose
	 * constant writes would otherwise end every cached answer */
	"CREATE TABLE generations (name TEXT PRIMARY KEY NOT NULL, value INTEGER NOT NULL);"
	"INSERT INTO generations (name, value) VALUES ('catalogue', 1), ('bookings', 1);"
	"CREATE TRIGGER services_insert_generation AFTER INSERT ON services BEGIN "
	"  UPDATE generations SET value = value + 1 WHERE name = 'catalogue'; END;"
	"CREATE TRIGGER services_update_generation AFTER UPDATE ON services BEGIN "
	"  UPDATE generations SET value = value + 1 WHERE name = 'catalogue'; END;"
	"CREATE TRIGGER services_delete_generation AFTER DELETE ON services BEGIN "
	"  UPDATE generations SET value = value + 1 WHERE name = 'catalogue'; END;"
	"CREATE TRIGGER experts_insert_generation AFTER INSERT ON experts BEGIN "
	"  UPDATE generations SET value = value + 1 WHERE name = 'catalogue'; END;"
	"CREATE TRIGGER experts_update_generation AFTER UPDATE ON experts BEGIN "
	"  UPDATE generations SET value = value + 1 WHERE name = 'catalogue'; END;"
	"CREATE TRIGGER experts_delete_generation AFTER DELETE ON experts BEGIN "
	"  UPDATE generations SET value = value + 1 WHERE name = 'catalogue'; END;"
	"CREATE TRIGGER expert_services_insert_generation AFTER INSERT ON expert_services BEGIN "
	"  UPDATE generations SET value = value + 1 WHERE name = 'catalogue'; END;"
	"CREATE TRIGGER expert_services_update_generation AFTER UPDATE ON expert_services BEGIN "
	"  UPDATE generations SET value = value + 1 WHERE name = 'catalogue'; END;"
	"CREATE TRIGGER expert_services_delete_generation AFTER DELETE ON expert_services BEGIN "
	"  UPDATE generations SET value = value + 1 WHERE name = 'catalogue'; END;"
	"CREATE TRIGGER working_hours_insert_generation AFTER INSERT ON working_hours BEGIN "
	"  UPDATE generations SET value = value + 1 WHERE name = 'catalogue'; END;"
	"CREATE TRIGGER working_hours_update_generation AFTER UPDATE ON working_hours BEGIN "
	"  UPDATE generations SET value = value + 1 WHERE name = 'catalogue'; END;"
	"CREATE TRIGGER working_hours_delete_generation AFTER DELETE ON working_hours BEGIN "
	"  UPDATE generations SET value = value + 1 WHERE name = 'catalogue'; END;"
	"CREATE TRIGGER date_overrides_insert_generation AFTER INSERT ON date_overrides BEGIN "
	"  UPDATE generations SET value = value + 1 WHERE name = 'catalogue'; END;"
	"CREATE TRIGGER date_overrides_update_generation AFTER UPDATE ON date_overrides BEGIN "
	"  UPDATE generations SET value = value + 1 WHERE name = 'catalogue'; END;"
	"CREATE TRIGGER date_overrides_delete_generation AFTER DELETE ON date_overrides BEGIN "
	"  UPDATE generations SET value = value + 1 WHERE name = 'catalogue'; END;"
	"CREATE TRIGGER time_off_insert_generation AFTER INSERT ON time_off BEGIN "
	"  UPDATE generations SET value = value + 1 WHERE name = 'catalogue'; END;"
	"CREATE TRIGGER time_off_update_generation AFTER UPDATE ON time_off BEGIN "
	"  UPDATE generations SET value = value + 1 WHERE name = 'catalogue'; END;"
	"CREATE TRIGGER time_off_delete_generation AFTER DELETE ON time_off BEGIN "
	"  UPDATE generations SET value = value + 1 WHERE name = 'catalogue'; END;"
	"CREATE TRIGGER bookings_insert_generation AFTER INSERT ON bookings BEGIN "
	"  UPDATE generations SET value = value + 1 WHERE name = 'bookings'; END;"
	"CREATE TRIGGER bookings_update_generation AFTER UPDATE ON bookings BEGIN "
	"  UPDATE generations SET value = value + 1 WHERE name = 'bookings'; END;"
	"CREATE TRIGGER bookings_delete_generation AFTER DELETE ON bookings BEGIN "
	"  UPDATE generations SET value = value + 1 WHERE name = 'bookings'; END;"
	"CREATE TABLE feedback ("
	"  booking_id INTEGER PRIMARY KEY REFERENCES bookings(id),"
	"  rating INTEGER NOT NULL CHECK (rating BETWEEN 0 AND 10),"
	"  comment TEXT,"
	"  created_at INTEGER NOT NULL"
	");";

/* version 5: the same CHECK constraints, each list written out as an OR
 * chain. SQLite builds a temporary index for an `IN (...)` list every time
 * a statement checks it, which made each booking's writes (a row, four
 * outbox rows, their updates) cost twice what they need. The stored text
 * of the tables changes and nothing on disk does, so this is the
 * writable_schema edit that SQLite documents for changing CHECK
 * constraints ("Making Other Kinds Of Table Schema Changes"), not a copy
 * of every table; ap_sqlite_schema_migrate() checks that no list is left
 * and bumps the schema cookie so that every connection reads the new
 * text */
static const gchar ap_sqlite_schema_v5[] =
	"PRAGMA writable_schema = ON;"
	"UPDATE sqlite_schema SET sql = replace(sql, 'status IN (''confirmed'', ''cancelled'', "
	"''completed'', ''no-show'')', "
	"'status = ''confirmed'' OR status = ''cancelled'' OR status = ''completed'' OR status = "
	"''no-show''') "
	"WHERE type = 'table' AND name = 'bookings';"
	"UPDATE sqlite_schema SET sql = replace(sql, 'channel IN (''web'', ''phone'', ''social'', "
	"''in-store'')', "
	"'channel = ''web'' OR channel = ''phone'' OR channel = ''social'' OR channel = "
	"''in-store''') "
	"WHERE type = 'table' AND name = 'bookings';"
	"UPDATE sqlite_schema SET sql = replace(sql, 'role IN (''admin'', ''staff'', ''expert'')', "
	"'role = ''admin'' OR role = ''staff'' OR role = ''expert''') "
	"WHERE type = 'table' AND name = 'users';"
	"UPDATE sqlite_schema SET sql = replace(sql, 'kind IN (''confirmation'', ''update'', "
	"''cancellation'', ''reminder'', ''summary'',                    ''feedback'')', "
	"'kind = ''confirmation'' OR kind = ''update'' OR kind = ''cancellation'' OR kind = "
	"''reminder'' OR kind = ''summary'' OR kind = ''feedback''') "
	"WHERE type = 'table' AND name = 'outbox';"
	"UPDATE sqlite_schema SET sql = replace(sql, 'recipient_role IN (''customer'', "
	"''expert'')', "
	"'recipient_role = ''customer'' OR recipient_role = ''expert''') "
	"WHERE type = 'table' AND name = 'outbox';"
	"UPDATE sqlite_schema SET sql = replace(sql, 'status IN (''pending'', ''sent'', ''dead'', "
	"''void'')', "
	"'status = ''pending'' OR status = ''sent'' OR status = ''dead'' OR status = ''void''') "
	"WHERE type = 'table' AND name = 'outbox';"
	"PRAGMA writable_schema = OFF;";

/* version 6: the audit trail's address of each change, the experts'
 * calendar subscriptions (one secret feed each, kept as a hash), and the
 * customer's right to erasure: when a booking's personal details were
 * removed, or were asked to be once its last emails have gone */
static const gchar ap_sqlite_schema_v6[] =
	"ALTER TABLE booking_events ADD COLUMN address TEXT;"
	"CREATE TABLE calendar_feeds ("
	"  expert_id INTEGER PRIMARY KEY REFERENCES experts(id),"
	"  token_hash TEXT NOT NULL UNIQUE,"
	"  created_at INTEGER NOT NULL"
	");"
	"ALTER TABLE bookings ADD COLUMN erase_requested_at INTEGER;"
	"ALTER TABLE bookings ADD COLUMN anonymised_at INTEGER;"
	"CREATE INDEX bookings_unanonymised ON bookings(end_at) WHERE anonymised_at IS NULL;"
	"CREATE INDEX bookings_erase_requested ON bookings(erase_requested_at) "
	"  WHERE erase_requested_at IS NOT NULL AND anonymised_at IS NULL;";

/* version 7: indexes for the queries made. The customer's phone digits
 * are searched for inside (instr, substr), which no index serves; the
 * email is looked up whatever its case (privacy export and erasure),
 * which an index in SQLite's default collation cannot serve. One index
 * fewer to write with every booking, and no scan of every booking to
 * find one customer's */
static const gchar ap_sqlite_schema_v7[] =
	"DROP INDEX bookings_customer_phone;"
	"DROP INDEX bookings_customer_email;"
	"CREATE INDEX bookings_customer_email ON bookings(customer_email COLLATE NOCASE);";

/* version 8: a new booking no longer counts itself in the generations
 * table. That trigger made every booking's INSERT one that SQLite must be
 * able to undo halfway, so it copied each page the insert touched (the
 * row's and one in each of eight indexes) into a statement journal first,
 * and it rewrote the generations page in every commit: together a seventh
 * of a booking's writing. The bookings' generation is now read as the
 * counter (updates and deletes, still counted by their triggers) and the
 * largest booking id, which every insert by any writer raises
 * (ap_sqlite_db_get_generation()). And one index fewer to write with
 * each booking: an expert's bookings near a time are found through the
 * seats' index (expert, start) as well as through (expert, block start),
 * since a block is never longer than AP_SQLITE_MAX_BLOCK_SECONDS */
static const gchar ap_sqlite_schema_v8[] = "DROP TRIGGER bookings_insert_generation;"
					   "DROP INDEX bookings_expert_block;";

/* version 9: the customers' reminders are written to the outbox a few
 * minutes before they are due, by a planner that walks the bookings by
 * start up to a mark (ap-sqlite-reminders.c), not with every booking.
 * The mark starts at the migration: the reminders the bookings made
 * before it wrote stay as they are, and the planner, finding them there,
 * does not write them again */
static const gchar ap_sqlite_schema_v9[] = "CREATE TABLE reminder_plan ("
					   "  id INTEGER PRIMARY KEY CHECK (id = 1),"
					   "  planned_until INTEGER NOT NULL"
					   ");"
					   "INSERT INTO reminder_plan (id, planned_until) "
					   "  VALUES (1, CAST(strftime('%s', 'now') AS INTEGER));";

/**
 * ap_sqlite_schema_get_ddl:
 * @version: 1 to %AP_SQLITE_SCHEMA_VERSION
 *
 * The SQL that takes a database from @version - 1 to @version, so that
 * test fixtures of old versions are made from exactly what shipped.
 *
 * Returns: (nullable): the SQL text
 */
const gchar *
ap_sqlite_schema_get_ddl(guint version)
{
	switch (version) {
	case 1:
		return ap_sqlite_schema_v1;
	case 2:
		return ap_sqlite_schema_v2;
	case 3:
		return ap_sqlite_schema_v3;
	case 4:
		return ap_sqlite_schema_v4;
	case 5:
		return ap_sqlite_schema_v5;
	case 6:
		return ap_sqlite_schema_v6;
	case 7:
		return ap_sqlite_schema_v7;
	case 8:
		return ap_sqlite_schema_v8;
	case 9:
		return ap_sqlite_schema_v9;
	default:
		return NULL;
	}
}

static gboolean
ap_sqlite_schema_insert_catalogue(ApSqliteDb *db, GError **error)
{
	g_autoptr(GPtrArray) services = ap_service_catalogue_load_default(error);

	if (services == NULL) {
		g_prefix_error(error, "default catalogue: ");
		return FALSE;
	}
	for (guint i = 0; i < services->len; i++) {
		ApService *service = g_ptr_array_index(services, i);
		if (!ap_sqlite_service_insert(db, service, error)) {
			g_prefix_error(error, "default catalogue: service %s: ", service->id);
			return FALSE;
		}
	}
	return TRUE;
}

/* after version 5: no CHECK of the tables it edited still has a list,
 * i.e. every replace() above found its text */
static gboolean
ap_sqlite_schema_check_lists(ApSqliteDb *db, GError **error)
{
	g_autofree gchar *left = ap_sqlite_db_query_text(
		db,
		"SELECT coalesce(group_concat(name, ', '), '') FROM sqlite_schema "
		"WHERE type = 'table' AND name IN ('bookings', 'users', 'outbox') "
		"AND sql GLOB '* IN (''*'",
		error);

	if (left == NULL)
		return FALSE;
	if (*left != '\0') {
		g_set_error(error,
			    AP_ERROR,
			    AP_ERROR_STORE,
			    "table %s does not have the constraints this version expects",
			    left);
		return FALSE;
	}
	return TRUE;
}

/* the schema cookie, one up: each connection, this one too, reads the
 * edited table text before its next statement */
static gboolean
ap_sqlite_schema_bump_cookie(ApSqliteDb *db, GError **error)
{
	g_autofree gchar *cookie = ap_sqlite_db_query_text(db, "PRAGMA schema_version", error);
	g_autofree gchar *sql = NULL;

	if (cookie == NULL)
		return FALSE;
	/* the pragma takes no parameter; the value is a number read above */
	sql = g_strdup_printf("PRAGMA schema_version = %" G_GINT64_FORMAT,
			      g_ascii_strtoll(cookie, NULL, 10) + 1);
	return ap_sqlite_db_exec(db, sql, error);
}

/**
 * ap_sqlite_schema_migrate:
 * @db: a connection
 * @version: (out): the version of the database found, before migrating
 * @error: a #GError, or %NULL
 *
 * Brings the database up to %AP_SQLITE_SCHEMA_VERSION in one write
 * transaction: a failure anywhere leaves it as it was, and two processes
 * opening a new file at once do not both create it. A database newer
 * than this build is refused rather than misread.
 *
 * Returns: %TRUE if the database is now at the current version
 */
gboolean
ap_sqlite_schema_migrate(ApSqliteDb *db, guint *version, GError **error)
{
	g_autoptr(ApSqliteTxn) txn = ap_sqlite_txn_begin(db, error);
	guint found = 0;

	if (txn == NULL)
		return FALSE;
	if (!ap_sqlite_db_get_user_version(db, &found, error))
		return FALSE;
	if (version != NULL)
		*version = found;
	if (found == AP_SQLITE_SCHEMA_VERSION)
		return ap_sqlite_txn_commit(txn, error);
	if (found > AP_SQLITE_SCHEMA_VERSION) {
		g_set_error(error,
			    AP_ERROR,
			    AP_ERROR_STORE,
			    "the database has schema version %u but this build of appoint knows "
			    "only up to %u; use a newer appoint or restore a backup",
			    found,
			    (guint)AP_SQLITE_SCHEMA_VERSION);
		return FALSE;
	}

	g_info("migrating the database from schema version %u to %u",
	       found,
	       (guint)AP_SQLITE_SCHEMA_VERSION);
	switch (found) {
	case 0:
		if (!ap_sqlite_db_exec(db, ap_sqlite_schema_v1, error)) {
			g_prefix_error(error, "schema version 1: ");
			return FALSE;
		}
		if (!ap_sqlite_schema_insert_catalogue(db, error))
			return FALSE;
		G_GNUC_FALLTHROUGH;
	case 1:
		if (!ap_sqlite_db_exec(db, ap_sqlite_schema_v2, error)) {
			g_prefix_error(error, "schema version 2: ");
			return FALSE;
		}
		G_GNUC_FALLTHROUGH;
	case 2:
		if (!ap_sqlite_db_exec(db, ap_sqlite_schema_v3, error)) {
			g_prefix_error(error, "schema version 3: ");
			return FALSE;
		}
		G_GNUC_FALLTHROUGH;
	case 3:
		if (!ap_sqlite_db_exec(db, ap_sqlite_schema_v4, error)) {
			g_prefix_error(error, "schema version 4: ");
			return FALSE;
		}
		G_GNUC_FALLTHROUGH;
	case 4:
		if (!ap_sqlite_db_exec(db, ap_sqlite_schema_v5, error) ||
		    !ap_sqlite_schema_check_lists(db, error) ||
		    !ap_sqlite_schema_bump_cookie(db, error)) {
			g_prefix_error(error, "schema version 5: ");
			return FALSE;
		}
		G_GNUC_FALLTHROUGH;
	case 5:
		if (!ap_sqlite_db_exec(db, ap_sqlite_schema_v6, error)) {
			g_prefix_error(error, "schema version 6: ");
			return FALSE;
		}
		G_GNUC_FALLTHROUGH;
	case 6:
		if (!ap_sqlite_db_exec(db, ap_sqlite_schema_v7, error)) {
			g_prefix_error(error, "schema version 7: ");
			return FALSE;
		}
		G_GNUC_FALLTHROUGH;
	case 7:
		if (!ap_sqlite_db_exec(db, ap_sqlite_schema_v8, error)) {
			g_prefix_error(error, "schema version 8: ");
			return FALSE;
		}
		G_GNUC_FALLTHROUGH;
	case 8:
		if (!ap_sqlite_db_exec(db, ap_sqlite_schema_v9, error)) {
			g_prefix_error(error, "schema version 9: ");
			return FALSE;
		}
		G_GNUC_FALLTHROUGH;
	default:
		break;
	}

	/* the pragma takes no parameter; the value is a compile-time constant */
	if (!ap_sqlite_db_exec(
		    db, "PRAGMA user_version = " G_STRINGIFY(AP_SQLITE_SCHEMA_VERSION), error))
		return FALSE;
	return ap_sqlite_txn_commit(txn, error);
}
