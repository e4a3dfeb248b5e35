/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApWeb"

#include "ap-web-server.h"

#include "config.h"

/*
 * The HTTP edge: a SoupServer, the routes, and a graceful stop that lets
 * requests in flight finish. Handlers translate between HTTP and the
 * engine; they decide nothing themselves.
 */

struct _ApWebServer {
	GObject parent_instance;
	ApEngine *engine;
	SoupServer *server;
	guint in_flight;
	GTask *shutdown_task;
	guint shutdown_timeout_id;
};

G_DEFINE_TYPE(ApWebServer, ap_web_server, G_TYPE_OBJECT)

/**
 * ap_web_problem:
 * @msg: the message to answer
 * @status: a 4xx or 5xx status
 * @detail: (nullable): what went wrong, for a person
 *
 * Answers with an RFC 9457 `application/problem+json` document.
 */
void
ap_web_problem(SoupServerMessage *msg, guint status, const gchar *detail)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonNode) root = NULL;
	g_autofree gchar *body = NULL;
	const gchar *title = soup_status_get_phrase(status);
	gsize len;

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "type");
	json_builder_add_string_value(b, "about:blank");
	json_builder_set_member_name(b, "title");
	json_builder_add_string_value(b, title != NULL ? title : "Error");
	json_builder_set_member_name(b, "status");
	json_builder_add_int_value(b, status);
	json_builder_set_member_name(b, "detail");
	json_builder_add_string_value(b, detail != NULL ? detail : title);
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	body = json_to_string(root, FALSE);
	len = strlen(body);
	soup_server_message_set_status(msg, status, NULL);
	soup_server_message_set_response(msg,
					 "application/problem+json",
					 SOUP_MEMORY_TAKE,
					 g_steal_pointer(&body),
					 len);
}

static void
ap_web_server_healthz_cb(SoupServer *server,
			 SoupServerMessage *msg,
			 const char *path,
			 GHashTable *query,
			 gpointer user_data)
{
	static const gchar body[] = "{\"status\":\"ok\"}";
	const gchar *method = soup_server_message_get_method(msg);

	if (g_strcmp0(path, "/healthz") != 0) {
		ap_web_problem(msg, SOUP_STATUS_NOT_FOUND, "no such resource");
		return;
	}
	if (method != SOUP_METHOD_GET && method != SOUP_METHOD_HEAD) {
		soup_message_headers_replace(soup_server_message_get_response_headers(msg),
					     "Allow",
					     "GET, HEAD");
		ap_web_problem(msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "use GET");
		return;
	}
	soup_message_headers_replace(soup_server_message_get_response_headers(msg),
				     "Cache-Control",
				     "no-store");
	soup_server_message_set_status(msg, SOUP_STATUS_OK, NULL);
	soup_server_message_set_response(msg,
					 "application/json",
					 SOUP_MEMORY_STATIC,
					 body,
					 sizeof(body) - 1);
}

static void
ap_web_server_default_cb(SoupServer *server,
			 SoupServerMessage *msg,
			 const char *path,
			 GHashTable *query,
			 gpointer user_data)
{
	ap_web_problem(msg, SOUP_STATUS_NOT_FOUND, "no such resource");
}

static void
ap_web_server_maybe_finish_shutdown(ApWebServer *self)
{
	g_autoptr(GTask) task = NULL;

	if (self->shutdown_task == NULL || self->in_flight > 0)
		return;
	g_clear_handle_id(&self->shutdown_timeout_id, g_source_remove);
	task = g_steal_pointer(&self->shutdown_task);
	g_task_return_boolean(task, TRUE);
}

static void
ap_web_server_request_started_cb(SoupServer *server, SoupServerMessage *msg, gpointer user_data)
{
	ApWebServer *self = AP_WEB_SERVER(user_data);
	self->in_flight++;
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

	if (self->shutdown_task == NULL)
		return;
	soup_message_headers_replace(soup_server_message_get_response_headers(msg),
				     "Connection",
				     "close");
	soup_message_headers_replace(soup_server_message_get_response_headers(msg),
				     "Retry-After",
				     "5");
	ap_web_problem(msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "the service is restarting");
}

static void
ap_web_server_request_done_cb(SoupServer *server, SoupServerMessage *msg, gpointer user_data)
{
	ApWebServer *self = AP_WEB_SERVER(user_data);
	if (self->in_flight > 0)
		self->in_flight--;
	ap_web_server_maybe_finish_shutdown(self);
}

static void
ap_web_server_dispose(GObject *object)
{
	ApWebServer *self = AP_WEB_SERVER(object);

	g_clear_handle_id(&self->shutdown_timeout_id, g_source_remove);
	if (self->server != NULL) {
		g_signal_handlers_disconnect_by_data(self->server, self);
		soup_server_disconnect(self->server);
	}
	g_clear_object(&self->server);
	g_clear_object(&self->engine);
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
	soup_server_add_early_handler(self->server, NULL, ap_web_server_early_cb, self, NULL);
	soup_server_add_handler(self->server, "/healthz", ap_web_server_healthz_cb, self, NULL);
	soup_server_add_handler(self->server, NULL, ap_web_server_default_cb, self, NULL);
	g_signal_connect(self->server,
			 "request-started",
			 G_CALLBACK(ap_web_server_request_started_cb),
			 self);
	g_signal_connect(self->server,
			 "request-finished",
			 G_CALLBACK(ap_web_server_request_done_cb),
			 self);
	g_signal_connect(self->server,
			 "request-aborted",
			 G_CALLBACK(ap_web_server_request_done_cb),
			 self);
	return self;
}

/**
 * ap_web_server_listen:
 * @host: an IP address or `localhost`
 * @port: a port; 0 picks a free one (see ap_web_server_get_uris())
 * @error: a #GError, or %NULL
 *
 * Returns: %TRUE if listening
 */
gboolean
ap_web_server_listen(ApWebServer *self, const gchar *host, guint16 port, GError **error)
{
	g_autoptr(GInetAddress) address = g_inet_address_new_from_string(host);
	g_autoptr(GSocketAddress) socket_address = NULL;

	if (address == NULL && g_strcmp0(host, "localhost") == 0)
		return soup_server_listen_local(self->server, port, 0, error);
	if (address == NULL) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_INVALID_ARGUMENT,
			    "'%s' is not an IP address to listen on",
			    host);
		return FALSE;
	}
	socket_address = g_inet_socket_address_new(address, port);
	return soup_server_listen(self->server, socket_address, 0, error);
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
