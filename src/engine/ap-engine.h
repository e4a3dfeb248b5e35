/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "ap-config.h"
#include "ap-store.h"

G_BEGIN_DECLS

/* the longest span one slot query may cover */
#define AP_ENGINE_MAX_SLOT_DAYS 62
/* how long a list of slots whose dates the horizon cuts may be reused
 * while nothing is booked or changed: at most this late to show a slot
 * that has just come within the horizon */
#define AP_ENGINE_SLOTS_FRESH_SECONDS 10

/**
 * ApBookingRequest:
 * @service_id: the service
 * @start: the chosen start (Unix seconds)
 * @expert_id: the expert asked for, or 0 for whoever is free
 * @customer_name: required
 * @customer_email: required
 * @customer_phone: (nullable)
 * @customer_locale: (nullable): defaults to `en-GB`
 * @customer_timezone: (nullable): the zone the customer booked in
 * @answers: (nullable): answers to the service's questions
 * @channel: how the booking was made
 * @idempotency_key: (nullable): the client's Idempotency-Key
 * @request_hash: (nullable): hex SHA-256 of the canonical request, needed
 *   with @idempotency_key
 */
typedef struct {
	const gchar *service_id;
	gint64 start;
	gint64 expert_id;
	const gchar *customer_name;
	const gchar *customer_email;
	const gchar *customer_phone;
	const gchar *customer_locale;
	const gchar *customer_timezone;
	JsonObject *answers;
	ApBookingChannel channel;
	const gchar *idempotency_key;
	const gchar *request_hash;
} ApBookingRequest;

#define AP_TYPE_ENGINE (ap_engine_get_type())
G_DECLARE_FINAL_TYPE(ApEngine, ap_engine, AP, ENGINE, GObject)

ApEngine *
ap_engine_new(ApConfig *config, ApStore *store, GError **error);
ApStore *
ap_engine_get_store(ApEngine *self);
ApExpert *
ap_engine_get_expert(ApEngine *self, gint64 expert_id);
void
ap_engine_set_committed_func(ApEngine *self, GFunc func, gpointer data);
void
ap_engine_notify_committed(ApEngine *self);
gchar *
ap_engine_unseal_token(ApEngine *self, GBytes *sealed);
const ApConfig *
ap_engine_get_config(ApEngine *self);
gint64
ap_engine_get_now(ApEngine *self);
void
ap_engine_set_now(ApEngine *self, gint64 now);

GPtrArray *
ap_engine_list_slots(ApEngine *self,
		     const gchar *service_id,
		     const GDate *from,
		     const GDate *to,
		     const gchar *timezone,
		     gint64 expert_id,
		     gint64 *valid_until,
		     GError **error);
ApBooking *
ap_engine_book(ApEngine *self,
	       const ApBookingRequest *request,
	       const gchar *actor,
	       gchar **token,
	       gboolean *replayed,
	       GError **error);
ApBooking *
ap_engine_reschedule(ApEngine *self,
		     const gchar *reference,
		     gint64 start,
		     gint64 expert_id,
		     const gchar *actor,
		     GError **error);
ApBooking *
ap_engine_set_status(ApEngine *self,
		     const gchar *reference,
		     ApBookingStatus status,
		     const gchar *reason,
		     const gchar *actor,
		     GError **error);
gchar *
ap_engine_video_url(ApEngine *self, const ApBooking *booking);
gchar *
ap_engine_manage_url(ApEngine *self, const gchar *token);

G_END_DECLS
