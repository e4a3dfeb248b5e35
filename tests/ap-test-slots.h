/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ap-slots.h"
#include "ap-test-util.h"

G_BEGIN_DECLS

#define AP_TEST_SERVICE_ID "personal-styling"

/* long before every date the slot tests use, so that notice and horizon
 * do not matter unless a test sets them */
#define AP_TEST_SLOTS_NOW "2026-12-01T00:00:00Z"

/**
 * ApTestSlotsFixture:
 * @service: an hour-long service on the hour
 * @expert: a London expert working Monday to Friday, 09:00-17:00
 * @tz: the expert's zone, borrowed from @expert
 */
typedef struct {
	ApService *service;
	ApExpert *expert;
	GTimeZone *tz;
} ApTestSlotsFixture;

typedef void (*ApTestSlotsFunc)(ApTestSlotsFixture *fixture, gconstpointer user_data);

void
ap_test_slots_add(const gchar *path, ApTestSlotsFunc func);
void
ap_test_slots_fixture_set_up(ApTestSlotsFixture *fixture, gconstpointer user_data);
void
ap_test_slots_fixture_tear_down(ApTestSlotsFixture *fixture, gconstpointer user_data);

ApService *
ap_test_service_new(guint duration, guint step);
ApExpert *
ap_test_expert_new(gint64 id, const gchar *timezone);
void
ap_test_expert_add_hours(ApExpert *expert,
			 GDateWeekday weekday,
			 const gchar *start,
			 const gchar *end);
void
ap_test_expert_add_weekdays(ApExpert *expert, const gchar *start, const gchar *end);
ApSlotWindow
ap_test_window_days(GTimeZone *tz, const gchar *first, const gchar *last);
GArray *
ap_test_slots(const ApService *service,
	      ApExpert *expert,
	      const ApSlotWindow *window,
	      const ApBusy *busy,
	      guint n_busy);
gchar *
ap_test_offers_to_string(GArray *offers, GTimeZone *tz);
gchar *
ap_test_offers_to_hhmm(GArray *offers, GTimeZone *tz);
gint64
ap_test_first_existing(GTimeZone *tz, const GDate *date, gint minute);

G_END_DECLS
