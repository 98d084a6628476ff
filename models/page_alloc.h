#ifndef SLABSIM_MODELS_PAGE_ALLOC_H
#define SLABSIM_MODELS_PAGE_ALLOC_H
/*
 * The page allocator model: a binary buddy allocator per node and zone
 * (free lists per order, split on allocation, coalesce on free), with
 * min/low/high watermarks and a zone fallback order across nodes, as
 * mm/page_alloc.c has them. Plain data plus functions, no globals, no
 * output: failures are returned, the caller logs them.
 *
 * Frames are numbered globally: node n owns pfns [n * node_pages,
 * (n + 1) * node_pages). Zones are ranges of pfns, as 2.6.17 lays them
 * out, each node holding its share of each: DMA the first 16 MiB; on
 * x86_64 DMA32 up to 4 GiB and Normal above; on i386 Normal up to
 * 896 MiB and HighMem above (page_alloc_config says where). A zone with
 * no frames on a node is not present there.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PA_MAX_ORDER	11		/* orders 0..10, as MAX_ORDER */
#define PFN_NONE	UINT64_MAX

/* The kernel's zone order (include/linux/mmzone.h, 2.6.17). */
enum pa_zone { PA_ZONE_DMA, PA_ZONE_DMA32, PA_ZONE_NORMAL, PA_ZONE_HIGHMEM,
	       PA_NR_ZONES };

/* Allocation flags of the model (sim/env.c maps GFP bits onto these). */
#define PA_DMA		0x01u	/* only the DMA zone */
#define PA_WAIT		0x02u	/* may reclaim and retry */
#define PA_HIGH		0x04u	/* __GFP_HIGH: may dip below min (ALLOC_HIGH) */
#define PA_THISNODE	0x08u	/* no fallback to other nodes */
#define PA_NORETRY	0x10u
#define PA_NOFAIL	0x20u

struct page_alloc_config {
	int nr_nodes;
	uint64_t node_pages;		/* frames per node */
	uint64_t reserved_pages;	/* pfns [0, reserved) of node 0 never freed
					   into the allocator (kernel image,
					   bootmem); at least 1: pfn 0 */
	uint64_t min_free_kbytes;	/* 0 = the kernel's sqrt formula */
	/*
	 * Zone boundaries above DMA (first pfn of the next zone; 0 = none):
	 * dma32_end, x86_64's 4 GiB (frames from 16 MiB below it are
	 * DMA32); highmem_start, i386's 896 MiB (frames from it are
	 * HighMem, which GFP_KERNEL never gets). Both 0: DMA, then Normal.
	 */
	uint64_t dma32_end, highmem_start;
	const int *node_distance;	/* nr_nodes * nr_nodes, NULL = 10/20 */
	/*
	 * Called when a PA_WAIT allocation is below its watermark everywhere:
	 * should free memory (shrink slab caches) and return pages freed.
	 */
	unsigned long (*reclaim)(void *arg, int nid, unsigned int order);
	void *reclaim_arg;
};

struct page_alloc;

struct page_alloc *page_alloc_create(const struct page_alloc_config *cfg);
void page_alloc_destroy(struct page_alloc *pa);

/* Why an allocation failed (filled when pa_alloc returns PFN_NONE). */
struct pa_failure {
	unsigned int order, flags;
	int nid;
	bool reclaimed;			/* reclaim ran and did not help */
};

/*
 * Allocate 2^order contiguous frames, zonelist of nid first. Returns the
 * first pfn, or PFN_NONE and fills *why (may be NULL).
 */
uint64_t pa_alloc(struct page_alloc *pa, int nid, unsigned int order,
		  unsigned int flags, struct pa_failure *why);
/* Free a block previously returned with this order. Coalesces. */
void pa_free(struct page_alloc *pa, uint64_t pfn, unsigned int order);

int pa_pfn_to_nid(const struct page_alloc *pa, uint64_t pfn);
enum pa_zone pa_pfn_to_zone(const struct page_alloc *pa, uint64_t pfn);
uint64_t pa_total_pages(const struct page_alloc *pa);

/* Per node and zone state, as /proc/buddyinfo and /proc/zoneinfo show. */
struct pa_zone_info {
	bool present;
	uint64_t start_pfn, spanned, managed;	/* managed: excl. reserved */
	uint64_t free_pages;
	uint64_t nr_free[PA_MAX_ORDER];		/* free blocks per order */
	uint64_t wmark_min, wmark_low, wmark_high;
	uint64_t alloc_fail, alloc_ok;
};
void pa_zone_info(const struct page_alloc *pa, int nid, enum pa_zone zone,
		  struct pa_zone_info *out);

/* Checks every invariant (no overlap, free counts add up, buddies of free
 * blocks not both free at the same order). Returns false on the first
 * broken one and describes it in msg. */
bool pa_is_consistent(const struct page_alloc *pa, char *msg, size_t len);

/*
 * Fragmentation indices (Gorman; mm/vmstat.c), in thousandths, for a zone
 * with nr_free[i] free blocks of order i and a requested order:
 * unusable free space index in [0, 1000] (1000 when nothing is free);
 * fragmentation index: 0 when no blocks, -1000 when the allocation would
 * succeed, else 1000 * (1 - (1 + free_pages/2^order) / blocks_total),
 * computed as the kernel does in integer arithmetic.
 */
int frag_unusable_index(const uint64_t nr_free[PA_MAX_ORDER], unsigned int order);
int frag_fragmentation_index(const uint64_t nr_free[PA_MAX_ORDER], unsigned int order);

#endif /* SLABSIM_MODELS_PAGE_ALLOC_H */
