/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gstdio.h>
#include <string.h>

#include "ap-sqlite-store.h"
#include "ap-test-http.h"
#include "ap-test-util.h"

/*
 * Two things operators rely on: appointd serving HTTPS itself when a
 * certificate and key are configured, and `appointctl backup` taking a
 * consistent copy while bookings keep arriving, which restores whole.
 */

/* the fixture's daemon again, with @keys at the top of its [server] */
static void
restart_with_server_keys(ApApiFixture *fx, const gchar *keys)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *text = NULL;
	g_autofree gchar *group = g_strconcat("[server]\n", keys, NULL);
	g_autoptr(GString) s = NULL;

	g_assert_cmpint(ap_test_daemon_stop(fx->d), ==, 0);
	g_assert_true(g_file_get_contents(fx->d->config, &text, NULL, &error));
	s = g_string_new(text);
	g_string_replace(s, "[server]\n", group, 1);
	g_assert_true(g_file_set_contents(fx->d->config, s->str, -1, &error));
	g_clear_pointer(&fx->d->url, g_free);
}

static gboolean
accept_ours_cb(SoupMessage *msg, GTlsCertificate *peer, GTlsCertificateFlags errors, gpointer data)
{
	/* self-signed, so unknown to the system: trusted because it is the
	 * very certificate the test made */
	return g_tls_certificate_is_same(peer, G_TLS_CERTIFICATE(data));
}

static void
test_tls(ApApiFixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *cert = g_build_filename(fx->d->dir, "cert.pem", NULL);
	g_autofree gchar *key = g_build_filename(fx->d->dir, "key.pem", NULL);
	g_autofree gchar *keys = NULL;
	g_autofree gchar *url = NULL;
	g_autofree gchar *plain = NULL;
	g_autoptr(GTlsCertificate) ours = NULL;
	g_autoptr(SoupSession) session = soup_session_new();
	g_autoptr(SoupSession) checking = soup_session_new();
	g_autoptr(SoupMessage) msg = NULL;
	g_autoptr(SoupMessage) insecure = NULL;
	g_autoptr(GBytes) body = NULL;
	g_autoptr(GBytes) refused = NULL;
	g_autoptr(GError) plain_error = NULL;
	g_autoptr(GError) trust_error = NULL;
	const gchar *argv[] = {"openssl",
			       "req",
			       "-x509",
			       "-newkey",
			       "rsa:2048",
			       "-nodes",
			       "-days",
			       "2",
			       "-subj",
			       "/CN=127.0.0.1",
			       "-addext",
			       "subjectAltName=IP:127.0.0.1",
			       "-keyout",
			       key,
			       "-out",
			       cert,
			       NULL};
	g_autoptr(ApTestRun) made = ap_test_run(NULL, argv);

	g_assert_cmpint(made->status, ==, 0);
	ours = g_tls_certificate_new_from_file(cert, &error);
	g_assert_no_error(error);
	keys = g_strdup_printf("tls-certificate = %s\ntls-key = %s\n", cert, key);
	restart_with_server_keys(fx, keys);
	ap_test_daemon_start(fx->d);
	g_assert_true(g_str_has_prefix(fx->d->url, "https://127.0.0.1:"));

	url = g_strconcat(fx->d->url, "/healthz", NULL);
	msg = soup_message_new("GET", url);
	g_signal_connect(msg, "accept-certificate", G_CALLBACK(accept_ours_cb), ours);
	body = soup_session_send_and_read(session, msg, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(soup_message_get_status(msg), ==, 200);
	g_assert_nonnull(soup_message_get_tls_peer_certificate(msg));

	/* an unknown certificate is not accepted by a client that checks */
	insecure = soup_message_new("GET", url);
	refused = soup_session_send_and_read(checking, insecure, NULL, &trust_error);
	g_assert_null(refused);
	g_assert_error(trust_error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);

	/* plain HTTP on the HTTPS port gets no answer it could take for one */
	plain = g_strdup_printf("http://%s/healthz", fx->d->url + strlen("https://"));
	{
		g_autoptr(SoupMessage) clear = soup_message_new("GET", plain);
		g_autoptr(GBytes) nothing =
			soup_session_send_and_read(session, clear, NULL, &plain_error);
		g_assert_true(nothing == NULL || soup_message_get_status(clear) != 200);
	}
}

static void
test_tls_config(ApApiFixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *cert = g_build_filename(fx->d->dir, "cert.pem", NULL);
	const gchar *argv[] = {g_getenv("APPOINTD"), "--config", fx->d->config, NULL};
	g_autoptr(ApTestRun) run = NULL;
	g_autofree gchar *keys = g_strdup_printf("tls-certificate = %s\n", cert);

	/* a certificate without its key: refused at start, in one line */
	g_assert_true(g_file_set_contents(cert, "not a certificate", -1, &error));
	restart_with_server_keys(fx, keys);
	run = ap_test_run(NULL, argv);
	g_assert_cmpint(run->status, !=, 0);
	g_assert_nonnull(strstr(run->err, "tls-certificate and tls-key go together"));
}

/* keeps booking over HTTP until told to stop; counts what was acknowledged */
typedef struct {
	ApApiFixture *fx;
	gint stop;
	GPtrArray *references;
	GMutex lock;
} Booker;

static gpointer
booker_thread(gpointer data)
{
	Booker *b = data;

	for (gint i = 0; !g_atomic_int_get(&b->stop) && i < 200; i++) {
		g_autofree gchar *start =
			ap_api_at(b->fx, 8 + i / 28, 9 + (i % 28) / 4, (i % 4) * 15);
		g_autoptr(ApTestResponse) r = ap_api_book(b->fx,
							  b->fx->expert_b,
							  start,
							  "Backup Customer",
							  "backup@example.org",
							  NULL);

		if (r->status == 201) {
			g_mutex_lock(&b->lock);
			g_ptr_array_add(b->references, g_strdup(ap_test_json_str(r, "reference")));
			g_mutex_unlock(&b->lock);
		}
	}
	return NULL;
}

static void
test_backup_while_running(ApApiFixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *copy = g_build_filename(fx->d->dir, "backup.db", NULL);
	const gchar *argv[] = {
		g_getenv("APPOINTCTL"), "--config", fx->d->config, "backup", copy, NULL};
	g_autoptr(ApTestRun) backup = NULL;
	g_autoptr(ApStore) restored = NULL;
	g_autoptr(GPtrArray) before = NULL;
	g_autoptr(GThread) thread = NULL;
	g_autoptr(sqlite3) db = NULL;
	g_autofree gchar *integrity = NULL;
	Booker booker = {.fx = fx, .references = g_ptr_array_new_with_free_func(g_free)};
	guint acknowledged;

	g_mutex_init(&booker.lock);
	for (gint i = 0; i < 5; i++) {
		g_autoptr(ApTestResponse) r = ap_api_book_ok(fx, fx->expert_a, i % 5, 10 + i, 0);
		g_ptr_array_add(booker.references, g_strdup(ap_test_json_str(r, "reference")));
	}
	thread = g_thread_new("booker", booker_thread, &booker);
	/* the copy is taken while bookings arrive: whatever was
	 * acknowledged before it started must be in it */
	g_usleep(300 * 1000);
	g_mutex_lock(&booker.lock);
	before = g_ptr_array_copy(booker.references, (GCopyFunc)(void (*)(void))g_strdup, NULL);
	g_ptr_array_set_free_func(before, g_free);
	g_mutex_unlock(&booker.lock);
	backup = ap_test_run(NULL, argv);
	g_atomic_int_set(&booker.stop, 1);
	g_thread_join(g_steal_pointer(&thread));
	g_assert_cmpint(backup->status, ==, 0);
	g_assert_cmpuint(before->len, >, 5);

	/* restored: a database of its own that opens, checks whole, and
	 * holds every booking acknowledged before the copy began */
	db = ap_test_db_open(copy);
	integrity = ap_test_db_text(db, "PRAGMA integrity_check");
	g_assert_cmpstr(integrity, ==, "ok");
	restored = ap_sqlite_store_new(copy, &error);
	g_assert_no_error(error);
	for (guint i = 0; i < before->len; i++) {
		g_autoptr(ApBooking) found =
			ap_store_booking_get(restored, g_ptr_array_index(before, i), &error);
		g_assert_no_error(error);
		g_assert_nonnull(found);
	}
	acknowledged = booker.references->len;
	g_assert_cmpuint(acknowledged, >=, before->len);
	g_test_message("%u of %u acknowledged bookings were made before the backup began",
		       before->len,
		       acknowledged);
	g_ptr_array_unref(booker.references);
	g_mutex_clear(&booker.lock);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
#define AP_ADD(path, func)                                                                         \
	g_test_add(path, ApApiFixture, NULL, ap_api_fixture_set_up, func, ap_api_fixture_tear_down)
	AP_ADD("/api/tls/serve", test_tls);
	AP_ADD("/api/tls/config", test_tls_config);
	AP_ADD("/api/backup/while-running", test_backup_while_running);
#undef AP_ADD
	return g_test_run();
}
