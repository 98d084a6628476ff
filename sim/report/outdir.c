/*
 * Output directories slabsim owns: the marker that says so, the check
 * made before any work, and the atomic replacement at the end. See
 * outdir.h for the marker's format and the rules.
 */
#define _GNU_SOURCE	/* renameat2 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/report/outdir.h"

#ifndef SLABSIM_VERSION
#define SLABSIM_VERSION "unknown"
#endif

#ifdef SLABSIM_TEST
/* Unit tests take the path of a file system without renameat2. */
bool outdir_test_no_renameat2;
#define HAVE_RENAMEAT2	(!outdir_test_no_renameat2)
#else
#define HAVE_RENAMEAT2	true
#endif

static const char *marker_name(enum outdir_kind kind)
{
	return kind == OUTDIR_SWEEP ? OUTDIR_SWEEP_MARKER : OUTDIR_RUN_MARKER;
}

static const char *kind_word(enum outdir_kind kind)
{
	return kind == OUTDIR_SWEEP ? "sweep" : "run";
}

/* ------------------------------------------------------------------ */
/* Writing a marker                                                     */
/* ------------------------------------------------------------------ */

void outdir_marker_begin(struct strbuf *sb, enum outdir_kind kind,
			 const char *workload)
{
	sb_printf(sb, "slabsim-%s 1\nversion %s\nworkload ", kind_word(kind),
		  SLABSIM_VERSION);
	for (const char *p = workload ? workload : ""; *p; p++)
		sb_putc(sb, (unsigned char)*p < 0x20 || *p == 0x7f ? '?' : *p);
	sb_putc(sb, '\n');
}

void outdir_marker_entry(struct strbuf *sb, const char *what,
			 const char *name)
{
	sb_printf(sb, "%s %s\n", what, name);
}

/* ------------------------------------------------------------------ */
/* Reading one                                                          */
/* ------------------------------------------------------------------ */

struct marker {
	char *text;		/* the file, lines split in place */
	char **what, **name;	/* the entry lines */
	size_t n;
};

static void marker_free(struct marker *mk)
{
	free(mk->text);
	free(mk->what);
	free(mk->name);
	memset(mk, 0, sizeof(*mk));
}

/*
 * Read dir's marker of this kind. Returns false (why set) when there is
 * none, or it is not a regular file, or not one slabsim wrote.
 */
static bool marker_read(const char *dir, enum outdir_kind kind,
			struct marker *mk, char *why, size_t whylen)
{
	char path[4200], head[32];
	struct stat st;

	memset(mk, 0, sizeof(*mk));
	snprintf(path, sizeof(path), "%s/%s", dir, marker_name(kind));
	if (lstat(path, &st) != 0 && errno != ENOENT) {
		snprintf(why, whylen, "cannot read it: %s", strerror(errno));
		return false;
	}
	if (lstat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(why, whylen, "it has no %s marker, so slabsim did not "
			 "make it", marker_name(kind));
		return false;
	}
	if (st.st_size > (1 << 24)) {
		snprintf(why, whylen, "its %s is not one slabsim wrote",
			 marker_name(kind));
		return false;
	}
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(why, whylen, "cannot read its %s: %s",
			 marker_name(kind), strerror(errno));
		return false;
	}
	mk->text = xcalloc(1, (size_t)st.st_size + 1);
	size_t len = fread(mk->text, 1, (size_t)st.st_size, f);
	fclose(f);
	mk->text[len] = '\0';
	snprintf(head, sizeof(head), "slabsim-%s 1\n", kind_word(kind));
	if (strncmp(mk->text, head, strlen(head)) || strlen(mk->text) != len) {
		snprintf(why, whylen, "its %s is not one slabsim wrote",
			 marker_name(kind));
		marker_free(mk);
		return false;
	}
	for (char *line = mk->text; *line;) {
		char *nl = strchr(line, '\n');
		if (!nl)
			break;	/* a last line cut short is no entry */
		*nl = '\0';
		char *sp = strchr(line, ' ');
		if (sp && (!strncmp(line, "file ", 5) ||
			   !strncmp(line, "dir ", 4) ||
			   !strncmp(line, "run ", 4))) {
			*sp = '\0';
			mk->what = xrealloc(mk->what, (mk->n + 1) * sizeof(char *));
			mk->name = xrealloc(mk->name, (mk->n + 1) * sizeof(char *));
			mk->what[mk->n] = line;
			mk->name[mk->n++] = sp + 1;
		}
		line = nl + 1;
	}
	return true;
}

/* Whether the marker lists "what name" (prefix/name inside a listed dir). */
static bool listed(const struct marker *mk, const char *what,
		   const char *prefix, const char *name)
{
	size_t pl = strlen(prefix);

	for (size_t i = 0; i < mk->n; i++)
		if (!strcmp(mk->what[i], what) &&
		    !strncmp(mk->name[i], prefix, pl) &&
		    !strcmp(mk->name[i] + pl, name))
			return true;
	return false;
}

/* name is LISTED.slabsim-tmp.XXXXXX for some "what LISTED" of the marker. */
static bool listed_tmp(const struct marker *mk, const char *what,
		       const char *prefix, const char *name)
{
	const char *infix = strstr(name, OUTDIR_TMP_INFIX);

	if (!infix)
		return false;
	const char *x = infix + strlen(OUTDIR_TMP_INFIX);
	if (strlen(x) != 6)
		return false;
	for (const char *p = x; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9')))
			return false;
	char base[4200];
	snprintf(base, sizeof(base), "%.*s", (int)(infix - name), name);
	return listed(mk, what, prefix, base);
}

/* A directory with nothing in it (what mkdtemp left when killed at once). */
static bool dir_is_empty(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	bool empty = true;

	if (!d)
		return false;
	while (empty && (e = readdir(d)))
		empty = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..");
	closedir(d);
	return empty;
}

/*
 * Every entry of path (prefix: path's name inside the marked directory,
 * "" at its top) is one the marker lists. why names the first that is not.
 */
static bool entries_listed(const char *path, const char *prefix,
			   const struct marker *mk, enum outdir_kind kind,
			   char *why, size_t whylen)
{
	DIR *d = opendir(path);
	struct dirent *e;
	bool ok = true;

	if (!d) {
		snprintf(why, whylen, "cannot read it: %s", strerror(errno));
		return false;
	}
	while (ok && (e = readdir(d))) {
		const char *n = e->d_name;
		char p[4200], sub[4200];
		struct stat st;

		if (!strcmp(n, ".") || !strcmp(n, ".."))
			continue;
		snprintf(p, sizeof(p), "%s/%s", path, n);
		if (lstat(p, &st) != 0) {
			snprintf(why, whylen, "cannot look at %s%s: %s", prefix,
				 n, strerror(errno));
			ok = false;
		} else if (!*prefix && !strcmp(n, marker_name(kind))) {
			ok = S_ISREG(st.st_mode);
		} else if (S_ISREG(st.st_mode)) {
			ok = listed(mk, "file", prefix, n) ||
			     listed_tmp(mk, "file", prefix, n);
		} else if (S_ISDIR(st.st_mode) && !*prefix &&
			   listed(mk, "dir", "", n)) {
			snprintf(sub, sizeof(sub), "%s/", n);
			ok = entries_listed(p, sub, mk, kind, why, whylen);
			continue;
		} else if (S_ISDIR(st.st_mode) && !*prefix &&
			   kind == OUTDIR_SWEEP &&
			   (listed(mk, "run", "", n) ||
			    listed_tmp(mk, "run", "", n))) {
			char w[300];
			ok = dir_is_empty(p) ||
			     outdir_replaceable(p, OUTDIR_RUN, w, sizeof(w));
			if (!ok)
				snprintf(why, whylen, "its point %s: %s", n, w);
			continue;
		} else {
			ok = false;
		}
		if (!ok)
			snprintf(why, whylen, "'%s%s' is not something slabsim "
				 "wrote there", prefix, n);
	}
	closedir(d);
	return ok;
}

bool outdir_replaceable(const char *path, enum outdir_kind kind, char *why,
			size_t whylen)
{
	struct stat st;
	struct marker mk;

	if (lstat(path, &st) != 0) {
		if (errno != ENOENT) {
			snprintf(why, whylen, "%s", strerror(errno));
			return false;
		}
		/* Absent: its parent must take a new directory. */
		char parent[4200];
		snprintf(parent, sizeof(parent), "%s", path);
		char *slash = strrchr(parent, '/');
		if (!slash)
			snprintf(parent, sizeof(parent), ".");
		else if (slash == parent)
			slash[1] = '\0';
		else
			*slash = '\0';
		if (stat(parent, &st) != 0 || !S_ISDIR(st.st_mode)) {
			snprintf(why, whylen, "its parent %s is not a directory",
				 parent);
			return false;
		}
		if (access(parent, W_OK | X_OK) != 0) {
			snprintf(why, whylen, "cannot create it in %s: %s",
				 parent, strerror(errno));
			return false;
		}
		return true;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(why, whylen, "it exists and is not a directory");
		return false;
	}
	if (!marker_read(path, kind, &mk, why, whylen))
		return false;
	bool ok = entries_listed(path, "", &mk, kind, why, whylen);
	marker_free(&mk);
	return ok;
}

char *outdir_check_or_die(const char *cmd, const char *path,
			  enum outdir_kind kind)
{
	char why[600];
	char *p = xstrdup(path);
	size_t n = strlen(p);

	while (n > 1 && p[n - 1] == '/')
		p[--n] = '\0';
	if (!n || !strcmp(p, "/"))
		user_error("%s: -o '%s': not a directory slabsim can write", cmd,
			   path);
	struct stat st;
	/* -o a/b/c makes a and a/b as mkdir -p would, before anything runs */
	if (lstat(p, &st) != 0 && errno == ENOENT) {
		for (char *q = p + 1; *q; q++) {
			if (*q != '/')
				continue;
			*q = '\0';
			if (mkdir(p, 0777) != 0 && errno != EEXIST)
				user_error("%s: -o %s: cannot create %s: %s", cmd,
					   path, p, strerror(errno));
			*q = '/';
		}
	}
	if (!outdir_replaceable(p, kind, why, sizeof(why))) {
		if (lstat(p, &st) != 0)
			user_error("%s: -o %s: cannot create it: %s", cmd, p, why);
		user_error("%s: -o %s: not a slabsim %s directory, so not "
			   "replacing it: %s", cmd, p, kind_word(kind), why);
	}
	return p;
}

/* ------------------------------------------------------------------ */
/* Making, installing and removing                                      */
/* ------------------------------------------------------------------ */

char *outdir_mktemp(const char *path)
{
	size_t n = strlen(path) + strlen(OUTDIR_TMP_INFIX) + 8;
	char *t = xcalloc(1, n);

	snprintf(t, n, "%s%sXXXXXX", path, OUTDIR_TMP_INFIX);
	if (!mkdtemp(t)) {
		int err = errno;
		free(t);
		errno = err;
		return NULL;
	}
	/* mkdtemp makes it 0700; a run directory is as mkdir(0777) makes it. */
	mode_t mask = umask(0);
	umask(mask);
	chmod(t, 0777 & ~mask);
	return t;
}

static void remove_listed(const char *path, enum outdir_kind kind)
{
	DIR *d = opendir(path);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d))) {
		char p[4200];
		struct stat st;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(p, sizeof(p), "%s/%s", path, e->d_name);
		if (lstat(p, &st) != 0)
			continue;
		if (!S_ISDIR(st.st_mode)) {
			unlink(p);
		} else if (kind == OUTDIR_SWEEP) {
			outdir_remove(p, OUTDIR_RUN);
			rmdir(p);	/* an empty temporary of a point */
		} else {
			remove_listed(p, kind);
			rmdir(p);
		}
	}
	closedir(d);
}

void outdir_remove(const char *path, enum outdir_kind kind)
{
	char why[600];
	struct stat st;

	if (lstat(path, &st) != 0 || !S_ISDIR(st.st_mode))
		return;
	if (dir_is_empty(path) && strstr(path, OUTDIR_TMP_INFIX)) {
		rmdir(path);
		return;
	}
	/* Checked first, so nothing unlisted is ever touched. */
	if (!outdir_replaceable(path, kind, why, sizeof(why)))
		return;
	remove_listed(path, kind);
	rmdir(path);
}

static bool put_back(const char *tmp, const char *path, char *why,
		     size_t whylen)
{
#ifdef RENAME_EXCHANGE
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_EXCHANGE) == 0) {
		snprintf(why, whylen, "something not written by slabsim took "
			 "its place meanwhile; left as it was");
		return false;
	}
#endif
	snprintf(why, whylen, "something not written by slabsim took its "
		 "place meanwhile; it is now at %s", tmp);
	return false;
}

bool outdir_install(const char *tmp, const char *path, enum outdir_kind kind,
		    char *why, size_t whylen)
{
	/* Another run may replace or remove path between our steps: retry. */
	for (int attempt = 0; attempt < 100; attempt++) {
#ifdef RENAME_EXCHANGE
		if (!HAVE_RENAMEAT2)
			goto no_renameat2;
		if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE) == 0)
			return true;
		if (errno == EEXIST) {
			if (!outdir_replaceable(path, kind, why, whylen))
				return false;
			if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path,
				      RENAME_EXCHANGE) == 0) {
				/* tmp now holds what path held. */
				char w[600];
				if (!outdir_replaceable(tmp, kind, w, sizeof(w)))
					return put_back(tmp, path, why, whylen);
				outdir_remove(tmp, kind);
				return true;
			}
			if (errno == ENOENT)
				continue;
		}
		if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP) {
			snprintf(why, whylen, "%s", strerror(errno));
			return false;
		}
no_renameat2:
#endif
		;	/* a label takes a statement, not a declaration (C11) */
		/* No renameat2 here: move the old one aside, then rename. */
		struct stat st;
		if (lstat(path, &st) != 0) {
			if (rename(tmp, path) == 0)
				return true;
			if (errno == ENOTEMPTY || errno == EEXIST)
				continue;
			snprintf(why, whylen, "%s", strerror(errno));
			return false;
		}
		if (!outdir_replaceable(path, kind, why, whylen))
			return false;
		char *old = outdir_mktemp(path);
		if (!old) {
			snprintf(why, whylen, "%s", strerror(errno));
			return false;
		}
		if (rename(path, old) != 0) {
			int err = errno;
			rmdir(old);
			free(old);
			if (err == ENOENT)
				continue;
			snprintf(why, whylen, "%s", strerror(err));
			return false;
		}
		bool ok = rename(tmp, path) == 0;
		int err = errno;
		if (ok)
			outdir_remove(old, kind);
		else
			rename(old, path);	/* the old one back */
		free(old);
		if (ok)
			return true;
		if (err == ENOTEMPTY || err == EEXIST)
			continue;
		snprintf(why, whylen, "%s", strerror(err));
		return false;
	}
	snprintf(why, whylen, "other processes keep replacing it");
	return false;
}

bool outdir_marker_lists(const char *dir, const char *what, const char *name)
{
	char why[600];
	struct marker mk;

	if (!marker_read(dir, OUTDIR_RUN, &mk, why, sizeof(why)))
		return false;
	bool have = listed(&mk, what, "", name);
	marker_free(&mk);
	return have;
}

bool outdir_marker_add(const char *dir, const char *what, const char *name)
{
	char path[4200], why[600];
	struct marker mk;

	if (!marker_read(dir, OUTDIR_RUN, &mk, why, sizeof(why)))
		return true;
	bool have = listed(&mk, what, "", name);
	marker_free(&mk);
	if (have)
		return true;
	snprintf(path, sizeof(path), "%s/%s", dir, OUTDIR_RUN_MARKER);
	FILE *f = fopen(path, "ab");
	if (!f)
		return false;
	bool ok = fprintf(f, "%s %s\n", what, name) > 0;
	if (fclose(f) != 0)
		ok = false;
	return ok;
}
