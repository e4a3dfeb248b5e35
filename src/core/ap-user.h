/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
	AP_ROLE_ADMIN,
	AP_ROLE_STAFF,
	AP_ROLE_EXPERT,
} ApRole;

/**
 * ApUser:
 * @id: store identifier, 0 until stored
 * @email: log-in name, unique regardless of case
 * @name: shown in histories
 * @role: what the user may do
 * @expert_id: the expert this user is, for %AP_ROLE_EXPERT; 0 otherwise
 * @password_hash: argon2id string (libsodium's crypto_pwhash_str format)
 * @active: whether the user may log in
 * @created_at: Unix seconds
 *
 * Somebody who works with appoint: an administrator, a member of
 * customer-service staff, or an expert.
 */
typedef struct {
	gint64 id;
	gchar *email;
	gchar *name;
	ApRole role;
	gint64 expert_id;
	gchar *password_hash;
	gboolean active;
	gint64 created_at;
} ApUser;

ApUser *
ap_user_new(void);
void
ap_user_free(ApUser *user);
const gchar *
ap_role_to_string(ApRole role);
gboolean
ap_role_from_string(const gchar *text, ApRole *role);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(ApUser, ap_user_free)

G_END_DECLS
