// SPDX-License-Identifier: GPL-2.0
/*
 * The fake kernel environment for unit tests of alloc/.
 *
 * Everything is single threaded and explicit: the test says which CPU is
 * running, advances jiffies, fires timers and RCU grace periods. The fake
 * records what the core did so that tests can assert on it, and it is
 * strict where the real kernel would be (recursive locking, unlocking a
 * lock one does not hold, freeing a page still marked PG_slab all BUG).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "alloc/env.h"
#include "alloc/slab.h"
#include "tests/fake_env.h"

const struct arch_profile fake_arch_x86_64 = {
	.name = "x86_64", .bytes_per_word = 8, .cache_line = 64,
	.sizeof_slab = 48, .sizeof_bufctl = 4, .sizeof_spinlock = 4,
	.max_gfp_order = 5, .page_offset = 0xffff810000000000UL,
};

const struct arch_profile fake_arch_i386 = {
	.name = "i386", .bytes_per_word = 4, .cache_line = 64,
	.sizeof_slab = 28, .sizeof_bufctl = 4, .sizeof_spinlock = 4,
	.max_gfp_order = 5, .page_offset = 0xc0000000UL,
};

const struct arch_profile *env_arch = &fake_arch_x86_64;
unsigned char *env_mem_base;

#define BOOTMEM_PAGES	32

/* ------------------------------------------------------------------ */
/* Machine state                                                        */
/* ------------------------------------------------------------------ */

static struct {
	int cpus, nodes;
	int cur;
	struct env_cpu_fast *running;	/* &cpu[cur]: the view's cur */
	struct env_cpu_fast cpu[NR_CPUS];	/* irq state (no clock here) */
	int cpu_node[NR_CPUS];
	bool online[NR_CPUS];
	struct task_struct tasks[NR_CPUS];
	unsigned int hz;
	unsigned long jiffies_now;
	bool keventd;

	/* memory */
	size_t npages;
	struct page *mem_map;
	signed char *head_order;	/* order of an allocated block, or -1 */
	bool *used;
	size_t boot_next;		/* bytes used in the bootmem area */
	unsigned long pages_in_use, page_allocs, page_frees, fail_at;
	long nr_slab;

	/* locks and mutexes share one handle space */
	struct fake_lock {
		const char *cls;
		int holder;
		unsigned long count;
	} *locks;
	size_t nlocks, locks_cap;

	/* delayed work */
	struct fake_timer {
		struct work_struct *work;
		unsigned long expires;
		unsigned long seq;
	} *timers;
	size_t ntimers, timers_cap;
	unsigned long timer_seq;

	/* rcu */
	struct fake_rcu {
		struct rcu_head *head;
		void (*func)(struct rcu_head *head);
	} *rcu;
	size_t nrcu, rcu_cap;

	/* log */
	char *log;
	size_t log_len, log_cap;
	unsigned long warns, touches;
	bool no_colouring;	/* slab_colouring() answers false */
} F;

jmp_buf *fake_bug_jmp;
char fake_bug_what[256];
static int mempolicy_node = -1;

/*
 * The view alloc/env.h's inline functions read. Every touch goes to
 * mem_touch_model() below, which checks and counts it.
 */
struct env_fast env_fast = {
	.cur = &F.running,
	.cpu = &F.cur,
	.cpu_node = F.cpu_node,
	.tasks = F.tasks,
	.touch_model = true,
};

static void set_cur(int cpu)
{
	F.cur = cpu;
	F.running = &F.cpu[cpu];
}

static void *grow(void *p, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return p;
	*cap = need * 2 + 16;
	p = realloc(p, *cap * elem);
	if (!p)
		abort();
	return p;
}

void fake_machine(const struct fake_config *cfg)
{
	size_t bytes;
	int i;

	fake_teardown();
	memset(&F, 0, sizeof(F));
	env_arch = cfg->arch ? cfg->arch : &fake_arch_x86_64;
	F.cpus = cfg->cpus ? cfg->cpus : 1;
	F.nodes = cfg->nodes ? cfg->nodes : 1;
	F.hz = cfg->hz ? cfg->hz : 250;
	bytes = (size_t)(cfg->mem_mb ? cfg->mem_mb : 64) << 20;
	F.npages = bytes / PAGE_SIZE;
	env_mem_base = calloc(1, bytes);
	F.mem_map = calloc(F.npages, sizeof(struct page));
	F.head_order = malloc(F.npages);
	F.used = calloc(F.npages, sizeof(bool));
	if (!env_mem_base || !F.mem_map || !F.head_order || !F.used)
		abort();
	memset(F.head_order, -1, F.npages);
	/* pfn 0 is never handed out, then the bootmem area */
	for (i = 0; i < 1 + BOOTMEM_PAGES; i++)
		F.used[i] = true;
	env_fast.mem_map = F.mem_map;
	env_fast.nr_pages = F.npages;
	env_fast.nr_cpus = F.cpus;
	env_fast.smp = F.cpus > 1;
	/* CPUs are numbered node by node, the rest on the last node. */
	for (i = 0; i < NR_CPUS; i++) {
		int per = F.cpus / F.nodes;

		if (per < 1)
			per = 1;
		F.cpu_node[i] = min(i / per, F.nodes - 1);
	}
	set_cur(0);
	F.online[0] = true;
	F.jiffies_now = 0;
}

void fake_boot(const struct fake_config *cfg)
{
	int cpu;

	fake_machine(cfg);
	slab_set_debug(cfg->debug);
	kmem_cache_init();
	for (cpu = 1; cpu < F.cpus; cpu++) {
		if (cpuup_callback(CPU_UP_PREPARE, cpu) != NOTIFY_OK)
			fail_msg("CPU_UP_PREPARE failed for cpu %d", cpu);
		F.online[cpu] = true;
		cpuup_callback(CPU_ONLINE, cpu);
	}
	F.keventd = true;
	cpucache_init();
}

void fake_teardown(void)
{
	free(env_mem_base);
	free(F.mem_map);
	free(F.head_order);
	free(F.used);
	free(F.locks);
	free(F.timers);
	free(F.rcu);
	free(F.log);
	memset(&F, 0, sizeof(F));
	env_mem_base = NULL;
	mempolicy_node = -1;
}

/* ------------------------------------------------------------------ */
/* Bugs, warnings, log                                                  */
/* ------------------------------------------------------------------ */

static void log_add(const char *s)
{
	size_t n = strlen(s);

	F.log = grow(F.log, &F.log_cap, F.log_len + n + 1, 1);
	memcpy(F.log + F.log_len, s, n + 1);
	F.log_len += n;
}

static void reset_cpu_state(void)
{
	size_t i;
	int cpu;

	for (i = 0; i < F.nlocks; i++)
		F.locks[i].holder = -1;
	for (cpu = 0; cpu < NR_CPUS; cpu++)
		F.cpu[cpu].irqs_off = false;
}

static __attribute__((noreturn)) void stop(const char *prefix,
					  const char *what)
{
	snprintf(fake_bug_what, sizeof(fake_bug_what), "%s", what);
	log_add(prefix);
	log_add(what);
	log_add("\n");
	if (fake_bug_jmp) {
		reset_cpu_state();
		longjmp(*fake_bug_jmp, 1);
	}
	fprintf(stderr, "unexpected BUG: %s\n--- kernel log ---\n%s\n", what,
		F.log ? F.log : "");
	fail_msg("unexpected BUG: %s", what);
	abort();
}

static __attribute__((noreturn)) void bug_out(const char *what)
{
	stop("BUG: ", what);
}

void env_bug(const char *file, int line, const char *cond)
{
	char buf[256];

	snprintf(buf, sizeof(buf), "%s:%d: %s", file, line, cond);
	bug_out(buf);
}

/*
 * The soft lockup watchdog: the budget is far beyond any unit test's list
 * walks, so a test that trips it has made the core loop for ever.
 */
unsigned long env_lockup_budget = 1UL << 40;

void env_soft_lockup(void)
{
	bug_out("soft lockup");
}

void env_list_corruption(const void *entry)
{
	(void)entry;
	bug_out("list corruption");
}

void panic(const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	stop("Kernel panic - not syncing: ", buf);
}

bool env_warn(const char *file, int line, const char *cond)
{
	char buf[256];

	F.warns++;
	snprintf(buf, sizeof(buf), "WARNING at %s:%d: %s\n", file, line, cond);
	log_add(buf);
	return true;
}

void fake_recover_after_bug(void)
{
	reset_cpu_state();
}

int printk(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int n;

	if (strstr(fmt, "%p"))
		bug_out("printk: %p refused");
	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	log_add(buf);
	return n;
}

void dump_stack(void)
{
	log_add("Call Trace: (fake)\n");
}

void env_set_context(const char *cache_name)
{
	(void)cache_name;
}

bool fake_log_contains(const char *needle)
{
	return F.log && strstr(F.log, needle) != NULL;
}

const char *fake_log(void)
{
	return F.log ? F.log : "";
}

void fake_log_clear(void)
{
	F.log_len = 0;
	if (F.log)
		F.log[0] = '\0';
}

unsigned long fake_warn_count(void)
{
	return F.warns;
}

/* ------------------------------------------------------------------ */
/* Pages                                                                */
/* ------------------------------------------------------------------ */

static size_t node_first_pfn(int node)
{
	return (F.npages / F.nodes) * node;
}

static size_t node_end_pfn(int node)
{
	return node == F.nodes - 1 ? F.npages :
		(F.npages / F.nodes) * (node + 1);
}

/* First fit, naturally aligned, inside one node. */
static struct page *alloc_on_node(int node, unsigned int order)
{
	size_t n = (size_t)1 << order;
	size_t pfn, i;

	for (pfn = ALIGN(node_first_pfn(node), n);
	     pfn + n <= node_end_pfn(node); pfn += n) {
		for (i = 0; i < n; i++)
			if (F.used[pfn + i])
				break;
		if (i < n)
			continue;
		for (i = 0; i < n; i++) {
			F.used[pfn + i] = true;
			F.mem_map[pfn + i].flags = 0;
			F.mem_map[pfn + i].lru.next = NULL;
			F.mem_map[pfn + i].lru.prev = NULL;
		}
		F.head_order[pfn] = (signed char)order;
		F.pages_in_use += n;
		F.page_allocs++;
		return &F.mem_map[pfn];
	}
	return NULL;
}

struct page *alloc_pages_node(int nid, gfp_t gfp, unsigned int order)
{
	struct page *page;
	int i;

	if (nid < 0)
		nid = numa_node_id();
	if (F.fail_at && --F.fail_at == 0)
		goto fail;
	page = alloc_on_node(nid, order);
	for (i = 0; !page && !(gfp & __GFP_THISNODE) && i < F.nodes; i++)
		if (i != nid)
			page = alloc_on_node(i, order);
	if (page)
		return page;
fail:
	printk(KERN_WARNING "page allocation failure. order:%u, mode:0x%x\n",
	       order, gfp);
	return NULL;
}

void free_pages(void *addr, unsigned int order)
{
	size_t pfn = ((unsigned char *)addr - env_mem_base) / PAGE_SIZE;
	size_t i, n = (size_t)1 << order;

	BUG_ON(((unsigned char *)addr - env_mem_base) % PAGE_SIZE);
	BUG_ON(pfn >= F.npages || F.head_order[pfn] != (signed char)order);
	for (i = 0; i < n; i++) {
		BUG_ON(F.mem_map[pfn + i].flags & (1UL << PG_slab));
		F.used[pfn + i] = false;
	}
	/* Poison the freed memory, so stale use shows. */
	memset(addr, 0x6c, n * PAGE_SIZE);
	F.head_order[pfn] = -1;
	F.pages_in_use -= n;
	F.page_frees++;
}

void *page_address(const struct page *page)
{
	return env_mem_base + (size_t)(page - F.mem_map) * PAGE_SIZE;
}

int page_to_nid(const struct page *page)
{
	size_t pfn = (size_t)(page - F.mem_map);
	int node;

	for (node = 0; node < F.nodes - 1; node++)
		if (pfn < node_end_pfn(node))
			return node;
	return F.nodes - 1;
}

unsigned long env_num_physpages(void)
{
	return F.npages;
}

void *alloc_bootmem(size_t size)
{
	void *p;

	F.boot_next = ALIGN(F.boot_next, (size_t)16);
	if (F.boot_next + size > BOOTMEM_PAGES * PAGE_SIZE)
		bug_out("alloc_bootmem: out of boot memory");
	p = env_mem_base + PAGE_SIZE + F.boot_next;
	F.boot_next += size;
	return p;
}

void env_mod_page_state(enum page_state_item item, long delta)
{
	(void)item;
	F.nr_slab += delta;
}

void drain_node_pages(int node)
{
	(void)node;
}

unsigned long fake_pages_in_use(void)
{
	return F.pages_in_use;
}

unsigned long fake_pages_in_use_node(int node)
{
	size_t pfn;
	unsigned long n = 0;

	for (pfn = node_first_pfn(node); pfn < node_end_pfn(node); pfn++)
		if (F.used[pfn] && pfn > BOOTMEM_PAGES)
			n++;
	return n;
}

unsigned long fake_page_allocs(void)
{
	return F.page_allocs;
}

unsigned long fake_page_frees(void)
{
	return F.page_frees;
}

long fake_nr_slab(void)
{
	return F.nr_slab;
}

void fake_fail_page_alloc(unsigned long nth)
{
	F.fail_at = nth;
}

/* ------------------------------------------------------------------ */
/* CPUs and nodes                                                       */
/* ------------------------------------------------------------------ */

void fake_set_cpu(int cpu)
{
	set_cur(cpu);
}

int fake_cpu(void)
{
	return F.cur;
}

void fake_set_cpu_online(int cpu, bool online)
{
	F.online[cpu] = online;
}

/*
 * As x86_64's node_to_cpumask: the node's CPUs from the boot topology,
 * online or not (so free_limit counts a CPU before it comes up).
 */
int nr_cpus_node(int node)
{
	int cpu, n = 0;

	for (cpu = 0; cpu < F.cpus; cpu++)
		if (cpu_to_node(cpu) == node)
			n++;
	return n;
}

bool cpu_online(int cpu)
{
	return cpu >= 0 && cpu < F.cpus && F.online[cpu];
}

bool node_online(int node)
{
	return node >= 0 && node < F.nodes;
}

int num_online_cpus(void)
{
	int cpu, n = 0;

	for (cpu = 0; cpu < F.cpus; cpu++)
		n += F.online[cpu];
	return n;
}

int env_nr_node_ids(void)
{
	return F.nodes;
}

int next_node(int node)
{
	return node + 1 < F.nodes ? node + 1 : MAX_NUMNODES;
}

int first_node(void)
{
	return 0;
}

void on_each_cpu(void (*func)(void *info), void *info, int retry, int wait)
{
	int saved = F.cur, cpu;

	(void)retry;
	(void)wait;
	for (cpu = 0; cpu < F.cpus; cpu++) {
		bool irq;

		if (!F.online[cpu])
			continue;
		set_cur(cpu);
		irq = F.cpu[cpu].irqs_off;
		F.cpu[cpu].irqs_off = true;
		func(info);
		F.cpu[cpu].irqs_off = irq;
	}
	set_cur(saved);
}

bool in_interrupt(void)
{
	return false;
}

void fake_set_mempolicy_node(int node)
{
	mempolicy_node = node;
}

/* The node the task's (opaque) policy picks: set by the test. */
int slab_node(struct mempolicy *policy)
{
	(void)policy;
	return mempolicy_node >= 0 ? mempolicy_node : numa_node_id();
}

bool cpuset_do_slab_mem_spread(void)
{
	return false;
}

int cpuset_mem_spread_node(void)
{
	return numa_node_id();
}

void lock_cpu_hotplug(void)
{
}

void unlock_cpu_hotplug(void)
{
}

/* ------------------------------------------------------------------ */
/* Locks and irqs                                                       */
/* ------------------------------------------------------------------ */

static uint32_t new_lock(const char *cls)
{
	F.locks = grow(F.locks, &F.locks_cap, F.nlocks + 1,
		       sizeof(*F.locks));
	F.locks[F.nlocks].cls = cls;
	F.locks[F.nlocks].holder = -1;
	F.locks[F.nlocks].count = 0;
	return (uint32_t)++F.nlocks;
}

static struct fake_lock *lock_of(uint32_t handle)
{
	if (handle == 0 || handle > F.nlocks)
		bug_out("lock used before init");
	return &F.locks[handle - 1];
}

static void take(uint32_t handle)
{
	struct fake_lock *l = lock_of(handle);

	if (l->holder == F.cur)
		bug_out("recursive locking");
	if (l->holder != -1)
		bug_out("lock held by another cpu (deadlock in the fake)");
	l->holder = F.cur;
	l->count++;
}

static void release(uint32_t handle)
{
	struct fake_lock *l = lock_of(handle);

	if (l->holder != F.cur)
		bug_out("unlock by non-holder");
	l->holder = -1;
}

void __spin_lock_init(spinlock_t *lock, const char *class_name)
{
	lock->handle = new_lock(class_name);
}

void _spin_lock(spinlock_t *lock, const char *ip)
{
	take(lock->handle);
}

void spin_unlock(spinlock_t *lock)
{
	release(lock->handle);
}

int _spin_trylock(spinlock_t *lock, const char *ip)
{
	if (lock_of(lock->handle)->holder != -1)
		return 0;
	take(lock->handle);
	return 1;
}

int _spin_trylock_irq(spinlock_t *lock, const char *ip)
{
	local_irq_disable();
	if (_spin_trylock(lock, ip))
		return 1;
	local_irq_enable();
	return 0;
}

bool spin_is_locked(spinlock_t *lock)
{
	return lock_of(lock->handle)->holder != -1;
}

void assert_spin_locked(spinlock_t *lock)
{
	if (lock_of(lock->handle)->holder != F.cur)
		bug_out("assert_spin_locked: not held");
}

void __mutex_init(struct mutex *lock, const char *class_name)
{
	lock->handle = new_lock(lock->name ? lock->name : class_name);
}

void _mutex_lock(struct mutex *lock, const char *ip)
{
	take(lock->handle);
}

void mutex_unlock(struct mutex *lock)
{
	release(lock->handle);
}

int _mutex_trylock(struct mutex *lock, const char *ip)
{
	if (lock_of(lock->handle)->holder != -1)
		return 0;
	take(lock->handle);
	return 1;
}

unsigned long fake_lock_count(const char *class_name)
{
	unsigned long n = 0;
	size_t i;

	for (i = 0; i < F.nlocks; i++)
		if (!strcmp(F.locks[i].cls, class_name))
			n += F.locks[i].count;
	return n;
}

int fake_locks_held(void)
{
	int n = 0;
	size_t i;

	for (i = 0; i < F.nlocks; i++)
		n += F.locks[i].holder != -1;
	return n;
}

void local_irq_enable(void)
{
	F.running->irqs_off = false;
}

void local_irq_restore(unsigned long flags)
{
	F.running->irqs_off = flags != 0;
}

/* ------------------------------------------------------------------ */
/* Time, work, RCU                                                      */
/* ------------------------------------------------------------------ */

unsigned long env_jiffies(void)
{
	return F.jiffies_now;
}

unsigned int env_hz(void)
{
	return F.hz;
}

void fake_set_jiffies(unsigned long j)
{
	F.jiffies_now = j;
}

bool keventd_up(void)
{
	return F.keventd;
}

int schedule_delayed_work_on(int cpu, struct work_struct *work,
			     unsigned long delay)
{
	if (work->pending)
		return 0;
	work->pending = true;
	work->cpu = cpu;
	F.timers = grow(F.timers, &F.timers_cap, F.ntimers + 1,
			sizeof(*F.timers));
	F.timers[F.ntimers].work = work;
	F.timers[F.ntimers].expires = F.jiffies_now + delay;
	F.timers[F.ntimers].seq = F.timer_seq++;
	F.ntimers++;
	return 1;
}

int schedule_delayed_work(struct work_struct *work, unsigned long delay)
{
	return schedule_delayed_work_on(F.cur, work, delay);
}

void fake_run_timers_until(unsigned long j)
{
	for (;;) {
		size_t i, best = SIZE_MAX;
		struct work_struct *w;
		int saved;

		for (i = 0; i < F.ntimers; i++) {
			struct fake_timer *t = &F.timers[i], *b;

			if (t->expires > j)
				continue;
			if (best == SIZE_MAX) {
				best = i;
				continue;
			}
			b = &F.timers[best];
			if (t->expires < b->expires ||
			    (t->expires == b->expires &&
			     (t->work->cpu < b->work->cpu ||
			      (t->work->cpu == b->work->cpu &&
			       t->seq < b->seq))))
				best = i;
		}
		if (best == SIZE_MAX)
			break;
		w = F.timers[best].work;
		if (F.timers[best].expires > F.jiffies_now)
			F.jiffies_now = F.timers[best].expires;
		F.timers[best] = F.timers[--F.ntimers];
		w->pending = false;
		saved = F.cur;
		set_cur(w->cpu);
		w->func(w->data);
		set_cur(saved);
	}
	if (j > F.jiffies_now)
		F.jiffies_now = j;
}

int fake_pending_work(void)
{
	return (int)F.ntimers;
}

void call_rcu(struct rcu_head *head, void (*func)(struct rcu_head *head))
{
	F.rcu = grow(F.rcu, &F.rcu_cap, F.nrcu + 1, sizeof(*F.rcu));
	F.rcu[F.nrcu].head = head;
	F.rcu[F.nrcu].func = func;
	F.nrcu++;
}

void fake_rcu_grace_period(void)
{
	size_t n = F.nrcu, i;
	struct fake_rcu *batch;

	if (!n)
		return;
	batch = malloc(n * sizeof(*batch));
	if (!batch)
		abort();
	memcpy(batch, F.rcu, n * sizeof(*batch));
	F.nrcu = 0;
	for (i = 0; i < n; i++)
		batch[i].func(batch[i].head);
	free(batch);
}

void synchronize_rcu(void)
{
	fake_rcu_grace_period();
}

int fake_rcu_pending(void)
{
	return (int)F.nrcu;
}

/* ------------------------------------------------------------------ */
/* Memory traffic                                                       */
/* ------------------------------------------------------------------ */

void mem_touch_model(const void *addr, size_t len, bool write)
{
	(void)write;
	if (!virt_addr_valid(addr) ||
	    !virt_addr_valid((const char *)addr + len - 1))
		bug_out("mem_touch outside simulated memory");
	F.touches++;
}

void cpu_work(enum env_work kind, unsigned long n)
{
	(void)kind;
	(void)n;
}

/* Colouring is on unless a test switched it off (fake_set_colouring). */
bool slab_colouring(const struct kmem_cache *cachep)
{
	(void)cachep;
	return !F.no_colouring;
}

void fake_set_colouring(bool on)
{
	F.no_colouring = !on;
}

unsigned long env_call_site(void)
{
	return 0xffffffff8012abcdUL;
}

unsigned long fake_touch_count(void)
{
	return F.touches;
}

/* ------------------------------------------------------------------ */
/* seq_file                                                             */
/* ------------------------------------------------------------------ */

struct seq_file {
	char *buf;
	size_t len, cap;
};

struct seq_file *fake_seq_new(void)
{
	struct seq_file *m = calloc(1, sizeof(*m));

	if (!m)
		abort();
	return m;
}

int seq_printf(struct seq_file *m, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	m->buf = grow(m->buf, &m->cap, m->len + (size_t)n + 1, 1);
	va_start(ap, fmt);
	vsnprintf(m->buf + m->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	m->len += (size_t)n;
	return 0;
}

int seq_puts(struct seq_file *m, const char *s)
{
	return seq_printf(m, "%s", s);
}

const char *fake_seq_text(struct seq_file *m)
{
	return m->buf ? m->buf : "";
}

void fake_seq_free(struct seq_file *m)
{
	free(m->buf);
	free(m);
}
