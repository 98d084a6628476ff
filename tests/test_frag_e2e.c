/*
 * End-to-end tests of fragmentation measurement: the real slabsim binary
 * (SLABSIM) on workloads/fragmentation.yaml (under SLABSIM_SRC) and on
 * small workloads written here; what they check is read back from the run
 * directory (summary.json, kernel.log, fragmentation.csv), as a user would.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "e2e_util.h"


/* ---- helpers ---- */

/* slabsim run WORKLOAD -o DIR -q; returns the exit status. */
static int run_slabsim(const char *workload, const char *dir)
{
	return run("run", workload, "-o", dir, "-q", NULL);
}

/* The number after "key": at or after from; fails the test if absent. */
static double json_num(const char *from, const char *key)
{
	char pat[128];
	const char *p;

	snprintf(pat, sizeof(pat), "\"%s\": ", key);
	p = strstr(from, pat);
	if (!p)
		fail_msg("summary.json has no %s", key);
	return strtod(p + strlen(pat), NULL);
}

static const char *json_at(const char *text, const char *key)
{
	char pat[128];
	const char *p;

	snprintf(pat, sizeof(pat), "\"%s\": ", key);
	p = strstr(text, pat);
	if (!p)
		fail_msg("summary.json has no %s", key);
	return p;
}

/* A CSV file read whole: rows of fields, the header's names. */
#define MAX_COLS 64
struct csv {
	char *text;
	char **cells;		/* nrows * ncols */
	size_t nrows, ncols;
	char *names[MAX_COLS];
};

static void csv_load(struct csv *c, const char *path)
{
	char *line, *save = NULL;
	size_t cap = 0;

	memset(c, 0, sizeof(*c));
	c->text = slurp(path, NULL);
	assert_non_null(c->text);
	for (line = strtok_r(c->text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *f[MAX_COLS];
		size_t n = 0;

		f[n++] = line;
		for (char *p = line; *p; p++)
			if (*p == ',') {
				*p = '\0';
				assert_true(n < MAX_COLS);
				f[n++] = p + 1;
			}
		if (!c->ncols) {
			c->ncols = n;
			memcpy(c->names, f, n * sizeof(char *));
			continue;
		}
		if (n != c->ncols)
			fail_msg("%s: row %zu has %zu fields, header %zu", path,
				 c->nrows + 2, n, c->ncols);
		if ((c->nrows + 1) * n > cap) {
			cap = cap ? 2 * cap : 4096 * n;
			c->cells = realloc(c->cells, cap * sizeof(char *));
			assert_non_null(c->cells);
		}
		memcpy(c->cells + c->nrows * n, f, n * sizeof(char *));
		c->nrows++;
	}
}

static void csv_free(struct csv *c)
{
	free(c->cells);
	free(c->text);
}

static size_t col(const struct csv *c, const char *name)
{
	for (size_t i = 0; i < c->ncols; i++)
		if (!strcmp(c->names[i], name))
			return i;
	fail_msg("no column %s", name);
	return 0;
}

static const char *cell(const struct csv *c, size_t row, const char *name)
{
	return c->cells[row * c->ncols + col(c, name)];
}

static long long num(const struct csv *c, size_t row, const char *name)
{
	return strtoll(cell(c, row, name), NULL, 10);
}

static bool is(const struct csv *c, size_t row, const char *kind)
{
	return !strcmp(cell(c, row, "kind"), kind);
}

/* The row of one kind (and zone or cache, when given) at time t_ms. */
static long find_row(const struct csv *c, const char *t, const char *kind,
		     const char *zone, const char *cache)
{
	for (size_t r = 0; r < c->nrows; r++)
		if (!strcmp(cell(c, r, "t_ms"), t) && is(c, r, kind) &&
		    (!zone || !strcmp(cell(c, r, "zone"), zone)) &&
		    (!cache || !strcmp(cell(c, r, "cache"), cache)))
			return (long)r;
	return -1;
}

/* The timeseries.csv row of cache at t_ms t, or -1. */
static long find_row_ts(const struct csv *c, const char *t, const char *cache)
{
	for (size_t r = 0; r < c->nrows; r++)
		if (!strcmp(cell(c, r, "t_ms"), t) &&
		    !strcmp(cell(c, r, "cache"), cache))
			return (long)r;
	return -1;
}

/*
 * What every fragmentation.csv must satisfy: waste components add up to
 * the bytes held, bytes held are pages of 4096 bytes, per sample the slab
 * rows, the slab_total row and the PG_slab count of the zone rows agree,
 * and each zone's free pages are its buddy rows' nr_free << order.
 */
static void check_frag_csv(const char *dir)
{
	static const char *const parts[] = {
		"bytes_requested", "rounding", "parked_cpu", "parked_shared",
		"parked_alien", "idle_partial", "idle_free", "kernel_objs",
		"left_over", "mgmt",
	};
	char path[600];
	struct csv c;
	long long slab_pages = 0, zone_slab = 0, total = -1, buddy_free = 0;
	size_t samples = 0;

	snprintf(path, sizeof(path), "%s/fragmentation.csv", dir);
	csv_load(&c, path);
	assert_int_equal(c.ncols, 35);
	assert_true(c.nrows > 0);
	for (size_t r = 0; r < c.nrows; r++) {
		bool last = r + 1 == c.nrows ||
			    strcmp(cell(&c, r, "t_ms"), cell(&c, r + 1, "t_ms"));

		if (is(&c, r, "slab") || is(&c, r, "slab_total")) {
			long long sum = 0;

			for (size_t k = 0; k < sizeof(parts) / sizeof(parts[0]); k++)
				sum += num(&c, r, parts[k]);
			assert_int_equal(num(&c, r, "bytes_held"), sum);
			assert_int_equal(num(&c, r, "bytes_held"),
					 num(&c, r, "pages") * 4096);
			assert_true(num(&c, r, "kernel_objs") >= 0);
			if (is(&c, r, "slab"))
				slab_pages += num(&c, r, "pages");
			else
				total = num(&c, r, "pages");
		} else if (is(&c, r, "buddy")) {
			buddy_free += num(&c, r, "nr_free") << num(&c, r, "order");
		} else if (is(&c, r, "zone")) {
			zone_slab += num(&c, r, "slab_pages");
			assert_int_equal(num(&c, r, "free_pages"), buddy_free);
			buddy_free = 0;
		} else if (is(&c, r, "failure")) {
			/* page allocation failures: after the samples */
			assert_true(num(&c, r, "order") < 11);
			continue;
		} else {
			fail_msg("unknown kind %s", cell(&c, r, "kind"));
		}
		if (!last)
			continue;
		assert_int_equal(slab_pages, total);
		assert_int_equal(zone_slab, total);
		slab_pages = zone_slab = 0;
		total = -1;
		samples++;
	}
	assert_true(samples >= 2);
	csv_free(&c);
}

/* ---- tests ---- */

/*
 * workloads/fragmentation.yaml: the first page allocation failure is the
 * 32 KiB kmalloc's order-3 request with GFP_KERNEL, mode 0xd0
 * (__GFP_WAIT 0x10 | __GFP_IO 0x40 | __GFP_FS 0x80), after direct reclaim,
 * while more than a fifth of the managed pages are free.
 *
 * Watermarks of its 32 MiB machine: 8192 frames, 257 reserved (pfn 0 and
 * 1 MiB of bootmem), so 7935 managed. The workload sets vm.min_free_kbytes
 * to 32: pages_min = 8, DMA32 (4096 managed) gets 8 * 4096 / 7935 = 4,
 * DMA (3839) 3. zone_watermark_ok for order 3 asks that the pages in
 * blocks of order >= 3, less 7, stay above min >> 3 = 0: the last order-3
 * block can be handed out. So when the request fails no suitable block is
 * left in either zone: the unusable free space index is 1.000, and the
 * fragmentation index, 1 - (1 + free/8) / blocks, says fragmentation (the
 * free pages are many small blocks), above 0.5. (With the default
 * min_free_kbytes, 712 here, min >> 3 = 11 keeps one or two order-3 blocks
 * back: the request fails all the same, but Gorman's index counts those
 * blocks as "would succeed" and reads -1.000.)
 */
static void test_fragmentation_workload(void **state)
{
	char w[600], *sum, *log;
	const char *ff;

	(void)state;
	snprintf(w, sizeof(w), "%s/workloads/fragmentation.yaml", e2e_src);
	assert_int_equal(run_slabsim(w, tmp_path("frag")), 0);
	sum = slurp(tmp_path("frag/summary.json"), NULL);
	assert_non_null(sum);
	assert_non_null(strstr(sum, "\"consistent\": true"));
	ff = json_at(sum, "first_failure");
	assert_int_equal((int)json_num(ff, "order"), 3);
	assert_non_null(strstr(ff, "\"gfp\": \"0xd0\""));
	assert_non_null(strstr(ff, "\"reclaimed\": true"));
	assert_non_null(strstr(ff, "\"zone\": \"DMA32\""));
	assert_int_equal((int)json_num(ff, "managed_pages"), 7935);
	/* more than a fifth of memory free at that moment */
	assert_true(json_num(ff, "free_pages") * 5 > 7935);
	assert_true(json_num(ff, "free_fraction") > 0.2);
	assert_true(json_num(ff, "zone_free_pages") > 1000);
	assert_int_equal((int)json_num(ff, "suitable_blocks"), 0);
	assert_true(json_num(ff, "unusable_index") == 1.0);
	/* the index says fragmentation (near 1), not lack of memory (near 0) */
	assert_true(json_num(ff, "fragmentation_index") > 0.5);
	/* only order-3 requests failed */
	assert_non_null(strstr(sum, "\"failures_by_order\": [0, 0, 0, "));
	free(sum);

	log = slurp(tmp_path("frag/kernel.log"), NULL);
	assert_non_null(log);
	const char *first = strstr(log, "page allocation failure. order:3, mode:0xd0\n");
	assert_non_null(first);
	assert_null(strstr(log, "failure. order:0"));
	/* show_free_areas: each zone's blocks add up to its free kB */
	/* (x86_64 below 4 GiB: DMA and DMA32, no Normal) */
	assert_non_null(strstr(first, "Node 0 DMA32: "));
	for (const char *p = first; (p = strstr(p, "Node 0 DMA32: ")); p++) {
		unsigned long long n, kb, total = 0, want;
		const char *q = p + strlen("Node 0 DMA32: ");
		int used;

		while (sscanf(q, "%llu*%llukB %n", &n, &kb, &used) == 2) {
			total += n * kb;
			q += used;
		}
		assert_int_equal(sscanf(q, "= %llukB", &want), 1);
		assert_int_equal(total, want);
		break;
	}
	free(log);
	check_frag_csv(tmp_path("frag"));
}

/*
 * The slab-level breakdown of one object, worked by hand. x86_64, one
 * CPU, cache c of size 100 without flags: aligned to the 8-byte word,
 * buffer_size 104; on-slab, order 0: num = (4096 - 48) / (104 + 4) = 37,
 * management ALIGN(48 + 37 * 4, 8) = 200, left over 4096 - 37 * 104 - 200
 * = 48. The first allocation grows one slab and, the array not yet
 * touched, refills only BATCHREFILL_LIMIT = 16 objects: one to the user,
 * 15 parked in the CPU's array, 21 idle in the (partial) slab.
 *   requested 100, rounding 104 - 100 = 4, parked_cpu 15 * 104 = 1560,
 *   idle_partial 21 * 104 = 2184, left_over 48, mgmt 200:
 *   100 + 4 + 1560 + 2184 + 48 + 200 = 4096 = one page.
 * kmalloc(100) lands in size-128 (HWCACHE_ALIGN, 128 bytes): rounding 28.
 */
static void test_waste_of_one_object(void **state)
{
	struct csv c;
	long r;

	(void)state;
	spit(tmp_path("one.yaml"),
	     "name: one\nseed: 1\nmachine: {cpus: 1, memory: 32MiB}\n"
	     "caches:\n  - {name: c, size: 100}\n"
	     "events:\n"
	     "  - {t: 0us, alloc: c, as: x}\n"
	     "  - {t: 0us, kmalloc: 100, as: k}\n"
	     "sample: 1ms\nduration: 2ms\n");
	assert_int_equal(run_slabsim(tmp_path("one.yaml"), tmp_path("one")), 0);
	csv_load(&c, tmp_path("one/fragmentation.csv"));
	r = find_row(&c, "1.000", "slab", NULL, "c");
	assert_true(r >= 0);
	assert_int_equal(num(&c, r, "objsize"), 104);
	assert_int_equal(num(&c, r, "objperslab"), 37);
	assert_int_equal(num(&c, r, "pages"), 1);
	assert_int_equal(num(&c, r, "bytes_held"), 4096);
	assert_int_equal(num(&c, r, "user_objs"), 1);
	assert_int_equal(num(&c, r, "active_objs"), 16);
	assert_int_equal(num(&c, r, "bytes_requested"), 100);
	assert_int_equal(num(&c, r, "bytes_objects"), 16 * 104);
	assert_int_equal(num(&c, r, "rounding"), 4);
	assert_int_equal(num(&c, r, "parked_cpu"), 1560);
	assert_int_equal(num(&c, r, "parked_shared"), 0);
	assert_int_equal(num(&c, r, "idle_partial"), 2184);
	assert_int_equal(num(&c, r, "idle_free"), 0);
	assert_int_equal(num(&c, r, "kernel_objs"), 0);
	assert_int_equal(num(&c, r, "left_over"), 48);
	assert_int_equal(num(&c, r, "mgmt"), 200);
	assert_int_equal(num(&c, r, "mgmt_offslab"), 0);
	r = find_row(&c, "1.000", "slab", NULL, "size-128");
	assert_true(r >= 0);
	assert_int_equal(num(&c, r, "user_objs"), 1);
	assert_int_equal(num(&c, r, "rounding"), 28);
	csv_free(&c);
	check_frag_csv(tmp_path("one"));
}

/*
 * The same workload with the kernel's default min_free_kbytes (712 kB
 * here, see above): min >> 3 = 11 keeps the last order-3 blocks back, so
 * the first order-3 failure comes while blocks of that order are free
 * and Gorman's index reads -1 ("would succeed"). The summary says so in
 * words, for that order, and on the run's summary line; every failure is
 * a `failure` row of fragmentation.csv, at its time, in its zone.
 */
static void test_failure_while_index_reads_minus_one(void **state)
{
	char w[600], *sum, *out;
	const char *ff;
	struct csv c;
	long fails = 0;

	(void)state;
	snprintf(w, sizeof(w), "%s/workloads/fragmentation.yaml", e2e_src);
	assert_int_equal(run("run", w, "-o", tmp_path("frag0"), "--set",
			     "machine.min_free_kbytes=0", NULL), 0);
	out = slurp(tmp_path("out.txt"), NULL);
	assert_non_null(out);
	assert_non_null(strstr(out, " page allocation failures\n"));
	assert_non_null(strstr(out, "  note: order-3 allocations failed while "
			       "the fragmentation index read -1"));
	free(out);
	sum = slurp(tmp_path("frag0/summary.json"), NULL);
	assert_non_null(sum);
	ff = json_at(sum, "first_failure_by_order");
	ff = json_at(ff, "3");
	assert_true(json_num(ff, "suitable_blocks") > 0);
	assert_true(json_num(ff, "fragmentation_index") == -1.0);
	assert_non_null(strstr(ff, "\"note\": \"fragmentation index -1: "));
	long total = (long)json_num(json_at(sum, "page_alloc"), "failures");
	free(sum);
	csv_load(&c, tmp_path("frag0/fragmentation.csv"));
	for (size_t r = 0; r < c.nrows; r++) {
		if (!is(&c, r, "failure"))
			continue;
		fails++;
		assert_int_equal(num(&c, r, "order"), 3);
		assert_string_equal(cell(&c, r, "zone"), "DMA32");
		/* the run's summary: failures from 1.3 s on */
		assert_true(strtod(cell(&c, r, "t_ms"), NULL) > 1000.0);
	}
	assert_int_equal(fails, total);
	csv_free(&c);
}

/*
 * Utilisation counts the users' live objects only, worked by hand with
 * the cache of test_waste_of_one_object (104-byte buffers, 37 a slab, one
 * CPU). The first allocation refills 16 objects into the CPU's array: 1
 * to the user, 15 parked. Three more come from the array (users 4,
 * parked 12); freeing one puts it back there (users 3, parked 13). The
 * slab keeps 16 active objects of 37 throughout: slabinfo's active_objs
 * (16) counts the parked ones, utilisation does not:
 *   after the allocations (sample 1 ms): 4 / 37 = 0.108 (active 16/37 = 0.432)
 *   at the end, after the free:        3 / 37 = 0.081
 * timeseries.csv's user_objs and bytes_user (user_objs x 104) follow.
 */
static void test_utilisation_of_parked_objects(void **state)
{
	struct csv c;
	char *sum;
	const char *ce;
	long r;

	(void)state;
	spit(tmp_path("parked.yaml"),
	     "name: parked\nseed: 1\nmachine: {cpus: 1, memory: 32MiB}\n"
	     "caches:\n  - {name: c, size: 100}\n"
	     "events:\n"
	     "  - {t: 0us, alloc: c, as: a}\n"
	     "  - {t: 1us, alloc: c, as: b}\n"
	     "  - {t: 2us, alloc: c, as: d}\n"
	     "  - {t: 3us, alloc: c, as: e}\n"
	     "  - {t: 1500us, free: a}\n"
	     "sample: 1ms\nduration: 2ms\n");
	assert_int_equal(run_slabsim(tmp_path("parked.yaml"), tmp_path("parked")), 0);
	sum = slurp(tmp_path("parked/summary.json"), NULL);
	assert_non_null(sum);
	ce = strstr(sum, "{\"name\": \"c\",");
	assert_non_null(ce);
	assert_int_equal((int)json_num(ce, "active_objs"), 16);
	assert_int_equal((int)json_num(ce, "num_objs"), 37);
	assert_int_equal((int)json_num(ce, "user_objs"), 3);
	assert_non_null(strstr(ce, "\"utilisation\": 0.081,"));
	free(sum);
	csv_load(&c, tmp_path("parked/timeseries.csv"));
	r = find_row_ts(&c, "1.000", "c");
	assert_true(r >= 0);
	assert_int_equal(num(&c, r, "active_objs"), 16);
	assert_int_equal(num(&c, r, "user_objs"), 4);
	assert_int_equal(num(&c, r, "bytes_user"), 4 * 104);
	r = find_row_ts(&c, "2.000", "c");
	assert_true(r >= 0);
	assert_int_equal(num(&c, r, "user_objs"), 3);
	csv_free(&c);
}

/*
 * GFP_ATOMIC until memory runs out on a 16 MiB machine: order-0 failures
 * (size-4096 slabs are one page), mode 0x20 (__GFP_HIGH), no reclaim; the
 * run completes and the slab core is consistent. printk_ratelimit lets 10
 * reports through in the run's first 5 s and no more.
 */
static void test_atomic_failure_leaves_slab_consistent(void **state)
{
	char *sum, *log;
	const char *ff;
	int reports = 0;

	(void)state;
	spit(tmp_path("atomic.yaml"),
	     "name: atomic\nseed: 2\nmachine: {cpus: 2, memory: 16MiB}\n"
	     "generators:\n"
	     "  - {kmalloc: 4096, gfp: GFP_ATOMIC, cpus: [0, 1], rate: 100000/s,\n"
	     "     lifetime: {fixed: 10s}, until: 60ms}\n"
	     "  - {kmalloc: [32, 256], gfp: GFP_ATOMIC, cpus: [1], rate: 50000/s,\n"
	     "     lifetime: {exp: 1ms}, until: 80ms}\n"
	     "sample: 20ms\nduration: 100ms\n");
	assert_int_equal(run_slabsim(tmp_path("atomic.yaml"), tmp_path("atomic")), 0);
	sum = slurp(tmp_path("atomic/summary.json"), NULL);
	assert_non_null(sum);
	assert_non_null(strstr(sum, "\"status\": \"ok\""));
	assert_non_null(strstr(sum, "\"consistent\": true"));
	ff = json_at(sum, "first_failure");
	assert_int_equal((int)json_num(ff, "order"), 0);
	assert_non_null(strstr(ff, "\"gfp\": \"0x20\""));
	assert_non_null(strstr(ff, "\"reclaimed\": false"));
	assert_true(json_num(json_at(sum, "page_alloc"), "failures") > 10);
	free(sum);
	log = slurp(tmp_path("atomic/kernel.log"), NULL);
	for (const char *p = log; (p = strstr(p, "page allocation failure. order:0, mode:0x20\n")); p++)
		reports++;
	assert_int_equal(reports, 10);
	free(log);
	check_frag_csv(tmp_path("atomic"));
}

/*
 * GFP_DMA objects come from ZONE_DMA, and there an order-3 request can
 * fail with no suitable block at all. The 1 GiB machine: 262144 frames,
 * 261887 managed; min_free_kbytes = int_sqrt(261887 * 64) = 4093,
 * pages_min 1023; DMA (3839 managed) gets 1023 * 3839 / 261887 = 14.
 * GFP_ATOMIC lowers it to 14 - 7 = 7, then 7 - 7 / 4 = 6, and at order 3
 * to 6 >> 3 = 0: an order-3 GFP_ATOMIC|GFP_DMA request succeeds while a
 * single order-3 block is left. When it fails there is none, so the
 * fragmentation index is not -1; with the zone's free memory in order-0
 * and order-1 blocks it is near 1 - (1 + F/8) / (F/1.3) = 0.84.
 */
static void test_dma_zone_fragmentation(void **state)
{
	char *sum;
	const char *ff;
	struct csv c;
	long d0, n0, d1, n1;

	(void)state;
	spit(tmp_path("dma.yaml"),
	     "name: dma\nseed: 5\nmachine: {cpus: 1, memory: 1GiB}\n"
	     "generators:\n"
	     "  - {kmalloc: [200, 512], gfp: [GFP_KERNEL, GFP_DMA], rate: 5000/s,\n"
	     "     lifetime: {fixed: 100s}, until: 200ms}\n"
	     "  - {kmalloc: [200, 512], gfp: [GFP_KERNEL, GFP_DMA], rate: 120000/s,\n"
	     "     lifetime: {uniform: [200ms, 250ms]}, until: 200ms}\n"
	     "  - {kmalloc: 32768, gfp: [GFP_ATOMIC, GFP_DMA], rate: 4000/s,\n"
	     "     lifetime: {fixed: 100s}, from: 500ms, until: 800ms}\n"
	     "sample: 100ms\nduration: 900ms\n");
	assert_int_equal(run_slabsim(tmp_path("dma.yaml"), tmp_path("dma")), 0);
	sum = slurp(tmp_path("dma/summary.json"), NULL);
	assert_non_null(sum);
	assert_non_null(strstr(sum, "\"consistent\": true"));
	ff = json_at(sum, "first_failure");
	assert_int_equal((int)json_num(ff, "order"), 3);
	assert_non_null(strstr(ff, "\"gfp\": \"0x21\""));
	assert_non_null(strstr(ff, "\"zone\": \"DMA\""));
	assert_int_equal((int)json_num(ff, "suitable_blocks"), 0);
	/* more than a fifth of the zone free, and the index says why */
	assert_true(json_num(ff, "zone_free_pages") * 5 > 3839);
	assert_true(json_num(ff, "fragmentation_index") > 0.5);
	assert_true(json_num(ff, "unusable_index") == 1.0);
	free(sum);

	csv_load(&c, tmp_path("dma/fragmentation.csv"));
	d0 = find_row(&c, "0.000", "zone", "DMA", NULL);
	n0 = find_row(&c, "0.000", "zone", "DMA32", NULL);
	d1 = find_row(&c, "200.000", "zone", "DMA", NULL);
	n1 = find_row(&c, "200.000", "zone", "DMA32", NULL);
	assert_true(d0 >= 0 && n0 >= 0 && d1 >= 0 && n1 >= 0);
	assert_int_equal(num(&c, d0, "managed_pages"), 3839);
	assert_int_equal(num(&c, d0, "wmark_min"), 14);
	/* the DMA zone fills with slab pages; DMA32 only gets the off-slab
	 * descriptors and arrays (size-N caches without GFP_DMA) */
	long long dma_grew = num(&c, d1, "slab_pages") - num(&c, d0, "slab_pages");
	long long normal_grew = num(&c, n1, "slab_pages") - num(&c, n0, "slab_pages");
	assert_true(dma_grew > 1000);
	assert_true(normal_grew * 10 < dma_grew);
	assert_true(num(&c, d1, "free_pages") < num(&c, d0, "free_pages") - 1000);
	csv_free(&c);
	check_frag_csv(tmp_path("dma"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fragmentation_workload),
		cmocka_unit_test(test_waste_of_one_object),
		cmocka_unit_test(test_failure_while_index_reads_minus_one),
		cmocka_unit_test(test_utilisation_of_parked_objects),
		cmocka_unit_test(test_atomic_failure_leaves_slab_consistent),
		cmocka_unit_test(test_dma_zone_fragmentation),
	};
	int rc;

	if (e2e_setup("frag") || !e2e_src) {
		fprintf(stderr, "SLABSIM and SLABSIM_SRC must be set\n");
		return 1;
	}
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	e2e_teardown(rc);
	return rc;
}
