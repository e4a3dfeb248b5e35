/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApWeb"

#include <string.h>

#include "ap-web-handlers.h"
#include "ap-web-i18n.h"

/*
 * The web front ends: an HTML shell per page and the scripts, styles and
 * images it loads, all from the GResource (nothing from elsewhere: the
 * pages work offline and behind a strict Content-Security-Policy), and the
 * translations their scripts ask for (ap-web-i18n.c). Everything a page
 * shows, it fetches from the HTTP API as any other client does.
 */

#define AP_WEB_ASSETS "/org/appoint/web/assets/"
#define AP_WEB_SHELL  "/org/appoint/web/page.html"

/* no inline script or style, nothing from another origin, no framing */
#define AP_WEB_PAGE_CSP                                                                            \
	"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "          \
	"connect-src 'self'; font-src 'self'; manifest-src 'self'; form-action 'self'; "           \
	"base-uri 'none'; frame-ancestors 'none'"

typedef struct {
	const gchar *suffix;
	const gchar *type;
} ApWebAssetType;

static const ApWebAssetType ap_web_asset_types[] = {
	{".js", "text/javascript; charset=utf-8"},
	{".css", "text/css; charset=utf-8"},
	{".svg", "image/svg+xml"},
	{".json", "application/json"},
	{".png", "image/png"},
	{".ico", "image/vnd.microsoft.icon"},
};

static void
ap_web_pages_security_headers(SoupServerMessage *msg)
{
	SoupMessageHeaders *headers = soup_server_message_get_response_headers(msg);

	soup_message_headers_replace(headers, "Content-Security-Policy", AP_WEB_PAGE_CSP);
	soup_message_headers_replace(headers, "X-Content-Type-Options", "nosniff");
	/* the manage and feedback pages carry a token in their address;
	 * no page tells another site where it came from */
	soup_message_headers_replace(headers, "Referrer-Policy", "no-referrer");
	soup_message_headers_replace(headers, "X-Frame-Options", "DENY");
	soup_message_headers_replace(headers, "Cross-Origin-Opener-Policy", "same-origin");
	soup_message_headers_replace(
		headers, "Permissions-Policy", "camera=(), microphone=(), geolocation=()");
}

/* a weak validator from the content, so that a reload costs a 304 */
static gchar *
ap_web_pages_etag(GBytes *bytes)
{
	g_autofree gchar *sum = g_compute_checksum_for_bytes(G_CHECKSUM_SHA256, bytes);

	return g_strdup_printf("\"%.16s\"", sum);
}

/**
 * ap_web_pages_respond:
 * @req: the request
 * @type: the Content-Type
 * @bytes: the body
 * @cache: %TRUE for what may be kept and revalidated (assets), %FALSE for
 *   what must not be stored (anything with a token)
 *
 * Answers 200 with @bytes, or 304 when the client's copy is current.
 */
void
ap_web_pages_respond(ApWebRequest *req, const gchar *type, GBytes *bytes, gboolean cache)
{
	SoupMessageHeaders *request = soup_server_message_get_request_headers(req->msg);
	SoupMessageHeaders *headers = soup_server_message_get_response_headers(req->msg);
	g_autofree gchar *etag = ap_web_pages_etag(bytes);

	ap_web_pages_security_headers(req->msg);
	soup_message_headers_replace(headers, "Cache-Control", cache ? "no-cache" : "no-store");
	if (cache) {
		soup_message_headers_replace(headers, "ETag", etag);
		if (g_strcmp0(soup_message_headers_get_one(request, "If-None-Match"), etag) == 0) {
			soup_server_message_set_status(req->msg, SOUP_STATUS_NOT_MODIFIED, NULL);
			return;
		}
	}
	soup_server_message_set_status(req->msg, SOUP_STATUS_OK, NULL);
	soup_message_headers_set_content_type(headers, type, NULL);
	soup_message_body_append_bytes(soup_server_message_get_response_body(req->msg), bytes);
}

/* the shell with its page's script; every page is the same but for that */
static void
ap_web_pages_shell(ApWebRequest *req, const gchar *page)
{
	g_autoptr(GBytes) shell = g_resources_lookup_data(AP_WEB_SHELL, 0, NULL);
	g_autoptr(GString) html = NULL;
	g_autoptr(GBytes) bytes = NULL;

	g_assert(shell != NULL);
	html = g_string_new_len(g_bytes_get_data(shell, NULL), (gssize)g_bytes_get_size(shell));
	g_string_replace(html, "@PAGE@", page, 0);
	bytes = g_string_free_to_bytes(g_steal_pointer(&html));
	/* the shell holds no secret, but its address may: not stored */
	ap_web_pages_respond(req, "text/html; charset=utf-8", bytes, FALSE);
}

/* GET /: the booking site (?expert=ID&via=social: the expert's own link) */
static void
ap_web_pages_book(ApWebRequest *req)
{
	ap_web_pages_shell(req, "book");
}

/* GET /manage/{token}: the customer's booking, from the emailed link */
static void
ap_web_pages_manage(ApWebRequest *req)
{
	ap_web_pages_shell(req, "manage");
}

/* GET /feedback/{token}: the rating the feedback email asks for */
static void
ap_web_pages_feedback(ApWebRequest *req)
{
	ap_web_pages_shell(req, "feedback");
}

/* GET /expert: the expert's calendar */
static void
ap_web_pages_expert(ApWebRequest *req)
{
	ap_web_pages_shell(req, "expert");
}

/* GET /console: customer service */
static void
ap_web_pages_console(ApWebRequest *req)
{
	ap_web_pages_shell(req, "console");
}

/* GET /admin: services, experts and users */
static void
ap_web_pages_admin(ApWebRequest *req)
{
	ap_web_pages_shell(req, "admin");
}

/* an asset's name: one path segment of letters, digits, '-', '_' and one
 * '.' before a known suffix; nothing that climbs out of the folder */
static const gchar *
ap_web_pages_asset_type(const gchar *name)
{
	if (name == NULL || !g_ascii_isalnum(name[0]) || strlen(name) > 64)
		return NULL;
	for (const gchar *p = name; *p != '\0'; p++) {
		if (!g_ascii_isalnum(*p) && strchr("-_.", *p) == NULL)
			return NULL;
	}
	if (strchr(name, '.') != strrchr(name, '.'))
		return NULL;
	for (guint i = 0; i < G_N_ELEMENTS(ap_web_asset_types); i++) {
		if (g_str_has_suffix(name, ap_web_asset_types[i].suffix))
			return ap_web_asset_types[i].type;
	}
	return NULL;
}

/* GET /assets/{name} */
static void
ap_web_pages_asset(ApWebRequest *req)
{
	const gchar *name = ap_web_request_param(req, "name");
	const gchar *type = ap_web_pages_asset_type(name);
	g_autofree gchar *path = NULL;
	g_autoptr(GBytes) bytes = NULL;

	if (type != NULL) {
		path = g_strconcat(AP_WEB_ASSETS, name, NULL);
		bytes = g_resources_lookup_data(path, 0, NULL);
	}
	if (bytes == NULL) {
		ap_web_respond_problem(req, SOUP_STATUS_NOT_FOUND, "no such asset");
		return;
	}
	ap_web_pages_respond(req, type, bytes, TRUE);
}

/* GET /i18n/{lang}: the pages' strings in that language, as JSON */
static void
ap_web_pages_i18n(ApWebRequest *req)
{
	g_autoptr(GBytes) bytes = ap_web_i18n_catalogue(ap_web_request_param(req, "lang"));

	ap_web_pages_respond(req, "application/json", bytes, TRUE);
}

static const ApWebRoute ap_web_pages_routes[] = {
	{"GET", "/", ap_web_pages_book},
	{"GET", "/manage/{token}", ap_web_pages_manage},
	{"GET", "/feedback/{token}", ap_web_pages_feedback},
	{"GET", "/expert", ap_web_pages_expert},
	{"GET", "/console", ap_web_pages_console},
	{"GET", "/admin", ap_web_pages_admin},
	{"GET", "/assets/{name}", ap_web_pages_asset},
	{"GET", "/i18n/{lang}", ap_web_pages_i18n},
};

void
ap_web_pages_register(ApWebRouter *router)
{
	ap_web_router_add(router, ap_web_pages_routes, G_N_ELEMENTS(ap_web_pages_routes));
}
