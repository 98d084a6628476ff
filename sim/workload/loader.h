/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SLABSIM_SIM_WORKLOAD_LOADER_H
#define SLABSIM_SIM_WORKLOAD_LOADER_H
/*
 * The loader's insides, shared by its parts and by nothing else:
 *
 *   loader.c      state, errors, the table walker and its handlers, the
 *                 machine, caches, the top level, validation, --set
 *   units.c       numbers and units (durations, sizes, rates)
 *   events.c      names, call sites, events, the compact form, streaming
 *   generators.c  generators and fault injection
 *
 * The public interface is sim/workload.h.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <yaml.h>

#include "alloc/slab.h"		/* SLAB_* and (via env.h) GFP bit values only */
#include "sim/workload.h"
#include "sim/workload/compose.h"

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

/* ------------------------------------------------------------------ */
/* Numbers and units (units.c)                                         */
/* ------------------------------------------------------------------ */

/*
 * Units are written out and parsed without strtod: no locale, no binary
 * rounding, exact integer results or a clear refusal.
 */
struct unit {
	const char *name;
	uint64_t mult;
};

enum num { NUM_OK, NUM_BAD, NUM_BIG, NUM_FINE };

struct decimal {
	uint64_t whole;		/* digits before the point */
	uint64_t frac;		/* after it, trailing zeros dropped */
	unsigned int fdigits;	/* how many of those (<= 9) */
};

static inline bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

extern const struct unit dur_units[], size_units[];

enum num scan_decimal(const char *s, struct decimal *d, const char **end);
enum num parse_units(const char *s, const struct unit *units, bool plain_ok,
		     uint64_t *out);
enum num parse_u64(const char *s, uint64_t *out);
enum num parse_i64(const char *s, int64_t *out);
uint64_t pow10u(unsigned int n);
bool parse_bool(const char *s, bool *out);

/* ------------------------------------------------------------------ */
/* The table walker and the shared handlers (loader.c)                 */
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
/* A table another part of the loader names too (declared below). */
#define SHARED_TABLE(name, what, rows) \
	_Static_assert(ARRAY_SIZE(rows) <= MAX_ROWS, "walk_map's seen[]"); \
	const struct key_table name = { what, rows, ARRAY_SIZE(rows) }

/* The key and value nodes a walk found for each row, NULL if absent. */
struct seen {
	yaml_node_t *key, *val;
};

/* The keys of a tune: mapping (a cache's, or a tune event's). */
enum { TK_CACHE, TK_LIMIT, TK_BATCHCOUNT, TK_SHARED, TK_NR };

/* A bit-flag name table: cache flags and gfp masks share the reader. */
struct flag_name {
	const char *name;
	unsigned long bits;
};

/* Errors: one line, "file:line:col: message"; always return false. */
bool __attribute__((format(printf, 3, 4)))
fail_pos(struct loader *ld, struct pos p, const char *fmt, ...);
bool __attribute__((format(printf, 3, 4)))
fail(struct loader *ld, const yaml_node_t *n, const char *fmt, ...);
struct pos pos_of(const yaml_node_t *n);
struct pos seen_pos(const struct seen *s, const yaml_node_t *dflt);
const char *quote(char buf[QUOTE_MAX], const yaml_node_t *n);
const char *quote_text(char buf[QUOTE_MAX], const char *text, size_t len);
const char *kind(char buf[QUOTE_MAX], const yaml_node_t *n);
const char *fmt_ns(char *buf, size_t len, uint64_t ns);

/* The document and the workload's arrays. */
yaml_node_t *node_at(struct loader *ld, int index);
const char *text(struct loader *ld, const yaml_node_t *n, const char *what);
bool grow(struct loader *ld, void **arr, size_t *cap, size_t n, size_t elem);
bool item_file(struct loader *ld, const yaml_node_t *item, const char **out);
bool printable_name(const char *s, bool allow_space);

/* The walker, and the handlers and value readers the parts share. */
bool walk_map(struct loader *ld, yaml_node_t *map,
	      const struct key_table *tab, void *base, struct seen *seen);
const struct key_row *find_row(const struct key_table *tab, const char *key,
			       size_t len);
key_fn h_nop, h_map, h_bool, h_int, h_dur, h_size, h_rate, h_gfp;
bool get_bool(struct loader *ld, yaml_node_t *v, const char *what, bool *out);
bool get_int(struct loader *ld, yaml_node_t *v, const char *what,
	     long long lo, long long hi, int *out);
bool get_dur(struct loader *ld, yaml_node_t *v, const char *what,
	     uint64_t *out);
bool get_size(struct loader *ld, yaml_node_t *v, const char *what,
	      bool plain_ok, uint64_t *out);
extern const struct flag_name gfp_flags[];

/* Caches, by name; the tune: rows events share with caches. */
int cache_find(const struct loader *ld, const char *s);
int cache_ref(struct loader *ld, yaml_node_t *v, const char *what);
bool check_tune(struct loader *ld, const struct wl_tune *t, struct pos p,
		bool need_all);
extern const struct key_table tune_ev_table;

/* ------------------------------------------------------------------ */
/* Events (events.c) and generators (generators.c)                     */
/* ------------------------------------------------------------------ */

uint32_t name_hash(const char *s);
const char *plural(int n);

/* The stream: open the file, read up to events:, after it, or seek it. */
bool cp_open(struct loader *ld);
int compose_header(struct loader *ld, bool *one_pass);
bool header_tail(struct loader *ld);
bool seek_events(struct loader *ld);

bool load_generators(struct loader *ld, yaml_node_t *seq);
bool check_generator(struct loader *ld, const struct wl_generator *g,
		     struct pos p);
bool gen_walk_fits(struct loader *ld, const struct wl_generator *g,
		   struct pos p);
bool check_generator_keys(struct loader *ld, const struct wl_generator *g,
			  struct pos p);
extern const struct key_table gen_table;
bool cpu_list(struct loader *ld, yaml_node_t *v, const char *what, int *list,
	      int *nr);
bool check_fault(struct loader *ld, const char *what,
		 const struct wl_fault *f);
extern const struct key_table faults_table;

#endif
