/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "ap-test-http.h"

/*
 * The contract's "who" column, row by row, and each way it must fail: no
 * token or a wrong one is 401, a valid token outside its rights 403, and
 * 404 where even the existence of the thing must not leak.
 */

typedef enum {
	AP_WHO_NONE,
	AP_WHO_WRONG,	     /* an API token that does not exist */
	AP_WHO_WRONG_MANAGE, /* a manage token that does not exist */
	AP_WHO_ADMIN,
	AP_WHO_STAFF,
	AP_WHO_ALICE,	     /* the expert of the row's booking, expert A */
	AP_WHO_BERT,	     /* another expert */
	AP_WHO_MANAGE,	     /* the row's booking's own manage token */
	AP_WHO_OTHER_MANAGE, /* the manage token of another booking */
} ApWho;

static const gchar *ap_who_names[] = {"nobody",
				      "wrong token",
				      "wrong manage token",
				      "admin",
				      "staff",
				      "Alice",
				      "Bert",
				      "its manage token",
				      "another booking's token"};

typedef struct {
	const gchar *method;
	const gchar *path; /* {a}, {b}: the experts; {ref}: a fresh booking with Alice */
	const gchar *body; /* {start}: a free slot of Alice's */
	ApWho who;
	guint status;
} ApRightsCase;

#define AP_HOURS_BODY                                                                              \
	"{\"weekly\": {\"mon\": [[\"09:00\", \"17:00\"]], \"tue\": [[\"09:00\", \"17:00\"]], "     \
	"\"wed\": [[\"09:00\", \"17:00\"]], \"thu\": [[\"09:00\", \"17:00\"]], \"fri\": "          \
	"[[\"09:00\", \"17:00\"]], \"sat\": [[\"09:00\", \"17:00\"]], \"sun\": [[\"09:00\", "      \
	"\"17:00\"]]}}"
#define AP_EXPERT_BODY                                                                             \
	"{\"name\": \"Ned New\", \"email\": \"ned@example.com\", \"services\": [\"nursery\"], "    \
	"\"timezone\": \"Europe/London\"}"
#define AP_TIME_OFF_BODY "{\"start\": \"2020-01-06T09:00:00Z\", \"end\": \"2020-01-06T12:00:00Z\"}"
#define AP_BOOK_BODY                                                                               \
	"{\"service\": \"personal-styling\", \"start\": \"{start}\", \"customer\": {\"name\": "    \
	"\"Rita Row\", \"email\": \"rita@example.com\"}, \"answers\": {\"occasion\": \"Work\"}}"
#define AP_SERVICE_BODY "{\"id\": \"{id}\", \"name\": \"Colour analysis\"}"
#define AP_OVERRIDE	"/api/v1/experts/{a}/overrides/2030-01-07"

static const ApRightsCase ap_rights_cases[] = {
	/* services: anyone reads, admins change */
	{"GET", "/api/v1/services", NULL, AP_WHO_NONE, 200},
	{"GET", "/api/v1/services", NULL, AP_WHO_WRONG, 401},
	{"GET", "/api/v1/services", NULL, AP_WHO_WRONG_MANAGE, 401},
	{"GET", "/api/v1/services/home-design", NULL, AP_WHO_NONE, 200},
	{"GET", "/api/v1/services?all=true", NULL, AP_WHO_NONE, 401},
	{"GET", "/api/v1/services?all=true", NULL, AP_WHO_MANAGE, 403},
	{"GET", "/api/v1/services?all=true", NULL, AP_WHO_STAFF, 403},
	{"GET", "/api/v1/services?all=true", NULL, AP_WHO_ADMIN, 200},
	{"PATCH", "/api/v1/services/home-design", "{\"buffer_minutes\": 5}", AP_WHO_NONE, 401},
	{"PATCH", "/api/v1/services/home-design", "{\"buffer_minutes\": 5}", AP_WHO_WRONG, 401},
	{"PATCH", "/api/v1/services/home-design", "{\"buffer_minutes\": 5}", AP_WHO_MANAGE, 403},
	{"PATCH", "/api/v1/services/home-design", "{\"buffer_minutes\": 5}", AP_WHO_STAFF, 403},
	{"PATCH", "/api/v1/services/home-design", "{\"buffer_minutes\": 5}", AP_WHO_ALICE, 403},
	{"PATCH", "/api/v1/services/home-design", "{\"buffer_minutes\": 5}", AP_WHO_ADMIN, 200},
	{"POST", "/api/v1/services", AP_SERVICE_BODY, AP_WHO_NONE, 401},
	{"POST", "/api/v1/services", AP_SERVICE_BODY, AP_WHO_MANAGE, 403},
	{"POST", "/api/v1/services", AP_SERVICE_BODY, AP_WHO_STAFF, 403},
	{"POST", "/api/v1/services", AP_SERVICE_BODY, AP_WHO_BERT, 403},
	{"POST", "/api/v1/services", AP_SERVICE_BODY, AP_WHO_ADMIN, 201},
	{"DELETE", "/api/v1/services/nursery", NULL, AP_WHO_NONE, 401},
	{"DELETE", "/api/v1/services/nursery", NULL, AP_WHO_STAFF, 403},
	{"DELETE", "/api/v1/services/nursery", NULL, AP_WHO_ALICE, 403},
	{"DELETE", "/api/v1/services/nursery", NULL, AP_WHO_ADMIN, 204},

	/* experts: admins add and edit them; hours are the admin's and the
	 * expert's own; time off also staff's */
	{"POST", "/api/v1/experts", AP_EXPERT_BODY, AP_WHO_NONE, 401},
	{"POST", "/api/v1/experts", AP_EXPERT_BODY, AP_WHO_WRONG, 401},
	{"POST", "/api/v1/experts", AP_EXPERT_BODY, AP_WHO_MANAGE, 403},
	{"POST", "/api/v1/experts", AP_EXPERT_BODY, AP_WHO_STAFF, 403},
	{"POST", "/api/v1/experts", AP_EXPERT_BODY, AP_WHO_ALICE, 403},
	{"POST", "/api/v1/experts", AP_EXPERT_BODY, AP_WHO_ADMIN, 201},
	{"GET", "/api/v1/experts", NULL, AP_WHO_NONE, 200},
	{"GET", "/api/v1/experts?service=personal-styling", NULL, AP_WHO_NONE, 200},
	{"GET", "/api/v1/experts/{a}", NULL, AP_WHO_NONE, 200},
	{"PATCH", "/api/v1/experts/{a}", "{\"bio\": \"Tailoring\"}", AP_WHO_NONE, 401},
	{"PATCH", "/api/v1/experts/{a}", "{\"bio\": \"Tailoring\"}", AP_WHO_MANAGE, 403},
	{"PATCH", "/api/v1/experts/{a}", "{\"bio\": \"Tailoring\"}", AP_WHO_STAFF, 403},
	{"PATCH", "/api/v1/experts/{a}", "{\"bio\": \"Tailoring\"}", AP_WHO_BERT, 403},
	{"PATCH", "/api/v1/experts/{a}", "{\"bio\": \"Tailoring\"}", AP_WHO_ADMIN, 200},
	{"GET", "/api/v1/experts/{a}/hours", NULL, AP_WHO_NONE, 401},
	{"GET", "/api/v1/experts/{a}/hours", NULL, AP_WHO_MANAGE, 403},
	{"GET", "/api/v1/experts/{a}/hours", NULL, AP_WHO_BERT, 403},
	{"GET", "/api/v1/experts/{a}/hours", NULL, AP_WHO_STAFF, 200},
	{"GET", "/api/v1/experts/{a}/hours", NULL, AP_WHO_ALICE, 200},
	{"PUT", "/api/v1/experts/{a}/hours", AP_HOURS_BODY, AP_WHO_NONE, 401},
	{"PUT", "/api/v1/experts/{a}/hours", AP_HOURS_BODY, AP_WHO_WRONG, 401},
	{"PUT", "/api/v1/experts/{a}/hours", AP_HOURS_BODY, AP_WHO_MANAGE, 403},
	{"PUT", "/api/v1/experts/{a}/hours", AP_HOURS_BODY, AP_WHO_STAFF, 403},
	{"PUT", "/api/v1/experts/{a}/hours", AP_HOURS_BODY, AP_WHO_BERT, 403},
	{"PUT", "/api/v1/experts/{b}/hours", AP_HOURS_BODY, AP_WHO_ALICE, 403},
	{"PUT", "/api/v1/experts/{a}/hours", AP_HOURS_BODY, AP_WHO_ALICE, 200},
	{"PUT", "/api/v1/experts/{a}/hours", AP_HOURS_BODY, AP_WHO_ADMIN, 200},
	{"PUT", AP_OVERRIDE, "{\"hours\": []}", AP_WHO_NONE, 401},
	{"PUT", AP_OVERRIDE, "{\"hours\": []}", AP_WHO_STAFF, 403},
	{"PUT", AP_OVERRIDE, "{\"hours\": []}", AP_WHO_BERT, 403},
	{"PUT", AP_OVERRIDE, "{\"hours\": []}", AP_WHO_ALICE, 200},
	{"DELETE", AP_OVERRIDE, NULL, AP_WHO_BERT, 403},
	{"DELETE", AP_OVERRIDE, NULL, AP_WHO_ADMIN, 200},
	{"POST", "/api/v1/experts/{a}/time-off", AP_TIME_OFF_BODY, AP_WHO_NONE, 401},
	{"POST", "/api/v1/experts/{a}/time-off", AP_TIME_OFF_BODY, AP_WHO_WRONG, 401},
	{"POST", "/api/v1/experts/{a}/time-off", AP_TIME_OFF_BODY, AP_WHO_MANAGE, 403},
	{"POST", "/api/v1/experts/{a}/time-off", AP_TIME_OFF_BODY, AP_WHO_BERT, 403},
	{"POST", "/api/v1/experts/{a}/time-off", AP_TIME_OFF_BODY, AP_WHO_STAFF, 201},
	{"POST", "/api/v1/experts/{a}/time-off", AP_TIME_OFF_BODY, AP_WHO_ALICE, 201},
	{"POST", "/api/v1/experts/{a}/time-off", AP_TIME_OFF_BODY, AP_WHO_ADMIN, 201},
	{"GET", "/api/v1/experts/{a}/time-off", NULL, AP_WHO_NONE, 401},
	{"GET", "/api/v1/experts/{a}/time-off", NULL, AP_WHO_BERT, 403},
	{"GET", "/api/v1/experts/{a}/time-off", NULL, AP_WHO_STAFF, 200},
	{"GET", "/api/v1/experts/{a}/time-off", NULL, AP_WHO_ALICE, 200},
	{"DELETE", "/api/v1/experts/{a}/time-off/999999", NULL, AP_WHO_NONE, 401},
	{"DELETE", "/api/v1/experts/{a}/time-off/999999", NULL, AP_WHO_BERT, 403},
	{"DELETE", "/api/v1/experts/{a}/time-off/999999", NULL, AP_WHO_STAFF, 404},

	/* slots and booking: anyone */
	{"GET",
	 "/api/v1/slots?service=personal-styling&from={date}&to={date}",
	 NULL,
	 AP_WHO_NONE,
	 200},
	{"GET",
	 "/api/v1/slots?service=personal-styling&from={date}&to={date}",
	 NULL,
	 AP_WHO_WRONG,
	 401},
	{"POST", "/api/v1/bookings", AP_BOOK_BODY, AP_WHO_NONE, 201},
	{"POST", "/api/v1/bookings", AP_BOOK_BODY, AP_WHO_WRONG, 401},
	{"POST", "/api/v1/bookings", AP_BOOK_BODY, AP_WHO_STAFF, 201},

	/* the list: staff and admins, experts their own */
	{"GET", "/api/v1/bookings", NULL, AP_WHO_NONE, 401},
	{"GET", "/api/v1/bookings", NULL, AP_WHO_WRONG, 401},
	{"GET", "/api/v1/bookings", NULL, AP_WHO_MANAGE, 403},
	{"GET", "/api/v1/bookings", NULL, AP_WHO_STAFF, 200},
	{"GET", "/api/v1/bookings", NULL, AP_WHO_ADMIN, 200},
	{"GET", "/api/v1/bookings", NULL, AP_WHO_BERT, 200},

	/* one booking: its manage token, staff, admins, its expert */
	{"GET", "/api/v1/bookings/{ref}", NULL, AP_WHO_NONE, 401},
	{"GET", "/api/v1/bookings/{ref}", NULL, AP_WHO_WRONG, 401},
	{"GET", "/api/v1/bookings/{ref}", NULL, AP_WHO_WRONG_MANAGE, 401},
	{"GET", "/api/v1/bookings/{ref}", NULL, AP_WHO_OTHER_MANAGE, 404},
	{"GET", "/api/v1/bookings/{ref}", NULL, AP_WHO_BERT, 404},
	{"GET", "/api/v1/bookings/{ref}", NULL, AP_WHO_MANAGE, 200},
	{"GET", "/api/v1/bookings/{ref}", NULL, AP_WHO_STAFF, 200},
	{"GET", "/api/v1/bookings/{ref}", NULL, AP_WHO_ADMIN, 200},
	{"GET", "/api/v1/bookings/{ref}", NULL, AP_WHO_ALICE, 200},
	{"GET", "/api/v1/bookings/{ref}/history", NULL, AP_WHO_NONE, 401},
	{"GET", "/api/v1/bookings/{ref}/history", NULL, AP_WHO_OTHER_MANAGE, 404},
	{"GET", "/api/v1/bookings/{ref}/history", NULL, AP_WHO_BERT, 404},
	{"GET", "/api/v1/bookings/{ref}/history", NULL, AP_WHO_MANAGE, 200},
	{"GET", "/api/v1/bookings/{ref}/history", NULL, AP_WHO_STAFF, 200},
	{"GET", "/api/v1/bookings/{ref}/history", NULL, AP_WHO_ALICE, 200},

	/* reschedule: its manage token, staff, admins; not its expert */
	{"POST", "/api/v1/bookings/{ref}/reschedule", "{\"start\": \"{start}\"}", AP_WHO_NONE, 401},
	{"POST",
	 "/api/v1/bookings/{ref}/reschedule",
	 "{\"start\": \"{start}\"}",
	 AP_WHO_WRONG,
	 401},
	{"POST",
	 "/api/v1/bookings/{ref}/reschedule",
	 "{\"start\": \"{start}\"}",
	 AP_WHO_OTHER_MANAGE,
	 404},
	{"POST", "/api/v1/bookings/{ref}/reschedule", "{\"start\": \"{start}\"}", AP_WHO_BERT, 404},
	{"POST",
	 "/api/v1/bookings/{ref}/reschedule",
	 "{\"start\": \"{start}\"}",
	 AP_WHO_ALICE,
	 403},
	{"POST",
	 "/api/v1/bookings/{ref}/reschedule",
	 "{\"start\": \"{start}\"}",
	 AP_WHO_MANAGE,
	 200},
	{"POST",
	 "/api/v1/bookings/{ref}/reschedule",
	 "{\"start\": \"{start}\"}",
	 AP_WHO_STAFF,
	 200},
	{"POST",
	 "/api/v1/bookings/{ref}/reschedule",
	 "{\"start\": \"{start}\"}",
	 AP_WHO_ADMIN,
	 200},

	/* cancel: its manage token, staff, admins, its expert */
	{"POST", "/api/v1/bookings/{ref}/cancel", NULL, AP_WHO_NONE, 401},
	{"POST", "/api/v1/bookings/{ref}/cancel", NULL, AP_WHO_WRONG, 401},
	{"POST", "/api/v1/bookings/{ref}/cancel", NULL, AP_WHO_WRONG_MANAGE, 401},
	{"POST", "/api/v1/bookings/{ref}/cancel", NULL, AP_WHO_OTHER_MANAGE, 404},
	{"POST", "/api/v1/bookings/{ref}/cancel", NULL, AP_WHO_BERT, 404},
	{"POST", "/api/v1/bookings/{ref}/cancel", NULL, AP_WHO_MANAGE, 200},
	{"POST", "/api/v1/bookings/{ref}/cancel", NULL, AP_WHO_STAFF, 200},
	{"POST", "/api/v1/bookings/{ref}/cancel", NULL, AP_WHO_ADMIN, 200},
	{"POST", "/api/v1/bookings/{ref}/cancel", NULL, AP_WHO_ALICE, 200},

	/* marking: staff, admins and its expert, once it has started; a manage
	 * token never */
	{"POST", "/api/v1/bookings/{ref}/complete", NULL, AP_WHO_NONE, 401},
	{"POST", "/api/v1/bookings/{ref}/complete", NULL, AP_WHO_MANAGE, 403},
	{"POST", "/api/v1/bookings/{ref}/complete", NULL, AP_WHO_OTHER_MANAGE, 404},
	{"POST", "/api/v1/bookings/{ref}/complete", NULL, AP_WHO_BERT, 404},
	{"POST", "/api/v1/bookings/{ref}/complete", NULL, AP_WHO_STAFF, 409},
	{"POST", "/api/v1/bookings/{ref}/no-show", NULL, AP_WHO_MANAGE, 403},
	{"POST", "/api/v1/bookings/{ref}/no-show", NULL, AP_WHO_OTHER_MANAGE, 404},
	{"POST", "/api/v1/bookings/{ref}/no-show", NULL, AP_WHO_ALICE, 409},
};

static gchar *
ap_expand(const gchar *template, const gchar *const *pairs)
{
	g_autoptr(GString) s = g_string_new(template);

	for (guint i = 0; pairs[i] != NULL; i += 2)
		g_string_replace(s, pairs[i], pairs[i + 1], 0);
	return g_string_free(g_steal_pointer(&s), FALSE);
}

static const gchar *
ap_who_token(ApApiFixture *fx, ApWho who, const gchar *manage, const gchar *other)
{
	switch (who) {
	case AP_WHO_WRONG:
		return "apt_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
	case AP_WHO_WRONG_MANAGE:
		return "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
	case AP_WHO_ADMIN:
		return fx->admin;
	case AP_WHO_STAFF:
		return fx->staff;
	case AP_WHO_ALICE:
		return fx->alice;
	case AP_WHO_BERT:
		return fx->bert;
	case AP_WHO_MANAGE:
		return manage;
	case AP_WHO_OTHER_MANAGE:
		return other;
	case AP_WHO_NONE:
	default:
		return NULL;
	}
}

static void
test_api_rights_matrix(ApApiFixture *fx, gconstpointer data)
{
	g_autoptr(ApTestResponse) other = ap_api_book_ok(fx, fx->expert_b, 1, 9, 0);
	g_autoptr(ApTestResponse) mine = ap_api_book_ok(fx, fx->expert_a, 1, 9, 0);
	g_autofree gchar *a = g_strdup_printf("%" G_GINT64_FORMAT, fx->expert_a);
	g_autofree gchar *b = g_strdup_printf("%" G_GINT64_FORMAT, fx->expert_b);
	g_autofree gchar *date = ap_api_date(fx, 2);

	for (guint i = 0; i < G_N_ELEMENTS(ap_rights_cases); i++) {
		const ApRightsCase *c = &ap_rights_cases[i];
		g_autoptr(ApTestResponse) fresh = NULL;
		g_autoptr(ApTestResponse) r = NULL;
		g_autoptr(ApTestResponse) after = NULL;
		g_autofree gchar *start = ap_api_at(fx, 20 + (gint)i / 8, 9 + (gint)i % 8, 0);
		g_autofree gchar *id = g_strdup_printf("service-%u", i);
		const gchar *reference = ap_test_json_str(mine, "reference");
		const gchar *manage = ap_test_json_str(mine, "token");
		const gchar *pairs[] = {"{a}",
					a,
					"{b}",
					b,
					"{date}",
					date,
					"{start}",
					start,
					"{id}",
					id,
					"{ref}",
					NULL,
					NULL};
		g_autofree gchar *path = NULL;
		g_autofree gchar *body = NULL;

		/* each row that acts on a booking gets one of its own */
		if (strstr(c->path, "{ref}") != NULL) {
			fresh = ap_api_book_ok(
				fx, fx->expert_a, 5 + (gint)i / 8, 9 + (gint)i % 8, 0);
			reference = ap_test_json_str(fresh, "reference");
			manage = ap_test_json_str(fresh, "token");
		}
		pairs[11] = reference;
		path = ap_expand(c->path, pairs);
		body = c->body != NULL ? ap_expand(c->body, pairs) : NULL;
		g_test_message(
			"%u: %s %s as %s: %u", i, c->method, path, ap_who_names[c->who], c->status);
		r = ap_test_http_send(
			fx->d,
			c->method,
			ap_who_token(fx, c->who, manage, ap_test_json_str(other, "token")),
			path,
			body);
		if (c->status >= 400)
			ap_test_assert_problem(r, c->status, NULL);
		else
			ap_test_assert_status(r, c->status);
		if (c->status == 401)
			g_assert_nonnull(
				soup_message_headers_get_one(r->headers, "WWW-Authenticate"));
		if (fresh == NULL || c->status < 400)
			continue;
		/* a refusal changed nothing */
		{
			g_autofree gchar *read = g_strconcat("/api/v1/bookings/", reference, NULL);
			after = ap_test_http_get(fx->d, fx->admin, read);
		}
		ap_test_assert_status(after, 200);
		g_assert_cmpstr(ap_test_json_str(after, "status"), ==, "confirmed");
		g_assert_cmpstr(
			ap_test_json_str(after, "start"), ==, ap_test_json_str(fresh, "start"));
		g_assert_cmpint(ap_test_json_int(after, "sequence"), ==, 0);
	}
}

/* another booking's, or a missing one's: the same 404, word for word */
static void
test_api_rights_no_leak(ApApiFixture *fx, gconstpointer data)
{
	g_autoptr(ApTestResponse) mine = ap_api_book_ok(fx, fx->expert_a, 0, 10, 0);
	g_autoptr(ApTestResponse) theirs = ap_api_book_ok(fx, fx->expert_b, 0, 10, 0);
	g_autofree gchar *other =
		g_strconcat("/api/v1/bookings/", ap_test_json_str(theirs, "reference"), NULL);
	const gchar *missing = "/api/v1/bookings/ZZZZ2345";
	const gchar *suffixes[] = {"", "/history", "/cancel", "/reschedule"};
	const gchar *tokens[] = {ap_test_json_str(mine, "token"), fx->alice};

	for (guint t = 0; t < G_N_ELEMENTS(tokens); t++) {
		for (guint i = 0; i < G_N_ELEMENTS(suffixes); i++) {
			const gchar *method = i < 2 ? "GET" : "POST";
			const gchar *body = i == 3 ? "{\"start\": \"2030-01-07T10:00:00Z\"}" : NULL;
			g_autofree gchar *p1 = g_strconcat(other, suffixes[i], NULL);
			g_autofree gchar *p2 = g_strconcat(missing, suffixes[i], NULL);
			g_autoptr(ApTestResponse) r1 =
				ap_test_http_send(fx->d, method, tokens[t], p1, body);
			g_autoptr(ApTestResponse) r2 =
				ap_test_http_send(fx->d, method, tokens[t], p2, body);

			g_test_message("%s %s", method, p1);
			ap_test_assert_problem(r1, 404, NULL);
			ap_test_assert_problem(r2, 404, NULL);
			g_assert_cmpstr(
				ap_test_json_str(r1, "title"), ==, ap_test_json_str(r2, "title"));
			g_assert_cmpstr(
				ap_test_json_str(r1, "detail"), ==, ap_test_json_str(r2, "detail"));
		}
	}
}

/* what a 401 looks like, whatever is wrong with the header */
static void
test_api_rights_bad_headers(ApApiFixture *fx, gconstpointer data)
{
	g_autofree gchar *long_token = g_strnfill(300, 'a');
	g_autofree gchar *bearer_long = g_strconcat("Bearer ", long_token, NULL);
	g_autofree gchar *revoked = g_strconcat("Bearer ", fx->admin, "x", NULL);
	const gchar *values[] = {
		"Basic YWRtaW46c2VjcmV0",
		"Bearer",
		"Bearer ",
		"Token abc",
		bearer_long,
		revoked,
		"Bearer apt_",
	};

	for (guint i = 0; i < G_N_ELEMENTS(values); i++) {
		const gchar *headers[] = {"Authorization", values[i], NULL};
		ApTestRequest req = {
			.method = "GET", .path = "/api/v1/bookings", .len = -1, .headers = headers};
		g_autoptr(ApTestResponse) r = ap_test_http_request(fx->d, NULL, &req);

		g_test_message("Authorization: %.40s", values[i]);
		ap_test_assert_problem(r, 401, NULL);
		g_assert_nonnull(soup_message_headers_get_one(r->headers, "WWW-Authenticate"));
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
#define AP_ADD(path, func)                                                                         \
	g_test_add(path, ApApiFixture, NULL, ap_api_fixture_set_up, func, ap_api_fixture_tear_down)
	AP_ADD("/api/rights/matrix", test_api_rights_matrix);
	AP_ADD("/api/rights/no-leak", test_api_rights_no_leak);
	AP_ADD("/api/rights/bad-headers", test_api_rights_bad_headers);
#undef AP_ADD
	return g_test_run();
}
