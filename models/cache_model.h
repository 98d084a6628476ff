#ifndef SLABSIM_MODELS_CACHE_MODEL_H
#define SLABSIM_MODELS_CACHE_MODEL_H
/*
 * The cache-line model: per CPU a set-associative L1d and L2 (LRU), kept
 * coherent across CPUs (a write invalidates other CPUs' copies, so their
 * next access is a coherence miss), and the cost of every access: L1 hit,
 * L2 hit, or memory (local or remote node). Plain data, no globals, no
 * output: statistics are read back by the report layer.
 *
 * Accesses are attributed to a tag chosen by the caller (the simulator
 * uses one tag per (slab cache, colour)), so misses can be shown per cache
 * and per colour; the L1 set of every access is counted too.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cm_level {
	uint64_t size;		/* bytes */
	unsigned int ways;
};

struct cache_model_config {
	int nr_cpus;
	unsigned int line;	/* bytes, power of two */
	struct cm_level l1, l2;	/* private per CPU */
	/* costs in ns */
	uint64_t cost_l1, cost_l2, cost_local, cost_remote;
};

struct cm_stats {
	uint64_t accesses;
	uint64_t l1_hits, l2_hits;
	uint64_t misses;		/* went to memory */
	uint64_t coherence_misses;	/* of misses: line was invalidated by
					   another CPU's write */
	uint64_t remote;		/* of misses: memory on another node */
};

struct cache_model;

struct cache_model *cache_model_create(const struct cache_model_config *cfg);
void cache_model_destroy(struct cache_model *cm);

/*
 * cpu (on cpu_node) reads or writes [addr, addr + len) of memory homed on
 * mem_node. Every line touched is looked up in the CPU's L1, then L2, then
 * memory; returns the summed cost in ns. tag attributes the access. Line
 * numbers (addr / line) must stay below 2^30 - 1, which every 32-bit
 * address satisfies.
 */
uint64_t cache_model_access(struct cache_model *cm, int cpu, int cpu_node,
			    uint64_t addr, size_t len, bool write,
			    int mem_node, uint32_t tag);

/*
 * The common case alone, for a caller's fast path: when [addr, addr +
 * len) is one line that cpu's L1 holds in a state serving the access,
 * counts it exactly as cache_model_access would, sets *cost and returns
 * true. Otherwise returns false and changes nothing, and the caller
 * calls cache_model_access. It may decline an L1 hit (the first access
 * of a tag, a tag beyond the per-set counters, an L1 of other than 5 to
 * 8 ways, a recency clock due for renumbering): only the speed differs.
 * It never calls out, so a caller can keep its fast path a leaf.
 */
bool cache_model_hit(struct cache_model *cm, int cpu, uint64_t addr,
		     size_t len, bool write, uint32_t tag, uint64_t *cost);

/* Totals, and per tag (tags never used read as zero). */
void cache_model_totals(const struct cache_model *cm, struct cm_stats *out);
void cache_model_tag_stats(const struct cache_model *cm, uint32_t tag,
			   struct cm_stats *out);
uint32_t cache_model_max_tag(const struct cache_model *cm); /* 1 + highest used */
/* L1 sets: accesses and misses per set index, summed over CPUs. */
unsigned int cache_model_l1_sets(const struct cache_model *cm);
void cache_model_l1_set_stats(const struct cache_model *cm, unsigned int set,
			      uint64_t *accesses, uint64_t *misses);
/*
 * The same for the accesses of one tag. Set counts are kept per tag for
 * the first 2^22 / sets tags (65536 with 64 sets); for a tag beyond,
 * returns false (its accesses count in the sums above only). A tag never
 * used reads as zero.
 */
bool cache_model_tag_l1_set_stats(const struct cache_model *cm, uint32_t tag,
				  unsigned int set, uint64_t *accesses,
				  uint64_t *misses);

/*
 * Whether the model's invariants hold (sets well formed, L1 included in
 * L2, a Modified line held by one CPU only, directory counts exact). Walks
 * every way: for tests and debug builds, not for every access.
 */
bool cache_model_is_consistent(const struct cache_model *cm);

#endif /* SLABSIM_MODELS_CACHE_MODEL_H */
