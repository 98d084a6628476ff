/*
 * Reading the latency histograms (sim/latency.h): bucket bounds,
 * percentiles by nearest rank, merging. Integer arithmetic only, so the
 * same samples always print the same figures.
 */
#include "sim/latency.h"

#include "sim/util.h"

const char *const lat_kind_names[LAT_NR_KINDS] = {
	"alloc", "free", "kmalloc", "kfree",
};

struct lat_hist *lat_new(void)
{
	return xcalloc(1, sizeof(struct lat_hist));
}

void lat_finish(struct lat_hist *h)
{
	uint64_t n = 0;

	for (unsigned int b = 0; b < LAT_BUCKETS; b++)
		n += h->bucket[b];
	h->count = n;
}

uint64_t lat_bucket_low(unsigned int b)
{
	unsigned int g, sub;

	if (b < LAT_EXACT)
		return b;
	g = (b - LAT_EXACT) / LAT_SUB;		/* power of two above 2^8 */
	sub = (b - LAT_EXACT) % LAT_SUB;
	return (uint64_t)(LAT_SUB + sub) << (g + 1);
}

uint64_t lat_bucket_high(unsigned int b)
{
	if (b < LAT_EXACT)
		return b;
	if (b == LAT_BUCKETS - 1)
		return UINT64_MAX;
	return lat_bucket_low(b + 1) - 1;
}

uint64_t lat_percentile(const struct lat_hist *h, unsigned int permille)
{
	uint64_t rank, seen = 0;

	if (!h || !h->count)
		return 0;
	/* ceil(count * p / 1000), at least 1: the nearest-rank definition */
	rank = (h->count * permille + 999) / 1000;
	if (rank == 0)
		rank = 1;
	for (unsigned int b = 0; b < LAT_BUCKETS; b++) {
		seen += h->bucket[b];
		if (seen >= rank) {
			uint64_t v = lat_bucket_high(b);

			return v < h->max ? v : h->max;
		}
	}
	return h->max;
}

void lat_merge(struct lat_hist *dst, const struct lat_hist *src)
{
	dst->count += src->count;
	dst->sum += src->sum;
	if (src->max > dst->max)
		dst->max = src->max;
	for (unsigned int b = 0; b < LAT_BUCKETS; b++)
		dst->bucket[b] += src->bucket[b];
}
