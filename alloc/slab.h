/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SLABSIM_ALLOC_SLAB_H
#define SLABSIM_ALLOC_SLAB_H
/*
 * The slab core's public interface: what include/linux/slab.h gives the
 * kernel, plus the read-only introspection the simulator's reports use.
 * The simulator never reaches into the core's structures; it reads them
 * through kmem_cache_get_info() and the validators below.
 */
#include "env.h"

#ifndef EINVAL
#define ENOMEM	12
#define EBUSY	16
#define EINVAL	22
#endif

/* Flags to pass to kmem_cache_create() (include/linux/slab.h, 2.6.17) */
#define SLAB_DEBUG_FREE		0x00000100UL
#define SLAB_DEBUG_INITIAL	0x00000200UL
#define SLAB_RED_ZONE		0x00000400UL
#define SLAB_POISON		0x00000800UL
#define SLAB_NO_REAP		0x00001000UL
#define SLAB_HWCACHE_ALIGN	0x00002000UL
#define SLAB_CACHE_DMA		0x00004000UL
#define SLAB_MUST_HWCACHE_ALIGN	0x00008000UL
#define SLAB_STORE_USER		0x00010000UL
#define SLAB_RECLAIM_ACCOUNT	0x00020000UL
#define SLAB_PANIC		0x00040000UL
#define SLAB_DESTROY_BY_RCU	0x00080000UL
#define SLAB_MEM_SPREAD		0x00100000UL

/* Flags passed to a constructor function */
#define SLAB_CTOR_CONSTRUCTOR	0x001UL
#define SLAB_CTOR_ATOMIC	0x002UL
#define SLAB_CTOR_VERIFY	0x004UL

/* Allocation flags, as the slab names them */
#define SLAB_NOFS		GFP_NOFS
#define SLAB_NOIO		GFP_NOIO
#define SLAB_ATOMIC		GFP_ATOMIC
#define SLAB_USER		GFP_USER
#define SLAB_KERNEL		GFP_KERNEL
#define SLAB_DMA		GFP_DMA
#define SLAB_LEVEL_MASK		GFP_LEVEL_MASK
#define SLAB_NO_GROW		__GFP_NO_GROW

/* CPU hotplug notifier actions (include/linux/notifier.h) */
#define CPU_ONLINE		0x0002
#define CPU_UP_PREPARE		0x0003
#define CPU_UP_CANCELED		0x0004
#define CPU_DOWN_PREPARE	0x0005
#define CPU_DOWN_FAILED		0x0006
#define CPU_DEAD		0x0007
#define NOTIFY_OK		0x0001
#define NOTIFY_BAD		0x8002

struct kmem_cache;
typedef struct kmem_cache kmem_cache_t;
typedef void (*kmem_ctor_t)(void *obj, struct kmem_cache *cachep,
			    unsigned long flags);

/*
 * Boot. kmem_cache_init() (re)initialises every piece of core state, so a
 * process may boot several simulated machines one after another. It runs on
 * the boot CPU with only that CPU online; the environment then brings the
 * other CPUs up through cpuup_callback() and calls cpucache_init() to start
 * the reap timers.
 */
void kmem_cache_init(void);
/*
 * CONFIG_DEBUG_SLAB as a run-time switch: red zones, poisoning and last-user
 * words on every cache that can have them, the debug checks, limit capped
 * at 32. Set before kmem_cache_init(); the STATS counters are always on.
 */
void slab_set_debug(bool debug);
/*
 * /proc/slabinfo with the statistics columns (globalstat, cpustat), as a
 * CONFIG_DEBUG_SLAB kernel prints it (the default), or without, as a
 * non-debug 2.6.17 kernel does. Survives kmem_cache_init().
 */
void slab_set_slabinfo_stats(bool stats);
int cpucache_init(void);
int cpuup_callback(unsigned long action, int cpu);
int slab_is_available(void);

struct kmem_cache *kmem_cache_create(const char *name, size_t size,
				     size_t align, unsigned long flags,
				     kmem_ctor_t ctor, kmem_ctor_t dtor);
int kmem_cache_destroy(struct kmem_cache *cachep);
int kmem_cache_shrink(struct kmem_cache *cachep);
void *kmem_cache_alloc(struct kmem_cache *cachep, gfp_t flags);
void *kmem_cache_zalloc(struct kmem_cache *cachep, gfp_t flags);
void *kmem_cache_alloc_node(struct kmem_cache *cachep, gfp_t flags, int node);
void kmem_cache_free(struct kmem_cache *cachep, void *objp);
unsigned int kmem_cache_size(struct kmem_cache *cachep);
const char *kmem_cache_name(struct kmem_cache *cachep);
int kmem_ptr_validate(struct kmem_cache *cachep, void *ptr);
struct kmem_cache *kmem_find_general_cachep(size_t size, gfp_t gfpflags);

void *__kmalloc(size_t size, gfp_t flags);
#define kmalloc(size, flags)	__kmalloc((size), (flags))
void *kzalloc(size_t size, gfp_t flags);
void *kmalloc_node(size_t size, gfp_t flags, int node);
void kfree(const void *objp);
unsigned int ksize(const void *objp);

/* /proc/slabinfo: the 2.1 (statistics) text, header first. */
void slabinfo_show(struct seq_file *m);
/*
 * /proc/slabinfo write: "name limit batchcount shared". Returns 0, or
 * -EINVAL (unknown cache, malformed line, limit < 1, batchcount < 1,
 * batchcount > limit, shared < 0) and changes nothing, or -ENOMEM.
 */
int slabinfo_write(const char *line);

/*
 * Calls fn on every cache on the chain, newest first (chain order). Takes
 * no lock: the caller serialises against create/destroy (the simulator
 * calls it only from quiescent points or with its own knowledge).
 */
void kmem_cache_for_each(void (*fn)(struct kmem_cache *cachep, void *arg),
			 void *arg);
struct kmem_cache *kmem_cache_find(const char *name);

/*
 * A snapshot of one cache, for reports. Counts are summed over nodes and
 * taken under each node's list_lock, as s_show takes them.
 */
struct kmem_cache_info {
	const char *name;
	unsigned int obj_size;		/* what the user asked for, word-rounded */
	unsigned int buffer_size;	/* object stride incl. debug words, align */
	unsigned int obj_offset;	/* user object's offset in the buffer (debug) */
	unsigned int num;		/* objects per slab */
	unsigned int gfporder;
	unsigned int colour;		/* number of colours */
	unsigned int colour_off;
	unsigned int slab_size;		/* management bytes per slab */
	bool off_slab;
	unsigned long flags;
	unsigned int limit, batchcount, shared;
	unsigned long active_objs, num_objs;
	unsigned long full_slabs, partial_slabs, free_slabs;
	unsigned long free_objects;	/* sum of l3->free_objects */
	unsigned long cpu_avail;	/* objects parked in per-CPU arrays */
	unsigned long shared_avail;	/* ... in shared arrays */
	unsigned long alien_avail;	/* ... in alien arrays */
	unsigned long left_over;	/* bytes per slab neither object nor mgmt */
	/* STATS counters (globalstat, cpustat) */
	unsigned long num_allocations, high_mark, grown, reaped, errors;
	unsigned long max_freeable, node_allocs, node_frees, node_overflow;
	unsigned long allochit, allocmiss, freehit, freemiss;
};
void kmem_cache_get_info(struct kmem_cache *cachep,
			 struct kmem_cache_info *info);

/*
 * The locks of cachep's node lists, for reports that split a lock class
 * by cache: fn(lock, kind, node, arg) for each node's list_lock, its
 * shared array's lock and each of its alien arrays' locks (node: the
 * node list's; the alien array's own node is not told). Takes no lock
 * and changes nothing.
 */
enum kmem_lock_kind { KMEM_LOCK_LIST, KMEM_LOCK_SHARED, KMEM_LOCK_ALIEN };
void kmem_cache_for_each_lock(struct kmem_cache *cachep,
			      void (*fn)(spinlock_t *lock,
					 enum kmem_lock_kind kind, int node,
					 void *arg),
			      void *arg);

/*
 * Which cache and slab colour an address of simulated memory belongs to.
 * Returns false (and sets nothing) when addr is not in a slab page.
 */
bool kmem_addr_owner(const void *addr, struct kmem_cache **cachep,
		     unsigned int *colour);
/*
 * True when addr is the start of an object slot (allocated or free) of
 * cachep in one of its slabs as they are now: what a stale pointer must be
 * before a user's write through it can only hit object bytes.
 */
bool kmem_addr_is_object(const void *addr, struct kmem_cache *cachep);

/*
 * Validators: do the counts add up (free-list length == num - inuse, list
 * membership matches inuse, free_objects adds up, every free index inside
 * the slab). They return false and printk what is wrong; they change
 * nothing. Called from debug asserts and after every event in tests.
 */
bool cache_is_consistent(struct kmem_cache *cachep);
bool slab_core_is_consistent(void);

#endif /* SLABSIM_ALLOC_SLAB_H */
