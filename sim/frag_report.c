/*
 * Fragmentation over time: the page allocator's free areas per node, zone
 * and order, with the unusable free space and fragmentation indices.
 */
#include "sim/report.h"

void report_frag_header(struct strbuf *sb)
{
	sb_puts(sb, "t_ms,node,zone,order,nr_free,unusable_index,"
		"fragmentation_index\n");
}

void report_frag_sample(struct run_result *res, uint64_t t)
{
	struct machine *m = res->m;
	uint64_t t_us = t / 1000;

	for (int nid = 0; nid < m->nr_nodes; nid++) {
		for (int z = 0; z < PA_NR_ZONES; z++) {
			struct pa_zone_info zi;

			pa_zone_info(m->pa, nid, (enum pa_zone)z, &zi);
			if (!zi.present)
				continue;
			for (unsigned int order = 0; order < PA_MAX_ORDER; order++) {
				sb_printf(&res->fragmentation,
					  "%llu.%03llu,%d,%s,%u,%llu,",
					  (unsigned long long)(t_us / 1000),
					  (unsigned long long)(t_us % 1000),
					  nid, zone_names[z], order,
					  (unsigned long long)zi.nr_free[order]);
				put_milli(&res->fragmentation,
					  frag_unusable_index(zi.nr_free, order));
				sb_putc(&res->fragmentation, ',');
				put_milli(&res->fragmentation,
					  frag_fragmentation_index(zi.nr_free, order));
				sb_putc(&res->fragmentation, '\n');
			}
		}
	}
}
