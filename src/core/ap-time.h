/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Instants are gint64 Unix seconds (UTC) everywhere in appoint. Local
 * wall-clock times exist only as (GDate, minute of day) pairs in a named
 * GTimeZone, and are turned into instants one day at a time so that
 * daylight-saving changes fall out of the zone database.
 */

#define AP_MINUTES_PER_DAY 1440

/* 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z, GDateTime's range */
#define AP_INSTANT_MIN G_GINT64_CONSTANT(-62135596800)
#define AP_INSTANT_MAX G_GINT64_CONSTANT(253402300799)

gboolean
ap_time_parse_rfc3339(const gchar *text, gint64 *instant, GError **error);
gchar *
ap_time_format_rfc3339(gint64 instant, GTimeZone *tz);
gboolean
ap_date_parse(const gchar *text, GDate *date, GError **error);
gchar *
ap_date_format(const GDate *date);
gboolean
ap_minute_parse(const gchar *text, gboolean allow_24, guint *minute, GError **error);
gchar *
ap_minute_format(guint minute);

GTimeZone *
ap_time_zone_new(const gchar *identifier, GError **error);
gboolean
ap_time_zone_is_valid(const gchar *identifier);

gboolean
ap_local_to_instant(GTimeZone *tz, const GDate *date, gint minute, gint64 *instant);
void
ap_instant_to_local(GTimeZone *tz, gint64 instant, GDate *date, guint *minute);
void
ap_local_day_bounds(GTimeZone *tz, const GDate *date, gint64 *start, gint64 *end);

G_END_DECLS
