#ifndef SLABSIM_SIM_WORKLOAD_H
#define SLABSIM_SIM_WORKLOAD_H
/*
 * A workload as loaded from YAML: plain data, no behaviour. The loader
 * (workload.c) checks everything a user can get wrong; the runner may rely
 * on what it leaves: names resolved to indices, times in ns, events sorted
 * by (t, file order), every value in range.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/workload/expect.h"

#define WL_MAX_CPUS	256
#define WL_MAX_NODES	64
/*
 * Every time and duration a workload gives is at most 10^6 s (11.6
 * days), well inside the engine's horizon (sim/engine.h).
 */
#define WL_MAX_TIME	(1000000ULL * 1000000000ULL)

struct wl_level {			/* one cache level of the cache model */
	uint64_t size;			/* bytes */
	unsigned int ways;
};

struct wl_machine {
	char arch[16];			/* "x86_64" (default) or "i386" */
	bool bufctl16;			/* 2-byte kmem_bufctl_t (pre-2.6.14) */
	int nodes;			/* default 1 */
	int cpus;			/* default 1; numbered node by node */
	uint64_t memory;		/* bytes per node, default 256 MiB */
	unsigned int hz;		/* default 250 */
	int min_free_kbytes;		/* vm.min_free_kbytes, 0 = kernel default */
	unsigned int line;		/* cache line bytes, default arch's */
	struct wl_level l1d, l2;	/* defaults 32KiB/8, 1MiB/16 */
	bool cache_model;		/* default true */
	bool smp;			/* CONFIG_SMP on one CPU (default: only
					 * with more than one CPU) */
	/* costs in ns (defaults in workload.c) */
	uint64_t cost_l1, cost_l2, cost_local, cost_remote, cost_lock;
	uint64_t cost_handoff, cost_ipi, cost_page, cost_op;
};

struct wl_tune {
	int limit, batchcount, shared;	/* -1 = not given */
};

struct wl_cache {
	char name[64];
	uint64_t size, align;
	unsigned long flags;		/* SLAB_* bits (values of alloc/slab.h) */
	uint64_t ctor_ns;		/* 0 = no constructor */
	bool has_ctor, has_dtor;
	struct wl_tune tune;		/* applied right after creation */
	bool at_boot;			/* created before t=0 (no `t:` given) */
	int colouring;			/* 0 off, 1 on, -1 as slab.colouring */
	uint64_t create_t;
	unsigned int line, col;		/* where it was declared */
	const char *file;		/* in an include; NULL: wl->file */
};

enum wl_op {
	WL_ALLOC, WL_ALLOC_NODE, WL_ZALLOC, WL_FREE,
	WL_KMALLOC, WL_KMALLOC_NODE, WL_KFREE,
	WL_TOUCH,			/* write/read bytes of a live name */
	WL_SLABINFO,			/* snapshot into the report */
	WL_TUNE, WL_SHRINK, WL_DESTROY, WL_CREATE,
	WL_CPU_DOWN, WL_CPU_UP, WL_MEMPOLICY,
	WL_WALK,			/* read/write every live object of a cache */
	WL_FREE_ALL,			/* free what a generator holds */
};
#define WL_NR_OPS	(WL_FREE_ALL + 1)	/* keep it after the last op */

enum wl_policy { WL_POLICY_DEFAULT, WL_POLICY_INTERLEAVE, WL_POLICY_BIND,
		 WL_POLICY_PREFERRED };

struct wl_event {
	uint64_t t;			/* ns */
	int cpu;			/* runs on; -1 for cpu_up/down, mempolicy */
	enum wl_op op;
	int cache;			/* index into caches, -1 none */
	int name;			/* index into names (as: / free:), -1 none */
	uint64_t size;			/* kmalloc size, touch bytes */
	unsigned int gfp;		/* GFP bits (values of alloc/env.h) */
	int node;			/* *_node target node; cpu_up/down,
					 * mempolicy: the target CPU */
	struct wl_tune tune;
	enum wl_policy policy;
	uint64_t nodemask;		/* interleave/bind nodes */
	bool spread_slab;		/* mempolicy: cpuset memory_spread_slab */
	bool write;			/* touch: write (default) or read */
	bool whole;			/* touch: no bytes: given, size = object */
	int site;			/* call site (workload_site), -1: the line */
	uint64_t offset;		/* walk: first byte of each object */
	int repeat;			/* walk: passes over the objects (1) */
	int gen;			/* free_all: index into generators */
	unsigned int line, col;		/* where it was written */
};

enum wl_dist { WL_DIST_FIXED, WL_DIST_EXP, WL_DIST_UNIFORM,
	       WL_DIST_LOGNORMAL,	/* lifetime_a median, lifetime_sigma */
	       WL_DIST_PARETO,		/* lifetime_a scale, lifetime_alpha */
	       WL_DIST_HELD,		/* until a free_all event (or the end) */
};

/* How a generator's allocations arrive on each of its CPUs. */
enum wl_arrivals {
	WL_ARR_POISSON,			/* exponential gaps, mean 1/rate */
	WL_ARR_FIXED,			/* one every 1/rate */
	WL_ARR_ONOFF,			/* at rate during on, none during off */
	WL_ARR_BURST,			/* burst_count at rate, every burst_every */
};

/* Where a generator's objects are freed. */
enum wl_free_mode {
	WL_FREE_SAME,			/* the allocating CPU (default) */
	WL_FREE_LIST,			/* free_on[], round robin */
	WL_FREE_OTHER_NODE,		/* any CPU of another node, at random */
	WL_FREE_ANY,			/* any CPU, at random */
};

#define WL_MAX_HIST	128		/* kmalloc: {sizes: ...} entries */

struct wl_generator {
	int cache;			/* -1 for kmalloc */
	uint64_t kmalloc_min, kmalloc_max;	/* sizes for kmalloc generators */
	uint64_t cpus;			/* bitmask of allocating CPUs (<= 64) */
	int cpu_list[WL_MAX_CPUS], nr_cpus;
	int free_on[WL_MAX_CPUS], nr_free_on;	/* empty: free on allocator */
	double rate;			/* allocations per second, per CPU */
	enum wl_dist lifetime;
	uint64_t lifetime_a, lifetime_b;	/* ns: fixed/mean, or min/max */
	uint64_t touch;			/* bytes written after alloc */
	unsigned int gfp;
	uint64_t from, until;		/* ns */
	bool until_given, cpus_given;	/* else until = duration, cpus = all */
	/* walk: {every, bytes, offset, write}: each CPU of the generator
	 * walks the cache's live objects every `every` ns (0: never) */
	struct wl_gen_walk {
		uint64_t every, bytes, offset;	/* bytes 0: to the object's end */
		bool write;
	} walk;
	unsigned int line, col;
	/* the laws beyond Poisson/exp/fixed/uniform (sim/dist.h) */
	char name[64];			/* "" = unnamed; free_all names it */
	const char *file;		/* declared in (an include); NULL: wl->file */
	double lifetime_sigma;		/* lognormal */
	double lifetime_alpha;		/* pareto */
	enum wl_arrivals arrivals;
	bool spacing_fixed;		/* on/off and bursts: fixed, not Poisson */
	uint64_t on, off;		/* WL_ARR_ONOFF, ns */
	uint64_t burst_count, burst_every;	/* WL_ARR_BURST */
	unsigned int nr_sizes;		/* kmalloc histogram, 0 = none */
	uint64_t sizes[WL_MAX_HIST];
	uint64_t size_cum[WL_MAX_HIST];	/* cumulative weights, 1e-9 units */
	enum wl_free_mode free_mode;
	int alloc_nodes[WL_MAX_NODES], nr_alloc_nodes;	/* round robin */
	uint64_t touch_free;		/* bytes written before each free */
};

/*
 * One fault injection rule (faults: in a workload), as Linux's
 * fail_page_alloc: of the candidate calls (in [from, until) of workload
 * time, with every flag of gfp set, not __GFP_NOFAIL) fail every Nth,
 * or each with probability P drawn from the run's seed.
 */
struct wl_fault {
	uint64_t every;			/* N >= 1; 0 = probability mode or off */
	double probability;		/* in [0, 1] */
	bool probability_given;		/* on iff every || probability_given */
	uint64_t from, until;		/* ns, workload time */
	bool until_given;		/* else to the end of the run */
	unsigned int gfp;		/* GFP bits a candidate must have; 0 any */
	unsigned int line, col;		/* where it was written; 0: --set only */
};

struct wl_faults {
	struct wl_fault page_alloc;	/* the simulated alloc_pages */
};

static inline bool wl_fault_on(const struct wl_fault *f)
{
	return f->every || f->probability_given;
}

struct workload {
	char file[512];			/* as given, for messages */
	char name[64];
	uint64_t seed;
	struct wl_machine machine;
	bool debug;			/* slab: {debug: true} */
	bool colouring;			/* slab: {colouring: false}; default true */
	uint64_t sample;		/* ns; 0 = no time series */
	uint64_t duration;		/* ns; 0 = until the last event */
	bool duration_given;		/* else the loader computed duration */
	struct wl_cache *caches;
	size_t nr_caches;
	struct wl_generator *generators;
	size_t nr_generators;
	/*
	 * The events are not here: the runner reads them one at a time
	 * (workload_next_event) while it simulates. workload_read_all
	 * fills these for tests and tools that want the whole list.
	 */
	struct wl_event *events;
	size_t nr_events;
	char (*names)[64];		/* by name slot (wl_event.name) */
	size_t nr_names;		/* slots used */
	struct loader *ld;		/* the event stream, the loader's */
	struct wl_expect *expects;	/* expect: (sim/expect.h), in file order */
	size_t nr_expects;
	char **includes;		/* files merged by include: (owned) */
	size_t nr_includes;
	struct wl_faults faults;	/* all off unless faults: is given */
};

/*
 * Load path into *wl: every key but the events, which stay in the file
 * for workload_next_event. On a user error returns false, writes one line
 * "file:line:col: message" (or "file: message") into err and leaves *wl
 * empty (freed). Never exits, never prints. The file stays open until
 * workload_free.
 */
bool workload_load(const char *path, struct workload *wl, char *err,
		   size_t errlen);
/* The same from a string (tests); name is used in messages. */
bool workload_load_string(const char *name, const char *yaml,
			  struct workload *wl, char *err, size_t errlen);
void workload_free(struct workload *wl);
/*
 * Whether a workload whose generators would make more than 10^10
 * allocations may load (--force); by default it is refused, the product
 * named. Set before loading.
 */
void workload_allow_huge(bool yes);

/*
 * The events, one at a time, in file order, with the creations of caches
 * declared with t: put in at their time; checked as they are read against
 * the machine as overrides left it. Returns 1 with *ev filled, 0 at the
 * end (the whole file has been read and checked), -1 with one line in err
 * on a user error anywhere further down the file (then again -1 on every
 * call). Call after the last workload_override.
 *
 * Names: an allocation gets a new name slot (ev->name) that no other live
 * object has; a freed name is remembered for WL_DEAD_NAMES more frees
 * (a double free or a touch after free still find it), then forgotten.
 * A slot is used again only when it is forgotten and the runner holds no
 * event that refers to it (workload_slot_hold / _put).
 */
#define WL_DEAD_NAMES	4096
#define WL_MAX_SNAPSHOTS	10000	/* slabinfo: true events in a run */
#define WL_MAX_SAMPLES		10000ULL	/* run length / sample */
#define WL_MAX_SITE		127	/* characters of a call site */
int workload_next_event(struct workload *wl, struct wl_event *ev, char *err,
			size_t errlen);
void workload_slot_hold(struct workload *wl, int slot);
void workload_slot_put(struct workload *wl, int slot);
/* The number of slots made so far (all below it), for sizing tables. */
size_t workload_nr_slots(const struct workload *wl);

/* Read every event into wl->events and wl->names (tests, small tools). */
bool workload_read_all(struct workload *wl, char *err, size_t errlen);

/* Call sites named by events (`site:`, `@SITE`), by ev->site. */
const char *workload_site(const struct workload *wl, int site);
size_t workload_nr_sites(const struct workload *wl);

/* Apply "KEY=VALUE" overrides (sweep/--set), e.g. "machine.cpus=4",
 * "caches.skbuff_head.tune.limit=16", "seed=7". false + err on bad input,
 * with *wl unchanged; err does not repeat the assignment (the caller names
 * it) and starts "file:line:col: " when an item of the file no longer
 * holds (an event on a CPU the override removed). */
bool workload_override(struct workload *wl, const char *assignment,
		       char *err, size_t errlen);

/* Units: "10ms" -> ns, "512MiB" -> bytes, "200000/s" -> rate. */
bool parse_duration(const char *s, uint64_t *ns);
bool parse_bytes(const char *s, uint64_t *bytes);
bool parse_rate(const char *s, double *per_sec);

#endif /* SLABSIM_SIM_WORKLOAD_H */
