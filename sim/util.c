#include "sim/util.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- growable text ---- */

void sb_init(struct strbuf *sb)
{
	sb->buf = NULL;
	sb->len = 0;
	sb->cap = 0;
}

void sb_free(struct strbuf *sb)
{
	free(sb->buf);
	sb_init(sb);
}

void sb_reset(struct strbuf *sb)
{
	sb->len = 0;
	if (sb->buf)
		sb->buf[0] = '\0';
}

static void sb_grow(struct strbuf *sb, size_t extra)
{
	size_t need = sb->len + extra + 1;

	if (need <= sb->cap)
		return;
	size_t cap = sb->cap ? sb->cap : 256;
	while (cap < need)
		cap *= 2;
	sb->buf = xrealloc(sb->buf, cap);
	sb->cap = cap;
}

void sb_puts(struct strbuf *sb, const char *s)
{
	size_t n = strlen(s);

	sb_grow(sb, n);
	memcpy(sb->buf + sb->len, s, n + 1);
	sb->len += n;
}

void sb_putc(struct strbuf *sb, char c)
{
	sb_grow(sb, 1);
	sb->buf[sb->len++] = c;
	sb->buf[sb->len] = '\0';
}

void sb_vprintf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list ap2;
	size_t room;
	int n;

	/*
	 * Straight into the spare room (nearly always enough: reports grow
	 * line by line); only text that does not fit is formatted again.
	 */
	sb_grow(sb, 128);
	room = sb->cap - sb->len;
	va_copy(ap2, ap);
	n = vsnprintf(sb->buf + sb->len, room, fmt, ap2);
	va_end(ap2);
	if (n < 0) {
		sb->buf[sb->len] = '\0';
		return;
	}
	if ((size_t)n >= room) {
		sb_grow(sb, (size_t)n);
		vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	}
	sb->len += (size_t)n;
}

void sb_printf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sb_vprintf(sb, fmt, ap);
	va_end(ap);
}

/* ---- host memory ---- */

static void out_of_memory(void)
{
	fputs("slabsim: out of host memory\n", stderr);
	exit(1);
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		out_of_memory();
	return p;
}

void *xrealloc(void *p, size_t size)
{
	p = realloc(p, size ? size : 1);
	if (!p)
		out_of_memory();
	return p;
}

char *xstrdup(const char *s)
{
	char *d = strdup(s);

	if (!d)
		out_of_memory();
	return d;
}

/* ---- random streams ---- */

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void zig_init(void);

void rng_seed(struct rng *r, uint64_t seed, uint64_t stream)
{
	uint64_t x = seed ^ (stream * 0xd1342543de82ef95ULL);

	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
	zig_init();
}

uint64_t rng_below(struct rng *r, uint64_t n)
{
	/* Lemire's multiply-shift with rejection: unbiased, deterministic. */
	__uint128_t m = (__uint128_t)rng_next(r) * n;
	uint64_t l = (uint64_t)m;

	if (l < n) {
		uint64_t t = -n % n;
		while (l < t) {
			m = (__uint128_t)rng_next(r) * n;
			l = (uint64_t)m;
		}
	}
	return (uint64_t)(m >> 64);
}

/*
 * ln(x) for x in (0, 1], in plain IEEE double arithmetic so every host
 * gives the same bits (libm picks FMA or not by CPU; -ffp-contract=off
 * keeps the compiler from fusing here). x = m * 2^e with m in
 * [sqrt(1/2), sqrt(2)); ln(m) = 2 atanh(s), s = (m - 1) / (m + 1),
 * |s| < 0.172, the series to s^23 by Horner: error below 1e-16.
 */
double det_log(double x)
{
	int e;
	double m = frexp(x, &e);

	if (m < 0.70710678118654752440) {
		m *= 2.0;
		e -= 1;
	}
	double s = (m - 1.0) / (m + 1.0);
	double s2 = s * s;
	/* 1/(2k+1), k = 11 .. 0, as constants: Horner, no divisions. */
	static const double c[12] = {
		1.0 / 23, 1.0 / 21, 1.0 / 19, 1.0 / 17, 1.0 / 15, 1.0 / 13,
		1.0 / 11, 1.0 / 9, 1.0 / 7, 1.0 / 5, 1.0 / 3, 1.0,
	};
	double p = c[0];
	for (int k = 1; k < 12; k++)
		p = p * s2 + c[k];
	return (double)e * 0.69314718055994530942 + 2.0 * s * p;
}

/*
 * exp(-x) for x >= 0, as det_log: plain IEEE arithmetic. x = k ln 2 + t
 * with |t| <= ln 2 / 2, exp(-t) by its Taylor series to t^16 (Horner),
 * then the exact scaling by 2^-k.
 */
static double det_exp_neg(double x)
{
	double k = (double)(long)(x * 1.44269504088896340736 + 0.5);
	double t = x - k * 0.69314718055994530942;
	double p = 1.0;

	for (int n = 16; n >= 1; n--)
		p = 1.0 - t * p / (double)n;
	return ldexp(p, -(int)k);
}

/*
 * exp(-x) to within 1e-14 relative of det_exp_neg(x), in a third of its
 * time: the same reduction (so the same t), then Taylor to t^12 by
 * Horner with multiplications only. The truncation is below 2e-16 for
 * |t| <= ln 2 / 2, and each of the two evaluations rounds at most about
 * 2e-15 away from exp(-t).
 */
static double quick_exp_neg(double x)
{
	static const double a[13] = {	/* (-1)^n / n!, n = 12 .. 0 */
		1.0 / 479001600, -1.0 / 39916800, 1.0 / 3628800,
		-1.0 / 362880, 1.0 / 40320, -1.0 / 5040, 1.0 / 720,
		-1.0 / 120, 1.0 / 24, -1.0 / 6, 1.0 / 2, -1.0, 1.0,
	};
	double k = (double)(long)(x * 1.44269504088896340736 + 0.5);
	double t = x - k * 0.69314718055994530942;
	double p = a[0];

	for (int n = 1; n < 13; n++)
		p = p * t + a[n];
	return ldexp(p, -(int)k);
}

/*
 * y < det_exp_neg(x), deciding by quick_exp_neg unless y lies within
 * 1e-12 of it, a band a hundred times wider than the two can differ
 * (tests/test_rng.c checks both): the answer is det_exp_neg's either
 * way, and its sixteen dependent divisions are paid only for a point
 * that close to the curve, about once in 10^9 wedge tests.
 */
static bool under_exp_neg(double y, double x)
{
	double q = quick_exp_neg(x);

	if (y < q * (1.0 - 1e-12))
		return true;
	if (y > q * (1.0 + 1e-12))
		return false;
	return y < det_exp_neg(x);
}

#ifdef SLABSIM_TEST
/*
 * Test-build only (tests/test_rng.c repeats these prototypes): the
 * exp(-x) pieces behind the ziggurat's wedge test.
 */
double rng_test_det_exp_neg(double x);
double rng_test_quick_exp_neg(double x);
bool rng_test_under_exp_neg(double y, double x);

double rng_test_det_exp_neg(double x)
{
	return det_exp_neg(x);
}

double rng_test_quick_exp_neg(double x)
{
	return quick_exp_neg(x);
}

bool rng_test_under_exp_neg(double y, double x)
{
	return under_exp_neg(y, x);
}
#endif /* SLABSIM_TEST */

/*
 * The ziggurat for exp(-x): 256 strips of area V each. Strip 0 is the
 * base, [0, V / f(R)) by f(R), whose part beyond R stands for the tail;
 * strip i >= 1 lies between heights f(x[i]) and f(x[i + 1]), where
 * x[i + 1] = -ln(V / x[i] + f(x[i])). R and V are Marsaglia and Tsang's
 * constants for 256 strips.
 */
#define ZIG_R	7.69711747013104972
#define ZIG_V	3.949659822581572e-3

double rng_zig_x[257];
static double zig_f[257];	/* exp(-x[i]) */

static void zig_init(void)
{
	if (rng_zig_x[0] != 0.0)
		return;
	zig_f[1] = det_exp_neg(ZIG_R);
	rng_zig_x[1] = ZIG_R;
	for (int i = 1; i < 255; i++) {
		rng_zig_x[i + 1] = -det_log(ZIG_V / rng_zig_x[i] + zig_f[i]);
		zig_f[i + 1] = det_exp_neg(rng_zig_x[i + 1]);
	}
	rng_zig_x[256] = 0.0;
	zig_f[256] = 1.0;
	zig_f[0] = zig_f[1];
	/* Written last: a non-zero x[0] says the table is complete. */
	rng_zig_x[0] = ZIG_V / zig_f[1];
}

/*
 * The point x of strip i was not surely under the curve: in the base
 * strip it is in the tail (R plus a fresh exponential, as the tail of an
 * exponential is itself one); otherwise a uniform height decides, and a
 * miss starts over with a new strip.
 */
double rng_exp_slow(struct rng *r, unsigned int i, double x)
{
	for (;;) {
		if (i == 0)
			return ZIG_R - det_log(1.0 - rng_unit(r));
		double y = zig_f[i] + rng_unit(r) * (zig_f[i + 1] - zig_f[i]);
		if (under_exp_neg(y, x))
			return x;
		uint64_t u = rng_next(r);
		i = (unsigned int)(u & 0xff);
		x = (double)(u >> 11) * 0x1.0p-53 * rng_zig_x[i];
		if (x < rng_zig_x[i + 1])
			return x;
	}
}

/* ---- errors and files ---- */

void user_error(const char *fmt, ...)
{
	va_list ap;

	fputs("slabsim: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

pid_t spawn(char *const *argv, int in_fd, FILE *err)
{
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0)
		user_error("fork: %s", strerror(errno));
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);
		if (null >= 0) {
			dup2(in_fd >= 0 ? in_fd : null, STDIN_FILENO);
			dup2(null, STDOUT_FILENO);
		}
		if (err)
			dup2(fileno(err), STDERR_FILENO);
		execv(argv[0], argv);
		fprintf(stderr, "slabsim: cannot run %s: %s\n", argv[0],
			strerror(errno));
		_exit(127);
	}
	return pid;
}

int wait_child(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			user_error("waitpid: %s", strerror(errno));
	return status;
}

bool write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f)
		return false;
	bool ok = fwrite(data, 1, len, f) == len;
	if (fclose(f) != 0)
		ok = false;
	return ok;
}

char *temp_beside(const char *path)
{
	size_t n = strlen(path) + 32;
	char *t = xcalloc(1, n);

	snprintf(t, n, "%s.slabsim-tmp.XXXXXX", path);
	int fd = mkstemp(t);
	if (fd < 0) {
		int err = errno;
		free(t);
		errno = err;
		return NULL;
	}
	/* mkstemp makes it 0600; the file replaces one fopen would make. */
	mode_t mask = umask(0);
	umask(mask);
	fchmod(fd, 0666 & ~mask);
	close(fd);
	return t;
}

bool write_file_atomic(const char *path, const char *data, size_t len)
{
	struct stat st;

	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
		return write_file(path, data, len);
	char *tmp = temp_beside(path);
	if (!tmp)
		return false;
	bool ok = write_file(tmp, data, len) && rename(tmp, path) == 0;
	int err = errno;
	if (!ok)
		unlink(tmp);
	free(tmp);
	errno = err;
	return ok;
}

bool image_complete(const char *path, bool svg)
{
	static const unsigned char png_sig[8] = { 0x89, 'P', 'N', 'G', '\r',
						  '\n', 0x1a, '\n' };
	static const unsigned char iend[12] = { 0, 0, 0, 0, 'I', 'E', 'N', 'D',
						0xae, 0x42, 0x60, 0x82 };
	unsigned char head[8], tail[64];
	FILE *f = fopen(path, "rb");
	bool ok = false;

	if (!f)
		return false;
	if (fseek(f, 0, SEEK_END) == 0) {
		long size = ftell(f);
		long n = size < (long)sizeof(tail) ? size : (long)sizeof(tail);
		if (size > 0 && fseek(f, size - n, SEEK_SET) == 0 &&
		    fread(tail, 1, (size_t)n, f) == (size_t)n) {
			if (svg) {
				/* the closing tag, then at most white space */
				long e = n;
				while (e > 0 && (tail[e - 1] == '\n' ||
						 tail[e - 1] == '\r' ||
						 tail[e - 1] == ' '))
					e--;
				ok = e >= 6 && !memcmp(tail + e - 6, "</svg>", 6);
			} else {
				ok = n >= 12 && !memcmp(tail + n - 12, iend, 12) &&
				     fseek(f, 0, SEEK_SET) == 0 &&
				     fread(head, 1, 8, f) == 8 &&
				     !memcmp(head, png_sig, 8);
			}
		}
	}
	fclose(f);
	return ok;
}

void sb_put_json_str(struct strbuf *sb, const char *s)
{
	sb_putc(sb, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			sb_printf(sb, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			sb_printf(sb, "\\u%04x", c);
		else
			sb_putc(sb, (char)c);
	}
	sb_putc(sb, '"');
}

void sb_put_csv_field(struct strbuf *sb, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		sb_puts(sb, s);
		return;
	}
	sb_putc(sb, '"');
	for (; *s; s++) {
		if (*s == '"')
			sb_putc(sb, '"');
		sb_putc(sb, *s);
	}
	sb_putc(sb, '"');
}
