// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the generator laws (sim/workload/dist.c): for each law, with a fixed
 * seed, the sample mean against the law's mean (within 5 standard
 * errors, the standard error taken from the law's own variance) and the
 * Kolmogorov-Smirnov distance against the law's distribution function
 * (below 1.95 / sqrt(n), the 0.1% critical value); the histogram's
 * frequencies by a chi-square test; the arrival processes' timing
 * exactly (fixed spacing, on/off windows, bursts of N every D, a burst
 * that overruns its period).
 *
 * The reference functions here use libm (exp, log, erfc): a test may, the
 * simulator may not (its laws must give the same bits on every host).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sim/workload/dist.h"

#define N	200000

static double sample[N];

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double mean_of(const double *x, size_t n)
{
	double s = 0;

	for (size_t i = 0; i < n; i++)
		s += x[i];
	return s / (double)n;
}

/* sup |F_n - F| over the sorted sample. */
static double ks(double *x, size_t n, double (*cdf)(double, const double *),
		 const double *par)
{
	double d = 0;

	qsort(x, n, sizeof(*x), cmp_double);
	for (size_t i = 0; i < n; i++) {
		double f = cdf(x[i], par);
		double lo = f - (double)i / (double)n;
		double hi = (double)(i + 1) / (double)n - f;

		if (lo > d)
			d = lo;
		if (hi > d)
			d = hi;
	}
	return d;
}

/* Sample mean within 5 standard errors, and KS below the 0.1% value. */
static void check_law(double *x, size_t n, double mean, double var,
		      double (*cdf)(double, const double *), const double *par)
{
	double m = mean_of(x, n), se = sqrt(var / (double)n);
	double d = ks(x, n, cdf, par), crit = 1.949 / sqrt((double)n);

	if (fabs(m - mean) > 5 * se)
		fail_msg("sample mean %.6g, law's mean %.6g (standard error %.3g)",
			 m, mean, se);
	if (d > crit)
		fail_msg("KS distance %.5f above %.5f", d, crit);
}

static double cdf_exp(double x, const double *p)
{
	return x < 0 ? 0 : 1 - exp(-x / p[0]);
}

static double cdf_normal(double x, const double *p)
{
	(void)p;
	return 0.5 * erfc(-x / sqrt(2.0));
}

static double cdf_lognormal(double x, const double *p)
{
	return x <= 0 ? 0 : 0.5 * erfc(-(log(x) - log(p[0])) / (p[1] * sqrt(2.0)));
}

static double cdf_pareto(double x, const double *p)
{
	return x < p[0] ? 0 : 1 - pow(p[0] / x, p[1]);
}

/* Discrete uniform on [a, b]: F(x) for the integer x. */
static double cdf_uniform(double x, const double *p)
{
	return (floor(x) - p[0] + 1) / (p[1] - p[0] + 1);
}

static void test_det_exp(void **state)
{
	for (double x = -700; x <= 700; x += 0.37) {
		double want = exp(x), got = det_exp(x);

		if (fabs(got - want) > 1e-14 * want)
			fail_msg("det_exp(%g) = %.17g, exp gives %.17g", x, got, want);
	}
	assert_true(det_exp(0) == 1.0);
}

static void test_exp(void **state)
{
	struct rng r;
	double mean = 1e6, par[1] = { mean };

	rng_seed(&r, 42, 1);
	for (size_t i = 0; i < N; i++)
		sample[i] = (double)dist_exp(&r, mean);
	/* truncation to whole ns shifts the mean by 0.5 ns: negligible */
	check_law(sample, N, mean, mean * mean, cdf_exp, par);
}

static void test_uniform(void **state)
{
	struct rng r;
	double a = 1000, b = 5000, par[2] = { a, b }, w = b - a + 1;

	rng_seed(&r, 42, 2);
	for (size_t i = 0; i < N; i++) {
		uint64_t v = dist_uniform(&r, 1000, 5000);

		assert_true(v >= 1000 && v <= 5000);
		sample[i] = (double)v;
	}
	check_law(sample, N, (a + b) / 2, (w * w - 1) / 12, cdf_uniform, par);
}

static void test_normal(void **state)
{
	struct rng r;

	rng_seed(&r, 42, 3);
	for (size_t i = 0; i < N; i++)
		sample[i] = dist_normal(&r);
	check_law(sample, N, 0, 1, cdf_normal, NULL);
}

static void test_lognormal(void **state)
{
	struct rng r;
	double med = 50000, sigma = 1.2, par[2] = { med, sigma };
	double s2 = sigma * sigma;
	double mean = med * exp(s2 / 2);
	double var = (exp(s2) - 1) * med * med * exp(s2);

	rng_seed(&r, 42, 4);
	for (size_t i = 0; i < N; i++)
		sample[i] = dist_lognormal(&r, med, sigma);
	check_law(sample, N, mean, var, cdf_lognormal, par);
	/* sorted by ks(): the sample median is the law's median */
	assert_true(fabs(sample[N / 2] / med - 1) < 0.02);
	/* sigma 0 is the median itself */
	assert_true(dist_lognormal(&r, med, 0) == med);
}

static void test_pareto(void **state)
{
	struct rng r;
	double scale = 10000, alpha = 3, par[2] = { scale, alpha };
	double mean = scale * alpha / (alpha - 1);
	double var = scale * scale * alpha / ((alpha - 1) * (alpha - 1) * (alpha - 2));

	rng_seed(&r, 42, 5);
	for (size_t i = 0; i < N; i++) {
		sample[i] = dist_pareto(&r, scale, alpha);
		assert_true(sample[i] >= scale * (1 - 1e-15));
	}
	check_law(sample, N, mean, var, cdf_pareto, par);
}

static void test_ns(void **state)
{
	assert_int_equal(dist_ns(-1), 0);
	assert_int_equal(dist_ns(NAN), 0);
	assert_int_equal(dist_ns(12.9), 12);
	assert_true(dist_ns(1e30) == DIST_MAX_NS);
}

/* The example: {64: 0.4, 192: 0.3, 1000: 0.2, 4000: 0.1}, a zero. */
static void test_hist(void **state)
{
	const uint64_t cum[5] = { 400000000, 700000000, 900000000, 900000000,
				  1000000000 };
	const double p[5] = { 0.4, 0.3, 0.2, 0, 0.1 };
	unsigned long count[5] = { 0 };
	double chi2 = 0;
	struct rng r;

	rng_seed(&r, 42, 6);
	for (size_t i = 0; i < N; i++) {
		unsigned int k = dist_hist(&r, cum, 5);

		assert_true(k < 5);
		count[k]++;
	}
	assert_int_equal(count[3], 0);	/* weight 0 is never drawn */
	for (int k = 0; k < 5; k++) {
		double e = p[k] * N;

		if (e > 0)
			chi2 += (count[k] - e) * (count[k] - e) / e;
	}
	/* 3 degrees of freedom: 16.27 is the 0.1% critical value */
	if (chi2 > 16.27)
		fail_msg("chi-square %.2f for counts %lu %lu %lu %lu", chi2,
			 count[0], count[1], count[2], count[4]);
	/* one value: always it */
	assert_int_equal(dist_hist(&r, cum, 1), 0);
}

/* ------------------------------------------------------------------ */
/* Arrivals                                                            */
/* ------------------------------------------------------------------ */

static void test_fixed_arrivals(void **state)
{
	struct arrivals a = { .kind = ARR_FIXED, .gap = 1e9 / 3, .from = 500 };
	struct rng r;
	uint64_t t = 0;

	rng_seed(&r, 1, 1);
	arrivals_start(&a);
	assert_int_equal(arrivals_next(&a, &r), 500 + 333333333);
	assert_int_equal(arrivals_next(&a, &r), 500 + 666666666);
	assert_int_equal(arrivals_next(&a, &r), 500 + 1000000000);
	/* no drift: the 3,000,000th is exactly a million seconds in */
	for (int k = 4; k <= 3000000; k++)
		t = arrivals_next(&a, &r);
	assert_int_equal(t, 500 + 1000000ULL * 1000000000ULL);
}

/* Every arrival inside an on window; per window about on / gap of them. */
static void check_onoff(bool poisson)
{
	const uint64_t from = 1000, on = 2000000, off = 8000000;
	struct arrivals a = { .kind = ARR_ONOFF, .poisson = poisson,
			      .gap = 10000, .from = from, .on = on, .off = off };
	unsigned long per[100] = { 0 }, total = 0;
	uint64_t t, last = 0;
	struct rng r;

	rng_seed(&r, 42, 7);
	arrivals_start(&a);
	while ((t = arrivals_next(&a, &r)) < from + 100 * (on + off)) {
		assert_true(t >= last && t > from);
		assert_true((t - from) % (on + off) < on);
		per[(t - from) / (on + off)]++;
		total++;
		last = t;
	}
	for (int w = 0; w < 100; w++) {
		if (!poisson)	/* 10us apart from the window's start */
			assert_int_equal(per[w], w == 0 ? 199 : 200);
		else if (fabs((double)per[w] - 200) > 5 * sqrt(200))
			fail_msg("window %d has %lu arrivals, expected about 200",
				 w, per[w]);
	}
	if (fabs((double)total - 20000) > 5 * sqrt(20000))
		fail_msg("%lu arrivals in 100 windows, expected about 20000", total);
}

static void test_onoff(void **state)
{
	check_onoff(true);
	check_onoff(false);
	/* the mapping itself: active time 0..on-1 is window 0, on is the next */
	assert_int_equal(onoff_time(5, 10, 90, 9), 14);
	assert_int_equal(onoff_time(5, 10, 90, 10), 105);
	assert_int_equal(onoff_time(5, 10, 90, 25), 210);
}

/* Bursts of 64 every 10 ms: each starts on time and holds exactly 64. */
static void test_bursts(void **state)
{
	const uint64_t from = 7, every = 10000000;
	struct arrivals a = { .kind = ARR_BURST, .poisson = true, .gap = 1000,
			      .from = from, .count = 64, .every = every };
	struct rng r;

	rng_seed(&r, 42, 8);
	arrivals_start(&a);
	for (uint64_t b = 0; b < 50; b++) {
		uint64_t start = from + b * every, prev = 0;

		for (int i = 0; i < 64; i++) {
			uint64_t t = arrivals_next(&a, &r);

			if (i == 0)
				assert_int_equal(t, start);
			else
				assert_true(t > prev);
			assert_true(t < start + every);
			prev = t;
		}
	}
}

/* A burst longer than its period: the next starts right after it. */
static void test_burst_overrun(void **state)
{
	struct arrivals a = { .kind = ARR_BURST, .poisson = false, .gap = 1000,
			      .from = 0, .count = 100, .every = 50000 };
	struct rng r;
	uint64_t t = 0;

	rng_seed(&r, 42, 9);
	arrivals_start(&a);
	for (int i = 0; i < 100; i++) {
		t = arrivals_next(&a, &r);
		assert_int_equal(t, (uint64_t)i * 1000);
	}
	/* nominal start 50us is long past: 99us + 1ns */
	assert_int_equal(arrivals_next(&a, &r), 99001);
	assert_int_equal(arrivals_next(&a, &r), 100001);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_det_exp),
		cmocka_unit_test(test_exp),
		cmocka_unit_test(test_uniform),
		cmocka_unit_test(test_normal),
		cmocka_unit_test(test_lognormal),
		cmocka_unit_test(test_pareto),
		cmocka_unit_test(test_ns),
		cmocka_unit_test(test_hist),
		cmocka_unit_test(test_fixed_arrivals),
		cmocka_unit_test(test_onoff),
		cmocka_unit_test(test_bursts),
		cmocka_unit_test(test_burst_overrun),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
