#ifndef SLABSIM_SIM_WORKLOAD_COMPOSE_H
#define SLABSIM_SIM_WORKLOAD_COMPOSE_H
/*
 * A YAML composer that works a node at a time. libyaml's own loader
 * (yaml_parser_load) builds the whole document before it returns, so a
 * trace of ten million events costs gigabytes before the first one runs.
 * This one turns parser events into nodes of one yaml_document_t on
 * demand: the caller composes the nodes it wants (the workload's header,
 * then one event at a time), reads them with the ordinary node API, and
 * truncates the document back to a mark once an event is used.
 *
 * Words:
 *   mark      the number of nodes in the document; truncating to a mark
 *             frees every node composed after it.
 *   floor     nodes below it are never truncated: the header, and any
 *             node an anchor names (an alias may refer to it later).
 *   borrowed  a scalar whose text the document does not own (the
 *             compact event form points into one scalar's own text).
 *
 * Nesting deeper than COMPOSE_MAX_DEPTH is refused while parsing, before
 * libyaml's own cost of deep nesting (quadratic in its scanner) builds up.
 * No global state; nothing here prints.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <yaml.h>

#define COMPOSE_MAX_DEPTH	64

struct compose_ahead;

struct compose_anchor {
	char *name;
	int node;
};

struct composer {
	yaml_parser_t parser;
	yaml_document_t doc;
	struct compose_anchor *anchors;
	size_t nr_anchors, cap_anchors;
	size_t floor;
	int depth;
	/* the first error: position (1-based; line 0: none) and message */
	bool failed;
	unsigned int line, col;
	char msg[256];
	/* the input, for positions of reader errors (byte offsets) */
	FILE *file;			/* owned: closed by compose_close */
	const unsigned char *buf;	/* or a caller's buffer */
	size_t len;
	const char *path;
	/* the parser's own thread while reading ahead (compose_read_ahead) */
	struct compose_ahead *ahead;
};

/*
 * Open a composer on a file (opened and owned here) or on a buffer the
 * caller keeps alive. False (message in c->msg, nothing to close) on
 * failure.
 */
bool compose_open_file(struct composer *c, const char *path);
bool compose_open_buffer(struct composer *c, const unsigned char *buf,
			 size_t len);
void compose_close(struct composer *c);

/*
 * The next parser event into *ev (the caller deletes it, with
 * compose_event_delete). False with the error recorded when libyaml fails
 * or an event nests too deeply.
 */
bool compose_event(struct composer *c, yaml_event_t *ev);

/* yaml_event_delete, freeing on the parser's thread when it reads ahead. */
void compose_event_delete(struct composer *c, yaml_event_t *ev);

/*
 * From here on, parse on a thread of its own, ahead of the caller: the
 * parser fills batches of events while the caller composes and uses the
 * ones before. The events, and so everything composed from them, are
 * exactly those of parsing in line; an error reaches the caller at the
 * event where it happened, nesting too deep included (the thread stops
 * there too). Only the time changes: a long trace is read and simulated
 * at once on a host with two CPUs. False (nothing changed, parsing stays
 * in line) when no thread can be made. compose_close stops the thread.
 */
bool compose_read_ahead(struct composer *c);

/*
 * Read nothing more: a thread reading ahead is stopped and joined (the
 * caller may then exit at once). Later compose_event calls fail.
 */
void compose_stop(struct composer *c);

/*
 * The node that begins with ev (consumed: deleted here) and everything
 * inside it, composed into c->doc. Returns its index, 0 on error. An
 * anchored node raises the floor to keep itself.
 */
int compose_node(struct composer *c, yaml_event_t *ev);

/* Read past the node that begins with ev (consumed), building nothing. */
bool compose_skip(struct composer *c, yaml_event_t *ev);

/* Building nodes by hand (the compact event form); 0 on OOM. */
int compose_scalar(struct composer *c, const char *text, size_t len,
		   bool borrowed, yaml_mark_t at);
int compose_mapping(struct composer *c, yaml_mark_t at);
int compose_sequence(struct composer *c, yaml_mark_t at);
bool compose_append_pair(struct composer *c, int map, int key, int value);
bool compose_append_item(struct composer *c, int seq, int item);

static inline size_t compose_mark(const struct composer *c)
{
	return (size_t)(c->doc.nodes.top - c->doc.nodes.start);
}

/* Free every node composed after mark, except those under the floor. */
void compose_truncate(struct composer *c, size_t mark);

/* Keep everything composed so far (the header). */
static inline void compose_keep(struct composer *c)
{
	c->floor = compose_mark(c);
}

/* Record an error at a 0-based libyaml mark; keeps the first only. */
bool compose_fail(struct composer *c, yaml_mark_t at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* SLABSIM_SIM_WORKLOAD_COMPOSE_H */
