/*
 * The workload library as a regression suite: every workloads/NAME.yaml
 * (found when the test runs, so a new workload is picked up without
 * touching the build) is run with its own fixed seed, and every file of
 * its run directory must equal tests/golden/workloads/NAME/FILE byte for
 * byte. A workload with no stored output fails, saying so and how to make
 * it. The expected files are regenerated only on purpose:
 *
 *   scripts/regen-golden.sh   (SLABSIM_REGEN_GOLDEN=1 for this test)
 *
 * then read `git diff tests/golden/workloads` before committing.
 */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "e2e_util.h"

#define MAX_WORKLOADS	256
#define MAX_FILES	256

static bool regen;

static void copy_file(const char *from, const char *to)
{
	size_t len;
	char *data = slurp(from, &len);
	FILE *f = fopen(to, "wb");

	assert_non_null(data);
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	free(data);
}

/* Make expected hold exactly the files of got (no stale leftovers). */
static void store(const char *got, const char *expected)
{
	char *names[MAX_FILES];
	int n;

	mkdir(expected, 0777);
	n = list_files(expected, names, MAX_FILES);
	for (int i = 0; i < n; i++) {
		char p[1300];
		snprintf(p, sizeof(p), "%s/%s", expected, names[i]);
		unlink(p);
		free(names[i]);
	}
	n = list_files(got, names, MAX_FILES);
	for (int i = 0; i < n; i++) {
		char a[1300], b[1300];
		snprintf(a, sizeof(a), "%s/%s", got, names[i]);
		snprintf(b, sizeof(b), "%s/%s", expected, names[i]);
		copy_file(a, b);
		free(names[i]);
	}
	fprintf(stderr, "regenerated %s: read git diff before committing\n",
		expected);
}

static void check_workload(void **state)
{
	const char *name = *state;
	char workload[700], out[700], expected[700];

	snprintf(workload, sizeof(workload), "%s/workloads/%s.yaml", e2e_src,
		 name);
	snprintf(out, sizeof(out), "%s/%s", e2e_tmp, name);
	snprintf(expected, sizeof(expected), "%s/tests/golden/workloads/%s",
		 e2e_src, name);
	int rc = run("run", workload, "-o", out, "-q", NULL);
	if (rc != 0) {
		char *err = stderr_text();
		fail_msg("workloads/%s.yaml: exit %d: %s", name, rc,
			 err ? err : "");
	}
	char *got[MAX_FILES];
	int ng = list_files(out, got, MAX_FILES);
	for (int i = 0; i < ng; i++)
		free(got[i]);
	assert_true(ng >= 10);

	if (regen) {
		char parent[700];
		snprintf(parent, sizeof(parent), "%s/tests/golden/workloads",
			 e2e_src);
		mkdir(parent, 0777);
		store(out, expected);
	}
	struct stat st;
	if (stat(expected, &st) != 0)
		fail_msg("workloads/%s.yaml has no stored output "
			 "(tests/golden/workloads/%s/): run "
			 "scripts/regen-golden.sh, read the new files, commit them",
			 name, name);
	assert_dirs_identical(expected, out);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void)
{
	static char *names[MAX_WORKLOADS];
	static struct CMUnitTest tests[MAX_WORKLOADS];
	char dir[600];
	int n = 0;

	regen = getenv("SLABSIM_REGEN_GOLDEN") &&
		!strcmp(getenv("SLABSIM_REGEN_GOLDEN"), "1");
	if (e2e_setup("regression") || !e2e_src) {
		fprintf(stderr, "SLABSIM and SLABSIM_SRC must be set\n");
		return 1;
	}
	snprintf(dir, sizeof(dir), "%s/workloads", e2e_src);
	DIR *d = opendir(dir);
	if (!d) {
		fprintf(stderr, "%s: %s\n", dir, strerror(errno));
		return 1;
	}
	struct dirent *e;
	while ((e = readdir(d)) && n < MAX_WORKLOADS) {
		size_t len = strlen(e->d_name);
		if (len > 5 && e->d_name[0] != '.' &&
		    !strcmp(e->d_name + len - 5, ".yaml"))
			names[n++] = strndup(e->d_name, len - 5);
	}
	closedir(d);
	if (n == 0) {
		fprintf(stderr, "%s: no workloads\n", dir);
		return 1;
	}
	qsort(names, (size_t)n, sizeof(char *), cmp_names);
	for (int i = 0; i < n; i++)
		tests[i] = (struct CMUnitTest){ .name = names[i],
						.test_func = check_workload,
						.initial_state = names[i] };
	int rc = _cmocka_run_group_tests("regression", tests, (size_t)n,
					 NULL, NULL);
	e2e_teardown(rc);
	for (int i = 0; i < n; i++)
		free(names[i]);
	return rc;
}
