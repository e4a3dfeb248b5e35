/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "appointctl"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "ap-ctl.h"
#include "ap-secret.h"
#include "ap-sqlite-store.h"

static const struct {
	const gchar *words;
	ApCtlCommandFunc func;
	const gchar *summary;
} ap_ctl_commands[] = {
	{"user add", ap_ctl_user_add, "--email E --name N --role admin|staff|expert [--expert ID]"},
	{"token create", ap_ctl_token_create, "--email E"},
	{"service list", ap_ctl_service_list, ""},
	{"expert add", ap_ctl_expert_add, "--name N --email E --services IDS --timezone ZONE"},
	{"expert list", ap_ctl_expert_list, "[--service ID] [--all]"},
	{"hours set", ap_ctl_hours_set, "--expert ID mon=09:00-17:00 …"},
	{"hours override", ap_ctl_hours_override, "--expert ID DATE=RANGES"},
	{"time-off add", ap_ctl_time_off_add, "--expert ID --start TIME --end TIME [--reason R]"},
	{"slots", ap_ctl_slots, "--service ID --from DATE --to DATE [--expert ID] [--tz ZONE]"},
	{"booking list", ap_ctl_booking_list, "[--q TEXT] [--from DATE] [--to DATE]"},
	{"booking show", ap_ctl_booking_show, "REFERENCE"},
	{"booking reschedule", ap_ctl_booking_reschedule, "REFERENCE --start TIME [--expert ID]"},
	{"booking cancel", ap_ctl_booking_cancel, "REFERENCE [--reason R]"},
	{"booking complete", ap_ctl_booking_complete, "REFERENCE"},
	{"booking no-show", ap_ctl_booking_no_show, "REFERENCE"},
	{"customer export", ap_ctl_customer_export, "EMAIL"},
	{"customer erase", ap_ctl_customer_erase, "EMAIL"},
	{"backup", ap_ctl_backup, "FILE"},
	{"demo", ap_ctl_demo, ""},
	{"generate", ap_ctl_generate, "[--experts N] [--bookings M] [--seed S]"},
};

static void
ap_ctl_usage(void)
{
	g_printerr("usage: appointctl [--config FILE] COMMAND [OPTIONS]\n\ncommands:\n");
	for (guint i = 0; i < G_N_ELEMENTS(ap_ctl_commands); i++)
		g_printerr("  %-20s %s\n", ap_ctl_commands[i].words, ap_ctl_commands[i].summary);
	g_printerr("\nEach command takes --help.\n");
}

/* the command whose words start argv[*index]; advances *index past them */
static gint
ap_ctl_find_command(gint argc, gchar **argv, gint *index)
{
	for (guint i = 0; i < G_N_ELEMENTS(ap_ctl_commands); i++) {
		g_auto(GStrv) words = g_strsplit(ap_ctl_commands[i].words, " ", -1);
		guint n = g_strv_length(words);
		gboolean match = *index + (gint)n <= argc;
		for (guint j = 0; match && j < n; j++)
			match = g_strcmp0(argv[*index + (gint)j], words[j]) == 0;
		if (match) {
			*index += (gint)n - 1;
			return (gint)i;
		}
	}
	return -1;
}

int
main(int argc, char *argv[])
{
	const gchar *config_path = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(ApConfig) config = NULL;
	g_autoptr(ApStore) store = NULL;
	g_autoptr(ApEngine) engine = NULL;
	g_autofree gchar *actor = NULL;
	g_autoptr(GPtrArray) sub_argv = g_ptr_array_new();
	ApCtl ctl = {NULL};
	gint i = 1, cmd;

	/* an unknown locale in the environment leaves "C": fine */
	(void)setlocale(LC_ALL, "");
	bindtextdomain(GETTEXT_PACKAGE, LOCALEDIR);
	bind_textdomain_codeset(GETTEXT_PACKAGE, "UTF-8");

	/* global options come before the command */
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (g_strcmp0(argv[i], "--config") == 0 || g_strcmp0(argv[i], "-c") == 0) {
			if (i + 1 >= argc) {
				g_printerr("appointctl: --config needs a FILE\n");
				return EXIT_FAILURE;
			}
			config_path = argv[++i];
		} else if (g_str_has_prefix(argv[i], "--config=")) {
			config_path = argv[i] + strlen("--config=");
		} else if (g_strcmp0(argv[i], "--version") == 0) {
			g_print("appointctl %s\n", PACKAGE_VERSION);
			return EXIT_SUCCESS;
		} else if (g_strcmp0(argv[i], "--help") == 0 || g_strcmp0(argv[i], "-h") == 0) {
			ap_ctl_usage();
			return EXIT_SUCCESS;
		} else {
			g_printerr("appointctl: unknown option '%s'; see appointctl --help\n",
				   argv[i]);
			return EXIT_FAILURE;
		}
	}
	if (i >= argc) {
		ap_ctl_usage();
		return EXIT_FAILURE;
	}
	cmd = ap_ctl_find_command(argc, argv, &i);
	if (cmd < 0) {
		g_printerr("appointctl: unknown command '%s'; see appointctl --help\n", argv[i]);
		return EXIT_FAILURE;
	}

	if (!ap_secret_init(&error)) {
		g_printerr("appointctl: %s\n", error->message);
		return EXIT_FAILURE;
	}
	config =
		config_path != NULL ? ap_config_load(config_path, &error) : ap_config_new_default();
	if (config == NULL) {
		g_printerr("appointctl: %s\n", error->message);
		return EXIT_FAILURE;
	}
	store = ap_sqlite_store_new(config->database_path, &error);
	if (store == NULL) {
		g_printerr("appointctl: %s: %s\n", config->database_path, error->message);
		return EXIT_FAILURE;
	}
	engine = ap_engine_new(config, store, &error);
	if (engine == NULL) {
		g_printerr("appointctl: %s\n", error->message);
		return EXIT_FAILURE;
	}

	actor = g_strdup_printf("appointctl:%s", g_get_user_name());
	ctl.config = config;
	ctl.engine = engine;
	ctl.actor = actor;
	/* the command sees itself as argv[0], then its own arguments */
	g_ptr_array_add(sub_argv, (gpointer)ap_ctl_commands[cmd].words);
	for (gint j = i + 1; j < argc; j++)
		g_ptr_array_add(sub_argv, argv[j]);
	g_ptr_array_add(sub_argv, NULL);
	{
		gint sub_argc = (gint)sub_argv->len - 1;
		gchar **args = (gchar **)sub_argv->pdata;
		if (!ap_ctl_commands[cmd].func(&ctl, sub_argc, args, &error)) {
			g_printerr(
				"appointctl: %s: %s\n", ap_ctl_commands[cmd].words, error->message);
			return EXIT_FAILURE;
		}
	}
	return EXIT_SUCCESS;
}
