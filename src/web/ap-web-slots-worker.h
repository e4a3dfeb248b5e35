/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ap-engine.h"
#include "ap-web-cache.h"

G_BEGIN_DECLS

/* questions given to the thread and not yet answered, at the most:
 * beyond, ap_web_slots_worker_ask() answers %G_IO_ERROR_BUSY at once */
#define AP_WEB_SLOTS_WORKER_MAX_QUEUED 32

/* how long before a kept answer ends the one that follows it is
 * computed, if it is asked for meanwhile or planned */
#define AP_WEB_SLOTS_AHEAD_SECONDS 3

/* questions planned to be computed ahead, at the most, and how far ahead
 * of its end an answer may be (see ap_web_slots_worker_plan_ahead()) */
#define AP_WEB_SLOTS_WORKER_MAX_PLANNED	 256
#define AP_WEB_SLOTS_WORKER_PLAN_SECONDS (24 * 3600)

/**
 * ApWebSlotsQuestion:
 * @service_id: the service
 * @from: the first local date
 * @to: the last local date, inclusive
 * @timezone: the zone the dates are in and the answer's instants carry
 * @tz: the same zone, loaded
 * @expert_id: one expert, or 0 for all who give the service
 *
 * A `GET /api/v1/slots` query, checked.
 */
typedef struct {
	gchar *service_id;
	GDate from;
	GDate to;
	gchar *timezone;
	GTimeZone *tz;
	gint64 expert_id;
} ApWebSlotsQuestion;

void
ap_web_slots_question_clear(ApWebSlotsQuestion *question);

/**
 * ApWebSlotsAnswerFunc:
 * @body: (nullable): the answer, JSON; %NULL on error
 * @error: (nullable): why there is none
 * @user_data: what was given with the question
 *
 * Called on the main loop once the slots are computed.
 */
typedef void (*ApWebSlotsAnswerFunc)(GBytes *body, const GError *error, gpointer user_data);

typedef struct _ApWebSlotsWorker ApWebSlotsWorker;

ApWebSlotsWorker *
ap_web_slots_worker_new(ApEngine *engine, ApWebCache *cache);
void
ap_web_slots_worker_free(ApWebSlotsWorker *self);
void
ap_web_slots_worker_ask(ApWebSlotsWorker *self,
			const gchar *key,
			const ApWebSlotsQuestion *question,
			guint64 generation,
			gint64 now,
			ApWebSlotsAnswerFunc func,
			gpointer user_data);
void
ap_web_slots_worker_compute_ahead(ApWebSlotsWorker *self,
				  const gchar *key,
				  const ApWebSlotsQuestion *question,
				  guint64 generation,
				  gint64 at);
void
ap_web_slots_worker_plan_ahead(ApWebSlotsWorker *self,
			       const gchar *key,
			       const ApWebSlotsQuestion *question,
			       guint64 generation,
			       gint64 at,
			       gint64 now);
gboolean
ap_web_slots_worker_is_planned(ApWebSlotsWorker *self,
			       const gchar *key,
			       guint64 generation,
			       gint64 at);
gboolean
ap_web_slots_worker_is_computing(ApWebSlotsWorker *self, const gchar *key, guint64 generation);
guint64
ap_web_slots_worker_get_computed(ApWebSlotsWorker *self);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(ApWebSlotsQuestion, ap_web_slots_question_clear)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ApWebSlotsWorker, ap_web_slots_worker_free)

G_END_DECLS
