/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * ApWebDeadlines:
 *
 * How long each request may take to arrive whole, for all requests at
 * once: a client that sends a byte now and then is never caught by the
 * socket's own timeout, which only sees silence. One timer serves every
 * request, since all have the same time.
 */
typedef struct _ApWebDeadlines ApWebDeadlines;

/**
 * ApWebDeadlineFunc:
 * @request: the request whose time is up
 */
typedef void (*ApWebDeadlineFunc)(GObject *request, gpointer user_data);

ApWebDeadlines *
ap_web_deadlines_new(guint seconds, ApWebDeadlineFunc expired, gpointer user_data);
void
ap_web_deadlines_free(ApWebDeadlines *self);
void
ap_web_deadlines_start(ApWebDeadlines *self, GObject *request);
void
ap_web_deadlines_stop(ApWebDeadlines *self, GObject *request);
guint
ap_web_deadlines_get_n_pending(ApWebDeadlines *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(ApWebDeadlines, ap_web_deadlines_free)

G_END_DECLS
