#ifndef SLABSIM_SIM_FIXED_H
#define SLABSIM_SIM_FIXED_H
/*
 * Exact decimals for figures and bounds: summary.json writes integers and
 * thousandths, and comparing them through doubles could round a bound the
 * wrong way. Implemented in sim/report/summary.c.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decimal places kept exactly (the summary writes at most three). */
#define FIXED_MAX_SCALE		6

/* An exact decimal: v / 10^scale. */
struct fixed {
	int64_t v;
	int scale;
};

/*
 * Decimal text as a fixed: "-12", "0.865" (JSON's grammar, no exponent,
 * at most FIXED_MAX_SCALE places, within int64). false when it is not one.
 */
bool fixed_parse(const char *s, struct fixed *f);
/* a and b brought to a common scale (the finer); false on overflow. */
bool fixed_align(struct fixed *a, struct fixed *b);
/* "0.865", "-1.000", "12": buf of at least 32 bytes; returns buf. */
const char *fixed_str(char *buf, size_t len, struct fixed f);

#endif /* SLABSIM_SIM_FIXED_H */
