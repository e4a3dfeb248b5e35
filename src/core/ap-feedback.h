/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define AP_FEEDBACK_MAX_RATING	      10
#define AP_FEEDBACK_COMMENT_MAX_CHARS 2000
#define AP_SUMMARY_MAX_CHARS	      10000

/**
 * ApFeedback:
 * @reference: the booking rated
 * @expert_id: who gave the session
 * @service_id: which service it was
 * @rating: 0 (not at all helpful) to 10
 * @comment: (nullable): the customer's words
 * @created_at: when they were given
 *
 * A customer's answer to the feedback request after a session.
 */
typedef struct {
	gchar *reference;
	gint64 expert_id;
	gchar *service_id;
	guint rating;
	gchar *comment;
	gint64 created_at;
} ApFeedback;

/**
 * ApFeedbackReport:
 * @count: how many answers
 * @histogram: how many gave each rating, 0 to 10
 * @entries: (element-type ApFeedback): the latest answers, newest first
 *
 * Feedback for an expert, a service, or all of them.
 */
typedef struct {
	guint count;
	guint histogram[AP_FEEDBACK_MAX_RATING + 1];
	GPtrArray *entries;
} ApFeedbackReport;

void
ap_feedback_free(ApFeedback *feedback);
void
ap_feedback_report_free(ApFeedbackReport *report);
gdouble
ap_feedback_report_average(const ApFeedbackReport *report);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(ApFeedback, ap_feedback_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ApFeedbackReport, ap_feedback_report_free)

G_END_DECLS
