/*
 * The soft lockup watchdog on the real environment (sim/env.c, not the
 * unit tests' fake): it stops an operation that walks a corrupted list
 * forever. (That its budget grows with the work, so long walks through
 * sound lists are not mistaken for one, is test_bounds' part: 20,000
 * caches and a 10 s operation cost, end to end.)
 *
 * Each case boots a machine from a small workload and runs one
 * operation of its own on CPU 0, as the runner would.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "alloc/slab.h"
#include "alloc/slab_internal.h"
#include "sim/engine.h"
#include "sim/machine.h"
#include "sim/workload.h"

static const char machine_yaml[] =
	"name: watchdog\n"
	"machine: {cpus: 1, memory: 64MiB}\n"
	"caches:\n  - {name: c, size: 64}\n";

struct op {
	struct machine *m;
	void (*body)(struct op *op);
	int objects;		/* for the body */
};

static void run_op(void *arg)
{
	struct op *op = arg;

	machine_op_begin(op->m);
	op->body(op);
	machine_op_end(op->m);
	engine_stop(op->m->eng, 0);
}

static void run_engine(void *arg)
{
	struct op *op = arg;

	engine_run(op->m->eng);
}

/* Boot, run body as one operation on CPU 0; true when no BUG stopped it. */
static bool boot_and_run(void (*body)(struct op *op), int objects,
			 struct machine **out)
{
	char path[] = "/tmp/slabsim-watchdog-XXXXXX";
	char err[512];
	/* the machine may keep pointing into it: kept until the next boot */
	static struct workload wl;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, machine_yaml, strlen(machine_yaml)),
			 (ssize_t)strlen(machine_yaml));
	close(fd);
	workload_free(&wl);
	assert_true(workload_load(path, &wl, err, sizeof(err)));
	unlink(path);
	struct machine *m = machine_create(&wl, err, sizeof(err));
	assert_non_null(m);
	assert_int_equal(machine_boot(m), RUN_OK);
	struct op op = { .m = m, .body = body, .objects = objects };
	engine_post(m->eng, engine_now(m->eng), 0, run_op, &op);
	bool ok = machine_guarded(m, run_engine, &op) && !m->bugged;
	*out = m;
	(void)wl;
	return ok;
}

static struct kmem_cache *cache;

/* A cache with objects partial slabs' worth of objects allocated. */
static void fill(struct op *op)
{
	cache = kmem_cache_create("w", 64, 0, 0, NULL, NULL);
	assert_non_null(cache);
	for (int i = 0; i < op->objects; i++)
		assert_non_null(kmem_cache_alloc(cache, GFP_KERNEL));
}

/*
 * A cycle that misses the head: the last full slab's next link points
 * back at the first, as a corrupted list can. Walking it (slabinfo's
 * counting does) never ends without the watchdog.
 */
static void corrupt_and_walk(struct op *op)
{
	struct kmem_cache_info info;

	fill(op);
	struct kmem_list3 *l3 = cache_l3(cache, 0);
	struct list_head *first = __va(l3->slabs_full.next);
	struct list_head *last = __va(l3->slabs_full.prev);
	assert_true(first != &l3->slabs_full);
	last->next = __pa(first);
	kmem_cache_get_info(cache, &info);
	fail_msg("the walk of a cyclic list ended");
}

static void test_fires_on_corrupted_list(void **state)
{
	struct machine *m;

	(void)state;
	assert_false(boot_and_run(corrupt_and_walk, 600, &m));
	assert_non_null(strstr(m->klog.buf, "BUG: soft lockup detected on CPU#0"));
	assert_non_null(strstr(m->bug_report.buf, "soft lockup"));
	machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fires_on_corrupted_list),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
