/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ap-web-request.h"

G_BEGIN_DECLS

/**
 * ApWebWriteFunc:
 * @engine: the writer thread's own engine, with its own connection and
 *   catalogue, inside the batch's transaction
 * @data: what the handler prepared
 * @error: a #GError, or %NULL
 *
 * On the writer's thread: writes @data, touching nothing the main loop
 * shares.
 *
 * Returns: %TRUE if written (durable once the writer's batch commits)
 */
typedef gboolean (*ApWebWriteFunc)(ApEngine *engine, gpointer data, GError **error);

/**
 * ApWebWrittenFunc:
 * @req: the request, held
 * @data: what the handler prepared, as the write left it
 * @error: (nullable): why the write failed; nothing was stored
 *
 * On the main loop: answers @req once its write is durable, or failed.
 */
typedef void (*ApWebWrittenFunc)(ApWebRequest *req, gpointer data, const GError *error);

/**
 * ApWebWriter:
 *
 * A thread with its own connection to the database that writes what
 * handlers prepared on the main loop, so that the main loop goes on
 * reading, checking and answering requests while SQLite writes and
 * waits for the disk. What arrives while a batch commits is written in
 * the next one, each in a savepoint of one transaction (group commit):
 * one fsync for them all. Each request is answered only once its
 * transaction is on disk; if the transaction cannot begin (the database
 * busy beyond SQLite's busy timeout) or commit, every request whose write
 * it held, or that waited behind it, gets 503 (try again) instead, so that
 * nothing is acknowledged that is not stored. So does a request that
 * finds too many waiting already. (Its type is declared in ap-web-request.h, which requests
 * carry it in.)
 */

ApWebWriter *
ap_web_writer_new(ApEngine *engine);
void
ap_web_writer_free(ApWebWriter *self);
void
ap_web_writer_add(ApWebWriter *self,
		  ApWebRequest *req,
		  ApWebWriteFunc write,
		  ApWebWrittenFunc written,
		  gpointer data,
		  GDestroyNotify data_free);

G_END_DECLS
