/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ap-store.h"

G_BEGIN_DECLS

/**
 * ApCatalogue:
 *
 * Services and experts as the store holds them, read once and kept while
 * the store's catalogue generation (ap_store_get_catalogue_generation())
 * stands: every booking and every slot question needs them, and they
 * change far less often than customers book. What it hands out is shared:
 * read it, never change it; to edit, load a copy from the store.
 */
typedef struct _ApCatalogue ApCatalogue;

ApCatalogue *
ap_catalogue_new(ApStore *store);
void
ap_catalogue_free(ApCatalogue *self);
ApService *
ap_catalogue_get_service(ApCatalogue *self, const gchar *id);
ApExpert *
ap_catalogue_get_expert(ApCatalogue *self, gint64 id);
GPtrArray *
ap_catalogue_list_experts(ApCatalogue *self, const gchar *service_id, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(ApCatalogue, ap_catalogue_free)

G_END_DECLS
