/*
 * The trace importer (import.h): kmem tracepoint text to a workload.
 *
 * Three steps. Parsing turns each line into a compact record (or a
 * count of why not), per input, in any chunking. Finishing merges the
 * records in time order (a stable sort, only when some CPU's lines came
 * out of order with another's) and walks them once: frees are matched to
 * live objects by pointer, names are handed out, caches are made, and
 * every record is annotated with what it becomes. Writing then formats
 * the annotated records; it needs the peak of live bytes and the set of
 * caches before the first event, which is why matching is its own walk.
 *
 * Nothing here depends on host addresses, hash order or the clock: names
 * come from a counter, caches and sites are numbered in order of first
 * appearance, tables are printed in a fixed order.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "sim/workload.h"
#include "sim/workload/import.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* A line longer than this is not a trace line (ftrace's are < 1 KiB). */
#define MAX_LINE	65536
/* Sites and cache names are cut to this (a symbol+off/len fits). */
#define MAX_SITE	WL_MAX_SITE	/* what the loader takes back */

/* SLAB 2.6.17's largest object (1 << MAX_OBJ_ORDER pages). */
#define SLAB_MAX_OBJ	131072u
#define MIB		((uint64_t)1024 * 1024)

/* The loader's GFP bits (alloc/env.h of 2.6.17), named here so the
 * importer stays out of alloc/. */
#define G_DMA		0x01u
#define G_WAIT		0x10u
#define G_HIGH		0x20u
#define G_IO		0x40u
#define G_FS		0x80u
#define G_COLD		0x100u
#define G_NOWARN	0x200u
#define G_REPEAT	0x400u
#define G_NOFAIL	0x800u
#define G_NORETRY	0x1000u
#define G_NOMEMALLOC	0x10000u
#define G_HARDWALL	0x20000u
#define G_THISNODE	0x40000u
#define G_KERNEL	(G_WAIT | G_IO | G_FS)
#define G_USER		(G_KERNEL | G_HARDWALL)
#define G_NOFS		(G_WAIT | G_IO)
/* Not a 2.6.17 bit: the trace asked for zeroed memory. */
#define G_ZERO_ASKED	0x80000000u

/* ------------------------------------------------------------------ */
/* Interned strings: sites and cache names, numbered by first sight     */
/* ------------------------------------------------------------------ */

struct strtab {
	char **s;		/* by id */
	uint32_t *len;
	uint32_t n, cap;
	uint32_t *hash;		/* id + 1, 0 empty; power-of-two size */
	uint32_t hcap;
};

static uint32_t fnv(const char *s, size_t n)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static void strtab_rehash(struct strtab *t)
{
	uint32_t cap = t->hcap ? t->hcap * 2 : 1024;

	free(t->hash);
	t->hash = xcalloc(cap, sizeof(*t->hash));
	t->hcap = cap;
	for (uint32_t id = 0; id < t->n; id++) {
		uint32_t i = fnv(t->s[id], t->len[id]) & (cap - 1);

		while (t->hash[i])
			i = (i + 1) & (cap - 1);
		t->hash[i] = id + 1;
	}
}

/* The id of s[0..n), added when new. */
static uint32_t strtab_id(struct strtab *t, const char *s, size_t n)
{
	if ((t->n + 1) * 2 > t->hcap)
		strtab_rehash(t);
	uint32_t i = fnv(s, n) & (t->hcap - 1);

	for (; t->hash[i]; i = (i + 1) & (t->hcap - 1)) {
		uint32_t id = t->hash[i] - 1;

		if (t->len[id] == n && !memcmp(t->s[id], s, n))
			return id;
	}
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 256;
		t->s = xrealloc(t->s, t->cap * sizeof(*t->s));
		t->len = xrealloc(t->len, t->cap * sizeof(*t->len));
	}
	char *c = xcalloc(1, n + 1);
	memcpy(c, s, n);
	t->s[t->n] = c;
	t->len[t->n] = (uint32_t)n;
	t->hash[i] = t->n + 1;
	return t->n++;
}

static void strtab_free(struct strtab *t)
{
	for (uint32_t i = 0; i < t->n; i++)
		free(t->s[i]);
	free(t->s);
	free(t->len);
	free(t->hash);
	memset(t, 0, sizeof(*t));
}

/* ------------------------------------------------------------------ */
/* GFP flags: a modern (or pre-4.x) trace's names to 2.6.17 bits         */
/* ------------------------------------------------------------------ */

/*
 * Names a trace prints, composite first; the single flags are looked up
 * with "__GFP_" or "GFP_" (kernels before 4.4) stripped. Flags with no
 * 2.6.17 meaning map to nothing and are counted as dropped; __GFP_ZERO
 * becomes zalloc for cache objects (2.6.17's cache_grow BUGs on it).
 * __GFP_COMP is dropped too: slab objects never ask for compound pages.
 */
struct gfp_name {
	const char *name;
	unsigned int bits;
	bool dropped;		/* counted: meaningless on 2.6.17 */
};

static const struct gfp_name gfp_composite[] = {
	{ "GFP_KERNEL", G_KERNEL, false },
	{ "GFP_KERNEL_ACCOUNT", G_KERNEL, false },
	{ "GFP_TEMPORARY", G_KERNEL, false },
	{ "GFP_ATOMIC", G_HIGH, false },
	{ "GFP_NOWAIT", 0, false },
	{ "GFP_NOIO", G_WAIT, false },
	{ "GFP_NOFS", G_NOFS, false },
	{ "GFP_USER", G_USER, false },
	{ "GFP_HIGHUSER", G_USER, false },
	{ "GFP_HIGHUSER_MOVABLE", G_USER, false },
	{ "GFP_TRANSHUGE", G_USER, false },
	{ "GFP_TRANSHUGE_LIGHT", 0, false },
	{ "GFP_DMA", G_DMA, false },
	{ "GFP_DMA32", 0, true },
	{ "none", 0, false },
};

static const struct gfp_name gfp_single[] = {
	{ "DMA", G_DMA, false },
	{ "HIGHMEM", 0, true },
	{ "DMA32", 0, true },
	{ "WAIT", G_WAIT, false },
	{ "DIRECT_RECLAIM", G_WAIT, false },
	{ "RECLAIM", G_WAIT, false },
	{ "KSWAPD_RECLAIM", 0, false },
	{ "HIGH", G_HIGH, false },
	{ "IO", G_IO, false },
	{ "FS", G_FS, false },
	{ "COLD", G_COLD, false },
	{ "NOWARN", G_NOWARN, false },
	{ "REPEAT", G_REPEAT, false },
	{ "RETRY_MAYFAIL", G_REPEAT, false },
	{ "NOFAIL", G_NOFAIL, false },
	{ "NORETRY", G_NORETRY, false },
	{ "COMP", 0, true },
	{ "ZERO", G_ZERO_ASKED, false },
	{ "NOMEMALLOC", G_NOMEMALLOC, false },
	{ "MEMALLOC", 0, true },
	{ "HARDWALL", G_HARDWALL, false },
	{ "THISNODE", G_THISNODE, false },
	{ "ATOMIC", 0, true },
	{ "ACCOUNT", 0, true },
	{ "RECLAIMABLE", 0, true },
	{ "MOVABLE", 0, true },
	{ "WRITE", 0, true },
	{ "NOTRACK", 0, true },
	{ "NOLOCKDEP", 0, true },
	{ "NO_KSWAPD", 0, true },
	{ "OTHER_NODE", 0, true },
	{ "ZEROTAGS", 0, true },
	{ "SKIP_ZERO", 0, true },
	{ "SKIP_KASAN", 0, true },
	{ "SKIP_KASAN_POISON", 0, true },
	{ "SKIP_KASAN_UNPOISON", 0, true },
};

/* gfp_dropped[]: gfp_single, then gfp_composite, then names not known. */
#define GFP_UNKNOWN_SLOT	(ARRAY_SIZE(gfp_single) + ARRAY_SIZE(gfp_composite))

/* 2.6.17 names the writer uses, biggest composite first. */
static const struct gfp_name gfp_out[] = {
	{ "GFP_USER", G_USER, false }, { "GFP_KERNEL", G_KERNEL, false },
	{ "GFP_NOFS", G_NOFS, false }, { "GFP_ATOMIC", G_HIGH, false },
	{ "__GFP_DMA", G_DMA, false }, { "__GFP_WAIT", G_WAIT, false },
	{ "__GFP_IO", G_IO, false }, { "__GFP_FS", G_FS, false },
	{ "__GFP_COLD", G_COLD, false }, { "__GFP_NOWARN", G_NOWARN, false },
	{ "__GFP_REPEAT", G_REPEAT, false }, { "__GFP_NOFAIL", G_NOFAIL, false },
	{ "__GFP_NORETRY", G_NORETRY, false },
	{ "__GFP_NOMEMALLOC", G_NOMEMALLOC, false },
	{ "__GFP_HARDWALL", G_HARDWALL, false },
	{ "__GFP_THISNODE", G_THISNODE, false },
};

/* ------------------------------------------------------------------ */
/* Records and the importer                                              */
/* ------------------------------------------------------------------ */

enum rec_kind { R_KMALLOC, R_CACHE_ALLOC, R_KFREE, R_CACHE_FREE };

/* What a record becomes (set by matching). */
enum action {
	A_SKIP, A_ALLOC, A_ZALLOC, A_ALLOC_NODE, A_KMALLOC, A_KMALLOC_NODE,
	A_FREE, A_KFREE,
};

struct rec {
	uint64_t t;		/* ns, as the trace stamped it */
	uint64_t ptr;
	uint32_t site;		/* strtab id */
	uint32_t cache;		/* parse: cache-name strtab id + 1 (0 none);
				 * after matching: output cache index */
	uint32_t req, alloc;
	uint32_t gfp;		/* 2.6.17 bits (+ G_ZERO_ASKED) */
	uint32_t name;		/* object name id */
	uint32_t pre_name;	/* a missed free to write first */
	uint16_t cpu;
	int16_t node;		/* -1: none */
	uint8_t kind, action, pre_action;
};

/* Counters; import_report prints those that are not zero. */
enum count {
	C_LINES, C_HEADER, C_BLANK, C_KMALLOC, C_CACHE_ALLOC, C_KFREE,
	C_CACHE_FREE, C_REPLAY_ALLOC, C_REPLAY_FREE,
	C_NULL_FREE, C_UNKNOWN_FREE, C_FAILED_ALLOC, C_ZERO_KMALLOC,
	C_MISSED_FREE, C_BIG_CACHE, C_BIG_KMALLOC, C_ZERO_DROPPED,
	C_NODE_DROPPED, C_BAD_LINE, C_BAD_CPU, C_BACKWARDS,
	C_TRUNCATED, C_LONG_LINE, C_OTHER_KMEM, C_NOT_KMEM,
	C_PAGE_ALLOC, C_PAGE_ALLOC_PAGES, C_PAGE_FREE, C_PAGE_FREE_PAGES,
	C_PAGE_FREE_BATCHED, C_LOST, C_LIVE_END, C_TOO_LATE, C_NO_CPU,
	C_NR
};

/* Where the first line of a kind of trouble was. */
struct where {
	uint32_t source;	/* index + 1; 0 = never */
	uint64_t line;
};

struct source {
	char *name;
	uint64_t lines;
};

/* One cache of the output workload. */
struct ocache {
	char name[64];
	uint32_t size;
	bool hwalign;
	bool from_base;		/* the base defines it: not written */
	bool too_big;		/* over SLAB_MAX_OBJ: its events skipped */
};

/* A live object: the pointer table's value. */
struct live {
	uint64_t ptr;		/* 0 = empty slot */
	uint32_t name;
	uint32_t site;
	uint32_t req, alloc;
	uint16_t cpu;
	uint8_t action;		/* A_SKIP: not replayed (zero-size, too big) */
	uint8_t kmalloc;
};

struct site_stat {
	uint64_t allocs, frees, req, alloc, cross_cpu, cross_node;
};

struct importer {
	struct import_options o;
	struct strtab sites, cnames;
	struct rec *recs;
	size_t nr, cap;
	struct source *src;
	size_t nr_src;
	/* the input being fed */
	struct strbuf carry;	/* a partial line between chunks */
	struct strbuf notes;	/* import_note's lines, "NAME: text\n" each */
	bool discarding;	/* inside an over-long line */
	uint64_t fed;		/* bytes of this source so far */
	uint64_t last_t[IMPORT_MAX_TRACE_CPU + 1];
	int max_cpu;		/* -1 none */
	uint64_t count[C_NR];
	struct where first[C_NR];
	uint64_t other_kmem[7];	/* by other_kmem_names index */
	uint64_t gfp_dropped[GFP_UNKNOWN_SLOT + 1];
	/* after finishing */
	bool finished;
	int cpus, nodes;
	uint64_t memory;	/* per node */
	bool memory_capped;
	uint64_t peak_bytes, peak_objs, t0;
	struct ocache *caches;
	uint32_t nr_caches, caches_cap;
	uint32_t *cname_cache;	/* cnames id -> caches index + 1 */
	uint32_t cname_len;	/* entries of cname_cache */
	struct site_stat *stat;	/* by site id */
};

static const char *const other_kmem_names[] = {
	"mm_page_alloc_zone_locked", "mm_page_pcpu_drain",
	"mm_page_alloc_extfrag", "rss_stat", "mm_calculate_totalreserve_pages",
	"mm_setup_per_zone_wmarks", "mm_setup_per_zone_lowmem_reserve",
};
_Static_assert(ARRAY_SIZE(other_kmem_names) ==
	       ARRAY_SIZE(((struct importer *)0)->other_kmem), "other kmem names");

static void count_at(struct importer *im, enum count c)
{
	im->count[c]++;
	if (!im->first[c].source && im->nr_src) {
		im->first[c].source = (uint32_t)im->nr_src;
		im->first[c].line = im->src[im->nr_src - 1].lines;
	}
}

struct importer *import_new(const struct import_options *o)
{
	struct importer *im = xcalloc(1, sizeof(*im));

	im->o = *o;
	im->max_cpu = -1;
	sb_init(&im->carry);
	return im;
}

void import_free(struct importer *im)
{
	if (!im)
		return;
	strtab_free(&im->sites);
	strtab_free(&im->cnames);
	free(im->recs);
	for (size_t i = 0; i < im->nr_src; i++)
		free(im->src[i].name);
	free(im->src);
	sb_free(&im->carry);
	sb_free(&im->notes);
	free(im->caches);
	free(im->cname_cache);
	free(im->stat);
	free(im);
}

void import_note(struct importer *im, const char *text)
{
	sb_printf(&im->notes, "%s: %s\n",
		  im->nr_src ? im->src[im->nr_src - 1].name : "input", text);
}

uint64_t import_lines(const struct importer *im)
{
	return im->count[C_LINES];
}

/* ------------------------------------------------------------------ */
/* One line                                                              */
/* ------------------------------------------------------------------ */

static bool is_dig(char c)
{
	return c >= '0' && c <= '9';
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* A pointer as printed: hex with or without 0x, (null) or perf's (nil). */
static bool parse_ptr(const char *s, const char *e, uint64_t *out)
{
	uint64_t v = 0;

	if ((e - s == 6 && !memcmp(s, "(null)", 6)) ||
	    (e - s == 5 && !memcmp(s, "(nil)", 5))) {
		*out = 0;
		return true;
	}
	if (e - s > 2 && s[0] == '0' && (s[1] | 0x20) == 'x')
		s += 2;
	if (s == e || e - s > 16)
		return false;
	for (; s < e; s++) {
		int d = hexval(*s);

		if (d < 0)
			return false;
		v = v << 4 | (uint64_t)d;
	}
	*out = v;
	return true;
}

static bool parse_u32(const char *s, const char *e, uint32_t *out)
{
	uint64_t v = 0;

	if (s == e || e - s > 10)
		return false;
	for (; s < e; s++) {
		if (!is_dig(*s))
			return false;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	if (v > UINT32_MAX)
		return false;
	*out = (uint32_t)v;
	return true;
}

/* "12.345678" (any number of fraction digits up to 9) in ns. */
static bool parse_stamp(const char *s, const char *e, uint64_t *ns)
{
	uint64_t sec = 0, frac = 0;
	int nd = 0;

	if (s == e || !is_dig(*s))
		return false;
	for (; s < e && is_dig(*s); s++) {
		if (sec > 1000000000000ull)
			return false;
		sec = sec * 10 + (uint64_t)(*s - '0');
	}
	if (s == e || *s != '.')
		return false;
	for (s++; s < e && is_dig(*s); s++)
		if (nd < 9) {
			frac = frac * 10 + (uint64_t)(*s - '0');
			nd++;
		}
	if (s != e || nd == 0)
		return false;
	for (; nd < 9; nd++)
		frac *= 10;
	*ns = sec * 1000000000ull + frac;
	return true;
}

static const char *skip_sp(const char *p, const char *e)
{
	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

static const char *tok_end(const char *p, const char *e)
{
	while (p < e && *p != ' ' && *p != '\t')
		p++;
	return p;
}

static bool tok_is(const char *s, const char *e, const char *lit)
{
	size_t n = strlen(lit);

	return (size_t)(e - s) == n && !memcmp(s, lit, n);
}

/* gfp_flags=A|B|C: 2.6.17 bits; meaningless flags counted. */
static uint32_t parse_gfp(struct importer *im, const char *s, const char *e)
{
	uint32_t bits = 0;

	while (s < e) {
		const char *b = memchr(s, '|', (size_t)(e - s));
		const char *te = b ? b : e;
		size_t i;
		bool found = false;

		for (i = 0; i < ARRAY_SIZE(gfp_composite) && !found; i++)
			if (tok_is(s, te, gfp_composite[i].name)) {
				bits |= gfp_composite[i].bits;
				if (gfp_composite[i].dropped)
					im->gfp_dropped[ARRAY_SIZE(gfp_single) + i]++;
				found = true;
			}
		if (!found) {
			const char *n = s;

			if (te - n > 2 && n[0] == '_' && n[1] == '_')
				n += 2;
			if (te - n > 4 && !memcmp(n, "GFP_", 4))
				n += 4;
			for (i = 0; i < ARRAY_SIZE(gfp_single) && !found; i++)
				if (tok_is(n, te, gfp_single[i].name)) {
					bits |= gfp_single[i].bits;
					if (gfp_single[i].dropped)
						im->gfp_dropped[i]++;
					found = true;
				}
		}
		if (!found && !(te - s == 3 && !memcmp(s, "0x0", 3)))
			im->gfp_dropped[GFP_UNKNOWN_SLOT]++;
		s = b ? b + 1 : e;
	}
	return bits;
}

static struct rec *new_rec(struct importer *im)
{
	if (im->nr == im->cap) {
		im->cap = im->cap ? im->cap * 2 : 4096;
		im->recs = xrealloc(im->recs, im->cap * sizeof(*im->recs));
	}
	struct rec *r = &im->recs[im->nr];
	memset(r, 0, sizeof(*r));
	return r;
}

/* A '#' line: ftrace's header tells how many events it overwrote. */
static void parse_comment(struct importer *im, const char *s, const char *e)
{
	static const char key[] = "entries-in-buffer/entries-written:";
	const char *p = s;

	count_at(im, C_HEADER);
	while (p < e && (*p == '#' || *p == ' '))
		p++;
	if ((size_t)(e - p) < sizeof(key) - 1 || memcmp(p, key, sizeof(key) - 1))
		return;
	p = skip_sp(p + sizeof(key) - 1, e);
	const char *slash = p;
	while (slash < e && is_dig(*slash))
		slash++;
	const char *m = slash + 1, *me = m;
	while (me < e && is_dig(*me))
		me++;
	uint32_t in = 0, written = 0;
	if (slash < e && *slash == '/' && parse_u32(p, slash, &in) &&
	    parse_u32(m, me, &written) && written > in)
		im->count[C_LOST] += written - in;
}

/*
 * The CPU field "[NNN]": the first bracketed run of digits after a
 * space (task names come first and may hold anything else).
 */
static const char *find_cpu(const char *s, const char *e, long *cpu)
{
	const char *p = s;

	while ((p = memchr(p, '[', (size_t)(e - p))) != NULL) {
		const char *q = p + 1;
		long v = 0;

		for (; q < e && is_dig(*q); q++)
			v = v < 1000000 ? v * 10 + (*q - '0') : v;
		if (q > p + 1 && q < e && *q == ']' && (p == s || p[-1] == ' ')) {
			*cpu = v;
			return q + 1;
		}
		p++;
	}
	return NULL;
}

static void parse_line(struct importer *im, const char *s, const char *e)
{
	long cpu = 0;
	uint64_t t = 0;
	const char *p, *te;

	count_at(im, C_LINES);
	if (e > s && e[-1] == '\r')
		e--;
	p = skip_sp(s, e);
	if (p == e) {
		im->count[C_BLANK]++;
		return;
	}
	if (*p == '#') {
		parse_comment(im, p, e);
		return;
	}
	/* trace-cmd report's first lines */
	if ((e - p >= 5 && !memcmp(p, "cpus=", 5)) ||
	    (e - p >= 9 && !memcmp(p, "version =", 9))) {
		count_at(im, C_HEADER);
		return;
	}
	if (memchr(s, '\0', (size_t)(e - s))) {
		count_at(im, C_BAD_LINE);
		return;
	}
	/*
	 * perf script prints no CPU when perf record ran without -a: such
	 * lines go to CPU 0 (counted); the task name and pid come first.
	 */
	p = find_cpu(s, e, &cpu);
	bool no_cpu = !p;
	if (no_cpu)
		p = s;
	/* flags (ftrace "d..2."), then the timestamp "123.456789:" */
	for (int i = 0; ; i++) {
		p = skip_sp(p, e);
		te = tok_end(p, e);
		if (te > p && te[-1] == ':' && parse_stamp(p, te - 1, &t))
			break;
		if (i == (no_cpu ? 3 : 2) || te == p) {
			count_at(im, C_BAD_LINE);
			return;
		}
		p = te;
	}
	p = skip_sp(te, e);
	te = tok_end(p, e);
	if (te == p || te[-1] != ':') {
		count_at(im, C_BAD_LINE);
		return;
	}
	const char *ev = p, *eve = te - 1;
	bool kmem_prefixed = eve - ev > 5 && !memcmp(ev, "kmem:", 5);
	if (kmem_prefixed)
		ev += 5;
	p = te;

	enum { E_KMALLOC, E_CACHE_ALLOC, E_KFREE, E_CACHE_FREE, E_PAGE_ALLOC,
	       E_PAGE_FREE, E_PAGE_FREE_BATCHED, E_OTHER } kind = E_OTHER;
	/* the *_node events (before 6.1) differ only by their node= */
	if (tok_is(ev, eve, "kmalloc") || tok_is(ev, eve, "kmalloc_node"))
		kind = E_KMALLOC;
	else if (tok_is(ev, eve, "kmem_cache_alloc") ||
		 tok_is(ev, eve, "kmem_cache_alloc_node"))
		kind = E_CACHE_ALLOC;
	else if (tok_is(ev, eve, "kfree"))
		kind = E_KFREE;
	else if (tok_is(ev, eve, "kmem_cache_free"))
		kind = E_CACHE_FREE;
	else if (tok_is(ev, eve, "mm_page_alloc"))
		kind = E_PAGE_ALLOC;
	else if (tok_is(ev, eve, "mm_page_free"))
		kind = E_PAGE_FREE;
	else if (tok_is(ev, eve, "mm_page_free_batched"))
		kind = E_PAGE_FREE_BATCHED;

	if (kind == E_OTHER) {
		for (size_t i = 0; i < ARRAY_SIZE(other_kmem_names); i++)
			if (tok_is(ev, eve, other_kmem_names[i])) {
				im->other_kmem[i]++;
				count_at(im, C_OTHER_KMEM);
				return;
			}
		count_at(im, C_NOT_KMEM);
		return;
	}
	if (cpu > IMPORT_MAX_TRACE_CPU) {
		count_at(im, C_BAD_CPU);
		return;
	}

	/* the fields, key=value; a module "[mod]" may follow call_site */
	const char *site = NULL, *site_e = NULL, *mod = NULL, *mod_e = NULL;
	const char *name = NULL, *name_e = NULL;
	bool have_ptr = false, have_req = false, have_alloc = false;
	bool have_order = false, bad = false;
	uint64_t ptr = 0;
	uint32_t req = 0, alloc = 0, order = 0, gfp = G_KERNEL;
	int node = -1;
	const char *last_key = NULL;

	for (p = skip_sp(p, e); p < e && !bad; p = skip_sp(te, e)) {
		te = tok_end(p, e);
		const char *eq = memchr(p, '=', (size_t)(te - p));
		if (!eq) {
			if (last_key == site && site && *p == '[' && te[-1] == ']' && !mod)
				mod = p, mod_e = te;
			continue;
		}
		const char *k = p, *v = eq + 1;
		size_t kl = (size_t)(eq - k);
		last_key = NULL;
#define KEY(lit) (kl == sizeof(lit) - 1 && !memcmp(k, lit, kl))
		if (KEY("call_site")) {
			site = v, site_e = te;
			last_key = site;
		} else if (KEY("ptr")) {
			have_ptr = parse_ptr(v, te, &ptr);
			bad = !have_ptr;
		} else if (KEY("bytes_req")) {
			have_req = parse_u32(v, te, &req);
			bad = !have_req;
		} else if (KEY("bytes_alloc")) {
			have_alloc = parse_u32(v, te, &alloc);
			bad = !have_alloc;
		} else if (KEY("gfp_flags")) {
			if (kind == E_KMALLOC || kind == E_CACHE_ALLOC)
				gfp = parse_gfp(im, v, te);
		} else if (KEY("node")) {
			uint32_t n = 0;
			bool neg = v < te && *v == '-';

			if (!parse_u32(v + neg, te, &n) || n > 32767)
				bad = true;
			else
				node = neg ? -1 : (int)n;
		} else if (KEY("name")) {
			name = v, name_e = te;
		} else if (KEY("order")) {
			have_order = parse_u32(v, te, &order) && order < 32;
			bad = !have_order;
		}
#undef KEY
	}
	if (bad) {
		count_at(im, C_BAD_LINE);
		return;
	}
	if (kind == E_PAGE_ALLOC || kind == E_PAGE_FREE) {
		if (!have_order) {
			count_at(im, C_BAD_LINE);
			return;
		}
		bool a = kind == E_PAGE_ALLOC;
		im->count[a ? C_PAGE_ALLOC : C_PAGE_FREE]++;
		im->count[a ? C_PAGE_ALLOC_PAGES : C_PAGE_FREE_PAGES] += 1ull << order;
		return;
	}
	if (kind == E_PAGE_FREE_BATCHED) {
		im->count[C_PAGE_FREE_BATCHED]++;
		return;
	}
	bool is_alloc = kind == E_KMALLOC || kind == E_CACHE_ALLOC;
	if (!have_ptr || (is_alloc && (!have_req || !have_alloc))) {
		count_at(im, C_BAD_LINE);
		return;
	}
	if (t < im->last_t[cpu]) {
		count_at(im, C_BACKWARDS);
		return;
	}
	im->last_t[cpu] = t;
	if (no_cpu)
		count_at(im, C_NO_CPU);
	if (cpu > im->max_cpu)
		im->max_cpu = (int)cpu;

	struct rec *r = new_rec(im);
	r->t = t;
	r->ptr = ptr;
	r->cpu = (uint16_t)cpu;
	r->node = (int16_t)node;
	r->req = req;
	r->alloc = alloc;
	r->gfp = gfp;
	char buf[MAX_SITE + 2];
	size_t n = 0;
	if (site) {
		n = (size_t)(site_e - site);
		if (n > MAX_SITE)
			n = MAX_SITE;
		memcpy(buf, site, n);
		if (mod) {
			size_t m = (size_t)(mod_e - mod);
			if (n + m > MAX_SITE)
				m = MAX_SITE - n;
			memcpy(buf + n, mod, m);
			n += m;
		}
	}
	if (!n)
		buf[n++] = '?';
	r->site = strtab_id(&im->sites, buf, n);
	switch (kind) {
	case E_KMALLOC:
		r->kind = R_KMALLOC;
		im->count[C_KMALLOC]++;
		break;
	case E_CACHE_ALLOC:
		r->kind = R_CACHE_ALLOC;
		im->count[C_CACHE_ALLOC]++;
		if (name && name_e > name)
			r->cache = strtab_id(&im->cnames, name,
					     (size_t)(name_e - name) > 63 ? 63 : (size_t)(name_e - name)) + 1;
		break;
	case E_KFREE:
		r->kind = R_KFREE;
		im->count[C_KFREE]++;
		break;
	default:
		r->kind = R_CACHE_FREE;
		im->count[C_CACHE_FREE]++;
		break;
	}
	im->nr++;
}

/* ------------------------------------------------------------------ */
/* Inputs                                                                */
/* ------------------------------------------------------------------ */

void import_source(struct importer *im, const char *name)
{
	im->src = xrealloc(im->src, (im->nr_src + 1) * sizeof(*im->src));
	im->src[im->nr_src].name = xstrdup(name);
	im->src[im->nr_src].lines = 0;
	im->nr_src++;
	sb_reset(&im->carry);
	im->discarding = false;
	im->fed = 0;
}

/* Binary inputs a user may hand over by mistake, told apart at once. */
static bool check_binary(struct importer *im, const char *buf, size_t len,
			 char *err, size_t errlen)
{
	const char *name = im->src[im->nr_src - 1].name;
	size_t head = len < 4096 ? len : 4096;

	if (len >= 8 && !memcmp(buf, "PERFILE2", 8)) {
		snprintf(err, errlen, "%s: this is perf.data (binary); import the text of 'perf script -i %s'",
			 name, name);
		return false;
	}
	if (len >= 10 && !memcmp(buf, "\x17\x08\x44tracing", 10)) {
		snprintf(err, errlen, "%s: this is a trace-cmd trace.dat (binary); import the text of 'trace-cmd report -i %s'",
			 name, name);
		return false;
	}
	if (memchr(buf, '\0', head)) {
		snprintf(err, errlen, "%s: binary data, not trace text", name);
		return false;
	}
	return true;
}

/* Append bytes (NULs included) to the partial line. */
static void carry_add(struct importer *im, const char *p, size_t n)
{
	struct strbuf *c = &im->carry;

	if (c->len + n + 1 > c->cap) {
		c->cap = (c->len + n + 1) * 2;
		c->buf = xrealloc(c->buf, c->cap);
	}
	memcpy(c->buf + c->len, p, n);
	c->len += n;
	c->buf[c->len] = '\0';
}

static void one_line(struct importer *im, const char *s, const char *e)
{
	im->src[im->nr_src - 1].lines++;
	parse_line(im, s, e);
}

bool import_feed(struct importer *im, const char *buf, size_t len,
		 char *err, size_t errlen)
{
	const char *p = buf, *e = buf + len;

	if (!len)
		return true;
	if (im->fed == 0 && !check_binary(im, buf, len, err, errlen))
		return false;
	im->fed += len;
	while (p < e) {
		const char *nl = memchr(p, '\n', (size_t)(e - p));

		if (!nl) {
			if (!im->discarding)
				carry_add(im, p, (size_t)(e - p));
			if (im->carry.len > MAX_LINE) {
				sb_reset(&im->carry);
				im->discarding = true;
			}
			return true;
		}
		if (im->discarding) {
			im->src[im->nr_src - 1].lines++;
			count_at(im, C_LINES);
			count_at(im, C_LONG_LINE);
			im->discarding = false;
		} else if (im->carry.len) {
			if (im->carry.len + (size_t)(nl - p) > MAX_LINE) {
				im->src[im->nr_src - 1].lines++;
				count_at(im, C_LINES);
				count_at(im, C_LONG_LINE);
			} else {
				carry_add(im, p, (size_t)(nl - p));
				one_line(im, im->carry.buf, im->carry.buf + im->carry.len);
			}
			sb_reset(&im->carry);
		} else {
			one_line(im, p, nl);
		}
		p = nl + 1;
	}
	return true;
}

void import_source_end(struct importer *im)
{
	/* No newline at the end: the capture was cut; the line may be too. */
	if (im->carry.len || im->discarding) {
		im->src[im->nr_src - 1].lines++;
		count_at(im, C_LINES);
		count_at(im, C_TRUNCATED);
	}
	sb_reset(&im->carry);
	im->discarding = false;
}

/* ------------------------------------------------------------------ */
/* Merging in time order                                                 */
/* ------------------------------------------------------------------ */

/*
 * Stable bottom-up merge sort by time: equal stamps keep input order, so
 * an allocation and the free printed after it at the same microsecond
 * stay in that order. Each CPU's lines are already in order (a line that
 * went back on its CPU was dropped), so this only interleaves CPUs.
 */
static void sort_by_time(struct importer *im)
{
	size_t n = im->nr, i;

	for (i = 1; i < n && im->recs[i - 1].t <= im->recs[i].t; i++)
		;
	if (i >= n)
		return;
	struct rec *a = im->recs, *b = xcalloc(n, sizeof(*b));
	for (size_t w = 1; w < n; w *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * w) {
			size_t mid = lo + w < n ? lo + w : n;
			size_t hi = lo + 2 * w < n ? lo + 2 * w : n;
			size_t x = lo, y = mid, k = lo;

			while (x < mid && y < hi)
				b[k++] = a[y].t < a[x].t ? a[y++] : a[x++];
			while (x < mid)
				b[k++] = a[x++];
			while (y < hi)
				b[k++] = a[y++];
		}
		struct rec *t = a;
		a = b;
		b = t;
	}
	im->recs = a;
	free(b);
}

/* ------------------------------------------------------------------ */
/* Live objects by pointer                                               */
/* ------------------------------------------------------------------ */

struct ptrtab {
	struct live *slot;
	size_t cap, n;		/* cap a power of two */
};

/* Every bit of the pointer mixed (murmur3's finaliser): pointers of
 * one slab differ in low bits, copies of a trace in high ones. */
static size_t ptr_hash(uint64_t p, size_t cap)
{
	p ^= p >> 33;
	p *= 0xff51afd7ed558ccdull;
	p ^= p >> 33;
	p *= 0xc4ceb9fe1a85ec53ull;
	p ^= p >> 33;
	return (size_t)p & (cap - 1);
}

static struct live *ptr_find(struct ptrtab *t, uint64_t p)
{
	size_t i = ptr_hash(p, t->cap);

	for (; t->slot[i].ptr; i = (i + 1) & (t->cap - 1))
		if (t->slot[i].ptr == p)
			return &t->slot[i];
	return NULL;
}

static struct live *ptr_insert(struct ptrtab *t, uint64_t p)
{
	if ((t->n + 1) * 2 > t->cap) {
		struct ptrtab g = { xcalloc(t->cap * 2, sizeof(struct live)),
				    t->cap * 2, 0 };

		for (size_t i = 0; i < t->cap; i++)
			if (t->slot[i].ptr)
				*ptr_insert(&g, t->slot[i].ptr) = t->slot[i];
		free(t->slot);
		*t = g;
	}
	size_t i = ptr_hash(p, t->cap);
	while (t->slot[i].ptr)
		i = (i + 1) & (t->cap - 1);
	t->n++;
	t->slot[i].ptr = p;
	return &t->slot[i];
}

/* Linear probing's deletion: shift the rest of the run back. */
static void ptr_remove(struct ptrtab *t, struct live *l)
{
	size_t i = (size_t)(l - t->slot), j = i;

	t->n--;
	for (;;) {
		t->slot[i].ptr = 0;
		for (;;) {
			j = (j + 1) & (t->cap - 1);
			if (!t->slot[j].ptr)
				return;
			size_t h = ptr_hash(t->slot[j].ptr, t->cap);
			/* stays when h lies cyclically in (i, j] */
			if (i <= j ? (i < h && h <= j) : (i < h || h <= j))
				continue;
			break;
		}
		t->slot[i] = t->slot[j];
		i = j;
	}
}

/* ------------------------------------------------------------------ */
/* Caches of the output                                                  */
/* ------------------------------------------------------------------ */

static bool is_slab_kmalloc_name(const char *s)
{
	static const unsigned int sizes[] = {
		32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192,
		16384, 32768, 65536, 131072,
	};
	char b[32];

	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		snprintf(b, sizeof(b), "size-%u", sizes[i]);
		if (!strcmp(s, b))
			return true;
		snprintf(b, sizeof(b), "size-%u(DMA)", sizes[i]);
		if (!strcmp(s, b))
			return true;
	}
	return false;
}

static int find_cache(const struct importer *im, const char *name)
{
	for (uint32_t i = 0; i < im->nr_caches; i++)
		if (!strcmp(im->caches[i].name, name))
			return (int)i;
	return -1;
}

static bool base_has(const struct import_base *b, const char *name)
{
	for (size_t i = 0; b && i < b->nr_caches; i++)
		if (!strcmp(b->cache_name[i], name))
			return true;
	return false;
}

/*
 * SLUB's object size for a HWCACHE_ALIGN cache (calculate_alignment:
 * the line, halved while the object fits twice). The trace shows the flag
 * when bytes_alloc is that and more than word alignment would give.
 */
static bool shows_hwalign(uint32_t req, uint32_t alloc)
{
	uint32_t ralign = 64, word = (req + 7u) & ~7u;

	while (req <= ralign / 2 && ralign > 8)
		ralign /= 2;
	uint32_t hw = (req + ralign - 1) / ralign * ralign;
	return alloc == hw && hw != word;
}

/*
 * The output cache of a kmem_cache_alloc record: by name= (made legal for
 * the loader: no spaces, not a size-N name, unique), else by object size.
 */
static uint32_t cache_of(struct importer *im, const struct rec *r)
{
	char key[24], name[64];
	uint32_t id;

	if (r->cache) {
		id = r->cache - 1;
	} else {
		/* \x01 keeps object sizes apart from the trace's names */
		size_t kl = (size_t)snprintf(key, sizeof(key), "\x01%u", r->req);
		id = strtab_id(&im->cnames, key, kl);
	}
	if (im->cnames.n > im->cname_len) {
		im->cname_cache = xrealloc(im->cname_cache,
					   im->cnames.cap * sizeof(uint32_t));
		memset(im->cname_cache + im->cname_len, 0,
		       (im->cnames.cap - im->cname_len) * sizeof(uint32_t));
		im->cname_len = im->cnames.cap;
	}
	if (im->cname_cache[id])
		return im->cname_cache[id] - 1;

	if (r->cache) {
		const char *s = im->cnames.s[r->cache - 1];
		size_t i;

		for (i = 0; s[i] && i < 55; i++) {
			unsigned char c = (unsigned char)s[i];
			name[i] = c > ' ' && c < 0x7f && c != '#' && c != ',' &&
				  c != '{' && c != '}' && c != '[' && c != ']' &&
				  c != ':' && c != '"' && c != '\'' ? (char)c : '_';
		}
		name[i] = '\0';
		/*
		 * YAML would read these as something else than a name: null,
		 * or an alias, anchor, tag, directive or block indicator
		 */
		bool yaml_word = !strcmp(name, "~") || !strcmp(name, "null") ||
				 !strcmp(name, "Null") || !strcmp(name, "NULL") ||
				 strchr("&*!%|>?`", name[0]);
		if (!i || name[0] == '-' || name[0] == '@' || yaml_word ||
		    is_slab_kmalloc_name(name)) {
			char cleaned[64];	/* the prefix goes on the cleaned name */

			memcpy(cleaned, name, sizeof(cleaned));
			snprintf(name, sizeof(name), "t_%.55s", cleaned);
		}
	} else {
		snprintf(name, sizeof(name), "obj-%u", r->req);
	}
	/* Two trace names made the same by the cleaning: number them. */
	char base[64];
	memcpy(base, name, sizeof(base));
	for (int k = 2; find_cache(im, name) >= 0; k++)
		snprintf(name, sizeof(name), "%.50s-%d", base, k % 100000);

	if (im->nr_caches == im->caches_cap) {
		im->caches_cap = im->caches_cap ? im->caches_cap * 2 : 64;
		im->caches = xrealloc(im->caches, im->caches_cap * sizeof(*im->caches));
	}
	struct ocache *c = &im->caches[im->nr_caches];
	memset(c, 0, sizeof(*c));
	memcpy(c->name, name, sizeof(c->name));
	c->size = r->req < 8 ? 8 : r->req;
	c->hwalign = shows_hwalign(r->req, r->alloc);
	c->from_base = base_has(im->o.base, name);
	c->too_big = !c->from_base && r->req > SLAB_MAX_OBJ;
	im->cname_cache[id] = ++im->nr_caches;
	return im->nr_caches - 1;
}

/* ------------------------------------------------------------------ */
/* Matching: what each record becomes                                    */
/* ------------------------------------------------------------------ */

static int node_of_cpu(const struct importer *im, int cpu)
{
	int per = im->cpus / im->nodes;
	int node = per ? cpu / per : cpu;

	return node < im->nodes ? node : im->nodes - 1;
}

/*
 * One walk in time order. Names are never reused: a counter, printed in
 * base 36 (five characters for 60 million objects). A replay runs each
 * CPU on its own clock, so a free can run later than the trace says; had
 * its name been handed to a newer object meanwhile, the free would take
 * the wrong one.
 */
static void match(struct importer *im)
{
	struct ptrtab pt = { xcalloc(4096, sizeof(struct live)), 4096, 0 };
	uint32_t next_name = 0;
	uint64_t live_bytes = 0, live_objs = 0;

	im->stat = xcalloc(im->sites.n ? im->sites.n : 1, sizeof(*im->stat));
	for (size_t i = 0; i < im->nr; i++) {
		struct rec *r = &im->recs[i];
		struct live *l;

		r->action = A_SKIP;
		r->pre_action = A_SKIP;
		if (r->kind == R_KFREE || r->kind == R_CACHE_FREE) {
			if (!r->ptr) {
				im->count[C_NULL_FREE]++;
				continue;
			}
			l = ptr_find(&pt, r->ptr);
			if (!l) {
				im->count[C_UNKNOWN_FREE]++;
				continue;
			}
			im->stat[r->site].frees++;
			if (l->cpu != r->cpu)
				im->stat[l->site].cross_cpu++;
			if (node_of_cpu(im, l->cpu) != node_of_cpu(im, r->cpu))
				im->stat[l->site].cross_node++;
			if (l->action != A_SKIP) {
				r->action = l->kmalloc ? A_KFREE : A_FREE;
				r->name = l->name;
				live_bytes -= l->alloc;
				live_objs--;
				im->count[C_REPLAY_FREE]++;
			}
			ptr_remove(&pt, l);
			continue;
		}

		if (!r->ptr) {
			im->count[C_FAILED_ALLOC]++;
			continue;
		}
		struct site_stat *st = &im->stat[r->site];
		st->allocs++;
		st->req += r->req;
		st->alloc += r->alloc;
		l = ptr_find(&pt, r->ptr);
		if (l) {
			if (l->action != A_SKIP) {
				/* its free was never traced (bulk frees, lost events) */
				r->pre_action = l->kmalloc ? A_KFREE : A_FREE;
				r->pre_name = l->name;
				live_bytes -= l->alloc;
				live_objs--;
				im->count[C_MISSED_FREE]++;
			}
			ptr_remove(&pt, l);
		}

		bool zero = r->gfp & G_ZERO_ASKED;
		bool node_ok = r->node >= 0 && r->node < im->nodes;
		if (r->node >= im->nodes)
			im->count[C_NODE_DROPPED]++;
		if (r->kind == R_KMALLOC) {
			if (!r->req) {
				im->count[C_ZERO_KMALLOC]++;
			} else {
				r->action = node_ok ? A_KMALLOC_NODE : A_KMALLOC;
				if (r->req > SLAB_MAX_OBJ)
					im->count[C_BIG_KMALLOC]++;
				if (zero)
					im->count[C_ZERO_DROPPED]++;
			}
		} else {
			r->cache = cache_of(im, r);
			if (im->caches[r->cache].too_big) {
				im->count[C_BIG_CACHE]++;
			} else if (node_ok) {
				r->action = A_ALLOC_NODE;
				if (zero)
					im->count[C_ZERO_DROPPED]++;
			} else {
				r->action = zero ? A_ZALLOC : A_ALLOC;
			}
		}
		l = ptr_insert(&pt, r->ptr);
		l->site = r->site;
		l->req = r->req;
		l->alloc = r->alloc;
		l->cpu = r->cpu;
		l->kmalloc = r->kind == R_KMALLOC;
		l->action = r->action;
		if (r->action != A_SKIP) {
			r->name = l->name = next_name++;
			live_bytes += r->alloc;
			live_objs++;
			if (live_bytes > im->peak_bytes) {
				im->peak_bytes = live_bytes;
				im->peak_objs = live_objs;
			}
			im->count[C_REPLAY_ALLOC]++;
		}
	}
	im->count[C_LIVE_END] = live_objs;
	free(pt.slot);
}

static void skipped_lines_text(const struct importer *im, char *buf, size_t len);

bool import_finish(struct importer *im, char *err, size_t errlen)
{
	const struct import_base *b = im->o.base;

	if (!im->nr) {
		const char *what = im->nr_src == 1 ? im->src[0].name : "the input";

		if (!im->count[C_LINES])
			snprintf(err, errlen, "%s: empty, no trace lines", what);
		else {
			char why[400];

			skipped_lines_text(im, why, sizeof(why));
			snprintf(err, errlen, "%s: no kmem slab events (kmalloc, kmem_cache_alloc, kfree, kmem_cache_free) in %" PRIu64 " lines%s",
				 what, im->count[C_LINES], why);
		}
		return false;
	}
	im->nodes = im->o.nodes ? im->o.nodes : b ? b->nodes : 1;
	im->cpus = im->o.cpus ? im->o.cpus : b && b->cpus ? b->cpus : im->max_cpu + 1;
	if (!im->o.cpus && !b && im->cpus < im->nodes)
		im->cpus = im->nodes;
	if (im->max_cpu + 1 > WL_MAX_CPUS) {
		snprintf(err, errlen, "the trace has CPU %d; the simulator has at most %d CPUs",
			 im->max_cpu, WL_MAX_CPUS);
		return false;
	}
	if (im->max_cpu >= im->cpus) {
		snprintf(err, errlen, "the trace has CPU %d but the machine has %d CPU%s (%s)",
			 im->max_cpu, im->cpus, im->cpus == 1 ? "" : "s",
			 im->o.cpus ? "--cpus" : "the base's machine.cpus");
		return false;
	}
	if (im->nodes > im->cpus) {
		snprintf(err, errlen, "%d nodes but %d CPUs (every node needs a CPU)",
			 im->nodes, im->cpus);
		return false;
	}
	sort_by_time(im);
	im->t0 = im->recs[0].t;
	/* A workload spans at most 10^6 s; later stamps are garbled ones. */
	while (im->nr && im->recs[im->nr - 1].t - im->t0 > WL_MAX_TIME) {
		im->nr--;
		im->count[C_TOO_LATE]++;
	}
	match(im);
	/* the first event written is at t: 0 */
	for (size_t i = 0; i < im->nr; i++)
		if (im->recs[i].action != A_SKIP || im->recs[i].pre_action != A_SKIP) {
			im->t0 = im->recs[i].t;
			break;
		}
	if (!im->count[C_REPLAY_ALLOC]) {
		snprintf(err, errlen, "%s: none of the %" PRIu64 " kmem slab events can be replayed (no successful allocation)",
			 im->nr_src == 1 ? im->src[0].name : "the input", (uint64_t)im->nr);
		return false;
	}

	/* Room for the peak twice over (SLAB's size classes and slabs are
	 * not SLUB's) and for the kernel's own, within the loader's limits. */
	uint64_t total = im->peak_bytes * 2 + 32 * MIB;
	uint64_t per = (total / (uint64_t)im->nodes + 16 * MIB - 1) / (16 * MIB) * (16 * MIB);
	uint64_t cap = (3072 * MIB / (uint64_t)im->nodes) / MIB * MIB;
	if (per > cap) {
		per = cap;
		im->memory_capped = true;
	}
	im->memory = per;
	im->finished = true;
	return true;
}

/* ------------------------------------------------------------------ */
/* The report: what was kept, counted, skipped                           */
/* ------------------------------------------------------------------ */

/* What import_report prints of the counters, in this order; where: the
 * first line counted is named. */
static const struct { enum count c; const char *text; bool where; } skips[] = {
	{ C_NULL_FREE, "frees of a null pointer, skipped", false },
	{ C_UNKNOWN_FREE, "frees of pointers never seen allocated (allocated before the trace began, or lost), skipped", false },
	{ C_FAILED_ALLOC, "allocations that failed in the traced kernel (null pointer), skipped", false },
	{ C_ZERO_KMALLOC, "kmalloc(0) (ZERO_SIZE_PTR, nothing allocated), skipped", false },
	{ C_MISSED_FREE, "allocations of a pointer still live (its free was not traced): freed first, at the same time, site @untraced", false },
	{ C_BIG_CACHE, "kmem_cache_alloc of objects over 128 KiB (beyond SLAB's largest), skipped with their frees", false },
	{ C_BIG_KMALLOC, "kmallocs over 128 KiB, kept: the simulated 2.6.17 kmalloc fails them", false },
	{ C_ZERO_DROPPED, "__GFP_ZERO on kmalloc or *_node allocations (no 2.6.17 form), zeroing dropped", false },
	{ C_NODE_DROPPED, "node= requests for nodes the machine lacks, allocated as plain", false },
	{ C_BAD_LINE, "lines not understood, skipped", true },
	{ C_BAD_CPU, "lines with a CPU over 4095, skipped", true },
	{ C_NO_CPU, "lines without a CPU ([NNN]; perf record without -a), put on CPU 0", true },
	{ C_BACKWARDS, "lines whose time went back on their CPU, skipped", true },
	{ C_TRUNCATED, "last lines without a newline (a cut capture), skipped", true },
	{ C_LONG_LINE, "lines over 64 KiB, skipped", true },
	{ C_NOT_KMEM, "events that are not kmem events, skipped", true },
	{ C_TOO_LATE, "events over 10^6 s after the first (a workload's limit), skipped", false },
};

static void where_text(const struct importer *im, enum count c, char *buf,
		       size_t len)
{
	const struct where *w = &im->first[c];

	if (!w->source)
		buf[0] = '\0';
	else
		snprintf(buf, len, " (first: %s:%" PRIu64 ")",
			 im->src[w->source - 1].name, w->line);
}

/* The lines skipped whole, for the error of a trace with no events: why
 * there were none. "" when no line was skipped. */
static void skipped_lines_text(const struct importer *im, char *buf, size_t len)
{
	size_t n = 0;
	char w[300];

	buf[0] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(skips) && n < len; i++) {
		if (!skips[i].where || !im->count[skips[i].c])
			continue;
		where_text(im, skips[i].c, w, sizeof(w));
		int k = snprintf(buf + n, len - n, "; %" PRIu64 " %s%s",
				 im->count[skips[i].c], skips[i].text, w);
		if (k < 0)
			break;
		n += (size_t)k;
	}
}

void import_report(struct importer *im, struct strbuf *sb, const char *pfx)
{
	char w[700];

	sb_printf(sb, "%ssources:", pfx);
	for (size_t i = 0; i < im->nr_src; i++)
		sb_printf(sb, "%s %s (%" PRIu64 " lines)", i ? "," : "",
			  im->src[i].name, im->src[i].lines);
	sb_putc(sb, '\n');
	sb_printf(sb, "%strace: %" PRIu64 " kmalloc, %" PRIu64 " kmem_cache_alloc, %" PRIu64 " kfree, %" PRIu64 " kmem_cache_free",
		  pfx, im->count[C_KMALLOC], im->count[C_CACHE_ALLOC],
		  im->count[C_KFREE], im->count[C_CACHE_FREE]);
	if (im->count[C_HEADER] || im->count[C_BLANK])
		sb_printf(sb, "; %" PRIu64 " header and %" PRIu64 " blank lines",
			  im->count[C_HEADER], im->count[C_BLANK]);
	sb_putc(sb, '\n');
	if (im->finished) {
		sb_printf(sb, "%sreplayed: %" PRIu64 " allocations, %" PRIu64 " frees; %" PRIu64 " objects still live at the end\n",
			  pfx, im->count[C_REPLAY_ALLOC], im->count[C_REPLAY_FREE],
			  im->count[C_LIVE_END]);
		sb_printf(sb, "%speak live: %" PRIu64 " bytes in %" PRIu64 " objects (the traced kernel's bytes_alloc)\n",
			  pfx, im->peak_bytes, im->peak_objs);
	}
	for (size_t i = 0; i < ARRAY_SIZE(skips); i++) {
		if (!im->count[skips[i].c])
			continue;
		if (skips[i].where)
			where_text(im, skips[i].c, w, sizeof(w));
		else
			w[0] = '\0';
		sb_printf(sb, "%s%" PRIu64 " %s%s\n", pfx, im->count[skips[i].c],
			  skips[i].text, w);
	}
	uint64_t dropped = 0;
	for (size_t i = 0; i <= GFP_UNKNOWN_SLOT; i++)
		dropped += im->gfp_dropped[i];
	if (dropped) {
		const char *sep = "";

		sb_printf(sb, "%sgfp flags with no 2.6.17 meaning, dropped:", pfx);
		for (size_t i = 0; i < ARRAY_SIZE(gfp_single); i++)
			if (im->gfp_dropped[i]) {
				sb_printf(sb, "%s __GFP_%s %" PRIu64, sep,
					  gfp_single[i].name, im->gfp_dropped[i]);
				sep = ",";
			}
		for (size_t i = 0; i < ARRAY_SIZE(gfp_composite); i++)
			if (im->gfp_dropped[ARRAY_SIZE(gfp_single) + i]) {
				sb_printf(sb, "%s %s %" PRIu64, sep, gfp_composite[i].name,
					  im->gfp_dropped[ARRAY_SIZE(gfp_single) + i]);
				sep = ",";
			}
		if (im->gfp_dropped[GFP_UNKNOWN_SLOT])
			sb_printf(sb, "%s unknown %" PRIu64, sep,
				  im->gfp_dropped[GFP_UNKNOWN_SLOT]);
		sb_putc(sb, '\n');
	}
	if (im->count[C_OTHER_KMEM]) {
		const char *sep = "";

		sb_printf(sb, "%sother kmem events, not replayed:", pfx);
		for (size_t i = 0; i < ARRAY_SIZE(other_kmem_names); i++)
			if (im->other_kmem[i]) {
				sb_printf(sb, "%s %s %" PRIu64, sep, other_kmem_names[i],
					  im->other_kmem[i]);
				sep = ",";
			}
		sb_putc(sb, '\n');
	}
	if (im->count[C_PAGE_ALLOC] || im->count[C_PAGE_FREE] ||
	    im->count[C_PAGE_FREE_BATCHED]) {
		sb_printf(sb, "%sreal page allocator (not replayed; the simulated one makes its own): mm_page_alloc %" PRIu64 " (%" PRIu64 " pages), mm_page_free %" PRIu64 " (%" PRIu64 " pages)",
			  pfx, im->count[C_PAGE_ALLOC], im->count[C_PAGE_ALLOC_PAGES],
			  im->count[C_PAGE_FREE], im->count[C_PAGE_FREE_PAGES]);
		if (im->count[C_PAGE_FREE_BATCHED])
			sb_printf(sb, ", mm_page_free_batched %" PRIu64,
				  im->count[C_PAGE_FREE_BATCHED]);
		sb_putc(sb, '\n');
	}
	for (const char *n = im->notes.buf; n && *n; ) {
		const char *nl = strchr(n, '\n');

		sb_printf(sb, "%s%.*s\n", pfx, (int)(nl - n), n);
		n = nl + 1;
	}
	if (im->count[C_LOST])
		sb_printf(sb, "%sLOST EVENTS: the ftrace buffer overwrote %" PRIu64 " events (entries-in-buffer/entries-written); objects they allocated or freed are missing\n",
			  pfx, im->count[C_LOST]);
	if (im->finished && !im->o.base)
		sb_printf(sb, "%smachine: %d CPU%s (highest in the trace: %d), %d node%s, %" PRIu64 " MiB per node (peak live x2 + 32 MiB%s)\n",
			  pfx, im->cpus, im->cpus == 1 ? "" : "s", im->max_cpu,
			  im->nodes, im->nodes == 1 ? "" : "s", (uint64_t)(im->memory / MIB),
			  im->memory_capped ? "; capped at 3 GiB in all" : "");
	else if (im->finished)
		sb_printf(sb, "%smachine, slab and caches from %s\n", pfx,
			  im->o.base->path);
}

/* ------------------------------------------------------------------ */
/* Writing the workload                                                  */
/* ------------------------------------------------------------------ */

/* A line being formatted; every event fits (sites are cut to MAX_SITE). */
struct line {
	char b[640];
	size_t n;
};

static void l_str(struct line *l, const char *s)
{
	size_t n = strlen(s);

	memcpy(l->b + l->n, s, n);
	l->n += n;
}

static void l_u64(struct line *l, uint64_t v)
{
	char t[24];
	int n = 0;

	do {
		t[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		l->b[l->n++] = t[--n];
}

static void l_name(struct line *l, uint32_t id)
{
	char t[16];
	int n = 0;

	do {
		t[n++] = "0123456789abcdefghijklmnopqrstuvwxyz"[id % 36];
		id /= 36;
	} while (id);
	/* "null" would read as YAML's null, not a name: "null_" (no id has a _) */
	bool null_word = n == 4 && !memcmp(t, "llun", 4);
	while (n)
		l->b[l->n++] = t[--n];
	if (null_word)
		l->b[l->n++] = '_';
}

/* The site as kept: printable ASCII, nothing YAML reads as syntax. */
static void l_site(struct line *l, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		l->b[l->n++] = c > ' ' && c < 0x7f && c != '"' && c != '\\' &&
			       c != ':' && c != '#' && c != '\'' ? (char)c : '_';
	}
}

/* gfp bits in the loader's names; GFP_KERNEL (the default) as "". */
static void gfp_text(uint32_t bits, char *out, size_t len)
{
	size_t n = 0;

	bits &= ~G_ZERO_ASKED;
	out[0] = '\0';
	if (bits == G_KERNEL)
		return;
	if (!bits) {
		snprintf(out, len, "GFP_NOWAIT");
		return;
	}
	for (size_t i = 0; i < ARRAY_SIZE(gfp_out) && bits; i++)
		if ((bits & gfp_out[i].bits) == gfp_out[i].bits) {
			n += (size_t)snprintf(out + n, len - n, "%s%s", n ? "|" : "",
					      gfp_out[i].name);
			bits &= ~gfp_out[i].bits;
		}
}

static const char *const op_name[] = {
	[A_ALLOC] = "alloc", [A_ZALLOC] = "zalloc", [A_ALLOC_NODE] = "alloc_node",
	[A_KMALLOC] = "kmalloc", [A_KMALLOC_NODE] = "kmalloc_node",
	[A_FREE] = "free", [A_KFREE] = "kfree",
};

/* One event in the chosen form into l (without the newline). */
static void event_text(const struct importer *im, struct line *l,
		       uint64_t t, int cpu, enum action a, const struct rec *r,
		       uint32_t name, const char *site)
{
	bool map = im->o.form == IMPORT_MAPPING;
	bool alloc = a != A_FREE && a != A_KFREE;
	char gfp[200];

	gfp[0] = '\0';
	if (alloc)
		gfp_text(r->gfp, gfp, sizeof(gfp));
	l->n = 0;
	l_str(l, map ? "- {t: " : "- ");
	l_u64(l, t);
	l_str(l, map ? "ns, cpu: " : "ns ");
	l_u64(l, (uint64_t)cpu);
	l_str(l, map ? ", " : " ");
	l_str(l, op_name[a]);
	l_str(l, map ? ": " : " ");
	switch (a) {
	case A_ALLOC: case A_ZALLOC: case A_ALLOC_NODE:
		l_str(l, im->caches[r->cache].name);
		break;
	case A_KMALLOC: case A_KMALLOC_NODE:
		l_u64(l, r->req);
		break;
	default:
		l_name(l, name);
		break;
	}
	if (a == A_ALLOC_NODE || a == A_KMALLOC_NODE) {
		l_str(l, map ? ", node: " : " ");
		l_u64(l, (uint64_t)r->node);
	}
	if (alloc) {
		l_str(l, map ? ", as: " : " ");
		l_name(l, name);
	}
	if (gfp[0]) {
		l_str(l, map ? ", gfp: " : " gfp=");
		l_str(l, gfp);
	}
	if (!im->o.no_sites) {
		l_str(l, map ? ", site: \"" : " @");
		l_site(l, site);
		if (map)
			l_str(l, "\"");
	}
	if (map)
		l_str(l, "}");
	l->b[l->n++] = '\n';
}

bool import_write(struct importer *im, FILE *out)
{
	const struct import_base *b = im->o.base;
	struct strbuf sb;
	struct line l;

	sb_init(&sb);
	sb_puts(&sb, "# Imported by 'slabsim import' from kmem tracepoint text.\n");
	import_report(im, &sb, "# ");
	sb_printf(&sb, "name: %s\n", im->o.name ? im->o.name : "imported");
	if (b) {
		sb_printf(&sb, "machine: {%s%scpus: %d, nodes: %d}\n",
			  b->machine ? b->machine : "", b->machine ? ", " : "",
			  im->cpus, im->nodes);
		if (b->slab)
			sb_printf(&sb, "slab: {%s}\n", b->slab);
	} else {
		sb_printf(&sb, "machine: {cpus: %d, nodes: %d, memory: %" PRIu64 "MiB}\n",
			  im->cpus, im->nodes, (uint64_t)(im->memory / MIB));
	}
	bool any = b && b->nr_caches;
	for (uint32_t i = 0; i < im->nr_caches && !any; i++)
		any = !im->caches[i].from_base && !im->caches[i].too_big;
	if (any) {
		sb_puts(&sb, "caches:\n");
		for (size_t i = 0; b && i < b->nr_caches; i++)
			sb_printf(&sb, "  - {%s}\n", b->cache_text[i]);
		for (uint32_t i = 0; i < im->nr_caches; i++) {
			const struct ocache *c = &im->caches[i];

			if (c->from_base || c->too_big)
				continue;
			sb_printf(&sb, "  - {name: %s, size: %u%s}\n", c->name, c->size,
				  c->hwalign ? ", flags: [HWCACHE_ALIGN]" : "");
		}
	}
	sb_puts(&sb, "events:\n");
	bool ok = fwrite(sb.buf, 1, sb.len, out) == sb.len;
	sb_free(&sb);

	for (size_t i = 0; i < im->nr && ok; i++) {
		const struct rec *r = &im->recs[i];
		uint64_t t = r->t - im->t0;

		if (r->pre_action != A_SKIP) {
			event_text(im, &l, t, r->cpu, r->pre_action, r, r->pre_name,
				   "untraced");
			ok = fwrite(l.b, 1, l.n, out) == l.n;
		}
		if (r->action == A_SKIP)
			continue;
		event_text(im, &l, t, r->cpu, r->action, r, r->name,
			   im->sites.s[r->site]);
		ok = ok && fwrite(l.b, 1, l.n, out) == l.n;
	}
	return ok && !ferror(out);
}

/* ------------------------------------------------------------------ */
/* --stat: the trace's own per-call-site figures                         */
/* ------------------------------------------------------------------ */

static const struct importer *sort_im;

/* Most bytes first, then most allocations and frees, then by name. */
static int site_cmp(const void *a, const void *b)
{
	const struct site_stat *x = &sort_im->stat[*(const uint32_t *)a];
	const struct site_stat *y = &sort_im->stat[*(const uint32_t *)b];

	if (x->alloc != y->alloc)
		return x->alloc > y->alloc ? -1 : 1;
	if (x->allocs != y->allocs)
		return x->allocs > y->allocs ? -1 : 1;
	if (x->frees != y->frees)
		return x->frees > y->frees ? -1 : 1;
	return strcmp(sort_im->sites.s[*(const uint32_t *)a],
		      sort_im->sites.s[*(const uint32_t *)b]);
}

static double frag_pct(uint64_t req, uint64_t alloc)
{
	return alloc ? 100.0 - 100.0 * (double)req / (double)alloc : 0.0;
}

bool import_write_stat(struct importer *im, FILE *out, bool csv)
{
	uint32_t *order = xcalloc(im->sites.n ? im->sites.n : 1, sizeof(*order));
	uint32_t n = 0;
	struct site_stat tot = { 0 };

	for (uint32_t i = 0; i < im->sites.n; i++) {
		const struct site_stat *s = &im->stat[i];

		if (s->allocs || s->frees)
			order[n++] = i;
		tot.allocs += s->allocs;
		tot.frees += s->frees;
		tot.req += s->req;
		tot.alloc += s->alloc;
		tot.cross_cpu += s->cross_cpu;
		tot.cross_node += s->cross_node;
	}
	sort_im = im;
	qsort(order, n, sizeof(*order), site_cmp);
	sort_im = NULL;

	if (csv) {
		fputs("site,allocs,frees,bytes_req,bytes_alloc,frag_pct,cross_cpu_frees,cross_node_frees\n", out);
		for (uint32_t k = 0; k < n; k++) {
			const struct site_stat *s = &im->stat[order[k]];
			const char *name = im->sites.s[order[k]];
			bool q = strpbrk(name, ",\"") != NULL;

			fprintf(out, "%s%s%s,%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%.3f,%" PRIu64 ",%" PRIu64 "\n",
				q ? "\"" : "", name, q ? "\"" : "", s->allocs, s->frees,
				s->req, s->alloc, frag_pct(s->req, s->alloc),
				s->cross_cpu, s->cross_node);
		}
		free(order);
		return !ferror(out);
	}

	static const char rule[] =
		"------------------------------------------------------------------------------------------------------------------------\n";
	fputs(rule, out);
	fprintf(out, " %-40s | %-17s | %-17s | %8s | %8s | %9s | %s\n", "Callsite",
		"Total_alloc/Per", "Total_req/Per", "Hit", "Frees", "Ping-pong", "Frag");
	fputs(rule, out);
	for (uint32_t k = 0; k < n; k++) {
		const struct site_stat *s = &im->stat[order[k]];
		char a[40], r[40];

		snprintf(a, sizeof(a), "%" PRIu64 "/%" PRIu64, s->alloc,
			 s->allocs ? s->alloc / s->allocs : 0);
		snprintf(r, sizeof(r), "%" PRIu64 "/%" PRIu64, s->req,
			 s->allocs ? s->req / s->allocs : 0);
		fprintf(out, " %-40s | %17s | %17s | %8" PRIu64 " | %8" PRIu64 " | %9" PRIu64 " | %7.3f%%\n",
			im->sites.s[order[k]], a, r, s->allocs, s->frees,
			s->cross_cpu, frag_pct(s->req, s->alloc));
	}
	fputs(rule, out);
	fprintf(out, "\nSUMMARY (as the traced kernel served it)\n"
		"========================================\n");
	fprintf(out, "Total bytes requested: %" PRIu64 "\n", tot.req);
	fprintf(out, "Total bytes allocated: %" PRIu64 "\n", tot.alloc);
	fprintf(out, "Total bytes wasted on internal fragmentation: %" PRIu64 "\n",
		tot.alloc - tot.req);
	fprintf(out, "Internal fragmentation: %.3f%%\n", frag_pct(tot.req, tot.alloc));
	fprintf(out, "Allocations: %" PRIu64 ", frees matched to them: %" PRIu64 "\n",
		tot.allocs, tot.frees);
	fprintf(out, "Cross CPU frees: %" PRIu64 "/%" PRIu64 "\n", tot.cross_cpu, tot.frees);
	fprintf(out, "Cross node frees: %" PRIu64 "/%" PRIu64 " (%d node%s)\n",
		tot.cross_node, tot.frees, im->nodes, im->nodes == 1 ? "" : "s");
	free(order);
	return !ferror(out);
}

/* ------------------------------------------------------------------ */
/* One call                                                              */
/* ------------------------------------------------------------------ */

bool import_buffer(const char *name, const char *buf, size_t len,
		   const struct import_options *o, bool stat,
		   struct strbuf *out, char *err, size_t errlen)
{
	struct importer *im = import_new(o);
	char *text = NULL;
	size_t tlen = 0;
	bool ok;

	import_source(im, name);
	ok = import_feed(im, buf, len, err, errlen);
	if (ok) {
		import_source_end(im);
		ok = import_finish(im, err, errlen);
	}
	if (ok) {
		FILE *f = open_memstream(&text, &tlen);

		ok = f && (stat ? import_write_stat(im, f, true) : import_write(im, f));
		if (f)
			ok = fclose(f) == 0 && ok;
		if (ok)
			sb_printf(out, "%.*s", (int)tlen, text ? text : "");
		else
			snprintf(err, errlen, "%s: cannot write the output", name);
		free(text);
	}
	import_free(im);
	return ok;
}
