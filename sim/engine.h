#ifndef SLABSIM_SIM_ENGINE_H
#define SLABSIM_SIM_ENGINE_H
/*
 * The engine: virtual time, simulated CPUs as coroutines, the event queue,
 * locks with lock_stat accounting, timers, cross-CPU calls and RCU.
 *
 * Words:
 *   vtime      virtual time in nanoseconds since boot (uint64_t).
 *   operation  a piece of work posted to one CPU at a time t (a workload
 *              event, a timer such as cache_reap, an IPI function). It runs
 *              on that CPU's coroutine and may block on locks.
 *   global     a piece of work that runs outside every CPU (a slabinfo
 *              snapshot, a sample) once every operation that started
 *              before its time has finished, so it sees a consistent state.
 *   sync point a lock, mutex or the start of an operation: the running CPU
 *              gives way when another runnable CPU has a smaller clock.
 *
 * Ordering is total and deterministic: the runnable CPU with the smallest
 * clock runs; ties break by CPU number. Queue entries order by (time, CPU,
 * sequence number), global entries sort as CPU -1 (before CPU 0).
 * Nothing else decides the order.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t vtime_t;
#define VTIME_NEVER	UINT64_MAX
/*
 * The engine orders work exactly up to this time, 2^51 ns (about 26
 * days); posting work later than that is an engine BUG. Workloads are
 * limited well below it (sim/workload.h, WL_MAX_TIME).
 */
#define ENGINE_HORIZON	((vtime_t)1 << 51)

struct engine;

struct engine_costs {
	vtime_t lock;		/* uncontended lock or unlock */
	vtime_t handoff;	/* extra when a lock passes from one CPU to another */
	vtime_t ipi;		/* cross-CPU call, per target */
	vtime_t op;		/* fixed cost of starting any operation */
};

struct engine_config {
	int nr_cpus;
	const int *cpu_node;	/* node of each CPU, nr_cpus entries */
	struct engine_costs costs;
	size_t stack_size;	/* per CPU coroutine; 0 = default (256 KiB) */
};

typedef void (*engine_fn)(void *arg);

struct engine *engine_create(const struct engine_config *cfg);
void engine_destroy(struct engine *e);

/* -------- running work -------- */

/*
 * Run fn(arg) on cpu as an operation starting at time t. cpu must be
 * online, except that a CPU may post to itself (its operations wait
 * while it is offline).
 */
void engine_post(struct engine *e, vtime_t t, int cpu, engine_fn fn, void *arg);
/*
 * Run fn(arg) outside every CPU at time t (snapshots, samples). It runs
 * once every operation that started before t has finished and nothing
 * earlier than t is left to run; an operation that started at or after t
 * may then be suspended mid-way (only when one that straddles t ran long).
 */
void engine_post_global(struct engine *e, vtime_t t, engine_fn fn, void *arg);
/*
 * Work read while the run goes (a streamed workload). The caller reserves
 * sequence numbers for all of it before the run (engine_reserve_seq: n
 * numbers from the returned base, after everything posted so far and
 * before everything posted later), and posts each piece with its own
 * number: wherever and whenever it is posted, it then orders as if it
 * had been posted at the moment of the reservation. The feeder fn(arg)
 * is called, from wherever the engine is, before anything at or after
 * the time given to engine_feed_at runs; it posts what it has and calls
 * engine_feed_at again (VTIME_NEVER, or not at all: nothing more).
 * engine_post_seq may queue work for an offline CPU (it waits there).
 */
uint64_t engine_reserve_seq(struct engine *e, uint64_t n);
void engine_post_seq(struct engine *e, vtime_t t, int cpu, engine_fn fn,
		     void *arg, uint64_t seq);
void engine_post_global_seq(struct engine *e, vtime_t t, engine_fn fn,
			    void *arg, uint64_t seq);
void engine_set_feeder(struct engine *e, engine_fn fn, void *arg);
void engine_feed_at(struct engine *e, vtime_t t);

/*
 * Run until the queue is empty and every CPU is idle, or until an
 * operation or global calls engine_stop(). Returns 0, or the code given
 * to engine_stop / engine_abort.
 */
int engine_run(struct engine *e);
/*
 * engine_run's own failure codes: an engine BUG check fired (recursive
 * lock, unlock of a lock not held, an operation ending with a lock held
 * or irqs off, a post to an offline CPU), or every CPU with work is
 * blocked forever. Both print to stderr first; the engine is dead
 * afterwards (engine_run returns the same code again).
 */
#define ENGINE_EBUG		(-2)
#define ENGINE_EDEADLOCK	(-3)
/*
 * Ask engine_run to return after the current piece of work: the calling
 * operation runs on until it ends or would give way to another CPU.
 * Calling engine_run again carries on from there.
 */
void engine_stop(struct engine *e, int code);
/*
 * Abandon the run from inside an operation (BUG): unwinds to engine_run at
 * once, which returns code. The CPU's coroutine is never resumed.
 */
__attribute__((noreturn)) void engine_abort(struct engine *e, int code);

/* -------- the current CPU -------- */

/* CPU running now, or -1 outside operations (globals, boot code). */
int engine_cpu(const struct engine *e);
int engine_cpu_node(const struct engine *e, int cpu);
/* Clock of the running CPU; outside operations, the global time. */
vtime_t engine_now(const struct engine *e);
vtime_t engine_cpu_clock(const struct engine *e, int cpu);
/* Charge ns of work to the running CPU (no-op outside operations). */
void engine_charge(struct engine *e, vtime_t ns);
/* A sync point: give way to any runnable CPU with a smaller clock. */
void engine_yield(struct engine *e);
/*
 * Run fn(arg) on every online CPU as an IPI, the caller's own CPU first
 * inline, and wait until all have finished (on_each_cpu with wait=1).
 */
void engine_on_each_cpu(struct engine *e, engine_fn fn, void *arg);
void engine_set_online(struct engine *e, int cpu, bool online);
bool engine_online(const struct engine *e, int cpu);
/* cpu when it is online, else the lowest CPU online (cpu when none is). */
int engine_online_or_first(const struct engine *e, int cpu);
/*
 * True when cpu is in no operation and no IPI handler and has no IPI
 * pending: what stop_machine waits for before a CPU goes down.
 */
bool engine_cpu_quiet(const struct engine *e, int cpu);

/* Interrupt state of the running CPU (local_irq_*). */
void engine_irq_disable(struct engine *e);
void engine_irq_enable(struct engine *e);
bool engine_irqs_disabled(const struct engine *e);
/* True while the running CPU is inside an IPI handler (in_interrupt). */
bool engine_in_irq(const struct engine *e);

/* -------- locks -------- */

/*
 * Locks are numbered from 1. A spinlock holder keeps its CPU; a CPU that
 * finds it held spins in virtual time until the release, plus the hand-off
 * cost when it passes between CPUs, and the wait is recorded. A mutex
 * waiter sleeps (its CPU can take no other operation meanwhile, like a
 * task blocked in mutex_lock). Waiters are granted in arrival order.
 * addr is the lock word's simulated physical address (0 when it has none);
 * the bounce counts use the CPU that last held the lock.
 * Outside operations (boot code, globals) nothing waits or is counted: a
 * free lock is taken; a lock held by a suspended CPU is passed through
 * (a snapshot reads under it) and the matching unlock undoes that.
 */
enum lock_kind { LOCK_SPIN, LOCK_MUTEX };
uint32_t engine_lock_new(struct engine *e, enum lock_kind kind,
			 const char *class_name, uint64_t addr);
void engine_lock(struct engine *e, uint32_t lock);
bool engine_trylock(struct engine *e, uint32_t lock);
/*
 * The same, naming the call site ip (lockdep's _RET_IP_ of the lock
 * taker; NULL: none): a contended take counts ip among its class's
 * contention points and the holder's site among its contending points.
 * ip must stay valid for the engine's life (a string literal).
 */
void engine_lock_ip(struct engine *e, uint32_t lock, const char *ip);
bool engine_trylock_ip(struct engine *e, uint32_t lock, const char *ip);
void engine_unlock(struct engine *e, uint32_t lock);
/* CPU holding the lock, or -1. */
int engine_lock_holder(const struct engine *e, uint32_t lock);
/* Held at all (also by boot code or a global, whose holder is -1). */
bool engine_lock_held(const struct engine *e, uint32_t lock);

/*
 * lockdep keeps up to LOCKSTAT_POINTS call sites per class, in the order
 * first seen; a site seen once all are taken is not counted.
 */
#define LOCKSTAT_POINTS 4
struct lock_point {
	const char *ip;		/* NULL: unused */
	uint64_t count;
};

/* Per lock class, the columns of /proc/lock_stat (times in ns). */
struct lock_class_stat {
	const char *name;
	uint64_t con_bounces, contentions;
	vtime_t wait_min, wait_max, wait_total;	/* wait_min: non-zero waits */
	uint64_t acq_bounces, acquisitions;
	vtime_t hold_min, hold_max, hold_total;
	/* contention: where waiters took it; contending: where holders did */
	struct lock_point contention_point[LOCKSTAT_POINTS];
	struct lock_point contending_point[LOCKSTAT_POINTS];
};

/* Per lock (instance), for splitting a class by its owner. */
struct lock_instance_stat {
	uint32_t cls;		/* index in engine_lock_classes' array */
	uint64_t contentions, acquisitions;
	vtime_t wait_total;
};
/* Locks created so far (ids 1..n). */
uint32_t engine_nr_locks(const struct engine *e);
/* Stats of lock id (1..engine_nr_locks); false for no such lock. */
bool engine_lock_stat(const struct engine *e, uint32_t lock,
		      struct lock_instance_stat *out);
/*
 * Classes in order of first creation; returns the count. The array stays
 * valid until the next engine_lock_new or engine_destroy.
 */
size_t engine_lock_classes(const struct engine *e,
			   const struct lock_class_stat **out);

/* -------- RCU -------- */

/* fn(arg) runs (as a global) once every online CPU passed a quiescent point. */
void engine_call_rcu(struct engine *e, engine_fn fn, void *arg);
/*
 * The same, but fn runs as an operation on the calling CPU at the end of
 * the grace period, as Linux runs RCU callbacks in softirq on the CPU
 * that queued them (so fn may use per-CPU state, e.g. kmem_cache_free).
 * A callback of a CPU gone offline runs on the first online CPU; called
 * outside operations it behaves as engine_call_rcu.
 */
void engine_call_rcu_local(struct engine *e, engine_fn fn, void *arg);
/* Block the running CPU until a full grace period has elapsed. */
void engine_synchronize_rcu(struct engine *e);

/* -------- counters -------- */

struct engine_stats {
	uint64_t operations;	/* operations run */
	uint64_t switches;	/* coroutine switches */
	uint64_t globals;
};
void engine_get_stats(const struct engine *e, struct engine_stats *out);

#endif /* SLABSIM_SIM_ENGINE_H */
