/*
 * Fault injection: the decision of fail_page_alloc; see fault.h.
 */
#include "sim/fault.h"

#include "alloc/env.h"

/* The fault stream's number: apart from every generator's (1000 + ...). */
#define FAULT_STREAM	0xfa17ULL

void fault_arm(struct fault_state *fs, const struct wl_fault *rule,
	       uint64_t seed, uint64_t t0)
{
	fs->rule = rule && wl_fault_on(rule) ? rule : NULL;
	fs->t0 = t0;
	fs->candidates = 0;
	fs->injected = 0;
	fs->printed = 0;
	rng_seed(&fs->rng, seed, FAULT_STREAM);
	/*
	 * A 32-bit fraction, compared with the top 32 bits of one draw:
	 * exact for 0 and 1, and the same integer on every host.
	 */
	fs->threshold = 0;
	if (fs->rule && fs->rule->probability_given)
		fs->threshold = (uint64_t)(fs->rule->probability * 4294967296.0);
}

bool fault_should_fail(struct fault_state *fs, uint64_t now, unsigned int gfp)
{
	const struct wl_fault *f = fs->rule;
	uint64_t t;
	bool fail;

	if (!f || now < fs->t0)
		return false;
	t = now - fs->t0;
	if (t < f->from || (f->until_given && t >= f->until))
		return false;
	if ((gfp & __GFP_NOFAIL) || (gfp & f->gfp) != f->gfp)
		return false;
	fs->candidates++;
	if (f->every)
		fail = fs->candidates % f->every == 0;
	else
		fail = (rng_next(&fs->rng) >> 32) < fs->threshold;
	if (fail)
		fs->injected++;
	return fail;
}
