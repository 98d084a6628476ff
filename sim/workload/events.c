// SPDX-License-Identifier: GPL-2.0
/*
 * The loader's events: the names objects are given (as:), call sites, one
 * event mapping or compact scalar checked into a struct wl_event, and the
 * stream that reads them from the file while the run simulates (see
 * "Streaming the events"). Part of the loader (sim/workload/loader.h).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "sim/workload/include.h"
#include "sim/workload/loader.h"

/* ------------------------------------------------------------------ */
/* Names given by as:                                                  */
/* ------------------------------------------------------------------ */

/* FNV-1a: only used to find names, never to order anything. */
uint32_t name_hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* The slot a name is bound to now, or -1. */
static int name_find(const struct loader *ld, const char *s)
{
	size_t i, mask = ld->hash_cap - 1;
	uint32_t h = name_hash(s), slot;

	if (!ld->hash_cap)
		return -1;
	for (i = h & mask; (slot = ld->hash[i]); i = (i + 1) & mask)
		if (ld->ni[slot - 1].hash == h &&
		    !strcmp(ld->wl->names[slot - 1], s))
			return (int)slot - 1;
	return -1;
}

static void hash_insert(struct loader *ld, size_t slot)
{
	size_t i, mask = ld->hash_cap - 1;

	for (i = ld->ni[slot].hash & mask; ld->hash[i]; i = (i + 1) & mask)
		;
	ld->hash[i] = (uint32_t)slot + 1;
	ld->hash_used++;
}

/* Unbind slot's name: linear probing's deletion, moving back what follows. */
static void hash_remove(struct loader *ld, size_t slot)
{
	size_t i, j, k, mask = ld->hash_cap - 1;

	for (i = ld->ni[slot].hash & mask; ld->hash[i] != slot + 1;
	     i = (i + 1) & mask)
		;
	ld->hash[i] = 0;
	ld->hash_used--;
	for (j = (i + 1) & mask; ld->hash[j]; j = (j + 1) & mask) {
		k = ld->ni[ld->hash[j] - 1].hash & mask;
		/* can the entry at j live at i? (k not cyclically in (i, j]) */
		if (i <= j ? (k <= i || k > j) : (k <= i && k > j)) {
			ld->hash[i] = ld->hash[j];
			ld->hash[j] = 0;
			i = j;
		}
	}
}

/* A slot nobody refers to any more goes back on the free list. */
static void slot_reuse(struct loader *ld, int slot)
{
	struct name_info *ni = &ld->ni[slot];

	if (ni->forgotten && !ni->refs && !ld->all) {
		ni->forgotten = false;
		ni->next_free = ld->free_slot;
		ld->free_slot = slot;
	}
}

/* The slot loses its name; it is reused once the runner lets go of it. */
static void slot_forget(struct loader *ld, int slot)
{
	struct name_info *ni = &ld->ni[slot];

	if (ni->named) {
		hash_remove(ld, (size_t)slot);
		ni->named = false;
	}
	ni->forgotten = true;
	slot_reuse(ld, slot);
}

/*
 * A fresh slot bound to name s (any earlier binding of s already gone);
 * -1 (error set, nothing changed) on OOM.
 */
static int slot_new(struct loader *ld, const char *s)
{
	struct workload *wl = ld->wl;
	size_t i, n = wl->nr_names, cap = ld->names_cap;
	int slot = ld->free_slot;

	if (slot < 0) {
		if (n >= (size_t)INT32_MAX - 1) {
			fail_pos(ld, nopos, "too many names in use");
			return -1;
		}
		if (!grow(ld, (void **)&wl->names, &ld->names_cap, n,
			  sizeof(*wl->names)))
			return -1;
		if (cap != ld->names_cap) {
			void *p = realloc(ld->ni, ld->names_cap * sizeof(*ld->ni));

			if (!p) {
				fail_pos(ld, nopos, "out of memory");
				return -1;
			}
			ld->ni = p;
		}
	}
	if ((ld->hash_used + 1) * 2 > ld->hash_cap) {
		size_t ncap = ld->hash_cap ? ld->hash_cap * 2 : 64;
		uint32_t *h = calloc(ncap, sizeof(*h)), *old = ld->hash;
		size_t ocap = ld->hash_cap;

		if (!h) {
			fail_pos(ld, nopos, "out of memory");
			return -1;
		}
		ld->hash = h;
		ld->hash_cap = ncap;
		ld->hash_used = 0;
		for (i = 0; i < ocap; i++)
			if (old[i])
				hash_insert(ld, old[i] - 1);
		free(old);
	}
	if (slot < 0) {
		slot = (int)n;
		wl->nr_names++;
	} else {
		ld->free_slot = ld->ni[slot].next_free;
	}
	size_t len = strlen(s);	/* printable_name kept it under 64 */

	memcpy(wl->names[slot], s, len + 1);
	uint32_t gen = (size_t)slot < n ? ld->ni[slot].gen + 1 : 0;
	memset(&ld->ni[slot], 0, sizeof(ld->ni[slot]));
	ld->ni[slot].gen = gen;
	ld->ni[slot].hash = name_hash(s);
	ld->ni[slot].named = true;
	hash_insert(ld, (size_t)slot);
	return slot;
}

/*
 * A name was freed: it stays findable for WL_DEAD_NAMES more frees. A
 * slot in the ring that was bound again meanwhile is already forgotten.
 */
static bool slot_dead(struct loader *ld, int slot)
{
	if (!ld->dead) {
		ld->dead = malloc(WL_DEAD_NAMES * sizeof(*ld->dead));
		if (!ld->dead)
			return fail_pos(ld, nopos, "out of memory");
	}
	if (ld->dead_n == WL_DEAD_NAMES) {
		struct dead_name old = ld->dead[ld->dead_head];
		struct name_info *ni = &ld->ni[old.slot];

		ld->dead_head = (ld->dead_head + 1) % WL_DEAD_NAMES;
		ld->dead_n--;
		if (ni->gen == old.gen && !ni->live && !ni->forgotten)
			slot_forget(ld, old.slot);
	}
	ld->dead[(ld->dead_head + ld->dead_n) % WL_DEAD_NAMES] =
		(struct dead_name){ slot, ld->ni[slot].gen };
	ld->dead_n++;
	return true;
}

void workload_slot_hold(struct workload *wl, int slot)
{
	wl->ld->ni[slot].refs++;
}

void workload_slot_put(struct workload *wl, int slot)
{
	struct loader *ld = wl->ld;

	ld->ni[slot].refs--;
	slot_reuse(ld, slot);
}

size_t workload_nr_slots(const struct workload *wl)
{
	return wl->nr_names;
}

/* ------------------------------------------------------------------ */
/* Call sites                                                          */
/* ------------------------------------------------------------------ */

/* Room for len + 1 bytes of site text; NULL (error set) on OOM. */
static char *site_text_room(struct loader *ld, size_t len)
{
	char **v, *b;

	if (ld->nr_site_blocks && ld->site_block_used + len + 1 <= SITE_BLOCK) {
		b = ld->site_blocks[ld->nr_site_blocks - 1] + ld->site_block_used;
		ld->site_block_used += len + 1;
		return b;
	}
	v = realloc(ld->site_blocks, (ld->nr_site_blocks + 1) * sizeof(*v));
	if (!v)
		return fail_pos(ld, nopos, "out of memory"), NULL;
	ld->site_blocks = v;
	b = malloc(SITE_BLOCK);
	if (!b)
		return fail_pos(ld, nopos, "out of memory"), NULL;
	ld->site_blocks[ld->nr_site_blocks++] = b;
	ld->site_block_used = len + 1;
	return b;
}

/* The site's index, interned on first use; -1 (error set) on OOM. */
static int site_intern(struct loader *ld, const char *s)
{
	size_t i, mask, len;
	char *text;

	if ((ld->nr_sites + 1) * 2 > ld->site_hash_cap) {
		size_t ncap = ld->site_hash_cap ? ld->site_hash_cap * 2 : 64;
		uint32_t *h = calloc(ncap, sizeof(*h));

		if (!h)
			return fail_pos(ld, nopos, "out of memory"), -1;
		free(ld->site_hash);
		ld->site_hash = h;
		ld->site_hash_cap = ncap;
		for (size_t k = 0; k < ld->nr_sites; k++) {
			for (i = ld->sites[k].hash & (ncap - 1); h[i];
			     i = (i + 1) & (ncap - 1))
				;
			h[i] = (uint32_t)k + 1;
		}
	}
	uint32_t h = name_hash(s);

	mask = ld->site_hash_cap - 1;
	for (i = h & mask; ld->site_hash[i]; i = (i + 1) & mask) {
		const struct site_ent *e = &ld->sites[ld->site_hash[i] - 1];

		if (e->hash == h && !strcmp(e->text, s))
			return (int)ld->site_hash[i] - 1;
	}
	len = strnlen(s, WL_MAX_SITE);
	if (!grow(ld, (void **)&ld->sites, &ld->sites_cap, ld->nr_sites,
		  sizeof(*ld->sites)) || !(text = site_text_room(ld, len)))
		return -1;
	memcpy(text, s, len);
	text[len] = '\0';
	ld->sites[ld->nr_sites].text = text;
	ld->sites[ld->nr_sites].hash = h;
	ld->site_hash[i] = (uint32_t)ld->nr_sites + 1;
	return (int)ld->nr_sites++;
}

const char *workload_site(const struct workload *wl, int site)
{
	return wl->ld && site >= 0 && (size_t)site < wl->ld->nr_sites ?
	       wl->ld->sites[site].text : "?";
}

size_t workload_nr_sites(const struct workload *wl)
{
	return wl->ld ? wl->ld->nr_sites : 0;
}

/* ------------------------------------------------------------------ */
/* Events                                                              */
/* ------------------------------------------------------------------ */

/* site: the event's call site, any one-line text; interned. */
static bool h_site(struct loader *ld, yaml_node_t *v, void *field,
		   const struct key_row *row)
{
	char q[QUOTE_MAX];
	const char *s = text(ld, v, "site");

	if (!s)
		return false;
	size_t len = strlen(s);
	bool ok = len >= 1 && len <= WL_MAX_SITE;

	for (const char *c = s; ok && *c; c++)
		ok = (unsigned char)*c >= 0x20 && *c != 0x7f;
	if (!ok)
		return fail(ld, v, "bad site '%s' (1 to %d characters, no control characters)",
			    quote(q, v), WL_MAX_SITE);
	*(int *)field = site_intern(ld, s);
	return *(int *)field >= 0;
}

/* Event keys; the operation rows follow in the order of enum wl_op. */
enum { EK_T, EK_CPU, EK_GFP, EK_AS, EK_NODE, EK_BYTES, EK_WRITE, EK_SITE,
       EK_OFFSET, EK_REPEAT, EK_OP0, EK_NR = EK_OP0 + WL_NR_OPS };

#define WL_MAX_REPEAT	1000000		/* passes of one walk */

enum argkind { A_CACHE, A_NAME, A_SIZE, A_TRUE, A_TUNE, A_CPU, A_POLICY,
	       A_GEN };

#define K(k) (1u << (k))
#define RUNS (K(EK_CPU))
#define ALLOCS (K(EK_CPU) | K(EK_GFP) | K(EK_AS))

/* Which of the common keys each operation takes, and which it needs. */
static const struct op_info {
	const char *key;
	enum argkind arg;
	unsigned int allowed, required;
} ops[] = {
	[WL_ALLOC] = { "alloc", A_CACHE, ALLOCS, K(EK_AS) },
	[WL_ALLOC_NODE] = { "alloc_node", A_CACHE, ALLOCS | K(EK_NODE),
			    K(EK_AS) | K(EK_NODE) },
	[WL_ZALLOC] = { "zalloc", A_CACHE, ALLOCS, K(EK_AS) },
	[WL_FREE] = { "free", A_NAME, RUNS, 0 },
	[WL_KMALLOC] = { "kmalloc", A_SIZE, ALLOCS, K(EK_AS) },
	[WL_KMALLOC_NODE] = { "kmalloc_node", A_SIZE, ALLOCS | K(EK_NODE),
			      K(EK_AS) | K(EK_NODE) },
	[WL_KFREE] = { "kfree", A_NAME, RUNS, 0 },
	[WL_TOUCH] = { "touch", A_NAME, RUNS | K(EK_BYTES) | K(EK_WRITE), 0 },
	[WL_SLABINFO] = { "slabinfo", A_TRUE, RUNS, 0 },
	[WL_TUNE] = { "tune", A_TUNE, RUNS, 0 },
	[WL_SHRINK] = { "shrink", A_CACHE, RUNS, 0 },
	[WL_DESTROY] = { "destroy", A_CACHE, RUNS, 0 },
	[WL_CREATE] = { "create", A_CACHE, RUNS, 0 },
	[WL_CPU_DOWN] = { "cpu_down", A_CPU, 0, 0 },
	[WL_CPU_UP] = { "cpu_up", A_CPU, 0, 0 },
	[WL_MEMPOLICY] = { "mempolicy", A_POLICY, 0, 0 },
	[WL_WALK] = { "walk", A_CACHE, RUNS | K(EK_BYTES) | K(EK_WRITE) |
		      K(EK_OFFSET) | K(EK_REPEAT), 0 },
	[WL_FREE_ALL] = { "free_all", A_GEN, RUNS, 0 },
};
_Static_assert(ARRAY_SIZE(ops) == WL_NR_OPS, "one op_info per op");

/* An event as it is read: the event plus what the finish step needs. */
struct ev_raw {
	struct wl_event ev;
	uint64_t bytes;
};

#define EV(f) offsetof(struct ev_raw, ev.f)

static const struct key_row event_rows[] = {
	[EK_T] = { "t", YAML_SCALAR_NODE, h_dur, EV(t), NULL, 0, 0 },
	[EK_CPU] = { "cpu", YAML_SCALAR_NODE, h_int, EV(cpu), NULL, 0, WL_MAX_CPUS - 1 },
	[EK_GFP] = { "gfp", YAML_NO_NODE, h_gfp, EV(gfp), NULL, 0, 0 },
	[EK_AS] = { "as", YAML_SCALAR_NODE, h_nop, 0, NULL, 0, 0 },
	[EK_NODE] = { "node", YAML_SCALAR_NODE, h_int, EV(node), NULL, 0, WL_MAX_NODES - 1 },
	[EK_BYTES] = { "bytes", YAML_SCALAR_NODE, h_size, offsetof(struct ev_raw, bytes), NULL, 0, 0 },
	[EK_WRITE] = { "write", YAML_SCALAR_NODE, h_bool, EV(write), NULL, 0, 0 },
	[EK_SITE] = { "site", YAML_SCALAR_NODE, h_site, EV(site), NULL, 0, 0 },
	[EK_OFFSET] = { "offset", YAML_SCALAR_NODE, h_size, EV(offset), NULL, 0, 0 },
	[EK_REPEAT] = { "repeat", YAML_SCALAR_NODE, h_int, EV(repeat), NULL, 1, WL_MAX_REPEAT },
	[EK_OP0 + WL_ALLOC] = { "alloc", YAML_SCALAR_NODE, h_nop, 0, NULL, 0, 0 },
	[EK_OP0 + WL_ALLOC_NODE] = { "alloc_node", YAML_SCALAR_NODE, h_nop, 0, NULL, 0, 0 },
	[EK_OP0 + WL_ZALLOC] = { "zalloc", YAML_SCALAR_NODE, h_nop, 0, NULL, 0, 0 },
	[EK_OP0 + WL_FREE] = { "free", YAML_SCALAR_NODE, h_nop, 0, NULL, 0, 0 },
	[EK_OP0 + WL_KMALLOC] = { "kmalloc", YAML_SCALAR_NODE, h_nop, 0, NULL, 0, 0 },
	[EK_OP0 + WL_KMALLOC_NODE] = { "kmalloc_node", YAML_SCALAR_NODE, h_nop, 0, NULL, 0, 0 },
	[EK_OP0 + WL_KFREE] = { "kfree", YAML_SCALAR_NODE, h_nop, 0, NULL, 0, 0 },
	[EK_OP0 + WL_TOUCH] = { "touch", YAML_SCALAR_NODE, h_nop, 0, NULL, 0, 0 },
	[EK_OP0 + WL_SLABINFO] = { "slabinfo", YAML_SCALAR_NODE, h_nop, 0, NULL, 0, 0 },
	[EK_OP0 + WL_TUNE] = { "tune", YAML_MAPPING_NODE, h_nop, 0, NULL, 0, 0 },
	[EK_OP0 + WL_SHRINK] = { "shrink", YAML_SCALAR_NODE, h_nop, 0, NULL, 0, 0 },
	[EK_OP0 + WL_DESTROY] = { "destroy", YAML_SCALAR_NODE, h_nop, 0, NULL, 0, 0 },
	[EK_OP0 + WL_CREATE] = { "create", YAML_SCALAR_NODE, h_nop, 0, NULL, 0, 0 },
	[EK_OP0 + WL_CPU_DOWN] = { "cpu_down", YAML_SCALAR_NODE, h_nop, 0, NULL, 0, 0 },
	[EK_OP0 + WL_CPU_UP] = { "cpu_up", YAML_SCALAR_NODE, h_nop, 0, NULL, 0, 0 },
	[EK_OP0 + WL_MEMPOLICY] = { "mempolicy", YAML_MAPPING_NODE, h_nop, 0, NULL, 0, 0 },
	[EK_OP0 + WL_WALK] = { "walk", YAML_SCALAR_NODE, h_nop, 0, NULL, 0, 0 },
	[EK_OP0 + WL_FREE_ALL] = { "free_all", YAML_SCALAR_NODE, h_nop, 0, NULL, 0, 0 },
};
TABLE(event_table, "event", event_rows);
_Static_assert(ARRAY_SIZE(event_rows) == EK_NR, "event rows");

#undef EV

/* mempolicy: {cpu, policy, nodes, spread_slab} */
struct mp_raw {
	int cpu;
	int policy;
	uint64_t mask;
	bool spread_slab;
};

static bool h_policy(struct loader *ld, yaml_node_t *v, void *field,
		     const struct key_row *row)
{
	static const char *const names[] = {
		[WL_POLICY_DEFAULT] = "default",
		[WL_POLICY_INTERLEAVE] = "interleave",
		[WL_POLICY_BIND] = "bind",
		[WL_POLICY_PREFERRED] = "preferred",
	};
	char q[QUOTE_MAX];
	const char *s = text(ld, v, "policy");
	size_t i;

	if (!s)
		return false;
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		if (!strcmp(s, names[i])) {
			*(int *)field = (int)i;
			return true;
		}
	}
	return fail(ld, v, "bad policy '%s' (expected default, interleave, bind or preferred)",
		    quote(q, v));
}

static bool h_nodes(struct loader *ld, yaml_node_t *v, void *field,
		    const struct key_row *row)
{
	struct mp_raw *mp = field;
	yaml_node_item_t *it;

	for (it = v->data.sequence.items.start;
	     it < v->data.sequence.items.top; it++) {
		yaml_node_t *n = node_at(ld, *it);
		int node = 0;	/* get_int sets it when it succeeds */

		if (!get_int(ld, n, "node", 0, WL_MAX_NODES - 1, &node))
			return false;
		if (mp->mask & (1ULL << node))
			return fail(ld, n, "node %d is listed twice", node);
		mp->mask |= 1ULL << node;
	}
	return true;
}

enum { PK_CPU, PK_POLICY, PK_NODES, PK_SPREAD, PK_NR };

static const struct key_row policy_rows[] = {
	[PK_CPU] = { "cpu", YAML_SCALAR_NODE, h_int, offsetof(struct mp_raw, cpu), NULL, 0, WL_MAX_CPUS - 1 },
	[PK_POLICY] = { "policy", YAML_SCALAR_NODE, h_policy, offsetof(struct mp_raw, policy), NULL, 0, 0 },
	[PK_NODES] = { "nodes", YAML_SEQUENCE_NODE, h_nodes, 0, NULL, 0, 0 },
	/* the task's cpuset has memory_spread_slab: PF_SPREAD_SLAB */
	[PK_SPREAD] = { "spread_slab", YAML_SCALAR_NODE, h_bool, offsetof(struct mp_raw, spread_slab), NULL, 0, 0 },
};
TABLE(policy_table, "mempolicy", policy_rows);
_Static_assert(ARRAY_SIZE(policy_rows) == PK_NR, "policy rows");

static void cpu_state_init(struct cpu_state *cs, int cpus)
{
	int i;

	memset(cs, 0, sizeof(*cs));
	for (i = 0; i < cpus && i < WL_MAX_CPUS; i++)
		cs->online[i] = true;
	cs->nr_online = cpus;
}

const char *plural(int n)
{
	return n == 1 ? "" : "s";
}

/*
 * The event against the machine: CPU and node in range, the CPU online.
 * Steps cs through hotplug events. Shared by loading (positions of the
 * exact nodes) and validate() after an override (the event's position).
 */
static bool event_vs_machine(struct loader *ld, const struct wl_event *ev,
			     struct cpu_state *cs, struct pos pcpu,
			     struct pos pnode)
{
	const struct wl_machine *m = &ld->wl->machine;
	int cpu = ops[ev->op].arg == A_CPU || ev->op == WL_MEMPOLICY ?
		  ev->node : ev->cpu;

	if (cpu < 0 || cpu >= m->cpus)
		return fail_pos(ld, pcpu,
				"cpu %d is out of range (the machine has %d CPU%s: 0-%d)",
				cpu, m->cpus, plural(m->cpus), m->cpus - 1);
	switch (ev->op) {
	case WL_CPU_DOWN:
		if (!cs->online[cpu])
			return fail_pos(ld, pcpu,
					"cpu_down %d: that CPU is already offline (taken down at line %u)",
					cpu, cs->down_line[cpu]);
		if (cs->nr_online == 1)
			return fail_pos(ld, pcpu,
					"cpu_down %d would take down the last online CPU",
					cpu);
		cs->online[cpu] = false;
		cs->down_line[cpu] = ev->line;
		cs->nr_online--;
		return true;
	case WL_CPU_UP:
		if (cs->online[cpu])
			return fail_pos(ld, pcpu,
					"cpu_up %d: that CPU is already online",
					cpu);
		cs->online[cpu] = true;
		cs->nr_online++;
		return true;
	case WL_MEMPOLICY:
		if (m->nodes < 64 && (ev->nodemask >> m->nodes))
			return fail_pos(ld, pnode,
					"mempolicy names node %d, but the machine has %d node%s",
					63 - __builtin_clzll(ev->nodemask),
					m->nodes, plural(m->nodes));
		return true;
	default:
		break;
	}
	if (!cs->online[cpu])
		return fail_pos(ld, pcpu,
				"cpu %d is offline (cpu_down at line %u)", cpu,
				cs->down_line[cpu]);
	if ((ev->op == WL_ALLOC_NODE || ev->op == WL_KMALLOC_NODE) &&
	    ev->node >= m->nodes)
		return fail_pos(ld, pnode,
				"node %d is out of range (the machine has %d node%s)",
				ev->node, m->nodes, plural(m->nodes));
	return true;
}

/* A cache's life while the events are replayed, checked per operation. */
static bool cache_life(struct loader *ld, struct wl_event *ev,
		       yaml_node_t *arg)
{
	const struct wl_cache *c = &ld->wl->caches[ev->cache];
	enum cache_state *st = &ld->cstate[ev->cache];
	char a[32], b[32];

	if (*st == CS_PENDING && ev->op != WL_CREATE)
		return fail(ld, arg, "cache '%s' does not exist yet at t=%s (it is created at t=%s)",
			    c->name, fmt_ns(a, sizeof(a), ev->t),
			    fmt_ns(b, sizeof(b), c->create_t));
	switch (ev->op) {
	case WL_CREATE:
		if (*st == CS_PENDING)
			return fail(ld, arg, "create of '%s' before its declaration creates it (at t=%s)",
				    c->name, fmt_ns(b, sizeof(b), c->create_t));
		if (*st == CS_LIVE)
			return fail(ld, arg, "create of '%s', which already exists (destroy it first)",
				    c->name);
		*st = CS_LIVE;
		break;
	case WL_DESTROY:
		/* a second destroy is handed to the kernel, like a double free */
		*st = CS_DESTROYED;
		break;
	default:
		break;
	}
	return true;
}

/*
 * [offset, offset + bytes) of a walk lies inside the cache's objects (a
 * whole-object walk reads from offset to the end, whatever the size).
 * Checked on loading and again after an override changes the size.
 */
static bool walk_fits(struct loader *ld, const struct wl_event *ev,
		      struct pos p)
{
	const struct wl_cache *c = &ld->wl->caches[ev->cache];

	if (ev->offset >= c->size)
		return fail_pos(ld, p, "walk offset %" PRIu64 " is past the end of '%s' objects (%" PRIu64 " bytes)",
				ev->offset, c->name, c->size);
	if (!ev->whole && ev->size > c->size - ev->offset)
		return fail_pos(ld, p, "walk of %" PRIu64 " bytes at offset %" PRIu64 " does not fit in '%s' objects (%" PRIu64 " bytes)",
				ev->size, ev->offset, c->name, c->size);
	return true;
}

/*
 * A walk's range within the cache's objects, and its defaults: the whole
 * object from offset, a read, one pass.
 */
static bool event_walk(struct loader *ld, struct ev_raw *r,
		       const struct seen *seen, yaml_node_t *arg)
{
	struct wl_event *ev = &r->ev;
	uint64_t size = ld->wl->caches[ev->cache].size;

	if (!seen[EK_WRITE].val)
		ev->write = false;
	if (!seen[EK_REPEAT].val)
		ev->repeat = 1;
	ev->whole = !seen[EK_BYTES].val;
	ev->size = !ev->whole ? r->bytes : ev->offset < size ? size - ev->offset : 0;
	if (seen[EK_BYTES].val && r->bytes == 0)
		return fail(ld, seen[EK_BYTES].val, "walk of 0 bytes (leave bytes: out to read the whole object)");
	return walk_fits(ld, ev, pos_of(seen[EK_BYTES].val ? seen[EK_BYTES].val :
				       seen[EK_OFFSET].val ? seen[EK_OFFSET].val : arg));
}

/*
 * free_all: GENERATOR, by the generator's name:, which must hold its
 * objects until such an event (lifetime: until_free_all). Generators are
 * loaded before the events, so every name is known here.
 */
static bool event_free_all(struct loader *ld, struct wl_event *ev,
			   yaml_node_t *arg)
{
	const struct workload *wl = ld->wl;
	char q[QUOTE_MAX];
	const char *s = text(ld, arg, "free_all");
	size_t i;

	if (!s)
		return false;
	for (i = 0; i < wl->nr_generators; i++)
		if (!strcmp(wl->generators[i].name, s))
			break;
	if (i == wl->nr_generators)
		return fail(ld, arg, "free_all of '%s': no generator has that name: (give it one with name:)",
			    quote(q, arg));
	if (wl->generators[i].lifetime != WL_DIST_HELD)
		return fail(ld, arg, "free_all of '%s': that generator frees its objects itself (free_all takes a generator with lifetime: until_free_all)",
			    quote(q, arg));
	ev->gen = (int)i;
	return true;
}

/* The operation's own value, and the names it allocates or refers to. */
static bool event_arg(struct loader *ld, struct ev_raw *r, struct seen *seen,
		      yaml_node_t *arg, struct pos *pcpu, struct pos *pnode)
{
	struct wl_event *ev = &r->ev;
	const struct op_info *oi = &ops[ev->op];
	struct seen ts[TK_NR], ps[PK_NR];
	struct name_info *ni;
	struct mp_raw mp;
	const char *s;
	char q[QUOTE_MAX];
	bool b;
	int n;

	switch (oi->arg) {
	case A_CACHE:
		ev->cache = cache_ref(ld, arg, oi->key);
		if (ev->cache < 0 || !cache_life(ld, ev, arg))
			return false;
		return ev->op != WL_WALK || event_walk(ld, r, seen, arg);
	case A_TUNE:
		ev->tune.limit = ev->tune.batchcount = ev->tune.shared = -1;
		if (!walk_map(ld, arg, &tune_ev_table, &ev->tune, ts))
			return false;
		if (!ts[TK_CACHE].val)
			return fail(ld, arg, "tune needs cache: (which cache to tune)");
		if (!check_tune(ld, &ev->tune, pos_of(arg), true /* need_all */))
			return false;
		ev->cache = cache_ref(ld, ts[TK_CACHE].val, "cache");
		return ev->cache >= 0 && cache_life(ld, ev, ts[TK_CACHE].val);
	case A_NAME:
		s = text(ld, arg, oi->key);
		if (!s)
			return false;
		n = name_find(ld, s);
		if (n < 0)
			return fail(ld, arg, "%s of '%s', which was never allocated (or was freed more than %d frees ago)",
				    oi->key, quote(q, arg), WL_DEAD_NAMES);
		ni = &ld->ni[n];
		ev->name = n;
		ev->cache = ni->cache;
		if (ev->op == WL_TOUCH) {
			ev->whole = !seen[EK_BYTES].val;
			ev->size = ev->whole ? ni->size : r->bytes;
		} else if (ni->live) {
			/* freeing a dead name is a double free: the kernel's */
			ni->live = false;
			return slot_dead(ld, n);
		}
		return true;
	case A_SIZE:
		return get_size(ld, arg, oi->key, true, &ev->size);
	case A_TRUE:
		if (!get_bool(ld, arg, oi->key, &b))
			return false;
		if (!b)
			return fail(ld, arg, "slabinfo takes true (drop the event to skip the snapshot)");
		return true;
	case A_CPU:
		/* the CPU coming or going is the target, in node */
		*pcpu = pos_of(arg);
		ev->cpu = -1;
		return get_int(ld, arg, "cpu", 0, WL_MAX_CPUS - 1, &ev->node);
	case A_POLICY:
		memset(&mp, 0, sizeof(mp));
		if (!walk_map(ld, arg, &policy_table, &mp, ps))
			return false;
		if (!ps[PK_POLICY].val)
			return fail(ld, arg, "mempolicy needs policy: (default, interleave, bind or preferred)");
		/* like cpu_down: the task's CPU is the target, in node */
		ev->cpu = -1;
		ev->node = mp.cpu;
		ev->policy = (enum wl_policy)mp.policy;
		ev->nodemask = mp.mask;
		ev->spread_slab = mp.spread_slab;
		*pcpu = seen_pos(&ps[PK_CPU], arg);
		*pnode = seen_pos(&ps[PK_NODES], arg);
		if (mp.policy == WL_POLICY_DEFAULT && mp.mask)
			return fail(ld, ps[PK_NODES].val, "policy default takes no nodes");
		if ((mp.policy == WL_POLICY_INTERLEAVE ||
		     mp.policy == WL_POLICY_BIND) && !mp.mask)
			return fail(ld, arg, "policy %s needs nodes: [..]",
				    mp.policy == WL_POLICY_BIND ? "bind" : "interleave");
		if (mp.policy == WL_POLICY_PREFERRED &&
		    (!mp.mask || (mp.mask & (mp.mask - 1))))
			return fail(ld, arg, "policy preferred needs exactly one node");
		return true;
	case A_GEN:
		return event_free_all(ld, ev, arg);
	}
	return false;
}

/* as: NAME on an allocation: a new name, or one that is no longer live. */
static bool event_as(struct loader *ld, struct wl_event *ev, yaml_node_t *v)
{
	char q[QUOTE_MAX];
	const char *s = text(ld, v, "as");
	struct name_info *ni;
	int n;

	if (!s)
		return false;
	if (!printable_name(s, true))
		return fail(ld, v, "bad name '%s' (1 to 63 characters, no control characters)",
			    quote(q, v));
	n = name_find(ld, s);
	if (n >= 0 && ld->ni[n].live)
		return fail(ld, v, "'%s' is still live (allocated at line %u); free it first or pick another name",
			    quote(q, v), ld->ni[n].line);
	/* a new object: a new slot, while events may still hold the old */
	if (n >= 0)
		slot_forget(ld, n);
	n = slot_new(ld, s);
	if (n < 0)
		return false;
	ni = &ld->ni[n];
	ni->live = true;
	ni->line = pos_of(v).line;
	ni->cache = ev->cache;
	ni->size = ev->cache >= 0 ? ld->wl->caches[ev->cache].size : ev->size;
	ev->name = n;
	return true;
}

/* Queues ev for workload_next_event; false (error set) on OOM. */
static bool add_event(struct loader *ld, const struct wl_event *ev)
{
	if (ld->out_head && ld->out_head == ld->out_n) {
		ld->out_head = ld->out_n = 0;
	} else if (ld->out_head && ld->out_n == ld->out_cap) {
		memmove(ld->outq, ld->outq + ld->out_head,
			(ld->out_n - ld->out_head) * sizeof(*ev));
		ld->out_n -= ld->out_head;
		ld->out_head = 0;
	}
	if (!grow(ld, (void **)&ld->outq, &ld->out_cap, ld->out_n,
		  sizeof(*ev)))
		return false;
	ld->outq[ld->out_n++] = *ev;
	return true;
}

/*
 * A cache declared with t: is created by a WL_CREATE event the loader
 * writes at that time, ahead of the file's events of the same time, so
 * the runner has one way to create a cache. Emits, in (t, declaration)
 * order, those due by upto. The lowest online CPU runs the creation.
 */
static bool create_pending(struct loader *ld, uint64_t upto)
{
	struct workload *wl = ld->wl;
	struct wl_event ev;
	size_t i;
	int next, cpu;

	if (upto < ld->next_create)	/* the common case: nothing due */
		return true;
	for (;;) {
		next = -1;
		for (i = 0; i < wl->nr_caches; i++)
			if (ld->cstate[i] == CS_PENDING &&
			    wl->caches[i].create_t <= upto &&
			    (next < 0 || wl->caches[i].create_t <
					 wl->caches[next].create_t))
				next = (int)i;
		if (next < 0) {
			ld->next_create = UINT64_MAX;
			for (i = 0; i < wl->nr_caches; i++)
				if (ld->cstate[i] == CS_PENDING &&
				    wl->caches[i].create_t < ld->next_create)
					ld->next_create = wl->caches[i].create_t;
			return true;
		}
		for (cpu = 0; cpu < WL_MAX_CPUS - 1 && !ld->cpus.online[cpu]; cpu++)
			;
		memset(&ev, 0, sizeof(ev));
		ev.t = wl->caches[next].create_t;
		ev.cpu = cpu;
		ev.op = WL_CREATE;
		ev.cache = next;
		ev.name = ev.node = -1;
		ev.gfp = GFP_KERNEL;
		ev.tune.limit = ev.tune.batchcount = ev.tune.shared = -1;
		ev.site = -1;
		ev.line = wl->caches[next].line;
		ev.col = wl->caches[next].col;
		ld->cstate[next] = CS_LIVE;
		if (!add_event(ld, &ev))
			return false;
	}
}

/*
 * Turns one walked event map into a wl_event and appends it: one
 * operation, its keys, time order, names, cache life, CPU and node.
 */
static bool finish_event(struct loader *ld, yaml_node_t *item,
			 struct ev_raw *r, struct seen *seen)
{
	struct wl_event *ev = &r->ev;
	const struct op_info *oi;
	struct pos pcpu, pnode;
	char list[LIST_MAX], q[QUOTE_MAX], a[32];
	int k, op = -1;
	size_t i, o = 0;

	for (k = EK_OP0; k < EK_NR; k++) {
		yaml_node_t *first, *later;

		if (!seen[k].key)
			continue;
		if (op < 0) {
			op = k - EK_OP0;
			continue;
		}
		first = seen[EK_OP0 + op].key;
		later = seen[k].key;
		if (later->start_mark.index < first->start_mark.index) {
			first = later;
			later = seen[EK_OP0 + op].key;
		}
		return fail(ld, later, "event has two operations, '%s' and '%s' (write one event each)",
			    (const char *)first->data.scalar.value,
			    (const char *)later->data.scalar.value);
	}
	if (op < 0) {
		for (i = 0; i < WL_NR_OPS && o < sizeof(list); i++)
			o += (size_t)snprintf(list + o, sizeof(list) - o, "%s%s",
					      i ? ", " : "", ops[i].key);
		return fail(ld, item, "event has no operation (expected one of: %s)",
			    list);
	}
	ev->op = (enum wl_op)op;
	oi = &ops[op];
	/*
	 * Each snapshot is a file of the run: a bound, also on a few lines
	 * of YAML aliasing one snapshot event over and over.
	 */
	if (ev->op == WL_SLABINFO && ++ld->nr_snapshots > WL_MAX_SNAPSHOTS)
		return fail(ld, item, "more than %d slabinfo snapshots",
			    WL_MAX_SNAPSHOTS);
	if (!seen[EK_T].val)
		return fail(ld, item, "%s event needs t: (when it happens)",
			    oi->key);
	if (ev->t < ld->last_t)
		return fail(ld, seen[EK_T].val, "t '%s' goes backwards (the event at line %u is at t=%s)",
			    quote(q, seen[EK_T].val), ld->last_line,
			    fmt_ns(a, sizeof(a), ld->last_t));
	for (k = EK_CPU; k < EK_OP0; k++) {
		if (k == EK_SITE)	/* every event may name its call site */
			continue;
		if (seen[k].key && !(oi->allowed & K(k)))
			return fail(ld, seen[k].key, "'%s' does not apply to %s",
				    event_rows[k].key, oi->key);
		if (!seen[k].key && (oi->required & K(k)))
			return fail(ld, seen[EK_OP0 + op].key, "%s needs %s:",
				    oi->key, event_rows[k].key);
	}
	if (!create_pending(ld, ev->t))
		return false;
	ev->line = pos_of(item).line;
	ev->col = pos_of(item).col;
	pcpu = seen_pos(&seen[EK_CPU], item);
	pnode = seen_pos(&seen[EK_NODE], item);
	if (!event_arg(ld, r, seen, seen[EK_OP0 + op].val, &pcpu, &pnode))
		return false;
	if ((oi->allowed & K(EK_AS)) && !event_as(ld, ev, seen[EK_AS].val))
		return false;
	if (!event_vs_machine(ld, ev, &ld->cpus, pcpu, pnode))
		return false;
	ld->last_t = ev->t;
	ld->last_line = ev->line;
	return add_event(ld, ev);
}

/* Ready to read events: every cache's state at t=0, every CPU online. */
static bool events_begin(struct loader *ld)
{
	struct workload *wl = ld->wl;
	size_t i;

	ld->cstate = calloc(wl->nr_caches + 1, sizeof(*ld->cstate));
	if (!ld->cstate)
		return fail_pos(ld, nopos, "out of memory");
	ld->next_create = 0;	/* create_pending works it out */
	for (i = 0; i < wl->nr_caches; i++)
		ld->cstate[i] = wl->caches[i].at_boot ? CS_LIVE : CS_PENDING;
	cpu_state_init(&ld->cpus, wl->machine.cpus);
	ld->cache_hash_cap = 16;
	while (ld->cache_hash_cap < 2 * wl->nr_caches)
		ld->cache_hash_cap *= 2;
	ld->cache_hash = calloc(ld->cache_hash_cap, sizeof(*ld->cache_hash));
	if (!ld->cache_hash)
		return fail_pos(ld, nopos, "out of memory");
	for (i = 0; i < wl->nr_caches; i++) {
		size_t mask = ld->cache_hash_cap - 1, k;

		for (k = name_hash(wl->caches[i].name) & mask;
		     ld->cache_hash[k]; k = (k + 1) & mask)
			;
		ld->cache_hash[k] = (uint32_t)i + 1;
	}
	return true;
}

/* One event mapping (a node of ld->doc) into the out queue. */
static bool load_event(struct loader *ld, yaml_node_t *item)
{
	struct seen seen[EK_NR];
	struct ev_raw r;

	memset(&r, 0, sizeof(r));
	r.ev.cpu = 0;
	r.ev.cache = r.ev.name = r.ev.node = r.ev.site = -1;
	r.ev.gfp = GFP_KERNEL;
	r.ev.write = true;
	r.ev.tune.limit = r.ev.tune.batchcount = r.ev.tune.shared = -1;
	return walk_map(ld, item, &event_table, &r, seen) &&
	       finish_event(ld, item, &r, seen);
}

/* ------------------------------------------------------------------ */
/* The compact event form                                              */
/* ------------------------------------------------------------------ */

/*
 * "T CPU OP ARGS... [key=value...] [@SITE]" (README, "The compact event
 * form") is turned into the mapping it stands for, built in the document
 * next to the scalar, and read by load_event like any written mapping:
 * one set of rules and messages for both forms, which therefore mean the
 * same byte for byte. The words are cut in a copy of the text (ld->line);
 * the nodes borrow them.
 */
struct compact_op {
	const char *op;
	const char *args[4];	/* keys of the words after OP; "" = OP's value */
	bool into_value;	/* words and key=value make OP's own mapping */
};

static const struct compact_op compact_ops[] = {
	{ "alloc", { "", "as" }, false },
	{ "zalloc", { "", "as" }, false },
	{ "alloc_node", { "", "node", "as" }, false },
	{ "kmalloc", { "", "as" }, false },
	{ "kmalloc_node", { "", "node", "as" }, false },
	{ "slabinfo", { NULL }, false },
	{ "tune", { "cache", "limit", "batchcount", "shared" }, true },
	{ "mempolicy", { NULL }, true },
};

/* Any other operation takes one word, its own value. */
static const struct compact_op compact_default = { NULL, { "" }, false };

#define COMPACT_MAX_WORDS	32

static int cnode(struct loader *ld, const char *w, yaml_mark_t at)
{
	return compose_scalar(&ld->cp, w, strlen(w), true /* borrowed */, at);
}

/* value: a scalar, or a list when it has commas ("nodes=0,1"). */
static int cvalue(struct loader *ld, char *w, yaml_mark_t at)
{
	int seq;

	if (!strchr(w, ','))
		return cnode(ld, w, at);
	seq = compose_sequence(&ld->cp, at);
	while (seq) {
		char *comma = strchr(w, ',');
		int item;

		if (comma)
			*comma = '\0';
		item = cnode(ld, w, at);
		if (!item || !compose_append_item(&ld->cp, seq, item))
			return 0;
		if (!comma)
			break;
		at.column += (size_t)(comma - w) + 1;
		w = comma + 1;
	}
	return seq;
}

static bool cpair(struct loader *ld, int map, const char *key, int value,
		  yaml_mark_t at)
{
	int k = cnode(ld, key, at);

	return k && value && compose_append_pair(&ld->cp, map, k, value);
}

/* The mapping a compact scalar stands for; its node index, 0 on error. */
static int compact_event(struct loader *ld, yaml_node_t *scalar)
{
	size_t len = scalar->data.scalar.length, nw = 0, i, w0;
	char *words[COMPACT_MAX_WORDS];
	yaml_mark_t at[COMPACT_MAX_WORDS], base = scalar->start_mark;
	const struct compact_op *co = &compact_default;
	const struct key_row *row;
	char q[QUOTE_MAX], *p;
	int map, val = 0, target, k;

	if (base.column && scalar->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		base.column++;	/* past the opening quote */
	if (len + 1 > ld->line_cap) {
		char *b = realloc(ld->line, len + 1);

		if (!b)
			return fail_pos(ld, nopos, "out of memory"), 0;
		ld->line = b;
		ld->line_cap = len + 1;
	}
	memcpy(ld->line, scalar->data.scalar.value, len + 1);
	if (strlen(ld->line) != len)
		return fail(ld, scalar, "event '%s' contains a NUL byte",
			    quote(q, scalar)), 0;
	for (p = ld->line; *p;) {
		while (*p == ' ' || *p == '\t')
			*p++ = '\0';
		if (!*p)
			break;
		if (nw == COMPACT_MAX_WORDS)
			return fail(ld, scalar, "event has more than %d words",
				    COMPACT_MAX_WORDS), 0;
		words[nw] = p;
		at[nw] = base;
		at[nw].column += (size_t)(p - ld->line);
		nw++;
		while (*p && *p != ' ' && *p != '\t')
			p++;
	}
	if (nw < 3)
		return fail(ld, scalar, "event '%s' is neither a mapping nor 'T CPU OPERATION ...' (the compact form)",
			    quote(q, scalar)), 0;
	row = find_row(&event_table, words[2], strlen(words[2]));
	if (!row || row < &event_table.rows[EK_OP0]) {
		char list[LIST_MAX];
		size_t o = 0;

		for (k = EK_OP0; k < EK_NR && o < sizeof(list); k++)
			o += (size_t)snprintf(list + o, sizeof(list) - o, "%s%s",
					      k > EK_OP0 ? ", " : "",
					      event_rows[k].key);
		return fail_pos(ld, (struct pos){ (unsigned int)at[2].line + 1,
						  (unsigned int)at[2].column + 1, NULL },
				"unknown operation '%s' (expected one of: %s)",
				quote_text(q, words[2], strlen(words[2])), list), 0;
	}
	for (i = 0; i < ARRAY_SIZE(compact_ops); i++)
		if (!strcmp(compact_ops[i].op, words[2]))
			co = &compact_ops[i];

	map = compose_mapping(&ld->cp, base);
	if (!map || !cpair(ld, map, "t", cnode(ld, words[0], at[0]), at[0]))
		return 0;
	if (strcmp(words[1], "-") &&
	    !cpair(ld, map, "cpu", cnode(ld, words[1], at[1]), at[1]))
		return 0;
	if (co->into_value) {
		val = compose_mapping(&ld->cp, at[2]);
	} else if (!co->args[0]) {
		val = cnode(ld, "true", at[2]);
	}
	target = co->into_value ? val : map;
	/* the positional words, then key=value words and the site */
	for (w0 = 3, i = 0; i < ARRAY_SIZE(co->args) && co->args[i] && w0 < nw;
	     i++, w0++) {
		if (!co->args[i][0])
			val = cnode(ld, words[w0], at[w0]);
		else if (!cpair(ld, target, co->args[i],
				cnode(ld, words[w0], at[w0]), at[w0]))
			return 0;
	}
	if (!val)	/* OP's value missing: the mapping form's message */
		val = cnode(ld, "", at[2]);
	if (!cpair(ld, map, words[2], val, at[2]))
		return 0;
	for (; w0 < nw; w0++) {
		char *eq = strchr(words[w0], '=');

		if (words[w0][0] == '@' && w0 == nw - 1 && words[w0][1]) {
			if (!cpair(ld, map, "site",
				   cnode(ld, words[w0] + 1, at[w0]), at[w0]))
				return 0;
			continue;
		}
		if (!eq || eq == words[w0])
			return fail_pos(ld, (struct pos){ (unsigned int)at[w0].line + 1,
							  (unsigned int)at[w0].column + 1, NULL },
					"unexpected '%s' in the %s event (after its %s, write key=value or a last @SITE)",
					quote_text(q, words[w0], strlen(words[w0])), words[2],
					co->args[0] ? "arguments" : "operation"), 0;
		*eq = '\0';
		yaml_mark_t vat = at[w0];
		vat.column += (size_t)(eq - words[w0]) + 1;
		if (!cpair(ld, co->into_value ? val : map, words[w0],
			   cvalue(ld, eq + 1, vat), at[w0]))
			return 0;
	}
	return map;
}

/*
 * The fast way for what a trace is made of: alloc, free, kmalloc and
 * kfree with their arguments and an optional @SITE, nothing else, read
 * straight into the event without building nodes (libyaml's parse is
 * the only other cost of such a line). It takes a line only when it can
 * take all of it and the general way would accept it; anything else
 * (another operation, key=value, a quoted scalar, any mistake) goes the
 * general way, which therefore writes every message. Returns true when
 * it queued the event.
 */
static bool word_is_null(const char *w)
{
	if (w[0] != '~' && w[0] != 'n' && w[0] != 'N')
		return false;
	return !strcmp(w, "~") || !strcmp(w, "null") || !strcmp(w, "Null") ||
	       !strcmp(w, "NULL");
}


/*
 * gfp=A|B|... as h_gfp reads a scalar of flag names; false (nothing to
 * say: the general way says it) for anything it would not take.
 */
static bool fast_gfp(const char *s, unsigned int *out)
{
	unsigned long bits = 0;

	for (;;) {
		size_t len = strcspn(s, "|");
		const struct flag_name *f;

		if (!len || len >= 63)
			return false;
		for (f = gfp_flags; f->name && (f->name[0] != s[0] ||
						strnlen(f->name, len + 1) != len ||
						memcmp(f->name, s, len)); f++)
			;
		if (!f->name)
			return false;
		bits |= f->bits;
		if (!s[len])
			break;
		s += len + 1;
	}
	*out = (unsigned int)bits;
	return true;
}

/* What ends a word of a compact line on the fast way. */
enum { WS_END = 1, WS_OTHER };
static const unsigned char word_stop[256] = {
	['\0'] = WS_END, [' '] = WS_END, ['='] = WS_OTHER, ['\t'] = WS_OTHER,
};

/* 1: queued; 0: not for the fast way (nothing changed); -1: error set. */
static int compact_fast(struct loader *ld, const yaml_node_t *scalar)
{
	size_t len = scalar->data.scalar.length, nw = 0;
	char *w[6], *p;
	const char *site_word = NULL, *gfp_word = NULL;
	struct wl_event ev;
	struct name_info *ni;
	uint64_t t;
	int cpu = 0, n, named = -1;
	unsigned int gfp = GFP_KERNEL;
	enum wl_op op;

	if (scalar->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return 0;
	if (len + 1 > ld->line_cap) {
		char *b = realloc(ld->line, len + 1);

		if (!b)
			return 0;
		ld->line = b;
		ld->line_cap = len + 1;
	}
	memcpy(ld->line, scalar->data.scalar.value, len + 1);
	for (p = ld->line; *p;) {
		while (*p == ' ')
			*p++ = '\0';
		if (!*p)
			break;
		if (nw == ARRAY_SIZE(w))
			return 0;
		w[nw++] = p;
		/* gfp=FLAGS is the one key=value taken here; only @SITE after */
		bool is_gfp = !gfp_word && p[0] == 'g' && !strncmp(p, "gfp=", 4);
		if (gfp_word && *p != '@')
			return 0;
		if (is_gfp) {
			gfp_word = p + 4;
			p += 4;
		}
		while (!word_stop[(unsigned char)*p])
			p++;
		if (word_stop[(unsigned char)*p] == WS_OTHER)
			return 0;	/* other key=value, a tab: the general way */
	}
	if (p != ld->line + len)	/* a NUL inside */
		return 0;
	if (nw >= 5 && w[nw - 1][0] == '@') {
		site_word = w[--nw] + 1;
		if (!*site_word || strlen(site_word) > WL_MAX_SITE)
			return 0;
	}
	if (gfp_word) {
		if (w[nw - 1] != gfp_word - 4 || !fast_gfp(gfp_word, &gfp))
			return 0;
		nw--;
	}
	if (nw < 4)
		return 0;
	if (nw == 5 && w[2][0] == 'a' && !strcmp(w[2], "alloc"))
		op = WL_ALLOC;
	else if (nw == 5 && w[2][0] == 'z' && !strcmp(w[2], "zalloc"))
		op = WL_ZALLOC;
	else if (nw == 5 && w[2][0] == 'k' && !strcmp(w[2], "kmalloc"))
		op = WL_KMALLOC;
	else if (nw == 4 && w[2][0] == 'f' && !strcmp(w[2], "free"))
		op = WL_FREE;
	else if (nw == 4 && w[2][0] == 'k' && !strcmp(w[2], "kfree"))
		op = WL_KFREE;
	else
		return 0;
	if (gfp_word && (op == WL_FREE || op == WL_KFREE))
		return 0;	/* a free takes no gfp: the general way says so */
	if (parse_units(w[0], dur_units, false, &t) != NUM_OK ||
	    t > WL_MAX_TIME || t < ld->last_t)
		return 0;
	for (p = w[1]; *p; p++) {
		if (*p < '0' || *p > '9' || p - w[1] > 3)
			return 0;
		cpu = cpu * 10 + (*p - '0');
	}
	if (cpu >= ld->wl->machine.cpus || !ld->cpus.online[cpu])
		return 0;
	for (size_t i = 3; i < nw; i++)
		if (word_is_null(w[i]))
			return 0;

	memset(&ev, 0, sizeof(ev));
	ev.t = t;
	ev.cpu = cpu;
	ev.op = op;
	ev.cache = ev.name = ev.node = ev.site = -1;
	ev.gfp = gfp;
	ev.write = true;
	ev.tune.limit = ev.tune.batchcount = ev.tune.shared = -1;
	ev.line = (unsigned int)scalar->start_mark.line + 1;
	ev.col = (unsigned int)scalar->start_mark.column + 1;
	if (op == WL_ALLOC || op == WL_ZALLOC) {
		n = cache_find(ld, w[3]);
		/* pending and not due by t: the general way's message */
		if (n < 0 || (ld->cstate[n] == CS_PENDING &&
			      ld->wl->caches[n].create_t > t))
			return 0;
		ev.cache = n;
	} else if (op == WL_KMALLOC) {
		if (parse_units(w[3], size_units, true, &ev.size) != NUM_OK)
			return 0;
	} else if ((named = name_find(ld, w[3])) < 0) {
		return 0;
	}
	bool allocates = op == WL_ALLOC || op == WL_ZALLOC || op == WL_KMALLOC;

	if (allocates && (!printable_name(w[4], true) ||
	     ((named = name_find(ld, w[4])) >= 0 && ld->ni[named].live)))
		return 0;

	/* Taken: from here on, exactly what the general way does. */
	if (site_word && (ev.site = site_intern(ld, site_word)) < 0)
		return -1;
	if (!create_pending(ld, t))
		return -1;
	if (allocates) {
		if (named >= 0)
			slot_forget(ld, named);
		n = slot_new(ld, w[4]);
		if (n < 0)
			return -1;
		ni = &ld->ni[n];
		ni->live = true;
		ni->line = ev.line;
		ni->cache = ev.cache;
		ni->size = ev.cache >= 0 ? ld->wl->caches[ev.cache].size : ev.size;
	} else {
		n = named;
		ni = &ld->ni[n];
		ev.cache = ni->cache;
		if (ni->live) {
			ni->live = false;
			if (!slot_dead(ld, n))
				return -1;
		}
	}
	ev.name = n;
	ld->last_t = ev.t;
	ld->last_line = ev.line;
	return add_event(ld, &ev) ? 1 : -1;
}

/* ------------------------------------------------------------------ */
/* Streaming the events                                                 */
/* ------------------------------------------------------------------ */

/*
 * The header (every top-level key but events:) is composed first and
 * walked with the tables; the events are composed one at a time while
 * the run asks for them and truncated away once read, so memory holds
 * the header, the names in use and one event.
 *
 * That needs every other key before the events. When the events come
 * last (a plain look at the text after them finds no further top-level
 * key: a line starting in column 0 with something other than '-', '#'
 * or '.'), one parser does both. Otherwise the header parser reads past
 * the events without building them and a second parser, started on the
 * same input, is brought to the events: two parses for such files, still
 * no events in memory.
 */

/* Could a line starting with ch be a top-level key? (NUL: no) */
static bool may_start_key(unsigned char ch)
{
	return !memchr("-#. \t\r\n", ch, 8);
}

/*
 * Does a line begin in text[0, n) with what may be a top-level key?
 * *prev is the byte before text, and becomes its last. Lines are found
 * with memchr: a trace of gigabytes is looked at in a fraction of the
 * time libyaml takes to parse it.
 */
static bool key_in(const unsigned char *text, size_t n, int *prev)
{
	const unsigned char *p = text, *end = text + n;

	if (!n)
		return false;
	if (*prev == '\n' && may_start_key(*p))
		return true;
	while ((p = memchr(p, '\n', (size_t)(end - p))) && ++p < end)
		if (may_start_key(*p))
			return true;
	*prev = end[-1];
	return false;
}

/* Could a top-level key follow byte offset off? (see above) */
static bool key_after(struct loader *ld, size_t off)
{
	enum { CHUNK = 1 << 16 };
	unsigned char *chunk;
	int prev = 0;
	size_t n;
	bool found = false;
	FILE *f;

	if (ld->buf)
		return off < ld->len && key_in(ld->buf + off, ld->len - off, &prev);
	f = fopen(ld->wl->file, "rb");
	chunk = malloc(CHUNK);
	if (!f || !chunk || fseeko(f, (off_t)off, SEEK_SET) != 0) {
		if (f)
			fclose(f);
		free(chunk);
		return true;	/* the safe answer: two parses */
	}
	while (!found && (n = fread(chunk, 1, CHUNK, f)) > 0)
		found = key_in(chunk, n, &prev);
	fclose(f);
	free(chunk);
	return found;
}

/* A composer's error as the loader's one line. */
static bool cp_fail(struct loader *ld)
{
	struct pos p = { ld->cp.line, ld->cp.col, NULL };

	return fail_pos(ld, p, "%s", ld->cp.msg);
}

bool cp_open(struct loader *ld)
{
	bool ok = ld->buf ? compose_open_buffer(&ld->cp, ld->buf, ld->len)
			  : compose_open_file(&ld->cp, ld->wl->file);

	if (!ok)
		return cp_fail(ld);
	ld->cp_open = true;
	ld->doc = &ld->cp.doc;
	return true;
}

/* The next parser event, which must be of type want. */
static bool expect_event(struct loader *ld, yaml_event_type_t want,
			 yaml_event_t *ev, const char *what)
{
	if (!compose_event(&ld->cp, ev))
		return cp_fail(ld);
	if (ev->type == want)
		return true;
	compose_fail(&ld->cp, ev->start_mark, "%s", what);
	compose_event_delete(&ld->cp, ev);
	return cp_fail(ld);
}

/* Is this key node the top-level "events"? */
static bool is_events_key(struct loader *ld, int key)
{
	yaml_node_t *k = node_at(ld, key);

	return k && k->type == YAML_SCALAR_NODE &&
	       !strcmp((const char *)k->data.scalar.value, "events");
}

/*
 * Compose the header: the root mapping with events: standing as an empty
 * list (for its position and type), the events themselves left in the
 * parser (one pass) or skipped (two). Returns the root's index, 0 on
 * error. An empty document is root 0 with no error.
 */
int compose_header(struct loader *ld, bool *one_pass)
{
	yaml_event_t ev;
	int root, key, val;

	*one_pass = false;
	if (!expect_event(ld, YAML_STREAM_START_EVENT, &ev, "not YAML"))
		return 0;
	compose_event_delete(&ld->cp, &ev);
	if (!compose_event(&ld->cp, &ev))
		return cp_fail(ld), 0;
	if (ev.type == YAML_STREAM_END_EVENT) {
		compose_event_delete(&ld->cp, &ev);
		return 0;
	}
	compose_event_delete(&ld->cp, &ev);	/* DOCUMENT_START */
	if (!compose_event(&ld->cp, &ev))
		return cp_fail(ld), 0;
	if (ev.type != YAML_MAPPING_START_EVENT) {
		root = compose_node(&ld->cp, &ev);	/* load_root says why */
		return root ? root : (cp_fail(ld), 0);
	}
	root = compose_mapping(&ld->cp, ev.start_mark);
	compose_event_delete(&ld->cp, &ev);
	while (root) {
		if (!compose_event(&ld->cp, &ev))
			return cp_fail(ld), 0;
		if (ev.type == YAML_MAPPING_END_EVENT) {
			compose_event_delete(&ld->cp, &ev);
			return root;
		}
		key = compose_node(&ld->cp, &ev);
		if (!key || !compose_event(&ld->cp, &ev))
			return cp_fail(ld), 0;
		if (is_events_key(ld, key) && !ld->events_node &&
		    ev.type == YAML_SEQUENCE_START_EVENT) {
			val = compose_sequence(&ld->cp, ev.start_mark);
			ld->events_node = val;
			if (val && !key_after(ld, ev.start_mark.index)) {
				compose_event_delete(&ld->cp, &ev);
				*one_pass = compose_append_pair(&ld->cp, root,
								key, val);
				return *one_pass ? root : (cp_fail(ld), 0);
			}
			if (!val || !compose_skip(&ld->cp, &ev))
				return cp_fail(ld), 0;
		} else {
			val = compose_node(&ld->cp, &ev);
		}
		if (!val || !compose_append_pair(&ld->cp, root, key, val))
			return cp_fail(ld), 0;
	}
	return cp_fail(ld), 0;
}

/* After the root mapping: the end of the one document. */
bool header_tail(struct loader *ld)
{
	yaml_event_t ev;

	if (!expect_event(ld, YAML_DOCUMENT_END_EVENT, &ev, "expected the end of the workload"))
		return false;
	compose_event_delete(&ld->cp, &ev);
	if (!compose_event(&ld->cp, &ev))
		return cp_fail(ld);
	if (ev.type == YAML_DOCUMENT_START_EVENT) {
		yaml_mark_t at = ev.start_mark;

		/* where the second document's content starts, if it parses */
		compose_event_delete(&ld->cp, &ev);
		if (compose_event(&ld->cp, &ev)) {
			at = ev.start_mark;
			compose_event_delete(&ld->cp, &ev);
		} else {
			return cp_fail(ld);
		}
		compose_fail(&ld->cp, at, "a second YAML document; a workload is one document");
		return cp_fail(ld);
	}
	compose_event_delete(&ld->cp, &ev);
	return true;
}

/*
 * Two passes: a second parser on the same input, brought to the first
 * item of the top-level events list (composing the header again, so its
 * anchors are there for aliases in the events).
 */
bool seek_events(struct loader *ld)
{
	yaml_event_t ev;
	int key;

	compose_close(&ld->cp);
	ld->cp_open = false;
	if (!cp_open(ld))
		return false;
	for (int i = 0; i < 3; i++) {	/* stream, document, mapping starts */
		if (!compose_event(&ld->cp, &ev))
			return cp_fail(ld);
		compose_event_delete(&ld->cp, &ev);
	}
	for (;;) {
		if (!compose_event(&ld->cp, &ev))
			return cp_fail(ld);
		key = compose_node(&ld->cp, &ev);
		if (!key || !compose_event(&ld->cp, &ev))
			return cp_fail(ld);
		if (is_events_key(ld, key) &&
		    ev.type == YAML_SEQUENCE_START_EVENT) {
			compose_event_delete(&ld->cp, &ev);
			compose_keep(&ld->cp);
			return true;
		}
		if (!compose_node(&ld->cp, &ev))
			return cp_fail(ld);
	}
}

/* One pass: after the events, only the end of the root and the document. */
static bool events_tail(struct loader *ld)
{
	yaml_event_t ev;

	if (!expect_event(ld, YAML_MAPPING_END_EVENT, &ev,
			  "a top-level key after events: that could not be read before them (move events: to the end of the file)"))
		return false;
	compose_event_delete(&ld->cp, &ev);
	return header_tail(ld);
}

/*
 * Read items until the out queue has something or the events are over.
 * False with the error set.
 */
static bool read_items(struct loader *ld)
{
	yaml_event_t ev;

	if (!ld->cstate && !events_begin(ld))
		return false;
	while (ld->out_head == ld->out_n && !ld->ended) {
		if (ld->es != ES_ITEMS) {
			if (ld->es == ES_TAIL && ld->one_pass && !events_tail(ld))
				return false;
			ld->es = ES_DONE;
			ld->ended = true;
			if (!create_pending(ld, UINT64_MAX))
				return false;
			break;
		}
		if (!compose_event(&ld->cp, &ev))
			return cp_fail(ld);
		if (ev.type == YAML_SEQUENCE_END_EVENT) {
			compose_event_delete(&ld->cp, &ev);
			ld->es = ES_TAIL;
			continue;
		}
		/* a plain compact line the fast way, straight off the parser */
		if (ev.type == YAML_SCALAR_EVENT && !ev.data.scalar.anchor) {
			yaml_node_t line;
			int fast;

			memset(&line, 0, sizeof(line));
			line.type = YAML_SCALAR_NODE;
			line.data.scalar.value = ev.data.scalar.value;
			line.data.scalar.length = ev.data.scalar.length;
			line.data.scalar.style = ev.data.scalar.style;
			line.start_mark = line.end_mark = ev.start_mark;
			fast = compact_fast(ld, &line);
			if (fast) {
				compose_event_delete(&ld->cp, &ev);
				if (fast < 0)
					return false;
				continue;
			}
		}
		size_t mark = compose_mark(&ld->cp);
		int id = compose_node(&ld->cp, &ev);
		yaml_node_t *item = id ? node_at(ld, id) : NULL;

		if (!item)
			return cp_fail(ld);
		if (item->type == YAML_SCALAR_NODE) {
			id = compact_event(ld, item);
			if (!id)
				return false;
			item = node_at(ld, id);
		}
		if (!load_event(ld, item))
			return false;
		compose_truncate(&ld->cp, mark);
	}
	return true;
}

int workload_next_event(struct workload *wl, struct wl_event *ev, char *err,
			size_t errlen)
{
	struct loader *ld = wl->ld;

	if (!ld)
		return 0;
	ld->err = err;
	ld->errlen = errlen;
	if (ld->failed) {
		/* the same line again; the caller has it from the first */
		if (err && errlen)
			snprintf(err, errlen, "%s", ld->saved_err);
		return -1;
	}
	if (!read_items(ld)) {
		snprintf(ld->saved_err, sizeof(ld->saved_err), "%s",
			 err && errlen ? err : "bad input");
		return -1;
	}
	if (ld->out_head == ld->out_n)
		return 0;
	*ev = ld->outq[ld->out_head++];
	return 1;
}

bool workload_read_all(struct workload *wl, char *err, size_t errlen)
{
	struct wl_event ev;
	size_t cap = 0;
	int rc;

	if (wl->ld)
		wl->ld->all = true;
	while ((rc = workload_next_event(wl, &ev, err, errlen)) == 1) {
		if (wl->nr_events == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			struct wl_event *v = realloc(wl->events, ncap * sizeof(*v));

			if (!v) {
				snprintf(err, errlen, "%s: out of memory", wl->file);
				return false;
			}
			wl->events = v;
			cap = ncap;
		}
		wl->events[wl->nr_events++] = ev;
	}
	return rc == 0;
}
