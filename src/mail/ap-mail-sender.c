/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApMail"

#include "ap-mail-sender.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "ap-error.h"

/* how long one message may take over SMTP, and the connection to open */
#define AP_MAIL_SMTP_TIMEOUT_SECONDS	     60
#define AP_MAIL_SMTP_CONNECT_TIMEOUT_SECONDS 10

struct _ApMailSender {
	gchar *smtp_url;
	gchar *maildir;
	gchar *username;
	gchar *password;
	CURL *curl; /* kept, so that the connection is reused */
	guint serial;
	/* Maildir messages written to tmp/, not yet synced nor in new/ */
	GPtrArray *written; /* tmp path, then new path, in pairs */
};

static void
ap_mail_sender_curl_init(void)
{
	static gsize once = 0;

	if (g_once_init_enter(&once)) {
		curl_global_init(CURL_GLOBAL_DEFAULT);
		g_once_init_leave(&once, 1);
	}
}

static gboolean
ap_mail_sender_mkdir(const gchar *dir, GError **error)
{
	if (g_mkdir_with_parents(dir, 0700) != 0) {
		gint errsv = errno;
		g_set_error(error,
			    AP_ERROR,
			    AP_ERROR_CONFIG,
			    "cannot create %s: %s",
			    dir,
			    g_strerror(errsv));
		return FALSE;
	}
	return TRUE;
}

/**
 * ap_mail_sender_new:
 * @options: where mail goes
 * @error: a #GError, or %NULL
 *
 * Returns: (transfer full) (nullable): the transport
 */
ApMailSender *
ap_mail_sender_new(const ApMailSenderOptions *options, GError **error)
{
	g_autoptr(ApMailSender) self = g_new0(ApMailSender, 1);

	g_return_val_if_fail(options != NULL, NULL);

	if ((options->smtp_url == NULL) == (options->maildir == NULL)) {
		g_set_error(error,
			    AP_ERROR,
			    AP_ERROR_CONFIG,
			    "mail goes either over SMTP or to a Maildir");
		return NULL;
	}
	self->written = g_ptr_array_new_with_free_func(g_free);
	self->smtp_url = g_strdup(options->smtp_url);
	self->maildir = g_strdup(options->maildir);
	self->username = g_strdup(options->username);
	self->password = g_strdup(options->password);
	if (self->maildir != NULL) {
		const gchar *const subdirs[] = {"tmp", "new", "cur"};
		for (guint i = 0; i < G_N_ELEMENTS(subdirs); i++) {
			g_autofree gchar *dir = g_build_filename(self->maildir, subdirs[i], NULL);
			if (!ap_mail_sender_mkdir(dir, error))
				return NULL;
		}
	}
	return g_steal_pointer(&self);
}

void
ap_mail_sender_free(ApMailSender *self)
{
	if (self == NULL)
		return;
	g_clear_pointer(&self->curl, curl_easy_cleanup);
	/* what was never flushed was never delivered */
	for (guint i = 0; i < self->written->len; i += 2)
		g_unlink(g_ptr_array_index(self->written, i));
	g_ptr_array_unref(self->written);
	g_free(self->smtp_url);
	g_free(self->maildir);
	g_free(self->username);
	if (self->password != NULL)
		memset(self->password, 0, strlen(self->password));
	g_free(self->password);
	g_free(self);
}

/* written to tmp/; made durable and visible by ap_mail_sender_flush() */
static gboolean
ap_mail_sender_maildir(ApMailSender *self, GBytes *message, const gchar *name, GError **error)
{
	g_autofree gchar *base = g_strdup_printf("%" G_GINT64_FORMAT ".P%dQ%u.%s",
						 g_get_real_time() / G_USEC_PER_SEC,
						 (gint)getpid(),
						 ++self->serial,
						 name != NULL ? name : "appoint");
	g_autofree gchar *tmp = g_build_filename(self->maildir, "tmp", base, NULL);
	gsize len = 0;
	const guint8 *data = g_bytes_get_data(message, &len);
	gint fd = g_open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	gsize done = 0;

	if (fd < 0) {
		gint errsv = errno;
		g_set_error(error, AP_ERROR, AP_ERROR_STORE, "%s: %s", tmp, g_strerror(errsv));
		return FALSE;
	}
	while (done < len) {
		gssize n = write(fd, data + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			gint errsv = errno;
			close(fd);
			g_unlink(tmp);
			g_set_error(
				error, AP_ERROR, AP_ERROR_STORE, "%s: %s", tmp, g_strerror(errsv));
			return FALSE;
		}
		done += (gsize)n;
	}
	if (close(fd) != 0) {
		gint errsv = errno;
		g_unlink(tmp);
		g_set_error(error, AP_ERROR, AP_ERROR_STORE, "%s: %s", tmp, g_strerror(errsv));
		return FALSE;
	}
	g_ptr_array_add(self->written, g_steal_pointer(&tmp));
	g_ptr_array_add(self->written, g_build_filename(self->maildir, "new", base, NULL));
	return TRUE;
}

/* @whole_file_system: every message written to tmp/ since the last flush,
 * in one call rather than one fsync each; else @dir alone (its entries,
 * the renames into it) */
static gboolean
ap_mail_sender_sync_dir(const gchar *dir, gboolean whole_file_system, GError **error)
{
	gint fd = g_open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
	gboolean ok;

	if (fd < 0) {
		gint errsv = errno;
		g_set_error(error, AP_ERROR, AP_ERROR_STORE, "%s: %s", dir, g_strerror(errsv));
		return FALSE;
	}
#ifdef __linux__
	ok = (whole_file_system ? syncfs(fd) : fsync(fd)) == 0;
#else
	ok = fsync(fd) == 0;
#endif
	if (!ok) {
		gint errsv = errno;
		g_set_error(error, AP_ERROR, AP_ERROR_STORE, "%s: %s", dir, g_strerror(errsv));
	}
	close(fd);
	return ok;
}

/**
 * ap_mail_sender_flush:
 * @error: a #GError, or %NULL
 *
 * For a Maildir, makes what ap_mail_sender_send() wrote since the last
 * flush durable (one sync of the file system), then visible (renamed into
 * new/, and that directory synced): a batch of messages costs two syncs,
 * not one each. The second is of new/ alone: a sync of the whole file
 * system would also write out what the database's checkpoints dirtied
 * since the first, ahead of their own sync, while the database's commits
 * wait on the same disk. Nothing counts as delivered before this returns %TRUE;
 * on failure none of the batch is. For SMTP there is nothing to do.
 *
 * Returns: %TRUE if everything sent so far is delivered
 */
gboolean
ap_mail_sender_flush(ApMailSender *self, GError **error)
{
	g_autofree gchar *tmp_dir = NULL;
	g_autofree gchar *new_dir = NULL;
	gboolean ok;

	g_return_val_if_fail(self != NULL, FALSE);

	if (self->written->len == 0)
		return TRUE;
	tmp_dir = g_build_filename(self->maildir, "tmp", NULL);
	new_dir = g_build_filename(self->maildir, "new", NULL);
	ok = ap_mail_sender_sync_dir(tmp_dir, TRUE, error);
	for (guint i = 0; ok && i < self->written->len; i += 2) {
		if (g_rename(g_ptr_array_index(self->written, i),
			     g_ptr_array_index(self->written, i + 1)) != 0) {
			gint errsv = errno;
			g_set_error(error,
				    AP_ERROR,
				    AP_ERROR_STORE,
				    "%s: %s",
				    (const gchar *)g_ptr_array_index(self->written, i + 1),
				    g_strerror(errsv));
			ok = FALSE;
		}
	}
	if (ok)
		ok = ap_mail_sender_sync_dir(new_dir, FALSE, error);
	if (!ok) {
		for (guint i = 0; i < self->written->len; i += 2)
			g_unlink(g_ptr_array_index(self->written, i));
	}
	g_ptr_array_set_size(self->written, 0);
	return ok;
}

typedef struct {
	const guint8 *data;
	gsize len;
	gsize done;
} ApMailUpload;

static size_t
ap_mail_sender_read_cb(char *buffer, size_t size, size_t nitems, void *user_data)
{
	ApMailUpload *upload = user_data;
	gsize n = MIN(size * nitems, upload->len - upload->done);

	memcpy(buffer, upload->data + upload->done, n);
	upload->done += n;
	return n;
}

static gboolean
ap_mail_sender_smtp(ApMailSender *self,
		    const gchar *from,
		    const gchar *to,
		    GBytes *message,
		    gboolean *permanent,
		    GError **error)
{
	g_autofree gchar *mail_from = g_strdup_printf("<%s>", from);
	g_autofree gchar *rcpt = g_strdup_printf("<%s>", to);
	struct curl_slist *recipients = curl_slist_append(NULL, rcpt);
	gchar curl_error[CURL_ERROR_SIZE] = {0};
	ApMailUpload upload = {0};
	CURLcode rc;
	glong code = 0;

	upload.data = g_bytes_get_data(message, &upload.len);
	if (self->curl == NULL) {
		ap_mail_sender_curl_init();
		self->curl = curl_easy_init();
	}
	curl_easy_reset(self->curl);
	curl_easy_setopt(self->curl, CURLOPT_URL, self->smtp_url);
	curl_easy_setopt(self->curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(self->curl, CURLOPT_MAIL_FROM, mail_from);
	curl_easy_setopt(self->curl, CURLOPT_MAIL_RCPT, recipients);
	curl_easy_setopt(self->curl, CURLOPT_READFUNCTION, ap_mail_sender_read_cb);
	curl_easy_setopt(self->curl, CURLOPT_READDATA, &upload);
	curl_easy_setopt(self->curl, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(self->curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t)upload.len);
	curl_easy_setopt(
		self->curl, CURLOPT_CONNECTTIMEOUT, (long)AP_MAIL_SMTP_CONNECT_TIMEOUT_SECONDS);
	curl_easy_setopt(self->curl, CURLOPT_TIMEOUT, (long)AP_MAIL_SMTP_TIMEOUT_SECONDS);
	curl_easy_setopt(self->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(self->curl, CURLOPT_ERRORBUFFER, curl_error);
	if (self->username != NULL) {
		curl_easy_setopt(self->curl, CURLOPT_USERNAME, self->username);
		curl_easy_setopt(
			self->curl, CURLOPT_PASSWORD, self->password != NULL ? self->password : "");
		/* credentials never cross the network in the clear */
		if (g_str_has_prefix(self->smtp_url, "smtp://"))
			curl_easy_setopt(self->curl, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	}
	rc = curl_easy_perform(self->curl);
	curl_slist_free_all(recipients);
	curl_easy_getinfo(self->curl, CURLINFO_RESPONSE_CODE, &code);
	*permanent = FALSE;
	if (rc == CURLE_OK)
		return TRUE;
	/* 5xx is the relay's last word on this message; the rest (no
	 * connection, 4xx, a timeout) passes */
	*permanent = code >= 500 && code < 600;
	/* cppcheck-suppress invalidPrintfArgType_sint ; code is a glong, not unsigned */
	g_set_error(error,
		    AP_ERROR,
		    AP_ERROR_STORE,
		    "SMTP %s: %s (%ld)",
		    curl_easy_strerror(rc),
		    *curl_error != '\0' ? curl_error : "no detail",
		    code);
	/* a half-dead connection is not reused */
	g_clear_pointer(&self->curl, curl_easy_cleanup);
	return FALSE;
}

/**
 * ap_mail_sender_send:
 * @from: the envelope sender
 * @to: the one recipient
 * @message: the whole message, CRLF line endings
 * @name: (nullable): a name for a Maildir file (letters and digits)
 * @permanent: (out): on failure, whether retrying is pointless (SMTP 5xx)
 * @error: a #GError, or %NULL
 *
 * Returns: %TRUE once the relay has accepted the message; for a Maildir,
 * once it is written, to be made durable by ap_mail_sender_flush()
 */
gboolean
ap_mail_sender_send(ApMailSender *self,
		    const gchar *from,
		    const gchar *to,
		    GBytes *message,
		    const gchar *name,
		    gboolean *permanent,
		    GError **error)
{
	g_return_val_if_fail(self != NULL, FALSE);
	g_return_val_if_fail(permanent != NULL, FALSE);

	*permanent = FALSE;
	if (self->maildir != NULL)
		return ap_mail_sender_maildir(self, message, name, error);
	return ap_mail_sender_smtp(self, from, to, message, permanent, error);
}
