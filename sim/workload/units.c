// SPDX-License-Identifier: GPL-2.0
/*
 * The loader's numbers: durations, sizes and rates with their units, whole
 * numbers, booleans. Parsed without strtod: no locale, no binary rounding,
 * exact integer results or a clear refusal.
 */
#include <stdint.h>
#include <string.h>

#include "sim/workload/loader.h"

const struct unit dur_units[] = {
	{ "ns", 1 }, { "us", 1000 }, { "ms", 1000000 }, { "s", 1000000000 },
	{ NULL, 0 },
};

const struct unit size_units[] = {
	{ "B", 1 }, { "KiB", 1ULL << 10 }, { "MiB", 1ULL << 20 },
	{ "GiB", 1ULL << 30 }, { NULL, 0 },
};

static const struct unit rate_units[] = {
	{ "/s", 1 }, { "/ms", 1000 }, { "/us", 1000000 }, { NULL, 0 },
};


/*
 * Reads "12" or "1.25" at s and leaves *end after it. NUM_BAD when there is
 * no number, NUM_BIG when the whole part overflows, NUM_FINE when the
 * fraction has more than 9 significant digits (finer than any unit here).
 */
enum num scan_decimal(const char *s, struct decimal *d,
		      const char **end)
{
	enum num r = NUM_OK;
	const char *p = s, *q, *last;

	memset(d, 0, sizeof(*d));
	*end = s;
	if (!is_digit(*p))
		return NUM_BAD;
	for (; is_digit(*p); p++) {
		unsigned int digit = (unsigned int)(*p - '0');

		if (d->whole > (UINT64_MAX - digit) / 10)
			r = NUM_BIG;
		else
			d->whole = d->whole * 10 + digit;
	}
	if (*p == '.') {
		q = ++p;
		if (!is_digit(*p))
			return NUM_BAD;
		while (is_digit(*p))
			p++;
		last = p;
		while (last > q && last[-1] == '0')
			last--;
		for (; q < last; q++) {
			if (d->fdigits == 9) {
				if (r == NUM_OK)
					r = NUM_FINE;
				break;
			}
			d->frac = d->frac * 10 + (uint64_t)(*q - '0');
			d->fdigits++;
		}
	}
	*end = p;
	return r;
}

uint64_t pow10u(unsigned int n)
{
	uint64_t p = 1;

	while (n--)
		p *= 10;
	return p;
}

/* d * mult as an exact integer; NUM_FINE if it has a fractional part. */
static enum num scale(const struct decimal *d, uint64_t mult, uint64_t *out)
{
	uint64_t p10 = pow10u(d->fdigits);
	uint64_t fpart = d->frac * mult;	/* < 1e9 * 2^30: no overflow */
	uint64_t w;

	if (d->whole > UINT64_MAX / mult)
		return NUM_BIG;
	if (fpart % p10)
		return NUM_FINE;
	w = d->whole * mult;
	if (w > UINT64_MAX - fpart / p10)
		return NUM_BIG;
	*out = w + fpart / p10;
	return NUM_OK;
}

/*
 * "<decimal> [spaces] <unit>". Without a unit only a plain integer is
 * taken, and only when plain_ok (or it is 0). NUM_BAD for a bad unit.
 */
enum num parse_units(const char *s, const struct unit *units,
		     bool plain_ok, uint64_t *out)
{
	struct decimal d;
	const struct unit *u;
	const char *p;
	enum num r = scan_decimal(s, &d, &p);

	if (r == NUM_BAD)
		return NUM_BAD;
	while (*p == ' ')
		p++;
	if (*p == '\0') {
		if (d.fdigits || (!plain_ok && (d.whole || r != NUM_OK)))
			return NUM_BAD;
		if (r != NUM_OK)
			return r;
		*out = d.whole;
		return NUM_OK;
	}
	for (u = units; u->name; u++) {
		if (strcmp(p, u->name))
			continue;
		if (r != NUM_OK)
			return r;
		return scale(&d, u->mult, out);
	}
	return NUM_BAD;
}

bool parse_duration(const char *s, uint64_t *ns)
{
	return s && ns && parse_units(s, dur_units, false, ns) == NUM_OK;
}

bool parse_bytes(const char *s, uint64_t *bytes)
{
	return s && bytes && parse_units(s, size_units, true, bytes) == NUM_OK;
}

bool parse_rate(const char *s, double *per_sec)
{
	struct decimal d;
	const struct unit *u;
	const char *p;
	enum num r;

	if (!s || !per_sec)
		return false;
	r = scan_decimal(s, &d, &p);
	if (r == NUM_BAD || r == NUM_BIG)
		return false;
	while (*p == ' ')
		p++;
	for (u = rate_units; u->name; u++) {
		if (strcmp(p, u->name))
			continue;
		*per_sec = ((double)d.whole +
			    (double)d.frac / (double)pow10u(d.fdigits)) *
			   (double)u->mult;
		return true;
	}
	return false;
}

/* A whole number: decimal, or hex after 0x. */
enum num parse_u64(const char *s, uint64_t *out)
{
	unsigned int base = 10, digit;
	uint64_t v = 0;
	enum num r = NUM_OK;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && s[2]) {
		base = 16;
		s += 2;
	}
	if (!*s)
		return NUM_BAD;
	for (; *s; s++) {
		if (is_digit(*s))
			digit = (unsigned int)(*s - '0');
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			digit = (unsigned int)(*s - 'a' + 10);
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			digit = (unsigned int)(*s - 'A' + 10);
		else
			return NUM_BAD;
		if (v > (UINT64_MAX - digit) / base)
			r = NUM_BIG;
		else
			v = v * base + digit;
	}
	*out = v;
	return r;
}

enum num parse_i64(const char *s, int64_t *out)
{
	bool neg = *s == '-';
	uint64_t v = 0;
	enum num r = parse_u64(neg ? s + 1 : s, &v);

	if (r != NUM_OK)
		return r;
	if (v > (uint64_t)INT64_MAX + (neg ? 1 : 0))
		return NUM_BIG;
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return NUM_OK;
}

static bool ascii_ieq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		char x = *a >= 'A' && *a <= 'Z' ? (char)(*a + 32) : *a;
		char y = *b >= 'A' && *b <= 'Z' ? (char)(*b + 32) : *b;

		if (x != y)
			return false;
	}
	return *a == *b;
}

bool parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "true", "yes", "on" };
	static const char *const no[] = { "false", "no", "off" };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(yes); i++) {
		if (ascii_ieq(s, yes[i])) {
			*out = true;
			return true;
		}
		if (ascii_ieq(s, no[i])) {
			*out = false;
			return true;
		}
	}
	return false;
}
