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

static const char *bin, *src;
static char tmp[256];
static bool regen;

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = malloc((size_t)n + 1);
	size_t got = fread(buf, 1, (size_t)n, f);
	fclose(f);
	buf[got] = '\0';
	*len = got;
	return buf;
}

static int run_quiet(const char *workload, const char *out)
{
	pid_t pid = fork();

	if (pid == 0) {
		execl(bin, bin, "run", workload, "-o", out, "-q", "--check",
		      (char *)NULL);
		_exit(127);
	}
	int status;
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The regular files of dir, sorted; returns the count. */
static int list_files(const char *dir, char **names, int max)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d)) && n < max)
		if (e->d_name[0] != '.')
			names[n++] = strdup(e->d_name);
	closedir(d);
	qsort(names, (size_t)n, sizeof(char *), cmpstr);
	return n;
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

/* The first differing line, for the failure message. */
static void first_difference(const char *a, const char *b, char *msg,
			     size_t len)
{
	int line = 1;
	const char *la = a, *lb = b;

	while (*a && *a == *b) {
		if (*a == '\n') {
			line++;
			la = a + 1;
			lb = b + 1;
		}
		a++;
		b++;
	}
	snprintf(msg, len, "line %d:\n  expected: %.160s\n  got:      %.160s",
		 line, lb, la);
	for (char *p = msg; *p; p++)
		if (p > msg + 20 && *p == '\n' && p[-1] != ':')
			*p = ' ';
}

static void check_golden(const char *name)
{
	char workload[600], out[600], expected[600];

	snprintf(workload, sizeof(workload), "%s/tests/golden/%s.yaml", src, name);
	snprintf(out, sizeof(out), "%s/%s", tmp, name);
	snprintf(expected, sizeof(expected), "%s/tests/golden/%s", src, name);
	assert_int_equal(run_quiet(workload, out), 0);

	char *got[64], *want[64];
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
	int nw = list_files(expected, want, 64);
	if (nw != ng)
		fail_msg("%s: %d files expected, %d written", name, nw, ng);
	for (int i = 0; i < ng; i++) {
		char a[1300], b[1300], msg[600];
		size_t la, lb;

		assert_string_equal(got[i], want[i]);
		snprintf(a, sizeof(a), "%s/%s", out, got[i]);
		snprintf(b, sizeof(b), "%s/%s", expected, want[i]);
		char *ca = slurp(a, &la), *cb = slurp(b, &lb);
		assert_non_null(ca);
		assert_non_null(cb);
		if (la != lb || memcmp(ca, cb, la) != 0) {
			first_difference(ca, cb, msg, sizeof(msg));
			fail_msg("%s/%s differs from the golden file, %s", name,
				 got[i], msg);
		}
		free(ca);
		free(cb);
		free(got[i]);
		free(want[i]);
	}
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

int main(void)
{
	bin = getenv("SLABSIM");
	src = getenv("SLABSIM_SRC");
	regen = getenv("SLABSIM_REGEN_GOLDEN") &&
		!strcmp(getenv("SLABSIM_REGEN_GOLDEN"), "1");
	if (!bin || !src) {
		fprintf(stderr, "SLABSIM and SLABSIM_SRC must be set\n");
		return 1;
	}
	snprintf(tmp, sizeof(tmp), "%s/slabsim-golden-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(tmp)) {
		perror("mkdtemp");
		return 1;
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden_mixed),
		cmocka_unit_test(test_golden_debug_i386),
		cmocka_unit_test(test_golden_numa),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	char cmd[400];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tmp);
	return rc;
}
