/*
 * The headline figures (figures.h): which summary.json values they are,
 * and how each is worked out, exactly, in integers, so every host prints
 * and compares the same digits.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sim/report/figures.h"
#include "sim/util.h"

const struct figure figures[] = {
	{ "workload", "workload", F_PLAIN, "workload", NULL, 0, false, false, true },
	{ "seed", "seed", F_PLAIN, "seed", NULL, 0, false, false, true },
	{ "status", "status", F_PLAIN, "status", NULL, 0, false, false, false },
	{ "cpus_nodes", "cpus/nodes", F_PAIR, "machine.cpus", "machine.nodes",
	  TEXT_ONLY, false, false, false },
	{ "cpus", "cpus", F_PLAIN, "machine.cpus", NULL, DATA_ONLY, false, false, false },
	{ "nodes", "nodes", F_PLAIN, "machine.nodes", NULL, DATA_ONLY, false, false, false },
	{ "operations", "operations", F_PLAIN, "operations", NULL, 0, true, false, false },
	{ "allocations", "allocations", F_PLAIN, "allocations", NULL, 0, true, false, false },
	{ "alloc_failures", "alloc failures", F_PLAIN, "alloc_failures", NULL,
	  0, true, false, false },
	{ "slab_pages", "slab pages", F_PLAIN, "slab.pages", NULL, 0, true, false, false },
	{ "bytes_requested", "bytes requested", F_PLAIN,
	  "slab.bytes_requested", NULL, 0, true, false, false },
	{ "bytes_held", "bytes held", F_PLAIN, "slab.bytes_held", NULL, 0, true,
	  true, false },
	{ "utilisation", "utilisation (requested/held)", F_UTIL,
	  "slab.bytes_requested", "slab.bytes_held", 0, true, false, false },
	{ "lock_contentions", "lock contentions", F_PLAIN, "locks.contentions",
	  NULL, 0, true, true, false },
	{ "lock_wait_us", "lock wait (us)", F_NS_US, "locks.wait_ns", NULL,
	  0, true, true, false },
	/* the slab's two spinlock classes: node lists, and array caches */
	{ "list_lock_contentions", "  &parent->list_lock contentions",
	  F_PLAIN, "locks.classes.&parent->list_lock.contentions", NULL, 0,
	  true, false, false },
	{ "list_lock_wait_us", "  &parent->list_lock wait (us)", F_NS_US,
	  "locks.classes.&parent->list_lock.wait_ns", NULL, 0, false, false,
	  false },
	{ "array_lock_contentions", "  &nc->lock contentions",
	  F_PLAIN, "locks.classes.&nc->lock.contentions", NULL, 0, true, false,
	  false },
	{ "array_lock_wait_us", "  &nc->lock wait (us)",
	  F_NS_US, "locks.classes.&nc->lock.wait_ns", NULL, 0, false, false,
	  false },
	/* the cache-line model: where line accesses were served */
	{ "cache_accesses", "cache-line accesses", F_PLAIN,
	  "cache_model.accesses", NULL, 0, false, false, false },
	{ "l1_misses", "L1 misses", F_DIFF, "cache_model.accesses",
	  "cache_model.l1_hits", 0, true, false, false },
	{ "l2_hits", "  served by L2", F_PLAIN, "cache_model.l2_hits", NULL,
	  0, false, false, false },
	{ "memory_misses", "  served by memory", F_PLAIN,
	  "cache_model.misses", NULL, 0, true, false, false },
	{ "capacity_conflict_misses", "    capacity/conflict", F_DIFF,
	  "cache_model.misses", "cache_model.coherence_misses", 0, false,
	  false, false },
	{ "coherence_misses", "    coherence misses", F_PLAIN,
	  "cache_model.coherence_misses", NULL, 0, true, false, false },
	{ "remote_accesses", "remote accesses", F_PLAIN, "cache_model.remote",
	  NULL, 0, true, false, false },
	{ "free_pages", "free pages", F_PLAIN, "free_pages", NULL, 0, true,
	  false, false },
	{ "fragmentation_index_order3", "fragmentation index o3",
	  F_ZONE, "fragmentation_index_order3", NULL, 0, true, false, false },
};
const size_t nr_figures = sizeof(figures) / sizeof(figures[0]);

int figure_index(const char *key)
{
	for (size_t i = 0; i < nr_figures; i++)
		if (!strcmp(figures[i].key, key))
			return (int)i;
	return -1;
}

char *printable(const char *s)
{
	char *t = xstrdup(s);

	for (char *q = t; *q; q++)
		if ((unsigned char)*q < 0x20 || *q == 0x7f)
			*q = '?';
	return t;
}

static void set_num(struct cell *c, int64_t v, int scale)
{
	char buf[48];

	c->present = true;
	c->num = true;
	c->f.v = v;
	c->f.scale = scale;
	c->text = xstrdup(fixed_str(buf, sizeof(buf), c->f));
}

static void cell_from_node(struct summary *s, struct cell *c,
			   const yaml_node_t *n)
{
	struct fixed f;

	switch (summary_kind(s, n)) {
	case SV_NUM:
		c->present = true;
		if (summary_fixed(s, n, &f))
			set_num(c, f.v, f.scale);
		else
			c->text = xstrdup(summary_text(n));
		break;
	case SV_BOOL:
		c->present = true;
		c->text = xstrdup(summary_text(n));
		break;
	case SV_STR:
		c->present = true;
		c->str = true;
		c->text = xstrdup(summary_text(n));
		break;
	default:
		break;
	}
}

/*
 * The zone the headline fragmentation figure is taken from: node 0's
 * Normal, or where that zone is absent (x86_64 below 4 GiB, which is every
 * machine slabsim simulates) its DMA32, where GFP_KERNEL memory lives.
 */
static yaml_node_t *node0_zone(struct summary *s, const char *want)
{
	yaml_node_t *zones = summary_get(s, summary_root(s), "zones");
	int64_t node;

	if (summary_kind(s, zones) != SV_ARR)
		return NULL;
	for (yaml_node_item_t *i = zones->data.sequence.items.start;
	     i < zones->data.sequence.items.top; i++) {
		yaml_node_t *z = yaml_document_get_node(&s->doc, *i);
		const char *name = summary_text(summary_get(s, z, "zone"));
		if (summary_int(s, summary_get(s, z, "node"), &node) &&
		    node == 0 && name && !strcmp(name, want))
			return z;
	}
	return NULL;
}

static yaml_node_t *node0_normal(struct summary *s)
{
	yaml_node_t *z = node0_zone(s, "Normal");

	return z ? z : node0_zone(s, "DMA32");
}

static bool get_int(struct summary *s, const char *path, int64_t *out)
{
	return summary_int(s, summary_path(s, summary_root(s), path), out);
}

/* Work out one figure of one run; an absent figure is left !present. */
static void compute_cell(const struct figure *fg, struct summary *s,
			 struct cell *c)
{
	int64_t a, b;
	char buf[64];

	memset(c, 0, sizeof(*c));
	switch (fg->kind) {
	case F_PLAIN:
		cell_from_node(s, c, summary_path(s, summary_root(s), fg->path));
		break;
	case F_PAIR:
		if (get_int(s, fg->path, &a) && get_int(s, fg->path2, &b)) {
			snprintf(buf, sizeof(buf), "%lld/%lld", (long long)a,
				 (long long)b);
			c->present = true;
			c->text = xstrdup(buf);
		}
		break;
	case F_UTIL:
		/* Rounded to the nearest thousandth, in integers. */
		if (get_int(s, fg->path, &a) && get_int(s, fg->path2, &b) &&
		    a >= 0 && b > 0 && a <= (INT64_MAX - b / 2) / 1000)
			set_num(c, (a * 1000 + b / 2) / b, 3);
		break;
	case F_DIFF:
		if (get_int(s, fg->path, &a) && get_int(s, fg->path2, &b) &&
		    !__builtin_sub_overflow(a, b, &a))
			set_num(c, a, 0);
		break;
	case F_NS_US:
		if (get_int(s, fg->path, &a))
			set_num(c, a, 3);
		break;
	case F_ZONE:
		cell_from_node(s, c, summary_path(s, node0_normal(s), fg->path));
		break;
	}
}

bool cell_diff(const struct cell *a, const struct cell *b, struct cell *d)
{
	struct fixed fa, fb;
	int64_t r;

	memset(d, 0, sizeof(*d));
	if (!a->num || !b->num)
		return false;
	fa = a->f;
	fb = b->f;
	if (!fixed_align(&fa, &fb) || __builtin_sub_overflow(fb.v, fa.v, &r))
		return false;
	set_num(d, r, fa.scale);
	return true;
}

double cell_double(const struct cell *c)
{
	double d = c->num ? (double)c->f.v : 0;

	for (int i = 0; c->num && i < c->f.scale; i++)
		d /= 10;
	return d;
}

void figures_load(const char *cmd, const char *dir, struct run_figs *r)
{
	char path[4200], err[4400];
	size_t n = strlen(dir);
	struct stat st;
	bool enoent;

	memset(r, 0, sizeof(*r));
	while (n > 1 && dir[n - 1] == '/')
		n--;
	r->dir = xcalloc(1, n + 1);
	memcpy(r->dir, dir, n);
	if (stat(r->dir, &st) != 0 || !S_ISDIR(st.st_mode))
		user_error("%s: %s: not a run directory (no such directory)",
			   cmd, r->dir);
	snprintf(path, sizeof(path), "%s/summary.json", r->dir);
	if (!summary_load(path, &r->sum, &enoent, err, sizeof(err))) {
		if (enoent)
			user_error("%s: %s: not a run directory (no summary.json)",
				   cmd, r->dir);
		user_error("%s", err);
	}
	const char *base = strrchr(r->dir, '/');
	r->name = printable(base && base[1] ? base + 1 : r->dir);
	r->cells = xcalloc(nr_figures, sizeof(*r->cells));
	for (size_t i = 0; i < nr_figures; i++)
		compute_cell(&figures[i], &r->sum, &r->cells[i]);
}

void figures_free(struct run_figs *r)
{
	for (size_t i = 0; r->cells && i < nr_figures; i++)
		free(r->cells[i].text);
	free(r->cells);
	summary_free(&r->sum);
	free(r->dir);
	free(r->name);
	memset(r, 0, sizeof(*r));
}

void figures_disambiguate(struct run_figs *runs, int nr)
{
	bool *clash = xcalloc((size_t)nr ? (size_t)nr : 1, sizeof(bool));

	for (int i = 0; i < nr; i++)
		for (int j = 0; j < nr; j++)
			if (i != j && !strcmp(runs[i].name, runs[j].name))
				clash[i] = true;
	for (int i = 0; i < nr; i++) {
		if (clash[i]) {
			free(runs[i].name);
			runs[i].name = printable(runs[i].dir);
		}
	}
	free(clash);
}
