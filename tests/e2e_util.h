#ifndef SLABSIM_TESTS_E2E_UTIL_H
#define SLABSIM_TESTS_E2E_UTIL_H
/*
 * What the end-to-end suites share: the binary under test (SLABSIM), the
 * source tree (SLABSIM_SRC), a private temporary directory, running the
 * binary with its output captured, and file helpers. Include after
 * <cmocka.h>'s prerequisites; failures are cmocka assertions.
 */
#include <stdbool.h>
#include <stddef.h>

extern const char *e2e_bin;	/* $SLABSIM */
extern const char *e2e_src;	/* $SLABSIM_SRC (may be NULL) */
extern char e2e_tmp[256];

/* Read the environment and make the temporary directory; 0 or 1 (failed). */
int e2e_setup(const char *tag);
/* Remove the temporary directory (keep it when the tests failed). */
void e2e_teardown(int failed);

/* A file's bytes, NUL-terminated, malloc'd; NULL when unreadable. */
char *slurp(const char *path, size_t *len);
void spit(const char *path, const char *text);
/* tmp/name, in one of 16 rotating buffers. */
char *tmp_path(const char *name);
bool exists(const char *path);

/*
 * Run argv (argv[0] the binary) with stdout into tmp/out.txt and stderr
 * into tmp/err.txt; path_env, when set, replaces PATH for the child.
 * Returns the exit status; a death by signal fails the test.
 */
int run_argv(const char *path_env, const char *const *argv);
/* The binary with these arguments (NULL-terminated). */
int run(const char *first, ...);
int run_with_path(const char *path_env, const char *first, ...);
char *stderr_text(void);
char *stdout_text(void);
void assert_one_line(const char *text);

/* Regular file names of dir, sorted, strdup'd; returns the count. */
int list_files(const char *dir, char **names, int max);
/*
 * Both directories hold the same file names with the same bytes; a
 * difference is reported at its first line (a as expected, b as got).
 */
void assert_dirs_identical(const char *a, const char *b);

#endif /* SLABSIM_TESTS_E2E_UTIL_H */
