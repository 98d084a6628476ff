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
	uint64_t create_t;
	unsigned int line, col;		/* where it was declared */
};

enum wl_op {
	WL_ALLOC, WL_ALLOC_NODE, WL_ZALLOC, WL_FREE,
	WL_KMALLOC, WL_KMALLOC_NODE, WL_KFREE,
	WL_TOUCH,			/* write/read bytes of a live name */
	WL_SLABINFO,			/* snapshot into the report */
	WL_TUNE, WL_SHRINK, WL_DESTROY, WL_CREATE,
	WL_CPU_DOWN, WL_CPU_UP, WL_MEMPOLICY,
};

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
	unsigned int line, col;		/* where it was written */
};

enum wl_dist { WL_DIST_FIXED, WL_DIST_EXP, WL_DIST_UNIFORM };

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
	unsigned int line, col;
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
	uint64_t sample;		/* ns; 0 = no time series */
	uint64_t duration;		/* ns; 0 = until the last event */
	bool duration_given;		/* else the loader computed duration */
	struct wl_cache *caches;
	size_t nr_caches;
	char (*names)[64];		/* as: names, in order of first use */
	size_t nr_names;
	struct wl_event *events;
	size_t nr_events;
	struct wl_generator *generators;
	size_t nr_generators;
	struct wl_faults faults;	/* all off unless faults: is given */
};

/*
 * Load path into *wl. On a user error returns false, writes one line
 * "file:line:col: message" (or "file: message") into err and leaves *wl
 * empty (freed). Never exits, never prints.
 */
bool workload_load(const char *path, struct workload *wl, char *err,
		   size_t errlen);
/* The same from a string (tests); name is used in messages. */
bool workload_load_string(const char *name, const char *yaml,
			  struct workload *wl, char *err, size_t errlen);
void workload_free(struct workload *wl);

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
