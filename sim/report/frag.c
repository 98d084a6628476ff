/*
 * Fragmentation you can measure. Two kinds of it meet here: inside the
 * slab (bytes held in slab pages that no user asked for: size-class
 * rounding, left-over, management, free slots, objects parked in the
 * array caches) and outside it (the buddy allocator's free memory cut
 * into blocks too small for a request, Gorman's indices per order). One
 * long-format fragmentation.csv carries both over time, a row `kind`
 * telling which columns a row fills; the page allocation failure report
 * and the summary's headline figures come from here too.
 */
#include <stdlib.h>
#include <string.h>

#include "sim/report/frag.h"
#include "sim/report/report.h"

/* ------------------------------------------------------------------ */
/* Slab-level waste                                                     */
/* ------------------------------------------------------------------ */

static const struct user_stats *users_at(const struct run_result *res,
					 size_t i)
{
	static const struct user_stats none;

	return i < res->nr_users ? &res->users[i] : &none;
}

void slab_waste_of(const struct run_result *res, size_t i,
		   const struct kmem_cache_info *info, struct slab_waste *w)
{
	const struct user_stats *u = users_at(res, i);
	uint64_t bs, slabs, parked;

	memset(w, 0, sizeof(*w));
	bs = info->buffer_size;
	slabs = info->full_slabs + info->partial_slabs + info->free_slabs;
	w->pages = slabs << info->gfporder;
	w->held = w->pages * PAGE_SIZE;
	w->requested = u->live_bytes;
	w->objects = (uint64_t)info->active_objs * info->obj_size;
	w->rounding = (int64_t)(u->live_objs * bs) - (int64_t)u->live_bytes;
	w->parked_cpu = (uint64_t)info->cpu_avail * bs;
	w->parked_shared = (uint64_t)info->shared_avail * bs;
	w->parked_alien = (uint64_t)info->alien_avail * bs;
	parked = info->cpu_avail + info->shared_avail + info->alien_avail;
	w->idle_free = (uint64_t)info->free_slabs * info->num * bs;
	w->idle_partial = (uint64_t)(info->num_objs - info->active_objs) * bs -
			  w->idle_free;
	/* What neither a user nor an array holds: the core's own objects
	 * (array caches, kmem_list3, off-slab descriptors, kmem_cache). */
	w->kernel_objs = ((int64_t)info->active_objs - (int64_t)u->live_objs -
			  (int64_t)parked) * (int64_t)bs;
	w->left_over = slabs * info->left_over;
	if (info->off_slab)
		w->mgmt_offslab = slabs * info->slab_size;
	else
		w->mgmt = slabs * info->slab_size;
}

static void waste_add(struct slab_waste *t, const struct slab_waste *w)
{
	t->pages += w->pages;
	t->held += w->held;
	t->requested += w->requested;
	t->objects += w->objects;
	t->rounding += w->rounding;
	t->parked_cpu += w->parked_cpu;
	t->parked_shared += w->parked_shared;
	t->parked_alien += w->parked_alien;
	t->idle_partial += w->idle_partial;
	t->idle_free += w->idle_free;
	t->kernel_objs += w->kernel_objs;
	t->left_over += w->left_over;
	t->mgmt += w->mgmt;
	t->mgmt_offslab += w->mgmt_offslab;
}

/* A cache that never grew and never served a user is left out of rows. */
static bool cache_in_use(const struct run_result *res, size_t i,
			 const struct kmem_cache_info *info)
{
	return info->grown || info->num_objs || users_at(res, i)->allocs;
}

/* ------------------------------------------------------------------ */
/* fragmentation.csv                                                    */
/* ------------------------------------------------------------------ */

/*
 * One header for every kind of row; a row leaves empty the columns that
 * are not its kind's, so tools that address columns by name (gnuplot,
 * pandas) read any kind straight from the one file.
 */
static const char frag_columns[] =
	"t_ms,kind,node,zone,order,"
	"nr_free,unusable_index,fragmentation_index,"		/* buddy */
	"managed_pages,free_pages,slab_pages,wmark_min,wmark_low,wmark_high," /* zone */
	"cache,objsize,objperslab,pagesperslab,active_objs,num_objs,user_objs,"
	"pages,bytes_held,bytes_requested,bytes_objects,rounding,parked_cpu,"
	"parked_shared,parked_alien,idle_partial,idle_free,kernel_objs,"
	"left_over,mgmt,mgmt_offslab\n";			/* slab */

/* Empty cells after the last column a kind fills, up to the row's end. */
#define ZONE_TAIL	",,,,,,,,,,,,,,,,,,,,,"		/* 21 slab columns */
#define BUDDY_TAIL	",,,,,," ZONE_TAIL		/* + 6 zone columns */

void report_frag_header(struct strbuf *sb)
{
	sb_puts(sb, frag_columns);
}

/* A row's t_ms, "12.345": formatted once per sample, put on every row. */
static void fmt_t(char buf[32], uint64_t t)
{
	uint64_t t_us = t / 1000;

	snprintf(buf, 32, "%llu.%03llu", (unsigned long long)(t_us / 1000),
		 (unsigned long long)(t_us % 1000));
}

static void put_waste(struct strbuf *sb, const struct slab_waste *w)
{
	sb_printf(sb, "%llu,%llu,%llu,%llu,%lld,%llu,%llu,%llu,%llu,%llu,"
		  "%lld,%llu,%llu,%llu\n",
		  (unsigned long long)w->pages, (unsigned long long)w->held,
		  (unsigned long long)w->requested,
		  (unsigned long long)w->objects, (long long)w->rounding,
		  (unsigned long long)w->parked_cpu,
		  (unsigned long long)w->parked_shared,
		  (unsigned long long)w->parked_alien,
		  (unsigned long long)w->idle_partial,
		  (unsigned long long)w->idle_free, (long long)w->kernel_objs,
		  (unsigned long long)w->left_over,
		  (unsigned long long)w->mgmt,
		  (unsigned long long)w->mgmt_offslab);
}

static void sample_zones(struct run_result *res, const char *ts)
{
	struct machine *m = res->m;
	struct strbuf *sb = &res->fragmentation;
	struct pa_zone_info zi;
	int nid, z;

	for_each_present_zone(m, nid, z, zi) {
		for (unsigned int order = 0; order < PA_MAX_ORDER; order++) {
			sb_puts(sb, ts);
			sb_printf(sb, ",buddy,%d,%s,%u,%llu,", nid,
				  zone_names[z], order,
				  (unsigned long long)zi.nr_free[order]);
			put_milli(sb, frag_unusable_index(zi.nr_free, order));
			sb_putc(sb, ',');
			put_milli(sb, frag_fragmentation_index(zi.nr_free, order));
			sb_puts(sb, BUDDY_TAIL "\n");
		}
		sb_puts(sb, ts);
		sb_printf(sb, ",zone,%d,%s,,,,,%llu,%llu,%llu,%llu,%llu,%llu"
			  ZONE_TAIL "\n", nid, zone_names[z],
			  (unsigned long long)zi.managed,
			  (unsigned long long)zi.free_pages,
			  /*
			   * Slab is the only user of the page allocator
			   * (kmem_getpages; bootmem is not managed), and sets
			   * PG_slab on a block with no sync point after getting
			   * it: the zone's allocated pages are its slab pages.
			   */
			  (unsigned long long)(zi.managed - zi.free_pages),
			  (unsigned long long)zi.wmark_min,
			  (unsigned long long)zi.wmark_low,
			  (unsigned long long)zi.wmark_high);
	}
}

static void sample_slabs(struct run_result *res, const char *ts,
			 const struct kmem_cache_info *infos)
{
	struct machine *m = res->m;
	struct strbuf *sb = &res->fragmentation;
	struct slab_waste total;

	memset(&total, 0, sizeof(total));
	for (size_t i = 0; i < m->nr_caches; i++) {
		const struct kmem_cache_info *info = &infos[i];
		struct slab_waste w;

		if (!m->caches[i]->cachep)
			continue;
		slab_waste_of(res, i, info, &w);
		waste_add(&total, &w);
		if (!cache_in_use(res, i, info))
			continue;
		sb_puts(sb, ts);
		sb_printf(sb, ",slab,,,,,,,,,,,,,%s,%u,%u,%u,%lu,%lu,%llu,",
			  m->caches[i]->name, info->buffer_size, info->num,
			  1u << info->gfporder, info->active_objs, info->num_objs,
			  (unsigned long long)users_at(res, i)->live_objs);
		put_waste(sb, &w);
	}
	sb_puts(sb, ts);
	sb_puts(sb, ",slab_total,,,,,,,,,,,,,,,,,,,,");
	put_waste(sb, &total);
}

void report_frag_sample(struct run_result *res, uint64_t t,
			const struct kmem_cache_info *infos)
{
	char ts[32];

	fmt_t(ts, t);
	sample_zones(res, ts);
	sample_slabs(res, ts, infos);
}

/* ------------------------------------------------------------------ */
/* Page allocation failures                                             */
/* ------------------------------------------------------------------ */

/*
 * What the failures of the active machine were. A machine has no room for
 * this (machine.h is not ours), so it lives here, tied to the machine it
 * describes: the first failure of a machine starts a fresh record, and a
 * record of another machine is never reported.
 */
struct first_failure {
	uint64_t t;
	int cpu, nid;
	unsigned int order;
	gfp_t gfp;
	bool reclaimed;
	int zone;		/* the preferred zone: head of the zonelist */
	uint64_t free_pages, managed_pages;	/* all zones */
	uint64_t zone_free, suitable_blocks;
	int unusable, findex;
};

/* One failure on the time axis (fragmentation.csv's failure rows). */
struct failure_mark {
	uint64_t t;
	int nid, zone;
	unsigned int order;
	int findex;		/* of the preferred zone at that order */
};
/* Marks kept per run: enough for any plot, bounded for any run. */
#define FAILURE_MARKS_MAX	100000

static struct frag_failures {
	const struct machine *m;
	unsigned long total;
	unsigned long by_order[PA_MAX_ORDER];	/* the last one: order >= 10 */
	bool have_first;
	struct first_failure first;
	bool have_order[PA_MAX_ORDER];
	struct first_failure first_by_order[PA_MAX_ORDER];
	struct failure_mark *marks;
	size_t nr_marks, cap_marks;
	/* printk_ratelimit(): 10 messages, then one per 5 s, in virtual ns */
	uint64_t toks, last;
	unsigned long missed;
} ff;

#define RATELIMIT_NS	5000000000ULL
#define RATELIMIT_BURST	10

static bool ratelimit_ok(uint64_t now)
{
	ff.toks += now - ff.last;
	ff.last = now;
	if (ff.toks > RATELIMIT_BURST * RATELIMIT_NS)
		ff.toks = RATELIMIT_BURST * RATELIMIT_NS;
	if (ff.toks >= RATELIMIT_NS) {
		ff.toks -= RATELIMIT_NS;
		if (ff.missed)
			printk(KERN_WARNING "printk: %lu messages suppressed.\n",
			       ff.missed);
		ff.missed = 0;
		return true;
	}
	ff.missed++;
	return false;
}

/* The zone a request of these flags asks first: its zonelist's head. */
static int preferred_zone(const struct machine *m, int nid, gfp_t gfp)
{
	static const enum pa_zone kernel[] = {
		PA_ZONE_NORMAL, PA_ZONE_DMA32,
	};
	struct pa_zone_info zi;

	if (!(gfp & __GFP_DMA))
		for (size_t i = 0; i < sizeof(kernel) / sizeof(kernel[0]); i++) {
			pa_zone_info(m->pa, nid, kernel[i], &zi);
			if (zi.present && zi.managed)
				return kernel[i];
		}
	return PA_ZONE_DMA;
}

static uint64_t suitable_blocks(const uint64_t nr_free[PA_MAX_ORDER],
				unsigned int order)
{
	uint64_t n = 0;

	for (unsigned int o = order; o < PA_MAX_ORDER; o++)
		n += nr_free[o] << (o - order);
	return n;
}

/*
 * mm/page_alloc.c show_free_areas() as far as the model has it: free
 * memory and watermarks per zone, then the free lists per order.
 */
static void show_mem(const struct machine *m, unsigned int order)
{
	uint64_t free = 0, spanned = 0, reserved = 0, high_free = 0;

	struct pa_zone_info zi;
	int nid, z;

	for_each_present_zone(m, nid, z, zi) {
		free += zi.free_pages;
		if (z == PA_ZONE_HIGHMEM)
			high_free += zi.free_pages;
		spanned += zi.spanned;
		reserved += zi.spanned - zi.managed;
	}
	printk("Mem-info:\n");
	printk("Free pages: %11llukB (%llukB HighMem)\n",
	       (unsigned long long)free * 4, (unsigned long long)high_free * 4);
	printk("Active:0 inactive:0 dirty:0 writeback:0 unstable:0 free:%llu "
	       "slab:%ld mapped:0 pagetables:0\n", (unsigned long long)free,
	       m->nr_slab);
	for_each_present_zone(m, nid, z, zi) {
		printk("Node %d %s free:%llukB min:%llukB low:%llukB "
		       "high:%llukB active:0kB inactive:0kB "
		       "present:%llukB pages_scanned:0 "
		       "all_unreclaimable? no\n", nid, zone_names[z],
		       (unsigned long long)zi.free_pages * 4,
		       (unsigned long long)zi.wmark_min * 4,
		       (unsigned long long)zi.wmark_low * 4,
		       (unsigned long long)zi.wmark_high * 4,
		       (unsigned long long)zi.spanned * 4);
		printk("lowmem_reserve[]: 0 0 0 0\n");	/* MAX_NR_ZONES */
	}
	for_each_present_zone(m, nid, z, zi) {
		char line[512];
		int n = snprintf(line, sizeof(line), "Node %d %s: ", nid,
				 zone_names[z]);

		for (int o = 0; o < PA_MAX_ORDER; o++)
			n += snprintf(line + n, sizeof(line) - (size_t)n,
				      "%llu*%llukB ",
				      (unsigned long long)zi.nr_free[o], 4ULL << o);
		printk("%s= %llukB\n", line,
		       (unsigned long long)zi.free_pages * 4);
	}
	printk("%llu pages of RAM\n", (unsigned long long)spanned);
	printk("%llu reserved pages\n", (unsigned long long)reserved);
	printk("%ld pages slab\n", m->nr_slab);
	/* Not the kernel's: what Gorman's indices say about this order. */
	if (order >= PA_MAX_ORDER)
		return;
	for_each_present_zone(m, nid, z, zi) {
		char u[16], f[16];

		printk("slabsim: Node %d %s order %u: %llu free blocks of "
		       "order >= %u, unusable_index %s, fragmentation_index %s\n",
		       nid, zone_names[z], order,
		       (unsigned long long)suitable_blocks(zi.nr_free, order),
		       order, milli_str(u, frag_unusable_index(zi.nr_free, order)),
		       milli_str(f, frag_fragmentation_index(zi.nr_free, order)));
	}
}

static void note_first(struct first_failure *f, struct machine *m, int nid,
		       gfp_t gfp, unsigned int order, bool reclaimed)
{
	struct pa_zone_info zi;

	f->t = engine_now(m->eng);
	f->cpu = engine_cpu(m->eng);
	f->nid = nid;
	f->order = order;
	f->gfp = gfp;
	f->reclaimed = reclaimed;
	f->free_pages = f->managed_pages = 0;
	int n, z;

	for_each_present_zone(m, n, z, zi) {
		f->free_pages += zi.free_pages;
		f->managed_pages += zi.managed;
	}
	f->zone = preferred_zone(m, nid, gfp);
	pa_zone_info(m->pa, nid, (enum pa_zone)f->zone, &zi);
	f->zone_free = zi.free_pages;
	if (order < PA_MAX_ORDER) {
		f->suitable_blocks = suitable_blocks(zi.nr_free, order);
		f->unusable = frag_unusable_index(zi.nr_free, order);
		f->findex = frag_fragmentation_index(zi.nr_free, order);
	} else {
		/* No block can be that large: all free memory is unusable,
		 * and there is no suitable block to be short of. */
		f->suitable_blocks = 0;
		f->unusable = 1000;
		f->findex = 0;
	}
}

static void note_mark(const struct first_failure *f)
{
	if (ff.nr_marks == FAILURE_MARKS_MAX)
		return;
	if (ff.nr_marks == ff.cap_marks) {
		ff.cap_marks = ff.cap_marks ? 2 * ff.cap_marks : 64;
		ff.marks = xrealloc(ff.marks, ff.cap_marks * sizeof(*ff.marks));
	}
	ff.marks[ff.nr_marks++] = (struct failure_mark){
		f->t, f->nid, f->zone, f->order, f->findex };
}

void frag_page_alloc_failed(struct machine *m, int nid, gfp_t gfp,
			    unsigned int order, bool reclaimed)
{
	uint64_t now = engine_now(m->eng);

	if (ff.m != m || m->page_alloc_failures <= 1) {
		free(ff.marks);
		memset(&ff, 0, sizeof(ff));
		ff.m = m;
		ff.toks = RATELIMIT_BURST * RATELIMIT_NS;
		ff.last = now;
	}
	unsigned int o = order < PA_MAX_ORDER ? order : PA_MAX_ORDER - 1;
	struct first_failure now_f;

	ff.total++;
	ff.by_order[o]++;
	note_first(&now_f, m, nid, gfp, order, reclaimed);
	if (!ff.have_first) {
		ff.have_first = true;
		ff.first = now_f;
	}
	if (!ff.have_order[o]) {
		ff.have_order[o] = true;
		ff.first_by_order[o] = now_f;
	}
	note_mark(&now_f);
	if ((gfp & __GFP_NOWARN) || !ratelimit_ok(now))
		return;
	/* mm/page_alloc.c, 2.6.17: the task's comm, then the request */
	printk(KERN_WARNING "slabsim/%d: page allocation failure."
	       " order:%u, mode:0x%x\n", smp_processor_id(), order, gfp);
	dump_stack();
	show_mem(m, order);
}

/* ------------------------------------------------------------------ */
/* summary.json                                                         */
/* ------------------------------------------------------------------ */

static void put_first(struct strbuf *sb, const struct first_failure *f);

void frag_summary_json(const struct run_result *res, struct strbuf *sb)
{
	const struct machine *m = res->m;
	struct slab_waste t;
	bool ours = ff.m == m && m->page_alloc_failures > 0;

	memset(&t, 0, sizeof(t));
	for (size_t i = 0; i < m->nr_caches; i++) {
		struct kmem_cache_info info;
		struct slab_waste w;

		if (!m->caches[i]->cachep)
			continue;
		kmem_cache_get_info(m->caches[i]->cachep, &info);
		slab_waste_of(res, i, &info, &w);
		waste_add(&t, &w);
	}
	sb_printf(sb, "  \"slab_waste\": {\"pages\": %llu, \"bytes_held\": %llu, "
		  "\"bytes_requested\": %llu, \"bytes_objects\": %llu, "
		  "\"rounding\": %lld, \"parked_cpu\": %llu, "
		  "\"parked_shared\": %llu, \"parked_alien\": %llu, "
		  "\"idle_partial\": %llu, \"idle_free\": %llu, "
		  "\"kernel_objs\": %lld, \"left_over\": %llu, \"mgmt\": %llu, "
		  "\"mgmt_offslab\": %llu},\n",
		  (unsigned long long)t.pages, (unsigned long long)t.held,
		  (unsigned long long)t.requested,
		  (unsigned long long)t.objects, (long long)t.rounding,
		  (unsigned long long)t.parked_cpu,
		  (unsigned long long)t.parked_shared,
		  (unsigned long long)t.parked_alien,
		  (unsigned long long)t.idle_partial,
		  (unsigned long long)t.idle_free, (long long)t.kernel_objs,
		  (unsigned long long)t.left_over, (unsigned long long)t.mgmt,
		  (unsigned long long)t.mgmt_offslab);

	sb_printf(sb, "  \"page_alloc\": {\"failures\": %lu, "
		  "\"failures_by_order\": [", ours ? ff.total : 0);
	for (int o = 0; o < PA_MAX_ORDER; o++)
		sb_printf(sb, "%s%lu", o ? ", " : "", ours ? ff.by_order[o] : 0);
	sb_puts(sb, "],\n    \"first_failure\": ");
	if (!ours || !ff.have_first) {
		sb_puts(sb, "null,\n    \"first_failure_by_order\": {}},\n");
		return;
	}
	put_first(sb, &ff.first);
	sb_puts(sb, ",\n    \"first_failure_by_order\": {");
	bool first = true;
	for (int o = 0; o < PA_MAX_ORDER; o++) {
		if (!ff.have_order[o])
			continue;
		sb_printf(sb, "%s\n      \"%d\": ", first ? "" : ",", o);
		put_first(sb, &ff.first_by_order[o]);
		first = false;
	}
	sb_puts(sb, "}},\n");
}

/*
 * The fragmentation index reads -1 ("would succeed") when a block of the
 * order is free; an allocation can still fail then, because the
 * watermark check kept that block back. Said in words where it happened.
 */
static bool watermark_kept(const struct first_failure *f)
{
	return f->order < PA_MAX_ORDER && f->findex == -1000;
}

static void put_first(struct strbuf *sb, const struct first_failure *f)
{
	sb_printf(sb, "{\"t_ns\": %llu, \"cpu\": %d, \"order\": %u, "
		  "\"gfp\": \"0x%x\", \"reclaimed\": %s, \"node\": %d, "
		  "\"zone\": \"%s\", \"free_pages\": %llu, "
		  "\"managed_pages\": %llu, \"free_fraction\": ",
		  (unsigned long long)f->t, f->cpu, f->order,
		  f->gfp, f->reclaimed ? "true" : "false",
		  f->nid, zone_names[f->zone],
		  (unsigned long long)f->free_pages,
		  (unsigned long long)f->managed_pages);
	put_milli(sb, f->managed_pages ?
		  (int)(f->free_pages * 1000 / f->managed_pages) : 0);
	sb_printf(sb, ", \"zone_free_pages\": %llu, \"suitable_blocks\": %llu, "
		  "\"unusable_index\": ", (unsigned long long)f->zone_free,
		  (unsigned long long)f->suitable_blocks);
	put_milli(sb, f->unusable);
	sb_puts(sb, ", \"fragmentation_index\": ");
	put_milli(sb, f->findex);
	if (watermark_kept(f))
		sb_printf(sb, ", \"note\": \"fragmentation index -1: %llu "
			  "block(s) of order %u were free in %s, but the "
			  "watermark kept them back\"",
			  (unsigned long long)f->suitable_blocks, f->order,
			  zone_names[f->zone]);
	sb_putc(sb, '}');
}

void frag_failure_rows(const struct run_result *res, struct strbuf *sb)
{
	if (ff.m != res->m)
		return;
	for (size_t i = 0; i < ff.nr_marks; i++) {
		const struct failure_mark *k = &ff.marks[i];
		char ts[32], fi[16];

		/* workload time, as the sample rows; boot's failures at 0 */
		fmt_t(ts, k->t > res->boot_t ? k->t - res->boot_t : 0);
		sb_printf(sb, "%s,failure,%d,%s,%u,,,%s" BUDDY_TAIL "\n", ts,
			  k->nid, zone_names[k->zone], k->order,
			  k->order < PA_MAX_ORDER ? milli_str(fi, k->findex) : "");
	}
}

bool frag_watermark_note(const struct machine *m, char *buf, size_t len)
{
	const struct first_failure *f = NULL;

	if (ff.m != m || !m->page_alloc_failures)
		return false;
	for (int o = 0; o < PA_MAX_ORDER && !f; o++)
		if (ff.have_order[o] && watermark_kept(&ff.first_by_order[o]))
			f = &ff.first_by_order[o];
	if (!f)
		return false;
	snprintf(buf, len, "order-%u allocations failed while the "
		 "fragmentation index read -1: the watermark kept %llu free "
		 "block(s) of that order back", f->order,
		 (unsigned long long)f->suitable_blocks);
	return true;
}
