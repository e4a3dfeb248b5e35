/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "ap-web-deadline.h"

typedef struct {
	GPtrArray *expired; /* of GObject, not owned */
	GMainLoop *loop;
	guint wanted;
} ApDeadlineRun;

static void
ap_deadline_expired_cb(GObject *request, gpointer user_data)
{
	ApDeadlineRun *run = user_data;

	g_ptr_array_add(run->expired, request);
	if (run->expired->len == run->wanted)
		g_main_loop_quit(run->loop);
}

static gboolean
ap_deadline_give_up_cb(gpointer user_data)
{
	ApDeadlineRun *run = user_data;

	g_main_loop_quit(run->loop);
	return G_SOURCE_REMOVE;
}

/* runs the loop until @wanted requests have expired, or 5 s have gone */
static void
ap_deadline_wait(ApDeadlineRun *run, guint wanted)
{
	guint give_up = g_timeout_add_seconds(5, ap_deadline_give_up_cb, run);

	run->wanted = wanted;
	g_main_loop_run(run->loop);
	g_source_remove(give_up);
}

/* only the request not read in time is named, once, after its time */
static void
test_web_deadline_expires(void)
{
	ApDeadlineRun run = {g_ptr_array_new(), g_main_loop_new(NULL, FALSE), 0};
	g_autoptr(ApWebDeadlines) deadlines = ap_web_deadlines_new(1, ap_deadline_expired_cb, &run);
	g_autoptr(GObject) slow = g_object_new(G_TYPE_OBJECT, NULL);
	g_autoptr(GObject) read = g_object_new(G_TYPE_OBJECT, NULL);
	gint64 started = g_get_monotonic_time();

	ap_web_deadlines_start(deadlines, slow);
	ap_web_deadlines_start(deadlines, read);
	g_assert_cmpuint(ap_web_deadlines_get_n_pending(deadlines), ==, 2);
	ap_web_deadlines_stop(deadlines, read);
	ap_web_deadlines_stop(deadlines, read);
	g_assert_cmpuint(ap_web_deadlines_get_n_pending(deadlines), ==, 1);
	ap_deadline_wait(&run, 1);
	g_assert_cmpuint(run.expired->len, ==, 1);
	g_assert_true(g_ptr_array_index(run.expired, 0) == slow);
	g_assert_cmpint(g_get_monotonic_time() - started, >=, G_USEC_PER_SEC);
	g_assert_cmpuint(ap_web_deadlines_get_n_pending(deadlines), ==, 0);
	/* a request started again has its time again, and expires again */
	ap_web_deadlines_start(deadlines, read);
	ap_web_deadlines_start(deadlines, read);
	g_assert_cmpuint(ap_web_deadlines_get_n_pending(deadlines), ==, 1);
	ap_deadline_wait(&run, 2);
	g_assert_cmpuint(run.expired->len, ==, 2);
	g_assert_true(g_ptr_array_index(run.expired, 1) == read);
	g_ptr_array_unref(run.expired);
	g_main_loop_unref(run.loop);
}

/* a request that goes away leaves the queue with it */
static void
test_web_deadline_request_gone(void)
{
	ApDeadlineRun run = {g_ptr_array_new(), g_main_loop_new(NULL, FALSE), 0};
	g_autoptr(ApWebDeadlines) deadlines = ap_web_deadlines_new(1, ap_deadline_expired_cb, &run);
	GObject *gone = g_object_new(G_TYPE_OBJECT, NULL);
	g_autoptr(GObject) kept = g_object_new(G_TYPE_OBJECT, NULL);

	ap_web_deadlines_start(deadlines, gone);
	ap_web_deadlines_start(deadlines, kept);
	g_object_unref(gone);
	g_assert_cmpuint(ap_web_deadlines_get_n_pending(deadlines), ==, 1);
	ap_deadline_wait(&run, 1);
	g_assert_cmpuint(run.expired->len, ==, 1);
	g_assert_true(g_ptr_array_index(run.expired, 0) == kept);
	g_ptr_array_unref(run.expired);
	g_main_loop_unref(run.loop);
}

/* requests may outlive the set: nothing reaches back into it then, not
 * when they are stopped nor when they go (ASan would see it) */
static void
test_web_deadline_set_gone(void)
{
	ApWebDeadlines *deadlines = ap_web_deadlines_new(60, NULL, NULL);
	GObject *stopped = g_object_new(G_TYPE_OBJECT, NULL);
	GObject *dropped = g_object_new(G_TYPE_OBJECT, NULL);

	ap_web_deadlines_start(deadlines, stopped);
	ap_web_deadlines_start(deadlines, dropped);
	ap_web_deadlines_free(deadlines);
	g_object_set_data(stopped, "ap-web-deadline", NULL);
	g_assert_null(g_object_get_data(stopped, "ap-web-deadline"));
	g_object_unref(stopped);
	g_object_unref(dropped);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/web-deadline/expires", test_web_deadline_expires);
	g_test_add_func("/web-deadline/request-gone", test_web_deadline_request_gone);
	g_test_add_func("/web-deadline/set-gone", test_web_deadline_set_gone);
	return g_test_run();
}
