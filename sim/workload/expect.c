/*
 * The `expect:` entries of a workload, parsed and checked before the run
 * (see expect.h). Table-driven like the loader: one row per key, and one
 * walk that rejects unknown and repeated keys.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "sim/workload/expect.h"
#include "sim/workload.h"

/* ------------------------------------------------------------------ */
/* What can be named                                                    */
/* ------------------------------------------------------------------ */

/*
 * summary.json's figures by section; '*' stands for one name (a lock
 * class, a cache, an index). A path whose first part is one of these
 * sections must match a pattern, so a typo is caught before the run; a
 * path into a section not listed here is checked after the run, against
 * the summary itself (tests/test_expect.c keeps this list and
 * report.c's summary in step).
 */
static const char *const summary_patterns[] = {
	"workload", "seed", "status", "bug", "debug", "boot_ns", "time_ns",
	"operations", "allocations", "frees", "alloc_failures",
	"double_frees", "skipped", "consistent", "free_pages",
	"machine.arch", "machine.cpus", "machine.nodes",
	"machine.memory_per_node", "machine.hz", "machine.bufctl_bytes",
	"machine.cache_line",
	"kernel_log.errors", "kernel_log.warnings",
	"kernel_log.page_alloc_failures",
	"slab.pages", "slab.active_objs", "slab.num_objs",
	"slab.bytes_requested", "slab.bytes_active", "slab.bytes_held",
	"slab_waste.pages", "slab_waste.bytes_held",
	"slab_waste.bytes_requested", "slab_waste.bytes_objects",
	"slab_waste.rounding", "slab_waste.parked_cpu",
	"slab_waste.parked_shared", "slab_waste.parked_alien",
	"slab_waste.idle_partial", "slab_waste.idle_free",
	"slab_waste.kernel_objs", "slab_waste.left_over", "slab_waste.mgmt",
	"slab_waste.mgmt_offslab",
	"page_alloc.failures", "page_alloc.failures_by_order.*",
	"page_alloc.first_failure.*",
	"locks.acquisitions", "locks.contentions", "locks.wait_ns",
	"locks.classes.*.acquisitions", "locks.classes.*.contentions",
	"locks.classes.*.wait_ns",
	"locks.classes.*.contention_points.*.site",
	"locks.classes.*.contention_points.*.count",
	"locks.classes.*.contending_points.*.site",
	"locks.classes.*.contending_points.*.count",
	"locks.classes.*.by_cache.*.cache", "locks.classes.*.by_cache.*.part",
	"locks.classes.*.by_cache.*.acquisitions",
	"locks.classes.*.by_cache.*.contentions",
	"locks.classes.*.by_cache.*.wait_ns",
	"latency.*.count", "latency.*.mean_ns", "latency.*.p50_ns",
	"latency.*.p99_ns", "latency.*.max_ns",
	"events.read", "events.not_run", "events.waited", "events.wait_ns",
	"top_callsites.*.site", "top_callsites.*.allocs",
	"top_callsites.*.frees", "top_callsites.*.bytes_req",
	"top_callsites.*.bytes_alloc", "top_callsites.*.frag_pct",
	"top_callsites.*.cross_cpu_frees", "top_callsites.*.cross_node_frees",
	"top_callsites.*.waits",
	"check.validations", "check.checked", "check.not_checked.*",
	"cache_model.accesses", "cache_model.l1_hits", "cache_model.l2_hits",
	"cache_model.misses", "cache_model.coherence_misses",
	"cache_model.remote",
	"zones.*.node", "zones.*.zone", "zones.*.managed", "zones.*.free",
	"zones.*.unusable_index_order3", "zones.*.fragmentation_index_order3",
	"caches.*.name", "caches.*.objsize", "caches.*.objperslab",
	"caches.*.pagesperslab", "caches.*.active_objs", "caches.*.num_objs",
	"caches.*.slabs", "caches.*.user_objs", "caches.*.bytes_requested",
	"caches.*.utilisation", "caches.*.allocs", "caches.*.frees",
	"caches.*.failures", "caches.*.lock_contentions",
	"caches.*.lock_wait_ns", "caches.*.latency.*.count",
	"caches.*.latency.*.mean_ns", "caches.*.latency.*.p50_ns",
	"caches.*.latency.*.p99_ns", "caches.*.latency.*.max_ns",
	"page_alloc.first_failure_by_order.*.*",
};

/* The columns of the 2.1 (statistics) header, in order. */
static const char *const slabinfo_columns[] = {
	"active_objs", "num_objs", "objsize", "objperslab", "pagesperslab",
	"limit", "batchcount", "sharedfactor",
	"active_slabs", "num_slabs", "sharedavail",
	"listallocs", "maxobjs", "grown", "reaped", "error", "maxfreeable",
	"nodeallocs", "remotefrees", "alienoverflow",
	"allochit", "allocmiss", "freehit", "freemiss",
};
#define NR_COLUMNS (sizeof(slabinfo_columns) / sizeof(slabinfo_columns[0]))

int expect_slabinfo_column(const char *name)
{
	for (size_t i = 0; i < NR_COLUMNS; i++)
		if (!strcmp(slabinfo_columns[i], name))
			return (int)i;
	return -1;
}

/* path matches pat: literally, or with '*' standing for one or more
 * characters (a name may hold dots). */
static bool matches(const char *pat, const char *path)
{
	/* '*': one or more characters (a name may hold dots); a few per pattern */
	for (; *pat && *pat != '*'; pat++, path++)
		if (*pat != *path)
			return false;
	if (!*pat)
		return !*path;
	for (const char *q = path + 1; *path; q++) {
		if (matches(pat + 1, q))
			return true;
		if (!*q)
			return false;
	}
	return false;
}

/* Known section, unknown figure: false. Unknown section: true (later). */
static bool summary_path_known(const char *path)
{
	size_t sec = strcspn(path, ".");
	bool section = false;

	for (size_t i = 0; i < sizeof(summary_patterns) / sizeof(char *); i++) {
		const char *p = summary_patterns[i];
		if (matches(p, path))
			return true;
		if (strlen(p) >= sec && !strncmp(p, path, sec) &&
		    (p[sec] == '.' || !p[sec]))
			section = true;
	}
	return !section;
}

/* ------------------------------------------------------------------ */
/* The keys                                                             */
/* ------------------------------------------------------------------ */

struct ex_parse {
	yaml_document_t *doc;
	struct wl_expect *e;
	yaml_node_t **where;
	char *msg;
	size_t msglen;
};

__attribute__((format(printf, 3, 4)))
static bool bad(struct ex_parse *p, yaml_node_t *n, const char *fmt, ...)
{
	va_list ap;

	*p->where = n;
	va_start(ap, fmt);
	vsnprintf(p->msg, p->msglen, fmt, ap);
	va_end(ap);
	return false;
}

static const char *text_of(yaml_node_t *v)
{
	return (const char *)v->data.scalar.value;
}

static bool clean(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (!n || n >= max)
		return false;
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

static bool k_summary(struct ex_parse *p, yaml_node_t *v)
{
	const char *s = text_of(v);

	if (!clean(s, sizeof(p->e->what)) || s[0] == '.' ||
	    s[strlen(s) - 1] == '.' || strstr(s, ".."))
		return bad(p, v, "expect: summary: '%.80s' is not a path into "
			   "summary.json (like locks.contentions)", s);
	if (!summary_path_known(s))
		return bad(p, v, "expect: summary.json has no figure '%s'", s);
	p->e->source = EX_SUMMARY;
	snprintf(p->e->what, sizeof(p->e->what), "%s", s);
	return true;
}

static bool k_slabinfo(struct ex_parse *p, yaml_node_t *v)
{
	const char *s = text_of(v);

	if (!clean(s, sizeof(p->e->cache)))
		return bad(p, v, "expect: slabinfo: '%.80s' is not a cache name", s);
	p->e->source = EX_SLABINFO;
	snprintf(p->e->cache, sizeof(p->e->cache), "%s", s);
	return true;
}

static bool k_field(struct ex_parse *p, yaml_node_t *v)
{
	const char *s = text_of(v);
	char list[400];
	size_t o = 0;

	if (expect_slabinfo_column(s) >= 0) {
		snprintf(p->e->what, sizeof(p->e->what), "%s", s);
		return true;
	}
	for (size_t i = 0; i < NR_COLUMNS; i++)
		o += (size_t)snprintf(list + o, sizeof(list) - o, "%s%s",
				      i ? ", " : "", slabinfo_columns[i]);
	return bad(p, v, "expect: slabinfo has no column '%.60s' (columns: %s)",
		   s, list);
}

/* A bound: a number, a size (2MiB: bytes), a duration (10ms: ns), or
 * for equal: text (status: ok). */
static bool bound(struct ex_parse *p, yaml_node_t *v, struct ex_bound *b,
		  bool text_ok, const char *key)
{
	const char *s = text_of(v);
	uint64_t u;

	if (!clean(s, sizeof(b->text)))
		return bad(p, v, "expect: %s: expected a number, a size or a "
			   "duration", key);
	b->given = true;
	snprintf(b->text, sizeof(b->text), "%s", s);
	if (fixed_parse(s, &b->f)) {
		b->num = true;
	} else if ((parse_bytes(s, &u) || parse_duration(s, &u)) &&
		   u <= INT64_MAX) {
		b->num = true;
		b->f.v = (int64_t)u;
		b->f.scale = 0;
	} else if (!text_ok) {
		return bad(p, v, "expect: %s: '%.60s' is not a number, a size "
			   "(2MiB) or a duration (10ms)", key, s);
	}
	return true;
}

static bool k_min(struct ex_parse *p, yaml_node_t *v)
{
	return bound(p, v, &p->e->min, false, "min");
}

static bool k_max(struct ex_parse *p, yaml_node_t *v)
{
	return bound(p, v, &p->e->max, false, "max");
}

static bool k_equal(struct ex_parse *p, yaml_node_t *v)
{
	return bound(p, v, &p->e->equal, true, "equal");
}

static bool k_at(struct ex_parse *p, yaml_node_t *v)
{
	if (!parse_duration(text_of(v), &p->e->at) || p->e->at > WL_MAX_TIME)
		return bad(p, v, "expect: at: '%.60s' is not a time (like 1s "
			   "or 500ms)", text_of(v));
	p->e->at_given = true;
	return true;
}

static const struct ex_key {
	const char *key;
	bool (*fn)(struct ex_parse *p, yaml_node_t *v);
} ex_keys[] = {
	{ "summary", k_summary },
	{ "slabinfo", k_slabinfo },
	{ "field", k_field },
	{ "min", k_min },
	{ "max", k_max },
	{ "equal", k_equal },
	{ "at", k_at },
};
#define NR_KEYS (sizeof(ex_keys) / sizeof(ex_keys[0]))

bool expect_parse(yaml_document_t *doc, yaml_node_t *item,
		  struct wl_expect *e, yaml_node_t **where, char *msg,
		  size_t msglen)
{
	struct ex_parse p = { doc, e, where, msg, msglen };
	yaml_node_t *seen[NR_KEYS] = { 0 };

	memset(e, 0, sizeof(*e));
	e->line = (unsigned int)item->start_mark.line + 1;
	e->col = (unsigned int)item->start_mark.column + 1;
	if (item->type != YAML_MAPPING_NODE)
		return bad(&p, item, "expect: each entry is a mapping such as "
			   "{summary: locks.contentions, max: 500}");
	for (yaml_node_pair_t *pr = item->data.mapping.pairs.start;
	     pr < item->data.mapping.pairs.top; pr++) {
		yaml_node_t *k = yaml_document_get_node(doc, pr->key);
		yaml_node_t *v = yaml_document_get_node(doc, pr->value);
		size_t i;

		if (!k || !v || k->type != YAML_SCALAR_NODE)
			return bad(&p, k ? k : item, "expect: keys must be words");
		for (i = 0; i < NR_KEYS; i++)
			if (!strcmp(ex_keys[i].key, text_of(k)))
				break;
		if (i == NR_KEYS)
			return bad(&p, k, "expect: unknown key '%.60s' (expected "
				   "one of: summary, slabinfo, field, min, max, "
				   "equal, at)", text_of(k));
		if (seen[i])
			return bad(&p, k, "expect: duplicate key '%s'",
				   ex_keys[i].key);
		if (v->type != YAML_SCALAR_NODE)
			return bad(&p, v, "expect: '%s' must be a scalar",
				   ex_keys[i].key);
		seen[i] = v;
	}
	/* summary or slabinfo first: field and the bounds depend on it */
	if (!seen[0] == !seen[1])
		return bad(&p, item, "expect: name one figure: summary: PATH, "
			   "or slabinfo: CACHE with field: COLUMN");
	if (seen[1] && !seen[2])
		return bad(&p, item, "expect: slabinfo: %s needs field: (a "
			   "column such as active_objs)", text_of(seen[1]));
	if (seen[0] && seen[2])
		return bad(&p, seen[2], "expect: field: goes with slabinfo:, "
			   "not summary:");
	for (size_t i = 0; i < NR_KEYS; i++)
		if (seen[i] && !ex_keys[i].fn(&p, seen[i]))
			return false;
	if (!e->min.given && !e->max.given && !e->equal.given)
		return bad(&p, item, "expect: give a bound: min:, max: or equal:");
	if (e->equal.given && (e->min.given || e->max.given))
		return bad(&p, seen[5], "expect: equal: excludes min: and max:");
	if (e->min.given && e->max.given) {
		struct fixed a = e->min.f, b = e->max.f;
		if (fixed_align(&a, &b) && a.v > b.v)
			return bad(&p, seen[3], "expect: min %s is above max %s",
				   e->min.text, e->max.text);
	}
	return true;
}

void expect_name(const struct wl_expect *e, char *buf, size_t len)
{
	static const struct { uint64_t ns; const char *unit; } units[] = {
		{ 1000000000, "s" }, { 1000000, "ms" }, { 1000, "us" }, { 1, "ns" },
	};
	char at[48] = "";

	/* "at 10ms": the largest unit that divides the time exactly */
	for (size_t i = 0; e->at_given && i < 4; i++) {
		if (e->at % units[i].ns == 0 || units[i].ns == 1) {
			snprintf(at, sizeof(at), " at %llu%s",
				 (unsigned long long)(e->at / units[i].ns),
				 units[i].unit);
			break;
		}
	}
	if (e->source == EX_SUMMARY)
		snprintf(buf, len, "summary %s%s", e->what, at);
	else
		snprintf(buf, len, "slabinfo %s %s%s", e->cache, e->what, at);
}

void expect_bounds(const struct wl_expect *e, char *buf, size_t len)
{
	if (e->equal.given)
		snprintf(buf, len, "equal %s", e->equal.text);
	else if (e->min.given && e->max.given)
		snprintf(buf, len, "min %s, max %s", e->min.text, e->max.text);
	else if (e->min.given)
		snprintf(buf, len, "min %s", e->min.text);
	else
		snprintf(buf, len, "max %s", e->max.text);
}
