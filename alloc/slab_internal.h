/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SLABSIM_ALLOC_SLAB_INTERNAL_H
#define SLABSIM_ALLOC_SLAB_INTERNAL_H
/*
 * The slab core's own structures, as mm/slab.c defines them, laid out for
 * simulated memory. Only alloc/slab.c and the unit tests (a test build of
 * the same source, -DSLABSIM_TEST) include this; the simulator goes
 * through alloc/slab.h.
 *
 * Every structure below lives in simulated memory and must fit the size
 * the simulated architecture gives it, so links are pa_t and counters are
 * 32-bit. The simulated sizes (which drive geometry and kmalloc sizes)
 * are computed from env_arch in slab.c; the host layouts here are checked
 * against the smallest of them (i386) at compile time.
 */
#include "env.h"
#include "list.h"
#include "slab.h"

/*
 * kmem_bufctl_t: an object index in the slab's free list. Stored at the
 * simulated width (env_arch->sizeof_bufctl: 4, or 2 before 2.6.14); held
 * in an unsigned int in C, with BUFCTL_END etc. scaled to that width.
 */
typedef unsigned int kmem_bufctl_t;

/*
 * struct slab: the management header of one slab, at the start of the
 * slab (on-slab, after the colour) or in a slabp_cache object (off-slab).
 * The bufctl array follows at (char *)slabp + env_arch->sizeof_slab, not
 * at slabp + 1, because the simulated struct is 28 or 48 bytes.
 */
struct slab {
	struct list_head list;
	unsigned int colouroff;	/* bytes from the page start to s_mem */
	pa_t s_mem;		/* first object, including colour offset */
	unsigned int inuse;	/* objects handed out of this slab */
	unsigned int free;	/* first free index, or BUFCTL_END */
	unsigned short nodeid;
};
_Static_assert(sizeof(struct slab) <= 28, "struct slab exceeds i386's 28");

/*
 * slab_destroy on a SLAB_DESTROY_BY_RCU cache overlays this on the
 * struct slab being destroyed, as the kernel does.
 */
struct slab_rcu {
	struct rcu_head head;
	pa_t cachep;
	pa_t addr;
};
_Static_assert(sizeof(struct slab_rcu) <= sizeof(struct slab),
	       "struct slab_rcu must overlay struct slab");

/*
 * A per-CPU, shared or alien LIFO of objects. The simulated header is
 * four unsigned ints and a spinlock (20 bytes) rounded up to a word; the
 * entries are simulated words. Here entries are pa_t right after the
 * 20-byte header, which fits inside the simulated size on both arches.
 */
struct array_cache {
	unsigned int avail;
	unsigned int limit;
	unsigned int batchcount;
	unsigned int touched;
	spinlock_t lock;
	pa_t entry[];
};
_Static_assert(sizeof(struct array_cache) == 20, "array_cache header");

/*
 * One node's slab lists. Simulated size: 56 bytes on i386, 104 on
 * x86_64; this layout is exactly the i386 one.
 */
struct kmem_list3 {
	struct list_head slabs_partial;	/* partial list first, better asm code */
	struct list_head slabs_full;
	struct list_head slabs_free;
	unsigned int free_objects;
	unsigned int free_limit;
	unsigned int colour_next;	/* Per-node cache coloring */
	spinlock_t list_lock;
	pa_t shared;			/* shared per node */
	pa_t alien;			/* on other nodes: pa_t[nr_node_ids] */
	unsigned int next_reap;		/* low 32 bits of jiffies */
	int free_touched;
};
_Static_assert(sizeof(struct kmem_list3) <= 56, "kmem_list3 exceeds i386's 56");

/*
 * The cache descriptor, an object of cache_cache. The kernel's
 * array[NR_CPUS] and nodelists[MAX_NUMNODES] are the tail slots[]:
 * nr_cpu_ids array-cache links followed by nr_node_ids node-list links.
 * name, ctor and dtor are host pointers (they never matter in a dump).
 */
struct kmem_cache {
/* 2) Cache tunables. Protected by cache_chain_mutex */
	unsigned int batchcount;
	unsigned int limit;
	unsigned int shared;
	unsigned int buffer_size;
/* 3) touched by every alloc & free from the backend */
	unsigned int flags;		/* constant flags */
	unsigned int num;		/* # of objs per slab */
/* 4) cache_grow/shrink */
	unsigned int gfporder;		/* order of pgs per slab (2^n) */
	gfp_t gfpflags;			/* force GFP flags, e.g. GFP_DMA */
	unsigned int colour;		/* cache colouring range */
	unsigned int colour_off;	/* colour offset */
	pa_t slabp_cache;
	unsigned int slab_size;
	unsigned int dflags;		/* dynamic flags */
	kmem_ctor_t ctor;
	kmem_ctor_t dtor;
/* 5) cache creation/removal */
	const char *name;
	struct list_head next;
/* 6) statistics (STATS is always on) */
	unsigned long num_active;
	unsigned long num_allocations;
	unsigned long high_mark;
	unsigned long grown;
	unsigned long reaped;
	unsigned long errors;
	unsigned long max_freeable;
	unsigned long node_allocs;
	unsigned long node_frees;
	unsigned long node_overflow;
	unsigned long allochit;
	unsigned long allocmiss;
	unsigned long freehit;
	unsigned long freemiss;
/* debug: offset of the user object in the buffer, and its size */
	int obj_offset;
	int obj_size;
/* 1) per-cpu data, then 3) per-node lists: see cache_array/cache_l3 */
	pa_t slots[];
};

/* The kernel's cachep->array[cpu]. */
static inline struct array_cache *cache_array(const struct kmem_cache *c,
					      int cpu)
{
	return __va(c->slots[cpu]);
}

static inline void set_cache_array(struct kmem_cache *c, int cpu,
				   struct array_cache *ac)
{
	c->slots[cpu] = __pa(ac);
}

/* The kernel's cachep->nodelists[node]. */
static inline struct kmem_list3 *cache_l3(const struct kmem_cache *c, int node)
{
	return __va(c->slots[nr_cpu_ids + node]);
}

static inline void set_cache_l3(struct kmem_cache *c, int node,
				struct kmem_list3 *l3)
{
	c->slots[nr_cpu_ids + node] = __pa(l3);
}

/* l3->alien[node] */
static inline struct array_cache *l3_alien(const struct kmem_list3 *l3,
					   int node)
{
	pa_t *alien = __va(l3->alien);

	return alien ? __va(alien[node]) : NULL;
}

#define CFLGS_OFF_SLAB		(0x80000000UL)
#define OFF_SLAB(x)		((x)->flags & CFLGS_OFF_SLAB)

#ifdef SLABSIM_TEST
/* Test hooks: a window on state the kernel keeps static. */
struct kmem_cache *slab_test_cache_cache(void);
int slab_test_break_gfp_order(void);
unsigned int slab_test_sizeof_kmem_cache(void);
unsigned int slab_test_reap_node(int cpu);
kmem_bufctl_t slab_test_bufctl(struct slab *slabp, unsigned int i);
#endif

#endif /* SLABSIM_ALLOC_SLAB_INTERNAL_H */
