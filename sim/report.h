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
 * Write the run directory (slabinfo, slabinfo.<t>, timeseries.csv,
 * fragmentation.csv, buddyinfo, lock_stat, lock_stat.csv, cache.csv,
 * l1sets.csv, summary.json, kernel.log) into opt->out_dir: built in a
 * sibling temporary directory and renamed into place, so a reader sees a
 * complete run or none. A directory that cannot be written is a user
 * error (exit 2), with nothing left behind.
 */
void report_write_run_dir(const struct run_result *res,
			  const struct run_options *opt);

/* The short summary a run prints; dir is where it was written. */
void report_print_summary(const struct run_result *res, const char *dir,
			  FILE *out);

#endif /* SLABSIM_SIM_REPORT_H */
