/*
 * The cost of an operation out of a run: latency.csv, and the "latency"
 * members of summary.json (over all caches, and per cache), from the
 * histograms the runner filled (sim/latency.h says how exact they are).
 */
#include <stdlib.h>
#include <string.h>

#include "sim/report/report.h"

/* mean as "123.4": tenths, rounded half up, in integers */
static void put_mean(struct strbuf *sb, const struct lat_hist *h)
{
	uint64_t tenths = h->count ? (h->sum * 10 + h->count / 2) / h->count : 0;

	sb_printf(sb, "%llu.%llu", (unsigned long long)(tenths / 10),
		  (unsigned long long)(tenths % 10));
}

static void put_figures_csv(struct strbuf *sb, const struct lat_hist *h)
{
	sb_printf(sb, "%llu,", (unsigned long long)h->count);
	put_mean(sb, h);
	sb_printf(sb, ",%llu,%llu,%llu\n",
		  (unsigned long long)lat_percentile(h, 500),
		  (unsigned long long)lat_percentile(h, 990),
		  (unsigned long long)h->max);
}

static void put_figures_json(struct strbuf *sb, const struct lat_hist *h)
{
	sb_printf(sb, "{\"count\": %llu, \"mean_ns\": ",
		  (unsigned long long)h->count);
	put_mean(sb, h);
	sb_printf(sb, ", \"p50_ns\": %llu, \"p99_ns\": %llu, \"max_ns\": %llu}",
		  (unsigned long long)lat_percentile(h, 500),
		  (unsigned long long)lat_percentile(h, 990),
		  (unsigned long long)h->max);
}

static const char *cache_name(const struct run_result *res, size_t i)
{
	return i < res->m->nr_caches ? res->m->caches[i]->name : "?";
}

void report_latency_csv(const struct run_result *res, struct strbuf *sb)
{
	sb_puts(sb, "cache,op,count,mean_ns,p50_ns,p99_ns,max_ns\n");
	for (size_t i = 0; i < res->nr_users; i++)
		for (int k = 0; k < LAT_NR_KINDS; k++) {
			const struct lat_hist *h = res->users[i].lat[k];

			if (!h || !h->count)
				continue;
			sb_printf(sb, "%s,%s,", cache_name(res, i),
				  lat_kind_names[k]);
			put_figures_csv(sb, h);
		}
}

void report_latency_json(const struct run_result *res, struct strbuf *sb)
{
	struct lat_hist *all = lat_new();
	bool first = true;

	sb_puts(sb, "  \"latency\": {");
	for (int k = 0; k < LAT_NR_KINDS; k++) {
		memset(all, 0, sizeof(*all));
		for (size_t i = 0; i < res->nr_users; i++)
			if (res->users[i].lat[k])
				lat_merge(all, res->users[i].lat[k]);
		if (!all->count)
			continue;
		sb_printf(sb, "%s\"%s\": ", first ? "" : ", ", lat_kind_names[k]);
		put_figures_json(sb, all);
		first = false;
	}
	sb_puts(sb, "},\n");
	free(all);
}

void report_latency_cache_json(const struct user_stats *u, struct strbuf *sb)
{
	bool first = true;

	sb_puts(sb, ", \"latency\": {");
	for (int k = 0; k < LAT_NR_KINDS; k++) {
		const struct lat_hist *h = u->lat[k];

		if (!h || !h->count)
			continue;
		sb_printf(sb, "%s\"%s\": ", first ? "" : ", ", lat_kind_names[k]);
		put_figures_json(sb, h);
		first = false;
	}
	sb_putc(sb, '}');
}
