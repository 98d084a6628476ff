#ifndef SLABSIM_SIM_LATENCY_H
#define SLABSIM_SIM_LATENCY_H
/*
 * The cost of an operation: how long each call into the allocator took in
 * virtual time on its CPU (the cost model's charges and every lock wait
 * inside), per machine cache and kind of call. The runner records around
 * each call; the report layer reads count, mean, p50, p99 and max.
 *
 * A deterministic log-linear histogram (the HdrHistogram layout): values
 * below 256 ns are buckets of their own, exactly; above, each power of two
 * is cut into 128 buckets, so a bucket is at most 1/128 of its values
 * wide. A percentile is reported as the upper end of the bucket that holds
 * it (capped at the exact maximum): exact below 256 ns, never below the
 * exact value and at most 0.79% above it. Count, sum (mean) and max are
 * exact. Recording is a sum, a compare and one bucket increment; the
 * count is the buckets' sum, taken once by lat_finish.
 */
#include <stdint.h>

enum lat_kind { LAT_ALLOC, LAT_FREE, LAT_KMALLOC, LAT_KFREE, LAT_NR_KINDS };
/* "alloc" "free" "kmalloc" "kfree": the op column of latency.csv */
extern const char *const lat_kind_names[LAT_NR_KINDS];

#define LAT_SUB_BITS	7
#define LAT_SUB		(1u << LAT_SUB_BITS)	/* buckets per power of two */
#define LAT_EXACT	(2u * LAT_SUB)		/* below this: 1 ns buckets */
#define LAT_BUCKETS	(LAT_EXACT + (64u - LAT_SUB_BITS - 1) * LAT_SUB)

struct lat_hist {
	uint64_t count;		/* not kept while recording: lat_finish sets it */
	uint64_t sum, max;
	uint64_t bucket[LAT_BUCKETS];
};

static inline unsigned int lat_bucket(uint64_t v)
{
	unsigned int e;

	if (v < LAT_EXACT)
		return (unsigned int)v;
	e = 63u - (unsigned int)__builtin_clzll(v);	/* >= LAT_SUB_BITS + 1 */
	return LAT_EXACT + (e - LAT_SUB_BITS - 1) * LAT_SUB +
	       (unsigned int)((v >> (e - LAT_SUB_BITS)) & (LAT_SUB - 1));
}

/* A new, empty histogram (aborts when host memory runs out). */
struct lat_hist *lat_new(void);

/* Record v ns into *hp, creating the histogram on first use. */
static inline void lat_record(struct lat_hist **hp, uint64_t v)
{
	struct lat_hist *h = *hp;

	if (__builtin_expect(!h, 0))
		h = *hp = lat_new();
	h->sum += v;
	if (v > h->max)
		h->max = v;
	h->bucket[lat_bucket(v)]++;
}

/* Count the samples into h->count (before reading h; idempotent). */
void lat_finish(struct lat_hist *h);

/* Smallest and largest value bucket b holds. */
uint64_t lat_bucket_low(unsigned int b);
uint64_t lat_bucket_high(unsigned int b);

/*
 * The p-th percentile (0 < permille <= 1000, in thousandths) by nearest
 * rank: the value of the ceil(p * count)-th smallest sample, reported as
 * the upper end of its bucket capped at max. 0 for an empty histogram.
 */
uint64_t lat_percentile(const struct lat_hist *h, unsigned int permille);

/* Add src's samples into dst (same layout: exact). */
void lat_merge(struct lat_hist *dst, const struct lat_hist *src);

#endif /* SLABSIM_SIM_LATENCY_H */
