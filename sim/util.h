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
#include <stdio.h>
#include <sys/types.h>

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
/* s as a JSON string, quotes included; control bytes and DEL escaped. */
void sb_put_json_str(struct strbuf *sb, const char *s);
/* s as one CSV field, quoted (RFC 4180) only when it needs to be. */
void sb_put_csv_field(struct strbuf *sb, const char *s);

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
 * another one's numbers. The draws are inline: generators take two per
 * allocation, and a call costs as much as the draw.
 */
struct rng {
	uint64_t s[4];
};
void rng_seed(struct rng *r, uint64_t seed, uint64_t stream);
/* Uniform in [0, n). n > 0. */
uint64_t rng_below(struct rng *r, uint64_t n);

static inline uint64_t rng_rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static inline uint64_t rng_next(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rng_rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rng_rotl(s[3], 45);
	return result;
}

/* Uniform double in [0, 1). */
static inline double rng_unit(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

/*
 * Exponential with mean 1, the same bits on every host: Marsaglia and
 * Tsang's ziggurat over 256 strips of equal area. One draw picks a strip
 * (low 8 bits) and a point in it (top 53 bits); nearly always the point
 * lies under the curve and is the answer. The rare rest (a wedge, the
 * tail) is out of line. The table is built by rng_seed, in plain IEEE
 * arithmetic, so it too has the same bits everywhere.
 */
extern double rng_zig_x[257];	/* strip i spans [0, x[i]); x[256] = 0 */
double rng_exp_slow(struct rng *r, unsigned int i, double x);

static inline double rng_exp(struct rng *r)
{
	uint64_t u = rng_next(r);
	unsigned int i = (unsigned int)(u & 0xff);
	double x = (double)(u >> 11) * 0x1.0p-53 * rng_zig_x[i];

	if (x < rng_zig_x[i + 1])
		return x;
	return rng_exp_slow(r, i, x);
}

/*
 * ln(x) for x in (0, 1], the same bits on every host (plain IEEE
 * arithmetic, no libm): what the laws of sim/workload/dist.c build on.
 */
double det_log(double x);

/*
 * A user's mistake (bad workload, bad option): one line on stderr,
 * "slabsim: " + message, and exit code 2. Nothing half-written may be
 * left behind by the caller before it calls this.
 */
__attribute__((noreturn, format(printf, 1, 2))) void user_error(const char *fmt, ...);

/*
 * Start argv (argv[0] a path, no shell) as a child: stdin from in_fd (-1:
 * /dev/null), stdout to /dev/null, stderr into err (NULL: inherited). A
 * child that cannot run argv[0] says so on its stderr and exits 127.
 * Returns the pid; a failed fork is reported as a user error.
 */
pid_t spawn(char *const *argv, int in_fd, FILE *err);
/* waitpid(pid) through EINTR; the raw wait status. */
int wait_child(pid_t pid);

/*
 * Write a whole file; false (errno set) on failure, with every write and
 * the close checked. What a failure leaves at path is undefined: use it
 * only inside a directory that is removed on failure.
 */
bool write_file(const char *path, const char *data, size_t len);
/*
 * Write a whole file all or nothing: into a unique temporary beside path
 * (path.slabsim-tmp.XXXXXX), then renamed over it. On failure (false,
 * errno set) path is as it was and the temporary is gone. A path that is
 * not a regular file (/dev/stdout, a pipe) is written directly.
 */
bool write_file_atomic(const char *path, const char *data, size_t len);
/*
 * A unique temporary file name beside path, the file created empty with
 * the mode a new file gets (0666 less the umask); malloc'd, NULL (errno
 * set) when it cannot be made. For a tool (gnuplot) that writes by name.
 */
char *temp_beside(const char *path);
/*
 * Whether the file at path is a whole picture of its kind: a PNG ending
 * in its IEND chunk, an SVG ending in </svg>. gnuplot can exit 0 having
 * written part of one (a full disk); such a file is not kept.
 */
bool image_complete(const char *path, bool svg);

#endif /* SLABSIM_SIM_UTIL_H */
