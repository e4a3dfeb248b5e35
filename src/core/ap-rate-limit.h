/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _ApRateLimit ApRateLimit;

ApRateLimit *
ap_rate_limit_new(guint per_minute, guint burst);
void
ap_rate_limit_free(ApRateLimit *limit);
gboolean
ap_rate_limit_take(ApRateLimit *limit, const gchar *key, gint64 now_us, guint *retry_after);
guint
ap_rate_limit_get_size(ApRateLimit *limit);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(ApRateLimit, ap_rate_limit_free)

G_END_DECLS
