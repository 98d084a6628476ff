// SPDX-License-Identifier: GPL-2.0
/*
 * Behaviour of the slab core, one test per behaviour, on the fake
 * environment. Expected values are worked out by hand from the seed's
 * rules; cache_is_consistent() runs after every step (ok()).
 *
 * Most tests use "rt": 100 bytes, no flags, on x86_64 with 2 CPUs on one
 * node and 64 MiB. Word-rounded 104, align 8; n = 4048/108 = 37,
 * mgmt ALIGN(48+148,8) = 200, 200 + 37*104 = 4048: left 48, no colour.
 * limit 120, batchcount 60, shared 8 (480 entries);
 * free_limit = (1 + 2) * 60 + 37 = 217.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "alloc/slab_internal.h"
#include "tests/fake_env.h"

static void ok_at(struct kmem_cache *c, int line)
{
	if (c && !cache_is_consistent(c))
		fail_msg("line %d: cache inconsistent:\n%s", line, fake_log());
	if (!slab_core_is_consistent())
		fail_msg("line %d: core inconsistent:\n%s", line, fake_log());
	if (fake_locks_held())
		fail_msg("line %d: a lock is still held", line);
	if (irqs_disabled())
		fail_msg("line %d: irqs left disabled", line);
}
#define ok(c)	ok_at((c), __LINE__)

static struct kmem_cache_info info(struct kmem_cache *c)
{
	struct kmem_cache_info i;

	kmem_cache_get_info(c, &i);
	return i;
}

static struct kmem_cache *boot_rt(int cpus, int nodes, bool debug)
{
	struct fake_config cfg = { .cpus = cpus, .nodes = nodes,
				   .mem_mb = 64, .debug = debug };
	struct kmem_cache *c;

	fake_boot(&cfg);
	fake_set_cpu(0);
	c = kmem_cache_create("rt", 100, 0, 0, NULL, NULL);
	assert_non_null(c);
	ok(c);
	return c;
}

static void done(void)
{
	slab_set_debug(false);
	fake_teardown();
}

static struct slab *slab_of(const void *obj)
{
	return virt_to_page(obj)->lru.prev;
}

/*
 * The first alloc misses: the array is new (untouched), so the refill is
 * capped at BATCHREFILL_LIMIT = 16; no slab exists, one is grown (37
 * objects) and 16 move to the array, one is handed out.
 *
 *   cpu0 array: 15      slab S1 (partial): inuse 16, free 21
 */
static void test_alloc_free_round_trip(void **state)
{
	struct kmem_cache *c = boot_rt(2, 1, false);
	unsigned long pages = fake_pages_in_use();
	struct kmem_cache_info i;
	void *p;

	p = kmem_cache_alloc(c, GFP_KERNEL);
	assert_non_null(p);
	ok(c);
	i = info(c);
	assert_int_equal(i.active_objs, 16);
	assert_int_equal(i.num_objs, 37);
	assert_int_equal(i.cpu_avail, 15);
	assert_int_equal(i.partial_slabs, 1);
	assert_int_equal(i.free_objects, 21);
	assert_int_equal(i.allocmiss, 1);
	assert_int_equal(i.allochit, 0);
	assert_int_equal(i.num_allocations, 16);
	assert_int_equal(i.grown, 1);
	assert_int_equal(fake_pages_in_use(), pages + 1);
	assert_ptr_equal(virt_to_page(p)->lru.next, c);

	kmem_cache_free(c, p);
	ok(c);
	i = info(c);
	assert_int_equal(i.cpu_avail, 16);
	assert_int_equal(i.freehit, 1);
	/* objects in arrays still count as active in slabinfo */
	assert_int_equal(i.active_objs, 16);
	done();
}

/*
 * kmem_addr_is_object: object slots (allocated or free) of the cache, at
 * their user address, and nothing else. "rt" objects are 104 bytes
 * (100 word-rounded), so p + 104 is the next slot and p + 8 is inside p;
 * on a debug kernel the user address is the slot start + obj_offset.
 */
static void test_addr_is_object(void **state)
{
	struct kmem_cache *c = boot_rt(2, 1, false);
	struct kmem_cache *other = kmem_cache_create("other", 100, 0, 0,
						     NULL, NULL);
	char *p = kmem_cache_alloc(c, GFP_KERNEL);

	assert_true(kmem_addr_is_object(p, c));
	assert_true(kmem_addr_is_object(p + 104, c));
	assert_false(kmem_addr_is_object(p + 8, c));
	assert_false(kmem_addr_is_object(p, other));
	/* the slab's own management, before s_mem, is not an object */
	assert_false(kmem_addr_is_object(__va(slab_of(p)->s_mem) - 8, c));
	assert_false(kmem_addr_is_object(NULL, c));
	kmem_cache_free(c, p);
	assert_true(kmem_addr_is_object(p, c));
	ok(c);
	done();

	c = boot_rt(1, 1, true);
	p = kmem_cache_alloc(c, GFP_KERNEL);
	assert_true(kmem_addr_is_object(p, c));
	assert_false(kmem_addr_is_object(p - BYTES_PER_WORD, c));
	kmem_cache_free(c, p);
	ok(c);
	done();
}

/* The per-cpu array is a stack: the last object freed is the next out. */
static void test_lifo_reuse(void **state)
{
	struct kmem_cache *c = boot_rt(2, 1, false);
	void *a = kmem_cache_alloc(c, GFP_KERNEL);
	void *b = kmem_cache_alloc(c, GFP_KERNEL);

	assert_ptr_not_equal(a, b);
	kmem_cache_free(c, a);
	kmem_cache_free(c, b);
	assert_ptr_equal(kmem_cache_alloc(c, GFP_KERNEL), b);
	assert_ptr_equal(kmem_cache_alloc(c, GFP_KERNEL), a);
	/* on another CPU the arrays are separate: b is not there */
	kmem_cache_free(c, b);
	fake_set_cpu(1);
	assert_ptr_not_equal(kmem_cache_alloc(c, GFP_KERNEL), b);
	fake_set_cpu(0);
	ok(c);
	done();
}

/*
 * Refill sizes. 1st alloc: untouched, 16 taken (S1: 21 left). After 15
 * hits the array is empty but touched, so the 17th alloc asks for 60:
 * S1's 21 are all there is, the slab goes full and, since the array is
 * not empty, nothing grows (array 20 after the alloc). 20 hits later the
 * 38th alloc finds no slab: grow S2, take all 37 (array 36).
 */
static void test_refill_batch(void **state)
{
	struct kmem_cache *c = boot_rt(2, 1, false);
	struct kmem_cache_info i;
	int k;

	for (k = 0; k < 16; k++)
		assert_non_null(kmem_cache_alloc(c, GFP_KERNEL));
	assert_int_equal(info(c).cpu_avail, 0);
	assert_int_equal(info(c).num_allocations, 16);

	assert_non_null(kmem_cache_alloc(c, GFP_KERNEL));
	ok(c);
	i = info(c);
	assert_int_equal(i.cpu_avail, 20);
	assert_int_equal(i.num_allocations, 37);
	assert_int_equal(i.grown, 1);
	assert_int_equal(i.full_slabs, 1);
	assert_int_equal(i.free_objects, 0);

	for (k = 0; k < 21; k++)
		assert_non_null(kmem_cache_alloc(c, GFP_KERNEL));
	ok(c);
	i = info(c);
	assert_int_equal(i.cpu_avail, 36);
	assert_int_equal(i.grown, 2);
	assert_int_equal(i.full_slabs, 2);
	assert_int_equal(i.num_allocations, 74);
	assert_int_equal(i.allocmiss, 3);
	assert_int_equal(i.allochit, 35);
	done();
}

/*
 * Tuned to limit 4, batchcount 2, shared 1 (shared array of 1*2 = 2).
 * 8 allocs: 4 refills of 2, array empty, S1 inuse 8.
 * Frees o1..o4 fill the array; o5 overflows it: the 2 oldest (o1, o2)
 * go to the shared array, o5 joins [o3 o4]; o6 fills it again; o7
 * overflows with the shared array full: o3, o4 go back to S1 (inuse 6).
 *
 *   cpu0 [o5 o6 o7 o8]   shared [o1 o2]   S1 inuse 6
 */
static void test_flusharray_shared_first(void **state)
{
	struct kmem_cache *c = boot_rt(2, 1, false);
	void *o[8];
	struct kmem_cache_info i;
	struct array_cache *shared;
	int k;

	assert_int_equal(slabinfo_write("rt 4 2 1"), 0);
	ok(c);
	for (k = 0; k < 8; k++)
		o[k] = kmem_cache_alloc(c, GFP_KERNEL);
	assert_int_equal(info(c).cpu_avail, 0);
	for (k = 0; k < 5; k++)
		kmem_cache_free(c, o[k]);
	ok(c);
	shared = __va(cache_l3(c, 0)->shared);
	assert_int_equal(shared->avail, 2);
	assert_int_equal(shared->entry[0], __pa(o[0]));
	assert_int_equal(shared->entry[1], __pa(o[1]));
	assert_int_equal(cache_array(c, 0)->avail, 3);
	assert_int_equal(slab_of(o[0])->inuse, 8);

	for (k = 5; k < 8; k++)
		kmem_cache_free(c, o[k]);
	ok(c);
	i = info(c);
	assert_int_equal(i.shared_avail, 2);
	assert_int_equal(i.cpu_avail, 4);
	assert_int_equal(slab_of(o[0])->inuse, 6);
	assert_int_equal(i.freemiss, 2);
	assert_int_equal(i.freehit, 6);
	/* the next refill comes from the shared array, newest first */
	for (k = 0; k < 4; k++)
		kmem_cache_alloc(c, GFP_KERNEL);
	assert_ptr_equal(kmem_cache_alloc(c, GFP_KERNEL), o[1]);
	ok(c);
	done();
}

/*
 * Tuned to limit 1, batchcount 1, shared 0: free_limit = 3*1 + 37 = 40,
 * and every free beyond the one in the array goes straight to the slab.
 * 38 allocs: S1 full, S2 inuse 1 (free_objects 36). Freeing S2's object,
 * then S1's 37: S2 empties with free_objects 37 <= 40 and is kept on the
 * free list; S1 ends at inuse 1 (its last object sits in the array) and
 * free_objects 73. Retuning frees the old array: S1 empties with
 * free_objects 74 > 40 and is destroyed (free_objects 37).
 */
static void test_free_limit_destroys_slab(void **state)
{
	struct kmem_cache *c = boot_rt(2, 1, false);
	void *o[38];
	unsigned long pages;
	struct kmem_cache_info i;
	int k;

	assert_int_equal(slabinfo_write("rt 1 1 0"), 0);
	assert_int_equal(cache_l3(c, 0)->free_limit, 40);
	for (k = 0; k < 38; k++)
		o[k] = kmem_cache_alloc(c, GFP_KERNEL);
	assert_int_equal(info(c).free_objects, 36);
	pages = fake_pages_in_use();

	kmem_cache_free(c, o[37]);
	for (k = 0; k < 37; k++)
		kmem_cache_free(c, o[k]);
	ok(c);
	i = info(c);
	assert_int_equal(i.free_slabs, 1);
	assert_int_equal(i.partial_slabs, 1);
	assert_int_equal(i.free_objects, 73);
	assert_int_equal(fake_pages_in_use(), pages);

	assert_int_equal(slabinfo_write("rt 1 1 0"), 0);
	ok(c);
	i = info(c);
	assert_int_equal(i.free_slabs, 1);
	assert_int_equal(i.partial_slabs, 0);
	assert_int_equal(i.free_objects, 37);
	assert_int_equal(fake_pages_in_use(), pages - 1);
	done();
}

/*
 * 200 bytes: n = 4048/204 = 19, mgmt ALIGN(48+76,8) = 128,
 * 128 + 19*200 = 3928: left 168, 168/64 = 2 colours. Slab k starts its
 * management at colour (k % 2) * 64 and its first object 128 later.
 *
 *   slab 1: [mgmt 128][objs...]          first object at page + 128
 *   slab 2: [64][mgmt 128][objs...]      first object at page + 192
 *   slab 3: wraps to colour 0            first object at page + 128
 */
static void test_colour_advances_and_wraps(void **state)
{
	struct fake_config cfg = { .cpus = 2, .mem_mb = 64 };
	struct kmem_cache *c, *owner;
	void *o[57];
	unsigned int colour;
	int k;

	fake_boot(&cfg);
	c = kmem_cache_create("col", 200, 0, 0, NULL, NULL);
	assert_int_equal(c->colour, 2);
	assert_int_equal(slabinfo_write("col 1 1 0"), 0);
	for (k = 0; k < 57; k++)
		o[k] = kmem_cache_alloc(c, GFP_KERNEL);
	ok(c);
	assert_int_equal(__pa(o[0]) % PAGE_SIZE, 128);
	assert_int_equal(__pa(o[19]) % PAGE_SIZE, 192);
	assert_int_equal(__pa(o[38]) % PAGE_SIZE, 128);
	assert_true(kmem_addr_owner(o[19], &owner, &colour));
	assert_ptr_equal(owner, c);
	assert_int_equal(colour, 1);
	assert_true(kmem_addr_owner(o[38], NULL, &colour));
	assert_int_equal(colour, 0);
	assert_false(kmem_addr_owner(env_mem_base + PAGE_SIZE, NULL, NULL));
	done();
}

/*
 * 1024 bytes: off-slab (n 4, left 0), slab_size 4*4 + 48 = 64 from
 * size-64. The struct slab is an object of size-64, outside the slab's
 * page; destroying the slab gives it back to size-64.
 */
static void test_off_slab_from_slabp_cache(void **state)
{
	struct fake_config cfg = { .cpus = 2, .mem_mb = 64 };
	struct kmem_cache *c, *s64, *owner;
	struct slab *slabp;
	unsigned long s64_avail;
	void *p;

	fake_boot(&cfg);
	s64 = kmem_cache_find("size-64");
	c = kmem_cache_create("off", 1024, 0, 0, NULL, NULL);
	assert_true(OFF_SLAB(c));
	assert_ptr_equal(__va(c->slabp_cache), s64);
	p = kmem_cache_alloc(c, GFP_KERNEL);
	slabp = slab_of(p);
	assert_true(kmem_addr_owner(slabp, &owner, NULL));
	assert_ptr_equal(owner, s64);
	assert_int_equal(__pa(slabp) / PAGE_SIZE != __pa(p) / PAGE_SIZE, 1);
	assert_int_equal(slabp->colouroff, 0);
	ok(c);
	kmem_cache_free(c, p);
	s64_avail = info(s64).cpu_avail;
	assert_int_equal(kmem_cache_shrink(c), 0);
	ok(c);
	ok(s64);
	assert_int_equal(info(s64).cpu_avail, s64_avail + 1);
	done();
}

/*
 * Reaping the per-cpu array (first reap on CPU n at HZ + 3n = 250 + 3n,
 * then every 2*HZ = 500). 17 allocs leave 20 in the array (see
 * test_refill_batch); freeing the 17 makes 37. The allocs set touched:
 * the reap at 250 only clears it; the one at 750 frees (120+4)/5 = 24,
 * leaving 13; at 1250 (13 < 24) it frees (13+1)/2 = 7, leaving 6.
 */
static void test_reap_untouched_array(void **state)
{
	struct kmem_cache *c = boot_rt(2, 1, false);
	void *o[17];
	int k;

	for (k = 0; k < 17; k++)
		o[k] = kmem_cache_alloc(c, GFP_KERNEL);
	for (k = 0; k < 17; k++)
		kmem_cache_free(c, o[k]);
	assert_int_equal(cache_array(c, 0)->avail, 37);
	assert_int_equal(cache_array(c, 0)->touched, 1);

	fake_run_timers_until(250);
	ok(c);
	assert_int_equal(cache_array(c, 0)->avail, 37);
	assert_int_equal(cache_array(c, 0)->touched, 0);

	fake_run_timers_until(750);
	ok(c);
	assert_int_equal(cache_array(c, 0)->avail, 13);

	fake_run_timers_until(1250);
	ok(c);
	assert_int_equal(cache_array(c, 0)->avail, 6);
	/* both CPUs keep their timers armed */
	assert_int_equal(fake_pending_work(), 2);
	done();
}

/*
 * The node lists are reaped every 4*HZ = 1000 jiffies (next_reap starts
 * at 1000 + pa(cachep) % 1000). After a shrink-free situation with two
 * free slabs and free_touched clear, one reap pass frees
 * (free_limit + 5*num - 1) / (5*num) = (217 + 184) / 185 = 2 slabs.
 */
static void test_reap_free_slabs(void **state)
{
	struct kmem_cache *c = boot_rt(2, 1, false);
	void *o[74];
	unsigned long pages;
	int k;

	for (k = 0; k < 74; k++)
		o[k] = kmem_cache_alloc(c, GFP_KERNEL);
	/* give everything back to the slabs, keeping them */
	for (k = 0; k < 74; k++)
		kmem_cache_free(c, o[k]);
	assert_int_equal(slabinfo_write("rt 120 60 8"), 0);
	ok(c);
	assert_true(info(c).free_slabs >= 2);
	pages = fake_pages_in_use();
	cache_l3(c, 0)->free_touched = 0;
	fake_run_timers_until(2000 + 3);
	ok(c);
	assert_int_equal(info(c).free_slabs, 0);
	assert_int_equal(info(c).reaped, 2);
	assert_int_equal(fake_pages_in_use(), pages - 2);
	done();
}

/*
 * Two nodes, CPU 0 on node 0 and CPU 1 on node 1. An object of a node-0
 * slab freed on CPU 1 goes to node 1's alien array for node 0
 * (remotefrees 1). CPU 1's reap_node starts at the node after its own,
 * wrapping to node 0, so its first reap (HZ + 3 = 253) drains that alien
 * array into node 0, into node 0's shared array first.
 */
static void test_remote_free_goes_alien(void **state)
{
	struct kmem_cache *c = boot_rt(2, 2, false);
	struct kmem_cache_info i;
	void *p;

	p = kmem_cache_alloc(c, GFP_KERNEL);
	assert_int_equal(slab_of(p)->nodeid, 0);
	assert_int_equal(page_to_nid(virt_to_page(p)), 0);
	fake_set_cpu(1);
	kmem_cache_free(c, p);
	fake_set_cpu(0);
	ok(c);
	i = info(c);
	assert_int_equal(i.node_frees, 1);
	assert_int_equal(i.alien_avail, 1);
	assert_int_equal(l3_alien(cache_l3(c, 1), 0)->entry[0], __pa(p));
	assert_int_equal(slab_test_reap_node(1), 0);

	fake_run_timers_until(253);
	ok(c);
	i = info(c);
	assert_int_equal(i.alien_avail, 0);
	assert_int_equal(i.shared_avail, 1);
	assert_int_equal(((struct array_cache *)
			  __va(cache_l3(c, 0)->shared))->entry[0], __pa(p));
	done();
}

/*
 * The alien array holds 12 (alloc_alien_cache caps the limit). The 13th
 * remote free finds it full: alienoverflow 1, the 12 are drained to node
 * 0 (shared array), then the 13th is stored.
 */
static void test_alien_overflow(void **state)
{
	struct kmem_cache *c = boot_rt(2, 2, false);
	struct kmem_cache_info i;
	void *o[13];
	int k;

	assert_int_equal(l3_alien(cache_l3(c, 1), 0)->limit, 12);
	for (k = 0; k < 13; k++)
		o[k] = kmem_cache_alloc(c, GFP_KERNEL);
	fake_set_cpu(1);
	for (k = 0; k < 13; k++)
		kmem_cache_free(c, o[k]);
	fake_set_cpu(0);
	ok(c);
	i = info(c);
	assert_int_equal(i.node_frees, 13);
	assert_int_equal(i.node_overflow, 1);
	assert_int_equal(i.alien_avail, 1);
	assert_int_equal(i.shared_avail, 12);
	done();
}

/*
 * kmem_cache_alloc_node on the other node bypasses the arrays: a slab is
 * grown on node 1 (its page on node 1) and one object is taken from it
 * (nodeallocs 1, free_objects of node 1 = 36).
 */
static void test_alloc_node_remote(void **state)
{
	struct kmem_cache *c = boot_rt(2, 2, false);
	void *p;

	p = kmem_cache_alloc_node(c, GFP_KERNEL, 1);
	assert_non_null(p);
	ok(c);
	assert_int_equal(page_to_nid(virt_to_page(p)), 1);
	assert_int_equal(slab_of(p)->nodeid, 1);
	assert_int_equal(info(c).node_allocs, 1);
	assert_int_equal(cache_l3(c, 1)->free_objects, 36);
	assert_int_equal(cache_array(c, 0)->avail, 0);
	/* local node: through the array as usual */
	p = kmem_cache_alloc_node(c, GFP_KERNEL, 0);
	assert_int_equal(slab_of(p)->nodeid, 0);
	assert_int_equal(info(c).node_allocs, 1);
	/* kmalloc_node uses the general caches the same way */
	p = kmalloc_node(100, GFP_KERNEL, 1);
	assert_ptr_equal(virt_to_page(p)->lru.next,
			 kmem_cache_find("size-128"));
	assert_int_equal(slab_of(p)->nodeid, 1);
	ok(c);
	done();
}

/* slabinfo_write refuses bad tunings and changes nothing. */
static void test_tune_refused(void **state)
{
	struct kmem_cache *c = boot_rt(2, 1, false);
	struct array_cache *ac = cache_array(c, 0);

	assert_int_equal(slabinfo_write("rt 10 20 1"), -EINVAL);
	assert_int_equal(slabinfo_write("rt 0 0 1"), -EINVAL);
	assert_int_equal(slabinfo_write("rt 10 5 -1"), -EINVAL);
	assert_int_equal(slabinfo_write("rt 10"), -EINVAL);
	assert_int_equal(slabinfo_write("nosuch 10 5 1"), -EINVAL);
	assert_int_equal(slabinfo_write("rt"), -EINVAL);
	assert_int_equal(c->limit, 120);
	assert_int_equal(c->batchcount, 60);
	assert_int_equal(c->shared, 8);
	assert_ptr_equal(cache_array(c, 0), ac);
	/* a good one: new arrays, new free_limit (1+2)*5 + 37 = 52 */
	assert_int_equal(slabinfo_write("rt 10 5 2"), 0);
	assert_int_equal(cache_array(c, 0)->limit, 10);
	assert_int_equal(cache_array(c, 1)->batchcount, 5);
	assert_int_equal(((struct array_cache *)
			  __va(cache_l3(c, 0)->shared))->limit, 10);
	assert_int_equal(cache_l3(c, 0)->free_limit, 52);
	ok(c);
	done();
}

/* Destroying a cache with a live object fails and leaves it usable. */
static void test_destroy_busy(void **state)
{
	struct kmem_cache *c = boot_rt(2, 1, false);
	void *p = kmem_cache_alloc(c, GFP_KERNEL);

	assert_int_equal(kmem_cache_destroy(c), 1);
	assert_true(fake_log_contains("slab error in kmem_cache_destroy(): "
				      "cache `rt': Can't free all objects"));
	assert_ptr_equal(kmem_cache_find("rt"), c);
	ok(c);
	kmem_cache_free(c, p);
	p = kmem_cache_alloc(c, GFP_KERNEL);
	assert_non_null(p);
	kmem_cache_free(c, p);
	ok(c);
	assert_int_equal(kmem_cache_destroy(c), 0);
	assert_null(kmem_cache_find("rt"));
	ok(NULL);
	done();
}

/*
 * Destroying an empty cache returns all its pages: the two slabs that
 * 40 objects needed, and nothing else of the cache's own.
 */
static void test_destroy_frees_pages(void **state)
{
	struct kmem_cache *c = boot_rt(2, 1, false);
	unsigned long pages = fake_pages_in_use();
	long nr_slab = fake_nr_slab();
	void *o[40];
	int k;

	for (k = 0; k < 40; k++)
		o[k] = kmem_cache_alloc(c, GFP_KERNEL);
	assert_int_equal(fake_pages_in_use(), pages + 2);
	assert_int_equal(fake_nr_slab(), nr_slab + 2);
	for (k = 0; k < 40; k++)
		kmem_cache_free(c, o[k]);
	assert_int_equal(kmem_cache_destroy(c), 0);
	assert_int_equal(fake_pages_in_use(), pages);
	/* the nr_slab page state follows: back to what it was */
	assert_int_equal(fake_nr_slab(), nr_slab);
	ok(NULL);
	done();
}

/* Shrink gives back every free slab and reports whether any is in use. */
static void test_shrink(void **state)
{
	struct kmem_cache *c = boot_rt(2, 1, false);
	unsigned long pages = fake_pages_in_use();
	void *o[40];
	int k;

	for (k = 0; k < 40; k++)
		o[k] = kmem_cache_alloc(c, GFP_KERNEL);
	assert_int_equal(kmem_cache_shrink(c), 1);	/* 40 still out */
	for (k = 0; k < 40; k++)
		kmem_cache_free(c, o[k]);
	assert_int_equal(kmem_cache_shrink(c), 0);
	ok(c);
	assert_int_equal(info(c).num_objs, 0);
	assert_int_equal(info(c).free_objects, 0);
	assert_int_equal(info(c).cpu_avail, 0);
	assert_int_equal(fake_pages_in_use(), pages);
	done();
}

/*
 * Debug: the second free of an object finds its red zones inactive
 * (logged, the kernel carries on); when the array is drained, the second
 * copy reaches slab_put_obj with the object already on the free list:
 * the kernel's "double free detected", then BUG.
 */
static void test_debug_double_free(void **state)
{
	struct kmem_cache *c = boot_rt(2, 1, true);
	void *p = kmem_cache_alloc(c, GFP_KERNEL);

	kmem_cache_free(c, p);
	assert_false(fake_log_contains("double free"));
	kmem_cache_free(c, p);
	assert_true(fake_log_contains("slab error in cache_free_debugcheck(): "
				      "cache `rt': double free, or memory "
				      "outside object was overwritten"));
	assert_true(FAKE_EXPECT_BUG(kmem_cache_shrink(c)));
	assert_true(fake_log_contains("slab: double free detected in cache "
				      "'rt', objp ffff81"));
	done();
}

/* Debug: a write one byte past the object lands in red zone 2. */
static void test_debug_redzone_overwrite(void **state)
{
	struct kmem_cache *c = boot_rt(2, 1, true);
	unsigned char *p = kmem_cache_alloc(c, GFP_KERNEL);

	/* user size 104: red zone 2 starts right after it */
	assert_int_equal(ksize(p), 104);
	p[104] = 0;
	kmem_cache_free(c, p);
	assert_true(fake_log_contains("double free, or memory outside object "
				      "was overwritten"));
	/* RED_ACTIVE in zone 1; zone 2 lost its low byte: 0x170fc200 */
	assert_true(fake_log_contains("redzone 1:0x170fc2a5, redzone "
				      "2:0x170fc200."));
	ok(c);
	done();
}

/* Debug: a free object is poisoned, and the poison is checked on alloc. */
static void test_debug_poison_checked_on_alloc(void **state)
{
	struct kmem_cache *c = boot_rt(2, 1, true);
	unsigned char *p = kmem_cache_alloc(c, GFP_KERNEL);
	unsigned char *q;

	/* allocated objects carry POISON_INUSE, ending in POISON_END */
	assert_int_equal(p[0], 0x5a);
	assert_int_equal(p[103], 0xa5);
	kmem_cache_free(c, p);
	assert_int_equal(p[0], 0x6b);
	p[10] = 0x00;	/* use after free */
	q = kmem_cache_alloc(c, GFP_KERNEL);
	assert_ptr_equal(q, p);
	assert_true(fake_log_contains("Slab corruption: start=ffff81"));
	assert_true(fake_log_contains("len=104"));
	/* the dumped line holds the stray zero */
	assert_true(fake_log_contains("000: 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 00"));
	/* the last user word was printed */
	assert_true(fake_log_contains("Last user: [<ffffffff8012abcd>]"));
	kmem_cache_free(c, q);
	ok(c);
	done();
}

/*
 * SLAB_DESTROY_BY_RCU: a destroyed slab's pages stay allocated until a
 * grace period has passed.
 */
static void test_destroy_by_rcu(void **state)
{
	struct fake_config cfg = { .cpus = 2, .mem_mb = 64 };
	struct kmem_cache *c;
	unsigned long pages;
	void *o[40];
	int k;

	fake_boot(&cfg);
	c = kmem_cache_create("rcu", 100, 0, SLAB_DESTROY_BY_RCU, NULL, NULL);
	pages = fake_pages_in_use();
	for (k = 0; k < 40; k++)
		o[k] = kmem_cache_alloc(c, GFP_KERNEL);
	for (k = 0; k < 40; k++)
		kmem_cache_free(c, o[k]);
	assert_int_equal(fake_pages_in_use(), pages + 2);
	assert_int_equal(kmem_cache_shrink(c), 0);
	ok(c);
	assert_int_equal(fake_rcu_pending(), 2);
	assert_int_equal(fake_pages_in_use(), pages + 2);
	fake_rcu_grace_period();
	assert_int_equal(fake_pages_in_use(), pages);
	/* destroy waits for the grace period itself */
	o[0] = kmem_cache_alloc(c, GFP_KERNEL);
	kmem_cache_free(c, o[0]);
	assert_int_equal(kmem_cache_destroy(c), 0);
	assert_int_equal(fake_rcu_pending(), 0);
	assert_int_equal(fake_pages_in_use(), pages);
	done();
}

static void test_zalloc_and_ksize(void **state)
{
	struct kmem_cache *c = boot_rt(2, 1, false);
	unsigned char *p = kmem_cache_alloc(c, GFP_KERNEL);
	unsigned char *q;
	int k;

	memset(p, 0xaa, 104);
	kmem_cache_free(c, p);
	q = kmem_cache_zalloc(c, GFP_KERNEL);
	assert_ptr_equal(q, p);
	for (k = 0; k < 104; k++)
		assert_int_equal(q[k], 0);
	assert_int_equal(ksize(q), 104);
	assert_int_equal(ksize(NULL), 0);
	/* kmalloc rounds up to the general cache */
	p = kmalloc(100, GFP_KERNEL);
	assert_int_equal(ksize(p), 128);
	kfree(p);
	p = kzalloc(129, GFP_KERNEL);
	assert_int_equal(ksize(p), 192);
	assert_int_equal(p[128], 0);
	kfree(p);
	assert_non_null(kmalloc(131072, GFP_KERNEL));
	assert_null(kmalloc(131073, GFP_KERNEL));
	p = kmalloc(64, GFP_KERNEL | GFP_DMA);
	assert_ptr_equal(virt_to_page(p)->lru.next,
			 kmem_cache_find("size-64(DMA)"));
	kfree(NULL);
	/* a pointer into a page the slab does not own stops the run */
	assert_true(FAKE_EXPECT_BUG(kfree(env_mem_base + 2 * PAGE_SIZE)));
	assert_int_equal(kmem_ptr_validate(c, q), 1);
	assert_int_equal(kmem_ptr_validate(c, q + 1), 0);
	assert_int_equal(kmem_ptr_validate(kmem_cache_find("size-64"), q), 0);
	ok(c);
	done();
}

static void noop_dtor(void *obj, struct kmem_cache *cachep,
		      unsigned long flags)
{
	(void)obj;
	(void)cachep;
	(void)flags;
}

static void test_create_refusals(void **state)
{
	struct kmem_cache *c = boot_rt(2, 1, false);

	assert_null(kmem_cache_create("tiny", 4, 0, 0, NULL, NULL));
	assert_true(fake_log_contains("kmem_cache_create: Early error in "
				      "slab tiny"));
	/* (1 << MAX_OBJ_ORDER) * PAGE_SIZE = 131072 is the largest */
	assert_non_null(kmem_cache_create("huge", 131072, 0, 0, NULL, NULL));
	assert_null(kmem_cache_create("huger", 131073, 0, 0, NULL, NULL));
	assert_null(kmem_cache_create("dtor", 64, 0, 0, NULL, noop_dtor));
	fake_log_clear();
	assert_null(kmem_cache_create("rt", 64, 0, 0, NULL, NULL));
	assert_true(fake_log_contains("kmem_cache_create: duplicate cache rt"));
	assert_true(FAKE_EXPECT_BUG(kmem_cache_create("rt", 64, 0, SLAB_PANIC,
						      NULL, NULL)));
	assert_true(fake_log_contains("Kernel panic - not syncing: "
				      "kmem_cache_create(): failed to create "
				      "slab `rt'"));
	/* debug-only flags are refused without debug */
	assert_true(FAKE_EXPECT_BUG(kmem_cache_create("red", 64, 0,
						      SLAB_RED_ZONE,
						      NULL, NULL)));
	ok(c);
	done();
}

/*
 * CPU 1 dies with 15 objects in its array: CPU_DEAD gives them back to
 * the node (CPU 0 still lives there, so the shared array stays), drops
 * its array and lowers free_limit by one batchcount (217 - 60 = 157).
 */
static void test_cpu_dead_drains(void **state)
{
	struct kmem_cache *c = boot_rt(2, 1, false);
	struct kmem_cache_info i;

	fake_set_cpu(1);
	assert_non_null(kmem_cache_alloc(c, GFP_KERNEL));
	fake_set_cpu(0);
	assert_int_equal(cache_array(c, 1)->avail, 15);
	fake_set_cpu_online(1, false);
	assert_int_equal(cpuup_callback(CPU_DEAD, 1), NOTIFY_OK);
	ok(c);
	assert_null(cache_array(c, 1));
	i = info(c);
	assert_int_equal(i.cpu_avail, 0);
	assert_int_equal(i.active_objs, 1);
	assert_int_equal(i.free_objects, 36);
	assert_int_equal(cache_l3(c, 0)->free_limit, 157);
	assert_non_null(cache_l3(c, 0)->shared);
	/* and back up: a fresh array for CPU 1 */
	assert_int_equal(cpuup_callback(CPU_UP_PREPARE, 1), NOTIFY_OK);
	fake_set_cpu_online(1, true);
	assert_int_equal(cpuup_callback(CPU_ONLINE, 1), NOTIFY_OK);
	assert_int_equal(cache_array(c, 1)->limit, 120);
	ok(c);
	done();
}

/*
 * slabinfo 2.1 with statistics: after one alloc of rt (see the round
 * trip): 16 active of 37, objsize 104, 37 per slab, 1 page; tunables
 * 120 60 8; slabdata 1 1 0; globalstat listallocs 16, maxobjs 16, grown
 * 1, the rest 0; cpustat 0 1 0 0.
 */
static void test_slabinfo_show(void **state)
{
	struct kmem_cache *c = boot_rt(2, 1, false);
	struct seq_file *m = fake_seq_new();
	const char *text;

	kmem_cache_alloc(c, GFP_KERNEL);
	slabinfo_show(m);
	text = fake_seq_text(m);
	assert_int_equal(strncmp(text, "slabinfo - version: 2.1 (statistics)\n"
				 "# name            <active_objs> <num_objs> "
				 "<objsize> <objperslab> <pagesperslab> : "
				 "tunables <limit> <batchcount> "
				 "<sharedfactor> : slabdata <active_slabs> "
				 "<num_slabs> <sharedavail> : globalstat "
				 "<listallocs> <maxobjs> <grown> <reaped> "
				 "<error> <maxfreeable> <nodeallocs> "
				 "<remotefrees> <alienoverflow> : cpustat "
				 "<allochit> <allocmiss> <freehit> "
				 "<freemiss>\n", 378), 0);
	/* newest first: rt is the first cache line */
	assert_non_null(strstr(text, "<freemiss>\nrt                    16     "
			       "37    104   37    1 : tunables  120   60    8 "
			       ": slabdata      1      1      0 : globalstat "
			       "     16     16     1    0 \t\t\t\t   0    0    "
			       "0    0    0 : cpustat      0      1      0      "
			       "0\n"));
	assert_non_null(strstr(text, "\nkmem_cache "));
	assert_false(fake_log_contains("error"));
	fake_seq_free(m);
	done();
}

/*
 * The first page allocation fails: the alloc returns NULL and the cache
 * is unchanged but for the colour (cache_grow takes it first); the next
 * alloc succeeds.
 */
static void test_injected_page_failure(void **state)
{
	struct kmem_cache *c = boot_rt(2, 1, false);
	unsigned long pages = fake_pages_in_use();

	fake_fail_page_alloc(1);
	assert_null(kmem_cache_alloc(c, GFP_KERNEL));
	ok(c);
	assert_true(fake_log_contains("page allocation failure. order:0"));
	assert_int_equal(info(c).num_objs, 0);
	assert_int_equal(info(c).grown, 0);
	assert_int_equal(fake_pages_in_use(), pages);
	assert_non_null(kmem_cache_alloc(c, GFP_KERNEL));
	ok(c);
	/* an off-slab cache whose management allocation fails frees the page */
	c = kmem_cache_create("off", 1024, 0, 0, NULL, NULL);
	pages = fake_pages_in_use();
	/* size-64 holds free objects, so only the slab page is asked for */
	fake_fail_page_alloc(1);
	assert_null(kmem_cache_alloc(c, GFP_ATOMIC));
	ok(c);
	assert_int_equal(fake_pages_in_use(), pages);
	done();
}

/* A constructor runs once per object when its slab is made. */
static int ctor_calls;
static unsigned long ctor_last_flags;
static void ctor(void *obj, struct kmem_cache *cachep, unsigned long flags)
{
	(void)cachep;
	ctor_calls++;
	ctor_last_flags = flags;
	memset(obj, 0x42, 8);
}

static void test_ctor(void **state)
{
	struct fake_config cfg = { .cpus = 2, .mem_mb = 64 };
	struct kmem_cache *c;
	unsigned char *p;

	fake_boot(&cfg);
	ctor_calls = 0;
	c = kmem_cache_create("ct", 100, 0, 0, ctor, NULL);
	p = kmem_cache_alloc(c, GFP_ATOMIC);
	assert_int_equal(ctor_calls, 37);
	assert_int_equal(ctor_last_flags,
			 SLAB_CTOR_CONSTRUCTOR | SLAB_CTOR_ATOMIC);
	assert_int_equal(p[7], 0x42);
	kmem_cache_free(c, p);
	p = kmem_cache_alloc(c, GFP_KERNEL);
	assert_int_equal(ctor_calls, 37);
	ok(c);
	done();
}


/* The validators notice a slab whose counts no longer add up. */
static void test_validator_catches_corruption(void **state)
{
	struct kmem_cache *c = boot_rt(2, 1, false);
	void *p = kmem_cache_alloc(c, GFP_KERNEL);
	struct slab *slabp = slab_of(p);

	slabp->inuse++;
	assert_false(cache_is_consistent(c));
	assert_true(fake_log_contains("slab: cache rt: free list has 21 "
				      "entries, expected 20"));
	assert_false(slab_core_is_consistent());
	slabp->inuse--;
	/* an array entry that is not an object start */
	cache_array(c, 0)->entry[0] += 1;
	assert_false(cache_is_consistent(c));
	cache_array(c, 0)->entry[0] -= 1;
	ok(c);
	done();
}

/*
 * i386: 4-byte words and a 28-byte struct slab. rt is 100 bytes (already
 * word-sized), align 4: n = 4068/104 = 39, mgmt ALIGN(28+156,4) = 184,
 * 184 + 3900 = 4084: left 12. The first alloc takes 16: 23 stay free.
 * The bufctls start right after the 28-byte header.
 */
static void test_i386_round_trip(void **state)
{
	struct fake_config cfg = { .arch = &fake_arch_i386, .cpus = 2,
				   .mem_mb = 64 };
	struct kmem_cache *c;
	struct slab *slabp;
	unsigned long touches;
	void *p;

	fake_boot(&cfg);
	c = kmem_cache_create("rt", 100, 0, 0, NULL, NULL);
	assert_int_equal(c->num, 39);
	assert_int_equal(c->buffer_size, 100);
	touches = fake_touch_count();
	p = kmem_cache_alloc(c, GFP_KERNEL);
	assert_true(fake_touch_count() > touches);
	slabp = slab_of(p);
	/* s_mem = page + mgmt 184 (colour 0) */
	assert_int_equal(slabp->s_mem % PAGE_SIZE, 184);
	assert_int_equal(slabp->colouroff, 184);
	/* objects 0..15 taken: free = 16, bufctl[16] = 17 at +28+64 */
	assert_int_equal(slabp->free, 16);
	assert_int_equal(*(uint32_t *)((char *)slabp + 28 + 16 * 4), 17);
	assert_int_equal(info(c).free_objects, 23);
	kmem_cache_free(c, p);
	assert_int_equal(kmem_cache_shrink(c), 0);
	ok(c);
	assert_int_equal(kmem_cache_destroy(c), 0);
	ok(NULL);
	done();
}

static int dtor_calls, verify_calls;
static void count_ctor(void *obj, struct kmem_cache *cachep,
		       unsigned long flags)
{
	(void)obj;
	(void)cachep;
	if (flags & SLAB_CTOR_VERIFY)
		verify_calls++;
}

static void count_dtor(void *obj, struct kmem_cache *cachep,
		       unsigned long flags)
{
	(void)obj;
	(void)cachep;
	(void)flags;
	dtor_calls++;
}

/*
 * The destructor runs on every object of a slab when the slab is
 * destroyed (37 for one slab of rt-sized objects). With debug and
 * SLAB_DEBUG_INITIAL, each free calls the constructor with
 * SLAB_CTOR_VERIFY; with poisoning, the destructor runs at free time
 * instead (the object is about to be poisoned).
 */
static void test_dtor_and_debug_initial(void **state)
{
	struct fake_config cfg = { .cpus = 2, .mem_mb = 64 };
	struct kmem_cache *c;
	void *p;

	fake_boot(&cfg);
	dtor_calls = 0;
	c = kmem_cache_create("dt", 100, 0, 0, count_ctor, count_dtor);
	p = kmem_cache_alloc(c, GFP_KERNEL);
	kmem_cache_free(c, p);
	assert_int_equal(dtor_calls, 0);
	assert_int_equal(kmem_cache_shrink(c), 0);
	assert_int_equal(dtor_calls, 37);
	done();

	cfg.debug = true;
	fake_boot(&cfg);
	dtor_calls = 0;
	verify_calls = 0;
	c = kmem_cache_create("dt", 100, 0, SLAB_DEBUG_INITIAL, count_ctor,
			      count_dtor);
	assert_true(c->flags & SLAB_POISON);
	p = kmem_cache_alloc(c, GFP_KERNEL);
	kmem_cache_free(c, p);
	assert_int_equal(verify_calls, 1);
	assert_int_equal(dtor_calls, 1);
	ok(c);
	/* without a constructor the initial-state check is dropped */
	c = kmem_cache_create("noctor", 100, 0, SLAB_DEBUG_INITIAL, NULL,
			      NULL);
	assert_false(c->flags & SLAB_DEBUG_INITIAL);
	assert_true(fake_log_contains("No con, but init state check "
				      "requested - noctor"));
	done();
}

/*
 * Booting again in the same process starts from nothing: a 2-node
 * x86_64 machine, then a 1-node i386 one. After boot no cache uses the
 * boot-memory lists or arrays any more (bootstrap steps 4 and 5).
 */
static void check_off_bootmem(struct kmem_cache *c, void *arg)
{
	pa_t boot_end = (1 + 32) * PAGE_SIZE;
	int node, cpu;

	(void)arg;
	for_each_online_node(node)
		assert_true(c->slots[nr_cpu_ids + node] >= boot_end);
	for_each_online_cpu(cpu)
		assert_true(c->slots[cpu] >= boot_end);
}

static void test_reboot_resets(void **state)
{
	struct fake_config two = { .cpus = 4, .nodes = 2, .mem_mb = 64 };
	struct fake_config i386 = { .arch = &fake_arch_i386, .cpus = 1,
				    .mem_mb = 64 };
	struct kmem_cache *c;

	fake_boot(&two);
	kmem_cache_for_each(check_off_bootmem, NULL);
	c = kmem_cache_create("rt", 100, 0, 0, NULL, NULL);
	assert_non_null(kmem_cache_alloc(c, GFP_KERNEL));
	/* both nodes have their lists, shared and alien arrays */
	assert_non_null(cache_l3(c, 1));
	assert_non_null(l3_alien(cache_l3(c, 1), 0));
	assert_null(l3_alien(cache_l3(c, 1), 1));
	ok(c);

	fake_boot(&i386);
	assert_null(kmem_cache_find("rt"));
	kmem_cache_for_each(check_off_bootmem, NULL);
	c = kmem_cache_find("size-32");
	assert_int_equal(c->num, 113);
	/* one CPU: no shared arrays */
	assert_int_equal(c->shared, 0);
	ok(NULL);
	done();
}

/*
 * A task with a memory policy (PF_MEMPOLICY) that picks node 1 gets its
 * objects from node 1 through alternate_node_alloc, bypassing the array.
 */
static void test_mempolicy_alternate_node(void **state)
{
	struct kmem_cache *c = boot_rt(2, 2, false);
	struct task_struct *t;
	void *p;

	t = current;
	t->flags |= PF_MEMPOLICY;
	t->mempolicy = (struct mempolicy *)&t->flags;	/* opaque, non-NULL */
	fake_set_mempolicy_node(1);
	p = kmem_cache_alloc(c, GFP_KERNEL);
	assert_int_equal(slab_of(p)->nodeid, 1);
	assert_int_equal(info(c).node_allocs, 1);
	assert_int_equal(cache_array(c, 0)->avail, 0);
	/* policy on the local node: the normal path */
	fake_set_mempolicy_node(0);
	p = kmem_cache_alloc(c, GFP_KERNEL);
	assert_int_equal(slab_of(p)->nodeid, 0);
	assert_int_equal(cache_array(c, 0)->avail, 15);
	t->flags &= ~PF_MEMPOLICY;
	t->mempolicy = NULL;
	ok(c);
	done();
}

/*
 * CPU 1 is node 1's only CPU. When it dies, node 1's shared and alien
 * arrays go too, their objects back to the slabs; the node's lists stay
 * (a kmalloc_node from elsewhere may still need them).
 *
 *   before: node1 shared [p]   alien[0] [q0]
 *   after:  node1 shared -     alien -       p back in node 1's slab,
 *           node0 shared [q0]
 */
static void test_last_cpu_of_node_dies(void **state)
{
	struct kmem_cache *c = boot_rt(2, 2, false);
	struct kmem_cache_info i;
	void *p, *q, *q0;

	q0 = kmem_cache_alloc(c, GFP_KERNEL);		/* node 0 */
	fake_set_cpu(1);
	p = kmem_cache_alloc(c, GFP_KERNEL);		/* node 1 */
	kmem_cache_free(c, q0);				/* alien */
	fake_set_cpu(0);
	assert_int_equal(slabinfo_write("rt 1 1 1"), 0);
	/*
	 * Retuning emptied the per-cpu arrays (alien arrays stay); now
	 * park p in node 1's shared array.
	 */
	fake_set_cpu(1);
	q = kmem_cache_alloc(c, GFP_KERNEL);
	kmem_cache_free(c, p);
	kmem_cache_free(c, q);	/* flushes p to the shared array */
	fake_set_cpu(0);
	assert_int_equal(((struct array_cache *)
			  __va(cache_l3(c, 1)->shared))->avail, 1);
	fake_set_cpu_online(1, false);
	assert_int_equal(cpuup_callback(CPU_DEAD, 1), NOTIFY_OK);
	ok(c);
	assert_int_equal(cache_l3(c, 1)->shared, 0);
	assert_int_equal(cache_l3(c, 1)->alien, 0);
	assert_non_null(cache_l3(c, 1));
	/*
	 * q went home through node 0's shared array (alien arrays drain
	 * into the home node's shared array first), so it is the only
	 * object still parked anywhere, and counts as active there.
	 */
	i = info(c);
	assert_int_equal(i.shared_avail, 1);
	assert_int_equal(((struct array_cache *)
			  __va(cache_l3(c, 0)->shared))->entry[0], __pa(q0));
	assert_int_equal(i.cpu_avail + i.alien_avail, 0);
	assert_int_equal(i.active_objs, 1);
	/* node 1's slab became free and was shrunk away */
	assert_int_equal(cache_l3(c, 1)->free_objects, 0);
	assert_true(list_empty(&cache_l3(c, 1)->slabs_free));
	done();
}

/*
 * Tunes whose arrays cannot be had. A per-CPU array beyond kmalloc's
 * largest object fails do_tune_cpucache with -ENOMEM and changes
 * nothing, as in 2.6.17. shared 327685 * batchcount 13107 is 2^32 - 1
 * entries: 2.6.17's int memsize wraps to 16 bytes and the kernel would
 * write gigabytes past that array; the simulated kernel BUGs at
 * alloc_arraycache instead, and the memory next to it is untouched.
 */
static void test_tune_arrays_that_cannot_be(void **state)
{
	struct kmem_cache *c = boot_rt(2, 1, false);
	struct kmem_cache_info before = info(c), after;

	(void)state;
	assert_int_equal(slabinfo_write("rt 16382 1 0"), -ENOMEM);
	after = info(c);
	assert_int_equal(after.limit, before.limit);
	assert_int_equal(after.batchcount, before.batchcount);
	ok(c);
	/* the largest that fits: 16381 entries + 24 bytes = 131072 */
	assert_int_equal(slabinfo_write("rt 16381 1 0"), 0);
	assert_int_equal(info(c).limit, 16381);
	ok(c);

	void *guard = kmalloc(16, GFP_KERNEL);
	assert_non_null(guard);
	memset(guard, 0xa5, 16);
	assert_true(FAKE_EXPECT_BUG(slabinfo_write("rt 13107 13107 327685")));
	assert_non_null(strstr(fake_log(), "int memsize wrapped to 16"));
	for (int k = 0; k < 16; k++)
		assert_int_equal(((unsigned char *)guard)[k], 0xa5);
	done();
}

/*
 * reap_spread staggers node-list reaping by the cache descriptor's
 * address modulo REAPTIMEOUT_LIST3: 2.6.17 uses (unsigned long)cachep, a
 * kernel virtual address (PAGE_OFFSET + physical), so a cache's next_reap
 * is that much past creation plus the period. Checked on both
 * architectures' PAGE_OFFSETs, each where the physical address would
 * give a different spread (so the test tells the two apart).
 */
static void test_reap_spread_uses_virtual_address(void **state)
{
	(void)state;
	for (int arch = 0; arch < 2; arch++) {
		struct fake_config cfg = { .cpus = 1, .nodes = 1, .mem_mb = 64,
			.arch = arch ? &fake_arch_i386 : &fake_arch_x86_64 };
		fake_boot(&cfg);
		fake_set_cpu(0);
		fake_set_jiffies(1000);
		struct kmem_cache *c = kmem_cache_create("spread", 100, 0, 0,
							 NULL, NULL);
		assert_non_null(c);
		unsigned int period = 4 * HZ;
		unsigned int virt = (unsigned int)(kaddr(c) % period);
		unsigned int phys = (unsigned int)(__pa(c) % period);
		assert_int_not_equal(virt, phys);
		assert_int_equal(cache_l3(c, 0)->next_reap,
				 1000 + period + virt);
		done();
	}
}

/*
 * Colouring: cache_grow gives the k-th new slab of a node the offset
 * colour_next * colour_off, colour_next counting 0, 1, ... colour - 1 and
 * round again; with colouring switched off (slab_colouring() false) every
 * slab starts at offset 0 while colour_next still counts. 448-byte
 * objects: 8 to a page, 432 bytes left over (minus management), so 6
 * colours of 64 bytes. Limit 1, batchcount 1: each allocation takes one
 * object, so slabs show up in the order they were grown.
 *
 *   slab k      0    1    2    3    4    5    6   ...
 *   on:  off    0   64  128  192  256  320    0   ...  (+ slab_size)
 *   off: off    0    0    0    0    0    0    0   ...  (+ slab_size)
 */
static void colour_offsets(bool colouring)
{
	struct fake_config cfg = { .cpus = 1, .nodes = 1, .mem_mb = 64 };
	enum { SLABS = 14 };
	const struct slab *seen[SLABS];
	struct kmem_cache_info i;
	struct kmem_cache *c, *owner;
	unsigned int nseen = 0, colour;

	fake_boot(&cfg);
	fake_set_cpu(0);
	fake_set_colouring(colouring);
	c = kmem_cache_create("col", 448, 0, 0, NULL, NULL);
	assert_non_null(c);
	assert_int_equal(slabinfo_write("col 1 1 0"), 0);
	i = info(c);
	assert_int_equal(i.num, 8);
	assert_int_equal(i.colour, 6);
	assert_int_equal(i.colour_off, 64);
	assert_false(i.off_slab);
	while (nseen < SLABS) {
		void *p = kmem_cache_alloc(c, GFP_KERNEL);
		const struct slab *s;
		unsigned int k, want;

		assert_non_null(p);
		s = slab_of(p);
		for (k = 0; k < nseen && seen[k] != s; k++)
			;
		if (k < nseen)
			continue;
		seen[nseen++] = s;
		want = colouring ? (k % i.colour) * i.colour_off : 0;
		/* on-slab: struct slab and bufctls first, then the objects */
		assert_int_equal(s->colouroff, want + i.slab_size);
		assert_int_equal(s->s_mem & (PAGE_SIZE - 1), want + i.slab_size);
		assert_true(kmem_addr_owner(p, &owner, &colour));
		assert_ptr_equal(owner, c);
		assert_int_equal(colour, want / i.colour_off);
		ok(c);
	}
	/* the kernel's counter went round either way: 14 grows, 6 colours */
	assert_int_equal(cache_l3(c, 0)->colour_next, SLABS % 6);
	fake_set_colouring(true);
	done();
}

static void test_colour_offsets(void **state)
{
	(void)state;
	colour_offsets(true);
	colour_offsets(false);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alloc_free_round_trip),
		cmocka_unit_test(test_addr_is_object),
		cmocka_unit_test(test_lifo_reuse),
		cmocka_unit_test(test_refill_batch),
		cmocka_unit_test(test_flusharray_shared_first),
		cmocka_unit_test(test_free_limit_destroys_slab),
		cmocka_unit_test(test_colour_advances_and_wraps),
		cmocka_unit_test(test_off_slab_from_slabp_cache),
		cmocka_unit_test(test_reap_untouched_array),
		cmocka_unit_test(test_reap_free_slabs),
		cmocka_unit_test(test_remote_free_goes_alien),
		cmocka_unit_test(test_alien_overflow),
		cmocka_unit_test(test_alloc_node_remote),
		cmocka_unit_test(test_tune_refused),
		cmocka_unit_test(test_destroy_busy),
		cmocka_unit_test(test_destroy_frees_pages),
		cmocka_unit_test(test_shrink),
		cmocka_unit_test(test_debug_double_free),
		cmocka_unit_test(test_debug_redzone_overwrite),
		cmocka_unit_test(test_debug_poison_checked_on_alloc),
		cmocka_unit_test(test_destroy_by_rcu),
		cmocka_unit_test(test_zalloc_and_ksize),
		cmocka_unit_test(test_create_refusals),
		cmocka_unit_test(test_cpu_dead_drains),
		cmocka_unit_test(test_slabinfo_show),
		cmocka_unit_test(test_injected_page_failure),
		cmocka_unit_test(test_ctor),
		cmocka_unit_test(test_validator_catches_corruption),
		cmocka_unit_test(test_i386_round_trip),
		cmocka_unit_test(test_dtor_and_debug_initial),
		cmocka_unit_test(test_reboot_resets),
		cmocka_unit_test(test_colour_offsets),
		cmocka_unit_test(test_mempolicy_alternate_node),
		cmocka_unit_test(test_last_cpu_of_node_dies),
		cmocka_unit_test(test_tune_arrays_that_cannot_be),
		cmocka_unit_test(test_reap_spread_uses_virtual_address),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
