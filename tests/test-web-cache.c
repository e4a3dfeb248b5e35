/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "ap-web-cache.h"

#include <string.h>

static GBytes *
ap_bytes(const gchar *text)
{
	return g_bytes_new_static(text, strlen(text));
}

/* an answer is served while its generation stands and its time is not up */
static void
test_web_cache_validity(void)
{
	g_autoptr(ApWebCache) cache = ap_web_cache_new(8);
	g_autoptr(GBytes) a = ap_bytes("a");
	g_autoptr(GBytes) hit = NULL;
	g_autoptr(GBytes) stale = NULL;
	g_autoptr(GBytes) late = NULL;

	ap_web_cache_insert(cache, "k", a, 7, 100);
	hit = ap_web_cache_lookup(cache, "k", 7, 99);
	g_assert_true(hit == a || g_bytes_equal(hit, a));
	late = ap_web_cache_lookup(cache, "k", 7, 100);
	g_assert_null(late);
	/* gone once found late */
	g_assert_cmpuint(ap_web_cache_get_size(cache), ==, 0);
	ap_web_cache_insert(cache, "k", a, 7, 100);
	stale = ap_web_cache_lookup(cache, "k", 8, 50);
	g_assert_null(stale);
	g_assert_null(ap_web_cache_lookup(cache, "other", 7, 50));
}

/* generation 0 means the store could not say: nothing is kept */
static void
test_web_cache_unknown_generation(void)
{
	g_autoptr(ApWebCache) cache = ap_web_cache_new(8);
	g_autoptr(GBytes) a = ap_bytes("a");

	ap_web_cache_insert(cache, "k", a, 0, G_MAXINT64);
	g_assert_cmpuint(ap_web_cache_get_size(cache), ==, 0);
	g_assert_null(ap_web_cache_lookup(cache, "k", 0, 0));
}

/* full: stale generations go first, then everything */
static void
test_web_cache_bounded(void)
{
	g_autoptr(ApWebCache) cache = ap_web_cache_new(4);
	g_autoptr(GBytes) a = ap_bytes("a");

	for (guint i = 0; i < 4; i++) {
		g_autofree gchar *key = g_strdup_printf("old%u", i);
		ap_web_cache_insert(cache, key, a, 1, 100);
	}
	g_assert_cmpuint(ap_web_cache_get_size(cache), ==, 4);
	ap_web_cache_insert(cache, "new0", a, 2, 100);
	g_assert_cmpuint(ap_web_cache_get_size(cache), ==, 1);
	for (guint i = 1; i < 10; i++) {
		g_autofree gchar *key = g_strdup_printf("new%u", i);
		ap_web_cache_insert(cache, key, a, 2, 100);
		g_assert_cmpuint(ap_web_cache_get_size(cache), <=, 4);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/web-cache/validity", test_web_cache_validity);
	g_test_add_func("/web-cache/unknown-generation", test_web_cache_unknown_generation);
	g_test_add_func("/web-cache/bounded", test_web_cache_bounded);
	return g_test_run();
}
