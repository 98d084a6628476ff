/*
 * End-to-end tests of what a user reads and types: the README's own
 * example commands run as written, every --help states its exit status,
 * plot's zone choice and its list of plot names, slabinfo's plain form,
 * and messages that name nothing internal.
 */
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

static bool have_gnuplot(void)
{
	return system("command -v gnuplot >/dev/null 2>&1") == 0;
}

/*
 * Every `build/slabsim ...` line of README.md's ```sh blocks (backslash
 * continuations joined), in order, run by sh in a scratch directory laid
 * out as a fresh clone after the build: build/slabsim (the binary under
 * test), workloads/ and tests/ (the source tree's). Each must exit 0.
 */
static void test_readme_commands_run(void **state)
{
	char path[700], cmd[8192], *readme;
	struct strbuf_like { char *buf; size_t len, cap; };
	int ran = 0;
	bool in_sh = false;

	(void)state;
	snprintf(path, sizeof(path), "%s/README.md", e2e_src);
	readme = slurp(path, NULL);
	assert_non_null(readme);
	assert_int_equal(mkdir(tmp_path("clone"), 0777), 0);
	assert_int_equal(mkdir(tmp_path("clone/build"), 0777), 0);
	assert_int_equal(symlink(e2e_bin, tmp_path("clone/build/slabsim")), 0);
	snprintf(path, sizeof(path), "%s/workloads", e2e_src);
	assert_int_equal(symlink(path, tmp_path("clone/workloads")), 0);
	/* the real traces the import examples read */
	snprintf(path, sizeof(path), "%s/tests", e2e_src);
	assert_int_equal(symlink(path, tmp_path("clone/tests")), 0);

	char line[4096], file_name[64] = "";
	size_t cl = 0;
	for (const char *p = readme; *p;) {
		size_t n = strcspn(p, "\n");
		snprintf(line, sizeof(line), "%.*s", (int)n, p);
		p += n + (p[n] == '\n');
		/*
		 * A yaml block the prose introduces as "this file is `NAME`"
		 * (the CI section's ci.yaml) is written into the clone, so the
		 * commands that run it find it.
		 */
		const char *named = strstr(line, "this file is `");
		if (named) {
			named += 14;
			snprintf(file_name, sizeof(file_name), "%.*s",
				 (int)strcspn(named, "`"), named);
		}
		if (!strcmp(line, "```yaml") && file_name[0]) {
			const char *end = strstr(p, "\n```");
			assert_non_null(end);
			char fpath[800];
			snprintf(fpath, sizeof(fpath), "%s/%s", tmp_path("clone"),
				 file_name);
			char *body = strndup(p, (size_t)(end - p) + 1);
			spit(fpath, body);
			free(body);
			file_name[0] = '\0';
			p = end + 1;
			continue;
		}
		if (!strncmp(line, "```", 3)) {
			in_sh = !in_sh && !strcmp(line, "```sh");
			continue;
		}
		if (!in_sh)
			continue;
		if (!cl && strncmp(line, "build/slabsim ", 14))
			continue;
		size_t len = strlen(line);
		bool more = len && line[len - 1] == '\\';
		if (more)
			line[--len] = '\0';
		assert_true(cl + len + 1 < sizeof(cmd));
		memcpy(cmd + cl, line, len);
		cl += len;
		cmd[cl] = '\0';
		if (more)
			continue;
		char shell[9000];
		/* redirections first: the line may end in a # comment */
		snprintf(shell, sizeof(shell),
			 "cd '%s' && exec >/dev/null 2>'%s'; %s",
			 tmp_path("clone"), tmp_path("readme.err"), cmd);
		bool plot = strstr(cmd, "slabsim plot ") || strstr(cmd, "--plot");
		if (plot && !have_gnuplot()) {
			cl = 0;
			continue;
		}
		int rc = system(shell);
		if (!WIFEXITED(rc) || WEXITSTATUS(rc) != 0) {
			char *err = slurp(tmp_path("readme.err"), NULL);
			fail_msg("README command failed (%d): %s\n%s", rc, cmd,
				 err ? err : "");
		}
		ran++;
		cl = 0;
	}
	/* the block above has more than a dozen; a README without them is
	 * a README whose examples this test no longer sees */
	assert_true(ran >= 10);
	assert_true(exists(tmp_path("clone/runs/default/summary.json")));
	assert_true(exists(tmp_path("clone/runs/plain/slabinfo")));
	free(readme);
}

/* Each command's --help, and the command list, say what exit codes mean. */
static void test_help_states_exit_codes(void **state)
{
	static const char *const cmds[] = {
		"run", "geometry", "plot", "compare", "sweep",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		assert_int_equal(run(cmds[i], "--help", NULL), 0);
		char *out = stdout_text();
		assert_non_null(out);
		if (!strstr(out, "Exit status"))
			fail_msg("slabsim %s --help says nothing of exit status",
				 cmds[i]);
		free(out);
	}
	assert_int_equal(run("--help", NULL), 0);
	char *out = stdout_text();
	assert_non_null(strstr(out, "Exit status"));
	free(out);
}

static const char two_node_yaml[] =
	"name: two\nseed: 3\n"
	"machine: {cpus: 2, nodes: 2, memory: 64MiB}\n"
	"caches:\n  - {name: c, size: 200}\n"
	"generators:\n"
	"  - {cache: c, cpus: [0], rate: 20000/s, lifetime: {exp: 1ms},\n"
	"     free_on: [1], until: 10ms}\n"
	"sample: 2ms\nduration: 12ms\n";

/*
 * plot draws a zone plot per zone of buddyinfo (x86_64, two nodes of
 * 64 MiB: node 0 DMA and DMA32, node 1 DMA32), or the ones --node/--zone
 * pick; a zone the run does not have is refused with the list; a plot
 * name that does not exist is refused with the names there are.
 */
static void test_plot_zones_and_names(void **state)
{
	(void)state;
	if (!have_gnuplot())
		skip();
	spit(tmp_path("two.yaml"), two_node_yaml);
	assert_int_equal(run("run", tmp_path("two.yaml"), "-o", tmp_path("two"),
			     "-q", NULL), 0);
	char *bi = slurp(tmp_path("two/buddyinfo"), NULL);
	assert_non_null(strstr(bi, "Node 0, zone      DMA "));
	assert_non_null(strstr(bi, "Node 0, zone    DMA32 "));
	assert_non_null(strstr(bi, "Node 1, zone    DMA32 "));
	assert_null(strstr(bi, "Normal"));
	free(bi);

	assert_int_equal(run("plot", tmp_path("two"), "--format", "svg",
			     "--only", "buddy", NULL), 0);
	assert_true(exists(tmp_path("two/plots/buddy-node0-DMA.svg")));
	assert_true(exists(tmp_path("two/plots/buddy-node0-DMA32.svg")));
	assert_true(exists(tmp_path("two/plots/buddy-node1-DMA32.svg")));
	assert_false(exists(tmp_path("two/plots/buddy.svg")));

	assert_int_equal(run("plot", tmp_path("two"), "--format", "svg",
			     "--only", "fragindex", "--node", "1", NULL), 0);
	assert_true(exists(tmp_path("two/plots/fragindex-node1-DMA32.svg")));
	assert_false(exists(tmp_path("two/plots/fragindex-node0-DMA32.svg")));

	assert_int_equal(run("plot", tmp_path("two"), "--zone", "Normal", NULL), 2);
	char *err = stderr_text();
	assert_one_line(err);
	assert_non_null(strstr(err, "node 0 DMA, node 0 DMA32, node 1 DMA32"));
	free(err);

	assert_int_equal(run("plot", tmp_path("two"), "--only", "latenc", NULL), 2);
	err = stderr_text();
	assert_one_line(err);
	assert_non_null(strstr(err, "no plot named 'latenc'"));
	assert_non_null(strstr(err, "latency"));
	assert_non_null(strstr(err, "lock_timeline"));
	assert_null(strstr(err, "common"));	/* a library, not a plot */
	free(err);
}

/*
 * --slabinfo plain: 2.6.17 without STATS (a non-debug kernel): the header
 * says "version: 2.1" alone and no line carries globalstat or cpustat;
 * the figures up to slabdata are those of the statistics form.
 */
static void test_slabinfo_plain(void **state)
{
	(void)state;
	spit(tmp_path("two.yaml"), two_node_yaml);
	assert_int_equal(run("run", tmp_path("two.yaml"), "-o", tmp_path("st"),
			     "-q", NULL), 0);
	assert_int_equal(run("run", tmp_path("two.yaml"), "-o", tmp_path("pl"),
			     "-q", "--slabinfo", "plain", NULL), 0);
	char *st = slurp(tmp_path("st/slabinfo"), NULL);
	char *pl = slurp(tmp_path("pl/slabinfo"), NULL);
	assert_int_equal(strncmp(pl, "slabinfo - version: 2.1\n", 24), 0);
	assert_int_equal(strncmp(st, "slabinfo - version: 2.1 (statistics)\n", 37), 0);
	assert_null(strstr(pl, "globalstat"));
	assert_null(strstr(pl, "cpustat"));
	/* line by line, plain is the statistics line cut before globalstat */
	const char *a = strchr(st, '\n') + 1, *b = strchr(pl, '\n') + 1;
	int lines = 0;
	while (*a && *b) {
		size_t la = strcspn(a, "\n"), lb = strcspn(b, "\n");
		const char *g = strstr(a, " : globalstat");
		if (g && g < a + la)
			la = (size_t)(g - a);
		else if (lines == 0) {
			const char *h = strstr(a, " : globalstat <");
			assert_true(h && h < a + la);
		}
		assert_int_equal(la, lb);
		assert_memory_equal(a, b, lb);
		a += strcspn(a, "\n") + 1;
		b += lb + 1;
		lines++;
	}
	assert_true(lines > 20);
	free(st);
	free(pl);
	assert_int_equal(run("run", tmp_path("two.yaml"), "-o", tmp_path("pl"),
			     "--slabinfo", "debug", NULL), 2);
}

/* Messages name what the user wrote, never slabsim's own scaffolding. */
static void test_messages_name_nothing_internal(void **state)
{
	char *err;

	(void)state;
	assert_int_equal(run("geometry", "--size", "abc", NULL), 2);
	err = stderr_text();
	assert_one_line(err);
	assert_null(strstr(err, "geometry:6:"));
	assert_non_null(strstr(err, "bad size 'abc'"));
	free(err);
	assert_int_equal(run("geometry", "--size", "64", "--arch", "sparc", NULL), 2);
	err = stderr_text();
	assert_null(strstr(err, "geometry:2:"));
	assert_non_null(strstr(err, "sparc"));
	free(err);
	/* a run directory whose parent cannot be written */
	spit(tmp_path("two.yaml"), two_node_yaml);
	assert_int_equal(run("run", tmp_path("two.yaml"), "-o",
			     "/proc/nonexistent/x", "-q", NULL), 2);
	err = stderr_text();
	assert_one_line(err);
	assert_null(strstr(err, ".partial"));
	assert_non_null(strstr(err, "/proc/nonexistent/x"));
	free(err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_readme_commands_run),
		cmocka_unit_test(test_help_states_exit_codes),
		cmocka_unit_test(test_plot_zones_and_names),
		cmocka_unit_test(test_slabinfo_plain),
		cmocka_unit_test(test_messages_name_nothing_internal),
	};
	int rc;

	if (e2e_setup("reports") || !e2e_src) {
		fprintf(stderr, "SLABSIM and SLABSIM_SRC must be set\n");
		return 1;
	}
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	e2e_teardown(rc != 0);
	return rc;
}
