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

/*
 * The shape of workloads/net_producer_consumer.yaml without the slab:
 * CPUs 0-3 run operations that each post a consumer operation to one of
 * CPUs 4-7 a pseudo-random lifetime later and their own successor; the
 * consumers take one of two locks. Nearly every operation boundary
 * switches CPUs, so this is what the engine costs per slab operation.
 */
static uint64_t pc_state = 88172645463325252ull;
static long pc_left;
static long argc_pc_left = 1000000;

static uint64_t pc_rand(void)
{
	pc_state ^= pc_state << 13;
	pc_state ^= pc_state >> 7;
	pc_state ^= pc_state << 17;
	return pc_state;
}

static uint32_t pc_lock[2];

static void pc_consume(void *arg)
{
	uint32_t l = pc_lock[(uintptr_t)arg & 1];

	engine_charge(E, 40);
	engine_lock(E, l);
	engine_charge(E, 25);
	engine_unlock(E, l);
}

static void pc_produce(void *arg)
{
	int cpu = (int)(uintptr_t)arg;

	engine_charge(E, 60);
	engine_lock(E, pc_lock[cpu & 1]);
	engine_charge(E, 20);
	engine_unlock(E, pc_lock[cpu & 1]);
	engine_post(E, engine_now(E) + 1000 + pc_rand() % 40000,
		    4 + (int)(pc_rand() % 4), pc_consume, (void *)(uintptr_t)cpu);
	if (--pc_left > 0)
		engine_post(E, engine_now(E) + 500 + pc_rand() % 3000, cpu,
			    pc_produce, arg);
}

static void bench_producer_consumer(void)
{
	struct engine_stats st;
	double t0, t1;

	E = make(8);
	pc_lock[0] = engine_lock_new(E, LOCK_SPIN, "A", 0);
	pc_lock[1] = engine_lock_new(E, LOCK_SPIN, "B", 0);
	pc_left = argc_pc_left;
	for (int cpu = 0; cpu < 4; cpu++)
		engine_post(E, (vtime_t)cpu * 100, cpu, pc_produce,
			    (void *)(uintptr_t)cpu);
	t0 = wall();
	engine_run(E);
	t1 = wall();
	engine_get_stats(E, &st);
	printf("prod/cons:  8 CPUs, %llu ops, %llu switches: %.1f ns/op\n",
	       (unsigned long long)st.operations,
	       (unsigned long long)st.switches,
	       (t1 - t0) / (double)st.operations * 1e9);
	engine_destroy(E);
}

int main(int argc, char **argv)
{
	printf("coroutine backend: %s\n", coro_backend());
	if (argc > 1) {
		/* Just the producer/consumer figure, for profiling. */
		argc_pc_left = atol(argv[1]);
		bench_producer_consumer();
		return 0;
	}
	bench_switch();
	bench_fast_path();
	bench_contended();
	bench_producer_consumer();
	return 0;
}
