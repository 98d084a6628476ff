/*
 * A plain main() for the fuzz harnesses where libFuzzer is not at hand
 * (gcc, or a clang without compiler-rt): runs the harness over every file
 * of the corpora given and over deterministic mutations of each (a fixed
 * xorshift stream, so a failure reproduces), which finds the shallow bugs
 * libFuzzer would and keeps the harnesses building and running
 * everywhere. Under the sanitizer build (build-san) every execution is
 * checked by ASan and UBSan too.
 *
 *   DRIVER [-mutations=N] FILE|DIR...
 *
 * A failing input is written to ./fuzz-crash-input before the process
 * dies, and its origin (file, mutation number) printed. Exit 0 when
 * every execution returned.
 */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/fuzz/fuzz.h"

#define DRIVER_MAX_INPUT	(1u << 20)

static const uint8_t *cur_data;
static size_t cur_size;

/* Async-signal-safe: keep the input that killed us. */
static void on_fatal(int sig)
{
	int fd = open("fuzz-crash-input", O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd >= 0) {
		if (cur_data && write(fd, cur_data, cur_size) < 0) {
			/* nothing better to do in a dying handler */
		}
		close(fd);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

static uint64_t xs;

static uint64_t next(void)
{
	xs ^= xs << 13;
	xs ^= xs >> 7;
	xs ^= xs << 17;
	return xs;
}

/* Bits of YAML and of workloads a random byte would rarely produce. */
static const char *const tokens[] = {
	"\n", " ", ":", "- ", "{", "}", "[", "]", ",", "'", "\"", "&a ", "*a",
	"!!str ", "#", "---\n", "...\n", "\t", "|\n", ">\n", "0", "-1",
	"99999999999999999999", "1e308", "0x10", "ns", "us", "ms", "s", "KiB",
	"MiB", "GiB", "/s", "events:", "caches:", "generators:", "machine:",
	"cpus: ", "nodes: ", "alloc", "free", "kmalloc", "kfree", "tune",
	"shrink", "destroy", "create", "slabinfo", "cpu_up", "cpu_down",
	"mempolicy", "gfp=", "GFP_ATOMIC|__GFP_ZERO", "@site+0x1/0x2", "=",
	"repeat=", "faults:", "page_alloc:", "every: ", "probability: ",
	"\xc3\xa9", "\xff", "\0",
};

/* One mutation of src (n bytes) into dst (cap bytes); returns its size. */
static size_t mutate(uint8_t *dst, size_t cap, const uint8_t *src, size_t n)
{
	size_t len = n < cap ? n : cap;
	unsigned int rounds = 1 + (unsigned int)(next() % 4);

	memcpy(dst, src, len);
	while (rounds--) {
		size_t at = len ? (size_t)(next() % (len + 1)) : 0;
		size_t span = 1 + (size_t)(next() % 16);

		switch (next() % 6) {
		case 0:		/* flip a bit */
			if (at < len)
				dst[at] ^= (uint8_t)(1u << (next() % 8));
			break;
		case 1:		/* a random byte */
			if (at < len)
				dst[at] = (uint8_t)next();
			break;
		case 2: {	/* insert a token */
			const char *t = tokens[next() % (sizeof(tokens) /
							  sizeof(tokens[0]))];
			size_t tl = t[0] ? strlen(t) : 1;

			if (len + tl > cap)
				break;
			memmove(dst + at + tl, dst + at, len - at);
			memcpy(dst + at, t, tl);
			len += tl;
			break;
		}
		case 3:		/* delete a span */
			if (at + span > len)
				span = len - at;
			memmove(dst + at, dst + at + span, len - at - span);
			len -= span;
			break;
		case 4: {	/* duplicate a span elsewhere */
			if (at + span > len || len + span > cap)
				break;
			size_t to = (size_t)(next() % (len + 1));
			uint8_t tmp[16];

			memcpy(tmp, dst + at, span);
			memmove(dst + to + span, dst + to, len - to);
			memcpy(dst + to, tmp, span);
			len += span;
			break;
		}
		default:	/* truncate */
			len = at;
			break;
		}
	}
	return len;
}

static unsigned long execs, files;
static unsigned long mutations = 200;
static uint8_t *scratch;

static void run_one(const uint8_t *data, size_t size)
{
	cur_data = data;
	cur_size = size;
	LLVMFuzzerTestOneInput(data, size);
	execs++;
}

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	size_t n;

	if (!f) {
		fprintf(stderr, "driver: cannot open %s\n", path);
		return -1;
	}
	buf = malloc(DRIVER_MAX_INPUT);
	if (!buf) {
		fclose(f);
		return -1;
	}
	n = fread(buf, 1, DRIVER_MAX_INPUT, f);
	fclose(f);
	files++;
	fprintf(stderr, "driver: %s\n", path);
	run_one(buf, n);
	/* The stream depends on the file's contents, not on its order. */
	xs = 0x9e3779b97f4a7c15ULL ^ n;
	for (size_t i = 0; i < n; i++)
		xs = (xs ^ buf[i]) * 0x100000001b3ULL;
	if (!xs)
		xs = 1;
	for (unsigned long k = 0; k < mutations; k++) {
		size_t m = mutate(scratch, DRIVER_MAX_INPUT, buf, n);

		run_one(scratch, m);
	}
	free(buf);
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A directory's regular files in name order: the same run everywhere. */
static int run_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t nr = 0, cap = 0;
	int rc = 0;

	if (!d) {
		fprintf(stderr, "driver: cannot open %s\n", dir);
		return -1;
	}
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (nr == cap) {
			cap = cap ? 2 * cap : 64;
			names = realloc(names, cap * sizeof(*names));
			if (!names)
				abort();
		}
		size_t len = strlen(dir) + strlen(e->d_name) + 2;
		names[nr] = malloc(len);
		if (!names[nr])
			abort();
		snprintf(names[nr++], len, "%s/%s", dir, e->d_name);
	}
	closedir(d);
	if (nr)
		qsort(names, nr, sizeof(*names), cmp_str);
	for (size_t i = 0; i < nr; i++) {
		if (run_file(names[i]) != 0)
			rc = -1;
		free(names[i]);
	}
	free(names);
	return rc;
}

int main(int argc, char **argv)
{
	int rc = 0, inputs = 0;

	signal(SIGABRT, on_fatal);
	signal(SIGSEGV, on_fatal);
	signal(SIGBUS, on_fatal);
	signal(SIGFPE, on_fatal);
	scratch = malloc(DRIVER_MAX_INPUT);
	if (!scratch)
		return 1;
	for (int i = 1; i < argc; i++) {
		struct stat st;

		if (!strncmp(argv[i], "-mutations=", 11)) {
			mutations = strtoul(argv[i] + 11, NULL, 10);
			continue;
		}
		if (argv[i][0] == '-')
			continue;	/* a libFuzzer flag: not ours */
		inputs++;
		if (stat(argv[i], &st) != 0) {
			fprintf(stderr, "driver: cannot stat %s\n", argv[i]);
			rc = 1;
		} else if (S_ISDIR(st.st_mode) ? run_dir(argv[i]) : run_file(argv[i])) {
			rc = 1;
		}
	}
	free(scratch);
	if (!inputs || !files) {
		fprintf(stderr, "driver: no inputs (usage: %s [-mutations=N] FILE|DIR...)\n",
			argv[0]);
		return 1;
	}
	printf("driver: %lu files, %lu executions, no contract broken\n", files,
	       execs);
	return rc;
}
