// SPDX-License-Identifier: GPL-2.0
/*
 * include: FILE, merged at the YAML node level (sim/include.h).
 *
 * The included document is read whole (it holds machine, caches and
 * generators, never events, so it is small), its own includes resolved
 * first, then its nodes are copied into the including document where the
 * includer has no value of its own. A copied node carries the tag
 * "tag:slabsim,include:PATH": the loader never reads tags otherwise, and
 * that way every node knows its file, so a message about it names the
 * right file, line and column.
 *
 * Copies are memoised per included document, so a YAML alias stays one
 * shared node and an alias bomb cannot grow the tree. No global state.
 */
#include "sim/workload/include.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define INCLUDE_TAG		"tag:slabsim,include:"
#define MAX_INCLUDE_DEPTH	16
#define MAX_MERGE_DEPTH		64
#define MAX_INCLUDE_SIZE	(16UL << 20)

struct inc {
	char *err;
	size_t errlen;
	bool failed;
	int depth;				/* files on the chain, less one */
	const char *chain[MAX_INCLUDE_DEPTH + 1];	/* as displayed */
	char *real[MAX_INCLUDE_DEPTH + 1];	/* realpath, NULL unknown */
};

/* Copying one included document into the including one. */
struct copy {
	yaml_document_t *dst, *src;
	int *memo;			/* src index - 1 -> dst index, 0 none */
	const char *tag;		/* for src's own nodes */
	const char *file;		/* src's path, for messages */
};

/* The one error of a resolve: the first is kept. Always false. */
static bool __attribute__((format(printf, 4, 5)))
failf(struct inc *in, const char *file, const yaml_mark_t *m,
      const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (in->failed)
		return false;
	in->failed = true;
	if (!in->err || !in->errlen)
		return false;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (m)
		snprintf(in->err, in->errlen, "%s:%u:%u: %s", file,
			 (unsigned int)m->line + 1, (unsigned int)m->column + 1,
			 msg);
	else
		snprintf(in->err, in->errlen, "%s: %s", file, msg);
	return false;
}

const char *include_file_of(const yaml_node_t *n)
{
	size_t len = sizeof(INCLUDE_TAG) - 1;

	if (!n || !n->tag || strncmp((const char *)n->tag, INCLUDE_TAG, len))
		return NULL;
	return (const char *)n->tag + len;
}

static yaml_node_t *node(yaml_document_t *d, int i)
{
	return yaml_document_get_node(d, i);
}

/* A scalar's text when it has no NUL inside, else NULL. */
static const char *scalar_text(const yaml_node_t *n)
{
	if (!n || n->type != YAML_SCALAR_NODE ||
	    strlen((const char *)n->data.scalar.value) != n->data.scalar.length)
		return NULL;
	return (const char *)n->data.scalar.value;
}

/* The value index of key in mapping map, 0 when absent. */
static int find_value(yaml_document_t *d, int map, const char *key)
{
	yaml_node_t *m = node(d, map);
	yaml_node_pair_t *p;

	if (!m || m->type != YAML_MAPPING_NODE)
		return 0;
	for (p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top;
	     p++) {
		const char *k = scalar_text(node(d, p->key));

		if (k && !strcmp(k, key))
			return p->value;
	}
	return 0;
}

/* The key node of key in mapping map, NULL when absent. */
static yaml_node_t *find_key(yaml_document_t *d, int map, const char *key)
{
	yaml_node_t *m = node(d, map);
	yaml_node_pair_t *p;

	for (p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top;
	     p++) {
		const char *k = scalar_text(node(d, p->key));

		if (k && !strcmp(k, key))
			return node(d, p->key);
	}
	return NULL;
}

/* The name: of a list item (a cache, a generator), or NULL. */
static const char *item_name(yaml_document_t *d, int item)
{
	return scalar_text(node(d, find_value(d, item, "name")));
}

/* ------------------------------------------------------------------ */
/* Copying and merging                                                 */
/* ------------------------------------------------------------------ */

/* Copies src node idx (and below) into dst once; its dst index, 0 on failure. */
static int copy_node(struct inc *in, struct copy *c, int idx, int depth)
{
	yaml_node_t *n = node(c->src, idx), *o;
	const char *tag;
	int out = 0, i;

	if (!n)
		return 0;
	if (c->memo[idx - 1])
		return c->memo[idx - 1];
	if (depth > MAX_MERGE_DEPTH) {
		failf(in, c->file, &n->start_mark, "nested too deeply");
		return 0;
	}
	/* a node merged from a deeper include keeps its own file */
	tag = include_file_of(n) ? (const char *)n->tag : c->tag;
	switch (n->type) {
	case YAML_SCALAR_NODE:
		out = yaml_document_add_scalar(c->dst, (yaml_char_t *)tag,
					       n->data.scalar.value,
					       (int)n->data.scalar.length,
					       n->data.scalar.style);
		break;
	case YAML_SEQUENCE_NODE:
		out = yaml_document_add_sequence(c->dst, (yaml_char_t *)tag,
						 n->data.sequence.style);
		break;
	case YAML_MAPPING_NODE:
		out = yaml_document_add_mapping(c->dst, (yaml_char_t *)tag,
						n->data.mapping.style);
		break;
	default:
		break;
	}
	if (!out) {
		failf(in, c->file, &n->start_mark,
		      "cannot merge this file (its path is not UTF-8, or out of memory)");
		return 0;
	}
	o = node(c->dst, out);
	o->start_mark = n->start_mark;
	o->end_mark = n->end_mark;
	c->memo[idx - 1] = out;
	/* src is never changed, so n stays valid while dst grows */
	if (n->type == YAML_SEQUENCE_NODE) {
		for (i = 0; n->data.sequence.items.start + i <
			    n->data.sequence.items.top; i++) {
			int ci = copy_node(in, c, n->data.sequence.items.start[i],
					   depth + 1);

			if (!ci || !yaml_document_append_sequence_item(c->dst, out, ci))
				return in->failed ? 0 :
				       (failf(in, c->file, NULL, "out of memory"), 0);
		}
	} else if (n->type == YAML_MAPPING_NODE) {
		for (i = 0; n->data.mapping.pairs.start + i <
			    n->data.mapping.pairs.top; i++) {
			yaml_node_pair_t *p = n->data.mapping.pairs.start + i;
			int ck = copy_node(in, c, p->key, depth + 1);
			int cv = ck ? copy_node(in, c, p->value, depth + 1) : 0;

			if (!cv || !yaml_document_append_mapping_pair(c->dst, out, ck, cv))
				return in->failed ? 0 :
				       (failf(in, c->file, NULL, "out of memory"), 0);
		}
	}
	return out;
}

static bool merge_map(struct inc *in, struct copy *c, int dst, int src,
		      int depth, bool top);

/*
 * Lists: an included item whose name: matches one of the includer's is
 * merged into it (the includer's keys win) and takes the included
 * item's place; the other included items are copied; the includer's
 * remaining items follow, in their order.
 */
static bool merge_seq(struct inc *in, struct copy *c, int dst, int src,
		      int depth)
{
	yaml_node_t *d = node(c->dst, dst), *s = node(c->src, src);
	size_t nd = (size_t)(d->data.sequence.items.top -
			     d->data.sequence.items.start);
	size_t ns = (size_t)(s->data.sequence.items.top -
			     s->data.sequence.items.start);
	int *old = calloc(nd + 1, sizeof(*old));
	int *out = calloc(nd + ns + 1, sizeof(*out));
	bool *used = calloc(nd + 1, sizeof(*used));
	size_t i, j, n = 0;
	bool ok = false;

	if (!old || !out || !used) {
		failf(in, c->file, NULL, "out of memory");
		goto done;
	}
	memcpy(old, d->data.sequence.items.start, nd * sizeof(*old));
	for (i = 0; i < ns; i++) {
		int si = s->data.sequence.items.start[i];
		const char *name = item_name(c->src, si);

		for (j = 0; name && j < nd; j++) {
			const char *dn = item_name(c->dst, old[j]);

			if (!used[j] && dn && !strcmp(dn, name))
				break;
		}
		if (name && j < nd) {
			used[j] = true;
			if (!merge_map(in, c, old[j], si, depth + 1, false))
				goto done;
			out[n++] = old[j];
		} else {
			out[n] = copy_node(in, c, si, depth + 1);
			if (!out[n++])
				goto done;
		}
	}
	for (j = 0; j < nd; j++)
		if (!used[j])
			out[n++] = old[j];
	d = node(c->dst, dst);		/* copies may have moved it */
	d->data.sequence.items.top = d->data.sequence.items.start;
	for (i = 0; i < n; i++) {
		if (!yaml_document_append_sequence_item(c->dst, dst, out[i])) {
			failf(in, c->file, NULL, "out of memory");
			goto done;
		}
	}
	ok = true;
done:
	free(old);
	free(out);
	free(used);
	return ok;
}

/*
 * Mappings: a key only the included file has is copied in; where both
 * have it, two mappings or two lists merge again below, and anything
 * else keeps the includer's value.
 */
static bool merge_map(struct inc *in, struct copy *c, int dst, int src,
		      int depth, bool top)
{
	yaml_node_t *s = node(c->src, src);
	int i;

	if (depth > MAX_MERGE_DEPTH)
		return failf(in, c->file, &s->start_mark, "nested too deeply");
	if (node(c->dst, dst)->type != YAML_MAPPING_NODE ||
	    s->type != YAML_MAPPING_NODE)
		return true;
	for (i = 0; s->data.mapping.pairs.start + i < s->data.mapping.pairs.top;
	     i++) {
		yaml_node_pair_t *p = s->data.mapping.pairs.start + i;
		const char *key = scalar_text(node(c->src, p->key));
		int dv = key ? find_value(c->dst, dst, key) : 0;
		yaml_node_t *dn, *sn;

		/* resolved already, into src itself */
		if (top && key && !strcmp(key, "include"))
			continue;
		if (!dv) {
			int ck = copy_node(in, c, p->key, depth + 1);
			int cv = ck ? copy_node(in, c, p->value, depth + 1) : 0;

			if (!cv)
				return false;
			if (!yaml_document_append_mapping_pair(c->dst, dst, ck, cv))
				return failf(in, c->file, NULL, "out of memory");
			continue;
		}
		dn = node(c->dst, dv);
		sn = node(c->src, p->value);
		if (dn->type == YAML_MAPPING_NODE && sn->type == YAML_MAPPING_NODE) {
			if (!merge_map(in, c, dv, p->value, depth + 1, false))
				return false;
		} else if (dn->type == YAML_SEQUENCE_NODE &&
			   sn->type == YAML_SEQUENCE_NODE) {
			if (!merge_seq(in, c, dv, p->value, depth + 1))
				return false;
		}
	}
	return true;
}

/* ------------------------------------------------------------------ */
/* Reading included files                                              */
/* ------------------------------------------------------------------ */

/* name relative to the folder of the file that names it. */
static char *join(const char *from, const char *name)
{
	const char *slash = strrchr(from, '/');
	size_t n;
	char *p;

	if (name[0] == '/' || !slash)
		return strdup(name);
	n = (size_t)(slash - from) + 1;
	p = malloc(n + strlen(name) + 1);
	if (!p)
		return NULL;
	memcpy(p, from, n);
	strcpy(p + n, name);
	return p;
}

/* The whole file; false with the reason in errno-style text. */
static bool read_all(const char *path, unsigned char **buf, size_t *len,
		     const char **why)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 0, n;
	unsigned char *p;

	*buf = NULL;
	*len = 0;
	if (!f) {
		*why = strerror(errno);
		return false;
	}
	for (;;) {
		if (*len == cap) {
			cap = cap ? cap * 2 : 16384;
			if (cap > MAX_INCLUDE_SIZE) {
				*why = "too large (over 16 MiB)";
				goto fail;
			}
			p = realloc(*buf, cap);
			if (!p) {
				*why = "out of memory";
				goto fail;
			}
			*buf = p;
		}
		n = fread(*buf + *len, 1, cap - *len, f);
		*len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		*why = strerror(errno ? errno : EIO);
		goto fail;
	}
	fclose(f);
	return true;
fail:
	fclose(f);
	free(*buf);
	*buf = NULL;
	return false;
}

/* libyaml's complaint about an included file, at its position. */
static bool parse_fail(struct inc *in, const char *file, const yaml_parser_t *p)
{
	switch (p->error) {
	case YAML_SCANNER_ERROR:
	case YAML_PARSER_ERROR:
	case YAML_COMPOSER_ERROR:
		return failf(in, file, &p->problem_mark, "YAML syntax error: %s",
			     p->problem ? p->problem : "?");
	case YAML_MEMORY_ERROR:
		return failf(in, file, NULL, "out of memory while reading YAML");
	default:
		return failf(in, file, NULL, "cannot read: %s",
			     p->problem ? p->problem : "bad input");
	}
}

static bool resolve_doc(struct inc *in, yaml_document_t *doc, int root,
			const char *file);

/* "a.yaml -> b.yaml -> a.yaml": the chain that closes a cycle. */
static void chain_text(const struct inc *in, const char *last, char *buf,
		       size_t len)
{
	size_t o = 0;
	int d;

	buf[0] = '\0';
	for (d = 0; d <= in->depth && o < len; d++)
		o += (size_t)snprintf(buf + o, len - o, "%s -> ", in->chain[d]);
	if (o < len)
		snprintf(buf + o, len - o, "%s", last);
}

/*
 * Merges the file named by scalar node idx of doc (read from file) into
 * doc's root. The file's own includes are resolved first.
 */
static bool include_one(struct inc *in, yaml_document_t *doc, int droot,
			const char *file, int idx)
{
	yaml_node_t *v = node(doc, idx);
	yaml_mark_t mark = v->start_mark;
	const char *name = scalar_text(v), *why = NULL;
	char *path = NULL, *real = NULL, *tag = NULL, chain[400];
	unsigned char *buf = NULL;
	size_t len = 0;
	yaml_parser_t parser;
	yaml_document_t sub, extra;
	yaml_node_t *root;
	struct copy c;
	bool ok = false, parser_live = false, sub_live = false;
	yaml_node_t *events;
	struct stat st;
	int d;

	memset(&c, 0, sizeof(c));
	if (!name || !*name)
		return failf(in, file, &mark, "include takes a file name (or a list of them)");
	if (in->depth == MAX_INCLUDE_DEPTH)
		return failf(in, file, &mark, "include '%s': includes nest more than %d deep",
			     name, MAX_INCLUDE_DEPTH);
	path = join(file, name);
	if (!path)
		return failf(in, file, &mark, "out of memory");
	real = realpath(path, NULL);
	if (!real) {
		failf(in, file, &mark, "include '%s': cannot open %s: %s",
		      name, path, strerror(errno));
		goto out;
	}
	/* a FIFO or a terminal would block the loader, a directory is no file */
	if (stat(real, &st) || !S_ISREG(st.st_mode)) {
		failf(in, file, &mark, "include '%s': %s is not a regular file",
		      name, path);
		goto out;
	}
	for (d = 0; d <= in->depth; d++) {
		if (in->real[d] && !strcmp(in->real[d], real)) {
			chain_text(in, path, chain, sizeof(chain));
			failf(in, file, &mark, "include cycle: %s", chain);
			goto out;
		}
	}
	if (!read_all(path, &buf, &len, &why)) {
		failf(in, file, &mark, "include '%s': cannot read %s: %s",
		      name, path, why);
		goto out;
	}
	if (!yaml_parser_initialize(&parser)) {
		failf(in, file, NULL, "out of memory");
		goto out;
	}
	parser_live = true;
	yaml_parser_set_input_string(&parser, buf, len);
	if (!yaml_parser_load(&parser, &sub)) {
		parse_fail(in, path, &parser);
		goto out;
	}
	sub_live = true;
	if (!yaml_parser_load(&parser, &extra)) {
		parse_fail(in, path, &parser);
		goto out;
	}
	root = yaml_document_get_root_node(&extra);
	if (root)
		failf(in, path, &root->start_mark,
		      "a second YAML document; a workload is one document");
	yaml_document_delete(&extra);
	if (in->failed)
		goto out;
	root = yaml_document_get_root_node(&sub);
	if (!root) {		/* an empty file includes nothing */
		ok = true;
		goto out;
	}
	if (root->type != YAML_MAPPING_NODE) {
		failf(in, path, &root->start_mark,
		      "an included workload is a mapping of keys (machine, slab, caches, generators, ...)");
		goto out;
	}
	in->depth++;
	in->chain[in->depth] = path;
	in->real[in->depth] = real;
	ok = resolve_doc(in, &sub, 1 /* yaml_parser_load's root */, path);
	in->depth--;
	if (!ok)
		goto out;
	ok = false;
	events = find_key(&sub, 1, "events");
	if (events) {
		failf(in, path, &events->start_mark,
		      "events cannot be included (a workload's events are in its own file)");
		goto out;
	}
	tag = malloc(sizeof(INCLUDE_TAG) + strlen(path));
	c.memo = calloc((size_t)(sub.nodes.top - sub.nodes.start) + 1,
			sizeof(*c.memo));
	if (!tag || !c.memo) {
		failf(in, file, NULL, "out of memory");
		goto out;
	}
	strcpy(tag, INCLUDE_TAG);
	strcat(tag, path);
	c.dst = doc;
	c.src = &sub;
	c.tag = tag;
	c.file = path;
	ok = merge_map(in, &c, droot, 1, 0, true /* top */);
out:
	if (sub_live)
		yaml_document_delete(&sub);
	if (parser_live)
		yaml_parser_delete(&parser);
	free(c.memo);
	free(tag);
	free(buf);
	free(real);
	free(path);
	return ok;
}

/* Resolves the include: of doc's root, last file first (later ones win). */
static bool resolve_doc(struct inc *in, yaml_document_t *doc, int root,
			const char *file)
{
	int idx = node(doc, root) ? find_value(doc, root, "include") : 0;
	yaml_node_t *v;
	int *items;
	size_t n, i;
	bool ok = true;

	if (!idx)
		return true;
	v = node(doc, idx);
	if (v->type == YAML_SCALAR_NODE)
		return include_one(in, doc, root, file, idx);
	if (v->type != YAML_SEQUENCE_NODE)
		return failf(in, file, &v->start_mark,
			     "include takes a file name or a list of them, not a mapping");
	n = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
	items = calloc(n + 1, sizeof(*items));
	if (!items)
		return failf(in, file, NULL, "out of memory");
	/* indices, not pointers: merging grows doc */
	memcpy(items, v->data.sequence.items.start, n * sizeof(*items));
	for (i = n; ok && i-- > 0;) {
		if (node(doc, items[i])->type != YAML_SCALAR_NODE)
			ok = failf(in, file, &node(doc, items[i])->start_mark,
				   "include takes a file name or a list of them");
		else
			ok = include_one(in, doc, root, file, items[i]);
	}
	free(items);
	return ok;
}

bool include_resolve(yaml_document_t *doc, int root, const char *path,
		     char *err, size_t errlen)
{
	struct inc in;
	yaml_node_t *r = node(doc, root);
	bool ok;

	memset(&in, 0, sizeof(in));
	in.err = err;
	in.errlen = errlen;
	if (!r || r->type != YAML_MAPPING_NODE)
		return true;	/* the loader says what is wrong */
	in.chain[0] = path;
	in.real[0] = realpath(path, NULL);	/* NULL: not a file (a test) */
	ok = resolve_doc(&in, doc, root, path);
	free(in.real[0]);
	return ok;
}
