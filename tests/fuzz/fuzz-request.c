/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "ap-booking.h"
#include "ap-error.h"
#include "ap-json.h"
#include "ap-service.h"
#include "ap-time.h"
#include "ap-validate.h"
#include "ap-web-request.h"
#include "fuzz.h"

/*
 * A request body, taken as ap_web_request_body_object() takes it (UTF-8,
 * no NUL, ap_web_json_check() with the server's depth limit, json-glib),
 * then read as ap-web-bookings.c reads a booking (the ap_json_* getters,
 * RFC 3339, the ap_validate_* checks of the engine, the answers against a
 * service asking every type of question) and as the admin API reads a
 * service (ap_service_from_json()).
 *
 *  - what passes the depth check is no deeper once parsed: the check is
 *    what keeps json-glib's recursion bounded;
 *  - every error is an AP_ERROR naming its field first;
 *  - what a validator accepts has no control character (nothing that
 *    could break a header, a log line or an iCalendar line) and is no
 *    longer than its limit;
 *  - a service that parses validates, and its JSON reads back the same.
 */

static ApService *fuzz_service = NULL;

static ApService *
fuzz_request_service(void)
{
	ApService *service;
	ApQuestion *q;

	if (fuzz_service != NULL)
		return fuzz_service;
	service = ap_service_new("personal-styling");
	g_ptr_array_add(
		service->questions,
		ap_question_new("occasion", "What is the occasion?", AP_QUESTION_TEXT, TRUE));
	g_ptr_array_add(service->questions,
			ap_question_new("notes", "Anything else?", AP_QUESTION_LONG_TEXT, FALSE));
	q = ap_question_new("size", "Your size", AP_QUESTION_CHOICE, FALSE);
	q->choices = g_strsplit("S,M,L,XL", ",", -1);
	g_ptr_array_add(service->questions, q);
	g_ptr_array_add(service->questions,
			ap_question_new("date", "When is it?", AP_QUESTION_DATE, FALSE));
	g_ptr_array_add(service->questions,
			ap_question_new("budget", "Your budget", AP_QUESTION_NUMBER, FALSE));
	g_ptr_array_add(service->questions,
			ap_question_new("first", "First visit?", AP_QUESTION_BOOLEAN, FALSE));
	fuzz_service = service;
	return service;
}

static guint
fuzz_request_depth(JsonNode *node)
{
	guint deepest = 0;

	if (JSON_NODE_HOLDS_OBJECT(node)) {
		JsonObjectIter iter;
		JsonNode *child;

		json_object_iter_init(&iter, json_node_get_object(node));
		while (json_object_iter_next(&iter, NULL, &child))
			deepest = MAX(deepest, fuzz_request_depth(child));
		return deepest + 1;
	}
	if (JSON_NODE_HOLDS_ARRAY(node)) {
		JsonArray *array = json_node_get_array(node);
		for (guint i = 0; i < json_array_get_length(array); i++)
			deepest =
				MAX(deepest, fuzz_request_depth(json_array_get_element(array, i)));
		return deepest + 1;
	}
	return 0;
}

/* an error from a check of @field: ours, and saying which field */
static void
fuzz_request_check_error(const GError *error, const gchar *field)
{
	g_assert_nonnull(error);
	g_assert_true(error->domain == AP_ERROR);
	g_assert_true(g_str_has_prefix(error->message, field));
}

/* what ap_validate_line() (or _text(), @multiline) promises of @value */
static void
fuzz_request_check_clean(const gchar *value, guint max_chars, gboolean multiline)
{
	glong n = 0;

	if (value == NULL)
		return;
	g_assert_true(g_utf8_validate(value, -1, NULL));
	for (const gchar *p = value; *p != '\0'; p = g_utf8_next_char(p), n++) {
		gunichar c = g_utf8_get_char(p);
		if (multiline && (c == '\n' || c == '\t'))
			continue;
		g_assert_true(c >= 0x20 && c != 0x7f && !(c >= 0x80 && c < 0xa0));
		g_assert_true(c != 0x2028 && c != 0x2029 && c != 0xfeff);
	}
	g_assert_cmpint(n, <=, (glong)max_chars);
}

/* every validator on @value, with what each promises */
static void
fuzz_request_validate(const gchar *value)
{
	g_autoptr(GError) error = NULL;

	if (ap_validate_line(value, "line", 200, TRUE, &error))
		fuzz_request_check_clean(value, 200, FALSE);
	else
		fuzz_request_check_error(error, "line");
	g_clear_error(&error);
	if (ap_validate_text(value, "text", AP_ANSWER_MAX_CHARS, FALSE, &error))
		fuzz_request_check_clean(value, AP_ANSWER_MAX_CHARS, TRUE);
	else
		fuzz_request_check_error(error, "text");
	g_clear_error(&error);
	if (ap_validate_name(value, "name", &error)) {
		g_autofree gchar *stripped = g_strstrip(g_strdup(value));
		fuzz_request_check_clean(value, AP_NAME_MAX_CHARS, FALSE);
		g_assert_cmpstr(stripped, !=, "");
	} else {
		fuzz_request_check_error(error, "name");
	}
	g_clear_error(&error);
	if (ap_validate_email(value, "email", &error)) {
		const gchar *at = strrchr(value, '@');
		fuzz_request_check_clean(value, AP_EMAIL_MAX_CHARS, FALSE);
		g_assert_nonnull(at);
		g_assert_true(at > value && strchr(at, '.') != NULL);
		/* nothing a header, a mailto: or an SMTP command would split at */
		g_assert_null(strpbrk(value, " <>\"(),;:[]\\"));
	} else {
		fuzz_request_check_error(error, "email");
	}
	g_clear_error(&error);
	if (ap_validate_phone(value, "phone", &error)) {
		g_autofree gchar *digits = ap_phone_digits(value);
		gsize n = strlen(digits);
		const gchar *significant = ap_phone_significant(digits);

		fuzz_request_check_clean(value, AP_PHONE_MAX_CHARS, FALSE);
		g_assert_true(*value == '\0' || (n >= 5 && n <= 20));
		for (gsize i = 0; i < n; i++)
			g_assert_true(g_ascii_isdigit(digits[i]));
		g_assert_true(significant >= digits && significant <= digits + n);
	} else {
		fuzz_request_check_error(error, "phone");
	}
	g_clear_error(&error);
	if (ap_validate_locale(value, "locale", &error)) {
		gsize n = strlen(value);
		g_assert_true(n == 0 || n == 2 || n == 3 || n == 5 || n == 6);
		for (gsize i = 0; i < n; i++)
			g_assert_true(g_ascii_isalpha(value[i]) || value[i] == '-');
	} else {
		fuzz_request_check_error(error, "locale");
	}
}

/* POST /api/v1/bookings, as ap_web_bookings_parse_create() and the
 * engine's checks of the customer read it */
static void
fuzz_request_booking(JsonObject *body)
{
	const gchar *allowed[] = {
		"service", "start", "expert", "customer", "answers", "channel", NULL};
	const gchar *customer_allowed[] = {"name", "email", "phone", "locale", "timezone", NULL};
	const gchar *customer_fields[] = {"name", "email", "phone", "locale", "timezone"};
	const gchar *service_id = NULL, *start = NULL, *channel = NULL;
	gint64 expert = 0, instant = 0;
	JsonObject *customer, *answers;
	g_autoptr(GError) error = NULL;

	if (!ap_json_check_members(body, allowed, &error)) {
		fuzz_request_check_error(error, "");
		return;
	}
	if (!ap_json_get_string(body, "service", TRUE, &service_id, &error)) {
		fuzz_request_check_error(error, "service: ");
		g_clear_error(&error);
	} else {
		g_assert_nonnull(service_id);
		(void)ap_service_id_is_valid(service_id);
	}
	if (!ap_json_get_string(body, "start", TRUE, &start, &error)) {
		fuzz_request_check_error(error, "start: ");
		g_clear_error(&error);
	} else if (ap_time_parse_rfc3339(start, &instant, NULL)) {
		g_assert_cmpint(instant, >=, AP_INSTANT_MIN);
		g_assert_cmpint(instant, <=, AP_INSTANT_MAX);
	}
	if (!ap_json_get_int64(body, "expert", FALSE, &expert, &error)) {
		fuzz_request_check_error(error, "expert: ");
		g_clear_error(&error);
	}
	if (!ap_json_get_string(body, "channel", FALSE, &channel, &error)) {
		fuzz_request_check_error(error, "channel: ");
		g_clear_error(&error);
	} else if (channel != NULL) {
		ApBookingChannel c;
		if (ap_booking_channel_from_string(channel, &c))
			g_assert_cmpstr(ap_booking_channel_to_string(c), ==, channel);
	}

	customer = ap_json_get_object(body, "customer", TRUE, &error);
	if (customer == NULL) {
		fuzz_request_check_error(error, "customer: ");
		g_clear_error(&error);
	} else if (!ap_json_check_members(customer, customer_allowed, &error)) {
		fuzz_request_check_error(error, "");
		g_clear_error(&error);
	} else {
		for (guint i = 0; i < G_N_ELEMENTS(customer_fields); i++) {
			const gchar *value = NULL;
			if (!ap_json_get_string(
				    customer, customer_fields[i], i < 2, &value, &error)) {
				fuzz_request_check_error(error, customer_fields[i]);
				g_clear_error(&error);
				continue;
			}
			if (value == NULL)
				continue;
			fuzz_request_validate(value);
			if (i == 4 && ap_time_zone_is_valid(value))
				fuzz_request_check_clean(value, 64, FALSE);
		}
	}

	answers = ap_json_get_object(body, "answers", FALSE, &error);
	if (error != NULL) {
		fuzz_request_check_error(error, "answers: ");
		g_clear_error(&error);
	}
	if (ap_service_check_answers(fuzz_request_service(), answers, &error)) {
		const ApService *service = fuzz_request_service();
		/* what is accepted is what the emails print (ap-mail-compose.c) */
		for (guint i = 0; answers != NULL && i < service->questions->len; i++) {
			const ApQuestion *q = g_ptr_array_index(service->questions, i);
			JsonNode *node = json_object_get_member(answers, q->id);
			if (node == NULL || json_node_get_value_type(node) != G_TYPE_STRING)
				continue;
			fuzz_request_check_clean(json_node_get_string(node),
						 AP_ANSWER_MAX_CHARS,
						 q->type == AP_QUESTION_LONG_TEXT);
		}
		/* the store keeps them as JSON text (ap_json_to_string) and
		 * reads them back with ap_json_from_string() */
		if (answers != NULL) {
			g_autoptr(JsonNode) node =
				json_node_init_object(json_node_alloc(), answers);
			g_autofree gchar *stored = ap_json_to_string(node);
			g_autoptr(JsonNode) back = ap_json_from_string(stored, NULL);
			g_assert_nonnull(back);
		}
		if (answers != NULL) {
			JsonObjectIter iter;
			const gchar *name;
			json_object_iter_init(&iter, answers);
			while (json_object_iter_next(&iter, &name, NULL))
				g_assert_nonnull(ap_service_get_question(service, name));
		}
	} else {
		fuzz_request_check_error(error, "answers.");
	}
}

/* whether json-glib can read every number of @node as it writes it:
 * not 1e999 (`inf`) nor 1e95 (`1e+95.0`), in json-glib 1.6 */
static gboolean
fuzz_request_finite(JsonNode *node)
{
	if (JSON_NODE_HOLDS_OBJECT(node)) {
		JsonObjectIter iter;
		JsonNode *child;

		json_object_iter_init(&iter, json_node_get_object(node));
		while (json_object_iter_next(&iter, NULL, &child)) {
			if (!fuzz_request_finite(child))
				return FALSE;
		}
		return TRUE;
	}
	if (JSON_NODE_HOLDS_ARRAY(node)) {
		JsonArray *array = json_node_get_array(node);
		for (guint i = 0; i < json_array_get_length(array); i++) {
			if (!fuzz_request_finite(json_array_get_element(array, i)))
				return FALSE;
		}
		return TRUE;
	}
	if (JSON_NODE_HOLDS_VALUE(node) && json_node_get_value_type(node) == G_TYPE_DOUBLE) {
		g_autofree gchar *written = json_to_string(node, FALSE);
		g_autoptr(JsonNode) back = json_from_string(written, NULL);
		return back != NULL;
	}
	return TRUE;
}

/* POST /api/v1/services: a service that parses is valid, and reads back
 * from its own JSON the same */
static void
fuzz_request_service_body(JsonObject *body)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ApService) service = ap_service_from_json(body, &error);
	g_autoptr(ApService) again = NULL;
	g_autoptr(JsonNode) node = NULL;
	g_autoptr(JsonNode) node_again = NULL;
	g_autofree gchar *text = NULL;
	g_autofree gchar *text_again = NULL;

	if (service == NULL) {
		g_assert_nonnull(error);
		g_assert_true(error->domain == AP_ERROR);
		return;
	}
	g_assert_true(ap_service_validate(service, NULL));
	node = ap_service_to_json(service);
	/* the API's one member that is not input */
	json_object_remove_member(json_node_get_object(node), "buffer_minutes");
	again = ap_service_from_json(json_node_get_object(node), &error);
	g_assert_no_error(error);
	g_assert_nonnull(again);
	node_again = ap_service_to_json(again);
	json_object_remove_member(json_node_get_object(node_again), "buffer_minutes");
	text = ap_json_to_string(node);
	text_again = ap_json_to_string(node_again);
	g_assert_cmpstr(text, ==, text_again);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const gchar *text = (const gchar *)data;
	const gchar *problem = NULL;
	g_autoptr(JsonParser) parser = NULL;
	g_autoptr(GError) error = NULL;
	JsonNode *root;
	gboolean shallow;

	fuzz_init();
	if (size > AP_WEB_MAX_BODY_BYTES)
		return 0;
	/* on any bytes: it must stay inside them */
	shallow = ap_web_json_check(text, size, AP_WEB_MAX_JSON_DEPTH, &problem);
	g_assert_true(shallow || problem != NULL);
	/* the order of ap_web_request_body_object() */
	if (size == 0 || !g_utf8_validate_len(text, size, NULL) || memchr(text, '\0', size) != NULL)
		return 0;
	if (!shallow)
		return 0;
	parser = json_parser_new_immutable();
	if (!json_parser_load_from_data(parser, text, (gssize)size, &error))
		return 0;
	root = json_parser_get_root(parser);
	if (root == NULL)
		return 0;
	g_assert_cmpuint(fuzz_request_depth(root), <=, AP_WEB_MAX_JSON_DEPTH);
	if (!JSON_NODE_HOLDS_OBJECT(root))
		return 0;
	fuzz_request_booking(json_node_get_object(root));
	fuzz_request_service_body(json_node_get_object(root));
	/* what a handler stores and echoes (ap_json_to_string) reads back;
	 * json-glib writes a number too large for a double (1e999) as `inf`,
	 * which it cannot read, and takes a lone surrogate (\ud800) into a
	 * string that is not UTF-8, which it writes as it is: only answers
	 * are stored, finite and validated (checked above) */
	if (fuzz_request_finite(root)) {
		g_autofree gchar *compact = ap_json_to_string(root);
		g_autoptr(JsonNode) reread = NULL;
		g_autofree gchar *compact_again = NULL;

		if (!g_utf8_validate(compact, -1, NULL))
			return 0;
		reread = ap_json_from_string(compact, &error);
		g_assert_no_error(error);
		g_assert_nonnull(reread);
		compact_again = ap_json_to_string(reread);
		g_assert_cmpstr(compact, ==, compact_again);
	}
	return 0;
}
