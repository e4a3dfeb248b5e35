/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApBooking"

#include "ap-booking.h"

#include "ap-error.h"

#include <string.h>

static const gchar *ap_booking_status_names[] = {"confirmed", "cancelled", "completed", "no-show"};
static const gchar *ap_booking_channel_names[] = {"web", "phone", "social", "in-store"};

ApBooking *
ap_booking_new(void)
{
	ApBooking *booking = g_new0(ApBooking, 1);
	booking->status = AP_BOOKING_STATUS_CONFIRMED;
	booking->channel = AP_BOOKING_CHANNEL_WEB;
	booking->customer_locale = g_strdup("en-GB");
	return booking;
}

ApBooking *
ap_booking_copy(const ApBooking *booking)
{
	ApBooking *copy = g_new0(ApBooking, 1);

	*copy = *booking;
	copy->token_hash = g_strdup(booking->token_hash);
	copy->service_id = g_strdup(booking->service_id);
	copy->customer_name = g_strdup(booking->customer_name);
	copy->customer_email = g_strdup(booking->customer_email);
	copy->customer_phone = g_strdup(booking->customer_phone);
	copy->customer_locale = g_strdup(booking->customer_locale);
	copy->customer_timezone = g_strdup(booking->customer_timezone);
	copy->answers = booking->answers != NULL ? json_object_ref(booking->answers) : NULL;
	copy->ical_uid = g_strdup(booking->ical_uid);
	copy->cancel_reason = g_strdup(booking->cancel_reason);
	copy->sealed_token =
		booking->sealed_token != NULL ? g_bytes_ref(booking->sealed_token) : NULL;
	copy->summary = g_strdup(booking->summary);
	return copy;
}

void
ap_booking_free(ApBooking *booking)
{
	if (booking == NULL)
		return;
	g_free(booking->token_hash);
	g_clear_pointer(&booking->sealed_token, g_bytes_unref);
	g_free(booking->summary);
	g_free(booking->service_id);
	g_free(booking->customer_name);
	g_free(booking->customer_email);
	g_free(booking->customer_phone);
	g_free(booking->customer_locale);
	g_free(booking->customer_timezone);
	if (booking->answers != NULL)
		json_object_unref(booking->answers);
	g_free(booking->ical_uid);
	g_free(booking->cancel_reason);
	g_free(booking);
}

/**
 * ap_booking_is_active:
 *
 * Returns: %TRUE if the booking holds its expert's time; everything but a
 * cancelled booking does, past sessions included
 */
gboolean
ap_booking_is_active(const ApBooking *booking)
{
	return booking->status != AP_BOOKING_STATUS_CANCELLED;
}

/**
 * ap_booking_check_transition:
 * @booking: the booking as stored
 * @status: the status asked for
 * @now: the current instant
 * @error: a #GError, or %NULL
 *
 * The life of a booking: a confirmed booking may be cancelled before it
 * starts, and marked completed or no-show once it has started. Nothing
 * leaves cancelled, completed or no-show.
 *
 * Returns: %TRUE if the change is allowed; %AP_ERROR_STATE otherwise
 */
gboolean
ap_booking_check_transition(const ApBooking *booking,
			    ApBookingStatus status,
			    gint64 now,
			    GError **error)
{
	if (booking->status != AP_BOOKING_STATUS_CONFIRMED) {
		g_set_error(error,
			    AP_ERROR,
			    AP_ERROR_STATE,
			    "booking %s is %s and can no longer change",
			    booking->reference,
			    ap_booking_status_to_string(booking->status));
		return FALSE;
	}
	switch (status) {
	case AP_BOOKING_STATUS_CANCELLED:
		if (booking->start <= now) {
			g_set_error(error,
				    AP_ERROR,
				    AP_ERROR_STATE,
				    "booking %s has already started",
				    booking->reference);
			return FALSE;
		}
		return TRUE;
	case AP_BOOKING_STATUS_COMPLETED:
	case AP_BOOKING_STATUS_NO_SHOW:
		if (booking->start > now) {
			g_set_error(error,
				    AP_ERROR,
				    AP_ERROR_STATE,
				    "booking %s has not started yet",
				    booking->reference);
			return FALSE;
		}
		return TRUE;
	case AP_BOOKING_STATUS_CONFIRMED:
	default:
		g_set_error(error,
			    AP_ERROR,
			    AP_ERROR_STATE,
			    "booking %s is already confirmed",
			    booking->reference);
		return FALSE;
	}
}

const gchar *
ap_booking_status_to_string(ApBookingStatus status)
{
	g_return_val_if_fail((guint)status < G_N_ELEMENTS(ap_booking_status_names), NULL);
	return ap_booking_status_names[status];
}

gboolean
ap_booking_status_from_string(const gchar *text, ApBookingStatus *status)
{
	for (guint i = 0; i < G_N_ELEMENTS(ap_booking_status_names); i++) {
		if (g_strcmp0(text, ap_booking_status_names[i]) == 0) {
			*status = (ApBookingStatus)i;
			return TRUE;
		}
	}
	return FALSE;
}

const gchar *
ap_booking_channel_to_string(ApBookingChannel channel)
{
	g_return_val_if_fail((guint)channel < G_N_ELEMENTS(ap_booking_channel_names), NULL);
	return ap_booking_channel_names[channel];
}

gboolean
ap_booking_channel_from_string(const gchar *text, ApBookingChannel *channel)
{
	for (guint i = 0; i < G_N_ELEMENTS(ap_booking_channel_names); i++) {
		if (g_strcmp0(text, ap_booking_channel_names[i]) == 0) {
			*channel = (ApBookingChannel)i;
			return TRUE;
		}
	}
	return FALSE;
}

ApBookingEvent *
ap_booking_event_new(gint64 at, const gchar *actor, const gchar *action, const gchar *detail)
{
	ApBookingEvent *event = g_new0(ApBookingEvent, 1);
	event->at = at;
	event->actor = g_strdup(actor);
	event->action = g_strdup(action);
	event->detail = g_strdup(detail);
	return event;
}

void
ap_booking_event_free(ApBookingEvent *event)
{
	if (event == NULL)
		return;
	g_free(event->actor);
	g_free(event->action);
	g_free(event->detail);
	g_free(event->address);
	g_free(event);
}

/**
 * ap_reference_from_bytes:
 * @bytes: 8 random bytes
 * @out: (out caller-allocates): 9 bytes for the reference and its NUL
 *
 * Maps each byte onto the 32 characters of %AP_REFERENCE_ALPHABET, which
 * leave out 0/O and 1/I so a reference survives being read over the phone.
 * 32 divides 256, so every character is equally likely: 40 random bits.
 */
void
ap_reference_from_bytes(const guint8 bytes[AP_REFERENCE_LENGTH], gchar out[AP_REFERENCE_LENGTH + 1])
{
	for (guint i = 0; i < AP_REFERENCE_LENGTH; i++)
		out[i] = AP_REFERENCE_ALPHABET[bytes[i] % 32];
	out[AP_REFERENCE_LENGTH] = '\0';
}

/**
 * ap_reference_normalize:
 * @text: a reference as somebody typed it: any case, with spaces or dashes
 *
 * Returns: (transfer full): upper case, with the separators removed
 */
gchar *
ap_reference_normalize(const gchar *text)
{
	GString *out = g_string_new(NULL);
	for (const gchar *p = text; p != NULL && *p != '\0'; p++) {
		if (*p == ' ' || *p == '-')
			continue;
		g_string_append_c(out, g_ascii_toupper(*p));
	}
	return g_string_free(out, FALSE);
}

/**
 * ap_reference_is_valid:
 *
 * Returns: %TRUE if @text is exactly 8 characters of %AP_REFERENCE_ALPHABET
 */
gboolean
ap_reference_is_valid(const gchar *text)
{
	if (text == NULL || strlen(text) != AP_REFERENCE_LENGTH)
		return FALSE;
	for (guint i = 0; i < AP_REFERENCE_LENGTH; i++) {
		if (strchr(AP_REFERENCE_ALPHABET, text[i]) == NULL)
			return FALSE;
	}
	return TRUE;
}
