/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "ap-booking.h"
#include "ap-expert.h"
#include "ap-feedback.h"
#include "ap-outbox-item.h"
#include "ap-service.h"
#include "ap-slots.h"
#include "ap-user.h"

G_BEGIN_DECLS

/**
 * ApCandidate:
 * @expert_id: an expert whose hours offer the start
 * @day_start: first instant of that expert's local day of the start
 * @day_end: first instant of the next local day
 *
 * One expert a booking may go to. The store picks, inside its transaction,
 * the free candidate with the fewest active bookings in its day (ties by
 * lowest id).
 */
typedef struct {
	gint64 expert_id;
	gint64 day_start;
	gint64 day_end;
} ApCandidate;

/**
 * ApIdempotency:
 * @key: the client's Idempotency-Key
 * @request_hash: hex SHA-256 of the canonical request
 * @sealed_token: (nullable): the manage token, encrypted by the caller,
 *   kept so that a replay can answer exactly as the first time
 * @replay: (out) (nullable): set when @key was seen before with the same
 *   @request_hash: the booking made then; nothing new is created
 * @replay_sealed_token: (out) (nullable): the sealed token stored then
 */
typedef struct {
	const gchar *key;
	const gchar *request_hash;
	GBytes *sealed_token;
	ApBooking *replay;
	GBytes *replay_sealed_token;
} ApIdempotency;

void
ap_idempotency_clear(ApIdempotency *idem);

/**
 * ApBookingQuery:
 * @text: (nullable): part of a reference, name, email, or phone digits
 * @from: first start included, or %G_MININT64
 * @to: first start excluded, or %G_MAXINT64
 * @expert_id: only this expert's bookings, or 0 for everyone's
 * @limit: at most this many, at least 1
 * @offset: skip this many first
 *
 * A search of bookings, answered sorted by start then reference.
 */
typedef struct {
	const gchar *text;
	gint64 from;
	gint64 to;
	gint64 expert_id;
	guint limit;
	guint offset;
} ApBookingQuery;

/**
 * ApOutboxStats:
 * @pending: emails not yet delivered, retries included, reminders only
 *   once their time has come (the outbox depth)
 * @scheduled: reminders written to the outbox whose time has not come
 *   (the planner writes them a few minutes ahead:
 *   ap_store_outbox_plan_reminders())
 * @dead: emails refused for good, waiting for staff
 * @next_due: when the next pending one is due, or 0 if none
 * @reminders_planned_until: every reminder due before this instant is in
 *   the outbox; behind the clock, the planner is stuck
 */
typedef struct {
	guint64 pending;
	guint64 scheduled;
	guint64 dead;
	gint64 next_due;
	gint64 reminders_planned_until;
} ApOutboxStats;

#define AP_TYPE_STORE (ap_store_get_type())
G_DECLARE_DERIVABLE_TYPE(ApStore, ap_store, AP, STORE, GObject)

/**
 * ApStoreClass:
 *
 * The persistence interface. Every write is one transaction; a method
 * either does all it says or nothing, and fails with an #ApError code
 * (%AP_ERROR_NOT_FOUND, %AP_ERROR_CONFLICT, %AP_ERROR_EXISTS,
 * %AP_ERROR_STATE, %AP_ERROR_IDEMPOTENCY_MISMATCH, %AP_ERROR_STORE).
 * Implementations: #ApSqliteStore; a PostgreSQL one fits beside it.
 */
struct _ApStoreClass {
	GObjectClass parent_class;

	/* services */
	GPtrArray *(*services_list)(ApStore *self, gboolean include_inactive, GError **error);
	ApService *(*service_get)(ApStore *self, const gchar *id, GError **error);
	gboolean (*service_create)(ApStore *self, ApService *service, GError **error);
	gboolean (*service_update)(ApStore *self, ApService *service, GError **error);

	/* experts */
	gboolean (*expert_create)(ApStore *self, ApExpert *expert, GError **error);
	gboolean (*expert_update)(ApStore *self, ApExpert *expert, GError **error);
	ApExpert *(*expert_get)(ApStore *self, gint64 id, GError **error);
	GPtrArray *(*experts_list)(ApStore *self,
				   const gchar *service_id,
				   gboolean include_inactive,
				   GError **error);
	gboolean (*time_off_add)(ApStore *self,
				 gint64 expert_id,
				 ApTimeOff *time_off,
				 GError **error);
	gboolean (*time_off_remove)(ApStore *self,
				    gint64 expert_id,
				    gint64 time_off_id,
				    GError **error);

	/* bookings */
	GArray *(*busy_list)(
		ApStore *self, gint64 expert_id, gint64 from, gint64 to, GError **error);
	gboolean (*idempotency_replay)(ApStore *self, ApIdempotency *idem, GError **error);
	gboolean (*booking_create)(ApStore *self,
				   ApBooking *booking,
				   const ApService *service,
				   const ApCandidate *candidates,
				   guint n_candidates,
				   ApIdempotency *idem,
				   const gchar *actor,
				   GError **error);
	gboolean (*booking_reschedule)(ApStore *self,
				       ApBooking *booking,
				       const ApService *service,
				       gint64 start,
				       gint64 end,
				       const ApCandidate *candidates,
				       guint n_candidates,
				       const gchar *actor,
				       GError **error);
	gboolean (*booking_set_status)(ApStore *self,
				       ApBooking *booking,
				       ApBookingStatus status,
				       const gchar *reason,
				       const gchar *actor,
				       GError **error);
	ApBooking *(*booking_get)(ApStore *self, const gchar *reference, GError **error);
	ApBooking *(*booking_get_by_token)(ApStore *self, const gchar *token_hash, GError **error);
	GPtrArray *(*bookings_search)(ApStore *self, const ApBookingQuery *query, GError **error);
	GPtrArray *(*booking_history)(ApStore *self, const gchar *reference, GError **error);

	/* users and their API tokens */
	gboolean (*user_create)(ApStore *self, ApUser *user, GError **error);
	ApUser *(*user_get)(ApStore *self, gint64 id, GError **error);
	ApUser *(*user_get_by_email)(ApStore *self, const gchar *email, GError **error);
	gboolean (*api_token_create)(ApStore *self,
				     gint64 user_id,
				     const gchar *token_hash,
				     GError **error);
	ApUser *(*user_get_by_token)(ApStore *self, const gchar *token_hash, GError **error);

	/* operations */
	gboolean (*backup)(ApStore *self, const gchar *path, GError **error);
	guint64 (*get_generation)(ApStore *self);
	guint64 (*get_catalogue_generation)(ApStore *self);
	gboolean (*batch_begin)(ApStore *self, GError **error);

	/* the outbox */
	GPtrArray *(*outbox_due)(ApStore *self, gint64 now, guint limit, GError **error);
	GPtrArray *(*outbox_list)(ApStore *self, gint64 booking_id, GError **error);
	gboolean (*outbox_mark_sent)(ApStore *self, gint64 id, gint64 now, GError **error);
	gboolean (*outbox_mark_failed)(ApStore *self,
				       gint64 id,
				       gboolean permanent,
				       const gchar *reason,
				       gint64 now,
				       GError **error);
	gboolean (*outbox_retry)(ApStore *self, gint64 id, gint64 now, GError **error);
	gboolean (*outbox_stats)(ApStore *self, gint64 now, ApOutboxStats *stats, GError **error);
	gboolean (*outbox_void)(ApStore *self, gint64 id, const gchar *reason, GError **error);
	gboolean (*outbox_plan_reminders)(ApStore *self,
					  gint64 until,
					  guint *planned,
					  GError **error);
	GPtrArray *(*outbox_list_status)(ApStore *self,
					 ApOutboxStatus status,
					 guint limit,
					 GError **error);

	/* after the session */
	gboolean (*booking_set_summary)(ApStore *self,
					ApBooking *booking,
					const gchar *summary,
					const gchar *actor,
					GError **error);
	gboolean (*feedback_add)(ApStore *self,
				 const gchar *reference,
				 guint rating,
				 const gchar *comment,
				 GError **error);
	ApFeedbackReport *(*feedback_report)(ApStore *self,
					     gint64 expert_id,
					     const gchar *service_id,
					     guint limit,
					     GError **error);

	gboolean (*batch_commit)(ApStore *self, GError **error);

	/* log-in sessions of the web pages */
	gboolean (*session_create)(ApStore *self,
				   gint64 user_id,
				   const gchar *token_hash,
				   const gchar *csrf_token,
				   gint64 expires_at,
				   GError **error);
	gint64 (*session_lookup)(ApStore *self,
				 const gchar *token_hash,
				 gchar **csrf_token,
				 GError **error);
	gboolean (*session_delete)(ApStore *self, const gchar *token_hash, GError **error);

	/* the timeline, the accounts, the experts' calendar feeds */
	gboolean (*booking_add_note)(ApStore *self,
				     const gchar *reference,
				     const gchar *text,
				     const gchar *actor,
				     GError **error);
	gboolean (*booking_resend)(ApStore *self,
				   const gchar *reference,
				   const gchar *actor,
				   GError **error);
	GPtrArray *(*users_list)(ApStore *self, GError **error);
	gboolean (*user_update)(ApStore *self, ApUser *user, GError **error);
	gboolean (*calendar_feed_set)(ApStore *self,
				      gint64 expert_id,
				      const gchar *token_hash,
				      GError **error);
	gint64 (*calendar_feed_created)(ApStore *self, gint64 expert_id, GError **error);
	gint64 (*calendar_feed_lookup)(ApStore *self, const gchar *token_hash, GError **error);

	/* a customer's rights: what is held, and its erasure */
	GPtrArray *(*customer_bookings)(ApStore *self, const gchar *email, GError **error);
	gint (*customer_erase_request)(ApStore *self, const gchar *email, GError **error);
	gint (*privacy_sweep)(ApStore *self, gint64 keep_until, guint limit, GError **error);

	/* generated data, in bulk */
	gboolean (*bookings_import)(ApStore *self,
				    GPtrArray *services,
				    GPtrArray *bookings,
				    GError **error);

	/*< private >*/
	gpointer padding[8];
};

GPtrArray *
ap_store_services_list(ApStore *self, gboolean include_inactive, GError **error);
ApService *
ap_store_service_get(ApStore *self, const gchar *id, GError **error);
gboolean
ap_store_service_create(ApStore *self, ApService *service, GError **error);
gboolean
ap_store_service_update(ApStore *self, ApService *service, GError **error);

gboolean
ap_store_expert_create(ApStore *self, ApExpert *expert, GError **error);
gboolean
ap_store_expert_update(ApStore *self, ApExpert *expert, GError **error);
ApExpert *
ap_store_expert_get(ApStore *self, gint64 id, GError **error);
GPtrArray *
ap_store_experts_list(ApStore *self,
		      const gchar *service_id,
		      gboolean include_inactive,
		      GError **error);
gboolean
ap_store_time_off_add(ApStore *self, gint64 expert_id, ApTimeOff *time_off, GError **error);
gboolean
ap_store_time_off_remove(ApStore *self, gint64 expert_id, gint64 time_off_id, GError **error);

GArray *
ap_store_busy_list(ApStore *self, gint64 expert_id, gint64 from, gint64 to, GError **error);
gboolean
ap_store_booking_create(ApStore *self,
			ApBooking *booking,
			const ApService *service,
			const ApCandidate *candidates,
			guint n_candidates,
			ApIdempotency *idem,
			const gchar *actor,
			GError **error);
gboolean
ap_store_booking_reschedule(ApStore *self,
			    ApBooking *booking,
			    const ApService *service,
			    gint64 start,
			    gint64 end,
			    const ApCandidate *candidates,
			    guint n_candidates,
			    const gchar *actor,
			    GError **error);
gboolean
ap_store_booking_set_status(ApStore *self,
			    ApBooking *booking,
			    ApBookingStatus status,
			    const gchar *reason,
			    const gchar *actor,
			    GError **error);
ApBooking *
ap_store_booking_get(ApStore *self, const gchar *reference, GError **error);
ApBooking *
ap_store_booking_get_by_token(ApStore *self, const gchar *token_hash, GError **error);
GPtrArray *
ap_store_bookings_search(ApStore *self, const ApBookingQuery *query, GError **error);
GPtrArray *
ap_store_booking_history(ApStore *self, const gchar *reference, GError **error);

gboolean
ap_store_user_create(ApStore *self, ApUser *user, GError **error);
ApUser *
ap_store_user_get(ApStore *self, gint64 id, GError **error);
ApUser *
ap_store_user_get_by_email(ApStore *self, const gchar *email, GError **error);
gboolean
ap_store_api_token_create(ApStore *self, gint64 user_id, const gchar *token_hash, GError **error);
ApUser *
ap_store_user_get_by_token(ApStore *self, const gchar *token_hash, GError **error);

gboolean
ap_store_backup(ApStore *self, const gchar *path, GError **error);
guint64
ap_store_get_generation(ApStore *self);
guint64
ap_store_get_catalogue_generation(ApStore *self);
gboolean
ap_store_idempotency_replay(ApStore *self, ApIdempotency *idem, GError **error);
GPtrArray *
ap_store_outbox_due(ApStore *self, gint64 now, guint limit, GError **error);
GPtrArray *
ap_store_outbox_list(ApStore *self, gint64 booking_id, GError **error);
gboolean
ap_store_outbox_mark_sent(ApStore *self, gint64 id, gint64 now, GError **error);
gboolean
ap_store_outbox_mark_failed(ApStore *self,
			    gint64 id,
			    gboolean permanent,
			    const gchar *reason,
			    gint64 now,
			    GError **error);
gboolean
ap_store_outbox_retry(ApStore *self, gint64 id, gint64 now, GError **error);
gboolean
ap_store_outbox_stats(ApStore *self, gint64 now, ApOutboxStats *stats, GError **error);
gboolean
ap_store_outbox_void(ApStore *self, gint64 id, const gchar *reason, GError **error);
gboolean
ap_store_outbox_plan_reminders(ApStore *self, gint64 until, guint *planned, GError **error);
GPtrArray *
ap_store_outbox_list_status(ApStore *self, ApOutboxStatus status, guint limit, GError **error);
gboolean
ap_store_booking_set_summary(ApStore *self,
			     ApBooking *booking,
			     const gchar *summary,
			     const gchar *actor,
			     GError **error);
gboolean
ap_store_feedback_add(
	ApStore *self, const gchar *reference, guint rating, const gchar *comment, GError **error);
ApFeedbackReport *
ap_store_feedback_report(
	ApStore *self, gint64 expert_id, const gchar *service_id, guint limit, GError **error);
gboolean
ap_store_batch_begin(ApStore *self, GError **error);
gboolean
ap_store_batch_commit(ApStore *self, GError **error);

gboolean
ap_store_session_create(ApStore *self,
			gint64 user_id,
			const gchar *token_hash,
			const gchar *csrf_token,
			gint64 expires_at,
			GError **error);
gint64
ap_store_session_lookup(ApStore *self, const gchar *token_hash, gchar **csrf_token, GError **error);
gboolean
ap_store_session_delete(ApStore *self, const gchar *token_hash, GError **error);

void
ap_store_set_now(ApStore *self, gint64 now);
gint64
ap_store_get_now(ApStore *self);

gboolean
ap_store_booking_add_note(ApStore *self,
			  const gchar *reference,
			  const gchar *text,
			  const gchar *actor,
			  GError **error);
gboolean
ap_store_booking_resend(ApStore *self, const gchar *reference, const gchar *actor, GError **error);
GPtrArray *
ap_store_users_list(ApStore *self, GError **error);
gboolean
ap_store_user_update(ApStore *self, ApUser *user, GError **error);
gboolean
ap_store_calendar_feed_set(ApStore *self,
			   gint64 expert_id,
			   const gchar *token_hash,
			   GError **error);
gint64
ap_store_calendar_feed_created(ApStore *self, gint64 expert_id, GError **error);
gint64
ap_store_calendar_feed_lookup(ApStore *self, const gchar *token_hash, GError **error);

GPtrArray *
ap_store_customer_bookings(ApStore *self, const gchar *email, GError **error);
gint
ap_store_customer_erase_request(ApStore *self, const gchar *email, GError **error);
gint
ap_store_privacy_sweep(ApStore *self, gint64 keep_until, guint limit, GError **error);

gboolean
ap_store_bookings_import(ApStore *self, GPtrArray *services, GPtrArray *bookings, GError **error);

void
ap_store_audit_set_address(const gchar *address);
const gchar *
ap_store_audit_get_address(void);

G_END_DECLS
