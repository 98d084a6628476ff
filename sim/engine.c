/*
 * The engine: simulated CPUs in virtual time.
 *
 * Every simulated CPU has a clock. Exactly one context runs at a time:
 * the scheduler (engine_run's own stack, which also runs globals) or one
 * CPU. A CPU runs until a sync point finds some other piece of work that
 * is earlier in (time, CPU) order; then that work runs, or the scheduler
 * for a global. Nothing but the (time, CPU, sequence) keys decides who
 * runs, so a run is a pure function of its inputs.
 *
 * Stacks are not tied to CPUs. Most operations never wait: they run as
 * plain calls on whatever stack is at its top level (the one whose
 * operation just ended), one after the other, with no switch at all. A
 * CPU holds a stack only while it is inside work, and the stack matters
 * only when the CPU is suspended mid-way (it gave way at a sync point or
 * waits); then the next work runs on a stack from the pool, and the
 * suspended CPU is resumed on its own one later.
 *
 * Words used below (see engine.h for the public ones):
 *   ready     a CPU that could run now: an idle CPU with a queued operation
 *             or IPI, a CPU suspended at a sync point, a blocked CPU with
 *             an IPI it may take. Its key is the time it would run at.
 *   busy      a CPU inside an operation or an IPI handler (running, ready
 *             or blocked); its key is when that work started.
 *   waiter    a record on a blocked CPU's own stack saying what it waits
 *             for; whoever completes the wait fills it in.
 *   worker    a pooled stack; at its top level it runs the work handed
 *             to it, then picks what comes next.
 *
 * Speed matters here: a run asks "who is next" at every sync point,
 * millions of times. The structures below are chosen for that (see each
 * banner); none of them changes an answer, only what it costs.
 */
#include "sim/engine.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/coro.h"
#include "sim/engine_inline.h"

#define DEFAULT_STACK	(256u * 1024u)
#define MAX_CPUS	4096

static vtime_t vmax(vtime_t a, vtime_t b)
{
	return a > b ? a : b;
}

/* ------------------------------------------------------------------ */
/* Work queues: (time, sequence) heaps                                  */
/* ------------------------------------------------------------------ */

/*
 * Each CPU has one queue of operations and one of pending IPIs, and the
 * engine one queue of globals. Per-CPU queues give the same order as the
 * single (time, CPU, seq) queue of the design, but let the scheduler
 * skip a CPU whose head cannot start yet because the CPU is busy.
 * Sequence numbers are unique, so every queue has exactly one minimum
 * and how a queue is laid out never shows in what is taken from it.
 *
 * A queue is a sorted array while it is short, and a binary heap once
 * it grows long. In a busy run a CPU's queue holds a dozen entries or
 * so, and popping a heap is a chain of dependent loads down its levels
 * (the largest single cost of a simulated operation once was exactly
 * that); taking the last entry of a sorted array is one copy, and an
 * insertion moves a few entries with no chain at all. A queue that
 * outgrows QSORTED_MAX becomes a heap, which its order already is once
 * reversed, and stays one until it is empty: a long backlog never pays
 * for linear insertion.
 */
struct ipi_call;

struct qent {
	vtime_t t;
	uint64_t seq;
	engine_fn fn;
	void *arg;		/* IPIs: the struct ipi_call (holds fn's arg) */
};

struct qheap {
	struct qent *v;
	size_t n, cap;
	bool heap;		/* else v is sorted latest first: head v[n - 1] */
};

#define QSORTED_MAX	32

/* (t, seq) as one 128-bit number: one wide compare, no branches. */
static inline bool qent_less(const struct qent *a, const struct qent *b)
{
	unsigned __int128 ka = (unsigned __int128)a->t << 64 | a->seq;
	unsigned __int128 kb = (unsigned __int128)b->t << 64 | b->seq;

	return ka < kb;
}

/* The earliest entry of a queue that is not empty. */
static inline const struct qent *qhead(const struct qheap *h)
{
	return h->heap ? &h->v[0] : &h->v[h->n - 1];
}

/* The sorted array, reversed (earliest first), is a valid heap. */
static void qheap_make_heap(struct qheap *h)
{
	for (size_t a = 0, b = h->n - 1; a < b; a++, b--) {
		struct qent tmp = h->v[a];

		h->v[a] = h->v[b];
		h->v[b] = tmp;
	}
	h->heap = true;
}

/* Returns false (queue unchanged) when memory runs out. */
static inline __attribute__((always_inline)) bool
qheap_push(struct qheap *h, const struct qent *ent)
{
	struct qent *v = h->v;
	size_t i;

	if (h->n == h->cap) {
		size_t cap = h->cap ? h->cap * 2 : 16;

		v = realloc(v, cap * sizeof(*v));
		if (!v)
			return false;
		h->v = v;
		h->cap = cap;
	}
	if (!h->heap) {
		if (h->n < QSORTED_MAX) {
			/*
			 * Earlier entries move up one to make room. ent is
			 * the latest posted, so its sequence number is above
			 * every other in the queue: it goes after all entries
			 * of its time, and comparing times alone is exact.
			 */
			i = h->n++;
			while (i > 0 && v[i - 1].t <= ent->t) {
				v[i] = v[i - 1];
				i--;
			}
			v[i] = *ent;
			return true;
		}
		qheap_make_heap(h);
	}
	i = h->n++;
	while (i > 0) {
		size_t parent = (i - 1) / 2;

		if (!qent_less(ent, &v[parent]))
			break;
		v[i] = v[parent];
		i = parent;
	}
	v[i] = *ent;
	return true;
}

/*
 * qheap_push for an entry whose sequence number may be below others in
 * the queue (work posted ahead of its turn, engine_post_seq): the sorted
 * array compares (time, sequence) in full. Returns false on OOM.
 */
static bool qheap_push_any(struct qheap *h, const struct qent *ent)
{
	size_t i;

	if (h->n == h->cap) {
		size_t cap = h->cap ? h->cap * 2 : 16;
		struct qent *v = realloc(h->v, cap * sizeof(*v));

		if (!v)
			return false;
		h->v = v;
		h->cap = cap;
	}
	if (h->heap || h->n >= QSORTED_MAX)
		return qheap_push(h, ent);	/* the heap compares in full */
	i = h->n++;
	while (i > 0 && qent_less(&h->v[i - 1], ent)) {
		h->v[i] = h->v[i - 1];
		i--;
	}
	h->v[i] = *ent;
	return true;
}

/*
 * Remove the earliest entry into *top. In a heap, the hole it leaves
 * walks down along the smaller children to a leaf (one compare per
 * level), and the last entry then rises from there: it nearly always
 * belongs near the bottom, so this costs about half the compares of the
 * textbook sift-down.
 */
static void qheap_pop(struct qheap *h, struct qent *top)
{
	struct qent *v = h->v;
	size_t n = --h->n;
	size_t i = 0, child;

	if (!h->heap) {
		*top = v[n];
		return;
	}
	*top = v[0];
	if (n == 0) {
		h->heap = false;
		return;
	}
	while ((child = 2 * i + 1) < n) {
		child += child + 1 < n && qent_less(&v[child + 1], &v[child]);
		v[i] = v[child];
		i = child;
	}
	while (i > 0) {
		size_t parent = (i - 1) / 2;

		if (!qent_less(&v[n], &v[parent]))
			break;
		v[i] = v[parent];
		i = parent;
	}
	v[i] = v[n];
}

/* ------------------------------------------------------------------ */
/* The ready set: a winner tree over (key, CPU)                         */
/* ------------------------------------------------------------------ */

/*
 * "Which ready CPU is earliest, ties to the lowest number" is asked at
 * every sync point. A tournament tree answers it from its root, and
 * changing one CPU replays only its path to the root, stopping as soon
 * as a match keeps its old result; on machines of up to RT_FLAT_MAX
 * CPUs only the root is kept (see below). Each node holds its winner as one
 * 64-bit number, key above a 12-bit CPU number, so a match is a single
 * compare with no branch to mispredict and no indirection; an absent CPU
 * is all ones, after every real (key, CPU) pair.
 *
 * Keys are exact below 2^52 - 2 ns and saturate above: the engine never
 * sees a time past ENGINE_HORIZON (engine_post refuses it), and a clock
 * would need weeks of simulated work beyond that to reach the limit.
 */
typedef uint64_t rkey_t;

#define RT_CPU_BITS	12		/* MAX_CPUS */
#define RT_KEY_MAX	(((vtime_t)1 << (64 - RT_CPU_BITS)) - 2)
#define RT_NONE		(~(rkey_t)0)
_Static_assert(MAX_CPUS <= 1 << RT_CPU_BITS, "a CPU number must fit its field");
_Static_assert(ENGINE_HORIZON < RT_KEY_MAX, "keys must be exact up to the horizon");

struct rtree {
	int leaves;		/* a power of two >= the number of CPUs */
	rkey_t *node;		/* node[1] is the root, node[leaves + cpu] a leaf */
};

/*
 * Up to RT_FLAT_MAX leaves the matches below the root are not kept: every
 * change computes the root afresh from the leaves, a fixed pattern of
 * compares with no branch at all. Replaying a path stops at the first
 * match that keeps its winner, and that exit is a branch the host often
 * mispredicts: with 8 and with 16 CPUs the fixed compares measured
 * faster. Fewer CPUs than 8 pad the leaves with absent ones.
 */
#define RT_FLAT_MIN	8
#define RT_FLAT_MAX	16

static inline rkey_t rkey_min(rkey_t a, rkey_t b)
{
	return a < b ? a : b;
}

static inline rkey_t rt_min8(const rkey_t *l)
{
	return rkey_min(rkey_min(rkey_min(l[0], l[1]), rkey_min(l[2], l[3])),
			rkey_min(rkey_min(l[4], l[5]), rkey_min(l[6], l[7])));
}

static inline bool rt_flat(const struct rtree *t)
{
	return t->leaves <= RT_FLAT_MAX;
}

static inline void rt_flat_root(struct rtree *t)
{
	const rkey_t *l = t->node + t->leaves;
	rkey_t w = rt_min8(l);

	if (t->leaves == RT_FLAT_MAX)
		w = rkey_min(w, rt_min8(l + 8));
	t->node[1] = w;
}

static inline rkey_t rt_pack(vtime_t key, int cpu)
{
	key = key < RT_KEY_MAX ? key : RT_KEY_MAX;
	return key << RT_CPU_BITS | (rkey_t)cpu;
}

/*
 * Replay the matches above a leaf that just changed. The winner coming
 * up is already known, so each match reads only the sibling.
 */
static void rt_fix(struct rtree *t, int leaf)
{
	rkey_t *node = t->node;
	rkey_t w;

	if (rt_flat(t)) {
		rt_flat_root(t);
		return;
	}
	w = node[leaf];
	for (unsigned int i = (unsigned int)leaf; i > 1; i >>= 1) {
		rkey_t s = node[i ^ 1];

		w = w < s ? w : s;
		if (node[i >> 1] == w)
			break;
		node[i >> 1] = w;
	}
}

static inline void rt_set(struct rtree *t, int cpu, vtime_t key)
{
	int leaf = t->leaves + cpu;
	rkey_t v = rt_pack(key, cpu);

	if (t->node[leaf] == v)
		return;
	t->node[leaf] = v;
	rt_fix(t, leaf);
}

static inline void rt_del(struct rtree *t, int cpu)
{
	int leaf = t->leaves + cpu;

	if (t->node[leaf] == RT_NONE)
		return;
	t->node[leaf] = RT_NONE;
	rt_fix(t, leaf);
}

/*
 * rt_set(t, a, key) and rt_del(t, b) together, a != b, b in the set: a
 * CPU that steps out while the winner steps in. Below the match where
 * the two paths meet each is replayed alone; from there up, once.
 */
static void rt_set_del(struct rtree *t, int a, vtime_t key, int b)
{
	rkey_t *node = t->node;
	unsigned int i = (unsigned int)(t->leaves + a);
	unsigned int j = (unsigned int)(t->leaves + b);
	rkey_t wi = rt_pack(key, a), wj = RT_NONE, w;

	node[i] = wi;
	node[j] = wj;
	if (rt_flat(t)) {
		rt_flat_root(t);
		return;
	}
	while (i >> 1 != j >> 1) {
		rkey_t si = node[i ^ 1], sj = node[j ^ 1];

		wi = wi < si ? wi : si;
		wj = wj < sj ? wj : sj;
		i >>= 1;
		j >>= 1;
		node[i] = wi;
		node[j] = wj;
	}
	w = wi < wj ? wi : wj;
	for (i >>= 1; node[i] != w; i >>= 1) {
		rkey_t s;

		node[i] = w;
		if (i == 1)
			break;
		s = node[i ^ 1];
		w = w < s ? w : s;
	}
}

/* The earliest ready CPU and its key, or -1. */
static inline int rt_top(const struct rtree *t, vtime_t *key)
{
	rkey_t w = t->node[1];

	*key = w >> RT_CPU_BITS;
	return w == RT_NONE ? -1 : (int)(w & ((1u << RT_CPU_BITS) - 1));
}

static bool rt_init(struct rtree *t, int nr)
{
	t->leaves = RT_FLAT_MIN;
	while (t->leaves < nr)
		t->leaves *= 2;
	t->node = malloc(2 * (size_t)t->leaves * sizeof(*t->node));
	if (!t->node)
		return false;
	for (int i = 0; i < 2 * t->leaves; i++)
		t->node[i] = RT_NONE;
	return true;
}

static void rt_free(struct rtree *t)
{
	free(t->node);
}

/* ------------------------------------------------------------------ */
/* The engine's state                                                   */
/* ------------------------------------------------------------------ */

enum cpu_state {
	CPU_IDLE,	/* no operation; may have queued work */
	CPU_RUNNING,	/* its coroutine is the one executing */
	CPU_RUNNABLE,	/* suspended at a sync point, or woken */
	CPU_BLOCKED,	/* waiting for a lock, IPIs or a grace period */
};

enum work_kind { WORK_NONE, WORK_OP, WORK_IRQ };

/*
 * A spinning CPU takes an IPI only with irqs on and no spinlock held; a
 * sleeping one (mutex, synchronize_rcu) always can, and sleeping is an
 * RCU quiescent state, as a context switch is in the kernel.
 */
enum block_kind { BLOCK_SPIN, BLOCK_SLEEP };

struct waiter {
	struct waiter *next;	/* lock wait queue, arrival order */
	int cpu;
	vtime_t since;		/* clock when the wait began */
	bool done;		/* the condition was met */
	bool clocked;		/* the waker already moved the clock */
	vtime_t when, extra;	/* resume at max(clock, when) + extra */
	uint32_t lock;		/* what it waits for, for the deadlock report */
	const char *what;
};

struct ipi_call {
	struct waiter w;
	void *arg;		/* for fn, which each queue entry carries */
	int caller;
	int pending;		/* targets not finished yet */
	vtime_t latest;		/* latest finish among targets */
};

struct engine;

/*
 * A worker stack. While a CPU is inside work it holds the stack that work
 * runs on; otherwise the stack sits in the engine's pool, parked at its
 * top level until someone hands it a CPU.
 */
struct stack {
	struct coro co;
	struct engine *e;
	struct cpu *handoff;	/* the prepared CPU to run when resumed */
	struct stack *next;	/* pool link */
};

struct cpu {
	struct engine_cpu_hot hot;	/* clock, irqs_off: first, see engine_inline.h */
	struct engine *e;
	int id, node;
	bool online;
	bool busy;		/* inside work that started at busy_since */
	enum cpu_state state;
	vtime_t busy_since;
	struct stack *stk;	/* held while inside work, else NULL */
	struct qheap ops, ipis;
	enum work_kind work;
	struct qent cur;	/* the operation or IPI being run */
	int in_irq;		/* depth of IPI handlers */
	int spin_held;		/* spinlocks held: IPIs wait until 0 */
	int locks_held;		/* spinlocks + mutexes: must be 0 at op end */
	struct waiter *blocked_on;
	enum block_kind block;
	bool rcu_need;		/* owes a quiescent state to the grace period */
};

struct lock {
	enum lock_kind kind;
	uint32_t cls;
	uint64_t addr;
	bool held;
	bool outside;		/* held by boot code or a global */
	int peeks;		/* outside takes passed through a CPU's hold */
	int holder;
	int last_cpu;		/* last acquirer, for bounces; -1 none */
	vtime_t acquired;
	const char *acq_ip;	/* call site of the current (last) holder */
	uint64_t contentions, acquisitions;
	vtime_t wait_total;
	struct waiter *waiters;
};

struct lclass {
	uint64_t holds;		/* hold times recorded, to seed hold_min */
};

struct rcu_cb {
	engine_fn fn;
	void *arg;
	struct waiter *w;	/* synchronize_rcu: wake this CPU instead */
	int cpu;		/* the waiter's CPU, or where to run fn */
	bool on_cpu;		/* run fn as an operation, not a global */
};

struct rcu_batch {
	struct rcu_cb *v;
	size_t n, cap;
};

struct engine {
	struct engine_hot hot;	/* first: the inline fast paths read it */
	int nr_cpus;
	struct engine_costs costs;
	size_t stack_size;
	struct cpu *cpus;
	struct coro sched;
	struct cpu *cur;	/* CPU whose work runs; NULL: scheduler */
	struct stack *stk_now;	/* stack executing now; NULL: scheduler's */
	struct stack *pool;	/* worker stacks at their top level */
	struct stack **stacks;	/* every worker stack, to free them */
	size_t nr_stacks, cap_stacks;
	uint64_t seq;
	/*
	 * The feeder (engine_set_feeder) is called before anything at or
	 * after feed_t runs; VTIME_NEVER: nothing left to feed.
	 */
	vtime_t feed_t;
	engine_fn feeder;
	void *feed_arg;
	struct qheap globals;
	vtime_t gtime;		/* time of the first global; VTIME_NEVER: none */
	struct rtree ready;
	/*
	 * Busy CPUs matter only to a global that is due, which is rare: a
	 * count, and a scan over the CPUs when it is not zero.
	 */
	int nr_busy;

	struct lock *locks;
	uint32_t nr_locks, cap_locks;
	struct lock_class_stat *cls;
	struct lclass *cls_priv;
	size_t nr_cls, cap_cls;

	struct {
		struct rcu_batch cur, next;
		bool active;
		int need;
		vtime_t latest;
	} rcu;

	struct engine_stats stats;
	bool in_run, dead, stop;
	int code, stop_code;
	jmp_buf unwind;
};

/* Make c (or nobody: NULL) the running context, for engine.c and the fast paths. */
static inline void set_running(struct engine *e, struct cpu *c)
{
	e->cur = c;
	e->hot.cur = c ? &c->hot : NULL;
	e->hot.cpu = c ? c->id : -1;
}

/* ------------------------------------------------------------------ */
/* Failing loudly                                                       */
/* ------------------------------------------------------------------ */

static vtime_t now_of(const struct engine *e)
{
	return e->cur ? e->cur->hot.clock : e->hot.gnow;
}

/*
 * An engine BUG check: one line to stderr naming the CPU and time, then
 * the run is abandoned with ENGINE_EBUG (outside a run: the process
 * aborts, there is nothing to unwind to).
 */
__attribute__((noreturn, format(printf, 2, 3)))
static void engine_bug(struct engine *e, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "slabsim engine: BUG at t=%llu ns cpu %d: ",
		(unsigned long long)now_of(e), e->hot.cpu);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (!e->in_run)
		abort();
	engine_abort(e, ENGINE_EBUG);
}

void engine_abort(struct engine *e, int code)
{
	struct cpu *c = e->cur;

	e->dead = true;
	e->code = code;
	if (c && e->stk_now) {
		struct stack *s = e->stk_now;

		/* Never resumed: its stack is simply dropped with the engine. */
		set_running(e, NULL);
		e->stk_now = NULL;
		e->stats.switches++;
		coro_switch(&s->co, &e->sched);
	} else if (e->in_run) {
		/* A global runs on engine_run's own stack: plain unwinding. */
		longjmp(e->unwind, 1);
	}
	fprintf(stderr, "slabsim engine: abort(%d) outside engine_run\n", code);
	exit(code > 0 && code < 256 ? code : 1);
}

/* ------------------------------------------------------------------ */
/* Choosing what runs next                                              */
/* ------------------------------------------------------------------ */

static bool ipi_allowed(const struct cpu *c)
{
	if (c->state == CPU_BLOCKED && c->block == BLOCK_SLEEP)
		return true;
	return !c->hot.irqs_off && c->spin_held == 0;
}

/* cpu_ready_key of an idle CPU: its first IPI or queued operation. */
static inline bool idle_key(const struct cpu *c, vtime_t *keyp)
{
	vtime_t key = VTIME_NEVER;
	bool ready = false;

	if (c->ipis.n) {
		key = qhead(&c->ipis)->t;
		ready = true;
	}
	if (c->online && c->ops.n && (!ready || qhead(&c->ops)->t < key)) {
		key = qhead(&c->ops)->t;
		ready = true;
	}
	*keyp = vmax(key, c->hot.clock);
	return ready;
}

/*
 * c's key in the ready set: the time it would run at. False when c
 * cannot run now (it is running, or idle or blocked with nothing to do).
 */
static bool cpu_ready_key(const struct cpu *c, vtime_t *keyp)
{
	vtime_t key = VTIME_NEVER;
	bool ready = false;

	switch (c->state) {
	case CPU_RUNNING:
		break;
	case CPU_RUNNABLE:
		key = c->hot.clock;
		ready = true;
		break;
	case CPU_BLOCKED:
		if (c->ipis.n && ipi_allowed(c)) {
			key = vmax(qhead(&c->ipis)->t, c->hot.clock);
			ready = true;
		}
		break;
	case CPU_IDLE:
		return idle_key(c, keyp);
	}
	*keyp = key;
	return ready;
}

/*
 * Recompute c's place in the ready set after anything about it changed.
 * The running CPU is never in it: it is compared by hand at sync points.
 */
static void cpu_update(struct engine *e, struct cpu *c)
{
	vtime_t key;

	if (cpu_ready_key(c, &key))
		rt_set(&e->ready, c->id, key);
	else
		rt_del(&e->ready, c->id);
}

/* Is some CPU inside work that started before t? */
static bool busy_before(const struct engine *e, vtime_t t)
{
	if (e->nr_busy == 0)
		return false;
	for (int i = 0; i < e->nr_cpus; i++)
		if (e->cpus[i].busy && e->cpus[i].busy_since < t)
			return true;
	return false;
}

/*
 * Does the first global come before work keyed 'key'? A global waits
 * until no operation that started before its time is still in progress,
 * so it sees each of those finished.
 */
static inline bool global_first(const struct engine *e, vtime_t key)
{
	return e->gtime <= key && !busy_before(e, e->gtime);
}

enum pick { PICK_NONE, PICK_GLOBAL, PICK_CPU };

/* The earliest piece of work in (time, CPU) order, globals as CPU -1. */
static enum pick pick_next(const struct engine *e, int *cpu)
{
	vtime_t key;
	int c = rt_top(&e->ready, &key);

	if (global_first(e, key))
		return PICK_GLOBAL;
	if (c < 0)
		return PICK_NONE;
	*cpu = c;
	return PICK_CPU;
}

/*
 * Make t, already out of the ready set, the running CPU: if it was idle,
 * hand it its next operation or IPI (IPIs first at equal times).
 */
static void cpu_take(struct engine *e, struct cpu *t)
{
	if (t->state == CPU_IDLE) {
		bool irq = t->ipis.n != 0;

		if (irq && t->online && t->ops.n &&
		    vmax(qhead(&t->ops)->t, t->hot.clock) <
		    vmax(qhead(&t->ipis)->t, t->hot.clock))
			irq = false;
		if (irq) {
			qheap_pop(&t->ipis, &t->cur);
			t->work = WORK_IRQ;
		} else {
			qheap_pop(&t->ops, &t->cur);
			t->work = WORK_OP;
		}
		t->hot.clock = vmax(t->cur.t, t->hot.clock);
		t->busy = true;
		t->busy_since = t->hot.clock;
		e->nr_busy++;
	}
	t->state = CPU_RUNNING;
}

/* cpu_take for a CPU that may still be in the ready set. */
static void cpu_prepare(struct engine *e, struct cpu *t)
{
	rt_del(&e->ready, t->id);
	cpu_take(e, t);
}

static void worker_main(void *arg);

/*
 * A parked worker stack, or a new one; it runs t's work once switched
 * to. Running out of memory for a stack is an engine BUG (the run
 * cannot go on without one); the pool is left as it was.
 */
static struct stack *stack_get(struct engine *e, struct cpu *t)
{
	struct stack *s = e->pool;

	if (s) {
		e->pool = s->next;
	} else {
		if (e->nr_stacks == e->cap_stacks) {
			size_t cap = e->cap_stacks ? e->cap_stacks * 2 : 8;
			struct stack **v = realloc(e->stacks, cap * sizeof(*v));

			if (!v)
				engine_bug(e, "out of memory for stacks");
			e->stacks = v;
			e->cap_stacks = cap;
		}
		s = calloc(1, sizeof(*s));
		if (!s || coro_create(&s->co, e->stack_size, worker_main, s) != 0) {
			free(s);
			engine_bug(e, "out of memory for stacks");
		}
		s->e = e;
		e->stacks[e->nr_stacks++] = s;
	}
	s->handoff = t;
	return s;
}

/*
 * Leave the context 'from' for CPU t, which cpu_prepare just made the
 * running CPU: back onto its own stack if it was suspended inside work,
 * else onto a worker from the pool that starts t's new work.
 */
static void switch_to_cpu(struct engine *e, struct coro *from, struct cpu *t)
{
	struct stack *s = t->stk ? t->stk : stack_get(e, t);

	set_running(e, t);
	e->stk_now = s;
	e->stats.switches++;
	coro_switch(from, &s->co);
}

/* Leave the context 'from' for the scheduler (a global, a stop, the end). */
static void switch_to_sched(struct engine *e, struct coro *from)
{
	set_running(e, NULL);
	e->stk_now = NULL;
	e->stats.switches++;
	coro_switch(from, &e->sched);
}

/*
 * Feeding. Work the feeder posts carries sequence numbers reserved
 * before the run, so posting it early orders it exactly as if it had
 * been posted at the start; posting it late is what must never happen.
 * So the engine feeds whenever the earliest thing it might run next (the
 * first global, the earliest ready CPU, or other: a CPU's own key) is
 * not before feed_t. Being early costs only queue length.
 */
static inline bool feed_due(const struct engine *e, vtime_t other)
{
	vtime_t top = e->ready.node[1] == RT_NONE ? VTIME_NEVER :
		      (vtime_t)(e->ready.node[1] >> RT_CPU_BITS);

	return e->feed_t != VTIME_NEVER && e->feed_t <= e->gtime &&
	       e->feed_t <= top && e->feed_t <= other;
}

static __attribute__((noinline)) void feed_run(struct engine *e,
					       vtime_t other)
{
	while (feed_due(e, other)) {
		e->feed_t = VTIME_NEVER;
		e->feeder(e->feed_arg);
	}
}

static inline void feed(struct engine *e, vtime_t other)
{
	if (__builtin_expect(feed_due(e, other), 0))
		feed_run(e, other);
}

enum next { NEXT_ME, NEXT_CPU, NEXT_SCHED };

/*
 * What runs after me, a CPU at a sync point or at the end of its work,
 * ready keyed mk if mine: me again (the fast path: the ready set is left
 * as it was), the earliest other CPU (*next, out of the set, me in it if
 * ready), or the scheduler for a global, a stop or the end (me in the set
 * if ready). The CPU chosen to run has been taken (cpu_take); the caller
 * only has to get onto the right stack.
 */
static inline enum next choose_next(struct engine *e, struct cpu *me,
				    bool mine, vtime_t mk, struct cpu **next)
{
	vtime_t tk;
	int t;

	/*
	 * Out of the ready set while it decides; a wake-up of itself (an
	 * RCU grace period ending) may have put it there.
	 */
	rt_del(&e->ready, me->id);
	t = rt_top(&e->ready, &tk);

	if (!e->stop) {
		if (mine && rt_pack(mk, me->id) < e->ready.node[1]) {
			if (!global_first(e, mk)) {
				cpu_take(e, me);
				return NEXT_ME;
			}
		} else if (t >= 0 && !global_first(e, tk)) {
			*next = &e->cpus[t];
			if (mine)
				rt_set_del(&e->ready, me->id, mk, t);
			else
				rt_del(&e->ready, t);
			cpu_take(e, *next);
			return NEXT_CPU;
		}
	}
	if (mine)
		rt_set(&e->ready, me->id, mk);
	return NEXT_SCHED;
}

/*
 * Called by the running CPU me, suspended inside work on its own stack,
 * once its state says what it is now (runnable or blocked). Returns when
 * me is resumed: at once when it goes on itself, without a switch.
 */
static void cpu_schedule(struct engine *e, struct cpu *me)
{
	vtime_t mk;
	bool mine = cpu_ready_key(me, &mk);
	struct cpu *next;

	/* (feeding cannot change the key of a CPU inside work) */
	feed(e, mine ? mk : VTIME_NEVER);
	switch (choose_next(e, me, mine, mk, &next)) {
	case NEXT_ME:
		return;
	case NEXT_CPU:
		switch_to_cpu(e, &me->stk->co, next);
		return;
	case NEXT_SCHED:
		switch_to_sched(e, &me->stk->co);
		return;
	}
}

/*
 * The same choice for worker s at its top level, after me's work ended
 * on it. Work of an idle CPU (me's next operation, or another CPU's)
 * runs right here: s->handoff names it on return. A CPU suspended
 * inside work is resumed on its own stack, and the scheduler on its
 * own; s waits in the pool meanwhile and returns when handed a CPU.
 */
static void worker_next(struct engine *e, struct stack *s, struct cpu *me)
{
	vtime_t mk;
	bool mine;
	struct cpu *next;

	/* first: feeding may queue work for me, idle now */
	feed(e, VTIME_NEVER);
	mine = idle_key(me, &mk);	/* run_work left me idle */
	switch (choose_next(e, me, mine, mk, &next)) {
	case NEXT_ME:
		s->handoff = me;
		return;
	case NEXT_CPU:
		if (!next->stk) {
			set_running(e, next);
			s->handoff = next;
			return;
		}
		s->next = e->pool;
		e->pool = s;
		switch_to_cpu(e, &s->co, next);
		return;
	case NEXT_SCHED:
		s->next = e->pool;
		e->pool = s;
		switch_to_sched(e, &s->co);
		return;
	}
}

/* ------------------------------------------------------------------ */
/* Sync points, blocking and waking                                     */
/* ------------------------------------------------------------------ */

static void deliver_ipis(struct engine *e, struct cpu *c, bool force);
static void rcu_quiescent(struct engine *e, struct cpu *c);

/* Does anything other than c come before c's clock? */
static inline bool must_yield(const struct engine *e, const struct cpu *c)
{
	if (e->ready.node[1] < rt_pack(c->hot.clock, c->id))
		return true;
	if (e->feed_t <= c->hot.clock)	/* cpu_schedule feeds */
		return true;
	return global_first(e, c->hot.clock);
}

/*
 * A sync point of the running CPU: give way to earlier work, then take
 * the IPIs that have arrived by now if interrupts allow.
 */
static inline void cpu_sync(struct engine *e, struct cpu *c)
{
	if (must_yield(e, c)) {
		c->state = CPU_RUNNABLE;
		cpu_schedule(e, c);
	}
	if (c->ipis.n)
		deliver_ipis(e, c, false);
}

/*
 * Complete w for CPU c: it may continue at max(its clock, when) + extra.
 * If c is parked on exactly this wait it becomes runnable now; if it is
 * busy elsewhere (an IPI handler taken while waiting), cpu_wait applies
 * the clock when control comes back to it.
 */
static void wake(struct engine *e, struct cpu *c, struct waiter *w,
		 vtime_t when, vtime_t extra)
{
	w->done = true;
	w->when = when;
	w->extra = extra;
	if (c->state == CPU_BLOCKED && c->blocked_on == w) {
		c->hot.clock = vmax(c->hot.clock, when) + extra;
		w->clocked = true;
		c->state = CPU_RUNNABLE;
		cpu_update(e, c);
	}
}

/*
 * Park the running CPU until w is done, taking IPIs meanwhile when the
 * kind of wait allows. On return c's clock includes the wait.
 */
static void cpu_wait(struct engine *e, struct cpu *c, struct waiter *w,
		     enum block_kind kind)
{
	while (!w->done) {
		c->state = CPU_BLOCKED;
		c->blocked_on = w;
		c->block = kind;
		if (kind == BLOCK_SLEEP)
			rcu_quiescent(e, c);
		cpu_schedule(e, c);
		c->blocked_on = NULL;
		if (!w->done && c->ipis.n) {
			/* Resumed to take an interrupt, not because w is done. */
			c->hot.clock = vmax(c->hot.clock, qhead(&c->ipis)->t);
			deliver_ipis(e, c, kind == BLOCK_SLEEP);
		}
	}
	if (!w->clocked) {
		c->hot.clock = vmax(c->hot.clock, w->when) + w->extra;
		w->clocked = true;
	}
}

/* ------------------------------------------------------------------ */
/* Running operations and IPIs on a CPU's coroutine                     */
/* ------------------------------------------------------------------ */

/* Run one IPI handler on c, interrupts off, and report to its caller. */
static void run_ipi(struct engine *e, struct cpu *c, const struct qent *ent)
{
	struct ipi_call *call = ent->arg;
	bool was_off = c->hot.irqs_off;

	c->hot.irqs_off = true;
	c->in_irq++;
	ent->fn(call->arg);
	c->in_irq--;
	c->hot.irqs_off = was_off;
	call->latest = vmax(call->latest, c->hot.clock);
	if (--call->pending == 0)
		wake(e, &e->cpus[call->caller], &call->w, call->latest, 0);
}

/* Take c's pending IPIs that have arrived by its clock (force: any). */
static void deliver_ipis(struct engine *e, struct cpu *c, bool force)
{
	while (c->ipis.n && qhead(&c->ipis)->t <= c->hot.clock &&
	       (force || (!c->hot.irqs_off && c->spin_held == 0))) {
		struct qent ent;

		qheap_pop(&c->ipis, &ent);
		run_ipi(e, c, &ent);
	}
}

/*
 * Run the work cpu_prepare handed to c (an operation or an IPI) on the
 * current stack, then leave c idle. BUG checks at the end of an
 * operation abandon the run from here, as from anywhere inside it.
 */
static void run_work(struct engine *e, struct cpu *c)
{
	if (c->work == WORK_OP) {
		c->hot.clock += e->costs.op;
		e->stats.operations++;
		c->cur.fn(c->cur.arg);
		if (c->locks_held)
			engine_bug(e, "operation ended holding %d lock(s)",
				   c->locks_held);
		if (c->hot.irqs_off)
			engine_bug(e, "operation ended with interrupts disabled");
	} else {
		struct qent ent = c->cur;

		run_ipi(e, c, &ent);
	}
	c->busy = false;
	e->nr_busy--;
	c->state = CPU_IDLE;
	if (c->work == WORK_OP) {
		/* Idle first: a grace period starting now skips c. */
		c->work = WORK_NONE;
		rcu_quiescent(e, c);
	}
	c->work = WORK_NONE;
}

/*
 * Every worker stack: run the CPU it was handed, then whatever comes
 * next, forever. It never returns; a stack is freed only with the engine.
 */
static void worker_main(void *arg)
{
	struct stack *s = arg;
	struct engine *e = s->e;

	for (;;) {
		struct cpu *c = s->handoff;

		s->handoff = NULL;
		c->stk = s;
		run_work(e, c);
		c->stk = NULL;
		worker_next(e, s, c);
	}
}

/* ------------------------------------------------------------------ */
/* Creating and running an engine                                       */
/* ------------------------------------------------------------------ */

struct engine *engine_create(const struct engine_config *cfg)
{
	struct engine *e;

	if (!cfg || cfg->nr_cpus < 1 || cfg->nr_cpus > MAX_CPUS)
		return NULL;
	e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	e->nr_cpus = cfg->nr_cpus;
	e->costs = cfg->costs;
	e->stack_size = cfg->stack_size ? cfg->stack_size : DEFAULT_STACK;
	e->hot.cpu = -1;
	e->gtime = VTIME_NEVER;
	e->feed_t = VTIME_NEVER;
	coro_init_self(&e->sched);
	e->cpus = calloc((size_t)e->nr_cpus, sizeof(*e->cpus));
	if (!e->cpus || !rt_init(&e->ready, e->nr_cpus))
		goto fail;
	for (int i = 0; i < e->nr_cpus; i++) {
		struct cpu *c = &e->cpus[i];

		c->e = e;
		c->id = i;
		c->node = cfg->cpu_node ? cfg->cpu_node[i] : 0;
		c->online = true;
	}
	return e;
fail:
	engine_destroy(e);
	return NULL;
}

void engine_destroy(struct engine *e)
{
	if (!e)
		return;
	for (size_t i = 0; i < e->nr_stacks; i++) {
		coro_free(&e->stacks[i]->co);
		free(e->stacks[i]);
	}
	free(e->stacks);
	for (int i = 0; e->cpus && i < e->nr_cpus; i++) {
		free(e->cpus[i].ops.v);
		free(e->cpus[i].ipis.v);
	}
	free(e->cpus);
	rt_free(&e->ready);
	free(e->globals.v);
	free(e->locks);
	for (size_t i = 0; i < e->nr_cls; i++)
		free((char *)e->cls[i].name);
	free(e->cls);
	free(e->cls_priv);
	free(e->rcu.cur.v);
	free(e->rcu.next.v);
	free(e);
}

static struct cpu *cpu_arg(struct engine *e, int cpu, const char *what)
{
	if (cpu < 0 || cpu >= e->nr_cpus)
		engine_bug(e, "%s: no CPU %d", what, cpu);
	return &e->cpus[cpu];
}

void engine_post(struct engine *e, vtime_t t, int cpu, engine_fn fn, void *arg)
{
	struct cpu *c = cpu_arg(e, cpu, "engine_post");
	struct qent ent = { .t = t, .seq = e->seq++, .fn = fn, .arg = arg };

	if (t > ENGINE_HORIZON)
		engine_bug(e, "operation posted at t=%llu ns, past the horizon",
			   (unsigned long long)t);
	/*
	 * A CPU taken offline while inside an operation may still re-arm
	 * its own timer on the way out; that stays queued until the CPU
	 * comes back. Anyone else posting to an offline CPU is a bug.
	 */
	if (!c->online && cpu != e->hot.cpu)
		engine_bug(e, "operation posted to offline CPU %d", cpu);
	if (!qheap_push(&c->ops, &ent))
		engine_bug(e, "out of memory for the event queue");
	/*
	 * Queued operations make only an idle CPU ready, by the head of the
	 * queue: unless the new one went to the head of an idle CPU's
	 * queue, c's place in the ready set stays as it is. (A running CPU
	 * is never in the set; its new work changes nothing until it ends.)
	 */
	if (c->state == CPU_IDLE && qhead(&c->ops)->seq == ent.seq)
		cpu_update(e, c);
}

void engine_post_global(struct engine *e, vtime_t t, engine_fn fn, void *arg)
{
	struct qent ent = { .t = t, .seq = e->seq++, .fn = fn, .arg = arg };

	if (t > ENGINE_HORIZON)
		engine_bug(e, "global posted at t=%llu ns, past the horizon",
			   (unsigned long long)t);
	if (!qheap_push(&e->globals, &ent))
		engine_bug(e, "out of memory for the event queue");
	e->gtime = qhead(&e->globals)->t;
}

uint64_t engine_reserve_seq(struct engine *e, uint64_t n)
{
	uint64_t base = e->seq;

	e->seq += n;
	return base;
}

void engine_post_seq(struct engine *e, vtime_t t, int cpu, engine_fn fn,
		     void *arg, uint64_t seq)
{
	struct cpu *c = cpu_arg(e, cpu, "engine_post_seq");
	struct qent ent = { .t = t, .seq = seq, .fn = fn, .arg = arg };

	if (t > ENGINE_HORIZON)
		engine_bug(e, "operation posted at t=%llu ns, past the horizon",
			   (unsigned long long)t);
	/* an offline CPU keeps it until it comes back, as its timers */
	if (!qheap_push_any(&c->ops, &ent))
		engine_bug(e, "out of memory for the event queue");
	if (c->state == CPU_IDLE && qhead(&c->ops)->seq == ent.seq)
		cpu_update(e, c);
}

void engine_post_global_seq(struct engine *e, vtime_t t, engine_fn fn,
			    void *arg, uint64_t seq)
{
	struct qent ent = { .t = t, .seq = seq, .fn = fn, .arg = arg };

	if (t > ENGINE_HORIZON)
		engine_bug(e, "global posted at t=%llu ns, past the horizon",
			   (unsigned long long)t);
	if (!qheap_push_any(&e->globals, &ent))
		engine_bug(e, "out of memory for the event queue");
	e->gtime = qhead(&e->globals)->t;
}

void engine_set_feeder(struct engine *e, engine_fn fn, void *arg)
{
	e->feeder = fn;
	e->feed_arg = arg;
}

void engine_feed_at(struct engine *e, vtime_t t)
{
	e->feed_t = e->feeder ? t : VTIME_NEVER;
}

/* Nothing can run but some CPU is inside work: say who waits for what. */
static void report_deadlock(struct engine *e)
{
	fprintf(stderr, "slabsim engine: deadlock: no CPU can make progress\n");
	for (int i = 0; i < e->nr_cpus; i++) {
		struct cpu *c = &e->cpus[i];
		struct waiter *w = c->blocked_on;

		if (c->state != CPU_BLOCKED || !w)
			continue;
		if (w->lock) {
			struct lock *l = &e->locks[w->lock - 1];

			fprintf(stderr, "  cpu %d at t=%llu waits for lock %u (%s) held by cpu %d\n",
				i, (unsigned long long)c->hot.clock, w->lock,
				e->cls[l->cls].name, l->holder);
		} else {
			fprintf(stderr, "  cpu %d at t=%llu waits for %s\n", i,
				(unsigned long long)c->hot.clock, w->what);
		}
	}
}

int engine_run(struct engine *e)
{
	if (e->dead)
		return e->code;
	if (e->in_run || e->cur)
		engine_bug(e, "engine_run called from inside a run");
	e->in_run = true;
	if (setjmp(e->unwind)) {
		/* engine_abort from a global: e->code holds the answer. */
		e->in_run = false;
		return e->code;
	}
	while (!e->dead) {
		struct qent g;
		int t;

		if (e->stop) {
			e->stop = false;
			e->in_run = false;
			return e->stop_code;
		}
		feed(e, VTIME_NEVER);
		switch (pick_next(e, &t)) {
		case PICK_GLOBAL:
			qheap_pop(&e->globals, &g);
			e->gtime = e->globals.n ? qhead(&e->globals)->t :
						  VTIME_NEVER;
			e->hot.gnow = g.t;
			e->stats.globals++;
			g.fn(g.arg);
			break;
		case PICK_CPU:
			cpu_prepare(e, &e->cpus[t]);
			switch_to_cpu(e, &e->sched, &e->cpus[t]);
			break;
		case PICK_NONE:
			if (e->nr_busy == 0) {
				e->in_run = false;
				return 0;
			}
			report_deadlock(e);
			e->dead = true;
			e->code = ENGINE_EDEADLOCK;
			break;
		}
	}
	e->in_run = false;
	return e->code;
}

void engine_stop(struct engine *e, int code)
{
	e->stop = true;
	e->stop_code = code;
}

/* ------------------------------------------------------------------ */
/* The current CPU                                                      */
/* ------------------------------------------------------------------ */

int engine_cpu(const struct engine *e)
{
	return e->hot.cpu;
}

int engine_cpu_node(const struct engine *e, int cpu)
{
	if (cpu < 0 || cpu >= e->nr_cpus)
		return -1;
	return e->cpus[cpu].node;
}

vtime_t engine_now(const struct engine *e)
{
	return now_of(e);
}

vtime_t engine_cpu_clock(const struct engine *e, int cpu)
{
	if (cpu < 0 || cpu >= e->nr_cpus)
		return 0;
	return e->cpus[cpu].hot.clock;
}

void engine_charge(struct engine *e, vtime_t ns)
{
	if (e->cur)
		e->cur->hot.clock += ns;
}

void engine_yield(struct engine *e)
{
	if (e->cur)
		cpu_sync(e, e->cur);
}

void engine_set_online(struct engine *e, int cpu, bool online)
{
	struct cpu *c = cpu_arg(e, cpu, "engine_set_online");

	/* A CPU coming up joins at the present, not where its clock stopped. */
	if (online && !c->online && c->state == CPU_IDLE)
		c->hot.clock = vmax(c->hot.clock, now_of(e));
	c->online = online;
	if (!online)
		rcu_quiescent(e, c);	/* grace periods stop waiting for it */
	cpu_update(e, c);
}

bool engine_online(const struct engine *e, int cpu)
{
	return cpu >= 0 && cpu < e->nr_cpus && e->cpus[cpu].online;
}

int engine_online_or_first(const struct engine *e, int cpu)
{
	if (e->cpus[cpu].online)
		return cpu;
	for (int i = 0; i < e->nr_cpus; i++)
		if (e->cpus[i].online)
			return i;
	return cpu;	/* nobody online: it waits for its CPU */
}

bool engine_cpu_quiet(const struct engine *e, int cpu)
{
	const struct cpu *c = &e->cpus[cpu];

	return c->state == CPU_IDLE && c->ipis.n == 0;
}

void engine_irq_disable(struct engine *e)
{
	if (e->cur)
		e->cur->hot.irqs_off = true;
	else
		e->hot.boot_irqs_off = true;
}

void engine_irq_enable(struct engine *e)
{
	struct cpu *c = e->cur;

	if (!c) {
		e->hot.boot_irqs_off = false;
		return;
	}
	c->hot.irqs_off = false;
	/* As local_irq_enable on real hardware: pending interrupts fire now. */
	if (c->ipis.n)
		deliver_ipis(e, c, false);
}

bool engine_irqs_disabled(const struct engine *e)
{
	return e->cur ? e->cur->hot.irqs_off : e->hot.boot_irqs_off;
}

bool engine_in_irq(const struct engine *e)
{
	return e->cur && e->cur->in_irq > 0;
}

/* ------------------------------------------------------------------ */
/* IPIs                                                                 */
/* ------------------------------------------------------------------ */

/*
 * The caller sends every IPI at its clock; each arrives costs.ipi later
 * and the caller pays costs.ipi per target. It runs fn itself with irqs
 * off meanwhile, then spins (in virtual time) until the last target is
 * done. Outside operations there is nobody to wait: fn runs for each
 * online CPU in turn, engine_cpu() naming it, at no cost.
 */
void engine_on_each_cpu(struct engine *e, engine_fn fn, void *arg)
{
	struct cpu *c = e->cur;
	struct ipi_call call = { .arg = arg };
	vtime_t arrive;
	bool was_off;

	if (!c) {
		int saved = e->hot.cpu;

		for (int i = 0; i < e->nr_cpus; i++) {
			if (!e->cpus[i].online)
				continue;
			e->hot.cpu = i;
			fn(arg);
		}
		e->hot.cpu = saved;
		return;
	}
	cpu_sync(e, c);
	call.caller = c->id;
	call.w.cpu = c->id;
	call.w.since = c->hot.clock;
	arrive = c->hot.clock + e->costs.ipi;
	for (int i = 0; i < e->nr_cpus; i++) {
		struct cpu *t = &e->cpus[i];
		struct qent ent = {
			.t = arrive, .seq = e->seq++, .fn = fn, .arg = &call,
		};

		if (t == c || !t->online)
			continue;
		if (!qheap_push(&t->ipis, &ent))
			engine_bug(e, "out of memory for IPIs");
		call.pending++;
		cpu_update(e, t);
	}
	c->hot.clock += e->costs.ipi * (vtime_t)call.pending;
	was_off = c->hot.irqs_off;
	c->hot.irqs_off = true;
	c->in_irq++;
	fn(arg);
	c->in_irq--;
	c->hot.irqs_off = was_off;
	if (call.pending == 0 && !call.w.done)
		return;
	call.w.what = "IPIs to finish";
	cpu_wait(e, c, &call.w, BLOCK_SPIN);
}

/* ------------------------------------------------------------------ */
/* Locks                                                                */
/* ------------------------------------------------------------------ */

/*
 * A contended lock passes straight from the releasing CPU to its first
 * waiter (arrival order), which resumes at the release time plus the
 * hand-off cost. Stats follow lockdep's lock_stat: every acquisition
 * counts, a contention also counts when the CPU had to wait, and a
 * bounce is an acquisition or contention on a lock last acquired by
 * another CPU.
 */

static struct lock *lock_get(struct engine *e, uint32_t id)
{
	if (id == 0 || id > e->nr_locks)
		engine_bug(e, "no lock %u", id);
	return &e->locks[id - 1];
}

/* Index of class name, creating it; returns -1 when memory runs out. */
static long class_find(struct engine *e, const char *name)
{
	char *dup;

	for (size_t i = 0; i < e->nr_cls; i++)
		if (strcmp(e->cls[i].name, name) == 0)
			return (long)i;
	if (e->nr_cls == e->cap_cls) {
		size_t cap = e->cap_cls ? e->cap_cls * 2 : 16;
		struct lock_class_stat *v = realloc(e->cls, cap * sizeof(*v));
		struct lclass *p;

		if (!v)
			return -1;
		e->cls = v;
		p = realloc(e->cls_priv, cap * sizeof(*p));
		if (!p)
			return -1;
		e->cls_priv = p;
		e->cap_cls = cap;
	}
	dup = strdup(name);
	if (!dup)
		return -1;
	memset(&e->cls[e->nr_cls], 0, sizeof(e->cls[0]));
	memset(&e->cls_priv[e->nr_cls], 0, sizeof(e->cls_priv[0]));
	e->cls[e->nr_cls].name = dup;
	return (long)e->nr_cls++;
}

uint32_t engine_lock_new(struct engine *e, enum lock_kind kind,
			 const char *class_name, uint64_t addr)
{
	long cls = class_find(e, class_name ? class_name : "(unnamed)");
	struct lock *l;

	if (cls < 0)
		engine_bug(e, "out of memory for lock classes");
	if (e->nr_locks == e->cap_locks) {
		uint32_t cap = e->cap_locks ? e->cap_locks * 2 : 64;
		struct lock *v = realloc(e->locks, cap * sizeof(*v));

		if (!v)
			engine_bug(e, "out of memory for locks");
		e->locks = v;
		e->cap_locks = cap;
	}
	l = &e->locks[e->nr_locks++];
	memset(l, 0, sizeof(*l));
	l->kind = kind;
	l->cls = (uint32_t)cls;
	l->addr = addr;
	l->holder = -1;
	/* lockdep starts a lock on the CPU that initialised it. */
	l->last_cpu = e->hot.cpu;
	return e->nr_locks;
}

/* Account an acquisition by c, which holds l from now on. */
static inline void lock_acquired(struct engine *e, struct cpu *c, struct lock *l)
{
	struct lock_class_stat *st = &e->cls[l->cls];

	st->acquisitions++;
	l->acquisitions++;
	if (l->last_cpu >= 0 && l->last_cpu != c->id)
		st->acq_bounces++;
	l->last_cpu = c->id;
	l->held = true;
	l->holder = c->id;
	l->acquired = c->hot.clock;
	c->locks_held++;
	if (l->kind == LOCK_SPIN)
		c->spin_held++;
}

static void lock_take_free(struct engine *e, struct cpu *c, struct lock *l,
			   const char *ip)
{
	c->hot.clock += e->costs.lock;
	lock_acquired(e, c, l);
	l->acq_ip = ip;
}

/* lockdep's lock_point: count ip at its slot, taking a free one if any. */
static void lock_point_count(struct lock_point *pts, const char *ip)
{
	if (!ip)
		return;
	for (int i = 0; i < LOCKSTAT_POINTS; i++) {
		if (!pts[i].ip)
			pts[i].ip = ip;
		if (pts[i].ip == ip || strcmp(pts[i].ip, ip) == 0) {
			pts[i].count++;
			return;
		}
	}
}

/*
 * Boot code and globals cannot wait, and need not: no CPU moves while
 * they run. A free lock is taken (no stats, no time); a lock a suspended
 * CPU holds is passed through, so a snapshot reads under it as a
 * debugger would, and the matching unlock just undoes the pass.
 */
static void lock_outside(struct engine *e, struct lock *l, uint32_t id)
{
	if (l->held && l->outside)
		engine_bug(e, "recursive locking of lock %u (%s) outside operations",
			   id, e->cls[l->cls].name);
	if (l->held) {
		l->peeks++;
		return;
	}
	l->held = true;
	l->outside = true;
	l->holder = e->hot.cpu;
}

/* Undo lock_outside; a real release hands the lock to its first waiter. */
static void unlock_outside(struct engine *e, struct lock *l, uint32_t id)
{
	struct waiter *w = l->waiters;

	if (l->peeks) {
		l->peeks--;
		return;
	}
	if (!l->held || !l->outside)
		engine_bug(e, "unlock of lock %u (%s) not held here", id,
			   e->cls[l->cls].name);
	l->outside = false;
	if (w) {
		/* Only if a global forgot a lock and a later one released it. */
		l->waiters = w->next;
		l->holder = w->cpu;
		wake(e, &e->cpus[w->cpu], w, e->hot.gnow, e->costs.handoff);
		return;
	}
	l->held = false;
	l->holder = -1;
}

/*
 * c, at a sync point already, finds l held: wait in arrival order until
 * the holder hands it over, then account the wait. Out of line: most
 * takes find the lock free, and this keeps their path short.
 */
static __attribute__((noinline)) void lock_contended(struct engine *e,
						     struct cpu *c,
						     struct lock *l,
						     uint32_t id,
						     const char *ip)
{
	struct lock_class_stat *st;
	struct waiter w = { 0 }, **pp;
	vtime_t wait;

	if (!l->outside && l->holder == c->id)
		engine_bug(e, "recursive locking of lock %u (%s)", id,
			   e->cls[l->cls].name);
	st = &e->cls[l->cls];
	st->contentions++;
	l->contentions++;
	if (l->last_cpu >= 0 && l->last_cpu != c->id)
		st->con_bounces++;
	/* a holder outside operations (boot, a global) has no site */
	lock_point_count(st->contention_point, ip);
	if (!l->outside)
		lock_point_count(st->contending_point, l->acq_ip);
	w.cpu = c->id;
	w.since = c->hot.clock;
	/* Arrival order: by time, then CPU number. */
	for (pp = &l->waiters; *pp; pp = &(*pp)->next)
		if ((*pp)->since > w.since ||
		    ((*pp)->since == w.since && (*pp)->cpu > w.cpu))
			break;
	w.next = *pp;
	*pp = &w;
	w.lock = id;
	cpu_wait(e, c, &w, l->kind == LOCK_MUTEX ? BLOCK_SLEEP : BLOCK_SPIN);
	l = lock_get(e, id);
	st = &e->cls[l->cls];
	wait = c->hot.clock - w.since;
	if (wait) {
		if (!st->wait_min || wait < st->wait_min)
			st->wait_min = wait;
		if (wait > st->wait_max)
			st->wait_max = wait;
		st->wait_total += wait;
		l->wait_total += wait;
	}
	lock_acquired(e, c, l);
	l->acq_ip = ip;
}

void engine_lock(struct engine *e, uint32_t id)
{
	engine_lock_ip(e, id, NULL);
}

bool engine_trylock(struct engine *e, uint32_t id)
{
	return engine_trylock_ip(e, id, NULL);
}

void engine_lock_ip(struct engine *e, uint32_t id, const char *ip)
{
	struct lock *l = lock_get(e, id);
	struct cpu *c = e->cur;

	if (!c) {
		lock_outside(e, l, id);
		return;
	}
	cpu_sync(e, c);
	/* Other CPUs ran: they may have grown (moved) the lock table. */
	l = lock_get(e, id);
	if (l->held)
		lock_contended(e, c, l, id, ip);
	else
		lock_take_free(e, c, l, ip);
}

bool engine_trylock_ip(struct engine *e, uint32_t id, const char *ip)
{
	struct lock *l = lock_get(e, id);
	struct cpu *c = e->cur;

	if (!c) {
		if (l->held && l->outside)
			return false;
		lock_outside(e, l, id);
		return true;
	}
	cpu_sync(e, c);
	l = lock_get(e, id);
	if (l->held) {
		c->hot.clock += e->costs.lock;	/* the failed attempt still costs */
		return false;
	}
	lock_take_free(e, c, l, ip);
	return true;
}

void engine_unlock(struct engine *e, uint32_t id)
{
	struct lock *l = lock_get(e, id);
	struct cpu *c = e->cur;
	struct lock_class_stat *st;
	struct lclass *priv;
	vtime_t hold;

	if (!c) {
		unlock_outside(e, l, id);
		return;
	}
	cpu_sync(e, c);
	l = lock_get(e, id);
	if (!l->held || l->outside || l->holder != c->id)
		engine_bug(e, "unlock of lock %u (%s) held by cpu %d", id,
			   e->cls[l->cls].name, l->held ? l->holder : -1);
	st = &e->cls[l->cls];
	priv = &e->cls_priv[l->cls];
	hold = c->hot.clock - l->acquired;
	if (!priv->holds++ || hold < st->hold_min)
		st->hold_min = hold;
	if (hold > st->hold_max)
		st->hold_max = hold;
	st->hold_total += hold;
	c->locks_held--;
	if (l->kind == LOCK_SPIN)
		c->spin_held--;
	if (l->waiters) {
		struct waiter *w = l->waiters;

		l->waiters = w->next;
		l->holder = w->cpu;
		wake(e, &e->cpus[w->cpu], w, c->hot.clock, e->costs.handoff);
	} else {
		l->held = false;
		l->holder = -1;
	}
	c->hot.clock += e->costs.lock;
	if (c->ipis.n && c->spin_held == 0)
		deliver_ipis(e, c, false);
}

int engine_lock_holder(const struct engine *e, uint32_t id)
{
	if (id == 0 || id > e->nr_locks || !e->locks[id - 1].held)
		return -1;
	return e->locks[id - 1].holder;
}

bool engine_lock_held(const struct engine *e, uint32_t id)
{
	return id != 0 && id <= e->nr_locks && e->locks[id - 1].held;
}

uint32_t engine_nr_locks(const struct engine *e)
{
	return e->nr_locks;
}

bool engine_lock_stat(const struct engine *e, uint32_t id,
		      struct lock_instance_stat *out)
{
	const struct lock *l;

	if (id == 0 || id > e->nr_locks)
		return false;
	l = &e->locks[id - 1];
	out->cls = l->cls;
	out->contentions = l->contentions;
	out->acquisitions = l->acquisitions;
	out->wait_total = l->wait_total;
	return true;
}

size_t engine_lock_classes(const struct engine *e,
			   const struct lock_class_stat **out)
{
	*out = e->cls;
	return e->nr_cls;
}

/* ------------------------------------------------------------------ */
/* RCU                                                                  */
/* ------------------------------------------------------------------ */

/*
 * Classic RCU in batches: callbacks queued while a grace period runs
 * wait for the next one. A grace period needs every online CPU that was
 * inside an operation when it began to finish that operation or go to
 * sleep; idle CPUs are quiescent already. It completes at the latest
 * clock among those reports, which is when its callbacks run.
 */

static bool rcu_push(struct rcu_batch *b, const struct rcu_cb *cb)
{
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 16;
		struct rcu_cb *v = realloc(b->v, cap * sizeof(*v));

		if (!v)
			return false;
		b->v = v;
		b->cap = cap;
	}
	b->v[b->n++] = *cb;
	return true;
}

static void rcu_start(struct engine *e, vtime_t t);

/*
 * Where a CPU-bound callback runs: its own CPU, or, if that went
 * offline, the first online one (Linux hands a dead CPU's callbacks to
 * a survivor).
 */

static void rcu_complete(struct engine *e)
{
	struct rcu_batch done = e->rcu.cur;
	vtime_t t = e->rcu.latest;

	e->rcu.cur = (struct rcu_batch){ 0 };
	e->rcu.active = false;
	for (size_t i = 0; i < done.n; i++) {
		struct rcu_cb *cb = &done.v[i];

		if (cb->w)
			wake(e, &e->cpus[cb->cpu], cb->w, t, 0);
		else if (cb->on_cpu)
			engine_post(e, t, engine_online_or_first(e, cb->cpu), cb->fn,
				    cb->arg);
		else
			engine_post_global(e, t, cb->fn, cb->arg);
	}
	/* Keep the array for a later batch rather than reallocating. */
	done.n = 0;
	e->rcu.cur = done;
	if (e->rcu.next.n)
		rcu_start(e, t);
}

static void rcu_start(struct engine *e, vtime_t t)
{
	struct rcu_batch tmp = e->rcu.cur;

	e->rcu.cur = e->rcu.next;
	e->rcu.next = tmp;
	e->rcu.active = true;
	e->rcu.latest = t;
	e->rcu.need = 0;
	for (int i = 0; i < e->nr_cpus; i++) {
		struct cpu *c = &e->cpus[i];

		c->rcu_need = c->online && c->work == WORK_OP &&
			      !(c->state == CPU_BLOCKED && c->block == BLOCK_SLEEP);
		e->rcu.need += c->rcu_need;
	}
	if (e->rcu.need == 0)
		rcu_complete(e);
}

/* c passed a quiescent point at its current clock. */
static void rcu_quiescent(struct engine *e, struct cpu *c)
{
	if (!e->rcu.active || !c->rcu_need)
		return;
	c->rcu_need = false;
	e->rcu.latest = vmax(e->rcu.latest, c->hot.clock);
	if (--e->rcu.need == 0)
		rcu_complete(e);
}

void engine_call_rcu(struct engine *e, engine_fn fn, void *arg)
{
	struct rcu_cb cb = { .fn = fn, .arg = arg, .cpu = -1 };

	if (!rcu_push(&e->rcu.next, &cb))
		engine_bug(e, "out of memory for RCU callbacks");
	if (!e->rcu.active)
		rcu_start(e, now_of(e));
}

void engine_call_rcu_local(struct engine *e, engine_fn fn, void *arg)
{
	struct rcu_cb cb = { .fn = fn, .arg = arg, .cpu = e->hot.cpu };

	if (e->cur) {
		cb.on_cpu = true;
		cb.cpu = e->cur->id;
	}
	if (!rcu_push(&e->rcu.next, &cb))
		engine_bug(e, "out of memory for RCU callbacks");
	if (!e->rcu.active)
		rcu_start(e, now_of(e));
}

void engine_synchronize_rcu(struct engine *e)
{
	struct cpu *c = e->cur;
	struct waiter w = { 0 };
	struct rcu_cb cb = { .w = &w };

	if (!c)
		return;		/* boot code and globals: nothing to wait for */
	cpu_sync(e, c);
	cb.cpu = c->id;
	w.cpu = c->id;
	w.since = c->hot.clock;
	if (!rcu_push(&e->rcu.next, &cb))
		engine_bug(e, "out of memory for RCU callbacks");
	if (!e->rcu.active)
		rcu_start(e, c->hot.clock);
	w.what = "an RCU grace period";
	cpu_wait(e, c, &w, BLOCK_SLEEP);
}

/* ------------------------------------------------------------------ */
/* Counters                                                             */
/* ------------------------------------------------------------------ */

void engine_get_stats(const struct engine *e, struct engine_stats *out)
{
	*out = e->stats;
}
