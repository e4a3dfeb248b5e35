/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApCore"

#include "ap-thread.h"

#include <errno.h>

#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

/**
 * ap_thread_lower_priority:
 * @nice: how much to lower it by, 1 to 19
 *
 * Lowers the priority of the calling thread alone (on Linux, where each
 * thread has a nice value of its own), for work that can wait a moment
 * while the main loop answers requests. Elsewhere it does nothing.
 */
void
ap_thread_lower_priority(gint nice)
{
	g_return_if_fail(nice > 0 && nice < 20);
#ifdef __linux__
	if (setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), nice) != 0)
		g_debug("a thread keeps its priority: %s", g_strerror(errno));
#endif
}
