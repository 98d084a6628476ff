/*
 * Unit tests of the fault injection rule (sim/fault.c) alone: which
 * calls are candidates, which of them fail, and that probability mode
 * is a function of the seed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "alloc/env.h"
#include "sim/fault.h"

#define T0	1000000ULL	/* engine time of workload time 0 */
#define US	1000ULL

static struct wl_fault every(uint64_t n)
{
	struct wl_fault f = { 0 };

	f.every = n;
	return f;
}

/* every: 3 over 10 calls fails the 3rd, 6th and 9th, nothing else. */
static void test_every_nth(void **state)
{
	struct wl_fault f = every(3);
	struct fault_state fs;
	int failed[11] = { 0 };

	fault_arm(&fs, &f, 1, T0);
	for (int i = 1; i <= 10; i++)
		failed[i] = fault_should_fail(&fs, T0 + (uint64_t)i * US, GFP_KERNEL);
	for (int i = 1; i <= 10; i++)
		assert_int_equal(failed[i], i % 3 == 0);
	assert_int_equal(fs.candidates, 10);
	assert_int_equal(fs.injected, 3);
}

/* Off, not armed, or before time 0: nothing is a candidate. */
static void test_off(void **state)
{
	struct wl_fault off = { 0 }, on = every(1);
	struct fault_state fs;

	fault_arm(&fs, &off, 1, T0);
	assert_false(fault_should_fail(&fs, T0 + US, GFP_KERNEL));
	fault_arm(&fs, NULL, 1, T0);
	assert_false(fault_should_fail(&fs, T0 + US, GFP_KERNEL));
	assert_int_equal(fs.candidates, 0);
	fault_arm(&fs, &on, 1, T0);
	assert_false(fault_should_fail(&fs, T0 - 1, GFP_KERNEL));
	assert_int_equal(fs.candidates, 0);
	assert_true(fault_should_fail(&fs, T0, GFP_KERNEL));
}

/* [from, until) in workload time; until is exclusive. */
static void test_window(void **state)
{
	struct wl_fault f = every(1);
	struct fault_state fs;

	f.from = 5 * US;
	f.until = 8 * US;
	f.until_given = true;
	fault_arm(&fs, &f, 1, T0);
	assert_false(fault_should_fail(&fs, T0 + 5 * US - 1, GFP_KERNEL));
	assert_true(fault_should_fail(&fs, T0 + 5 * US, GFP_KERNEL));
	assert_true(fault_should_fail(&fs, T0 + 8 * US - 1, GFP_KERNEL));
	assert_false(fault_should_fail(&fs, T0 + 8 * US, GFP_KERNEL));
	assert_int_equal(fs.candidates, 2);
	assert_int_equal(fs.injected, 2);
}

/* gfp: every named flag must be set; __GFP_NOFAIL is never failed. */
static void test_gfp_filter(void **state)
{
	struct wl_fault f = every(1);
	struct fault_state fs;

	f.gfp = __GFP_HIGH;		/* GFP_ATOMIC */
	fault_arm(&fs, &f, 1, T0);
	assert_false(fault_should_fail(&fs, T0, GFP_KERNEL));
	assert_true(fault_should_fail(&fs, T0, GFP_ATOMIC));
	assert_true(fault_should_fail(&fs, T0, GFP_ATOMIC | __GFP_ZERO));
	assert_false(fault_should_fail(&fs, T0, GFP_ATOMIC | __GFP_NOFAIL));
	assert_int_equal(fs.candidates, 2);
	f.gfp = 0;
	fault_arm(&fs, &f, 1, T0);
	assert_false(fault_should_fail(&fs, T0, GFP_KERNEL | __GFP_NOFAIL));
	assert_true(fault_should_fail(&fs, T0, GFP_NOIO));
}

static uint64_t pattern(uint64_t seed, double p, int n, uint64_t *injected)
{
	struct wl_fault f = { 0 };
	struct fault_state fs;
	uint64_t bits = 0;

	f.probability = p;
	f.probability_given = true;
	fault_arm(&fs, &f, seed, T0);
	for (int i = 0; i < n; i++)
		if (fault_should_fail(&fs, T0, GFP_KERNEL) && i < 64)
			bits |= 1ULL << i;
	*injected = fs.injected;
	return bits;
}

/*
 * probability: the same seed fails the same calls, another seed others;
 * 0 never fails and 1 always; over 100000 calls the share is P within
 * 1% (the binomial's standard deviation is 0.15% here).
 */
static void test_probability(void **state)
{
	uint64_t a, b, c, n;

	a = pattern(42, 0.25, 100000, &n);
	b = pattern(42, 0.25, 100000, &c);
	assert_true(a == b);
	assert_int_equal(n, c);
	assert_true(n > 24000 && n < 26000);
	b = pattern(43, 0.25, 100000, &c);
	assert_true(a != b);
	pattern(7, 0.0, 1000, &n);
	assert_int_equal(n, 0);
	pattern(7, 1.0, 1000, &n);
	assert_int_equal(n, 1000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_nth),
		cmocka_unit_test(test_off),
		cmocka_unit_test(test_window),
		cmocka_unit_test(test_gfp_filter),
		cmocka_unit_test(test_probability),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
