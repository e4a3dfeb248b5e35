/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * ApWebLinger:
 *
 * The server's open connections, and a gentle way to close them all.
 * Closing a TCP socket while a client's bytes wait unread in it (a
 * pipelined request, say) makes the kernel send a reset, and the client
 * then loses the end of an answer that was already written. A lingering
 * close stops writing first, so the client sees every byte and then the
 * end of the stream, and reads until the client has gone or a deadline
 * has passed, as nginx's `lingering_close` does.
 */
typedef struct _ApWebLinger ApWebLinger;

ApWebLinger *
ap_web_linger_new(void);
void
ap_web_linger_free(ApWebLinger *self);
void
ap_web_linger_track(ApWebLinger *self, GSocket *socket);
guint
ap_web_linger_get_n_open(ApWebLinger *self);
void
ap_web_linger_close_async(ApWebLinger *self,
			  guint timeout_ms,
			  GAsyncReadyCallback callback,
			  gpointer user_data);
gboolean
ap_web_linger_close_finish(GAsyncResult *result, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(ApWebLinger, ap_web_linger_free)

G_END_DECLS
