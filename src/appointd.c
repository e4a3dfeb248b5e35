/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "appointd"

#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <stdlib.h>

#include "ap-engine.h"
#include "ap-log-writer.h"
#include "ap-outbox.h"
#include "ap-privacy.h"
#include "ap-secret.h"
#include "ap-sqlite-store.h"
#include "ap-web-server.h"

/* how long requests in flight may take to finish once asked to stop */
#define AP_SHUTDOWN_TIMEOUT_SECONDS 20

typedef struct {
	GMainLoop *loop;
	ApWebServer *web;
	gboolean stopping;
} ApDaemon;

static void
ap_daemon_shutdown_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	ApDaemon *daemon = user_data;
	g_autoptr(GError) error = NULL;

	if (!ap_web_server_shutdown_finish(AP_WEB_SERVER(source), result, &error))
		g_warning("stopping: %s", error->message);
	g_main_loop_quit(daemon->loop);
}

static void
ap_daemon_outbox_wake_cb(gpointer data, gpointer unused)
{
	ap_outbox_wake(AP_OUTBOX(data));
}

/* the retention period and erasures, every few minutes: a short
 * transaction a batch, on the main loop like the writes other than new
 * bookings (those are the writer thread's: see ApWebWriter) */
#define AP_DAEMON_PRIVACY_SECONDS 300

static gboolean
ap_daemon_privacy_cb(gpointer user_data)
{
	g_autoptr(GError) error = NULL;
	gint n = ap_privacy_sweep(AP_ENGINE(user_data), &error);

	if (n < 0)
		g_warning("anonymising past sessions: %s", error->message);
	else if (n > 0)
		g_message("anonymised the customer details of %d booking(s)", n);
	return G_SOURCE_CONTINUE;
}

static gboolean
ap_daemon_signal_cb(gpointer user_data)
{
	ApDaemon *daemon = user_data;

	if (daemon->stopping) {
		g_message("asked again to stop: stopping now");
		g_main_loop_quit(daemon->loop);
		return G_SOURCE_CONTINUE;
	}
	daemon->stopping = TRUE;
	g_message("stopping: finishing requests in flight");
	ap_web_server_shutdown_async(
		daemon->web, AP_SHUTDOWN_TIMEOUT_SECONDS, NULL, ap_daemon_shutdown_cb, daemon);
	return G_SOURCE_CONTINUE;
}

int
main(int argc, char *argv[])
{
	g_autofree gchar *config_path = NULL;
	gboolean version = FALSE;
	gboolean verbose = FALSE;
	const GOptionEntry entries[] = {
		{"config",
		 'c',
		 0,
		 G_OPTION_ARG_FILENAME,
		 &config_path,
		 "Configuration file",
		 "FILE"},
		{"verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, "Log debugging messages", NULL},
		{"version", 0, 0, G_OPTION_ARG_NONE, &version, "Print the version and exit", NULL},
		{NULL}};
	g_autoptr(GOptionContext) context = g_option_context_new("- the appoint service");
	g_autoptr(GError) error = NULL;
	g_autoptr(ApConfig) config = NULL;
	g_autoptr(ApStore) store = NULL;
	g_autoptr(ApEngine) engine = NULL;
	g_autoptr(ApWebServer) web = NULL;
	g_autoptr(ApOutbox) outbox = NULL;
	g_autoptr(GMainLoop) loop = NULL;
	g_autoslist(GUri) uris = NULL;
	ApDaemon daemon = {NULL};
	guint sigterm_id, sigint_id, privacy_id;

	/* an unknown locale in the environment leaves "C": fine */
	(void)setlocale(LC_ALL, "");
	/* without TZ, glibc's localtime() stats /etc/localtime again on every
	 * call, and GLib's log writers call it for each line of the access
	 * log; naming the same file reads it once (nothing here keeps local
	 * time but those timestamps: every instant is UTC or a named zone) */
	if (g_getenv("TZ") == NULL)
		g_setenv("TZ", ":/etc/localtime", FALSE);
	/* the access log's lines, written with less work than GLib's own */
	ap_log_writer_install();
	/* APPOINT_LOCALEDIR: the catalogues of a build tree, not installed */
	bindtextdomain(GETTEXT_PACKAGE,
		       g_getenv("APPOINT_LOCALEDIR") != NULL ? g_getenv("APPOINT_LOCALEDIR")
							     : LOCALEDIR);
	bind_textdomain_codeset(GETTEXT_PACKAGE, "UTF-8");

	g_option_context_add_main_entries(context, entries, NULL);
	g_option_context_set_summary(context,
				     "Runs appoint in the foreground. Without --config it uses "
				     "the embedded defaults:\nSQLite and a Maildir under "
				     "$XDG_DATA_HOME/appoint, HTTP on 127.0.0.1:8080.");
	if (!g_option_context_parse(context, &argc, &argv, &error)) {
		g_printerr("appointd: %s\n", error->message);
		return EXIT_FAILURE;
	}
	if (version) {
		g_print("appointd %s\n", PACKAGE_VERSION);
		return EXIT_SUCCESS;
	}
	if (argc > 1) {
		g_printerr("appointd: unexpected argument '%s'\n", argv[1]);
		return EXIT_FAILURE;
	}
	if (verbose)
		g_log_set_debug_enabled(TRUE);

	if (!ap_secret_init(&error)) {
		g_printerr("appointd: %s\n", error->message);
		return EXIT_FAILURE;
	}
	config =
		config_path != NULL ? ap_config_load(config_path, &error) : ap_config_new_default();
	if (config == NULL) {
		g_printerr("appointd: %s\n", error->message);
		return EXIT_FAILURE;
	}
	store = ap_sqlite_store_new(config->database_path, &error);
	if (store == NULL) {
		g_printerr("appointd: %s: %s\n", config->database_path, error->message);
		return EXIT_FAILURE;
	}
	engine = ap_engine_new(config, store, &error);
	if (engine == NULL) {
		g_printerr("appointd: %s\n", error->message);
		return EXIT_FAILURE;
	}
	/* emails go from a thread of their own, woken by every commit that
	 * wrote some; what was due before a crash goes first */
	outbox = ap_outbox_new(engine);
	if (!ap_outbox_start(outbox, &error)) {
		g_printerr("appointd: cannot start the outbox: %s\n", error->message);
		return EXIT_FAILURE;
	}
	ap_engine_set_committed_func(engine, ap_daemon_outbox_wake_cb, outbox);
	web = ap_web_server_new(engine);
	if (config->tls_certificate != NULL &&
	    !ap_web_server_set_tls_files(web, config->tls_certificate, config->tls_key, &error)) {
		g_printerr("appointd: cannot serve HTTPS: %s\n", error->message);
		return EXIT_FAILURE;
	}
	if (!ap_web_server_listen(web, config->listen_host, config->listen_port, &error)) {
		g_printerr("appointd: cannot listen on %s:%u: %s\n",
			   config->listen_host,
			   config->listen_port,
			   error->message);
		return EXIT_FAILURE;
	}

	loop = g_main_loop_new(NULL, FALSE);
	daemon.loop = loop;
	daemon.web = web;
	sigterm_id = g_unix_signal_add(SIGTERM, ap_daemon_signal_cb, &daemon);
	sigint_id = g_unix_signal_add(SIGINT, ap_daemon_signal_cb, &daemon);

	uris = ap_web_server_get_uris(web);
	for (GSList *l = uris; l != NULL; l = l->next) {
		g_autofree gchar *text = g_uri_to_string(l->data);
		if (config->listen_port == 0)
			ap_config_set_listening_port(config, (guint16)g_uri_get_port(l->data));
		g_log_structured(G_LOG_DOMAIN,
				 G_LOG_LEVEL_MESSAGE,
				 "APPOINT_URL",
				 text,
				 "MESSAGE",
				 "listening on %s",
				 text);
	}
	g_message("database %s, public URL %s", config->database_path, config->public_url);

	/* new bookings wait for no checkpoint of the write-ahead log; started
	 * last, so that no way out above leaves it running */
	if (!ap_sqlite_store_start_checkpointer(AP_SQLITE_STORE(store), &error)) {
		g_printerr("appointd: %s\n", error->message);
		return EXIT_FAILURE;
	}
	ap_daemon_privacy_cb(engine);
	privacy_id = g_timeout_add_seconds(AP_DAEMON_PRIVACY_SECONDS, ap_daemon_privacy_cb, engine);
	g_main_loop_run(loop);
	g_source_remove(privacy_id);

	g_source_remove(sigterm_id);
	g_source_remove(sigint_id);
	/* the message being sent finishes; the rest waits in the outbox */
	ap_engine_set_committed_func(engine, NULL, NULL);
	ap_outbox_stop(outbox);
	ap_sqlite_store_stop_checkpointer(AP_SQLITE_STORE(store));
	g_message("stopped");
	return EXIT_SUCCESS;
}
