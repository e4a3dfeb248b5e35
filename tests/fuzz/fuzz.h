/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <stdint.h>
#include <string.h>

G_BEGIN_DECLS

/* the entry point of every target, libFuzzer's or fuzz-main.c's */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* once a process: criticals (g_return_if_fail) crash too, as the tests'
 * G_DEBUG=fatal-criticals makes them */
static inline void
fuzz_init(void)
{
	static gsize once = 0;

	if (g_once_init_enter(&once)) {
		g_log_set_always_fatal(G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
		g_setenv("TZ", "UTC", TRUE);
		g_once_init_leave(&once, 1);
	}
}

/**
 * FuzzReader:
 *
 * Takes numbers and strings off the front of an input; past its end every
 * number is 0 and every string empty, so any input is a whole case.
 */
typedef struct {
	const guint8 *data;
	gsize size;
} FuzzReader;

static inline guint8
fuzz_u8(FuzzReader *r)
{
	guint8 v;

	if (r->size == 0)
		return 0;
	v = r->data[0];
	r->data++;
	r->size--;
	return v;
}

static inline guint16
fuzz_u16(FuzzReader *r)
{
	guint16 hi = fuzz_u8(r);
	return (guint16)(hi << 8 | fuzz_u8(r));
}

static inline guint32
fuzz_u32(FuzzReader *r)
{
	guint32 hi = fuzz_u16(r);
	return hi << 16 | fuzz_u16(r);
}

/* a number in [0, n) */
static inline guint
fuzz_pick(FuzzReader *r, guint n)
{
	return n == 0 ? 0 : fuzz_u16(r) % n;
}

/* the bytes up to the next NUL (or the end), as a new string */
static inline gchar *
fuzz_string(FuzzReader *r)
{
	const guint8 *nul;
	gsize len;
	gchar *text;

	if (r->size == 0)
		return g_strdup("");
	nul = memchr(r->data, '\0', r->size);
	len = nul != NULL ? (gsize)(nul - r->data) : r->size;
	text = g_strndup((const gchar *)r->data, len);
	r->data += len;
	r->size -= len;
	if (nul != NULL) {
		r->data++;
		r->size--;
	}
	return text;
}

G_END_DECLS
