/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApService"

#include "ap-service.h"

#include <gio/gio.h>

#include "ap-error.h"
#include "ap-json.h"
#include "ap-resources.h"
#include "ap-time.h"
#include "ap-validate.h"

#include <string.h>

#define AP_SERVICE_CATALOGUE_RESOURCE "/org/appoint/catalogue.json"

static const gchar *ap_question_type_names[] = {
	"text", "long-text", "choice", "date", "number", "boolean"};

const gchar *
ap_question_type_to_string(ApQuestionType type)
{
	g_return_val_if_fail((guint)type < G_N_ELEMENTS(ap_question_type_names), NULL);
	return ap_question_type_names[type];
}

gboolean
ap_question_type_from_string(const gchar *text, ApQuestionType *type)
{
	for (guint i = 0; i < G_N_ELEMENTS(ap_question_type_names); i++) {
		if (g_strcmp0(text, ap_question_type_names[i]) == 0) {
			*type = (ApQuestionType)i;
			return TRUE;
		}
	}
	return FALSE;
}

ApQuestion *
ap_question_new(const gchar *id, const gchar *label, ApQuestionType type, gboolean required)
{
	ApQuestion *question = g_new0(ApQuestion, 1);
	question->id = g_strdup(id);
	question->label = g_strdup(label);
	question->type = type;
	question->required = required;
	return question;
}

void
ap_question_free(ApQuestion *question)
{
	if (question == NULL)
		return;
	g_free(question->id);
	g_free(question->label);
	g_strfreev(question->choices);
	g_free(question);
}

ApService *
ap_service_new(const gchar *id)
{
	ApService *service = g_rc_box_new0(ApService);
	service->id = g_strdup(id);
	service->name = g_strdup(id);
	service->description = g_strdup("");
	service->preparation = g_strdup("");
	service->duration_minutes = 45;
	service->step_minutes = 15;
	service->min_notice_minutes = 120;
	service->horizon_days = 60;
	service->capacity = 1;
	service->questions = g_ptr_array_new_with_free_func((GDestroyNotify)ap_question_free);
	service->active = TRUE;
	return service;
}

ApService *
ap_service_ref(ApService *service)
{
	return g_rc_box_acquire(service);
}

static void
ap_service_clear(ApService *service)
{
	g_free(service->id);
	g_free(service->name);
	g_free(service->description);
	g_free(service->preparation);
	g_ptr_array_unref(service->questions);
}

void
ap_service_unref(ApService *service)
{
	g_rc_box_release_full(service, (GDestroyNotify)ap_service_clear);
}

/**
 * ap_service_id_is_valid:
 * @id: (nullable): a proposed id
 *
 * Returns: %TRUE for a slug of 1 to 64 characters: lower-case ASCII
 * letters, digits and inner hyphens
 */
gboolean
ap_service_id_is_valid(const gchar *id)
{
	gsize len;

	if (id == NULL)
		return FALSE;
	len = strlen(id);
	if (len == 0 || len > 64 || id[0] == '-' || id[len - 1] == '-')
		return FALSE;
	for (gsize i = 0; i < len; i++) {
		if (!g_ascii_islower(id[i]) && !g_ascii_isdigit(id[i]) && id[i] != '-')
			return FALSE;
	}
	return TRUE;
}

/* question ids become JSON keys of the answers: snake_case reads best */
static gboolean
ap_question_id_is_valid(const gchar *id)
{
	gsize len = id != NULL ? strlen(id) : 0;

	if (len == 0 || len > 64 || !g_ascii_islower(id[0]))
		return FALSE;
	for (gsize i = 0; i < len; i++) {
		if (!g_ascii_islower(id[i]) && !g_ascii_isdigit(id[i]) && id[i] != '_')
			return FALSE;
	}
	return TRUE;
}

const ApQuestion *
ap_service_get_question(const ApService *service, const gchar *id)
{
	for (guint i = 0; i < service->questions->len; i++) {
		const ApQuestion *q = g_ptr_array_index(service->questions, i);
		if (g_strcmp0(q->id, id) == 0)
			return q;
	}
	return NULL;
}

static gboolean
ap_service_check_range(guint value, guint min, guint max, const gchar *field, GError **error)
{
	if (value < min || value > max) {
		g_set_error(error,
			    AP_ERROR,
			    AP_ERROR_INVALID,
			    "%s: must be between %u and %u",
			    field,
			    min,
			    max);
		return FALSE;
	}
	return TRUE;
}

/**
 * ap_service_validate:
 * @service: the service
 * @error: a #GError, or %NULL
 *
 * Returns: %TRUE if every field is within its limits
 */
gboolean
ap_service_validate(const ApService *service, GError **error)
{
	g_autoptr(GHashTable) ids = g_hash_table_new(g_str_hash, g_str_equal);

	if (!ap_service_id_is_valid(service->id)) {
		g_set_error(error,
			    AP_ERROR,
			    AP_ERROR_INVALID,
			    "id: must be 1 to 64 lower-case letters, digits and hyphens");
		return FALSE;
	}
	if (!ap_validate_name(service->name, "name", error) ||
	    !ap_validate_text(service->description, "description", 4000, FALSE, error) ||
	    !ap_validate_text(service->preparation, "preparation", 4000, FALSE, error))
		return FALSE;
	if (!ap_service_check_range(service->duration_minutes,
				    5,
				    AP_SERVICE_MAX_DURATION_MINUTES,
				    "duration_minutes",
				    error) ||
	    !ap_service_check_range(service->buffer_before_minutes,
				    0,
				    AP_SERVICE_MAX_BUFFER_MINUTES,
				    "buffer_before_minutes",
				    error) ||
	    !ap_service_check_range(service->buffer_after_minutes,
				    0,
				    AP_SERVICE_MAX_BUFFER_MINUTES,
				    "buffer_after_minutes",
				    error) ||
	    !ap_service_check_range(service->min_notice_minutes,
				    0,
				    AP_SERVICE_MAX_NOTICE_MINUTES,
				    "min_notice_minutes",
				    error) ||
	    !ap_service_check_range(
		    service->horizon_days, 1, AP_SERVICE_MAX_HORIZON_DAYS, "horizon_days", error) ||
	    !ap_service_check_range(
		    service->capacity, 1, AP_SERVICE_MAX_CAPACITY, "capacity", error))
		return FALSE;
	/* a step must divide the day so that every day has the same grid */
	if (service->step_minutes < 5 || service->step_minutes > 240 ||
	    AP_MINUTES_PER_DAY % service->step_minutes != 0) {
		g_set_error(error,
			    AP_ERROR,
			    AP_ERROR_INVALID,
			    "step_minutes: must divide 1440 and be between 5 and 240");
		return FALSE;
	}
	for (guint i = 0; i < service->questions->len; i++) {
		const ApQuestion *q = g_ptr_array_index(service->questions, i);
		if (!ap_question_id_is_valid(q->id) || !g_hash_table_add(ids, q->id)) {
			g_set_error(error,
				    AP_ERROR,
				    AP_ERROR_INVALID,
				    "questions: '%s' is not a unique id of lower-case letters, "
				    "digits and _",
				    q->id != NULL ? q->id : "");
			return FALSE;
		}
		if (!ap_validate_line(q->label, "questions: label", 500, TRUE, error))
			return FALSE;
		if (q->type == AP_QUESTION_CHOICE &&
		    (q->choices == NULL || g_strv_length(q->choices) == 0)) {
			g_set_error(error,
				    AP_ERROR,
				    AP_ERROR_INVALID,
				    "questions: '%s' is a choice without choices",
				    q->id);
			return FALSE;
		}
	}
	return TRUE;
}

static gboolean
ap_service_check_answer(const ApQuestion *q, JsonNode *node, GError **error)
{
	GType type = JSON_NODE_HOLDS_VALUE(node) ? json_node_get_value_type(node) : G_TYPE_INVALID;
	const gchar *text = type == G_TYPE_STRING ? json_node_get_string(node) : NULL;
	GDate date;

	switch (q->type) {
	case AP_QUESTION_TEXT:
	case AP_QUESTION_LONG_TEXT:
	case AP_QUESTION_CHOICE:
	case AP_QUESTION_DATE:
		if (text == NULL) {
			g_set_error(error, AP_ERROR, AP_ERROR_INVALID, "must be text");
			return FALSE;
		}
		if (q->type == AP_QUESTION_LONG_TEXT)
			return ap_validate_text(
				text, "answer", AP_ANSWER_MAX_CHARS, q->required, error);
		if (!ap_validate_line(text, "answer", AP_ANSWER_MAX_CHARS, q->required, error))
			return FALSE;
		if (q->type == AP_QUESTION_CHOICE &&
		    !g_strv_contains((const gchar *const *)q->choices, text)) {
			g_set_error(error,
				    AP_ERROR,
				    AP_ERROR_INVALID,
				    "'%s' is not one of the choices",
				    text);
			return FALSE;
		}
		if (q->type == AP_QUESTION_DATE)
			return ap_date_parse(text, &date, error);
		return TRUE;
	case AP_QUESTION_NUMBER:
		if (type != G_TYPE_INT64 && type != G_TYPE_DOUBLE) {
			g_set_error(error, AP_ERROR, AP_ERROR_INVALID, "must be a number");
			return FALSE;
		}
		/* json-glib 1.6 writes some doubles as no JSON parser reads
		 * them (1e999 as `inf`, 1e95 as `1e+95.0`), so the store
		 * could not read the answers back: refuse those */
		if (type == G_TYPE_DOUBLE) {
			g_autofree gchar *written = json_to_string(node, FALSE);
			g_autoptr(JsonNode) back = json_from_string(written, NULL);
			if (back == NULL) {
				g_set_error(error,
					    AP_ERROR,
					    AP_ERROR_INVALID,
					    "must be a number of ordinary size");
				return FALSE;
			}
		}
		return TRUE;
	case AP_QUESTION_BOOLEAN:
		if (type != G_TYPE_BOOLEAN) {
			g_set_error(error, AP_ERROR, AP_ERROR_INVALID, "must be true or false");
			return FALSE;
		}
		return TRUE;
	default:
		g_set_error(error, AP_ERROR, AP_ERROR_INVALID, "has an unknown type");
		return FALSE;
	}
}

/**
 * ap_service_check_answers:
 * @service: the service booked
 * @answers: (nullable): the customer's answers, keyed by question id
 * @error: a #GError, or %NULL
 *
 * Every answer must belong to a question and fit its type; every required
 * question must be answered. Error messages start with `answers.ID`.
 *
 * Returns: %TRUE if the answers are acceptable
 */
gboolean
ap_service_check_answers(const ApService *service, JsonObject *answers, GError **error)
{
	GError *errors = NULL;
	JsonObjectIter iter;
	const gchar *name;
	JsonNode *node;

	if (answers != NULL) {
		json_object_iter_init(&iter, answers);
		while (json_object_iter_next(&iter, &name, &node)) {
			const ApQuestion *q = ap_service_get_question(service, name);
			GError *one = NULL;

			if (q == NULL) {
				ap_error_merge(
					&errors,
					g_error_new(AP_ERROR,
						    AP_ERROR_INVALID,
						    "answers.%s: is not a question of this service",
						    name));
				continue;
			}
			if (JSON_NODE_HOLDS_NULL(node) && !q->required)
				continue;
			if (!ap_service_check_answer(q, node, &one)) {
				g_prefix_error(&one, "answers.%s: ", name);
				ap_error_merge(&errors, one);
			}
		}
	}
	for (guint i = 0; i < service->questions->len; i++) {
		const ApQuestion *q = g_ptr_array_index(service->questions, i);
		if (q->required && (answers == NULL || !json_object_has_member(answers, q->id) ||
				    JSON_NODE_HOLDS_NULL(json_object_get_member(answers, q->id))))
			ap_error_merge(&errors,
				       g_error_new(AP_ERROR,
						   AP_ERROR_INVALID,
						   "answers.%s: is required",
						   q->id));
	}
	if (errors != NULL) {
		g_propagate_error(error, errors);
		return FALSE;
	}
	return TRUE;
}

/**
 * ap_service_questions_to_json:
 *
 * Returns: (transfer full): a JSON array of `{id, label, type, required,
 * choices?}`
 */
JsonNode *
ap_service_questions_to_json(const ApService *service)
{
	g_autoptr(JsonBuilder) b = json_builder_new();

	json_builder_begin_array(b);
	for (guint i = 0; i < service->questions->len; i++) {
		const ApQuestion *q = g_ptr_array_index(service->questions, i);
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "id");
		json_builder_add_string_value(b, q->id);
		json_builder_set_member_name(b, "label");
		json_builder_add_string_value(b, q->label);
		json_builder_set_member_name(b, "type");
		json_builder_add_string_value(b, ap_question_type_to_string(q->type));
		json_builder_set_member_name(b, "required");
		json_builder_add_boolean_value(b, q->required);
		if (q->choices != NULL) {
			json_builder_set_member_name(b, "choices");
			json_builder_begin_array(b);
			for (guint j = 0; q->choices[j] != NULL; j++)
				json_builder_add_string_value(b, q->choices[j]);
			json_builder_end_array(b);
		}
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	return json_builder_get_root(b);
}

static ApQuestion *
ap_question_from_json(JsonNode *node, GError **error)
{
	const gchar *allowed[] = {"id", "label", "type", "required", "choices", NULL};
	const gchar *id = NULL, *label = NULL, *type_name = "text";
	gboolean required = FALSE;
	ApQuestionType type;
	JsonObject *object;
	JsonArray *choices;
	g_autoptr(ApQuestion) q = NULL;
	g_autoptr(GError) error_local = NULL;

	if (!JSON_NODE_HOLDS_OBJECT(node)) {
		g_set_error(error, AP_ERROR, AP_ERROR_INVALID, "each question must be an object");
		return NULL;
	}
	object = json_node_get_object(node);
	if (!ap_json_check_members(object, allowed, error) ||
	    !ap_json_get_string(object, "id", TRUE, &id, error) ||
	    !ap_json_get_string(object, "label", TRUE, &label, error) ||
	    !ap_json_get_string(object, "type", FALSE, &type_name, error) ||
	    !ap_json_get_bool(object, "required", FALSE, &required, error))
		return NULL;
	if (!ap_question_type_from_string(type_name, &type)) {
		g_set_error(
			error,
			AP_ERROR,
			AP_ERROR_INVALID,
			"type: '%s' is not one of text, long-text, choice, date, number, boolean",
			type_name);
		return NULL;
	}
	q = ap_question_new(id, label, type, required);
	choices = ap_json_get_array(object, "choices", FALSE, &error_local);
	if (error_local != NULL) {
		g_propagate_error(error, g_steal_pointer(&error_local));
		return NULL;
	}
	if (choices != NULL) {
		g_autoptr(GStrvBuilder) sb = g_strv_builder_new();
		for (guint i = 0; i < json_array_get_length(choices); i++) {
			JsonNode *c = json_array_get_element(choices, i);
			if (!JSON_NODE_HOLDS_VALUE(c) ||
			    json_node_get_value_type(c) != G_TYPE_STRING ||
			    !ap_validate_line(
				    json_node_get_string(c), "choices", 200, TRUE, NULL)) {
				g_set_error(error,
					    AP_ERROR,
					    AP_ERROR_INVALID,
					    "choices: must be short lines of text");
				return NULL;
			}
			g_strv_builder_add(sb, json_node_get_string(c));
		}
		q->choices = g_strv_builder_end(sb);
	}
	return g_steal_pointer(&q);
}

/**
 * ap_service_questions_from_json:
 * @service: the service whose questions are replaced
 * @node: a JSON array of questions
 * @error: a #GError, or %NULL
 *
 * Returns: %FALSE (changing nothing) if @node is malformed
 */
gboolean
ap_service_questions_from_json(ApService *service, JsonNode *node, GError **error)
{
	g_autoptr(GPtrArray) questions =
		g_ptr_array_new_with_free_func((GDestroyNotify)ap_question_free);
	JsonArray *array;

	if (!JSON_NODE_HOLDS_ARRAY(node)) {
		g_set_error(error, AP_ERROR, AP_ERROR_INVALID, "questions: must be an array");
		return FALSE;
	}
	array = json_node_get_array(node);
	if (json_array_get_length(array) > 30) {
		g_set_error(error, AP_ERROR, AP_ERROR_INVALID, "questions: at most 30");
		return FALSE;
	}
	for (guint i = 0; i < json_array_get_length(array); i++) {
		ApQuestion *q = ap_question_from_json(json_array_get_element(array, i), error);
		if (q == NULL) {
			g_prefix_error(error, "questions[%u].", i);
			return FALSE;
		}
		g_ptr_array_add(questions, q);
	}
	g_ptr_array_unref(service->questions);
	service->questions = g_steal_pointer(&questions);
	return TRUE;
}

static void
ap_service_set_string(gchar **field, const gchar *value)
{
	if (value == NULL)
		return;
	g_free(*field);
	*field = g_strdup(value);
}

/**
 * ap_service_from_json:
 * @object: `{id, name, description?, preparation?, duration_minutes?, ...}`
 * @error: a #GError, or %NULL
 *
 * Returns: (transfer full) (nullable): a validated service
 */
ApService *
ap_service_from_json(JsonObject *object, GError **error)
{
	const gchar *allowed[] = {"id",
				  "name",
				  "description",
				  "preparation",
				  "duration_minutes",
				  "buffer_before_minutes",
				  "buffer_after_minutes",
				  "min_notice_minutes",
				  "horizon_days",
				  "step_minutes",
				  "capacity",
				  "questions",
				  "active",
				  NULL};
	const gchar *id = NULL, *name = NULL, *description = NULL, *preparation = NULL;
	g_autoptr(ApService) service = NULL;
	JsonNode *questions;

	if (!ap_json_check_members(object, allowed, error) ||
	    !ap_json_get_string(object, "id", TRUE, &id, error) ||
	    !ap_json_get_string(object, "name", TRUE, &name, error) ||
	    !ap_json_get_string(object, "description", FALSE, &description, error) ||
	    !ap_json_get_string(object, "preparation", FALSE, &preparation, error))
		return NULL;
	service = ap_service_new(id);
	ap_service_set_string(&service->name, name);
	ap_service_set_string(&service->description, description);
	ap_service_set_string(&service->preparation, preparation);
	/* the ranges are checked once, by ap_service_validate() */
	if (!ap_json_get_uint(object,
			      "duration_minutes",
			      0,
			      G_MAXINT,
			      FALSE,
			      &service->duration_minutes,
			      error) ||
	    !ap_json_get_uint(object,
			      "buffer_before_minutes",
			      0,
			      G_MAXINT,
			      FALSE,
			      &service->buffer_before_minutes,
			      error) ||
	    !ap_json_get_uint(object,
			      "buffer_after_minutes",
			      0,
			      G_MAXINT,
			      FALSE,
			      &service->buffer_after_minutes,
			      error) ||
	    !ap_json_get_uint(object,
			      "min_notice_minutes",
			      0,
			      G_MAXINT,
			      FALSE,
			      &service->min_notice_minutes,
			      error) ||
	    !ap_json_get_uint(
		    object, "horizon_days", 0, G_MAXINT, FALSE, &service->horizon_days, error) ||
	    !ap_json_get_uint(
		    object, "step_minutes", 0, G_MAXINT, FALSE, &service->step_minutes, error) ||
	    !ap_json_get_uint(object, "capacity", 0, G_MAXINT, FALSE, &service->capacity, error) ||
	    !ap_json_get_bool(object, "active", FALSE, &service->active, error))
		return NULL;
	questions = json_object_get_member(object, "questions");
	if (questions != NULL && !ap_service_questions_from_json(service, questions, error))
		return NULL;
	if (!ap_service_validate(service, error))
		return NULL;
	return g_steal_pointer(&service);
}

/**
 * ap_service_to_json:
 *
 * Returns: (transfer full): the service as the API shows it
 */
JsonNode *
ap_service_to_json(const ApService *service)
{
	g_autoptr(JsonBuilder) b = json_builder_new();

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "id");
	json_builder_add_string_value(b, service->id);
	json_builder_set_member_name(b, "name");
	json_builder_add_string_value(b, service->name);
	json_builder_set_member_name(b, "description");
	json_builder_add_string_value(b, service->description);
	json_builder_set_member_name(b, "preparation");
	json_builder_add_string_value(b, service->preparation);
	json_builder_set_member_name(b, "duration_minutes");
	json_builder_add_int_value(b, service->duration_minutes);
	json_builder_set_member_name(b, "buffer_minutes");
	json_builder_add_int_value(
		b, MAX(service->buffer_before_minutes, service->buffer_after_minutes));
	json_builder_set_member_name(b, "buffer_before_minutes");
	json_builder_add_int_value(b, service->buffer_before_minutes);
	json_builder_set_member_name(b, "buffer_after_minutes");
	json_builder_add_int_value(b, service->buffer_after_minutes);
	json_builder_set_member_name(b, "min_notice_minutes");
	json_builder_add_int_value(b, service->min_notice_minutes);
	json_builder_set_member_name(b, "horizon_days");
	json_builder_add_int_value(b, service->horizon_days);
	json_builder_set_member_name(b, "step_minutes");
	json_builder_add_int_value(b, service->step_minutes);
	json_builder_set_member_name(b, "capacity");
	json_builder_add_int_value(b, service->capacity);
	json_builder_set_member_name(b, "active");
	json_builder_add_boolean_value(b, service->active);
	json_builder_set_member_name(b, "questions");
	json_builder_add_value(b, ap_service_questions_to_json(service));
	json_builder_end_object(b);
	return json_builder_get_root(b);
}

/**
 * ap_service_catalogue_load_default:
 * @error: a #GError, or %NULL
 *
 * Reads the catalogue a new database starts with, from the GResource.
 *
 * Returns: (transfer container) (element-type ApService): the services
 */
GPtrArray *
ap_service_catalogue_load_default(GError **error)
{
	g_autoptr(GBytes) bytes = NULL;
	g_autoptr(JsonNode) root = NULL;
	g_autoptr(GPtrArray) services =
		g_ptr_array_new_with_free_func((GDestroyNotify)ap_service_unref);
	JsonArray *array;

	/* through ap_get_resource() rather than the global registry, so that
	 * the static library's resource object is always linked in */
	bytes = g_resource_lookup_data(ap_get_resource(),
				       AP_SERVICE_CATALOGUE_RESOURCE,
				       G_RESOURCE_LOOKUP_FLAGS_NONE,
				       error);
	if (bytes == NULL)
		return NULL;
	root = ap_json_from_string(g_bytes_get_data(bytes, NULL), error);
	if (root == NULL)
		return NULL;
	if (!JSON_NODE_HOLDS_ARRAY(root)) {
		g_set_error(error, AP_ERROR, AP_ERROR_INVALID, "the catalogue must be an array");
		return NULL;
	}
	array = json_node_get_array(root);
	for (guint i = 0; i < json_array_get_length(array); i++) {
		JsonNode *node = json_array_get_element(array, i);
		ApService *service;
		if (!JSON_NODE_HOLDS_OBJECT(node)) {
			g_set_error(error,
				    AP_ERROR,
				    AP_ERROR_INVALID,
				    "catalogue[%u]: not an object",
				    i);
			return NULL;
		}
		service = ap_service_from_json(json_node_get_object(node), error);
		if (service == NULL) {
			g_prefix_error(error, "catalogue[%u]: ", i);
			return NULL;
		}
		g_ptr_array_add(services, service);
	}
	return g_steal_pointer(&services);
}
