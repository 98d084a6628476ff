/*
 * sim/report/outdir.c on its own: what a marker must say for a directory
 * to be replaceable, temporaries of killed writes, removal that touches
 * nothing unlisted, and installing both with renameat2 and on the path
 * of a file system without it.
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
#include <unistd.h>

#include <cmocka.h>

#include "sim/report/outdir.h"

extern bool outdir_test_no_renameat2;

static char base[256];

static const char *at(const char *name)
{
	static char paths[8][600];
	static int next;
	char *p = paths[next++ % 8];

	snprintf(p, 600, "%s/%s", base, name);
	return p;
}

static void put(const char *name, const char *text)
{
	FILE *f = fopen(at(name), "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static bool there(const char *name)
{
	struct stat st;

	return lstat(at(name), &st) == 0;
}

static bool ok(const char *name, enum outdir_kind kind)
{
	char why[600];

	return outdir_replaceable(at(name), kind, why, sizeof(why));
}

/* A run directory as report_write_run_dir makes it, in dir. */
static void make_run(const char *dir, const char *content)
{
	struct strbuf mk;

	mkdir(at(dir), 0777);
	sb_init(&mk);
	outdir_marker_begin(&mk, OUTDIR_RUN, "w\nx");
	outdir_marker_entry(&mk, "file", "slabinfo");
	outdir_marker_entry(&mk, "file", "summary.json");
	char p[600];
	snprintf(p, sizeof(p), "%s/.slabsim-run", dir);
	put(p, mk.buf);
	sb_free(&mk);
	snprintf(p, sizeof(p), "%s/slabinfo", dir);
	put(p, content);
}

static void test_marker_rules(void **state)
{
	(void)state;
	make_run("r", "one\n");
	assert_true(ok("r", OUTDIR_RUN));
	assert_false(ok("r", OUTDIR_SWEEP));	/* a run is not a sweep */
	/* the workload name cannot break a line of the marker */
	FILE *f = fopen(at("r/.slabsim-run"), "r");
	char line[3][80];
	for (int i = 0; i < 3; i++)
		assert_non_null(fgets(line[i], sizeof(line[i]), f));
	fclose(f);
	assert_string_equal(line[0], "slabsim-run 1\n");
	assert_string_equal(line[2], "workload w?x\n");

	/* a temporary of a listed file (a write killed half way) is ours */
	put("r/summary.json.slabsim-tmp.Ab12Z9", "{");
	assert_true(ok("r", OUTDIR_RUN));
	/* ... but not one of an unlisted file, nor a malformed suffix */
	put("r/notes.slabsim-tmp.Ab12Z9", "n");
	assert_false(ok("r", OUTDIR_RUN));
	unlink(at("r/notes.slabsim-tmp.Ab12Z9"));
	put("r/slabinfo.slabsim-tmp.Ab12", "n");
	assert_false(ok("r", OUTDIR_RUN));
	unlink(at("r/slabinfo.slabsim-tmp.Ab12"));

	/* a line cut short (a full disk while adding it) lists nothing */
	FILE *a = fopen(at("r/.slabsim-run"), "a");
	fputs("file extra", a);
	fclose(a);
	put("r/extra", "e");
	assert_false(ok("r", OUTDIR_RUN));
	unlink(at("r/extra"));

	/* a listed name that is a directory, or a symlink, is not a file */
	mkdir(at("r/slabinfo.d"), 0777);
	assert_false(ok("r", OUTDIR_RUN));
	rmdir(at("r/slabinfo.d"));
	assert_int_equal(symlink("/etc/passwd", at("r/link")), 0);
	assert_false(ok("r", OUTDIR_RUN));
	unlink(at("r/link"));
	assert_true(ok("r", OUTDIR_RUN));

	/* absent with a parent is fine; absent without one is not */
	assert_true(ok("none", OUTDIR_RUN));
	assert_false(ok("none/deeper", OUTDIR_RUN));
}

static void test_remove_touches_nothing_unlisted(void **state)
{
	(void)state;
	make_run("rm", "x\n");
	put("rm/mine.txt", "m");
	outdir_remove(at("rm"), OUTDIR_RUN);
	assert_true(there("rm/mine.txt"));
	assert_true(there("rm/slabinfo"));
	unlink(at("rm/mine.txt"));
	outdir_remove(at("rm"), OUTDIR_RUN);
	assert_false(there("rm"));
}

static void install_cases(void)
{
	char why[600];

	/* onto nothing */
	make_run("new1", "first\n");
	assert_true(outdir_install(at("new1"), at("dst"), OUTDIR_RUN, why,
				   sizeof(why)));
	assert_false(there("new1"));
	/* over a run: the old one goes, whole */
	make_run("new2", "second\n");
	assert_true(outdir_install(at("new2"), at("dst"), OUTDIR_RUN, why,
				   sizeof(why)));
	FILE *f = fopen(at("dst/slabinfo"), "r");
	char buf[32] = "";
	assert_non_null(fgets(buf, sizeof(buf), f));
	fclose(f);
	assert_string_equal(buf, "second\n");
	/* nothing left beside */
	DIR *d = opendir(base);
	struct dirent *e;
	while ((e = readdir(d)))
		assert_null(strstr(e->d_name, ".slabsim-tmp."));
	closedir(d);
	/* over a user's directory: refused, both left as they were */
	mkdir(at("user"), 0777);
	put("user/keep", "k");
	make_run("new3", "third\n");
	assert_false(outdir_install(at("new3"), at("user"), OUTDIR_RUN, why,
				    sizeof(why)));
	assert_true(there("user/keep"));
	assert_true(there("new3/slabinfo"));
	outdir_remove(at("new3"), OUTDIR_RUN);
	unlink(at("user/keep"));
	rmdir(at("user"));
	outdir_remove(at("dst"), OUTDIR_RUN);
	assert_false(there("dst"));
}

static void test_install_with_renameat2(void **state)
{
	(void)state;
	outdir_test_no_renameat2 = false;
	install_cases();
}

static void test_install_without_renameat2(void **state)
{
	(void)state;
	outdir_test_no_renameat2 = true;
	install_cases();
	outdir_test_no_renameat2 = false;
}

/* outdir_mktemp: unique, beside the target, empty, removable as such. */
static void test_mktemp(void **state)
{
	(void)state;
	char *a = outdir_mktemp(at("t"));
	char *b = outdir_mktemp(at("t"));
	assert_non_null(a);
	assert_non_null(b);
	assert_string_not_equal(a, b);
	assert_int_equal(strncmp(a, at("t.slabsim-tmp."), strlen(at("t.slabsim-tmp."))), 0);
	outdir_remove(a, OUTDIR_RUN);	/* empty temporaries go */
	outdir_remove(b, OUTDIR_RUN);
	struct stat st;
	assert_int_not_equal(stat(a, &st), 0);
	assert_int_not_equal(stat(b, &st), 0);
	free(a);
	free(b);
}

int main(void)
{
	snprintf(base, sizeof(base), "/tmp/slabsim-outdir-unit-XXXXXX");
	if (!mkdtemp(base))
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_marker_rules),
		cmocka_unit_test(test_remove_touches_nothing_unlisted),
		cmocka_unit_test(test_install_with_renameat2),
		cmocka_unit_test(test_install_without_renameat2),
		cmocka_unit_test(test_mktemp),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	if (rc == 0) {
		char cmd[400];
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", base);
		if (system(cmd) != 0)
			rc = 1;
	}
	return rc;
}
