#ifndef SLABSIM_SIM_UTIL_H
#define SLABSIM_SIM_UTIL_H
/*
 * Small pieces the simulator layers share: a growable text buffer (also the
 * seq_file the slab core prints /proc files into), a deterministic random
 * stream, and the one place user errors are reported.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A growable, NUL-terminated byte buffer. Aborts the process on OOM. */
struct strbuf {
	char *buf;
	size_t len, cap;
};
void sb_init(struct strbuf *sb);
void sb_free(struct strbuf *sb);
void sb_reset(struct strbuf *sb);
void sb_puts(struct strbuf *sb, const char *s);
void sb_putc(struct strbuf *sb, char c);
void sb_printf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void sb_vprintf(struct strbuf *sb, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/* The kernel's seq_file, as the slab core sees it: text into a strbuf. */
struct seq_file {
	struct strbuf sb;
};

/* Host memory that must exist: aborts with a message when it does not. */
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
char *xstrdup(const char *s);

/*
 * xoshiro256** seeded through splitmix64: one stream per purpose, derived
 * from the run seed and a stream number, so adding a stream never shifts
 * another one's numbers.
 */
struct rng {
	uint64_t s[4];
};
void rng_seed(struct rng *r, uint64_t seed, uint64_t stream);
uint64_t rng_next(struct rng *r);
/* Uniform in [0, n). n > 0. */
uint64_t rng_below(struct rng *r, uint64_t n);
/* Uniform double in [0, 1). */
double rng_unit(struct rng *r);
/* Exponential with mean 1, the same bits on every host. */
double rng_exp(struct rng *r);

/*
 * A user's mistake (bad workload, bad option): one line on stderr,
 * "slabsim: " + message, and exit code 2. Nothing half-written may be
 * left behind by the caller before it calls this.
 */
__attribute__((noreturn, format(printf, 1, 2))) void user_error(const char *fmt, ...);

/* Write a whole file; false (errno set) on failure. */
bool write_file(const char *path, const char *data, size_t len);

#endif /* SLABSIM_SIM_UTIL_H */
