/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApWeb"

#include "ap-web-writer.h"

#include "ap-error.h"
#include "ap-sqlite-store.h"

/* the most writes one commit holds: a burst beyond it is the next
 * commit's, so that the first of them are not kept waiting for the last */
#define AP_WEB_WRITER_MAX_BATCH 256

/* the most writes waiting at once: beyond it a booking is refused (503,
 * try again) rather than held while the disk or a lock keeps the writer */
#define AP_WEB_WRITER_MAX_QUEUED 2048

typedef struct {
	ApWebRequest *req; /* held: see ap_web_request_hold() */
	ApWebWriteFunc write;
	ApWebWrittenFunc written;
	gpointer data;
	GDestroyNotify data_free;
	gchar *address; /* (nullable): the client's, for the history */
	/* set on the writer's thread */
	gboolean ok;   /* the write succeeded */
	gboolean lost; /* not stored: its batch did not begin or commit */
	GError *error;
} ApWebWriterJob;

struct _ApWebWriter {
	ApEngine *engine; /* the main loop's */
	GThread *thread;
	GAsyncQueue *jobs; /* to the thread */
	GMutex lock;
	GQueue done; /* from the thread, under lock */
	GSource *done_source;
	guint queued; /* given to the thread, not yet answered; main loop */
};

/* what tells the thread to stop: what it has begun is finished, what
 * waits is not begun (a write that can no longer be answered is better
 * not made: the client will try again) */
static ApWebWriterJob ap_web_writer_stop;

static void
ap_web_writer_job_free(ApWebWriterJob *job)
{
	g_clear_pointer(&job->req, ap_web_request_release);
	if (job->data_free != NULL)
		job->data_free(job->data);
	g_free(job->address);
	g_clear_error(&job->error);
	g_free(job);
}

/* on the writer's thread: none of @batch is written, each is told so
 * (503, try again); a database busy for longer than SQLite's busy
 * timeout, say, or one that cannot be opened */
static void
ap_web_writer_fail(GPtrArray *batch, const GError *error)
{
	g_warning("a batch of %u write(s) could not be stored: %s", batch->len, error->message);
	for (guint i = 0; i < batch->len; i++) {
		ApWebWriterJob *job = g_ptr_array_index(batch, i);

		job->lost = TRUE;
	}
}

/* on the writer's thread; %FALSE if the batch could not begin */
static gboolean
ap_web_writer_run(ApEngine *engine, GPtrArray *batch)
{
	ApStore *store = ap_engine_get_store(engine);
	g_autoptr(GError) error = NULL;

	/* rather than each write waiting out the busy timeout in turn */
	if (!ap_store_batch_begin(store, &error)) {
		ap_web_writer_fail(batch, error);
		return FALSE;
	}
	for (guint i = 0; i < batch->len; i++) {
		ApWebWriterJob *job = g_ptr_array_index(batch, i);

		ap_store_audit_set_address(job->address);
		job->ok = job->write(engine, job->data, &job->error);
		if (!job->ok && job->error == NULL)
			job->error = g_error_new_literal(
				AP_ERROR, AP_ERROR_STORE, "the write failed and said nothing");
	}
	ap_store_audit_set_address(NULL);
	/* a failed commit undoes every write of the batch, and what one of
	 * them answered may have come of another's (a 409 for a slot taken in
	 * this batch): all are told to try again */
	if (!ap_store_batch_commit(store, &error))
		ap_web_writer_fail(batch, error);
	return TRUE;
}

/* on the writer's thread: its own connection and engine (and so its own
 * catalogue), opened again for the next batch if they could not be */
static ApEngine *
ap_web_writer_open(ApWebWriter *self, GError **error)
{
	const ApConfig *config = ap_engine_get_config(self->engine);
	g_autoptr(ApStore) store = ap_sqlite_store_new(config->database_path, error);

	if (store == NULL)
		return NULL;
	/* the engine only reads the configuration */
	return ap_engine_new((ApConfig *)config, store, error);
}

static void
ap_web_writer_done(ApWebWriter *self, GPtrArray *batch)
{
	g_mutex_lock(&self->lock);
	for (guint i = 0; i < batch->len; i++)
		g_queue_push_tail(&self->done, g_ptr_array_index(batch, i));
	g_mutex_unlock(&self->lock);
	g_source_set_ready_time(self->done_source, 0);
}

static gpointer
ap_web_writer_thread(gpointer data)
{
	ApWebWriter *self = data;
	g_autoptr(ApEngine) engine = NULL;

	for (;;) {
		g_autoptr(GPtrArray) batch = g_ptr_array_new();
		ApWebWriterJob *job = g_async_queue_pop(self->jobs);

		if (job == &ap_web_writer_stop)
			break;
		/* with what arrived while the last batch was being committed */
		while (job != NULL && job != &ap_web_writer_stop) {
			g_ptr_array_add(batch, job);
			job = batch->len < AP_WEB_WRITER_MAX_BATCH
				      ? g_async_queue_try_pop(self->jobs)
				      : NULL;
		}
		if (job == &ap_web_writer_stop)
			g_async_queue_push_front(self->jobs, job);
		if (engine == NULL) {
			g_autoptr(GError) error = NULL;

			engine = ap_web_writer_open(self, &error);
			if (engine == NULL)
				ap_web_writer_fail(batch, error);
		}
		/* a batch that could not begin: what waits behind it would wait
		 * as long, and is told at once to try again */
		if (engine != NULL && !ap_web_writer_run(engine, batch)) {
			while ((job = g_async_queue_try_pop(self->jobs)) != NULL &&
			       job != &ap_web_writer_stop) {
				job->lost = TRUE;
				g_ptr_array_add(batch, job);
			}
			if (job == &ap_web_writer_stop)
				g_async_queue_push_front(self->jobs, job);
		}
		ap_web_writer_done(self, batch);
	}
	return NULL;
}

static gboolean
ap_web_writer_done_dispatch(GSource *source, GSourceFunc callback, gpointer user_data)
{
	ApWebWriter *self = user_data;
	GQueue done = G_QUEUE_INIT;
	gboolean committed = FALSE;

	/* before taking what is done: a batch done meanwhile sets it again */
	g_source_set_ready_time(source, -1);
	g_mutex_lock(&self->lock);
	done = self->done;
	g_queue_init(&self->done);
	g_mutex_unlock(&self->lock);
	for (GList *l = done.head; l != NULL; l = l->next) {
		ApWebWriterJob *job = l->data;

		if (job->lost)
			ap_web_problem_not_stored(job->req->msg);
		else
			job->written(job->req, job->data, job->ok ? NULL : job->error);
		committed |= job->ok && !job->lost;
		self->queued--;
	}
	/* what the batches wrote to the outbox can go now */
	if (committed)
		ap_engine_notify_committed(self->engine);
	g_queue_clear_full(&done, (GDestroyNotify)ap_web_writer_job_free);
	return G_SOURCE_CONTINUE;
}

static GSourceFuncs ap_web_writer_done_funcs = {
	.dispatch = ap_web_writer_done_dispatch,
};

/**
 * ap_web_writer_new:
 * @engine: the main loop's engine, for its configuration and to be told
 *   what was committed
 *
 * Starts the writer's thread, answering on the thread-default main
 * context of the caller. Its connection is opened with the first write.
 *
 * Returns: (transfer full): the writer
 */
ApWebWriter *
ap_web_writer_new(ApEngine *engine)
{
	ApWebWriter *self = g_new0(ApWebWriter, 1);
	g_autoptr(GMainContext) context = g_main_context_ref_thread_default();

	self->engine = g_object_ref(engine);
	self->jobs = g_async_queue_new();
	g_mutex_init(&self->lock);
	g_queue_init(&self->done);
	self->done_source = g_source_new(&ap_web_writer_done_funcs, sizeof(GSource));
	g_source_set_callback(self->done_source, NULL, self, NULL);
	g_source_set_name(self->done_source, "writes committed");
	g_source_attach(self->done_source, context);
	self->thread = g_thread_new("writer", ap_web_writer_thread, self);
	return self;
}

/**
 * ap_web_writer_free:
 *
 * Finishes the batch being written, answers it, and stops the thread;
 * what had not begun is answered 503 (try again), nothing of it stored.
 */
void
ap_web_writer_free(ApWebWriter *self)
{
	if (self == NULL)
		return;
	g_async_queue_push_front(self->jobs, &ap_web_writer_stop);
	g_thread_join(self->thread);
	for (ApWebWriterJob *job; (job = g_async_queue_try_pop(self->jobs)) != NULL;) {
		if (job == &ap_web_writer_stop)
			continue;
		job->lost = TRUE;
		g_mutex_lock(&self->lock);
		g_queue_push_tail(&self->done, job);
		g_mutex_unlock(&self->lock);
	}
	ap_web_writer_done_dispatch(self->done_source, NULL, self);
	g_source_destroy(self->done_source);
	g_source_unref(self->done_source);
	g_async_queue_unref(self->jobs);
	g_mutex_clear(&self->lock);
	g_object_unref(self->engine);
	g_free(self);
}

/**
 * ap_web_writer_add:
 * @req: the request; it is paused until answered
 * @write: (scope async): writes @data, on the writer's thread
 * @written: (scope async): answers @req, on the main loop
 * @data: (transfer full): what @write needs; nothing the main loop
 *   touches until @written is called
 * @data_free: (nullable): frees @data, on the main loop
 *
 * Hands @data to the writer's thread; @req is answered by @written once
 * the write is on disk, or failed.
 */
void
ap_web_writer_add(ApWebWriter *self,
		  ApWebRequest *req,
		  ApWebWriteFunc write,
		  ApWebWrittenFunc written,
		  gpointer data,
		  GDestroyNotify data_free)
{
	ApWebWriterJob *job;

	if (self->queued >= AP_WEB_WRITER_MAX_QUEUED) {
		if (data_free != NULL)
			data_free(data);
		soup_message_headers_replace(
			soup_server_message_get_response_headers(req->msg), "Retry-After", "5");
		ap_web_respond_problem(req,
				       SOUP_STATUS_SERVICE_UNAVAILABLE,
				       "too many changes at once; try again");
		return;
	}
	self->queued++;
	job = g_new0(ApWebWriterJob, 1);
	job->req = ap_web_request_hold(req);
	job->write = write;
	job->written = written;
	job->data = data;
	job->data_free = data_free;
	job->address = g_strdup(ap_store_audit_get_address());
	g_async_queue_push(self->jobs, job);
	/* cppcheck-suppress memleak ; the queue owns job now */
}
