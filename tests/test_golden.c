/*
 * Golden regression tests: each tests/golden/NAME.yaml is run and every
 * file of its run directory must equal tests/golden/NAME/FILE byte for
 * byte. The expected files are regenerated only on purpose:
 *
 *   SLABSIM_REGEN_GOLDEN=1 meson test -C build test_golden
 *   (or scripts/regen-golden.sh), then read `git diff tests/golden`.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "e2e_util.h"

static bool regen;

static int run_quiet(const char *workload, const char *out)
{
	return run("run", workload, "-o", out, "-q", "--check", NULL);
}

static void copy_file(const char *from, const char *to)
{
	size_t len;
	char *data = slurp(from, &len);
	FILE *f = fopen(to, "wb");

	assert_non_null(data);
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
	free(data);
}

static void check_golden(const char *name)
{
	char workload[600], out[600], expected[600];

	snprintf(workload, sizeof(workload), "%s/tests/golden/%s.yaml", e2e_src,
		 name);
	snprintf(out, sizeof(out), "%s/%s", e2e_tmp, name);
	snprintf(expected, sizeof(expected), "%s/tests/golden/%s", e2e_src,
		 name);
	assert_int_equal(run_quiet(workload, out), 0);

	char *got[64];
	int ng = list_files(out, got, 64);
	assert_true(ng >= 10);
	if (regen) {
		mkdir(expected, 0777);
		char *old[64];
		int no = list_files(expected, old, 64);
		for (int i = 0; i < no; i++) {
			char p[1300];
			snprintf(p, sizeof(p), "%s/%s", expected, old[i]);
			unlink(p);
			free(old[i]);
		}
		for (int i = 0; i < ng; i++) {
			char a[1300], b[1300];
			snprintf(a, sizeof(a), "%s/%s", out, got[i]);
			snprintf(b, sizeof(b), "%s/%s", expected, got[i]);
			copy_file(a, b);
		}
		fprintf(stderr, "regenerated %s: read git diff tests/golden/%s\n",
			expected, name);
	}
	for (int i = 0; i < ng; i++)
		free(got[i]);
	assert_dirs_identical(expected, out);
}

static void test_golden_mixed(void **state)
{
	(void)state;
	check_golden("mixed");
}

static void test_golden_debug_i386(void **state)
{
	(void)state;
	check_golden("debug_i386");
}

static void test_golden_numa(void **state)
{
	(void)state;
	check_golden("numa");
}

static void test_golden_reap(void **state)
{
	(void)state;
	check_golden("reap");
}

int main(void)
{
	regen = getenv("SLABSIM_REGEN_GOLDEN") &&
		!strcmp(getenv("SLABSIM_REGEN_GOLDEN"), "1");
	if (e2e_setup("golden") || !e2e_src) {
		fprintf(stderr, "SLABSIM and SLABSIM_SRC must be set\n");
		return 1;
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden_mixed),
		cmocka_unit_test(test_golden_debug_i386),
		cmocka_unit_test(test_golden_numa),
		cmocka_unit_test(test_golden_reap),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	e2e_teardown(rc);
	return rc;
}
