/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum {
	AP_QUESTION_TEXT,      /* one line */
	AP_QUESTION_LONG_TEXT, /* a paragraph */
	AP_QUESTION_CHOICE,    /* one of @choices */
	AP_QUESTION_DATE,      /* YYYY-MM-DD */
	AP_QUESTION_NUMBER,    /* a decimal number */
	AP_QUESTION_BOOLEAN,   /* yes or no */
} ApQuestionType;

/**
 * ApQuestion:
 * @id: stable key of the answer, e.g. `occasion`
 * @label: what the customer is asked
 * @type: what kind of answer is expected
 * @required: whether a booking needs an answer
 * @choices: (nullable): the allowed answers of a %AP_QUESTION_CHOICE
 */
typedef struct {
	gchar *id;
	gchar *label;
	ApQuestionType type;
	gboolean required;
	GStrv choices;
} ApQuestion;

/**
 * ApService:
 * @id: slug, e.g. `personal-styling`
 * @name: shown to customers
 * @description: what a session offers
 * @preparation: what the customer should prepare (used in emails)
 * @duration_minutes: length of a session
 * @buffer_before_minutes: time kept free before a session
 * @buffer_after_minutes: time kept free after a session
 * @min_notice_minutes: the earliest a session may start, counted from now
 * @horizon_days: how far ahead sessions may be booked
 * @step_minutes: slot grid, counted from local midnight
 * @capacity: customers per session: 1 for one-to-one, more for group sessions
 * @questions: (element-type ApQuestion): asked when booking
 * @active: whether it can be booked
 *
 * A kind of consultation. Reference counted with g_rc_box.
 */
typedef struct {
	gchar *id;
	gchar *name;
	gchar *description;
	gchar *preparation;
	guint duration_minutes;
	guint buffer_before_minutes;
	guint buffer_after_minutes;
	guint min_notice_minutes;
	guint horizon_days;
	guint step_minutes;
	guint capacity;
	GPtrArray *questions;
	gboolean active;
} ApService;

/* limits a service must stay within */
#define AP_SERVICE_MAX_DURATION_MINUTES 480
#define AP_SERVICE_MAX_BUFFER_MINUTES	240
#define AP_SERVICE_MAX_NOTICE_MINUTES	(60 * 24 * 30)
#define AP_SERVICE_MAX_HORIZON_DAYS	730
#define AP_SERVICE_MAX_CAPACITY		500

ApQuestion *
ap_question_new(const gchar *id, const gchar *label, ApQuestionType type, gboolean required);
void
ap_question_free(ApQuestion *question);
const gchar *
ap_question_type_to_string(ApQuestionType type);
gboolean
ap_question_type_from_string(const gchar *text, ApQuestionType *type);

ApService *
ap_service_new(const gchar *id);
ApService *
ap_service_ref(ApService *service);
void
ap_service_unref(ApService *service);
gboolean
ap_service_validate(const ApService *service, GError **error);
gboolean
ap_service_id_is_valid(const gchar *id);
const ApQuestion *
ap_service_get_question(const ApService *service, const gchar *id);
gboolean
ap_service_check_answers(const ApService *service, JsonObject *answers, GError **error);

JsonNode *
ap_service_questions_to_json(const ApService *service);
gboolean
ap_service_questions_from_json(ApService *service, JsonNode *node, GError **error);
ApService *
ap_service_from_json(JsonObject *object, GError **error);
JsonNode *
ap_service_to_json(const ApService *service);
GPtrArray *
ap_service_catalogue_load_default(GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(ApQuestion, ap_question_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ApService, ap_service_unref)

G_END_DECLS
