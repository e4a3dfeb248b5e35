/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApRateLimit"

#include "ap-rate-limit.h"

#include <math.h>

/*
 * A token bucket per key (a client's address): @burst requests at once,
 * refilled at @per_minute. Pure: the caller passes the time. Buckets that
 * have filled up again are forgotten when the table grows, so memory stays
 * bounded by the number of clients active within a minute or so.
 */

#define AP_RATE_LIMIT_PRUNE_AT 10000

typedef struct {
	gdouble tokens;
	gint64 updated_us;
} ApRateBucket;

struct _ApRateLimit {
	gdouble per_us;
	gdouble burst;
	GHashTable *buckets; /* key → ApRateBucket */
};

/**
 * ap_rate_limit_new:
 * @per_minute: sustained requests a minute; 0 disables the limit
 * @burst: requests allowed at once, at least 1
 *
 * Returns: (transfer full): a limiter
 */
ApRateLimit *
ap_rate_limit_new(guint per_minute, guint burst)
{
	ApRateLimit *limit = g_new0(ApRateLimit, 1);
	limit->per_us = per_minute / (60.0 * G_USEC_PER_SEC);
	limit->burst = MAX(burst, 1);
	limit->buckets = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	return limit;
}

void
ap_rate_limit_free(ApRateLimit *limit)
{
	if (limit == NULL)
		return;
	g_hash_table_unref(limit->buckets);
	g_free(limit);
}

static gdouble
ap_rate_limit_refill(ApRateLimit *limit, ApRateBucket *bucket, gint64 now_us)
{
	gdouble elapsed = (gdouble)MAX(now_us - bucket->updated_us, 0);
	return MIN(limit->burst, bucket->tokens + elapsed * limit->per_us);
}

static void
ap_rate_limit_prune(ApRateLimit *limit, gint64 now_us)
{
	GHashTableIter iter;
	gpointer value;

	g_hash_table_iter_init(&iter, limit->buckets);
	while (g_hash_table_iter_next(&iter, NULL, &value)) {
		if (ap_rate_limit_refill(limit, value, now_us) >= limit->burst)
			g_hash_table_iter_remove(&iter);
	}
}

/**
 * ap_rate_limit_take:
 * @key: whose bucket
 * @now_us: the current monotonic time
 * @retry_after: (out) (optional): when refused, the seconds until one
 *   request is allowed again
 *
 * Returns: %TRUE if the request may go ahead
 */
gboolean
ap_rate_limit_take(ApRateLimit *limit, const gchar *key, gint64 now_us, guint *retry_after)
{
	ApRateBucket *bucket;

	if (limit->per_us <= 0)
		return TRUE;
	bucket = g_hash_table_lookup(limit->buckets, key);
	if (bucket == NULL) {
		if (g_hash_table_size(limit->buckets) >= AP_RATE_LIMIT_PRUNE_AT)
			ap_rate_limit_prune(limit, now_us);
		bucket = g_new0(ApRateBucket, 1);
		bucket->tokens = limit->burst;
		bucket->updated_us = now_us;
		g_hash_table_insert(limit->buckets, g_strdup(key), bucket);
	}
	bucket->tokens = ap_rate_limit_refill(limit, bucket, now_us);
	bucket->updated_us = MAX(now_us, bucket->updated_us);
	if (bucket->tokens >= 1.0) {
		bucket->tokens -= 1.0;
		return TRUE;
	}
	if (retry_after != NULL)
		*retry_after = (guint)ceil((1.0 - bucket->tokens) / limit->per_us / G_USEC_PER_SEC);
	return FALSE;
}

guint
ap_rate_limit_get_size(ApRateLimit *limit)
{
	return g_hash_table_size(limit->buckets);
}
