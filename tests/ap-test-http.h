/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/**
 * ApTestDaemon:
 * @dir: a temporary folder holding the configuration, database and log
 * @config: the configuration file, passed to appointd and appointctl
 * @log: where the daemon's standard error goes
 * @proc: (nullable): the running daemon
 * @url: (nullable): where it listens, without a trailing slash
 * @session: a client session for the test's own thread
 *
 * The real `appointd` binary, run on `127.0.0.1:0` with a database of its own.
 */
typedef struct {
	gchar *dir;
	gchar *config;
	gchar *log;
	GSubprocess *proc;
	gchar *url;
	SoupSession *session;
} ApTestDaemon;

ApTestDaemon *
ap_test_daemon_new(void);
void
ap_test_daemon_start(ApTestDaemon *d);
gint
ap_test_daemon_wait(ApTestDaemon *d);
gint
ap_test_daemon_stop(ApTestDaemon *d);
void
ap_test_daemon_free(ApTestDaemon *d);
gchar *
ap_test_daemon_add_user(ApTestDaemon *d, const gchar *email, const gchar *role, gint64 expert_id);

/**
 * ApTestRequest:
 * @method: the HTTP method
 * @path: the path and query, already percent-encoded
 * @token: (nullable): sent as `Authorization: Bearer TOKEN`
 * @type: (nullable): the body's Content-Type
 * @body: (nullable): the body
 * @len: its length, or -1 if @body is a string
 * @headers: (nullable) (array zero-terminated=1): more headers, name then value
 * @chunked: send the body without a Content-Length
 * @reuse: let a POST go over an idle connection (libsoup opens a new one
 *   for each non-idempotent request otherwise)
 */
typedef struct {
	const gchar *method;
	const gchar *path;
	const gchar *token;
	const gchar *type;
	const gchar *body;
	gssize len;
	const gchar *const *headers;
	gboolean chunked;
	gboolean reuse;
} ApTestRequest;

/**
 * ApTestResponse:
 * @status: the HTTP status, or 0 when the request failed on the wire
 * @type: (nullable): the Content-Type without parameters
 * @text: the body, NUL-terminated
 * @json: (nullable): the body parsed, for JSON answers
 * @headers: the response headers
 * @error: (nullable): why no answer came
 */
typedef struct {
	guint status;
	gchar *type;
	gchar *text;
	JsonNode *json;
	SoupMessageHeaders *headers;
	GError *error;
} ApTestResponse;

ApTestResponse *
ap_test_http_request(ApTestDaemon *d, SoupSession *session, const ApTestRequest *req);
ApTestResponse *
ap_test_http_get(ApTestDaemon *d, const gchar *token, const gchar *path);
ApTestResponse *
ap_test_http_send(ApTestDaemon *d,
		  const gchar *method,
		  const gchar *token,
		  const gchar *path,
		  const gchar *json);
ApTestResponse *
ap_test_http_sendf(ApTestDaemon *d,
		   const gchar *method,
		   const gchar *token,
		   const gchar *path,
		   const gchar *format,
		   ...) G_GNUC_PRINTF(5, 6);
void
ap_test_response_free(ApTestResponse *r);
void
ap_test_assert_status(ApTestResponse *r, guint status);
void
ap_test_assert_problem(ApTestResponse *r, guint status, const gchar *field);

JsonNode *
ap_test_json_at(JsonNode *root, const gchar *path);
gboolean
ap_test_json_has(ApTestResponse *r, const gchar *path);
const gchar *
ap_test_json_str(ApTestResponse *r, const gchar *path);
gint64
ap_test_json_int(ApTestResponse *r, const gchar *path);
guint
ap_test_json_len(ApTestResponse *r, const gchar *path);
gint64
ap_test_instant_parse(const gchar *text);

gchar *
ap_test_london_at(gint days, gint hour, gint minute);
gchar *
ap_test_london_date(gint days);
gint
ap_test_days_to_monday(void);

/**
 * ApApiFixture:
 * @d: the daemon
 * @admin: an administrator's API token
 * @staff: a customer-service API token
 * @alice: expert A's API token
 * @bert: expert B's API token
 * @expert_a: Alice, who gives personal-styling and home-design
 * @expert_b: Bert, who gives personal-styling
 * @base: days from today (London) to the Monday two weeks ahead
 *
 * A daemon with users of every role and two experts who work 09:00 to
 * 17:00 London time every day.
 */
typedef struct {
	ApTestDaemon *d;
	gchar *admin;
	gchar *staff;
	gchar *alice;
	gchar *bert;
	gint64 expert_a;
	gint64 expert_b;
	gint base;
} ApApiFixture;

void
ap_api_fixture_set_up(ApApiFixture *fx, gconstpointer data);
void
ap_api_fixture_tear_down(ApApiFixture *fx, gconstpointer data);
gchar *
ap_api_at(ApApiFixture *fx, gint day, gint hour, gint minute);
gchar *
ap_api_date(ApApiFixture *fx, gint day);
ApTestResponse *
ap_api_book(ApApiFixture *fx,
	    gint64 expert_id,
	    const gchar *start,
	    const gchar *name,
	    const gchar *email,
	    const gchar *phone);
ApTestResponse *
ap_api_book_ok(ApApiFixture *fx, gint64 expert_id, gint day, gint hour, gint minute);
void
ap_api_backdate(ApApiFixture *fx, const gchar *reference, gint hours_ago);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(ApTestResponse, ap_test_response_free)

G_END_DECLS
