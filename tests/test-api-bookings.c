/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <sqlite3.h>
#include <string.h>

#include "ap-test-http.h"

/*
 * The contract's booking rows over HTTP against the real appointd: make,
 * read, search, move, cancel, mark; idempotent retries (the storms are in
 * test-api-storm.c).
 */

static gchar *
ap_booking_path(const gchar *reference, const gchar *rest)
{
	return g_strconcat("/api/v1/bookings/", reference, rest, NULL);
}

/* the references of a booking list, in order, joined by spaces */
static gchar *
ap_references(ApTestResponse *r)
{
	g_autoptr(GString) s = g_string_new(NULL);

	ap_test_assert_status(r, 200);
	for (guint i = 0; i < ap_test_json_len(r, ""); i++) {
		g_autofree gchar *member = g_strdup_printf("%u.reference", i);
		g_string_append_printf(s, "%s%s", i > 0 ? " " : "", ap_test_json_str(r, member));
	}
	return g_string_free(g_steal_pointer(&s), FALSE);
}

static gboolean
ap_slots_has_start(ApTestResponse *r, const gchar *start)
{
	gint64 instant = ap_test_instant_parse(start);

	for (guint i = 0; i < ap_test_json_len(r, "slots"); i++) {
		g_autofree gchar *member = g_strdup_printf("slots.%u.start", i);
		if (ap_test_instant_parse(ap_test_json_str(r, member)) == instant)
			return TRUE;
	}
	return FALSE;
}

static ApTestResponse *
ap_slots_of(ApApiFixture *fx, gint day, gint64 expert)
{
	g_autofree gchar *date = ap_api_date(fx, day);
	g_autofree gchar *path =
		g_strdup_printf("/api/v1/slots?service=personal-styling&from=%s&to=%s"
				"&expert=%" G_GINT64_FORMAT,
				date,
				date,
				expert);
	return ap_test_http_get(fx->d, NULL, path);
}

static void
test_api_bookings_create(ApApiFixture *fx, gconstpointer data)
{
	g_autofree gchar *start = ap_api_at(fx, 0, 10, 0);
	g_autoptr(ApTestResponse) r = ap_api_book(
		fx, fx->expert_a, start, "Dana Dawson", "dana@example.com", "+44 7700 900002");
	g_autoptr(ApTestResponse) any = NULL;
	g_autoptr(ApTestResponse) first = NULL;
	g_autoptr(ApTestResponse) fewest = NULL;
	const gchar *token;
	const gchar *manage;

	ap_test_assert_status(r, 201);
	g_assert_cmpstr(r->type, ==, "application/json");
	g_assert_cmpuint(strlen(ap_test_json_str(r, "reference")), ==, 8);
	token = ap_test_json_str(r, "token");
	g_assert_cmpuint(strlen(token), >=, 32);
	g_assert_cmpstr(ap_test_json_str(r, "status"), ==, "confirmed");
	g_assert_cmpstr(ap_test_json_str(r, "service"), ==, "personal-styling");
	g_assert_cmpint(ap_test_json_int(r, "expert.id"), ==, fx->expert_a);
	g_assert_cmpstr(ap_test_json_str(r, "expert.name"), ==, "Alice Able");
	g_assert_cmpint(ap_test_instant_parse(ap_test_json_str(r, "start")),
			==,
			ap_test_instant_parse(start));
	g_assert_cmpint(ap_test_instant_parse(ap_test_json_str(r, "end")),
			==,
			ap_test_instant_parse(start) + 45 * 60);
	g_assert_true(g_str_has_prefix(ap_test_json_str(r, "video_url"), "https://"));
	manage = ap_test_json_str(r, "manage_url");
	g_assert_true(g_str_has_prefix(manage, fx->d->url));
	g_assert_nonnull(strstr(manage, token));
	g_assert_cmpstr(ap_test_json_str(r, "customer.name"), ==, "Dana Dawson");
	g_assert_cmpint(ap_test_json_int(r, "sequence"), ==, 0);

	/* without an expert: whoever is free then */
	any = ap_api_book(fx, 0, start, "Eve Evans", "eve@example.org", NULL);
	ap_test_assert_status(any, 201);
	g_assert_cmpint(ap_test_json_int(any, "expert.id"), ==, fx->expert_b);

	/* ... and of those, the one with the fewest bookings that day */
	first = ap_api_book_ok(fx, fx->expert_a, 1, 10, 0);
	{
		g_autofree gchar *noon = ap_api_at(fx, 1, 12, 0);
		fewest = ap_api_book(fx, 0, noon, "Finn Ford", "finn@example.com", NULL);
	}
	ap_test_assert_status(fewest, 201);
	g_assert_cmpint(ap_test_json_int(fewest, "expert.id"), ==, fx->expert_b);
}

/* a slot offered a moment ago and taken since is 409, never 422 */
static void
test_api_bookings_conflict(ApApiFixture *fx, gconstpointer data)
{
	const struct {
		gint hour;
		gint minute;
		gint64 expert; /* 0: anyone */
		guint status;
	} steps[] = {
		{10, 0, 1, 201},  /* Alice */
		{10, 0, 1, 409},  /* the same slot again */
		{10, 15, 1, 409}, /* overlaps it */
		{10, 45, 1, 409}, /* inside its 15-minute buffer */
		{11, 0, 1, 201},  /* after the buffer */
		{13, 0, 0, 201},  /* one of two */
		{13, 0, 0, 201},  /* the other */
		{13, 0, 0, 409},  /* nobody left */
	};
	g_autoptr(ApTestResponse) slots = NULL;

	for (guint i = 0; i < G_N_ELEMENTS(steps); i++) {
		g_autofree gchar *start = ap_api_at(fx, 0, steps[i].hour, steps[i].minute);
		g_autofree gchar *email = g_strdup_printf("customer%u@example.com", i);
		g_autoptr(ApTestResponse) r = ap_api_book(fx,
							  steps[i].expert != 0 ? fx->expert_a : 0,
							  start,
							  "Gail Green",
							  email,
							  NULL);

		g_test_message("step %u: %s", i, start);
		if (steps[i].status == 201)
			ap_test_assert_status(r, 201);
		else
			ap_test_assert_problem(r, steps[i].status, NULL);
	}
	/* what is taken is no longer offered */
	slots = ap_slots_of(fx, 0, fx->expert_a);
	for (gint m = 0; m < 60; m += 15) {
		g_autofree gchar *taken = ap_api_at(fx, 0, 10, m);
		g_assert_false(ap_slots_has_start(slots, taken));
	}
	{
		g_autofree gchar *free_slot = ap_api_at(fx, 0, 15, 0);
		g_assert_true(ap_slots_has_start(slots, free_slot));
	}
}

/* a start that was never an offered slot is 422, naming `start` */
static void
test_api_bookings_not_offered(ApApiFixture *fx, gconstpointer data)
{
	const struct {
		const gchar *what;
		gint day; /* from today */
		gint hour;
		gint minute;
	} cases[] = {
		{"in the past", -1, 10, 0},
		{"off the grid", 0, 10, 7},
		{"off the grid by five", 0, 10, 5},
		{"before the expert's hours", 0, 7, 0},
		{"after the expert's hours", 0, 20, 0},
		{"running past the expert's hours", 0, 16, 30},
		{"beyond the horizon", 61, 10, 0},
	};
	g_autoptr(ApTestResponse) patch = NULL;
	g_autoptr(ApTestResponse) close = NULL;

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		gint day = cases[i].day == 0 ? fx->base : cases[i].day;
		g_autofree gchar *start = ap_test_london_at(day, cases[i].hour, cases[i].minute);
		g_autoptr(ApTestResponse) named =
			ap_api_book(fx, fx->expert_a, start, "Hal Hill", "hal@example.com", NULL);
		g_autoptr(ApTestResponse) anyone =
			ap_api_book(fx, 0, start, "Hal Hill", "hal@example.com", NULL);

		g_test_message("%s: %s", cases[i].what, start);
		ap_test_assert_problem(named, 422, "start");
		ap_test_assert_problem(anyone, 422, "start");
	}

	/* within the minimum notice: make it longer than the wait for day 0 */
	patch = ap_test_http_sendf(fx->d,
				   "PATCH",
				   fx->admin,
				   "/api/v1/services/personal-styling",
				   "{\"min_notice_minutes\": %d}",
				   (fx->base + 1) * 1440);
	ap_test_assert_status(patch, 200);
	{
		g_autofree gchar *start = ap_api_at(fx, 0, 10, 0);
		close = ap_api_book(fx, fx->expert_a, start, "Hal Hill", "hal@example.com", NULL);
	}
	ap_test_assert_problem(close, 422, "start");
}

/* its manage token, staff, admins and its expert read a booking */
static void
test_api_bookings_get(ApApiFixture *fx, gconstpointer data)
{
	g_autoptr(ApTestResponse) made = ap_api_book_ok(fx, fx->expert_a, 0, 10, 0);
	g_autofree gchar *path = ap_booking_path(ap_test_json_str(made, "reference"), "");
	const gchar *tokens[] = {ap_test_json_str(made, "token"), fx->staff, fx->admin, fx->alice};

	for (guint i = 0; i < G_N_ELEMENTS(tokens); i++) {
		g_autoptr(ApTestResponse) r = ap_test_http_get(fx->d, tokens[i], path);

		ap_test_assert_status(r, 200);
		g_assert_cmpstr(
			ap_test_json_str(r, "reference"), ==, ap_test_json_str(made, "reference"));
		g_assert_cmpstr(ap_test_json_str(r, "status"), ==, "confirmed");
		g_assert_cmpstr(ap_test_json_str(r, "start"), ==, ap_test_json_str(made, "start"));
		g_assert_cmpint(ap_test_json_int(r, "expert.id"), ==, fx->expert_a);
		g_assert_cmpstr(ap_test_json_str(r, "customer.email"), ==, "casey@example.com");
		/* the manage token is shown once, when the booking is made */
		g_assert_false(ap_test_json_has(r, "token"));
	}
}

static void
test_api_bookings_search(ApApiFixture *fx, gconstpointer data)
{
	g_autofree gchar *s1 = ap_api_at(fx, 2, 10, 0);
	g_autofree gchar *s2 = ap_api_at(fx, 1, 10, 0);
	g_autofree gchar *s3 = ap_api_at(fx, 3, 10, 0);
	g_autoptr(ApTestResponse) b1 = ap_api_book(
		fx, fx->expert_a, s1, "Dana Dawson", "dana@example.com", "+44 7700 900002");
	g_autoptr(ApTestResponse) b2 =
		ap_api_book(fx, fx->expert_b, s2, "Eve Evans", "eve@example.org", "020 7946 0018");
	g_autoptr(ApTestResponse) b3 =
		ap_api_book(fx, fx->expert_a, s3, "Frank Fisher", "frank@example.com", NULL);
	g_autoptr(ApTestResponse) cancelled = NULL;
	g_autoptr(ApTestResponse) all = NULL;
	const gchar *r1, *r2, *r3;
	g_autofree gchar *d1 = ap_api_date(fx, 1);
	g_autofree gchar *d2 = ap_api_date(fx, 2);
	g_autofree gchar *part = NULL;
	g_autofree gchar *lower = NULL;
	g_autofree gchar *cancel = NULL;

	ap_test_assert_status(b1, 201);
	ap_test_assert_status(b2, 201);
	ap_test_assert_status(b3, 201);
	r1 = ap_test_json_str(b1, "reference");
	r2 = ap_test_json_str(b2, "reference");
	r3 = ap_test_json_str(b3, "reference");
	cancel = ap_booking_path(r3, "/cancel");
	cancelled = ap_test_http_send(fx->d, "POST", fx->staff, cancel, NULL);
	ap_test_assert_status(cancelled, 200);
	part = g_strndup(r1 + 2, 4);
	lower = g_ascii_strdown(r1, -1);

	{
		g_autofree gchar *sorted = g_strjoin(" ", r2, r1, r3, NULL);
		g_autofree gchar *by_a = g_strjoin(" ", r1, r3, NULL);
		g_autofree gchar *q_part = g_strconcat("/api/v1/bookings?q=", part, NULL);
		g_autofree gchar *q_lower = g_strconcat("/api/v1/bookings?q=", lower, NULL);
		g_autofree gchar *q_d2 = g_strdup_printf("/api/v1/bookings?from=%s&to=%s", d2, d2);
		g_autofree gchar *q_from = g_strdup_printf("/api/v1/bookings?from=%s", d2);
		g_autofree gchar *q_to = g_strdup_printf("/api/v1/bookings?to=%s", d1);
		const struct {
			const gchar *token;
			const gchar *path;
			const gchar *expect;
		} cases[] = {
			{fx->admin, "/api/v1/bookings", sorted},
			{fx->staff, "/api/v1/bookings", sorted},
			{fx->admin, "/api/v1/bookings?q=Dawson", r1},
			{fx->admin, "/api/v1/bookings?q=dana", r1},
			{fx->admin, "/api/v1/bookings?q=DAWSON", r1},
			{fx->admin, "/api/v1/bookings?q=ana%20Daw", r1},
			{fx->admin, "/api/v1/bookings?q=eve%40example.org", r2},
			{fx->admin, "/api/v1/bookings?q=example.com", by_a},
			{fx->admin, "/api/v1/bookings?q=07700%20900002", r1},
			{fx->admin, "/api/v1/bookings?q=%2B44%207700%20900002", r1},
			{fx->admin, "/api/v1/bookings?q=7700-900-002", r1},
			{fx->admin, "/api/v1/bookings?q=020%207946%200018", r2},
			{fx->admin, "/api/v1/bookings?q=Nobody%20Here", ""},
			{fx->admin, q_part, NULL},
			{fx->admin, q_lower, r1},
			{fx->admin, q_d2, r1},
			{fx->admin, q_from, by_a},
			{fx->admin, q_to, r2},
			{fx->alice, "/api/v1/bookings", by_a},
			{fx->bert, "/api/v1/bookings", r2},
			{fx->alice, "/api/v1/bookings?q=Eve", ""},
		};

		for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
			g_autoptr(ApTestResponse) r =
				ap_test_http_get(fx->d, cases[i].token, cases[i].path);
			g_autofree gchar *got = ap_references(r);

			g_test_message("GET %s: %s", cases[i].path, got);
			if (cases[i].expect != NULL)
				g_assert_cmpstr(got, ==, cases[i].expect);
			else
				g_assert_nonnull(strstr(got, r1));
		}
	}
	/* both statuses are listed, each with its own */
	all = ap_test_http_get(fx->d, fx->admin, "/api/v1/bookings");
	g_assert_cmpstr(ap_test_json_str(all, "0.status"), ==, "confirmed");
	g_assert_cmpstr(ap_test_json_str(all, "1.status"), ==, "confirmed");
	g_assert_cmpstr(ap_test_json_str(all, "2.status"), ==, "cancelled");
}

/* reschedule keeps the reference and raises the sequence */
static void
test_api_bookings_reschedule(ApApiFixture *fx, gconstpointer data)
{
	g_autoptr(ApTestResponse) made = ap_api_book_ok(fx, fx->expert_a, 0, 10, 0);
	g_autoptr(ApTestResponse) blocker_a = ap_api_book_ok(fx, fx->expert_a, 0, 15, 0);
	g_autoptr(ApTestResponse) blocker_b = NULL;
	g_autoptr(ApTestResponse) read = NULL;
	g_autoptr(ApTestResponse) slots = NULL;
	const gchar *reference = ap_test_json_str(made, "reference");
	g_autofree gchar *path = ap_booking_path(reference, "/reschedule");
	g_autofree gchar *self_path = ap_booking_path(reference, "");
	g_autofree gchar *ten = ap_api_at(fx, 0, 10, 0);
	g_autofree gchar *three = ap_api_at(fx, 0, 15, 0);
	const struct {
		const gchar *token;
		gint hour;
		gint minute;
		const gchar *extra;
	} moves[] = {
		{ap_test_json_str(made, "token"), 12, 0, ""},
		{fx->staff, 13, 0, ""},
		{fx->admin, 14, 0, ""},
	};
	gint64 expected_start = 0;

	for (guint i = 0; i < G_N_ELEMENTS(moves); i++) {
		g_autofree gchar *start = ap_api_at(fx, 0, moves[i].hour, moves[i].minute);
		g_autoptr(ApTestResponse) r = ap_test_http_sendf(
			fx->d, "POST", moves[i].token, path, "{\"start\": \"%s\"}", start);

		ap_test_assert_status(r, 200);
		g_assert_cmpstr(ap_test_json_str(r, "reference"), ==, reference);
		g_assert_cmpstr(ap_test_json_str(r, "status"), ==, "confirmed");
		g_assert_cmpint(ap_test_json_int(r, "sequence"), ==, i + 1);
		g_assert_cmpint(ap_test_json_int(r, "expert.id"), ==, fx->expert_a);
		g_assert_cmpint(ap_test_instant_parse(ap_test_json_str(r, "start")),
				==,
				ap_test_instant_parse(start));
		expected_start = ap_test_instant_parse(start);
	}

	/* not free: Alice is busy at 15:00, then so is Bert */
	{
		g_autoptr(ApTestResponse) named =
			ap_test_http_sendf(fx->d,
					   "POST",
					   fx->staff,
					   path,
					   "{\"start\": \"%s\", \"expert\": %" G_GINT64_FORMAT "}",
					   three,
					   fx->expert_a);
		g_autoptr(ApTestResponse) nobody = NULL;
		g_autoptr(ApTestResponse) off = NULL;
		g_autofree gchar *odd = ap_api_at(fx, 0, 15, 10);

		ap_test_assert_problem(named, 409, NULL);
		blocker_b = ap_api_book_ok(fx, fx->expert_b, 0, 15, 0);
		nobody = ap_test_http_sendf(
			fx->d, "POST", fx->staff, path, "{\"start\": \"%s\"}", three);
		ap_test_assert_problem(nobody, 409, NULL);
		off = ap_test_http_sendf(
			fx->d, "POST", fx->staff, path, "{\"start\": \"%s\"}", odd);
		ap_test_assert_problem(off, 422, "start");
	}

	/* the failed moves changed nothing, and the first slot is free again */
	read = ap_test_http_get(fx->d, fx->admin, self_path);
	ap_test_assert_status(read, 200);
	g_assert_cmpint(ap_test_instant_parse(ap_test_json_str(read, "start")), ==, expected_start);
	g_assert_cmpint(ap_test_json_int(read, "sequence"), ==, 3);
	slots = ap_slots_of(fx, 0, fx->expert_a);
	g_assert_true(ap_slots_has_start(slots, ten));
	g_assert_false(ap_slots_has_start(slots, three));
}

/* each who may cancel does so; a second cancel is 409 and frees nothing */
static void
test_api_bookings_cancel(ApApiFixture *fx, gconstpointer data)
{
	const gchar *who[] = {"manage", "staff", "admin", "expert"};

	for (guint i = 0; i < G_N_ELEMENTS(who); i++) {
		g_autoptr(ApTestResponse) made =
			ap_api_book_ok(fx, fx->expert_a, 0, 9 + (gint)i, 0);
		const gchar *token = i == 0   ? ap_test_json_str(made, "token")
				     : i == 1 ? fx->staff
				     : i == 2 ? fx->admin
					      : fx->alice;
		g_autofree gchar *path =
			ap_booking_path(ap_test_json_str(made, "reference"), "/cancel");
		g_autofree gchar *move =
			ap_booking_path(ap_test_json_str(made, "reference"), "/reschedule");
		g_autofree gchar *later = ap_api_at(fx, 1, 9, 0);
		g_autoptr(ApTestResponse) r = ap_test_http_send(
			fx->d, "POST", token, path, "{\"reason\": \"feeling ill\"}");
		g_autoptr(ApTestResponse) again =
			ap_test_http_send(fx->d, "POST", fx->admin, path, NULL);
		g_autoptr(ApTestResponse) moved = ap_test_http_sendf(
			fx->d, "POST", fx->admin, move, "{\"start\": \"%s\"}", later);
		g_autoptr(ApTestResponse) slots = ap_slots_of(fx, 0, fx->expert_a);

		g_test_message("cancel by %s", who[i]);
		ap_test_assert_status(r, 200);
		g_assert_cmpstr(ap_test_json_str(r, "status"), ==, "cancelled");
		g_assert_cmpstr(ap_test_json_str(r, "cancel_reason"), ==, "feeling ill");
		g_assert_cmpstr(
			ap_test_json_str(r, "reference"), ==, ap_test_json_str(made, "reference"));
		ap_test_assert_problem(again, 409, NULL);
		ap_test_assert_problem(moved, 409, NULL);
		g_assert_true(ap_slots_has_start(slots, ap_test_json_str(made, "start")));
	}
}

static void
test_api_bookings_history(ApApiFixture *fx, gconstpointer data)
{
	g_autoptr(ApTestResponse) made = ap_api_book_ok(fx, fx->expert_a, 0, 10, 0);
	const gchar *token = ap_test_json_str(made, "token");
	g_autofree gchar *reference = g_strdup(ap_test_json_str(made, "reference"));
	g_autofree gchar *move = ap_booking_path(reference, "/reschedule");
	g_autofree gchar *cancel = ap_booking_path(reference, "/cancel");
	g_autofree gchar *path = ap_booking_path(reference, "/history");
	g_autofree gchar *noon = ap_api_at(fx, 0, 12, 0);
	g_autoptr(ApTestResponse) moved =
		ap_test_http_sendf(fx->d, "POST", token, move, "{\"start\": \"%s\"}", noon);
	g_autoptr(ApTestResponse) cancelled =
		ap_test_http_send(fx->d, "POST", fx->staff, cancel, NULL);
	const gchar *readers[] = {token, fx->staff, fx->admin, fx->alice};
	const gchar *actions[] = {"created", "rescheduled", "cancelled"};

	ap_test_assert_status(moved, 200);
	ap_test_assert_status(cancelled, 200);
	for (guint i = 0; i < G_N_ELEMENTS(readers); i++) {
		g_autoptr(ApTestResponse) r = ap_test_http_get(fx->d, readers[i], path);

		ap_test_assert_status(r, 200);
		g_assert_cmpuint(ap_test_json_len(r, ""), ==, G_N_ELEMENTS(actions));
		for (guint j = 0; j < G_N_ELEMENTS(actions); j++) {
			g_autofree gchar *action = g_strdup_printf("%u.action", j);
			g_autofree gchar *at = g_strdup_printf("%u.at", j);
			g_autofree gchar *actor = g_strdup_printf("%u.actor", j);
			g_assert_cmpstr(ap_test_json_str(r, action), ==, actions[j]);
			g_assert_cmpint(ap_test_instant_parse(ap_test_json_str(r, at)), >, 0);
			g_assert_nonnull(ap_test_json_str(r, actor));
		}
	}
}

static void
test_api_bookings_complete_no_show(ApApiFixture *fx, gconstpointer data)
{
	g_autoptr(ApTestResponse) one = ap_api_book_ok(fx, fx->expert_a, 0, 10, 0);
	g_autoptr(ApTestResponse) two = ap_api_book_ok(fx, fx->expert_a, 0, 12, 0);
	g_autofree gchar *ref1 = g_strdup(ap_test_json_str(one, "reference"));
	g_autofree gchar *ref2 = g_strdup(ap_test_json_str(two, "reference"));
	g_autofree gchar *complete1 = ap_booking_path(ref1, "/complete");
	g_autofree gchar *no_show2 = ap_booking_path(ref2, "/no-show");
	g_autofree gchar *cancel1 = ap_booking_path(ref1, "/cancel");
	const struct {
		const gchar *token;
		const gchar *path;
		guint status;
		const gchar *after;
	} steps[] = {
		/* not started yet: nobody may mark it */
		{fx->staff, complete1, 409, NULL},
		{fx->alice, no_show2, 409, NULL},
		{ap_test_json_str(one, "token"), complete1, 403, NULL},
		{NULL, complete1, 401, NULL},
		{fx->bert, complete1, 404, NULL},
		/* started (backdated below) */
		{NULL, NULL, 0, NULL},
		{ap_test_json_str(one, "token"), complete1, 403, NULL},
		{fx->bert, no_show2, 404, NULL},
		{fx->staff, complete1, 200, "completed"},
		{fx->alice, no_show2, 200, "no-show"},
		{fx->admin, complete1, 409, NULL},
		{fx->admin, cancel1, 409, NULL},
	};

	for (guint i = 0; i < G_N_ELEMENTS(steps); i++) {
		g_autoptr(ApTestResponse) r = NULL;

		if (steps[i].path == NULL) {
			ap_api_backdate(fx, ref1, 2);
			ap_api_backdate(fx, ref2, 4);
			continue;
		}
		g_test_message("step %u: POST %s", i, steps[i].path);
		r = ap_test_http_send(fx->d, "POST", steps[i].token, steps[i].path, NULL);
		if (steps[i].after != NULL) {
			ap_test_assert_status(r, steps[i].status);
			g_assert_cmpstr(ap_test_json_str(r, "status"), ==, steps[i].after);
		} else {
			ap_test_assert_problem(r, steps[i].status, NULL);
		}
	}
}

/* the same key and body answer the first booking again; another body is 422 */
static void
test_api_bookings_idempotency(ApApiFixture *fx, gconstpointer data)
{
	g_autofree gchar *start = ap_api_at(fx, 0, 10, 0);
	g_autofree gchar *other = ap_api_at(fx, 0, 11, 0);
	g_autofree gchar *body =
		g_strdup_printf("{\"service\": \"personal-styling\", \"start\": \"%s\", "
				"\"expert\": %" G_GINT64_FORMAT ", "
				"\"customer\": {\"name\": \"Ida Ives\", \"email\": "
				"\"ida@example.com\"}, \"answers\": {\"occasion\": \"Work\"}}",
				start,
				fx->expert_a);
	g_autofree gchar *spaced =
		g_strdup_printf("{ \"service\" : \"personal-styling\",\n\"start\": \"%s\",  "
				"\"expert\":%" G_GINT64_FORMAT ",\t"
				"\"customer\": {\"name\":\"Ida Ives\",\"email\":"
				"\"ida@example.com\"},\"answers\":{\"occasion\":\"Work\"} }",
				start,
				fx->expert_a);
	g_autofree gchar *changed =
		g_strdup_printf("{\"service\": \"personal-styling\", \"start\": \"%s\", "
				"\"expert\": %" G_GINT64_FORMAT ", "
				"\"customer\": {\"name\": \"Ida Ives\", \"email\": "
				"\"ida@example.com\"}, \"answers\": {\"occasion\": \"Work\"}}",
				other,
				fx->expert_a);
	const gchar *key1[] = {"Idempotency-Key", "4b7c3f0e-key-one", NULL};
	const gchar *key2[] = {"Idempotency-Key", "4b7c3f0e-key-two", NULL};
	const struct {
		const gchar *const *headers;
		const gchar *body;
		guint status;
		gboolean same;
	} steps[] = {
		{key1, body, 201, TRUE},
		{key1, body, 201, TRUE},
		{key1, spaced, 201, TRUE},
		{key1, changed, 422, FALSE},
		{key2, body, 409, FALSE},
		{NULL, body, 409, FALSE},
	};
	g_autofree gchar *reference = NULL;
	g_autofree gchar *token = NULL;
	g_autoptr(ApTestResponse) found = NULL;

	for (guint i = 0; i < G_N_ELEMENTS(steps); i++) {
		ApTestRequest req = {.method = "POST",
				     .path = "/api/v1/bookings",
				     .type = "application/json",
				     .body = steps[i].body,
				     .len = -1,
				     .headers = steps[i].headers};
		g_autoptr(ApTestResponse) r = ap_test_http_request(fx->d, NULL, &req);

		g_test_message("step %u", i);
		if (steps[i].status != 201) {
			ap_test_assert_problem(r, steps[i].status, NULL);
			continue;
		}
		ap_test_assert_status(r, 201);
		if (reference == NULL) {
			reference = g_strdup(ap_test_json_str(r, "reference"));
			token = g_strdup(ap_test_json_str(r, "token"));
		}
		g_assert_cmpstr(ap_test_json_str(r, "reference"), ==, reference);
		g_assert_cmpstr(ap_test_json_str(r, "token"), ==, token);
		g_assert_cmpstr(ap_test_json_str(r, "status"), ==, "confirmed");
	}
	found = ap_test_http_get(fx->d, fx->admin, "/api/v1/bookings?q=ida%40example.com");
	g_assert_cmpuint(ap_test_json_len(found, ""), ==, 1);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
#define AP_ADD(path, func)                                                                         \
	g_test_add(path, ApApiFixture, NULL, ap_api_fixture_set_up, func, ap_api_fixture_tear_down)
	AP_ADD("/api/bookings/create", test_api_bookings_create);
	AP_ADD("/api/bookings/conflict", test_api_bookings_conflict);
	AP_ADD("/api/bookings/not-offered", test_api_bookings_not_offered);
	AP_ADD("/api/bookings/get", test_api_bookings_get);
	AP_ADD("/api/bookings/search", test_api_bookings_search);
	AP_ADD("/api/bookings/reschedule", test_api_bookings_reschedule);
	AP_ADD("/api/bookings/cancel", test_api_bookings_cancel);
	AP_ADD("/api/bookings/history", test_api_bookings_history);
	AP_ADD("/api/bookings/complete-no-show", test_api_bookings_complete_no_show);
	AP_ADD("/api/bookings/idempotency", test_api_bookings_idempotency);
#undef AP_ADD
	return g_test_run();
}
