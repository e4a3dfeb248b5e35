/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "ap-web-router.h"

static const ApWebRoute routes[] = {
	{"GET", "/api/v1/slots", NULL, FALSE},
	{"GET", "/api/v1/bookings/{reference}", NULL, FALSE},
	{"PATCH", "/api/v1/bookings/{reference}", NULL, FALSE},
	{"POST", "/api/v1/bookings", NULL, TRUE},
	{"GET", "/api/v1/experts/{id}/time-off/{time_off}", NULL, FALSE},
	{"DELETE", "/api/v1/experts/{id}/time-off/{time_off}", NULL, FALSE},
	{"GET", "/", NULL, FALSE},
};

static ApWebRouter *
ap_router(void)
{
	ApWebRouter *router = ap_web_router_new();

	ap_web_router_add(router, routes, G_N_ELEMENTS(routes));
	return router;
}

/* a route without parameters has no table of them; one with them has
 * each, decoded */
static void
test_web_router_params(void)
{
	g_autoptr(ApWebRouter) router = ap_router();
	g_autoptr(GHashTable) none = NULL;
	g_autoptr(GHashTable) one = NULL;
	g_autoptr(GHashTable) two = NULL;
	g_autofree gchar *allow = NULL;

	g_assert_true(ap_web_router_match(router, "GET", "/api/v1/slots", &none, &allow) ==
		      &routes[0]);
	g_assert_null(none);
	g_assert_null(allow);
	g_assert_true(
		ap_web_router_match(router, "GET", "/api/v1/bookings/AP-7%20K", &one, &allow) ==
		&routes[1]);
	g_assert_cmpstr(g_hash_table_lookup(one, "reference"), ==, "AP-7 K");
	g_assert_cmpuint(g_hash_table_size(one), ==, 1);
	g_clear_pointer(&one, g_hash_table_unref);
	/* an escape decodes in a fixed segment too */
	g_assert_true(ap_web_router_match(router, "GET", "/api/v1/%73lots", &one, &allow) ==
		      &routes[0]);
	g_assert_true(ap_web_router_match(
			      router, "DELETE", "/api/v1/experts/12/time-off/3", &two, &allow) ==
		      &routes[5]);
	g_assert_cmpstr(g_hash_table_lookup(two, "id"), ==, "12");
	g_assert_cmpstr(g_hash_table_lookup(two, "time_off"), ==, "3");
}

/* the root has no segments, as its pattern has none */
static void
test_web_router_root(void)
{
	g_autoptr(ApWebRouter) router = ap_router();
	g_autoptr(GHashTable) params = NULL;
	g_autoptr(GHashTable) slash_params = NULL;
	g_autofree gchar *allow = NULL;
	g_autofree gchar *slash_allow = NULL;

	g_assert_true(ap_web_router_match(router, "GET", "/", &params, &allow) == &routes[6]);
	g_assert_null(
		ap_web_router_match(router, "GET", "/api/v1/slots/", &slash_params, &slash_allow));
}

/* HEAD is answered by GET's route */
static void
test_web_router_head(void)
{
	g_autoptr(ApWebRouter) router = ap_router();
	g_autoptr(GHashTable) params = NULL;
	g_autofree gchar *allow = NULL;

	g_assert_true(ap_web_router_match(router, "HEAD", "/api/v1/slots", &params, &allow) ==
		      &routes[0]);
}

/* a path under other methods only names them, each once; an unknown
 * path names none */
static void
test_web_router_allow(void)
{
	g_autoptr(ApWebRouter) router = ap_router();
	g_autoptr(GHashTable) params = NULL;
	g_autofree gchar *allow = NULL;
	g_autofree gchar *unknown_allow = NULL;

	g_assert_null(ap_web_router_match(router, "PUT", "/api/v1/bookings/X", &params, &allow));
	g_assert_null(params);
	g_assert_cmpstr(allow, ==, "GET, PATCH");
	g_assert_null(
		ap_web_router_match(router, "GET", "/api/v1/nothing", &params, &unknown_allow));
	g_assert_null(unknown_allow);
}

/* what no route can mean: not a path, an empty segment inside, an
 * escaped slash or NUL, a parameter left empty, a segment longer or
 * shorter than the route's, or more segments than any route has */
static void
test_web_router_refused(void)
{
	const gchar *paths[] = {
		"",
		"api/v1/slots",
		"/api//v1/slots",
		"/api/v1/bookings/a%2Fb",
		"/api/v1/bookings/a%00b",
		"/api/v1/bookings/",
		"/api/v1/experts/12/time-off/",
		"/api/v1/slotsx",
		"/api/v1/slot",
		"/api/v1/%73lot",
		"/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s/t",
	};
	g_autoptr(ApWebRouter) router = ap_router();

	for (guint i = 0; i < G_N_ELEMENTS(paths); i++) {
		g_autoptr(GHashTable) params = NULL;
		g_autofree gchar *allow = NULL;

		g_test_message("%s", paths[i]);
		g_assert_null(ap_web_router_match(router, "GET", paths[i], &params, &allow));
		g_assert_null(params);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/web-router/params", test_web_router_params);
	g_test_add_func("/web-router/root", test_web_router_root);
	g_test_add_func("/web-router/head", test_web_router_head);
	g_test_add_func("/web-router/allow", test_web_router_allow);
	g_test_add_func("/web-router/refused", test_web_router_refused);
	return g_test_run();
}
