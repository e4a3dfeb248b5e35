/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApWeb"

#include "ap-web-deadline.h"

/*
 * Every request must arrive whole within the same number of seconds, so
 * deadlines fall due in the order requests start: a queue, oldest first,
 * watched by one timer for its head. That costs a queue link a request,
 * where a timer of its own would cost a GSource made, attached and
 * destroyed for each; requests that arrive in time (nearly all) leave the
 * queue before the timer ever looks at them.
 */

/* as G_DEFINE_QUARK() would, but private to this file; only the main
 * loop's thread asks for it */
static GQuark
ap_web_deadline_quark(void)
{
	static GQuark quark;

	if (G_UNLIKELY(quark == 0))
		quark = g_quark_from_static_string("ap-web-deadline");
	return quark;
}

struct _ApWebDeadlines {
	GQueue queue; /* of ApWebDeadline, by due */
	gint64 span;  /* microseconds */
	ApWebDeadlineFunc expired;
	gpointer user_data;
	GSource *timer;
	gint64 timer_due;
};

typedef struct {
	GList link; /* data: the ApWebDeadline itself */
	ApWebDeadlines *owner;
	GObject *request; /* not a reference: this lives in its qdata */
	gint64 due;
} ApWebDeadline;

/**
 * ap_web_deadlines_new:
 * @seconds: how long each request has
 * @expired: called with each request still unread when its time is up;
 *   it may drop the request, but not free the set
 *
 * Returns: (transfer full): an empty set of deadlines
 */
ApWebDeadlines *
ap_web_deadlines_new(guint seconds, ApWebDeadlineFunc expired, gpointer user_data)
{
	ApWebDeadlines *self = g_new0(ApWebDeadlines, 1);

	g_queue_init(&self->queue);
	self->span = (gint64)MAX(seconds, 1) * G_USEC_PER_SEC;
	self->expired = expired;
	self->user_data = user_data;
	return self;
}

/* the request is gone, or read in time: out of the queue */
static void
ap_web_deadline_free(gpointer data)
{
	ApWebDeadline *deadline = data;

	if (deadline->owner != NULL)
		g_queue_unlink(&deadline->owner->queue, &deadline->link);
	g_free(deadline);
}

void
ap_web_deadlines_free(ApWebDeadlines *self)
{
	GList *link;

	if (self == NULL)
		return;
	while ((link = g_queue_pop_head_link(&self->queue)) != NULL) {
		ApWebDeadline *deadline = link->data;
		/* the request outlives this set: its node stays in its qdata,
		 * to be freed with it, and no longer reaches back */
		deadline->owner = NULL;
	}
	if (self->timer != NULL) {
		g_source_destroy(self->timer);
		g_source_unref(self->timer);
	}
	g_free(self);
}

static gboolean
ap_web_deadlines_fire_cb(gpointer user_data);

/* the timer, set for the head of the queue, if not set already for then
 * or sooner */
static void
ap_web_deadlines_arm(ApWebDeadlines *self)
{
	ApWebDeadline *head = g_queue_peek_head(&self->queue);
	gint64 wait;

	if (head == NULL || (self->timer != NULL && self->timer_due <= head->due))
		return;
	if (self->timer != NULL) {
		g_source_destroy(self->timer);
		g_source_unref(self->timer);
	}
	wait = MAX(head->due - g_get_monotonic_time(), 0);
	self->timer = g_timeout_source_new((guint)((wait + 999) / 1000));
	self->timer_due = head->due;
	g_source_set_callback(self->timer, ap_web_deadlines_fire_cb, self, NULL);
	g_source_set_static_name(self->timer, "[appoint] request deadlines");
	g_source_attach(self->timer, g_main_context_get_thread_default());
}

static gboolean
ap_web_deadlines_fire_cb(gpointer user_data)
{
	ApWebDeadlines *self = user_data;
	gint64 now = g_get_monotonic_time();
	ApWebDeadline *head;

	g_clear_pointer(&self->timer, g_source_unref);
	while ((head = g_queue_peek_head(&self->queue)) != NULL && head->due <= now) {
		GObject *request = head->request;

		/* out of the queue first: what @expired does may drop the
		 * request, and its qdata with it */
		g_object_set_qdata(request, ap_web_deadline_quark(), NULL);
		self->expired(request, self->user_data);
	}
	ap_web_deadlines_arm(self);
	return G_SOURCE_REMOVE;
}

/**
 * ap_web_deadlines_start:
 * @request: a request whose first bytes are arriving
 *
 * From now, @request has the set's seconds to arrive whole; starting it
 * again starts its time again.
 */
void
ap_web_deadlines_start(ApWebDeadlines *self, GObject *request)
{
	ApWebDeadline *deadline = g_new0(ApWebDeadline, 1);

	deadline->link.data = deadline;
	deadline->owner = self;
	deadline->request = request;
	deadline->due = g_get_monotonic_time() + self->span;
	/* replacing an earlier deadline unlinks it first */
	g_object_set_qdata_full(request, ap_web_deadline_quark(), deadline, ap_web_deadline_free);
	g_queue_push_tail_link(&self->queue, &deadline->link);
	ap_web_deadlines_arm(self);
}

/**
 * ap_web_deadlines_stop:
 * @request: a request that has arrived whole, or is answered already
 */
void
ap_web_deadlines_stop(ApWebDeadlines *self, GObject *request)
{
	g_object_set_qdata(request, ap_web_deadline_quark(), NULL);
}

/**
 * ap_web_deadlines_get_n_pending:
 *
 * Returns: how many requests are still being waited for
 */
guint
ap_web_deadlines_get_n_pending(ApWebDeadlines *self)
{
	return self->queue.length;
}
