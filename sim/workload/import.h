#ifndef SLABSIM_SIM_WORKLOAD_IMPORT_H
#define SLABSIM_SIM_WORKLOAD_IMPORT_H
/*
 * The trace importer: kmem tracepoint text (ftrace trace/trace_pipe,
 * perf script, trace-cmd report; the pre-6.1 and 6.1+ formats) in, a
 * slabsim workload out. Pure: it reads bytes it is given and writes into
 * a FILE or a strbuf; it never exits and never prints, so a fuzz harness
 * can drive it from a memory buffer (import_buffer).
 *
 * Words: a *line* is one line of trace text; a *record* is a kmem slab
 * event parsed from a line (allocation or free); an *object* is what a
 * record's pointer names while it is live (from its allocation to its
 * free), and gets a workload *name* for that time. A *site* is the call
 * site the trace printed (call_site=), kept verbatim.
 *
 * Life of an importer: import_new, then for each input import_source +
 * import_feed (any chunking) + import_source_end, then import_finish
 * (merge in time order, match frees to allocations by pointer), then any
 * of import_write (the workload), import_write_stat (the per-site table)
 * and import_report (the counts, as text lines). import_free at the end.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sim/util.h"

/* Highest CPU number a trace line may carry; above it the line is bad. */
#define IMPORT_MAX_TRACE_CPU	4095

/*
 * What --machine BASE.yaml contributes: its machine:, slab: and caches:
 * as YAML flow text ready to paste, and what the importer must know of
 * them. Filled by import_base_load; released by import_base_free.
 */
struct import_base {
	char *path;
	char *machine;		/* flow mapping text, or NULL (defaults) */
	char *slab;		/* flow mapping text, or NULL */
	char **cache_text;	/* one flow mapping per cache */
	char (*cache_name)[64];
	size_t nr_caches;
	int cpus, nodes;	/* as the loader read them (defaults 1) */
};

/*
 * Load BASE.yaml with the workload loader (so it is checked by the same
 * rules, and errors carry file:line:col), then keep machine:, slab: and
 * caches:. false with one line in err on bad input; *b is then empty.
 */
bool import_base_load(const char *path, struct import_base *b, char *err,
		      size_t errlen);
void import_base_free(struct import_base *b);

enum import_form { IMPORT_COMPACT, IMPORT_MAPPING };

struct import_options {
	int cpus;			/* 0: highest CPU seen + 1 (or the base's) */
	int nodes;			/* 0: 1 (or the base's) */
	enum import_form form;
	bool no_sites;			/* leave call sites out */
	const struct import_base *base;	/* NULL: machine from the trace */
	const char *name;		/* workload name; NULL: "imported" */
};

struct importer;

/* A new importer (never NULL: host memory that must exist aborts). */
struct importer *import_new(const struct import_options *o);
void import_free(struct importer *im);

/*
 * Start input `name` (kept for messages and the header). Then feed its
 * bytes in any chunks, then end it. import_feed returns false with err
 * set when the input is unusable as a whole (binary data, perf.data,
 * trace.dat); lines it cannot use are only counted.
 */
void import_source(struct importer *im, const char *name);
bool import_feed(struct importer *im, const char *buf, size_t len,
		 char *err, size_t errlen);
void import_source_end(struct importer *im);

/*
 * Merge the records in time order and match frees to allocations.
 * false with one line in err when nothing usable came in (no kmem slab
 * event in any input) or the trace does not fit the machine (a CPU
 * beyond --cpus or the base's, over 256 CPUs).
 */
bool import_finish(struct importer *im, char *err, size_t errlen);

/* The workload (after import_finish). false when out fails (errno set). */
bool import_write(struct importer *im, FILE *out);

/*
 * The trace's own per-call-site figures, as the real kernel served it:
 * a text table in the manner of `perf kmem stat --caller`, or CSV with
 * the columns of a run's callsites.csv. After import_finish.
 */
bool import_write_stat(struct importer *im, FILE *out, bool csv);

/*
 * What was counted, skipped or lost, one line per fact, each line
 * prefixed with `prefix` ("# " for the header, "" for stderr). Only facts
 * that happened are listed, in a fixed order.
 */
void import_report(struct importer *im, struct strbuf *sb,
		   const char *prefix);

/* A fact about the current input, reported after its name ("NAME: text"). */
void import_note(struct importer *im, const char *text);

/* Lines read so far (for progress). */
uint64_t import_lines(const struct importer *im);

/*
 * One call for tests and fuzzing: import `len` bytes named `name`, write
 * the workload (or, with stat, the CSV table) into out. false with err
 * set when the input is unusable.
 */
bool import_buffer(const char *name, const char *buf, size_t len,
		   const struct import_options *o, bool stat,
		   struct strbuf *out, char *err, size_t errlen);

#endif /* SLABSIM_SIM_WORKLOAD_IMPORT_H */
