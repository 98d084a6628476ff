/*
 * The runner. Workload events become operations on the CPU they name;
 * generators become self-rescheduling operations drawn from the run's
 * seed; snapshots and samples are globals, taken once every operation
 * that began before their time has ended (one that began later may be
 * caught half done, reading through its locks; see sim/engine.h). All
 * bookkeeping here is about what the *users* of the slab
 * hold; what the slab itself holds is read back through slab.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/workload/dist.h"
#include "sim/progress.h"
#include "sim/report/report.h"
#include "sim/run.h"

struct evrec;

/* A live object handed to a workload name or a generator. */
struct live {
	pa_t obj;		/* 0 when never allocated */
	int cache;		/* machine cache index */
	uint64_t size;		/* bytes requested */
	bool live, freed, kmalloced;
	bool pending;		/* a name: its allocation is posted, not run */
	int cpu;		/* that allocated it */
	uint32_t site;		/* call-site statistics row of the allocation */
	struct evrec *waiters;	/* events that came before their object did,
				   or frees waiting for its earlier events */
	/* events naming it but its allocation: posted, and run so far */
	uint32_t posted, done;
	/* while live: its cache's live objects in allocation order (walks) */
	struct live *walk_prev, *walk_next;
};

/*
 * The live objects of one machine cache, oldest first: what a walk reads.
 * The links point into the names table and generator objects, so neither
 * may move while an object is live (the names table is allocated once;
 * generator objects are pooled, never freed during the run).
 */
struct live_list {
	struct live *first, *last;
};

/*
 * A workload event read from the file and posted, until it has run. The
 * unrun ones form a list in file order (so in time order): its head is
 * the earliest event not yet run, which snapshots and the end wait for.
 */
struct evrec {
	struct wl_event ev;
	struct evrec *prev, *next;	/* unrun list; next: pool link too */
	struct evrec *next_waiter;	/* parked on a pending allocation */
	struct evrec *all_next;		/* every record made (rec_get) */
	uint32_t obj_idx;		/* its place among its object's events */
	bool ordered_wait;		/* waits for the events before it */
	bool downing;			/* a cpu_down whose CPU is finishing */
	int wait_cpu;			/* and then runs on this CPU */
};

/* Work waiting for a cache whose creation event has not run yet. */
struct cache_wait {
	engine_fn fn;
	void *arg;
	int cpu;
	uint64_t due;			/* engine time it should have run */
	struct cache_wait *next;
};

/* A global that waits for every event of its time or earlier (see barrier). */
struct barrier {
	uint64_t t;			/* workload time */
	engine_fn fn;
	void *arg;
};

#define LIVE_CHUNK	4096	/* names per chunk: chunks never move */

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
	uint32_t site_row;	/* its call-site statistics */
	uint64_t next_walk_t;	/* walk: {every}: the next walk, workload time */
	/* the laws beyond Poisson and a free_on list (gen_setup_laws) */
	struct rng place;	/* free_on: other_node/any; its own stream */
	struct arrivals arr;	/* arrivals other than Poisson */
	uint64_t arr_prev;	/* the last nominal arrival arr gave */
	unsigned int node_i;	/* alloc_node round robin */
	int nr_free_cands;	/* free_on: other_node/any */
	uint8_t free_cands[WL_MAX_CPUS];
};

/* A generator object on its way to being freed. */
struct gen_obj {
	struct run *run;
	struct live l;
	struct gen_obj *next_free;	/* pool link */
	uint64_t touch_free;		/* bytes written before the free */
	struct gen_obj *next_held;	/* lifetime until_free_all */
	unsigned long site;		/* call site of a free_all's free */
	uint32_t free_row;		/* and its call-site statistics */
};

/* What a generator of lifetime until_free_all holds, oldest first. */
struct gen_held {
	struct gen_obj *head, *tail;
};

struct run {
	struct workload *wl;
	struct machine *m;
	struct run_result res;
	int *wl_cache;			/* workload cache -> machine cache, -1 */
	struct live **names;		/* by name slot, in chunks */
	size_t nr_chunks;
	/* the event stream */
	struct wl_event next_ev;	/* read, not yet posted */
	bool have_next, input_done;
	uint64_t seq_base, nr_posted;	/* reserved engine order */
	struct evrec *unrun_head, *unrun_tail, *rec_pool, *all_recs;
	struct evrec *fence;		/* hotplug posted, not yet run */
	struct barrier *barriers;	/* waiting, in posting order */
	size_t nr_barriers, cap_barriers;
	bool online[WL_MAX_CPUS];	/* hotplug as the events left it */
	/* per workload cache: creations posted, not run; who waits for them */
	unsigned int *creating;
	struct cache_wait **cache_waiters;
	bool end_posted;
	uint64_t last_t;		/* of the last event read */
	uint64_t nr_samples;
	unsigned int first_not_run_line;
	uint64_t first_not_run_t;
	/* call-site statistics rows, by key (see site_row) */
	uint64_t *site_keys;
	uint32_t *named_rows;		/* by workload_site: row + 1, 0 none yet */
	size_t nr_named_rows;
	size_t sites_cap, line_rows;
	uint32_t *site_hash;
	size_t site_hash_cap;
	struct gen_cpu *gens;
	size_t nr_gens;
	/*
	 * Every gen_obj ever made, so that those still in flight when the
	 * run ends (a free past the end, on an offline CPU, or queued when
	 * the engine stopped) are freed with the run, not leaked.
	 */
	struct gen_obj **gen_all;
	size_t nr_gen_all, gen_all_cap;
	struct gen_held *held;		/* per generator */
	struct gen_obj *pool;
	struct live_list *walk_lists;	/* per machine cache index */
	size_t nr_walk_lists;
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

/* The live list of cache, growing the table as caches are added. */
static __attribute__((noinline)) void walk_lists_grow(struct run *r)
{
	size_t n = r->m->nr_caches + 16;

	r->walk_lists = xrealloc(r->walk_lists, n * sizeof(*r->walk_lists));
	memset(r->walk_lists + r->nr_walk_lists, 0,
	       (n - r->nr_walk_lists) * sizeof(*r->walk_lists));
	r->nr_walk_lists = n;
}

/* l (just allocated from machine cache l->cache) joins its cache's list. */
static inline void live_link(struct run *r, struct live *l)
{
	struct live_list *ll;

	if (__builtin_expect((size_t)l->cache >= r->nr_walk_lists, 0))
		walk_lists_grow(r);
	ll = &r->walk_lists[l->cache];
	l->walk_next = NULL;
	l->walk_prev = ll->last;
	if (ll->last)
		ll->last->walk_next = l;
	else
		ll->first = l;
	ll->last = l;
}

/* l (live, linked by live_link) is freed: it leaves its cache's list. */
static inline void live_unlink(struct run *r, struct live *l)
{
	struct live_list *ll = &r->walk_lists[l->cache];

	if (l->walk_prev)
		l->walk_prev->walk_next = l->walk_next;
	else
		ll->first = l->walk_next;
	if (l->walk_next)
		l->walk_next->walk_prev = l->walk_prev;
	else
		ll->last = l->walk_prev;
	l->walk_prev = l->walk_next = NULL;
}

/*
 * The cost of one call into the allocator: the CPU's clock since t0 (cost
 * model charges and lock waits), recorded for machine cache `cache` (-1:
 * none, not recorded).
 */
static inline void lat_note(struct run *r, int cache, enum lat_kind kind,
			    vtime_t t0)
{
	if (cache >= 0)
		lat_record(&users_of(r, cache)->lat[kind],
			   engine_op_clock(r->m->eng) - t0);
}

/* The size-N cache a kmalloc of size went to; -1 when none serves it. */
static __attribute__((noinline)) int kmalloc_size_cache(struct run *r,
							uint64_t size,
							gfp_t gfp)
{
	struct kmem_cache *c = kmem_find_general_cachep((size_t)size, gfp);

	return c ? machine_find_cache(r->m, c) : -1;
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

/*
 * A named site's kernel text address: past every line's (a workload has
 * fewer than 2^26 lines) so the two never meet in the core's user word.
 */
static unsigned long named_site_addr(int site)
{
	return env_arch->kernel_text + (1UL << 32) + (unsigned long)site * 0x40;
}

static uint64_t site_key(enum site_kind kind, int id)
{
	return (uint64_t)kind << 32 | (uint32_t)id;
}

/*
 * The statistics row of a call site, made on first use. Workload lines
 * as sites are bounded (a long trace whose events name no site has a
 * site per line): past SITE_LINES_MAX of them, further lines share one
 * row, "(other sites)". Named sites are as many as the loader holds.
 */
#define SITE_LINES_MAX	10000

static __attribute__((noinline)) uint32_t site_row(struct run *r,
						   enum site_kind kind, int id)
{
	uint64_t key = site_key(kind, id);
	size_t i, mask;

	if (kind == SITE_LINE && r->line_rows >= SITE_LINES_MAX)
		return site_row(r, SITE_OTHER, 0);

	if ((r->res.nr_sites + 1) * 2 > r->site_hash_cap) {
		size_t cap = r->site_hash_cap ? r->site_hash_cap * 2 : 64;

		free(r->site_hash);
		r->site_hash = xcalloc(cap, sizeof(*r->site_hash));
		r->site_hash_cap = cap;
		for (size_t k = 0; k < r->res.nr_sites; k++) {
			for (i = (size_t)(r->site_keys[k] * 0x9e3779b97f4a7c15ULL >> 32) & (cap - 1);
			     r->site_hash[i]; i = (i + 1) & (cap - 1))
				;
			r->site_hash[i] = (uint32_t)k + 1;
		}
	}
	mask = r->site_hash_cap - 1;
	for (i = (size_t)(key * 0x9e3779b97f4a7c15ULL >> 32) & mask;
	     r->site_hash[i]; i = (i + 1) & mask)
		if (r->site_keys[r->site_hash[i] - 1] == key)
			return r->site_hash[i] - 1;
	size_t n = r->res.nr_sites++;
	if (n == r->sites_cap) {
		r->sites_cap = r->sites_cap ? r->sites_cap * 2 : 64;
		r->res.sites = xrealloc(r->res.sites,
					r->sites_cap * sizeof(*r->res.sites));
		r->site_keys = xrealloc(r->site_keys,
					r->sites_cap * sizeof(*r->site_keys));
	}
	memset(&r->res.sites[n], 0, sizeof(r->res.sites[n]));
	r->line_rows += kind == SITE_LINE;
	r->res.sites[n].kind = kind;
	r->res.sites[n].id = id;
	r->site_keys[n] = key;
	r->site_hash[i] = (uint32_t)n + 1;
	return (uint32_t)n;
}

/* A named site's row, found once: named_rows[site] is row + 1. */
static __attribute__((noinline)) uint32_t named_site_row(struct run *r,
							 int site)
{
	if ((size_t)site >= r->nr_named_rows) {
		size_t n = workload_nr_sites(r->wl) + 64;

		r->named_rows = xrealloc(r->named_rows, n * sizeof(*r->named_rows));
		memset(r->named_rows + r->nr_named_rows, 0,
		       (n - r->nr_named_rows) * sizeof(*r->named_rows));
		r->nr_named_rows = n;
	}
	if (!r->named_rows[site])
		r->named_rows[site] = site_row(r, SITE_NAMED, site) + 1;
	return r->named_rows[site] - 1;
}

static inline uint32_t event_site_row(struct run *r, const struct wl_event *ev)
{
	if (ev->site >= 0) {
		if (__builtin_expect((size_t)ev->site < r->nr_named_rows &&
				     r->named_rows[ev->site], 1))
			return r->named_rows[ev->site] - 1;
		return named_site_row(r, ev->site);
	}
	return site_row(r, SITE_LINE, (int)ev->line);
}

/* A failed allocation: counted, and l holds nothing. Rare: out of line. */
static __attribute__((noinline)) void account_failure(struct run *r,
						       struct live *l, int cache)
{
	r->res.alloc_failures++;
	r->res.sites[l->site].failures++;
	if (cache >= 0)
		users_of(r, cache)->failures++;
	l->obj = 0;
	l->live = false;
	l->freed = false;
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
	      uint64_t size, bool kmalloced, uint32_t site)
{
	l->site = site;
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
	l->cpu = smp_processor_id();
	r->res.allocs++;
	struct site_stats *st = &r->res.sites[site];
	st->allocs++;
	st->bytes_req += size;
	if (cache >= 0) {
		struct user_stats *u = users_of(r, cache);
		u->allocs++;
		u->live_objs++;
		u->live_bytes += size;
		st->bytes_alloc += r->m->caches[cache]->buffer_size;
		live_link(r, l);
	}
}

/*
 * A free is counted at its own call site (free_site), the CPUs it
 * crossed at the allocation's, as perf kmem counts Ping-pong.
 */
static inline void account_free(struct run *r, struct live *l,
				uint32_t free_site)
{
	r->res.frees++;
	if (l->live) {
		struct site_stats *st = &r->res.sites[l->site];
		int cpu = smp_processor_id();

		r->res.sites[free_site].frees++;
		if (cpu != l->cpu) {
			st->cross_cpu++;
			st->cross_node += cpu_to_node(cpu) != cpu_to_node(l->cpu);
		}
	}
	if (l->live && l->cache >= 0) {
		struct user_stats *u = users_of(r, l->cache);
		u->frees++;
		u->live_objs--;
		u->live_bytes -= l->size;
		live_unlink(r, l);
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
free_live(struct run *r, struct live *l, int as_cache, uint32_t free_site)
{
	void *obj = __va(l->obj);

	if (!l->live) {
		if (!l->freed || !obj) {
			note(r, "free of an object whose allocation failed skipped");
			r->res.skipped++;
			return;
		}
		r->res.double_frees++;
	}
	if (l->kmalloced) {
		int kc = l->cache;
		vtime_t t0 = engine_op_clock(r->m->eng);

		account_free(r, l, free_site);
		kfree(obj);
		lat_note(r, kc, LAT_KFREE, t0);
		return;
	}
	int ci = as_cache >= 0 ? as_cache : l->cache;
	struct kmem_cache *c = ci >= 0 ? r->m->caches[ci]->cachep : NULL;
	if (!c) {
		note(r, "free into destroyed cache skipped");
		r->res.skipped++;
		return;
	}
	account_free(r, l, free_site);
	vtime_t t0 = engine_op_clock(r->m->eng);
	kmem_cache_free(c, obj);
	lat_note(r, ci, LAT_FREE, t0);
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
	sc->colouring = wc->colouring >= 0 ? wc->colouring : r->wl->colouring;
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

	if (!obj) {
		note(r, "touch of an object whose allocation failed skipped");
		r->res.skipped++;
		return;
	}
	if (l->cache < 0)
		return;
	sc = r->m->caches[l->cache];
	if (!sc->cachep)
		return;
	touch_obj(sc, obj, bytes, write, l->live);
}

/* ------------------------------------------------------------------ */
/* Names, event records, barriers                                       */
/* ------------------------------------------------------------------ */

static __attribute__((noinline)) void names_grow(struct run *r, size_t chunk)
{
	size_t n = chunk + 1;

	r->names = xrealloc(r->names, n * sizeof(*r->names));
	for (size_t i = r->nr_chunks; i < n; i++)
		r->names[i] = xcalloc(LIVE_CHUNK, sizeof(**r->names));
	r->nr_chunks = n;
}

/* The object of name slot, in a chunk that never moves. */
static inline struct live *live_of(struct run *r, int slot)
{
	size_t chunk = (size_t)slot / LIVE_CHUNK;

	if (__builtin_expect(chunk >= r->nr_chunks, 0))
		names_grow(r, chunk);
	return &r->names[chunk][(size_t)slot % LIVE_CHUNK];
}

static bool op_allocates(enum wl_op op)
{
	return op == WL_ALLOC || op == WL_ZALLOC || op == WL_ALLOC_NODE ||
	       op == WL_KMALLOC || op == WL_KMALLOC_NODE;
}

/*
 * A free waits for the events before it that name its object (a touch
 * on a CPU running late must not land after the free: the debug kernel
 * would call it a use after free).
 */
static bool op_frees(enum wl_op op)
{
	return op == WL_FREE || op == WL_KFREE;
}

/*
 * Records are pooled; every one ever made is also on r->all_recs, so
 * those still in flight when the run ends (a snapshot the end overtook,
 * events queued behind a BUG) are freed with the run.
 */
static struct evrec *rec_get(struct run *r)
{
	struct evrec *rec = r->rec_pool;

	if (rec) {
		r->rec_pool = rec->next;
	} else {
		rec = xcalloc(1, sizeof(*rec));
		rec->all_next = r->all_recs;
		r->all_recs = rec;
	}
	return rec;
}

static void rec_put(struct run *r, struct evrec *rec)
{
	rec->next = r->rec_pool;
	r->rec_pool = rec;
}

/*
 * A global that must see every event of time t or earlier done (a
 * snapshot, the end). When its own time comes while some such event is
 * still queued on a busy CPU, or waiting for its object, it waits for
 * the last of them (barriers_release).
 */
static bool barrier_wait(struct run *r, uint64_t t, engine_fn fn, void *arg)
{
	struct barrier *b;

	if (!r->unrun_head || r->unrun_head->ev.t > t)
		return false;
	if (r->nr_barriers == r->cap_barriers) {
		r->cap_barriers = r->cap_barriers ? r->cap_barriers * 2 : 8;
		r->barriers = xrealloc(r->barriers,
				       r->cap_barriers * sizeof(*r->barriers));
	}
	b = &r->barriers[r->nr_barriers++];
	b->t = t;
	b->fn = fn;
	b->arg = arg;
	return true;
}

/* Post the waiting globals whose events are now all done, in order. */
static void barriers_release(struct run *r)
{
	size_t n = 0;

	while (n < r->nr_barriers &&
	       (!r->unrun_head || r->unrun_head->ev.t > r->barriers[n].t)) {
		engine_post_global(r->m->eng, engine_now_fast(r->m->eng),
				   r->barriers[n].fn, r->barriers[n].arg);
		n++;
	}
	if (n) {
		memmove(r->barriers, r->barriers + n,
			(r->nr_barriers - n) * sizeof(*r->barriers));
		r->nr_barriers -= n;
	}
}

/*
 * Events that change what the others run against -- a cache destroyed or
 * created, a CPU taken down or brought up -- keep their place in the file:
 * each runs once every event before it has run. Without that, a CPU that
 * runs late (busy, or a free waiting for its allocation) would see a
 * destroy overtake its free, or its CPU go down under a queued event.
 * CPU hotplug is a fence both ways, as stop_machine makes it in Linux:
 * the events after it are not even posted until it has run (feed_events),
 * so none starts on a CPU that is about to go down.
 */
static bool op_ordered(enum wl_op op)
{
	return op == WL_DESTROY || op == WL_CREATE || op == WL_CPU_DOWN ||
	       op == WL_CPU_UP;
}

static void run_event(void *arg);

/* Must rec wait for the events before it? Then it is left to event_done. */
static bool ordered_wait(struct run *r, struct evrec *rec)
{
	if (r->unrun_head == rec)
		return false;
	rec->wait_cpu = engine_cpu_fast(r->m->eng);
	rec->ordered_wait = true;
	return true;
}

/*
 * As stop_machine: a CPU going down is marked offline at once, so nothing
 * new is dispatched to it, and finishes the operation (or IPI) it is in;
 * only then do the CPU_DEAD callbacks free its arrays. The cpu_down looks
 * again every microsecond of virtual time. One that cannot be done (the
 * CPU is down already, or is the last one up) is left to run_event to
 * note as skipped (rec->downing stays false).
 */
static bool cpu_down_waits(struct run *r, struct evrec *rec)
{
	struct engine *e = r->m->eng;
	int cpu = (int)rec->ev.node;

	if (!rec->downing) {
		if (!engine_online(e, cpu) || num_online_cpus() < 2)
			return false;
		engine_set_online(e, cpu, false);
		rec->downing = true;
	}
	if (engine_cpu_quiet(e, cpu))
		return false;
	engine_post_seq(e, engine_now_fast(e) + 1000, engine_cpu_fast(e),
			run_event, rec, engine_reserve_seq(e, 1));
	return true;
}

/* rec has run: out of the unrun list, its name let go. */
static void event_done(struct run *r, struct evrec *rec)
{
	bool was_head = r->unrun_head == rec;

	if (rec->prev)
		rec->prev->next = rec->next;
	else
		r->unrun_head = rec->next;
	if (rec->next)
		rec->next->prev = rec->prev;
	else
		r->unrun_tail = rec->prev;
	if (rec->ev.name >= 0)
		workload_slot_put(r->wl, rec->ev.name);
	if (rec == r->fence) {	/* the events after it may come now */
		r->fence = NULL;
		if (r->have_next)
			engine_feed_at(r->m->eng, r->t0 + r->next_ev.t);
	}
	rec_put(r, rec);
	/* every event before it has run: an ordered event waiting goes now */
	if (was_head && r->unrun_head && r->unrun_head->ordered_wait) {
		struct evrec *w = r->unrun_head;
		struct engine *e = r->m->eng;

		w->ordered_wait = false;
		engine_post_seq(e, engine_now_fast(e), w->wait_cpu, run_event, w,
				engine_reserve_seq(e, 1));
	}
	if (was_head && r->nr_barriers)
		barriers_release(r);
}

/*
 * A free or touch whose object's allocation is posted but has not run
 * (its CPU is behind in virtual time): it waits for it, and runs on its
 * own CPU as soon as the allocation is done (wake_waiters). A free waits
 * the same way for the object's earlier touches and frees.
 */
static void park(struct run *r, struct live *l, struct evrec *rec)
{
	struct evrec **p = &l->waiters;

	while (*p)
		p = &(*p)->next_waiter;
	rec->next_waiter = NULL;
	*p = rec;
}

/*
 * Post l's waiting events that may run now, on their own CPUs: all of
 * them once the allocation has run (upto 0), else the frees whose earlier
 * events have all run (obj_idx up to upto).
 */
static __attribute__((noinline)) void wake_waiters(struct run *r,
						   struct live *l,
						   uint32_t upto)
{
	struct engine *e = r->m->eng;
	vtime_t now = engine_now_fast(e);
	struct evrec **p = &l->waiters;

	while (*p) {
		struct evrec *w = *p;
		uint64_t due = r->t0 + w->ev.t;
		uint64_t delay = now > due ? now - due : 0;

		if (upto && w->obj_idx > upto) {
			p = &w->next_waiter;
			continue;
		}
		*p = w->next_waiter;
		r->res.waits++;
		r->res.wait_ns += delay;
		r->res.sites[l->site].waits++;
		r->res.sites[l->site].wait_ns += delay;
		engine_post_seq(e, now, w->ev.cpu, run_event, w,
				engine_reserve_seq(e, 1));
	}
}

/*
 * A cache declared with t: is created by an event on the lowest online
 * CPU; when that CPU is behind in virtual time, work on the cache that
 * comes after it (events, a generator's first arrivals) waits for it
 * instead of finding no cache (cache_wait, cache_created).
 */
static void cache_wait(struct run *r, int wc, engine_fn fn, void *arg,
		       int cpu, uint64_t due)
{
	struct cache_wait *w = xcalloc(1, sizeof(*w)), **p;

	w->fn = fn;
	w->arg = arg;
	w->cpu = cpu;
	w->due = due;
	for (p = &r->cache_waiters[wc]; *p; p = &(*p)->next)
		;
	*p = w;
}

static __attribute__((noinline)) void cache_created(struct run *r, int wc)
{
	struct engine *e = r->m->eng;
	vtime_t now = engine_now_fast(e);

	if (--r->creating[wc])
		return;
	while (r->cache_waiters[wc]) {
		struct cache_wait *w = r->cache_waiters[wc];

		r->cache_waiters[wc] = w->next;
		r->res.waits++;
		r->res.wait_ns += now > w->due ? now - w->due : 0;
		engine_post_seq(e, now, w->cpu, w->fn, w->arg,
				engine_reserve_seq(e, 1));
		free(w);
	}
}

/* Does ev work on its cache (rather than on an object it names)? */
static bool needs_cache(const struct wl_event *ev)
{
	return ev->cache >= 0 && ev->name < 0 ? ev->op != WL_CREATE :
	       op_allocates(ev->op) && ev->cache >= 0;
}

/*
 * A walk: the running CPU reads (or writes) [offset, offset + bytes) of
 * every live object of machine cache mi, oldest first, repeat times, the
 * way kernel code walks its inodes or dentries. Every access goes through
 * mem_touch, so the cache-line model sees it and the CPU is charged; the
 * objects' bytes are not changed. bytes 0, or more than the object has
 * from offset, reads to the object's end. Returns the objects visited per
 * pass.
 */
static uint64_t walk_cache(struct run *r, int mi, uint64_t offset,
			   uint64_t bytes, bool write, int repeat)
{
	struct sim_cache *sc = r->m->caches[mi];
	uint64_t n = 0;

	if (!sc->cachep || offset >= sc->obj_size ||
	    (size_t)mi >= r->nr_walk_lists)
		return 0;
	if (bytes == 0 || bytes > sc->obj_size - offset)
		bytes = sc->obj_size - offset;
	for (int pass = 0; pass < repeat; pass++) {
		n = 0;
		for (struct live *l = r->walk_lists[mi].first; l;
		     l = l->walk_next, n++)
			mem_touch((char *)__va(l->obj) + offset, bytes, write);
	}
	return n;
}
static void gen_free_all(struct run *r, const struct wl_event *ev);

static void run_event(void *arg)
{
	struct evrec *rec = arg;
	const struct wl_event *ev = &rec->ev;
	struct run *r = R;
	struct machine *m = r->m;
	struct kmem_cache *c;
	struct live *l = ev->name >= 0 ? live_of(r, ev->name) : NULL;
	void *obj;
	vtime_t t0;

	if (l && !op_allocates(ev->op) &&
	    (l->pending || (op_frees(ev->op) && l->done + 1 < rec->obj_idx))) {
		park(r, l, rec);
		return;
	}
	if (op_ordered(ev->op) &&
	    (ordered_wait(r, rec) ||
	     (ev->op == WL_CPU_DOWN && cpu_down_waits(r, rec))))
		return;
	if (needs_cache(ev) && r->creating[ev->cache]) {
		cache_wait(r, ev->cache, run_event, rec, engine_cpu_fast(m->eng),
			   r->t0 + ev->t);
		return;
	}
	machine_op_begin(m);
	m->call_site = ev->site >= 0 ? named_site_addr(ev->site) :
		       call_site_of(ev->line);
	r->res.ops++;
	if (r->progress)
		progress_run_tick(r->res.ops, r->res.events, engine_now(m->eng) - r->t0);
	switch (ev->op) {
	case WL_ALLOC:
	case WL_ZALLOC:
	case WL_ALLOC_NODE:
		c = event_cache(r, ev);
		if (!c)
			break;
		t0 = engine_op_clock(m->eng);
		if (ev->op == WL_ALLOC)
			obj = kmem_cache_alloc(c, ev->gfp);
		else if (ev->op == WL_ZALLOC)
			obj = kmem_cache_zalloc(c, ev->gfp);
		else
			obj = kmem_cache_alloc_node(c, ev->gfp, ev->node);
		lat_note(r, r->wl_cache[ev->cache], LAT_ALLOC, t0);
		account_alloc(r, l, obj, r->wl_cache[ev->cache],
			      r->wl->caches[ev->cache].size, false,
			      event_site_row(r, ev));
		break;
	case WL_KMALLOC:
	case WL_KMALLOC_NODE:
		t0 = engine_op_clock(m->eng);
		obj = ev->op == WL_KMALLOC ? __kmalloc(ev->size, ev->gfp) :
		      kmalloc_node(ev->size, ev->gfp, ev->node);
		lat_note(r, kmalloc_size_cache(r, ev->size, ev->gfp),
			 LAT_KMALLOC, t0);
		account_alloc(r, l, obj, -1, ev->size, true,
			      event_site_row(r, ev));
		break;
	case WL_FREE:
	case WL_KFREE:
		free_live(r, l, ev->cache >= 0 ? r->wl_cache[ev->cache] : -1,
			  event_site_row(r, ev));
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
		machine_label_locks(m);	/* new shared arrays */
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
		cache_created(r, ev->cache);
		break;
	case WL_CPU_DOWN:
		/* The notifier runs on a surviving CPU, after the CPU is gone. */
		if (!rec->downing) {	/* see cpu_down_waits */
			note(r, "cpu_down %d skipped", ev->node);
			break;
		}
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
		machine_label_locks(m);	/* a new node's lists */
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
	case WL_WALK:
		if (event_cache(r, ev))
			walk_cache(r, r->wl_cache[ev->cache], ev->offset,
				   ev->whole ? 0 : ev->size, ev->write,
				   ev->repeat);
		break;
	case WL_FREE_ALL:
		gen_free_all(r, ev);
		break;
	}
	if (l && op_allocates(ev->op)) {
		l->pending = false;
		if (l->waiters)
			wake_waiters(r, l, 0);
	} else if (l) {
		l->done++;
		if (l->waiters)
			wake_waiters(r, l, l->done + 1);
	}
	event_done(r, rec);
	machine_op_end(m);
}

/* ------------------------------------------------------------------ */
/* Generators                                                           */
/* ------------------------------------------------------------------ */

/* A lifetime that ends only at a free_all event (or with the run). */
#define GEN_HELD	UINT64_MAX

/* The heavy-tailed laws and until_free_all: out of line. */
static __attribute__((noinline)) uint64_t draw_lifetime_law(struct gen_cpu *gc)
{
	const struct wl_generator *g = gc->g;

	switch (g->lifetime) {
	case WL_DIST_LOGNORMAL:
		return dist_ns(dist_lognormal(&gc->rng, gc->lifetime_ns,
					      g->lifetime_sigma));
	case WL_DIST_PARETO:
		return dist_ns(dist_pareto(&gc->rng, gc->lifetime_ns,
					   g->lifetime_alpha));
	default:
		return GEN_HELD;
	}
}

static inline uint64_t draw_lifetime(struct gen_cpu *gc)
{
	const struct wl_generator *g = gc->g;

	switch (g->lifetime) {
	case WL_DIST_EXP:
		return dist_exp(&gc->rng, gc->lifetime_ns);
	case WL_DIST_UNIFORM:
		return dist_uniform(&gc->rng, g->lifetime_a, g->lifetime_b);
	case WL_DIST_FIXED:
		return g->lifetime_a;
	default:
		return draw_lifetime_law(gc);
	}
}

/* Fixed, on/off and burst arrivals: the gap to the next one (sim/dist.h). */
static __attribute__((noinline)) uint64_t draw_gap_law(struct gen_cpu *gc)
{
	uint64_t t = arrivals_next(&gc->arr, &gc->rng);
	uint64_t gap = t - gc->arr_prev;

	gc->arr_prev = t;
	return gap;
}

static inline uint64_t draw_gap(struct gen_cpu *gc)
{
	if (__builtin_expect(gc->g->arrivals != WL_ARR_POISSON, 0))
		return draw_gap_law(gc);
	/* Poisson arrivals: exponential gaps with mean 1/rate. */
	uint64_t gap = dist_exp(&gc->rng, gc->mean_gap_ns);

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

/*
 * The CPU that frees: free_on's list round robin, or for other_node and
 * any a CPU drawn from the generator's placement stream (its own, so
 * the choice leaves arrivals and lifetimes as they were).
 */
static inline int gen_pick_free_cpu(struct gen_cpu *gc)
{
	if (__builtin_expect(gc->nr_free_cands == 0, 1))
		return gen_free_cpu(gc);
	return gc->free_cands[rng_below(&gc->place,
					(uint64_t)gc->nr_free_cands)];
}

/* alloc_node's next node, round robin. */
static inline int gen_next_node(struct gen_cpu *gc)
{
	const struct wl_generator *g = gc->g;
	int node = g->alloc_nodes[gc->node_i];

	if (++gc->node_i == (unsigned int)g->nr_alloc_nodes)
		gc->node_i = 0;
	return node;
}

static inline void *gen_cache_alloc(struct gen_cpu *gc, struct kmem_cache *c)
{
	const struct wl_generator *g = gc->g;

	if (__builtin_expect(!g->nr_alloc_nodes, 1))
		return kmem_cache_alloc(c, g->gfp);
	return kmem_cache_alloc_node(c, g->gfp, gen_next_node(gc));
}

static inline void *gen_kmalloc(struct gen_cpu *gc, uint64_t size)
{
	const struct wl_generator *g = gc->g;

	if (__builtin_expect(!g->nr_alloc_nodes, 1))
		return __kmalloc(size, g->gfp);
	return kmalloc_node(size, g->gfp, gen_next_node(gc));
}

/* A kmalloc generator's size: fixed, uniform in [min, max], or a histogram. */
static inline uint64_t gen_kmalloc_size(struct gen_cpu *gc)
{
	const struct wl_generator *g = gc->g;
	uint64_t size = g->kmalloc_min;

	if (g->nr_sizes)
		return g->sizes[dist_hist(&gc->rng, g->size_cum, g->nr_sizes)];
	if (g->kmalloc_max > g->kmalloc_min)
		size += rng_below(&gc->rng, g->kmalloc_max - g->kmalloc_min + 1);
	return size;
}

/* An object of an until_free_all generator waits for its free_all. */
static void gen_hold(struct gen_cpu *gc, struct gen_obj *o)
{
	struct gen_held *h = &gc->run->held[gc->g - gc->run->wl->generators];

	o->next_held = NULL;
	if (h->tail)
		h->tail->next_held = o;
	else
		h->head = o;
	h->tail = o;
}

static void gen_free(void *arg)
{
	struct gen_obj *o = arg;
	struct run *r = o->run;
	struct machine *m = r->m;

	machine_op_begin(m);
	m->call_site = r->free_site;
	r->res.ops++;
	if (o->touch_free)
		touch_live(r, &o->l, o->touch_free, true /* write */);
	free_live(r, &o->l, -1, o->l.site);	/* the generator's line */
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

	if (__builtin_expect(!gc->sc && g->cache >= 0 &&
			     r->creating[g->cache], 0)) {
		cache_wait(r, g->cache, gen_alloc, gc, gc->cpu,
			   r->t0 + gc->next_t);
		return;
	}
	machine_op_begin(m);
	m->call_site = gc->call_site;
	r->res.ops++;
	if (r->progress)
		progress_run_tick(r->res.ops, r->res.events, engine_now(m->eng) - r->t0);
	if (o) {
		r->pool = o->next_free;
	} else {
		o = xcalloc(1, sizeof(*o));
		o->run = r;
		if (r->nr_gen_all == r->gen_all_cap) {
			r->gen_all_cap = r->gen_all_cap ? 2 * r->gen_all_cap : 256;
			r->gen_all = xrealloc(r->gen_all, r->gen_all_cap *
					      sizeof(*r->gen_all));
		}
		r->gen_all[r->nr_gen_all++] = o;
	}
	if (g->cache >= 0) {
		struct sim_cache *sc = gc->sc ? gc->sc : gen_find_cache(gc);
		struct kmem_cache *c = sc ? sc->cachep : NULL;

		vtime_t t0 = engine_op_clock(m->eng);
		obj = c ? gen_cache_alloc(gc, c) : NULL;
		if (c)
			lat_note(r, gc->mi, LAT_ALLOC, t0);
		account_alloc(r, &o->l, obj, gc->mi, gc->size, false,
			      gc->site_row);
		/*
		 * cachep again: while this CPU waited inside the allocation,
		 * another may have destroyed the cache.
		 */
		if (obj && g->touch && sc->cachep)
			touch_obj(sc, obj, g->touch, true /* write */,
				  true /* live */);
	} else {
		uint64_t size = gen_kmalloc_size(gc);
		vtime_t t0 = engine_op_clock(m->eng);
		obj = gen_kmalloc(gc, size);
		vtime_t dt = engine_op_clock(m->eng) - t0;
		account_alloc(r, &o->l, obj, -1, size, true, gc->site_row);
		int kc = obj ? o->l.cache : kmalloc_size_cache(r, size, g->gfp);
		if (kc >= 0)
			lat_record(&users_of(r, kc)->lat[LAT_KMALLOC], dt);
		if (obj && g->touch)
			touch_live(r, &o->l, g->touch, true);
	}
	if (obj) {
		int free_cpu = gen_pick_free_cpu(gc);
		/*
		 * Both draws back to back, in stream order: the two
		 * logarithms are long dependency chains that the host
		 * overlaps only when nothing sits between them.
		 */
		uint64_t life = draw_lifetime(gc);
		gap = draw_gap(gc);
		uint64_t t = engine_now_fast(m->eng) + life;
		o->touch_free = g->touch_free;
		/* a CPU gone down (this one, finishing its operation, too):
		   the lowest one online frees instead */
		free_cpu = engine_online_or_first(m->eng, free_cpu);
		if (__builtin_expect(life == GEN_HELD, 0))
			gen_hold(gc, o);
		else if (t < r->end_abs)
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

/*
 * A generator's walk (walk: {every, ...}): each of its CPUs walks the
 * generator's cache every `every` ns from the generator's start, until it
 * stops allocating. While the cache does not exist, the walk is skipped.
 */
static void gen_walk(void *arg)
{
	struct gen_cpu *gc = arg;
	struct run *r = gc->run;
	struct machine *m = r->m;
	const struct wl_gen_walk *w = &gc->g->walk;
	struct sim_cache *sc = gc->sc ? gc->sc : gen_find_cache(gc);

	machine_op_begin(m);
	m->call_site = gc->call_site;
	r->res.ops++;
	if (sc)
		walk_cache(r, gc->mi, w->offset, w->bytes, w->write, 1);
	gc->next_walk_t += w->every;
	if (gc->next_walk_t < gc->stop_t)
		engine_post(m->eng, r->t0 + gc->next_walk_t, gc->cpu, gen_walk,
			    gc);
	machine_op_end(m);
}

/* Posts the first walk of every generator CPU that walks. */
static void post_gen_walks(struct run *r)
{
	for (size_t i = 0; i < r->nr_gens; i++) {
		struct gen_cpu *gc = &r->gens[i];

		if (!gc->g->walk.every || gc->g->cache < 0)
			continue;
		gc->next_walk_t = gc->g->from + gc->g->walk.every;
		if (gc->next_walk_t < gc->stop_t)
			engine_post(r->m->eng, r->t0 + gc->next_walk_t, gc->cpu,
				    gen_walk, gc);
	}
}

/* One object of a free_all, freed by the event's CPU. */
static void gen_free_held(void *arg)
{
	struct gen_obj *o = arg;
	struct run *r = o->run;
	struct machine *m = r->m;

	machine_op_begin(m);
	m->call_site = o->site;
	r->res.ops++;
	if (o->touch_free)
		touch_live(r, &o->l, o->touch_free, true /* write */);
	free_live(r, &o->l, -1, o->free_row);
	o->next_free = r->pool;
	r->pool = o;
	machine_op_end(m);
}

/*
 * free_all: GENERATOR. Every object the generator holds now is freed by
 * the event's CPU, oldest first, one operation each, queued at the
 * event's time behind this one.
 */
static void gen_free_all(struct run *r, const struct wl_event *ev)
{
	struct gen_held *h = &r->held[ev->gen];
	struct gen_obj *o = h->head, *next;

	h->head = h->tail = NULL;
	for (; o; o = next) {
		next = o->next_held;
		o->site = ev->site >= 0 ? named_site_addr(ev->site) :
			  call_site_of(ev->line);
		o->free_row = event_site_row(r, ev);
		engine_post(r->m->eng, r->t0 + ev->t, ev->cpu, gen_free_held, o);
	}
}

/*
 * What a generator CPU needs beyond Poisson arrivals and free_on lists:
 * the arrival process, the CPUs other_node/any may free on, and (once
 * per run) the lists of held objects. gi is the generator's index.
 */
static void gen_setup_laws(struct run *r, struct gen_cpu *gc, size_t gi)
{
	const struct wl_generator *g = gc->g;
	struct engine *e = r->m->eng;

	if (!r->held)
		r->held = xcalloc(r->wl->nr_generators + 1, sizeof(*r->held));
	rng_seed(&gc->place, r->wl->seed, (1ULL << 32) + gi * WL_MAX_CPUS +
		 (uint64_t)gc->cpu);
	gc->nr_free_cands = 0;
	if (g->free_mode == WL_FREE_OTHER_NODE || g->free_mode == WL_FREE_ANY)
		for (int cpu = 0; cpu < r->m->nr_cpus; cpu++)
			if (g->free_mode == WL_FREE_ANY ||
			    engine_cpu_node(e, cpu) != engine_cpu_node(e, gc->cpu))
				gc->free_cands[gc->nr_free_cands++] = (uint8_t)cpu;
	gc->arr_prev = g->from;
	if (g->arrivals == WL_ARR_POISSON)
		return;
	gc->arr.kind = g->arrivals == WL_ARR_FIXED ? ARR_FIXED :
		       g->arrivals == WL_ARR_ONOFF ? ARR_ONOFF : ARR_BURST;
	gc->arr.poisson = !g->spacing_fixed;
	gc->arr.gap = gc->mean_gap_ns;
	gc->arr.from = g->from;
	gc->arr.on = g->on;
	gc->arr.off = g->off;
	gc->arr.count = g->burst_count;
	gc->arr.every = g->burst_every;
	arrivals_start(&gc->arr);
}

/* ------------------------------------------------------------------ */
/* Globals: snapshots, samples, the end                                 */
/* ------------------------------------------------------------------ */

static void take_snapshot(void *arg)
{
	struct evrec *rec = arg;
	struct run *r = R;
	struct seq_file s;

	if (barrier_wait(r, rec->ev.t, take_snapshot, rec))
		return;
	r->res.snaps = xrealloc(r->res.snaps,
				(r->res.nr_snaps + 1) * sizeof(*r->res.snaps));
	sb_init(&s.sb);
	slabinfo_show(&s);
	r->res.snaps[r->res.nr_snaps].t = rec->ev.t;
	r->res.snaps[r->res.nr_snaps].text = s.sb;
	r->res.nr_snaps++;
	rec_put(r, rec);
}

static __attribute__((noreturn)) void input_error(const char *err);

/*
 * An expectation's `at:` time: what it reads, taken at the same point of
 * the run as a slabinfo snapshot of that time (see take_snapshot). The
 * summary is rendered as if the run had ended at t.
 */
static void take_expect_capture(void *arg)
{
	struct expect_capture *c = arg;
	struct run *r = R;

	if (barrier_wait(r, c->t, take_expect_capture, c))
		return;
	if (c->want_slabinfo) {
		struct seq_file s;
		sb_init(&s.sb);
		slabinfo_show(&s);
		c->slabinfo = s.sb;
	}
	if (c->want_summary) {
		struct run_result now = r->res;
		now.end_t = c->t;
		sb_init(&c->summary);
		report_summary_json(&now, &c->summary);
	}
	c->taken = true;
}

/* One capture per distinct `at:` time, posted like snapshots. */
static void post_expect_captures(struct run *r)
{
	const struct workload *wl = r->wl;

	r->res.caps = xcalloc(wl->nr_expects ? wl->nr_expects : 1,
			      sizeof(*r->res.caps));
	for (size_t i = 0; i < wl->nr_expects; i++) {
		const struct wl_expect *e = &wl->expects[i];
		size_t k;

		if (!e->at_given)
			continue;
		for (k = 0; k < r->res.nr_caps; k++)
			if (r->res.caps[k].t == e->at)
				break;
		if (k == r->res.nr_caps)
			r->res.caps[r->res.nr_caps++].t = e->at;
		if (e->source == EX_SUMMARY)
			r->res.caps[k].want_summary = true;
		else
			r->res.caps[k].want_slabinfo = true;
	}
	for (size_t k = 0; k < r->res.nr_caps; k++)
		engine_post_global(r->m->eng, r->t0 + r->res.caps[k].t,
				   take_expect_capture, &r->res.caps[k]);
}

static void take_sample(void *arg)
{
	struct run *r = R;
	uint64_t t = (uint64_t)(uintptr_t)arg;

	/*
	 * The loader bounds the samples over the run's length as far as it
	 * knows it; a run whose end comes from its events is known only as
	 * they are read.
	 */
	if (++r->nr_samples > WL_MAX_SAMPLES + 1) {	/* and t = 0 */
		char err[800];

		snprintf(err, sizeof(err), "%s: sample: %llu ns over a run past "
			 "%llu ns is more than %llu samples: sample less often",
			 r->wl->file, (unsigned long long)r->wl->sample,
			 (unsigned long long)t, (unsigned long long)WL_MAX_SAMPLES);
		input_error(err);
	}

	machine_label_locks(r->m);
	report_sample(&r->res, t);
	if (t + r->wl->sample <= r->end_t)
		engine_post_global(r->m->eng, r->t0 + t + r->wl->sample, take_sample,
				   (void *)(uintptr_t)(t + r->wl->sample));
}

/* The end: once every event of its time or earlier has run. */
static void end_run(void *arg)
{
	struct run *r = R;

	if (barrier_wait(r, r->end_t, end_run, arg))
		return;
	engine_stop(r->m->eng, 0);
}

/* ------------------------------------------------------------------ */
/* Feeding the engine from the file                                     */
/* ------------------------------------------------------------------ */

/*
 * Events are read while the run goes, FEED_BATCH at a time, each posted
 * with its own engine sequence number from a range reserved before the
 * run: they run exactly as if all had been posted at the start, and
 * memory holds only what is posted and not yet run.
 */
#define FEED_BATCH	64
#define SEQ_RESERVED	(1ULL << 50)	/* events, then the end */

/* Bad input found late: one line, exit 2, nothing written. */
static __attribute__((noreturn)) void input_error(const char *err)
{
	progress_end();
	user_error("%s", err);
}

/* The next event into r->next_ev; false at the end of the file. */
static bool read_event(struct run *r)
{
	char err[512];
	int rc = workload_next_event(r->wl, &r->next_ev, err, sizeof(err));

	if (rc < 0)
		input_error(err);
	if (rc == 0) {
		r->input_done = true;
		return false;
	}
	r->res.events++;
	r->last_t = r->next_ev.t;
	return true;
}

/* The CPU an event runs on (hotplug notifiers: the lowest one online). */
static int event_cpu(struct run *r, const struct wl_event *ev)
{
	int cpu = ev->cpu < 0 ? 0 : ev->cpu;

	if (ev->op == WL_MEMPOLICY)
		cpu = ev->node;
	if (ev->op == WL_CPU_DOWN || ev->op == WL_CPU_UP) {
		r->online[ev->node] = ev->op == WL_CPU_UP;
		for (cpu = 0; cpu < r->m->nr_cpus; cpu++)
			if (r->online[cpu] && cpu != ev->node)
				break;
	}
	return cpu >= r->m->nr_cpus ? 0 : cpu;
}

static struct evrec *post_event(struct run *r, const struct wl_event *ev)
{
	struct engine *e = r->m->eng;
	struct evrec *rec = rec_get(r);
	uint64_t t = r->t0 + ev->t;

	rec->ev = *ev;
	rec->ordered_wait = false;
	rec->downing = false;
	uint64_t seq = r->seq_base + r->nr_posted++;
	if (ev->op == WL_SLABINFO) {
		engine_post_global_seq(e, t, take_snapshot, rec, seq);
		return rec;
	}
	if (ev->op == WL_CREATE)
		r->creating[ev->cache]++;
	if (ev->name >= 0) {
		struct live *l = live_of(r, ev->name);

		workload_slot_hold(r->wl, ev->name);
		if (op_allocates(ev->op)) {
			/* a fresh slot: whatever it held before is gone */
			memset(l, 0, sizeof(*l));
			l->pending = true;
		} else {
			rec->obj_idx = ++l->posted;
		}
	}
	rec->next = NULL;
	rec->prev = r->unrun_tail;
	if (r->unrun_tail)
		r->unrun_tail->next = rec;
	else
		r->unrun_head = rec;
	r->unrun_tail = rec;
	engine_post_seq(e, t, event_cpu(r, ev), run_event, rec, seq);
	return rec;
}

/* The end of the run when the workload gives no duration: now known. */
static void input_end(struct run *r)
{
	const struct workload *wl = r->wl;
	uint64_t end = r->last_t;

	for (size_t i = 0; i < wl->nr_generators; i++)
		end = wl->generators[i].until > end ? wl->generators[i].until : end;
	r->end_t = end + 1;
	r->end_abs = r->t0 + r->end_t;
	engine_post_global_seq(r->m->eng, r->end_abs, end_run, NULL,
			       r->seq_base + SEQ_RESERVED - 1);
	r->end_posted = true;
}

static void feed_events(void *arg)
{
	struct run *r = arg;
	struct engine *e = r->m->eng;

	for (int n = 0; n < FEED_BATCH && r->have_next; n++) {
		/* past an explicit end: counted by the drain after the run */
		if (r->wl->duration_given && r->next_ev.t > r->end_t)
			return;
		struct evrec *rec = post_event(r, &r->next_ev);

		r->have_next = read_event(r);
		/* a fence: nothing after it is posted until it has run */
		if (rec->ev.op == WL_CPU_DOWN || rec->ev.op == WL_CPU_UP) {
			r->fence = rec;
			break;
		}
	}
	if (r->have_next && !r->fence)
		engine_feed_at(e, r->t0 + r->next_ev.t);
	else if (!r->have_next && !r->end_posted)
		input_end(r);
}

static void count_not_run(struct run *r, const struct wl_event *ev)
{
	if (!r->res.not_run) {
		r->first_not_run_line = ev->line;
		r->first_not_run_t = ev->t;
	}
	r->res.not_run++;
}

/*
 * After the run: the events posted but not run (a run stopped by a BUG
 * leaves some), then the rest of the file, read and checked, not run.
 */
static void drain_events(struct run *r)
{
	for (const struct evrec *p = r->unrun_head; p; p = p->next)
		count_not_run(r, &p->ev);
	while (r->have_next) {
		count_not_run(r, &r->next_ev);
		r->have_next = read_event(r);
	}
}

/* ------------------------------------------------------------------ */
/* Setting a run up                                                     */
/* ------------------------------------------------------------------ */

static void create_boot_caches(void *arg)
{
	struct run *r = arg;

	for (size_t i = 0; i < r->wl->nr_caches; i++)
		if (r->wl->caches[i].at_boot) {
			/* each creation is an operation of its own */
			machine_lockup_restart(r->m);
			create_cache(r, (int)i);
		}
	/* Workload events may start only once these caches exist. */
	engine_stop(r->m->eng, 0);
}

static void post_workload(struct run *r)
{
	const struct workload *wl = r->wl;
	struct engine *e = r->m->eng;

	for (int cpu = 0; cpu < r->m->nr_cpus; cpu++)
		r->online[cpu] = true;
	/* the events' place in the engine's order: here, as if all posted */
	r->seq_base = engine_reserve_seq(e, SEQ_RESERVED);
	r->have_next = read_event(r);
	if (r->have_next) {
		engine_set_feeder(e, feed_events, r);
		engine_feed_at(e, r->t0 + r->next_ev.t);
	}
	if (wl->duration_given) {
		r->end_t = wl->duration;
		r->end_abs = r->t0 + r->end_t;
		engine_post_global_seq(e, r->end_abs, end_run, NULL,
				       r->seq_base + SEQ_RESERVED - 1);
		r->end_posted = true;
	} else {
		/* until the file is read: no end */
		r->end_t = WL_MAX_TIME * 2;
		r->end_abs = VTIME_NEVER;
		if (!r->have_next)
			input_end(r);
	}

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
			gc->site_row = site_row(r, SITE_LINE, (int)g->line);
			gc->mean_gap_ns = 1e9 / g->rate;
			gc->lifetime_ns = (double)g->lifetime_a;
			gc->mi = -1;
			if (g->cache >= 0)
				gc->size = wl->caches[g->cache].size;
			gc->stop_t = g->until < r->end_t ? g->until : r->end_t;
			rng_seed(&gc->rng, wl->seed, 1000 + i * WL_MAX_CPUS +
				 (uint64_t)gc->cpu);
			gen_setup_laws(r, gc, i);
			gc->next_t = g->from + draw_gap(gc);
			if (gc->next_t < gc->stop_t)
				engine_post(e, r->t0 + gc->next_t, gc->cpu,
					    gen_alloc, gc);
		}
	}
	post_expect_captures(r);
	if (wl->sample)
		engine_post_global(e, r->t0, take_sample, (void *)(uintptr_t)0);
}

/* ------------------------------------------------------------------ */
/* The access trace (--access-trace FILE)                               */
/* ------------------------------------------------------------------ */

/*
 * Written to FILE.partial while the run goes, renamed to FILE when the
 * run directory is written: a run that stops on bad input leaves no
 * trace behind (an exit handler removes the partial file).
 */
static char trace_partial[4200];

static void trace_remove_partial(void)
{
	if (trace_partial[0])
		unlink(trace_partial);
}

static void access_trace_open(struct machine *m, const char *path)
{
	static bool registered;

	if (!m->cm)
		user_error("--access-trace: the cache-line model is off (machine.caches.model: false), so there are no accesses to trace");
	if (strlen(path) + sizeof(".partial") > sizeof(trace_partial))
		user_error("--access-trace: the file name is too long");
	snprintf(trace_partial, sizeof(trace_partial), "%s.partial", path);
	if (!registered) {
		atexit(trace_remove_partial);
		registered = true;
	}
	m->access_trace = fopen(trace_partial, "w");
	if (!m->access_trace) {
		int err = errno;
		trace_partial[0] = '\0';
		user_error("%s: cannot write: %s", path, strerror(err));
	}
	setvbuf(m->access_trace, NULL, _IOFBF, 1 << 20);
	fputs("# slabsim access trace: cpu node addr len rw home tag\n", m->access_trace);
	m->cm_fast_pages = 0;	/* every touch by way of the trace */
}

static void access_trace_close(struct machine *m, const char *path)
{
	int bad = ferror(m->access_trace);

	if (fclose(m->access_trace) != 0 || bad) {
		int err = errno;
		m->access_trace = NULL;
		user_error("%s: cannot write: %s", path, strerror(err));
	}
	m->access_trace = NULL;
	m->cm_fast_pages = m->nr_pages;
	if (rename(trace_partial, path) != 0) {
		int err = errno;
		user_error("%s: cannot create: %s", path, strerror(err));
	}
	trace_partial[0] = '\0';
}

static void free_run(struct run *r)
{
	for (size_t i = 0; i < r->res.nr_snaps; i++)
		sb_free(&r->res.snaps[i].text);
	free(r->res.snaps);
	for (size_t i = 0; i < r->res.nr_users; i++)
		for (int k = 0; k < LAT_NR_KINDS; k++)
			free(r->res.users[i].lat[k]);
	free(r->res.users);
	for (size_t i = 0; i < r->res.nr_caps; i++) {
		sb_free(&r->res.caps[i].summary);
		sb_free(&r->res.caps[i].slabinfo);
	}
	free(r->res.caps);
	sb_free(&r->res.expect_json);
	sb_free(&r->res.junit);
	sb_free(&r->res.expect_text);
	free(r->res.lock_prev);
	sb_free(&r->res.timeseries);
	sb_free(&r->res.fragmentation);
	sb_free(&r->res.final_slabinfo);
	/* the pool's and those in flight alike */
	for (size_t i = 0; i < r->nr_gen_all; i++)
		free(r->gen_all[i]);
	free(r->gen_all);
	r->pool = NULL;
	free(r->gens);
	for (size_t i = 0; i < r->nr_chunks; i++)
		free(r->names[i]);
	free(r->walk_lists);
	free(r->held);
	free(r->names);
	while (r->all_recs) {
		struct evrec *rec = r->all_recs;
		r->all_recs = rec->all_next;
		free(rec);
	}
	free(r->barriers);
	for (size_t i = 0; i < r->wl->nr_caches; i++)
		while (r->cache_waiters[i]) {
			struct cache_wait *w = r->cache_waiters[i];
			r->cache_waiters[i] = w->next;
			free(w);
		}
	free(r->cache_waiters);
	free(r->creating);
	free(r->res.sites);
	free(r->site_keys);
	free(r->named_rows);
	free(r->site_hash);
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

	if (r->res.not_run && r->res.status != RUN_OK)
		note(r, "%llu event%s not run: the run stopped first; the first at %s:%u, t=%llu ns",
		     (unsigned long long)r->res.not_run,
		     r->res.not_run == 1 ? "" : "s", r->wl->file,
		     r->first_not_run_line,
		     (unsigned long long)r->first_not_run_t);
	else if (r->res.not_run)
		note(r, "%llu event%s after the end of the run (duration %llu ns) not run; the first at %s:%u, t=%llu ns",
		     (unsigned long long)r->res.not_run,
		     r->res.not_run == 1 ? "" : "s",
		     (unsigned long long)r->end_t, r->wl->file,
		     r->first_not_run_line,
		     (unsigned long long)r->first_not_run_t);
	sb_init(&s.sb);
	slabinfo_show(&s);
	r->res.final_slabinfo = s.sb;
	r->res.consistent = r->res.status == RUN_OK && slab_core_is_consistent();
	machine_label_locks(r->m);
	for (size_t i = 0; i < r->res.nr_users; i++)
		for (int k = 0; k < LAT_NR_KINDS; k++)
			if (r->res.users[i].lat[k])
				lat_finish(r->res.users[i].lat[k]);
	if (r->m->fault_page.rule)
		printk(KERN_INFO "FAULT_INJECTION: fail_page_alloc failed %llu of %llu candidate page allocations\n",
		       (unsigned long long)r->m->fault_page.injected,
		       (unsigned long long)r->m->fault_page.candidates);
	if (r->wl->sample && r->res.status == RUN_OK)
		report_sample(&r->res, r->res.end_t);
}

int run_workload(struct workload *wl, const struct run_options *opt)
{
	struct run run = { 0 };
	struct run *r = &run;
	char err[256];

	R = r;
	r->wl = wl;
	r->res.wl = wl;
	r->m = machine_create(wl, err, sizeof(err));
	if (!r->m)
		user_error("%s: %s", wl->file, err);
	r->m->check = opt->check;
	r->res.checked = opt->check;
	if (opt->access_trace)
		access_trace_open(r->m, opt->access_trace);
	r->res.m = r->m;
	r->wl_cache = xcalloc(wl->nr_caches ? wl->nr_caches : 1, sizeof(int));
	r->creating = xcalloc(wl->nr_caches ? wl->nr_caches : 1,
			      sizeof(*r->creating));
	r->cache_waiters = xcalloc(wl->nr_caches ? wl->nr_caches : 1,
				   sizeof(*r->cache_waiters));
	for (size_t i = 0; i < wl->nr_caches; i++)
		r->wl_cache[i] = -1;
	sb_init(&r->res.timeseries);
	sb_init(&r->res.fragmentation);
	sb_init(&r->res.final_slabinfo);

	slab_set_slabinfo_stats(!opt->slabinfo_plain);
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
		post_gen_walks(r);
		r->progress = opt->progress;
		progress_run_start(r->progress, wl->duration_given ? r->end_t : 0);
		if (!run_guarded(r))
			status = RUN_KERNEL_BUG;
		progress_end();
	}
	/* bad input anywhere in the file still wins: nothing is written */
	drain_events(r);
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

	/* Expectations are judged before anything is written: a figure
	 * that does not exist is bad input, and leaves nothing behind. */
	unsigned int failed = wl->nr_expects ? report_expectations(&r->res) : 0;
	report_write_run_dir(&r->res, opt);
	if (r->m->access_trace)
		access_trace_close(r->m, opt->access_trace);
	if (!opt->quiet)
		report_print_summary(&r->res, opt->out_dir, stdout);
	if (r->res.expect_text.buf && (!opt->quiet || failed))
		fputs(r->res.expect_text.buf, stdout);
	if (failed && status == RUN_OK)
		status = RUN_EXPECT_FAILED;
	free_run(r);
	R = NULL;
	return status;
}
