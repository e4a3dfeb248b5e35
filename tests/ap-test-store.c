/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "ap-test-store.h"

void
ap_test_store_fixture_set_up(ApTestStoreFixture *f, gconstpointer user_data)
{
	f->dir = ap_test_make_dir();
	/* a folder that does not exist yet: the store makes it */
	f->path = g_build_filename(f->dir, "var", "appoint.db", NULL);
	f->store = ap_test_store_open(f->path);
	f->expert_a = ap_test_add_expert(
		f->store, "a@example.com", "personal-styling,home-design,nursery", G_DATE_SUNDAY);
	f->expert_b = ap_test_add_expert(
		f->store, "b@example.com", "personal-styling,nursery", G_DATE_SUNDAY);
}

void
ap_test_store_fixture_tear_down(ApTestStoreFixture *f, gconstpointer user_data)
{
	g_clear_object(&f->store);
	ap_test_remove_dir(f->dir);
	g_free(f->path);
	g_free(f->dir);
}

/**
 * ap_test_store_add:
 *
 * Adds the test @func at @path, run in a fresh #ApTestStoreFixture.
 */
void
ap_test_store_add(const gchar *path, ApTestStoreFunc func)
{
	g_test_add(path,
		   ApTestStoreFixture,
		   NULL,
		   ap_test_store_fixture_set_up,
		   func,
		   ap_test_store_fixture_tear_down);
}

/**
 * ap_test_booking_new:
 *
 * Returns: (transfer full): a draft of @service_id, which @store must have,
 * at @start for @name
 */
ApBooking *
ap_test_booking_new(ApStore *store, const gchar *service_id, gint64 start, const gchar *name)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ApService) service = ap_store_service_get(store, service_id, &error);

	g_assert_no_error(error);
	return ap_test_booking_draft(service, start, name);
}

/**
 * ap_test_book_full:
 * @experts: the candidates, a 0-terminated list of at most 8 ids
 * @idem: (nullable): the idempotency key
 *
 * Books @booking with the first free of @experts, each offered for the
 * UTC day of its start.
 */
gboolean
ap_test_book_full(ApStore *store,
		  ApBooking *booking,
		  const gint64 *experts,
		  ApIdempotency *idem,
		  GError **error)
{
	g_autoptr(ApService) service = ap_store_service_get(store, booking->service_id, error);
	ApCandidate candidates[8];
	guint n = 0;

	g_assert_nonnull(service);
	for (; experts[n] != 0; n++) {
		g_assert_cmpuint(n, <, G_N_ELEMENTS(candidates));
		ap_test_candidate_init(&candidates[n], experts[n], booking->start);
	}
	return ap_store_booking_create(store, booking, service, candidates, n, idem, "test", error);
}

/**
 * ap_test_book:
 *
 * Books @service_id at @start with @expert_id for "Alex".
 *
 * Returns: (transfer full) (nullable): the booking, or %NULL with @error set
 */
ApBooking *
ap_test_book(
	ApStore *store, const gchar *service_id, gint64 start, gint64 expert_id, GError **error)
{
	g_autoptr(ApBooking) b = ap_test_booking_new(store, service_id, start, "Alex");
	const gint64 experts[] = {expert_id, 0};

	if (!ap_test_book_full(store, b, experts, NULL, error))
		return NULL;
	return g_steal_pointer(&b);
}

/**
 * ap_test_count_bookings:
 *
 * Returns: how many bookings @store holds, whatever their status
 */
guint
ap_test_count_bookings(ApStore *store)
{
	g_autoptr(GError) error = NULL;
	ApBookingQuery q = {.from = G_MININT64, .to = G_MAXINT64, .limit = 1000};
	g_autoptr(GPtrArray) all = ap_store_bookings_search(store, &q, &error);

	g_assert_no_error(error);
	return all->len;
}
