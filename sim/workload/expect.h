#ifndef SLABSIM_SIM_EXPECT_H
#define SLABSIM_SIM_EXPECT_H
/*
 * Expectations: a workload's `expect:` list, pass/fail for CI.
 *
 * Glossary: an "expectation" names one figure (a summary.json path, or a
 * cache's column of /proc/slabinfo), a bound (min, max or equal) and a
 * time (`at:`, default the end of the run). A "capture" is what the run
 * records at such a time for the expectations to read afterwards: the
 * summary as it stood, and/or the slabinfo text.
 *
 * Parsing (expect.c) is the loader's; evaluation and the files it writes
 * (expect_report.c) are the report layer's. The simulator only captures.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/fixed.h"

/* libyaml's types, without its header (its names clash with alloc/env.h) */
struct yaml_document_s;
struct yaml_node_s;

enum ex_source { EX_SUMMARY, EX_SLABINFO };

/* A bound as written: a number (sizes in bytes, durations in ns) or text. */
struct ex_bound {
	bool given;
	bool num;
	struct fixed f;
	char text[256];		/* as written, for messages */
};

struct wl_expect {
	enum ex_source source;
	char what[256];		/* summary: the path; slabinfo: the column */
	char cache[64];		/* slabinfo: the cache's name */
	struct ex_bound min, max, equal;
	bool at_given;
	uint64_t at;		/* workload time, ns */
	unsigned int line, col;	/* where the entry was written */
};

/*
 * Parse one entry of `expect:` (a node of doc) into *e. On a user error
 * returns false with a message (no position) in msg and *where set to the
 * node to blame. Checks what can be checked before running: the keys, the
 * bounds, a known summary path, a slabinfo column name.
 */
bool expect_parse(struct yaml_document_s *doc, struct yaml_node_s *item,
		  struct wl_expect *e, struct yaml_node_s **where, char *msg,
		  size_t msglen);

/* "summary locks.contentions" / "slabinfo dentry_cache active_objs" */
void expect_name(const struct wl_expect *e, char *buf, size_t len);
/* "max 500", "min 100, max 12000", "equal ok" */
void expect_bounds(const struct wl_expect *e, char *buf, size_t len);

/*
 * The slabinfo columns expectations can name, as print_slabinfo_header
 * prints them; index into the numbers that follow a cache's name.
 */
int expect_slabinfo_column(const char *name);

#endif /* SLABSIM_SIM_EXPECT_H */
