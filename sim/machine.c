/*
 * Building, booting and tearing down one simulated machine.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "sim/arch.h"
#include "sim/machine.h"

extern struct machine *env_machine;

struct machine *machine_current(void)
{
	return env_machine;
}

static unsigned long reclaim_cb(void *arg, int nid, unsigned int order)
{
	(void)nid;
	(void)order;
	return machine_reclaim(arg);
}

struct machine *machine_create(const struct workload *wl, char *err,
			       size_t errlen)
{
	const struct wl_machine *mc = &wl->machine;
	struct machine *m = xcalloc(1, sizeof(*m));

	m->wl = wl;
	if (!arch_profile_init(&m->arch, mc->arch, mc->line,
			       mc->bufctl16 ? 2 : 4)) {
		snprintf(err, errlen, "unknown architecture '%s'", mc->arch);
		free(m);
		return NULL;
	}
	m->nr_cpus = mc->cpus;
	m->nr_nodes = mc->nodes;
	/* CPUs are numbered node by node: an even split, the rest last. */
	for (int cpu = 0; cpu < m->nr_cpus; cpu++) {
		int per = m->nr_cpus / m->nr_nodes;
		int node = per ? cpu / per : cpu;
		m->cpu_node[cpu] = node < m->nr_nodes ? node : m->nr_nodes - 1;
	}

	uint64_t node_pages = mc->memory >> PAGE_SHIFT;
	m->nr_pages = node_pages * (uint64_t)m->nr_nodes;
	if ((m->nr_pages << PAGE_SHIFT) > ARENA_RESERVE - PAGE_SIZE) {
		snprintf(err, errlen, "simulated memory larger than 4 GiB");
		free(m);
		return NULL;
	}
	m->mem = mmap(NULL, ARENA_RESERVE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (m->mem == MAP_FAILED) {
		snprintf(err, errlen, "cannot map simulated memory: %s",
			 strerror(errno));
		free(m);
		return NULL;
	}
	m->mem_map = xcalloc(m->nr_pages, sizeof(struct page));

	struct page_alloc_config pc = {
		.nr_nodes = m->nr_nodes,
		.node_pages = node_pages,
		.reserved_pages = 1 + BOOTMEM_PAGES,
		.min_free_kbytes = (uint64_t)mc->min_free_kbytes,
		/* 2.6.17's zones: x86_64 DMA32 below 4 GiB; i386 HighMem
		 * from 896 MiB (MAXMEM, with the default vmalloc reserve) */
		.dma32_end = m->arch.bytes_per_word == 8 ? (4ULL << 30) >> PAGE_SHIFT : 0,
		.highmem_start = m->arch.bytes_per_word == 4 ?
				 (896ULL << 20) >> PAGE_SHIFT : 0,
		.reclaim = reclaim_cb,
		.reclaim_arg = m,
	};
	m->pa = page_alloc_create(&pc);
	m->bootmem_next = PAGE_SIZE;
	m->bootmem_end = (uint64_t)(1 + BOOTMEM_PAGES) << PAGE_SHIFT;

	if (mc->cache_model) {
		struct cache_model_config cc = {
			.nr_cpus = m->nr_cpus,
			.line = m->arch.cache_line,
			.l1 = { mc->l1d.size, mc->l1d.ways },
			.l2 = { mc->l2.size, mc->l2.ways },
			.cost_l1 = mc->cost_l1,
			.cost_l2 = mc->cost_l2,
			.cost_local = mc->cost_local,
			.cost_remote = mc->cost_remote,
		};
		m->cm = cache_model_create(&cc);
		m->cm_pages = xcalloc(m->nr_pages, sizeof(*m->cm_pages));
		m->cm_gen = 1;
		m->cm_fast_pages = m->nr_pages;
		if (!m->cm) {
			snprintf(err, errlen,
				 "impossible cache geometry (sets must be a power of two)");
			machine_destroy(m);
			return NULL;
		}
	}

	struct engine_config ec = {
		.nr_cpus = m->nr_cpus,
		.cpu_node = m->cpu_node,
		.costs = {
			.lock = mc->cost_lock,
			.handoff = mc->cost_handoff,
			.ipi = mc->cost_ipi,
			.op = mc->cost_op,
		},
	};
	m->eng = engine_create(&ec);
	m->ns_per_tick = 1000000000ULL / mc->hz;
	/* the soft lockup's time limit, sized by the largest cost (machine.h) */
	uint64_t max_cost = 0;
	const uint64_t costs[] = { mc->cost_l1, mc->cost_l2, mc->cost_local,
				   mc->cost_remote, mc->cost_lock, mc->cost_handoff,
				   mc->cost_ipi, mc->cost_page, mc->cost_op };
	for (size_t i = 0; i < sizeof(costs) / sizeof(costs[0]); i++)
		max_cost = costs[i] > max_cost ? costs[i] : max_cost;
	for (size_t i = 0; i < wl->nr_caches; i++)
		max_cost = wl->caches[i].ctor_ns > max_cost ?
			   wl->caches[i].ctor_ns : max_cost;
	m->lockup_ns = LOCKUP_NS + LOCKUP_COST_STEPS * max_cost;
	m->klog_bol = true;
	sb_init(&m->klog);
	sb_init(&m->bug_report);
	m->tag_index_cap = 256;
	m->tag_index = xcalloc(m->tag_index_cap, sizeof(uint32_t));
	return m;
}

void machine_destroy(struct machine *m)
{
	if (!m)
		return;
	if (env_machine == m)
		env_machine = NULL;
	if (m->eng)
		engine_destroy(m->eng);
	machine_free_rcu_calls(m);
	if (m->cm)
		cache_model_destroy(m->cm);
	free(m->cm_pages);
	if (m->pa)
		page_alloc_destroy(m->pa);
	free(m->mem_map);
	if (m->mem && m->mem != MAP_FAILED)
		munmap(m->mem, ARENA_RESERVE);
	for (size_t i = 0; i < m->nr_caches; i++)
		free(m->caches[i]);
	free(m->caches);
	free(m->tags);
	free(m->cache_by_pa);
	free(m->tag_index);
	free(m->lock_owners);
	sb_free(&m->klog);
	sb_free(&m->bug_report);
	free(m);
}

static size_t pa_slot(pa_t pa, size_t cap)
{
	return ((uint64_t)pa * 0x9e3779b97f4a7c15ULL >> 32) & (cap - 1);
}

/*
 * Rebuild the address index after a cache came or went (rare): every
 * lookup on the memory-touch path is then one or two probes instead of a
 * scan that found the workload's caches, created last, last.
 */
static void index_caches(struct machine *m)
{
	size_t cap = 64;

	while (cap <= 2 * m->nr_caches)
		cap *= 2;
	if (cap != m->cache_by_pa_cap) {
		free(m->cache_by_pa);
		m->cache_by_pa = xcalloc(cap, sizeof(uint32_t));
		m->cache_by_pa_cap = cap;
	} else {
		memset(m->cache_by_pa, 0, cap * sizeof(uint32_t));
	}
	for (size_t i = 0; i < m->nr_caches; i++) {
		if (!m->caches[i]->cachep)
			continue;
		size_t j = pa_slot(m->caches[i]->pa, cap);
		while (m->cache_by_pa[j])
			j = (j + 1) & (cap - 1);
		m->cache_by_pa[j] = (uint32_t)(i + 1);
	}
}

int machine_add_cache(struct machine *m, const char *name,
		      struct kmem_cache *cachep, bool kmalloc)
{
	if (m->nr_caches == m->caches_cap) {
		m->caches_cap = m->caches_cap ? 2 * m->caches_cap : 64;
		m->caches = xrealloc(m->caches,
				     m->caches_cap * sizeof(*m->caches));
	}
	struct sim_cache *c = xcalloc(1, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->kmalloc = kmalloc;
	c->colouring = m->wl->colouring;	/* a workload cache may differ */
	m->caches[m->nr_caches++] = c;
	machine_cache_created(m, c, cachep);
	return (int)m->nr_caches - 1;
}

void machine_cache_created(struct machine *m, struct sim_cache *c,
			   struct kmem_cache *cachep)
{
	struct kmem_cache_info info;

	c->cachep = cachep;
	c->pa = __pa(cachep);
	index_caches(m);
	/* attribution by cache index changes: every page's must be redone */
	if (++m->cm_gen == 0) {
		m->cm_gen = 1;
		if (m->cm_pages)
			memset(m->cm_pages, 0,
			       m->nr_pages * sizeof(*m->cm_pages));
	}
	if (!cachep)
		return;
	kmem_cache_get_info(cachep, &info);
	c->obj_size = info.obj_size;
	c->obj_room = info.buffer_size - info.obj_offset;
	c->buffer_size = info.buffer_size;
	c->reclaimable = info.flags & SLAB_RECLAIM_ACCOUNT;
	machine_label_locks(m);
}

struct label_arg {
	struct machine *m;
	int cache;
};

static void label_lock(spinlock_t *lock, enum kmem_lock_kind kind, int node,
		       void *arg)
{
	struct label_arg *la = arg;
	struct machine *m = la->m;
	uint32_t id = lock->handle;

	(void)node;
	if (id >= m->nr_lock_owners) {
		size_t n = id + 64;

		m->lock_owners = xrealloc(m->lock_owners,
					  n * sizeof(*m->lock_owners));
		for (size_t i = m->nr_lock_owners; i < n; i++)
			m->lock_owners[i] = (struct lock_owner){ -1, 0 };
		m->nr_lock_owners = n;
	}
	m->lock_owners[id].cache = la->cache;
	m->lock_owners[id].kind = (int)kind;
}

void machine_label_locks(struct machine *m)
{
	struct label_arg la = { m, -1 };

	for (size_t i = 0; i < m->nr_caches; i++) {
		if (!m->caches[i]->cachep)
			continue;
		la.cache = (int)i;
		kmem_cache_for_each_lock(m->caches[i]->cachep, label_lock, &la);
	}
}

int machine_find_cache(const struct machine *m, const struct kmem_cache *c)
{
	pa_t pa = __pa(c);
	size_t mask = m->cache_by_pa_cap - 1;

	if (!m->cache_by_pa_cap)
		return -1;
	for (size_t j = pa_slot(pa, m->cache_by_pa_cap); m->cache_by_pa[j];
	     j = (j + 1) & mask) {
		const struct sim_cache *sc = m->caches[m->cache_by_pa[j] - 1];
		if (sc->pa == pa)
			return (int)(m->cache_by_pa[j] - 1);
	}
	return -1;
}

void machine_ctor(void *obj, struct kmem_cache *cachep, unsigned long flags)
{
	struct machine *m = env_machine;
	int i = machine_find_cache(m, cachep);

	(void)obj;
	(void)flags;
	if (i >= 0)
		engine_charge(m->eng, m->caches[i]->ctor_ns);
}

bool machine_guarded(struct machine *m, void (*fn)(void *arg), void *arg)
{
	jmp_buf here;
	jmp_buf *outer = m->guard;

	if (setjmp(here)) {
		m->guard = outer;
		return false;
	}
	m->guard = &here;
	env_lockup_budget = machine_lockup_budget(m);
	fn(arg);
	m->guard = outer;
	return true;
}

void machine_op_end_slow(struct machine *m)
{
	m->validations++;
	if (!slab_core_is_consistent())
		env_bug(__FILE__, __LINE__,
			"slab_core_is_consistent() after this operation");
}

/*
 * Direct reclaim, as far as the slab is concerned: shrink the caches,
 * SLAB_RECLAIM_ACCOUNT ones first (dcache, icache: the shrinkable ones),
 * then the rest. Re-entry (a shrink that needs pages) does nothing.
 */
unsigned long machine_reclaim(struct machine *m)
{
	if (m->in_reclaim)
		return 0;
	m->in_reclaim = true;
	long before = m->nr_slab;
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < m->nr_caches; i++) {
			struct sim_cache *c = m->caches[i];

			if (c->cachep && c->reclaimable == (pass == 0))
				kmem_cache_shrink(c->cachep);
		}
	}
	unsigned long freed = before > m->nr_slab ?
			      (unsigned long)(before - m->nr_slab) : 0;
	m->in_reclaim = false;
	return freed;
}

/* ---- boot ---- */

static void register_cache(struct kmem_cache *cachep, void *arg)
{
	struct machine *m = arg;

	if (machine_find_cache(m, cachep) < 0)
		machine_add_cache(m, kmem_cache_name(cachep), cachep, true);
}

static void boot_cpu0(void *arg)
{
	struct machine *m = arg;

	kmem_cache_init();
	for (int cpu = 1; cpu < m->nr_cpus; cpu++) {
		cpuup_callback(CPU_UP_PREPARE, cpu);
		engine_set_online(m->eng, cpu, true);
		cpuup_callback(CPU_ONLINE, cpu);
	}
	cpucache_init();
	/* The reap timers now queued run with the workload, not here. */
	engine_stop(m->eng, 0);
}

/*
 * The environment's view (alloc/env.h) reads the running context where the
 * engine keeps it: a CPU's hot part must be laid out as struct env_cpu_fast.
 */
_Static_assert(sizeof(struct engine_cpu_hot) == sizeof(struct env_cpu_fast) &&
	       offsetof(struct engine_cpu_hot, clock) ==
	       offsetof(struct env_cpu_fast, clock) &&
	       offsetof(struct engine_cpu_hot, irqs_off) ==
	       offsetof(struct env_cpu_fast, irqs_off),
	       "struct engine_cpu_hot is not struct env_cpu_fast");

int machine_boot(struct machine *m)
{
	const struct engine_hot *hot = engine_hot_view(m->eng);

	env_machine = m;
	env_mem_base = m->mem;
	env_arch = &m->arch;
	env_fast = (struct env_fast){
		.cur = (struct env_cpu_fast *const *)&hot->cur,
		.cpu = &hot->cpu,
		.cpu_node = m->cpu_node,
		.tasks = m->tasks,
		.mem_map = m->mem_map,
		.nr_pages = m->nr_pages,
		.touch_cost = m->wl->machine.cost_l1,
		.touch_model = m->cm != NULL,
		.nr_cpus = m->nr_cpus,
		.smp = m->nr_cpus > 1 || m->wl->machine.smp,
	};
	/* lock_cpu_hotplug() is the kernel's cpucontrol mutex. */
	__mutex_init(&m->hotplug_lock, "cpucontrol");
	for (int cpu = 1; cpu < m->nr_cpus; cpu++)
		engine_set_online(m->eng, cpu, false);
	slab_set_debug(m->wl->debug);
	engine_post(m->eng, 0, 0, boot_cpu0, m);
	int rc = engine_run(m->eng);
	if (rc != 0)
		return RUN_KERNEL_BUG;
	/*
	 * Everything on the chain now is a kmalloc cache or cache_cache,
	 * whose objects the core uses for itself.
	 */
	kmem_cache_for_each(register_cache, m);
	/* Chain order is newest first; keep boot order for reports. */
	for (size_t i = 0, j = m->nr_caches - 1; i < j; i++, j--) {
		struct sim_cache *t = m->caches[i];
		m->caches[i] = m->caches[j];
		m->caches[j] = t;
	}
	index_caches(m);
	return RUN_OK;
}
