/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "ap-slots.h"
#include "ap-web-views.h"
#include "ap-zone.h"

/* what json-glib writes for the slots: the answer's reference */
static gchar *
reference_slots(GPtrArray *slots, GTimeZone *tz)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonNode) root = NULL;

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "slots");
	json_builder_begin_array(b);
	for (guint i = 0; i < slots->len; i++) {
		const ApSlot *slot = g_ptr_array_index(slots, i);

		json_builder_begin_object(b);
		ap_web_view_add_instant(b, "start", slot->start, tz);
		ap_web_view_add_instant(b, "end", slot->end, tz);
		json_builder_set_member_name(b, "experts");
		json_builder_begin_array(b);
		for (guint j = 0; j < slot->experts->len; j++)
			json_builder_add_int_value(b, g_array_index(slot->experts, gint64, j));
		json_builder_end_array(b);
		json_builder_set_member_name(b, "remaining");
		json_builder_add_int_value(b, slot->remaining);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	return json_to_string(root, FALSE);
}

static GPtrArray *
random_slots(GRand *rand)
{
	GPtrArray *slots = g_ptr_array_new_with_free_func((GDestroyNotify)ap_slot_free);
	guint n = (guint)g_rand_int_range(rand, 0, 40);
	/* from 1970 to beyond 2100, the instants a slot may hold */
	gint64 start = g_rand_int_range(rand, 0, G_MAXINT32) * (gint64)2;

	for (guint i = 0; i < n; i++) {
		ApSlot *slot = g_new0(ApSlot, 1);
		guint n_experts = (guint)g_rand_int_range(rand, 0, 12);

		start += g_rand_int_range(rand, 0, 86400);
		slot->start = start;
		slot->end = start + g_rand_int_range(rand, 1, 7200);
		slot->experts = g_array_new(FALSE, FALSE, sizeof(gint64));
		for (guint j = 0; j < n_experts; j++) {
			/* small ids, and ones past 32 bits */
			gint64 id = g_rand_boolean(rand)
					    ? g_rand_int_range(rand, 1, 1000)
					    : (gint64)g_rand_int(rand) *
						      g_rand_int_range(rand, 1, 1 << 30);
			g_array_append_val(slot->experts, id);
		}
		slot->remaining = g_rand_boolean(rand) ? n_experts : g_rand_int(rand);
		g_ptr_array_add(slots, slot);
	}
	return slots;
}

/* the slots answer is written by hand for speed: byte for byte what
 * json-glib writes, in zones with and without a zero offset */
static void
test_web_views_slots(void)
{
	const gchar *zones[] = {"UTC", "Europe/London", "Asia/Kolkata", "America/St_Johns"};
	g_autoptr(GRand) rand = g_rand_new_with_seed(g_test_rand_int());

	for (guint z = 0; z < G_N_ELEMENTS(zones); z++) {
		g_autoptr(GTimeZone) tz = ap_zone_lookup(zones[z]);

		g_assert_nonnull(tz);
		for (guint round = 0; round < 200; round++) {
			g_autoptr(GPtrArray) slots = random_slots(rand);
			g_autoptr(GBytes) body = ap_web_view_slots(slots, tz);
			g_autofree gchar *expected = reference_slots(slots, tz);
			g_autofree gchar *text =
				g_strndup(g_bytes_get_data(body, NULL), g_bytes_get_size(body));

			g_assert_cmpstr(text, ==, expected);
		}
	}
}

/* nothing free: still an object with an empty list */
static void
test_web_views_slots_empty(void)
{
	g_autoptr(GPtrArray) slots = g_ptr_array_new();
	g_autoptr(GTimeZone) tz = g_time_zone_new_utc();
	g_autoptr(GBytes) body = ap_web_view_slots(slots, tz);

	g_assert_cmpmem(g_bytes_get_data(body, NULL), g_bytes_get_size(body), "{\"slots\":[]}", 12);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/web-views/slots", test_web_views_slots);
	g_test_add_func("/web-views/slots-empty", test_web_views_slots_empty);
	return g_test_run();
}
