/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "ap-error.h"

/* spelled out rather than G_DEFINE_QUARK(), whose expansion mixes
 * declarations and code */
GQuark
ap_error_quark(void)
{
	static GQuark quark = 0;
	if (quark == 0)
		quark = g_quark_from_static_string("ap-error-quark");
	return quark;
}

/**
 * ap_error_merge:
 * @errors: (inout) (nullable): where the problems found so far are
 * @error: (transfer full) (nullable): one more
 *
 * Gathers the problems of one input, so that a client hears of all its
 * mistakes at once instead of one per attempt: each is one more line of
 * the first error's message (`field: what is wrong`), and the first
 * one's code stands for them all.
 *
 * Returns: %FALSE if @error was set, so that `ok &= ap_error_merge(...)`
 * reads naturally
 */
gboolean
ap_error_merge(GError **errors, GError *error)
{
	gchar *message;

	if (error == NULL)
		return TRUE;
	if (errors == NULL) {
		g_error_free(error);
		return FALSE;
	}
	if (*errors == NULL) {
		*errors = error;
		return FALSE;
	}
	message = g_strconcat((*errors)->message, "\n", error->message, NULL);
	g_free((*errors)->message);
	(*errors)->message = message;
	g_error_free(error);
	return FALSE;
}
