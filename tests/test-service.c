/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "ap-error.h"
#include "ap-json.h"
#include "ap-service.h"

static void
test_service_catalogue(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) services = ap_service_catalogue_load_default(&error);
	const gchar *ids[] = {"personal-styling", "home-design", "nursery"};

	g_assert_no_error(error);
	g_assert_cmpuint(services->len, ==, 3);
	for (guint i = 0; i < services->len; i++) {
		ApService *s = g_ptr_array_index(services, i);
		g_assert_cmpstr(s->id, ==, ids[i]);
		g_assert_true(s->active);
		g_assert_cmpuint(s->capacity, ==, 1);
		g_assert_cmpuint(s->questions->len, >=, 3);
		g_assert_cmpuint(strlen(s->preparation), >, 20);
		g_assert_true(ap_service_validate(s, &error));
		g_assert_no_error(error);
	}
	g_assert_nonnull(ap_service_get_question(g_ptr_array_index(services, 0), "occasion"));
	g_assert_nonnull(ap_service_get_question(g_ptr_array_index(services, 1), "measurements"));
	g_assert_nonnull(ap_service_get_question(g_ptr_array_index(services, 2), "due_date"));
}

static void
test_service_json_round_trip(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) services = ap_service_catalogue_load_default(&error);
	ApService *s = g_ptr_array_index(services, 0);
	g_autoptr(JsonNode) node = ap_service_to_json(s);
	g_autoptr(ApService) copy = NULL;
	JsonObject *o = json_node_get_object(node);

	/* buffer_minutes is a derived, read-only view */
	json_object_remove_member(o, "buffer_minutes");
	copy = ap_service_from_json(o, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(copy->id, ==, s->id);
	g_assert_cmpuint(copy->duration_minutes, ==, s->duration_minutes);
	g_assert_cmpuint(copy->buffer_after_minutes, ==, s->buffer_after_minutes);
	g_assert_cmpuint(copy->questions->len, ==, s->questions->len);
	g_assert_cmpstrv(((ApQuestion *)g_ptr_array_index(copy->questions, 0))->choices,
			 ((ApQuestion *)g_ptr_array_index(s->questions, 0))->choices);
}

static void
test_service_invalid(void)
{
	const struct {
		const gchar *json;
		const gchar *field;
	} cases[] = {
		{"{\"id\":\"Bad Id\",\"name\":\"x\"}", "id"},
		{"{\"id\":\"x\"}", "name"},
		{"{\"id\":\"x\",\"name\":\"x\",\"duration_minutes\":0}", "duration_minutes"},
		{"{\"id\":\"x\",\"name\":\"x\",\"duration_minutes\":\"45\"}", "duration_minutes"},
		{"{\"id\":\"x\",\"name\":\"x\",\"duration_minutes\":-5}", "duration_minutes"},
		{"{\"id\":\"x\",\"name\":\"x\",\"step_minutes\":7}", "step_minutes"},
		{"{\"id\":\"x\",\"name\":\"x\",\"capacity\":0}", "capacity"},
		{"{\"id\":\"x\",\"name\":\"x\",\"horizon_days\":100000}", "horizon_days"},
		{"{\"id\":\"x\",\"name\":\"x\",\"colour\":\"red\"}", "colour"},
		{"{\"id\":\"x\",\"name\":\"a\\u0007b\"}", "name"},
		{"{\"id\":\"x\",\"name\":\"x\",\"questions\":{}}", "questions"},
		{"{\"id\":\"x\",\"name\":\"x\",\"questions\":[{\"id\":\"q\",\"label\":\"Q\","
		 "\"type\":\"colour\"}]}",
		 "type"},
		{"{\"id\":\"x\",\"name\":\"x\",\"questions\":[{\"id\":\"q\",\"label\":\"Q\","
		 "\"type\":\"choice\"}]}",
		 "choice"},
		{"{\"id\":\"x\",\"name\":\"x\",\"questions\":[{\"id\":\"q\",\"label\":\"Q\"},{"
		 "\"id\":\"q\",\"label\":\"R\"}]}",
		 "unique"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(JsonNode) node = ap_json_from_string(cases[i].json, &error);
		g_autoptr(ApService) s = NULL;

		g_assert_no_error(error);
		s = ap_service_from_json(json_node_get_object(node), &error);
		g_test_message(
			"case %u: %s -> %s", i, cases[i].json, error != NULL ? error->message : "");
		g_assert_null(s);
		g_assert_error(error, AP_ERROR, AP_ERROR_INVALID);
		g_assert_nonnull(strstr(error->message, cases[i].field));
	}
}

static void
test_service_answers(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) services = ap_service_catalogue_load_default(&error);
	ApService *nursery = g_ptr_array_index(services, 2);
	g_autofree gchar *long_text = g_strnfill(2001, 'a');
	g_autofree gchar *long_json =
		g_strdup_printf("{\"needs\":\"Car seats\",\"notes\":\"%s\"}", long_text);
	const struct {
		const gchar *json;
		gboolean ok;
		const gchar *field;
	} cases[] = {
		{"{\"needs\":\"Car seats\"}", TRUE, NULL},
		{"{\"needs\":\"Car seats\",\"due_date\":\"2027-03-01\",\"first_baby\":true,"
		 "\"notes\":\"two lines\\nof text\"}",
		 TRUE,
		 NULL},
		{"{}", FALSE, "answers.needs"},
		{"{\"needs\":null}", FALSE, "answers.needs"},
		{"{\"needs\":\"A pony\"}", FALSE, "answers.needs"},
		{"{\"needs\":\"Car seats\",\"due_date\":\"2027-02-30\"}",
		 FALSE,
		 "answers.due_date"},
		{"{\"needs\":\"Car seats\",\"first_baby\":\"yes\"}", FALSE, "answers.first_baby"},
		{"{\"needs\":\"Car seats\",\"shoe_size\":\"7\"}", FALSE, "answers.shoe_size"},
		{"{\"needs\":[\"Car seats\"]}", FALSE, "answers.needs"},
		{long_json, FALSE, "answers.notes"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(JsonNode) node = ap_json_from_string(cases[i].json, &error);
		gboolean ok;

		g_assert_no_error(error);
		ok = ap_service_check_answers(nursery, json_node_get_object(node), &error);
		g_test_message("case %u -> %s", i, error != NULL ? error->message : "ok");
		g_assert_cmpint(ok, ==, cases[i].ok);
		if (cases[i].ok) {
			g_assert_no_error(error);
		} else {
			g_assert_error(error, AP_ERROR, AP_ERROR_INVALID);
			g_assert_true(g_str_has_prefix(error->message, cases[i].field));
			g_clear_error(&error);
		}
	}
	/* no answers at all: only fine when nothing is required */
	g_assert_false(ap_service_check_answers(nursery, NULL, &error));
	g_assert_error(error, AP_ERROR, AP_ERROR_INVALID);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	g_test_add_func("/service/catalogue", test_service_catalogue);
	g_test_add_func("/service/json-round-trip", test_service_json_round_trip);
	g_test_add_func("/service/invalid", test_service_invalid);
	g_test_add_func("/service/answers", test_service_answers);
	return g_test_run();
}
