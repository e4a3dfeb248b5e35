/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ap-sqlite-db.h"
#include "ap-sqlite-store.h"

G_BEGIN_DECLS

/*
 * Private to src/store: the SQLite store is one type spread over files
 * named for what they hold; each file fills in its part of the class.
 */

struct _ApSqliteStore {
	ApStore parent_instance;
	ApSqliteDb *db;
	guint schema_version;
};

/* ap-sqlite-store.c: services, for the migration's default catalogue */
gboolean
ap_sqlite_service_insert(ApSqliteDb *db, const ApService *service, GError **error);

/* ap-sqlite-experts.c */
void
ap_sqlite_store_experts_class_init(ApStoreClass *store_class);

/* the longest time a booking can block: the lookups of bookings near a
 * slot use it as a lower bound on block_start, so that they stay index
 * range scans however long an expert's history grows */
#define AP_SQLITE_MAX_BLOCK_SECONDS                                                                \
	((gint64)(AP_SERVICE_MAX_DURATION_MINUTES + 2 * AP_SERVICE_MAX_BUFFER_MINUTES) * 60)

/* ap-sqlite-booking-queries.c: reading bookings */
ApBooking *
ap_sqlite_booking_load_by_reference(ApSqliteDb *db, const gchar *reference, GError **error);
ApBooking *
ap_sqlite_booking_load_by_id(ApSqliteDb *db, gint64 id, GError **error);
GArray *
ap_sqlite_busy_load(ApSqliteDb *db,
		    gint64 expert_id,
		    gint64 from,
		    gint64 to,
		    gint64 exclude_id,
		    GError **error);
void
ap_sqlite_store_booking_queries_class_init(ApStoreClass *store_class);

/* ap-sqlite-sessions.c */
void
ap_sqlite_store_sessions_class_init(ApStoreClass *store_class);

/* ap-sqlite-outbox.c: the emails a change causes */

/* what every email about a booking is addressed and dated by, as the
 * booking stands now */
typedef struct {
	gint64 booking_id;
	gchar *customer_email;
	gchar *expert_email;
	gint64 expert_id;
	gint64 sequence;
	gint64 start;
	gint64 end;
} ApSqliteOutboxTarget;

void
ap_sqlite_outbox_target_clear(ApSqliteOutboxTarget *target);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(ApSqliteOutboxTarget, ap_sqlite_outbox_target_clear)

gboolean
ap_sqlite_outbox_target_read(ApSqliteDb *db,
			     gint64 booking_id,
			     ApSqliteOutboxTarget *target,
			     GError **error);
gboolean
ap_sqlite_outbox_insert(ApSqliteDb *db,
			const ApSqliteOutboxTarget *target,
			ApOutboxRole role,
			ApOutboxKind kind,
			gint64 previous_start,
			gint64 previous_expert_id,
			gint64 now,
			gint64 remind_at,
			GError **error);
gboolean
ap_sqlite_outbox_enqueue(ApSqliteDb *db,
			 gint64 booking_id,
			 ApOutboxRole role,
			 ApOutboxKind kind,
			 gint64 previous_start,
			 gint64 previous_expert_id,
			 gint64 now,
			 GError **error);
gboolean
ap_sqlite_outbox_enqueue_new(ApSqliteDb *db, gint64 booking_id, gint64 now, GError **error);
gboolean
ap_sqlite_outbox_enqueue_cancel_expert(ApSqliteDb *db,
				       gint64 booking_id,
				       gint64 expert_id,
				       gint64 start,
				       gint64 end,
				       gint64 now,
				       GError **error);
void
ap_sqlite_store_outbox_class_init(ApStoreClass *store_class);

/* ap-sqlite-reminders.c: the customers' reminders, planned a little
 * before they are due */
gboolean
ap_sqlite_reminders_add(ApSqliteDb *db,
			const ApSqliteOutboxTarget *target,
			gint64 now,
			GError **error);
gboolean
ap_sqlite_reminders_replan(ApSqliteDb *db, gint64 booking_id, gint64 now, GError **error);
gboolean
ap_sqlite_reminders_void(ApSqliteDb *db, gint64 booking_id, GError **error);
void
ap_sqlite_store_reminders_class_init(ApStoreClass *store_class);

/* ap-sqlite-feedback.c: after the session */
void
ap_sqlite_store_feedback_class_init(ApStoreClass *store_class);

/* ap-sqlite-accounts.c: the timeline's notes and resends, users, feeds */
#define AP_SQLITE_USER_COLUMNS                                                                     \
	"u.id, u.email, u.name, u.role, u.expert_id, u.password_hash, u.active, u.created_at"
ApUser *
ap_sqlite_user_from_row(ApSqliteStmt *stmt, GError **error);
void
ap_sqlite_store_accounts_class_init(ApStoreClass *store_class);
/* ap-sqlite-privacy.c: a customer's data, exported and erased */
void
ap_sqlite_store_privacy_class_init(ApStoreClass *store_class);
/* ap-sqlite-import.c: generated bookings in bulk */
void
ap_sqlite_store_import_class_init(ApStoreClass *store_class);

/* ap-sqlite-bookings.c: writing bookings */
void
ap_sqlite_booking_take(ApBooking *booking, ApBooking *stored);
gboolean
ap_sqlite_event_add(ApSqliteDb *db,
		    gint64 booking_id,
		    gint64 at,
		    const gchar *actor,
		    const gchar *action,
		    JsonNode *detail,
		    GError **error);
void
ap_sqlite_store_bookings_class_init(ApStoreClass *store_class);

G_END_DECLS
