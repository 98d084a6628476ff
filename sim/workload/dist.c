// SPDX-License-Identifier: GPL-2.0
/*
 * The laws of sim/dist.h. Pure functions of a random stream and their
 * arguments; no state of their own.
 */
#include "sim/workload/dist.h"

#include <math.h>

/* ln 2 in two parts (Cody and Waite): k * LN2_HI is exact for |k| < 2^11 */
#define LN2_HI	6.93147180369123816490e-01
#define LN2_LO	1.90821492927058770002e-10
#define LOG2E	1.44269504088896340736

/*
 * exp(x) = 2^k exp(t), k the nearest integer to x / ln 2, |t| <= ln 2 / 2
 * (ln 2 in two parts, so t keeps its precision even for |k| near 1000):
 * the Taylor series of exp(t) to t^17 by Horner (truncation below 1e-17
 * relative), then the exact scaling by 2^k.
 */
double det_exp(double x)
{
	double kd, t, p = 1.0;

	if (x > 700.0)
		x = 700.0;
	if (x < -700.0)
		x = -700.0;
	kd = x * LOG2E;
	kd = (double)(long)(kd < 0 ? kd - 0.5 : kd + 0.5);
	t = (x - kd * LN2_HI) - kd * LN2_LO;
	for (int n = 17; n >= 1; n--)
		p = 1.0 + t * p / (double)n;
	return ldexp(p, (int)kd);
}

double dist_normal(struct rng *r)
{
	for (;;) {
		double u = 2.0 * rng_unit(r) - 1.0;
		double v = 2.0 * rng_unit(r) - 1.0;
		double s = u * u + v * v;

		if (s >= 1.0 || s == 0.0)
			continue;
		return u * sqrt(-2.0 * det_log(s) / s);
	}
}

double dist_lognormal(struct rng *r, double median, double sigma)
{
	return median * det_exp(sigma * dist_normal(r));
}

double dist_pareto(struct rng *r, double scale, double alpha)
{
	/* 1 - [0, 1) is (0, 1]: the log is finite */
	double u = 1.0 - rng_unit(r);

	return scale * det_exp(-det_log(u) / alpha);
}

uint64_t dist_ns(double x)
{
	if (!(x > 0.0))
		return 0;
	if (x >= (double)DIST_MAX_NS)
		return DIST_MAX_NS;
	return (uint64_t)x;
}

unsigned int dist_hist(struct rng *r, const uint64_t *cum, unsigned int n)
{
	uint64_t u = rng_below(r, cum[n - 1]);
	unsigned int lo = 0, hi = n - 1;

	/* the first i with cum[i] > u; cum[n - 1] > u always */
	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (cum[mid] > u)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* ------------------------------------------------------------------ */
/* Arrivals                                                            */
/* ------------------------------------------------------------------ */

/* A Poisson gap: as the runner's Poisson arrivals, at least 1 ns. */
static uint64_t poisson_gap(struct arrivals *a, struct rng *r)
{
	uint64_t g = dist_exp(r, a->gap);

	return g ? g : 1;
}

/* The k-th point of fixed spacing: no drift, whatever k. */
static uint64_t fixed_at(const struct arrivals *a, uint64_t k)
{
	return (uint64_t)((double)k * a->gap);
}

uint64_t onoff_time(uint64_t from, uint64_t on, uint64_t off, uint64_t tau)
{
	return from + tau / on * (on + off) + tau % on;
}

void arrivals_start(struct arrivals *a)
{
	a->k = 0;
	a->tau = 0;
	a->burst = 0;
	a->burst_start = a->from;
	a->in_burst = 0;
	a->offset = 0;
	a->last = a->from;
}

uint64_t arrivals_next(struct arrivals *a, struct rng *r)
{
	uint64_t t;

	switch (a->kind) {
	case ARR_FIXED:
		t = a->from + fixed_at(a, ++a->k);
		break;
	case ARR_ONOFF:
		if (a->poisson)
			a->tau += poisson_gap(a, r);
		else
			a->tau = fixed_at(a, ++a->k);
		t = onoff_time(a->from, a->on, a->off, a->tau);
		break;
	default: /* ARR_BURST */
		if (a->in_burst == a->count) {
			/* the next burst, on time unless this one overran */
			uint64_t nominal = a->from + ++a->burst * a->every;

			a->burst_start = nominal > a->last ? nominal : a->last + 1;
			a->in_burst = 0;
			a->offset = 0;
		}
		if (a->in_burst == 0)
			a->offset = 0;
		else if (a->poisson)
			a->offset += poisson_gap(a, r);
		else
			a->offset = fixed_at(a, a->in_burst);
		a->in_burst++;
		t = a->burst_start + a->offset;
		break;
	}
	if (t < a->last)	/* cannot happen; keeps the contract anyway */
		t = a->last;
	a->last = t;
	return t;
}
