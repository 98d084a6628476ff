/*
 * summary.json read back through libyaml (see summary.h). Every reader of
 * a run's figures goes through here, so a figure means the same thing to
 * compare, diff and an expectation.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/report/summary.h"
#include "sim/util.h"

/* Larger than any summary a run writes, small enough to read at once. */
#define SUMMARY_MAX_BYTES	(16u << 20)
/* Nesting a summary never needs. libyaml's composer recurses once per
 * level, so hostile input is refused before it gets there. */
#define SUMMARY_MAX_DEPTH	64

/* ------------------------------------------------------------------ */
/* Exact decimals                                                       */
/* ------------------------------------------------------------------ */

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

bool fixed_parse(const char *s, struct fixed *f)
{
	bool neg = *s == '-';
	int64_t v = 0;
	int scale = 0;

	if (neg)
		s++;
	if (!is_digit(*s) || (s[0] == '0' && is_digit(s[1])))
		return false;
	for (; is_digit(*s); s++)
		if (__builtin_mul_overflow(v, 10, &v) ||
		    __builtin_add_overflow(v, *s - '0', &v))
			return false;
	if (*s == '.') {
		if (!is_digit(*++s))
			return false;
		for (; is_digit(*s); s++)
			if (++scale > FIXED_MAX_SCALE ||
			    __builtin_mul_overflow(v, 10, &v) ||
			    __builtin_add_overflow(v, *s - '0', &v))
				return false;
	}
	if (*s)
		return false;
	f->v = neg ? -v : v;
	f->scale = scale;
	return true;
}

bool fixed_align(struct fixed *a, struct fixed *b)
{
	while (a->scale < b->scale) {
		if (__builtin_mul_overflow(a->v, 10, &a->v))
			return false;
		a->scale++;
	}
	while (b->scale < a->scale) {
		if (__builtin_mul_overflow(b->v, 10, &b->v))
			return false;
		b->scale++;
	}
	return true;
}

const char *fixed_str(char *buf, size_t len, struct fixed f)
{
	uint64_t mag = f.v < 0 ? -(uint64_t)f.v : (uint64_t)f.v;
	uint64_t p = 1;

	for (int i = 0; i < f.scale; i++)
		p *= 10;
	if (f.scale == 0)
		snprintf(buf, len, "%s%llu", f.v < 0 ? "-" : "",
			 (unsigned long long)mag);
	else
		snprintf(buf, len, "%s%llu.%0*llu", f.v < 0 ? "-" : "",
			 (unsigned long long)(mag / p), f.scale,
			 (unsigned long long)(mag % p));
	return buf;
}

/* ------------------------------------------------------------------ */
/* Parsing                                                              */
/* ------------------------------------------------------------------ */

/*
 * Brackets nested deeper than SUMMARY_MAX_DEPTH outside strings: the
 * line and column of the first one too deep, or line 0 when all is well.
 */
static void too_deep(const char *t, size_t len, unsigned *line, unsigned *col)
{
	unsigned l = 1, c = 1;
	int depth = 0;
	bool in_str = false;

	*line = 0;
	for (size_t i = 0; i < len; i++, c++) {
		char ch = t[i];
		if (ch == '\n') {
			l++;
			c = 0;
		}
		if (in_str) {
			if (ch == '\\')
				i++, c++;
			else if (ch == '"')
				in_str = false;
			continue;
		}
		if (ch == '"') {
			in_str = true;
		} else if (ch == '[' || ch == '{') {
			if (++depth > SUMMARY_MAX_DEPTH) {
				*line = l;
				*col = c;
				return;
			}
		} else if (ch == ']' || ch == '}') {
			depth--;
		}
	}
}

bool summary_parse(const char *text, size_t len, struct summary *s,
		   char *err, size_t errlen)
{
	yaml_parser_t p;
	unsigned line, col;

	memset(s, 0, sizeof(*s));
	if (memchr(text, '\0', len)) {
		snprintf(err, errlen, "NUL byte in the file");
		return false;
	}
	too_deep(text, len, &line, &col);
	if (line) {
		snprintf(err, errlen, "line %u, column %u: nested too deeply",
			 line, col);
		return false;
	}
	if (!yaml_parser_initialize(&p)) {
		snprintf(err, errlen, "out of memory");
		return false;
	}
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	if (!yaml_parser_load(&p, &s->doc)) {
		snprintf(err, errlen, "line %lu, column %lu: %s",
			 (unsigned long)p.problem_mark.line + 1,
			 (unsigned long)p.problem_mark.column + 1,
			 p.problem ? p.problem : "not JSON");
		yaml_parser_delete(&p);
		memset(s, 0, sizeof(*s));
		return false;
	}
	yaml_parser_delete(&p);
	s->loaded = true;
	yaml_node_t *root = summary_root(s);
	if (!root || root->type != YAML_MAPPING_NODE) {
		snprintf(err, errlen, "not a JSON object");
		summary_free(s);
		return false;
	}
	return true;
}

bool summary_load(const char *path, struct summary *s, bool *enoent,
		  char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	struct strbuf sb;
	char chunk[8192], why[200];
	size_t got;
	int e = 0;

	*enoent = false;
	memset(s, 0, sizeof(*s));
	if (!f) {
		*enoent = errno == ENOENT;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return false;
	}
	sb_init(&sb);
	sb_puts(&sb, "");
	while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (sb.len + got > SUMMARY_MAX_BYTES) {
			e = EFBIG;
			break;
		}
		for (size_t i = 0; i < got; i++)
			sb_putc(&sb, chunk[i]);
	}
	if (!e && ferror(f))
		e = EIO;
	fclose(f);
	bool ok = !e && summary_parse(sb.buf, sb.len, s, why, sizeof(why));
	if (e)
		snprintf(err, errlen, "%s: bad summary.json: %s", path,
			 e == EFBIG ? "too large" : strerror(e));
	else if (!ok)
		snprintf(err, errlen, "%s: bad summary.json: %s", path, why);
	sb_free(&sb);
	return ok;
}

void summary_free(struct summary *s)
{
	if (s->loaded)
		yaml_document_delete(&s->doc);
	memset(s, 0, sizeof(*s));
}

/* ------------------------------------------------------------------ */
/* The JSON view                                                        */
/* ------------------------------------------------------------------ */

yaml_node_t *summary_root(struct summary *s)
{
	return s->loaded ? yaml_document_get_root_node(&s->doc) : NULL;
}

static yaml_node_t *node(struct summary *s, yaml_node_item_t i)
{
	return yaml_document_get_node(&s->doc, i);
}

const char *summary_text(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ?
	       (const char *)n->data.scalar.value : NULL;
}

enum sv_kind summary_kind(struct summary *s, const yaml_node_t *n)
{
	struct fixed f;
	(void)s;

	if (!n)
		return SV_NONE;
	if (n->type == YAML_MAPPING_NODE)
		return SV_OBJ;
	if (n->type == YAML_SEQUENCE_NODE)
		return SV_ARR;
	if (n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return SV_STR;
	const char *t = summary_text(n);
	if (!strcmp(t, "null"))
		return SV_NULL;
	if (!strcmp(t, "true") || !strcmp(t, "false"))
		return SV_BOOL;
	/* A number JSON allows, exact or not (an exponent, many places). */
	if (fixed_parse(t, &f) || strspn(t, "-+.0123456789eE") == strlen(t))
		return SV_NUM;
	return SV_STR;
}

yaml_node_t *summary_get(struct summary *s, const yaml_node_t *n,
			 const char *key)
{
	if (!n || n->type != YAML_MAPPING_NODE)
		return NULL;
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
	     p < n->data.mapping.pairs.top; p++) {
		const char *k = summary_text(node(s, p->key));
		if (k && !strcmp(k, key))
			return node(s, p->value);
	}
	return NULL;
}

/* The child of n named by part[0..len): a member, or an array element by
 * index or by its "name". */
static yaml_node_t *child(struct summary *s, const yaml_node_t *n,
			  const char *part, size_t len)
{
	char key[256];

	if (len >= sizeof(key))
		return NULL;
	memcpy(key, part, len);
	key[len] = '\0';
	if (n->type == YAML_MAPPING_NODE)
		return summary_get(s, n, key);
	if (n->type != YAML_SEQUENCE_NODE)
		return NULL;
	yaml_node_item_t *items = n->data.sequence.items.start;
	size_t nr = (size_t)(n->data.sequence.items.top - items);
	if (strspn(key, "0123456789") == len && len && len < 10) {
		size_t i = (size_t)strtoul(key, NULL, 10);
		return i < nr ? node(s, items[i]) : NULL;
	}
	for (size_t i = 0; i < nr; i++) {
		yaml_node_t *e = node(s, items[i]);
		const char *name = summary_text(summary_get(s, e, "name"));
		if (name && !strcmp(name, key))
			return e;
	}
	return NULL;
}

yaml_node_t *summary_path(struct summary *s, const yaml_node_t *n,
			  const char *path)
{
	if (!n)
		return NULL;
	if (!*path)
		return (yaml_node_t *)n;
	/* Longest first: "caches.a.b.active_objs" finds a cache "a.b". */
	size_t len = strlen(path);
	for (size_t end = len; end > 0; end--) {
		if (end < len && path[end] != '.')
			continue;
		yaml_node_t *c = child(s, n, path, end);
		if (!c)
			continue;
		yaml_node_t *r = summary_path(s, c, end < len ? path + end + 1 : "");
		if (r)
			return r;
	}
	return NULL;
}

bool summary_fixed(struct summary *s, const yaml_node_t *n, struct fixed *f)
{
	return summary_kind(s, n) == SV_NUM && fixed_parse(summary_text(n), f);
}

bool summary_int(struct summary *s, const yaml_node_t *n, int64_t *out)
{
	struct fixed f;

	if (!summary_fixed(s, n, &f) || f.scale)
		return false;
	*out = f.v;
	return true;
}
