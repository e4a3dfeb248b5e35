/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

/*
 * The replay driver: what a fuzz target is linked with when it is not
 * linked with libFuzzer. Every argument is a file or a folder of files;
 * each file is one input, run once, in name order. A broken invariant
 * aborts, which fails the test.
 */

static gint
fuzz_main_cmp(gconstpointer a, gconstpointer b)
{
	return g_strcmp0(*(const gchar *const *)a, *(const gchar *const *)b);
}

static void
fuzz_main_collect(const gchar *path, GPtrArray *files)
{
	g_autoptr(GDir) dir = NULL;
	const gchar *name;

	if (!g_file_test(path, G_FILE_TEST_IS_DIR)) {
		g_ptr_array_add(files, g_strdup(path));
		return;
	}
	dir = g_dir_open(path, 0, NULL);
	if (dir == NULL)
		return;
	while ((name = g_dir_read_name(dir)) != NULL) {
		g_autofree gchar *child = g_build_filename(path, name, NULL);
		if (name[0] != '.')
			fuzz_main_collect(child, files);
	}
}

int
main(int argc, char **argv)
{
	g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(g_free);

	if (argc < 2) {
		g_printerr("usage: %s FILE-OR-FOLDER...\n", argv[0]);
		return 2;
	}
	for (gint i = 1; i < argc; i++) {
		if (!g_file_test(argv[i], G_FILE_TEST_EXISTS)) {
			g_printerr("%s: no such file or folder\n", argv[i]);
			return 1;
		}
		fuzz_main_collect(argv[i], files);
	}
	g_ptr_array_sort(files, fuzz_main_cmp);
	for (guint i = 0; i < files->len; i++) {
		const gchar *path = g_ptr_array_index(files, i);
		g_autofree gchar *data = NULL;
		g_autoptr(GError) error = NULL;
		gsize len = 0;

		if (!g_file_get_contents(path, &data, &len, &error)) {
			g_printerr("%s\n", error->message);
			return 1;
		}
		g_print("%s\n", path);
		/* a copy of exactly @len bytes, so that ASan sees a read past
		 * the end as libFuzzer's own buffers would show it */
		{
			guint8 *copy = g_malloc(MAX(len, 1));
			memcpy(copy, data, len);
			LLVMFuzzerTestOneInput(copy, len);
			g_free(copy);
		}
	}
	g_print("%u inputs replayed\n", files->len);
	if (files->len == 0) {
		g_printerr("no inputs: an empty corpus tests nothing\n");
		return 1;
	}
	return 0;
}
