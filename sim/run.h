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
	bool slabinfo_plain;	/* slabinfo as a non-debug kernel prints it */
};

/* One slabinfo snapshot taken during the run. */
struct snapshot {
	uint64_t t;
	struct strbuf text;
};

/* Per cache, what the workload's users hold (the runner's bookkeeping). */
struct user_stats {
	uint64_t live_objs;
	uint64_t live_bytes;	/* bytes requested by live objects */
	uint64_t allocs, frees, failures;
	/* time in the allocator per call, by kind; NULL: no such call */
	struct lat_hist *lat[LAT_NR_KINDS];
};

/* Everything a run produced, for the report writers. */
struct run_result {
	const struct workload *wl;
	struct machine *m;
	int status;			/* enum run_status */
	uint64_t boot_t;		/* virtual time boot ended: workload t=0 */
	uint64_t end_t;			/* workload time the run stopped */
	uint64_t ops;			/* workload operations executed */
	uint64_t allocs, frees, alloc_failures, double_frees, skipped;
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
};

/*
 * Run wl and write its run directory to opt->out_dir (atomically: a
 * complete directory or nothing). Returns a run_status; user errors that
 * only show at run time (e.g. an output directory that cannot be written)
 * are reported through user_error().
 */
int run_workload(const struct workload *wl, const struct run_options *opt);

#endif /* SLABSIM_SIM_RUN_H */
