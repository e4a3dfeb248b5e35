/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApMail"

#include "ap-mail-compose.h"

#include <libintl.h>
#include <string.h>
#include <tmpl-glib.h>

#include "ap-itip.h"
#include "ap-mail-locale.h"
#include "ap-zone.h"

/* libintl itself: it follows the thread's locale (see ap-mail-locale.c),
 * where GLib's g_dgettext() would first ask whether the process's own
 * locale is translated */
#define _(text) dgettext(GETTEXT_PACKAGE, text)

/*
 * The words of each email: who it greets, what happened, when in the
 * reader's own zone, with whom, what to prepare, the answers given, the
 * video link and, for the customer, the manage link. Pure: everything
 * comes from the #ApMailContext. The plain text is written to read well
 * alone; the HTML carries the same content with every value escaped.
 */

/* the zone the reader sees times in: the customer's own, else the store's */
#define AP_MAIL_DEFAULT_ZONE "Europe/London"

/* how long before the start the video room opens */
#define AP_MAIL_ROOM_OPENS_MINUTES 10

void
ap_mail_draft_free(ApMailDraft *draft)
{
	if (draft == NULL)
		return;
	g_free(draft->subject);
	g_free(draft->text);
	g_free(draft->html);
	g_free(draft->calendar);
	g_free(draft->message_id);
	g_free(draft);
}

/**
 * ap_mail_message_id:
 * @item: an outbox row
 * @ical_uid: its booking's UID, `…@domain`
 *
 * The same for every delivery of @item, so that a message resent after a
 * crash is recognised as the one already received.
 *
 * Returns: (transfer full): a Message-ID without angle brackets
 */
gchar *
ap_mail_message_id(const ApOutboxItem *item, const gchar *ical_uid)
{
	const gchar *at = strrchr(ical_uid, '@');
	g_autofree gchar *local =
		at != NULL ? g_strndup(ical_uid, (gsize)(at - ical_uid)) : g_strdup(ical_uid);

	return g_strdup_printf("appoint-%" G_GINT64_FORMAT ".%s@%s",
			       item->id,
			       local,
			       at != NULL ? at + 1 : "appoint.invalid");
}

static gchar *
ap_mail_when(gint64 instant, const gchar *zone_name)
{
	g_autoptr(GTimeZone) tz = ap_zone_lookup(zone_name);
	g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc(instant);
	g_autoptr(GDateTime) local = NULL;

	if (tz == NULL)
		tz = ap_zone_lookup(AP_MAIL_DEFAULT_ZONE);
	local = g_date_time_to_timezone(utc, tz);
	/* TRANSLATORS: a session's date and time, e.g. "Monday 4 January 2027
	 * at 09:00 GMT"; see g_date_time_format() */
	return g_date_time_format(local, _("%A %-d %B %Y at %H:%M %Z"));
}

static const gchar *
ap_mail_reader_zone(const ApMailContext *ctx)
{
	if (ctx->item->role == AP_OUTBOX_ROLE_EXPERT)
		return ctx->expert->timezone;
	return ctx->booking->customer_timezone != NULL ? ctx->booking->customer_timezone
						       : AP_MAIL_DEFAULT_ZONE;
}

/* the day-before reminder, or the hour-before one */
static gboolean
ap_mail_reminder_is_day(const ApOutboxItem *item)
{
	return item->remind_at != 0 &&
	       item->start - item->remind_at > 2 * AP_OUTBOX_REMIND_HOUR_SECONDS;
}

static gchar *
ap_mail_subject(const ApMailContext *ctx, const gchar *when)
{
	const gchar *service = ctx->service->name;
	const gchar *customer = ctx->booking->customer_name;
	gboolean for_customer = ctx->item->role == AP_OUTBOX_ROLE_CUSTOMER;

	switch (ctx->item->kind) {
	case AP_OUTBOX_KIND_SUMMARY:
		return g_strdup_printf(
			_("Your %s session: notes from %s"), service, ctx->expert->name);
	case AP_OUTBOX_KIND_FEEDBACK:
		return g_strdup_printf(
			_("How was your %s session with %s?"), service, ctx->expert->name);
	case AP_OUTBOX_KIND_REMINDER:
		return ap_mail_reminder_is_day(ctx->item)
			       ? g_strdup_printf(
					 _("Reminder: your %s session tomorrow, %s"), service, when)
			       : g_strdup_printf(
					 _("Reminder: your %s session starts within the hour, %s"),
					 service,
					 when);
	case AP_OUTBOX_KIND_UPDATE:
		return for_customer
			       ? g_strdup_printf(
					 _("Your %s session has moved to %s"), service, when)
			       : g_strdup_printf(
					 _("Moved: %s with %s, now %s"), service, customer, when);
	case AP_OUTBOX_KIND_CANCELLATION:
		return for_customer
			       ? g_strdup_printf(
					 _("Cancelled: your %s session on %s"), service, when)
			       : g_strdup_printf(
					 _("Cancelled: %s with %s on %s"), service, customer, when);
	case AP_OUTBOX_KIND_CONFIRMATION:
	default:
		return for_customer
			       ? g_strdup_printf(_("Booked: your %s session on %s"), service, when)
			       : g_strdup_printf(_("New booking: %s with %s on %s"),
						 service,
						 customer,
						 when);
	}
}

/* a label and a value, for both parts */
typedef struct {
	GString *text;
	GString *html;
} ApMailBody;

static void
ap_mail_paragraph(ApMailBody *body, const gchar *text)
{
	g_autofree gchar *escaped = g_markup_escape_text(text, -1);

	g_string_append_printf(body->text, "%s\n\n", text);
	g_string_append_printf(body->html, "<p>%s</p>\n", escaped);
}

static void
ap_mail_row(ApMailBody *body, const gchar *label, const gchar *value)
{
	g_autofree gchar *l = NULL;
	g_autofree gchar *v = NULL;

	if (value == NULL || *value == '\0')
		return;
	l = g_markup_escape_text(label, -1);
	v = g_markup_escape_text(value, -1);
	/* "What is the occasion? A wedding", "When: Monday …" */
	g_string_append_printf(
		body->text, "%s%s %s\n", label, g_str_has_suffix(label, "?") ? "" : ":", value);
	g_string_append_printf(body->html,
			       "<tr><th style=\"text-align:left;padding:2px 12px 2px 0;"
			       "vertical-align:top\">%s</th><td>%s</td></tr>\n",
			       l,
			       v);
}

static void
ap_mail_link(ApMailBody *body, const gchar *sentence, const gchar *url)
{
	g_autofree gchar *s = g_markup_escape_text(sentence, -1);
	g_autofree gchar *u = g_markup_escape_text(url, -1);

	g_string_append_printf(body->text, "%s\n%s\n\n", sentence, url);
	g_string_append_printf(body->html, "<p>%s<br><a href=\"%s\">%s</a></p>\n", s, u, u);
}

static void
ap_mail_table_begin(ApMailBody *body)
{
	g_string_append(body->html, "<table style=\"border-collapse:collapse;margin:0 0 16px\">\n");
}

static void
ap_mail_table_end(ApMailBody *body)
{
	g_string_append(body->text, "\n");
	g_string_append(body->html, "</table>\n");
}

/* the answers to the service's questions, in the service's order, with
 * the questions' own labels */
static void
ap_mail_answers(ApMailBody *body, const ApMailContext *ctx)
{
	JsonObject *answers = ctx->booking->answers;
	gboolean any = FALSE;

	if (answers == NULL)
		return;
	for (guint i = 0; i < ctx->service->questions->len; i++) {
		const ApQuestion *q = g_ptr_array_index(ctx->service->questions, i);
		JsonNode *node = json_object_get_member(answers, q->id);
		g_autofree gchar *value = NULL;

		if (node == NULL || JSON_NODE_HOLDS_NULL(node))
			continue;
		if (json_node_get_value_type(node) == G_TYPE_STRING)
			value = g_strdup(json_node_get_string(node));
		else if (json_node_get_value_type(node) == G_TYPE_BOOLEAN)
			value = g_strdup(json_node_get_boolean(node) ? _("yes") : _("no"));
		else if (JSON_NODE_HOLDS_VALUE(node))
			value = g_strdup_printf("%" G_GINT64_FORMAT, json_node_get_int(node));
		else
			continue;
		if (!any) {
			ap_mail_paragraph(body,
					  ctx->item->role == AP_OUTBOX_ROLE_CUSTOMER
						  ? _("What you told us:")
						  : _("What the customer told us:"));
			ap_mail_table_begin(body);
			any = TRUE;
		}
		ap_mail_row(body, q->label, value);
	}
	if (any)
		ap_mail_table_end(body);
}

static void
ap_mail_body(ApMailBody *body, const ApMailContext *ctx, const gchar *when)
{
	const ApOutboxItem *item = ctx->item;
	const ApBooking *b = ctx->booking;
	gboolean for_customer = item->role == AP_OUTBOX_ROLE_CUSTOMER;
	g_autofree gchar *greeting = g_strdup_printf(
		_("Hello %s,"), for_customer ? b->customer_name : ctx->expert->name);
	g_autofree gchar *lead = NULL;
	g_autofree gchar *duration = g_strdup_printf(
		dngettext(
			GETTEXT_PACKAGE, "%u minute", "%u minutes", ctx->service->duration_minutes),
		ctx->service->duration_minutes);

	ap_mail_paragraph(body, greeting);
	switch (item->kind) {
	case AP_OUTBOX_KIND_SUMMARY:
		lead = g_strdup_printf(
			_("Thank you for your %s session with %s. Here is what %s wrote for you:"),
			ctx->service->name,
			ctx->expert->name,
			ctx->expert->name);
		break;
	case AP_OUTBOX_KIND_FEEDBACK:
		lead = g_strdup_printf(
			_("Thank you for your %s session with %s. How helpful was it? "
			  "A rating from 0 (not at all) to 10 (could not have been better) "
			  "and a word or two help us and %s."),
			ctx->service->name,
			ctx->expert->name,
			ctx->expert->name);
		break;
	case AP_OUTBOX_KIND_REMINDER:
		lead = ap_mail_reminder_is_day(item)
			       ? g_strdup_printf(
					 _("A reminder that your %s session is tomorrow: %s."),
					 ctx->service->name,
					 when)
			       : g_strdup_printf(_("Your %s session starts soon: %s."),
						 ctx->service->name,
						 when);
		break;
	case AP_OUTBOX_KIND_UPDATE: {
		g_autofree gchar *before =
			ap_mail_when(item->previous_start, ap_mail_reader_zone(ctx));
		lead = for_customer ? g_strdup_printf(_("Your %s session has moved. It was on %s; "
							"it is now on %s."),
						      ctx->service->name,
						      before,
						      when)
				    : g_strdup_printf(
					      _("The %s session with %s has moved from %s to %s."),
					      ctx->service->name,
					      b->customer_name,
					      before,
					      when);
		break;
	}
	case AP_OUTBOX_KIND_CANCELLATION:
		lead = for_customer
			       ? g_strdup_printf(_("Your %s session on %s has been cancelled."),
						 ctx->service->name,
						 when)
			       : g_strdup_printf(
					 _("The %s session with %s on %s has been cancelled."),
					 ctx->service->name,
					 b->customer_name,
					 when);
		break;
	case AP_OUTBOX_KIND_CONFIRMATION:
	default:
		lead = for_customer
			       ? g_strdup_printf(_("Thank you for booking. Your %s session is "
						   "confirmed for %s."),
						 ctx->service->name,
						 when)
			       : g_strdup_printf(_("%s has booked a %s session with you for %s."),
						 b->customer_name,
						 ctx->service->name,
						 when);
		break;
	}
	ap_mail_paragraph(body, lead);
	if (item->kind == AP_OUTBOX_KIND_SUMMARY) {
		/* the expert's words as written, a paragraph for each */
		g_auto(GStrv) paragraphs =
			g_strsplit(b->summary != NULL ? b->summary : "", "\n\n", -1);
		for (guint i = 0; paragraphs[i] != NULL; i++) {
			g_strstrip(paragraphs[i]);
			if (*paragraphs[i] != '\0')
				ap_mail_paragraph(body, paragraphs[i]);
		}
		return;
	}
	if (item->kind == AP_OUTBOX_KIND_FEEDBACK) {
		if (ctx->feedback_url != NULL)
			ap_mail_link(body,
				     _("Give your rating here; it takes a minute:"),
				     ctx->feedback_url);
		return;
	}
	if (item->kind == AP_OUTBOX_KIND_CANCELLATION) {
		if (b->cancel_reason != NULL && *b->cancel_reason != '\0') {
			g_autofree gchar *reason =
				g_strdup_printf(_("Reason given: %s"), b->cancel_reason);
			ap_mail_paragraph(body, reason);
		}
		if (for_customer && ctx->manage_url != NULL)
			ap_mail_paragraph(
				body, _("You are welcome to book another session at any time."));
		return;
	}

	ap_mail_table_begin(body);
	ap_mail_row(body, _("When"), when);
	ap_mail_row(body, _("Length"), duration);
	ap_mail_row(body, _("Service"), ctx->service->name);
	if (for_customer) {
		ap_mail_row(body, _("Your expert"), ctx->expert->name);
		ap_mail_row(body, _("Branch"), ctx->expert->branch);
	} else {
		ap_mail_row(body, _("Customer"), b->customer_name);
		ap_mail_row(body, _("Email"), b->customer_email);
		ap_mail_row(body, _("Phone"), b->customer_phone);
	}
	ap_mail_row(body, _("Reference"), b->reference);
	ap_mail_table_end(body);
	if (for_customer && ctx->expert->bio != NULL && *ctx->expert->bio != '\0')
		ap_mail_paragraph(body, ctx->expert->bio);
	if (item->kind == AP_OUTBOX_KIND_UPDATE && ctx->previous_expert != NULL && for_customer) {
		g_autofree gchar *change =
			g_strdup_printf(_("Your session is now with %s instead of %s."),
					ctx->expert->name,
					ctx->previous_expert->name);
		ap_mail_paragraph(body, change);
	}
	ap_mail_answers(body, ctx);
	if (for_customer && ctx->service->preparation != NULL &&
	    *ctx->service->preparation != '\0') {
		g_autofree gchar *prepare =
			g_strdup_printf(_("To prepare: %s"), ctx->service->preparation);
		ap_mail_paragraph(body, prepare);
	}
	{
		g_autofree gchar *opens = g_strdup_printf(
			_("Join the video call here; the room opens %u minutes before the start:"),
			(guint)AP_MAIL_ROOM_OPENS_MINUTES);
		ap_mail_link(body, opens, ctx->video_url);
	}
	if (for_customer && ctx->manage_url != NULL)
		ap_mail_link(body,
			     _("To reschedule or cancel, use your personal link:"),
			     ctx->manage_url);
}

/* the page around the words: data/mail/email.{html,txt}.tmpl, in the
 * GResource, where a store puts its own look; the words come from
 * gettext and the blocks from the code above, escaped for HTML already */
static gchar *
ap_mail_template(const gchar *name, const gchar *const *vars, GError **error)
{
	/* each template is parsed once: template-glib 3.36 leaks a token a
	 * parse, which must not grow with every email */
	static GMutex lock;
	static GHashTable *parsed = NULL; /* name -> TmplTemplate */
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&lock);
	g_autoptr(TmplScope) scope = tmpl_scope_new();
	TmplTemplate *tmpl;

	if (parsed == NULL)
		parsed = g_hash_table_new(g_str_hash, g_str_equal);
	tmpl = g_hash_table_lookup(parsed, name);
	if (tmpl == NULL) {
		g_autofree gchar *path = g_strconcat("/org/appoint/mail/", name, NULL);
		g_autoptr(TmplTemplate) fresh = tmpl_template_new(NULL);

		if (!tmpl_template_parse_resource(fresh, path, NULL, error))
			return NULL;
		tmpl = g_steal_pointer(&fresh);
		g_hash_table_insert(parsed, (gpointer)name, tmpl);
	}
	for (guint i = 0; vars[i] != NULL; i += 2)
		tmpl_scope_set_string(scope, vars[i], vars[i + 1]);
	return tmpl_template_expand_string(tmpl, scope, error);
}

static ApMailDraft *
ap_mail_compose_here(const ApMailContext *ctx, GError **error);

/**
 * ap_mail_compose:
 * @ctx: what the email is about
 * @error: a #GError, or %NULL
 *
 * In the customer's language for the customer (booking's locale), in
 * British English for the expert.
 *
 * Returns: (transfer full) (nullable): the email, ready for
 * ap_mime_render()
 */
ApMailDraft *
ap_mail_compose(const ApMailContext *ctx, GError **error)
{
	const gchar *tag = ctx->item->role == AP_OUTBOX_ROLE_CUSTOMER
				   ? ctx->booking->customer_locale
				   : "en-GB";
	locale_t old = uselocale(ap_mail_locale_get(tag));
	ApMailDraft *draft = ap_mail_compose_here(ctx, error);

	uselocale(old);
	return draft;
}

/* the same, in the thread's locale as it is */
static ApMailDraft *
ap_mail_compose_here(const ApMailContext *ctx, GError **error)
{
	g_autoptr(ApMailDraft) draft = g_new0(ApMailDraft, 1);
	const ApOutboxItem *item = ctx->item;
	gboolean for_customer = item->role == AP_OUTBOX_ROLE_CUSTOMER;
	g_autofree gchar *when = ap_mail_when(item->start, ap_mail_reader_zone(ctx));
	g_autofree gchar *summary = NULL;
	g_autofree gchar *description = NULL;
	ApMailBody body = {g_string_new(NULL), g_string_new(NULL)};
	ApItipEvent event = {0};

	g_return_val_if_fail(ctx != NULL, NULL);

	draft->subject = ap_mail_subject(ctx, when);
	ap_mail_body(&body, ctx, when);
	{
		const gchar *sign_text = _("With best wishes,\nYour appointments team");
		const gchar *footer_text = for_customer ? _("You receive this email because a "
							    "session was booked with this address.")
							: _("You receive this email because a "
							    "session was booked with you.");
		g_autofree gchar *sign = g_markup_escape_text(sign_text, -1);
		g_auto(GStrv) lines = g_strsplit(sign, "\n", -1);
		g_autofree gchar *sign_html = g_strjoinv("<br>", lines);
		g_autofree gchar *footer = g_markup_escape_text(footer_text, -1);
		g_autofree gchar *title = g_markup_escape_text(draft->subject, -1);
		g_autofree gchar *content_text = g_string_free(g_steal_pointer(&body.text), FALSE);
		g_autofree gchar *content_html = g_string_free(g_steal_pointer(&body.html), FALSE);
		g_autofree gchar *lang =
			g_strdup(for_customer && ctx->booking->customer_locale != NULL
					 ? ctx->booking->customer_locale
					 : "en-GB");
		const gchar *text_vars[] = {"content",
					    content_text,
					    "signature",
					    sign_text,
					    "footer",
					    footer_text,
					    NULL};
		const gchar *html_vars[] = {"lang",
					    lang,
					    "title",
					    title,
					    "preheader",
					    title,
					    "content",
					    content_html,
					    "signature",
					    sign_html,
					    "footer",
					    footer,
					    NULL};

		draft->text = ap_mail_template("email.txt.tmpl", text_vars, error);
		if (draft->text == NULL)
			return NULL;
		draft->html = ap_mail_template("email.html.tmpl", html_vars, error);
		if (draft->html == NULL)
			return NULL;
	}

	/* the calendar's own words: the title either reader expects */
	summary = for_customer
			  ? g_strdup_printf(_("%s with %s"), ctx->service->name, ctx->expert->name)
			  : g_strdup_printf(_("%s with %s"),
					    ctx->service->name,
					    ctx->booking->customer_name);
	description = g_strdup_printf(_("%s\nReference: %s\nVideo call: %s"),
				      ctx->service->name,
				      ctx->booking->reference,
				      ctx->video_url);
	draft->message_id = ap_mail_message_id(item, ctx->booking->ical_uid);
	draft->message.from_name = ctx->from_name;
	draft->message.from_address = ctx->from_address;
	draft->message.to_name = for_customer ? ctx->booking->customer_name : ctx->expert->name;
	draft->message.to_address = item->recipient;
	draft->message.subject = draft->subject;
	draft->message.date =
		item->kind == AP_OUTBOX_KIND_REMINDER ? item->remind_at : item->created_at;
	draft->message.message_id = draft->message_id;
	draft->message.text = draft->text;
	draft->message.html = draft->html;
	/* reminders, summaries and feedback requests change nothing in a
	 * calendar: no invitation in them */
	if (item->kind == AP_OUTBOX_KIND_REMINDER || item->kind == AP_OUTBOX_KIND_SUMMARY ||
	    item->kind == AP_OUTBOX_KIND_FEEDBACK)
		return g_steal_pointer(&draft);

	event.method = item->kind == AP_OUTBOX_KIND_CANCELLATION ? AP_ITIP_CANCEL : AP_ITIP_REQUEST;
	event.uid = ctx->booking->ical_uid;
	event.sequence = item->sequence;
	event.stamp = item->created_at;
	event.start = item->start;
	event.end = item->end;
	event.summary = summary;
	event.description = description;
	event.location = ctx->video_url;
	event.organizer.name = ctx->from_name;
	event.organizer.email = ctx->from_address;
	event.customer.name = ctx->booking->customer_name;
	event.customer.email = ctx->booking->customer_email;
	event.expert.name = ctx->expert->name;
	event.expert.email = ctx->expert->email;
	draft->calendar = ap_itip_render(&event, error);
	if (draft->calendar == NULL)
		return NULL;
	draft->message.calendar = draft->calendar;
	draft->message.method = event.method;
	return g_steal_pointer(&draft);
}
