/*
 * End-to-end tests: the real slabsim binary on small workloads.
 * SLABSIM is the binary, SLABSIM_SRC the source tree (set by meson).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "e2e_util.h"

/* ---- workloads ---- */

static const char small_yaml[] =
	"name: small\n"
	"seed: 7\n"
	"machine: {cpus: 2, memory: 64MiB}\n"
	"caches:\n"
	"  - {name: inode_cache, size: 344, flags: [HWCACHE_ALIGN, RECLAIM_ACCOUNT]}\n"
	"events:\n"
	"  - {t: 0us, cpu: 0, alloc: inode_cache, as: i1}\n"
	"  - {t: 1us, cpu: 1, alloc: inode_cache, as: i2}\n"
	"  - {t: 2us, cpu: 0, kmalloc: 100, as: k1}\n"
	"  - {t: 3us, cpu: 1, free: i1}\n"
	"  - {t: 10ms, slabinfo: true}\n"
	"  - {t: 20ms, cpu: 0, kfree: k1}\n"
	"generators:\n"
	"  - {cache: inode_cache, cpus: [0, 1], rate: 50000/s, lifetime: {exp: 100us},\n"
	"     free_on: [1, 0], touch: 64, from: 0s, until: 50ms}\n"
	"sample: 5ms\n"
	"duration: 60ms\n";

/* A machine of 16 CPUs on 4 nodes where every CPU allocates and frees. */
static const char numa16_yaml[] =
	"name: numa16\n"
	"seed: 11\n"
	"machine: {nodes: 4, cpus: 16, memory: 64MiB}\n"
	"caches:\n"
	"  - {name: skbuff_head_cache, size: 180, flags: [HWCACHE_ALIGN]}\n"
	"generators:\n"
	"  - {cache: skbuff_head_cache, cpus: [0, 1, 2, 3, 4, 5, 6, 7], rate: 40000/s,\n"
	"     lifetime: {exp: 30us}, free_on: [8, 9, 10, 11, 12, 13, 14, 15],\n"
	"     touch: 64, from: 0s, until: 20ms}\n"
	"  - {kmalloc: [32, 1024], cpus: [8, 9, 10, 11, 12, 13, 14, 15], rate: 20000/s,\n"
	"     lifetime: {exp: 1ms}, from: 0s, until: 20ms}\n"
	"sample: 5ms\n"
	"duration: 25ms\n";

/* Every kind of workload event, on a debug kernel, two nodes. */
static const char events_yaml[] =
	"name: events\n"
	"seed: 3\n"
	"machine: {nodes: 2, cpus: 4, memory: 64MiB}\n"
	"slab: {debug: true}\n"
	"caches:\n"
	"  - {name: a, size: 100, flags: [HWCACHE_ALIGN], ctor: 50ns}\n"
	"  - {name: b, size: 700}\n"
	"  - {name: late, size: 64, t: 1ms}\n"
	"  - {name: spread, size: 64, flags: [MEM_SPREAD]}\n"
	"events:\n"
	"  - {t: 0us, cpu: 0, alloc: a, as: a1}\n"
	"  - {t: 1us, cpu: 2, alloc_node: a, node: 0, as: a2}\n"
	"  - {t: 2us, cpu: 1, zalloc: b, as: b1}\n"
	"  - {t: 3us, cpu: 3, kmalloc_node: 300, node: 0, as: k1}\n"
	"  - {t: 4us, cpu: 0, touch: a1, bytes: 100}\n"
	"  - {t: 5us, mempolicy: {cpu: 1, policy: interleave, nodes: [0, 1]}}\n"
	"  - {t: 6us, cpu: 1, alloc: b, as: b2}\n"
	"  - {t: 7us, cpu: 1, alloc: b, as: b3}\n"
	"  - {t: 8us, cpu: 1, alloc: b, as: b4}\n"
	"  - {t: 9us, cpu: 1, alloc: b, as: b5}\n"
	"  - {t: 10us, mempolicy: {cpu: 0, policy: default, spread_slab: true}}\n"
	"  - {t: 11us, cpu: 0, alloc: spread, as: s1}\n"
	"  - {t: 12us, cpu: 0, alloc: spread, as: s2}\n"
	"  - {t: 13us, cpu: 0, alloc: spread, as: s3}\n"
	"  - {t: 14us, cpu: 0, alloc: spread, as: s4}\n"
	"  - {t: 15us, cpu: 0, alloc: a, as: a3}\n"
	"  - {t: 2ms, cpu: 0, alloc: late, as: l1}\n"
	"  - {t: 3ms, tune: {cache: a, limit: 8, batchcount: 4, shared: 2}}\n"
	"  - {t: 4ms, cpu_down: 3}\n"
	"  - {t: 5ms, cpu: 0, free: a2}\n"
	"  - {t: 6ms, cpu_up: 3}\n"
	"  - {t: 7ms, cpu: 3, free: l1}\n"
	"  - {t: 8ms, cpu: 0, destroy: late}\n"
	"  - {t: 9ms, cpu: 0, shrink: a}\n"
	"  - {t: 10ms, slabinfo: true}\n"
	"  - {t: 11ms, cpu: 2, kfree: k1}\n"
	"  - {t: 12ms, cpu: 0, free: b1}\n";

/* ---- tests ---- */

/*
 * Same workload, same seed, same build: byte-identical run directories.
 * The first run validates the slab after every quiescent operation
 * (--check), which must change nothing of what is written.
 */
/*
 * A run with --check and one without differ only in summary.json's
 * "check" line (what was validated, and how often); with that line set
 * aside they must be identical, byte for byte: validating never perturbs
 * the simulation. Returns after removing the line from both, having
 * checked that the --check run (dir_checked) validated more than once.
 */
static void set_check_line_aside(const char *dir_checked, const char *dir_plain)
{
	const char *dirs[2] = { dir_checked, dir_plain };

	for (int i = 0; i < 2; i++) {
		char path[600];
		snprintf(path, sizeof(path), "%s/summary.json", dirs[i]);
		char *sum = slurp(path, NULL);
		assert_non_null(sum);
		char *line = strstr(sum, "\n  \"check\": {\"validations\": ");
		assert_non_null(line);
		char *end = strchr(line + 1, '\n');
		assert_non_null(end);
		long n = strtol(line + strlen("\n  \"check\": {\"validations\": "),
				NULL, 10);
		if (i == 0)
			assert_true(n > 1);
		else
			assert_int_equal(n, 1);
		memmove(line, end, strlen(end) + 1);
		spit(path, sum);
		free(sum);
	}
}

static void test_small_runs_are_identical(void **state)
{
	(void)state;
	char *w = tmp_path("small.yaml");
	spit(w, small_yaml);
	assert_int_equal(run("run", w, "-o", tmp_path("a"), "-q", "--check",
			     NULL), 0);
	assert_int_equal(run("run", w, "-o", tmp_path("b"), "-q", NULL), 0);
	set_check_line_aside(tmp_path("a"), tmp_path("b"));
	assert_dirs_identical(tmp_path("a"), tmp_path("b"));

	/* The run really did something, and the core stayed consistent. */
	char *sum = slurp(tmp_path("a/summary.json"), NULL);
	assert_non_null(sum);
	assert_non_null(strstr(sum, "\"status\": \"ok\""));
	assert_non_null(strstr(sum, "\"consistent\": true"));
	assert_null(strstr(sum, "\"allocations\": 0,"));
	free(sum);
	char *si = slurp(tmp_path("a/slabinfo"), NULL);
	assert_non_null(strstr(si, "slabinfo - version: 2.1 (statistics)"));
	assert_non_null(strstr(si, "inode_cache"));
	assert_non_null(strstr(si, "size-128"));
	free(si);
	assert_true(exists(tmp_path("a/slabinfo.10000us")));
}

static void test_numa16_is_deterministic(void **state)
{
	(void)state;
	char *w = tmp_path("numa16.yaml");
	spit(w, numa16_yaml);
	assert_int_equal(run("run", w, "-o", tmp_path("n1"), "-q", "--check",
			     NULL), 0);
	assert_int_equal(run("run", w, "-o", tmp_path("n2"), "-q", NULL), 0);
	set_check_line_aside(tmp_path("n1"), tmp_path("n2"));
	assert_dirs_identical(tmp_path("n1"), tmp_path("n2"));
	/* A different seed gives a different run. */
	assert_int_equal(run("run", w, "-o", tmp_path("n3"), "-q", "--seed", "12",
			     NULL), 0);
	char *a = slurp(tmp_path("n1/summary.json"), NULL);
	char *b = slurp(tmp_path("n3/summary.json"), NULL);
	assert_string_not_equal(a, b);
	free(a);
	free(b);
}

/* Replacing an existing run directory is all or nothing. */
static void test_bad_input_leaves_no_output(void **state)
{
	(void)state;
	char *w = tmp_path("syntax.yaml");
	spit(w, "name: x\nmachine: {cpus: 2\n");
	assert_int_equal(run("run", w, "-o", tmp_path("bad"), NULL), 2);
	char *err = stderr_text();
	/* one line, naming the file, a line and a column */
	assert_non_null(strstr(err, "syntax.yaml:"));
	assert_int_equal(strchr(err, '\n') - err + 1, (long)strlen(err));
	free(err);
	assert_false(exists(tmp_path("bad")));

	w = tmp_path("unknown.yaml");
	spit(w, "name: x\nmachine:\n  cpuz: 2\n");
	assert_int_equal(run("run", w, "-o", tmp_path("bad"), NULL), 2);
	err = stderr_text();
	assert_non_null(strstr(err, "unknown.yaml:3:3:"));
	assert_non_null(strstr(err, "cpuz"));
	free(err);
	assert_false(exists(tmp_path("bad")));

	w = tmp_path("nofree.yaml");
	spit(w, "name: x\ncaches:\n  - {name: c, size: 64}\nevents:\n"
		"  - {t: 0us, free: ghost}\n");
	assert_int_equal(run("run", w, "-o", tmp_path("bad"), NULL), 2);
	err = stderr_text();
	assert_non_null(strstr(err, "nofree.yaml:5:"));
	assert_non_null(strstr(err, "ghost"));
	free(err);

	assert_int_equal(run("run", tmp_path("missing.yaml"), "-o",
			     tmp_path("bad"), NULL), 2);

	/* a directory that is not a run is never replaced */
	spit(tmp_path("small.yaml"), small_yaml);
	mkdir(tmp_path("mine"), 0777);
	spit(tmp_path("mine/notes.txt"), "precious\n");
	assert_int_equal(run("run", tmp_path("small.yaml"), "-o",
			     tmp_path("mine"), NULL), 2);
	err = stderr_text();
	assert_one_line(err);
	assert_non_null(strstr(err, "not a slabsim run directory"));
	free(err);
	char *kept = slurp(tmp_path("mine/notes.txt"), NULL);
	assert_string_equal(kept, "precious\n");
	free(kept);
	/* while a run directory (plots and all) is replaced as a whole */
	assert_int_equal(run("run", tmp_path("small.yaml"), "-o",
			     tmp_path("again"), "-q", NULL), 0);
	/* (plots/x.png listed in the marker, as slabsim plot does) */
	mkdir(tmp_path("again/plots"), 0777);
	spit(tmp_path("again/plots/x.png"), "png");
	FILE *mk = fopen(tmp_path("again/.slabsim-run"), "a");
	assert_non_null(mk);
	fputs("dir plots\nfile plots/x.png\n", mk);
	fclose(mk);
	assert_int_equal(run("run", tmp_path("small.yaml"), "-o",
			     tmp_path("again"), "-q", NULL), 0);
	assert_false(exists(tmp_path("again/plots")));
	assert_int_equal(run("frobnicate", NULL), 2);
}

/*
 * One CPU is a uniprocessor build by default (no shared arrays, as a UP
 * kernel's /proc/slabinfo shows); machine.smp makes it the SMP build a
 * NUMA kernel always is, with enable_cpucache's shared 8. Two CPUs are
 * SMP either way.
 */
static void test_machine_smp_on_one_cpu(void **state)
{
	(void)state;
	char w[600];
	snprintf(w, sizeof(w), "%s", tmp_path("up.yaml"));
	spit(w, "name: up\nmachine: {cpus: 1, memory: 64MiB}\n"
		"caches:\n  - {name: c, size: 64}\n"
		"events:\n  - {t: 0us, cpu: 0, alloc: c, as: x}\n");
	const char *sets[][2] = {
		{ "machine.smp=false", ": tunables  120   60    0 :" },
		{ "machine.smp=true", ": tunables  120   60    8 :" },
	};
	for (int i = 0; i < 2; i++) {
		assert_int_equal(run("run", w, "-o", tmp_path("up"), "-q",
				     "--set", sets[i][0], NULL), 0);
		char *si = slurp(tmp_path("up/slabinfo"), NULL);
		char *line = strstr(si, "\nc ");
		assert_non_null(line);
		*strchr(line + 1, '\n') = '\0';
		if (!strstr(line, sets[i][1]))
			fail_msg("%s: %s", sets[i][0], line + 1);
		free(si);
	}
	assert_int_equal(run("run", w, "-o", tmp_path("up"), "-q", "--set",
			     "machine.cpus=2", NULL), 0);
	char *si = slurp(tmp_path("up/slabinfo"), NULL);
	assert_non_null(strstr(si, ": tunables  120   60    8 :"));
	free(si);
}

/* A double free is a result: the debug kernel reports it, the tool lives. */
static void test_double_free_is_reported_not_fatal(void **state)
{
	(void)state;
	char *w = tmp_path("dfree.yaml");
	spit(w, "name: dfree\nslab: {debug: true}\n"
		"caches:\n  - {name: c, size: 64}\n"
		"events:\n"
		"  - {t: 0us, alloc: c, as: x}\n"
		"  - {t: 1us, free: x}\n"
		"  - {t: 2us, free: x}\n"
		"  - {t: 3us, alloc: c, as: y}\n");
	int rc = run("run", w, "-o", tmp_path("df"), "-q", NULL);
	assert_true(rc == 0 || rc == 3);
	char *log = slurp(tmp_path("df/kernel.log"), NULL);
	assert_non_null(log);
	assert_non_null(strstr(log, "double free"));
	free(log);
	char *sum = slurp(tmp_path("df/summary.json"), NULL);
	assert_non_null(strstr(sum, "\"double_frees\": 1"));
	free(sum);
}

/* The slabinfo line of cache name in text, or NULL. */
static const char *slab_line(const char *text, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : p)
		if (!strncmp(p, name, n) && p[n] == ' ')
			return p;
	return NULL;
}

/*
 * alloc_node, zalloc, kmalloc_node, touch, mempolicy, a cache created
 * late, tune, cpu down and up, destroy, shrink: each does what the kernel
 * does, and --check finds the slab consistent after every operation.
 */
static void test_every_event_kind(void **state)
{
	(void)state;
	char *w = tmp_path("events.yaml");
	spit(w, events_yaml);
	assert_int_equal(run("run", w, "-o", tmp_path("ev"), "-q", "--check",
			     NULL), 0);
	char *snap = slurp(tmp_path("ev/slabinfo.10000us"), NULL);
	assert_non_null(snap);
	/* destroyed at 8ms: gone from the chain */
	assert_null(slab_line(snap, "late"));
	/* tuned at 3ms */
	const char *a = slab_line(snap, "a");
	assert_non_null(a);
	assert_non_null(strstr(a, ": tunables    8    4    2 :"));
	/*
	 * globalstat's 7th number is nodeallocs: cpu 2 (node 1) asked for an
	 * object of a on node 0: __cache_alloc_node, once.
	 */
	unsigned long v[9];
	const char *g = strstr(a, "globalstat");
	assert_non_null(g);
	assert_int_equal(sscanf(g, "globalstat %lu %lu %lu %lu %lu %lu %lu %lu %lu",
				&v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6],
				&v[7], &v[8]), 9);
	assert_int_equal(v[6], 1);
	/* cpu 1 interleaves over nodes 0 and 1: b4 allocations alternate,
	 * so some land off node 0 through __cache_alloc_node */
	g = strstr(slab_line(snap, "b"), "globalstat");
	assert_int_equal(sscanf(g, "globalstat %lu %lu %lu %lu %lu %lu %lu",
				&v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6]), 7);
	assert_true(v[6] >= 1);
	/*
	 * cpu 0's cpuset spreads slab memory: the MEM_SPREAD cache's objects
	 * rotate over nodes 1, 0, 1, 0 (cpuset_mem_spread_node), so two of
	 * the four come from node 1 through __cache_alloc_node; cache a has
	 * no MEM_SPREAD and stayed at its one node allocation (a2) above.
	 */
	g = strstr(slab_line(snap, "spread"), "globalstat");
	assert_int_equal(sscanf(g, "globalstat %lu %lu %lu %lu %lu %lu %lu",
				&v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6]), 7);
	assert_int_equal(v[6], 2);
	/* debug geometry: 700 bytes + red zones + user word, word aligned */
	assert_non_null(strstr(slab_line(snap, "b"), "    728 "));
	free(snap);
	char *log = slurp(tmp_path("ev/kernel.log"), NULL);
	assert_null(strstr(log, "BUG"));
	assert_null(strstr(log, "error"));
	free(log);
}

/* geometry prints what kmem_cache_create decides. */
static void test_geometry_command(void **state)
{
	(void)state;
	/*
	 * x86_64, line 64, size 152, HWCACHE_ALIGN: 152 > 64/2, so align 64
	 * and the buffer is ALIGN(152, 64) = 192. On-slab, order 0:
	 * n = (4096 - 48) / (192 + 4) = 20; mgmt ALIGN(48 + 80, 64) = 128;
	 * 128 + 20 * 192 = 3968 <= 4096, left over 128: 2 colours of 64.
	 * 192 <= 256: limit 120, batchcount 60; one CPU: shared 0.
	 */
	assert_int_equal(run("geometry", "--size", "152", "--flags",
			     "HWCACHE_ALIGN", NULL), 0);
	char *out = slurp(tmp_path("out.txt"), NULL);
	assert_non_null(strstr(out, "objsize          192"));
	assert_non_null(strstr(out, "objperslab       20"));
	assert_non_null(strstr(out, "pagesperslab     1 (order 0)"));
	assert_non_null(strstr(out, "management       on-slab"));
	assert_non_null(strstr(out, "colours          2 x 64"));
	assert_non_null(strstr(out, "left-over        128"));
	assert_non_null(strstr(out, "limit 120 batchcount 60 shared 0"));
	free(out);
	assert_int_equal(run("geometry", "--size", "0", NULL), 2);
	assert_int_equal(run("geometry", NULL), 2);
}

int main(void)
{
	if (e2e_setup("e2e"))
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_small_runs_are_identical),
		cmocka_unit_test(test_numa16_is_deterministic),
		cmocka_unit_test(test_bad_input_leaves_no_output),
		cmocka_unit_test(test_double_free_is_reported_not_fatal),
		cmocka_unit_test(test_machine_smp_on_one_cpu),
		cmocka_unit_test(test_geometry_command),
		cmocka_unit_test(test_every_event_kind),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	e2e_teardown(rc);
	return rc;
}
