/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApConfig"

#include "ap-config.h"

#include <gio/gio.h>
#include <string.h>

#include "ap-error.h"
#include "ap-validate.h"

/* every group and key the file may hold; anything else is a mistake */
static const gchar *ap_config_server_keys[] = {"listen",
					       "public-url",
					       "access-log",
					       "tls-certificate",
					       "tls-key",
					       "trusted-proxies",
					       NULL};
static const gchar *ap_config_database_keys[] = {"path", NULL};
static const gchar *ap_config_mail_keys[] = {
	"transport", "from", "username", "password-file", NULL};
static const gchar *ap_config_video_keys[] = {"url-template", NULL};
static const gchar *ap_config_limits_keys[] = {
	"bookings-per-minute", "io-timeout-seconds", "request-timeout-seconds", NULL};
static const gchar *ap_config_privacy_keys[] = {"retention-days", NULL};

static const struct {
	const gchar *group;
	const gchar **keys;
} ap_config_schema[] = {
	{"server", ap_config_server_keys},
	{"database", ap_config_database_keys},
	{"mail", ap_config_mail_keys},
	{"video", ap_config_video_keys},
	{"limits", ap_config_limits_keys},
	{"privacy", ap_config_privacy_keys},
};

void
ap_config_free(ApConfig *config)
{
	if (config == NULL)
		return;
	g_free(config->path);
	g_free(config->data_dir);
	g_free(config->listen_host);
	g_free(config->public_url);
	g_free(config->database_path);
	g_free(config->mail_url);
	g_free(config->mail_maildir);
	g_free(config->mail_from);
	g_free(config->mail_from_address);
	g_free(config->mail_username);
	g_strfreev(config->trusted_proxies);
	g_free(config->tls_certificate);
	g_free(config->tls_key);
	g_free(config->mail_password_file);
	g_free(config->video_url_template);
	g_free(config);
}

/**
 * ap_config_new_default:
 *
 * The embedded defaults: HTTP on 127.0.0.1:8080, SQLite and a Maildir
 * under `$XDG_DATA_HOME/appoint`.
 *
 * Returns: (transfer full): a configuration
 */
ApConfig *
ap_config_new_default(void)
{
	ApConfig *config = g_new0(ApConfig, 1);

	config->data_dir = g_build_filename(g_get_user_data_dir(), "appoint", NULL);
	config->listen_host = g_strdup("127.0.0.1");
	config->listen_port = 8080;
	config->public_url = g_strdup("http://127.0.0.1:8080");
	config->public_url_derived = TRUE;
	config->database_path = g_build_filename(config->data_dir, "appoint.db", NULL);
	config->mail_transport = AP_MAIL_TRANSPORT_MAILDIR;
	config->mail_maildir = g_build_filename(config->data_dir, "maildir", NULL);
	config->mail_from = g_strdup("Appointments <appointments@example.com>");
	config->mail_from_address = g_strdup("appointments@example.com");
	config->video_url_template = g_strdup("https://meet.example.com/{room}");
	/* a guard against floods, not a quota: a busy store's peak from one
	 * address (a shop's shared connection) stays well below it */
	config->bookings_per_minute = 600;
	config->access_log = TRUE;
	config->retention_days = 730;
	config->io_timeout_seconds = 30;
	config->request_timeout_seconds = 60;
	return config;
}

/* GKeyFile has no inline comments, but the documented example uses them:
 * a value's tail of white space, '#' and text is a comment */
static gchar *
ap_config_strip_comment(const gchar *value)
{
	gchar *copy = g_strdup(value);
	for (gchar *p = copy; *p != '\0'; p++) {
		if (*p == '#' && p > copy && g_ascii_isspace(p[-1])) {
			*p = '\0';
			break;
		}
	}
	return g_strstrip(copy);
}

static gboolean
ap_config_parse_listen(const gchar *value, gchar **host, guint16 *port)
{
	const gchar *colon;
	g_autofree gchar *h = NULL;
	guint64 p = 0;

	if (value[0] == '[') {
		const gchar *close = strchr(value, ']');
		if (close == NULL || close[1] != ':')
			return FALSE;
		h = g_strndup(value + 1, (gsize)(close - value - 1));
		colon = close + 1;
	} else {
		colon = strrchr(value, ':');
		if (colon == NULL || memchr(value, ':', (gsize)(colon - value)) != NULL)
			return FALSE;
		h = g_strndup(value, (gsize)(colon - value));
	}
	if (*h == '\0' || strlen(h) > 253)
		return FALSE;
	for (const gchar *c = h; *c != '\0'; c++) {
		if (!g_ascii_isalnum(*c) && strchr(".-:_%", *c) == NULL)
			return FALSE;
	}
	if (!g_ascii_string_to_unsigned(colon + 1, 10, 0, 65535, &p, NULL))
		return FALSE;
	*host = g_steal_pointer(&h);
	*port = (guint16)p;
	return TRUE;
}

/* an absolute http(s) URL with a host, normalised without a trailing '/' */
static gchar *
ap_config_parse_http_url(const gchar *value, gboolean allow_query)
{
	g_autoptr(GUri) uri = g_uri_parse(value, G_URI_FLAGS_NONE, NULL);
	gchar *text;
	gsize len;

	if (uri == NULL || g_uri_get_host(uri) == NULL || *g_uri_get_host(uri) == '\0' ||
	    (g_strcmp0(g_uri_get_scheme(uri), "http") != 0 &&
	     g_strcmp0(g_uri_get_scheme(uri), "https") != 0) ||
	    g_uri_get_fragment(uri) != NULL || (!allow_query && g_uri_get_query(uri) != NULL) ||
	    g_uri_get_userinfo(uri) != NULL)
		return NULL;
	text = g_strdup(value);
	len = strlen(text);
	while (len > 0 && text[len - 1] == '/')
		text[--len] = '\0';
	return text;
}

/* a relative path in the file is relative to the file's own folder */
static gchar *
ap_config_resolve_path(const gchar *config_path, const gchar *value)
{
	g_autofree gchar *dir = NULL;

	if (g_path_is_absolute(value))
		return g_canonicalize_filename(value, NULL);
	dir = g_path_get_dirname(config_path);
	return g_canonicalize_filename(value, dir);
}

static gboolean
ap_config_parse_transport(ApConfig *config, const gchar *config_path, const gchar *value)
{
	if (g_str_has_prefix(value, "maildir:")) {
		const gchar *dir = value + strlen("maildir:");
		if (*dir == '\0')
			return FALSE;
		g_free(config->mail_maildir);
		config->mail_maildir = ap_config_resolve_path(config_path, dir);
		config->mail_transport = AP_MAIL_TRANSPORT_MAILDIR;
		return TRUE;
	}
	if (g_str_has_prefix(value, "smtp://") || g_str_has_prefix(value, "smtps://")) {
		g_autoptr(GUri) uri = g_uri_parse(value, G_URI_FLAGS_NONE, NULL);
		const gchar *path;
		if (uri == NULL || g_uri_get_host(uri) == NULL || *g_uri_get_host(uri) == '\0' ||
		    g_uri_get_userinfo(uri) != NULL || g_uri_get_query(uri) != NULL ||
		    g_uri_get_fragment(uri) != NULL)
			return FALSE;
		path = g_uri_get_path(uri);
		if (path != NULL && *path != '\0' && g_strcmp0(path, "/") != 0)
			return FALSE;
		config->mail_transport = g_str_has_prefix(value, "smtps://")
						 ? AP_MAIL_TRANSPORT_SMTPS
						 : AP_MAIL_TRANSPORT_SMTP;
		g_free(config->mail_url);
		config->mail_url = g_strdup(value);
		return TRUE;
	}
	return FALSE;
}

/* `Name <address>` or a bare address */
static gboolean
ap_config_parse_from(ApConfig *config, const gchar *value)
{
	const gchar *lt = strchr(value, '<');
	g_autofree gchar *address = NULL;

	if (lt != NULL) {
		g_autofree gchar *name = g_strstrip(g_strndup(value, (gsize)(lt - value)));
		const gchar *gt = strchr(lt, '>');
		if (gt == NULL || gt[1] != '\0' || strchr(name, '"') != NULL ||
		    !ap_validate_line(name, "from", 200, FALSE, NULL))
			return FALSE;
		address = g_strndup(lt + 1, (gsize)(gt - lt - 1));
	} else {
		address = g_strdup(value);
	}
	if (!ap_validate_email(address, "from", NULL))
		return FALSE;
	g_free(config->mail_from);
	config->mail_from = g_strdup(value);
	g_free(config->mail_from_address);
	config->mail_from_address = g_steal_pointer(&address);
	return TRUE;
}

static gboolean
ap_config_apply(ApConfig *config,
		const gchar *path,
		const gchar *group,
		const gchar *key,
		const gchar *value,
		GError **error)
{
	const gchar *problem = NULL;

	/* GKeyFile turns \n, \r and \t escapes into the characters: none
	 * belongs in a value that ends up in a header, a link or a path */
	if (!ap_validate_line(value, key, G_MAXINT, FALSE, NULL)) {
		problem = "holds a control character or is not UTF-8";
	} else if (g_strcmp0(group, "server") == 0 && g_strcmp0(key, "listen") == 0) {
		g_autofree gchar *host = NULL;
		if (ap_config_parse_listen(value, &host, &config->listen_port)) {
			g_free(config->listen_host);
			config->listen_host = g_steal_pointer(&host);
		} else {
			problem = "is not HOST:PORT, such as 127.0.0.1:8080 or [::1]:8080";
		}
	} else if (g_strcmp0(group, "server") == 0 && g_strcmp0(key, "public-url") == 0) {
		gchar *url = ap_config_parse_http_url(value, FALSE);
		if (url != NULL) {
			g_free(config->public_url);
			config->public_url = url;
		} else {
			problem = "is not an http:// or https:// URL without query or fragment";
		}
	} else if (g_strcmp0(group, "server") == 0 && g_strcmp0(key, "access-log") == 0) {
		if (g_strcmp0(value, "true") == 0 || g_strcmp0(value, "false") == 0)
			config->access_log = g_strcmp0(value, "true") == 0;
		else
			problem = "is not true or false";
	} else if (g_strcmp0(group, "database") == 0 && g_strcmp0(key, "path") == 0) {
		if (*value != '\0') {
			g_free(config->database_path);
			config->database_path = ap_config_resolve_path(path, value);
		} else {
			problem = "is empty";
		}
	} else if (g_strcmp0(group, "mail") == 0 && g_strcmp0(key, "transport") == 0) {
		if (!ap_config_parse_transport(config, path, value))
			problem = "is not smtp://HOST:PORT, smtps://HOST:PORT or maildir:/DIR";
	} else if (g_strcmp0(group, "mail") == 0 && g_strcmp0(key, "from") == 0) {
		if (!ap_config_parse_from(config, value))
			problem =
				"is not a mailbox such as Appointments <appointments@example.com>";
	} else if (g_strcmp0(group, "mail") == 0 && g_strcmp0(key, "username") == 0) {
		if (ap_validate_line(value, "username", 256, TRUE, NULL)) {
			g_free(config->mail_username);
			config->mail_username = g_strdup(value);
		} else {
			problem = "is empty or has control characters";
		}
	} else if (g_strcmp0(group, "server") == 0 && g_strcmp0(key, "trusted-proxies") == 0) {
		g_auto(GStrv) parts = g_strsplit(value, ",", -1);
		g_autoptr(GPtrArray) proxies = g_ptr_array_new_with_free_func(g_free);

		for (guint i = 0; parts[i] != NULL && problem == NULL; i++) {
			g_autoptr(GInetAddress) address = NULL;
			g_strstrip(parts[i]);
			if (*parts[i] == '\0')
				continue;
			address = g_inet_address_new_from_string(parts[i]);
			if (address == NULL)
				problem = "is not a list of IP addresses separated by commas";
			else
				g_ptr_array_add(proxies, g_inet_address_to_string(address));
		}
		if (problem == NULL) {
			g_ptr_array_add(proxies, NULL);
			g_strfreev(config->trusted_proxies);
			config->trusted_proxies =
				(gchar **)g_ptr_array_free(g_steal_pointer(&proxies), FALSE);
		}
	} else if (g_strcmp0(group, "server") == 0 &&
		   (g_strcmp0(key, "tls-certificate") == 0 || g_strcmp0(key, "tls-key") == 0)) {
		g_autofree gchar *file =
			*value != '\0' ? ap_config_resolve_path(path, value) : NULL;
		gchar **slot = g_strcmp0(key, "tls-key") == 0 ? &config->tls_key
							      : &config->tls_certificate;
		if (file != NULL && g_file_test(file, G_FILE_TEST_IS_REGULAR)) {
			g_free(*slot);
			*slot = g_steal_pointer(&file);
		} else {
			problem = "is not a file (PEM)";
		}
	} else if (g_strcmp0(group, "mail") == 0 && g_strcmp0(key, "password-file") == 0) {
		g_autofree gchar *file =
			*value != '\0' ? ap_config_resolve_path(path, value) : NULL;
		if (file != NULL && g_file_test(file, G_FILE_TEST_IS_REGULAR)) {
			g_free(config->mail_password_file);
			config->mail_password_file = g_steal_pointer(&file);
		} else {
			problem = "is not a readable file";
		}
	} else if (g_strcmp0(group, "video") == 0 && g_strcmp0(key, "url-template") == 0) {
		gchar *url = strstr(value, "{room}") != NULL ? ap_config_parse_http_url(value, TRUE)
							     : NULL;
		if (url != NULL) {
			g_free(config->video_url_template);
			config->video_url_template = url;
		} else {
			problem = "is not an http(s) URL containing {room}";
		}
	} else if (g_strcmp0(group, "limits") == 0 && g_strcmp0(key, "bookings-per-minute") == 0) {
		guint64 n = 0;
		if (g_ascii_string_to_unsigned(value, 10, 0, 1000000, &n, NULL))
			config->bookings_per_minute = (guint)n;
		else
			problem = "is not a whole number from 0 (no limit) to 1000000";
	} else if (g_strcmp0(group, "limits") == 0 && g_strcmp0(key, "io-timeout-seconds") == 0) {
		guint64 n = 0;
		if (g_ascii_string_to_unsigned(value, 10, 1, 3600, &n, NULL))
			config->io_timeout_seconds = (guint)n;
		else
			problem = "is not a whole number of seconds from 1 to 3600";
	} else if (g_strcmp0(group, "limits") == 0 &&
		   g_strcmp0(key, "request-timeout-seconds") == 0) {
		guint64 n = 0;
		if (g_ascii_string_to_unsigned(value, 10, 1, 3600, &n, NULL))
			config->request_timeout_seconds = (guint)n;
		else
			problem = "is not a whole number of seconds from 1 to 3600";
	} else if (g_strcmp0(group, "privacy") == 0 && g_strcmp0(key, "retention-days") == 0) {
		guint64 n = 0;
		if (g_ascii_string_to_unsigned(value, 10, 0, 36500, &n, NULL))
			config->retention_days = (guint)n;
		else
			problem = "is not a whole number of days from 0 (keep for good) to 36500";
	}
	if (problem != NULL) {
		g_set_error(error,
			    AP_ERROR,
			    AP_ERROR_CONFIG,
			    "%s: [%s] %s: '%s' %s",
			    path,
			    group,
			    key,
			    value,
			    problem);
		return FALSE;
	}
	return TRUE;
}

static const gchar **
ap_config_keys_of(const gchar *group)
{
	for (guint i = 0; i < G_N_ELEMENTS(ap_config_schema); i++) {
		if (g_strcmp0(ap_config_schema[i].group, group) == 0)
			return ap_config_schema[i].keys;
	}
	return NULL;
}

/**
 * ap_config_load_from_data:
 * @data: GKeyFile text
 * @path: the file name to use in messages and to resolve relative paths
 * @error: a #GError, or %NULL
 *
 * Every key has a default; an unknown group or key, or a malformed value,
 * is an %AP_ERROR_CONFIG error naming the file, the group and the key.
 *
 * Returns: (transfer full) (nullable): the configuration
 */
ApConfig *
ap_config_load_from_data(const gchar *data, const gchar *path, GError **error)
{
	g_autoptr(GKeyFile) kf = g_key_file_new();
	g_autoptr(ApConfig) config = ap_config_new_default();
	g_autoptr(GError) error_local = NULL;
	g_auto(GStrv) groups = NULL;
	gboolean public_url_set = FALSE;

	if (!g_key_file_load_from_data(kf, data, (gsize)-1, G_KEY_FILE_NONE, &error_local)) {
		g_set_error(error, AP_ERROR, AP_ERROR_CONFIG, "%s: %s", path, error_local->message);
		return NULL;
	}
	config->path = g_strdup(path);
	groups = g_key_file_get_groups(kf, NULL);
	for (guint i = 0; groups[i] != NULL; i++) {
		const gchar **allowed = ap_config_keys_of(groups[i]);
		g_auto(GStrv) keys = NULL;

		if (allowed == NULL) {
			g_set_error(error,
				    AP_ERROR,
				    AP_ERROR_CONFIG,
				    "%s: [%s]: unknown group (known: server, database, mail, "
				    "video, limits)",
				    path,
				    groups[i]);
			return NULL;
		}
		keys = g_key_file_get_keys(kf, groups[i], NULL, NULL);
		for (guint j = 0; keys != NULL && keys[j] != NULL; j++) {
			g_autofree gchar *raw = NULL;
			g_autofree gchar *value = NULL;

			if (!g_strv_contains(allowed, keys[j])) {
				g_set_error(error,
					    AP_ERROR,
					    AP_ERROR_CONFIG,
					    "%s: [%s] %s: unknown key",
					    path,
					    groups[i],
					    keys[j]);
				return NULL;
			}
			raw = g_key_file_get_string(kf, groups[i], keys[j], &error_local);
			if (raw == NULL) {
				g_set_error(error,
					    AP_ERROR,
					    AP_ERROR_CONFIG,
					    "%s: [%s] %s: %s",
					    path,
					    groups[i],
					    keys[j],
					    error_local->message);
				return NULL;
			}
			value = ap_config_strip_comment(raw);
			if (!ap_config_apply(config, path, groups[i], keys[j], value, error))
				return NULL;
			if (g_strcmp0(groups[i], "server") == 0 &&
			    g_strcmp0(keys[j], "public-url") == 0)
				public_url_set = TRUE;
		}
	}
	if (config->mail_password_file != NULL && config->mail_username == NULL) {
		g_set_error(error,
			    AP_ERROR,
			    AP_ERROR_CONFIG,
			    "%s: [mail] password-file: needs [mail] username",
			    path);
		return NULL;
	}
	if ((config->tls_certificate == NULL) != (config->tls_key == NULL)) {
		g_set_error(error,
			    AP_ERROR,
			    AP_ERROR_CONFIG,
			    "%s: [server] tls-certificate and tls-key go together",
			    path);
		return NULL;
	}
	config->public_url_derived = !public_url_set;
	if (!public_url_set)
		ap_config_set_listening_port(config, config->listen_port);
	return g_steal_pointer(&config);
}

/**
 * ap_config_set_listening_port:
 * @config: the configuration
 * @port: the port actually listened on, once known (with `listen = HOST:0`)
 *
 * Links must reach this server unless told otherwise: without a configured
 * public URL, it is made from the listening address.
 */
void
ap_config_set_listening_port(ApConfig *config, guint16 port)
{
	gboolean v6 = strchr(config->listen_host, ':') != NULL;

	config->listen_port = port;
	if (!config->public_url_derived)
		return;
	g_free(config->public_url);
	config->public_url = g_strdup_printf("%s://%s%s%s:%u",
					     config->tls_certificate != NULL ? "https" : "http",
					     v6 ? "[" : "",
					     config->listen_host,
					     v6 ? "]" : "",
					     port);
}

/**
 * ap_config_load:
 * @path: a GKeyFile
 * @error: a #GError, or %NULL
 *
 * Returns: (transfer full) (nullable): the configuration
 */
ApConfig *
ap_config_load(const gchar *path, GError **error)
{
	g_autofree gchar *data = NULL;
	g_autofree gchar *absolute = g_canonicalize_filename(path, NULL);
	g_autoptr(GError) error_local = NULL;

	if (!g_file_get_contents(absolute, &data, NULL, &error_local)) {
		g_set_error(error, AP_ERROR, AP_ERROR_CONFIG, "%s", error_local->message);
		return NULL;
	}
	return ap_config_load_from_data(data, absolute, error);
}

/**
 * ap_config_video_url:
 * @config: the configuration
 * @room: the room name, URL-safe
 *
 * Returns: (transfer full): the template with every `{room}` replaced
 */
gchar *
ap_config_video_url(const ApConfig *config, const gchar *room)
{
	g_auto(GStrv) parts = g_strsplit(config->video_url_template, "{room}", -1);
	return g_strjoinv(room, parts);
}

/**
 * ap_config_get_mail_domain:
 *
 * Returns: (transfer none): the domain of the From address, used for
 * iCalendar UIDs and Message-IDs
 */
const gchar *
ap_config_get_mail_domain(const ApConfig *config)
{
	const gchar *at = strrchr(config->mail_from_address, '@');
	return at != NULL ? at + 1 : "localhost";
}
