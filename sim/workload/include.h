#ifndef SLABSIM_SIM_INCLUDE_H
#define SLABSIM_SIM_INCLUDE_H
/*
 * include: FILE in a workload, done on the YAML node tree before the
 * loader walks it. The included file's keys (machine, slab, caches,
 * generators, name, seed, ...) are merged into the including document;
 * the includer wins wherever both give a value. Mappings merge key by
 * key, recursively; lists (caches, generators) merge item by item where
 * items carry the same name:, and otherwise keep the included items
 * first, then the includer's. `include:` takes a file or a list of files
 * (later ones win over earlier ones), each relative to the file that
 * names it, and included files may include others. Events cannot be
 * included: a workload's events stream from its own file.
 *
 * Merged nodes remember the file they came from (include_file_of), so
 * the loader's messages about them name that file.
 */
#include <stdbool.h>
#include <stddef.h>
#include <yaml.h>

/*
 * Resolves the include: key of the mapping node root (an index into doc,
 * which was read from path; a relative include is taken from path's
 * folder), recursively. Returns
 * true when there is nothing to include or all went well; false with one
 * line "file:line:col: message" (or "file: message") in err: a missing
 * or unreadable file, a YAML error in it, a cycle (with the chain), an
 * included events: key. Node pointers into doc are stale afterwards
 * (nodes were added): look them up again by index.
 */
bool include_resolve(yaml_document_t *doc, int root, const char *path,
		     char *err, size_t errlen);

/* The file a node was merged from, or NULL for the document's own. */
const char *include_file_of(const yaml_node_t *n);

#endif /* SLABSIM_SIM_INCLUDE_H */
