/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * The zones of the zone database, each read once per process, with its
 * offsets laid out for binary search. GLib reads and parses the zone file
 * on every g_time_zone_new_identifier() and looks an instant up by walking
 * every transition (London has over two hundred); the slot engine asks
 * thousands of times per request.
 */

GTimeZone *
ap_zone_lookup(const gchar *identifier);
gint32
ap_zone_offset_at(GTimeZone *tz, gint64 instant, gint *interval);

G_END_DECLS
