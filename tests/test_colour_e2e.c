/*
 * End-to-end tests of what colouring studies need from the binary: walks
 * over a cache's live objects (how many accesses, in what order), the
 * colouring switch seen from the outside, and the access trace, replayed
 * through a small reference cache model written here so that the model's
 * hits and misses (cache.csv) are checked against an independent one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "e2e_util.h"

#define MAX_ROWS	256

/* ---- cache.csv ---- */

struct row {
	char cache[64];
	unsigned int colour;
	unsigned long long accesses, l1, l2, misses, coherence, remote;
};

/* The data rows of dir/cache.csv, in file order (row i is tag i). */
static int read_cache_csv(const char *dir, struct row *rows)
{
	char path[512], *text, *line, *save = NULL;
	int n = 0;

	snprintf(path, sizeof(path), "%s/cache.csv", dir);
	text = slurp(path, NULL);
	assert_non_null(text);
	line = strtok_r(text, "\n", &save);
	assert_string_equal(line, "cache,colour,accesses,l1_hits,l2_hits,misses,coherence_misses,remote");
	while ((line = strtok_r(NULL, "\n", &save)) && n < MAX_ROWS) {
		struct row *r = &rows[n++];
		char *comma = strchr(line, ',');

		assert_non_null(comma);
		snprintf(r->cache, sizeof(r->cache), "%.*s",
			 (int)(comma - line), line);
		assert_int_equal(sscanf(comma + 1, "%u,%llu,%llu,%llu,%llu,%llu,%llu",
					&r->colour, &r->accesses, &r->l1,
					&r->l2, &r->misses, &r->coherence,
					&r->remote), 7);
	}
	free(text);
	return n;
}

static unsigned long long cache_accesses(const struct row *rows, int n,
					 const char *cache)
{
	unsigned long long sum = 0;

	for (int i = 0; i < n; i++)
		if (!strcmp(rows[i].cache, cache))
			sum += rows[i].accesses;
	return sum;
}

/* ---- walks ---- */

/*
 * 25 objects of 256 bytes, line-aligned (HWCACHE_ALIGN: every object
 * starts a line, 4 lines each), each written once (56 bytes) as it is
 * allocated; 5 freed, so 20 live. The walks then read:
 *   bytes 52 from offset 0, 3 passes:    20 x 1 line  x 3 = 60
 *   the whole object, 2 passes:           20 x 4 lines x 2 = 160
 *   bytes 8 at offset 60 (crosses 64):    20 x 2 lines x 1 = 40
 * 260 accesses of the cache more than the same run without the walks.
 */
#define WALK_HEAD \
	"name: walk\n" \
	"machine: {cpus: 2, memory: 64MiB}\n" \
	"caches:\n" \
	"  - {name: obj, size: 256, flags: [HWCACHE_ALIGN]}\n" \
	"events:\n"

static char *walk_yaml(bool walks)
{
	static char buf[8192];
	size_t o = 0;
	int i;

	o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s", WALK_HEAD);
	for (i = 0; i < 25; i++) {
		o += (size_t)snprintf(buf + o, sizeof(buf) - o,
			"  - {t: %dus, cpu: 0, alloc: obj, as: o%d}\n"
			"  - {t: %dus, cpu: 0, touch: o%d, bytes: 56}\n",
			2 * i, i, 2 * i + 1, i);
	}
	for (i = 0; i < 25; i += 5)
		o += (size_t)snprintf(buf + o, sizeof(buf) - o,
			"  - {t: 100us, cpu: 1, free: o%d}\n", i);
	if (walks)
		o += (size_t)snprintf(buf + o, sizeof(buf) - o,
			"  - {t: 200us, cpu: 1, walk: obj, bytes: 52, repeat: 3}\n"
			"  - {t: 300us, cpu: 1, walk: obj, repeat: 2}\n"
			"  - {t: 400us, cpu: 1, walk: obj, offset: 60, bytes: 8}\n");
	snprintf(buf + o, sizeof(buf) - o, "duration: 1ms\n");
	return buf;
}

static void test_walk_access_count(void **state)
{
	static struct row a[MAX_ROWS], b[MAX_ROWS];
	int na, nb;

	(void)state;
	spit(tmp_path("nowalk.yaml"), walk_yaml(false));
	spit(tmp_path("walk.yaml"), walk_yaml(true));
	assert_int_equal(run("run", tmp_path("nowalk.yaml"), "-o",
			     tmp_path("nowalk"), "-q", NULL), 0);
	assert_int_equal(run("run", tmp_path("walk.yaml"), "-o",
			     tmp_path("walk"), "-q", NULL), 0);
	na = read_cache_csv(tmp_path("nowalk"), a);
	nb = read_cache_csv(tmp_path("walk"), b);
	assert_int_equal(cache_accesses(b, nb, "obj") -
			 cache_accesses(a, na, "obj"),
			 20 * 1 * 3 + 20 * 4 * 2 + 20 * 2 * 1);
	/* the walks cost the CPU time: reads that were not there before */
	assert_true(cache_accesses(b, nb, "obj") > cache_accesses(a, na, "obj"));
}

/*
 * The walk visits live objects oldest first. In the access trace the
 * allocation-time writes (56 bytes) give the allocation order; the first
 * walk's reads (52 bytes) must be the same addresses without the freed
 * ones (o0, o5, ...), in the same order, three times over.
 */
static void test_walk_order(void **state)
{
	static struct row rows[MAX_ROWS];
	unsigned long long written[32], walked[128];
	int nw = 0, nk = 0, n, i;
	bool is_obj[MAX_ROWS] = { false };
	char *text, *line, *save = NULL;

	(void)state;
	spit(tmp_path("walk.yaml"), walk_yaml(true));
	assert_int_equal(run("run", tmp_path("walk.yaml"), "-o",
			     tmp_path("walk"), "-q", "--access-trace",
			     tmp_path("walk.trace"), NULL), 0);
	n = read_cache_csv(tmp_path("walk"), rows);
	for (i = 0; i < n; i++)
		is_obj[i] = !strcmp(rows[i].cache, "obj");
	text = slurp(tmp_path("walk.trace"), NULL);
	assert_non_null(text);
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		int cpu, node, home;
		unsigned long long addr;
		size_t len;
		char rw;
		unsigned int tag;

		if (line[0] == '#')
			continue;
		assert_int_equal(sscanf(line, "%d %d %llx %zu %c %d %u", &cpu,
					&node, &addr, &len, &rw, &home, &tag), 7);
		if (tag >= (unsigned int)n || !is_obj[tag])
			continue;
		if (len == 56 && rw == 'W' && nw < 32)
			written[nw++] = addr;
		else if (len == 52 && rw == 'R' && nk < 128)
			walked[nk++] = addr;
	}
	free(text);
	assert_int_equal(nw, 25);
	assert_int_equal(nk, 60);
	for (int pass = 0; pass < 3; pass++) {
		int k = 0;

		for (i = 0; i < 25; i++)
			if (i % 5)
				assert_int_equal(walked[pass * 20 + k++],
						 written[i]);
	}
}

/* ---- the colouring switch, from the outside ---- */

/*
 * 448-byte objects have 6 colours (test_slab has the offsets). With
 * colouring on, cache.csv has rows for colours 0-5 of the cache; with
 * --set slab.colouring=false, or caches[].colouring: false, only colour 0.
 */
static const char colours_yaml[] =
	"name: colours\n"
	"machine: {cpus: 1, memory: 64MiB}\n"
	"caches:\n"
	"  - {name: big, size: 448}\n"
	"  - {name: big2, size: 448}\n"
	"generators:\n"
	"  - {cache: big, rate: 1000000/s, lifetime: {fixed: 1s}, touch: 8,\n"
	"     until: 100us}\n"
	"  - {cache: big2, rate: 1000000/s, lifetime: {fixed: 1s}, touch: 8,\n"
	"     until: 100us}\n"
	"duration: 200us\n";

static unsigned int colours_of(const struct row *rows, int n, const char *c)
{
	unsigned int mask = 0;

	for (int i = 0; i < n; i++)
		if (!strcmp(rows[i].cache, c))
			mask |= 1u << rows[i].colour;
	return mask;
}

static void test_colouring_switch(void **state)
{
	static struct row rows[MAX_ROWS];
	int n;

	(void)state;
	spit(tmp_path("colours.yaml"), colours_yaml);
	assert_int_equal(run("run", tmp_path("colours.yaml"), "-o",
			     tmp_path("col-on"), "-q", NULL), 0);
	n = read_cache_csv(tmp_path("col-on"), rows);
	assert_int_equal(colours_of(rows, n, "big"), 0x3f);
	assert_int_equal(colours_of(rows, n, "big2"), 0x3f);

	assert_int_equal(run("run", tmp_path("colours.yaml"), "-o",
			     tmp_path("col-off"), "-q", "--set",
			     "slab.colouring=false", NULL), 0);
	n = read_cache_csv(tmp_path("col-off"), rows);
	assert_int_equal(colours_of(rows, n, "big"), 1);
	assert_int_equal(colours_of(rows, n, "big2"), 1);

	/* per cache, in the file and from the command line */
	assert_int_equal(run("run", tmp_path("colours.yaml"), "-o",
			     tmp_path("col-one"), "-q", "--set",
			     "caches.big2.colouring=false", NULL), 0);
	n = read_cache_csv(tmp_path("col-one"), rows);
	assert_int_equal(colours_of(rows, n, "big"), 0x3f);
	assert_int_equal(colours_of(rows, n, "big2"), 1);

	{
		/* slab.colouring false, and one cache that keeps it */
		static const char per_cache[] =
			"name: colours\n"
			"machine: {cpus: 1, memory: 64MiB}\n"
			"slab: {colouring: false}\n"
			"caches:\n"
			"  - {name: big, size: 448, colouring: true}\n"
			"  - {name: big2, size: 448}\n"
			"generators:\n"
			"  - {cache: big, rate: 1000000/s, lifetime: {fixed: 1s}, touch: 8,\n"
			"     until: 100us}\n"
			"  - {cache: big2, rate: 1000000/s, lifetime: {fixed: 1s}, touch: 8,\n"
			"     until: 100us}\n"
			"duration: 200us\n";
		spit(tmp_path("percache.yaml"), per_cache);
	}
	assert_int_equal(run("run", tmp_path("percache.yaml"), "-o",
			     tmp_path("col-file"), "-q", NULL), 0);
	n = read_cache_csv(tmp_path("col-file"), rows);
	assert_int_equal(colours_of(rows, n, "big"), 0x3f);
	assert_int_equal(colours_of(rows, n, "big2"), 1);
}

/* ---- the access trace, replayed ---- */

/*
 * A reference model, as plain as it can be: per set a list of lines, most
 * recent first; L1 and L2 inclusive (an L2 victim leaves L1), L1 hits do
 * not refresh L2 (the L2 never sees them). One CPU, so no coherence.
 */
struct ref_level {
	unsigned int sets, ways;
	long long *lines;	/* sets * ways, -1 empty */
};

static void ref_init(struct ref_level *l, unsigned int size,
		     unsigned int ways)
{
	l->ways = ways;
	l->sets = size / 64 / ways;
	l->lines = malloc(sizeof(*l->lines) * l->sets * ways);
	assert_non_null(l->lines);
	for (unsigned int i = 0; i < l->sets * ways; i++)
		l->lines[i] = -1;
}

static long long *ref_set(struct ref_level *l, long long line)
{
	return &l->lines[(size_t)(line % l->sets) * l->ways];
}

/* Position of line in its set, or -1. */
static int ref_find(struct ref_level *l, long long line)
{
	long long *s = ref_set(l, line);

	for (unsigned int w = 0; w < l->ways; w++)
		if (s[w] == line)
			return (int)w;
	return -1;
}

/* Moves line (at pos, or new when pos < 0) to the front; returns the
 * line that fell off the end (-1 if none). */
static long long ref_front(struct ref_level *l, long long line, int pos)
{
	long long *s = ref_set(l, line);
	long long out = -1;
	int w = pos;

	if (w < 0) {
		w = (int)l->ways - 1;
		out = s[w];
	}
	for (; w > 0; w--)
		s[w] = s[w - 1];
	s[0] = line;
	return out;
}

static void ref_remove(struct ref_level *l, long long line)
{
	long long *s = ref_set(l, line);
	int w = ref_find(l, line);

	if (w < 0)
		return;
	for (; w + 1 < (int)l->ways; w++)
		s[w] = s[w + 1];
	s[l->ways - 1] = -1;
}

static const char replay_yaml[] =
	"name: replay\n"
	"seed: 5\n"
	"machine:\n"
	"  cpus: 1\n"
	"  memory: 64MiB\n"
	"  caches: {line: 64, l1d: {size: 4KiB, ways: 2}, l2: {size: 32KiB, ways: 4}}\n"
	"caches:\n"
	"  - {name: dentry, size: 192, flags: [HWCACHE_ALIGN]}\n"
	"  - {name: inode, size: 448}\n"
	"generators:\n"
	"  - {cache: dentry, rate: 200000/s, lifetime: {exp: 200us}, touch: 100,\n"
	"     until: 2ms, walk: {every: 500us, bytes: 52}}\n"
	"  - {cache: inode, rate: 100000/s, lifetime: {exp: 1ms}, touch: 448,\n"
	"     until: 2ms}\n"
	"  - {kmalloc: [16, 600], rate: 50000/s, lifetime: {exp: 300us},\n"
	"     touch: 30, until: 2ms}\n"
	"events:\n"
	"  - {t: 1ms, cpu: 0, walk: inode, bytes: 48, repeat: 4}\n"
	"  - {t: 1500us, cpu: 0, walk: inode, offset: 100, bytes: 130, write: true}\n"
	"duration: 3ms\n";

static void test_access_trace_replay(void **state)
{
	static struct row rows[MAX_ROWS], got[MAX_ROWS];
	struct ref_level l1, l2;
	char *text, *line, *save = NULL;
	unsigned long long lines = 0, walk_reads = 0, gen_walk_reads = 0;
	int n;

	(void)state;
	spit(tmp_path("replay.yaml"), replay_yaml);
	assert_int_equal(run("run", tmp_path("replay.yaml"), "-o",
			     tmp_path("replay"), "-q", "--access-trace",
			     tmp_path("replay.trace"), NULL), 0);
	assert_false(exists(tmp_path("replay.trace.partial")));
	n = read_cache_csv(tmp_path("replay"), rows);
	assert_true(n > 3);
	memset(got, 0, sizeof(got));
	ref_init(&l1, 4096, 2);
	ref_init(&l2, 32768, 4);

	text = slurp(tmp_path("replay.trace"), NULL);
	assert_non_null(text);
	line = strtok_r(text, "\n", &save);
	assert_string_equal(line, "# slabsim access trace: cpu node addr len rw home tag");
	while ((line = strtok_r(NULL, "\n", &save))) {
		int cpu, node, home;
		unsigned long long addr;
		size_t len;
		char rw;
		unsigned int tag;

		assert_int_equal(sscanf(line, "%d %d %llx %zu %c %d %u", &cpu,
					&node, &addr, &len, &rw, &home, &tag), 7);
		assert_int_equal(cpu, 0);
		assert_true(len > 0);
		assert_true(rw == 'R' || rw == 'W');
		assert_true(tag < (unsigned int)n);
		walk_reads += len == 48 && rw == 'R';
		/* the generator's walk: dentry objects, 52 bytes read */
		gen_walk_reads += len == 52 && rw == 'R' &&
				  !strcmp(rows[tag].cache, "dentry");
		for (long long ln = (long long)(addr / 64);
		     ln <= (long long)((addr + len - 1) / 64); ln++) {
			struct row *g = &got[tag];
			int p1 = ref_find(&l1, ln), p2;

			lines++;
			g->accesses++;
			if (p1 >= 0) {
				g->l1++;
				ref_front(&l1, ln, p1);
				continue;
			}
			p2 = ref_find(&l2, ln);
			if (p2 >= 0) {
				g->l2++;
				ref_front(&l2, ln, p2);
			} else {
				long long out = ref_front(&l2, ln, -1);

				g->misses++;
				if (out >= 0)
					ref_remove(&l1, out);
			}
			ref_front(&l1, ln, ref_find(&l1, ln));
		}
	}
	free(text);
	free(l1.lines);
	free(l2.lines);
	/* the run did walk, and the caches were too small to hold it all */
	assert_true(walk_reads > 100);
	/* a walk every 500us until 2ms: 3 walks of the live dentries */
	assert_true(gen_walk_reads > 3);
	for (int i = 0; i < n; i++) {
		assert_int_equal(got[i].accesses, rows[i].accesses);
		assert_int_equal(got[i].l1, rows[i].l1);
		assert_int_equal(got[i].l2, rows[i].l2);
		assert_int_equal(got[i].misses, rows[i].misses);
		assert_int_equal(rows[i].coherence, 0);
	}
	{
		unsigned long long misses = 0, l2hits = 0;

		for (int i = 0; i < n; i++) {
			misses += rows[i].misses;
			l2hits += rows[i].l2;
		}
		assert_true(misses > 100 && l2hits > 100);
		assert_true(lines > misses + l2hits);
	}
}

/* No trace without the option; none (not even a partial one) when the
 * run fails on bad input; refused when there is no model to trace. */
static void test_access_trace_off_and_errors(void **state)
{
	(void)state;
	spit(tmp_path("replay.yaml"), replay_yaml);
	assert_int_equal(run("run", tmp_path("replay.yaml"), "-o",
			     tmp_path("plain"), "-q", NULL), 0);
	assert_false(exists(tmp_path("plain/access.trace")));

	assert_int_equal(run("run", tmp_path("replay.yaml"), "-o",
			     tmp_path("bad"), "-q", "--access-trace",
			     tmp_path("bad.trace"), "--set", "machine.cpus=0",
			     NULL), 2);
	assert_false(exists(tmp_path("bad.trace")));
	assert_false(exists(tmp_path("bad.trace.partial")));

	assert_int_equal(run("run", tmp_path("replay.yaml"), "-o",
			     tmp_path("nomodel"), "-q", "--access-trace",
			     tmp_path("nm.trace"), "--set",
			     "machine.caches.model=false", NULL), 2);
	char *err = stderr_text();
	assert_one_line(err);
	assert_non_null(strstr(err, "cache-line model is off"));
	free(err);
	assert_false(exists(tmp_path("nm.trace")));
	assert_false(exists(tmp_path("nm.trace.partial")));
	assert_false(exists(tmp_path("nomodel")));
}

/*
 * l1sets_cache.csv splits l1sets.csv by cache: per set, its rows add up
 * to the set's totals. And the colour plot draws one run against another.
 */
static void test_cache_sets_and_plot(void **state)
{
	char *per, *tot, *line, *save = NULL;
	unsigned long long acc[64] = { 0 }, miss[64] = { 0 };
	unsigned int set;
	unsigned long long a, m;
	int rows = 0, rc;

	(void)state;
	spit(tmp_path("colours.yaml"), colours_yaml);
	assert_int_equal(run("run", tmp_path("colours.yaml"), "-o",
			     tmp_path("p-on"), "-q", NULL), 0);
	assert_int_equal(run("run", tmp_path("colours.yaml"), "-o",
			     tmp_path("p-off"), "-q", "--set",
			     "slab.colouring=false", NULL), 0);
	per = slurp(tmp_path("p-on/l1sets_cache.csv"), NULL);
	assert_non_null(per);
	line = strtok_r(per, "\n", &save);
	assert_string_equal(line, "cache,set,accesses,misses");
	while ((line = strtok_r(NULL, "\n", &save))) {
		/* the names here hold no comma: set, accesses, misses follow */
		assert_int_equal(sscanf(strchr(line, ',') + 1, "%u,%llu,%llu",
					&set, &a, &m), 3);
		assert_true(set < 64);
		acc[set] += a;
		miss[set] += m;
		rows++;
	}
	free(per);
	assert_true(rows >= 3 * 64 && rows % 64 == 0);
	tot = slurp(tmp_path("p-on/l1sets.csv"), NULL);
	assert_non_null(tot);
	save = NULL;
	line = strtok_r(tot, "\n", &save);
	while ((line = strtok_r(NULL, "\n", &save))) {
		assert_int_equal(sscanf(line, "%u,%llu,%llu", &set, &a, &m), 3);
		assert_int_equal(acc[set], a);
		assert_int_equal(miss[set], m);
	}
	free(tot);

	rc = run("plot", tmp_path("p-off"), "--compare", tmp_path("p-on"),
		 "--only", "colours", "--format", "svg", NULL);
	if (rc == 2 && strstr(stderr_text(), "gnuplot not found"))
		return;	/* nothing to draw with: the CSV checks above stand */
	assert_int_equal(rc, 0);
	assert_true(exists(tmp_path("p-off/plots/colours.svg")));
	assert_int_equal(run("plot", tmp_path("p-off"), "--compare",
			     tmp_path("no-such-run"), NULL), 2);
	char *err = stderr_text();
	assert_one_line(err);
	free(err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_walk_access_count),
		cmocka_unit_test(test_walk_order),
		cmocka_unit_test(test_colouring_switch),
		cmocka_unit_test(test_access_trace_replay),
		cmocka_unit_test(test_access_trace_off_and_errors),
		cmocka_unit_test(test_cache_sets_and_plot),
	};

	if (e2e_setup("colour"))
		return 1;
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	e2e_teardown(rc);
	return rc;
}
