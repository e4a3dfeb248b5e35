/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define AP_ERROR ap_error_quark()

/**
 * ApError:
 * @AP_ERROR_INVALID: the input is malformed or breaks a rule (HTTP 400/422)
 * @AP_ERROR_NOT_FOUND: the thing named does not exist (HTTP 404)
 * @AP_ERROR_NOT_OFFERED: a start that is not an offered slot (HTTP 422)
 * @AP_ERROR_CONFLICT: the slot was offered but is no longer free (HTTP 409)
 * @AP_ERROR_EXISTS: something with that identity already exists (HTTP 409)
 * @AP_ERROR_IDEMPOTENCY_MISMATCH: an idempotency key reused with another request (HTTP 422)
 * @AP_ERROR_STATE: the operation does not fit the thing's state, e.g. moving a cancelled booking
 * (HTTP 409)
 * @AP_ERROR_UNAUTHORIZED: no credentials, or wrong ones (HTTP 401)
 * @AP_ERROR_FORBIDDEN: valid credentials acting outside their rights (HTTP 403)
 * @AP_ERROR_CONFIG: the configuration is unusable (start-up)
 * @AP_ERROR_STORE: the database failed; never the client's fault (HTTP 500)
 *
 * The one error domain of appoint. The HTTP edge maps each code to a status
 * in one function; everything below it only sets these.
 */
typedef enum {
	AP_ERROR_INVALID,
	AP_ERROR_NOT_FOUND,
	AP_ERROR_NOT_OFFERED,
	AP_ERROR_CONFLICT,
	AP_ERROR_EXISTS,
	AP_ERROR_IDEMPOTENCY_MISMATCH,
	AP_ERROR_STATE,
	AP_ERROR_UNAUTHORIZED,
	AP_ERROR_FORBIDDEN,
	AP_ERROR_CONFIG,
	AP_ERROR_STORE,
} ApError;

GQuark
ap_error_quark(void);
gboolean
ap_error_merge(GError **errors, GError *error);

G_END_DECLS
