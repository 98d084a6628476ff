// SPDX-License-Identifier: GPL-2.0
/*
 * The loader's generators (rate, lifetime, arrivals, sizes, walks) and
 * fault injection rules. Part of the loader (sim/workload/loader.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "sim/workload/loader.h"

/* ------------------------------------------------------------------ */
/* Generators                                                          */
/* ------------------------------------------------------------------ */

/* A list of distinct CPU numbers, each below the machine's count. */
bool cpu_list(struct loader *ld, yaml_node_t *v, const char *what,
	      int *list, int *nr)
{
	bool used[WL_MAX_CPUS] = { false };
	yaml_node_item_t *it;
	int cpus = ld->wl->machine.cpus;

	*nr = 0;
	for (it = v->data.sequence.items.start;
	     it < v->data.sequence.items.top; it++) {
		yaml_node_t *n = node_at(ld, *it);
		int cpu;

		if (!get_int(ld, n, what, 0, WL_MAX_CPUS - 1, &cpu))
			return false;
		if (used[cpu])
			return fail(ld, n, "cpu %d is listed twice in %s", cpu,
				    what);
		if (cpu >= cpus)
			return fail(ld, n, "cpu %d is out of range (the machine has %d CPU%s: 0-%d)",
				    cpu, cpus, plural(cpus), cpus - 1);
		used[cpu] = true;
		list[(*nr)++] = cpu;
	}
	return true;
}

static bool h_gen_cpus(struct loader *ld, yaml_node_t *v, void *field,
		       const struct key_row *row)
{
	struct wl_generator *g = field;

	g->cpus_given = true;
	if (!cpu_list(ld, v, "cpus", g->cpu_list, &g->nr_cpus))
		return false;
	if (!g->nr_cpus)
		return fail(ld, v, "cpus: [] leaves the generator no CPU to run on");
	return true;
}

/* free_on: [CPUS] (round robin), or same, other_node or any. */
static bool h_gen_free_on(struct loader *ld, yaml_node_t *v, void *field,
			  const struct key_row *row)
{
	static const char *const modes[] = {
		[WL_FREE_SAME] = "same", [WL_FREE_LIST] = NULL,
		[WL_FREE_OTHER_NODE] = "other_node", [WL_FREE_ANY] = "any",
	};
	struct wl_generator *g = field;
	char q[QUOTE_MAX];
	const char *s;
	size_t i;

	if (v->type == YAML_SEQUENCE_NODE) {
		if (!cpu_list(ld, v, "free_on", g->free_on, &g->nr_free_on))
			return false;
		g->free_mode = g->nr_free_on ? WL_FREE_LIST : WL_FREE_SAME;
		return true;
	}
	if (v->type != YAML_SCALAR_NODE)
		return fail(ld, v, "free_on takes a list of CPUs, same, other_node or any, not %s",
			    kind(q, v));
	s = text(ld, v, "free_on");
	if (!s)
		return false;
	for (i = 0; i < ARRAY_SIZE(modes); i++) {
		if (modes[i] && !strcmp(s, modes[i])) {
			g->free_mode = (enum wl_free_mode)i;
			return true;
		}
	}
	return fail(ld, v, "bad free_on '%s' (expected a list of CPUs, same, other_node or any)",
		    quote(q, v));
}

static bool h_gen_until(struct loader *ld, yaml_node_t *v, void *field,
			const struct key_row *row)
{
	struct wl_generator *g = field;

	g->until_given = true;
	return get_dur(ld, v, "until", &g->until);
}

/* [A, B] of durations or sizes, A <= B. */
static bool get_pair(struct loader *ld, yaml_node_t *v, const char *what,
		     bool durations, uint64_t *a, uint64_t *b)
{
	yaml_node_item_t *it = v->data.sequence.items.start;
	char q[QUOTE_MAX];

	if (v->data.sequence.items.top - it != 2)
		return fail(ld, v, "%s takes a pair [MIN, MAX]", what);
	if (durations ? !get_dur(ld, node_at(ld, it[0]), what, a) ||
			!get_dur(ld, node_at(ld, it[1]), what, b)
		      : !get_size(ld, node_at(ld, it[0]), what, true, a) ||
			!get_size(ld, node_at(ld, it[1]), what, true, b))
		return false;
	if (*a > *b)
		return fail(ld, node_at(ld, it[1]), "%s [MIN, MAX] is backwards: '%s' is below MIN",
			    what, quote(q, node_at(ld, it[1])));
	return true;
}

/*
 * A plain decimal without unit, sign or exponent ("1.2", "3"), read
 * exactly like the units (no strtod, no locale). A minus sign gets its
 * own message: a negative spread or weight is a mistake of its own.
 */
static bool get_real(struct loader *ld, yaml_node_t *v, const char *what,
		     struct decimal *d)
{
	char q[QUOTE_MAX];
	const char *s = text(ld, v, what), *end;
	enum num r;

	if (!s)
		return false;
	if (*s == '-')
		return fail(ld, v, "%s '%s' is negative", what, quote(q, v));
	r = scan_decimal(s, d, &end);
	if (r == NUM_BAD || *end)
		return fail(ld, v, "bad %s '%s' (expected a decimal number like 1.5)",
			    what, quote(q, v));
	if (r == NUM_BIG || d->whole > 1000000000)
		return fail(ld, v, "%s '%s' is too large", what, quote(q, v));
	if (r == NUM_FINE)
		return fail(ld, v, "%s '%s' has more than 9 decimals", what,
			    quote(q, v));
	return true;
}

static double decimal_value(const struct decimal *d)
{
	return (double)d->whole + (double)d->frac / (double)pow10u(d->fdigits);
}

/* Weights of a histogram are fractions in units of 1e-9, exactly. */
#define WEIGHT_ONE	((uint64_t)1000000000)
#define WEIGHT_SLACK	((uint64_t)1000000)	/* 0.001: rounding of pasted fractions */

static const char *fmt_weight(char *buf, size_t len, uint64_t w)
{
	int n = snprintf(buf, len, "%" PRIu64 ".%09" PRIu64, w / WEIGHT_ONE,
			 w % WEIGHT_ONE);

	while (n > 2 && buf[n - 1] == '0' && buf[n - 2] != '.')
		buf[--n] = '\0';
	return buf;
}

/* kmalloc: {sizes: {SIZE: WEIGHT, ...}}: weights >= 0 summing to 1. */
static bool h_sizes(struct loader *ld, yaml_node_t *v, void *field,
		    const struct key_row *row)
{
	struct wl_generator *g = field;
	yaml_node_pair_t *pair;
	char q[QUOTE_MAX], a[40];
	uint64_t sum = 0;
	unsigned int j;

	for (pair = v->data.mapping.pairs.start;
	     pair < v->data.mapping.pairs.top; pair++) {
		yaml_node_t *k = node_at(ld, pair->key);
		yaml_node_t *w = node_at(ld, pair->value);
		struct decimal d;
		uint64_t size;

		if (g->nr_sizes == WL_MAX_HIST)
			return fail(ld, k, "a histogram takes at most %d sizes (bin the rest)",
				    WL_MAX_HIST);
		if (!get_size(ld, k, "histogram size", true, &size))
			return false;
		if (size == 0 || size > KMALLOC_MAX_SIZE)
			return fail(ld, k, "histogram size '%s' is out of range (1..%llu bytes)",
				    quote(q, k), KMALLOC_MAX_SIZE);
		for (j = 0; j < g->nr_sizes; j++)
			if (g->sizes[j] == size)
				return fail(ld, k, "histogram size %" PRIu64 " is listed twice",
					    size);
		if (!get_real(ld, w, "histogram weight", &d))
			return false;
		if (d.whole > 1 || (d.whole == 1 && d.frac))
			return fail(ld, w, "histogram weight '%s' is above 1 (weights are fractions of the allocations)",
				    quote(q, w));
		sum += d.whole * WEIGHT_ONE +
		       d.frac * pow10u(9 - d.fdigits);
		g->sizes[g->nr_sizes] = size;
		g->size_cum[g->nr_sizes++] = sum;
	}
	if (!g->nr_sizes)
		return fail(ld, v, "histogram sizes: {} is empty (give SIZE: WEIGHT pairs)");
	if (sum + WEIGHT_SLACK < WEIGHT_ONE || sum > WEIGHT_ONE + WEIGHT_SLACK)
		return fail(ld, v, "histogram weights sum to %s, not 1 (within 0.001)",
			    fmt_weight(a, sizeof(a), sum));
	g->kmalloc_min = g->kmalloc_max = g->sizes[0];
	for (j = 1; j < g->nr_sizes; j++) {
		if (g->sizes[j] < g->kmalloc_min)
			g->kmalloc_min = g->sizes[j];
		if (g->sizes[j] > g->kmalloc_max)
			g->kmalloc_max = g->sizes[j];
	}
	return true;
}

static const struct key_row hist_rows[] = {
	{ "sizes", YAML_MAPPING_NODE, h_sizes, 0, NULL, 0, 0 },
};
TABLE(hist_table, "kmalloc histogram", hist_rows);

static bool h_gen_kmalloc(struct loader *ld, yaml_node_t *v, void *field,
			  const struct key_row *row)
{
	struct wl_generator *g = field;
	char q[QUOTE_MAX];

	if (v->type == YAML_SEQUENCE_NODE)
		return get_pair(ld, v, "kmalloc", false, &g->kmalloc_min,
				&g->kmalloc_max);
	if (v->type == YAML_MAPPING_NODE) {
		if (!walk_map(ld, v, &hist_table, g, NULL))
			return false;
		if (!g->nr_sizes)
			return fail(ld, v, "kmalloc histogram needs sizes: {SIZE: WEIGHT, ...}");
		return true;
	}
	if (v->type != YAML_SCALAR_NODE)
		return fail(ld, v, "kmalloc takes SIZE, [MIN, MAX] or {sizes: {SIZE: WEIGHT, ...}}, not %s",
			    kind(q, v));
	if (!get_size(ld, v, "kmalloc", true, &g->kmalloc_min))
		return false;
	g->kmalloc_max = g->kmalloc_min;
	return true;
}

struct lt_raw {
	uint64_t a, b;
	double x;
};

static bool h_uniform(struct loader *ld, yaml_node_t *v, void *field,
		      const struct key_row *row)
{
	struct lt_raw *lt = field;

	return get_pair(ld, v, "uniform", true, &lt->a, &lt->b);
}

static void lower(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s + 32);
}

/* [DURATION, NUMBER]: lognormal's [MEDIAN, SIGMA], pareto's [SCALE, ALPHA]. */
static bool get_dur_real(struct loader *ld, yaml_node_t *v, const char *what,
			 const char *a_name, const char *x_name,
			 struct lt_raw *lt, struct decimal *d)
{
	yaml_node_item_t *it = v->data.sequence.items.start;
	char name[64];

	if (v->data.sequence.items.top - it != 2)
		return fail(ld, v, "%s takes a pair [%s, %s]", what, a_name, x_name);
	snprintf(name, sizeof(name), "%s %s", what, a_name);
	lower(name);
	if (!get_dur(ld, node_at(ld, it[0]), name, &lt->a))
		return false;
	if (!lt->a)
		return fail(ld, node_at(ld, it[0]), "%s must be above 0", name);
	snprintf(name, sizeof(name), "%s %s", what, x_name);
	lower(name);
	if (!get_real(ld, node_at(ld, it[1]), name, d))
		return false;
	lt->x = decimal_value(d);
	return true;
}

static bool h_lognormal(struct loader *ld, yaml_node_t *v, void *field,
			const struct key_row *row)
{
	struct decimal d;

	return get_dur_real(ld, v, "lognormal", "MEDIAN", "SIGMA", field, &d);
}

static bool h_pareto(struct loader *ld, yaml_node_t *v, void *field,
		     const struct key_row *row)
{
	struct lt_raw *lt = field;
	struct decimal d;
	char q[QUOTE_MAX];

	if (!get_dur_real(ld, v, "pareto", "SCALE", "ALPHA", lt, &d))
		return false;
	if (d.whole < 1 || (d.whole == 1 && !d.frac))
		return fail(ld, node_at(ld, v->data.sequence.items.start[1]),
			    "pareto alpha '%s' gives an infinite mean lifetime (the mean, SCALE * alpha / (alpha - 1), needs alpha > 1)",
			    quote(q, node_at(ld, v->data.sequence.items.start[1])));
	return true;
}

enum { LK_EXP, LK_FIXED, LK_UNIFORM, LK_LOGNORMAL, LK_PARETO, LK_NR };

static const struct key_row lifetime_rows[] = {
	[LK_EXP] = { "exp", YAML_SCALAR_NODE, h_dur, offsetof(struct lt_raw, a), NULL, 0, 0 },
	[LK_FIXED] = { "fixed", YAML_SCALAR_NODE, h_dur, offsetof(struct lt_raw, a), NULL, 0, 0 },
	[LK_UNIFORM] = { "uniform", YAML_SEQUENCE_NODE, h_uniform, 0, NULL, 0, 0 },
	[LK_LOGNORMAL] = { "lognormal", YAML_SEQUENCE_NODE, h_lognormal, 0, NULL, 0, 0 },
	[LK_PARETO] = { "pareto", YAML_SEQUENCE_NODE, h_pareto, 0, NULL, 0, 0 },
};
TABLE(lifetime_table, "lifetime", lifetime_rows);
_Static_assert(ARRAY_SIZE(lifetime_rows) == LK_NR, "lifetime rows");

#define LIFETIMES "until_free_all, {exp: DUR}, {fixed: DUR}, {uniform: [DUR, DUR]}, {lognormal: [MEDIAN, SIGMA]} or {pareto: [SCALE, ALPHA]}"

static bool h_lifetime(struct loader *ld, yaml_node_t *v, void *field,
		       const struct key_row *row)
{
	static const enum wl_dist dist[LK_NR] = {
		[LK_EXP] = WL_DIST_EXP, [LK_FIXED] = WL_DIST_FIXED,
		[LK_UNIFORM] = WL_DIST_UNIFORM,
		[LK_LOGNORMAL] = WL_DIST_LOGNORMAL,
		[LK_PARETO] = WL_DIST_PARETO,
	};
	struct wl_generator *g = field;
	struct seen seen[LK_NR];
	struct lt_raw lt = { 0, 0, 0.0 };
	char q[QUOTE_MAX];
	int k, found = -1;

	if (v->type == YAML_SCALAR_NODE) {
		const char *s = text(ld, v, "lifetime");

		if (!s)
			return false;
		if (strcmp(s, "until_free_all"))
			return fail(ld, v, "bad lifetime '%s' (expected " LIFETIMES ")",
				    quote(q, v));
		g->lifetime = WL_DIST_HELD;
		return true;
	}
	if (v->type != YAML_MAPPING_NODE)
		return fail(ld, v, "lifetime takes " LIFETIMES ", not %s",
			    kind(q, v));
	if (!walk_map(ld, v, &lifetime_table, &lt, seen))
		return false;
	for (k = 0; k < LK_NR; k++) {
		if (!seen[k].key)
			continue;
		if (found >= 0)
			return fail(ld, v, "lifetime takes exactly one of exp:, fixed:, uniform:, lognormal: or pareto:");
		found = k;
	}
	if (found < 0)
		return fail(ld, v, "lifetime needs one of exp:, fixed:, uniform:, lognormal: or pareto:");
	g->lifetime = dist[found];
	g->lifetime_a = lt.a;
	g->lifetime_b = found == LK_UNIFORM ? lt.b : lt.a;
	if (found == LK_LOGNORMAL)
		g->lifetime_sigma = lt.x;
	if (found == LK_PARETO)
		g->lifetime_alpha = lt.x;
	return true;
}

/* arrivals: poisson | fixed | {on, off, spacing} | {burst, every, spacing} */
struct arr_raw {
	uint64_t on, off, every;
	int count;
	bool fixed;
};

static bool h_spacing(struct loader *ld, yaml_node_t *v, void *field,
		      const struct key_row *row)
{
	char q[QUOTE_MAX];
	const char *s = text(ld, v, "spacing");

	if (!s)
		return false;
	if (strcmp(s, "poisson") && strcmp(s, "fixed"))
		return fail(ld, v, "bad spacing '%s' (expected poisson or fixed)",
			    quote(q, v));
	*(bool *)field = !strcmp(s, "fixed");
	return true;
}

enum { AK_ON, AK_OFF, AK_BURST, AK_EVERY, AK_SPACING, AK_NR };

#define AR(f) offsetof(struct arr_raw, f)

static const struct key_row arrivals_rows[] = {
	[AK_ON] = { "on", YAML_SCALAR_NODE, h_dur, AR(on), NULL, 0, 0 },
	[AK_OFF] = { "off", YAML_SCALAR_NODE, h_dur, AR(off), NULL, 0, 0 },
	[AK_BURST] = { "burst", YAML_SCALAR_NODE, h_int, AR(count), NULL, 1, 1000000000 },
	[AK_EVERY] = { "every", YAML_SCALAR_NODE, h_dur, AR(every), NULL, 0, 0 },
	[AK_SPACING] = { "spacing", YAML_SCALAR_NODE, h_spacing, AR(fixed), NULL, 0, 0 },
};
TABLE(arrivals_table, "arrivals", arrivals_rows);
_Static_assert(ARRAY_SIZE(arrivals_rows) == AK_NR, "arrivals rows");

#undef AR

static bool h_arrivals(struct loader *ld, yaml_node_t *v, void *field,
		       const struct key_row *row)
{
	struct wl_generator *g = field;
	struct seen seen[AK_NR];
	struct arr_raw ar = { 0, 0, 0, 0, false };
	char q[QUOTE_MAX];
	bool onoff, burst;

	if (v->type == YAML_SCALAR_NODE) {
		const char *s = text(ld, v, "arrivals");

		if (!s)
			return false;
		if (!strcmp(s, "poisson"))
			g->arrivals = WL_ARR_POISSON;
		else if (!strcmp(s, "fixed"))
			g->arrivals = WL_ARR_FIXED;
		else
			return fail(ld, v, "bad arrivals '%s' (expected poisson, fixed, {on: DUR, off: DUR} or {burst: N, every: DUR})",
				    quote(q, v));
		return true;
	}
	if (v->type != YAML_MAPPING_NODE)
		return fail(ld, v, "arrivals takes poisson, fixed, {on: DUR, off: DUR} or {burst: N, every: DUR}, not %s",
			    kind(q, v));
	if (!walk_map(ld, v, &arrivals_table, &ar, seen))
		return false;
	onoff = seen[AK_ON].key || seen[AK_OFF].key;
	burst = seen[AK_BURST].key || seen[AK_EVERY].key;
	if (onoff && burst)
		return fail(ld, v, "arrivals takes on: and off:, or burst: and every:, not both");
	if (!onoff && !burst)
		return fail(ld, v, "arrivals needs on: and off:, or burst: and every:");
	if (onoff) {
		if (!seen[AK_ON].key || !seen[AK_OFF].key)
			return fail(ld, v, "arrivals needs both on: and off:");
		if (!ar.on)
			return fail(ld, seen[AK_ON].val, "an on period of 0 never allocates");
		g->arrivals = WL_ARR_ONOFF;
		g->on = ar.on;
		g->off = ar.off;
	} else {
		if (!seen[AK_BURST].key || !seen[AK_EVERY].key)
			return fail(ld, v, "arrivals needs both burst: and every:");
		if (!ar.every)
			return fail(ld, seen[AK_EVERY].val, "bursts every 0 never end (every: must be above 0)");
		g->arrivals = WL_ARR_BURST;
		g->burst_count = (uint64_t)ar.count;
		g->burst_every = ar.every;
	}
	g->spacing_fixed = ar.fixed;
	return true;
}

/* alloc_node: NODE, or [NODES] taken round robin. */
static bool h_gen_alloc_node(struct loader *ld, yaml_node_t *v, void *field,
			     const struct key_row *row)
{
	struct wl_generator *g = field;
	uint64_t used = 0;
	yaml_node_item_t *it;
	char q[QUOTE_MAX];
	int node = 0;

	if (v->type == YAML_SCALAR_NODE) {
		if (!get_int(ld, v, "alloc_node", 0, WL_MAX_NODES - 1, &node))
			return false;
		g->alloc_nodes[0] = node;
		g->nr_alloc_nodes = 1;
		return true;
	}
	if (v->type != YAML_SEQUENCE_NODE)
		return fail(ld, v, "alloc_node takes a node or a list of nodes, not %s",
			    kind(q, v));
	g->nr_alloc_nodes = 0;
	for (it = v->data.sequence.items.start;
	     it < v->data.sequence.items.top; it++) {
		yaml_node_t *n = node_at(ld, *it);

		if (!get_int(ld, n, "alloc_node", 0, WL_MAX_NODES - 1, &node))
			return false;
		if (used & (1ULL << node))
			return fail(ld, n, "node %d is listed twice in alloc_node",
				    node);
		used |= 1ULL << node;
		g->alloc_nodes[g->nr_alloc_nodes++] = node;
	}
	if (!g->nr_alloc_nodes)
		return fail(ld, v, "alloc_node: [] names no node (leave alloc_node out to allocate on the CPU's own node)");
	return true;
}

/* A generator's name: what free_all: NAME refers to (no spaces). */
static bool h_gen_name(struct loader *ld, yaml_node_t *v, void *field,
		       const struct key_row *row)
{
	char q[QUOTE_MAX];
	const char *s = text(ld, v, "name");

	if (!s)
		return false;
	if (!printable_name(s, false))
		return fail(ld, v, "bad generator name '%s' (1 to 63 characters, no spaces or control characters)",
			    quote(q, v));
	memcpy(field, s, strlen(s) + 1);
	return true;
}

enum { GK_CACHE, GK_KMALLOC, GK_CPUS, GK_RATE, GK_LIFETIME, GK_FREE_ON,
       GK_TOUCH, GK_GFP, GK_FROM, GK_UNTIL, GK_WALK, GK_NAME, GK_ARRIVALS,
       GK_ALLOC_NODE, GK_TOUCH_FREE, GK_NR };

enum { GW_EVERY, GW_BYTES, GW_OFFSET, GW_WRITE, GW_NR };

#define GW(f) offsetof(struct wl_gen_walk, f)

static const struct key_row gen_walk_rows[] = {
	[GW_EVERY] = { "every", YAML_SCALAR_NODE, h_dur, GW(every), NULL, 0, 0 },
	[GW_BYTES] = { "bytes", YAML_SCALAR_NODE, h_size, GW(bytes), NULL, 0, 0 },
	[GW_OFFSET] = { "offset", YAML_SCALAR_NODE, h_size, GW(offset), NULL, 0, 0 },
	[GW_WRITE] = { "write", YAML_SCALAR_NODE, h_bool, GW(write), NULL, 0, 0 },
};
TABLE(gen_walk_table, "walk", gen_walk_rows);
_Static_assert(ARRAY_SIZE(gen_walk_rows) == GW_NR, "generator walk rows");

#undef GW

#define G(f) offsetof(struct wl_generator, f)

static const struct key_row gen_rows[] = {
	[GK_CACHE] = { "cache", YAML_SCALAR_NODE, h_nop, 0, NULL, 0, 0 },
	[GK_KMALLOC] = { "kmalloc", YAML_NO_NODE, h_gen_kmalloc, 0, NULL, 0, 0 },
	[GK_CPUS] = { "cpus", YAML_SEQUENCE_NODE, h_gen_cpus, 0, NULL, 0, 0 },
	[GK_RATE] = { "rate", YAML_SCALAR_NODE, h_rate, G(rate), NULL, 0, 0 },
	/* any node: h_lifetime's walker names the laws when it is no mapping */
	[GK_LIFETIME] = { "lifetime", YAML_NO_NODE, h_lifetime, 0, NULL, 0, 0 },
	[GK_FREE_ON] = { "free_on", YAML_NO_NODE, h_gen_free_on, 0, NULL, 0, 0 },
	[GK_TOUCH] = { "touch", YAML_SCALAR_NODE, h_size, G(touch), NULL, 0, 0 },
	[GK_GFP] = { "gfp", YAML_NO_NODE, h_gfp, G(gfp), NULL, 0, 0 },
	[GK_FROM] = { "from", YAML_SCALAR_NODE, h_dur, G(from), NULL, 0, 0 },
	[GK_UNTIL] = { "until", YAML_SCALAR_NODE, h_gen_until, 0, NULL, 0, 0 },
	[GK_WALK] = { "walk", YAML_MAPPING_NODE, h_map, G(walk), &gen_walk_table, 0, 0 },
	[GK_NAME] = { "name", YAML_SCALAR_NODE, h_gen_name, G(name), NULL, 0, 0 },
	[GK_ARRIVALS] = { "arrivals", YAML_NO_NODE, h_arrivals, 0, NULL, 0, 0 },
	[GK_ALLOC_NODE] = { "alloc_node", YAML_NO_NODE, h_gen_alloc_node, 0, NULL, 0, 0 },
	[GK_TOUCH_FREE] = { "touch_free", YAML_SCALAR_NODE, h_size, G(touch_free), NULL, 0, 0 },
};
SHARED_TABLE(gen_table, "generator", gen_rows);
_Static_assert(ARRAY_SIZE(gen_rows) == GK_NR, "generator rows");

#undef G

/* A generator's walk reads inside the cache's objects (bytes 0: to the end). */
bool gen_walk_fits(struct loader *ld, const struct wl_generator *g,
		   struct pos p)
{
	const struct wl_gen_walk *w = &g->walk;
	const struct wl_cache *c = &ld->wl->caches[g->cache];

	if (w->offset >= c->size || w->bytes > c->size - w->offset)
		return fail_pos(ld, p, "walk of %" PRIu64 " bytes at offset %" PRIu64 " does not fit in '%s' objects (%" PRIu64 " bytes)",
				w->bytes ? w->bytes : c->size, w->offset,
				c->name, c->size);
	return true;
}

/* A generator's walk: of a cache generator, periodic, inside the object. */
static bool gen_walk_check(struct loader *ld, const struct wl_generator *g,
			   struct pos p)
{
	const struct wl_gen_walk *w = &g->walk;

	if (g->cache < 0)
		return fail_pos(ld, p, "walk needs a cache generator (cache: NAME); a kmalloc generator's objects are spread over size-N caches");
	if (!w->every)
		return fail_pos(ld, p, "walk needs every: (how often each of the generator's CPUs walks the cache, like 1ms)");
	return gen_walk_fits(ld, g, p);
}

/* A cache generator starts once its cache exists. */
static bool gen_from_check(struct loader *ld, const struct wl_generator *g,
			   struct pos p)
{
	const struct wl_cache *c;
	char a[32], b[32];

	if (g->cache < 0)
		return true;
	c = &ld->wl->caches[g->cache];
	if (!c->at_boot && g->from < c->create_t)
		return fail_pos(ld, p, "generator starts at t=%s, but cache '%s' is created at t=%s",
				fmt_ns(a, sizeof(a), g->from), c->name,
				fmt_ns(b, sizeof(b), c->create_t));
	return true;
}

/*
 * After --set generators.X.KEY: the checks of load_generators that a new
 * from: or walk: can break (validate() does the rest). p: the generator.
 */
bool check_generator_keys(struct loader *ld, const struct wl_generator *g,
			  struct pos p)
{
	const struct wl_gen_walk *w = &g->walk;

	if (!gen_from_check(ld, g, p))
		return false;
	if ((w->every || w->bytes || w->offset || w->write) &&
	    !gen_walk_check(ld, g, p))
		return false;
	return true;
}

/* The checks across one generator's keys that no override can change. */
static bool finish_generator(struct loader *ld, struct wl_generator *g,
			     yaml_node_t *item, const struct seen *seen)
{
	const struct workload *wl = ld->wl;
	char q[QUOTE_MAX];
	size_t i;

	if (g->name[0]) {
		for (i = 0; i < wl->nr_generators; i++)
			if (!strcmp(wl->generators[i].name, g->name))
				return fail(ld, seen[GK_NAME].val,
					    "duplicate generator name '%s' (first at line %u)",
					    quote(q, seen[GK_NAME].val),
					    wl->generators[i].line);
	}
	if (g->lifetime == WL_DIST_HELD && seen[GK_FREE_ON].val)
		return fail(ld, seen[GK_FREE_ON].key,
			    "free_on does not apply to lifetime until_free_all (the free_all event's cpu: frees the objects)");
	if (g->lifetime == WL_DIST_HELD && !g->name[0])
		return fail(ld, item, "a generator with lifetime until_free_all needs a name: (for its free_all event)");
	return item_file(ld, item, &g->file);
}

bool load_generators(struct loader *ld, yaml_node_t *seq)
{
	struct workload *wl = ld->wl;
	yaml_node_item_t *it;

	for (it = seq->data.sequence.items.start;
	     it < seq->data.sequence.items.top; it++) {
		yaml_node_t *item = node_at(ld, *it);
		struct seen seen[GK_NR];
		struct wl_generator *g;

		if (!grow(ld, (void **)&wl->generators, &ld->gens_cap,
			  wl->nr_generators, sizeof(*g)))
			return false;
		g = &wl->generators[wl->nr_generators];
		memset(g, 0, sizeof(*g));
		g->cache = -1;
		g->gfp = GFP_KERNEL;
		if (!walk_map(ld, item, &gen_table, g, seen))
			return false;
		if (!seen[GK_CACHE].val == !seen[GK_KMALLOC].val)
			return fail(ld, item, "generator needs exactly one of cache: or kmalloc:");
		if (!seen[GK_RATE].val)
			return fail(ld, item, "generator needs a rate: (like 100000/s per CPU)");
		if (!seen[GK_LIFETIME].val)
			return fail(ld, item, "generator needs a lifetime: (" LIFETIMES ")");
		if (seen[GK_CACHE].val) {
			yaml_node_t *at = seen[GK_FROM].val ? seen[GK_FROM].val
							    : seen[GK_CACHE].val;

			g->cache = cache_ref(ld, seen[GK_CACHE].val, "cache");
			if (g->cache < 0 || !gen_from_check(ld, g, pos_of(at)))
				return false;
		}
		if (seen[GK_WALK].val &&
		    !gen_walk_check(ld, g, pos_of(seen[GK_WALK].val)))
			return false;
		g->line = pos_of(item).line;
		g->col = pos_of(item).col;
		if (!finish_generator(ld, g, item, seen))
			return false;
		wl->nr_generators++;
	}
	return true;
}

/*
 * The checks of a generator against the machine, which an override
 * (--set machine.nodes=1) can break: part of validate().
 */
bool check_generator(struct loader *ld, const struct wl_generator *g,
		     struct pos p)
{
	const struct wl_machine *m = &ld->wl->machine;
	int j;

	if (g->free_mode == WL_FREE_OTHER_NODE && m->nodes < 2)
		return fail_pos(ld, p, "generator free_on: other_node needs a machine of 2 or more nodes (it has %d)",
				m->nodes);
	for (j = 0; j < g->nr_alloc_nodes; j++)
		if (g->alloc_nodes[j] >= m->nodes)
			return fail_pos(ld, p, "generator alloc_node %d is out of range (the machine has %d node%s)",
					g->alloc_nodes[j], m->nodes,
					plural(m->nodes));
	return true;
}

/* ------------------------------------------------------------------ */
/* Fault injection                                                     */
/* ------------------------------------------------------------------ */

/*
 * every: and probability: are two modes of one rule: each handler sets
 * its own and clears the other, so --set faults.page_alloc.every=7
 * replaces a probability the file gave. In the file, giving both is an
 * error (h_fault).
 */
static bool h_fault_every(struct loader *ld, yaml_node_t *v, void *field,
			  const struct key_row *row)
{
	struct wl_fault *f = field;
	char q[QUOTE_MAX];
	const char *s = text(ld, v, row->key);
	uint64_t n;

	if (!s)
		return false;
	if (parse_u64(s, &n) != NUM_OK || n < 1)
		return fail(ld, v, "bad every '%s' (expected a whole number, at least 1)",
			    quote(q, v));
	f->every = n;
	f->probability_given = false;
	f->probability = 0;
	return true;
}

static bool h_fault_probability(struct loader *ld, yaml_node_t *v,
				void *field, const struct key_row *row)
{
	struct wl_fault *f = field;
	char q[QUOTE_MAX];
	const char *s = text(ld, v, row->key);
	char *end;
	double p;

	if (!s)
		return false;
	errno = 0;
	p = strtod(s, &end);
	/* no hex floats, infinities or NaNs: a plain decimal in [0, 1] */
	if (end == s || *end || errno || strpbrk(s, "xXnN") ||
	    !(p >= 0.0 && p <= 1.0))
		return fail(ld, v, "bad probability '%s' (expected a number from 0 to 1)",
			    quote(q, v));
	f->probability = p;
	f->probability_given = true;
	f->every = 0;
	return true;
}

static bool h_fault_until(struct loader *ld, yaml_node_t *v, void *field,
			  const struct key_row *row)
{
	struct wl_fault *f = field;

	f->until_given = true;
	return get_dur(ld, v, "until", &f->until);
}

enum { FK_EVERY, FK_PROBABILITY, FK_FROM, FK_UNTIL, FK_GFP, FK_NR };

#define F(f) offsetof(struct wl_fault, f)

static const struct key_row fault_rows[] = {
	[FK_EVERY] = { "every", YAML_SCALAR_NODE, h_fault_every, 0, NULL, 0, 0 },
	[FK_PROBABILITY] = { "probability", YAML_SCALAR_NODE, h_fault_probability, 0, NULL, 0, 0 },
	[FK_FROM] = { "from", YAML_SCALAR_NODE, h_dur, F(from), NULL, 0, 0 },
	[FK_UNTIL] = { "until", YAML_SCALAR_NODE, h_fault_until, 0, NULL, 0, 0 },
	[FK_GFP] = { "gfp", YAML_NO_NODE, h_gfp, F(gfp), NULL, 0, 0 },
};
TABLE(fault_table, "fault rule", fault_rows);
_Static_assert(ARRAY_SIZE(fault_rows) == FK_NR, "fault rows");

#undef F

/* One rule of faults:, with exactly one of every: and probability:. */
static bool h_fault(struct loader *ld, yaml_node_t *v, void *field,
		    const struct key_row *row)
{
	struct wl_fault *f = field;
	struct seen seen[FK_NR];
	struct pos p = pos_of(v);

	if (!walk_map(ld, v, &fault_table, field, seen))
		return false;
	f->line = p.line;
	f->col = p.col;
	if (seen[FK_EVERY].key && seen[FK_PROBABILITY].key)
		return fail(ld, seen[FK_PROBABILITY].key,
			    "faults.%s: give every: or probability:, not both",
			    row->key);
	if (!seen[FK_EVERY].key && !seen[FK_PROBABILITY].key)
		return fail(ld, v, "faults.%s needs every: N or probability: P",
			    row->key);
	return true;
}

static const struct key_row faults_rows[] = {
	{ "page_alloc", YAML_MAPPING_NODE, h_fault,
	  offsetof(struct wl_faults, page_alloc), &fault_table, 0, 0 },
};
SHARED_TABLE(faults_table, "faults", faults_rows);

/* What validate checks of a rule (also after --set). */
bool check_fault(struct loader *ld, const char *what,
		 const struct wl_fault *f)
{
	const struct workload *wl = ld->wl;
	struct pos p = { f->line, f->col, NULL };
	char a[32], b[32];

	if (!wl_fault_on(f)) {
		if (f->from || f->until_given || f->gfp)
			return fail_pos(ld, p, "faults.%s needs every: N or probability: P",
					what);
		return true;
	}
	if (f->until_given && f->from >= f->until)
		return fail_pos(ld, p, "faults.%s: from t=%s is not before until t=%s",
				what, fmt_ns(a, sizeof(a), f->from),
				fmt_ns(b, sizeof(b), f->until));
	if (wl->duration_given && f->from > wl->duration)
		return fail_pos(ld, p, "faults.%s: from t=%s is after the end of the run (duration %s)",
				what, fmt_ns(a, sizeof(a), f->from),
				fmt_ns(b, sizeof(b), wl->duration));
	return true;
}
