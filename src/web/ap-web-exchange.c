/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApWeb"

#include "ap-web-exchange.h"

/* as G_DEFINE_QUARK() would, but private to this file */
static GQuark
ap_web_exchange_quark(void)
{
	static GQuark quark;

	if (G_UNLIKELY(quark == 0))
		quark = g_quark_from_static_string("ap-web-exchange");
	return quark;
}

static void
ap_web_exchange_free(gpointer data)
{
	ApWebExchange *exchange = data;

	g_clear_pointer(&exchange->principal, ap_principal_free);
	g_free(exchange);
}

/**
 * ap_web_exchange_get:
 * @msg: a request, on the main loop's thread
 *
 * Returns: (transfer none): what is kept of @msg, made when first asked
 *   for and freed with @msg
 */
ApWebExchange *
ap_web_exchange_get(SoupServerMessage *msg)
{
	ApWebExchange *exchange = g_object_get_qdata(G_OBJECT(msg), ap_web_exchange_quark());

	if (exchange == NULL) {
		exchange = g_new0(ApWebExchange, 1);
		g_object_set_qdata_full(
			G_OBJECT(msg), ap_web_exchange_quark(), exchange, ap_web_exchange_free);
	}
	return exchange;
}
