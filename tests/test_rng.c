/*
 * The run's random numbers (sim/util.c): streams that depend only on
 * (seed, stream), and the ziggurat exponential, whose wedge test decides
 * by a quick exp(-x) unless the point is too close to call.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "sim/util.h"

/* Test-build only entry points of sim/util.c. */
double rng_test_det_exp_neg(double x);
double rng_test_quick_exp_neg(double x);
bool rng_test_under_exp_neg(double y, double x);

/* A stream is a function of (seed, stream); another stream differs. */
static void test_streams(void **state)
{
	struct rng a, b, c;
	int same_c = 0;

	(void)state;
	rng_seed(&a, 7, 1003);
	rng_seed(&b, 7, 1003);
	rng_seed(&c, 7, 1004);
	for (int i = 0; i < 1000; i++) {
		uint64_t va = rng_next(&a), vc = rng_next(&c);

		assert_int_equal(va, rng_next(&b));
		same_c += va == vc;
	}
	assert_int_equal(same_c, 0);
}

/*
 * The quick exp(-x) stays within 1e-14 of the exact one over the whole
 * range the ziggurat asks about (its strips end at R = 7.697), far inside
 * the 1e-12 band within which the exact one decides.
 */
static void test_quick_exp_close(void **state)
{
	struct rng r;
	double worst = 0.0;

	(void)state;
	rng_seed(&r, 1, 1);
	for (int i = 0; i < 200000; i++) {
		double x = rng_unit(&r) * 8.0;
		double d = rng_test_det_exp_neg(x);
		double q = rng_test_quick_exp_neg(x);
		double rel = fabs(q - d) / d;

		worst = rel > worst ? rel : worst;
		/* and both are exp(-x): the reduction and series are right */
		assert_true(fabs(d - exp(-x)) <= 1e-14 * exp(-x));
	}
	assert_true(worst <= 1e-14);
}

/*
 * The wedge decision is exactly y < det_exp_neg(x): for points far from
 * the curve (decided quickly), within the band (decided exactly), and on
 * it to the last bit.
 */
static void test_under_exp_exact(void **state)
{
	struct rng r;
	int near = 0;

	(void)state;
	rng_seed(&r, 1, 2);
	for (int i = 0; i < 200000; i++) {
		double x = rng_unit(&r) * 7.7;
		double d = rng_test_det_exp_neg(x);
		double spread = (i % 3 == 0) ? 0.5 : (i % 3 == 1) ? 1e-11 : 0.0;
		double y = d * (1.0 + (rng_unit(&r) - 0.5) * spread);

		if (i % 3 == 2)
			y = (i & 8) ? nextafter(d, 0.0) : d;
		near += fabs(y - d) <= 1e-12 * d;
		assert_int_equal(rng_test_under_exp_neg(y, x), y < d);
	}
	assert_true(near > 60000);	/* the band's exact path was taken */
}

/*
 * rng_exp is Exp(1): mean and variance 1, P(X > a) = e^-a, also in the
 * tail beyond the ziggurat's last strip (R = 7.697). 4M draws: the
 * bounds are about five standard errors.
 */
static void test_exp_distribution(void **state)
{
	const int n = 4000000;
	const double cut[4] = { 0.5, 1.0, 3.0, 8.0 };
	struct rng r;
	double sum = 0.0, sum2 = 0.0;
	long over[4] = { 0 };

	(void)state;
	rng_seed(&r, 42, 3);
	for (int i = 0; i < n; i++) {
		double x = rng_exp(&r);

		assert_true(x >= 0.0);
		sum += x;
		sum2 += x * x;
		for (int k = 0; k < 4; k++)
			over[k] += x > cut[k];
	}
	double mean = sum / n, var = sum2 / n - mean * mean;
	assert_true(fabs(mean - 1.0) < 0.0025);
	assert_true(fabs(var - 1.0) < 0.01);
	for (int k = 0; k < 4; k++) {
		double p = exp(-cut[k]);
		double se = sqrt(p * (1.0 - p) / n);

		assert_true(fabs((double)over[k] / n - p) < 5.0 * se + 1e-7);
	}
	assert_true(over[3] > 0);	/* the tail beyond R is drawn */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_streams),
		cmocka_unit_test(test_quick_exp_close),
		cmocka_unit_test(test_under_exp_exact),
		cmocka_unit_test(test_exp_distribution),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
