#include "sim/arch.h"

#include <string.h>

/*
 * The two profiles FACTS.md gives. sizeof(struct slab) is the padded size
 * of list_head + colouroff + s_mem + inuse + free + nodeid on each arch;
 * PAGE_OFFSET is only used to print kernel-looking addresses.
 */
static const struct arch_profile profiles[] = {
	{
		.name = "x86_64",
		.bytes_per_word = 8,
		.cache_line = 64,
		.sizeof_slab = 48,
		.sizeof_bufctl = 4,
		.sizeof_spinlock = 4,
		.max_gfp_order = 5,
		.page_offset = 0xffff810000000000UL,
		.kernel_text = 0xffffffff80100000UL,
	},
	{
		.name = "i386",
		.bytes_per_word = 4,
		.cache_line = 64,
		.sizeof_slab = 28,
		.sizeof_bufctl = 4,
		.sizeof_spinlock = 4,
		.max_gfp_order = 5,
		.page_offset = 0xc0000000UL,
		.kernel_text = 0xc0100000UL,
	},
};

bool arch_profile_init(struct arch_profile *out, const char *arch,
		       unsigned int line, unsigned int bufctl)
{
	for (size_t i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++) {
		if (strcmp(profiles[i].name, arch) != 0)
			continue;
		*out = profiles[i];
		if (line) {
			if (line != 32 && line != 64 && line != 128)
				return false;
			out->cache_line = line;
		}
		if (bufctl != 0 && bufctl != 2 && bufctl != 4)
			return false;
		if (bufctl)
			out->sizeof_bufctl = bufctl;
		return true;
	}
	return false;
}
