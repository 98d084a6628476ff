#ifndef SLABSIM_SIM_SUMMARY_H
#define SLABSIM_SIM_SUMMARY_H
/*
 * Reading a run's summary.json back: the one reader behind compare, diff
 * and expectations. JSON is YAML's flow style, so libyaml parses it; what
 * this adds is the JSON view of the node tree (a double-quoted scalar is a
 * string, a plain one a number, true, false or null), dotted paths, and
 * numbers kept exactly.
 *
 * Glossary: a "figure" is one value the summary holds; a "path" names it
 * ("locks.contentions", "caches.dentry_cache.active_objs": an array is
 * entered by index or by the element's "name").
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <yaml.h>

#include "sim/fixed.h"

enum sv_kind { SV_NONE, SV_NULL, SV_BOOL, SV_NUM, SV_STR, SV_ARR, SV_OBJ };

struct summary {
	yaml_document_t doc;
	bool loaded;
};

/*
 * Parse text[0..len) (summary.json's bytes). Returns false with a one-line
 * reason ("line L, column C: what") in err and *s empty; true with the
 * tree in *s (free with summary_free).
 */
bool summary_parse(const char *text, size_t len, struct summary *s,
		   char *err, size_t errlen);
/*
 * Read and parse a file of at most 16 MiB. On failure err holds
 * "PATH: reason" and *enoent tells a missing file apart (callers say
 * "not a run directory" then).
 */
bool summary_load(const char *path, struct summary *s, bool *enoent,
		  char *err, size_t errlen);
void summary_free(struct summary *s);

/* The document's top node (NULL when empty). */
yaml_node_t *summary_root(struct summary *s);
enum sv_kind summary_kind(struct summary *s, const yaml_node_t *n);
/* A member of an object; NULL when n is not an object or lacks it. */
yaml_node_t *summary_get(struct summary *s, const yaml_node_t *n,
			 const char *key);
/*
 * The figure at a dotted path below n. Object members and array elements
 * (by decimal index, or by an element's "name" member) are matched
 * longest-first, so a name with dots in it still resolves. NULL when
 * there is no such figure.
 */
yaml_node_t *summary_path(struct summary *s, const yaml_node_t *n,
			  const char *path);
/* A scalar's text (NUL-terminated by libyaml); NULL for other nodes. */
const char *summary_text(const yaml_node_t *n);
/* An exact number: true when n is a number that fits a struct fixed. */
bool summary_fixed(struct summary *s, const yaml_node_t *n, struct fixed *f);
/* An exact integer (scale 0). */
bool summary_int(struct summary *s, const yaml_node_t *n, int64_t *out);

#endif /* SLABSIM_SIM_SUMMARY_H */
