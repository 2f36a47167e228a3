/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz-replay.c - run a fuzz target over corpus files, without libFuzzer
 *
 * Linked with one fuzz-*.c target, so that gcc builds replay the committed
 * corpus in `make check`. Arguments are files or directories; with none,
 * $S4N_SRCDIR/tests/corpus/<fuzz_corpus_name> is replayed. Prints TAP.
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <glib.h>

#include "tests/taptest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
extern const char fuzz_corpus_name[];

static void replay_file(const char *path)
{
	gchar *data = NULL;
	gsize len = 0;

	if (!g_file_get_contents(path, &data, &len, NULL)) {
		ok(0, "read %s", path);
		return;
	}
	/* a crash or sanitizer report ends the program: reaching the next
	 * line is the test */
	LLVMFuzzerTestOneInput((const uint8_t *)data, len);
	ok(1, "%s", path);
	g_free(data);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void replay(const char *path)
{
	GPtrArray *names;
	struct dirent *de;
	struct stat st;
	DIR *d;
	guint i;

	if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode)) {
		replay_file(path);
		return;
	}
	d = opendir(path);
	if (!d) {
		ok(0, "open %s", path);
		return;
	}
	names = g_ptr_array_new_with_free_func(g_free);
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			g_ptr_array_add(
			    names, g_build_filename(path, de->d_name, NULL));
	closedir(d);
	qsort(names->pdata, names->len, sizeof(gpointer), by_name);
	for (i = 0; i < names->len; i++)
		replay_file(names->pdata[i]);
	g_ptr_array_free(names, TRUE);
}

int main(int argc, char *argv[])
{
	int i;

	if (argc > 1) {
		for (i = 1; i < argc; i++)
			replay(argv[i]);
	} else {
		const char *src = getenv("S4N_SRCDIR");
		gchar *dir = g_build_filename(src ? src : ".", "tests",
					      "corpus", fuzz_corpus_name, NULL);

		replay(dir);
		g_free(dir);
	}
	ok(tt_n > 0, "corpus is not empty");
	return done_testing();
}
