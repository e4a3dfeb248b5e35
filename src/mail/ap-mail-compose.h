/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ap-booking.h"
#include "ap-expert.h"
#include "ap-mime.h"
#include "ap-outbox-item.h"
#include "ap-service.h"

G_BEGIN_DECLS

/**
 * ApMailContext:
 * @item: the outbox row: who, what happened, and the times as of then
 * @booking: the booking as stored now (names, answers, UID)
 * @service: its service
 * @expert: the expert @item is about
 * @previous_expert: (nullable): for an update that changed the expert,
 *   the one it was with
 * @from_name: the service's display name
 * @from_address: the service's mailbox (the ORGANIZER)
 * @manage_url: (nullable): the customer's manage link
 * @video_url: the session's video link
 * @feedback_url: (nullable): where the customer rates the session
 *
 * Everything one email is made from; nothing is read from anywhere else.
 */
typedef struct {
	const ApOutboxItem *item;
	const ApBooking *booking;
	const ApService *service;
	const ApExpert *expert;
	const ApExpert *previous_expert;
	const gchar *from_name;
	const gchar *from_address;
	const gchar *manage_url;
	const gchar *video_url;
	const gchar *feedback_url;
} ApMailContext;

/**
 * ApMailDraft:
 * @message: what ap_mime_render() takes; its strings are the draft's own
 *   or the #ApMailContext's, so render it while the context lives
 *
 * One composed email.
 */
typedef struct {
	ApMimeMessage message;
	/*< private >*/
	gchar *subject;
	gchar *text;
	gchar *html;
	gchar *calendar;
	gchar *message_id;
} ApMailDraft;

ApMailDraft *
ap_mail_compose(const ApMailContext *ctx, GError **error);
void
ap_mail_draft_free(ApMailDraft *draft);
gchar *
ap_mail_message_id(const ApOutboxItem *item, const gchar *ical_uid);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(ApMailDraft, ap_mail_draft_free)

G_END_DECLS
