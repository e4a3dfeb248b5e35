/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApCtl"

#include "ap-ctl.h"

#include "ap-error.h"
#include "ap-secret.h"
#include "ap-validate.h"

#include <string.h>

gboolean
ap_ctl_user_add(ApCtl *ctl, gint argc, gchar **argv, GError **error)
{
	g_autofree gchar *email = NULL;
	g_autofree gchar *name = NULL;
	g_autofree gchar *role = NULL;
	g_autofree gchar *expert = NULL;
	g_autofree gchar *password = NULL;
	const GOptionEntry entries[] = {
		{"email", 0, 0, G_OPTION_ARG_STRING, &email, "Log-in email", "EMAIL"},
		{"name", 0, 0, G_OPTION_ARG_STRING, &name, "Full name", "NAME"},
		{"role", 0, 0, G_OPTION_ARG_STRING, &role, "admin, staff or expert", "ROLE"},
		{"expert", 0, 0, G_OPTION_ARG_STRING, &expert, "The expert this user is", "ID"},
		{NULL}};
	g_autoptr(GOptionContext) context =
		g_option_context_new("- add a user; the password is read from standard input");
	g_autoptr(ApUser) user = ap_user_new();

	g_option_context_add_main_entries(context, entries, NULL);
	if (!ap_ctl_parse(context, &argc, &argv, 0, error))
		return FALSE;
	if (!ap_validate_email(email, "--email", error) || !ap_validate_name(name, "--name", error))
		return FALSE;
	if (role == NULL || !ap_role_from_string(role, &user->role)) {
		g_set_error(
			error, AP_ERROR, AP_ERROR_INVALID, "--role must be admin, staff or expert");
		return FALSE;
	}
	if (user->role == AP_ROLE_EXPERT) {
		g_autoptr(ApExpert) found = NULL;
		if (expert == NULL) {
			g_set_error(error,
				    AP_ERROR,
				    AP_ERROR_INVALID,
				    "--role expert needs --expert ID");
			return FALSE;
		}
		if (!ap_ctl_parse_id(expert, "expert", &user->expert_id, error))
			return FALSE;
		found = ap_store_expert_get(
			ap_engine_get_store(ctl->engine), user->expert_id, error);
		if (found == NULL)
			return FALSE;
	} else if (expert != NULL) {
		g_set_error(
			error, AP_ERROR, AP_ERROR_INVALID, "--expert is only for --role expert");
		return FALSE;
	}
	password = ap_ctl_read_password(error);
	if (password == NULL)
		return FALSE;
	if (g_utf8_strlen(password, -1) < 8)
		g_printerr("appointctl: warning: a password shorter than 8 characters is weak\n");
	user->password_hash = ap_password_hash(password, error);
	explicit_bzero(password, strlen(password));
	if (user->password_hash == NULL)
		return FALSE;
	user->email = g_strdup(email);
	user->name = g_strdup(name);
	if (!ap_store_user_create(ap_engine_get_store(ctl->engine), user, error))
		return FALSE;
	g_print("%" G_GINT64_FORMAT "\n", user->id);
	return TRUE;
}

gboolean
ap_ctl_token_create(ApCtl *ctl, gint argc, gchar **argv, GError **error)
{
	g_autofree gchar *email = NULL;
	const GOptionEntry entries[] = {
		{"email", 0, 0, G_OPTION_ARG_STRING, &email, "The user's email", "EMAIL"}, {NULL}};
	g_autoptr(GOptionContext) context =
		g_option_context_new("- print a new API token for a user");
	g_autoptr(ApUser) user = NULL;
	g_autofree gchar *token = NULL;
	g_autofree gchar *hash = NULL;

	g_option_context_add_main_entries(context, entries, NULL);
	if (!ap_ctl_parse(context, &argc, &argv, 0, error))
		return FALSE;
	if (!ap_validate_email(email, "--email", error))
		return FALSE;
	user = ap_store_user_get_by_email(ap_engine_get_store(ctl->engine), email, error);
	if (user == NULL)
		return FALSE;
	if (!user->active) {
		g_set_error(error, AP_ERROR, AP_ERROR_INVALID, "user %s is deactivated", email);
		return FALSE;
	}
	token = ap_token_generate("apt_");
	hash = ap_token_hash(token);
	if (!ap_store_api_token_create(ap_engine_get_store(ctl->engine), user->id, hash, error))
		return FALSE;
	g_print("%s\n", token);
	return TRUE;
}
