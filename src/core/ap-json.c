/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApJson"

#include "ap-json.h"

#include "ap-error.h"

/**
 * ap_json_check_members:
 * @object: a JSON object
 * @allowed: (array zero-terminated=1): the member names it may have
 * @error: a #GError, or %NULL
 *
 * Refuses unknown members, so that a misspelt field is an error rather
 * than silently ignored.
 *
 * Returns: %TRUE if every member is allowed
 */
gboolean
ap_json_check_members(JsonObject *object, const gchar *const *allowed, GError **error)
{
	JsonObjectIter iter;
	const gchar *name;

	json_object_iter_init(&iter, object);
	while (json_object_iter_next(&iter, &name, NULL)) {
		if (!g_strv_contains(allowed, name)) {
			g_set_error(error,
				    AP_ERROR,
				    AP_ERROR_INVALID,
				    "%s: is not a known field",
				    name);
			return FALSE;
		}
	}
	return TRUE;
}

/* the member's node, NULL when absent; JSON null counts as absent */
static JsonNode *
ap_json_member(JsonObject *object,
	       const gchar *member,
	       gboolean required,
	       gboolean *present,
	       GError **error)
{
	JsonNode *node = json_object_get_member(object, member);

	*present = node != NULL && !JSON_NODE_HOLDS_NULL(node);
	if (!*present && required) {
		g_set_error(error, AP_ERROR, AP_ERROR_INVALID, "%s: is required", member);
		return NULL;
	}
	return *present ? node : NULL;
}

gboolean
ap_json_get_string(JsonObject *object,
		   const gchar *member,
		   gboolean required,
		   const gchar **out,
		   GError **error)
{
	gboolean present;
	JsonNode *node = ap_json_member(object, member, required, &present, error);

	if (node == NULL)
		return !required;
	if (!JSON_NODE_HOLDS_VALUE(node) || json_node_get_value_type(node) != G_TYPE_STRING) {
		g_set_error(error, AP_ERROR, AP_ERROR_INVALID, "%s: must be a string", member);
		return FALSE;
	}
	*out = json_node_get_string(node);
	return TRUE;
}

gboolean
ap_json_get_int64(
	JsonObject *object, const gchar *member, gboolean required, gint64 *out, GError **error)
{
	gboolean present;
	JsonNode *node = ap_json_member(object, member, required, &present, error);

	if (node == NULL)
		return !required;
	if (!JSON_NODE_HOLDS_VALUE(node) || json_node_get_value_type(node) != G_TYPE_INT64) {
		g_set_error(
			error, AP_ERROR, AP_ERROR_INVALID, "%s: must be a whole number", member);
		return FALSE;
	}
	*out = json_node_get_int(node);
	return TRUE;
}

gboolean
ap_json_get_uint(JsonObject *object,
		 const gchar *member,
		 guint min,
		 guint max,
		 gboolean required,
		 guint *out,
		 GError **error)
{
	gint64 value = 0;
	gboolean present;

	if (ap_json_member(object, member, required, &present, error) == NULL)
		return !required;
	if (!ap_json_get_int64(object, member, TRUE, &value, error))
		return FALSE;
	if (value < (gint64)min || value > (gint64)max) {
		g_set_error(error,
			    AP_ERROR,
			    AP_ERROR_INVALID,
			    "%s: must be between %u and %u",
			    member,
			    min,
			    max);
		return FALSE;
	}
	*out = (guint)value;
	return TRUE;
}

gboolean
ap_json_get_bool(
	JsonObject *object, const gchar *member, gboolean required, gboolean *out, GError **error)
{
	gboolean present;
	JsonNode *node = ap_json_member(object, member, required, &present, error);

	if (node == NULL)
		return !required;
	if (!JSON_NODE_HOLDS_VALUE(node) || json_node_get_value_type(node) != G_TYPE_BOOLEAN) {
		g_set_error(error, AP_ERROR, AP_ERROR_INVALID, "%s: must be true or false", member);
		return FALSE;
	}
	*out = json_node_get_boolean(node);
	return TRUE;
}

/**
 * ap_json_get_object:
 *
 * Returns: (transfer none) (nullable): the member, or %NULL when absent
 * (check @error when @required) or not an object (@error set)
 */
JsonObject *
ap_json_get_object(JsonObject *object, const gchar *member, gboolean required, GError **error)
{
	gboolean present;
	JsonNode *node = ap_json_member(object, member, required, &present, error);

	if (node == NULL)
		return NULL;
	if (!JSON_NODE_HOLDS_OBJECT(node)) {
		g_set_error(error, AP_ERROR, AP_ERROR_INVALID, "%s: must be an object", member);
		return NULL;
	}
	return json_node_get_object(node);
}

/**
 * ap_json_get_array:
 *
 * Returns: (transfer none) (nullable): the member, as ap_json_get_object()
 */
JsonArray *
ap_json_get_array(JsonObject *object, const gchar *member, gboolean required, GError **error)
{
	gboolean present;
	JsonNode *node = ap_json_member(object, member, required, &present, error);

	if (node == NULL)
		return NULL;
	if (!JSON_NODE_HOLDS_ARRAY(node)) {
		g_set_error(error, AP_ERROR, AP_ERROR_INVALID, "%s: must be an array", member);
		return NULL;
	}
	return json_node_get_array(node);
}

/**
 * ap_json_to_string:
 * @node: a JSON node
 *
 * Returns: (transfer full): compact JSON text
 */
gchar *
ap_json_to_string(JsonNode *node)
{
	return json_to_string(node, FALSE);
}

/**
 * ap_json_from_string:
 * @text: JSON text
 * @error: a #GError, or %NULL
 *
 * Returns: (transfer full) (nullable): the root node
 */
JsonNode *
ap_json_from_string(const gchar *text, GError **error)
{
	g_autoptr(GError) error_local = NULL;
	JsonNode *node = json_from_string(text, &error_local);

	if (node == NULL) {
		g_set_error(error,
			    AP_ERROR,
			    AP_ERROR_INVALID,
			    "not JSON: %s",
			    error_local != NULL ? error_local->message : "empty");
		return NULL;
	}
	return node;
}
