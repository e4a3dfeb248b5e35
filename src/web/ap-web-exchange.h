/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "ap-web-request.h"

G_BEGIN_DECLS

/**
 * ApWebExchange:
 * @started: monotonic microseconds: when its headers arrived; 0 before
 * @route: (nullable): the route pattern it matched, for the access log
 *   (never its path, which may carry a token)
 * @principal: (owned) (nullable): who sent it
 * @in_flight: from the moment its headers have arrived, body still to
 *   come or not, until its answer is written or its connection lost (an
 *   idle connection waiting for its next request is not)
 * @aborted: its connection was lost before its answer was written
 *
 * What the server keeps of one request from its start to its end, on
 * its #SoupServerMessage: one allocation and one lookup of the message's
 * data, rather than one of each for every item.
 */
typedef struct {
	gint64 started;
	const gchar *route;
	ApPrincipal *principal;
	gboolean in_flight;
	gboolean aborted;
} ApWebExchange;

ApWebExchange *
ap_web_exchange_get(SoupServerMessage *msg);

G_END_DECLS
