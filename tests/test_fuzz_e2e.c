/*
 * Robustness of the whole tool against what users write: random traces
 * (from a fixed-seed xorshift, so a failure reproduces) that misuse the
 * simulated kernel every way a workload can: double frees, frees of
 * reused names, writes past objects and through stale names, destroying
 * busy caches, tuning at random, CPUs going down and up, on debug and
 * non-debug kernels of both architectures. Every run must end with exit
 * status 0 (a result), 2 (refused input) or 3 (the simulated kernel hit
 * BUG and said so): never a signal, never a hang.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "e2e_util.h"

static uint64_t xs = 0x9e3779b97f4a7c15ULL;

static uint64_t next(void)
{
	xs ^= xs << 13;
	xs ^= xs >> 7;
	xs ^= xs << 17;
	return xs;
}

static unsigned below(unsigned n)
{
	return (unsigned)(next() % n);
}

struct text {
	char buf[65536];
	size_t len;
};

static void add(struct text *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void add(struct text *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(t->buf + t->len, sizeof(t->buf) - t->len, fmt, ap);
	va_end(ap);
	if (n > 0 && t->len + (size_t)n < sizeof(t->buf))
		t->len += (size_t)n;
}

/* One random workload: 2 caches, up to 12 names, 60 events. */
static void make_workload(struct text *t, int k)
{
	static const char *const sizes[] = { "24", "100", "700", "3000", "5000" };
	static const char *const gfps[] = { "GFP_KERNEL", "GFP_ATOMIC",
					    "[GFP_KERNEL, __GFP_THISNODE]" };
	int cpus = 1 + (int)below(4), nodes = cpus > 1 ? 1 + (int)below(2) : 1;
	bool live[12] = { false }, used[12] = { false };
	bool kmal[12] = { false };
	int down = -1;

	t->len = 0;
	add(t, "name: fuzz%d\nseed: %d\n", k, k);
	add(t, "machine: {arch: %s, cpus: %d, nodes: %d, memory: 16MiB%s}\n",
	    below(2) ? "i386" : "x86_64", cpus, nodes,
	    below(3) ? "" : ", bufctl: 2");
	add(t, "slab: {debug: %s}\n", below(2) ? "true" : "false");
	add(t, "caches:\n");
	add(t, "  - {name: c0, size: %s, flags: [HWCACHE_ALIGN]}\n",
	    sizes[below(5)]);
	add(t, "  - {name: c1, size: %s%s}\n", sizes[below(5)],
	    below(2) ? ", flags: [DESTROY_BY_RCU]" : "");
	add(t, "events:\n");
	bool destroyed[2] = { false, false };
	for (int i = 0; i < 60; i++) {
		int cpu = (int)below((unsigned)cpus);
		int n = (int)below(12);
		unsigned t_us = (unsigned)i * 7;

		if (cpu == down)
			cpu = (cpu + 1) % cpus;
		switch (below(10)) {
		case 0: case 1: case 2:
			if (live[n])
				break;
			if (below(2)) {
				int c = (int)below(2);
				if (destroyed[c])
					break;
				add(t, "  - {t: %uus, cpu: %d, alloc: c%d, as: n%d, gfp: %s}\n",
				    t_us, cpu, c, n, gfps[below(3)]);
				kmal[n] = false;
			} else {
				add(t, "  - {t: %uus, cpu: %d, kmalloc: %u, as: n%d}\n",
				    t_us, cpu, 1 + below(20000), n);
				kmal[n] = true;
			}
			live[n] = used[n] = true;
			break;
		case 3: case 4:
			/* frees, and double frees of names freed before */
			if (!used[n])
				break;
			add(t, "  - {t: %uus, cpu: %d, %s: n%d}\n", t_us, cpu,
			    kmal[n] ? "kfree" : "free", n);
			live[n] = false;
			break;
		case 5:
			/* writes, past the end and through stale names too */
			if (!used[n])
				break;
			add(t, "  - {t: %uus, cpu: %d, touch: n%d, bytes: %u}\n",
			    t_us, cpu, n, 1 + below(9000));
			break;
		case 6:
			add(t, "  - {t: %uus, tune: {cache: c%u, limit: %u, batchcount: 1, shared: %u}}\n",
			    t_us, below(2), 1 + below(200), below(9));
			break;
		case 7:
			add(t, "  - {t: %uus, cpu: %d, shrink: c%u}\n", t_us, cpu,
			    below(2));
			break;
		case 8: {
			/* destroy, busy or not; events after it skip the cache */
			int c = (int)below(2);
			if (below(4) || destroyed[c])
				break;
			add(t, "  - {t: %uus, cpu: %d, destroy: c%d}\n", t_us, cpu, c);
			destroyed[c] = true;
			break;
		}
		case 9:
			if (cpus < 2)
				break;
			if (down < 0) {
				down = cpus - 1;
				add(t, "  - {t: %uus, cpu_down: %d}\n", t_us, down);
			} else {
				add(t, "  - {t: %uus, cpu_up: %d}\n", t_us, down);
				down = -1;
			}
			break;
		}
	}
	add(t, "  - {t: 500us, slabinfo: true}\n");
}

/* Run with a 20 s alarm: a hang is a failure too. */
static int run_bounded(const char *w, const char *out)
{
	pid_t pid = fork();

	if (pid == 0) {
		alarm(20);
		freopen("/dev/null", "w", stdout);
		freopen(tmp_path("err.txt"), "w", stderr);
		execl(e2e_bin, e2e_bin, "run", w, "-o", out, "-q", (char *)NULL);
		_exit(127);
	}
	int status;
	waitpid(pid, &status, 0);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

static void test_random_misuse_never_crashes(void **state)
{
	struct text *t = malloc(sizeof(*t));
	int counts[4] = { 0 };

	(void)state;
	for (int k = 0; k < 150; k++) {
		char w[64], out[64];

		make_workload(t, k);
		snprintf(w, sizeof(w), "fuzz%d.yaml", k);
		snprintf(out, sizeof(out), "fuzz%d", k);
		spit(tmp_path(w), t->buf);
		int rc = run_bounded(tmp_path(w), tmp_path(out));
		if (rc != 0 && rc != 2 && rc != 3) {
			char *err = stderr_text();
			fail_msg("workload %d (kept in %s) ended with %d: %s", k,
				 tmp_path(w), rc, err ? err : "");
		}
		counts[rc == 0 ? 0 : rc == 2 ? 1 : 2]++;
		if (rc == 2) {
			/* refused input: one line, nothing written */
			char *err = stderr_text();
			assert_one_line(err);
			free(err);
			assert_false(exists(tmp_path(out)));
		} else {
			/* a result: a complete run directory */
			assert_true(exists(tmp_path(out)));
			char p[96];
			snprintf(p, sizeof(p), "%s/summary.json", out);
			assert_true(exists(tmp_path(p)));
		}
	}
	/* the generator must exercise more than one outcome */
	print_message("fuzz: %d results, %d refused, %d kernel BUGs\n",
		      counts[0], counts[1], counts[2]);
	assert_true(counts[0] > 0);
	free(t);
}

/*
 * One random workload a correct kernel must run cleanly: only legal
 * calls (frees of live objects by the call that allocated them, touches
 * inside the object, legal tunables, destroys of empty caches, events
 * off a CPU that is down), then every object freed and both caches
 * destroyed. Allocations may fail (a small machine): that is a result.
 */
static void make_legal_workload(struct text *t, int k)
{
	static const unsigned int sizes[] = { 8, 24, 100, 700, 3000, 5000, 40000 };
	static const char *const flags[] = { "", ", flags: [HWCACHE_ALIGN]",
					     ", flags: [DESTROY_BY_RCU]",
					     ", flags: [RECLAIM_ACCOUNT], align: 64" };
	int cpus = 1 + (int)below(8);
	int nodes = 1 + (int)below(cpus < 4 ? (unsigned)cpus : 4);
	bool live[16] = { false }, kmal[16] = { false };
	unsigned int size[16] = { 0 }, csize[2];
	int cache[16], nlive[2] = { 0, 0 }, down = -1;
	bool destroyed[2] = { false, false };
	unsigned int t_us = 0;

	t->len = 0;
	add(t, "name: legal%d\nseed: %d\n", k, k);
	add(t, "machine: {arch: %s, cpus: %d, nodes: %d, memory: 16MiB%s}\n",
	    below(2) ? "i386" : "x86_64", cpus, nodes,
	    below(3) ? "" : ", bufctl: 2");
	add(t, "slab: {debug: %s}\n", below(2) ? "true" : "false");
	add(t, "caches:\n");
	for (int c = 0; c < 2; c++) {
		csize[c] = sizes[below(6)];
		add(t, "  - {name: c%d, size: %u%s}\n", c, csize[c],
		    flags[below(4)]);
	}
	/* background load on a third cache, all freed before the end */
	add(t, "  - {name: c2, size: %u}\n", sizes[below(6)]);
	add(t, "generators:\n");
	/* on CPU 0, which never goes down: a CPU that is down runs its
	   generator's arrivals late, and their frees may fall after the end */
	add(t, "  - {cache: c2, cpus: [0], rate: %u/s, lifetime: {fixed: %uus}, until: 100us%s}\n",
	    20000 + below(200000), 1 + below(40),
	    below(2) ? ", walk: {every: 50us}" : "");
	if (below(2))
		add(t, "  - {kmalloc: [8, 3000], cpus: [0], rate: 50000/s, lifetime: {fixed: 30us}, until: 100us, touch: 8}\n");
	add(t, "events:\n");
	for (int i = 0; i < 120; i++, t_us += 1 + below(9)) {
		int cpu = (int)below((unsigned)cpus), n = (int)below(16);
		int c = (int)below(2);

		if (cpu == down)
			cpu = (cpu + 1) % cpus;
		switch (below(12)) {
		case 0: case 1: case 2: case 3:
			if (live[n])
				break;
			if (below(2) && !destroyed[c]) {
				if (nodes > 1 && !below(3))
					add(t, "  - {t: %uus, cpu: %d, alloc_node: c%d, node: %u, as: n%d}\n",
					    t_us, cpu, c, below((unsigned)nodes), n);
				else
					add(t, "  - {t: %uus, cpu: %d, alloc: c%d, as: n%d, gfp: %s}\n",
					    t_us, cpu, c, n,
					    below(2) ? "GFP_KERNEL" : "GFP_ATOMIC");
				kmal[n] = false;
				cache[n] = c;
				size[n] = csize[c];
				nlive[c]++;
			} else {
				size[n] = 1 + below(below(4) ? 2048 : 131072);
				add(t, "  - {t: %uus, cpu: %d, kmalloc: %u, as: n%d}\n",
				    t_us, cpu, size[n], n);
				kmal[n] = true;
			}
			live[n] = true;
			break;
		case 4: case 5: case 6:
			if (!live[n])
				break;
			add(t, "  - {t: %uus, cpu: %d, %s: n%d}\n", t_us, cpu,
			    kmal[n] ? "kfree" : "free", n);
			live[n] = false;
			if (!kmal[n])
				nlive[cache[n]]--;
			break;
		case 7:
			if (!live[n])
				break;
			add(t, "  - {t: %uus, cpu: %d, touch: n%d, bytes: %u}\n",
			    t_us, cpu, n, 1 + below(size[n]));
			break;
		/*
		 * Tunes and shrinks on one CPU: 2.6.17 does not serialise
		 * kmem_cache_shrink with a tune (slabinfo_write's
		 * cache_chain_mutex), and the two racing on two CPUs can free
		 * the shared array's objects twice -- a real 2.6.17 race the
		 * simulator reproduces (README), not a false alarm.
		 */
		case 8: {
			unsigned int limit = 1 + below(200);

			if (destroyed[c])
				break;
			add(t, "  - {t: %uus, cpu: %d, tune: {cache: c%d, limit: %u, batchcount: %u, shared: %u}}\n",
			    t_us, down == 0 ? 1 : 0, c, limit, 1 + below(limit),
			    below(9));
			break;
		}
		case 9:
			if (destroyed[c])
				break;
			if (below(2))
				add(t, "  - {t: %uus, cpu: %d, shrink: c%d}\n",
				    t_us, down == 0 ? 1 : 0, c);
			else
				add(t, "  - {t: %uus, cpu: %d, walk: c%d, bytes: %u}\n",
				    t_us, cpu, c, 1 + below(csize[c]));
			break;
		case 10:
			if (destroyed[c] || nlive[c] || below(3))
				break;
			add(t, "  - {t: %uus, cpu: %d, destroy: c%d}\n", t_us, cpu, c);
			destroyed[c] = true;
			break;
		case 11:
			if (cpus < 2)
				break;
			if (down < 0) {
				down = 1 + (int)below((unsigned)cpus - 1);
				add(t, "  - {t: %uus, cpu_down: %d}\n", t_us, down);
			} else {
				add(t, "  - {t: %uus, cpu_up: %d}\n", t_us, down);
				down = -1;
			}
			break;
		}
	}
	/* everything freed (the generators' objects are by 140us), then
	   the caches go */
	if (t_us < 200)
		t_us = 200;
	for (int n = 0; n < 16; n++)
		if (live[n])
			add(t, "  - {t: %uus, cpu: %d, %s: n%d}\n", t_us++,
			    down == 0 ? 1 : 0, kmal[n] ? "kfree" : "free", n);
	for (int c = 0; c < 2; c++)
		if (!destroyed[c])
			add(t, "  - {t: %uus, cpu: %d, destroy: c%d}\n", t_us++,
			    down == 0 ? 1 : 0, c);
	add(t, "  - {t: %uus, cpu: %d, slabinfo: true}\n", t_us + 1,
	    down == 0 ? 1 : 0);
}

/*
 * No false alarms: a legal workload runs to the end with --check (the
 * validators after every operation) finding nothing, the kernel log
 * free of errors, and every object it allocated freed again.
 */
static void test_random_legal_runs_clean(void **state)
{
	struct text *t = malloc(sizeof(*t));
	/* more for a longer hunt: SLABSIM_LEGAL_RUNS=5000 */
	const char *env = getenv("SLABSIM_LEGAL_RUNS");
	int runs = env ? atoi(env) : 80;

	(void)state;
	for (int k = 0; k < runs; k++) {
		char w[64], out[64], p[96];

		make_legal_workload(t, k);
		snprintf(w, sizeof(w), "legal%d.yaml", k);
		snprintf(out, sizeof(out), "legal%d", k);
		spit(tmp_path(w), t->buf);
		int rc = run("run", tmp_path(w), "-o", tmp_path(out), "-q",
			     "--check", NULL);
		if (rc != 0) {
			char *err = stderr_text();
			fail_msg("legal workload %d (kept in %s) ended with %d: %s",
				 k, tmp_path(w), rc, err ? err : "");
		}
		snprintf(p, sizeof(p), "%s/summary.json", out);
		char *sum = slurp(tmp_path(p), NULL);
		assert_non_null(sum);
		if (!strstr(sum, "\"status\": \"ok\"") ||
		    !strstr(sum, "\"kernel_log\": {\"errors\": 0,") ||
		    !strstr(sum, "\"double_frees\": 0,"))
			fail_msg("legal workload %d (kept in %s): %s", k,
				 tmp_path(w), sum);
		/* every allocation that succeeded was freed */
		long allocs = atol(strstr(sum, "\"allocations\": ") + 15);
		long frees = atol(strstr(sum, "\"frees\": ") + 9);
		long failed = atol(strstr(sum, "\"alloc_failures\": ") + 18);
		if (allocs - failed != frees)
			fail_msg("legal workload %d (kept in %s): %ld allocations, %ld failed, %ld frees",
				 k, tmp_path(w), allocs, failed, frees);
		free(sum);
	}
	free(t);
}

int main(void)
{
	if (e2e_setup("fuzz"))
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_misuse_never_crashes),
		cmocka_unit_test(test_random_legal_runs_clean),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	e2e_teardown(rc);
	return rc;
}
