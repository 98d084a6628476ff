// SPDX-License-Identifier: GPL-2.0
/*
 * linux/mm/slab.c of Linux 2.6.17, re-implemented for slabsim.
 *
 * Written by Mark Hemment, 1996/97; cleanups and per-cpu arrays by Manfred
 * Spraul; NUMA by Shai Fultheim, Shobhit Dayal, Alok N Kataria and
 * Christoph Lameter. This file follows that allocator function by function
 * and keeps its names, so a kernel developer finds their way by memory.
 *
 * What differs, and why:
 *   - Everything lives in simulated memory reached through alloc/env.h:
 *     links are pa_t (see list.h and slab_internal.h), sizes follow the
 *     simulated architecture (env_arch), never the host's sizeof.
 *   - What the kernel has as static or __initdata (cache_cache,
 *     initkmem_list3, initarray_cache/generic, the cache_chain head) is
 *     taken from alloc_bootmem() in kmem_cache_init(), which resets every
 *     static here so that one process can boot many machines.
 *   - CONFIG_DEBUG_SLAB is a run-time switch (slab_set_debug); STATS are
 *     always on; CONFIG_NUMA is always on (one node is just a small NUMA
 *     machine, as with the kernel's NUMA build).
 *   - The core calls touch_read/touch_write where the kernel touches
 *     memory on the hot paths, so the cache model sees the same traffic.
 */
#include "env.h"
#include "list.h"
#include "slab.h"
#include "slab_internal.h"

/* ------------------------------------------------------------------ */
/* Debug and statistics switches                                        */
/* ------------------------------------------------------------------ */

/*
 * DEBUG and FORCED_DEBUG of the kernel, as one run-time switch. It is set
 * before kmem_cache_init() and, unlike every other static, survives it.
 */
static bool slab_debug;
#define DEBUG		slab_debug
#define FORCED_DEBUG	slab_debug

/*
 * The kernel checks irq and lock state only with DEBUG; the unit tests
 * always want those checks, the simulator only in debug runs.
 */
#ifdef SLABSIM_TEST
#define CHECKS		1
#else
#define CHECKS		slab_debug
#endif

#define ARCH_KMALLOC_MINALIGN	0
#define ARCH_SLAB_MINALIGN	arch_slab_minalign()
/* A function, so that comparing a size_t with 0 raises no warning. */
static inline size_t arch_slab_minalign(void)
{
	return 0;
}
#define ARCH_KMALLOC_FLAGS	SLAB_HWCACHE_ALIGN

/* Legal flag mask for kmem_cache_create(). */
#define CREATE_MASK_DEBUG (SLAB_DEBUG_INITIAL | SLAB_RED_ZONE | \
			   SLAB_POISON | SLAB_HWCACHE_ALIGN | \
			   SLAB_CACHE_DMA | \
			   SLAB_MUST_HWCACHE_ALIGN | SLAB_STORE_USER | \
			   SLAB_RECLAIM_ACCOUNT | SLAB_PANIC | \
			   SLAB_DESTROY_BY_RCU | SLAB_MEM_SPREAD)
#define CREATE_MASK_NODEBUG (SLAB_HWCACHE_ALIGN | \
			     SLAB_CACHE_DMA | SLAB_MUST_HWCACHE_ALIGN | \
			     SLAB_RECLAIM_ACCOUNT | SLAB_PANIC | \
			     SLAB_DESTROY_BY_RCU | SLAB_MEM_SPREAD)
#define CREATE_MASK	(DEBUG ? CREATE_MASK_DEBUG : CREATE_MASK_NODEBUG)

/* ------------------------------------------------------------------ */
/* Bufctls at the simulated width                                       */
/* ------------------------------------------------------------------ */

/*
 * kmem_bufctl_t is 4 bytes in 2.6.17 and was 2 bytes before 2.6.14; the
 * special values are counted down from the all-ones value of that width.
 */
static inline kmem_bufctl_t bufctl_ones(void)
{
	return env_arch->sizeof_bufctl == 2 ? 0xffffu : 0xffffffffu;
}

#define BUFCTL_END	(bufctl_ones() - 0)
#define BUFCTL_FREE	(bufctl_ones() - 1)
#define BUFCTL_ACTIVE	(bufctl_ones() - 2)
#define SLAB_LIMIT	(bufctl_ones() - 3)
#define BUFCTL_SIZE	((size_t)env_arch->sizeof_bufctl)
#define SLAB_SIZE	((size_t)env_arch->sizeof_slab)

static inline unsigned char *slab_bufctl(struct slab *slabp)
{
	return (unsigned char *)slabp + SLAB_SIZE;
}

static inline kmem_bufctl_t bufctl_get(struct slab *slabp, unsigned int i)
{
	unsigned char *p = slab_bufctl(slabp) + i * BUFCTL_SIZE;

	if (BUFCTL_SIZE == 2) {
		uint16_t v;

		memcpy(&v, p, 2);
		return v;
	} else {
		uint32_t v;

		memcpy(&v, p, 4);
		return v;
	}
}

static inline void bufctl_set(struct slab *slabp, unsigned int i,
			      kmem_bufctl_t val)
{
	unsigned char *p = slab_bufctl(slabp) + i * BUFCTL_SIZE;

	if (BUFCTL_SIZE == 2) {
		uint16_t v = (uint16_t)val;

		memcpy(p, &v, 2);
	} else {
		uint32_t v = val;

		memcpy(p, &v, 4);
	}
}

/* ------------------------------------------------------------------ */
/* Simulated structure sizes                                            */
/* ------------------------------------------------------------------ */

/*
 * sizeof() as the simulated kernel sees it. They drive kmalloc sizes
 * (INDEX_AC, INDEX_L3), alloc_arraycache's memsize and cache_cache's
 * object size; the host layouts in slab_internal.h fit inside them.
 */
static size_t ac_header_size;		/* struct array_cache */
static size_t arraycache_init_size;	/* struct arraycache_init */
static size_t kmem_list3_size;		/* struct kmem_list3 */
static size_t kmem_cache_sim_size;	/* struct kmem_cache */

/* Appends a naturally aligned field to a running struct size. */
static size_t field(size_t off, size_t size)
{
	return ALIGN(off, size) + size;
}

/*
 * struct kmem_cache of 2.6.17 with NR_CPUS = nr_cpu_ids and MAX_NUMNODES =
 * nr_node_ids, field by field (debug adds obj_offset and obj_size).
 */
static size_t sim_sizeof_kmem_cache(void)
{
	size_t w = BYTES_PER_WORD, off = 0;
	int i;

	for (i = 0; i < nr_cpu_ids; i++)
		off = field(off, w);			/* array[] */
	for (i = 0; i < 4; i++)
		off = field(off, 4);			/* batchcount..buffer_size */
	for (i = 0; i < nr_node_ids; i++)
		off = field(off, w);			/* nodelists[] */
	for (i = 0; i < 4; i++)
		off = field(off, 4);			/* flags..gfpflags */
	off = field(off, w);				/* colour (size_t) */
	off = field(off, 4);				/* colour_off */
	off = field(off, w);				/* slabp_cache */
	off = field(off, 4);				/* slab_size */
	off = field(off, 4);				/* dflags */
	off = field(off, w);				/* ctor */
	off = field(off, w);				/* dtor */
	off = field(off, w);				/* name */
	off = field(off, w);				/* next.next */
	off = field(off, w);				/* next.prev */
	for (i = 0; i < 10; i++)
		off = field(off, w);			/* STATS longs */
	for (i = 0; i < 4; i++)
		off = field(off, 4);			/* STATS atomics */
	if (DEBUG) {
		off = field(off, 4);			/* obj_offset */
		off = field(off, 4);			/* obj_size */
	}
	return ALIGN(off, w);
}

/* 3 list_heads, long, 3 uints, spinlock, 2 pointers, long, int. */
static size_t sim_sizeof_kmem_list3(void)
{
	size_t w = BYTES_PER_WORD, off = 0;
	int i;

	for (i = 0; i < 6; i++)
		off = field(off, w);
	off = field(off, w);				/* free_objects */
	off = field(off, 4);				/* free_limit */
	off = field(off, 4);				/* colour_next */
	off = field(off, env_arch->sizeof_spinlock);	/* list_lock */
	off = field(off, w);				/* shared */
	off = field(off, w);				/* alien */
	off = field(off, w);				/* next_reap */
	off = field(off, 4);				/* free_touched */
	return ALIGN(off, w);
}

static void compute_sim_sizes(void)
{
	ac_header_size = ALIGN(4 * 4 + (size_t)env_arch->sizeof_spinlock,
			       BYTES_PER_WORD);
	arraycache_init_size = ac_header_size + BYTES_PER_WORD;
	kmem_list3_size = sim_sizeof_kmem_list3();
	kmem_cache_sim_size = sim_sizeof_kmem_cache();
	BUG_ON(sizeof(struct array_cache) > ac_header_size);
	BUG_ON(sizeof(struct kmem_list3) > kmem_list3_size);
	BUG_ON(sizeof(struct slab) > SLAB_SIZE);
}

/* Host bytes a struct kmem_cache needs with its slots[] tail. */
static size_t host_sizeof_kmem_cache(void)
{
	return sizeof(struct kmem_cache) +
		sizeof(pa_t) * (size_t)(nr_cpu_ids + nr_node_ids);
}

/* ------------------------------------------------------------------ */
/* Memory traffic                                                       */
/* ------------------------------------------------------------------ */

/*
 * One call per structure the kernel would touch. Array entries are
 * touched at their simulated address (header + index words).
 */
static inline void touch_ac(struct array_cache *ac, bool write)
{
	mem_touch(ac, ac_header_size, write);
}

static inline void touch_ac_entry(struct array_cache *ac, unsigned int i,
				  bool write)
{
	mem_touch((char *)ac + ac_header_size + i * BYTES_PER_WORD,
		  BYTES_PER_WORD, write);
}

static inline void touch_slab(struct slab *slabp, bool write)
{
	mem_touch(slabp, SLAB_SIZE, write);
}

static inline void touch_bufctl(struct slab *slabp, unsigned int i, bool write)
{
	mem_touch(slab_bufctl(slabp) + i * BUFCTL_SIZE, BUFCTL_SIZE, write);
}

static inline void touch_l3(struct kmem_list3 *l3)
{
	mem_touch(l3, kmem_list3_size, true);
}

/* Simulated words (red zones, the last-user word) at the arch's width. */
static unsigned long word_get(const void *p)
{
	if (BYTES_PER_WORD == 4) {
		uint32_t v;

		memcpy(&v, p, 4);
		return v;
	} else {
		uint64_t v;

		memcpy(&v, p, 8);
		return (unsigned long)v;
	}
}

static void word_set(void *p, unsigned long val)
{
	if (BYTES_PER_WORD == 4) {
		uint32_t v = (uint32_t)val;

		memcpy(p, &v, 4);
	} else {
		uint64_t v = val;

		memcpy(p, &v, 8);
	}
}

/* The kernel prints %p zero-padded to the pointer width. */
#define PTRW		((int)(2 * BYTES_PER_WORD))
#define KPTR(p)		PTRW, kaddr(p)

/* ------------------------------------------------------------------ */
/* Tuning constants and statistics                                      */
/* ------------------------------------------------------------------ */

#define BOOT_CPUCACHE_ENTRIES	1
#define BATCHREFILL_LIMIT	16
/*
 * Optimization question: fewer reaps means less probability for unnessary
 * cpucache drain/refill cycles. OTOH the cpuarrays can contain lots of
 * objects, which could lock up otherwise freeable slabs.
 */
#define REAPTIMEOUT_CPUC	(2 * HZ)
#define REAPTIMEOUT_LIST3	(4 * HZ)

#define STATS_INC_ACTIVE(x)	((x)->num_active++)
#define STATS_DEC_ACTIVE(x)	((x)->num_active--)
#define STATS_INC_ALLOCED(x)	((x)->num_allocations++)
#define STATS_INC_GROWN(x)	((x)->grown++)
#define STATS_INC_REAPED(x)	((x)->reaped++)
#define STATS_SET_HIGH(x)						\
	do {								\
		if ((x)->num_active > (x)->high_mark)			\
			(x)->high_mark = (x)->num_active;		\
	} while (0)
#define STATS_INC_ERR(x)	((x)->errors++)
#define STATS_INC_NODEALLOCS(x)	((x)->node_allocs++)
#define STATS_INC_NODEFREES(x)	((x)->node_frees++)
#define STATS_INC_ACOVERFLOW(x)	((x)->node_overflow++)
#define STATS_SET_FREEABLE(x, i)					\
	do {								\
		if ((x)->max_freeable < (i))				\
			(x)->max_freeable = (i);			\
	} while (0)
#define STATS_INC_ALLOCHIT(x)	((x)->allochit++)
#define STATS_INC_ALLOCMISS(x)	((x)->allocmiss++)
#define STATS_INC_FREEHIT(x)	((x)->freehit++)
#define STATS_INC_FREEMISS(x)	((x)->freemiss++)

/*
 * Magic nums for obj red zoning.
 * Placed in the first word before and the first word after an obj.
 */
#define RED_INACTIVE	0x5A2CF071UL	/* when obj is inactive */
#define RED_ACTIVE	0x170FC2A5UL	/* when obj is active */

/* ...and for poisoning */
#define POISON_INUSE	0x5a	/* for use-uninitialised poisoning */
#define POISON_FREE	0x6b	/* for use-after-free poisoning */
#define POISON_END	0xa5	/* end-byte of poisoning */

/*
 * memory layout of objects (with debug):
 * 0 .. obj_offset - BYTES_PER_WORD - 1: padding.
 * obj_offset - BYTES_PER_WORD .. obj_offset - 1: redzone word.
 * obj_offset: the real object.
 * buffer_size - 2 * BYTES_PER_WORD: redzone word
 * buffer_size - 1 * BYTES_PER_WORD: last caller address
 */
static int obj_offset(struct kmem_cache *cachep)
{
	return DEBUG ? cachep->obj_offset : 0;
}

static int obj_size(struct kmem_cache *cachep)
{
	return DEBUG ? cachep->obj_size : (int)cachep->buffer_size;
}

static void *dbg_redzone1(struct kmem_cache *cachep, void *objp)
{
	BUG_ON(!(cachep->flags & SLAB_RED_ZONE));
	return (char *)objp + obj_offset(cachep) - BYTES_PER_WORD;
}

static void *dbg_redzone2(struct kmem_cache *cachep, void *objp)
{
	BUG_ON(!(cachep->flags & SLAB_RED_ZONE));
	if (cachep->flags & SLAB_STORE_USER)
		return (char *)objp + cachep->buffer_size - 2 * BYTES_PER_WORD;
	return (char *)objp + cachep->buffer_size - BYTES_PER_WORD;
}

static void *dbg_userword(struct kmem_cache *cachep, void *objp)
{
	BUG_ON(!(cachep->flags & SLAB_STORE_USER));
	return (char *)objp + cachep->buffer_size - BYTES_PER_WORD;
}

/*
 * Maximum size of an obj (in 2^order pages) and absolute limit for the gfp
 * order (CONFIG_MMU: 5, from the arch profile).
 */
#define MAX_OBJ_ORDER	(env_arch->max_gfp_order)
#define MAX_GFP_ORDER	(env_arch->max_gfp_order)

/* Do not go above this order unless 0 objects fit into the slab. */
#define BREAK_GFP_ORDER_HI	1
#define BREAK_GFP_ORDER_LO	0
static int slab_break_gfp_order = BREAK_GFP_ORDER_LO;

/* ------------------------------------------------------------------ */
/* From an object to its cache and slab                                 */
/* ------------------------------------------------------------------ */

/*
 * struct page is host memory, so its lru words may hold host pointers to
 * the (simulated-memory) cache and slab, as in the kernel.
 */
static inline void page_set_cache(struct page *page, struct kmem_cache *cache)
{
	page->lru.next = cache;
}

static inline struct kmem_cache *page_get_cache(struct page *page)
{
	return page->lru.next;
}

static inline void page_set_slab(struct page *page, struct slab *slab)
{
	page->lru.prev = slab;
}

static inline struct slab *page_get_slab(struct page *page)
{
	return page->lru.prev;
}

static inline struct kmem_cache *virt_to_cache(const void *obj)
{
	return page_get_cache(virt_to_page(obj));
}

static inline struct slab *virt_to_slab(const void *obj)
{
	return page_get_slab(virt_to_page(obj));
}

static inline void *index_to_obj(struct kmem_cache *cache, struct slab *slab,
				 unsigned int idx)
{
	return (char *)__va(slab->s_mem) + cache->buffer_size * idx;
}

static inline unsigned int obj_to_index(struct kmem_cache *cache,
					struct slab *slab, void *obj)
{
	return (unsigned int)((char *)obj - (char *)__va(slab->s_mem)) /
		cache->buffer_size;
}

/* ------------------------------------------------------------------ */
/* The kmalloc caches                                                   */
/* ------------------------------------------------------------------ */

/*
 * include/linux/kmalloc_sizes.h for this machine: 96 only when the cache
 * line is below 64, 192 only below 128. The table ends with ULONG_MAX and
 * NULL caches, so a too-large kmalloc finds NULL without a special case.
 */
struct cache_sizes {
	size_t cs_size;
	struct kmem_cache *cs_cachep;
	struct kmem_cache *cs_dmacachep;
};

struct cache_names {
	const char *name;
	const char *name_dma;
};

#define NR_MALLOC_SIZES	16
static struct cache_sizes malloc_sizes[NR_MALLOC_SIZES + 1];
static struct cache_names cache_names[NR_MALLOC_SIZES + 1];

#define CACHE(x) { x, "size-" #x, "size-" #x "(DMA)" }
static const struct {
	size_t size;
	const char *name;
	const char *name_dma;
} all_kmalloc_sizes[] = {
	CACHE(32), CACHE(64), CACHE(96), CACHE(128), CACHE(192), CACHE(256),
	CACHE(512), CACHE(1024), CACHE(2048), CACHE(4096), CACHE(8192),
	CACHE(16384), CACHE(32768), CACHE(65536), CACHE(131072),
};
#undef CACHE

/* Fills malloc_sizes and cache_names for the simulated arch. */
static void init_malloc_sizes(void)
{
	size_t i, n = 0;

	memset(malloc_sizes, 0, sizeof(malloc_sizes));
	memset(cache_names, 0, sizeof(cache_names));
	for (i = 0; i < ARRAY_SIZE(all_kmalloc_sizes); i++) {
		size_t sz = all_kmalloc_sizes[i].size;

		if (sz == 32 && PAGE_SIZE != 4096)
			continue;
		if (sz == 96 && L1_CACHE_BYTES >= 64)
			continue;
		if (sz == 192 && L1_CACHE_BYTES >= 128)
			continue;
		malloc_sizes[n].cs_size = sz;
		cache_names[n].name = all_kmalloc_sizes[i].name;
		cache_names[n].name_dma = all_kmalloc_sizes[i].name_dma;
		n++;
	}
	malloc_sizes[n].cs_size = ULONG_MAX;
}

/* The kernel's index_of(): which malloc_sizes entry serves size. */
static int index_of(size_t size)
{
	int i = 0;

	while (malloc_sizes[i].cs_size != ULONG_MAX &&
	       malloc_sizes[i].cs_size < size)
		i++;
	BUG_ON(malloc_sizes[i].cs_size == ULONG_MAX);
	return i;
}

#define INDEX_AC	index_of(arraycache_init_size)
#define INDEX_L3	index_of(kmem_list3_size)

/* ------------------------------------------------------------------ */
/* Bootstrap data and the cache chain                                   */
/* ------------------------------------------------------------------ */

/*
 * The kernel's statics and __initdata, here in boot memory. initkmem_list3
 * has 2 * MAX_NUMNODES + 1 entries of the simulated kmem_list3 size: one
 * for cache_cache, then one per node for the array-cache and the
 * kmem_list3 kmalloc caches.
 */
static struct kmem_cache *cache_cachep;
#define cache_cache	(*cache_cachep)
static unsigned char *initkmem_list3_base;
#define CACHE_CACHE	0
#define SIZE_AC		1
#define SIZE_L3		(1 + nr_node_ids)
#define NUM_INIT_LISTS	(2 * nr_node_ids + 1)
static struct kmem_list3 *initkmem_list3(int i)
{
	return (struct kmem_list3 *)(initkmem_list3_base +
				     (size_t)i * kmem_list3_size);
}
static struct array_cache *initarray_cache;
static struct array_cache *initarray_generic;

/* Guard access to the cache-chain. */
static DEFINE_MUTEX(cache_chain_mutex);
static struct list_head *cache_chainp;
#define cache_chain	(*cache_chainp)

/* vm_enough_memory() looks at this; SLAB_RECLAIM_ACCOUNT turns it on. */
static long slab_reclaim_pages;

/*
 * chicken and egg problem: delay the per-cpu array allocation
 * until the general caches are up.
 */
static enum {
	NONE,
	PARTIAL_AC,
	PARTIAL_L3,
	FULL
} g_cpucache_up;

/* used by boot code to determine if it can use slab based allocator */
int slab_is_available(void)
{
	return g_cpucache_up == FULL;
}

static struct work_struct reap_work[NR_CPUS];
static unsigned long reap_node[NR_CPUS];

static void free_block(struct kmem_cache *cachep, pa_t *objpp, int len,
		       int node);
static int enable_cpucache(struct kmem_cache *cachep);
static void cache_reap(void *unused);
static int __node_shrink(struct kmem_cache *cachep, int node);
static void *__cache_alloc_node(struct kmem_cache *cachep, gfp_t flags,
				int nodeid);
static void *alternate_node_alloc(struct kmem_cache *cachep, gfp_t flags);
static void drain_array(struct kmem_cache *cachep, struct kmem_list3 *l3,
			struct array_cache *ac, int force, int node);

static inline struct array_cache *cpu_cache_get(struct kmem_cache *cachep)
{
	return cache_array(cachep, smp_processor_id());
}

/* jiffies compared on the 32 bits a simulated l3->next_reap keeps. */
static inline unsigned int jiffies32(void)
{
	return (unsigned int)jiffies;
}

static inline bool time_after32(unsigned int a, unsigned int b)
{
	return (int)(b - a) < 0;
}

/*
 * The seed's "(unsigned long)cachep" spread: the kernel virtual address
 * of the cache descriptor (PAGE_OFFSET + physical), not its physical
 * address. The two differ by PAGE_OFFSET % REAPTIMEOUT_LIST3 jiffies
 * (64 at HZ 100, 250 and 1000; 864 at HZ 300), enough to move a
 * cache's free-slab reaping by a whole reap period.
 */
static inline unsigned int reap_spread(struct kmem_cache *cachep)
{
	return (unsigned int)(kaddr(cachep) % REAPTIMEOUT_LIST3);
}

static void kmem_list3_init(struct kmem_list3 *parent)
{
	INIT_LIST_HEAD(&parent->slabs_full);
	INIT_LIST_HEAD(&parent->slabs_partial);
	INIT_LIST_HEAD(&parent->slabs_free);
	parent->shared = 0;
	parent->alien = 0;
	parent->colour_next = 0;
	spin_lock_init(&parent->list_lock);
	parent->free_objects = 0;
	parent->free_touched = 0;
}

#define MAKE_LIST(cachep, listp, slab, nodeid)				\
	do {								\
		INIT_LIST_HEAD(listp);					\
		list_splice(&(cache_l3(cachep, nodeid)->slab), listp);	\
	} while (0)

#define MAKE_ALL_LISTS(cachep, ptr, nodeid)				\
	do {								\
		MAKE_LIST((cachep), (&(ptr)->slabs_full), slabs_full, nodeid); \
		MAKE_LIST((cachep), (&(ptr)->slabs_partial), slabs_partial, nodeid); \
		MAKE_LIST((cachep), (&(ptr)->slabs_free), slabs_free, nodeid); \
	} while (0)

static inline struct kmem_cache *__find_general_cachep(size_t size,
						       gfp_t gfpflags)
{
	struct cache_sizes *csizep = malloc_sizes;

	/*
	 * This happens if someone tries to call kmem_cache_create(), or
	 * __kmalloc(), before the generic caches are initialized.
	 */
	BUG_ON(malloc_sizes[INDEX_AC].cs_cachep == NULL);
	while (size > csizep->cs_size)
		csizep++;
	/*
	 * Really subtle: The last entry with cs->cs_size==ULONG_MAX has
	 * cs_{dma,}cachep==NULL. Thus no special case for large kmalloc
	 * calls required.
	 */
	if (unlikely(gfpflags & GFP_DMA))
		return csizep->cs_dmacachep;
	return csizep->cs_cachep;
}

struct kmem_cache *kmem_find_general_cachep(size_t size, gfp_t gfpflags)
{
	return __find_general_cachep(size, gfpflags);
}

/* ------------------------------------------------------------------ */
/* Geometry                                                             */
/* ------------------------------------------------------------------ */

static size_t slab_mgmt_size(size_t nr_objs, size_t align)
{
	return ALIGN(SLAB_SIZE + nr_objs * BUFCTL_SIZE, align);
}

/*
 * Calculate the number of objects and left-over bytes for a given buffer
 * size in a slab of 2^gfporder pages.
 */
static void cache_estimate(unsigned long gfporder, size_t buffer_size,
			   size_t align, unsigned long flags,
			   size_t *left_over, unsigned int *num)
{
	size_t nr_objs;
	size_t mgmt_size;
	size_t slab_size = PAGE_SIZE << gfporder;

	/*
	 * On-slab, the slab holds: the struct slab, one kmem_bufctl_t per
	 * object, padding to align, then the objects. Off-slab, the
	 * alignment is already in the size, and slabs are page aligned.
	 */
	if (flags & CFLGS_OFF_SLAB) {
		mgmt_size = 0;
		nr_objs = slab_size / buffer_size;
		if (nr_objs > SLAB_LIMIT)
			nr_objs = SLAB_LIMIT;
	} else {
		/*
		 * Ignore padding for the initial guess; the result is
		 * either right or one too many.
		 */
		nr_objs = (slab_size - SLAB_SIZE) /
			  (buffer_size + BUFCTL_SIZE);
		if (slab_mgmt_size(nr_objs, align) + nr_objs * buffer_size
		    > slab_size)
			nr_objs--;
		if (nr_objs > SLAB_LIMIT)
			nr_objs = SLAB_LIMIT;
		mgmt_size = slab_mgmt_size(nr_objs, align);
	}
	*num = (unsigned int)nr_objs;
	*left_over = slab_size - nr_objs * buffer_size - mgmt_size;
}

#define slab_error(cachep, msg)	__slab_error(__func__, cachep, msg)

static void __slab_error(const char *function, struct kmem_cache *cachep,
			 const char *msg)
{
	printk(KERN_ERR "slab error in %s(): cache `%s': %s\n",
	       function, cachep->name, msg);
	dump_stack();
}

/* ------------------------------------------------------------------ */
/* NUMA reaping helpers                                                 */
/* ------------------------------------------------------------------ */

/*
 * cache_reap() flushes one remote node's alien caches per run, round
 * robin, and drains that node's per-cpu pages.
 */
static void init_reap_node(int cpu)
{
	int node;

	node = next_node(cpu_to_node(cpu));
	if (node == MAX_NUMNODES)
		node = first_node();
	reap_node[cpu] = node;
}

static void next_reap_node(void)
{
	int node = (int)reap_node[smp_processor_id()];

	/* Also drain per cpu pages on remote zones */
	if (node != numa_node_id())
		drain_node_pages(node);
	node = next_node(node);
	if (unlikely(node >= MAX_NUMNODES))
		node = first_node();
	reap_node[smp_processor_id()] = node;
}

/*
 * Initiate the reap timer running on the target CPU. The CPU number is
 * added to the first expiry so that CPUs do not reap in lockstep and
 * contend for the cache chain mutex.
 */
static void start_cpu_timer(int cpu)
{
	struct work_struct *work = &reap_work[cpu];

	if (keventd_up() && work->func == NULL) {
		init_reap_node(cpu);
		INIT_WORK(work, cache_reap, NULL);
		schedule_delayed_work_on(cpu, work, HZ + 3 * cpu);
	}
}

/* ------------------------------------------------------------------ */
/* Array caches and alien caches                                        */
/* ------------------------------------------------------------------ */

/*
 * A new empty array of entries objects on node, from kmalloc_node.
 * Returns NULL on failure.
 */
static struct array_cache *alloc_arraycache(int node, int entries,
					    int batchcount)
{
	/* 2.6.17: int memsize = sizeof(void *) * entries + sizeof(...) */
	int memsize = (int)(BYTES_PER_WORD * (size_t)(long)entries +
			    ac_header_size);
	uint64_t need = (uint64_t)BYTES_PER_WORD * (uint32_t)entries +
			ac_header_size;
	struct array_cache *nc = NULL;

	/*
	 * A product that wraps memsize (shared * batchcount of 2^32 - 1
	 * entries gives 16 bytes) gets an array far smaller than its limit
	 * says, and the kernel then writes past it. The simulation stops at
	 * the cause, before the first such write: simulated memory and the
	 * host stay intact, and the run reports a BUG (exit 3). A memsize
	 * that wraps negative asks kmalloc for too much and fails, as in
	 * the kernel.
	 */
	if (unlikely(memsize > 0 && (uint64_t)memsize < need)) {
		printk(KERN_ERR "alloc_arraycache: %u entries need %llu bytes; "
		       "int memsize wrapped to %d, the array would be overrun\n",
		       (unsigned int)entries, (unsigned long long)need, memsize);
		BUG_ON(memsize > 0 && (uint64_t)memsize < need);
	}
	nc = kmalloc_node((size_t)(long)memsize, GFP_KERNEL, node);
	if (nc) {
		nc->avail = 0;
		nc->limit = entries;
		nc->batchcount = batchcount;
		nc->touched = 0;
		spin_lock_init(&nc->lock);
	}
	return nc;
}

/*
 * Transfer objects in one arraycache to another; the caller holds the
 * locks. Returns the number of entries transferred.
 */
static int transfer_objects(struct array_cache *to, struct array_cache *from,
			    unsigned int max)
{
	/* Figure out how many entries to transfer */
	int nr = min(min(from->avail, max), to->limit - to->avail);

	if (!nr)
		return 0;
	/* every copy into an array stays inside it (and simulated memory) */
	BUG_ON(nr < 0 || to->avail + (unsigned int)nr > to->limit);
	touch_ac(from, true);
	touch_ac(to, true);
	memcpy(to->entry + to->avail, from->entry + from->avail - nr,
	       sizeof(pa_t) * nr);
	cpu_work(WORK_MEMCPY, nr * BYTES_PER_WORD);
	from->avail -= nr;
	to->avail += nr;
	to->touched = 1;
	return nr;
}

/*
 * One alien array per other online node, each of 12 entries at most.
 * Returns NULL when out of memory, with nothing left allocated.
 */
static pa_t *alloc_alien_cache(int node, int limit)
{
	pa_t *ac_ptr;
	size_t memsize = BYTES_PER_WORD * nr_node_ids;
	int i;

	if (limit > 1)
		limit = 12;
	ac_ptr = kmalloc_node(memsize, GFP_KERNEL, node);
	if (ac_ptr) {
		for (i = 0; i < nr_node_ids; i++) {
			struct array_cache *ac;

			if (i == node || !node_online(i)) {
				ac_ptr[i] = 0;
				continue;
			}
			ac = alloc_arraycache(node, limit, 0xbaadf00d);
			if (!ac) {
				/*
				 * The seed loops "i <= 0" here, leaking or
				 * running off the array; free what we got.
				 */
				for (i--; i >= 0; i--)
					kfree(__va(ac_ptr[i]));
				kfree(ac_ptr);
				return NULL;
			}
			ac_ptr[i] = __pa(ac);
		}
	}
	return ac_ptr;
}

static void free_alien_cache(pa_t *ac_ptr)
{
	int i;

	if (!ac_ptr)
		return;
	for (i = 0; i < nr_node_ids; i++)
		kfree(__va(ac_ptr[i]));
	kfree(ac_ptr);
}

/*
 * Empty an alien array into its home node: its shared array first, the
 * slab lists for the rest. The caller holds ac->lock.
 */
static void __drain_alien_cache(struct kmem_cache *cachep,
				struct array_cache *ac, int node)
{
	struct kmem_list3 *rl3 = cache_l3(cachep, node);

	if (ac->avail) {
		spin_lock(&rl3->list_lock);
		touch_l3(rl3);
		/*
		 * Stuff objects into the remote nodes shared array first.
		 * That way we could avoid the overhead of putting the objects
		 * into the free lists and getting them back later.
		 */
		if (rl3->shared)
			transfer_objects(__va(rl3->shared), ac, ac->limit);
		free_block(cachep, ac->entry, ac->avail, node);
		ac->avail = 0;
		spin_unlock(&rl3->list_lock);
	}
}

/* Called from cache_reap() to regularly drain alien caches round robin. */
static void reap_alien(struct kmem_cache *cachep, struct kmem_list3 *l3)
{
	int node = (int)reap_node[smp_processor_id()];

	if (l3->alien) {
		struct array_cache *ac = l3_alien(l3, node);

		if (ac && ac->avail && spin_trylock_irq(&ac->lock)) {
			__drain_alien_cache(cachep, ac, node);
			spin_unlock_irq(&ac->lock);
		}
	}
}

static void drain_alien_cache(struct kmem_cache *cachep, pa_t *alien)
{
	int i;
	struct array_cache *ac;
	unsigned long flags;

	for_each_online_node(i) {
		ac = __va(alien[i]);
		if (ac) {
			spin_lock_irqsave(&ac->lock, flags);
			__drain_alien_cache(cachep, ac, i);
			spin_unlock_irqrestore(&ac->lock, flags);
		}
	}
}

/*
 * A free of an object whose slab is on another node goes to this node's
 * alien array for that node (or straight to that node's lists when there
 * is none). Returns 1 when it took the object, 0 for a local object.
 */
static inline int cache_free_alien(struct kmem_cache *cachep, void *objp)
{
	struct slab *slabp = virt_to_slab(objp);
	int nodeid = slabp->nodeid;
	struct kmem_list3 *l3;
	struct array_cache *alien = NULL;

	touch_slab(slabp, false);
	/*
	 * Make sure we are not freeing a object from another node to the
	 * array cache on this cpu.
	 */
	if (likely(slabp->nodeid == numa_node_id()))
		return 0;

	l3 = cache_l3(cachep, numa_node_id());
	STATS_INC_NODEFREES(cachep);
	if (l3->alien && l3_alien(l3, nodeid)) {
		alien = l3_alien(l3, nodeid);
		spin_lock(&alien->lock);
		if (unlikely(alien->avail == alien->limit)) {
			STATS_INC_ACOVERFLOW(cachep);
			__drain_alien_cache(cachep, alien, nodeid);
		}
		touch_ac(alien, true);
		touch_ac_entry(alien, alien->avail, true);
		alien->entry[alien->avail++] = __pa(objp);
		spin_unlock(&alien->lock);
	} else {
		pa_t obj = __pa(objp);

		spin_lock(&cache_l3(cachep, nodeid)->list_lock);
		free_block(cachep, &obj, 1, nodeid);
		spin_unlock(&cache_l3(cachep, nodeid)->list_lock);
	}
	return 1;
}

/* ------------------------------------------------------------------ */
/* CPU hotplug                                                          */
/* ------------------------------------------------------------------ */

/* True when no online CPU other than cpu sits on node. */
static bool node_cpus_empty(int node, int cpu)
{
	int i;

	for_each_online_cpu(i)
		if (i != cpu && cpu_to_node(i) == node)
			return false;
	return true;
}

/*
 * CPU_UP_PREPARE gives every cache a per-cpu array (and the node's lists,
 * shared and alien arrays if missing) for cpu; CPU_ONLINE starts its reap
 * timer; CPU_DEAD and CPU_UP_CANCELED give its objects back and, when it
 * was the node's last CPU, the node's shared and alien arrays too.
 * Returns NOTIFY_BAD when out of memory (what was set up stays).
 */
int cpuup_callback(unsigned long action, int cpu)
{
	struct kmem_cache *cachep;
	struct kmem_list3 *l3 = NULL;
	int node = cpu_to_node(cpu);
	size_t memsize = kmem_list3_size;

	switch (action) {
	case CPU_UP_PREPARE:
		mutex_lock(&cache_chain_mutex);
		/*
		 * We need to do this right in the beginning since
		 * alloc_arraycache's are going to use this list.
		 * kmalloc_node allows us to add the slab to the right
		 * kmem_list3 and not this cpu's kmem_list3
		 */
		list_for_each_entry(cachep, &cache_chain, next) {
			/*
			 * Set up the size64 kmemlist for cpu before we can
			 * begin anything. Make sure some other cpu on this
			 * node has not already allocated this
			 */
			if (!cache_l3(cachep, node)) {
				l3 = kmalloc_node(memsize, GFP_KERNEL, node);
				if (!l3)
					goto bad;
				kmem_list3_init(l3);
				l3->next_reap = jiffies32() + REAPTIMEOUT_LIST3 +
					reap_spread(cachep);
				/*
				 * The l3s don't come and go as CPUs come and
				 * go. cache_chain_mutex is sufficient
				 * protection here.
				 */
				set_cache_l3(cachep, node, l3);
			}
			spin_lock_irq(&cache_l3(cachep, node)->list_lock);
			cache_l3(cachep, node)->free_limit =
				(1 + nr_cpus_node(node)) *
				cachep->batchcount + cachep->num;
			spin_unlock_irq(&cache_l3(cachep, node)->list_lock);
		}

		/*
		 * Now we can go ahead with allocating the shared arrays and
		 * array caches
		 */
		list_for_each_entry(cachep, &cache_chain, next) {
			struct array_cache *nc;
			struct array_cache *shared;
			pa_t *alien;

			nc = alloc_arraycache(node, cachep->limit,
					      cachep->batchcount);
			if (!nc)
				goto bad;
			shared = alloc_arraycache(node,
					cachep->shared * cachep->batchcount,
					0xbaadf00d);
			if (!shared) {
				kfree(nc);
				goto bad;
			}
			alien = alloc_alien_cache(node, cachep->limit);
			if (!alien) {
				kfree(shared);
				kfree(nc);
				goto bad;
			}
			set_cache_array(cachep, cpu, nc);
			l3 = cache_l3(cachep, node);
			BUG_ON(!l3);

			spin_lock_irq(&l3->list_lock);
			if (!l3->shared) {
				/*
				 * We are serialised from CPU_DEAD or
				 * CPU_UP_CANCELLED by the cpucontrol lock
				 */
				l3->shared = __pa(shared);
				shared = NULL;
			}
			if (!l3->alien) {
				l3->alien = __pa(alien);
				alien = NULL;
			}
			spin_unlock_irq(&l3->list_lock);

			kfree(shared);
			free_alien_cache(alien);
		}
		mutex_unlock(&cache_chain_mutex);
		break;
	case CPU_ONLINE:
		start_cpu_timer(cpu);
		break;
	case CPU_DEAD:
		/*
		 * Even if all the cpus of a node are down, we don't free the
		 * kmem_list3 of any cache. This to avoid a race between
		 * cpu_down, and a kmalloc allocation from another cpu for
		 * memory from the node of the cpu going down. The list3
		 * structure is usually allocated from kmem_cache_create() and
		 * gets destroyed at kmem_cache_destroy().
		 */
		/* fall thru */
	case CPU_UP_CANCELED:
		mutex_lock(&cache_chain_mutex);
		list_for_each_entry(cachep, &cache_chain, next) {
			struct array_cache *nc;
			struct array_cache *shared;
			pa_t *alien;

			/* cpu is dead; no one can alloc from it. */
			nc = cache_array(cachep, cpu);
			set_cache_array(cachep, cpu, NULL);
			l3 = cache_l3(cachep, node);

			if (!l3)
				goto free_array_cache;

			spin_lock_irq(&l3->list_lock);

			/* Free limit for this kmem_list3 */
			l3->free_limit -= cachep->batchcount;
			if (nc)
				free_block(cachep, nc->entry, nc->avail, node);

			if (!node_cpus_empty(node, cpu)) {
				spin_unlock_irq(&l3->list_lock);
				goto free_array_cache;
			}

			shared = __va(l3->shared);
			if (shared) {
				free_block(cachep, shared->entry,
					   shared->avail, node);
				l3->shared = 0;
			}

			alien = __va(l3->alien);
			l3->alien = 0;

			spin_unlock_irq(&l3->list_lock);

			kfree(shared);
			if (alien) {
				drain_alien_cache(cachep, alien);
				free_alien_cache(alien);
			}
free_array_cache:
			kfree(nc);
		}
		/*
		 * In the previous loop, all the objects were freed to
		 * the respective cache's slabs, now we can go ahead and
		 * shrink each nodelist to its limit.
		 */
		list_for_each_entry(cachep, &cache_chain, next) {
			l3 = cache_l3(cachep, node);
			if (!l3)
				continue;
			spin_lock_irq(&l3->list_lock);
			/* free slabs belonging to this node */
			__node_shrink(cachep, node);
			spin_unlock_irq(&l3->list_lock);
		}
		mutex_unlock(&cache_chain_mutex);
		break;
	}
	return NOTIFY_OK;
bad:
	mutex_unlock(&cache_chain_mutex);
	return NOTIFY_BAD;
}

/* ------------------------------------------------------------------ */
/* Bootstrap                                                            */
/* ------------------------------------------------------------------ */

/* Swap the boot-memory kmem_list3 with kmalloced memory. */
static void init_list(struct kmem_cache *cachep, struct kmem_list3 *list,
		      int nodeid)
{
	struct kmem_list3 *ptr;

	BUG_ON(cache_l3(cachep, nodeid) != list);
	ptr = kmalloc_node(kmem_list3_size, GFP_KERNEL, nodeid);
	BUG_ON(!ptr);

	local_irq_disable();
	memcpy(ptr, list, sizeof(struct kmem_list3));
	MAKE_ALL_LISTS(cachep, ptr, nodeid);
	set_cache_l3(cachep, nodeid, ptr);
	local_irq_enable();
}

/*
 * Resets every static of this file and points them at fresh boot memory,
 * so a process can boot one simulated machine after another.
 */
static void reset_statics(void)
{
	size_t cc_size;

	compute_sim_sizes();
	init_malloc_sizes();
	g_cpucache_up = NONE;
	slab_break_gfp_order = BREAK_GFP_ORDER_LO;
	slab_reclaim_pages = 0;
	memset(reap_work, 0, sizeof(reap_work));
	memset(reap_node, 0, sizeof(reap_node));
	/* each machine gets a fresh lock, named as DEFINE_MUTEX named it */
	mutex_init(&cache_chain_mutex);

	/*
	 * cache_cache is static in the kernel. Its object size is the
	 * simulated sizeof(struct kmem_cache), but never less than what
	 * the host struct with its slots[] tail needs: on i386 the host's
	 * 8-byte name/ctor/dtor pointers and longs are wider than the
	 * simulated ones, and then the host size wins.
	 */
	cc_size = max(kmem_cache_sim_size, host_sizeof_kmem_cache());
	cache_cachep = alloc_bootmem(cc_size);
	memset(cache_cachep, 0, cc_size);
	cache_cache.batchcount = 1;
	cache_cache.limit = BOOT_CPUCACHE_ENTRIES;
	cache_cache.shared = 1;
	cache_cache.buffer_size = cc_size;
	cache_cache.name = "kmem_cache";
	cache_cache.obj_size = cc_size;

	cache_chainp = alloc_bootmem(sizeof(struct list_head));
	initkmem_list3_base = alloc_bootmem(NUM_INIT_LISTS * kmem_list3_size);
	initarray_cache = alloc_bootmem(arraycache_init_size);
	initarray_generic = alloc_bootmem(arraycache_init_size);
	BUG_ON(!cache_cachep || !cache_chainp || !initkmem_list3_base ||
	       !initarray_cache || !initarray_generic);
	/* { {0, BOOT_CPUCACHE_ENTRIES, 1, 0} } */
	initarray_cache->avail = 0;
	initarray_cache->limit = BOOT_CPUCACHE_ENTRIES;
	initarray_cache->batchcount = 1;
	initarray_cache->touched = 0;
	*initarray_generic = *initarray_cache;
	spin_lock_init(&initarray_cache->lock);
	spin_lock_init(&initarray_generic->lock);
}

/*
 * Initialisation. Called after the page allocator have been initialised
 * and before smp_init(), on the boot CPU with only that CPU online.
 */
void kmem_cache_init(void)
{
	size_t left_over;
	struct cache_sizes *sizes;
	struct cache_names *names;
	int i;
	int order;

	reset_statics();

	for (i = 0; i < NUM_INIT_LISTS; i++) {
		kmem_list3_init(initkmem_list3(i));
		if (i < nr_node_ids)
			set_cache_l3(&cache_cache, i, NULL);
	}

	/*
	 * Fragmentation resistance on low memory - only use bigger
	 * page orders on machines with more than 32MB of memory.
	 */
	if (num_physpages > (32 << 20) >> PAGE_SHIFT)
		slab_break_gfp_order = BREAK_GFP_ORDER_HI;

	/*
	 * Bootstrap is tricky, because several objects are allocated
	 * from caches that do not exist yet:
	 * 1) initialize the cache_cache cache: it contains the struct
	 *    kmem_cache structures of all caches, except cache_cache itself:
	 *    cache_cache is statically allocated.
	 *    Initially an __init data area is used for the head array and the
	 *    kmem_list3 structures, it's replaced with a kmalloc allocated
	 *    array at the end of the bootstrap.
	 * 2) Create the first kmalloc cache.
	 *    The struct kmem_cache for the new cache is allocated normally.
	 *    An __init data area is used for the head array.
	 * 3) Create the remaining kmalloc caches, with minimally sized
	 *    head arrays.
	 * 4) Replace the __init data head arrays for cache_cache and the first
	 *    kmalloc cache with kmalloc allocated arrays.
	 * 5) Replace the __init data for kmem_list3 for cache_cache and
	 *    the other cache's with kmalloc allocated memory.
	 * 6) Resize the head arrays of the kmalloc caches to their final sizes.
	 */

	/* 1) create the cache_cache */
	INIT_LIST_HEAD(&cache_chain);
	list_add(&cache_cache.next, &cache_chain);
	cache_cache.colour_off = cache_line_size();
	set_cache_array(&cache_cache, smp_processor_id(), initarray_cache);
	set_cache_l3(&cache_cache, numa_node_id(), initkmem_list3(CACHE_CACHE));

	cache_cache.buffer_size = ALIGN(cache_cache.buffer_size,
					cache_line_size());

	for (order = 0; order < MAX_ORDER; order++) {
		cache_estimate(order, cache_cache.buffer_size,
			       cache_line_size(), 0, &left_over,
			       &cache_cache.num);
		if (cache_cache.num)
			break;
	}
	BUG_ON(!cache_cache.num);
	cache_cache.gfporder = order;
	cache_cache.colour = left_over / cache_cache.colour_off;
	cache_cache.slab_size = ALIGN(cache_cache.num * BUFCTL_SIZE +
				      SLAB_SIZE, cache_line_size());

	/* 2+3) create the kmalloc caches */
	sizes = malloc_sizes;
	names = cache_names;

	/*
	 * Initialize the caches that provide memory for the array cache and
	 * the kmem_list3 structures first. Without this, further
	 * allocations will bug.
	 */
	sizes[INDEX_AC].cs_cachep = kmem_cache_create(names[INDEX_AC].name,
					sizes[INDEX_AC].cs_size,
					ARCH_KMALLOC_MINALIGN,
					ARCH_KMALLOC_FLAGS | SLAB_PANIC,
					NULL, NULL);

	if (INDEX_AC != INDEX_L3) {
		sizes[INDEX_L3].cs_cachep =
			kmem_cache_create(names[INDEX_L3].name,
					  sizes[INDEX_L3].cs_size,
					  ARCH_KMALLOC_MINALIGN,
					  ARCH_KMALLOC_FLAGS | SLAB_PANIC,
					  NULL, NULL);
	}

	while (sizes->cs_size != ULONG_MAX) {
		/*
		 * For performance, all the general caches are L1 aligned.
		 * This should be particularly beneficial on SMP boxes, as it
		 * eliminates "false sharing".
		 * Note for systems short on memory removing the alignment will
		 * allow tighter packing of the smaller caches.
		 */
		if (!sizes->cs_cachep) {
			sizes->cs_cachep = kmem_cache_create(names->name,
					sizes->cs_size,
					ARCH_KMALLOC_MINALIGN,
					ARCH_KMALLOC_FLAGS | SLAB_PANIC,
					NULL, NULL);
		}
		sizes->cs_dmacachep = kmem_cache_create(names->name_dma,
					sizes->cs_size,
					ARCH_KMALLOC_MINALIGN,
					ARCH_KMALLOC_FLAGS | SLAB_CACHE_DMA |
						SLAB_PANIC,
					NULL, NULL);
		sizes++;
		names++;
	}
	/* 4) Replace the bootstrap head arrays */
	{
		void *ptr;

		ptr = kmalloc(arraycache_init_size, GFP_KERNEL);

		local_irq_disable();
		BUG_ON(cpu_cache_get(&cache_cache) != initarray_cache);
		memcpy(ptr, cpu_cache_get(&cache_cache), arraycache_init_size);
		set_cache_array(&cache_cache, smp_processor_id(), ptr);
		local_irq_enable();

		ptr = kmalloc(arraycache_init_size, GFP_KERNEL);

		local_irq_disable();
		BUG_ON(cpu_cache_get(malloc_sizes[INDEX_AC].cs_cachep)
		       != initarray_generic);
		memcpy(ptr, cpu_cache_get(malloc_sizes[INDEX_AC].cs_cachep),
		       arraycache_init_size);
		set_cache_array(malloc_sizes[INDEX_AC].cs_cachep,
				smp_processor_id(), ptr);
		local_irq_enable();
	}
	/* 5) Replace the bootstrap kmem_list3's */
	{
		int node;

		/* Replace the static kmem_list3 structures for the boot cpu */
		init_list(&cache_cache, initkmem_list3(CACHE_CACHE),
			  numa_node_id());

		for_each_online_node(node) {
			init_list(malloc_sizes[INDEX_AC].cs_cachep,
				  initkmem_list3(SIZE_AC + node), node);

			if (INDEX_AC != INDEX_L3) {
				init_list(malloc_sizes[INDEX_L3].cs_cachep,
					  initkmem_list3(SIZE_L3 + node),
					  node);
			}
		}
	}

	/* 6) resize the head arrays to their final sizes */
	{
		struct kmem_cache *cachep;

		mutex_lock(&cache_chain_mutex);
		list_for_each_entry(cachep, &cache_chain, next)
			enable_cpucache(cachep);
		mutex_unlock(&cache_chain_mutex);
	}

	/* Done! */
	g_cpucache_up = FULL;

	/*
	 * The environment calls cpuup_callback() for each further CPU (the
	 * kernel's register_cpu_notifier) and then cpucache_init(): the
	 * reap timers start later, that part of the kernel is not yet
	 * operational.
	 */
}

void slab_set_debug(bool debug)
{
	slab_debug = debug;
}

/*
 * Whether /proc/slabinfo shows the statistics columns, as a kernel built
 * with STATS does (2.6.17 has STATS only with DEBUG). The counters are
 * kept either way; like slab_debug, this survives kmem_cache_init().
 */
static bool slab_stats_shown = true;

void slab_set_slabinfo_stats(bool stats)
{
	slab_stats_shown = stats;
}

/* Register the timers that return unneeded pages to the page allocator. */
int cpucache_init(void)
{
	int cpu;

	for_each_online_cpu(cpu)
		start_cpu_timer(cpu);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Pages                                                                */
/* ------------------------------------------------------------------ */

/*
 * Interface to system's page allocator. No need to hold the cache-lock.
 * Returns the slab's first byte, or NULL when the page allocator fails.
 */
static void *kmem_getpages(struct kmem_cache *cachep, gfp_t flags, int nodeid)
{
	struct page *page;
	void *addr;
	int i;

	flags |= cachep->gfpflags;
	page = alloc_pages_node(nodeid, flags, cachep->gfporder);
	if (!page)
		return NULL;
	addr = page_address(page);

	i = (1 << cachep->gfporder);
	if (cachep->flags & SLAB_RECLAIM_ACCOUNT)
		slab_reclaim_pages += i;
	add_page_state(nr_slab, i);
	while (i--)
		__SetPageSlab(virt_to_page((char *)addr + i * PAGE_SIZE));
	return addr;
}

/* Interface to system's page release. */
static void kmem_freepages(struct kmem_cache *cachep, void *addr)
{
	unsigned long i = (1 << cachep->gfporder);
	const unsigned long nr_freed = i;

	while (i--) {
		struct page *page = virt_to_page((char *)addr + i * PAGE_SIZE);

		BUG_ON(!PageSlab(page));
		__ClearPageSlab(page);
	}
	sub_page_state(nr_slab, nr_freed);
	if (current->reclaim_state)
		current->reclaim_state->reclaimed_slab += nr_freed;
	free_pages(addr, cachep->gfporder);
	if (cachep->flags & SLAB_RECLAIM_ACCOUNT)
		slab_reclaim_pages -= 1 << cachep->gfporder;
}

static void kmem_rcu_free(struct rcu_head *head)
{
	struct slab_rcu *slab_rcu = (struct slab_rcu *)head;
	struct kmem_cache *cachep = __va(slab_rcu->cachep);

	kmem_freepages(cachep, __va(slab_rcu->addr));
	if (OFF_SLAB(cachep))
		kmem_cache_free(__va(cachep->slabp_cache), slab_rcu);
}

/*
 * store_stackinfo() is CONFIG_DEBUG_PAGEALLOC only: there is no page
 * unmapping in the simulated machine, so it has no counterpart here.
 */

/* ------------------------------------------------------------------ */
/* Debug: poison, red zones, dumps                                      */
/* ------------------------------------------------------------------ */

static void poison_obj(struct kmem_cache *cachep, void *addr, unsigned char val)
{
	int size = obj_size(cachep);

	addr = (char *)addr + obj_offset(cachep);
	memset(addr, val, size);
	*((unsigned char *)addr + size - 1) = POISON_END;
	cpu_work(WORK_MEMSET, size);
}

static void dump_line(char *data, int offset, int limit)
{
	int i;

	printk(KERN_ERR "%03x:", offset);
	for (i = 0; i < limit; i++)
		printk(" %02x", (unsigned char)data[offset + i]);
	printk("\n");
}

static void print_objinfo(struct kmem_cache *cachep, void *objp, int lines)
{
	int i, size;
	char *realobj;

	if (cachep->flags & SLAB_RED_ZONE) {
		printk(KERN_ERR "Redzone: 0x%lx/0x%lx.\n",
		       word_get(dbg_redzone1(cachep, objp)),
		       word_get(dbg_redzone2(cachep, objp)));
	}

	if (cachep->flags & SLAB_STORE_USER) {
		/* No kallsyms: the call site is printed bare. */
		printk(KERN_ERR "Last user: [<%0*lx>]\n", PTRW,
		       word_get(dbg_userword(cachep, objp)));
	}
	realobj = (char *)objp + obj_offset(cachep);
	size = obj_size(cachep);
	for (i = 0; i < size && lines; i += 16, lines--) {
		int limit;

		limit = 16;
		if (i + limit > size)
			limit = size - i;
		dump_line(realobj, i, limit);
	}
}

/* Reports every run of bytes in a free object that lost its poison. */
static void check_poison_obj(struct kmem_cache *cachep, void *objp)
{
	char *realobj;
	int size, i;
	int lines = 0;

	realobj = (char *)objp + obj_offset(cachep);
	size = obj_size(cachep);
	cpu_work(WORK_CHECK, size);

	for (i = 0; i < size; i++) {
		unsigned char exp = POISON_FREE;

		if (i == size - 1)
			exp = POISON_END;
		if ((unsigned char)realobj[i] != exp) {
			int limit;

			/* Mismatch ! */
			/* Print header */
			if (lines == 0) {
				printk(KERN_ERR
				       "Slab corruption: start=%0*lx, len=%d\n",
				       KPTR(realobj), size);
				print_objinfo(cachep, objp, 0);
			}
			/* Hexdump the affected line */
			i = (i / 16) * 16;
			limit = 16;
			if (i + limit > size)
				limit = size - i;
			dump_line(realobj, i, limit);
			i += 16;
			lines++;
			/* Limit to 5 lines */
			if (lines > 5)
				break;
		}
	}
	if (lines != 0) {
		/*
		 * Print some data about the neighboring objects, if they
		 * exist:
		 */
		struct slab *slabp = virt_to_slab(objp);
		unsigned int objnr;

		objnr = obj_to_index(cachep, slabp, objp);
		if (objnr) {
			objp = index_to_obj(cachep, slabp, objnr - 1);
			realobj = (char *)objp + obj_offset(cachep);
			printk(KERN_ERR "Prev obj: start=%0*lx, len=%d\n",
			       KPTR(realobj), size);
			print_objinfo(cachep, objp, 2);
		}
		if (objnr + 1 < cachep->num) {
			objp = index_to_obj(cachep, slabp, objnr + 1);
			realobj = (char *)objp + obj_offset(cachep);
			printk(KERN_ERR "Next obj: start=%0*lx, len=%d\n",
			       KPTR(realobj), size);
			print_objinfo(cachep, objp, 2);
		}
	}
}

/* ------------------------------------------------------------------ */
/* Destroying slabs                                                     */
/* ------------------------------------------------------------------ */

/*
 * Run the destructor (and, with debug, the free-object checks) on every
 * object of a slab that is being destroyed.
 */
static void slab_destroy_objs(struct kmem_cache *cachep, struct slab *slabp)
{
	unsigned int i;

	if (DEBUG) {
		for (i = 0; i < cachep->num; i++) {
			void *objp = index_to_obj(cachep, slabp, i);

			if (cachep->flags & SLAB_POISON)
				check_poison_obj(cachep, objp);
			if (cachep->flags & SLAB_RED_ZONE) {
				if (word_get(dbg_redzone1(cachep, objp)) !=
				    RED_INACTIVE)
					slab_error(cachep, "start of a freed "
						   "object was overwritten");
				if (word_get(dbg_redzone2(cachep, objp)) !=
				    RED_INACTIVE)
					slab_error(cachep, "end of a freed "
						   "object was overwritten");
			}
			if (cachep->dtor && !(cachep->flags & SLAB_POISON))
				(cachep->dtor)((char *)objp +
					       obj_offset(cachep), cachep, 0);
		}
	} else if (cachep->dtor) {
		for (i = 0; i < cachep->num; i++) {
			void *objp = index_to_obj(cachep, slabp, i);

			(cachep->dtor)(objp, cachep, 0);
		}
	}
}

/*
 * Destroy all the objs in a slab, and release the mem back to the system.
 * Before calling the slab must have been unlinked from the cache. With
 * SLAB_DESTROY_BY_RCU the pages go back only after a grace period.
 */
static void slab_destroy(struct kmem_cache *cachep, struct slab *slabp)
{
	void *addr = (char *)__va(slabp->s_mem) - slabp->colouroff;

	slab_destroy_objs(cachep, slabp);
	if (unlikely(cachep->flags & SLAB_DESTROY_BY_RCU)) {
		struct slab_rcu *slab_rcu;

		slab_rcu = (struct slab_rcu *)slabp;
		slab_rcu->cachep = __pa(cachep);
		slab_rcu->addr = __pa(addr);
		call_rcu(&slab_rcu->head, kmem_rcu_free);
	} else {
		kmem_freepages(cachep, addr);
		if (OFF_SLAB(cachep))
			kmem_cache_free(__va(cachep->slabp_cache), slabp);
	}
}

/*
 * For setting up all the kmem_list3s for cache whose buffer_size is same
 * as size of kmem_list3.
 */
static void set_up_list3s(struct kmem_cache *cachep, int index)
{
	int node;

	for_each_online_node(node) {
		set_cache_l3(cachep, node, initkmem_list3(index + node));
		cache_l3(cachep, node)->next_reap = jiffies32() +
			REAPTIMEOUT_LIST3 + reap_spread(cachep);
	}
}

/*
 * calculate_slab_order - calculate size (page order) of slabs, and the
 * number of objects per slab. Sets cachep->num (0 when nothing fits) and
 * cachep->gfporder; returns the left-over bytes.
 *
 * This could be made much more intelligent. For now, try to avoid using
 * high order pages for slabs.
 */
static size_t calculate_slab_order(struct kmem_cache *cachep,
				   size_t size, size_t align,
				   unsigned long flags)
{
	unsigned long offslab_limit;
	size_t left_over = 0;
	unsigned int gfporder;

	for (gfporder = 0; gfporder <= MAX_GFP_ORDER; gfporder++) {
		unsigned int num;
		size_t remainder;

		cache_estimate(gfporder, size, align, flags, &remainder, &num);
		if (!num)
			continue;

		if (flags & CFLGS_OFF_SLAB) {
			/*
			 * Max number of objs-per-slab for caches which
			 * use off-slab slabs. Needed to avoid a possible
			 * looping condition in cache_grow().
			 */
			offslab_limit = size - SLAB_SIZE;
			offslab_limit /= BUFCTL_SIZE;

			if (num > offslab_limit)
				break;
		}

		/* Found something acceptable - save it away */
		cachep->num = num;
		cachep->gfporder = gfporder;
		left_over = remainder;

		/*
		 * A VFS-reclaimable slab tends to have most allocations
		 * as GFP_NOFS and we really don't want to have to be allocating
		 * higher-order pages when we are unable to shrink dcache.
		 */
		if (flags & SLAB_RECLAIM_ACCOUNT)
			break;

		/*
		 * Large number of objects is good, but very large slabs are
		 * currently bad for the gfp()s.
		 */
		if (gfporder >= (unsigned int)slab_break_gfp_order)
			break;

		/* Acceptable internal fragmentation? */
		if (left_over * 8 <= (PAGE_SIZE << gfporder))
			break;
	}
	return left_over;
}

/*
 * Gives a new cache its first head arrays, by bootstrap stage. Returns 0,
 * or -ENOMEM (only once the slab is fully up) with no array allocated.
 */
static int setup_cpu_cache(struct kmem_cache *cachep)
{
	if (g_cpucache_up == FULL)
		return enable_cpucache(cachep);
	if (g_cpucache_up == NONE) {
		/*
		 * Note: the first kmem_cache_create must create the cache
		 * that's used by kmalloc(24), otherwise the creation of
		 * further caches will BUG().
		 */
		set_cache_array(cachep, smp_processor_id(), initarray_generic);

		/*
		 * If the cache that's used by kmalloc(sizeof(kmem_list3)) is
		 * the first cache, then we need to set up all its list3s,
		 * otherwise the creation of further caches will BUG().
		 */
		set_up_list3s(cachep, SIZE_AC);
		if (INDEX_AC == INDEX_L3)
			g_cpucache_up = PARTIAL_L3;
		else
			g_cpucache_up = PARTIAL_AC;
	} else {
		set_cache_array(cachep, smp_processor_id(),
				kmalloc(arraycache_init_size, GFP_KERNEL));

		if (g_cpucache_up == PARTIAL_AC) {
			set_up_list3s(cachep, SIZE_L3);
			g_cpucache_up = PARTIAL_L3;
		} else {
			int node;

			for_each_online_node(node) {
				set_cache_l3(cachep, node,
					     kmalloc_node(kmem_list3_size,
							  GFP_KERNEL, node));
				BUG_ON(!cache_l3(cachep, node));
				kmem_list3_init(cache_l3(cachep, node));
			}
		}
	}
	cache_l3(cachep, numa_node_id())->next_reap =
		jiffies32() + REAPTIMEOUT_LIST3 + reap_spread(cachep);

	cpu_cache_get(cachep)->avail = 0;
	cpu_cache_get(cachep)->limit = BOOT_CPUCACHE_ENTRIES;
	cpu_cache_get(cachep)->batchcount = 1;
	cpu_cache_get(cachep)->touched = 0;
	cachep->batchcount = 1;
	cachep->limit = BOOT_CPUCACHE_ENTRIES;
	return 0;
}

/* ------------------------------------------------------------------ */
/* kmem_cache_create                                                    */
/* ------------------------------------------------------------------ */

/*
 * kmem_cache_create - Create a cache. @name must stay valid until the
 * cache is destroyed. Returns the cache, or NULL (with the kernel's
 * message, nothing left allocated) on a duplicate name, an impossible
 * size or no memory; with SLAB_PANIC any failure panics. Where the kernel
 * BUG()s on an early usage error (no name, bad size, dtor without ctor)
 * this prints the kernel's message and returns NULL, so that a bad
 * workload is reported instead of stopping the simulated kernel.
 */
struct kmem_cache *kmem_cache_create(const char *name, size_t size,
				     size_t align, unsigned long flags,
				     kmem_ctor_t ctor, kmem_ctor_t dtor)
{
	size_t left_over, slab_size, ralign;
	struct kmem_cache *cachep = NULL;
	struct list_head *p;

	env_set_context(name);
	/*
	 * Sanity checks... these are all serious usage bugs.
	 */
	if (!name || in_interrupt() || (size < BYTES_PER_WORD) ||
	    (size > (1UL << MAX_OBJ_ORDER) * PAGE_SIZE) || (dtor && !ctor)) {
		printk(KERN_ERR "%s: Early error in slab %s\n", __func__,
		       name ? name : "(null)");
		if (flags & SLAB_PANIC)
			panic("kmem_cache_create(): failed to create slab `%s'\n",
			      name ? name : "(null)");
		return NULL;
	}

	/*
	 * Prevent CPUs from coming and going.
	 * lock_cpu_hotplug() nests outside cache_chain_mutex
	 */
	lock_cpu_hotplug();

	mutex_lock(&cache_chain_mutex);

	list_for_each(p, &cache_chain) {
		struct kmem_cache *pc = list_entry(p, struct kmem_cache, next);

		/*
		 * The kernel also warns about a cache whose name went away
		 * with its module; names here are owned by the caller and
		 * never vanish under us.
		 */
		if (!strcmp(pc->name, name)) {
			printk("kmem_cache_create: duplicate cache %s\n", name);
			dump_stack();
			goto oops;
		}
	}

	if (DEBUG) {
		WARN_ON(strchr(name, ' '));	/* It confuses parsers */
		if ((flags & SLAB_DEBUG_INITIAL) && !ctor) {
			/* No constructor, but inital state check requested */
			printk(KERN_ERR "%s: No con, but init state check "
			       "requested - %s\n", __func__, name);
			flags &= ~SLAB_DEBUG_INITIAL;
		}
	}
	if (FORCED_DEBUG) {
		/*
		 * Enable redzoning and last user accounting, except for
		 * caches with large objects, if the increased size would
		 * increase the object size above the next power of two:
		 * caches with object sizes just above a power of two have a
		 * significant amount of internal fragmentation.
		 */
		if (size < 4096 || fls(size - 1) ==
		    fls(size - 1 + 3 * BYTES_PER_WORD))
			flags |= SLAB_RED_ZONE | SLAB_STORE_USER;
		if (!(flags & SLAB_DESTROY_BY_RCU))
			flags |= SLAB_POISON;
	}
	if (DEBUG && (flags & SLAB_DESTROY_BY_RCU))
		BUG_ON(flags & SLAB_POISON);
	if (flags & SLAB_DESTROY_BY_RCU)
		BUG_ON(dtor);

	/*
	 * Always checks flags, a caller might be expecting debug support
	 * which isn't available.
	 */
	BUG_ON(flags & ~CREATE_MASK);

	/*
	 * Check that size is in terms of words. This is needed to avoid
	 * unaligned accesses for some archs when redzoning is used, and makes
	 * sure any on-slab bufctl's are also correctly aligned.
	 */
	if (size & (BYTES_PER_WORD - 1)) {
		size += (BYTES_PER_WORD - 1);
		size &= ~(BYTES_PER_WORD - 1);
	}

	/* calculate the final buffer alignment: */

	/* 1) arch recommendation: can be overridden for debug */
	if (flags & SLAB_HWCACHE_ALIGN) {
		/*
		 * Default alignment: as specified by the arch code. Except if
		 * an object is really small, then squeeze multiple objects
		 * into one cacheline.
		 */
		ralign = cache_line_size();
		while (size <= ralign / 2)
			ralign /= 2;
	} else {
		ralign = BYTES_PER_WORD;
	}
	/* 2) arch mandated alignment: disables debug if necessary */
	if (ralign < ARCH_SLAB_MINALIGN) {
		ralign = ARCH_SLAB_MINALIGN;
		if (ralign > BYTES_PER_WORD)
			flags &= ~(SLAB_RED_ZONE | SLAB_STORE_USER);
	}
	/* 3) caller mandated alignment: disables debug if necessary */
	if (ralign < align) {
		ralign = align;
		if (ralign > BYTES_PER_WORD)
			flags &= ~(SLAB_RED_ZONE | SLAB_STORE_USER);
	}
	/*
	 * 4) Store it. Note that the debug code below can reduce
	 *    the alignment to BYTES_PER_WORD.
	 */
	align = ralign;

	/* Get cache's description obj. */
	cachep = kmem_cache_zalloc(&cache_cache, SLAB_KERNEL);
	if (!cachep)
		goto oops;

	cachep->obj_size = size;
	if (DEBUG) {
		if (flags & SLAB_RED_ZONE) {
			/* redzoning only works with word aligned caches */
			align = BYTES_PER_WORD;

			/* add space for red zone words */
			cachep->obj_offset += BYTES_PER_WORD;
			size += 2 * BYTES_PER_WORD;
		}
		if (flags & SLAB_STORE_USER) {
			/*
			 * user store requires word alignment and
			 * one word storage behind the end of the real
			 * object.
			 */
			align = BYTES_PER_WORD;
			size += BYTES_PER_WORD;
		}
		/*
		 * The CONFIG_DEBUG_PAGEALLOC page-sized padding has no
		 * counterpart: the simulated machine does not unmap pages.
		 */
	}

	/* Determine if the slab management is 'on' or 'off' slab. */
	if (size >= (PAGE_SIZE >> 3))
		/*
		 * Size is large, assume best to place the slab management obj
		 * off-slab (should allow better packing of objs).
		 */
		flags |= CFLGS_OFF_SLAB;

	size = ALIGN(size, align);

	left_over = calculate_slab_order(cachep, size, align, flags);

	if (!cachep->num) {
		printk("kmem_cache_create: couldn't create cache %s.\n", name);
		kmem_cache_free(&cache_cache, cachep);
		cachep = NULL;
		goto oops;
	}
	slab_size = ALIGN(cachep->num * BUFCTL_SIZE + SLAB_SIZE, align);

	/*
	 * If the slab has been placed off-slab, and we have enough space then
	 * move it on-slab. This is at the expense of any extra colouring.
	 */
	if (flags & CFLGS_OFF_SLAB && left_over >= slab_size) {
		flags &= ~CFLGS_OFF_SLAB;
		left_over -= slab_size;
	}

	if (flags & CFLGS_OFF_SLAB) {
		/* really off slab. No need for manual alignment */
		slab_size = cachep->num * BUFCTL_SIZE + SLAB_SIZE;
	}

	cachep->colour_off = cache_line_size();
	/* Offset must be a multiple of the alignment. */
	if (cachep->colour_off < align)
		cachep->colour_off = align;
	cachep->colour = left_over / cachep->colour_off;
	cachep->slab_size = slab_size;
	cachep->flags = flags;
	cachep->gfpflags = 0;
	if (flags & SLAB_CACHE_DMA)
		cachep->gfpflags |= GFP_DMA;
	cachep->buffer_size = size;

	if (flags & CFLGS_OFF_SLAB)
		cachep->slabp_cache =
			__pa(kmem_find_general_cachep(slab_size, 0u));
	cachep->ctor = ctor;
	cachep->dtor = dtor;
	cachep->name = name;

	/*
	 * 2.6.17 ignores a failure here and leaves a cache without per-cpu
	 * arrays, which oopses on its first use; later kernels give the
	 * cache up instead, and so does this.
	 */
	if (setup_cpu_cache(cachep)) {
		kmem_cache_free(&cache_cache, cachep);
		cachep = NULL;
		goto oops;
	}

	/* cache setup completed, link it into the list */
	list_add(&cachep->next, &cache_chain);
oops:
	if (!cachep && (flags & SLAB_PANIC))
		panic("kmem_cache_create(): failed to create slab `%s'\n",
		      name);
	mutex_unlock(&cache_chain_mutex);
	unlock_cpu_hotplug();
	return cachep;
}

/* ------------------------------------------------------------------ */
/* Shrinking and destroying caches                                      */
/* ------------------------------------------------------------------ */

static void check_irq_off(void)
{
	if (CHECKS)
		BUG_ON(!irqs_disabled());
}

static void check_irq_on(void)
{
	if (CHECKS)
		BUG_ON(irqs_disabled());
}

static void check_spinlock_acquired(struct kmem_cache *cachep)
{
	if (CHECKS) {
		check_irq_off();
		assert_spin_locked(&cache_l3(cachep, numa_node_id())->list_lock);
	}
}

static void check_spinlock_acquired_node(struct kmem_cache *cachep, int node)
{
	if (CHECKS) {
		check_irq_off();
		assert_spin_locked(&cache_l3(cachep, node)->list_lock);
	}
}

/* on_each_cpu() helper: give this CPU's array back to the lists. */
static void do_drain(void *arg)
{
	struct kmem_cache *cachep = arg;
	struct array_cache *ac;
	int node = numa_node_id();

	check_irq_off();
	ac = cpu_cache_get(cachep);
	spin_lock(&cache_l3(cachep, node)->list_lock);
	free_block(cachep, ac->entry, ac->avail, node);
	spin_unlock(&cache_l3(cachep, node)->list_lock);
	ac->avail = 0;
}

/* Empties every per-cpu, alien and shared array of cachep. */
static void drain_cpu_caches(struct kmem_cache *cachep)
{
	struct kmem_list3 *l3;
	int node;

	on_each_cpu(do_drain, cachep, 1, 1);
	check_irq_on();
	for_each_online_node(node) {
		l3 = cache_l3(cachep, node);
		if (l3 && l3->alien)
			drain_alien_cache(cachep, __va(l3->alien));
	}

	for_each_online_node(node) {
		l3 = cache_l3(cachep, node);
		if (l3)
			drain_array(cachep, l3, __va(l3->shared),
				    1 /* force */, node);
	}
}

/*
 * Frees every free slab of node; called and returns with l3->list_lock
 * held, dropping it around each slab_destroy. Returns nonzero while full
 * or partial slabs remain.
 */
static int __node_shrink(struct kmem_cache *cachep, int node)
{
	struct slab *slabp;
	struct kmem_list3 *l3 = cache_l3(cachep, node);
	int ret;

	for (;;) {
		struct list_head *p;

		p = list_prev(&l3->slabs_free);
		if (p == &l3->slabs_free)
			break;

		slabp = list_entry(list_prev(&l3->slabs_free), struct slab,
				   list);
		if (DEBUG)
			BUG_ON(slabp->inuse);
		list_del(&slabp->list);

		l3->free_objects -= cachep->num;
		spin_unlock_irq(&l3->list_lock);
		slab_destroy(cachep, slabp);
		spin_lock_irq(&l3->list_lock);
	}
	ret = !list_empty(&l3->slabs_full) || !list_empty(&l3->slabs_partial);
	return ret;
}

static int __cache_shrink(struct kmem_cache *cachep)
{
	int ret = 0, i = 0;
	struct kmem_list3 *l3;

	drain_cpu_caches(cachep);

	check_irq_on();
	for_each_online_node(i) {
		l3 = cache_l3(cachep, i);
		if (l3) {
			spin_lock_irq(&l3->list_lock);
			ret += __node_shrink(cachep, i);
			spin_unlock_irq(&l3->list_lock);
		}
	}
	return (ret ? 1 : 0);
}

/*
 * kmem_cache_shrink - Releases as many slabs as possible for a cache.
 * Returns 0 when all slabs were released, 1 when some are still in use.
 */
int kmem_cache_shrink(struct kmem_cache *cachep)
{
	BUG_ON(!cachep || in_interrupt());
	return __cache_shrink(cachep);
}

/*
 * kmem_cache_destroy - delete a cache. The cache must be empty; returns 0
 * and frees everything, or 1 (with the kernel's slab_error) and leaves the
 * cache on the chain, still usable, when objects are still allocated.
 */
int kmem_cache_destroy(struct kmem_cache *cachep)
{
	int i;
	struct kmem_list3 *l3;

	BUG_ON(!cachep || in_interrupt());

	/* Don't let CPUs to come and go */
	lock_cpu_hotplug();

	/* Find the cache in the chain of caches. */
	mutex_lock(&cache_chain_mutex);
	/*
	 * the chain is never empty, cache_cache is never destroyed
	 */
	list_del(&cachep->next);
	mutex_unlock(&cache_chain_mutex);

	if (__cache_shrink(cachep)) {
		slab_error(cachep, "Can't free all objects");
		mutex_lock(&cache_chain_mutex);
		list_add(&cachep->next, &cache_chain);
		mutex_unlock(&cache_chain_mutex);
		unlock_cpu_hotplug();
		return 1;
	}

	if (unlikely(cachep->flags & SLAB_DESTROY_BY_RCU))
		synchronize_rcu();

	for_each_online_cpu(i)
		kfree(cache_array(cachep, i));

	/* NUMA: free the list3 structures */
	for_each_online_node(i) {
		l3 = cache_l3(cachep, i);
		if (l3) {
			kfree(__va(l3->shared));
			free_alien_cache(__va(l3->alien));
			kfree(l3);
		}
	}
	kmem_cache_free(&cache_cache, cachep);
	unlock_cpu_hotplug();
	return 0;
}

/* ------------------------------------------------------------------ */
/* Growing a cache                                                      */
/* ------------------------------------------------------------------ */

/*
 * Get the memory for a slab management obj: inside the slab after the
 * colour, or from slabp_cache. Returns NULL when the latter fails.
 */
static struct slab *alloc_slabmgmt(struct kmem_cache *cachep, void *objp,
				   int colour_off, gfp_t local_flags,
				   int nodeid)
{
	struct slab *slabp;

	if (OFF_SLAB(cachep)) {
		/* Slab management obj is off-slab. */
		slabp = kmem_cache_alloc_node(__va(cachep->slabp_cache),
					      local_flags, nodeid);
		if (!slabp)
			return NULL;
	} else {
		slabp = (struct slab *)((char *)objp + colour_off);
		colour_off += cachep->slab_size;
	}
	slabp->inuse = 0;
	slabp->colouroff = colour_off;
	slabp->s_mem = __pa((char *)objp + colour_off);
	slabp->nodeid = nodeid;
	return slabp;
}

/* Constructs (or, with debug, poisons and red-zones) a new slab's objects. */
static void cache_init_objs(struct kmem_cache *cachep, struct slab *slabp,
			    unsigned long ctor_flags)
{
	unsigned int i;

	for (i = 0; i < cachep->num; i++) {
		void *objp = index_to_obj(cachep, slabp, i);

		if (DEBUG) {
			/* need to poison the objs? */
			if (cachep->flags & SLAB_POISON)
				poison_obj(cachep, objp, POISON_FREE);
			if (cachep->flags & SLAB_STORE_USER)
				word_set(dbg_userword(cachep, objp), 0);

			if (cachep->flags & SLAB_RED_ZONE) {
				word_set(dbg_redzone1(cachep, objp),
					 RED_INACTIVE);
				word_set(dbg_redzone2(cachep, objp),
					 RED_INACTIVE);
			}
			/*
			 * Constructors are not allowed to allocate memory
			 * from the same cache which they are a constructor
			 * for. Otherwise, deadlock. They must also be
			 * threaded.
			 */
			if (cachep->ctor && !(cachep->flags & SLAB_POISON))
				cachep->ctor((char *)objp + obj_offset(cachep),
					     cachep, ctor_flags);

			if (cachep->flags & SLAB_RED_ZONE) {
				if (word_get(dbg_redzone2(cachep, objp)) !=
				    RED_INACTIVE)
					slab_error(cachep, "constructor "
						   "overwrote the end of an "
						   "object");
				if (word_get(dbg_redzone1(cachep, objp)) !=
				    RED_INACTIVE)
					slab_error(cachep, "constructor "
						   "overwrote the start of an "
						   "object");
			}
			/* kernel_map_pages: no page unmapping here. */
		} else if (cachep->ctor) {
			cachep->ctor(objp, cachep, ctor_flags);
		}
		bufctl_set(slabp, i, i + 1);
	}
	bufctl_set(slabp, i - 1, BUFCTL_END);
	slabp->free = 0;
}

static void kmem_flagcheck(struct kmem_cache *cachep, gfp_t flags)
{
	if (flags & SLAB_DMA)
		BUG_ON(!(cachep->gfpflags & GFP_DMA));
	else
		BUG_ON(cachep->gfpflags & GFP_DMA);
}

/* Takes the first free object off a slab; the caller holds list_lock. */
static void *slab_get_obj(struct kmem_cache *cachep, struct slab *slabp,
			  int nodeid)
{
	void *objp = index_to_obj(cachep, slabp, slabp->free);
	kmem_bufctl_t next;

	touch_slab(slabp, true);
	touch_bufctl(slabp, slabp->free, false);
	slabp->inuse++;
	next = bufctl_get(slabp, slabp->free);
	if (DEBUG) {
		bufctl_set(slabp, slabp->free, BUFCTL_FREE);
		WARN_ON(slabp->nodeid != nodeid);
	}
	slabp->free = next;

	return objp;
}

/*
 * Puts objp back on its slab's free list; the caller holds list_lock.
 * With debug, an object already on the free list is a double free: the
 * kernel's message, then BUG.
 */
static void slab_put_obj(struct kmem_cache *cachep, struct slab *slabp,
			 void *objp, int nodeid)
{
	unsigned int objnr = obj_to_index(cachep, slabp, objp);

	touch_slab(slabp, true);
	touch_bufctl(slabp, objnr, true);
	if (DEBUG) {
		kmem_bufctl_t ones = bufctl_ones();

		/* Verify that the slab belongs to the intended node */
		WARN_ON(slabp->nodeid != nodeid);

		if (((bufctl_get(slabp, objnr) + 1) & ones) <=
		    ((SLAB_LIMIT + 1) & ones)) {
			printk(KERN_ERR "slab: double free detected in cache "
			       "'%s', objp %0*lx\n", cachep->name,
			       KPTR(objp));
			BUG();
		}
	}
	bufctl_set(slabp, objnr, slabp->free);
	slabp->free = objnr;
	slabp->inuse--;
}

/*
 * Map pages beginning at addr to the given cache and slab. This is
 * required for the slab allocator to be able to lookup the cache and slab
 * of a virtual address for kfree, ksize, kmem_ptr_validate, and slab
 * debugging.
 */
static void slab_map_pages(struct kmem_cache *cache, struct slab *slab,
			   void *addr)
{
	int nr_pages = 1 << cache->gfporder;
	int i;

	for (i = 0; i < nr_pages; i++) {
		struct page *page = virt_to_page((char *)addr + i * PAGE_SIZE);

		page_set_cache(page, cache);
		page_set_slab(page, slab);
	}
}

/*
 * Grow (by 1) the number of slabs within a cache on nodeid. Called with
 * irqs off; returns 1 with a new free slab on the node's list, or 0 when
 * the page (or off-slab management) allocation failed and nothing changed
 * but the colour.
 */
static int cache_grow(struct kmem_cache *cachep, gfp_t flags, int nodeid)
{
	struct slab *slabp;
	void *objp;
	size_t offset;
	gfp_t local_flags;
	unsigned long ctor_flags;
	struct kmem_list3 *l3;

	/*
	 * Be lazy and only check for valid flags here, keeping it out of
	 * the critical path in kmem_cache_alloc().
	 */
	BUG_ON(flags & ~(SLAB_DMA | SLAB_LEVEL_MASK | SLAB_NO_GROW));
	if (flags & SLAB_NO_GROW)
		return 0;

	ctor_flags = SLAB_CTOR_CONSTRUCTOR;
	local_flags = (flags & SLAB_LEVEL_MASK);
	if (!(local_flags & __GFP_WAIT))
		/*
		 * Not allowed to sleep. Need to tell a constructor about
		 * this - it might need to know...
		 */
		ctor_flags |= SLAB_CTOR_ATOMIC;

	/* Take the l3 list lock to change the colour_next on this node */
	check_irq_off();
	l3 = cache_l3(cachep, nodeid);
	spin_lock(&l3->list_lock);
	touch_l3(l3);

	/* Get colour for the slab, and cal the next value. */
	offset = l3->colour_next;
	l3->colour_next++;
	if (l3->colour_next >= cachep->colour)
		l3->colour_next = 0;
	spin_unlock(&l3->list_lock);

	offset *= cachep->colour_off;
	/*
	 * slabsim departure: a workload may switch colouring off to measure
	 * what it buys. colour_next still advances; only the offset is 0.
	 */
	if (!slab_colouring(cachep))
		offset = 0;

	if (local_flags & __GFP_WAIT)
		local_irq_enable();

	/*
	 * The test for missing atomic flag is performed here, rather than
	 * the more obvious place, simply to reduce the critical path length
	 * in kmem_cache_alloc(). If a caller is seriously mis-behaving they
	 * will eventually be caught here (where it matters).
	 */
	kmem_flagcheck(cachep, flags);

	/*
	 * Get mem for the objs. Attempt to allocate a physical page from
	 * 'nodeid'.
	 */
	objp = kmem_getpages(cachep, flags, nodeid);
	if (!objp)
		goto failed;

	/* Get slab management. */
	slabp = alloc_slabmgmt(cachep, objp, offset, local_flags, nodeid);
	if (!slabp)
		goto opps1;

	slabp->nodeid = nodeid;
	slab_map_pages(cachep, slabp, objp);

	cache_init_objs(cachep, slabp, ctor_flags);

	if (local_flags & __GFP_WAIT)
		local_irq_disable();
	check_irq_off();
	spin_lock(&l3->list_lock);

	/* Make slab active. */
	list_add_tail(&slabp->list, &(l3->slabs_free));
	STATS_INC_GROWN(cachep);
	l3->free_objects += cachep->num;
	spin_unlock(&l3->list_lock);
	return 1;
opps1:
	kmem_freepages(cachep, objp);
failed:
	if (local_flags & __GFP_WAIT)
		local_irq_disable();
	return 0;
}

/* ------------------------------------------------------------------ */
/* Debug checks on free and alloc                                       */
/* ------------------------------------------------------------------ */

/*
 * Perform extra freeing checks:
 * - detect bad pointers.
 * - POISON/RED_ZONE checking
 * - destructor calls, for caches with POISON+dtor
 */
static void kfree_debugcheck(const void *objp)
{
	struct page *page;

	if (!virt_addr_valid(objp)) {
		printk(KERN_ERR "kfree_debugcheck: out of range ptr %lxh.\n",
		       kaddr(objp));
		BUG();
	}
	page = virt_to_page(objp);
	if (!PageSlab(page)) {
		printk(KERN_ERR "kfree_debugcheck: bad ptr %lxh.\n",
		       kaddr(objp));
		BUG();
	}
}

/*
 * Debug checks of a free: returns the start of the buffer (before the red
 * zone), red zones set inactive, the caller stored, the object poisoned.
 */
static void *cache_free_debugcheck(struct kmem_cache *cachep, void *objp,
				   unsigned long caller)
{
	struct page *page;
	unsigned int objnr;
	struct slab *slabp;

	objp = (char *)objp - obj_offset(cachep);
	kfree_debugcheck(objp);
	page = virt_to_page(objp);

	if (page_get_cache(page) != cachep) {
		printk(KERN_ERR "mismatch in kmem_cache_free: expected "
		       "cache %0*lx, got %0*lx\n",
		       KPTR(page_get_cache(page)), KPTR(cachep));
		printk(KERN_ERR "%0*lx is %s.\n", KPTR(cachep), cachep->name);
		printk(KERN_ERR "%0*lx is %s.\n", KPTR(page_get_cache(page)),
		       page_get_cache(page)->name);
		(void)WARN_ON(1);
	}
	slabp = page_get_slab(page);

	if (cachep->flags & SLAB_RED_ZONE) {
		if (word_get(dbg_redzone1(cachep, objp)) != RED_ACTIVE ||
		    word_get(dbg_redzone2(cachep, objp)) != RED_ACTIVE) {
			slab_error(cachep, "double free, or memory outside"
				   " object was overwritten");
			printk(KERN_ERR "%0*lx: redzone 1:0x%lx, "
			       "redzone 2:0x%lx.\n", KPTR(objp),
			       word_get(dbg_redzone1(cachep, objp)),
			       word_get(dbg_redzone2(cachep, objp)));
		}
		word_set(dbg_redzone1(cachep, objp), RED_INACTIVE);
		word_set(dbg_redzone2(cachep, objp), RED_INACTIVE);
	}
	if (cachep->flags & SLAB_STORE_USER)
		word_set(dbg_userword(cachep, objp), caller);

	objnr = obj_to_index(cachep, slabp, objp);

	BUG_ON(objnr >= cachep->num);
	BUG_ON(objp != index_to_obj(cachep, slabp, objnr));

	if (cachep->flags & SLAB_DEBUG_INITIAL) {
		/*
		 * Need to call the slab's constructor so the caller can
		 * perform a verify of its state (debugging). Called without
		 * the cache-lock held.
		 */
		cachep->ctor((char *)objp + obj_offset(cachep), cachep,
			     SLAB_CTOR_CONSTRUCTOR | SLAB_CTOR_VERIFY);
	}
	if (cachep->flags & SLAB_POISON && cachep->dtor) {
		/*
		 * we want to cache poison the object,
		 * call the destruction callback
		 */
		cachep->dtor((char *)objp + obj_offset(cachep), cachep, 0);
	}
	/* CONFIG_DEBUG_SLAB_LEAK: mark the object free in its bufctl. */
	bufctl_set(slabp, objnr, BUFCTL_FREE);
	if (cachep->flags & SLAB_POISON)
		poison_obj(cachep, objp, POISON_FREE);
	return objp;
}

/*
 * The free list of a slab must hold exactly num - inuse valid indices;
 * anything else is list corruption: hexdump and BUG.
 */
static void check_slabp(struct kmem_cache *cachep, struct slab *slabp)
{
	kmem_bufctl_t i;
	unsigned int entries = 0;

	if (!DEBUG)
		return;
	/* Check slab's freelist to see if this obj is there. */
	for (i = slabp->free; i != BUFCTL_END; i = bufctl_get(slabp, i)) {
		entries++;
		if (entries > cachep->num || i >= cachep->num)
			goto bad;
	}
	if (entries != cachep->num - slabp->inuse) {
		size_t j;
bad:
		printk(KERN_ERR "slab: Internal list corruption detected in "
		       "cache '%s'(%d), slabp %0*lx(%d). Hexdump:\n",
		       cachep->name, cachep->num, KPTR(slabp), slabp->inuse);
		for (j = 0; j < SLAB_SIZE + cachep->num * BUFCTL_SIZE; j++) {
			if ((j % 16) == 0)
				printk("\n%03zx:", j);
			printk(" %02x", ((unsigned char *)slabp)[j]);
		}
		printk("\n");
		BUG();
	}
}

/* ------------------------------------------------------------------ */
/* Allocation                                                           */
/* ------------------------------------------------------------------ */

/*
 * The per-cpu array is empty: refill it from the shared array or the
 * node's slabs (growing the cache if needed) and return one object.
 * Called with irqs off; returns NULL when no memory could be found.
 */
static void *cache_alloc_refill(struct kmem_cache *cachep, gfp_t flags)
{
	int batchcount;
	struct kmem_list3 *l3;
	struct array_cache *ac;

retry:
	check_irq_off();
	ac = cpu_cache_get(cachep);
	batchcount = ac->batchcount;
	if (!ac->touched && batchcount > BATCHREFILL_LIMIT) {
		/*
		 * If there was little recent activity on this cache, then
		 * perform only a partial refill. Otherwise we could generate
		 * refill bouncing.
		 */
		batchcount = BATCHREFILL_LIMIT;
	}
	l3 = cache_l3(cachep, numa_node_id());

	BUG_ON(ac->avail > 0 || !l3);
	spin_lock(&l3->list_lock);
	touch_l3(l3);

	/* See if we can refill from the shared array */
	if (l3->shared && transfer_objects(ac, __va(l3->shared), batchcount))
		goto alloc_done;

	while (batchcount > 0) {
		struct list_head *entry;
		struct slab *slabp;

		/* Get slab alloc is to come from. */
		entry = list_next(&l3->slabs_partial);
		if (entry == &l3->slabs_partial) {
			l3->free_touched = 1;
			entry = list_next(&l3->slabs_free);
			if (entry == &l3->slabs_free)
				goto must_grow;
		}

		slabp = list_entry(entry, struct slab, list);
		check_slabp(cachep, slabp);
		check_spinlock_acquired(cachep);
		while (slabp->inuse < cachep->num && batchcount--) {
			STATS_INC_ALLOCED(cachep);
			STATS_INC_ACTIVE(cachep);
			STATS_SET_HIGH(cachep);

			touch_ac_entry(ac, ac->avail, true);
			ac->entry[ac->avail++] = __pa(slab_get_obj(cachep,
						slabp, numa_node_id()));
		}
		check_slabp(cachep, slabp);

		/* move slabp to correct slabp list: */
		list_del(&slabp->list);
		if (slabp->free == BUFCTL_END)
			list_add(&slabp->list, &l3->slabs_full);
		else
			list_add(&slabp->list, &l3->slabs_partial);
	}

must_grow:
	l3->free_objects -= ac->avail;
alloc_done:
	spin_unlock(&l3->list_lock);

	if (unlikely(!ac->avail)) {
		int x;

		x = cache_grow(cachep, flags, numa_node_id());

		/* cache_grow can reenable interrupts, then ac could change. */
		ac = cpu_cache_get(cachep);
		if (!x && ac->avail == 0)	/* no objects in sight? abort */
			return NULL;

		if (!ac->avail)		/* objects refilled by interrupt? */
			goto retry;
	}
	ac->touched = 1;
	touch_ac(ac, true);
	return __va(ac->entry[--ac->avail]);
}

static inline void cache_alloc_debugcheck_before(struct kmem_cache *cachep,
						 gfp_t flags)
{
	if (DEBUG)
		kmem_flagcheck(cachep, flags);
}

/*
 * Debug checks of an allocation: poison intact, red zones inactive. Marks
 * the object active and returns the user pointer (after the red zone).
 */
static void *cache_alloc_debugcheck_after(struct kmem_cache *cachep,
					  gfp_t flags, void *objp,
					  unsigned long caller)
{
	struct slab *slabp;
	unsigned int objnr;

	if (!DEBUG || !objp)
		return objp;
	if (cachep->flags & SLAB_POISON) {
		check_poison_obj(cachep, objp);
		poison_obj(cachep, objp, POISON_INUSE);
	}
	if (cachep->flags & SLAB_STORE_USER)
		word_set(dbg_userword(cachep, objp), caller);

	if (cachep->flags & SLAB_RED_ZONE) {
		if (word_get(dbg_redzone1(cachep, objp)) != RED_INACTIVE ||
		    word_get(dbg_redzone2(cachep, objp)) != RED_INACTIVE) {
			slab_error(cachep, "double free, or memory outside"
				   " object was overwritten");
			printk(KERN_ERR
			       "%0*lx: redzone 1:0x%lx, redzone 2:0x%lx\n",
			       KPTR(objp),
			       word_get(dbg_redzone1(cachep, objp)),
			       word_get(dbg_redzone2(cachep, objp)));
		}
		word_set(dbg_redzone1(cachep, objp), RED_ACTIVE);
		word_set(dbg_redzone2(cachep, objp), RED_ACTIVE);
	}
	/* CONFIG_DEBUG_SLAB_LEAK: mark the object active in its bufctl. */
	slabp = page_get_slab(virt_to_page(objp));
	objnr = obj_to_index(cachep, slabp, objp);
	bufctl_set(slabp, objnr, BUFCTL_ACTIVE);

	objp = (char *)objp + obj_offset(cachep);
	if (cachep->ctor && cachep->flags & SLAB_POISON) {
		unsigned long ctor_flags = SLAB_CTOR_CONSTRUCTOR;

		if (!(flags & __GFP_WAIT))
			ctor_flags |= SLAB_CTOR_ATOMIC;

		cachep->ctor(objp, cachep, ctor_flags);
	}
	return objp;
}

/* The fast path: an object from this CPU's array, else a refill. */
static inline void *____cache_alloc(struct kmem_cache *cachep, gfp_t flags)
{
	void *objp;
	struct array_cache *ac;

	check_irq_off();
	if (unlikely(current->flags & (PF_SPREAD_SLAB | PF_MEMPOLICY))) {
		objp = alternate_node_alloc(cachep, flags);
		if (objp != NULL)
			return objp;
	}

	mem_touch(&cachep->slots[smp_processor_id()], sizeof(pa_t), false);
	ac = cpu_cache_get(cachep);
	touch_ac(ac, true);
	if (likely(ac->avail)) {
		STATS_INC_ALLOCHIT(cachep);
		ac->touched = 1;
		touch_ac_entry(ac, ac->avail - 1, false);
		objp = __va(ac->entry[--ac->avail]);
	} else {
		STATS_INC_ALLOCMISS(cachep);
		objp = cache_alloc_refill(cachep, flags);
	}
	return objp;
}

static inline void *__cache_alloc(struct kmem_cache *cachep, gfp_t flags,
				  unsigned long caller)
{
	unsigned long save_flags;
	void *objp;

	env_set_context(cachep->name);
	cache_alloc_debugcheck_before(cachep, flags);

	local_irq_save(save_flags);
	objp = ____cache_alloc(cachep, flags);
	local_irq_restore(save_flags);
	objp = cache_alloc_debugcheck_after(cachep, flags, objp, caller);
	/* prefetchw(objp) */
	if (objp)
		mem_touch(objp, min((size_t)cachep->buffer_size,
				    cache_line_size()), true);
	return objp;
}

/*
 * Try allocating on another node if PF_SPREAD_SLAB|PF_MEMPOLICY.
 * In interrupt context, process policy does not apply: returns NULL and
 * the caller allocates locally.
 */
static void *alternate_node_alloc(struct kmem_cache *cachep, gfp_t flags)
{
	int nid_alloc, nid_here;

	if (in_interrupt())
		return NULL;
	nid_alloc = nid_here = numa_node_id();
	if (cpuset_do_slab_mem_spread() && (cachep->flags & SLAB_MEM_SPREAD))
		nid_alloc = cpuset_mem_spread_node();
	else if (current->mempolicy)
		nid_alloc = slab_node(current->mempolicy);
	if (nid_alloc != nid_here)
		return __cache_alloc_node(cachep, flags, nid_alloc);
	return NULL;
}

/*
 * An object straight from nodeid's slab lists, bypassing the arrays,
 * growing that node if needed. Called with irqs off; NULL on failure.
 */
static void *__cache_alloc_node(struct kmem_cache *cachep, gfp_t flags,
				int nodeid)
{
	struct list_head *entry;
	struct slab *slabp;
	struct kmem_list3 *l3;
	void *obj;
	int x;

	l3 = cache_l3(cachep, nodeid);
	BUG_ON(!l3);

retry:
	check_irq_off();
	spin_lock(&l3->list_lock);
	touch_l3(l3);
	entry = list_next(&l3->slabs_partial);
	if (entry == &l3->slabs_partial) {
		l3->free_touched = 1;
		entry = list_next(&l3->slabs_free);
		if (entry == &l3->slabs_free)
			goto must_grow;
	}

	slabp = list_entry(entry, struct slab, list);
	check_spinlock_acquired_node(cachep, nodeid);
	check_slabp(cachep, slabp);

	STATS_INC_NODEALLOCS(cachep);
	STATS_INC_ACTIVE(cachep);
	STATS_SET_HIGH(cachep);

	BUG_ON(slabp->inuse == cachep->num);

	obj = slab_get_obj(cachep, slabp, nodeid);
	check_slabp(cachep, slabp);
	l3->free_objects--;
	/* move slabp to correct slabp list: */
	list_del(&slabp->list);

	if (slabp->free == BUFCTL_END)
		list_add(&slabp->list, &l3->slabs_full);
	else
		list_add(&slabp->list, &l3->slabs_partial);

	spin_unlock(&l3->list_lock);
	goto done;

must_grow:
	spin_unlock(&l3->list_lock);
	x = cache_grow(cachep, flags, nodeid);

	if (!x)
		return NULL;

	goto retry;
done:
	return obj;
}

/* ------------------------------------------------------------------ */
/* Freeing                                                              */
/* ------------------------------------------------------------------ */

/*
 * Give nr_objects objects back to their slabs on node; the caller holds
 * that node's list_lock. A slab that becomes free is destroyed when the
 * node already has more than free_limit free objects.
 */
static void free_block(struct kmem_cache *cachep, pa_t *objpp, int nr_objects,
		       int node)
{
	int i;
	struct kmem_list3 *l3;

	for (i = 0; i < nr_objects; i++) {
		void *objp = __va(objpp[i]);
		struct slab *slabp;

		slabp = virt_to_slab(objp);
		l3 = cache_l3(cachep, node);
		list_del(&slabp->list);
		check_spinlock_acquired_node(cachep, node);
		check_slabp(cachep, slabp);
		slab_put_obj(cachep, slabp, objp, node);
		STATS_DEC_ACTIVE(cachep);
		l3->free_objects++;
		check_slabp(cachep, slabp);

		/* fixup slab chains */
		if (slabp->inuse == 0) {
			if (l3->free_objects > l3->free_limit) {
				l3->free_objects -= cachep->num;
				slab_destroy(cachep, slabp);
			} else {
				list_add(&slabp->list, &l3->slabs_free);
			}
		} else {
			/*
			 * Unconditionally move a slab to the end of the
			 * partial list on free - maximum time for the
			 * other objects to be freed, too.
			 */
			list_add_tail(&slabp->list, &l3->slabs_partial);
		}
	}
}

/*
 * The per-cpu array is full: move its oldest batchcount objects to the
 * shared array (as many as fit) or back to the slabs.
 */
static void cache_flusharray(struct kmem_cache *cachep, struct array_cache *ac)
{
	int batchcount;
	struct kmem_list3 *l3;
	int node = numa_node_id();

	batchcount = ac->batchcount;
	if (DEBUG)
		BUG_ON(!batchcount || batchcount > (int)ac->avail);
	check_irq_off();
	l3 = cache_l3(cachep, node);
	spin_lock(&l3->list_lock);
	touch_l3(l3);
	if (l3->shared) {
		struct array_cache *shared_array = __va(l3->shared);
		int max = shared_array->limit - shared_array->avail;

		if (max) {
			if (batchcount > max)
				batchcount = max;
			/* a copy into simulated memory stays inside the array */
			BUG_ON(batchcount < 0 || shared_array->avail +
			       (unsigned int)batchcount > shared_array->limit);
			touch_ac(shared_array, true);
			memcpy(&(shared_array->entry[shared_array->avail]),
			       ac->entry, sizeof(pa_t) * batchcount);
			cpu_work(WORK_MEMCPY, batchcount * BYTES_PER_WORD);
			shared_array->avail += batchcount;
			goto free_done;
		}
	}

	free_block(cachep, ac->entry, batchcount, node);
free_done:
	{
		/* STATS: how many free slabs could the reaper take now? */
		unsigned long i = 0;
		struct list_head *p;

		p = list_next(&l3->slabs_free);
		while (p != &(l3->slabs_free)) {
			struct slab *slabp;

			slabp = list_entry(p, struct slab, list);
			BUG_ON(slabp->inuse);

			i++;
			p = list_next(p);
		}
		STATS_SET_FREEABLE(cachep, i);
	}
	spin_unlock(&l3->list_lock);
	ac->avail -= batchcount;
	memmove(ac->entry, &(ac->entry[batchcount]), sizeof(pa_t) * ac->avail);
	cpu_work(WORK_MEMCPY, ac->avail * BYTES_PER_WORD);
}

/*
 * Release an obj back to its cache. If the obj has a constructed state,
 * it must be in this state _before_ it is released. Called with disabled
 * ints.
 */
static inline void __cache_free(struct kmem_cache *cachep, void *objp)
{
	struct array_cache *ac = cpu_cache_get(cachep);

	check_irq_off();
	env_set_context(cachep->name);
	if (DEBUG)
		objp = cache_free_debugcheck(cachep, objp, env_call_site());
	else
		/*
		 * Without debug the kernel would follow a stray pointer's
		 * page into garbage and oops; stop cleanly instead.
		 */
		BUG_ON(!virt_addr_valid(objp) || !PageSlab(virt_to_page(objp)));
	mem_touch(objp, min((size_t)cachep->buffer_size, cache_line_size()),
		  false);

	if (cache_free_alien(cachep, objp))
		return;

	mem_touch(&cachep->slots[smp_processor_id()], sizeof(pa_t), false);
	touch_ac(ac, true);
	if (likely(ac->avail < ac->limit)) {
		STATS_INC_FREEHIT(cachep);
		touch_ac_entry(ac, ac->avail, true);
		ac->entry[ac->avail++] = __pa(objp);
		return;
	} else {
		STATS_INC_FREEMISS(cachep);
		cache_flusharray(cachep, ac);
		touch_ac_entry(ac, ac->avail, true);
		ac->entry[ac->avail++] = __pa(objp);
	}
}

/* ------------------------------------------------------------------ */
/* The public allocation interface                                      */
/* ------------------------------------------------------------------ */

/*
 * kmem_cache_alloc - Allocate an object. The flags are only relevant if
 * the cache has no available objects. Returns NULL when out of memory.
 */
void *kmem_cache_alloc(struct kmem_cache *cachep, gfp_t flags)
{
	return __cache_alloc(cachep, flags, env_call_site());
}

/* kmem_cache_zalloc - kmem_cache_alloc, then the object set to zero. */
void *kmem_cache_zalloc(struct kmem_cache *cache, gfp_t flags)
{
	void *ret = __cache_alloc(cache, flags, env_call_site());

	if (ret) {
		memset(ret, 0, obj_size(cache));
		cpu_work(WORK_MEMSET, obj_size(cache));
	}
	return ret;
}

/*
 * kmem_ptr_validate - check if an untrusted pointer might be a slab entry
 * of cachep: inside memory, word aligned, on a slab page of that cache.
 * Returns 1 if it looks half-way sane, 0 otherwise.
 */
int kmem_ptr_validate(struct kmem_cache *cachep, void *ptr)
{
	unsigned long addr = (unsigned long)__pa(ptr);
	unsigned long align_mask = BYTES_PER_WORD - 1;
	unsigned long size = cachep->buffer_size;
	struct page *page;

	/* min_addr and high_memory: the arena bounds, via virt_addr_valid */
	if (unlikely(!ptr || !virt_addr_valid(ptr)))
		goto out;
	if (unlikely(addr & align_mask))
		goto out;
	if (unlikely(!virt_addr_valid((char *)ptr + size - 1)))
		goto out;
	page = virt_to_page(ptr);
	if (unlikely(!PageSlab(page)))
		goto out;
	if (unlikely(page_get_cache(page) != cachep))
		goto out;
	return 1;
out:
	return 0;
}

/*
 * kmem_cache_alloc_node - Allocate an object on the specified node; from
 * the per-cpu array when that node is this one (or -1, or has no lists),
 * else straight from that node's slabs. Returns NULL when out of memory.
 */
void *kmem_cache_alloc_node(struct kmem_cache *cachep, gfp_t flags, int nodeid)
{
	unsigned long save_flags;
	void *ptr;

	env_set_context(cachep->name);
	cache_alloc_debugcheck_before(cachep, flags);
	local_irq_save(save_flags);

	if (nodeid == -1 || nodeid == numa_node_id() ||
	    !cache_l3(cachep, nodeid))
		ptr = ____cache_alloc(cachep, flags);
	else
		ptr = __cache_alloc_node(cachep, flags, nodeid);
	local_irq_restore(save_flags);

	ptr = cache_alloc_debugcheck_after(cachep, flags, ptr,
					   env_call_site());
	return ptr;
}

void *kmalloc_node(size_t size, gfp_t flags, int node)
{
	struct kmem_cache *cachep;

	cachep = kmem_find_general_cachep(size, flags);
	if (unlikely(cachep == NULL))
		return NULL;
	return kmem_cache_alloc_node(cachep, flags, node);
}

/*
 * kmalloc - allocate memory from the first general cache that is large
 * enough (the DMA twin with GFP_DMA). Returns NULL above 131072 bytes or
 * when out of memory.
 */
static inline void *__do_kmalloc(size_t size, gfp_t flags,
				 unsigned long caller)
{
	struct kmem_cache *cachep;

	cachep = __find_general_cachep(size, flags);
	if (unlikely(cachep == NULL))
		return NULL;
	return __cache_alloc(cachep, flags, caller);
}

void *__kmalloc(size_t size, gfp_t flags)
{
	return __do_kmalloc(size, flags, DEBUG ? env_call_site() : 0);
}

/*
 * __kmalloc_track_caller (CONFIG_DEBUG_SLAB): kmalloc on behalf of a caller
 * whose address the last-user word should record. The simulated caller is
 * always the workload operation (env_call_site), so __kmalloc records it
 * already and this entry point has no separate counterpart.
 */

/* kzalloc (mm/util.c): kmalloc, then the requested bytes zeroed. */
void *kzalloc(size_t size, gfp_t flags)
{
	void *ret = kmalloc(size, flags);

	if (ret) {
		memset(ret, 0, size);
		cpu_work(WORK_MEMSET, size);
	}
	return ret;
}

/*
 * __alloc_percpu/free_percpu have no counterpart: the simulated kernel has
 * no per-cpu data areas for them to serve.
 */

/*
 * kmem_cache_free - Deallocate an object previously allocated from this
 * cache.
 */
void kmem_cache_free(struct kmem_cache *cachep, void *objp)
{
	unsigned long flags;

	local_irq_save(flags);
	__cache_free(cachep, objp);
	local_irq_restore(flags);
}

/*
 * kfree - free memory previously allocated by kmalloc(). NULL is a no-op.
 * A pointer outside any slab is caught by the debug check, or (without
 * debug) by a BUG where the kernel would oops on the missing cache.
 */
void kfree(const void *objp)
{
	struct kmem_cache *c;
	unsigned long flags;

	if (unlikely(!objp))
		return;
	local_irq_save(flags);
	if (DEBUG)
		kfree_debugcheck(objp);
	BUG_ON(!virt_addr_valid(objp) || !PageSlab(virt_to_page(objp)));
	c = virt_to_cache(objp);
	__cache_free(c, (void *)objp);
	local_irq_restore(flags);
}

unsigned int kmem_cache_size(struct kmem_cache *cachep)
{
	return obj_size(cachep);
}

const char *kmem_cache_name(struct kmem_cache *cachep)
{
	return cachep->name;
}

/* ------------------------------------------------------------------ */
/* Tuning                                                               */
/* ------------------------------------------------------------------ */

/*
 * This initializes kmem_list3 or resizes the shared and alien arrays for
 * all nodes. Returns 0 or -ENOMEM; on failure for a cache not yet on the
 * chain, everything allocated here is rolled back.
 */
static int alloc_kmemlist(struct kmem_cache *cachep)
{
	int node;
	struct kmem_list3 *l3;
	struct array_cache *new_shared;
	pa_t *new_alien;

	for_each_online_node(node) {
		new_alien = alloc_alien_cache(node, cachep->limit);
		if (!new_alien)
			goto fail;

		new_shared = alloc_arraycache(node,
				cachep->shared * cachep->batchcount,
				0xbaadf00d);
		if (!new_shared) {
			free_alien_cache(new_alien);
			goto fail;
		}

		l3 = cache_l3(cachep, node);
		if (l3) {
			struct array_cache *shared = __va(l3->shared);

			spin_lock_irq(&l3->list_lock);

			if (shared)
				free_block(cachep, shared->entry,
					   shared->avail, node);

			l3->shared = __pa(new_shared);
			if (!l3->alien) {
				l3->alien = __pa(new_alien);
				new_alien = NULL;
			}
			l3->free_limit = (1 + nr_cpus_node(node)) *
				cachep->batchcount + cachep->num;
			spin_unlock_irq(&l3->list_lock);
			kfree(shared);
			free_alien_cache(new_alien);
			continue;
		}
		l3 = kmalloc_node(kmem_list3_size, GFP_KERNEL, node);
		if (!l3) {
			free_alien_cache(new_alien);
			kfree(new_shared);
			goto fail;
		}

		kmem_list3_init(l3);
		l3->next_reap = jiffies32() + REAPTIMEOUT_LIST3 +
			reap_spread(cachep);
		l3->shared = __pa(new_shared);
		l3->alien = __pa(new_alien);
		l3->free_limit = (1 + nr_cpus_node(node)) *
			cachep->batchcount + cachep->num;
		set_cache_l3(cachep, node, l3);
	}
	return 0;

fail:
	if (!cachep->next.next) {
		/* Cache is not active yet. Roll back what we did */
		node--;
		while (node >= 0) {
			if (cache_l3(cachep, node)) {
				l3 = cache_l3(cachep, node);

				kfree(__va(l3->shared));
				free_alien_cache(__va(l3->alien));
				kfree(l3);
				set_cache_l3(cachep, node, NULL);
			}
			node--;
		}
	}
	return -ENOMEM;
}

struct ccupdate_struct {
	struct kmem_cache *cachep;
	struct array_cache *new[NR_CPUS];
};

/* on_each_cpu() helper: swap in this CPU's new array, keep the old one. */
static void do_ccupdate_local(void *info)
{
	struct ccupdate_struct *new = info;
	struct array_cache *old;

	check_irq_off();
	old = cpu_cache_get(new->cachep);

	set_cache_array(new->cachep, smp_processor_id(),
			new->new[smp_processor_id()]);
	new->new[smp_processor_id()] = old;
}

/*
 * New per-cpu arrays of limit entries for every online CPU, the old
 * ones' objects given back, then the shared and alien arrays resized.
 * Always called with the cache_chain_mutex held. Returns 0, or -ENOMEM
 * with nothing changed.
 */
static int do_tune_cpucache(struct kmem_cache *cachep, int limit,
			    int batchcount, int shared)
{
	struct ccupdate_struct new;
	int i, err;

	memset(&new.new, 0, sizeof(new.new));
	for_each_online_cpu(i) {
		new.new[i] = alloc_arraycache(cpu_to_node(i), limit,
					      batchcount);
		if (!new.new[i]) {
			for (i--; i >= 0; i--)
				kfree(new.new[i]);
			return -ENOMEM;
		}
	}
	new.cachep = cachep;

	on_each_cpu(do_ccupdate_local, (void *)&new, 1, 1);

	check_irq_on();
	cachep->batchcount = batchcount;
	cachep->limit = limit;
	cachep->shared = shared;

	for_each_online_cpu(i) {
		struct array_cache *ccold = new.new[i];

		if (!ccold)
			continue;
		spin_lock_irq(&cache_l3(cachep, cpu_to_node(i))->list_lock);
		free_block(cachep, ccold->entry, ccold->avail, cpu_to_node(i));
		spin_unlock_irq(&cache_l3(cachep, cpu_to_node(i))->list_lock);
		kfree(ccold);
	}

	err = alloc_kmemlist(cachep);
	if (err) {
		printk(KERN_ERR "alloc_kmemlist failed for %s, error %d.\n",
		       cachep->name, -err);
		BUG();
	}
	return 0;
}

/*
 * Called with cache_chain_mutex held always. Returns 0, or -ENOMEM when
 * the new arrays could not be had (the old ones are then kept).
 */
static int enable_cpucache(struct kmem_cache *cachep)
{
	int err;
	int limit, shared;

	/*
	 * The head array serves three purposes:
	 * - create a LIFO ordering, i.e. return objects that are cache-warm
	 * - reduce the number of spinlock operations.
	 * - reduce the number of linked list operations on the slab and
	 *   bufctl chains: array operations are cheaper.
	 * The numbers are guessed, we should auto-tune as described by
	 * Bonwick.
	 */
	if (cachep->buffer_size > 131072)
		limit = 1;
	else if (cachep->buffer_size > PAGE_SIZE)
		limit = 8;
	else if (cachep->buffer_size > 1024)
		limit = 24;
	else if (cachep->buffer_size > 256)
		limit = 54;
	else
		limit = 120;

	/*
	 * CPU bound tasks (e.g. network routing) can exhibit cpu bound
	 * allocation behaviour: Most allocs on one cpu, most free operations
	 * on another cpu. For these cases, an efficient object passing
	 * between cpus is necessary. This is provided by a shared array. The
	 * array replaces Bonwick's magazine layer.
	 * On uniprocessor, it's functionally equivalent (but less efficient)
	 * to a larger limit. Thus disabled by default (CONFIG_SMP here means
	 * a machine with more than one CPU, or machine.smp).
	 */
	shared = 0;
	if (CONFIG_SMP_BUILD && cachep->buffer_size <= PAGE_SIZE)
		shared = 8;

	/*
	 * With debugging enabled, large batchcount lead to excessively long
	 * periods with disabled local interrupts. Limit the batchcount
	 */
	if (DEBUG && limit > 32)
		limit = 32;
	err = do_tune_cpucache(cachep, limit, (limit + 1) / 2, shared);
	if (err)
		printk(KERN_ERR "enable_cpucache failed for %s, error %d.\n",
		       cachep->name, -err);
	return err;
}

/* ------------------------------------------------------------------ */
/* Reaping                                                              */
/* ------------------------------------------------------------------ */

/*
 * Drain an array if it contains any elements, taking the l3 lock only if
 * necessary: a touched array just loses its touched bit (unless forced),
 * an untouched one gives back a fifth of its limit. The l3 list_lock also
 * protects the array when ac is the shared array.
 */
static void drain_array(struct kmem_cache *cachep, struct kmem_list3 *l3,
			struct array_cache *ac, int force, int node)
{
	int tofree;

	if (!ac || !ac->avail)
		return;
	if (ac->touched && !force) {
		ac->touched = 0;
	} else {
		spin_lock_irq(&l3->list_lock);
		if (ac->avail) {
			tofree = force ? (int)ac->avail : (int)(ac->limit + 4) / 5;
			if (tofree > (int)ac->avail)
				tofree = (ac->avail + 1) / 2;
			free_block(cachep, ac->entry, tofree, node);
			ac->avail -= tofree;
			memmove(ac->entry, &(ac->entry[tofree]),
				sizeof(pa_t) * ac->avail);
			cpu_work(WORK_MEMCPY, ac->avail * BYTES_PER_WORD);
		}
		spin_unlock_irq(&l3->list_lock);
	}
}

/*
 * cache_reap - Reclaim memory from caches, every REAPTIMEOUT_CPUC on each
 * CPU: drain this CPU's arrays a little, one remote node's alien array,
 * and, every REAPTIMEOUT_LIST3 per node, the shared array and about a
 * fifth of the free slabs. If the cache chain mutex is busy, it just
 * tries again next time.
 */
static void cache_reap(void *unused)
{
	struct list_head *walk;
	struct kmem_list3 *l3;
	int node = numa_node_id();

	if (!mutex_trylock(&cache_chain_mutex)) {
		/* Give up. Setup the next iteration. */
		schedule_delayed_work(&reap_work[smp_processor_id()],
				      REAPTIMEOUT_CPUC);
		return;
	}

	list_for_each(walk, &cache_chain) {
		struct kmem_cache *searchp;
		struct list_head *p;
		int tofree;
		struct slab *slabp;

		searchp = list_entry(walk, struct kmem_cache, next);
		check_irq_on();

		/*
		 * We only take the l3 lock if absolutely necessary and we
		 * have established with reasonable certainty that
		 * we can do some work if the lock was obtained.
		 */
		l3 = cache_l3(searchp, node);

		reap_alien(searchp, l3);

		drain_array(searchp, l3, cpu_cache_get(searchp),
			    0 /* force */, node);

		/*
		 * These are racy checks but it does not matter
		 * if we skip one check or scan twice.
		 */
		if (time_after32(l3->next_reap, jiffies32()))
			goto next;

		l3->next_reap = jiffies32() + REAPTIMEOUT_LIST3;

		drain_array(searchp, l3, __va(l3->shared), 0 /* force */,
			    node);

		if (l3->free_touched) {
			l3->free_touched = 0;
			goto next;
		}

		tofree = (l3->free_limit + 5 * searchp->num - 1) /
			 (5 * searchp->num);
		do {
			/*
			 * Do not lock if there are no free blocks.
			 */
			if (list_empty(&l3->slabs_free))
				break;

			spin_lock_irq(&l3->list_lock);
			p = list_next(&l3->slabs_free);
			if (p == &(l3->slabs_free)) {
				spin_unlock_irq(&l3->list_lock);
				break;
			}

			slabp = list_entry(p, struct slab, list);
			BUG_ON(slabp->inuse);
			list_del(&slabp->list);
			STATS_INC_REAPED(searchp);

			/*
			 * Safe to drop the lock. The slab is no longer linked
			 * to the cache. searchp cannot disappear, we hold
			 * cache_chain_lock
			 */
			l3->free_objects -= searchp->num;
			spin_unlock_irq(&l3->list_lock);
			slab_destroy(searchp, slabp);
		} while (--tofree > 0);
next:
		;
	}
	check_irq_on();
	mutex_unlock(&cache_chain_mutex);
	next_reap_node();
	/* Set up the next iteration */
	schedule_delayed_work(&reap_work[smp_processor_id()],
			      REAPTIMEOUT_CPUC);
}

/* ------------------------------------------------------------------ */
/* /proc/slabinfo                                                       */
/* ------------------------------------------------------------------ */

static void print_slabinfo_header(struct seq_file *m)
{
	/*
	 * Output format version, so at least we can change it
	 * without _too_ many complaints.
	 */
	if (!slab_stats_shown)
		seq_puts(m, "slabinfo - version: 2.1\n");
	else
		seq_puts(m, "slabinfo - version: 2.1 (statistics)\n");
	seq_puts(m, "# name            <active_objs> <num_objs> <objsize> "
		 "<objperslab> <pagesperslab>");
	seq_puts(m, " : tunables <limit> <batchcount> <sharedfactor>");
	seq_puts(m, " : slabdata <active_slabs> <num_slabs> <sharedavail>");
	if (slab_stats_shown) {	/* #if STATS */
	seq_puts(m, " : globalstat <listallocs> <maxobjs> <grown> <reaped> "
		 "<error> <maxfreeable> <nodeallocs> <remotefrees> "
		 "<alienoverflow>");
	seq_puts(m, " : cpustat <allochit> <allocmiss> <freehit> <freemiss>");
	}
	seq_puts(m, "\n");
}

/*
 * One cache's counts, summed over its nodes under each list_lock, as
 * s_show takes them. Returns the first accounting error found, or NULL.
 */
struct slab_counts {
	unsigned long active_objs, num_objs, active_slabs, num_slabs;
	unsigned long free_objects, shared_avail;
	unsigned long full_slabs, partial_slabs, free_slabs;
};

static const char *count_slabs(struct kmem_cache *cachep,
			       struct slab_counts *sc)
{
	struct list_head *q;
	struct slab *slabp;
	const char *error = NULL;
	int node;
	struct kmem_list3 *l3;

	memset(sc, 0, sizeof(*sc));
	for_each_online_node(node) {
		l3 = cache_l3(cachep, node);
		if (!l3)
			continue;

		spin_lock_irq(&l3->list_lock);

		list_for_each(q, &l3->slabs_full) {
			slabp = list_entry(q, struct slab, list);
			if (slabp->inuse != cachep->num && !error)
				error = "slabs_full accounting error";
			sc->active_objs += cachep->num;
			sc->active_slabs++;
			sc->full_slabs++;
		}
		list_for_each(q, &l3->slabs_partial) {
			slabp = list_entry(q, struct slab, list);
			if (slabp->inuse == cachep->num && !error)
				error = "slabs_partial inuse accounting error";
			if (!slabp->inuse && !error)
				error = "slabs_partial/inuse accounting error";
			sc->active_objs += slabp->inuse;
			sc->active_slabs++;
			sc->partial_slabs++;
		}
		list_for_each(q, &l3->slabs_free) {
			slabp = list_entry(q, struct slab, list);
			if (slabp->inuse && !error)
				error = "slabs_free/inuse accounting error";
			sc->num_slabs++;
			sc->free_slabs++;
		}
		sc->free_objects += l3->free_objects;
		if (l3->shared)
			sc->shared_avail +=
				((struct array_cache *)__va(l3->shared))->avail;

		spin_unlock_irq(&l3->list_lock);
	}
	sc->num_slabs += sc->active_slabs;
	sc->num_objs = sc->num_slabs * cachep->num;
	if (sc->num_objs - sc->active_objs != sc->free_objects && !error)
		error = "free_objects accounting error";
	return error;
}

static int s_show(struct seq_file *m, struct kmem_cache *cachep)
{
	struct slab_counts sc;
	const char *name;
	const char *error;

	check_irq_on();
	error = count_slabs(cachep, &sc);

	name = cachep->name;
	if (error)
		printk(KERN_ERR "slab: cache %s error: %s\n", name, error);

	seq_printf(m, "%-17s %6lu %6lu %6u %4u %4d",
		   name, sc.active_objs, sc.num_objs, cachep->buffer_size,
		   cachep->num, (1 << cachep->gfporder));
	seq_printf(m, " : tunables %4u %4u %4u",
		   cachep->limit, cachep->batchcount, cachep->shared);
	seq_printf(m, " : slabdata %6lu %6lu %6lu",
		   sc.active_slabs, sc.num_slabs, sc.shared_avail);
	if (slab_stats_shown) {	/* #if STATS: list3 stats */
		unsigned long high = cachep->high_mark;
		unsigned long allocs = cachep->num_allocations;
		unsigned long grown = cachep->grown;
		unsigned long reaped = cachep->reaped;
		unsigned long errors = cachep->errors;
		unsigned long max_freeable = cachep->max_freeable;
		unsigned long node_allocs = cachep->node_allocs;
		unsigned long node_frees = cachep->node_frees;
		unsigned long overflows = cachep->node_overflow;

		/*
		 * The kernel continues this format string with a backslash,
		 * so its output carries the next source line's four tabs.
		 */
		seq_printf(m, " : globalstat %7lu %6lu %5lu %4lu "
			   "\t\t\t\t%4lu %4lu %4lu %4lu %4lu", allocs, high,
			   grown, reaped, errors, max_freeable, node_allocs,
			   node_frees, overflows);
	}
	/* cpu stats */
	if (slab_stats_shown) {
		unsigned long allochit = cachep->allochit;
		unsigned long allocmiss = cachep->allocmiss;
		unsigned long freehit = cachep->freehit;
		unsigned long freemiss = cachep->freemiss;

		seq_printf(m, " : cpustat %6lu %6lu %6lu %6lu",
			   allochit, allocmiss, freehit, freemiss);
	}
	seq_puts(m, "\n");
	return 0;
}

/*
 * /proc/slabinfo: the header, then one line per cache in chain order
 * (s_start/s_next/s_stop under the cache chain mutex).
 */
void slabinfo_show(struct seq_file *m)
{
	struct kmem_cache *cachep;

	mutex_lock(&cache_chain_mutex);
	print_slabinfo_header(m);
	list_for_each_entry(cachep, &cache_chain, next)
		s_show(m, cachep);
	mutex_unlock(&cache_chain_mutex);
}

/*
 * Parses one decimal int (optional sign) after optional blanks, as
 * sscanf's " %d" would. Returns false when there is none.
 */
static bool parse_int(const char **sp, int *val)
{
	const char *s = *sp;
	long v = 0;
	bool neg = false, any = false;

	while (*s == ' ' || *s == '\t' || *s == '\n')
		s++;
	if (*s == '-' || *s == '+')
		neg = (*s++ == '-');
	while (*s >= '0' && *s <= '9') {
		v = v * 10 + (*s++ - '0');
		if (v > INT_MAX)
			return false;
		any = true;
	}
	if (!any)
		return false;
	*val = neg ? (int)-v : (int)v;
	*sp = s;
	return true;
}

#define MAX_SLABINFO_WRITE 128
/*
 * slabinfo_write - Tuning for the slab allocator: "name limit batchcount
 * shared". Returns 0, or -EINVAL with nothing changed, or -ENOMEM.
 */
int slabinfo_write(const char *buffer)
{
	char kbuf[MAX_SLABINFO_WRITE + 1], *tmp;
	const char *s;
	int limit, batchcount, shared, res;
	struct list_head *p;
	size_t count = strlen(buffer);

	if (count > MAX_SLABINFO_WRITE)
		return -EINVAL;
	memcpy(kbuf, buffer, count);
	kbuf[count] = '\0';

	tmp = strchr(kbuf, ' ');
	if (!tmp)
		return -EINVAL;
	*tmp = '\0';
	tmp++;
	s = tmp;
	if (!parse_int(&s, &limit) || !parse_int(&s, &batchcount) ||
	    !parse_int(&s, &shared))
		return -EINVAL;

	/* Find the cache in the chain of caches. */
	mutex_lock(&cache_chain_mutex);
	res = -EINVAL;
	list_for_each(p, &cache_chain) {
		struct kmem_cache *cachep;

		cachep = list_entry(p, struct kmem_cache, next);
		if (!strcmp(cachep->name, kbuf)) {
			/*
			 * 2.6.17 silently ignores (returns the count for)
			 * a bad tuning of a known cache; later kernels and
			 * this interface refuse it.
			 */
			if (limit < 1 || batchcount < 1 ||
			    batchcount > limit || shared < 0) {
				res = -EINVAL;
			} else {
				res = do_tune_cpucache(cachep, limit,
						       batchcount, shared);
			}
			break;
		}
	}
	mutex_unlock(&cache_chain_mutex);
	return res;
}

/*
 * leaks_show/slabstats_op (CONFIG_DEBUG_SLAB_LEAK) have no counterpart:
 * the simulator has no kallsyms to name the callers they would list.
 */

/*
 * ksize - get the actual amount of memory allocated for a given object.
 * NULL gives 0.
 */
unsigned int ksize(const void *objp)
{
	if (unlikely(objp == NULL))
		return 0;
	BUG_ON(!virt_addr_valid(objp) || !PageSlab(virt_to_page(objp)));

	return obj_size(virt_to_cache(objp));
}

/* ------------------------------------------------------------------ */
/* Introspection for the simulator's reports                            */
/* ------------------------------------------------------------------ */

void kmem_cache_for_each(void (*fn)(struct kmem_cache *cachep, void *arg),
			 void *arg)
{
	struct list_head *p, *n;

	if (!cache_chainp)
		return;
	/* Safe against fn destroying the cache it is given. */
	for (p = list_next(&cache_chain), n = list_next(p);
	     p != &cache_chain; p = n, n = list_next(p))
		fn(list_entry(p, struct kmem_cache, next), arg);
}

struct kmem_cache *kmem_cache_find(const char *name)
{
	struct kmem_cache *cachep;

	if (!cache_chainp)
		return NULL;
	list_for_each_entry(cachep, &cache_chain, next)
		if (!strcmp(cachep->name, name))
			return cachep;
	return NULL;
}

void kmem_cache_for_each_lock(struct kmem_cache *cachep,
			      void (*fn)(spinlock_t *lock,
					 enum kmem_lock_kind kind, int node,
					 void *arg),
			      void *arg)
{
	int node, i;

	for_each_online_node(node) {
		struct kmem_list3 *l3 = cache_l3(cachep, node);

		if (!l3)
			continue;
		fn(&l3->list_lock, KMEM_LOCK_LIST, node, arg);
		if (l3->shared)
			fn(&((struct array_cache *)__va(l3->shared))->lock,
			   KMEM_LOCK_SHARED, node, arg);
		if (!l3->alien)
			continue;
		for (i = 0; i < nr_node_ids; i++) {
			struct array_cache *ac = l3_alien(l3, i);

			if (ac)
				fn(&ac->lock, KMEM_LOCK_ALIEN, node, arg);
		}
	}
}

void kmem_cache_get_info(struct kmem_cache *cachep,
			 struct kmem_cache_info *info)
{
	struct slab_counts sc;
	int cpu, node, i;

	memset(info, 0, sizeof(*info));
	count_slabs(cachep, &sc);
	info->name = cachep->name;
	info->obj_size = cachep->obj_size;
	info->buffer_size = cachep->buffer_size;
	info->obj_offset = obj_offset(cachep);
	info->num = cachep->num;
	info->gfporder = cachep->gfporder;
	info->colour = cachep->colour;
	info->colour_off = cachep->colour_off;
	info->slab_size = cachep->slab_size;
	info->off_slab = OFF_SLAB(cachep) != 0;
	info->flags = cachep->flags;
	info->limit = cachep->limit;
	info->batchcount = cachep->batchcount;
	info->shared = cachep->shared;
	info->active_objs = sc.active_objs;
	info->num_objs = sc.num_objs;
	info->full_slabs = sc.full_slabs;
	info->partial_slabs = sc.partial_slabs;
	info->free_slabs = sc.free_slabs;
	info->free_objects = sc.free_objects;
	info->shared_avail = sc.shared_avail;
	for_each_online_cpu(cpu) {
		struct array_cache *ac = cache_array(cachep, cpu);

		if (ac)
			info->cpu_avail += ac->avail;
	}
	for_each_online_node(node) {
		struct kmem_list3 *l3 = cache_l3(cachep, node);

		if (!l3 || !l3->alien)
			continue;
		for (i = 0; i < nr_node_ids; i++) {
			struct array_cache *ac = l3_alien(l3, i);

			if (ac)
				info->alien_avail += ac->avail;
		}
	}
	info->left_over = (PAGE_SIZE << cachep->gfporder) -
		(size_t)cachep->num * cachep->buffer_size -
		(OFF_SLAB(cachep) ? 0 : cachep->slab_size);
	info->num_allocations = cachep->num_allocations;
	info->high_mark = cachep->high_mark;
	info->grown = cachep->grown;
	info->reaped = cachep->reaped;
	info->errors = cachep->errors;
	info->max_freeable = cachep->max_freeable;
	info->node_allocs = cachep->node_allocs;
	info->node_frees = cachep->node_frees;
	info->node_overflow = cachep->node_overflow;
	info->allochit = cachep->allochit;
	info->allocmiss = cachep->allocmiss;
	info->freehit = cachep->freehit;
	info->freemiss = cachep->freemiss;
}

bool kmem_addr_owner(const void *addr, struct kmem_cache **cachep,
		     unsigned int *colour)
{
	struct page *page;
	struct kmem_cache *c;
	struct slab *slabp;
	unsigned int off;

	if (!addr || !virt_addr_valid(addr))
		return false;
	page = virt_to_page(addr);
	if (!PageSlab(page))
		return false;
	c = page_get_cache(page);
	slabp = page_get_slab(page);
	if (!c || !slabp)
		return false;
	off = slabp->colouroff - (OFF_SLAB(c) ? 0 : c->slab_size);
	if (cachep)
		*cachep = c;
	if (colour)
		*colour = c->colour_off ? off / c->colour_off : 0;
	return true;
}

bool kmem_addr_is_object(const void *addr, struct kmem_cache *cachep)
{
	struct kmem_cache *c;
	struct slab *slabp;
	const char *objp = (const char *)addr;

	if (!kmem_addr_owner(addr, &c, NULL) || c != cachep)
		return false;
	slabp = page_get_slab(virt_to_page(addr));
	objp -= obj_offset(c);
	if (objp < (const char *)__va(slabp->s_mem))
		return false;
	unsigned long off = (unsigned long)(objp - (const char *)__va(slabp->s_mem));
	return off % c->buffer_size == 0 && off / c->buffer_size < c->num;
}

/* ------------------------------------------------------------------ */
/* Validators                                                           */
/* ------------------------------------------------------------------ */

/*
 * Read-only checks of one slab on node's list kind (0 full, 1 partial,
 * 2 free). Takes no lock: call only when no CPU is inside the core.
 */
static bool slab_is_valid(struct kmem_cache *cachep, struct slab *slabp,
			  int node, int kind)
{
	unsigned int entries = 0;
	kmem_bufctl_t i;
	char *start;

	if (slabp->nodeid != node) {
		printk(KERN_ERR "slab: cache %s: slab on node %d's list "
		       "belongs to node %d\n", cachep->name, node,
		       slabp->nodeid);
		return false;
	}
	if (slabp->inuse > cachep->num ||
	    (kind == 0 && slabp->inuse != cachep->num) ||
	    (kind == 1 && (slabp->inuse == 0 ||
			   slabp->inuse == cachep->num)) ||
	    (kind == 2 && slabp->inuse != 0)) {
		printk(KERN_ERR "slab: cache %s: slab with inuse %u of %u "
		       "on the wrong list\n", cachep->name, slabp->inuse,
		       cachep->num);
		return false;
	}
	start = (char *)__va(slabp->s_mem) - slabp->colouroff;
	if (!virt_addr_valid(start) || !PageSlab(virt_to_page(start)) ||
	    virt_to_cache(start) != cachep || virt_to_slab(start) != slabp) {
		printk(KERN_ERR "slab: cache %s: slab pages not mapped to "
		       "it\n", cachep->name);
		return false;
	}
	for (i = slabp->free; i != BUFCTL_END; i = bufctl_get(slabp, i)) {
		if (i >= cachep->num || ++entries > cachep->num) {
			printk(KERN_ERR "slab: cache %s: bad free list "
			       "(index %u)\n", cachep->name, i);
			return false;
		}
	}
	if (entries != cachep->num - slabp->inuse) {
		printk(KERN_ERR "slab: cache %s: free list has %u entries, "
		       "expected %u\n", cachep->name, entries,
		       cachep->num - slabp->inuse);
		return false;
	}
	return true;
}

/* Every entry of an array must be an object of this cache. */
static bool array_is_valid(struct kmem_cache *cachep, struct array_cache *ac,
			   const char *what)
{
	unsigned int i;

	if (!ac)
		return true;
	if (ac->avail > ac->limit) {
		printk(KERN_ERR "slab: cache %s: %s array holds %u > limit "
		       "%u\n", cachep->name, what, ac->avail, ac->limit);
		return false;
	}
	for (i = 0; i < ac->avail; i++) {
		void *objp = __va(ac->entry[i]);
		struct slab *slabp;
		size_t off;

		if (!objp || !virt_addr_valid(objp) ||
		    !PageSlab(virt_to_page(objp)) ||
		    virt_to_cache(objp) != cachep)
			goto bad;
		slabp = virt_to_slab(objp);
		off = (char *)objp - (char *)__va(slabp->s_mem);
		if ((char *)objp < (char *)__va(slabp->s_mem) ||
		    off % cachep->buffer_size ||
		    off / cachep->buffer_size >= cachep->num)
			goto bad;
	}
	return true;
bad:
	printk(KERN_ERR "slab: cache %s: %s array entry %u is not an object "
	       "of it\n", cachep->name, what, i);
	return false;
}

bool cache_is_consistent(struct kmem_cache *cachep)
{
	int node, cpu, i;
	const struct list_head *heads[3];

	for_each_online_cpu(cpu)
		if (!array_is_valid(cachep, cache_array(cachep, cpu), "cpu"))
			return false;
	for_each_online_node(node) {
		struct kmem_list3 *l3 = cache_l3(cachep, node);
		unsigned long free_objs = 0;
		int kind;

		if (!l3)
			continue;
		heads[0] = &l3->slabs_full;
		heads[1] = &l3->slabs_partial;
		heads[2] = &l3->slabs_free;
		for (kind = 0; kind < 3; kind++) {
			struct list_head *q;
			unsigned long n = 0;

			for (q = list_next(heads[kind]); q != heads[kind];
			     q = list_next(q)) {
				struct slab *slabp;

				if (!q || ++n > (1UL << 24)) {
					printk(KERN_ERR "slab: cache %s: "
					       "broken slab list\n",
					       cachep->name);
					return false;
				}
				if (list_prev(list_next(q)) != q) {
					printk(KERN_ERR "slab: cache %s: "
					       "slab list links disagree\n",
					       cachep->name);
					return false;
				}
				slabp = list_entry(q, struct slab, list);
				if (!slab_is_valid(cachep, slabp, node, kind))
					return false;
				free_objs += cachep->num - slabp->inuse;
			}
		}
		if (free_objs != l3->free_objects) {
			printk(KERN_ERR "slab: cache %s: node %d free_objects "
			       "%u, slabs hold %lu free\n", cachep->name,
			       node, l3->free_objects, free_objs);
			return false;
		}
		if (!array_is_valid(cachep, __va(l3->shared), "shared"))
			return false;
		if (l3->alien)
			for (i = 0; i < nr_node_ids; i++)
				if (!array_is_valid(cachep, l3_alien(l3, i),
						    "alien"))
					return false;
	}
	return true;
}

bool slab_core_is_consistent(void)
{
	struct kmem_cache *cachep;
	unsigned long n = 0;

	if (!cache_chainp)
		return true;
	list_for_each_entry(cachep, &cache_chain, next) {
		if (++n > 100000) {
			printk(KERN_ERR "slab: cache chain does not end\n");
			return false;
		}
		if (!cache_is_consistent(cachep))
			return false;
	}
	return true;
}

#ifdef SLABSIM_TEST
struct kmem_cache *slab_test_cache_cache(void)
{
	return &cache_cache;
}

int slab_test_break_gfp_order(void)
{
	return slab_break_gfp_order;
}

unsigned int slab_test_sizeof_kmem_cache(void)
{
	return (unsigned int)kmem_cache_sim_size;
}

unsigned int slab_test_reap_node(int cpu)
{
	return (unsigned int)reap_node[cpu];
}

kmem_bufctl_t slab_test_bufctl(struct slab *slabp, unsigned int i)
{
	return bufctl_get(slabp, i);
}
#endif
