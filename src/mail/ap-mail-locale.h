/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <locale.h>

G_BEGIN_DECLS

const gchar *
ap_mail_locale_name(const gchar *tag);
locale_t
ap_mail_locale_get(const gchar *tag);

G_END_DECLS
