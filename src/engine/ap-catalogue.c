/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApCatalogue"

#include "ap-catalogue.h"

struct _ApCatalogue {
	ApStore *store;
	guint64 generation;
	GHashTable *services;	/* id -> ApService */
	GHashTable *experts;	/* gint64 id -> ApExpert */
	GHashTable *by_service; /* service id -> GPtrArray of active ApExpert */
};

/**
 * ap_catalogue_new:
 * @store: where the catalogue is kept
 *
 * Returns: (transfer full): an empty cache over @store
 */
ApCatalogue *
ap_catalogue_new(ApStore *store)
{
	ApCatalogue *self = g_new0(ApCatalogue, 1);

	self->store = g_object_ref(store);
	self->services = g_hash_table_new_full(
		g_str_hash, g_str_equal, g_free, (GDestroyNotify)ap_service_unref);
	self->experts = g_hash_table_new_full(
		g_int64_hash, g_int64_equal, g_free, (GDestroyNotify)ap_expert_unref);
	self->by_service = g_hash_table_new_full(
		g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_ptr_array_unref);
	return self;
}

void
ap_catalogue_free(ApCatalogue *self)
{
	if (self == NULL)
		return;
	g_hash_table_unref(self->services);
	g_hash_table_unref(self->experts);
	g_hash_table_unref(self->by_service);
	g_object_unref(self->store);
	g_free(self);
}

/* forgets everything once the catalogue may have changed; %FALSE when the
 * store cannot say, and nothing may be kept */
static gboolean
ap_catalogue_check(ApCatalogue *self)
{
	guint64 generation = ap_store_get_catalogue_generation(self->store);

	if (generation != 0 && generation == self->generation)
		return TRUE;
	g_hash_table_remove_all(self->services);
	g_hash_table_remove_all(self->experts);
	g_hash_table_remove_all(self->by_service);
	self->generation = generation;
	return generation != 0;
}

/**
 * ap_catalogue_get_service:
 * @id: a service id
 *
 * Returns: (transfer full) (nullable): the service, active or not; shared
 */
ApService *
ap_catalogue_get_service(ApCatalogue *self, const gchar *id)
{
	gboolean keep = ap_catalogue_check(self);
	ApService *service = g_hash_table_lookup(self->services, id);

	if (service != NULL)
		return ap_service_ref(service);
	service = ap_store_service_get(self->store, id, NULL);
	if (service != NULL && keep)
		g_hash_table_insert(self->services, g_strdup(id), ap_service_ref(service));
	return service;
}

/**
 * ap_catalogue_get_expert:
 * @id: an expert id
 *
 * Returns: (transfer full) (nullable): the expert, active or not; shared
 */
ApExpert *
ap_catalogue_get_expert(ApCatalogue *self, gint64 id)
{
	gboolean keep = ap_catalogue_check(self);
	ApExpert *expert = g_hash_table_lookup(self->experts, &id);

	if (expert != NULL)
		return ap_expert_ref(expert);
	expert = ap_store_expert_get(self->store, id, NULL);
	if (expert != NULL && keep)
		g_hash_table_insert(
			self->experts, g_memdup2(&id, sizeof(id)), ap_expert_ref(expert));
	return expert;
}

static gpointer
ap_catalogue_ref_expert(gconstpointer expert, gpointer user_data)
{
	return ap_expert_ref((ApExpert *)expert);
}

/**
 * ap_catalogue_list_experts:
 * @service_id: a service id
 * @error: a #GError, or %NULL
 *
 * Returns: (transfer container) (element-type ApExpert): the active
 * experts who give @service_id, by id; shared
 */
GPtrArray *
ap_catalogue_list_experts(ApCatalogue *self, const gchar *service_id, GError **error)
{
	gboolean keep = ap_catalogue_check(self);
	GPtrArray *experts = g_hash_table_lookup(self->by_service, service_id);

	if (experts == NULL) {
		experts = ap_store_experts_list(self->store, service_id, FALSE, error);
		if (experts == NULL)
			return NULL;
		if (!keep)
			return experts;
		g_hash_table_insert(self->by_service, g_strdup(service_id), experts);
	}
	/* a new container of the same shared experts */
	return g_ptr_array_copy(experts, ap_catalogue_ref_expert, NULL);
}
