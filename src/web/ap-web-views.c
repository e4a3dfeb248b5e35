/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApWeb"

#include "ap-web-views.h"

#include "ap-time.h"
#include "ap-zone.h"

#include <string.h>

/**
 * ap_web_view_add_instant:
 *
 * Adds @instant as RFC 3339 with @tz's offset; a zero offset is written
 * `Z`, as in the contract's examples, so that a London winter instant reads
 * the same whichever way a client asked for it.
 */
static gchar *
ap_web_view_instant_text(gint64 instant, GTimeZone *tz)
{
	gchar *text = ap_time_format_rfc3339(instant, tz);
	gsize len = strlen(text);

	if (len > 6 && g_str_has_suffix(text, "+00:00")) {
		text[len - 6] = 'Z';
		text[len - 5] = '\0';
	}
	return text;
}

void
ap_web_view_add_instant(JsonBuilder *b, const gchar *name, gint64 instant, GTimeZone *tz)
{
	g_autofree gchar *text = ap_web_view_instant_text(instant, tz);

	json_builder_set_member_name(b, name);
	json_builder_add_string_value(b, text);
}

static void
ap_web_view_add_string(JsonBuilder *b, const gchar *name, const gchar *value)
{
	json_builder_set_member_name(b, name);
	if (value != NULL)
		json_builder_add_string_value(b, value);
	else
		json_builder_add_null_value(b);
}

/**
 * ap_web_view_expert:
 * @private_fields: whether to include the email address, for admins,
 *   staff and the expert themself
 *
 * Returns: (transfer full): `{id, name, bio, branch, services, timezone,
 * active, email?}`
 */
JsonNode *
ap_web_view_expert(const ApExpert *expert, gboolean private_fields)
{
	g_autoptr(JsonBuilder) b = json_builder_new();

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "id");
	json_builder_add_int_value(b, expert->id);
	ap_web_view_add_string(b, "name", expert->name);
	ap_web_view_add_string(b, "bio", expert->bio != NULL ? expert->bio : "");
	ap_web_view_add_string(b, "branch", expert->branch);
	json_builder_set_member_name(b, "services");
	json_builder_begin_array(b);
	for (guint i = 0; i < expert->services->len; i++)
		json_builder_add_string_value(b, g_ptr_array_index(expert->services, i));
	json_builder_end_array(b);
	ap_web_view_add_string(b, "timezone", expert->timezone);
	json_builder_set_member_name(b, "active");
	json_builder_add_boolean_value(b, expert->active);
	if (private_fields)
		ap_web_view_add_string(b, "email", expert->email);
	json_builder_end_object(b);
	return json_builder_get_root(b);
}

/**
 * ap_web_view_ranges:
 *
 * Returns: (transfer full): `[["09:00","17:00"], …]`; a range crossing
 * midnight ends at its next-day time, e.g. `["22:00","02:00"]`
 */
JsonNode *
ap_web_view_ranges(GArray *ranges)
{
	g_autoptr(JsonBuilder) b = json_builder_new();

	json_builder_begin_array(b);
	for (guint i = 0; i < ranges->len; i++) {
		const ApTimeRange *r = &g_array_index(ranges, ApTimeRange, i);
		g_autofree gchar *start = ap_minute_format(r->start);
		g_autofree gchar *end =
			ap_minute_format(r->end == 1440 ? 1440 : r->end % AP_MINUTES_PER_DAY);
		json_builder_begin_array(b);
		json_builder_add_string_value(b, start);
		json_builder_add_string_value(b, end);
		json_builder_end_array(b);
	}
	json_builder_end_array(b);
	return json_builder_get_root(b);
}

/**
 * ap_web_view_hours:
 *
 * Returns: (transfer full): `{timezone, weekly: {mon: [...], …},
 * overrides: [{date, hours}]}`
 */
JsonNode *
ap_web_view_hours(const ApExpert *expert)
{
	g_autoptr(JsonBuilder) b = json_builder_new();

	json_builder_begin_object(b);
	ap_web_view_add_string(b, "timezone", expert->timezone);
	json_builder_set_member_name(b, "weekly");
	json_builder_begin_object(b);
	for (GDateWeekday d = G_DATE_MONDAY; d <= G_DATE_SUNDAY; d++) {
		json_builder_set_member_name(b, ap_weekday_to_string(d));
		json_builder_add_value(
			b, ap_web_view_ranges(ap_weekly_hours_get_day(expert->hours, d)));
	}
	json_builder_end_object(b);
	json_builder_set_member_name(b, "overrides");
	json_builder_begin_array(b);
	for (guint i = 0; i < expert->overrides->len; i++) {
		const ApDateOverride *o = g_ptr_array_index(expert->overrides, i);
		g_autofree gchar *date = ap_date_format(&o->date);
		json_builder_begin_object(b);
		ap_web_view_add_string(b, "date", date);
		json_builder_set_member_name(b, "hours");
		json_builder_add_value(b, ap_web_view_ranges(o->ranges));
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_end_object(b);
	return json_builder_get_root(b);
}

JsonNode *
ap_web_view_time_off(const ApTimeOff *time_off)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(GTimeZone) tz = g_time_zone_new_utc();

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "id");
	json_builder_add_int_value(b, time_off->id);
	ap_web_view_add_instant(b, "start", time_off->start, tz);
	ap_web_view_add_instant(b, "end", time_off->end, tz);
	ap_web_view_add_string(b, "reason", time_off->reason);
	json_builder_end_object(b);
	return json_builder_get_root(b);
}

/**
 * ap_web_view_booking:
 * @token: (nullable): the manage token, known only when the booking is
 *   made; then `token` and `manage_url` are included
 *
 * Returns: (transfer full): the booking as the API shows it
 */
JsonNode *
ap_web_view_booking(ApEngine *engine, const ApBooking *booking, const gchar *token)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(GTimeZone) tz = ap_zone_lookup(AP_WEB_BOOKING_ZONE);
	g_autoptr(ApExpert) expert = ap_engine_get_expert(engine, booking->expert_id);
	g_autofree gchar *video = ap_engine_video_url(engine, booking);

	json_builder_begin_object(b);
	ap_web_view_add_string(b, "reference", booking->reference);
	if (token != NULL) {
		g_autofree gchar *manage = ap_engine_manage_url(engine, token);
		ap_web_view_add_string(b, "token", token);
		ap_web_view_add_string(b, "manage_url", manage);
	}
	ap_web_view_add_string(b, "status", ap_booking_status_to_string(booking->status));
	ap_web_view_add_string(b, "service", booking->service_id);
	json_builder_set_member_name(b, "expert");
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "id");
	json_builder_add_int_value(b, booking->expert_id);
	ap_web_view_add_string(b, "name", expert != NULL ? expert->name : NULL);
	json_builder_end_object(b);
	ap_web_view_add_instant(b, "start", booking->start, tz);
	ap_web_view_add_instant(b, "end", booking->end, tz);
	ap_web_view_add_string(b, "video_url", video);
	ap_web_view_add_string(b, "channel", ap_booking_channel_to_string(booking->channel));
	json_builder_set_member_name(b, "customer");
	json_builder_begin_object(b);
	ap_web_view_add_string(b, "name", booking->customer_name);
	ap_web_view_add_string(b, "email", booking->customer_email);
	ap_web_view_add_string(b, "phone", booking->customer_phone);
	ap_web_view_add_string(b, "locale", booking->customer_locale);
	ap_web_view_add_string(b, "timezone", booking->customer_timezone);
	json_builder_end_object(b);
	json_builder_set_member_name(b, "answers");
	if (booking->answers != NULL) {
		JsonNode *answers = json_node_init_object(json_node_alloc(), booking->answers);
		json_builder_add_value(b, answers);
	} else {
		json_builder_begin_object(b);
		json_builder_end_object(b);
	}
	ap_web_view_add_string(b, "cancel_reason", booking->cancel_reason);
	ap_web_view_add_string(b, "summary", booking->summary);
	json_builder_set_member_name(b, "sequence");
	json_builder_add_int_value(b, booking->sequence);
	ap_web_view_add_instant(b, "created_at", booking->created_at, tz);
	ap_web_view_add_instant(b, "updated_at", booking->updated_at, tz);
	json_builder_end_object(b);
	return json_builder_get_root(b);
}

static void
ap_web_view_append_instant(GString *out, gint64 instant, GTimeZone *tz)
{
	g_autofree gchar *text = ap_web_view_instant_text(instant, tz);

	g_string_append_c(out, '"');
	g_string_append(out, text);
	g_string_append_c(out, '"');
}

static void
ap_web_view_append_uint(GString *out, guint64 value)
{
	gchar digits[24];
	gsize at = sizeof(digits);

	do {
		digits[--at] = (gchar)('0' + value % 10);
		value /= 10;
	} while (value > 0);
	g_string_append_len(out, digits + at, (gssize)(sizeof(digits) - at));
}

/**
 * ap_web_view_slots:
 * @tz: the zone whose offset the instants carry
 *
 * `{slots: [{start, end, experts, remaining}]}`, as JSON text, byte for
 * byte what json-glib's generator writes for it. Written here and not
 * through json-glib, the one answer that is: a week of one service at a
 * thousand experts holds some 30,000 expert ids, and building, writing
 * and freeing a #JsonNode for each was 45 % of the time to compute the
 * answer. Its only strings are RFC 3339 instants, which need no
 * escaping; tests/test-web-views.c holds it to json-glib's output.
 *
 * Returns: (transfer full): the answer
 */
GBytes *
ap_web_view_slots(GPtrArray *slots, GTimeZone *tz)
{
	GString *out = g_string_sized_new(16 + (gsize)slots->len * 96);

	g_string_append(out, "{\"slots\":[");
	for (guint i = 0; i < slots->len; i++) {
		const ApSlot *slot = g_ptr_array_index(slots, i);

		if (i > 0)
			g_string_append_c(out, ',');
		g_string_append(out, "{\"start\":");
		ap_web_view_append_instant(out, slot->start, tz);
		g_string_append(out, ",\"end\":");
		ap_web_view_append_instant(out, slot->end, tz);
		g_string_append(out, ",\"experts\":[");
		for (guint j = 0; j < slot->experts->len; j++) {
			gint64 id = g_array_index(slot->experts, gint64, j);

			if (j > 0)
				g_string_append_c(out, ',');
			/* ids are positive: the store's rowids */
			if (id < 0)
				g_string_append_c(out, '-');
			ap_web_view_append_uint(out, id < 0 ? 0 - (guint64)id : (guint64)id);
		}
		g_string_append(out, "],\"remaining\":");
		ap_web_view_append_uint(out, slot->remaining);
		g_string_append_c(out, '}');
	}
	g_string_append(out, "]}");
	return g_string_free_to_bytes(out);
}

/**
 * ap_web_view_history:
 *
 * Returns: (transfer full): `[{at, actor, action, detail}]`, oldest first
 */
/* "admin:3" -> the name of user 3, for the timeline */
static gchar *
ap_web_view_actor_name(ApStore *store, const gchar *actor, GHashTable *names)
{
	const gchar *colon = actor != NULL ? strchr(actor, ':') : NULL;
	guint64 id = 0;
	ApUser *user;
	gchar *name;

	if (colon == NULL || store == NULL ||
	    !g_ascii_string_to_unsigned(colon + 1, 10, 1, G_MAXINT64, &id, NULL))
		return NULL;
	name = g_hash_table_lookup(names, actor);
	if (name != NULL)
		return g_strdup(name);
	user = ap_store_user_get(store, (gint64)id, NULL);
	name = g_strdup(user != NULL ? user->name : NULL);
	if (user != NULL)
		ap_user_free(user);
	if (name != NULL)
		g_hash_table_insert(names, g_strdup(actor), g_strdup(name));
	return name;
}

JsonNode *
ap_web_view_history(ApStore *store, GPtrArray *events)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(GTimeZone) tz = g_time_zone_new_utc();
	g_autoptr(GHashTable) names =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);

	json_builder_begin_array(b);
	for (guint i = 0; i < events->len; i++) {
		const ApBookingEvent *e = g_ptr_array_index(events, i);
		g_autofree gchar *actor_name = ap_web_view_actor_name(store, e->actor, names);

		json_builder_begin_object(b);
		ap_web_view_add_instant(b, "at", e->at, tz);
		ap_web_view_add_string(b, "actor", e->actor);
		ap_web_view_add_string(b, "actor_name", actor_name);
		ap_web_view_add_string(b, "address", e->address);
		ap_web_view_add_string(b, "action", e->action);
		json_builder_set_member_name(b, "detail");
		if (e->detail != NULL) {
			JsonNode *detail = json_from_string(e->detail, NULL);
			if (detail != NULL)
				json_builder_add_value(b, detail);
			else
				json_builder_add_null_value(b);
		} else {
			json_builder_add_null_value(b);
		}
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	return json_builder_get_root(b);
}

/* one outbox row, as GET /api/v1/bookings/{reference}/emails lists it */

void
ap_web_view_outbox_item(JsonBuilder *b, const ApOutboxItem *item, GTimeZone *utc)
{
	g_autofree gchar *created = ap_time_format_rfc3339(item->created_at, utc);
	g_autofree gchar *next = ap_time_format_rfc3339(item->next_attempt_at, utc);

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "id");
	json_builder_add_int_value(b, item->id);
	json_builder_set_member_name(b, "reference");
	json_builder_add_string_value(b, item->reference);
	json_builder_set_member_name(b, "kind");
	json_builder_add_string_value(b, ap_outbox_kind_to_string(item->kind));
	json_builder_set_member_name(b, "to");
	json_builder_add_string_value(
		b, item->role == AP_OUTBOX_ROLE_CUSTOMER ? "customer" : "expert");
	json_builder_set_member_name(b, "recipient");
	json_builder_add_string_value(b, item->recipient);
	json_builder_set_member_name(b, "status");
	json_builder_add_string_value(b, ap_outbox_status_to_string(item->status));
	json_builder_set_member_name(b, "attempts");
	json_builder_add_int_value(b, item->attempts);
	json_builder_set_member_name(b, "last_error");
	if (item->last_error != NULL)
		json_builder_add_string_value(b, item->last_error);
	else
		json_builder_add_null_value(b);
	json_builder_set_member_name(b, "created_at");
	json_builder_add_string_value(b, created);
	json_builder_set_member_name(b, "next_attempt_at");
	if (item->status == AP_OUTBOX_STATUS_PENDING)
		json_builder_add_string_value(b, next);
	else
		json_builder_add_null_value(b);
	json_builder_end_object(b);
}

/**
 * ap_web_view_add_user_members:
 * @b: a builder inside an object
 * @user: an account
 *
 * What every view of an account shows (id, email, name, role,
 * expert_id): GET /api/v1/auth/me and the admins' /api/v1/users. Never
 * its password hash.
 */
void
ap_web_view_add_user_members(JsonBuilder *b, const ApUser *user)
{
	json_builder_set_member_name(b, "id");
	json_builder_add_int_value(b, user->id);
	json_builder_set_member_name(b, "email");
	json_builder_add_string_value(b, user->email);
	json_builder_set_member_name(b, "name");
	json_builder_add_string_value(b, user->name);
	json_builder_set_member_name(b, "role");
	json_builder_add_string_value(b, ap_role_to_string(user->role));
	json_builder_set_member_name(b, "expert_id");
	if (user->expert_id != 0)
		json_builder_add_int_value(b, user->expert_id);
	else
		json_builder_add_null_value(b);
}
