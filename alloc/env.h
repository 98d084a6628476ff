/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SLABSIM_ALLOC_ENV_H
#define SLABSIM_ALLOC_ENV_H
/*
 * The kernel environment the slab core is compiled against.
 *
 * alloc/ includes this header and its own headers, nothing else of the
 * project. Everything here is named as Linux 2.6.17 names it, so that
 * alloc/slab.c reads like mm/slab.c. sim/env.c implements it on the
 * simulated machine; tests/fake_env.c implements it for unit tests.
 *
 * Glossary (used the same way everywhere in the project):
 *   arena      the simulated physical memory of one run, one host mapping.
 *   pa_t       a simulated physical address: offset into the arena. 0 is
 *              never handed out (pfn 0 is reserved), so 0 means NULL.
 *   page       the mem_map entry of one simulated page frame (host memory).
 *   slab       one or more contiguous pages carved into objects, with its
 *              management (struct slab + bufctl array) on or off the slab.
 *   object     one buffer of a cache, buffer_size bytes, inside a slab.
 *   colour     the offset (a multiple of colour_off) at which a slab's
 *              first object starts, varied slab by slab.
 *   array cache  a per-CPU, shared (per node) or alien LIFO of objects.
 *   node list  struct kmem_list3: one node's full/partial/free slabs.
 *
 * Representation rule: every structure the core keeps in simulated memory
 * (struct slab, bufctls, array caches, kmem_list3, alien pointer arrays,
 * struct kmem_cache) stores links as pa_t, never as host pointers, so its
 * size can match the simulated architecture (28-byte struct slab on i386)
 * and nothing host-specific lands in simulated memory. Local variables are
 * ordinary host pointers obtained with __va(); __pa() converts back.
 *
 * Determinism rule: no host address may reach an output. printk() refuses
 * "%p"; print kaddr(ptr) with "%lx" instead (a simulated kernel virtual
 * address, PAGE_OFFSET + physical).
 */
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Compiler and integer helpers                                         */
/* ------------------------------------------------------------------ */

#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)
#ifndef __always_inline
#define __always_inline	inline __attribute__((always_inline))
#endif
#define ALIGN(x, a)	(((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define min(a, b)	((a) < (b) ? (a) : (b))
#define max(a, b)	((a) > (b) ? (a) : (b))
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

/* fls(): find last (most significant) set bit, 1-based; fls(0) == 0. */
static inline int fls(unsigned int x)
{
	return x ? 32 - __builtin_clz(x) : 0;
}

/* ------------------------------------------------------------------ */
/* Diagnostics                                                          */
/* ------------------------------------------------------------------ */

/* First, because the inline functions below stop the run with BUG_ON. */

#define KERN_EMERG	"<0>"
#define KERN_ALERT	"<1>"
#define KERN_CRIT	"<2>"
#define KERN_ERR	"<3>"
#define KERN_WARNING	"<4>"
#define KERN_NOTICE	"<5>"
#define KERN_INFO	"<6>"
#define KERN_DEBUG	"<7>"

/* Into the run's kernel log, stamped with virtual time. Refuses "%p". */
int printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void dump_stack(void);

/*
 * BUG stops the run: the environment reports file, line, the condition, the
 * simulated time and CPU and the cache being worked on, and never returns.
 */
__attribute__((noreturn)) void env_bug(const char *file, int line,
				       const char *cond);
#define BUG()		env_bug(__FILE__, __LINE__, "BUG()")
#define BUG_ON(c)	do { if (unlikely(c)) env_bug(__FILE__, __LINE__, #c); } while (0)
/* WARN_ON is counted and logged; it evaluates to its condition. */
bool env_warn(const char *file, int line, const char *cond);
#define WARN_ON(c)	((c) ? env_warn(__FILE__, __LINE__, #c) : false)
__attribute__((noreturn, format(printf, 1, 2))) void panic(const char *fmt, ...);

/* The cache the core is working on, for BUG reports (may be NULL). */
void env_set_context(const char *cache_name);

/*
 * Soft lockup watchdog (kernel/softlockup.c). Lists corrupted by a double
 * free can make the core loop for ever, as the kernel would; the core
 * ticks this on every list step, the environment re-arms the budget at
 * every operation, and an operation that spends it is stopped the way the
 * kernel's detector reports a stuck CPU. A link of 0 in a list in use
 * (an entry deleted twice) stops the run as list corruption.
 */
extern unsigned long env_lockup_budget;
__attribute__((noreturn)) void env_soft_lockup(void);
__attribute__((noreturn)) void env_list_corruption(const void *entry);

static inline void lockup_tick(void)
{
	if (unlikely(--env_lockup_budget == 0))
		env_soft_lockup();
}

/* ------------------------------------------------------------------ */
/* Simulated architecture                                               */
/* ------------------------------------------------------------------ */

/*
 * The geometry of the simulated machine, not of the host. Filled in by the
 * environment before kmem_cache_init() (sim/arch.c has the profiles).
 */
struct arch_profile {
	const char *name;		/* "x86_64" or "i386" */
	unsigned int bytes_per_word;	/* BYTES_PER_WORD: 8 or 4 */
	unsigned int cache_line;	/* cache_line_size(), L1_CACHE_BYTES */
	unsigned int sizeof_slab;	/* sizeof(struct slab): 48 or 28 */
	unsigned int sizeof_bufctl;	/* sizeof(kmem_bufctl_t): 4, 2 pre-2.6.14 */
	unsigned int sizeof_spinlock;	/* sizeof(spinlock_t), non-debug: 4 */
	unsigned int max_gfp_order;	/* MAX_GFP_ORDER == MAX_OBJ_ORDER: 5 */
	unsigned long page_offset;	/* PAGE_OFFSET, for printed addresses */
	unsigned long kernel_text;	/* where kernel text starts (call sites) */
};

extern const struct arch_profile *env_arch;

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define PAGE_MASK	(~(PAGE_SIZE - 1))
#define MAX_ORDER	11
#define BYTES_PER_WORD	((size_t)env_arch->bytes_per_word)
#define cache_line_size()	((size_t)env_arch->cache_line)
#define L1_CACHE_BYTES	cache_line_size()

/*
 * Compile-time bounds of the host representation. A workload may ask for
 * at most this many CPUs and nodes; the simulated NR_CPUS/MAX_NUMNODES (the
 * sizes the simulated kernel was "configured" with) are nr_cpu_ids and
 * nr_node_ids below.
 */
#define NR_CPUS		256
#define MAX_NUMNODES	64

/* ------------------------------------------------------------------ */
/* Simulated physical memory                                            */
/* ------------------------------------------------------------------ */

typedef uint32_t pa_t;

/* Host address of arena byte 0. Set by the environment, never printed. */
extern unsigned char *env_mem_base;

static inline void *__va(pa_t pa)
{
	return pa ? (void *)(env_mem_base + pa) : NULL;
}

static inline pa_t __pa(const void *p)
{
	return p ? (pa_t)((const unsigned char *)p - env_mem_base) : 0;
}

/* The simulated kernel virtual address of p, for printk. */
static inline unsigned long kaddr(const void *p)
{
	return p ? env_arch->page_offset + __pa(p) : 0;
}

/* ------------------------------------------------------------------ */
/* The environment's view, for the inline fast paths                    */
/* ------------------------------------------------------------------ */

/*
 * The core asks which CPU and node it runs on, touches memory, and turns
 * interrupts off several times per operation. Each answer is a load or
 * an addition; a call into the environment for it cost more than the
 * work. So the environment exports this view and the hottest functions
 * (smp_processor_id, numa_node_id, current, virt_to_page, mem_touch,
 * local_irq_disable, ...) are inline reads of it. The environment fills
 * it in when a machine is set up; cur and cpu point at where it keeps the
 * running context current. The core writes nothing here but the running
 * CPU's clock and irq state, through cur, as the environment would.
 * Anything with more to do (enabling interrupts delivers pending IPIs,
 * the cache-line model) stays a call.
 */
struct env_cpu_fast {
	uint64_t clock;		/* the CPU's virtual time, ns */
	bool irqs_off;
};

struct task_struct;

struct env_fast {
	struct env_cpu_fast *const *cur; /* the running CPU; NULL outside operations */
	const int *cpu;		/* the running CPU's number, -1 outside operations */
	const int *cpu_node;	/* cpu_to_node() of every CPU */
	struct task_struct *tasks;	/* current of every CPU */
	struct page *mem_map;
	uint64_t nr_pages;	/* of simulated memory: mem_map's length */
	uint64_t touch_cost;	/* ns a touch costs when touch_model is off */
	bool touch_model;	/* every touch goes to mem_touch_model() */
	int nr_cpus;		/* nr_cpu_ids */
	bool smp;		/* CONFIG_SMP: more than one CPU, or asked for */
};

extern struct env_fast env_fast;

/* ------------------------------------------------------------------ */
/* Pages                                                                */
/* ------------------------------------------------------------------ */

/*
 * mem_map entry: host memory, one per simulated page frame. The slab core
 * uses flags (PG_slab) and lru as the kernel does: lru.next = cache,
 * lru.prev = slab of the object on this page (page_set_cache/page_set_slab).
 */
struct page {
	unsigned long flags;
	struct {
		void *next;
		void *prev;
	} lru;
};

enum pageflags {
	PG_locked = 0,
	PG_reserved = 11,
	PG_slab = 7,
	PG_compound = 14,
};

static inline bool PageSlab(const struct page *page)
{
	return page->flags & (1UL << PG_slab);
}
static inline void __SetPageSlab(struct page *page)
{
	page->flags |= 1UL << PG_slab;
}
static inline void __ClearPageSlab(struct page *page)
{
	page->flags &= ~(1UL << PG_slab);
}
#define SetPageSlab(p)		__SetPageSlab(p)
#define ClearPageSlab(p)	__ClearPageSlab(p)
/* The slab never asks for compound pages (__GFP_COMP is nommu only). */
#define PageCompound(p)		((p)->flags & (1UL << PG_compound))

typedef unsigned int gfp_t;

/* include/linux/gfp.h, 2.6.17 */
#define __GFP_DMA	0x01u
#define __GFP_HIGHMEM	0x02u
#define __GFP_WAIT	0x10u	/* Can wait and reschedule? */
#define __GFP_HIGH	0x20u	/* Should access emergency pools? */
#define __GFP_IO	0x40u
#define __GFP_FS	0x80u
#define __GFP_COLD	0x100u
#define __GFP_NOWARN	0x200u
#define __GFP_REPEAT	0x400u
#define __GFP_NOFAIL	0x800u
#define __GFP_NORETRY	0x1000u
#define __GFP_NO_GROW	0x2000u	/* Slab internal usage */
#define __GFP_COMP	0x4000u
#define __GFP_ZERO	0x8000u
#define __GFP_NOMEMALLOC 0x10000u
#define __GFP_HARDWALL	0x20000u
#define __GFP_THISNODE	0x40000u
#define __GFP_BITS_MASK	0x7ffffu

#define GFP_LEVEL_MASK	(__GFP_WAIT | __GFP_HIGH | __GFP_IO | __GFP_FS | \
			 __GFP_COLD | __GFP_NOWARN | __GFP_REPEAT | \
			 __GFP_NOFAIL | __GFP_NORETRY | __GFP_NO_GROW | \
			 __GFP_COMP | __GFP_NOMEMALLOC | __GFP_HARDWALL | \
			 __GFP_THISNODE)

#define GFP_NOWAIT	(GFP_ATOMIC & ~__GFP_HIGH)
#define GFP_ATOMIC	(__GFP_HIGH)
#define GFP_NOIO	(__GFP_WAIT)
#define GFP_NOFS	(__GFP_WAIT | __GFP_IO)
#define GFP_KERNEL	(__GFP_WAIT | __GFP_IO | __GFP_FS)
#define GFP_USER	(__GFP_WAIT | __GFP_IO | __GFP_FS | __GFP_HARDWALL)
#define GFP_DMA		__GFP_DMA

/*
 * The page allocator. alloc_pages_node() returns the first page of 2^order
 * contiguous frames on (or, without __GFP_THISNODE, near) node nid, or NULL
 * after writing the kernel's allocation failure message; it may reclaim
 * (call back into the slab shrinkers) when gfp allows waiting.
 */
struct page *alloc_pages_node(int nid, gfp_t gfp, unsigned int order);
void free_pages(void *addr, unsigned int order);
void *page_address(const struct page *page);
int page_to_nid(const struct page *page);

static inline struct page *virt_to_page(const void *addr)
{
	uint64_t pfn = (uint64_t)((const unsigned char *)addr - env_mem_base) >>
		       PAGE_SHIFT;

	/* A bogus pointer would index past mem_map: stop the run instead. */
	BUG_ON(pfn >= env_fast.nr_pages);
	return &env_fast.mem_map[pfn];
}

/* True when addr lies inside simulated memory (kfree_debugcheck). */
static inline bool virt_addr_valid(const void *addr)
{
	const unsigned char *p = addr;

	return p >= env_mem_base + PAGE_SIZE &&
	       p < env_mem_base + (env_fast.nr_pages << PAGE_SHIFT);
}
/* Pages of simulated memory in all (num_physpages). */
unsigned long env_num_physpages(void);
#define num_physpages	env_num_physpages()

/* Early "static" kernel data placed in simulated memory, zeroed. */
void *alloc_bootmem(size_t size);

/* Page state accounting: nr_slab pages; reclaimed-slab feedback. */
enum page_state_item { PS_nr_slab };
void env_mod_page_state(enum page_state_item item, long delta);
#define add_page_state(member, delta)	env_mod_page_state(PS_##member, (delta))
#define sub_page_state(member, delta)	env_mod_page_state(PS_##member, -(long)(delta))

/* Per-cpu pages of a remote node (next_reap_node); no pcp lists here. */
void drain_node_pages(int node);

/* ------------------------------------------------------------------ */
/* CPUs, nodes and the current task                                     */
/* ------------------------------------------------------------------ */

static inline int smp_processor_id(void)
{
	int cpu = *env_fast.cpu;

	/* Outside operations (snapshots) the observer reads as CPU 0. */
	return cpu < 0 ? 0 : cpu;
}

static inline int cpu_to_node(int cpu)
{
	return env_fast.cpu_node[cpu];
}

static inline int numa_node_id(void)
{
	return cpu_to_node(smp_processor_id());
}

int nr_cpus_node(int node);
bool cpu_online(int cpu);
bool node_online(int node);
int num_online_cpus(void);
/* Simulated NR_CPUS and MAX_NUMNODES: the machine's CPUs and nodes. */
static inline int env_nr_cpu_ids(void)
{
	return env_fast.nr_cpus;
}
int env_nr_node_ids(void);
#define nr_cpu_ids	env_nr_cpu_ids()
/*
 * Whether the simulated kernel was built with CONFIG_SMP. A machine of
 * one CPU is by default a uniprocessor build; machine.smp makes it the
 * SMP (e.g. NUMA) build it would also be on real hardware.
 */
#define CONFIG_SMP_BUILD	(env_fast.smp)
#define nr_node_ids	env_nr_node_ids()

#define for_each_possible_cpu(cpu) \
	for ((cpu) = 0; (cpu) < nr_cpu_ids; (cpu)++)
#define for_each_online_cpu(cpu) \
	for ((cpu) = 0; (cpu) < nr_cpu_ids; (cpu)++) if (!cpu_online(cpu)) {} else
#define for_each_online_node(node) \
	for ((node) = 0; (node) < nr_node_ids; (node)++) if (!node_online(node)) {} else
/* next_node(): the next online node after n, or MAX_NUMNODES. */
int next_node(int node);
int first_node(void);

/* Runs func(info) on every online CPU (the caller's too) and waits. */
void on_each_cpu(void (*func)(void *info), void *info, int retry, int wait);
bool in_interrupt(void);

/* Memory policy and cpuset spreading of the task running on this CPU. */
struct mempolicy;
#define PF_SPREAD_SLAB	0x02000000u
#define PF_MEMPOLICY	0x10000000u
struct reclaim_state {
	unsigned long reclaimed_slab;
};
struct task_struct {
	unsigned int flags;
	struct mempolicy *mempolicy;
	struct reclaim_state *reclaim_state;
};
static inline struct task_struct *env_current(void)
{
	return &env_fast.tasks[smp_processor_id()];
}
#define current		env_current()
int slab_node(struct mempolicy *policy);
bool cpuset_do_slab_mem_spread(void);
int cpuset_mem_spread_node(void);

/* CPU hotplug serialisation (kmem_cache_create/destroy). */
void lock_cpu_hotplug(void);
void unlock_cpu_hotplug(void);

/* ------------------------------------------------------------------ */
/* Locking and interrupts                                               */
/* ------------------------------------------------------------------ */

/*
 * A spinlock is a 4-byte word that may live in simulated memory; its value
 * is the environment's handle for it (0 until spin_lock_init). The lock
 * class for lock_stat is the stringified init expression, as lockdep names
 * classes: spin_lock_init(&parent->list_lock) -> "&parent->list_lock".
 * Every lock operation is a synchronisation point: another simulated CPU
 * whose clock is behind may run first.
 */
typedef struct {
	uint32_t handle;
} spinlock_t;

/*
 * _THIS_IP_ of a lock taker, for lock_stat's contention points: lockdep
 * records the caller of spin_lock (_RET_IP_ inside it); the simulated
 * kernel has no text to point into, so the call site is the name of the
 * function that takes the lock, which is what lock_stat's %pS prints.
 * The lock calls are macros so that __func__ is the caller's.
 */
#define _THIS_IP_	__func__

void __spin_lock_init(spinlock_t *lock, const char *class_name);
#define spin_lock_init(lock)	__spin_lock_init((lock), #lock)
void _spin_lock(spinlock_t *lock, const char *ip);
#define spin_lock(lock)		_spin_lock((lock), _THIS_IP_)
void spin_unlock(spinlock_t *lock);
int _spin_trylock(spinlock_t *lock, const char *ip);
#define spin_trylock(lock)	_spin_trylock((lock), _THIS_IP_)
bool spin_is_locked(spinlock_t *lock);
/* BUG unless the lock is held by the current CPU. */
void assert_spin_locked(spinlock_t *lock);

/*
 * Outside operations there is no CPU to turn interrupts off on: these do
 * nothing there. Enabling them is a call: it delivers the IPIs that
 * waited.
 */
static inline void local_irq_disable(void)
{
	struct env_cpu_fast *c = *env_fast.cur;

	if (c)
		c->irqs_off = true;
}

void local_irq_enable(void);

static inline bool irqs_disabled(void)
{
	const struct env_cpu_fast *c = *env_fast.cur;

	return c && c->irqs_off;
}

static inline unsigned long __local_irq_save(void)
{
	struct env_cpu_fast *c = *env_fast.cur;
	unsigned long flags;

	if (!c)
		return 0;
	flags = c->irqs_off;
	c->irqs_off = true;
	return flags;
}

void local_irq_restore(unsigned long flags);
#define local_irq_save(flags)	((flags) = __local_irq_save())

#define spin_lock_irq(l)	do { local_irq_disable(); spin_lock(l); } while (0)
#define spin_unlock_irq(l)	do { spin_unlock(l); local_irq_enable(); } while (0)
#define spin_lock_irqsave(l, flags) \
	do { local_irq_save(flags); spin_lock(l); } while (0)
#define spin_unlock_irqrestore(l, flags) \
	do { spin_unlock(l); local_irq_restore(flags); } while (0)
int _spin_trylock_irq(spinlock_t *lock, const char *ip);
#define spin_trylock_irq(lock)	_spin_trylock_irq((lock), _THIS_IP_)

/*
 * A sleeping lock (the cache chain mutex). Host memory is fine. A mutex
 * made by DEFINE_MUTEX keeps that name as its lock class, as lockdep
 * names it ("cache_chain_mutex", no "&"), also when mutex_init gives a
 * new machine a fresh lock.
 */
struct mutex {
	uint32_t handle;
	const char *name;	/* DEFINE_MUTEX's, or NULL */
};
#define DEFINE_MUTEX(mutexname) \
	struct mutex mutexname = { .handle = 0, .name = #mutexname }
void __mutex_init(struct mutex *lock, const char *class_name);
#define mutex_init(lock)	__mutex_init((lock), #lock)
void _mutex_lock(struct mutex *lock, const char *ip);
#define mutex_lock(lock)	_mutex_lock((lock), _THIS_IP_)
void mutex_unlock(struct mutex *lock);
int _mutex_trylock(struct mutex *lock, const char *ip);
#define mutex_trylock(lock)	_mutex_trylock((lock), _THIS_IP_)

/* ------------------------------------------------------------------ */
/* Time and deferred work                                               */
/* ------------------------------------------------------------------ */

unsigned long env_jiffies(void);
unsigned int env_hz(void);
#define jiffies		env_jiffies()
#define HZ		env_hz()
#define time_after(a, b)	((long)((b) - (a)) < 0)
#define time_before(a, b)	time_after(b, a)

struct work_struct {
	void (*func)(void *data);
	void *data;
	int cpu;		/* set by schedule_delayed_work_on */
	bool pending;
};
#define INIT_WORK(w, f, d) \
	do { (w)->func = (f); (w)->data = (d); (w)->pending = false; } while (0)
bool keventd_up(void);
/* Runs work->func(work->data) on cpu after delay jiffies. */
int schedule_delayed_work_on(int cpu, struct work_struct *work,
			     unsigned long delay);
/* The same on the CPU that calls it. */
int schedule_delayed_work(struct work_struct *work, unsigned long delay);

/*
 * RCU: func(head) runs after a grace period, i.e. once every online CPU has
 * passed a quiescent point (finished the operation it was in). The head is
 * 8 bytes in simulated memory; the environment keeps its own queue.
 */
struct rcu_head {
	uint32_t next;
	uint32_t func;
};
void call_rcu(struct rcu_head *head, void (*func)(struct rcu_head *head));
void synchronize_rcu(void);

/* ------------------------------------------------------------------ */
/* Memory traffic and CPU work                                          */
/* ------------------------------------------------------------------ */

/*
 * The core calls these where the real allocator touches memory or does
 * work, so the cache-line and cost models see what the kernel would do.
 * They never change simulated memory.
 *
 * mem_touch runs for nearly every word the core touches. With the model
 * off a touch costs the running CPU a fixed time, inline; a NULL address
 * and a touch outside operations cost nothing. With it on, every touch
 * goes to mem_touch_model(), which decides all of that itself.
 */
void mem_touch_model(const void *addr, size_t len, bool write);

static inline void mem_touch(const void *addr, size_t len, bool write)
{
	struct env_cpu_fast *c = *env_fast.cur;

	if (unlikely(env_fast.touch_model))
		mem_touch_model(addr, len, write);
	else if (c && addr)
		c->clock += env_fast.touch_cost;
}
#define touch_read(addr, len)	mem_touch((addr), (len), false)
#define touch_write(addr, len)	mem_touch((addr), (len), true)

/*
 * Whether cache_grow colours the new slabs of cachep (Linux always does).
 * The simulator lets a workload switch colouring off, for all caches or
 * per cache, so an A/B shows what colouring buys; cache_grow then gives
 * every new slab offset 0 while colour, colour_off and colour_next stay
 * as the kernel computes them.
 */
struct kmem_cache;
bool slab_colouring(const struct kmem_cache *cachep);

enum env_work {
	WORK_MEMSET,	/* n bytes set (poison, zalloc) */
	WORK_MEMCPY,	/* n bytes copied (array transfers) */
	WORK_CHECK,	/* n bytes compared (check_poison_obj) */
};
void cpu_work(enum env_work kind, unsigned long n);

/*
 * The simulated call site of the operation being run (what
 * __builtin_return_address(0) would give the kernel): a stable kernel text
 * address derived from the workload event, never a host address.
 */
unsigned long env_call_site(void);

/* ------------------------------------------------------------------ */
/* seq_file (/proc output)                                              */
/* ------------------------------------------------------------------ */

struct seq_file;
int seq_printf(struct seq_file *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int seq_puts(struct seq_file *m, const char *s);

#endif /* SLABSIM_ALLOC_ENV_H */
