/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <gio/gio.h>
#include <string.h>

#include "ap-error.h"
#include "ap-sqlite-store.h"
#include "ap-test-util.h"

/*
 * No double booking across processes: many race-helper processes, each
 * with its own connection to one database file, are let go at the same
 * moment at the same slot. Exactly as many may win as there are experts,
 * the rest must hear CONFLICT, and the database must hold exactly the
 * winners.
 */

/* exit status of race-helper when the slot was taken */
#define AP_RACE_EXIT_CONFLICT 3

typedef struct {
	gchar *dir;
	gchar *path;
	gchar *helper;
	ApStore *store;
	gint64 expert_a;
	gint64 expert_b;
} Fixture;

static void
fixture_set_up(Fixture *f, gconstpointer user_data)
{
	f->helper = g_test_build_filename(G_TEST_BUILT, "race-helper", NULL);
	g_assert_true(g_file_test(f->helper, G_FILE_TEST_IS_EXECUTABLE));
	f->dir = ap_test_make_dir();
	f->path = g_build_filename(f->dir, "appoint.db", NULL);
	f->store = ap_test_store_open(f->path);
	f->expert_a =
		ap_test_add_expert(f->store, "a@example.com", "personal-styling", G_DATE_FRIDAY);
	f->expert_b =
		ap_test_add_expert(f->store, "b@example.com", "personal-styling", G_DATE_FRIDAY);
}

static void
fixture_tear_down(Fixture *f, gconstpointer user_data)
{
	g_clear_object(&f->store);
	ap_test_remove_dir(f->dir);
	g_free(f->helper);
	g_free(f->path);
	g_free(f->dir);
}

/* runs @n helpers for @experts at @start; returns the winners' references */
static GPtrArray *
race(Fixture *f, guint n, const gchar *experts, gint64 start)
{
	g_autoptr(GPtrArray) procs = g_ptr_array_new_with_free_func(g_object_unref);
	g_autoptr(GPtrArray) winners = g_ptr_array_new_with_free_func(g_free);
	g_autofree gchar *start_text = g_strdup_printf("%" G_GINT64_FORMAT, start);
	const gchar *argv[] = {f->helper, f->path, experts, start_text, NULL};
	guint conflicts = 0;

	/* every helper opens its connection first and waits on stdin */
	for (guint i = 0; i < n; i++) {
		g_autoptr(GError) error = NULL;
		GSubprocess *proc = g_subprocess_newv(argv,
						      G_SUBPROCESS_FLAGS_STDIN_PIPE |
							      G_SUBPROCESS_FLAGS_STDOUT_PIPE |
							      G_SUBPROCESS_FLAGS_STDERR_PIPE,
						      &error);
		g_assert_no_error(error);
		g_ptr_array_add(procs, proc);
	}
	/* then all go at once */
	for (guint i = 0; i < n; i++) {
		g_autoptr(GError) error = NULL;
		GOutputStream *in = g_subprocess_get_stdin_pipe(g_ptr_array_index(procs, i));
		/* a pipe stream is unbuffered: the line is there at once;
		 * communicate() closes the pipe later */
		g_output_stream_write_all(in, "go\n", 3, NULL, NULL, &error);
		g_assert_no_error(error);
	}
	for (guint i = 0; i < n; i++) {
		g_autoptr(GError) error = NULL;
		g_autofree gchar *out = NULL;
		g_autofree gchar *err = NULL;
		GSubprocess *proc = g_ptr_array_index(procs, i);
		gint status;

		g_subprocess_communicate_utf8(proc, NULL, NULL, &out, &err, &error);
		g_assert_no_error(error);
		g_assert_true(g_subprocess_get_if_exited(proc));
		status = g_subprocess_get_exit_status(proc);
		if (status == 0) {
			g_strstrip(out);
			g_assert_cmpuint(strlen(out), ==, AP_REFERENCE_LENGTH);
			g_ptr_array_add(winners, g_steal_pointer(&out));
		} else if (status == AP_RACE_EXIT_CONFLICT) {
			g_assert_nonnull(strstr(err, "no longer free"));
			conflicts++;
		} else {
			g_test_message("race-helper failed (%d): %s", status, err);
			g_assert_cmpint(status, ==, 0);
		}
	}
	g_assert_cmpuint(winners->len + conflicts, ==, n);
	return g_steal_pointer(&winners);
}

/* the active bookings starting at @start */
static GPtrArray *
active_at(Fixture *f, gint64 start)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) found = NULL;
	g_autoptr(GPtrArray) active =
		g_ptr_array_new_with_free_func((GDestroyNotify)ap_booking_free);
	ApBookingQuery q = {.from = start, .to = start + 1, .limit = 100};

	found = ap_store_bookings_search(f->store, &q, &error);
	g_assert_no_error(error);
	for (guint i = 0; i < found->len; i++) {
		ApBooking *b = g_ptr_array_index(found, i);
		if (ap_booking_is_active(b))
			g_ptr_array_add(active, ap_booking_copy(b));
	}
	return g_steal_pointer(&active);
}

static void
assert_one_winner(Fixture *f, guint n, gint64 start)
{
	g_autofree gchar *experts = g_strdup_printf("%" G_GINT64_FORMAT, f->expert_a);
	g_autoptr(GPtrArray) winners = race(f, n, experts, start);
	g_autoptr(GPtrArray) active = active_at(f, start);
	ApBooking *b;

	g_assert_cmpuint(winners->len, ==, 1);
	g_assert_cmpuint(active->len, ==, 1);
	b = g_ptr_array_index(active, 0);
	g_assert_cmpstr(b->reference, ==, g_ptr_array_index(winners, 0));
	g_assert_cmpint(b->expert_id, ==, f->expert_a);
}

static void
test_race_two(Fixture *f, gconstpointer user_data)
{
	assert_one_winner(f, 2, ap_test_at(4, 9, 0));
	assert_one_winner(f, 2, ap_test_at(4, 10, 0));
}

static void
test_race_sixteen(Fixture *f, gconstpointer user_data)
{
	/* several rounds, each at its own slot; the buffers of neighbours
	 * (45 minutes and 15 after) keep them apart */
	for (gint round = 0; round < 5; round++)
		assert_one_winner(f, 16, ap_test_at(5, 9 + round, 0));
}

static void
test_race_overlap(Fixture *f, gconstpointer user_data)
{
	g_autofree gchar *experts = g_strdup_printf("%" G_GINT64_FORMAT, f->expert_a);
	g_autoptr(GPtrArray) winners = NULL;
	g_autoptr(GPtrArray) active = NULL;

	/* a start inside the session just won: nobody gets it */
	assert_one_winner(f, 16, ap_test_at(5, 9, 0));
	winners = race(f, 16, experts, ap_test_at(5, 9, 30));
	active = active_at(f, ap_test_at(5, 9, 30));
	g_assert_cmpuint(winners->len, ==, 0);
	g_assert_cmpuint(active->len, ==, 0);
}

static void
test_race_any_expert(Fixture *f, gconstpointer user_data)
{
	g_autofree gchar *experts =
		g_strdup_printf("%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT, f->expert_a, f->expert_b);
	g_autoptr(GPtrArray) winners = race(f, 16, experts, ap_test_at(6, 11, 0));
	g_autoptr(GPtrArray) active = active_at(f, ap_test_at(6, 11, 0));
	ApBooking *x, *y;

	/* two experts, two winners, one each */
	g_assert_cmpuint(winners->len, ==, 2);
	g_assert_cmpuint(active->len, ==, 2);
	x = g_ptr_array_index(active, 0);
	y = g_ptr_array_index(active, 1);
	g_assert_cmpint(MIN(x->expert_id, y->expert_id), ==, f->expert_a);
	g_assert_cmpint(MAX(x->expert_id, y->expert_id), ==, f->expert_b);
	g_assert_true(g_strv_contains((const gchar *const[]){g_ptr_array_index(winners, 0),
							     g_ptr_array_index(winners, 1),
							     NULL},
				      x->reference));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) g_test_add(path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
	ADD("/race/two", test_race_two);
	ADD("/race/sixteen", test_race_sixteen);
	ADD("/race/overlap", test_race_overlap);
	ADD("/race/any-expert", test_race_any_expert);
#undef ADD
	return g_test_run();
}
