/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApValidate"

#include "ap-validate.h"

#include "ap-error.h"

#include <string.h>

/* a control character, or a Unicode line/paragraph separator; any of them
 * could break a header or a log line */
static gboolean
ap_validate_is_control(gunichar c, gboolean multiline)
{
	if (multiline && (c == '\n' || c == '\t'))
		return FALSE;
	return g_unichar_iscntrl(c) || c == 0x2028 || c == 0x2029 || c == 0xFEFF;
}

static gboolean
ap_validate_common(const gchar *value,
		   const gchar *field,
		   guint max_chars,
		   gboolean required,
		   gboolean multiline,
		   GError **error)
{
	if (value == NULL || *value == '\0') {
		if (!required)
			return TRUE;
		g_set_error(error, AP_ERROR, AP_ERROR_INVALID, "%s: is required", field);
		return FALSE;
	}
	if (!g_utf8_validate(value, -1, NULL)) {
		g_set_error(error, AP_ERROR, AP_ERROR_INVALID, "%s: is not valid UTF-8", field);
		return FALSE;
	}
	if (g_utf8_strlen(value, -1) > (glong)max_chars) {
		g_set_error(error,
			    AP_ERROR,
			    AP_ERROR_INVALID,
			    "%s: is longer than %u characters",
			    field,
			    max_chars);
		return FALSE;
	}
	for (const gchar *p = value; *p != '\0'; p = g_utf8_next_char(p)) {
		if (ap_validate_is_control(g_utf8_get_char(p), multiline)) {
			g_set_error(error,
				    AP_ERROR,
				    AP_ERROR_INVALID,
				    "%s: contains a control character",
				    field);
			return FALSE;
		}
	}
	if (required) {
		g_autofree gchar *stripped = g_strstrip(g_strdup(value));
		if (*stripped == '\0') {
			g_set_error(error, AP_ERROR, AP_ERROR_INVALID, "%s: is blank", field);
			return FALSE;
		}
	}
	return TRUE;
}

/**
 * ap_validate_line:
 * @value: (nullable): the text
 * @field: the field's name, for the message
 * @max_chars: most characters (not bytes) allowed
 * @required: whether empty or %NULL is an error
 * @error: a #GError, or %NULL
 *
 * One line of UTF-8 text without any control character.
 *
 * Returns: %TRUE if acceptable
 */
gboolean
ap_validate_line(
	const gchar *value, const gchar *field, guint max_chars, gboolean required, GError **error)
{
	return ap_validate_common(value, field, max_chars, required, FALSE, error);
}

/**
 * ap_validate_text:
 *
 * Like ap_validate_line(), but newlines and tabs are allowed.
 *
 * Returns: %TRUE if acceptable
 */
gboolean
ap_validate_text(
	const gchar *value, const gchar *field, guint max_chars, gboolean required, GError **error)
{
	return ap_validate_common(value, field, max_chars, required, TRUE, error);
}

gboolean
ap_validate_name(const gchar *value, const gchar *field, GError **error)
{
	return ap_validate_line(value, field, AP_NAME_MAX_CHARS, TRUE, error);
}

static gboolean
ap_validate_email_local(const gchar *local, gsize len)
{
	if (len == 0 || len > 64 || local[0] == '.' || local[len - 1] == '.')
		return FALSE;
	for (gsize i = 0; i < len; i++) {
		guchar c = (guchar)local[i];
		if (c >= 0x80)
			continue; /* RFC 6531 allows UTF-8 */
		if (!g_ascii_isalnum(c) && strchr("!#$%&'*+-/=?^_`{|}~.", c) == NULL)
			return FALSE;
		if (c == '.' && local[i + 1] == '.')
			return FALSE;
	}
	return TRUE;
}

static gboolean
ap_validate_email_domain(const gchar *domain)
{
	g_auto(GStrv) labels = g_strsplit(domain, ".", -1);

	if (g_strv_length(labels) < 2)
		return FALSE;
	for (guint i = 0; labels[i] != NULL; i++) {
		gsize len = strlen(labels[i]);
		if (len == 0 || len > 63 || labels[i][0] == '-' || labels[i][len - 1] == '-')
			return FALSE;
		for (gsize j = 0; j < len; j++) {
			guchar c = (guchar)labels[i][j];
			if (c < 0x80 && !g_ascii_isalnum(c) && c != '-')
				return FALSE;
		}
	}
	return TRUE;
}

/**
 * ap_validate_email:
 *
 * An address of the form `local@domain.tld`, as people type them; quoted
 * local parts and address literals are refused because no customer needs
 * them and they complicate every header they reach.
 *
 * Returns: %TRUE if acceptable
 */
gboolean
ap_validate_email(const gchar *value, const gchar *field, GError **error)
{
	const gchar *at;

	if (!ap_validate_line(value, field, AP_EMAIL_MAX_CHARS, TRUE, error))
		return FALSE;
	at = strrchr(value, '@');
	if (at == NULL || !ap_validate_email_local(value, (gsize)(at - value)) ||
	    !ap_validate_email_domain(at + 1)) {
		g_set_error(error,
			    AP_ERROR,
			    AP_ERROR_INVALID,
			    "%s: '%s' is not an email address",
			    field,
			    value);
		return FALSE;
	}
	return TRUE;
}

/**
 * ap_validate_phone:
 *
 * Optional; digits with the usual separators (`+44 (0)7700 900-002`),
 * between 5 and 20 digits.
 *
 * Returns: %TRUE if acceptable
 */
gboolean
ap_validate_phone(const gchar *value, const gchar *field, GError **error)
{
	guint digits = 0;

	if (!ap_validate_line(value, field, AP_PHONE_MAX_CHARS, FALSE, error))
		return FALSE;
	if (value == NULL || *value == '\0')
		return TRUE;
	for (const gchar *p = value; *p != '\0'; p++) {
		if (g_ascii_isdigit(*p)) {
			digits++;
		} else if (strchr(" +()-./", *p) == NULL || (*p == '+' && p != value)) {
			g_set_error(error,
				    AP_ERROR,
				    AP_ERROR_INVALID,
				    "%s: '%s' is not a phone number",
				    field,
				    value);
			return FALSE;
		}
	}
	if (digits < 5 || digits > 20) {
		g_set_error(error,
			    AP_ERROR,
			    AP_ERROR_INVALID,
			    "%s: a phone number has 5 to 20 digits",
			    field);
		return FALSE;
	}
	return TRUE;
}

/**
 * ap_validate_locale:
 *
 * A BCP 47 language tag of the simple kind: `en`, `en-GB`, `cy`, `de-DE`.
 *
 * Returns: %TRUE if acceptable
 */
gboolean
ap_validate_locale(const gchar *value, const gchar *field, GError **error)
{
	gsize len;

	if (value == NULL || *value == '\0')
		return TRUE;
	len = strlen(value);
	if ((len == 2 || len == 3 || len == 5 || len == 6) && g_ascii_islower(value[0]) &&
	    g_ascii_islower(value[1]) && (len < 3 || len == 5 || g_ascii_islower(value[2])) &&
	    (len != 5 ||
	     (value[2] == '-' && g_ascii_isupper(value[3]) && g_ascii_isupper(value[4]))) &&
	    (len != 6 ||
	     (value[3] == '-' && g_ascii_isupper(value[4]) && g_ascii_isupper(value[5])))) {
		return TRUE;
	}
	g_set_error(error,
		    AP_ERROR,
		    AP_ERROR_INVALID,
		    "%s: '%s' is not a language tag such as en-GB",
		    field,
		    value);
	return FALSE;
}

/**
 * ap_phone_digits:
 * @phone: (nullable): a phone number as typed
 *
 * Returns: (transfer full): its digits alone, so that `07700 900002` and
 * `+44 7700 900002` can be compared by their common tail
 */
/**
 * ap_phone_significant:
 * @digits: a phone number's digits (see ap_phone_digits())
 *
 * The part of a number that is the same however it is written: without
 * an international prefix (`00`), the United Kingdom's country code (the
 * store's own; `44` followed by ten digits or more) and the trunk `0`.
 * So `07700 900002`, `+44 7700 900002`, `+44 (0)7700 900002` and
 * `0044 7700 900002` all give `7700900002`.
 *
 * Returns: (transfer none): a suffix of @digits
 */
const gchar *
ap_phone_significant(const gchar *digits)
{
	const gchar *p = digits;

	g_return_val_if_fail(digits != NULL, NULL);

	if (g_str_has_prefix(p, "00"))
		p += 2;
	if (g_str_has_prefix(p, "44") && strlen(p) >= 12)
		p += 2;
	if (*p == '0')
		p++;
	return p;
}

gchar *
ap_phone_digits(const gchar *phone)
{
	GString *digits = g_string_new(NULL);
	for (const gchar *p = phone; p != NULL && *p != '\0'; p++) {
		if (g_ascii_isdigit(*p))
			g_string_append_c(digits, *p);
	}
	return g_string_free(digits, FALSE);
}
