/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "ap-error.h"
#include "ap-secret.h"
#include "ap-sqlite-store.h"
#include "ap-test-util.h"

/* log-in sessions in the store: hashed, expiring, gone on log-out or
 * when their user is deactivated */

static void
test_sessions_life(void)
{
	g_autofree gchar *dir = ap_test_make_dir();
	g_autofree gchar *path = g_build_filename(dir, "appoint.db", NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(ApStore) store = ap_sqlite_store_new(path, &error);
	g_autoptr(ApUser) user = ap_user_new();
	g_autofree gchar *token = ap_token_generate("aps_");
	g_autofree gchar *hash = ap_token_hash(token);
	g_autofree gchar *other = ap_token_hash("aps_other");
	g_autofree gchar *csrf = NULL;
	gint64 id;

	g_assert_no_error(error);
	g_assert_cmpuint(ap_sqlite_store_get_schema_version(AP_SQLITE_STORE(store)),
			 ==,
			 AP_SQLITE_SCHEMA_VERSION);
	user->email = g_strdup("staff@example.com");
	user->name = g_strdup("Staff");
	user->role = AP_ROLE_STAFF;
	user->password_hash = g_strdup("$argon2id$placeholder");
	g_assert_true(ap_store_user_create(store, user, &error));
	g_assert_no_error(error);

	ap_store_set_now(store, 1000);
	g_assert_true(
		ap_store_session_create(store, user->id, hash, "csrf-1", 1000 + 3600, &error));
	g_assert_no_error(error);

	id = ap_store_session_lookup(store, hash, &csrf, &error);
	g_assert_no_error(error);
	g_assert_cmpint(id, ==, user->id);
	g_assert_cmpstr(csrf, ==, "csrf-1");

	/* only the hash finds it */
	g_assert_cmpint(ap_store_session_lookup(store, token, NULL, &error), ==, 0);
	g_assert_error(error, AP_ERROR, AP_ERROR_NOT_FOUND);
	g_clear_error(&error);
	g_assert_cmpint(ap_store_session_lookup(store, other, NULL, &error), ==, 0);
	g_assert_error(error, AP_ERROR, AP_ERROR_NOT_FOUND);
	g_clear_error(&error);

	/* expired at its end, and purged by the next log-in */
	ap_store_set_now(store, 1000 + 3600);
	g_assert_cmpint(ap_store_session_lookup(store, hash, NULL, &error), ==, 0);
	g_assert_error(error, AP_ERROR, AP_ERROR_NOT_FOUND);
	g_clear_error(&error);
	g_assert_true(
		ap_store_session_create(store, user->id, other, "csrf-2", 1000 + 7200, &error));
	g_assert_no_error(error);
	ap_store_set_now(store, 1000);
	g_assert_cmpint(ap_store_session_lookup(store, hash, NULL, NULL), ==, 0);

	/* log-out */
	g_assert_cmpint(ap_store_session_lookup(store, other, NULL, NULL), ==, user->id);
	g_assert_true(ap_store_session_delete(store, other, &error));
	g_assert_no_error(error);
	g_assert_cmpint(ap_store_session_lookup(store, other, NULL, NULL), ==, 0);
	ap_test_remove_dir(dir);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	g_assert_true(ap_secret_init(NULL));
	g_test_add_func("/sessions/life", test_sessions_life);
	return g_test_run();
}
