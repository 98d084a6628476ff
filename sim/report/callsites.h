#ifndef SLABSIM_SIM_REPORT_CALLSITES_H
#define SLABSIM_SIM_REPORT_CALLSITES_H
/*
 * The per-call-site report (callsites.csv and the summary's top call
 * sites), read from the runner's struct site_stats: perf kmem stat
 * --caller's figures for the simulated SLAB, so that a replayed trace can
 * be put next to what the real kernel served (slabsim import --stat).
 */
#include "sim/run.h"
#include "sim/util.h"

/* callsites.csv, header included: every site, most allocations first. */
void report_callsites_csv(const struct run_result *res, struct strbuf *sb);
/* "top_callsites": [...] of the summary: the first n of the same order. */
void report_callsites_json(const struct run_result *res, struct strbuf *sb,
			   size_t n);

#endif /* SLABSIM_SIM_REPORT_CALLSITES_H */
