/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * ApMailSenderOptions:
 * @smtp_url: (nullable): `smtp://HOST:PORT` or `smtps://HOST:PORT`
 * @maildir: (nullable): a Maildir to deliver into instead
 * @username: (nullable): for SMTP AUTH
 * @password: (nullable): for SMTP AUTH
 *
 * Where mail goes: exactly one of @smtp_url and @maildir.
 */
typedef struct {
	const gchar *smtp_url;
	const gchar *maildir;
	const gchar *username;
	const gchar *password;
} ApMailSenderOptions;

/**
 * ApMailSender:
 *
 * Delivery of finished messages, from one thread: over SMTP with libcurl,
 * reusing the connection from one message to the next, or into a Maildir
 * (written to tmp/, then synced and renamed into new/ a batch at a time,
 * by ap_mail_sender_flush()). Blocking: it runs on
 * the outbox's thread, never on the main loop.
 */
typedef struct _ApMailSender ApMailSender;

ApMailSender *
ap_mail_sender_new(const ApMailSenderOptions *options, GError **error);
void
ap_mail_sender_free(ApMailSender *self);
gboolean
ap_mail_sender_send(ApMailSender *self,
		    const gchar *from,
		    const gchar *to,
		    GBytes *message,
		    const gchar *name,
		    gboolean *permanent,
		    GError **error);

gboolean
ap_mail_sender_flush(ApMailSender *self, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(ApMailSender, ap_mail_sender_free)

G_END_DECLS
