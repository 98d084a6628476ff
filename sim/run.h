#ifndef SLABSIM_SIM_RUN_H
#define SLABSIM_SIM_RUN_H
/*
 * The runner: boots a machine for a workload, turns the workload's events
 * and generators into operations on the simulated CPUs, takes snapshots
 * and samples, and hands the results to the report writers.
 */
#include <stdbool.h>
#include <stdint.h>

#include "sim/latency.h"
#include "sim/machine.h"
#include "sim/util.h"
#include "sim/workload.h"

struct run_options {
	const char *out_dir;	/* where the run directory goes */
	bool quiet;		/* no summary on stdout */
	bool progress;		/* progress on stderr (a terminal) */
	bool check;		/* run the slab validators whenever quiescent */
	const char *access_trace;	/* --access-trace FILE, or NULL */
	bool slabinfo_plain;	/* slabinfo as a non-debug kernel prints it */
};

/* One slabinfo snapshot taken during the run. */
struct snapshot {
	uint64_t t;
	struct strbuf text;
};

/*
 * What the run records at an `at:` time of the workload's expectations
 * (sim/expect.h), for the report layer to read after the run: taken like
 * a slabinfo snapshot, once every operation that began before t has ended.
 */
struct expect_capture {
	uint64_t t;			/* workload time */
	bool taken;
	bool want_summary, want_slabinfo;
	struct strbuf summary;		/* summary.json as it stood at t */
	struct strbuf slabinfo;		/* /proc/slabinfo at t */
};

/* Per cache, what the workload's users hold (the runner's bookkeeping). */
struct user_stats {
	uint64_t live_objs;
	uint64_t live_bytes;	/* bytes requested by live objects */
	uint64_t allocs, frees, failures;
	/* time in the allocator per call, by kind; NULL: no such call */
	struct lat_hist *lat[LAT_NR_KINDS];
};

/*
 * Per call site of an allocation (an event's site:, else its workload
 * line; a generator's line), what came of the objects allocated there:
 * perf kmem stat --caller's view. Frees count against the allocation's
 * site, cross_* compare the freeing CPU with the allocating one.
 */
enum site_kind { SITE_NAMED, SITE_LINE, SITE_OTHER };
struct site_stats {
	enum site_kind kind;
	int id;				/* workload_site index, or the line */
	uint64_t allocs, frees, failures;
	uint64_t bytes_req, bytes_alloc;	/* of successful allocations */
	uint64_t cross_cpu, cross_node;	/* frees on another CPU, node */
	uint64_t waits, wait_ns;	/* frees/touches that waited for it */
};

/* Everything a run produced, for the report writers. */
struct run_result {
	struct workload *wl;
	struct machine *m;
	int status;			/* enum run_status */
	uint64_t boot_t;		/* virtual time boot ended: workload t=0 */
	uint64_t end_t;			/* workload time the run stopped */
	uint64_t ops;			/* workload operations executed */
	uint64_t allocs, frees, alloc_failures, double_frees, skipped;
	uint64_t events;		/* workload events read */
	uint64_t not_run;		/* events after the end (duration) */
	uint64_t waits, wait_ns;	/* events that waited for an allocation */
	struct site_stats *sites;
	size_t nr_sites;
	struct user_stats *users;	/* per machine cache index */
	size_t nr_users;
	struct snapshot *snaps;
	size_t nr_snaps;
	/* lock contentions and wait per cache at the last sample (deltas) */
	uint64_t *lock_prev;		/* 2 per cache: contentions, wait_ns */
	size_t nr_lock_prev;
	struct strbuf timeseries;	/* CSV body rows */
	struct strbuf fragmentation;
	struct strbuf final_slabinfo;
	bool consistent;		/* validators held at the end */
	struct expect_capture *caps;	/* one per distinct expect at: time */
	size_t nr_caps;
	/* expectations evaluated (sim/report/expect.c), for the report */
	struct strbuf expect_json, junit, expect_text;
	unsigned int expect_failed;
	bool checked;			/* --check: validated after operations */
};

/*
 * Run wl and write its run directory to opt->out_dir (atomically: a
 * complete directory or nothing). Returns a run_status; user errors that
 * only show at run time (e.g. an output directory that cannot be written)
 * are reported through user_error().
 */
int run_workload(struct workload *wl, const struct run_options *opt);

#endif /* SLABSIM_SIM_RUN_H */
