/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ap-web-router.h"

G_BEGIN_DECLS

#define AP_WEB_SESSION_COOKIE  "appoint_session"
#define AP_WEB_CSRF_HEADER     "X-CSRF-Token"
#define AP_WEB_SESSION_SECONDS (12 * 3600)

ApPrincipal *
ap_web_auth_from_headers(ApEngine *engine, SoupServerMessage *msg, GError **error);
void
ap_web_auth_register(ApWebRouter *router);

G_END_DECLS
