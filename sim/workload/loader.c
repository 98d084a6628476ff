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
 * of one call. Nothing here prints. The events, the generators and the
 * numbers are read in events.c, generators.c and units.c; what the parts
 * share is in sim/workload/loader.h.
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

#include "sim/engine.h"	/* ENGINE_HORIZON, which WL_MAX_TIME must respect */
#include "sim/workload/include.h"
#include "sim/workload/loader.h"

/* ------------------------------------------------------------------ */
/* Positions and errors                                                */
/* ------------------------------------------------------------------ */

struct pos pos_of(const yaml_node_t *n)
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

bool __attribute__((format(printf, 3, 4)))
fail_pos(struct loader *ld, struct pos p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail_pos(ld, p, fmt, ap);
	va_end(ap);
	return false;
}

/* Error at a node. Override values are synthetic nodes: no position. */
bool __attribute__((format(printf, 3, 4)))
fail(struct loader *ld, const yaml_node_t *n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail_pos(ld, ld->set ? nopos : pos_of(n), fmt, ap);
	va_end(ap);
	return false;
}

/*
 * Copies text into buf for quoting in a message: control bytes escaped
 * so the message stays one line, long text cut with "...". quote() does
 * it for a node (a scalar's text, else "[...]" or "{...}").
 */
const char *quote_text(char buf[QUOTE_MAX], const char *text, size_t len)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i, o = 0;

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

const char *quote(char buf[QUOTE_MAX], const yaml_node_t *n)
{
	if (!n || n->type != YAML_SCALAR_NODE) {
		snprintf(buf, QUOTE_MAX, "%s",
			 !n ? "?" : n->type == YAML_SEQUENCE_NODE ? "[...]"
							   : "{...}");
		return buf;
	}
	return quote_text(buf, (const char *)n->data.scalar.value,
			  n->data.scalar.length);
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
const char *kind(char buf[QUOTE_MAX], const yaml_node_t *n)
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
const char *text(struct loader *ld, const yaml_node_t *n,
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

yaml_node_t *node_at(struct loader *ld, int index)
{
	return yaml_document_get_node(ld->doc, index);
}

/* Grows an array to hold n + 1 elements; false (array untouched) on OOM. */
bool grow(struct loader *ld, void **arr, size_t *cap, size_t n,
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
const char *fmt_ns(char *buf, size_t len, uint64_t ns)
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
/* The table walker                                                    */
/* ------------------------------------------------------------------ */


static void key_list(const struct key_table *tab, char *buf, size_t len)
{
	size_t i, o = 0;

	buf[0] = '\0';
	for (i = 0; i < tab->nr && o < len; i++)
		o += (size_t)snprintf(buf + o, len - o, "%s%s", i ? ", " : "",
				      tab->rows[i].key);
}

const struct key_row *find_row(const struct key_table *tab,
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
bool walk_map(struct loader *ld, yaml_node_t *map,
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
bool h_nop(struct loader *ld, yaml_node_t *v, void *field,
	   const struct key_row *row)
{
	return true;
}

bool h_map(struct loader *ld, yaml_node_t *v, void *field,
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
bool printable_name(const char *s, bool allow_space)
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
bool get_int(struct loader *ld, yaml_node_t *v, const char *what,
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

bool h_int(struct loader *ld, yaml_node_t *v, void *field,
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

bool get_bool(struct loader *ld, yaml_node_t *v, const char *what,
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

bool h_bool(struct loader *ld, yaml_node_t *v, void *field,
	    const struct key_row *row)
{
	return get_bool(ld, v, row->key, field);
}

_Static_assert(WL_MAX_TIME < ENGINE_HORIZON / 2,
	       "a run's timers and waits may go on past its last time");

bool get_dur(struct loader *ld, yaml_node_t *v, const char *what,
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

bool h_dur(struct loader *ld, yaml_node_t *v, void *field,
	   const struct key_row *row)
{
	return get_dur(ld, v, row->key, field);
}

/* A byte count; plain_ok lets object sizes be bare integers. */
bool get_size(struct loader *ld, yaml_node_t *v, const char *what,
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

bool h_size(struct loader *ld, yaml_node_t *v, void *field,
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

bool h_rate(struct loader *ld, yaml_node_t *v, void *field,
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

const struct flag_name gfp_flags[] = {
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

bool h_gfp(struct loader *ld, yaml_node_t *v, void *field,
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
SHARED_TABLE(tune_ev_table, "tune", tune_ev_rows);
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
bool check_tune(struct loader *ld, const struct wl_tune *t,
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

struct pos seen_pos(const struct seen *s, const yaml_node_t *dflt)
{
	return pos_of(s->val ? s->val : dflt);
}

/*
 * The file an item came from, owned by the workload: NULL for the file
 * being loaded, else the include's path (interned in wl->includes).
 * Returns false (error set) on OOM.
 */
bool item_file(struct loader *ld, const yaml_node_t *item,
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
 * The declared cache named s, or -1. Once the events are read the names
 * are hashed (an imported trace declares dozens of caches and names one
 * in most events); before, the few lookups of the header search.
 */
int cache_find(const struct loader *ld, const char *s)
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

/*
 * A cache named by an event or generator: index into caches, or -1 with
 * the error set. A kmalloc cache gets its own hint.
 */
int cache_ref(struct loader *ld, yaml_node_t *v, const char *what)
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
	"settable: seed, sample, duration, slab.debug, slab.colouring, machine.*, caches.NAME.size, .align, .colouring, .tune.limit, .tune.batchcount, .tune.shared, generators.NAME.rate, .from, .until, .touch, .touch_free, .gfp, .walk.*, faults.page_alloc.*";

/*
 * The generator a "generators.X." key names: by its name:, else by its
 * place in the list counting from 0 (unnamed ones too). *rest is moved
 * past the dot; NULL when none matches.
 */
static struct wl_generator *override_generator(struct workload *wl,
					       const char **rest)
{
	const char *s = *rest;
	char *end;
	unsigned long n;

	for (size_t i = 0; i < wl->nr_generators; i++) {
		size_t len = strlen(wl->generators[i].name);

		if (len && !strncmp(s, wl->generators[i].name, len) &&
		    s[len] == '.') {
			*rest = s + len + 1;
			return &wl->generators[i];
		}
	}
	if (!is_digit(s[0]))
		return NULL;
	errno = 0;
	n = strtoul(s, &end, 10);
	if (errno || *end != '.' || n >= wl->nr_generators)
		return NULL;
	*rest = end + 1;
	return &wl->generators[n];
}

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
	static const char *const gen_ok[] = {
		"rate", "from", "until", "touch", "touch_free", "gfp",
		"walk.every", "walk.bytes", "walk.offset", "walk.write",
	};
	struct workload *wl = ld->wl;
	size_t i, len = 0;

	if (!strncmp(key, "generators.", 11)) {
		const char *rest = key + 11;
		struct wl_generator *g = override_generator(wl, &rest);

		if (!g)
			return fail_pos(ld, nopos, "no generator matches '%s' (generators.NAME.KEY, or generators.N.KEY counting from 0)",
					key);
		for (i = 0; i < ARRAY_SIZE(gen_ok); i++)
			if (!strcmp(rest, gen_ok[i]))
				return set_path(ld, &gen_table, g, rest, val) &&
				       check_generator_keys(ld, g,
							    item_pos(g->line, g->col, g->file));
		return fail_pos(ld, nopos, "'%s' cannot be set (%s)", key,
				settable);
	}

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
	struct wl_generator *saved_gens = NULL;
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
	if (wl->nr_generators) {
		saved_gens = malloc(wl->nr_generators * sizeof(*saved_gens));
		if (!saved_gens) {
			free(saved);
			yaml_document_delete(&doc);
			return fail_pos(&ld, nopos, "out of memory");
		}
		memcpy(saved_gens, wl->generators,
		       wl->nr_generators * sizeof(*saved_gens));
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
		if (saved_gens)
			memcpy(wl->generators, saved_gens,
			       wl->nr_generators * sizeof(*saved_gens));
		/* recompute what validate derived; it held before */
		memset(&quiet, 0, sizeof(quiet));
		quiet.wl = wl;
		quiet.file = wl->file;
		quiet.err = scratch;
		quiet.errlen = sizeof(scratch);
		validate(&quiet);
	}
	free(saved);
	free(saved_gens);
	yaml_document_delete(&doc);
	return ok;
}
