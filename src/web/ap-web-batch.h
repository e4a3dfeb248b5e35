/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ap-web-request.h"

G_BEGIN_DECLS

/**
 * ApWebBatch:
 *
 * Group commit, on the main loop's own connection, for the writes other
 * than new bookings (those go to ApWebWriter) that must be durable before
 * they are answered: moving, cancelling and marking a booking, an
 * expert's summary, a customer's feedback. A change costs one fsync when
 * committed alone; changes that arrive together are handled together,
 * each in a savepoint of one transaction, and answered once that
 * transaction is on disk. Each request still gets its own answer (200,
 * 409, 422 …); if the commit itself fails, every request of the batch
 * gets 503 instead, so nothing is acknowledged that is not stored.
 */
typedef struct _ApWebBatch ApWebBatch;

ApWebBatch *
ap_web_batch_new(ApStore *store);
void
ap_web_batch_free(ApWebBatch *self);
void
ap_web_batch_add(ApWebBatch *self, ApWebRequest *req, ApWebHandler handler);
guint
ap_web_batch_get_largest(ApWebBatch *self);

G_END_DECLS
