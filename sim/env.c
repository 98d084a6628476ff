/*
 * The kernel environment of alloc/env.h, implemented on the simulated
 * machine: pages come from the buddy model, CPUs and time from the engine,
 * memory traffic goes through the cache-line model, printk into the run's
 * kernel log. The functions take no context argument, as in the kernel;
 * they act on the active machine (machine_current()).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/engine_inline.h"
#include "sim/report/frag.h"
#include "sim/machine.h"

unsigned char *env_mem_base;
const struct arch_profile *env_arch;
unsigned long env_lockup_budget = LOCKUP_STEPS;
struct env_fast env_fast;

/* Set by machine.c when a machine becomes active. */
struct machine *env_machine;

static inline struct machine *M(void)
{
	return env_machine;
}

static inline bool on_cpu(void)
{
	return *env_fast.cur != NULL;
}

/* ------------------------------------------------------------------ */
/* Pages                                                                */
/* ------------------------------------------------------------------ */

static unsigned int gfp_to_pa(gfp_t gfp)
{
	unsigned int f = 0;

	if (gfp & __GFP_DMA)
		f |= PA_DMA;
	if (gfp & __GFP_WAIT)
		f |= PA_WAIT;
	if (gfp & __GFP_HIGH)
		f |= PA_HIGH;
	if (gfp & __GFP_THISNODE)
		f |= PA_THISNODE;
	if (gfp & __GFP_NORETRY)
		f |= PA_NORETRY;
	if (gfp & __GFP_NOFAIL)
		f |= PA_NOFAIL;
	return f;
}

/*
 * A failure the workload's faults: rule injected: logged like Linux's
 * fault-inject (the first FAULT_PRINT_MAX, then only counted), without
 * the "page allocation failure" report a real shortage gets.
 */
static void fault_page_injected(struct machine *m, int nid, gfp_t gfp,
				unsigned int order)
{
	struct fault_state *fs = &m->fault_page;

	if (fs->printed >= FAULT_PRINT_MAX)
		return;
	fs->printed++;
	printk(KERN_WARNING "FAULT_INJECTION: forcing a failure: fail_page_alloc order:%u, mode:0x%x, node:%d\n",
	       order, gfp, nid);
	dump_stack();
	if (fs->printed == FAULT_PRINT_MAX)
		printk(KERN_WARNING "FAULT_INJECTION: later failures are counted, not printed\n");
}

struct page *alloc_pages_node(int nid, gfp_t gfp, unsigned int order)
{
	struct machine *m = M();
	struct pa_failure why;

	if (nid < 0)
		nid = numa_node_id();
	engine_charge(m->eng, m->wl->machine.cost_page);
	if (unlikely(m->fault_page.rule) &&
	    fault_should_fail(&m->fault_page, engine_now_fast(m->eng), gfp)) {
		fault_page_injected(m, nid, gfp, order);
		return NULL;
	}
	uint64_t pfn = pa_alloc(m->pa, nid, order, gfp_to_pa(gfp), &why);
	if (pfn == PFN_NONE) {
		m->page_alloc_failures++;
		/* The report (unless __GFP_NOWARN) and the counts per order:
		 * sim/report/frag.c, which knows the free areas. */
		frag_page_alloc_failed(m, nid, gfp, order, why.reclaimed);
		return NULL;
	}
	return &m->mem_map[pfn];
}

void free_pages(void *addr, unsigned int order)
{
	struct machine *m = M();
	uint64_t pfn = __pa(addr) >> PAGE_SHIFT;

	BUG_ON(pfn >= m->nr_pages);
	engine_charge(m->eng, m->wl->machine.cost_page);
	if (m->cm_pages) {	/* the frames' attribution no longer holds */
		uint64_t n = 1ULL << order;

		if (n > m->nr_pages - pfn)
			n = m->nr_pages - pfn;
		memset(&m->cm_pages[pfn], 0, n * sizeof(*m->cm_pages));
	}
	pa_free(m->pa, pfn, order);
}

void *page_address(const struct page *page)
{
	return env_mem_base + ((uint64_t)(page - M()->mem_map) << PAGE_SHIFT);
}

int page_to_nid(const struct page *page)
{
	return pa_pfn_to_nid(M()->pa, (uint64_t)(page - M()->mem_map));
}

unsigned long env_num_physpages(void)
{
	return (unsigned long)M()->nr_pages;
}

void *alloc_bootmem(size_t size)
{
	struct machine *m = M();
	uint64_t at = ALIGN(m->bootmem_next, (uint64_t)64);

	BUG_ON(at + size > m->bootmem_end);
	m->bootmem_next = at + size;
	memset(env_mem_base + at, 0, size);
	return env_mem_base + at;
}

void env_mod_page_state(enum page_state_item item, long delta)
{
	if (item == PS_nr_slab)
		M()->nr_slab += delta;
}

void drain_node_pages(int node)
{
	/* The buddy model has no per-cpu page lists: nothing to drain. */
	(void)node;
}

/* ------------------------------------------------------------------ */
/* CPUs, nodes, tasks                                                   */
/* ------------------------------------------------------------------ */

/*
 * x86_64 2.6.17 counts node_to_cpumask(node), set up at boot from every
 * CPU of the node, online or not: free_limit does not move with hotplug.
 */
int nr_cpus_node(int node)
{
	struct machine *m = M();
	int n = 0;

	for (int cpu = 0; cpu < m->nr_cpus; cpu++)
		n += m->cpu_node[cpu] == node;
	return n;
}

bool cpu_online(int cpu)
{
	return cpu >= 0 && cpu < M()->nr_cpus && engine_online(M()->eng, cpu);
}

bool node_online(int node)
{
	return node >= 0 && node < M()->nr_nodes;
}

int num_online_cpus(void)
{
	int n = 0;

	for (int cpu = 0; cpu < M()->nr_cpus; cpu++)
		n += engine_online(M()->eng, cpu);
	return n;
}

int env_nr_node_ids(void)
{
	return M()->nr_nodes;
}

int next_node(int node)
{
	node++;
	return node < M()->nr_nodes ? node : MAX_NUMNODES;
}

int first_node(void)
{
	return 0;
}

void on_each_cpu(void (*func)(void *info), void *info, int retry, int wait)
{
	(void)retry;
	(void)wait;
	if (!on_cpu()) {
		/* From a quiescent observer: run it for each CPU in turn. */
		func(info);
		return;
	}
	engine_on_each_cpu(M()->eng, func, info);
}

bool in_interrupt(void)
{
	return on_cpu() && engine_in_irq(M()->eng);
}

int slab_node(struct mempolicy *policy)
{
	struct machine *m = M();
	int node;

	switch (policy->mode) {
	case WL_POLICY_INTERLEAVE:
		/* interleave_nodes(): the task's rotor over the mask */
		node = policy->il_next;
		for (int i = 0; i < m->nr_nodes; i++) {
			int next = (node + 1 + i) % m->nr_nodes;
			if (policy->nodes & (1ULL << next)) {
				policy->il_next = next;
				break;
			}
		}
		return node;
	case WL_POLICY_BIND:
		/* the first zone of the bind zonelist: lowest node in mask */
		for (node = 0; node < m->nr_nodes; node++)
			if (policy->nodes & (1ULL << node))
				return node;
		return numa_node_id();
	case WL_POLICY_PREFERRED:
		for (node = 0; node < m->nr_nodes; node++)
			if (policy->nodes & (1ULL << node))
				return node;
		return numa_node_id();
	default:
		return numa_node_id();
	}
}

bool cpuset_do_slab_mem_spread(void)
{
	return current->flags & PF_SPREAD_SLAB;
}

int cpuset_mem_spread_node(void)
{
	struct machine *m = M();
	int *rotor = &m->spread_rotor[smp_processor_id()];

	*rotor = (*rotor + 1) % m->nr_nodes;
	return *rotor;
}

void lock_cpu_hotplug(void)
{
	mutex_lock(&M()->hotplug_lock);
}

void unlock_cpu_hotplug(void)
{
	mutex_unlock(&M()->hotplug_lock);
}

/* ------------------------------------------------------------------ */
/* Locks and interrupts                                                 */
/* ------------------------------------------------------------------ */

static uint64_t lock_addr(const void *lock)
{
	const unsigned char *p = lock;

	if (p >= env_mem_base && p < env_mem_base + ARENA_RESERVE)
		return (uint64_t)(p - env_mem_base);
	return 0;
}

void __spin_lock_init(spinlock_t *lock, const char *class_name)
{
	lock->handle = engine_lock_new(M()->eng, LOCK_SPIN, class_name,
				       lock_addr(lock));
}

/*
 * Outside operations (a snapshot in a quiescent state) no lock can be
 * held, so lock operations there are free and unrecorded.
 */
void _spin_lock(spinlock_t *lock, const char *ip)
{
	struct machine *m = M();
	const struct env_cpu_fast *c = *env_fast.cur;

	BUG_ON(lock->handle == 0);
	if (!c)
		return;
	/* a CPU that has been in one operation for 10 s is stuck */
	if (unlikely(c->clock - m->op_start[*env_fast.cpu] > m->lockup_ns))
		env_soft_lockup();
	mem_touch(lock, sizeof(*lock), true);
	engine_lock_ip(m->eng, lock->handle, ip);
}

void spin_unlock(spinlock_t *lock)
{
	if (!on_cpu())
		return;
	engine_unlock(M()->eng, lock->handle);
}

int _spin_trylock(spinlock_t *lock, const char *ip)
{
	BUG_ON(lock->handle == 0);
	if (!on_cpu())
		return 1;
	mem_touch(lock, sizeof(*lock), true);
	return engine_trylock_ip(M()->eng, lock->handle, ip);
}

bool spin_is_locked(spinlock_t *lock)
{
	return engine_lock_held(M()->eng, lock->handle);
}

void assert_spin_locked(spinlock_t *lock)
{
	if (!on_cpu())
		return;
	BUG_ON(engine_lock_holder(M()->eng, lock->handle) !=
	       engine_cpu(M()->eng));
}

int _spin_trylock_irq(spinlock_t *lock, const char *ip)
{
	local_irq_disable();
	if (_spin_trylock(lock, ip))
		return 1;
	local_irq_enable();
	return 0;
}

void local_irq_enable(void)
{
	if (on_cpu())
		engine_irq_enable(M()->eng);
}

void local_irq_restore(unsigned long flags)
{
	if (!flags)
		local_irq_enable();
}

void __mutex_init(struct mutex *lock, const char *class_name)
{
	lock->handle = engine_lock_new(M()->eng, LOCK_MUTEX,
				       lock->name ? lock->name : class_name,
				       lock_addr(lock));
}

void _mutex_lock(struct mutex *lock, const char *ip)
{
	BUG_ON(lock->handle == 0);
	if (on_cpu())
		engine_lock_ip(M()->eng, lock->handle, ip);
}

void mutex_unlock(struct mutex *lock)
{
	if (on_cpu())
		engine_unlock(M()->eng, lock->handle);
}

int _mutex_trylock(struct mutex *lock, const char *ip)
{
	BUG_ON(lock->handle == 0);
	if (!on_cpu())
		return 1;
	return engine_trylock_ip(M()->eng, lock->handle, ip);
}

/* ------------------------------------------------------------------ */
/* Time and deferred work                                               */
/* ------------------------------------------------------------------ */

unsigned long env_jiffies(void)
{
	struct machine *m = M();

	return (unsigned long)(engine_now_fast(m->eng) / m->ns_per_tick);
}

unsigned int env_hz(void)
{
	return M()->wl->machine.hz;
}

bool keventd_up(void)
{
	return true;
}

static void run_work(void *arg)
{
	struct work_struct *work = arg;

	machine_op_begin(M());
	work->pending = false;
	work->func(work->data);
	machine_op_end(M());
}

int schedule_delayed_work_on(int cpu, struct work_struct *work,
			     unsigned long delay)
{
	struct machine *m = M();

	if (work->pending)
		return 0;
	work->pending = true;
	work->cpu = cpu;
	/* Timers fire on jiffy ticks. */
	vtime_t t = (vtime_t)(env_jiffies() + (delay ? delay : 1)) *
		    m->ns_per_tick;
	engine_post(m->eng, t, cpu, run_work, work);
	return 1;
}

int schedule_delayed_work(struct work_struct *work, unsigned long delay)
{
	return schedule_delayed_work_on(smp_processor_id(), work, delay);
}

/* One call_rcu in flight, on the machine's list until it has run. */
struct rcu_call {
	struct rcu_head *head;
	void (*func)(struct rcu_head *head);
	struct rcu_call *prev, *next;
};

static void run_rcu(void *arg)
{
	struct rcu_call *c = arg;
	struct machine *m = M();

	if (c->prev)
		c->prev->next = c->next;
	else
		m->rcu_calls = c->next;
	if (c->next)
		c->next->prev = c->prev;
	machine_op_begin(m);
	c->func(c->head);
	free(c);
	machine_op_end(m);
}

void call_rcu(struct rcu_head *head, void (*func)(struct rcu_head *head))
{
	struct machine *m = M();
	struct rcu_call *c = xcalloc(1, sizeof(*c));

	c->head = head;
	c->func = func;
	c->next = m->rcu_calls;
	if (c->next)
		c->next->prev = c;
	m->rcu_calls = c;
	/* The callback frees to the slab: it must run on the CPU's arrays. */
	engine_call_rcu_local(M()->eng, run_rcu, c);
}

void machine_free_rcu_calls(struct machine *m)
{
	while (m->rcu_calls) {
		struct rcu_call *c = m->rcu_calls;

		m->rcu_calls = c->next;
		free(c);
	}
}

void synchronize_rcu(void)
{
	if (on_cpu())
		engine_synchronize_rcu(M()->eng);
}

/* ------------------------------------------------------------------ */
/* Memory traffic and CPU work                                          */
/* ------------------------------------------------------------------ */

/*
 * The slot of (cache, colour) in the tag index: the key's product taken
 * from its high bits, so that the cache number reaches the slot (the low
 * bits of key * K depend only on the key's low bits, the colour).
 */
static inline size_t tag_slot(int cache, unsigned int colour,
			      size_t cap_log2)
{
	uint32_t key = ((uint32_t)(cache + 1) << 12) ^ colour;

	return (size_t)(((uint64_t)key * 0x9e3779b97f4a7c15ull) >>
			(64 - cap_log2));
}

static inline size_t log2_cap(size_t cap)
{
	return (size_t)__builtin_ctzll((unsigned long long)cap);
}

/* The tag of (cache, colour): dense, in first-touch order. */
static uint32_t cm_tag_of(struct machine *m, int cache, unsigned int colour)
{
	size_t mask = m->tag_index_cap - 1;
	size_t i = tag_slot(cache, colour, log2_cap(m->tag_index_cap));

	for (;;) {
		uint32_t v = m->tag_index[i];
		if (!v)
			break;
		struct cm_tag *t = &m->tags[v - 1];
		if (t->cache == cache && t->colour == colour)
			return v - 1;
		i = (i + 1) & mask;
	}
	if (m->nr_tags == m->tags_cap) {
		m->tags_cap = m->tags_cap ? 2 * m->tags_cap : 64;
		m->tags = xrealloc(m->tags, m->tags_cap * sizeof(*m->tags));
	}
	m->tags[m->nr_tags] = (struct cm_tag){ .cache = cache, .colour = colour };
	m->tag_index[i] = (uint32_t)++m->nr_tags;
	if (2 * m->nr_tags > m->tag_index_cap) {
		/* Grow and re-insert in tag order: deterministic. */
		free(m->tag_index);
		m->tag_index_cap *= 2;
		m->tag_index = xcalloc(m->tag_index_cap, sizeof(uint32_t));
		mask = m->tag_index_cap - 1;
		for (size_t t = 0; t < m->nr_tags; t++) {
			size_t j = tag_slot(m->tags[t].cache, m->tags[t].colour,
					    log2_cap(m->tag_index_cap));
			while (m->tag_index[j])
				j = (j + 1) & mask;
			m->tag_index[j] = (uint32_t)(t + 1);
		}
	}
	return (uint32_t)(m->nr_tags - 1);
}

/*
 * Works out the attribution of frame pfn (page pg) afresh and keeps it in
 * cp: the slab cache and colour its slab belongs to, or tag "(other)".
 */
static __attribute__((noinline)) void cm_page_fill(struct machine *m,
						   uint64_t pfn,
						   const struct page *pg,
						   struct cm_page *cp)
{
	const void *addr = env_mem_base + (pfn << PAGE_SHIFT);
	int cache = -1;
	unsigned int colour = 0;
	struct kmem_cache *cachep;

	if (PageSlab(pg) && kmem_addr_owner(addr, &cachep, &colour))
		cache = machine_find_cache(m, cachep);
	if (cache < 0)
		colour = 0;
	cp->tag = cm_tag_of(m, cache, colour);
	cp->gen = m->cm_gen;
	cp->home = pa_pfn_to_nid(m->pa, pfn);
	cp->flags = (uint32_t)pg->flags;
	cp->lru_next = pg->lru.next;
	cp->lru_prev = pg->lru.prev;
}

/* One line of --access-trace (format: README, "The access trace"). */
static __attribute__((noinline)) void trace_access(struct machine *m, int cpu,
						   uint64_t pa, size_t len,
						   bool write, int home,
						   uint32_t tag)
{
	fprintf(m->access_trace, "%d %d %llx %zu %c %d %u\n", cpu,
		m->cpu_node[cpu], (unsigned long long)pa, len,
		write ? 'W' : 'R', home, tag);
}

/*
 * mem_touch_model's work in full, for the touches its fast path leaves:
 * the tag comes from the frame's cached attribution (struct cm_page),
 * checked against the page's current state in three compares and worked
 * out again only when the page changed hands. Memory outside the arena's
 * frames counts as "(other)" on node 0.
 */
static __attribute__((noinline)) void mem_touch_slow(uint64_t pa, size_t len,
						     bool write)
{
	struct machine *m = M();
	struct env_cpu_fast *c = *env_fast.cur;
	int cpu = *env_fast.cpu;
	uint64_t pfn = pa >> PAGE_SHIFT;
	uint32_t tag;
	int home;

	if (__builtin_expect(pfn < m->nr_pages, 1)) {
		const struct page *pg = &m->mem_map[pfn];
		struct cm_page *cp = &m->cm_pages[pfn];

		if (__builtin_expect(cp->gen != m->cm_gen ||
				     cp->flags != (uint32_t)pg->flags ||
				     cp->lru_next != pg->lru.next ||
				     cp->lru_prev != pg->lru.prev, 0))
			cm_page_fill(m, pfn, pg, cp);
		tag = cp->tag;
		home = cp->home;
	} else {
		tag = cm_tag_of(m, -1, 0);
		home = 0;
	}
	len += len == 0;	/* a touch of nothing still reaches its line */
	if (__builtin_expect(m->access_trace != NULL, 0))
		trace_access(m, cpu, pa, len, write, home, tag);
	c->clock += cache_model_access(m->cm, cpu, m->cpu_node[cpu], pa, len,
				       write, home, tag);
}

/*
 * The touch mem_touch_model is settling, kept here rather than passed to
 * mem_touch_miss: as arguments of that tail call, the three would stay in
 * registers all through the fast path, which then has to save some of
 * the caller's. Written and read by one CPU's touch, with no switch to
 * another CPU in between.
 */
static struct {
	uint64_t pa;
	size_t len;
	bool write;
} touch_held;

/*
 * The touch held, which cache_model_hit declined (a miss, a touch across
 * lines or of nothing), in a page whose attribution mem_touch_model has
 * just found valid.
 */
static __attribute__((noinline)) void mem_touch_miss(void)
{
	uint64_t pa = touch_held.pa;
	size_t len = touch_held.len;
	bool write = touch_held.write;
	struct machine *m = M();
	const struct cm_page *cp = &m->cm_pages[pa >> PAGE_SHIFT];
	int cpu = *env_fast.cpu;

	len += len == 0;	/* a touch of nothing still reaches its line */
	(*env_fast.cur)->clock += cache_model_access(m->cm, cpu,
						     m->cpu_node[cpu], pa, len,
						     write, cp->home, cp->tag);
}

/*
 * mem_touch through the cache-line model, kept out of the fast path. As
 * with the model off, NULL and touches outside operations cost nothing.
 * Most touches are L1 hits in a page whose attribution still holds: they
 * are settled here, without a call. The others end in a tail call:
 * mem_touch_miss for the rest of a page already attributed, mem_touch_slow
 * (which starts over) for a page to attribute afresh, memory outside the
 * frames, or any touch while the trace is written (cm_fast_pages is 0).
 */
__attribute__((noinline)) void mem_touch_model(const void *addr, size_t len,
					       bool write)
{
	const struct machine *m = M();
	uint64_t pa, pfn, cost;

	if (!*env_fast.cur || !addr)
		return;
	pa = (uint64_t)((const unsigned char *)addr - env_mem_base);
	pfn = pa >> PAGE_SHIFT;
	if (__builtin_expect(pfn < m->cm_fast_pages, 1)) {
		const struct page *pg = &m->mem_map[pfn];
		const struct cm_page *cp = &m->cm_pages[pfn];

		if (__builtin_expect(cp->gen == m->cm_gen &&
				     cp->flags == (uint32_t)pg->flags &&
				     cp->lru_next == pg->lru.next &&
				     cp->lru_prev == pg->lru.prev, 1)) {
			/* a touch of nothing (declined here) still reaches its
			   line: mem_touch_miss */
			touch_held.pa = pa;
			touch_held.len = len;
			touch_held.write = write;
			if (cache_model_hit(m->cm, *env_fast.cpu, pa, len, write,
					    cp->tag, &cost)) {
				(*env_fast.cur)->clock += cost;
				return;
			}
			mem_touch_miss();
			return;
		}
	}
	mem_touch_slow(pa, len, write);
}

/*
 * The workload's colouring switch for cachep: its own caches[].colouring,
 * else slab.colouring (also for caches the simulator does not list, such
 * as cache_cache).
 */
bool slab_colouring(const struct kmem_cache *cachep)
{
	struct machine *m = M();
	int i = machine_find_cache(m, cachep);

	return i >= 0 ? m->caches[i]->colouring : m->wl->colouring;
}

void cpu_work(enum env_work kind, unsigned long n)
{
	/* ~16 bytes per ns for memset/memcpy, 8 for byte-wise checks. */
	unsigned long per_ns = kind == WORK_CHECK ? 8 : 16;

	engine_charge_fast(M()->eng, (n + per_ns - 1) / per_ns);
}

unsigned long env_call_site(void)
{
	return M()->call_site;
}

/* ------------------------------------------------------------------ */
/* Diagnostics                                                          */
/* ------------------------------------------------------------------ */

static void klog_append(struct machine *m, const char *text)
{
	for (const char *p = text; *p; p++) {
		if (m->klog_bol) {
			/* an observer after the run prints at the run's last time */
			vtime_t now = engine_now(m->eng);
			if (now < m->klog_last)
				now = m->klog_last;
			m->klog_last = now;
			sb_printf(&m->klog, "[%5llu.%06llu] ",
				  (unsigned long long)(now / 1000000000ULL),
				  (unsigned long long)(now % 1000000000ULL / 1000));
			m->klog_bol = false;
		}
		sb_putc(&m->klog, *p);
		if (*p == '\n')
			m->klog_bol = true;
	}
}

/* A format that would print a host address is a bug in the core. */
static bool format_has_pointer(const char *fmt)
{
	for (const char *p = fmt; (p = strchr(p, '%')); ) {
		p++;
		if (*p == '%') {
			p++;
			continue;
		}
		while (*p && strchr("-+ #0123456789.*hlLqjzt", *p))
			p++;
		if (*p == 'p')
			return true;
	}
	return false;
}

int printk(const char *fmt, ...)
{
	struct machine *m = M();
	char buf[1024];
	va_list ap;

	if (format_has_pointer(fmt))
		env_bug(__FILE__, __LINE__, "printk format prints a host pointer");
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	const char *text = buf;
	if (text[0] == '<' && text[1] >= '0' && text[1] <= '7' && text[2] == '>') {
		if (text[1] <= '3')
			m->errors_logged++;
		text += 3;
	}
	klog_append(m, text);
	return n;
}

void dump_stack(void)
{
	struct machine *m = M();

	printk("Call Trace: [<%0*lx>] (workload operation)\n",
	       (int)(2 * m->arch.bytes_per_word), m->call_site);
}

void env_set_context(const char *cache_name)
{
	M()->context_cache = cache_name;
}

/*
 * BUG: log the kernel's line and where the run was, then leave the
 * operation for good. engine_abort unwinds to engine_run; outside any
 * operation (which the runner never lets the core be) we exit.
 */
/*
 * After BUG or panic: an operation is abandoned for good (the engine
 * unwinds to engine_run); the observer (a snapshot, the final report) goes
 * back to the guard the runner set; with neither, the process ends.
 */
static __attribute__((noreturn)) void leave_after_bug(struct machine *m)
{
	if (engine_cpu(m->eng) >= 0)
		engine_abort(m->eng, RUN_KERNEL_BUG);
	if (m->guard)
		longjmp(*m->guard, 1);
	fprintf(stderr, "slabsim: %s\n", m->bug_report.buf);
	exit(RUN_KERNEL_BUG);
}

void env_bug(const char *file, int line, const char *cond)
{
	struct machine *m = M();
	const char *base = strrchr(file, '/');
	vtime_t now = engine_now(m->eng);

	base = base ? base + 1 : file;
	printk(KERN_EMERG "kernel BUG at %s:%d! (%s)\n", base, line, cond);
	m->bugged = true;
	sb_printf(&m->bug_report,
		  "kernel BUG at %s:%d: %s (cpu %d, t=%llu.%09llus, cache %s)",
		  base, line, cond, engine_cpu(m->eng),
		  (unsigned long long)(now / 1000000000ULL),
		  (unsigned long long)(now % 1000000000ULL),
		  m->context_cache ? m->context_cache : "-");
	leave_after_bug(m);
}

void env_soft_lockup(void)
{
	printk(KERN_EMERG "BUG: soft lockup detected on CPU#%d!\n",
	       smp_processor_id());
	dump_stack();
	env_bug(__FILE__, __LINE__,
		"soft lockup: the operation made no progress (corrupted slab lists?)");
}

void env_list_corruption(const void *entry)
{
	printk(KERN_ERR "list corruption: entry %lx has a cleared link "
	       "(deleted twice?)\n", kaddr(entry));
	env_bug(__FILE__, __LINE__, "list corruption");
}

bool env_warn(const char *file, int line, const char *cond)
{
	struct machine *m = M();
	const char *base = strrchr(file, '/');

	base = base ? base + 1 : file;
	m->warnings++;
	printk(KERN_WARNING "BUG: warning at %s:%d (%s)\n", base, line, cond);
	return true;
}

void panic(const char *fmt, ...)
{
	struct machine *m = M();
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printk(KERN_EMERG "Kernel panic - not syncing: %s\n", buf);
	m->bugged = true;
	sb_printf(&m->bug_report, "Kernel panic - not syncing: %s", buf);
	leave_after_bug(m);
}

/* ------------------------------------------------------------------ */
/* seq_file                                                             */
/* ------------------------------------------------------------------ */

int seq_printf(struct seq_file *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sb_vprintf(&s->sb, fmt, ap);
	va_end(ap);
	return 0;
}

int seq_puts(struct seq_file *s, const char *str)
{
	sb_puts(&s->sb, str);
	return 0;
}
