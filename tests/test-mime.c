/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <gmime/gmime.h>
#include <string.h>

#include "ap-error.h"
#include "ap-mime.h"

/*
 * The iMIP message's shape, read back with GMime's own parser: the parts
 * in the order clients expect, the calendar's octets untouched, headers
 * encoded and safe.
 */

G_DEFINE_AUTOPTR_CLEANUP_FUNC(GMimeMessage, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GMimeParser, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GMimeStream, g_object_unref)

#define AP_CALENDAR                                                                                \
	"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\n"                     \
	"SUMMARY:Personal styling for Zoë\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"

static ApMimeMessage
ap_message(void)
{
	ApMimeMessage m = {
		.from_name = "Appointments",
		.from_address = "appointments@example.com",
		.to_name = "Zoë Öztürk",
		.to_address = "zoe@example.net",
		.subject = "Your personal styling session on Monday 4 January at 09:00 — Zoë",
		.date = 1798977600,
		.message_id = "appoint-7.0f8fad5b@example.com",
		.text = "Hello Zoë,\n\nyour session is booked.\n",
		.html = "<p>Hello Zoë,</p><p>your session is booked.</p>",
		.calendar = AP_CALENDAR,
		.method = AP_ITIP_REQUEST,
	};
	return m;
}

static GMimeMessage *
ap_parse(GBytes *bytes)
{
	gsize len = 0;
	const gchar *data = g_bytes_get_data(bytes, &len);
	g_autoptr(GMimeStream) stream = g_mime_stream_mem_new_with_buffer(data, len);
	g_autoptr(GMimeParser) parser = g_mime_parser_new_with_stream(stream);
	GMimeMessage *msg = g_mime_parser_construct_message(parser, NULL);

	g_assert_nonnull(msg);
	return msg;
}

static gchar *
ap_part_content(GMimeObject *object)
{
	GMimeDataWrapper *content = g_mime_part_get_content(GMIME_PART(object));
	g_autoptr(GMimeStream) out = g_mime_stream_mem_new();
	GByteArray *array;

	g_mime_data_wrapper_write_to_stream(content, out);
	array = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(out));
	return g_strndup((const gchar *)array->data, array->len);
}

static void
test_mime_structure(void)
{
	ApMimeMessage m = ap_message();
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = ap_mime_render(&m, &error);
	g_autoptr(GMimeMessage) msg = NULL;
	g_autofree gchar *raw = NULL;
	g_autofree gchar *calendar = NULL;
	g_autofree gchar *attached = NULL;
	g_autofree gchar *text = NULL;
	GMimeObject *mixed, *alternative, *part;
	GMimeContentType *type;
	gsize len;

	g_assert_no_error(error);
	raw = g_strndup(g_bytes_get_data(bytes, &len), g_bytes_get_size(bytes));
	/* CRLF only */
	for (const gchar *p = raw; *p != '\0'; p++)
		if (*p == '\n')
			g_assert_true(p > raw && p[-1] == '\r');
	/* the subject and names are encoded as UTF-8 words: no raw byte
	 * outside ASCII in the headers */
	{
		const gchar *body = strstr(raw, "\r\n\r\n");
		g_assert_nonnull(body);
		for (const gchar *p = raw; p < body; p++)
			g_assert_cmpuint((guchar)*p, <, 0x80);
		g_assert_nonnull(g_strstr_len(raw, body - raw, "=?UTF-8?"));
		g_assert_null(g_strstr_len(raw, body - raw, "iso-8859-1"));
	}
	g_assert_nonnull(strstr(raw, "Message-Id: <appoint-7.0f8fad5b@example.com>"));

	msg = ap_parse(bytes);
	g_assert_cmpstr(g_mime_message_get_subject(msg), ==, m.subject);
	g_assert_cmpstr(g_mime_message_get_message_id(msg), ==, m.message_id);
	g_assert_nonnull(g_mime_message_get_date(msg));
	mixed = g_mime_message_get_mime_part(msg);
	g_assert_true(GMIME_IS_MULTIPART(mixed));
	g_assert_true(g_mime_content_type_is_type(
		g_mime_object_get_content_type(mixed), "multipart", "mixed"));
	g_assert_cmpint(g_mime_multipart_get_count(GMIME_MULTIPART(mixed)), ==, 2);
	alternative = g_mime_multipart_get_part(GMIME_MULTIPART(mixed), 0);
	g_assert_true(GMIME_IS_MULTIPART(alternative));
	g_assert_cmpint(g_mime_multipart_get_count(GMIME_MULTIPART(alternative)), ==, 3);

	part = g_mime_multipart_get_part(GMIME_MULTIPART(alternative), 0);
	type = g_mime_object_get_content_type(part);
	g_assert_true(g_mime_content_type_is_type(type, "text", "plain"));
	g_assert_cmpstr(g_mime_content_type_get_parameter(type, "charset"), ==, "utf-8");
	text = ap_part_content(part);
	g_assert_nonnull(strstr(text, "Hello Zoë"));
	part = g_mime_multipart_get_part(GMIME_MULTIPART(alternative), 1);
	g_assert_true(
		g_mime_content_type_is_type(g_mime_object_get_content_type(part), "text", "html"));

	/* the calendar: method as METHOD, UTF-8, every octet as given */
	part = g_mime_multipart_get_part(GMIME_MULTIPART(alternative), 2);
	type = g_mime_object_get_content_type(part);
	g_assert_true(g_mime_content_type_is_type(type, "text", "calendar"));
	g_assert_cmpstr(g_mime_content_type_get_parameter(type, "method"), ==, "REQUEST");
	g_assert_cmpstr(g_mime_content_type_get_parameter(type, "charset"), ==, "utf-8");
	calendar = ap_part_content(part);
	g_assert_cmpstr(calendar, ==, AP_CALENDAR);

	part = g_mime_multipart_get_part(GMIME_MULTIPART(mixed), 1);
	g_assert_true(g_mime_content_type_is_type(
		g_mime_object_get_content_type(part), "application", "ics"));
	g_assert_cmpstr(g_mime_part_get_filename(GMIME_PART(part)), ==, "invite.ics");
	g_assert_cmpstr(g_mime_object_get_disposition(part), ==, "attachment");
	attached = ap_part_content(part);
	g_assert_cmpstr(attached, ==, AP_CALENDAR);
}

/* nothing from a booking adds a header; nobody invites the organizer */
static void
test_mime_refused(void)
{
	const gchar *bad[] = {"Zoë\r\nBcc: victim@example.com", "Zoë\nX-Evil: 1", "tab\there"};

	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		ApMimeMessage m = ap_message();
		g_autoptr(GError) error = NULL;
		g_autoptr(GBytes) bytes = NULL;

		m.to_name = bad[i];
		bytes = ap_mime_render(&m, &error);
		g_assert_null(bytes);
		g_assert_error(error, AP_ERROR, AP_ERROR_INVALID);
		g_clear_error(&error);
		m = ap_message();
		m.subject = bad[i];
		g_assert_null(ap_mime_render(&m, &error));
		g_assert_error(error, AP_ERROR, AP_ERROR_INVALID);
	}
	{
		ApMimeMessage m = ap_message();
		g_autoptr(GError) error = NULL;

		m.to_address = "Appointments@Example.com";
		g_assert_null(ap_mime_render(&m, &error));
		g_assert_error(error, AP_ERROR, AP_ERROR_INVALID);
	}
}

/* text that looks like an RFC 2047 encoded word is shown as typed, not
 * decoded by the reader into something else */
static void
test_mime_encoded_word(void)
{
	ApMimeMessage m = ap_message();
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = NULL;
	g_autoptr(GMimeStream) stream = NULL;
	g_autoptr(GMimeParser) parser = NULL;
	g_autoptr(GMimeMessage) msg = NULL;
	InternetAddress *to;
	const gchar *subject;

	m.subject = "Booked: =?utf-8?q?a=0D=0AX-Evil:_1?=";
	m.to_name = "=?utf-8?q?Bcc=3A_x?=";
	bytes = ap_mime_render(&m, &error);
	g_assert_no_error(error);
	stream = g_mime_stream_mem_new_with_buffer(g_bytes_get_data(bytes, NULL),
						   g_bytes_get_size(bytes));
	parser = g_mime_parser_new_with_stream(stream);
	msg = g_mime_parser_construct_message(parser, NULL);
	subject = g_mime_message_get_subject(msg);
	g_assert_null(strpbrk(subject, "\r\n"));
	g_assert_nonnull(strstr(subject, "q?a=0D=0AX-Evil:_1?="));
	to = internet_address_list_get_address(g_mime_message_get_to(msg), 0);
	/* GMime's reader is lenient with what follows; still one name,
	 * visibly not a decoded word, on no line of its own */
	g_assert_nonnull(strstr(internet_address_get_name(to), "utf-8"));
	g_assert_null(strpbrk(internet_address_get_name(to), "\r\n"));
	g_assert_cmpint(internet_address_list_length(g_mime_message_get_bcc(msg)), ==, 0);
	g_assert_null(g_strstr_len(
		g_bytes_get_data(bytes, NULL), (gssize)g_bytes_get_size(bytes), "X-Evil: 1"));
}

/* @bytes as text, each boundary (GMime's "=-" and 20 characters) as "=-" */
static gchar *
ap_without_boundaries(GBytes *bytes)
{
	g_autoptr(GRegex) boundary = g_regex_new("=-[A-Za-z0-9+/]{20}", 0, 0, NULL);
	g_autofree gchar *raw = g_strndup(g_bytes_get_data(bytes, NULL), g_bytes_get_size(bytes));

	return g_regex_replace_literal(boundary, raw, -1, 0, "=-", 0, NULL);
}

static gpointer
ap_render_thread(gpointer data)
{
	ApMimeMessage m = ap_message();

	return ap_mime_render(&m, NULL);
}

/* each thread writes its messages with the same GMime objects, set anew
 * for each: nothing of one message is left in the next */
static void
test_mime_one_after_another(void)
{
	ApMimeMessage first = ap_message();
	ApMimeMessage plain = ap_message();
	ApMimeMessage cancel = ap_message();
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) a = ap_mime_render(&first, &error);
	g_autoptr(GBytes) b = NULL;
	g_autoptr(GBytes) c = NULL;
	g_autoptr(GBytes) again = NULL;
	g_autoptr(GBytes) elsewhere = NULL;
	g_autoptr(GMimeMessage) msg = NULL;
	g_autofree gchar *a_text = NULL;
	g_autofree gchar *c_text = NULL;
	g_autofree gchar *plain_text = NULL;
	GMimeObject *top, *part;
	InternetAddressList *to;

	g_assert_no_error(error);
	plain.from_name = "Appointments, Cardiff";
	plain.to_name = "Amelia Hughes";
	plain.to_address = "amelia@example.com";
	plain.subject = "Reminder";
	plain.message_id = "appoint-8.0f8fad5b@example.com";
	plain.text = "Tomorrow.\n";
	plain.html = "<p>Tomorrow.</p>";
	plain.calendar = NULL;
	b = ap_mime_render(&plain, &error);
	g_assert_no_error(error);
	cancel.method = AP_ITIP_CANCEL;
	cancel.calendar = "BEGIN:VCALENDAR\r\nMETHOD:CANCEL\r\nEND:VCALENDAR\r\n";
	c = ap_mime_render(&cancel, &error);
	g_assert_no_error(error);

	/* the plain one: its own recipient alone, its own words, no parts of
	 * the invitation before it */
	msg = ap_parse(b);
	to = g_mime_message_get_to(msg);
	g_assert_cmpint(internet_address_list_length(to), ==, 1);
	g_assert_cmpstr(internet_address_mailbox_get_addr(
				INTERNET_ADDRESS_MAILBOX(internet_address_list_get_address(to, 0))),
			==,
			"amelia@example.com");
	g_assert_cmpint(internet_address_list_length(g_mime_message_get_from(msg)), ==, 1);
	g_assert_cmpstr(internet_address_get_name(
				internet_address_list_get_address(g_mime_message_get_from(msg), 0)),
			==,
			"Appointments, Cardiff");
	g_assert_cmpstr(g_mime_message_get_subject(msg), ==, "Reminder");
	top = g_mime_message_get_mime_part(msg);
	g_assert_true(g_mime_content_type_is_type(
		g_mime_object_get_content_type(top), "multipart", "alternative"));
	g_assert_cmpint(g_mime_multipart_get_count(GMIME_MULTIPART(top)), ==, 2);
	plain_text = ap_part_content(g_mime_multipart_get_part(GMIME_MULTIPART(top), 0));
	g_assert_cmpstr(plain_text, ==, "Tomorrow.\r\n");
	g_clear_object(&msg);

	/* the cancellation: its method and its calendar, in both places */
	msg = ap_parse(c);
	top = g_mime_message_get_mime_part(msg);
	part = g_mime_multipart_get_part(
		GMIME_MULTIPART(g_mime_multipart_get_part(GMIME_MULTIPART(top), 0)), 2);
	g_assert_cmpstr(g_mime_object_get_content_type_parameter(part, "method"), ==, "CANCEL");
	c_text = ap_part_content(part);
	g_assert_cmpstr(c_text, ==, cancel.calendar);
	g_free(c_text);
	c_text = ap_part_content(g_mime_multipart_get_part(GMIME_MULTIPART(top), 1));
	g_assert_cmpstr(c_text, ==, cancel.calendar);

	/* the first again, and in another thread: the same message but for
	 * its boundaries, which are new each time */
	again = ap_mime_render(&first, &error);
	g_assert_no_error(error);
	elsewhere = g_thread_join(g_thread_new("render", ap_render_thread, NULL));
	g_assert_nonnull(elsewhere);
	g_assert_false(g_bytes_equal(a, again));
	a_text = ap_without_boundaries(a);
	g_free(c_text);
	c_text = ap_without_boundaries(again);
	g_assert_cmpstr(a_text, ==, c_text);
	g_free(c_text);
	c_text = ap_without_boundaries(elsewhere);
	g_assert_cmpstr(a_text, ==, c_text);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_mime_init();
	g_test_add_func("/mime/structure", test_mime_structure);
	g_test_add_func("/mime/refused", test_mime_refused);
	g_test_add_func("/mime/encoded-word", test_mime_encoded_word);
	g_test_add_func("/mime/one-after-another", test_mime_one_after_another);
	return g_test_run();
}
