/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
	AP_OUTBOX_KIND_CONFIRMATION, /* a new booking: iTIP REQUEST */
	AP_OUTBOX_KIND_UPDATE,	     /* a move: REQUEST with a higher SEQUENCE */
	AP_OUTBOX_KIND_CANCELLATION, /* iTIP CANCEL */
	AP_OUTBOX_KIND_REMINDER,     /* a while before the start; no calendar part */
	AP_OUTBOX_KIND_SUMMARY,	     /* what the expert wrote after the session */
	AP_OUTBOX_KIND_FEEDBACK,     /* asks the customer how it went */
} ApOutboxKind;

typedef enum {
	AP_OUTBOX_ROLE_CUSTOMER,
	AP_OUTBOX_ROLE_EXPERT,
} ApOutboxRole;

typedef enum {
	AP_OUTBOX_STATUS_PENDING,
	AP_OUTBOX_STATUS_SENT,
	AP_OUTBOX_STATUS_DEAD, /* refused for good (5xx): staff may retry it */
	AP_OUTBOX_STATUS_VOID, /* no longer true: a reminder of a moved or cancelled session */
} ApOutboxStatus;

/**
 * ApOutboxItem:
 * @id: the row; with the booking's UID it makes a Message-ID that stays
 *   the same however often delivery is retried
 * @booking_id: the booking it is about
 * @reference: that booking's reference
 * @kind: what happened
 * @role: who it is for
 * @recipient: their address, as it was when the change was made
 * @expert_id: the expert the email is about (the old one, for the
 *   cancellation an expert gets when a booking moves to another)
 * @sequence: the iCalendar SEQUENCE the change gave the event
 * @start: the session's start as of the change
 * @end: its end
 * @previous_start: (optional): for an update, where it was; 0 otherwise
 * @previous_expert_id: for an update, who it was with; 0 otherwise
 * @created_at: when the change was made: the DTSTAMP
 * @status: where delivery stands
 * @attempts: how many deliveries have failed
 * @next_attempt_at: when delivery is next tried
 * @last_error: (nullable): why the last try failed
 * @remind_at: for a reminder, when it was due to go; 0 otherwise
 *
 * One email a change causes, as written in the change's own transaction.
 */
typedef struct {
	gint64 id;
	gint64 booking_id;
	gchar *reference;
	ApOutboxKind kind;
	ApOutboxRole role;
	gchar *recipient;
	gint64 expert_id;
	gint sequence;
	gint64 start;
	gint64 end;
	gint64 previous_start;
	gint64 previous_expert_id;
	gint64 created_at;
	ApOutboxStatus status;
	guint attempts;
	gint64 next_attempt_at;
	gchar *last_error;
	gint64 remind_at;
} ApOutboxItem;

void
ap_outbox_item_free(ApOutboxItem *item);
const gchar *
ap_outbox_kind_to_string(ApOutboxKind kind);
gboolean
ap_outbox_kind_from_string(const gchar *text, ApOutboxKind *kind);
const gchar *
ap_outbox_status_to_string(ApOutboxStatus status);
gboolean
ap_outbox_status_from_string(const gchar *text, ApOutboxStatus *status);
gint64
ap_outbox_retry_delay(guint attempts);

/* how long before the start reminders go */
#define AP_OUTBOX_REMIND_DAY_SECONDS  (24 * 3600)
#define AP_OUTBOX_REMIND_HOUR_SECONDS 3600

G_DEFINE_AUTOPTR_CLEANUP_FUNC(ApOutboxItem, ap_outbox_item_free)

G_END_DECLS
