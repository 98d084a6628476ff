/*
 * slabsim diff BASE RUN: has a headline figure moved? The CI gate for a
 * baseline run kept in a repository: the same figures compare prints,
 * read through the same reader, checked against a tolerance in percent
 * of the baseline's value, exactly (integers, no rounding on the way).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/cli.h"
#include "sim/report/figures.h"
#include "sim/util.h"

static const char usage_diff[] =
	"usage: slabsim diff BASE RUN [--tolerance PCT] [--only KEY,...]\n"
	"\n"
	"Compares the headline figures of two run directories (those slabsim\n"
	"compare prints, read from summary.json) and prints each that changed:\n"
	"its value in BASE and in RUN, the change, and the change in percent\n"
	"of BASE's value. A figure moved when it changed by more than the\n"
	"tolerance; one present in only one run, a text that differs (status,\n"
	"workload, seed) or a change from 0 always moved.\n"
	"\n"
	"  --tolerance PCT   percent of BASE's value a figure may change by\n"
	"                    (default 0: any change moves it), e.g. 2 or 0.5\n"
	"  --only KEY,...    check only these figures (the keys of\n"
	"                    slabsim compare --format csv, e.g.\n"
	"                    lock_contentions,bytes_held)\n"
	"\n"
	"Exit status: 0 nothing moved beyond the tolerance; 1 something did\n"
	"(each is named); 2 bad input (not a run directory, a bad option).\n";

/* Tolerances keep this many decimal places exactly. */
#define TOL_SCALE	4

/* "5", "0.5", "2%": a percentage as a fixed point number, exactly. */
static bool parse_tolerance(const char *s, int64_t *tol)
{
	char buf[64];
	struct fixed f;
	size_t n = strlen(s);

	if (!n || n >= sizeof(buf))
		return false;
	memcpy(buf, s, n + 1);
	if (buf[n - 1] == '%')
		buf[n - 1] = '\0';
	if (!fixed_parse(buf, &f) || f.v < 0 || f.scale > TOL_SCALE)
		return false;
	for (; f.scale < TOL_SCALE; f.scale++)
		if (__builtin_mul_overflow(f.v, 10, &f.v))
			return false;
	if (f.v > (int64_t)1000000 * 10000)	/* a million percent */
		return false;
	*tol = f.v;
	return true;
}

/*
 * |b - a| / |a| * 100 in units of 10^-TOL_SCALE percent, rounded toward
 * zero, as a 128-bit integer; -1 when a is 0 (any change is infinite).
 */
static __int128 change_pct(const struct fixed *a, const struct fixed *b)
{
	__int128 d = (__int128)b->v - a->v;
	__int128 base = a->v < 0 ? -(__int128)a->v : a->v;

	if (d < 0)
		d = -d;
	if (!base)
		return -1;
	return d * 100 * 10000 / base;
}

/* "+12.5%" with one decimal, from change_pct units (rounded half up). */
static void pct_text(char *buf, size_t len, __int128 pct, bool neg)
{
	__int128 tenths = (pct + 500) / 1000;

	snprintf(buf, len, "%s%llu.%llu%%", neg ? "-" : "+",
		 (unsigned long long)(tenths / 10),
		 (unsigned long long)(tenths % 10));
}

/* Marks the figures named in a comma-separated list; exit 2 on a bad one. */
static void parse_only(const char *list, bool *want)
{
	char key[128];

	for (const char *p = list;;) {
		size_t n = strcspn(p, ",");
		if (!n || n >= sizeof(key))
			user_error("diff: --only %s: expected KEY,KEY,...", list);
		memcpy(key, p, n);
		key[n] = '\0';
		int i = figure_index(key);
		if (i < 0 || figures[i].only == TEXT_ONLY) {
			struct strbuf sb;
			sb_init(&sb);
			sb_puts(&sb, "");
			for (size_t m = 0; m < nr_figures; m++)
				if (figures[m].only != TEXT_ONLY)
					sb_printf(&sb, "%s%s", sb.len ? ", " : "",
						  figures[m].key);
			user_error("diff: --only: no figure '%s' (figures: %s)",
				   key, sb.buf);
		}
		want[i] = true;
		if (!p[n])
			break;
		p += n + 1;
	}
}

int cmd_diff(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "tolerance", required_argument, NULL, 't' },
		{ "only", required_argument, NULL, 'O' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool *want = xcalloc(nr_figures, sizeof(bool));
	const char *only = NULL, *tol_text = "0";
	int64_t tol = 0;
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			if (!parse_tolerance(optarg, &tol))
				user_error("diff: --tolerance %s: expected a "
					   "percentage such as 5 or 0.5", optarg);
			tol_text = optarg;
			break;
		case 'O': only = optarg; break;
		case 'h':
			fputs(usage_diff, stdout);
			free(want);
			return 0;
		default:
			user_error("diff: bad option '%s' (see slabsim diff --help)",
				   argv[optind - 1]);
		}
	}
	if (argc - optind != 2)
		user_error("diff: expected two run directories, BASE and RUN "
			   "(see slabsim diff --help)");
	if (only)
		parse_only(only, want);
	else
		for (size_t m = 0; m < nr_figures; m++)
			want[m] = figures[m].only != TEXT_ONLY;

	struct run_figs base, cur;
	figures_load("diff", argv[optind], &base);
	figures_load("diff", argv[optind + 1], &cur);

	int moved = 0, changed = 0, checked = 0;
	for (size_t m = 0; m < nr_figures; m++) {
		const struct cell *a = &base.cells[m], *b = &cur.cells[m];
		const char *key = figures[m].key;
		char pct[48] = "";
		bool beyond;

		if (!want[m])
			continue;
		checked++;
		if (!a->present && !b->present)
			continue;
		if (a->present != b->present) {
			char *v = printable(a->present ? a->text : b->text);
			printf("%-28s %s only in %s (%s)\n", key, "moved:",
			       a->present ? "BASE" : "RUN", v);
			free(v);
			moved++;
			changed++;
			continue;
		}
		struct fixed fa = a->f, fb = b->f;
		if (a->num && b->num && fixed_align(&fa, &fb)) {
			if (fa.v == fb.v)
				continue;
			__int128 p = change_pct(&fa, &fb);
			beyond = p < 0 || p > tol;
			if (p < 0)
				snprintf(pct, sizeof(pct), "from 0");
			else
				pct_text(pct, sizeof(pct), p, fb.v < fa.v);
		} else {
			if (!strcmp(a->text, b->text))
				continue;
			beyond = true;
			snprintf(pct, sizeof(pct), "changed");
		}
		struct cell d;
		char *va = printable(a->text), *vb = printable(b->text);
		bool have_d = cell_diff(a, b, &d);
		printf("%-28s %-8s %s -> %s (%s%s%s%s)\n", key,
		       beyond ? "moved:" : "within:", va, vb,
		       have_d && d.f.v > 0 ? "+" : "", have_d ? d.text : "",
		       have_d ? ", " : "", pct);
		free(va);
		free(vb);
		free(d.text);
		changed++;
		moved += beyond;
	}
	char tshow[80];
	snprintf(tshow, sizeof(tshow), "%.*s%%",
		 (int)strcspn(tol_text, "%"), tol_text);
	char *da = printable(base.dir), *db = printable(cur.dir);
	if (moved)
		printf("slabsim: diff: %d of %d figure%s moved beyond %s "
		       "(%s -> %s)\n", moved, checked, checked == 1 ? "" : "s",
		       tshow, da, db);
	else
		printf("slabsim: diff: no figure moved beyond %s of %d "
		       "(%d changed within it)\n", tshow, checked, changed);
	free(da);
	free(db);
	figures_free(&base);
	figures_free(&cur);
	free(want);
	return moved ? 1 : 0;
}
