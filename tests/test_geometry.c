// SPDX-License-Identifier: GPL-2.0
/*
 * Slab geometry after kmem_cache_init(), worked out by hand from the
 * seed's rules (cache_estimate, calculate_slab_order, kmem_cache_create,
 * enable_cpucache) and FACTS.md's architecture profiles.
 *
 * The rules, for an object of (word-rounded, aligned) size s in a slab of
 * S = 4096 << order bytes, with struct slab of H bytes and bufctls of B:
 *   on-slab:  n = (S - H) / (s + B), minus one if
 *             ALIGN(H + n*B, align) + n*s > S;
 *             mgmt = ALIGN(H + n*B, align); left = S - n*s - mgmt
 *   off-slab (s >= 512): n = S / s, left = S - n*s; it moves back on-slab
 *             when left >= ALIGN(H + n*B, align).
 *   order: the first with n > 0 and (left*8 <= S or order >=
 *          slab_break_gfp_order), which is 1 above 32 MiB of memory.
 *   HWCACHE_ALIGN: align = line, halved while s <= align/2.
 *   colour_off = max(line, align); colour = left / colour_off.
 *   limit by buffer size: >131072: 1, >4096: 8, >1024: 24, >256: 54,
 *   else 120; batchcount = (limit+1)/2; shared 8 if s <= 4096 and SMP.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "alloc/slab_internal.h"
#include "tests/fake_env.h"

struct geom {
	const char *name;
	unsigned int buffer_size, num, order;
	bool off_slab;
	unsigned int colour, colour_off;
	unsigned long left_over;
	unsigned int limit, batchcount, shared;
	unsigned int slab_size;
};

static void check_cache(struct kmem_cache *c, const struct geom *g)
{
	struct kmem_cache_info i;

	assert_non_null(c);
	kmem_cache_get_info(c, &i);
	assert_string_equal(i.name, g->name);
	assert_int_equal(i.buffer_size, g->buffer_size);
	assert_int_equal(i.num, g->num);
	assert_int_equal(i.gfporder, g->order);
	assert_int_equal(i.off_slab, g->off_slab);
	assert_int_equal(i.colour, g->colour);
	assert_int_equal(i.colour_off, g->colour_off);
	assert_int_equal(i.left_over, g->left_over);
	assert_int_equal(i.limit, g->limit);
	assert_int_equal(i.batchcount, g->batchcount);
	assert_int_equal(i.shared, g->shared);
	if (g->slab_size)
		assert_int_equal(i.slab_size, g->slab_size);
}

/* Checks size-N and its DMA twin against one row. */
static void check_kmalloc(const struct geom *rows, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++) {
		char dma[40];
		struct geom g = rows[k];
		struct kmem_cache *c = kmem_cache_find(g.name);

		check_cache(c, &g);
		assert_false(c->flags & SLAB_CACHE_DMA);
		snprintf(dma, sizeof(dma), "%s(DMA)", g.name);
		g.name = dma;
		c = kmem_cache_find(dma);
		check_cache(c, &g);
		assert_true(c->flags & SLAB_CACHE_DMA);
		assert_true(c->gfpflags & GFP_DMA);
	}
}

static void count_cache(struct kmem_cache *c, void *arg)
{
	(void)c;
	(*(int *)arg)++;
}

static int nr_caches(void)
{
	int n = 0;

	kmem_cache_for_each(count_cache, &n);
	return n;
}

/* The off-slab caches above 4096 are the same on both arches: n = 1. */
#define BIG(sz, ord, lim)						\
	{ "size-" #sz, sz, 1, ord, true, 0, 64, 0, lim, (lim + 1) / 2, 0, 0 }

/*
 * x86_64, line 64, H = 48, B = 4, 64 MiB, 2 CPUs (shared 8).
 *  32: align 32 (32 <= 64/2); n = 4048/36 = 112, mgmt ALIGN(496,32) = 512,
 *      512 + 3584 = 4096 fits; left 0.
 *  64: n = 4048/68 = 59, mgmt ALIGN(284,64) = 320, 320+3776 = 4096; left 0.
 * 128: n = 4048/132 = 30, mgmt ALIGN(168,64) = 192; left 4096-3840-192 = 64,
 *      one colour.
 * 192: n = 4048/196 = 20, mgmt ALIGN(128,64) = 128; left 4096-3840-128 = 128.
 * 256: n = 4048/260 = 15, mgmt ALIGN(108,64) = 128; left 128; limit 120
 *      (256 is not > 256).
 * 512: off-slab, n = 8, left 0 < ALIGN(8*4+48,64) = 128 so stays off;
 *      slab_size = 8*4+48 = 80 (unaligned off-slab); limit 54.
 * 1024: n 4, slab_size 64, limit 54. 2048: n 2, slab_size 56, limit 24.
 * 4096: n 1, slab_size 52, limit 24, shared 8 (<= PAGE_SIZE).
 * 8192..131072: order 1..5 (n = 0 below), limit 8, shared 0.
 */
static const struct geom x86_64_line64[] = {
	{ "size-32", 32, 112, 0, false, 0, 64, 0, 120, 60, 8, 512 },
	{ "size-64", 64, 59, 0, false, 0, 64, 0, 120, 60, 8, 320 },
	{ "size-128", 128, 30, 0, false, 1, 64, 64, 120, 60, 8, 192 },
	{ "size-192", 192, 20, 0, false, 2, 64, 128, 120, 60, 8, 128 },
	{ "size-256", 256, 15, 0, false, 2, 64, 128, 120, 60, 8, 128 },
	{ "size-512", 512, 8, 0, true, 0, 64, 0, 54, 27, 8, 80 },
	{ "size-1024", 1024, 4, 0, true, 0, 64, 0, 54, 27, 8, 64 },
	{ "size-2048", 2048, 2, 0, true, 0, 64, 0, 24, 12, 8, 56 },
	{ "size-4096", 4096, 1, 0, true, 0, 64, 0, 24, 12, 8, 52 },
	BIG(8192, 1, 8), BIG(16384, 2, 8), BIG(32768, 3, 8),
	BIG(65536, 4, 8), BIG(131072, 5, 8),
};

static void test_x86_64_line64(void **state)
{
	struct fake_config cfg = { .arch = &fake_arch_x86_64, .cpus = 2,
				   .mem_mb = 64 };
	struct kmem_cache *cc;

	fake_boot(&cfg);
	check_kmalloc(x86_64_line64, ARRAY_SIZE(x86_64_line64));
	/* 96 only when the line is below 64 */
	assert_null(kmem_cache_find("size-96"));
	/* 14 sizes, each with a DMA twin, and kmem_cache */
	assert_int_equal(nr_caches(), 29);
	/* off-slab management comes from the first cache that fits it */
	assert_ptr_equal(__va(kmem_cache_find("size-512")->slabp_cache),
			 kmem_cache_find("size-128"));
	assert_ptr_equal(__va(kmem_cache_find("size-4096")->slabp_cache),
			 kmem_cache_find("size-64"));
	/*
	 * free_limit = (1 + CPUs on the node) * batchcount + num:
	 * size-32: 3 * 60 + 112 = 292.
	 */
	assert_int_equal(cache_l3(kmem_cache_find("size-32"), 0)->free_limit,
			 292);
	/*
	 * kmem_cache: simulated struct kmem_cache with 2 CPUs and 1 node:
	 * array 16, 4 uints -> 32, nodelists -> 40, 4 uints -> 56, colour
	 * -> 64, colour_off -> 68, slabp_cache (aligned) -> 80, slab_size,
	 * dflags -> 88, ctor, dtor, name, next -> 128, 10 longs -> 208,
	 * 4 atomics -> 224. ALIGN(224, 64) = 256, which packs like size-256
	 * (n 15, left 128, 2 colours, slab_size 128).
	 */
	assert_int_equal(slab_test_sizeof_kmem_cache(), 224);
	cc = slab_test_cache_cache();
	assert_int_equal(cc->buffer_size, 256);
	assert_int_equal(cc->num, 15);
	assert_int_equal(cc->colour, 2);
	assert_int_equal(cc->slab_size, 128);
	assert_int_equal(slab_test_break_gfp_order(), 1);
	assert_true(slab_core_is_consistent());
	fake_teardown();
}

/*
 * i386, line 64, H = 28, B = 4.
 *  32: n = 4068/36 = 113, mgmt ALIGN(28+452,32) = 480, 480+3616 = 4096; left 0.
 *  64: n = 4068/68 = 59, mgmt ALIGN(264,64) = 320, 320+3776 = 4096; left 0.
 * 128: n = 4068/132 = 30, mgmt ALIGN(148,64) = 192; left 64.
 * 192: n = 4068/196 = 20, mgmt ALIGN(108,64) = 128; left 128.
 * 256: n = 4068/260 = 15, mgmt ALIGN(88,64) = 128; left 128.
 * off-slab slab_size = n*4 + 28: 60, 44, 36, 32.
 */
static const struct geom i386_line64[] = {
	{ "size-32", 32, 113, 0, false, 0, 64, 0, 120, 60, 8, 480 },
	{ "size-64", 64, 59, 0, false, 0, 64, 0, 120, 60, 8, 320 },
	{ "size-128", 128, 30, 0, false, 1, 64, 64, 120, 60, 8, 192 },
	{ "size-192", 192, 20, 0, false, 2, 64, 128, 120, 60, 8, 128 },
	{ "size-256", 256, 15, 0, false, 2, 64, 128, 120, 60, 8, 128 },
	{ "size-512", 512, 8, 0, true, 0, 64, 0, 54, 27, 8, 60 },
	{ "size-1024", 1024, 4, 0, true, 0, 64, 0, 54, 27, 8, 44 },
	{ "size-2048", 2048, 2, 0, true, 0, 64, 0, 24, 12, 8, 36 },
	{ "size-4096", 4096, 1, 0, true, 0, 64, 0, 24, 12, 8, 32 },
	BIG(8192, 1, 8), BIG(16384, 2, 8), BIG(32768, 3, 8),
	BIG(65536, 4, 8), BIG(131072, 5, 8),
};

static void test_i386_line64(void **state)
{
	struct fake_config cfg = { .arch = &fake_arch_i386, .cpus = 2,
				   .mem_mb = 64 };

	fake_boot(&cfg);
	check_kmalloc(i386_line64, ARRAY_SIZE(i386_line64));
	assert_int_equal(nr_caches(), 29);
	/* size-4096's 32-byte management fits size-32 on i386 */
	assert_ptr_equal(__va(kmem_cache_find("size-4096")->slabp_cache),
			 kmem_cache_find("size-32"));
	assert_true(slab_core_is_consistent());
	fake_teardown();
}

/*
 * i386, line 128 (P4 builds): no size-96 (line >= 64), no size-192
 * (line >= 128). colour_off is the 128-byte line.
 *  32: align 32 (128 -> 64 -> 32); as above, n 113, left 0.
 *  64: align 64; n 59, left 0.
 * 128: align 128; n = 30, mgmt ALIGN(148,128) = 256, 256+3840 = 4096;
 *      left 0.
 * 256: align 128; n = 15, mgmt ALIGN(88,128) = 128, left 128 = 1 colour.
 */
static struct geom i386_line128[] = {
	{ "size-32", 32, 113, 0, false, 0, 128, 0, 120, 60, 8, 480 },
	{ "size-64", 64, 59, 0, false, 0, 128, 0, 120, 60, 8, 320 },
	{ "size-128", 128, 30, 0, false, 0, 128, 0, 120, 60, 8, 256 },
	{ "size-256", 256, 15, 0, false, 1, 128, 128, 120, 60, 8, 128 },
	{ "size-512", 512, 8, 0, true, 0, 128, 0, 54, 27, 8, 60 },
	{ "size-1024", 1024, 4, 0, true, 0, 128, 0, 54, 27, 8, 44 },
	{ "size-2048", 2048, 2, 0, true, 0, 128, 0, 24, 12, 8, 36 },
	{ "size-4096", 4096, 1, 0, true, 0, 128, 0, 24, 12, 8, 32 },
	BIG(8192, 1, 8), BIG(16384, 2, 8), BIG(32768, 3, 8),
	BIG(65536, 4, 8), BIG(131072, 5, 8),
};

static void test_i386_line128(void **state)
{
	struct arch_profile p4 = fake_arch_i386;
	struct fake_config cfg = { .arch = &p4, .cpus = 2, .mem_mb = 64 };
	size_t k;

	p4.cache_line = 128;
	for (k = 8; k < ARRAY_SIZE(i386_line128); k++)
		i386_line128[k].colour_off = 128;
	fake_boot(&cfg);
	check_kmalloc(i386_line128, ARRAY_SIZE(i386_line128));
	assert_null(kmem_cache_find("size-96"));
	assert_null(kmem_cache_find("size-192"));
	assert_null(kmem_cache_find("size-192(DMA)"));
	/* 13 sizes * 2 + kmem_cache */
	assert_int_equal(nr_caches(), 27);
	/* kmalloc(150) now lands in size-256 */
	assert_ptr_equal(kmem_find_general_cachep(150, GFP_KERNEL),
			 kmem_cache_find("size-256"));
	assert_true(slab_core_is_consistent());
	fake_teardown();
}

/*
 * Pre-2.6.14 2-byte bufctls on x86_64 (H = 48, B = 2):
 *  32: n = 4048/34 = 119, mgmt ALIGN(48+238,32) = 288, 288+3808 = 4096.
 *  64: n = 4048/66 = 61, mgmt ALIGN(170,64) = 192, 192+3904 = 4096.
 * 128: n = 4048/130 = 31, mgmt ALIGN(110,64) = 128, 128+3968 = 4096.
 * 256: n = 4048/258 = 15, mgmt ALIGN(78,64) = 128; left 128.
 * 512: off-slab slab_size 8*2+48 = 64.
 */
static void test_two_byte_bufctl(void **state)
{
	struct arch_profile old = fake_arch_x86_64;
	struct fake_config cfg = { .arch = &old, .cpus = 2, .mem_mb = 64 };
	static const struct geom rows[] = {
		{ "size-32", 32, 119, 0, false, 0, 64, 0, 120, 60, 8, 288 },
		{ "size-64", 64, 61, 0, false, 0, 64, 0, 120, 60, 8, 192 },
		{ "size-128", 128, 31, 0, false, 0, 64, 0, 120, 60, 8, 128 },
		{ "size-256", 256, 15, 0, false, 2, 64, 128, 120, 60, 8, 128 },
		{ "size-512", 512, 8, 0, true, 0, 64, 0, 54, 27, 8, 64 },
	};
	struct kmem_cache *c;
	struct slab *slabp;
	void *obj;

	old.sizeof_bufctl = 2;
	fake_boot(&cfg);
	check_kmalloc(rows, ARRAY_SIZE(rows));
	/*
	 * 1000: n = 4, left 96 >= ALIGN(4*2+48,8) = 56: on-slab. The first
	 * alloc grows one slab and the refill takes all 4 objects, so the
	 * slab is full: free is the 16-bit BUFCTL_END, which the untouched
	 * last bufctl also holds; bufctl[0] still links to 1.
	 */
	c = kmem_cache_create("two", 1000, 0, 0, NULL, NULL);
	assert_int_equal(c->num, 4);
	assert_false(OFF_SLAB(c));
	obj = kmem_cache_alloc(c, GFP_KERNEL);
	assert_non_null(obj);
	slabp = virt_to_page(obj)->lru.prev;
	assert_int_equal(slabp->inuse, 4);
	assert_int_equal(slabp->free, 0xffff);
	assert_int_equal(slab_test_bufctl(slabp, 3), 0xffff);
	assert_int_equal(slab_test_bufctl(slabp, 0), 1);
	assert_true(cache_is_consistent(c));
	fake_teardown();
}

/*
 * User caches, x86_64 line 64, > 32 MiB (slab_break_gfp_order 1).
 */
static void test_user_caches(void **state)
{
	struct fake_config cfg = { .cpus = 2, .mem_mb = 64 };
	/*
	 * 152 HWCACHE_ALIGN: align 64, size ALIGN(152,64) = 192: packs as
	 * size-192.
	 */
	static const struct geom dentry = {
		"dentry", 192, 20, 0, false, 2, 64, 128, 120, 60, 8, 128 };
	/*
	 * 180, no flags: word-rounded 184, align 8. n = 4048/188 = 21,
	 * mgmt ALIGN(48+84,8) = 136, 136+3864 = 4000; left 96: 1 colour.
	 */
	static const struct geom odd = {
		"odd180", 184, 21, 0, false, 1, 64, 96, 120, 60, 8, 136 };
	/*
	 * 20 HWCACHE_ALIGN: word-rounded 24, align 64 -> 32 (24 <= 32),
	 * not 16 (24 > 16); size 32: as size-32.
	 */
	static const struct geom small = {
		"small20", 32, 112, 0, false, 0, 64, 0, 120, 60, 8, 512 };
	/*
	 * 8 HWCACHE_ALIGN: align 64 -> 32 -> 16 -> 8. n = 4048/12 = 337,
	 * mgmt ALIGN(48+1348,8) = 1400, 1400 + 2696 = 4096; left 0.
	 */
	static const struct geom tiny = {
		"tiny8", 8, 337, 0, false, 0, 64, 0, 120, 60, 8, 1400 };
	/*
	 * 4072: off-slab candidate (>= 512); n 1, left 24 < ALIGN(4+48,8)
	 * = 56, so management stays off-slab: slab_size 52, from size-64;
	 * limit 24 (> 1024).
	 */
	static const struct geom big = {
		"big4072", 4072, 1, 0, true, 0, 64, 24, 24, 12, 8, 52 };
	/*
	 * 4000: n 1, left 96 >= 56, so management moves back on-slab:
	 * left 96 - 56 = 40, no colour.
	 */
	static const struct geom back = {
		"back4000", 4000, 1, 0, false, 0, 64, 40, 24, 12, 8, 56 };
	/*
	 * 1100: word-rounded 1104, off-slab candidate. order 0: n 3, left
	 * 784, 784*8 > 4096; order 1: n = 8192/1104 = 7, left 464, and
	 * order 1 >= break order 1 stops. slab_size ALIGN(7*4+48,8) = 80
	 * fits in 464: on-slab, left 384, 6 colours.
	 */
	static const struct geom k1100 = {
		"k1100", 1104, 7, 1, false, 6, 64, 384, 24, 12, 8, 80 };
	struct kmem_cache *c;

	fake_boot(&cfg);
	check_cache(kmem_cache_create("dentry", 152, 0, SLAB_HWCACHE_ALIGN |
				      SLAB_RECLAIM_ACCOUNT, NULL, NULL),
		    &dentry);
	check_cache(kmem_cache_create("odd180", 180, 0, 0, NULL, NULL), &odd);
	check_cache(kmem_cache_create("small20", 20, 0, SLAB_HWCACHE_ALIGN,
				      NULL, NULL), &small);
	check_cache(kmem_cache_create("tiny8", 8, 0, SLAB_HWCACHE_ALIGN,
				      NULL, NULL), &tiny);
	c = kmem_cache_create("big4072", 4072, 0, 0, NULL, NULL);
	check_cache(c, &big);
	assert_ptr_equal(__va(c->slabp_cache), kmem_cache_find("size-64"));
	check_cache(kmem_cache_create("back4000", 4000, 0, 0, NULL, NULL),
		    &back);
	check_cache(kmem_cache_create("k1100", 1100, 0, 0, NULL, NULL),
		    &k1100);
	/*
	 * An explicit align wins over the word: 100 with align 128 is one
	 * object per 128 bytes; n = 4048/132 = 30, mgmt ALIGN(168,128) =
	 * 256, 256+3840 = 4096: left 0; colour_off = align 128.
	 */
	c = kmem_cache_create("al128", 100, 128, 0, NULL, NULL);
	assert_int_equal(c->buffer_size, 128);
	assert_int_equal(c->num, 30);
	assert_int_equal(c->colour_off, 128);
	assert_int_equal(c->colour, 0);
	assert_true(slab_core_is_consistent());
	fake_teardown();
}

/*
 * slab_break_gfp_order: 0 on a <= 32 MiB machine. k1100 then stops at
 * order 0 (order 0 >= 0): n 3, left 784; slab_size ALIGN(3*4+48,8) = 64
 * fits: on-slab, left 720, 720/64 = 11 colours. On 64 MiB it was order
 * 1 with 7 objects (test_user_caches).
 */
static void test_small_machine_break_order(void **state)
{
	struct fake_config cfg = { .cpus = 1, .mem_mb = 32 };
	static const struct geom k1100 = {
		"k1100", 1104, 3, 0, false, 11, 64, 720, 24, 12, 0, 64 };

	fake_boot(&cfg);
	assert_int_equal(slab_test_break_gfp_order(), 0);
	/* one CPU: no shared arrays */
	check_cache(kmem_cache_create("k1100", 1100, 0, 0, NULL, NULL),
		    &k1100);
	/*
	 * size-8192 is unaffected: n = 0 at order 0, the first order with
	 * an object is taken.
	 */
	assert_int_equal(kmem_cache_find("size-8192")->gfporder, 1);
	fake_teardown();
}

/*
 * Debug on (x86_64): size-32 gets red zones and the last-user word.
 * align 32 from HWCACHE_ALIGN, then red zoning forces align 8: obj_offset
 * 8, size 32 + 2*8 + 8 = 56. n = 4048/60 = 67, mgmt ALIGN(48+268,8) =
 * 320, 320 + 67*56 = 4072; left 24: no colour. limit capped at 32, so
 * batchcount 16.
 */
static void test_debug_geometry(void **state)
{
	struct fake_config cfg = { .cpus = 2, .mem_mb = 64, .debug = true };
	static const struct geom s32 = {
		"size-32", 56, 67, 0, false, 0, 64, 24, 32, 16, 8, 320 };
	struct kmem_cache *c;

	fake_boot(&cfg);
	c = kmem_cache_find("size-32");
	check_cache(c, &s32);
	assert_int_equal(c->obj_offset, 8);
	assert_true(c->flags & SLAB_RED_ZONE);
	assert_true(c->flags & SLAB_STORE_USER);
	assert_true(c->flags & SLAB_POISON);
	/* ksize reports the user size, not the buffer */
	assert_int_equal(kmem_cache_size(c), 32);
	/*
	 * 4096 with debug: not < 4096, and fls(4095) = 12 != fls(4095 +
	 * 24) = 13: no red zone (it would push the object past 2^12), but
	 * poison.
	 */
	c = kmem_cache_find("size-4096");
	assert_false(c->flags & SLAB_RED_ZONE);
	assert_true(c->flags & SLAB_POISON);
	assert_int_equal(c->buffer_size, 4096);
	slab_set_debug(false);
	fake_teardown();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_x86_64_line64),
		cmocka_unit_test(test_i386_line64),
		cmocka_unit_test(test_i386_line128),
		cmocka_unit_test(test_two_byte_bufctl),
		cmocka_unit_test(test_user_caches),
		cmocka_unit_test(test_small_machine_break_order),
		cmocka_unit_test(test_debug_geometry),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
