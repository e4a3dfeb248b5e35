/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ap-web-router.h"

G_BEGIN_DECLS

/* each resource's routes, registered by ApWebServer */
void
ap_web_bookings_register(ApWebRouter *router);
void
ap_web_experts_register(ApWebRouter *router);
void
ap_web_services_register(ApWebRouter *router);
void
ap_web_slots_register(ApWebRouter *router);

G_END_DECLS
