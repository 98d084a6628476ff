/*
 * Report writers. Every number printed here is either an integer or a
 * fixed-format decimal, so the same run gives the same bytes.
 */
#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/report/frag.h"
#include "sim/report/report.h"
#include "sim/report/callsites.h"
#include "sim/report/outdir.h"

/* mm/page_alloc.c zone_names[], 2.6.17 */
const char *const zone_names[PA_NR_ZONES] = {
	"DMA", "DMA32", "Normal", "HighMem",
};

/*
 * "0.865" from thousandths; "-1.000" for -1000: what "%s%d.%03d" of the
 * sign, |v| / 1000 and |v| % 1000 prints, by hand, because every sample
 * prints two per order of every zone and snprintf costs a thousand host
 * instructions a call. buf has room for 16 bytes (any int needs 13).
 */
const char *milli_str(char *buf, int v)
{
	unsigned int a = v < 0 ? 0u - (unsigned int)v : (unsigned int)v;
	unsigned int whole = a / 1000, frac = a % 1000;
	char digits[10];
	char *p = buf;
	int n = 0;

	if (v < 0)
		*p++ = '-';
	do {
		digits[n++] = (char)('0' + whole % 10);
		whole /= 10;
	} while (whole);
	while (n)
		*p++ = digits[--n];
	*p++ = '.';
	*p++ = (char)('0' + frac / 100);
	*p++ = (char)('0' + frac / 10 % 10);
	*p++ = (char)('0' + frac % 10);
	*p = '\0';
	return buf;
}

void put_milli(struct strbuf *sb, int v)
{
	char buf[16];

	sb_puts(sb, milli_str(buf, v));
}

static const struct user_stats *user_of(const struct run_result *res, size_t i)
{
	static const struct user_stats none;

	return i < res->nr_users ? &res->users[i] : &none;
}

/* ------------------------------------------------------------------ */
/* Time series                                                          */
/* ------------------------------------------------------------------ */

void report_sample(struct run_result *res, uint64_t t)
{
	struct machine *m = res->m;
	uint64_t t_us = t / 1000;
	/* Each cache is read once (its lists walked under their locks) and
	 * the same snapshot feeds both files. */
	struct kmem_cache_info *infos = xcalloc(m->nr_caches, sizeof(*infos));
	size_t nc = m->nr_caches;
	uint64_t *lc = xcalloc(nc ? 2 * nc : 1, sizeof(*lc));

	/* lock figures per sample: what the cache's locks added since the last */
	report_lock_cache_totals(m, nc, lc, lc + nc);
	if (res->nr_lock_prev < nc) {
		res->lock_prev = xrealloc(res->lock_prev,
					  2 * nc * sizeof(*res->lock_prev));
		memset(res->lock_prev + 2 * res->nr_lock_prev, 0,
		       2 * (nc - res->nr_lock_prev) * sizeof(*res->lock_prev));
		res->nr_lock_prev = nc;
	}

	for (size_t i = 0; i < m->nr_caches; i++) {
		struct sim_cache *sc = m->caches[i];

		if (!sc->cachep)
			continue;
		kmem_cache_get_info(sc->cachep, &infos[i]);
		const struct kmem_cache_info *info = &infos[i];
		unsigned long slabs = info->full_slabs + info->partial_slabs +
				      info->free_slabs;
		uint64_t *prev = &res->lock_prev[2 * i];
		sb_printf(&res->timeseries,
			  "%llu.%03llu,%s,%lu,%lu,%lu,%lu,%lu,%lu,%llu,%llu,%llu,"
			  "%llu,%llu,%llu,%llu\n",
			  (unsigned long long)(t_us / 1000),
			  (unsigned long long)(t_us % 1000), sc->name,
			  info->active_objs, info->num_objs, info->full_slabs,
			  info->partial_slabs, info->free_slabs,
			  slabs << info->gfporder,
			  (unsigned long long)user_of(res, i)->live_bytes,
			  (unsigned long long)info->active_objs * info->buffer_size,
			  (unsigned long long)(slabs << info->gfporder) * PAGE_SIZE,
			  (unsigned long long)(lc[i] - prev[0]),
			  (unsigned long long)(lc[nc + i] - prev[1]),
			  (unsigned long long)user_of(res, i)->live_objs,
			  (unsigned long long)user_of(res, i)->live_objs *
			  info->buffer_size);
	}
	for (size_t i = 0; i < nc; i++) {
		res->lock_prev[2 * i] = lc[i];
		res->lock_prev[2 * i + 1] = lc[nc + i];
	}
	report_frag_sample(res, t, infos);
	free(lc);
	free(infos);
}

/* ------------------------------------------------------------------ */
/* Files                                                                */
/* ------------------------------------------------------------------ */

static void buddyinfo(const struct machine *m, struct strbuf *sb)
{
	struct pa_zone_info zi;
	int nid, z;

	/* /proc/buddyinfo: "Node 0, zone   Normal" then nr_free per order. */
	for_each_present_zone(m, nid, z, zi) {
		sb_printf(sb, "Node %d, zone %8s ", nid, zone_names[z]);
		for (int o = 0; o < PA_MAX_ORDER; o++)
			sb_printf(sb, "%6llu ", (unsigned long long)zi.nr_free[o]);
		sb_putc(sb, '\n');
	}
}

static void extfrag(const struct machine *m, struct strbuf *unusable,
		    struct strbuf *index)
{
	struct pa_zone_info zi;
	int nid, z;

	/* debugfs extfrag/unusable_index and extfrag/extfrag_index */
	for_each_present_zone(m, nid, z, zi) {
		sb_printf(unusable, "Node %d, zone %8s ", nid, zone_names[z]);
		sb_printf(index, "Node %d, zone %8s ", nid, zone_names[z]);
		for (unsigned int o = 0; o < PA_MAX_ORDER; o++) {
			put_milli(unusable, frag_unusable_index(zi.nr_free, o));
			sb_putc(unusable, ' ');
			put_milli(index, frag_fragmentation_index(zi.nr_free, o));
			sb_putc(index, ' ');
		}
		sb_putc(unusable, '\n');
		sb_putc(index, '\n');
	}
}

static void cache_csv(const struct machine *m, struct strbuf *sb,
		      struct strbuf *sets)
{
	sb_puts(sb, "cache,colour,accesses,l1_hits,l2_hits,misses,"
		"coherence_misses,remote\n");
	sb_puts(sets, "set,accesses,misses\n");
	if (!m->cm)
		return;
	for (size_t t = 0; t < m->nr_tags; t++) {
		struct cm_stats st;
		const struct cm_tag *tag = &m->tags[t];

		cache_model_tag_stats(m->cm, (uint32_t)t, &st);
		sb_printf(sb, "%s,%u,%llu,%llu,%llu,%llu,%llu,%llu\n",
			  tag->cache >= 0 ? m->caches[tag->cache]->name : "(other)",
			  tag->colour, (unsigned long long)st.accesses,
			  (unsigned long long)st.l1_hits,
			  (unsigned long long)st.l2_hits,
			  (unsigned long long)st.misses,
			  (unsigned long long)st.coherence_misses,
			  (unsigned long long)st.remote);
	}
	unsigned int nsets = cache_model_l1_sets(m->cm);
	for (unsigned int s = 0; s < nsets; s++) {
		uint64_t acc, miss;

		cache_model_l1_set_stats(m->cm, s, &acc, &miss);
		sb_printf(sets, "%u,%llu,%llu\n", s, (unsigned long long)acc,
			  (unsigned long long)miss);
	}
}

/*
 * l1sets_cache.csv: the L1 set histogram of each cache on its own (its
 * colours summed), so one cache's use of the sets can be read without
 * the others mixed in. Caches in the order of their first tag in
 * cache.csv; "(other)" is memory outside slab caches.
 */
static void cache_sets_csv(const struct machine *m, struct strbuf *sb)
{
	unsigned int nsets;
	bool *done;

	sb_puts(sb, "cache,set,accesses,misses\n");
	if (!m->cm)
		return;
	nsets = cache_model_l1_sets(m->cm);
	done = xcalloc(m->nr_tags + 1, sizeof(*done));
	for (size_t t = 0; t < m->nr_tags; t++) {
		int cache = m->tags[t].cache;

		if (done[t])
			continue;
		for (unsigned int s = 0; s < nsets; s++) {
			uint64_t acc = 0, miss = 0;

			for (size_t u = t; u < m->nr_tags; u++) {
				uint64_t a, mi;

				if (m->tags[u].cache != cache)
					continue;
				done[u] = true;
				cache_model_tag_l1_set_stats(m->cm, (uint32_t)u,
							     s, &a, &mi);
				acc += a;
				miss += mi;
			}
			sb_printf(sb, "%s,%u,%llu,%llu\n",
				  cache >= 0 ? m->caches[cache]->name : "(other)",
				  s, (unsigned long long)acc,
				  (unsigned long long)miss);
		}
	}
	free(done);
}

/* Totals over every cache, for the summary. */
struct slab_totals {
	unsigned long active_objs, num_objs, pages;
	uint64_t bytes_active, bytes_held, bytes_requested;
};

static void slab_totals(const struct run_result *res, struct slab_totals *t)
{
	const struct machine *m = res->m;

	memset(t, 0, sizeof(*t));
	for (size_t i = 0; i < m->nr_caches; i++) {
		struct kmem_cache_info info;

		if (!m->caches[i]->cachep)
			continue;
		kmem_cache_get_info(m->caches[i]->cachep, &info);
		unsigned long pages = (info.full_slabs + info.partial_slabs +
				       info.free_slabs) << info.gfporder;
		t->active_objs += info.active_objs;
		t->num_objs += info.num_objs;
		t->pages += pages;
		t->bytes_active += (uint64_t)info.active_objs * info.buffer_size;
		t->bytes_held += (uint64_t)pages * PAGE_SIZE;
		t->bytes_requested += user_of(res, i)->live_bytes;
	}
}

/* ------------------------------------------------------------------ */
/* What the validators checked, and what they could not                 */
/* ------------------------------------------------------------------ */

/*
 * "consistent" alone overstates: the validators check the slab's own
 * bookkeeping, not what a kernel without debugging cannot know. Each
 * limit that applies to this run is one line of not_checked.
 */
static size_t check_limits(const struct run_result *res, const char **lines,
			   char bufs[][200])
{
	size_t n = 0;

	if (!res->checked)
		lines[n++] = "the state between operations: the validators ran "
			     "once, at the end (--check runs them after every "
			     "operation)";
	if (res->status != RUN_OK)
		lines[n++] = "anything after the BUG that stopped the run";
	if (!res->wl->debug)
		lines[n++] = "object contents, red zones and poisoning: "
			     "CONFIG_DEBUG_SLAB is off (slab.debug: false)";
	if (res->double_frees && !res->wl->debug) {
		snprintf(bufs[n], 200, "%llu double free%s given to a kernel "
			 "without CONFIG_DEBUG_SLAB, which cannot detect %s: "
			 "an object may be handed out twice, which no count "
			 "shows", (unsigned long long)res->double_frees,
			 res->double_frees == 1 ? "" : "s",
			 res->double_frees == 1 ? "it" : "them");
		lines[n] = bufs[n];
		n++;
	}
	return n;
}

static void check_json(const struct run_result *res, struct strbuf *sb)
{
	const char *lines[4];
	char bufs[4][200];
	size_t n = check_limits(res, lines, bufs);

	sb_printf(sb, "  \"check\": {\"validations\": %llu, \"checked\": ",
		  (unsigned long long)(res->m->validations +
					     (res->status == RUN_OK)));
	sb_put_json_str(sb, "every cache's slab lists, counts, free lists and "
		 "free_objects (slab_core_is_consistent)");
	sb_puts(sb, ", \"not_checked\": [");
	for (size_t i = 0; i < n; i++) {
		sb_puts(sb, i ? ", " : "");
		sb_put_json_str(sb, lines[i]);
	}
	sb_puts(sb, "]},\n");
}

static void summary_json(const struct run_result *res, struct strbuf *sb)
{
	const struct machine *m = res->m;
	const struct workload *wl = res->wl;
	struct slab_totals tot;
	uint64_t *lc = xcalloc(m->nr_caches ? 2 * m->nr_caches : 1, sizeof(*lc));

	slab_totals(res, &tot);
	report_lock_cache_totals(m, m->nr_caches, lc, lc + m->nr_caches);
	sb_puts(sb, "{\n  \"workload\": ");
	sb_put_json_str(sb, wl->name);
	sb_printf(sb, ",\n  \"seed\": %llu,\n  \"status\": \"%s\",\n",
		  (unsigned long long)wl->seed,
		  res->status == RUN_OK ? "ok" : "kernel_bug");
	sb_puts(sb, "  \"bug\": ");
	if (m->bugged)
		sb_put_json_str(sb, m->bug_report.buf);
	else
		sb_puts(sb, "null");
	sb_printf(sb, ",\n  \"machine\": {\"arch\": \"%s\", \"cpus\": %d, "
		  "\"nodes\": %d, \"memory_per_node\": %llu, \"hz\": %u, "
		  "\"bufctl_bytes\": %u, \"cache_line\": %u},\n",
		  m->arch.name, m->nr_cpus, m->nr_nodes,
		  (unsigned long long)wl->machine.memory, wl->machine.hz,
		  m->arch.sizeof_bufctl, m->arch.cache_line);
	sb_printf(sb, "  \"debug\": %s,\n", wl->debug ? "true" : "false");
	sb_printf(sb, "  \"boot_ns\": %llu,\n  \"time_ns\": %llu,\n",
		  (unsigned long long)res->boot_t, (unsigned long long)res->end_t);
	sb_printf(sb, "  \"operations\": %llu,\n  \"allocations\": %llu,\n"
		  "  \"frees\": %llu,\n  \"alloc_failures\": %llu,\n"
		  "  \"double_frees\": %llu,\n  \"skipped\": %llu,\n",
		  (unsigned long long)res->ops, (unsigned long long)res->allocs,
		  (unsigned long long)res->frees,
		  (unsigned long long)res->alloc_failures,
		  (unsigned long long)res->double_frees,
		  (unsigned long long)res->skipped);
	sb_printf(sb, "  \"events\": {\"read\": %llu, \"not_run\": %llu, "
		  "\"waited\": %llu, \"wait_ns\": %llu},\n",
		  (unsigned long long)res->events,
		  (unsigned long long)res->not_run,
		  (unsigned long long)res->waits,
		  (unsigned long long)res->wait_ns);
	sb_puts(sb, "  \"top_callsites\": ");
	report_callsites_json(res, sb, 5);
	sb_puts(sb, ",\n");
	sb_printf(sb, "  \"consistent\": %s,\n", res->consistent ? "true" : "false");
	check_json(res, sb);
	sb_printf(sb, "  \"kernel_log\": {\"errors\": %lu, \"warnings\": %lu, "
		  "\"page_alloc_failures\": %lu},\n", m->errors_logged,
		  m->warnings, m->page_alloc_failures);
	/* only with a faults: rule: runs without one keep their summary */
	if (m->fault_page.rule)
		sb_printf(sb, "  \"faults\": {\"page_alloc\": {\"candidates\": %llu, "
			  "\"injected\": %llu}},\n",
			  (unsigned long long)m->fault_page.candidates,
			  (unsigned long long)m->fault_page.injected);
	sb_printf(sb, "  \"slab\": {\"pages\": %ld, \"active_objs\": %lu, "
		  "\"num_objs\": %lu, \"bytes_requested\": %llu, "
		  "\"bytes_active\": %llu, \"bytes_held\": %llu},\n",
		  m->nr_slab, tot.active_objs, tot.num_objs,
		  (unsigned long long)tot.bytes_requested,
		  (unsigned long long)tot.bytes_active,
		  (unsigned long long)tot.bytes_held);
	frag_summary_json(res, sb);
	report_lock_json(m, sb);
	report_latency_json(res, sb);
	if (m->cm) {
		struct cm_stats st;

		cache_model_totals(m->cm, &st);
		sb_printf(sb, "  \"cache_model\": {\"accesses\": %llu, \"l1_hits\": %llu, "
			  "\"l2_hits\": %llu, \"misses\": %llu, "
			  "\"coherence_misses\": %llu, \"remote\": %llu},\n",
			  (unsigned long long)st.accesses,
			  (unsigned long long)st.l1_hits,
			  (unsigned long long)st.l2_hits,
			  (unsigned long long)st.misses,
			  (unsigned long long)st.coherence_misses,
			  (unsigned long long)st.remote);
	} else {
		sb_puts(sb, "  \"cache_model\": null,\n");
	}
	uint64_t free_pages = 0;
	sb_puts(sb, "  \"zones\": [");
	bool first = true;
	struct pa_zone_info zi;
	int nid, z;
	for_each_present_zone(m, nid, z, zi) {
		free_pages += zi.free_pages;
		sb_printf(sb, "%s\n    {\"node\": %d, \"zone\": \"%s\", "
			  "\"managed\": %llu, \"free\": %llu, "
			  "\"unusable_index_order3\": ",
			  first ? "" : ",", nid, zone_names[z],
			  (unsigned long long)zi.managed,
			  (unsigned long long)zi.free_pages);
		put_milli(sb, frag_unusable_index(zi.nr_free, 3));
		sb_puts(sb, ", \"fragmentation_index_order3\": ");
		put_milli(sb, frag_fragmentation_index(zi.nr_free, 3));
		sb_puts(sb, "}");
		first = false;
	}
	sb_printf(sb, "\n  ],\n  \"free_pages\": %llu,\n",
		  (unsigned long long)free_pages);
	sb_puts(sb, "  \"caches\": [");
	first = true;
	for (size_t i = 0; i < m->nr_caches; i++) {
		struct kmem_cache_info info;
		const struct user_stats *u = user_of(res, i);

		if (!m->caches[i]->cachep)
			continue;
		kmem_cache_get_info(m->caches[i]->cachep, &info);
		if (m->caches[i]->kmalloc && !info.num_objs && !u->allocs)
			continue;
		unsigned long slabs = info.full_slabs + info.partial_slabs +
				      info.free_slabs;
		sb_printf(sb, "%s\n    {\"name\": ", first ? "" : ",");
		sb_put_json_str(sb, info.name);
		sb_printf(sb, ", \"objsize\": %u, \"objperslab\": %u, "
			  "\"pagesperslab\": %u, \"active_objs\": %lu, "
			  "\"num_objs\": %lu, \"slabs\": %lu, \"user_objs\": %llu, "
			  "\"bytes_requested\": %llu, \"utilisation\": ",
			  info.buffer_size, info.num, 1u << info.gfporder,
			  info.active_objs, info.num_objs, slabs,
			  (unsigned long long)u->live_objs,
			  (unsigned long long)u->live_bytes);
		/* users' live objects over objects held: objects parked in
		 * per-CPU, shared and alien arrays are not in use */
		put_milli(sb, info.num_objs ?
			  (int)(u->live_objs * 1000 / info.num_objs) : 0);
		sb_printf(sb, ", \"allocs\": %llu, \"frees\": %llu, "
			  "\"failures\": %llu, \"lock_contentions\": %llu, "
			  "\"lock_wait_ns\": %llu",
			  (unsigned long long)u->allocs,
			  (unsigned long long)u->frees,
			  (unsigned long long)u->failures,
			  (unsigned long long)lc[i],
			  (unsigned long long)lc[m->nr_caches + i]);
		report_latency_cache_json(u, sb);
		sb_putc(sb, '}');
		first = false;
	}
	sb_puts(sb, "\n  ]\n}\n");
	free(lc);
}

void report_summary_json(const struct run_result *res, struct strbuf *sb)
{
	summary_json(res, sb);
}

/* ------------------------------------------------------------------ */
/* The run directory, atomically                                        */
/* ------------------------------------------------------------------ */

struct out_file {
	const char *name;
	struct strbuf sb;
};

void report_write_run_dir(const struct run_result *res,
			  const struct run_options *opt)
{
	const struct machine *m = res->m;
	char path[4200];
	struct strbuf files[24];
	const char *names[24];
	size_t nf = 0;

	/* every file a run writes, each once: room checked as they are made */
#define NEWFILE(n) (assert(nf < sizeof(files) / sizeof(files[0])),	\
		    names[nf] = (n), sb_init(&files[nf]), &files[nf++])
	struct strbuf *sb = NEWFILE("slabinfo");
	sb_puts(sb, res->final_slabinfo.buf ? res->final_slabinfo.buf : "");
	sb = NEWFILE("kernel.log");
	sb_puts(sb, m->klog.buf ? m->klog.buf : "");
	sb = NEWFILE("timeseries.csv");
	sb_puts(sb, "t_ms,cache,active_objs,num_objs,full_slabs,partial_slabs,"
		"free_slabs,pages,bytes_requested,bytes_active,bytes_held,"
		"lock_contentions,lock_wait_ns,user_objs,bytes_user\n");
	sb_puts(sb, res->timeseries.buf ? res->timeseries.buf : "");
	sb = NEWFILE("fragmentation.csv");
	report_frag_header(sb);
	sb_puts(sb, res->fragmentation.buf ? res->fragmentation.buf : "");
	frag_failure_rows(res, sb);
	sb = NEWFILE("buddyinfo");
	buddyinfo(m, sb);
	struct strbuf *unusable = NEWFILE("unusable_index");
	struct strbuf *findex = NEWFILE("extfrag_index");
	extfrag(m, unusable, findex);
	struct strbuf *ls = NEWFILE("lock_stat");
	struct strbuf *lcsv = NEWFILE("lock_stat.csv");
	report_lock_stat(m, ls, lcsv);
	struct strbuf *cc = NEWFILE("cache.csv");
	struct strbuf *sets = NEWFILE("l1sets.csv");
	cache_csv(m, cc, sets);
	sb = NEWFILE("callsites.csv");
	report_callsites_csv(res, sb);
	cache_sets_csv(m, NEWFILE("l1sets_cache.csv"));
	sb = NEWFILE("latency.csv");
	report_latency_csv(res, sb);
	sb = NEWFILE("summary.json");
	summary_json(res, sb);
	if (res->wl->nr_expects) {
		sb = NEWFILE("expect.json");
		sb_puts(sb, res->expect_json.buf ? res->expect_json.buf : "");
		sb = NEWFILE("junit.xml");
		sb_puts(sb, res->junit.buf ? res->junit.buf : "");
	}
#undef NEWFILE

	/*
	 * Built in a fresh directory beside the target, the marker first
	 * (so even a half-written one is recognisably ours), then put in
	 * place with one atomic exchange: a kill at any moment, or another
	 * run racing for the same -o, leaves one complete run there.
	 */
	struct strbuf marker;
	sb_init(&marker);
	outdir_marker_begin(&marker, OUTDIR_RUN, res->wl->name);
	for (size_t i = 0; i < nf; i++)
		outdir_marker_entry(&marker, "file", names[i]);
	for (size_t i = 0; i < res->nr_snaps; i++) {
		snprintf(path, sizeof(path), "slabinfo.%lluus",
			 (unsigned long long)(res->snaps[i].t / 1000));
		outdir_marker_entry(&marker, "file", path);
	}
	char *tmp = outdir_mktemp(opt->out_dir);
	if (!tmp)
		user_error("%s: cannot create a directory beside it: %s",
			   opt->out_dir, strerror(errno));
	snprintf(path, sizeof(path), "%s/%s", tmp, OUTDIR_RUN_MARKER);
	bool ok = write_file(path, marker.buf, marker.len);
	int err = errno;
	sb_free(&marker);
	if (!ok) {
		unlink(path);
		rmdir(tmp);
		user_error("%s: cannot write: %s", opt->out_dir, strerror(err));
	}
	for (size_t i = 0; i < nf && ok; i++) {
		snprintf(path, sizeof(path), "%s/%s", tmp, names[i]);
		ok = write_file(path, files[i].buf ? files[i].buf : "", files[i].len);
	}
	for (size_t i = 0; i < res->nr_snaps && ok; i++) {
		const struct snapshot *s = &res->snaps[i];
		snprintf(path, sizeof(path), "%s/slabinfo.%lluus", tmp,
			 (unsigned long long)(s->t / 1000));
		ok = write_file(path, s->text.buf ? s->text.buf : "", s->text.len);
	}
	err = errno;
	for (size_t i = 0; i < nf; i++)
		sb_free(&files[i]);
	if (!ok) {
		outdir_remove(tmp, OUTDIR_RUN);
		user_error("%s: cannot write: %s", opt->out_dir, strerror(err));
	}
	char why[600];
	if (!outdir_install(tmp, opt->out_dir, OUTDIR_RUN, why, sizeof(why))) {
		outdir_remove(tmp, OUTDIR_RUN);
		user_error("%s: not replacing it: %s", opt->out_dir, why);
	}
	free(tmp);
}

void report_print_summary(const struct run_result *res, const char *dir,
			  FILE *out)
{
	const struct machine *m = res->m;
	struct slab_totals tot;
	const struct lock_class_stat *cls;
	size_t ncls = engine_lock_classes(m->eng, &cls);
	uint64_t contentions = 0, wait = 0;

	slab_totals(res, &tot);
	for (size_t i = 0; i < ncls; i++) {
		contentions += cls[i].contentions;
		wait += cls[i].wait_total;
	}
	fprintf(out, "slabsim: %s, seed %llu, %s, %d CPU%s on %d node%s\n",
		res->wl->name, (unsigned long long)res->wl->seed, m->arch.name,
		m->nr_cpus, m->nr_cpus == 1 ? "" : "s", m->nr_nodes,
		m->nr_nodes == 1 ? "" : "s");
	fprintf(out, "  simulated %llu.%06llu s, %llu operations: %llu allocs, "
		"%llu frees, %llu failed, %llu double frees\n",
		(unsigned long long)(res->end_t / 1000000000ULL),
		(unsigned long long)(res->end_t % 1000000000ULL / 1000),
		(unsigned long long)res->ops, (unsigned long long)res->allocs,
		(unsigned long long)res->frees,
		(unsigned long long)res->alloc_failures,
		(unsigned long long)res->double_frees);
	fprintf(out, "  slab: %ld pages, %lu/%lu objects active, %llu bytes "
		"requested in %llu bytes held\n", m->nr_slab, tot.active_objs,
		tot.num_objs, (unsigned long long)tot.bytes_requested,
		(unsigned long long)tot.bytes_held);
	fprintf(out, "  locks: %llu contentions, %llu.%03llu us waited\n",
		(unsigned long long)contentions,
		(unsigned long long)(wait / 1000),
		(unsigned long long)(wait % 1000));
	if (res->checked) {
		const char *lines[4];
		char bufs[4][200];
		size_t n = check_limits(res, lines, bufs);
		fprintf(out, "  check: the validators ran %llu times and %s\n",
			(unsigned long long)(m->validations +
					     (res->status == RUN_OK)),
			res->consistent ? "held" : "found the slab inconsistent");
		for (size_t i = 0; i < n; i++)
			fprintf(out, "    not checked: %s\n", lines[i]);
	}
	fprintf(out, "  kernel log: %lu errors, %lu warnings, %lu page "
		"allocation failure%s%s\n", m->errors_logged, m->warnings,
		m->page_alloc_failures, m->page_alloc_failures == 1 ? "" : "s",
		m->bugged ? " -- the kernel hit BUG, see kernel.log" : "");
	char note[256];
	if (frag_watermark_note(m, note, sizeof(note)))
		fprintf(out, "  note: %s\n", note);
	if (m->fault_page.rule)
		fprintf(out, "  faults: %llu of %llu page allocations failed by injection\n",
			(unsigned long long)m->fault_page.injected,
			(unsigned long long)m->fault_page.candidates);
	fprintf(out, "  written to %s\n", dir);
}
