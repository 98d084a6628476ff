// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the loader's generator laws, the free_all event and include:
 * (sim/workload/generators.c, sim/workload/include.c): every new key lands in its field, each
 * impossible law and each include mistake is one exact message at its
 * file:line:col, and include: merges with the includer winning.
 *
 * Column numbers in expected messages are counted by hand on the YAML
 * text next to them: 1-based, first character of the offending node.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "sim/workload.h"

static char err[1024];

/* The header and every event (the runner streams them); false: wl freed. */
static bool load(const char *yaml, struct workload *wl)
{
	memset(err, 0, sizeof(err));
	if (!workload_load_string("w.yaml", yaml, wl, err, sizeof(err)))
		return false;
	if (workload_read_all(wl, err, sizeof(err)))
		return true;
	workload_free(wl);
	return false;
}

static void refuse(const char *yaml, const char *msg)
{
	struct workload wl;

	if (load(yaml, &wl)) {
		workload_free(&wl);
		fail_msg("accepted:\n%s", yaml);
	}
	assert_string_equal(err, msg);
	assert_null(wl.generators);
}

#define HEAD "machine: {nodes: 2, cpus: 4}\nduration: 10ms\n"

/* Every new generator key, into its field. */
static void test_fields(void **state)
{
	struct workload wl;
	const struct wl_generator *g;

	if (!load(HEAD
		  "caches: [{name: c, size: 100}]\n"
		  "generators:\n"
		  "  - {name: g0, cache: c, rate: 1000/s, lifetime: until_free_all,\n"
		  "     arrivals: {burst: 32, every: 1ms}, alloc_node: 1}\n"
		  "  - {kmalloc: {sizes: {64: 0.4, 192: 0.3, 1000: 0.2, 4000: 0.1}},\n"
		  "     rate: 1000/s, lifetime: {lognormal: [50us, 1.25]},\n"
		  "     free_on: other_node, touch_free: 48, arrivals: fixed}\n"
		  "  - {kmalloc: 64, rate: 1000/s, lifetime: {pareto: [10us, 2.5]},\n"
		  "     arrivals: {on: 2ms, off: 8ms, spacing: fixed}, free_on: any,\n"
		  "     alloc_node: [1, 0]}\n"
		  "  - {kmalloc: 64, rate: 1000/s, lifetime: {exp: 1ms}, free_on: same}\n"
		  "events:\n"
		  "  - {t: 5ms, cpu: 3, free_all: g0}\n", &wl))
		fail_msg("%s", err);
	assert_int_equal(wl.nr_generators, 4);
	g = &wl.generators[0];
	assert_string_equal(g->name, "g0");
	assert_int_equal(g->lifetime, WL_DIST_HELD);
	assert_int_equal(g->arrivals, WL_ARR_BURST);
	assert_int_equal(g->burst_count, 32);
	assert_int_equal(g->burst_every, 1000000);
	assert_false(g->spacing_fixed);
	assert_int_equal(g->nr_alloc_nodes, 1);
	assert_int_equal(g->alloc_nodes[0], 1);
	g = &wl.generators[1];
	assert_int_equal(g->nr_sizes, 4);
	assert_int_equal(g->sizes[2], 1000);
	assert_int_equal(g->size_cum[0], 400000000);
	assert_int_equal(g->size_cum[3], 1000000000);
	assert_int_equal(g->kmalloc_min, 64);
	assert_int_equal(g->kmalloc_max, 4000);
	assert_int_equal(g->lifetime, WL_DIST_LOGNORMAL);
	assert_int_equal(g->lifetime_a, 50000);
	assert_true(g->lifetime_sigma == 1.25);
	assert_int_equal(g->free_mode, WL_FREE_OTHER_NODE);
	assert_int_equal(g->touch_free, 48);
	assert_int_equal(g->arrivals, WL_ARR_FIXED);
	g = &wl.generators[2];
	assert_int_equal(g->lifetime, WL_DIST_PARETO);
	assert_int_equal(g->lifetime_a, 10000);
	assert_true(g->lifetime_alpha == 2.5);
	assert_int_equal(g->arrivals, WL_ARR_ONOFF);
	assert_int_equal(g->on, 2000000);
	assert_int_equal(g->off, 8000000);
	assert_true(g->spacing_fixed);
	assert_int_equal(g->free_mode, WL_FREE_ANY);
	assert_int_equal(g->nr_alloc_nodes, 2);
	assert_int_equal(g->alloc_nodes[0], 1);
	assert_int_equal(wl.generators[3].free_mode, WL_FREE_SAME);
	assert_int_equal(wl.generators[3].arrivals, WL_ARR_POISSON);
	assert_int_equal(wl.nr_events, 1);
	assert_int_equal(wl.events[0].op, WL_FREE_ALL);
	assert_int_equal(wl.events[0].gen, 0);
	assert_int_equal(wl.events[0].cpu, 3);
	workload_free(&wl);
}

#define GEN(x) HEAD "generators:\n  - {kmalloc: 64, rate: 1000/s, " x "}\n"

/* The impossible laws of the issue, and their neighbours. */
static void test_bad_laws(void **state)
{
	/* each column checked against the text: the offending node's first character */
	refuse(GEN("lifetime: {lognormal: [50us, -1.2]}"),
	       "w.yaml:4:62: lognormal sigma '-1.2' is negative");
	refuse(GEN("lifetime: {pareto: [10us, 1]}"),
	       "w.yaml:4:59: pareto alpha '1' gives an infinite mean lifetime (the mean, SCALE * alpha / (alpha - 1), needs alpha > 1)");
	refuse(GEN("lifetime: {pareto: [10us, 0.9]}"),
	       "w.yaml:4:59: pareto alpha '0.9' gives an infinite mean lifetime (the mean, SCALE * alpha / (alpha - 1), needs alpha > 1)");
	refuse(GEN("lifetime: {pareto: [0ns, 2]}"),
	       "w.yaml:4:53: pareto scale must be above 0");
	refuse(GEN("lifetime: {lognormal: [50us, 1e3]}"),
	       "w.yaml:4:62: bad lognormal sigma '1e3' (expected a decimal number like 1.5)");
	refuse(GEN("lifetime: {lognormal: [50us]}"),
	       "w.yaml:4:55: lognormal takes a pair [MEDIAN, SIGMA]");
	refuse(GEN("lifetime: forever"),
	       "w.yaml:4:43: bad lifetime 'forever' (expected until_free_all, {exp: DUR}, {fixed: DUR}, {uniform: [DUR, DUR]}, {lognormal: [MEDIAN, SIGMA]} or {pareto: [SCALE, ALPHA]})");
	refuse(GEN("lifetime: until_free_all"),
	       "w.yaml:4:5: a generator with lifetime until_free_all needs a name: (for its free_all event)");
	refuse(GEN("name: h, lifetime: until_free_all, free_on: [1]"),
	       "w.yaml:4:68: free_on does not apply to lifetime until_free_all (the free_all event's cpu: frees the objects)");
}

#define HIST(x) HEAD "generators:\n  - {kmalloc: {sizes: " x "}, rate: 1000/s, lifetime: {exp: 1ms}}\n"

static void test_bad_histograms(void **state)
{
	refuse(HIST("{64: 0.5, 128: 0.4}"),
	       "w.yaml:4:23: histogram weights sum to 0.9, not 1 (within 0.001)");
	refuse(HIST("{64: 0.6, 128: 0.5}"),
	       "w.yaml:4:23: histogram weights sum to 1.1, not 1 (within 0.001)");
	refuse(HIST("{64: 1.2, 128: -0.2}"),
	       "w.yaml:4:28: histogram weight '1.2' is above 1 (weights are fractions of the allocations)");
	refuse(HIST("{64: 0.8, 128: -0.2, 256: 0.4}"),
	       "w.yaml:4:38: histogram weight '-0.2' is negative");
	refuse(HIST("{64: 0.5, 64: 0.5}"),
	       "w.yaml:4:33: histogram size 64 is listed twice");
	refuse(HIST("{0: 1}"),
	       "w.yaml:4:24: histogram size '0' is out of range (1..131072 bytes)");
	refuse(HIST("{}"),
	       "w.yaml:4:23: histogram sizes: {} is empty (give SIZE: WEIGHT pairs)");
	{
		/* three thirds of 0.333: within the slack, and drawn as given */
		struct workload wl;

		if (!load(HIST("{64: 0.333, 128: 0.333, 256: 0.333}"), &wl))
			fail_msg("%s", err);
		assert_int_equal(wl.generators[0].size_cum[2], 999000000);
		workload_free(&wl);
	}
}

static void test_bad_arrivals_placement(void **state)
{
	refuse(GEN("lifetime: {exp: 1ms}, arrivals: {on: 1ms}"),
	       "w.yaml:4:65: arrivals needs both on: and off:");
	refuse(GEN("lifetime: {exp: 1ms}, arrivals: {on: 1ms, off: 1ms, burst: 3, every: 1ms}"),
	       "w.yaml:4:65: arrivals takes on: and off:, or burst: and every:, not both");
	refuse(GEN("lifetime: {exp: 1ms}, arrivals: {burst: 3, every: 0ms}"),
	       "w.yaml:4:83: bursts every 0 never end (every: must be above 0)");
	refuse(GEN("lifetime: {exp: 1ms}, arrivals: sometimes"),
	       "w.yaml:4:65: bad arrivals 'sometimes' (expected poisson, fixed, {on: DUR, off: DUR} or {burst: N, every: DUR})");
	refuse(GEN("lifetime: {exp: 1ms}, free_on: elsewhere"),
	       "w.yaml:4:64: bad free_on 'elsewhere' (expected a list of CPUs, same, other_node or any)");
	refuse(GEN("lifetime: {exp: 1ms}, alloc_node: 2"),
	       "w.yaml:4:5: generator alloc_node 2 is out of range (the machine has 2 nodes)");
	refuse(GEN("lifetime: {exp: 1ms}, alloc_node: [0, 0]"),
	       "w.yaml:4:71: node 0 is listed twice in alloc_node");
	refuse("machine: {cpus: 2}\nduration: 1ms\n"
	       "generators:\n  - {kmalloc: 64, rate: 1000/s, lifetime: {exp: 1ms}, free_on: other_node}\n",
	       "w.yaml:4:5: generator free_on: other_node needs a machine of 2 or more nodes (it has 1)");
	refuse(HEAD "generators:\n  - {name: a, kmalloc: 64, rate: 1000/s, lifetime: {exp: 1ms}}\n"
	       "  - {name: a, kmalloc: 64, rate: 1000/s, lifetime: {exp: 1ms}}\n",
	       "w.yaml:5:12: duplicate generator name 'a' (first at line 4)");
	refuse(HEAD "generators:\n  - {name: a b, kmalloc: 64, rate: 1000/s, lifetime: {exp: 1ms}}\n",
	       "w.yaml:4:12: bad generator name 'a b' (1 to 63 characters, no spaces or control characters)");
}

static void test_bad_free_all(void **state)
{
	const char *gens = HEAD "generators:\n"
		"  - {name: held, kmalloc: 64, rate: 1000/s, lifetime: until_free_all}\n"
		"  - {name: own, kmalloc: 64, rate: 1000/s, lifetime: {exp: 1ms}}\n"
		"events:\n";
	char buf[1024];

	snprintf(buf, sizeof(buf), "%s  - {t: 1ms, free_all: nobody}\n", gens);
	refuse(buf, "w.yaml:7:24: free_all of 'nobody': no generator has that name: (give it one with name:)");
	snprintf(buf, sizeof(buf), "%s  - {t: 1ms, free_all: own}\n", gens);
	refuse(buf, "w.yaml:7:24: free_all of 'own': that generator frees its objects itself (free_all takes a generator with lifetime: until_free_all)");
	snprintf(buf, sizeof(buf), "%s  - {t: 1ms, free_all: held, gfp: GFP_ATOMIC}\n", gens);
	refuse(buf, "w.yaml:7:30: 'gfp' does not apply to free_all");
	/* a machine without CPU 5 */
	snprintf(buf, sizeof(buf), "%s  - {t: 1ms, cpu: 5, free_all: held}\n", gens);
	refuse(buf, "w.yaml:7:19: cpu 5 is out of range (the machine has 4 CPUs: 0-3)");
}

/* ------------------------------------------------------------------ */
/* include:                                                            */
/* ------------------------------------------------------------------ */

static char dir[] = "/tmp/slabsim-include-XXXXXX";

static void put(const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static bool load_file(const char *name, struct workload *wl)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	memset(err, 0, sizeof(err));
	return workload_load(path, wl, err, sizeof(err));
}

/* err with the temporary folder written as DIR. */
static const char *err_rel(void)
{
	static char buf[1024];
	size_t n = strlen(dir);
	char *p;

	snprintf(buf, sizeof(buf), "%s", err);
	while ((p = strstr(buf, dir))) {
		memmove(p + 3, p + n, strlen(p + n) + 1);
		memcpy(p, "DIR", 3);
	}
	return buf;
}

static int setup_dir(void **state)
{
	char sub[300];

	if (!mkdtemp(dir))
		return -1;
	snprintf(sub, sizeof(sub), "%s/sub", dir);
	return mkdir(sub, 0700) ? -1 : 0;
}

static int remove_dir(void **state)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* Includer wins; lists merge by name; included items come first. */
static void test_include_merge(void **state)
{
	struct workload wl;

	put("sub/base.yaml",
	    "name: base\nseed: 9\n"
	    "machine: {nodes: 2, cpus: 4, costs: {lock: 30ns, remote: 200ns}}\n"
	    "caches:\n"
	    "  - {name: a, size: 100, tune: {limit: 32}}\n"
	    "  - {name: b, size: 200}\n"
	    "generators:\n"
	    "  - {name: ga, cache: a, rate: 1000/s, lifetime: {exp: 1ms}}\n"
	    "  - {cache: b, rate: 10/s, lifetime: {exp: 1ms}}\n");
	put("top.yaml",
	    "include: sub/base.yaml\n"
	    "seed: 3\n"
	    "machine: {costs: {lock: 25ns}}\n"
	    "caches:\n"
	    "  - {name: c, size: 300}\n"
	    "  - {name: a, tune: {batchcount: 8}}\n"
	    "generators:\n"
	    "  - {name: ga, rate: 2000/s}\n"
	    "duration: 5ms\n");
	if (!load_file("top.yaml", &wl))
		fail_msg("%s", err);
	assert_string_equal(wl.name, "base");	/* the includer has none */
	assert_int_equal(wl.seed, 3);
	assert_int_equal(wl.machine.cpus, 4);
	assert_int_equal(wl.machine.cost_lock, 25);
	assert_int_equal(wl.machine.cost_remote, 200);
	assert_int_equal(wl.nr_caches, 3);
	assert_string_equal(wl.caches[0].name, "a");
	assert_int_equal(wl.caches[0].size, 100);
	assert_int_equal(wl.caches[0].tune.limit, 32);
	assert_int_equal(wl.caches[0].tune.batchcount, 8);
	assert_string_equal(wl.caches[1].name, "b");
	assert_string_equal(wl.caches[2].name, "c");
	/* a merged item is the includer's; a copied one keeps its file */
	assert_null(wl.caches[0].file);
	assert_non_null(wl.caches[1].file);
	assert_non_null(strstr(wl.caches[1].file, "/sub/base.yaml"));
	assert_null(wl.caches[2].file);
	assert_int_equal(wl.nr_generators, 2);
	assert_true(wl.generators[0].rate == 2000);
	assert_int_equal(wl.generators[0].cache, 0);
	assert_int_equal(wl.generators[1].cache, 1);
	workload_free(&wl);

	/* a list of includes: the later one wins, order is file order */
	put("one.yaml", "seed: 1\ncaches: [{name: x, size: 64}]\n");
	put("two.yaml", "seed: 2\ncaches: [{name: y, size: 64}]\n");
	put("both.yaml", "include: [one.yaml, two.yaml]\nduration: 1ms\n");
	if (!load_file("both.yaml", &wl))
		fail_msg("%s", err);
	assert_int_equal(wl.seed, 2);
	assert_string_equal(wl.caches[0].name, "x");
	assert_string_equal(wl.caches[1].name, "y");
	workload_free(&wl);
}

static void test_include_errors(void **state)
{
	struct workload wl;

	put("a.yaml", "name: a\ninclude: sub/b.yaml\nduration: 1ms\n");
	put("sub/b.yaml", "machine: {cpus: 2}\ninclude: ../a.yaml\n");
	assert_false(load_file("a.yaml", &wl));
	assert_string_equal(err_rel(),
			    "DIR/sub/b.yaml:2:10: include cycle: DIR/a.yaml -> DIR/sub/b.yaml -> DIR/sub/../a.yaml");

	put("self.yaml", "include: self.yaml\n");
	assert_false(load_file("self.yaml", &wl));
	assert_string_equal(err_rel(),
			    "DIR/self.yaml:1:10: include cycle: DIR/self.yaml -> DIR/self.yaml");

	put("m.yaml", "duration: 1ms\ninclude: [sub/none.yaml]\n");
	assert_false(load_file("m.yaml", &wl));
	assert_string_equal(err_rel(),
			    "DIR/m.yaml:2:11: include 'sub/none.yaml': cannot open DIR/sub/none.yaml: No such file or directory");

	put("ev.yaml", "machine: {cpus: 2}\nevents:\n  - {t: 0us, slabinfo: true}\n");
	put("m2.yaml", "include: ev.yaml\nduration: 1ms\n");
	assert_false(load_file("m2.yaml", &wl));
	assert_string_equal(err_rel(),
			    "DIR/ev.yaml:2:1: events cannot be included (a workload's events are in its own file)");

	/* a mistake inside an included file is reported in that file */
	put("bad.yaml", "generators:\n  - {kmalloc: 64, rate: 1000/x, lifetime: {exp: 1ms}}\n");
	put("m3.yaml", "include: bad.yaml\nduration: 1ms\n");
	assert_false(load_file("m3.yaml", &wl));
	assert_string_equal(err_rel(),
			    "DIR/bad.yaml:2:25: bad rate '1000/x' (use N/s, N/ms or N/us)");

	put("syn.yaml", "machine: {cpus: 2\n");
	put("m4.yaml", "include: syn.yaml\n");
	assert_false(load_file("m4.yaml", &wl));
	assert_string_equal(err_rel(),
			    "DIR/syn.yaml:2:1: YAML syntax error: did not find expected ',' or '}'");

	/* a folder (or a FIFO, a terminal) is refused before it is read */
	put("m7.yaml", "include: sub\n");
	assert_false(load_file("m7.yaml", &wl));
	assert_string_equal(err_rel(),
			    "DIR/m7.yaml:1:10: include 'sub': DIR/sub is not a regular file");

	put("m5.yaml", "include: {file: x}\n");
	assert_false(load_file("m5.yaml", &wl));
	assert_string_equal(err_rel(),
			    "DIR/m5.yaml:1:10: include takes a file name or a list of them, not a mapping");

	/* an override still reaches a cache declared in an include */
	put("inc.yaml", "machine: {nodes: 2, cpus: 4}\ncaches: [{name: a, size: 100}]\n");
	put("m6.yaml", "include: inc.yaml\nduration: 1ms\n"
	    "generators: [{cache: a, rate: 10/s, lifetime: {exp: 1ms}, free_on: other_node}]\n");
	if (!load_file("m6.yaml", &wl))
		fail_msg("%s", err);
	assert_true(workload_override(&wl, "caches.a.size=200", err, sizeof(err)));
	assert_int_equal(wl.caches[0].size, 200);
	assert_false(workload_override(&wl, "caches.a.size=1", err, sizeof(err)));
	assert_string_equal(err_rel(),
			    "DIR/inc.yaml:2:10: cache 'a': size 1 is out of range (kmem_cache_create takes 8..131072 bytes on x86_64)");
	assert_false(workload_override(&wl, "machine.nodes=1", err, sizeof(err)));
	assert_string_equal(err_rel(),
			    "DIR/m6.yaml:3:14: generator free_on: other_node needs a machine of 2 or more nodes (it has 1)");
	workload_free(&wl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_bad_laws),
		cmocka_unit_test(test_bad_histograms),
		cmocka_unit_test(test_bad_arrivals_placement),
		cmocka_unit_test(test_bad_free_all),
		cmocka_unit_test(test_include_merge),
		cmocka_unit_test(test_include_errors),
	};

	return cmocka_run_group_tests(tests, setup_dir, remove_dir);
}
