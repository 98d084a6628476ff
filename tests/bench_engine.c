/*
 * Engine micro-benchmarks: how much a coroutine switch costs and how
 * cheap the no-switch fast path is. Wall-clock time is read here only to
 * report speed; nothing it measures feeds back into a simulation.
 *
 * Not a test: built on demand, `ninja -C build tests/bench_engine`, then
 * `build/tests/bench_engine`.
 *
 * "bench_engine diff FIRST COUNT" prints, instead, the full trace of
 * COUNT random workloads (seeds FIRST, FIRST + 1, ...): every step of
 * every operation, IPI and global with its CPU and clock, the return
 * codes of engine_run, the final clocks and lock_stat. Built once with
 * an older engine.c and once with the new one, the two outputs must be
 * identical: that is how a change to the engine's machinery is shown
 * not to change a single decision.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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


/* ------------------------------------------------------------------ */
/* Differential traces                                                  */
/* ------------------------------------------------------------------ */

/*
 * A random workload per seed: 1 to 13 CPUs, spinlocks and mutexes (some
 * sharing a class), operations that nest locks, try them, yield, turn
 * irqs off, send IPIs, use RCU, post more operations, take CPUs off and
 * on line, stop the run and, now and then, abort it mid-operation.
 * Lock rules keep it free of deadlocks: mutexes only at top level,
 * spinlocks nested in increasing index, IPIs and synchronize_rcu with
 * no lock held and irqs on.
 */
#define DF_LOCKS	6
#define DF_MUTEXES	2

static uint64_t df_s;
static int df_cpus, df_left, df_abort_at, df_ops_run;
static uint32_t df_lock[DF_LOCKS + DF_MUTEXES];

static uint64_t df_rand(void)
{
	df_s ^= df_s << 13;
	df_s ^= df_s >> 7;
	df_s ^= df_s << 17;
	return df_s;
}

static void df_trace(const char *what, long v)
{
	printf("%d %llu %s %ld\n", engine_cpu(E),
	       (unsigned long long)engine_now(E), what, v);
}

static void df_ipi(void *arg)
{
	engine_charge(E, 30 + (uintptr_t)arg % 50);
	df_trace("ipi", (long)(uintptr_t)arg);
}

static void df_rcu_cb(void *arg)
{
	df_trace("rcu", (long)(uintptr_t)arg);
}

static void df_op(void *arg);

/* Post a new operation to some online CPU, while any are left to post. */
static void df_post(uint64_t r)
{
	int cpu = (int)(r % (uint64_t)df_cpus);

	if (df_left <= 0 || !engine_online(E, cpu))
		return;
	df_left--;
	engine_post(E, engine_now(E) + (r >> 8) % 3000, cpu, df_op,
		    (void *)(uintptr_t)(r >> 20 | 1));
}

static void df_spin_section(uint64_t r, int i, bool irq)
{
	if (irq)
		engine_irq_disable(E);
	engine_lock(E, df_lock[i]);
	df_trace("locked", i);
	engine_charge(E, (r >> 24) % 200);
	if ((r >> 32) % 3 == 0 && i + 1 < DF_LOCKS) {
		int j = i + 1 + (int)((r >> 36) % (uint64_t)(DF_LOCKS - 1 - i));

		engine_lock(E, df_lock[j]);
		df_trace("locked", j);
		engine_charge(E, (r >> 44) % 60);
		if ((r >> 50) % 4 == 0 && df_ops_run == df_abort_at) {
			df_trace("abort", 2);
			engine_abort(E, 7);	/* BUG with two locks held */
		}
		engine_unlock(E, df_lock[j]);
	}
	engine_unlock(E, df_lock[i]);
	if (irq)
		engine_irq_enable(E);
}

static void df_op(void *arg)
{
	uint64_t s = (uintptr_t)arg;
	int steps = 1 + (int)(s % 5);
	bool doomed = ++df_ops_run == df_abort_at;

	df_trace("op", (long)(s & 0xffff));
	for (int k = 0; k < steps; k++) {
		uint64_t r = df_rand();
		int i = (int)(r % DF_LOCKS);

		switch ((r >> 16) % 12) {
		case 0: case 1: case 2: case 3:
			df_spin_section(r, i, (r >> 8) & 1);
			break;
		case 4: {
			int m = DF_LOCKS + (int)((r >> 24) % DF_MUTEXES);

			engine_lock(E, df_lock[m]);
			df_trace("mutex", m);
			engine_charge(E, (r >> 28) % 400);
			df_spin_section(r >> 3, i, false);
			engine_unlock(E, df_lock[m]);
			break;
		}
		case 5:
			if (engine_trylock(E, df_lock[i])) {
				df_trace("try", i);
				engine_charge(E, 20);
				engine_unlock(E, df_lock[i]);
			} else {
				df_trace("tryfail", i);
			}
			break;
		case 6:
			engine_charge(E, (r >> 24) % 900);
			engine_yield(E);
			df_trace("yielded", 0);
			break;
		case 7:
			if ((r >> 24) % 6 == 0) {
				engine_on_each_cpu(E, df_ipi, (void *)(uintptr_t)(r >> 40));
				df_trace("ipis done", 0);
			}
			break;
		case 8:
			if ((r >> 24) % 10 == 0) {
				engine_synchronize_rcu(E);
				df_trace("synced", 0);
			} else if ((r >> 24) % 2) {
				engine_call_rcu_local(E, df_rcu_cb, (void *)(uintptr_t)(r >> 48));
			} else {
				engine_call_rcu(E, df_rcu_cb, (void *)(uintptr_t)(r >> 48));
			}
			break;
		case 9:
		case 10:
			df_post(r >> 8);
			break;
		case 11:
			if ((r >> 24) % 8 == 0 && df_cpus > 2) {
				/* Another CPU (never 0, never this one) goes off or on line. */
				int cpu = 1 + (int)((r >> 32) % (uint64_t)(df_cpus - 1));

				if (cpu != engine_cpu(E)) {
					engine_set_online(E, cpu, !engine_online(E, cpu));
					df_trace("online toggled", cpu);
				}
			} else if ((r >> 24) % 8 == 1) {
				engine_stop(E, 100 + (int)((r >> 32) % 5));
			}
			break;
		}
		if (doomed && (r >> 60) % 3 == 0) {
			df_trace("abort", 0);
			engine_abort(E, 7);
		}
	}
	if (doomed) {
		/* BUG in the middle of a critical section. */
		engine_lock(E, df_lock[0]);
		df_trace("abort", 1);
		engine_abort(E, 7);
	}
	df_trace("end", 0);
}

static void df_global(void *arg)
{
	const struct lock_class_stat *st;
	size_t n = engine_lock_classes(E, &st);
	uint64_t sum = 0;

	for (size_t i = 0; i < n; i++)
		sum += st[i].acquisitions * 3 + st[i].contentions + st[i].wait_total;
	df_trace("global", (long)((uintptr_t)arg + sum % 1000003));
	/* Globals see lock holders and take locks outside operations. */
	for (int i = 0; i < DF_LOCKS; i++)
		if (engine_lock_holder(E, df_lock[i]) >= 0)
			df_trace("held by", engine_lock_holder(E, df_lock[i]) * 100 + i);
	engine_lock(E, df_lock[(uintptr_t)arg % DF_LOCKS]);
	engine_unlock(E, df_lock[(uintptr_t)arg % DF_LOCKS]);
}

static void df_one(uint64_t seed)
{
	static const int cpus[] = { 1, 2, 3, 4, 5, 8, 13, 16, 17, 24 };
	struct engine_config cfg = { 0 };
	int node[24];
	const struct lock_class_stat *st;
	size_t n;
	int rc;

	df_s = seed * 0x9e3779b97f4a7c15ull + 12345;
	df_rand();
	df_cpus = cpus[df_rand() % 10];
	for (int i = 0; i < df_cpus; i++)
		node[i] = i / 4;
	cfg.nr_cpus = df_cpus;
	cfg.cpu_node = node;
	cfg.costs.lock = df_rand() % 30;
	cfg.costs.handoff = df_rand() % 100;
	cfg.costs.ipi = df_rand() % 400;
	cfg.costs.op = df_rand() % 20;
	E = engine_create(&cfg);
	if (!E)
		exit(1);
	printf("seed %llu cpus %d\n", (unsigned long long)seed, df_cpus);
	for (int i = 0; i < DF_LOCKS + DF_MUTEXES; i++) {
		char name[16];

		snprintf(name, sizeof(name), "%s%d", i < DF_LOCKS ? "s" : "m", i % 3);
		df_lock[i] = engine_lock_new(E, i < DF_LOCKS ? LOCK_SPIN : LOCK_MUTEX,
					     name, 64u * (unsigned)i);
	}
	df_left = 600 + (int)(df_rand() % 1500);
	df_ops_run = 0;
	df_abort_at = df_rand() % 3 == 0 ? (int)(df_rand() % 1500) : -1;
	for (int i = 0; i < 200; i++) {
		uint64_t r = df_rand();

		engine_post(E, (r >> 8) % 40000, (int)(r % (uint64_t)df_cpus),
			    df_op, (void *)(uintptr_t)(r >> 24 | 1));
	}
	for (vtime_t t = 0; t < 60000; t += 1000 + df_rand() % 4000)
		engine_post_global(E, t, df_global, (void *)(uintptr_t)t);
	do {
		rc = engine_run(E);
		printf("run %d\n", rc);
	} while (rc >= 100);
	for (int i = 0; i < df_cpus; i++)
		printf("clock %d %llu\n", i,
		       (unsigned long long)engine_cpu_clock(E, i));
	n = engine_lock_classes(E, &st);
	for (size_t i = 0; i < n; i++)
		printf("class %s %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu\n",
		       st[i].name, (unsigned long long)st[i].con_bounces,
		       (unsigned long long)st[i].contentions,
		       (unsigned long long)st[i].wait_min,
		       (unsigned long long)st[i].wait_max,
		       (unsigned long long)st[i].wait_total,
		       (unsigned long long)st[i].acq_bounces,
		       (unsigned long long)st[i].acquisitions,
		       (unsigned long long)st[i].hold_min,
		       (unsigned long long)st[i].hold_max,
		       (unsigned long long)st[i].hold_total);
	struct engine_stats es;

	engine_get_stats(E, &es);
	printf("operations %llu globals %llu\n",
	       (unsigned long long)es.operations, (unsigned long long)es.globals);
	engine_destroy(E);
}

int main(int argc, char **argv)
{
	if (argc > 3 && strcmp(argv[1], "diff") == 0) {
		uint64_t first = strtoull(argv[2], NULL, 10);
		long count = atol(argv[3]);

		for (long i = 0; i < count; i++)
			df_one(first + (uint64_t)i);
		return 0;
	}
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
