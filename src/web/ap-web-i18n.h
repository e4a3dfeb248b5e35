/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

GPtrArray *
ap_web_i18n_msgids(void);
GPtrArray *
ap_web_i18n_plurals(void);
GBytes *
ap_web_i18n_catalogue(const gchar *tag);

G_END_DECLS
