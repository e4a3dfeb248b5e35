/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApStore"

#include "ap-store.h"

/*
 * The abstract store: each public function checks its instance and calls
 * the implementation's virtual function.
 */

typedef struct {
	gint64 now; /* 0: the real clock */
} ApStorePrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE(ApStore, ap_store, G_TYPE_OBJECT)

static void
ap_store_class_init(ApStoreClass *klass)
{
}

static void
ap_store_init(ApStore *self)
{
}

/**
 * ap_idempotency_clear:
 * @idem: an #ApIdempotency whose out fields may be set
 *
 * Frees what a store call returned in @idem.
 */
void
ap_idempotency_clear(ApIdempotency *idem)
{
	g_clear_pointer(&idem->replay, ap_booking_free);
	g_clear_pointer(&idem->replay_sealed_token, g_bytes_unref);
}

GPtrArray *
ap_store_services_list(ApStore *self, gboolean include_inactive, GError **error)
{
	g_return_val_if_fail(AP_IS_STORE(self), NULL);
	return AP_STORE_GET_CLASS(self)->services_list(self, include_inactive, error);
}

ApService *
ap_store_service_get(ApStore *self, const gchar *id, GError **error)
{
	g_return_val_if_fail(AP_IS_STORE(self), NULL);
	return AP_STORE_GET_CLASS(self)->service_get(self, id, error);
}

gboolean
ap_store_service_create(ApStore *self, ApService *service, GError **error)
{
	g_return_val_if_fail(AP_IS_STORE(self), FALSE);
	return AP_STORE_GET_CLASS(self)->service_create(self, service, error);
}

gboolean
ap_store_service_update(ApStore *self, ApService *service, GError **error)
{
	g_return_val_if_fail(AP_IS_STORE(self), FALSE);
	return AP_STORE_GET_CLASS(self)->service_update(self, service, error);
}

gboolean
ap_store_expert_create(ApStore *self, ApExpert *expert, GError **error)
{
	g_return_val_if_fail(AP_IS_STORE(self), FALSE);
	return AP_STORE_GET_CLASS(self)->expert_create(self, expert, error);
}

gboolean
ap_store_expert_update(ApStore *self, ApExpert *expert, GError **error)
{
	g_return_val_if_fail(AP_IS_STORE(self), FALSE);
	return AP_STORE_GET_CLASS(self)->expert_update(self, expert, error);
}

ApExpert *
ap_store_expert_get(ApStore *self, gint64 id, GError **error)
{
	g_return_val_if_fail(AP_IS_STORE(self), NULL);
	return AP_STORE_GET_CLASS(self)->expert_get(self, id, error);
}

GPtrArray *
ap_store_experts_list(ApStore *self,
		      const gchar *service_id,
		      gboolean include_inactive,
		      GError **error)
{
	g_return_val_if_fail(AP_IS_STORE(self), NULL);
	return AP_STORE_GET_CLASS(self)->experts_list(self, service_id, include_inactive, error);
}

gboolean
ap_store_time_off_add(ApStore *self, gint64 expert_id, ApTimeOff *time_off, GError **error)
{
	g_return_val_if_fail(AP_IS_STORE(self), FALSE);
	return AP_STORE_GET_CLASS(self)->time_off_add(self, expert_id, time_off, error);
}

gboolean
ap_store_time_off_remove(ApStore *self, gint64 expert_id, gint64 time_off_id, GError **error)
{
	g_return_val_if_fail(AP_IS_STORE(self), FALSE);
	return AP_STORE_GET_CLASS(self)->time_off_remove(self, expert_id, time_off_id, error);
}

GArray *
ap_store_busy_list(ApStore *self, gint64 expert_id, gint64 from, gint64 to, GError **error)
{
	g_return_val_if_fail(AP_IS_STORE(self), NULL);
	return AP_STORE_GET_CLASS(self)->busy_list(self, expert_id, from, to, error);
}

gboolean
ap_store_booking_create(ApStore *self,
			ApBooking *booking,
			const ApService *service,
			const ApCandidate *candidates,
			guint n_candidates,
			ApIdempotency *idem,
			const gchar *actor,
			GError **error)
{
	g_return_val_if_fail(AP_IS_STORE(self), FALSE);
	return AP_STORE_GET_CLASS(self)->booking_create(
		self, booking, service, candidates, n_candidates, idem, actor, error);
}

gboolean
ap_store_booking_reschedule(ApStore *self,
			    ApBooking *booking,
			    const ApService *service,
			    gint64 start,
			    gint64 end,
			    const ApCandidate *candidates,
			    guint n_candidates,
			    const gchar *actor,
			    GError **error)
{
	g_return_val_if_fail(AP_IS_STORE(self), FALSE);
	return AP_STORE_GET_CLASS(self)->booking_reschedule(
		self, booking, service, start, end, candidates, n_candidates, actor, error);
}

gboolean
ap_store_booking_set_status(ApStore *self,
			    ApBooking *booking,
			    ApBookingStatus status,
			    const gchar *reason,
			    const gchar *actor,
			    GError **error)
{
	g_return_val_if_fail(AP_IS_STORE(self), FALSE);
	return AP_STORE_GET_CLASS(self)->booking_set_status(
		self, booking, status, reason, actor, error);
}

ApBooking *
ap_store_booking_get(ApStore *self, const gchar *reference, GError **error)
{
	g_return_val_if_fail(AP_IS_STORE(self), NULL);
	return AP_STORE_GET_CLASS(self)->booking_get(self, reference, error);
}

ApBooking *
ap_store_booking_get_by_token(ApStore *self, const gchar *token_hash, GError **error)
{
	g_return_val_if_fail(AP_IS_STORE(self), NULL);
	return AP_STORE_GET_CLASS(self)->booking_get_by_token(self, token_hash, error);
}

GPtrArray *
ap_store_bookings_search(ApStore *self, const ApBookingQuery *query, GError **error)
{
	g_return_val_if_fail(AP_IS_STORE(self), NULL);
	return AP_STORE_GET_CLASS(self)->bookings_search(self, query, error);
}

GPtrArray *
ap_store_booking_history(ApStore *self, const gchar *reference, GError **error)
{
	g_return_val_if_fail(AP_IS_STORE(self), NULL);
	return AP_STORE_GET_CLASS(self)->booking_history(self, reference, error);
}

gboolean
ap_store_user_create(ApStore *self, ApUser *user, GError **error)
{
	g_return_val_if_fail(AP_IS_STORE(self), FALSE);
	return AP_STORE_GET_CLASS(self)->user_create(self, user, error);
}

ApUser *
ap_store_user_get(ApStore *self, gint64 id, GError **error)
{
	g_return_val_if_fail(AP_IS_STORE(self), NULL);
	return AP_STORE_GET_CLASS(self)->user_get(self, id, error);
}

ApUser *
ap_store_user_get_by_email(ApStore *self, const gchar *email, GError **error)
{
	g_return_val_if_fail(AP_IS_STORE(self), NULL);
	return AP_STORE_GET_CLASS(self)->user_get_by_email(self, email, error);
}

gboolean
ap_store_api_token_create(ApStore *self, gint64 user_id, const gchar *token_hash, GError **error)
{
	g_return_val_if_fail(AP_IS_STORE(self), FALSE);
	return AP_STORE_GET_CLASS(self)->api_token_create(self, user_id, token_hash, error);
}

ApUser *
ap_store_user_get_by_token(ApStore *self, const gchar *token_hash, GError **error)
{
	g_return_val_if_fail(AP_IS_STORE(self), NULL);
	return AP_STORE_GET_CLASS(self)->user_get_by_token(self, token_hash, error);
}

gboolean
ap_store_backup(ApStore *self, const gchar *path, GError **error)
{
	g_return_val_if_fail(AP_IS_STORE(self), FALSE);
	return AP_STORE_GET_CLASS(self)->backup(self, path, error);
}

/**
 * ap_store_idempotency_replay:
 * @idem: the key and the hash of the request carrying it
 * @error: a #GError, or %NULL
 *
 * Looks for a booking already made with @idem's key, before the request
 * is checked again: a retry must get the first answer even once the
 * slot would no longer be offered (it is taken, by this very booking, or
 * it falls within the notice by now). Sets @idem's replay fields when
 * found.
 *
 * Returns: %FALSE with %AP_ERROR_IDEMPOTENCY_MISMATCH if the key came
 * with another request, or on a store failure
 */
gboolean
ap_store_idempotency_replay(ApStore *self, ApIdempotency *idem, GError **error)
{
	g_return_val_if_fail(AP_IS_STORE(self), FALSE);
	g_return_val_if_fail(idem != NULL && idem->key != NULL, FALSE);
	return AP_STORE_GET_CLASS(self)->idempotency_replay(self, idem, error);
}

/**
 * ap_store_booking_set_summary:
 * @booking: a completed booking; updated to what is stored
 * @summary: what the expert writes to the customer
 * @actor: who wrote it
 *
 * Keeps the summary and, in the same transaction, puts the email that
 * sends it to the customer in the outbox.
 *
 * Returns: %FALSE with %AP_ERROR_STATE if the session is not completed
 */
gboolean
ap_store_booking_set_summary(
	ApStore *self, ApBooking *booking, const gchar *summary, const gchar *actor, GError **error)
{
	g_return_val_if_fail(AP_IS_STORE(self), FALSE);
	return AP_STORE_GET_CLASS(self)->booking_set_summary(self, booking, summary, actor, error);
}

/**
 * ap_store_feedback_add:
 * @reference: a completed booking
 * @rating: 0 to 10
 * @comment: (nullable): the customer's words
 *
 * Returns: %FALSE with %AP_ERROR_EXISTS if it was rated already, or
 * %AP_ERROR_STATE if the session did not take place
 */
gboolean
ap_store_feedback_add(
	ApStore *self, const gchar *reference, guint rating, const gchar *comment, GError **error)
{
	g_return_val_if_fail(AP_IS_STORE(self), FALSE);
	g_return_val_if_fail(rating <= AP_FEEDBACK_MAX_RATING, FALSE);
	return AP_STORE_GET_CLASS(self)->feedback_add(self, reference, rating, comment, error);
}

/**
 * ap_store_feedback_report:
 * @expert_id: one expert, or 0 for all
 * @service_id: (nullable): one service, or %NULL for all
 * @limit: how many of the latest answers to list
 *
 * Returns: (transfer full) (nullable): the ratings and the latest answers
 */
ApFeedbackReport *
ap_store_feedback_report(
	ApStore *self, gint64 expert_id, const gchar *service_id, guint limit, GError **error)
{
	g_return_val_if_fail(AP_IS_STORE(self), NULL);
	return AP_STORE_GET_CLASS(self)->feedback_report(self, expert_id, service_id, limit, error);
}

/**
 * ap_store_batch_begin:
 * @error: a #GError, or %NULL
 *
 * Groups the writes that follow, until ap_store_batch_commit(), into one
 * durable commit (group commit): each write still succeeds or fails on
 * its own, but none is durable, nor may be acknowledged, before the batch
 * commits. A store that cannot batch commits each write by itself.
 *
 * Returns: %TRUE if the batch is open
 */
gboolean
ap_store_batch_begin(ApStore *self, GError **error)
{
	g_return_val_if_fail(AP_IS_STORE(self), FALSE);
	if (AP_STORE_GET_CLASS(self)->batch_begin == NULL)
		return TRUE;
	return AP_STORE_GET_CLASS(self)->batch_begin(self, error);
}

/**
 * ap_store_batch_commit:
 * @error: a #GError, or %NULL
 *
 * Returns: %TRUE if every write of the batch that succeeded is durable;
 * %FALSE if none of them is
 */
gboolean
ap_store_batch_commit(ApStore *self, GError **error)
{
	g_return_val_if_fail(AP_IS_STORE(self), FALSE);
	if (AP_STORE_GET_CLASS(self)->batch_commit == NULL)
		return TRUE;
	return AP_STORE_GET_CLASS(self)->batch_commit(self, error);
}

/**
 * ap_store_get_generation:
 *
 * A number that changes whenever the bookings or the catalogue may have
 * changed, by this process or any other, and never goes back: what was
 * computed from them stays right while it is the same. Email, sessions
 * and keys do not move it.
 *
 * Returns: the generation; 0 means "unknown": keep nothing
 */
guint64
ap_store_get_generation(ApStore *self)
{
	g_return_val_if_fail(AP_IS_STORE(self), 0);
	if (AP_STORE_GET_CLASS(self)->get_generation == NULL)
		return 0;
	return AP_STORE_GET_CLASS(self)->get_generation(self);
}

/**
 * ap_store_get_catalogue_generation:
 *
 * Like ap_store_get_generation(), for services and experts (with their
 * hours and time off) alone: bookings do not change it, so what is read
 * of the catalogue can be kept while customers book.
 *
 * Returns: the generation; 0 means "unknown": keep nothing
 */
guint64
ap_store_get_catalogue_generation(ApStore *self)
{
	g_return_val_if_fail(AP_IS_STORE(self), 0);
	if (AP_STORE_GET_CLASS(self)->get_catalogue_generation == NULL)
		return 0;
	return AP_STORE_GET_CLASS(self)->get_catalogue_generation(self);
}

/**
 * ap_store_set_now:
 * @now: an instant to use as the current time, or 0 for the real clock
 *
 * Fixes the clock the store checks status changes against (a booking may
 * be cancelled only before it starts) and stamps changes with, so that a
 * test or a demonstration that fixes the engine's clock gets the same
 * answers from the store.
 */
void
ap_store_set_now(ApStore *self, gint64 now)
{
	ApStorePrivate *priv = ap_store_get_instance_private(self);
	g_return_if_fail(AP_IS_STORE(self));
	priv->now = now;
}

/**
 * ap_store_get_now:
 *
 * Returns: the current instant in Unix seconds, or the one fixed by
 * ap_store_set_now()
 */
gint64
ap_store_get_now(ApStore *self)
{
	ApStorePrivate *priv = ap_store_get_instance_private(self);
	g_return_val_if_fail(AP_IS_STORE(self), 0);
	if (priv->now != 0)
		return priv->now;
	return g_get_real_time() / G_USEC_PER_SEC;
}

/**
 * ap_store_session_create:
 * @user_id: who logged in
 * @token_hash: hex SHA-256 of the session cookie's value
 * @csrf_token: the token every write of this session must send back
 * @expires_at: when the session ends, however active
 *
 * Also forgets sessions that have expired.
 */
gboolean
ap_store_session_create(ApStore *self,
			gint64 user_id,
			const gchar *token_hash,
			const gchar *csrf_token,
			gint64 expires_at,
			GError **error)
{
	g_return_val_if_fail(AP_IS_STORE(self), FALSE);
	return AP_STORE_GET_CLASS(self)->session_create(
		self, user_id, token_hash, csrf_token, expires_at, error);
}

/**
 * ap_store_session_lookup:
 * @csrf_token: (out) (optional): the session's CSRF token
 *
 * Returns: the user of an unexpired session of an active user, or 0 with
 * %AP_ERROR_NOT_FOUND
 */
gint64
ap_store_session_lookup(ApStore *self, const gchar *token_hash, gchar **csrf_token, GError **error)
{
	g_return_val_if_fail(AP_IS_STORE(self), 0);
	return AP_STORE_GET_CLASS(self)->session_lookup(self, token_hash, csrf_token, error);
}

gboolean
ap_store_session_delete(ApStore *self, const gchar *token_hash, GError **error)
{
	g_return_val_if_fail(AP_IS_STORE(self), FALSE);
	return AP_STORE_GET_CLASS(self)->session_delete(self, token_hash, error);
}

/**
 * ap_store_booking_add_note:
 * @reference: the booking
 * @text: what staff wrote, for the booking's timeline only
 * @actor: who wrote it
 *
 * Returns: %TRUE on success; %AP_ERROR_NOT_FOUND for no such booking
 */
gboolean
ap_store_booking_add_note(ApStore *self,
			  const gchar *reference,
			  const gchar *text,
			  const gchar *actor,
			  GError **error)
{
	g_return_val_if_fail(AP_IS_STORE(self), FALSE);
	g_return_val_if_fail(reference != NULL && text != NULL, FALSE);
	return AP_STORE_GET_CLASS(self)->booking_add_note(self, reference, text, actor, error);
}

/**
 * ap_store_booking_resend:
 * @reference: a confirmed booking
 * @actor: who asked
 *
 * Sends the customer the booking's confirmation again, as it stands now
 * (its invitation has the current SEQUENCE, so a calendar keeps one
 * event), and says so in its history.
 *
 * Returns: %TRUE on success; %AP_ERROR_STATE if it is not confirmed
 */
gboolean
ap_store_booking_resend(ApStore *self, const gchar *reference, const gchar *actor, GError **error)
{
	g_return_val_if_fail(AP_IS_STORE(self), FALSE);
	g_return_val_if_fail(reference != NULL, FALSE);
	return AP_STORE_GET_CLASS(self)->booking_resend(self, reference, actor, error);
}

/**
 * ap_store_users_list:
 *
 * Returns: (transfer container) (element-type ApUser) (nullable): every
 * user, active or not, by email
 */
GPtrArray *
ap_store_users_list(ApStore *self, GError **error)
{
	g_return_val_if_fail(AP_IS_STORE(self), NULL);
	return AP_STORE_GET_CLASS(self)->users_list(self, error);
}

/**
 * ap_store_user_update:
 * @user: a stored user whose name, active flag and password hash are
 *   written; a deactivated user's log-in sessions end
 *
 * Returns: %TRUE on success; %AP_ERROR_NOT_FOUND for no such user
 */
gboolean
ap_store_user_update(ApStore *self, ApUser *user, GError **error)
{
	g_return_val_if_fail(AP_IS_STORE(self), FALSE);
	g_return_val_if_fail(user != NULL, FALSE);
	return AP_STORE_GET_CLASS(self)->user_update(self, user, error);
}

/**
 * ap_store_calendar_feed_set:
 * @expert_id: the expert
 * @token_hash: the hash of the feed's new secret; the old one stops
 *   working
 *
 * Returns: %TRUE on success; %AP_ERROR_NOT_FOUND for no such expert
 */
gboolean
ap_store_calendar_feed_set(ApStore *self, gint64 expert_id, const gchar *token_hash, GError **error)
{
	g_return_val_if_fail(AP_IS_STORE(self), FALSE);
	g_return_val_if_fail(token_hash != NULL, FALSE);
	return AP_STORE_GET_CLASS(self)->calendar_feed_set(self, expert_id, token_hash, error);
}

/**
 * ap_store_calendar_feed_created:
 *
 * Returns: when the expert's feed was made, 0 if they have none, -1 on
 * error
 */
gint64
ap_store_calendar_feed_created(ApStore *self, gint64 expert_id, GError **error)
{
	g_return_val_if_fail(AP_IS_STORE(self), -1);
	return AP_STORE_GET_CLASS(self)->calendar_feed_created(self, expert_id, error);
}

/**
 * ap_store_calendar_feed_lookup:
 * @token_hash: the hash of a feed's secret
 *
 * Returns: its expert, 0 for none, -1 on error
 */
gint64
ap_store_calendar_feed_lookup(ApStore *self, const gchar *token_hash, GError **error)
{
	g_return_val_if_fail(AP_IS_STORE(self), -1);
	g_return_val_if_fail(token_hash != NULL, -1);
	return AP_STORE_GET_CLASS(self)->calendar_feed_lookup(self, token_hash, error);
}

static GPrivate ap_store_audit_address = G_PRIVATE_INIT(g_free);

/**
 * ap_store_audit_set_address:
 * @address: (nullable): the client address of the request this thread is
 *   handling, such as `192.0.2.7`; %NULL when it is done
 *
 * The history entries this thread writes from now on say the change came
 * from @address (the audit trail's "from where"). The web server sets it
 * around each request; appointctl leaves it unset.
 */
void
ap_store_audit_set_address(const gchar *address)
{
	g_private_replace(&ap_store_audit_address, g_strdup(address));
}

/**
 * ap_store_audit_get_address:
 *
 * Returns: (nullable): what ap_store_audit_set_address() set on this thread
 */
const gchar *
ap_store_audit_get_address(void)
{
	return g_private_get(&ap_store_audit_address);
}

/**
 * ap_store_customer_bookings:
 * @email: the customer's address, compared without regard to case
 *
 * Returns: (transfer container) (element-type ApBooking) (nullable): every
 * booking made with @email, of any status, by start
 */
GPtrArray *
ap_store_customer_bookings(ApStore *self, const gchar *email, GError **error)
{
	g_return_val_if_fail(AP_IS_STORE(self), NULL);
	g_return_val_if_fail(email != NULL, NULL);
	return AP_STORE_GET_CLASS(self)->customer_bookings(self, email, error);
}

/**
 * ap_store_customer_erase_request:
 * @email: the customer's address
 *
 * Marks every booking made with @email for erasure: ap_store_privacy_sweep()
 * removes its personal details as soon as no email of it waits to be
 * delivered (a cancellation must still reach the customer). Cancelling
 * the future ones first is the caller's part.
 *
 * Returns: how many bookings were marked, -1 on error
 */
gint
ap_store_customer_erase_request(ApStore *self, const gchar *email, GError **error)
{
	g_return_val_if_fail(AP_IS_STORE(self), -1);
	g_return_val_if_fail(email != NULL, -1);
	return AP_STORE_GET_CLASS(self)->customer_erase_request(self, email, error);
}

/**
 * ap_store_privacy_sweep:
 * @keep_until: sessions that ended before this instant are anonymised
 *   (the retention period); %G_MININT64 to keep every past session
 * @limit: at most this many bookings this call, so that it stays short
 *
 * Removes the customer's details (name, email, phone, answers, notes,
 * reasons, the manage token) from bookings marked for erasure and from
 * sessions past the retention period, once none of their emails waits
 * to be delivered. What the booking was (service, expert, time, status)
 * stays, for the figures. Each booking's history records it.
 *
 * Returns: how many bookings were anonymised, -1 on error
 */
gint
ap_store_privacy_sweep(ApStore *self, gint64 keep_until, guint limit, GError **error)
{
	g_return_val_if_fail(AP_IS_STORE(self), -1);
	return AP_STORE_GET_CLASS(self)->privacy_sweep(self, keep_until, limit, error);
}

/**
 * ap_store_bookings_import:
 * @services: (element-type ApService): the services @bookings name
 * @bookings: (element-type ApBooking): each with its service, expert, start, end,
 *   status, channel, customer and created_at set, and a unique
 *   token_hash; their reference and ical_uid are drawn here
 *
 * Writes generated bookings in one transaction, without history or
 * emails (see ap-sqlite-import.c); for test and benchmark data only.
 *
 * Returns: %TRUE if all were written, else none was
 */
gboolean
ap_store_bookings_import(ApStore *self, GPtrArray *services, GPtrArray *bookings, GError **error)
{
	g_return_val_if_fail(AP_IS_STORE(self), FALSE);
	g_return_val_if_fail(services != NULL && bookings != NULL, FALSE);
	return AP_STORE_GET_CLASS(self)->bookings_import(self, services, bookings, error);
}
