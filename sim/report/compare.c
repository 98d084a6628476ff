/*
 * slabsim compare: runs side by side. Every figure comes from a run
 * directory's summary.json (sim/report/figures.c, through the one reader), so a
 * comparison needs nothing but the files a run left behind, and works on
 * runs made by another build or copied from another machine. The output
 * forms are shared with sweep, which adds its varied parameters.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sim/cli.h"
#include "sim/report/compare.h"
#include "sim/util.h"

static const char usage_compare[] =
	"usage: slabsim compare DIR... [--format text|csv|json] [-o FILE]\n"
	"                       [--width N] [--plot FILE.png|FILE.svg]\n"
	"\n"
	"Puts the headline figures of run directories side by side, one column\n"
	"per run (named by the directory's last component), with the difference\n"
	"of every run to the first one. Everything is read from summary.json.\n"
	"\n"
	"  --format text|csv|json  text (default): figures as rows, runs as\n"
	"                          columns, wrapped into blocks that fit --width;\n"
	"                          csv: one row per run (tidy: run, then one\n"
	"                          column per figure); json: values and\n"
	"                          differences\n"
	"  -o, --out FILE          write there instead of standard output\n"
	"  --width N               text lines at most N characters (default 80)\n"
	"  --plot FILE             draw the headline figures with gnuplot, one\n"
	"                          panel each, runs along the x axis (.svg gives\n"
	"                          SVG, anything else PNG)\n"
	"\n"
	"Exit status: 0 ok; 1 gnuplot failed on the plot; 2 bad input (a\n"
	"directory that is not a run, a bad summary.json, a bad option).\n";

/* ------------------------------------------------------------------ */
/* Text: blocks of columns                                              */
/* ------------------------------------------------------------------ */

static void pad(struct strbuf *sb, size_t n)
{
	while (n--)
		sb_putc(sb, ' ');
}

/* "(+6)", "(-0.125)", "(=)"; "" when there is no difference to show. */
static char *diff_text(const struct cell *first, const struct cell *c)
{
	struct cell d;
	char *t;

	if (!cell_diff(first, c, &d))
		return xstrdup("");
	if (d.f.v == 0) {
		t = xstrdup("(=)");
	} else {
		size_t n = strlen(d.text) + 4;
		t = xcalloc(1, n);
		snprintf(t, n, "(%s%s)", d.f.v > 0 ? "+" : "", d.text);
	}
	free(d.text);
	return t;
}

/* Drop the spaces a line ends with (the last column's padding). */
static void end_line(struct strbuf *sb)
{
	while (sb->len && sb->buf[sb->len - 1] == ' ')
		sb->buf[--sb->len] = '\0';
	sb_putc(sb, '\n');
}

void compare_text(const struct cmp_table *t, int width, struct strbuf *sb)
{
	size_t rows[64], nrows = 0, lw = 0;
	size_t nr = (size_t)t->nr;

	for (size_t m = 0; m < nr_figures && nrows < 64; m++)
		if (figures[m].only != DATA_ONLY)
			rows[nrows++] = m;
	for (size_t r = 0; r < nrows; r++)
		if (strlen(figures[rows[r]].label) > lw)
			lw = strlen(figures[rows[r]].label);

	/* Every cell's text first: the widths decide the blocks. */
	char **vals = xcalloc(nrows * nr + 1, sizeof(char *));
	char **diffs = xcalloc(nrows * nr + 1, sizeof(char *));
	size_t *vw = xcalloc(nr + 1, sizeof(size_t));
	size_t *dw = xcalloc(nr + 1, sizeof(size_t));
	for (size_t i = 0; i < nr; i++) {
		vw[i] = strlen(t->runs[i].name);
		for (size_t r = 0; r < nrows; r++) {
			const struct cell *c = &t->runs[i].cells[rows[r]];
			size_t k = r * nr + i;
			vals[k] = c->present ? printable(c->text) : xstrdup("-");
			diffs[k] = i ? diff_text(&t->runs[0].cells[rows[r]], c) :
				   xstrdup("");
			if (strlen(vals[k]) > vw[i])
				vw[i] = strlen(vals[k]);
			if (strlen(diffs[k]) > dw[i])
				dw[i] = strlen(diffs[k]);
		}
	}

	for (size_t first = 0; first < nr;) {
		/* As many whole columns as fit; always at least one. */
		size_t used = lw, last = first;
		while (last < nr) {
			size_t w = 2 + vw[last] + (dw[last] ? dw[last] + 1 : 0);
			if (last > first && used + w > (size_t)width)
				break;
			used += w;
			last++;
		}
		if (first)
			sb_putc(sb, '\n');
		pad(sb, lw);
		for (size_t i = first; i < last; i++) {
			sb_puts(sb, "  ");
			pad(sb, vw[i] - strlen(t->runs[i].name));
			sb_puts(sb, t->runs[i].name);
			pad(sb, dw[i] ? dw[i] + 1 : 0);
		}
		end_line(sb);
		for (size_t r = 0; r < nrows; r++) {
			const char *label = figures[rows[r]].label;
			sb_puts(sb, label);
			pad(sb, lw - strlen(label));
			for (size_t i = first; i < last; i++) {
				size_t k = r * nr + i;
				sb_puts(sb, "  ");
				pad(sb, vw[i] - strlen(vals[k]));
				sb_puts(sb, vals[k]);
				if (dw[i]) {
					sb_putc(sb, ' ');
					sb_puts(sb, diffs[k]);
					pad(sb, dw[i] - strlen(diffs[k]));
				}
			}
			end_line(sb);
		}
		first = last;
	}
	for (size_t k = 0; k < nrows * nr; k++) {
		free(vals[k]);
		free(diffs[k]);
	}
	free(vals);
	free(diffs);
	free(vw);
	free(dw);
}

/* ------------------------------------------------------------------ */
/* CSV and JSON                                                         */
/* ------------------------------------------------------------------ */

void compare_csv(const struct cmp_table *t, struct strbuf *sb)
{
	sb_puts(sb, "run");
	for (int p = 0; p < t->nparams; p++) {
		sb_putc(sb, ',');
		sb_put_csv_field(sb, t->param_names[p]);
	}
	for (size_t m = 0; m < nr_figures; m++) {
		if (figures[m].only == TEXT_ONLY)
			continue;
		sb_putc(sb, ',');
		sb_puts(sb, figures[m].key);
	}
	sb_putc(sb, '\n');
	for (int i = 0; i < t->nr; i++) {
		sb_put_csv_field(sb, t->runs[i].name);
		for (int p = 0; p < t->nparams; p++) {
			sb_putc(sb, ',');
			sb_put_csv_field(sb, t->param_vals[i * t->nparams + p]);
		}
		for (size_t m = 0; m < nr_figures; m++) {
			const struct cell *c = &t->runs[i].cells[m];
			if (figures[m].only == TEXT_ONLY)
				continue;
			sb_putc(sb, ',');
			if (c->present)
				sb_put_csv_field(sb, c->text);
		}
		sb_putc(sb, '\n');
	}
}

static void json_cell(struct strbuf *sb, const struct cell *c)
{
	if (!c->present)
		sb_puts(sb, "null");
	else if (c->str)
		sb_put_json_str(sb, c->text);
	else
		sb_puts(sb, c->text);	/* a number or true/false */
}

/* A parameter's value: a number as one, anything else as a string. */
static void json_param(struct strbuf *sb, const char *v)
{
	struct fixed f;

	if (fixed_parse(v, &f))
		sb_puts(sb, v);
	else
		sb_put_json_str(sb, v);
}

void compare_json(const struct cmp_table *t, struct strbuf *sb)
{
	sb_puts(sb, "{\n  \"runs\": [");
	for (int i = 0; i < t->nr; i++) {
		sb_puts(sb, i ? ",\n    {\"name\": " : "\n    {\"name\": ");
		sb_put_json_str(sb, t->runs[i].name);
		sb_puts(sb, ", \"dir\": ");
		sb_put_json_str(sb, t->runs[i].dir);
		if (t->nparams) {
			sb_puts(sb, ", \"params\": {");
			for (int p = 0; p < t->nparams; p++) {
				sb_puts(sb, p ? ", " : "");
				sb_put_json_str(sb, t->param_names[p]);
				sb_puts(sb, ": ");
				json_param(sb, t->param_vals[i * t->nparams + p]);
			}
			sb_puts(sb, "}");
		}
		sb_puts(sb, "}");
	}
	sb_puts(sb, "\n  ],\n  \"metrics\": [");
	bool first = true;
	for (size_t m = 0; m < nr_figures; m++) {
		if (figures[m].only == TEXT_ONLY)
			continue;
		sb_printf(sb, "%s\n    {\"key\": \"%s\", \"label\": ",
			  first ? "" : ",", figures[m].key);
		sb_put_json_str(sb, figures[m].label +
			    strspn(figures[m].label, " "));
		sb_puts(sb, ", \"values\": [");
		for (int i = 0; i < t->nr; i++) {
			if (i)
				sb_puts(sb, ", ");
			json_cell(sb, &t->runs[i].cells[m]);
		}
		sb_puts(sb, "], \"diff\": [");
		for (int i = 0; i < t->nr; i++) {
			struct cell d;
			if (i)
				sb_puts(sb, ", ");
			if (cell_diff(&t->runs[0].cells[m], &t->runs[i].cells[m], &d))
				json_cell(sb, &d);
			else
				sb_puts(sb, "null");
			free(d.text);
		}
		sb_puts(sb, "]}");
		first = false;
	}
	sb_puts(sb, "\n  ]\n}\n");
}

/* ------------------------------------------------------------------ */
/* The figure: one panel per headline figure                            */
/* ------------------------------------------------------------------ */

/* A name inside a gnuplot single-quoted string: no quotes, escapes or
 * control characters survive. */
static void gp_text(struct strbuf *sb, const char *s)
{
	sb_putc(sb, '\'');
	for (; *s; s++)
		sb_putc(sb, (*s == '\'' || *s == '"' || *s == '\\' ||
			     (unsigned char)*s < 0x20) ? '_' : *s);
	sb_putc(sb, '\'');
}

/* Runs i and j lie on one line of the plot: all parameters but x agree. */
static bool same_series(const struct cmp_table *t, int i, int j)
{
	for (int p = 0; p < t->nparams; p++)
		if (p != t->x_param &&
		    strcmp(t->param_vals[i * t->nparams + p],
			   t->param_vals[j * t->nparams + p]))
			return false;
	return true;
}

/* "shared=8, batchcount=4": what tells a line from the others. */
static void series_title(const struct cmp_table *t, int i, struct strbuf *sb)
{
	bool first = true;

	for (int p = 0; p < t->nparams; p++) {
		if (p == t->x_param)
			continue;
		sb_printf(sb, "%s%s=%s", first ? "" : ", ", t->param_names[p],
			  t->param_vals[i * t->nparams + p]);
		first = false;
	}
}

void compare_plot_script(const struct cmp_table *t, const char *out,
			 bool svg, struct strbuf *sb)
{
	size_t npanels = 0, panels[16];
	int *series = xcalloc((size_t)t->nr + 1, sizeof(int));
	int nseries = 0;

	for (size_t m = 0; m < nr_figures && npanels < 16; m++) {
		bool any = false;
		for (int i = 0; i < t->nr; i++)
			any |= t->runs[i].cells[m].num;
		if (figures[m].panel && any)
			panels[npanels++] = m;
	}
	/* The lines: runs grouped by every parameter but x, in run order. */
	for (int i = 0; i < t->nr; i++) {
		series[i] = -1;
		for (int j = 0; j < i && series[i] < 0; j++)
			if (t->x_param >= 0 && same_series(t, i, j))
				series[i] = series[j];
		if (series[i] < 0)
			series[i] = t->x_param >= 0 ? nseries++ : 0;
	}
	if (t->x_param < 0)
		nseries = 1;

	size_t cols = npanels > 1 ? 2 : 1, rws = (npanels + cols - 1) / cols;
	sb_printf(sb, "set terminal %s size %zu,%zu noenhanced\n",
		  svg ? "svg" : "png", 560 * cols, 80 + 340 * (rws ? rws : 1));
	sb_puts(sb, "set output ");
	gp_text(sb, out);
	sb_puts(sb, "\nset grid\nset key top left\nset style data linespoints\n");
	/* One data block per line: x (or the run's position), then a
	 * column per panel, '-' where the figure is absent. */
	for (int s = 0; s < nseries; s++) {
		sb_printf(sb, "$s%d << EOD\n", s);
		for (int i = 0; i < t->nr; i++) {
			if (series[i] != s)
				continue;
			if (t->x_param >= 0)
				sb_puts(sb, t->param_vals[i * t->nparams +
							  t->x_param]);
			else
				sb_printf(sb, "%d", i);
			for (size_t p = 0; p < npanels; p++) {
				const struct cell *c = &t->runs[i].cells[panels[p]];
				sb_putc(sb, ' ');
				sb_puts(sb, c->num ? c->text : "-");
			}
			sb_puts(sb, " \"");
			for (const char *q = t->runs[i].name; *q; q++)
				sb_putc(sb, *q == '"' || *q == '\\' ? '_' : *q);
			sb_puts(sb, "\"\n");
		}
		sb_puts(sb, "EOD\n");
	}
	sb_puts(sb, "set datafile missing '-'\n");
	sb_printf(sb, "set multiplot layout %zu,%zu title ", rws ? rws : 1, cols);
	gp_text(sb, t->x_param >= 0 ? "slabsim sweep" : "slabsim compare");
	sb_putc(sb, '\n');
	sb_puts(sb, "set xlabel ");
	gp_text(sb, t->x_param >= 0 ? t->param_names[t->x_param] : "run");
	sb_putc(sb, '\n');
	if (t->x_param < 0) {
		sb_puts(sb, "set xtics rotate by 30 right\nset offsets 0.3, 0.3, 0, 0\n");
	} else {
		/* One value of x (one point left): gnuplot would warn. */
		bool one = true;
		for (int i = 1; i < t->nr; i++)
			one &= !strcmp(t->param_vals[i * t->nparams + t->x_param],
				       t->param_vals[t->x_param]);
		if (one)
			sb_printf(sb, "set xrange [%s-1:%s+1]\n",
				  t->param_vals[t->x_param],
				  t->param_vals[t->x_param]);
	}
	for (size_t p = 0; p < npanels; p++) {
		sb_puts(sb, "set title ");
		gp_text(sb, figures[panels[p]].label + strspn(figures[panels[p]].label, " "));
		sb_putc(sb, '\n');
		/* All runs alike: gnuplot would warn of an empty range. */
		double lo = 0, hi = 0;
		bool seen = false;
		for (int i = 0; i < t->nr; i++) {
			const struct cell *c = &t->runs[i].cells[panels[p]];
			double d = cell_double(c);
			if (!c->num)
				continue;
			lo = !seen || d < lo ? d : lo;
			hi = !seen || d > hi ? d : hi;
			seen = true;
		}
		if (lo == hi)
			sb_printf(sb, "set yrange [%.6g:%.6g]\n", lo - 1 - lo / 10,
				  hi + 1 + hi / 10);
		else
			sb_puts(sb, "set autoscale y\n");
		sb_puts(sb, "plot ");
		for (int s = 0; s < nseries; s++) {
			int first_run = 0;
			while (series[first_run] != s)
				first_run++;
			sb_printf(sb, "%s$s%d using 1:%zu", s ? ", " : "", s, p + 2);
			if (t->x_param < 0)
				sb_printf(sb, ":xtic(%zu)", npanels + 2);
			if (nseries > 1) {
				struct strbuf title;
				sb_init(&title);
				sb_puts(&title, "");
				series_title(t, first_run, &title);
				sb_puts(sb, " title ");
				gp_text(sb, title.buf);
				sb_free(&title);
			} else {
				sb_puts(sb, " notitle");
			}
		}
		sb_putc(sb, '\n');
	}
	if (!npanels)
		sb_puts(sb, "set title 'no figure to draw'\nunset key\n"
			"plot [0:1] [0:1] NaN notitle\n");
	sb_puts(sb, "unset multiplot\n");
	free(series);
}

int compare_gnuplot(const char *cmd, const struct strbuf *script)
{
	int fd[2];
	pid_t pid;
	int status;

	char *gnuplot = find_gnuplot();
	if (!gnuplot) {
		fprintf(stderr, "slabsim: %s: gnuplot not found; install it "
			"with: apt-get install gnuplot-nox\n", cmd);
		return 2;
	}
	if (pipe(fd) != 0)
		user_error("%s: pipe: %s", cmd, strerror(errno));
	/* gnuplot must not hold the write end, or it never sees the end */
	fcntl(fd[0], F_SETFD, FD_CLOEXEC);
	fcntl(fd[1], F_SETFD, FD_CLOEXEC);
	char *const argv[] = { gnuplot, NULL };
	pid = spawn(argv, fd[0], NULL);
	close(fd[0]);
	/* gnuplot may die before reading it all; that shows in its status. */
	signal(SIGPIPE, SIG_IGN);
	for (size_t off = 0; off < script->len;) {
		ssize_t w = write(fd[1], script->buf + off, script->len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	close(fd[1]);
	free(gnuplot);
	status = wait_child(pid);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		return 2;
	fprintf(stderr, "slabsim: %s: gnuplot failed on the plot\n", cmd);
	return 1;
}

/*
 * The chart of t into plot (.png or .svg): gnuplot draws into a temporary
 * beside it and only a whole picture is renamed into place (a full disk
 * can leave gnuplot content with a truncated file). 0, or the failure
 * said on stderr under cmd's name.
 */
int compare_plot_file(const struct cmp_table *t, const char *plot,
		      const char *cmd)
{
	size_t n = strlen(plot);
	bool svg = n >= 4 && !strcmp(plot + n - 4, ".svg");
	char *tmp = temp_beside(plot);
	struct strbuf script;
	int status;

	if (!tmp) {
		fprintf(stderr, "slabsim: %s: cannot write %s: %s\n", cmd, plot,
			strerror(errno));
		return 1;
	}
	sb_init(&script);
	compare_plot_script(t, tmp, svg, &script);
	status = compare_gnuplot(cmd, &script);
	sb_free(&script);
	if (status == 0 && !image_complete(tmp, svg)) {
		fprintf(stderr, "slabsim: %s: %s: gnuplot left an incomplete "
			"picture (disk full?); not kept\n", cmd, plot);
		status = 1;
	}
	if (status == 0 && rename(tmp, plot) != 0) {
		fprintf(stderr, "slabsim: %s: cannot write %s: %s\n", cmd, plot,
			strerror(errno));
		status = 1;
	}
	if (status != 0)
		unlink(tmp);
	free(tmp);
	return status;
}

/* ------------------------------------------------------------------ */
/* The command                                                          */
/* ------------------------------------------------------------------ */

int cmd_compare(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "out", required_argument, NULL, 'o' },
		{ "plot", required_argument, NULL, 'p' },
		{ "width", required_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *format = "text", *out = NULL, *plot = NULL;
	int c, width = COMPARE_WIDTH;
	char *end;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "f:o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'f': format = optarg; break;
		case 'o': out = optarg; break;
		case 'p': plot = optarg; break;
		case 'w':
			errno = 0;
			long w = strtol(optarg, &end, 10);
			if (errno || *end || end == optarg || w < 20 || w > 10000)
				user_error("compare: --width %s: expected a number "
					   "from 20 to 10000", optarg);
			width = (int)w;
			break;
		case 'h':
			fputs(usage_compare, stdout);
			return 0;
		default:
			user_error("compare: bad option '%s' (see slabsim compare --help)",
				   argv[optind - 1]);
		}
	}
	if (strcmp(format, "text") && strcmp(format, "csv") &&
	    strcmp(format, "json"))
		user_error("compare: --format must be text, csv or json, not '%s'",
			   format);
	if (optind >= argc)
		user_error("compare: expected one or more run directories "
			   "(see slabsim compare --help)");
	if (plot && strpbrk(plot, "'\n\r"))
		user_error("compare: --plot %s: a path with a single quote or a "
			   "line break cannot be passed to gnuplot; rename it", plot);

	struct cmp_table t = { .nr = argc - optind, .x_param = -1 };
	t.runs = xcalloc((size_t)t.nr, sizeof(*t.runs));
	for (int i = 0; i < t.nr; i++)
		figures_load("compare", argv[optind + i], &t.runs[i]);
	figures_disambiguate(t.runs, t.nr);

	struct strbuf sb;
	sb_init(&sb);
	sb_puts(&sb, "");
	if (!strcmp(format, "csv"))
		compare_csv(&t, &sb);
	else if (!strcmp(format, "json"))
		compare_json(&t, &sb);
	else
		compare_text(&t, width, &sb);
	if (out) {
		if (!write_file_atomic(out, sb.buf, sb.len))
			user_error("compare: cannot write %s: %s", out,
				   strerror(errno));
	} else if (fwrite(sb.buf, 1, sb.len, stdout) != sb.len) {
		user_error("compare: cannot write to standard output");
	}

	int status = 0;
	if (plot)
		status = compare_plot_file(&t, plot, "compare");

	sb_free(&sb);
	for (int i = 0; i < t.nr; i++)
		figures_free(&t.runs[i]);
	free(t.runs);
	return status;
}
