/*
 * End-to-end tests of slabsim compare, sweep and plot: the real binary on
 * small workloads written into a temporary directory. SLABSIM is the
 * binary, SLABSIM_SRC the source tree (set by meson).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "e2e_util.h"

/* ---- helpers ---- */

/* The integer after "key": in text, from the first occurrence after
 * `after` (NULL: the start). */
static unsigned long long json_int(const char *text, const char *after,
				   const char *key)
{
	char needle[128];
	const char *p = after ? strstr(text, after) : text;

	assert_non_null(p);
	snprintf(needle, sizeof(needle), "\"%s\": ", key);
	p = strstr(p, needle);
	if (!p)
		fail_msg("no %s in summary.json", key);
	return strtoull(p + strlen(needle), NULL, 10);
}

/* The line of text starting with label + ' ', split into its words. */
static int row_words(const char *text, const char *label, char words[][64],
		     int max)
{
	size_t n = strlen(label);
	const char *p = text;

	while (p && !(strncmp(p, label, n) == 0 && p[n] == ' ')) {
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	if (!p)
		fail_msg("no row '%s' in:\n%s", label, text);
	p += n;
	int k = 0;
	while (*p && *p != '\n' && k < max) {
		while (*p == ' ')
			p++;
		if (!*p || *p == '\n')
			break;
		size_t len = strcspn(p, " \n");
		snprintf(words[k++], 64, "%.*s", (int)len, p);
		p += len;
	}
	return k;
}

/* Split one CSV line into fields (RFC 4180 quotes); returns the count. */
static int csv_split(const char *line, char fields[][64], int max)
{
	int k = 0;
	const char *p = line;

	for (;;) {
		char *f = fields[k];
		size_t n = 0;
		if (*p == '"') {
			for (p++; *p; p++) {
				if (*p == '"' && p[1] == '"')
					p++;
				else if (*p == '"')
					break;
				if (n < 63)
					f[n++] = *p;
			}
			assert_int_equal(*p, '"');
			p++;
		} else {
			while (*p && *p != ',' && *p != '\n')
				if (n < 63)
					f[n++] = *p++;
		}
		f[n] = '\0';
		k++;
		if (*p != ',' || k == max)
			break;
		p++;
	}
	return k;
}

/* ---- workloads ---- */

static const char small_yaml[] =
	"name: small\n"
	"seed: 7\n"
	"machine: {cpus: 2, memory: 64MiB}\n"
	"caches:\n"
	"  - {name: inode_cache, size: 344, flags: [HWCACHE_ALIGN, RECLAIM_ACCOUNT]}\n"
	"events:\n"
	"  - {t: 0us, cpu: 0, alloc: inode_cache, as: i1}\n"
	"  - {t: 1us, cpu: 1, alloc: inode_cache, as: i2}\n"
	"  - {t: 2us, cpu: 0, kmalloc: 100, as: k1}\n"
	"  - {t: 3us, cpu: 1, free: i1}\n"
	"generators:\n"
	"  - {cache: inode_cache, cpus: [0, 1], rate: 20000/s, lifetime: {exp: 2ms},\n"
	"     free_on: [1, 0], touch: 64, from: 0s, until: 20ms}\n"
	"sample: 5ms\n"
	"duration: 25ms\n";

/* small.yaml with a tune block, so that varying one tunable stays valid
 * (slabinfo_write wants all three, and batchcount <= limit). */
static const char tuned_yaml[] =
	"name: tuned\n"
	"seed: 5\n"
	"machine: {cpus: 2, memory: 64MiB}\n"
	"caches:\n"
	"  - {name: inode_cache, size: 344, tune: {limit: 120, batchcount: 8, shared: 0}}\n"
	"generators:\n"
	"  - {cache: inode_cache, cpus: [0, 1], rate: 20000/s, lifetime: {exp: 2ms},\n"
	"     free_on: [1, 0], from: 0s, until: 20ms}\n"
	"sample: 5ms\n"
	"duration: 25ms\n";

/* Two runs of small.yaml, seeds 7 and 8, in ca and cb (made once). */
static void make_two_runs(void)
{
	static bool made;

	if (made)
		return;
	spit(tmp_path("small.yaml"), small_yaml);
	assert_int_equal(run("run", tmp_path("small.yaml"), "-o", tmp_path("ca"),
			     "-q", NULL), 0);
	assert_int_equal(run("run", tmp_path("small.yaml"), "-o", tmp_path("cb"),
			     "-q", "--seed", "8", NULL), 0);
	made = true;
}

/* ---- compare ---- */

static void test_compare_two_runs(void **state)
{
	char w[8][64];

	(void)state;
	make_two_runs();
	char *sa = slurp(tmp_path("ca/summary.json"), NULL);
	char *sb = slurp(tmp_path("cb/summary.json"), NULL);
	assert_non_null(sa);
	assert_non_null(sb);

	assert_int_equal(run("compare", tmp_path("ca"), tmp_path("cb"), NULL), 0);
	char *out = slurp(tmp_path("out.txt"), NULL);

	/* The header names each column by its directory's last part. */
	assert_int_equal(strncmp(out, " ", 1), 0);
	const char *nl = strchr(out, '\n');
	assert_non_null(nl);
	char header[256];
	snprintf(header, sizeof(header), "%.*s", (int)(nl - out), out);
	assert_non_null(strstr(header, " ca "));
	assert_true(strlen(header) >= 3 &&
		    !strcmp(header + strlen(header) - 3, " cb"));

	/* seed: 7, then 8 which is one more than the first run's. */
	assert_int_equal(row_words(out, "seed", w, 8), 3);
	assert_string_equal(w[0], "7");
	assert_string_equal(w[1], "8");
	assert_string_equal(w[2], "(+1)");

	/* operations: each run's own count, and b - a as the difference. */
	unsigned long long oa = json_int(sa, NULL, "operations");
	unsigned long long ob = json_int(sb, NULL, "operations");
	char num[64];
	assert_true(oa > 0 && ob > 0);
	assert_int_equal(row_words(out, "operations", w, 8), 3);
	snprintf(num, sizeof(num), "%llu", oa);
	assert_string_equal(w[0], num);
	snprintf(num, sizeof(num), "%llu", ob);
	assert_string_equal(w[1], num);
	if (oa == ob)
		snprintf(num, sizeof(num), "(=)");
	else if (ob > oa)
		snprintf(num, sizeof(num), "(+%llu)", ob - oa);
	else
		snprintf(num, sizeof(num), "(-%llu)", oa - ob);
	assert_string_equal(w[2], num);

	/*
	 * utilisation = bytes requested / bytes held of the slab totals,
	 * rounded to thousandths: (R * 1000 + H / 2) / H. E.g. R = 688,
	 * H = 155648 gives (688000 + 77824) / 155648 = 4, "0.004".
	 */
	unsigned long long r = json_int(sa, "\"slab\": {", "bytes_requested");
	unsigned long long h = json_int(sa, "\"slab\": {", "bytes_held");
	assert_true(h > 0);
	unsigned long long permille = (r * 1000 + h / 2) / h;
	snprintf(num, sizeof(num), "%llu.%03llu", permille / 1000,
		 permille % 1000);
	assert_true(row_words(out, "utilisation (requested/held)", w, 8) >= 2);
	assert_string_equal(w[0], num);

	/* cpus/nodes straight from the machine: 2 CPUs on 1 node. */
	assert_int_equal(row_words(out, "cpus/nodes", w, 8), 2);
	assert_string_equal(w[0], "2/1");
	assert_string_equal(w[1], "2/1");

	/* The JSON form carries the same values and the differences. */
	assert_int_equal(run("compare", "--format", "json", tmp_path("ca"),
			     tmp_path("cb"), NULL), 0);
	char *js = slurp(tmp_path("out.txt"), NULL);
	assert_non_null(strstr(js, "{\"key\": \"seed\", \"label\": \"seed\", "
			       "\"values\": [7, 8], \"diff\": [0, 1]}"));
	free(js);
	free(out);
	free(sa);
	free(sb);
}

static void test_compare_csv(void **state)
{
	(void)state;
	make_two_runs();
	/* A third run whose name needs CSV quoting. */
	assert_int_equal(run("run", tmp_path("small.yaml"), "-o",
			     tmp_path("x,y"), "-q", "--seed", "9", NULL), 0);
	assert_int_equal(run("compare", "--format", "csv", "-o",
			     tmp_path("cmp.csv"), tmp_path("ca"), tmp_path("cb"),
			     tmp_path("x,y"), NULL), 0);
	char *csv = slurp(tmp_path("cmp.csv"), NULL);
	assert_non_null(csv);
	/* -o: nothing on stdout. */
	char *out = slurp(tmp_path("out.txt"), NULL);
	assert_string_equal(out, "");
	free(out);

	/* Tidy: a header, then one row per run: run, then the figures. */
	int rows = 0, seed_col = -1, ops_col = -1;
	char hdr[32][64];
	bool seen_seed = false, seen_ops = false;
	static const char *const names[] = { "ca", "cb", "x,y" };
	static const char *const seeds[] = { "7", "8", "9" };
	for (char *line = csv; *line; rows++) {
		char *end = strchr(line, '\n');
		char row[32][64];
		assert_non_null(end);
		*end = '\0';
		if (rows == 0) {
			int n = csv_split(line, hdr, 32);
			assert_true(n > 15);
			assert_string_equal(hdr[0], "run");
			for (int i = 0; i < n; i++) {
				if (!strcmp(hdr[i], "seed"))
					seed_col = i;
				if (!strcmp(hdr[i], "operations"))
					ops_col = i;
			}
			assert_true(seed_col > 0 && ops_col > 0);
		} else {
			assert_true(rows <= 3);
			csv_split(line, row, 32);
			assert_string_equal(row[0], names[rows - 1]);
			assert_string_equal(row[seed_col], seeds[rows - 1]);
			seen_seed = true;
			if (rows == 2) {
				char *sj = slurp(tmp_path("cb/summary.json"), NULL);
				char num[32];
				snprintf(num, sizeof(num), "%llu",
					 json_int(sj, NULL, "operations"));
				assert_string_equal(row[ops_col], num);
				free(sj);
				seen_ops = true;
			}
		}
		line = end + 1;
	}
	assert_true(seen_seed && seen_ops);
	assert_int_equal(rows, 4);
	free(csv);
}

static void test_compare_rejects_what_is_not_a_run(void **state)
{
	(void)state;
	make_two_runs();
	mkdir(tmp_path("notrun"), 0777);
	assert_int_equal(run("compare", tmp_path("ca"), tmp_path("notrun"), NULL), 2);
	char *err = stderr_text();
	assert_one_line(err);
	assert_non_null(strstr(err, "notrun: not a run directory"));
	free(err);
	/* Nothing printed before the refusal. */
	char *out = slurp(tmp_path("out.txt"), NULL);
	assert_string_equal(out, "");
	free(out);

	assert_int_equal(run("compare", tmp_path("nowhere"), NULL), 2);

	/* A malformed summary: an object never closed. */
	mkdir(tmp_path("badrun"), 0777);
	spit(tmp_path("badrun/summary.json"), "{\"seed\": 7,\n");
	assert_int_equal(run("compare", tmp_path("badrun"), NULL), 2);
	err = stderr_text();
	assert_one_line(err);
	assert_non_null(strstr(err, "badrun/summary.json: bad summary.json: line "));
	free(err);

	/* Deep nesting and binary junk are refused the same way. */
	char deep[600];
	memset(deep, '[', sizeof(deep) - 1);
	deep[sizeof(deep) - 1] = '\0';
	spit(tmp_path("badrun/summary.json"), deep);
	assert_int_equal(run("compare", tmp_path("badrun"), NULL), 2);
	spit(tmp_path("badrun/summary.json"), "{\"seed\": \"\\ud800\"}");
	assert_int_equal(run("compare", tmp_path("badrun"), NULL), 2);
	assert_int_equal(run("compare", "--format", "xml", tmp_path("ca"), NULL), 2);
}

/* ---- sweep ---- */

static void test_sweep_equals_separate_runs(void **state)
{
	(void)state;
	spit(tmp_path("sw.yaml"), tuned_yaml);
	const char *w = tmp_path("sw.yaml");
	assert_int_equal(run("sweep", w, "--vary",
			     "caches.inode_cache.tune.limit=16,32", "-j", "2",
			     "-o", tmp_path("sw"), NULL), 0);
	assert_int_equal(run("run", w, "-o", tmp_path("sep16"), "-q", "--set",
			     "caches.inode_cache.tune.limit=16", NULL), 0);
	assert_int_equal(run("run", w, "-o", tmp_path("sep32"), "-q", "--set",
			     "caches.inode_cache.tune.limit=32", NULL), 0);
	assert_dirs_identical(tmp_path("sw/limit-16"), tmp_path("sep16"));
	assert_dirs_identical(tmp_path("sw/limit-32"), tmp_path("sep32"));

	/* The value really was applied: the slabinfo tunables differ. */
	char *s16 = slurp(tmp_path("sep16/slabinfo"), NULL);
	char *s32 = slurp(tmp_path("sep32/slabinfo"), NULL);
	assert_non_null(strstr(s16, ": tunables   16    8    0 :"));
	assert_non_null(strstr(s32, ": tunables   32    8    0 :"));
	free(s16);
	free(s32);

	/* The comparison, in three forms: the CSV one row per point, the
	 * varied value as a numeric column after the point's name. */
	assert_true(exists(tmp_path("sw/compare.txt")));
	assert_true(exists(tmp_path("sw/compare.json")));
	char *csv = slurp(tmp_path("sw/compare.csv"), NULL);
	assert_non_null(csv);
	assert_int_equal(strncmp(csv, "run,limit,workload,", 19), 0);
	assert_non_null(strstr(csv, "\nlimit-16,16,tuned,"));
	assert_non_null(strstr(csv, "\nlimit-32,32,tuned,"));
	free(csv);

	/* points.txt: name, tab, the command; rerunning it gives the same. */
	char *pts = slurp(tmp_path("sw/points.txt"), NULL);
	assert_non_null(pts);
	assert_int_equal(strncmp(pts, "limit-16\t", 9), 0);
	char *second = strchr(pts, '\n');
	assert_non_null(second);
	assert_int_equal(strncmp(second + 1, "limit-32\t", 9), 0);
	*second = '\0';
	assert_non_null(strstr(pts, " --set caches.inode_cache.tune.limit=16"));
	assert_null(strchr(pts, '\''));	/* plain words: split on spaces */
	const char *argv[40];
	int argc = 0;
	for (char *tok = strtok(strchr(pts, '\t') + 1, " "); tok && argc < 39;
	     tok = strtok(NULL, " "))
		argv[argc++] = tok;
	argv[argc] = NULL;
	assert_string_equal(argv[1], "run");
	assert_int_equal(run_argv(NULL, argv), 0);
	assert_dirs_identical(tmp_path("sw/limit-16"), tmp_path("sep16"));
	free(pts);
}

/*
 * A generator's rate, by its name: the points in the order of the rates
 * (2/ms is 2000/s), the column in allocations per second, and the rate
 * really applied (four times the allocations).
 */
static const char gen_yaml[] =
	"name: gr\nseed: 3\nmachine: {cpus: 1, memory: 64MiB}\n"
	"caches: [{name: c, size: 64}]\n"
	"generators:\n"
	"  - {name: g, cache: c, rate: 1000/s, lifetime: {exp: 1ms}}\n"
	"duration: 50ms\n";

static void test_sweep_generator_rate(void **state)
{
	(void)state;
	spit(tmp_path("gr.yaml"), gen_yaml);
	assert_int_equal(run("sweep", tmp_path("gr.yaml"), "--vary",
			     "generators.g.rate=2/ms,500/s", "-o", tmp_path("gr"),
			     NULL), 0);
	char *csv = slurp(tmp_path("gr/compare.csv"), NULL);
	assert_non_null(csv);
	assert_int_equal(strncmp(csv, "run,rate_per_s,workload,", 24), 0);
	char *a = strstr(csv, "\nrate-500_s,500,gr,");
	char *b = strstr(csv, "\nrate-2_ms,2000,gr,");
	assert_non_null(a);
	assert_non_null(b);
	assert_true(a < b);
	free(csv);
	char *s500 = slurp(tmp_path("gr/rate-500_s/summary.json"), NULL);
	char *s2000 = slurp(tmp_path("gr/rate-2_ms/summary.json"), NULL);
	assert_non_null(s500);
	assert_non_null(s2000);
	long n500 = atol(strstr(s500, "\"allocations\": ") + 15);
	long n2000 = atol(strstr(s2000, "\"allocations\": ") + 15);
	assert_true(n500 > 10 && n2000 > 3 * n500 && n2000 < 5 * n500);
	free(s500);
	free(s2000);
}

/*
 * One point's kernel hits BUG (a double free the debug kernel stops at):
 * it is named with its exit status, the sweep exits 1, and the other
 * point still runs. Both left a run directory (a BUG is a result), so
 * the comparison holds both.
 */
static const char dfree_yaml[] =
	"name: df\nseed: 1\nmachine: {cpus: 1, memory: 64MiB}\n"
	"caches:\n  - {name: c, size: 64, tune: {limit: 4, batchcount: 2, shared: 0}}\n"
	"events:\n"
	"  - {t: 0us, cpu: 0, alloc: c, as: x}\n"
	"  - {t: 0us, cpu: 0, alloc: c, as: w}\n"
	"  - {t: 1us, cpu: 0, free: x}\n"
	"  - {t: 2us, cpu: 0, free: x}\n"
	"  - {t: 2us, cpu: 0, free: w}\n"
	"  - {t: 5us, cpu: 0, shrink: c}\n";

static void test_sweep_failed_point_is_named(void **state)
{
	(void)state;
	spit(tmp_path("fp.yaml"), dfree_yaml);
	assert_int_equal(run("sweep", tmp_path("fp.yaml"), "--vary",
			     "slab.debug=true,false", "-o", tmp_path("fp"),
			     NULL), 1);
	char *err = stderr_text();
	assert_one_line(err);
	assert_non_null(strstr(err, "point debug-true failed (exit 3)"));
	free(err);
	assert_true(exists(tmp_path("fp/debug-false/summary.json")));
	assert_true(exists(tmp_path("fp/debug-true/summary.json")));
	char *csv = slurp(tmp_path("fp/compare.csv"), NULL);
	assert_non_null(csv);
	/* tidy: a row per point, the varied value as its own column */
	assert_int_equal(strncmp(csv, "run,debug,", 10), 0);
	assert_non_null(strstr(csv, "\ndebug-true,true,"));
	assert_non_null(strstr(csv, "\ndebug-false,false,"));
	free(csv);
	char *pts = slurp(tmp_path("fp/points.txt"), NULL);
	assert_non_null(strstr(pts, "debug-true\t"));
	assert_non_null(strstr(pts, "debug-false\t"));
	free(pts);
}

static void test_sweep_emit_commands_runs_nothing(void **state)
{
	(void)state;
	spit(tmp_path("em.yaml"), small_yaml);
	assert_int_equal(run("sweep", tmp_path("em.yaml"), "--vary", "seed=1,2,3",
			     "-o", tmp_path("em"), "--emit-commands",
			     tmp_path("em.txt"), "--slurm", tmp_path("em.sh"),
			     NULL), 0);
	char *cmds = slurp(tmp_path("em.txt"), NULL);
	assert_non_null(cmds);
	int lines = 0;
	for (char *p = cmds; (p = strchr(p, '\n')); p++)
		lines++;
	assert_int_equal(lines, 3);
	char want[600];
	snprintf(want, sizeof(want), " run %s -o %s/em/seed-2 --set seed=2\n",
		 tmp_path("em.yaml"), e2e_tmp);
	assert_non_null(strstr(cmds, want));
	/* Nothing ran. */
	assert_false(exists(tmp_path("em/seed-1")));
	assert_false(exists(tmp_path("em/seed-2")));
	assert_false(exists(tmp_path("em/compare.txt")));

	/* Three points: tasks 0, 1 and 2, each picking its own line. */
	char *sh = slurp(tmp_path("em.sh"), NULL);
	assert_non_null(sh);
	assert_int_equal(strncmp(sh, "#!/bin/bash\n", 12), 0);
	assert_non_null(strstr(sh, "\n#SBATCH --array=0-2\n"));
	assert_non_null(strstr(sh, "SLURM_ARRAY_TASK_ID + 1"));
	assert_non_null(strstr(sh, want + 1));
	free(sh);
	free(cmds);
}

static void test_sweep_bad_vary_creates_nothing(void **state)
{
	(void)state;
	spit(tmp_path("bv.yaml"), small_yaml);
	assert_int_equal(run("sweep", tmp_path("bv.yaml"), "--vary",
			     "caches.nosuch.tune.limit=1,2", "-o", tmp_path("bv"),
			     NULL), 2);
	char *err = stderr_text();
	assert_one_line(err);
	assert_non_null(strstr(err, "nosuch"));
	free(err);
	assert_false(exists(tmp_path("bv")));

	/* A good key with one bad value: refused before the good one runs. */
	assert_int_equal(run("sweep", tmp_path("bv.yaml"), "--vary",
			     "seed=1,banana", "-o", tmp_path("bv"), NULL), 2);
	err = stderr_text();
	assert_one_line(err);
	assert_non_null(strstr(err, "banana"));
	free(err);
	assert_false(exists(tmp_path("bv")));

	assert_int_equal(run("sweep", tmp_path("bv.yaml"), "--vary", "seed=",
			     "-o", tmp_path("bv"), NULL), 2);
	assert_int_equal(run("sweep", tmp_path("bv.yaml"), "-o", tmp_path("bv"),
			     NULL), 2);
	assert_false(exists(tmp_path("bv")));
}

/* ---- plot ---- */

static bool have_gnuplot(void)
{
	const char *path = getenv("PATH");
	char cand[1024];

	while (path && *path) {
		size_t n = strcspn(path, ":");
		snprintf(cand, sizeof(cand), "%.*s/gnuplot", (int)n, path);
		if (access(cand, X_OK) == 0)
			return true;
		path += n + (path[n] == ':');
	}
	return false;
}

static void test_plot_writes_png(void **state)
{
	static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n',
					      0x1a, '\n' };

	(void)state;
	if (!have_gnuplot())
		skip();
	make_two_runs();
	assert_int_equal(run("plot", tmp_path("ca"), "--format", "png", NULL), 0);
	DIR *d = opendir(tmp_path("ca/plots"));
	assert_non_null(d);
	struct dirent *e;
	int pngs = 0;
	bool memory = false;
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name), len;
		char path[700];
		if (n < 4 || strcmp(e->d_name + n - 4, ".png"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", tmp_path("ca/plots"),
			 e->d_name);
		char *png = slurp(path, &len);
		assert_true(len > sizeof(sig));
		assert_memory_equal(png, sig, sizeof(sig));
		free(png);
		memory |= !strcmp(e->d_name, "slab_memory.png");
		pngs++;
	}
	closedir(d);
	assert_true(pngs >= 3);
	assert_true(memory);
	/* --format png: no SVG. */
	assert_false(exists(tmp_path("ca/plots/slab_memory.svg")));

	/* --only draws just the named plot. */
	assert_int_equal(run("plot", tmp_path("cb"), "--only", "slab_memory",
			     "--format", "svg", NULL), 0);
	assert_true(exists(tmp_path("cb/plots/slab_memory.svg")));
	assert_false(exists(tmp_path("cb/plots/locks.svg")));
	assert_int_equal(run("plot", tmp_path("cb"), "--only", "nosuch", NULL), 2);

	/* compare --plot: one bar chart, through gnuplot's stdin. */
	size_t len;
	assert_int_equal(run("compare", "-o", tmp_path("cmp.txt"), "--plot",
			     tmp_path("cmp.png"), tmp_path("ca"), tmp_path("cb"),
			     NULL), 0);
	char *png = slurp(tmp_path("cmp.png"), &len);
	assert_non_null(png);
	assert_true(len > sizeof(sig));
	assert_memory_equal(png, sig, sizeof(sig));
	free(png);
	/* A path gnuplot's quoting cannot carry is refused up front. */
	assert_int_equal(run("compare", "--plot", tmp_path("it's.png"),
			     tmp_path("ca"), NULL), 2);
	assert_false(exists(tmp_path("it's.png")));
}

static void test_plot_without_gnuplot(void **state)
{
	(void)state;
	make_two_runs();
	mkdir(tmp_path("emptybin"), 0777);
	assert_int_equal(run_with_path(tmp_path("emptybin"), "plot",
				       tmp_path("ca"), NULL), 2);
	char *err = stderr_text();
	assert_string_equal(err, "slabsim: plot: gnuplot not found; install it "
			    "with: apt-get install gnuplot-nox\n");
	free(err);

	/* Not a run directory: one line, exit 2, before looking for gnuplot. */
	mkdir(tmp_path("notrun2"), 0777);
	assert_int_equal(run("plot", tmp_path("notrun2"), NULL), 2);
	err = stderr_text();
	assert_one_line(err);
	assert_non_null(strstr(err, "not a run directory"));
	free(err);
}

int main(void)
{
	if (e2e_setup("cli"))
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compare_two_runs),
		cmocka_unit_test(test_compare_csv),
		cmocka_unit_test(test_compare_rejects_what_is_not_a_run),
		cmocka_unit_test(test_sweep_equals_separate_runs),
		cmocka_unit_test(test_sweep_generator_rate),
		cmocka_unit_test(test_sweep_failed_point_is_named),
		cmocka_unit_test(test_sweep_emit_commands_runs_nothing),
		cmocka_unit_test(test_sweep_bad_vary_creates_nothing),
		cmocka_unit_test(test_plot_writes_png),
		cmocka_unit_test(test_plot_without_gnuplot),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	e2e_teardown(rc);
	return rc;
}
