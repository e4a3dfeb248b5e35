/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * The floor for bench-http.sh: a libsoup-3 server that does nothing but
 * answer every GET with the same small JSON body. It runs the way appointd
 * does (one SoupServer on the default main context, one thread), so the
 * ratio of appointd's requests per second to this one's is what appointd's
 * own work costs, whatever the machine.
 *
 *   bare-server PORT [BYTES]   listens on 127.0.0.1:PORT; SIGTERM or SIGINT
 *                              stops. With BYTES, the constant is a JSON
 *                              document of that size, so that the cost of
 *                              writing an answer as large as appointd's is
 *                              in the ceiling too.
 */

#define G_LOG_DOMAIN "bare-server"

#include <glib-unix.h>
#include <libsoup/soup.h>
#include <stdlib.h>
#include <string.h>

#define BARE_BODY "{\"status\":\"ok\"}"

static void
bare_handler_cb(SoupServer *server,
		SoupServerMessage *msg,
		const char *path,
		GHashTable *query,
		gpointer user_data)
{
	/* soup interns method names, so pointer equality is how it compares them */
	if (soup_server_message_get_method(msg) != SOUP_METHOD_GET) {
		soup_message_headers_replace(
			soup_server_message_get_response_headers(msg), "Allow", "GET");
		soup_server_message_set_status(msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
		return;
	}
	soup_message_headers_set_content_type(
		soup_server_message_get_response_headers(msg), "application/json", NULL);
	soup_message_body_append_bytes(soup_server_message_get_response_body(msg), user_data);
	soup_server_message_set_status(msg, SOUP_STATUS_OK, NULL);
}

static gboolean
bare_signal_cb(gpointer user_data)
{
	g_main_loop_quit(user_data);
	/* main() removes both sources once the loop has stopped */
	return G_SOURCE_CONTINUE;
}

int
main(int argc, char *argv[])
{
	g_autoptr(SoupServer) server = NULL;
	g_autoptr(GMainLoop) loop = NULL;
	g_autoptr(GInetAddress) address = NULL;
	g_autoptr(GSocketAddress) socket_address = NULL;
	g_autoptr(GError) error = NULL;
	guint64 port = 0;
	guint64 size = 0;
	g_autoptr(GBytes) body = NULL;
	guint sigterm_id, sigint_id;

	if (argc < 2 || argc > 3 ||
	    !g_ascii_string_to_unsigned(argv[1], 10, 1, G_MAXUINT16, &port, NULL) ||
	    (argc == 3 && !g_ascii_string_to_unsigned(argv[2], 10, 16, 64 << 20, &size, NULL))) {
		g_printerr("usage: %s PORT [BYTES]\n", argv[0]);
		return EXIT_FAILURE;
	}
	if (size == 0) {
		body = g_bytes_new_static(BARE_BODY, sizeof(BARE_BODY) - 1);
	} else {
		/* {"pad":"xxx...x"} */
		gchar *text = g_malloc(size);
		memset(text, 'x', size);
		memcpy(text, "{\"pad\":\"", 8);
		memcpy(text + size - 2, "\"}", 2);
		body = g_bytes_new_take(text, size);
	}
	server = soup_server_new("server-header", "bare-server ", NULL);
	soup_server_add_handler(server, NULL, bare_handler_cb, body, NULL);
	address = g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV4);
	socket_address = g_inet_socket_address_new(address, (guint16)port);
	if (!soup_server_listen(server, socket_address, 0, &error)) {
		g_printerr("bare-server: cannot listen on 127.0.0.1:%u: %s\n",
			   (guint)port,
			   error->message);
		return EXIT_FAILURE;
	}
	loop = g_main_loop_new(NULL, FALSE);
	sigterm_id = g_unix_signal_add(SIGTERM, bare_signal_cb, loop);
	sigint_id = g_unix_signal_add(SIGINT, bare_signal_cb, loop);
	g_main_loop_run(loop);
	g_clear_handle_id(&sigterm_id, g_source_remove);
	g_clear_handle_id(&sigint_id, g_source_remove);
	soup_server_disconnect(server);
	return EXIT_SUCCESS;
}
