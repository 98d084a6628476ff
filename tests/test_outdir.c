/*
 * Output directories (sim/report/outdir.c): a user's files are never
 * replaced or removed, the output path is checked before anything is
 * simulated, two runs racing for one -o or a run killed at any moment
 * leave one complete run, a full disk leaves nothing half-written, and a
 * sweep's points are byte for byte the runs they stand for.
 *
 * A full disk is made with RLIMIT_FSIZE (writes past it fail with EFBIG,
 * SIGXFSZ ignored), which needs no privileges and no mount.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "e2e_util.h"

/* A few hundred ms of simulation: long enough to race and to be killed. */
static const char busy_yaml[] =
	"name: busy\n"
	"seed: 1\n"
	"machine: {cpus: 2, memory: 64MiB}\n"
	"caches:\n"
	"  - {name: obj, size: 200}\n"
	"generators:\n"
	"  - {cache: obj, cpus: [0, 1], rate: 200000/s, lifetime: {exp: 1ms},\n"
	"     free_on: [1, 0], from: 0s, until: 200ms}\n"
	"sample: 10ms\n"
	"duration: 210ms\n";

static const char small_yaml[] =
	"name: small\n"
	"seed: 3\n"
	"machine: {cpus: 2, memory: 64MiB}\n"
	"caches:\n"
	"  - {name: obj, size: 96}\n"
	"generators:\n"
	"  - {cache: obj, cpus: [0, 1], rate: 20000/s, lifetime: {exp: 1ms},\n"
	"     from: 0s, until: 20ms}\n"
	"sample: 5ms\n"
	"duration: 25ms\n";

/* The binary with argv, not waited for; stdout and stderr to /dev/null. */
static pid_t start(const char *const *argv)
{
	pid_t pid = fork();

	if (pid == 0) {
		int n = open("/dev/null", O_WRONLY);
		char err[300];
		snprintf(err, sizeof(err), "%s/start-err.txt", e2e_tmp);
		int e = open(err, O_WRONLY | O_CREAT | O_APPEND, 0644);
		dup2(n, 1);
		dup2(e, 2);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	assert_true(pid > 0);
	return pid;
}

/*
 * The binary with argv under a file size limit (bytes), stderr into
 * tmp/err.txt; returns the exit status.
 */
static int run_fsize(long limit, const char *const *argv)
{
	char err[300];

	snprintf(err, sizeof(err), "%s/err.txt", e2e_tmp);
	pid_t pid = fork();
	if (pid == 0) {
		int e = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int n = open("/dev/null", O_WRONLY);
		dup2(n, 1);
		dup2(e, 2);
		struct rlimit rl = { (rlim_t)limit, (rlim_t)limit };
		setrlimit(RLIMIT_FSIZE, &rl);
		/* ignored signals stay ignored across exec: EFBIG instead */
		signal(SIGXFSZ, SIG_IGN);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	int status;
	waitpid(pid, &status, 0);
	if (WIFSIGNALED(status))
		fail_msg("%s died of signal %d", argv[0], WTERMSIG(status));
	return WEXITSTATUS(status);
}

/*
 * The binary with argv, as uid/gid 65534 when we are root (so that a
 * directory's permissions apply), stderr into tmp/err.txt.
 */
static int run_as_nobody(const char *const *argv)
{
	char err[300];

	snprintf(err, sizeof(err), "%s/err.txt", e2e_tmp);
	pid_t pid = fork();
	if (pid == 0) {
		int e = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0666);
		int n = open("/dev/null", O_WRONLY);
		dup2(n, 1);
		dup2(e, 2);
		if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
			_exit(126);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	int status;
	waitpid(pid, &status, 0);
	if (WIFSIGNALED(status))
		fail_msg("%s died of signal %d", argv[0], WTERMSIG(status));
	return WEXITSTATUS(status);
}

/* Entries of dir whose name contains part (temporaries left behind). */
static int count_named(const char *dir, const char *part)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		n += strstr(e->d_name, part) != NULL;
	closedir(d);
	return n;
}

static void assert_file(const char *path, const char *text)
{
	char *got = slurp(path, NULL);

	assert_non_null(got);
	assert_string_equal(got, text);
	free(got);
}

/* Whether two run directories hold the same files and bytes. */
static bool same_dirs(const char *a, const char *b)
{
	char *na[64], *nb[64];
	int ca = list_files(a, na, 64), cb = list_files(b, nb, 64);
	bool same = ca == cb && ca > 0;

	for (int i = 0; i < ca && same; i++) {
		char pa[1200], pb[1200];
		size_t la, lb;
		snprintf(pa, sizeof(pa), "%s/%s", a, na[i]);
		snprintf(pb, sizeof(pb), "%s/%s", b, nb[i]);
		char *x = slurp(pa, &la), *y = slurp(pb, &lb);
		same = !strcmp(na[i], nb[i]) && x && y && la == lb &&
		       !memcmp(x, y, la);
		free(x);
		free(y);
	}
	for (int i = 0; i < ca; i++)
		free(na[i]);
	for (int i = 0; i < cb; i++)
		free(nb[i]);
	return same;
}

static void assert_refused(const char *what)
{
	char *err = stderr_text();

	assert_one_line(err);
	if (!strstr(err, what))
		fail_msg("expected '%s' in: %s", what, err);
	free(err);
}

/* ------------------------------------------------------------------ */

/*
 * Every case the audit reproduced: files under plots/, slabinfo.* files,
 * a sibling DIR.old, an empty directory, a file, a forged marker, one
 * entry the marker does not list. Each is refused with one line, exit 2,
 * and the user's files are as they were.
 */
static void test_user_files_never_replaced(void **state)
{
	(void)state;
	char w[600];
	snprintf(w, sizeof(w), "%s", tmp_path("small.yaml"));
	spit(w, small_yaml);

	/* a project directory whose files look like a run's */
	mkdir(tmp_path("proj"), 0777);
	mkdir(tmp_path("proj/plots"), 0777);
	spit(tmp_path("proj/plots/thesis.tex"), "chapter 1\n");
	spit(tmp_path("proj/slabinfo.my-notes.txt"), "notes\n");
	spit(tmp_path("proj/summary.json"), "{}\n");
	assert_int_equal(run("run", w, "-o", tmp_path("proj"), "-q", NULL), 2);
	assert_refused("not a slabsim run directory");
	assert_file(tmp_path("proj/plots/thesis.tex"), "chapter 1\n");
	assert_file(tmp_path("proj/slabinfo.my-notes.txt"), "notes\n");
	assert_file(tmp_path("proj/summary.json"), "{}\n");

	/* a sibling DIR.old is the user's: a run and its rerun keep it */
	mkdir(tmp_path("r.old"), 0777);
	mkdir(tmp_path("r.old/plots"), 0777);
	spit(tmp_path("r.old/plots/keep.txt"), "keep\n");
	assert_int_equal(run("run", w, "-o", tmp_path("r"), "-q", NULL), 0);
	assert_int_equal(run("run", w, "-o", tmp_path("r"), "-q", NULL), 0);
	assert_file(tmp_path("r.old/plots/keep.txt"), "keep\n");
	assert_true(exists(tmp_path("r/summary.json")));
	assert_int_equal(count_named(e2e_tmp, ".slabsim-tmp."), 0);

	/* a run directory the user added one file to is theirs now */
	spit(tmp_path("r/slabinfo.my-notes.txt"), "mine\n");
	assert_int_equal(run("run", w, "-o", tmp_path("r"), "-q", NULL), 2);
	assert_refused("'slabinfo.my-notes.txt' is not something slabsim wrote");
	assert_file(tmp_path("r/slabinfo.my-notes.txt"), "mine\n");
	unlink(tmp_path("r/slabinfo.my-notes.txt"));
	mkdir(tmp_path("r/plots"), 0777);
	spit(tmp_path("r/plots/thesis.tex"), "chapter 2\n");
	assert_int_equal(run("run", w, "-o", tmp_path("r"), "-q", NULL), 2);
	assert_refused("'plots' is not something slabsim wrote");
	assert_file(tmp_path("r/plots/thesis.tex"), "chapter 2\n");

	/* an empty directory keeps its mode: it is not replaced at all */
	mkdir(tmp_path("empty"), 0777);
	chmod(tmp_path("empty"), 0751);
	assert_int_equal(run("run", w, "-o", tmp_path("empty"), "-q", NULL), 2);
	assert_refused("no .slabsim-run marker");
	struct stat st;
	assert_int_equal(stat(tmp_path("empty"), &st), 0);
	assert_int_equal(st.st_mode & 07777, 0751);
	assert_int_equal(count_named(tmp_path("empty"), ""), 2); /* . and .. */

	/* a file, and a marker slabsim did not write */
	spit(tmp_path("afile"), "data\n");
	assert_int_equal(run("run", w, "-o", tmp_path("afile"), "-q", NULL), 2);
	assert_refused("not a directory");
	assert_file(tmp_path("afile"), "data\n");
	mkdir(tmp_path("forged"), 0777);
	spit(tmp_path("forged/.slabsim-run"), "file notes.txt\n");
	spit(tmp_path("forged/notes.txt"), "n\n");
	assert_int_equal(run("run", w, "-o", tmp_path("forged"), "-q", NULL), 2);
	assert_refused("not one slabsim wrote");
	assert_file(tmp_path("forged/notes.txt"), "n\n");

	/*
	 * Unreadable (a directory of someone else's): refused, not moved
	 * aside. Root reads everything, so as root the run is made as
	 * nobody (uid 65534) against a root-owned directory of mode 0700.
	 */
	mkdir(tmp_path("pub"), 0777);
	chmod(tmp_path("pub"), 0777);
	chmod(e2e_tmp, 0755);
	mkdir(tmp_path("pub/locked"), 0777);
	spit(tmp_path("pub/locked/x"), "x\n");
	spit(tmp_path("pub/small.yaml"), small_yaml);
	chmod(tmp_path("pub/small.yaml"), 0644);
	chmod(tmp_path("pub/locked"), geteuid() == 0 ? 0700 : 0);
	const char *argv[] = { e2e_bin, "run", tmp_path("pub/small.yaml"), "-o",
			       tmp_path("pub/locked"), "-q", NULL };
	int rc = run_as_nobody(argv);
	chmod(tmp_path("pub/locked"), 0755);
	assert_int_equal(rc, 2);
	assert_refused("cannot read it");
	assert_file(tmp_path("pub/locked/x"), "x\n");
	assert_int_equal(count_named(tmp_path("pub"), ".slabsim-tmp."), 0);
	assert_int_equal(count_named(e2e_tmp, ".slabsim-tmp."), 0);
}

/*
 * The output path is checked before simulating: a trailing slash names
 * the same directory; a missing parent fails at once, creating nothing.
 */
static void test_path_checked_first(void **state)
{
	(void)state;
	char w[600];
	snprintf(w, sizeof(w), "%s", tmp_path("small.yaml"));
	spit(w, small_yaml);
	char slash[600];
	snprintf(slash, sizeof(slash), "%s/", tmp_path("trail"));
	assert_int_equal(run("run", w, "-o", slash, "-q", NULL), 0);
	assert_true(exists(tmp_path("trail/summary.json")));
	assert_int_equal(run("run", w, "-o", slash, "-q", NULL), 0);

	/* a workload that would take long: the failure must not wait */
	spit(tmp_path("long.yaml"), busy_yaml);
	time_t t0 = time(NULL);
	spit(tmp_path("afile"), "mine\n");
	assert_int_equal(run("run", tmp_path("long.yaml"), "-o",
			     tmp_path("afile/run"), "-q", "--set",
			     "duration=100s", NULL), 2);
	assert_true(time(NULL) - t0 < 5);
	assert_refused("cannot create it");
	assert_file(tmp_path("afile"), "mine\n");
	/* missing parents are made, as mkdir -p would */
	assert_int_equal(run("run", w, "-o", tmp_path("nothere/run"), "-q", NULL), 0);
	assert_true(exists(tmp_path("nothere/run/summary.json")));
	assert_int_equal(run("run", w, "-o", "/", "-q", NULL), 2);
	assert_int_equal(count_named(e2e_tmp, ".slabsim-tmp."), 0);
}

/* sweep -o: the same rule, with a sweep marker; a quote is refused first. */
static void test_sweep_dir_rules(void **state)
{
	(void)state;
	char w[600];
	snprintf(w, sizeof(w), "%s", tmp_path("small.yaml"));
	spit(w, small_yaml);
	mkdir(tmp_path("mine"), 0777);
	spit(tmp_path("mine/data.csv"), "1,2\n");
	assert_int_equal(run("sweep", w, "--vary", "seed=1,2", "-o",
			     tmp_path("mine"), NULL), 2);
	assert_refused("not a slabsim sweep directory");
	assert_file(tmp_path("mine/data.csv"), "1,2\n");

	/* a sweep replaces the sweep it made before (points it no longer has
	 * go too) */
	assert_int_equal(run("sweep", w, "--vary", "seed=1,2,3", "-o",
			     tmp_path("sw"), NULL), 0);
	assert_int_equal(run("sweep", w, "--vary", "seed=1,2", "-o",
			     tmp_path("sw"), NULL), 0);
	assert_true(exists(tmp_path("sw/seed-2/summary.json")));
	assert_false(exists(tmp_path("sw/seed-3")));
	/* a run directory is not a sweep directory, nor the reverse */
	assert_int_equal(run("run", w, "-o", tmp_path("sw"), "-q", NULL), 2);
	assert_true(exists(tmp_path("sw/seed-1/summary.json")));
	assert_int_equal(run("run", w, "-o", tmp_path("single"), "-q", NULL), 0);
	assert_int_equal(run("sweep", w, "--vary", "seed=1,2", "-o",
			     tmp_path("single"), NULL), 2);
	assert_true(exists(tmp_path("single/summary.json")));
	/* a user's file inside a point */
	spit(tmp_path("sw/seed-1/mine.txt"), "m\n");
	assert_int_equal(run("sweep", w, "--vary", "seed=1,2", "-o",
			     tmp_path("sw"), NULL), 2);
	assert_refused("'mine.txt' is not something slabsim wrote");
	assert_file(tmp_path("sw/seed-1/mine.txt"), "m\n");

	/* a quote in -o: refused before any point runs */
	assert_int_equal(run("sweep", w, "--vary", "seed=1,2", "-o",
			     tmp_path("it's"), NULL), 2);
	assert_refused("single quote");
	assert_false(exists(tmp_path("it's")));
}

/*
 * The sweep of two seeds, two at a time (once a heap overflow in
 * compare_points), equals the two separate runs file for file, marker
 * included.
 */
static void test_sweep_equals_separate_runs(void **state)
{
	(void)state;
	char w[600];
	snprintf(w, sizeof(w), "%s", tmp_path("small.yaml"));
	spit(w, small_yaml);
	assert_int_equal(run("sweep", w, "--vary", "seed=1,2", "-j", "2", "-o",
			     tmp_path("seeds"), NULL), 0);
	assert_int_equal(run("run", w, "-o", tmp_path("seed1"), "-q", "--seed",
			     "1", NULL), 0);
	assert_int_equal(run("run", w, "-o", tmp_path("seed2"), "-q", "--seed",
			     "2", NULL), 0);
	assert_dirs_identical(tmp_path("seed1"), tmp_path("seeds/seed-1"));
	assert_dirs_identical(tmp_path("seed2"), tmp_path("seeds/seed-2"));
	char *m1 = slurp(tmp_path("seed1/.slabsim-run"), NULL);
	char *m2 = slurp(tmp_path("seeds/seed-1/.slabsim-run"), NULL);
	assert_non_null(m1);
	assert_non_null(m2);
	assert_string_equal(m1, m2);
	free(m1);
	free(m2);
	/* and the seeds did differ */
	assert_false(same_dirs(tmp_path("seed1"), tmp_path("seed2")));
	char *csv = slurp(tmp_path("seeds/compare.csv"), NULL);
	assert_non_null(csv);
	assert_int_equal(strncmp(csv, "run,seed,", 9), 0);
	assert_non_null(strstr(csv, "\nseed-1,1,"));
	assert_non_null(strstr(csv, "\nseed-2,2,"));
	free(csv);
}

/*
 * Two runs (seeds 1 and 2) racing for one -o, ten times: each time the
 * directory is exactly one of the two complete runs, both exit 0, and no
 * temporary is left.
 */
static void test_racing_runs_leave_one_complete_run(void **state)
{
	(void)state;
	char w[600];
	snprintf(w, sizeof(w), "%s", tmp_path("busy.yaml"));
	spit(w, busy_yaml);
	assert_int_equal(run("run", w, "-o", tmp_path("ref1"), "-q", "--seed",
			     "1", NULL), 0);
	assert_int_equal(run("run", w, "-o", tmp_path("ref2"), "-q", "--seed",
			     "2", NULL), 0);
	for (int trial = 0; trial < 10; trial++) {
		const char *a[] = { e2e_bin, "run", w, "-o", tmp_path("race"),
				    "-q", "--seed", "1", NULL };
		const char *b[] = { e2e_bin, "run", w, "-o", tmp_path("race"),
				    "-q", "--seed", "2", NULL };
		pid_t pa = start(a), pb = start(b);
		int sa, sb;
		waitpid(pa, &sa, 0);
		waitpid(pb, &sb, 0);
		assert_true(WIFEXITED(sa) && WEXITSTATUS(sa) == 0);
		assert_true(WIFEXITED(sb) && WEXITSTATUS(sb) == 0);
		assert_true(same_dirs(tmp_path("race"), tmp_path("ref1")) ||
			    same_dirs(tmp_path("race"), tmp_path("ref2")));
		assert_int_equal(count_named(e2e_tmp, ".slabsim-tmp."), 0);
	}
}

/*
 * A run replacing an old one, killed at a spread of moments: the
 * directory is always the old run or the new one, whole.
 */
static void test_kill_leaves_old_or_new(void **state)
{
	(void)state;
	char w[600];
	snprintf(w, sizeof(w), "%s", tmp_path("busy.yaml"));
	spit(w, busy_yaml);
	assert_int_equal(run("run", w, "-o", tmp_path("ref1"), "-q", "--seed",
			     "1", NULL), 0);
	assert_int_equal(run("run", w, "-o", tmp_path("ref2"), "-q", "--seed",
			     "2", NULL), 0);
	/* how long a run takes here, to spread the kills over it */
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(run("run", w, "-o", tmp_path("kill"), "-q", "--seed",
			     "1", NULL), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	long span_us = (t1.tv_sec - t0.tv_sec) * 1000000L +
		       (t1.tv_nsec - t0.tv_nsec) / 1000;
	int olds = 0, news = 0;
	for (int trial = 0; trial < 16; trial++) {
		/* the old one is seed 1; the new one seed 2 */
		assert_int_equal(run("run", w, "-o", tmp_path("kill"), "-q",
				     "--seed", "1", NULL), 0);
		const char *b[] = { e2e_bin, "run", w, "-o", tmp_path("kill"),
				    "-q", "--seed", "2", NULL };
		pid_t pb = start(b);
		usleep((useconds_t)(span_us * (trial + 1) / 8));
		kill(pb, SIGKILL);
		int sb;
		waitpid(pb, &sb, 0);
		bool old = same_dirs(tmp_path("kill"), tmp_path("ref1"));
		bool new = same_dirs(tmp_path("kill"), tmp_path("ref2"));
		assert_true(old || new);
		olds += old;
		news += new;
	}
	fprintf(stderr, "note: killed runs left the old run %d times, the new "
		"one %d times\n", olds, news);
	/* a killed run's temporary never blocks the next run */
	assert_int_equal(run("run", w, "-o", tmp_path("kill"), "-q", NULL), 0);
}

/*
 * A full disk: the run exits 2 naming the directory and leaves the old
 * run and no temporary; compare -o leaves no file (nor an empty one) and
 * an older one untouched; a picture cut short is never kept.
 */
static void test_full_disk_leaves_nothing_half_written(void **state)
{
	(void)state;
	char w[600];
	snprintf(w, sizeof(w), "%s", tmp_path("small.yaml"));
	spit(w, small_yaml);
	assert_int_equal(run("run", w, "-o", tmp_path("fd"), "-q", NULL), 0);
	assert_int_equal(run("run", w, "-o", tmp_path("fdref"), "-q", NULL), 0);
	const char *a[] = { e2e_bin, "run", w, "-o", tmp_path("fd"), "-q",
			    "--seed", "9", NULL };
	assert_int_equal(run_fsize(4096, a), 2);
	assert_refused("cannot write");
	assert_true(same_dirs(tmp_path("fd"), tmp_path("fdref")));
	assert_int_equal(count_named(e2e_tmp, "fd.slabsim-tmp."), 0);

	const char *c[] = { e2e_bin, "compare", "-o", tmp_path("cmp.txt"),
			    tmp_path("fd"), tmp_path("fdref"), NULL };
	assert_int_equal(run_fsize(100, c), 2);
	assert_false(exists(tmp_path("cmp.txt")));
	spit(tmp_path("cmp.txt"), "older\n");
	assert_int_equal(run_fsize(100, c), 2);
	assert_file(tmp_path("cmp.txt"), "older\n");
	assert_int_equal(count_named(e2e_tmp, "cmp.txt.slabsim-tmp."), 0);
	assert_int_equal(run_fsize(1 << 30, c), 0);
	char *text = slurp(tmp_path("cmp.txt"), NULL);
	assert_non_null(strstr(text, "operations"));
	free(text);

	/* standard output on a full disk (/dev/full): exit 2, said */
	if (access("/dev/full", W_OK) == 0) {
		char err[300];
		snprintf(err, sizeof(err), "%s/err.txt", e2e_tmp);
		pid_t pid = fork();
		if (pid == 0) {
			int full = open("/dev/full", O_WRONLY);
			int e = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
			dup2(full, 1);
			dup2(e, 2);
			execl(e2e_bin, e2e_bin, "compare", tmp_path("fd"),
			      tmp_path("fdref"), (char *)NULL);
			_exit(127);
		}
		int status;
		waitpid(pid, &status, 0);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 2);
		assert_refused("cannot write to standard output");
	}

	/* pictures: only with gnuplot */
	if (access("/usr/bin/gnuplot", X_OK) != 0) {
		fprintf(stderr, "note: no gnuplot, picture cases skipped\n");
		return;
	}
	const char *p[] = { e2e_bin, "compare", "--plot", tmp_path("cmp.png"),
			    tmp_path("fd"), tmp_path("fdref"), NULL };
	assert_int_equal(run_fsize(2000, p), 1);
	assert_false(exists(tmp_path("cmp.png")));
	assert_int_equal(count_named(e2e_tmp, "cmp.png.slabsim-tmp."), 0);
	assert_int_equal(run_fsize(1 << 30, p), 0);
	assert_true(exists(tmp_path("cmp.png")));

	const char *pl[] = { e2e_bin, "plot", tmp_path("fd"), NULL };
	assert_int_equal(run_fsize(2000, pl), 1);
	assert_int_equal(count_named(tmp_path("fd/plots"), ".png"), 0);
	/* listed plots/ only: the run directory is still replaceable */
	assert_int_equal(run("run", w, "-o", tmp_path("fd"), "-q", NULL), 0);
	/* and a plotted run directory is too */
	assert_int_equal(run("plot", tmp_path("fd"), NULL), 0);
	assert_true(count_named(tmp_path("fd/plots"), ".png") > 0);
	assert_int_equal(run("run", w, "-o", tmp_path("fd"), "-q", NULL), 0);
	assert_false(exists(tmp_path("fd/plots")));
}

/*
 * slabsim plot writes into DIR/plots and lists each picture in the run's
 * marker first; a picture of the same name it did not write (a user's)
 * is left alone, that plot is reported failed, and the run directory is
 * then, rightly, no longer one slabsim will replace.
 */
static void test_plot_keeps_users_pictures(void **state)
{
	(void)state;
	if (access("/usr/bin/gnuplot", X_OK) != 0) {
		fprintf(stderr, "note: no gnuplot, skipped\n");
		skip();
	}
	char w[600];
	snprintf(w, sizeof(w), "%s", tmp_path("small.yaml"));
	spit(w, small_yaml);
	assert_int_equal(run("run", w, "-o", tmp_path("pl"), "-q", NULL), 0);
	mkdir(tmp_path("pl/plots"), 0777);
	spit(tmp_path("pl/plots/locks.png"), "mine\n");
	assert_int_equal(run("plot", tmp_path("pl"), "--only", "locks", NULL), 1);
	assert_refused("locks.png exists and slabsim did not write it");
	assert_file(tmp_path("pl/plots/locks.png"), "mine\n");
	/* the svg it could write is listed */
	char *mk = slurp(tmp_path("pl/.slabsim-run"), NULL);
	assert_non_null(strstr(mk, "\nfile plots/locks.svg\n"));
	assert_null(strstr(mk, "plots/locks.png"));
	free(mk);
	assert_int_equal(run("run", w, "-o", tmp_path("pl"), "-q", NULL), 2);
	assert_file(tmp_path("pl/plots/locks.png"), "mine\n");
}

int main(void)
{
	if (e2e_setup("outdir"))
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_user_files_never_replaced),
		cmocka_unit_test(test_path_checked_first),
		cmocka_unit_test(test_sweep_dir_rules),
		cmocka_unit_test(test_sweep_equals_separate_runs),
		cmocka_unit_test(test_racing_runs_leave_one_complete_run),
		cmocka_unit_test(test_kill_leaves_old_or_new),
		cmocka_unit_test(test_full_disk_leaves_nothing_half_written),
		cmocka_unit_test(test_plot_keeps_users_pictures),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	e2e_teardown(rc);
	return rc;
}
