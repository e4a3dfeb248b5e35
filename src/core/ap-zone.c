/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApZone"

#include "ap-zone.h"

#include <string.h>

/*
 * A zone's table is GLib's own answer, only faster to ask: the instants at
 * which g_time_zone_find_interval() moves to another interval, found by
 * bisection (GLib's intervals are in time order, so an interval that is
 * the same at both ends of a span has no transition inside it), with the
 * offset from each. Outside the table's span GLib is asked directly.
 */

/* 1901-12-13 to 2100-01-01, every instant appoint deals with */
#define AP_ZONE_TABLE_FIRST G_GINT64_CONSTANT(-2147483648)
#define AP_ZONE_TABLE_END   G_GINT64_CONSTANT(4102444800)

typedef struct {
	GTimeZone *tz;
	GArray *starts;	 /* gint64: the first instant of each interval */
	GArray *offsets; /* gint32: its offset from UTC, in seconds */
} ApZone;

static GMutex ap_zone_lock;
static GHashTable *ap_zone_by_name; /* identifier -> ApZone */
static GHashTable *ap_zone_by_tz;   /* GTimeZone -> the same ApZone */

static gint
ap_zone_glib_interval(GTimeZone *tz, gint64 instant)
{
	return g_time_zone_find_interval(tz, G_TIME_TYPE_UNIVERSAL, instant);
}

/* every interval change in (lo, hi], where lo is in @ilo and hi in @ihi;
 * a bisection of a 64-bit range, so at most 64 calls deep */
/* NOLINTBEGIN(misc-no-recursion) */
static void
ap_zone_collect(ApZone *zone, gint64 lo, gint ilo, gint64 hi, gint ihi)
{
	gint64 mid;
	gint imid;

	if (ilo == ihi)
		return;
	if (hi - lo == 1) {
		gint32 offset = g_time_zone_get_offset(zone->tz, ihi);
		g_array_append_val(zone->starts, hi);
		g_array_append_val(zone->offsets, offset);
		return;
	}
	mid = lo + (hi - lo) / 2;
	imid = ap_zone_glib_interval(zone->tz, mid);
	ap_zone_collect(zone, lo, ilo, mid, imid);
	ap_zone_collect(zone, mid, imid, hi, ihi);
}
/* NOLINTEND(misc-no-recursion) */

static ApZone *
ap_zone_new(GTimeZone *tz)
{
	ApZone *zone = g_new0(ApZone, 1);
	gint first = ap_zone_glib_interval(tz, AP_ZONE_TABLE_FIRST);
	gint last = ap_zone_glib_interval(tz, AP_ZONE_TABLE_END - 1);
	gint64 start = AP_ZONE_TABLE_FIRST;
	gint32 offset = g_time_zone_get_offset(tz, first);

	zone->tz = g_time_zone_ref(tz);
	zone->starts = g_array_new(FALSE, FALSE, sizeof(gint64));
	zone->offsets = g_array_new(FALSE, FALSE, sizeof(gint32));
	g_array_append_val(zone->starts, start);
	g_array_append_val(zone->offsets, offset);
	ap_zone_collect(zone, AP_ZONE_TABLE_FIRST, first, AP_ZONE_TABLE_END - 1, last);
	return zone;
}

/* the names the zone database has, and nothing GLib would read as a POSIX
 * rule instead ("UTC+5", "EST5EDT,M3.2.0,M11.1.0") */
/* what could be a zone database name: letters, digits and / _ - + only,
 * so that nothing reaches outside the zone folder */
static gboolean
ap_zone_is_name(const gchar *identifier)
{
	if (identifier == NULL || *identifier == '\0' || strlen(identifier) > 64 ||
	    !g_ascii_isalpha(identifier[0]) || strstr(identifier, "..") != NULL ||
	    g_strcmp0(identifier, "localtime") == 0 || g_strcmp0(identifier, "posixrules") == 0)
		return FALSE;
	for (const gchar *p = identifier; *p != '\0'; p++) {
		if (!g_ascii_isalnum(*p) && *p != '/' && *p != '_' && *p != '-' && *p != '+')
			return FALSE;
	}
	return TRUE;
}

/* a name the zone database has a file for, and nothing GLib would read as
 * a POSIX rule instead ("UTC+5", "EST5EDT,M3.2.0,M11.1.0") */
static gboolean
ap_zone_has_file(const gchar *identifier)
{
	g_autofree gchar *file = NULL;
	const gchar *tzdir = g_getenv("TZDIR");

	if (g_strcmp0(identifier, "UTC") == 0)
		return TRUE;
	file = g_build_filename(tzdir != NULL ? tzdir : "/usr/share/zoneinfo", identifier, NULL);
	return g_file_test(file, G_FILE_TEST_IS_REGULAR);
}

/**
 * ap_zone_lookup:
 * @identifier: an IANA time-zone name such as `Europe/London`
 *
 * The zone of that name, read from the zone database the first time it is
 * asked for. POSIX TZ strings and bare offsets are refused: a customer's
 * zone must follow its government's rule changes. Thread-safe.
 *
 * Returns: (transfer full) (nullable): the zone, or %NULL if the zone
 * database has no such name
 */
GTimeZone *
ap_zone_lookup(const gchar *identifier)
{
	g_autoptr(GMutexLocker) locker = NULL;
	g_autoptr(GTimeZone) tz = NULL;
	ApZone *zone;

	if (!ap_zone_is_name(identifier))
		return NULL;
	/* NOLINTNEXTLINE(clang-analyzer-deadcode.DeadStores): g_autoptr unlocks it */
	locker = g_mutex_locker_new(&ap_zone_lock);
	if (ap_zone_by_name == NULL) {
		ap_zone_by_name = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
		ap_zone_by_tz = g_hash_table_new(NULL, NULL);
	}
	zone = g_hash_table_lookup(ap_zone_by_name, identifier);
	if (zone != NULL)
		return g_time_zone_ref(zone->tz);
	if (!ap_zone_has_file(identifier))
		return NULL;
	tz = g_time_zone_new_identifier(identifier);
	if (tz == NULL || g_strcmp0(g_time_zone_get_identifier(tz), identifier) != 0)
		return NULL;
	/* the zones of one process are few (those of its experts and
	 * customers, a few hundred at the most): they are kept for good */
	zone = ap_zone_new(tz);
	g_hash_table_insert(ap_zone_by_name, g_strdup(identifier), zone);
	g_hash_table_insert(ap_zone_by_tz, zone->tz, zone);
	return g_time_zone_ref(zone->tz);
}

static ApZone *
ap_zone_find(GTimeZone *tz)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&ap_zone_lock);

	return ap_zone_by_tz != NULL ? g_hash_table_lookup(ap_zone_by_tz, tz) : NULL;
}

/**
 * ap_zone_offset_at:
 * @tz: a zone, ideally from ap_zone_lookup()
 * @instant: Unix seconds
 * @interval: (out) (optional): which stretch of one offset @instant is
 *   in: two instants with the same value have the same offset and no
 *   change of offset between them
 *
 * What g_time_zone_get_offset() says for the interval holding @instant,
 * in logarithmic time for the zones of ap_zone_lookup().
 *
 * Returns: the offset from UTC in seconds
 */
gint32
ap_zone_offset_at(GTimeZone *tz, gint64 instant, gint *interval)
{
	ApZone *zone = ap_zone_find(tz);
	const gint64 *starts;
	guint lo = 0, hi;
	gint glib_interval;

	if (zone == NULL || instant < AP_ZONE_TABLE_FIRST || instant >= AP_ZONE_TABLE_END) {
		/* GLib's own intervals, numbered apart from the table's */
		glib_interval = ap_zone_glib_interval(tz, instant);
		if (interval != NULL)
			*interval = -1 - glib_interval;
		return g_time_zone_get_offset(tz, glib_interval);
	}
	/* the last interval that starts at or before @instant */
	starts = (const gint64 *)zone->starts->data;
	hi = zone->starts->len;
	while (hi - lo > 1) {
		guint mid = lo + (hi - lo) / 2;
		if (starts[mid] <= instant)
			lo = mid;
		else
			hi = mid;
	}
	if (interval != NULL)
		*interval = (gint)lo;
	return g_array_index(zone->offsets, gint32, lo);
}
