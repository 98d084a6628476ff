// SPDX-License-Identifier: GPL-2.0
/*
 * A node-at-a-time YAML composer (see compose.h for the words).
 *
 * Nodes go onto the document's own node stack, built by hand rather than
 * through yaml_document_add_*: those copy every scalar, and a streamed
 * trace is nothing but scalars. A parsed scalar's text is taken over from
 * its parser event instead. The layout is libyaml's, so the ordinary node
 * API (yaml_document_get_node, the items and pairs stacks) reads it.
 */
#include "sim/workload/compose.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* The tag of a scalar whose text belongs to someone else. */
static yaml_char_t borrowed_tag[] = "!slabsim:borrowed";

bool compose_fail(struct composer *c, yaml_mark_t at, const char *fmt, ...)
{
	va_list ap;

	if (c->failed)
		return false;
	c->failed = true;
	c->line = (unsigned int)at.line + 1;
	c->col = (unsigned int)at.column + 1;
	va_start(ap, fmt);
	vsnprintf(c->msg, sizeof(c->msg), fmt, ap);
	va_end(ap);
	return false;
}

static bool fail_nopos(struct composer *c, const char *msg)
{
	if (c->failed)
		return false;
	c->failed = true;
	c->line = c->col = 0;
	snprintf(c->msg, sizeof(c->msg), "%s", msg);
	return false;
}

static bool open_common(struct composer *c)
{
	memset(&c->doc, 0, sizeof(c->doc));
	if (!yaml_parser_initialize(&c->parser))
		return fail_nopos(c, "out of memory");
	if (!yaml_document_initialize(&c->doc, NULL, NULL, NULL, 1, 1)) {
		yaml_parser_delete(&c->parser);
		return fail_nopos(c, "out of memory");
	}
	return true;
}

bool compose_open_file(struct composer *c, const char *path)
{
	memset(c, 0, sizeof(*c));
	c->path = path;
	c->file = fopen(path, "rb");
	if (!c->file) {
		snprintf(c->msg, sizeof(c->msg), "cannot open: %s",
			 strerror(errno));
		c->failed = true;
		return false;
	}
	if (!open_common(c)) {
		fclose(c->file);
		c->file = NULL;
		return false;
	}
	yaml_parser_set_input_file(&c->parser, c->file);
	return true;
}

bool compose_open_buffer(struct composer *c, const unsigned char *buf,
			 size_t len)
{
	memset(c, 0, sizeof(*c));
	c->buf = buf;
	c->len = len;
	if (!open_common(c))
		return false;
	yaml_parser_set_input_string(&c->parser, buf, len);
	return true;
}

static void compose_free(struct composer *c, void *p);

/* Free what node n owns (not the slot itself). */
static void node_release(struct composer *c, yaml_node_t *n)
{
	switch (n->type) {
	case YAML_SCALAR_NODE:
		if (n->tag == borrowed_tag)
			return;
		compose_free(c, n->data.scalar.value);
		break;
	case YAML_SEQUENCE_NODE:
		free(n->data.sequence.items.start);
		break;
	case YAML_MAPPING_NODE:
		free(n->data.mapping.pairs.start);
		break;
	default:
		break;
	}
	free(n->tag);
}

static void truncate_to(struct composer *c, size_t mark)
{
	while (compose_mark(c) > mark) {
		c->doc.nodes.top--;
		node_release(c, c->doc.nodes.top);
	}
}

void compose_truncate(struct composer *c, size_t mark)
{
	truncate_to(c, mark > c->floor ? mark : c->floor);
}

static void ahead_stop(struct composer *c);

void compose_close(struct composer *c)
{
	ahead_stop(c);
	if (c->doc.nodes.start) {
		truncate_to(c, 0);
		yaml_document_delete(&c->doc);
	}
	for (size_t i = 0; i < c->nr_anchors; i++)
		free(c->anchors[i].name);
	free(c->anchors);
	c->anchors = NULL;
	c->nr_anchors = c->cap_anchors = 0;
	yaml_parser_delete(&c->parser);
	if (c->file)
		fclose(c->file);
	c->file = NULL;
}

/* ------------------------------------------------------------------ */
/* Parser events                                                        */
/* ------------------------------------------------------------------ */

/* Line and column of a byte offset: reader errors carry only that. */
static void offset_pos(struct composer *c, size_t off, unsigned int *line,
		       unsigned int *col)
{
	FILE *f = NULL;
	size_t i;
	int ch;

	*line = 1;
	*col = 1;
	if (c->buf) {
		for (i = 0; i < off && i < c->len; i++) {
			if (c->buf[i] == '\n') {
				++*line;
				*col = 1;
			} else {
				++*col;
			}
		}
		return;
	}
	if (c->path)
		f = fopen(c->path, "rb");
	if (!f)
		return;
	for (i = 0; i < off && (ch = getc(f)) != EOF; i++) {
		if (ch == '\n') {
			++*line;
			*col = 1;
		} else {
			++*col;
		}
	}
	fclose(f);
}

static bool parser_fail(struct composer *c)
{
	yaml_parser_t *p = &c->parser;
	yaml_mark_t at = p->problem_mark;

	switch (p->error) {
	case YAML_MEMORY_ERROR:
		return fail_nopos(c, "out of memory while reading YAML");
	case YAML_READER_ERROR: {
		unsigned int line, col;

		offset_pos(c, p->problem_offset, &line, &col);
		at.line = line - 1;
		at.column = col - 1;
		return compose_fail(c, at, "cannot read: %s",
				    p->problem ? p->problem : "bad input");
	}
	case YAML_SCANNER_ERROR:
	case YAML_PARSER_ERROR:
	case YAML_COMPOSER_ERROR:
		if (p->context)
			return compose_fail(c, at, "YAML syntax error: %s (%s at line %u, column %u)",
					    p->problem ? p->problem : "?",
					    p->context,
					    (unsigned int)p->context_mark.line + 1,
					    (unsigned int)p->context_mark.column + 1);
		return compose_fail(c, at, "YAML syntax error: %s",
				    p->problem ? p->problem : "?");
	default:
		return fail_nopos(c, "cannot read YAML");
	}
}

/* ------------------------------------------------------------------ */
/* Reading ahead                                                        */
/* ------------------------------------------------------------------ */

/*
 * A ring of batches between the parser's thread (which fills them in
 * order) and the composer (which empties them in the same order). The
 * lock is taken once a batch, not once an event. A batch is "last" when
 * the parser stopped after it: the end of the stream, an error (the
 * parser's error fields are read only after the thread is joined), or an
 * event nested too deep (the caller refuses it; the parser goes no
 * further into libyaml's quadratic cost of deep nesting).
 */
#define AHEAD_BATCH	256
#define AHEAD_RING	8

/*
 * Memory the parser allocated goes back to the parser's thread to be
 * freed there: a free on another thread than the malloc costs both
 * threads a lock and the parser its cached chunks. The composer collects
 * what it is done with in a give-back list, hands it over with the batch
 * it returns, and the parser frees it before filling that batch again.
 */
struct give_back {
	void **p;
	size_t nr, cap;
};

struct ahead_batch {
	yaml_event_t ev[AHEAD_BATCH];
	unsigned int n;
	bool last, failed;
	struct give_back give;	/* to free before filling again */
};

struct compose_ahead {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t filled, emptied;
	yaml_parser_t *parser;
	int depth;			/* the parser thread's own count */
	/* under lock: batches filled and emptied so far; stop asked */
	unsigned long filled_nr, emptied_nr;
	bool stop;
	/* the composer's side: the batch being read, and where */
	struct ahead_batch *cur;
	unsigned int pos;
	bool joined;
	struct give_back give;
	struct ahead_batch ring[AHEAD_RING];
};

static bool ahead_fill(struct compose_ahead *a, struct ahead_batch *b)
{
	b->n = 0;
	b->last = b->failed = false;
	while (b->n < AHEAD_BATCH) {
		yaml_event_t *ev = &b->ev[b->n];

		if (!yaml_parser_parse(a->parser, ev)) {
			b->last = b->failed = true;
			break;
		}
		b->n++;
		switch (ev->type) {
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			if (++a->depth > COMPOSE_MAX_DEPTH)
				b->last = true;
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			a->depth--;
			break;
		case YAML_STREAM_END_EVENT:
			b->last = true;
			break;
		default:
			break;
		}
		if (b->last)
			break;
	}
	return !b->last;
}

static void give_back_free(struct give_back *g)
{
	for (size_t i = 0; i < g->nr; i++)
		free(g->p[i]);
	g->nr = 0;
}

static void *ahead_main(void *arg)
{
	struct compose_ahead *a = arg;
	bool more = true;

	while (more) {
		struct ahead_batch *b;

		pthread_mutex_lock(&a->lock);
		while (a->filled_nr - a->emptied_nr == AHEAD_RING && !a->stop)
			pthread_cond_wait(&a->emptied, &a->lock);
		if (a->stop) {
			pthread_mutex_unlock(&a->lock);
			break;
		}
		b = &a->ring[a->filled_nr % AHEAD_RING];
		pthread_mutex_unlock(&a->lock);
		give_back_free(&b->give);
		more = ahead_fill(a, b);
		pthread_mutex_lock(&a->lock);
		a->filled_nr++;
		pthread_cond_signal(&a->filled);
		pthread_mutex_unlock(&a->lock);
	}
	return NULL;
}

bool compose_read_ahead(struct composer *c)
{
	struct compose_ahead *a;

	if (c->ahead || c->failed)
		return c->ahead != NULL;
	a = calloc(1, sizeof(*a));
	if (!a)
		return false;
	a->parser = &c->parser;
	a->depth = c->depth;
	if (pthread_mutex_init(&a->lock, NULL))
		goto no_lock;
	if (pthread_cond_init(&a->filled, NULL))
		goto no_filled;
	if (pthread_cond_init(&a->emptied, NULL))
		goto no_emptied;
	if (pthread_create(&a->thread, NULL, ahead_main, a))
		goto no_thread;
	c->ahead = a;
	return true;
no_thread:
	pthread_cond_destroy(&a->emptied);
no_emptied:
	pthread_cond_destroy(&a->filled);
no_filled:
	pthread_mutex_destroy(&a->lock);
no_lock:
	free(a);
	return false;
}

static void ahead_join(struct compose_ahead *a)
{
	if (!a->joined)
		pthread_join(a->thread, NULL);
	a->joined = true;
}

/* The next filled batch, the current one handed back; NULL after the last. */
static struct ahead_batch *ahead_next_batch(struct compose_ahead *a)
{
	struct ahead_batch *b;

	pthread_mutex_lock(&a->lock);
	if (a->cur) {
		if (a->cur->last) {
			pthread_mutex_unlock(&a->lock);
			return NULL;
		}
		/* the batch takes the give-back list; its emptied one is ours */
		struct give_back g = a->cur->give;

		a->cur->give = a->give;
		a->give = g;
		a->emptied_nr++;
		pthread_cond_signal(&a->emptied);
	}
	while (a->filled_nr == a->emptied_nr)
		pthread_cond_wait(&a->filled, &a->lock);
	b = &a->ring[a->emptied_nr % AHEAD_RING];
	pthread_mutex_unlock(&a->lock);
	a->cur = b;
	a->pos = 0;
	return b;
}

/* The next event from the ring, as yaml_parser_parse would give it. */
static bool ahead_event(struct composer *c, yaml_event_t *ev)
{
	struct compose_ahead *a = c->ahead;
	struct ahead_batch *b = a->cur;

	/* a used-up batch: the parser's error after it, or the next one */
	while (!b || a->pos == b->n) {
		if (b && b->failed) {
			ahead_join(a);	/* the parser is ours again */
			return false;
		}
		b = ahead_next_batch(a);
		if (!b) {	/* past the end of the stream: as libyaml */
			memset(ev, 0, sizeof(*ev));
			return true;
		}
	}
	*ev = b->ev[a->pos++];
	return true;
}

/* Stop the parser's thread; delete the events it read that nobody used. */
static void ahead_stop(struct composer *c)
{
	struct compose_ahead *a = c->ahead;

	if (!a)
		return;
	pthread_mutex_lock(&a->lock);
	a->stop = true;
	pthread_cond_signal(&a->emptied);
	pthread_mutex_unlock(&a->lock);
	ahead_join(a);
	/* the thread is gone: no lock needed */
	if (a->cur)
		while (a->pos < a->cur->n)
			yaml_event_delete(&a->cur->ev[a->pos++]);
	for (unsigned long i = a->emptied_nr + (a->cur ? 1 : 0);
	     i < a->filled_nr; i++) {
		struct ahead_batch *b = &a->ring[i % AHEAD_RING];

		for (unsigned int j = 0; j < b->n; j++)
			yaml_event_delete(&b->ev[j]);
	}
	for (unsigned int i = 0; i < AHEAD_RING; i++) {
		give_back_free(&a->ring[i].give);
		free(a->ring[i].give.p);
	}
	give_back_free(&a->give);
	free(a->give.p);
	pthread_cond_destroy(&a->emptied);
	pthread_cond_destroy(&a->filled);
	pthread_mutex_destroy(&a->lock);
	free(a);
	c->ahead = NULL;
}

/* free(p), on the parser's thread when it reads ahead. */
static void compose_free(struct composer *c, void *p)
{
	struct give_back *g;

	if (!p)
		return;
	if (!c->ahead) {
		free(p);
		return;
	}
	g = &c->ahead->give;
	if (g->nr == g->cap) {
		size_t cap = g->cap ? g->cap * 2 : 1024;
		void **v = realloc(g->p, cap * sizeof(*v));

		if (!v) {
			free(p);
			return;
		}
		g->p = v;
		g->cap = cap;
	}
	g->p[g->nr++] = p;
}

void compose_event_delete(struct composer *c, yaml_event_t *ev)
{
	if (c->ahead && ev->type == YAML_SCALAR_EVENT) {
		compose_free(c, ev->data.scalar.value);
		compose_free(c, ev->data.scalar.anchor);
		compose_free(c, ev->data.scalar.tag);
		memset(ev, 0, sizeof(*ev));
		return;
	}
	yaml_event_delete(ev);
}

void compose_stop(struct composer *c)
{
	ahead_stop(c);
	if (!c->failed)
		fail_nopos(c, "reading stopped");
}

bool compose_event(struct composer *c, yaml_event_t *ev)
{
	if (c->failed)
		return false;
	if (c->ahead ? !ahead_event(c, ev) : !yaml_parser_parse(&c->parser, ev))
		return parser_fail(c);
	switch (ev->type) {
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		if (++c->depth > COMPOSE_MAX_DEPTH) {
			compose_fail(c, ev->start_mark,
				     "nested more than %d levels deep",
				     COMPOSE_MAX_DEPTH);
			compose_event_delete(c, ev);
			return false;
		}
		break;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		c->depth--;
		break;
	default:
		break;
	}
	return true;
}

/* ------------------------------------------------------------------ */
/* Nodes                                                                */
/* ------------------------------------------------------------------ */

/* A new node slot on top of the stack; its index, 0 on OOM. */
static int push(struct composer *c, const yaml_node_t *n)
{
	yaml_document_t *d = &c->doc;

	if (d->nodes.top == d->nodes.end) {
		size_t used = compose_mark(c);
		size_t cap = used ? used * 2 : 16;
		yaml_node_t *v;

		if (cap > (size_t)0x7fffffff)
			return fail_nopos(c, "too many YAML nodes"), 0;
		v = realloc(d->nodes.start, cap * sizeof(*v));
		if (!v)
			return fail_nopos(c, "out of memory"), 0;
		d->nodes.start = v;
		d->nodes.top = v + used;
		d->nodes.end = v + cap;
	}
	*d->nodes.top++ = *n;
	return (int)compose_mark(c);
}

int compose_scalar(struct composer *c, const char *text, size_t len,
		   bool borrowed, yaml_mark_t at)
{
	yaml_node_t n;
	yaml_char_t *v = (yaml_char_t *)text;

	if (!borrowed) {
		v = malloc(len + 1);
		if (!v)
			return fail_nopos(c, "out of memory"), 0;
		memcpy(v, text, len);
		v[len] = '\0';
	}
	memset(&n, 0, sizeof(n));
	n.type = YAML_SCALAR_NODE;
	n.tag = borrowed ? borrowed_tag : NULL;
	n.data.scalar.value = v;
	n.data.scalar.length = len;
	n.data.scalar.style = YAML_PLAIN_SCALAR_STYLE;
	n.start_mark = n.end_mark = at;
	int id = push(c, &n);
	if (!id && !borrowed)
		free(v);
	return id;
}

int compose_mapping(struct composer *c, yaml_mark_t at)
{
	yaml_node_t n;

	memset(&n, 0, sizeof(n));
	n.type = YAML_MAPPING_NODE;
	n.data.mapping.style = YAML_FLOW_MAPPING_STYLE;
	n.start_mark = n.end_mark = at;
	return push(c, &n);
}

int compose_sequence(struct composer *c, yaml_mark_t at)
{
	yaml_node_t n;

	memset(&n, 0, sizeof(n));
	n.type = YAML_SEQUENCE_NODE;
	n.data.sequence.style = YAML_FLOW_SEQUENCE_STYLE;
	n.start_mark = n.end_mark = at;
	return push(c, &n);
}

/* Grow a {start, end, top} stack of elem-sized entries by one. */
static bool stack_room(struct composer *c, void **start, void **end,
		       void **top, size_t elem)
{
	size_t used = (size_t)((char *)*top - (char *)*start) / elem;
	size_t cap = (size_t)((char *)*end - (char *)*start) / elem;
	void *v;

	if (used < cap)
		return true;
	cap = cap ? cap * 2 : 4;
	v = realloc(*start, cap * elem);
	if (!v)
		return fail_nopos(c, "out of memory");
	*start = v;
	*top = (char *)v + used * elem;
	*end = (char *)v + cap * elem;
	return true;
}

bool compose_append_pair(struct composer *c, int map, int key, int value)
{
	yaml_node_t *m = yaml_document_get_node(&c->doc, map);
	yaml_node_pair_t pair = { key, value };

	if (!stack_room(c, (void **)&m->data.mapping.pairs.start,
			(void **)&m->data.mapping.pairs.end,
			(void **)&m->data.mapping.pairs.top, sizeof(pair)))
		return false;
	*m->data.mapping.pairs.top++ = pair;
	return true;
}

bool compose_append_item(struct composer *c, int seq, int item)
{
	yaml_node_t *s = yaml_document_get_node(&c->doc, seq);

	if (!stack_room(c, (void **)&s->data.sequence.items.start,
			(void **)&s->data.sequence.items.end,
			(void **)&s->data.sequence.items.top, sizeof(item)))
		return false;
	*s->data.sequence.items.top++ = item;
	return true;
}

/* Remember anchor -> node; a later anchor of the same name wins. */
static bool anchor_add(struct composer *c, yaml_char_t *name, int node)
{
	if (c->nr_anchors == c->cap_anchors) {
		size_t cap = c->cap_anchors ? c->cap_anchors * 2 : 8;
		struct compose_anchor *v = realloc(c->anchors, cap * sizeof(*v));

		if (!v)
			return fail_nopos(c, "out of memory");
		c->anchors = v;
		c->cap_anchors = cap;
	}
	c->anchors[c->nr_anchors].name = (char *)name;
	c->anchors[c->nr_anchors].node = node;
	c->nr_anchors++;
	/* an alias may name it any time later: keep it */
	c->floor = compose_mark(c);
	return true;
}

static int anchor_find(const struct composer *c, const char *name)
{
	for (size_t i = c->nr_anchors; i-- > 0;)
		if (!strcmp(c->anchors[i].name, name))
			return c->anchors[i].node;
	return 0;
}

/* Takes the anchor of ev (if any) for node id; ev keeps nothing to free. */
static bool take_anchor(struct composer *c, yaml_char_t **anchor, int id)
{
	yaml_char_t *a = *anchor;

	*anchor = NULL;
	if (!a)
		return true;
	if (!anchor_add(c, a, id)) {
		free(a);
		return false;
	}
	return true;
}

int compose_node(struct composer *c, yaml_event_t *ev)
{
	yaml_event_t sub;
	yaml_node_t n;
	yaml_char_t *anchor = NULL;
	int id = 0, item, key;

	memset(&n, 0, sizeof(n));
	n.start_mark = ev->start_mark;
	n.end_mark = ev->end_mark;
	switch (ev->type) {
	case YAML_ALIAS_EVENT:
		id = anchor_find(c, (const char *)ev->data.alias.anchor);
		if (!id)
			compose_fail(c, ev->start_mark,
				     "alias '*%s' names no anchor before it",
				     (const char *)ev->data.alias.anchor);
		compose_event_delete(c, ev);
		return id;
	case YAML_SCALAR_EVENT:
		n.type = YAML_SCALAR_NODE;
		n.data.scalar.value = ev->data.scalar.value;
		n.data.scalar.length = ev->data.scalar.length;
		n.data.scalar.style = ev->data.scalar.style;
		id = push(c, &n);
		if (id)
			ev->data.scalar.value = NULL;	/* the node's now */
		anchor = ev->data.scalar.anchor;
		ev->data.scalar.anchor = NULL;
		compose_event_delete(c, ev);
		if (id && !take_anchor(c, &anchor, id))
			id = 0;
		free(anchor);
		return id;
	case YAML_SEQUENCE_START_EVENT:
		n.type = YAML_SEQUENCE_NODE;
		n.data.sequence.style = ev->data.sequence_start.style;
		anchor = ev->data.sequence_start.anchor;
		ev->data.sequence_start.anchor = NULL;
		compose_event_delete(c, ev);
		id = push(c, &n);
		while (id) {
			if (!compose_event(c, &sub)) {
				id = 0;
				break;
			}
			if (sub.type == YAML_SEQUENCE_END_EVENT) {
				yaml_document_get_node(&c->doc, id)->end_mark =
					sub.end_mark;
				compose_event_delete(c, &sub);
				break;
			}
			item = compose_node(c, &sub);
			if (!item || !compose_append_item(c, id, item))
				id = 0;
		}
		break;
	case YAML_MAPPING_START_EVENT:
		n.type = YAML_MAPPING_NODE;
		n.data.mapping.style = ev->data.mapping_start.style;
		anchor = ev->data.mapping_start.anchor;
		ev->data.mapping_start.anchor = NULL;
		compose_event_delete(c, ev);
		id = push(c, &n);
		while (id) {
			if (!compose_event(c, &sub)) {
				id = 0;
				break;
			}
			if (sub.type == YAML_MAPPING_END_EVENT) {
				yaml_document_get_node(&c->doc, id)->end_mark =
					sub.end_mark;
				compose_event_delete(c, &sub);
				break;
			}
			key = compose_node(c, &sub);
			if (!key || !compose_event(c, &sub)) {
				id = 0;
				break;
			}
			item = compose_node(c, &sub);
			if (!item || !compose_append_pair(c, id, key, item))
				id = 0;
		}
		break;
	default:
		compose_fail(c, ev->start_mark, "unexpected YAML structure");
		compose_event_delete(c, ev);
		return 0;
	}
	if (id && !take_anchor(c, &anchor, id))
		id = 0;
	free(anchor);
	return id;
}

bool compose_skip(struct composer *c, yaml_event_t *ev)
{
	int depth = 0;

	for (;;) {
		switch (ev->type) {
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			depth++;
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			depth--;
			break;
		default:
			break;
		}
		compose_event_delete(c, ev);
		if (depth <= 0)
			return true;
		if (!compose_event(c, ev))
			return false;
	}
}
