#ifndef SLABSIM_SIM_ENGINE_INLINE_H
#define SLABSIM_SIM_ENGINE_INLINE_H
/*
 * Inline fast paths of the engine, for code that asks "which CPU" and
 * "charge this" millions of times per run (the kernel environment: every
 * memory touch, lock and irq call). A call into engine.c for each costs
 * more than the work itself.
 *
 * The engine keeps a small read-only view of the running context at the
 * very start of struct engine; these functions read it and give exactly
 * the answers of engine_cpu(), engine_charge(), engine_now() and
 * engine_irqs_disabled(). Nothing here may write anything but a clock.
 */
#include "sim/engine.h"

/*
 * The part of a simulated CPU the fast paths touch (first in struct cpu).
 * The kernel environment's inline functions (alloc/env.h) use it too, as
 * struct env_cpu_fast: they charge the clock and turn interrupts off. So
 * the two layouts stay the same (sim/machine.c asserts it where it hands
 * the engine's view to the environment).
 */
struct engine_cpu_hot {
	vtime_t clock;
	bool irqs_off;
};

/* What runs now (first in struct engine; engine.c keeps it current). */
struct engine_hot {
	struct engine_cpu_hot *cur;	/* running CPU, NULL outside operations */
	int cpu;			/* what engine_cpu() says */
	bool boot_irqs_off;		/* irq state outside operations */
	vtime_t gnow;			/* time of the global running (or last) */
};

static inline const struct engine_hot *engine_hot_view(const struct engine *e)
{
	return (const struct engine_hot *)(const void *)e;
}

/* engine_cpu(), inline. */
static inline int engine_cpu_fast(const struct engine *e)
{
	return engine_hot_view(e)->cpu;
}

/* engine_charge(), inline: no-op outside operations. */
static inline void engine_charge_fast(struct engine *e, vtime_t ns)
{
	struct engine_cpu_hot *c = ((struct engine_hot *)(void *)e)->cur;

	if (c)
		c->clock += ns;
}

/*
 * The running CPU's clock, inside an operation only (no check: the
 * runner's latency recording reads it twice around every allocator call).
 */
static inline vtime_t engine_op_clock(const struct engine *e)
{
	return engine_hot_view(e)->cur->clock;
}

/* engine_now(), inline. */
static inline vtime_t engine_now_fast(const struct engine *e)
{
	const struct engine_hot *h = engine_hot_view(e);

	return h->cur ? h->cur->clock : h->gnow;
}

/* engine_irqs_disabled(), inline. */
static inline bool engine_irqs_disabled_fast(const struct engine *e)
{
	const struct engine_hot *h = engine_hot_view(e);

	return h->cur ? h->cur->irqs_off : h->boot_irqs_off;
}

#endif /* SLABSIM_SIM_ENGINE_INLINE_H */
