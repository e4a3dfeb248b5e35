/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApUser"

#include "ap-user.h"

static const gchar *ap_role_names[] = {"admin", "staff", "expert"};

ApUser *
ap_user_new(void)
{
	ApUser *user = g_new0(ApUser, 1);
	user->active = TRUE;
	return user;
}

void
ap_user_free(ApUser *user)
{
	if (user == NULL)
		return;
	g_free(user->email);
	g_free(user->name);
	g_free(user->password_hash);
	g_free(user);
}

const gchar *
ap_role_to_string(ApRole role)
{
	g_return_val_if_fail((guint)role < G_N_ELEMENTS(ap_role_names), NULL);
	return ap_role_names[role];
}

gboolean
ap_role_from_string(const gchar *text, ApRole *role)
{
	for (guint i = 0; i < G_N_ELEMENTS(ap_role_names); i++) {
		if (g_strcmp0(text, ap_role_names[i]) == 0) {
			*role = (ApRole)i;
			return TRUE;
		}
	}
	return FALSE;
}
