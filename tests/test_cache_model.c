/*
 * Unit tests of the cache-line model. Each test builds a machine small
 * enough that the expected hits and misses can be worked out by hand; the
 * working is in the comments. Costs everywhere: L1 1, L2 4, local 80,
 * remote 140 (ns), so a cost sum also tells which level served a line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <cmocka.h>

#include "models/cache_model.h"

#define L1C	1
#define L2C	4
#define LOC	80
#define REM	140

#define RD	false
#define WR	true

/* line 64; L1 and L2 geometry given as size and ways */
static struct cache_model *make(int cpus, uint64_t l1_size,
				unsigned int l1_ways, uint64_t l2_size,
				unsigned int l2_ways)
{
	struct cache_model_config cfg = {
		.nr_cpus = cpus,
		.line = 64,
		.l1 = { l1_size, l1_ways },
		.l2 = { l2_size, l2_ways },
		.cost_l1 = L1C,
		.cost_l2 = L2C,
		.cost_local = LOC,
		.cost_remote = REM,
	};
	struct cache_model *cm = cache_model_create(&cfg);

	assert_non_null(cm);
	return cm;
}

/* A typical x86_64 part: 32 KiB 8-way L1 (64 sets), 1 MiB 16-way L2. */
static struct cache_model *make_default(int cpus)
{
	return make(cpus, 32 << 10, 8, 1 << 20, 16);
}

/* cpu reads or writes len bytes at addr, node 0 memory, tag 0 */
static uint64_t acc(struct cache_model *cm, int cpu, uint64_t addr,
		    size_t len, bool write)
{
	return cache_model_access(cm, cpu, 0, addr, len, write, 0, 0);
}

/*
 * The same through cache_model_hit first, as the simulator's fast path
 * does: the counts and costs must not tell the two apart.
 */
static uint64_t acc_fast(struct cache_model *cm, int cpu, uint64_t addr,
			 size_t len, bool write)
{
	uint64_t cost;

	if (cache_model_hit(cm, cpu, addr, len, write, 0, &cost))
		return cost;
	return cache_model_access(cm, cpu, 0, addr, len, write, 0, 0);
}

static void check_totals(const struct cache_model *cm, uint64_t accesses,
			 uint64_t l1, uint64_t l2, uint64_t misses,
			 uint64_t coherence, uint64_t remote)
{
	struct cm_stats s;

	cache_model_totals(cm, &s);
	assert_int_equal(s.accesses, accesses);
	assert_int_equal(s.l1_hits, l1);
	assert_int_equal(s.l2_hits, l2);
	assert_int_equal(s.misses, misses);
	assert_int_equal(s.coherence_misses, coherence);
	assert_int_equal(s.remote, remote);
	assert_true(cache_model_is_consistent(cm));
}

/* A line never seen misses L1 and L2 and comes from memory; then hits L1. */
static void test_first_touch(void **state)
{
	struct cache_model *cm = make_default(1);

	(void)state;
	assert_int_equal(acc(cm, 0, 0x1000, 8, RD), LOC);
	check_totals(cm, 1, 0, 0, 1, 0, 0);
	/* same line, other bytes: 0x1000..0x103f is one line */
	assert_int_equal(acc(cm, 0, 0x1030, 16, RD), L1C);
	assert_int_equal(acc(cm, 0, 0x1000, 8, WR), L1C);
	check_totals(cm, 3, 2, 0, 1, 0, 0);
	/* len 0 touches nothing */
	assert_int_equal(acc(cm, 0, 0x9000, 0, RD), 0);
	check_totals(cm, 3, 2, 0, 1, 0, 0);
	cache_model_destroy(cm);
}

/* An access straddling a line boundary touches both lines. */
static void test_spanning(void **state)
{
	struct cache_model *cm = make_default(1);

	(void)state;
	/* bytes 60..67: line 0 (0..63) and line 1 (64..127), both memory */
	assert_int_equal(acc(cm, 0, 60, 8, RD), 2 * LOC);
	check_totals(cm, 2, 0, 0, 2, 0, 0);
	/* exactly line 1: one access, an L1 hit */
	assert_int_equal(acc(cm, 0, 64, 64, RD), L1C);
	/* 0..127 is lines 0 and 1, both in L1 */
	assert_int_equal(acc(cm, 0, 0, 128, RD), 2 * L1C);
	/* 63..192: lines 0, 1, 2 (128..191) and 3 (192): 2 hits, 2 misses */
	assert_int_equal(acc(cm, 0, 63, 130, RD), 2 * L1C + 2 * LOC);
	/* lines: 2 + 1 + 2 + 4 = 9; L1 hits 1 + 2 + 2 = 5; misses 2 + 2 */
	check_totals(cm, 9, 5, 0, 4, 0, 0);
	cache_model_destroy(cm);
}

/*
 * LRU in a 2-way L1 set. L1: 512 bytes, 2 ways, so 4 sets; lines 256
 * bytes apart share a set. L2 (64 KiB, 16 ways, 64 sets) puts A, B, C in
 * sets 0, 4, 8, so it keeps all three and every L1 miss after the first
 * touch is an L2 hit.
 *
 *   op        L1 set 0 (MRU first)   served by
 *   read A    A -                    memory
 *   read B    B A                    memory
 *   read A    A B                    L1
 *   read C    C A   (B was LRU)      memory
 *   read A    A C                    L1    <- A survived: B was the victim
 *   read B    B A   (C evicted)      L2    <- L1 eviction still hits L2
 *   read C    C B   (A evicted)      L2
 *   read B    B C                    L1
 */
static void test_lru_two_way(void **state)
{
	struct cache_model *cm = make(1, 512, 2, 64 << 10, 16);
	const uint64_t A = 0, B = 256, C = 512;

	(void)state;
	assert_int_equal(acc(cm, 0, A, 4, RD), LOC);
	assert_int_equal(acc(cm, 0, B, 4, RD), LOC);
	assert_int_equal(acc(cm, 0, A, 4, RD), L1C);
	assert_int_equal(acc(cm, 0, C, 4, RD), LOC);
	assert_int_equal(acc(cm, 0, A, 4, RD), L1C);
	assert_int_equal(acc(cm, 0, B, 4, RD), L2C);
	assert_int_equal(acc(cm, 0, C, 4, RD), L2C);
	assert_int_equal(acc(cm, 0, B, 4, RD), L1C);
	check_totals(cm, 8, 3, 2, 3, 0, 0);
	cache_model_destroy(cm);
}

/*
 * The hierarchy is inclusive: an L2 eviction takes the line out of L1 even
 * when L1 had room. L1: 512 bytes, 4 ways, 2 sets; L2: 1 KiB, 2 ways, 8
 * sets. A = line 0, B = line 8, C = line 16: L1 set 0 for all (4 ways hold
 * them), L2 set 0 for all (2 ways do not).
 *
 *   read A, B   L2 set 0: B A        L1 set 0: B A
 *   read C      L2: C B (A out)      L1: C B   (A dropped by inclusion)
 *   read B      L1 hit
 *   read A      memory (without inclusion it would be an L1 hit)
 *               L2: A C (B out, LRU since L1 hits do not refresh L2)
 *   read B      memory
 */
static void test_inclusive(void **state)
{
	struct cache_model *cm = make(1, 512, 4, 1024, 2);

	(void)state;
	assert_int_equal(acc(cm, 0, 0, 8, RD), LOC);
	assert_int_equal(acc(cm, 0, 512, 8, RD), LOC);
	assert_int_equal(acc(cm, 0, 1024, 8, RD), LOC);
	assert_int_equal(acc(cm, 0, 512, 8, RD), L1C);
	assert_int_equal(acc(cm, 0, 0, 8, RD), LOC);
	assert_int_equal(acc(cm, 0, 512, 8, RD), LOC);
	check_totals(cm, 6, 1, 0, 5, 0, 0);
	cache_model_destroy(cm);
}

/*
 * A write by CPU 1 invalidates CPU 0's copy; CPU 0's next read misses and
 * that miss is a coherence miss.
 *
 *   cpu0 read X    memory                 cpu0: X S
 *   cpu1 write X   memory, invalidates    cpu0: X stale, cpu1: X M
 *   cpu0 read X    memory, coherence      cpu1 downgraded to S
 *   cpu0 read X    L1
 *   cpu1 write X   L1 hit (upgrade S->M), cpu0 stale again
 *   cpu0 read X    memory, coherence
 *   cpu1 read X    L1 (cpu0's read only downgraded cpu1's copy)
 */
static void test_coherence(void **state)
{
	struct cache_model *cm = make_default(2);
	const uint64_t X = 0x4000;

	(void)state;
	assert_int_equal(acc(cm, 0, X, 8, RD), LOC);
	assert_int_equal(acc(cm, 1, X, 8, WR), LOC);
	check_totals(cm, 2, 0, 0, 2, 0, 0);
	assert_int_equal(acc(cm, 0, X, 8, RD), LOC);
	check_totals(cm, 3, 0, 0, 3, 1, 0);
	assert_int_equal(acc(cm, 0, X, 8, RD), L1C);
	assert_int_equal(acc(cm, 1, X, 8, WR), L1C);
	assert_int_equal(acc(cm, 0, X, 8, RD), LOC);
	assert_int_equal(acc(cm, 1, X, 8, RD), L1C);
	check_totals(cm, 7, 3, 0, 4, 2, 0);
	cache_model_destroy(cm);
}

/*
 * Reads share; only writes invalidate. CPU 0 writes Y (M), CPU 1 reads it
 * (memory: no cache-to-cache transfer; a first touch, not coherence) and
 * CPU 0 keeps a Shared copy, so its read hits L1. A write to a line
 * already Modified here is a plain L1 hit.
 *
 *   cpu0 write Y   memory        cpu0 M
 *   cpu1 read Y    memory        both S
 *   cpu0 read Y    L1
 *   cpu1 write Y   L1 (upgrade)  cpu0 stale
 *   cpu1 write Y   L1            (already M: nothing to invalidate)
 *   cpu0 write Y   memory, coherence; cpu1 stale
 *   cpu1 read Y    memory, coherence
 */
static void test_sharing(void **state)
{
	struct cache_model *cm = make_default(2);
	const uint64_t Y = 0x8000;

	(void)state;
	assert_int_equal(acc(cm, 0, Y, 8, WR), LOC);
	assert_int_equal(acc(cm, 1, Y, 8, RD), LOC);
	assert_int_equal(acc(cm, 0, Y, 8, RD), L1C);
	check_totals(cm, 3, 1, 0, 2, 0, 0);
	assert_int_equal(acc(cm, 1, Y, 8, WR), L1C);
	assert_int_equal(acc(cm, 1, Y, 8, WR), L1C);
	assert_int_equal(acc(cm, 0, Y, 8, WR), LOC);
	assert_int_equal(acc(cm, 1, Y, 8, RD), LOC);
	check_totals(cm, 7, 3, 0, 4, 2, 0);
	cache_model_destroy(cm);
}

/*
 * A capacity eviction is not a coherence miss. L1 = L2 geometry here
 * (512 bytes, 2 ways, 4 sets), lines 256 bytes apart share set 0 in both.
 *
 *   read A, B, C   3 memory; C evicts A from L2 and so from L1
 *   read A         memory, not coherence (evicted, not invalidated);
 *                  evicts B: cpu0's set 0 is now A C in L1 and L2
 *   cpu1 write C   memory; cpu0's C goes stale
 *   read C         cpu0: memory, coherence (marker still in place)
 *   read B         cpu0: memory, capacity: not coherence
 */
static void test_capacity_not_coherence(void **state)
{
	struct cache_model *cm = make(2, 512, 2, 512, 2);

	(void)state;
	assert_int_equal(acc(cm, 0, 0, 8, RD), LOC);
	assert_int_equal(acc(cm, 0, 256, 8, RD), LOC);
	assert_int_equal(acc(cm, 0, 512, 8, RD), LOC);
	assert_int_equal(acc(cm, 0, 0, 8, RD), LOC);
	check_totals(cm, 4, 0, 0, 4, 0, 0);
	assert_int_equal(acc(cm, 1, 512, 8, WR), LOC);
	assert_int_equal(acc(cm, 0, 512, 8, RD), LOC);
	assert_int_equal(acc(cm, 0, 256, 8, RD), LOC);
	check_totals(cm, 7, 0, 0, 7, 1, 0);
	cache_model_destroy(cm);
}

/*
 * The stale marker in L1 can outlive the one in L2, and still makes the
 * next miss a coherence miss. L1: 256 bytes, 4 ways, 1 set; L2: 256
 * bytes, direct mapped, 4 sets. X = line 0 and Y = line 4 share L2 set 0.
 *
 *   cpu0 read X    memory      L1: X          L2 set 0: X
 *   cpu1 write X   memory      cpu0: X stale in L1 and L2
 *   cpu0 read Y    memory      L1: Y X(stale) L2 set 0: Y (stale X gone;
 *                              no inclusion drop, it was not valid)
 *   cpu0 read X    memory, coherence: only L1 still has the marker
 */
static void test_l1_marker(void **state)
{
	struct cache_model *cm = make(2, 256, 4, 256, 1);

	(void)state;
	assert_int_equal(acc(cm, 0, 0, 8, RD), LOC);
	assert_int_equal(acc(cm, 1, 0, 8, WR), LOC);
	assert_int_equal(acc(cm, 0, 256, 8, RD), LOC);
	check_totals(cm, 3, 0, 0, 3, 0, 0);
	assert_int_equal(acc(cm, 0, 0, 8, RD), LOC);
	check_totals(cm, 4, 0, 0, 4, 1, 0);
	cache_model_destroy(cm);
}

/* Remote memory costs more and is counted; a hit is never remote. */
static void test_remote(void **state)
{
	struct cache_model *cm = make_default(2);

	(void)state;
	/* cpu 0 on node 0 reads node 1 memory: remote */
	assert_int_equal(cache_model_access(cm, 0, 0, 0x100, 8, RD, 1, 0), REM);
	/* again: L1 hit, cost 1, not counted remote */
	assert_int_equal(cache_model_access(cm, 0, 0, 0x100, 8, RD, 1, 0), L1C);
	/* cpu 1 on node 1 reads the same node-1 line: local */
	assert_int_equal(cache_model_access(cm, 1, 1, 0x100, 8, RD, 1, 0), LOC);
	/* cpu 1 reads node 0 memory, two lines: both remote */
	assert_int_equal(cache_model_access(cm, 1, 1, 0x2000, 100, RD, 0, 0),
			 2 * REM);
	check_totals(cm, 5, 1, 0, 4, 0, 3);
	cache_model_destroy(cm);
}

/* Accesses are attributed to the caller's tag; unused tags read zero. */
static void test_tags(void **state)
{
	struct cache_model *cm = make_default(1);
	struct cm_stats s;

	(void)state;
	assert_int_equal(cache_model_max_tag(cm), 0);
	cache_model_access(cm, 0, 0, 0x1000, 8, RD, 0, 3);	/* miss */
	cache_model_access(cm, 0, 0, 0x1000, 8, RD, 0, 7);	/* L1 hit */
	cache_model_access(cm, 0, 0, 0x2000, 128, WR, 0, 7);	/* 2 misses */
	cache_model_access(cm, 0, 0, 0x3000, 8, RD, 1, 7);	/* remote */

	cache_model_tag_stats(cm, 3, &s);
	assert_int_equal(s.accesses, 1);
	assert_int_equal(s.misses, 1);
	assert_int_equal(s.l1_hits, 0);

	/* tag 7: 1 + 2 + 1 lines; 1 L1 hit; 3 misses, 1 of them remote */
	cache_model_tag_stats(cm, 7, &s);
	assert_int_equal(s.accesses, 4);
	assert_int_equal(s.l1_hits, 1);
	assert_int_equal(s.l2_hits, 0);
	assert_int_equal(s.misses, 3);
	assert_int_equal(s.remote, 1);

	cache_model_tag_stats(cm, 5, &s);
	assert_int_equal(s.accesses, 0);
	cache_model_tag_stats(cm, 100000, &s);
	assert_int_equal(s.accesses, 0);
	assert_int_equal(cache_model_max_tag(cm), 8);

	/* a large tag grows the table; earlier tags keep their counts */
	cache_model_access(cm, 0, 0, 0x1000, 8, RD, 0, 5000);
	assert_int_equal(cache_model_max_tag(cm), 5001);
	cache_model_tag_stats(cm, 5000, &s);
	assert_int_equal(s.l1_hits, 1);
	cache_model_tag_stats(cm, 7, &s);
	assert_int_equal(s.accesses, 4);
	cache_model_destroy(cm);
}

/*
 * Colouring. L1: 64 sets of 64-byte lines, so addresses 64 * 64 = 4096
 * apart map to the same set. 16 objects at a 4096 stride all land in set
 * 0; cycling through 16 lines in an 8-way LRU set misses every time. With
 * a stride of 4096 + 64 (one line of colour per object), object i is line
 * 65 i, set 65 i mod 64 = i: sets 0..15, one line each, and the second
 * round hits.
 *
 *   stride 4096:  set 0: 32 accesses, 32 misses (16 L2 hits in round 2:
 *                 L2 sets 64 i mod 1024 are all distinct)
 *   stride 4160:  sets 0..15: 2 accesses, 1 miss each
 */
static void test_l1_sets_colouring(void **state)
{
	struct cache_model *cm;
	uint64_t a, m;
	int round, i;
	unsigned int set;

	(void)state;
	cm = make_default(1);
	assert_int_equal(cache_model_l1_sets(cm), 64);
	for (round = 0; round < 2; round++)
		for (i = 0; i < 16; i++)
			acc(cm, 0, (uint64_t)i * 4096, 32, RD);
	cache_model_l1_set_stats(cm, 0, &a, &m);
	assert_int_equal(a, 32);
	assert_int_equal(m, 32);
	for (set = 1; set < 64; set++) {
		cache_model_l1_set_stats(cm, set, &a, &m);
		assert_int_equal(a, 0);
	}
	check_totals(cm, 32, 0, 16, 16, 0, 0);
	cache_model_destroy(cm);

	cm = make_default(1);
	for (round = 0; round < 2; round++)
		for (i = 0; i < 16; i++)
			acc(cm, 0, (uint64_t)i * 4160, 32, RD);
	for (set = 0; set < 16; set++) {
		cache_model_l1_set_stats(cm, set, &a, &m);
		assert_int_equal(a, 2);
		assert_int_equal(m, 1);
	}
	cache_model_l1_set_stats(cm, 16, &a, &m);
	assert_int_equal(a, 0);
	/* out of range reads as zero */
	cache_model_l1_set_stats(cm, 64, &a, &m);
	assert_int_equal(a, 0);
	assert_int_equal(m, 0);
	check_totals(cm, 32, 16, 0, 16, 0, 0);
	cache_model_destroy(cm);
}

/*
 * Set index by hand, default L1 (64-byte lines, 64 sets): set = (addr /
 * 64) % 64, so addresses 4 KiB apart share a set.
 *
 *   addr     line    set
 *   0x0      0x0     0
 *   0x7c0    0x1f    31
 *   0xfff    0x3f    63
 *   0x1000   0x40    0     (4 KiB on: set 0 again)
 *   0x1040   0x41    1
 *   0x12345  0x48d   13    (0x48d = 18 * 64 + 13)
 *   0x12370  0x48d   13    (same line as 0x12345: an L1 hit)
 */
static void test_set_index(void **state)
{
	static const struct { uint64_t addr; unsigned int set; } seq[] = {
		{ 0x0, 0 }, { 0x7c0, 31 }, { 0xfff, 63 }, { 0x1000, 0 },
		{ 0x1040, 1 }, { 0x12345, 13 }, { 0x12370, 13 },
	};
	struct cache_model *cm = make_default(1);
	uint64_t a, m;
	unsigned int set, want_acc[64] = { 0 }, want_miss[64] = { 0 };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(seq) / sizeof(seq[0]); i++) {
		acc(cm, 0, seq[i].addr, 1, RD);
		want_acc[seq[i].set]++;
		want_miss[seq[i].set] += seq[i].addr != 0x12370;
	}
	for (set = 0; set < 64; set++) {
		cache_model_l1_set_stats(cm, set, &a, &m);
		assert_int_equal(a, want_acc[set]);
		assert_int_equal(m, want_miss[set]);
	}
	check_totals(cm, 7, 1, 0, 6, 0, 0);
	cache_model_destroy(cm);
}

/*
 * LRU in a full 8-way set: A0..A8 are lines 4 KiB apart in L1 set 5 (and
 * in different L2 sets, so L2 keeps them all).
 *
 *   op         L1 set 5, most recent first          served by
 *   read A0-7  A7 A6 A5 A4 A3 A2 A1 A0              memory x8
 *   read A0    A0 A7 A6 A5 A4 A3 A2 A1              L1
 *   read A8    A8 A0 A7 A6 A5 A4 A3 A2  (A1 out)    memory
 *   read A1    A1 A8 A0 A7 A6 A5 A4 A3  (A2 out)    L2
 *   read A0    A0 A1 A8 A7 A6 A5 A4 A3              L1
 *   read A2    A2 A0 A1 A8 A7 A6 A5 A4  (A3 out)    L2
 *   read A3    A3 A2 A0 A1 A8 A7 A6 A5  (A4 out)    L2
 *   read A5    A5 A3 A2 A0 A1 A8 A7 A6              L1
 */
static void test_lru_eight_way(void **state)
{
	struct cache_model *cm = make_default(1);
	uint64_t a, m;
	int i;

#define A(i) (5 * 64 + (uint64_t)(i) * 4096)
	(void)state;
	for (i = 0; i < 8; i++)
		assert_int_equal(acc(cm, 0, A(i), 8, RD), LOC);
	assert_int_equal(acc(cm, 0, A(0), 8, RD), L1C);
	assert_int_equal(acc(cm, 0, A(8), 8, RD), LOC);
	assert_int_equal(acc(cm, 0, A(1), 8, RD), L2C);
	assert_int_equal(acc(cm, 0, A(0), 8, RD), L1C);
	assert_int_equal(acc(cm, 0, A(2), 8, RD), L2C);
	assert_int_equal(acc(cm, 0, A(3), 8, RD), L2C);
	assert_int_equal(acc(cm, 0, A(5), 8, RD), L1C);
#undef A
	check_totals(cm, 15, 3, 3, 9, 0, 0);
	cache_model_l1_set_stats(cm, 5, &a, &m);
	assert_int_equal(a, 15);
	assert_int_equal(m, 12);
	cache_model_destroy(cm);
}

/*
 * The LRU order survives the renumbering of a CPU's recency clock. The
 * model renumbers before the clock wraps (every ~4 billion touches);
 * the plain build of this test (test_cache_model_plain) sets the limit
 * to a few thousand, so 5000 L1 hits on another set in the middle of
 * the eight-way sequence above force it there, and the second half
 * must go exactly as before.
 *
 *   read A0-7        A7 A6 A5 A4 A3 A2 A1 A0      memory x8
 *   read A0          A0 A7 A6 A5 A4 A3 A2 A1      L1
 *   5000 x read Z    (set 9: set 5 untouched)     L1 (after one miss)
 *   read A8          A8 A0 A7 A6 A5 A4 A3 A2      memory (A1 out)
 *   read A1          A1 A8 A0 A7 A6 A5 A4 A3      L2 (A2 out)
 *   read A0, A8      A8 A0 A1 A7 A6 A5 A4 A3      L1, L1
 *   read A2          A2 A8 A0 A1 A7 A6 A5 A4      L2 (A3 out)
 *   read A3          A3 A2 A8 A0 A1 A7 A6 A5      L2 (A4 out)
 *   read A5          A5 A3 A2 A8 A0 A1 A7 A6      L1
 *   read A4          A4 A5 A3 A2 A8 A0 A1 A7      L2 (A6 out)
 */
static void test_lru_across_renumbering(void **state)
{
	struct cache_model *cm = make_default(1);
	int i;

#define A(i) (5 * 64 + (uint64_t)(i) * 4096)
	(void)state;
	for (i = 0; i < 8; i++)
		assert_int_equal(acc(cm, 0, A(i), 8, RD), LOC);
	assert_int_equal(acc(cm, 0, A(0), 8, RD), L1C);
	assert_int_equal(acc(cm, 0, 9 * 64, 8, RD), LOC);
	for (i = 0; i < 5000; i++)
		assert_int_equal(acc(cm, 0, 9 * 64, 8, RD), L1C);
	assert_true(cache_model_is_consistent(cm));
	assert_int_equal(acc(cm, 0, A(8), 8, RD), LOC);
	assert_int_equal(acc(cm, 0, A(1), 8, RD), L2C);
	assert_int_equal(acc(cm, 0, A(0), 8, RD), L1C);
	assert_int_equal(acc(cm, 0, A(8), 8, RD), L1C);
	assert_int_equal(acc(cm, 0, A(2), 8, RD), L2C);
	assert_int_equal(acc(cm, 0, A(3), 8, RD), L2C);
	assert_int_equal(acc(cm, 0, A(5), 8, RD), L1C);
	assert_int_equal(acc(cm, 0, A(4), 8, RD), L2C);
#undef A
	check_totals(cm, 5018, 5004, 4, 10, 0, 0);
	cache_model_destroy(cm);
}

/*
 * An L1 hit is decided on the line's state, not only on its presence,
 * however often the line was hit before: a copy another CPU invalidated
 * misses, and a write to a copy another CPU's read downgraded to Shared
 * upgrades it (invalidating that CPU) rather than passing as a plain hit.
 *
 *   cpu0 write X, 3 x read X   memory, L1 x3        cpu0 M
 *   cpu1 read X                memory               cpu0 downgraded: S S
 *   cpu0 write X               L1 (upgrade)         cpu1 stale
 *   cpu1 read X                memory, coherence    cpu0 S again
 *   cpu0 read X x2             L1
 *   cpu1 write X               L1 (upgrade)         cpu0 stale
 *   cpu0 read X                memory, coherence
 */
static void test_hit_needs_state(void **state)
{
	struct cache_model *cm = make_default(2);
	const uint64_t X = 0x7040;
	int i;

	(void)state;
	assert_int_equal(acc(cm, 0, X, 8, WR), LOC);
	for (i = 0; i < 3; i++)
		assert_int_equal(acc(cm, 0, X, 8, RD), L1C);
	assert_int_equal(acc(cm, 1, X, 8, RD), LOC);
	assert_true(cache_model_is_consistent(cm));
	assert_int_equal(acc(cm, 0, X, 8, WR), L1C);
	assert_true(cache_model_is_consistent(cm));
	assert_int_equal(acc(cm, 1, X, 8, RD), LOC);
	assert_int_equal(acc(cm, 0, X, 8, RD), L1C);
	assert_int_equal(acc(cm, 0, X, 8, RD), L1C);
	assert_int_equal(acc(cm, 1, X, 8, WR), L1C);
	assert_int_equal(acc(cm, 0, X, 8, RD), LOC);
	check_totals(cm, 11, 7, 0, 4, 2, 0);
	cache_model_destroy(cm);
}

/*
 * Tags past the per-set budget. With 64 L1 sets, tags 0..65535 get a row
 * of set counters; tag 70000 does not (its sets count only in the
 * column totals) but its own stats are whole; tags from 2^20 on count in
 * the totals only.
 *
 *   tag 70000:   read P (memory), read P (L1), write P (L1, M already),
 *                read 64 bytes at Q (lines in sets 1 and 2: memory x2)
 *   tag 2^20:    read P (L1), read R (memory)
 */
static void test_tags_without_rows(void **state)
{
	struct cache_model *cm = make_default(1);
	const uint32_t big = 70000, over = 1u << 20;
	struct cm_stats s;
	uint64_t a, m;

	(void)state;
	cache_model_access(cm, 0, 0, 0x1000, 8, RD, 0, big);
	cache_model_access(cm, 0, 0, 0x1000, 8, RD, 0, big);
	cache_model_access(cm, 0, 0, 0x1000, 8, WR, 0, big);
	cache_model_access(cm, 0, 0, 0x2060, 64, RD, 0, big);
	cache_model_tag_stats(cm, big, &s);
	assert_int_equal(s.accesses, 5);
	assert_int_equal(s.l1_hits, 2);
	assert_int_equal(s.misses, 3);
	assert_false(cache_model_tag_l1_set_stats(cm, big, 0, &a, &m));
	cache_model_l1_set_stats(cm, 0, &a, &m);	/* 0x1000: set 0 */
	assert_int_equal(a, 3);
	assert_int_equal(m, 1);
	assert_int_equal(cache_model_max_tag(cm), big + 1);

	cache_model_access(cm, 0, 0, 0x1000, 8, RD, 0, over);
	cache_model_access(cm, 0, 0, 0x3000, 8, RD, 0, over);
	cache_model_tag_stats(cm, over, &s);
	assert_int_equal(s.accesses, 0);
	assert_int_equal(cache_model_max_tag(cm), big + 1);
	cache_model_l1_set_stats(cm, 0, &a, &m);	/* 0x3000 too */
	assert_int_equal(a, 5);
	assert_int_equal(m, 2);
	check_totals(cm, 7, 3, 0, 4, 0, 0);
	cache_model_destroy(cm);
}

/*
 * The directory starts at 1024 slots and doubles to stay at most half
 * full. Four CPUs read 3000 lines each, the same lines, so 3000 entries
 * with four holders each (the table grows to 8192 slots); every line is
 * then written by CPU 0 (three copies go stale per line) and read again
 * by CPU 3: coherence misses, all of them, found through the grown table.
 */
static void test_directory_growth(void **state)
{
	struct cache_model *cm = make_default(4);
	const int lines = 3000;
	struct cm_stats s;
	int cpu, i;

	(void)state;
	for (cpu = 0; cpu < 4; cpu++) {
		for (i = 0; i < lines; i++)
			assert_int_equal(acc(cm, cpu, (uint64_t)i * 64, 8, RD),
					 LOC);
		assert_true(cache_model_is_consistent(cm));
	}
	for (i = 0; i < lines; i++)
		acc(cm, 0, (uint64_t)i * 64, 8, WR);
	assert_true(cache_model_is_consistent(cm));
	for (i = 0; i < lines; i++)
		assert_int_equal(acc(cm, 3, (uint64_t)i * 64, 8, RD), LOC);
	assert_true(cache_model_is_consistent(cm));
	cache_model_totals(cm, &s);
	assert_int_equal(s.accesses, 6 * lines);
	assert_int_equal(s.coherence_misses, lines);
	cache_model_destroy(cm);
}

/*
 * The directory's sharer bits name CPUs by cpu % 64: on a 70-CPU machine
 * CPUs 3 and 67 share bit 3. A write must still find both.
 *
 *   cpu3, cpu67, cpu5 read X     memory x3 (all Shared)
 *   cpu0 write X                 memory; 3 copies go stale
 *   cpu3, cpu67, cpu5 read X     memory x3, all coherence misses
 *   cpu67 reads 16 lines in X's L2 set: X leaves cpu67 (capacity)
 *   cpu0 write X                 L1 hit, upgrade: cpu3 and cpu5 stale
 *   cpu67 read X                 memory, not coherence (evicted first)
 *   cpu3 read X                  memory, coherence
 */
static void test_sharers_beyond_64(void **state)
{
	struct cache_model *cm = make_default(70);
	const uint64_t X = 0x40000;
	struct cm_stats s;
	int i;

	(void)state;
	acc(cm, 3, X, 8, RD);
	acc(cm, 67, X, 8, RD);
	acc(cm, 5, X, 8, RD);
	assert_int_equal(acc(cm, 0, X, 8, WR), LOC);
	assert_true(cache_model_is_consistent(cm));
	assert_int_equal(acc(cm, 3, X, 8, RD), LOC);
	assert_int_equal(acc(cm, 67, X, 8, RD), LOC);
	assert_int_equal(acc(cm, 5, X, 8, RD), LOC);
	check_totals(cm, 7, 0, 0, 7, 3, 0);
	/* L2: 1024 sets of 16 ways; 64 KiB apart is the same L2 set */
	for (i = 1; i <= 16; i++)
		acc(cm, 67, X + (uint64_t)i * 65536, 8, RD);
	assert_true(cache_model_is_consistent(cm));
	assert_int_equal(acc(cm, 0, X, 8, WR), L1C);
	assert_int_equal(acc(cm, 67, X, 8, RD), LOC);
	assert_int_equal(acc(cm, 3, X, 8, RD), LOC);
	cache_model_totals(cm, &s);
	assert_int_equal(s.coherence_misses, 4);
	assert_true(cache_model_is_consistent(cm));
	cache_model_destroy(cm);
}

static struct cache_model *try_make(int cpus, unsigned int line,
				    uint64_t l1_size, unsigned int l1_ways,
				    uint64_t l2_size, unsigned int l2_ways)
{
	struct cache_model_config cfg = {
		.nr_cpus = cpus, .line = line,
		.l1 = { l1_size, l1_ways }, .l2 = { l2_size, l2_ways },
		.cost_l1 = 1, .cost_l2 = 4, .cost_local = 80,
		.cost_remote = 140,
	};

	return cache_model_create(&cfg);
}

static void test_invalid_geometry(void **state)
{
	struct cache_model *cm;

	(void)state;
	assert_null(cache_model_create(NULL));
	assert_null(try_make(0, 64, 32 << 10, 8, 1 << 20, 16));	/* no CPU */
	assert_null(try_make(4097, 64, 32 << 10, 8, 1 << 20, 16));
	assert_null(try_make(1, 48, 32 << 10, 8, 1 << 20, 16));	/* line */
	assert_null(try_make(1, 0, 32 << 10, 8, 1 << 20, 16));
	assert_null(try_make(1, 2, 32 << 10, 8, 1 << 20, 16));	/* < 4 */
	assert_null(try_make(1, 64, 32 << 10, 0, 1 << 20, 16));	/* ways */
	assert_null(try_make(1, 64, 32 << 10, 33, 1 << 20, 16));
	assert_null(try_make(1, 64, 32 << 10, 8, 1 << 20, 64));
	assert_null(try_make(1, 64, 0, 8, 1 << 20, 16));		/* size */
	assert_null(try_make(1, 64, 3000, 8, 1 << 20, 16));	/* not n*512 */
	/* 1536 / (64 * 8) = 3 sets: not a power of two */
	assert_null(try_make(1, 64, 1536, 8, 1 << 20, 16));
	/* 3 MiB / (64 * 16) = 3072 sets */
	assert_null(try_make(1, 64, 32 << 10, 8, 3 << 20, 16));
	/* 16 GiB of L2 per CPU is more than 1 GiB of ways */
	assert_null(try_make(1, 64, 32 << 10, 8, 16ull << 30, 16));
	/* 4096 CPUs x 16384 L2 lines = 2^26 lines: past the 2^24 directory */
	assert_null(try_make(4096, 64, 32 << 10, 8, 1 << 20, 16));

	/* 24 KiB 6-way: 64 sets, a power of two: fine */
	cm = try_make(1, 64, 24 << 10, 6, 1 << 20, 16);
	assert_non_null(cm);
	assert_int_equal(cache_model_l1_sets(cm), 64);
	cache_model_destroy(cm);
	/* 32 ways, one set: fully associative */
	cm = try_make(1, 64, 2048, 32, 1 << 20, 16);
	assert_non_null(cm);
	assert_int_equal(cache_model_l1_sets(cm), 1);
	cache_model_destroy(cm);
	cache_model_destroy(NULL);
}

/* ---- A reference model ----
 *
 * The same policies written the slow, obvious way: every way carries a
 * timestamp, the victim is an empty way or else the oldest, a write
 * invalidates every other CPU's copy without asking a directory, a read
 * miss downgrades every other Modified copy. Random traces must give the
 * same cost for every access as the real model.
 */
enum { R_EMPTY, R_STALE, R_SHARED, R_MOD };

struct ref_way {
	uint64_t line, stamp;
	int state;
};

struct ref {
	int cpus;
	unsigned int sets[2], ways[2];
	struct ref_way *lv[2];
	uint64_t clock;
};

static struct ref_way *ref_set(struct ref *r, int lv, int cpu, uint64_t line)
{
	return r->lv[lv] + ((size_t)cpu * r->sets[lv] + line % r->sets[lv]) *
			   r->ways[lv];
}

static int ref_find(const struct ref_way *set, unsigned int ways,
		    uint64_t line)
{
	unsigned int w;

	for (w = 0; w < ways; w++)
		if (set[w].state != R_EMPTY && set[w].line == line)
			return (int)w;
	return -1;
}

/* where line goes: its own stale way, an empty way, or the oldest way */
static int ref_slot(const struct ref_way *set, unsigned int ways,
		    uint64_t line)
{
	int w = ref_find(set, ways, line), best = 0;
	unsigned int i;

	if (w >= 0)
		return w;
	for (i = 0; i < ways; i++) {
		if (set[i].state == R_EMPTY)
			return (int)i;
		if (set[i].stamp < set[best].stamp)
			best = (int)i;
	}
	return best;
}

static void ref_others(struct ref *r, int cpu, uint64_t line, bool write)
{
	int o, lv;

	for (o = 0; o < r->cpus; o++) {
		for (lv = 0; lv < 2 && o != cpu; lv++) {
			struct ref_way *set = ref_set(r, lv, o, line);
			int w = ref_find(set, r->ways[lv], line);

			if (w < 0 || set[w].state == R_STALE)
				continue;
			if (write)
				set[w].state = R_STALE;
			else if (set[w].state == R_MOD)
				set[w].state = R_SHARED;
		}
	}
}

/* returns the cost of one line, costs as in make() */
static uint64_t ref_line(struct ref *r, int cpu, uint64_t line, bool write,
			 struct cm_stats *st)
{
	struct ref_way *s1 = ref_set(r, 0, cpu, line);
	struct ref_way *s2 = ref_set(r, 1, cpu, line);
	int i1 = ref_find(s1, r->ways[0], line);
	int i2 = ref_find(s2, r->ways[1], line);
	int state = write ? R_MOD : R_SHARED;
	bool stale;
	int w;

	st->accesses++;
	r->clock++;
	if (i1 >= 0 && s1[i1].state != R_STALE) {
		s1[i1].stamp = r->clock;
		if (write) {
			ref_others(r, cpu, line, true);
			s1[i1].state = R_MOD;
			s2[i2].state = R_MOD;
		}
		st->l1_hits++;
		return L1C;
	}
	if (i2 >= 0 && s2[i2].state != R_STALE) {
		s2[i2].stamp = r->clock;
		if (write) {
			ref_others(r, cpu, line, true);
			s2[i2].state = R_MOD;
		}
		w = ref_slot(s1, r->ways[0], line);
		s1[w] = (struct ref_way){ line, r->clock, s2[i2].state };
		st->l2_hits++;
		return L2C;
	}
	stale = i1 >= 0 || i2 >= 0;
	ref_others(r, cpu, line, write);
	w = ref_slot(s2, r->ways[1], line);
	if (s2[w].line != line && s2[w].state >= R_SHARED) {
		/* inclusion: the L2 victim leaves L1 */
		struct ref_way *v1 = ref_set(r, 0, cpu, s2[w].line);
		int j = ref_find(v1, r->ways[0], s2[w].line);

		if (j >= 0 && v1[j].state != R_STALE)
			v1[j].state = R_EMPTY;
	}
	s2[w] = (struct ref_way){ line, r->clock, state };
	w = ref_slot(s1, r->ways[0], line);
	s1[w] = (struct ref_way){ line, r->clock, state };
	st->misses++;
	st->coherence_misses += stale;
	return LOC;
}

static void ref_run(int cpus, uint64_t l1_size, unsigned int l1_ways,
		    uint64_t l2_size, unsigned int l2_ways, uint64_t span,
		    uint64_t seed, bool fast)
{
	struct cache_model *cm = make(cpus, l1_size, l1_ways, l2_size,
				      l2_ways);
	struct ref r = { .cpus = cpus };
	struct cm_stats want = { 0 }, got;
	uint64_t x = seed;
	int i;

	r.sets[0] = (unsigned int)(l1_size / 64 / l1_ways);
	r.sets[1] = (unsigned int)(l2_size / 64 / l2_ways);
	r.ways[0] = l1_ways;
	r.ways[1] = l2_ways;
	r.lv[0] = test_calloc((size_t)cpus * r.sets[0] * l1_ways,
			      sizeof(struct ref_way));
	r.lv[1] = test_calloc((size_t)cpus * r.sets[1] * l2_ways,
			      sizeof(struct ref_way));
	for (i = 0; i < 30000; i++) {
		uint64_t addr, len, line, cost = 0;
		bool write;
		int cpu;

		x = x * 6364136223846793005ull + 1442695040888963407ull;
		cpu = (int)((x >> 33) % (uint64_t)cpus);
		addr = (x >> 40) % span;
		len = 1 + (x >> 12) % 96;
		write = ((x >> 20) & 3) == 0;
		for (line = addr / 64; line <= (addr + len - 1) / 64; line++)
			cost += ref_line(&r, cpu, line, write, &want);
		assert_int_equal(fast ? acc_fast(cm, cpu, addr, len, write)
				      : acc(cm, cpu, addr, len, write), cost);
	}
	cache_model_totals(cm, &got);
	assert_int_equal(got.accesses, want.accesses);
	assert_int_equal(got.l1_hits, want.l1_hits);
	assert_int_equal(got.l2_hits, want.l2_hits);
	assert_int_equal(got.misses, want.misses);
	assert_int_equal(got.coherence_misses, want.coherence_misses);
	/* the trace must exercise what it claims to */
	assert_true(want.l1_hits > 1000 && want.l2_hits > 1000);
	assert_true(want.coherence_misses > 100);
	assert_true(cache_model_is_consistent(cm));
	test_free(r.lv[0]);
	test_free(r.lv[1]);
	cache_model_destroy(cm);
}

static void test_reference(void **state)
{
	(void)state;
	for (int fast = 0; fast < 2; fast++) {
		/* 4 CPUs, L1 4 sets x 2 ways, L2 8 sets x 4 ways, 48 lines */
		ref_run(4, 512, 2, 2048, 4, 3072, 1, fast);
		/* 3 CPUs, L1 1 set x 4 ways (fully associative), L2 2 x 8 */
		ref_run(3, 256, 4, 1024, 8, 2048, 2, fast);
		/* 8 CPUs, L1 4 x 8, L2 16 x 16: the default shape, scaled */
		ref_run(8, 2048, 8, 16384, 16, 32768, 3, fast);
		/* ways that are not a power of two (padded in memory): L1
		   2 sets x 3 ways, L2 4 x 6; and L1 2 x 5, L2 2 x 12 */
		ref_run(4, 384, 3, 1536, 6, 3072, 4, fast);
		ref_run(3, 640, 5, 1536, 12, 2048, 5, fast);
		/* 32 and 24 ways: more keys than one unrolled lookup */
		ref_run(2, 4096, 32, 8192, 32, 16384, 6, fast);
		ref_run(2, 3072, 24, 6144, 24, 16384, 7, fast);
	}
}

/*
 * cache_model_hit takes exactly the one-line L1 hits that serve the
 * access as they stand, and declines everything else without changing
 * anything: a miss, a write to a Shared copy, a copy another CPU made
 * stale, a touch across lines, a tag not in use yet.
 *
 *   access cpu0 read X (tag 0)  memory
 *   hit cpu0 read X             taken: L1
 *   hit cpu0 write X            declined (Shared)
 *   hit cpu0 read X, tag 9      declined (tag 9 never used)
 *   hit cpu1 read X             declined (not in cpu1's L1)
 *   access cpu0 write X         L1, upgrade to Modified
 *   hit cpu0 write X            taken: L1
 *   access cpu1 write X         memory; cpu0 stale
 *   hit cpu0 read X             declined (stale)
 *   hit cpu1 read X-4, 8 bytes  declined (two lines); 0 bytes: declined
 */
static void test_hit(void **state)
{
	struct cache_model *cm = make_default(2);
	const uint64_t X = 0x5000;
	struct cm_stats before, after;
	uint64_t cost = 12345;

	(void)state;
	assert_int_equal(acc(cm, 0, X, 8, RD), LOC);
	assert_true(cache_model_hit(cm, 0, X, 8, RD, 0, &cost));
	assert_int_equal(cost, L1C);
	check_totals(cm, 2, 1, 0, 1, 0, 0);

	cache_model_totals(cm, &before);
	cost = 12345;
	assert_false(cache_model_hit(cm, 0, X, 8, WR, 0, &cost));
	assert_false(cache_model_hit(cm, 0, X, 8, RD, 9, &cost));
	assert_false(cache_model_hit(cm, 1, X, 8, RD, 0, &cost));
	assert_int_equal(cost, 12345);
	cache_model_totals(cm, &after);
	assert_int_equal(after.accesses, before.accesses);
	assert_int_equal(cache_model_max_tag(cm), 1);

	assert_int_equal(acc(cm, 0, X, 8, WR), L1C);
	assert_true(cache_model_hit(cm, 0, X + 60, 4, WR, 0, &cost));
	assert_int_equal(acc(cm, 1, X, 8, WR), LOC);
	assert_false(cache_model_hit(cm, 0, X, 8, RD, 0, &cost));
	assert_false(cache_model_hit(cm, 1, X - 4, 8, RD, 0, &cost));
	assert_false(cache_model_hit(cm, 1, X, 0, RD, 0, &cost));
	check_totals(cm, 5, 3, 0, 2, 0, 0);
	assert_true(cache_model_is_consistent(cm));
	cache_model_destroy(cm);
}

/*
 * Many CPUs, small caches, a random mix of reads and writes over a small
 * range: the invariants (inclusion, one Modified holder, exact holder
 * counts) must hold throughout, and the counters must add up.
 */
static void test_stress_invariants(void **state)
{
	struct cache_model *cm = make(6, 512, 2, 2048, 4);
	uint64_t x = 12345, cost, sum = 0;
	struct cm_stats s;
	int i;

	(void)state;
	for (i = 0; i < 20000; i++) {
		int cpu;
		uint64_t addr;
		bool write;

		x = x * 6364136223846793005ull + 1442695040888963407ull;
		cpu = (int)((x >> 33) % 6);
		addr = (x >> 40) % 8192;
		write = (x >> 20) & 1;
		cost = cache_model_access(cm, cpu, cpu / 3, addr,
					  1 + (x >> 10) % 100, write,
					  (int)((x >> 24) & 1), 0);
		sum += cost;
		if (i % 500 == 0)
			assert_true(cache_model_is_consistent(cm));
	}
	assert_true(cache_model_is_consistent(cm));
	cache_model_totals(cm, &s);
	assert_int_equal(s.accesses, s.l1_hits + s.l2_hits + s.misses);
	assert_true(s.coherence_misses > 0 && s.coherence_misses <= s.misses);
	assert_true(s.remote <= s.misses);
	/* the cost is a function of the counts */
	assert_int_equal(sum, s.l1_hits * L1C + s.l2_hits * L2C +
			      s.remote * REM + (s.misses - s.remote) * LOC);
	cache_model_destroy(cm);
}

/*
 * Not an assertion: prints the host time per single-line access on a
 * default 8-CPU machine, so a slowdown is visible when the tests run.
 */
static void test_timing(void **state)
{
	struct cache_model *cm = make_default(8);
	struct timespec t0, t1;
	const int n = 2000000;
	uint64_t x = 1, sink = 0;
	double ns;
	int i;

	(void)state;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < n; i++) {
		x = x * 6364136223846793005ull + 1442695040888963407ull;
		/* 8 MiB working set, 1 in 8 writes, CPUs in turn of 64 */
		sink += cache_model_access(cm, (i >> 6) & 7, 0,
					   (x >> 32) % (8 << 20), 8,
					   (x & 7) == 0, 0, (uint32_t)(i & 15));
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ns = ((double)(t1.tv_sec - t0.tv_sec) * 1e9 +
	      (double)(t1.tv_nsec - t0.tv_nsec)) / n;
	print_message("cache_model: %.1f ns per random access (8 MiB)\n", ns);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < n; i++) {
		x = x * 6364136223846793005ull + 1442695040888963407ull;
		/* 16 KiB working set: mostly L1 hits */
		sink += cache_model_access(cm, (i >> 10) & 7, 0,
					   (x >> 32) % (16 << 10), 8,
					   (x & 7) == 0, 0, (uint32_t)(i & 15));
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ns = ((double)(t1.tv_sec - t0.tv_sec) * 1e9 +
	      (double)(t1.tv_nsec - t0.tv_nsec)) / n;
	print_message("cache_model: %.1f ns per access, 16 KiB set (sink %llu)\n",
		      ns, (unsigned long long)(sink & 1));
	assert_true(cache_model_is_consistent(cm));
	cache_model_destroy(cm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_touch),
		cmocka_unit_test(test_spanning),
		cmocka_unit_test(test_lru_two_way),
		cmocka_unit_test(test_inclusive),
		cmocka_unit_test(test_coherence),
		cmocka_unit_test(test_sharing),
		cmocka_unit_test(test_capacity_not_coherence),
		cmocka_unit_test(test_l1_marker),
		cmocka_unit_test(test_remote),
		cmocka_unit_test(test_tags),
		cmocka_unit_test(test_l1_sets_colouring),
		cmocka_unit_test(test_set_index),
		cmocka_unit_test(test_lru_eight_way),
		cmocka_unit_test(test_lru_across_renumbering),
		cmocka_unit_test(test_hit_needs_state),
		cmocka_unit_test(test_tags_without_rows),
		cmocka_unit_test(test_sharers_beyond_64),
		cmocka_unit_test(test_directory_growth),
		cmocka_unit_test(test_invalid_geometry),
		cmocka_unit_test(test_reference),
		cmocka_unit_test(test_hit),
		cmocka_unit_test(test_stress_invariants),
		cmocka_unit_test(test_timing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
