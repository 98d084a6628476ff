/*
 * The streamed workload, end to end: the one-pass and two-pass readings
 * of a file give the same run, the compact event form the same run as
 * the mapping form, an error at the end of a long file leaves nothing,
 * a run ends only once every event has run, and an event that comes
 * before its object waits for it instead of vanishing, and parsing on a
 * thread of its own changes nothing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tests/e2e_util.h"

/* A numeric field of summary.json ("key": N), first occurrence after from. */
static long long summary_num(const char *dir, const char *from,
			     const char *key)
{
	char path[512], pat[128];
	char *s, *p;
	long long v;

	snprintf(path, sizeof(path), "%s/summary.json", dir);
	s = slurp(path, NULL);
	assert_non_null(s);
	p = from ? strstr(s, from) : s;
	assert_non_null(p);
	snprintf(pat, sizeof(pat), "\"%s\": ", key);
	p = strstr(p, pat);
	if (!p)
		fail_msg("no %s in %s", key, path);
	v = strtoll(p + strlen(pat), NULL, 10);
	free(s);
	return v;
}

/*
 * Every workload of workloads/ with its events: block moved last and
 * read in one pass, against the same text with its name: line moved
 * after the events (a blank line stays in its place, so every event
 * keeps its line): read in two passes. Byte-identical run directories.
 */
static void move_events_last(const char *in, char *one, char *two)
{
	const char *ev = strstr(in, "\nevents:");
	const char *end, *name = strncmp(in, "name:", 5) ? strstr(in, "\nname:") : in - 1;
	char namebuf[200] = "";

	assert_non_null(name);
	name++;
	size_t nl = strcspn(name, "\n");
	snprintf(namebuf, sizeof(namebuf), "%.*s\n", (int)nl, name);
	one[0] = two[0] = '\0';
	if (!ev) {
		strcpy(one, in);
	} else {
		ev++;
		/* the block: events: and every line that is indented, a list item or blank */
		for (end = strchr(ev, '\n'); end && end[1] &&
		     strchr(" -#\n", end[1]); end = strchr(end + 1, '\n'))
			;
		end = end ? end + 1 : ev + strlen(ev);
		strncat(one, in, (size_t)(ev - in));
		strcat(one, end);
		if (one[strlen(one) - 1] != '\n')
			strcat(one, "\n");
		strncat(one, ev, (size_t)(end - ev));
	}
	/* two: the same, name: blanked where it was and written at the end */
	const char *n1 = strstr(one, namebuf);
	assert_non_null(n1);
	strncat(two, one, (size_t)(n1 - one));
	strcat(two, "\n");
	strcat(two, n1 + strlen(namebuf));
	strcat(two, namebuf);
}

static void test_one_pass_equals_two_passes(void **state)
{
	static const char *const names[] = {
		"default", "fragmentation", "net_producer_consumer",
	};
	static char one[1 << 16], two[1 << 16];

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char path[600], a[64], b[64], da[64], db[64];
		char *text;

		snprintf(path, sizeof(path), "%s/workloads/%s.yaml", e2e_src,
			 names[i]);
		text = slurp(path, NULL);
		assert_non_null(text);
		move_events_last(text, one, two);
		free(text);
		snprintf(a, sizeof(a), "one-%s/w.yaml", names[i]);
		snprintf(b, sizeof(b), "two-%s/w.yaml", names[i]);
		snprintf(da, sizeof(da), "one-%s", names[i]);
		snprintf(db, sizeof(db), "two-%s", names[i]);
		char cmd[700];
		snprintf(cmd, sizeof(cmd), "mkdir -p %s %s", tmp_path(da), tmp_path(db));
		assert_int_equal(system(cmd), 0);
		spit(tmp_path(a), one);
		spit(tmp_path(b), two);
		snprintf(da, sizeof(da), "one-%s/out", names[i]);
		snprintf(db, sizeof(db), "two-%s/out", names[i]);
		assert_int_equal(run("run", tmp_path(a), "-o", tmp_path(da), "-q", NULL), 0);
		assert_int_equal(run("run", tmp_path(b), "-o", tmp_path(db), "-q", NULL), 0);
		assert_dirs_identical(tmp_path(da), tmp_path(db));
	}
}

/* The same events, one per line, in both forms. */
static const char header[] =
	"name: forms\n"
	"seed: 3\n"
	"machine: {cpus: 2, nodes: 2, memory: 64MiB}\n"
	"caches:\n"
	"  - {name: dentry, size: 152, flags: [HWCACHE_ALIGN]}\n"
	"  - {name: late, size: 96, t: 3us}\n"
	"sample: 10us\n"
	"events:\n";

static const char mapping_events[] =
	"  - {t: 0ns, cpu: 0, alloc: dentry, as: d1, site: d_alloc+0x2c/0x1b0}\n"
	"  - {t: 1us, cpu: 1, kmalloc: 96, as: k1, gfp: GFP_NOFS|__GFP_NOWARN}\n"
	"  - {t: 2us, cpu: 1, alloc_node: dentry, node: 0, as: d2}\n"
	"  - {t: 3us, cpu: 0, touch: d1, bytes: 48, write: false}\n"
	"  - {t: 4us, cpu: 0, slabinfo: true}\n"
	"  - {t: 5us, cpu: 1, free: d1, site: dput+0x120/0x200}\n"
	"  - {t: 6us, cpu: 0, kmalloc_node: 300, node: 1, as: k2}\n"
	"  - {t: 7us, cpu: 0, tune: {cache: dentry, limit: 16, batchcount: 8, shared: 0}}\n"
	"  - {t: 8us, cpu: 1, alloc: late, as: l1}\n"
	"  - {t: 9us, mempolicy: {cpu: 1, policy: interleave, nodes: [0, 1]}}\n"
	"  - {t: 10us, cpu: 1, zalloc: dentry, as: d3}\n"
	"  - {t: 11us, cpu: 0, kfree: k1}\n"
	"  - {t: 12us, cpu: 1, kfree: k2}\n"
	"  - {t: 13us, cpu: 0, shrink: dentry}\n"
	"  - {t: 14us, cpu: 1, free: d2}\n"
	"  - {t: 15us, cpu: 1, free: d3}\n"
	"  - {t: 16us, cpu_down: 1}\n"
	"  - {t: 17us, cpu: 0, free: l1}\n"
	"  - {t: 18us, cpu: 0, destroy: late}\n";

static const char compact_events[] =
	"  - 0ns 0 alloc dentry d1 @d_alloc+0x2c/0x1b0\n"
	"  - 1us 1 kmalloc 96 k1 gfp=GFP_NOFS|__GFP_NOWARN\n"
	"  - 2us 1 alloc_node dentry 0 d2\n"
	"  - 3us 0 touch d1 bytes=48 write=false\n"
	"  - 4us 0 slabinfo\n"
	"  - 5us 1 free d1 @dput+0x120/0x200\n"
	"  - 6us 0 kmalloc_node 300 1 k2\n"
	"  - 7us 0 tune dentry 16 8 0\n"
	"  - 8us 1 alloc late l1\n"
	"  - 9us - mempolicy cpu=1 policy=interleave nodes=0,1\n"
	"  - 10us 1 zalloc dentry d3\n"
	"  - 11us 0 kfree k1\n"
	"  - 12us 1 kfree k2\n"
	"  - 13us 0 shrink dentry\n"
	"  - 14us 1 free d2\n"
	"  - 15us 1 free d3\n"
	"  - 16us - cpu_down 1\n"
	"  - 17us 0 free l1\n"
	"  - 18us 0 destroy late\n";

/*
 * header + events refused: exit 2, one line on stderr holding want, and
 * no run directory.
 */
static void refused(const char *events, const char *want)
{
	char buf[2048];

	snprintf(buf, sizeof(buf), "%s%s", header, events);
	spit(tmp_path("bad.yaml"), buf);
	assert_int_equal(run("run", tmp_path("bad.yaml"), "-o", tmp_path("bad"), NULL), 2);
	char *e = stderr_text();
	assert_one_line(e);
	if (!strstr(e, want))
		fail_msg("'%s' lacks '%s'", e, want);
	free(e);
	assert_false(exists(tmp_path("bad")));
}

static void test_compact_equals_mapping(void **state)
{
	static char buf[8192];

	(void)state;
	char cmd[700];
	snprintf(cmd, sizeof(cmd), "mkdir -p %s %s", tmp_path("map"), tmp_path("com"));
	assert_int_equal(system(cmd), 0);
	snprintf(buf, sizeof(buf), "%s%s", header, mapping_events);
	spit(tmp_path("map/forms.yaml"), buf);
	snprintf(buf, sizeof(buf), "%s%s", header, compact_events);
	spit(tmp_path("com/forms.yaml"), buf);
	assert_int_equal(run("run", tmp_path("map/forms.yaml"), "-o",
			     tmp_path("map/out"), "-q", NULL), 0);
	assert_int_equal(run("run", tmp_path("com/forms.yaml"), "-o",
			     tmp_path("com/out"), "-q", NULL), 0);
	assert_dirs_identical(tmp_path("map/out"), tmp_path("com/out"));
	/* and the run did what the events say */
	assert_int_equal(summary_num(tmp_path("com/out"), NULL, "allocations"), 6);
	assert_int_equal(summary_num(tmp_path("com/out"), NULL, "frees"), 6);
	assert_true(exists(tmp_path("com/out/slabinfo.4us")));
	char *cs = slurp(tmp_path("com/out/callsites.csv"), NULL);
	assert_non_null(strstr(cs, "\nd_alloc+0x2c/0x1b0,1,0,0,152,192,"));
	assert_non_null(strstr(cs, "\ndput+0x120/0x200,0,1,0,0,0,"));
	free(cs);

	/* a compact event's mistakes are the mapping form's, at the word */
	refused("  - 0ns 0 alloc dentry\n",
		"bad.yaml:9:11: alloc needs as:");
	refused("  - 0ns 0 allocate dentry d1\n",
		"bad.yaml:9:11: unknown operation 'allocate'");
	/* words with control bytes (a blank line folded into a plain scalar,
	   an escape in a quoted one) are quoted escaped: still one line */
	refused("  - 0ns 0 alloc\n\n   dentry d1\n",
		"bad.yaml:9:11: unknown operation 'alloc\\x0adentry'");
	refused("  - \"0ns 0 alloc dentry d1 \\x01\"\n",
		": unexpected '\\x01' in the alloc event");
}

/*
 * 3000 random events, names reused and freed twice, sizes with units,
 * sites on some: the compact form's fast way and the mapping form give
 * byte-identical runs.
 */
static void test_random_compact_equals_mapping(void **state)
{
	static const char head[] =
		"name: random\nseed: 9\nmachine: {cpus: 3}\n"
		"caches:\n  - {name: a, size: 40}\n  - {name: b, size: 700, t: 20us}\n"
		"events:\n";
	FILE *fm, *fc;
	bool live[40] = { false }, km[40] = { false };
	uint64_t x = 88172645463325252ULL;

	(void)state;
	char cmd[700];
	snprintf(cmd, sizeof(cmd), "mkdir -p %s %s", tmp_path("rm"), tmp_path("rc"));
	assert_int_equal(system(cmd), 0);
	fm = fopen(tmp_path("rm/random.yaml"), "w");
	fc = fopen(tmp_path("rc/random.yaml"), "w");
	assert_non_null(fm);
	assert_non_null(fc);
	fputs(head, fm);
	fputs(head, fc);
	for (int i = 0; i < 3000; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		int n = (int)(x % 40), cpu = (int)((x >> 8) % 3);
		unsigned long t = (unsigned long)i * 100;
		const char *cache = (x >> 16) % 2 && t >= 20000 ? "b" : "a";
		char site[32] = "", msite[48] = "";

		if ((x >> 20) % 3 == 0) {
			snprintf(site, sizeof(site), " @fn%d+0x%x/0x100", n % 7, n);
			snprintf(msite, sizeof(msite), ", site: fn%d+0x%x/0x100", n % 7, n);
		}
		if (!live[n]) {
			if ((x >> 24) % 2) {
				fprintf(fc, "  - %luns %d kmalloc %dB k%d%s\n", t, cpu, 8 + n * 13, n, site);
				fprintf(fm, "  - {t: %luns, cpu: %d, kmalloc: %dB, as: k%d%s}\n", t, cpu, 8 + n * 13, n, msite);
				km[n] = true;
			} else {
				/* zalloc and a gfp now and then: both ways of the compact form */
				const char *op = (x >> 32) % 3 == 0 ? "zalloc" : "alloc";
				const char *gfp = (x >> 36) % 4 == 0 ? " gfp=GFP_NOFS|__GFP_NOWARN" :
						  (x >> 36) % 4 == 1 ? " gfp=GFP_ATOMIC" : "";
				const char *mgfp = (x >> 36) % 4 == 0 ? ", gfp: GFP_NOFS|__GFP_NOWARN" :
						   (x >> 36) % 4 == 1 ? ", gfp: GFP_ATOMIC" : "";
				fprintf(fc, "  - %luns %d %s %s k%d%s%s\n", t, cpu, op, cache, n, gfp, site);
				fprintf(fm, "  - {t: %luns, cpu: %d, %s: %s, as: k%d%s%s}\n", t, cpu, op, cache, n, mgfp, msite);
				km[n] = false;
			}
			live[n] = true;
		} else {
			const char *op = km[n] ? "kfree" : "free";
			fprintf(fc, "  - %luns %d %s k%d%s\n", t, cpu, op, n, site);
			fprintf(fm, "  - {t: %luns, cpu: %d, %s: k%d%s}\n", t, cpu, op, n, msite);
			/* now and then the same free again: a double free */
			live[n] = (x >> 28) % 17 == 0;
		}
	}
	fclose(fm);
	fclose(fc);
	/* the same path for both: kernel.log names the file */
	assert_int_equal(rename(tmp_path("rm/random.yaml"), tmp_path("random.yaml")), 0);
	assert_int_equal(run("run", tmp_path("random.yaml"), "-o", tmp_path("rm/out"), "-q", NULL), 0);
	assert_int_equal(rename(tmp_path("rc/random.yaml"), tmp_path("random.yaml")), 0);
	assert_int_equal(run("run", tmp_path("random.yaml"), "-o", tmp_path("rc/out"), "-q", NULL), 0);
	assert_dirs_identical(tmp_path("rm/out"), tmp_path("rc/out"));
	assert_true(summary_num(tmp_path("rc/out"), NULL, "double_frees") > 0);
}

/* A mistake on the last line of a long streamed file: one line, exit 2, nothing written. */
static void test_late_error_leaves_nothing(void **state)
{
	const int n = 200000;
	FILE *f;

	(void)state;
	f = fopen(tmp_path("long.yaml"), "w");
	assert_non_null(f);
	fprintf(f, "machine: {cpus: 2}\ncaches:\n  - {name: c, size: 64}\nevents:\n");
	for (int i = 0; i < n; i++)
		fprintf(f, "  - %dns %d %s c%d\n", i * 10, i % 2,
			i % 2 ? "free" : "alloc c", i / 2);
	fprintf(f, "  - {t: 9s, cpu: 0, free: [c0}\n");
	fclose(f);
	assert_int_equal(run("run", tmp_path("long.yaml"), "-o", tmp_path("long"), NULL), 2);
	char *e = stderr_text();
	assert_one_line(e);
	char want[128];
	snprintf(want, sizeof(want), "long.yaml:%d:", n + 5);
	assert_non_null(strstr(e, want));
	free(e);
	assert_false(exists(tmp_path("long")));
}

/*
 * One CPU, alloc at 0 and free at 1us, the cache model on: the alloc
 * (cold misses, a page) takes longer than 1us, and the run still waits
 * for the free before it ends (it used to end at 1us + 1ns without it).
 * With a duration before the free, the free is counted as not run.
 */
static void test_run_ends_after_every_event(void **state)
{
	static const char w[] =
		"caches:\n  - {name: c, size: 64}\n"
		"events:\n"
		"  - 0us 0 alloc c a\n"
		"  - 1us 0 slabinfo\n"
		"  - 1us 0 free a\n";
	static const char short_w[] =
		"duration: 500ns\n"
		"caches:\n  - {name: c, size: 64}\n"
		"events:\n"
		"  - 0us 0 alloc c a\n"
		"  - 1us 0 free a\n"
		"  - 2us 0 kmalloc 8 k\n";

	(void)state;
	spit(tmp_path("end.yaml"), w);
	assert_int_equal(run("run", tmp_path("end.yaml"), "-o", tmp_path("end"), "-q", NULL), 0);
	assert_int_equal(summary_num(tmp_path("end"), NULL, "frees"), 1);
	assert_int_equal(summary_num(tmp_path("end"), NULL, "operations"), 2);
	assert_true(summary_num(tmp_path("end"), NULL, "time_ns") > 1000);
	/*
	 * the snapshot at 1us waited for the free at 1us, queued behind the
	 * allocation on the busy CPU: cpustat allochit allocmiss freehit
	 * freemiss reads 0 1 1 0
	 */
	char *snap = slurp(tmp_path("end/slabinfo.1us"), NULL);
	assert_non_null(snap);
	char *line = strstr(snap, "\nc ");
	assert_non_null(line);
	char *cpustat = strstr(line, ": cpustat");
	assert_non_null(cpustat);
	long hit, miss, fhit, fmiss;
	assert_int_equal(sscanf(cpustat, ": cpustat %ld %ld %ld %ld", &hit,
				&miss, &fhit, &fmiss), 4);
	assert_int_equal(miss, 1);
	assert_int_equal(fhit, 1);
	free(snap);

	spit(tmp_path("short.yaml"), short_w);
	assert_int_equal(run("run", tmp_path("short.yaml"), "-o", tmp_path("short"), "-q", NULL), 0);
	assert_int_equal(summary_num(tmp_path("short"), "\"events\"", "read"), 3);
	assert_int_equal(summary_num(tmp_path("short"), "\"events\"", "not_run"), 2);
	assert_int_equal(summary_num(tmp_path("short"), NULL, "frees"), 0);
	char *log = slurp(tmp_path("short/kernel.log"), NULL);
	assert_non_null(strstr(log, "2 events after the end of the run"));
	assert_non_null(strstr(log, "short.yaml:6"));
	free(log);
}

/*
 * CPU 0 allocates an object whose constructor runs for 20us per slab;
 * CPU 1 frees it at 1us, before the allocation is done in virtual time.
 * The free waits for it (it used to be dropped, the object leaked).
 */
static void test_free_waits_for_its_allocation(void **state)
{
	static const char w[] =
		"machine: {cpus: 2}\n"
		"caches:\n  - {name: c, size: 1024, ctor: 2us}\n"
		"events:\n"
		"  - 0us 0 alloc c a @early_alloc\n"
		"  - 1us 1 free a @late_free\n"
		"  - 2us 1 kmalloc 64 k\n"
		"  - 3us 1 kfree k\n";

	(void)state;
	spit(tmp_path("wait.yaml"), w);
	assert_int_equal(run("run", tmp_path("wait.yaml"), "-o", tmp_path("wait"), "-q", NULL), 0);
	assert_int_equal(summary_num(tmp_path("wait"), NULL, "allocations"), 2);
	assert_int_equal(summary_num(tmp_path("wait"), NULL, "frees"), 2);
	assert_int_equal(summary_num(tmp_path("wait"), "\"events\"", "waited"), 1);
	assert_true(summary_num(tmp_path("wait"), "\"events\"", "wait_ns") > 0);
	char *cs = slurp(tmp_path("wait/callsites.csv"), NULL);
	/*
	 * the free counts at its own site; the crossing and the wait at
	 * the allocation's
	 */
	assert_non_null(strstr(cs, "\nearly_alloc,1,0,0,1024,1024,0.000,1,0,1,"));
	assert_non_null(strstr(cs, "\nlate_free,0,1,0,0,0,0.000,0,0,0,0\n"));
	free(cs);
}

/*
 * A cache declared with t: 1us is created on CPU 0, busy with a 20us
 * constructor; CPU 1's allocation from it at 2us waits for the creation
 * (it used to find no cache and be skipped), and so does a generator's
 * first arrival.
 */
static void test_alloc_waits_for_its_cache(void **state)
{
	static const char w[] =
		"machine: {cpus: 2}\n"
		"caches:\n  - {name: slow, size: 1024, ctor: 2us}\n"
		"  - {name: late, size: 64, t: 1us}\n"
		"generators:\n  - {cache: late, cpus: [1], rate: 1/us, lifetime: {fixed: 1us},\n"
		"     from: 1us, until: 3us}\n"
		"events:\n"
		"  - 0us 0 alloc slow a\n"
		"  - 2us 1 alloc late b\n"
		"  - 3us 1 free b\n";

	(void)state;
	spit(tmp_path("late.yaml"), w);
	assert_int_equal(run("run", tmp_path("late.yaml"), "-o", tmp_path("late"), "-q", NULL), 0);
	assert_int_equal(summary_num(tmp_path("late"), NULL, "skipped"), 0);
	assert_int_equal(summary_num(tmp_path("late"), NULL, "alloc_failures"), 0);
	assert_true(summary_num(tmp_path("late"), NULL, "allocations") >= 3);
	assert_true(summary_num(tmp_path("late"), "\"events\"", "waited") >= 2);
	char *log = slurp(tmp_path("late/kernel.log"), NULL);
	assert_null(strstr(log, "does not exist now"));
	free(log);
}

/*
 * A long trace whose events name no site has a site per line: 10,000
 * line rows at most, the rest in one row, and the columns still add up.
 */
static void test_callsite_rows_bounded(void **state)
{
	FILE *f = fopen(tmp_path("lines.yaml"), "w");

	(void)state;
	assert_non_null(f);
	fprintf(f, "caches:\n  - {name: c, size: 32}\nevents:\n");
	for (int i = 0; i < 12000; i++)
		fprintf(f, "  - %dns 0 %s\n", i * 100,
			i % 2 ? "free n" : "alloc c n");
	fclose(f);
	assert_int_equal(run("run", tmp_path("lines.yaml"), "-o", tmp_path("lines"), "-q", NULL), 0);
	char *cs = slurp(tmp_path("lines/callsites.csv"), NULL);
	int rows = 0;
	long long allocs = 0, frees = 0;
	for (char *p = strchr(cs, '\n') + 1; *p; p = strchr(p, '\n') + 1) {
		long long a, fr;
		char *comma = strchr(p, ',');
		if (!strncmp(p, "(other sites),", 14))
			assert_int_equal(sscanf(comma + 1, "%lld,%lld", &a, &fr), 2);
		else
			assert_int_equal(sscanf(comma + 1, "%lld,%lld", &a, &fr), 2), rows++;
		allocs += a;
		frees += fr;
	}
	assert_non_null(strstr(cs, "\n(other sites),"));
	free(cs);
	assert_int_equal(rows, 10000);
	assert_int_equal(allocs, 6000);
	assert_int_equal(frees, 6000);
}

/* callsites.csv adds up to the run's totals (default.yaml). */
static void test_callsites_add_up(void **state)
{
	char path[600];

	(void)state;
	snprintf(path, sizeof(path), "%s/workloads/default.yaml", e2e_src);
	assert_int_equal(run("run", path, "-o", tmp_path("def"), "-q", NULL), 0);
	char *cs = slurp(tmp_path("def/callsites.csv"), NULL);
	long long allocs = 0, frees = 0, failures = 0, rows = 0;
	char *line = strchr(cs, '\n') + 1;
	while (*line) {
		long long a, f, x;
		char *comma = strchr(line, ',');
		assert_int_equal(sscanf(comma + 1, "%lld,%lld,%lld", &a, &f, &x), 3);
		allocs += a;
		frees += f;
		failures += x;
		rows++;
		line = strchr(line, '\n') + 1;
	}
	free(cs);
	assert_true(rows >= 6);
	assert_int_equal(allocs, summary_num(tmp_path("def"), NULL, "allocations"));
	assert_int_equal(failures, summary_num(tmp_path("def"), NULL, "alloc_failures"));
	/* every free of a live object: the double frees are the kernel's */
	assert_int_equal(frees + summary_num(tmp_path("def"), NULL, "double_frees"),
			 summary_num(tmp_path("def"), NULL, "frees"));
}

/*
 * The events parsed on a thread of their own (SLABSIM_READ_AHEAD=1, and
 * by default for a file this long on a host with two CPUs) against
 * parsing in line (=0): the same run byte for byte, and the same one
 * line for a mistake late in the file and for nesting too deep.
 */
static void ra_run(const char *ra, const char *file, const char *out,
		   int want_rc, char **err)
{
	if (ra)
		setenv("SLABSIM_READ_AHEAD", ra, 1);
	else
		unsetenv("SLABSIM_READ_AHEAD");
	assert_int_equal(run("run", tmp_path(file), "-o", tmp_path(out), "-q", NULL), want_rc);
	unsetenv("SLABSIM_READ_AHEAD");
	if (err)
		*err = stderr_text();
}

static void test_read_ahead_same_run(void **state)
{
	const int n = 60000;
	FILE *f;
	char *e0, *e1;

	(void)state;
	f = fopen(tmp_path("ra.yaml"), "w");
	assert_non_null(f);
	fputs("name: ahead\nmachine: {cpus: 3}\n"
	      "caches:\n  - {name: &c c, size: 200}\n  - {name: d, size: 64, t: 50us}\n"
	      "events:\n", f);
	for (int i = 0; i < n; i++) {
		int obj = i / 2 % 500, cpu = i % 3;

		if (i % 1000 == 7)	/* the mapping form, and an alias into the header */
			fprintf(f, "  - {t: %dns, cpu: %d, touch: o%d, bytes: 16}\n"
				"  - {t: %dns, cpu: %d, shrink: *c}\n",
				i * 10, cpu, obj, i * 10, cpu);
		if (i % 2 == 0)
			fprintf(f, "  - %dns %d alloc %s o%d @site%d\n", i * 10, cpu,
				i > 5000 && i % 4 == 0 ? "d" : "c", obj, i % 97);
		else
			fprintf(f, "  - %dns %d free o%d\n", i * 10, cpu, obj);
	}
	fclose(f);
	ra_run("0", "ra.yaml", "ra0", 0, NULL);
	ra_run("1", "ra.yaml", "ra1", 0, NULL);
	ra_run(NULL, "ra.yaml", "radef", 0, NULL);
	assert_dirs_identical(tmp_path("ra0"), tmp_path("ra1"));
	assert_dirs_identical(tmp_path("ra0"), tmp_path("radef"));
	assert_true(summary_num(tmp_path("ra1"), NULL, "allocations") > n / 3);

	/* a mistake on the last line */
	f = fopen(tmp_path("ra.yaml"), "a");
	assert_non_null(f);
	fputs("  - {t: 9s, cpu: 0, free: [o1}\n", f);
	fclose(f);
	ra_run("0", "ra.yaml", "rae0", 2, &e0);
	ra_run("1", "ra.yaml", "rae1", 2, &e1);
	assert_one_line(e1);
	assert_string_equal(e0, e1);
	assert_false(exists(tmp_path("rae1")));
	free(e0);
	free(e1);

	/* nesting too deep, late: refused at the same place */
	f = fopen(tmp_path("deep.yaml"), "w");
	assert_non_null(f);
	fputs("machine: {cpus: 1}\ncaches: [{name: c, size: 64}]\nevents:\n", f);
	for (int i = 0; i < 3000; i++)
		fprintf(f, "  - %dns 0 alloc c x%d\n", i, i);
	fputs("  - {t: 1s, cpu: 0, shrink: ", f);
	for (int i = 0; i < 5000; i++)
		fputc('[', f);
	fputc('\n', f);
	fclose(f);
	ra_run("0", "deep.yaml", "deep0", 2, &e0);
	ra_run("1", "deep.yaml", "deep1", 2, &e1);
	assert_one_line(e1);
	assert_non_null(strstr(e1, "nested more than"));
	assert_string_equal(e0, e1);
	assert_false(exists(tmp_path("deep1")));
	free(e0);
	free(e1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_pass_equals_two_passes),
		cmocka_unit_test(test_compact_equals_mapping),
		cmocka_unit_test(test_random_compact_equals_mapping),
		cmocka_unit_test(test_late_error_leaves_nothing),
		cmocka_unit_test(test_run_ends_after_every_event),
		cmocka_unit_test(test_free_waits_for_its_allocation),
		cmocka_unit_test(test_alloc_waits_for_its_cache),
		cmocka_unit_test(test_callsite_rows_bounded),
		cmocka_unit_test(test_callsites_add_up),
		cmocka_unit_test(test_read_ahead_same_run),
	};
	if (e2e_setup("stream"))
		return 1;
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	e2e_teardown(rc);
	return rc;
}
