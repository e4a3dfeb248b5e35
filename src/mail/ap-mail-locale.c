/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApMail"

#include "ap-mail-locale.h"

#include <string.h>

/*
 * Each email is written in its reader's language: gettext for the words
 * and the C library's LC_TIME for the names of days and months, both
 * taken from the calling thread's locale (uselocale()), so that one
 * thread can write German after Welsh while the process stays as it is.
 * The languages are those of po/LINGUAS, with British English, the
 * source, for every other tag.
 */

static const struct {
	const gchar *prefix; /* a BCP 47 primary language */
	const gchar *locale; /* the glibc locale that writes it */
} ap_mail_locales[] = {
	{"de", "de_DE.UTF-8"},
	{"cy", "cy_GB.UTF-8"},
	{"en", "en_GB.UTF-8"},
};

/**
 * ap_mail_locale_name:
 * @tag: (nullable): a language tag such as `de`, `cy-GB` or `en-GB`
 *
 * Returns: the glibc locale emails in that language are written in
 */
const gchar *
ap_mail_locale_name(const gchar *tag)
{
	for (guint i = 0; tag != NULL && i < G_N_ELEMENTS(ap_mail_locales); i++) {
		gsize n = strlen(ap_mail_locales[i].prefix);
		if (g_ascii_strncasecmp(tag, ap_mail_locales[i].prefix, n) == 0 &&
		    (tag[n] == '\0' || tag[n] == '-' || tag[n] == '_'))
			return ap_mail_locales[i].locale;
	}
	return "en_GB.UTF-8";
}

/**
 * ap_mail_locale_get:
 * @tag: (nullable): the reader's language tag
 *
 * Thread-safe; each locale is made once. Where the system lacks it (its
 * locales were not generated), English in a UTF-8 locale is used, and
 * said once in the log.
 *
 * Returns: (transfer none): a locale for uselocale(), never 0
 */
locale_t
ap_mail_locale_get(const gchar *tag)
{
	static GMutex lock;
	static GHashTable *made = NULL; /* name -> locale_t */
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&lock);
	const gchar *name = ap_mail_locale_name(tag);
	locale_t loc;

	if (made == NULL)
		made = g_hash_table_new(g_str_hash, g_str_equal);
	loc = (locale_t)g_hash_table_lookup(made, name);
	if (loc != (locale_t)0)
		return loc;
	loc = newlocale(LC_MESSAGES_MASK | LC_TIME_MASK | LC_CTYPE_MASK, name, (locale_t)0);
	if (loc == (locale_t)0) {
		g_warning("the system has no %s locale: those emails are written in English "
			  "(on Debian: localedef -i %.5s -f UTF-8 %s)",
			  name,
			  name,
			  name);
		loc = newlocale(LC_ALL_MASK, "C.UTF-8", (locale_t)0);
		if (loc == (locale_t)0)
			loc = LC_GLOBAL_LOCALE;
	}
	g_hash_table_insert(made, (gpointer)name, (gpointer)loc);
	return loc;
}
