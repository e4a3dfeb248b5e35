/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "ap-booking.h"

G_BEGIN_DECLS

/* 256 random bits, base64url without padding */
#define AP_TOKEN_BYTES 32

gboolean
ap_secret_init(GError **error);
gchar *
ap_token_generate(const gchar *prefix);
gchar *
ap_manage_token_generate(gint64 made_ms);
gchar *
ap_token_hash(const gchar *token);
gboolean
ap_secret_equal(const gchar *a, const gchar *b);
void
ap_reference_generate(gchar out[AP_REFERENCE_LENGTH + 1]);
gchar *
ap_password_hash(const gchar *password, GError **error);
gboolean
ap_password_verify(const gchar *hash, const gchar *password);

G_END_DECLS
