/*
 * lock_stat and the latency histograms, against timelines drawn by hand
 * on two simulated CPUs (the engine runs them; nothing else of the
 * machine is built). The expected lock_stat, tests/data/lock_stat/
 * expected, was written from the kernel's format rules (lockdep_proc.c:
 * '%40s:', '%14lu ' columns, times as us rounded to hundredths, rules 221
 * wide, underline and dotted separator only where points exist), with
 * the figures of the timeline below; it is compared line for line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sim/engine.h"
#include "sim/engine_inline.h"
#include "sim/latency.h"
#include "sim/report/report.h"

static struct engine *E;
static uint32_t L[3];

enum op { END, LOCK, UNLOCK, CHARGE, CALL_BEGIN, CALL_END };

struct step {
	enum op op;
	uint64_t v;
	const char *site;	/* LOCK: the call site (lockdep's ip) */
};

/* latency recorded around each CALL_BEGIN..CALL_END, as run.c does */
static struct lat_hist *hist;
static vtime_t call_t0[2];

static void run_script(void *arg)
{
	for (const struct step *s = arg; s->op != END; s++) {
		switch (s->op) {
		case LOCK:
			engine_lock_ip(E, L[s->v], s->site);
			break;
		case UNLOCK:
			engine_unlock(E, L[s->v]);
			break;
		case CHARGE:
			engine_charge(E, s->v);
			break;
		case CALL_BEGIN:
			call_t0[engine_cpu(E)] = engine_now_fast(E);
			break;
		case CALL_END:
			lat_record(&hist, engine_now_fast(E) -
				   call_t0[engine_cpu(E)]);
			break;
		case END:
			break;
		}
	}
}

static struct engine *new_engine(vtime_t lock, vtime_t handoff)
{
	struct engine_config cfg = {
		.nr_cpus = 2,
		.costs = { .lock = lock, .handoff = handoff },
	};

	E = engine_create(&cfg);
	assert_non_null(E);
	return E;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct strbuf sb;
	int c;

	assert_non_null(f);
	sb_init(&sb);
	sb_puts(&sb, "");
	while ((c = getc(f)) != EOF)
		sb_putc(&sb, (char)c);
	fclose(f);
	return sb.buf;
}

/* Compare line by line, so a failure names the first line that differs. */
static void assert_same_lines(const char *got, const char *want)
{
	int line = 1;

	while (*got || *want) {
		size_t g = strcspn(got, "\n"), w = strcspn(want, "\n");

		if (g != w || memcmp(got, want, g))
			fail_msg("line %d differs:\n got: %.*s\nwant: %.*s", line,
				 (int)g, got, (int)w, want);
		got += g + (got[g] == '\n');
		want += w + (want[w] == '\n');
		line++;
	}
}

/*
 * costs: lock 10 (take or release), hand-off 40. Locks: L0 dentry's and
 * L1 filp's &parent->list_lock, L2 cache_chain_mutex (taken as a spin
 * lock here: the class's figures are what matters).
 *
 *   cpu0 @0:   lock L0 @cache_alloc_refill (free) -> 10; charge 100 -> 110;
 *              unlock L0 at 110 (hold 100), hands it to cpu1 -> 120;
 *              lock L2 @kmem_cache_create -> 130; charge 5; unlock at 135
 *              (hold 5) -> 145.
 *   cpu1 @50:  lock L0 @cache_flusharray: held by cpu0 (contended, a
 *              con-bounce: cpu0 last took it); granted at 110 + 40 = 150,
 *              waited 100 (an acq-bounce); charge 20 -> 170; unlock (hold
 *              20) -> 180; lock L1 @cache_reap (free) -> 190; charge 30;
 *              unlock at 220 (hold 30) -> 230.
 *
 * &parent->list_lock: 1 con-bounce, 1 contention, waits 100/100/100 ns,
 * avg 100; 1 acq-bounce, 3 acquisitions, holds 20/100/150 ns, avg 50.
 * Contention point: cache_flusharray (the waiter's site) 1; contending
 * point: cache_alloc_refill (the holder's) 1. cache_chain_mutex: one
 * acquisition held 5 ns. Classes by contentions: list_lock first.
 * Latency of the calls: cpu0's 0..120 = 120 ns, cpu1's 50..180 = 130 ns.
 */
static const struct step s0[] = {
	{ CALL_BEGIN, 0, NULL },
	{ LOCK, 0, "cache_alloc_refill" }, { CHARGE, 100, NULL },
	{ UNLOCK, 0, NULL },
	{ CALL_END, 0, NULL },
	{ LOCK, 2, "kmem_cache_create" }, { CHARGE, 5, NULL },
	{ UNLOCK, 2, NULL }, { END, 0, NULL },
};
static const struct step s1[] = {
	{ CALL_BEGIN, 0, NULL },
	{ LOCK, 0, "cache_flusharray" }, { CHARGE, 20, NULL },
	{ UNLOCK, 0, NULL },
	{ CALL_END, 0, NULL },
	{ LOCK, 1, "cache_reap" }, { CHARGE, 30, NULL },
	{ UNLOCK, 1, NULL }, { END, 0, NULL },
};

static void test_lock_stat_layout(void **state)
{
	struct sim_cache dentry = { .name = "dentry" }, filp = { .name = "filp" };
	struct sim_cache *caches[] = { &dentry, &filp };
	struct lock_owner owners[4] = {
		{ -1, 0 }, { 0, KMEM_LOCK_LIST }, { 1, KMEM_LOCK_LIST }, { -1, 0 },
	};
	struct machine m;
	struct strbuf text, csv, json;
	char path[4200];
	char *want;

	(void)state;
	memset(&m, 0, sizeof(m));
	new_engine(10, 40);
	L[0] = engine_lock_new(E, LOCK_SPIN, "&parent->list_lock", 0);
	L[1] = engine_lock_new(E, LOCK_SPIN, "&parent->list_lock", 0);
	L[2] = engine_lock_new(E, LOCK_SPIN, "cache_chain_mutex", 0);
	assert_int_equal(L[0], 1);
	assert_int_equal(L[1], 2);
	engine_post(E, 0, 0, run_script, (void *)s0);
	engine_post(E, 50, 1, run_script, (void *)s1);
	assert_int_equal(engine_run(E), 0);

	m.eng = E;
	m.arch.bytes_per_word = 8;
	m.arch.kernel_text = 0xffffffff80100000UL;
	m.caches = caches;
	m.nr_caches = 2;
	m.lock_owners = owners;
	m.nr_lock_owners = 4;
	sb_init(&text);
	sb_init(&csv);
	sb_init(&json);
	report_lock_stat(&m, &text, &csv);
	snprintf(path, sizeof(path), "%s/tests/data/lock_stat/expected",
		 SLABSIM_SOURCE_ROOT);
	want = slurp(path);
	assert_same_lines(text.buf, want);

	/* the CSV: class rows (exact us), then the split by cache */
	assert_non_null(strstr(csv.buf, "\n&parent->list_lock,1,1,0.100,0.100,"
			       "0.100,1,3,0.020,0.100,0.150,,\n"));
	assert_non_null(strstr(csv.buf, "\ncache_chain_mutex,0,0,0.000,0.000,"
			       "0.000,0,1,0.005,0.005,0.005,,\n"));
	assert_non_null(strstr(csv.buf, "\n&parent->list_lock,,1,,,0.100,,2,"
			       ",,,dentry,list_lock\n"));
	assert_non_null(strstr(csv.buf, "\n&parent->list_lock,,0,,,0.000,,1,"
			       ",,,filp,list_lock\n"));
	/* the summary: points and the split */
	report_lock_json(&m, &json);
	assert_non_null(strstr(json.buf, "\"contention_points\": [{\"site\": "
			       "\"cache_flusharray\", \"count\": 1}]"));
	assert_non_null(strstr(json.buf, "\"contending_points\": [{\"site\": "
			       "\"cache_alloc_refill\", \"count\": 1}]"));
	assert_non_null(strstr(json.buf, "{\"cache\": \"dentry\", \"part\": "
			       "\"list_lock\", \"acquisitions\": 2, "
			       "\"contentions\": 1, \"wait_ns\": 100}"));
	/* per cache, as the time series adds them up */
	uint64_t cont[2], wait[2];
	report_lock_cache_totals(&m, 2, cont, wait);
	assert_int_equal(cont[0], 1);
	assert_int_equal(wait[0], 100);
	assert_int_equal(cont[1], 0);

	/* the two calls: 120 and 130 ns, exact (below 256) */
	lat_finish(hist);
	assert_int_equal(hist->count, 2);
	assert_int_equal(hist->sum, 250);
	assert_int_equal(hist->max, 130);
	assert_int_equal(lat_percentile(hist, 500), 120);
	assert_int_equal(lat_percentile(hist, 990), 130);
	free(hist);
	hist = NULL;
	free(want);
	sb_free(&text);
	sb_free(&csv);
	sb_free(&json);
	engine_destroy(E);
}

/*
 * Only four points a class: a fifth site is not counted, as lockdep's
 * lock_point() gives up once its slots are taken. Five CPUs' worth of
 * waiters on one lock held by cpu0 at site "h": sites w1..w4 fill the
 * slots, w5 (the fifth contention) is left out; the contending point is
 * "h" for all five. Done on two CPUs in turn: cpu0 holds, cpu1 waits.
 */
static void test_lock_points_cap(void **state)
{
	static const char *const sites[] = { "w1", "w2", "w3", "w4", "w5" };
	static struct step holder[5][4], waiter[5][4];
	const struct lock_class_stat *cls;

	(void)state;
	new_engine(10, 40);
	L[0] = engine_lock_new(E, LOCK_SPIN, "&nc->lock", 0);
	for (int i = 0; i < 5; i++) {
		/* cpu0 at 1000 i: holds 100 ns; cpu1 at 1000 i + 50 waits */
		holder[i][0] = (struct step){ LOCK, 0, "h" };
		holder[i][1] = (struct step){ CHARGE, 100, NULL };
		holder[i][2] = (struct step){ UNLOCK, 0, NULL };
		holder[i][3] = (struct step){ END, 0, NULL };
		waiter[i][0] = (struct step){ LOCK, 0, sites[i] };
		waiter[i][1] = (struct step){ UNLOCK, 0, NULL };
		waiter[i][2] = (struct step){ END, 0, NULL };
		engine_post(E, 1000 * (vtime_t)i, 0, run_script, holder[i]);
		engine_post(E, 1000 * (vtime_t)i + 50, 1, run_script, waiter[i]);
	}
	assert_int_equal(engine_run(E), 0);
	assert_int_equal(engine_lock_classes(E, &cls), 1);
	assert_int_equal(cls[0].contentions, 5);
	for (int i = 0; i < LOCKSTAT_POINTS; i++) {
		assert_string_equal(cls[0].contention_point[i].ip, sites[i]);
		assert_int_equal(cls[0].contention_point[i].count, 1);
	}
	assert_string_equal(cls[0].contending_point[0].ip, "h");
	assert_int_equal(cls[0].contending_point[0].count, 5);
	assert_null(cls[0].contending_point[1].ip);
	engine_destroy(E);
}

/*
 * The histogram's bounds. Below 256 ns every value is its own bucket.
 * From 256 a power of two 2^e is cut into 128 buckets 2^(e-7) wide:
 * 256..511 in buckets of 2, 512..1023 of 4, ... Values 1..1000 once each:
 * p50 is the 500th smallest, 500, in bucket 500..501: reported 501
 * (0.2% high); p99 the 990th, 990, in 988..991: 991; max 1000 exact;
 * mean 500.5. p1: the 10th, 10, exact.
 */
static void test_latency_histogram(void **state)
{
	struct lat_hist *h = NULL;

	(void)state;
	for (uint64_t v = 1; v <= 1000; v++)
		lat_record(&h, v);
	lat_finish(h);
	assert_int_equal(h->count, 1000);
	assert_int_equal(h->sum, 500500);
	assert_int_equal(lat_percentile(h, 10), 10);
	assert_int_equal(lat_percentile(h, 500), 501);
	assert_int_equal(lat_percentile(h, 990), 991);
	assert_int_equal(lat_percentile(h, 1000), 1000);
	assert_int_equal(lat_bucket_low(lat_bucket(256)), 256);
	assert_int_equal(lat_bucket_high(lat_bucket(256)), 257);
	assert_int_equal(lat_bucket_low(lat_bucket(1023)), 1020);
	/* the bound: every bucket above 255 is at most 1/128 of its low end */
	for (unsigned int b = LAT_EXACT; b < LAT_BUCKETS - 1; b++) {
		uint64_t lo = lat_bucket_low(b), hi = lat_bucket_high(b);

		assert_true(lo > 255);
		assert_int_equal(lat_bucket(lo), b);
		assert_int_equal(lat_bucket(hi), b);
		assert_true((hi - lo + 1) * 128 <= lo);
	}
	assert_int_equal(lat_bucket(UINT64_MAX), LAT_BUCKETS - 1);
	free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lock_stat_layout),
		cmocka_unit_test(test_lock_points_cap),
		cmocka_unit_test(test_latency_histogram),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
