/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "ap-error.h"
#include "ap-sqlite-store.h"
#include "ap-test-store.h"
#include "ap-test-util.h"

/*
 * The outbox rows a booking's life writes, in its own transactions: what
 * each recipient is told, with which SEQUENCE, and what delivery records.
 */

typedef ApTestStoreFixture Fixture;

/* what the booking's changes said, reminders left out */
static GPtrArray *
outbox_of(Fixture *f, const ApBooking *b)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) all = ap_store_outbox_list(f->store, b->id, &error);
	GPtrArray *items = g_ptr_array_new_with_free_func((GDestroyNotify)ap_outbox_item_free);

	g_assert_no_error(error);
	for (guint i = 0; i < all->len; i++) {
		ApOutboxItem *item = g_ptr_array_index(all, i);
		if (item->kind != AP_OUTBOX_KIND_REMINDER)
			g_ptr_array_add(items, g_ptr_array_steal_index(all, i--));
	}
	return items;
}

/* the reminders planned for a booking, by their status */
static guint
reminders_of(Fixture *f, const ApBooking *b, ApOutboxStatus status, gint64 *first_at)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) all = ap_store_outbox_list(f->store, b->id, &error);
	guint n = 0;

	g_assert_no_error(error);
	for (guint i = 0; i < all->len; i++) {
		ApOutboxItem *item = g_ptr_array_index(all, i);
		if (item->kind != AP_OUTBOX_KIND_REMINDER || item->status != status)
			continue;
		g_assert_cmpint(item->role, ==, AP_OUTBOX_ROLE_CUSTOMER);
		g_assert_cmpint(item->remind_at, ==, item->next_attempt_at);
		if (n == 0 && first_at != NULL)
			*first_at = item->remind_at;
		n++;
	}
	return n;
}

/* the planner's mark, set back to @at: it starts at the database's
 * making, on the real clock, and these tests live in March 2031 */
static void
set_mark(Fixture *f, gint64 at)
{
	g_autoptr(sqlite3) db = ap_test_db_open(f->path);
	g_autofree gchar *sql =
		g_strdup_printf("UPDATE reminder_plan SET planned_until = %" G_GINT64_FORMAT, at);

	g_assert_cmpint(sqlite3_exec(db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
	g_assert_cmpint(sqlite3_changes(db), ==, 1);
}

/* how many reminders the planner writes, planning up to @until */
static guint
plan_until(Fixture *f, gint64 until)
{
	g_autoptr(GError) error = NULL;
	guint planned = G_MAXUINT;

	g_assert_true(ap_store_outbox_plan_reminders(f->store, until, &planned, &error));
	g_assert_no_error(error);
	return planned;
}

static void
move_to(Fixture *f, ApBooking *b, gint64 expert_id, gint64 start)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ApService) service = ap_store_service_get(f->store, "personal-styling", &error);
	ApCandidate c[1];

	g_assert_no_error(error);
	ap_test_candidate_init(&c[0], expert_id, start);
	g_assert_true(ap_store_booking_reschedule(
		f->store, b, service, start, start + 45 * 60, c, 1, "test", &error));
	g_assert_no_error(error);
}

/* a day and an hour before, written by the planner as their time comes
 * near, once each; moved: voided, and planned anew; cancelled: none */
static void
test_outbox_reminders(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ApBooking) b = NULL;
	gint64 first = 0;

	set_mark(f, ap_test_at(1, 0, 0));
	ap_store_set_now(f->store, ap_test_at(1, 10, 0));
	b = ap_test_book(f->store, "personal-styling", ap_test_at(4, 10, 0), f->expert_a, &error);
	g_assert_no_error(error);
	/* days ahead: the booking wrote none */
	g_assert_cmpuint(reminders_of(f, b, AP_OUTBOX_STATUS_PENDING, NULL), ==, 0);
	g_assert_cmpuint(plan_until(f, ap_test_at(3, 9, 55)), ==, 0);
	g_assert_cmpuint(plan_until(f, ap_test_at(3, 10, 5)), ==, 1);
	g_assert_cmpuint(reminders_of(f, b, AP_OUTBOX_STATUS_PENDING, &first), ==, 1);
	g_assert_cmpint(first, ==, ap_test_at(4, 10, 0) - AP_OUTBOX_REMIND_DAY_SECONDS);
	/* the same window again: nothing more */
	g_assert_cmpuint(plan_until(f, ap_test_at(3, 10, 5)), ==, 0);
	g_assert_cmpuint(plan_until(f, ap_test_at(3, 10, 0)), ==, 0);

	/* moved, just before that reminder goes, to the afternoon: voided;
	 * the new time's are the planner's again */
	ap_store_set_now(f->store, ap_test_at(3, 9, 58));
	move_to(f, b, f->expert_a, ap_test_at(4, 15, 0));
	g_assert_cmpuint(reminders_of(f, b, AP_OUTBOX_STATUS_VOID, NULL), ==, 1);
	g_assert_cmpuint(reminders_of(f, b, AP_OUTBOX_STATUS_PENDING, NULL), ==, 0);
	g_assert_cmpuint(plan_until(f, ap_test_at(3, 15, 5)), ==, 1);
	g_assert_cmpuint(plan_until(f, ap_test_at(4, 14, 5)), ==, 1);
	g_assert_cmpuint(reminders_of(f, b, AP_OUTBOX_STATUS_PENDING, &first), ==, 2);
	g_assert_cmpint(first, ==, ap_test_at(4, 15, 0) - AP_OUTBOX_REMIND_DAY_SECONDS);

	/* moved within the planned window: its hour-before is written at
	 * once (the planner is past it); its day-before has gone by */
	ap_store_set_now(f->store, ap_test_at(4, 10, 0));
	move_to(f, b, f->expert_a, ap_test_at(4, 13, 0));
	g_assert_cmpuint(reminders_of(f, b, AP_OUTBOX_STATUS_VOID, NULL), ==, 3);
	g_assert_cmpuint(reminders_of(f, b, AP_OUTBOX_STATUS_PENDING, &first), ==, 1);
	g_assert_cmpint(first, ==, ap_test_at(4, 13, 0) - AP_OUTBOX_REMIND_HOUR_SECONDS);
	g_assert_cmpuint(plan_until(f, ap_test_at(4, 14, 10)), ==, 0);

	g_assert_true(ap_store_booking_set_status(
		f->store, b, AP_BOOKING_STATUS_CANCELLED, NULL, "test", &error));
	g_assert_no_error(error);
	g_assert_cmpuint(reminders_of(f, b, AP_OUTBOX_STATUS_PENDING, NULL), ==, 0);
	g_assert_cmpuint(reminders_of(f, b, AP_OUTBOX_STATUS_VOID, NULL), ==, 4);
	g_assert_cmpuint(plan_until(f, ap_test_at(5, 0, 0)), ==, 0);

	/* booked this evening, within the planned window: the hour-before
	 * at once; within the hour: none */
	ap_store_set_now(f->store, ap_test_at(4, 14, 0));
	g_clear_pointer(&b, ap_booking_free);
	b = ap_test_book(f->store, "personal-styling", ap_test_at(4, 20, 0), f->expert_b, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(reminders_of(f, b, AP_OUTBOX_STATUS_PENDING, &first), ==, 1);
	g_assert_cmpint(first, ==, ap_test_at(4, 20, 0) - AP_OUTBOX_REMIND_HOUR_SECONDS);
	g_assert_cmpuint(plan_until(f, ap_test_at(5, 0, 5)), ==, 0);
	g_clear_pointer(&b, ap_booking_free);
	b = ap_test_book(f->store, "personal-styling", ap_test_at(4, 14, 30), f->expert_b, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(reminders_of(f, b, AP_OUTBOX_STATUS_PENDING, NULL), ==, 0);
}

/* a planner far behind (appointd stopped a while): it writes the
 * reminders of bookings made while it was away, but not one whose
 * moment had passed when the booking was made, nor any of a session
 * already begun */
static void
test_outbox_reminders_late(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ApBooking) soon = NULL;
	g_autoptr(ApBooking) later = NULL;
	g_autoptr(ApBooking) begun = NULL;
	gint64 first = 0;

	set_mark(f, ap_test_at(1, 0, 0));
	ap_store_set_now(f->store, ap_test_at(1, 10, 0));
	begun = ap_test_book(
		f->store, "personal-styling", ap_test_at(2, 9, 0), f->expert_a, &error);
	g_assert_no_error(error);
	ap_store_set_now(f->store, ap_test_at(2, 10, 0));
	soon = ap_test_book(
		f->store, "personal-styling", ap_test_at(2, 10, 45), f->expert_a, &error);
	g_assert_no_error(error);
	later = ap_test_book(
		f->store, "personal-styling", ap_test_at(2, 12, 0), f->expert_a, &error);
	g_assert_no_error(error);

	g_assert_cmpuint(plan_until(f, ap_test_at(2, 11, 5)), ==, 1);
	g_assert_cmpuint(reminders_of(f, later, AP_OUTBOX_STATUS_PENDING, &first), ==, 1);
	g_assert_cmpint(first, ==, ap_test_at(2, 11, 0));
	g_assert_cmpuint(reminders_of(f, soon, AP_OUTBOX_STATUS_PENDING, NULL), ==, 0);
	g_assert_cmpuint(reminders_of(f, begun, AP_OUTBOX_STATUS_PENDING, NULL), ==, 0);
}

/* a customer who asked to be forgotten is reminded of nothing, even of
 * a booking the erasure did not cancel (one made meanwhile) */
static void
test_outbox_reminders_erased(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ApBooking) b = NULL;

	set_mark(f, ap_test_at(1, 0, 0));
	ap_store_set_now(f->store, ap_test_at(1, 10, 0));
	b = ap_test_book(f->store, "personal-styling", ap_test_at(4, 10, 0), f->expert_a, &error);
	g_assert_no_error(error);
	g_assert_cmpint(
		ap_store_customer_erase_request(f->store, "alex@example.org", &error), ==, 1);
	g_assert_no_error(error);
	g_assert_cmpuint(plan_until(f, ap_test_at(4, 9, 5)), ==, 0);
	g_assert_cmpuint(reminders_of(f, b, AP_OUTBOX_STATUS_PENDING, NULL), ==, 0);
}

/* without the planner's mark (its row deleted by hand) each booking
 * writes all its reminders, as before the planner, and the planner none */
static void
test_outbox_reminders_no_mark(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ApBooking) b = NULL;
	g_autoptr(sqlite3) db = ap_test_db_open(f->path);
	ApOutboxStats stats = {0};

	g_assert_cmpint(
		sqlite3_exec(db, "DELETE FROM reminder_plan", NULL, NULL, NULL), ==, SQLITE_OK);
	ap_store_set_now(f->store, ap_test_at(1, 10, 0));
	b = ap_test_book(f->store, "personal-styling", ap_test_at(4, 10, 0), f->expert_a, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(reminders_of(f, b, AP_OUTBOX_STATUS_PENDING, NULL), ==, 2);
	g_assert_cmpuint(plan_until(f, ap_test_at(5, 0, 0)), ==, 0);
	g_assert_cmpuint(reminders_of(f, b, AP_OUTBOX_STATUS_PENDING, NULL), ==, 2);
	g_assert_true(ap_store_outbox_stats(f->store, ap_test_at(1, 10, 0), &stats, &error));
	g_assert_cmpint(stats.reminders_planned_until, ==, G_MAXINT64);
}

/* the planner walks the start index over its window, and looks each
 * booking found up in the outbox by its id: no scan */
static void
test_outbox_reminders_plan(Fixture *f, gconstpointer user_data)
{
	g_autoptr(sqlite3) db = ap_test_db_open(f->path);
	g_autofree gchar *plan = ap_test_db_plan(
		db,
		"SELECT b.id FROM bookings b "
		"WHERE b.start_at >= 1 AND b.start_at < 2 AND b.status = 'confirmed' "
		"AND b.erase_requested_at IS NULL AND b.anonymised_at IS NULL "
		"AND EXISTS (SELECT 1 FROM outbox t WHERE t.booking_id = b.id "
		"  AND t.recipient_role = 'customer' AND t.kind IN ('confirmation', 'update') "
		"  AND t.start_at = b.start_at AND t.created_at < b.start_at - 3600) "
		"AND NOT EXISTS (SELECT 1 FROM outbox r WHERE r.booking_id = b.id "
		"  AND r.kind = 'reminder' AND r.remind_at = b.start_at - 3600 "
		"  AND r.status != 'void') "
		"ORDER BY b.start_at");

	g_assert_nonnull(strstr(plan, "USING INDEX bookings_start (start_at>? AND start_at<?)"));
	g_assert_nonnull(strstr(plan, "t USING INDEX outbox_booking (booking_id=?)"));
	g_assert_nonnull(strstr(plan, "r USING INDEX outbox_booking (booking_id=?)"));
	g_assert_null(strstr(plan, "SCAN"));
}

static void
assert_item(GPtrArray *items,
	    guint i,
	    ApOutboxKind kind,
	    ApOutboxRole role,
	    gint64 expert_id,
	    gint sequence,
	    gint64 start)
{
	const ApOutboxItem *item;

	g_assert_cmpuint(i, <, items->len);
	item = g_ptr_array_index(items, i);
	g_assert_cmpint(item->kind, ==, kind);
	g_assert_cmpint(item->role, ==, role);
	g_assert_cmpint(item->expert_id, ==, expert_id);
	g_assert_cmpint(item->sequence, ==, sequence);
	g_assert_cmpint(item->start, ==, start);
	g_assert_cmpint(item->status, ==, AP_OUTBOX_STATUS_PENDING);
}

static void
test_outbox_life(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ApService) service = ap_store_service_get(f->store, "personal-styling", &error);
	g_autoptr(ApBooking) b = ap_test_book(
		f->store, "personal-styling", ap_test_at(4, 10, 0), f->expert_a, &error);
	g_autoptr(ApBooking) taken = NULL;
	g_autoptr(GPtrArray) items = NULL;
	ApCandidate c[1];
	const ApOutboxItem *first;

	g_assert_no_error(error);
	items = outbox_of(f, b);
	g_assert_cmpuint(items->len, ==, 2);
	assert_item(items,
		    0,
		    AP_OUTBOX_KIND_CONFIRMATION,
		    AP_OUTBOX_ROLE_CUSTOMER,
		    f->expert_a,
		    0,
		    ap_test_at(4, 10, 0));
	assert_item(items,
		    1,
		    AP_OUTBOX_KIND_CONFIRMATION,
		    AP_OUTBOX_ROLE_EXPERT,
		    f->expert_a,
		    0,
		    ap_test_at(4, 10, 0));
	first = g_ptr_array_index(items, 0);
	g_assert_cmpstr(first->recipient, ==, b->customer_email);
	g_assert_cmpstr(
		((ApOutboxItem *)g_ptr_array_index(items, 1))->recipient, ==, "a@example.com");
	g_clear_pointer(&items, g_ptr_array_unref);

	/* a booking refused leaves no email behind */
	taken = ap_test_book(
		f->store, "personal-styling", ap_test_at(4, 10, 0), f->expert_a, &error);
	g_assert_error(error, AP_ERROR, AP_ERROR_CONFLICT);
	g_clear_error(&error);

	/* moved, same expert: both get an update, SEQUENCE 1 */
	ap_test_candidate_init(&c[0], f->expert_a, ap_test_at(4, 12, 0));
	g_assert_true(ap_store_booking_reschedule(f->store,
						  b,
						  service,
						  ap_test_at(4, 12, 0),
						  ap_test_at(4, 12, 45),
						  c,
						  1,
						  "test",
						  &error));
	g_assert_no_error(error);
	items = outbox_of(f, b);
	g_assert_cmpuint(items->len, ==, 4);
	assert_item(items,
		    2,
		    AP_OUTBOX_KIND_UPDATE,
		    AP_OUTBOX_ROLE_CUSTOMER,
		    f->expert_a,
		    1,
		    ap_test_at(4, 12, 0));
	assert_item(items,
		    3,
		    AP_OUTBOX_KIND_UPDATE,
		    AP_OUTBOX_ROLE_EXPERT,
		    f->expert_a,
		    1,
		    ap_test_at(4, 12, 0));
	g_assert_cmpint(((ApOutboxItem *)g_ptr_array_index(items, 2))->previous_start,
			==,
			ap_test_at(4, 10, 0));
	g_clear_pointer(&items, g_ptr_array_unref);

	/* moved to expert B: A gets a CANCEL, B a REQUEST, both SEQUENCE 2 */
	ap_test_candidate_init(&c[0], f->expert_b, ap_test_at(4, 15, 0));
	g_assert_true(ap_store_booking_reschedule(f->store,
						  b,
						  service,
						  ap_test_at(4, 15, 0),
						  ap_test_at(4, 15, 45),
						  c,
						  1,
						  "test",
						  &error));
	g_assert_no_error(error);
	items = outbox_of(f, b);
	g_assert_cmpuint(items->len, ==, 7);
	assert_item(items,
		    4,
		    AP_OUTBOX_KIND_UPDATE,
		    AP_OUTBOX_ROLE_CUSTOMER,
		    f->expert_b,
		    2,
		    ap_test_at(4, 15, 0));
	assert_item(items,
		    5,
		    AP_OUTBOX_KIND_CANCELLATION,
		    AP_OUTBOX_ROLE_EXPERT,
		    f->expert_a,
		    2,
		    ap_test_at(4, 12, 0));
	assert_item(items,
		    6,
		    AP_OUTBOX_KIND_CONFIRMATION,
		    AP_OUTBOX_ROLE_EXPERT,
		    f->expert_b,
		    2,
		    ap_test_at(4, 15, 0));
	g_assert_cmpstr(
		((ApOutboxItem *)g_ptr_array_index(items, 5))->recipient, ==, "a@example.com");
	g_assert_cmpstr(
		((ApOutboxItem *)g_ptr_array_index(items, 6))->recipient, ==, "b@example.com");
	g_clear_pointer(&items, g_ptr_array_unref);

	/* cancelled: both get a CANCEL with SEQUENCE 3 */
	g_assert_true(ap_store_booking_set_status(
		f->store, b, AP_BOOKING_STATUS_CANCELLED, "ill", "test", &error));
	g_assert_no_error(error);
	items = outbox_of(f, b);
	g_assert_cmpuint(items->len, ==, 9);
	assert_item(items,
		    7,
		    AP_OUTBOX_KIND_CANCELLATION,
		    AP_OUTBOX_ROLE_CUSTOMER,
		    f->expert_b,
		    3,
		    ap_test_at(4, 15, 0));
	assert_item(items,
		    8,
		    AP_OUTBOX_KIND_CANCELLATION,
		    AP_OUTBOX_ROLE_EXPERT,
		    f->expert_b,
		    3,
		    ap_test_at(4, 15, 0));
}

/* delivery: due rows, sent ones gone from the queue, retries later, dead
 * ones waiting for staff */
static void
test_outbox_delivery(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ApBooking) b = ap_test_book(
		f->store, "personal-styling", ap_test_at(4, 10, 0), f->expert_a, &error);
	g_autoptr(GPtrArray) due = NULL;
	g_autoptr(GPtrArray) later = NULL;
	g_autoptr(GPtrArray) again = NULL;
	ApOutboxStats stats = {0};
	const ApOutboxItem *customer, *expert;
	gint64 now = ap_store_get_now(f->store);

	g_assert_no_error(error);
	set_mark(f, ap_test_at(1, 0, 0));
	g_assert_cmpuint(plan_until(f, ap_test_at(4, 9, 5)), ==, 2);
	due = ap_store_outbox_due(f->store, now, 10, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(due->len, ==, 2);
	customer = g_ptr_array_index(due, 0);
	expert = g_ptr_array_index(due, 1);
	g_assert_true(ap_store_outbox_stats(f->store, now, &stats, &error));
	g_assert_cmpuint(stats.pending, ==, 2);
	g_assert_cmpuint(stats.dead, ==, 0);
	g_assert_cmpint(stats.next_due, ==, now);

	/* the customer's goes; the relay is down for the expert's */
	g_assert_true(ap_store_outbox_mark_sent(f->store, customer->id, now, &error));
	g_assert_true(
		ap_store_outbox_mark_failed(f->store, expert->id, FALSE, "refused", now, &error));
	g_assert_no_error(error);
	later = ap_store_outbox_due(f->store, now, 10, &error);
	g_assert_cmpuint(later->len, ==, 0);
	g_assert_true(ap_store_outbox_stats(f->store, now, &stats, &error));
	/* waiting for its retry, still part of the backlog; the two
	 * reminders planned for later are not */
	g_assert_cmpuint(stats.pending, ==, 1);
	g_assert_cmpuint(stats.scheduled, ==, 2);
	g_assert_cmpint(stats.next_due, ==, now + ap_outbox_retry_delay(1));
	again = ap_store_outbox_due(f->store, now + ap_outbox_retry_delay(1), 10, &error);
	g_assert_cmpuint(again->len, ==, 1);
	g_assert_cmpuint(((ApOutboxItem *)g_ptr_array_index(again, 0))->attempts, ==, 1);
	g_assert_cmpstr(((ApOutboxItem *)g_ptr_array_index(again, 0))->last_error, ==, "refused");

	/* refused for good: dead, until staff retry it */
	g_assert_true(ap_store_outbox_mark_failed(
		f->store, expert->id, TRUE, "550 no such user", now, &error));
	g_assert_true(ap_store_outbox_stats(f->store, now, &stats, &error));
	g_assert_cmpuint(stats.pending, ==, 0);
	g_assert_cmpuint(stats.dead, ==, 1);
	/* only the reminders, far ahead, are left */
	g_assert_cmpuint(stats.scheduled, ==, 2);
	g_assert_cmpint(stats.next_due, ==, ap_test_at(4, 10, 0) - AP_OUTBOX_REMIND_DAY_SECONDS);
	g_assert_false(ap_store_outbox_retry(f->store, customer->id, now, &error));
	g_assert_error(error, AP_ERROR, AP_ERROR_STATE);
	g_clear_error(&error);
	g_assert_true(ap_store_outbox_retry(f->store, expert->id, now, &error));
	g_assert_no_error(error);
	g_assert_true(ap_store_outbox_stats(f->store, now, &stats, &error));
	g_assert_cmpuint(stats.pending, ==, 1);
	g_assert_cmpuint(stats.dead, ==, 0);
}

/* the retry delays grow, and stop growing */
static void
test_outbox_retry_delay(void)
{
	g_assert_cmpint(ap_outbox_retry_delay(1), ==, 15);
	g_assert_cmpint(ap_outbox_retry_delay(2), ==, 30);
	g_assert_cmpint(ap_outbox_retry_delay(3), ==, 60);
	g_assert_cmpint(ap_outbox_retry_delay(7), ==, 900);
	g_assert_cmpint(ap_outbox_retry_delay(1000), ==, 900);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	ap_test_store_add("/store/outbox/life", test_outbox_life);
	ap_test_store_add("/store/outbox/delivery", test_outbox_delivery);
	ap_test_store_add("/store/outbox/reminders", test_outbox_reminders);
	ap_test_store_add("/store/outbox/reminders-late", test_outbox_reminders_late);
	ap_test_store_add("/store/outbox/reminders-erased", test_outbox_reminders_erased);
	ap_test_store_add("/store/outbox/reminders-no-mark", test_outbox_reminders_no_mark);
	ap_test_store_add("/store/outbox/reminders-plan", test_outbox_reminders_plan);
	g_test_add_func("/store/outbox/retry-delay", test_outbox_retry_delay);
	return g_test_run();
}
