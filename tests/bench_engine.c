/*
 * Engine micro-benchmarks: how much a coroutine switch costs and how
 * cheap the no-switch fast path is. Wall-clock time is read here only to
 * report speed; nothing it measures feeds back into a simulation.
 *
 * Build by hand (it is not a test):
 *   cc -std=gnu11 -O2 -I. tests/bench_engine.c sim/coro.c sim/engine.c \
 *      -o bench_engine
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "sim/coro.h"
#include "sim/engine.h"

static struct engine *E;
static uint32_t lock_id;
static long loops;

static double wall(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static struct engine *make(int nr_cpus)
{
	struct engine_config cfg = {
		.nr_cpus = nr_cpus,
		.costs = { .lock = 20, .handoff = 80, .ipi = 300, .op = 15 },
	};
	struct engine *e = engine_create(&cfg);

	if (!e) {
		fprintf(stderr, "engine_create failed\n");
		exit(1);
	}
	return e;
}

/* Two CPUs leapfrogging: every yield finds the other one earlier. */
static void pingpong(void *arg)
{
	for (long i = 0; i < loops; i++) {
		engine_charge(E, 10);
		engine_yield(E);
	}
}

static void bench_switch(void)
{
	struct engine_stats st;
	double t0, t1;

	E = make(2);
	loops = 2000000;
	engine_post(E, 0, 0, pingpong, NULL);
	engine_post(E, 5, 1, pingpong, NULL);
	t0 = wall();
	engine_run(E);
	t1 = wall();
	engine_get_stats(E, &st);
	printf("switch:    %llu switches in %.3f s: %.1f M/s, %.1f ns each\n",
	       (unsigned long long)st.switches, t1 - t0,
	       (double)st.switches / (t1 - t0) * 1e-6,
	       (t1 - t0) / (double)st.switches * 1e9);
	engine_destroy(E);
}

/* One CPU: sync points never switch. */
static void yields(void *arg)
{
	for (long i = 0; i < loops; i++) {
		engine_charge(E, 10);
		engine_yield(E);
	}
}

static void lock_op(void *arg)
{
	engine_lock(E, lock_id);
	engine_charge(E, 30);
	engine_unlock(E, lock_id);
}

static void empty_op(void *arg)
{
}

/* Posts its successor, as generators do: the queue stays tiny. */
static void chain_op(void *arg)
{
	if (--loops > 0)
		engine_post(E, engine_now(E) + 100, 0, chain_op, NULL);
}

static void bench_fast_path(void)
{
	struct engine_stats st;
	double t0, t1;
	long n = 2000000;

	E = make(1);
	loops = 20000000;
	engine_post(E, 0, 0, yields, NULL);
	t0 = wall();
	engine_run(E);
	t1 = wall();
	engine_get_stats(E, &st);
	printf("fast yield: %ld sync points, %llu switches: %.1f ns each\n",
	       loops, (unsigned long long)st.switches,
	       (t1 - t0) / (double)loops * 1e9);
	engine_destroy(E);

	E = make(1);
	for (long i = 0; i < n; i++)
		engine_post(E, (vtime_t)i * 100, 0, empty_op, NULL);
	t0 = wall();
	engine_run(E);
	t1 = wall();
	engine_get_stats(E, &st);
	printf("fast op:    %ld empty operations, %llu switches: %.1f ns each (post excluded)\n",
	       n, (unsigned long long)st.switches,
	       (t1 - t0) / (double)n * 1e9);
	engine_destroy(E);

	E = make(1);
	loops = n;
	engine_post(E, 0, 0, chain_op, NULL);
	t0 = wall();
	engine_run(E);
	t1 = wall();
	printf("fast chain: %ld operations each posting the next: %.1f ns each\n",
	       n, (t1 - t0) / (double)n * 1e9);
	engine_destroy(E);

	E = make(1);
	lock_id = engine_lock_new(E, LOCK_SPIN, "L", 0);
	for (long i = 0; i < n; i++)
		engine_post(E, (vtime_t)i * 100, 0, lock_op, NULL);
	t0 = wall();
	engine_run(E);
	t1 = wall();
	printf("fast lock:  %ld lock+unlock operations: %.1f ns each\n",
	       n, (t1 - t0) / (double)n * 1e9);
	engine_destroy(E);
}

/* 16 CPUs on one lock: every acquisition may hand off and switch. */
static void bench_contended(void)
{
	struct engine_stats st;
	const struct lock_class_stat *cls;
	double t0, t1;
	long n = 500000;

	E = make(16);
	lock_id = engine_lock_new(E, LOCK_SPIN, "L", 0);
	for (long i = 0; i < n; i++)
		engine_post(E, (vtime_t)i * 7, (int)(i % 16), lock_op, NULL);
	t0 = wall();
	engine_run(E);
	t1 = wall();
	engine_get_stats(E, &st);
	engine_lock_classes(E, &cls);
	printf("contended:  16 CPUs, %ld ops, %llu contentions, %llu switches: %.1f ns/op\n",
	       n, (unsigned long long)cls[0].contentions,
	       (unsigned long long)st.switches, (t1 - t0) / (double)n * 1e9);
	engine_destroy(E);
}

int main(void)
{
	printf("coroutine backend: %s\n", coro_backend());
	bench_switch();
	bench_fast_path();
	bench_contended();
	return 0;
}
