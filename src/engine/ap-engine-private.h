/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ap-engine.h"

G_BEGIN_DECLS

/* for the engine's own modules (ap-engine-book.c), not its callers */

gint64
ap_engine_get_fixed_now(ApEngine *self);
ApService *
ap_engine_get_bookable_service(ApEngine *self, const gchar *service_id, GError **error);
GArray *
ap_engine_candidates(
	ApEngine *self, const ApService *service, gint64 start, gint64 expert_id, GError **error);
gboolean
ap_engine_check_customer(const ApBookingRequest *request, const ApService *service, GError **error);
GBytes *
ap_engine_seal(ApEngine *self, const gchar *token);

G_END_DECLS
