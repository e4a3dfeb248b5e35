/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApEngine"

#include "ap-engine.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <string.h>

#include "ap-catalogue.h"
#include "ap-engine-private.h"
#include "ap-error.h"
#include "ap-secret.h"
#include "ap-slots.h"
#include "ap-time.h"
#include "ap-validate.h"

/*
 * The application layer: what a web handler or appointctl asks for, done
 * by combining the pure rules of src/core with the store. It decides
 * what is offered (422 otherwise) before the store's transaction decides
 * what is still free (409 otherwise).
 */

struct _ApEngine {
	GObject parent_instance;
	ApConfig *config;
	ApStore *store;
	ApCatalogue *catalogue;
	GFunc committed_func; /* see ap_engine_set_committed_func() */
	gpointer committed_data;
	gint64 now; /* 0: the real clock */
	guint8 key[crypto_secretbox_KEYBYTES];
};

G_DEFINE_TYPE(ApEngine, ap_engine, G_TYPE_OBJECT)

static void
ap_engine_finalize(GObject *object)
{
	ApEngine *self = AP_ENGINE(object);
	sodium_memzero(self->key, sizeof(self->key));
	g_clear_pointer(&self->catalogue, ap_catalogue_free);
	g_object_unref(self->store);
	G_OBJECT_CLASS(ap_engine_parent_class)->finalize(object);
}

static void
ap_engine_class_init(ApEngineClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = ap_engine_finalize;
}

static void
ap_engine_init(ApEngine *self)
{
}

/* a key beside the database seals manage tokens kept for idempotent
 * replays and names video rooms; created on first use, readable by the
 * service alone */
static gboolean
ap_engine_load_key(ApEngine *self, GError **error)
{
	g_autofree gchar *path = g_strconcat(self->config->database_path, ".key", NULL);
	g_autofree gchar *data = NULL;
	gsize len = 0;
	g_autoptr(GError) error_local = NULL;

	if (g_file_get_contents(path, &data, &len, &error_local)) {
		if (len != sizeof(self->key)) {
			g_set_error(error,
				    AP_ERROR,
				    AP_ERROR_CONFIG,
				    "%s: not a key of %u bytes",
				    path,
				    (guint)sizeof(self->key));
			return FALSE;
		}
		memcpy(self->key, data, sizeof(self->key));
		sodium_memzero(data, len);
		return TRUE;
	}
	if (!g_error_matches(error_local, G_FILE_ERROR, G_FILE_ERROR_NOENT)) {
		g_set_error(error, AP_ERROR, AP_ERROR_CONFIG, "%s", error_local->message);
		return FALSE;
	}
	crypto_secretbox_keygen(self->key);
	{
		g_autoptr(GFile) file = g_file_new_for_path(path);
		g_autoptr(GFileOutputStream) stream = NULL;
		g_clear_error(&error_local);
		stream = g_file_create(file, G_FILE_CREATE_PRIVATE, NULL, &error_local);
		if (stream == NULL ||
		    !g_output_stream_write_all(G_OUTPUT_STREAM(stream),
					       self->key,
					       sizeof(self->key),
					       NULL,
					       NULL,
					       &error_local) ||
		    !g_output_stream_close(G_OUTPUT_STREAM(stream), NULL, &error_local)) {
			g_set_error(error,
				    AP_ERROR,
				    AP_ERROR_CONFIG,
				    "%s: %s",
				    path,
				    error_local->message);
			return FALSE;
		}
	}
	return TRUE;
}

/**
 * ap_engine_new:
 * @config: the configuration; must outlive the engine
 * @store: the store
 * @error: a #GError, or %NULL
 *
 * Returns: (transfer full) (nullable): the engine
 */
ApEngine *
ap_engine_new(ApConfig *config, ApStore *store, GError **error)
{
	g_autoptr(ApEngine) self = g_object_new(AP_TYPE_ENGINE, NULL);

	self->config = config;
	self->store = g_object_ref(store);
	self->catalogue = ap_catalogue_new(store);
	if (!ap_engine_load_key(self, error))
		return NULL;
	return g_steal_pointer(&self);
}

ApStore *
ap_engine_get_store(ApEngine *self)
{
	return self->store;
}

/**
 * ap_engine_set_committed_func:
 * @func: (nullable): called after changes that wrote to the outbox are
 *   committed, with @data; %NULL for none
 * @data: for @func; not owned
 *
 * How the delivery worker hears of new emails at once (see #ApOutbox).
 */
void
ap_engine_set_committed_func(ApEngine *self, GFunc func, gpointer data)
{
	g_return_if_fail(AP_IS_ENGINE(self));
	self->committed_func = func;
	self->committed_data = data;
}

/**
 * ap_engine_notify_committed:
 *
 * Says that changes which may have written to the outbox are committed.
 */
void
ap_engine_notify_committed(ApEngine *self)
{
	g_return_if_fail(AP_IS_ENGINE(self));
	if (self->committed_func != NULL)
		self->committed_func(self->committed_data, NULL);
}

/**
 * ap_engine_get_expert:
 * @expert_id: an expert id
 *
 * For reading only: the expert is shared with every other caller (see
 * #ApCatalogue). To change an expert, load one from the store.
 *
 * Returns: (transfer full) (nullable): the expert, active or not
 */
ApExpert *
ap_engine_get_expert(ApEngine *self, gint64 expert_id)
{
	g_return_val_if_fail(AP_IS_ENGINE(self), NULL);
	return ap_catalogue_get_expert(self->catalogue, expert_id);
}

const ApConfig *
ap_engine_get_config(ApEngine *self)
{
	return self->config;
}

/**
 * ap_engine_get_now:
 *
 * Returns: the current instant, or the one fixed by ap_engine_set_now()
 */
gint64
ap_engine_get_now(ApEngine *self)
{
	if (self->now != 0)
		return self->now;
	return g_get_real_time() / G_USEC_PER_SEC;
}

/**
 * ap_engine_set_now:
 * @now: an instant to use as the current time, or 0 for the real clock
 *
 * For tests and benchmarks.
 */
void
ap_engine_set_now(ApEngine *self, gint64 now)
{
	self->now = now;
	ap_store_set_now(self->store, now);
}

/* the instant fixed by ap_engine_set_now(), or 0 for the real clock */
gint64
ap_engine_get_fixed_now(ApEngine *self)
{
	return self->now;
}

ApService *
ap_engine_get_bookable_service(ApEngine *self, const gchar *service_id, GError **error)
{
	g_autoptr(ApService) service = NULL;

	if (!ap_service_id_is_valid(service_id)) {
		g_set_error(error,
			    AP_ERROR,
			    AP_ERROR_INVALID,
			    "service: '%s' is not a service id",
			    service_id != NULL ? service_id : "");
		return NULL;
	}
	service = ap_catalogue_get_service(self->catalogue, service_id);
	if (service == NULL || !service->active) {
		g_set_error(error,
			    AP_ERROR,
			    AP_ERROR_INVALID,
			    "service: %s is not a service offered at the moment",
			    service_id);
		return NULL;
	}
	return g_steal_pointer(&service);
}

/* the experts who may take @service: one named, or all active ones */
static GPtrArray *
ap_engine_get_experts(ApEngine *self, const ApService *service, gint64 expert_id, GError **error)
{
	g_autoptr(ApExpert) expert = NULL;
	GPtrArray *experts;

	if (expert_id == 0)
		return ap_catalogue_list_experts(self->catalogue, service->id, error);
	expert = ap_catalogue_get_expert(self->catalogue, expert_id);
	if (expert == NULL || !expert->active || !ap_expert_has_service(expert, service->id)) {
		g_set_error(error,
			    AP_ERROR,
			    AP_ERROR_INVALID,
			    "expert: %" G_GINT64_FORMAT " is not an expert who offers %s",
			    expert_id,
			    service->id);
		return NULL;
	}
	experts = g_ptr_array_new_with_free_func((GDestroyNotify)ap_expert_unref);
	g_ptr_array_add(experts, g_steal_pointer(&expert));
	return experts;
}

/**
 * ap_engine_list_slots:
 * @service_id: the service
 * @from: first local date, in @timezone
 * @to: last local date, inclusive
 * @timezone: (nullable): the IANA zone the dates are in; Europe/London if %NULL
 * @expert_id: one expert, or 0 for all who give the service
 * @valid_until: (out) (optional): the instant from which the answer may
 *   be wrong even if the store's generation has not changed: the first
 *   slot then falls within the minimum notice, or new slots may have come
 *   within the horizon (only if it cuts the dates asked for); %G_MAXINT64
 *   if neither can happen
 * @error: a #GError, or %NULL
 *
 * Returns: (transfer container) (element-type ApSlot): free slots by start
 */
GPtrArray *
ap_engine_list_slots(ApEngine *self,
		     const gchar *service_id,
		     const GDate *from,
		     const GDate *to,
		     const gchar *timezone,
		     gint64 expert_id,
		     gint64 *valid_until,
		     GError **error)
{
	g_autoptr(ApService) service = NULL;
	g_autoptr(GTimeZone) tz = NULL;
	g_autoptr(GPtrArray) slots = NULL;
	g_autoptr(GPtrArray) experts = NULL;
	g_autoptr(GArray) busy = NULL;
	g_autoptr(GArray) offers = g_array_new(FALSE, FALSE, sizeof(ApSlotOffer));
	ApSlotWindow window = {.now = ap_engine_get_now(self)};
	gint64 ignored;

	g_return_val_if_fail(AP_IS_ENGINE(self), NULL);

	tz = ap_time_zone_new(timezone != NULL ? timezone : "Europe/London", error);
	if (tz == NULL) {
		g_prefix_error(error, "tz: ");
		return NULL;
	}
	if (g_date_compare(from, to) > 0) {
		g_set_error(error, AP_ERROR, AP_ERROR_INVALID, "to: is before from");
		return NULL;
	}
	if (g_date_days_between(from, to) >= AP_ENGINE_MAX_SLOT_DAYS) {
		g_set_error(error,
			    AP_ERROR,
			    AP_ERROR_INVALID,
			    "to: at most %u days may be asked for at once",
			    (guint)AP_ENGINE_MAX_SLOT_DAYS);
		return NULL;
	}
	service = ap_engine_get_bookable_service(self, service_id, error);
	if (service == NULL)
		return NULL;
	experts = ap_engine_get_experts(self, service, expert_id, error);
	if (experts == NULL)
		return NULL;

	ap_local_day_bounds(tz, from, &window.from, &ignored);
	ap_local_day_bounds(tz, to, &ignored, &window.to);
	/* bookings that start before the window can still block its first
	 * slots through their buffers */
	busy = ap_store_busy_list(
		self->store,
		expert_id,
		window.from - AP_SERVICE_MAX_BUFFER_MINUTES * 60,
		window.to + (AP_SERVICE_MAX_DURATION_MINUTES + AP_SERVICE_MAX_BUFFER_MINUTES) * 60,
		error);
	if (busy == NULL)
		return NULL;
	for (guint i = 0; i < experts->len; i++) {
		ApExpert *expert = g_ptr_array_index(experts, i);
		g_autoptr(GArray) mine = ap_slots_for_expert(
			service, expert, &window, (const ApBusy *)busy->data, busy->len);
		g_array_append_vals(offers, mine->data, mine->len);
	}
	slots = ap_slots_merge(offers);
	if (valid_until != NULL) {
		/* as time passes, slots only go, never come, but where the
		 * horizon cuts the window: there new ones enter, and a short
		 * while late is harmless. A window inside the horizon keeps
		 * its answer until its first slot falls within the notice,
		 * which must be the moment it does; one with no slot, for
		 * ever, until something is changed */
		*valid_until = G_MAXINT64;
		if (window.to > ap_slots_horizon_end(service, window.now))
			*valid_until = window.now + AP_ENGINE_SLOTS_FRESH_SECONDS;
		if (slots->len > 0) {
			const ApSlot *first = g_ptr_array_index(slots, 0);
			*valid_until =
				MIN(*valid_until,
				    first->start - (gint64)service->min_notice_minutes * 60 + 1);
		}
	}
	return g_steal_pointer(&slots);
}

/* the experts whose hours offer @start, each with its local day */
GArray *
ap_engine_candidates(
	ApEngine *self, const ApService *service, gint64 start, gint64 expert_id, GError **error)
{
	g_autoptr(GPtrArray) experts = ap_engine_get_experts(self, service, expert_id, error);
	g_autoptr(GArray) candidates = g_array_new(FALSE, FALSE, sizeof(ApCandidate));
	gint64 now = ap_engine_get_now(self);

	if (experts == NULL)
		return NULL;
	for (guint i = 0; i < experts->len; i++) {
		ApExpert *expert = g_ptr_array_index(experts, i);
		ApCandidate c = {.expert_id = expert->id};
		GDate day;

		if (!ap_slots_is_offered(service, expert, now, start))
			continue;
		ap_instant_to_local(ap_expert_get_tz(expert), start, &day, NULL);
		ap_local_day_bounds(ap_expert_get_tz(expert), &day, &c.day_start, &c.day_end);
		g_array_append_val(candidates, c);
	}
	if (candidates->len == 0) {
		g_autofree gchar *text = ap_time_format_rfc3339(start, NULL);
		g_set_error(error,
			    AP_ERROR,
			    AP_ERROR_NOT_OFFERED,
			    "start: %s is not an offered slot of %s%s",
			    text,
			    service->id,
			    expert_id != 0 ? " with that expert" : "");
		return NULL;
	}
	return g_steal_pointer(&candidates);
}

gboolean
ap_engine_check_customer(const ApBookingRequest *request, const ApService *service, GError **error)
{
	GError *errors = NULL;
	GError *one = NULL;

	/* every problem at once: a customer should not correct one field
	 * per attempt */
	if (!ap_validate_name(request->customer_name, "customer.name", &one))
		ap_error_merge(&errors, g_steal_pointer(&one));
	if (!ap_validate_email(request->customer_email, "customer.email", &one))
		ap_error_merge(&errors, g_steal_pointer(&one));
	if (!ap_validate_phone(request->customer_phone, "customer.phone", &one))
		ap_error_merge(&errors, g_steal_pointer(&one));
	if (!ap_validate_locale(request->customer_locale, "customer.locale", &one))
		ap_error_merge(&errors, g_steal_pointer(&one));
	if (request->customer_timezone != NULL &&
	    !ap_time_zone_is_valid(request->customer_timezone))
		ap_error_merge(&errors,
			       g_error_new(AP_ERROR,
					   AP_ERROR_INVALID,
					   "customer.timezone: '%s' is not an IANA time zone",
					   request->customer_timezone));
	if (request->idempotency_key != NULL &&
	    !ap_validate_line(request->idempotency_key, "Idempotency-Key", 255, TRUE, &one))
		ap_error_merge(&errors, g_steal_pointer(&one));
	if (!ap_service_check_answers(service, request->answers, &one))
		ap_error_merge(&errors, g_steal_pointer(&one));
	if (errors != NULL) {
		g_propagate_error(error, errors);
		return FALSE;
	}
	return TRUE;
}

GBytes *
ap_engine_seal(ApEngine *self, const gchar *token)
{
	gsize len = strlen(token);
	gsize total = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + len;
	guint8 *out = g_malloc(total);

	randombytes_buf(out, crypto_secretbox_NONCEBYTES);
	crypto_secretbox_easy(
		out + crypto_secretbox_NONCEBYTES, (const guint8 *)token, len, out, self->key);
	return g_bytes_new_take(out, total);
}

static gchar *
ap_engine_unseal(ApEngine *self, GBytes *sealed)
{
	gsize total = 0;
	const guint8 *in = sealed != NULL ? g_bytes_get_data(sealed, &total) : NULL;
	gsize len;
	gchar *token;

	if (in == NULL || total < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
		return NULL;
	len = total - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES;
	token = g_malloc0(len + 1);
	if (crypto_secretbox_open_easy((guint8 *)token,
				       in + crypto_secretbox_NONCEBYTES,
				       total - crypto_secretbox_NONCEBYTES,
				       in,
				       self->key) != 0) {
		g_free(token);
		return NULL;
	}
	return token;
}

/**
 * ap_engine_unseal_token:
 * @sealed: (nullable): a token sealed by this engine (ApBooking.sealed_token)
 *
 * Thread-safe: the key does not change once the engine is made.
 *
 * Returns: (transfer full) (nullable): the token, or %NULL if @sealed is
 * %NULL or was not sealed with this database's key
 */
gchar *
ap_engine_unseal_token(ApEngine *self, GBytes *sealed)
{
	return ap_engine_unseal(self, sealed);
}

/**
 * ap_engine_reschedule:
 * @reference: the booking
 * @start: the new start
 * @expert_id: the expert asked for, or 0 to keep the current one if free
 *   then and otherwise take whoever is
 * @actor: who is moving it
 * @error: a #GError, or %NULL
 *
 * Keeps reference, manage token and UID; raises the SEQUENCE.
 *
 * Returns: (transfer full) (nullable): the booking as now stored
 */
ApBooking *
ap_engine_reschedule(ApEngine *self,
		     const gchar *reference,
		     gint64 start,
		     gint64 expert_id,
		     const gchar *actor,
		     GError **error)
{
	g_autoptr(ApBooking) booking = ap_store_booking_get(self->store, reference, error);
	g_autoptr(ApService) service = NULL;
	g_autoptr(GArray) candidates = NULL;

	if (booking == NULL)
		return NULL;
	if (!ap_booking_check_transition(
		    booking, AP_BOOKING_STATUS_CANCELLED, ap_engine_get_now(self), error))
		return NULL;
	service = ap_engine_get_bookable_service(self, booking->service_id, error);
	if (service == NULL)
		return NULL;
	candidates = ap_engine_candidates(self, service, start, expert_id, error);
	if (candidates == NULL)
		return NULL;
	/* without a named expert, the current one keeps the booking if free */
	if (expert_id == 0) {
		for (guint i = 0; i < candidates->len; i++) {
			ApCandidate *c = &g_array_index(candidates, ApCandidate, i);
			if (c->expert_id == booking->expert_id && i > 0) {
				ApCandidate keep = *c;
				g_array_remove_index(candidates, i);
				g_array_prepend_val(candidates, keep);
				break;
			}
		}
	}
	if (!ap_store_booking_reschedule(self->store,
					 booking,
					 service,
					 start,
					 start + (gint64)service->duration_minutes * 60,
					 (const ApCandidate *)candidates->data,
					 expert_id == 0 ? candidates->len : 1,
					 actor,
					 error))
		return NULL;
	return g_steal_pointer(&booking);
}

/**
 * ap_engine_set_status:
 * @reference: the booking
 * @status: cancelled, completed or no-show
 * @reason: (nullable): why, for a cancellation
 * @actor: who is changing it
 * @error: a #GError, or %NULL
 *
 * Returns: (transfer full) (nullable): the booking as now stored
 */
ApBooking *
ap_engine_set_status(ApEngine *self,
		     const gchar *reference,
		     ApBookingStatus status,
		     const gchar *reason,
		     const gchar *actor,
		     GError **error)
{
	g_autoptr(ApBooking) booking = ap_booking_new();

	if (!ap_validate_text(reason, "reason", 1000, FALSE, error))
		return NULL;
	g_strlcpy(booking->reference, reference, sizeof(booking->reference));
	if (!ap_store_booking_set_status(self->store, booking, status, reason, actor, error))
		return NULL;
	return g_steal_pointer(&booking);
}

/**
 * ap_engine_video_url:
 *
 * The room is a keyed hash of the booking's UID: stable for the booking's
 * life, and not guessable from its reference.
 *
 * Returns: (transfer full): the video link of @booking
 */
gchar *
ap_engine_video_url(ApEngine *self, const ApBooking *booking)
{
	guint8 hash[12];
	gchar hex[sizeof(hash) * 2 + 1];
	g_autofree gchar *room = NULL;

	crypto_generichash(hash,
			   sizeof(hash),
			   (const guint8 *)booking->ical_uid,
			   strlen(booking->ical_uid),
			   self->key,
			   sizeof(self->key));
	sodium_bin2hex(hex, sizeof(hex), hash, sizeof(hash));
	room = g_strconcat("appoint-", hex, NULL);
	return ap_config_video_url(self->config, room);
}

/**
 * ap_engine_manage_url:
 *
 * Returns: (transfer full): the link customers use to see, move or
 * cancel their booking
 */
gchar *
ap_engine_manage_url(ApEngine *self, const gchar *token)
{
	return g_strconcat(self->config->public_url, "/manage/", token, NULL);
}
