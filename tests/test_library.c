// SPDX-License-Identifier: GPL-2.0
/*
 * End-to-end tests of the workload library and the generator laws in a
 * run: every workload of workloads/ runs under --check (the slab
 * validators after every quiescent operation) and ends consistent; a
 * workload split by include: gives the same bytes as its flattened form;
 * free_all frees exactly what the generator held; fixed arrivals and
 * bursts allocate exactly as many objects as their timing says; a
 * histogram's sizes reach only their kmalloc caches; free_on other_node
 * sends objects through the alien arrays and same does not.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "e2e_util.h"

static int run_slabsim(const char *workload, const char *dir)
{
	return run("run", workload, "-o", dir, "-q", NULL);
}

/* The number after "key": in summary.json, from the start of from. */
static long long json_num(const char *from, const char *key)
{
	char pat[128];
	const char *p;

	snprintf(pat, sizeof(pat), "\"%s\": ", key);
	p = strstr(from, pat);
	if (!p)
		fail_msg("summary.json has no %s", key);
	return strtoll(p + strlen(pat), NULL, 10);
}

/* A per-cache figure of summary.json's caches list; -1 if no such cache. */
static long long cache_num(const char *summary, const char *cache,
			   const char *key)
{
	char pat[128];
	const char *p;

	snprintf(pat, sizeof(pat), "{\"name\": \"%s\",", cache);
	p = strstr(summary, pat);
	return p ? json_num(p, key) : -1;
}

/* A lock class's acquisitions in summary.json; 0 when never taken. */
static long long lock_acquisitions(const char *summary, const char *cls)
{
	char pat[128];
	const char *p;

	snprintf(pat, sizeof(pat), "\"%s\": {", cls);
	p = strstr(summary, pat);
	return p ? json_num(p, "acquisitions") : 0;
}

static char *summary_of(const char *dir)
{
	char path[512];
	char *s;

	snprintf(path, sizeof(path), "%s/summary.json", dir);
	s = slurp(path, NULL);
	assert_non_null(s);
	return s;
}

static void test_library_under_check(void **state)
{
	static const char *const lib[] = {
		"default", "dentry_inode_churn", "net_producer_consumer",
		"fork_exit", "kmalloc_mix", "numa_alien", "fragmentation",
	};
	char w[512], *s;

	for (size_t i = 0; i < sizeof(lib) / sizeof(lib[0]); i++) {
		snprintf(w, sizeof(w), "%s/workloads/%s.yaml", e2e_src, lib[i]);
		if (run("run", w, "-o", tmp_path(lib[i]), "-q", "--check",
			NULL) != 0)
			fail_msg("%s under --check: %s", lib[i], stderr_text());
		s = summary_of(tmp_path(lib[i]));
		assert_non_null(strstr(s, "\"consistent\": true"));
		assert_non_null(strstr(s, "\"status\": \"ok\""));
		free(s);
	}
}

/*
 * tests/data/include-split/demo.yaml (+ base.yaml) is include-flat/demo.yaml
 * written as one file: the same name and the same lines, so even call sites
 * named FILE:LINE agree.
 */
static void test_include_equals_flattened(void **state)
{
	char a[512], b[512];

	snprintf(a, sizeof(a), "%s/tests/data/include-flat/demo.yaml", e2e_src);
	snprintf(b, sizeof(b), "%s/tests/data/include-split/demo.yaml", e2e_src);
	assert_int_equal(run_slabsim(a, tmp_path("flat")), 0);
	assert_int_equal(run_slabsim(b, tmp_path("split")), 0);
	assert_dirs_identical(tmp_path("flat"), tmp_path("split"));
}

/*
 * 4 bursts of 25 forks (fixed spacing, 10us apart) on each of 2 CPUs;
 * free_all at 12 ms, after the second burst and before the third:
 * exactly 2 x 2 x 25 = 100 freed, 100 still held at the end.
 */
static void test_free_all(void **state)
{
	char *s;

	spit(tmp_path("fa.yaml"),
	     "machine: {cpus: 2}\n"
	     "caches: [{name: c, size: 128}]\n"
	     "generators:\n"
	     "  - {name: g, cache: c, rate: 100000/s, lifetime: until_free_all,\n"
	     "     arrivals: {burst: 25, every: 10ms, spacing: fixed}}\n"
	     "events:\n"
	     "  - {t: 12ms, cpu: 1, free_all: g}\n"
	     "duration: 40ms\n");
	assert_int_equal(run_slabsim(tmp_path("fa.yaml"), tmp_path("fa")), 0);
	s = summary_of(tmp_path("fa"));
	assert_int_equal(cache_num(s, "c", "allocs"), 200);
	assert_int_equal(cache_num(s, "c", "frees"), 100);
	assert_int_equal(cache_num(s, "c", "user_objs"), 100);
	free(s);
}

/* 1000/s fixed for 10 ms from 0: arrivals at 1, 2, ... 9 ms: 9 per CPU. */
static void test_fixed_arrivals(void **state)
{
	char *s;

	spit(tmp_path("fx.yaml"),
	     "machine: {cpus: 3}\n"
	     "generators:\n"
	     "  - {kmalloc: 100, rate: 1000/s, arrivals: fixed,\n"
	     "     lifetime: {fixed: 1s}, until: 10ms}\n"
	     "duration: 20ms\n");
	assert_int_equal(run_slabsim(tmp_path("fx.yaml"), tmp_path("fx")), 0);
	s = summary_of(tmp_path("fx"));
	assert_int_equal(json_num(s, "allocations"), 27);
	assert_int_equal(cache_num(s, "size-128", "allocs"), 27);
	free(s);
}

/* Only the histogram's sizes' caches are used, in about its proportions. */
static void test_histogram_sizes(void **state)
{
	long long a64, a1024, total;
	char *s;

	spit(tmp_path("h.yaml"),
	     "machine: {cpus: 2}\n"
	     "generators:\n"
	     "  - {kmalloc: {sizes: {60: 0.75, 1000: 0.25}}, rate: 200000/s,\n"
	     "     lifetime: {exp: 10us}}\n"
	     "duration: 50ms\n");
	assert_int_equal(run_slabsim(tmp_path("h.yaml"), tmp_path("h")), 0);
	s = summary_of(tmp_path("h"));
	a64 = cache_num(s, "size-64", "allocs");
	a1024 = cache_num(s, "size-1024", "allocs");
	total = json_num(s, "allocations");
	assert_int_equal(a64 + a1024, total);
	assert_int_equal(cache_num(s, "size-128", "allocs"), 0);
	/* about 20000 draws: 0.75 within 5 standard errors (0.015) */
	if (a64 < total * 0.735 || a64 > total * 0.765)
		fail_msg("size-64 took %lld of %lld", a64, total);
	free(s);
}

/*
 * other_node: every free is remote, so each takes an alien array's lock
 * (&nc->lock) once: at least as many acquisitions as frees. same: none
 * of the generator's frees do; the few left are boot's and cache_reap's.
 */
static void test_free_on_modes(void **state)
{
	static const char *const fmt =
		"machine: {nodes: 2, cpus: 4}\n"
		"caches: [{name: c, size: 256}]\n"
		"generators:\n"
		"  - {cache: c, rate: 50000/s, lifetime: {exp: 50us}, free_on: %s}\n"
		"duration: 5ms\n";
	long long same, other, frees, allocs;
	char yaml[512], *s;

	snprintf(yaml, sizeof(yaml), fmt, "same");
	spit(tmp_path("same.yaml"), yaml);
	assert_int_equal(run_slabsim(tmp_path("same.yaml"), tmp_path("same")), 0);
	s = summary_of(tmp_path("same"));
	same = lock_acquisitions(s, "&nc->lock");
	frees = cache_num(s, "c", "frees");
	allocs = cache_num(s, "c", "allocs");
	free(s);

	snprintf(yaml, sizeof(yaml), fmt, "other_node");
	spit(tmp_path("other.yaml"), yaml);
	assert_int_equal(run_slabsim(tmp_path("other.yaml"), tmp_path("other")), 0);
	s = summary_of(tmp_path("other"));
	other = lock_acquisitions(s, "&nc->lock");
	/* the same arrivals and lifetimes: the placement has its own stream */
	assert_int_equal(cache_num(s, "c", "allocs"), allocs);
	assert_true(frees > 500);
	assert_true(other >= cache_num(s, "c", "frees"));
	assert_true(same < frees / 4);
	free(s);
}

/*
 * The bad inputs through the binary: exit 2, one line naming the
 * file (the included one where the mistake is), no run directory.
 */
static void test_bad_input(void **state)
{
	static const struct {
		const char *file, *text, *want;
	} cases[] = {
		{ "sigma.yaml",
		  "generators: [{kmalloc: 64, rate: 10/s, lifetime: {lognormal: [5us, -1]}}]\nduration: 1ms\n",
		  "sigma.yaml:1:68: lognormal sigma '-1' is negative" },
		{ "alpha.yaml",
		  "generators: [{kmalloc: 64, rate: 10/s, lifetime: {pareto: [5us, 1]}}]\nduration: 1ms\n",
		  "alpha.yaml:1:65: pareto alpha '1' gives an infinite mean lifetime" },
		{ "hist.yaml",
		  "generators: [{kmalloc: {sizes: {64: 0.5}}, rate: 10/s, lifetime: {exp: 1us}}]\nduration: 1ms\n",
		  "hist.yaml:1:32: histogram weights sum to 0.5, not 1" },
		{ "cycle.yaml", "include: cycle.yaml\nduration: 1ms\n",
		  "cycle.yaml:1:10: include cycle: " },
		{ "missing.yaml", "duration: 1ms\ninclude: nowhere.yaml\n",
		  "missing.yaml:2:10: include 'nowhere.yaml': cannot open " },
		{ "outer.yaml", "include: inner.yaml\nduration: 1ms\n",
		  "inner.yaml:1:34: bad rate 'fast'" },
	};
	char *err, *p;

	spit(tmp_path("inner.yaml"), "generators: [{kmalloc: 64, rate: fast, lifetime: {exp: 1us}}]\n");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		spit(tmp_path(cases[i].file), cases[i].text);
		assert_int_equal(run_slabsim(tmp_path(cases[i].file),
					     tmp_path("bad-out")), 2);
		assert_false(exists(tmp_path("bad-out")));
		err = stderr_text();
		assert_one_line(err);
		/* messages name files as given: here, under the temporary folder */
		p = strstr(err, cases[i].want);
		if (!p)
			fail_msg("got '%s', want '%s'", err, cases[i].want);
		free(err);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_include_equals_flattened),
		cmocka_unit_test(test_free_all),
		cmocka_unit_test(test_fixed_arrivals),
		cmocka_unit_test(test_histogram_sizes),
		cmocka_unit_test(test_free_on_modes),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_library_under_check),
	};
	int rc;

	if (e2e_setup("library") || !e2e_src) {
		fprintf(stderr, "SLABSIM and SLABSIM_SRC must be set\n");
		return 1;
	}
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	e2e_teardown(rc);
	return rc;
}
