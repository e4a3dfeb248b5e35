/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApFeedback"

#include "ap-feedback.h"

void
ap_feedback_free(ApFeedback *feedback)
{
	if (feedback == NULL)
		return;
	g_free(feedback->reference);
	g_free(feedback->service_id);
	g_free(feedback->comment);
	g_free(feedback);
}

void
ap_feedback_report_free(ApFeedbackReport *report)
{
	if (report == NULL)
		return;
	g_clear_pointer(&report->entries, g_ptr_array_unref);
	g_free(report);
}

/**
 * ap_feedback_report_average:
 *
 * Returns: the mean rating, or 0 with no answers
 */
gdouble
ap_feedback_report_average(const ApFeedbackReport *report)
{
	guint64 sum = 0;

	if (report->count == 0)
		return 0;
	for (guint r = 0; r <= AP_FEEDBACK_MAX_RATING; r++)
		sum += (guint64)r * report->histogram[r];
	return (gdouble)sum / report->count;
}
