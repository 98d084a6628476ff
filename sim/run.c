/*
 * The runner. Workload events become operations on the CPU they name;
 * generators become self-rescheduling operations drawn from the run's
 * seed; snapshots and samples are globals, taken once every operation
 * that began before their time has ended (one that began later may be
 * caught half done, reading through its locks; see sim/engine.h). All
 * bookkeeping here is about what the *users* of the slab
 * hold; what the slab itself holds is read back through slab.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/progress.h"
#include "sim/report.h"
#include "sim/run.h"

/* A live object handed to a workload name or a generator. */
struct live {
	pa_t obj;		/* 0 when never allocated */
	int cache;		/* machine cache index */
	uint64_t size;		/* bytes requested */
	bool live, freed, kmalloced;
};

/*
 * One generator on one allocating CPU. Besides its stream, it keeps what
 * every one of its allocations would otherwise look up again through the
 * workload and the machine: all of it fixed for the run, except sc and mi,
 * found once the workload cache has a machine cache (that one never moves;
 * only its cachep comes and goes with destroy and create).
 */
struct gen_cpu {
	struct run *run;
	const struct wl_generator *g;
	int cpu;
	uint64_t next_t;	/* nominal arrival time of the next alloc */
	struct rng rng;
	unsigned int free_rr;	/* round robin over free_on */
	unsigned int free_i;	/* free_rr % nr_free_on, without dividing */
	unsigned long call_site;
	double mean_gap_ns;	/* 1e9 / rate, once: the same double every time */
	double lifetime_ns;	/* lifetime_a as a double, for exp lifetimes */
	struct sim_cache *sc;	/* NULL: kmalloc, or cache not yet created */
	int mi;			/* sc's machine cache index */
	uint64_t size;		/* the workload cache's object size */
	uint64_t stop_t;	/* no arrival from here: until, or the end */
};

/* A generator object on its way to being freed. */
struct gen_obj {
	struct run *run;
	struct live l;
	struct gen_obj *next_free;	/* pool link */
	struct gen_obj *next_all;	/* every one allocated: freed at the end,
					 * also those still in flight */
};

struct run {
	const struct workload *wl;
	struct machine *m;
	struct run_result res;
	int *wl_cache;			/* workload cache -> machine cache, -1 */
	struct live *names;
	struct gen_cpu *gens;
	size_t nr_gens;
	struct gen_obj *pool;
	struct gen_obj *all_objs;	/* chain of next_all */
	uint64_t t0;			/* when the workload's time 0 is */
	uint64_t end_t;			/* workload time the run ends */
	uint64_t end_abs;		/* t0 + end_t, engine time */
	unsigned long free_site;	/* call site of a generator's free */
	int engine_rc;
	bool progress;
};

/* ------------------------------------------------------------------ */
/* Bookkeeping helpers                                                  */
/* ------------------------------------------------------------------ */

/* Growing the table is rare: out of line, so users_of inlines. */
static __attribute__((noinline)) void users_grow(struct run *r)
{
	size_t n = r->m->nr_caches + 16;

	r->res.users = xrealloc(r->res.users, n * sizeof(*r->res.users));
	memset(r->res.users + r->res.nr_users, 0,
	       (n - r->res.nr_users) * sizeof(*r->res.users));
	r->res.nr_users = n;
}

static inline struct user_stats *users_of(struct run *r, int cache)
{
	if (__builtin_expect((size_t)cache >= r->res.nr_users, 0))
		users_grow(r);
	return &r->res.users[cache];
}

static void note(struct run *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A runner remark in the kernel log, marked as the simulator's. */
static void note(struct run *r, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	(void)r;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printk(KERN_NOTICE "slabsim: %s\n", buf);
}

/* The simulated call site of an event: kernel text, by workload line. */
static unsigned long call_site_of(unsigned int line)
{
	return env_arch->kernel_text + (unsigned long)line * 0x40;
}

/* A failed allocation: counted, and l holds nothing. Rare: out of line. */
static __attribute__((noinline)) void account_failure(struct run *r,
						       struct live *l, int cache)
{
	r->res.alloc_failures++;
	if (cache >= 0)
		users_of(r, cache)->failures++;
	l->obj = 0;
	l->live = false;
}

/* The machine cache a kmalloc'd object came from; -1 when none is. */
static int kmalloc_cache_of(struct run *r, void *obj)
{
	struct kmem_cache *owner;
	unsigned int colour;

	if (!kmem_addr_owner(obj, &owner, &colour))
		return -1;
	return machine_find_cache(r->m, owner);
}

/*
 * Record in l (and in the users' statistics of cache) what an allocation
 * returned; obj NULL is a failure. Always inline: every caller passes
 * kmalloced as a constant, so a generator's allocation is a few stores.
 */
static inline __attribute__((always_inline)) void
account_alloc(struct run *r, struct live *l, void *obj, int cache,
	      uint64_t size, bool kmalloced)
{
	if (__builtin_expect(!obj, 0)) {
		account_failure(r, l, cache);
		return;
	}
	if (kmalloced)
		cache = kmalloc_cache_of(r, obj);
	l->obj = __pa(obj);
	l->cache = cache;
	l->size = size;
	l->live = true;
	l->freed = false;
	l->kmalloced = kmalloced;
	r->res.allocs++;
	if (cache >= 0) {
		struct user_stats *u = users_of(r, cache);
		u->allocs++;
		u->live_objs++;
		u->live_bytes += size;
	}
}

static inline void account_free(struct run *r, struct live *l)
{
	r->res.frees++;
	if (l->live && l->cache >= 0) {
		struct user_stats *u = users_of(r, l->cache);
		u->frees++;
		u->live_objs--;
		u->live_bytes -= l->size;
	}
	l->live = false;
	l->freed = true;
}

/*
 * Free what a name or generator holds. A second free of the same object is
 * handed to the kernel as the double free it is, unless the cache it came
 * from is gone (the kernel would touch freed memory: we refuse that).
 * Always inline: a generator's free passes as_cache -1, a constant.
 */
static inline __attribute__((always_inline)) void
free_live(struct run *r, struct live *l, int as_cache)
{
	void *obj = __va(l->obj);

	if (!l->live) {
		if (!l->freed || !obj)
			return;
		r->res.double_frees++;
	}
	if (l->kmalloced) {
		account_free(r, l);
		kfree(obj);
		return;
	}
	int ci = as_cache >= 0 ? as_cache : l->cache;
	struct kmem_cache *c = ci >= 0 ? r->m->caches[ci]->cachep : NULL;
	if (!c) {
		note(r, "free into destroyed cache skipped");
		r->res.skipped++;
		return;
	}
	account_free(r, l);
	kmem_cache_free(c, obj);
}

/* ------------------------------------------------------------------ */
/* Workload events                                                      */
/* ------------------------------------------------------------------ */

static struct run *R;	/* the run in progress (one per process) */

static struct kmem_cache *event_cache(struct run *r, const struct wl_event *ev)
{
	int mi = r->wl_cache[ev->cache];
	struct kmem_cache *c = mi >= 0 ? r->m->caches[mi]->cachep : NULL;

	if (!c) {
		note(r, "%s:%u: cache '%s' does not exist now; skipped",
		     r->wl->file, ev->line, r->wl->caches[ev->cache].name);
		r->res.skipped++;
	}
	return c;
}

static void create_cache(struct run *r, int wi)
{
	const struct wl_cache *wc = &r->wl->caches[wi];
	int mi = r->wl_cache[wi];

	if (mi >= 0 && r->m->caches[mi]->cachep) {
		note(r, "cache '%s' exists already; create skipped", wc->name);
		r->res.skipped++;
		return;
	}
	if (mi < 0) {
		mi = machine_add_cache(r->m, wc->name, NULL, false);
		r->wl_cache[wi] = mi;
	}
	struct sim_cache *sc = r->m->caches[mi];
	sc->ctor_ns = wc->ctor_ns;
	struct kmem_cache *c = kmem_cache_create(sc->name, wc->size, wc->align,
		wc->flags, wc->has_ctor ? machine_ctor : NULL,
		wc->has_dtor ? machine_ctor : NULL);
	machine_cache_created(r->m, sc, c);
	if (!c)
		return;
	if (wc->tune.limit > 0 || wc->tune.batchcount > 0 ||
	    wc->tune.shared >= 0) {
		/*
		 * What the workload leaves out keeps the kernel's choice; a
		 * limit alone gets enable_cpucache's batchcount rule.
		 */
		struct kmem_cache_info info;
		char line[128];

		kmem_cache_get_info(c, &info);
		int limit = wc->tune.limit > 0 ? wc->tune.limit : (int)info.limit;
		int batch = wc->tune.batchcount > 0 ? wc->tune.batchcount :
			    wc->tune.limit > 0 ? (limit + 1) / 2 :
			    (int)info.batchcount;
		int shared = wc->tune.shared >= 0 ? wc->tune.shared :
			     (int)info.shared;
		snprintf(line, sizeof(line), "%s %d %d %d", sc->name, limit,
			 batch, shared);
		if (slabinfo_write(line) != 0)
			note(r, "tune of '%s' refused", sc->name);
	}
}

/*
 * A touch writes (or reads) a user's object. Bytes are written only where
 * a user could write without destroying the simulator itself: within the
 * object (and, for non-kmalloc caches, on into its red zone and user word,
 * which debug checking is there to catch); a freed object only if it is
 * still an object slot of that (non-kmalloc) cache.
 *
 * touch_obj is the touch itself, of obj in sc (whose cachep must be set),
 * held by a user when live; touch_live finds sc for a name or generator.
 * Always inline: a generator's touch is a write of a live object, and
 * with those two constants the checks fold away.
 */
static inline __attribute__((always_inline)) void
touch_obj(struct sim_cache *sc, void *obj, uint64_t bytes, bool write,
	  bool live)
{
	uint64_t max = sc->kmalloc ? sc->obj_size : sc->obj_room;
	if (bytes == 0 || bytes > max)
		bytes = bytes == 0 ? sc->obj_size : max;
	mem_touch(obj, bytes, write);
	if (!write)
		return;
	/*
	 * Through a stale pointer only if it still points at an object slot
	 * of that cache: its page may since hold another slab, whose
	 * management a write would corrupt.
	 */
	if (!live && (sc->kmalloc || !kmem_addr_is_object(obj, sc->cachep)))
		return;
	memset(obj, 0x5c, bytes);
}

static void touch_live(struct run *r, struct live *l, uint64_t bytes,
		       bool write)
{
	void *obj = __va(l->obj);
	struct sim_cache *sc;

	if (!obj || l->cache < 0)
		return;
	sc = r->m->caches[l->cache];
	if (!sc->cachep)
		return;
	touch_obj(sc, obj, bytes, write, l->live);
}

static void run_event(void *arg)
{
	const struct wl_event *ev = arg;
	struct run *r = R;
	struct machine *m = r->m;
	struct kmem_cache *c;
	struct live *l = ev->name >= 0 ? &r->names[ev->name] : NULL;
	void *obj;

	machine_op_begin(m);
	m->call_site = call_site_of(ev->line);
	r->res.ops++;
	if (r->progress)
		progress_run_tick(r->res.ops, engine_now(m->eng) - r->t0);
	switch (ev->op) {
	case WL_ALLOC:
	case WL_ZALLOC:
	case WL_ALLOC_NODE:
		c = event_cache(r, ev);
		if (!c)
			break;
		if (ev->op == WL_ALLOC)
			obj = kmem_cache_alloc(c, ev->gfp);
		else if (ev->op == WL_ZALLOC)
			obj = kmem_cache_zalloc(c, ev->gfp);
		else
			obj = kmem_cache_alloc_node(c, ev->gfp, ev->node);
		account_alloc(r, l, obj, r->wl_cache[ev->cache],
			      r->wl->caches[ev->cache].size, false);
		break;
	case WL_KMALLOC:
	case WL_KMALLOC_NODE:
		obj = ev->op == WL_KMALLOC ? __kmalloc(ev->size, ev->gfp) :
		      kmalloc_node(ev->size, ev->gfp, ev->node);
		account_alloc(r, l, obj, -1, ev->size, true);
		break;
	case WL_FREE:
	case WL_KFREE:
		free_live(r, l, ev->cache >= 0 ? r->wl_cache[ev->cache] : -1);
		break;
	case WL_TOUCH:
		touch_live(r, l, ev->whole ? 0 : ev->size, ev->write);
		break;
	case WL_TUNE: {
		char line[128];
		snprintf(line, sizeof(line), "%s %d %d %d",
			 r->wl->caches[ev->cache].name, ev->tune.limit,
			 ev->tune.batchcount, ev->tune.shared);
		if (!event_cache(r, ev))
			break;
		if (slabinfo_write(line) != 0)
			note(r, "%s:%u: tune refused", r->wl->file, ev->line);
		break;
	}
	case WL_SHRINK:
		c = event_cache(r, ev);
		if (c)
			kmem_cache_shrink(c);
		break;
	case WL_DESTROY:
		c = event_cache(r, ev);
		if (c && kmem_cache_destroy(c) == 0)
			machine_cache_created(r->m,
					      r->m->caches[r->wl_cache[ev->cache]],
					      NULL);
		break;
	case WL_CREATE:
		create_cache(r, ev->cache);
		break;
	case WL_CPU_DOWN:
		/* The notifier runs on a surviving CPU, after the CPU is gone. */
		if (!engine_online(m->eng, (int)ev->node) || num_online_cpus() < 2) {
			note(r, "cpu_down %d skipped", ev->node);
			break;
		}
		engine_set_online(m->eng, ev->node, false);
		cpuup_callback(CPU_DEAD, ev->node);
		break;
	case WL_CPU_UP:
		if (engine_online(m->eng, ev->node)) {
			note(r, "cpu_up %d skipped: online", ev->node);
			break;
		}
		if (cpuup_callback(CPU_UP_PREPARE, ev->node) != NOTIFY_OK) {
			note(r, "cpu_up %d failed", ev->node);
			break;
		}
		engine_set_online(m->eng, ev->node, true);
		cpuup_callback(CPU_ONLINE, ev->node);
		break;
	case WL_MEMPOLICY: {
		int cpu = ev->node;
		struct mempolicy *p = &m->policies[cpu];
		p->mode = ev->policy;
		p->nodes = ev->nodemask;
		p->il_next = 0;
		for (int n = 0; n < m->nr_nodes; n++)
			if (p->nodes & (1ULL << n)) {
				p->il_next = n;
				break;
			}
		m->tasks[cpu].mempolicy = ev->policy == WL_POLICY_DEFAULT ? NULL : p;
		if (ev->policy == WL_POLICY_DEFAULT)
			m->tasks[cpu].flags &= ~PF_MEMPOLICY;
		else
			m->tasks[cpu].flags |= PF_MEMPOLICY;
		/* SLAB_MEM_SPREAD caches then rotate over the nodes */
		if (ev->spread_slab)
			m->tasks[cpu].flags |= PF_SPREAD_SLAB;
		else
			m->tasks[cpu].flags &= ~PF_SPREAD_SLAB;
		break;
	}
	case WL_SLABINFO:
		break;	/* a global, see take_snapshot */
	}
	machine_op_end(m);
}

/* ------------------------------------------------------------------ */
/* Generators                                                           */
/* ------------------------------------------------------------------ */

static inline uint64_t draw_lifetime(struct gen_cpu *gc)
{
	const struct wl_generator *g = gc->g;

	switch (g->lifetime) {
	case WL_DIST_EXP:
		return (uint64_t)(rng_exp(&gc->rng) * gc->lifetime_ns);
	case WL_DIST_UNIFORM:
		return g->lifetime_a +
		       rng_below(&gc->rng, g->lifetime_b - g->lifetime_a + 1);
	default:
		return g->lifetime_a;
	}
}

static inline uint64_t draw_gap(struct gen_cpu *gc)
{
	/* Poisson arrivals: exponential gaps with mean 1/rate. */
	uint64_t gap = (uint64_t)(rng_exp(&gc->rng) * gc->mean_gap_ns);

	return gap ? gap : 1;
}

/*
 * The machine cache of a cache generator's workload cache, found once it
 * exists (the loader makes a generator start no earlier than its cache's
 * create event, but at the same time the two may run in either order).
 * NULL while there is none.
 */
static __attribute__((noinline)) struct sim_cache *gen_find_cache(
	struct gen_cpu *gc)
{
	struct run *r = gc->run;
	int mi = r->wl_cache[gc->g->cache];

	if (mi < 0)
		return NULL;
	gc->mi = mi;
	gc->sc = r->m->caches[mi];
	return gc->sc;
}

/* The next CPU of free_on, round robin. */
static inline int gen_free_cpu(struct gen_cpu *gc)
{
	const struct wl_generator *g = gc->g;
	int cpu;

	if (!g->nr_free_on)
		return gc->cpu;
	cpu = g->free_on[gc->free_i];
	/* free_i stays free_rr % nr_free_on, also when free_rr wraps. */
	gc->free_rr++;
	if (++gc->free_i == (unsigned int)g->nr_free_on || gc->free_rr == 0)
		gc->free_i = 0;
	return cpu;
}

static void gen_free(void *arg)
{
	struct gen_obj *o = arg;
	struct run *r = o->run;
	struct machine *m = r->m;

	machine_op_begin(m);
	m->call_site = r->free_site;
	r->res.ops++;
	free_live(r, &o->l, -1);
	o->next_free = r->pool;
	r->pool = o;
	machine_op_end(m);
}

static void gen_alloc(void *arg)
{
	struct gen_cpu *gc = arg;
	struct run *r = gc->run;
	struct machine *m = r->m;
	const struct wl_generator *g = gc->g;
	struct gen_obj *o = r->pool;
	void *obj;
	uint64_t gap;

	machine_op_begin(m);
	m->call_site = gc->call_site;
	r->res.ops++;
	if (r->progress)
		progress_run_tick(r->res.ops, engine_now(m->eng) - r->t0);
	if (o) {
		r->pool = o->next_free;
	} else {
		o = xcalloc(1, sizeof(*o));
		o->run = r;
		o->next_all = r->all_objs;
		r->all_objs = o;
	}
	if (g->cache >= 0) {
		struct sim_cache *sc = gc->sc ? gc->sc : gen_find_cache(gc);
		struct kmem_cache *c = sc ? sc->cachep : NULL;

		obj = c ? kmem_cache_alloc(c, g->gfp) : NULL;
		account_alloc(r, &o->l, obj, gc->mi, gc->size, false);
		/*
		 * cachep again: while this CPU waited inside the allocation,
		 * another may have destroyed the cache.
		 */
		if (obj && g->touch && sc->cachep)
			touch_obj(sc, obj, g->touch, true /* write */,
				  true /* live */);
	} else {
		uint64_t size = g->kmalloc_min;
		if (g->kmalloc_max > g->kmalloc_min)
			size += rng_below(&gc->rng,
					  g->kmalloc_max - g->kmalloc_min + 1);
		obj = __kmalloc(size, g->gfp);
		account_alloc(r, &o->l, obj, -1, size, true);
		if (obj && g->touch)
			touch_live(r, &o->l, g->touch, true);
	}
	if (obj) {
		int free_cpu = gen_free_cpu(gc);
		/*
		 * Both draws back to back, in stream order: the two
		 * logarithms are long dependency chains that the host
		 * overlaps only when nothing sits between them.
		 */
		uint64_t life = draw_lifetime(gc);
		gap = draw_gap(gc);
		uint64_t t = engine_now_fast(m->eng) + life;
		if (t < r->end_abs && engine_online(m->eng, free_cpu))
			engine_post(m->eng, t, free_cpu, gen_free, o);
	} else {
		o->next_free = r->pool;
		r->pool = o;
		gap = draw_gap(gc);
	}
	gc->next_t += gap;
	if (gc->next_t < gc->stop_t)
		engine_post(m->eng, r->t0 + gc->next_t, gc->cpu, gen_alloc, gc);
	machine_op_end(m);
}

/* ------------------------------------------------------------------ */
/* Globals: snapshots, samples, the end                                 */
/* ------------------------------------------------------------------ */

static void take_snapshot(void *arg)
{
	const struct wl_event *ev = arg;
	struct run *r = R;
	struct seq_file s;

	r->res.snaps = xrealloc(r->res.snaps,
				(r->res.nr_snaps + 1) * sizeof(*r->res.snaps));
	sb_init(&s.sb);
	slabinfo_show(&s);
	r->res.snaps[r->res.nr_snaps].t = ev->t;
	r->res.snaps[r->res.nr_snaps].text = s.sb;
	r->res.nr_snaps++;
}

static void take_sample(void *arg)
{
	struct run *r = R;
	uint64_t t = (uint64_t)(uintptr_t)arg;

	report_sample(&r->res, t);
	if (t + r->wl->sample <= r->end_t)
		engine_post_global(r->m->eng, r->t0 + t + r->wl->sample, take_sample,
				   (void *)(uintptr_t)(t + r->wl->sample));
}

static void end_run(void *arg)
{
	(void)arg;
	engine_stop(R->m->eng, 0);
}

static uint64_t workload_end(const struct workload *wl)
{
	uint64_t end = 0;

	if (wl->duration)
		return wl->duration;
	for (size_t i = 0; i < wl->nr_events; i++)
		end = wl->events[i].t > end ? wl->events[i].t : end;
	for (size_t i = 0; i < wl->nr_generators; i++)
		end = wl->generators[i].until > end ? wl->generators[i].until : end;
	return end + 1;
}

/* ------------------------------------------------------------------ */
/* Setting a run up                                                     */
/* ------------------------------------------------------------------ */

static void create_boot_caches(void *arg)
{
	struct run *r = arg;

	for (size_t i = 0; i < r->wl->nr_caches; i++)
		if (r->wl->caches[i].at_boot)
			create_cache(r, (int)i);
	/* Workload events may start only once these caches exist. */
	engine_stop(r->m->eng, 0);
}

static void post_workload(struct run *r)
{
	const struct workload *wl = r->wl;
	struct engine *e = r->m->eng;

	/*
	 * Hotplug notifiers run on a surviving CPU: the lowest one online at
	 * that point of the trace (the loader checked there is one).
	 */
	bool online[WL_MAX_CPUS];
	for (int cpu = 0; cpu < r->m->nr_cpus; cpu++)
		online[cpu] = true;
	for (size_t i = 0; i < wl->nr_events; i++) {
		const struct wl_event *ev = &wl->events[i];
		if (ev->op == WL_SLABINFO) {
			engine_post_global(e, r->t0 + ev->t, take_snapshot,
					   (void *)ev);
			continue;
		}
		int cpu = ev->cpu < 0 ? 0 : ev->cpu;
		if (ev->op == WL_MEMPOLICY)
			cpu = ev->node;
		if (ev->op == WL_CPU_DOWN || ev->op == WL_CPU_UP) {
			online[ev->node] = ev->op == WL_CPU_UP;
			for (cpu = 0; cpu < r->m->nr_cpus; cpu++)
				if (online[cpu] && cpu != ev->node)
					break;
		}
		if (cpu >= r->m->nr_cpus)
			cpu = 0;
		engine_post(e, r->t0 + ev->t, cpu, run_event, (void *)ev);
	}

	r->end_abs = r->t0 + r->end_t;
	r->free_site = call_site_of(0);
	size_t n = 0;
	for (size_t i = 0; i < wl->nr_generators; i++)
		n += (size_t)wl->generators[i].nr_cpus;
	r->gens = xcalloc(n ? n : 1, sizeof(*r->gens));
	for (size_t i = 0; i < wl->nr_generators; i++) {
		const struct wl_generator *g = &wl->generators[i];
		for (int k = 0; k < g->nr_cpus; k++) {
			struct gen_cpu *gc = &r->gens[r->nr_gens++];
			gc->run = r;
			gc->g = g;
			gc->cpu = g->cpu_list[k];
			gc->call_site = call_site_of(g->line);
			gc->mean_gap_ns = 1e9 / g->rate;
			gc->lifetime_ns = (double)g->lifetime_a;
			gc->mi = -1;
			if (g->cache >= 0)
				gc->size = wl->caches[g->cache].size;
			gc->stop_t = g->until < r->end_t ? g->until : r->end_t;
			rng_seed(&gc->rng, wl->seed, 1000 + i * WL_MAX_CPUS +
				 (uint64_t)gc->cpu);
			gc->next_t = g->from + draw_gap(gc);
			if (gc->next_t < gc->stop_t)
				engine_post(e, r->t0 + gc->next_t, gc->cpu,
					    gen_alloc, gc);
		}
	}
	if (wl->sample)
		engine_post_global(e, r->t0, take_sample, (void *)(uintptr_t)0);
	engine_post_global(e, r->t0 + r->end_t, end_run, NULL);
}

static void free_run(struct run *r)
{
	for (size_t i = 0; i < r->res.nr_snaps; i++)
		sb_free(&r->res.snaps[i].text);
	free(r->res.snaps);
	free(r->res.users);
	sb_free(&r->res.timeseries);
	sb_free(&r->res.fragmentation);
	sb_free(&r->res.final_slabinfo);
	while (r->all_objs) {
		struct gen_obj *o = r->all_objs;
		r->all_objs = o->next_all;
		free(o);
	}
	r->pool = NULL;
	free(r->gens);
	free(r->names);
	free(r->wl_cache);
	machine_destroy(r->m);
}

static void run_engine(void *arg)
{
	struct run *r = arg;

	r->engine_rc = engine_run(r->m->eng);
}

/* engine_run, with a BUG in a snapshot or sample counted as the run's. */
static bool run_guarded(struct run *r)
{
	return machine_guarded(r->m, run_engine, r) && r->engine_rc == 0;
}

/* The final state, from a quiescent observer. */
static void final_state(void *arg)
{
	struct run *r = arg;
	struct seq_file s;

	sb_init(&s.sb);
	slabinfo_show(&s);
	r->res.final_slabinfo = s.sb;
	r->res.consistent = r->res.status == RUN_OK && slab_core_is_consistent();
	if (r->m->fault_page.rule)
		printk(KERN_INFO "FAULT_INJECTION: fail_page_alloc failed %llu of %llu candidate page allocations\n",
		       (unsigned long long)r->m->fault_page.injected,
		       (unsigned long long)r->m->fault_page.candidates);
	if (r->wl->sample && r->res.status == RUN_OK)
		report_sample(&r->res, r->res.end_t);
}

int run_workload(const struct workload *wl, const struct run_options *opt)
{
	struct run run = { 0 };
	struct run *r = &run;
	char err[256];

	R = r;
	r->wl = wl;
	r->res.wl = wl;
	r->end_t = workload_end(wl);
	r->m = machine_create(wl, err, sizeof(err));
	if (!r->m)
		user_error("%s: %s", wl->file, err);
	r->m->check = opt->check;
	r->res.m = r->m;
	r->wl_cache = xcalloc(wl->nr_caches ? wl->nr_caches : 1, sizeof(int));
	for (size_t i = 0; i < wl->nr_caches; i++)
		r->wl_cache[i] = -1;
	r->names = xcalloc(wl->nr_names ? wl->nr_names : 1, sizeof(*r->names));
	sb_init(&r->res.timeseries);
	sb_init(&r->res.fragmentation);
	sb_init(&r->res.final_slabinfo);

	int status = machine_boot(r->m);
	if (status == RUN_OK) {
		engine_post(r->m->eng, 0, 0, create_boot_caches, r);
		if (!run_guarded(r))
			status = RUN_KERNEL_BUG;
	}
	if (status == RUN_OK) {
		/*
		 * The workload's time 0 is when boot is over on every CPU,
		 * rounded up to a jiffy: boot takes virtual time too.
		 */
		for (int cpu = 0; cpu < r->m->nr_cpus; cpu++) {
			uint64_t c = engine_cpu_clock(r->m->eng, cpu);
			r->t0 = c > r->t0 ? c : r->t0;
		}
		r->t0 = (r->t0 / r->m->ns_per_tick + 1) * r->m->ns_per_tick;
		/* boot is never failed: faults: rules count from time 0 */
		fault_arm(&r->m->fault_page, &wl->faults.page_alloc, wl->seed,
			  r->t0);
		post_workload(r);
		r->progress = opt->progress;
		progress_run_start(r->progress, r->end_t);
		if (!run_guarded(r))
			status = RUN_KERNEL_BUG;
		progress_end();
	}
	r->res.status = status;
	r->res.boot_t = r->t0;
	r->res.end_t = engine_now(r->m->eng) > r->t0 ?
		       engine_now(r->m->eng) - r->t0 : 0;

	/*
	 * After a BUG the lists may be past walking: a second BUG in the
	 * final walk keeps what it had printed and the report goes on.
	 */
	if (!machine_guarded(r->m, final_state, r)) {
		r->res.status = status = RUN_KERNEL_BUG;
		r->res.consistent = false;
	}

	report_write_run_dir(&r->res, opt);
	if (!opt->quiet)
		report_print_summary(&r->res, opt->out_dir, stdout);
	free_run(r);
	R = NULL;
	return status;
}
