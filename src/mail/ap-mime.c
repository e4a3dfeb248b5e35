/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApMail"

#include "ap-mime.h"

#include <gmime/gmime.h>
#include <string.h>

#include "ap-error.h"
#include "ap-validate.h"

/*
 * iMIP messages (RFC 6047) with GMime:
 *
 *   multipart/mixed
 *     multipart/alternative
 *       text/plain; charset=utf-8           (quoted-printable)
 *       text/html; charset=utf-8            (quoted-printable)
 *       text/calendar; method=...; charset=utf-8   (base64)
 *     application/ics; name=invite.ics      (base64, attachment)
 *
 * The parts are plain GMimeParts with an explicit charset: a GMimeTextPart
 * would pick Latin-1 for text that fits it, and would let GMime rewrite
 * the calendar's CRLFs; base64 keeps the calendar's octets as they are.
 */

/* GMime 3.2 defines no cleanup functions of its own */
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GMimeMessage, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GMimeMultipart, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GMimePart, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GMimeStream, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GMimeDataWrapper, g_object_unref)

static void
ap_mime_init(void)
{
	static gsize once = 0;

	if (g_once_init_enter(&once)) {
		g_mime_init();
		g_once_init_leave(&once, 1);
	}
}

/* nothing from a booking may add a header line */
static gboolean
ap_mime_header_safe(const gchar *text, const gchar *what, GError **error)
{
	if (text == NULL)
		return TRUE;
	for (const gchar *p = text; *p != '\0'; p++) {
		if ((guchar)*p < 0x20 || *p == 0x7f) {
			g_set_error(error,
				    AP_ERROR,
				    AP_ERROR_INVALID,
				    "%s holds a control character",
				    what);
			return FALSE;
		}
	}
	if (!g_utf8_validate(text, -1, NULL)) {
		g_set_error(error, AP_ERROR, AP_ERROR_INVALID, "%s is not UTF-8", what);
		return FALSE;
	}
	return TRUE;
}

/* a header text as a reader will decode it: GMime writes an ASCII word
 * as it is, so text that looks like an RFC 2047 encoded word ("=?utf-8?
 * q?a=0Ab?=" in a customer's name) would be decoded by the mail client,
 * into anything, line breaks too (found by fuzz-mail). A word joiner
 * (U+2060, invisible) after each "=" before "?" keeps it from being one */
static gchar *
ap_mime_header_text(const gchar *text)
{
	GString *out;

	if (text == NULL || strstr(text, "=?") == NULL)
		return g_strdup(text);
	out = g_string_new(NULL);
	for (const gchar *p = text; *p != '\0'; p++) {
		g_string_append_c(out, *p);
		if (p[0] == '=' && p[1] == '?')
			g_string_append(out, "\u2060");
	}
	return g_string_free(out, FALSE);
}

/* names encoded as UTF-8 too (RFC 2047), as GMime would otherwise pick
 * Latin-1 for a name that fits it */
static void
ap_mime_add_mailbox(GMimeMessage *msg,
		    GMimeAddressType type,
		    const gchar *name,
		    const gchar *address)
{
	g_autofree gchar *safe = ap_mime_header_text(name);
	InternetAddress *mailbox = internet_address_mailbox_new(safe, address);

	internet_address_set_charset(mailbox, "utf-8");
	internet_address_list_add(g_mime_message_get_addresses(msg, type), mailbox);
	g_object_unref(mailbox);
}

static GMimePart *
ap_mime_part(const gchar *type,
	     const gchar *subtype,
	     const gchar *content,
	     GMimeContentEncoding encoding)
{
	GMimePart *part = g_mime_part_new_with_type(type, subtype);
	g_autoptr(GMimeStream) stream = g_mime_stream_mem_new_with_buffer(content, strlen(content));
	g_autoptr(GMimeDataWrapper) wrapper =
		g_mime_data_wrapper_new_with_stream(stream, GMIME_CONTENT_ENCODING_DEFAULT);

	g_mime_object_set_content_type_parameter(GMIME_OBJECT(part), "charset", "utf-8");
	g_mime_part_set_content(part, wrapper);
	g_mime_part_set_content_encoding(part, encoding);
	return part;
}

/**
 * ap_mime_render:
 * @message: what to send
 * @error: a #GError, or %NULL
 *
 * Returns: (transfer full) (nullable): the message as it goes on the
 * wire, CRLF line endings
 */
GBytes *
ap_mime_render(const ApMimeMessage *message, GError **error)
{
	g_autoptr(GMimeMessage) msg = NULL;
	g_autoptr(GMimeMultipart) mixed = NULL;
	g_autoptr(GMimeMultipart) alternative = NULL;
	g_autoptr(GMimePart) text = NULL;
	g_autoptr(GMimePart) html = NULL;
	g_autoptr(GDateTime) date = NULL;
	g_autoptr(GMimeStream) out = NULL;
	GMimeFormatOptions *options;
	GByteArray *bytes;

	g_return_val_if_fail(message != NULL, NULL);

	if (!ap_mime_header_safe(message->from_name, "the sender's name", error) ||
	    !ap_mime_header_safe(message->from_address, "the sender's address", error) ||
	    !ap_mime_header_safe(message->to_name, "the recipient's name", error) ||
	    !ap_mime_header_safe(message->to_address, "the recipient's address", error) ||
	    !ap_mime_header_safe(message->subject, "the subject", error) ||
	    !ap_mime_header_safe(message->message_id, "the Message-ID", error))
		return NULL;
	/* what reaches here was validated at the door; a row written some
	 * other way (an import, an old database) must still make no message
	 * whose envelope a relay would read differently from its header */
	if (!ap_validate_email(message->from_address, "the sender's address", error) ||
	    !ap_validate_email(message->to_address, "the recipient's address", error))
		return NULL;
	if (g_ascii_strcasecmp(message->to_address, message->from_address) == 0) {
		g_set_error(error,
			    AP_ERROR,
			    AP_ERROR_INVALID,
			    "an invitation is never sent to its organizer");
		return NULL;
	}
	ap_mime_init();

	msg = g_mime_message_new(TRUE);
	ap_mime_add_mailbox(
		msg, GMIME_ADDRESS_TYPE_FROM, message->from_name, message->from_address);
	ap_mime_add_mailbox(msg, GMIME_ADDRESS_TYPE_TO, message->to_name, message->to_address);
	{
		g_autofree gchar *subject = ap_mime_header_text(message->subject);
		g_mime_message_set_subject(msg, subject, "utf-8");
	}
	date = g_date_time_new_from_unix_utc(message->date);
	g_mime_message_set_date(msg, date);
	g_mime_message_set_message_id(msg, message->message_id);

	alternative = g_mime_multipart_new_with_subtype("alternative");
	text = ap_mime_part("text", "plain", message->text, GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
	html = ap_mime_part("text", "html", message->html, GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
	g_mime_multipart_add(alternative, GMIME_OBJECT(text));
	g_mime_multipart_add(alternative, GMIME_OBJECT(html));
	if (message->calendar != NULL) {
		const gchar *method = ap_itip_method_to_string(message->method);
		g_autoptr(GMimePart) calendar = ap_mime_part(
			"text", "calendar", message->calendar, GMIME_CONTENT_ENCODING_BASE64);
		g_autoptr(GMimePart) attachment = ap_mime_part(
			"application", "ics", message->calendar, GMIME_CONTENT_ENCODING_BASE64);

		g_mime_object_set_content_type_parameter(GMIME_OBJECT(calendar), "method", method);
		g_mime_multipart_add(alternative, GMIME_OBJECT(calendar));
		mixed = g_mime_multipart_new_with_subtype("mixed");
		g_mime_multipart_add(mixed, GMIME_OBJECT(alternative));
		g_mime_object_set_content_type_parameter(
			GMIME_OBJECT(attachment), "name", "invite.ics");
		g_mime_part_set_filename(attachment, "invite.ics");
		g_mime_object_set_disposition(GMIME_OBJECT(attachment), "attachment");
		g_mime_part_set_filename(attachment, "invite.ics");
		g_mime_multipart_add(mixed, GMIME_OBJECT(attachment));
		g_mime_message_set_mime_part(msg, GMIME_OBJECT(mixed));
	} else {
		g_mime_message_set_mime_part(msg, GMIME_OBJECT(alternative));
	}

	options = g_mime_format_options_new();
	g_mime_format_options_set_newline_format(options, GMIME_NEWLINE_FORMAT_DOS);
	out = g_mime_stream_mem_new();
	if (g_mime_object_write_to_stream(GMIME_OBJECT(msg), options, out) < 0) {
		g_mime_format_options_free(options);
		g_set_error(error, AP_ERROR, AP_ERROR_INVALID, "GMime could not write the message");
		return NULL;
	}
	g_mime_format_options_free(options);
	bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(out));
	return g_bytes_new(bytes->data, bytes->len);
}
