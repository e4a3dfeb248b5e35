/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gstdio.h>
#include <string.h>

#include "ap-engine-book.h"
#include "ap-engine.h"
#include "ap-error.h"
#include "ap-secret.h"
#include "ap-sqlite-store.h"
#include "ap-test-util.h"
#include "ap-time.h"

/* Sunday 3 January 2027, noon UTC */
#define AP_TEST_NOW 1798977600

typedef struct {
	gchar *dir;
	ApConfig *config;
	ApStore *store;
	ApEngine *engine;
	gint64 london;	/* expert in Europe/London, Mon–Fri 09:00–17:00 */
	gint64 newyork; /* expert in America/New_York, Mon–Fri 09:00–17:00 */
} Fixture;

static gint64
at(const gchar *text)
{
	gint64 t = 0;
	g_assert_true(ap_time_parse_rfc3339(text, &t, NULL));
	return t;
}

static gint64
add_expert(Fixture *f, const gchar *name, const gchar *tz, const gchar *services)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ApExpert) e = ap_expert_new();
	g_auto(GStrv) ids = g_strsplit(services, ",", -1);

	e->name = g_strdup(name);
	e->email = g_strdup_printf("%s@example.com", name);
	e->bio = g_strdup("");
	g_assert_true(ap_expert_set_timezone(e, tz, &error));
	for (guint i = 0; ids[i] != NULL; i++)
		g_ptr_array_add(e->services, g_strdup(ids[i]));
	for (GDateWeekday d = G_DATE_MONDAY; d <= G_DATE_FRIDAY; d++)
		g_assert_true(ap_weekly_hours_add(e->hours, d, 9 * 60, 17 * 60, &error));
	g_assert_true(ap_store_expert_create(f->store, e, &error));
	g_assert_no_error(error);
	return e->id;
}

static void
fixture_set_up(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;

	f->dir = g_dir_make_tmp("appoint-engine-XXXXXX", &error);
	g_assert_no_error(error);
	f->config = ap_config_new_default();
	g_free(f->config->database_path);
	f->config->database_path = g_build_filename(f->dir, "appoint.db", NULL);
	f->store = ap_sqlite_store_new(f->config->database_path, &error);
	g_assert_no_error(error);
	f->engine = ap_engine_new(f->config, f->store, &error);
	g_assert_no_error(error);
	ap_engine_set_now(f->engine, AP_TEST_NOW);
	f->london = add_expert(f, "london", "Europe/London", "personal-styling,home-design");
	f->newyork = add_expert(f, "newyork", "America/New_York", "personal-styling");
}

static void
fixture_tear_down(Fixture *f, gconstpointer user_data)
{
	g_clear_object(&f->engine);
	g_clear_object(&f->store);
	g_clear_pointer(&f->config, ap_config_free);
	ap_test_remove_dir(f->dir);
	g_free(f->dir);
}

static JsonObject *
styling_answers(void)
{
	JsonObject *answers = json_object_new();
	json_object_set_string_member(answers, "occasion", "Work");
	return answers;
}

static ApBooking *
book(Fixture *f, const gchar *start, gint64 expert_id, gchar **token, GError **error)
{
	g_autoptr(JsonObject) answers = styling_answers();
	ApBookingRequest request = {
		.service_id = "personal-styling",
		.start = at(start),
		.expert_id = expert_id,
		.customer_name = "Olivia Bennett",
		.customer_email = "olivia@example.net",
		.customer_phone = "+44 7700 900002",
		.customer_timezone = "Europe/London",
		.answers = answers,
	};
	return ap_engine_book(f->engine, &request, "test", token, NULL, error);
}

static GPtrArray *
slots_of(Fixture *f, const gchar *from, const gchar *to, const gchar *tz, gint64 expert)
{
	g_autoptr(GError) error = NULL;
	GDate d_from, d_to;
	GPtrArray *slots;

	g_assert_true(ap_date_parse(from, &d_from, NULL));
	g_assert_true(ap_date_parse(to, &d_to, NULL));
	slots = ap_engine_list_slots(
		f->engine, "personal-styling", &d_from, &d_to, tz, expert, NULL, &error);
	g_assert_no_error(error);
	return slots;
}

static ApSlot *
find_slot(GPtrArray *slots, gint64 start)
{
	for (guint i = 0; i < slots->len; i++) {
		ApSlot *s = g_ptr_array_index(slots, i);
		if (s->start == start)
			return s;
	}
	return NULL;
}

static ApSlot *
get_slot(GPtrArray *slots, gint64 start)
{
	ApSlot *s = find_slot(slots, start);
	if (s == NULL)
		g_error("no slot at %" G_GINT64_FORMAT, start);
	return s;
}

static void
test_engine_slots(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GPtrArray) slots = slots_of(f, "2027-01-04", "2027-01-04", NULL, 0);
	ApSlot *first, *both;

	/* London 09:00–17:00 in 45-minute sessions on a 15-minute grid: 09:00 … 16:15 */
	first = g_ptr_array_index(slots, 0);
	g_assert_cmpint(first->start, ==, at("2027-01-04T09:00:00Z"));
	g_assert_cmpuint(first->experts->len, ==, 1);
	g_assert_cmpint(g_array_index(first->experts, gint64, 0), ==, f->london);
	/* New York starts at 09:00 EST = 14:00Z; both are free then */
	both = get_slot(slots, at("2027-01-04T14:00:00Z"));
	g_assert_cmpuint(both->experts->len, ==, 2);
	/* a London day ends at midnight London time: New York's 18:15Z … 23:15Z
	 * starts are in it, its evening after 00:00Z is not */
	g_assert_nonnull(find_slot(slots, at("2027-01-04T21:15:00Z")));
	g_assert_null(find_slot(slots, at("2027-01-05T00:00:00Z")));
	/* 16:30Z would end after London's 17:00, so only New York offers it */
	g_assert_cmpuint(get_slot(slots, at("2027-01-04T16:30:00Z"))->experts->len, ==, 1);

	/* the same day seen from New York starts five hours later */
	g_clear_pointer(&slots, g_ptr_array_unref);
	slots = slots_of(f, "2027-01-04", "2027-01-04", "America/New_York", f->london);
	g_assert_cmpuint(slots->len, ==, 30);
	g_assert_cmpint(
		((ApSlot *)g_ptr_array_index(slots, 0))->start, ==, at("2027-01-04T09:00:00Z"));
}

static GPtrArray *
slots_at(Fixture *f, gint64 now, const gchar *from, const gchar *to, gint64 *valid_until)
{
	g_autoptr(GError) error = NULL;
	GPtrArray *slots;
	GDate a, b;

	ap_test_date(from, &a);
	ap_test_date(to, &b);
	ap_engine_set_now(f->engine, now);
	slots = ap_engine_list_slots(
		f->engine, "personal-styling", &a, &b, NULL, 0, valid_until, &error);
	g_assert_no_error(error);
	g_assert_nonnull(slots);
	return slots;
}

static gboolean
slots_equal(GPtrArray *a, GPtrArray *b)
{
	if (a->len != b->len)
		return FALSE;
	for (guint i = 0; i < a->len; i++) {
		const ApSlot *x = g_ptr_array_index(a, i);
		const ApSlot *y = g_ptr_array_index(b, i);

		if (x->start != y->start || x->end != y->end || x->remaining != y->remaining ||
		    x->experts->len != y->experts->len ||
		    memcmp(x->experts->data, y->experts->data, x->experts->len * sizeof(gint64)) !=
			    0)
			return FALSE;
	}
	return TRUE;
}

/* how long an answer may be reused: the same answer at every instant
 * before the end it reports, and not at that end. Inside the horizon,
 * until its first slot falls within the notice; where the horizon cuts
 * the dates, a few seconds; with no slot inside it, for ever */
static void
test_engine_slots_valid_until(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ApService) service = ap_store_service_get(f->store, "personal-styling", &error);
	g_autoptr(GPtrArray) soon = NULL;
	g_autoptr(GPtrArray) still = NULL;
	g_autoptr(GPtrArray) moved = NULL;
	g_autoptr(GPtrArray) far = NULL;
	g_autoptr(GPtrArray) cut = NULL;
	g_autoptr(GPtrArray) none = NULL;
	gint64 now = at("2027-01-04T08:00:00Z");
	gint64 notice, valid_until = 0, ignored = 0;
	const ApSlot *first;

	g_assert_no_error(error);
	notice = (gint64)service->min_notice_minutes * 60;
	soon = slots_at(f, now, "2027-01-04", "2027-01-04", &valid_until);
	g_assert_cmpuint(soon->len, >, 0);
	first = g_ptr_array_index(soon, 0);
	g_assert_cmpint(valid_until, ==, first->start - notice + 1);
	g_assert_cmpint(valid_until, >, now);
	still = slots_at(f, valid_until - 1, "2027-01-04", "2027-01-04", &ignored);
	g_assert_true(slots_equal(soon, still));
	moved = slots_at(f, valid_until, "2027-01-04", "2027-01-04", &ignored);
	g_assert_cmpuint(moved->len, ==, soon->len - 1);
	g_assert_cmpint(((ApSlot *)g_ptr_array_index(moved, 0))->start, >, first->start);

	/* a week ahead: kept for as long, until that week's first slot nears */
	far = slots_at(f, now, "2027-01-11", "2027-01-15", &valid_until);
	g_assert_cmpuint(far->len, >, 0);
	first = g_ptr_array_index(far, 0);
	g_assert_cmpint(valid_until, ==, first->start - notice + 1);

	/* the horizon (60 days) ends on 5 March: slots come in as time passes */
	cut = slots_at(f, now, "2027-03-04", "2027-03-05", &valid_until);
	g_assert_cmpuint(cut->len, >, 0);
	g_assert_cmpint(valid_until, ==, now + AP_ENGINE_SLOTS_FRESH_SECONDS);
	g_clear_pointer(&still, g_ptr_array_unref);
	still = slots_at(f, valid_until - 1, "2027-03-04", "2027-03-05", &ignored);
	g_assert_true(slots_equal(cut, still));

	/* a weekend: nobody works, nothing can come */
	none = slots_at(f, now, "2027-01-09", "2027-01-10", &valid_until);
	g_assert_cmpuint(none->len, ==, 0);
	g_assert_cmpint(valid_until, ==, G_MAXINT64);
}

/* the generation moves with every change, through this connection or
 * another one on the same file */
static void
test_engine_store_generation(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ApStore) other = ap_sqlite_store_new(f->config->database_path, &error);
	g_autoptr(ApService) service = NULL;
	guint64 g0, g1, g2;

	g_assert_no_error(error);
	g0 = ap_store_get_generation(f->store);
	g_assert_cmpuint(g0, !=, 0);
	g_assert_cmpuint(ap_store_get_generation(f->store), ==, g0);
	add_expert(f, "third", "Europe/London", "nursery");
	g1 = ap_store_get_generation(f->store);
	g_assert_cmpuint(g1, >, g0);
	service = ap_store_service_get(other, "nursery", &error);
	g_assert_no_error(error);
	service->min_notice_minutes += 5;
	g_assert_true(ap_store_service_update(other, service, &error));
	g_assert_no_error(error);
	g2 = ap_store_get_generation(f->store);
	g_assert_cmpuint(g2, >, g1);
}

/* the engine keeps the catalogue between requests, but never past a change:
 * through its own store, or another process's */
static void
test_engine_catalogue_fresh(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ApStore) other = ap_sqlite_store_new(f->config->database_path, &error);
	g_autoptr(GPtrArray) before = slots_of(f, "2027-01-04", "2027-01-04", NULL, f->london);
	g_autoptr(GPtrArray) no_hours = NULL;
	g_autoptr(GPtrArray) back = NULL;
	g_autoptr(ApExpert) mine = NULL;
	g_autoptr(ApExpert) theirs = NULL;
	g_autoptr(ApExpert) shown = NULL;

	g_assert_no_error(error);
	g_assert_cmpuint(before->len, >, 0);
	/* Monday's hours gone, written by another connection */
	theirs = ap_store_expert_get(other, f->london, &error);
	g_assert_no_error(error);
	g_array_set_size(theirs->hours->days[G_DATE_MONDAY - 1], 0);
	g_assert_true(ap_store_expert_update(other, theirs, &error));
	g_assert_no_error(error);
	no_hours = slots_of(f, "2027-01-04", "2027-01-04", NULL, f->london);
	g_assert_cmpuint(no_hours->len, ==, 0);

	/* and back, through the engine's own store; the name too */
	mine = ap_store_expert_get(f->store, f->london, &error);
	g_assert_no_error(error);
	g_assert_true(ap_weekly_hours_add(mine->hours, G_DATE_MONDAY, 9 * 60, 17 * 60, &error));
	g_free(mine->name);
	mine->name = g_strdup("Renamed");
	g_assert_true(ap_store_expert_update(f->store, mine, &error));
	g_assert_no_error(error);
	back = slots_of(f, "2027-01-04", "2027-01-04", NULL, f->london);
	g_assert_cmpuint(back->len, ==, before->len);
	shown = ap_engine_get_expert(f->engine, f->london);
	g_assert_cmpstr(shown->name, ==, "Renamed");
}

static void
test_engine_slots_invalid(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	GDate a, b;
	GPtrArray *slots;

	g_date_clear(&a, 1);
	g_date_clear(&b, 1);
	g_date_set_dmy(&a, 4, 1, 2027);
	g_date_set_dmy(&b, 6, 3, 2027); /* 62 days after 4 January, inclusive: 62 days */
	slots = ap_engine_list_slots(f->engine, "personal-styling", &a, &b, NULL, 0, NULL, &error);
	g_assert_no_error(error);
	g_ptr_array_unref(slots);
	g_date_add_days(&b, 1);
	g_assert_null(
		ap_engine_list_slots(f->engine, "personal-styling", &a, &b, NULL, 0, NULL, &error));
	g_assert_error(error, AP_ERROR, AP_ERROR_INVALID);
	g_clear_error(&error);
	g_assert_null(
		ap_engine_list_slots(f->engine, "personal-styling", &b, &a, NULL, 0, NULL, &error));
	g_assert_error(error, AP_ERROR, AP_ERROR_INVALID);
	g_clear_error(&error);
	g_assert_null(ap_engine_list_slots(
		f->engine, "personal-styling", &a, &a, "Mars/Base", 0, NULL, &error));
	g_assert_error(error, AP_ERROR, AP_ERROR_INVALID);
	g_clear_error(&error);
	g_assert_null(ap_engine_list_slots(f->engine, "juggling", &a, &a, NULL, 0, NULL, &error));
	g_assert_error(error, AP_ERROR, AP_ERROR_INVALID);
	g_assert_true(g_str_has_prefix(error->message, "service: "));
	g_clear_error(&error);
	g_assert_null(
		ap_engine_list_slots(f->engine, "nursery", &a, &a, NULL, f->london, NULL, &error));
	g_assert_error(error, AP_ERROR, AP_ERROR_INVALID);
	g_assert_true(g_str_has_prefix(error->message, "expert: "));
}

static void
test_engine_book_any_expert(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ApBooking) b1 = NULL;
	g_autoptr(ApBooking) b2 = NULL;
	g_autoptr(ApBooking) b3 = NULL;
	g_autoptr(ApBooking) b4 = NULL;
	g_autofree gchar *token = NULL;
	g_autofree gchar *hash = NULL;
	g_autoptr(GPtrArray) slots = NULL;

	/* both free and both without bookings that day: the lower id wins */
	b1 = book(f, "2027-01-04T14:00:00Z", 0, &token, &error);
	g_assert_no_error(error);
	g_assert_cmpint(b1->expert_id, ==, f->london);
	g_assert_cmpint(b1->status, ==, AP_BOOKING_STATUS_CONFIRMED);
	g_assert_cmpint(b1->end - b1->start, ==, 45 * 60);
	g_assert_true(ap_reference_is_valid(b1->reference));
	g_assert_cmpint(b1->sequence, ==, 0);
	g_assert_true(g_str_has_suffix(b1->ical_uid, "@example.com"));
	hash = ap_token_hash(token);
	g_assert_cmpstr(hash, ==, b1->token_hash);
	g_assert_cmpuint(strlen(token), >=, 43);
	/* both begin with the time they were made, for the indexes' sake */
	g_assert_cmpint(b1->token_hash[0], ==, '~');
	g_assert_true(g_regex_match_simple("^[0-9a-f]{12}-", token, 0, 0));
	g_assert_cmpmem(b1->ical_uid, 13, token, 13);

	/* then the other one */
	b2 = book(f, "2027-01-04T14:00:00Z", 0, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpint(b2->expert_id, ==, f->newyork);

	/* then nobody: offered, but taken */
	b3 = book(f, "2027-01-04T14:00:00Z", 0, NULL, &error);
	g_assert_null(b3);
	g_assert_error(error, AP_ERROR, AP_ERROR_CONFLICT);
	g_clear_error(&error);

	/* London now has a booking that day, New York one too; at 15:00Z
	 * London's buffer after 14:00–14:45 is over, both are free, tie → id */
	b4 = book(f, "2027-01-04T15:00:00Z", 0, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpint(b4->expert_id, ==, f->london);

	/* and the slot is gone from the list */
	slots = slots_of(f, "2027-01-04", "2027-01-04", NULL, 0);
	g_assert_null(find_slot(slots, at("2027-01-04T14:00:00Z")));
	/* 14:45 falls in both experts' 15-minute buffers after 14:00–14:45 */
	g_assert_null(find_slot(slots, at("2027-01-04T14:45:00Z")));
	g_assert_nonnull(find_slot(slots, at("2027-01-04T16:00:00Z")));
}

static void
test_engine_book_invalid(Fixture *f, gconstpointer user_data)
{
	const struct {
		const gchar *start;
		gint64 expert;
		gint code;
	} cases[] = {
		{"2027-01-04T14:05:00Z", 0, AP_ERROR_NOT_OFFERED}, /* off the grid */
		{"2027-01-02T10:00:00Z", 0, AP_ERROR_NOT_OFFERED}, /* in the past */
		{"2027-01-03T13:00:00Z", 0, AP_ERROR_NOT_OFFERED}, /* a Sunday: nobody works */
		{"2027-01-04T08:00:00Z", 0, AP_ERROR_NOT_OFFERED}, /* before hours */
		{"2027-06-01T09:00:00Z", 0, AP_ERROR_NOT_OFFERED}, /* beyond the 60-day horizon */
		{"2027-01-04T09:00:00Z", 2, AP_ERROR_NOT_OFFERED}, /* New York is asleep */
		{"2027-01-04T09:00:00Z", 99, AP_ERROR_INVALID},	   /* no such expert */
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(ApBooking) b = NULL;
		gint64 expert = cases[i].expert == 2 ? f->newyork : cases[i].expert;

		g_test_message("case %u: %s", i, cases[i].start);
		b = book(f, cases[i].start, expert, NULL, &error);
		g_assert_null(b);
		g_assert_error(error, AP_ERROR, cases[i].code);
	}
	/* 16:30Z would end after London's 17:00; New York offers it */
	{
		g_autoptr(GError) error = NULL;
		g_autoptr(ApBooking) b = book(f, "2027-01-04T16:30:00Z", f->london, NULL, &error);
		g_assert_error(error, AP_ERROR, AP_ERROR_NOT_OFFERED);
	}
}

static void
test_engine_book_customer_invalid(Fixture *f, gconstpointer user_data)
{
	g_autoptr(JsonObject) good = styling_answers();
	g_autoptr(JsonObject) empty = json_object_new();
	const struct {
		const gchar *name;
		const gchar *email;
		const gchar *phone;
		const gchar *locale;
		const gchar *tz;
		gboolean no_answers;
		const gchar *field;
	} cases[] = {
		{"", "a@example.com", NULL, NULL, NULL, FALSE, "customer.name"},
		{"A\r\nB", "a@example.com", NULL, NULL, NULL, FALSE, "customer.name"},
		{"A", "not-an-email", NULL, NULL, NULL, FALSE, "customer.email"},
		{"A",
		 "a@example.com\nBcc: x@example.com",
		 NULL,
		 NULL,
		 NULL,
		 FALSE,
		 "customer.email"},
		{"A", "a@example.com", "phone me", NULL, NULL, FALSE, "customer.phone"},
		{"A", "a@example.com", NULL, "english", NULL, FALSE, "customer.locale"},
		{"A", "a@example.com", NULL, NULL, "Nowhere/Town", FALSE, "customer.timezone"},
		{"A", "a@example.com", NULL, NULL, NULL, TRUE, "answers.occasion"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(ApBooking) b = NULL;
		ApBookingRequest request = {
			.service_id = "personal-styling",
			.start = at("2027-01-04T10:00:00Z"),
			.customer_name = cases[i].name,
			.customer_email = cases[i].email,
			.customer_phone = cases[i].phone,
			.customer_locale = cases[i].locale,
			.customer_timezone = cases[i].tz,
			.answers = cases[i].no_answers ? empty : good,
		};
		b = ap_engine_book(f->engine, &request, "test", NULL, NULL, &error);
		g_test_message("case %u: %s", i, error != NULL ? error->message : "booked");
		g_assert_null(b);
		g_assert_error(error, AP_ERROR, AP_ERROR_INVALID);
		g_assert_true(g_str_has_prefix(error->message, cases[i].field));
	}
	/* and nothing was stored */
	{
		g_autoptr(GError) error = NULL;
		ApBookingQuery q = {.from = G_MININT64, .to = G_MAXINT64, .limit = 100};
		g_autoptr(GPtrArray) all = ap_store_bookings_search(f->store, &q, &error);
		g_assert_no_error(error);
		g_assert_cmpuint(all->len, ==, 0);
	}
}

static void
test_engine_idempotency(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonObject) answers = styling_answers();
	ApBookingRequest request = {
		.service_id = "personal-styling",
		.start = at("2027-01-05T10:00:00Z"),
		.customer_name = "Retry Customer",
		.customer_email = "retry@example.net",
		.answers = answers,
		.idempotency_key = "key-1",
		.request_hash = "hash-a",
	};
	g_autofree gchar *t1 = NULL;
	g_autofree gchar *t2 = NULL;
	gboolean replayed = TRUE;
	g_autoptr(ApBooking) b1 =
		ap_engine_book(f->engine, &request, "test", &t1, &replayed, &error);
	g_autoptr(ApBooking) b2 = NULL;
	g_autoptr(ApBooking) b3 = NULL;

	g_assert_no_error(error);
	g_assert_false(replayed);
	b2 = ap_engine_book(f->engine, &request, "test", &t2, &replayed, &error);
	g_assert_no_error(error);
	g_assert_true(replayed);
	g_assert_cmpstr(b1->reference, ==, b2->reference);
	g_assert_cmpstr(t1, ==, t2);

	request.request_hash = "hash-b";
	b3 = ap_engine_book(f->engine, &request, "test", NULL, NULL, &error);
	g_assert_null(b3);
	g_assert_error(error, AP_ERROR, AP_ERROR_IDEMPOTENCY_MISMATCH);
	g_clear_error(&error);

	/* retried once the slot is within the notice: still the first answer */
	{
		g_autoptr(ApBooking) b4 = NULL;
		g_autofree gchar *t4 = NULL;

		request.request_hash = "hash-a";
		ap_engine_set_now(f->engine, request.start - 60);
		b4 = ap_engine_book(f->engine, &request, "test", &t4, &replayed, &error);
		g_assert_no_error(error);
		g_assert_true(replayed);
		g_assert_cmpstr(b4->reference, ==, b1->reference);
		g_assert_cmpstr(t4, ==, t1);
	}
}

static void
test_engine_reschedule(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ApBooking) b = book(f, "2027-01-04T10:00:00Z", f->london, NULL, &error);
	g_autoptr(ApBooking) other = book(f, "2027-01-04T12:00:00Z", f->london, NULL, &error);
	g_autoptr(ApBooking) moved = NULL;
	g_autoptr(ApBooking) again = NULL;
	g_autoptr(ApBooking) refused = NULL;
	g_autoptr(ApBooking) stored = NULL;

	g_assert_no_error(error);
	moved = ap_engine_reschedule(
		f->engine, b->reference, at("2027-01-04T15:00:00Z"), f->newyork, "test", &error);
	g_assert_no_error(error);
	g_assert_cmpstr(moved->reference, ==, b->reference);
	g_assert_cmpstr(moved->token_hash, ==, b->token_hash);
	g_assert_cmpstr(moved->ical_uid, ==, b->ical_uid);
	g_assert_cmpint(moved->sequence, ==, 1);
	g_assert_cmpint(moved->expert_id, ==, f->newyork);
	g_assert_cmpint(moved->start, ==, at("2027-01-04T15:00:00Z"));

	/* into a taken slot: 409, and nothing changes */
	refused = ap_engine_reschedule(
		f->engine, b->reference, at("2027-01-04T12:00:00Z"), f->london, "test", &error);
	g_assert_null(refused);
	g_assert_error(error, AP_ERROR, AP_ERROR_CONFLICT);
	g_clear_error(&error);
	/* off the grid: 422 */
	refused = ap_engine_reschedule(
		f->engine, b->reference, at("2027-01-04T12:10:00Z"), 0, "test", &error);
	g_assert_null(refused);
	g_assert_error(error, AP_ERROR, AP_ERROR_NOT_OFFERED);
	g_clear_error(&error);
	stored = ap_store_booking_get(f->store, b->reference, &error);
	g_assert_no_error(error);
	g_assert_cmpint(stored->start, ==, at("2027-01-04T15:00:00Z"));
	g_assert_cmpint(stored->sequence, ==, 1);

	/* without an expert named, the current one keeps it when free */
	again = ap_engine_reschedule(
		f->engine, b->reference, at("2027-01-04T16:00:00Z"), 0, "test", &error);
	g_assert_no_error(error);
	g_assert_cmpint(again->expert_id, ==, f->newyork);
	g_assert_cmpint(again->sequence, ==, 2);
}

static void
test_engine_status(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ApBooking) b = book(f, "2027-01-04T10:00:00Z", f->london, NULL, &error);
	g_autoptr(ApBooking) done = NULL;
	g_autoptr(ApBooking) cancelled = NULL;
	g_autoptr(ApBooking) refused = NULL;
	g_autoptr(ApBooking) rebooked = NULL;
	g_autoptr(GPtrArray) history = NULL;

	g_assert_no_error(error);
	/* not started yet: cannot be completed */
	refused = ap_engine_set_status(
		f->engine, b->reference, AP_BOOKING_STATUS_COMPLETED, NULL, "test", &error);
	g_assert_null(refused);
	g_assert_error(error, AP_ERROR, AP_ERROR_STATE);
	g_clear_error(&error);

	cancelled = ap_engine_set_status(
		f->engine, b->reference, AP_BOOKING_STATUS_CANCELLED, "ill", "test", &error);
	g_assert_no_error(error);
	g_assert_cmpint(cancelled->status, ==, AP_BOOKING_STATUS_CANCELLED);
	g_assert_cmpint(cancelled->sequence, ==, 1);
	g_assert_cmpstr(cancelled->cancel_reason, ==, "ill");
	/* the time is free again */
	rebooked = book(f, "2027-01-04T10:00:00Z", f->london, NULL, &error);
	g_assert_no_error(error);
	/* a cancelled booking cannot move */
	refused = ap_engine_reschedule(
		f->engine, b->reference, at("2027-01-04T11:00:00Z"), 0, "test", &error);
	g_assert_null(refused);
	g_assert_error(error, AP_ERROR, AP_ERROR_STATE);
	g_clear_error(&error);

	ap_engine_set_now(f->engine, at("2027-01-04T10:50:00Z"));
	done = ap_engine_set_status(
		f->engine, rebooked->reference, AP_BOOKING_STATUS_COMPLETED, NULL, "test", &error);
	g_assert_no_error(error);
	g_assert_cmpint(done->status, ==, AP_BOOKING_STATUS_COMPLETED);

	history = ap_store_booking_history(f->store, b->reference, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(history->len, ==, 2);
	g_assert_cmpstr(((ApBookingEvent *)g_ptr_array_index(history, 0))->action, ==, "created");
	g_assert_cmpstr(((ApBookingEvent *)g_ptr_array_index(history, 1))->action, ==, "cancelled");
}

static void
test_engine_urls(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ApBooking) b = book(f, "2027-01-04T10:00:00Z", 0, NULL, &error);
	g_autofree gchar *video = ap_engine_video_url(f->engine, b);
	g_autofree gchar *video2 = ap_engine_video_url(f->engine, b);
	g_autofree gchar *manage = ap_engine_manage_url(f->engine, "TOKEN");

	g_assert_no_error(error);
	g_assert_true(g_str_has_prefix(video, "https://meet.example.com/appoint-"));
	g_assert_cmpstr(video, ==, video2);
	g_assert_null(strstr(video, b->reference));
	g_assert_cmpstr(manage, ==, "http://127.0.0.1:8080/manage/TOKEN");
}

/* prepared on one engine and stored by another, on a connection of its
 * own (as the web server's writer thread does): stored as prepared while
 * the catalogue stays as it was; read again, and refused, once the
 * service was switched off in between */
static void
test_engine_book_steps(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ApStore) store = ap_sqlite_store_new(f->config->database_path, &error);
	g_autoptr(ApEngine) writer = ap_engine_new(f->config, store, &error);
	g_autoptr(JsonObject) answers = styling_answers();
	ApBookingRequest request = {
		.service_id = "personal-styling",
		.start = at("2027-01-04T14:00:00Z"),
		.expert_id = f->london,
		.customer_name = "Olivia Bennett",
		.customer_email = "olivia@example.net",
		.answers = answers,
	};
	g_autoptr(ApBookingDraft) first = NULL;
	g_autoptr(ApBookingDraft) second = NULL;
	g_autoptr(ApBooking) booking = NULL;
	g_autoptr(ApService) service = NULL;
	g_autofree gchar *token = NULL;
	g_autoptr(sqlite3) db = ap_test_db_open(f->config->database_path);
	gboolean replayed = TRUE;

	g_assert_no_error(error);
	first = ap_engine_book_prepare(f->engine, &request, "test", &error);
	g_assert_no_error(error);
	g_assert_false(ap_booking_draft_is_stored(first));
	g_assert_true(ap_engine_book_store(writer, first, &error));
	g_assert_no_error(error);
	booking = ap_engine_book_finish(f->engine, first, &token, &replayed);
	g_assert_false(replayed);
	g_assert_nonnull(token);
	g_assert_cmpint(booking->expert_id, ==, f->london);
	/* the writer's engine took the preparing engine's fixed instant */
	g_assert_cmpint(booking->created_at, ==, AP_TEST_NOW);

	request.start = at("2027-01-04T16:00:00Z");
	second = ap_engine_book_prepare(f->engine, &request, "test", &error);
	g_assert_no_error(error);
	service = ap_store_service_get(f->store, "personal-styling", &error);
	g_assert_no_error(error);
	service->active = FALSE;
	g_assert_true(ap_store_service_update(f->store, service, &error));
	g_assert_false(ap_engine_book_store(writer, second, &error));
	g_assert_error(error, AP_ERROR, AP_ERROR_INVALID);
	g_assert_cmpint(ap_test_db_int(db, "SELECT count(*) FROM bookings"), ==, 1);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	g_assert_true(ap_secret_init(NULL));
#define ADD(path, func) g_test_add(path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
	ADD("/engine/slots", test_engine_slots);
	ADD("/engine/slots-invalid", test_engine_slots_invalid);
	ADD("/engine/book-any-expert", test_engine_book_any_expert);
	ADD("/engine/book-invalid", test_engine_book_invalid);
	ADD("/engine/book-customer-invalid", test_engine_book_customer_invalid);
	ADD("/engine/idempotency", test_engine_idempotency);
	ADD("/engine/reschedule", test_engine_reschedule);
	ADD("/engine/status", test_engine_status);
	ADD("/engine/urls", test_engine_urls);
	ADD("/engine/slots-valid-until", test_engine_slots_valid_until);
	ADD("/engine/store-generation", test_engine_store_generation);
	ADD("/engine/catalogue-fresh", test_engine_catalogue_fresh);
	ADD("/engine/book-steps", test_engine_book_steps);
#undef ADD
	return g_test_run();
}
