/*
 * Engine tests: every timeline is drawn by hand in the comment above the
 * test, and the asserted numbers come from that drawing.
 *
 * Operations are written as small scripts (lock, charge, yield, mark...)
 * run by one interpreter, so a timeline reads as data.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "sim/coro.h"
#include "sim/engine.h"
#include "sim/engine_inline.h"

/* ------------------------------------------------------------------ */
/* Harness: a trace of marks and a script interpreter                   */
/* ------------------------------------------------------------------ */

struct mark {
	const char *label;
	int cpu;
	vtime_t now;
};

static struct engine *E;
static struct mark trace[64];
static int ntrace;
static uint32_t L[4];		/* lock handles used by the scripts */

static void mark(const char *label)
{
	assert_true(ntrace < (int)(sizeof(trace) / sizeof(trace[0])));
	trace[ntrace].label = label;
	trace[ntrace].cpu = engine_cpu(E);
	trace[ntrace].now = engine_now(E);
	ntrace++;
}

static void expect_mark(int i, const char *label, int cpu, vtime_t now)
{
	assert_true(i < ntrace);
	assert_string_equal(trace[i].label, label);
	assert_int_equal(trace[i].cpu, cpu);
	assert_int_equal(trace[i].now, now);
}

enum op { END, LOCK, UNLOCK, TRY_FAIL, TRY_OK, CHARGE, YIELD, MARK, IPI,
	  CALL_RCU, SYNC_RCU, STOP, FLAG };

struct step {
	enum op op;
	uint64_t v;
	const char *label;
};

static int flags[8];
static void (*ipi_fn)(void *arg);
static void (*rcu_fn)(void *arg);

static void run_script(void *arg)
{
	const struct step *s;

	for (s = arg; s->op != END; s++) {
		switch (s->op) {
		case LOCK:
			engine_lock(E, L[s->v]);
			break;
		case UNLOCK:
			engine_unlock(E, L[s->v]);
			break;
		case TRY_FAIL:
			assert_false(engine_trylock(E, L[s->v]));
			break;
		case TRY_OK:
			assert_true(engine_trylock(E, L[s->v]));
			break;
		case CHARGE:
			engine_charge(E, s->v);
			break;
		case YIELD:
			engine_yield(E);
			break;
		case MARK:
			mark(s->label);
			break;
		case IPI:
			engine_on_each_cpu(E, ipi_fn, NULL);
			break;
		case CALL_RCU:
			engine_call_rcu(E, rcu_fn, NULL);
			break;
		case SYNC_RCU:
			engine_synchronize_rcu(E);
			break;
		case STOP:
			engine_stop(E, (int)s->v);
			break;
		case FLAG:
			flags[s->v]++;
			break;
		case END:
			break;
		}
	}
}

static void mark_global(void *arg)
{
	mark(arg);
}

static struct engine *new_engine(int nr_cpus, vtime_t lock, vtime_t handoff,
				 vtime_t ipi, vtime_t op)
{
	struct engine_config cfg = {
		.nr_cpus = nr_cpus,
		.costs = { .lock = lock, .handoff = handoff, .ipi = ipi, .op = op },
	};

	E = engine_create(&cfg);
	assert_non_null(E);
	ntrace = 0;
	memset(flags, 0, sizeof(flags));
	return E;
}

static const struct lock_class_stat *class_stat(const char *name)
{
	const struct lock_class_stat *st;
	size_t n = engine_lock_classes(E, &st);

	for (size_t i = 0; i < n; i++)
		if (strcmp(st[i].name, name) == 0)
			return &st[i];
	fail_msg("no lock class %s", name);
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Coroutines alone                                                     */
/* ------------------------------------------------------------------ */

static struct coro co_main, co_a;
static char co_buf[64];
static int co_steps;

/* snprintf of a double needs a 16-byte aligned stack on x86_64. */
static void co_entry(void *arg)
{
	double x = *(double *)arg;

	for (;;) {
		co_steps++;
		snprintf(co_buf, sizeof(co_buf), "%.2f", x * co_steps);
		coro_switch(&co_a, &co_main);
	}
}

static void test_coro_switch(void **state)
{
	double x = 1.25;

	coro_init_self(&co_main);
	assert_int_equal(coro_create(&co_a, 64 * 1024, co_entry, &x), 0);
	coro_switch(&co_main, &co_a);
	assert_int_equal(co_steps, 1);
	assert_string_equal(co_buf, "1.25");
	coro_switch(&co_main, &co_a);
	coro_switch(&co_main, &co_a);
	assert_int_equal(co_steps, 3);
	assert_string_equal(co_buf, "3.75");	/* 1.25 * 3 */
	coro_free(&co_a);
}

/* ------------------------------------------------------------------ */
/* Ordering                                                             */
/* ------------------------------------------------------------------ */

/*
 * Posted, in this order: B cpu1@100, A1 cpu0@100, G global@100,
 * A2 cpu0@100, C cpu0@50, G2 global@100. All costs 0.
 *   C  first: the only thing before 100.
 *   G, G2: globals sort as CPU -1, then by post order.
 *   A1, A2: CPU 0 before CPU 1; same CPU in post order.
 *   B  last.
 */
static void test_order_simultaneous(void **state)
{
	static const struct step a1[] = { { MARK, 0, "A1" }, { END, 0, NULL } };
	static const struct step a2[] = { { MARK, 0, "A2" }, { END, 0, NULL } };
	static const struct step b[] = { { MARK, 0, "B" }, { END, 0, NULL } };
	static const struct step c[] = { { MARK, 0, "C" }, { END, 0, NULL } };

	new_engine(2, 0, 0, 0, 0);
	engine_post(E, 100, 1, run_script, (void *)b);
	engine_post(E, 100, 0, run_script, (void *)a1);
	engine_post_global(E, 100, mark_global, "G");
	engine_post(E, 100, 0, run_script, (void *)a2);
	engine_post(E, 50, 0, run_script, (void *)c);
	engine_post_global(E, 100, mark_global, "G2");
	assert_int_equal(engine_run(E), 0);
	assert_int_equal(ntrace, 6);
	expect_mark(0, "C", 0, 50);
	expect_mark(1, "G", -1, 100);
	expect_mark(2, "G2", -1, 100);
	expect_mark(3, "A1", 0, 100);
	expect_mark(4, "A2", 0, 100);
	expect_mark(5, "B", 1, 100);
	engine_destroy(E);
}

/*
 * costs.op = 5.
 *   cpu0 op X@0:    starts 0, +5 -> mark X at 5, charge 300 -> ends 305
 *   cpu0 op Y@100:  cpu0 busy until 305: starts 305, mark Y at 310
 *   cpu0 op Z@1000: idle gap, starts 1000, mark Z at 1005
 *   cpu1 op W@200:  own clock, mark W at 205 (runs before Y: 200 < 305)
 */
static void test_charge_delays_next(void **state)
{
	static const struct step x[] = { { MARK, 0, "X" }, { CHARGE, 300, NULL }, { END, 0, NULL } };
	static const struct step y[] = { { MARK, 0, "Y" }, { END, 0, NULL } };
	static const struct step z[] = { { MARK, 0, "Z" }, { END, 0, NULL } };
	static const struct step w[] = { { MARK, 0, "W" }, { END, 0, NULL } };
	struct engine_stats st;

	new_engine(2, 0, 0, 0, 5);
	engine_post(E, 0, 0, run_script, (void *)x);
	engine_post(E, 100, 0, run_script, (void *)y);
	engine_post(E, 1000, 0, run_script, (void *)z);
	engine_post(E, 200, 1, run_script, (void *)w);
	assert_int_equal(engine_run(E), 0);
	assert_int_equal(ntrace, 4);
	expect_mark(0, "X", 0, 5);
	expect_mark(1, "W", 1, 205);
	expect_mark(2, "Y", 0, 310);
	expect_mark(3, "Z", 0, 1005);
	assert_int_equal(engine_cpu_clock(E, 0), 1005);
	assert_int_equal(engine_cpu_clock(E, 1), 205);
	engine_get_stats(E, &st);
	assert_int_equal(st.operations, 4);
	engine_destroy(E);
}

/* ------------------------------------------------------------------ */
/* Spinlocks                                                            */
/* ------------------------------------------------------------------ */

/*
 * lock 10, handoff 50, op 0. Lock "L" created outside any CPU.
 *
 *   cpu0 @0:   lock (free) -> 10   acq 1, no bounce (no previous CPU)
 *              charge 100 -> 110, yield -> cpu1 is earlier (50)
 *   cpu1 @50:  lock: held by 0 -> contention 1, con-bounce 1, waits
 *   cpu0 @110: charge 100 -> 210, unlock: hold 210-10 = 200,
 *              grants cpu1 at max(50,210)+50 = 260; cpu0 -> 220
 *   cpu1 @260: wait 260-50 = 210; acq 2, acq-bounce 1 (last was 0)
 *              charge 30 -> 290, unlock hold 30 -> 300
 *   cpu0 @400: lock -> 410 acq 3, bounce 2; charge 10; unlock hold 10 -> 430
 *   cpu1 @500: lock -> 510 acq 4, bounce 3; charge 20; unlock hold 20 -> 540
 *
 *   con-bounces 1, contentions 1, wait 210/210/210,
 *   acq-bounces 3, acquisitions 4, hold min 10 max 200 total 260.
 */
static void test_spin_two_cpus(void **state)
{
	static const struct step p0[] = {
		{ LOCK, 0, NULL }, { MARK, 0, "0got" }, { CHARGE, 100, NULL }, { YIELD, 0, NULL },
		{ CHARGE, 100, NULL }, { UNLOCK, 0, NULL }, { END, 0, NULL } };
	static const struct step p1[] = {
		{ LOCK, 0, NULL }, { MARK, 0, "1got" }, { CHARGE, 30, NULL }, { UNLOCK, 0, NULL },
		{ END, 0, NULL } };
	static const struct step p2[] = {
		{ LOCK, 0, NULL }, { CHARGE, 10, NULL }, { UNLOCK, 0, NULL }, { END, 0, NULL } };
	static const struct step p3[] = {
		{ LOCK, 0, NULL }, { CHARGE, 20, NULL }, { UNLOCK, 0, NULL }, { END, 0, NULL } };
	const struct lock_class_stat *st;

	new_engine(2, 10, 50, 0, 0);
	L[0] = engine_lock_new(E, LOCK_SPIN, "L", 0x1000);
	assert_int_equal(L[0], 1);
	engine_post(E, 0, 0, run_script, (void *)p0);
	engine_post(E, 50, 1, run_script, (void *)p1);
	engine_post(E, 400, 0, run_script, (void *)p2);
	engine_post(E, 500, 1, run_script, (void *)p3);
	assert_int_equal(engine_run(E), 0);
	expect_mark(0, "0got", 0, 10);
	expect_mark(1, "1got", 1, 260);
	st = class_stat("L");
	assert_int_equal(st->con_bounces, 1);
	assert_int_equal(st->contentions, 1);
	assert_int_equal(st->wait_min, 210);
	assert_int_equal(st->wait_max, 210);
	assert_int_equal(st->wait_total, 210);
	assert_int_equal(st->acq_bounces, 3);
	assert_int_equal(st->acquisitions, 4);
	assert_int_equal(st->hold_min, 10);
	assert_int_equal(st->hold_max, 200);
	assert_int_equal(st->hold_total, 260);
	assert_int_equal(engine_cpu_clock(E, 0), 430);
	assert_int_equal(engine_cpu_clock(E, 1), 540);
	assert_int_equal(engine_lock_holder(E, L[0]), -1);
	engine_destroy(E);
}

/*
 * Three CPUs, lock 10, handoff 50.
 *   cpu0 @0:    lock -> 10, charge 1000 -> 1010, unlock is a sync point:
 *               cpu1 (100) is earlier, so it runs first
 *   cpu1 @100:  lock held: contention, waits (queue: 1)
 *   cpu2 @200:  lock held: contention, waits (queue: 1, 2)
 *   cpu0 @1010: unlock, hold 1000; cpu1 gets it at 1010+50 = 1060;
 *               cpu0 -> 1020
 *   cpu1 @1060: wait 960; charge 200 -> 1260; unlock hold 200,
 *               cpu2 gets it at 1260+50 = 1310; cpu1 -> 1270
 *   cpu2 @1310: wait 1110; charge 300 -> 1610; unlock hold 300 -> 1620
 *
 *   contentions 2, con-bounces 2, wait min 960 max 1110 total 2070,
 *   acquisitions 3, acq-bounces 2, hold min 200 max 1000 total 1500.
 */
static void test_spin_three_cpus_handoff(void **state)
{
	static const struct step p0[] = {
		{ LOCK, 0, NULL }, { MARK, 0, "got" }, { CHARGE, 1000, NULL }, { UNLOCK, 0, NULL },
		{ END, 0, NULL } };
	static const struct step p1[] = {
		{ LOCK, 0, NULL }, { MARK, 0, "got" }, { CHARGE, 200, NULL }, { UNLOCK, 0, NULL },
		{ END, 0, NULL } };
	static const struct step p2[] = {
		{ LOCK, 0, NULL }, { MARK, 0, "got" }, { CHARGE, 300, NULL }, { UNLOCK, 0, NULL },
		{ END, 0, NULL } };
	const struct lock_class_stat *st;

	new_engine(3, 10, 50, 0, 0);
	L[0] = engine_lock_new(E, LOCK_SPIN, "&l3->list_lock", 0);
	engine_post(E, 200, 2, run_script, (void *)p2);
	engine_post(E, 0, 0, run_script, (void *)p0);
	engine_post(E, 100, 1, run_script, (void *)p1);
	assert_int_equal(engine_run(E), 0);
	assert_int_equal(ntrace, 3);
	expect_mark(0, "got", 0, 10);
	expect_mark(1, "got", 1, 1060);
	expect_mark(2, "got", 2, 1310);
	st = class_stat("&l3->list_lock");
	assert_int_equal(st->contentions, 2);
	assert_int_equal(st->con_bounces, 2);
	assert_int_equal(st->wait_min, 960);
	assert_int_equal(st->wait_max, 1110);
	assert_int_equal(st->wait_total, 2070);
	assert_int_equal(st->acquisitions, 3);
	assert_int_equal(st->acq_bounces, 2);
	assert_int_equal(st->hold_min, 200);
	assert_int_equal(st->hold_max, 1000);
	assert_int_equal(st->hold_total, 1500);
	assert_int_equal(engine_cpu_clock(E, 0), 1020);
	assert_int_equal(engine_cpu_clock(E, 1), 1270);
	assert_int_equal(engine_cpu_clock(E, 2), 1620);
	engine_destroy(E);
}

/*
 * lock 10. cpu0 @0 takes L (-> 10), charges 1000, yields at 1010.
 * cpu1 @100 trylock: fails at once, costs 10 -> mark at 110 (no wait).
 * cpu1 @2000 trylock: free -> succeeds at 2010, acq-bounce (last was 0).
 * Stats: acquisitions 2, acq-bounces 1, contentions 0, waits 0.
 */
static void test_trylock(void **state)
{
	static const struct step p0[] = {
		{ LOCK, 0, NULL }, { CHARGE, 1000, NULL }, { YIELD, 0, NULL }, { UNLOCK, 0, NULL }, { END, 0, NULL } };
	static const struct step p1[] = {
		{ TRY_FAIL, 0, NULL }, { MARK, 0, "failed" }, { END, 0, NULL } };
	static const struct step p2[] = {
		{ TRY_OK, 0, NULL }, { MARK, 0, "took" }, { UNLOCK, 0, NULL }, { END, 0, NULL } };
	const struct lock_class_stat *st;

	new_engine(2, 10, 50, 0, 0);
	L[0] = engine_lock_new(E, LOCK_SPIN, "L", 0);
	engine_post(E, 0, 0, run_script, (void *)p0);
	engine_post(E, 100, 1, run_script, (void *)p1);
	engine_post(E, 2000, 1, run_script, (void *)p2);
	assert_int_equal(engine_run(E), 0);
	expect_mark(0, "failed", 1, 110);
	expect_mark(1, "took", 1, 2010);
	st = class_stat("L");
	assert_int_equal(st->acquisitions, 2);
	assert_int_equal(st->acq_bounces, 1);
	assert_int_equal(st->contentions, 0);
	assert_int_equal(st->wait_total, 0);
	assert_int_equal(st->wait_min, 0);
	engine_destroy(E);
}

/*
 * Locks created while a CPU waits move the lock table (realloc): the
 * waiter must still be handed its lock. lock 10, handoff 50.
 *   cpu0 @0:   lock L -> 10, charge 100 -> 110, yield (cpu1 earlier)
 *   cpu1 @20:  L held: waits
 *   cpu0 @110: creates 300 locks in 300 new classes, unlocks at 110:
 *              cpu1 gets L at 160
 */
static void grow_op(void *arg)
{
	char name[32];

	engine_lock(E, L[0]);
	engine_charge(E, 100);
	engine_yield(E);
	for (int i = 0; i < 300; i++) {
		snprintf(name, sizeof(name), "class-%d", i);
		assert_int_equal(engine_lock_new(E, LOCK_SPIN, name, 0), (uint32_t)i + 2);
	}
	engine_unlock(E, L[0]);
}

static void test_lock_table_grows(void **state)
{
	static const struct step p1[] = {
		{ LOCK, 0, NULL }, { MARK, 0, "got" }, { UNLOCK, 0, NULL },
		{ END, 0, NULL } };
	const struct lock_class_stat *st;

	new_engine(2, 10, 50, 0, 0);
	L[0] = engine_lock_new(E, LOCK_SPIN, "L", 0);
	engine_post(E, 0, 0, grow_op, NULL);
	engine_post(E, 20, 1, run_script, (void *)p1);
	assert_int_equal(engine_run(E), 0);
	expect_mark(0, "got", 1, 160);
	assert_int_equal(engine_lock_classes(E, &st), 301);
	assert_string_equal(st[0].name, "L");
	assert_string_equal(st[300].name, "class-299");
	assert_int_equal(st[0].contentions, 1);
	assert_int_equal(st[0].wait_total, 140);	/* 160 - 20 */
	engine_destroy(E);
}

/* ------------------------------------------------------------------ */
/* Mutexes                                                              */
/* ------------------------------------------------------------------ */

static vtime_t rcu_ran_at;
static int rcu_runs;

static void rcu_record(void *arg)
{
	rcu_ran_at = engine_now(E);
	rcu_runs++;
	assert_int_equal(engine_cpu(E), -1);
}

/*
 * lock 10, handoff 50. M is a mutex.
 *   cpu0 @0:    lock M -> 10, charge 1000 -> 1010, unlock: yields to
 *               the earlier CPUs first
 *   cpu1 @100:  M held: sleeps
 *   cpu2 @200:  M held: sleeps (queue 1, 2)
 *   cpu3 @300:  call_rcu: grace period needs cpu0 (in an operation) and
 *               cpu3; cpu1 and cpu2 sleep, which is quiescent. cpu3's op
 *               ends at 300.
 *   cpu0 @1010: unlock, hold 1000; cpu1 gets M at 1060; cpu0 -> 1020,
 *               op ends: grace period complete at 1020
 *   cpu1 @1060: mark, charge 10, unlock (hold 10) at 1070: cpu2 gets M
 *               at 1120; cpu1 -> 1080
 *   cpu2 @1120: mark, charge 10, unlock -> 1140
 *   The callback is a global at 1020; cpu1's and cpu2's operations began
 *   before 1020, so it runs after them, still saying 1020.
 */
static void test_mutex_sleep_order(void **state)
{
	static const struct step p0[] = {
		{ LOCK, 0, NULL }, { CHARGE, 1000, NULL }, { UNLOCK, 0, NULL }, { END, 0, NULL } };
	static const struct step pw[] = {
		{ LOCK, 0, NULL }, { MARK, 0, "got" }, { CHARGE, 10, NULL }, { UNLOCK, 0, NULL },
		{ END, 0, NULL } };
	static const struct step p3[] = { { CALL_RCU, 0, NULL }, { END, 0, NULL } };
	const struct lock_class_stat *st;

	new_engine(4, 10, 50, 0, 0);
	rcu_fn = rcu_record;
	rcu_runs = 0;
	L[0] = engine_lock_new(E, LOCK_MUTEX, "cache_chain_mutex", 0);
	engine_post(E, 0, 0, run_script, (void *)p0);
	engine_post(E, 100, 1, run_script, (void *)pw);
	engine_post(E, 200, 2, run_script, (void *)pw);
	engine_post(E, 300, 3, run_script, (void *)p3);
	assert_int_equal(engine_run(E), 0);
	assert_int_equal(ntrace, 2);
	expect_mark(0, "got", 1, 1060);
	expect_mark(1, "got", 2, 1120);
	st = class_stat("cache_chain_mutex");
	assert_int_equal(st->contentions, 2);
	assert_int_equal(st->wait_min, 920);	/* 1120 - 200 */
	assert_int_equal(st->wait_max, 960);	/* 1060 - 100 */
	assert_int_equal(st->hold_max, 1000);
	assert_int_equal(st->hold_min, 10);
	assert_int_equal(engine_cpu_clock(E, 2), 1140);
	assert_int_equal(rcu_runs, 1);
	assert_int_equal(rcu_ran_at, 1020);
	engine_destroy(E);
}

/* ------------------------------------------------------------------ */
/* Globals                                                              */
/* ------------------------------------------------------------------ */

static void global_sees_op0(void *arg)
{
	mark("G");
	assert_int_equal(flags[0], 1);
}

/*
 * costs 0.
 *   cpu0 @50:  charge 200 -> 250, yield (cpu1 is earlier)
 *   cpu1 @150: mark op1 at 150: its op starts after G's time, but G may
 *              not run while cpu0's op (started 50 < 100) is unfinished
 *   cpu0 @250: charge 100 -> 350, flag, mark op0 at 350, ends
 *   G @100:    now every op started before 100 is done: runs, sees flag,
 *              engine_now() == 100, engine_cpu() == -1
 *   G2 @400 and cpu1 @400: the global first.
 */
static void test_global_consistent(void **state)
{
	static const struct step p0[] = {
		{ CHARGE, 200, NULL }, { YIELD, 0, NULL }, { CHARGE, 100, NULL }, { FLAG, 0, NULL },
		{ MARK, 0, "op0" }, { END, 0, NULL } };
	static const struct step p1[] = { { MARK, 0, "op1" }, { END, 0, NULL } };
	static const struct step p2[] = { { MARK, 0, "op2" }, { END, 0, NULL } };
	struct engine_stats st;

	new_engine(2, 0, 0, 0, 0);
	engine_post(E, 50, 0, run_script, (void *)p0);
	engine_post(E, 150, 1, run_script, (void *)p1);
	engine_post_global(E, 100, global_sees_op0, NULL);
	engine_post(E, 400, 1, run_script, (void *)p2);
	engine_post_global(E, 400, mark_global, "G2");
	assert_int_equal(engine_run(E), 0);
	assert_int_equal(ntrace, 5);
	expect_mark(0, "op1", 1, 150);
	expect_mark(1, "op0", 0, 350);
	expect_mark(2, "G", -1, 100);
	expect_mark(3, "G2", -1, 400);
	expect_mark(4, "op2", 1, 400);
	engine_get_stats(E, &st);
	assert_int_equal(st.globals, 2);
	engine_destroy(E);
}

/* ------------------------------------------------------------------ */
/* IPIs                                                                 */
/* ------------------------------------------------------------------ */

static int ipi_count[4];
static vtime_t ipi_at[4];

static void ipi_handler(void *arg)
{
	int cpu = engine_cpu(E);
	static const vtime_t cost[4] = { 10, 10, 500, 0 };

	assert_true(cpu >= 0 && cpu < 4);
	assert_true(engine_irqs_disabled(E));
	assert_true(engine_in_irq(E));
	ipi_count[cpu]++;
	ipi_at[cpu] = engine_now(E);
	engine_charge(E, cost[cpu]);
}

/*
 * ipi 100, other costs 0; cpu3 offline. Handler cost: cpu0 10, cpu1 10,
 * cpu2 500.
 *   cpu0 @1000: on_each_cpu: IPIs to 1 and 2 arrive at 1100; pays
 *               2*100 -> 1200; own handler at 1200 -> 1210; waits
 *   cpu1 @1050: its own op first (1050 < 1100): charge 100 -> 1150,
 *               yield: cpu2's IPI (1100) is earlier
 *   cpu2:       idle, handler as an interrupt at 1100 -> 1600
 *   cpu1 @1150: the IPI has arrived: handler at 1150 -> 1160, the last
 *               one: cpu0 resumes at max(1210, 1600) = 1600.
 *               cpu1 charges 100 more -> 1260
 *   cpu0 @1600: mark done
 */
static void test_on_each_cpu(void **state)
{
	static const struct step p0[] = {
		{ IPI, 0, NULL }, { MARK, 0, "done" }, { END, 0, NULL } };
	static const struct step p1[] = {
		{ CHARGE, 100, NULL }, { YIELD, 0, NULL }, { CHARGE, 100, NULL }, { END, 0, NULL } };
	struct engine_stats st;

	new_engine(4, 0, 0, 100, 0);
	memset(ipi_count, 0, sizeof(ipi_count));
	ipi_fn = ipi_handler;
	engine_set_online(E, 3, false);
	assert_false(engine_online(E, 3));
	engine_post(E, 1000, 0, run_script, (void *)p0);
	engine_post(E, 1050, 1, run_script, (void *)p1);
	assert_int_equal(engine_run(E), 0);
	assert_int_equal(ipi_count[0], 1);
	assert_int_equal(ipi_count[1], 1);
	assert_int_equal(ipi_count[2], 1);
	assert_int_equal(ipi_count[3], 0);
	assert_int_equal(ipi_at[0], 1200);
	assert_int_equal(ipi_at[1], 1150);
	assert_int_equal(ipi_at[2], 1100);
	expect_mark(0, "done", 0, 1600);
	assert_int_equal(engine_cpu_clock(E, 1), 1260);
	assert_int_equal(engine_cpu_clock(E, 2), 1600);
	assert_int_equal(engine_cpu_clock(E, 3), 0);
	assert_false(engine_irqs_disabled(E));
	engine_get_stats(E, &st);
	assert_int_equal(st.operations, 2);	/* IPIs are not operations */
	engine_destroy(E);
}

static void ipi_small(void *arg)
{
	int cpu = engine_cpu(E);

	ipi_count[cpu]++;
	ipi_at[cpu] = engine_now(E);
	engine_charge(E, 5);
}

/*
 * The caller holds a mutex another CPU sleeps on: the sleeper still
 * takes the IPI. lock 10, handoff 50, ipi 100, handler 5.
 *   cpu0 @0:   lock M -> 10, charge 190 -> 200, on_each_cpu: sync point,
 *              cpu1 (20) runs first
 *   cpu1 @20:  M held: sleeps
 *   cpu0 @200: IPIs arrive at 300; pays 200 -> 400; own handler 400->405
 *   cpu1:      sleeping, takes its IPI at 300 -> 305, sleeps again
 *   cpu2:      idle, handler at 300 -> 305; all done: cpu0 at 405
 *   cpu0 @405: unlock M, hold 395; cpu1 gets it at max(305,405)+50 = 455
 *   cpu1 @455: wait 435; mark; unlock hold 0
 */
static void test_ipi_to_mutex_sleeper(void **state)
{
	static const struct step p0[] = {
		{ LOCK, 0, NULL }, { CHARGE, 190, NULL }, { IPI, 0, NULL }, { UNLOCK, 0, NULL }, { END, 0, NULL } };
	static const struct step p1[] = {
		{ LOCK, 0, NULL }, { MARK, 0, "got" }, { UNLOCK, 0, NULL }, { END, 0, NULL } };
	const struct lock_class_stat *st;

	new_engine(3, 10, 50, 100, 0);
	memset(ipi_count, 0, sizeof(ipi_count));
	ipi_fn = ipi_small;
	L[0] = engine_lock_new(E, LOCK_MUTEX, "M", 0);
	engine_post(E, 0, 0, run_script, (void *)p0);
	engine_post(E, 20, 1, run_script, (void *)p1);
	assert_int_equal(engine_run(E), 0);
	assert_int_equal(ipi_count[0], 1);
	assert_int_equal(ipi_count[1], 1);
	assert_int_equal(ipi_count[2], 1);
	assert_int_equal(ipi_at[0], 400);
	assert_int_equal(ipi_at[1], 300);
	assert_int_equal(ipi_at[2], 300);
	expect_mark(0, "got", 1, 455);
	st = class_stat("M");
	assert_int_equal(st->contentions, 1);
	assert_int_equal(st->wait_total, 435);
	assert_int_equal(st->hold_max, 395);
	assert_int_equal(st->hold_min, 0);
	engine_destroy(E);
}

/*
 * A CPU spinning with irqs off cannot take the IPI; it takes it when the
 * lock comes and irqs are back on. lock 0, handoff 0, ipi 100, handler 5.
 *   cpu1 @0:   lock S, charge 1000 -> 1000, unlock (sync point)
 *   cpu0 @10:  irqs off, lock S: spins (no IPI possible)
 *   cpu2 @20:  on_each_cpu: IPIs arrive at 120, cpu2 -> 220, own 220->225
 *   cpu1:      at 1000 the IPI has arrived, but cpu1 holds S: it releases
 *              S first (cpu0 gets it at 1000), then takes the IPI,
 *              1000 -> 1005
 *   cpu0 @1000: got S, unlocks, irqs on: its handler now, 1000 -> 1005
 *   cpu2 resumes at max(225, 1005, 1005) = 1005
 */
static void irq_off_op(void *arg)
{
	engine_irq_disable(E);
	engine_lock(E, L[0]);
	mark("got");
	engine_unlock(E, L[0]);
	engine_irq_enable(E);
	mark("on");
}

static void test_ipi_waits_for_irqs_on(void **state)
{
	static const struct step p1[] = {
		{ LOCK, 0, NULL }, { CHARGE, 1000, NULL }, { UNLOCK, 0, NULL }, { END, 0, NULL } };
	static const struct step p2[] = {
		{ IPI, 0, NULL }, { MARK, 0, "ipi done" }, { END, 0, NULL } };

	new_engine(3, 0, 0, 100, 0);
	memset(ipi_count, 0, sizeof(ipi_count));
	ipi_fn = ipi_small;
	L[0] = engine_lock_new(E, LOCK_SPIN, "S", 0);
	engine_post(E, 0, 1, run_script, (void *)p1);
	engine_post(E, 10, 0, irq_off_op, NULL);
	engine_post(E, 20, 2, run_script, (void *)p2);
	assert_int_equal(engine_run(E), 0);
	assert_int_equal(ipi_at[1], 1000);
	assert_int_equal(ipi_at[0], 1000);
	assert_int_equal(ipi_at[2], 220);
	expect_mark(0, "got", 0, 1000);
	expect_mark(1, "on", 0, 1005);
	expect_mark(2, "ipi done", 2, 1005);
	engine_destroy(E);
}

/* ------------------------------------------------------------------ */
/* RCU                                                                  */
/* ------------------------------------------------------------------ */

static void rcu_check_op1(void *arg)
{
	rcu_record(arg);
	assert_int_equal(flags[1], 1);
}

/*
 * costs 0.
 *   cpu1 @0:   charge 300 -> 300, yield (cpu0 earlier)
 *   cpu0 @10:  call_rcu: the grace period needs cpu0 and cpu1 (both in
 *              operations); cpu2 is idle. cpu0 charges 100, ends at 110.
 *   cpu2 @200: the callback has not run (cpu1 still owes)
 *   cpu1 @300: charge 200 -> 500, flag, ends: grace period done at 500
 *   callback:  global at 500, sees cpu1's flag
 */
static void test_rcu_call(void **state)
{
	static const struct step p0[] = {
		{ CALL_RCU, 0, NULL }, { CHARGE, 100, NULL }, { END, 0, NULL } };
	static const struct step p1[] = {
		{ CHARGE, 300, NULL }, { YIELD, 0, NULL }, { CHARGE, 200, NULL }, { FLAG, 1, NULL }, { END, 0, NULL } };
	static const struct step p2[] = { { MARK, 0, "cpu2" }, { END, 0, NULL } };

	new_engine(3, 0, 0, 0, 0);
	rcu_fn = rcu_check_op1;
	rcu_runs = 0;
	rcu_ran_at = 0;
	engine_post(E, 10, 0, run_script, (void *)p0);
	engine_post(E, 0, 1, run_script, (void *)p1);
	engine_post(E, 200, 2, run_script, (void *)p2);
	assert_int_equal(engine_run(E), 0);
	expect_mark(0, "cpu2", 2, 200);
	/* cpu2's mark came before the callback ran: */
	assert_int_equal(rcu_runs, 1);
	assert_int_equal(rcu_ran_at, 500);
	engine_destroy(E);
}

static int local_cb_cpu = -2;
static vtime_t local_cb_at;

static void rcu_local_cb(void *arg)
{
	local_cb_cpu = engine_cpu(E);
	local_cb_at = engine_now(E);
}

static void call_rcu_local_op(void *arg)
{
	engine_call_rcu_local(E, rcu_local_cb, NULL);
	engine_charge(E, 100);
}

/*
 * The same timeline as test_rcu_call, with op cost 5 and the callback
 * bound to its CPU:
 *   cpu1 @0:   +5, charge 300 -> 305, yield (cpu0 earlier)
 *   cpu0 @10:  +5 -> 15, call_rcu_local; charge 100 -> 115, ends (QS)
 *   cpu1 @305: charge 200 -> 505, ends: grace period done at 505
 *   callback:  an operation on cpu0 posted at 505: starts 505, +5 -> 510
 */
static void test_rcu_local(void **state)
{
	static const struct step p1[] = {
		{ CHARGE, 300, NULL }, { YIELD, 0, NULL }, { CHARGE, 200, NULL },
		{ END, 0, NULL } };
	struct engine_stats st;

	new_engine(3, 0, 0, 0, 5);
	local_cb_cpu = -2;
	engine_post(E, 10, 0, call_rcu_local_op, NULL);
	engine_post(E, 0, 1, run_script, (void *)p1);
	assert_int_equal(engine_run(E), 0);
	assert_int_equal(local_cb_cpu, 0);
	assert_int_equal(local_cb_at, 510);
	engine_get_stats(E, &st);
	assert_int_equal(st.operations, 3);
	assert_int_equal(st.globals, 0);
	engine_destroy(E);
}

/*
 * synchronize_rcu: cpu1 @0 charges 300, yields; cpu0 @10 blocks in
 * synchronize_rcu (itself quiescent while asleep); cpu1 ends at 500;
 * cpu0 resumes at 500.
 * Alone: cpu0 @10 on an otherwise idle machine returns at 10 with no
 * extra switch (sched -> cpu0 and back: 2 switches in the whole run).
 */
static void test_rcu_synchronize(void **state)
{
	static const struct step p0[] = {
		{ SYNC_RCU, 0, NULL }, { MARK, 0, "synced" }, { END, 0, NULL } };
	static const struct step p1[] = {
		{ CHARGE, 300, NULL }, { YIELD, 0, NULL }, { CHARGE, 200, NULL }, { END, 0, NULL } };
	struct engine_stats st;

	new_engine(2, 0, 0, 0, 0);
	engine_post(E, 10, 0, run_script, (void *)p0);
	engine_post(E, 0, 1, run_script, (void *)p1);
	assert_int_equal(engine_run(E), 0);
	expect_mark(0, "synced", 0, 500);
	engine_destroy(E);

	new_engine(2, 0, 0, 0, 0);
	engine_post(E, 10, 0, run_script, (void *)p0);
	assert_int_equal(engine_run(E), 0);
	expect_mark(0, "synced", 0, 10);
	engine_get_stats(E, &st);
	assert_int_equal(st.switches, 2);
	engine_destroy(E);
}

/* ------------------------------------------------------------------ */
/* Abort, stop, bugs, deadlock                                          */
/* ------------------------------------------------------------------ */

static void nested_inner(void)
{
	engine_charge(E, 5);
	engine_abort(E, 42);
}

static void nested_outer(void)
{
	nested_inner();
	flags[2]++;	/* never reached */
}

static void abort_op(void *arg)
{
	engine_charge(E, 10);
	nested_outer();
	flags[2]++;
}

static void abort_global(void *arg)
{
	engine_abort(E, 7);
}

static void test_abort(void **state)
{
	static const struct step later[] = { { FLAG, 3, NULL }, { END, 0, NULL } };

	new_engine(2, 0, 0, 0, 0);
	engine_post(E, 0, 0, abort_op, NULL);
	engine_post(E, 100, 1, run_script, (void *)later);
	engine_post_global(E, 50, mark_global, "never");
	assert_int_equal(engine_run(E), 42);
	assert_int_equal(flags[2], 0);
	assert_int_equal(flags[3], 0);
	assert_int_equal(ntrace, 0);
	assert_int_equal(engine_run(E), 42);	/* dead stays dead */
	engine_destroy(E);

	new_engine(1, 0, 0, 0, 0);
	engine_post_global(E, 0, abort_global, NULL);
	engine_post(E, 10, 0, run_script, (void *)later);
	assert_int_equal(engine_run(E), 7);
	assert_int_equal(flags[3], 0);
	engine_destroy(E);
}

/* engine_stop: the operation that asks finishes, then engine_run returns. */
static void test_stop_and_resume(void **state)
{
	static const struct step p0[] = {
		{ STOP, 5, NULL }, { MARK, 0, "stopper" }, { END, 0, NULL } };
	static const struct step p1[] = { { MARK, 0, "after" }, { END, 0, NULL } };

	new_engine(1, 0, 0, 0, 0);
	engine_post(E, 0, 0, run_script, (void *)p0);
	engine_post(E, 100, 0, run_script, (void *)p1);
	assert_int_equal(engine_run(E), 5);
	assert_int_equal(ntrace, 1);
	expect_mark(0, "stopper", 0, 0);
	assert_int_equal(engine_run(E), 0);
	assert_int_equal(ntrace, 2);
	expect_mark(1, "after", 0, 100);
	engine_destroy(E);
}

static void post_to_cpu1(void *arg)
{
	engine_post(E, 10, 1, post_to_cpu1, NULL);
}

static void irqs_left_off(void *arg)
{
	engine_irq_disable(E);
}

static void count_run(void *arg)
{
	flags[2]++;
}

/* Work at the horizon runs; one ns later is a BUG. */
static void post_at_horizon(void *arg)
{
	engine_post(E, ENGINE_HORIZON, 0, count_run, NULL);
}

static void post_past_horizon(void *arg)
{
	engine_post(E, ENGINE_HORIZON + 1, 0, count_run, NULL);
}

/* Engine BUG checks end the run with ENGINE_EBUG, not a host crash. */
static void test_bugs(void **state)
{
	static const struct step rec[] = { { LOCK, 0, NULL }, { LOCK, 0, NULL }, { END, 0, NULL } };
	static const struct step bad[] = { { UNLOCK, 0, NULL }, { END, 0, NULL } };
	static const struct step leak[] = { { LOCK, 0, NULL }, { END, 0, NULL } };

	new_engine(1, 0, 0, 0, 0);
	L[0] = engine_lock_new(E, LOCK_SPIN, "L", 0);
	engine_post(E, 0, 0, run_script, (void *)rec);
	assert_int_equal(engine_run(E), ENGINE_EBUG);
	engine_destroy(E);

	new_engine(2, 0, 0, 0, 0);
	L[0] = engine_lock_new(E, LOCK_MUTEX, "M", 0);
	engine_post(E, 0, 1, run_script, (void *)bad);
	assert_int_equal(engine_run(E), ENGINE_EBUG);
	engine_destroy(E);

	new_engine(1, 0, 0, 0, 0);
	L[0] = engine_lock_new(E, LOCK_SPIN, "L", 0);
	engine_post(E, 0, 0, run_script, (void *)leak);
	assert_int_equal(engine_run(E), ENGINE_EBUG);
	engine_destroy(E);

	new_engine(1, 0, 0, 0, 0);
	engine_post(E, 0, 0, irqs_left_off, NULL);
	assert_int_equal(engine_run(E), ENGINE_EBUG);
	engine_destroy(E);

	new_engine(2, 0, 0, 0, 0);
	engine_set_online(E, 1, false);
	engine_post(E, 0, 0, post_to_cpu1, NULL);
	assert_int_equal(engine_run(E), ENGINE_EBUG);
	engine_destroy(E);

	new_engine(1, 0, 0, 0, 0);
	flags[2] = 0;
	engine_post(E, 0, 0, post_at_horizon, NULL);
	assert_int_equal(engine_run(E), 0);
	assert_int_equal(flags[2], 1);
	assert_int_equal(engine_cpu_clock(E, 0), ENGINE_HORIZON);
	engine_post(E, ENGINE_HORIZON, 0, post_past_horizon, NULL);
	assert_int_equal(engine_run(E), ENGINE_EBUG);
	assert_int_equal(flags[2], 1);
	engine_destroy(E);
}

/*
 * ABBA: cpu0 @0 takes A, charges 100, wants B (sync point: cpu1 is
 * earlier); cpu1 @5 takes B, charges 100, wants A (cpu0 at 100 is
 * earlier): cpu0 blocks on B, cpu1 blocks on A: nothing can run.
 */
static void test_deadlock(void **state)
{
	static const struct step p0[] = {
		{ LOCK, 0, NULL }, { CHARGE, 100, NULL }, { LOCK, 1, NULL }, { END, 0, NULL } };
	static const struct step p1[] = {
		{ LOCK, 1, NULL }, { CHARGE, 100, NULL }, { LOCK, 0, NULL }, { END, 0, NULL } };

	new_engine(2, 0, 0, 0, 0);
	L[0] = engine_lock_new(E, LOCK_SPIN, "A", 0);
	L[1] = engine_lock_new(E, LOCK_SPIN, "B", 0);
	engine_post(E, 0, 0, run_script, (void *)p0);
	engine_post(E, 5, 1, run_script, (void *)p1);
	assert_int_equal(engine_run(E), ENGINE_EDEADLOCK);
	assert_int_equal(engine_lock_holder(E, L[0]), 0);
	assert_int_equal(engine_lock_holder(E, L[1]), 1);
	engine_destroy(E);
}

static void global_peeks(void *arg)
{
	mark("G");
	assert_int_equal(engine_lock_holder(E, L[0]), 0);
	engine_lock(E, L[0]);		/* passes through cpu0's hold */
	assert_true(engine_trylock(E, L[0]));
	engine_unlock(E, L[0]);
	engine_unlock(E, L[0]);
	assert_int_equal(engine_lock_holder(E, L[0]), 0);
	engine_lock(E, L[1]);		/* free: really taken */
	assert_true(engine_lock_held(E, L[1]));
	engine_unlock(E, L[1]);
	assert_false(engine_lock_held(E, L[1]));
}

/*
 * A global never waits for a lock. lock 10.
 *   cpu1 @0:   charge 100, yield at 100 (cpu0 is earlier)
 *   cpu0 @60:  lock L -> 70, charge 100 -> 170, yield (cpu1 earlier)
 *   cpu1 @100: ends. G @50: every op that began before 50 is done and
 *              cpu0 (170) is later: G runs while cpu0 holds L
 *   cpu0 @170: unlock L (hold 100) -> 180
 * Only cpu0's acquisition counts.
 */
static void test_global_passes_held_lock(void **state)
{
	static const struct step p0[] = {
		{ LOCK, 0, NULL }, { CHARGE, 100, NULL }, { YIELD, 0, NULL },
		{ UNLOCK, 0, NULL }, { MARK, 0, "op0" }, { END, 0, NULL } };
	static const struct step p1[] = {
		{ CHARGE, 100, NULL }, { YIELD, 0, NULL }, { END, 0, NULL } };
	const struct lock_class_stat *st;

	new_engine(2, 10, 50, 0, 0);
	L[0] = engine_lock_new(E, LOCK_SPIN, "L", 0);
	L[1] = engine_lock_new(E, LOCK_SPIN, "L2", 0);
	engine_post(E, 60, 0, run_script, (void *)p0);
	engine_post(E, 0, 1, run_script, (void *)p1);
	engine_post_global(E, 50, global_peeks, NULL);
	assert_int_equal(engine_run(E), 0);
	expect_mark(0, "G", -1, 50);
	expect_mark(1, "op0", 0, 180);
	st = class_stat("L");
	assert_int_equal(st->acquisitions, 1);
	assert_int_equal(st->hold_total, 100);
	assert_false(engine_lock_held(E, L[0]));
	engine_destroy(E);
}

static void cpu1_down(void *arg)
{
	engine_set_online(E, 1, false);
}

static void cpu1_up(void *arg)
{
	engine_set_online(E, 1, true);
}

static void late_mark(void *arg)
{
	mark("late");
}

static void post_self_late(void *arg)
{
	engine_charge(E, 100);
	engine_yield(E);
	engine_post(E, 200, 1, late_mark, NULL);
}

/*
 * costs 0.
 *   cpu1 @0:   charge 100, yield (cpu0 is earlier)
 *   cpu0 @50:  takes cpu1 offline
 *   cpu1 @100: re-arms itself for 200: allowed, but waits while offline
 *   cpu0 @300: brings cpu1 back: its clock joins at 300, so the queued
 *              operation runs at max(200, 300) = 300
 */
static void test_offline_self_post(void **state)
{
	new_engine(2, 0, 0, 0, 0);
	engine_post(E, 0, 1, post_self_late, NULL);
	engine_post(E, 50, 0, cpu1_down, NULL);
	engine_post(E, 300, 0, cpu1_up, NULL);
	assert_int_equal(engine_run(E), 0);
	assert_int_equal(ntrace, 1);
	expect_mark(0, "late", 1, 300);
	engine_destroy(E);
}

/* Boot code (outside any run) may take free locks and call on_each_cpu. */
static void boot_ipi(void *arg)
{
	ipi_count[engine_cpu(E)]++;
}

static void test_outside_run(void **state)
{
	new_engine(3, 10, 0, 100, 0);
	memset(ipi_count, 0, sizeof(ipi_count));
	L[0] = engine_lock_new(E, LOCK_SPIN, "L", 0);
	engine_lock(E, L[0]);
	assert_true(engine_lock_held(E, L[0]));
	assert_int_equal(engine_lock_holder(E, L[0]), -1);
	assert_false(engine_trylock(E, L[0]));
	engine_unlock(E, L[0]);
	assert_false(engine_lock_held(E, L[0]));
	engine_set_online(E, 1, false);
	engine_on_each_cpu(E, boot_ipi, NULL);
	assert_int_equal(ipi_count[0], 1);
	assert_int_equal(ipi_count[1], 0);
	assert_int_equal(ipi_count[2], 1);
	assert_int_equal(engine_cpu(E), -1);
	assert_int_equal(engine_now(E), 0);
	assert_int_equal(engine_cpu_node(E, 2), 0);
	engine_destroy(E);
}

/* ------------------------------------------------------------------ */
/* Fast path and determinism                                            */
/* ------------------------------------------------------------------ */

/*
 * One CPU never has anyone to give way to: 500 operations with locks
 * and yields cost exactly the two switches into and out of the CPU.
 */
static void test_one_cpu_no_switch(void **state)
{
	static const struct step p[] = {
		{ LOCK, 0, NULL }, { YIELD, 0, NULL }, { CHARGE, 7, NULL }, { UNLOCK, 0, NULL }, { END, 0, NULL } };
	struct engine_stats st;

	new_engine(1, 3, 50, 0, 1);
	L[0] = engine_lock_new(E, LOCK_SPIN, "L", 0);
	for (int i = 0; i < 500; i++)
		engine_post(E, (vtime_t)i, 0, run_script, (void *)p);
	assert_int_equal(engine_run(E), 0);
	engine_get_stats(E, &st);
	assert_int_equal(st.operations, 500);
	assert_int_equal(st.switches, 2);
	/* each op: 1 (op) + 3 (lock) + 7 + 3 (unlock) = 14; back to back */
	assert_int_equal(engine_cpu_clock(E, 0), 500 * 14);
	engine_destroy(E);
}

/* ------------------------------------------------------------------ */
/* Order at scale: the ready set and the queues                        */
/* ------------------------------------------------------------------ */

static int order[64];
static vtime_t order_at[64];
static int norder;

static void record_cpu(void *arg)
{
	assert_true(norder < 64);
	order[norder] = engine_cpu(E);
	order_at[norder] = engine_now(E);
	norder++;
}

/*
 * 33 CPUs (not a power of two, more than one group of anything), all
 * costs 0. CPU i has one operation at t = 100 - i % 3, posted from CPU
 * 32 down to CPU 0. Order is (time, CPU):
 *   t=98:  CPUs 2, 5, ..., 32   (i % 3 == 2: 11 CPUs)
 *   t=99:  CPUs 1, 4, ..., 31   (i % 3 == 1: 11 CPUs)
 *   t=100: CPUs 0, 3, ..., 30   (i % 3 == 0: 11 CPUs)
 */
static void test_ready_order_many_cpus(void **state)
{
	int k = 0;

	new_engine(33, 0, 0, 0, 0);
	norder = 0;
	for (int i = 32; i >= 0; i--)
		engine_post(E, 100 - (vtime_t)(i % 3), i, record_cpu, NULL);
	assert_int_equal(engine_run(E), 0);
	assert_int_equal(norder, 33);
	for (int rem = 2; rem >= 0; rem--)
		for (int cpu = rem; cpu < 33; cpu += 3, k++) {
			assert_int_equal(order[k], cpu);
			assert_int_equal(order_at[k], 100 - (vtime_t)rem);
		}
	engine_destroy(E);
}

static void record_arg(void *arg)
{
	assert_true(norder < 64);
	order[norder] = (int)(uintptr_t)arg;
	order_at[norder] = engine_now(E);
	norder++;
}

/*
 * One CPU, costs 0. Operation k (k = 0..39) is posted at t = 9 for even
 * k and t = 7 for odd k, in k order. Equal times keep post order, so:
 *   at 7: 1, 3, 5, ..., 39 (20 operations)
 *   at 9: 0, 2, 4, ..., 38 (20 operations)
 */
static void test_queue_equal_times(void **state)
{
	new_engine(1, 0, 0, 0, 0);
	norder = 0;
	for (int k = 0; k < 40; k++)
		engine_post(E, k % 2 ? 7 : 9, 0, record_arg, (void *)(uintptr_t)k);
	assert_int_equal(engine_run(E), 0);
	assert_int_equal(norder, 40);
	for (int i = 0; i < 20; i++) {
		assert_int_equal(order[i], 2 * i + 1);
		assert_int_equal(order_at[i], 7);
		assert_int_equal(order[20 + i], 2 * i);
		assert_int_equal(order_at[20 + i], 9);
	}
	engine_destroy(E);
}

/*
 * One CPU, costs 0. A queue is a sorted array up to 32 entries and a heap
 * beyond, until it drains. 45 operations are posted at t = 37k mod 50
 * (k = 0..44, so some times repeat): they must run in (t, post order),
 * computed here by a plain sort. The drained queue then takes 5 more,
 * posted latest first at 300, 290, ..., 260, which run earliest first.
 */
static void test_queue_sorted_and_heap(void **state)
{
	int want[45];
	vtime_t at[45];

	new_engine(1, 0, 0, 0, 0);
	norder = 0;
	for (int k = 0; k < 45; k++) {
		int j = k;

		at[k] = (vtime_t)(37 * k % 50);
		engine_post(E, at[k], 0, record_arg, (void *)(uintptr_t)k);
		/* insertion sort by (time, k): an equal time stays after */
		while (j > 0 && at[want[j - 1]] > at[k]) {
			want[j] = want[j - 1];
			j--;
		}
		want[j] = k;
	}
	assert_int_equal(engine_run(E), 0);
	assert_int_equal(norder, 45);
	for (int i = 0; i < 45; i++) {
		assert_int_equal(order[i], want[i]);
		assert_int_equal(order_at[i], at[want[i]]);
	}
	for (int k = 0; k < 5; k++)
		engine_post(E, 300 - 10 * (vtime_t)k, 0, record_arg,
			    (void *)(uintptr_t)(100 + k));
	assert_int_equal(engine_run(E), 0);
	assert_int_equal(norder, 50);
	for (int i = 0; i < 5; i++) {
		assert_int_equal(order[45 + i], 104 - i);
		assert_int_equal(order_at[45 + i], 260 + 10 * (vtime_t)i);
	}
	engine_destroy(E);
}

/*
 * The inline fast paths give the answers of the functions they stand
 * for. costs.op = 3.
 *   cpu2 op @50: starts 50, +3 -> 53; charge_fast 4 -> 57; irqs off
 *                and on again.
 *   global @80: engine_cpu -1, now 80, a charge changes nothing.
 */
static void fast_paths_op(void *arg)
{
	assert_int_equal(engine_cpu_fast(E), 2);
	assert_int_equal(engine_cpu_fast(E), engine_cpu(E));
	assert_int_equal(engine_now_fast(E), 53);
	engine_charge_fast(E, 4);
	assert_int_equal(engine_now(E), 57);
	assert_int_equal(engine_now_fast(E), 57);
	assert_false(engine_irqs_disabled_fast(E));
	engine_irq_disable(E);
	assert_true(engine_irqs_disabled_fast(E));
	engine_irq_enable(E);
	assert_false(engine_irqs_disabled_fast(E));
	flags[0]++;
}

static void fast_paths_global(void *arg)
{
	assert_int_equal(engine_cpu_fast(E), -1);
	assert_int_equal(engine_now_fast(E), 80);
	engine_charge_fast(E, 1000);
	assert_int_equal(engine_now_fast(E), 80);
	assert_int_equal(engine_now(E), 80);
	assert_false(engine_irqs_disabled_fast(E));
	flags[1]++;
}

static void test_fast_paths(void **state)
{
	new_engine(4, 0, 0, 0, 3);
	engine_post(E, 50, 2, fast_paths_op, NULL);
	engine_post_global(E, 80, fast_paths_global, NULL);
	/* Boot code: no CPU, irq state of its own. */
	assert_int_equal(engine_cpu_fast(E), -1);
	engine_irq_disable(E);
	assert_true(engine_irqs_disabled_fast(E));
	engine_irq_enable(E);
	assert_int_equal(engine_run(E), 0);
	assert_int_equal(flags[0], 1);
	assert_int_equal(flags[1], 1);
	assert_int_equal(engine_cpu_clock(E, 2), 57);
	engine_destroy(E);
}

#define RND_CPUS	16
#define RND_OPS		4000
#define RND_SPIN	6
#define RND_MUTEX	2

struct rnd_op {
	uint64_t seed;
};

static struct rnd_op rnd_ops[RND_OPS];
static uint64_t rnd_hash;
static uint64_t rnd_locks_taken;
static uint32_t rnd_lock[RND_SPIN + RND_MUTEX];
static int rnd_rcu_done, rnd_rcu_local_done;

static uint64_t xorshift(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*s = x;
	return x;
}

static void hash_in(uint64_t v)
{
	rnd_hash = (rnd_hash ^ v) * 0x100000001b3ull;
}

static void rnd_ipi(void *arg)
{
	/* An IPI handler that takes a spinlock, as do_drain does. */
	engine_lock(E, rnd_lock[RND_SPIN - 1]);
	rnd_locks_taken++;
	engine_charge(E, 7);
	engine_unlock(E, rnd_lock[RND_SPIN - 1]);
	hash_in((uint64_t)engine_cpu(E) << 48 | engine_now(E));
}

static void rnd_rcu(void *arg)
{
	rnd_rcu_done++;
	hash_in(engine_now(E));
}

static void rnd_rcu_local(void *arg)
{
	assert_true(engine_cpu(E) >= 0);
	rnd_rcu_local_done++;
	hash_in(engine_now(E));
}

/*
 * A random operation. Lock order rules keep it deadlock-free: mutexes
 * only at top level, nested spinlocks in increasing index, IPIs sent
 * with no lock held, the IPI's lock (the last spinlock) never nested.
 */
static void rnd_op(void *arg)
{
	struct rnd_op *op = arg;
	uint64_t s = op->seed;
	int steps = 1 + (int)(xorshift(&s) % 4);

	for (int k = 0; k < steps; k++) {
		uint64_t r = xorshift(&s);
		int i = (int)(r % (RND_SPIN - 1));
		bool irq = (r >> 8) & 1;

		switch ((r >> 16) % 10) {
		case 0: case 1: case 2: case 3: case 4:
			if (irq)
				engine_irq_disable(E);
			engine_lock(E, rnd_lock[i]);
			rnd_locks_taken++;
			engine_charge(E, (r >> 24) % 200);
			if ((r >> 32) % 3 == 0 && i + 1 < RND_SPIN - 1) {
				int j = i + 1 + (int)((r >> 40) % (RND_SPIN - 2 - i));

				engine_lock(E, rnd_lock[j]);
				rnd_locks_taken++;
				engine_charge(E, (r >> 48) % 50);
				engine_unlock(E, rnd_lock[j]);
			}
			engine_unlock(E, rnd_lock[i]);
			if (irq)
				engine_irq_enable(E);
			break;
		case 5:
			engine_lock(E, rnd_lock[RND_SPIN + (int)(r >> 24) % RND_MUTEX]);
			rnd_locks_taken++;
			engine_charge(E, (r >> 28) % 500);
			engine_lock(E, rnd_lock[i]);
			rnd_locks_taken++;
			engine_charge(E, 10);
			engine_unlock(E, rnd_lock[i]);
			engine_unlock(E, rnd_lock[RND_SPIN + (int)(r >> 24) % RND_MUTEX]);
			break;
		case 6:
			if (engine_trylock(E, rnd_lock[i])) {
				rnd_locks_taken++;
				engine_charge(E, 20);
				engine_unlock(E, rnd_lock[i]);
			}
			break;
		case 7:
			engine_charge(E, (r >> 24) % 1000);
			engine_yield(E);
			break;
		case 8:
			if ((r >> 24) % 8 == 0)
				engine_on_each_cpu(E, rnd_ipi, NULL);
			break;
		case 9:
			if ((r >> 24) % 16 == 0)
				engine_synchronize_rcu(E);
			else if ((r >> 24) % 2)
				engine_call_rcu_local(E, rnd_rcu_local, NULL);
			else
				engine_call_rcu(E, rnd_rcu, NULL);
			break;
		}
	}
	hash_in((uint64_t)engine_cpu(E) << 48 | engine_now(E));
}

static void rnd_sample(void *arg)
{
	const struct lock_class_stat *st;
	size_t n = engine_lock_classes(E, &st);

	for (size_t i = 0; i < n; i++)
		hash_in(st[i].acquisitions + st[i].wait_total);
}

struct rnd_result {
	uint64_t hash, locks, acq, cont;
	struct engine_stats st;
	vtime_t clock[RND_CPUS];
	struct lock_class_stat cls[RND_SPIN + RND_MUTEX];
	int rcu, rcu_local;
};

static void rnd_run(struct rnd_result *res)
{
	uint64_t s = 0x9e3779b97f4a7c15ull;
	const struct lock_class_stat *st;
	size_t n;
	char name[16];

	new_engine(RND_CPUS, 20, 80, 300, 15);
	/* Several locks share a class, as lockdep classes do. */
	for (int i = 0; i < RND_SPIN + RND_MUTEX; i++) {
		snprintf(name, sizeof(name), "%s%d",
			 i < RND_SPIN ? "spin" : "mutex", i % 3);
		rnd_lock[i] = engine_lock_new(E, i < RND_SPIN ? LOCK_SPIN : LOCK_MUTEX,
					      name, 0x1000u * (unsigned)i);
	}
	rnd_hash = 0xcbf29ce484222325ull;
	rnd_locks_taken = 0;
	rnd_rcu_done = 0;
	rnd_rcu_local_done = 0;
	for (int i = 0; i < RND_OPS; i++) {
		uint64_t r = xorshift(&s);

		rnd_ops[i].seed = r | 1;
		engine_post(E, (r >> 8) % 2000000, (int)(r % RND_CPUS), rnd_op, &rnd_ops[i]);
	}
	for (vtime_t t = 0; t < 2000000; t += 100000)
		engine_post_global(E, t, rnd_sample, NULL);
	assert_int_equal(engine_run(E), 0);
	res->hash = rnd_hash;
	res->locks = rnd_locks_taken;
	res->rcu = rnd_rcu_done;
	res->rcu_local = rnd_rcu_local_done;
	engine_get_stats(E, &res->st);
	for (int i = 0; i < RND_CPUS; i++)
		res->clock[i] = engine_cpu_clock(E, i);
	n = engine_lock_classes(E, &st);
	res->acq = res->cont = 0;
	for (size_t i = 0; i < n; i++) {
		res->cls[i] = st[i];
		res->cls[i].name = NULL;
		res->acq += st[i].acquisitions;
		res->cont += st[i].contentions;
		assert_true(st[i].wait_min <= st[i].wait_max);
		assert_true(st[i].hold_min <= st[i].hold_max);
		assert_true(st[i].contentions <= st[i].acquisitions);
		assert_true(st[i].con_bounces <= st[i].contentions);
	}
	engine_destroy(E);
}

/*
 * 16 CPUs, 4000 random operations from a fixed-seed xorshift, with
 * contention, mutexes, IPIs, RCU and samples: two runs must agree on
 * everything, and every lock taken must be one acquisition.
 */
static void test_random_deterministic(void **state)
{
	static struct rnd_result a, b;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	rnd_run(&a);
	rnd_run(&b);
	/* the workload's operations plus the CPU-bound RCU callbacks */
	assert_true(a.rcu_local > 0);
	assert_int_equal(a.st.operations, RND_OPS + (uint64_t)a.rcu_local);
	assert_int_equal(a.acq, a.locks);
	assert_true(a.cont > 0);	/* the workload really contends */
	assert_true(a.st.switches > 1000);
	assert_true(a.rcu > 0);
	assert_int_equal(a.hash, b.hash);
	assert_int_equal(a.st.switches, b.st.switches);
	assert_int_equal(a.rcu, b.rcu);
	assert_int_equal(a.rcu_local, b.rcu_local);
	assert_memory_equal(a.clock, b.clock, sizeof(a.clock));
	assert_memory_equal(a.cls, b.cls, sizeof(a.cls));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_coro_switch),
		cmocka_unit_test(test_order_simultaneous),
		cmocka_unit_test(test_charge_delays_next),
		cmocka_unit_test(test_spin_two_cpus),
		cmocka_unit_test(test_spin_three_cpus_handoff),
		cmocka_unit_test(test_trylock),
		cmocka_unit_test(test_lock_table_grows),
		cmocka_unit_test(test_mutex_sleep_order),
		cmocka_unit_test(test_global_consistent),
		cmocka_unit_test(test_on_each_cpu),
		cmocka_unit_test(test_ipi_to_mutex_sleeper),
		cmocka_unit_test(test_ipi_waits_for_irqs_on),
		cmocka_unit_test(test_rcu_call),
		cmocka_unit_test(test_rcu_synchronize),
		cmocka_unit_test(test_rcu_local),
		cmocka_unit_test(test_abort),
		cmocka_unit_test(test_stop_and_resume),
		cmocka_unit_test(test_bugs),
		cmocka_unit_test(test_deadlock),
		cmocka_unit_test(test_outside_run),
		cmocka_unit_test(test_offline_self_post),
		cmocka_unit_test(test_global_passes_held_lock),
		cmocka_unit_test(test_one_cpu_no_switch),
		cmocka_unit_test(test_ready_order_many_cpus),
		cmocka_unit_test(test_queue_equal_times),
		cmocka_unit_test(test_queue_sorted_and_heap),
		cmocka_unit_test(test_fast_paths),
		cmocka_unit_test(test_random_deterministic),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
