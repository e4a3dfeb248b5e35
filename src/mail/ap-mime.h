/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "ap-itip.h"

G_BEGIN_DECLS

/**
 * ApMimeMessage:
 * @from_name: the service's display name
 * @from_address: the service's mailbox, the invitation's ORGANIZER
 * @to_name: (nullable): the recipient's name
 * @to_address: the recipient, never the ORGANIZER
 * @subject: in UTF-8; encoded by RFC 2047 where it needs to be
 * @date: when the change was made
 * @message_id: without angle brackets; the same for every retry
 * @text: the plain-text part, reading well on its own
 * @html: the HTML part
 * @calendar: (nullable): an iTIP object from ap_itip_render()
 * @method: @calendar's METHOD
 *
 * One iMIP message (RFC 6047).
 */
typedef struct {
	const gchar *from_name;
	const gchar *from_address;
	const gchar *to_name;
	const gchar *to_address;
	const gchar *subject;
	gint64 date;
	const gchar *message_id;
	const gchar *text;
	const gchar *html;
	const gchar *calendar;
	ApItipMethod method;
} ApMimeMessage;

GBytes *
ap_mime_render(const ApMimeMessage *message, GError **error);

G_END_DECLS
