// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the workload loader (sim/workload/loader.c and its parts): every
 * field of the DESIGN.md example and of an all-keys file, the defaults, every
 * unit form, one exact message per kind of user mistake with its
 * file:line:col, and a deterministic mutation fuzz that must never crash.
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
#include <regex.h>
#include <unistd.h>
#include <cmocka.h>

#include "sim/workload.h"
#include "alloc/slab.h"

static char err[1024];

/*
 * The header, then every event (the runner reads them one at a time);
 * false with wl freed and the error in err if either fails.
 */
static bool read_all(struct workload *wl)
{
	if (workload_read_all(wl, err, sizeof(err)))
		return true;
	workload_free(wl);
	return false;
}

/* Loads yaml as "w.yaml"; the error, if any, is left in err. */
static bool load(const char *yaml, struct workload *wl)
{
	memset(err, 0, sizeof(err));
	return workload_load_string("w.yaml", yaml, wl, err, sizeof(err)) &&
	       read_all(wl);
}

/* The same from a file. */
static bool load_file(const char *path, struct workload *wl)
{
	memset(err, 0, sizeof(err));
	return workload_load(path, wl, err, sizeof(err)) && read_all(wl);
}

/* Expects yaml to be refused with exactly msg, and wl left empty. */
static void refuse(const char *yaml, const char *msg)
{
	struct workload wl;

	memset(&wl, 0xab, sizeof(wl));
	if (load(yaml, &wl)) {
		workload_free(&wl);
		fail_msg("accepted:\n%s", yaml);
	}
	assert_string_equal(err, msg);
	assert_null(wl.events);
	assert_null(wl.caches);
	assert_int_equal(wl.nr_events, 0);
}

/* Expects yaml to be refused with a message that starts with prefix. */
static void refuse_prefix(const char *yaml, const char *prefix)
{
	struct workload wl;

	if (load(yaml, &wl)) {
		workload_free(&wl);
		fail_msg("accepted:\n%s", yaml);
	}
	if (strncmp(err, prefix, strlen(prefix)))
		fail_msg("got '%s', want prefix '%s'", err, prefix);
}

/* The data folder, wherever the test is run from. */
static const char *data_path(const char *file)
{
	static char buf[1024];
	const char *dirs[] = { getenv("SLABSIM_SRC"), NULL, "tests", "..",
			       "../tests", "../../tests" };
	char here[512];
	const char *slash = strrchr(__FILE__, '/');
	size_t i;

	snprintf(here, sizeof(here), "%.*s",
		 slash ? (int)(slash - __FILE__) : 1, slash ? __FILE__ : ".");
	dirs[1] = here;
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		if (!dirs[i])
			continue;
		snprintf(buf, sizeof(buf), "%s%s/data/%s", dirs[i],
			 i == 0 ? "/tests" : "", file);
		if (!access(buf, R_OK))
			return buf;
	}
	fail_msg("cannot find tests/data/%s", file);
	return NULL;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

#define GFP_KERNEL_BITS	(0x10u | 0x40u | 0x80u)	/* __GFP_WAIT|IO|FS */

/* ------------------------------------------------------------------ */
/* Whole files                                                         */
/* ------------------------------------------------------------------ */

/* The example of DESIGN.md, field by field. */
static void test_design_example(void **state)
{
	struct workload wl;
	const struct wl_event *e;
	const struct wl_generator *g;
	const char *path = data_path("dentry-churn.yaml");

	if (!load_file(path, &wl))
		fail_msg("%s", err);
	assert_string_equal(wl.file, path);
	assert_string_equal(wl.name, "dentry-churn");
	assert_int_equal(wl.seed, 42);

	assert_string_equal(wl.machine.arch, "x86_64");
	assert_false(wl.machine.bufctl16);
	assert_int_equal(wl.machine.nodes, 2);
	assert_int_equal(wl.machine.cpus, 8);
	assert_int_equal(wl.machine.memory, 512ULL * 1024 * 1024);
	assert_int_equal(wl.machine.hz, 250);
	assert_int_equal(wl.machine.line, 64);
	assert_int_equal(wl.machine.l1d.size, 32768);
	assert_int_equal(wl.machine.l1d.ways, 8);
	assert_int_equal(wl.machine.l2.size, 1048576);
	assert_int_equal(wl.machine.l2.ways, 16);
	assert_true(wl.machine.cache_model);
	assert_int_equal(wl.machine.cost_l1, 1);
	assert_int_equal(wl.machine.cost_l2, 4);
	assert_int_equal(wl.machine.cost_local, 80);
	assert_int_equal(wl.machine.cost_remote, 140);
	assert_int_equal(wl.machine.cost_lock, 20);
	/* not in the file: defaults */
	assert_int_equal(wl.machine.cost_handoff, 40);
	assert_int_equal(wl.machine.cost_ipi, 500);
	assert_int_equal(wl.machine.cost_page, 250);
	assert_int_equal(wl.machine.cost_op, 10);
	assert_false(wl.debug);

	assert_int_equal(wl.nr_caches, 2);
	assert_string_equal(wl.caches[0].name, "dentry_cache");
	assert_int_equal(wl.caches[0].size, 152);
	assert_int_equal(wl.caches[0].align, 0);
	/* HWCACHE_ALIGN 0x2000 | RECLAIM_ACCOUNT 0x20000 */
	assert_int_equal(wl.caches[0].flags, 0x22000);
	assert_true(wl.caches[0].has_ctor);
	assert_int_equal(wl.caches[0].ctor_ns, 40);
	assert_false(wl.caches[0].has_dtor);
	assert_int_equal(wl.caches[0].tune.limit, -1);
	assert_int_equal(wl.caches[0].tune.batchcount, -1);
	assert_int_equal(wl.caches[0].tune.shared, -1);
	assert_true(wl.caches[0].at_boot);
	assert_int_equal(wl.caches[0].line, 14);
	assert_int_equal(wl.caches[0].col, 5);	/* "  - {": the brace */
	assert_string_equal(wl.caches[1].name, "skbuff_head");
	assert_int_equal(wl.caches[1].size, 180);
	assert_int_equal(wl.caches[1].flags, 0);
	assert_false(wl.caches[1].has_ctor);
	assert_int_equal(wl.caches[1].tune.limit, 120);
	assert_int_equal(wl.caches[1].tune.batchcount, 60);
	assert_int_equal(wl.caches[1].tune.shared, 8);

	assert_int_equal(wl.nr_names, 2);
	assert_string_equal(wl.names[0], "d1");
	assert_string_equal(wl.names[1], "k1");

	assert_int_equal(wl.nr_events, 7);
	e = &wl.events[0];
	assert_int_equal(e->t, 0);
	assert_int_equal(e->cpu, 0);
	assert_int_equal(e->op, WL_ALLOC);
	assert_int_equal(e->cache, 0);
	assert_int_equal(e->name, 0);
	assert_int_equal(e->gfp, GFP_KERNEL_BITS);
	assert_int_equal(e->line, 17);
	assert_int_equal(e->col, 5);
	e = &wl.events[1];
	assert_int_equal(e->t, 5000);
	assert_int_equal(e->cpu, 1);
	assert_int_equal(e->op, WL_FREE);
	assert_int_equal(e->name, 0);
	assert_int_equal(e->cache, 0);	/* d1 came from dentry_cache */
	e = &wl.events[2];
	assert_int_equal(e->t, 6000);
	assert_int_equal(e->op, WL_KMALLOC);
	assert_int_equal(e->size, 100);
	assert_int_equal(e->gfp, 0x20);	/* GFP_ATOMIC = __GFP_HIGH */
	assert_int_equal(e->name, 1);
	assert_int_equal(e->cache, -1);
	e = &wl.events[3];
	assert_int_equal(e->t, 7000);
	assert_int_equal(e->cpu, 2);
	assert_int_equal(e->op, WL_KFREE);
	assert_int_equal(e->name, 1);
	e = &wl.events[4];
	assert_int_equal(e->t, 1000000000ULL);
	assert_int_equal(e->op, WL_SLABINFO);
	e = &wl.events[5];
	assert_int_equal(e->t, 2000000000ULL);
	assert_int_equal(e->op, WL_TUNE);
	assert_int_equal(e->cache, 1);
	assert_int_equal(e->tune.limit, 32);
	assert_int_equal(e->tune.batchcount, 16);
	assert_int_equal(e->tune.shared, 0);
	e = &wl.events[6];
	assert_int_equal(e->t, 3000000000ULL);
	assert_int_equal(e->op, WL_SHRINK);
	assert_int_equal(e->cache, 0);
	assert_int_equal(e->line, 23);

	assert_int_equal(wl.nr_generators, 1);
	g = &wl.generators[0];
	assert_int_equal(g->cache, 1);
	assert_int_equal(g->nr_cpus, 2);
	assert_int_equal(g->cpu_list[0], 0);
	assert_int_equal(g->cpu_list[1], 1);
	assert_int_equal(g->cpus, 0x3);
	assert_int_equal(g->nr_free_on, 2);
	assert_int_equal(g->free_on[0], 4);
	assert_int_equal(g->free_on[1], 5);
	assert_true(g->rate == 200000.0);
	assert_int_equal(g->lifetime, WL_DIST_EXP);
	assert_int_equal(g->lifetime_a, 50000);
	assert_int_equal(g->touch, 64);
	assert_int_equal(g->gfp, GFP_KERNEL_BITS);
	assert_int_equal(g->from, 0);
	assert_int_equal(g->until, 2000000000ULL);
	assert_int_equal(g->line, 25);

	assert_int_equal(wl.sample, 10000000);
	/* no duration: 0, "until the last event" (the runner's reading) */
	assert_false(wl.duration_given);
	assert_int_equal(wl.duration, 0);
	workload_free(&wl);
	assert_null(wl.events);
}

/* Every key, with values that differ from the defaults. */
static void test_all_keys(void **state)
{
	struct workload wl;
	const struct wl_machine *m = &wl.machine;
	const struct wl_event *e;
	const struct wl_generator *g;

	if (!load_file(data_path("all-keys.yaml"), &wl))
		fail_msg("%s", err);
	assert_string_equal(wl.name, "all-keys");
	assert_int_equal(wl.seed, 16);
	assert_string_equal(m->arch, "i386");
	assert_true(m->bufctl16);
	assert_int_equal(m->nodes, 2);
	assert_int_equal(m->cpus, 4);
	assert_int_equal(m->memory, 64ULL << 20);
	assert_int_equal(m->hz, 1000);
	assert_int_equal(m->line, 128);
	assert_int_equal(m->l1d.size, 16384);
	assert_int_equal(m->l1d.ways, 4);
	assert_int_equal(m->l2.size, 524288);
	assert_int_equal(m->l2.ways, 8);
	assert_false(m->cache_model);
	assert_int_equal(m->cost_l1, 2);
	assert_int_equal(m->cost_l2, 5);
	assert_int_equal(m->cost_local, 90);
	assert_int_equal(m->cost_remote, 150);
	assert_int_equal(m->cost_lock, 25);
	assert_int_equal(m->cost_handoff, 45);
	assert_int_equal(m->cost_ipi, 1000);
	assert_int_equal(m->cost_page, 300);
	assert_int_equal(m->cost_op, 12);
	assert_true(wl.debug);

	assert_int_equal(wl.nr_caches, 2);
	assert_int_equal(wl.caches[0].size, 1536);	/* 1.5 * 1024 */
	assert_int_equal(wl.caches[0].align, 64);
	assert_int_equal(wl.caches[0].flags,
			 SLAB_HWCACHE_ALIGN | SLAB_POISON | SLAB_RED_ZONE);
	assert_true(wl.caches[0].has_ctor);	/* ctor: 0 still is a ctor */
	assert_int_equal(wl.caches[0].ctor_ns, 0);
	assert_true(wl.caches[0].has_dtor);
	assert_int_equal(wl.caches[0].tune.limit, 16);
	assert_int_equal(wl.caches[0].tune.batchcount, -1);
	assert_int_equal(wl.caches[0].line, 20);	/* block item: "name" */
	assert_int_equal(wl.caches[0].col, 5);
	assert_string_equal(wl.caches[1].name, "late");
	assert_false(wl.caches[1].at_boot);
	assert_int_equal(wl.caches[1].create_t, 1000000);
	assert_int_equal(wl.caches[1].flags, SLAB_MEM_SPREAD);

	/* 18 in the file + the creation of 'late' (t: 1ms) */
	assert_int_equal(wl.nr_events, 19);
	assert_int_equal(wl.nr_names, 5);	/* i1 i2 i3 k1 l1 */
	e = &wl.events[0];
	assert_int_equal(e->cpu, 1);
	/* GFP_NOFS (WAIT|IO = 0x50) | __GFP_ZERO 0x8000 */
	assert_int_equal(e->gfp, 0x8050);
	e = &wl.events[1];
	assert_int_equal(e->op, WL_ZALLOC);
	assert_int_equal(e->cpu, 0);
	assert_int_equal(e->gfp, 0x220);	/* __GFP_HIGH | __GFP_NOWARN */
	e = &wl.events[2];
	assert_int_equal(e->op, WL_ALLOC_NODE);
	assert_int_equal(e->node, 1);
	e = &wl.events[3];
	assert_int_equal(e->op, WL_KMALLOC_NODE);
	assert_int_equal(e->size, 2048);
	assert_int_equal(e->node, 0);
	assert_int_equal(e->cpu, 3);
	e = &wl.events[4];
	assert_int_equal(e->op, WL_TOUCH);
	assert_int_equal(e->size, 8);
	assert_false(e->write);
	assert_false(e->whole);
	assert_int_equal(e->cache, 0);
	e = &wl.events[5];
	assert_int_equal(e->op, WL_TOUCH);
	assert_int_equal(e->size, 2048);	/* the whole kmalloc'd object */
	assert_true(e->write);
	assert_true(e->whole);
	assert_int_equal(e->cache, -1);
	assert_int_equal(wl.events[6].op, WL_FREE);
	assert_int_equal(wl.events[7].op, WL_KFREE);
	assert_int_equal(wl.events[7].t, wl.events[6].t);
	/* hotplug and mempolicy: the target CPU travels in node */
	e = &wl.events[8];
	assert_int_equal(e->op, WL_CPU_DOWN);
	assert_int_equal(e->node, 3);
	assert_int_equal(e->cpu, -1);
	assert_int_equal(wl.events[9].op, WL_CPU_UP);
	assert_int_equal(wl.events[9].node, 3);
	e = &wl.events[10];
	assert_int_equal(e->op, WL_MEMPOLICY);
	assert_int_equal(e->node, 2);
	assert_int_equal(e->cpu, -1);
	assert_int_equal(e->policy, WL_POLICY_INTERLEAVE);
	assert_int_equal(e->nodemask, 0x3);
	e = &wl.events[11];
	assert_int_equal(e->policy, WL_POLICY_PREFERRED);
	assert_int_equal(e->node, 1);		/* cpu 1 */
	assert_int_equal(e->nodemask, 0x2);	/* node 1 */
	/* the loader's creation comes before the file's alloc at 1ms */
	e = &wl.events[12];
	assert_int_equal(e->op, WL_CREATE);
	assert_int_equal(e->t, 1000000);
	assert_int_equal(e->cache, 1);
	assert_int_equal(e->cpu, 0);
	assert_int_equal(e->line, 27);	/* the declaration of 'late' */
	assert_int_equal(wl.events[13].op, WL_ALLOC);
	assert_int_equal(wl.events[13].cache, 1);
	assert_int_equal(wl.events[14].op, WL_DESTROY);
	assert_int_equal(wl.events[15].op, WL_CREATE);
	assert_int_equal(wl.events[15].line, 43);
	assert_int_equal(wl.events[16].op, WL_SHRINK);
	assert_int_equal(wl.events[17].tune.limit, 8);
	assert_int_equal(wl.events[18].op, WL_SLABINFO);

	assert_int_equal(wl.nr_generators, 2);
	g = &wl.generators[0];
	assert_int_equal(g->cache, -1);
	assert_int_equal(g->kmalloc_min, 32);
	assert_int_equal(g->kmalloc_max, 256);
	assert_int_equal(g->cpus, 0x5);	/* cpus 0 and 2 */
	assert_true(g->rate == 1500.0);	/* 1.5 per ms */
	assert_int_equal(g->lifetime, WL_DIST_UNIFORM);
	assert_int_equal(g->lifetime_a, 1000);
	assert_int_equal(g->lifetime_b, 5000);
	assert_int_equal(g->from, 1000000);
	assert_int_equal(g->until, 8000000);
	assert_int_equal(g->touch, 16);
	g = &wl.generators[1];
	assert_int_equal(g->cache, 0);
	assert_int_equal(g->nr_cpus, 4);	/* default: every CPU */
	assert_int_equal(g->cpus, 0xf);
	assert_true(g->rate == 1e8);	/* 100 per us */
	assert_int_equal(g->lifetime, WL_DIST_FIXED);
	assert_int_equal(g->lifetime_a, 2000);
	assert_int_equal(g->lifetime_b, 2000);
	assert_false(g->until_given);
	assert_int_equal(g->until, 10000000);	/* the run's duration */
	assert_int_equal(g->nr_free_on, 0);

	assert_true(wl.duration_given);
	assert_int_equal(wl.duration, 10000000);
	assert_int_equal(wl.sample, 1000000);
	workload_free(&wl);
}

static void test_defaults(void **state)
{
	struct workload wl;
	const struct wl_machine *m = &wl.machine;

	assert_true(load("{}\n", &wl));
	assert_string_equal(wl.name, "w");	/* file name, no extension */
	assert_int_equal(wl.seed, 0);
	assert_string_equal(m->arch, "x86_64");
	assert_false(m->bufctl16);
	assert_int_equal(m->nodes, 1);
	assert_int_equal(m->cpus, 1);
	assert_int_equal(m->memory, 256ULL << 20);
	assert_int_equal(m->hz, 250);
	assert_int_equal(m->line, 64);
	assert_int_equal(m->l1d.size, 32768);
	assert_int_equal(m->l1d.ways, 8);
	assert_int_equal(m->l2.size, 1 << 20);
	assert_int_equal(m->l2.ways, 16);
	assert_true(m->cache_model);
	assert_int_equal(m->cost_l1, 1);
	assert_int_equal(m->cost_l2, 4);
	assert_int_equal(m->cost_local, 80);
	assert_int_equal(m->cost_remote, 140);
	assert_int_equal(m->cost_lock, 20);
	assert_int_equal(m->cost_handoff, 40);
	assert_int_equal(m->cost_ipi, 500);
	assert_int_equal(m->cost_page, 250);
	assert_int_equal(m->cost_op, 10);
	assert_false(wl.debug);
	assert_int_equal(wl.sample, 0);
	assert_int_equal(wl.duration, 0);	/* nothing happens */
	assert_int_equal(wl.nr_caches + wl.nr_events + wl.nr_generators, 0);
	workload_free(&wl);
}

/* ------------------------------------------------------------------ */
/* Units                                                               */
/* ------------------------------------------------------------------ */

static void test_durations(void **state)
{
	uint64_t ns;

	assert_true(parse_duration("0", &ns));
	assert_int_equal(ns, 0);
	assert_true(parse_duration("7ns", &ns));
	assert_int_equal(ns, 7);
	assert_true(parse_duration("5us", &ns));
	assert_int_equal(ns, 5000);
	assert_true(parse_duration("10ms", &ns));
	assert_int_equal(ns, 10000000);
	assert_true(parse_duration("2s", &ns));
	assert_int_equal(ns, 2000000000ULL);
	assert_true(parse_duration("1.5ms", &ns));
	assert_int_equal(ns, 1500000);
	assert_true(parse_duration("0.000000001s", &ns));
	assert_int_equal(ns, 1);
	assert_true(parse_duration("2.50us", &ns));	/* trailing zero */
	assert_int_equal(ns, 2500);
	assert_true(parse_duration("10 ms", &ns));
	assert_int_equal(ns, 10000000);
	/* 2^64 - 1 ns fits exactly; one more does not */
	assert_true(parse_duration("18446744073709551615ns", &ns));
	assert_int_equal(ns, UINT64_MAX);
	assert_false(parse_duration("18446744073709551616ns", &ns));
	/* 18446744074 s > 2^64 ns (18446744073.7 s) */
	assert_false(parse_duration("18446744074s", &ns));
	assert_true(parse_duration("18446744073s", &ns));
	assert_false(parse_duration("1.5ns", &ns));	/* finer than 1ns */
	assert_false(parse_duration("10", &ns));	/* no unit */
	assert_false(parse_duration("0.5", &ns));
	assert_false(parse_duration("10parsecs", &ns));
	assert_false(parse_duration("10 MS", &ns));
	assert_false(parse_duration("-1ms", &ns));
	assert_false(parse_duration(".5ms", &ns));
	assert_false(parse_duration("1.ms", &ns));
	assert_false(parse_duration("ms", &ns));
	assert_false(parse_duration("", &ns));
	assert_false(parse_duration("1e3ns", &ns));
	assert_false(parse_duration(NULL, &ns));
}

static void test_sizes(void **state)
{
	uint64_t b;

	assert_true(parse_bytes("100", &b));
	assert_int_equal(b, 100);
	assert_true(parse_bytes("3B", &b));
	assert_int_equal(b, 3);
	assert_true(parse_bytes("32KiB", &b));
	assert_int_equal(b, 32768);
	assert_true(parse_bytes("512MiB", &b));
	assert_int_equal(b, 536870912);
	assert_true(parse_bytes("1GiB", &b));
	assert_int_equal(b, 1073741824);
	assert_true(parse_bytes("1.5KiB", &b));
	assert_int_equal(b, 1536);
	assert_true(parse_bytes("0.25MiB", &b));	/* 1048576 / 4 */
	assert_int_equal(b, 262144);
	assert_true(parse_bytes("1 KiB", &b));
	assert_int_equal(b, 1024);
	assert_false(parse_bytes("0.1KiB", &b));	/* 102.4 bytes */
	assert_false(parse_bytes("1.5", &b));
	assert_false(parse_bytes("1KB", &b));
	assert_false(parse_bytes("1kib", &b));
	assert_false(parse_bytes("1TiB", &b));
	/* 2^34 GiB = 2^64 bytes: one past the top */
	assert_false(parse_bytes("17179869184GiB", &b));
	assert_true(parse_bytes("17179869183GiB", &b));
	assert_int_equal(b, 17179869183ULL << 30);
	assert_false(parse_bytes("-1", &b));
}

static void test_rates(void **state)
{
	double r;

	assert_true(parse_rate("200000/s", &r));
	assert_true(r == 200000.0);
	assert_true(parse_rate("200/ms", &r));
	assert_true(r == 200000.0);
	assert_true(parse_rate("0.5/us", &r));
	assert_true(r == 500000.0);
	assert_true(parse_rate("1.5/s", &r));
	assert_true(r == 1.5);
	assert_true(parse_rate("0/s", &r));
	assert_true(r == 0.0);
	assert_false(parse_rate("200000", &r));
	assert_false(parse_rate("200000/h", &r));
	assert_false(parse_rate("200000/ns", &r));
	assert_false(parse_rate("/s", &r));
	assert_false(parse_rate("-1/s", &r));
}

/* The message for each way a unit can be wrong, at the value's column. */
static void test_unit_messages(void **state)
{
	/* "sample: " is 8 characters: the value starts in column 9 */
	refuse("name: w\nseed: 1\nsample: 10 parsecs\n",
	       "w.yaml:3:9: bad duration '10 parsecs' (use ns, us, ms or s)");
	refuse("sample: 1.5ns\n",
	       "w.yaml:1:9: duration '1.5ns' is finer than 1ns");
	refuse("sample: 99999999999s\n",
	       "w.yaml:1:9: duration '99999999999s' is too large (at most 1000000s)");
	/* WL_MAX_TIME keeps runs inside the engine's horizon; it is allowed */
	refuse("sample: 1000000.000000001s\n",
	       "w.yaml:1:9: duration '1000000.000000001s' is too large (at most 1000000s)");
	{
		struct workload wl;

		assert_true(load("sample: 1000000s\n", &wl));
		assert_int_equal(wl.sample, WL_MAX_TIME);
		workload_free(&wl);
	}
	refuse("sample: 10\n",
	       "w.yaml:1:9: bad duration '10' (use ns, us, ms or s)");
	/* "machine: {memory: " is 18 characters */
	refuse("machine: {memory: 512MB}\n",
	       "w.yaml:1:19: bad size '512MB' (use B, KiB, MiB or GiB)");
	refuse("machine: {memory: 512}\n",
	       "w.yaml:1:19: bad size '512' (use B, KiB, MiB or GiB)");
	/* "- {name: c, size: " is 18 characters */
	refuse("caches:\n- {name: c, size: 0.1KiB}\n",
	       "w.yaml:2:19: size '0.1KiB' is not a whole number of bytes");
	refuse("caches:\n- {name: c, size: 99999999999GiB}\n",
	       "w.yaml:2:19: size '99999999999GiB' is too large");
	/* "- {kmalloc: 64, rate: " is 22 characters */
	refuse("generators:\n- {kmalloc: 64, rate: 5/h, lifetime: {fixed: 1us}}\n",
	       "w.yaml:2:23: bad rate '5/h' (use N/s, N/ms or N/us)");
	refuse("generators:\n- {kmalloc: 64, rate: 2/ns, lifetime: {fixed: 1us}}\n",
	       "w.yaml:2:23: bad rate '2/ns' (use N/s, N/ms or N/us)");
	refuse("generators:\n- {kmalloc: 64, rate: 2000/us, lifetime: {fixed: 1us}}\n",
	       "w.yaml:2:23: rate '2000/us' is more than one allocation per ns per CPU");
	/* a bare duration names the laws lifetime takes; "- {kmalloc: 64,
	 * rate: 1/s, lifetime: " is 37 characters */
	refuse("generators:\n- {kmalloc: 64, rate: 1/s, lifetime: 1ms}\n",
	       "w.yaml:2:38: bad lifetime '1ms' (expected until_free_all, "
	       "{exp: DUR}, {fixed: DUR}, {uniform: [DUR, DUR]}, "
	       "{lognormal: [MEDIAN, SIGMA]} or {pareto: [SCALE, ALPHA]})");
}

/* ------------------------------------------------------------------ */
/* Keys                                                                */
/* ------------------------------------------------------------------ */

static void test_unknown_keys(void **state)
{
	refuse("nmae: x\n",
	       "w.yaml:1:1: unknown key 'nmae' in workload (expected one of: name, seed, machine, slab, caches, events, generators, sample, duration, expect, include, faults)");
	refuse("machine:\n  cpu: 2\n",
	       "w.yaml:2:3: unknown key 'cpu' in machine (expected one of: arch, bufctl, nodes, cpus, memory, hz, min_free_kbytes, caches, costs, smp)");
	/* "  caches: {" ends in column 11 */
	refuse("machine:\n  caches: {lines: 64}\n",
	       "w.yaml:2:12: unknown key 'lines' in machine caches (expected one of: line, l1d, l2, model)");
	refuse("machine:\n  caches: {l1d: {sets: 4}}\n",
	       "w.yaml:2:18: unknown key 'sets' in cache level (expected one of: size, ways)");
	refuse("machine:\n  costs: {tlb: 1ns}\n",
	       "w.yaml:2:11: unknown key 'tlb' in machine costs (expected one of: l1, l2, local, remote, lock, handoff, ipi, page, op)");
	refuse("slab: {debugg: true}\n",
	       "w.yaml:1:8: unknown key 'debugg' in slab (expected one of: debug, colouring)");
	/* the message of the brief, line 7 column 12: "- {name: x," is 11 */
	refuse("name: w\nseed: 1\nmachine:\n  cpus: 2\nsample: 1ms\ncaches:\n- {name: x,sizee: 8}\n",
	       "w.yaml:7:12: unknown key 'sizee' in cache (expected one of: name, size, align, flags, ctor, dtor, tune, t, colouring)");
	refuse("caches:\n- {name: c, size: 64, tune: {limt: 4}}\n",
	       "w.yaml:2:30: unknown key 'limt' in tune (expected one of: limit, batchcount, shared)");
	refuse("caches:\n- {name: c, size: 64}\nevents:\n- {t: 0, allocc: c}\n",
	       "w.yaml:4:10: unknown key 'allocc' in event (expected one of: t, cpu, gfp, as, node, bytes, write, site, offset, repeat, alloc, alloc_node, zalloc, free, kmalloc, kmalloc_node, kfree, touch, slabinfo, tune, shrink, destroy, create, cpu_down, cpu_up, mempolicy, walk, free_all)");
	refuse("caches:\n- {name: c, size: 64}\nevents:\n- {t: 0, tune: {cache: c, limits: 1}}\n",
	       "w.yaml:4:27: unknown key 'limits' in tune (expected one of: cache, limit, batchcount, shared)");
	refuse("events:\n- {t: 0, mempolicy: {cpus: 0}}\n",
	       "w.yaml:2:22: unknown key 'cpus' in mempolicy (expected one of: cpu, policy, nodes, spread_slab)");
	refuse("generators:\n- {rat: 1/s}\n",
	       "w.yaml:2:4: unknown key 'rat' in generator (expected one of: cache, kmalloc, cpus, rate, lifetime, free_on, touch, gfp, from, until, walk, name, arrivals, alloc_node, touch_free)");
	refuse("generators:\n- {lifetime: {mean: 1us}}\n",
	       "w.yaml:2:15: unknown key 'mean' in lifetime (expected one of: exp, fixed, uniform, lognormal, pareto)");
}

static void test_key_shapes(void **state)
{
	refuse("seed: 1\nseed: 2\n",
	       "w.yaml:2:1: duplicate key 'seed' in workload (first at line 1)");
	refuse("machine: 4\n",
	       "w.yaml:1:10: 'machine' in workload must be a mapping, not '4'");
	refuse("machine:\n",
	       "w.yaml:1:9: 'machine' in workload must be a mapping, not empty");
	refuse("caches: {a: 1}\n",
	       "w.yaml:1:9: 'caches' in workload must be a list, not a mapping");
	refuse("seed: [1]\n",
	       "w.yaml:1:7: 'seed' in workload must be a single value, not a list");
	refuse("seed:\n",
	       "w.yaml:1:6: missing value for seed");
	refuse("machine: {arch: ~}\n",
	       "w.yaml:1:17: missing value for arch");
	refuse("slab: null\n",
	       "w.yaml:1:7: 'slab' in workload must be a mapping, not empty");
	refuse("caches: [1]\n",
	       "w.yaml:1:10: cache must be a mapping (keys: name, size, align, flags, ctor, dtor, tune, t, colouring), not '1'");
	refuse("? [a]\n: 1\n",
	       "w.yaml:1:3: keys in workload must be words, not a list");
	refuse("name: \"a\\0b\"\n",
	       "w.yaml:1:7: name 'a\\x00b' contains a NUL byte");
	refuse("seed: 99999999999999999999999\n",
	       "w.yaml:1:7: seed '99999999999999999999999' is too large (at most 18446744073709551615)");
	refuse("seed: -1\n",
	       "w.yaml:1:7: bad seed '-1' (expected a whole number)");
	refuse("machine: {cpus: 99999999999999999999}\n",
	       "w.yaml:1:17: cpus '99999999999999999999' is out of range (1..256)");
	refuse("machine: {hz: 200}\n",
	       "w.yaml:1:15: bad hz '200' (expected one of: 100, 250, 300, 1000)");
	refuse("machine: {arch: arm}\n",
	       "w.yaml:1:17: bad arch 'arm' (expected x86_64 or i386)");
	refuse("slab: {debug: maybe}\n",
	       "w.yaml:1:15: bad debug 'maybe' (expected true or false)");
}

static void test_machine_rules(void **state)
{
	refuse("machine: {nodes: 4, cpus: 2}\n",
	       "w.yaml:1:27: cpus 2 is fewer than nodes 4 (every node needs a CPU)");
	refuse("machine: {memory: 8MiB}\n",
	       "w.yaml:1:19: memory 8388608 bytes per node is below the 16MiB minimum");
	/* 4 x 1GiB = 4GiB > 3GiB */
	refuse("machine: {nodes: 4, cpus: 4, memory: 1GiB}\n",
	       "w.yaml:1:38: 4 nodes x 1024 MiB is over 3GiB (simulated physical addresses are 32-bit)");
	/* 20001KiB = 20481024 bytes = 5000.25 pages */
	refuse("machine: {memory: 20001KiB}\n",
	       "w.yaml:1:19: memory 20481024 bytes is not a whole number of 4KiB pages");
	/* 48KiB / (8 ways * 64 B) = 96 sets */
	refuse("machine:\n  caches: {l1d: {size: 48KiB, ways: 8}}\n",
	       "w.yaml:2:11: l1d of 49152 bytes with 8 ways of 64-byte lines does not give a power-of-two number of sets");
	{
		struct workload wl;

		/* 3 x 1GiB is exactly the limit */
		assert_true(load("machine: {nodes: 3, cpus: 3, memory: 1GiB}\n", &wl));
		workload_free(&wl);
		/* vm.min_free_kbytes: 0 (the default) keeps the kernel's rule */
		assert_true(load("machine: {memory: 32MiB}\n", &wl));
		assert_int_equal(wl.machine.min_free_kbytes, 0);
		workload_free(&wl);
		assert_true(load("machine: {min_free_kbytes: 128}\n", &wl));
		assert_int_equal(wl.machine.min_free_kbytes, 128);
		workload_free(&wl);
	}
	refuse("machine: {min_free_kbytes: -1}\n",
	       "w.yaml:1:28: min_free_kbytes '-1' is out of range (0..1048576)");
}

static void test_cache_rules(void **state)
{
	refuse("caches:\n- {name: c, size: 4}\n",
	       "w.yaml:2:19: cache 'c': size 4 is out of range (kmem_cache_create takes 8..131072 bytes on x86_64)");
	refuse("caches:\n- {name: c, size: 128KiB}\n- {name: d, size: 131073}\n",
	       "w.yaml:3:19: cache 'd': size 131073 is out of range (kmem_cache_create takes 8..131072 bytes on x86_64)");
	refuse("caches:\n- {name: c, size: 64, align: 24}\n",
	       "w.yaml:2:30: cache 'c': align 24 is not a power of two up to 131072");
	refuse("caches:\n- {name: c, size: 64, dtor: true}\n",
	       "w.yaml:2:29: cache 'c': dtor without ctor (kmem_cache_create refuses a destructor without a constructor)");
	refuse("caches:\n- {name: c, size: 64}\n- {name: c, size: 32}\n",
	       "w.yaml:3:10: duplicate cache name 'c' (first at line 2)");
	refuse("caches:\n- {name: size-64, size: 64}\n",
	       "w.yaml:2:10: cache name 'size-64' is taken by a kmalloc cache");
	refuse("caches:\n- {name: size-4096(DMA), size: 64}\n",
	       "w.yaml:2:10: cache name 'size-4096(DMA)' is taken by a kmalloc cache");
	refuse("caches:\n- {name: \"my cache\", size: 64}\n",
	       "w.yaml:2:10: cache name 'my cache' has a space or a non-ASCII character (it would confuse /proc/slabinfo parsers)");
	refuse("caches:\n- {name: c0123456789012345678901234567890123456789012345678901234567890123, size: 64}\n",
	       "w.yaml:2:10: cache name 'c01234567890123456789012345678901234567890123456...' is longer than 63 characters");
	refuse("caches:\n- {size: 64}\n", "w.yaml:2:3: cache needs a name:");
	refuse("caches:\n- {name: c}\n", "w.yaml:2:3: cache 'c' needs a size:");
	refuse("caches:\n- {name: c, size: 64, flags: [HWCACHE, POISON]}\n",
	       "w.yaml:2:31: unknown cache flag 'HWCACHE' (expected one of: HWCACHE_ALIGN, MUST_HWCACHE_ALIGN, CACHE_DMA, RECLAIM_ACCOUNT, DESTROY_BY_RCU, MEM_SPREAD, PANIC, RED_ZONE, POISON, STORE_USER, DEBUG_INITIAL, DEBUG_FREE, NO_REAP)");
	/* i386 words are 4 bytes: size 4 is fine there */
	{
		struct workload wl;

		assert_true(load("machine: {arch: i386}\ncaches:\n- {name: c, size: 4}\n", &wl));
		workload_free(&wl);
	}
}

/* ------------------------------------------------------------------ */
/* Events                                                              */
/* ------------------------------------------------------------------ */

#define CACHE_C "caches:\n- {name: c, size: 64}\nevents:\n"

static void test_never_allocated(void **state)
{
	/* line 5: "- {t: 1us, free: " is 17 characters */
	refuse(CACHE_C "- {t: 0, alloc: c, as: d1}\n- {t: 1us, free: d9}\n",
	       "w.yaml:5:18: free of 'd9', which was never allocated (or was freed more than 4096 frees ago)");
	refuse(CACHE_C "- {t: 1us, kfree: k}\n",
	       "w.yaml:4:19: kfree of 'k', which was never allocated (or was freed more than 4096 frees ago)");
	refuse(CACHE_C "- {t: 1us, touch: k}\n",
	       "w.yaml:4:19: touch of 'k', which was never allocated (or was freed more than 4096 frees ago)");
	/* a name used later in the file does not count */
	refuse(CACHE_C "- {t: 0, free: d1}\n- {t: 1us, alloc: c, as: d1}\n",
	       "w.yaml:4:16: free of 'd1', which was never allocated (or was freed more than 4096 frees ago)");
}

static void test_live_names(void **state)
{
	struct workload wl;

	/* "- {t: 1us, alloc: c, as: " is 25 characters */
	refuse(CACHE_C "- {t: 0, alloc: c, as: d1}\n- {t: 1us, alloc: c, as: d1}\n",
	       "w.yaml:5:26: 'd1' is still live (allocated at line 4); free it first or pick another name");
	/*
	 * freed, then reused: fine; the new object gets a slot of its own
	 * (events of the old one may still be in flight)
	 */
	assert_true(load(CACHE_C "- {t: 0, alloc: c, as: d1}\n- {t: 1us, free: d1}\n"
			 "- {t: 2us, kmalloc: 32, as: d1}\n- {t: 3us, kfree: d1}\n", &wl));
	assert_int_equal(wl.nr_names, 2);
	assert_int_equal(wl.events[0].name, 0);
	assert_int_equal(wl.events[1].name, 0);
	assert_int_equal(wl.events[2].name, 1);
	assert_int_equal(wl.events[3].name, 1);
	assert_int_equal(wl.events[3].cache, -1);	/* now a kmalloc name */
	workload_free(&wl);
	/* a double free is the kernel's business, not the loader's */
	assert_true(load(CACHE_C "- {t: 0, alloc: c, as: d1}\n- {t: 1us, free: d1}\n"
			 "- {t: 2us, free: d1}\n", &wl));
	assert_int_equal(wl.nr_events, 3);
	assert_int_equal(wl.events[2].op, WL_FREE);
	workload_free(&wl);
}

/*
 * A freed name is remembered for WL_DEAD_NAMES frees: a double free
 * within that is the kernel's, after it the name is unknown.
 */
static void test_dead_names_forgotten(void **state)
{
	struct workload wl;
	size_t cap = 64 * (WL_DEAD_NAMES + 8), o;
	char *buf = malloc(cap);

	assert_non_null(buf);
	for (int late = 0; late < 2; late++) {
		o = (size_t)snprintf(buf, cap, CACHE_C "- 0ns 0 alloc c first\n- 1ns 0 free first\n");
		/* late: one free more, and 'first' falls out of the ring */
		for (int i = 0; i < WL_DEAD_NAMES - 1 + late; i++)
			o += (size_t)snprintf(buf + o, cap - o, "- 2ns 0 alloc c n%d\n- 2ns 0 free n%d\n", i, i);
		snprintf(buf + o, cap - o, "- 3ns 0 free first\n");
		if (!late) {
			assert_true(load(buf, &wl));
			assert_int_equal(wl.events[wl.nr_events - 1].name, 0);
			workload_free(&wl);
		} else {
			assert_false(load(buf, &wl));
			assert_non_null(strstr(err, "free of 'first', which was never allocated"));
		}
	}
	free(buf);
}

/* Deep nesting stops at the composer, before libyaml's cost of it grows. */
static void test_nesting_and_aliases(void **state)
{
	size_t n = 100000, o;
	char *buf = malloc(n * 8 + 200);

	assert_non_null(buf);
	o = (size_t)sprintf(buf, "events: ");
	memset(buf + o, '[', n);
	buf[o + n] = '\0';
	refuse(buf, "w.yaml:1:72: nested more than 64 levels deep");
	/* one snapshot event aliased 10,001 times: a bound on snapshots */
	o = (size_t)sprintf(buf, "events:\n- &s {t: 0, slabinfo: true}\n");
	for (size_t i = 0; i < 10000; i++)
		o += (size_t)sprintf(buf + o, "- *s\n");
	refuse(buf, "w.yaml:2:3: more than 10000 slabinfo snapshots");
	free(buf);
}

/* An override the header takes can still break an event: found when read. */
static void test_events_after_override(void **state)
{
	struct workload wl;

	memset(err, 0, sizeof(err));
	assert_true(workload_load_string("w.yaml", "machine: {cpus: 4}\n" CACHE_C
					 "- {t: 0, cpu: 3, alloc: c, as: d1}\n",
					 &wl, err, sizeof(err)));
	assert_true(workload_override(&wl, "machine.cpus=2", err, sizeof(err)));
	assert_false(read_all(&wl));
	assert_string_equal(err, "w.yaml:5:15: cpu 3 is out of range (the machine has 2 CPUs: 0-1)");
}

static void test_bad_tune(void **state)
{
	/* "- {t: 0, tune: {" puts '{' at 16; "cache: c, limit: " ends at 33 */
	refuse(CACHE_C "- {t: 0, tune: {cache: c, limit: 0, batchcount: 1, shared: 0}}\n",
	       "w.yaml:4:34: bad tune: limit 0 (slabinfo_write needs limit >= 1)");
	refuse(CACHE_C "- {t: 0, tune: {cache: c, limit: 4, batchcount: 0, shared: 0}}\n",
	       "w.yaml:4:49: bad tune: batchcount 0 (slabinfo_write needs batchcount >= 1)");
	refuse(CACHE_C "- {t: 0, tune: {cache: c, limit: 4, batchcount: 2, shared: -1}}\n",
	       "w.yaml:4:60: bad tune: shared -1 (slabinfo_write needs shared >= 0)");
	refuse(CACHE_C "- {t: 0, tune: {cache: c, limit: 4, batchcount: 8, shared: 0}}\n",
	       "w.yaml:4:16: bad tune: batchcount 8 is larger than limit 4 (slabinfo_write needs batchcount <= limit)");
	refuse(CACHE_C "- {t: 0, tune: {cache: c, limit: 4, batchcount: 2}}\n",
	       "w.yaml:4:16: tune needs limit, batchcount and shared, as slabinfo_write does");
	refuse(CACHE_C "- {t: 0, tune: {limit: 4, batchcount: 2, shared: 0}}\n",
	       "w.yaml:4:16: tune needs cache: (which cache to tune)");
	refuse(CACHE_C "- {t: 0, tune: {cache: c, limit: 99999999999, batchcount: 2, shared: 0}}\n",
	       "w.yaml:4:34: tune limit '99999999999' is too large");
	/* in a cache declaration too, and a partial tune is allowed there */
	refuse("caches:\n- {name: c, size: 64, tune: {limit: 4, batchcount: 5}}\n",
	       "w.yaml:2:29: bad tune: batchcount 5 is larger than limit 4 (slabinfo_write needs batchcount <= limit)");
	refuse("caches:\n- {name: c, size: 64, tune: {shared: -2}}\n",
	       "w.yaml:2:38: bad tune: shared -2 (slabinfo_write needs shared >= 0)");
}

static void test_time_order(void **state)
{
	struct workload wl;

	refuse(CACHE_C "- {t: 2us, alloc: c, as: a}\n- {t: 1us, alloc: c, as: b}\n",
	       "w.yaml:5:7: t '1us' goes backwards (the event at line 4 is at t=2us)");
	refuse(CACHE_C "- {alloc: c, as: a}\n",
	       "w.yaml:4:3: alloc event needs t: (when it happens)");
	/* equal times keep file order */
	assert_true(load(CACHE_C "- {t: 1us, alloc: c, as: a}\n- {t: 1us, free: a}\n"
			 "- {t: 1000ns, alloc: c, as: b}\n", &wl));
	assert_int_equal(wl.events[0].op, WL_ALLOC);
	assert_int_equal(wl.events[1].op, WL_FREE);
	assert_int_equal(wl.events[2].name, 1);
	workload_free(&wl);
}

static void test_cpu_and_node(void **state)
{
	/* "- {t: 0, cpu: " is 14 characters */
	refuse(CACHE_C "- {t: 0, cpu: 1, alloc: c, as: a}\n",
	       "w.yaml:4:15: cpu 1 is out of range (the machine has 1 CPU: 0-0)");
	refuse(CACHE_C "- {t: 0, cpu: 999, alloc: c, as: a}\n",
	       "w.yaml:4:15: cpu '999' is out of range (0..255)");
	refuse(CACHE_C "- {t: 0, cpu: -1, alloc: c, as: a}\n",
	       "w.yaml:4:15: cpu '-1' is out of range (0..255)");
	refuse("machine: {cpus: 2}\n" CACHE_C "- {t: 0, cpu_down: 2}\n",
	       "w.yaml:5:20: cpu 2 is out of range (the machine has 2 CPUs: 0-1)");
	/* "- {t: 0, alloc_node: c, node: " is 30 characters */
	refuse(CACHE_C "- {t: 0, alloc_node: c, node: 1, as: a}\n",
	       "w.yaml:4:31: node 1 is out of range (the machine has 1 node)");
	refuse(CACHE_C "- {t: 0, alloc_node: c, as: a}\n",
	       "w.yaml:4:10: alloc_node needs node:");
	refuse(CACHE_C "- {t: 0, alloc: c, node: 0, as: a}\n",
	       "w.yaml:4:20: 'node' does not apply to alloc");
	refuse(CACHE_C "- {t: 0, alloc: c}\n",
	       "w.yaml:4:10: alloc needs as:");
	refuse(CACHE_C "- {t: 0, cpu: 0, cpu_down: 0}\n",
	       "w.yaml:4:10: 'cpu' does not apply to cpu_down");
	/* hotplug */
	refuse("machine: {cpus: 2}\n" CACHE_C "- {t: 0, cpu_down: 1}\n- {t: 1us, cpu: 1, alloc: c, as: a}\n",
	       "w.yaml:6:17: cpu 1 is offline (cpu_down at line 5)");
	refuse("machine: {cpus: 2}\n" CACHE_C "- {t: 0, cpu_down: 1}\n- {t: 1us, cpu_down: 0}\n",
	       "w.yaml:6:22: cpu_down 0 would take down the last online CPU");
	refuse("machine: {cpus: 2}\n" CACHE_C "- {t: 0, cpu_up: 1}\n",
	       "w.yaml:5:18: cpu_up 1: that CPU is already online");
	/* "- {t: 0, mempolicy: {policy: bind, nodes: [" is 43 characters */
	refuse("events:\n- {t: 0, mempolicy: {policy: bind, nodes: [0, 1]}}\n",
	       "w.yaml:2:43: mempolicy names node 1, but the machine has 1 node");
	refuse("events:\n- {t: 0, mempolicy: {policy: preferred, nodes: []}}\n",
	       "w.yaml:2:21: policy preferred needs exactly one node");
	refuse("events:\n- {t: 0, mempolicy: {policy: default, nodes: [0]}}\n",
	       "w.yaml:2:46: policy default takes no nodes");
	/* "- {t: 0, mempolicy: {cpu: " is 26 characters */
	refuse("events:\n- {t: 0, mempolicy: {cpu: 3, policy: default}}\n",
	       "w.yaml:2:27: cpu 3 is out of range (the machine has 1 CPU: 0-0)");
}

static void test_event_shapes(void **state)
{
	refuse(CACHE_C "- {t: 0, alloc: c, free: a, as: a}\n",
	       "w.yaml:4:20: event has two operations, 'alloc' and 'free' (write one event each)");
	refuse(CACHE_C "- {t: 0, cpu: 0}\n",
	       "w.yaml:4:3: event has no operation (expected one of: alloc, alloc_node, zalloc, free, kmalloc, kmalloc_node, kfree, touch, slabinfo, tune, shrink, destroy, create, cpu_down, cpu_up, mempolicy, walk, free_all)");
	refuse(CACHE_C "- {t: 0, alloc: d, as: a}\n",
	       "w.yaml:4:17: unknown cache 'd' (declare it under caches:)");
	refuse(CACHE_C "- {t: 0, shrink: size-64}\n",
	       "w.yaml:4:18: 'size-64' is a kmalloc cache; only caches declared under caches: can be named here (use kmalloc: SIZE)");
	refuse(CACHE_C "- {t: 0, slabinfo: false}\n",
	       "w.yaml:4:20: slabinfo takes true (drop the event to skip the snapshot)");
	refuse(CACHE_C "- {t: 0, kmalloc: 64, as: a, gfp: [GFP_KERNEL, GFP_SOMETIMES]}\n",
	       "w.yaml:4:48: unknown gfp flag 'GFP_SOMETIMES' (expected GFP_KERNEL, GFP_ATOMIC, GFP_NOFS, GFP_NOIO, GFP_USER, GFP_DMA, GFP_NOWAIT or a __GFP_* name)");
	refuse(CACHE_C "- [t, 0]\n",
	       "w.yaml:4:3: event must be a mapping (keys: t, cpu, gfp, as, node, bytes, write, site, offset, repeat, alloc, alloc_node, zalloc, free, kmalloc, kmalloc_node, kfree, touch, slabinfo, tune, shrink, destroy, create, cpu_down, cpu_up, mempolicy, walk, free_all), not a list");
}

static void test_cache_life(void **state)
{
	struct workload wl;
	const char *decl = "caches:\n- {name: c, size: 64, t: 5us}\nevents:\n";
	char buf[512];

	snprintf(buf, sizeof(buf), "%s- {t: 1us, alloc: c, as: a}\n", decl);
	refuse(buf, "w.yaml:4:19: cache 'c' does not exist yet at t=1us (it is created at t=5us)");
	snprintf(buf, sizeof(buf), "%s- {t: 1us, create: c}\n", decl);
	refuse(buf, "w.yaml:4:20: create of 'c' before its declaration creates it (at t=5us)");
	refuse(CACHE_C "- {t: 1us, create: c}\n",
	       "w.yaml:4:20: create of 'c', which already exists (destroy it first)");
	/* at its time it exists; destroyed it can be created again */
	snprintf(buf, sizeof(buf), "%s- {t: 5us, alloc: c, as: a}\n- {t: 6us, destroy: c}\n"
		 "- {t: 7us, alloc: c, as: b}\n- {t: 8us, create: c}\n", decl);
	assert_true(load(buf, &wl));
	/* the creation at 5us, then the four: alloc after destroy passes */
	assert_int_equal(wl.nr_events, 5);
	assert_int_equal(wl.events[0].op, WL_CREATE);
	assert_int_equal(wl.events[0].t, 5000);
	assert_int_equal(wl.events[1].op, WL_ALLOC);
	assert_int_equal(wl.duration, 0);
	workload_free(&wl);
	/* without events, and with CPU 0 down when it is due */
	assert_true(load("machine: {cpus: 2}\ncaches:\n- {name: c, size: 64, t: 1ms}\n"
			 "- {name: d, size: 64, t: 2us}\nevents:\n- {t: 1us, cpu_down: 0}\n", &wl));
	assert_int_equal(wl.nr_events, 3);	/* cpu_down, d at 2us, c at 1ms */
	assert_int_equal(wl.events[1].cache, 1);
	assert_int_equal(wl.events[1].cpu, 1);
	assert_int_equal(wl.events[2].cache, 0);
	assert_int_equal(wl.events[2].t, 1000000);
	workload_free(&wl);
	assert_true(load("caches:\n- {name: c, size: 64, t: 1ms}\n", &wl));
	assert_int_equal(wl.nr_events, 1);
	assert_int_equal(wl.events[0].op, WL_CREATE);
	workload_free(&wl);
	refuse("caches:\n- {name: c, size: 64, t: 5us}\ngenerators:\n- {cache: c, rate: 1/s, lifetime: {fixed: 1us}, until: 1s}\n",
	       "w.yaml:4:11: generator starts at t=0ns, but cache 'c' is created at t=5us");
}

static void test_touch_sizes(void **state)
{
	struct workload wl;

	assert_true(load(CACHE_C "- {t: 0, alloc: c, as: a}\n- {t: 1us, touch: a}\n"
			 "- {t: 2us, touch: a, bytes: 1KiB, write: no}\n", &wl));
	assert_int_equal(wl.events[1].size, 64);
	assert_true(wl.events[1].whole);
	assert_true(wl.events[1].write);
	assert_int_equal(wl.events[2].size, 1024);	/* an overrun is allowed */
	assert_false(wl.events[2].write);
	workload_free(&wl);
	/* a size override follows into the whole-object touches only */
	assert_true(workload_load_string("w.yaml", CACHE_C "- {t: 0, alloc: c, as: a}\n- {t: 1us, touch: a}\n"
					 "- {t: 2us, touch: a, bytes: 1KiB, write: no}\n",
					 &wl, err, sizeof(err)));
	assert_true(workload_override(&wl, "caches.c.size=200", err, sizeof(err)));
	assert_true(read_all(&wl));
	assert_int_equal(wl.events[1].size, 200);
	assert_int_equal(wl.events[2].size, 1024);
	workload_free(&wl);
	refuse(CACHE_C "- {t: 0, alloc: c, as: a}\n- {t: 1us, free: a, bytes: 4}\n",
	       "w.yaml:5:21: 'bytes' does not apply to free");
}

/*
 * walk: CACHE reads the whole object from offset once by default; its
 * range must lie inside the object, also after a size override.
 */
static void test_walks(void **state)
{
	struct workload wl;

	assert_true(load(CACHE_C "- {t: 0, walk: c}\n"
			 "- {t: 1us, cpu: 0, walk: c, offset: 16, repeat: 7}\n"
			 "- {t: 2us, walk: c, bytes: 48, write: true}\n", &wl));
	assert_int_equal(wl.events[0].op, WL_WALK);
	assert_int_equal(wl.events[0].cache, 0);
	assert_int_equal(wl.events[0].size, 64);
	assert_true(wl.events[0].whole);
	assert_false(wl.events[0].write);
	assert_int_equal(wl.events[0].repeat, 1);
	assert_int_equal(wl.events[0].offset, 0);
	assert_int_equal(wl.events[1].size, 48);	/* to the object's end */
	assert_int_equal(wl.events[1].offset, 16);
	assert_int_equal(wl.events[1].repeat, 7);
	assert_int_equal(wl.events[2].size, 48);
	assert_false(wl.events[2].whole);
	assert_true(wl.events[2].write);
	workload_free(&wl);
	/*
	 * shrinking the objects under a walk's range is refused when the
	 * walk is read (events are read after the overrides)
	 */
	assert_true(workload_load_string("w.yaml", CACHE_C "- {t: 0, walk: c}\n"
					 "- {t: 2us, walk: c, bytes: 48, write: true}\n",
					 &wl, err, sizeof(err)));
	assert_true(workload_override(&wl, "caches.c.size=40", err, sizeof(err)));
	assert_false(read_all(&wl));
	assert_string_equal(err, "w.yaml:5:28: walk of 48 bytes at offset 0 does not fit in 'c' objects (40 bytes)");

	refuse(CACHE_C "- {t: 0, walk: c, offset: 64}\n",
	       "w.yaml:4:27: walk offset 64 is past the end of 'c' objects (64 bytes)");
	refuse(CACHE_C "- {t: 0, walk: c, offset: 60, bytes: 8}\n",
	       "w.yaml:4:38: walk of 8 bytes at offset 60 does not fit in 'c' objects (64 bytes)");
	refuse(CACHE_C "- {t: 0, walk: c, bytes: 0}\n",
	       "w.yaml:4:26: walk of 0 bytes (leave bytes: out to read the whole object)");
	refuse(CACHE_C "- {t: 0, walk: c, repeat: 0}\n",
	       "w.yaml:4:27: repeat '0' is out of range (1..1000000)");
	refuse(CACHE_C "- {t: 0, walk: d}\n",
	       "w.yaml:4:16: unknown cache 'd' (declare it under caches:)");
	refuse(CACHE_C "- {t: 0, alloc: c, as: a}\n- {t: 1us, free: a, repeat: 2}\n",
	       "w.yaml:5:21: 'repeat' does not apply to free");

	/* generators: walk: {every, bytes, offset, write} of a cache generator */
	assert_true(load("caches:\n- {name: c, size: 64}\n"
			 "generators:\n- {cache: c, rate: 1/s, lifetime: {fixed: 1us},\n"
			 "   until: 1s, walk: {every: 1ms, bytes: 16, offset: 8}}\n", &wl));
	assert_int_equal(wl.generators[0].walk.every, 1000000);
	assert_int_equal(wl.generators[0].walk.bytes, 16);
	assert_int_equal(wl.generators[0].walk.offset, 8);
	assert_false(wl.generators[0].walk.write);
	workload_free(&wl);
	refuse("generators:\n- {kmalloc: 64, rate: 1/s, lifetime: {fixed: 1us}, until: 1s,\n"
	       "   walk: {every: 1ms}}\n",
	       "w.yaml:3:10: walk needs a cache generator (cache: NAME); a kmalloc generator's objects are spread over size-N caches");
	refuse("caches:\n- {name: c, size: 64}\n"
	       "generators:\n- {cache: c, rate: 1/s, lifetime: {fixed: 1us}, until: 1s,\n"
	       "   walk: {bytes: 8}}\n",
	       "w.yaml:5:10: walk needs every: (how often each of the generator's CPUs walks the cache, like 1ms)");
	refuse("caches:\n- {name: c, size: 64}\n"
	       "generators:\n- {cache: c, rate: 1/s, lifetime: {fixed: 1us}, until: 1s,\n"
	       "   walk: {every: 1ms, offset: 32, bytes: 33}}\n",
	       "w.yaml:5:10: walk of 33 bytes at offset 32 does not fit in 'c' objects (64 bytes)");
}

/* slab.colouring and caches[].colouring (unset: -1, as the workload) */
static void test_colouring_keys(void **state)
{
	struct workload wl;

	assert_true(load("caches:\n- {name: c, size: 64}\n"
			 "- {name: d, size: 64, colouring: false}\n", &wl));
	assert_true(wl.colouring);
	assert_int_equal(wl.caches[0].colouring, -1);
	assert_int_equal(wl.caches[1].colouring, 0);
	assert_true(workload_override(&wl, "slab.colouring=false", err, sizeof(err)));
	assert_false(wl.colouring);
	assert_true(workload_override(&wl, "caches.c.colouring=true", err, sizeof(err)));
	assert_int_equal(wl.caches[0].colouring, 1);
	assert_false(workload_override(&wl, "caches.c.colouring=maybe", err, sizeof(err)));
	assert_string_equal(err, "bad colouring 'maybe' (expected true or false)");
	assert_int_equal(wl.caches[0].colouring, 1);
	workload_free(&wl);
	assert_true(load("slab: {colouring: false}\n", &wl));
	assert_false(wl.colouring);
	workload_free(&wl);
	refuse("slab: {colouring: sometimes}\n",
	       "w.yaml:1:19: bad colouring 'sometimes' (expected true or false)");
}

static void test_generators(void **state)
{
	struct workload wl;

	refuse("generators:\n- {kmalloc: 64, rate: 1/s, lifetime: {fixed: 1us}}\n",
	       "w.yaml:2:3: generator has no end: give it until:, or give the workload a duration:");
	refuse("generators:\n- {rate: 1/s, lifetime: {fixed: 1us}, until: 1s}\n",
	       "w.yaml:2:3: generator needs exactly one of cache: or kmalloc:");
	refuse("generators:\n- {kmalloc: 64, lifetime: {fixed: 1us}, until: 1s}\n",
	       "w.yaml:2:3: generator needs a rate: (like 100000/s per CPU)");
	refuse("generators:\n- {kmalloc: 64, rate: 1/s, until: 1s}\n",
	       "w.yaml:2:3: generator needs a lifetime: (until_free_all, {exp: DUR}, {fixed: DUR}, {uniform: [DUR, DUR]}, {lognormal: [MEDIAN, SIGMA]} or {pareto: [SCALE, ALPHA]})");
	refuse("generators:\n- {kmalloc: 64, rate: 1/s, lifetime: {fixed: 1us, exp: 1us}, until: 1s}\n",
	       "w.yaml:2:38: lifetime takes exactly one of exp:, fixed:, uniform:, lognormal: or pareto:");
	refuse("generators:\n- {kmalloc: [64, 32], rate: 1/s, lifetime: {fixed: 1us}, until: 1s}\n",
	       "w.yaml:2:18: kmalloc [MIN, MAX] is backwards: '32' is below MIN");
	refuse("generators:\n- {kmalloc: [64], rate: 1/s, lifetime: {fixed: 1us}, until: 1s}\n",
	       "w.yaml:2:13: kmalloc takes a pair [MIN, MAX]");
	refuse("generators:\n- {kmalloc: 64, cpus: [0, 1], rate: 1/s, lifetime: {fixed: 1us}, until: 1s}\n",
	       "w.yaml:2:27: cpu 1 is out of range (the machine has 1 CPU: 0-0)");
	refuse("machine: {cpus: 2}\ngenerators:\n- {kmalloc: 64, cpus: [1, 1], rate: 1/s, lifetime: {fixed: 1us}, until: 1s}\n",
	       "w.yaml:3:27: cpu 1 is listed twice in cpus");
	refuse("duration: 0\n",
	       "w.yaml:1:11: duration 0 would run nothing (leave duration out to run until the last event)");
	refuse("generators:\n- {kmalloc: 64, rate: 1/s, lifetime: {fixed: 1us}, from: 1s, until: 1s}\n",
	       "w.yaml:2:3: generator from t=1s is not before until t=1s");
	refuse("duration: 1s\ngenerators:\n- {kmalloc: 64, rate: 1/s, lifetime: {fixed: 1us}, until: 2s}\n",
	       "w.yaml:3:3: generator runs until t=2s, after the end of the run (duration 1s)");
	/* until defaults to the duration; both ends are kept as given */
	assert_true(load("duration: 5s\ngenerators:\n- {kmalloc: 64, rate: 1/s, lifetime: {exp: 1us}}\n"
			 "- {kmalloc: 64, rate: 1/s, lifetime: {exp: 1us}, until: 3s}\n", &wl));
	assert_int_equal(wl.duration, 5000000000ULL);
	assert_int_equal(wl.generators[0].until, 5000000000ULL);
	assert_false(wl.generators[0].until_given);
	assert_int_equal(wl.generators[1].until, 3000000000ULL);
	workload_free(&wl);
}

/* ------------------------------------------------------------------ */
/* Robustness                                                          */
/* ------------------------------------------------------------------ */

static void test_syntax_errors(void **state)
{
	/* the flow mapping opened on line 2 column 10 is never closed */
	refuse("name: x\nmachine: {cpus: 2\n",
	       "w.yaml:3:1: YAML syntax error: did not find expected ',' or '}' (while parsing a flow mapping at line 2, column 10)");
	/* a tab cannot indent */
	refuse("machine:\n\tcpus: 2\n",
	       "w.yaml:2:1: YAML syntax error: found character that cannot start any token (while scanning for the next token at line 2, column 1)");
	refuse("machine: *nope\n",
	       "w.yaml:1:10: alias '*nope' names no anchor before it");
	refuse("name: \xff\n", "w.yaml:1:7: cannot read: invalid leading UTF-8 octet");
}

static void test_odd_documents(void **state)
{
	struct workload wl;

	refuse("", "w.yaml: empty workload (expected a mapping with name, seed, machine, caches, events, ...)");
	refuse("# nothing but a comment\n",
	       "w.yaml: empty workload (expected a mapping with name, seed, machine, caches, events, ...)");
	refuse("hello\n",
	       "w.yaml:1:1: a workload is a mapping of keys (name, seed, machine, slab, caches, events, generators, sample, duration, faults), not 'hello'");
	refuse("[1, 2]\n",
	       "w.yaml:1:1: a workload is a mapping of keys (name, seed, machine, slab, caches, events, generators, sample, duration, faults), not a list");
	refuse("seed: 1\n---\nseed: 2\n",
	       "w.yaml:3:1: a second YAML document; a workload is one document");
	/* the same after events read in one pass */
	refuse(CACHE_C "- {t: 0, alloc: c, as: d1}\n---\nseed: 2\n",
	       "w.yaml:6:1: a second YAML document; a workload is one document");
	/* anchors and aliases are plain YAML and work */
	assert_true(load("machine: {cpus: &n 4, nodes: *n}\n", &wl));
	assert_int_equal(wl.machine.nodes, 4);
	workload_free(&wl);
	/* an alias to the wrong section is just a wrong key */
	refuse("machine: &m {cpus: 2}\nslab: *m\n",
	       "w.yaml:1:14: unknown key 'cpus' in slab (expected one of: debug, colouring)");
	/* an alias that points at itself ends in a wrong type, not a loop */
	refuse_prefix("caches: &c [*c]\n", "w.yaml:1:");
	refuse_prefix("machine: &m {caches: *m}\n", "w.yaml:1:");
	refuse_prefix("events: &e [{t: 0, mempolicy: *e}]\n", "w.yaml:1:");
	{
		char msg[256];

		assert_false(workload_load("/nonexistent/w.yaml", &wl, msg, sizeof(msg)));
		assert_string_equal(msg, "/nonexistent/w.yaml: cannot open: No such file or directory");
	}
}

/* 20000 events load quickly: names are hashed, not searched. */
static void test_many_events(void **state)
{
	struct workload wl;
	size_t n = 10000, i, len = 0, cap = n * 80 + 100;
	char *buf = malloc(cap);

	assert_non_null(buf);
	len += (size_t)snprintf(buf + len, cap - len, "%s", CACHE_C);
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(buf + len, cap - len,
					"- {t: %zuns, alloc: c, as: o%zu}\n- {t: %zuns, free: o%zu}\n",
					i, i, i, i / 2);
	assert_true(load(buf, &wl));
	assert_int_equal(wl.nr_events, 2 * n);
	assert_int_equal(wl.nr_names, n);
	assert_int_equal(wl.events[2 * n - 1].name, (int)(n - 1) / 2);
	workload_free(&wl);
	free(buf);
}

/* xorshift64: the fuzz is the same on every run. */
static uint64_t xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void check_message(const regex_t *re, const char *msg)
{
	if (!msg[0] || strchr(msg, '\n') || regexec(re, msg, 0, NULL, 0))
		fail_msg("bad error line: '%s'", msg);
}

/*
 * 2000 mutants of a valid file: bytes flipped to YAML-significant
 * characters, spans deleted or duplicated, tails cut. Each must load or
 * give one well-formed error line, and so must an override on it.
 */
static void test_fuzz(void **state)
{
	static const char alphabet[] = ":{}[],-&*!|>'\"#\n \t0123456789aZ.%@`?/\\\x7f\xc3";
	char *base = slurp(data_path("all-keys.yaml"));
	size_t len = strlen(base), i;
	uint64_t s = 0x9e3779b97f4a7c15ULL;
	regex_t re;
	int loaded = 0;

	assert_int_equal(regcomp(&re, "^[^:]+:[0-9]+:[0-9]+: |^[^:]+: ",
				 REG_EXTENDED | REG_NOSUB), 0);
	for (i = 0; i < 2000; i++) {
		char *m = malloc(2 * len + 1);
		size_t mlen = len, k, nmut = 1 + xorshift(&s) % 4;
		struct workload wl;

		assert_non_null(m);
		memcpy(m, base, len + 1);
		for (k = 0; k < nmut && mlen; k++) {
			size_t at = xorshift(&s) % mlen;
			size_t span = 1 + xorshift(&s) % 16;

			if (at + span > mlen)
				span = mlen - at;
			switch (xorshift(&s) % 5) {
			case 0:
			case 1:
				m[at] = alphabet[xorshift(&s) % (sizeof(alphabet) - 1)];
				break;
			case 2:		/* delete a span */
				memmove(m + at, m + at + span, mlen - at - span + 1);
				mlen -= span;
				break;
			case 3:		/* duplicate a span */
				if (mlen + span < 2 * len) {
					memmove(m + at + span, m + at, mlen - at + 1);
					mlen += span;
				}
				break;
			default:	/* cut the tail */
				m[at] = '\0';
				mlen = at;
				break;
			}
		}
		if (load(m, &wl)) {
			loaded++;
			/* the caller names the assignment: one line is enough */
			if (!workload_override(&wl, "machine.cpus=1", err, sizeof(err)) &&
			    (!err[0] || strchr(err, '\n')))
				fail_msg("bad override error: '%s'", err);
			workload_free(&wl);
		} else {
			check_message(&re, err);
		}
		free(m);
	}
	/* most single mutations of comments and values still load */
	assert_true(loaded > 0);
	assert_true(loaded < 2000);
	regfree(&re);
	free(base);
}

/* Where the value that starts at p ends: its bracket, or , } ] newline. */
static size_t value_end(const char *p)
{
	size_t i = 0;
	int depth = 0;

	if (*p == '{' || *p == '[') {
		for (; p[i]; i++) {
			depth += p[i] == '{' || p[i] == '[';
			depth -= p[i] == '}' || p[i] == ']';
			if (!depth)
				return i + 1;
		}
		return i;
	}
	while (p[i] && !strchr(",}]\n", p[i]))
		i++;
	return i;
}

/*
 * Every value of both example files swapped, one at a time, for a value
 * of another shape: a list, a mapping, nothing, a negative or huge
 * number, an alias. Each must be refused with one well-formed line (or
 * loaded, where the shape happens to fit), never crash.
 */
static void test_type_swaps(void **state)
{
	static const char *const swaps[] = {
		"[]", "{}", "[1, [2]]", "{x: 1}", "''", "~", "-5",
		"99999999999999999999999", "&a {t: *a}", "\"\\0\"",
	};
	static const char *const files[] = { "dentry-churn.yaml", "all-keys.yaml" };
	regex_t re;
	size_t f, i, k;
	int tried = 0, refused = 0;

	assert_int_equal(regcomp(&re, "^[^:]+:[0-9]+:[0-9]+: |^[^:]+: ",
				 REG_EXTENDED | REG_NOSUB), 0);
	for (f = 0; f < 2; f++) {
		char *base = slurp(data_path(files[f]));
		size_t len = strlen(base);

		for (i = 0; i + 2 < len; i++) {
			size_t end;

			if (base[i] != ':' || base[i + 1] != ' ')
				continue;
			end = i + 2 + value_end(base + i + 2);
			for (k = 0; k < sizeof(swaps) / sizeof(swaps[0]); k++) {
				size_t n = len + strlen(swaps[k]) + 1;
				char *m = malloc(n);
				struct workload wl;

				assert_non_null(m);
				snprintf(m, n, "%.*s%s%s", (int)(i + 2), base,
					 swaps[k], base + end);
				tried++;
				if (load(m, &wl)) {
					workload_free(&wl);
				} else {
					refused++;
					check_message(&re, err);
				}
				free(m);
			}
		}
		free(base);
	}
	/* about 150 values x 10 shapes; nearly all must be refused */
	assert_true(tried > 1000);
	assert_true(refused > tried * 9 / 10);
	regfree(&re);
}

/* ------------------------------------------------------------------ */
/* Overrides                                                           */
/* ------------------------------------------------------------------ */

static void test_overrides(void **state)
{
	struct workload wl;
	const char *path = data_path("dentry-churn.yaml");
	char want[512];

	if (!workload_load(path, &wl, err, sizeof(err)))
		fail_msg("%s", err);
	assert_true(workload_override(&wl, "seed=7", err, sizeof(err)));
	assert_int_equal(wl.seed, 7);
	assert_true(workload_override(&wl, "slab.debug=true", err, sizeof(err)));
	assert_true(wl.debug);
	assert_true(workload_override(&wl, "machine.costs.lock=30ns", err, sizeof(err)));
	assert_int_equal(wl.machine.cost_lock, 30);
	assert_true(workload_override(&wl, "machine.caches.l1d.size=64KiB", err, sizeof(err)));
	assert_int_equal(wl.machine.l1d.size, 65536);
	assert_true(workload_override(&wl, "machine.cpus=16", err, sizeof(err)));
	assert_int_equal(wl.machine.cpus, 16);
	assert_true(workload_override(&wl, "caches.skbuff_head.tune.limit=200", err, sizeof(err)));
	assert_int_equal(wl.caches[1].tune.limit, 200);
	assert_true(workload_override(&wl, "caches.dentry_cache.size=64", err, sizeof(err)));
	assert_int_equal(wl.caches[0].size, 64);
	assert_true(workload_override(&wl, "sample=1ms", err, sizeof(err)));
	assert_int_equal(wl.sample, 1000000);
	assert_true(workload_override(&wl, "duration=5s", err, sizeof(err)));
	assert_true(wl.duration_given);
	assert_int_equal(wl.duration, 5000000000ULL);
	assert_int_equal(wl.generators[0].until, 2000000000ULL);

	/* free_on: [4, 5] needs six CPUs; the generator is on line 25 */
	assert_false(workload_override(&wl, "machine.cpus=4", err, sizeof(err)));
	snprintf(want, sizeof(want), "%s:25:5: generator free_on cpu 4 is out of range (the machine has 4 CPUs)", path);
	assert_string_equal(err, want);
	assert_int_equal(wl.machine.cpus, 16);	/* put back */
	/* the generator again, before any event is read */
	assert_false(workload_override(&wl, "machine.cpus=2", err, sizeof(err)));
	snprintf(want, sizeof(want), "%s:25:5: generator free_on cpu 4 is out of range (the machine has 2 CPUs)", path);
	assert_string_equal(err, want);
	/* 60 > 16: the batchcount of the declaration (line 15) */
	assert_false(workload_override(&wl, "caches.skbuff_head.tune.limit=16", err, sizeof(err)));
	snprintf(want, sizeof(want), "%s:15:5: bad tune: batchcount 60 is larger than limit 16 (slabinfo_write needs batchcount <= limit)", path);
	assert_string_equal(err, want);
	assert_int_equal(wl.caches[1].tune.limit, 200);
	/*
	 * the tune event at 2s is after a 1s end: accepted, the runner
	 * counts it as not run; but a generator until 2s is not
	 */
	assert_false(workload_override(&wl, "duration=1s", err, sizeof(err)));
	snprintf(want, sizeof(want), "%s:25:5: generator runs until t=2s, after the end of the run (duration 1s)", path);
	assert_string_equal(err, want);
	assert_int_equal(wl.duration, 5000000000ULL);	/* put back */
	assert_true(wl.duration_given);
	/* 2 nodes x 2GiB = 4GiB */
	assert_false(workload_override(&wl, "machine.memory=2GiB", err, sizeof(err)));
	assert_string_equal(err, "2 nodes x 2048 MiB is over 3GiB (simulated physical addresses are 32-bit)");
	assert_int_equal(wl.machine.memory, 512ULL << 20);

	assert_false(workload_override(&wl, "machine.cpus=abc", err, sizeof(err)));
	assert_string_equal(err, "bad cpus 'abc' (expected a whole number)");
	assert_false(workload_override(&wl, "machine.cpu=4", err, sizeof(err)));
	assert_string_equal(err, "unknown key 'cpu' in machine (expected one of: arch, bufctl, nodes, cpus, memory, hz, min_free_kbytes, caches, costs, smp)");
	assert_false(workload_override(&wl, "machine.caches=1", err, sizeof(err)));
	assert_string_equal(err, "'caches' is a section; set one of its keys (line, l1d, l2, model)");
	assert_false(workload_override(&wl, "name=x", err, sizeof(err)));
	assert_string_equal(err, "'name' cannot be set (settable: seed, sample, duration, slab.debug, slab.colouring, machine.*, caches.NAME.size, .align, .colouring, .tune.limit, .tune.batchcount, .tune.shared, generators.NAME.rate, .from, .until, .touch, .touch_free, .gfp, .walk.*, faults.page_alloc.*)");
	assert_false(workload_override(&wl, "caches.dentry_cache.flags=POISON", err, sizeof(err)));
	assert_false(workload_override(&wl, "caches.nosuch.size=4", err, sizeof(err)));
	assert_string_equal(err, "no declared cache matches 'caches.nosuch.size'");
	assert_false(workload_override(&wl, "nonsense", err, sizeof(err)));
	assert_false(workload_override(&wl, "seed=", err, sizeof(err)));
	assert_string_equal(err, "missing value for seed");
	assert_true(workload_override(&wl, "machine.arch=i386", err, sizeof(err)));
	assert_string_equal(wl.machine.arch, "i386");

	/* the generator (unnamed: by its place) of line 25 */
	assert_true(workload_override(&wl, "generators.0.rate=50000/s", err, sizeof(err)));
	assert_true(wl.generators[0].rate == 50000.0);
	assert_true(workload_override(&wl, "generators.0.until=1s", err, sizeof(err)));
	assert_int_equal(wl.generators[0].until, 1000000000ULL);
	assert_false(workload_override(&wl, "generators.0.from=1s", err, sizeof(err)));
	snprintf(want, sizeof(want), "%s:25:5: generator from t=1s is not before until t=1s", path);
	assert_string_equal(err, want);
	assert_int_equal(wl.generators[0].from, 0);	/* put back */
	assert_true(wl.generators[0].rate == 50000.0);
	assert_false(workload_override(&wl, "generators.0.walk.bytes=16", err, sizeof(err)));
	snprintf(want, sizeof(want), "%s:25:5: walk needs every: (how often each of the generator's CPUs walks the cache, like 1ms)", path);
	assert_string_equal(err, want);
	assert_int_equal(wl.generators[0].walk.bytes, 0);
	assert_true(workload_override(&wl, "generators.0.walk.every=1ms", err, sizeof(err)));
	assert_int_equal(wl.generators[0].walk.every, 1000000);
	assert_false(workload_override(&wl, "generators.0.walk.offset=180", err, sizeof(err)));
	snprintf(want, sizeof(want), "%s:25:5: walk of 180 bytes at offset 180 does not fit in 'skbuff_head' objects (180 bytes)", path);
	assert_string_equal(err, want);
	assert_true(workload_override(&wl, "generators.0.gfp=GFP_ATOMIC", err, sizeof(err)));
	assert_int_equal(wl.generators[0].gfp, GFP_ATOMIC);
	assert_false(workload_override(&wl, "generators.0.rate=2/ns", err, sizeof(err)));
	assert_string_equal(err, "bad rate '2/ns' (use N/s, N/ms or N/us)");
	assert_false(workload_override(&wl, "generators.0.rate=2000/us", err, sizeof(err)));
	assert_string_equal(err, "rate '2000/us' is more than one allocation per ns per CPU");
	assert_true(wl.generators[0].rate == 50000.0);
	assert_false(workload_override(&wl, "generators.1.rate=1/s", err, sizeof(err)));
	assert_string_equal(err, "no generator matches 'generators.1.rate' (generators.NAME.KEY, or generators.N.KEY counting from 0)");
	assert_false(workload_override(&wl, "generators.0.cpus=1", err, sizeof(err)));
	assert_non_null(strstr(err, "'generators.0.cpus' cannot be set (settable: "));
	assert_false(workload_override(&wl, "generators.x.rate=1/s", err, sizeof(err)));
	workload_free(&wl);

	/* by name, a dotted one too; a kmalloc generator cannot walk */
	static const char named[] =
		"name: n\nmachine: {cpus: 2}\ncaches: [{name: c, size: 64, t: 1ms}]\n"
		"generators:\n"
		"  - {name: web.front, kmalloc: 100, rate: 1000/s, lifetime: {exp: 1ms}}\n"
		"  - {name: bg, cache: c, rate: 10/s, lifetime: {exp: 1ms}, from: 2ms}\n"
		"duration: 1s\n";
	if (!workload_load_string("n.yaml", named, &wl, err, sizeof(err)))
		fail_msg("%s", err);
	assert_true(workload_override(&wl, "generators.web.front.rate=5/s", err, sizeof(err)));
	assert_true(wl.generators[0].rate == 5.0);
	assert_true(workload_override(&wl, "generators.1.rate=7/s", err, sizeof(err)));
	assert_true(wl.generators[1].rate == 7.0);
	assert_false(workload_override(&wl, "generators.web.front.walk.every=1ms", err, sizeof(err)));
	assert_string_equal(err, "n.yaml:5:5: walk needs a cache generator (cache: NAME); a kmalloc generator's objects are spread over size-N caches");
	assert_false(workload_override(&wl, "generators.bg.from=0s", err, sizeof(err)));
	assert_string_equal(err, "n.yaml:6:5: generator starts at t=0ns, but cache 'c' is created at t=1ms");
	assert_int_equal(wl.generators[1].from, 2000000);
	workload_free(&wl);
}

/*
 * A top-level key after events: in a file is seen wherever its line falls
 * in the loader's 64 KiB reads of the text after the events (the first
 * byte of a read included): the header then has it. Missed, the file
 * would be read in one pass and seed left at 0.
 */
static void test_key_after_events_in_file(void **state)
{
	static const char head[] = "caches: [{name: c, size: 64}]\nevents:\n";
	static const char item[] = "  - 0ns 0 alloc c x0\n";
	/* the events' offset: their sequence starts at the first '-' */
	const long events_at = (long)strlen(head) + 2;

	(void)state;
	for (long pad = -3; pad <= 3; pad++) {
		char path[] = "/tmp/slabsim-keyafter-XXXXXX";
		int fd = mkstemp(path);
		FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
		struct workload wl;
		char msg[256];
		/* "seed" begins at events_at + 65536 + pad */
		long fill = events_at + 65536 + pad - (long)strlen(head) -
			    (long)strlen(item) - 2;

		assert_non_null(f);
		fputs(head, f);
		fputs(item, f);
		fputc('#', f);
		for (long i = 0; i < fill; i++)
			fputc('x', f);
		fputs("\nseed: 5\n", f);
		fclose(f);
		assert_true(workload_load(path, &wl, msg, sizeof(msg)));
		assert_int_equal(wl.seed, 5);
		workload_free(&wl);
		unlink(path);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_design_example),
		cmocka_unit_test(test_all_keys),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_durations),
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_rates),
		cmocka_unit_test(test_unit_messages),
		cmocka_unit_test(test_unknown_keys),
		cmocka_unit_test(test_key_shapes),
		cmocka_unit_test(test_machine_rules),
		cmocka_unit_test(test_cache_rules),
		cmocka_unit_test(test_never_allocated),
		cmocka_unit_test(test_live_names),
		cmocka_unit_test(test_events_after_override),
		cmocka_unit_test(test_dead_names_forgotten),
		cmocka_unit_test(test_nesting_and_aliases),
		cmocka_unit_test(test_bad_tune),
		cmocka_unit_test(test_time_order),
		cmocka_unit_test(test_cpu_and_node),
		cmocka_unit_test(test_event_shapes),
		cmocka_unit_test(test_cache_life),
		cmocka_unit_test(test_touch_sizes),
		cmocka_unit_test(test_walks),
		cmocka_unit_test(test_colouring_keys),
		cmocka_unit_test(test_generators),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_odd_documents),
		cmocka_unit_test(test_many_events),
		cmocka_unit_test(test_fuzz),
		cmocka_unit_test(test_type_swaps),
		cmocka_unit_test(test_overrides),
		cmocka_unit_test(test_key_after_events_in_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
