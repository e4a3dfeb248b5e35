/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum {
	AP_BOOKING_STATUS_CONFIRMED,
	AP_BOOKING_STATUS_CANCELLED,
	AP_BOOKING_STATUS_COMPLETED,
	AP_BOOKING_STATUS_NO_SHOW,
} ApBookingStatus;

typedef enum {
	AP_BOOKING_CHANNEL_WEB,
	AP_BOOKING_CHANNEL_PHONE,
	AP_BOOKING_CHANNEL_SOCIAL,
	AP_BOOKING_CHANNEL_IN_STORE,
} ApBookingChannel;

/* a phone reference: unambiguous when read aloud or copied by hand */
#define AP_REFERENCE_LENGTH   8
#define AP_REFERENCE_ALPHABET "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"

/**
 * ApBooking:
 * @id: store identifier, 0 until stored
 * @reference: 8 characters from %AP_REFERENCE_ALPHABET, unique
 * @token_hash: SHA-256 (hex) of the manage token; the token itself is
 *   never stored
 * @service_id: the service booked
 * @expert_id: the expert giving it
 * @start: first instant (Unix seconds)
 * @end: first instant after; half open
 * @status: where the booking is in its life
 * @channel: how it was made
 * @customer_name: as given
 * @customer_email: as given
 * @customer_phone: (nullable): as given
 * @customer_locale: e.g. `en-GB`
 * @customer_timezone: (nullable): IANA name the customer booked in
 * @answers: (nullable): the answers to the service's questions
 * @ical_uid: the iCalendar UID, fixed for the booking's life
 * @sequence: the iCalendar SEQUENCE, raised by every change a calendar
 *   must follow
 * @cancel_reason: (nullable): why it was cancelled
 * @created_at: when it was made
 * @updated_at: when it last changed
 * @summary: (nullable): what the expert wrote to the customer after the
 *   session
 * @summary_at: when they wrote it, or 0
 * @sealed_token: (nullable): the manage token sealed with the service's
 *   key, so that every email can carry the manage link; set by the engine
 *   on creation, kept in the store, never sent anywhere as it is
 */
typedef struct {
	gint64 id;
	gchar reference[AP_REFERENCE_LENGTH + 1];
	gchar *token_hash;
	gchar *service_id;
	gint64 expert_id;
	gint64 start;
	gint64 end;
	ApBookingStatus status;
	ApBookingChannel channel;
	gchar *customer_name;
	gchar *customer_email;
	gchar *customer_phone;
	gchar *customer_locale;
	gchar *customer_timezone;
	JsonObject *answers;
	gchar *ical_uid;
	gint sequence;
	gchar *cancel_reason;
	gint64 created_at;
	gint64 updated_at;
	GBytes *sealed_token;
	gchar *summary;
	gint64 summary_at;
} ApBooking;

/**
 * ApBookingEvent:
 * @at: when it happened
 * @actor: who did it, e.g. `customer`, `user:4`, `appointctl`
 * @action: `created`, `rescheduled`, `cancelled`, `completed`, `no-show`
 * @detail: (nullable): JSON text with what changed
 *
 * One entry of a booking's history.
 */
typedef struct {
	gint64 at;
	gchar *actor;
	gchar *action;
	gchar *detail;
	gchar *address;
} ApBookingEvent;

ApBooking *
ap_booking_new(void);
ApBooking *
ap_booking_copy(const ApBooking *booking);
void
ap_booking_free(ApBooking *booking);
gboolean
ap_booking_is_active(const ApBooking *booking);
gboolean
ap_booking_check_transition(const ApBooking *booking,
			    ApBookingStatus status,
			    gint64 now,
			    GError **error);

const gchar *
ap_booking_status_to_string(ApBookingStatus status);
gboolean
ap_booking_status_from_string(const gchar *text, ApBookingStatus *status);
const gchar *
ap_booking_channel_to_string(ApBookingChannel channel);
gboolean
ap_booking_channel_from_string(const gchar *text, ApBookingChannel *channel);

ApBookingEvent *
ap_booking_event_new(gint64 at, const gchar *actor, const gchar *action, const gchar *detail);
void
ap_booking_event_free(ApBookingEvent *event);

void
ap_reference_from_bytes(const guint8 bytes[AP_REFERENCE_LENGTH],
			gchar out[AP_REFERENCE_LENGTH + 1]);
gchar *
ap_reference_normalize(const gchar *text);
gboolean
ap_reference_is_valid(const gchar *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(ApBooking, ap_booking_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ApBookingEvent, ap_booking_event_free)

G_END_DECLS
