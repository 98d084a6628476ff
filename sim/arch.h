#ifndef SLABSIM_SIM_ARCH_H
#define SLABSIM_SIM_ARCH_H
/*
 * Architecture profiles (FACTS.md "Architecture profiles"): the geometry
 * the simulated kernel was built for, independent of the host.
 */
#include <stdbool.h>

#include "alloc/env.h"

/*
 * Fill *out for arch ("x86_64" or "i386"), cache line size (0 = the arch's
 * default, else 32, 64 or 128) and bufctl width (4, or 2 for kernels before
 * 2.6.14). Returns false for an unknown arch or an impossible value.
 */
bool arch_profile_init(struct arch_profile *out, const char *arch,
		       unsigned int line, unsigned int bufctl);

#endif /* SLABSIM_SIM_ARCH_H */
