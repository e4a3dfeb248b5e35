/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApWeb"

#include "ap-web-slots-worker.h"

#include "ap-sqlite-store.h"
#include "ap-thread.h"
#include "ap-web-views.h"

/*
 * Slots are computed on a thread of their own, with its own connection
 * to the database and its own engine (and so its own catalogue), so that
 * the main loop never waits for them: at a thousand experts a week of
 * one service takes some 100 ms to compute, and every booking anywhere
 * makes every kept answer old. Meanwhile the main loop goes on answering
 * everything else; the requests waiting for the slots are paused.
 *
 * A question already being computed for is not computed twice: whoever
 * asks it again, since the last change, waits for the same answer.
 */

typedef struct {
	ApWebSlotsAnswerFunc func;
	gpointer user_data;
	gint64 asked_at;
} ApWebSlotsWaiter;

typedef struct {
	gchar *key; /* (nullable): the answer is not kept */
	ApWebSlotsQuestion question;
	guint64 asked_generation; /* the main loop's, when asked */
	gint64 now;		  /* the instant the slots are computed for */
	GArray *waiters;	  /* ApWebSlotsWaiter, on the main loop */
	/* set by the worker's thread */
	GBytes *body;
	GError *error;
	guint64 generation; /* its connection's, read before the slots */
	gint64 valid_until;
} ApWebSlotsJob;

typedef struct {
	ApWebSlotsWorker *worker;
	gchar *key;
	ApWebSlotsQuestion question;
	guint64 generation; /* the store's when the kept answer was computed */
	gint64 at;	    /* the instant that answer ends */
	GSource *timer;
} ApWebSlotsPlan;

struct _ApWebSlotsWorker {
	const ApConfig *config;
	ApEngine *engine;    /* not owned: the main loop's, for its generation */
	GHashTable *planned; /* key -> ApWebSlotsPlan, on the main loop */
	ApWebCache *cache;   /* not owned: the server's */
	GThread *thread;
	GAsyncQueue *jobs; /* to the thread */
	GMutex lock;
	GQueue done; /* from the thread, under lock */
	GSource *done_source;
	GHashTable *computing; /* key -> ApWebSlotsJob, on the main loop */
	guint64 computed;
	guint queued;	  /* jobs given to the thread, not yet finished */
	gboolean stopped; /* the thread is gone */
};

/* what tells the thread to stop */
static ApWebSlotsJob ap_web_slots_stop;

void
ap_web_slots_question_clear(ApWebSlotsQuestion *question)
{
	g_clear_pointer(&question->service_id, g_free);
	g_clear_pointer(&question->timezone, g_free);
	g_clear_pointer(&question->tz, g_time_zone_unref);
}

static void
ap_web_slots_question_copy(ApWebSlotsQuestion *to, const ApWebSlotsQuestion *from)
{
	*to = *from;
	to->service_id = g_strdup(from->service_id);
	to->timezone = g_strdup(from->timezone);
	to->tz = g_time_zone_ref(from->tz);
}

static ApWebSlotsJob *
ap_web_slots_job_new(const gchar *key,
		     const ApWebSlotsQuestion *question,
		     guint64 generation,
		     gint64 now)
{
	ApWebSlotsJob *job = g_new0(ApWebSlotsJob, 1);

	job->key = g_strdup(key);
	ap_web_slots_question_copy(&job->question, question);
	job->asked_generation = generation;
	job->now = now;
	job->waiters = g_array_new(FALSE, FALSE, sizeof(ApWebSlotsWaiter));
	return job;
}

static void
ap_web_slots_job_free(ApWebSlotsJob *job)
{
	g_free(job->key);
	ap_web_slots_question_clear(&job->question);
	g_array_unref(job->waiters);
	g_clear_pointer(&job->body, g_bytes_unref);
	g_clear_error(&job->error);
	g_free(job);
}

/* on the worker's thread */
static void
ap_web_slots_job_run(ApWebSlotsJob *job, ApEngine *engine)
{
	const ApWebSlotsQuestion *q = &job->question;
	g_autoptr(GPtrArray) slots = NULL;

	/* read before the slots, so that an answer is never kept under a
	 * generation newer than what it was computed from */
	job->generation = ap_store_get_generation(ap_engine_get_store(engine));
	ap_engine_set_now(engine, job->now);
	slots = ap_engine_list_slots(engine,
				     q->service_id,
				     &q->from,
				     &q->to,
				     q->timezone,
				     q->expert_id,
				     &job->valid_until,
				     &job->error);
	if (slots == NULL)
		return;
	job->body = ap_web_view_slots(slots, q->tz);
}

/* on the worker's thread: its own connection and engine, opened again
 * at the next question if they could not be (a database locked by
 * appointctl for longer than the busy timeout, say) */
static ApEngine *
ap_web_slots_worker_open(ApWebSlotsWorker *self, GError **error)
{
	g_autoptr(ApStore) store = ap_sqlite_store_new(self->config->database_path, error);

	if (store == NULL)
		return NULL;
	/* the engine only reads the configuration */
	return ap_engine_new((ApConfig *)self->config, store, error);
}

static gpointer
ap_web_slots_worker_thread(gpointer data)
{
	ApWebSlotsWorker *self = data;
	g_autoptr(ApEngine) engine = NULL;

	/* a week at a thousand experts is 100 ms of one core: on a busy
	 * machine the main loop's short answers go first, and an answer
	 * computed ahead has seconds to spare */
	ap_thread_lower_priority(5);
	for (;;) {
		ApWebSlotsJob *job = g_async_queue_pop(self->jobs);

		if (job == &ap_web_slots_stop)
			break;
		if (engine == NULL) {
			g_autoptr(GError) error = NULL;

			engine = ap_web_slots_worker_open(self, &error);
			if (engine == NULL) {
				g_warning("slots cannot be computed: %s", error->message);
				job->error = g_steal_pointer(&error);
			}
		}
		if (engine != NULL)
			ap_web_slots_job_run(job, engine);
		g_mutex_lock(&self->lock);
		g_queue_push_tail(&self->done, job);
		g_mutex_unlock(&self->lock);
		g_source_set_ready_time(self->done_source, 0);
	}
	return NULL;
}

static void
ap_web_slots_worker_start(ApWebSlotsWorker *self, ApWebSlotsJob *job)
{
	if (job->key != NULL)
		g_hash_table_replace(self->computing, job->key, job);
	self->queued++;
	g_async_queue_push(self->jobs, job);
}

static void
ap_web_slots_worker_finish(ApWebSlotsWorker *self, ApWebSlotsJob *job)
{
	if (job->key != NULL && g_hash_table_lookup(self->computing, job->key) == job)
		g_hash_table_remove(self->computing, job->key);
	self->queued--;
	if (job->body != NULL) {
		self->computed++;
		if (job->key != NULL)
			ap_web_cache_insert(self->cache,
					    job->key,
					    job->body,
					    job->generation,
					    job->now,
					    job->valid_until);
	}
	for (guint i = 0; i < job->waiters->len; i++) {
		const ApWebSlotsWaiter *w = &g_array_index(job->waiters, ApWebSlotsWaiter, i);

		/* asked after the answer had stopped being right (a slot came
		 * within the notice period meanwhile): asked again */
		if (job->body != NULL && w->asked_at >= job->valid_until) {
			ap_web_slots_worker_ask(self,
						job->key,
						&job->question,
						job->asked_generation,
						w->asked_at,
						w->func,
						w->user_data);
			continue;
		}
		w->func(job->body, job->error, w->user_data);
	}
	ap_web_slots_job_free(job);
}

static gboolean
ap_web_slots_worker_done_dispatch(GSource *source, GSourceFunc callback, gpointer user_data)
{
	ApWebSlotsWorker *self = user_data;

	/* before taking what is done: a job done meanwhile sets it again */
	g_source_set_ready_time(source, -1);
	for (;;) {
		ApWebSlotsJob *job;

		g_mutex_lock(&self->lock);
		job = g_queue_pop_head(&self->done);
		g_mutex_unlock(&self->lock);
		if (job == NULL)
			break;
		ap_web_slots_worker_finish(self, job);
	}
	return G_SOURCE_CONTINUE;
}

static GSourceFuncs ap_web_slots_worker_done_funcs = {
	.dispatch = ap_web_slots_worker_done_dispatch,
};

static void
ap_web_slots_plan_free(ApWebSlotsPlan *plan)
{
	g_source_destroy(plan->timer);
	g_source_unref(plan->timer);
	g_free(plan->key);
	ap_web_slots_question_clear(&plan->question);
	g_free(plan);
}

/* on the main loop, a few seconds before the kept answer ends */
static gboolean
ap_web_slots_plan_due(gpointer user_data)
{
	ApWebSlotsPlan *plan = user_data;
	ApWebSlotsWorker *self = plan->worker;

	/* after a change the next request computes the answer anyway, and
	 * a question nobody asks again is not planned again */
	if (ap_store_get_generation(ap_engine_get_store(self->engine)) == plan->generation)
		ap_web_slots_worker_compute_ahead(
			self, plan->key, &plan->question, plan->generation, plan->at);
	g_hash_table_remove(self->planned, plan->key);
	return G_SOURCE_REMOVE;
}

/**
 * ap_web_slots_worker_new:
 * @engine: the main loop's engine, for its configuration
 * @cache: where answers are kept; it must outlive the worker
 *
 * Starts the thread that computes slots, answering on the thread-default
 * main context of the caller.
 *
 * Returns: (transfer full): the worker
 */
ApWebSlotsWorker *
ap_web_slots_worker_new(ApEngine *engine, ApWebCache *cache)
{
	ApWebSlotsWorker *self = g_new0(ApWebSlotsWorker, 1);
	g_autoptr(GMainContext) context = g_main_context_ref_thread_default();

	self->config = ap_engine_get_config(engine);
	self->engine = engine;
	self->cache = cache;
	self->planned = g_hash_table_new_full(
		g_str_hash, g_str_equal, NULL, (GDestroyNotify)ap_web_slots_plan_free);
	self->jobs = g_async_queue_new();
	g_mutex_init(&self->lock);
	g_queue_init(&self->done);
	self->computing = g_hash_table_new(g_str_hash, g_str_equal);
	self->done_source = g_source_new(&ap_web_slots_worker_done_funcs, sizeof(GSource));
	g_source_set_callback(self->done_source, NULL, self, NULL);
	g_source_set_name(self->done_source, "slots computed");
	g_source_attach(self->done_source, context);
	self->thread = g_thread_new("slots", ap_web_slots_worker_thread, self);
	return self;
}

/**
 * ap_web_slots_worker_free:
 *
 * Finishes what was asked, answers it, and stops the thread.
 */
void
ap_web_slots_worker_free(ApWebSlotsWorker *self)
{
	if (self == NULL)
		return;
	g_clear_pointer(&self->planned, g_hash_table_unref);
	/* what is being computed is finished; what waits is not begun */
	g_async_queue_push_front(self->jobs, &ap_web_slots_stop);
	g_thread_join(self->thread);
	self->stopped = TRUE;
	for (ApWebSlotsJob *job; (job = g_async_queue_try_pop(self->jobs)) != NULL;) {
		job->error = g_error_new_literal(
			G_IO_ERROR, G_IO_ERROR_CANCELLED, "the service is stopping");
		g_mutex_lock(&self->lock);
		g_queue_push_tail(&self->done, job);
		g_mutex_unlock(&self->lock);
	}
	ap_web_slots_worker_done_dispatch(self->done_source, NULL, self);
	g_source_destroy(self->done_source);
	g_source_unref(self->done_source);
	g_hash_table_unref(self->computing);
	g_async_queue_unref(self->jobs);
	g_mutex_clear(&self->lock);
	g_free(self);
}

/**
 * ap_web_slots_worker_ask:
 * @key: (nullable): what the answer is kept under; %NULL keeps nothing
 *   and shares nothing
 * @question: the query, checked
 * @generation: the store's generation as the main loop sees it now
 * @now: the instant asked at
 * @func: called with the answer, on the main loop
 *
 * Computes the slots for @question off the main loop, unless the same
 * question asked since the last change is being computed already.
 */
void
ap_web_slots_worker_ask(ApWebSlotsWorker *self,
			const gchar *key,
			const ApWebSlotsQuestion *question,
			guint64 generation,
			gint64 now,
			ApWebSlotsAnswerFunc func,
			gpointer user_data)
{
	ApWebSlotsWaiter waiter = {func, user_data, now};
	ApWebSlotsJob *job = key != NULL ? g_hash_table_lookup(self->computing, key) : NULL;

	if (self->stopped) {
		g_autoptr(GError) error = g_error_new_literal(
			G_IO_ERROR, G_IO_ERROR_CANCELLED, "the service is stopping");
		func(NULL, error, user_data);
		return;
	}

	/* an answer computed since the last change, for this instant or
	 * before it, and not ahead for later */
	if (job == NULL || job->asked_generation != generation || job->now > now) {
		/* a burst of distinct questions waits its turn up to a point,
		 * then is told to come back, rather than holding connections
		 * for ever longer */
		if (self->queued >= AP_WEB_SLOTS_WORKER_MAX_QUEUED) {
			g_autoptr(GError) error =
				g_error_new_literal(G_IO_ERROR,
						    G_IO_ERROR_BUSY,
						    "too many questions about slots at once");
			func(NULL, error, user_data);
			return;
		}
		job = ap_web_slots_job_new(key, question, generation, now);
		ap_web_slots_worker_start(self, job);
	}
	g_array_append_val(job->waiters, waiter);
}

/**
 * ap_web_slots_worker_compute_ahead:
 * @key: what the answer is kept under
 * @at: the instant the answer kept now for @key ends
 *
 * Computes @question for @at and keeps the answer behind the one kept
 * now, to be served from then (see ap_web_cache_insert()).
 */
void
ap_web_slots_worker_compute_ahead(ApWebSlotsWorker *self,
				  const gchar *key,
				  const ApWebSlotsQuestion *question,
				  guint64 generation,
				  gint64 at)
{
	g_return_if_fail(key != NULL);

	/* only with time to spare: what people wait for goes first */
	if (self->stopped || self->queued >= AP_WEB_SLOTS_WORKER_MAX_QUEUED / 2 ||
	    ap_web_slots_worker_is_computing(self, key, generation))
		return;
	ap_web_slots_worker_start(self, ap_web_slots_job_new(key, question, generation, at));
}

/**
 * ap_web_slots_worker_is_computing:
 *
 * Returns: whether an answer for @key is being computed since the store
 * reached @generation
 */
gboolean
ap_web_slots_worker_is_computing(ApWebSlotsWorker *self, const gchar *key, guint64 generation)
{
	ApWebSlotsJob *job = g_hash_table_lookup(self->computing, key);

	return job != NULL && job->asked_generation == generation;
}

/**
 * ap_web_slots_worker_get_computed:
 *
 * Returns: how many answers were computed so far
 */
guint64
ap_web_slots_worker_get_computed(ApWebSlotsWorker *self)
{
	return self->computed;
}

/**
 * ap_web_slots_worker_plan_ahead:
 * @key: what the answer is kept under
 * @question: the query, checked
 * @generation: the store's generation the kept answer was computed at
 * @at: the instant the kept answer ends
 * @now: the instant it was asked for again
 *
 * For a question asked again while its answer is kept, and whose answer
 * ends at a set instant (a slot coming within the notice): the answer
 * for then is computed %AP_WEB_SLOTS_AHEAD_SECONDS before it, even if
 * nobody asks meanwhile, so that whoever asks first after a quiet spell
 * does not wait for it. At most %AP_WEB_SLOTS_WORKER_MAX_PLANNED
 * questions, and instants within %AP_WEB_SLOTS_WORKER_PLAN_SECONDS.
 */
void
ap_web_slots_worker_plan_ahead(ApWebSlotsWorker *self,
			       const gchar *key,
			       const ApWebSlotsQuestion *question,
			       guint64 generation,
			       gint64 at,
			       gint64 now)
{
	g_autoptr(GMainContext) context = g_main_context_ref_thread_default();
	ApWebSlotsPlan *plan;

	g_return_if_fail(key != NULL);

	if (self->stopped || at <= now || at - now > AP_WEB_SLOTS_WORKER_PLAN_SECONDS ||
	    ap_web_slots_worker_is_planned(self, key, generation, at))
		return;
	if (g_hash_table_lookup(self->planned, key) == NULL &&
	    g_hash_table_size(self->planned) >= AP_WEB_SLOTS_WORKER_MAX_PLANNED) {
		/* full: plans made before a change are of no use any more */
		guint64 current = ap_store_get_generation(ap_engine_get_store(self->engine));
		GHashTableIter iter;
		gpointer value;

		g_hash_table_iter_init(&iter, self->planned);
		while (g_hash_table_iter_next(&iter, NULL, &value)) {
			if (((ApWebSlotsPlan *)value)->generation != current)
				g_hash_table_iter_remove(&iter);
		}
		if (g_hash_table_size(self->planned) >= AP_WEB_SLOTS_WORKER_MAX_PLANNED)
			return;
	}
	plan = g_new0(ApWebSlotsPlan, 1);
	plan->worker = self;
	plan->key = g_strdup(key);
	ap_web_slots_question_copy(&plan->question, question);
	plan->generation = generation;
	plan->at = at;
	plan->timer =
		g_timeout_source_new_seconds((guint)MAX(at - AP_WEB_SLOTS_AHEAD_SECONDS - now, 0));
	g_source_set_callback(plan->timer, ap_web_slots_plan_due, plan, NULL);
	g_source_set_name(plan->timer, "slots planned ahead");
	g_source_attach(plan->timer, context);
	g_hash_table_replace(self->planned, plan->key, plan);
}

/**
 * ap_web_slots_worker_is_planned:
 *
 * Returns: whether the answer for @key that ends at @at, computed at
 * @generation, is planned to be computed ahead
 */
gboolean
ap_web_slots_worker_is_planned(ApWebSlotsWorker *self,
			       const gchar *key,
			       guint64 generation,
			       gint64 at)
{
	const ApWebSlotsPlan *plan = g_hash_table_lookup(self->planned, key);

	return plan != NULL && plan->generation == generation && plan->at == at;
}
