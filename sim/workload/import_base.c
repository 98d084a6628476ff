/*
 * --machine BASE.yaml for the importer (import.h): the base is checked by
 * the workload loader itself, then its machine:, slab: and caches: are
 * read again with libyaml and kept as flow text, ready to paste into the
 * imported workload. Scalars are written plain when that is safe, double
 * quoted otherwise; the loader reads both the same.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "sim/workload.h"
#include "sim/workload/import.h"

static void render(yaml_document_t *d, yaml_node_t *n, struct strbuf *sb,
		   int depth, const char *skip1, const char *skip2);

static bool isalnum_ascii(unsigned char c)
{
	return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

static void render_scalar(yaml_node_t *n, struct strbuf *sb)
{
	const unsigned char *s = n->data.scalar.value;
	size_t len = n->data.scalar.length;
	bool plain = len > 0 && (isalnum_ascii(s[0]) || s[0] == '_');

	for (size_t i = 0; i < len && plain; i++)
		plain = isalnum_ascii(s[i]) || strchr("_.+-/|()", s[i]);
	if (plain) {
		sb_printf(sb, "%.*s", (int)len, (const char *)s);
		return;
	}
	sb_putc(sb, '"');
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '"' || s[i] == '\\')
			sb_printf(sb, "\\%c", s[i]);
		else if (s[i] < 0x20)
			sb_printf(sb, "\\x%02x", s[i]);
		else
			sb_putc(sb, (char)s[i]);
	}
	sb_putc(sb, '"');
}

/* A mapping's pairs without the braces, leaving out keys skip1/skip2. */
static void render_pairs(yaml_document_t *d, yaml_node_t *n, struct strbuf *sb,
			 int depth, const char *skip1, const char *skip2)
{
	const char *sep = "";

	for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
	     p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(d, p->key);
		yaml_node_t *v = yaml_document_get_node(d, p->value);

		if (!k || !v)
			continue;
		if (k->type == YAML_SCALAR_NODE &&
		    ((skip1 && !strcmp((char *)k->data.scalar.value, skip1)) ||
		     (skip2 && !strcmp((char *)k->data.scalar.value, skip2))))
			continue;
		sb_puts(sb, sep);
		render(d, k, sb, depth + 1, NULL, NULL);
		sb_puts(sb, ": ");
		render(d, v, sb, depth + 1, NULL, NULL);
		sep = ", ";
	}
}

static void render(yaml_document_t *d, yaml_node_t *n, struct strbuf *sb,
		   int depth, const char *skip1, const char *skip2)
{
	const char *sep = "";

	if (depth > 32) {
		sb_puts(sb, "\"\"");
		return;
	}
	switch (n->type) {
	case YAML_SCALAR_NODE:
		render_scalar(n, sb);
		break;
	case YAML_SEQUENCE_NODE:
		sb_putc(sb, '[');
		for (yaml_node_item_t *it = n->data.sequence.items.start;
		     it < n->data.sequence.items.top; it++) {
			yaml_node_t *c = yaml_document_get_node(d, *it);

			sb_puts(sb, sep);
			if (c)
				render(d, c, sb, depth + 1, NULL, NULL);
			sep = ", ";
		}
		sb_putc(sb, ']');
		break;
	case YAML_MAPPING_NODE:
		sb_putc(sb, '{');
		render_pairs(d, n, sb, depth, skip1, skip2);
		sb_putc(sb, '}');
		break;
	default:
		sb_puts(sb, "\"\"");
	}
}

void import_base_free(struct import_base *b)
{
	free(b->path);
	free(b->machine);
	free(b->slab);
	for (size_t i = 0; i < b->nr_caches; i++)
		free(b->cache_text[i]);
	free(b->cache_text);
	free(b->cache_name);
	memset(b, 0, sizeof(*b));
}

bool import_base_load(const char *path, struct import_base *b, char *err,
		      size_t errlen)
{
	struct workload wl;

	memset(b, 0, sizeof(*b));
	if (!workload_load(path, &wl, err, errlen))
		return false;
	b->path = xstrdup(path);
	b->cpus = wl.machine.cpus;
	b->nodes = wl.machine.nodes;
	b->nr_caches = wl.nr_caches;
	b->cache_name = xcalloc(wl.nr_caches + 1, sizeof(*b->cache_name));
	b->cache_text = xcalloc(wl.nr_caches + 1, sizeof(*b->cache_text));
	for (size_t i = 0; i < wl.nr_caches; i++)
		memcpy(b->cache_name[i], wl.caches[i].name, sizeof(b->cache_name[i]));
	workload_free(&wl);

	/* The loader accepted it: read the same file again for its text. */
	FILE *f = fopen(path, "rb");
	yaml_parser_t p;
	yaml_document_t d;
	bool ok = false;

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		import_base_free(b);
		return false;
	}
	yaml_parser_initialize(&p);
	yaml_parser_set_input_file(&p, f);
	if (yaml_parser_load(&p, &d)) {
		yaml_node_t *root = yaml_document_get_root_node(&d);
		size_t ci = 0;

		ok = root && root->type == YAML_MAPPING_NODE;
		for (yaml_node_pair_t *pr = ok ? root->data.mapping.pairs.start : NULL;
		     ok && pr < root->data.mapping.pairs.top; pr++) {
			yaml_node_t *k = yaml_document_get_node(&d, pr->key);
			yaml_node_t *v = yaml_document_get_node(&d, pr->value);
			const char *key = k && k->type == YAML_SCALAR_NODE ?
					  (const char *)k->data.scalar.value : "";
			struct strbuf sb;

			sb_init(&sb);
			if (!strcmp(key, "machine") && v->type == YAML_MAPPING_NODE) {
				/* cpus and nodes are written from what the loader read */
				render_pairs(&d, v, &sb, 0, "cpus", "nodes");
				b->machine = sb.buf;
			} else if (!strcmp(key, "slab") && v->type == YAML_MAPPING_NODE) {
				render_pairs(&d, v, &sb, 0, NULL, NULL);
				b->slab = sb.buf;
			} else if (!strcmp(key, "caches") && v->type == YAML_SEQUENCE_NODE) {
				for (yaml_node_item_t *it = v->data.sequence.items.start;
				     it < v->data.sequence.items.top && ci < b->nr_caches; it++) {
					yaml_node_t *c = yaml_document_get_node(&d, *it);

					sb_init(&sb);
					if (c && c->type == YAML_MAPPING_NODE)
						render_pairs(&d, c, &sb, 0, NULL, NULL);
					b->cache_text[ci++] = sb.buf ? sb.buf : xstrdup("");
				}
			} else {
				sb_free(&sb);
			}
		}
		yaml_document_delete(&d);
	}
	yaml_parser_delete(&p);
	fclose(f);
	if (!ok) {
		snprintf(err, errlen, "%s: cannot read it back as YAML", path);
		import_base_free(b);
		return false;
	}
	return true;
}
