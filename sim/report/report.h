#ifndef SLABSIM_SIM_REPORT_H
#define SLABSIM_SIM_REPORT_H
/*
 * The report layer: everything a run writes. The engine and the models
 * never format output; they are read here, between or after steps.
 */
#include <stdio.h>

#include "sim/run.h"

/* Append one time-series sample (all caches, all zones) at time t. */
void report_sample(struct run_result *res, uint64_t t);

/*
 * Fragmentation (sim/report/frag.c): the header line of fragmentation.csv,
 * and the rows of one sample appended to res->fragmentation; infos[i] is
 * machine cache i as this sample read it (ignored where cachep is NULL).
 */
void report_frag_header(struct strbuf *sb);
void report_frag_sample(struct run_result *res, uint64_t t,
			const struct kmem_cache_info *infos);

/*
 * Locks (sim/report/lock_stat.c): /proc/lock_stat in the kernel's layout and
 * lock_stat.csv with the per-cache split; the "locks" member of
 * summary.json; per machine cache (ncaches entries each), the
 * contentions and wait on the locks of its node lists so far.
 */
void report_lock_stat(const struct machine *m, struct strbuf *text,
		      struct strbuf *csv);
void report_lock_json(const struct machine *m, struct strbuf *sb);
void report_lock_cache_totals(const struct machine *m, size_t ncaches,
			      uint64_t *contentions, uint64_t *wait_ns);

/*
 * Latency (sim/report/latency.c): latency.csv; the "latency" member of
 * summary.json (per kind of call, over all caches); and one cache's
 * latency object, put after its other members as ", \"latency\": {...}".
 */
void report_latency_csv(const struct run_result *res, struct strbuf *sb);
void report_latency_json(const struct run_result *res, struct strbuf *sb);
void report_latency_cache_json(const struct user_stats *u, struct strbuf *sb);

/* Shared formatting: zone names; thousandths as "0.865" / "-1.000". */
extern const char *const zone_names[PA_NR_ZONES];
void put_milli(struct strbuf *sb, int v);
/* The same into buf (at least 16 bytes); returns buf. */
const char *milli_str(char *buf, int v);

/*
 * for_each_present_zone(m, nid, z, zi): every zone the machine has, node
 * by node, DMA before Normal, with zi (a struct pa_zone_info) filled in,
 * as the kernel's for_each_zone walks them.
 */
#define for_each_present_zone(m, nid, z, zi)					\
	for ((nid) = 0; (nid) < (m)->nr_nodes; (nid)++)				\
		for ((z) = 0; (z) < PA_NR_ZONES; (z)++)				\
			if (pa_zone_info((m)->pa, (nid), (enum pa_zone)(z),	\
					 &(zi)), !(zi).present) {} else

/*
 * Write the run directory (slabinfo, slabinfo.<t>, timeseries.csv,
 * fragmentation.csv, buddyinfo, lock_stat, lock_stat.csv, cache.csv,
 * l1sets.csv, summary.json, kernel.log, and the .slabsim-run marker
 * listing them) into opt->out_dir: built in a unique temporary directory
 * beside it and exchanged into place (sim/report/outdir.h), so a reader
 * sees a complete run or none. The caller checked out_dir with
 * outdir_check_or_die before simulating; a directory that cannot be
 * written is still a user error (exit 2), with nothing left behind.
 */
void report_write_run_dir(const struct run_result *res,
			  const struct run_options *opt);
/* summary.json's text for res as it stands (also mid-run, for captures). */
void report_summary_json(const struct run_result *res, struct strbuf *sb);

/*
 * Expectations (sim/report/expect.c): each of the workload's evaluated
 * against the final state or its capture, into res->expect_text (the
 * lines the run prints), res->expect_json and res->junit; returns how
 * many failed. A figure that does not exist in a run that ended normally
 * is a user error (exit 2), reported before anything is written.
 */
unsigned int report_expectations(struct run_result *res);

/* The short summary a run prints; dir is where it was written. */
void report_print_summary(const struct run_result *res, const char *dir,
			  FILE *out);

#endif /* SLABSIM_SIM_REPORT_H */
