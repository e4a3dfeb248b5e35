/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bench-mail"

#include <gio/gio.h>
#include <stdlib.h>

#include "ap-mail-compose.h"
#include "ap-mail-sender.h"
#include "ap-mime.h"

/*
 * What an email costs: (a) composing one personalised confirmation with
 * its invitation and rendering it as MIME (goal: under 1 ms), then (b)
 * delivering rendered messages over SMTP to a local server, one
 * connection kept open (goal: at least 300 messages a second). The SMTP
 * peer is bench/smtp-sink.py (Debian's aiosmtpd, counting only), the
 * fastest honest one on this machine; its own cost is in the figure.
 *
 *   bench-mail [N]    (default 2000 compositions, N/2 deliveries)
 */

#define GOAL_COMPOSE_US 1000.0
#define GOAL_SEND_RATE	300.0

static ApMailDraft *
bench_compose(ApOutboxItem *item,
	      ApBooking *booking,
	      ApService *service,
	      ApExpert *expert,
	      GError **error)
{
	ApMailContext ctx = {
		.item = item,
		.booking = booking,
		.service = service,
		.expert = expert,
		.from_name = "Appointments",
		.from_address = "appointments@example.com",
		.manage_url = "https://book.example.com/manage/TOKEN",
		.video_url = "https://meet.example.com/room",
	};
	return ap_mail_compose(&ctx, error);
}

int
main(int argc, char **argv)
{
	g_autoptr(GError) error = NULL;
	guint n = argc > 1 ? (guint)g_ascii_strtoull(argv[1], NULL, 10) : 2000;
	g_autoptr(ApService) service = ap_service_new("personal-styling");
	g_autoptr(ApExpert) expert = ap_expert_new();
	g_autoptr(ApBooking) booking = ap_booking_new();
	g_autoptr(GPtrArray) rendered =
		g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
	g_autofree gchar *sink = g_build_filename(BENCH_SOURCE_DIR, "smtp-sink.py", NULL);
	g_autoptr(GSubprocess) smtp = NULL;
	g_autoptr(GDataInputStream) out = NULL;
	g_autoptr(ApMailSender) sender = NULL;
	g_autofree gchar *port = NULL;
	g_autofree gchar *url = NULL;
	g_autofree gchar *count = NULL;
	ApMailSenderOptions options = {NULL};
	ApOutboxItem item = {.kind = AP_OUTBOX_KIND_CONFIRMATION, .role = AP_OUTBOX_ROLE_CUSTOMER};
	gdouble compose_us, send_rate;
	gint64 t0;
	guint sends = MAX(n / 2, 1);

	if (n == 0)
		n = 2000;
	g_free(service->name);
	service->name = g_strdup("Personal styling");
	service->duration_minutes = 45;
	g_ptr_array_add(
		service->questions,
		ap_question_new("occasion", "What is the occasion?", AP_QUESTION_TEXT, TRUE));
	expert->id = 1;
	expert->name = g_strdup("Amelia Hughes");
	expert->email = g_strdup("amelia@example.com");
	if (!ap_expert_set_timezone(expert, "Europe/London", &error))
		goto failed;
	g_strlcpy(booking->reference, "VAAA2222", sizeof(booking->reference));
	booking->customer_name = g_strdup("Zoë Öztürk");
	booking->customer_email = g_strdup("zoe@example.net");
	booking->customer_timezone = g_strdup("Europe/London");
	booking->ical_uid = g_strdup("0f8fad5b@example.com");
	booking->answers = json_object_new();
	json_object_set_string_member(booking->answers, "occasion", "A wedding in June");
	item.recipient = (gchar *)"zoe@example.net";
	item.expert_id = 1;
	item.start = 1799053200;
	item.end = item.start + 45 * 60;
	item.created_at = 1798977600;

	/* (a) compose and render, each one another message (its id) */
	t0 = g_get_monotonic_time();
	for (guint i = 0; i < n; i++) {
		g_autoptr(ApMailDraft) draft = NULL;
		GBytes *bytes;

		item.id = (gint64)i + 1;
		draft = bench_compose(&item, booking, service, expert, &error);
		bytes = draft != NULL ? ap_mime_render(&draft->message, &error) : NULL;
		if (bytes == NULL)
			goto failed;
		if (i < sends)
			g_ptr_array_add(rendered, bytes);
		else
			g_bytes_unref(bytes);
	}
	compose_us = (gdouble)(g_get_monotonic_time() - t0) / n;
	g_print("compose + render one confirmation with its invitation: %.0f us"
		" (goal < %.0f us: %s)\n",
		compose_us,
		GOAL_COMPOSE_US,
		compose_us < GOAL_COMPOSE_US ? "met" : "MISSED");

	/* (b) deliver over one SMTP connection */
	smtp = g_subprocess_new(
		G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, "/usr/bin/python3", sink, NULL);
	if (smtp == NULL)
		goto failed;
	out = g_data_input_stream_new(g_subprocess_get_stdout_pipe(smtp));
	port = g_data_input_stream_read_line(out, NULL, NULL, &error);
	if (port == NULL)
		goto failed;
	url = g_strdup_printf("smtp://127.0.0.1:%s", port);
	options.smtp_url = url;
	sender = ap_mail_sender_new(&options, &error);
	if (sender == NULL)
		goto failed;
	t0 = g_get_monotonic_time();
	for (guint i = 0; i < rendered->len; i++) {
		g_autofree gchar *name = g_strdup_printf("bench-%u", i);
		gboolean permanent = FALSE;

		if (!ap_mail_sender_send(sender,
					 "appointments@example.com",
					 "zoe@example.net",
					 g_ptr_array_index(rendered, i),
					 name,
					 &permanent,
					 &error))
			goto failed;
	}
	if (!ap_mail_sender_flush(sender, &error))
		goto failed;
	send_rate = rendered->len / ((gdouble)(g_get_monotonic_time() - t0) / G_USEC_PER_SEC);
	g_clear_pointer(&sender, ap_mail_sender_free);
	g_subprocess_send_signal(smtp, SIGTERM);
	count = g_data_input_stream_read_line(out, NULL, NULL, NULL);
	g_subprocess_wait(smtp, NULL, NULL);
	g_print("delivery over SMTP, one connection: %.0f messages/s (goal >= %.0f: %s);"
		" the server received %s of %u\n",
		send_rate,
		GOAL_SEND_RATE,
		send_rate >= GOAL_SEND_RATE ? "met" : "MISSED",
		count != NULL ? count : "?",
		rendered->len);
	return count != NULL && g_ascii_strtoull(count, NULL, 10) == rendered->len ? EXIT_SUCCESS
										   : EXIT_FAILURE;

failed:
	g_printerr("bench-mail: %s\n", error != NULL ? error->message : "failed");
	if (smtp != NULL)
		g_subprocess_force_exit(smtp);
	return EXIT_FAILURE;
}
