/*
 * Lock statistics out of a run: /proc/lock_stat in the kernel's own layout
 * (kernel/locking/lockdep_proc.c, version 0.4), lock_stat.csv with the
 * per-cache split of the slab's lock classes, their part of summary.json,
 * and per-cache lock figures for the time series. The engine counts per
 * class and per lock; the machine knows which cache owns which lock.
 */
#include <stdlib.h>
#include <string.h>

#include "sim/report/report.h"

/* The width of lock_stat's rules: the name, a colon, 12 columns of 14 + 1. */
#define LS_WIDTH	(40 + 1 + 12 * (14 + 1))
/* lockdep cuts a class name to 37 characters (snprintf into name[38]) */
#define LS_NAMELEN	38

static const char *const part_names[] = { "list_lock", "shared", "alien" };

/* Classes in the kernel's order: contentions descending (ties: creation). */
static size_t *classes_sorted(const struct lock_class_stat *cls, size_t n)
{
	size_t *ord = xcalloc(n ? n : 1, sizeof(*ord));

	for (size_t i = 0; i < n; i++)
		ord[i] = i;
	/* insertion sort: stable, and there are a handful of classes */
	for (size_t i = 1; i < n; i++) {
		size_t v = ord[i], j = i;

		while (j > 0 && cls[ord[j - 1]].contentions < cls[v].contentions) {
			ord[j] = ord[j - 1];
			j--;
		}
		ord[j] = v;
	}
	return ord;
}

/* snprint_time: ns as microseconds, rounded to hundredths, in " %14s". */
static void ls_time(struct strbuf *sb, vtime_t ns)
{
	uint64_t t = ns + 5;
	char num[32];

	snprintf(num, sizeof(num), "%llu.%02llu",
		 (unsigned long long)(t / 1000),
		 (unsigned long long)(t % 1000 / 10));
	sb_printf(sb, " %14s", num);
}

/* seq_lock_time: the count, then min, max, total and average. */
static void ls_lock_time(struct strbuf *sb, uint64_t nr, vtime_t min,
			 vtime_t max, vtime_t total)
{
	sb_printf(sb, "%14llu", (unsigned long long)nr);
	ls_time(sb, min);
	ls_time(sb, max);
	ls_time(sb, total);
	ls_time(sb, nr ? total / nr : 0);
}

static void ls_line(struct strbuf *sb, char c, int offset, int length)
{
	for (int i = 0; i < offset; i++)
		sb_putc(sb, ' ');
	for (int i = 0; i < length; i++)
		sb_putc(sb, c);
	sb_putc(sb, '\n');
}

/*
 * The address lock_stat prints in [<%p>] for a call site: the simulated
 * kernel has no text, so a site is placed in it by its name (FNV-1a of
 * the function name, 16-byte aligned, in the first 4 MiB of kernel text):
 * the same function gets the same address in every run and every
 * workload.
 */
static uint64_t site_address(const struct arch_profile *arch, const char *site)
{
	uint32_t h = 2166136261u;

	for (const unsigned char *p = (const unsigned char *)site; *p; p++)
		h = (h ^ *p) * 16777619u;
	return arch->kernel_text + ((uint64_t)h & 0x3ffff0u);
}

static void ls_points(struct strbuf *sb, const struct arch_profile *arch,
		      const char *name, int namelen,
		      const struct lock_point *pts, bool *any)
{
	int digits = arch->bytes_per_word == 8 ? 16 : 8;

	for (int i = 0; i < LOCKSTAT_POINTS && pts[i].ip; i++) {
		char ip[40];

		if (!i)
			ls_line(sb, '-', 40 - namelen, namelen);
		snprintf(ip, sizeof(ip), "[<%0*llx>]", digits,
			 (unsigned long long)site_address(arch, pts[i].ip));
		sb_printf(sb, "%40s %14llu %29s %s\n", name,
			  (unsigned long long)pts[i].count, ip, pts[i].ip);
		*any = true;
	}
}

/* One class as seq_stats prints it (write side only: no rwlocks here). */
static void ls_class(struct strbuf *sb, const struct arch_profile *arch,
		     const struct lock_class_stat *c)
{
	char name[LS_NAMELEN];
	int namelen;
	bool any = false;

	if (!c->acquisitions)
		return;		/* no hold time recorded: seq_stats prints nothing */
	snprintf(name, sizeof(name), "%s", c->name);
	namelen = (int)strlen(name);
	sb_printf(sb, "%40s:", name);
	sb_printf(sb, "%14llu ", (unsigned long long)c->con_bounces);
	ls_lock_time(sb, c->contentions, c->wait_min, c->wait_max,
		     c->wait_total);
	sb_printf(sb, " %14llu ", (unsigned long long)c->acq_bounces);
	ls_lock_time(sb, c->acquisitions, c->hold_min, c->hold_max,
		     c->hold_total);
	sb_putc(sb, '\n');
	if (!c->contentions)
		return;
	ls_points(sb, arch, name, namelen, c->contention_point, &any);
	any = false;
	ls_points(sb, arch, name, namelen, c->contending_point, &any);
	if (any) {
		sb_putc(sb, '\n');
		ls_line(sb, '.', 0, LS_WIDTH);
		sb_putc(sb, '\n');
	}
}

/* ------------------------------------------------------------------ */
/* The per-cache split                                                  */
/* ------------------------------------------------------------------ */

/* One row of the split: a class's locks owned by one cache and part. */
struct split_row {
	size_t cls;
	int cache;		/* machine cache index; -1: "(other)" */
	int part;		/* enum kmem_lock_kind; -1 with cache -1 */
	uint64_t contentions, acquisitions;
	vtime_t wait;
};

static int split_cmp(const void *a, const void *b)
{
	const struct split_row *x = a, *y = b;

	if (x->cls != y->cls)
		return x->cls < y->cls ? -1 : 1;
	if (x->contentions != y->contentions)
		return x->contentions > y->contentions ? -1 : 1;
	if (x->cache != y->cache)
		return x->cache < y->cache ? -1 : 1;
	return x->part < y->part ? -1 : x->part > y->part;
}

/*
 * Rows for every (class, cache, part) with acquisitions, for classes that
 * have at least one lock owned by a cache; sorted by class index, then
 * contentions descending. Returns the count; *out is malloc'd.
 */
static size_t lock_split(const struct machine *m, size_t ncls,
			 struct split_row **out)
{
	uint32_t nl = engine_nr_locks(m->eng);
	bool *owned = xcalloc(ncls ? ncls : 1, sizeof(*owned));
	struct split_row *rows = NULL;
	size_t n = 0, cap = 0;

	for (uint32_t id = 1; id <= nl; id++) {
		struct lock_instance_stat st;

		if (engine_lock_stat(m->eng, id, &st) && id < m->nr_lock_owners &&
		    m->lock_owners[id].cache >= 0)
			owned[st.cls] = true;
	}
	for (uint32_t id = 1; id <= nl; id++) {
		struct lock_instance_stat st;
		int cache = -1, part = -1;
		size_t i;

		if (!engine_lock_stat(m->eng, id, &st) || !owned[st.cls] ||
		    !st.acquisitions)
			continue;
		if (id < m->nr_lock_owners && m->lock_owners[id].cache >= 0) {
			cache = m->lock_owners[id].cache;
			part = m->lock_owners[id].kind;
		}
		for (i = 0; i < n; i++)
			if (rows[i].cls == st.cls && rows[i].cache == cache &&
			    rows[i].part == part)
				break;
		if (i == n) {
			if (n == cap) {
				cap = cap ? 2 * cap : 32;
				rows = xrealloc(rows, cap * sizeof(*rows));
			}
			rows[n++] = (struct split_row){ st.cls, cache, part,
							0, 0, 0 };
		}
		rows[i].contentions += st.contentions;
		rows[i].acquisitions += st.acquisitions;
		rows[i].wait += st.wait_total;
	}
	free(owned);
	if (n)
		qsort(rows, n, sizeof(*rows), split_cmp);
	*out = rows;
	return n;
}

static const char *split_cache(const struct machine *m,
			       const struct split_row *r)
{
	return r->cache >= 0 ? m->caches[r->cache]->name : "(other)";
}

static const char *split_part(const struct split_row *r)
{
	return r->part >= 0 ? part_names[r->part] : "";
}

static void csv_us(struct strbuf *sb, vtime_t ns)
{
	sb_printf(sb, ",%llu.%03llu", (unsigned long long)(ns / 1000),
		  (unsigned long long)(ns % 1000));
}

void report_lock_stat(const struct machine *m, struct strbuf *sb,
		      struct strbuf *csv)
{
	const struct lock_class_stat *cls;
	size_t n = engine_lock_classes(m->eng, &cls);
	size_t *ord = classes_sorted(cls, n);
	struct split_row *rows;
	size_t nrows = lock_split(m, n, &rows);

	sb_puts(sb, "lock_stat version 0.4\n");
	ls_line(sb, '-', 0, LS_WIDTH);
	sb_printf(sb, "%40s %14s %14s %14s %14s %14s %14s %14s %14s %14s %14s "
		  "%14s %14s\n", "class name", "con-bounces", "contentions",
		  "waittime-min", "waittime-max", "waittime-total",
		  "waittime-avg", "acq-bounces", "acquisitions",
		  "holdtime-min", "holdtime-max", "holdtime-total",
		  "holdtime-avg");
	ls_line(sb, '-', 0, LS_WIDTH);
	sb_putc(sb, '\n');
	for (size_t i = 0; i < n; i++)
		ls_class(sb, &m->arch, &cls[ord[i]]);

	/* Times in microseconds, exact (three decimals of ns). */
	sb_puts(csv, "class,con_bounces,contentions,wait_min_us,wait_max_us,"
		"wait_total_us,acq_bounces,acquisitions,hold_min_us,"
		"hold_max_us,hold_total_us,cache,part\n");
	for (size_t i = 0; i < n; i++) {
		const struct lock_class_stat *c = &cls[ord[i]];

		if (!c->acquisitions)
			continue;
		sb_printf(csv, "%s,%llu,%llu", c->name,
			  (unsigned long long)c->con_bounces,
			  (unsigned long long)c->contentions);
		csv_us(csv, c->wait_min);
		csv_us(csv, c->wait_max);
		csv_us(csv, c->wait_total);
		sb_printf(csv, ",%llu,%llu", (unsigned long long)c->acq_bounces,
			  (unsigned long long)c->acquisitions);
		csv_us(csv, c->hold_min);
		csv_us(csv, c->hold_max);
		csv_us(csv, c->hold_total);
		sb_puts(csv, ",,\n");
	}
	/* the split: what it has per lock, the rest of the columns empty */
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < nrows; k++) {
			const struct split_row *r = &rows[k];

			if (r->cls != ord[i])
				continue;
			sb_printf(csv, "%s,,%llu,,", cls[r->cls].name,
				  (unsigned long long)r->contentions);
			csv_us(csv, r->wait);
			sb_printf(csv, ",,%llu,,,,%s,%s\n",
				  (unsigned long long)r->acquisitions,
				  split_cache(m, r), split_part(r));
		}
	free(rows);
	free(ord);
}

static void json_points(struct strbuf *sb, const char *key,
			const struct lock_point *pts)
{
	sb_printf(sb, ", \"%s\": [", key);
	for (int i = 0; i < LOCKSTAT_POINTS && pts[i].ip; i++)
		sb_printf(sb, "%s{\"site\": \"%s\", \"count\": %llu}",
			  i ? ", " : "", pts[i].ip,
			  (unsigned long long)pts[i].count);
	sb_putc(sb, ']');
}

void report_lock_json(const struct machine *m, struct strbuf *sb)
{
	const struct lock_class_stat *cls;
	size_t n = engine_lock_classes(m->eng, &cls);
	size_t *ord = classes_sorted(cls, n);
	struct split_row *rows;
	size_t nrows = lock_split(m, n, &rows);
	uint64_t contentions = 0, wait = 0, acq = 0;
	bool first = true;

	for (size_t i = 0; i < n; i++) {
		contentions += cls[i].contentions;
		wait += cls[i].wait_total;
		acq += cls[i].acquisitions;
	}
	sb_printf(sb, "  \"locks\": {\"acquisitions\": %llu, \"contentions\": %llu, "
		  "\"wait_ns\": %llu, \"classes\": {", (unsigned long long)acq,
		  (unsigned long long)contentions, (unsigned long long)wait);
	/* per lock class as lock_stat names and orders them */
	for (size_t i = 0; i < n; i++) {
		const struct lock_class_stat *c = &cls[ord[i]];
		bool first_row = true;

		if (!c->acquisitions)
			continue;
		sb_printf(sb, "%s\n    \"%s\": {\"acquisitions\": %llu, "
			  "\"contentions\": %llu, \"wait_ns\": %llu",
			  first ? "" : ",", c->name,
			  (unsigned long long)c->acquisitions,
			  (unsigned long long)c->contentions,
			  (unsigned long long)c->wait_total);
		json_points(sb, "contention_points", c->contention_point);
		json_points(sb, "contending_points", c->contending_point);
		sb_puts(sb, ", \"by_cache\": [");
		for (size_t k = 0; k < nrows; k++) {
			const struct split_row *r = &rows[k];

			if (r->cls != ord[i])
				continue;
			sb_printf(sb, "%s\n      {\"cache\": \"%s\", \"part\": \"%s\", "
				  "\"acquisitions\": %llu, \"contentions\": %llu, "
				  "\"wait_ns\": %llu}", first_row ? "" : ",",
				  split_cache(m, r), split_part(r),
				  (unsigned long long)r->acquisitions,
				  (unsigned long long)r->contentions,
				  (unsigned long long)r->wait);
			first_row = false;
		}
		sb_puts(sb, "]}");
		first = false;
	}
	sb_puts(sb, "\n  }},\n");
	free(rows);
	free(ord);
}

void report_lock_cache_totals(const struct machine *m, size_t ncaches,
			      uint64_t *contentions, uint64_t *wait_ns)
{
	uint32_t nl = engine_nr_locks(m->eng);

	memset(contentions, 0, ncaches * sizeof(*contentions));
	memset(wait_ns, 0, ncaches * sizeof(*wait_ns));
	for (uint32_t id = 1; id <= nl && id < m->nr_lock_owners; id++) {
		struct lock_instance_stat st;
		int c = m->lock_owners[id].cache;

		if (c < 0 || (size_t)c >= ncaches ||
		    !engine_lock_stat(m->eng, id, &st))
			continue;
		contentions[c] += st.contentions;
		wait_ns[c] += st.wait_total;
	}
}
