/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <gmime/gmime.h>
#include <libical/ical.h>

#include "ap-mail-compose.h"
#include "ap-mime.h"
#include "ap-validate.h"
#include "fuzz.h"

/*
 * The emails: ap_mail_compose() (gettext, template-glib, libical) then
 * ap_mime_render() (GMime), with what a customer or an expert typed
 * coming from the input.
 *
 * Input: 8 bytes of choices (kind, role and flags, locale, zone, start,
 * length), then NUL-separated texts: customer name, email, phone, the
 * answers to a one-line and a long question, the expert's summary, a
 * cancellation reason, the expert's name and the service's name.
 *
 * Each text is first checked as the API checks it (falling back to a
 * plain value when refused), so that the case is one a client can cause;
 * then:
 *
 *  - composing and rendering succeed;
 *  - every line of the message ends in CRLF;
 *  - the headers are only those appoint writes, once each, and GMime
 *    reads back the same Subject, From, To and Message-ID: no text adds
 *    a header or a recipient;
 *  - the invitation reads back with one ORGANIZER and two ATTENDEEs, with
 *    the addresses and names given: no text adds a property.
 *
 * With flag 0x80 the texts are taken raw, unchecked: then only "no crash,
 * and a message that renders is still well formed" holds.
 */

static const gchar *fuzz_locales[] = {"en-GB", "de-DE", "cy-GB", "en", "fr-FR"};
static const gchar *fuzz_zones[] = {
	NULL, "Europe/London", "America/New_York", "Asia/Kathmandu", "Pacific/Apia"};
static const guint fuzz_durations[] = {5, 30, 45, 60, 90, 480};

/* GMime 3.2 defines no cleanup functions of its own */
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GMimeStream, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GMimeParser, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GMimeMessage, g_object_unref)

#define FUZZ_FROM	 "appointments@example.com"
#define FUZZ_EXPERT_MAIL "grace@example.com"

/* @value if the API would take it, else @fallback */
static gchar *
fuzz_mail_take(gchar *value, gboolean ok, gboolean raw, const gchar *fallback)
{
	if (raw || ok)
		return value;
	g_free(value);
	return g_strdup(fallback);
}

static gchar *
fuzz_mail_squash(const gchar *text)
{
	g_auto(GStrv) words = g_strsplit_set(text, " \t\r\n", -1);
	GString *out = g_string_new(NULL);

	for (guint i = 0; words[i] != NULL; i++) {
		if (*words[i] == '\0')
			continue;
		if (out->len > 0)
			g_string_append_c(out, ' ');
		g_string_append(out, words[i]);
	}
	return g_string_free(out, FALSE);
}

static void
fuzz_mail_check_lines(const guint8 *data, gsize len)
{
	for (gsize i = 0; i < len; i++) {
		g_assert_cmpuint(data[i], !=, 0);
		if (data[i] == '\n')
			g_assert_true(i > 0 && data[i - 1] == '\r');
		if (data[i] == '\r')
			g_assert_true(i + 1 < len && data[i + 1] == '\n');
	}
}

/* the top-level headers: the known ones, once each */
static void
fuzz_mail_check_headers(const gchar *data, gsize len)
{
	static const gchar *known[] = {"From",
				       "To",
				       "Subject",
				       "Date",
				       "Message-Id",
				       "MIME-Version",
				       "Content-Type",
				       NULL};
	const gchar *end = g_strstr_len(data, (gssize)len, "\r\n\r\n");
	g_autofree gchar *block = NULL;
	g_auto(GStrv) lines = NULL;
	guint seen[G_N_ELEMENTS(known)] = {0};

	g_assert_nonnull(end);
	block = g_strndup(data, (gsize)(end - data));
	lines = g_strsplit(block, "\r\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		const gchar *colon;
		g_autofree gchar *name = NULL;
		gboolean found = FALSE;

		if (lines[i][0] == ' ' || lines[i][0] == '\t')
			continue; /* folded */
		colon = strchr(lines[i], ':');
		g_assert_nonnull(colon);
		name = g_strndup(lines[i], (gsize)(colon - lines[i]));
		for (guint k = 0; known[k] != NULL; k++) {
			if (g_ascii_strcasecmp(name, known[k]) == 0) {
				seen[k]++;
				found = TRUE;
			}
		}
		if (!found)
			g_error("unexpected header line '%s'", lines[i]);
	}
	for (guint k = 0; known[k] != NULL; k++)
		g_assert_cmpuint(seen[k], ==, 1);
}

static void
fuzz_mail_check_mailbox(InternetAddressList *list, const gchar *address)
{
	InternetAddress *a;

	g_assert_nonnull(list);
	g_assert_cmpint(internet_address_list_length(list), ==, 1);
	a = internet_address_list_get_address(list, 0);
	g_assert_true(INTERNET_ADDRESS_IS_MAILBOX(a));
	{
		/* the domain comes back through IDNA, lower case: a domain's
		 * case means nothing; the local part's may */
		const gchar *got = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a));
		const gchar *got_at = strrchr(got, '@');
		const gchar *want_at = strrchr(address, '@');
		g_autofree gchar *got_domain = NULL;
		g_autofree gchar *want_domain = NULL;

		g_assert_nonnull(got_at);
		g_assert_nonnull(want_at);
		g_assert_cmpint(got_at - got, ==, want_at - address);
		g_assert_cmpint(strncmp(got, address, (gsize)(got_at - got)), ==, 0);
		got_domain = g_utf8_casefold(got_at + 1, -1);
		/* a label already in IDNA's ASCII form ("xn--...") comes back
		 * decoded, as GMime's parser reads it */
		if (g_hostname_is_ascii_encoded(want_at + 1)) {
			g_autofree gchar *decoded = g_hostname_to_unicode(want_at + 1);

			if (decoded != NULL)
				want_domain = g_utf8_casefold(decoded, -1);
		}
		if (want_domain == NULL)
			want_domain = g_utf8_casefold(want_at + 1, -1);
		g_assert_cmpstr(got_domain, ==, want_domain);
	}
}

static void
fuzz_mail_check_parsed(GBytes *bytes, const ApMailDraft *draft)
{
	g_autoptr(GMimeStream) stream = NULL;
	g_autoptr(GMimeParser) parser = NULL;
	g_autoptr(GMimeMessage) msg = NULL;
	g_autofree gchar *subject = NULL;
	g_autofree gchar *expected = NULL;

	stream = g_mime_stream_mem_new_with_buffer(g_bytes_get_data(bytes, NULL),
						   g_bytes_get_size(bytes));
	parser = g_mime_parser_new_with_stream(stream);
	msg = g_mime_parser_construct_message(parser, NULL);
	g_assert_nonnull(msg);
	subject = fuzz_mail_squash(g_mime_message_get_subject(msg));
	expected = fuzz_mail_squash(draft->message.subject);
	/* an ASCII name that looks like an RFC 2047 word (=?utf-8?b?eA==?=)
	 * goes out as it is, and is decoded by the reader: a display
	 * matter, not a header */
	g_assert_null(strpbrk(g_mime_message_get_subject(msg), "\r\n"));
	/* GMime 3.2 reads back a long non-ASCII subject with words missing
	 * (reported; see the fuzzing notes): compare the short ones whole */
	if (strstr(draft->message.subject, "=?") == NULL && strlen(draft->message.subject) <= 75)
		g_assert_cmpstr(subject, ==, expected);
	g_assert_cmpstr(g_mime_message_get_message_id(msg), ==, draft->message.message_id);
	fuzz_mail_check_mailbox(g_mime_message_get_from(msg), draft->message.from_address);
	fuzz_mail_check_mailbox(g_mime_message_get_to(msg), draft->message.to_address);
	g_assert_cmpint(internet_address_list_length(g_mime_message_get_cc(msg)), ==, 0);
	g_assert_cmpint(internet_address_list_length(g_mime_message_get_bcc(msg)), ==, 0);
}

static void
fuzz_mail_check_person(icalproperty *prop, const gchar *email, const gchar *name)
{
	g_autofree gchar *mailto = g_strconcat("mailto:", email, NULL);
	icalparameter *cn = icalproperty_get_first_parameter(prop, ICAL_CN_PARAMETER);

	g_assert_cmpstr(icalproperty_get_value_as_string(prop), ==, mailto);
	if (name != NULL && *name != '\0') {
		/* libical's parser drops white space at the ends; a backslash
		 * a double quote or a caret, which a parameter cannot hold, is
		 * written as '/', '\'' or U+02C6 (ap_itip_cn()) */
		g_autofree gchar *got = NULL;
		g_autofree gchar *want = g_strstrip(g_strdup(name));

		g_strdelimit(want, "\\", '/');
		g_strdelimit(want, "\"", '\'');
		{
			g_auto(GStrv) parts = g_strsplit(want, "^", -1);
			g_free(want);
			want = g_strjoinv("\u02c6", parts);
		}
		g_assert_nonnull(cn);
		got = g_strstrip(g_strdup(icalparameter_get_cn(cn)));
		g_assert_cmpstr(got, ==, want);
	}
}

static void
fuzz_mail_check_calendar(const gchar *calendar,
			 const gchar *customer_name,
			 const gchar *customer_email,
			 const gchar *expert_name)
{
	icalcomponent *cal = icalcomponent_new_from_string(calendar);
	icalcomponent *vevent;
	icalproperty *p;

	g_assert_nonnull(cal);
	g_assert_cmpint(icalcomponent_count_components(cal, ICAL_ANY_COMPONENT), ==, 1);
	vevent = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	g_assert_nonnull(vevent);
	g_assert_cmpint(icalcomponent_count_properties(cal, ICAL_ANY_PROPERTY), ==, 4);
	g_assert_cmpint(icalcomponent_count_properties(vevent, ICAL_ORGANIZER_PROPERTY), ==, 1);
	g_assert_cmpint(icalcomponent_count_properties(vevent, ICAL_ATTENDEE_PROPERTY), ==, 2);
	g_assert_cmpint(icalcomponent_count_properties(vevent, ICAL_X_PROPERTY), ==, 0);
	g_assert_cmpint(icalcomponent_count_properties(vevent, ICAL_SUMMARY_PROPERTY), ==, 1);
	g_assert_cmpint(icalcomponent_count_properties(vevent, ICAL_DESCRIPTION_PROPERTY), ==, 1);
	p = icalcomponent_get_first_property(vevent, ICAL_ORGANIZER_PROPERTY);
	fuzz_mail_check_person(p, FUZZ_FROM, NULL);
	p = icalcomponent_get_first_property(vevent, ICAL_ATTENDEE_PROPERTY);
	fuzz_mail_check_person(p, customer_email, customer_name);
	p = icalcomponent_get_next_property(vevent, ICAL_ATTENDEE_PROPERTY);
	fuzz_mail_check_person(p, FUZZ_EXPERT_MAIL, expert_name);
	icalcomponent_free(cal);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FuzzReader r = {data, size};
	guint8 kind = fuzz_u8(&r), flags = fuzz_u8(&r);
	const gchar *locale = fuzz_locales[fuzz_u8(&r) % G_N_ELEMENTS(fuzz_locales)];
	const gchar *zone = fuzz_zones[fuzz_u8(&r) % G_N_ELEMENTS(fuzz_zones)];
	guint32 start_minutes = fuzz_u16(&r) * 16u;
	guint duration = fuzz_durations[fuzz_u16(&r) % G_N_ELEMENTS(fuzz_durations)];
	gboolean raw = (flags & 0x80) != 0;
	g_autoptr(ApService) service = ap_service_new("personal-styling");
	g_autoptr(ApExpert) expert = ap_expert_new();
	g_autoptr(ApExpert) previous = ap_expert_new();
	g_autoptr(ApBooking) booking = ap_booking_new();
	g_autoptr(ApMailDraft) draft = NULL;
	g_autoptr(GBytes) bytes = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *name = NULL, *email = NULL, *phone = NULL;
	g_autofree gchar *occasion = NULL, *notes = NULL;
	ApOutboxItem item = {0};
	ApMailContext ctx = {0};

	fuzz_init();
	if (size > 32 * 1024)
		return 0;

	name = fuzz_string(&r);
	name = fuzz_mail_take(name, ap_validate_name(name, "n", NULL), raw, "Ada Lovelace");
	email = fuzz_string(&r);
	email = fuzz_mail_take(email, ap_validate_email(email, "e", NULL), raw, "ada@example.org");
	phone = fuzz_string(&r);
	phone = fuzz_mail_take(phone, ap_validate_phone(phone, "p", NULL), raw, "");
	occasion = fuzz_string(&r);
	occasion = fuzz_mail_take(
		occasion, ap_validate_line(occasion, "a", 2000, TRUE, NULL), raw, "a wedding");
	notes = fuzz_string(&r);
	notes = fuzz_mail_take(notes, ap_validate_text(notes, "a", 2000, FALSE, NULL), raw, "");
	booking->summary = fuzz_string(&r);
	booking->summary =
		fuzz_mail_take(booking->summary,
			       ap_validate_text(booking->summary, "s", 10000, FALSE, NULL),
			       raw,
			       "Wear blue.\n\nBring shoes.");
	booking->cancel_reason = fuzz_string(&r);
	booking->cancel_reason =
		fuzz_mail_take(booking->cancel_reason,
			       ap_validate_text(booking->cancel_reason, "r", 500, FALSE, NULL),
			       raw,
			       "");
	expert->name = fuzz_string(&r);
	expert->name = fuzz_mail_take(
		expert->name, ap_validate_name(expert->name, "n", NULL), raw, "Grace Hopper");
	g_free(service->name);
	service->name = fuzz_string(&r);
	service->name = fuzz_mail_take(
		service->name, ap_validate_name(service->name, "n", NULL), raw, "Personal styling");

	/* the rest as the store and the engine make them */
	service->duration_minutes = duration;
	g_free(service->preparation);
	service->preparation = g_strdup("Bring the shoes you mean to wear.");
	g_ptr_array_add(
		service->questions,
		ap_question_new("occasion", "What is the occasion?", AP_QUESTION_TEXT, TRUE));
	g_ptr_array_add(service->questions,
			ap_question_new("notes", "Anything else?", AP_QUESTION_LONG_TEXT, FALSE));
	expert->id = 7;
	expert->email = g_strdup(FUZZ_EXPERT_MAIL);
	expert->branch = g_strdup("Cardiff");
	expert->bio = g_strdup("Stylist & <colour> consultant.");
	g_assert_true(ap_expert_set_timezone(expert, "Europe/London", NULL));
	previous->id = 8;
	previous->name = g_strdup("Alan Turing");
	previous->email = g_strdup("alan@example.com");

	booking->id = 42;
	memcpy(booking->reference, "ABCD2345", AP_REFERENCE_LENGTH + 1);
	booking->service_id = g_strdup(service->id);
	booking->expert_id = expert->id;
	/* from 2027-01-01, up to two years on */
	booking->start = G_GINT64_CONSTANT(1798761600) + (gint64)start_minutes * 60;
	booking->end = booking->start + (gint64)duration * 60;
	booking->customer_name = g_strdup(name);
	booking->customer_email = g_strdup(email);
	booking->customer_phone = *phone != '\0' ? g_strdup(phone) : NULL;
	g_free(booking->customer_locale);
	booking->customer_locale = g_strdup(locale);
	booking->customer_timezone = g_strdup(zone);
	booking->answers = json_object_new();
	json_object_set_string_member(booking->answers, "occasion", occasion);
	if (*notes != '\0')
		json_object_set_string_member(booking->answers, "notes", notes);
	json_object_set_int_member(booking->answers, "unknown", 3);
	booking->ical_uid = g_strdup("0f6c1a52-7d1e-4c3b-9a4e-3f2b1c0d9e8f@example.com");
	booking->sequence = flags & 0x03;

	item.id = 99;
	item.booking_id = booking->id;
	item.reference = booking->reference;
	item.kind = (ApOutboxKind)(kind % 6);
	item.role = (flags & 0x04) != 0 ? AP_OUTBOX_ROLE_EXPERT : AP_OUTBOX_ROLE_CUSTOMER;
	item.recipient = item.role == AP_OUTBOX_ROLE_CUSTOMER ? email : (gchar *)FUZZ_EXPERT_MAIL;
	item.expert_id = expert->id;
	item.sequence = booking->sequence;
	item.start = booking->start;
	item.end = booking->end;
	item.created_at = booking->start - 7 * 86400;
	if (item.kind == AP_OUTBOX_KIND_UPDATE)
		item.previous_start = booking->start - 86400;
	if (item.kind == AP_OUTBOX_KIND_REMINDER)
		item.remind_at = booking->start - ((flags & 0x08) != 0 ? 86400 : 3600);

	ctx.item = &item;
	ctx.booking = booking;
	ctx.service = service;
	ctx.expert = expert;
	ctx.previous_expert = (flags & 0x10) != 0 ? previous : NULL;
	ctx.from_name = "Appointments";
	ctx.from_address = FUZZ_FROM;
	ctx.manage_url =
		(flags & 0x20) != 0 ? "https://book.example.com/manage/ABCD2345#t=x" : NULL;
	ctx.video_url = "https://meet.example.com/room-ABCD2345";
	ctx.feedback_url = "https://book.example.com/feedback/ABCD2345";

	draft = ap_mail_compose(&ctx, &error);
	if (draft == NULL) {
		g_assert_true(raw);
		return 0;
	}
	g_assert_no_error(error);
	if (!raw) {
		g_assert_true(g_utf8_validate(draft->message.subject, -1, NULL));
		g_assert_true(g_utf8_validate(draft->message.text, -1, NULL));
		g_assert_true(g_utf8_validate(draft->message.html, -1, NULL));
		g_assert_null(strpbrk(draft->message.subject, "\r\n"));
	}

	/* the customer may have the organizer's address: refused, not sent */
	if (g_ascii_strcasecmp(item.recipient, FUZZ_FROM) == 0) {
		bytes = ap_mime_render(&draft->message, &error);
		g_assert_null(bytes);
		return 0;
	}
	bytes = ap_mime_render(&draft->message, &error);
	if (bytes == NULL) {
		g_assert_true(raw);
		return 0;
	}
	g_assert_no_error(error);
	fuzz_mail_check_lines(g_bytes_get_data(bytes, NULL), g_bytes_get_size(bytes));
	fuzz_mail_check_headers(g_bytes_get_data(bytes, NULL), g_bytes_get_size(bytes));
	fuzz_mail_check_parsed(bytes, draft);
	if (!raw && draft->message.calendar != NULL)
		fuzz_mail_check_calendar(draft->message.calendar, name, email, expert->name);
	return 0;
}
