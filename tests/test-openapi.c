/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <json-glib/json-glib.h>
#include <string.h>

#include "ap-config.h"
#include "ap-engine.h"
#include "ap-secret.h"
#include "ap-sqlite-store.h"
#include "ap-web-router.h"
#include "ap-web-server.h"

/*
 * docs/openapi.json against the route table the server really builds:
 * every route served is documented, every operation documented is
 * served, and each operation says what it is called and how it fails.
 * A route added without its documentation, or documentation left behind
 * by a removed route, fails here rather than in a client.
 */

typedef struct {
	ApConfig *config;
	ApStore *store;
	ApEngine *engine;
	ApWebServer *server;
	GPtrArray *routes; /* of ApWebRoute, owned by the server */
	JsonParser *parser;
	JsonObject *doc;
	JsonObject *paths;
} Fixture;

/* the keys of a path item that name operations (OpenAPI 3.1, 4.8.9) */
static const gchar *const openapi_methods[] = {
	"get", "put", "post", "delete", "options", "head", "patch", "trace", NULL};

/* the other keys a path item may have */
static const gchar *const openapi_path_fields[] = {
	"summary", "description", "servers", "parameters", "$ref", NULL};

/* logs one mismatch and counts it, so that a run shows all of them and
 * not only the last (g_test_fail_printf() keeps one message) */
G_GNUC_PRINTF(2, 3)
static void
report(guint *n_problems, const gchar *format, ...)
{
	g_autofree gchar *text = NULL;
	va_list args;

	va_start(args, format);
	text = g_strdup_vprintf(format, args);
	va_end(args);
	g_test_message("%s", text);
	(*n_problems)++;
}

static void
fail_if_reported(guint n_problems)
{
	if (n_problems > 0)
		g_test_fail_printf(
			"%u mismatch(es) between the routes and docs/openapi.json; see above",
			n_problems);
}

/* @object's member @name if it is an object, else NULL; json-glib's own
 * getters are critical about a missing member */
static JsonObject *
member_object(JsonObject *object, const gchar *name)
{
	JsonNode *node = object != NULL ? json_object_get_member(object, name) : NULL;
	return node != NULL && JSON_NODE_HOLDS_OBJECT(node) ? json_node_get_object(node) : NULL;
}

static JsonArray *
member_array(JsonObject *object, const gchar *name)
{
	JsonNode *node = object != NULL ? json_object_get_member(object, name) : NULL;
	return node != NULL && JSON_NODE_HOLDS_ARRAY(node) ? json_node_get_array(node) : NULL;
}

static void
fixture_set_up(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *path =
		g_test_build_filename(G_TEST_DIST, "..", "docs", "openapi.json", NULL);
	g_autofree gchar *data_dir = g_build_filename(g_get_user_data_dir(), "appoint", NULL);
	JsonNode *root;

	/* the isolated data dir is this test's own, and goes with it */
	g_assert_cmpint(g_mkdir_with_parents(data_dir, 0700), ==, 0);
	f->config = ap_config_new_default();
	g_free(f->config->database_path);
	f->config->database_path = g_build_filename(data_dir, "openapi.db", NULL);
	f->store = ap_sqlite_store_new(f->config->database_path, &error);
	g_assert_no_error(error);
	g_assert_nonnull(f->store);
	f->engine = ap_engine_new(f->config, f->store, &error);
	g_assert_no_error(error);
	g_assert_nonnull(f->engine);
	f->server = ap_web_server_new(f->engine);
	f->routes = ap_web_server_list_routes(f->server);
	g_assert_nonnull(f->routes);
	g_assert_cmpuint(f->routes->len, >, 0);

	f->parser = json_parser_new();
	g_test_message("reading %s", path);
	json_parser_load_from_file(f->parser, path, &error);
	g_assert_no_error(error);
	root = json_parser_get_root(f->parser);
	g_assert_nonnull(root);
	g_assert_true(JSON_NODE_HOLDS_OBJECT(root));
	f->doc = json_node_get_object(root);
	f->paths = member_object(f->doc, "paths");
	g_assert_nonnull(f->paths);
}

static void
fixture_tear_down(Fixture *f, gconstpointer user_data)
{
	g_clear_pointer(&f->routes, g_ptr_array_unref);
	g_clear_object(&f->parser);
	g_clear_object(&f->server);
	g_clear_object(&f->engine);
	g_clear_object(&f->store);
	g_clear_pointer(&f->config, ap_config_free);
}

/* paths[pattern][method], or NULL when not documented */
static JsonObject *
fixture_lookup_operation(Fixture *f, const gchar *pattern, const gchar *method)
{
	return member_object(member_object(f->paths, pattern), method);
}

/* whether the server has a route for @method (upper case) on @pattern */
static gboolean
fixture_serves(Fixture *f, const gchar *method, const gchar *pattern)
{
	for (guint i = 0; i < f->routes->len; i++) {
		const ApWebRoute *route = g_ptr_array_index(f->routes, i);
		if (g_strcmp0(route->method, method) == 0 &&
		    g_strcmp0(route->pattern, pattern) == 0)
			return TRUE;
	}
	return FALSE;
}

/* follows a local "#/a/b/c" reference; NULL if it leads nowhere */
static JsonNode *
fixture_resolve(Fixture *f, const gchar *ref)
{
	g_auto(GStrv) parts = NULL;
	JsonNode *node = json_parser_get_root(f->parser);

	if (!g_str_has_prefix(ref, "#/"))
		return NULL;
	parts = g_strsplit(ref + 2, "/", -1);
	for (guint i = 0; parts[i] != NULL; i++) {
		if (node == NULL || !JSON_NODE_HOLDS_OBJECT(node))
			return NULL;
		node = json_object_get_member(json_node_get_object(node), parts[i]);
	}
	return node;
}

/* the object itself, or the one its $ref names */
static JsonObject *
fixture_deref(Fixture *f, JsonNode *node)
{
	JsonObject *object;
	const gchar *ref;

	if (node == NULL || !JSON_NODE_HOLDS_OBJECT(node))
		return NULL;
	object = json_node_get_object(node);
	ref = json_object_get_string_member_with_default(object, "$ref", NULL);
	if (ref == NULL)
		return object;
	node = fixture_resolve(f, ref);
	if (node == NULL || !JSON_NODE_HOLDS_OBJECT(node))
		return NULL;
	return json_node_get_object(node);
}

static void
test_openapi_header(Fixture *f, gconstpointer user_data)
{
	const gchar *version = json_object_get_string_member_with_default(f->doc, "openapi", "");
	JsonObject *info = member_object(f->doc, "info");
	JsonObject *schemes = member_object(member_object(f->doc, "components"), "securitySchemes");

	g_assert_true(g_str_has_prefix(version, "3.1."));
	g_assert_nonnull(info);
	g_assert_nonnull(json_object_get_string_member_with_default(info, "title", NULL));
	g_assert_nonnull(json_object_get_string_member_with_default(info, "version", NULL));
	g_assert_nonnull(schemes);
	g_assert_cmpuint(json_object_get_size(schemes), >, 0);
}

/* every route the server answers is documented under its own pattern */
static void
test_openapi_routes_documented(Fixture *f, gconstpointer user_data)
{
	guint n_problems = 0;

	for (guint i = 0; i < f->routes->len; i++) {
		const ApWebRoute *route = g_ptr_array_index(f->routes, i);
		g_autofree gchar *method = g_ascii_strdown(route->method, -1);
		g_test_message("served: %s %s", route->method, route->pattern);
		if (fixture_lookup_operation(f, route->pattern, method) == NULL) {
			report(&n_problems,
			       "%s %s is served but not in docs/openapi.json",
			       route->method,
			       route->pattern);
		}
	}
	fail_if_reported(n_problems);
}

/* every operation documented is served, and a path item has nothing else
 * than operations and the fields OpenAPI allows beside them */
static void
test_openapi_documented_served(Fixture *f, gconstpointer user_data)
{
	JsonObjectIter paths_iter;
	const gchar *pattern;
	JsonNode *item;
	guint n_operations = 0;
	guint n_problems = 0;

	json_object_iter_init(&paths_iter, f->paths);
	while (json_object_iter_next(&paths_iter, &pattern, &item)) {
		JsonObjectIter item_iter;
		const gchar *key;

		g_assert_true(JSON_NODE_HOLDS_OBJECT(item));
		json_object_iter_init(&item_iter, json_node_get_object(item));
		while (json_object_iter_next(&item_iter, &key, NULL)) {
			g_autofree gchar *method = NULL;
			if (!g_strv_contains(openapi_methods, key)) {
				if (!g_strv_contains(openapi_path_fields, key) &&
				    !g_str_has_prefix(key, "x-"))
					report(&n_problems,
					       "%s: '%s' is not a field of a path item",
					       pattern,
					       key);
				continue;
			}
			method = g_ascii_strup(key, -1);
			n_operations++;
			if (!fixture_serves(f, method, pattern))
				report(&n_problems,
				       "%s %s is in docs/openapi.json but not served",
				       method,
				       pattern);
		}
	}
	fail_if_reported(n_problems);
	g_assert_cmpuint(n_operations, ==, f->routes->len);
}

/* an operationId, unique; at least one 4xx; every {name} of the path a
 * required path parameter */
static void
test_openapi_operations(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GHashTable) ids = g_hash_table_new(g_str_hash, g_str_equal);
	guint n_problems = 0;

	for (guint i = 0; i < f->routes->len; i++) {
		const ApWebRoute *route = g_ptr_array_index(f->routes, i);
		g_autofree gchar *method = g_ascii_strdown(route->method, -1);
		JsonObject *item = member_object(f->paths, route->pattern);
		JsonObject *operation = fixture_lookup_operation(f, route->pattern, method);
		const gchar *id;
		JsonObject *responses;
		JsonObjectIter iter;
		const gchar *status;
		JsonNode *response;
		guint n_client_errors = 0;
		g_auto(GStrv) segments = NULL;

		if (operation == NULL)
			continue; /* reported by test_openapi_routes_documented() */
		id = json_object_get_string_member_with_default(operation, "operationId", NULL);
		if (id == NULL || *id == '\0') {
			report(&n_problems,
			       "%s %s has no operationId",
			       route->method,
			       route->pattern);
		} else if (!g_hash_table_add(ids, (gpointer)id)) {
			report(&n_problems, "operationId %s is used twice", id);
		}

		responses = member_object(operation, "responses");
		if (responses == NULL) {
			report(&n_problems,
			       "%s %s has no responses",
			       route->method,
			       route->pattern);
			continue;
		}
		json_object_iter_init(&iter, responses);
		while (json_object_iter_next(&iter, &status, &response)) {
			JsonObject *resolved = fixture_deref(f, response);
			if (resolved == NULL) {
				report(&n_problems,
				       "%s %s: response %s has a broken $ref",
				       route->method,
				       route->pattern,
				       status);
				continue;
			}
			if (!json_object_has_member(resolved, "description"))
				report(&n_problems,
				       "%s %s: response %s has no description",
				       route->method,
				       route->pattern,
				       status);
			if (strlen(status) == 3 && status[0] == '4' && g_ascii_isdigit(status[1]) &&
			    g_ascii_isdigit(status[2]))
				n_client_errors++;
		}
		if (n_client_errors == 0)
			report(&n_problems,
			       "%s %s documents no 4xx response",
			       route->method,
			       route->pattern);

		/* path parameters may sit on the path item or the operation */
		segments = g_strsplit(route->pattern, "/", -1);
		for (guint s = 0; segments[s] != NULL; s++) {
			gsize len = strlen(segments[s]);
			g_autofree gchar *name = NULL;
			gboolean found = FALSE;
			JsonArray *lists[2] = {member_array(item, "parameters"),
					       member_array(operation, "parameters")};

			if (len < 3 || segments[s][0] != '{' || segments[s][len - 1] != '}')
				continue;
			name = g_strndup(segments[s] + 1, len - 2);
			for (guint l = 0; l < G_N_ELEMENTS(lists) && !found; l++) {
				for (guint p = 0;
				     lists[l] != NULL && p < json_array_get_length(lists[l]);
				     p++) {
					JsonObject *param = fixture_deref(
						f, json_array_get_element(lists[l], p));
					if (param != NULL &&
					    g_strcmp0(json_object_get_string_member_with_default(
							      param, "in", NULL),
						      "path") == 0 &&
					    g_strcmp0(json_object_get_string_member_with_default(
							      param, "name", NULL),
						      name) == 0 &&
					    json_object_get_boolean_member_with_default(
						    param, "required", FALSE)) {
						found = TRUE;
						break;
					}
				}
			}
			if (!found)
				report(&n_problems,
				       "%s %s: {%s} is not a required path parameter",
				       route->method,
				       route->pattern,
				       name);
		}
	}
	fail_if_reported(n_problems);
}

/* collects every "$ref" below @node */
static void
collect_refs(JsonNode *node, GPtrArray *refs)
{
	if (JSON_NODE_HOLDS_OBJECT(node)) {
		JsonObjectIter iter;
		const gchar *name;
		JsonNode *member;

		json_object_iter_init(&iter, json_node_get_object(node));
		while (json_object_iter_next(&iter, &name, &member)) {
			if (g_strcmp0(name, "$ref") == 0 && JSON_NODE_HOLDS_VALUE(member) &&
			    json_node_get_value_type(member) == G_TYPE_STRING)
				g_ptr_array_add(refs, (gpointer)json_node_get_string(member));
			else
				collect_refs(member, refs);
		}
	} else if (JSON_NODE_HOLDS_ARRAY(node)) {
		JsonArray *array = json_node_get_array(node);
		for (guint i = 0; i < json_array_get_length(array); i++)
			collect_refs(json_array_get_element(array, i), refs);
	}
}

/* a $ref that leads nowhere is documentation no tool can read */
static void
test_openapi_refs(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GPtrArray) refs = g_ptr_array_new();
	guint n_problems = 0;

	collect_refs(json_parser_get_root(f->parser), refs);
	g_assert_cmpuint(refs->len, >, 0);
	for (guint i = 0; i < refs->len; i++) {
		const gchar *ref = g_ptr_array_index(refs, i);
		if (fixture_resolve(f, ref) == NULL)
			report(&n_problems, "$ref %s leads nowhere", ref);
	}
	fail_if_reported(n_problems);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	g_assert_true(ap_secret_init(NULL));
#define ADD(path, func) g_test_add(path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
	ADD("/openapi/header", test_openapi_header);
	ADD("/openapi/routes-documented", test_openapi_routes_documented);
	ADD("/openapi/documented-served", test_openapi_documented_served);
	ADD("/openapi/operations", test_openapi_operations);
	ADD("/openapi/refs", test_openapi_refs);
#undef ADD
	return g_test_run();
}
