/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ap-engine.h"

G_BEGIN_DECLS

/**
 * ApCtl:
 * @config: the configuration in force
 * @engine: the engine over the store
 * @actor: who the history records, e.g. `appointctl:root`
 *
 * What every appointctl command works with.
 */
typedef struct {
	ApConfig *config;
	ApEngine *engine;
	gchar *actor;
} ApCtl;

/**
 * ApCtlCommandFunc:
 * @ctl: the context
 * @argc: arguments after the command words
 * @argv: (array length=argc): those arguments, argv[0] being the command
 * @error: a #GError, or %NULL
 *
 * Returns: %TRUE on success
 */
typedef gboolean (*ApCtlCommandFunc)(ApCtl *ctl, gint argc, gchar **argv, GError **error);

gboolean
ap_ctl_parse(GOptionContext *context, gint *argc, gchar ***argv, guint positional, GError **error);
gchar *
ap_ctl_read_password(GError **error);
gboolean
ap_ctl_parse_id(const gchar *text, const gchar *what, gint64 *id, GError **error);

gboolean
ap_ctl_user_add(ApCtl *ctl, gint argc, gchar **argv, GError **error);
gboolean
ap_ctl_token_create(ApCtl *ctl, gint argc, gchar **argv, GError **error);
gboolean
ap_ctl_service_list(ApCtl *ctl, gint argc, gchar **argv, GError **error);
gboolean
ap_ctl_expert_add(ApCtl *ctl, gint argc, gchar **argv, GError **error);
gboolean
ap_ctl_expert_list(ApCtl *ctl, gint argc, gchar **argv, GError **error);
gboolean
ap_ctl_hours_set(ApCtl *ctl, gint argc, gchar **argv, GError **error);
gboolean
ap_ctl_hours_override(ApCtl *ctl, gint argc, gchar **argv, GError **error);
gboolean
ap_ctl_time_off_add(ApCtl *ctl, gint argc, gchar **argv, GError **error);
gboolean
ap_ctl_slots(ApCtl *ctl, gint argc, gchar **argv, GError **error);
gboolean
ap_ctl_booking_list(ApCtl *ctl, gint argc, gchar **argv, GError **error);
gboolean
ap_ctl_booking_show(ApCtl *ctl, gint argc, gchar **argv, GError **error);
gboolean
ap_ctl_booking_reschedule(ApCtl *ctl, gint argc, gchar **argv, GError **error);
gboolean
ap_ctl_booking_cancel(ApCtl *ctl, gint argc, gchar **argv, GError **error);
gboolean
ap_ctl_booking_complete(ApCtl *ctl, gint argc, gchar **argv, GError **error);
gboolean
ap_ctl_booking_no_show(ApCtl *ctl, gint argc, gchar **argv, GError **error);
gboolean
ap_ctl_backup(ApCtl *ctl, gint argc, gchar **argv, GError **error);
gboolean
ap_ctl_customer_export(ApCtl *ctl, gint argc, gchar **argv, GError **error);
gboolean
ap_ctl_customer_erase(ApCtl *ctl, gint argc, gchar **argv, GError **error);
gboolean
ap_ctl_generate(ApCtl *ctl, gint argc, gchar **argv, GError **error);
gboolean
ap_ctl_demo(ApCtl *ctl, gint argc, gchar **argv, GError **error);

G_END_DECLS
