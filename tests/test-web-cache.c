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

	ap_web_cache_insert(cache, "k", a, 7, 0, 100);
	hit = ap_web_cache_lookup(cache, "k", 7, 99, NULL);
	g_assert_true(hit == a || g_bytes_equal(hit, a));
	late = ap_web_cache_lookup(cache, "k", 7, 100, NULL);
	g_assert_null(late);
	/* gone once found late */
	g_assert_cmpuint(ap_web_cache_get_size(cache), ==, 0);
	ap_web_cache_insert(cache, "k", a, 7, 0, 100);
	stale = ap_web_cache_lookup(cache, "k", 8, 50, NULL);
	g_assert_null(stale);
	g_assert_null(ap_web_cache_lookup(cache, "other", 7, 50, NULL));
}

/* generation 0 means the store could not say: nothing is kept */
static void
test_web_cache_unknown_generation(void)
{
	g_autoptr(ApWebCache) cache = ap_web_cache_new(8);
	g_autoptr(GBytes) a = ap_bytes("a");

	ap_web_cache_insert(cache, "k", a, 0, 0, G_MAXINT64);
	g_assert_cmpuint(ap_web_cache_get_size(cache), ==, 0);
	g_assert_null(ap_web_cache_lookup(cache, "k", 0, 0, NULL));
}

/* full: stale generations go first, then everything */
static void
test_web_cache_bounded(void)
{
	g_autoptr(ApWebCache) cache = ap_web_cache_new(4);
	g_autoptr(GBytes) a = ap_bytes("a");

	for (guint i = 0; i < 4; i++) {
		g_autofree gchar *key = g_strdup_printf("old%u", i);
		ap_web_cache_insert(cache, key, a, 1, 0, 100);
	}
	g_assert_cmpuint(ap_web_cache_get_size(cache), ==, 4);
	ap_web_cache_insert(cache, "new0", a, 2, 0, 100);
	g_assert_cmpuint(ap_web_cache_get_size(cache), ==, 1);
	for (guint i = 1; i < 10; i++) {
		g_autofree gchar *key = g_strdup_printf("new%u", i);
		ap_web_cache_insert(cache, key, a, 2, 0, 100);
		g_assert_cmpuint(ap_web_cache_get_size(cache), <=, 4);
	}
}

/* an answer computed ahead waits behind the one kept now, and takes
 * over when that one's time is up */
static void
test_web_cache_ahead(void)
{
	g_autoptr(ApWebCache) cache = ap_web_cache_new(8);
	g_autoptr(GBytes) a = ap_bytes("a");
	g_autoptr(GBytes) b = ap_bytes("b");
	gint64 kept_until = 0;

	ap_web_cache_insert(cache, "k", a, 7, 0, 100);
	ap_web_cache_insert(cache, "k", b, 7, 100, 200);
	g_assert_cmpuint(ap_web_cache_get_size(cache), ==, 1);
	{
		g_autoptr(GBytes) hit = ap_web_cache_lookup(cache, "k", 7, 50, &kept_until);
		g_assert_true(hit != NULL && g_bytes_equal(hit, a));
		g_assert_cmpint(kept_until, ==, 200);
	}
	{
		g_autoptr(GBytes) hit = ap_web_cache_lookup(cache, "k", 7, 100, &kept_until);
		g_assert_true(hit != NULL && g_bytes_equal(hit, b));
		g_assert_cmpint(kept_until, ==, 200);
	}
	{
		g_autoptr(GBytes) hit = ap_web_cache_lookup(cache, "k", 7, 150, NULL);
		g_assert_true(hit != NULL && g_bytes_equal(hit, b));
	}
	g_assert_null(ap_web_cache_lookup(cache, "k", 7, 200, NULL));
	g_assert_cmpuint(ap_web_cache_get_size(cache), ==, 0);

	/* a change drops the answer and the one computed ahead of it */
	ap_web_cache_insert(cache, "k", a, 7, 0, 100);
	ap_web_cache_insert(cache, "k", b, 7, 100, 200);
	g_assert_null(ap_web_cache_lookup(cache, "k", 8, 50, NULL));
	g_assert_null(ap_web_cache_lookup(cache, "k", 8, 150, NULL));
	g_assert_cmpuint(ap_web_cache_get_size(cache), ==, 0);

	/* computed ahead with nothing kept before it: not served early,
	 * and not dropped for it */
	ap_web_cache_insert(cache, "k", b, 7, 100, 200);
	g_assert_null(ap_web_cache_lookup(cache, "k", 7, 50, NULL));
	g_assert_cmpuint(ap_web_cache_get_size(cache), ==, 1);
	{
		g_autoptr(GBytes) hit = ap_web_cache_lookup(cache, "k", 7, 120, NULL);
		g_assert_true(hit != NULL && g_bytes_equal(hit, b));
	}

	/* computed ahead of what was computed ahead: behind it, and the
	 * answer kept now still served meanwhile */
	{
		g_autoptr(ApWebCache) chain = ap_web_cache_new(8);
		g_autoptr(GBytes) c = ap_bytes("c");
		g_autoptr(GBytes) at50 = NULL;
		g_autoptr(GBytes) at102 = NULL;
		g_autoptr(GBytes) at150 = NULL;

		ap_web_cache_insert(chain, "k", a, 7, 0, 100);
		ap_web_cache_insert(chain, "k", b, 7, 100, 105);
		ap_web_cache_insert(chain, "k", c, 7, 105, 200);
		at50 = ap_web_cache_lookup(chain, "k", 7, 50, &kept_until);
		g_assert_true(at50 != NULL && g_bytes_equal(at50, a));
		g_assert_cmpint(kept_until, ==, 200);
		at102 = ap_web_cache_lookup(chain, "k", 7, 102, NULL);
		g_assert_true(at102 != NULL && g_bytes_equal(at102, b));
		at150 = ap_web_cache_lookup(chain, "k", 7, 150, &kept_until);
		g_assert_true(at150 != NULL && g_bytes_equal(at150, c));
		g_assert_cmpint(kept_until, ==, 200);
	}

	/* computed now, with an answer computed ahead already there: the
	 * one ahead is kept behind it */
	{
		g_autoptr(ApWebCache) early = ap_web_cache_new(8);
		g_autoptr(GBytes) at50 = NULL;
		g_autoptr(GBytes) at130 = NULL;

		ap_web_cache_insert(early, "k", b, 7, 100, 200);
		ap_web_cache_insert(early, "k", a, 7, 0, 120);
		at50 = ap_web_cache_lookup(early, "k", 7, 50, &kept_until);
		g_assert_true(at50 != NULL && g_bytes_equal(at50, a));
		g_assert_cmpint(kept_until, ==, 200);
		at130 = ap_web_cache_lookup(early, "k", 7, 130, NULL);
		g_assert_true(at130 != NULL && g_bytes_equal(at130, b));
	}

	/* computed ahead at another generation than the one kept: it
	 * replaces it, and waits for its time */
	ap_web_cache_insert(cache, "k", a, 7, 0, 100);
	ap_web_cache_insert(cache, "k", b, 8, 100, 200);
	g_assert_null(ap_web_cache_lookup(cache, "k", 8, 50, NULL));
	{
		g_autoptr(GBytes) hit = ap_web_cache_lookup(cache, "k", 8, 100, NULL);
		g_assert_true(hit != NULL && g_bytes_equal(hit, b));
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/web-cache/validity", test_web_cache_validity);
	g_test_add_func("/web-cache/unknown-generation", test_web_cache_unknown_generation);
	g_test_add_func("/web-cache/bounded", test_web_cache_bounded);
	g_test_add_func("/web-cache/ahead", test_web_cache_ahead);
	return g_test_run();
}
