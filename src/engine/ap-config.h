/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
	AP_MAIL_TRANSPORT_MAILDIR,
	AP_MAIL_TRANSPORT_SMTP,
	AP_MAIL_TRANSPORT_SMTPS,
} ApMailTransport;

/**
 * ApConfig:
 * @path: (nullable): the file read, or %NULL for the embedded defaults
 * @data_dir: `$XDG_DATA_HOME/appoint`, where the defaults keep their files
 * @listen_host: address to listen on
 * @listen_port: port to listen on; 0 picks a free one
 * @public_url: base of every link in emails and pages, without a trailing `/`
 * @public_url_derived: %TRUE when @public_url was not configured but made
 *   from the listening address (see ap_config_set_listening_port())
 * @database_path: the SQLite file
 * @mail_transport: how mail leaves
 * @mail_url: `smtp://HOST:PORT` or `smtps://HOST:PORT`, for SMTP transports
 * @mail_maildir: the Maildir, for %AP_MAIL_TRANSPORT_MAILDIR
 * @mail_from: the From mailbox, e.g. `Appointments <appointments@example.com>`
 * @mail_from_address: the address alone
 * @mail_username: (nullable): for SMTP AUTH
 * @mail_password_file: (nullable): a file whose first line is the SMTP password
 * @video_url_template: a URL with `{room}` where the room name goes
 * @bookings_per_minute: bookings one client address may make a minute
 *   (and at once); 0 for no limit
 * @tls_certificate: (nullable): a PEM certificate (chain) to serve HTTPS
 *   with, beside @tls_key; %NULL serves plain HTTP (behind a proxy)
 * @tls_key: (nullable): its private key, PEM
 * @trusted_proxies: (nullable): addresses of reverse proxies whose
 *   X-Forwarded-For names the client (for rate limits and the audit trail)
 * @retention_days: days after a session ends before its customer's
 *   details are anonymised; 0 keeps them for good
 * @access_log: whether every request is logged (method, route, status,
 *   duration)
 * @io_timeout_seconds: how long a connection may stay silent, mid-request
 *   or idle between requests, before it is closed
 * @request_timeout_seconds: how long one request may take to arrive
 *   whole, headers and body, however steadily it trickles in
 *
 * The configuration of appointd and appointctl (GKeyFile, see CONTRACT.md).
 */
typedef struct {
	gchar *path;
	gchar *data_dir;
	gchar *listen_host;
	guint16 listen_port;
	gchar *public_url;
	gboolean public_url_derived;
	gchar *database_path;
	ApMailTransport mail_transport;
	gchar *mail_url;
	gchar *mail_maildir;
	gchar *mail_from;
	gchar *mail_from_address;
	gchar *mail_username;
	gchar *mail_password_file;
	gchar *video_url_template;
	guint bookings_per_minute;
	guint io_timeout_seconds;
	guint request_timeout_seconds;
	gboolean access_log;
	guint retention_days;
	gchar *tls_certificate;
	gchar *tls_key;
	gchar **trusted_proxies;
} ApConfig;

ApConfig *
ap_config_new_default(void);
ApConfig *
ap_config_load(const gchar *path, GError **error);
ApConfig *
ap_config_load_from_data(const gchar *data, const gchar *path, GError **error);
void
ap_config_free(ApConfig *config);
gchar *
ap_config_video_url(const ApConfig *config, const gchar *room);
const gchar *
ap_config_get_mail_domain(const ApConfig *config);
void
ap_config_set_listening_port(ApConfig *config, guint16 port);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(ApConfig, ap_config_free)

G_END_DECLS
