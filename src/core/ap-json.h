/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/*
 * Strict readers of JSON members. Each sets an %AP_ERROR_INVALID error
 * starting with the member's name, never a critical: a client's JSON is
 * input, not a programmer's mistake. A member that is absent leaves *out
 * as it was unless @required.
 */

gboolean
ap_json_check_members(JsonObject *object, const gchar *const *allowed, GError **error);
gboolean
ap_json_get_string(JsonObject *object,
		   const gchar *member,
		   gboolean required,
		   const gchar **out,
		   GError **error);
gboolean
ap_json_get_uint(JsonObject *object,
		 const gchar *member,
		 guint min,
		 guint max,
		 gboolean required,
		 guint *out,
		 GError **error);
gboolean
ap_json_get_int64(
	JsonObject *object, const gchar *member, gboolean required, gint64 *out, GError **error);
gboolean
ap_json_get_bool(
	JsonObject *object, const gchar *member, gboolean required, gboolean *out, GError **error);
JsonObject *
ap_json_get_object(JsonObject *object, const gchar *member, gboolean required, GError **error);
JsonArray *
ap_json_get_array(JsonObject *object, const gchar *member, gboolean required, GError **error);
gchar *
ap_json_to_string(JsonNode *node);
JsonNode *
ap_json_from_string(const gchar *text, GError **error);

G_END_DECLS
