/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * ApWebCache:
 *
 * Answers kept for reuse, each valid while the store's generation (see
 * ap_store_get_generation()) is the one it was computed at and the clock
 * has not reached its end. A booking anywhere, by this process or by
 * appointctl, changes the generation, so nothing stale is ever served.
 * Bounded: when full, what is stale goes first, then everything.
 *
 * An answer may also be computed ahead, for the instant the one kept
 * now ends; it is kept behind it and served from then, so that a
 * question asked all the time is not left unanswered while it is
 * computed again.
 */
typedef struct _ApWebCache ApWebCache;

ApWebCache *
ap_web_cache_new(guint max_entries);
void
ap_web_cache_free(ApWebCache *self);
GBytes *
ap_web_cache_lookup(
	ApWebCache *self, const gchar *key, guint64 generation, gint64 now, gint64 *kept_until);
void
ap_web_cache_insert(ApWebCache *self,
		    const gchar *key,
		    GBytes *body,
		    guint64 generation,
		    gint64 valid_from,
		    gint64 valid_until);
guint
ap_web_cache_get_size(ApWebCache *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(ApWebCache, ap_web_cache_free)

G_END_DECLS
