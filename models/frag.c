/*
 * Fragmentation indices of a zone's free areas (Mel Gorman; Linux
 * mm/vmstat.c, fill_contig_page_info, unusable_free_index and
 * __fragmentation_index). They answer two questions about a request of
 * 2^order pages: how much of the free memory is useless to it, and, if it
 * fails, whether it fails for lack of memory (near 0) or because the free
 * memory is scattered (near 1000). Integer arithmetic as the kernel's, so
 * a report prints the very numbers /sys/kernel/debug/extfrag would.
 */
#include "models/page_alloc.h"

struct contig_page_info {
	uint64_t free_pages;
	uint64_t free_blocks_total;
	uint64_t free_blocks_suitable;
};

/* An order past the free areas has no suitable block at all. */
static void fill_contig_page_info(const uint64_t nr_free[PA_MAX_ORDER],
				  unsigned int suitable_order,
				  struct contig_page_info *info)
{
	unsigned int order;

	*info = (struct contig_page_info){ 0 };
	for (order = 0; order < PA_MAX_ORDER; order++) {
		uint64_t blocks = nr_free[order];

		info->free_blocks_total += blocks;
		info->free_pages += blocks << order;
		if (order >= suitable_order)
			info->free_blocks_suitable +=
				blocks << (order - suitable_order);
	}
}

/* 1000 when nothing is free: no free memory is all unusable. */
int frag_unusable_index(const uint64_t nr_free[PA_MAX_ORDER], unsigned int order)
{
	struct contig_page_info info;
	uint64_t usable;

	fill_contig_page_info(nr_free, order, &info);
	if (info.free_pages == 0)
		return 1000;
	/* suitable blocks are non-empty only when order < PA_MAX_ORDER */
	usable = info.free_blocks_suitable ?
		 info.free_blocks_suitable << order : 0;
	return (int)((info.free_pages - usable) * 1000 / info.free_pages);
}

/*
 * 0 without free blocks, -1000 when a suitable block exists (the index
 * only means something for a request that would fail).
 */
int frag_fragmentation_index(const uint64_t nr_free[PA_MAX_ORDER],
			     unsigned int order)
{
	struct contig_page_info info;
	uint64_t per_request;

	fill_contig_page_info(nr_free, order, &info);
	if (!info.free_blocks_total)
		return 0;
	if (info.free_blocks_suitable)
		return -1000;
	/* free_pages * 1000 / 2^order; a request wider than 64 bits gets 0 */
	per_request = order < 64 ? info.free_pages * 1000 / (1ull << order) : 0;
	return 1000 - (int)((1000 + per_request) / info.free_blocks_total);
}
