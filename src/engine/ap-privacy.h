/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ap-engine.h"

G_BEGIN_DECLS

#define AP_PRIVACY_ERASE_REASON "erased at the customer's request"

gint
ap_privacy_sweep(ApEngine *engine, GError **error);
gboolean
ap_privacy_erase(ApEngine *engine,
		 const gchar *email,
		 const gchar *actor,
		 guint *cancelled,
		 guint *anonymised,
		 GError **error);

G_END_DECLS
