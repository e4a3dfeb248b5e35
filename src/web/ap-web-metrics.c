/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApWeb"

#include "ap-web-metrics.h"

#include <string.h>

/*
 * Counters for GET /metrics in Prometheus' text format (version 0.0.4):
 * requests by method, route and status, one latency histogram, and the
 * bookings made, moved and cancelled. Label values are route patterns and
 * fixed words, never anything a client sent.
 */

static const gdouble ap_web_metrics_buckets[] = {
	0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5};

struct _ApWebMetrics {
	GHashTable *requests; /* "method\troute\tstatus" → guint64* */
	GHashTable *bookings; /* event → guint64* */
	guint64 buckets[G_N_ELEMENTS(ap_web_metrics_buckets)];
	guint64 count;
	gdouble sum;
};

ApWebMetrics *
ap_web_metrics_new(void)
{
	ApWebMetrics *metrics = g_new0(ApWebMetrics, 1);
	metrics->requests = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	metrics->bookings = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	return metrics;
}

void
ap_web_metrics_free(ApWebMetrics *metrics)
{
	if (metrics == NULL)
		return;
	g_hash_table_unref(metrics->requests);
	g_hash_table_unref(metrics->bookings);
	g_free(metrics);
}

static void
ap_web_metrics_increment(GHashTable *table, const gchar *key)
{
	guint64 *value = g_hash_table_lookup(table, key);

	if (value == NULL) {
		value = g_new0(guint64, 1);
		g_hash_table_insert(table, g_strdup(key), value);
	}
	(*value)++;
}

void
ap_web_metrics_observe(ApWebMetrics *metrics,
		       const gchar *method,
		       const gchar *route,
		       const gchar *status,
		       gdouble seconds)
{
	/* once a request: the key is put together on the stack, and only a
	 * new one is copied. Methods, routes and statuses are few and short */
	gchar key[256];
	gsize method_len = strlen(method), route_len = strlen(route), status_len = strlen(status);

	if (method_len + route_len + status_len + 3 <= sizeof(key)) {
		gchar *at = g_stpcpy(key, method);

		*at++ = '\t';
		at = g_stpcpy(at, route);
		*at++ = '\t';
		g_stpcpy(at, status);
		ap_web_metrics_increment(metrics->requests, key);
	} else {
		g_autofree gchar *long_key = g_strjoin("\t", method, route, status, NULL);
		ap_web_metrics_increment(metrics->requests, long_key);
	}
	for (guint i = 0; i < G_N_ELEMENTS(ap_web_metrics_buckets); i++) {
		if (seconds <= ap_web_metrics_buckets[i])
			metrics->buckets[i]++;
	}
	metrics->count++;
	metrics->sum += seconds;
}

/**
 * ap_web_metrics_count_booking:
 * @event: `created`, `rescheduled` or `cancelled`
 */
void
ap_web_metrics_count_booking(ApWebMetrics *metrics, const gchar *event)
{
	ap_web_metrics_increment(metrics->bookings, event);
}

static gint
ap_web_metrics_cmp(gconstpointer a, gconstpointer b)
{
	return g_strcmp0(*(const gchar *const *)a, *(const gchar *const *)b);
}

/* the keys of @table, sorted, so the output is stable */
static GPtrArray *
ap_web_metrics_sorted_keys(GHashTable *table)
{
	GPtrArray *keys = g_ptr_array_new();
	GHashTableIter iter;
	gpointer key;

	g_hash_table_iter_init(&iter, table);
	while (g_hash_table_iter_next(&iter, &key, NULL))
		g_ptr_array_add(keys, key);
	g_ptr_array_sort(keys, ap_web_metrics_cmp);
	return keys;
}

/**
 * ap_web_metrics_render:
 *
 * @outbox: (nullable): the outbox's counts
 * @db: (nullable): the database's write-ahead log
 *
 * Returns: (transfer full): the Prometheus text exposition
 */
gchar *
ap_web_metrics_render(ApWebMetrics *metrics, const ApOutboxStats *outbox, const ApWebMetricsDb *db)
{
	GString *out = g_string_new(NULL);
	g_autoptr(GPtrArray) requests = ap_web_metrics_sorted_keys(metrics->requests);
	g_autoptr(GPtrArray) bookings = ap_web_metrics_sorted_keys(metrics->bookings);

	g_string_append(out,
			"# HELP appoint_http_requests_total HTTP requests answered.\n"
			"# TYPE appoint_http_requests_total counter\n");
	for (guint i = 0; i < requests->len; i++) {
		const gchar *key = g_ptr_array_index(requests, i);
		g_auto(GStrv) parts = g_strsplit(key, "\t", 3);
		guint64 *value = g_hash_table_lookup(metrics->requests, key);
		g_string_append_printf(
			out,
			"appoint_http_requests_total{method=\"%s\",route=\"%s\",status=\"%s\"} "
			"%" G_GUINT64_FORMAT "\n",
			parts[0],
			parts[1],
			parts[2],
			*value);
	}
	g_string_append(out,
			"# HELP appoint_http_request_duration_seconds Time to answer a request.\n"
			"# TYPE appoint_http_request_duration_seconds histogram\n");
	for (guint i = 0; i < G_N_ELEMENTS(ap_web_metrics_buckets); i++)
		g_string_append_printf(
			out,
			"appoint_http_request_duration_seconds_bucket{le=\"%g\"} %" G_GUINT64_FORMAT
			"\n",
			ap_web_metrics_buckets[i],
			metrics->buckets[i]);
	g_string_append_printf(
		out,
		"appoint_http_request_duration_seconds_bucket{le=\"+Inf\"} %" G_GUINT64_FORMAT "\n"
		"appoint_http_request_duration_seconds_sum %.6f\n"
		"appoint_http_request_duration_seconds_count %" G_GUINT64_FORMAT "\n",
		metrics->count,
		metrics->sum,
		metrics->count);
	g_string_append(out,
			"# HELP appoint_bookings_total Bookings made, moved and cancelled.\n"
			"# TYPE appoint_bookings_total counter\n");
	for (guint i = 0; i < bookings->len; i++) {
		const gchar *key = g_ptr_array_index(bookings, i);
		g_string_append_printf(out,
				       "appoint_bookings_total{event=\"%s\"} %" G_GUINT64_FORMAT
				       "\n",
				       key,
				       *(guint64 *)g_hash_table_lookup(metrics->bookings, key));
	}
	if (outbox != NULL)
		g_string_append_printf(
			out,
			"# HELP appoint_outbox_pending Emails waiting to be delivered.\n"
			"# TYPE appoint_outbox_pending gauge\n"
			"appoint_outbox_pending %" G_GUINT64_FORMAT "\n"
			"# HELP appoint_outbox_dead Emails the relay refused for good, "
			"waiting for staff.\n"
			"# TYPE appoint_outbox_dead gauge\n"
			"appoint_outbox_dead %" G_GUINT64_FORMAT "\n"
			"# HELP appoint_outbox_scheduled Reminders written, waiting for their time "
			"(written up to 15 minutes ahead).\n"
			"# TYPE appoint_outbox_scheduled gauge\n"
			"appoint_outbox_scheduled %" G_GUINT64_FORMAT "\n"
			"# HELP appoint_outbox_reminders_planned_until_seconds Unix time before "
			"which every reminder is written; behind the clock, the planner is stuck.\n"
			"# TYPE appoint_outbox_reminders_planned_until_seconds gauge\n"
			"appoint_outbox_reminders_planned_until_seconds %" G_GINT64_FORMAT "\n",
			outbox->pending,
			outbox->dead,
			outbox->scheduled,
			outbox->reminders_planned_until);
	/* the write-ahead log, which a reader that never lets go keeps growing */
	if (db != NULL)
		g_string_append_printf(
			out,
			"# HELP appoint_db_checkpoints_total Checkpoints of the write-ahead log "
			"run on the checkpointer's thread.\n"
			"# TYPE appoint_db_checkpoints_total counter\n"
			"appoint_db_checkpoints_total %" G_GUINT64_FORMAT "\n"
			"# HELP appoint_db_wal_bytes Size of the write-ahead log on disk.\n"
			"# TYPE appoint_db_wal_bytes gauge\n"
			"appoint_db_wal_bytes %" G_GINT64_FORMAT "\n",
			db->checkpoints,
			db->wal_bytes);
	return g_string_free(out, FALSE);
}
