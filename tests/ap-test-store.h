/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ap-test-util.h"

G_BEGIN_DECLS

/**
 * ApTestStoreFixture:
 * @dir: a temporary folder
 * @path: the database file, in a folder below @dir that the store makes
 * @store: an #ApSqliteStore on @path, with the default catalogue
 * @expert_a: gives personal-styling, home-design and nursery
 * @expert_b: gives personal-styling and nursery
 *
 * The fixture of the store's own tests: two experts working 09:00-17:00
 * UTC every day of the week.
 */
typedef struct {
	gchar *dir;
	gchar *path;
	ApStore *store;
	gint64 expert_a;
	gint64 expert_b;
} ApTestStoreFixture;

typedef void (*ApTestStoreFunc)(ApTestStoreFixture *f, gconstpointer user_data);

void
ap_test_store_fixture_set_up(ApTestStoreFixture *f, gconstpointer user_data);
void
ap_test_store_fixture_tear_down(ApTestStoreFixture *f, gconstpointer user_data);
void
ap_test_store_add(const gchar *path, ApTestStoreFunc func);

ApBooking *
ap_test_booking_new(ApStore *store, const gchar *service_id, gint64 start, const gchar *name);
gboolean
ap_test_book_full(ApStore *store,
		  ApBooking *booking,
		  const gint64 *experts,
		  ApIdempotency *idem,
		  GError **error);
ApBooking *
ap_test_book(
	ApStore *store, const gchar *service_id, gint64 start, gint64 expert_id, GError **error);
guint
ap_test_count_bookings(ApStore *store);

G_END_DECLS
