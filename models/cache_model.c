/*
 * The cache-line model: per simulated CPU a private L1d and L2, both
 * set-associative with true LRU, kept coherent by a simplified MESI.
 *
 * Policies, chosen for speed and for being easy to reason about:
 *
 * - Inclusive: every line valid in a CPU's L1 is valid in its L2 with the
 *   same state. A miss to memory fills L2 and L1; an L2 hit fills L1; an
 *   L2 eviction drops the line from L1 too (back-invalidation). L1 hits do
 *   not refresh L2 recency, as in hardware that never sees them.
 * - States are Shared and Modified only. There is no Exclusive state: the
 *   directory below answers "does anyone else hold this line?" cheaply,
 *   which is all Exclusive would buy us.
 * - A write to a line not Modified here invalidates it in every other
 *   CPU's L1 and L2. The invalidated way keeps its line number, marked
 *   stale, and its LRU position, until it ages out or the line is fetched
 *   again; a miss that finds such a marker is a coherence miss.
 * - A read miss on a line another CPU holds Modified downgrades that copy
 *   to Shared and is served at memory cost: no cache-to-cache transfer.
 * - Cost of a line is the cost of the level that served it (cost_l1,
 *   cost_l2, cost_local or cost_remote), not a sum over levels. A write
 *   that upgrades a Shared line in L1 costs an L1 hit.
 * - Statistics count lines, not calls: an access spanning two lines is
 *   two accesses. The L1 set table counts L1 misses (served by L2 or by
 *   memory).
 *
 * - The directory keeps, per line held anywhere, a count of holders, the
 *   last CPU to claim or fill it and a bit per CPU (cpu % 64), so that a
 *   write asks only the CPUs that may hold the line: its cost follows the
 *   sharers, not the size of the machine.
 * - Statistics are kept per tag (and per tag and L1 set); totals are their
 *   sums, worked out when read.
 *
 * Memory: 8 bytes per way, plus a directory of 24 bytes per slot with two
 * to four slots per L2 way of the machine. 256 CPUs with 32 KiB L1 and
 * 1 MiB L2 of 64-byte lines: 1 + 32 MiB of ways and a 192 MiB directory,
 * touched lazily. Machines beyond 2^24 L2 lines in all are refused.
 * Addresses must stay below 2^58 (line numbers are stored shifted). Per
 * tag, 16 bytes per L1 set (at most 64 MiB in all).
 */
#include "models/cache_model.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#define CM_MAX_WAYS	32
#define CM_MAX_CPUS	4096
#define CM_MAX_TAGS	(1u << 20)		/* beyond: totals only */
#define CM_MAX_WAY_BYTES (1ull << 30)		/* per level, all CPUs */
#define CM_MAX_L2_LINES	(1ull << 24)		/* all CPUs: sizes the directory */
#define CM_DIR_BITS_MIN	10
#define CM_MAX_SET_COUNTS (1u << 22)		/* per-tag L1 set counters */

/*
 * A way is one word, (line number + 1) << 2 | state, so a 16-way set fits
 * in two host cache lines and a lookup is one compare per way: an empty
 * way is 0 and never matches. Ways of a set are kept in recency order,
 * most recent first: the victim is always the last way, and the common hit
 * (the line touched last) is found at once.
 */
enum cm_state {
	CM_EMPTY = 0,		/* never filled, or dropped by inclusion */
	CM_STALE = 1,		/* invalidated by another CPU's write */
	CM_SHARED = 2,		/* clean; other CPUs may hold it too */
	CM_MODIFIED = 3,	/* written here; no other CPU holds it */
};

enum cm_outcome { CM_HIT_L1, CM_HIT_L2, CM_MEMORY };

struct cm_geom {
	unsigned int ways;
	uint64_t sets;		/* power of two */
	uint64_t set_mask;
	size_t per_cpu;		/* ways of one CPU: sets * ways */
};

/*
 * Directory slot: the CPUs holding one line valid in L2. sharers has bit
 * cpu % 64 set for every such CPU: exact up to 64 CPUs; beyond, a bit
 * may stay set after its CPUs dropped the line (it is cleared when the
 * line is claimed), so it names the CPUs worth asking, never fewer.
 */
struct cm_dir {
	uint64_t key;		/* line + 1; 0 = free slot */
	uint64_t sharers;	/* bit cpu % 64 per holder (see above) */
	uint32_t count;		/* CPUs holding it valid in L2 */
	int32_t hint;		/* last CPU to fill or claim it */
};

struct cm_set_count {
	uint64_t accesses, misses;
};

struct cache_model {
	struct cache_model_config cfg;
	unsigned int line_shift;
	struct cm_geom g1, g2;
	uint64_t cost[2][3];		/* [remote][outcome], ns */
	uint64_t *l1, *l2;		/* nr_cpus * per_cpu ways each */
	struct cm_dir *dir;		/* 1 << dir_bits slots */
	unsigned int dir_bits;
	/*
	 * Statistics per tag only: the totals are their sum (plus overflow,
	 * the accesses whose tag got no entry), worked out when read.
	 */
	struct cm_stats overflow;
	struct cm_stats *tags;		/* tag_cap entries, grown on demand */
	uint32_t tag_cap, tag_max;
	/*
	 * L1 set counts per tag: set_tags rows of g1.sets entries (fewer
	 * rows than tags when the table would pass CM_MAX_SET_COUNTS; later
	 * tags then count in overflow_sets). A set's total is the column sum.
	 */
	struct cm_set_count *tag_sets;
	uint32_t set_tags;
	struct cm_set_count **set_rows;	/* per tag < tag_max: its row */
	struct cm_set_count *overflow_sets;	/* g1.sets entries */
};

static inline uint64_t cm_key(uint64_t line, enum cm_state st)
{
	return (line + 1) << 2 | (uint64_t)st;
}

/* meaningless for an empty way */
static inline uint64_t key_line(uint64_t key)
{
	return (key >> 2) - 1;
}

static inline enum cm_state key_state(uint64_t key)
{
	return (enum cm_state)(key & 3);
}

static inline bool state_valid(enum cm_state st)
{
	return st == CM_SHARED || st == CM_MODIFIED;
}

/* ---- Geometry: what the create function accepts ---- */

static bool is_pow2(uint64_t x)
{
	return x && !(x & (x - 1));
}

static unsigned int log2_u64(uint64_t x)
{
	unsigned int n = 0;

	while (x > 1) {
		x >>= 1;
		n++;
	}
	return n;
}

/* Fills g for one level; false if the level cannot be built as asked. */
static bool geom_init(struct cm_geom *g, const struct cm_level *lv,
		      unsigned int line, int nr_cpus)
{
	uint64_t set_bytes, sets;

	if (lv->ways < 1 || lv->ways > CM_MAX_WAYS || lv->size == 0)
		return false;
	set_bytes = (uint64_t)line * lv->ways;
	if (lv->size % set_bytes)
		return false;
	sets = lv->size / set_bytes;
	if (!is_pow2(sets))
		return false;
	/* sets * ways * 8 bytes * nr_cpus, checked without overflowing */
	if (lv->size / line > CM_MAX_WAY_BYTES / sizeof(uint64_t) / nr_cpus)
		return false;
	g->ways = lv->ways;
	g->sets = sets;
	g->set_mask = sets - 1;
	g->per_cpu = (size_t)(sets * lv->ways);
	return true;
}

/* ---- Sets: lookup and recency order ---- */

static inline uint64_t *l1_set(const struct cache_model *cm, int cpu,
			       uint64_t line)
{
	return cm->l1 + (size_t)cpu * cm->g1.per_cpu +
	       (size_t)(line & cm->g1.set_mask) * cm->g1.ways;
}

static inline uint64_t *l2_set(const struct cache_model *cm, int cpu,
			       uint64_t line)
{
	return cm->l2 + (size_t)cpu * cm->g2.per_cpu +
	       (size_t)(line & cm->g2.set_mask) * cm->g2.ways;
}

/* Index of the way holding line in any non-empty state, or -1. */
static inline int set_find(const uint64_t *set, unsigned int ways,
			   uint64_t line)
{
	const uint64_t want = line + 1;
	unsigned int w;

	for (w = 0; w < ways; w++)
		if ((set[w] >> 2) == want)
			return (int)w;
	return -1;
}

/*
 * Moves way idx to the most recent position, rewritten as key. A plain
 * loop: the sets are short, and a memmove call costs more than the copy.
 */
static inline void set_touch(uint64_t *set, int idx, uint64_t key)
{
	for (; idx > 0; idx--) {
		set[idx] = set[idx - 1];
		/* keeps gcc from turning the loop into a memmove call */
		__asm__("" : "+r"(idx));
	}
	set[0] = key;
}

/* Puts key first, pushing out the least recent way; returns that way. */
static uint64_t set_insert(uint64_t *set, unsigned int ways, uint64_t key)
{
	uint64_t victim = set[ways - 1];

	set_touch(set, (int)ways - 1, key);
	return victim;
}

/* Removes way idx; the freed way becomes the next victim. */
static void set_drop(uint64_t *set, unsigned int ways, int idx)
{
	unsigned int w;

	for (w = (unsigned int)idx; w + 1 < ways; w++)
		set[w] = set[w + 1];
	set[ways - 1] = 0;	/* empty */
}

/* ---- The directory: who else holds a line ----
 *
 * Coherence needs to know which other CPUs hold a line. Asking every CPU
 * on every write would cost nr_cpus set lookups per access, so an exact
 * directory (open addressing, linear probing) counts the CPUs holding
 * each line valid in L2 and remembers the last CPU that filled or claimed
 * it. Most lines are held by one CPU, or by two that pass an object back
 * and forth: the count and the hint settle those without a scan.
 *
 * The hint has one exact property the code relies on: if any CPU holds
 * the line Modified, it is the hint (a line becomes Modified only through
 * claim_line, which sets the hint, and any later holder first downgrades
 * it through share_line).
 */

static inline size_t dir_home(const struct cache_model *cm, uint64_t line)
{
	/* Fibonacci hashing: neighbouring lines land far apart. */
	return (size_t)((line * 0x9e3779b97f4a7c15ull) >> (64 - cm->dir_bits));
}

/* The entry of line, or NULL when no CPU holds it. */
static inline struct cm_dir *dir_find(const struct cache_model *cm,
				      uint64_t line)
{
	const size_t mask = ((size_t)1 << cm->dir_bits) - 1;
	size_t i = dir_home(cm, line);

	for (;; i = (i + 1) & mask) {
		if (cm->dir[i].key == line + 1)
			return &cm->dir[i];
		if (cm->dir[i].key == 0)
			return NULL;
	}
}

/*
 * cpu now holds line valid in L2. Never fails: the table has twice as
 * many slots as there are L2 ways in the machine.
 */
static void dir_add(struct cache_model *cm, uint64_t line, int cpu)
{
	const size_t mask = ((size_t)1 << cm->dir_bits) - 1;
	size_t i = dir_home(cm, line);

	while (cm->dir[i].key != 0 && cm->dir[i].key != line + 1)
		i = (i + 1) & mask;
	if (cm->dir[i].key == 0) {
		cm->dir[i].key = line + 1;
		cm->dir[i].count = 0;
		cm->dir[i].sharers = 0;
	}
	cm->dir[i].count++;
	cm->dir[i].sharers |= 1ull << (cpu & 63);
	cm->dir[i].hint = cpu;
}

/*
 * Empties slot i, then pulls later entries of the same probe run back so
 * that no lookup stops early at the hole (backward-shift deletion).
 */
static void dir_delete(struct cache_model *cm, size_t i)
{
	const size_t mask = ((size_t)1 << cm->dir_bits) - 1;
	size_t j = i;

	for (;;) {
		size_t home;

		cm->dir[i].key = 0;
		for (;;) {
			j = (j + 1) & mask;
			if (cm->dir[j].key == 0)
				return;
			home = dir_home(cm, cm->dir[j].key - 1);
			/* may j's entry move to i? only if i lies in [home, j) */
			if (((j - home) & mask) >= ((j - i) & mask))
				break;
		}
		cm->dir[i] = cm->dir[j];
		i = j;
	}
}

/* cpu no longer holds line (an L2 eviction). */
static void dir_drop(struct cache_model *cm, uint64_t line, int cpu)
{
	struct cm_dir *d = dir_find(cm, line);

	assert(d && d->count > 0);
	if (--d->count == 0)
		dir_delete(cm, (size_t)(d - cm->dir));
	else if (cm->cfg.nr_cpus <= 64)
		d->sharers &= ~(1ull << cpu);
}

/* Makes o's copy of line stale in L2 and L1; false if o held none valid. */
static bool invalidate_on(struct cache_model *cm, int o, uint64_t line)
{
	uint64_t *s2 = l2_set(cm, o, line), *s1;
	int j = set_find(s2, cm->g2.ways, line);

	if (j < 0 || !state_valid(key_state(s2[j])))
		return false;
	s2[j] = cm_key(line, CM_STALE);
	s1 = l1_set(cm, o, line);
	j = set_find(s1, cm->g1.ways, line);
	if (j >= 0)
		s1[j] = cm_key(line, CM_STALE);
	return true;
}

/*
 * cpu is about to hold line Modified: every other CPU's valid copy becomes
 * stale. here says whether cpu already holds it valid. When it does not,
 * the caller fills L2 right after, so an entry left at count 0 is kept for
 * that fill rather than deleted and inserted again. Only the CPUs the
 * sharer bits name are asked, so the cost follows the holders, not the
 * machine's size.
 */
static void claim_line(struct cache_model *cm, int cpu, uint64_t line,
		       bool here)
{
	struct cm_dir *d = dir_find(cm, line);
	const int n = cm->cfg.nr_cpus;
	uint32_t others, found = 0;
	uint64_t bits;

	if (!d)
		return;
	others = d->count - (here ? 1 : 0);
	if (others && d->hint != cpu && invalidate_on(cm, d->hint, line))
		found++;
	for (bits = d->sharers; bits && found < others; bits &= bits - 1) {
		int o;

		for (o = __builtin_ctzll(bits); o < n && found < others;
		     o += 64)
			if (o != cpu && o != d->hint &&
			    invalidate_on(cm, o, line))
				found++;
	}
	assert(found == others);
	d->count -= found;
	d->sharers = 1ull << (cpu & 63);
	d->hint = cpu;
}

/*
 * cpu is about to read line from memory: a Modified copy elsewhere (only
 * ever the hint's) is written back, that is downgraded to Shared.
 */
static void share_line(struct cache_model *cm, int cpu, uint64_t line)
{
	struct cm_dir *d = dir_find(cm, line);
	uint64_t *s2, *s1;
	int j;

	if (!d || d->hint == cpu)
		return;
	s2 = l2_set(cm, d->hint, line);
	j = set_find(s2, cm->g2.ways, line);
	if (j < 0 || key_state(s2[j]) != CM_MODIFIED)
		return;
	s2[j] = cm_key(line, CM_SHARED);
	s1 = l1_set(cm, d->hint, line);
	j = set_find(s1, cm->g1.ways, line);
	if (j >= 0 && key_state(s1[j]) == CM_MODIFIED)
		s1[j] = cm_key(line, CM_SHARED);
}

/* ---- Fills ---- */

/*
 * Puts line into L1 set s1, at way i (its stale way, found by the
 * caller's lookup) or, i < 0, over the least recent way.
 */
static inline void fill_l1(struct cache_model *cm, uint64_t *s1, int i,
			   uint64_t line, enum cm_state st)
{
	if (i >= 0)
		set_touch(s1, i, cm_key(line, st));
	else
		set_insert(s1, cm->g1.ways, cm_key(line, st));
}

/*
 * Puts line (fetched from memory) into cpu's L2 at way i2 (its stale
 * marker) or over the least recent way; a valid victim leaves L1 too.
 */
static void fill_l2(struct cache_model *cm, int cpu, uint64_t *s2, int i2,
		    uint64_t line, enum cm_state st)
{
	uint64_t victim;

	dir_add(cm, line, cpu);
	if (i2 >= 0) {
		set_touch(s2, i2, cm_key(line, st));
		return;
	}
	victim = set_insert(s2, cm->g2.ways, cm_key(line, st));
	if (state_valid(key_state(victim))) {
		uint64_t vline = key_line(victim);
		uint64_t *s1 = l1_set(cm, cpu, vline);
		int j = set_find(s1, cm->g1.ways, vline);

		dir_drop(cm, vline, cpu);
		if (j >= 0 && state_valid(key_state(s1[j])))
			set_drop(s1, cm->g1.ways, j);
	}
}

/* ---- One line ---- */

/*
 * cpu touches one line. Returns where it was served; *coherence is set
 * when a memory access was caused by another CPU's invalidation.
 */
static enum cm_outcome access_line(struct cache_model *cm, int cpu,
				   uint64_t line, bool write, bool *coherence,
				   struct cm_set_count *sets)
{
	struct cm_set_count *sc = &sets[line & cm->g1.set_mask];
	uint64_t *s1 = l1_set(cm, cpu, line);
	uint64_t *s2;
	int i1 = set_find(s1, cm->g1.ways, line);
	int i2;
	enum cm_state st;
	bool stale;

	sc->accesses++;
	if (i1 >= 0) {
		st = key_state(s1[i1]);
		if (st == CM_MODIFIED || (st == CM_SHARED && !write)) {
			set_touch(s1, i1, s1[i1]);
			return CM_HIT_L1;
		}
		if (st == CM_SHARED) {
			/* upgrade: others lose the line, L2 follows L1 */
			claim_line(cm, cpu, line, true /* here */);
			set_touch(s1, i1, cm_key(line, CM_MODIFIED));
			s2 = l2_set(cm, cpu, line);
			i2 = set_find(s2, cm->g2.ways, line);
			assert(i2 >= 0 && key_state(s2[i2]) == CM_SHARED);
			s2[i2] = cm_key(line, CM_MODIFIED);
			return CM_HIT_L1;
		}
	}
	sc->misses++;
	stale = i1 >= 0;	/* only a stale L1 way falls through here */

	s2 = l2_set(cm, cpu, line);
	i2 = set_find(s2, cm->g2.ways, line);
	if (i2 >= 0 && state_valid(key_state(s2[i2]))) {
		st = key_state(s2[i2]);
		if (write && st == CM_SHARED) {
			claim_line(cm, cpu, line, true /* here */);
			st = CM_MODIFIED;
		}
		set_touch(s2, i2, cm_key(line, st));
		fill_l1(cm, s1, i1, line, st);	/* s1 is as looked up */
		return CM_HIT_L2;
	}
	stale = stale || i2 >= 0;

	if (write) {
		claim_line(cm, cpu, line, false /* here */);
		st = CM_MODIFIED;
	} else {
		share_line(cm, cpu, line);
		st = CM_SHARED;
	}
	fill_l2(cm, cpu, s2, i2, line, st);
	/*
	 * fill_l2's victim may have left this very L1 set, moving the stale
	 * way up by one; a line not in the set cannot have come into it.
	 */
	if (i1 >= 0 && (s1[i1] >> 2) != line + 1)
		i1 = set_find(s1, cm->g1.ways, line);
	fill_l1(cm, s1, i1, line, st);
	*coherence = stale;
	return CM_MEMORY;
}

/* ---- Statistics ---- */

/* The L1 set counters of tag (a row of tag_sets, or the overflow row). */
static inline struct cm_set_count *tag_set_row(const struct cache_model *cm,
					       uint32_t tag)
{
	return tag < cm->set_tags ? cm->tag_sets + (size_t)tag * cm->g1.sets
				  : cm->overflow_sets;
}

/* Grows the set counters to rows for cap tags, as far as allowed. */
static void grow_tag_sets(struct cache_model *cm, uint32_t cap)
{
	uint32_t rows = CM_MAX_SET_COUNTS / (uint32_t)cm->g1.sets;
	struct cm_set_count *t;

	if (rows > cap)
		rows = cap;
	if (rows <= cm->set_tags)
		return;
	t = realloc(cm->tag_sets, (size_t)rows * cm->g1.sets * sizeof(*t));
	if (!t)
		return;
	memset(t + (size_t)cm->set_tags * cm->g1.sets, 0,
	       (size_t)(rows - cm->set_tags) * cm->g1.sets * sizeof(*t));
	cm->tag_sets = t;
	cm->set_tags = rows;
}

/*
 * The stats and L1 set counters of tag, growing the tables on first use.
 * overflow when the tag is beyond CM_MAX_TAGS or memory runs out: the
 * access then counts in the totals only, and the table is left as it was.
 */
static __attribute__((noinline)) struct cm_stats *
tag_stats_slow(struct cache_model *cm, uint32_t tag, struct cm_set_count **sets)
{
	uint32_t first = cm->tag_max;	/* rows to point from here */

	*sets = cm->overflow_sets;
	if (tag >= cm->tag_cap) {
		uint32_t cap = cm->tag_cap ? cm->tag_cap : 16;
		struct cm_set_count **rows;
		struct cm_stats *t;

		if (tag >= CM_MAX_TAGS)
			return &cm->overflow;
		while (cap <= tag)
			cap *= 2;
		if (cap > CM_MAX_TAGS)
			cap = CM_MAX_TAGS;
		rows = realloc(cm->set_rows, (size_t)cap * sizeof(*rows));
		if (!rows)
			return &cm->overflow;
		cm->set_rows = rows;
		t = realloc(cm->tags, (size_t)cap * sizeof(*t));
		if (!t)
			return &cm->overflow;
		memset(t + cm->tag_cap, 0,
		       (size_t)(cap - cm->tag_cap) * sizeof(*t));
		cm->tags = t;
		cm->tag_cap = cap;
		grow_tag_sets(cm, cap);
		first = 0;	/* tag_sets may have moved */
	}
	if (tag >= cm->tag_max)
		cm->tag_max = tag + 1;
	for (uint32_t u = first; u < cm->tag_max; u++)
		cm->set_rows[u] = tag_set_row(cm, u);
	*sets = cm->set_rows[tag];
	return &cm->tags[tag];
}

static inline struct cm_stats *tag_stats(struct cache_model *cm, uint32_t tag,
					 struct cm_set_count **sets)
{
	if (tag < cm->tag_max) {
		*sets = cm->set_rows[tag];
		return &cm->tags[tag];
	}
	return tag_stats_slow(cm, tag, sets);
}

/* l1_hits, l2_hits and misses are counted by outcome, as an array. */
_Static_assert(offsetof(struct cm_stats, l2_hits) ==
	       offsetof(struct cm_stats, l1_hits) + 8 * CM_HIT_L2 &&
	       offsetof(struct cm_stats, misses) ==
	       offsetof(struct cm_stats, l1_hits) + 8 * CM_MEMORY,
	       "cm_stats counts in outcome order");

static inline void account(struct cm_stats *s, enum cm_outcome out,
			   bool coherence, bool remote)
{
	s->accesses++;
	(&s->l1_hits)[out]++;
	if (out == CM_MEMORY) {
		s->coherence_misses += coherence;
		s->remote += remote;
	}
}

static void stats_add(struct cm_stats *to, const struct cm_stats *s)
{
	to->accesses += s->accesses;
	to->l1_hits += s->l1_hits;
	to->l2_hits += s->l2_hits;
	to->misses += s->misses;
	to->coherence_misses += s->coherence_misses;
	to->remote += s->remote;
}

/* ---- Public interface ---- */

/*
 * Returns NULL (nothing allocated) when the geometry is impossible: line
 * not a power of two or under 4 bytes, ways outside 1..32, a size that is
 * not sets * line * ways with a power-of-two number of sets, nr_cpus
 * outside 1..4096, more than 1 GiB of ways per level or more than 2^24
 * L2 lines in the machine (the directory would pass 768 MiB); or out of
 * memory.
 */
struct cache_model *cache_model_create(const struct cache_model_config *cfg)
{
	struct cache_model *cm;
	uint64_t lines;
	unsigned int bits;

	if (!cfg || cfg->nr_cpus < 1 || cfg->nr_cpus > CM_MAX_CPUS ||
	    cfg->line < 4 || !is_pow2(cfg->line))
		return NULL;
	cm = calloc(1, sizeof(*cm));
	if (!cm)
		return NULL;
	cm->cfg = *cfg;
	cm->line_shift = log2_u64(cfg->line);
	for (int r = 0; r < 2; r++) {
		cm->cost[r][CM_HIT_L1] = cfg->cost_l1;
		cm->cost[r][CM_HIT_L2] = cfg->cost_l2;
		cm->cost[r][CM_MEMORY] = r ? cfg->cost_remote : cfg->cost_local;
	}
	if (!geom_init(&cm->g1, &cfg->l1, cfg->line, cfg->nr_cpus) ||
	    !geom_init(&cm->g2, &cfg->l2, cfg->line, cfg->nr_cpus))
		goto fail;

	/* twice as many slots as L2 ways in the machine: never full, short
	   probe runs */
	lines = (uint64_t)cfg->nr_cpus * cm->g2.per_cpu;
	if (lines > CM_MAX_L2_LINES)
		goto fail;
	bits = (lines > 1 ? log2_u64(lines - 1) + 1 : 0) + 1;
	if (bits < CM_DIR_BITS_MIN)
		bits = CM_DIR_BITS_MIN;
	cm->dir_bits = bits;

	cm->l1 = calloc((size_t)cfg->nr_cpus * cm->g1.per_cpu, sizeof(*cm->l1));
	cm->l2 = calloc((size_t)cfg->nr_cpus * cm->g2.per_cpu, sizeof(*cm->l2));
	cm->dir = calloc((size_t)1 << bits, sizeof(*cm->dir));
	cm->overflow_sets = calloc(cm->g1.sets, sizeof(*cm->overflow_sets));
	if (!cm->l1 || !cm->l2 || !cm->dir || !cm->overflow_sets)
		goto fail;
	return cm;
fail:
	cache_model_destroy(cm);
	return NULL;
}

void cache_model_destroy(struct cache_model *cm)
{
	if (!cm)
		return;
	free(cm->l1);
	free(cm->l2);
	free(cm->dir);
	free(cm->overflow_sets);
	free(cm->tag_sets);
	free(cm->set_rows);
	free(cm->tags);
	free(cm);
}

/*
 * The lines first..last of one access, each through access_line. Out of
 * line: the caller's fast path stays small.
 */
static __attribute__((noinline)) uint64_t
access_lines(struct cache_model *cm, int cpu, uint64_t line, uint64_t last,
	     bool write, bool remote, struct cm_stats *ts,
	     struct cm_set_count *sets)
{
	const uint64_t *costs = cm->cost[remote];
	uint64_t cost = 0;

	for (; line <= last; line++) {
		bool coherence = false;
		enum cm_outcome out = access_line(cm, cpu, line, write,
						  &coherence, sets);

		cost += costs[out];
		account(ts, out, coherence, remote);
	}
	return cost;
}

/*
 * Touches every line of [addr, addr + len); len 0 touches nothing and
 * costs 0. cpu must be in 0..nr_cpus-1.
 */
uint64_t cache_model_access(struct cache_model *cm, int cpu, int cpu_node,
			    uint64_t addr, size_t len, bool write,
			    int mem_node, uint32_t tag)
{
	bool remote = mem_node != cpu_node;
	struct cm_stats *ts;
	struct cm_set_count *sets;
	uint64_t line, last;

	assert(cpu >= 0 && cpu < cm->cfg.nr_cpus);
	if (len == 0)
		return 0;
	ts = tag_stats(cm, tag, &sets);
	line = addr >> cm->line_shift;
	last = (addr + len - 1) >> cm->line_shift;
	if (line == last) {
		/*
		 * The common case, inline: one line, found where this CPU
		 * touched it last in its set (the most recent way) and usable
		 * as it is. Nothing moves; only the counts change.
		 */
		const uint64_t w0 = l1_set(cm, cpu, line)[0];
		const enum cm_state st = key_state(w0);

		if ((w0 >> 2) == line + 1 &&
		    (st == CM_MODIFIED || (st == CM_SHARED && !write))) {
			sets[line & cm->g1.set_mask].accesses++;
			ts->accesses++;
			ts->l1_hits++;
			return cm->cost[remote][CM_HIT_L1];
		}
	}
	return access_lines(cm, cpu, line, last, write, remote, ts, sets);
}

void cache_model_totals(const struct cache_model *cm, struct cm_stats *out)
{
	uint32_t t;

	*out = cm->overflow;
	for (t = 0; t < cm->tag_max; t++)
		stats_add(out, &cm->tags[t]);
}

void cache_model_tag_stats(const struct cache_model *cm, uint32_t tag,
			   struct cm_stats *out)
{
	if (tag < cm->tag_cap)
		*out = cm->tags[tag];
	else
		memset(out, 0, sizeof(*out));
}

uint32_t cache_model_max_tag(const struct cache_model *cm)
{
	return cm->tag_max;
}

unsigned int cache_model_l1_sets(const struct cache_model *cm)
{
	return (unsigned int)cm->g1.sets;
}

void cache_model_l1_set_stats(const struct cache_model *cm, unsigned int set,
			      uint64_t *accesses, uint64_t *misses)
{
	uint32_t t, rows = cm->tag_max < cm->set_tags ? cm->tag_max
						      : cm->set_tags;

	*accesses = 0;
	*misses = 0;
	if (set >= cm->g1.sets)
		return;
	*accesses = cm->overflow_sets[set].accesses;
	*misses = cm->overflow_sets[set].misses;
	for (t = 0; t < rows; t++) {
		const struct cm_set_count *c =
			&cm->tag_sets[(size_t)t * cm->g1.sets + set];

		*accesses += c->accesses;
		*misses += c->misses;
	}
}

bool cache_model_tag_l1_set_stats(const struct cache_model *cm, uint32_t tag,
				  unsigned int set, uint64_t *accesses,
				  uint64_t *misses)
{
	*accesses = 0;
	*misses = 0;
	if (tag >= cm->tag_max || tag >= cm->set_tags || set >= cm->g1.sets)
		return tag >= cm->tag_max && set < cm->g1.sets;
	*accesses = cm->tag_sets[(size_t)tag * cm->g1.sets + set].accesses;
	*misses = cm->tag_sets[(size_t)tag * cm->g1.sets + set].misses;
	return true;
}

/* ---- Validation ---- */

/* No line twice in a set, and every line in the set it maps to. */
static bool sets_are_valid(const uint64_t *ways, const struct cm_geom *g,
			   int nr_cpus)
{
	size_t n = (size_t)nr_cpus * g->per_cpu, i;

	for (i = 0; i < n; i++) {
		uint64_t set_idx = (i % g->per_cpu) / g->ways;
		size_t first = i - i % g->ways, j;

		if (ways[i] == 0)
			continue;
		if (key_state(ways[i]) == CM_EMPTY)
			return false;
		if ((key_line(ways[i]) & g->set_mask) != set_idx)
			return false;
		for (j = first; j < i; j++)
			if (key_state(ways[j]) != CM_EMPTY &&
			    key_line(ways[j]) == key_line(ways[i]))
				return false;
	}
	return true;
}

/*
 * Whether the model's invariants hold: sets well formed, L1 included in L2
 * with equal states, a Modified line held by one CPU only and named by
 * its directory hint, directory counts exact. Slow (walks every way); for tests and debug asserts.
 */
bool cache_model_is_consistent(const struct cache_model *cm)
{
	const int n = cm->cfg.nr_cpus;
	const size_t slots = (size_t)1 << cm->dir_bits;
	uint32_t *tally;
	uint64_t *bits;
	bool ok = true;
	size_t i;
	int c, o;

	if (!sets_are_valid(cm->l1, &cm->g1, n) ||
	    !sets_are_valid(cm->l2, &cm->g2, n))
		return false;
	for (c = 0; c < n && ok; c++) {
		const uint64_t *l1 = cm->l1 + (size_t)c * cm->g1.per_cpu;
		const uint64_t *l2 = cm->l2 + (size_t)c * cm->g2.per_cpu;

		for (i = 0; i < cm->g1.per_cpu && ok; i++) {
			uint64_t line = key_line(l1[i]);
			const uint64_t *s2;
			int j;

			if (!state_valid(key_state(l1[i])))
				continue;
			s2 = l2_set(cm, c, line);
			j = set_find(s2, cm->g2.ways, line);
			ok = j >= 0 && key_state(s2[j]) == key_state(l1[i]);
		}
		for (i = 0; i < cm->g2.per_cpu && ok; i++) {
			uint64_t line = key_line(l2[i]);
			const struct cm_dir *d;

			if (key_state(l2[i]) != CM_MODIFIED)
				continue;
			d = dir_find(cm, line);
			ok = d && d->count == 1 && d->hint == c;
			for (o = 0; o < n && ok; o++) {
				const uint64_t *s2 = l2_set(cm, o, line);
				int j = set_find(s2, cm->g2.ways, line);

				if (o != c && j >= 0)
					ok = !state_valid(key_state(s2[j]));
			}
		}
	}
	if (!ok)
		return false;

	/*
	 * every valid L2 way is counted once in a reachable entry, and its
	 * CPU's sharer bit is set (the bits are exact up to 64 CPUs)
	 */
	tally = calloc(slots, sizeof(*tally));
	bits = calloc(slots, sizeof(*bits));
	if (!tally || !bits) {
		free(tally);
		free(bits);
		return false;
	}
	for (i = 0; i < (size_t)n * cm->g2.per_cpu && ok; i++) {
		const struct cm_dir *d;
		int cpu = (int)(i / cm->g2.per_cpu);

		if (!state_valid(key_state(cm->l2[i])))
			continue;
		d = dir_find(cm, key_line(cm->l2[i]));
		ok = d != NULL && (d->sharers & (1ull << (cpu & 63)));
		if (ok) {
			tally[d - cm->dir]++;
			bits[d - cm->dir] |= 1ull << (cpu & 63);
		}
	}
	for (i = 0; i < slots && ok; i++)
		if (cm->dir[i].key)
			ok = cm->dir[i].count > 0 &&
			     cm->dir[i].count == tally[i] &&
			     (n > 64 || cm->dir[i].sharers == bits[i]);
	free(tally);
	free(bits);
	return ok;
}
