/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "race-helper"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "ap-error.h"
#include "ap-secret.h"
#include "ap-sqlite-store.h"

/*
 * One contestant of tests/test-race.c: a process of its own, with its own
 * connection, trying once to book personal-styling at a start.
 *
 *   race-helper DBPATH EXPERT_ID[,EXPERT_ID...] START_UNIX
 *
 * It opens the store, then waits for a line on standard input (or its
 * end), so that the test can let every contestant go at the same moment.
 * Prints the reference and exits 0 when it booked, exits 3 when the slot
 * was taken (%AP_ERROR_CONFLICT), and 1 on any other failure.
 */

#define AP_RACE_EXIT_CONFLICT 3

static gboolean
ap_race_parse_int64(const gchar *text, gint64 *value)
{
	return g_ascii_string_to_signed(text, 10, 1, G_MAXINT64, value, NULL);
}

static int
ap_race_fail(GError *error)
{
	g_printerr("race-helper: %s\n", error->message);
	return g_error_matches(error, AP_ERROR, AP_ERROR_CONFLICT) ? AP_RACE_EXIT_CONFLICT
								   : EXIT_FAILURE;
}

int
main(int argc, char **argv)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ApStore) store = NULL;
	g_autoptr(ApService) service = NULL;
	g_autoptr(ApBooking) booking = ap_booking_new();
	g_autoptr(GArray) candidates = g_array_new(FALSE, FALSE, sizeof(ApCandidate));
	g_autoptr(GDateTime) start_dt = NULL;
	g_autoptr(GDateTime) day = NULL;
	g_autoptr(GDateTime) next_day = NULL;
	g_auto(GStrv) experts = NULL;
	g_autofree gchar *uuid = g_uuid_string_random();
	gchar line[16];
	gint64 start = 0;

	if (argc != 4 || !ap_race_parse_int64(argv[3], &start)) {
		g_printerr("usage: race-helper DBPATH EXPERT_ID[,EXPERT_ID...] START_UNIX\n");
		return EXIT_FAILURE;
	}
	start_dt = g_date_time_new_from_unix_utc(start);
	day = g_date_time_new_utc(g_date_time_get_year(start_dt),
				  g_date_time_get_month(start_dt),
				  g_date_time_get_day_of_month(start_dt),
				  0,
				  0,
				  0);
	next_day = g_date_time_add_days(day, 1);
	experts = g_strsplit(argv[2], ",", -1);
	for (guint i = 0; experts[i] != NULL; i++) {
		ApCandidate c = {0};
		if (!ap_race_parse_int64(experts[i], &c.expert_id)) {
			g_printerr("race-helper: '%s' is not an expert id\n", experts[i]);
			return EXIT_FAILURE;
		}
		c.day_start = g_date_time_to_unix(day);
		c.day_end = g_date_time_to_unix(next_day);
		g_array_append_val(candidates, c);
	}

	store = ap_sqlite_store_new(argv[1], &error);
	if (store == NULL)
		return ap_race_fail(error);
	service = ap_store_service_get(store, "personal-styling", &error);
	if (service == NULL)
		return ap_race_fail(error);

	booking->token_hash = ap_token_hash(uuid);
	booking->service_id = g_strdup(service->id);
	booking->start = start;
	booking->end = start + (gint64)service->duration_minutes * 60;
	booking->channel = AP_BOOKING_CHANNEL_WEB;
	booking->customer_name = g_strdup_printf("Racer %d", (gint)getpid());
	booking->customer_email = g_strdup("racer@example.org");
	booking->ical_uid = g_strdup_printf("%s@race.test", uuid);

	/* ready: wait for the start signal */
	if (fgets(line, sizeof(line), stdin) == NULL && ferror(stdin)) {
		g_printerr("race-helper: reading the start signal failed\n");
		return EXIT_FAILURE;
	}

	if (!ap_store_booking_create(store,
				     booking,
				     service,
				     (const ApCandidate *)candidates->data,
				     candidates->len,
				     NULL,
				     "race-helper",
				     &error))
		return ap_race_fail(error);
	g_print("%s\n", booking->reference);
	return EXIT_SUCCESS;
}
