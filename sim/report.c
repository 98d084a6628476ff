/*
 * Report writers. Every number printed here is either an integer or a
 * fixed-format decimal, so the same run gives the same bytes.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/frag_report.h"
#include "sim/report.h"

const char *const zone_names[PA_NR_ZONES] = { "DMA", "Normal" };

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

	for (size_t i = 0; i < m->nr_caches; i++) {
		struct sim_cache *sc = m->caches[i];

		if (!sc->cachep)
			continue;
		kmem_cache_get_info(sc->cachep, &infos[i]);
		const struct kmem_cache_info *info = &infos[i];
		unsigned long slabs = info->full_slabs + info->partial_slabs +
				      info->free_slabs;
		sb_printf(&res->timeseries,
			  "%llu.%03llu,%s,%lu,%lu,%lu,%lu,%lu,%lu,%llu,%llu,%llu\n",
			  (unsigned long long)(t_us / 1000),
			  (unsigned long long)(t_us % 1000), sc->name,
			  info->active_objs, info->num_objs, info->full_slabs,
			  info->partial_slabs, info->free_slabs,
			  slabs << info->gfporder,
			  (unsigned long long)user_of(res, i)->live_bytes,
			  (unsigned long long)info->active_objs * info->buffer_size,
			  (unsigned long long)(slabs << info->gfporder) * PAGE_SIZE);
	}
	report_frag_sample(res, t, infos);
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

static void put_us(struct strbuf *sb, vtime_t ns)
{
	/* lock_stat prints microseconds with two decimals. */
	uint64_t centi = (ns + 5) / 10;

	sb_printf(sb, " %11llu.%02llu", (unsigned long long)(centi / 100),
		  (unsigned long long)(centi % 100));
}

static void lock_stat(const struct machine *m, struct strbuf *sb,
		      struct strbuf *csv)
{
	const struct lock_class_stat *cls;
	size_t n = engine_lock_classes(m->eng, &cls);
	static const char rule[] =
		"---------------------------------------------------------------"
		"---------------------------------------------------------------"
		"---------------------------------------------------------------"
		"------------------------\n";

	sb_puts(sb, "lock_stat version 0.4\n");
	sb_puts(sb, rule);
	sb_printf(sb, "%40s %14s %14s %14s %14s %14s %14s %14s %14s %14s %14s %14s %14s\n",
		  "class name", "con-bounces", "contentions", "waittime-min",
		  "waittime-max", "waittime-total", "waittime-avg",
		  "acq-bounces", "acquisitions", "holdtime-min",
		  "holdtime-max", "holdtime-total", "holdtime-avg");
	sb_puts(sb, rule);
	sb_puts(csv, "class,con_bounces,contentions,wait_min_us,wait_max_us,"
		"wait_total_us,acq_bounces,acquisitions,hold_min_us,"
		"hold_max_us,hold_total_us\n");
	for (size_t i = 0; i < n; i++) {
		const struct lock_class_stat *c = &cls[i];

		if (!c->acquisitions)
			continue;
		sb_printf(sb, "\n%40s: %14llu %14llu", c->name,
			  (unsigned long long)c->con_bounces,
			  (unsigned long long)c->contentions);
		put_us(sb, c->wait_min);
		put_us(sb, c->wait_max);
		put_us(sb, c->wait_total);
		put_us(sb, c->contentions ? c->wait_total / c->contentions : 0);
		sb_printf(sb, " %14llu %14llu",
			  (unsigned long long)c->acq_bounces,
			  (unsigned long long)c->acquisitions);
		put_us(sb, c->hold_min);
		put_us(sb, c->hold_max);
		put_us(sb, c->hold_total);
		put_us(sb, c->hold_total / c->acquisitions);
		sb_putc(sb, '\n');
		sb_printf(sb, "%40s\n", "-------------------");

		sb_printf(csv, "%s,%llu,%llu,%.2f,%.2f,%.2f,%llu,%llu,%.2f,%.2f,%.2f\n",
			  c->name, (unsigned long long)c->con_bounces,
			  (unsigned long long)c->contentions,
			  c->wait_min / 1000.0, c->wait_max / 1000.0,
			  c->wait_total / 1000.0,
			  (unsigned long long)c->acq_bounces,
			  (unsigned long long)c->acquisitions,
			  c->hold_min / 1000.0, c->hold_max / 1000.0,
			  c->hold_total / 1000.0);
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

static void json_str(struct strbuf *sb, const char *s)
{
	sb_putc(sb, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			sb_printf(sb, "\\%c", c);
		else if (c < 0x20)
			sb_printf(sb, "\\u%04x", c);
		else
			sb_putc(sb, (char)c);
	}
	sb_putc(sb, '"');
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

static void summary_json(const struct run_result *res, struct strbuf *sb)
{
	const struct machine *m = res->m;
	const struct workload *wl = res->wl;
	struct slab_totals tot;
	const struct lock_class_stat *cls;
	size_t ncls = engine_lock_classes(m->eng, &cls);
	uint64_t contentions = 0, wait = 0, acq = 0;

	slab_totals(res, &tot);
	for (size_t i = 0; i < ncls; i++) {
		contentions += cls[i].contentions;
		wait += cls[i].wait_total;
		acq += cls[i].acquisitions;
	}
	sb_puts(sb, "{\n  \"workload\": ");
	json_str(sb, wl->name);
	sb_printf(sb, ",\n  \"seed\": %llu,\n  \"status\": \"%s\",\n",
		  (unsigned long long)wl->seed,
		  res->status == RUN_OK ? "ok" : "kernel_bug");
	sb_puts(sb, "  \"bug\": ");
	if (m->bugged)
		json_str(sb, m->bug_report.buf);
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
	sb_printf(sb, "  \"consistent\": %s,\n", res->consistent ? "true" : "false");
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
	sb_printf(sb, "  \"locks\": {\"acquisitions\": %llu, \"contentions\": %llu, "
		  "\"wait_ns\": %llu, \"classes\": {", (unsigned long long)acq,
		  (unsigned long long)contentions, (unsigned long long)wait);
	/* per lock class, as lock_stat names them, in order of creation */
	bool first_class = true;
	for (size_t i = 0; i < ncls; i++) {
		if (!cls[i].acquisitions)
			continue;
		sb_puts(sb, first_class ? "" : ", ");
		json_str(sb, cls[i].name);
		sb_printf(sb, ": {\"acquisitions\": %llu, \"contentions\": %llu, "
			  "\"wait_ns\": %llu}",
			  (unsigned long long)cls[i].acquisitions,
			  (unsigned long long)cls[i].contentions,
			  (unsigned long long)cls[i].wait_total);
		first_class = false;
	}
	sb_puts(sb, "}},\n");
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
		json_str(sb, info.name);
		sb_printf(sb, ", \"objsize\": %u, \"objperslab\": %u, "
			  "\"pagesperslab\": %u, \"active_objs\": %lu, "
			  "\"num_objs\": %lu, \"slabs\": %lu, \"user_objs\": %llu, "
			  "\"bytes_requested\": %llu, \"utilisation\": ",
			  info.buffer_size, info.num, 1u << info.gfporder,
			  info.active_objs, info.num_objs, slabs,
			  (unsigned long long)u->live_objs,
			  (unsigned long long)u->live_bytes);
		put_milli(sb, info.num_objs ?
			  (int)(info.active_objs * 1000 / info.num_objs) : 0);
		sb_printf(sb, ", \"allocs\": %llu, \"frees\": %llu, "
			  "\"failures\": %llu}",
			  (unsigned long long)u->allocs,
			  (unsigned long long)u->frees,
			  (unsigned long long)u->failures);
		first = false;
	}
	sb_puts(sb, "\n  ]\n}\n");
}

/* ------------------------------------------------------------------ */
/* The run directory, atomically                                        */
/* ------------------------------------------------------------------ */

/* What a run directory holds, besides slabinfo.<t>us and plots/. */
static const char *const run_files[] = {
	"slabinfo", "kernel.log", "timeseries.csv", "fragmentation.csv",
	"buddyinfo", "unusable_index", "extfrag_index", "lock_stat",
	"lock_stat.csv", "cache.csv", "l1sets.csv", "summary.json",
};

static bool run_file_name(const char *name)
{
	for (size_t i = 0; i < sizeof(run_files) / sizeof(run_files[0]); i++)
		if (!strcmp(name, run_files[i]))
			return true;
	return !strncmp(name, "slabinfo.", 9);
}

/*
 * Calls fn on every entry of dir but . and ..; stops at the first that
 * returns false and returns false then (true for a missing directory).
 */
static bool each_entry(const char *dir, bool (*fn)(const char *dir,
						    const char *name))
{
	DIR *d = opendir(dir);
	struct dirent *e;
	bool ok = true;

	if (!d)
		return true;
	while (ok && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			ok = fn(dir, e->d_name);
	closedir(d);
	return ok;
}

static bool entry_is_ours(const char *dir, const char *name)
{
	char p[4200];
	struct stat st;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	if (lstat(p, &st) != 0)
		return false;
	size_t n = strlen(dir);
	bool in_plots = n >= 6 && !strcmp(dir + n - 6, "/plots");

	if (S_ISDIR(st.st_mode))
		return !in_plots && !strcmp(name, "plots") &&
		       each_entry(p, entry_is_ours);
	return S_ISREG(st.st_mode) && (in_plots || run_file_name(name));
}

bool report_dir_replaceable(const char *path)
{
	struct stat st;

	if (lstat(path, &st) != 0)
		return true;
	return S_ISDIR(st.st_mode) && each_entry(path, entry_is_ours);
}

static bool remove_entry(const char *dir, const char *name)
{
	char p[4200];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	if (!strcmp(name, "plots")) {
		each_entry(p, remove_entry);
		rmdir(p);
	} else {
		unlink(p);
	}
	return true;
}

/* Remove a run directory (only ever one report_dir_replaceable allows). */
static void remove_dir(const char *path)
{
	if (!report_dir_replaceable(path))
		return;
	each_entry(path, remove_entry);
	rmdir(path);
}

struct out_file {
	const char *name;
	struct strbuf sb;
};

void report_write_run_dir(const struct run_result *res,
			  const struct run_options *opt)
{
	const struct machine *m = res->m;
	char tmp[4096], old[4096], path[4200];
	struct strbuf files[16];
	const char *names[16];
	size_t nf = 0;

#define NEWFILE(n) (names[nf] = (n), sb_init(&files[nf]), &files[nf++])
	struct strbuf *sb = NEWFILE("slabinfo");
	sb_puts(sb, res->final_slabinfo.buf ? res->final_slabinfo.buf : "");
	sb = NEWFILE("kernel.log");
	sb_puts(sb, m->klog.buf ? m->klog.buf : "");
	sb = NEWFILE("timeseries.csv");
	sb_puts(sb, "t_ms,cache,active_objs,num_objs,full_slabs,partial_slabs,"
		"free_slabs,pages,bytes_requested,bytes_active,bytes_held\n");
	sb_puts(sb, res->timeseries.buf ? res->timeseries.buf : "");
	sb = NEWFILE("fragmentation.csv");
	report_frag_header(sb);
	sb_puts(sb, res->fragmentation.buf ? res->fragmentation.buf : "");
	sb = NEWFILE("buddyinfo");
	buddyinfo(m, sb);
	struct strbuf *unusable = NEWFILE("unusable_index");
	struct strbuf *findex = NEWFILE("extfrag_index");
	extfrag(m, unusable, findex);
	struct strbuf *ls = NEWFILE("lock_stat");
	struct strbuf *lcsv = NEWFILE("lock_stat.csv");
	lock_stat(m, ls, lcsv);
	struct strbuf *cc = NEWFILE("cache.csv");
	struct strbuf *sets = NEWFILE("l1sets.csv");
	cache_csv(m, cc, sets);
	sb = NEWFILE("summary.json");
	summary_json(res, sb);
#undef NEWFILE

	snprintf(tmp, sizeof(tmp), "%s.partial", opt->out_dir);
	snprintf(old, sizeof(old), "%s.old", opt->out_dir);
	if (!report_dir_replaceable(opt->out_dir) ||
	    !report_dir_replaceable(tmp) || !report_dir_replaceable(old))
		user_error("%s: exists and is not a slabsim run directory; "
			   "not replacing it", opt->out_dir);
	remove_dir(tmp);
	if (mkdir(tmp, 0777) != 0)
		user_error("%s: cannot create: %s", tmp, strerror(errno));
	bool ok = true;
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
	int err = errno;
	for (size_t i = 0; i < nf; i++)
		sb_free(&files[i]);
	if (!ok) {
		remove_dir(tmp);
		user_error("%s: cannot write: %s", opt->out_dir, strerror(err));
	}
	struct stat st;
	if (stat(opt->out_dir, &st) == 0) {
		if (!S_ISDIR(st.st_mode)) {
			remove_dir(tmp);
			user_error("%s: exists and is not a directory", opt->out_dir);
		}
		remove_dir(old);
		if (rename(opt->out_dir, old) != 0) {
			err = errno;
			remove_dir(tmp);
			user_error("%s: cannot replace: %s", opt->out_dir,
				   strerror(err));
		}
	}
	if (rename(tmp, opt->out_dir) != 0) {
		err = errno;
		remove_dir(tmp);
		user_error("%s: cannot create: %s", opt->out_dir, strerror(err));
	}
	remove_dir(old);
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
	fprintf(out, "  kernel log: %lu errors, %lu warnings%s\n",
		m->errors_logged, m->warnings,
		m->bugged ? " -- the kernel hit BUG, see kernel.log" : "");
	if (m->fault_page.rule)
		fprintf(out, "  faults: %llu of %llu page allocations failed by injection\n",
			(unsigned long long)m->fault_page.injected,
			(unsigned long long)m->fault_page.candidates);
	fprintf(out, "  written to %s\n", dir);
}
