/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApWeb"

#include "ap-web-server.h"

#include "config.h"

#include "ap-error.h"
#include "ap-rate-limit.h"
#include "ap-sqlite-store.h"
#include "ap-web-auth.h"
#include "ap-web-batch.h"
#include "ap-web-deadline.h"
#include "ap-web-exchange.h"
#include "ap-web-handlers.h"
#include "ap-web-linger.h"
#include "ap-web-request.h"
#include "ap-web-router.h"
#include "ap-web-writer.h"

#include <netinet/in.h>
#include <string.h>

/*
 * The HTTP edge: a SoupServer, the routes, and a graceful stop that lets
 * requests in flight finish. Handlers translate between HTTP and the
 * engine; they decide nothing themselves.
 */

struct _ApWebServer {
	GObject parent_instance;
	ApEngine *engine;
	SoupServer *server;
	ApWebRouter *router;
	ApWebMetrics *metrics;
	ApRateLimit *booking_limit;
	ApWebLinger *connections;
	ApWebDeadlines *deadlines;
	ApWebCache *slots_cache;
	ApWebSlotsWorker *slots_worker;
	ApWebBatch *batch;
	ApWebWriter *writer;
	guint in_flight;
	GTask *shutdown_task;
	guint shutdown_timeout_id;
	gboolean lingering;
	gboolean https;
};

/* once every answer is written, how long clients get to read it before
 * the connections close under them */
#define AP_WEB_LINGER_MS 2000

/* the distinct slot questions kept: a week per service and expert, in a
 * few zones, for the weeks customers look at */
#define AP_WEB_SLOTS_CACHE_ENTRIES 4096

G_DEFINE_TYPE(ApWebServer, ap_web_server, G_TYPE_OBJECT)

static void
ap_web_server_healthz(ApWebRequest *req)
{
	static const gchar body[] = "{\"status\":\"ok\"}";

	soup_message_headers_replace(
		soup_server_message_get_response_headers(req->msg), "Cache-Control", "no-store");
	soup_server_message_set_status(req->msg, SOUP_STATUS_OK, NULL);
	soup_server_message_set_response(
		req->msg, "application/json", SOUP_MEMORY_STATIC, body, sizeof(body) - 1);
}

static void
ap_web_server_metrics(ApWebRequest *req)
{
	ApStore *store = ap_engine_get_store(req->engine);
	ApOutboxStats outbox = {0};
	g_autoptr(GError) error = NULL;
	gboolean have_outbox =
		ap_store_outbox_stats(store, g_get_real_time() / G_USEC_PER_SEC, &outbox, &error);
	ApWebMetricsDb db = {0};
	g_autofree gchar *counters = NULL;
	g_autofree gchar *text = NULL;
	gsize len;

	if (AP_IS_SQLITE_STORE(store)) {
		db.checkpoints = ap_sqlite_store_get_checkpoints(AP_SQLITE_STORE(store));
		db.wal_bytes = ap_sqlite_store_get_wal_bytes(AP_SQLITE_STORE(store));
	}
	counters = ap_web_metrics_render(
		req->metrics, have_outbox ? &outbox : NULL, AP_IS_SQLITE_STORE(store) ? &db : NULL);
	text = g_strdup_printf(
		"%s"
		"# HELP appoint_slots_computed_total Answers to slot queries computed, not served "
		"from the cache.\n"
		"# TYPE appoint_slots_computed_total counter\n"
		"appoint_slots_computed_total %" G_GUINT64_FORMAT "\n",
		counters,
		ap_web_slots_worker_get_computed(req->slots_worker));
	len = strlen(text);
	soup_message_headers_replace(
		soup_server_message_get_response_headers(req->msg), "Cache-Control", "no-store");
	soup_server_message_set_status(req->msg, SOUP_STATUS_OK, NULL);
	soup_server_message_set_response(req->msg,
					 "text/plain; version=0.0.4; charset=utf-8",
					 SOUP_MEMORY_TAKE,
					 g_steal_pointer(&text),
					 len);
}

static const ApWebRoute ap_web_server_routes[] = {
	{"GET", "/healthz", ap_web_server_healthz},
	{"GET", "/metrics", ap_web_server_metrics},
};

static void
ap_web_server_dispatch_cb(SoupServer *server,
			  SoupServerMessage *msg,
			  const char *path,
			  GHashTable *query,
			  gpointer user_data)
{
	ApWebServer *self = AP_WEB_SERVER(user_data);
	ApWebExchange *exchange = ap_web_exchange_get(msg);
	const gchar *method = soup_server_message_get_method(msg);
	g_autoptr(GHashTable) params = NULL;
	g_autofree gchar *allow = NULL;
	const ApWebRoute *route;
	ApWebRequest req = {NULL};
	static const ApPrincipal anonymous = {AP_PRINCIPAL_ANONYMOUS, NULL, NULL};

	route = ap_web_router_match(self->router, method, path, &params, &allow);
	if (route == NULL) {
		if (allow != NULL) {
			soup_message_headers_replace(
				soup_server_message_get_response_headers(msg), "Allow", allow);
			ap_web_problem(
				msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method not allowed here");
		} else {
			ap_web_problem(msg, SOUP_STATUS_NOT_FOUND, "no such resource");
		}
		return;
	}
	exchange->route = route->pattern;
	req.engine = self->engine;
	req.msg = msg;
	req.route = route->pattern;
	req.params = params;
	req.query = query;
	req.metrics = self->metrics;
	req.slots_cache = self->slots_cache;
	req.slots_worker = self->slots_worker;
	req.writer = self->writer;
	req.principal = exchange->principal != NULL ? exchange->principal : &anonymous;
	if (route->batched) {
		ap_web_batch_add(self->batch, &req, route->handler);
		return;
	}
	/* what this request changes is recorded as coming from its client;
	 * GET and HEAD change nothing, and need not spell the address out */
	if (method != SOUP_METHOD_GET && method != SOUP_METHOD_HEAD)
		ap_store_audit_set_address(
			ap_web_client_address(msg, ap_engine_get_config(self->engine)));
	route->handler(&req);
	ap_store_audit_set_address(NULL);
	g_clear_pointer(&req.body, json_node_unref);
	/* answered later, by ap_web_request_release() */
	if (req.held)
		return;
	if (soup_server_message_get_status(msg) == 0) {
		g_critical("%s %s set no status", method, route->pattern);
		ap_web_problem(msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "no answer");
	}
}

static void
ap_web_server_lingered_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	g_autoptr(ApWebServer) self = AP_WEB_SERVER(user_data);
	g_autoptr(GTask) task = g_steal_pointer(&self->shutdown_task);

	ap_web_linger_close_finish(result, NULL);
	if (task == NULL)
		return;
	g_clear_handle_id(&self->shutdown_timeout_id, g_source_remove);
	g_task_return_boolean(task, TRUE);
}

/* every request in flight has its answer: let the clients read it, then
 * the stop is complete */
static void
ap_web_server_maybe_finish_shutdown(ApWebServer *self)
{
	if (self->shutdown_task == NULL || self->in_flight > 0 || self->lingering)
		return;
	self->lingering = TRUE;
	ap_web_linger_close_async(
		self->connections, AP_WEB_LINGER_MS, ap_web_server_lingered_cb, g_object_ref(self));
}

static void
ap_web_server_mark_started(SoupServerMessage *msg)
{
	ApWebExchange *exchange = ap_web_exchange_get(msg);

	if (exchange->started == 0)
		exchange->started = g_get_monotonic_time();
}

/* libsoup answers a request it refuses itself (%00 in the path, say) with
 * no body and without calling the early handler: give that answer the
 * same shape as every other error, and since the early handler's limit
 * on the body never applied, keep none of a body that may follow. This
 * must be a handler of the message's got-headers, after libsoup's own:
 * with "Expect: 100-continue" no later signal is emitted before the
 * answer is written. (What libsoup cannot read as a request at all, a
 * bad request line or HTTP version, it answers emitting nothing.) */
static void
ap_web_server_got_headers_cb(SoupServerMessage *msg, gpointer user_data)
{
	guint status = soup_server_message_get_status(msg);

	ap_web_server_mark_started(msg);
	/* only an answer libsoup made itself has no body: the early handler
	 * (which runs first) writes a problem of its own */
	if (status >= 400 && status < 500 &&
	    soup_server_message_get_response_body(msg)->length == 0) {
		soup_message_body_set_accumulate(soup_server_message_get_request_body(msg), FALSE);
		soup_message_headers_replace(
			soup_server_message_get_response_headers(msg), "Connection", "close");
		ap_web_problem(msg, status, "the request cannot be read as HTTP");
	}
}

static void
ap_web_server_request_read_cb(SoupServer *server, SoupServerMessage *msg, gpointer user_data)
{
	ApWebServer *self = AP_WEB_SERVER(user_data);

	ap_web_deadlines_stop(self->deadlines, G_OBJECT(msg));
}

/* a whole request, headers and body, must arrive within the deadline: the
 * socket's timeout only catches a client that goes silent, not one that
 * sends a byte now and then */
static void
ap_web_server_deadline_cb(GObject *request, gpointer user_data)
{
	GSocket *socket = soup_server_message_get_socket(SOUP_SERVER_MESSAGE(request));

	g_debug("a request took too long to arrive; closing its connection");
	if (socket != NULL)
		g_socket_shutdown(socket, TRUE, TRUE, NULL);
}

static void
ap_web_server_request_started_cb(SoupServer *server, SoupServerMessage *msg, gpointer user_data)
{
	ApWebServer *self = AP_WEB_SERVER(user_data);
	GSocket *socket = soup_server_message_get_socket(msg);

	g_signal_connect(msg, "got-headers", G_CALLBACK(ap_web_server_got_headers_cb), NULL);
	ap_web_deadlines_start(self->deadlines, G_OBJECT(msg));
	if (socket != NULL)
		ap_web_linger_track(self->connections, socket);
	/* a client that sends a request slowly, or holds a connection open
	 * without using it, loses it: SoupServer has no timeout of its own */
	if (socket != NULL)
		g_socket_set_timeout(socket,
				     ap_engine_get_config(self->engine)->io_timeout_seconds);
}

/* the methods metrics and logs name; any other a client sends counts as
 * "other", so that nobody can grow the metrics without bound */
static const gchar *
ap_web_server_method_label(const gchar *method)
{
	static const gchar *const known[] = {
		"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};

	for (guint i = 0; i < G_N_ELEMENTS(known); i++) {
		if (g_strcmp0(method, known[i]) == 0)
			return known[i];
	}
	return "other";
}

#define AP_WEB_STATUS_CLIENT_CLOSED 499

/* @value in decimal; @out has room for any guint64 */
static void
ap_web_server_uint_text(gchar out[21], guint64 value)
{
	gchar digits[20];
	guint n = 0;

	do {
		digits[n++] = (gchar)('0' + value % 10);
		value /= 10;
	} while (value > 0);
	for (guint i = 0; i < n; i++)
		out[i] = digits[n - 1 - i];
	out[n] = '\0';
}

/* @parts, each followed by @sep but the last, cut to fit @size */
static void
ap_web_server_join(gchar *out, gsize size, gchar sep, const gchar *const *parts, guint n_parts)
{
	gsize at = 0;

	for (guint i = 0; i < n_parts; i++) {
		for (const gchar *p = parts[i]; *p != '\0' && at + 1 < size; p++)
			out[at++] = *p;
		if (i + 1 < n_parts && at + 1 < size)
			out[at++] = sep;
	}
	out[at] = '\0';
}

/* method, route, status and duration: no path, query, token or body.
 * Written once per request, so the fields are put together here with
 * no allocation and no printf rather than through g_log_structured()'s
 * format. */
static void
ap_web_server_access_log(ApWebServer *self, SoupServerMessage *msg)
{
	ApWebExchange *exchange = ap_web_exchange_get(msg);
	const gchar *route = exchange->route;
	gint64 us = exchange->started != 0 ? MAX(g_get_monotonic_time() - exchange->started, 0) : 0;
	/* a connection lost before its answer was written is the client's
	 * doing, not a 5xx: libsoup may say 500 then, the log says 499, as
	 * nginx does ("client closed request"); see request_aborted_cb */
	guint status = exchange->aborted ? AP_WEB_STATUS_CLIENT_CLOSED
					 : soup_server_message_get_status(msg);
	const gchar *method = ap_web_server_method_label(soup_server_message_get_method(msg));
	gchar status_text[21];
	gchar whole_ms[21];
	gchar duration[32];
	gchar message[256];
	GLogField fields[] = {
		{"MESSAGE", message, -1},
		/* MESSAGE, as g_log_structured() would say it to journald */
		{"PRIORITY", "5", -1},
		{"GLIB_DOMAIN", G_LOG_DOMAIN, -1},
		{"HTTP_METHOD", method, -1},
		{"HTTP_ROUTE", NULL, -1},
		{"HTTP_STATUS", status_text, -1},
		{"HTTP_DURATION_MS", duration, -1},
	};
	gsize len;

	if (route == NULL)
		route = "(unrouted)";
	ap_web_server_uint_text(status_text, status);
	ap_web_metrics_observe(
		self->metrics, method, route, status_text, (gdouble)us / G_USEC_PER_SEC);
	if (!ap_engine_get_config(self->engine)->access_log)
		return;
	/* milliseconds to three places, as "%.3f" would write them */
	ap_web_server_uint_text(whole_ms, (guint64)(us / 1000));
	len = g_strlcpy(duration, whole_ms, sizeof(duration));
	duration[len] = '.';
	duration[len + 1] = (gchar)('0' + us / 100 % 10);
	duration[len + 2] = (gchar)('0' + us / 10 % 10);
	duration[len + 3] = (gchar)('0' + us % 10);
	duration[len + 4] = '\0';
	ap_web_server_join(message,
			   sizeof(message),
			   ' ',
			   (const gchar *const[]){method, route, status_text, duration, "ms"},
			   5);
	fields[4].value = route;
	/* at MESSAGE, which GLib's writers show by default (INFO they drop
	 * unless G_MESSAGES_DEBUG asks for it) */
	g_log_structured_array(G_LOG_LEVEL_MESSAGE, fields, G_N_ELEMENTS(fields));
}

/* booking is limited per client address: 429 with Retry-After beyond */
static gboolean
ap_web_server_check_rate(ApWebServer *self, SoupServerMessage *msg)
{
	const gchar *host;
	g_autofree gchar *retry = NULL;
	guint seconds = 1;

	if (soup_server_message_get_method(msg) != SOUP_METHOD_POST ||
	    g_strcmp0(g_uri_get_path(soup_server_message_get_uri(msg)), "/api/v1/bookings") != 0)
		return TRUE;
	host = ap_web_client_address(msg, ap_engine_get_config(self->engine));
	if (ap_rate_limit_take(self->booking_limit,
			       host != NULL ? host : "",
			       g_get_monotonic_time(),
			       &seconds))
		return TRUE;
	retry = g_strdup_printf("%u", MAX(seconds, 1));
	soup_message_headers_replace(
		soup_server_message_get_response_headers(msg), "Retry-After", retry);
	/* libsoup 3.2 has no name for 429 (RFC 6585) */
	ap_web_problem(msg, 429, "too many bookings from this address; retry later");
	return FALSE;
}

/* the request's headers, all together: browsers send a few KiB at most,
 * so anything near libsoup's own limit (which it answers by dropping the
 * connection) is refused with a clear 431 first */
#define AP_WEB_MAX_HEADER_BYTES (16 * 1024)

static void
ap_web_server_add_header_size(const char *name, const char *value, gpointer user_data)
{
	gsize *total = user_data;

	*total += strlen(name) + strlen(value) + 4;
}

static gboolean
ap_web_server_check_headers(SoupServerMessage *msg)
{
	gsize total = 0;

	soup_message_headers_foreach(soup_server_message_get_request_headers(msg),
				     ap_web_server_add_header_size,
				     &total);
	if (total <= AP_WEB_MAX_HEADER_BYTES)
		return TRUE;
	soup_message_headers_replace(
		soup_server_message_get_response_headers(msg), "Connection", "close");
	/* libsoup 3.2 has no name for 431 (RFC 6585) */
	ap_web_problem(msg, 431, "the request's headers are larger than 16 KiB");
	return FALSE;
}

/* runs before any handler reads the body: a stopping server takes no new
 * work, and says so */
static void
ap_web_server_early_cb(SoupServer *server,
		       SoupServerMessage *msg,
		       const char *path,
		       GHashTable *query,
		       gpointer user_data)
{
	ApWebServer *self = AP_WEB_SERVER(user_data);
	ApWebExchange *exchange = ap_web_exchange_get(msg);
	SoupMessageHeaders *headers = soup_server_message_get_request_headers(msg);
	goffset length = soup_message_headers_get_content_length(headers);
	SoupEncoding encoding = soup_message_headers_get_encoding(headers);
	g_autoptr(GError) error = NULL;
	ApPrincipal *principal;

	/* the duration logged runs from here: on a kept-alive connection the
	 * message starts long before the client sends anything */
	ap_web_server_mark_started(msg);
	self->in_flight++;
	exchange->in_flight = TRUE;
	if (self->shutdown_task != NULL) {
		soup_message_headers_replace(
			soup_server_message_get_response_headers(msg), "Connection", "close");
		soup_message_headers_replace(
			soup_server_message_get_response_headers(msg), "Retry-After", "5");
		ap_web_problem(msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "the service is restarting");
		return;
	}
	if (!ap_web_server_check_headers(msg))
		return;
	/* refuse what is too large before reading it; a body of unknown
	 * length could be any size */
	if (encoding == SOUP_ENCODING_CHUNKED || encoding == SOUP_ENCODING_EOF) {
		ap_web_problem(msg, SOUP_STATUS_LENGTH_REQUIRED, "send a Content-Length");
		return;
	}
	if (encoding == SOUP_ENCODING_CONTENT_LENGTH && length > AP_WEB_MAX_BODY_BYTES) {
		soup_message_headers_replace(
			soup_server_message_get_response_headers(msg), "Connection", "close");
		ap_web_problem(msg,
			       SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
			       "the body is larger than 64 KiB");
		return;
	}
	if (!ap_web_server_check_rate(self, msg))
		return;
	principal = ap_web_auth_from_headers(self->engine, msg, &error);
	if (error != NULL) {
		ap_web_problem(msg,
			       g_error_matches(error, AP_ERROR, AP_ERROR_FORBIDDEN)
				       ? SOUP_STATUS_FORBIDDEN
				       : SOUP_STATUS_UNAUTHORIZED,
			       error->message);
		return;
	}
	exchange->principal = principal;
}

static void
ap_web_server_request_done_cb(SoupServer *server, SoupServerMessage *msg, gpointer user_data)
{
	ApWebServer *self = AP_WEB_SERVER(user_data);
	ApWebExchange *exchange = ap_web_exchange_get(msg);

	ap_web_deadlines_stop(self->deadlines, G_OBJECT(msg));
	ap_web_server_access_log(self, msg);
	if (exchange->in_flight) {
		exchange->in_flight = FALSE;
		self->in_flight--;
	}
	ap_web_server_maybe_finish_shutdown(self);
}

/* libsoup 3 reports two things as aborted: a connection lost before the
 * answer was written, and any answer of 500 (its old "I/O error"
 * status). The second is ours when a problem of ours said so, and is
 * counted as the 5xx it is; the first is the client's */
static void
ap_web_server_request_aborted_cb(SoupServer *server, SoupServerMessage *msg, gpointer user_data)
{
	if (g_object_get_data(G_OBJECT(msg), AP_WEB_SERVER_ERROR_KEY) == NULL)
		ap_web_exchange_get(msg)->aborted = TRUE;
	ap_web_server_request_done_cb(server, msg, user_data);
}

static void
ap_web_server_dispose(GObject *object)
{
	ApWebServer *self = AP_WEB_SERVER(object);

	g_clear_handle_id(&self->shutdown_timeout_id, g_source_remove);
	/* what is still held is answered while its connection is there to
	 * answer on; the slots into the cache, before it goes */
	g_clear_pointer(&self->slots_worker, ap_web_slots_worker_free);
	g_clear_pointer(&self->batch, ap_web_batch_free);
	g_clear_pointer(&self->writer, ap_web_writer_free);
	if (self->server != NULL) {
		g_signal_handlers_disconnect_by_data(self->server, self);
		soup_server_disconnect(self->server);
	}
	g_clear_object(&self->server);
	g_clear_object(&self->engine);
	g_clear_pointer(&self->router, ap_web_router_free);
	g_clear_pointer(&self->metrics, ap_web_metrics_free);
	g_clear_pointer(&self->booking_limit, ap_rate_limit_free);
	g_clear_pointer(&self->connections, ap_web_linger_free);
	g_clear_pointer(&self->deadlines, ap_web_deadlines_free);
	g_clear_pointer(&self->slots_cache, ap_web_cache_free);
	G_OBJECT_CLASS(ap_web_server_parent_class)->dispose(object);
}

static void
ap_web_server_class_init(ApWebServerClass *klass)
{
	G_OBJECT_CLASS(klass)->dispose = ap_web_server_dispose;
}

static void
ap_web_server_init(ApWebServer *self)
{
}

/**
 * ap_web_server_new:
 * @engine: the engine requests are served from
 *
 * Returns: (transfer full): a server with its routes, not yet listening
 */
ApWebServer *
ap_web_server_new(ApEngine *engine)
{
	ApWebServer *self = g_object_new(AP_TYPE_WEB_SERVER, NULL);

	self->engine = g_object_ref(engine);
	self->server = soup_server_new("server-header", PACKAGE_NAME "/" PACKAGE_VERSION " ", NULL);
	self->router = ap_web_router_new();
	self->metrics = ap_web_metrics_new();
	self->connections = ap_web_linger_new();
	self->deadlines =
		ap_web_deadlines_new(ap_engine_get_config(engine)->request_timeout_seconds,
				     ap_web_server_deadline_cb,
				     self);
	self->slots_cache = ap_web_cache_new(AP_WEB_SLOTS_CACHE_ENTRIES);
	self->slots_worker = ap_web_slots_worker_new(engine, self->slots_cache);
	self->batch = ap_web_batch_new(ap_engine_get_store(engine));
	self->writer = ap_web_writer_new(engine);
	self->booking_limit = ap_rate_limit_new(ap_engine_get_config(engine)->bookings_per_minute,
						ap_engine_get_config(engine)->bookings_per_minute);
	ap_web_router_add(self->router, ap_web_server_routes, G_N_ELEMENTS(ap_web_server_routes));
	ap_web_auth_register(self->router);
	ap_web_services_register(self->router);
	ap_web_experts_register(self->router);
	ap_web_slots_register(self->router);
	ap_web_bookings_register(self->router);
	ap_web_feedback_register(self->router);
	ap_web_outbox_register(self->router);
	ap_web_pages_register(self->router);
	ap_web_manage_register(self->router);
	ap_web_timeline_register(self->router);
	ap_web_calendar_register(self->router);
	ap_web_users_register(self->router);
	soup_server_add_early_handler(self->server, NULL, ap_web_server_early_cb, self, NULL);
	soup_server_add_handler(self->server, NULL, ap_web_server_dispatch_cb, self, NULL);
	g_signal_connect(self->server,
			 "request-started",
			 G_CALLBACK(ap_web_server_request_started_cb),
			 self);
	g_signal_connect(
		self->server, "request-read", G_CALLBACK(ap_web_server_request_read_cb), self);
	g_signal_connect(
		self->server, "request-finished", G_CALLBACK(ap_web_server_request_done_cb), self);
	g_signal_connect(self->server,
			 "request-aborted",
			 G_CALLBACK(ap_web_server_request_aborted_cb),
			 self);
	return self;
}

/* the kernel's queue of connections not yet accepted: GSocket's default
 * of 10 resets a burst of customers arriving at once (the kernel caps it
 * at net.core.somaxconn) */
#define AP_WEB_LISTEN_BACKLOG 4096

static gboolean
ap_web_server_listen_address(
	ApWebServer *self, GInetAddress *address, guint16 port, guint16 *bound_port, GError **error)
{
	g_autoptr(GSocketAddress) socket_address = g_inet_socket_address_new(address, port);
	g_autoptr(GSocketAddress) local = NULL;
	g_autoptr(GSocket) socket = g_socket_new(g_inet_address_get_family(address),
						 G_SOCKET_TYPE_STREAM,
						 G_SOCKET_PROTOCOL_TCP,
						 error);

	if (socket == NULL)
		return FALSE;
	if (g_inet_address_get_family(address) == G_SOCKET_FAMILY_IPV6 &&
	    !g_socket_set_option(socket, IPPROTO_IPV6, IPV6_V6ONLY, TRUE, error))
		return FALSE;
	g_socket_set_listen_backlog(socket, AP_WEB_LISTEN_BACKLOG);
	if (!g_socket_bind(socket, socket_address, TRUE, error) || !g_socket_listen(socket, error))
		return FALSE;
	local = g_socket_get_local_address(socket, error);
	if (local == NULL)
		return FALSE;
	*bound_port = g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(local));
	return soup_server_listen_socket(
		self->server, socket, self->https ? SOUP_SERVER_LISTEN_HTTPS : 0, error);
}

/**
 * ap_web_server_set_tls_files:
 * @certificate: a PEM certificate, or a chain with the server's first
 * @key: its PEM private key
 * @error: a #GError, or %NULL
 *
 * Serves HTTPS (GnuTLS, through GIO's TLS backend) on what is listened
 * on from now on. Call before ap_web_server_listen().
 *
 * Returns: %TRUE if the pair could be read
 */
gboolean
ap_web_server_set_tls_files(ApWebServer *self,
			    const gchar *certificate,
			    const gchar *key,
			    GError **error)
{
	g_autoptr(GTlsCertificate) cert = g_tls_certificate_new_from_files(certificate, key, error);

	if (cert == NULL) {
		g_prefix_error(error, "%s, %s: ", certificate, key);
		return FALSE;
	}
	soup_server_set_tls_certificate(self->server, cert);
	self->https = TRUE;
	return TRUE;
}

/**
 * ap_web_server_listen:
 * @host: an IP address or `localhost` (then both 127.0.0.1 and ::1)
 * @port: a port; 0 picks a free one (see ap_web_server_get_uris())
 * @error: a #GError, or %NULL
 *
 * Returns: %TRUE if listening
 */
gboolean
ap_web_server_listen(ApWebServer *self, const gchar *host, guint16 port, GError **error)
{
	g_autoptr(GInetAddress) address = g_inet_address_new_from_string(host);
	guint16 bound = 0;

	if (address == NULL && g_strcmp0(host, "localhost") == 0) {
		g_autoptr(GInetAddress) v4 = g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV4);
		g_autoptr(GInetAddress) v6 = g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV6);
		g_autoptr(GError) v6_error = NULL;

		if (!ap_web_server_listen_address(self, v4, port, &bound, error))
			return FALSE;
		/* a machine without IPv6 still serves on 127.0.0.1 */
		if (!ap_web_server_listen_address(self, v6, bound, &bound, &v6_error))
			g_debug("not listening on [::1]:%u: %s", bound, v6_error->message);
		return TRUE;
	}
	if (address == NULL) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_INVALID_ARGUMENT,
			    "'%s' is not an IP address to listen on",
			    host);
		return FALSE;
	}
	return ap_web_server_listen_address(self, address, port, &bound, error);
}

/**
 * ap_web_server_get_uris:
 *
 * Returns: (transfer full) (element-type GUri): where the server listens
 */
GSList *
ap_web_server_get_uris(ApWebServer *self)
{
	return soup_server_get_uris(self->server);
}

/**
 * ap_web_server_list_routes:
 *
 * Returns: (transfer container) (element-type ApWebRoute): every route
 * served, for documentation checks
 */
GPtrArray *
ap_web_server_list_routes(ApWebServer *self)
{
	return ap_web_router_list(self->router);
}

SoupServer *
ap_web_server_get_soup_server(ApWebServer *self)
{
	return self->server;
}

static gboolean
ap_web_server_shutdown_timeout_cb(gpointer user_data)
{
	ApWebServer *self = AP_WEB_SERVER(user_data);
	g_autoptr(GTask) task = g_steal_pointer(&self->shutdown_task);

	self->shutdown_timeout_id = 0;
	g_warning("stopping with %u request(s) still in flight", self->in_flight);
	g_task_return_boolean(task, TRUE);
	return G_SOURCE_REMOVE;
}

/**
 * ap_web_server_shutdown_async:
 * @timeout_seconds: how long requests in flight may take to finish
 *
 * Stops accepting connections and completes once every request in flight
 * has been answered, or the timeout has passed.
 */
void
ap_web_server_shutdown_async(ApWebServer *self,
			     guint timeout_seconds,
			     GCancellable *cancellable,
			     GAsyncReadyCallback callback,
			     gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(self, cancellable, callback, user_data);

	if (self->shutdown_task != NULL) {
		g_task_return_new_error(task, G_IO_ERROR, G_IO_ERROR_PENDING, "already stopping");
		return;
	}
	/* SoupServer cannot stop accepting without dropping the connections
	 * in flight, so new requests are turned away with 503 instead */
	self->shutdown_task = g_steal_pointer(&task);
	self->shutdown_timeout_id =
		g_timeout_add_seconds(timeout_seconds, ap_web_server_shutdown_timeout_cb, self);
	ap_web_server_maybe_finish_shutdown(self);
}

gboolean
ap_web_server_shutdown_finish(ApWebServer *self, GAsyncResult *result, GError **error)
{
	return g_task_propagate_boolean(G_TASK(result), error);
}
