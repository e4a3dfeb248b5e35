/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "ap-config.h"
#include "ap-error.h"
#include "ap-validate.h"
#include "fuzz.h"

/*
 * The configuration file (GKeyFile text, up to a NUL), through
 * ap_config_load_from_data() as ap_config_load() reads it.
 *
 *  - a file that is refused is an AP_ERROR_CONFIG naming the file;
 *  - a file that is accepted gives values that are safe where they go:
 *    the From mailbox into every email's headers, the public and video
 *    URLs into emails, pages and invitations, the host into a socket
 *    address; none holds a control character (GKeyFile turns `\n` and
 *    `\r` escapes into real ones), and each keeps its documented form.
 */

#define FUZZ_CONFIG_PATH "/nonexistent/appoint/appoint.conf"

static void
fuzz_config_check_line(const gchar *value)
{
	g_assert_nonnull(value);
	g_assert_true(g_utf8_validate(value, -1, NULL));
	for (const guchar *p = (const guchar *)value; *p != '\0'; p++)
		g_assert_true(*p >= 0x20 && *p != 0x7f);
}

static void
fuzz_config_check_url(const gchar *value)
{
	fuzz_config_check_line(value);
	/* as written: GUri takes the scheme in any case (hTtP://) */
	g_assert_true(g_ascii_strncasecmp(value, "http://", 7) == 0 ||
		      g_ascii_strncasecmp(value, "https://", 8) == 0);
}

static void
fuzz_config_check(ApConfig *config)
{
	g_autofree gchar *video = NULL;
	const gchar *domain;

	g_assert_cmpstr(config->path, ==, FUZZ_CONFIG_PATH);
	fuzz_config_check_line(config->listen_host);
	g_assert_cmpstr(config->listen_host, !=, "");
	fuzz_config_check_url(config->public_url);
	g_assert_false(g_str_has_suffix(config->public_url, "/"));

	fuzz_config_check_line(config->mail_from);
	g_assert_true(ap_validate_email(config->mail_from_address, "from", NULL));
	g_assert_nonnull(strstr(config->mail_from, config->mail_from_address));
	domain = ap_config_get_mail_domain(config);
	fuzz_config_check_line(domain);
	g_assert_cmpstr(domain, !=, "");
	switch (config->mail_transport) {
	case AP_MAIL_TRANSPORT_SMTP:
	case AP_MAIL_TRANSPORT_SMTPS:
		fuzz_config_check_line(config->mail_url);
		g_assert_true(g_str_has_prefix(config->mail_url, "smtp://") ||
			      g_str_has_prefix(config->mail_url, "smtps://"));
		break;
	case AP_MAIL_TRANSPORT_MAILDIR:
	default:
		g_assert_true(g_path_is_absolute(config->mail_maildir));
		break;
	}
	if (config->mail_username != NULL)
		fuzz_config_check_line(config->mail_username);
	if (config->mail_password_file != NULL) {
		g_assert_nonnull(config->mail_username);
		g_assert_true(g_path_is_absolute(config->mail_password_file));
	}
	g_assert_true(g_path_is_absolute(config->database_path));

	fuzz_config_check_url(config->video_url_template);
	g_assert_nonnull(strstr(config->video_url_template, "{room}"));
	video = ap_config_video_url(config, "room-1234");
	fuzz_config_check_url(video);
	g_assert_null(strstr(video, "{room}"));

	g_assert_cmpuint(config->bookings_per_minute, <=, 1000000);
	g_assert_cmpuint(config->io_timeout_seconds, >=, 1);
	g_assert_cmpuint(config->io_timeout_seconds, <=, 3600);
	g_assert_cmpuint(config->request_timeout_seconds, >=, 1);
	g_assert_cmpuint(config->request_timeout_seconds, <=, 3600);

	/* the port once listened on: the derived URL follows it */
	ap_config_set_listening_port(config, 4242);
	fuzz_config_check_url(config->public_url);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autofree gchar *text = NULL;
	g_autoptr(ApConfig) config = NULL;
	g_autoptr(GError) error = NULL;

	fuzz_init();
	if (size > 16 * 1024)
		return 0;
	text = g_strndup((const gchar *)data, size);
	config = ap_config_load_from_data(text, FUZZ_CONFIG_PATH, &error);
	if (config == NULL) {
		g_assert_nonnull(error);
		g_assert_true(g_error_matches(error, AP_ERROR, AP_ERROR_CONFIG));
		g_assert_true(g_str_has_prefix(error->message, FUZZ_CONFIG_PATH));
		return 0;
	}
	g_assert_no_error(error);
	fuzz_config_check(config);
	return 0;
}
