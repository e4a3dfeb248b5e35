/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApWeb"

#include "ap-web-cache.h"

typedef struct {
	GBytes *body;
	guint64 generation;
	gint64 valid_until;
} ApWebCacheEntry;

struct _ApWebCache {
	GHashTable *entries; /* key -> ApWebCacheEntry */
	guint max_entries;
};

static void
ap_web_cache_entry_free(ApWebCacheEntry *entry)
{
	g_bytes_unref(entry->body);
	g_free(entry);
}

/**
 * ap_web_cache_new:
 * @max_entries: how many answers to keep at the most
 *
 * Returns: (transfer full): an empty cache
 */
ApWebCache *
ap_web_cache_new(guint max_entries)
{
	ApWebCache *self = g_new0(ApWebCache, 1);

	self->entries = g_hash_table_new_full(
		g_str_hash, g_str_equal, g_free, (GDestroyNotify)ap_web_cache_entry_free);
	self->max_entries = MAX(max_entries, 1);
	return self;
}

void
ap_web_cache_free(ApWebCache *self)
{
	if (self == NULL)
		return;
	g_hash_table_unref(self->entries);
	g_free(self);
}

static gboolean
ap_web_cache_entry_is_valid(const ApWebCacheEntry *entry, guint64 generation, gint64 now)
{
	return generation != 0 && entry->generation == generation && now < entry->valid_until;
}

/**
 * ap_web_cache_lookup:
 * @key: what was asked
 * @generation: the store's generation now
 * @now: the current instant
 *
 * Returns: (transfer full) (nullable): the answer kept for @key, if it is
 * still right
 */
GBytes *
ap_web_cache_lookup(ApWebCache *self, const gchar *key, guint64 generation, gint64 now)
{
	ApWebCacheEntry *entry = g_hash_table_lookup(self->entries, key);

	if (entry == NULL)
		return NULL;
	if (!ap_web_cache_entry_is_valid(entry, generation, now)) {
		g_hash_table_remove(self->entries, key);
		return NULL;
	}
	return g_bytes_ref(entry->body);
}

/**
 * ap_web_cache_insert:
 * @key: what was asked
 * @body: the answer
 * @generation: the store's generation when the answer was computed; 0
 *   keeps nothing
 * @valid_until: the first instant at which the answer may be wrong
 */
void
ap_web_cache_insert(
	ApWebCache *self, const gchar *key, GBytes *body, guint64 generation, gint64 valid_until)
{
	ApWebCacheEntry *entry;

	if (generation == 0)
		return;
	if (g_hash_table_size(self->entries) >= self->max_entries) {
		GHashTableIter iter;
		gpointer value;

		/* answers of older generations can never be served again */
		g_hash_table_iter_init(&iter, self->entries);
		while (g_hash_table_iter_next(&iter, NULL, &value)) {
			if (((ApWebCacheEntry *)value)->generation != generation)
				g_hash_table_iter_remove(&iter);
		}
		if (g_hash_table_size(self->entries) >= self->max_entries)
			g_hash_table_remove_all(self->entries);
	}
	entry = g_new0(ApWebCacheEntry, 1);
	entry->body = g_bytes_ref(body);
	entry->generation = generation;
	entry->valid_until = valid_until;
	g_hash_table_replace(self->entries, g_strdup(key), entry);
}

guint
ap_web_cache_get_size(ApWebCache *self)
{
	return g_hash_table_size(self->entries);
}
