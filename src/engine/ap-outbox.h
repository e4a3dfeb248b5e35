/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ap-engine.h"

G_BEGIN_DECLS

#define AP_TYPE_OUTBOX (ap_outbox_get_type())
G_DECLARE_FINAL_TYPE(ApOutbox, ap_outbox, AP, OUTBOX, GObject)

ApOutbox *
ap_outbox_new(ApEngine *engine);
gboolean
ap_outbox_start(ApOutbox *self, GError **error);
void
ap_outbox_wake(ApOutbox *self);
void
ap_outbox_stop(ApOutbox *self);
guint64
ap_outbox_get_sent(ApOutbox *self);
guint64
ap_outbox_get_failed(ApOutbox *self);

G_END_DECLS
