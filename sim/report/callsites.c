// SPDX-License-Identifier: GPL-2.0
/*
 * callsites.csv: per call site of an allocation, what its objects did.
 *
 * A site is an event's `site:` (or @SITE), else the workload line the
 * event or generator was written on, shown as FILE:LINE with the file's
 * base name (the same whatever directory the workload was run from).
 * A free counts at its own site (a generator's at its line), the CPUs
 * and nodes it crossed at the allocation's (perf kmem's Ping-pong), so
 * the columns join slabsim import --stat's for the same trace. They add
 * up to the run's totals: allocs to allocations, frees to frees of
 * objects that were live (a double free is the kernel's, not a site's),
 * failures to alloc_failures.
 */
#include "sim/report/callsites.h"

#include <stdlib.h>
#include <string.h>

struct site_ref {
	const struct site_stats *st;
	char label[WL_MAX_SITE + 48];	/* a site, or FILE:LINE */
};

static void site_label(const struct run_result *res,
		       const struct site_stats *st, char *buf, size_t len)
{
	const char *file = strrchr(res->wl->file, '/');

	if (st->kind == SITE_OTHER) {
		snprintf(buf, len, "(other sites)");
		return;
	}
	if (st->kind == SITE_NAMED) {
		snprintf(buf, len, "%s", workload_site(res->wl, st->id));
		return;
	}
	file = file ? file + 1 : res->wl->file;
	snprintf(buf, len, "%.80s:%d", file, st->id);
}

/* Most allocations first, then most bytes, then by label: a total order. */
static int site_cmp(const void *a, const void *b)
{
	const struct site_ref *x = a, *y = b;

	if (x->st->allocs != y->st->allocs)
		return x->st->allocs > y->st->allocs ? -1 : 1;
	if (x->st->bytes_req != y->st->bytes_req)
		return x->st->bytes_req > y->st->bytes_req ? -1 : 1;
	return strcmp(x->label, y->label);
}

static struct site_ref *sorted_sites(const struct run_result *res)
{
	struct site_ref *v = xcalloc(res->nr_sites ? res->nr_sites : 1,
				     sizeof(*v));

	for (size_t i = 0; i < res->nr_sites; i++) {
		v[i].st = &res->sites[i];
		site_label(res, v[i].st, v[i].label, sizeof(v[i].label));
	}
	qsort(v, res->nr_sites, sizeof(*v), site_cmp);
	return v;
}

/* perf kmem's Frag: 100 - 100 * requested / allocated, in thousandths. */
static void put_frag(struct strbuf *sb, const struct site_stats *st)
{
	uint64_t milli = 0;

	if (st->bytes_alloc)
		milli = (st->bytes_alloc - st->bytes_req) * 100000 /
			st->bytes_alloc;
	sb_printf(sb, "%llu.%03llu", (unsigned long long)(milli / 1000),
		  (unsigned long long)(milli % 1000));
}

void report_callsites_csv(const struct run_result *res, struct strbuf *sb)
{
	struct site_ref *v = sorted_sites(res);

	sb_puts(sb, "site,allocs,frees,failures,bytes_req,bytes_alloc,frag_pct,"
		"cross_cpu_frees,cross_node_frees,waits,wait_ns\n");
	for (size_t i = 0; i < res->nr_sites; i++) {
		const struct site_stats *st = v[i].st;

		sb_put_csv_field(sb, v[i].label);
		sb_printf(sb, ",%llu,%llu,%llu,%llu,%llu,",
			  (unsigned long long)st->allocs,
			  (unsigned long long)st->frees,
			  (unsigned long long)st->failures,
			  (unsigned long long)st->bytes_req,
			  (unsigned long long)st->bytes_alloc);
		put_frag(sb, st);
		sb_printf(sb, ",%llu,%llu,%llu,%llu\n",
			  (unsigned long long)st->cross_cpu,
			  (unsigned long long)st->cross_node,
			  (unsigned long long)st->waits,
			  (unsigned long long)st->wait_ns);
	}
	free(v);
}

void report_callsites_json(const struct run_result *res, struct strbuf *sb,
			   size_t n)
{
	struct site_ref *v = sorted_sites(res);

	sb_puts(sb, "[");
	for (size_t i = 0; i < res->nr_sites && i < n; i++) {
		const struct site_stats *st = v[i].st;

		sb_puts(sb, i ? ",\n    {\"site\": " : "\n    {\"site\": ");
		sb_put_json_str(sb, v[i].label);
		sb_printf(sb, ", \"allocs\": %llu, \"frees\": %llu, "
			  "\"bytes_req\": %llu, \"bytes_alloc\": %llu, "
			  "\"frag_pct\": ",
			  (unsigned long long)st->allocs,
			  (unsigned long long)st->frees,
			  (unsigned long long)st->bytes_req,
			  (unsigned long long)st->bytes_alloc);
		put_frag(sb, st);
		sb_printf(sb, ", \"cross_cpu_frees\": %llu, "
			  "\"cross_node_frees\": %llu, \"waits\": %llu}",
			  (unsigned long long)st->cross_cpu,
			  (unsigned long long)st->cross_node,
			  (unsigned long long)st->waits);
	}
	sb_puts(sb, res->nr_sites ? "\n  ]" : "]");
	free(v);
}
