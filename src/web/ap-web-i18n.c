/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApWeb"

#include "ap-web-i18n.h"

#include <json-glib/json-glib.h>
#include <libintl.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "ap-mail-locale.h"

/*
 * The pages' translations come from the same po/ catalogue as the emails.
 * Their scripts mark each string as `_("text")`, which xgettext reads as
 * JavaScript (po/POTFILES.in lists them); here the same calls are found in
 * the scripts of the GResource, and each text is looked up with dgettext()
 * in the reader's locale. A page then fetches /i18n/LANG once: a JSON
 * object {lang, strings: {text: translation}} of what differs from
 * English. Reading the compiled .mo file ourselves would be the other way;
 * asking gettext keeps one reader of the catalogue, and its fallbacks.
 *
 * The calls are written plainly: `_("…")` with a double-quoted literal,
 * escapes \" \\ \n only, never a concatenation or a variable; plurals
 * as `n_("%s minute", "%s minutes", n)`, whose forms are served for the
 * numbers a page may meet (ap_web_i18n_add_plural()), since the
 * catalogue's Plural-Forms rule is C that a page under a strict policy
 * may not evaluate.
 */

#define AP_WEB_I18N_SCRIPTS "/org/appoint/web/assets/"

/* the double-quoted literal at @p, unescaped; @after is past its end */
static gchar *
ap_web_i18n_literal(const gchar *p, const gchar *end, const gchar **after)
{
	const gchar *q;
	g_autofree gchar *raw = NULL;

	if (p >= end || *p != '"')
		return NULL;
	for (q = p + 1; q < end && *q != '"' && *q != '\n'; q++) {
		if (*q == '\\' && q + 1 < end)
			q++;
	}
	if (q >= end || *q != '"')
		return NULL;
	raw = g_strndup(p + 1, (gsize)(q - p - 1));
	*after = q + 1;
	return g_strcompress(raw);
}

/* whether @p starts the call @name( , not part of a longer name */
static gboolean
ap_web_i18n_is_call(const gchar *script, const gchar *p, const gchar *end, const gchar *name)
{
	gsize n = strlen(name);

	if ((gsize)(end - p) < n + 2 || strncmp(p, name, n) != 0 || p[n] != '(')
		return FALSE;
	return p == script ||
	       !(g_ascii_isalnum(p[-1]) || p[-1] == '_' || p[-1] == '$' || p[-1] == '.');
}

/* every `_("…")` text in @script, added to @ids once each, and every
 * `n_("one", "many", n)` pair to @plurals */
static void
ap_web_i18n_scan(
	const gchar *script, gsize len, GHashTable *seen, GPtrArray *ids, GPtrArray *plurals)
{
	const gchar *end = script + len;

	for (const gchar *p = script; p + 3 < end; p++) {
		const gchar *after = NULL;
		gchar *text;

		if (ap_web_i18n_is_call(script, p, end, "_")) {
			text = ap_web_i18n_literal(p + 2, end, &after);
			if (text == NULL || after >= end || *after != ')' || *text == '\0' ||
			    g_hash_table_contains(seen, text)) {
				g_free(text);
				continue;
			}
			g_hash_table_add(seen, text);
			g_ptr_array_add(ids, text);
			p = after;
		} else if (ap_web_i18n_is_call(script, p, end, "n_")) {
			g_autofree gchar *one = ap_web_i18n_literal(p + 3, end, &after);
			g_autofree gchar *many = NULL;

			if (one == NULL)
				continue;
			while (after < end && (*after == ',' || g_ascii_isspace(*after)))
				after++;
			many = ap_web_i18n_literal(after, end, &after);
			if (many == NULL || *one == '\0' || g_hash_table_contains(seen, one))
				continue;
			text = g_steal_pointer(&one);
			g_hash_table_add(seen, text);
			g_ptr_array_add(plurals, text);
			g_ptr_array_add(plurals, g_steal_pointer(&many));
			p = after;
		}
	}
}

static gint
ap_web_i18n_compare_names(gconstpointer a, gconstpointer b)
{
	return g_strcmp0(*(const gchar *const *)a, *(const gchar *const *)b);
}

/**
 * ap_web_i18n_msgids:
 *
 * Every text the pages' scripts mark for translation, in the order first
 * met (scripts in name order); the plural ones are ap_web_i18n_plurals().
 *
 * Returns: (transfer container) (element-type utf8): the texts; owned by a
 * process-wide table, valid for the life of the process
 */
static GPtrArray *ap_web_i18n_plural_pairs = NULL;

GPtrArray *
ap_web_i18n_msgids(void)
{
	static GPtrArray *ids = NULL;
	static GMutex lock;
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&lock);
	g_auto(GStrv) names = NULL;
	GHashTable *seen;

	if (ids != NULL)
		return g_ptr_array_ref(ids);
	ids = g_ptr_array_new();
	ap_web_i18n_plural_pairs = g_ptr_array_new();
	seen = g_hash_table_new(g_str_hash, g_str_equal);
	names = g_resources_enumerate_children(AP_WEB_I18N_SCRIPTS, 0, NULL);
	if (names != NULL) {
		qsort(names, g_strv_length(names), sizeof(gchar *), ap_web_i18n_compare_names);
		for (guint i = 0; names[i] != NULL; i++) {
			g_autofree gchar *path = NULL;
			g_autoptr(GBytes) bytes = NULL;
			gsize len = 0;
			const gchar *data;

			if (!g_str_has_suffix(names[i], ".js"))
				continue;
			path = g_strconcat(AP_WEB_I18N_SCRIPTS, names[i], NULL);
			bytes = g_resources_lookup_data(path, 0, NULL);
			if (bytes == NULL)
				continue;
			data = g_bytes_get_data(bytes, &len);
			ap_web_i18n_scan(data, len, seen, ids, ap_web_i18n_plural_pairs);
		}
	}
	/* the texts live as long as the process, like the array */
	g_hash_table_unref(seen);
	return g_ptr_array_ref(ids);
}

/**
 * ap_web_i18n_plurals:
 *
 * Returns: (transfer container) (element-type utf8): the `n_()` texts, a
 * singular then its plural, pair after pair
 */
GPtrArray *
ap_web_i18n_plurals(void)
{
	g_autoptr(GPtrArray) ids = ap_web_i18n_msgids();

	return g_ptr_array_ref(ap_web_i18n_plural_pairs);
}

/* the numbers a page asks plural forms for: below this as they are,
 * beyond it by their last two digits (every rule of the languages in
 * po/ depends on nothing more), see n_() in common.js */
#define AP_WEB_I18N_PLURAL_PROBES 200

/* {forms: [...], index: [form of n for n = 0 … 199]} of one text, as
 * ngettext() says in this thread's locale */
static void
ap_web_i18n_add_plural(JsonBuilder *b, const gchar *one, const gchar *many)
{
	g_autoptr(GPtrArray) forms = g_ptr_array_new();
	guint index[AP_WEB_I18N_PLURAL_PROBES];

	for (guint n = 0; n < AP_WEB_I18N_PLURAL_PROBES; n++) {
		const gchar *form = dngettext(GETTEXT_PACKAGE, one, many, n);
		guint k;

		for (k = 0; k < forms->len && g_strcmp0(g_ptr_array_index(forms, k), form) != 0;
		     k++)
			;
		if (k == forms->len)
			g_ptr_array_add(forms, (gpointer)form);
		index[n] = k;
	}
	json_builder_set_member_name(b, one);
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "forms");
	json_builder_begin_array(b);
	for (guint k = 0; k < forms->len; k++)
		json_builder_add_string_value(b, g_ptr_array_index(forms, k));
	json_builder_end_array(b);
	json_builder_set_member_name(b, "index");
	json_builder_begin_array(b);
	for (guint n = 0; n < AP_WEB_I18N_PLURAL_PROBES; n++)
		json_builder_add_int_value(b, index[n]);
	json_builder_end_array(b);
	json_builder_end_object(b);
}

/* the BCP 47 tag the pages use for a locale name of ap_mail_locale_name() */
static gchar *
ap_web_i18n_tag(const gchar *locale_name)
{
	g_autofree gchar *tag = g_strndup(locale_name, strcspn(locale_name, "."));

	g_strdelimit(tag, "_", '-');
	return g_steal_pointer(&tag);
}

/**
 * ap_web_i18n_catalogue:
 * @tag: (nullable): the reader's language, such as `de` or `cy-GB`
 *
 * The pages' strings in the language appoint has nearest to @tag
 * (British English when it has none): `{"lang": "de-DE", "strings":
 * {"Book": "Buchen", …}}`, holding only the texts that are translated.
 * Made once a language; thread-safe.
 *
 * Returns: (transfer full): the JSON document
 */
GBytes *
ap_web_i18n_catalogue(const gchar *tag)
{
	static GHashTable *made = NULL; /* locale name -> GBytes */
	static GMutex lock;
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&lock);
	const gchar *name = ap_mail_locale_name(tag);
	g_autoptr(GPtrArray) ids = NULL;
	g_autoptr(GPtrArray) plurals = NULL;
	g_autoptr(JsonBuilder) b = NULL;
	g_autoptr(JsonNode) root = NULL;
	g_autofree gchar *lang = NULL;
	g_autofree gchar *text = NULL;
	GBytes *bytes;
	locale_t previous;
	gsize len;

	if (made == NULL)
		made = g_hash_table_new_full(
			g_str_hash, g_str_equal, NULL, (GDestroyNotify)g_bytes_unref);
	bytes = g_hash_table_lookup(made, name);
	if (bytes != NULL)
		return g_bytes_ref(bytes);

	ids = ap_web_i18n_msgids();
	plurals = ap_web_i18n_plurals();
	lang = ap_web_i18n_tag(name);
	b = json_builder_new();
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "lang");
	json_builder_add_string_value(b, lang);
	json_builder_set_member_name(b, "strings");
	json_builder_begin_object(b);
	previous = uselocale(ap_mail_locale_get(tag));
	for (guint i = 0; i < ids->len; i++) {
		const gchar *id = g_ptr_array_index(ids, i);
		const gchar *translated = dgettext(GETTEXT_PACKAGE, id);

		if (translated == id || g_strcmp0(translated, id) == 0)
			continue;
		json_builder_set_member_name(b, id);
		json_builder_add_string_value(b, translated);
	}
	json_builder_end_object(b);
	json_builder_set_member_name(b, "plurals");
	json_builder_begin_object(b);
	for (guint i = 0; i + 1 < plurals->len; i += 2)
		ap_web_i18n_add_plural(
			b, g_ptr_array_index(plurals, i), g_ptr_array_index(plurals, i + 1));
	json_builder_end_object(b);
	uselocale(previous);
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	text = json_to_string(root, FALSE);
	len = strlen(text);
	bytes = g_bytes_new_take(g_steal_pointer(&text), len);
	g_hash_table_insert(made, (gpointer)name, g_bytes_ref(bytes));
	return bytes;
}
