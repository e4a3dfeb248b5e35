/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <libintl.h>
#include <string.h>

#include "ap-mail-compose.h"

/*
 * The words of the emails, composed from a booking without any I/O: who
 * is greeted, what each reader is told, what stays out of whose copy,
 * and HTML that escapes what customers type.
 */

typedef struct {
	ApService *service;
	ApExpert *expert;
	ApExpert *previous;
	ApBooking *booking;
	ApOutboxItem item;
} Fixture;

static void
fixture_set_up(Fixture *f, gconstpointer data)
{
	f->service = ap_service_new("personal-styling");
	g_free(f->service->name);
	f->service->name = g_strdup("Personal styling");
	f->service->duration_minutes = 45;
	g_free(f->service->preparation);
	f->service->preparation = g_strdup("Have your sizes to hand.");
	g_ptr_array_add(
		f->service->questions,
		ap_question_new("occasion", "What is the occasion?", AP_QUESTION_TEXT, TRUE));
	f->expert = ap_expert_new();
	f->expert->id = 1;
	f->expert->name = g_strdup("Amelia Hughes");
	f->expert->email = g_strdup("amelia@example.com");
	f->expert->bio = g_strdup("Stylist for twelve years.");
	f->expert->branch = g_strdup("London, Oxford Street");
	g_assert_true(ap_expert_set_timezone(f->expert, "Europe/London", NULL));
	f->previous = ap_expert_new();
	f->previous->id = 2;
	f->previous->name = g_strdup("Rhys Morgan");
	f->previous->email = g_strdup("rhys@example.com");
	g_assert_true(ap_expert_set_timezone(f->previous, "Europe/London", NULL));
	f->booking = ap_booking_new();
	g_strlcpy(f->booking->reference, "VAAA2222", sizeof(f->booking->reference));
	f->booking->customer_name = g_strdup("Zoë <b>Öztürk</b>");
	f->booking->customer_email = g_strdup("zoe@example.net");
	f->booking->customer_phone = g_strdup("07700 900002");
	f->booking->customer_timezone = g_strdup("America/New_York");
	f->booking->ical_uid = g_strdup("0f8fad5b@example.com");
	f->booking->answers = json_object_new();
	json_object_set_string_member(f->booking->answers, "occasion", "A wedding & a party");
	f->item.id = 7;
	f->item.kind = AP_OUTBOX_KIND_CONFIRMATION;
	f->item.role = AP_OUTBOX_ROLE_CUSTOMER;
	f->item.recipient = (gchar *)"zoe@example.net";
	f->item.expert_id = 1;
	f->item.start = 1799053200; /* 2027-01-04T09:00Z: 04:00 in New York */
	f->item.end = 1799053200 + 45 * 60;
	f->item.created_at = 1798977600;
}

static void
fixture_tear_down(Fixture *f, gconstpointer data)
{
	ap_service_unref(f->service);
	ap_expert_unref(f->expert);
	ap_expert_unref(f->previous);
	ap_booking_free(f->booking);
}

static ApMailDraft *
compose(Fixture *f)
{
	ApMailContext ctx = {
		.item = &f->item,
		.booking = f->booking,
		.service = f->service,
		.expert = f->expert,
		.previous_expert = f->item.previous_expert_id == 2 ? f->previous : NULL,
		.from_name = "Appointments",
		.from_address = "appointments@example.com",
		.manage_url = f->item.role == AP_OUTBOX_ROLE_CUSTOMER
				      ? "https://book.example.com/manage/TOKEN"
				      : NULL,
		.video_url = "https://meet.example.com/room",
	};
	g_autoptr(GError) error = NULL;
	ApMailDraft *draft = ap_mail_compose(&ctx, &error);

	g_assert_no_error(error);
	g_assert_nonnull(draft);
	return draft;
}

static void
test_compose_customer(Fixture *f, gconstpointer data)
{
	g_autoptr(ApMailDraft) d = compose(f);

	/* the customer's own zone */
	g_assert_nonnull(strstr(d->subject, "Monday 4 January 2027 at 04:00 EST"));
	g_assert_nonnull(strstr(d->text, "Hello Zoë <b>Öztürk</b>,"));
	g_assert_nonnull(strstr(d->text, "Amelia Hughes"));
	g_assert_nonnull(strstr(d->text, "Stylist for twelve years."));
	g_assert_nonnull(strstr(d->text, "What is the occasion? A wedding & a party"));
	g_assert_nonnull(strstr(d->text, "Have your sizes to hand."));
	g_assert_nonnull(strstr(d->text, "https://meet.example.com/room"));
	g_assert_nonnull(strstr(d->text, "https://book.example.com/manage/TOKEN"));
	g_assert_nonnull(strstr(d->text, "VAAA2222"));
	/* HTML escapes what the customer typed */
	g_assert_null(strstr(d->html, "<b>Öztürk</b>"));
	g_assert_nonnull(strstr(d->html, "&lt;b&gt;Öztürk&lt;/b&gt;"));
	g_assert_nonnull(strstr(d->html, "A wedding &amp; a party"));
	g_assert_nonnull(d->calendar);
	g_assert_cmpint(d->message.method, ==, AP_ITIP_REQUEST);
	g_assert_cmpstr(d->message.message_id, ==, "appoint-7.0f8fad5b@example.com");
	g_assert_cmpstr(d->message.to_address, ==, "zoe@example.net");
}

static void
test_compose_expert(Fixture *f, gconstpointer data)
{
	g_autoptr(ApMailDraft) d = NULL;

	f->item.role = AP_OUTBOX_ROLE_EXPERT;
	f->item.recipient = (gchar *)"amelia@example.com";
	d = compose(f);
	/* the expert's zone, the customer's details, no manage link */
	g_assert_nonnull(strstr(d->subject, "09:00 GMT"));
	g_assert_nonnull(strstr(d->text, "Hello Amelia Hughes,"));
	g_assert_nonnull(strstr(d->text, "zoe@example.net"));
	g_assert_nonnull(strstr(d->text, "07700 900002"));
	g_assert_nonnull(strstr(d->text, "A wedding & a party"));
	g_assert_null(strstr(d->text, "manage"));
	g_assert_cmpstr(d->message.to_name, ==, "Amelia Hughes");
}

static void
test_compose_update(Fixture *f, gconstpointer data)
{
	g_autoptr(ApMailDraft) d = NULL;

	f->item.kind = AP_OUTBOX_KIND_UPDATE;
	f->item.previous_start = f->item.start - 86400;
	f->item.previous_expert_id = 2;
	f->item.sequence = 1;
	d = compose(f);
	g_assert_nonnull(strstr(d->subject, "has moved to"));
	/* what changed: when, and with whom */
	g_assert_nonnull(strstr(d->text, "It was on Sunday 3 January 2027 at 04:00 EST"));
	g_assert_nonnull(strstr(d->text, "now with Amelia Hughes instead of Rhys Morgan"));
	g_assert_nonnull(strstr(d->calendar, "SEQUENCE:1"));
}

static void
test_compose_cancellation(Fixture *f, gconstpointer data)
{
	g_autoptr(ApMailDraft) d = NULL;

	f->item.kind = AP_OUTBOX_KIND_CANCELLATION;
	f->item.sequence = 2;
	f->booking->cancel_reason = g_strdup("Snowed in");
	d = compose(f);
	g_assert_nonnull(strstr(d->subject, "Cancelled"));
	g_assert_nonnull(strstr(d->text, "Reason given: Snowed in"));
	g_assert_cmpint(d->message.method, ==, AP_ITIP_CANCEL);
	g_assert_nonnull(strstr(d->calendar, "METHOD:CANCEL"));
	g_assert_null(strstr(d->calendar, "VALARM"));
}

/* reminders: the day before and the hour before; nothing for a calendar */
static void
test_compose_reminder(Fixture *f, gconstpointer data)
{
	g_autoptr(ApMailDraft) day = NULL;
	g_autoptr(ApMailDraft) hour = NULL;

	f->item.kind = AP_OUTBOX_KIND_REMINDER;
	f->item.remind_at = f->item.start - AP_OUTBOX_REMIND_DAY_SECONDS;
	day = compose(f);
	g_assert_nonnull(strstr(day->subject, "tomorrow"));
	g_assert_null(day->calendar);
	g_assert_null(day->message.calendar);
	g_assert_cmpint(day->message.date, ==, f->item.remind_at);
	g_assert_nonnull(strstr(day->text, "https://meet.example.com/room"));
	f->item.remind_at = f->item.start - AP_OUTBOX_REMIND_HOUR_SECONDS;
	hour = compose(f);
	g_assert_nonnull(strstr(hour->subject, "within the hour"));
}

/* the customer's language: German and Welsh from po/, dates too */
static void
test_compose_languages(Fixture *f, gconstpointer data)
{
	g_autoptr(ApMailDraft) de = NULL;
	g_autoptr(ApMailDraft) cy = NULL;
	g_autoptr(ApMailDraft) expert = NULL;

	g_free(f->booking->customer_locale);
	f->booking->customer_locale = g_strdup("de-DE");
	de = compose(f);
	g_assert_nonnull(strstr(de->subject, "Gebucht: Ihr Termin"));
	g_assert_nonnull(strstr(de->subject, "Montag, 4. Januar 2027 um 04:00 Uhr"));
	g_assert_nonnull(strstr(de->text, "Guten Tag Zoë"));
	g_assert_nonnull(strstr(de->text, "Buchungsnummer: VAAA2222"));
	g_assert_nonnull(strstr(de->text, "45 Minuten"));
	g_free(f->booking->customer_locale);
	f->booking->customer_locale = g_strdup("cy");
	cy = compose(f);
	g_assert_nonnull(strstr(cy->subject, "eich sesiwn"));
	g_assert_nonnull(strstr(cy->subject, "Ionawr"));
	g_assert_nonnull(strstr(cy->text, "Cyfeirnod: VAAA2222"));
	/* the expert's copy stays in English */
	f->item.role = AP_OUTBOX_ROLE_EXPERT;
	expert = compose(f);
	g_assert_nonnull(strstr(expert->subject, "New booking"));
	g_assert_nonnull(strstr(expert->subject, "Monday"));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	if (g_getenv("APPOINT_LOCALEDIR") != NULL)
		bindtextdomain(GETTEXT_PACKAGE, g_getenv("APPOINT_LOCALEDIR"));
	bind_textdomain_codeset(GETTEXT_PACKAGE, "UTF-8");
#define ADD(path, func) g_test_add(path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
	ADD("/mail/compose/customer", test_compose_customer);
	ADD("/mail/compose/expert", test_compose_expert);
	ADD("/mail/compose/update", test_compose_update);
	ADD("/mail/compose/cancellation", test_compose_cancellation);
	ADD("/mail/compose/reminder", test_compose_reminder);
	ADD("/mail/compose/languages", test_compose_languages);
#undef ADD
	return g_test_run();
}
