/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "ap-rate-limit.h"

#define SEC G_USEC_PER_SEC

static void
test_rate_limit_burst_and_refill(void)
{
	g_autoptr(ApRateLimit) limit = ap_rate_limit_new(60, 5);
	guint retry = 0;

	/* five at once, then refused until a second has passed */
	for (guint i = 0; i < 5; i++)
		g_assert_true(ap_rate_limit_take(limit, "a", 100 * SEC, NULL));
	g_assert_false(ap_rate_limit_take(limit, "a", 100 * SEC, &retry));
	g_assert_cmpuint(retry, ==, 1);
	/* another client has its own bucket */
	g_assert_true(ap_rate_limit_take(limit, "b", 100 * SEC, NULL));
	g_assert_false(ap_rate_limit_take(limit, "a", 100 * SEC + SEC / 2, &retry));
	g_assert_true(ap_rate_limit_take(limit, "a", 101 * SEC, NULL));
	g_assert_false(ap_rate_limit_take(limit, "a", 101 * SEC, NULL));
	/* a long pause refills no more than the burst */
	for (guint i = 0; i < 5; i++)
		g_assert_true(ap_rate_limit_take(limit, "a", 1000 * SEC, NULL));
	g_assert_false(ap_rate_limit_take(limit, "a", 1000 * SEC, NULL));
	/* time going backwards (a clock step) refills nothing */
	g_assert_false(ap_rate_limit_take(limit, "a", 10 * SEC, NULL));
}

static void
test_rate_limit_disabled(void)
{
	g_autoptr(ApRateLimit) limit = ap_rate_limit_new(0, 1);
	for (guint i = 0; i < 1000; i++)
		g_assert_true(ap_rate_limit_take(limit, "a", 0, NULL));
	g_assert_cmpuint(ap_rate_limit_get_size(limit), ==, 0);
}

static void
test_rate_limit_bounded(void)
{
	g_autoptr(ApRateLimit) limit = ap_rate_limit_new(600, 2);

	/* 30,000 clients one request each: idle buckets are forgotten */
	for (guint i = 0; i < 30000; i++) {
		g_autofree gchar *key = g_strdup_printf("10.0.%u.%u", i / 256, i % 256);
		g_assert_true(ap_rate_limit_take(limit, key, (gint64)i * SEC, NULL));
	}
	g_assert_cmpuint(ap_rate_limit_get_size(limit), <=, 10001);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	g_test_add_func("/rate-limit/burst-and-refill", test_rate_limit_burst_and_refill);
	g_test_add_func("/rate-limit/disabled", test_rate_limit_disabled);
	g_test_add_func("/rate-limit/bounded", test_rate_limit_bounded);
	return g_test_run();
}
