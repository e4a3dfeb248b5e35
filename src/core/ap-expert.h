/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ap-hours.h"

G_BEGIN_DECLS

/**
 * ApTimeOff:
 * @id: store identifier, 0 until stored
 * @start: first instant away (Unix seconds)
 * @end: first instant back; half open
 * @reason: (nullable): e.g. "holiday"; shown to staff only
 */
typedef struct {
	gint64 id;
	gint64 start;
	gint64 end;
	gchar *reason;
} ApTimeOff;

/**
 * ApExpert:
 * @id: store identifier, 0 until stored
 * @name: shown to customers
 * @email: where invites go; never shown to customers
 * @bio: a short introduction shown to customers
 * @branch: the store the expert works in
 * @timezone: IANA name of the zone the hours are in
 * @services: (element-type utf8): ids of the services the expert gives
 * @hours: the ordinary week
 * @overrides: (element-type ApDateOverride): other hours on single dates,
 *   sorted by date
 * @time_off: (element-type ApTimeOff): absences, sorted by start
 * @active: whether the expert takes bookings
 *
 * A person who gives consultations. Reference counted with g_rc_box.
 */
typedef struct {
	gint64 id;
	gchar *name;
	gchar *email;
	gchar *bio;
	gchar *branch;
	gchar *timezone;
	GPtrArray *services;
	ApWeeklyHours *hours;
	GPtrArray *overrides;
	GPtrArray *time_off;
	gboolean active;
	/*< private >*/
	GTimeZone *tz;
} ApExpert;

ApTimeOff *
ap_time_off_new(gint64 start, gint64 end, const gchar *reason);
void
ap_time_off_free(ApTimeOff *time_off);

ApExpert *
ap_expert_new(void);
ApExpert *
ap_expert_ref(ApExpert *expert);
void
ap_expert_unref(ApExpert *expert);
gboolean
ap_expert_set_timezone(ApExpert *expert, const gchar *identifier, GError **error);
GTimeZone *
ap_expert_get_tz(ApExpert *expert);
gboolean
ap_expert_has_service(const ApExpert *expert, const gchar *service_id);
const ApDateOverride *
ap_expert_get_override(const ApExpert *expert, const GDate *date);
GArray *
ap_expert_get_ranges(const ApExpert *expert, const GDate *date);
gboolean
ap_expert_validate(const ApExpert *expert, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(ApTimeOff, ap_time_off_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ApExpert, ap_expert_unref)

G_END_DECLS
