#ifndef SLABSIM_SIM_FIGURES_H
#define SLABSIM_SIM_FIGURES_H
/*
 * The headline figures of a run: the set compare prints, diff checks and a
 * sweep tabulates and draws, each worked out from summary.json (through
 * sim/summary.h, the one reader). A "cell" is one figure of one run.
 */
#include <stdbool.h>
#include <stddef.h>

#include "sim/report/summary.h"

/* One figure of one run, ready to print. */
struct cell {
	bool present;
	bool num;		/* exact number: f */
	bool str;		/* a string (quoted in JSON) */
	struct fixed f;
	char *text;		/* as printed */
};

enum fig_kind {
	F_PLAIN,	/* the value at path, as it is */
	F_PAIR,		/* "path/path2", text only */
	F_UTIL,		/* path / path2, three decimals */
	F_DIFF,		/* path - path2 */
	F_NS_US,	/* nanoseconds at path, as microseconds */
	F_ZONE,		/* zones[node 0, Normal].path */
};

enum { TEXT_ONLY = 1, DATA_ONLY = 2 };

struct figure {
	const char *key;	/* CSV, JSON and --only name */
	const char *label;	/* text table row */
	enum fig_kind kind;
	const char *path, *path2;
	int only;		/* TEXT_ONLY, DATA_ONLY or 0 */
	bool chart;		/* drawn by compare --plot */
	bool panel;		/* a panel of the sweep plot */
	bool identity;		/* names the run (workload, seed), not a result */
};

extern const struct figure figures[];
extern const size_t nr_figures;

/* A run directory and its figures (cells[i] is figures[i]). */
struct run_figs {
	char *dir;		/* as given, trailing slashes dropped */
	char *name;		/* column title: the last component */
	struct summary sum;
	struct cell *cells;
};

/*
 * Load DIR/summary.json and work out every figure. Anything amiss is a
 * user error (exit 2) prefixed with cmd ("compare", "diff").
 */
void figures_load(const char *cmd, const char *dir, struct run_figs *r);
void figures_free(struct run_figs *r);
/* Columns named alike (a/x and b/x) are named by their whole path. */
void figures_disambiguate(struct run_figs *runs, int nr);
/* The index of the figure with this key, or -1. */
int figure_index(const char *key);

/* b - a, when both are exact numbers and it fits; d->text malloc'd. */
bool cell_diff(const struct cell *a, const struct cell *b, struct cell *d);
/* The cell's value as a double (0 when not a number). */
double cell_double(const struct cell *c);
/* Text safe for a terminal: control characters become '?'. malloc'd. */
char *printable(const char *s);

#endif /* SLABSIM_SIM_FIGURES_H */
