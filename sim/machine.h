#ifndef SLABSIM_SIM_MACHINE_H
#define SLABSIM_SIM_MACHINE_H
/*
 * One simulated machine: the arena of simulated memory, mem_map, the page
 * allocator, the cache-line model, the engine with its CPUs, and the state
 * the kernel environment (sim/env.c) keeps for the slab core: tasks and
 * memory policies, bootmem, the kernel log, counters.
 *
 * A machine is built from a workload's machine section, booted (the slab
 * core's kmem_cache_init on CPU 0, then the other CPUs brought up through
 * cpuup_callback), driven by the runner, and destroyed. Only one machine
 * is active at a time in a process: the environment functions have no
 * context argument, as in the kernel.
 */
#include <setjmp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdint.h>

#include "alloc/env.h"
#include "alloc/slab.h"
#include "models/cache_model.h"
#include "models/page_alloc.h"
#include "sim/engine.h"
#include "sim/engine_inline.h"
#include "sim/fault.h"
#include "sim/util.h"
#include "sim/workload.h"

#define BOOTMEM_PAGES	256	/* 1 MiB after pfn 0 for the core's static data */
/*
 * Soft lockup, sized by the work. A list walk through sound lists visits
 * each entry at most once, and an operation walks a list at most a few
 * times; only a corrupted list (a cycle that misses its head) walks
 * without end. So the list steps one operation may take are a generous
 * base plus LOCKUP_STEPS_PER_ENTRY for every list entry that exists when
 * it begins: every slab page, and every cache on the chain and on each
 * node's lists (the kmalloc caches counted as LOCKUP_KMALLOC_CACHES).
 *
 * The virtual time one operation may last is the kernel detector's 10 s
 * plus LOCKUP_COST_STEPS of the largest cost the workload configured (a
 * constructor or machine.costs entry of 10 s makes a legitimate
 * operation last far longer than 10 s); see machine_create.
 */
#define LOCKUP_STEPS		(1UL << 26)
#define LOCKUP_STEPS_PER_ENTRY	64UL
#define LOCKUP_KMALLOC_CACHES	64UL
#define LOCKUP_NS		(10ULL * 1000000000ULL)
#define LOCKUP_COST_STEPS	4096ULL
#define ARENA_RESERVE	(1ULL << 32)	/* every pa_t maps to host memory */

/* Exit codes of a run. */
enum run_status {
	RUN_OK = 0,
	RUN_EXPECT_FAILED = 1,	/* an expect: entry failed (sim/expect.h) */
	RUN_USER_ERROR = 2,	/* bad input: nothing written */
	RUN_KERNEL_BUG = 3,	/* the simulated kernel hit BUG/panic: a result */
};

/* A memory policy a workload set on one CPU's task (mempolicy event). */
struct mempolicy {
	enum wl_policy mode;
	uint64_t nodes;		/* bitmask */
	int il_next;		/* interleave rotor */
};

/* What one tag of the cache model stands for. */
struct cm_tag {
	int cache;		/* index into machine caches, -1: not slab memory */
	unsigned int colour;
};

/*
 * The cache-model attribution of one page frame, as last worked out: the
 * tag of its (cache, colour) and its home node. Valid while the page's
 * flags (PG_slab among them; compared as one word, so any flag change
 * has it worked out again) and lru back-pointers (cache, slab) are what
 * they were then:
 * everything else the tag depends on (the slab's colour, the cache's
 * geometry) is fixed while the page stays allocated, and free_pages
 * forgets the entry. Which caches the simulator knows changes only with
 * machine_cache_created, which starts a new generation.
 */
struct cm_page {
	const void *lru_next, *lru_prev;
	uint32_t gen;		/* valid when machine cm_gen; 0: never */
	uint32_t tag;
	int32_t home;		/* node of the frame */
	uint32_t flags;		/* the page's flags (low 32 bits, PG_slab
				   among them) when worked out */
};

/* A slab cache the simulator knows: the kmalloc caches and the workload's. */
struct sim_cache {
	char name[64];		/* the core keeps a pointer to this: never moved */
	struct kmem_cache *cachep;	/* NULL before create and after destroy */
	pa_t pa;
	bool kmalloc;		/* size-N: objects may hold the core's own data */
	uint64_t ctor_ns;
	/* Fixed at creation: what a user may write of one object. */
	unsigned int obj_size;	/* the object proper */
	unsigned int obj_room;	/* to the end of its buffer (red zone, user word) */
	unsigned int buffer_size;	/* what an object takes in the slab */
	bool reclaimable;	/* SLAB_RECLAIM_ACCOUNT: shrunk first in reclaim */
	bool colouring;		/* cache_grow colours new slabs (slab_colouring) */
};

/* A lock of a cache's node lists: whose, and which (enum kmem_lock_kind). */
struct lock_owner {
	int cache;		/* machine cache index, -1: none known */
	int kind;
};

struct rcu_call;

struct machine {
	const struct workload *wl;
	struct arch_profile arch;
	int nr_cpus, nr_nodes;
	int cpu_node[WL_MAX_CPUS];

	unsigned char *mem;	/* ARENA_RESERVE bytes, sparse */
	uint64_t nr_pages;
	struct page *mem_map;
	struct page_alloc *pa;
	struct cache_model *cm;	/* NULL when the cache model is off */
	struct engine *eng;
	/* call_rcu's records not yet run: freed with the machine (a run may
	   end inside a grace period) */
	struct rcu_call *rcu_calls;

	struct task_struct tasks[WL_MAX_CPUS];
	struct mempolicy policies[WL_MAX_CPUS];
	int spread_rotor[WL_MAX_CPUS];
	uint64_t bootmem_next, bootmem_end;	/* byte offsets in the arena */
	long nr_slab;		/* pages held by slab (nr_slab page state) */
	bool in_reclaim;
	struct mutex hotplug_lock;

	/* Caches by index; grows (pointer stability: array of pointers). */
	struct sim_cache **caches;
	size_t nr_caches, caches_cap;
	/* cache index by the kmem_cache's address: open addressing, index+1 */
	uint32_t *cache_by_pa;
	size_t cache_by_pa_cap;		/* a power of two, > 2 * nr_caches */

	/* Cache-model attribution: dense tags in first-touch order. */
	struct cm_tag *tags;
	size_t nr_tags, tags_cap;
	uint32_t *tag_index;	/* open addressing: key (cache, colour) -> tag+1 */
	size_t tag_index_cap;
	struct cm_page *cm_pages;	/* per page frame; with the model only */
	uint32_t cm_gen;		/* of cm_pages entries; starts at 1 */
	/* --access-trace: every access the model sees, as text (NULL: off) */
	FILE *access_trace;
	/*
	 * Frames whose touches mem_touch_model may settle on its fast path:
	 * nr_pages with the model on, 0 while the access trace is written
	 * (every access must reach the trace) or with the model off.
	 */
	uint64_t cm_fast_pages;

	/* The kernel log and what went wrong. */
	struct strbuf klog;
	bool klog_bol;
	vtime_t klog_last;	/* stamps never go back in time */
	unsigned long warnings, errors_logged, page_alloc_failures;
	struct fault_state fault_page;	/* faults.page_alloc (sim/fault.h) */
	const char *context_cache;
	bool bugged;
	struct strbuf bug_report;
	jmp_buf *guard;		/* where a BUG outside any operation returns */

	/*
	 * Which cache's node lists each lock (by engine id) belongs to, for
	 * lock_stat's per-cache split; cache -1: not known to belong to one.
	 */
	struct lock_owner *lock_owners;
	size_t nr_lock_owners;

	unsigned long call_site;	/* of the operation being run */
	int ops_running;	/* operations begun and not ended, all CPUs */
	vtime_t op_start[WL_MAX_CPUS];	/* when each CPU's operation began */
	bool check;		/* validate the slab after quiescent operations */
	uint64_t ns_per_tick;
	uint64_t lockup_ns;	/* virtual time an operation may last */
	uint64_t validations;	/* times --check ran the validators */
};

/*
 * Build the machine a workload describes. Returns NULL and fills err for a
 * machine this host cannot provide (it cannot happen for loader-checked
 * workloads short of host memory). Does not boot.
 */
struct machine *machine_create(const struct workload *wl, char *err,
			       size_t errlen);
void machine_destroy(struct machine *m);
/* Free call_rcu's records still waiting for a grace period (sim/env.c). */
void machine_free_rcu_calls(struct machine *m);

/*
 * Boot: kmem_cache_init on CPU 0, the other CPUs brought up, the reap
 * timers started, the kmalloc caches registered. Returns RUN_OK, or
 * RUN_KERNEL_BUG when boot hit BUG (the report is in the kernel log).
 */
int machine_boot(struct machine *m);

/* Register a cache the core created; returns its index. */
int machine_add_cache(struct machine *m, const char *name,
		      struct kmem_cache *cachep, bool kmalloc);
int machine_find_cache(const struct machine *m, const struct kmem_cache *c);
/* Record that c, one of m's caches, now stands for cachep (NULL:
 * destroyed or failed). */
void machine_cache_created(struct machine *m, struct sim_cache *c,
			   struct kmem_cache *cachep);

/*
 * Record which cache owns each lock of the caches' node lists as they are
 * now (list_lock, shared and alien array locks). A label, once set, stays:
 * a lock freed with its array keeps its stats and its owner. Called at
 * creation, samples, tunes, CPU hotplug and the end, which catches every
 * lock but one created and freed between two of those.
 */
void machine_label_locks(struct machine *m);

/* Shrink every cache, reclaimable ones first; returns pages freed. */
unsigned long machine_reclaim(struct machine *m);

/* The active machine (the environment's context), or NULL. */
struct machine *machine_current(void);

/*
 * Bracket every operation that runs slab code (workload events, timers,
 * RCU callbacks). When the last one running ends, no CPU is inside the
 * core: with m->check set, the validators run then, and an inconsistent
 * slab stops the run as BUG would, at the operation that left it so.
 */
/* The list steps an operation beginning now may take (see LOCKUP_STEPS). */
static inline unsigned long machine_lockup_budget(const struct machine *m)
{
	unsigned long entries = (unsigned long)(m->nr_slab > 0 ? m->nr_slab : 0) +
		(m->nr_caches + LOCKUP_KMALLOC_CACHES) *
		(unsigned long)(m->nr_nodes + 1);

	return LOCKUP_STEPS + LOCKUP_STEPS_PER_ENTRY * entries;
}

/*
 * The watchdog starts afresh, as at the beginning of an operation: for
 * work the runner does as a series of operations on one CPU (creating
 * the boot caches one after another).
 */
static inline void machine_lockup_restart(struct machine *m)
{
	int cpu = engine_cpu_fast(m->eng);

	env_lockup_budget = machine_lockup_budget(m);
	if (cpu >= 0)
		m->op_start[cpu] = engine_now_fast(m->eng);
}

static inline void machine_op_begin(struct machine *m)
{
	int cpu = engine_cpu_fast(m->eng);

	m->ops_running++;
	env_lockup_budget = machine_lockup_budget(m);
	if (cpu >= 0)
		m->op_start[cpu] = engine_now_fast(m->eng);
}
void machine_op_end_slow(struct machine *m);
static inline void machine_op_end(struct machine *m)
{
	if (--m->ops_running == 0 && m->check)
		machine_op_end_slow(m);
}

/*
 * Run fn(arg) as an observer of the machine (engine_run with its globals,
 * the final slabinfo walk): a BUG hit there, outside any operation (lists
 * a double free corrupted, say), returns false instead of ending the
 * process, so the run directory can still be written.
 */
bool machine_guarded(struct machine *m, void (*fn)(void *arg), void *arg);

/* A constructor that costs the cache's ctor_ns and writes nothing. */
void machine_ctor(void *obj, struct kmem_cache *cachep, unsigned long flags);

#endif /* SLABSIM_SIM_MACHINE_H */
