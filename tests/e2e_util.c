#include <dirent.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "e2e_util.h"

const char *e2e_bin;
const char *e2e_src;
char e2e_tmp[256];

int e2e_setup(const char *tag)
{
	e2e_bin = getenv("SLABSIM");
	e2e_src = getenv("SLABSIM_SRC");
	if (!e2e_bin) {
		fprintf(stderr, "SLABSIM is not set\n");
		return 1;
	}
	snprintf(e2e_tmp, sizeof(e2e_tmp), "%s/slabsim-%s-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", tag);
	if (!mkdtemp(e2e_tmp)) {
		perror("mkdtemp");
		return 1;
	}
	return 0;
}

void e2e_teardown(int failed)
{
	char cmd[400];

	if (failed) {
		fprintf(stderr, "kept %s for a look\n", e2e_tmp);
		return;
	}
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", e2e_tmp);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", e2e_tmp);
}

char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0;

	if (!f)
		return NULL;
	for (;;) {
		if (n + 4096 + 1 > cap) {
			cap = cap ? 2 * cap : 65536;
			buf = realloc(buf, cap);
		}
		size_t got = fread(buf + n, 1, 4096, f);
		n += got;
		if (got == 0)
			break;
	}
	fclose(f);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

void spit(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

char *tmp_path(const char *name)
{
	static char paths[16][512];
	static int next;
	char *p = paths[next++ % 16];

	snprintf(p, 512, "%s/%s", e2e_tmp, name);
	return p;
}

bool exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

int run_argv(const char *path_env, const char *const *argv)
{
	char out[300], err[300];

	snprintf(out, sizeof(out), "%s/out.txt", e2e_tmp);
	snprintf(err, sizeof(err), "%s/err.txt", e2e_tmp);
	pid_t pid = fork();
	if (pid == 0) {
		int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int e = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(o, 1);
		dup2(e, 2);
		if (path_env)
			setenv("PATH", path_env, 1);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	int status;
	waitpid(pid, &status, 0);
	if (WIFSIGNALED(status))
		fail_msg("%s died of signal %d", argv[0], WTERMSIG(status));
	return WEXITSTATUS(status);
}

static int vrun(const char *path_env, const char *first, va_list ap)
{
	const char *argv[40];
	int argc = 0;
	const char *a;

	argv[argc++] = e2e_bin;
	argv[argc++] = first;
	while ((a = va_arg(ap, const char *)) && argc < 39)
		argv[argc++] = a;
	argv[argc] = NULL;
	return run_argv(path_env, argv);
}

int run(const char *first, ...)
{
	va_list ap;

	va_start(ap, first);
	int rc = vrun(NULL, first, ap);
	va_end(ap);
	return rc;
}

int run_with_path(const char *path_env, const char *first, ...)
{
	va_list ap;

	va_start(ap, first);
	int rc = vrun(path_env, first, ap);
	va_end(ap);
	return rc;
}

char *stderr_text(void)
{
	return slurp(tmp_path("err.txt"), NULL);
}

char *stdout_text(void)
{
	return slurp(tmp_path("out.txt"), NULL);
}

void assert_one_line(const char *text)
{
	assert_non_null(text);
	assert_true(strlen(text) > 0);
	assert_int_equal(strchr(text, '\n') - text + 1, (long)strlen(text));
}

static int cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int list_files(const char *dir, char **names, int max)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d)) && n < max)
		if (e->d_name[0] != '.')
			names[n++] = strdup(e->d_name);
	closedir(d);
	qsort(names, (size_t)n, sizeof(char *), cmpstr);
	return n;
}

/* The first differing line of two texts, for a failure message. */
static void first_difference(const char *a, const char *b, char *msg,
			     size_t len)
{
	int line = 1;
	const char *la = a, *lb = b;

	while (*a && *a == *b) {
		if (*a == '\n') {
			line++;
			la = a + 1;
			lb = b + 1;
		}
		a++;
		b++;
	}
	snprintf(msg, len, "line %d:\n  expected: %.160s\n  got:      %.160s",
		 line, lb, la);
	for (char *p = msg; *p; p++)
		if (p > msg + 20 && *p == '\n' && p[-1] != ':')
			*p = ' ';
}

void assert_dirs_identical(const char *a, const char *b)
{
	char *na[256], *nb[256];
	int n = list_files(a, na, 256), m = list_files(b, nb, 256);

	assert_true(n >= 10);
	assert_int_equal(n, m);
	for (int i = 0; i < n; i++) {
		char pa[600], pb[600], msg[600];
		size_t la, lb;

		assert_string_equal(na[i], nb[i]);
		snprintf(pa, sizeof(pa), "%s/%s", a, na[i]);
		snprintf(pb, sizeof(pb), "%s/%s", b, nb[i]);
		char *ca = slurp(pa, &la), *cb = slurp(pb, &lb);
		assert_non_null(ca);
		if (!cb)
			fail_msg("%s/%s cannot be read", b, nb[i]);
		if (la != lb || memcmp(ca, cb, la) != 0) {
			first_difference(cb, ca, msg, sizeof(msg));
			fail_msg("%s differs between %s and %s, %s", na[i], a, b,
				 msg);
		}
		free(ca);
		free(cb);
		free(na[i]);
		free(nb[i]);
	}
}
