/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApWeb"

#include "ap-web-linger.h"

/* how much one wake-up reads before letting the loop run again: a client
 * that never stops sending must not hold the main loop */
#define AP_WEB_LINGER_READS_PER_WAKE 16

struct _ApWebLinger {
	/* GSocket, held weakly: libsoup owns the connections */
	GHashTable *sockets;
};

static void
ap_web_linger_socket_gone_cb(gpointer user_data, GObject *where_the_socket_was)
{
	ApWebLinger *self = user_data;

	g_hash_table_remove(self->sockets, where_the_socket_was);
}

/**
 * ap_web_linger_new:
 *
 * Returns: (transfer full): an empty set of connections
 */
ApWebLinger *
ap_web_linger_new(void)
{
	ApWebLinger *self = g_new0(ApWebLinger, 1);

	self->sockets = g_hash_table_new(NULL, NULL);
	return self;
}

void
ap_web_linger_free(ApWebLinger *self)
{
	GHashTableIter iter;
	gpointer socket;

	g_hash_table_iter_init(&iter, self->sockets);
	while (g_hash_table_iter_next(&iter, &socket, NULL))
		g_object_weak_unref(socket, ap_web_linger_socket_gone_cb, self);
	g_hash_table_unref(self->sockets);
	g_free(self);
}

/**
 * ap_web_linger_track:
 * @socket: a connection's socket; tracking it again does nothing
 *
 * Remembers @socket until it is finalized.
 */
void
ap_web_linger_track(ApWebLinger *self, GSocket *socket)
{
	g_return_if_fail(G_IS_SOCKET(socket));

	if (!g_hash_table_add(self->sockets, socket))
		return;
	g_object_weak_ref(G_OBJECT(socket), ap_web_linger_socket_gone_cb, self);
}

/**
 * ap_web_linger_get_n_open:
 *
 * Returns: how many tracked sockets are still open
 */
guint
ap_web_linger_get_n_open(ApWebLinger *self)
{
	GHashTableIter iter;
	gpointer socket;
	guint n = 0;

	g_hash_table_iter_init(&iter, self->sockets);
	while (g_hash_table_iter_next(&iter, &socket, NULL))
		n += g_socket_is_closed(socket) ? 0 : 1;
	return n;
}

typedef struct {
	GPtrArray *sources;
	guint pending;
	guint timeout_id;
} ApWebLingerClose;

static void
ap_web_linger_close_free(ApWebLingerClose *lc)
{
	g_ptr_array_unref(lc->sources);
	g_free(lc);
}

static void
ap_web_linger_close_done(GTask *task)
{
	ApWebLingerClose *lc = g_task_get_task_data(task);

	/* no source may call back once the answer is on its way */
	for (guint i = 0; i < lc->sources->len; i++)
		g_source_destroy(g_ptr_array_index(lc->sources, i));
	g_clear_handle_id(&lc->timeout_id, g_source_remove);
	g_task_return_boolean(task, TRUE);
	g_object_unref(task);
}

static gboolean
ap_web_linger_drain_cb(GSocket *socket, GIOCondition condition, gpointer user_data)
{
	GTask *task = G_TASK(user_data);
	ApWebLingerClose *lc = g_task_get_task_data(task);
	gchar buf[4096];

	for (guint i = 0; i < AP_WEB_LINGER_READS_PER_WAKE; i++) {
		g_autoptr(GError) error = NULL;
		gssize n = g_socket_receive_with_blocking(
			socket, buf, sizeof(buf), FALSE, NULL, &error);

		if (n > 0)
			continue;
		if (n < 0 && g_error_matches(error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
			return G_SOURCE_CONTINUE;
		/* the end of the stream, a reset, or libsoup closed it */
		if (--lc->pending == 0)
			ap_web_linger_close_done(task);
		return G_SOURCE_REMOVE;
	}
	return G_SOURCE_CONTINUE;
}

static gboolean
ap_web_linger_timeout_cb(gpointer user_data)
{
	GTask *task = G_TASK(user_data);
	ApWebLingerClose *lc = g_task_get_task_data(task);

	lc->timeout_id = 0;
	g_debug("%u connection(s) still open after the lingering close", lc->pending);
	ap_web_linger_close_done(task);
	return G_SOURCE_REMOVE;
}

/**
 * ap_web_linger_close_async:
 * @timeout_ms: how long to wait for clients to go
 *
 * Stops writing on every open connection, so that each client receives
 * what was written and then the end of the stream, and discards what the
 * clients still send until each has closed its end or @timeout_ms have
 * passed. Once it completes, closing the sockets loses nothing.
 */
void
ap_web_linger_close_async(ApWebLinger *self,
			  guint timeout_ms,
			  GAsyncReadyCallback callback,
			  gpointer user_data)
{
	GTask *task = g_task_new(NULL, NULL, callback, user_data);
	ApWebLingerClose *lc = g_new0(ApWebLingerClose, 1);
	GHashTableIter iter;
	gpointer socket;

	lc->sources = g_ptr_array_new_with_free_func((GDestroyNotify)g_source_unref);
	g_task_set_task_data(task, lc, (GDestroyNotify)ap_web_linger_close_free);
	g_hash_table_iter_init(&iter, self->sockets);
	while (g_hash_table_iter_next(&iter, &socket, NULL)) {
		GSource *source;

		if (g_socket_is_closed(socket) || !g_socket_shutdown(socket, FALSE, TRUE, NULL))
			continue;
		source = g_socket_create_source(socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
		g_source_set_callback(source, G_SOURCE_FUNC(ap_web_linger_drain_cb), task, NULL);
		g_source_attach(source, g_main_context_get_thread_default());
		g_ptr_array_add(lc->sources, source);
		lc->pending++;
	}
	if (lc->pending == 0) {
		ap_web_linger_close_done(task);
		return;
	}
	lc->timeout_id = g_timeout_add(timeout_ms, ap_web_linger_timeout_cb, task);
}

gboolean
ap_web_linger_close_finish(GAsyncResult *result, GError **error)
{
	return g_task_propagate_boolean(G_TASK(result), error);
}
