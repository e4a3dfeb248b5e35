/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApCtl"

#include "ap-ctl.h"

#include "ap-error.h"
#include "ap-slots.h"

/*
 * Data at a national retailer's size, for benchmarks and load tests:
 * experts across branches and services with realistic weekly hours and a
 * week of time off a year, and bookings over the past two years and the
 * coming two months on times each expert really offered, none of an
 * expert's overlapping another (buffers included). Reproducible from the
 * seed. Bookings are written in bulk (ap_store_bookings_import()): no
 * history, no emails. A million take some 400 MB while they are made.
 */

#define AP_GENERATE_DAY	       (24 * 3600)
#define AP_GENERATE_CHUNK_DAYS 56

static const gchar *const ap_generate_first[] = {
	"Olivia", "Noah",  "Amelia", "Oliver", "Isla",	"George", "Ava",   "Arthur", "Mia",
	"Leo",	  "Ivy",   "Oscar",  "Freya",  "Harry", "Lily",	  "Jack",  "Sophie", "Rhys",
	"Ffion",  "Cerys", "Dylan",  "Hannah", "Lukas", "Emma",	  "Priya", "Arjun",  "Zara"};
static const gchar *const ap_generate_last[] = {
	"Smith",  "Jones",   "Taylor", "Brown", "Williams", "Wilson",  "Davies", "Evans",
	"Thomas", "Roberts", "Patel",  "Khan",	"Hughes",   "Edwards", "Lewis",	 "Walker",
	"Wright", "Green",   "Hall",   "Wood",	"Becker",   "Morgan",  "Price",	 "Shah"};
static const gchar *const ap_generate_branches[] = {"London, Oxford Street",
						    "London, Westfield",
						    "Manchester",
						    "Birmingham",
						    "Leeds",
						    "Glasgow",
						    "Edinburgh",
						    "Cardiff",
						    "Bristol",
						    "Liverpool",
						    "Newcastle",
						    "Nottingham",
						    "Sheffield",
						    "Leicester",
						    "Southampton",
						    "Belfast",
						    "Aberdeen",
						    "Cambridge",
						    "Oxford",
						    "Online team"};

/* weekly patterns, Monday first, as start-end in minutes (0-0: off) */
static const guint ap_generate_weeks[][7][2] = {
	{{540, 1050}, {540, 1050}, {540, 1050}, {540, 1050}, {540, 1020}, {600, 960}, {0, 0}},
	{{0, 0}, {600, 1080}, {600, 1080}, {600, 1080}, {600, 1080}, {600, 1080}, {0, 0}},
	{{720, 1200}, {720, 1200}, {720, 1200}, {720, 1200}, {0, 0}, {0, 0}, {600, 960}},
	{{480, 960}, {480, 960}, {480, 960}, {480, 960}, {480, 840}, {0, 0}, {0, 0}},
	{{540, 780}, {540, 780}, {540, 780}, {540, 780}, {540, 780}, {540, 780}, {0, 0}},
};

typedef struct {
	GRand *rand;
	guint counter;
	gint64 now;
} ApGenerate;

static const gchar *
ap_generate_pick(ApGenerate *g, const gchar *const *list, guint n)
{
	return list[g_rand_int_range(g->rand, 0, (gint32)n)];
}

static ApExpert *
ap_generate_expert(ApGenerate *g, guint i, GPtrArray *services, GError **error)
{
	g_autoptr(ApExpert) expert = ap_expert_new();
	const ApService *main = g_ptr_array_index(services, i % services->len);
	const gchar *first =
		ap_generate_pick(g, ap_generate_first, G_N_ELEMENTS(ap_generate_first));
	const gchar *last = ap_generate_pick(g, ap_generate_last, G_N_ELEMENTS(ap_generate_last));
	const guint(*week)[2] = ap_generate_weeks[i % G_N_ELEMENTS(ap_generate_weeks)];
	g_autofree gchar *email = g_strdup_printf("%s.%s.%u@example.com", first, last, i + 1);

	expert->name = g_strdup_printf("%s %s", first, last);
	expert->email = g_ascii_strdown(email, -1);
	expert->branch = g_strdup(ap_generate_branches[i % G_N_ELEMENTS(ap_generate_branches)]);
	expert->bio = g_strdup_printf("Advises on %s.", main->name);
	if (!ap_expert_set_timezone(expert, i % 9 == 8 ? "Europe/Berlin" : "Europe/London", error))
		return NULL;
	g_ptr_array_add(expert->services, g_strdup(main->id));
	for (guint day = 0; day < 7; day++) {
		if (week[day][1] > week[day][0] &&
		    !ap_weekly_hours_add(expert->hours, day + 1, week[day][0], week[day][1], error))
			return NULL;
	}
	/* a fortnight off each summer, a week each winter */
	for (gint year = -2; year <= 0; year++) {
		gint64 summer = g->now + year * 365 * AP_GENERATE_DAY +
				g_rand_int_range(g->rand, 0, 300) * AP_GENERATE_DAY;
		g_ptr_array_add(expert->time_off,
				ap_time_off_new(summer, summer + 14 * AP_GENERATE_DAY, "holiday"));
	}
	return g_steal_pointer(&expert);
}

/* every start @expert offered, none overlapping the one before */
static GArray *
ap_generate_starts(const ApService *service, ApExpert *expert, gint64 from, gint64 to)
{
	GArray *starts = g_array_new(FALSE, FALSE, sizeof(gint64));
	gint64 last_block_end = G_MININT64;

	for (gint64 chunk = from; chunk < to; chunk += AP_GENERATE_CHUNK_DAYS * AP_GENERATE_DAY) {
		ApSlotWindow window = {
			.now = chunk - (gint64)service->min_notice_minutes * 60 - 1,
			.from = chunk,
			.to = MIN(chunk + AP_GENERATE_CHUNK_DAYS * AP_GENERATE_DAY, to),
		};
		g_autoptr(GArray) offers = ap_slots_for_expert(service, expert, &window, NULL, 0);

		for (guint i = 0; i < offers->len; i++) {
			const ApSlotOffer *o = &g_array_index(offers, ApSlotOffer, i);
			gint64 block_start = 0, block_end = 0;

			ap_slots_block(service, o->start, o->end, &block_start, &block_end);
			if (block_start < last_block_end)
				continue;
			g_array_append_val(starts, o->start);
			last_block_end = block_end;
		}
	}
	return starts;
}

/* what appointd stores for a booking's manage token made at @made (Unix
 * seconds): `~`, the time in hexadecimal milliseconds and a dash, then
 * the token's hex SHA-256 (ap_token_hash()); here of a token nobody
 * holds, so random hex, drawn from the seed: as long as the real ones,
 * and in the same order in their unique index */
static gchar *
ap_generate_token_hash(ApGenerate *g, gint64 made)
{
	GString *hex = g_string_sized_new(1 + 13 + 64);

	g_string_append_printf(hex, "~%012" G_GINT64_MODIFIER "x-", made * 1000);
	for (guint i = 0; i < 8; i++)
		g_string_append_printf(hex, "%08" G_GINT32_MODIFIER "x", g_rand_int(g->rand));
	return g_string_free(hex, FALSE);
}

static ApBooking *
ap_generate_booking(ApGenerate *g, const ApService *service, gint64 expert_id, gint64 start)
{
	ApBooking *b = g_new0(ApBooking, 1);
	const gchar *first =
		ap_generate_pick(g, ap_generate_first, G_N_ELEMENTS(ap_generate_first));
	const gchar *last = ap_generate_pick(g, ap_generate_last, G_N_ELEMENTS(ap_generate_last));
	guint roll = (guint)g_rand_int_range(g->rand, 0, 100);
	guint k = ++g->counter;
	g_autofree gchar *email = g_strdup_printf("%s.%s.%u@example.org", first, last, k);

	b->service_id = g_strdup(service->id);
	b->expert_id = expert_id;
	b->start = start;
	b->end = start + (gint64)service->duration_minutes * 60;
	if (start < g->now)
		b->status = roll < 80	? AP_BOOKING_STATUS_COMPLETED
			    : roll < 87 ? AP_BOOKING_STATUS_NO_SHOW
					: AP_BOOKING_STATUS_CANCELLED;
	else
		b->status = roll < 92 ? AP_BOOKING_STATUS_CONFIRMED : AP_BOOKING_STATUS_CANCELLED;
	if (b->status == AP_BOOKING_STATUS_CANCELLED)
		b->cancel_reason = g_strdup("plans changed");
	roll = (guint)g_rand_int_range(g->rand, 0, 100);
	b->channel = roll < 70	 ? AP_BOOKING_CHANNEL_WEB
		     : roll < 90 ? AP_BOOKING_CHANNEL_PHONE
		     : roll < 97 ? AP_BOOKING_CHANNEL_SOCIAL
				 : AP_BOOKING_CHANNEL_IN_STORE;
	b->customer_name = g_strdup_printf("%s %s", first, last);
	b->customer_email = g_ascii_strdown(email, -1);
	b->customer_phone = g_strdup_printf("+44 7700 9%05u", k % 100000);
	roll = (guint)g_rand_int_range(g->rand, 0, 100);
	b->customer_locale = g_strdup(roll < 85 ? "en-GB" : roll < 93 ? "de" : "cy");
	b->customer_timezone = g_strdup("Europe/London");
	b->created_at = MIN(start - g_rand_int_range(g->rand, 1, 30) * AP_GENERATE_DAY, g->now);
	b->token_hash = ap_generate_token_hash(g, b->created_at);
	return b;
}

gboolean
ap_ctl_generate(ApCtl *ctl, gint argc, gchar **argv, GError **error)
{
	gint n_experts = 1000, n_bookings = 1000000, seed = 1, past_days = 730, future_days = 60;
	const GOptionEntry entries[] = {
		{"experts", 0, 0, G_OPTION_ARG_INT, &n_experts, "Experts to add (1000)", "N"},
		{"bookings", 0, 0, G_OPTION_ARG_INT, &n_bookings, "Bookings to add (1000000)", "M"},
		{"past-days", 0, 0, G_OPTION_ARG_INT, &past_days, "Days of history (730)", "D"},
		{"future-days", 0, 0, G_OPTION_ARG_INT, &future_days, "Days ahead (60)", "D"},
		{"seed", 0, 0, G_OPTION_ARG_INT, &seed, "Random seed (1)", "S"},
		{NULL}};
	g_autoptr(GOptionContext) context = g_option_context_new(
		"- fill an empty database with generated experts and bookings, for benchmarks");
	ApStore *store = ap_engine_get_store(ctl->engine);
	g_autoptr(GPtrArray) services = NULL;
	g_autoptr(GPtrArray) existing = NULL;
	g_autoptr(GPtrArray) experts =
		g_ptr_array_new_with_free_func((GDestroyNotify)ap_expert_unref);
	g_autoptr(GPtrArray) bookings =
		g_ptr_array_new_with_free_func((GDestroyNotify)ap_booking_free);
	g_autoptr(GTimer) timer = g_timer_new();
	ApGenerate g = {.now = ap_engine_get_now(ctl->engine)};
	gint64 from, to;
	guint made = 0;

	g_option_context_add_main_entries(context, entries, NULL);
	if (!ap_ctl_parse(context, &argc, &argv, 0, error))
		return FALSE;
	if (n_experts < 1 || n_experts > 100000 || n_bookings < 0 || n_bookings > 100000000 ||
	    past_days < 0 || past_days > 3650 || future_days < 0 || future_days > 3650) {
		g_set_error(error,
			    AP_ERROR,
			    AP_ERROR_INVALID,
			    "generate: --experts 1..100000, --bookings 0..100000000, days 0..3650");
		return FALSE;
	}
	existing = ap_store_experts_list(store, NULL, TRUE, error);
	services = existing != NULL ? ap_store_services_list(store, FALSE, error) : NULL;
	if (services == NULL)
		return FALSE;
	if (existing->len > 0 || services->len == 0) {
		g_set_error(error,
			    AP_ERROR,
			    AP_ERROR_STATE,
			    "generate: needs a new database with its services and no expert yet");
		return FALSE;
	}
	g.rand = g_rand_new_with_seed((guint32)seed);
	/* whole UTC days, so that one seed gives the same times all day */
	from = (g.now / AP_GENERATE_DAY - past_days) * AP_GENERATE_DAY;
	to = (g.now / AP_GENERATE_DAY + future_days + 1) * AP_GENERATE_DAY;

	/* the experts, in one commit */
	if (!ap_store_batch_begin(store, error))
		goto failed;
	for (gint i = 0; i < n_experts; i++) {
		ApExpert *expert = ap_generate_expert(&g, (guint)i, services, error);
		if (expert == NULL || !ap_store_expert_create(store, expert, error)) {
			ap_expert_unref(expert);
			goto failed;
		}
		for (guint t = 0; t < expert->time_off->len; t++) {
			ApTimeOff *off = g_ptr_array_index(expert->time_off, t);
			g_autoptr(ApTimeOff) copy =
				ap_time_off_new(off->start, off->end, off->reason);
			if (!ap_store_time_off_add(store, expert->id, copy, error)) {
				ap_expert_unref(expert);
				goto failed;
			}
		}
		g_ptr_array_add(experts, expert);
	}
	if (!ap_store_batch_commit(store, error))
		goto failed;

	/* the bookings: each expert's share, at random among the times they
	 * offered, written in one go (ap_store_bookings_import()) */
	for (guint i = 0; i < experts->len; i++) {
		ApExpert *expert = g_ptr_array_index(experts, i);
		const ApService *service = g_ptr_array_index(services, i % services->len);
		guint share =
			(guint)(n_bookings / n_experts) + (i < (guint)(n_bookings % n_experts));
		g_autoptr(GArray) starts = ap_generate_starts(service, expert, from, to);
		gint64 *all = (gint64 *)(gpointer)starts->data;

		/* a random subset of @share: a partial shuffle */
		share = MIN(share, starts->len);
		for (guint k = 0; k < share; k++) {
			guint j = k + (guint)g_rand_int_range(g.rand, 0, (gint32)(starts->len - k));
			gint64 t = all[k];
			all[k] = all[j];
			all[j] = t;
		}
		for (guint k = 0; k < share; k++)
			g_ptr_array_add(bookings,
					ap_generate_booking(&g, service, expert->id, all[k]));
	}
	if (!ap_store_bookings_import(store, services, bookings, error))
		goto failed;
	made = bookings->len;
	g_rand_free(g.rand);
	g_print("generate: %u experts, %u bookings in %.1f s\n",
		experts->len,
		made,
		g_timer_elapsed(timer, NULL));
	if (made < (guint)n_bookings)
		g_print("generate: the experts' hours had room for only %u of %d bookings\n",
			made,
			n_bookings);
	return TRUE;

failed:
	g_rand_free(g.rand);
	return FALSE;
}
