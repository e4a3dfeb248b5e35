/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "ap-engine.h"
#include "ap-web-cache.h"
#include "ap-web-metrics.h"
#include "ap-web-slots-worker.h"

G_BEGIN_DECLS

/* limits enforced before a body is read or parsed */
#define AP_WEB_MAX_BODY_BYTES (64 * 1024)
#define AP_WEB_MAX_JSON_DEPTH 16

/* see ap-web-writer.h */
typedef struct _ApWebWriter ApWebWriter;

typedef enum {
	AP_PRINCIPAL_ANONYMOUS,
	AP_PRINCIPAL_USER,   /* an API token or a log-in session */
	AP_PRINCIPAL_MANAGE, /* a booking's manage token */
} ApPrincipalKind;

/**
 * ApPrincipal:
 * @kind: who is asking
 * @user: (nullable): for %AP_PRINCIPAL_USER
 * @booking: (nullable): for %AP_PRINCIPAL_MANAGE, the one booking it may act on
 * @session_hash: (nullable): the hash of the log-in session's cookie, when
 *   the user came through one rather than an API token
 *
 * The authenticated caller of a request.
 */
typedef struct {
	ApPrincipalKind kind;
	ApUser *user;
	ApBooking *booking;
	gchar *session_hash;
} ApPrincipal;

/**
 * ApWebRequest:
 * @engine: the engine
 * @msg: the message being answered
 * @route: the route pattern matched, e.g. `/api/v1/bookings/{reference}`;
 *   what logs and metrics show instead of the path, which may hold tokens
 * @params: (element-type utf8 utf8): the route's `{name}` values
 * @query: (element-type utf8 utf8) (nullable): the query string
 * @principal: who is asking
 * @body: (nullable): the parsed JSON body, once read
 * @metrics: the server's counters
 * @slots_cache: answers of `GET /api/v1/slots` kept for reuse
 * @slots_worker: where slots are computed off the main loop
 * @writer: where new bookings are written off the main loop
 * @held: the handler answers later (see ap_web_request_hold())
 *
 * One request on its way through a handler.
 */
typedef struct {
	ApEngine *engine;
	SoupServerMessage *msg;
	const gchar *route;
	GHashTable *params;
	GHashTable *query;
	const ApPrincipal *principal;
	JsonNode *body;
	ApWebMetrics *metrics;
	ApWebCache *slots_cache;
	ApWebSlotsWorker *slots_worker;
	ApWebWriter *writer;
	gboolean held;
} ApWebRequest;

typedef void (*ApWebHandler)(ApWebRequest *req);

ApWebRequest *
ap_web_request_hold(ApWebRequest *req);
void
ap_web_request_release(ApWebRequest *held);

void
ap_principal_free(ApPrincipal *principal);
gboolean
ap_principal_is_role(const ApPrincipal *principal, ApRole role);
gboolean
ap_principal_is_staff(const ApPrincipal *principal);
gchar *
ap_principal_actor(const ApPrincipal *principal);

const gchar *
ap_web_request_param(ApWebRequest *req, const gchar *name);
const gchar *
ap_web_request_query(ApWebRequest *req, const gchar *name);
JsonObject *
ap_web_request_body_object(ApWebRequest *req);
gboolean
ap_web_request_query_count(
	ApWebRequest *req, const gchar *name, guint min, guint max, guint *value);
gboolean
ap_web_request_check_query(ApWebRequest *req, const gchar *const *allowed);
gboolean
ap_web_require_user(ApWebRequest *req);
const gchar *
ap_web_client_address(SoupServerMessage *msg, const ApConfig *config);

void
ap_web_respond_json(ApWebRequest *req, guint status, JsonNode *node);
void
ap_web_respond_bytes(ApWebRequest *req, guint status, GBytes *body);
void
ap_web_respond_empty(ApWebRequest *req, guint status);
void
ap_web_respond_error(ApWebRequest *req, const GError *error);
void
ap_web_respond_problem(ApWebRequest *req, guint status, const gchar *detail);
guint
ap_web_status_for_error(const GError *error);
void
ap_web_problem(SoupServerMessage *msg, guint status, const gchar *detail);
void
ap_web_problem_not_stored(SoupServerMessage *msg);
void
ap_web_problem_full(SoupServerMessage *msg, guint status, const gchar *detail, const gchar *field);
/* set on a request answered with a 5xx problem of ours: libsoup reports
 * such an answer as aborted, as it does a client that hung up */
#define AP_WEB_SERVER_ERROR_KEY "ap-web-server-error"

void
ap_web_problem_errors(SoupServerMessage *msg,
		      guint status,
		      const gchar *detail,
		      const gchar *const *fields,
		      const gchar *const *messages,
		      guint n_errors);
void
ap_web_problem_fields(SoupServerMessage *msg,
		      guint status,
		      const gchar *detail,
		      const gchar *field,
		      const gchar *field_message);

gboolean
ap_web_json_check(const gchar *data, gsize len, guint max_depth, const gchar **problem);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(ApPrincipal, ap_principal_free)

G_END_DECLS
