/*
 * slabsim compare: runs side by side. Every figure comes from a run
 * directory's summary.json, read back with a small JSON reader, so a
 * comparison needs nothing but the files a run left behind (and works on
 * runs made by another build, or copied from another machine).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sim/cli.h"
#include "sim/util.h"

static const char usage_compare[] =
	"usage: slabsim compare DIR... [--format text|csv|json] [-o FILE]\n"
	"                       [--plot FILE.png|FILE.svg]\n"
	"\n"
	"Puts the headline figures of run directories side by side, one column\n"
	"per run (named by the directory's last component), with the difference\n"
	"of every run to the first one. Everything is read from summary.json.\n"
	"\n"
	"  --format text|csv|json  text (default) is a table with differences;\n"
	"                          csv has one row per figure and one column per\n"
	"                          run; json has values and differences\n"
	"  -o, --out FILE          write there instead of standard output\n"
	"  --plot FILE             one gnuplot bar chart of the figures, each\n"
	"                          relative to the largest of the runs (.svg\n"
	"                          gives SVG, anything else PNG)\n"
	"\n"
	"Exit status: 0 ok; 1 gnuplot failed on the plot; 2 bad input (not a\n"
	"run directory, a bad option) or gnuplot missing for --plot.\n";

/* Larger than any summary a run writes, small enough to read at once. */
#define SUMMARY_MAX_BYTES	(16u << 20)
/* Nesting a summary never needs; a bound keeps hostile input harmless. */
#define JSON_MAX_DEPTH		64
/* Decimal places kept exactly (the summary uses three). */
#define JSON_MAX_SCALE		6

/* ------------------------------------------------------------------ */
/* A JSON reader, just enough for summary.json                          */
/* ------------------------------------------------------------------ */

/*
 * Numbers keep their text (printed back as written) and, when they fit,
 * an exact fixed-point value v / 10^scale, so differences are computed in
 * integers and printed the same on every host.
 */
enum jtype { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

struct jval {
	enum jtype type;
	bool b;
	char *s;		/* string, or a number's text */
	bool exact;		/* number: v and scale hold it exactly */
	int64_t v;
	int scale;
	struct jval *items;	/* array elements, object values */
	char **keys;		/* object keys, parallel to items */
	size_t n;
};

struct jparser {
	const char *start, *p, *end;
	int depth;
	char err[160];		/* first error, with line and column */
};

static void jfree(struct jval *v)
{
	for (size_t i = 0; i < v->n; i++) {
		jfree(&v->items[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	free(v->s);
	memset(v, 0, sizeof(*v));
}

static bool jfail(struct jparser *jp, const char *what)
{
	unsigned int line = 1, col = 1;

	if (jp->err[0])
		return false;
	for (const char *q = jp->start; q < jp->p; q++) {
		if (*q == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
	snprintf(jp->err, sizeof(jp->err), "line %u, column %u: %s",
		 line, col, what);
	return false;
}

static void jskip_ws(struct jparser *jp)
{
	while (jp->p < jp->end && (*jp->p == ' ' || *jp->p == '\t' ||
				   *jp->p == '\n' || *jp->p == '\r'))
		jp->p++;
}

static bool jliteral(struct jparser *jp, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(jp->end - jp->p) < n || memcmp(jp->p, word, n) != 0)
		return jfail(jp, "unexpected word");
	jp->p += n;
	return true;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Four hex digits after "\u"; -1 (and an error) when they are not. */
static long jhex4(struct jparser *jp)
{
	long u = 0;

	if (jp->end - jp->p < 4) {
		jfail(jp, "short \\u escape");
		return -1;
	}
	for (int i = 0; i < 4; i++) {
		int h = hexval(jp->p[i]);
		if (h < 0) {
			jfail(jp, "bad \\u escape");
			return -1;
		}
		u = u * 16 + h;
	}
	jp->p += 4;
	return u;
}

static void put_utf8(struct strbuf *sb, unsigned long u)
{
	if (u < 0x80) {
		sb_putc(sb, (char)u);
	} else if (u < 0x800) {
		sb_putc(sb, (char)(0xc0 | (u >> 6)));
		sb_putc(sb, (char)(0x80 | (u & 0x3f)));
	} else if (u < 0x10000) {
		sb_putc(sb, (char)(0xe0 | (u >> 12)));
		sb_putc(sb, (char)(0x80 | ((u >> 6) & 0x3f)));
		sb_putc(sb, (char)(0x80 | (u & 0x3f)));
	} else {
		sb_putc(sb, (char)(0xf0 | (u >> 18)));
		sb_putc(sb, (char)(0x80 | ((u >> 12) & 0x3f)));
		sb_putc(sb, (char)(0x80 | ((u >> 6) & 0x3f)));
		sb_putc(sb, (char)(0x80 | (u & 0x3f)));
	}
}

/* A string at jp->p (the opening quote). *out is malloc'd on success. */
static bool jstring(struct jparser *jp, char **out)
{
	struct strbuf sb;

	sb_init(&sb);
	sb_puts(&sb, "");
	jp->p++;
	for (;;) {
		if (jp->p >= jp->end) {
			sb_free(&sb);
			return jfail(jp, "unterminated string");
		}
		unsigned char c = (unsigned char)*jp->p;
		if (c == '"') {
			jp->p++;
			break;
		}
		if (c < 0x20) {
			sb_free(&sb);
			return jfail(jp, "control character in string");
		}
		if (c != '\\') {
			sb_putc(&sb, (char)c);
			jp->p++;
			continue;
		}
		if (++jp->p >= jp->end) {
			sb_free(&sb);
			return jfail(jp, "unterminated string");
		}
		char e = *jp->p++;
		long u;
		switch (e) {
		case '"': case '\\': case '/': sb_putc(&sb, e); break;
		case 'b': sb_putc(&sb, '\b'); break;
		case 'f': sb_putc(&sb, '\f'); break;
		case 'n': sb_putc(&sb, '\n'); break;
		case 'r': sb_putc(&sb, '\r'); break;
		case 't': sb_putc(&sb, '\t'); break;
		case 'u':
			u = jhex4(jp);
			if (u >= 0xd800 && u <= 0xdbff) {
				/* A high surrogate needs its low half. */
				long lo = -1;
				if (jp->end - jp->p >= 2 && jp->p[0] == '\\' &&
				    jp->p[1] == 'u') {
					jp->p += 2;
					lo = jhex4(jp);
				}
				if (lo < 0xdc00 || lo > 0xdfff)
					u = -2;
				else
					u = 0x10000 + ((u - 0xd800) << 10) +
					    (lo - 0xdc00);
			} else if (u >= 0xdc00 && u <= 0xdfff) {
				u = -2;
			}
			if (u == 0 || u == -2) {
				sb_free(&sb);
				return jfail(jp, u == 0 ? "\\u0000 in string" :
					     "unpaired surrogate in string");
			}
			if (u < 0) {
				sb_free(&sb);
				return false;
			}
			put_utf8(&sb, (unsigned long)u);
			break;
		default:
			sb_free(&sb);
			jp->p--;
			return jfail(jp, "bad escape in string");
		}
	}
	*out = sb.buf;
	return true;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* A number, by the JSON grammar; kept exactly when it fits. */
static bool jnumber(struct jparser *jp, struct jval *v)
{
	const char *s = jp->p;
	bool neg = false, exp = false;
	int64_t val = 0;
	int scale = 0;
	bool fits = true;

	if (jp->p < jp->end && *jp->p == '-') {
		neg = true;
		jp->p++;
	}
	if (jp->p >= jp->end || !is_digit(*jp->p))
		return jfail(jp, "bad number");
	if (*jp->p == '0' && jp->p + 1 < jp->end && is_digit(jp->p[1]))
		return jfail(jp, "leading zero in number");
	while (jp->p < jp->end && is_digit(*jp->p)) {
		if (__builtin_mul_overflow(val, 10, &val) ||
		    __builtin_add_overflow(val, *jp->p - '0', &val))
			fits = false;
		jp->p++;
	}
	if (jp->p < jp->end && *jp->p == '.') {
		jp->p++;
		if (jp->p >= jp->end || !is_digit(*jp->p))
			return jfail(jp, "bad number");
		while (jp->p < jp->end && is_digit(*jp->p)) {
			if (++scale > JSON_MAX_SCALE ||
			    __builtin_mul_overflow(val, 10, &val) ||
			    __builtin_add_overflow(val, *jp->p - '0', &val))
				fits = false;
			jp->p++;
		}
	}
	if (jp->p < jp->end && (*jp->p == 'e' || *jp->p == 'E')) {
		exp = true;
		jp->p++;
		if (jp->p < jp->end && (*jp->p == '+' || *jp->p == '-'))
			jp->p++;
		if (jp->p >= jp->end || !is_digit(*jp->p))
			return jfail(jp, "bad number");
		while (jp->p < jp->end && is_digit(*jp->p))
			jp->p++;
	}
	v->type = J_NUM;
	v->s = xcalloc(1, (size_t)(jp->p - s) + 1);
	memcpy(v->s, s, (size_t)(jp->p - s));
	v->exact = fits && !exp;
	v->v = neg ? -val : val;
	v->scale = scale;
	return true;
}

static bool jvalue(struct jparser *jp, struct jval *v);

/* An array or object at jp->p; on failure *v holds what was read so far
 * (the caller frees it). */
static bool jcontainer(struct jparser *jp, struct jval *v, bool object)
{
	char close = object ? '}' : ']';
	size_t cap = 0;

	if (++jp->depth > JSON_MAX_DEPTH)
		return jfail(jp, "nested too deeply");
	v->type = object ? J_OBJ : J_ARR;
	jp->p++;
	jskip_ws(jp);
	if (jp->p < jp->end && *jp->p == close) {
		jp->p++;
		jp->depth--;
		return true;
	}
	for (;;) {
		char *key = NULL;

		jskip_ws(jp);
		if (object) {
			if (jp->p >= jp->end || *jp->p != '"')
				return jfail(jp, "expected a key in quotes");
			if (!jstring(jp, &key))
				return false;
			jskip_ws(jp);
			if (jp->p >= jp->end || *jp->p != ':') {
				free(key);
				return jfail(jp, "expected ':'");
			}
			jp->p++;
		}
		if (v->n == cap) {
			cap = cap ? 2 * cap : 8;
			v->items = xrealloc(v->items, cap * sizeof(*v->items));
			if (object)
				v->keys = xrealloc(v->keys, cap * sizeof(*v->keys));
		}
		memset(&v->items[v->n], 0, sizeof(*v->items));
		if (object)
			v->keys[v->n] = key;
		v->n++;
		if (!jvalue(jp, &v->items[v->n - 1]))
			return false;
		jskip_ws(jp);
		if (jp->p < jp->end && *jp->p == ',') {
			jp->p++;
			continue;
		}
		if (jp->p < jp->end && *jp->p == close) {
			jp->p++;
			jp->depth--;
			return true;
		}
		return jfail(jp, object ? "expected ',' or '}'" :
			     "expected ',' or ']'");
	}
}

static bool jvalue(struct jparser *jp, struct jval *v)
{
	jskip_ws(jp);
	if (jp->p >= jp->end)
		return jfail(jp, "unexpected end of file");
	switch (*jp->p) {
	case '{':
		return jcontainer(jp, v, true);
	case '[':
		return jcontainer(jp, v, false);
	case '"':
		v->type = J_STR;
		return jstring(jp, &v->s);
	case 't':
		v->type = J_BOOL;
		v->b = true;
		return jliteral(jp, "true");
	case 'f':
		v->type = J_BOOL;
		return jliteral(jp, "false");
	case 'n':
		v->type = J_NULL;
		return jliteral(jp, "null");
	default:
		if (*jp->p == '-' || is_digit(*jp->p))
			return jnumber(jp, v);
		return jfail(jp, "unexpected character");
	}
}

/*
 * Parse text[0..len) into *out. Returns false with a message ("line L,
 * column C: what") in err; *out is then empty and nothing is leaked.
 */
static bool json_parse(const char *text, size_t len, struct jval *out,
		       char *err, size_t errlen)
{
	struct jparser jp = { .start = text, .p = text, .end = text + len };

	memset(out, 0, sizeof(*out));
	if (jvalue(&jp, out)) {
		jskip_ws(&jp);
		if (jp.p == jp.end)
			return true;
		jfail(&jp, "text after the end of the document");
	}
	snprintf(err, errlen, "%s", jp.err);
	jfree(out);
	return false;
}

/* Member key of an object; NULL when v is not an object or has no key. */
static const struct jval *jget(const struct jval *v, const char *key)
{
	if (!v || v->type != J_OBJ)
		return NULL;
	for (size_t i = 0; i < v->n; i++)
		if (!strcmp(v->keys[i], key))
			return &v->items[i];
	return NULL;
}

/* "a.b.c": members down the objects. */
static const struct jval *jpath(const struct jval *v, const char *path)
{
	char part[64];

	while (v && *path) {
		size_t n = strcspn(path, ".");
		if (n >= sizeof(part))
			return NULL;
		memcpy(part, path, n);
		part[n] = '\0';
		v = jget(v, part);
		path += n + (path[n] == '.');
	}
	return v;
}

/* ------------------------------------------------------------------ */
/* The runs and their figures                                           */
/* ------------------------------------------------------------------ */

struct run_col {
	char *dir;		/* as given, trailing slashes dropped */
	char *name;		/* column title */
	struct jval root;
};

/* One figure of one run, ready to print. */
struct cell {
	bool present;
	bool num;		/* exact number: v / 10^scale */
	bool str;		/* a string (quoted in JSON) */
	int64_t v;
	int scale;
	char *text;		/* as printed */
};

enum mkind {
	M_PLAIN,	/* the value at path, as it is */
	M_PAIR,		/* "path/path2", text only */
	M_UTIL,		/* path / path2, three decimals */
	M_DIFF,		/* path - path2 */
	M_NS_US,	/* nanoseconds at path, as microseconds */
	M_ZONE,		/* zones[node 0, Normal or DMA32].path */
};

enum { TEXT_ONLY = 1, DATA_ONLY = 2 };

static const struct metric {
	const char *key;	/* CSV and JSON name */
	const char *label;	/* text table row */
	enum mkind kind;
	const char *path, *path2;
	int only;
	bool chart;		/* drawn by --plot */
} metrics[] = {
	{ "workload", "workload", M_PLAIN, "workload", NULL, 0, false },
	{ "seed", "seed", M_PLAIN, "seed", NULL, 0, false },
	{ "status", "status", M_PLAIN, "status", NULL, 0, false },
	{ "cpus_nodes", "cpus/nodes", M_PAIR, "machine.cpus", "machine.nodes",
	  TEXT_ONLY, false },
	{ "cpus", "cpus", M_PLAIN, "machine.cpus", NULL, DATA_ONLY, false },
	{ "nodes", "nodes", M_PLAIN, "machine.nodes", NULL, DATA_ONLY, false },
	{ "operations", "operations", M_PLAIN, "operations", NULL, 0, true },
	{ "allocations", "allocations", M_PLAIN, "allocations", NULL, 0, true },
	{ "alloc_failures", "alloc failures", M_PLAIN, "alloc_failures", NULL,
	  0, true },
	{ "slab_pages", "slab pages", M_PLAIN, "slab.pages", NULL, 0, true },
	{ "bytes_requested", "bytes requested", M_PLAIN,
	  "slab.bytes_requested", NULL, 0, true },
	{ "bytes_held", "bytes held", M_PLAIN, "slab.bytes_held", NULL, 0, true },
	{ "utilisation", "utilisation (requested/held)", M_UTIL,
	  "slab.bytes_requested", "slab.bytes_held", 0, true },
	{ "lock_contentions", "lock contentions", M_PLAIN, "locks.contentions",
	  NULL, 0, true },
	{ "lock_wait_us", "lock wait (us)", M_NS_US, "locks.wait_ns", NULL,
	  0, true },
	/* the slab's two spinlock classes: node lists, and array caches */
	{ "list_lock_contentions", "  &parent->list_lock contentions",
	  M_PLAIN, "locks.classes.&parent->list_lock.contentions", NULL, 0,
	  true },
	{ "list_lock_wait_us", "  &parent->list_lock wait (us)", M_NS_US,
	  "locks.classes.&parent->list_lock.wait_ns", NULL, 0, false },
	{ "array_lock_contentions", "  &nc->lock (alien arrays) contentions",
	  M_PLAIN, "locks.classes.&nc->lock.contentions", NULL, 0, true },
	{ "array_lock_wait_us", "  &nc->lock (alien arrays) wait (us)",
	  M_NS_US, "locks.classes.&nc->lock.wait_ns", NULL, 0, false },
	{ "l1_misses", "L1 misses", M_DIFF, "cache_model.accesses",
	  "cache_model.l1_hits", 0, true },
	{ "coherence_misses", "coherence misses", M_PLAIN,
	  "cache_model.coherence_misses", NULL, 0, true },
	{ "remote_accesses", "remote accesses", M_PLAIN, "cache_model.remote",
	  NULL, 0, true },
	{ "free_pages", "free pages", M_PLAIN, "free_pages", NULL, 0, true },
	{ "fragmentation_index_order3", "fragmentation index order 3 "
	  "(node 0 Normal/DMA32)", M_ZONE, "fragmentation_index_order3", NULL, 0,
	  true },
};
#define NR_METRICS (sizeof(metrics) / sizeof(metrics[0]))

/* Text safe for a terminal: control characters become '?'. */
static char *printable(const char *s)
{
	char *t = xstrdup(s);

	for (char *q = t; *q; q++)
		if ((unsigned char)*q < 0x20 || *q == 0x7f)
			*q = '?';
	return t;
}

/* v / 10^scale as text, e.g. 865/3 -> "0.865", -1000/3 -> "-1.000". */
static char *fixed_text(int64_t v, int scale)
{
	char buf[48];
	uint64_t mag = v < 0 ? -(uint64_t)v : (uint64_t)v;
	uint64_t p = 1;

	for (int i = 0; i < scale; i++)
		p *= 10;
	if (scale == 0)
		snprintf(buf, sizeof(buf), "%s%llu", v < 0 ? "-" : "",
			 (unsigned long long)mag);
	else
		snprintf(buf, sizeof(buf), "%s%llu.%0*llu", v < 0 ? "-" : "",
			 (unsigned long long)(mag / p), scale,
			 (unsigned long long)(mag % p));
	return xstrdup(buf);
}

static void set_num(struct cell *c, int64_t v, int scale)
{
	c->present = true;
	c->num = true;
	c->v = v;
	c->scale = scale;
	c->text = fixed_text(v, scale);
}

/* An exact integer at path (scale 0); false when absent or not one. */
static bool get_int(const struct jval *root, const char *path, int64_t *out)
{
	const struct jval *v = jpath(root, path);

	if (!v || v->type != J_NUM || !v->exact || v->scale != 0)
		return false;
	*out = v->v;
	return true;
}

static void cell_from_value(struct cell *c, const struct jval *v)
{
	if (!v || v->type == J_NULL || v->type == J_ARR || v->type == J_OBJ)
		return;
	c->present = true;
	if (v->type == J_NUM && v->exact) {
		c->num = true;
		c->v = v->v;
		c->scale = v->scale;
		c->text = fixed_text(v->v, v->scale);
	} else if (v->type == J_NUM) {
		c->text = xstrdup(v->s);
	} else if (v->type == J_BOOL) {
		c->text = xstrdup(v->b ? "true" : "false");
	} else {
		c->str = true;
		c->text = xstrdup(v->s);
	}
}

/*
 * The zone the headline fragmentation figure is taken from: node 0's
 * zone that GFP_KERNEL asks first, Normal, or DMA32 where Normal is empty
 * (x86_64 below 4 GiB).
 */
static const struct jval *node0_normal(const struct jval *root)
{
	static const char *const wanted[] = { "Normal", "DMA32" };
	const struct jval *zones = jget(root, "zones");
	int64_t node;

	if (!zones || zones->type != J_ARR)
		return NULL;
	for (size_t w = 0; w < 2; w++)
		for (size_t i = 0; i < zones->n; i++) {
			const struct jval *z = &zones->items[i];
			const struct jval *name = jget(z, "zone");
			if (get_int(z, "node", &node) && node == 0 && name &&
			    name->type == J_STR && !strcmp(name->s, wanted[w]))
				return z;
		}
	return NULL;
}

/* Work out one figure of one run; an absent figure is left !present. */
static void compute_cell(const struct metric *mt, const struct jval *root,
			 struct cell *c)
{
	int64_t a, b;
	char buf[64];

	memset(c, 0, sizeof(*c));
	switch (mt->kind) {
	case M_PLAIN:
		cell_from_value(c, jpath(root, mt->path));
		break;
	case M_PAIR:
		if (get_int(root, mt->path, &a) && get_int(root, mt->path2, &b)) {
			snprintf(buf, sizeof(buf), "%lld/%lld", (long long)a,
				 (long long)b);
			c->present = true;
			c->text = xstrdup(buf);
		}
		break;
	case M_UTIL:
		/* Rounded to the nearest thousandth, in integers. */
		if (get_int(root, mt->path, &a) && get_int(root, mt->path2, &b) &&
		    a >= 0 && b > 0 && a <= (INT64_MAX - b / 2) / 1000)
			set_num(c, (a * 1000 + b / 2) / b, 3);
		break;
	case M_DIFF:
		if (get_int(root, mt->path, &a) && get_int(root, mt->path2, &b) &&
		    !__builtin_sub_overflow(a, b, &a))
			set_num(c, a, 0);
		break;
	case M_NS_US:
		if (get_int(root, mt->path, &a))
			set_num(c, a, 3);
		break;
	case M_ZONE:
		cell_from_value(c, jpath(node0_normal(root), mt->path));
		break;
	}
}

/*
 * b - a as a cell, when both are exact numbers and the difference fits;
 * brought to the finer of the two scales.
 */
static bool diff_cell(const struct cell *a, const struct cell *b,
		      struct cell *d)
{
	int scale = a->scale > b->scale ? a->scale : b->scale;
	int64_t va = a->v, vb = b->v, r;

	memset(d, 0, sizeof(*d));
	if (!a->num || !b->num)
		return false;
	for (int i = a->scale; i < scale; i++)
		if (__builtin_mul_overflow(va, 10, &va))
			return false;
	for (int i = b->scale; i < scale; i++)
		if (__builtin_mul_overflow(vb, 10, &vb))
			return false;
	if (__builtin_sub_overflow(vb, va, &r))
		return false;
	set_num(d, r, scale);
	return true;
}

/* ------------------------------------------------------------------ */
/* Reading the runs                                                     */
/* ------------------------------------------------------------------ */

static char *read_small_file(const char *path, size_t *len, int *err)
{
	FILE *f = fopen(path, "rb");
	struct strbuf sb;
	char chunk[8192];
	size_t got;

	*err = 0;
	if (!f) {
		*err = errno;
		return NULL;
	}
	sb_init(&sb);
	sb_puts(&sb, "");
	while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (sb.len + got > SUMMARY_MAX_BYTES) {
			*err = EFBIG;
			break;
		}
		for (size_t i = 0; i < got; i++)
			sb_putc(&sb, chunk[i]);
	}
	if (!*err && ferror(f))
		*err = EIO;
	fclose(f);
	if (*err) {
		sb_free(&sb);
		return NULL;
	}
	*len = sb.len;
	return sb.buf;
}

/* Load DIR/summary.json into rc; user errors (exit 2) on anything amiss. */
static void load_run(const char *dir, struct run_col *rc)
{
	char path[4200], err[200];
	size_t len = 0, n = strlen(dir);
	struct stat st;
	int e;

	while (n > 1 && dir[n - 1] == '/')
		n--;
	rc->dir = xcalloc(1, n + 1);
	memcpy(rc->dir, dir, n);
	if (stat(rc->dir, &st) != 0 || !S_ISDIR(st.st_mode))
		user_error("compare: %s: not a run directory (no such directory)",
			   rc->dir);
	snprintf(path, sizeof(path), "%s/summary.json", rc->dir);
	char *text = read_small_file(path, &len, &e);
	if (!text && e == ENOENT)
		user_error("compare: %s: not a run directory (no summary.json)",
			   rc->dir);
	if (!text)
		user_error("%s: bad summary.json: %s", path,
			   e == EFBIG ? "too large" : strerror(e));
	if (memchr(text, '\0', len))
		user_error("%s: bad summary.json: NUL byte in the file", path);
	if (!json_parse(text, len, &rc->root, err, sizeof(err)))
		user_error("%s: bad summary.json: %s", path, err);
	free(text);
	if (rc->root.type != J_OBJ)
		user_error("%s: bad summary.json: not a JSON object", path);
	const char *base = strrchr(rc->dir, '/');
	rc->name = printable(base && base[1] ? base + 1 : rc->dir);
}

/* Columns named alike (a/x and b/x) are named by their whole path. */
static void disambiguate(struct run_col *runs, int nr)
{
	bool *clash = xcalloc((size_t)nr, sizeof(bool));

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

/* ------------------------------------------------------------------ */
/* Output forms                                                         */
/* ------------------------------------------------------------------ */

struct table {
	struct run_col *runs;
	int nr;
	struct cell (*cells)[NR_METRICS];	/* [run][metric] */
};

static size_t text_width(const char *s)
{
	return s ? strlen(s) : 1;
}

static void pad(struct strbuf *sb, size_t n)
{
	while (n--)
		sb_putc(sb, ' ');
}

/* "(+6)", "(-0.125)", "(=)"; "" when there is no difference to show. */
static char *diff_text(const struct cell *first, const struct cell *c)
{
	struct cell d;
	char *t;

	if (!diff_cell(first, c, &d))
		return xstrdup("");
	if (d.v == 0) {
		t = xstrdup("(=)");
	} else {
		size_t n = strlen(d.text) + 4;
		t = xcalloc(1, n);
		snprintf(t, n, "(%s%s)", d.v > 0 ? "+" : "", d.text);
	}
	free(d.text);
	return t;
}

/*
 * The text table: a label column, then per run its value (right-aligned)
 * and, from the second run on, the difference to the first.
 */
static void format_text(const struct table *t, struct strbuf *sb)
{
	size_t lw = 0, nrows = 0;
	size_t rows[NR_METRICS];
	size_t *vw = xcalloc((size_t)t->nr, sizeof(size_t));
	size_t *dw = xcalloc((size_t)t->nr, sizeof(size_t));
	char **vals, **diffs;

	for (size_t m = 0; m < NR_METRICS; m++)
		if (metrics[m].only != DATA_ONLY)
			rows[nrows++] = m;
	vals = xcalloc(nrows * (size_t)t->nr, sizeof(char *));
	diffs = xcalloc(nrows * (size_t)t->nr, sizeof(char *));
	for (size_t r = 0; r < nrows; r++) {
		const struct metric *mt = &metrics[rows[r]];
		if (strlen(mt->label) > lw)
			lw = strlen(mt->label);
		for (int i = 0; i < t->nr; i++) {
			const struct cell *c = &t->cells[i][rows[r]];
			size_t k = r * (size_t)t->nr + (size_t)i;
			vals[k] = c->present ? printable(c->text) : xstrdup("-");
			diffs[k] = i ? diff_text(&t->cells[0][rows[r]], c) :
				   xstrdup("");
			if (strlen(vals[k]) > vw[i])
				vw[i] = strlen(vals[k]);
			if (strlen(diffs[k]) > dw[i])
				dw[i] = strlen(diffs[k]);
		}
	}
	for (int i = 0; i < t->nr; i++)
		if (text_width(t->runs[i].name) > vw[i])
			vw[i] = text_width(t->runs[i].name);

	pad(sb, lw);
	for (int i = 0; i < t->nr; i++) {
		sb_puts(sb, "  ");
		pad(sb, vw[i] - strlen(t->runs[i].name));
		sb_puts(sb, t->runs[i].name);
		if (dw[i] && i < t->nr - 1)
			pad(sb, dw[i] + 1);
	}
	sb_putc(sb, '\n');
	for (size_t r = 0; r < nrows; r++) {
		const char *label = metrics[rows[r]].label;
		sb_puts(sb, label);
		pad(sb, lw - strlen(label));
		for (int i = 0; i < t->nr; i++) {
			size_t k = r * (size_t)t->nr + (size_t)i;
			sb_puts(sb, "  ");
			pad(sb, vw[i] - strlen(vals[k]));
			sb_puts(sb, vals[k]);
			if (dw[i] && (diffs[k][0] || i < t->nr - 1)) {
				sb_putc(sb, ' ');
				sb_puts(sb, diffs[k]);
				if (i < t->nr - 1)
					pad(sb, dw[i] - strlen(diffs[k]));
			}
			free(vals[k]);
			free(diffs[k]);
		}
		sb_putc(sb, '\n');
	}
	free(vals);
	free(diffs);
	free(vw);
	free(dw);
}

/* One CSV field, quoted (RFC 4180) when it needs to be. */
static void csv_field(struct strbuf *sb, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		sb_puts(sb, s);
		return;
	}
	sb_putc(sb, '"');
	for (; *s; s++) {
		if (*s == '"')
			sb_putc(sb, '"');
		sb_putc(sb, *s);
	}
	sb_putc(sb, '"');
}

/* metric,run1,run2,...: one row per figure, empty where absent. */
static void format_csv(const struct table *t, struct strbuf *sb)
{
	sb_puts(sb, "metric");
	for (int i = 0; i < t->nr; i++) {
		sb_putc(sb, ',');
		csv_field(sb, t->runs[i].name);
	}
	sb_putc(sb, '\n');
	for (size_t m = 0; m < NR_METRICS; m++) {
		if (metrics[m].only == TEXT_ONLY)
			continue;
		sb_puts(sb, metrics[m].key);
		for (int i = 0; i < t->nr; i++) {
			const struct cell *c = &t->cells[i][m];
			sb_putc(sb, ',');
			if (c->present)
				csv_field(sb, c->text);
		}
		sb_putc(sb, '\n');
	}
}

static void json_string(struct strbuf *sb, const char *s)
{
	sb_putc(sb, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			sb_printf(sb, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			sb_printf(sb, "\\u%04x", c);
		else
			sb_putc(sb, (char)c);
	}
	sb_putc(sb, '"');
}

static void json_cell(struct strbuf *sb, const struct cell *c)
{
	if (!c->present)
		sb_puts(sb, "null");
	else if (c->str)
		json_string(sb, c->text);
	else
		sb_puts(sb, c->text);	/* a number or true/false */
}

static void format_json(const struct table *t, struct strbuf *sb)
{
	sb_puts(sb, "{\n  \"runs\": [");
	for (int i = 0; i < t->nr; i++) {
		sb_puts(sb, i ? ",\n    {\"name\": " : "\n    {\"name\": ");
		json_string(sb, t->runs[i].name);
		sb_puts(sb, ", \"dir\": ");
		json_string(sb, t->runs[i].dir);
		sb_puts(sb, "}");
	}
	sb_puts(sb, "\n  ],\n  \"metrics\": [");
	bool first = true;
	for (size_t m = 0; m < NR_METRICS; m++) {
		if (metrics[m].only == TEXT_ONLY)
			continue;
		sb_printf(sb, "%s\n    {\"key\": \"%s\", \"label\": ",
			  first ? "" : ",", metrics[m].key);
		json_string(sb, metrics[m].label);
		sb_puts(sb, ", \"values\": [");
		for (int i = 0; i < t->nr; i++) {
			if (i)
				sb_puts(sb, ", ");
			json_cell(sb, &t->cells[i][m]);
		}
		sb_puts(sb, "], \"diff\": [");
		for (int i = 0; i < t->nr; i++) {
			struct cell d;
			if (i)
				sb_puts(sb, ", ");
			if (diff_cell(&t->cells[0][m], &t->cells[i][m], &d))
				json_cell(sb, &d);
			else
				sb_puts(sb, "null");
			free(d.text);
		}
		sb_puts(sb, "]}");
		first = false;
	}
	sb_puts(sb, "\n  ]\n}\n");
}

/* ------------------------------------------------------------------ */
/* The bar chart                                                        */
/* ------------------------------------------------------------------ */

/* A name inside a gnuplot double-quoted string: no quotes, escapes or
 * control characters survive. */
static void gp_name(struct strbuf *sb, const char *s)
{
	sb_putc(sb, '"');
	for (; *s; s++)
		sb_putc(sb, (*s == '"' || *s == '\\' || (unsigned char)*s < 0x20) ?
			'_' : *s);
	sb_putc(sb, '"');
}

static double cell_double(const struct cell *c)
{
	double d = (double)c->v;

	for (int i = 0; i < c->scale; i++)
		d /= 10;
	return d;
}

/*
 * The gnuplot program for the chart: every figure relative to the largest
 * magnitude among the runs, so figures of any size share one axis.
 */
static void chart_script(const struct table *t, const char *out,
			 struct strbuf *sb)
{
	size_t n = strlen(out);
	bool svg = n >= 4 && !strcmp(out + n - 4, ".svg");

	sb_printf(sb, "set terminal %s size 1200,600 noenhanced\n",
		  svg ? "svg" : "png");
	sb_printf(sb, "set output '%s'\n", out);
	sb_puts(sb, "set title 'slabsim compare: each figure relative to the "
		"largest of the runs'\n"
		"set style data histograms\n"
		"set style histogram clustered gap 1\n"
		"set style fill solid 0.8 border -1\n"
		"set xtics rotate by 40 right nomirror\n"
		"set bmargin 14\n"
		"set grid ytics\n"
		"set key outside right top\n"
		"set ylabel 'relative to the largest'\n"
		"$data << EOD\nmetric");
	for (int i = 0; i < t->nr; i++) {
		sb_putc(sb, ' ');
		gp_name(sb, t->runs[i].name);
	}
	sb_putc(sb, '\n');
	for (size_t m = 0; m < NR_METRICS; m++) {
		double max = 0;
		bool any = false;

		if (!metrics[m].chart)
			continue;
		for (int i = 0; i < t->nr; i++) {
			const struct cell *c = &t->cells[i][m];
			double d = c->num ? cell_double(c) : 0;
			if (d < 0)
				d = -d;
			if (c->num)
				any = true;
			if (d > max)
				max = d;
		}
		if (!any)
			continue;
		gp_name(sb, metrics[m].label);
		for (int i = 0; i < t->nr; i++) {
			const struct cell *c = &t->cells[i][m];
			double d = c->num && max > 0 ? cell_double(c) / max : 0;
			sb_printf(sb, " %.4f", d);
		}
		sb_putc(sb, '\n');
	}
	sb_printf(sb, "EOD\nplot for [i=2:%d] $data using i:xtic(1) "
		  "title columnheader(i)\n", t->nr + 1);
}

/*
 * Feed script to gnuplot on its standard input (no shell). Returns the
 * exit status for the command: 0, 2 when gnuplot is missing, 1 when it
 * failed (its own messages went to stderr).
 */
static int run_gnuplot_script(const struct strbuf *script)
{
	int fd[2];
	pid_t pid;
	int status;

	char *gnuplot = find_gnuplot();
	if (!gnuplot) {
		fputs("slabsim: compare: gnuplot not found; install it "
		      "with: apt-get install gnuplot-nox\n", stderr);
		return 2;
	}
	if (pipe(fd) != 0)
		user_error("compare: pipe: %s", strerror(errno));
	/* gnuplot must not hold the write end, or it never sees the end */
	fcntl(fd[0], F_SETFD, FD_CLOEXEC);
	fcntl(fd[1], F_SETFD, FD_CLOEXEC);
	char *const argv[] = { gnuplot, NULL };
	pid = spawn(argv, fd[0], NULL);
	close(fd[0]);
	/* gnuplot may die before reading it all; that shows in its status. */
	signal(SIGPIPE, SIG_IGN);
	for (size_t off = 0; off < script->len;) {
		ssize_t w = write(fd[1], script->buf + off, script->len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	close(fd[1]);
	free(gnuplot);
	status = wait_child(pid);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		return 2;
	fputs("slabsim: compare: gnuplot failed on the chart\n", stderr);
	return 1;
}

/* ------------------------------------------------------------------ */
/* The command                                                          */
/* ------------------------------------------------------------------ */

int cmd_compare(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "out", required_argument, NULL, 'o' },
		{ "plot", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *format = "text", *out = NULL, *plot = NULL;
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "f:o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'f': format = optarg; break;
		case 'o': out = optarg; break;
		case 'p': plot = optarg; break;
		case 'h':
			fputs(usage_compare, stdout);
			return 0;
		default:
			user_error("compare: bad option '%s' (see slabsim compare --help)",
				   argv[optind - 1]);
		}
	}
	if (strcmp(format, "text") && strcmp(format, "csv") &&
	    strcmp(format, "json"))
		user_error("compare: --format must be text, csv or json, not '%s'",
			   format);
	if (optind >= argc)
		user_error("compare: expected one or more run directories "
			   "(see slabsim compare --help)");
	if (plot && strpbrk(plot, "'\n\r"))
		user_error("compare: --plot %s: a path with a single quote or a "
			   "line break cannot be passed to gnuplot; rename it", plot);

	struct table t = { .nr = argc - optind };
	t.runs = xcalloc((size_t)t.nr, sizeof(*t.runs));
	t.cells = xcalloc((size_t)t.nr, sizeof(*t.cells));
	for (int i = 0; i < t.nr; i++)
		load_run(argv[optind + i], &t.runs[i]);
	disambiguate(t.runs, t.nr);
	for (int i = 0; i < t.nr; i++)
		for (size_t m = 0; m < NR_METRICS; m++)
			compute_cell(&metrics[m], &t.runs[i].root, &t.cells[i][m]);

	struct strbuf sb;
	sb_init(&sb);
	sb_puts(&sb, "");
	if (!strcmp(format, "csv"))
		format_csv(&t, &sb);
	else if (!strcmp(format, "json"))
		format_json(&t, &sb);
	else
		format_text(&t, &sb);
	if (out) {
		if (!write_file(out, sb.buf, sb.len))
			user_error("compare: cannot write %s: %s", out,
				   strerror(errno));
	} else if (fwrite(sb.buf, 1, sb.len, stdout) != sb.len) {
		user_error("compare: cannot write to standard output");
	}

	int status = 0;
	if (plot) {
		struct strbuf script;
		sb_init(&script);
		chart_script(&t, plot, &script);
		status = run_gnuplot_script(&script);
		sb_free(&script);
	}

	sb_free(&sb);
	for (int i = 0; i < t.nr; i++) {
		for (size_t m = 0; m < NR_METRICS; m++)
			free(t.cells[i][m].text);
		jfree(&t.runs[i].root);
		free(t.runs[i].dir);
		free(t.runs[i].name);
	}
	free(t.cells);
	free(t.runs);
	return status;
}
