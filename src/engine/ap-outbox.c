/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApOutbox"

#include "ap-outbox.h"

#include <string.h>

#include "ap-catalogue.h"
#include "ap-error.h"
#include "ap-mail-compose.h"
#include "ap-mail-sender.h"
#include "ap-mime.h"
#include "ap-sqlite-store.h"
#include "ap-thread.h"

/*
 * The outbox's delivery: a thread of its own, with its own SQLite
 * connection (one owner per connection), so that SMTP never blocks the
 * main loop. It writes the customers' reminders a few minutes before
 * they are due (ap_outbox_plan()), takes the rows that are due, composes
 * each email from the booking as stored, hands it to the relay, and
 * marks the row sent only once the relay has accepted it: a crash in between sends it again,
 * with the same Message-ID. Failures are retried later (4xx, no
 * connection) or set aside for staff (5xx).
 */

/* rows taken at once, and the longest sleep between two looks (rows
 * written by appointctl, in another process, wake nobody) */
#define AP_OUTBOX_BATCH	       50
#define AP_OUTBOX_IDLE_SECONDS 5

/* while bookings stream in, every commit wakes the outbox: a batch begins
 * no sooner than this after the one before, so that a batch's Maildir
 * flush and its one transaction of marks serve many emails, not one or
 * two (each flush an fsync on the disk the bookings' commits wait for).
 * The email of a booking made in a quiet moment goes at once */
#define AP_OUTBOX_GATHER_MS 200

/* the customers' reminders are written to the outbox up to this far
 * ahead of their time, this much at once: a planning every few minutes,
 * each a short walk of the bookings by start (ap_store_outbox_plan_reminders()).
 * A booking writes itself those due before the planner's mark */
#define AP_OUTBOX_PLAN_AHEAD_SECONDS (15 * 60)
#define AP_OUTBOX_PLAN_STEP_SECONDS  (5 * 60)

struct _ApOutbox {
	GObject parent_instance;
	ApEngine *engine;
	GThread *thread;
	GMutex lock;
	GCond cond;
	gboolean stopping;
	gboolean woken;
	gint sent;   /* atomic */
	gint failed; /* atomic */
};

G_DEFINE_TYPE(ApOutbox, ap_outbox, G_TYPE_OBJECT)

static void
ap_outbox_finalize(GObject *object)
{
	ApOutbox *self = AP_OUTBOX(object);

	ap_outbox_stop(self);
	g_mutex_clear(&self->lock);
	g_cond_clear(&self->cond);
	g_clear_object(&self->engine);
	G_OBJECT_CLASS(ap_outbox_parent_class)->finalize(object);
}

static void
ap_outbox_class_init(ApOutboxClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = ap_outbox_finalize;
}

static void
ap_outbox_init(ApOutbox *self)
{
	g_mutex_init(&self->lock);
	g_cond_init(&self->cond);
}

/**
 * ap_outbox_new:
 * @engine: the engine whose store holds the outbox
 *
 * Returns: (transfer full): a delivery worker, not yet started
 */
ApOutbox *
ap_outbox_new(ApEngine *engine)
{
	ApOutbox *self = g_object_new(AP_TYPE_OUTBOX, NULL);

	self->engine = g_object_ref(engine);
	return self;
}

/* the From mailbox's display name: "Appointments <a@b>" gives "Appointments" */
static gchar *
ap_outbox_from_name(const ApConfig *config)
{
	const gchar *lt = config->mail_from != NULL ? strchr(config->mail_from, '<') : NULL;
	g_autofree gchar *name =
		lt != NULL ? g_strndup(config->mail_from, (gsize)(lt - config->mail_from)) : NULL;

	if (name != NULL)
		g_strstrip(name);
	if (name == NULL || *name == '\0')
		return g_strdup("Appointments");
	return g_steal_pointer(&name);
}

static ApMailSender *
ap_outbox_sender_new(const ApConfig *config, GError **error)
{
	g_autofree gchar *password = NULL;
	ApMailSenderOptions options = {0};

	if (config->mail_password_file != NULL) {
		if (!g_file_get_contents(config->mail_password_file, &password, NULL, error)) {
			g_prefix_error(error, "[mail] password-file: ");
			return NULL;
		}
		password[strcspn(password, "\r\n")] = '\0';
	}
	if (config->mail_transport == AP_MAIL_TRANSPORT_MAILDIR)
		options.maildir = config->mail_maildir;
	else
		options.smtp_url = config->mail_url;
	options.username = config->mail_username;
	options.password = password;
	return ap_mail_sender_new(&options, error);
}

/* composes and sends one row; %FALSE with @permanent when it can never go */
static gboolean
ap_outbox_deliver(ApOutbox *self,
		  ApStore *store,
		  ApCatalogue *catalogue,
		  ApMailSender *sender,
		  const gchar *from_name,
		  const ApOutboxItem *item,
		  gboolean *permanent,
		  gboolean *stale,
		  GError **error)
{
	const ApConfig *config = ap_engine_get_config(self->engine);
	g_autoptr(ApBooking) booking = NULL;
	g_autoptr(ApService) service = NULL;
	g_autoptr(ApExpert) expert = NULL;
	g_autoptr(ApExpert) previous = NULL;
	g_autofree gchar *token = NULL;
	g_autofree gchar *manage_url = NULL;
	g_autofree gchar *video_url = NULL;
	g_autofree gchar *feedback_url = NULL;
	g_autofree gchar *name = NULL;
	g_autoptr(ApMailDraft) draft = NULL;
	g_autoptr(GBytes) message = NULL;
	ApMailContext ctx = {0};

	*permanent = FALSE;
	booking = ap_store_booking_get(store, item->reference, error);
	if (booking == NULL)
		return FALSE;
	if (item->kind == AP_OUTBOX_KIND_REMINDER &&
	    (booking->status != AP_BOOKING_STATUS_CONFIRMED || booking->start != item->start ||
	     g_get_real_time() / G_USEC_PER_SEC >= item->start)) {
		/* moved, cancelled, or too late to remind anyone of anything */
		*stale = TRUE;
		return FALSE;
	}
	/* from the thread's own cache of the catalogue; the store says why
	 * when that has nothing */
	service = ap_catalogue_get_service(catalogue, booking->service_id);
	if (service == NULL)
		service = ap_store_service_get(store, booking->service_id, error);
	if (service == NULL)
		return FALSE;
	expert = ap_catalogue_get_expert(catalogue, item->expert_id);
	if (expert == NULL)
		expert = ap_store_expert_get(store, item->expert_id, error);
	if (expert == NULL)
		return FALSE;
	if (item->previous_expert_id != 0 && item->previous_expert_id != item->expert_id)
		previous = ap_catalogue_get_expert(catalogue, item->previous_expert_id);
	token = ap_engine_unseal_token(self->engine, booking->sealed_token);
	if (token != NULL) {
		manage_url = ap_engine_manage_url(self->engine, token);
		feedback_url = g_strconcat(config->public_url, "/feedback/", token, NULL);
	}
	video_url = ap_engine_video_url(self->engine, booking);

	ctx.item = item;
	ctx.booking = booking;
	ctx.service = service;
	ctx.expert = expert;
	ctx.previous_expert = previous;
	ctx.from_name = from_name;
	ctx.from_address = config->mail_from_address;
	ctx.manage_url = item->role == AP_OUTBOX_ROLE_CUSTOMER ? manage_url : NULL;
	ctx.video_url = video_url;
	ctx.feedback_url = item->role == AP_OUTBOX_ROLE_CUSTOMER ? feedback_url : NULL;
	draft = ap_mail_compose(&ctx, error);
	if (draft != NULL)
		message = ap_mime_render(&draft->message, error);
	if (message == NULL) {
		/* what the booking holds cannot make an email: no retry helps */
		*permanent = TRUE;
		return FALSE;
	}
	name = g_strdup_printf("appoint-%" G_GINT64_FORMAT, item->id);
	return ap_mail_sender_send(sender,
				   config->mail_from_address,
				   item->recipient,
				   message,
				   name,
				   permanent,
				   error);
}

typedef struct {
	gint64 id;
	gint64 at;
	gboolean sent;
	gboolean permanent;
	gboolean stale;
	gchar *reason;
} ApOutboxOutcome;

/* marks each row as its delivery went; an email that went but whose mark
 * is lost goes again, with the same Message-ID, which is the lesser harm.
 * %FALSE when some mark is lost */
static gboolean
ap_outbox_record(ApStore *store, GArray *outcomes)
{
	g_autoptr(GError) error = NULL;
	gboolean batched;
	gboolean all = TRUE;

	if (outcomes->len == 0)
		return TRUE;
	batched = ap_store_batch_begin(store, &error);
	if (!batched) {
		g_debug("marking one by one: %s", error->message);
		g_clear_error(&error);
	}
	for (guint i = 0; i < outcomes->len; i++) {
		ApOutboxOutcome *o = &g_array_index(outcomes, ApOutboxOutcome, i);
		gboolean ok =
			o->sent	   ? ap_store_outbox_mark_sent(store, o->id, o->at, &error)
			: o->stale ? ap_store_outbox_void(store, o->id, "no longer due", &error)
				   : ap_store_outbox_mark_failed(
					     store, o->id, o->permanent, o->reason, o->at, &error);
		if (!ok) {
			g_warning("outbox %" G_GINT64_FORMAT ": %s", o->id, error->message);
			g_clear_error(&error);
			all = FALSE;
		}
		g_free(o->reason);
	}
	if (batched && !ap_store_batch_commit(store, &error)) {
		g_warning("recording deliveries: %s", error->message);
		all = FALSE;
	}
	return all;
}

/* waits until woken, stopped, or @until (Unix seconds) */
static void
ap_outbox_sleep(ApOutbox *self, gint64 until)
{
	gint64 now = g_get_real_time() / G_USEC_PER_SEC;
	gint64 seconds = CLAMP(until - now, 0, AP_OUTBOX_IDLE_SECONDS);
	gint64 end = g_get_monotonic_time() + seconds * G_USEC_PER_SEC;

	g_mutex_lock(&self->lock);
	while (!self->stopping && !self->woken) {
		if (!g_cond_wait_until(&self->cond, &self->lock, end))
			break;
	}
	self->woken = FALSE;
	g_mutex_unlock(&self->lock);
}

/* until the monotonic time @end, or a stop; what woke the outbox
 * meanwhile is read by the batch that follows */
static void
ap_outbox_pause(ApOutbox *self, gint64 end)
{
	g_mutex_lock(&self->lock);
	while (!self->stopping) {
		if (!g_cond_wait_until(&self->cond, &self->lock, end))
			break;
	}
	self->woken = FALSE;
	g_mutex_unlock(&self->lock);
}

static gboolean
ap_outbox_is_stopping(ApOutbox *self)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&self->lock);

	return self->stopping;
}

/* the outbox's own connection and sender; NULL @store on failure */
static gboolean
ap_outbox_open(const ApConfig *config, ApStore **store, ApMailSender **sender, GError **error)
{
	g_autoptr(ApStore) opened = ap_sqlite_store_new(config->database_path, error);
	g_autoptr(ApMailSender) made = NULL;

	/* marking a row sent needs no fsync: lost in a power cut, the mark
	 * only makes the email go again, with the same Message-ID; and a
	 * write without fsync holds the lock that bookings wait for briefly */
	if (opened == NULL ||
	    !ap_sqlite_store_set_relaxed_durability(AP_SQLITE_STORE(opened), error))
		return FALSE;
	made = ap_outbox_sender_new(config, error);
	if (made == NULL)
		return FALSE;
	*store = g_steal_pointer(&opened);
	*sender = g_steal_pointer(&made);
	return TRUE;
}

/* when to look again: when the earliest pending row falls due (one row
 * from the index, not the counts /metrics wants), and never later than
 * AP_OUTBOX_IDLE_SECONDS from now, for what appointctl writes */
static gint64
ap_outbox_next_due(ApStore *store)
{
	gint64 now = g_get_real_time() / G_USEC_PER_SEC;
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) next = ap_store_outbox_due(store, G_MAXINT64, 1, &error);

	if (next == NULL)
		g_debug("reading the outbox's next row: %s", error->message);
	if (next == NULL || next->len == 0)
		return now + AP_OUTBOX_IDLE_SECONDS;
	return ((const ApOutboxItem *)g_ptr_array_index(next, 0))->next_attempt_at;
}

/* writes the reminders due in the next few minutes, once the last
 * planning (@planned_until, kept by the thread) is a step behind; a
 * failure waits for the next look, the reminders' time still ahead */
static void
ap_outbox_plan(ApStore *store, gint64 now, gint64 *planned_until)
{
	g_autoptr(GError) error = NULL;
	gint64 until = now + AP_OUTBOX_PLAN_AHEAD_SECONDS;
	guint planned = 0;

	if (until - *planned_until < AP_OUTBOX_PLAN_STEP_SECONDS)
		return;
	if (!ap_store_outbox_plan_reminders(store, until, &planned, &error)) {
		g_warning("planning the reminders: %s", error->message);
		return;
	}
	if (planned > 0)
		g_debug("%u reminder(s) planned", planned);
	*planned_until = until;
}

static gpointer
ap_outbox_thread(gpointer user_data)
{
	ApOutbox *self = user_data;
	const ApConfig *config = ap_engine_get_config(self->engine);
	g_autoptr(GError) error = NULL;
	g_autoptr(ApStore) store = NULL;
	g_autoptr(ApMailSender) sender = NULL;
	g_autoptr(ApCatalogue) catalogue = NULL;
	g_autofree gchar *from_name = ap_outbox_from_name(config);
	gint64 planned_until = 0;

	/* composing email is the heavier work, and can wait a moment; a
	 * customer at the booking page should not. Not the lowest priority,
	 * though: the thread takes its turn to write once a batch
	 * (ap_outbox_record()), and bookings queue behind it then (nice 19
	 * measured no faster, and risks keeping them waiting on a busy
	 * machine) */
	ap_thread_lower_priority(10);
	/* a mail directory not yet mounted, a database briefly locked: the
	 * email waits in the outbox, and the thread tries again */
	while (!ap_outbox_open(config, &store, &sender, &error)) {
		g_warning("the outbox cannot deliver yet, trying again in %d s: %s",
			  AP_OUTBOX_IDLE_SECONDS,
			  error->message);
		g_clear_error(&error);
		ap_outbox_sleep(self, g_get_real_time() / G_USEC_PER_SEC + AP_OUTBOX_IDLE_SECONDS);
		if (ap_outbox_is_stopping(self))
			return NULL;
	}
	/* services and experts change rarely, and every email names them:
	 * kept here, for this thread's connection alone */
	catalogue = ap_catalogue_new(store);
	while (!ap_outbox_is_stopping(self)) {
		gint64 now = g_get_real_time() / G_USEC_PER_SEC;
		gint64 started = g_get_monotonic_time();
		g_autoptr(GPtrArray) due = NULL;
		GArray *outcomes;
		gboolean recorded;

		ap_outbox_plan(store, now, &planned_until);
		due = ap_store_outbox_due(store, now, AP_OUTBOX_BATCH, &error);
		if (due == NULL) {
			g_warning("reading the outbox: %s", error->message);
			g_clear_error(&error);
			ap_outbox_sleep(self, now + AP_OUTBOX_IDLE_SECONDS);
			continue;
		}
		/* what the rows' delivery says is written in one transaction
		 * once the batch is through: one write lock for many emails,
		 * not one each, while bookings wait for that lock */
		outcomes = g_array_new(FALSE, TRUE, sizeof(ApOutboxOutcome));
		for (guint i = 0; i < due->len && !ap_outbox_is_stopping(self); i++) {
			const ApOutboxItem *item = g_ptr_array_index(due, i);
			ApOutboxOutcome outcome = {.id = item->id};
			g_autoptr(GError) failure = NULL;
			gboolean ok = ap_outbox_deliver(self,
							store,
							catalogue,
							sender,
							from_name,
							item,
							&outcome.permanent,
							&outcome.stale,
							&failure);

			outcome.at = g_get_real_time() / G_USEC_PER_SEC;
			outcome.sent = ok;
			if (ok) {
				g_atomic_int_inc(&self->sent);
			} else if (!outcome.stale) {
				g_atomic_int_inc(&self->failed);
				g_message("outbox %" G_GINT64_FORMAT ": %s %s: %s",
					  item->id,
					  ap_outbox_kind_to_string(item->kind),
					  outcome.permanent ? "refused for good" : "to be retried",
					  failure->message);
				outcome.reason = g_strdup(failure->message);
			}
			g_array_append_val(outcomes, outcome);
			/* cppcheck-suppress memleak ; outcomes owns outcome.reason now */
		}
		/* a Maildir's messages are on disk only once flushed */
		if (!ap_mail_sender_flush(sender, &error)) {
			for (guint i = 0; i < outcomes->len; i++) {
				ApOutboxOutcome *o = &g_array_index(outcomes, ApOutboxOutcome, i);
				if (!o->sent)
					continue;
				o->sent = FALSE;
				o->reason = g_strdup(error->message);
				g_atomic_int_add(&self->sent, -1);
				g_atomic_int_inc(&self->failed);
			}
			g_warning("delivering to the Maildir: %s", error->message);
			g_clear_error(&error);
		}
		recorded = ap_outbox_record(store, outcomes);
		g_clear_pointer(&outcomes, g_array_unref);
		/* rows still pending though they went would go again at once,
		 * and again: the database gets a while to recover first */
		if (!recorded) {
			ap_outbox_sleep(self, now + AP_OUTBOX_IDLE_SECONDS);
			continue;
		}
		if (due->len == AP_OUTBOX_BATCH)
			continue;
		ap_outbox_sleep(self, ap_outbox_next_due(store));
		ap_outbox_pause(self, started + AP_OUTBOX_GATHER_MS * G_TIME_SPAN_MILLISECOND);
	}
	return NULL;
}

/**
 * ap_outbox_start:
 * @error: a #GError, or %NULL
 *
 * Returns: %TRUE if the delivery thread runs
 */
gboolean
ap_outbox_start(ApOutbox *self, GError **error)
{
	g_return_val_if_fail(AP_IS_OUTBOX(self), FALSE);
	g_return_val_if_fail(self->thread == NULL, FALSE);

	self->stopping = FALSE;
	self->thread = g_thread_try_new("outbox", ap_outbox_thread, self, error);
	return self->thread != NULL;
}

/**
 * ap_outbox_wake:
 *
 * Something was just written to the outbox: look now rather than at the
 * next idle check. Safe from any thread.
 */
void
ap_outbox_wake(ApOutbox *self)
{
	g_return_if_fail(AP_IS_OUTBOX(self));

	g_mutex_lock(&self->lock);
	self->woken = TRUE;
	g_cond_signal(&self->cond);
	g_mutex_unlock(&self->lock);
}

/**
 * ap_outbox_stop:
 *
 * Finishes the message being sent and stops; whatever is still due stays
 * in the outbox for the next start.
 */
void
ap_outbox_stop(ApOutbox *self)
{
	g_return_if_fail(AP_IS_OUTBOX(self));

	if (self->thread == NULL)
		return;
	g_mutex_lock(&self->lock);
	self->stopping = TRUE;
	g_cond_signal(&self->cond);
	g_mutex_unlock(&self->lock);
	g_thread_join(g_steal_pointer(&self->thread));
}

guint64
ap_outbox_get_sent(ApOutbox *self)
{
	return (guint64)g_atomic_int_get(&self->sent);
}

guint64
ap_outbox_get_failed(ApOutbox *self)
{
	return (guint64)g_atomic_int_get(&self->failed);
}
