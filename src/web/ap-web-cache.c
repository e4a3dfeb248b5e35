/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApWeb"

#include "ap-web-cache.h"

typedef struct _ApWebCacheEntry ApWebCacheEntry;

struct _ApWebCacheEntry {
	GBytes *body;
	guint64 generation;
	gint64 valid_from;
	gint64 valid_until;
	/* (nullable): the answer computed ahead for when this one ends */
	ApWebCacheEntry *next;
};

struct _ApWebCache {
	GHashTable *entries; /* key -> ApWebCacheEntry */
	guint max_entries;
};

/* with the answer computed ahead of it, if any */
static void
ap_web_cache_entry_free(ApWebCacheEntry *entry)
{
	while (entry != NULL) {
		ApWebCacheEntry *next = entry->next;

		g_bytes_unref(entry->body);
		g_free(entry);
		entry = next;
	}
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
	return generation != 0 && entry->generation == generation && now >= entry->valid_from &&
	       now < entry->valid_until;
}

/**
 * ap_web_cache_lookup:
 * @key: what was asked
 * @generation: the store's generation now
 * @now: the current instant
 * @kept_until: (out) (optional): when what is kept for @key runs out,
 *   the answer computed ahead included (see ap_web_cache_insert())
 *
 * Returns: (transfer full) (nullable): the answer kept for @key, if it is
 * still right
 */
GBytes *
ap_web_cache_lookup(
	ApWebCache *self, const gchar *key, guint64 generation, gint64 now, gint64 *kept_until)
{
	ApWebCacheEntry *entry = g_hash_table_lookup(self->entries, key);

	if (entry == NULL)
		return NULL;
	/* its time up: the answer computed ahead for then takes over */
	while (now >= entry->valid_until && entry->next != NULL) {
		ApWebCacheEntry *next = g_steal_pointer(&entry->next);

		g_hash_table_replace(self->entries, g_strdup(key), next);
		entry = next;
	}
	/* computed ahead, for later, with nothing kept before it */
	if (generation != 0 && entry->generation == generation && now < entry->valid_from)
		return NULL;
	if (!ap_web_cache_entry_is_valid(entry, generation, now)) {
		g_hash_table_remove(self->entries, key);
		return NULL;
	}
	if (kept_until != NULL) {
		*kept_until = entry->valid_until;
		for (const ApWebCacheEntry *e = entry->next;
		     e != NULL && e->generation == entry->generation &&
		     e->valid_from <= *kept_until;
		     e = e->next)
			*kept_until = e->valid_until;
	}
	return g_bytes_ref(entry->body);
}

/**
 * ap_web_cache_insert:
 * @key: what was asked
 * @body: the answer
 * @generation: the store's generation when the answer was computed; 0
 *   keeps nothing
 * @valid_from: the instant the answer was computed for; one computed
 *   ahead, for when the answer kept now ends, waits for then
 * @valid_until: the first instant at which the answer may be wrong
 */
void
ap_web_cache_insert(ApWebCache *self,
		    const gchar *key,
		    GBytes *body,
		    guint64 generation,
		    gint64 valid_from,
		    gint64 valid_until)
{
	ApWebCacheEntry *entry;
	ApWebCacheEntry *current;

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
	entry->valid_from = valid_from;
	entry->valid_until = valid_until;
	current = g_hash_table_lookup(self->entries, key);
	/* computed for when an answer kept, of the same generation, ends:
	 * kept behind it until its time comes, in place of what followed */
	for (ApWebCacheEntry *e = current; e != NULL; e = e->next) {
		if (e->generation == generation && e->valid_from < valid_from &&
		    valid_from <= e->valid_until) {
			if (e->next != NULL)
				ap_web_cache_entry_free(e->next);
			e->next = entry;
			return;
		}
	}
	/* and before what was computed ahead for when it ends */
	if (current != NULL && current->generation == generation &&
	    valid_from < current->valid_from && current->valid_from <= valid_until) {
		gpointer old_key = NULL;
		gpointer old_value = NULL;

		g_hash_table_steal_extended(self->entries, key, &old_key, &old_value);
		g_free(old_key);
		entry->next = old_value;
		g_hash_table_insert(self->entries, g_strdup(key), entry);
		return;
	}
	g_hash_table_replace(self->entries, g_strdup(key), entry);
}

guint
ap_web_cache_get_size(ApWebCache *self)
{
	return g_hash_table_size(self->entries);
}
