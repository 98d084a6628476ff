#ifndef SLABSIM_SIM_FAULT_H
#define SLABSIM_SIM_FAULT_H
/*
 * Fault injection at the simulated machine's page allocator, as Linux's
 * fail_page_alloc (lib/fault-inject.c, should_fail_alloc_page): a rule
 * from the workload's faults: section decides, for each page allocation
 * the slab core asks for, whether to fail it before the buddy allocator
 * is consulted. An injected failure looks to the slab core exactly like
 * a real one (alloc_pages_node returns NULL) but is not a real shortage:
 * it is counted apart (summary.json "faults", a closing kernel.log line)
 * and prints no "page allocation failure" report, as in Linux.
 *
 * Words:
 *   candidate  a page allocation the rule applies to: made after boot, in
 *              the rule's [from, until) of workload time, with every gfp
 *              flag the rule names, and not __GFP_NOFAIL (Linux never
 *              fails those either).
 *   injected   a candidate the rule failed: every Nth one (every: N), or
 *              each with probability P (probability: P), drawn from a
 *              stream of the run's seed of its own, so it is reproducible
 *              and changes no other stream.
 */
#include <stdbool.h>
#include <stdint.h>

#include "sim/util.h"
#include "sim/workload.h"

struct fault_state {
	const struct wl_fault *rule;	/* NULL until armed, or rule off */
	uint64_t t0;			/* engine time of workload time 0 */
	uint64_t threshold;		/* probability as a 32-bit fraction */
	struct rng rng;
	uint64_t candidates, injected;
	unsigned int printed;		/* injected failures logged so far */
};

/* Arm rule (NULL or off: nothing is ever failed); workload time 0 is t0. */
void fault_arm(struct fault_state *fs, const struct wl_fault *rule,
	       uint64_t seed, uint64_t t0);

/*
 * Whether to fail a page allocation with these GFP bits now (engine
 * time); counts candidates and injected failures. The caller fails the
 * allocation and logs it (sim/env.c).
 */
bool fault_should_fail(struct fault_state *fs, uint64_t now, unsigned int gfp);

/* Injected failures the kernel log shows one by one; later ones are
 * only counted (a run failing every 7th of a million allocations would
 * otherwise log more than it simulates). */
#define FAULT_PRINT_MAX	10

#endif /* SLABSIM_SIM_FAULT_H */
