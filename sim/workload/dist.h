#ifndef SLABSIM_SIM_DIST_H
#define SLABSIM_SIM_DIST_H
/*
 * The laws a generator draws from, as pure functions of a random stream
 * (sim/util.h): lifetimes (fixed, exponential, uniform, lognormal,
 * Pareto), kmalloc sizes from a histogram, and arrival times (fixed
 * interval, on/off periods, bursts of N every D). The runner calls these
 * and nothing else draws for a generator, so tests/test_dist.c checks
 * exactly what a run uses.
 *
 * Every law gives the same bits on every host: only IEEE +, -, *, / and
 * sqrt (all correctly rounded), det_log and det_exp; no libm
 * transcendental, whose last bit varies by library and CPU.
 */
#include <stdbool.h>
#include <stdint.h>

#include "sim/util.h"

/* A drawn duration is clamped to this (far past any run's end). */
#define DIST_MAX_NS	(1ULL << 60)

/* exp(x) for |x| <= 700, plain IEEE arithmetic (as det_log). */
double det_exp(double x);

/* Exponential with the given mean, truncated to whole ns. */
static inline uint64_t dist_exp(struct rng *r, double mean_ns)
{
	return (uint64_t)(rng_exp(r) * mean_ns);
}

/* Uniform on the integers [lo, hi]; hi - lo < UINT64_MAX. */
static inline uint64_t dist_uniform(struct rng *r, uint64_t lo, uint64_t hi)
{
	return lo + rng_below(r, hi - lo + 1);
}

/* Standard normal: Marsaglia's polar method (two uniforms per try). */
double dist_normal(struct rng *r);
/* Lognormal: median * exp(sigma * N(0, 1)). sigma >= 0. */
double dist_lognormal(struct rng *r, double median, double sigma);
/* Pareto: scale * U^(-1/alpha), U uniform in (0, 1]. alpha > 0. */
double dist_pareto(struct rng *r, double scale, double alpha);
/* x as whole ns: truncated, clamped to [0, DIST_MAX_NS]. */
uint64_t dist_ns(double x);

/*
 * A histogram: n values with cumulative integer weights cum[0..n-1]
 * (non-decreasing, cum[n-1] > 0). Returns the index drawn, value i with
 * probability (cum[i] - cum[i-1]) / cum[n-1]; exact integer arithmetic.
 */
unsigned int dist_hist(struct rng *r, const uint64_t *cum, unsigned int n);

/* ------------------------------------------------------------------ */
/* Arrivals                                                            */
/* ------------------------------------------------------------------ */

enum arr_kind {
	ARR_FIXED,	/* one every gap, from + gap, from + 2 gap, ... */
	ARR_ONOFF,	/* spacing during on periods of `on`, then `off` idle */
	ARR_BURST,	/* `count` arrivals at spacing, a burst every `every` */
};

/*
 * The state of one arrival process. Times are workload ns. The spacing
 * inside on periods and bursts is Poisson (exponential gaps of mean gap,
 * at least 1 ns) or fixed (the k-th at floor(k * gap)).
 */
struct arrivals {
	enum arr_kind kind;
	bool poisson;		/* spacing law; ARR_FIXED is always fixed */
	double gap;		/* mean gap in ns, 1e9 / rate */
	uint64_t from;		/* first on period / first burst */
	uint64_t on, off;	/* ARR_ONOFF */
	uint64_t count, every;	/* ARR_BURST */
	/* running state */
	uint64_t k;		/* fixed spacing: arrivals so far (phase) */
	uint64_t tau;		/* ARR_ONOFF: active time so far */
	uint64_t burst;		/* ARR_BURST: bursts begun, less one */
	uint64_t burst_start;	/* ARR_BURST: start of the current burst */
	uint64_t in_burst;	/* ARR_BURST: arrivals of the current burst */
	uint64_t offset;	/* ARR_BURST, Poisson: last arrival - start */
	uint64_t last;		/* the last time returned */
};

/* Sets a up from its configuration fields (kind..every already set). */
void arrivals_start(struct arrivals *a);
/*
 * The next arrival time, never before the previous one. Poisson spacing
 * draws one exponential from r per arrival; fixed spacing draws nothing.
 */
uint64_t arrivals_next(struct arrivals *a, struct rng *r);
/* Workload time of active time tau of an on/off process. */
uint64_t onoff_time(uint64_t from, uint64_t on, uint64_t off, uint64_t tau);

#endif /* SLABSIM_SIM_DIST_H */
