// SPDX-License-Identifier: GPL-2.0
/*
 * The workload loader: a YAML file in, a checked struct workload out.
 *
 * Every section of the file is described by a table of rows {key, node
 * type, handler, field offset}. One walker matches a mapping's keys against
 * a table, rejects unknown and duplicate keys with the list of known ones,
 * checks the node type and hands the value to the row's handler, which
 * writes the field. Adding a key is adding a row, and every section reports
 * mistakes the same way: one line, "file:line:col: message", quoting the
 * offending text.
 *
 * The top level is walked first; caches, events and generators are parked
 * and read afterwards, in that order, because events name caches, CPUs and
 * nodes that may be declared further down the file. Checks that an override
 * (--set) can invalidate live in validate(), which runs at the end of a
 * load and again after every override.
 *
 * No global mutable state: everything lives in struct loader for the length
 * of one call. Nothing here prints.
 */
#include "sim/workload.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#include "alloc/slab.h"		/* SLAB_* and (via env.h) GFP bit values only */
#include "sim/engine.h"	/* ENGINE_HORIZON, which WL_MAX_TIME must respect */
#include "sim/workload/compose.h"
#include "sim/workload/include.h"

#define KMALLOC_MAX_SIZE	131072ULL	/* (1 << MAX_OBJ_ORDER) pages */
#define SIM_PAGE_SIZE		4096ULL
#define MIN_NODE_MEMORY		(16ULL << 20)
#define MAX_PHYS_MEMORY		(3ULL << 30)	/* 32-bit simulated addresses */
#define MAX_RATE		1e9	/* one allocation per ns per CPU */
#define QUOTE_MAX		56
#define LIST_MAX		400
#define MAX_ROWS		32
#define MAX_DEPTH		16
#define MAX_FLAG_ITEMS		64	/* an aliased list is walked per use */

/* ------------------------------------------------------------------ */
/* Loader state and error reporting                                    */
/* ------------------------------------------------------------------ */

/*
 * A position in the file, 1-based. {0, 0} means "no position": an error
 * about it is written "file: message".
 */
struct pos {
	unsigned int line, col;
	const char *file;		/* an include's; NULL: ld->file */
};

enum cache_state { CS_PENDING, CS_LIVE, CS_DESTROYED };

/*
 * What loading knows about one name slot while it reads the events: the
 * object one allocation gave a name (see workload_next_event).
 */
struct name_info {
	bool live;			/* allocated, not yet freed */
	bool named;			/* the hash still maps its name here */
	bool forgotten;			/* no name: reusable once refs is 0 */
	int cache;			/* cache of the allocation, -1 kmalloc */
	uint64_t size;			/* object size of the allocation */
	unsigned int line;		/* of the allocation */
	uint32_t refs;			/* events the runner holds */
	uint32_t gen;			/* times the slot was bound */
	uint32_t hash;			/* name_hash of its name */
	int next_free;			/* free slot list link */
};

/* A freed slot in the ring of remembered names. */
struct dead_name {
	int slot;
	uint32_t gen;
};

/* CPU hotplug as the events so far have left it. */
struct cpu_state {
	bool online[WL_MAX_CPUS];
	unsigned int down_line[WL_MAX_CPUS];
	int nr_online;
};

/* Where the machine keys were written, for the cross-key checks. */
struct machine_pos {
	struct pos cpus, memory, caches;
};

enum { D_CACHES, D_GENERATORS, D_NR };

/*
 * A call site: its text (in a block of the loader's, where it stays put),
 * and its hash, kept beside the pointer so that a lookup reads one entry.
 */
struct site_ent {
	const char *text;
	uint32_t hash;
};
#define SITE_BLOCK	(64 * 1024)

struct loader {
	struct workload *wl;
	const char *file;		/* for messages */
	char *err;
	size_t errlen;
	bool failed;
	const char *set;		/* the assignment, when overriding */
	int depth;
	yaml_document_t *doc;
	yaml_node_t *deferred[D_NR];
	struct machine_pos mpos;
	size_t caches_cap, names_cap, gens_cap;
	struct name_info *ni;		/* parallel to wl->names, by slot */
	int free_slot;			/* reusable slots, -1 none */
	uint32_t *hash;			/* slot + 1 of a named slot, linear probing */
	size_t hash_cap, hash_used;
	struct dead_name *dead;		/* freed slots, oldest first (a ring) */
	size_t dead_head, dead_n;
	enum cache_state *cstate;	/* parallel to wl->caches */
	uint64_t next_create;		/* earliest t: of a pending cache */
	uint32_t *cache_hash;		/* cache + 1 by name, once events start */
	size_t cache_hash_cap;
	struct cpu_state cpus;
	uint64_t last_t;
	unsigned int last_line;
	struct site_ent *sites;		/* call sites named by events */
	uint32_t *site_hash;		/* site + 1, linear probing */
	size_t nr_sites, sites_cap, site_hash_cap;
	char **site_blocks;		/* their text, packed; never moves */
	size_t nr_site_blocks, site_block_used;

	/* The event stream (see "Streaming the events"). */
	struct composer cp;		/* the file; ld->doc is cp.doc */
	bool cp_open;
	const unsigned char *buf;	/* a string input, else NULL */
	size_t len;
	enum { ES_ITEMS, ES_TAIL, ES_DONE } es;
	bool one_pass;			/* the header's parser reads the events */
	char *line;			/* the compact form's words */
	size_t line_cap;
	char saved_err[512];		/* the first error, for later calls */
	unsigned int nr_snapshots;
	bool ended;			/* every event read, the late creations out */
	int events_node;		/* the events: value in the header, 0 none */
	struct wl_event *outq;		/* events made, not yet handed out */
	size_t out_head, out_n, out_cap;
	bool all;			/* workload_read_all: keep name texts */
};

static const struct pos nopos;

static struct pos pos_of(const yaml_node_t *n)
{
	struct pos p = { 0, 0, NULL };

	if (n) {
		p.line = (unsigned int)n->start_mark.line + 1;
		p.col = (unsigned int)n->start_mark.column + 1;
		p.file = include_file_of(n);
	}
	return p;
}

/*
 * The one reporting function: keeps the first error only, so a handler
 * can fail and its callers simply propagate false. Always returns false.
 */
static bool vfail_pos(struct loader *ld, struct pos p, const char *fmt,
		      va_list ap)
{
	char msg[512];

	if (ld->failed)
		return false;
	ld->failed = true;
	/* nothing more is read: a parser reading ahead stops now */
	if (ld->cp_open)
		compose_stop(&ld->cp);
	if (!ld->err || !ld->errlen)
		return false;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	/* an override's caller names the assignment; the file has no part */
	if (ld->set && !p.line)
		snprintf(ld->err, ld->errlen, "%s", msg);
	else if (p.line)
		snprintf(ld->err, ld->errlen, "%s:%u:%u: %s",
			 p.file ? p.file : ld->file, p.line, p.col, msg);
	else
		snprintf(ld->err, ld->errlen, "%s: %s", ld->file, msg);
	return false;
}

static bool __attribute__((format(printf, 3, 4)))
fail_pos(struct loader *ld, struct pos p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail_pos(ld, p, fmt, ap);
	va_end(ap);
	return false;
}

/* Error at a node. Override values are synthetic nodes: no position. */
static bool __attribute__((format(printf, 3, 4)))
fail(struct loader *ld, const yaml_node_t *n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail_pos(ld, ld->set ? nopos : pos_of(n), fmt, ap);
	va_end(ap);
	return false;
}

/*
 * Copies a scalar's text into buf for quoting in a message: control bytes
 * escaped so the message stays one line, long text cut with "...".
 */
static const char *quote(char buf[QUOTE_MAX], const yaml_node_t *n)
{
	const unsigned char *s;
	size_t len, i, o = 0;

	if (!n || n->type != YAML_SCALAR_NODE) {
		snprintf(buf, QUOTE_MAX, "%s",
			 !n ? "?" : n->type == YAML_SEQUENCE_NODE ? "[...]"
							   : "{...}");
		return buf;
	}
	s = n->data.scalar.value;
	len = n->data.scalar.length;
	for (i = 0; i < len; i++) {
		if (o + 8 >= QUOTE_MAX) {
			/* do not cut a UTF-8 sequence in half */
			while (o > 0 && ((unsigned char)buf[o - 1] & 0xc0) == 0x80)
				o--;
			if (o > 0 && ((unsigned char)buf[o - 1] & 0xc0) == 0xc0)
				o--;
			memcpy(buf + o, "...", 3);
			o += 3;
			break;
		}
		if (s[i] >= 0x20 && s[i] != 0x7f && s[i] != '\'') {
			buf[o++] = (char)s[i];
		} else if (s[i] == '\'') {
			buf[o++] = '\\';
			buf[o++] = '\'';
		} else {
			o += (size_t)snprintf(buf + o, QUOTE_MAX - o, "\\x%02x",
					      s[i]);
		}
	}
	buf[o] = '\0';
	return buf;
}

/* YAML's null: nothing, or a plain ~ / null. Quoted "null" is text. */
static bool is_null(const yaml_node_t *n)
{
	const char *s = (const char *)n->data.scalar.value;

	if (n->data.scalar.length == 0)
		return true;
	if (n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	return !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") ||
	       !strcmp(s, "NULL");
}

/* "a list", "a mapping", "empty", or the quoted value: what a user wrote. */
static const char *kind(char buf[QUOTE_MAX], const yaml_node_t *n)
{
	char q[QUOTE_MAX];

	if (n && n->type == YAML_SEQUENCE_NODE)
		return "a list";
	if (n && n->type == YAML_MAPPING_NODE)
		return "a mapping";
	if (n && n->type == YAML_SCALAR_NODE && is_null(n))
		return "empty";
	snprintf(buf, QUOTE_MAX, "'%.*s'", QUOTE_MAX - 3, quote(q, n));
	return buf;
}

static const char *type_word(yaml_node_type_t t)
{
	switch (t) {
	case YAML_MAPPING_NODE:
		return "a mapping";
	case YAML_SEQUENCE_NODE:
		return "a list";
	default:
		return "a single value";
	}
}

/*
 * The text of a scalar node, or NULL after reporting why there is none:
 * not a scalar, empty, or hiding a NUL byte that C strings would cut at.
 */
static const char *text(struct loader *ld, const yaml_node_t *n,
			const char *what)
{
	char q[QUOTE_MAX];

	if (!n || n->type != YAML_SCALAR_NODE) {
		fail(ld, n, "%s must be a single value, not %s", what,
		     kind(q, n));
		return NULL;
	}
	if (is_null(n)) {
		fail(ld, n, "missing value for %s", what);
		return NULL;
	}
	if (strlen((const char *)n->data.scalar.value) != n->data.scalar.length) {
		fail(ld, n, "%s '%s' contains a NUL byte", what, quote(q, n));
		return NULL;
	}
	return (const char *)n->data.scalar.value;
}

static yaml_node_t *node_at(struct loader *ld, int index)
{
	return yaml_document_get_node(ld->doc, index);
}

/* Grows an array to hold n + 1 elements; false (array untouched) on OOM. */
static bool grow(struct loader *ld, void **arr, size_t *cap, size_t n,
		 size_t elem)
{
	size_t ncap;
	void *p;

	if (n < *cap)
		return true;
	ncap = *cap ? *cap * 2 : 16;
	p = realloc(*arr, ncap * elem);
	if (!p)
		return fail_pos(ld, nopos, "out of memory");
	*arr = p;
	*cap = ncap;
	return true;
}

/* "1500us", "2s": the exact value in the largest unit that divides it. */
static const char *fmt_ns(char *buf, size_t len, uint64_t ns)
{
	if (ns && ns % 1000000000 == 0)
		snprintf(buf, len, "%" PRIu64 "s", ns / 1000000000);
	else if (ns && ns % 1000000 == 0)
		snprintf(buf, len, "%" PRIu64 "ms", ns / 1000000);
	else if (ns && ns % 1000 == 0)
		snprintf(buf, len, "%" PRIu64 "us", ns / 1000);
	else
		snprintf(buf, len, "%" PRIu64 "ns", ns);
	return buf;
}

/* ------------------------------------------------------------------ */
/* Numbers and units                                                   */
/* ------------------------------------------------------------------ */

/*
 * Units are written out and parsed without strtod: no locale, no binary
 * rounding, exact integer results or a clear refusal.
 */
struct unit {
	const char *name;
	uint64_t mult;
};

static const struct unit dur_units[] = {
	{ "ns", 1 }, { "us", 1000 }, { "ms", 1000000 }, { "s", 1000000000 },
	{ NULL, 0 },
};

static const struct unit size_units[] = {
	{ "B", 1 }, { "KiB", 1ULL << 10 }, { "MiB", 1ULL << 20 },
	{ "GiB", 1ULL << 30 }, { NULL, 0 },
};

static const struct unit rate_units[] = {
	{ "/s", 1 }, { "/ms", 1000 }, { "/us", 1000000 }, { NULL, 0 },
};

enum num { NUM_OK, NUM_BAD, NUM_BIG, NUM_FINE };

struct decimal {
	uint64_t whole;		/* digits before the point */
	uint64_t frac;		/* after it, trailing zeros dropped */
	unsigned int fdigits;	/* how many of those (<= 9) */
};

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * Reads "12" or "1.25" at s and leaves *end after it. NUM_BAD when there is
 * no number, NUM_BIG when the whole part overflows, NUM_FINE when the
 * fraction has more than 9 significant digits (finer than any unit here).
 */
static enum num scan_decimal(const char *s, struct decimal *d,
			     const char **end)
{
	enum num r = NUM_OK;
	const char *p = s, *q, *last;

	memset(d, 0, sizeof(*d));
	*end = s;
	if (!is_digit(*p))
		return NUM_BAD;
	for (; is_digit(*p); p++) {
		unsigned int digit = (unsigned int)(*p - '0');

		if (d->whole > (UINT64_MAX - digit) / 10)
			r = NUM_BIG;
		else
			d->whole = d->whole * 10 + digit;
	}
	if (*p == '.') {
		q = ++p;
		if (!is_digit(*p))
			return NUM_BAD;
		while (is_digit(*p))
			p++;
		last = p;
		while (last > q && last[-1] == '0')
			last--;
		for (; q < last; q++) {
			if (d->fdigits == 9) {
				if (r == NUM_OK)
					r = NUM_FINE;
				break;
			}
			d->frac = d->frac * 10 + (uint64_t)(*q - '0');
			d->fdigits++;
		}
	}
	*end = p;
	return r;
}

static uint64_t pow10u(unsigned int n)
{
	uint64_t p = 1;

	while (n--)
		p *= 10;
	return p;
}

/* d * mult as an exact integer; NUM_FINE if it has a fractional part. */
static enum num scale(const struct decimal *d, uint64_t mult, uint64_t *out)
{
	uint64_t p10 = pow10u(d->fdigits);
	uint64_t fpart = d->frac * mult;	/* < 1e9 * 2^30: no overflow */
	uint64_t w;

	if (d->whole > UINT64_MAX / mult)
		return NUM_BIG;
	if (fpart % p10)
		return NUM_FINE;
	w = d->whole * mult;
	if (w > UINT64_MAX - fpart / p10)
		return NUM_BIG;
	*out = w + fpart / p10;
	return NUM_OK;
}

/*
 * "<decimal> [spaces] <unit>". Without a unit only a plain integer is
 * taken, and only when plain_ok (or it is 0). NUM_BAD for a bad unit.
 */
static enum num parse_units(const char *s, const struct unit *units,
			    bool plain_ok, uint64_t *out)
{
	struct decimal d;
	const struct unit *u;
	const char *p;
	enum num r = scan_decimal(s, &d, &p);

	if (r == NUM_BAD)
		return NUM_BAD;
	while (*p == ' ')
		p++;
	if (*p == '\0') {
		if (d.fdigits || (!plain_ok && (d.whole || r != NUM_OK)))
			return NUM_BAD;
		if (r != NUM_OK)
			return r;
		*out = d.whole;
		return NUM_OK;
	}
	for (u = units; u->name; u++) {
		if (strcmp(p, u->name))
			continue;
		if (r != NUM_OK)
			return r;
		return scale(&d, u->mult, out);
	}
	return NUM_BAD;
}

bool parse_duration(const char *s, uint64_t *ns)
{
	return s && ns && parse_units(s, dur_units, false, ns) == NUM_OK;
}

bool parse_bytes(const char *s, uint64_t *bytes)
{
	return s && bytes && parse_units(s, size_units, true, bytes) == NUM_OK;
}

bool parse_rate(const char *s, double *per_sec)
{
	struct decimal d;
	const struct unit *u;
	const char *p;
	enum num r;

	if (!s || !per_sec)
		return false;
	r = scan_decimal(s, &d, &p);
	if (r == NUM_BAD || r == NUM_BIG)
		return false;
	while (*p == ' ')
		p++;
	for (u = rate_units; u->name; u++) {
		if (strcmp(p, u->name))
			continue;
		*per_sec = ((double)d.whole +
			    (double)d.frac / (double)pow10u(d.fdigits)) *
			   (double)u->mult;
		return true;
	}
	return false;
}

/* A whole number: decimal, or hex after 0x. */
static enum num parse_u64(const char *s, uint64_t *out)
{
	unsigned int base = 10, digit;
	uint64_t v = 0;
	enum num r = NUM_OK;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && s[2]) {
		base = 16;
		s += 2;
	}
	if (!*s)
		return NUM_BAD;
	for (; *s; s++) {
		if (is_digit(*s))
			digit = (unsigned int)(*s - '0');
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			digit = (unsigned int)(*s - 'a' + 10);
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			digit = (unsigned int)(*s - 'A' + 10);
		else
			return NUM_BAD;
		if (v > (UINT64_MAX - digit) / base)
			r = NUM_BIG;
		else
			v = v * base + digit;
	}
	*out = v;
	return r;
}

static enum num parse_i64(const char *s, int64_t *out)
{
	bool neg = *s == '-';
	uint64_t v = 0;
	enum num r = parse_u64(neg ? s + 1 : s, &v);

	if (r != NUM_OK)
		return r;
	if (v > (uint64_t)INT64_MAX + (neg ? 1 : 0))
		return NUM_BIG;
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return NUM_OK;
}

static bool ascii_ieq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		char x = *a >= 'A' && *a <= 'Z' ? (char)(*a + 32) : *a;
		char y = *b >= 'A' && *b <= 'Z' ? (char)(*b + 32) : *b;

		if (x != y)
			return false;
	}
	return *a == *b;
}

static bool parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "true", "yes", "on" };
	static const char *const no[] = { "false", "no", "off" };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(yes); i++) {
		if (ascii_ieq(s, yes[i])) {
			*out = true;
			return true;
		}
		if (ascii_ieq(s, no[i])) {
			*out = false;
			return true;
		}
	}
	return false;
}

/* ------------------------------------------------------------------ */
/* The table walker                                                    */
/* ------------------------------------------------------------------ */

struct key_row;
typedef bool key_fn(struct loader *ld, yaml_node_t *val, void *field,
		    const struct key_row *row);

/*
 * One key of a section. type YAML_NO_NODE lets the handler take more
 * than one shape (a flag or a list of flags). lo/hi bound integers; arg
 * is handler-specific (a sub-table, a list of choices).
 */
struct key_row {
	const char *key;
	yaml_node_type_t type;
	key_fn *fn;
	size_t off;
	const void *arg;
	long long lo, hi;
};

struct key_table {
	const char *what;		/* the section, in messages */
	const struct key_row *rows;
	size_t nr;
};

#define TABLE(name, what, rows) \
	_Static_assert(ARRAY_SIZE(rows) <= MAX_ROWS, "walk_map's seen[]"); \
	static const struct key_table name = { what, rows, ARRAY_SIZE(rows) }

/* The key and value nodes a walk found for each row, NULL if absent. */
struct seen {
	yaml_node_t *key, *val;
};

static void key_list(const struct key_table *tab, char *buf, size_t len)
{
	size_t i, o = 0;

	buf[0] = '\0';
	for (i = 0; i < tab->nr && o < len; i++)
		o += (size_t)snprintf(buf + o, len - o, "%s%s", i ? ", " : "",
				      tab->rows[i].key);
}

static const struct key_row *find_row(const struct key_table *tab,
				      const char *key, size_t len)
{
	size_t i;

	for (i = 0; i < tab->nr; i++)
		if (len && tab->rows[i].key[0] == key[0] &&
		    strlen(tab->rows[i].key) == len &&
		    !memcmp(tab->rows[i].key, key, len))
			return &tab->rows[i];
	return NULL;
}

/*
 * The walker: checks that map is a mapping of known, distinct keys with
 * values of the row's node type and runs each row's handler on
 * base + off. Fills seen (indexed like tab->rows) when given. On failure
 * the error is set and fields already handled keep their new values.
 */
static bool walk_map(struct loader *ld, yaml_node_t *map,
		     const struct key_table *tab, void *base,
		     struct seen *seen)
{
	struct seen local[MAX_ROWS];
	char q[QUOTE_MAX], list[LIST_MAX];
	yaml_node_pair_t *pair;
	bool ok = false;

	if (!map || map->type != YAML_MAPPING_NODE) {
		key_list(tab, list, sizeof(list));
		return fail(ld, map, "%s must be a mapping (keys: %s), not %s",
			    tab->what, list, kind(q, map));
	}
	if (++ld->depth > MAX_DEPTH) {
		ld->depth--;
		return fail(ld, map, "%s is nested too deeply", tab->what);
	}
	memset(local, 0, sizeof(local));
	for (pair = map->data.mapping.pairs.start;
	     pair < map->data.mapping.pairs.top; pair++) {
		yaml_node_t *k = node_at(ld, pair->key);
		yaml_node_t *v = node_at(ld, pair->value);
		const struct key_row *row;
		size_t i;

		if (!k || !v) {
			fail(ld, map, "malformed mapping in %s", tab->what);
			goto out;
		}
		if (k->type != YAML_SCALAR_NODE) {
			fail(ld, k, "keys in %s must be words, not %s",
			     tab->what, kind(q, k));
			goto out;
		}
		row = find_row(tab, (const char *)k->data.scalar.value,
			       k->data.scalar.length);
		if (!row) {
			key_list(tab, list, sizeof(list));
			fail(ld, k, "unknown key '%s' in %s (expected one of: %s)",
			     quote(q, k), tab->what, list);
			goto out;
		}
		i = (size_t)(row - tab->rows);
		if (local[i].key) {
			fail(ld, k, "duplicate key '%s' in %s (first at line %u)",
			     row->key, tab->what, pos_of(local[i].key).line);
			goto out;
		}
		local[i].key = k;
		local[i].val = v;
		if (row->type != YAML_NO_NODE && v->type != row->type) {
			fail(ld, v, "'%s' in %s must be %s, not %s", row->key,
			     tab->what, type_word(row->type), kind(q, v));
			goto out;
		}
		if (!row->fn(ld, v, (char *)base + row->off, row))
			goto out;
	}
	ok = true;
	if (seen)
		memcpy(seen, local, tab->nr * sizeof(*seen));
out:
	ld->depth--;
	return ok;
}

/* ------------------------------------------------------------------ */
/* Handlers: one per kind of value                                     */
/* ------------------------------------------------------------------ */

/* The value is read later by the section's finish step. */
static bool h_nop(struct loader *ld, yaml_node_t *v, void *field,
		  const struct key_row *row)
{
	return true;
}

static bool h_map(struct loader *ld, yaml_node_t *v, void *field,
		  const struct key_row *row)
{
	return walk_map(ld, v, row->arg, field, NULL);
}

static bool h_defer(struct loader *ld, yaml_node_t *v, void *field,
		    const struct key_row *row)
{
	ld->deferred[row->lo] = v;
	return true;
}

/* Names that appear in reports: 1..63 bytes, no control characters. */
static bool printable_name(const char *s, bool allow_space)
{
	size_t len = strlen(s);

	if (len < 1 || len > 63)
		return false;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c == 0x7f || (!allow_space && c == ' '))
			return false;
	}
	return true;
}

static bool h_name(struct loader *ld, yaml_node_t *v, void *field,
		   const struct key_row *row)
{
	char q[QUOTE_MAX];
	const char *s = text(ld, v, row->key);

	if (!s)
		return false;
	if (!printable_name(s, true))
		return fail(ld, v, "bad %s '%s' (1 to 63 characters, no control characters)",
			    row->key, quote(q, v));
	memcpy(field, s, strlen(s) + 1);
	return true;
}

static bool h_u64(struct loader *ld, yaml_node_t *v, void *field,
		  const struct key_row *row)
{
	char q[QUOTE_MAX];
	const char *s = text(ld, v, row->key);
	enum num r;

	if (!s)
		return false;
	r = parse_u64(s, field);
	if (r == NUM_BAD)
		return fail(ld, v, "bad %s '%s' (expected a whole number)",
			    row->key, quote(q, v));
	if (r == NUM_BIG)
		return fail(ld, v, "%s '%s' is too large (at most %" PRIu64 ")",
			    row->key, quote(q, v), UINT64_MAX);
	return true;
}

/* An integer in [lo, hi]; the shared parser for every int-valued key. */
static bool get_int(struct loader *ld, yaml_node_t *v, const char *what,
		    long long lo, long long hi, int *out)
{
	char q[QUOTE_MAX];
	const char *s = text(ld, v, what);
	int64_t x = 0;
	enum num r;

	if (!s)
		return false;
	r = parse_i64(s, &x);
	if (r == NUM_BAD)
		return fail(ld, v, "bad %s '%s' (expected a whole number)",
			    what, quote(q, v));
	if (r == NUM_BIG || x < lo || x > hi)
		return fail(ld, v, "%s '%s' is out of range (%lld..%lld)", what,
			    quote(q, v), lo, hi);
	*out = (int)x;
	return true;
}

static bool h_int(struct loader *ld, yaml_node_t *v, void *field,
		  const struct key_row *row)
{
	return get_int(ld, v, row->key, row->lo, row->hi, field);
}

/* One of a 0-terminated list of allowed values (hz, cache line). */
static bool h_uint_choice(struct loader *ld, yaml_node_t *v, void *field,
			  const struct key_row *row)
{
	const unsigned int *c, *choices = row->arg;
	char q[QUOTE_MAX], list[LIST_MAX];
	const char *s = text(ld, v, row->key);
	uint64_t x;
	size_t o = 0;

	if (!s)
		return false;
	if (parse_u64(s, &x) == NUM_OK) {
		for (c = choices; *c; c++) {
			if (x == *c) {
				*(unsigned int *)field = *c;
				return true;
			}
		}
	}
	for (c = choices; *c && o < sizeof(list); c++)
		o += (size_t)snprintf(list + o, sizeof(list) - o, "%s%u",
				      c == choices ? "" : ", ", *c);
	return fail(ld, v, "bad %s '%s' (expected one of: %s)", row->key,
		    quote(q, v), list);
}

static bool h_arch(struct loader *ld, yaml_node_t *v, void *field,
		   const struct key_row *row)
{
	char q[QUOTE_MAX];
	const char *s = text(ld, v, row->key);

	if (!s)
		return false;
	if (strcmp(s, "x86_64") && strcmp(s, "i386"))
		return fail(ld, v, "bad arch '%s' (expected x86_64 or i386)",
			    quote(q, v));
	snprintf(field, sizeof(((struct wl_machine *)NULL)->arch), "%s", s);
	return true;
}

static bool h_bufctl(struct loader *ld, yaml_node_t *v, void *field,
		     const struct key_row *row)
{
	char q[QUOTE_MAX];
	const char *s = text(ld, v, row->key);

	if (!s)
		return false;
	if (strcmp(s, "4") && strcmp(s, "2"))
		return fail(ld, v, "bad bufctl '%s' (expected 4, or 2 for the pre-2.6.14 2-byte kmem_bufctl_t)",
			    quote(q, v));
	*(bool *)field = s[0] == '2';
	return true;
}

static bool get_bool(struct loader *ld, yaml_node_t *v, const char *what,
		     bool *out)
{
	char q[QUOTE_MAX];
	const char *s = text(ld, v, what);

	if (!s)
		return false;
	if (!parse_bool(s, out))
		return fail(ld, v, "bad %s '%s' (expected true or false)",
			    what, quote(q, v));
	return true;
}

static bool h_bool(struct loader *ld, yaml_node_t *v, void *field,
		   const struct key_row *row)
{
	return get_bool(ld, v, row->key, field);
}

_Static_assert(WL_MAX_TIME < ENGINE_HORIZON / 2,
	       "a run's timers and waits may go on past its last time");

static bool get_dur(struct loader *ld, yaml_node_t *v, const char *what,
		    uint64_t *out)
{
	char q[QUOTE_MAX];
	const char *s = text(ld, v, what);

	if (!s)
		return false;
	switch (parse_units(s, dur_units, false, out)) {
	case NUM_OK:
		if (*out <= WL_MAX_TIME)
			return true;
		/* fall through */
	case NUM_BIG:
		return fail(ld, v, "duration '%s' is too large (at most %llus)",
			    quote(q, v),
			    (unsigned long long)(WL_MAX_TIME / 1000000000));
	case NUM_FINE:
		return fail(ld, v, "duration '%s' is finer than 1ns",
			    quote(q, v));
	default:
		return fail(ld, v, "bad duration '%s' (use ns, us, ms or s)",
			    quote(q, v));
	}
}

static bool h_dur(struct loader *ld, yaml_node_t *v, void *field,
		  const struct key_row *row)
{
	return get_dur(ld, v, row->key, field);
}

/* A byte count; plain_ok lets object sizes be bare integers. */
static bool get_size(struct loader *ld, yaml_node_t *v, const char *what,
		     bool plain_ok, uint64_t *out)
{
	char q[QUOTE_MAX];
	const char *s = text(ld, v, what);

	if (!s)
		return false;
	switch (parse_units(s, size_units, plain_ok, out)) {
	case NUM_OK:
		return true;
	case NUM_BIG:
		return fail(ld, v, "size '%s' is too large", quote(q, v));
	case NUM_FINE:
		return fail(ld, v, "size '%s' is not a whole number of bytes",
			    quote(q, v));
	default:
		return fail(ld, v, "bad size '%s' (use B, KiB, MiB or GiB)",
			    quote(q, v));
	}
}

static bool h_size(struct loader *ld, yaml_node_t *v, void *field,
		   const struct key_row *row)
{
	return get_size(ld, v, row->key, true, field);
}

/* Machine sizes must carry their unit: "memory: 512" is a slip. */
static bool h_mem(struct loader *ld, yaml_node_t *v, void *field,
		  const struct key_row *row)
{
	return get_size(ld, v, row->key, false, field);
}

static bool h_rate(struct loader *ld, yaml_node_t *v, void *field,
		   const struct key_row *row)
{
	char q[QUOTE_MAX];
	const char *s = text(ld, v, row->key);
	double *rate = field;

	if (!s)
		return false;
	if (!parse_rate(s, rate))
		return fail(ld, v, "bad rate '%s' (use N/s, N/ms or N/us)",
			    quote(q, v));
	if (*rate > MAX_RATE)
		return fail(ld, v, "rate '%s' is more than one allocation per ns per CPU",
			    quote(q, v));
	return true;
}

/* The whole duration: given by the user, not derived from the events. */
static bool h_run_duration(struct loader *ld, yaml_node_t *v, void *field,
			   const struct key_row *row)
{
	if (!get_dur(ld, v, row->key, field))
		return false;
	if (!*(uint64_t *)field)
		return fail(ld, v, "duration 0 would run nothing (leave duration out to run until the last event)");
	ld->wl->duration_given = true;
	return true;
}

/* A bit-flag name table: cache flags and gfp masks share the reader. */
struct flag_name {
	const char *name;
	unsigned long bits;
};

static const struct flag_name slab_flags[] = {
	{ "HWCACHE_ALIGN", SLAB_HWCACHE_ALIGN },
	{ "MUST_HWCACHE_ALIGN", SLAB_MUST_HWCACHE_ALIGN },
	{ "CACHE_DMA", SLAB_CACHE_DMA },
	{ "RECLAIM_ACCOUNT", SLAB_RECLAIM_ACCOUNT },
	{ "DESTROY_BY_RCU", SLAB_DESTROY_BY_RCU },
	{ "MEM_SPREAD", SLAB_MEM_SPREAD },
	{ "PANIC", SLAB_PANIC },
	{ "RED_ZONE", SLAB_RED_ZONE },
	{ "POISON", SLAB_POISON },
	{ "STORE_USER", SLAB_STORE_USER },
	{ "DEBUG_INITIAL", SLAB_DEBUG_INITIAL },
	{ "DEBUG_FREE", SLAB_DEBUG_FREE },
	{ "NO_REAP", SLAB_NO_REAP },
	{ NULL, 0 },
};

static const struct flag_name gfp_flags[] = {
	{ "GFP_KERNEL", GFP_KERNEL }, { "GFP_ATOMIC", GFP_ATOMIC },
	{ "GFP_NOFS", GFP_NOFS }, { "GFP_NOIO", GFP_NOIO },
	{ "GFP_USER", GFP_USER }, { "GFP_DMA", GFP_DMA },
	{ "GFP_NOWAIT", GFP_NOWAIT },
	{ "__GFP_DMA", __GFP_DMA }, { "__GFP_HIGHMEM", __GFP_HIGHMEM },
	{ "__GFP_WAIT", __GFP_WAIT }, { "__GFP_HIGH", __GFP_HIGH },
	{ "__GFP_IO", __GFP_IO }, { "__GFP_FS", __GFP_FS },
	{ "__GFP_COLD", __GFP_COLD }, { "__GFP_NOWARN", __GFP_NOWARN },
	{ "__GFP_REPEAT", __GFP_REPEAT }, { "__GFP_NOFAIL", __GFP_NOFAIL },
	{ "__GFP_NORETRY", __GFP_NORETRY }, { "__GFP_NO_GROW", __GFP_NO_GROW },
	{ "__GFP_COMP", __GFP_COMP }, { "__GFP_ZERO", __GFP_ZERO },
	{ "__GFP_NOMEMALLOC", __GFP_NOMEMALLOC },
	{ "__GFP_HARDWALL", __GFP_HARDWALL },
	{ "__GFP_THISNODE", __GFP_THISNODE },
	{ NULL, 0 },
};

/*
 * ORs the flags named in one scalar, "A" or "A|B"; prefix (SLAB_) may be
 * left off. hint lists the choices for the message.
 */
static bool scalar_flags(struct loader *ld, yaml_node_t *v, const char *what,
			 const struct flag_name *names, const char *prefix,
			 const char *hint, unsigned long *out)
{
	char q[QUOTE_MAX], tok[64];
	const char *s = text(ld, v, what), *p, *e;
	const struct flag_name *f;
	size_t plen = prefix ? strlen(prefix) : 0;

	if (!s)
		return false;
	for (p = s; ; p = e + 1) {
		size_t len;

		while (*p == ' ')
			p++;
		e = strchr(p, '|');
		if (!e)
			e = p + strlen(p);
		len = (size_t)(e - p);
		while (len && p[len - 1] == ' ')
			len--;
		snprintf(tok, sizeof(tok), "%.*s", (int)(len < 63 ? len : 63), p);
		if (plen && !strncmp(tok, prefix, plen))
			memmove(tok, tok + plen, strlen(tok + plen) + 1);
		for (f = names; f->name && strcmp(f->name, tok); f++)
			;
		if (!f->name || len >= 63)
			return fail(ld, v, "unknown %s '%s' (expected %s)", what,
				    quote(q, v), hint);
		*out |= f->bits;
		if (!*e)
			return true;
	}
}

/* A flag, "A|B", or a list of those. */
static bool get_flags(struct loader *ld, yaml_node_t *v, const char *what,
		      const struct flag_name *names, const char *prefix,
		      const char *hint, unsigned long *out)
{
	yaml_node_item_t *it;

	*out = 0;
	if (v->type == YAML_SCALAR_NODE)
		return scalar_flags(ld, v, what, names, prefix, hint, out);
	if (v->type != YAML_SEQUENCE_NODE) {
		char q[QUOTE_MAX];

		return fail(ld, v, "%s must be a flag or a list of flags, not %s",
			    what, kind(q, v));
	}
	if (v->data.sequence.items.top - v->data.sequence.items.start >
	    MAX_FLAG_ITEMS)
		return fail(ld, v, "too many %ss (at most %d)", what,
			    MAX_FLAG_ITEMS);
	for (it = v->data.sequence.items.start;
	     it < v->data.sequence.items.top; it++)
		if (!scalar_flags(ld, node_at(ld, *it), what, names, prefix,
				  hint, out))
			return false;
	return true;
}

static bool h_flags(struct loader *ld, yaml_node_t *v, void *field,
		    const struct key_row *row)
{
	return get_flags(ld, v, "cache flag", slab_flags, "SLAB_",
			 "one of: HWCACHE_ALIGN, MUST_HWCACHE_ALIGN, CACHE_DMA, RECLAIM_ACCOUNT, DESTROY_BY_RCU, MEM_SPREAD, PANIC, RED_ZONE, POISON, STORE_USER, DEBUG_INITIAL, DEBUG_FREE, NO_REAP",
			 field);
}

static bool h_gfp(struct loader *ld, yaml_node_t *v, void *field,
		  const struct key_row *row)
{
	unsigned long bits = 0;

	if (!get_flags(ld, v, "gfp flag", gfp_flags, NULL,
		       "GFP_KERNEL, GFP_ATOMIC, GFP_NOFS, GFP_NOIO, GFP_USER, GFP_DMA, GFP_NOWAIT or a __GFP_* name",
		       &bits))
		return false;
	*(unsigned int *)field = (unsigned int)bits;
	return true;
}

/* ------------------------------------------------------------------ */
/* Machine                                                             */
/* ------------------------------------------------------------------ */

static const unsigned int hz_choices[] = { 100, 250, 300, 1000, 0 };
static const unsigned int line_choices[] = { 32, 64, 128, 0 };

#define M(f) offsetof(struct wl_machine, f)

static const struct key_row level_rows[] = {
	{ "size", YAML_SCALAR_NODE, h_mem, offsetof(struct wl_level, size), NULL, 0, 0 },
	{ "ways", YAML_SCALAR_NODE, h_int, offsetof(struct wl_level, ways), NULL, 1, 64 },
};
TABLE(level_table, "cache level", level_rows);

static const struct key_row mcaches_rows[] = {
	{ "line", YAML_SCALAR_NODE, h_uint_choice, M(line), line_choices, 0, 0 },
	{ "l1d", YAML_MAPPING_NODE, h_map, M(l1d), &level_table, 0, 0 },
	{ "l2", YAML_MAPPING_NODE, h_map, M(l2), &level_table, 0, 0 },
	{ "model", YAML_SCALAR_NODE, h_bool, M(cache_model), NULL, 0, 0 },
};
TABLE(mcaches_table, "machine caches", mcaches_rows);

static const struct key_row costs_rows[] = {
	{ "l1", YAML_SCALAR_NODE, h_dur, M(cost_l1), NULL, 0, 0 },
	{ "l2", YAML_SCALAR_NODE, h_dur, M(cost_l2), NULL, 0, 0 },
	{ "local", YAML_SCALAR_NODE, h_dur, M(cost_local), NULL, 0, 0 },
	{ "remote", YAML_SCALAR_NODE, h_dur, M(cost_remote), NULL, 0, 0 },
	{ "lock", YAML_SCALAR_NODE, h_dur, M(cost_lock), NULL, 0, 0 },
	{ "handoff", YAML_SCALAR_NODE, h_dur, M(cost_handoff), NULL, 0, 0 },
	{ "ipi", YAML_SCALAR_NODE, h_dur, M(cost_ipi), NULL, 0, 0 },
	{ "page", YAML_SCALAR_NODE, h_dur, M(cost_page), NULL, 0, 0 },
	{ "op", YAML_SCALAR_NODE, h_dur, M(cost_op), NULL, 0, 0 },
};
TABLE(costs_table, "machine costs", costs_rows);

enum { MK_ARCH, MK_BUFCTL, MK_NODES, MK_CPUS, MK_MEMORY, MK_HZ, MK_MINFREE,
       MK_CACHES, MK_COSTS, MK_SMP, MK_NR };

static const struct key_row machine_rows[] = {
	[MK_ARCH] = { "arch", YAML_SCALAR_NODE, h_arch, M(arch), NULL, 0, 0 },
	[MK_BUFCTL] = { "bufctl", YAML_SCALAR_NODE, h_bufctl, M(bufctl16), NULL, 0, 0 },
	[MK_NODES] = { "nodes", YAML_SCALAR_NODE, h_int, M(nodes), NULL, 1, WL_MAX_NODES },
	[MK_CPUS] = { "cpus", YAML_SCALAR_NODE, h_int, M(cpus), NULL, 1, WL_MAX_CPUS },
	[MK_MEMORY] = { "memory", YAML_SCALAR_NODE, h_mem, M(memory), NULL, 0, 0 },
	[MK_HZ] = { "hz", YAML_SCALAR_NODE, h_uint_choice, M(hz), hz_choices, 0, 0 },
	/* vm.min_free_kbytes; 0 keeps the kernel's sqrt(16 * lowmem kB) */
	[MK_MINFREE] = { "min_free_kbytes", YAML_SCALAR_NODE, h_int, M(min_free_kbytes), NULL, 0, 1048576 },
	[MK_CACHES] = { "caches", YAML_MAPPING_NODE, h_map, 0, &mcaches_table, 0, 0 },
	[MK_COSTS] = { "costs", YAML_MAPPING_NODE, h_map, 0, &costs_table, 0, 0 },
	/* a kernel built SMP (as every NUMA one) even on one CPU */
	[MK_SMP] = { "smp", YAML_SCALAR_NODE, h_bool, M(smp), NULL, 0, 0 },
};
TABLE(machine_table, "machine", machine_rows);
_Static_assert(ARRAY_SIZE(machine_rows) == MK_NR, "machine rows");

#undef M

/* Walks machine: and remembers where its keys were, for check_machine. */
static bool h_machine(struct loader *ld, yaml_node_t *v, void *field,
		      const struct key_row *row)
{
	struct seen seen[MK_NR];

	if (!walk_map(ld, v, &machine_table, field, seen))
		return false;
	ld->mpos.cpus = pos_of(seen[MK_CPUS].val ? seen[MK_CPUS].val : v);
	ld->mpos.memory = pos_of(seen[MK_MEMORY].val ? seen[MK_MEMORY].val : v);
	ld->mpos.caches = pos_of(seen[MK_CACHES].val ? seen[MK_CACHES].val : v);
	return true;
}

static bool check_level(struct loader *ld, const struct wl_level *l,
			const char *name, unsigned int line)
{
	uint64_t way_bytes = (uint64_t)line * l->ways;
	uint64_t sets = way_bytes ? l->size / way_bytes : 0;

	if (!sets || l->size % way_bytes || (sets & (sets - 1)))
		return fail_pos(ld, ld->mpos.caches,
				"%s of %" PRIu64 " bytes with %u ways of %u-byte lines does not give a power-of-two number of sets",
				name, l->size, l->ways, line);
	return true;
}

/* The checks that need more than one machine key. */
static bool check_machine(struct loader *ld)
{
	const struct wl_machine *m = &ld->wl->machine;

	if (m->cpus < m->nodes)
		return fail_pos(ld, ld->mpos.cpus,
				"cpus %d is fewer than nodes %d (every node needs a CPU)",
				m->cpus, m->nodes);
	if (m->memory < MIN_NODE_MEMORY)
		return fail_pos(ld, ld->mpos.memory,
				"memory %" PRIu64 " bytes per node is below the 16MiB minimum",
				m->memory);
	if (m->memory % SIM_PAGE_SIZE)
		return fail_pos(ld, ld->mpos.memory,
				"memory %" PRIu64 " bytes is not a whole number of 4KiB pages",
				m->memory);
	if (m->memory > MAX_PHYS_MEMORY ||
	    m->memory * (uint64_t)m->nodes > MAX_PHYS_MEMORY)
		return fail_pos(ld, ld->mpos.memory,
				"%d nodes x %" PRIu64 " MiB is over 3GiB (simulated physical addresses are 32-bit)",
				m->nodes, m->memory >> 20);
	return check_level(ld, &m->l1d, "l1d", m->line) &&
	       check_level(ld, &m->l2, "l2", m->line);
}

/* ------------------------------------------------------------------ */
/* Caches                                                              */
/* ------------------------------------------------------------------ */

/* kmem_cache_init's names: a declared cache may not take one. */
static bool is_kmalloc_name(const char *s)
{
	static const unsigned int sizes[] = {
		32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192,
		16384, 32768, 65536, 131072,
	};
	uint64_t n = 0;
	const char *p;
	size_t i;

	if (strncmp(s, "size-", 5) || !is_digit(s[5]))
		return false;
	for (p = s + 5; is_digit(*p) && n < 1000000; p++)
		n = n * 10 + (uint64_t)(*p - '0');
	if (*p && strcmp(p, "(DMA)"))
		return false;
	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		if (n == sizes[i])
			return true;
	return false;
}

static bool h_cache_name(struct loader *ld, yaml_node_t *v, void *field,
			 const struct key_row *row)
{
	char q[QUOTE_MAX];
	const char *s = text(ld, v, "cache name"), *p;

	if (!s)
		return false;
	if (strlen(s) > 63)
		return fail(ld, v, "cache name '%s' is longer than 63 characters",
			    quote(q, v));
	for (p = s; *p; p++)
		if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f)
			return fail(ld, v, "cache name '%s' has a space or a non-ASCII character (it would confuse /proc/slabinfo parsers)",
				    quote(q, v));
	if (is_kmalloc_name(s))
		return fail(ld, v, "cache name '%s' is taken by a kmalloc cache",
			    quote(q, v));
	memcpy(field, s, strlen(s) + 1);
	return true;
}

static bool h_ctor(struct loader *ld, yaml_node_t *v, void *field,
		   const struct key_row *row)
{
	struct wl_cache *c = field;

	c->has_ctor = true;
	return get_dur(ld, v, "ctor", &c->ctor_ns);
}

static bool h_dtor(struct loader *ld, yaml_node_t *v, void *field,
		   const struct key_row *row)
{
	struct wl_cache *c = field;

	return get_bool(ld, v, "dtor", &c->has_dtor);
}

static bool h_cache_t(struct loader *ld, yaml_node_t *v, void *field,
		      const struct key_row *row)
{
	struct wl_cache *c = field;

	c->at_boot = false;
	return get_dur(ld, v, "t", &c->create_t);
}

/* One slabinfo_write number: an int, at least row->lo. */
static bool h_tune_val(struct loader *ld, yaml_node_t *v, void *field,
		       const struct key_row *row)
{
	char q[QUOTE_MAX];
	const char *s = text(ld, v, row->key);
	int64_t x = 0;
	enum num r;

	if (!s)
		return false;
	r = parse_i64(s, &x);
	if (r == NUM_BAD)
		return fail(ld, v, "bad tune %s '%s' (expected a whole number)",
			    row->key, quote(q, v));
	if (r == NUM_BIG || x > INT32_MAX)
		return fail(ld, v, "tune %s '%s' is too large", row->key,
			    quote(q, v));
	if (x < row->lo)
		return fail(ld, v, "bad tune: %s %s (slabinfo_write needs %s >= %lld)",
			    row->key, quote(q, v), row->key, row->lo);
	*(int *)field = (int)x;
	return true;
}

#define TU(f) offsetof(struct wl_tune, f)

enum { TK_CACHE, TK_LIMIT, TK_BATCHCOUNT, TK_SHARED, TK_NR };

static const struct key_row tune_rows[] = {
	{ "limit", YAML_SCALAR_NODE, h_tune_val, TU(limit), NULL, 1, 0 },
	{ "batchcount", YAML_SCALAR_NODE, h_tune_val, TU(batchcount), NULL, 1, 0 },
	{ "shared", YAML_SCALAR_NODE, h_tune_val, TU(shared), NULL, 0, 0 },
};
TABLE(tune_table, "tune", tune_rows);

static const struct key_row tune_ev_rows[] = {
	[TK_CACHE] = { "cache", YAML_SCALAR_NODE, h_nop, 0, NULL, 0, 0 },
	[TK_LIMIT] = { "limit", YAML_SCALAR_NODE, h_tune_val, TU(limit), NULL, 1, 0 },
	[TK_BATCHCOUNT] = { "batchcount", YAML_SCALAR_NODE, h_tune_val, TU(batchcount), NULL, 1, 0 },
	[TK_SHARED] = { "shared", YAML_SCALAR_NODE, h_tune_val, TU(shared), NULL, 0, 0 },
};
TABLE(tune_ev_table, "tune", tune_ev_rows);
_Static_assert(ARRAY_SIZE(tune_ev_rows) == TK_NR, "tune rows");

#undef TU

/*
 * The arrays a tune makes must be ones kmalloc can give (its largest
 * object is KMALLOC_MAX_SIZE): a per-CPU array of limit entries, and a
 * shared array of shared * batchcount entries, each after a struct
 * array_cache header (four ints and a spinlock, word aligned). 2.6.17
 * does not check: a per-CPU array too large fails do_tune_cpucache with
 * -ENOMEM, a shared one BUGs in alloc_kmemlist, and a product that wraps
 * its int memsize gets a tiny array it then writes far past. None of
 * that can be what a workload means, so it is refused here.
 */
static bool check_tune_arrays(struct loader *ld, const struct wl_tune *t,
			      struct pos p)
{
	unsigned int word = strcmp(ld->wl->machine.arch, "i386") ? 8 : 4;
	uint64_t header = (16 + 4 + word - 1) / word * word;
	uint64_t max = (KMALLOC_MAX_SIZE - header) / word;
	/* what the runner applies when batchcount is left out */
	int64_t batch = t->batchcount > 0 ? t->batchcount :
			t->limit > 0 ? (t->limit + 1) / 2 : -1;

	if (t->limit > 0 && (uint64_t)t->limit > max)
		return fail_pos(ld, p, "bad tune: limit %d needs a per-CPU array of %" PRIu64 " bytes, more than kmalloc's largest object (%llu bytes; at most %" PRIu64 " entries on %s)",
				t->limit, header + (uint64_t)t->limit * word,
				KMALLOC_MAX_SIZE, max, ld->wl->machine.arch);
	if (t->shared > 0 && batch > 0 &&
	    (uint64_t)t->shared * (uint64_t)batch > max)
		return fail_pos(ld, p, "bad tune: shared %d * batchcount %" PRId64 " = %" PRIu64 " entries needs a shared array of %" PRIu64 " bytes, more than kmalloc's largest object (%llu bytes; at most %" PRIu64 " entries on %s)",
				t->shared, batch,
				(uint64_t)t->shared * (uint64_t)batch,
				header + (uint64_t)t->shared * (uint64_t)batch * word,
				KMALLOC_MAX_SIZE, max, ld->wl->machine.arch);
	return true;
}

/*
 * The rule slabinfo_write applies across values. A cache's own tune may
 * leave values out (-1: the kernel's enable_cpucache choice); a tune
 * event, like a write to /proc/slabinfo, must give all three.
 */
static bool check_tune(struct loader *ld, const struct wl_tune *t,
		       struct pos p, bool need_all)
{
	if (need_all && (t->limit < 0 || t->batchcount < 0 || t->shared < 0))
		return fail_pos(ld, p, "tune needs limit, batchcount and shared, as slabinfo_write does");
	if (t->limit >= 0 && t->batchcount > t->limit)
		return fail_pos(ld, p, "bad tune: batchcount %d is larger than limit %d (slabinfo_write needs batchcount <= limit)",
				t->batchcount, t->limit);
	return check_tune_arrays(ld, t, p);
}

enum { CK_NAME, CK_SIZE, CK_ALIGN, CK_FLAGS, CK_CTOR, CK_DTOR, CK_TUNE, CK_T,
       CK_COLOURING, CK_NR };

/* A bool into an int that stays -1 ("as the workload says") when absent. */
static bool h_tristate(struct loader *ld, yaml_node_t *v, void *field,
		       const struct key_row *row)
{
	bool b;

	if (!get_bool(ld, v, row->key, &b))
		return false;
	*(int *)field = b;
	return true;
}

#define C(f) offsetof(struct wl_cache, f)

static const struct key_row cache_rows[] = {
	[CK_NAME] = { "name", YAML_SCALAR_NODE, h_cache_name, C(name), NULL, 0, 0 },
	[CK_SIZE] = { "size", YAML_SCALAR_NODE, h_size, C(size), NULL, 0, 0 },
	[CK_ALIGN] = { "align", YAML_SCALAR_NODE, h_size, C(align), NULL, 0, 0 },
	[CK_FLAGS] = { "flags", YAML_NO_NODE, h_flags, C(flags), NULL, 0, 0 },
	[CK_CTOR] = { "ctor", YAML_SCALAR_NODE, h_ctor, 0, NULL, 0, 0 },
	[CK_DTOR] = { "dtor", YAML_SCALAR_NODE, h_dtor, 0, NULL, 0, 0 },
	[CK_TUNE] = { "tune", YAML_MAPPING_NODE, h_map, C(tune), &tune_table, 0, 0 },
	[CK_T] = { "t", YAML_SCALAR_NODE, h_cache_t, 0, NULL, 0, 0 },
	[CK_COLOURING] = { "colouring", YAML_SCALAR_NODE, h_tristate, C(colouring), NULL, 0, 0 },
};
TABLE(cache_table, "cache", cache_rows);
_Static_assert(ARRAY_SIZE(cache_rows) == CK_NR, "cache rows");

#undef C

struct cache_pos {
	struct pos size, align, dtor, tune;
};

/* What kmem_cache_create would BUG on, and the tune rule. */
static bool check_cache(struct loader *ld, const struct wl_cache *c,
			const struct cache_pos *cp)
{
	const char *arch = ld->wl->machine.arch;
	unsigned int word = strcmp(arch, "i386") ? 8 : 4;

	if (c->size < word || c->size > KMALLOC_MAX_SIZE)
		return fail_pos(ld, cp->size,
				"cache '%s': size %" PRIu64 " is out of range (kmem_cache_create takes %u..%llu bytes on %s)",
				c->name, c->size, word, KMALLOC_MAX_SIZE, arch);
	if (c->align & (c->align - 1) || c->align > KMALLOC_MAX_SIZE)
		return fail_pos(ld, cp->align,
				"cache '%s': align %" PRIu64 " is not a power of two up to 131072",
				c->name, c->align);
	if (c->has_dtor && !c->has_ctor)
		return fail_pos(ld, cp->dtor,
				"cache '%s': dtor without ctor (kmem_cache_create refuses a destructor without a constructor)",
				c->name);
	return check_tune(ld, &c->tune, cp->tune, false /* need_all */);
}

static struct pos seen_pos(const struct seen *s, const yaml_node_t *dflt)
{
	return pos_of(s->val ? s->val : dflt);
}

static bool item_file(struct loader *ld, const yaml_node_t *item,
		      const char **out);

static bool load_caches(struct loader *ld, yaml_node_t *seq)
{
	struct workload *wl = ld->wl;
	yaml_node_item_t *it;
	char q[QUOTE_MAX];

	for (it = seq->data.sequence.items.start;
	     it < seq->data.sequence.items.top; it++) {
		yaml_node_t *item = node_at(ld, *it);
		struct seen seen[CK_NR];
		struct cache_pos cp;
		struct wl_cache c;
		size_t j;

		memset(&c, 0, sizeof(c));
		c.tune.limit = c.tune.batchcount = c.tune.shared = -1;
		c.colouring = -1;
		c.at_boot = true;
		if (!walk_map(ld, item, &cache_table, &c, seen))
			return false;
		if (!seen[CK_NAME].val)
			return fail(ld, item, "cache needs a name:");
		if (!seen[CK_SIZE].val)
			return fail(ld, item, "cache '%s' needs a size:", c.name);
		for (j = 0; j < wl->nr_caches; j++)
			if (!strcmp(wl->caches[j].name, c.name))
				return fail(ld, seen[CK_NAME].val,
					    "duplicate cache name '%s' (first at line %u)",
					    quote(q, seen[CK_NAME].val),
					    wl->caches[j].line);
		c.line = pos_of(item).line;
		c.col = pos_of(item).col;
		if (!item_file(ld, item, &c.file))
			return false;
		cp.size = seen_pos(&seen[CK_SIZE], item);
		cp.align = seen_pos(&seen[CK_ALIGN], item);
		cp.dtor = seen_pos(&seen[CK_DTOR], item);
		cp.tune = seen_pos(&seen[CK_TUNE], item);
		if (!check_cache(ld, &c, &cp))
			return false;
		if (!grow(ld, (void **)&wl->caches, &ld->caches_cap,
			  wl->nr_caches, sizeof(c)))
			return false;
		wl->caches[wl->nr_caches++] = c;
	}
	return true;
}

/*
 * A cache named by an event or generator: index into caches, or -1 with
 * the error set. A kmalloc cache gets its own hint.
 */
static uint32_t name_hash(const char *s);

/*
 * The declared cache named s, or -1. Once the events are read the names
 * are hashed (an imported trace declares dozens of caches and names one
 * in most events); before, the few lookups of the header search.
 */
static int cache_find(const struct loader *ld, const char *s)
{
	const struct workload *wl = ld->wl;

	if (ld->cache_hash) {
		size_t mask = ld->cache_hash_cap - 1;
		uint32_t c;

		for (size_t i = name_hash(s) & mask; (c = ld->cache_hash[i]);
		     i = (i + 1) & mask)
			if (!strcmp(wl->caches[c - 1].name, s))
				return (int)c - 1;
		return -1;
	}
	for (size_t i = 0; i < wl->nr_caches; i++)
		if (!strcmp(wl->caches[i].name, s))
			return (int)i;
	return -1;
}

static int cache_ref(struct loader *ld, yaml_node_t *v, const char *what)
{
	char q[QUOTE_MAX];
	const char *s = text(ld, v, what);
	int c;

	if (!s)
		return -1;
	c = cache_find(ld, s);
	if (c >= 0)
		return c;
	if (is_kmalloc_name(s))
		fail(ld, v, "'%s' is a kmalloc cache; only caches declared under caches: can be named here (use kmalloc: SIZE)",
		     quote(q, v));
	else
		fail(ld, v, "unknown cache '%s' (declare it under caches:)",
		     quote(q, v));
	return -1;
}

/* ------------------------------------------------------------------ */
/* Names given by as:                                                  */
/* ------------------------------------------------------------------ */

/* FNV-1a: only used to find names, never to order anything. */
static uint32_t name_hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* The slot a name is bound to now, or -1. */
static int name_find(const struct loader *ld, const char *s)
{
	size_t i, mask = ld->hash_cap - 1;
	uint32_t h = name_hash(s), slot;

	if (!ld->hash_cap)
		return -1;
	for (i = h & mask; (slot = ld->hash[i]); i = (i + 1) & mask)
		if (ld->ni[slot - 1].hash == h &&
		    !strcmp(ld->wl->names[slot - 1], s))
			return (int)slot - 1;
	return -1;
}

static void hash_insert(struct loader *ld, size_t slot)
{
	size_t i, mask = ld->hash_cap - 1;

	for (i = ld->ni[slot].hash & mask; ld->hash[i]; i = (i + 1) & mask)
		;
	ld->hash[i] = (uint32_t)slot + 1;
	ld->hash_used++;
}

/* Unbind slot's name: linear probing's deletion, moving back what follows. */
static void hash_remove(struct loader *ld, size_t slot)
{
	size_t i, j, k, mask = ld->hash_cap - 1;

	for (i = ld->ni[slot].hash & mask; ld->hash[i] != slot + 1;
	     i = (i + 1) & mask)
		;
	ld->hash[i] = 0;
	ld->hash_used--;
	for (j = (i + 1) & mask; ld->hash[j]; j = (j + 1) & mask) {
		k = ld->ni[ld->hash[j] - 1].hash & mask;
		/* can the entry at j live at i? (k not cyclically in (i, j]) */
		if (i <= j ? (k <= i || k > j) : (k <= i && k > j)) {
			ld->hash[i] = ld->hash[j];
			ld->hash[j] = 0;
			i = j;
		}
	}
}

/* A slot nobody refers to any more goes back on the free list. */
static void slot_reuse(struct loader *ld, int slot)
{
	struct name_info *ni = &ld->ni[slot];

	if (ni->forgotten && !ni->refs && !ld->all) {
		ni->forgotten = false;
		ni->next_free = ld->free_slot;
		ld->free_slot = slot;
	}
}

/* The slot loses its name; it is reused once the runner lets go of it. */
static void slot_forget(struct loader *ld, int slot)
{
	struct name_info *ni = &ld->ni[slot];

	if (ni->named) {
		hash_remove(ld, (size_t)slot);
		ni->named = false;
	}
	ni->forgotten = true;
	slot_reuse(ld, slot);
}

/*
 * A fresh slot bound to name s (any earlier binding of s already gone);
 * -1 (error set, nothing changed) on OOM.
 */
static int slot_new(struct loader *ld, const char *s)
{
	struct workload *wl = ld->wl;
	size_t i, n = wl->nr_names, cap = ld->names_cap;
	int slot = ld->free_slot;

	if (slot < 0) {
		if (n >= (size_t)INT32_MAX - 1) {
			fail_pos(ld, nopos, "too many names in use");
			return -1;
		}
		if (!grow(ld, (void **)&wl->names, &ld->names_cap, n,
			  sizeof(*wl->names)))
			return -1;
		if (cap != ld->names_cap) {
			void *p = realloc(ld->ni, ld->names_cap * sizeof(*ld->ni));

			if (!p) {
				fail_pos(ld, nopos, "out of memory");
				return -1;
			}
			ld->ni = p;
		}
	}
	if ((ld->hash_used + 1) * 2 > ld->hash_cap) {
		size_t ncap = ld->hash_cap ? ld->hash_cap * 2 : 64;
		uint32_t *h = calloc(ncap, sizeof(*h)), *old = ld->hash;
		size_t ocap = ld->hash_cap;

		if (!h) {
			fail_pos(ld, nopos, "out of memory");
			return -1;
		}
		ld->hash = h;
		ld->hash_cap = ncap;
		ld->hash_used = 0;
		for (i = 0; i < ocap; i++)
			if (old[i])
				hash_insert(ld, old[i] - 1);
		free(old);
	}
	if (slot < 0) {
		slot = (int)n;
		wl->nr_names++;
	} else {
		ld->free_slot = ld->ni[slot].next_free;
	}
	size_t len = strlen(s);	/* printable_name kept it under 64 */

	memcpy(wl->names[slot], s, len + 1);
	uint32_t gen = (size_t)slot < n ? ld->ni[slot].gen + 1 : 0;
	memset(&ld->ni[slot], 0, sizeof(ld->ni[slot]));
	ld->ni[slot].gen = gen;
	ld->ni[slot].hash = name_hash(s);
	ld->ni[slot].named = true;
	hash_insert(ld, (size_t)slot);
	return slot;
}

/*
 * A name was freed: it stays findable for WL_DEAD_NAMES more frees. A
 * slot in the ring that was bound again meanwhile is already forgotten.
 */
static bool slot_dead(struct loader *ld, int slot)
{
	if (!ld->dead) {
		ld->dead = malloc(WL_DEAD_NAMES * sizeof(*ld->dead));
		if (!ld->dead)
			return fail_pos(ld, nopos, "out of memory");
	}
	if (ld->dead_n == WL_DEAD_NAMES) {
		struct dead_name old = ld->dead[ld->dead_head];
		struct name_info *ni = &ld->ni[old.slot];

		ld->dead_head = (ld->dead_head + 1) % WL_DEAD_NAMES;
		ld->dead_n--;
		if (ni->gen == old.gen && !ni->live && !ni->forgotten)
			slot_forget(ld, old.slot);
	}
	ld->dead[(ld->dead_head + ld->dead_n) % WL_DEAD_NAMES] =
		(struct dead_name){ slot, ld->ni[slot].gen };
	ld->dead_n++;
	return true;
}

void workload_slot_hold(struct workload *wl, int slot)
{
	wl->ld->ni[slot].refs++;
}

void workload_slot_put(struct workload *wl, int slot)
{
	struct loader *ld = wl->ld;

	ld->ni[slot].refs--;
	slot_reuse(ld, slot);
}

size_t workload_nr_slots(const struct workload *wl)
{
	return wl->nr_names;
}

/* ------------------------------------------------------------------ */
/* Call sites                                                          */
/* ------------------------------------------------------------------ */

/* Room for len + 1 bytes of site text; NULL (error set) on OOM. */
static char *site_text_room(struct loader *ld, size_t len)
{
	char **v, *b;

	if (ld->nr_site_blocks && ld->site_block_used + len + 1 <= SITE_BLOCK) {
		b = ld->site_blocks[ld->nr_site_blocks - 1] + ld->site_block_used;
		ld->site_block_used += len + 1;
		return b;
	}
	v = realloc(ld->site_blocks, (ld->nr_site_blocks + 1) * sizeof(*v));
	if (!v)
		return fail_pos(ld, nopos, "out of memory"), NULL;
	ld->site_blocks = v;
	b = malloc(SITE_BLOCK);
	if (!b)
		return fail_pos(ld, nopos, "out of memory"), NULL;
	ld->site_blocks[ld->nr_site_blocks++] = b;
	ld->site_block_used = len + 1;
	return b;
}

/* The site's index, interned on first use; -1 (error set) on OOM. */
static int site_intern(struct loader *ld, const char *s)
{
	size_t i, mask, len;
	char *text;

	if ((ld->nr_sites + 1) * 2 > ld->site_hash_cap) {
		size_t ncap = ld->site_hash_cap ? ld->site_hash_cap * 2 : 64;
		uint32_t *h = calloc(ncap, sizeof(*h));

		if (!h)
			return fail_pos(ld, nopos, "out of memory"), -1;
		free(ld->site_hash);
		ld->site_hash = h;
		ld->site_hash_cap = ncap;
		for (size_t k = 0; k < ld->nr_sites; k++) {
			for (i = ld->sites[k].hash & (ncap - 1); h[i];
			     i = (i + 1) & (ncap - 1))
				;
			h[i] = (uint32_t)k + 1;
		}
	}
	uint32_t h = name_hash(s);

	mask = ld->site_hash_cap - 1;
	for (i = h & mask; ld->site_hash[i]; i = (i + 1) & mask) {
		const struct site_ent *e = &ld->sites[ld->site_hash[i] - 1];

		if (e->hash == h && !strcmp(e->text, s))
			return (int)ld->site_hash[i] - 1;
	}
	len = strnlen(s, WL_MAX_SITE);
	if (!grow(ld, (void **)&ld->sites, &ld->sites_cap, ld->nr_sites,
		  sizeof(*ld->sites)) || !(text = site_text_room(ld, len)))
		return -1;
	memcpy(text, s, len);
	text[len] = '\0';
	ld->sites[ld->nr_sites].text = text;
	ld->sites[ld->nr_sites].hash = h;
	ld->site_hash[i] = (uint32_t)ld->nr_sites + 1;
	return (int)ld->nr_sites++;
}

const char *workload_site(const struct workload *wl, int site)
{
	return wl->ld && site >= 0 && (size_t)site < wl->ld->nr_sites ?
	       wl->ld->sites[site].text : "?";
}

size_t workload_nr_sites(const struct workload *wl)
{
	return wl->ld ? wl->ld->nr_sites : 0;
}

/* ------------------------------------------------------------------ */
/* Events                                                              */
/* ------------------------------------------------------------------ */

/* site: the event's call site, any one-line text; interned. */
static bool h_site(struct loader *ld, yaml_node_t *v, void *field,
		   const struct key_row *row)
{
	char q[QUOTE_MAX];
	const char *s = text(ld, v, "site");

	if (!s)
		return false;
	size_t len = strlen(s);
	bool ok = len >= 1 && len <= WL_MAX_SITE;

	for (const char *c = s; ok && *c; c++)
		ok = (unsigned char)*c >= 0x20 && *c != 0x7f;
	if (!ok)
		return fail(ld, v, "bad site '%s' (1 to %d characters, no control characters)",
			    quote(q, v), WL_MAX_SITE);
	*(int *)field = site_intern(ld, s);
	return *(int *)field >= 0;
}

/* Event keys; the operation rows follow in the order of enum wl_op. */
enum { EK_T, EK_CPU, EK_GFP, EK_AS, EK_NODE, EK_BYTES, EK_WRITE, EK_SITE,
       EK_OFFSET, EK_REPEAT, EK_OP0, EK_NR = EK_OP0 + WL_NR_OPS };

#define WL_MAX_REPEAT	1000000		/* passes of one walk */

enum argkind { A_CACHE, A_NAME, A_SIZE, A_TRUE, A_TUNE, A_CPU, A_POLICY,
	       A_GEN };

#define K(k) (1u << (k))
#define RUNS (K(EK_CPU))
#define ALLOCS (K(EK_CPU) | K(EK_GFP) | K(EK_AS))

/* Which of the common keys each operation takes, and which it needs. */
static const struct op_info {
	const char *key;
	enum argkind arg;
	unsigned int allowed, required;
} ops[] = {
	[WL_ALLOC] = { "alloc", A_CACHE, ALLOCS, K(EK_AS) },
	[WL_ALLOC_NODE] = { "alloc_node", A_CACHE, ALLOCS | K(EK_NODE),
			    K(EK_AS) | K(EK_NODE) },
	[WL_ZALLOC] = { "zalloc", A_CACHE, ALLOCS, K(EK_AS) },
	[WL_FREE] = { "free", A_NAME, RUNS, 0 },
	[WL_KMALLOC] = { "kmalloc", A_SIZE, ALLOCS, K(EK_AS) },
	[WL_KMALLOC_NODE] = { "kmalloc_node", A_SIZE, ALLOCS | K(EK_NODE),
			      K(EK_AS) | K(EK_NODE) },
	[WL_KFREE] = { "kfree", A_NAME, RUNS, 0 },
	[WL_TOUCH] = { "touch", A_NAME, RUNS | K(EK_BYTES) | K(EK_WRITE), 0 },
	[WL_SLABINFO] = { "slabinfo", A_TRUE, RUNS, 0 },
	[WL_TUNE] = { "tune", A_TUNE, RUNS, 0 },
	[WL_SHRINK] = { "shrink", A_CACHE, RUNS, 0 },
	[WL_DESTROY] = { "destroy", A_CACHE, RUNS, 0 },
	[WL_CREATE] = { "create", A_CACHE, RUNS, 0 },
	[WL_CPU_DOWN] = { "cpu_down", A_CPU, 0, 0 },
	[WL_CPU_UP] = { "cpu_up", A_CPU, 0, 0 },
	[WL_MEMPOLICY] = { "mempolicy", A_POLICY, 0, 0 },
	[WL_WALK] = { "walk", A_CACHE, RUNS | K(EK_BYTES) | K(EK_WRITE) |
		      K(EK_OFFSET) | K(EK_REPEAT), 0 },
	[WL_FREE_ALL] = { "free_all", A_GEN, RUNS, 0 },
};
_Static_assert(ARRAY_SIZE(ops) == WL_NR_OPS, "one op_info per op");

/* An event as it is read: the event plus what the finish step needs. */
struct ev_raw {
	struct wl_event ev;
	uint64_t bytes;
};

#define EV(f) offsetof(struct ev_raw, ev.f)

static const struct key_row event_rows[] = {
	[EK_T] = { "t", YAML_SCALAR_NODE, h_dur, EV(t), NULL, 0, 0 },
	[EK_CPU] = { "cpu", YAML_SCALAR_NODE, h_int, EV(cpu), NULL, 0, WL_MAX_CPUS - 1 },
	[EK_GFP] = { "gfp", YAML_NO_NODE, h_gfp, EV(gfp), NULL, 0, 0 },
	[EK_AS] = { "as", YAML_SCALAR_NODE, h_nop, 0, NULL, 0, 0 },
	[EK_NODE] = { "node", YAML_SCALAR_NODE, h_int, EV(node), NULL, 0, WL_MAX_NODES - 1 },
	[EK_BYTES] = { "bytes", YAML_SCALAR_NODE, h_size, offsetof(struct ev_raw, bytes), NULL, 0, 0 },
	[EK_WRITE] = { "write", YAML_SCALAR_NODE, h_bool, EV(write), NULL, 0, 0 },
	[EK_SITE] = { "site", YAML_SCALAR_NODE, h_site, EV(site), NULL, 0, 0 },
	[EK_OFFSET] = { "offset", YAML_SCALAR_NODE, h_size, EV(offset), NULL, 0, 0 },
	[EK_REPEAT] = { "repeat", YAML_SCALAR_NODE, h_int, EV(repeat), NULL, 1, WL_MAX_REPEAT },
	[EK_OP0 + WL_ALLOC] = { "alloc", YAML_SCALAR_NODE, h_nop, 0, NULL, 0, 0 },
	[EK_OP0 + WL_ALLOC_NODE] = { "alloc_node", YAML_SCALAR_NODE, h_nop, 0, NULL, 0, 0 },
	[EK_OP0 + WL_ZALLOC] = { "zalloc", YAML_SCALAR_NODE, h_nop, 0, NULL, 0, 0 },
	[EK_OP0 + WL_FREE] = { "free", YAML_SCALAR_NODE, h_nop, 0, NULL, 0, 0 },
	[EK_OP0 + WL_KMALLOC] = { "kmalloc", YAML_SCALAR_NODE, h_nop, 0, NULL, 0, 0 },
	[EK_OP0 + WL_KMALLOC_NODE] = { "kmalloc_node", YAML_SCALAR_NODE, h_nop, 0, NULL, 0, 0 },
	[EK_OP0 + WL_KFREE] = { "kfree", YAML_SCALAR_NODE, h_nop, 0, NULL, 0, 0 },
	[EK_OP0 + WL_TOUCH] = { "touch", YAML_SCALAR_NODE, h_nop, 0, NULL, 0, 0 },
	[EK_OP0 + WL_SLABINFO] = { "slabinfo", YAML_SCALAR_NODE, h_nop, 0, NULL, 0, 0 },
	[EK_OP0 + WL_TUNE] = { "tune", YAML_MAPPING_NODE, h_nop, 0, NULL, 0, 0 },
	[EK_OP0 + WL_SHRINK] = { "shrink", YAML_SCALAR_NODE, h_nop, 0, NULL, 0, 0 },
	[EK_OP0 + WL_DESTROY] = { "destroy", YAML_SCALAR_NODE, h_nop, 0, NULL, 0, 0 },
	[EK_OP0 + WL_CREATE] = { "create", YAML_SCALAR_NODE, h_nop, 0, NULL, 0, 0 },
	[EK_OP0 + WL_CPU_DOWN] = { "cpu_down", YAML_SCALAR_NODE, h_nop, 0, NULL, 0, 0 },
	[EK_OP0 + WL_CPU_UP] = { "cpu_up", YAML_SCALAR_NODE, h_nop, 0, NULL, 0, 0 },
	[EK_OP0 + WL_MEMPOLICY] = { "mempolicy", YAML_MAPPING_NODE, h_nop, 0, NULL, 0, 0 },
	[EK_OP0 + WL_WALK] = { "walk", YAML_SCALAR_NODE, h_nop, 0, NULL, 0, 0 },
	[EK_OP0 + WL_FREE_ALL] = { "free_all", YAML_SCALAR_NODE, h_nop, 0, NULL, 0, 0 },
};
TABLE(event_table, "event", event_rows);
_Static_assert(ARRAY_SIZE(event_rows) == EK_NR, "event rows");

#undef EV

/* mempolicy: {cpu, policy, nodes, spread_slab} */
struct mp_raw {
	int cpu;
	int policy;
	uint64_t mask;
	bool spread_slab;
};

static bool h_policy(struct loader *ld, yaml_node_t *v, void *field,
		     const struct key_row *row)
{
	static const char *const names[] = {
		[WL_POLICY_DEFAULT] = "default",
		[WL_POLICY_INTERLEAVE] = "interleave",
		[WL_POLICY_BIND] = "bind",
		[WL_POLICY_PREFERRED] = "preferred",
	};
	char q[QUOTE_MAX];
	const char *s = text(ld, v, "policy");
	size_t i;

	if (!s)
		return false;
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		if (!strcmp(s, names[i])) {
			*(int *)field = (int)i;
			return true;
		}
	}
	return fail(ld, v, "bad policy '%s' (expected default, interleave, bind or preferred)",
		    quote(q, v));
}

static bool h_nodes(struct loader *ld, yaml_node_t *v, void *field,
		    const struct key_row *row)
{
	struct mp_raw *mp = field;
	yaml_node_item_t *it;

	for (it = v->data.sequence.items.start;
	     it < v->data.sequence.items.top; it++) {
		yaml_node_t *n = node_at(ld, *it);
		int node = 0;	/* get_int sets it when it succeeds */

		if (!get_int(ld, n, "node", 0, WL_MAX_NODES - 1, &node))
			return false;
		if (mp->mask & (1ULL << node))
			return fail(ld, n, "node %d is listed twice", node);
		mp->mask |= 1ULL << node;
	}
	return true;
}

enum { PK_CPU, PK_POLICY, PK_NODES, PK_SPREAD, PK_NR };

static const struct key_row policy_rows[] = {
	[PK_CPU] = { "cpu", YAML_SCALAR_NODE, h_int, offsetof(struct mp_raw, cpu), NULL, 0, WL_MAX_CPUS - 1 },
	[PK_POLICY] = { "policy", YAML_SCALAR_NODE, h_policy, offsetof(struct mp_raw, policy), NULL, 0, 0 },
	[PK_NODES] = { "nodes", YAML_SEQUENCE_NODE, h_nodes, 0, NULL, 0, 0 },
	/* the task's cpuset has memory_spread_slab: PF_SPREAD_SLAB */
	[PK_SPREAD] = { "spread_slab", YAML_SCALAR_NODE, h_bool, offsetof(struct mp_raw, spread_slab), NULL, 0, 0 },
};
TABLE(policy_table, "mempolicy", policy_rows);
_Static_assert(ARRAY_SIZE(policy_rows) == PK_NR, "policy rows");

static void cpu_state_init(struct cpu_state *cs, int cpus)
{
	int i;

	memset(cs, 0, sizeof(*cs));
	for (i = 0; i < cpus && i < WL_MAX_CPUS; i++)
		cs->online[i] = true;
	cs->nr_online = cpus;
}

static const char *plural(int n)
{
	return n == 1 ? "" : "s";
}

/*
 * The event against the machine: CPU and node in range, the CPU online.
 * Steps cs through hotplug events. Shared by loading (positions of the
 * exact nodes) and validate() after an override (the event's position).
 */
static bool event_vs_machine(struct loader *ld, const struct wl_event *ev,
			     struct cpu_state *cs, struct pos pcpu,
			     struct pos pnode)
{
	const struct wl_machine *m = &ld->wl->machine;
	int cpu = ops[ev->op].arg == A_CPU || ev->op == WL_MEMPOLICY ?
		  ev->node : ev->cpu;

	if (cpu < 0 || cpu >= m->cpus)
		return fail_pos(ld, pcpu,
				"cpu %d is out of range (the machine has %d CPU%s: 0-%d)",
				cpu, m->cpus, plural(m->cpus), m->cpus - 1);
	switch (ev->op) {
	case WL_CPU_DOWN:
		if (!cs->online[cpu])
			return fail_pos(ld, pcpu,
					"cpu_down %d: that CPU is already offline (taken down at line %u)",
					cpu, cs->down_line[cpu]);
		if (cs->nr_online == 1)
			return fail_pos(ld, pcpu,
					"cpu_down %d would take down the last online CPU",
					cpu);
		cs->online[cpu] = false;
		cs->down_line[cpu] = ev->line;
		cs->nr_online--;
		return true;
	case WL_CPU_UP:
		if (cs->online[cpu])
			return fail_pos(ld, pcpu,
					"cpu_up %d: that CPU is already online",
					cpu);
		cs->online[cpu] = true;
		cs->nr_online++;
		return true;
	case WL_MEMPOLICY:
		if (m->nodes < 64 && (ev->nodemask >> m->nodes))
			return fail_pos(ld, pnode,
					"mempolicy names node %d, but the machine has %d node%s",
					63 - __builtin_clzll(ev->nodemask),
					m->nodes, plural(m->nodes));
		return true;
	default:
		break;
	}
	if (!cs->online[cpu])
		return fail_pos(ld, pcpu,
				"cpu %d is offline (cpu_down at line %u)", cpu,
				cs->down_line[cpu]);
	if ((ev->op == WL_ALLOC_NODE || ev->op == WL_KMALLOC_NODE) &&
	    ev->node >= m->nodes)
		return fail_pos(ld, pnode,
				"node %d is out of range (the machine has %d node%s)",
				ev->node, m->nodes, plural(m->nodes));
	return true;
}

/* A cache's life while the events are replayed, checked per operation. */
static bool cache_life(struct loader *ld, struct wl_event *ev,
		       yaml_node_t *arg)
{
	const struct wl_cache *c = &ld->wl->caches[ev->cache];
	enum cache_state *st = &ld->cstate[ev->cache];
	char a[32], b[32];

	if (*st == CS_PENDING && ev->op != WL_CREATE)
		return fail(ld, arg, "cache '%s' does not exist yet at t=%s (it is created at t=%s)",
			    c->name, fmt_ns(a, sizeof(a), ev->t),
			    fmt_ns(b, sizeof(b), c->create_t));
	switch (ev->op) {
	case WL_CREATE:
		if (*st == CS_PENDING)
			return fail(ld, arg, "create of '%s' before its declaration creates it (at t=%s)",
				    c->name, fmt_ns(b, sizeof(b), c->create_t));
		if (*st == CS_LIVE)
			return fail(ld, arg, "create of '%s', which already exists (destroy it first)",
				    c->name);
		*st = CS_LIVE;
		break;
	case WL_DESTROY:
		/* a second destroy is handed to the kernel, like a double free */
		*st = CS_DESTROYED;
		break;
	default:
		break;
	}
	return true;
}

/*
 * [offset, offset + bytes) of a walk lies inside the cache's objects (a
 * whole-object walk reads from offset to the end, whatever the size).
 * Checked on loading and again after an override changes the size.
 */
static bool walk_fits(struct loader *ld, const struct wl_event *ev,
		      struct pos p)
{
	const struct wl_cache *c = &ld->wl->caches[ev->cache];

	if (ev->offset >= c->size)
		return fail_pos(ld, p, "walk offset %" PRIu64 " is past the end of '%s' objects (%" PRIu64 " bytes)",
				ev->offset, c->name, c->size);
	if (!ev->whole && ev->size > c->size - ev->offset)
		return fail_pos(ld, p, "walk of %" PRIu64 " bytes at offset %" PRIu64 " does not fit in '%s' objects (%" PRIu64 " bytes)",
				ev->size, ev->offset, c->name, c->size);
	return true;
}

/*
 * A walk's range within the cache's objects, and its defaults: the whole
 * object from offset, a read, one pass.
 */
static bool event_walk(struct loader *ld, struct ev_raw *r,
		       const struct seen *seen, yaml_node_t *arg)
{
	struct wl_event *ev = &r->ev;
	uint64_t size = ld->wl->caches[ev->cache].size;

	if (!seen[EK_WRITE].val)
		ev->write = false;
	if (!seen[EK_REPEAT].val)
		ev->repeat = 1;
	ev->whole = !seen[EK_BYTES].val;
	ev->size = !ev->whole ? r->bytes : ev->offset < size ? size - ev->offset : 0;
	if (seen[EK_BYTES].val && r->bytes == 0)
		return fail(ld, seen[EK_BYTES].val, "walk of 0 bytes (leave bytes: out to read the whole object)");
	return walk_fits(ld, ev, pos_of(seen[EK_BYTES].val ? seen[EK_BYTES].val :
				       seen[EK_OFFSET].val ? seen[EK_OFFSET].val : arg));
}

/*
 * free_all: GENERATOR, by the generator's name:, which must hold its
 * objects until such an event (lifetime: until_free_all). Generators are
 * loaded before the events, so every name is known here.
 */
static bool event_free_all(struct loader *ld, struct wl_event *ev,
			   yaml_node_t *arg)
{
	const struct workload *wl = ld->wl;
	char q[QUOTE_MAX];
	const char *s = text(ld, arg, "free_all");
	size_t i;

	if (!s)
		return false;
	for (i = 0; i < wl->nr_generators; i++)
		if (!strcmp(wl->generators[i].name, s))
			break;
	if (i == wl->nr_generators)
		return fail(ld, arg, "free_all of '%s': no generator has that name: (give it one with name:)",
			    quote(q, arg));
	if (wl->generators[i].lifetime != WL_DIST_HELD)
		return fail(ld, arg, "free_all of '%s': that generator frees its objects itself (free_all takes a generator with lifetime: until_free_all)",
			    quote(q, arg));
	ev->gen = (int)i;
	return true;
}

/* The operation's own value, and the names it allocates or refers to. */
static bool event_arg(struct loader *ld, struct ev_raw *r, struct seen *seen,
		      yaml_node_t *arg, struct pos *pcpu, struct pos *pnode)
{
	struct wl_event *ev = &r->ev;
	const struct op_info *oi = &ops[ev->op];
	struct seen ts[TK_NR], ps[PK_NR];
	struct name_info *ni;
	struct mp_raw mp;
	const char *s;
	char q[QUOTE_MAX];
	bool b;
	int n;

	switch (oi->arg) {
	case A_CACHE:
		ev->cache = cache_ref(ld, arg, oi->key);
		if (ev->cache < 0 || !cache_life(ld, ev, arg))
			return false;
		return ev->op != WL_WALK || event_walk(ld, r, seen, arg);
	case A_TUNE:
		ev->tune.limit = ev->tune.batchcount = ev->tune.shared = -1;
		if (!walk_map(ld, arg, &tune_ev_table, &ev->tune, ts))
			return false;
		if (!ts[TK_CACHE].val)
			return fail(ld, arg, "tune needs cache: (which cache to tune)");
		if (!check_tune(ld, &ev->tune, pos_of(arg), true /* need_all */))
			return false;
		ev->cache = cache_ref(ld, ts[TK_CACHE].val, "cache");
		return ev->cache >= 0 && cache_life(ld, ev, ts[TK_CACHE].val);
	case A_NAME:
		s = text(ld, arg, oi->key);
		if (!s)
			return false;
		n = name_find(ld, s);
		if (n < 0)
			return fail(ld, arg, "%s of '%s', which was never allocated (or was freed more than %d frees ago)",
				    oi->key, quote(q, arg), WL_DEAD_NAMES);
		ni = &ld->ni[n];
		ev->name = n;
		ev->cache = ni->cache;
		if (ev->op == WL_TOUCH) {
			ev->whole = !seen[EK_BYTES].val;
			ev->size = ev->whole ? ni->size : r->bytes;
		} else if (ni->live) {
			/* freeing a dead name is a double free: the kernel's */
			ni->live = false;
			return slot_dead(ld, n);
		}
		return true;
	case A_SIZE:
		return get_size(ld, arg, oi->key, true, &ev->size);
	case A_TRUE:
		if (!get_bool(ld, arg, oi->key, &b))
			return false;
		if (!b)
			return fail(ld, arg, "slabinfo takes true (drop the event to skip the snapshot)");
		return true;
	case A_CPU:
		/* the CPU coming or going is the target, in node */
		*pcpu = pos_of(arg);
		ev->cpu = -1;
		return get_int(ld, arg, "cpu", 0, WL_MAX_CPUS - 1, &ev->node);
	case A_POLICY:
		memset(&mp, 0, sizeof(mp));
		if (!walk_map(ld, arg, &policy_table, &mp, ps))
			return false;
		if (!ps[PK_POLICY].val)
			return fail(ld, arg, "mempolicy needs policy: (default, interleave, bind or preferred)");
		/* like cpu_down: the task's CPU is the target, in node */
		ev->cpu = -1;
		ev->node = mp.cpu;
		ev->policy = (enum wl_policy)mp.policy;
		ev->nodemask = mp.mask;
		ev->spread_slab = mp.spread_slab;
		*pcpu = seen_pos(&ps[PK_CPU], arg);
		*pnode = seen_pos(&ps[PK_NODES], arg);
		if (mp.policy == WL_POLICY_DEFAULT && mp.mask)
			return fail(ld, ps[PK_NODES].val, "policy default takes no nodes");
		if ((mp.policy == WL_POLICY_INTERLEAVE ||
		     mp.policy == WL_POLICY_BIND) && !mp.mask)
			return fail(ld, arg, "policy %s needs nodes: [..]",
				    mp.policy == WL_POLICY_BIND ? "bind" : "interleave");
		if (mp.policy == WL_POLICY_PREFERRED &&
		    (!mp.mask || (mp.mask & (mp.mask - 1))))
			return fail(ld, arg, "policy preferred needs exactly one node");
		return true;
	case A_GEN:
		return event_free_all(ld, ev, arg);
	}
	return false;
}

/* as: NAME on an allocation: a new name, or one that is no longer live. */
static bool event_as(struct loader *ld, struct wl_event *ev, yaml_node_t *v)
{
	char q[QUOTE_MAX];
	const char *s = text(ld, v, "as");
	struct name_info *ni;
	int n;

	if (!s)
		return false;
	if (!printable_name(s, true))
		return fail(ld, v, "bad name '%s' (1 to 63 characters, no control characters)",
			    quote(q, v));
	n = name_find(ld, s);
	if (n >= 0 && ld->ni[n].live)
		return fail(ld, v, "'%s' is still live (allocated at line %u); free it first or pick another name",
			    quote(q, v), ld->ni[n].line);
	/* a new object: a new slot, while events may still hold the old */
	if (n >= 0)
		slot_forget(ld, n);
	n = slot_new(ld, s);
	if (n < 0)
		return false;
	ni = &ld->ni[n];
	ni->live = true;
	ni->line = pos_of(v).line;
	ni->cache = ev->cache;
	ni->size = ev->cache >= 0 ? ld->wl->caches[ev->cache].size : ev->size;
	ev->name = n;
	return true;
}

/* Queues ev for workload_next_event; false (error set) on OOM. */
static bool add_event(struct loader *ld, const struct wl_event *ev)
{
	if (ld->out_head && ld->out_head == ld->out_n) {
		ld->out_head = ld->out_n = 0;
	} else if (ld->out_head && ld->out_n == ld->out_cap) {
		memmove(ld->outq, ld->outq + ld->out_head,
			(ld->out_n - ld->out_head) * sizeof(*ev));
		ld->out_n -= ld->out_head;
		ld->out_head = 0;
	}
	if (!grow(ld, (void **)&ld->outq, &ld->out_cap, ld->out_n,
		  sizeof(*ev)))
		return false;
	ld->outq[ld->out_n++] = *ev;
	return true;
}

/*
 * A cache declared with t: is created by a WL_CREATE event the loader
 * writes at that time, ahead of the file's events of the same time, so
 * the runner has one way to create a cache. Emits, in (t, declaration)
 * order, those due by upto. The lowest online CPU runs the creation.
 */
static bool create_pending(struct loader *ld, uint64_t upto)
{
	struct workload *wl = ld->wl;
	struct wl_event ev;
	size_t i;
	int next, cpu;

	if (upto < ld->next_create)	/* the common case: nothing due */
		return true;
	for (;;) {
		next = -1;
		for (i = 0; i < wl->nr_caches; i++)
			if (ld->cstate[i] == CS_PENDING &&
			    wl->caches[i].create_t <= upto &&
			    (next < 0 || wl->caches[i].create_t <
					 wl->caches[next].create_t))
				next = (int)i;
		if (next < 0) {
			ld->next_create = UINT64_MAX;
			for (i = 0; i < wl->nr_caches; i++)
				if (ld->cstate[i] == CS_PENDING &&
				    wl->caches[i].create_t < ld->next_create)
					ld->next_create = wl->caches[i].create_t;
			return true;
		}
		for (cpu = 0; cpu < WL_MAX_CPUS - 1 && !ld->cpus.online[cpu]; cpu++)
			;
		memset(&ev, 0, sizeof(ev));
		ev.t = wl->caches[next].create_t;
		ev.cpu = cpu;
		ev.op = WL_CREATE;
		ev.cache = next;
		ev.name = ev.node = -1;
		ev.gfp = GFP_KERNEL;
		ev.tune.limit = ev.tune.batchcount = ev.tune.shared = -1;
		ev.site = -1;
		ev.line = wl->caches[next].line;
		ev.col = wl->caches[next].col;
		ld->cstate[next] = CS_LIVE;
		if (!add_event(ld, &ev))
			return false;
	}
}

/*
 * Turns one walked event map into a wl_event and appends it: one
 * operation, its keys, time order, names, cache life, CPU and node.
 */
static bool finish_event(struct loader *ld, yaml_node_t *item,
			 struct ev_raw *r, struct seen *seen)
{
	struct wl_event *ev = &r->ev;
	const struct op_info *oi;
	struct pos pcpu, pnode;
	char list[LIST_MAX], q[QUOTE_MAX], a[32];
	int k, op = -1;
	size_t i, o = 0;

	for (k = EK_OP0; k < EK_NR; k++) {
		yaml_node_t *first, *later;

		if (!seen[k].key)
			continue;
		if (op < 0) {
			op = k - EK_OP0;
			continue;
		}
		first = seen[EK_OP0 + op].key;
		later = seen[k].key;
		if (later->start_mark.index < first->start_mark.index) {
			first = later;
			later = seen[EK_OP0 + op].key;
		}
		return fail(ld, later, "event has two operations, '%s' and '%s' (write one event each)",
			    (const char *)first->data.scalar.value,
			    (const char *)later->data.scalar.value);
	}
	if (op < 0) {
		for (i = 0; i < WL_NR_OPS && o < sizeof(list); i++)
			o += (size_t)snprintf(list + o, sizeof(list) - o, "%s%s",
					      i ? ", " : "", ops[i].key);
		return fail(ld, item, "event has no operation (expected one of: %s)",
			    list);
	}
	ev->op = (enum wl_op)op;
	oi = &ops[op];
	/*
	 * Each snapshot is a file of the run: a bound, also on a few lines
	 * of YAML aliasing one snapshot event over and over.
	 */
	if (ev->op == WL_SLABINFO && ++ld->nr_snapshots > WL_MAX_SNAPSHOTS)
		return fail(ld, item, "more than %d slabinfo snapshots",
			    WL_MAX_SNAPSHOTS);
	if (!seen[EK_T].val)
		return fail(ld, item, "%s event needs t: (when it happens)",
			    oi->key);
	if (ev->t < ld->last_t)
		return fail(ld, seen[EK_T].val, "t '%s' goes backwards (the event at line %u is at t=%s)",
			    quote(q, seen[EK_T].val), ld->last_line,
			    fmt_ns(a, sizeof(a), ld->last_t));
	for (k = EK_CPU; k < EK_OP0; k++) {
		if (k == EK_SITE)	/* every event may name its call site */
			continue;
		if (seen[k].key && !(oi->allowed & K(k)))
			return fail(ld, seen[k].key, "'%s' does not apply to %s",
				    event_rows[k].key, oi->key);
		if (!seen[k].key && (oi->required & K(k)))
			return fail(ld, seen[EK_OP0 + op].key, "%s needs %s:",
				    oi->key, event_rows[k].key);
	}
	if (!create_pending(ld, ev->t))
		return false;
	ev->line = pos_of(item).line;
	ev->col = pos_of(item).col;
	pcpu = seen_pos(&seen[EK_CPU], item);
	pnode = seen_pos(&seen[EK_NODE], item);
	if (!event_arg(ld, r, seen, seen[EK_OP0 + op].val, &pcpu, &pnode))
		return false;
	if ((oi->allowed & K(EK_AS)) && !event_as(ld, ev, seen[EK_AS].val))
		return false;
	if (!event_vs_machine(ld, ev, &ld->cpus, pcpu, pnode))
		return false;
	ld->last_t = ev->t;
	ld->last_line = ev->line;
	return add_event(ld, ev);
}

/* Ready to read events: every cache's state at t=0, every CPU online. */
static bool events_begin(struct loader *ld)
{
	struct workload *wl = ld->wl;
	size_t i;

	ld->cstate = calloc(wl->nr_caches + 1, sizeof(*ld->cstate));
	if (!ld->cstate)
		return fail_pos(ld, nopos, "out of memory");
	ld->next_create = 0;	/* create_pending works it out */
	for (i = 0; i < wl->nr_caches; i++)
		ld->cstate[i] = wl->caches[i].at_boot ? CS_LIVE : CS_PENDING;
	cpu_state_init(&ld->cpus, wl->machine.cpus);
	ld->cache_hash_cap = 16;
	while (ld->cache_hash_cap < 2 * wl->nr_caches)
		ld->cache_hash_cap *= 2;
	ld->cache_hash = calloc(ld->cache_hash_cap, sizeof(*ld->cache_hash));
	if (!ld->cache_hash)
		return fail_pos(ld, nopos, "out of memory");
	for (i = 0; i < wl->nr_caches; i++) {
		size_t mask = ld->cache_hash_cap - 1, k;

		for (k = name_hash(wl->caches[i].name) & mask;
		     ld->cache_hash[k]; k = (k + 1) & mask)
			;
		ld->cache_hash[k] = (uint32_t)i + 1;
	}
	return true;
}

/* One event mapping (a node of ld->doc) into the out queue. */
static bool load_event(struct loader *ld, yaml_node_t *item)
{
	struct seen seen[EK_NR];
	struct ev_raw r;

	memset(&r, 0, sizeof(r));
	r.ev.cpu = 0;
	r.ev.cache = r.ev.name = r.ev.node = r.ev.site = -1;
	r.ev.gfp = GFP_KERNEL;
	r.ev.write = true;
	r.ev.tune.limit = r.ev.tune.batchcount = r.ev.tune.shared = -1;
	return walk_map(ld, item, &event_table, &r, seen) &&
	       finish_event(ld, item, &r, seen);
}

/* ------------------------------------------------------------------ */
/* The compact event form                                              */
/* ------------------------------------------------------------------ */

/*
 * "T CPU OP ARGS... [key=value...] [@SITE]" (README, "The compact event
 * form") is turned into the mapping it stands for, built in the document
 * next to the scalar, and read by load_event like any written mapping:
 * one set of rules and messages for both forms, which therefore mean the
 * same byte for byte. The words are cut in a copy of the text (ld->line);
 * the nodes borrow them.
 */
struct compact_op {
	const char *op;
	const char *args[4];	/* keys of the words after OP; "" = OP's value */
	bool into_value;	/* words and key=value make OP's own mapping */
};

static const struct compact_op compact_ops[] = {
	{ "alloc", { "", "as" }, false },
	{ "zalloc", { "", "as" }, false },
	{ "alloc_node", { "", "node", "as" }, false },
	{ "kmalloc", { "", "as" }, false },
	{ "kmalloc_node", { "", "node", "as" }, false },
	{ "slabinfo", { NULL }, false },
	{ "tune", { "cache", "limit", "batchcount", "shared" }, true },
	{ "mempolicy", { NULL }, true },
};

/* Any other operation takes one word, its own value. */
static const struct compact_op compact_default = { NULL, { "" }, false };

#define COMPACT_MAX_WORDS	32

static int cnode(struct loader *ld, const char *w, yaml_mark_t at)
{
	return compose_scalar(&ld->cp, w, strlen(w), true /* borrowed */, at);
}

/* value: a scalar, or a list when it has commas ("nodes=0,1"). */
static int cvalue(struct loader *ld, char *w, yaml_mark_t at)
{
	int seq;

	if (!strchr(w, ','))
		return cnode(ld, w, at);
	seq = compose_sequence(&ld->cp, at);
	while (seq) {
		char *comma = strchr(w, ',');
		int item;

		if (comma)
			*comma = '\0';
		item = cnode(ld, w, at);
		if (!item || !compose_append_item(&ld->cp, seq, item))
			return 0;
		if (!comma)
			break;
		at.column += (size_t)(comma - w) + 1;
		w = comma + 1;
	}
	return seq;
}

static bool cpair(struct loader *ld, int map, const char *key, int value,
		  yaml_mark_t at)
{
	int k = cnode(ld, key, at);

	return k && value && compose_append_pair(&ld->cp, map, k, value);
}

/* The mapping a compact scalar stands for; its node index, 0 on error. */
static int compact_event(struct loader *ld, yaml_node_t *scalar)
{
	size_t len = scalar->data.scalar.length, nw = 0, i, w0;
	char *words[COMPACT_MAX_WORDS];
	yaml_mark_t at[COMPACT_MAX_WORDS], base = scalar->start_mark;
	const struct compact_op *co = &compact_default;
	const struct key_row *row;
	char q[QUOTE_MAX], *p;
	int map, val = 0, target, k;

	if (base.column && scalar->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		base.column++;	/* past the opening quote */
	if (len + 1 > ld->line_cap) {
		char *b = realloc(ld->line, len + 1);

		if (!b)
			return fail_pos(ld, nopos, "out of memory"), 0;
		ld->line = b;
		ld->line_cap = len + 1;
	}
	memcpy(ld->line, scalar->data.scalar.value, len + 1);
	if (strlen(ld->line) != len)
		return fail(ld, scalar, "event '%s' contains a NUL byte",
			    quote(q, scalar)), 0;
	for (p = ld->line; *p;) {
		while (*p == ' ' || *p == '\t')
			*p++ = '\0';
		if (!*p)
			break;
		if (nw == COMPACT_MAX_WORDS)
			return fail(ld, scalar, "event has more than %d words",
				    COMPACT_MAX_WORDS), 0;
		words[nw] = p;
		at[nw] = base;
		at[nw].column += (size_t)(p - ld->line);
		nw++;
		while (*p && *p != ' ' && *p != '\t')
			p++;
	}
	if (nw < 3)
		return fail(ld, scalar, "event '%s' is neither a mapping nor 'T CPU OPERATION ...' (the compact form)",
			    quote(q, scalar)), 0;
	row = find_row(&event_table, words[2], strlen(words[2]));
	if (!row || row < &event_table.rows[EK_OP0]) {
		char list[LIST_MAX];
		size_t o = 0;

		for (k = EK_OP0; k < EK_NR && o < sizeof(list); k++)
			o += (size_t)snprintf(list + o, sizeof(list) - o, "%s%s",
					      k > EK_OP0 ? ", " : "",
					      event_rows[k].key);
		return fail_pos(ld, (struct pos){ (unsigned int)at[2].line + 1,
						  (unsigned int)at[2].column + 1, NULL },
				"unknown operation '%s' (expected one of: %s)",
				words[2], list), 0;
	}
	for (i = 0; i < ARRAY_SIZE(compact_ops); i++)
		if (!strcmp(compact_ops[i].op, words[2]))
			co = &compact_ops[i];

	map = compose_mapping(&ld->cp, base);
	if (!map || !cpair(ld, map, "t", cnode(ld, words[0], at[0]), at[0]))
		return 0;
	if (strcmp(words[1], "-") &&
	    !cpair(ld, map, "cpu", cnode(ld, words[1], at[1]), at[1]))
		return 0;
	if (co->into_value) {
		val = compose_mapping(&ld->cp, at[2]);
	} else if (!co->args[0]) {
		val = cnode(ld, "true", at[2]);
	}
	target = co->into_value ? val : map;
	/* the positional words, then key=value words and the site */
	for (w0 = 3, i = 0; i < ARRAY_SIZE(co->args) && co->args[i] && w0 < nw;
	     i++, w0++) {
		if (!co->args[i][0])
			val = cnode(ld, words[w0], at[w0]);
		else if (!cpair(ld, target, co->args[i],
				cnode(ld, words[w0], at[w0]), at[w0]))
			return 0;
	}
	if (!val)	/* OP's value missing: the mapping form's message */
		val = cnode(ld, "", at[2]);
	if (!cpair(ld, map, words[2], val, at[2]))
		return 0;
	for (; w0 < nw; w0++) {
		char *eq = strchr(words[w0], '=');

		if (words[w0][0] == '@' && w0 == nw - 1 && words[w0][1]) {
			if (!cpair(ld, map, "site",
				   cnode(ld, words[w0] + 1, at[w0]), at[w0]))
				return 0;
			continue;
		}
		if (!eq || eq == words[w0])
			return fail_pos(ld, (struct pos){ (unsigned int)at[w0].line + 1,
							  (unsigned int)at[w0].column + 1, NULL },
					"unexpected '%s' in a %s event (after its %s, write key=value or a last @SITE)",
					words[w0], words[2],
					co->args[0] ? "arguments" : "operation"), 0;
		*eq = '\0';
		yaml_mark_t vat = at[w0];
		vat.column += (size_t)(eq - words[w0]) + 1;
		if (!cpair(ld, co->into_value ? val : map, words[w0],
			   cvalue(ld, eq + 1, vat), at[w0]))
			return 0;
	}
	return map;
}

/*
 * The fast way for what a trace is made of: alloc, free, kmalloc and
 * kfree with their arguments and an optional @SITE, nothing else, read
 * straight into the event without building nodes (libyaml's parse is
 * the only other cost of such a line). It takes a line only when it can
 * take all of it and the general way would accept it; anything else
 * (another operation, key=value, a quoted scalar, any mistake) goes the
 * general way, which therefore writes every message. Returns true when
 * it queued the event.
 */
static bool word_is_null(const char *w)
{
	if (w[0] != '~' && w[0] != 'n' && w[0] != 'N')
		return false;
	return !strcmp(w, "~") || !strcmp(w, "null") || !strcmp(w, "Null") ||
	       !strcmp(w, "NULL");
}


/*
 * gfp=A|B|... as h_gfp reads a scalar of flag names; false (nothing to
 * say: the general way says it) for anything it would not take.
 */
static bool fast_gfp(const char *s, unsigned int *out)
{
	unsigned long bits = 0;

	for (;;) {
		size_t len = strcspn(s, "|");
		const struct flag_name *f;

		if (!len || len >= 63)
			return false;
		for (f = gfp_flags; f->name && (f->name[0] != s[0] ||
						strnlen(f->name, len + 1) != len ||
						memcmp(f->name, s, len)); f++)
			;
		if (!f->name)
			return false;
		bits |= f->bits;
		if (!s[len])
			break;
		s += len + 1;
	}
	*out = (unsigned int)bits;
	return true;
}

/* What ends a word of a compact line on the fast way. */
enum { WS_END = 1, WS_OTHER };
static const unsigned char word_stop[256] = {
	['\0'] = WS_END, [' '] = WS_END, ['='] = WS_OTHER, ['\t'] = WS_OTHER,
};

/* 1: queued; 0: not for the fast way (nothing changed); -1: error set. */
static int compact_fast(struct loader *ld, const yaml_node_t *scalar)
{
	size_t len = scalar->data.scalar.length, nw = 0;
	char *w[6], *p;
	const char *site_word = NULL, *gfp_word = NULL;
	struct wl_event ev;
	struct name_info *ni;
	uint64_t t;
	int cpu = 0, n, named = -1;
	unsigned int gfp = GFP_KERNEL;
	enum wl_op op;

	if (scalar->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return 0;
	if (len + 1 > ld->line_cap) {
		char *b = realloc(ld->line, len + 1);

		if (!b)
			return 0;
		ld->line = b;
		ld->line_cap = len + 1;
	}
	memcpy(ld->line, scalar->data.scalar.value, len + 1);
	for (p = ld->line; *p;) {
		while (*p == ' ')
			*p++ = '\0';
		if (!*p)
			break;
		if (nw == ARRAY_SIZE(w))
			return 0;
		w[nw++] = p;
		/* gfp=FLAGS is the one key=value taken here; only @SITE after */
		bool is_gfp = !gfp_word && p[0] == 'g' && !strncmp(p, "gfp=", 4);
		if (gfp_word && *p != '@')
			return 0;
		if (is_gfp) {
			gfp_word = p + 4;
			p += 4;
		}
		while (!word_stop[(unsigned char)*p])
			p++;
		if (word_stop[(unsigned char)*p] == WS_OTHER)
			return 0;	/* other key=value, a tab: the general way */
	}
	if (p != ld->line + len)	/* a NUL inside */
		return 0;
	if (nw >= 5 && w[nw - 1][0] == '@') {
		site_word = w[--nw] + 1;
		if (!*site_word || strlen(site_word) > WL_MAX_SITE)
			return 0;
	}
	if (gfp_word) {
		if (w[nw - 1] != gfp_word - 4 || !fast_gfp(gfp_word, &gfp))
			return 0;
		nw--;
	}
	if (nw < 4)
		return 0;
	if (nw == 5 && w[2][0] == 'a' && !strcmp(w[2], "alloc"))
		op = WL_ALLOC;
	else if (nw == 5 && w[2][0] == 'z' && !strcmp(w[2], "zalloc"))
		op = WL_ZALLOC;
	else if (nw == 5 && w[2][0] == 'k' && !strcmp(w[2], "kmalloc"))
		op = WL_KMALLOC;
	else if (nw == 4 && w[2][0] == 'f' && !strcmp(w[2], "free"))
		op = WL_FREE;
	else if (nw == 4 && w[2][0] == 'k' && !strcmp(w[2], "kfree"))
		op = WL_KFREE;
	else
		return 0;
	if (gfp_word && (op == WL_FREE || op == WL_KFREE))
		return 0;	/* a free takes no gfp: the general way says so */
	if (parse_units(w[0], dur_units, false, &t) != NUM_OK ||
	    t > WL_MAX_TIME || t < ld->last_t)
		return 0;
	for (p = w[1]; *p; p++) {
		if (*p < '0' || *p > '9' || p - w[1] > 3)
			return 0;
		cpu = cpu * 10 + (*p - '0');
	}
	if (cpu >= ld->wl->machine.cpus || !ld->cpus.online[cpu])
		return 0;
	for (size_t i = 3; i < nw; i++)
		if (word_is_null(w[i]))
			return 0;

	memset(&ev, 0, sizeof(ev));
	ev.t = t;
	ev.cpu = cpu;
	ev.op = op;
	ev.cache = ev.name = ev.node = ev.site = -1;
	ev.gfp = gfp;
	ev.write = true;
	ev.tune.limit = ev.tune.batchcount = ev.tune.shared = -1;
	ev.line = (unsigned int)scalar->start_mark.line + 1;
	ev.col = (unsigned int)scalar->start_mark.column + 1;
	if (op == WL_ALLOC || op == WL_ZALLOC) {
		n = cache_find(ld, w[3]);
		/* pending and not due by t: the general way's message */
		if (n < 0 || (ld->cstate[n] == CS_PENDING &&
			      ld->wl->caches[n].create_t > t))
			return 0;
		ev.cache = n;
	} else if (op == WL_KMALLOC) {
		if (parse_units(w[3], size_units, true, &ev.size) != NUM_OK)
			return 0;
	} else if ((named = name_find(ld, w[3])) < 0) {
		return 0;
	}
	bool allocates = op == WL_ALLOC || op == WL_ZALLOC || op == WL_KMALLOC;

	if (allocates && (!printable_name(w[4], true) ||
	     ((named = name_find(ld, w[4])) >= 0 && ld->ni[named].live)))
		return 0;

	/* Taken: from here on, exactly what the general way does. */
	if (site_word && (ev.site = site_intern(ld, site_word)) < 0)
		return -1;
	if (!create_pending(ld, t))
		return -1;
	if (allocates) {
		if (named >= 0)
			slot_forget(ld, named);
		n = slot_new(ld, w[4]);
		if (n < 0)
			return -1;
		ni = &ld->ni[n];
		ni->live = true;
		ni->line = ev.line;
		ni->cache = ev.cache;
		ni->size = ev.cache >= 0 ? ld->wl->caches[ev.cache].size : ev.size;
	} else {
		n = named;
		ni = &ld->ni[n];
		ev.cache = ni->cache;
		if (ni->live) {
			ni->live = false;
			if (!slot_dead(ld, n))
				return -1;
		}
	}
	ev.name = n;
	ld->last_t = ev.t;
	ld->last_line = ev.line;
	return add_event(ld, &ev) ? 1 : -1;
}

/* ------------------------------------------------------------------ */
/* Streaming the events                                                 */
/* ------------------------------------------------------------------ */

/*
 * The header (every top-level key but events:) is composed first and
 * walked with the tables; the events are composed one at a time while
 * the run asks for them and truncated away once read, so memory holds
 * the header, the names in use and one event.
 *
 * That needs every other key before the events. When the events come
 * last (a plain look at the text after them finds no further top-level
 * key: a line starting in column 0 with something other than '-', '#'
 * or '.'), one parser does both. Otherwise the header parser reads past
 * the events without building them and a second parser, started on the
 * same input, is brought to the events: two parses for such files, still
 * no events in memory.
 */

/* Could a line starting with ch be a top-level key? (NUL: no) */
static bool may_start_key(unsigned char ch)
{
	return !memchr("-#. \t\r\n", ch, 8);
}

/*
 * Does a line begin in text[0, n) with what may be a top-level key?
 * *prev is the byte before text, and becomes its last. Lines are found
 * with memchr: a trace of gigabytes is looked at in a fraction of the
 * time libyaml takes to parse it.
 */
static bool key_in(const unsigned char *text, size_t n, int *prev)
{
	const unsigned char *p = text, *end = text + n;

	if (!n)
		return false;
	if (*prev == '\n' && may_start_key(*p))
		return true;
	while ((p = memchr(p, '\n', (size_t)(end - p))) && ++p < end)
		if (may_start_key(*p))
			return true;
	*prev = end[-1];
	return false;
}

/* Could a top-level key follow byte offset off? (see above) */
static bool key_after(struct loader *ld, size_t off)
{
	enum { CHUNK = 1 << 16 };
	unsigned char *chunk;
	int prev = 0;
	size_t n;
	bool found = false;
	FILE *f;

	if (ld->buf)
		return off < ld->len && key_in(ld->buf + off, ld->len - off, &prev);
	f = fopen(ld->wl->file, "rb");
	chunk = malloc(CHUNK);
	if (!f || !chunk || fseeko(f, (off_t)off, SEEK_SET) != 0) {
		if (f)
			fclose(f);
		free(chunk);
		return true;	/* the safe answer: two parses */
	}
	while (!found && (n = fread(chunk, 1, CHUNK, f)) > 0)
		found = key_in(chunk, n, &prev);
	fclose(f);
	free(chunk);
	return found;
}

/* A composer's error as the loader's one line. */
static bool cp_fail(struct loader *ld)
{
	struct pos p = { ld->cp.line, ld->cp.col, NULL };

	return fail_pos(ld, p, "%s", ld->cp.msg);
}

static bool cp_open(struct loader *ld)
{
	bool ok = ld->buf ? compose_open_buffer(&ld->cp, ld->buf, ld->len)
			  : compose_open_file(&ld->cp, ld->wl->file);

	if (!ok)
		return cp_fail(ld);
	ld->cp_open = true;
	ld->doc = &ld->cp.doc;
	return true;
}

/* The next parser event, which must be of type want. */
static bool expect_event(struct loader *ld, yaml_event_type_t want,
			 yaml_event_t *ev, const char *what)
{
	if (!compose_event(&ld->cp, ev))
		return cp_fail(ld);
	if (ev->type == want)
		return true;
	compose_fail(&ld->cp, ev->start_mark, "%s", what);
	compose_event_delete(&ld->cp, ev);
	return cp_fail(ld);
}

/* Is this key node the top-level "events"? */
static bool is_events_key(struct loader *ld, int key)
{
	yaml_node_t *k = node_at(ld, key);

	return k && k->type == YAML_SCALAR_NODE &&
	       !strcmp((const char *)k->data.scalar.value, "events");
}

/*
 * Compose the header: the root mapping with events: standing as an empty
 * list (for its position and type), the events themselves left in the
 * parser (one pass) or skipped (two). Returns the root's index, 0 on
 * error. An empty document is root 0 with no error.
 */
static int compose_header(struct loader *ld, bool *one_pass)
{
	yaml_event_t ev;
	int root, key, val;

	*one_pass = false;
	if (!expect_event(ld, YAML_STREAM_START_EVENT, &ev, "not YAML"))
		return 0;
	compose_event_delete(&ld->cp, &ev);
	if (!compose_event(&ld->cp, &ev))
		return cp_fail(ld), 0;
	if (ev.type == YAML_STREAM_END_EVENT) {
		compose_event_delete(&ld->cp, &ev);
		return 0;
	}
	compose_event_delete(&ld->cp, &ev);	/* DOCUMENT_START */
	if (!compose_event(&ld->cp, &ev))
		return cp_fail(ld), 0;
	if (ev.type != YAML_MAPPING_START_EVENT) {
		root = compose_node(&ld->cp, &ev);	/* load_root says why */
		return root ? root : (cp_fail(ld), 0);
	}
	root = compose_mapping(&ld->cp, ev.start_mark);
	compose_event_delete(&ld->cp, &ev);
	while (root) {
		if (!compose_event(&ld->cp, &ev))
			return cp_fail(ld), 0;
		if (ev.type == YAML_MAPPING_END_EVENT) {
			compose_event_delete(&ld->cp, &ev);
			return root;
		}
		key = compose_node(&ld->cp, &ev);
		if (!key || !compose_event(&ld->cp, &ev))
			return cp_fail(ld), 0;
		if (is_events_key(ld, key) && !ld->events_node &&
		    ev.type == YAML_SEQUENCE_START_EVENT) {
			val = compose_sequence(&ld->cp, ev.start_mark);
			ld->events_node = val;
			if (val && !key_after(ld, ev.start_mark.index)) {
				compose_event_delete(&ld->cp, &ev);
				*one_pass = compose_append_pair(&ld->cp, root,
								key, val);
				return *one_pass ? root : (cp_fail(ld), 0);
			}
			if (!val || !compose_skip(&ld->cp, &ev))
				return cp_fail(ld), 0;
		} else {
			val = compose_node(&ld->cp, &ev);
		}
		if (!val || !compose_append_pair(&ld->cp, root, key, val))
			return cp_fail(ld), 0;
	}
	return cp_fail(ld), 0;
}

/* After the root mapping: the end of the one document. */
static bool header_tail(struct loader *ld)
{
	yaml_event_t ev;

	if (!expect_event(ld, YAML_DOCUMENT_END_EVENT, &ev, "expected the end of the workload"))
		return false;
	compose_event_delete(&ld->cp, &ev);
	if (!compose_event(&ld->cp, &ev))
		return cp_fail(ld);
	if (ev.type == YAML_DOCUMENT_START_EVENT) {
		yaml_mark_t at = ev.start_mark;

		/* where the second document's content starts, if it parses */
		compose_event_delete(&ld->cp, &ev);
		if (compose_event(&ld->cp, &ev)) {
			at = ev.start_mark;
			compose_event_delete(&ld->cp, &ev);
		} else {
			return cp_fail(ld);
		}
		compose_fail(&ld->cp, at, "a second YAML document; a workload is one document");
		return cp_fail(ld);
	}
	compose_event_delete(&ld->cp, &ev);
	return true;
}

/*
 * Two passes: a second parser on the same input, brought to the first
 * item of the top-level events list (composing the header again, so its
 * anchors are there for aliases in the events).
 */
static bool seek_events(struct loader *ld)
{
	yaml_event_t ev;
	int key;

	compose_close(&ld->cp);
	ld->cp_open = false;
	if (!cp_open(ld))
		return false;
	for (int i = 0; i < 3; i++) {	/* stream, document, mapping starts */
		if (!compose_event(&ld->cp, &ev))
			return cp_fail(ld);
		compose_event_delete(&ld->cp, &ev);
	}
	for (;;) {
		if (!compose_event(&ld->cp, &ev))
			return cp_fail(ld);
		key = compose_node(&ld->cp, &ev);
		if (!key || !compose_event(&ld->cp, &ev))
			return cp_fail(ld);
		if (is_events_key(ld, key) &&
		    ev.type == YAML_SEQUENCE_START_EVENT) {
			compose_event_delete(&ld->cp, &ev);
			compose_keep(&ld->cp);
			return true;
		}
		if (!compose_node(&ld->cp, &ev))
			return cp_fail(ld);
	}
}

/* One pass: after the events, only the end of the root and the document. */
static bool events_tail(struct loader *ld)
{
	yaml_event_t ev;

	if (!expect_event(ld, YAML_MAPPING_END_EVENT, &ev,
			  "a top-level key after events: that could not be read before them (move events: to the end of the file)"))
		return false;
	compose_event_delete(&ld->cp, &ev);
	return header_tail(ld);
}

/*
 * Read items until the out queue has something or the events are over.
 * False with the error set.
 */
static bool read_items(struct loader *ld)
{
	yaml_event_t ev;

	if (!ld->cstate && !events_begin(ld))
		return false;
	while (ld->out_head == ld->out_n && !ld->ended) {
		if (ld->es != ES_ITEMS) {
			if (ld->es == ES_TAIL && ld->one_pass && !events_tail(ld))
				return false;
			ld->es = ES_DONE;
			ld->ended = true;
			if (!create_pending(ld, UINT64_MAX))
				return false;
			break;
		}
		if (!compose_event(&ld->cp, &ev))
			return cp_fail(ld);
		if (ev.type == YAML_SEQUENCE_END_EVENT) {
			compose_event_delete(&ld->cp, &ev);
			ld->es = ES_TAIL;
			continue;
		}
		/* a plain compact line the fast way, straight off the parser */
		if (ev.type == YAML_SCALAR_EVENT && !ev.data.scalar.anchor) {
			yaml_node_t line;
			int fast;

			memset(&line, 0, sizeof(line));
			line.type = YAML_SCALAR_NODE;
			line.data.scalar.value = ev.data.scalar.value;
			line.data.scalar.length = ev.data.scalar.length;
			line.data.scalar.style = ev.data.scalar.style;
			line.start_mark = line.end_mark = ev.start_mark;
			fast = compact_fast(ld, &line);
			if (fast) {
				compose_event_delete(&ld->cp, &ev);
				if (fast < 0)
					return false;
				continue;
			}
		}
		size_t mark = compose_mark(&ld->cp);
		int id = compose_node(&ld->cp, &ev);
		yaml_node_t *item = id ? node_at(ld, id) : NULL;

		if (!item)
			return cp_fail(ld);
		if (item->type == YAML_SCALAR_NODE) {
			id = compact_event(ld, item);
			if (!id)
				return false;
			item = node_at(ld, id);
		}
		if (!load_event(ld, item))
			return false;
		compose_truncate(&ld->cp, mark);
	}
	return true;
}

int workload_next_event(struct workload *wl, struct wl_event *ev, char *err,
			size_t errlen)
{
	struct loader *ld = wl->ld;

	if (!ld)
		return 0;
	ld->err = err;
	ld->errlen = errlen;
	if (ld->failed) {
		/* the same line again; the caller has it from the first */
		if (err && errlen)
			snprintf(err, errlen, "%s", ld->saved_err);
		return -1;
	}
	if (!read_items(ld)) {
		snprintf(ld->saved_err, sizeof(ld->saved_err), "%s",
			 err && errlen ? err : "bad input");
		return -1;
	}
	if (ld->out_head == ld->out_n)
		return 0;
	*ev = ld->outq[ld->out_head++];
	return 1;
}

bool workload_read_all(struct workload *wl, char *err, size_t errlen)
{
	struct wl_event ev;
	size_t cap = 0;
	int rc;

	if (wl->ld)
		wl->ld->all = true;
	while ((rc = workload_next_event(wl, &ev, err, errlen)) == 1) {
		if (wl->nr_events == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			struct wl_event *v = realloc(wl->events, ncap * sizeof(*v));

			if (!v) {
				snprintf(err, errlen, "%s: out of memory", wl->file);
				return false;
			}
			wl->events = v;
			cap = ncap;
		}
		wl->events[wl->nr_events++] = ev;
	}
	return rc == 0;
}

/* ------------------------------------------------------------------ */
/* Generators                                                          */
/* ------------------------------------------------------------------ */

/* A list of distinct CPU numbers, each below the machine's count. */
static bool cpu_list(struct loader *ld, yaml_node_t *v, const char *what,
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
TABLE(gen_table, "generator", gen_rows);
_Static_assert(ARRAY_SIZE(gen_rows) == GK_NR, "generator rows");

#undef G

/* A generator's walk reads inside the cache's objects (bytes 0: to the end). */
static bool gen_walk_fits(struct loader *ld, const struct wl_generator *g,
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
			   yaml_node_t *v)
{
	const struct wl_gen_walk *w = &g->walk;

	if (g->cache < 0)
		return fail(ld, v, "walk needs a cache generator (cache: NAME); a kmalloc generator's objects are spread over size-N caches");
	if (!w->every)
		return fail(ld, v, "walk needs every: (how often each of the generator's CPUs walks the cache, like 1ms)");
	return gen_walk_fits(ld, g, pos_of(v));
}

/*
 * The file an item came from, owned by the workload: NULL for the file
 * being loaded, else the include's path (interned in wl->includes).
 * Returns false (error set) on OOM.
 */
static bool item_file(struct loader *ld, const yaml_node_t *item,
		      const char **out)
{
	struct workload *wl = ld->wl;
	const char *f = include_file_of(item);
	char **p;
	size_t i;

	*out = NULL;
	if (!f)
		return true;
	for (i = 0; i < wl->nr_includes; i++) {
		if (!strcmp(wl->includes[i], f)) {
			*out = wl->includes[i];
			return true;
		}
	}
	p = realloc(wl->includes, (wl->nr_includes + 1) * sizeof(*p));
	if (!p)
		return fail_pos(ld, nopos, "out of memory");
	wl->includes = p;
	p[wl->nr_includes] = strdup(f);
	if (!p[wl->nr_includes])
		return fail_pos(ld, nopos, "out of memory");
	*out = p[wl->nr_includes++];
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

static bool load_generators(struct loader *ld, yaml_node_t *seq)
{
	struct workload *wl = ld->wl;
	yaml_node_item_t *it;
	char a[32], b[32];

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
			const struct wl_cache *c;

			g->cache = cache_ref(ld, seen[GK_CACHE].val, "cache");
			if (g->cache < 0)
				return false;
			c = &wl->caches[g->cache];
			if (!c->at_boot && g->from < c->create_t)
				return fail(ld, seen[GK_FROM].val ? seen[GK_FROM].val
								: seen[GK_CACHE].val,
					    "generator starts at t=%s, but cache '%s' is created at t=%s",
					    fmt_ns(a, sizeof(a), g->from), c->name,
					    fmt_ns(b, sizeof(b), c->create_t));
		}
		if (seen[GK_WALK].val && !gen_walk_check(ld, g, seen[GK_WALK].val))
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
static bool check_generator(struct loader *ld, const struct wl_generator *g,
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
TABLE(faults_table, "faults", faults_rows);

/* What validate checks of a rule (also after --set). */
static bool check_fault(struct loader *ld, const char *what,
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

/* ------------------------------------------------------------------ */
/* Top level, validation, defaults                                     */
/* ------------------------------------------------------------------ */

enum { WK_NAME, WK_SEED, WK_MACHINE, WK_SLAB, WK_CACHES, WK_EVENTS,
       WK_GENERATORS, WK_SAMPLE, WK_DURATION, WK_EXPECT, WK_INCLUDE,
       WK_FAULTS, WK_NR };

/* expect: each entry parsed by sim/workload/expect.c; errors at the entry's key. */
static bool h_expect(struct loader *ld, yaml_node_t *v, void *field,
		     const struct key_row *row)
{
	struct workload *wl = ld->wl;
	yaml_node_item_t *it;

	for (it = v->data.sequence.items.start;
	     it < v->data.sequence.items.top; it++) {
		yaml_node_t *item = node_at(ld, *it), *where = item;
		char msg[600];

		if (!item)
			return fail(ld, v, "malformed expect: list");
		void *p = realloc(wl->expects, (wl->nr_expects + 1) *
				  sizeof(*wl->expects));
		if (!p)
			return fail_pos(ld, nopos, "out of memory");
		wl->expects = p;
		if (!expect_parse(ld->doc, item, &wl->expects[wl->nr_expects],
				  &where, msg, sizeof(msg)))
			return fail(ld, where, "%s", msg);
		wl->nr_expects++;
	}
	return true;
}

static const struct key_row slab_rows[] = {
	{ "debug", YAML_SCALAR_NODE, h_bool, offsetof(struct workload, debug), NULL, 0, 0 },
	{ "colouring", YAML_SCALAR_NODE, h_bool, offsetof(struct workload, colouring), NULL, 0, 0 },
};
TABLE(slab_table, "slab", slab_rows);

#define W(f) offsetof(struct workload, f)

static const struct key_row top_rows[] = {
	[WK_NAME] = { "name", YAML_SCALAR_NODE, h_name, W(name), NULL, 0, 0 },
	[WK_SEED] = { "seed", YAML_SCALAR_NODE, h_u64, W(seed), NULL, 0, 0 },
	[WK_MACHINE] = { "machine", YAML_MAPPING_NODE, h_machine, W(machine), &machine_table, 0, 0 },
	[WK_SLAB] = { "slab", YAML_MAPPING_NODE, h_map, 0, &slab_table, 0, 0 },
	[WK_CACHES] = { "caches", YAML_SEQUENCE_NODE, h_defer, 0, NULL, D_CACHES, 0 },
	/* streamed (workload_next_event); the row checks its shape */
	[WK_EVENTS] = { "events", YAML_SEQUENCE_NODE, h_nop, 0, NULL, 0, 0 },
	[WK_GENERATORS] = { "generators", YAML_SEQUENCE_NODE, h_defer, 0, NULL, D_GENERATORS, 0 },
	[WK_SAMPLE] = { "sample", YAML_SCALAR_NODE, h_dur, W(sample), NULL, 0, 0 },
	[WK_DURATION] = { "duration", YAML_SCALAR_NODE, h_run_duration, W(duration), NULL, 0, 0 },
	[WK_EXPECT] = { "expect", YAML_SEQUENCE_NODE, h_expect, 0, NULL, 0, 0 },
	/* merged before the walk (include_resolve); nothing left to read */
	[WK_INCLUDE] = { "include", YAML_NO_NODE, h_nop, 0, NULL, 0, 0 },
	[WK_FAULTS] = { "faults", YAML_MAPPING_NODE, h_map, W(faults), &faults_table, 0, 0 },
};
TABLE(top_table, "workload", top_rows);
_Static_assert(ARRAY_SIZE(top_rows) == WK_NR, "top rows");

#undef W

static void set_defaults(struct workload *wl)
{
	struct wl_machine *m = &wl->machine;

	memset(wl, 0, sizeof(*wl));
	snprintf(m->arch, sizeof(m->arch), "x86_64");
	m->nodes = 1;
	m->cpus = 1;
	m->memory = 256ULL << 20;
	m->hz = 250;
	m->line = 64;
	m->l1d.size = 32ULL << 10;
	m->l1d.ways = 8;
	m->l2.size = 1ULL << 20;
	m->l2.ways = 16;
	m->cache_model = true;
	wl->colouring = true;
	m->cost_l1 = 1;
	m->cost_l2 = 4;
	m->cost_local = 80;
	m->cost_remote = 140;
	m->cost_lock = 20;
	m->cost_handoff = 40;
	m->cost_ipi = 500;
	m->cost_page = 250;
	m->cost_op = 10;
}

/* The file's base name without extension: a workload's default name. */
static void default_name(struct workload *wl, const char *file)
{
	const char *b = strrchr(file, '/'), *dot;
	size_t len, i;

	b = b ? b + 1 : file;
	dot = strrchr(b, '.');
	len = dot && dot != b ? (size_t)(dot - b) : strlen(b);
	if (len > sizeof(wl->name) - 1)
		len = sizeof(wl->name) - 1;
	for (i = 0; i < len; i++)
		wl->name[i] = (unsigned char)b[i] < 0x20 ? '_' : b[i];
	wl->name[len] = '\0';
	if (!len)
		snprintf(wl->name, sizeof(wl->name), "workload");
}

static struct pos ev_pos(unsigned int line, unsigned int col)
{
	struct pos p = { line, col, NULL };

	return p;
}

/* Where a cache or generator was declared: its file may be an include. */
static struct pos item_pos(unsigned int line, unsigned int col,
			   const char *file)
{
	struct pos p = { line, col, file };

	return p;
}

/* ------------------------------------------------------------------ */
/* Bounds on the size of a run                                          */
/* ------------------------------------------------------------------ */

/*
 * A run writes one time-series sample every `sample` of simulated time:
 * more than this many is gigabytes of output and memory, never a useful
 * plot. And generators whose rate x CPUs x seconds comes to more than
 * WL_MAX_GENERATED allocations would run for days; they are refused
 * unless the user says --force (workload_allow_huge).
 */
#define WL_MAX_GENERATED	1e10

static bool allow_huge;

void workload_allow_huge(bool yes)
{
	allow_huge = yes;
}

/* Where the run ends: duration, else the runner's "last event + 1". */
static uint64_t run_end(const struct workload *wl)
{
	uint64_t end = 0;

	if (wl->duration_given)
		return wl->duration;
	for (size_t i = 0; i < wl->nr_events; i++)
		end = wl->events[i].t > end ? wl->events[i].t : end;
	for (size_t i = 0; i < wl->nr_generators; i++)
		end = wl->generators[i].until > end ? wl->generators[i].until : end;
	return end + 1;
}

static bool check_size(struct loader *ld)
{
	const struct workload *wl = ld->wl;
	uint64_t end = run_end(wl);
	char a[32], b[32], c[32];

	if (wl->sample && end / wl->sample > WL_MAX_SAMPLES)
		return fail_pos(ld, nopos, "sample: %s over a run of %s is %" PRIu64 " samples, more than %llu: sample at least every %s",
				fmt_ns(a, sizeof(a), wl->sample),
				fmt_ns(b, sizeof(b), end), end / wl->sample,
				WL_MAX_SAMPLES,
				fmt_ns(c, sizeof(c), end / (WL_MAX_SAMPLES + 1) + 1));
	double total = 0, worst = -1;
	const struct wl_generator *big = NULL;
	for (size_t i = 0; i < wl->nr_generators; i++) {
		const struct wl_generator *g = &wl->generators[i];
		double n = g->rate * g->nr_cpus * (double)(g->until - g->from) / 1e9;
		total += n;
		if (n > worst) {
			worst = n;
			big = g;
		}
	}
	if (total > WL_MAX_GENERATED && !allow_huge)
		return fail_pos(ld, ev_pos(big->line, big->col),
				"generators would make %.3g allocations (this one: rate %.6g/s x %d CPU%s x %.6g s = %.3g), more than 1e10; use --force to run it anyway",
				total, big->rate, big->nr_cpus,
				plural(big->nr_cpus),
				(double)(big->until - big->from) / 1e9, worst);
	return true;
}

/*
 * Everything an override can break: the machine's cross-key rules, cache
 * sizes and tunes, events and generators against the machine and the run
 * length. Also fills what is derived: generator defaults, touch sizes. Positions are the item's own.
 */
static bool validate(struct loader *ld)
{
	struct workload *wl = ld->wl;
	const struct wl_machine *m = &wl->machine;
	char a[32], b[32];
	size_t i;
	int j;

	if (!check_machine(ld))
		return false;
	for (i = 0; i < wl->nr_caches; i++) {
		const struct wl_cache *c = &wl->caches[i];
		struct pos p = item_pos(c->line, c->col, c->file);
		struct cache_pos cp = { p, p, p, p };

		if (!check_cache(ld, c, &cp))
			return false;
	}
	for (i = 0; i < wl->nr_generators; i++) {
		struct wl_generator *g = &wl->generators[i];
		struct pos p = item_pos(g->line, g->col, g->file);

		if (!check_generator(ld, g, p))
			return false;

		if (!g->cpus_given) {
			g->nr_cpus = m->cpus;
			for (j = 0; j < m->cpus; j++)
				g->cpu_list[j] = j;
		}
		g->cpus = 0;
		for (j = 0; j < g->nr_cpus; j++) {
			if (g->cpu_list[j] >= m->cpus)
				return fail_pos(ld, p, "generator cpu %d is out of range (the machine has %d CPU%s)",
						g->cpu_list[j], m->cpus,
						plural(m->cpus));
			if (g->cpu_list[j] < 64)
				g->cpus |= 1ULL << g->cpu_list[j];
		}
		for (j = 0; j < g->nr_free_on; j++)
			if (g->free_on[j] >= m->cpus)
				return fail_pos(ld, p, "generator free_on cpu %d is out of range (the machine has %d CPU%s)",
						g->free_on[j], m->cpus,
						plural(m->cpus));
		if (g->walk.every && g->cache >= 0 && !gen_walk_fits(ld, g, p))
			return false;
		if (!g->until_given) {
			if (!wl->duration_given)
				return fail_pos(ld, p, "generator has no end: give it until:, or give the workload a duration:");
			g->until = wl->duration;
		}
		if (g->from >= g->until)
			return fail_pos(ld, p, "generator from t=%s is not before until t=%s",
					fmt_ns(a, sizeof(a), g->from),
					fmt_ns(b, sizeof(b), g->until));
		if (wl->duration_given && g->until > wl->duration)
			return fail_pos(ld, p, "generator runs until t=%s, after the end of the run (duration %s)",
					fmt_ns(a, sizeof(a), g->until),
					fmt_ns(b, sizeof(b), wl->duration));
	}
	if (!check_size(ld))
		return false;
	if (!check_fault(ld, "page_alloc", &wl->faults.page_alloc))
		return false;
	/* not given: 0, "until the last event", which the runner works out */
	if (!wl->duration_given)
		wl->duration = 0;
	return true;
}

static bool load_root(struct loader *ld, yaml_node_t *root)
{
	struct workload *wl = ld->wl;
	char q[QUOTE_MAX];

	if (root->type != YAML_MAPPING_NODE)
		return fail(ld, root, "a workload is a mapping of keys (name, seed, machine, slab, caches, events, generators, sample, duration, faults), not %s",
			    kind(q, root));
	if (!walk_map(ld, root, &top_table, wl, NULL))
		return false;
	if (!wl->name[0])
		default_name(wl, ld->file);
	if (!check_machine(ld))
		return false;
	if (ld->deferred[D_CACHES] && !load_caches(ld, ld->deferred[D_CACHES]))
		return false;
	/* the events come later, streamed; a free_all names a generator */
	if (ld->deferred[D_GENERATORS] &&
	    !load_generators(ld, ld->deferred[D_GENERATORS]))
		return false;
	return validate(ld);
}

static void loader_release(struct loader *ld)
{
	if (ld->cp_open)
		compose_close(&ld->cp);
	free(ld->ni);
	free(ld->hash);
	free(ld->cstate);
	free(ld->cache_hash);
	free(ld->dead);
	free(ld->sites);
	free(ld->site_hash);
	for (size_t i = 0; i < ld->nr_site_blocks; i++)
		free(ld->site_blocks[i]);
	free(ld->site_blocks);
	free(ld->outq);
	free(ld->line);
	free((void *)ld->buf);
	free(ld);
}

/*
 * Parse the events on a thread of their own (compose_read_ahead) when the
 * trace is long enough for it to pay and the host has a second CPU to run
 * it: outputs are the same either way. SLABSIM_READ_AHEAD=0 never does,
 * =1 always does (the tests compare both).
 */
#define READ_AHEAD_MIN_BYTES	(1L << 20)

static bool want_read_ahead(const struct loader *ld)
{
	const char *force = getenv("SLABSIM_READ_AHEAD");
	struct stat st;

	if (force && *force)
		return strcmp(force, "0") != 0;
	if (ld->buf || sysconf(_SC_NPROCESSORS_ONLN) < 2)
		return false;
	return stat(ld->file, &st) == 0 && st.st_size >= READ_AHEAD_MIN_BYTES;
}

/*
 * Load the header of buf (a caller's string) or of the file wl->file
 * (buf NULL) into wl and leave the loader, positioned at the first
 * event, in wl->ld. On failure *wl is left empty.
 */
static bool load_input(const char *name, const unsigned char *buf,
		       size_t len, struct workload *wl, char *err,
		       size_t errlen)
{
	struct loader *ld = calloc(1, sizeof(*ld));
	bool one_pass, ok = false;
	int root;

	if (err && errlen)
		err[0] = '\0';
	set_defaults(wl);
	snprintf(wl->file, sizeof(wl->file), "%s", name);
	if (!ld) {
		snprintf(err, errlen, "%s: out of memory", name);
		return false;
	}
	ld->wl = wl;
	ld->file = wl->file;
	ld->err = err;
	ld->errlen = errlen;
	if (buf) {
		/* a copy: the events are read long after the caller returns */
		unsigned char *copy = malloc(len + 1);

		if (!copy) {
			free(ld);
			snprintf(err, errlen, "%s: out of memory", name);
			return false;
		}
		memcpy(copy, buf, len);
		copy[len] = '\0';
		ld->buf = copy;
	}
	ld->len = len;
	ld->free_slot = -1;
	wl->ld = ld;
	if (!cp_open(ld))
		goto out;
	root = compose_header(ld, &one_pass);
	if (!root) {
		if (!ld->failed)
			fail_pos(ld, nopos, "empty workload (expected a mapping with name, seed, machine, caches, events, ...)");
		goto out;
	}
	if (!one_pass && !header_tail(ld))
		goto out;
	/* include: merged into the header's nodes, then kept with them */
	if (!include_resolve(&ld->cp.doc, root, ld->file, err, errlen)) {
		ld->failed = true;
		goto out;
	}
	compose_keep(&ld->cp);
	if (!load_root(ld, node_at(ld, root)))
		goto out;
	ld->one_pass = one_pass;
	ld->es = ld->events_node ? ES_ITEMS : ES_DONE;
	ok = !ld->events_node || one_pass || seek_events(ld);
	if (ok && ld->events_node && want_read_ahead(ld))
		compose_read_ahead(&ld->cp);
out:
	if (!ok)
		workload_free(wl);
	return ok;
}

bool workload_load_string(const char *name, const char *yaml,
			  struct workload *wl, char *err, size_t errlen)
{
	if (!yaml)
		yaml = "";
	return load_input(name ? name : "<string>",
			  (const unsigned char *)yaml, strlen(yaml), wl, err,
			  errlen);
}

bool workload_load(const char *path, struct workload *wl, char *err,
		   size_t errlen)
{
	return load_input(path, NULL, 0, wl, err, errlen);
}

void workload_free(struct workload *wl)
{
	if (!wl)
		return;
	if (wl->ld)
		loader_release(wl->ld);
	free(wl->caches);
	free(wl->names);
	free(wl->events);
	free(wl->generators);
	free(wl->expects);
	for (size_t i = 0; i < wl->nr_includes; i++)
		free(wl->includes[i]);
	free(wl->includes);
	memset(wl, 0, sizeof(*wl));
}

/* ------------------------------------------------------------------ */
/* Overrides                                                           */
/* ------------------------------------------------------------------ */

/*
 * Follows a dotted path through the tables down to one scalar key and runs
 * its handler on the value. Section rows (mappings with a sub-table) are
 * descended; anything else must be the last component.
 */
static bool set_path(struct loader *ld, const struct key_table *tab,
		     void *base, const char *path, yaml_node_t *val)
{
	const char *dot = strchr(path, '.');
	size_t len = dot ? (size_t)(dot - path) : strlen(path);
	const struct key_row *row = find_row(tab, path, len);
	char list[LIST_MAX];

	if (!row) {
		key_list(tab, list, sizeof(list));
		return fail_pos(ld, nopos, "unknown key '%.*s' in %s (expected one of: %s)",
				(int)len, path, tab->what, list);
	}
	if (row->type == YAML_MAPPING_NODE && row->arg) {
		if (!dot) {
			key_list(row->arg, list, sizeof(list));
			return fail_pos(ld, nopos, "'%s' is a section; set one of its keys (%s)",
					row->key, list);
		}
		return set_path(ld, row->arg, (char *)base + row->off, dot + 1,
				val);
	}
	if (dot || row->type == YAML_SEQUENCE_NODE ||
	    row->type == YAML_MAPPING_NODE)
		return fail_pos(ld, nopos, "'%s' cannot be set from the command line",
				row->key);
	return row->fn(ld, val, (char *)base + row->off, row);
}

static const char *const settable =
	"settable: seed, sample, duration, slab.debug, slab.colouring, machine.*, caches.NAME.size, .align, .colouring, .tune.limit, .tune.batchcount, .tune.shared, faults.page_alloc.*";

/* Applies one override to ld->wl; the caller restores on failure. */
static bool apply_override(struct loader *ld, const char *key,
			   yaml_node_t *val)
{
	static const char *const top_ok[] = {
		"seed", "sample", "duration", "slab.debug", "slab.colouring",
		"machine.", "faults.",
	};
	static const char *const cache_ok[] = {
		"size", "align", "colouring", "tune.limit", "tune.batchcount",
		"tune.shared",
	};
	struct workload *wl = ld->wl;
	size_t i, len = 0;

	if (!strncmp(key, "caches.", 7)) {
		const char *rest = key + 7;

		for (i = 0; i < wl->nr_caches; i++) {
			len = strlen(wl->caches[i].name);
			if (!strncmp(rest, wl->caches[i].name, len) &&
			    rest[len] == '.')
				break;
		}
		if (i == wl->nr_caches)
			return fail_pos(ld, nopos, "no declared cache matches '%s'",
					key);
		rest += len + 1;
		for (len = 0; len < ARRAY_SIZE(cache_ok); len++)
			if (!strcmp(rest, cache_ok[len]))
				return set_path(ld, &cache_table, &wl->caches[i],
						rest, val);
		return fail_pos(ld, nopos, "'%s' cannot be set (%s)", key,
				settable);
	}
	for (i = 0; i < ARRAY_SIZE(top_ok); i++) {
		len = strlen(top_ok[i]);
		if (top_ok[i][len - 1] == '.' ? !strncmp(key, top_ok[i], len)
					      : !strcmp(key, top_ok[i]))
			return set_path(ld, &top_table, wl, key, val);
	}
	return fail_pos(ld, nopos, "'%s' cannot be set (%s)", key, settable);
}

bool workload_override(struct workload *wl, const char *assignment,
		       char *err, size_t errlen)
{
	struct loader ld;
	yaml_document_t doc;
	struct wl_machine machine;
	struct wl_faults faults;
	struct wl_cache *saved = NULL;
	uint64_t seed, sample, duration;
	bool debug, colouring, duration_given, ok = false;
	const char *eq = assignment ? strchr(assignment, '=') : NULL;
	char key[256], scratch[8];
	int idx;

	memset(&ld, 0, sizeof(ld));
	ld.wl = wl;
	ld.file = wl->file;
	ld.err = err;
	ld.errlen = errlen;
	ld.set = assignment ? assignment : "(null)";
	if (err && errlen)
		err[0] = '\0';
	if (!eq || eq == assignment || (size_t)(eq - assignment) >= sizeof(key))
		return fail_pos(&ld, nopos, "expected KEY=VALUE (%s)", settable);
	snprintf(key, sizeof(key), "%.*s", (int)(eq - assignment), assignment);

	if (!yaml_document_initialize(&doc, NULL, NULL, NULL, 1, 1))
		return fail_pos(&ld, nopos, "out of memory");
	idx = yaml_document_add_scalar(&doc, NULL, (yaml_char_t *)(eq + 1),
				       (int)strlen(eq + 1),
				       YAML_PLAIN_SCALAR_STYLE);
	if (!idx) {
		yaml_document_delete(&doc);
		return fail_pos(&ld, nopos, "the value is not valid UTF-8");
	}
	ld.doc = &doc;

	/* what an override can change, to put back if it does not hold */
	machine = wl->machine;
	faults = wl->faults;
	seed = wl->seed;
	sample = wl->sample;
	duration = wl->duration;
	debug = wl->debug;
	colouring = wl->colouring;
	duration_given = wl->duration_given;
	if (wl->nr_caches) {
		saved = malloc(wl->nr_caches * sizeof(*saved));
		if (!saved) {
			yaml_document_delete(&doc);
			return fail_pos(&ld, nopos, "out of memory");
		}
		memcpy(saved, wl->caches, wl->nr_caches * sizeof(*saved));
	}

	ok = apply_override(&ld, key, yaml_document_get_node(&doc, idx)) &&
	     validate(&ld);
	if (!ok) {
		struct loader quiet;

		wl->machine = machine;
		wl->faults = faults;
		wl->seed = seed;
		wl->sample = sample;
		wl->duration = duration;
		wl->debug = debug;
		wl->colouring = colouring;
		wl->duration_given = duration_given;
		if (saved)
			memcpy(wl->caches, saved,
			       wl->nr_caches * sizeof(*saved));
		/* recompute what validate derived; it held before */
		memset(&quiet, 0, sizeof(quiet));
		quiet.wl = wl;
		quiet.file = wl->file;
		quiet.err = scratch;
		quiet.errlen = sizeof(scratch);
		validate(&quiet);
	}
	free(saved);
	yaml_document_delete(&doc);
	return ok;
}
