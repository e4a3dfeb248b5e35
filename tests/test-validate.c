/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "ap-booking.h"
#include "ap-error.h"
#include "ap-secret.h"
#include "ap-validate.h"

typedef gboolean (*ApCheck)(const gchar *value, const gchar *field, GError **error);

static void
ap_check_table(ApCheck check, const gchar *const *good, const gchar *const *bad)
{
	for (guint i = 0; good[i] != NULL; i++) {
		g_autoptr(GError) error = NULL;
		g_test_message("good: %s", good[i]);
		g_assert_true(check(good[i], "f", &error));
		g_assert_no_error(error);
	}
	for (guint i = 0; bad[i] != NULL; i++) {
		g_autoptr(GError) error = NULL;
		g_autofree gchar *escaped = g_strescape(bad[i], NULL);
		g_test_message("bad: %s", escaped);
		g_assert_false(check(bad[i], "f", &error));
		g_assert_error(error, AP_ERROR, AP_ERROR_INVALID);
		g_assert_true(g_str_has_prefix(error->message, "f: "));
	}
}

static void
test_validate_name(void)
{
	g_autofree gchar *max = g_strnfill(200, 'x');
	g_autofree gchar *over = g_strnfill(201, 'x');
	/* 200 characters of two bytes each is still 200 characters */
	GString *w = g_string_new(NULL);
	const gchar *good[] = {"Siân Davies", "O'Neill", "李小龍", max, NULL, NULL};
	const gchar *bad[] = {"",
			      "   ",
			      "Line\nbreak",
			      "Carriage\rreturn",
			      "Tab\tname",
			      "Bell\a",
			      "Sep\u2028arator",
			      over,
			      "\xff\xfe",
			      NULL};

	for (guint i = 0; i < 200; i++)
		g_string_append(w, "â");
	good[4] = w->str;
	ap_check_table(ap_validate_name, good, bad);
	g_assert_false(ap_validate_name(NULL, "f", NULL));
	g_string_free(w, TRUE);
}

static void
test_validate_email(void)
{
	const gchar *good[] = {"a@b.example",
			       "first.last+tag@sub.example.co.uk",
			       "o'neill@example.com",
			       "ünïcode@example.com",
			       NULL};
	const gchar *bad[] = {"",
			      "plain",
			      "@example.com",
			      "a@",
			      "a@b",
			      "a@@b.example",
			      "a b@example.com",
			      "a@exa mple.com",
			      ".a@example.com",
			      "a.@example.com",
			      "a..b@example.com",
			      "a@-x.example",
			      "a@x-.example",
			      "a@x..example",
			      "a@example.com\r\nBcc: victim@example.com",
			      "\"quoted\"@example.com",
			      "a@[127.0.0.1]",
			      NULL};
	ap_check_table(ap_validate_email, good, bad);
}

static void
test_validate_phone(void)
{
	const gchar *good[] = {
		"+44 7700 900002", "07700 900002", "(020) 7946-0000", "+1.212.555.0100", "", NULL};
	const gchar *bad[] = {"call me",
			      "12 34",
			      "+44 7700 900002 ext 5",
			      "7700+900",
			      "0\n7700 900002",
			      "123456789012345678901",
			      NULL};
	ap_check_table(ap_validate_phone, good, bad);
}

static void
test_validate_locale(void)
{
	const gchar *good[] = {"en", "cy", "en-GB", "de-DE", "haw", "", NULL};
	const gchar *bad[] = {"EN", "english", "en_GB", "en-gb", "e", "en-GBR", "../x", NULL};
	ap_check_table(ap_validate_locale, good, bad);
}

static void
test_validate_phone_digits(void)
{
	g_autofree gchar *a = ap_phone_digits("+44 (0)7700 900-002");
	g_autofree gchar *b = ap_phone_digits(NULL);
	g_assert_cmpstr(a, ==, "4407700900002");
	g_assert_cmpstr(b, ==, "");
	/* however it is written, the same subscriber */
	g_assert_cmpstr(ap_phone_significant("4407700900002"), ==, "7700900002");
	g_assert_cmpstr(ap_phone_significant("447700900002"), ==, "7700900002");
	g_assert_cmpstr(ap_phone_significant("00447700900002"), ==, "7700900002");
	g_assert_cmpstr(ap_phone_significant("07700900002"), ==, "7700900002");
	/* another country keeps its code; a short number is left alone */
	g_assert_cmpstr(ap_phone_significant("0012125550100"), ==, "12125550100");
	g_assert_cmpstr(ap_phone_significant("4477"), ==, "4477");
}

static void
test_validate_reference(void)
{
	gchar ref[AP_REFERENCE_LENGTH + 1];
	guint8 zeros[AP_REFERENCE_LENGTH] = {0};
	guint8 ones[AP_REFERENCE_LENGTH] = {255, 255, 255, 255, 255, 255, 255, 255};
	g_autofree gchar *norm = ap_reference_normalize("ab2c-3de 4");

	ap_reference_from_bytes(zeros, ref);
	g_assert_cmpstr(ref, ==, "22222222");
	ap_reference_from_bytes(ones, ref);
	g_assert_cmpstr(ref, ==, "ZZZZZZZZ");
	g_assert_cmpstr(norm, ==, "AB2C3DE4");
	for (guint i = 0; i < 1000; i++) {
		ap_reference_generate(ref);
		g_assert_true(ap_reference_is_valid(ref));
		g_assert_null(strpbrk(ref, "01IO"));
	}
	g_assert_false(ap_reference_is_valid("ABCDEFG"));
	g_assert_false(ap_reference_is_valid("ABCDEFGO"));
	g_assert_false(ap_reference_is_valid("abcdefgh"));
}

static void
test_validate_secrets(void)
{
	g_autofree gchar *t1 = ap_token_generate("apt_");
	g_autofree gchar *t2 = ap_token_generate(NULL);
	g_autofree gchar *h1 = ap_token_hash(t1);
	g_autofree gchar *h1b = ap_token_hash(t1);
	g_autofree gchar *pw = NULL;
	g_autoptr(GError) error = NULL;

	g_assert_true(g_str_has_prefix(t1, "apt_"));
	g_assert_cmpuint(strlen(t2), ==, 43); /* 256 bits in base64url */
	g_assert_cmpstr(t1 + 4, !=, t2);
	g_assert_cmpuint(strlen(h1), ==, 64);
	g_assert_true(ap_secret_equal(h1, h1b));
	g_assert_false(ap_secret_equal(h1, t1));
	g_assert_false(ap_secret_equal(NULL, h1));

	pw = ap_password_hash("correct horse battery staple", &error);
	g_assert_no_error(error);
	g_assert_true(g_str_has_prefix(pw, "$argon2id$"));
	g_assert_true(ap_password_verify(pw, "correct horse battery staple"));
	g_assert_false(ap_password_verify(pw, "correct horse battery stapler"));
	g_assert_false(ap_password_verify(NULL, "x"));
}

/* a manage token begins with its time: the hashes of tokens made later
 * sort after those made earlier, and after every plain one; a token of
 * any other shape hashes as before */
static void
test_validate_manage_token(void)
{
	g_autofree gchar *early = ap_manage_token_generate(G_GINT64_CONSTANT(1796601600000));
	g_autofree gchar *late = NULL;
	g_autofree gchar *h_early = NULL;
	g_autofree gchar *h_late = NULL;
	g_autofree gchar *plain = ap_token_generate(NULL);
	g_autofree gchar *h_plain = ap_token_hash(plain);
	g_autofree gchar *lookalike = NULL;
	g_autofree gchar *h_lookalike = NULL;
	g_autofree gchar *sha_lookalike = NULL;
	g_autoptr(GRegex) shape = g_regex_new("^[0-9a-f]{12}-[A-Za-z0-9_-]{43}$", 0, 0, NULL);

	late = ap_manage_token_generate(G_GINT64_CONSTANT(1796601600001));
	g_assert_true(g_str_has_prefix(early, "01a24dccd800-"));
	g_assert_true(g_regex_match(shape, early, 0, NULL));
	g_assert_true(g_regex_match(shape, late, 0, NULL));
	h_early = ap_token_hash(early);
	h_late = ap_token_hash(late);
	g_assert_cmpuint(strlen(h_early), ==, 1 + 13 + 64);
	g_assert_cmpint(h_early[0], ==, '~');
	g_assert_cmpmem(h_early + 1, 13, early, 13);
	g_assert_cmpint(strcmp(h_early, h_late), <, 0);
	g_assert_cmpint(strcmp(h_plain, h_early), <, 0);
	g_assert_cmpint(strcmp("erased:12", h_early), <, 0);

	/* a token of 43 characters is a plain one, whatever it begins with */
	g_assert_cmpuint(strlen(h_plain), ==, 64);
	lookalike = g_strdup_printf("0123456789ab-%.30s", plain);
	h_lookalike = ap_token_hash(lookalike);
	sha_lookalike = g_compute_checksum_for_string(G_CHECKSUM_SHA256, lookalike, -1);
	g_assert_cmpuint(strlen(h_lookalike), ==, 64);
	g_assert_cmpstr(h_lookalike, ==, sha_lookalike);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	g_assert_true(ap_secret_init(NULL));
	g_test_add_func("/validate/name", test_validate_name);
	g_test_add_func("/validate/manage-token", test_validate_manage_token);
	g_test_add_func("/validate/email", test_validate_email);
	g_test_add_func("/validate/phone", test_validate_phone);
	g_test_add_func("/validate/locale", test_validate_locale);
	g_test_add_func("/validate/phone-digits", test_validate_phone_digits);
	g_test_add_func("/validate/reference", test_validate_reference);
	g_test_add_func("/validate/secrets", test_validate_secrets);
	return g_test_run();
}
