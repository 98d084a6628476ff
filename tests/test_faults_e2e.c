/*
 * End-to-end tests of fault injection (faults: page_alloc, --set
 * faults.page_alloc.*): the real binary, its run directory read back.
 * What a rule fails is worked out by hand from the slab's geometry, on
 * a machine small enough to follow; every workload of the library must
 * survive every 7th page allocation failing with its validators on.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "e2e_util.h"

/* ---- helpers ---- */

/* The number after "key": in text; fails the test if absent. */
static long long json_int(const char *text, const char *key)
{
	char pat[128];
	const char *p;

	snprintf(pat, sizeof(pat), "\"%s\": ", key);
	p = strstr(text, pat);
	if (!p)
		fail_msg("no %s in: %.200s", key, text);
	return strtoll(p + strlen(pat), NULL, 10);
}

/* The faults section of a run's summary.json, or NULL if it has none. */
static char *faults_of(const char *dir, char **whole)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/summary.json", dir);
	*whole = slurp(path, NULL);
	assert_non_null(*whole);
	return strstr(*whole, "\"faults\": {\"page_alloc\": ");
}

/* Counts a run's kernel.log lines containing needle. */
static int log_lines(const char *dir, const char *needle)
{
	char path[512];
	char *log, *p;
	int n = 0;

	snprintf(path, sizeof(path), "%s/kernel.log", dir);
	log = slurp(path, NULL);
	assert_non_null(log);
	for (p = log; (p = strstr(p, needle)); p++)
		n++;
	free(log);
	return n;
}

struct counts {
	long long candidates, injected, alloc_failures;
};

/* Runs workload (a path) into tmp/dir with extra args; exit 0 required. */
static struct counts run_counts(const char *workload, const char *dir,
				const char *a1, const char *a2)
{
	struct counts c;
	char *sum, *f;
	const char *out = tmp_path(dir);
	int rc = a2 ? run("run", workload, "-o", out, "-q", "--check", a1, a2, NULL)
		    : run("run", workload, "-o", out, "-q", "--check", NULL);

	if (rc != 0)
		fail_msg("%s: exit %d: %s", workload, rc, stderr_text());
	f = faults_of(out, &sum);
	assert_non_null(f);
	c.candidates = json_int(f, "candidates");
	c.injected = json_int(f, "injected");
	c.alloc_failures = json_int(sum, "alloc_failures");
	assert_non_null(strstr(sum, "\"consistent\": true"));
	free(sum);
	return c;
}

/*
 * One CPU, one cache of 256-byte objects: on-slab, 15 to a page (x86_64:
 * (4096 - 40 bytes of struct slab - 15 * 4 of bufctls) / 256 = 15), a
 * limit of 120 and a batch of 60, so a refill takes a whole slab. n
 * allocations at 0us, 1us, ...; rule is the faults: line.
 */
static const char *small_workload(const char *name, int n, const char *rule,
				  const char *gfp)
{
	char text[8192];
	size_t o = 0;
	const char *path = tmp_path(name);

	o += (size_t)snprintf(text + o, sizeof(text) - o,
			      "name: %s\nmachine: {cpus: 1}\n"
			      "caches: [{name: c, size: 256}]\n%s\nevents:\n",
			      name, rule);
	for (int i = 0; i < n; i++)
		o += (size_t)snprintf(text + o, sizeof(text) - o,
				      "  - {t: %dus, cpu: 0, alloc: c, as: o%d%s%s}\n",
				      i, i, gfp ? ", gfp: " : "", gfp ? gfp : "");
	spit(path, text);
	return path;
}

/* ---- tests ---- */

/*
 * every: 2 over 31 allocations. Allocation 1 grows the cache (page
 * allocation 1, kept) and the refill takes all 15 objects of that slab;
 * allocations 2-15 come from the CPU's array; allocation 16 grows again
 * (page allocation 2: failed, so allocation 16 fails); allocation 17
 * grows (page allocation 3, kept) and 17-31 use its 15 objects. So: 3
 * candidates, 1 injected, 1 failed allocation, 30 objects in 2 slabs.
 */
static void test_every_hand_checked(void **state)
{
	const char *w = small_workload("every2", 31,
				       "faults: {page_alloc: {every: 2}}", NULL);
	struct counts c = run_counts(w, "every2-run", NULL, NULL);
	char *sum;

	assert_int_equal(c.candidates, 3);
	assert_int_equal(c.injected, 1);
	assert_int_equal(c.alloc_failures, 1);
	faults_of(tmp_path("every2-run"), &sum);
	const char *cache = strstr(sum, "{\"name\": \"c\"");
	assert_non_null(cache);
	assert_int_equal(json_int(cache, "objperslab"), 15);
	assert_int_equal(json_int(cache, "num_objs"), 30);
	assert_int_equal(json_int(cache, "slabs"), 2);
	assert_int_equal(json_int(cache, "failures"), 1);
	/* injected failures are not shortages: no allocation failure report */
	assert_int_equal(json_int(sum, "page_alloc_failures"), 0);
	free(sum);
	/* one forced failure logged, and the closing count */
	assert_int_equal(log_lines(tmp_path("every2-run"),
				   "FAULT_INJECTION: forcing a failure"), 1);
	assert_int_equal(log_lines(tmp_path("every2-run"),
				   "fail_page_alloc failed 1 of 3 candidate"), 1);
}

/*
 * The same 31 allocations, every: 1 (all fail) but only in [15us, 16us):
 * the grows at 0us and 16us are outside it, the one at 15us (allocation
 * 16) is the only candidate.
 */
static void test_window(void **state)
{
	const char *w = small_workload("window", 31,
		"faults: {page_alloc: {every: 1, from: 15us, until: 16us}}", NULL);
	struct counts c = run_counts(w, "window-run", NULL, NULL);

	assert_int_equal(c.candidates, 1);
	assert_int_equal(c.injected, 1);
	assert_int_equal(c.alloc_failures, 1);
}

/*
 * gfp: GFP_ATOMIC picks only allocations with __GFP_HIGH: the default
 * GFP_KERNEL allocations are never candidates; made atomic, all three
 * grows are, and every: 1 fails each (each failed grow leaves the array
 * empty, so every allocation grows: 31 candidates, 31 failures).
 */
static void test_gfp_filter(void **state)
{
	const char *rule = "faults: {page_alloc: {every: 1, gfp: GFP_ATOMIC}}";
	struct counts c;

	c = run_counts(small_workload("kernel", 31, rule, NULL), "kernel-run",
		       NULL, NULL);
	assert_int_equal(c.candidates, 0);
	assert_int_equal(c.injected, 0);
	assert_int_equal(c.alloc_failures, 0);
	c = run_counts(small_workload("atomic", 31, rule, "GFP_ATOMIC"),
		       "atomic-run", NULL, NULL);
	assert_int_equal(c.candidates, 31);
	assert_int_equal(c.injected, 31);
	assert_int_equal(c.alloc_failures, 31);
}

/*
 * Every workload of the library, every 7th page allocation failing
 * (--set, as a user would try it): exit 0, the validators hold, the
 * count follows the rule, and every injected failure failed an
 * allocation of the workload's (the slab never retries a failed grow).
 */
static void test_every_7_on_every_workload(void **state)
{
	char dir[512], *names[64];
	int n;

	snprintf(dir, sizeof(dir), "%s/workloads", e2e_src);
	n = list_files(dir, names, 64);
	assert_true(n >= 3);
	for (int i = 0; i < n; i++) {
		char path[700], out[64];

		if (!strstr(names[i], ".yaml")) {
			free(names[i]);
			continue;
		}
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		snprintf(out, sizeof(out), "lib-%d", i);
		struct counts c = run_counts(path, out, "--set",
					     "faults.page_alloc.every=7");
		/* (a workload of few page allocations may see none fail) */
		if (c.injected != c.candidates / 7 ||
		    (c.candidates >= 7 && c.injected < 1) ||
		    c.alloc_failures < c.injected)
			fail_msg("%s: %lld of %lld candidates injected, %lld allocations failed",
				 names[i], c.injected, c.candidates,
				 c.alloc_failures);
		free(names[i]);
	}
}

/*
 * probability: the same seed gives the same run byte for byte; another
 * seed fails other allocations. Generators make the stream long enough
 * for the two to differ.
 */
static void test_probability_reproducible(void **state)
{
	const char *w = tmp_path("prob.yaml");
	struct counts a, b, c;

	spit(w, "name: prob\nseed: 5\nmachine: {cpus: 2}\n"
		"caches: [{name: c, size: 2000}]\n"
		"faults: {page_alloc: {probability: 0.3}}\n"
		"generators:\n"
		"  - {cache: c, rate: 200/ms, lifetime: {exp: 1ms}}\n"
		"duration: 10ms\n");
	a = run_counts(w, "prob-a", NULL, NULL);
	b = run_counts(w, "prob-b", NULL, NULL);
	assert_dirs_identical(tmp_path("prob-a"), tmp_path("prob-b"));
	assert_int_equal(a.injected, b.injected);
	/* about 30% of the candidates; far from none and from all */
	assert_true(a.candidates >= 50);
	assert_true(a.injected * 10 > a.candidates && a.injected * 2 < a.candidates);
	c = run_counts(w, "prob-c", "--set", "seed=6");
	assert_true(c.injected != a.injected || c.candidates != a.candidates);
}

/* --set every replaces a probability; without a rule there is no key. */
static void test_set_and_absent(void **state)
{
	const char *w = small_workload("set", 31,
		"faults: {page_alloc: {probability: 1}}", NULL);
	struct counts c;
	char *sum;

	c = run_counts(w, "set-prob", NULL, NULL);
	assert_int_equal(c.injected, 31);
	c = run_counts(w, "set-every", "--set", "faults.page_alloc.every=2");
	assert_int_equal(c.candidates, 3);
	assert_int_equal(c.injected, 1);

	w = small_workload("none", 3, "", NULL);
	assert_int_equal(run("run", w, "-o", tmp_path("none-run"), "-q", NULL), 0);
	assert_null(faults_of(tmp_path("none-run"), &sum));
	free(sum);
	assert_int_equal(log_lines(tmp_path("none-run"), "FAULT_INJECTION"), 0);
}

/* Rules that cannot work: one line with file:line:col, exit 2, nothing
 * written. */
static void test_bad_rules(void **state)
{
	static const struct {
		const char *rule, *msg;
	} bad[] = {
		{ "faults: {page_alloc: {every: 2, probability: 0.5}}", "not both" },
		{ "faults: {page_alloc: {from: 1ms}}", "needs every" },
		{ "faults: {page_alloc: {every: 0}}", "bad every '0'" },
		{ "faults: {page_alloc: {every: -3}}", "bad every" },
		{ "faults: {page_alloc: {probability: 1.5}}", "bad probability" },
		{ "faults: {page_alloc: {probability: nan}}", "bad probability" },
		{ "faults: {page_alloc: {probability: 0x1p-1}}", "bad probability" },
		{ "faults: {page_alloc: {every: 1, from: 2ms, until: 1ms}}", "is not before" },
		{ "faults: {page_alloc: {every: 1, gfp: GFP_BOGUS}}", "GFP_BOGUS" },
		{ "faults: {slab: {every: 1}}", "unknown key 'slab' in faults" },
		{ "faults: [1]", "must be" },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *w = small_workload("bad", 1, bad[i].rule, NULL);
		const char *out = tmp_path("bad-run");
		int rc = run("run", w, "-o", out, "-q", NULL);
		char *err = stderr_text();

		/* the rule is on line 4 of the file, and the message says so */
		if (rc != 2 || !strstr(err, bad[i].msg) || !strstr(err, "/bad:4:"))
			fail_msg("%s: exit %d, '%s'", bad[i].rule, rc, err);
		assert_one_line(err);
		assert_false(exists(out));
		free(err);
	}
	/* the same through --set */
	const char *w = small_workload("set-bad", 1, "", NULL);
	assert_int_equal(run("run", w, "-o", tmp_path("set-bad-run"), "-q",
			     "--set", "faults.page_alloc.every=0", NULL), 2);
	assert_int_equal(run("run", w, "-o", tmp_path("set-bad-run"), "-q",
			     "--set", "faults.page_alloc.from=1ms", NULL), 2);
	assert_false(exists(tmp_path("set-bad-run")));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_hand_checked),
		cmocka_unit_test(test_window),
		cmocka_unit_test(test_gfp_filter),
		cmocka_unit_test(test_every_7_on_every_workload),
		cmocka_unit_test(test_probability_reproducible),
		cmocka_unit_test(test_set_and_absent),
		cmocka_unit_test(test_bad_rules),
	};
	int rc;

	if (e2e_setup("faults") || !e2e_src) {
		fprintf(stderr, "SLABSIM and SLABSIM_SRC must be set\n");
		return 1;
	}
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	e2e_teardown(rc);
	return rc;
}
