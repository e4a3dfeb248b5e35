/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApSecret"

#include "ap-secret.h"

#include <sodium.h>
#include <string.h>

#include "ap-error.h"

/**
 * ap_secret_init:
 * @error: a #GError, or %NULL
 *
 * Initialises libsodium; call once before anything else here.
 *
 * Returns: %TRUE on success
 */
gboolean
ap_secret_init(GError **error)
{
	if (sodium_init() < 0) {
		g_set_error(error, AP_ERROR, AP_ERROR_STORE, "libsodium could not be initialised");
		return FALSE;
	}
	return TRUE;
}

/**
 * ap_token_generate:
 * @prefix: (nullable): e.g. `apt_` for API tokens, so a leaked one is
 *   recognisable by secret scanners
 *
 * Returns: (transfer full): @prefix and 256 random bits in base64url
 */
gchar *
ap_token_generate(const gchar *prefix)
{
	guint8 bytes[AP_TOKEN_BYTES];
	gchar text[sodium_base64_ENCODED_LEN(AP_TOKEN_BYTES,
					     sodium_base64_VARIANT_URLSAFE_NO_PADDING)];

	randombytes_buf(bytes, sizeof(bytes));
	sodium_bin2base64(
		text, sizeof(text), bytes, sizeof(bytes), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(bytes, sizeof(bytes));
	return g_strconcat(prefix != NULL ? prefix : "", text, NULL);
}

/* a manage token begins with the time it was made, in hexadecimal
 * milliseconds, and a dash (AP_MANAGE_TOKEN_ORDER characters), then
 * the random part: 56 characters in all, as no other token has, and all
 * in base64url's alphabet, as the pages expect of a token */
#define AP_MANAGE_TOKEN_TIME_DIGITS 12
#define AP_MANAGE_TOKEN_ORDER	    (AP_MANAGE_TOKEN_TIME_DIGITS + 1)
#define AP_MANAGE_TOKEN_LENGTH	    (AP_MANAGE_TOKEN_ORDER + 43)

static gboolean
ap_manage_token_is_ordered(const gchar *token)
{
	if (strlen(token) != AP_MANAGE_TOKEN_LENGTH)
		return FALSE;
	for (guint i = 0; i < AP_MANAGE_TOKEN_TIME_DIGITS; i++) {
		if (!g_ascii_isxdigit(token[i]) || g_ascii_isupper(token[i]))
			return FALSE;
	}
	return token[AP_MANAGE_TOKEN_TIME_DIGITS] == '-';
}

/**
 * ap_manage_token_generate:
 * @made_ms: when, in milliseconds since 1970 (UTC)
 *
 * A booking's manage token: the time it was made (milliseconds, in 12
 * lower-case hexadecimal digits), a dash, and 256 random bits in
 * base64url. The time is no secret (the booking says when it was made);
 * it orders the tokens' hashes as the bookings are made
 * (ap_token_hash()), so that a new booking's goes next to the last one's
 * in the index that finds a booking by its token, not at a random place
 * in it: a page a booking does not write.
 *
 * Returns: (transfer full): a new manage token
 */
gchar *
ap_manage_token_generate(gint64 made_ms)
{
	g_autofree gchar *random = ap_token_generate(NULL);
	gint64 ms = CLAMP(made_ms, 0, G_GINT64_CONSTANT(0xffffffffffff));

	return g_strdup_printf("%012" G_GINT64_MODIFIER "x-%s", ms, random);
}

/**
 * ap_token_hash:
 * @token: a token
 *
 * A token carries 256 random bits, so a fast hash is enough to make the
 * stored value useless to whoever reads the database; passwords, which
 * people choose, get argon2id instead. A manage token that begins with
 * its time (ap_manage_token_generate()) keeps that order: its hash is
 * `~`, the time and the dash, then the SHA-256, so that hashes of tokens
 * made later sort after those made earlier, and after every plain one.
 *
 * Returns: (transfer full): hex SHA-256 of @token, after the time for a
 * manage token that begins with one
 */
gchar *
ap_token_hash(const gchar *token)
{
	g_autofree gchar *sha = NULL;

	g_return_val_if_fail(token != NULL, NULL);
	sha = g_compute_checksum_for_string(G_CHECKSUM_SHA256, token, -1);
	if (!ap_manage_token_is_ordered(token))
		return g_steal_pointer(&sha);
	return g_strdup_printf("~%.*s%s", AP_MANAGE_TOKEN_ORDER, token, sha);
}

/**
 * ap_secret_equal:
 *
 * Compares two secrets in time that depends only on their length.
 *
 * Returns: %TRUE if equal
 */
gboolean
ap_secret_equal(const gchar *a, const gchar *b)
{
	gsize la, lb;

	if (a == NULL || b == NULL)
		return FALSE;
	la = strlen(a);
	lb = strlen(b);
	if (la != lb)
		return FALSE;
	return sodium_memcmp(a, b, la) == 0;
}

/**
 * ap_reference_generate:
 * @out: (out caller-allocates): 9 bytes
 *
 * A fresh random booking reference; the store keeps them unique.
 */
void
ap_reference_generate(gchar out[AP_REFERENCE_LENGTH + 1])
{
	guint8 bytes[AP_REFERENCE_LENGTH];
	randombytes_buf(bytes, sizeof(bytes));
	ap_reference_from_bytes(bytes, out);
}

/**
 * ap_password_hash:
 * @password: the password
 * @error: a #GError, or %NULL
 *
 * Returns: (transfer full) (nullable): an argon2id hash string with its
 * parameters and salt (libsodium's interactive limits)
 */
gchar *
ap_password_hash(const gchar *password, GError **error)
{
	gchar hash[crypto_pwhash_STRBYTES];

	if (crypto_pwhash_str_alg(hash,
				  password,
				  strlen(password),
				  crypto_pwhash_OPSLIMIT_INTERACTIVE,
				  crypto_pwhash_MEMLIMIT_INTERACTIVE,
				  crypto_pwhash_ALG_ARGON2ID13) != 0) {
		g_set_error(error, AP_ERROR, AP_ERROR_STORE, "out of memory hashing a password");
		return NULL;
	}
	return g_strdup(hash);
}

/**
 * ap_password_verify:
 *
 * Returns: %TRUE if @password matches @hash
 */
gboolean
ap_password_verify(const gchar *hash, const gchar *password)
{
	if (hash == NULL || password == NULL)
		return FALSE;
	return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}
