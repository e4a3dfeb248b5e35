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
