/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "ap-error.h"
#include "ap-test-store.h"
#include "ap-time.h"
#include "ap-web-slots-worker.h"

/* Sunday 3 January 2027, noon UTC; the experts of the store's fixture
 * work 09:00-17:00 UTC every day */
#define AP_TEST_NOW	   1798977600
#define AP_TEST_KEY	   "service=personal-styling&from=2027-01-04&to=2027-01-05"
#define AP_TEST_FIRST_SLOT "2027-01-04T09:00:00Z"

typedef struct {
	ApConfig *config;
	ApEngine *engine;
	ApWebCache *cache;
	ApWebSlotsWorker *worker;
	ApWebSlotsQuestion question;
} Setup;

typedef struct {
	guint calls;
	GBytes *body;
	GError *error;
} Answer;

static void
setup_init(Setup *s, ApTestStoreFixture *f)
{
	g_autoptr(GError) error = NULL;

	s->config = ap_config_new_default();
	g_free(s->config->database_path);
	s->config->database_path = g_strdup(f->path);
	s->engine = ap_engine_new(s->config, f->store, &error);
	g_assert_no_error(error);
	ap_engine_set_now(s->engine, AP_TEST_NOW);
	s->cache = ap_web_cache_new(16);
	s->worker = ap_web_slots_worker_new(s->engine, s->cache);
	s->question.service_id = g_strdup("personal-styling");
	g_date_set_dmy(&s->question.from, 4, G_DATE_JANUARY, 2027);
	g_date_set_dmy(&s->question.to, 5, G_DATE_JANUARY, 2027);
	s->question.timezone = g_strdup("UTC");
	s->question.tz = g_time_zone_new_utc();
}

static void
setup_clear(Setup *s)
{
	g_clear_pointer(&s->worker, ap_web_slots_worker_free);
	g_clear_pointer(&s->cache, ap_web_cache_free);
	g_clear_object(&s->engine);
	g_clear_pointer(&s->config, ap_config_free);
	ap_web_slots_question_clear(&s->question);
}

static void
answer_clear(Answer *a)
{
	g_clear_pointer(&a->body, g_bytes_unref);
	g_clear_error(&a->error);
}

static void
answered_cb(GBytes *body, const GError *error, gpointer user_data)
{
	Answer *a = user_data;

	a->calls++;
	g_clear_pointer(&a->body, g_bytes_unref);
	g_clear_error(&a->error);
	a->body = body != NULL ? g_bytes_ref(body) : NULL;
	a->error = error != NULL ? g_error_copy(error) : NULL;
}

static void
wait_for(const Answer *a)
{
	while (a->calls == 0)
		g_main_context_iteration(NULL, TRUE);
}

static void
wait_for_computed(Setup *s, guint64 n)
{
	while (ap_web_slots_worker_get_computed(s->worker) < n)
		g_main_context_iteration(NULL, TRUE);
}

static gboolean
body_has(GBytes *body, const gchar *text)
{
	g_autofree gchar *copy = g_strndup(g_bytes_get_data(body, NULL), g_bytes_get_size(body));

	return strstr(copy, text) != NULL;
}

/* computed off the main loop, answered on it, and kept */
static void
test_worker_answer(ApTestStoreFixture *f, gconstpointer user_data)
{
	Setup s = {NULL};
	Answer a = {0};
	guint64 generation = ap_store_get_generation(f->store);
	gint64 kept_until = 0;
	gint64 first = 0;
	g_autoptr(GBytes) kept = NULL;

	setup_init(&s, f);
	ap_web_slots_worker_ask(
		s.worker, AP_TEST_KEY, &s.question, generation, AP_TEST_NOW, answered_cb, &a);
	g_assert_true(ap_web_slots_worker_is_computing(s.worker, AP_TEST_KEY, generation));
	/* not before the main loop runs */
	g_assert_cmpuint(a.calls, ==, 0);
	wait_for(&a);
	g_assert_cmpuint(a.calls, ==, 1);
	g_assert_no_error(a.error);
	g_assert_true(body_has(a.body, "\"start\":\"" AP_TEST_FIRST_SLOT "\""));
	g_assert_false(ap_web_slots_worker_is_computing(s.worker, AP_TEST_KEY, generation));
	g_assert_cmpuint(ap_web_slots_worker_get_computed(s.worker), ==, 1);
	kept = ap_web_cache_lookup(s.cache, AP_TEST_KEY, generation, AP_TEST_NOW, &kept_until);
	g_assert_nonnull(kept);
	g_assert_true(g_bytes_equal(kept, a.body));
	/* until the first slot falls within the two hours' notice */
	g_assert_true(ap_time_parse_rfc3339(AP_TEST_FIRST_SLOT, &first, NULL));
	g_assert_cmpint(kept_until, ==, first - 2 * 3600 + 1);
	answer_clear(&a);
	setup_clear(&s);
}

/* the same question asked again while it is computed is computed once;
 * another question, or one asked with no key, is computed apart */
static void
test_worker_shared(ApTestStoreFixture *f, gconstpointer user_data)
{
	Setup s = {NULL};
	Answer a[3] = {{0}};
	Answer other = {0};
	Answer unkept = {0};
	guint64 generation = ap_store_get_generation(f->store);

	setup_init(&s, f);
	for (guint i = 0; i < G_N_ELEMENTS(a); i++)
		ap_web_slots_worker_ask(s.worker,
					AP_TEST_KEY,
					&s.question,
					generation,
					AP_TEST_NOW + i,
					answered_cb,
					&a[i]);
	ap_web_slots_worker_ask(
		s.worker, "other", &s.question, generation, AP_TEST_NOW, answered_cb, &other);
	ap_web_slots_worker_ask(
		s.worker, NULL, &s.question, generation, AP_TEST_NOW, answered_cb, &unkept);
	for (guint i = 0; i < G_N_ELEMENTS(a); i++)
		wait_for(&a[i]);
	wait_for(&other);
	wait_for(&unkept);
	for (guint i = 0; i < G_N_ELEMENTS(a); i++) {
		g_assert_cmpuint(a[i].calls, ==, 1);
		g_assert_nonnull(a[i].body);
		g_assert_true(a[i].body == a[0].body);
	}
	for (guint i = 0; i < G_N_ELEMENTS(a); i++)
		answer_clear(&a[i]);
	g_assert_true(g_bytes_equal(other.body, unkept.body));
	g_assert_cmpuint(ap_web_slots_worker_get_computed(s.worker), ==, 3);
	/* nothing is kept without a key */
	g_assert_cmpuint(ap_web_cache_get_size(s.cache), ==, 2);
	answer_clear(&other);
	answer_clear(&unkept);
	setup_clear(&s);
}

/* asked after a booking: never the answer of a computation begun before
 * it, which may still offer the slot just booked */
static void
test_worker_changed(ApTestStoreFixture *f, gconstpointer user_data)
{
	Setup s = {NULL};
	Answer before = {0};
	Answer after = {0};
	g_autoptr(GError) error = NULL;
	g_autoptr(ApBooking) a = NULL;
	g_autoptr(ApBooking) b = NULL;
	guint64 generation = ap_store_get_generation(f->store);
	gint64 first = 0;

	g_assert_true(ap_time_parse_rfc3339(AP_TEST_FIRST_SLOT, &first, NULL));
	setup_init(&s, f);
	ap_web_slots_worker_ask(
		s.worker, AP_TEST_KEY, &s.question, generation, AP_TEST_NOW, answered_cb, &before);
	/* both experts booked at the first slot */
	a = ap_test_book(f->store, "personal-styling", first, f->expert_a, &error);
	g_assert_no_error(error);
	b = ap_test_book(f->store, "personal-styling", first, f->expert_b, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(ap_store_get_generation(f->store), !=, generation);
	g_assert_false(ap_web_slots_worker_is_computing(
		s.worker, AP_TEST_KEY, ap_store_get_generation(f->store)));
	ap_web_slots_worker_ask(s.worker,
				AP_TEST_KEY,
				&s.question,
				ap_store_get_generation(f->store),
				AP_TEST_NOW,
				answered_cb,
				&after);
	wait_for(&before);
	wait_for(&after);
	g_assert_false(body_has(after.body, "\"start\":\"" AP_TEST_FIRST_SLOT "\""));
	g_assert_cmpuint(ap_web_slots_worker_get_computed(s.worker), ==, 2);
	/* what is kept is what the last change allows */
	{
		g_autoptr(GBytes) kept = ap_web_cache_lookup(
			s.cache, AP_TEST_KEY, ap_store_get_generation(f->store), AP_TEST_NOW, NULL);
		g_assert_nonnull(kept);
		g_assert_false(body_has(kept, "\"start\":\"" AP_TEST_FIRST_SLOT "\""));
	}
	answer_clear(&before);
	answer_clear(&after);
	setup_clear(&s);
}

/* the answer for when the kept one ends is computed ahead and served
 * from then without anyone waiting; a change drops it with the other */
static void
test_worker_ahead(ApTestStoreFixture *f, gconstpointer user_data)
{
	Setup s = {NULL};
	Answer a = {0};
	guint64 generation = ap_store_get_generation(f->store);
	gint64 kept_until = 0;
	gint64 later_until = 0;
	gint64 then_until = 0;

	setup_init(&s, f);
	ap_web_slots_worker_ask(
		s.worker, AP_TEST_KEY, &s.question, generation, AP_TEST_NOW, answered_cb, &a);
	wait_for(&a);
	g_bytes_unref(
		ap_web_cache_lookup(s.cache, AP_TEST_KEY, generation, AP_TEST_NOW, &kept_until));
	ap_web_slots_worker_compute_ahead(
		s.worker, AP_TEST_KEY, &s.question, generation, kept_until);
	/* asked for again meanwhile: computed once */
	ap_web_slots_worker_compute_ahead(
		s.worker, AP_TEST_KEY, &s.question, generation, kept_until);
	wait_for_computed(&s, 2);
	{
		g_autoptr(GBytes) now = ap_web_cache_lookup(
			s.cache, AP_TEST_KEY, generation, AP_TEST_NOW, &later_until);
		g_autoptr(GBytes) then = NULL;

		/* the first answer still, but what is kept lasts longer */
		g_assert_true(now != NULL && g_bytes_equal(now, a.body));
		g_assert_cmpint(later_until, >, kept_until);
		then = ap_web_cache_lookup(
			s.cache, AP_TEST_KEY, generation, kept_until, &then_until);
		g_assert_nonnull(then);
		/* from then, the answer computed for then, which lasts longer */
		g_assert_cmpint(then_until, ==, later_until);
	}
	g_assert_cmpuint(ap_web_slots_worker_get_computed(s.worker), ==, 2);
	g_assert_null(ap_web_cache_lookup(s.cache, AP_TEST_KEY, generation + 1, kept_until, NULL));
	answer_clear(&a);
	setup_clear(&s);
}

/* until nothing is planned for AP_TEST_KEY (at most 10 s) */
static void
wait_for_plan_done(Setup *s, guint64 generation, gint64 at)
{
	gint64 end = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;

	while (ap_web_slots_worker_is_planned(s->worker, AP_TEST_KEY, generation, at) &&
	       g_get_monotonic_time() < end)
		g_main_context_iteration(NULL, TRUE);
	g_assert_false(ap_web_slots_worker_is_planned(s->worker, AP_TEST_KEY, generation, at));
}

/* an answer planned ahead is computed for its end a few seconds before
 * it, with nobody asking; not after a change, nor twice, nor when its end
 * is past or too far off */
static void
test_worker_planned(ApTestStoreFixture *f, gconstpointer user_data)
{
	Setup s = {NULL};
	Answer a = {0};
	guint64 generation = ap_store_get_generation(f->store);
	const gint64 at = AP_TEST_NOW + AP_WEB_SLOTS_AHEAD_SECONDS + 1;
	gint64 then_until = 0;
	g_autoptr(GError) error = NULL;
	g_autoptr(ApBooking) booked = NULL;

	setup_init(&s, f);
	ap_web_slots_worker_ask(
		s.worker, AP_TEST_KEY, &s.question, generation, AP_TEST_NOW, answered_cb, &a);
	wait_for(&a);

	ap_web_slots_worker_plan_ahead(
		s.worker, AP_TEST_KEY, &s.question, generation, AP_TEST_NOW, AP_TEST_NOW);
	ap_web_slots_worker_plan_ahead(s.worker,
				       AP_TEST_KEY,
				       &s.question,
				       generation,
				       AP_TEST_NOW + AP_WEB_SLOTS_WORKER_PLAN_SECONDS + 1,
				       AP_TEST_NOW);
	g_assert_false(
		ap_web_slots_worker_is_planned(s.worker, AP_TEST_KEY, generation, AP_TEST_NOW));
	g_assert_false(
		ap_web_slots_worker_is_planned(s.worker,
					       AP_TEST_KEY,
					       generation,
					       AP_TEST_NOW + AP_WEB_SLOTS_WORKER_PLAN_SECONDS + 1));
	ap_web_slots_worker_plan_ahead(
		s.worker, AP_TEST_KEY, &s.question, generation, at, AP_TEST_NOW);
	ap_web_slots_worker_plan_ahead(
		s.worker, AP_TEST_KEY, &s.question, generation, at, AP_TEST_NOW);
	g_assert_true(ap_web_slots_worker_is_planned(s.worker, AP_TEST_KEY, generation, at));
	g_assert_cmpuint(ap_web_slots_worker_get_computed(s.worker), ==, 1);
	wait_for_computed(&s, 2);
	wait_for_plan_done(&s, generation, at);
	{
		g_autoptr(GBytes) then =
			ap_web_cache_lookup(s.cache, AP_TEST_KEY, generation, at, &then_until);

		g_assert_nonnull(then);
		g_assert_true(g_bytes_equal(then, a.body));
	}
	g_assert_cmpuint(ap_web_slots_worker_get_computed(s.worker), ==, 2);

	/* planned, then something changes: nothing is computed */
	ap_web_slots_worker_plan_ahead(
		s.worker, AP_TEST_KEY, &s.question, generation, at + 1, AP_TEST_NOW);
	booked = ap_test_book(
		f->store, "personal-styling", ap_test_at(4, 14, 0), f->expert_a, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(ap_store_get_generation(f->store), !=, generation);
	wait_for_plan_done(&s, generation, at + 1);
	g_assert_cmpuint(ap_web_slots_worker_get_computed(s.worker), ==, 2);
	answer_clear(&a);
	setup_clear(&s);
}

/* a question the engine refuses (a service not offered: the handler
 * says 400) gets its error, and nothing is kept */
static void
test_worker_error(ApTestStoreFixture *f, gconstpointer user_data)
{
	Setup s = {NULL};
	Answer a = {0};
	guint64 generation = ap_store_get_generation(f->store);

	setup_init(&s, f);
	g_free(s.question.service_id);
	s.question.service_id = g_strdup("no-such-service");
	ap_web_slots_worker_ask(
		s.worker, AP_TEST_KEY, &s.question, generation, AP_TEST_NOW, answered_cb, &a);
	wait_for(&a);
	g_assert_null(a.body);
	g_assert_error(a.error, AP_ERROR, AP_ERROR_INVALID);
	g_assert_cmpuint(ap_web_cache_get_size(s.cache), ==, 0);
	g_assert_cmpuint(ap_web_slots_worker_get_computed(s.worker), ==, 0);
	answer_clear(&a);
	setup_clear(&s);
}

/* beyond so many questions waiting, more are turned away at once
 * (503 over HTTP) rather than held; the ones let in are answered */
static void
test_worker_busy(ApTestStoreFixture *f, gconstpointer user_data)
{
	Setup s = {NULL};
	Answer a[AP_WEB_SLOTS_WORKER_MAX_QUEUED + 4] = {{0}};
	guint64 generation = ap_store_get_generation(f->store);

	setup_init(&s, f);
	/* nothing is taken as answered before the main loop runs, so the
	 * queue only grows here */
	for (guint i = 0; i < G_N_ELEMENTS(a); i++) {
		g_autofree gchar *key = g_strdup_printf("%s&n=%u", AP_TEST_KEY, i);

		ap_web_slots_worker_ask(
			s.worker, key, &s.question, generation, AP_TEST_NOW, answered_cb, &a[i]);
	}
	for (guint i = AP_WEB_SLOTS_WORKER_MAX_QUEUED; i < G_N_ELEMENTS(a); i++) {
		g_assert_cmpuint(a[i].calls, ==, 1);
		g_assert_error(a[i].error, G_IO_ERROR, G_IO_ERROR_BUSY);
	}
	for (guint i = 0; i < AP_WEB_SLOTS_WORKER_MAX_QUEUED; i++) {
		wait_for(&a[i]);
		g_assert_no_error(a[i].error);
		g_assert_nonnull(a[i].body);
	}
	g_assert_cmpuint(
		ap_web_slots_worker_get_computed(s.worker), ==, AP_WEB_SLOTS_WORKER_MAX_QUEUED);
	for (guint i = 0; i < G_N_ELEMENTS(a); i++)
		answer_clear(&a[i]);
	setup_clear(&s);
}

/* whatever was asked is answered before the worker is gone, each
 * exactly once; stopping does not wait for every question queued to be
 * computed: what is not begun is answered as cancelled (503 over HTTP) */
static void
test_worker_free(ApTestStoreFixture *f, gconstpointer user_data)
{
	Setup s = {NULL};
	Answer a[16] = {{0}};
	guint64 generation = ap_store_get_generation(f->store);
	guint cancelled = 0;

	setup_init(&s, f);
	for (guint i = 0; i < G_N_ELEMENTS(a); i++) {
		g_autofree gchar *key = g_strdup_printf("%s&n=%u", AP_TEST_KEY, i);

		ap_web_slots_worker_ask(
			s.worker, key, &s.question, generation, AP_TEST_NOW, answered_cb, &a[i]);
	}
	g_clear_pointer(&s.worker, ap_web_slots_worker_free);
	for (guint i = 0; i < G_N_ELEMENTS(a); i++) {
		g_assert_cmpuint(a[i].calls, ==, 1);
		if (a[i].body == NULL) {
			g_assert_error(a[i].error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
			cancelled++;
		} else {
			g_assert_no_error(a[i].error);
		}
		answer_clear(&a[i]);
	}
	g_test_message("%u of %zu cancelled", cancelled, G_N_ELEMENTS(a));
	setup_clear(&s);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	ap_test_store_add("/web-slots-worker/answer", test_worker_answer);
	ap_test_store_add("/web-slots-worker/shared", test_worker_shared);
	ap_test_store_add("/web-slots-worker/changed", test_worker_changed);
	ap_test_store_add("/web-slots-worker/ahead", test_worker_ahead);
	ap_test_store_add("/web-slots-worker/planned", test_worker_planned);
	ap_test_store_add("/web-slots-worker/error", test_worker_error);
	ap_test_store_add("/web-slots-worker/busy", test_worker_busy);
	ap_test_store_add("/web-slots-worker/free", test_worker_free);
	return g_test_run();
}
