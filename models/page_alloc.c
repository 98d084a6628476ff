/*
 * The page allocator model: a binary buddy allocator per node and zone, in
 * the shape of mm/page_alloc.c of Linux 2.6.17 (__rmqueue/expand,
 * __free_one_page, zone_watermark_ok, get_page_from_freelist,
 * __alloc_pages).
 *
 * What is deliberately left out, because nothing the slab simulator
 * measures depends on it: per-CPU page lists (order-0 pages go straight to
 * the buddy lists), lowmem_reserve (no HIGHMEM zone, and the DMA zone is
 * tiny next to Normal), kswapd, the OOM killer, __GFP_REPEAT, cpusets and
 * zone_reclaim_mode.
 *
 * Frames of one zone are numbered by their index from the zone start; the
 * buddy of block i of order k is i ^ (1 << k) in that numbering, which is
 * the kernel's pfn arithmetic whenever zones start MAX_ORDER aligned.
 */
#include "models/page_alloc.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>

/* ------------------------------------------------------------------ */
/* Per-frame metadata                                                  */
/* ------------------------------------------------------------------ */

/*
 * A few bytes per frame, in host arrays per zone: a flags byte and the two
 * list links. Only block heads carry anything; every other frame stays all
 * zero, so calloc'ed arrays of a large, mostly untouched machine cost
 * little resident memory. The allocated-head mark is not in the kernel: it
 * lets pa_free and pa_is_consistent catch a free of the wrong block.
 */
#define PF_BUDDY	0x80u	/* head of a free block (PageBuddy) */
#define PF_ALLOCATED	0x40u	/* head of a block handed out by pa_alloc */
#define PF_ORDER_MASK	0x0fu	/* page_order() of either kind of head */

#define PA_NIL		UINT32_MAX	/* end of a free list */

#define PA_DMA_PAGES	4096u	/* ZONE_DMA: the first 16 MiB of 4 KiB frames */
#define PA_MAX_NODES	1024

/* Guards against a reclaim callback that claims progress forever. */
#define PA_RECLAIM_MAX_LOOPS	1024

struct pa_link {
	uint32_t next, prev;
};

struct free_area {
	uint32_t head;		/* first block, where list_add puts it */
	uint64_t nr_free;
};

struct zone {
	bool present;
	int nid;
	uint64_t start_pfn, spanned;
	uint64_t reserved;	/* frames [0, reserved) of the zone: not managed */
	uint64_t free_pages;
	struct free_area free_area[PA_MAX_ORDER];
	uint64_t pages_min, pages_low, pages_high;
	uint64_t alloc_ok, alloc_fail;
	uint8_t *flags;		/* spanned entries */
	struct pa_link *link;	/* spanned entries */
};

/* Up to two zones per node, in the kernel's fallback order. */
struct zonelist {
	int nr;
	struct zone **zones;
};

struct page_alloc {
	int nr_nodes;
	uint64_t node_pages;
	uint64_t dma_end;		/* first pfn above ZONE_DMA */
	uint64_t min_free_kbytes;
	struct zone *zones;		/* nr_nodes * PA_NR_ZONES */
	struct zonelist *zl_normal;	/* per node: Normal, DMA, next node... */
	struct zonelist *zl_dma;	/* per node: DMA zones only */
	unsigned long (*reclaim)(void *arg, int nid, unsigned int order);
	void *reclaim_arg;
};

static struct zone *node_zone(const struct page_alloc *pa, int nid,
			      enum pa_zone idx)
{
	return &pa->zones[nid * PA_NR_ZONES + idx];
}

/* The zone owning pfn, or NULL when pfn is outside simulated memory. */
static struct zone *pfn_zone(const struct page_alloc *pa, uint64_t pfn)
{
	int nid = pa_pfn_to_nid(pa, pfn);

	if (nid < 0)
		return NULL;
	return node_zone(pa, nid, pa_pfn_to_zone(pa, pfn));
}

/* ------------------------------------------------------------------ */
/* Free lists                                                          */
/* ------------------------------------------------------------------ */

/*
 * The kernel's list_add and list_del on free_area[order].free_list, over
 * zone-local frame indices. Head insertion and head removal make the most
 * recently freed block the next one handed out, which is also what keeps
 * the allocation order a pure function of the call sequence.
 */
static void area_add(struct zone *z, unsigned int order, uint32_t idx)
{
	struct free_area *area = &z->free_area[order];

	z->link[idx].prev = PA_NIL;
	z->link[idx].next = area->head;
	if (area->head != PA_NIL)
		z->link[area->head].prev = idx;
	area->head = idx;
	area->nr_free++;
	z->flags[idx] = PF_BUDDY | order;	/* set_page_order */
}

static void area_del(struct zone *z, unsigned int order, uint32_t idx)
{
	struct free_area *area = &z->free_area[order];
	struct pa_link *l = &z->link[idx];

	if (l->prev != PA_NIL)
		z->link[l->prev].next = l->next;
	else
		area->head = l->next;
	if (l->next != PA_NIL)
		z->link[l->next].prev = l->prev;
	l->next = l->prev = PA_NIL;
	area->nr_free--;
	z->flags[idx] = 0;			/* rmv_page_order */
}

/* ------------------------------------------------------------------ */
/* The buddy algorithm                                                 */
/* ------------------------------------------------------------------ */

/*
 * __rmqueue + expand: take the head of the smallest non-empty list of
 * order >= order, give back the lower half each time it is split and
 * keep the upper halves on the lower lists. Returns the zone-local index,
 * or PA_NIL with the zone unchanged.
 */
static uint32_t rmqueue(struct zone *z, unsigned int order)
{
	unsigned int cur;

	for (cur = order; cur < PA_MAX_ORDER; cur++) {
		uint32_t idx = z->free_area[cur].head;

		if (idx == PA_NIL)
			continue;
		area_del(z, cur, idx);
		z->free_pages -= 1ull << order;
		while (cur > order) {
			cur--;
			area_add(z, cur, idx + (1u << cur));
		}
		z->flags[idx] = PF_ALLOCATED | order;
		return idx;
	}
	return PA_NIL;
}

/*
 * __free_one_page: merge with the buddy while it is a free block of the
 * same order inside the zone, then put the result on the head of its list.
 * The caller has cleared the allocated mark.
 */
static void free_one_page(struct zone *z, uint32_t idx, unsigned int order)
{
	z->free_pages += 1ull << order;
	while (order < PA_MAX_ORDER - 1) {
		uint64_t buddy = (uint64_t)idx ^ (1ull << order);

		/* page_is_buddy: in the zone, PageBuddy, same order */
		if (buddy + (1ull << order) > z->spanned)
			break;
		if (z->flags[buddy] != (PF_BUDDY | order))
			break;
		area_del(z, order, (uint32_t)buddy);
		idx &= ~(1u << order);		/* __find_combined_index */
		order++;
	}
	area_add(z, order, idx);
}

/*
 * Fill the zone with the largest aligned blocks its managed range holds,
 * lowest pfn first: the state free_all_bootmem leaves once every freed
 * page has coalesced, and the same list order (each list_add pushes the
 * higher block in front).
 */
static void zone_free_all(struct zone *z)
{
	uint64_t i = z->reserved;

	while (i < z->spanned) {
		unsigned int order = PA_MAX_ORDER - 1;

		while ((i & ((1ull << order) - 1)) ||
		       i + (1ull << order) > z->spanned)
			order--;
		area_add(z, order, (uint32_t)i);
		z->free_pages += 1ull << order;
		i += 1ull << order;
	}
}

/* ------------------------------------------------------------------ */
/* Watermarks                                                          */
/* ------------------------------------------------------------------ */

/*
 * The pool the kernel keeps free for atomic and reclaim-time allocations
 * grows with the square root of memory: init_per_zone_pages_min and
 * setup_per_zone_pages_min.
 */
#define ALLOC_WMARK_MIN		0x01u
#define ALLOC_WMARK_LOW		0x02u
#define ALLOC_HARDER		0x10u	/* !__GFP_WAIT (or an rt task) */
#define ALLOC_HIGH		0x20u	/* __GFP_HIGH */

/* lib/int_sqrt.c: floor(sqrt(x)), bit by bit. */
static uint64_t int_sqrt(uint64_t x)
{
	uint64_t op = x, res = 0, one = 1ull << 62;

	while (one > op)
		one >>= 2;
	while (one) {
		if (op >= res + one) {
			op -= res + one;
			res += one << 1;
		}
		res >>= 1;
		one >>= 2;
	}
	return res;
}

/*
 * Each zone gets its share of pages_min in proportion to its size. The
 * 2.6.17 kernel counts present_pages, both for lowmem_kbytes and for the
 * shares; this model counts managed pages, so that frames that can never
 * be free (kernel image, bootmem) earn no reserve. The two differ only by
 * the reserved frames at the start of node 0.
 */
static void setup_per_zone_pages_min(struct page_alloc *pa,
				     uint64_t min_free_kbytes)
{
	uint64_t lowmem_pages = 0, pages_min;
	int i;

	for (i = 0; i < pa->nr_nodes * PA_NR_ZONES; i++)
		lowmem_pages += pa->zones[i].spanned - pa->zones[i].reserved;
	if (!min_free_kbytes) {
		min_free_kbytes = int_sqrt(lowmem_pages * 4 * 16);
		if (min_free_kbytes < 128)
			min_free_kbytes = 128;
		if (min_free_kbytes > 65536)
			min_free_kbytes = 65536;
	}
	pa->min_free_kbytes = min_free_kbytes;
	pages_min = min_free_kbytes >> (12 - 10);

	for (i = 0; i < pa->nr_nodes * PA_NR_ZONES; i++) {
		struct zone *z = &pa->zones[i];
		uint64_t tmp = 0;

		if (lowmem_pages)
			tmp = pages_min * (z->spanned - z->reserved) /
			      lowmem_pages;
		z->pages_min = tmp;
		z->pages_low = z->pages_min + tmp / 4;
		z->pages_high = z->pages_min + tmp / 2;
	}
}

/*
 * zone_watermark_ok: after taking 2^order pages, more than mark must stay
 * free, and at every lower order the pages too small for this request do
 * not count, against a mark halved at each step. lowmem_reserve is 0.
 */
static bool zone_watermark_ok(const struct zone *z, unsigned int order,
			      uint64_t mark, unsigned int alloc_flags)
{
	int64_t min = (int64_t)mark;
	int64_t free_pages = (int64_t)z->free_pages - (1ll << order) + 1;
	unsigned int o;

	if (order >= PA_MAX_ORDER)
		return false;
	if (alloc_flags & ALLOC_HIGH)
		min -= min / 2;
	if (alloc_flags & ALLOC_HARDER)
		min -= min / 4;
	if (free_pages <= min)
		return false;
	for (o = 0; o < order; o++) {
		free_pages -= (int64_t)(z->free_area[o].nr_free << o);
		min >>= 1;
		if (free_pages <= min)
			return false;
	}
	return true;
}

/* ------------------------------------------------------------------ */
/* Zonelists                                                           */
/* ------------------------------------------------------------------ */

/*
 * build_zonelists: the local node first, then the others by increasing
 * distance (ties by node number; the kernel's node_load spreading is not
 * modelled), and within a node the highest zone first.
 */
static int build_zonelists(struct page_alloc *pa, const int *distance)
{
	int n = pa->nr_nodes, nid, i, j;
	int *order;

	/* create checked it; said again so gcc -O1 sees no huge calloc */
	if (n < 1)
		return -1;
	order = calloc((size_t)n, sizeof(*order));

	pa->zl_normal = calloc((size_t)n, sizeof(*pa->zl_normal));
	pa->zl_dma = calloc((size_t)n, sizeof(*pa->zl_dma));
	if (!order || !pa->zl_normal || !pa->zl_dma)
		goto fail;

	for (nid = 0; nid < n; nid++) {
		struct zonelist *zn = &pa->zl_normal[nid];
		struct zonelist *zd = &pa->zl_dma[nid];
		int nr = 0;

		/* insertion sort by (distance, node), local node pinned first */
		order[nr++] = nid;
		for (i = 0; i < n; i++) {
			int d;

			if (i == nid)
				continue;
			d = distance ? distance[nid * n + i] : 20;
			for (j = nr; j > 1; j--) {
				int dj = distance ?
					 distance[nid * n + order[j - 1]] : 20;
				if (dj <= d)
					break;
				order[j] = order[j - 1];
			}
			order[j] = i;
			nr++;
		}

		zn->zones = calloc((size_t)n * PA_NR_ZONES, sizeof(*zn->zones));
		zd->zones = calloc((size_t)n, sizeof(*zd->zones));
		if (!zn->zones || !zd->zones)
			goto fail;
		for (i = 0; i < n; i++) {
			struct zone *normal = node_zone(pa, order[i],
							PA_ZONE_NORMAL);
			struct zone *dma = node_zone(pa, order[i], PA_ZONE_DMA);

			if (normal->present)
				zn->zones[zn->nr++] = normal;
			if (dma->present) {
				zn->zones[zn->nr++] = dma;
				zd->zones[zd->nr++] = dma;
			}
		}
	}
	free(order);
	return 0;
fail:
	free(order);
	return -1;
}

/* ------------------------------------------------------------------ */
/* Creation                                                            */
/* ------------------------------------------------------------------ */

/* Lay out one zone and give it its metadata; -1 when out of host memory. */
static int zone_init(struct zone *z, int nid, uint64_t start, uint64_t end,
		     uint64_t reserved)
{
	unsigned int o;

	z->nid = nid;
	for (o = 0; o < PA_MAX_ORDER; o++)
		z->free_area[o].head = PA_NIL;
	if (start >= end)
		return 0;
	z->present = true;
	z->start_pfn = start;
	z->spanned = end - start;
	z->reserved = reserved < z->spanned ? reserved : z->spanned;
	z->flags = calloc(z->spanned, sizeof(*z->flags));
	z->link = calloc(z->spanned, sizeof(*z->link));
	if (!z->flags || !z->link)
		return -1;
	zone_free_all(z);
	return 0;
}

/*
 * Builds the whole machine, every managed frame free. Returns NULL for a
 * config it cannot represent (no nodes, empty or oversized nodes) or when
 * host memory runs out; nothing is left allocated then.
 */
struct page_alloc *page_alloc_create(const struct page_alloc_config *cfg)
{
	struct page_alloc *pa;
	uint64_t reserved;
	int nid;

	if (!cfg || cfg->nr_nodes < 1 || cfg->nr_nodes > PA_MAX_NODES ||
	    cfg->node_pages == 0 || cfg->node_pages >= PA_NIL)
		return NULL;
	pa = calloc(1, sizeof(*pa));
	if (!pa)
		return NULL;
	pa->nr_nodes = cfg->nr_nodes;
	pa->node_pages = cfg->node_pages;
	pa->dma_end = cfg->node_pages < PA_DMA_PAGES ?
		      cfg->node_pages : PA_DMA_PAGES;
	pa->reclaim = cfg->reclaim;
	pa->reclaim_arg = cfg->reclaim_arg;
	pa->zones = calloc((size_t)cfg->nr_nodes * PA_NR_ZONES,
			   sizeof(*pa->zones));
	if (!pa->zones)
		goto fail;

	reserved = cfg->reserved_pages ? cfg->reserved_pages : 1;
	for (nid = 0; nid < cfg->nr_nodes; nid++) {
		uint64_t start = (uint64_t)nid * cfg->node_pages;
		uint64_t end = start + cfg->node_pages;
		uint64_t dma_end = nid == 0 ? pa->dma_end : start;
		uint64_t r_dma = 0, r_normal = 0;

		if (nid == 0) {
			r_dma = reserved < dma_end ? reserved : dma_end;
			r_normal = reserved - r_dma;
		}
		if (zone_init(node_zone(pa, nid, PA_ZONE_DMA), nid, start,
			      dma_end, r_dma) ||
		    zone_init(node_zone(pa, nid, PA_ZONE_NORMAL), nid,
			      dma_end, end, r_normal))
			goto fail;
	}
	setup_per_zone_pages_min(pa, cfg->min_free_kbytes);
	if (build_zonelists(pa, cfg->node_distance))
		goto fail;
	return pa;
fail:
	page_alloc_destroy(pa);
	return NULL;
}

void page_alloc_destroy(struct page_alloc *pa)
{
	int i;

	if (!pa)
		return;
	if (pa->zones) {
		for (i = 0; i < pa->nr_nodes * PA_NR_ZONES; i++) {
			free(pa->zones[i].flags);
			free(pa->zones[i].link);
		}
	}
	if (pa->zl_normal) {
		for (i = 0; i < pa->nr_nodes; i++)
			free(pa->zl_normal[i].zones);
	}
	if (pa->zl_dma) {
		for (i = 0; i < pa->nr_nodes; i++)
			free(pa->zl_dma[i].zones);
	}
	free(pa->zl_normal);
	free(pa->zl_dma);
	free(pa->zones);
	free(pa);
}

/* ------------------------------------------------------------------ */
/* Allocation and free                                                 */
/* ------------------------------------------------------------------ */

/*
 * get_page_from_freelist: the first zone of the list that passes the
 * watermark and has a block. Returns the pfn or PFN_NONE, changing
 * nothing.
 */
static uint64_t get_page_from_freelist(const struct zonelist *zl, int nid,
				       unsigned int order, unsigned int flags,
				       unsigned int alloc_flags)
{
	int i;

	for (i = 0; i < zl->nr; i++) {
		struct zone *z = zl->zones[i];
		uint64_t mark;
		uint32_t idx;

		if ((flags & PA_THISNODE) && z->nid != nid)
			continue;
		mark = (alloc_flags & ALLOC_WMARK_MIN) ? z->pages_min :
							 z->pages_low;
		if (!zone_watermark_ok(z, order, mark, alloc_flags))
			continue;
		idx = rmqueue(z, order);
		if (idx == PA_NIL)
			continue;
		z->alloc_ok++;
		return z->start_pfn + idx;
	}
	return PFN_NONE;
}

/*
 * __alloc_pages without kswapd and without the OOM killer: low watermark,
 * then min (lowered for PA_HIGH and for callers that cannot wait), then,
 * for PA_WAIT, reclaim and retry for as long as reclaim makes progress and
 * the kernel's retry rule allows. A failure is counted on the preferred
 * zone (the head of the zonelist), the zone that was asked for. The
 * reclaim callback may re-enter pa_free: nothing is held across it.
 */
uint64_t pa_alloc(struct page_alloc *pa, int nid, unsigned int order,
		  unsigned int flags, struct pa_failure *why)
{
	const struct zonelist *zl;
	unsigned int alloc_flags;
	bool reclaimed = false;
	uint64_t pfn = PFN_NONE;
	int loops;

	assert(nid >= 0 && nid < pa->nr_nodes);
	zl = (flags & PA_DMA) ? &pa->zl_dma[nid] : &pa->zl_normal[nid];
	if (zl->nr == 0)
		goto nopage;
	if (order >= PA_MAX_ORDER)
		goto nopage;

	pfn = get_page_from_freelist(zl, nid, order, flags, ALLOC_WMARK_LOW);
	if (pfn != PFN_NONE)
		return pfn;

	alloc_flags = ALLOC_WMARK_MIN;
	if (!(flags & PA_WAIT))
		alloc_flags |= ALLOC_HARDER;
	if (flags & PA_HIGH)
		alloc_flags |= ALLOC_HIGH;
	pfn = get_page_from_freelist(zl, nid, order, flags, alloc_flags);
	if (pfn != PFN_NONE)
		return pfn;
	if (!(flags & PA_WAIT))
		goto nopage;

	for (loops = 0; loops < PA_RECLAIM_MAX_LOOPS; loops++) {
		unsigned long progress = 0;
		bool do_retry;

		if (pa->reclaim) {
			progress = pa->reclaim(pa->reclaim_arg, nid, order);
			reclaimed = true;
		}
		if (!progress)
			break;
		pfn = get_page_from_freelist(zl, nid, order, flags,
					     alloc_flags);
		if (pfn != PFN_NONE)
			return pfn;
		/* order <= 3 is as good as __GFP_NOFAIL in 2.6.17 */
		do_retry = !(flags & PA_NORETRY) &&
			   (order <= 3 || (flags & PA_NOFAIL));
		if (!do_retry)
			break;
	}

nopage:
	if (zl->nr)
		zl->zones[0]->alloc_fail++;
	if (why) {
		why->order = order;
		why->flags = flags;
		why->nid = nid;
		why->reclaimed = reclaimed;
	}
	return PFN_NONE;
}

/*
 * Gives a block back. The block must be exactly one that pa_alloc returned
 * with this order and not yet freed; anything else is a bug of the caller
 * and stops the run on the assert.
 */
void pa_free(struct page_alloc *pa, uint64_t pfn, unsigned int order)
{
	struct zone *z = pfn_zone(pa, pfn);
	uint64_t idx;

	assert(z && z->present && order < PA_MAX_ORDER);
	idx = pfn - z->start_pfn;
	assert(idx >= z->reserved && idx < z->spanned);
	assert(z->flags[idx] == (PF_ALLOCATED | order));
	z->flags[idx] = 0;
	free_one_page(z, (uint32_t)idx, order);
}

/* ------------------------------------------------------------------ */
/* Queries                                                             */
/* ------------------------------------------------------------------ */

/* -1 for a pfn outside simulated memory. */
int pa_pfn_to_nid(const struct page_alloc *pa, uint64_t pfn)
{
	if (pfn >= pa_total_pages(pa))
		return -1;
	return (int)(pfn / pa->node_pages);
}

/* PA_NR_ZONES for a pfn outside simulated memory. */
enum pa_zone pa_pfn_to_zone(const struct page_alloc *pa, uint64_t pfn)
{
	if (pfn >= pa_total_pages(pa))
		return PA_NR_ZONES;
	return pfn < pa->dma_end ? PA_ZONE_DMA : PA_ZONE_NORMAL;
}

uint64_t pa_total_pages(const struct page_alloc *pa)
{
	return (uint64_t)pa->nr_nodes * pa->node_pages;
}

/* A zone that does not exist (or a bad nid) reads as all zero, !present. */
void pa_zone_info(const struct page_alloc *pa, int nid, enum pa_zone zone,
		  struct pa_zone_info *out)
{
	const struct zone *z;
	unsigned int o;

	*out = (struct pa_zone_info){ 0 };
	if (nid < 0 || nid >= pa->nr_nodes || zone >= PA_NR_ZONES)
		return;
	z = node_zone(pa, nid, zone);
	if (!z->present)
		return;
	out->present = true;
	out->start_pfn = z->start_pfn;
	out->spanned = z->spanned;
	out->managed = z->spanned - z->reserved;
	out->free_pages = z->free_pages;
	for (o = 0; o < PA_MAX_ORDER; o++)
		out->nr_free[o] = z->free_area[o].nr_free;
	out->wmark_min = z->pages_min;
	out->wmark_low = z->pages_low;
	out->wmark_high = z->pages_high;
	out->alloc_fail = z->alloc_fail;
	out->alloc_ok = z->alloc_ok;
}

#ifdef SLABSIM_TEST
/*
 * Reached only by the test build (tests/test_buddy.c repeats these
 * prototypes): the sysctl value the watermarks came from, and a free list
 * copied out head first (the next block to be handed out first).
 */
uint64_t pa_min_free_kbytes(const struct page_alloc *pa);
size_t pa_free_list(const struct page_alloc *pa, int nid, enum pa_zone zone,
		    unsigned int order, uint64_t *pfns, size_t max);

uint64_t pa_min_free_kbytes(const struct page_alloc *pa)
{
	return pa->min_free_kbytes;
}

size_t pa_free_list(const struct page_alloc *pa, int nid, enum pa_zone zone,
		    unsigned int order, uint64_t *pfns, size_t max)
{
	const struct zone *z;
	size_t n = 0;
	uint32_t idx;

	if (nid < 0 || nid >= pa->nr_nodes || zone >= PA_NR_ZONES ||
	    order >= PA_MAX_ORDER)
		return 0;
	z = node_zone(pa, nid, zone);
	if (!z->present)
		return 0;
	for (idx = z->free_area[order].head; idx != PA_NIL && n < max;
	     idx = z->link[idx].next)
		pfns[n++] = z->start_pfn + idx;
	return n;
}

/* Overwrites the metadata byte of one frame, so tests can show that
 * pa_is_consistent notices corruption. Returns the old byte. */
uint8_t pa_test_poke(struct page_alloc *pa, uint64_t pfn, uint8_t flags);

uint8_t pa_test_poke(struct page_alloc *pa, uint64_t pfn, uint8_t flags)
{
	struct zone *z = pfn_zone(pa, pfn);
	uint64_t idx = pfn - z->start_pfn;
	uint8_t old = z->flags[idx];

	z->flags[idx] = flags;
	return old;
}
#endif /* SLABSIM_TEST */

/* ------------------------------------------------------------------ */
/* Consistency                                                         */
/* ------------------------------------------------------------------ */

/*
 * One zone: the heads must tile the managed range exactly (no overlap, no
 * orphan frame), each aligned to its order, no free block with a free
 * buddy of its order, and the free lists must hold exactly the free heads
 * with counts that add up.
 */
static bool zone_is_consistent(const struct zone *z, char *msg, size_t len)
{
	uint64_t heads[PA_MAX_ORDER] = { 0 }, pages = 0, i;
	unsigned int o;

	for (i = 0; i < z->reserved; i++) {
		if (z->flags[i]) {
			snprintf(msg, len, "pfn %llu: reserved frame in use",
				 (unsigned long long)(z->start_pfn + i));
			return false;
		}
	}
	while (i < z->spanned) {
		uint8_t f = z->flags[i];
		uint64_t size, j, buddy;

		o = f & PF_ORDER_MASK;
		size = 1ull << o;
		if (!(f & (PF_BUDDY | PF_ALLOCATED)) || o >= PA_MAX_ORDER ||
		    ((f & PF_BUDDY) && (f & PF_ALLOCATED))) {
			snprintf(msg, len,
				 "pfn %llu: neither free nor allocated (flags %#x)",
				 (unsigned long long)(z->start_pfn + i), f);
			return false;
		}
		if ((i & (size - 1)) || i + size > z->spanned) {
			snprintf(msg, len,
				 "pfn %llu: order-%u block misaligned or past the zone",
				 (unsigned long long)(z->start_pfn + i), o);
			return false;
		}
		for (j = 1; j < size; j++) {
			if (z->flags[i + j]) {
				snprintf(msg, len,
					 "pfn %llu: block head inside the order-%u block at pfn %llu",
					 (unsigned long long)(z->start_pfn + i + j),
					 o, (unsigned long long)(z->start_pfn + i));
				return false;
			}
		}
		if (f & PF_BUDDY) {
			heads[o]++;
			pages += size;
			buddy = i ^ size;
			if (o < PA_MAX_ORDER - 1 && buddy + size <= z->spanned &&
			    z->flags[buddy] == (PF_BUDDY | o)) {
				snprintf(msg, len,
					 "pfn %llu: free order-%u block with a free buddy at pfn %llu",
					 (unsigned long long)(z->start_pfn + i),
					 o, (unsigned long long)(z->start_pfn + buddy));
				return false;
			}
		}
		i += size;
	}

	for (o = 0; o < PA_MAX_ORDER; o++) {
		uint64_t n = 0;
		uint32_t idx, prev = PA_NIL;

		for (idx = z->free_area[o].head; idx != PA_NIL;
		     idx = z->link[idx].next) {
			if (++n > heads[o] || idx >= z->spanned ||
			    z->flags[idx] != (PF_BUDDY | o) ||
			    z->link[idx].prev != prev) {
				snprintf(msg, len,
					 "free list %u of the zone at pfn %llu broken at pfn %llu",
					 o, (unsigned long long)z->start_pfn,
					 (unsigned long long)(z->start_pfn + idx));
				return false;
			}
			prev = idx;
		}
		if (n != heads[o] || z->free_area[o].nr_free != n) {
			snprintf(msg, len,
				 "zone at pfn %llu order %u: %llu free blocks, %llu listed, nr_free %llu",
				 (unsigned long long)z->start_pfn, o,
				 (unsigned long long)heads[o],
				 (unsigned long long)n,
				 (unsigned long long)z->free_area[o].nr_free);
			return false;
		}
	}
	if (pages != z->free_pages) {
		snprintf(msg, len,
			 "zone at pfn %llu: free_pages %llu, free blocks hold %llu",
			 (unsigned long long)z->start_pfn,
			 (unsigned long long)z->free_pages,
			 (unsigned long long)pages);
		return false;
	}
	return true;
}

/* Zone by zone; msg is left empty when everything holds. */
bool pa_is_consistent(const struct page_alloc *pa, char *msg, size_t len)
{
	int i;

	for (i = 0; i < pa->nr_nodes * PA_NR_ZONES; i++) {
		const struct zone *z = &pa->zones[i];

		if (z->present && !zone_is_consistent(z, msg, len))
			return false;
	}
	if (len)
		msg[0] = '\0';
	return true;
}
