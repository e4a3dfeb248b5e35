/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApOutbox"

#include "ap-outbox-item.h"

static const gchar *const ap_outbox_kind_names[] = {
	"confirmation", "update", "cancellation", "reminder", "summary", "feedback"};
static const gchar *const ap_outbox_status_names[] = {"pending", "sent", "dead", "void"};

void
ap_outbox_item_free(ApOutboxItem *item)
{
	if (item == NULL)
		return;
	g_free(item->reference);
	g_free(item->recipient);
	g_free(item->last_error);
	g_free(item);
}

const gchar *
ap_outbox_kind_to_string(ApOutboxKind kind)
{
	g_return_val_if_fail(kind <= AP_OUTBOX_KIND_FEEDBACK, NULL);
	return ap_outbox_kind_names[kind];
}

gboolean
ap_outbox_kind_from_string(const gchar *text, ApOutboxKind *kind)
{
	for (guint i = 0; i < G_N_ELEMENTS(ap_outbox_kind_names); i++) {
		if (g_strcmp0(text, ap_outbox_kind_names[i]) == 0) {
			*kind = (ApOutboxKind)i;
			return TRUE;
		}
	}
	return FALSE;
}

const gchar *
ap_outbox_status_to_string(ApOutboxStatus status)
{
	g_return_val_if_fail(status <= AP_OUTBOX_STATUS_VOID, NULL);
	return ap_outbox_status_names[status];
}

gboolean
ap_outbox_status_from_string(const gchar *text, ApOutboxStatus *status)
{
	for (guint i = 0; i < G_N_ELEMENTS(ap_outbox_status_names); i++) {
		if (g_strcmp0(text, ap_outbox_status_names[i]) == 0) {
			*status = (ApOutboxStatus)i;
			return TRUE;
		}
	}
	return FALSE;
}

/**
 * ap_outbox_retry_delay:
 * @attempts: how many deliveries have failed so far, at least 1
 *
 * How long to wait before trying again: 15 s, doubling up to 15 minutes,
 * so that a relay down for hours is tried a few times an hour and a
 * short hiccup costs seconds.
 *
 * Returns: seconds
 */
gint64
ap_outbox_retry_delay(guint attempts)
{
	gint64 delay = 15;

	for (guint i = 1; i < attempts && delay < 900; i++)
		delay *= 2;
	return MIN(delay, 900);
}
