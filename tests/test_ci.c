/*
 * End-to-end tests of slabsim in CI: expect: in a workload (each kind
 * passing and failing at its boundary, exit codes, a missing figure),
 * expect.json and junit.xml, slabsim diff, the tidy sweep outputs and
 * their naming and order, --version. Bounds are worked out from the run's
 * own summary.json and slabinfo, so each test says why a value passes.
 */
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

/* A run of 25 ms with a slabinfo snapshot at 10 ms; expect: appended. */
static const char base_yaml[] =
	"name: citest\n"
	"seed: 5\n"
	"machine: {cpus: 2, memory: 64MiB}\n"
	"caches:\n"
	"  - {name: inode_cache, size: 344, tune: {limit: 120, batchcount: 8, shared: 0}}\n"
	"events:\n"
	"  - {t: 10ms, slabinfo: true}\n"
	"generators:\n"
	"  - {cache: inode_cache, cpus: [0, 1], rate: 20000/s, lifetime: {exp: 2ms},\n"
	"     free_on: [1, 0], from: 0s, until: 20ms}\n"
	"duration: 25ms\n";

/* The integer after "key": in text, from the first `after` on. */
static long long json_int(const char *text, const char *after, const char *key)
{
	char needle[128];
	const char *p = after ? strstr(text, after) : text;

	assert_non_null(p);
	snprintf(needle, sizeof(needle), "\"%s\": ", key);
	p = strstr(p, needle);
	if (!p)
		fail_msg("no %s in the text", key);
	return strtoll(p + strlen(needle), NULL, 10);
}

/* Column col (0 = first number) of cache's line in slabinfo text. */
static long slabinfo_col(const char *text, const char *cache, int col)
{
	char needle[80];
	snprintf(needle, sizeof(needle), "\n%s ", cache);
	const char *p = strstr(text, needle);
	assert_non_null(p);
	p += strlen(needle);
	char *end;
	long v = 0;
	for (int i = 0; i <= col; i++) {
		v = strtol(p, &end, 10);
		assert_true(end != p);
		p = end;
	}
	return v;
}

static int count(const char *text, const char *what)
{
	int n = 0;
	for (const char *p = text; (p = strstr(p, what)); p++)
		n++;
	return n;
}

/* The base run without expectations, made once: the figures bounds
 * are worked out from. */
static char *base_summary, *base_slabinfo, *base_snap;

static void make_base(void)
{
	if (base_summary)
		return;
	spit(tmp_path("base.yaml"), base_yaml);
	assert_int_equal(run("run", tmp_path("base.yaml"), "-o",
			     tmp_path("base"), "-q", NULL), 0);
	base_summary = slurp(tmp_path("base/summary.json"), NULL);
	base_slabinfo = slurp(tmp_path("base/slabinfo"), NULL);
	base_snap = slurp(tmp_path("base/slabinfo.10000us"), NULL);
	assert_non_null(base_summary);
	assert_non_null(base_slabinfo);
	assert_non_null(base_snap);
	/* No expectation, no expect files. */
	assert_false(exists(tmp_path("base/expect.json")));
	assert_false(exists(tmp_path("base/junit.xml")));
}

/* Run the base workload with these expect: lines into dir; the exit. */
static int run_expect(const char *dir, const char *lines)
{
	char *y = malloc(strlen(base_yaml) + strlen(lines) + 16);
	sprintf(y, "%sexpect:\n%s", base_yaml, lines);
	spit(tmp_path("e.yaml"), y);
	free(y);
	return run("run", tmp_path("e.yaml"), "-o", tmp_path(dir), NULL);
}

/* ---- each kind passes at its boundary and fails just past it ---- */

static void test_expect_kinds(void **state)
{
	(void)state;
	make_base();
	/* Figures of this exact run (same workload, seed and build). */
	long long held = json_int(base_summary, "\"slab\": {", "bytes_held");
	long long fails = json_int(base_summary, "\"page_alloc\": {", "failures");
	long active = slabinfo_col(base_slabinfo, "inode_cache", 0);
	long snap_num = slabinfo_col(base_snap, "inode_cache", 1);
	assert_true(held > 0 && held % 1024 == 0);	/* whole pages */
	assert_true(active > 0);

	char pass[2048], fail[2048];
	/*
	 * Pass: every bound exactly at the figure (bounds are inclusive):
	 * a size in KiB, a duration (the run's 25 ms), text, a slabinfo
	 * column, and at: 10ms reading the snapshot the event took then
	 * (the summary's time_ns at a capture is the capture's time).
	 */
	snprintf(pass, sizeof(pass),
		 "  - {summary: slab.bytes_held, max: %lldKiB, min: %lldKiB}\n"
		 "  - {summary: page_alloc.failures, equal: %lld}\n"
		 "  - {summary: time_ns, equal: 25ms}\n"
		 "  - {summary: status, equal: ok}\n"
		 "  - {slabinfo: inode_cache, field: active_objs, min: %ld, max: %ld}\n"
		 "  - {slabinfo: inode_cache, field: num_objs, equal: %ld, at: 10ms}\n"
		 "  - {summary: time_ns, equal: 10ms, at: 10ms}\n",
		 held / 1024, held / 1024, fails, active, active, snap_num);
	assert_int_equal(run_expect("ep", pass), 0);
	char *out = stdout_text();
	assert_non_null(strstr(out, "expectations: 7 passed, 0 failed"));
	assert_int_equal(count(out, "    PASS  "), 7);
	free(out);
	char *js = slurp(tmp_path("ep/expect.json"), NULL);
	assert_non_null(js);
	assert_int_equal(json_int(js, NULL, "passed"), 7);
	assert_int_equal(json_int(js, NULL, "failed"), 0);
	/* 2MiB-style bounds are kept in bytes, durations in ns. */
	char want[128];
	snprintf(want, sizeof(want), "\"max\": %lld,", held);
	assert_non_null(strstr(js, want));
	assert_non_null(strstr(js, "\"equal\": 25000000,"));
	free(js);
	/* The figures the run wrote are those of the run without expect:. */
	char *s2 = slurp(tmp_path("ep/slabinfo"), NULL);
	assert_string_equal(s2, base_slabinfo);
	free(s2);

	/* Fail: each one step past its boundary, one at a time. */
	const char *fmt[] = {
		"  - {summary: slab.bytes_held, max: %lldKiB}\n",
		"  - {summary: page_alloc.failures, equal: %lld}\n",
		"  - {summary: time_ns, max: 24999999ns}\n",
		"  - {summary: status, equal: kernel_bug}\n",
		"  - {slabinfo: inode_cache, field: active_objs, min: %lld}\n",
		"  - {slabinfo: inode_cache, field: num_objs, max: %lld, at: 10ms}\n",
	};
	const long long arg[] = { held / 1024 - 1, fails + 1, 0, 0, active + 1,
				  snap_num - 1 };
	for (size_t i = 0; i < sizeof(fmt) / sizeof(fmt[0]); i++) {
		snprintf(fail, sizeof(fail), fmt[i], arg[i]);
		assert_int_equal(run_expect("ef", fail), 1);
		out = stdout_text();
		assert_non_null(strstr(out, "expectations: 0 passed, 1 failed"));
		assert_non_null(strstr(out, "    FAIL  "));
		free(out);
		char *x = slurp(tmp_path("ef/junit.xml"), NULL);
		assert_non_null(x);
		assert_int_equal(count(x, "<testcase "), 1);
		assert_int_equal(count(x, "<failure "), 1);
		free(x);
	}
}

/* ---- exit codes, junit.xml, missing figures ---- */

static void test_expect_files_and_exit_codes(void **state)
{
	(void)state;
	make_base();
	/* Two pass, one fails: exit 1, and the directory is written. */
	assert_int_equal(run_expect("ex",
		"  - {summary: locks.contentions, min: 0}\n"
		"  - {summary: allocations, min: 1}\n"
		"  - {summary: status, equal: 'a<b&c'}\n"), 1);
	char *x = slurp(tmp_path("ex/junit.xml"), NULL);
	assert_non_null(x);
	assert_int_equal(strncmp(x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
				 "<testsuites ", 50), 0);
	assert_non_null(strstr(x, "tests=\"3\" failures=\"1\""));
	assert_int_equal(count(x, "<testcase "), 3);
	assert_int_equal(count(x, "<failure "), 1);
	/* markup in a bound is escaped, never raw */
	assert_non_null(strstr(x, "equal a&lt;b&amp;c"));
	assert_null(strstr(x, "a<b"));
	/* elements balance */
	assert_int_equal(count(x, "<testsuite "), count(x, "</testsuite>"));
	assert_int_equal(count(x, "<failure "), count(x, "</failure>"));
	free(x);
	/* -q: with a failure, the verdicts are still printed. */
	assert_int_equal(run("run", tmp_path("e.yaml"), "-o", tmp_path("ex"),
			     "-q", NULL), 1);
	char *out = stdout_text();
	assert_non_null(strstr(out, "FAIL  summary status"));
	free(out);

	/* A figure summary.json does not have: at load time, exit 2. */
	assert_int_equal(run_expect("em", "  - {summary: locks.contentionz, max: 1}\n"), 2);
	char *err = stderr_text();
	assert_one_line(err);
	assert_non_null(strstr(err, "e.yaml:13:15: expect: summary.json has no figure 'locks.contentionz'"));
	free(err);
	assert_false(exists(tmp_path("em")));
	/* Known only after the run (a cache by name): still exit 2 and
	 * nothing written. */
	assert_int_equal(run_expect("em", "  - {summary: caches.nosuch.active_objs, max: 1}\n"), 2);
	err = stderr_text();
	assert_one_line(err);
	assert_non_null(strstr(err, "caches.nosuch.active_objs"));
	free(err);
	assert_false(exists(tmp_path("em")));
	assert_int_equal(run_expect("em", "  - {slabinfo: nosuch, field: active_objs, max: 1}\n"), 2);
	err = stderr_text();
	assert_non_null(strstr(err, "no cache 'nosuch'"));
	free(err);
	assert_int_equal(run_expect("em", "  - {slabinfo: inode_cache, field: objs, max: 1}\n"), 2);
	err = stderr_text();
	assert_non_null(strstr(err, "no column 'objs'"));
	free(err);
	assert_int_equal(run_expect("em", "  - {summary: time_ns, max: 1, at: 30ms}\n"), 2);
	err = stderr_text();
	assert_non_null(strstr(err, "before this at: time"));
	free(err);
	assert_int_equal(run_expect("em", "  - {summary: status, max: 1}\n"), 2);
	assert_int_equal(run_expect("em", "  - {summary: time_ns, max: 1parsec}\n"), 2);
	assert_int_equal(run_expect("em", "  - {summary: time_ns}\n"), 2);
	assert_int_equal(run_expect("em", "  - {summary: time_ns, min: 2, max: 1}\n"), 2);
	assert_int_equal(run_expect("em", "  - {summary: time_ns, slabinfo: x, max: 1}\n"), 2);
	assert_false(exists(tmp_path("em")));
}

/* ---- diff ---- */

static void test_diff(void **state)
{
	(void)state;
	make_base();
	/* The same run again: byte for byte the same, nothing moved. */
	assert_int_equal(run("run", tmp_path("base.yaml"), "-o", tmp_path("again"),
			     "-q", NULL), 0);
	assert_int_equal(run("diff", tmp_path("base"), tmp_path("again"), NULL), 0);
	char *out = stdout_text();
	assert_non_null(strstr(out, "no figure moved beyond 0%"));
	free(out);

	/* A changed tunable: shared 8 instead of 0 changes where objects
	 * park, so the cache figures move. */
	assert_int_equal(run("run", tmp_path("base.yaml"), "-o", tmp_path("tuned"),
			     "-q", "--set", "caches.inode_cache.tune.shared=8",
			     NULL), 0);
	char *a = slurp(tmp_path("base/summary.json"), NULL);
	char *b = slurp(tmp_path("tuned/summary.json"), NULL);
	long long ma = json_int(a, "\"cache_model\"", "accesses") -
		       json_int(a, "\"cache_model\"", "l1_hits");
	long long mb = json_int(b, "\"cache_model\"", "accesses") -
		       json_int(b, "\"cache_model\"", "l1_hits");
	assert_true(ma != mb);
	assert_int_equal(run("diff", tmp_path("base"), tmp_path("tuned"), NULL), 1);
	out = stdout_text();
	char want[200];
	snprintf(want, sizeof(want), "moved:   %lld -> %lld (%s%lld, ", ma, mb,
		 mb > ma ? "+" : "", mb - ma);
	assert_non_null(strstr(out, "l1_misses"));
	assert_non_null(strstr(out, want));
	assert_non_null(strstr(out, "figures moved beyond 0%"));
	free(out);

	/* --tolerance: the change in percent of BASE, exactly at the
	 * boundary (rounded up to a whole percent it is within). */
	long long d = mb > ma ? mb - ma : ma - mb;
	long long pct = (d * 100 + ma - 1) / ma;	/* ceil */
	char tol[32];
	snprintf(tol, sizeof(tol), "%lld", pct);
	assert_int_equal(run("diff", tmp_path("base"), tmp_path("tuned"),
			     "--only", "l1_misses", "--tolerance", tol, NULL), 0);
	out = stdout_text();
	assert_non_null(strstr(out, "within:"));
	free(out);
	if (pct > 1) {
		snprintf(tol, sizeof(tol), "%lld", pct - 1);
		assert_int_equal(run("diff", tmp_path("base"), tmp_path("tuned"),
				     "--only", "l1_misses", "--tolerance", tol,
				     NULL), 1);
	}
	/* --only a figure that did not change: nothing moved. */
	assert_int_equal(json_int(a, NULL, "operations"),
			 json_int(b, NULL, "operations"));
	assert_int_equal(run("diff", tmp_path("base"), tmp_path("tuned"),
			     "--only", "operations,seed", NULL), 0);
	/* Bad input. */
	assert_int_equal(run("diff", tmp_path("base"), tmp_path("tuned"),
			     "--only", "nosuch", NULL), 2);
	char *err = stderr_text();
	assert_one_line(err);
	assert_non_null(strstr(err, "no figure 'nosuch'"));
	free(err);
	assert_int_equal(run("diff", tmp_path("base"), tmp_path("tuned"),
			     "--tolerance", "-1", NULL), 2);
	assert_int_equal(run("diff", tmp_path("base"), NULL), 2);
	assert_int_equal(run("diff", tmp_path("base"), tmp_path("nowhere"), NULL), 2);
	free(a);
	free(b);
}

/* ---- sweeps: names, order, the tidy CSV ---- */

static void test_sweep_tidy(void **state)
{
	(void)state;
	spit(tmp_path("sw.yaml"), base_yaml);
	/* Values given out of order, a duration among them; -o with
	 * parents that do not exist yet. */
	assert_int_equal(run("sweep", tmp_path("sw.yaml"), "--vary",
			     "caches.inode_cache.tune.limit=120,16,32",
			     "--vary", "duration=25ms,20500us", "-o",
			     tmp_path("deep/er/sw"), NULL), 0);
	char *csv = slurp(tmp_path("deep/er/sw/compare.csv"), NULL);
	assert_non_null(csv);
	/* Header: run, the parameters (duration in ns), then figures. */
	assert_int_equal(strncmp(csv, "run,limit,duration_ns,workload,", 31), 0);
	/* One row per point, numeric order: limit 16 < 32 < 120, then
	 * 20.5 ms < 25 ms within each, parameter values as plain numbers. */
	static const char *const rows[] = {
		"limit-16_duration-20500us,16,20500000,",
		"limit-16_duration-25ms,16,25000000,",
		"limit-32_duration-20500us,32,20500000,",
		"limit-32_duration-25ms,32,25000000,",
		"limit-120_duration-20500us,120,20500000,",
		"limit-120_duration-25ms,120,25000000,",
	};
	char *line = strchr(csv, '\n') + 1;
	for (size_t i = 0; i < 6; i++) {
		assert_int_equal(strncmp(line, rows[i], strlen(rows[i])), 0);
		/* each point's directory is there, under its name */
		char dir[200];
		snprintf(dir, sizeof(dir), "deep/er/sw/%.*s/summary.json",
			 (int)strcspn(rows[i], ","), rows[i]);
		assert_true(exists(tmp_path(dir)));
		line = strchr(line, '\n') + 1;
	}
	assert_string_equal(line, "");
	free(csv);
	/* The text table fits 80 columns. */
	char *txt = slurp(tmp_path("deep/er/sw/compare.txt"), NULL);
	for (char *p = txt; *p;) {
		size_t n = strcspn(p, "\n");
		assert_true(n <= 80);
		p += n + (p[n] == '\n');
	}
	free(txt);

	/* A directory that is not a sweep is refused, untouched. */
	mkdir(tmp_path("mine"), 0777);
	spit(tmp_path("mine/notes.txt"), "mine\n");
	assert_int_equal(run("sweep", tmp_path("sw.yaml"), "--vary", "seed=1,2",
			     "-o", tmp_path("mine"), NULL), 2);
	char *err = stderr_text();
	assert_one_line(err);
	assert_non_null(strstr(err, "not a slabsim sweep directory"));
	free(err);
	assert_false(exists(tmp_path("mine/seed-1")));
	/* Its own sweep directory is taken again. */
	assert_int_equal(run("sweep", tmp_path("sw.yaml"), "--vary", "seed=2,1",
			     "-o", tmp_path("deep/er/sw"), NULL), 0);
	char *pts = slurp(tmp_path("deep/er/sw/points.txt"), NULL);
	assert_int_equal(strncmp(pts, "seed-1\t", 7), 0);
	free(pts);
}

static void test_version(void **state)
{
	(void)state;
	assert_int_equal(run("--version", NULL), 0);
	char *out = stdout_text();
	assert_int_equal(strncmp(out, "slabsim ", 8), 0);
	assert_true(out[8] >= '0' && out[8] <= '9');
	assert_one_line(out);
	free(out);
}

int main(void)
{
	if (e2e_setup("ci"))
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_expect_kinds),
		cmocka_unit_test(test_expect_files_and_exit_codes),
		cmocka_unit_test(test_diff),
		cmocka_unit_test(test_sweep_tidy),
		cmocka_unit_test(test_version),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);
	free(base_summary);
	free(base_slabinfo);
	free(base_snap);
	e2e_teardown(failed);
	return failed;
}
