/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "ap-engine.h"

G_BEGIN_DECLS

#define AP_TYPE_WEB_SERVER (ap_web_server_get_type())
G_DECLARE_FINAL_TYPE(ApWebServer, ap_web_server, AP, WEB_SERVER, GObject)

ApWebServer *
ap_web_server_new(ApEngine *engine);
gboolean
ap_web_server_set_tls_files(ApWebServer *self,
			    const gchar *certificate,
			    const gchar *key,
			    GError **error);
gboolean
ap_web_server_listen(ApWebServer *self, const gchar *host, guint16 port, GError **error);
GSList *
ap_web_server_get_uris(ApWebServer *self);
SoupServer *
ap_web_server_get_soup_server(ApWebServer *self);
GPtrArray *
ap_web_server_list_routes(ApWebServer *self);
void
ap_web_server_shutdown_async(ApWebServer *self,
			     guint timeout_seconds,
			     GCancellable *cancellable,
			     GAsyncReadyCallback callback,
			     gpointer user_data);
gboolean
ap_web_server_shutdown_finish(ApWebServer *self, GAsyncResult *result, GError **error);

G_END_DECLS
