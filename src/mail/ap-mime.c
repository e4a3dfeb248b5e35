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

/* a part whose content is @content, a buffer the caller keeps and fills
 * anew for each message */
static GMimePart *
ap_mime_part(const gchar *type,
	     const gchar *subtype,
	     GByteArray *content,
	     GMimeContentEncoding encoding)
{
	GMimePart *part = g_mime_part_new_with_type(type, subtype);
	g_autoptr(GMimeStream) stream = g_mime_stream_mem_new();
	g_autoptr(GMimeDataWrapper) wrapper = NULL;

	g_mime_stream_mem_set_byte_array(GMIME_STREAM_MEM(stream), content);
	wrapper = g_mime_data_wrapper_new_with_stream(stream, GMIME_CONTENT_ENCODING_DEFAULT);
	g_mime_object_set_content_type_parameter(GMIME_OBJECT(part), "charset", "utf-8");
	g_mime_part_set_content(part, wrapper);
	g_mime_part_set_content_encoding(part, encoding);
	return part;
}

/*
 * Building a message's tree of GMime objects (some ninety: headers,
 * parameters, address lists, streams) and finalizing it again cost more
 * than writing it. Each thread keeps one tree of each shape, with an
 * invitation and without, and only sets what differs from one message
 * to the next: the addresses, the subject, the date, the Message-ID,
 * the boundaries, the method and the contents. What it writes is what
 * a tree built afresh would write.
 */
typedef struct {
	GMimeMessage *msg;
	GMimeMultipart *mixed; /* the top, when there is an invitation */
	GMimeMultipart *alternative;
	GMimePart *calendar; /* NULL without an invitation */
	GByteArray *text;
	GByteArray *html;
	GByteArray *ics; /* both the calendar's and the attachment's */
	/* what the From (0) and To (1) lists were made of */
	gchar *names[2];
	gchar *addresses[2];
} ApMimeTree;

typedef struct {
	ApMimeTree *plain;
	ApMimeTree *invite;
} ApMimeTrees;

/* names encoded as UTF-8 too (RFC 2047), as GMime would otherwise pick
 * Latin-1 for a name that fits it; the list's earlier mailbox goes.
 * Formatting the header costs a good share of a message (an IDNA
 * conversion of the domain among it): the sender, the same in every
 * message, is set again only when it changes. */
static void
ap_mime_set_mailbox(ApMimeTree *tree,
		    GMimeAddressType type,
		    const gchar *name,
		    const gchar *address)
{
	guint i = type == GMIME_ADDRESS_TYPE_FROM ? 0 : 1;
	g_autofree gchar *safe = NULL;
	InternetAddressList *list;
	InternetAddress *mailbox;

	if (tree->addresses[i] != NULL && g_strcmp0(tree->names[i], name) == 0 &&
	    strcmp(tree->addresses[i], address) == 0)
		return;
	safe = ap_mime_header_text(name);
	list = g_mime_message_get_addresses(tree->msg, type);
	mailbox = internet_address_mailbox_new(safe, address);
	internet_address_set_charset(mailbox, "utf-8");
	internet_address_list_clear(list);
	internet_address_list_add(list, mailbox);
	g_object_unref(mailbox);
	g_free(tree->names[i]);
	g_free(tree->addresses[i]);
	tree->names[i] = g_strdup(name);
	tree->addresses[i] = g_strdup(address);
}

static void
ap_mime_tree_free(ApMimeTree *tree)
{
	if (tree == NULL)
		return;
	/* the streams hold the buffers without owning them: the tree first */
	g_object_unref(tree->msg);
	g_byte_array_unref(tree->text);
	g_byte_array_unref(tree->html);
	g_byte_array_unref(tree->ics);
	for (guint i = 0; i < G_N_ELEMENTS(tree->names); i++) {
		g_free(tree->names[i]);
		g_free(tree->addresses[i]);
	}
	g_free(tree);
}

static void
ap_mime_trees_free(gpointer data)
{
	ApMimeTrees *trees = data;

	ap_mime_tree_free(trees->plain);
	ap_mime_tree_free(trees->invite);
	g_free(trees);
}

static ApMimeTree *
ap_mime_tree_new(gboolean invite)
{
	ApMimeTree *tree = g_new0(ApMimeTree, 1);
	g_autoptr(GMimePart) text = NULL;
	g_autoptr(GMimePart) html = NULL;

	tree->text = g_byte_array_new();
	tree->html = g_byte_array_new();
	tree->ics = g_byte_array_new();
	tree->msg = g_mime_message_new(TRUE);
	/* the Message-ID before the MIME-Version that the top part brings,
	 * where a message built afresh has it */
	g_mime_message_set_message_id(tree->msg, "tree@appoint.invalid");
	tree->alternative = g_mime_multipart_new_with_subtype("alternative");
	text = ap_mime_part("text", "plain", tree->text, GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
	html = ap_mime_part("text", "html", tree->html, GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
	g_mime_multipart_add(tree->alternative, GMIME_OBJECT(text));
	g_mime_multipart_add(tree->alternative, GMIME_OBJECT(html));
	if (invite) {
		g_autoptr(GMimePart) attachment = ap_mime_part(
			"application", "ics", tree->ics, GMIME_CONTENT_ENCODING_BASE64);

		tree->calendar =
			ap_mime_part("text", "calendar", tree->ics, GMIME_CONTENT_ENCODING_BASE64);
		g_mime_object_set_content_type_parameter(
			GMIME_OBJECT(tree->calendar), "method", "REQUEST");
		g_mime_multipart_add(tree->alternative, GMIME_OBJECT(tree->calendar));
		/* the multiparts keep their parts */
		g_object_unref(tree->calendar);
		tree->mixed = g_mime_multipart_new_with_subtype("mixed");
		g_mime_multipart_add(tree->mixed, GMIME_OBJECT(tree->alternative));
		g_mime_object_set_content_type_parameter(
			GMIME_OBJECT(attachment), "name", "invite.ics");
		g_mime_object_set_disposition(GMIME_OBJECT(attachment), "attachment");
		g_mime_part_set_filename(attachment, "invite.ics");
		g_mime_multipart_add(tree->mixed, GMIME_OBJECT(attachment));
		g_mime_message_set_mime_part(tree->msg, GMIME_OBJECT(tree->mixed));
		g_object_unref(tree->mixed);
	} else {
		g_mime_message_set_mime_part(tree->msg, GMIME_OBJECT(tree->alternative));
	}
	/* the message keeps its parts */
	g_object_unref(tree->alternative);
	return tree;
}

/* this thread's tree of that shape */
static ApMimeTree *
ap_mime_tree_get(gboolean invite)
{
	static GPrivate key = G_PRIVATE_INIT(ap_mime_trees_free);
	ApMimeTrees *trees = g_private_get(&key);
	ApMimeTree **tree;

	if (trees == NULL) {
		trees = g_new0(ApMimeTrees, 1);
		g_private_set(&key, trees);
	}
	tree = invite ? &trees->invite : &trees->plain;
	if (*tree == NULL)
		*tree = ap_mime_tree_new(invite);
	/* cppcheck-suppress memleak ; the thread's GPrivate owns trees */
	return *tree;
}

static void
ap_mime_set_content(GByteArray *content, const gchar *text)
{
	g_byte_array_set_size(content, 0);
	g_byte_array_append(content, (const guint8 *)text, (guint)strlen(text));
}

/* CRLF line endings, for every message of the process */
static GMimeFormatOptions *
ap_mime_format_options(void)
{
	static gsize once = 0;
	static GMimeFormatOptions *options = NULL;

	if (g_once_init_enter(&once)) {
		options = g_mime_format_options_new();
		g_mime_format_options_set_newline_format(options, GMIME_NEWLINE_FORMAT_DOS);
		g_once_init_leave(&once, 1);
	}
	return options;
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
	g_autoptr(GDateTime) date = NULL;
	g_autoptr(GMimeStream) out = NULL;
	ApMimeTree *tree;
	GByteArray *bytes;
	gssize written;

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

	tree = ap_mime_tree_get(message->calendar != NULL);
	ap_mime_set_mailbox(
		tree, GMIME_ADDRESS_TYPE_FROM, message->from_name, message->from_address);
	ap_mime_set_mailbox(tree, GMIME_ADDRESS_TYPE_TO, message->to_name, message->to_address);
	{
		g_autofree gchar *subject = ap_mime_header_text(message->subject);
		g_mime_message_set_subject(tree->msg, subject, "utf-8");
	}
	date = g_date_time_new_from_unix_utc(message->date);
	g_mime_message_set_date(tree->msg, date);
	g_mime_message_set_message_id(tree->msg, message->message_id);

	/* new boundaries for each message, as GMime would pick them */
	g_mime_multipart_set_boundary(tree->alternative, NULL);
	ap_mime_set_content(tree->text, message->text);
	ap_mime_set_content(tree->html, message->html);
	if (message->calendar != NULL) {
		g_mime_multipart_set_boundary(tree->mixed, NULL);
		g_mime_object_set_content_type_parameter(GMIME_OBJECT(tree->calendar),
							 "method",
							 ap_itip_method_to_string(message->method));
		ap_mime_set_content(tree->ics, message->calendar);
	}

	out = g_mime_stream_mem_new();
	written = g_mime_object_write_to_stream(
		GMIME_OBJECT(tree->msg), ap_mime_format_options(), out);
	/* the contents are not kept past their message */
	g_byte_array_set_size(tree->text, 0);
	g_byte_array_set_size(tree->html, 0);
	g_byte_array_set_size(tree->ics, 0);
	if (written < 0) {
		g_set_error(error, AP_ERROR, AP_ERROR_INVALID, "GMime could not write the message");
		return NULL;
	}
	bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(out));
	return g_bytes_new(bytes->data, bytes->len);
}
