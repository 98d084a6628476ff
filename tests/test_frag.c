/*
 * Fragmentation indices on free areas worked out by hand, with the
 * kernel's integer truncation at each division.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "models/page_alloc.h"

/* Nothing free: all of it "unusable", and no blocks to be fragmented. */
static void test_empty(void **state)
{
	uint64_t nr_free[PA_MAX_ORDER] = { 0 };

	(void)state;
	assert_int_equal(frag_unusable_index(nr_free, 0), 1000);
	assert_int_equal(frag_unusable_index(nr_free, 3), 1000);
	assert_int_equal(frag_fragmentation_index(nr_free, 0), 0);
	assert_int_equal(frag_fragmentation_index(nr_free, 3), 0);
}

/*
 * One order-3 block: an order-3 request succeeds (-1000) and none of the
 * 8 free pages is unusable: (8 - 1 * 8) * 1000 / 8 = 0.
 * For order 0: suitable = 1 << 3 = 8, (8 - 8) * 1000 / 8 = 0, -1000 too.
 */
static void test_success(void **state)
{
	uint64_t nr_free[PA_MAX_ORDER] = { [3] = 1 };

	(void)state;
	assert_int_equal(frag_fragmentation_index(nr_free, 3), -1000);
	assert_int_equal(frag_unusable_index(nr_free, 3), 0);
	assert_int_equal(frag_fragmentation_index(nr_free, 0), -1000);
	assert_int_equal(frag_unusable_index(nr_free, 0), 0);
}

/*
 * nr_free = { [0] = 4, [2] = 1 }: free_pages = 4 + 4 = 8.
 * order 2: suitable = 1, unusable = (8 - 1 * 4) * 1000 / 8 = 500, and the
 * allocation succeeds: -1000.
 * order 3: suitable = 0, unusable = 8000 / 8 = 1000; blocks_total = 5,
 * fragmentation = 1000 - (1000 + 8 * 1000 / 8) / 5 = 1000 - 400 = 600.
 */
static void test_half_unusable(void **state)
{
	uint64_t nr_free[PA_MAX_ORDER] = { [0] = 4, [2] = 1 };

	(void)state;
	assert_int_equal(frag_unusable_index(nr_free, 2), 500);
	assert_int_equal(frag_fragmentation_index(nr_free, 2), -1000);
	assert_int_equal(frag_unusable_index(nr_free, 3), 1000);
	assert_int_equal(frag_fragmentation_index(nr_free, 3), 600);
}

/*
 * 100 single pages, order 3: free_pages 100, blocks_total 100,
 * requested 8: 1000 - (1000 + 100000 / 8) / 100 = 1000 - 13500 / 100
 * = 1000 - 135 = 865. No page is usable: unusable 1000.
 */
static void test_fragmented(void **state)
{
	uint64_t nr_free[PA_MAX_ORDER] = { [0] = 100 };

	(void)state;
	assert_int_equal(frag_fragmentation_index(nr_free, 3), 865);
	assert_int_equal(frag_unusable_index(nr_free, 3), 1000);
	assert_int_equal(frag_unusable_index(nr_free, 0), 0);
}

/*
 * nr_free = { [0] = 10, [1] = 5, [2] = 3 }:
 * free_pages = 10 + 10 + 12 = 32, blocks_total = 18.
 * order 0: suitable = 10 + 10 + 12 = 32, unusable (32 - 32) = 0.
 * order 1: suitable = 5 + 3 * 2 = 11, unusable (32 - 22) * 1000 / 32
 *          = 10000 / 32 = 312 (312.5 truncated).
 * order 2: suitable = 3, unusable (32 - 12) * 1000 / 32 = 20000 / 32 = 625.
 * order 3: suitable = 0, fragmentation = 1000 - (1000 + 32000 / 8) / 18
 *          = 1000 - 5000 / 18 = 1000 - 277 (277.7 truncated) = 723.
 */
static void test_mixed_orders(void **state)
{
	uint64_t nr_free[PA_MAX_ORDER] = { [0] = 10, [1] = 5, [2] = 3 };

	(void)state;
	assert_int_equal(frag_unusable_index(nr_free, 0), 0);
	assert_int_equal(frag_unusable_index(nr_free, 1), 312);
	assert_int_equal(frag_unusable_index(nr_free, 2), 625);
	assert_int_equal(frag_unusable_index(nr_free, 3), 1000);
	assert_int_equal(frag_fragmentation_index(nr_free, 2), -1000);
	assert_int_equal(frag_fragmentation_index(nr_free, 3), 723);
}

/*
 * Seven order-1 blocks, order 2: free 14, total 7, requested 4:
 * 1000 - (1000 + 14000 / 4) / 7 = 1000 - 4500 / 7 = 1000 - 642 = 358.
 */
static void test_pairs(void **state)
{
	uint64_t nr_free[PA_MAX_ORDER] = { [1] = 7 };

	(void)state;
	assert_int_equal(frag_fragmentation_index(nr_free, 2), 358);
	assert_int_equal(frag_unusable_index(nr_free, 1), 0);
}

/*
 * Lack of memory rather than fragmentation: one free page, order 3:
 * 1000 - (1000 + 1000 / 8) / 1 = 1000 - 1125 = -125. The kernel's
 * formula goes below 0 here too; it is what a reader of extfrag sees.
 */
static void test_lack_of_memory(void **state)
{
	uint64_t nr_free[PA_MAX_ORDER] = { [0] = 1 };

	(void)state;
	assert_int_equal(frag_fragmentation_index(nr_free, 3), -125);
}

/*
 * Orders past the free areas have no suitable block: two order-10 blocks
 * (2048 pages) and order 11: unusable 1000; fragmentation
 * 1000 - (1000 + 2048000 / 2048) / 2 = 1000 - 1000 = 0. At order 10 the
 * request succeeds.
 */
static void test_past_max_order(void **state)
{
	uint64_t nr_free[PA_MAX_ORDER] = { [10] = 2 };

	(void)state;
	assert_int_equal(frag_unusable_index(nr_free, 11), 1000);
	assert_int_equal(frag_fragmentation_index(nr_free, 11), 0);
	assert_int_equal(frag_unusable_index(nr_free, 10), 0);
	assert_int_equal(frag_fragmentation_index(nr_free, 10), -1000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_success),
		cmocka_unit_test(test_half_unusable),
		cmocka_unit_test(test_fragmented),
		cmocka_unit_test(test_mixed_orders),
		cmocka_unit_test(test_pairs),
		cmocka_unit_test(test_lack_of_memory),
		cmocka_unit_test(test_past_max_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
