/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApWeb"

#include "ap-web-router.h"

#include <string.h>

/*
 * Maps a method and a path onto a handler, collecting `{name}` segments.
 * A path that exists under another method is 405 with an Allow header,
 * one that does not is 404. The table is small (tens of routes), so a
 * linear scan over pre-split patterns is both simple and fast enough.
 */

/* more than any route has: a path of more matches none */
#define AP_WEB_ROUTER_MAX_SEGMENTS 16

typedef struct {
	const ApWebRoute *route;
	gchar **segments;
	gboolean *is_param; /* for each segment: a `{name}` */
	guint n_segments;
	gboolean has_params;
} ApWebRouterEntry;

struct _ApWebRouter {
	GArray *entries; /* of ApWebRouterEntry */
};

static void
ap_web_router_entry_clear(gpointer data)
{
	ApWebRouterEntry *entry = data;
	g_strfreev(entry->segments);
	g_free(entry->is_param);
}

ApWebRouter *
ap_web_router_new(void)
{
	ApWebRouter *router = g_new0(ApWebRouter, 1);
	router->entries = g_array_new(FALSE, FALSE, sizeof(ApWebRouterEntry));
	g_array_set_clear_func(router->entries, ap_web_router_entry_clear);
	return router;
}

void
ap_web_router_free(ApWebRouter *router)
{
	if (router == NULL)
		return;
	g_array_unref(router->entries);
	g_free(router);
}

/**
 * ap_web_router_add:
 * @routes: (array length=n_routes): static routes; they must outlive @router
 */
void
ap_web_router_add(ApWebRouter *router, const ApWebRoute *routes, guint n_routes)
{
	for (guint i = 0; i < n_routes; i++) {
		ApWebRouterEntry entry = {
			&routes[i], g_strsplit(routes[i].pattern + 1, "/", -1), NULL, 0, FALSE};
		entry.n_segments = g_strv_length(entry.segments);
		g_assert(entry.n_segments <= AP_WEB_ROUTER_MAX_SEGMENTS);
		entry.is_param = g_new0(gboolean, entry.n_segments + 1);
		for (guint j = 0; j < entry.n_segments; j++) {
			const gchar *want = entry.segments[j];
			gsize len = strlen(want);
			entry.is_param[j] = len > 2 && want[0] == '{' && want[len - 1] == '}';
			entry.has_params |= entry.is_param[j];
		}
		g_array_append_val(router->entries, entry);
		/* cppcheck-suppress memleak ; the array owns entry's members now */
	}
}

/* a path's segments, percent-decoded: most paths have no escapes at all,
 * and their segments are read in place, not copied */
typedef struct {
	guint n;
	const gchar *text[AP_WEB_ROUTER_MAX_SEGMENTS];
	gsize len[AP_WEB_ROUTER_MAX_SEGMENTS];
	GPtrArray *decoded; /* (owned) (nullable) those that had escapes */
} ApWebRouterSegments;

static void
ap_web_router_segments_clear(ApWebRouterSegments *segments)
{
	g_clear_pointer(&segments->decoded, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(ApWebRouterSegments, ap_web_router_segments_clear)

static gboolean
ap_web_router_segments_add(ApWebRouterSegments *segments, const gchar *text, gsize len)
{
	if (segments->n == AP_WEB_ROUTER_MAX_SEGMENTS)
		return FALSE;
	segments->text[segments->n] = text;
	segments->len[segments->n] = len;
	segments->n++;
	return TRUE;
}

/* FALSE if a segment decodes to something no route can mean (an empty
 * segment, a slash or a NUL), or there are too many of them */
static gboolean
ap_web_router_split(const gchar *path, ApWebRouterSegments *segments)
{
	const gchar *start;

	if (path == NULL || path[0] != '/')
		return FALSE;
	start = path + 1;
	/* "/" itself has no segments at all, as its pattern has none */
	while (*start != '\0') {
		const gchar *end = strchr(start, '/');
		gsize len = end != NULL ? (gsize)(end - start) : strlen(start);
		const gchar *text = start;

		if (memchr(start, '%', len) != NULL) {
			gchar *decoded = g_uri_unescape_segment(start, start + len, "/");

			if (decoded == NULL)
				return FALSE;
			if (segments->decoded == NULL)
				segments->decoded = g_ptr_array_new_with_free_func(g_free);
			g_ptr_array_add(segments->decoded, decoded);
			text = decoded;
			len = strlen(decoded);
		}
		if ((len == 0 && end != NULL) || !ap_web_router_segments_add(segments, text, len))
			return FALSE;
		if (end == NULL)
			break;
		start = end + 1;
		/* a path ending in a slash has an empty last segment */
		if (*start == '\0' && !ap_web_router_segments_add(segments, start, 0))
			return FALSE;
	}
	return TRUE;
}

static gboolean
ap_web_router_entry_matches(const ApWebRouterEntry *entry,
			    const ApWebRouterSegments *segments,
			    GHashTable *params)
{
	guint n = entry->n_segments;

	if (segments->n != n)
		return FALSE;
	for (guint i = 0; i < n; i++) {
		const gchar *want = entry->segments[i];
		gsize len = segments->len[i];

		if (entry->is_param[i]) {
			if (len == 0)
				return FALSE;
			if (params != NULL)
				g_hash_table_insert(params,
						    g_strndup(want + 1, strlen(want) - 2),
						    g_strndup(segments->text[i], len));
		} else if (strncmp(want, segments->text[i], len) != 0 || want[len] != '\0') {
			return FALSE;
		}
	}
	return TRUE;
}

/**
 * ap_web_router_match:
 * @method: the request's method; HEAD matches GET routes
 * @path: the request's path, still percent-encoded
 * @params: (out) (transfer full) (nullable): the `{name}` values, when
 *   matched; %NULL for a route without any
 * @allow: (out) (transfer full) (nullable): when the path exists only
 *   under other methods, those methods for an Allow header
 *
 * Returns: (nullable): the matching route
 */
const ApWebRoute *
ap_web_router_match(ApWebRouter *router,
		    const gchar *method,
		    const gchar *path,
		    GHashTable **params,
		    gchar **allow)
{
	g_auto(ApWebRouterSegments) segments = {0};
	g_autoptr(GString) methods = NULL;
	gboolean head = g_strcmp0(method, "HEAD") == 0;

	*params = NULL;
	*allow = NULL;
	if (!ap_web_router_split(path, &segments))
		return NULL;
	for (guint i = 0; i < router->entries->len; i++) {
		const ApWebRouterEntry *entry =
			&g_array_index(router->entries, ApWebRouterEntry, i);
		gboolean same_method = g_strcmp0(entry->route->method, method) == 0 ||
				       (head && g_strcmp0(entry->route->method, "GET") == 0);
		/* a table for the values only once the route is known: the
		 * others are ruled out without allocating */
		if (same_method && ap_web_router_entry_matches(entry, &segments, NULL)) {
			if (entry->has_params) {
				*params = g_hash_table_new_full(
					g_str_hash, g_str_equal, g_free, g_free);
				ap_web_router_entry_matches(entry, &segments, *params);
			}
			return entry->route;
		} else if (same_method) {
			continue;
		} else if (ap_web_router_entry_matches(entry, &segments, NULL) &&
			   (methods == NULL ||
			    strstr(methods->str, entry->route->method) == NULL)) {
			if (methods == NULL)
				methods = g_string_new(NULL);
			g_string_append_printf(methods,
					       "%s%s",
					       methods->len > 0 ? ", " : "",
					       entry->route->method);
		}
	}
	if (methods != NULL)
		*allow = g_string_free(g_steal_pointer(&methods), FALSE);
	return NULL;
}

/**
 * ap_web_router_list:
 *
 * Returns: (transfer container) (element-type ApWebRoute): every route
 */
GPtrArray *
ap_web_router_list(ApWebRouter *router)
{
	GPtrArray *routes = g_ptr_array_new();
	for (guint i = 0; i < router->entries->len; i++)
		g_ptr_array_add(
			routes,
			(gpointer)g_array_index(router->entries, ApWebRouterEntry, i).route);
	return routes;
}
