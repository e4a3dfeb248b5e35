/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <gio/gio.h>
#include <string.h>

#include "ap-config.h"
#include "ap-error.h"
#include "ap-test-util.h"

static void
test_config_defaults(void)
{
	g_autoptr(ApConfig) config = ap_config_new_default();
	g_autofree gchar *data_dir = g_build_filename(g_get_user_data_dir(), "appoint", NULL);
	g_autofree gchar *db = g_build_filename(data_dir, "appoint.db", NULL);
	g_autofree gchar *video = NULL;

	g_assert_cmpstr(config->listen_host, ==, "127.0.0.1");
	g_assert_cmpuint(config->listen_port, ==, 8080);
	g_assert_cmpstr(config->public_url, ==, "http://127.0.0.1:8080");
	g_assert_cmpstr(config->data_dir, ==, data_dir);
	g_assert_cmpstr(config->database_path, ==, db);
	g_assert_cmpint(config->mail_transport, ==, AP_MAIL_TRANSPORT_MAILDIR);
	g_assert_true(g_str_has_prefix(config->mail_maildir, data_dir));
	video = ap_config_video_url(config, "room1");
	g_assert_cmpstr(video, ==, "https://meet.example.com/room1");
	g_assert_true(config->access_log);
	g_assert_cmpuint(config->io_timeout_seconds, ==, 30);
	g_assert_cmpuint(config->request_timeout_seconds, ==, 60);
}

/* the contract's example, inline comments and all */
static void
test_config_contract_example(void)
{
	const gchar *text = "[server]\n"
			    "listen = 127.0.0.1:8080            # HOST:PORT\n"
			    "public-url = http://127.0.0.1:8080 # base of every link\n"
			    "\n"
			    "[database]\n"
			    "path = /var/lib/appoint/appoint.db\n"
			    "\n"
			    "[mail]\n"
			    "transport = smtp://127.0.0.1:25    # or smtps://HOST:PORT\n"
			    "from = Appointments <appointments@example.com>\n"
			    "# username = ... / password-file = ...\n"
			    "\n"
			    "[video]\n"
			    "url-template = https://meet.example.com/{room}\n";
	g_autoptr(GError) error = NULL;
	g_autoptr(ApConfig) config = ap_config_load_from_data(text, "/etc/appoint.conf", &error);

	g_assert_no_error(error);
	g_assert_cmpstr(config->listen_host, ==, "127.0.0.1");
	g_assert_cmpuint(config->listen_port, ==, 8080);
	g_assert_cmpstr(config->public_url, ==, "http://127.0.0.1:8080");
	g_assert_cmpstr(config->database_path, ==, "/var/lib/appoint/appoint.db");
	g_assert_cmpint(config->mail_transport, ==, AP_MAIL_TRANSPORT_SMTP);
	g_assert_cmpstr(config->mail_url, ==, "smtp://127.0.0.1:25");
	g_assert_cmpstr(config->mail_from_address, ==, "appointments@example.com");
	g_assert_cmpstr(ap_config_get_mail_domain(config), ==, "example.com");
}

static void
test_config_values(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ApConfig) config = NULL;

	config = ap_config_load_from_data("[server]\nlisten=[::1]:0\n"
					  "[database]\npath=data/a.db\n"
					  "[mail]\ntransport=maildir:mail\nfrom=a@b.example\n"
					  "[video]\nurl-template=https://v.example/r/{room}?x=1\n",
					  "/srv/appoint/appoint.conf",
					  &error);
	g_assert_no_error(error);
	g_assert_cmpstr(config->listen_host, ==, "::1");
	g_assert_cmpuint(config->listen_port, ==, 0);
	/* without public-url, links point at the listening address */
	g_assert_cmpstr(config->public_url, ==, "http://[::1]:0");
	ap_config_set_listening_port(config, 41234);
	g_assert_cmpstr(config->public_url, ==, "http://[::1]:41234");
	g_assert_cmpstr(config->database_path, ==, "/srv/appoint/data/a.db");
	g_assert_cmpint(config->mail_transport, ==, AP_MAIL_TRANSPORT_MAILDIR);
	g_assert_cmpstr(config->mail_maildir, ==, "/srv/appoint/mail");
	g_assert_cmpstr(config->mail_from_address, ==, "a@b.example");
	g_clear_pointer(&config, ap_config_free);

	config = ap_config_load_from_data("[server]\npublic-url=https://book.example.com/\n"
					  "[mail]\ntransport=smtps://mail.example.com:465\n",
					  "/x.conf",
					  &error);
	g_assert_no_error(error);
	g_assert_cmpstr(config->public_url, ==, "https://book.example.com");
	/* a configured public URL stays whatever port is listened on */
	ap_config_set_listening_port(config, 41234);
	g_assert_cmpstr(config->public_url, ==, "https://book.example.com");
	g_assert_cmpint(config->mail_transport, ==, AP_MAIL_TRANSPORT_SMTPS);
}

/* each bad file must fail, and the message must name file, group and key */
static void
test_config_errors(void)
{
	const struct {
		const gchar *text;
		const gchar *expect;
	} cases[] = {
		{"[server]\nlisten=127.0.0.1\n", "[server] listen"},
		{"[server]\nlisten=127.0.0.1:99999\n", "[server] listen"},
		{"[server]\nlisten=:8080\n", "[server] listen"},
		{"[server]\nlisten=a b:80\n", "[server] listen"},
		{"[server]\nport=80\n", "[server] port: unknown key"},
		{"[server]\npublic-url=ftp://x.example\n", "[server] public-url"},
		{"[server]\npublic-url=http://\n", "[server] public-url"},
		{"[server]\npublic-url=http://x.example/#frag\n", "[server] public-url"},
		{"[database]\npath=\n", "[database] path"},
		{"[database]\nfile=/tmp/x\n", "[database] file: unknown key"},
		{"[mail]\ntransport=pop3://x\n", "[mail] transport"},
		{"[mail]\ntransport=smtp://\n", "[mail] transport"},
		{"[mail]\ntransport=maildir:\n", "[mail] transport"},
		{"[mail]\nfrom=not an address\n", "[mail] from"},
		{"[mail]\nfrom=Name <a@b>\n", "[mail] from"},
		{"[mail]\npassword-file=/nonexistent/pw\n", "[mail] password-file"},
		{"[video]\nurl-template=https://meet.example.com/\n", "[video] url-template"},
		{"[video]\nurl-template=javascript:{room}\n", "[video] url-template"},
		{"[smtp]\nhost=x\n", "[smtp]: unknown group"},
		{"[limits]\nbookings-per-minute=-1\n", "[limits] bookings-per-minute"},
		{"[limits]\nio-timeout-seconds=0\n", "[limits] io-timeout-seconds"},
		{"[limits]\nrequest-timeout-seconds=soon\n", "[limits] request-timeout-seconds"},
		{"[server]\naccess-log=yes\n", "[server] access-log"},
		{"[limits]\nlogins=5\n", "[limits] logins: unknown key"},
		{"listen=1\n", "/bad.conf"},
		{"[server\n", "/bad.conf"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(ApConfig) config =
			ap_config_load_from_data(cases[i].text, "/bad.conf", &error);
		g_test_message("case %u: %s", i, cases[i].text);
		g_assert_null(config);
		g_assert_error(error, AP_ERROR, AP_ERROR_CONFIG);
		g_assert_true(g_str_has_prefix(error->message, "/bad.conf"));
		g_assert_nonnull(strstr(error->message, cases[i].expect));
	}
}

static void
test_config_file(void)
{
	g_autofree gchar *dir = ap_test_make_dir();
	g_autofree gchar *path = g_build_filename(dir, "appoint.conf", NULL);
	g_autofree gchar *missing = g_build_filename(dir, "missing.conf", NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(ApConfig) config = NULL;
	g_autofree gchar *db = g_build_filename(dir, "x.db", NULL);

	g_assert_true(g_file_set_contents(path, "[database]\npath=x.db\n", -1, &error));
	config = ap_config_load(path, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(config->database_path, ==, db);

	g_assert_null(ap_config_load(missing, &error));
	g_assert_error(error, AP_ERROR, AP_ERROR_CONFIG);
	g_assert_nonnull(strstr(error->message, "missing.conf"));
	ap_test_remove_dir(dir);
}

/* the commented example shipped in data/ is itself a valid configuration */
static void
test_config_shipped_example(void)
{
	g_autofree gchar *path =
		g_test_build_filename(G_TEST_DIST, "..", "data", "appoint.conf.example", NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(ApConfig) config = ap_config_load(path, &error);

	g_assert_no_error(error);
	g_assert_nonnull(config);
	g_assert_true(config->access_log);
	g_assert_cmpuint(config->request_timeout_seconds, ==, 60);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	g_test_add_func("/config/defaults", test_config_defaults);
	g_test_add_func("/config/contract-example", test_config_contract_example);
	g_test_add_func("/config/values", test_config_values);
	g_test_add_func("/config/errors", test_config_errors);
	g_test_add_func("/config/file", test_config_file);
	g_test_add_func("/config/shipped-example", test_config_shipped_example);
	return g_test_run();
}
