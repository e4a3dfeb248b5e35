/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * How long the slot engine takes for the two questions the web pages ask
 * most: one expert's next two months, and a week of everyone who gives a
 * service. Prints the best of several repetitions, each long enough to
 * smooth out the clock.
 */

#define G_LOG_DOMAIN "bench-slots"

#include "ap-slots.h"
#include "ap-time.h"

#include <stdlib.h>

#define BENCH_SERVICE_ID       "personal-styling"
#define BENCH_REPETITIONS      5
#define BENCH_MIN_REPETITION   (G_USEC_PER_SEC / 2)
#define BENCH_BOOKED_PER_MILLE 300

typedef struct {
	ApService *service;
	GPtrArray *experts; /* of ApExpert */
	GArray *busy;	    /* of ApBusy, of every expert */
	ApSlotWindow window;
} BenchCase;

static ApExpert *
bench_expert_new(gint64 id)
{
	ApExpert *expert = ap_expert_new();

	expert->id = id;
	expert->name = g_strdup_printf("Expert %" G_GINT64_FORMAT, id);
	if (!ap_expert_set_timezone(expert, "Europe/London", NULL))
		g_assert_not_reached();
	g_ptr_array_add(expert->services, g_strdup(BENCH_SERVICE_ID));
	for (GDateWeekday d = G_DATE_MONDAY; d <= G_DATE_SATURDAY; d++) {
		if (!ap_weekly_hours_add(expert->hours, d, 9 * 60, 17 * 60 + 30, NULL))
			g_assert_not_reached();
	}
	return expert;
}

/* books back-to-back sessions through each working day, each with a
 * probability of 30 % */
static void
bench_book(BenchCase *bench, ApExpert *expert, const GDate *first, guint n_days, GRand *rand)
{
	GTimeZone *tz = ap_expert_get_tz(expert);
	guint duration = bench->service->duration_minutes;
	GDate date = *first;

	for (guint i = 0; i < n_days; i++, g_date_add_days(&date, 1)) {
		GArray *ranges = ap_expert_get_ranges(expert, &date);
		for (guint r = 0; r < ranges->len; r++) {
			const ApTimeRange *range = &g_array_index(ranges, ApTimeRange, r);
			for (guint m = range->start; m + duration <= range->end; m += duration) {
				ApBusy busy = {.expert_id = expert->id};
				if (g_rand_int_range(rand, 0, 1000) >= BENCH_BOOKED_PER_MILLE)
					continue;
				if (!ap_local_to_instant(tz, &date, (gint)m, &busy.start))
					continue;
				busy.booking_id = bench->busy->len + 1;
				busy.service_id = g_intern_string(BENCH_SERVICE_ID);
				busy.end = busy.start + (gint64)duration * 60;
				ap_slots_block(bench->service,
					       busy.start,
					       busy.end,
					       &busy.block_start,
					       &busy.block_end);
				g_array_append_val(bench->busy, busy);
			}
		}
	}
}

static void
bench_case_init(BenchCase *bench, guint n_experts, guint n_days)
{
	g_autoptr(GRand) rand = g_rand_new_with_seed(42);
	g_autoptr(GTimeZone) tz = g_time_zone_new_identifier("Europe/London");
	GDate first, last;
	gint64 ignored;

	bench->service = ap_service_new(BENCH_SERVICE_ID);
	bench->service->duration_minutes = 45;
	bench->service->step_minutes = 15;
	bench->service->min_notice_minutes = 0;
	bench->service->horizon_days = 365;
	bench->experts = g_ptr_array_new_with_free_func((GDestroyNotify)ap_expert_unref);
	bench->busy = g_array_new(FALSE, FALSE, sizeof(ApBusy));

	/* from Monday 4 January 2027, so that 60 days reach past the
	 * spring clock change */
	g_date_clear(&first, 1);
	g_date_set_dmy(&first, 4, G_DATE_JANUARY, 2027);
	last = first;
	g_date_add_days(&last, n_days - 1);
	ap_local_day_bounds(tz, &first, &bench->window.from, &ignored);
	ap_local_day_bounds(tz, &last, &ignored, &bench->window.to);
	bench->window.now = bench->window.from - 86400;

	for (guint i = 0; i < n_experts; i++) {
		ApExpert *expert = bench_expert_new(i + 1);
		bench_book(bench, expert, &first, n_days, rand);
		g_ptr_array_add(bench->experts, expert);
	}
}

static void
bench_case_clear(BenchCase *bench)
{
	g_clear_pointer(&bench->service, ap_service_unref);
	g_clear_pointer(&bench->experts, g_ptr_array_unref);
	g_clear_pointer(&bench->busy, g_array_unref);
}

/* what the engine does for a list of slots; returns how many */
static guint
bench_compute(BenchCase *bench)
{
	g_autoptr(GArray) offers = g_array_new(FALSE, FALSE, sizeof(ApSlotOffer));
	g_autoptr(GPtrArray) slots = NULL;

	for (guint i = 0; i < bench->experts->len; i++) {
		g_autoptr(GArray) mine = ap_slots_for_expert(bench->service,
							     g_ptr_array_index(bench->experts, i),
							     &bench->window,
							     (const ApBusy *)bench->busy->data,
							     bench->busy->len);
		g_array_append_vals(offers, mine->data, mine->len);
	}
	slots = ap_slots_merge(offers);
	return slots->len;
}

static void
bench_run(const gchar *label, guint n_experts, guint n_days)
{
	BenchCase bench = {0};
	gdouble best = G_MAXDOUBLE;
	guint n_slots;

	bench_case_init(&bench, n_experts, n_days);
	n_slots = bench_compute(&bench);
	for (guint r = 0; r < BENCH_REPETITIONS; r++) {
		gint64 start = g_get_monotonic_time();
		gint64 elapsed;
		guint n = 0;
		do {
			bench_compute(&bench);
			n++;
			elapsed = g_get_monotonic_time() - start;
		} while (elapsed < BENCH_MIN_REPETITION);
		best = MIN(best, (gdouble)elapsed / n);
	}
	g_print("slots %s: %.1f us per computation (%u slots, %u bookings)\n",
		label,
		best,
		n_slots,
		bench.busy->len);
	bench_case_clear(&bench);
}

int
main(int argc, char **argv)
{
	bench_run("1 expert x 60 days", 1, 60);
	bench_run("50 experts x 7 days", 50, 7);
	return EXIT_SUCCESS;
}
