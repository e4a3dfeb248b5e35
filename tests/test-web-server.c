/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <libsoup/soup.h>
#include <string.h>

#include "ap-test-store.h"
#include "ap-web-server.h"

/*
 * The server in this process, for what a daemon's tests cannot reach:
 * the moment between a request being held (its slots computed off the
 * main loop, or its write on the writer's thread) and answered.
 */

/* Sunday 3 January 2027, noon UTC */
#define AP_TEST_NOW   1798977600
#define AP_TEST_SLOTS "/api/v1/slots?service=personal-styling&from=2027-01-04&to=2027-01-05&tz=UTC"
/* a slot of that day */
#define AP_TEST_BOOKING                                                                            \
	"{\"service\": \"personal-styling\", \"start\": \"2027-01-04T10:00:00Z\", "                \
	"\"customer\": {\"name\": \"Ada Held\", \"email\": \"ada@example.com\"}, "                 \
	"\"answers\": {\"occasion\": \"Work\"}}"

typedef enum {
	AP_TEST_DISPOSE,  /* the server goes at once */
	AP_TEST_SHUTDOWN, /* the server stops gracefully */
	AP_TEST_KEEP,	  /* the server stays */
} ApTestStop;

typedef struct {
	ApTestStoreFixture *f;
	ApConfig *config;
	ApEngine *engine;
	ApWebServer *server;
	ApTestStop stop;
	gboolean stopped;
	gboolean shutdown_done;
	gboolean client_done;
	gboolean answered_before_shutdown;
	guint status;
} Run;

static void
shutdown_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	Run *r = user_data;
	g_autoptr(GError) error = NULL;

	g_assert_true(ap_web_server_shutdown_finish(AP_WEB_SERVER(source), result, &error));
	g_assert_no_error(error);
	r->answered_before_shutdown = r->client_done;
	r->shutdown_done = TRUE;
}

/* once the handler has run: the request is held now */
static gboolean
stop_cb(gpointer user_data)
{
	Run *r = user_data;

	r->stopped = TRUE;
	if (r->stop == AP_TEST_SHUTDOWN)
		ap_web_server_shutdown_async(r->server, 5, NULL, shutdown_cb, r);
	else
		g_clear_object(&r->server);
	return G_SOURCE_REMOVE;
}

static void
request_read_cb(SoupServer *server, SoupServerMessage *msg, gpointer user_data)
{
	Run *r = user_data;

	if (!r->stopped && r->stop != AP_TEST_KEEP)
		g_idle_add_full(G_PRIORITY_HIGH, stop_cb, r, NULL);
}

static void
sent_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	Run *r = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) body =
		soup_session_send_and_read_finish(SOUP_SESSION(source), result, &error);
	SoupMessage *msg = soup_session_get_async_result_message(SOUP_SESSION(source), result);

	r->status = error == NULL ? soup_message_get_status(msg) : 0;
	r->client_done = TRUE;
}

static guint
run(ApTestStoreFixture *f, ApTestStop stop, const gchar *method, const gchar *path)
{
	Run r = {.f = f, .stop = stop};
	g_autoptr(GError) error = NULL;
	g_autoptr(SoupSession) session = soup_session_new_with_options("timeout", 10, NULL);
	g_autoptr(SoupMessage) msg = NULL;
	g_autofree gchar *uri = NULL;
	GSList *uris;

	r.config = ap_config_new_default();
	g_free(r.config->database_path);
	r.config->database_path = g_strdup(f->path);
	r.engine = ap_engine_new(r.config, f->store, &error);
	g_assert_no_error(error);
	ap_engine_set_now(r.engine, AP_TEST_NOW);
	r.server = ap_web_server_new(r.engine);
	g_assert_true(ap_web_server_listen(r.server, "127.0.0.1", 0, &error));
	g_assert_no_error(error);
	uris = ap_web_server_get_uris(r.server);
	uri = g_strdup_printf("http://127.0.0.1:%d%s", g_uri_get_port(uris->data), path);
	g_slist_free_full(uris, (GDestroyNotify)g_uri_unref);
	g_signal_connect(ap_web_server_get_soup_server(r.server),
			 "request-read",
			 G_CALLBACK(request_read_cb),
			 &r);
	msg = soup_message_new(method, uri);
	if (g_strcmp0(method, "POST") == 0) {
		g_autoptr(GBytes) body =
			g_bytes_new_static(AP_TEST_BOOKING, strlen(AP_TEST_BOOKING));
		soup_message_set_request_body_from_bytes(msg, "application/json", body);
	}
	soup_session_send_and_read_async(session, msg, G_PRIORITY_DEFAULT, NULL, sent_cb, &r);
	while (!r.client_done || (stop == AP_TEST_SHUTDOWN && !r.shutdown_done))
		g_main_context_iteration(NULL, TRUE);
	g_assert_true(r.stopped || stop == AP_TEST_KEEP);
	if (stop == AP_TEST_SHUTDOWN) {
		/* a held request counts as in flight: answered, then stopped */
		g_assert_true(r.answered_before_shutdown);
	}
	g_test_message("%s %s: %u", method, path, r.status);
	g_clear_object(&r.server);
	g_clear_object(&r.engine);
	ap_config_free(r.config);
	return r.status;
}

/* a graceful stop waits for the slots being computed, and sends them */
static void
test_server_shutdown_held_slots(ApTestStoreFixture *f, gconstpointer user_data)
{
	g_assert_cmpuint(run(f, AP_TEST_SHUTDOWN, "GET", AP_TEST_SLOTS), ==, 200);
}

/* the server gone while slots are computed: the request is answered
 * (or its connection closed) without a critical from libsoup, which the
 * tests make fatal */
static void
test_server_dispose_held_slots(ApTestStoreFixture *f, gconstpointer user_data)
{
	guint status = run(f, AP_TEST_DISPOSE, "GET", AP_TEST_SLOTS);

	g_assert_true(status == 0 || status == 200 || status == 503);
}

static guint
count_bookings(ApStore *store)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) stored = NULL;
	ApBookingQuery query = {.from = G_MININT64, .to = G_MAXINT64, .limit = 10};

	stored = ap_store_bookings_search(store, &query, &error);
	g_assert_no_error(error);
	return stored->len;
}

/* a graceful stop waits for a booking on the writer's thread, and
 * answers it once stored */
static void
test_server_shutdown_held_write(ApTestStoreFixture *f, gconstpointer user_data)
{
	g_assert_cmpuint(run(f, AP_TEST_SHUTDOWN, "POST", "/api/v1/bookings"), ==, 201);
	g_assert_cmpuint(count_bookings(f->store), ==, 1);
}

/* the server gone while a booking waits for the writer: a write begun
 * is finished, one not begun is not made; whatever can still be
 * answered says which */
static void
test_server_dispose_held_write(ApTestStoreFixture *f, gconstpointer user_data)
{
	guint status = run(f, AP_TEST_DISPOSE, "POST", "/api/v1/bookings");
	guint stored = count_bookings(f->store);

	g_assert_true(status == 0 || status == 201 || status == 503);
	if (status == 201)
		g_assert_cmpuint(stored, ==, 1);
	else if (status == 503)
		g_assert_cmpuint(stored, ==, 0);
	else
		g_assert_cmpuint(stored, <=, 1);
}

/* a database that stays locked for longer than SQLite's busy timeout
 * (another process's long write): the booking is answered 503, try
 * again, and nothing is stored; once free, it books */
static void
test_server_write_locked(ApTestStoreFixture *f, gconstpointer user_data)
{
	g_autoptr(sqlite3) other = ap_test_db_open(f->path);

	g_assert_cmpint(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);
	/* the writer warns that the batch could not be stored: expected here
	 * (structured logging, so g_test_expect_message() cannot say so) */
	g_log_set_always_fatal(G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
	g_assert_cmpuint(run(f, AP_TEST_KEEP, "POST", "/api/v1/bookings"), ==, 503);
	g_log_set_always_fatal(G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
	g_assert_cmpint(sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);
	g_assert_cmpuint(count_bookings(f->store), ==, 0);
	g_assert_cmpuint(run(f, AP_TEST_KEEP, "POST", "/api/v1/bookings"), ==, 201);
	g_assert_cmpuint(count_bookings(f->store), ==, 1);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	ap_test_store_add("/web-server/shutdown-held-slots", test_server_shutdown_held_slots);
	ap_test_store_add("/web-server/dispose-held-slots", test_server_dispose_held_slots);
	ap_test_store_add("/web-server/shutdown-held-write", test_server_shutdown_held_write);
	ap_test_store_add("/web-server/dispose-held-write", test_server_dispose_held_write);
	ap_test_store_add("/web-server/write-locked", test_server_write_locked);
	return g_test_run();
}
