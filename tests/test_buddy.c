/*
 * The buddy allocator model: splitting and coalescing, list order,
 * exhaustion, invariants under random traffic, watermarks, the zonelist
 * (node fallback, PA_THISNODE, PA_DMA), PA_HIGH, reclaim and reserved
 * frames. Every expected pfn and watermark is worked out in the comment
 * above its assertion.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "models/page_alloc.h"

/* Test-build only entry points of models/page_alloc.c. */
uint64_t pa_min_free_kbytes(const struct page_alloc *pa);
size_t pa_free_list(const struct page_alloc *pa, int nid, enum pa_zone zone,
		    unsigned int order, uint64_t *pfns, size_t max);
uint8_t pa_test_poke(struct page_alloc *pa, uint64_t pfn, uint8_t flags);

/* The frame metadata byte, as models/page_alloc.c lays it out. */
#define T_BUDDY		0x80u
#define T_ALLOCATED	0x40u

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

/*
 * min_free_kbytes = 1 gives pages_min = 1 >> 2 = 0 and so every watermark
 * 0: the tests of the pure buddy algorithm are not disturbed by them.
 */
#define NO_WMARKS	1

static struct page_alloc *make(int nodes, uint64_t node_pages,
			       uint64_t reserved, uint64_t min_free_kbytes)
{
	struct page_alloc_config cfg = {
		.nr_nodes = nodes,
		.node_pages = node_pages,
		.reserved_pages = reserved,
		.min_free_kbytes = min_free_kbytes,
	};
	struct page_alloc *pa = page_alloc_create(&cfg);

	assert_non_null(pa);
	return pa;
}

static void check(const struct page_alloc *pa)
{
	char msg[256];

	if (!pa_is_consistent(pa, msg, sizeof(msg)))
		fail_msg("inconsistent: %s", msg);
}

static struct pa_zone_info zinfo(const struct page_alloc *pa, int nid,
				 enum pa_zone zone)
{
	struct pa_zone_info zi;

	pa_zone_info(pa, nid, zone, &zi);
	return zi;
}

/* The single entry of a free list, or PFN_NONE when it is not exactly 1. */
static uint64_t only_free(const struct page_alloc *pa, int nid,
			  enum pa_zone zone, unsigned int order)
{
	uint64_t pfns[2];

	if (pa_free_list(pa, nid, zone, order, pfns, 2) != 1)
		return PFN_NONE;
	return pfns[0];
}

/* ------------------------------------------------------------------ */
/* Layout                                                              */
/* ------------------------------------------------------------------ */

/*
 * One node of 5120 frames: DMA [0, 4096) with pfn 0 reserved, Normal
 * [4096, 5120) = exactly one order-10 block. DMA holds 1 (o0), 2 (o1),
 * 4 (o2), ..., 512 (o9) and 1024, 2048, 3072 (o10), 4095 pages; list_add
 * in ascending order leaves the highest order-10 block at the head.
 */
static void test_layout(void **state)
{
	struct page_alloc *pa = make(1, 5120, 1, NO_WMARKS);
	struct pa_zone_info dma = zinfo(pa, 0, PA_ZONE_DMA);
	struct pa_zone_info nor = zinfo(pa, 0, PA_ZONE_NORMAL);
	uint64_t pfns[4];
	unsigned int o;

	(void)state;
	check(pa);
	assert_int_equal(pa_total_pages(pa), 5120);
	assert_true(dma.present && nor.present);
	assert_int_equal(dma.start_pfn, 0);
	assert_int_equal(dma.spanned, 4096);
	assert_int_equal(dma.managed, 4095);
	assert_int_equal(dma.free_pages, 4095);
	for (o = 0; o < 10; o++)
		assert_int_equal(dma.nr_free[o], 1);
	assert_int_equal(dma.nr_free[10], 3);
	assert_int_equal(pa_free_list(pa, 0, PA_ZONE_DMA, 10, pfns, 4), 3);
	assert_int_equal(pfns[0], 3072);
	assert_int_equal(pfns[1], 2048);
	assert_int_equal(pfns[2], 1024);
	assert_int_equal(only_free(pa, 0, PA_ZONE_DMA, 5), 32);

	assert_int_equal(nor.start_pfn, 4096);
	assert_int_equal(nor.managed, 1024);
	assert_int_equal(nor.nr_free[10], 1);
	assert_int_equal(only_free(pa, 0, PA_ZONE_NORMAL, 10), 4096);

	assert_int_equal(pa_pfn_to_nid(pa, 5119), 0);
	assert_int_equal(pa_pfn_to_nid(pa, 5120), -1);
	assert_int_equal(pa_pfn_to_zone(pa, 4095), PA_ZONE_DMA);
	assert_int_equal(pa_pfn_to_zone(pa, 4096), PA_ZONE_NORMAL);
	page_alloc_destroy(pa);
}

/*
 * Nodes smaller than 16 MiB. ZONE_DMA is the first 16 MiB of physical
 * memory whichever node holds it: node 0 (pfns 0..2999) is all DMA, and
 * node 1 (3000..5999) has DMA 3000..4095 and Normal from 4096.
 */
static void test_small_nodes(void **state)
{
	struct page_alloc *pa = make(2, 3000, 1, NO_WMARKS);

	(void)state;
	check(pa);
	assert_true(zinfo(pa, 0, PA_ZONE_DMA).present);
	assert_int_equal(zinfo(pa, 0, PA_ZONE_DMA).spanned, 3000);
	assert_false(zinfo(pa, 0, PA_ZONE_NORMAL).present);
	assert_true(zinfo(pa, 1, PA_ZONE_DMA).present);
	assert_int_equal(zinfo(pa, 1, PA_ZONE_DMA).start_pfn, 3000);
	assert_int_equal(zinfo(pa, 1, PA_ZONE_DMA).free_pages, 1096);
	assert_int_equal(zinfo(pa, 1, PA_ZONE_NORMAL).start_pfn, 4096);
	assert_int_equal(zinfo(pa, 1, PA_ZONE_NORMAL).free_pages, 1904);
	assert_false(zinfo(pa, 1, PA_ZONE_DMA32).present);
	assert_false(zinfo(pa, 1, PA_ZONE_HIGHMEM).present);
	assert_int_equal(pa_pfn_to_nid(pa, 2999), 0);
	assert_int_equal(pa_pfn_to_nid(pa, 3000), 1);
	assert_int_equal(pa_pfn_to_zone(pa, 3000), PA_ZONE_DMA);
	assert_int_equal(pa_pfn_to_zone(pa, 4095), PA_ZONE_DMA);
	assert_int_equal(pa_pfn_to_zone(pa, 4096), PA_ZONE_NORMAL);
	page_alloc_destroy(pa);
}

/* ------------------------------------------------------------------ */
/* Split and coalesce                                                  */
/* ------------------------------------------------------------------ */

/*
 * Normal zone of the 5120-frame node, one order-10 block at 4096.
 *
 * Before:            o10: [4096]                 all others empty
 * alloc o0 -> 4096:  o9: [4608] o8: [4352] o7: [4224] o6: [4160]
 *                    o5: [4128] o4: [4112] o3: [4104] o2: [4100]
 *                    o1: [4098] o0: [4097]       (upper halves)
 * alloc o0 -> 4097 (head of o0), alloc o1 -> 4098 (head of o1).
 * free 4097: buddy 4096 allocated      -> o0: [4097]
 * free 4096: buddy 4097 free, o0       -> o1 at 4096; buddy 4098 taken
 *                                      -> o1: [4096]
 * free 4098: buddy 4096 free at o1     -> o2 at 4096 + 4100 -> o3 ...
 *                                      -> o10: [4096], all others empty.
 */
static void test_split_coalesce(void **state)
{
	struct page_alloc *pa = make(1, 5120, 1, NO_WMARKS);
	struct pa_zone_info zi;
	unsigned int o;
	uint64_t a, b, c;

	(void)state;
	a = pa_alloc(pa, 0, 0, PA_THISNODE, NULL);
	assert_int_equal(a, 4096);
	check(pa);
	for (o = 0; o < 10; o++)
		assert_int_equal(only_free(pa, 0, PA_ZONE_NORMAL, o),
				 4096 + (1u << o));
	zi = zinfo(pa, 0, PA_ZONE_NORMAL);
	assert_int_equal(zi.nr_free[10], 0);
	assert_int_equal(zi.free_pages, 1023);

	b = pa_alloc(pa, 0, 0, 0, NULL);
	assert_int_equal(b, 4097);
	c = pa_alloc(pa, 0, 1, 0, NULL);
	assert_int_equal(c, 4098);
	check(pa);

	pa_free(pa, b, 0);
	assert_int_equal(only_free(pa, 0, PA_ZONE_NORMAL, 0), 4097);
	check(pa);
	pa_free(pa, a, 0);
	assert_int_equal(zinfo(pa, 0, PA_ZONE_NORMAL).nr_free[0], 0);
	assert_int_equal(only_free(pa, 0, PA_ZONE_NORMAL, 1), 4096);
	check(pa);
	pa_free(pa, c, 1);
	check(pa);
	zi = zinfo(pa, 0, PA_ZONE_NORMAL);
	for (o = 0; o < 10; o++)
		assert_int_equal(zi.nr_free[o], 0);
	assert_int_equal(zi.nr_free[10], 1);
	assert_int_equal(zi.free_pages, 1024);
	assert_int_equal(only_free(pa, 0, PA_ZONE_NORMAL, 10), 4096);
	page_alloc_destroy(pa);
}

/*
 * The buddy of a freed block is allocated: no coalescing.
 * alloc o0 -> 4096 and 4097 (the split left one block on each of o1..o9:
 * 4098, 4100, ..., 4608); free 4096: buddy 4097 is in use, so 4096 stays
 * an order-0 block: o0 = [4096], o1 still only [4098], o10 empty.
 */
static void test_allocated_buddy_blocks_merge(void **state)
{
	struct page_alloc *pa = make(1, 5120, 1, NO_WMARKS);
	struct pa_zone_info zi;

	(void)state;
	assert_int_equal(pa_alloc(pa, 0, 0, 0, NULL), 4096);
	assert_int_equal(pa_alloc(pa, 0, 0, 0, NULL), 4097);
	pa_free(pa, 4096, 0);
	check(pa);
	zi = zinfo(pa, 0, PA_ZONE_NORMAL);
	assert_int_equal(zi.nr_free[0], 1);
	assert_int_equal(zi.nr_free[1], 1);
	assert_int_equal(zi.nr_free[10], 0);
	assert_int_equal(only_free(pa, 0, PA_ZONE_NORMAL, 0), 4096);
	assert_int_equal(only_free(pa, 0, PA_ZONE_NORMAL, 1), 4098);
	assert_int_equal(zi.free_pages, 1023);
	/*
	 * The indices of this state: one block at each order 0..9, 1023
	 * pages in 10 blocks. Order 10: nothing suitable, unusable 1000,
	 * fragmentation 1000 - (1000 + 1023000 / 1024) / 10
	 * = 1000 - (1000 + 999) / 10 = 1000 - 199 = 801.
	 * Order 9: one suitable block, (1023 - 512) * 1000 / 1023 = 499.
	 */
	assert_int_equal(frag_unusable_index(zi.nr_free, 10), 1000);
	assert_int_equal(frag_fragmentation_index(zi.nr_free, 10), 801);
	assert_int_equal(frag_unusable_index(zi.nr_free, 9), 499);
	page_alloc_destroy(pa);
}

/*
 * Same sequence, same pfns, in two independent instances; the first ones
 * by hand: o2 -> 4096 (o2 list left with 4100); o0 -> o2's 4100 split:
 * returns 4100, o1: [4102], o0: [4101]; o0 -> 4101; o1 -> 4102; then
 * after freeing 4100 (buddy 4101 in use) o0 -> 4100 again (LIFO).
 */
static void test_determinism(void **state)
{
	static const unsigned int orders[] = { 2, 0, 0, 1, 3, 0, 5, 1 };
	struct page_alloc *p1 = make(1, 5120, 1, NO_WMARKS);
	struct page_alloc *p2 = make(1, 5120, 1, NO_WMARKS);
	uint64_t r1[8], r2[8];
	size_t i;

	(void)state;
	for (i = 0; i < 8; i++) {
		r1[i] = pa_alloc(p1, 0, orders[i], 0, NULL);
		r2[i] = pa_alloc(p2, 0, orders[i], 0, NULL);
		assert_int_equal(r1[i], r2[i]);
	}
	assert_int_equal(r1[0], 4096);
	assert_int_equal(r1[1], 4100);
	assert_int_equal(r1[2], 4101);
	assert_int_equal(r1[3], 4102);
	pa_free(p1, 4100, 0);
	pa_free(p2, 4100, 0);
	assert_int_equal(pa_alloc(p1, 0, 0, 0, NULL), 4100);
	assert_int_equal(pa_alloc(p2, 0, 0, 0, NULL), 4100);
	check(p1);
	page_alloc_destroy(p1);
	page_alloc_destroy(p2);
}

/* ------------------------------------------------------------------ */
/* Exhaustion and reserved frames                                      */
/* ------------------------------------------------------------------ */

/*
 * 16 frames, pfn 0 reserved: o0 [1], o1 [2], o2 [4], o3 [8]. Order-0
 * allocations take the smallest block each time, so they come out as
 * 1, 2, 3 (the upper half of 2-3), 4, 5, 6, 7, 8, ..., 15 in order. The
 * 16th fails, says why, and is counted on the zone.
 */
static void test_exhaustion(void **state)
{
	struct page_alloc *pa = make(1, 16, 1, NO_WMARKS);
	struct pa_failure why;
	struct pa_zone_info zi;
	uint64_t pfn;

	(void)state;
	assert_int_equal(pa_alloc(pa, 0, 4, 0, &why), PFN_NONE);
	for (pfn = 1; pfn < 16; pfn++) {
		assert_int_equal(pa_alloc(pa, 0, 0, 0, NULL), pfn);
		check(pa);
	}
	memset(&why, 0xff, sizeof(why));
	assert_int_equal(pa_alloc(pa, 0, 0, PA_NORETRY, &why), PFN_NONE);
	assert_int_equal(why.order, 0);
	assert_int_equal(why.flags, PA_NORETRY);
	assert_int_equal(why.nid, 0);
	assert_false(why.reclaimed);
	zi = zinfo(pa, 0, PA_ZONE_DMA);
	assert_int_equal(zi.free_pages, 0);
	assert_int_equal(zi.alloc_ok, 15);
	assert_int_equal(zi.alloc_fail, 2);
	/* order past MAX_ORDER: a failure, never a crash */
	assert_int_equal(pa_alloc(pa, 0, PA_MAX_ORDER, 0, NULL), PFN_NONE);
	page_alloc_destroy(pa);
}

/*
 * 100 reserved frames of 5120: 5020 order-0 allocations succeed, all
 * above pfn 99, then the machine is empty. Reserving 4200 spills into
 * the Normal zone: it manages 1024 - 104 = 920 frames.
 */
static void test_reserved(void **state)
{
	struct page_alloc *pa = make(1, 5120, 100, NO_WMARKS);
	uint64_t n = 0, pfn;

	(void)state;
	assert_int_equal(zinfo(pa, 0, PA_ZONE_DMA).managed, 3996);
	while ((pfn = pa_alloc(pa, 0, 0, 0, NULL)) != PFN_NONE) {
		assert_true(pfn >= 100 && pfn < 5120);
		n++;
	}
	assert_int_equal(n, 5020);
	check(pa);
	page_alloc_destroy(pa);

	pa = make(1, 5120, 4200, NO_WMARKS);
	assert_int_equal(zinfo(pa, 0, PA_ZONE_DMA).managed, 0);
	assert_int_equal(zinfo(pa, 0, PA_ZONE_NORMAL).managed, 920);
	assert_int_equal(zinfo(pa, 0, PA_ZONE_NORMAL).free_pages, 920);
	check(pa);
	n = 0;
	while ((pfn = pa_alloc(pa, 0, 0, 0, NULL)) != PFN_NONE) {
		assert_true(pfn >= 4200);
		n++;
	}
	assert_int_equal(n, 920);
	page_alloc_destroy(pa);

	/* reserved_pages 0 still keeps pfn 0 */
	pa = make(1, 16, 0, NO_WMARKS);
	assert_int_equal(zinfo(pa, 0, PA_ZONE_DMA).managed, 15);
	page_alloc_destroy(pa);
}

/* ------------------------------------------------------------------ */
/* Random traffic                                                      */
/* ------------------------------------------------------------------ */

static uint64_t xorshift64(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*s = x;
	return x;
}

struct held {
	uint64_t pfn;
	unsigned int order;
};

/*
 * Two odd-sized nodes (3000 frames: zones not MAX_ORDER aligned at their
 * end, node 1 starting at pfn 3000). 10000 random steps of allocations of
 * order 0..5 on either node and frees of random held blocks; every step
 * keeps the invariants and free + held = managed. Freeing everything
 * restores the boot free areas exactly.
 */
static void test_random(void **state)
{
	static struct held held[4096];
	struct page_alloc *pa = make(2, 3000, 3, NO_WMARKS);
	struct pa_zone_info boot[3], now;
	uint64_t seed = 0x9e3779b97f4a7c15ull, held_pages = 0;
	size_t nheld = 0, step, i;
	unsigned int fails = 0;

	(void)state;
	boot[0] = zinfo(pa, 0, PA_ZONE_DMA);
	boot[1] = zinfo(pa, 1, PA_ZONE_NORMAL);
	boot[2] = zinfo(pa, 1, PA_ZONE_DMA);
	for (step = 0; step < 10000; step++) {
		uint64_t r = xorshift64(&seed);

		if (nheld < 4096 && (r & 3) != 0) {
			unsigned int order = (unsigned int)((r >> 8) % 6);
			int nid = (int)((r >> 16) & 1);
			uint64_t pfn = pa_alloc(pa, nid, order, 0, NULL);

			if (pfn == PFN_NONE) {
				fails++;
			} else {
				/* zones start at 0, 3000 (node 1's DMA), 4096 */
				uint64_t base = pfn >= 4096 ? 4096 :
						pfn >= 3000 ? 3000 : 0;

				/* aligned to its order within its zone */
				assert_int_equal((pfn - base) &
						 ((1u << order) - 1), 0);
				held[nheld++] = (struct held){ pfn, order };
				held_pages += 1ull << order;
			}
		} else if (nheld) {
			i = (size_t)((r >> 20) % nheld);
			pa_free(pa, held[i].pfn, held[i].order);
			held_pages -= 1ull << held[i].order;
			held[i] = held[--nheld];
		}
		check(pa);
		assert_int_equal(zinfo(pa, 0, PA_ZONE_DMA).free_pages +
				 zinfo(pa, 1, PA_ZONE_DMA).free_pages +
				 zinfo(pa, 1, PA_ZONE_NORMAL).free_pages +
				 held_pages, 2997 + 3000);
	}
	/* the walk must have filled memory at some point */
	assert_true(fails > 0);
	while (nheld) {
		nheld--;
		pa_free(pa, held[nheld].pfn, held[nheld].order);
		check(pa);
	}
	now = zinfo(pa, 0, PA_ZONE_DMA);
	assert_memory_equal(now.nr_free, boot[0].nr_free, sizeof(now.nr_free));
	assert_int_equal(now.free_pages, 2997);
	now = zinfo(pa, 1, PA_ZONE_NORMAL);
	assert_memory_equal(now.nr_free, boot[1].nr_free, sizeof(now.nr_free));
	assert_int_equal(now.free_pages, 1904);
	now = zinfo(pa, 1, PA_ZONE_DMA);
	assert_memory_equal(now.nr_free, boot[2].nr_free, sizeof(now.nr_free));
	assert_int_equal(now.free_pages, 1096);
	page_alloc_destroy(pa);
}

/* ------------------------------------------------------------------ */
/* Zones as 2.6.17 lays them out                                       */
/* ------------------------------------------------------------------ */

static struct page_alloc *make_arch(int nodes, uint64_t node_pages,
				    uint64_t dma32_end, uint64_t highmem_start)
{
	struct page_alloc_config cfg = {
		.nr_nodes = nodes, .node_pages = node_pages,
		.reserved_pages = 1, .min_free_kbytes = 0,
		.dma32_end = dma32_end, .highmem_start = highmem_start,
	};
	struct page_alloc *pa = page_alloc_create(&cfg);

	assert_non_null(pa);
	return pa;
}

static void assert_zone(const struct page_alloc *pa, int nid, enum pa_zone z,
			uint64_t start, uint64_t end)
{
	struct pa_zone_info zi = zinfo(pa, nid, z);

	if (start == end) {
		assert_false(zi.present);
		return;
	}
	assert_true(zi.present);
	assert_int_equal(zi.start_pfn, start);
	assert_int_equal(zi.spanned, end - start);
}

/*
 * x86_64: DMA below 16 MiB (pfn 4096), DMA32 below 4 GiB (pfn 1048576),
 * Normal above. Two nodes of 1 GiB (262144 frames): node 0 DMA 0..4095
 * and DMA32 4096..262143, node 1 DMA32 262144..524287; no Normal, as on
 * every machine slabsim's loader accepts (3 GiB at most). Two nodes of
 * 3 GiB (786432): node 1 is DMA32 786432..1048575, Normal up to 1572863.
 */
static void test_zones_x86_64(void **state)
{
	struct page_alloc *pa = make_arch(2, 262144, 1048576, 0);

	(void)state;
	check(pa);
	assert_zone(pa, 0, PA_ZONE_DMA, 0, 4096);
	assert_zone(pa, 0, PA_ZONE_DMA32, 4096, 262144);
	assert_zone(pa, 0, PA_ZONE_NORMAL, 0, 0);
	assert_zone(pa, 1, PA_ZONE_DMA, 0, 0);
	assert_zone(pa, 1, PA_ZONE_DMA32, 262144, 524288);
	assert_zone(pa, 1, PA_ZONE_NORMAL, 0, 0);
	assert_zone(pa, 1, PA_ZONE_HIGHMEM, 0, 0);
	assert_int_equal(pa_pfn_to_zone(pa, 4095), PA_ZONE_DMA);
	assert_int_equal(pa_pfn_to_zone(pa, 4096), PA_ZONE_DMA32);
	assert_int_equal(pa_pfn_to_zone(pa, 524287), PA_ZONE_DMA32);
	/* a plain request is served from DMA32 (Normal is empty) */
	assert_int_equal(pa_pfn_to_zone(pa, pa_alloc(pa, 0, 0, 0, NULL)),
			 PA_ZONE_DMA32);
	assert_int_equal(pa_pfn_to_zone(pa, pa_alloc(pa, 0, 0, PA_DMA, NULL)),
			 PA_ZONE_DMA);
	page_alloc_destroy(pa);

	pa = make_arch(2, 786432, 1048576, 0);
	check(pa);
	assert_zone(pa, 1, PA_ZONE_DMA32, 786432, 1048576);
	assert_zone(pa, 1, PA_ZONE_NORMAL, 1048576, 1572864);
	assert_int_equal(pa_pfn_to_zone(pa, 1048575), PA_ZONE_DMA32);
	assert_int_equal(pa_pfn_to_zone(pa, 1048576), PA_ZONE_NORMAL);
	/* node 1 asks its Normal zone first */
	assert_int_equal(pa_pfn_to_zone(pa, pa_alloc(pa, 1, 0, 0, NULL)),
			 PA_ZONE_NORMAL);
	page_alloc_destroy(pa);
}

/*
 * i386: DMA below 16 MiB, Normal below 896 MiB (pfn 229376), HighMem
 * above. One node of 1 GiB (262144 frames): HighMem 229376..262143, 32768
 * frames in 32 order-10 blocks, never handed to a GFP_KERNEL request.
 * Its pages_min is 32768 / 1024 = 32 (within SWAP_CLUSTER_MAX..128);
 * min_free_kbytes counts lowmem only: 262143 - 32768 = 229375 managed
 * lowmem pages, sqrt(229375 * 4 * 16) = sqrt(14680000) = 3831 kB.
 * 512 MiB (131072 frames) has no HighMem at all.
 */
static void test_zones_i386(void **state)
{
	struct page_alloc *pa = make_arch(1, 262144, 0, 229376);
	struct pa_zone_info hi;
	uint64_t pfn, got = 0;

	(void)state;
	check(pa);
	assert_zone(pa, 0, PA_ZONE_DMA, 0, 4096);
	assert_zone(pa, 0, PA_ZONE_DMA32, 0, 0);
	assert_zone(pa, 0, PA_ZONE_NORMAL, 4096, 229376);
	assert_zone(pa, 0, PA_ZONE_HIGHMEM, 229376, 262144);
	hi = zinfo(pa, 0, PA_ZONE_HIGHMEM);
	assert_int_equal(hi.nr_free[10], 32);
	assert_int_equal(hi.wmark_min, 32);
	/* Normal's share of 3831 kB (957 pages): 957 * 225280 / 229375 */
	assert_int_equal(zinfo(pa, 0, PA_ZONE_NORMAL).wmark_min,
			 957ull * 225280 / 229375);
	assert_int_equal(pa_pfn_to_zone(pa, 229375), PA_ZONE_NORMAL);
	assert_int_equal(pa_pfn_to_zone(pa, 229376), PA_ZONE_HIGHMEM);
	/* take every order-10 block a GFP_KERNEL request can get */
	while ((pfn = pa_alloc(pa, 0, 10, 0, NULL)) != PFN_NONE) {
		assert_true(pfn < 229376);
		got++;
	}
	assert_true(got > 200);
	assert_int_equal(zinfo(pa, 0, PA_ZONE_HIGHMEM).free_pages, 32768);
	page_alloc_destroy(pa);

	pa = make_arch(1, 131072, 0, 229376);
	assert_zone(pa, 0, PA_ZONE_NORMAL, 4096, 131072);
	assert_zone(pa, 0, PA_ZONE_HIGHMEM, 0, 0);
	page_alloc_destroy(pa);
}

/* ------------------------------------------------------------------ */
/* Watermarks                                                          */
/* ------------------------------------------------------------------ */

/*
 * 512 MiB, one node, pfn 0 reserved: managed 131071 pages.
 * lowmem_kbytes = 131071 * 4 = 524284; * 16 = 8388544;
 * int_sqrt: 2896^2 = 8386816 <= 8388544 < 2897^2 = 8392609 -> 2896 kB.
 * pages_min = 2896 / 4 = 724.
 * DMA (4095 managed): 724 * 4095 / 131071 = 2964780 / 131071 = 22;
 *   low = 22 + 22/4 = 27, high = 22 + 22/2 = 33.
 * Normal (126976): 724 * 126976 / 131071 = 91930624 / 131071 = 701
 *   (131071 * 701 = 91880771, remainder 49853);
 *   low = 701 + 175 = 876, high = 701 + 350 = 1051.
 */
static void test_watermarks_formula(void **state)
{
	struct page_alloc *pa = make(1, 131072, 1, 0);
	struct pa_zone_info dma = zinfo(pa, 0, PA_ZONE_DMA);
	struct pa_zone_info nor = zinfo(pa, 0, PA_ZONE_NORMAL);

	(void)state;
	assert_int_equal(pa_min_free_kbytes(pa), 2896);
	assert_int_equal(dma.wmark_min, 22);
	assert_int_equal(dma.wmark_low, 27);
	assert_int_equal(dma.wmark_high, 33);
	assert_int_equal(nor.wmark_min, 701);
	assert_int_equal(nor.wmark_low, 876);
	assert_int_equal(nor.wmark_high, 1051);
	page_alloc_destroy(pa);
}

/*
 * Reserved frames do not count: 8192 frames with 2048 reserved, managed
 * DMA 2048 + Normal 4096 = 6144; 6144 * 4 * 16 = 393216,
 * 627^2 = 393129 <= 393216 < 628^2 = 394384 -> 627 kB, pages_min 156.
 * DMA 156 * 2048 / 6144 = 52 (low 65, high 78); Normal
 * 156 * 4096 / 6144 = 104 (low 130, high 156).
 */
static void test_watermarks_managed(void **state)
{
	struct page_alloc *pa = make(1, 8192, 2048, 0);
	struct pa_zone_info dma = zinfo(pa, 0, PA_ZONE_DMA);
	struct pa_zone_info nor = zinfo(pa, 0, PA_ZONE_NORMAL);

	(void)state;
	assert_int_equal(pa_min_free_kbytes(pa), 627);
	assert_int_equal(dma.managed, 2048);
	assert_int_equal(dma.wmark_min, 52);
	assert_int_equal(dma.wmark_low, 65);
	assert_int_equal(dma.wmark_high, 78);
	assert_int_equal(nor.wmark_min, 104);
	assert_int_equal(nor.wmark_low, 130);
	assert_int_equal(nor.wmark_high, 156);
	page_alloc_destroy(pa);
}

/*
 * zone_watermark_ok's walk over the lower orders. 16 frames, 16 kB:
 * pages_min 4 (low 5). Fresh: o0 [1], o1 [2], o2 [4], o3 [8], 15 free.
 * (a) order 3, PA_WAIT, low pass: 15 - 8 + 1 = 8 > 5; minus o0's 1 -> 7
 *     > 5 >> 1 = 2; minus o1's 2 -> 5 > 1; minus o2's 4 -> 1 > 0: pfn 8.
 *     (Without the halving, 5 > 5 would fail.)
 * (b) A fresh machine, order-0 requests with flags 0: the low pass takes
 *     pfns 1..10 (free 15..6 > 5), the min pass less a quarter (3) takes
 *     11 and 12 (free 5, 4 > 3), then free 3 fails. Free 1, 3, 5, 7, 9
 *     (buddies reserved or held): o0 holds 6 pages, o1 [14], 8 free.
 *     order 1, PA_WAIT: 8 - 2 + 1 = 7 > 5, minus the 6 order-0 pages
 *     -> 1 > 2 fails; min pass 7 > 4, 1 > 2 fails: PFN_NONE although
 *     an order-1 block is free.
 */
static void test_watermark_lower_orders(void **state)
{
	struct page_alloc *pa = make(1, 16, 1, 16);
	uint64_t pfn;

	(void)state;
	assert_int_equal(zinfo(pa, 0, PA_ZONE_DMA).wmark_min, 4);
	assert_int_equal(zinfo(pa, 0, PA_ZONE_DMA).wmark_low, 5);
	assert_int_equal(pa_alloc(pa, 0, 3, PA_WAIT, NULL), 8);
	page_alloc_destroy(pa);

	pa = make(1, 16, 1, 16);
	for (pfn = 1; pfn <= 12; pfn++)
		assert_int_equal(pa_alloc(pa, 0, 0, 0, NULL), pfn);
	assert_int_equal(pa_alloc(pa, 0, 0, 0, NULL), PFN_NONE);
	for (pfn = 1; pfn <= 9; pfn += 2)
		pa_free(pa, pfn, 0);
	check(pa);
	assert_int_equal(zinfo(pa, 0, PA_ZONE_DMA).nr_free[0], 6);
	assert_int_equal(only_free(pa, 0, PA_ZONE_DMA, 1), 14);
	assert_int_equal(pa_alloc(pa, 0, 1, PA_WAIT, NULL), PFN_NONE);
	page_alloc_destroy(pa);
}

/*
 * 16 frames: 15 managed, 60 kB; int_sqrt(960) = 30 < 128: clamped to
 * 128 kB, pages_min 32, all of it in the only zone: 32 * 15 / 15 = 32,
 * low 40, high 48. An explicit min_free_kbytes is used as given:
 * 4096 kB on two nodes of 8192 frames -> pages_min 1024 over 16383
 * managed pages: DMA 1024 * 4095 / 16383 = 255 (low 318, high 382),
 * Normal 0: 1024 * 4096 / 16383 = 256 (low 320, high 384), Normal 1:
 * 1024 * 8192 / 16383 = 512 (low 640, high 768).
 */
static void test_watermarks_clamp_and_explicit(void **state)
{
	struct page_alloc *pa = make(1, 16, 1, 0);
	struct pa_zone_info zi = zinfo(pa, 0, PA_ZONE_DMA);

	(void)state;
	assert_int_equal(pa_min_free_kbytes(pa), 128);
	assert_int_equal(zi.wmark_min, 32);
	assert_int_equal(zi.wmark_low, 40);
	assert_int_equal(zi.wmark_high, 48);
	page_alloc_destroy(pa);

	pa = make(2, 8192, 1, 4096);
	zi = zinfo(pa, 0, PA_ZONE_DMA);
	assert_int_equal(zi.wmark_min, 255);
	assert_int_equal(zi.wmark_low, 318);
	assert_int_equal(zi.wmark_high, 382);
	zi = zinfo(pa, 0, PA_ZONE_NORMAL);
	assert_int_equal(zi.wmark_min, 256);
	assert_int_equal(zi.wmark_low, 320);
	assert_int_equal(zi.wmark_high, 384);
	zi = zinfo(pa, 1, PA_ZONE_NORMAL);
	assert_int_equal(zi.wmark_min, 512);
	assert_int_equal(zi.wmark_low, 640);
	assert_int_equal(zi.wmark_high, 768);
	page_alloc_destroy(pa);
}

/*
 * The 16-frame machine above (min 32, low 40, 15 pages free):
 * - flags 0 (cannot wait, so ALLOC_HARDER): low pass 15 > 40 no; min
 *   pass 32 - 32/4 = 24: 15 > 24 no -> fails.
 * - PA_HIGH: 32 - 32/2 = 16, then HARDER 16 - 16/4 = 12:
 *   15 > 12 -> pfn 1; 14 > 12 -> pfn 2; 13 > 12 -> pfn 3; 12 > 12 no.
 * - PA_HIGH | PA_WAIT (no HARDER): 16: 12 > 16 no, no reclaim -> fails.
 */
static void test_high_dips_below_min(void **state)
{
	struct page_alloc *pa = make(1, 16, 1, 0);
	struct pa_failure why;

	(void)state;
	assert_int_equal(pa_alloc(pa, 0, 0, 0, &why), PFN_NONE);
	assert_false(why.reclaimed);
	assert_int_equal(pa_alloc(pa, 0, 0, PA_HIGH, NULL), 1);
	assert_int_equal(pa_alloc(pa, 0, 0, PA_HIGH, NULL), 2);
	assert_int_equal(pa_alloc(pa, 0, 0, PA_HIGH, NULL), 3);
	assert_int_equal(pa_alloc(pa, 0, 0, PA_HIGH, NULL), PFN_NONE);
	assert_int_equal(pa_alloc(pa, 0, 0, PA_HIGH | PA_WAIT, NULL),
			 PFN_NONE);
	check(pa);
	page_alloc_destroy(pa);

	/* with the waiting caller: 15 > 16 fails at once */
	pa = make(1, 16, 1, 0);
	assert_int_equal(pa_alloc(pa, 0, 0, PA_HIGH | PA_WAIT, NULL),
			 PFN_NONE);
	page_alloc_destroy(pa);
}

/*
 * The order-10 check halves the mark at every lower order: 16384 frames,
 * explicit 4096 kB as above but on one node of 16384 frames: pages_min
 * 1024 over 16383: DMA 255 (low 318), Normal 1024 * 12288 / 16383 = 768
 * (low 960). Normal holds 12 order-10 blocks; an order-10 request needs
 * free - 1023 > 960 at order 0 and then free minus the (empty) lower
 * orders > 960 >> k. After 10 blocks 2048 pages are free: the 11th sees
 * 2048 - 1023 = 1025 > 960 and succeeds, the 12th sees 1024 - 1023 = 1
 * and falls back to DMA (low 318: 4095 - 1023 = 3072 > 318, and after
 * taking away its one block of each order 0..9, 3072 - 1023 = 2049 > 0),
 * whose head order-10 block is 3072.
 */
static void test_watermark_high_order(void **state)
{
	struct page_alloc *pa = make(1, 16384, 1, 4096);
	uint64_t pfn;
	int i;

	(void)state;
	assert_int_equal(zinfo(pa, 0, PA_ZONE_NORMAL).wmark_low, 960);
	for (i = 0; i < 11; i++) {
		pfn = pa_alloc(pa, 0, 10, 0, NULL);
		assert_int_equal(pa_pfn_to_zone(pa, pfn), PA_ZONE_NORMAL);
	}
	assert_int_equal(pa_alloc(pa, 0, 10, 0, NULL), 3072);
	page_alloc_destroy(pa);
}

/* ------------------------------------------------------------------ */
/* Zonelists                                                           */
/* ------------------------------------------------------------------ */

/*
 * Two nodes of 8192 frames, 4096 kB: node 1 Normal low = 640 (above).
 * Node 1 holds 8 order-10 blocks, head first 15360, 14336, ...; the
 * low-watermark pass admits an order-10 request while
 * free - 1023 > 640: the 7th leaves 1024 free, so the 8th fails on
 * node 1 (1024 - 1023 = 1) and falls back to node 0's Normal zone,
 * whose head block is 7168. With PA_THISNODE the min pass (512 - 128 =
 * 384 for a non-waiting caller) fails as well: PFN_NONE.
 */
static void test_fallback_to_next_node(void **state)
{
	struct page_alloc *pa = make(2, 8192, 1, 4096);
	struct pa_failure why;
	int i;

	(void)state;
	for (i = 0; i < 7; i++)
		assert_int_equal(pa_alloc(pa, 1, 10, 0, NULL),
				 15360 - 1024 * (uint64_t)i);
	assert_int_equal(pa_alloc(pa, 1, 10, PA_THISNODE, &why), PFN_NONE);
	assert_int_equal(why.nid, 1);
	assert_int_equal(why.flags, PA_THISNODE);
	assert_int_equal(zinfo(pa, 1, PA_ZONE_NORMAL).alloc_fail, 1);
	assert_int_equal(pa_alloc(pa, 1, 10, 0, NULL), 7168);
	assert_int_equal(zinfo(pa, 0, PA_ZONE_NORMAL).alloc_ok, 1);
	assert_int_equal(zinfo(pa, 1, PA_ZONE_NORMAL).alloc_ok, 7);
	check(pa);
	page_alloc_destroy(pa);
}

/*
 * Three nodes of 2048 frames (node 0 all DMA, 2047 managed: its only
 * order-10 block is 1024). Node 1 with distances 1->0 = 30, 1->2 = 20
 * falls back to node 2 first (head block 5120); with the default 10/20
 * the tie goes to the lower node number, node 0 (block 1024).
 */
static void test_fallback_by_distance(void **state)
{
	static const int dist[9] = {
		10, 30, 20,
		30, 10, 20,
		20, 20, 10,
	};
	struct page_alloc_config cfg = {
		.nr_nodes = 3, .node_pages = 2048, .reserved_pages = 1,
		.min_free_kbytes = NO_WMARKS, .node_distance = dist,
	};
	struct page_alloc *pa = page_alloc_create(&cfg);

	(void)state;
	assert_non_null(pa);
	assert_int_equal(pa_alloc(pa, 1, 10, 0, NULL), 3072);
	assert_int_equal(pa_alloc(pa, 1, 10, 0, NULL), 2048);
	assert_int_equal(pa_alloc(pa, 1, 10, 0, NULL), 5120);
	page_alloc_destroy(pa);

	pa = make(3, 2048, 1, NO_WMARKS);
	assert_int_equal(pa_alloc(pa, 1, 10, 0, NULL), 3072);
	assert_int_equal(pa_alloc(pa, 1, 10, 0, NULL), 2048);
	assert_int_equal(pa_alloc(pa, 1, 10, 0, NULL), 1024);
	assert_int_equal(pa_alloc(pa, 1, 10, 0, NULL), 5120);
	page_alloc_destroy(pa);
}

/*
 * PA_DMA only ever takes node 0's first 4096 frames, whatever the node
 * asked for: draining DMA with order-0 requests from node 1 gives 4095
 * pfns, all below 4096, then fails although node 1 is untouched. DMA with
 * PA_THISNODE from node 1 has an empty zonelist.
 */
static void test_dma_zone(void **state)
{
	struct page_alloc *pa = make(2, 8192, 1, NO_WMARKS);
	uint64_t pfn, n = 0;

	(void)state;
	assert_int_equal(pa_alloc(pa, 1, 0, PA_DMA | PA_THISNODE, NULL),
			 PFN_NONE);
	while ((pfn = pa_alloc(pa, 1, 0, PA_DMA, NULL)) != PFN_NONE) {
		assert_true(pfn > 0 && pfn < 4096);
		n++;
	}
	assert_int_equal(n, 4095);
	assert_int_equal(zinfo(pa, 1, PA_ZONE_NORMAL).free_pages, 8192);
	assert_int_equal(zinfo(pa, 0, PA_ZONE_NORMAL).free_pages, 4096);
	/* a plain request from node 0 still finds Normal memory */
	assert_int_equal(pa_pfn_to_zone(pa, pa_alloc(pa, 0, 0, 0, NULL)),
			 PA_ZONE_NORMAL);
	check(pa);
	page_alloc_destroy(pa);
}

/* ------------------------------------------------------------------ */
/* Reclaim                                                             */
/* ------------------------------------------------------------------ */

/* A "slab cache" holding pages, given back one batch per reclaim call. */
struct fake_reclaim {
	struct page_alloc *pa;
	uint64_t pfns[16];
	unsigned int nr, per_call, calls;
	int last_nid;
	unsigned int last_order;
};

static unsigned long fake_reclaim(void *arg, int nid, unsigned int order)
{
	struct fake_reclaim *fr = arg;
	unsigned long freed = 0;

	fr->calls++;
	fr->last_nid = nid;
	fr->last_order = order;
	while (fr->nr && freed < fr->per_call) {
		pa_free(fr->pa, fr->pfns[--fr->nr], 0);
		freed++;
	}
	return freed;
}

static struct page_alloc *make_reclaim(struct fake_reclaim *fr)
{
	struct page_alloc_config cfg = {
		.nr_nodes = 1, .node_pages = 16, .reserved_pages = 1,
		.min_free_kbytes = NO_WMARKS,
		.reclaim = fake_reclaim, .reclaim_arg = fr,
	};

	memset(fr, 0, sizeof(*fr));
	fr->pa = page_alloc_create(&cfg);
	assert_non_null(fr->pa);
	return fr->pa;
}

/*
 * The 16-frame machine, every page held (1..15, see test_exhaustion);
 * the cache holds 14 and 15 and frees both on the first call.
 * free 14: buddy 15 held -> o0 [14]; free 15: buddy 14 free -> o1 at 14
 * (its buddy 12 is held). The retried order-0 request splits it: 14.
 */
static void test_wait_reclaims(void **state)
{
	struct fake_reclaim fr;
	struct page_alloc *pa = make_reclaim(&fr);
	uint64_t pfn;

	(void)state;
	for (pfn = 1; pfn < 16; pfn++)
		assert_int_equal(pa_alloc(pa, 0, 0, 0, NULL), pfn);
	fr.pfns[0] = 15;
	fr.pfns[1] = 14;
	fr.nr = 2;
	fr.per_call = 2;
	/* no PA_WAIT: reclaim is never called */
	assert_int_equal(pa_alloc(pa, 0, 0, 0, NULL), PFN_NONE);
	assert_int_equal(fr.calls, 0);
	assert_int_equal(pa_alloc(pa, 0, 0, PA_WAIT, NULL), 14);
	assert_int_equal(fr.calls, 1);
	assert_int_equal(fr.last_nid, 0);
	assert_int_equal(fr.last_order, 0);
	check(pa);
	page_alloc_destroy(pa);
}

/*
 * Reclaim frees pages that cannot merge (1: its buddy is the reserved
 * pfn 0; 3 and 5: buddies 2 and 4 held), one per call, so an order-1
 * request keeps failing:
 * - PA_NORETRY: one call (frees 1), then failure.
 * - order 1 <= 3: retried while reclaim makes progress: the calls free
 *   3, then 5, the 3rd frees nothing -> failure after 3 calls.
 * - on a fresh machine, order 4 > 3 without PA_NOFAIL: one call (frees
 *   1); with PA_NOFAIL: until reclaim runs dry, 3 calls again.
 * Every failure after reclaim says reclaimed = true.
 */
static void test_retry_rules(void **state)
{
	struct fake_reclaim fr;
	struct page_alloc *pa;
	struct pa_failure why;
	uint64_t pfn;

	(void)state;
	pa = make_reclaim(&fr);
	for (pfn = 1; pfn < 16; pfn++)
		assert_int_equal(pa_alloc(pa, 0, 0, 0, NULL), pfn);
	fr.pfns[0] = 5;
	fr.pfns[1] = 3;
	fr.pfns[2] = 1;
	fr.nr = 3;
	fr.per_call = 1;
	assert_int_equal(pa_alloc(pa, 0, 1, PA_WAIT | PA_NORETRY, &why),
			 PFN_NONE);
	assert_int_equal(fr.calls, 1);
	assert_true(why.reclaimed);
	assert_int_equal(fr.nr, 2);

	fr.calls = 0;
	assert_int_equal(pa_alloc(pa, 0, 1, PA_WAIT, &why), PFN_NONE);
	assert_int_equal(fr.calls, 3);	/* frees 3, 5, then nothing */
	assert_true(why.reclaimed);
	assert_int_equal(zinfo(pa, 0, PA_ZONE_DMA).free_pages, 3);
	check(pa);
	page_alloc_destroy(pa);

	pa = make_reclaim(&fr);
	for (pfn = 1; pfn < 16; pfn++)
		assert_int_equal(pa_alloc(pa, 0, 0, 0, NULL), pfn);
	fr.pfns[0] = 5;
	fr.pfns[1] = 3;
	fr.pfns[2] = 1;
	fr.nr = 3;
	fr.per_call = 1;
	assert_int_equal(pa_alloc(pa, 0, 4, PA_WAIT, NULL), PFN_NONE);
	assert_int_equal(fr.calls, 1);
	fr.calls = 0;
	assert_int_equal(pa_alloc(pa, 0, 4, PA_WAIT | PA_NOFAIL, &why),
			 PFN_NONE);
	assert_int_equal(fr.calls, 3);	/* frees 3, 5, then nothing */
	assert_true(why.reclaimed);
	page_alloc_destroy(pa);
}

static unsigned long lying_reclaim(void *arg, int nid, unsigned int order)
{
	unsigned int *calls = arg;

	(*calls)++;
	return 1;	/* claims progress, frees nothing */
}

/*
 * A callback that always claims progress cannot hang a PA_NOFAIL request:
 * the retry loop gives up after its guard of 1024 reclaim rounds.
 */
static void test_reclaim_hang_guard(void **state)
{
	unsigned int calls = 0;
	struct page_alloc_config cfg = {
		.nr_nodes = 1, .node_pages = 16, .reserved_pages = 1,
		.min_free_kbytes = NO_WMARKS,
		.reclaim = lying_reclaim, .reclaim_arg = &calls,
	};
	struct page_alloc *pa = page_alloc_create(&cfg);
	struct pa_failure why;

	(void)state;
	assert_non_null(pa);
	assert_int_equal(pa_alloc(pa, 0, 4, PA_WAIT | PA_NOFAIL, &why),
			 PFN_NONE);
	assert_int_equal(calls, 1024);
	assert_true(why.reclaimed);
	page_alloc_destroy(pa);
}

/* ------------------------------------------------------------------ */
/* Consistency checker                                                 */
/* ------------------------------------------------------------------ */

static void expect_broken(struct page_alloc *pa, const char *what)
{
	char msg[256];

	if (pa_is_consistent(pa, msg, sizeof(msg)))
		fail_msg("corruption not noticed: %s", what);
	assert_true(msg[0] != '\0');
}

/*
 * The checker must catch what the tests above rely on it for. Normal
 * zone of the 5120-frame node after allocating 4096 and 4097 (o0):
 * free o1 [4098], o2 [4100], ..., o9 [4608].
 */
static void test_checker_catches_corruption(void **state)
{
	struct page_alloc *pa = make(1, 5120, 1, NO_WMARKS);
	uint8_t old;

	(void)state;
	assert_int_equal(pa_alloc(pa, 0, 0, 0, NULL), 4096);
	assert_int_equal(pa_alloc(pa, 0, 0, 0, NULL), 4097);
	check(pa);

	/* a head inside the free order-2 block 4100..4103 */
	old = pa_test_poke(pa, 4101, T_ALLOCATED | 0);
	expect_broken(pa, "overlapping blocks");
	pa_test_poke(pa, 4101, old);
	check(pa);

	/* an allocated frame that the free list still points at */
	old = pa_test_poke(pa, 4100, T_ALLOCATED | 2);
	expect_broken(pa, "allocated block on a free list");
	pa_test_poke(pa, 4100, old);

	/* two free buddies of the same order, not merged */
	pa_test_poke(pa, 4096, T_BUDDY | 0);
	pa_test_poke(pa, 4097, T_BUDDY | 0);
	expect_broken(pa, "unmerged buddies");
	pa_test_poke(pa, 4096, T_ALLOCATED | 0);
	pa_test_poke(pa, 4097, T_ALLOCATED | 0);

	/* a free block off every list, and nr_free no longer adding up */
	pa_test_poke(pa, 4097, T_BUDDY | 0);
	expect_broken(pa, "free block not listed");
	pa_test_poke(pa, 4097, T_ALLOCATED | 0);

	/* a block misaligned for its order (4098 claims order 2) */
	old = pa_test_poke(pa, 4098, T_BUDDY | 2);
	expect_broken(pa, "misaligned block");
	pa_test_poke(pa, 4098, old);

	/* an orphan frame: neither free nor allocated */
	pa_test_poke(pa, 4097, 0);
	expect_broken(pa, "orphan frame");
	pa_test_poke(pa, 4097, T_ALLOCATED | 0);

	/* a reserved frame handed out */
	pa_test_poke(pa, 0, T_ALLOCATED | 0);
	expect_broken(pa, "reserved frame in use");
	pa_test_poke(pa, 0, 0);

	check(pa);
	page_alloc_destroy(pa);
}

/* Bad configurations are refused, not half-built. */
static void test_bad_config(void **state)
{
	struct page_alloc_config cfg = { .nr_nodes = 0, .node_pages = 16 };

	(void)state;
	assert_null(page_alloc_create(&cfg));
	cfg.nr_nodes = 1;
	cfg.node_pages = 0;
	assert_null(page_alloc_create(&cfg));
	assert_null(page_alloc_create(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_small_nodes),
		cmocka_unit_test(test_zones_x86_64),
		cmocka_unit_test(test_zones_i386),
		cmocka_unit_test(test_split_coalesce),
		cmocka_unit_test(test_allocated_buddy_blocks_merge),
		cmocka_unit_test(test_determinism),
		cmocka_unit_test(test_exhaustion),
		cmocka_unit_test(test_reserved),
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_watermarks_formula),
		cmocka_unit_test(test_watermarks_managed),
		cmocka_unit_test(test_watermark_lower_orders),
		cmocka_unit_test(test_watermarks_clamp_and_explicit),
		cmocka_unit_test(test_high_dips_below_min),
		cmocka_unit_test(test_watermark_high_order),
		cmocka_unit_test(test_fallback_to_next_node),
		cmocka_unit_test(test_fallback_by_distance),
		cmocka_unit_test(test_dma_zone),
		cmocka_unit_test(test_wait_reclaims),
		cmocka_unit_test(test_retry_rules),
		cmocka_unit_test(test_reclaim_hang_guard),
		cmocka_unit_test(test_checker_catches_corruption),
		cmocka_unit_test(test_bad_config),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
