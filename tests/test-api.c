/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "ap-test-http.h"
#include "ap-test-util.h"

/*
 * The contract's service, expert and slot rows, driven over HTTP against
 * the real appointd.
 */

static gchar *
ap_expert_path(gint64 id, const gchar *rest)
{
	return g_strdup_printf("/api/v1/experts/%" G_GINT64_FORMAT "%s", id, rest);
}

/* GET /api/v1/slots for one London date; expert 0 for all */
static ApTestResponse *
ap_slots_on(ApApiFixture *fx, const gchar *service, gint day, gint64 expert)
{
	g_autofree gchar *date = ap_api_date(fx, day);
	g_autofree gchar *path = NULL;

	if (expert > 0)
		path = g_strdup_printf(
			"/api/v1/slots?service=%s&from=%s&to=%s&expert=%" G_GINT64_FORMAT,
			service,
			date,
			date,
			expert);
	else
		path = g_strdup_printf(
			"/api/v1/slots?service=%s&from=%s&to=%s", service, date, date);
	return ap_test_http_get(fx->d, NULL, path);
}

static void
test_api_healthz(ApApiFixture *fx, gconstpointer data)
{
	g_autoptr(ApTestResponse) r = ap_test_http_get(fx->d, NULL, "/healthz");

	ap_test_assert_status(r, 200);
	g_assert_cmpstr(r->type, ==, "application/json");
	g_assert_cmpstr(ap_test_json_str(r, "status"), ==, "ok");
}

static void
test_api_services_list(ApApiFixture *fx, gconstpointer data)
{
	const struct {
		const gchar *id;
		gint64 duration;
		gint64 notice;
		gint64 horizon;
	} defaults[] = {
		{"personal-styling", 45, 120, 60},
		{"home-design", 60, 240, 60},
		{"nursery", 45, 120, 90},
	};
	g_autoptr(ApTestResponse) r = ap_test_http_get(fx->d, NULL, "/api/v1/services");

	ap_test_assert_status(r, 200);
	g_assert_cmpuint(ap_test_json_len(r, ""), ==, G_N_ELEMENTS(defaults));
	for (guint i = 0; i < G_N_ELEMENTS(defaults); i++) {
		gboolean found = FALSE;
		for (guint j = 0; j < ap_test_json_len(r, ""); j++) {
			g_autofree gchar *id = g_strdup_printf("%u.id", j);
			g_autofree gchar *name = g_strdup_printf("%u.name", j);
			g_autofree gchar *duration = g_strdup_printf("%u.duration_minutes", j);
			g_autofree gchar *notice = g_strdup_printf("%u.min_notice_minutes", j);
			g_autofree gchar *horizon = g_strdup_printf("%u.horizon_days", j);
			if (g_strcmp0(ap_test_json_str(r, id), defaults[i].id) != 0)
				continue;
			found = TRUE;
			g_assert_nonnull(ap_test_json_str(r, name));
			g_assert_cmpint(ap_test_json_int(r, duration), ==, defaults[i].duration);
			g_assert_cmpint(ap_test_json_int(r, notice), ==, defaults[i].notice);
			g_assert_cmpint(ap_test_json_int(r, horizon), ==, defaults[i].horizon);
		}
		g_assert_true(found);
	}
}

static void
test_api_services_get(ApApiFixture *fx, gconstpointer data)
{
	g_autoptr(ApTestResponse) ok =
		ap_test_http_get(fx->d, NULL, "/api/v1/services/home-design");
	g_autoptr(ApTestResponse) missing =
		ap_test_http_get(fx->d, NULL, "/api/v1/services/no-such");

	ap_test_assert_status(ok, 200);
	g_assert_cmpstr(ap_test_json_str(ok, "id"), ==, "home-design");
	g_assert_cmpint(ap_test_json_int(ok, "duration_minutes"), ==, 60);
	ap_test_assert_problem(missing, 404, NULL);
}

/* each field the contract names, one PATCH at a time */
static void
test_api_services_patch(ApApiFixture *fx, gconstpointer data)
{
	const struct {
		const gchar *body;
		const gchar *member;
		gint64 value;
	} cases[] = {
		{"{\"duration_minutes\": 60}", "duration_minutes", 60},
		{"{\"min_notice_minutes\": 30}", "min_notice_minutes", 30},
		{"{\"horizon_days\": 30}", "horizon_days", 30},
		{"{\"buffer_minutes\": 10}", "buffer_after_minutes", 10},
		{"{\"buffer_minutes\": 5}", "buffer_before_minutes", 5},
	};
	const gchar *path = "/api/v1/services/personal-styling";
	g_autoptr(ApTestResponse) booked = NULL;

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(ApTestResponse) r =
			ap_test_http_send(fx->d, "PATCH", fx->admin, path, cases[i].body);
		g_autoptr(ApTestResponse) again = ap_test_http_get(fx->d, NULL, path);

		g_test_message("PATCH %s", cases[i].body);
		ap_test_assert_status(r, 200);
		g_assert_cmpstr(ap_test_json_str(r, "id"), ==, "personal-styling");
		g_assert_cmpint(ap_test_json_int(r, cases[i].member), ==, cases[i].value);
		ap_test_assert_status(again, 200);
		g_assert_cmpint(ap_test_json_int(again, cases[i].member), ==, cases[i].value);
	}
	/* the new duration is what a booking now lasts */
	booked = ap_api_book_ok(fx, fx->expert_a, 0, 10, 0);
	g_assert_cmpint(ap_test_instant_parse(ap_test_json_str(booked, "end")) -
				ap_test_instant_parse(ap_test_json_str(booked, "start")),
			==,
			3600);
}

/* POST makes a service, DELETE deactivates it but keeps it for admins */
static void
test_api_services_create_delete(ApApiFixture *fx, gconstpointer data)
{
	const gchar *path = "/api/v1/services/colour-analysis";
	g_autoptr(ApTestResponse) made = NULL;
	g_autoptr(ApTestResponse) listed = NULL;
	g_autoptr(ApTestResponse) deleted = NULL;
	g_autoptr(ApTestResponse) hidden = NULL;
	g_autoptr(ApTestResponse) anonymous = NULL;
	g_autoptr(ApTestResponse) admin = NULL;
	g_autoptr(ApTestResponse) all = NULL;

	made = ap_test_http_send(fx->d,
				 "POST",
				 fx->admin,
				 "/api/v1/services",
				 "{\"id\": \"colour-analysis\", \"name\": \"Colour analysis\", "
				 "\"duration_minutes\": 30}");
	ap_test_assert_status(made, 201);
	g_assert_cmpstr(ap_test_json_str(made, "id"), ==, "colour-analysis");
	g_assert_cmpint(ap_test_json_int(made, "duration_minutes"), ==, 30);
	listed = ap_test_http_get(fx->d, NULL, "/api/v1/services");
	g_assert_cmpuint(ap_test_json_len(listed, ""), ==, 4);

	deleted = ap_test_http_send(fx->d, "DELETE", fx->admin, path, NULL);
	ap_test_assert_status(deleted, 204);
	hidden = ap_test_http_get(fx->d, NULL, "/api/v1/services");
	g_assert_cmpuint(ap_test_json_len(hidden, ""), ==, 3);
	anonymous = ap_test_http_get(fx->d, NULL, path);
	ap_test_assert_problem(anonymous, 404, NULL);
	admin = ap_test_http_get(fx->d, fx->admin, path);
	ap_test_assert_status(admin, 200);
	g_assert_false(json_node_get_boolean(ap_test_json_at(admin->json, "active")));
	all = ap_test_http_get(fx->d, fx->admin, "/api/v1/services?all=true");
	ap_test_assert_status(all, 200);
	g_assert_cmpuint(ap_test_json_len(all, ""), ==, 4);
}

static void
test_api_experts_create(ApApiFixture *fx, gconstpointer data)
{
	g_autoptr(ApTestResponse) made = NULL;
	g_autoptr(ApTestResponse) listed = NULL;

	made = ap_test_http_send(fx->d,
				 "POST",
				 fx->admin,
				 "/api/v1/experts",
				 "{\"name\": \"Nora Nurse\", \"email\": \"nora@example.com\", "
				 "\"services\": [\"nursery\"], \"timezone\": \"Europe/Paris\"}");
	ap_test_assert_status(made, 201);
	g_assert_cmpint(ap_test_json_int(made, "id"), >, fx->expert_b);
	g_assert_cmpstr(ap_test_json_str(made, "name"), ==, "Nora Nurse");
	g_assert_cmpstr(ap_test_json_str(made, "services.0"), ==, "nursery");
	g_assert_cmpstr(ap_test_json_str(made, "timezone"), ==, "Europe/Paris");
	listed = ap_test_http_get(fx->d, NULL, "/api/v1/experts?service=nursery");
	ap_test_assert_status(listed, 200);
	g_assert_cmpuint(ap_test_json_len(listed, ""), ==, 1);
	g_assert_cmpint(ap_test_json_int(listed, "0.id"), ==, ap_test_json_int(made, "id"));
}

/* anyone lists experts, by service, never with their email addresses */
static void
test_api_experts_list(ApApiFixture *fx, gconstpointer data)
{
	const struct {
		const gchar *query;
		guint count;
	} cases[] = {
		{"", 2},
		{"?service=personal-styling", 2},
		{"?service=home-design", 1},
		{"?service=nursery", 0},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree gchar *path = g_strconcat("/api/v1/experts", cases[i].query, NULL);
		g_autoptr(ApTestResponse) r = ap_test_http_get(fx->d, NULL, path);

		g_test_message("GET %s", path);
		ap_test_assert_status(r, 200);
		g_assert_cmpuint(ap_test_json_len(r, ""), ==, cases[i].count);
		g_assert_null(strstr(r->text, "@example.com"));
		g_assert_null(strstr(r->text, "\"email\""));
		for (guint j = 0; j < cases[i].count; j++) {
			g_autofree gchar *name = g_strdup_printf("%u.name", j);
			g_autofree gchar *services = g_strdup_printf("%u.services", j);
			g_assert_nonnull(ap_test_json_str(r, name));
			g_assert_cmpuint(ap_test_json_len(r, services), >, 0);
		}
	}
}

static void
test_api_experts_get_patch(ApApiFixture *fx, gconstpointer data)
{
	g_autofree gchar *path = ap_expert_path(fx->expert_a, "");
	g_autoptr(ApTestResponse) anonymous = ap_test_http_get(fx->d, NULL, path);
	g_autoptr(ApTestResponse) staff = ap_test_http_get(fx->d, fx->staff, path);
	g_autoptr(ApTestResponse) self = ap_test_http_get(fx->d, fx->alice, path);
	g_autoptr(ApTestResponse) patched = NULL;
	g_autoptr(ApTestResponse) renamed = NULL;
	g_autoptr(ApTestResponse) inactive = NULL;
	g_autoptr(ApTestResponse) gone = NULL;
	g_autoptr(ApTestResponse) still = NULL;
	g_autoptr(ApTestResponse) listed = NULL;

	ap_test_assert_status(anonymous, 200);
	g_assert_cmpstr(ap_test_json_str(anonymous, "name"), ==, "Alice Able");
	g_assert_false(ap_test_json_has(anonymous, "email"));
	g_assert_cmpstr(ap_test_json_str(staff, "email"), ==, "alice@example.com");
	g_assert_cmpstr(ap_test_json_str(self, "email"), ==, "alice@example.com");

	patched = ap_test_http_send(fx->d,
				    "PATCH",
				    fx->admin,
				    path,
				    "{\"name\": \"Alice Adams\", \"bio\": \"Tailoring\"}");
	ap_test_assert_status(patched, 200);
	g_assert_cmpstr(ap_test_json_str(patched, "name"), ==, "Alice Adams");
	renamed = ap_test_http_get(fx->d, NULL, path);
	g_assert_cmpstr(ap_test_json_str(renamed, "name"), ==, "Alice Adams");
	g_assert_cmpstr(ap_test_json_str(renamed, "bio"), ==, "Tailoring");

	/* an inactive expert is gone for the public, not for admins */
	inactive = ap_test_http_send(fx->d, "PATCH", fx->admin, path, "{\"active\": false}");
	ap_test_assert_status(inactive, 200);
	gone = ap_test_http_get(fx->d, NULL, path);
	ap_test_assert_problem(gone, 404, NULL);
	still = ap_test_http_get(fx->d, fx->admin, path);
	ap_test_assert_status(still, 200);
	listed = ap_test_http_get(fx->d, NULL, "/api/v1/experts?service=home-design");
	g_assert_cmpuint(ap_test_json_len(listed, ""), ==, 0);
}

/* weekly hours, in the expert's local time, decide the slots */
static void
test_api_experts_hours(ApApiFixture *fx, gconstpointer data)
{
	g_autofree gchar *path = ap_expert_path(fx->expert_a, "/hours");
	g_autofree gchar *ten = ap_api_at(fx, 0, 10, 0);
	g_autoptr(ApTestResponse) before = ap_test_http_get(fx->d, fx->admin, path);
	g_autoptr(ApTestResponse) put = NULL;
	g_autoptr(ApTestResponse) after = NULL;
	g_autoptr(ApTestResponse) monday = NULL;
	g_autoptr(ApTestResponse) tuesday = NULL;

	ap_test_assert_status(before, 200);
	g_assert_cmpstr(ap_test_json_str(before, "timezone"), ==, "Europe/London");
	g_assert_cmpstr(ap_test_json_str(before, "weekly.sun.0.0"), ==, "09:00");
	g_assert_cmpstr(ap_test_json_str(before, "weekly.sun.0.1"), ==, "17:00");

	/* the expert sets their own hours: Mondays only, 10:00 to 12:00 */
	put = ap_test_http_send(
		fx->d, "PUT", fx->alice, path, "{\"weekly\": {\"mon\": [[\"10:00\", \"12:00\"]]}}");
	ap_test_assert_status(put, 200);
	after = ap_test_http_get(fx->d, fx->alice, path);
	g_assert_cmpstr(ap_test_json_str(after, "weekly.mon.0.0"), ==, "10:00");
	g_assert_cmpuint(ap_test_json_len(after, "weekly.tue"), ==, 0);

	/* the fixture's day 0 is a Monday: 10:00 to 11:15 every 15 minutes */
	monday = ap_slots_on(fx, "personal-styling", 0, fx->expert_a);
	ap_test_assert_status(monday, 200);
	g_assert_cmpuint(ap_test_json_len(monday, "slots"), ==, 6);
	g_assert_cmpint(ap_test_instant_parse(ap_test_json_str(monday, "slots.0.start")),
			==,
			ap_test_instant_parse(ten));
	tuesday = ap_slots_on(fx, "personal-styling", 1, fx->expert_a);
	g_assert_cmpuint(ap_test_json_len(tuesday, "slots"), ==, 0);
}

/* an override replaces one date's hours; DELETE restores the week's */
static void
test_api_experts_overrides(ApApiFixture *fx, gconstpointer data)
{
	g_autofree gchar *date = ap_api_date(fx, 2);
	g_autofree gchar *rest = g_strconcat("/overrides/", date, NULL);
	g_autofree gchar *path = ap_expert_path(fx->expert_a, rest);
	g_autofree gchar *one = ap_api_at(fx, 2, 13, 0);
	const struct {
		const gchar *method;
		const gchar *body;
		guint slots;
	} steps[] = {
		{"PUT", "{\"hours\": [[\"13:00\", \"15:00\"]]}", 6},
		{"PUT", "{\"hours\": []}", 0},
		{"DELETE", NULL, 30},
	};

	for (guint i = 0; i < G_N_ELEMENTS(steps); i++) {
		g_autoptr(ApTestResponse) r =
			ap_test_http_send(fx->d, steps[i].method, fx->admin, path, steps[i].body);
		g_autoptr(ApTestResponse) slots =
			ap_slots_on(fx, "personal-styling", 2, fx->expert_a);

		g_test_message("%s %s %s", steps[i].method, path, steps[i].body);
		ap_test_assert_status(r, 200);
		g_assert_cmpuint(
			ap_test_json_len(r, "overrides"), ==, steps[i].body != NULL ? 1 : 0);
		ap_test_assert_status(slots, 200);
		g_assert_cmpuint(ap_test_json_len(slots, "slots"), ==, steps[i].slots);
		if (i == 0)
			g_assert_cmpint(
				ap_test_instant_parse(ap_test_json_str(slots, "slots.0.start")),
				==,
				ap_test_instant_parse(one));
	}
}

static void
test_api_experts_time_off(ApApiFixture *fx, gconstpointer data)
{
	g_autofree gchar *path = ap_expert_path(fx->expert_a, "/time-off");
	g_autofree gchar *start = ap_api_at(fx, 3, 9, 0);
	g_autofree gchar *end = ap_api_at(fx, 3, 12, 0);
	g_autofree gchar *one = NULL;
	g_autoptr(ApTestResponse) added = NULL;
	g_autoptr(ApTestResponse) during = NULL;
	g_autoptr(ApTestResponse) listed = NULL;
	g_autoptr(ApTestResponse) removed = NULL;
	g_autoptr(ApTestResponse) again = NULL;
	g_autoptr(ApTestResponse) after = NULL;

	added = ap_test_http_sendf(fx->d,
				   "POST",
				   fx->staff,
				   path,
				   "{\"start\": \"%s\", \"end\": \"%s\", \"reason\": \"dentist\"}",
				   start,
				   end);
	ap_test_assert_status(added, 201);
	g_assert_cmpint(ap_test_json_int(added, "id"), >, 0);
	g_assert_cmpint(ap_test_instant_parse(ap_test_json_str(added, "start")),
			==,
			ap_test_instant_parse(start));
	g_assert_cmpint(ap_test_instant_parse(ap_test_json_str(added, "end")),
			==,
			ap_test_instant_parse(end));
	g_assert_cmpstr(ap_test_json_str(added, "reason"), ==, "dentist");

	/* the morning is gone: 12:00 to 16:15 is left */
	during = ap_slots_on(fx, "personal-styling", 3, fx->expert_a);
	g_assert_cmpuint(ap_test_json_len(during, "slots"), ==, 18);
	g_assert_cmpint(ap_test_instant_parse(ap_test_json_str(during, "slots.0.start")),
			==,
			ap_test_instant_parse(end));

	listed = ap_test_http_get(fx->d, fx->alice, path);
	ap_test_assert_status(listed, 200);
	g_assert_cmpuint(ap_test_json_len(listed, ""), ==, 1);
	g_assert_cmpint(ap_test_json_int(listed, "0.id"), ==, ap_test_json_int(added, "id"));

	one = g_strdup_printf("%s/%" G_GINT64_FORMAT, path, ap_test_json_int(added, "id"));
	removed = ap_test_http_send(fx->d, "DELETE", fx->admin, one, NULL);
	ap_test_assert_status(removed, 204);
	again = ap_test_http_send(fx->d, "DELETE", fx->admin, one, NULL);
	ap_test_assert_problem(again, 404, NULL);
	after = ap_slots_on(fx, "personal-styling", 3, fx->expert_a);
	g_assert_cmpuint(ap_test_json_len(after, "slots"), ==, 30);
}

/* every slot starts on @date, written with @offset (if not %NULL) */
static void
ap_assert_slots_on_date(ApTestResponse *r, const gchar *date, const gchar *offset)
{
	for (guint i = 0; i < ap_test_json_len(r, "slots"); i++) {
		g_autofree gchar *member = g_strdup_printf("slots.%u.start", i);
		const gchar *start = ap_test_json_str(r, member);
		g_assert_true(g_str_has_prefix(start, date));
		if (offset != NULL)
			g_assert_true(g_str_has_suffix(start, offset));
	}
}

static void
test_api_slots_range(ApApiFixture *fx, gconstpointer data)
{
	g_autofree gchar *d0 = ap_api_date(fx, 0);
	g_autofree gchar *d1 = ap_api_date(fx, 1);
	g_autofree gchar *d61 = ap_api_date(fx, 61);
	g_autofree gchar *d62 = ap_api_date(fx, 62);
	g_autofree gchar *nine = ap_api_at(fx, 0, 9, 0);
	g_autofree gchar *last = ap_api_at(fx, 1, 16, 15);
	g_autofree gchar *two_days = g_strdup_printf(
		"/api/v1/slots?service=personal-styling&from=%s&to=%s&expert=%" G_GINT64_FORMAT,
		d0,
		d1,
		fx->expert_a);
	g_autofree gchar *span62 =
		g_strdup_printf("/api/v1/slots?service=personal-styling&from=%s&to=%s", d0, d61);
	g_autofree gchar *span63 =
		g_strdup_printf("/api/v1/slots?service=personal-styling&from=%s&to=%s", d0, d62);
	g_autofree gchar *backwards =
		g_strdup_printf("/api/v1/slots?service=personal-styling&from=%s&to=%s", d1, d0);
	g_autofree gchar *tokyo = g_strdup_printf(
		"/api/v1/slots?service=personal-styling&from=%s&to=%s&tz=Asia/Tokyo", d1, d1);
	g_autofree gchar *kolkata = g_strdup_printf(
		"/api/v1/slots?service=personal-styling&from=%s&to=%s&tz=Asia/Kolkata", d1, d1);
	g_autoptr(ApTestResponse) both = ap_slots_on(fx, "personal-styling", 0, 0);
	g_autoptr(ApTestResponse) only_b = ap_slots_on(fx, "personal-styling", 0, fx->expert_b);
	g_autoptr(ApTestResponse) home = ap_slots_on(fx, "home-design", 0, 0);
	g_autoptr(ApTestResponse) r2 = ap_test_http_get(fx->d, NULL, two_days);
	g_autoptr(ApTestResponse) r62 = ap_test_http_get(fx->d, NULL, span62);
	g_autoptr(ApTestResponse) r63 = ap_test_http_get(fx->d, NULL, span63);
	g_autoptr(ApTestResponse) rback = ap_test_http_get(fx->d, NULL, backwards);
	g_autoptr(ApTestResponse) rtokyo = ap_test_http_get(fx->d, NULL, tokyo);
	g_autoptr(ApTestResponse) rkolkata = ap_test_http_get(fx->d, NULL, kolkata);

	/* 09:00 to 16:15 every 15 minutes, both experts free */
	ap_test_assert_status(both, 200);
	g_assert_cmpuint(ap_test_json_len(both, "slots"), ==, 30);
	g_assert_cmpint(ap_test_instant_parse(ap_test_json_str(both, "slots.0.start")),
			==,
			ap_test_instant_parse(nine));
	g_assert_cmpint(ap_test_instant_parse(ap_test_json_str(both, "slots.0.end")),
			==,
			ap_test_instant_parse(nine) + 45 * 60);
	g_assert_cmpuint(ap_test_json_len(both, "slots.0.experts"), ==, 2);
	ap_assert_slots_on_date(both, d0, NULL);

	/* the expert filter */
	g_assert_cmpuint(ap_test_json_len(only_b, "slots"), ==, 30);
	for (guint i = 0; i < 30; i++) {
		g_autofree gchar *member = g_strdup_printf("slots.%u.experts", i);
		g_autofree gchar *first = g_strdup_printf("slots.%u.experts.0", i);
		g_assert_cmpuint(ap_test_json_len(only_b, member), ==, 1);
		g_assert_cmpint(ap_test_json_int(only_b, first), ==, fx->expert_b);
	}
	/* home-design: only Alice, hourly on a 30-minute step */
	g_assert_cmpuint(ap_test_json_len(home, "slots"), ==, 15);
	g_assert_cmpint(ap_test_json_int(home, "slots.0.experts.0"), ==, fx->expert_a);

	/* from and to are both inclusive */
	ap_test_assert_status(r2, 200);
	g_assert_cmpuint(ap_test_json_len(r2, "slots"), ==, 60);
	g_assert_cmpint(ap_test_instant_parse(ap_test_json_str(r2, "slots.59.start")),
			==,
			ap_test_instant_parse(last));

	/* other zones: dates in that zone, instants with its offset */
	ap_test_assert_status(rtokyo, 200);
	g_assert_cmpuint(ap_test_json_len(rtokyo, "slots"), >, 0);
	ap_assert_slots_on_date(rtokyo, d1, "+09:00");
	ap_test_assert_status(rkolkata, 200);
	g_assert_cmpuint(ap_test_json_len(rkolkata, "slots"), >, 0);
	ap_assert_slots_on_date(rkolkata, d1, "+05:30");

	/* at most 62 days at once */
	ap_test_assert_status(r62, 200);
	ap_test_assert_problem(r63, 400, NULL);
	ap_test_assert_problem(rback, 400, NULL);
}

/* answers are reused, but never once something has changed: a booking
 * through the API, or hours set by appointctl in another process */
static void
test_api_slots_cache(ApApiFixture *fx, gconstpointer data)
{
	g_autofree gchar *ten = ap_api_at(fx, 0, 10, 0);
	g_autofree gchar *expert = g_strdup_printf("%" G_GINT64_FORMAT, fx->expert_b);
	const gchar *hours[] = {g_getenv("APPOINTCTL"),
				"--config",
				fx->d->config,
				"hours",
				"set",
				"--expert",
				expert,
				NULL};
	g_autoptr(ApTestResponse) before = ap_slots_on(fx, "personal-styling", 0, 0);
	g_autoptr(ApTestResponse) again = ap_slots_on(fx, "personal-styling", 0, 0);
	g_autoptr(ApTestResponse) booked = NULL;
	g_autoptr(ApTestResponse) after_booking = NULL;
	g_autoptr(ApTestResponse) after_hours = NULL;
	g_autoptr(ApTestRun) run = NULL;
	gint64 at_ten = ap_test_instant_parse(ten);
	guint at_ten_index = G_MAXUINT;

	ap_test_assert_status(before, 200);
	g_assert_cmpstr(before->text, ==, again->text);
	/* answers are kept by the query as sent: the same question spelled
	 * another way gets the same answer, and a kept answer does not make
	 * a wrong question right */
	{
		g_autofree gchar *date = ap_api_date(fx, 0);
		g_autofree gchar *reordered = g_strdup_printf(
			"/api/v1/slots?to=%s&from=%s&service=personal-styling", date, date);
		g_autofree gchar *unknown = g_strdup_printf(
			"/api/v1/slots?service=personal-styling&from=%s&to=%s&colour=red",
			date,
			date);
		g_autofree gchar *bad_zone = g_strdup_printf(
			"/api/v1/slots?service=personal-styling&from=%s&to=%s&tz=Mars/Olympus",
			date,
			date);
		g_autoptr(ApTestResponse) r1 = ap_test_http_get(fx->d, NULL, reordered);
		g_autoptr(ApTestResponse) r2 = ap_test_http_get(fx->d, NULL, unknown);
		g_autoptr(ApTestResponse) r3 = ap_test_http_get(fx->d, NULL, bad_zone);
		g_autoptr(ApTestResponse) r4 = ap_test_http_get(fx->d, NULL, "/api/v1/slots");
		/* longer than any real question: answered, but not kept */
		g_autofree gchar *padding = g_strnfill(600, '&');
		g_autofree gchar *padded = g_strconcat(reordered, padding, NULL);
		g_autoptr(ApTestResponse) r5 = ap_test_http_get(fx->d, NULL, padded);

		ap_test_assert_status(r1, 200);
		g_assert_cmpstr(r1->text, ==, before->text);
		ap_test_assert_problem(r2, 400, NULL);
		ap_test_assert_problem(r3, 400, NULL);
		ap_test_assert_problem(r4, 400, NULL);
		ap_test_assert_status(r5, 200);
		g_assert_cmpstr(r5->text, ==, before->text);
	}
	for (guint i = 0; i < ap_test_json_len(before, "slots"); i++) {
		g_autofree gchar *member = g_strdup_printf("slots.%u.start", i);
		if (ap_test_instant_parse(ap_test_json_str(before, member)) == at_ten)
			at_ten_index = i;
	}
	g_assert_cmpuint(at_ten_index, !=, G_MAXUINT);

	/* Alice booked at 10:00: only Bert is left then */
	booked = ap_api_book(fx, fx->expert_a, ten, "Cache Carla", "carla@example.com", NULL);
	ap_test_assert_status(booked, 201);
	after_booking = ap_slots_on(fx, "personal-styling", 0, 0);
	{
		g_autofree gchar *member = g_strdup_printf("slots.%u.experts", at_ten_index);
		g_autofree gchar *first = g_strdup_printf("slots.%u.experts.0", at_ten_index);
		g_assert_cmpuint(ap_test_json_len(after_booking, member), ==, 1);
		g_assert_cmpint(ap_test_json_int(after_booking, first), ==, fx->expert_b);
	}

	/* Bert's hours emptied from another process: no slot at 10:00 at all */
	run = ap_test_run(NULL, hours);
	g_assert_cmpint(run->status, ==, 0);
	after_hours = ap_slots_on(fx, "personal-styling", 0, 0);
	for (guint i = 0; i < ap_test_json_len(after_hours, "slots"); i++) {
		g_autofree gchar *member = g_strdup_printf("slots.%u.start", i);
		g_assert_cmpint(
			ap_test_instant_parse(ap_test_json_str(after_hours, member)), !=, at_ten);
	}
}

static void
test_api_slots_notice_horizon(ApApiFixture *fx, gconstpointer data)
{
	g_autofree gchar *today = ap_test_london_date(0);
	g_autofree gchar *tomorrow = ap_test_london_date(1);
	g_autofree gchar *d55 = ap_test_london_date(55);
	g_autofree gchar *d59 = ap_test_london_date(59);
	g_autofree gchar *d61 = ap_test_london_date(61);
	g_autofree gchar *d65 = ap_test_london_date(65);
	g_autofree gchar *near = g_strdup_printf(
		"/api/v1/slots?service=personal-styling&from=%s&to=%s&expert=%" G_GINT64_FORMAT,
		today,
		tomorrow,
		fx->expert_a);
	g_autofree gchar *far = g_strdup_printf(
		"/api/v1/slots?service=personal-styling&from=%s&to=%s&expert=%" G_GINT64_FORMAT,
		d55,
		d65,
		fx->expert_a);
	g_autoptr(ApTestResponse) rnear = ap_test_http_get(fx->d, NULL, near);
	g_autoptr(ApTestResponse) rfar = ap_test_http_get(fx->d, NULL, far);
	g_autoptr(ApTestResponse) patch = NULL;
	g_autoptr(ApTestResponse) rnear2 = NULL;
	g_autoptr(ApTestResponse) rfar2 = NULL;
	gint64 now = g_get_real_time() / G_USEC_PER_SEC;
	guint on_tomorrow = 0, on_59 = 0;

	/* nothing before now plus two hours; all of tomorrow */
	ap_test_assert_status(rnear, 200);
	for (guint i = 0; i < ap_test_json_len(rnear, "slots"); i++) {
		g_autofree gchar *member = g_strdup_printf("slots.%u.start", i);
		const gchar *start = ap_test_json_str(rnear, member);
		g_assert_cmpint(ap_test_instant_parse(start), >=, now + 120 * 60 - 5);
		if (g_str_has_prefix(start, tomorrow))
			on_tomorrow++;
	}
	g_assert_cmpuint(on_tomorrow, ==, 30);

	/* nothing beyond the 60-day horizon */
	ap_test_assert_status(rfar, 200);
	for (guint i = 0; i < ap_test_json_len(rfar, "slots"); i++) {
		g_autofree gchar *member = g_strdup_printf("slots.%u.start", i);
		const gchar *start = ap_test_json_str(rfar, member);
		g_assert_cmpint(ap_test_instant_parse(start), <=, now + 60 * 86400 + 5);
		g_assert_false(g_str_has_prefix(start, d61));
		if (g_str_has_prefix(start, d59))
			on_59++;
	}
	g_assert_cmpuint(on_59, ==, 30);

	/* two days' notice and a 20-day horizon empty both windows */
	patch = ap_test_http_send(fx->d,
				  "PATCH",
				  fx->admin,
				  "/api/v1/services/personal-styling",
				  "{\"min_notice_minutes\": 2880, \"horizon_days\": 20}");
	ap_test_assert_status(patch, 200);
	rnear2 = ap_test_http_get(fx->d, NULL, near);
	rfar2 = ap_test_http_get(fx->d, NULL, far);
	g_assert_cmpuint(ap_test_json_len(rnear2, "slots"), ==, 0);
	g_assert_cmpuint(ap_test_json_len(rfar2, "slots"), ==, 0);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
#define AP_ADD(path, func)                                                                         \
	g_test_add(path, ApApiFixture, NULL, ap_api_fixture_set_up, func, ap_api_fixture_tear_down)
	AP_ADD("/api/healthz", test_api_healthz);
	AP_ADD("/api/services/list", test_api_services_list);
	AP_ADD("/api/services/get", test_api_services_get);
	AP_ADD("/api/services/patch", test_api_services_patch);
	AP_ADD("/api/services/create-delete", test_api_services_create_delete);
	AP_ADD("/api/experts/create", test_api_experts_create);
	AP_ADD("/api/experts/list", test_api_experts_list);
	AP_ADD("/api/experts/get-patch", test_api_experts_get_patch);
	AP_ADD("/api/experts/hours", test_api_experts_hours);
	AP_ADD("/api/experts/overrides", test_api_experts_overrides);
	AP_ADD("/api/experts/time-off", test_api_experts_time_off);
	AP_ADD("/api/slots/range", test_api_slots_range);
	AP_ADD("/api/slots/notice-horizon", test_api_slots_notice_horizon);
	AP_ADD("/api/slots/cache", test_api_slots_cache);
#undef AP_ADD
	return g_test_run();
}
