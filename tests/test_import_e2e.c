/*
 * End-to-end tests of `slabsim import` on the real captures kept in
 * tests/data/traces (perf script, ftrace, trace-cmd report, a .gz, and
 * the hand-written pre-6.1 file): each imports, and its mapping form
 * without sites runs through `slabsim run` with exactly the allocations
 * and frees the header says were replayed. Then stdin, .gz, --machine,
 * --stat and the command's bad input.
 */
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "e2e_util.h"

static char *trace(const char *name)
{
	static char buf[8][1024];
	static int i;

	i = (i + 1) % 8;
	snprintf(buf[i], sizeof(buf[i]), "%s/tests/data/traces/%s", e2e_src, name);
	return buf[i];
}

/* A number after `key` in text; fails the test when absent. */
static uint64_t number_after(const char *text, const char *key)
{
	const char *p = strstr(text, key);

	if (!p)
		fail_msg("'%s' not found in:\n%s", key, text);
	return strtoull(p + strlen(key), NULL, 10);
}

/* text without its "# sources:" and "name:" lines (they name the input). */
static char *strip_names(const char *text)
{
	char *out = calloc(1, strlen(text) + 1), *o = out;
	const char *p = text;

	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p + 1) : strlen(p);

		if (strncmp(p, "# sources:", 10) && strncmp(p, "name:", 5)) {
			memcpy(o, p, n);
			o += n;
		}
		p += n;
	}
	return out;
}

/*
 * The run's callsites.csv against import --stat --format csv of the same
 * trace: per call site the simulated kernel saw the same allocations,
 * bytes requested and frees (the importer's @untraced frees aside) as
 * the traced one; only bytes_alloc (SLAB's size classes) may differ.
 */
struct site_row {
	char site[96];
	unsigned long long allocs, frees, req;
};

static int read_rows(const char *csv, struct site_row *rows, int max,
		     bool sim)
{
	const char *p = strchr(csv, '\n');
	int n = 0;

	while (p && p[1] && n < max) {
		struct site_row *r = &rows[n];
		unsigned long long failures = 0;
		int k = sim ? sscanf(p + 1, "%95[^,],%llu,%llu,%llu,%llu", r->site,
				     &r->allocs, &r->frees, &failures, &r->req) :
			      sscanf(p + 1, "%95[^,],%llu,%llu,%llu", r->site,
				     &r->allocs, &r->frees, &r->req);
		assert_int_equal(k, sim ? 5 : 4);
		assert_int_equal(failures, 0);
		n++;
		p = strchr(p + 1, '\n');
	}
	return n;
}

static void join_callsites(const char *file)
{
	static struct site_row real[512], sim[512];
	char *csv;
	int nr, ns;

	assert_int_equal(run("import", "--stat", "--format", "csv", trace(file), NULL), 0);
	csv = stdout_text();
	nr = read_rows(csv, real, 512, false);
	free(csv);
	csv = slurp(tmp_path("realrun/callsites.csv"), NULL);
	assert_non_null(csv);
	ns = read_rows(csv, sim, 512, true);
	free(csv);
	assert_true(nr > 0);
	for (int i = 0; i < nr; i++) {
		int j;

		for (j = 0; j < ns && strcmp(sim[j].site, real[i].site); j++)
			;
		if (j == ns)
			fail_msg("%s: site %s of the trace is not in callsites.csv",
				 file, real[i].site);
		if (sim[j].allocs != real[i].allocs || sim[j].req != real[i].req ||
		    sim[j].frees != real[i].frees)
			fail_msg("%s: %s: simulated %llu allocs %llu bytes %llu frees, traced %llu %llu %llu",
				 file, real[i].site, sim[j].allocs, sim[j].req,
				 sim[j].frees, real[i].allocs, real[i].req,
				 real[i].frees);
	}
	/* and nothing else but the importer's own untraced frees */
	for (int j = 0; j < ns; j++) {
		int i;

		for (i = 0; i < nr && strcmp(sim[j].site, real[i].site); i++)
			;
		if (i == nr && strcmp(sim[j].site, "untraced"))
			fail_msg("%s: callsites.csv has %s, the trace does not",
				 file, sim[j].site);
	}
}

static void test_real_captures(void **state)
{
	static const char *const files[] = {
		"perf-churn.txt", "ftrace-churn.txt", "perf-build.txt",
		"trace-cmd.txt", "perf-net.txt.gz", "old-format.txt",
	};

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char *out = tmp_path("real.yaml"), *text, *p;

		assert_int_equal(run("import", "-q", trace(files[i]), "-o", out, NULL), 0);
		text = slurp(out, NULL);
		assert_non_null(text);
		/* the header, then events: last, every event a compact scalar */
		assert_true(!strncmp(text, "# Imported by 'slabsim import'", 30));
		p = strstr(text, "\nevents:\n");
		assert_non_null(p);
		for (p += 9; *p; p = strchr(p, '\n') + 1)
			if (strncmp(p, "- ", 2) || !strchr(p, '@'))
				fail_msg("%s: not a compact event: %.60s", files[i], p);
		uint64_t allocs = number_after(text, "# replayed: ");
		uint64_t frees = number_after(text, " allocations, ");
		free(text);

		/* the workload as written: compact, with sites */
		int rc = run("run", out, "-o", tmp_path("realrun"), NULL);
		if (rc)
			fail_msg("%s: run exit %d: %s", files[i], rc, stderr_text());
		text = slurp(out, NULL);
		uint64_t untraced = 0;
		p = strstr(text, " allocations of a pointer still live");
		if (p) {
			while (p > text && p[-1] != ' ')
				p--;
			untraced = strtoull(p, NULL, 10);
		}
		free(text);
		char *so = stdout_text();
		/* a missed free is written as a free of its own */
		char want[96];
		snprintf(want, sizeof(want), "%" PRIu64 " allocs, %" PRIu64 " frees",
			 allocs, frees + untraced);
		if (!strstr(so, want))
			fail_msg("%s: run says\n%s\nexpected '%s'", files[i], so, want);
		free(so);
		join_callsites(files[i]);

		/* the same events in the mapping form, without sites, run too */
		assert_int_equal(run("import", "-q", "--form", "mapping", "--no-sites",
				     trace(files[i]), "-o", out, NULL), 0);
		assert_int_equal(run("run", out, "-o", tmp_path("maprun"), "-q", NULL), 0);
	}
}

/* .gz and standard input give the same workload as the plain file. */
static void test_gz_and_stdin(void **state)
{
	char cmd[4096];

	snprintf(cmd, sizeof(cmd), "gzip -dc '%s' > '%s'", trace("perf-net.txt.gz"),
		 tmp_path("net.txt"));
	assert_int_equal(system(cmd), 0);
	assert_int_equal(run("import", "-q", tmp_path("net.txt"), "-o", tmp_path("a.yaml"), NULL), 0);
	assert_int_equal(run("import", "-q", trace("perf-net.txt.gz"), "-o", tmp_path("b.yaml"), NULL), 0);
	snprintf(cmd, sizeof(cmd), "'%s' import -q - -o '%s' < '%s'", e2e_bin,
		 tmp_path("c.yaml"), tmp_path("net.txt"));
	assert_int_equal(system(cmd), 0);
	char *a = slurp(tmp_path("a.yaml"), NULL), *b = slurp(tmp_path("b.yaml"), NULL);
	char *c = slurp(tmp_path("c.yaml"), NULL);
	assert_true(strstr(c, "# sources: - (1501 lines)\n") != NULL);
	char *sa = strip_names(a), *sb = strip_names(b), *sc = strip_names(c);
	assert_string_equal(sa, sb);
	assert_string_equal(sa, sc);
	/* several inputs are one trace: the same file twice doubles the lines */
	assert_int_equal(run("import", "-q", tmp_path("net.txt"), trace("perf-net.txt.gz"),
			     "-o", tmp_path("d.yaml"), NULL), 0);
	char *d = slurp(tmp_path("d.yaml"), NULL);
	assert_non_null(strstr(d, "net.txt (1501 lines), "));
	assert_non_null(strstr(d, "perf-net.txt.gz (1501 lines)\n"));
	free(a); free(b); free(c); free(d); free(sa); free(sb); free(sc);

	/* a .gz cut short: what it holds, said in the header and on stderr */
	size_t len;
	char *gz = slurp(trace("perf-net.txt.gz"), &len);
	FILE *f = fopen(tmp_path("cut.gz"), "wb");
	assert_non_null(f);
	fwrite(gz, 1, len / 3, f);
	fclose(f);
	free(gz);
	assert_int_equal(run("import", tmp_path("cut.gz"), "-o", tmp_path("e.yaml"), NULL), 0);
	char *e = slurp(tmp_path("e.yaml"), NULL);
	assert_non_null(strstr(e, "cut.gz: compressed data ends early (a cut file): imported what it holds\n"));
	free(e);
	e = stderr_text();
	assert_non_null(strstr(e, "cut.gz: compressed data ends early"));
	free(e);
}

/* --machine: its machine, slab and caches win; the trace adds the rest. */
static void test_machine_base(void **state)
{
	spit(tmp_path("base.yaml"),
	     "name: base\n"
	     "machine: {cpus: 4, memory: 64MiB, hz: 100}\n"
	     "slab: {debug: true}\n"
	     "caches:\n"
	     "  - {name: filp, size: 256, flags: [HWCACHE_ALIGN], tune: {limit: 16}}\n");
	assert_int_equal(run("import", "-q", trace("perf-churn.txt"), "--machine",
			     tmp_path("base.yaml"), "-o", tmp_path("m.yaml"), NULL), 0);
	char *t = slurp(tmp_path("m.yaml"), NULL);
	assert_non_null(strstr(t, "\nmachine: {memory: 64MiB, hz: 100, cpus: 4, nodes: 1}\n"));
	assert_non_null(strstr(t, "\nslab: {debug: true}\n"));
	assert_non_null(strstr(t, "\ncaches:\n  - {name: filp, size: 256, flags: [HWCACHE_ALIGN], tune: {limit: 16}}\n"));
	assert_null(strstr(t, "name: filp, size: 184"));
	assert_non_null(strstr(t, "  - {name: dentry, size: 192}\n"));
	assert_non_null(strstr(t, "# machine, slab and caches from "));
	free(t);
	/* it runs, on the base's debug kernel */
	assert_int_equal(run("import", "-q", "--form", "mapping", "--no-sites",
			     trace("perf-churn.txt"), "--machine", tmp_path("base.yaml"),
			     "--cpus", "8", "-o", tmp_path("m2.yaml"), NULL), 0);
	t = slurp(tmp_path("m2.yaml"), NULL);
	assert_non_null(strstr(t, "cpus: 8, nodes: 1}\n"));
	free(t);
	assert_int_equal(run("run", tmp_path("m2.yaml"), "-o", tmp_path("m2run"), "-q", NULL), 0);

	/* a base the loader refuses: its message, file:line:col */
	spit(tmp_path("bad.yaml"), "machine: {cpus: 0}\n");
	assert_int_equal(run("import", trace("perf-churn.txt"), "--machine",
			     tmp_path("bad.yaml"), "-o", tmp_path("m3.yaml"), NULL), 2);
	char *e = stderr_text();
	assert_one_line(e);
	assert_non_null(strstr(e, "bad.yaml:1:"));
	free(e);
	assert_false(exists(tmp_path("m3.yaml")));
}

static void test_stat(void **state)
{
	assert_int_equal(run("import", "-q", "--stat", "--format", "csv", "--nodes", "2",
			     trace("stat-tiny.txt"), NULL), 0);
	char *o = stdout_text();
	/* figures worked out in test_import.c's test_stat */
	assert_string_equal(o,
		"site,allocs,frees,bytes_req,bytes_alloc,frag_pct,cross_cpu_frees,cross_node_frees\n"
		"foo+0x10/0x40,2,0,160,192,16.667,1,1\n"
		"bar+0x1/0x8,1,0,184,192,4.167,1,1\n"
		"baz+0x2/0x9,0,2,0,0,0.000,0,0\n"
		"qux+0x3/0x9,0,1,0,0,0.000,0,0\n");
	free(o);
	assert_int_equal(run("import", "--stat", trace("stat-tiny.txt"), NULL), 0);
	o = stdout_text();
	assert_non_null(strstr(o, "Internal fragmentation: 10.417%\n"));
	free(o);
	o = stderr_text();
	assert_non_null(strstr(o, "slabsim: import: 1 frees of pointers never seen allocated"));
	free(o);
}

/* Bad input: one line, exit 2, nothing written, an old file untouched. */
static void test_bad_input(void **state)
{
	static const struct {
		const char *content;	/* NULL: the file does not exist */
		size_t len;
		const char *msg;
	} cases[] = {
		{ NULL, 0, "No such file or directory" },
		{ "", 0, "empty, no trace lines" },
		{ "PERFILE2\0\0\0\0", 12, "this is perf.data" },
		{ "\x7f" "ELF\2\1\1\0\0\0", 10, "binary data, not trace text" },
		{ "hello\nworld\n", 12, "no kmem slab events" },
		{ " x-1 [003] 1.0: kfree: call_site=a ptr=1\n", 41, "none of the 1 kmem slab events" },
		/* every line skipped: the one line says why */
		{ " x-1 [4096] 1.0: kfree: call_site=a ptr=1\n", 42,
		  "no kmem slab events (kmalloc, kmem_cache_alloc, kfree, kmem_cache_free) in 1 lines; "
		  "1 lines with a CPU over 4095, skipped (first: " },
		{ " x-1 [001] 1.0: kmalloc: call_site=a ptr=1 bytes_r", 50,
		  "in 1 lines; 1 last lines without a newline (a cut capture), skipped" },
	};

	spit(tmp_path("keep.yaml"), "old\n");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *in = tmp_path("bad.txt");

		remove(in);
		if (cases[i].content) {
			FILE *f = fopen(in, "wb");
			assert_non_null(f);
			fwrite(cases[i].content, 1, cases[i].len, f);
			fclose(f);
		}
		assert_int_equal(run("import", in, "-o", tmp_path("keep.yaml"), NULL), 2);
		char *e = stderr_text();
		assert_one_line(e);
		if (!strstr(e, cases[i].msg))
			fail_msg("case %zu: '%s' lacks '%s'", i, e, cases[i].msg);
		free(e);
		char *k = slurp(tmp_path("keep.yaml"), NULL);
		assert_string_equal(k, "old\n");
		free(k);
	}
	/* a CPU beyond --cpus; options */
	spit(tmp_path("c3.txt"), " x-1 [003] 1.0: kmalloc: call_site=a ptr=1 bytes_req=8 bytes_alloc=8 gfp_flags=GFP_KERNEL\n");
	assert_int_equal(run("import", tmp_path("c3.txt"), "--cpus", "2", "-o", tmp_path("keep.yaml"), NULL), 2);
	char *e = stderr_text();
	assert_string_equal(e, "slabsim: import: the trace has CPU 3 but the machine has 2 CPUs (--cpus)\n");
	free(e);
	assert_int_equal(run("import", tmp_path("c3.txt"), "--cpus", "300", "-o", tmp_path("x.yaml"), NULL), 2);
	assert_int_equal(run("import", tmp_path("c3.txt"), "--form", "block", "-o", tmp_path("x.yaml"), NULL), 2);
	assert_int_equal(run("import", tmp_path("c3.txt"), NULL), 2);
	assert_int_equal(run("import", "--stat", tmp_path("c3.txt"), "-o", tmp_path("x.yaml"), NULL), 2);
	assert_int_equal(run("import", "--bogus", tmp_path("c3.txt"), NULL), 2);
	assert_false(exists(tmp_path("x.yaml")));
	/* and the good one works, leaving no temporary file beside it */
	assert_int_equal(run("import", "-q", tmp_path("c3.txt"), "-o", tmp_path("keep.yaml"), NULL), 0);
	char *names[64];
	int n = list_files(e2e_tmp, names, 64);
	for (int i = 0; i < n; i++) {
		assert_null(strstr(names[i], ".tmp"));
		free(names[i]);
	}
}

static void test_help(void **state)
{
	assert_int_equal(run("import", "--help", NULL), 0);
	char *o = stdout_text();
	assert_non_null(strstr(o, "usage: slabsim import TRACE... -o WORKLOAD.yaml"));
	assert_non_null(strstr(o, "--stat"));
	free(o);
	assert_int_equal(run("--help", NULL), 0);
	o = stdout_text();
	assert_non_null(strstr(o, "  import TRACE... -o WORKLOAD.yaml"));
	free(o);
}

int main(void)
{
	if (e2e_setup("import"))
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_captures),
		cmocka_unit_test(test_gz_and_stdin),
		cmocka_unit_test(test_machine_base),
		cmocka_unit_test(test_stat),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_help),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	e2e_teardown(rc);
	return rc;
}
