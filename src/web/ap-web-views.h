/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ap-engine.h"

G_BEGIN_DECLS

/* the zone booking instants are shown in, as the contract's dates are */
#define AP_WEB_BOOKING_ZONE "Europe/London"

/*
 * The JSON shapes of the API, built in one place so that every route
 * shows a resource the same way.
 */

JsonNode *
ap_web_view_expert(const ApExpert *expert, gboolean private_fields);
JsonNode *
ap_web_view_hours(const ApExpert *expert);
JsonNode *
ap_web_view_ranges(GArray *ranges);
JsonNode *
ap_web_view_time_off(const ApTimeOff *time_off);
JsonNode *
ap_web_view_booking(ApEngine *engine, const ApBooking *booking, const gchar *token);
GBytes *
ap_web_view_slots(GPtrArray *slots, GTimeZone *tz);
JsonNode *
ap_web_view_history(ApStore *store, GPtrArray *events);
void
ap_web_view_add_instant(JsonBuilder *b, const gchar *name, gint64 instant, GTimeZone *tz);

void
ap_web_view_outbox_item(JsonBuilder *b, const ApOutboxItem *item, GTimeZone *utc);

void
ap_web_view_add_user_members(JsonBuilder *b, const ApUser *user);

G_END_DECLS
