#ifndef SLABSIM_SIM_COMPARE_H
#define SLABSIM_SIM_COMPARE_H
/*
 * Runs side by side, as text, a tidy CSV, JSON and a gnuplot figure: the
 * forms behind `slabsim compare` and a sweep's compare.* files. A sweep
 * adds its varied parameters: one value per run and parameter, written
 * as columns before the figures (numbers where the values are numbers).
 */
#include "sim/report/figures.h"
#include "sim/util.h"

/* Wide enough for most terminals; compare --width changes it. */
#define COMPARE_WIDTH	80

struct cmp_table {
	struct run_figs *runs;
	int nr;
	int nparams;
	const char *const *param_names;	/* [nparams] */
	char **param_vals;		/* [run * nparams + param], as text */
	int x_param;			/* sweep plot's x axis: a numeric
					 * parameter, or -1 (runs in order) */
};

/*
 * Figures as rows, runs as columns (each but the first with its
 * difference to the first run), wrapped into blocks of whole columns so a
 * line stays within width characters.
 */
void compare_text(const struct cmp_table *t, int width, struct strbuf *sb);
/* One row per run: run, the parameters, then every figure (tidy). */
void compare_csv(const struct cmp_table *t, struct strbuf *sb);
void compare_json(const struct cmp_table *t, struct strbuf *sb);
/*
 * The gnuplot program drawing one panel per headline figure (contention,
 * lock wait, memory held, ...) against x_param (one line per combination
 * of the other parameters), or against the runs in order.
 */
void compare_plot_script(const struct cmp_table *t, const char *out,
			 bool svg,
			 struct strbuf *sb);
/*
 * Feed a script to gnuplot (no shell). Returns 0, 2 when gnuplot is
 * missing, 1 when it failed (its messages went to stderr); cmd names the
 * command in messages.
 */
int compare_gnuplot(const char *cmd, const struct strbuf *script);
/* The chart into plot, whole or not at all; 0 or the failure (said). */
int compare_plot_file(const struct cmp_table *t, const char *plot,
		      const char *cmd);

#endif /* SLABSIM_SIM_COMPARE_H */
