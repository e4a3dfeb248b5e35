/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "ap-error.h"
#include "ap-sqlite-store.h"
#include "ap-test-store.h"

/*
 * Bookings in the SQLite store: creating, finding, refusing a taken time
 * (buffers, capacity, any expert), idempotent retries, rescheduling, the
 * status transitions, the store's clock and the busy list the slot engine
 * reads.
 */

typedef ApTestStoreFixture Fixture;

static gint64
seat_of(Fixture *f, const ApBooking *booking)
{
	g_autoptr(sqlite3) db = ap_test_db_open(f->path);
	g_autofree gchar *sql = g_strdup_printf(
		"SELECT seat FROM bookings WHERE id = %" G_GINT64_FORMAT, booking->id);
	return ap_test_db_int(db, sql);
}

static ApService *
add_service(
	ApStore *store, const gchar *id, guint duration, guint before, guint after, guint capacity)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ApService) s = ap_service_new(id);

	s->duration_minutes = duration;
	s->buffer_before_minutes = before;
	s->buffer_after_minutes = after;
	s->capacity = capacity;
	ap_store_service_create(store, s, &error);
	g_assert_no_error(error);
	return g_steal_pointer(&s);
}

static void
test_booking_create(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ApBooking) b =
		ap_test_booking_new(f->store, "personal-styling", ap_test_at(4, 10, 0), "Zoë");
	g_autoptr(ApBooking) got = NULL;
	g_autoptr(ApBooking) by_token = NULL;
	g_autoptr(ApBooking) missing = NULL;
	g_autoptr(GPtrArray) history = NULL;
	const gint64 experts[] = {f->expert_a, 0};
	ApBookingEvent *ev;

	b->channel = AP_BOOKING_CHANNEL_PHONE;
	b->customer_phone = g_strdup("+44 7700 900002");
	b->customer_timezone = g_strdup("Europe/Berlin");
	b->answers = json_object_new();
	json_object_set_string_member(b->answers, "occasion", "Work");
	g_assert_true(ap_test_book_full(f->store, b, experts, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmpint(b->id, >, 0);
	g_assert_cmpint(b->expert_id, ==, f->expert_a);
	g_assert_true(ap_reference_is_valid(b->reference));
	g_assert_cmpint(b->status, ==, AP_BOOKING_STATUS_CONFIRMED);
	g_assert_cmpint(b->created_at, >, 0);
	g_assert_cmpint(b->updated_at, ==, b->created_at);

	got = ap_store_booking_get(f->store, b->reference, &error);
	g_assert_no_error(error);
	g_assert_cmpint(got->id, ==, b->id);
	g_assert_cmpstr(got->reference, ==, b->reference);
	g_assert_cmpstr(got->token_hash, ==, b->token_hash);
	g_assert_cmpstr(got->service_id, ==, "personal-styling");
	g_assert_cmpint(got->expert_id, ==, f->expert_a);
	g_assert_cmpint(got->start, ==, ap_test_at(4, 10, 0));
	g_assert_cmpint(got->end, ==, ap_test_at(4, 10, 45));
	g_assert_cmpint(got->channel, ==, AP_BOOKING_CHANNEL_PHONE);
	g_assert_cmpstr(got->customer_name, ==, "Zoë");
	g_assert_cmpstr(got->customer_email, ==, "Zoë@example.org");
	g_assert_cmpstr(got->customer_phone, ==, "+44 7700 900002");
	g_assert_cmpstr(got->customer_locale, ==, "en-GB");
	g_assert_cmpstr(got->customer_timezone, ==, "Europe/Berlin");
	g_assert_cmpstr(json_object_get_string_member(got->answers, "occasion"), ==, "Work");
	g_assert_cmpstr(got->ical_uid, ==, b->ical_uid);
	g_assert_cmpint(got->sequence, ==, 0);
	g_assert_null(got->cancel_reason);
	g_assert_cmpint(got->created_at, ==, b->created_at);

	by_token = ap_store_booking_get_by_token(f->store, b->token_hash, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(by_token->reference, ==, b->reference);

	history = ap_store_booking_history(f->store, b->reference, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(history->len, ==, 1);
	ev = g_ptr_array_index(history, 0);
	g_assert_cmpstr(ev->action, ==, "created");
	g_assert_cmpstr(ev->actor, ==, "test");
	g_assert_nonnull(strstr(ev->detail, "2031-03-04T10:00:00Z"));

	missing = ap_store_booking_get(f->store, "ZZZZZZZZ", &error);
	g_assert_error(error, AP_ERROR, AP_ERROR_NOT_FOUND);
	g_assert_null(missing);
	g_clear_error(&error);
	missing = ap_store_booking_get_by_token(f->store, "nope", &error);
	g_assert_error(error, AP_ERROR, AP_ERROR_NOT_FOUND);
	g_assert_null(missing);
	g_clear_error(&error);
	g_clear_pointer(&history, g_ptr_array_unref);
	history = ap_store_booking_history(f->store, "ZZZZZZZZ", &error);
	g_assert_error(error, AP_ERROR, AP_ERROR_NOT_FOUND);
	g_assert_null(history);
}

static GPtrArray *
search(ApStore *store, const gchar *text)
{
	g_autoptr(GError) error = NULL;
	ApBookingQuery q = {.text = text, .from = G_MININT64, .to = G_MAXINT64, .limit = 50};
	GPtrArray *found = ap_store_bookings_search(store, &q, &error);

	g_assert_no_error(error);
	return found;
}

static const gchar *
name_at(GPtrArray *bookings, guint i)
{
	return ((ApBooking *)g_ptr_array_index(bookings, i))->customer_name;
}

static void
test_booking_search(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	const gchar *names[] = {"Zoë Öztürk", "Ann_Lee", "AnnXLee", "100% Cotton", "1000 Cotton"};
	const gchar *phones[] = {"+44 7700 900002", "020 7946 0018", NULL, NULL, "07700 900111"};
	g_autoptr(GPtrArray) found = NULL;
	g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func((GDestroyNotify)ap_booking_free);
	g_autofree gchar *part = NULL;
	ApBookingQuery q = {.from = G_MININT64, .to = G_MAXINT64, .limit = 2};
	guint hits = 0;

	for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
		ApBooking *b = ap_test_booking_new(
			f->store, "nursery", ap_test_at(4, 9 + (gint)i, 0), names[i]);
		const gint64 experts[] = {i % 2 == 0 ? f->expert_a : f->expert_b, 0};
		b->customer_phone = g_strdup(phones[i]);
		g_assert_true(ap_test_book_full(f->store, b, experts, NULL, &error));
		g_assert_no_error(error);
		g_ptr_array_add(keep, b);
	}

	/* part of a reference, in any case (its digits may match a phone too) */
	part = g_ascii_strdown(((ApBooking *)g_ptr_array_index(keep, 3))->reference + 2, 5);
	found = search(f->store, part);
	g_assert_cmpuint(found->len, >=, 1);
	for (guint i = 0; i < found->len; i++) {
		if (g_strcmp0(name_at(found, i), "100% Cotton") == 0)
			hits++;
	}
	g_assert_cmpuint(hits, ==, 1);
	g_clear_pointer(&found, g_ptr_array_unref);

	/* names and emails, case-insensitively beyond ASCII */
	found = search(f->store, "ÖZTÜRK");
	g_assert_cmpuint(found->len, ==, 1);
	g_assert_cmpstr(name_at(found, 0), ==, "Zoë Öztürk");
	g_clear_pointer(&found, g_ptr_array_unref);
	found = search(f->store, "annxlee@EXAMPLE");
	g_assert_cmpuint(found->len, ==, 1);
	g_assert_cmpstr(name_at(found, 0), ==, "AnnXLee");
	g_clear_pointer(&found, g_ptr_array_unref);

	/* the user's wildcards are literal */
	found = search(f->store, "n_L");
	g_assert_cmpuint(found->len, ==, 1);
	g_assert_cmpstr(name_at(found, 0), ==, "Ann_Lee");
	g_clear_pointer(&found, g_ptr_array_unref);
	found = search(f->store, "0%");
	g_assert_cmpuint(found->len, ==, 1);
	g_assert_cmpstr(name_at(found, 0), ==, "100% Cotton");
	g_clear_pointer(&found, g_ptr_array_unref);
	found = search(f->store, "%");
	g_assert_cmpuint(found->len, ==, 1);
	g_clear_pointer(&found, g_ptr_array_unref);

	/* phones by their digits: national form finds the international one */
	found = search(f->store, "07700 900002");
	g_assert_cmpuint(found->len, ==, 1);
	g_assert_cmpstr(name_at(found, 0), ==, "Zoë Öztürk");
	g_clear_pointer(&found, g_ptr_array_unref);
	/* and the other way round, in every international form */
	for (guint i = 0; i < 3; i++) {
		const gchar *forms[] = {
			"+44 7700 900111", "0044 7700 900111", "+44 (0)7700 900111"};
		found = search(f->store, forms[i]);
		g_assert_cmpuint(found->len, ==, 1);
		g_assert_cmpstr(name_at(found, 0), ==, names[4]);
		g_clear_pointer(&found, g_ptr_array_unref);
	}
	found = search(f->store, "7946-0018");
	g_assert_cmpuint(found->len, ==, 1);
	g_assert_cmpstr(name_at(found, 0), ==, "Ann_Lee");
	g_clear_pointer(&found, g_ptr_array_unref);
	found = search(f->store, "7700");
	g_assert_cmpuint(found->len, ==, 2);
	g_clear_pointer(&found, g_ptr_array_unref);
	found = search(f->store, "no such person");
	g_assert_cmpuint(found->len, ==, 0);
	g_clear_pointer(&found, g_ptr_array_unref);

	/* filters, order, paging */
	found = search(f->store, "cotton");
	g_assert_cmpuint(found->len, ==, 2);
	g_assert_cmpstr(name_at(found, 0), ==, "100% Cotton");
	g_assert_cmpstr(name_at(found, 1), ==, "1000 Cotton");
	g_clear_pointer(&found, g_ptr_array_unref);
	q.expert_id = f->expert_b;
	found = ap_store_bookings_search(f->store, &q, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(found->len, ==, 2);
	g_assert_cmpstr(name_at(found, 0), ==, "Ann_Lee");
	g_clear_pointer(&found, g_ptr_array_unref);
	q.expert_id = 0;
	q.from = ap_test_at(4, 10, 0);
	q.to = ap_test_at(4, 13, 0);
	q.offset = 1;
	found = ap_store_bookings_search(f->store, &q, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(found->len, ==, 2);
	g_assert_cmpstr(name_at(found, 0), ==, "AnnXLee");
	g_assert_cmpstr(name_at(found, 1), ==, "100% Cotton");
}

static void
test_booking_conflict(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ApBooking) first = ap_test_book(
		f->store, "personal-styling", ap_test_at(4, 10, 0), f->expert_a, &error);
	g_autoptr(ApBooking) same = NULL;
	g_autoptr(ApBooking) overlap = NULL;
	g_autoptr(ApBooking) other = NULL;

	g_assert_no_error(error);
	same = ap_test_book(
		f->store, "personal-styling", ap_test_at(4, 10, 0), f->expert_a, &error);
	g_assert_error(error, AP_ERROR, AP_ERROR_CONFLICT);
	g_assert_null(same);
	g_clear_error(&error);
	overlap = ap_test_book(f->store, "nursery", ap_test_at(4, 9, 30), f->expert_a, &error);
	g_assert_error(error, AP_ERROR, AP_ERROR_CONFLICT);
	g_assert_null(overlap);
	g_clear_error(&error);

	/* another expert is free */
	other = ap_test_book(
		f->store, "personal-styling", ap_test_at(4, 10, 0), f->expert_b, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(ap_test_count_bookings(f->store), ==, 2);
}

/* files SQLite has open for temporary storage ("etilqs_" is the prefix of
 * their names; they are unlinked as soon as opened) */
static guint
count_temporary_files(void)
{
	g_autoptr(GDir) fds = g_dir_open("/proc/self/fd", 0, NULL);
	const gchar *name;
	guint n = 0;

	g_assert_nonnull(fds);
	while ((name = g_dir_read_name(fds)) != NULL) {
		g_autofree gchar *fd = g_build_filename("/proc/self/fd", name, NULL);
		g_autofree gchar *target = g_file_read_link(fd, NULL);

		if (target != NULL && strstr(target, "etilqs_") != NULL)
			n++;
	}
	return n;
}

/* group commit: each booking of a batch stands or falls on its own, and
 * none is stored before the batch commits */
static void
test_booking_batch(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ApBooking) a = NULL;
	g_autoptr(ApBooking) taken = NULL;
	g_autoptr(ApBooking) c = NULL;
	g_autoptr(ApBooking) lost = NULL;
	g_autoptr(sqlite3) other = ap_test_db_open(f->path);
	const gchar *count = "SELECT count(*) FROM bookings";

	g_assert_true(ap_store_batch_begin(f->store, &error));
	g_assert_no_error(error);
	a = ap_test_book(f->store, "personal-styling", ap_test_at(4, 10, 0), f->expert_a, &error);
	g_assert_no_error(error);
	taken = ap_test_book(
		f->store, "personal-styling", ap_test_at(4, 10, 0), f->expert_a, &error);
	g_assert_error(error, AP_ERROR, AP_ERROR_CONFLICT);
	g_assert_null(taken);
	g_clear_error(&error);
	c = ap_test_book(f->store, "personal-styling", ap_test_at(4, 12, 0), f->expert_a, &error);
	g_assert_no_error(error);
	/* another connection sees nothing yet */
	g_assert_cmpint(ap_test_db_int(other, count), ==, 0);
	/* what the savepoints keep to undo a booking is kept in memory, not
	 * written to a temporary file */
	g_assert_cmpuint(count_temporary_files(), ==, 0);
	g_assert_true(ap_store_batch_commit(f->store, &error));
	g_assert_no_error(error);
	g_assert_cmpint(ap_test_db_int(other, count), ==, 2);
	g_assert_cmpuint(ap_test_count_bookings(f->store), ==, 2);

	/* a batch never committed keeps nothing */
	g_assert_true(ap_store_batch_begin(f->store, &error));
	lost = ap_test_book(
		f->store, "personal-styling", ap_test_at(4, 14, 0), f->expert_a, &error);
	g_assert_no_error(error);
	g_clear_object(&f->store);
	g_assert_cmpint(ap_test_db_int(other, count), ==, 2);
}

static void
test_booking_buffers(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ApService) prep = add_service(f->store, "prepared", 30, 30, 0, 1);
	g_autoptr(ApBooking) first = NULL;
	g_autoptr(ApBooking) b = NULL;

	/* personal styling at 10:00 lasts to 10:45 and keeps 15 minutes after */
	first = ap_test_book(
		f->store, "personal-styling", ap_test_at(4, 10, 0), f->expert_a, &error);
	g_assert_no_error(error);
	b = ap_test_book(f->store, "personal-styling", ap_test_at(4, 10, 45), f->expert_a, &error);
	g_assert_error(error, AP_ERROR, AP_ERROR_CONFLICT);
	g_clear_error(&error);
	/* nor may a session's own buffer run into the next session */
	b = ap_test_book(f->store, "personal-styling", ap_test_at(4, 9, 15), f->expert_a, &error);
	g_assert_error(error, AP_ERROR, AP_ERROR_CONFLICT);
	g_clear_error(&error);
	b = ap_test_book(f->store, "personal-styling", ap_test_at(4, 9, 0), f->expert_a, &error);
	g_assert_no_error(error);
	g_clear_pointer(&b, ap_booking_free);

	/* 30 minutes before "prepared": at 11:00 its buffer meets 10:00-10:45 */
	b = ap_test_book(f->store, "prepared", ap_test_at(4, 11, 0), f->expert_a, &error);
	g_assert_error(error, AP_ERROR, AP_ERROR_CONFLICT);
	g_clear_error(&error);
	/* at 11:15 the two buffers overlap, which is allowed */
	b = ap_test_book(f->store, "prepared", ap_test_at(4, 11, 15), f->expert_a, &error);
	g_assert_no_error(error);
	g_clear_pointer(&b, ap_booking_free);
	b = ap_test_book(f->store, "personal-styling", ap_test_at(4, 11, 45), f->expert_a, &error);
	g_assert_no_error(error);
}

static void
test_booking_any_expert(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func((GDestroyNotify)ap_booking_free);
	const gint64 both[] = {f->expert_a, f->expert_b, 0};
	const gint64 both_reversed[] = {f->expert_b, f->expert_a, 0};
	ApBooking *b;

	/* a has two bookings on the 4th, b one; b has three on the 5th */
	g_ptr_array_add(
		keep, ap_test_book(f->store, "nursery", ap_test_at(4, 9, 0), f->expert_a, &error));
	g_ptr_array_add(
		keep, ap_test_book(f->store, "nursery", ap_test_at(4, 11, 0), f->expert_a, &error));
	g_ptr_array_add(
		keep, ap_test_book(f->store, "nursery", ap_test_at(4, 9, 0), f->expert_b, &error));
	g_ptr_array_add(
		keep, ap_test_book(f->store, "nursery", ap_test_at(5, 9, 0), f->expert_b, &error));
	g_ptr_array_add(
		keep, ap_test_book(f->store, "nursery", ap_test_at(5, 10, 0), f->expert_b, &error));
	g_ptr_array_add(
		keep, ap_test_book(f->store, "nursery", ap_test_at(5, 11, 0), f->expert_b, &error));
	g_assert_no_error(error);

	/* fewest that day wins, whatever the order of the candidates */
	b = ap_test_booking_new(f->store, "nursery", ap_test_at(4, 14, 0), "Sam");
	g_assert_true(ap_test_book_full(f->store, b, both, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmpint(b->expert_id, ==, f->expert_b);
	g_ptr_array_add(keep, b);

	/* now 2 each on the 4th: a tie goes to the lowest id */
	b = ap_test_booking_new(f->store, "nursery", ap_test_at(4, 15, 0), "Kim");
	g_assert_true(ap_test_book_full(f->store, b, both_reversed, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmpint(b->expert_id, ==, f->expert_a);
	g_ptr_array_add(keep, b);

	/* the less busy expert is taken at that time: the busier one gets it */
	g_ptr_array_add(
		keep, ap_test_book(f->store, "nursery", ap_test_at(5, 13, 0), f->expert_a, &error));
	g_assert_no_error(error);
	b = ap_test_booking_new(f->store, "nursery", ap_test_at(5, 13, 0), "Lee");
	g_assert_true(ap_test_book_full(f->store, b, both, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmpint(b->expert_id, ==, f->expert_b);
	g_ptr_array_add(keep, b);

	/* nobody free */
	b = ap_test_booking_new(f->store, "nursery", ap_test_at(4, 9, 0), "Max");
	g_assert_false(ap_test_book_full(f->store, b, both, NULL, &error));
	g_assert_error(error, AP_ERROR, AP_ERROR_CONFLICT);
	g_assert_cmpint(b->id, ==, 0);
	g_assert_cmpint(b->expert_id, ==, 0);
	g_assert_cmpstr(b->reference, ==, "");
	ap_booking_free(b);
}

static void
test_booking_capacity(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ApService) group = add_service(f->store, "workshop", 60, 0, 0, 2);
	g_autoptr(ApBooking) one = NULL;
	g_autoptr(ApBooking) two = NULL;
	g_autoptr(ApBooking) three = NULL;
	g_autoptr(ApBooking) again = NULL;
	g_autoptr(ApBooking) inside = NULL;

	one = ap_test_book(f->store, "workshop", ap_test_at(4, 10, 0), f->expert_a, &error);
	g_assert_no_error(error);
	two = ap_test_book(f->store, "workshop", ap_test_at(4, 10, 0), f->expert_a, &error);
	g_assert_no_error(error);
	g_assert_cmpint(seat_of(f, one), ==, 1);
	g_assert_cmpint(seat_of(f, two), ==, 2);
	three = ap_test_book(f->store, "workshop", ap_test_at(4, 10, 0), f->expert_a, &error);
	g_assert_error(error, AP_ERROR, AP_ERROR_CONFLICT);
	g_clear_error(&error);
	/* a seat is only shared at exactly the same start */
	inside = ap_test_book(f->store, "workshop", ap_test_at(4, 10, 30), f->expert_a, &error);
	g_assert_error(error, AP_ERROR, AP_ERROR_CONFLICT);
	g_clear_error(&error);

	/* a cancelled seat is given again */
	g_assert_true(ap_store_booking_set_status(
		f->store, one, AP_BOOKING_STATUS_CANCELLED, NULL, "test", &error));
	g_assert_no_error(error);
	again = ap_test_book(f->store, "workshop", ap_test_at(4, 10, 0), f->expert_a, &error);
	g_assert_no_error(error);
	g_assert_cmpint(seat_of(f, again), ==, 1);
}

static void
test_booking_idempotency(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ApBooking) first =
		ap_test_booking_new(f->store, "nursery", ap_test_at(4, 10, 0), "Ada");
	g_autoptr(ApBooking) retry =
		ap_test_booking_new(f->store, "nursery", ap_test_at(4, 10, 0), "Ada");
	g_autoptr(ApBooking) other =
		ap_test_booking_new(f->store, "nursery", ap_test_at(4, 12, 0), "Ada");
	g_autoptr(GBytes) sealed = g_bytes_new_static("sealed\0token", 12);
	const gint64 experts[] = {f->expert_a, 0};
	ApIdempotency idem = {.key = "key-1", .request_hash = "hash-1", .sealed_token = sealed};
	gsize len = 0;
	const gchar *data;

	g_assert_true(ap_test_book_full(f->store, first, experts, &idem, &error));
	g_assert_no_error(error);
	g_assert_null(idem.replay);

	/* the same request again answers with the first booking */
	g_assert_true(ap_test_book_full(f->store, retry, experts, &idem, &error));
	g_assert_no_error(error);
	g_assert_nonnull(idem.replay);
	g_assert_cmpstr(idem.replay->reference, ==, first->reference);
	g_assert_cmpint(idem.replay->id, ==, first->id);
	g_assert_cmpint(retry->id, ==, 0);
	data = g_bytes_get_data(idem.replay_sealed_token, &len);
	g_assert_cmpmem(data, len, "sealed\0token", 12);
	g_assert_cmpuint(ap_test_count_bookings(f->store), ==, 1);
	ap_idempotency_clear(&idem);

	/* the same key with another request is refused */
	idem.request_hash = "hash-2";
	g_assert_false(ap_test_book_full(f->store, other, experts, &idem, &error));
	g_assert_error(error, AP_ERROR, AP_ERROR_IDEMPOTENCY_MISMATCH);
	g_assert_null(idem.replay);
	g_clear_error(&error);
	g_assert_cmpuint(ap_test_count_bookings(f->store), ==, 1);

	/* another key books anew */
	idem.key = "key-2";
	g_assert_true(ap_test_book_full(f->store, other, experts, &idem, &error));
	g_assert_no_error(error);
	g_assert_null(idem.replay);
	g_assert_cmpuint(ap_test_count_bookings(f->store), ==, 2);
}

static void
test_booking_reschedule(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ApService) service = ap_store_service_get(f->store, "personal-styling", &error);
	g_autoptr(ApBooking) b = ap_test_book(
		f->store, "personal-styling", ap_test_at(4, 10, 0), f->expert_a, &error);
	g_autoptr(ApBooking) blocker = ap_test_book(
		f->store, "personal-styling", ap_test_at(4, 14, 0), f->expert_a, &error);
	g_autoptr(ApBooking) copy = NULL;
	g_autoptr(ApBooking) got = NULL;
	g_autoptr(GPtrArray) history = NULL;
	g_autofree gchar *token_hash = NULL;
	g_autofree gchar *uid = NULL;
	gchar reference[AP_REFERENCE_LENGTH + 1];
	ApCandidate c[2];
	ApBookingEvent *ev;

	g_assert_no_error(error);
	g_strlcpy(reference, b->reference, sizeof(reference));
	token_hash = g_strdup(b->token_hash);
	uid = g_strdup(b->ical_uid);

	/* into a taken slot: refused, and nothing changes */
	ap_test_candidate_init(&c[0], f->expert_a, ap_test_at(4, 14, 0));
	copy = ap_booking_copy(b);
	g_assert_false(ap_store_booking_reschedule(f->store,
						   b,
						   service,
						   ap_test_at(4, 14, 0),
						   ap_test_at(4, 14, 45),
						   c,
						   1,
						   "test",
						   &error));
	g_assert_error(error, AP_ERROR, AP_ERROR_CONFLICT);
	g_clear_error(&error);
	g_assert_cmpint(b->start, ==, ap_test_at(4, 10, 0));
	got = ap_store_booking_get(f->store, reference, &error);
	g_assert_no_error(error);
	g_assert_cmpint(got->start, ==, ap_test_at(4, 10, 0));
	g_assert_cmpint(got->sequence, ==, 0);
	g_assert_cmpint(got->updated_at, ==, copy->updated_at);
	g_clear_pointer(&got, ap_booking_free);

	/* moving a little later overlaps only the booking itself */
	ap_test_candidate_init(&c[0], f->expert_a, ap_test_at(4, 10, 30));
	ap_test_candidate_init(&c[1], f->expert_b, ap_test_at(4, 10, 30));
	g_assert_true(ap_store_booking_reschedule(f->store,
						  b,
						  service,
						  ap_test_at(4, 10, 30),
						  ap_test_at(4, 11, 15),
						  c,
						  2,
						  "customer",
						  &error));
	g_assert_no_error(error);
	/* the current expert keeps it while free, busier or not */
	g_assert_cmpint(b->expert_id, ==, f->expert_a);
	g_assert_cmpint(b->start, ==, ap_test_at(4, 10, 30));
	g_assert_cmpint(b->end, ==, ap_test_at(4, 11, 15));
	g_assert_cmpint(b->sequence, ==, 1);
	g_assert_cmpstr(b->reference, ==, reference);
	g_assert_cmpstr(b->token_hash, ==, token_hash);
	g_assert_cmpstr(b->ical_uid, ==, uid);
	got = ap_store_booking_get(f->store, reference, &error);
	g_assert_no_error(error);
	g_assert_cmpint(got->start, ==, ap_test_at(4, 10, 30));
	g_assert_cmpint(got->sequence, ==, 1);
	g_clear_pointer(&got, ap_booking_free);

	/* to another expert */
	ap_test_candidate_init(&c[0], f->expert_b, ap_test_at(5, 16, 0));
	g_assert_true(ap_store_booking_reschedule(f->store,
						  b,
						  service,
						  ap_test_at(5, 16, 0),
						  ap_test_at(5, 16, 45),
						  c,
						  1,
						  "staff",
						  &error));
	g_assert_no_error(error);
	g_assert_cmpint(b->expert_id, ==, f->expert_b);
	g_assert_cmpint(b->sequence, ==, 2);

	history = ap_store_booking_history(f->store, reference, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(history->len, ==, 3);
	ev = g_ptr_array_index(history, 1);
	g_assert_cmpstr(ev->action, ==, "rescheduled");
	g_assert_cmpstr(ev->actor, ==, "customer");
	g_assert_nonnull(strstr(ev->detail, "\"from\""));
	g_assert_nonnull(strstr(ev->detail, "2031-03-04T10:00:00Z"));
	g_assert_nonnull(strstr(ev->detail, "2031-03-04T10:30:00Z"));
	ev = g_ptr_array_index(history, 2);
	g_assert_cmpstr(ev->actor, ==, "staff");

	/* a cancelled booking cannot move */
	g_assert_true(ap_store_booking_set_status(
		f->store, b, AP_BOOKING_STATUS_CANCELLED, "ill", "customer", &error));
	g_assert_no_error(error);
	g_assert_false(ap_store_booking_reschedule(f->store,
						   b,
						   service,
						   ap_test_at(6, 10, 0),
						   ap_test_at(6, 10, 45),
						   c,
						   1,
						   "customer",
						   &error));
	g_assert_error(error, AP_ERROR, AP_ERROR_STATE);
}

static void
test_booking_status(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ApBooking) future =
		ap_test_book(f->store, "nursery", ap_test_at(4, 10, 0), f->expert_a, &error);
	g_autoptr(ApBooking) past = NULL;
	g_autoptr(ApBooking) got = NULL;
	g_autoptr(ApBooking) ghost = ap_booking_new();
	g_autoptr(GPtrArray) history = NULL;
	g_autoptr(GDateTime) now = g_date_time_new_now_utc();
	g_autoptr(GDateTime) yesterday = g_date_time_add_days(now, -1);
	ApBookingEvent *ev;

	g_assert_no_error(error);
	past = ap_test_book(
		f->store, "nursery", g_date_time_to_unix(yesterday), f->expert_a, &error);
	g_assert_no_error(error);

	/* not started: cannot be completed */
	g_assert_false(ap_store_booking_set_status(
		f->store, future, AP_BOOKING_STATUS_COMPLETED, NULL, "expert", &error));
	g_assert_error(error, AP_ERROR, AP_ERROR_STATE);
	g_clear_error(&error);
	got = ap_store_booking_get(f->store, future->reference, &error);
	g_assert_no_error(error);
	g_assert_cmpint(got->status, ==, AP_BOOKING_STATUS_CONFIRMED);
	g_clear_pointer(&got, ap_booking_free);

	/* cancelled, with a reason; the calendar must follow */
	g_assert_true(ap_store_booking_set_status(
		f->store, future, AP_BOOKING_STATUS_CANCELLED, "moving house", "customer", &error));
	g_assert_no_error(error);
	g_assert_cmpint(future->status, ==, AP_BOOKING_STATUS_CANCELLED);
	g_assert_cmpstr(future->cancel_reason, ==, "moving house");
	g_assert_cmpint(future->sequence, ==, 1);
	g_assert_cmpstr(future->customer_name, ==, "Alex");
	g_assert_false(ap_store_booking_set_status(
		f->store, future, AP_BOOKING_STATUS_CANCELLED, NULL, "customer", &error));
	g_assert_error(error, AP_ERROR, AP_ERROR_STATE);
	g_clear_error(&error);

	/* started: cannot be cancelled, can be marked */
	g_assert_false(ap_store_booking_set_status(
		f->store, past, AP_BOOKING_STATUS_CANCELLED, NULL, "customer", &error));
	g_assert_error(error, AP_ERROR, AP_ERROR_STATE);
	g_clear_error(&error);
	g_assert_true(ap_store_booking_set_status(
		f->store, past, AP_BOOKING_STATUS_NO_SHOW, NULL, "expert", &error));
	g_assert_no_error(error);
	g_assert_cmpint(past->status, ==, AP_BOOKING_STATUS_NO_SHOW);
	g_assert_cmpint(past->sequence, ==, 0);
	g_assert_false(ap_store_booking_set_status(
		f->store, past, AP_BOOKING_STATUS_COMPLETED, NULL, "expert", &error));
	g_assert_error(error, AP_ERROR, AP_ERROR_STATE);
	g_clear_error(&error);

	history = ap_store_booking_history(f->store, future->reference, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(history->len, ==, 2);
	ev = g_ptr_array_index(history, 0);
	g_assert_cmpstr(ev->action, ==, "created");
	ev = g_ptr_array_index(history, 1);
	g_assert_cmpstr(ev->action, ==, "cancelled");
	g_assert_cmpstr(ev->actor, ==, "customer");
	g_assert_nonnull(strstr(ev->detail, "moving house"));
	g_clear_pointer(&history, g_ptr_array_unref);
	history = ap_store_booking_history(f->store, past->reference, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(history->len, ==, 2);
	g_assert_cmpstr(((ApBookingEvent *)g_ptr_array_index(history, 1))->action, ==, "no-show");

	g_strlcpy(ghost->reference, "ZZZZZZZZ", sizeof(ghost->reference));
	g_assert_false(ap_store_booking_set_status(
		f->store, ghost, AP_BOOKING_STATUS_CANCELLED, NULL, "customer", &error));
	g_assert_error(error, AP_ERROR, AP_ERROR_NOT_FOUND);
}

static void
test_clock(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ApBooking) b = NULL;
	g_autoptr(GPtrArray) history = NULL;

	/* a fixed clock (as the engine's in tests and demonstrations) decides
	 * the transitions and stamps the changes */
	ap_store_set_now(f->store, ap_test_at(1, 12, 0));
	g_assert_cmpint(ap_store_get_now(f->store), ==, ap_test_at(1, 12, 0));
	b = ap_test_book(f->store, "nursery", ap_test_at(4, 10, 0), f->expert_a, &error);
	g_assert_no_error(error);
	g_assert_cmpint(b->created_at, ==, ap_test_at(1, 12, 0));
	ap_store_set_now(f->store, ap_test_at(4, 10, 50));
	g_assert_true(ap_store_booking_set_status(
		f->store, b, AP_BOOKING_STATUS_COMPLETED, NULL, "expert", &error));
	g_assert_no_error(error);
	g_assert_cmpint(b->status, ==, AP_BOOKING_STATUS_COMPLETED);
	g_assert_cmpint(b->updated_at, ==, ap_test_at(4, 10, 50));
	history = ap_store_booking_history(f->store, b->reference, &error);
	g_assert_no_error(error);
	g_assert_cmpint(
		((ApBookingEvent *)g_ptr_array_index(history, 1))->at, ==, ap_test_at(4, 10, 50));

	/* 0 is the real clock again */
	ap_store_set_now(f->store, 0);
	g_assert_cmpint(ap_store_get_now(f->store), >=, g_get_real_time() / G_USEC_PER_SEC - 5);
}

static void
test_busy_list(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func((GDestroyNotify)ap_booking_free);
	g_autoptr(GArray) busy = NULL;
	ApBooking *cancelled;
	ApBusy *b;

	g_ptr_array_add(
		keep,
		ap_test_book(
			f->store, "personal-styling", ap_test_at(4, 14, 0), f->expert_b, &error));
	g_ptr_array_add(
		keep,
		ap_test_book(
			f->store, "personal-styling", ap_test_at(4, 10, 0), f->expert_b, &error));
	g_ptr_array_add(
		keep,
		ap_test_book(
			f->store, "personal-styling", ap_test_at(4, 12, 0), f->expert_a, &error));
	g_ptr_array_add(
		keep,
		ap_test_book(
			f->store, "personal-styling", ap_test_at(4, 16, 0), f->expert_a, &error));
	g_assert_no_error(error);
	cancelled = ap_test_book(f->store, "nursery", ap_test_at(4, 11, 0), f->expert_a, &error);
	g_assert_no_error(error);
	g_assert_true(ap_store_booking_set_status(
		f->store, cancelled, AP_BOOKING_STATUS_CANCELLED, NULL, "test", &error));
	g_assert_no_error(error);
	g_ptr_array_add(keep, cancelled);

	/* [10:45, 16:00): the 10:00 session's buffer reaches in, 16:00 does
	 * not; the cancelled booking holds nothing */
	busy = ap_store_busy_list(f->store, 0, ap_test_at(4, 10, 45), ap_test_at(4, 16, 0), &error);
	g_assert_no_error(error);
	g_assert_cmpuint(busy->len, ==, 3);
	b = &g_array_index(busy, ApBusy, 0);
	g_assert_cmpint(b->expert_id, ==, f->expert_a);
	g_assert_cmpint(b->start, ==, ap_test_at(4, 12, 0));
	g_assert_cmpint(b->end, ==, ap_test_at(4, 12, 45));
	g_assert_cmpint(b->block_start, ==, ap_test_at(4, 12, 0));
	g_assert_cmpint(b->block_end, ==, ap_test_at(4, 13, 0));
	g_assert_true(b->service_id == g_intern_static_string("personal-styling"));
	b = &g_array_index(busy, ApBusy, 1);
	g_assert_cmpint(b->expert_id, ==, f->expert_b);
	g_assert_cmpint(b->start, ==, ap_test_at(4, 10, 0));
	b = &g_array_index(busy, ApBusy, 2);
	g_assert_cmpint(b->start, ==, ap_test_at(4, 14, 0));
	g_clear_pointer(&busy, g_array_unref);

	/* [11:00, ...): the 10:00 block ends exactly where it starts */
	busy = ap_store_busy_list(
		f->store, f->expert_b, ap_test_at(4, 11, 0), ap_test_at(5, 0, 0), &error);
	g_assert_no_error(error);
	g_assert_cmpuint(busy->len, ==, 1);
	g_assert_cmpint(g_array_index(busy, ApBusy, 0).start, ==, ap_test_at(4, 14, 0));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

	ap_test_store_add("/store/booking/create", test_booking_create);
	ap_test_store_add("/store/booking/search", test_booking_search);
	ap_test_store_add("/store/booking/conflict", test_booking_conflict);
	ap_test_store_add("/store/booking/batch", test_booking_batch);
	ap_test_store_add("/store/booking/buffers", test_booking_buffers);
	ap_test_store_add("/store/booking/any-expert", test_booking_any_expert);
	ap_test_store_add("/store/booking/capacity", test_booking_capacity);
	ap_test_store_add("/store/booking/idempotency", test_booking_idempotency);
	ap_test_store_add("/store/booking/reschedule", test_booking_reschedule);
	ap_test_store_add("/store/booking/status", test_booking_status);
	ap_test_store_add("/store/clock", test_clock);
	ap_test_store_add("/store/busy-list", test_busy_list);
	return g_test_run();
}
