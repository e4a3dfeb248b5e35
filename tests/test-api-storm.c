/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "ap-test-http.h"

/*
 * Storms: many clients at once after one slot, after "any expert" with
 * two free, and moving many bookings into one slot. Exactly the right
 * number succeed; every other answer is 409; nothing else (no 5xx, no
 * dropped connection).
 */

#define AP_STORM_CLIENTS 40

typedef struct {
	ApTestDaemon *d;
	const gchar *start;
	gint64 expert; /* 0: whoever is free */
	gchar **moves; /* (nullable): reschedule these bookings instead of booking */
	const gchar *token;
	const gchar *idempotency_key; /* (nullable): every client sends one body with it */
	GMutex lock;
	GCond go;
	gboolean started;
	guint status[AP_STORM_CLIENTS];
	gchar *reference[AP_STORM_CLIENTS];
	gchar *error[AP_STORM_CLIENTS];
} ApStorm;

typedef struct {
	ApStorm *storm;
	guint index;
} ApStormClient;

static gpointer
ap_storm_thread(gpointer user_data)
{
	ApStormClient *c = user_data;
	ApStorm *s = c->storm;
	guint who = s->idempotency_key != NULL ? 0 : c->index;
	const gchar *key[] = {"Idempotency-Key", s->idempotency_key, NULL};
	g_autoptr(SoupSession) session = soup_session_new_with_options("timeout", 60, NULL);
	g_autofree gchar *expert =
		s->expert != 0 ? g_strdup_printf("\"expert\": %" G_GINT64_FORMAT ", ", s->expert)
			       : g_strdup("");
	g_autofree gchar *body =
		s->moves != NULL
			? g_strdup_printf("{%s\"start\": \"%s\"}", expert, s->start)
			: g_strdup_printf("{\"service\": \"personal-styling\", \"start\": \"%s\", "
					  "%s\"customer\": {\"name\": "
					  "\"Storm %u\", \"email\": \"storm%u@example.com\"}, "
					  "\"answers\": {\"occasion\": \"Work\"}}",
					  s->start,
					  expert,
					  who,
					  who);
	g_autofree gchar *path =
		s->moves != NULL
			? g_strdup_printf("/api/v1/bookings/%s/reschedule", s->moves[c->index])
			: g_strdup("/api/v1/bookings");
	ApTestRequest req = {.method = "POST",
			     .path = path,
			     .token = s->token,
			     .type = "application/json",
			     .body = body,
			     .len = -1,
			     .headers = s->idempotency_key != NULL ? key : NULL,
			     .reuse = TRUE};
	ApTestRequest warm = {.method = "GET", .path = "/healthz", .len = -1};
	g_autoptr(ApTestResponse) r = NULL;

	/* connect first, so that the storm is of bookings, not of connections
	 * (a burst of connections is tested on its own) */
	for (guint i = 0; i < 5; i++) {
		g_autoptr(ApTestResponse) ready = ap_test_http_request(s->d, session, &warm);
		if (ready->status == 200)
			break;
	}
	g_mutex_lock(&s->lock);
	while (!s->started)
		g_cond_wait(&s->go, &s->lock);
	g_mutex_unlock(&s->lock);
	r = ap_test_http_request(s->d, session, &req);
	s->status[c->index] = r->status;
	if (r->error != NULL)
		s->error[c->index] = g_strdup(r->error->message);
	if ((r->status == 201 || r->status == 200) && r->json != NULL)
		s->reference[c->index] = g_strdup(ap_test_json_str(r, "reference"));
	return NULL;
}

/* starts every client at once and waits for all; how many got @ok */
static guint
ap_storm_run(ApStorm *storm, guint ok)
{
	ApStormClient clients[AP_STORM_CLIENTS];
	GThread *threads[AP_STORM_CLIENTS];
	guint won = 0;

	g_mutex_init(&storm->lock);
	g_cond_init(&storm->go);
	for (guint i = 0; i < AP_STORM_CLIENTS; i++) {
		clients[i].storm = storm;
		clients[i].index = i;
		threads[i] = g_thread_new("storm", ap_storm_thread, &clients[i]);
	}
	g_usleep(100 * 1000);
	g_mutex_lock(&storm->lock);
	storm->started = TRUE;
	g_cond_broadcast(&storm->go);
	g_mutex_unlock(&storm->lock);
	for (guint i = 0; i < AP_STORM_CLIENTS; i++)
		g_thread_join(threads[i]);
	for (guint i = 0; i < AP_STORM_CLIENTS; i++) {
		g_test_message("client %u: %u %s",
			       i,
			       storm->status[i],
			       storm->error[i] != NULL ? storm->error[i] : "");
		/* nothing else: no 5xx, no dropped connection */
		if (storm->status[i] == ok)
			won++;
		else
			g_assert_cmpuint(storm->status[i], ==, 409);
		/* retries are answered with the booking made the first time */
		if (storm->idempotency_key != NULL)
			g_assert_cmpstr(storm->reference[i], ==, storm->reference[0]);
	}
	for (guint i = 0; i < AP_STORM_CLIENTS; i++) {
		g_free(storm->reference[i]);
		g_free(storm->error[i]);
	}
	g_mutex_clear(&storm->lock);
	g_cond_clear(&storm->go);
	return won;
}

/* "any expert" with two free: exactly two get it, one with each */
static void
test_api_bookings_storm_any_expert(ApApiFixture *fx, gconstpointer data)
{
	g_autofree gchar *start = ap_api_at(fx, 0, 10, 0);
	g_autofree gchar *date = ap_api_date(fx, 0);
	g_autofree gchar *list = g_strdup_printf("/api/v1/bookings?from=%s&to=%s", date, date);
	ApStorm storm = {.d = fx->d, .start = start, .expert = 0};
	g_autoptr(ApTestResponse) after = NULL;

	g_assert_cmpuint(ap_storm_run(&storm, 201), ==, 2);
	after = ap_test_http_get(fx->d, fx->admin, list);
	g_assert_cmpuint(ap_test_json_len(after, ""), ==, 2);
	g_assert_cmpint(
		ap_test_json_int(after, "0.expert.id"), !=, ap_test_json_int(after, "1.expert.id"));
}

/* one customer's retries all at once, with one Idempotency-Key: every
 * answer is the one booking, made once, whether the retry is seen before
 * the first is written or in the same commit */
static void
test_api_bookings_storm_idempotent(ApApiFixture *fx, gconstpointer data)
{
	g_autofree gchar *start = ap_api_at(fx, 0, 10, 0);
	g_autofree gchar *date = ap_api_date(fx, 0);
	g_autofree gchar *list = g_strdup_printf("/api/v1/bookings?from=%s&to=%s", date, date);
	ApStorm storm = {.d = fx->d,
			 .start = start,
			 .expert = fx->expert_a,
			 .idempotency_key = "5d1e-storm-retry"};
	g_autoptr(ApTestResponse) after = NULL;

	g_assert_cmpuint(ap_storm_run(&storm, 201), ==, AP_STORM_CLIENTS);
	after = ap_test_http_get(fx->d, fx->admin, list);
	g_assert_cmpuint(ap_test_json_len(after, ""), ==, 1);
}

/* reschedules of many bookings into one slot: exactly one moves there */
static void
test_api_bookings_storm_reschedule(ApApiFixture *fx, gconstpointer data)
{
	g_autofree gchar *target = ap_api_at(fx, 0, 10, 0);
	gchar *moves[AP_STORM_CLIENTS + 1] = {NULL};
	ApStorm storm = {.d = fx->d,
			 .start = target,
			 .expert = fx->expert_a,
			 .moves = moves,
			 .token = fx->staff};
	g_autoptr(ApTestResponse) there = NULL;
	g_autofree gchar *date = ap_api_date(fx, 0);
	g_autofree gchar *list = g_strdup_printf("/api/v1/bookings?from=%s&to=%s", date, date);

	for (guint i = 0; i < AP_STORM_CLIENTS; i++) {
		g_autoptr(ApTestResponse) b =
			ap_api_book_ok(fx,
				       i % 2 == 0 ? fx->expert_a : fx->expert_b,
				       1 + (gint)i / 14,
				       9 + (gint)(i % 7),
				       0);
		moves[i] = g_strdup(ap_test_json_str(b, "reference"));
	}
	g_assert_cmpuint(ap_storm_run(&storm, 200), ==, 1);
	there = ap_test_http_get(fx->d, fx->admin, list);
	g_assert_cmpuint(ap_test_json_len(there, ""), ==, 1);
	for (guint i = 0; i < AP_STORM_CLIENTS; i++)
		g_free(moves[i]);
}

/* many customers after one slot at once: exactly one gets it */
static void
test_api_bookings_storm(ApApiFixture *fx, gconstpointer data)
{
	g_autofree gchar *start = ap_api_at(fx, 0, 10, 0);
	g_autofree gchar *date = ap_api_date(fx, 0);
	g_autofree gchar *list = g_strdup_printf("/api/v1/bookings?from=%s&to=%s", date, date);
	ApStorm storm = {.d = fx->d, .start = start, .expert = fx->expert_a};
	ApStormClient clients[AP_STORM_CLIENTS];
	GThread *threads[AP_STORM_CLIENTS];
	g_autoptr(ApTestResponse) after = NULL;
	guint created = 0, conflicts = 0;
	const gchar *winner = NULL;

	g_mutex_init(&storm.lock);
	g_cond_init(&storm.go);
	for (guint i = 0; i < AP_STORM_CLIENTS; i++) {
		clients[i].storm = &storm;
		clients[i].index = i;
		threads[i] = g_thread_new("storm", ap_storm_thread, &clients[i]);
	}
	g_usleep(100 * 1000);
	g_mutex_lock(&storm.lock);
	storm.started = TRUE;
	g_cond_broadcast(&storm.go);
	g_mutex_unlock(&storm.lock);
	for (guint i = 0; i < AP_STORM_CLIENTS; i++)
		g_thread_join(threads[i]);

	for (guint i = 0; i < AP_STORM_CLIENTS; i++) {
		g_test_message("client %u: %u %s",
			       i,
			       storm.status[i],
			       storm.error[i] != NULL ? storm.error[i] : "");
		g_assert_cmpuint(storm.status[i], <, 500);
		g_assert_cmpuint(storm.status[i], !=, 0);
		if (storm.status[i] == 201) {
			created++;
			winner = storm.reference[i];
		} else {
			g_assert_cmpuint(storm.status[i], ==, 409);
			conflicts++;
		}
	}
	g_assert_cmpuint(created, ==, 1);
	g_assert_cmpuint(conflicts, ==, AP_STORM_CLIENTS - 1);

	after = ap_test_http_get(fx->d, fx->admin, list);
	ap_test_assert_status(after, 200);
	g_assert_cmpuint(ap_test_json_len(after, ""), ==, 1);
	g_assert_cmpstr(ap_test_json_str(after, "0.reference"), ==, winner);
	g_assert_cmpstr(ap_test_json_str(after, "0.status"), ==, "confirmed");
	for (guint i = 0; i < AP_STORM_CLIENTS; i++) {
		g_free(storm.reference[i]);
		g_free(storm.error[i]);
	}
	g_mutex_clear(&storm.lock);
	g_cond_clear(&storm.go);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
#define AP_ADD(path, func)                                                                         \
	g_test_add(path, ApApiFixture, NULL, ap_api_fixture_set_up, func, ap_api_fixture_tear_down)
	AP_ADD("/api/storm/one-slot", test_api_bookings_storm);
	AP_ADD("/api/storm/any-expert", test_api_bookings_storm_any_expert);
	AP_ADD("/api/storm/reschedule", test_api_bookings_storm_reschedule);
	AP_ADD("/api/storm/idempotent", test_api_bookings_storm_idempotent);
#undef AP_ADD
	return g_test_run();
}
