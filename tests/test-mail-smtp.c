/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <signal.h>
#include <string.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "ap-test-http.h"

/*
 * The emails a booking's life sends, through the real appointd and a real
 * SMTP server on loopback (tests/smtp-server.py, aiosmtpd), read as a
 * mail client and a calendar would read them (Python's email package and
 * python3-icalendar): the right people, REQUEST then REQUEST with a
 * higher SEQUENCE then CANCEL, one UID; a relay that is down, then back;
 * a recipient refused for good.
 */

typedef struct {
	ApApiFixture api;
	gchar *dir;
	GSubprocess *smtp;
	guint16 port;
} ApMailFixture;

/* a test that fails aborts without tearing down: take the relay along */
static void
ap_smtp_child_setup(gpointer user_data)
{
#ifdef __linux__
	prctl(PR_SET_PDEATHSIG, SIGTERM);
#endif
}

static void
ap_smtp_start(ApMailFixture *fx)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *script = g_test_build_filename(G_TEST_DIST, "smtp-server.py", NULL);
	g_autofree gchar *port = g_strdup_printf("%u", fx->port);
	g_autoptr(GDataInputStream) out = NULL;
	g_autofree gchar *line = NULL;

	g_autoptr(GSubprocessLauncher) launcher =
		g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_STDOUT_PIPE);
	g_autofree gchar *log = g_strconcat(fx->dir, ".log", NULL);

	g_assert_null(fx->smtp);
	g_subprocess_launcher_set_stderr_file_path(launcher, log);
	g_subprocess_launcher_set_child_setup(launcher, ap_smtp_child_setup, NULL, NULL);
	fx->smtp = g_subprocess_launcher_spawn(
		launcher, &error, "/usr/bin/python3", script, fx->dir, port, NULL);
	g_assert_no_error(error);
	out = g_data_input_stream_new(g_subprocess_get_stdout_pipe(fx->smtp));
	line = g_data_input_stream_read_line(out, NULL, NULL, &error);
	g_assert_no_error(error);
	g_assert_nonnull(line);
	fx->port = (guint16)g_ascii_strtoull(line, NULL, 10);
	g_assert_cmpuint(fx->port, >, 0);
}

static void
ap_smtp_stop(ApMailFixture *fx)
{
	if (fx->smtp == NULL)
		return;
	g_subprocess_send_signal(fx->smtp, SIGTERM);
	g_subprocess_wait(fx->smtp, NULL, NULL);
	g_clear_object(&fx->smtp);
}

/* the daemon, restarted to send to our relay */
static void
ap_use_relay(ApMailFixture *fx)
{
	g_autofree gchar *text = NULL;
	g_autoptr(GString) config = NULL;
	g_autoptr(GError) error = NULL;
	const gchar *at;

	g_assert_cmpint(ap_test_daemon_stop(fx->api.d), ==, 0);
	g_assert_true(g_file_get_contents(fx->api.d->config, &text, NULL, &error));
	at = strstr(text, "transport = maildir:");
	g_assert_nonnull(at);
	config = g_string_new_len(text, at - text);
	g_string_append_printf(config, "transport = smtp://127.0.0.1:%u\n", fx->port);
	g_string_append(config, strchr(at, '\n') + 1);
	g_assert_true(g_file_set_contents(fx->api.d->config, config->str, -1, &error));
	g_clear_pointer(&fx->api.d->url, g_free);
	ap_test_daemon_start(fx->api.d);
}

static void
ap_mail_set_up(ApMailFixture *fx, gconstpointer data)
{
	ap_api_fixture_set_up(&fx->api, data);
	fx->dir = g_build_filename(fx->api.d->dir, "relay", NULL);
	ap_smtp_start(fx);
	ap_use_relay(fx);
}

static void
ap_mail_tear_down(ApMailFixture *fx, gconstpointer data)
{
	ap_api_fixture_tear_down(&fx->api, data);
	ap_smtp_stop(fx);
	g_free(fx->dir);
}

/* the first @n messages the relay received, waiting up to @seconds */
static GPtrArray *
ap_smtp_wait(ApMailFixture *fx, guint n, guint seconds)
{
	g_autoptr(GPtrArray) got = g_ptr_array_new_with_free_func((GDestroyNotify)json_node_unref);
	gint64 deadline = g_get_monotonic_time() + seconds * G_USEC_PER_SEC;

	while (got->len < n) {
		g_autofree gchar *path = g_strdup_printf("%s/%u.json", fx->dir, got->len + 1);
		g_autofree gchar *text = NULL;

		if (g_file_get_contents(path, &text, NULL, NULL)) {
			g_autoptr(JsonParser) parser = json_parser_new();
			g_assert_true(json_parser_load_from_data(parser, text, -1, NULL));
			g_ptr_array_add(got, json_node_ref(json_parser_get_root(parser)));
			continue;
		}
		if (g_get_monotonic_time() > deadline) {
			g_test_message("only %u of %u messages arrived", got->len, n);
			g_assert_cmpuint(got->len, ==, n);
		}
		g_usleep(50 * 1000);
	}
	return g_steal_pointer(&got);
}

static const gchar *
ap_str(JsonNode *node, const gchar *member)
{
	return json_object_get_string_member(json_node_get_object(node), member);
}

static gint64
ap_int(JsonNode *node, const gchar *member)
{
	return json_object_get_int_member(json_node_get_object(node), member);
}

/* the one message of @got addressed to @email, with @method */
static JsonNode *
ap_find(GPtrArray *got, guint from, const gchar *email, const gchar *method)
{
	JsonNode *found = NULL;

	for (guint i = from; i < got->len; i++) {
		JsonNode *m = g_ptr_array_index(got, i);
		JsonArray *rcpt = json_object_get_array_member(json_node_get_object(m), "rcpt_tos");
		if (g_strcmp0(json_array_get_string_element(rcpt, 0), email) == 0 &&
		    g_strcmp0(ap_str(m, "method"), method) == 0) {
			g_assert_null(found);
			found = m;
		}
	}
	g_assert_nonnull(found);
	return found;
}

/* what every message must be, whatever it says */
static void
ap_assert_imip(JsonNode *m, const gchar *method)
{
	JsonArray *parts = json_object_get_array_member(json_node_get_object(m), "parts");

	g_assert_cmpstr(ap_str(m, "content_type"), ==, "multipart/mixed");
	g_assert_cmpstr(json_array_get_string_element(parts, 1), ==, "multipart/alternative");
	g_assert_cmpstr(json_array_get_string_element(parts, 2), ==, "text/plain");
	g_assert_cmpstr(json_array_get_string_element(parts, 3), ==, "text/html");
	g_assert_cmpstr(json_array_get_string_element(parts, 4), ==, "text/calendar");
	g_assert_cmpstr(json_array_get_string_element(parts, 5), ==, "application/ics");
	g_assert_cmpstr(ap_str(m, "attachment_name"), ==, "invite.ics");
	g_assert_cmpstr(ap_str(m, "part_method"), ==, method);
	g_assert_cmpstr(ap_str(m, "method"), ==, method);
	g_assert_cmpstr(ap_str(m, "part_charset"), ==, "utf-8");
	g_assert_true(
		json_object_get_boolean_member(json_node_get_object(m), "calendar_crlf_only"));
	g_assert_cmpint(ap_int(m, "events"), ==, 1);
	g_assert_cmpstr(ap_str(m, "organizer"), ==, "mailto:appointments@example.com");
	g_assert_cmpstr(ap_str(m, "mail_from"), ==, "appointments@example.com");
	g_assert_cmpstr(ap_str(m, "status"),
			==,
			g_strcmp0(method, "CANCEL") == 0 ? "CANCELLED" : "CONFIRMED");
	g_assert_true(json_object_get_boolean_member(json_node_get_object(m), "valarm") ==
		      (g_strcmp0(method, "REQUEST") == 0));
	g_assert_true(g_str_has_prefix(ap_str(m, "message_id"), "<appoint-"));
}

static void
test_mail_life(ApMailFixture *fx, gconstpointer data)
{
	ApApiFixture *api = &fx->api;
	g_autofree gchar *ten = ap_api_at(api, 0, 10, 0);
	g_autoptr(ApTestResponse) made = ap_api_book(
		api, api->expert_a, ten, "Zoë Öztürk", "zoe@example.net", "07700 900002");
	g_autofree gchar *path = NULL;
	g_autofree gchar *reschedule = NULL;
	g_autofree gchar *cancel = NULL;
	g_autofree gchar *moved_to = ap_api_at(api, 0, 12, 0);
	g_autofree gchar *other_at = ap_api_at(api, 1, 11, 0);
	g_autoptr(ApTestResponse) moved = NULL;
	g_autoptr(ApTestResponse) switched = NULL;
	g_autoptr(ApTestResponse) cancelled = NULL;
	g_autoptr(GPtrArray) got = NULL;
	JsonNode *customer, *expert, *old_expert, *new_expert;
	g_autofree gchar *uid = NULL;

	ap_test_assert_status(made, 201);
	path = g_strconcat("/api/v1/bookings/", ap_test_json_str(made, "reference"), NULL);
	reschedule = g_strconcat(path, "/reschedule", NULL);
	cancel = g_strconcat(path, "/cancel", NULL);

	/* booked: a REQUEST each, SEQUENCE 0, the same UID */
	got = ap_smtp_wait(fx, 2, 20);
	customer = ap_find(got, 0, "zoe@example.net", "REQUEST");
	expert = ap_find(got, 0, "alice@example.com", "REQUEST");
	ap_assert_imip(customer, "REQUEST");
	ap_assert_imip(expert, "REQUEST");
	uid = g_strdup(ap_str(customer, "uid"));
	g_assert_true(g_str_has_suffix(uid, "@example.com"));
	g_assert_cmpstr(ap_str(expert, "uid"), ==, uid);
	g_assert_cmpint(ap_int(customer, "sequence"), ==, 0);
	g_assert_cmpint(ap_int(customer, "dtstart"),
			==,
			ap_test_instant_parse(ap_test_json_str(made, "start")));
	g_assert_cmpint(ap_int(customer, "dtend"),
			==,
			ap_test_instant_parse(ap_test_json_str(made, "end")));
	g_assert_cmpstr(ap_str(customer, "to"), ==, "Zoë Öztürk <zoe@example.net>");
	g_assert_cmpstr(ap_str(customer, "message_id"), !=, ap_str(expert, "message_id"));
	/* personal: the customer's answers and manage link; the expert's
	 * copy has the customer's contact details */
	g_assert_nonnull(strstr(ap_str(customer, "text"), "Hello Zoë Öztürk"));
	g_assert_nonnull(strstr(ap_str(customer, "text"), ap_test_json_str(made, "manage_url")));
	g_assert_nonnull(strstr(ap_str(customer, "text"), ap_test_json_str(made, "video_url")));
	g_assert_nonnull(strstr(ap_str(expert, "text"), "07700 900002"));
	g_assert_null(strstr(ap_str(expert, "text"), ap_test_json_str(made, "manage_url")));
	g_clear_pointer(&got, g_ptr_array_unref);

	/* moved, same expert: REQUEST, SEQUENCE 1, newer DTSTAMP */
	moved = ap_test_http_sendf(
		api->d, "POST", api->staff, reschedule, "{\"start\": \"%s\"}", moved_to);
	ap_test_assert_status(moved, 200);
	got = ap_smtp_wait(fx, 4, 20);
	customer = ap_find(got, 2, "zoe@example.net", "REQUEST");
	expert = ap_find(got, 2, "alice@example.com", "REQUEST");
	g_assert_cmpstr(ap_str(customer, "uid"), ==, uid);
	g_assert_cmpint(ap_int(customer, "sequence"), ==, 1);
	g_assert_cmpint(ap_int(expert, "sequence"), ==, 1);
	g_assert_cmpint(ap_int(customer, "dtstart"), ==, ap_test_instant_parse(moved_to));
	g_assert_cmpint(
		ap_int(customer, "dtstamp"), >=, ap_int(g_ptr_array_index(got, 0), "dtstamp"));
	g_clear_pointer(&got, g_ptr_array_unref);

	/* to Bert: Alice gets the CANCEL, Bert the REQUEST, SEQUENCE 2 */
	switched = ap_test_http_sendf(api->d,
				      "POST",
				      api->staff,
				      reschedule,
				      "{\"start\": \"%s\", \"expert\": %" G_GINT64_FORMAT "}",
				      other_at,
				      api->expert_b);
	ap_test_assert_status(switched, 200);
	got = ap_smtp_wait(fx, 7, 20);
	customer = ap_find(got, 4, "zoe@example.net", "REQUEST");
	old_expert = ap_find(got, 4, "alice@example.com", "CANCEL");
	new_expert = ap_find(got, 4, "bert@example.com", "REQUEST");
	ap_assert_imip(old_expert, "CANCEL");
	g_assert_cmpint(ap_int(customer, "sequence"), ==, 2);
	g_assert_cmpint(ap_int(old_expert, "sequence"), ==, 2);
	g_assert_cmpint(ap_int(new_expert, "sequence"), ==, 2);
	g_assert_cmpstr(ap_str(old_expert, "uid"), ==, uid);
	g_assert_cmpint(ap_int(old_expert, "dtstart"), ==, ap_test_instant_parse(moved_to));
	g_assert_cmpint(ap_int(new_expert, "dtstart"), ==, ap_test_instant_parse(other_at));
	g_clear_pointer(&got, g_ptr_array_unref);

	/* cancelled: CANCEL for both, SEQUENCE 3, with the reason */
	cancelled = ap_test_http_send(api->d,
				      "POST",
				      ap_test_json_str(made, "token"),
				      cancel,
				      "{\"reason\": \"I am unwell\"}");
	ap_test_assert_status(cancelled, 200);
	got = ap_smtp_wait(fx, 9, 20);
	customer = ap_find(got, 7, "zoe@example.net", "CANCEL");
	expert = ap_find(got, 7, "bert@example.com", "CANCEL");
	ap_assert_imip(customer, "CANCEL");
	g_assert_cmpint(ap_int(customer, "sequence"), ==, 3);
	g_assert_cmpint(ap_int(expert, "sequence"), ==, 3);
	g_assert_cmpstr(ap_str(customer, "uid"), ==, uid);
	g_assert_nonnull(strstr(ap_str(customer, "text"), "I am unwell"));
}

/* the relay is down when a customer books: the booking stands, the
 * emails wait, and go once the relay is back, without a restart */
static void
test_mail_relay_outage(ApMailFixture *fx, gconstpointer data)
{
	ApApiFixture *api = &fx->api;
	g_autoptr(ApTestResponse) made = NULL;
	g_autoptr(ApTestResponse) metrics = NULL;
	g_autoptr(GPtrArray) got = NULL;

	ap_smtp_stop(fx);
	made = ap_api_book_ok(api, api->expert_a, 0, 10, 0);
	g_usleep(1500 * 1000);
	metrics = ap_test_http_get(api->d, NULL, "/metrics");
	g_assert_nonnull(strstr(metrics->text, "\nappoint_outbox_pending 2\n"));
	{
		g_autofree gchar *first = g_build_filename(fx->dir, "1.json", NULL);
		g_assert_false(g_file_test(first, G_FILE_TEST_EXISTS));
	}
	/* back on the same port; the first retry comes within 15 s */
	ap_smtp_start(fx);
	got = ap_smtp_wait(fx, 2, 40);
	ap_find(got, 0, "alice@example.com", "REQUEST");
	ap_find(got, 0, "casey@example.com", "REQUEST");
	ap_test_assert_status(made, 201);
}

/* refused for good (550): set aside as dead, the others still go */
static void
test_mail_refused(ApMailFixture *fx, gconstpointer data)
{
	ApApiFixture *api = &fx->api;
	g_autofree gchar *start = ap_api_at(api, 0, 10, 0);
	g_autoptr(ApTestResponse) made =
		ap_api_book(api, api->expert_a, start, "Rae Jected", "reject@example.net", NULL);
	g_autoptr(GPtrArray) got = NULL;
	g_autoptr(ApTestResponse) metrics = NULL;
	gint64 deadline = g_get_monotonic_time() + 20 * G_USEC_PER_SEC;

	ap_test_assert_status(made, 201);
	got = ap_smtp_wait(fx, 1, 20);
	ap_find(got, 0, "alice@example.com", "REQUEST");
	for (;;) {
		g_clear_pointer(&metrics, ap_test_response_free);
		metrics = ap_test_http_get(api->d, NULL, "/metrics");
		if (strstr(metrics->text, "\nappoint_outbox_dead 1\n") != NULL)
			break;
		g_assert_cmpint(g_get_monotonic_time(), <, deadline);
		g_usleep(100 * 1000);
	}
	g_assert_nonnull(strstr(metrics->text, "\nappoint_outbox_pending 0\n"));

	/* staff see it, with the relay's words, and in the booking's list */
	{
		g_autofree gchar *emails = g_strconcat(
			"/api/v1/bookings/", ap_test_json_str(made, "reference"), "/emails", NULL);
		g_autoptr(ApTestResponse) dead =
			ap_test_http_get(api->d, api->staff, "/api/v1/outbox?status=dead");
		g_autoptr(ApTestResponse) listed = ap_test_http_get(api->d, api->staff, emails);
		g_autoptr(ApTestResponse) by_token =
			ap_test_http_get(api->d, ap_test_json_str(made, "token"), emails);
		g_autoptr(ApTestResponse) by_expert = NULL;
		g_autoptr(ApTestResponse) anonymous = NULL;
		g_autoptr(ApTestResponse) unknown = NULL;
		g_autoptr(ApTestResponse) not_dead = NULL;
		g_autoptr(ApTestResponse) retried = NULL;
		g_autofree gchar *retry = NULL;
		g_autofree gchar *sent_retry = NULL;
		gint64 sent_id = 0;

		ap_test_assert_status(dead, 200);
		g_assert_cmpuint(ap_test_json_len(dead, ""), ==, 1);
		g_assert_cmpstr(ap_test_json_str(dead, "0.recipient"), ==, "reject@example.net");
		g_assert_cmpstr(ap_test_json_str(dead, "0.status"), ==, "dead");
		g_assert_nonnull(strstr(ap_test_json_str(dead, "0.last_error"), "550"));
		ap_test_assert_status(listed, 200);
		for (guint i = 0; i < ap_test_json_len(listed, ""); i++) {
			g_autofree gchar *status = g_strdup_printf("%u.status", i);
			g_autofree gchar *to = g_strdup_printf("%u.to", i);
			g_autofree gchar *id = g_strdup_printf("%u.id", i);
			if (g_strcmp0(ap_test_json_str(listed, to), "expert") == 0 &&
			    g_strcmp0(ap_test_json_str(listed, status), "sent") == 0)
				sent_id = ap_test_json_int(listed, id);
		}
		g_assert_cmpint(sent_id, >, 0);
		ap_test_assert_problem(by_token, 403, NULL);

		retry = g_strdup_printf("/api/v1/outbox/%" G_GINT64_FORMAT "/retry",
					ap_test_json_int(dead, "0.id"));
		sent_retry = g_strdup_printf("/api/v1/outbox/%" G_GINT64_FORMAT "/retry", sent_id);
		anonymous = ap_test_http_send(api->d, "POST", NULL, retry, NULL);
		ap_test_assert_problem(anonymous, 401, NULL);
		by_expert = ap_test_http_send(api->d, "POST", api->alice, retry, NULL);
		ap_test_assert_problem(by_expert, 403, NULL);
		unknown = ap_test_http_send(
			api->d, "POST", api->staff, "/api/v1/outbox/999999/retry", NULL);
		ap_test_assert_problem(unknown, 404, NULL);
		not_dead = ap_test_http_send(api->d, "POST", api->staff, sent_retry, NULL);
		ap_test_assert_problem(not_dead, 409, NULL);
		/* retried: the relay still refuses, so it is dead again */
		retried = ap_test_http_send(api->d, "POST", api->staff, retry, NULL);
		ap_test_assert_status(retried, 200);
		g_assert_cmpstr(ap_test_json_str(retried, "status"), ==, "pending");
		deadline = g_get_monotonic_time() + 20 * G_USEC_PER_SEC;
		for (;;) {
			g_autoptr(ApTestResponse) again =
				ap_test_http_get(api->d, api->staff, "/api/v1/outbox?status=dead");
			if (ap_test_json_len(again, "") == 1 &&
			    ap_test_json_int(again, "0.attempts") == 2)
				break;
			g_assert_cmpint(g_get_monotonic_time(), <, deadline);
			g_usleep(100 * 1000);
		}
	}
}

/* after the session: the feedback request when it is marked completed,
 * the expert's summary, the customer's rating, the results */
static void
test_mail_after_session(ApMailFixture *fx, gconstpointer data)
{
	ApApiFixture *api = &fx->api;
	g_autoptr(ApTestResponse) made = ap_api_book_ok(api, api->expert_a, 0, 10, 0);
	g_autofree gchar *ref = g_strdup(ap_test_json_str(made, "reference"));
	g_autofree gchar *token = g_strdup(ap_test_json_str(made, "token"));
	g_autofree gchar *complete = g_strconcat("/api/v1/bookings/", ref, "/complete", NULL);
	g_autofree gchar *summary = g_strconcat("/api/v1/bookings/", ref, "/summary", NULL);
	g_autofree gchar *feedback = g_strconcat("/api/v1/bookings/", ref, "/feedback", NULL);
	g_autofree gchar *alice_report =
		g_strdup_printf("/api/v1/feedback?expert=%" G_GINT64_FORMAT, api->expert_a);
	const gchar *notes =
		"Navy suits you: try the wool blend in a 40 regular.\n\nBring the shoes next time.";
	g_autoptr(ApTestResponse) early = NULL;
	g_autoptr(ApTestResponse) done = NULL;
	g_autoptr(ApTestResponse) by_staff = NULL;
	g_autoptr(ApTestResponse) written = NULL;
	g_autoptr(ApTestResponse) bad = NULL;
	g_autoptr(ApTestResponse) by_expert = NULL;
	g_autoptr(ApTestResponse) rated = NULL;
	g_autoptr(ApTestResponse) again = NULL;
	g_autoptr(ApTestResponse) report = NULL;
	g_autoptr(ApTestResponse) own = NULL;
	g_autoptr(ApTestResponse) other = NULL;
	g_autoptr(ApTestResponse) nobody = NULL;
	g_autoptr(GPtrArray) got = NULL;
	JsonNode *request, *notes_mail;

	/* not yet: a summary follows a completed session */
	early = ap_test_http_sendf(api->d, "POST", api->alice, summary, "{\"summary\": \"Soon\"}");
	ap_test_assert_problem(early, 409, NULL);
	got = ap_smtp_wait(fx, 2, 20);
	g_clear_pointer(&got, g_ptr_array_unref);

	ap_api_backdate(api, ref, 2);
	done = ap_test_http_send(api->d, "POST", api->alice, complete, NULL);
	ap_test_assert_status(done, 200);
	got = ap_smtp_wait(fx, 3, 20);
	request = g_ptr_array_index(got, 2);
	g_assert_true(g_str_has_prefix(ap_str(request, "subject"), "How was your"));
	g_assert_cmpstr(ap_str(request, "content_type"), ==, "multipart/alternative");
	{
		g_autofree gchar *link = g_strconcat("/feedback/", token, NULL);
		g_assert_nonnull(strstr(ap_str(request, "text"), link));
	}
	g_clear_pointer(&got, g_ptr_array_unref);

	/* customer service cannot write it for the expert */
	by_staff = ap_test_http_sendf(api->d, "POST", api->staff, summary, "{\"summary\": \"x\"}");
	ap_test_assert_problem(by_staff, 403, NULL);
	written = ap_test_http_sendf(
		api->d, "POST", api->alice, summary, "{\"summary\": \"%s\"}", notes);
	ap_test_assert_status(written, 200);
	g_assert_nonnull(strstr(ap_test_json_str(written, "summary"), "wool blend"));
	got = ap_smtp_wait(fx, 4, 20);
	notes_mail = g_ptr_array_index(got, 3);
	g_assert_true(g_str_has_prefix(ap_str(notes_mail, "subject"),
				       "Your Personal styling session: notes from Alice Able"));
	g_assert_nonnull(strstr(ap_str(notes_mail, "text"), "try the wool blend in a 40 regular."));
	g_assert_nonnull(strstr(ap_str(notes_mail, "text"), "Bring the shoes next time."));

	/* the rating: the customer's alone, once, 0 to 10 */
	bad = ap_test_http_send(api->d, "POST", token, feedback, "{\"rating\": 11}");
	ap_test_assert_problem(bad, 422, "rating");
	by_expert = ap_test_http_send(api->d, "POST", api->alice, feedback, "{\"rating\": 10}");
	ap_test_assert_problem(by_expert, 403, NULL);
	rated = ap_test_http_send(
		api->d, "POST", token, feedback, "{\"rating\": 9, \"comment\": \"Very helpful\"}");
	ap_test_assert_status(rated, 201);
	again = ap_test_http_send(api->d, "POST", token, feedback, "{\"rating\": 3}");
	ap_test_assert_problem(again, 409, NULL);

	report = ap_test_http_get(api->d, api->staff, alice_report);
	ap_test_assert_status(report, 200);
	g_assert_cmpint(ap_test_json_int(report, "count"), ==, 1);
	g_assert_cmpint(ap_test_json_int(report, "histogram.9"), ==, 1);
	g_assert_cmpstr(ap_test_json_str(report, "latest.0.comment"), ==, "Very helpful");
	g_assert_cmpstr(ap_test_json_str(report, "latest.0.reference"), ==, ref);
	own = ap_test_http_get(api->d, api->bert, "/api/v1/feedback");
	ap_test_assert_status(own, 200);
	g_assert_cmpint(ap_test_json_int(own, "count"), ==, 0);
	other = ap_test_http_get(api->d, api->bert, alice_report);
	ap_test_assert_problem(other, 403, NULL);
	nobody = ap_test_http_get(api->d, NULL, "/api/v1/feedback");
	ap_test_assert_problem(nobody, 401, NULL);
}

/* crash safety: bookings made while appointd is killed with SIGKILL at
 * random moments; every one acknowledged with 201 is there after the
 * restarts, and its customer gets the confirmation (again, at worst,
 * with the same Message-ID) */
#define AP_CRASH_ROUNDS 5
#define AP_CRASH_SLOTS	(2 * 28 * 8)

typedef struct {
	ApApiFixture *api;
	gchar *url;
	gint next;   /* atomic: the next slot to try */
	gint stop;   /* atomic */
	GMutex lock; /* guards acked */
	GPtrArray *acked; /* "REFERENCE n" of every 201 */
} ApCrashLoad;

static gpointer
ap_crash_thread(gpointer user_data)
{
	ApCrashLoad *load = user_data;
	g_autoptr(SoupSession) session = soup_session_new_with_options("timeout", 10, NULL);

	while (!g_atomic_int_get(&load->stop)) {
		gint n = g_atomic_int_add(&load->next, 1);
		g_autofree gchar *start = NULL;
		g_autofree gchar *body = NULL;
		g_autofree gchar *uri = NULL;
		g_autoptr(SoupMessage) msg = NULL;
		g_autoptr(GBytes) bytes = NULL;
		g_autoptr(GBytes) answer = NULL;
		g_autoptr(JsonNode) json = NULL;

		if (n >= AP_CRASH_SLOTS)
			break;
		start = ap_api_at(load->api, n / 16, 9 + (n % 8), 0);
		body = g_strdup_printf("{\"service\": \"personal-styling\", \"start\": \"%s\", "
				       "\"expert\": %" G_GINT64_FORMAT ", \"customer\": {\"name\": "
				       "\"Crash %d\", \"email\": \"crash-%d@example.net\"}, "
				       "\"answers\": {\"occasion\": \"Work\"}}",
				       start,
				       (n / 8) % 2 == 0 ? load->api->expert_a : load->api->expert_b,
				       n,
				       n);
		uri = g_strconcat(load->url, "/api/v1/bookings", NULL);
		msg = soup_message_new("POST", uri);
		bytes = g_bytes_new(body, strlen(body));
		soup_message_set_request_body_from_bytes(msg, "application/json", bytes);
		answer = soup_session_send_and_read(session, msg, NULL, NULL);
		if (answer == NULL || soup_message_get_status(msg) != 201)
			continue;
		json = json_from_string(g_bytes_get_data(answer, NULL), NULL);
		if (json == NULL)
			continue;
		g_mutex_lock(&load->lock);
		g_ptr_array_add(load->acked,
				g_strdup_printf("%s %d",
						json_object_get_string_member(json_node_get_object(json), "reference"),
						n));
		g_mutex_unlock(&load->lock);
	}
	return NULL;
}

static void
test_mail_crash(ApMailFixture *fx, gconstpointer data)
{
	ApApiFixture *api = &fx->api;
	ApCrashLoad load = {.api = api};
	g_autoptr(GRand) rand = g_rand_new();
	g_autoptr(GPtrArray) got = NULL;
	g_autoptr(GHashTable) ids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	gint64 deadline;

	g_mutex_init(&load.lock);
	load.acked = g_ptr_array_new_with_free_func(g_free);
	for (guint round = 0; round < AP_CRASH_ROUNDS; round++) {
		GThread *thread;

		load.url = g_strdup(api->d->url);
		g_atomic_int_set(&load.stop, 0);
		thread = g_thread_new("crash-load", ap_crash_thread, &load);
		g_usleep((gulong)g_rand_int_range(rand, 20, 200) * 1000);
		/* no warning, no flush: the power goes */
		g_subprocess_send_signal(api->d->proc, SIGKILL);
		g_assert_cmpint(ap_test_daemon_wait(api->d), ==, -1);
		g_atomic_int_set(&load.stop, 1);
		g_thread_join(thread);
		g_clear_pointer(&load.url, g_free);
		ap_test_daemon_start(api->d);
	}
	g_test_message("%u bookings acknowledged across %d kills", load.acked->len, AP_CRASH_ROUNDS);
	g_assert_cmpuint(load.acked->len, >, 0);

	/* every acknowledged booking is there */
	for (guint i = 0; i < load.acked->len; i++) {
		g_auto(GStrv) parts = g_strsplit(g_ptr_array_index(load.acked, i), " ", 2);
		g_autofree gchar *path = g_strconcat("/api/v1/bookings/", parts[0], NULL);
		g_autoptr(ApTestResponse) r = ap_test_http_get(api->d, api->admin, path);
		ap_test_assert_status(r, 200);
		g_assert_cmpstr(ap_test_json_str(r, "status"), ==, "confirmed");
	}

	/* and every one's customer is told, each message under one id */
	deadline = g_get_monotonic_time() + 60 * G_USEC_PER_SEC;
	for (;;) {
		guint missing = 0;

		g_clear_pointer(&got, g_ptr_array_unref);
		got = ap_smtp_wait(fx, 0, 1);
		for (guint i = 1;; i++) {
			g_autofree gchar *file = g_strdup_printf("%s/%u.json", fx->dir, i);
			g_autofree gchar *text = NULL;
			g_autoptr(JsonParser) parser = json_parser_new();
			JsonObject *m;
			const gchar *rcpt, *id, *seen;

			if (!g_file_get_contents(file, &text, NULL, NULL))
				break;
			g_assert_true(json_parser_load_from_data(parser, text, -1, NULL));
			m = json_node_get_object(json_parser_get_root(parser));
			rcpt = json_array_get_string_element(json_object_get_array_member(m, "rcpt_tos"), 0);
			id = json_object_get_string_member(m, "message_id");
			/* the same message twice is the same message */
			seen = g_hash_table_lookup(ids, rcpt);
			if (seen != NULL && g_str_has_prefix(rcpt, "crash-") &&
			    g_strcmp0(json_object_get_string_member(m, "method"), "REQUEST") == 0)
				g_assert_cmpstr(seen, ==, id);
			if (g_strcmp0(json_object_get_string_member(m, "method"), "REQUEST") == 0)
				g_hash_table_replace(ids, g_strdup(rcpt), g_strdup(id));
		}
		for (guint i = 0; i < load.acked->len; i++) {
			g_auto(GStrv) parts = g_strsplit(g_ptr_array_index(load.acked, i), " ", 2);
			g_autofree gchar *email = g_strdup_printf("crash-%s@example.net", parts[1]);
			if (!g_hash_table_contains(ids, email))
				missing++;
		}
		if (missing == 0)
			break;
		if (g_get_monotonic_time() > deadline) {
			g_test_message("%u confirmations never arrived", missing);
			g_assert_cmpuint(missing, ==, 0);
		}
		g_usleep(200 * 1000);
	}
	g_ptr_array_unref(load.acked);
	g_mutex_clear(&load.lock);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
#define AP_ADD(path, func)                                                                         \
	g_test_add(path, ApMailFixture, NULL, ap_mail_set_up, func, ap_mail_tear_down)
	AP_ADD("/mail/smtp/life", test_mail_life);
	AP_ADD("/mail/smtp/relay-outage", test_mail_relay_outage);
	AP_ADD("/mail/smtp/refused", test_mail_refused);
	AP_ADD("/mail/smtp/after-session", test_mail_after_session);
	AP_ADD("/mail/smtp/crash", test_mail_crash);
#undef AP_ADD
	return g_test_run();
}
