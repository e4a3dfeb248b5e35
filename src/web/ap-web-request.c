/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApWeb"

#include "ap-web-request.h"

#include <string.h>

#include "ap-error.h"

/*
 * What every handler needs: who is asking, the body as JSON within
 * limits, and answers in JSON or RFC 9457 problem+json. Client mistakes
 * become 4xx here, in one place; a 5xx never carries internal detail.
 */

void
ap_principal_free(ApPrincipal *principal)
{
	if (principal == NULL)
		return;
	g_clear_pointer(&principal->user, ap_user_free);
	g_clear_pointer(&principal->booking, ap_booking_free);
	g_free(principal->session_hash);
	g_free(principal);
}

gboolean
ap_principal_is_role(const ApPrincipal *principal, ApRole role)
{
	return principal->kind == AP_PRINCIPAL_USER && principal->user->role == role;
}

/**
 * ap_principal_is_staff:
 *
 * Returns: %TRUE for customer-service staff and administrators, who may
 * act on every booking
 */
gboolean
ap_principal_is_staff(const ApPrincipal *principal)
{
	return ap_principal_is_role(principal, AP_ROLE_STAFF) ||
	       ap_principal_is_role(principal, AP_ROLE_ADMIN);
}

/**
 * ap_principal_actor:
 *
 * Returns: (transfer full): how a booking's history names the caller
 */
gchar *
ap_principal_actor(const ApPrincipal *principal)
{
	switch (principal->kind) {
	case AP_PRINCIPAL_USER:
		return g_strdup_printf("%s:%" G_GINT64_FORMAT,
				       ap_role_to_string(principal->user->role),
				       principal->user->id);
	case AP_PRINCIPAL_MANAGE:
	case AP_PRINCIPAL_ANONYMOUS:
	default:
		return g_strdup("customer");
	}
}

const gchar *
ap_web_request_param(ApWebRequest *req, const gchar *name)
{
	return req->params != NULL ? g_hash_table_lookup(req->params, name) : NULL;
}

const gchar *
ap_web_request_query(ApWebRequest *req, const gchar *name)
{
	return req->query != NULL ? g_hash_table_lookup(req->query, name) : NULL;
}

static void
ap_web_set_common_headers(SoupServerMessage *msg)
{
	SoupMessageHeaders *headers = soup_server_message_get_response_headers(msg);
	soup_message_headers_replace(headers, "Cache-Control", "no-store");
	soup_message_headers_replace(headers, "X-Content-Type-Options", "nosniff");
}

/* a message "field: what is wrong" names the field; anything else does not */
static gchar *
ap_web_error_field(const gchar *message, const gchar **rest)
{
	const gchar *colon = strstr(message, ": ");

	if (colon == NULL || colon == message || colon - message > 64)
		return NULL;
	for (const gchar *p = message; p < colon; p++) {
		if (!g_ascii_isalnum(*p) && strchr("_.-[]", *p) == NULL)
			return NULL;
	}
	*rest = colon + 2;
	return g_strndup(message, (gsize)(colon - message));
}

/**
 * ap_web_problem_not_stored:
 * @msg: a message whose change was made but not committed
 *
 * Replaces whatever answer @msg had with a 503 that says nothing was
 * changed: the transaction that held its change did not reach the disk.
 */
void
ap_web_problem_not_stored(SoupServerMessage *msg)
{
	soup_message_body_truncate(soup_server_message_get_response_body(msg));
	soup_message_headers_replace(
		soup_server_message_get_response_headers(msg), "Retry-After", "5");
	ap_web_problem(msg,
		       SOUP_STATUS_SERVICE_UNAVAILABLE,
		       "the change could not be stored; nothing was changed, try again");
}

/**
 * ap_web_problem_full:
 * @msg: the message to answer
 * @status: a 4xx or 5xx status
 * @detail: (nullable): what went wrong, for a person
 * @field: (nullable): the request field it concerns
 *
 * Answers with an RFC 9457 `application/problem+json` document; with
 * @field, an `errors` list names it.
 */
void
ap_web_problem_full(SoupServerMessage *msg, guint status, const gchar *detail, const gchar *field)
{
	ap_web_problem_fields(msg, status, detail, field, detail);
}

/**
 * ap_web_problem_fields:
 * @field: (nullable): the request field it concerns
 * @field_message: what is wrong with @field
 *
 * Like ap_web_problem_full(), with the field's own message.
 */
void
ap_web_problem_fields(SoupServerMessage *msg,
		      guint status,
		      const gchar *detail,
		      const gchar *field,
		      const gchar *field_message)
{
	const gchar *fields[] = {field};
	const gchar *messages[] = {field_message};

	ap_web_problem_errors(msg, status, detail, fields, messages, field != NULL ? 1 : 0);
}

/**
 * ap_web_problem_errors:
 * @detail: (nullable): what went wrong, for a person
 * @fields: (array length=n_errors): the request fields at fault
 * @messages: (array length=n_errors): what is wrong with each
 * @n_errors: how many; 0 for no `errors` list
 *
 * Answers with an RFC 9457 `application/problem+json` document listing
 * every field at fault.
 */
void
ap_web_problem_errors(SoupServerMessage *msg,
		      guint status,
		      const gchar *detail,
		      const gchar *const *fields,
		      const gchar *const *messages,
		      guint n_errors)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonNode) root = NULL;
	g_autofree gchar *body = NULL;
	const gchar *title = status == 429 ? "Too Many Requests" : soup_status_get_phrase(status);
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
	if (n_errors > 0) {
		json_builder_set_member_name(b, "errors");
		json_builder_begin_array(b);
		for (guint i = 0; i < n_errors; i++) {
			json_builder_begin_object(b);
			json_builder_set_member_name(b, "field");
			json_builder_add_string_value(b, fields[i]);
			json_builder_set_member_name(b, "message");
			json_builder_add_string_value(b, messages[i] != NULL ? messages[i] : title);
			json_builder_end_object(b);
		}
		json_builder_end_array(b);
	}
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	body = json_to_string(root, FALSE);
	len = strlen(body);
	ap_web_set_common_headers(msg);
	if (status == SOUP_STATUS_UNAUTHORIZED)
		soup_message_headers_replace(soup_server_message_get_response_headers(msg),
					     "WWW-Authenticate",
					     "Bearer realm=\"appoint\"");
	soup_server_message_set_status(msg, status, NULL);
	soup_server_message_set_response(
		msg, "application/problem+json", SOUP_MEMORY_TAKE, g_steal_pointer(&body), len);
	if (status >= 500)
		g_object_set_data(G_OBJECT(msg), AP_WEB_SERVER_ERROR_KEY, GUINT_TO_POINTER(status));
}

void
ap_web_problem(SoupServerMessage *msg, guint status, const gchar *detail)
{
	ap_web_problem_full(msg, status, detail, NULL);
}

void
ap_web_respond_problem(ApWebRequest *req, guint status, const gchar *detail)
{
	ap_web_problem_full(req->msg, status, detail, NULL);
}

/**
 * ap_web_status_for_error:
 * @error: an error from below the HTTP edge
 *
 * The one mapping of #ApError codes onto HTTP statuses.
 *
 * Returns: the status
 */
guint
ap_web_status_for_error(const GError *error)
{
	if (error->domain != AP_ERROR)
		return SOUP_STATUS_INTERNAL_SERVER_ERROR;
	switch ((ApError)error->code) {
	case AP_ERROR_INVALID:
	case AP_ERROR_NOT_OFFERED:
	case AP_ERROR_IDEMPOTENCY_MISMATCH:
		return SOUP_STATUS_UNPROCESSABLE_ENTITY;
	case AP_ERROR_NOT_FOUND:
		return SOUP_STATUS_NOT_FOUND;
	case AP_ERROR_CONFLICT:
	case AP_ERROR_EXISTS:
	case AP_ERROR_STATE:
		return SOUP_STATUS_CONFLICT;
	case AP_ERROR_UNAUTHORIZED:
		return SOUP_STATUS_UNAUTHORIZED;
	case AP_ERROR_FORBIDDEN:
		return SOUP_STATUS_FORBIDDEN;
	case AP_ERROR_CONFIG:
	case AP_ERROR_STORE:
	default:
		return SOUP_STATUS_INTERNAL_SERVER_ERROR;
	}
}

/**
 * ap_web_respond_error:
 * @req: the request
 * @error: what went wrong
 *
 * Answers with the status ap_web_status_for_error() gives. A server-side
 * failure is logged and answered without its detail.
 */
void
ap_web_respond_error(ApWebRequest *req, const GError *error)
{
	guint status = ap_web_status_for_error(error);
	g_autofree gchar *field = NULL;
	const gchar *rest = NULL;

	if (status >= 500) {
		g_warning("%s %s: %s",
			  soup_server_message_get_method(req->msg),
			  req->route,
			  error->message);
		ap_web_problem(req->msg, status, "the service could not complete the request");
		return;
	}
	if (status == SOUP_STATUS_UNPROCESSABLE_ENTITY) {
		/* one line per problem (ap_error_merge()), each "field: what" */
		g_auto(GStrv) lines = g_strsplit(error->message, "\n", -1);
		g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func(g_free);
		g_autoptr(GPtrArray) messages = g_ptr_array_new();
		g_autofree gchar *detail = g_strjoinv("; ", lines);

		for (guint i = 0; lines[i] != NULL; i++) {
			field = ap_web_error_field(lines[i], &rest);
			if (field == NULL)
				continue;
			g_ptr_array_add(fields, g_steal_pointer(&field));
			g_ptr_array_add(messages, (gpointer)rest);
		}
		ap_web_problem_errors(req->msg,
				      status,
				      detail,
				      (const gchar *const *)fields->pdata,
				      (const gchar *const *)messages->pdata,
				      fields->len);
		return;
	}
	ap_web_problem_fields(req->msg, status, error->message, NULL, NULL);
}

/**
 * ap_web_request_hold:
 * @req: a request its handler will answer after returning
 *
 * Pauses @req's message and marks @req as held, so that the server does
 * not take the handler's return for a request left without an answer.
 *
 * Returns: (transfer full): a copy of @req that keeps what it refers to;
 * ap_web_request_release() sends its answer and frees it
 */
ApWebRequest *
ap_web_request_hold(ApWebRequest *req)
{
	ApWebRequest *held = g_new0(ApWebRequest, 1);

	*held = *req;
	held->msg = g_object_ref(req->msg);
	held->params = req->params != NULL ? g_hash_table_ref(req->params) : NULL;
	held->query = req->query != NULL ? g_hash_table_ref(req->query) : NULL;
	/* read again from the message if the handler needs it */
	held->body = NULL;
	req->held = TRUE;
	soup_server_message_pause(req->msg);
	return held;
}

/**
 * ap_web_request_release:
 * @held: (transfer full): from ap_web_request_hold(), now answered
 *
 * Sends the answer (a 500 if none was set) and frees @held.
 */
void
ap_web_request_release(ApWebRequest *held)
{
	if (soup_server_message_get_status(held->msg) == 0)
		ap_web_problem(held->msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "no answer");
	soup_server_message_unpause(held->msg);
	g_clear_pointer(&held->params, g_hash_table_unref);
	g_clear_pointer(&held->query, g_hash_table_unref);
	g_clear_pointer(&held->body, json_node_unref);
	g_object_unref(held->msg);
	g_free(held);
}

/**
 * ap_web_respond_json:
 * @node: (transfer none): the answer
 */
void
ap_web_respond_json(ApWebRequest *req, guint status, JsonNode *node)
{
	g_autofree gchar *body = json_to_string(node, FALSE);
	gsize len = strlen(body);

	ap_web_set_common_headers(req->msg);
	soup_server_message_set_status(req->msg, status, NULL);
	soup_server_message_set_response(
		req->msg, "application/json", SOUP_MEMORY_TAKE, g_steal_pointer(&body), len);
}

/**
 * ap_web_respond_bytes:
 * @body: a JSON answer, already serialized
 */
void
ap_web_respond_bytes(ApWebRequest *req, guint status, GBytes *body)
{
	ap_web_set_common_headers(req->msg);
	soup_server_message_set_status(req->msg, status, NULL);
	soup_message_headers_set_content_type(
		soup_server_message_get_response_headers(req->msg), "application/json", NULL);
	soup_message_body_append_bytes(soup_server_message_get_response_body(req->msg), body);
}

void
ap_web_respond_empty(ApWebRequest *req, guint status)
{
	ap_web_set_common_headers(req->msg);
	soup_server_message_set_status(req->msg, status, NULL);
}

/**
 * ap_web_json_check:
 * @data: the body
 * @len: its length
 * @max_depth: how deep arrays and objects may nest
 * @problem: (out): what is wrong, when something is
 *
 * What must be refused before json-glib parses: it parses recursively, so
 * nesting is bounded first; and it decodes `\u0000` into a NUL that ends
 * the C string, so a name would be silently cut short after validation
 * saw only its first part.
 *
 * Returns: %TRUE if @data can be handed to the parser
 */
gboolean
ap_web_json_check(const gchar *data, gsize len, guint max_depth, const gchar **problem)
{
	guint depth = 0;
	gboolean in_string = FALSE;

	for (gsize i = 0; i < len; i++) {
		gchar c = data[i];
		if (in_string) {
			if (c == '\\' && i + 5 < len && data[i + 1] == 'u' &&
			    memcmp(data + i + 2, "0000", 4) == 0) {
				*problem =
					"a string holds U+0000 (\\u0000), which no field accepts";
				return FALSE;
			}
			if (c == '\\')
				i++;
			else if (c == '"')
				in_string = FALSE;
			continue;
		}
		if (c == '"') {
			in_string = TRUE;
		} else if (c == '{' || c == '[') {
			if (++depth > max_depth) {
				*problem = "the JSON nests too deeply";
				return FALSE;
			}
		} else if ((c == '}' || c == ']') && depth > 0) {
			depth--;
		}
	}
	return TRUE;
}

/**
 * ap_web_request_body_object:
 * @req: the request
 *
 * Parses the body as one JSON object, or answers 400/415 itself.
 *
 * Returns: (transfer none) (nullable): the object, owned by @req
 */
JsonObject *
ap_web_request_body_object(ApWebRequest *req)
{
	SoupMessageBody *body = soup_server_message_get_request_body(req->msg);
	SoupMessageHeaders *headers = soup_server_message_get_request_headers(req->msg);
	const gchar *type = soup_message_headers_get_content_type(headers, NULL);
	g_autoptr(GBytes) bytes = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonParser) parser = NULL;
	const gchar *problem = NULL;
	const gchar *data;
	gsize len = 0;

	if (type == NULL || g_ascii_strcasecmp(type, "application/json") != 0) {
		ap_web_respond_problem(req,
				       SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE,
				       "the body must be application/json");
		return NULL;
	}
	bytes = soup_message_body_flatten(body);
	data = g_bytes_get_data(bytes, &len);
	if (len == 0) {
		ap_web_respond_problem(
			req, SOUP_STATUS_BAD_REQUEST, "the body must be a JSON object");
		return NULL;
	}
	if (!g_utf8_validate_len(data, len, NULL) || memchr(data, '\0', len) != NULL) {
		ap_web_respond_problem(req, SOUP_STATUS_BAD_REQUEST, "the body is not valid UTF-8");
		return NULL;
	}
	if (!ap_web_json_check(data, len, AP_WEB_MAX_JSON_DEPTH, &problem)) {
		ap_web_respond_problem(req, SOUP_STATUS_BAD_REQUEST, problem);
		return NULL;
	}
	parser = json_parser_new_immutable();
	if (!json_parser_load_from_data(parser, data, (gssize)len, &error)) {
		g_autofree gchar *detail =
			g_strdup_printf("the body is not JSON: %s", error->message);
		ap_web_respond_problem(req, SOUP_STATUS_BAD_REQUEST, detail);
		return NULL;
	}
	if (json_parser_get_root(parser) == NULL ||
	    !JSON_NODE_HOLDS_OBJECT(json_parser_get_root(parser))) {
		ap_web_respond_problem(
			req, SOUP_STATUS_BAD_REQUEST, "the body must be a JSON object");
		return NULL;
	}
	g_clear_pointer(&req->body, json_node_unref);
	req->body = json_parser_steal_root(parser);
	return json_node_get_object(req->body);
}

/**
 * ap_web_request_query_count:
 * @name: a query parameter
 * @min: its least value
 * @max: its greatest value
 * @value: (inout): left as it is when the parameter is absent
 *
 * Answers 400 itself, naming the parameter, when it is not a whole number
 * from @min to @max.
 *
 * Returns: %TRUE if absent or acceptable
 */
gboolean
ap_web_request_query_count(ApWebRequest *req, const gchar *name, guint min, guint max, guint *value)
{
	const gchar *text = ap_web_request_query(req, name);
	guint64 v = 0;

	if (text == NULL)
		return TRUE;
	if (!g_ascii_string_to_unsigned(text, 10, min, max, &v, NULL)) {
		g_autofree gchar *detail =
			g_strdup_printf("%s: must be a whole number from %u to %u", name, min, max);
		ap_web_problem_full(req->msg, SOUP_STATUS_BAD_REQUEST, detail, name);
		return FALSE;
	}
	*value = (guint)v;
	return TRUE;
}

/**
 * ap_web_request_check_query:
 * @allowed: (array zero-terminated=1): the parameters the route takes
 *
 * Answers 400 itself when the query has any other parameter.
 *
 * Returns: %TRUE if the query is acceptable
 */
gboolean
ap_web_request_check_query(ApWebRequest *req, const gchar *const *allowed)
{
	GHashTableIter iter;
	gpointer key;

	if (req->query == NULL)
		return TRUE;
	g_hash_table_iter_init(&iter, req->query);
	while (g_hash_table_iter_next(&iter, &key, NULL)) {
		if (!g_strv_contains(allowed, key)) {
			g_autofree gchar *detail = g_strdup_printf(
				"'%s' is not a parameter of this resource", (gchar *)key);
			ap_web_problem_full(req->msg, SOUP_STATUS_BAD_REQUEST, detail, key);
			return FALSE;
		}
	}
	return TRUE;
}

#define AP_WEB_CLIENT_KEY "ap-web-client-address"

/**
 * ap_web_client_address:
 * @msg: a request
 * @config: the configuration, for `[server] trusted-proxies`
 *
 * Who is asking, for the rate limits and the audit trail: the peer of
 * the connection, unless that is a trusted reverse proxy, whose last
 * X-Forwarded-For entry (the one it added) names the client then. Any
 * other entry could be forged by the client and is never believed.
 *
 * Returns: (transfer none): an IP address as text, valid as long as @msg
 */
const gchar *
ap_web_client_address(SoupServerMessage *msg, const ApConfig *config)
{
	const gchar *peer = soup_server_message_get_remote_host(msg);
	const gchar *known = g_object_get_data(G_OBJECT(msg), AP_WEB_CLIENT_KEY);
	const gchar *forwarded;
	const gchar *last;
	g_autofree gchar *hop = NULL;
	g_autoptr(GInetAddress) address = NULL;

	if (known != NULL)
		return known;
	if (peer == NULL || config->trusted_proxies == NULL ||
	    !g_strv_contains((const gchar *const *)config->trusted_proxies, peer))
		return peer;
	forwarded = soup_message_headers_get_list(soup_server_message_get_request_headers(msg),
						  "X-Forwarded-For");
	if (forwarded == NULL)
		return peer;
	last = strrchr(forwarded, ',');
	hop = g_strstrip(g_strdup(last != NULL ? last + 1 : forwarded));
	address = g_inet_address_new_from_string(hop);
	if (address == NULL)
		return peer;
	g_object_set_data_full(
		G_OBJECT(msg), AP_WEB_CLIENT_KEY, g_inet_address_to_string(address), g_free);
	return g_object_get_data(G_OBJECT(msg), AP_WEB_CLIENT_KEY);
}

/**
 * ap_web_require_user:
 *
 * Answers 401 itself unless a user (not a manage token) is asking.
 *
 * Returns: %TRUE if a user is asking
 */
gboolean
ap_web_require_user(ApWebRequest *req)
{
	if (req->principal->kind == AP_PRINCIPAL_USER)
		return TRUE;
	if (req->principal->kind == AP_PRINCIPAL_MANAGE) {
		ap_web_respond_problem(
			req, SOUP_STATUS_FORBIDDEN, "a booking's token cannot do this");
		return FALSE;
	}
	ap_web_respond_problem(req, SOUP_STATUS_UNAUTHORIZED, "authentication is required");
	return FALSE;
}
