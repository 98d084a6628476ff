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
 * - Statistics are kept per (tag, L1 set) for L1 hits and misses, per tag
 *   for what lies beyond L1; every other figure is a sum worked out when
 *   read, so that an L1 hit, the common case, adds to one counter only.
 *
 * Memory: 8 bytes per way (ways padded to a power of two, at least 4),
 * touched lazily, plus a directory of 16 bytes per slot, two to four
 * slots per line held anywhere, which grows with those lines up to two to
 * four slots per L2 way of the machine. 256 CPUs with 32 KiB L1 and 1 MiB
 * L2 of 64-byte lines: 1 + 32 MiB of ways and at most a 128 MiB
 * directory. Machines beyond 2^24 L2 lines in all are refused. Line
 * numbers (address / line size) must stay below 2^30 - 1: 64 GiB of
 * 64-byte lines, 4 GiB even of 4-byte lines, and simulated physical
 * addresses are 32-bit. Per tag, 16 bytes per L1 set (at most 64 MiB in
 * all).
 *
 * The set lookups use SSE2 where the compiler targets it (every x86_64),
 * plain C elsewhere or with -DCM_NO_SIMD; both give the same answers,
 * and the unit tests run against both.
 */
#include "models/cache_model.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SSE2__) && !defined(CM_NO_SIMD)
#include <emmintrin.h>
#define CM_SIMD 1
#endif

#define CM_MAX_WAYS	32
#define CM_MAX_CPUS	4096
#define CM_MAX_TAGS	(1u << 20)		/* beyond: totals only */
#define CM_MAX_WAY_BYTES (1ull << 30)		/* per level, all CPUs */
#define CM_MAX_L2_LINES	(1ull << 24)		/* all CPUs: sizes the directory */
#define CM_DIR_BITS_MIN	10
#define CM_MAX_SET_COUNTS (1u << 22)		/* per-tag L1 set counters */
#define CM_LINE_LIMIT	((1ull << 30) - 1)	/* line + 1 fits a key */
/*
 * A CPU's recency clock is renumbered before it passes this. Overridable
 * so that a test build can renumber every few thousand accesses.
 */
#ifndef CM_CLOCK_LIMIT
#define CM_CLOCK_LIMIT	0xffff0000u
#endif

/*
 * A set is 2 * wpad words: wpad keys, then wpad stamps, aligned so that
 * an 8-way L1 set is one 64-byte host line. A key is (line + 1) << 2 |
 * state, so an empty way is 0 and never matches a lookup, and a lookup
 * compares four keys per SSE2 instruction. A stamp is the owning CPU's
 * recency clock when the way was last touched (0 for an empty way): true
 * LRU without moving ways, the victim being an empty way or else the
 * smallest stamp. Padding ways (beyond the level's ways) stay 0.
 */
enum cm_state {
	CM_EMPTY = 0,		/* never filled, or dropped by inclusion */
	CM_STALE = 1,		/* invalidated by another CPU's write */
	CM_SHARED = 2,		/* clean; other CPUs may hold it too */
	CM_MODIFIED = 3,	/* written here; no other CPU holds it */
};

struct cm_geom {
	unsigned int ways;
	unsigned int wpad;	/* ways in memory: a power of two, >= 4 */
	unsigned int set_shift;	/* log2 of a set's words, 2 * wpad */
	uint64_t sets;		/* power of two */
	uint64_t set_mask;
	size_t per_cpu;		/* words of one CPU: sets * 2 * wpad */
};

/* One CPU: where its sets are, and its recency clock. */
struct cm_cpu {
	uint32_t *l1, *l2;
	uint32_t clock;		/* the last stamp handed out */
};

/*
 * Directory slot: the CPUs holding one line valid in L2. sharers has bit
 * cpu % 64 set for every such CPU: exact up to 64 CPUs; beyond, a bit
 * may stay set after its CPUs dropped the line (it is cleared when the
 * line is claimed), so it names the CPUs worth asking, never fewer.
 */
struct cm_dir {
	uint32_t key;		/* line + 1; 0 = free slot */
	uint16_t count;		/* CPUs holding it valid in L2 */
	int16_t hint;		/* last CPU to fill or claim it */
	uint64_t sharers;	/* bit cpu % 64 per holder (see above) */
};

/* Per (tag, L1 set): the tag's accesses there are hits + misses. */
struct cm_set_count {
	uint64_t hits, misses;
};

/*
 * Per tag, what the set rows do not say. l1_hits counts only the hits
 * of a tag without a row (and of the overflow); accesses are l1_hits +
 * l2_hits + misses.
 */
struct cm_tag {
	uint64_t l1_hits, l2_hits, misses, coherence_misses, remote;
};

struct cache_model {
	struct cache_model_config cfg;
	unsigned int line_shift;
	struct cm_geom g1, g2;
	struct cm_cpu *cpu;		/* nr_cpus */
	void *l1_mem, *l2_mem;		/* as allocated; sets start aligned */
	struct cm_dir *dir;		/* 1 << dir_bits slots */
	unsigned int dir_bits, dir_bits_max;
	size_t dir_used;		/* slots holding an entry */
	/*
	 * Statistics per tag and per (tag, L1 set) only: the totals are their
	 * sums (plus overflow, the accesses whose tag got no entry), worked
	 * out when read.
	 */
	struct cm_tag overflow;
	struct cm_tag *tags;		/* tag_cap entries, grown on demand */
	uint32_t tag_cap, tag_max;
	uint32_t hit_tags;	/* cache_model_hit takes tags below: tag_max,
				   or 0 unless L1 sets have 5 to 8 ways */
	/*
	 * L1 set counts per tag: set_tags rows of g1.sets entries (fewer
	 * rows than tags when the table would pass CM_MAX_SET_COUNTS; later
	 * tags then count in overflow_sets). A set's total is the column sum.
	 * rows[tag] is the tag's row once the tag is in use and has one,
	 * else NULL: such accesses take the slow way in.
	 */
	struct cm_set_count *tag_sets;
	uint32_t set_tags;
	struct cm_set_count **rows;	/* tag_cap entries */
	struct cm_set_count *overflow_sets;	/* g1.sets entries */
};

static inline uint32_t line_key(uint64_t line)
{
	return (uint32_t)(line + 1) << 2;
}

/* meaningless for an empty way */
static inline uint64_t key_line(uint32_t key)
{
	return (uint64_t)(key >> 2) - 1;
}

static inline enum cm_state key_state(uint32_t key)
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
	unsigned int wpad = 4;

	if (lv->ways < 1 || lv->ways > CM_MAX_WAYS || lv->size == 0)
		return false;
	set_bytes = (uint64_t)line * lv->ways;
	if (lv->size % set_bytes)
		return false;
	sets = lv->size / set_bytes;
	if (!is_pow2(sets))
		return false;
	while (wpad < lv->ways)
		wpad *= 2;
	/* sets * wpad * 8 bytes * nr_cpus, checked without overflowing */
	if (sets > CM_MAX_WAY_BYTES / 8 / wpad / (uint64_t)nr_cpus)
		return false;
	g->ways = lv->ways;
	g->wpad = wpad;
	g->set_shift = log2_u64(2 * wpad);
	g->sets = sets;
	g->set_mask = sets - 1;
	g->per_cpu = (size_t)(sets * 2 * wpad);
	return true;
}

/*
 * nr_cpus * per_cpu zeroed words, the first on a 64-byte boundary (calloc
 * keeps large tables lazily paged); *mem gets the pointer to free.
 */
static uint32_t *ways_alloc(const struct cm_geom *g, int nr_cpus, void **mem)
{
	size_t bytes = (size_t)nr_cpus * g->per_cpu * sizeof(uint32_t);
	uintptr_t p;

	*mem = calloc(1, bytes + 63);
	if (!*mem)
		return NULL;
	p = ((uintptr_t)*mem + 63) & ~(uintptr_t)63;
	return (uint32_t *)p;
}

/* ---- Sets: lookup and recency ---- */

static inline uint32_t *l1_set(const struct cache_model *cm, int cpu,
			       uint64_t line)
{
	return cm->cpu[cpu].l1 + ((line & cm->g1.set_mask) << cm->g1.set_shift);
}

static inline uint32_t *l2_set(const struct cache_model *cm, int cpu,
			       uint64_t line)
{
	return cm->cpu[cpu].l2 + ((line & cm->g2.set_mask) << cm->g2.set_shift);
}

/*
 * Index of the way holding the line of key want (a line_key) in any
 * non-empty state, or -1. With SSE2 every key is compared, four at a
 * time: the time does not depend on where the line sits, and no branch
 * has to guess it.
 */
static inline int set_find(const uint32_t *set, const struct cm_geom *g,
			   uint32_t want)
{
#ifdef CM_SIMD
	const __m128i w = _mm_set1_epi32((int)want);
	const __m128i line_bits = _mm_set1_epi32(~3);
	unsigned int found, v;

/* bit i set when key v + i holds the line */
#define CM_MATCH4(v)							\
	((unsigned int)_mm_movemask_ps(_mm_castsi128_ps(_mm_cmpeq_epi32(	\
		_mm_and_si128(_mm_load_si128((const __m128i *)(const void *)\
					     (set + (v))), line_bits), w))) \
	 << (v))
	/* unrolled for the usual 8 and 16 ways: no loop to guess */
	found = CM_MATCH4(0);
	if (g->wpad > 4) {
		found |= CM_MATCH4(4);
		if (g->wpad > 8) {
			found |= CM_MATCH4(8) | CM_MATCH4(12);
			for (v = 16; v < g->wpad; v += 4)
				found |= CM_MATCH4(v);
		}
	}
#undef CM_MATCH4
	return found ? __builtin_ctz(found) : -1;
#else
	unsigned int w;

	for (w = 0; w < g->ways; w++)
		if ((set[w] & ~3u) == want)
			return (int)w;
	return -1;
#endif
}

/*
 * The way of an 8-way set (wpad 8) holding line want (a line_key) in a
 * state that serves the access, or -1. Modified serves both, Shared a
 * read: a write wants key == want | 3 exactly, a read key | 1 == want | 3.
 * So the state is checked in the same compare, and there is no loop.
 */
static inline int set_find_serving8(const uint32_t *set, uint32_t want,
				    bool write)
{
#ifdef CM_SIMD
	/* lanes of 1 for a read, of 0 for a write */
	static const uint32_t read_bit[2][4] __attribute__((aligned(16))) = {
		{ 1, 1, 1, 1 }, { 0, 0, 0, 0 },
	};
	const __m128i w = _mm_set1_epi32((int)(want | CM_MODIFIED));
	const __m128i read = _mm_load_si128((const __m128i *)(const void *)
					    read_bit[write]);
	const __m128i lo = _mm_or_si128(_mm_load_si128(
		(const __m128i *)(const void *)set), read);
	const __m128i hi = _mm_or_si128(_mm_load_si128(
		(const __m128i *)(const void *)(set + 4)), read);
	unsigned int found = (unsigned int)_mm_movemask_ps(_mm_castsi128_ps(
		_mm_cmpeq_epi32(lo, w))) |
		(unsigned int)_mm_movemask_ps(_mm_castsi128_ps(
		_mm_cmpeq_epi32(hi, w))) << 4;

	return found ? __builtin_ctz(found) : -1;
#else
	for (unsigned int w = 0; w < 8; w++)
		if ((set[w] | !write) == (want | CM_MODIFIED))
			return (int)w;
	return -1;
#endif
}

static void renumber_cpu(struct cache_model *cm, struct cm_cpu *c);

/* The next stamp of CPU c: larger than every stamp in its sets. */
static inline uint32_t next_stamp(struct cache_model *cm, struct cm_cpu *c)
{
	if (__builtin_expect(c->clock >= CM_CLOCK_LIMIT, 0))
		renumber_cpu(cm, c);
	return ++c->clock;
}

/* Way w of set becomes key, the most recent way of its set. */
static inline void set_put(struct cache_model *cm, struct cm_cpu *c,
			   uint32_t *set, const struct cm_geom *g, int w,
			   uint32_t key)
{
	set[w] = key;
	set[g->wpad + (unsigned int)w] = next_stamp(cm, c);
}

/*
 * The way a line not in the set goes to: an empty way (stamp 0) if there
 * is one, else the least recent.
 */
static inline int set_victim(const uint32_t *set, const struct cm_geom *g)
{
	const uint32_t *stamp = set + g->wpad;
	uint32_t least = stamp[0];
	unsigned int w, victim = 0;

	for (w = 1; w < g->ways; w++) {
		bool older = stamp[w] < least;

		least = older ? stamp[w] : least;
		victim = older ? w : victim;
	}
	return (int)victim;
}

/*
 * Stamps of one set, renumbered 1..n in the same order (empty ways keep
 * 0). Stamps within a set are distinct, so ranks are too.
 */
static void set_renumber(uint32_t *set, const struct cm_geom *g)
{
	uint32_t *stamp = set + g->wpad, rank[CM_MAX_WAYS];
	unsigned int w, v;

	for (w = 0; w < g->ways; w++) {
		rank[w] = 0;
		if (!stamp[w])
			continue;
		for (v = 0; v < g->ways; v++)
			rank[w] += stamp[v] && stamp[v] <= stamp[w];
	}
	for (w = 0; w < g->ways; w++)
		stamp[w] = rank[w];
}

/*
 * Near the end of CPU c's clock: every set of c is renumbered, which
 * keeps the order within each set (all that LRU asks), and the clock
 * starts again above the largest rank. Once per ~4 billion touches.
 */
static __attribute__((noinline)) void renumber_cpu(struct cache_model *cm,
						   struct cm_cpu *c)
{
	uint64_t s;

	for (s = 0; s < cm->g1.sets; s++)
		set_renumber(c->l1 + (s << cm->g1.set_shift), &cm->g1);
	for (s = 0; s < cm->g2.sets; s++)
		set_renumber(c->l2 + (s << cm->g2.set_shift), &cm->g2);
	c->clock = CM_MAX_WAYS;
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

static inline size_t dir_home(const struct cache_model *cm, uint32_t key)
{
	/* Fibonacci hashing: neighbouring lines land far apart. */
	return (size_t)(((uint64_t)key * 0x9e3779b97f4a7c15ull) >>
			(64 - cm->dir_bits));
}

/*
 * The slot of line: its entry if some CPU holds the line, else the free
 * slot that ends its probe run, where an entry for it would go.
 */
static inline size_t dir_slot(const struct cache_model *cm, uint64_t line)
{
	const size_t mask = ((size_t)1 << cm->dir_bits) - 1;
	const uint32_t key = (uint32_t)line + 1;
	size_t i = dir_home(cm, key);

	while (cm->dir[i].key != 0 && cm->dir[i].key != key)
		i = (i + 1) & mask;
	return i;
}

/* The entry of line, or NULL when no CPU holds it. */
static inline struct cm_dir *dir_find(const struct cache_model *cm,
				      uint64_t line)
{
	struct cm_dir *d = &cm->dir[dir_slot(cm, line)];

	return d->key ? d : NULL;
}

/*
 * The table twice as large, every entry placed again (in slot order: the
 * placement is not observable anyway). Leaves the table as it was when
 * memory runs out.
 */
static __attribute__((noinline)) void dir_grow(struct cache_model *cm)
{
	const size_t old_slots = (size_t)1 << cm->dir_bits;
	struct cm_dir *old = cm->dir;
	struct cm_dir *t = calloc(2 * old_slots, sizeof(*t));

	if (!t)
		return;
	cm->dir = t;
	cm->dir_bits++;
	for (size_t i = 0; i < old_slots; i++)
		if (old[i].key)
			cm->dir[dir_slot(cm, old[i].key - 1)] = old[i];
	free(old);
}

/*
 * cpu now holds line valid in L2; slot is dir_slot(line), taken with no
 * entry added or removed since. The table grows to stay at most half
 * full, up to twice as many slots as there are L2 ways in the machine,
 * which it never passes; it stays usable, if slower, when memory runs
 * out, while a slot is free (the process aborts when none would be).
 */
static void dir_add(struct cache_model *cm, size_t slot, uint64_t line,
		    int cpu)
{
	struct cm_dir *d = &cm->dir[slot];

	if (d->key == 0) {
		d->key = (uint32_t)line + 1;
		d->count = 0;
		d->sharers = 0;
		cm->dir_used++;
	}
	d->count++;
	d->sharers |= 1ull << (cpu & 63);
	d->hint = (int16_t)cpu;
	if (__builtin_expect(2 * cm->dir_used > (size_t)1 << cm->dir_bits, 0) &&
	    cm->dir_bits < cm->dir_bits_max) {
		dir_grow(cm);
		if (cm->dir_used + 1 >= (size_t)1 << cm->dir_bits)
			abort();	/* out of memory, and no free slot */
	}
}

/*
 * Empties slot i, then pulls later entries of the same probe run back so
 * that no lookup stops early at the hole (backward-shift deletion).
 */
static void dir_delete(struct cache_model *cm, size_t i)
{
	const size_t mask = ((size_t)1 << cm->dir_bits) - 1;
	size_t j = i;

	cm->dir_used--;
	for (;;) {
		size_t home;

		cm->dir[i].key = 0;
		for (;;) {
			j = (j + 1) & mask;
			if (cm->dir[j].key == 0)
				return;
			home = dir_home(cm, cm->dir[j].key);
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
	const uint32_t want = line_key(line);
	uint32_t *s2 = l2_set(cm, o, line), *s1;
	int j = set_find(s2, &cm->g2, want);

	if (j < 0 || !state_valid(key_state(s2[j])))
		return false;
	s2[j] = want | CM_STALE;
	s1 = l1_set(cm, o, line);
	j = set_find(s1, &cm->g1, want);
	if (j >= 0)
		s1[j] = want | CM_STALE;
	return true;
}

/*
 * cpu is about to hold line Modified: every other CPU's valid copy becomes
 * stale. d is the line's entry (NULL: nobody holds it); here says whether
 * cpu already holds it valid. When it does not, the caller fills L2 right
 * after, so an entry left at count 0 is kept for that fill rather than
 * deleted and inserted again. Only the CPUs the sharer bits name are
 * asked, so the cost follows the holders, not the machine's size.
 */
static void claim_line(struct cache_model *cm, struct cm_dir *d, int cpu,
		       uint64_t line, bool here)
{
	const int n = cm->cfg.nr_cpus;
	uint32_t others, found = 0;
	uint64_t bits;

	if (!d)
		return;
	others = d->count - (here ? 1u : 0u);
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
	d->count = (uint16_t)(d->count - found);
	d->sharers = 1ull << (cpu & 63);
	d->hint = (int16_t)cpu;
}

/*
 * cpu is about to read line from memory: a Modified copy elsewhere (only
 * ever the hint's) is written back, that is downgraded to Shared.
 */
static void share_line(struct cache_model *cm, const struct cm_dir *d,
		       int cpu, uint64_t line)
{
	const uint32_t want = line_key(line);
	uint32_t *s2, *s1;
	int j;

	if (!d || d->hint == cpu)
		return;
	s2 = l2_set(cm, d->hint, line);
	j = set_find(s2, &cm->g2, want);
	if (j < 0 || key_state(s2[j]) != CM_MODIFIED)
		return;
	s2[j] = want | CM_SHARED;
	s1 = l1_set(cm, d->hint, line);
	j = set_find(s1, &cm->g1, want);
	if (j >= 0 && key_state(s1[j]) == CM_MODIFIED)
		s1[j] = want | CM_SHARED;
}

/* ---- Fills ---- */

/*
 * Puts key into L1 set s1 of cpu, at way i (its stale way, found by the
 * caller's lookup) or, i < 0, over an empty or the least recent way.
 */
static inline void fill_l1(struct cache_model *cm, int cpu, uint32_t *s1,
			   int i, uint32_t key)
{
	if (i < 0)
		i = set_victim(s1, &cm->g1);
	set_put(cm, &cm->cpu[cpu], s1, &cm->g1, i, key);
}

/*
 * Puts line (fetched from memory) into cpu's L2 at way i2 (its stale
 * marker) or over the least recent way; a valid victim leaves L1 too.
 * slot is the line's dir_slot.
 */
static void fill_l2(struct cache_model *cm, int cpu, uint32_t *s2, int i2,
		    uint64_t line, enum cm_state st, size_t slot)
{
	uint32_t victim;

	dir_add(cm, slot, line, cpu);
	if (i2 < 0)
		i2 = set_victim(s2, &cm->g2);
	victim = s2[i2];
	set_put(cm, &cm->cpu[cpu], s2, &cm->g2, i2, line_key(line) | st);
	/* (line's own stale way, when reused, is not valid: no victim) */
	if (state_valid(key_state(victim))) {
		uint64_t vline = key_line(victim);
		uint32_t *s1 = l1_set(cm, cpu, vline);
		int j = set_find(s1, &cm->g1, line_key(vline));

		dir_drop(cm, vline, cpu);
		if (j >= 0 && state_valid(key_state(s1[j]))) {
			s1[j] = 0;			/* empty */
			s1[cm->g1.wpad + (unsigned int)j] = 0;
		}
	}
}

/* ---- One line ---- */

/*
 * cpu touches line. Counts the access in row (the tag's L1 set counters)
 * and, beyond L1, in ts; returns the cost.
 */
static __attribute__((noinline)) uint64_t
access_line(struct cache_model *cm, int cpu, uint64_t line, bool write,
	    bool remote, struct cm_tag *ts, struct cm_set_count *row)
{
	const uint32_t want = line_key(line);
	struct cm_set_count *sc = &row[line & cm->g1.set_mask];
	uint32_t *s1 = l1_set(cm, cpu, line);
	uint32_t *s2 = l2_set(cm, cpu, line);
	int i1 = set_find(s1, &cm->g1, want);
	enum cm_state st;
	size_t slot;
	bool stale;
	int i2;

	if (i1 >= 0) {
		st = key_state(s1[i1]);
		/* Modified serves both; Shared serves a read */
		if ((unsigned int)st >= CM_SHARED + (unsigned int)write) {
			s1[cm->g1.wpad + (unsigned int)i1] =
				next_stamp(cm, &cm->cpu[cpu]);
			sc->hits++;
			return cm->cfg.cost_l1;
		}
		if (st == CM_SHARED) {
			/* a write to a Shared line: others lose it, L2
			   follows L1 */
			claim_line(cm, dir_find(cm, line), cpu, line,
				   true /* here */);
			set_put(cm, &cm->cpu[cpu], s1, &cm->g1, i1,
				want | CM_MODIFIED);
			i2 = set_find(s2, &cm->g2, want);
			assert(i2 >= 0 && key_state(s2[i2]) == CM_SHARED);
			s2[i2] = want | CM_MODIFIED;
			sc->hits++;
			return cm->cfg.cost_l1;
		}
	}
	sc->misses++;
	stale = i1 >= 0;	/* only a stale L1 way comes here */

	i2 = set_find(s2, &cm->g2, want);
	if (i2 >= 0 && state_valid(key_state(s2[i2]))) {
		st = key_state(s2[i2]);
		if (write && st == CM_SHARED) {
			claim_line(cm, dir_find(cm, line), cpu, line,
				   true /* here */);
			st = CM_MODIFIED;
		}
		set_put(cm, &cm->cpu[cpu], s2, &cm->g2, i2, want | st);
		fill_l1(cm, cpu, s1, i1, want | st);
		ts->l2_hits++;
		return cm->cfg.cost_l2;
	}
	stale = stale || i2 >= 0;

	slot = dir_slot(cm, line);
	if (write) {
		claim_line(cm, cm->dir[slot].key ? &cm->dir[slot] : NULL, cpu,
			   line, false /* here */);
		st = CM_MODIFIED;
	} else {
		share_line(cm, cm->dir[slot].key ? &cm->dir[slot] : NULL, cpu,
			   line);
		st = CM_SHARED;
	}
	/*
	 * fill_l2's victim may leave this very L1 set, as an empty way; the
	 * stale way i1, if any, stays where it is.
	 */
	fill_l2(cm, cpu, s2, i2, line, st, slot);
	fill_l1(cm, cpu, s1, i1, want | st);
	ts->misses++;
	ts->coherence_misses += stale;
	ts->remote += remote;
	return remote ? cm->cfg.cost_remote : cm->cfg.cost_local;
}

/*
 * The lines line..last of one access by cpu, the L1 hits (nearly all)
 * settled here. Out of line: the caller's one-line case stays small.
 */
static __attribute__((noinline)) uint64_t
access_range(struct cache_model *cm, int cpu, uint64_t line, uint64_t last,
	     bool write, bool remote, struct cm_tag *ts,
	     struct cm_set_count *row)
{
	struct cm_cpu *c = &cm->cpu[cpu];
	uint64_t cost = 0;

	for (; line <= last; line++) {
		uint64_t set = line & cm->g1.set_mask;
		uint32_t *s1 = c->l1 + (set << cm->g1.set_shift);
		int i = set_find(s1, &cm->g1, line_key(line));

		/* Modified serves both; Shared serves a read */
		if (i >= 0 && (unsigned int)key_state(s1[i]) >=
			      CM_SHARED + (unsigned int)write) {
			s1[cm->g1.wpad + (unsigned int)i] = next_stamp(cm, c);
			row[set].hits++;
			cost += cm->cfg.cost_l1;
		} else {
			cost += access_line(cm, cpu, line, write, remote, ts,
					    row);
		}
	}
	return cost;
}

/* ---- Statistics ---- */

/* The L1 set counters of tag (a row of tag_sets, or the overflow row). */
static inline struct cm_set_count *tag_set_row(const struct cache_model *cm,
					       uint32_t tag)
{
	return tag < cm->set_tags ? cm->tag_sets + (size_t)tag * cm->g1.sets
				  : NULL;
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
 * The stats of tag, growing the tables on first use: &overflow when the
 * tag is beyond CM_MAX_TAGS or memory runs out (the access then counts in
 * the totals only, and the tables are left as they were). Afterwards
 * rows[tag] is the tag's set row if it has one.
 */
static struct cm_tag *tag_prepare(struct cache_model *cm, uint32_t tag)
{
	uint32_t first = cm->tag_max;	/* rows to point from here */

	if (tag >= cm->tag_cap) {
		uint32_t cap = cm->tag_cap ? cm->tag_cap : 16;
		struct cm_set_count **rows;
		struct cm_tag *t;

		if (tag >= CM_MAX_TAGS)
			return &cm->overflow;
		while (cap <= tag)
			cap *= 2;
		if (cap > CM_MAX_TAGS)
			cap = CM_MAX_TAGS;
		rows = realloc(cm->rows, (size_t)cap * sizeof(*rows));
		if (!rows)
			return &cm->overflow;
		memset(rows + cm->tag_cap, 0,
		       (size_t)(cap - cm->tag_cap) * sizeof(*rows));
		cm->rows = rows;
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
	cm->hit_tags = cm->g1.wpad == 8 ? cm->tag_max : 0;
	for (uint32_t u = first; u < cm->tag_max; u++)
		cm->rows[u] = tag_set_row(cm, u);
	return &cm->tags[tag];
}

/*
 * An access whose tag is not in use yet, or has no set row: the tables
 * grow, and a tag left without a row counts its L1 sets in overflow_sets
 * and its L1 hits in its own l1_hits (the lines that neither L2 nor
 * memory served).
 */
static __attribute__((noinline)) uint64_t
access_untracked(struct cache_model *cm, int cpu, uint64_t line,
		 uint64_t last, bool write, bool remote, uint32_t tag)
{
	struct cm_tag *ts = tag_prepare(cm, tag);
	struct cm_set_count *row = ts == &cm->overflow ? NULL : cm->rows[tag];
	uint64_t before, cost;

	if (row)
		return access_range(cm, cpu, line, last, write, remote, ts,
				    row);
	before = ts->l2_hits + ts->misses;
	cost = access_range(cm, cpu, line, last, write, remote, ts,
			    cm->overflow_sets);
	ts->l1_hits += last - line + 1 - (ts->l2_hits + ts->misses - before);
	/* the overflow row's hits are the l1_hits above: not counted twice */
	return cost;
}

/* The lines line..last of one access. */
static inline uint64_t access_lines(struct cache_model *cm, int cpu,
				    uint64_t line, uint64_t last, bool write,
				    bool remote, uint32_t tag)
{
	struct cm_set_count *row;

	assert(last < CM_LINE_LIMIT && line <= last);
	if (__builtin_expect(tag >= cm->tag_max || !(row = cm->rows[tag]), 0))
		return access_untracked(cm, cpu, line, last, write, remote,
					tag);
	if (line == last)
		return access_line(cm, cpu, line, write, remote,
				   &cm->tags[tag], row);
	return access_range(cm, cpu, line, last, write, remote,
			    &cm->tags[tag], row);
}

/* The stats of tag as the interface shows them; tag < tag_max. */
static void tag_read(const struct cache_model *cm, uint32_t tag,
		     struct cm_stats *out)
{
	const struct cm_tag *t = &cm->tags[tag];
	const struct cm_set_count *row = cm->rows[tag];
	uint64_t l1 = t->l1_hits;

	for (uint64_t s = 0; row && s < cm->g1.sets; s++)
		l1 += row[s].hits;
	out->l1_hits = l1;
	out->l2_hits = t->l2_hits;
	out->misses = t->misses;
	out->coherence_misses = t->coherence_misses;
	out->remote = t->remote;
	out->accesses = l1 + t->l2_hits + t->misses;
}

/* ---- Public interface ---- */

/*
 * Returns NULL (nothing allocated) when the geometry is impossible: line
 * not a power of two or under 4 bytes, ways outside 1..32, a size that is
 * not sets * line * ways with a power-of-two number of sets, nr_cpus
 * outside 1..4096, more than 1 GiB of ways per level or more than 2^24
 * L2 lines in the machine (the directory would pass 512 MiB); or out of
 * memory.
 */
struct cache_model *cache_model_create(const struct cache_model_config *cfg)
{
	struct cache_model *cm;
	uint64_t lines;
	unsigned int bits;
	uint32_t *l1, *l2;

	if (!cfg || cfg->nr_cpus < 1 || cfg->nr_cpus > CM_MAX_CPUS ||
	    cfg->line < 4 || !is_pow2(cfg->line))
		return NULL;
	cm = calloc(1, sizeof(*cm));
	if (!cm)
		return NULL;
	cm->cfg = *cfg;
	cm->line_shift = log2_u64(cfg->line);
	if (!geom_init(&cm->g1, &cfg->l1, cfg->line, cfg->nr_cpus) ||
	    !geom_init(&cm->g2, &cfg->l2, cfg->line, cfg->nr_cpus))
		goto fail;

	/*
	 * At most twice as many directory slots as L2 ways in the machine:
	 * never full, short probe runs. The table starts small and grows
	 * with the lines held, so that a run touches the memory it uses.
	 */
	lines = (uint64_t)cfg->nr_cpus * cm->g2.sets * cm->g2.ways;
	if (lines > CM_MAX_L2_LINES)
		goto fail;
	bits = (lines > 1 ? log2_u64(lines - 1) + 1 : 0) + 1;
	if (bits < CM_DIR_BITS_MIN)
		bits = CM_DIR_BITS_MIN;
	cm->dir_bits_max = bits;
	cm->dir_bits = CM_DIR_BITS_MIN;

	cm->cpu = calloc((size_t)cfg->nr_cpus, sizeof(*cm->cpu));
	l1 = ways_alloc(&cm->g1, cfg->nr_cpus, &cm->l1_mem);
	l2 = ways_alloc(&cm->g2, cfg->nr_cpus, &cm->l2_mem);
	cm->dir = calloc((size_t)1 << cm->dir_bits, sizeof(*cm->dir));
	cm->overflow_sets = calloc(cm->g1.sets, sizeof(*cm->overflow_sets));
	if (!cm->cpu || !l1 || !l2 || !cm->dir || !cm->overflow_sets)
		goto fail;
	for (int c = 0; c < cfg->nr_cpus; c++) {
		cm->cpu[c].l1 = l1 + (size_t)c * cm->g1.per_cpu;
		cm->cpu[c].l2 = l2 + (size_t)c * cm->g2.per_cpu;
	}
	return cm;
fail:
	cache_model_destroy(cm);
	return NULL;
}

void cache_model_destroy(struct cache_model *cm)
{
	if (!cm)
		return;
	free(cm->cpu);
	free(cm->l1_mem);
	free(cm->l2_mem);
	free(cm->dir);
	free(cm->overflow_sets);
	free(cm->tag_sets);
	free(cm->rows);
	free(cm->tags);
	free(cm);
}

/*
 * Touches every line of [addr, addr + len); len 0 touches nothing and
 * costs 0. cpu must be in 0..nr_cpus-1, the lines below 2^30 - 1.
 */
uint64_t cache_model_access(struct cache_model *cm, int cpu, int cpu_node,
			    uint64_t addr, size_t len, bool write,
			    int mem_node, uint32_t tag)
{
	assert((unsigned int)cpu < (unsigned int)cm->cfg.nr_cpus);
	if (len == 0)
		return 0;
	return access_lines(cm, cpu, addr >> cm->line_shift,
			    (addr + len - 1) >> cm->line_shift, write,
			    mem_node != cpu_node, tag);
}

/*
 * The common case alone, inline for the caller's fast path: one set
 * lookup, a stamp and one counter. Nothing here calls out, so that a
 * caller that tail-calls its slow path saves few registers, if any.
 * Declines a tag not in use yet or without a set row, an L1 whose sets
 * are not 5 to 8 ways, and the touch that would have to renumber the
 * clock: cache_model_access then does the same.
 */
bool cache_model_hit(struct cache_model *cm, int cpu, uint64_t addr,
		     size_t len, bool write, uint32_t tag, uint64_t *cost)
{
	const uint64_t line = addr >> cm->line_shift;
	struct cm_set_count *row;
	struct cm_cpu *c;
	uint32_t *s1;
	uint64_t set;
	int i;

	if (len == 0 || line != (addr + len - 1) >> cm->line_shift ||
	    line >= CM_LINE_LIMIT || tag >= cm->hit_tags)
		return false;
	assert((unsigned int)cpu < (unsigned int)cm->cfg.nr_cpus);
	c = &cm->cpu[cpu];
	set = line & cm->g1.set_mask;
	s1 = c->l1 + (set << cm->g1.set_shift);
	i = set_find_serving8(s1, line_key(line), write);
	if (i < 0 || c->clock >= CM_CLOCK_LIMIT ||
	    (row = cm->rows[tag]) == NULL)
		return false;
	s1[8 + i] = ++c->clock;
	row[set].hits++;
	*cost = cm->cfg.cost_l1;
	return true;
}

void cache_model_totals(const struct cache_model *cm, struct cm_stats *out)
{
	const struct cm_tag *o = &cm->overflow;
	uint32_t t;

	out->l1_hits = o->l1_hits;
	out->l2_hits = o->l2_hits;
	out->misses = o->misses;
	out->coherence_misses = o->coherence_misses;
	out->remote = o->remote;
	out->accesses = o->l1_hits + o->l2_hits + o->misses;
	for (t = 0; t < cm->tag_max; t++) {
		struct cm_stats s;

		tag_read(cm, t, &s);
		out->accesses += s.accesses;
		out->l1_hits += s.l1_hits;
		out->l2_hits += s.l2_hits;
		out->misses += s.misses;
		out->coherence_misses += s.coherence_misses;
		out->remote += s.remote;
	}
}

void cache_model_tag_stats(const struct cache_model *cm, uint32_t tag,
			   struct cm_stats *out)
{
	if (tag < cm->tag_max)
		tag_read(cm, tag, out);
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
	*accesses = cm->overflow_sets[set].hits + cm->overflow_sets[set].misses;
	*misses = cm->overflow_sets[set].misses;
	for (t = 0; t < rows; t++) {
		const struct cm_set_count *c =
			&cm->tag_sets[(size_t)t * cm->g1.sets + set];

		*accesses += c->hits + c->misses;
		*misses += c->misses;
	}
}

bool cache_model_tag_l1_set_stats(const struct cache_model *cm, uint32_t tag,
				  unsigned int set, uint64_t *accesses,
				  uint64_t *misses)
{
	const struct cm_set_count *c;

	*accesses = 0;
	*misses = 0;
	if (tag >= cm->tag_max || tag >= cm->set_tags || set >= cm->g1.sets)
		return tag >= cm->tag_max && set < cm->g1.sets;
	c = &cm->tag_sets[(size_t)tag * cm->g1.sets + set];
	*accesses = c->hits + c->misses;
	*misses = c->misses;
	return true;
}

/* ---- Validation ---- */

/*
 * The sets of one level: every key in the set its line maps to, no line
 * twice in a set, padding ways and empty ways all zero, stamps of the
 * other ways distinct, non-zero and at most their CPU's clock.
 */
static bool sets_are_valid(const struct cache_model *cm, bool l2)
{
	const struct cm_geom *g = l2 ? &cm->g2 : &cm->g1;

	for (int c = 0; c < cm->cfg.nr_cpus; c++) {
		const struct cm_cpu *cc = &cm->cpu[c];
		const uint32_t *base = l2 ? cc->l2 : cc->l1;

		for (uint64_t s = 0; s < g->sets; s++) {
			const uint32_t *set = base + (s << g->set_shift);
			const uint32_t *stamp = set + g->wpad;

			for (unsigned int w = 0; w < g->wpad; w++) {
				if (set[w] == 0 || w >= g->ways) {
					if (set[w] != 0 || stamp[w] != 0)
						return false;
					continue;
				}
				if (key_state(set[w]) == CM_EMPTY ||
				    (key_line(set[w]) & g->set_mask) != s ||
				    stamp[w] == 0 || stamp[w] > cc->clock)
					return false;
				for (unsigned int v = 0; v < w; v++)
					if (set[v] != 0 &&
					    ((set[v] >> 2) == (set[w] >> 2) ||
					     stamp[v] == stamp[w]))
						return false;
			}
		}
	}
	return true;
}

/*
 * Whether the model's invariants hold: sets well formed, L1 included in L2
 * with equal states, a Modified line held by one CPU only and named by
 * its directory hint, directory counts exact. Slow (walks every way); for
 * tests and debug asserts.
 */
bool cache_model_is_consistent(const struct cache_model *cm)
{
	const int n = cm->cfg.nr_cpus;
	const size_t slots = (size_t)1 << cm->dir_bits;
	size_t used;
	uint32_t *tally;
	uint64_t *bits;
	bool ok = true;
	size_t i;
	int c, o;

	if (!sets_are_valid(cm, false) || !sets_are_valid(cm, true))
		return false;
	for (c = 0; c < n && ok; c++) {
		const uint32_t *l1 = cm->cpu[c].l1;
		const uint32_t *l2 = cm->cpu[c].l2;

		for (i = 0; i < cm->g1.per_cpu && ok; i++) {
			uint64_t line = key_line(l1[i]);
			const uint32_t *s2;
			int j;

			if ((i & (2 * cm->g1.wpad - 1)) >= cm->g1.wpad ||
			    !state_valid(key_state(l1[i])))
				continue;	/* a stamp, or not valid */
			s2 = l2_set(cm, c, line);
			j = set_find(s2, &cm->g2, line_key(line));
			ok = j >= 0 && key_state(s2[j]) == key_state(l1[i]);
		}
		for (i = 0; i < cm->g2.per_cpu && ok; i++) {
			uint64_t line = key_line(l2[i]);
			const struct cm_dir *d;

			if ((i & (2 * cm->g2.wpad - 1)) >= cm->g2.wpad ||
			    key_state(l2[i]) != CM_MODIFIED)
				continue;
			d = dir_find(cm, line);
			ok = d && d->count == 1 && d->hint == c;
			for (o = 0; o < n && ok; o++) {
				const uint32_t *s2 = l2_set(cm, o, line);
				int j = set_find(s2, &cm->g2, line_key(line));

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
	for (c = 0; c < n && ok; c++) {
		const uint32_t *l2 = cm->cpu[c].l2;

		for (i = 0; i < cm->g2.per_cpu && ok; i++) {
			const struct cm_dir *d;

			if ((i & (2 * cm->g2.wpad - 1)) >= cm->g2.wpad ||
			    !state_valid(key_state(l2[i])))
				continue;
			d = dir_find(cm, key_line(l2[i]));
			ok = d != NULL && (d->sharers & (1ull << (c & 63)));
			if (ok) {
				tally[d - cm->dir]++;
				bits[d - cm->dir] |= 1ull << (c & 63);
			}
		}
	}
	for (i = 0, used = 0; i < slots && ok; i++)
		if (cm->dir[i].key) {
			used++;
			ok = cm->dir[i].count > 0 &&
			     cm->dir[i].count == tally[i] &&
			     (n > 64 || cm->dir[i].sharers == bits[i]);
		}
	ok = ok && used == cm->dir_used && used < slots;
	free(tally);
	free(bits);
	return ok;
}
