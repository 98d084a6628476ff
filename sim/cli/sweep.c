/*
 * slabsim sweep: one workload over the cross product of some values. Each
 * point is an ordinary `slabsim run` in its own process, so a point's run
 * directory is byte for byte what that command alone would write, a
 * crashing point cannot take the others with it, and the same list of
 * commands can go to GNU parallel or a Slurm job array instead.
 */
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sim/cli.h"
#include "sim/report/compare.h"
#include "sim/progress.h"
#include "sim/report/outdir.h"
#include "sim/util.h"
#include "sim/workload.h"

static const char usage_sweep[] =
	"usage: slabsim sweep WORKLOAD --vary KEY=V1,V2,... [--vary ...] -o DIR\n"
	"                     [-j N] [--set KEY=VALUE]... [--emit-commands FILE]\n"
	"                     [--slurm FILE] [--force]\n"
	"\n"
	"Runs WORKLOAD once for every combination of the --vary values, each as\n"
	"its own `slabsim run WORKLOAD -o DIR/POINT --set KEY=V ...`, where POINT\n"
	"is named by the values, label-value pairs joined by '_' (e.g.\n"
	"limit-16_shared-8). Values that are all numbers (or all durations, all\n"
	"sizes, all rates) run in numeric order. Then writes DIR/compare.txt\n"
	"(figures as rows, points as columns, in blocks that fit 80 columns),\n"
	"compare.csv (tidy: one row per point, the varied values as columns\n"
	"first, durations in ns, sizes in bytes, rates per second), compare.json,\n"
	"compare.png (the headline figures against the first numeric --vary, one\n"
	"panel each, when gnuplot is installed) and DIR/points.txt: each point's\n"
	"name and the command that reruns it alone (giving the same bytes). DIR\n"
	"and its parents are created; an existing DIR must be empty or a sweep's.\n"
	"Keys are those of --set (see slabsim run --help); every value is\n"
	"checked before anything runs.\n"
	"\n"
"  --vary KEY=V1,V2,...   a key and its values (repeatable)\n"
	"  -o, --out DIR          where the points go (required)\n"
	"  -j, --jobs N           run at most N points at a time (default 1)\n"
	"  --set KEY=VALUE        a value every point gets (repeatable)\n"
	"  --emit-commands FILE   write the point commands (one per line, shell\n"
	"                         quoted, e.g. for GNU parallel); run nothing\n"
	"  --slurm FILE           write a Slurm job-array script running one point\n"
	"                         per task; run nothing\n"
	"  --force                let points make more than 10^10 allocations\n"
	"\n"
	"Exit status: 0 every point ran; 1 some point failed (each is named);\n"
	"2 bad input (nothing run, nothing written).\n";

#define SWEEP_MAX_POINTS	10000
#define SWEEP_MAX_JOBS		256
#define POINT_NAME_MAX		200

struct vary {
	char *key;
	char **vals;
	int nvals;
	const char *label;	/* the key's shortest unambiguous suffix */
	enum { VK_TEXT, VK_NUMBER, VK_NS, VK_BYTES, VK_RATE } kind;
	char **num;		/* each value as a number (kind != VK_TEXT) */
	char *column;		/* compare.csv's column: label[_ns|_bytes|_per_s] */
};

struct point {
	char *name;		/* directory name under DIR */
	char *dir;		/* DIR/name */
	char **argv;		/* the run command, NULL-terminated */
	int *idx;		/* the value of each --vary, by index */
	pid_t pid;
	int status;		/* exit status, or 128 + signal */
	char said[300];		/* the last line it printed on stderr */
	FILE *err;		/* its stderr while it runs */
};

struct sweep {
	const char *workload, *out, *emit, *slurm;
	int jobs;
	struct vary *vary;
	int nvary;
	const char **sets;	/* fixed --set values */
	int nsets;
	bool force;		/* --force, passed to every point */
	struct point *pts;
	int npts;
	char exe[4096];
	char wl_name[64];	/* the workload's name, for DIR's marker */
};

/* ------------------------------------------------------------------ */
/* The points                                                           */
/* ------------------------------------------------------------------ */

static void parse_vary(struct sweep *s, const char *arg)
{
	const char *eq = strchr(arg, '=');

	if (!eq || eq == arg || !eq[1])
		user_error("sweep: --vary %s: expected KEY=V1,V2,...", arg);
	for (const char *p = arg; *p; p++)
		if ((unsigned char)*p < 0x20)
			user_error("sweep: --vary: control character in '%s'", arg);
	s->vary = xrealloc(s->vary, (size_t)(s->nvary + 1) * sizeof(*s->vary));
	struct vary *v = &s->vary[s->nvary++];
	memset(v, 0, sizeof(*v));
	v->key = xcalloc(1, (size_t)(eq - arg) + 1);
	memcpy(v->key, arg, (size_t)(eq - arg));
	for (int i = 0; i < s->nvary - 1; i++)
		if (!strcmp(s->vary[i].key, v->key))
			user_error("sweep: --vary %s given twice", v->key);
	for (const char *p = eq + 1;;) {
		size_t n = strcspn(p, ",");
		if (n == 0)
			user_error("sweep: --vary %s: empty value", arg);
		char *val = xcalloc(1, n + 1);
		memcpy(val, p, n);
		for (int i = 0; i < v->nvals; i++)
			if (!strcmp(v->vals[i], val))
				user_error("sweep: --vary %s: value '%s' given twice",
					   v->key, val);
		v->vals = xrealloc(v->vals, (size_t)(v->nvals + 1) * sizeof(char *));
		v->vals[v->nvals++] = val;
		if (!p[n])
			break;
		p += n + 1;
	}
}

/*
 * Each key's label: its last dotted part, or as many parts as it takes to
 * tell it from the other keys (caches.a.tune.limit vs caches.b.tune.limit
 * become a.tune.limit and b.tune.limit).
 */
static void label_keys(struct sweep *s)
{
	for (int i = 0; i < s->nvary; i++) {
		const char *key = s->vary[i].key;
		const char *lab = key + strlen(key);
		for (;;) {
			/* one more dotted part */
			while (lab > key && lab[-1] != '.')
				lab--;
			bool unique = true;
			for (int j = 0; j < s->nvary && unique; j++) {
				const char *other = s->vary[j].key;
				size_t lo = strlen(other), ll = strlen(lab);
				if (j != i && lo >= ll &&
				    !strcmp(other + lo - ll, lab) &&
				    (lo == ll || other[lo - ll - 1] == '.'))
					unique = false;
			}
			if (unique || lab == key)
				break;
			lab--;	/* step over the dot */
		}
		s->vary[i].label = lab;
	}
}

/* What a point's name keeps; '_' joins the pairs, '-' a label to its value. */
static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.' ||
	       c == '+';
}

/*
 * "limit-16_shared-8" for one combination, with anything a shell word or
 * an awk field should not hold turned into '_'. Only the values decide
 * it, so it is the same on every run of the same sweep.
 */
static char *point_name(const struct sweep *s, const int *idx)
{
	struct strbuf sb;

	sb_init(&sb);
	for (int k = 0; k < s->nvary; k++)
		sb_printf(&sb, "%s%s-%s", k ? "_" : "", s->vary[k].label,
			  s->vary[k].vals[idx[k]]);
	for (char *p = sb.buf; *p; p++)
		if (!name_char(*p))
			*p = '_';
	if (sb.buf[0] == '.' || sb.buf[0] == '-')
		sb.buf[0] = '_';
	return sb.buf;
}

/* ------------------------------------------------------------------ */
/* Numeric values: their order and their columns                        */
/* ------------------------------------------------------------------ */

/*
 * A generator's rate as allocations per second, exactly: "2.5/ms" ->
 * "2500". Only the forms the loader reads (N/s, N/ms, N/us).
 */
static bool rate_number(const char *v, char *buf, size_t len)
{
	static const struct { const char *unit; int exp; } units[] = {
		{ "/s", 0 }, { "/ms", 3 }, { "/us", 6 },
	};
	const char *slash = strchr(v, '/');
	char num[40];
	struct fixed f;
	size_t i, n = slash ? (size_t)(slash - v) : 0;

	if (!n || n >= sizeof(num))
		return false;
	for (i = 0; i < (sizeof(units) / sizeof(units[0])); i++)
		if (!strcmp(slash, units[i].unit))
			break;
	memcpy(num, v, n);
	num[n] = '\0';
	if (i == (sizeof(units) / sizeof(units[0])) || !fixed_parse(num, &f) || f.v < 0)
		return false;
	for (int e = units[i].exp; e > 0; e--) {
		if (f.scale > 0)
			f.scale--;
		else if (f.v > INT64_MAX / 10)
			return false;
		else
			f.v *= 10;
	}
	fixed_str(buf, len, f);
	return true;
}

/* v as a number of kind k, in its text form (e.g. "1ms" -> "1000000"). */
static bool value_number(const char *v, int k, char *buf, size_t len)
{
	struct fixed f;
	uint64_t u;

	switch (k) {
	case VK_NUMBER:
		if (!fixed_parse(v, &f))
			return false;
		fixed_str(buf, len, f);
		return true;
	case VK_NS:
		if (!parse_duration(v, &u))
			return false;
		break;
	case VK_BYTES:
		if (!parse_bytes(v, &u))
			return false;
		break;
	case VK_RATE:
		return rate_number(v, buf, len);
	default:
		return false;
	}
	snprintf(buf, len, "%llu", (unsigned long long)u);
	return true;
}

/* Compare two numbers in value_number's text (decimal, maybe signed). */
static int num_cmp(const char *a, const char *b)
{
	struct fixed fa, fb;

	if (!fixed_parse(a, &fa) || !fixed_parse(b, &fb)) {
		/* beyond int64: both unsigned integers; longer is larger */
		size_t la = strlen(a), lb = strlen(b);
		return la != lb ? (la < lb ? -1 : 1) : strcmp(a, b);
	}
	if (!fixed_align(&fa, &fb))
		return strcmp(a, b);
	return fa.v < fb.v ? -1 : fa.v > fb.v;
}

/*
 * Each key's kind (all plain numbers, all durations, all sizes, all
 * rates, or text),
 * its values sorted numerically when they are numbers (a stable insertion
 * sort: the lists are short), and its compare.csv column name.
 */
static void order_values(struct sweep *s)
{
	static const char *const suffix[] = { "", "", "_ns", "_bytes", "_per_s" };
	char buf[64];

	for (int k = 0; k < s->nvary; k++) {
		struct vary *v = &s->vary[k];
		v->kind = VK_TEXT;
		for (int kind = VK_NUMBER; kind <= VK_RATE && !v->kind; kind++) {
			int i = 0;
			while (i < v->nvals &&
			       value_number(v->vals[i], kind, buf, sizeof(buf)))
				i++;
			if (i == v->nvals)
				v->kind = kind;
		}
		v->num = xcalloc((size_t)v->nvals, sizeof(char *));
		for (int i = 0; i < v->nvals; i++) {
			if (v->kind == VK_TEXT)
				v->num[i] = xstrdup(v->vals[i]);
			else if (value_number(v->vals[i], v->kind, buf, sizeof(buf)))
				v->num[i] = xstrdup(buf);
		}
		for (int i = 1; i < v->nvals && v->kind != VK_TEXT; i++) {
			for (int j = i; j > 0 && num_cmp(v->num[j - 1], v->num[j]) > 0;
			     j--) {
				char *t = v->num[j];
				v->num[j] = v->num[j - 1];
				v->num[j - 1] = t;
				t = v->vals[j];
				v->vals[j] = v->vals[j - 1];
				v->vals[j - 1] = t;
			}
		}
		size_t n = strlen(v->label) + 8;
		v->column = xcalloc(1, n);
		snprintf(v->column, n, "%s%s", v->label, suffix[v->kind]);
	}
}

static void make_points(struct sweep *s)
{
	long total = 1;

	for (int k = 0; k < s->nvary; k++) {
		total *= s->vary[k].nvals;
		if (total > SWEEP_MAX_POINTS)
			user_error("sweep: more than %d points; split the sweep",
				   SWEEP_MAX_POINTS);
	}
	s->npts = (int)total;
	s->pts = xcalloc((size_t)total, sizeof(*s->pts));
	int *idx = xcalloc((size_t)s->nvary, sizeof(int));
	for (int p = 0; p < s->npts; p++) {
		struct point *pt = &s->pts[p];

		/* The first --vary changes slowest. */
		int rest = p;
		for (int k = s->nvary - 1; k >= 0; k--) {
			idx[k] = rest % s->vary[k].nvals;
			rest /= s->vary[k].nvals;
		}
		pt->idx = xcalloc((size_t)s->nvary, sizeof(int));
		memcpy(pt->idx, idx, (size_t)s->nvary * sizeof(int));
		pt->name = point_name(s, idx);
		if (strlen(pt->name) > POINT_NAME_MAX) {
			char buf[32];
			snprintf(buf, sizeof(buf), "point-%d", p);
			free(pt->name);
			pt->name = xstrdup(buf);
		}
		/* Values that differ only in unsafe characters. */
		for (int q = 0; q < p; q++) {
			if (strcmp(s->pts[q].name, pt->name))
				continue;
			size_t n = strlen(pt->name) + 16;
			char *renamed = xcalloc(1, n);
			snprintf(renamed, n, "%s_%d", pt->name, p);
			free(pt->name);
			pt->name = renamed;
			q = -1;	/* check the new name against all again */
		}
		size_t n = strlen(s->out) + strlen(pt->name) + 2;
		pt->dir = xcalloc(1, n);
		snprintf(pt->dir, n, "%s/%s", s->out, pt->name);

		int argc = 0;
		pt->argv = xcalloc((size_t)(7 + 2 * (s->nsets + s->nvary)),
				   sizeof(char *));
		pt->argv[argc++] = s->exe;
		pt->argv[argc++] = xstrdup("run");
		pt->argv[argc++] = xstrdup(s->workload);
		pt->argv[argc++] = xstrdup("-o");
		pt->argv[argc++] = xstrdup(pt->dir);
		for (int i = 0; i < s->nsets; i++) {
			pt->argv[argc++] = xstrdup("--set");
			pt->argv[argc++] = xstrdup(s->sets[i]);
		}
		for (int k = 0; k < s->nvary; k++) {
			size_t m = strlen(s->vary[k].key) +
				   strlen(s->vary[k].vals[idx[k]]) + 2;
			pt->argv[argc++] = xstrdup("--set");
			pt->argv[argc] = xcalloc(1, m);
			snprintf(pt->argv[argc++], m, "%s=%s", s->vary[k].key,
				 s->vary[k].vals[idx[k]]);
		}
		if (s->force)
			pt->argv[argc++] = xstrdup("--force");
		pt->argv[argc] = NULL;
	}
	free(idx);
}

/*
 * Every point's overrides, applied to the workload as the point's run
 * will apply them: a bad key or value is a user error before anything
 * runs or is written.
 */
static void validate(struct sweep *s)
{
	struct workload wl;
	char err[512];

	for (int p = 0; p < s->npts; p++) {
		if (!workload_load(s->workload, &wl, err, sizeof(err)))
			user_error("%s", err);
		snprintf(s->wl_name, sizeof(s->wl_name), "%s", wl.name);
		/* argv: exe run WORKLOAD -o DIR, then --set pairs: the
		 * fixed ones first, then one per --vary. */
		char **a = s->pts[p].argv + 5;
		for (int i = 0; a[2 * i] && strcmp(a[2 * i], "--force"); i++)
			if (!workload_override(&wl, a[2 * i + 1], err, sizeof(err)))
				user_error("sweep: %s %s: %s",
					   i < s->nsets ? "--set" : "--vary",
					   a[2 * i + 1], err);
		/* the events, checked against this point's machine */
		struct wl_event ev;
		int rc;
		while ((rc = workload_next_event(&wl, &ev, err, sizeof(err))) == 1)
			;
		if (rc < 0)
			user_error("%s", err);
		workload_free(&wl);
	}
}

/* ------------------------------------------------------------------ */
/* Commands as text                                                     */
/* ------------------------------------------------------------------ */

/* One word for a POSIX shell: as is when harmless, else '...'. */
static void shell_word(struct strbuf *sb, const char *w)
{
	bool plain = *w != '\0';

	for (const char *p = w; *p && plain; p++)
		plain = name_char(*p) || *p == '/' || *p == ':' || *p == '@' ||
			*p == '%' || *p == '=' || *p == ',';
	if (plain) {
		sb_puts(sb, w);
		return;
	}
	sb_putc(sb, '\'');
	for (; *w; w++) {
		if (*w == '\'')
			sb_puts(sb, "'\\''");
		else
			sb_putc(sb, *w);
	}
	sb_putc(sb, '\'');
}

static void shell_command(struct strbuf *sb, char *const *argv)
{
	for (int i = 0; argv[i]; i++) {
		if (i)
			sb_putc(sb, ' ');
		shell_word(sb, argv[i]);
	}
}

static void write_or_die(const char *path, const struct strbuf *sb)
{
	if (!write_file_atomic(path, sb->buf ? sb->buf : "", sb->len))
		user_error("sweep: cannot write %s: %s", path, strerror(errno));
}

/* What a sweep writes into DIR itself, besides its points. */
static const char *const sweep_files[] = {
	"points.txt", "compare.txt", "compare.csv", "compare.json",
	"compare.png",
};

/*
 * DIR, fresh: a new directory holding only the sweep marker (which lists
 * every file and point the sweep may write) exchanged into place, and the
 * sweep directory it replaces (checked before anything ran) removed. The
 * points then run into it; a sweep killed part way leaves a directory
 * that is still recognisably a sweep, which the next sweep replaces.
 */
static void make_out_dir(const struct sweep *s)
{
	struct strbuf mk;
	char path[4200], why[600];

	sb_init(&mk);
	outdir_marker_begin(&mk, OUTDIR_SWEEP, s->wl_name);
	for (size_t i = 0; i < sizeof(sweep_files) / sizeof(sweep_files[0]); i++)
		outdir_marker_entry(&mk, "file", sweep_files[i]);
	for (int p = 0; p < s->npts; p++)
		outdir_marker_entry(&mk, "run", s->pts[p].name);
	char *tmp = outdir_mktemp(s->out);
	if (!tmp)
		user_error("sweep: cannot create a directory beside %s: %s",
			   s->out, strerror(errno));
	snprintf(path, sizeof(path), "%s/%s", tmp, OUTDIR_SWEEP_MARKER);
	if (!write_file(path, mk.buf, mk.len)) {
		int err = errno;
		unlink(path);
		rmdir(tmp);
		user_error("sweep: cannot write %s: %s", s->out, strerror(err));
	}
	sb_free(&mk);
	if (!outdir_install(tmp, s->out, OUTDIR_SWEEP, why, sizeof(why))) {
		outdir_remove(tmp, OUTDIR_SWEEP);
		user_error("sweep: -o %s: not replacing it: %s", s->out, why);
	}
	free(tmp);
}

static void write_points_txt(const struct sweep *s);

/*
 * --emit-commands and --slurm: the commands, written for someone else to
 * run. DIR is created (each run writes into it) and holds points.txt.
 */
static void emit(const struct sweep *s)
{
	struct strbuf list;

	sb_init(&list);
	sb_puts(&list, "");
	for (int p = 0; p < s->npts; p++) {
		shell_command(&list, s->pts[p].argv);
		sb_putc(&list, '\n');
	}
	make_out_dir(s);
	/* names the points, for compare and for rerunning one alone */
	write_points_txt(s);
	if (s->emit) {
		write_or_die(s->emit, &list);
		printf("slabsim: sweep: %d command%s written to %s\n", s->npts,
		       s->npts == 1 ? "" : "s", s->emit);
	}
	if (s->slurm) {
		struct strbuf sc;
		sb_init(&sc);
		sb_puts(&sc, "#!/bin/bash\n"
			"# A slabsim sweep as a Slurm job array: task i runs "
			"point i (line i + 1 below).\n"
			"# Submit with: sbatch ");
		shell_word(&sc, s->slurm);
		sb_puts(&sc, "\n# When every task is done, compare the points "
			"with:\n#   slabsim compare");
		for (int p = 0; p < s->npts; p++) {
			sb_putc(&sc, ' ');
			shell_word(&sc, s->pts[p].dir);
		}
		sb_printf(&sc, "\n#SBATCH --job-name=slabsim-sweep\n"
			  "#SBATCH --array=0-%d\n"
			  "#SBATCH --ntasks=1\n"
			  "set -eu\n", s->npts - 1);
		sb_puts(&sc, "mkdir -p ");
		shell_word(&sc, s->out);
		sb_puts(&sc, "\ncmd=$(sed -n \"$((SLURM_ARRAY_TASK_ID + 1))p\" "
			"<<'SLABSIM_POINTS'\n");
		sb_puts(&sc, list.buf);
		sb_puts(&sc, "SLABSIM_POINTS\n)\neval \"exec $cmd\"\n");
		write_or_die(s->slurm, &sc);
		chmod(s->slurm, 0755);
		printf("slabsim: sweep: Slurm array of %d task%s written to %s\n",
		       s->npts, s->npts == 1 ? "" : "s", s->slurm);
		sb_free(&sc);
	}
	sb_free(&list);
}

/* ------------------------------------------------------------------ */
/* Running the points                                                   */
/* ------------------------------------------------------------------ */

static int exit_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

/* The first line a failed point printed, for its one-line report. */
static void first_line(FILE *f, char *buf, size_t len)
{
	buf[0] = '\0';
	rewind(f);
	if (!fgets(buf, (int)len, f))
		buf[0] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	for (char *q = buf; *q; q++)
		if ((unsigned char)*q < 0x20)
			*q = ' ';
}

/* Run every point, at most s->jobs at a time; returns how many failed. */
static int run_points(struct sweep *s)
{
	bool tty = isatty(STDERR_FILENO);
	int next = 0, running = 0, done = 0, failed = 0;

	while (done < s->npts) {
		while (running < s->jobs && next < s->npts) {
			struct point *pt = &s->pts[next++];
			pt->err = tmpfile();
			if (!pt->err)
				user_error("sweep: tmpfile: %s", strerror(errno));
			pt->pid = spawn(pt->argv, -1, pt->err);
			running++;
		}
		progress_sweep(tty, (unsigned)done, (unsigned)s->npts,
			       (unsigned)running);
		int status;
		pid_t pid = waitpid(-1, &status, 0);
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			user_error("sweep: waitpid: %s", strerror(errno));
		}
		for (int p = 0; p < next; p++) {
			struct point *pt = &s->pts[p];
			if (pt->pid != pid || !pt->err)
				continue;
			pt->status = exit_code(status);
			if (pt->status)
				first_line(pt->err, pt->said, sizeof(pt->said));
			fclose(pt->err);
			pt->err = NULL;
			running--;
			done++;
			failed += pt->status != 0;
		}
	}
	progress_end();
	/* In point order, whatever order they finished in. */
	for (int p = 0; p < s->npts; p++)
		if (s->pts[p].status)
			fprintf(stderr, "slabsim: sweep: point %s failed (exit %d)%s%s\n",
				s->pts[p].name, s->pts[p].status,
				s->pts[p].said[0] ? ": " : "", s->pts[p].said);
	return failed;
}

/*
 * DIR/compare.{txt,csv,json} over the points that left a run directory,
 * the varied values as the parameters, and with gnuplot installed the
 * sweep drawn as DIR/compare.png. Returns false when it failed.
 */
static bool compare_points(const struct sweep *s)
{
	static const char *const files[] = { "compare.txt", "compare.csv",
					     "compare.json", "compare.png" };
	char path[4200], sum[4400];
	struct cmp_table t = { .nparams = s->nvary, .x_param = -1 };
	const char **names = xcalloc((size_t)s->nvary, sizeof(char *));
	bool ok = true;

	for (int f = 0; f < 4; f++) {
		snprintf(path, sizeof(path), "%s/%s", s->out, files[f]);
		unlink(path);
	}
	for (int k = 0; k < s->nvary; k++) {
		names[k] = s->vary[k].column;
		if (t.x_param < 0 && s->vary[k].kind != VK_TEXT)
			t.x_param = k;
	}
	t.param_names = names;
	t.runs = xcalloc((size_t)s->npts, sizeof(*t.runs));
	t.param_vals = xcalloc((size_t)s->npts * (size_t)s->nvary, sizeof(char *));
	for (int p = 0; p < s->npts; p++) {
		snprintf(sum, sizeof(sum), "%s/summary.json", s->pts[p].dir);
		if (access(sum, F_OK) != 0)
			continue;
		figures_load("sweep", s->pts[p].dir, &t.runs[t.nr]);
		for (int k = 0; k < s->nvary; k++)
			t.param_vals[t.nr * s->nvary + k] =
				s->vary[k].num[s->pts[p].idx[k]];
		t.nr++;
	}
	if (!t.nr) {
		fputs("slabsim: sweep: no point left a run directory; "
		      "nothing to compare\n", stderr);
		ok = false;
	}
	for (int f = 0; f < 3 && ok; f++) {
		struct strbuf sb;
		sb_init(&sb);
		sb_puts(&sb, "");
		if (f == 0)
			compare_text(&t, COMPARE_WIDTH, &sb);
		else if (f == 1)
			compare_csv(&t, &sb);
		else
			compare_json(&t, &sb);
		snprintf(path, sizeof(path), "%s/%s", s->out, files[f]);
		write_or_die(path, &sb);
		sb_free(&sb);
	}
	char *gnuplot = find_gnuplot();
	if (ok && gnuplot && !strpbrk(s->out, "'\n\r")) {
		snprintf(path, sizeof(path), "%s/compare.png", s->out);
		ok = compare_plot_file(&t, path, "sweep") == 0;
	}
	free(gnuplot);
	for (int i = 0; i < t.nr; i++)
		figures_free(&t.runs[i]);
	free(t.runs);
	free(t.param_vals);
	free(names);
	return ok;
}

static void write_points_txt(const struct sweep *s)
{
	struct strbuf sb;
	char path[4200];

	sb_init(&sb);
	sb_puts(&sb, "");
	for (int p = 0; p < s->npts; p++) {
		sb_puts(&sb, s->pts[p].name);
		sb_putc(&sb, '\t');
		shell_command(&sb, s->pts[p].argv);
		sb_putc(&sb, '\n');
	}
	snprintf(path, sizeof(path), "%s/points.txt", s->out);
	write_or_die(path, &sb);
	sb_free(&sb);
}

/* Show compare.txt, so the sweep ends with its result on the screen. */
static void print_table(const struct sweep *s)
{
	char path[4200];
	char buf[4096];
	size_t n;

	snprintf(path, sizeof(path), "%s/compare.txt", s->out);
	FILE *f = fopen(path, "rb");
	if (!f)
		return;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		fwrite(buf, 1, n, stdout);
	fclose(f);
}

/* ------------------------------------------------------------------ */
/* The command                                                          */
/* ------------------------------------------------------------------ */

static void free_sweep(struct sweep *s)
{
	for (int p = 0; p < s->npts; p++) {
		for (int i = 1; s->pts[p].argv[i]; i++)
			free(s->pts[p].argv[i]);
		free(s->pts[p].argv);
		free(s->pts[p].idx);
		free(s->pts[p].name);
		free(s->pts[p].dir);
	}
	free(s->pts);
	for (int k = 0; k < s->nvary; k++) {
		for (int i = 0; i < s->vary[k].nvals; i++) {
			free(s->vary[k].vals[i]);
			free(s->vary[k].num ? s->vary[k].num[i] : NULL);
		}
		free(s->vary[k].vals);
		free(s->vary[k].num);
		free(s->vary[k].column);
		free(s->vary[k].key);
	}
	free(s->vary);
	free(s->sets);
}

int cmd_sweep(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "vary", required_argument, NULL, 'V' },
		{ "out", required_argument, NULL, 'o' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "set", required_argument, NULL, 'S' },
		{ "emit-commands", required_argument, NULL, 'E' },
		{ "slurm", required_argument, NULL, 'B' },
		{ "force", no_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct sweep s = { .jobs = 1 };
	char *end;
	int c;

	s.sets = xcalloc((size_t)argc, sizeof(char *));
	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:j:h", opts, NULL)) != -1) {
		switch (c) {
		case 'V': parse_vary(&s, optarg); break;
		case 'o': s.out = optarg; break;
		case 'j':
			errno = 0;
			long j = strtol(optarg, &end, 10);
			if (errno || *end || end == optarg || j < 1 ||
			    j > SWEEP_MAX_JOBS)
				user_error("sweep: -j %s: expected a number from 1 "
					   "to %d", optarg, SWEEP_MAX_JOBS);
			s.jobs = (int)j;
			break;
		case 'S':
			if (!strchr(optarg, '='))
				user_error("sweep: --set %s: expected KEY=VALUE", optarg);
			s.sets[s.nsets++] = optarg;
			break;
		case 'E': s.emit = optarg; break;
		case 'B': s.slurm = optarg; break;
		case 'F':
			s.force = true;
			workload_allow_huge(true);
			break;
		case 'h':
			fputs(usage_sweep, stdout);
			free(s.sets);
			return 0;
		default:
			user_error("sweep: bad option '%s' (see slabsim sweep --help)",
				   argv[optind - 1]);
		}
	}
	if (optind != argc - 1)
		user_error("sweep: expected one WORKLOAD file (see slabsim sweep --help)");
	s.workload = argv[optind];
	if (!s.out)
		user_error("sweep: -o DIR is required (see slabsim sweep --help)");
	if (!s.nvary)
		user_error("sweep: at least one --vary KEY=V1,V2,... is required");
	/*
	 * DIR is checked now, before any point runs: only a directory an
	 * earlier sweep made (its marker lists every entry) is replaced.
	 * The chart is drawn by gnuplot, which cannot be given a path with a
	 * quote or a line break; that too is known now, not after the points.
	 */
	char *out = outdir_check_or_die("sweep", s.out, OUTDIR_SWEEP);
	s.out = out;
	if (!s.emit && !s.slurm && strpbrk(out, "'\n\r"))
		user_error("sweep: -o %s: a path with a single quote or a line "
			   "break cannot be passed to gnuplot for compare.png; "
			   "rename it", out);
	ssize_t n = readlink("/proc/self/exe", s.exe, sizeof(s.exe) - 1);
	if (n <= 0)
		user_error("sweep: cannot find the slabsim binary: %s",
			   strerror(errno));
	s.exe[n] = '\0';

	label_keys(&s);
	order_values(&s);
	make_points(&s);
	validate(&s);

	if (s.emit || s.slurm) {
		emit(&s);
		free_sweep(&s);
		free(out);
		return 0;
	}

	make_out_dir(&s);
	int failed = run_points(&s);
	write_points_txt(&s);
	bool compared = compare_points(&s);
	if (compared)
		print_table(&s);
	printf("slabsim: sweep: %d of %d point%s ran, written to %s\n",
	       s.npts - failed, s.npts, s.npts == 1 ? "" : "s", s.out);
	free_sweep(&s);
	free(out);
	return failed || !compared ? 1 : 0;
}
