#ifndef SLABSIM_SIM_FRAG_REPORT_H
#define SLABSIM_SIM_FRAG_REPORT_H
/*
 * Fragmentation you can measure (sim/report/frag.c), beyond the two
 * fragmentation.csv hooks that sim/report.h declares: the slab-level
 * waste breakdown of one cache, page allocation failures as the kernel
 * reports them, and the headline figures summary.json carries.
 */
#include <stdbool.h>
#include <stdint.h>

#include "sim/run.h"

/*
 * Where the bytes of one cache's slabs go. Every field is in bytes, and
 *   held = requested + rounding + parked_cpu + parked_shared + parked_alien
 *          + idle_partial + idle_free + kernel_objs + left_over + mgmt
 * holds exactly. mgmt counts on-slab management only: an off-slab
 * struct slab + bufctl array is an object of a size-N cache and is
 * counted there (as kernel_objs); mgmt_offslab shows it here, outside the
 * sum, so that totals over caches count it once.
 */
struct slab_waste {
	uint64_t pages;
	uint64_t held;			/* pages * PAGE_SIZE */
	uint64_t requested;		/* users' live bytes */
	uint64_t objects;		/* active objects * obj_size (not in the sum) */
	int64_t rounding;		/* user objects * buffer_size - requested */
	uint64_t parked_cpu, parked_shared, parked_alien;
	uint64_t idle_partial, idle_free;	/* free slots in slabs */
	int64_t kernel_objs;		/* active objects no user or array holds */
	uint64_t left_over;		/* left_over * slabs */
	uint64_t mgmt;			/* on-slab slab_size * slabs */
	uint64_t mgmt_offslab;		/* off-slab slab_size * slabs (not in the sum) */
};

/*
 * The waste of machine cache i, as info (kmem_cache_get_info of it) shows
 * it, with the users' bookkeeping of res.
 */
void slab_waste_of(const struct run_result *res, size_t i,
		   const struct kmem_cache_info *info, struct slab_waste *w);

/*
 * A page allocation failed (called by alloc_pages_node, on the CPU that
 * asked): count it per order, remember the first one with the free memory
 * and the fragmentation indices of that moment, and, unless gfp has
 * __GFP_NOWARN or printk_ratelimit() says no, print the kernel's
 * "page allocation failure" report and a show_mem() summary into the log.
 */
void frag_page_alloc_failed(struct machine *m, int nid, gfp_t gfp,
			    unsigned int order, bool reclaimed);

/*
 * summary.json members (each line indented two spaces and ending in ",\n"):
 * "slab_waste" totals over caches at the end, and "page_alloc" with the
 * failures per order and the first failure.
 */
void frag_summary_json(const struct run_result *res, struct strbuf *sb);

/*
 * fragmentation.csv rows of kind `failure`, one per page allocation
 * failure (the first 100000): t_ms (workload time), node and zone asked
 * first, order, and that zone's fragmentation index at that order then.
 */
void frag_failure_rows(const struct run_result *res, struct strbuf *sb);

/*
 * When an order's first failure came while its fragmentation index read
 * -1 (a block of that order was free, the watermark kept it back): a
 * sentence saying so in buf, and true.
 */
bool frag_watermark_note(const struct machine *m, char *buf, size_t len);

#endif /* SLABSIM_SIM_FRAG_REPORT_H */
