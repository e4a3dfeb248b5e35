/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "ap-store.h"

G_BEGIN_DECLS

typedef struct _ApWebMetrics ApWebMetrics;

/**
 * ApWebMetricsDb:
 * @checkpoints: checkpoints run on the checkpointer's thread
 * @wal_bytes: the write-ahead log's size on disk
 *
 * What /metrics says of an SQLite database.
 */
typedef struct {
	guint64 checkpoints;
	gint64 wal_bytes;
} ApWebMetricsDb;

ApWebMetrics *
ap_web_metrics_new(void);
void
ap_web_metrics_free(ApWebMetrics *metrics);
void
ap_web_metrics_observe(ApWebMetrics *metrics,
		       const gchar *method,
		       const gchar *route,
		       const gchar *status,
		       gdouble seconds);
void
ap_web_metrics_count_booking(ApWebMetrics *metrics, const gchar *event);
gchar *
ap_web_metrics_render(ApWebMetrics *metrics, const ApOutboxStats *outbox, const ApWebMetricsDb *db);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(ApWebMetrics, ap_web_metrics_free)

G_END_DECLS
