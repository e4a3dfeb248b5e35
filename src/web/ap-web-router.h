/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ap-web-request.h"

G_BEGIN_DECLS

/**
 * ApWebRoute:
 * @method: e.g. `GET`
 * @pattern: a path whose `{name}` segments match any one segment, e.g.
 *   `/api/v1/bookings/{reference}/cancel`
 * @handler: what answers it
 * @batched: the handler writes what must be durable before it is
 *   answered, and runs in a group commit (see #ApWebBatch)
 */
typedef struct {
	const gchar *method;
	const gchar *pattern;
	ApWebHandler handler;
	gboolean batched;
} ApWebRoute;

typedef struct _ApWebRouter ApWebRouter;

ApWebRouter *
ap_web_router_new(void);
void
ap_web_router_free(ApWebRouter *router);
void
ap_web_router_add(ApWebRouter *router, const ApWebRoute *routes, guint n_routes);
const ApWebRoute *
ap_web_router_match(ApWebRouter *router,
		    const gchar *method,
		    const gchar *path,
		    GHashTable **params,
		    gchar **allow);
GPtrArray *
ap_web_router_list(ApWebRouter *router);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(ApWebRouter, ap_web_router_free)

G_END_DECLS
