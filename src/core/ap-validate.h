/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* limits from the contract */
#define AP_NAME_MAX_CHARS   200
#define AP_EMAIL_MAX_CHARS  254
#define AP_PHONE_MAX_CHARS  32
#define AP_ANSWER_MAX_CHARS 2000

/*
 * Checks of client input. Each sets an %AP_ERROR_INVALID error whose
 * message starts with @field, so the HTTP edge can report it per field.
 */

gboolean
ap_validate_line(
	const gchar *value, const gchar *field, guint max_chars, gboolean required, GError **error);
gboolean
ap_validate_text(
	const gchar *value, const gchar *field, guint max_chars, gboolean required, GError **error);
gboolean
ap_validate_name(const gchar *value, const gchar *field, GError **error);
gboolean
ap_validate_email(const gchar *value, const gchar *field, GError **error);
gboolean
ap_validate_phone(const gchar *value, const gchar *field, GError **error);
gboolean
ap_validate_locale(const gchar *value, const gchar *field, GError **error);
gchar *
ap_phone_digits(const gchar *phone);
const gchar *
ap_phone_significant(const gchar *digits);

G_END_DECLS
