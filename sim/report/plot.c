/*
 * slabsim plot: a run directory into pictures. The pictures themselves are
 * the gnuplot scripts in plots/ (one per plot, reading the run's CSV
 * files); this file only finds them, decides which can be drawn, and runs
 * gnuplot on each without a shell, so no path is ever re-parsed by one.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sim/cli.h"
#include "sim/report/outdir.h"
#include "sim/util.h"

static const char usage_plot[] =
	"usage: slabsim plot DIR [--format png|svg|both] [--only NAME,...]\n"
	"                        [--compare OTHER]\n"
	"                        [--node N] [--zone ZONE]\n"
	"\n"
	"Draws the plots of the run directory DIR into DIR/plots/NAME.png and\n"
	"DIR/plots/NAME.svg, one per gnuplot script plots/NAME.gp. A plot of\n"
	"one zone (buddy, fragindex) is drawn for every zone the run's\n"
	"buddyinfo lists, as NAME-nodeN-ZONE.png/.svg. A plot whose input CSV\n"
	"has no data rows is skipped. The scripts are looked for in\n"
	"$SLABSIM_PLOTS, then next to the binary (../plots), then in the source\n"
	"tree slabsim was built from.\n"
	"\n"
	"  --format png|svg|both   what to write (default both)\n"
	"  --only NAME,...         only these plots (script names without .gp)\n"
	"  --compare OTHER         another run directory to draw against DIR\n"
	"                          where a plot can (colours: the L1 sets of the\n"
	"                          most accessed cache, e.g. colouring off vs on)\n"
	"  --node N, --zone ZONE   zone plots only for node N and/or that zone\n"
	"                          (DMA, DMA32, Normal, HighMem as buddyinfo\n"
	"                          names them)\n"
	"\n"
	"Exit status: 0 every plot drawn or skipped; 1 gnuplot failed on some\n"
	"(each said on one line); 2 bad input or gnuplot not installed.\n";

/* A script that draws one zone says so with this line. */
#define PER_ZONE_MARK	"# slabsim: one zone"
#define MAX_ZONES	256

struct zone_id {
	int node;
	char name[16];
};

/*
 * The zones of DIR/buddyinfo ("Node 0, zone   Normal ..."), in its
 * order, that match node (-1: any) and zone (NULL: any); returns how many.
 */
static size_t run_zones(const char *dir, int node, const char *zone,
			struct zone_id *out)
{
	char path[4400], line[1024];
	size_t n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/buddyinfo", dir);
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (n < MAX_ZONES && fgets(line, sizeof(line), f)) {
		struct zone_id z;

		if (sscanf(line, "Node %d, zone %15s", &z.node, z.name) != 2)
			continue;
		bool plain = true;
		for (const char *q = z.name; *q; q++)
			plain &= (*q >= 'A' && *q <= 'Z') || (*q >= 'a' && *q <= 'z') ||
				 (*q >= '0' && *q <= '9');
		if (!plain)
			continue;	/* not a zone name: never passed to gnuplot */
		if ((node >= 0 && z.node != node) || (zone && strcmp(zone, z.name)))
			continue;
		out[n++] = z;
	}
	fclose(f);
	return n;
}

static bool is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* ------------------------------------------------------------------ */
/* Finding the scripts and gnuplot                                      */
/* ------------------------------------------------------------------ */

/* The plots/ directory, malloc'd; a user error when there is none. */
static char *plots_dir(void)
{
	const char *env = getenv("SLABSIM_PLOTS");
	char exe[4096], path[4200];

	if (env && *env) {
		if (!is_dir(env))
			user_error("plot: SLABSIM_PLOTS=%s is not a directory", env);
		return xstrdup(env);
	}
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			snprintf(path, sizeof(path), "%s/../plots", exe);
			if (is_dir(path))
				return xstrdup(path);
		}
	}
#ifdef SLABSIM_SOURCE_ROOT
	snprintf(path, sizeof(path), "%s/plots", SLABSIM_SOURCE_ROOT);
	if (is_dir(path))
		return xstrdup(path);
#endif
	user_error("plot: cannot find the gnuplot scripts (plots/); "
		   "set SLABSIM_PLOTS to their directory");
}

/*
 * gnuplot's full path by a walk over $PATH, as execvp would do it, so a
 * missing gnuplot is known before anything is drawn. NULL when absent.
 */
char *find_gnuplot(void)
{
	const char *path = getenv("PATH");
	char cand[4200];

	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	while (*path) {
		size_t n = strcspn(path, ":");
		if (n == 0) {
			snprintf(cand, sizeof(cand), "./gnuplot");
		} else {
			snprintf(cand, sizeof(cand), "%.*s/gnuplot", (int)n, path);
		}
		struct stat st;
		if (stat(cand, &st) == 0 && S_ISREG(st.st_mode) &&
		    access(cand, X_OK) == 0)
			return xstrdup(cand);
		path += n + (path[n] == ':');
	}
	return NULL;
}

static int cmp_names(const void *a, const void *b)
{
	/* Byte order, not the locale's: the same list on every host. */
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* NAME of every NAME.gp in dir, sorted; *n set. */
static char **list_scripts(const char *dir, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t cap = 0;

	*n = 0;
	if (!d)
		user_error("plot: %s: %s", dir, strerror(errno));
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (len < 4 || e->d_name[0] == '.' ||
		    strcmp(e->d_name + len - 3, ".gp"))
			continue;
		if (*n == cap) {
			cap = cap ? 2 * cap : 16;
			names = xrealloc(names, cap * sizeof(*names));
		}
		names[*n] = xstrdup(e->d_name);
		names[*n][len - 3] = '\0';
		(*n)++;
	}
	closedir(d);
	if (*n)
		qsort(names, *n, sizeof(*names), cmp_names);
	return names;
}

/* ------------------------------------------------------------------ */
/* Which plots can be drawn                                             */
/* ------------------------------------------------------------------ */

static char *slurp_text(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct strbuf sb;
	int c;

	if (!f)
		return NULL;
	sb_init(&sb);
	sb_puts(&sb, "");
	while ((c = getc(f)) != EOF)
		sb_putc(&sb, (char)c);
	fclose(f);
	return sb.buf;
}

/* A CSV file with a header and at least one non-empty line after it. */
static bool csv_has_rows(const char *path)
{
	FILE *f = fopen(path, "rb");
	int c, lines = 0;
	bool content = false;

	if (!f)
		return false;
	while ((c = getc(f)) != EOF && lines < 2) {
		if (c == '\n') {
			lines += content;
			content = false;
		} else if (c != '\r') {
			content = true;
		}
	}
	lines += content;
	fclose(f);
	return lines >= 2;
}

static bool csv_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
}

/*
 * The first CSV file the script reads (names like "timeseries.csv" in
 * its text) that is missing or has no data rows in dir; written into
 * which. false when every CSV it names has data.
 */
static bool script_lacks_data(const char *script, const char *dir,
			      char *which, size_t whichlen)
{
	char *text = slurp_text(script);
	char path[4400];
	bool lacks = false;

	if (!text)
		return false;
	for (char *p = text; (p = strstr(p, ".csv")); p += 4) {
		char *s = p;
		while (s > text && csv_name_char(s[-1]) && s[-1] != '.')
			s--;
		if (s == p || csv_name_char(p[4]))
			continue;
		snprintf(which, whichlen, "%.*s", (int)(p + 4 - s), s);
		snprintf(path, sizeof(path), "%s/%s", dir, which);
		if (!csv_has_rows(path)) {
			lacks = true;
			break;
		}
	}
	free(text);
	return lacks;
}

/* ------------------------------------------------------------------ */
/* Running gnuplot                                                      */
/* ------------------------------------------------------------------ */

/* The last non-empty line of what gnuplot said, for a one-line report. */
static void last_line(int fd, char *buf, size_t len)
{
	char chunk[4096];
	struct strbuf sb;
	ssize_t n;

	buf[0] = '\0';
	sb_init(&sb);
	sb_puts(&sb, "");
	lseek(fd, 0, SEEK_SET);
	while ((n = read(fd, chunk, sizeof(chunk))) > 0 && sb.len < (1u << 20))
		for (ssize_t i = 0; i < n; i++)
			sb_putc(&sb, chunk[i]);
	char *end = sb.buf + sb.len;
	while (end > sb.buf && (end[-1] == '\n' || end[-1] == '\r' ||
				end[-1] == ' '))
		end--;
	*end = '\0';
	char *start = end;
	while (start > sb.buf && start[-1] != '\n')
		start--;
	while (*start == ' ' || *start == '\t')
		start++;
	snprintf(buf, len, "%s", start);
	for (char *q = buf; *q; q++)
		if ((unsigned char)*q < 0x20)
			*q = ' ';
	sb_free(&sb);
}

/*
 * Draw one picture: gnuplot SCRIPT with dir, out and fmt set by -e.
 * Returns true when out was written whole (and listed in dir's run
 * marker, when dir has one); on failure reports one line, out is as it
 * was, and whatever part of a picture gnuplot left is removed.
 */
static bool draw(const char *gnuplot, const char *name, const char *script,
		 const char *dir, const char *out, const char *fmt,
		 const char *cmp,
		 const struct zone_id *zone)
{
	struct strbuf e;
	char said[300];
	int status;

	/* Drawn into a temporary beside out: only a whole picture is kept. */
	char *tmp = temp_beside(out);
	if (!tmp)
		user_error("plot: cannot write %s: %s", out, strerror(errno));
	sb_init(&e);
	sb_printf(&e, "dir='%s'; out='%s'; fmt='%s'", dir, tmp, fmt);
	if (cmp)	/* scripts that can draw a comparison read it */
		sb_printf(&e, "; cmp='%s'", cmp);
	if (zone)
		sb_printf(&e, "; node=%d; zone='%s'", zone->node, zone->name);
	FILE *err = tmpfile();
	if (!err)
		user_error("plot: tmpfile: %s", strerror(errno));
	char *const argv[] = { (char *)gnuplot, (char *)"-e", e.buf,
			       (char *)script, NULL };
	status = wait_child(spawn(argv, -1, err));
	sb_free(&e);

	bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
		  image_complete(tmp, !strcmp(fmt, "svg"));
	said[0] = '\0';
	bool ours = false;	/* said is our reason, not gnuplot's */
	struct stat st;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && !ok &&
	    stat(tmp, &st) == 0 && st.st_size > 0)
		snprintf(said, sizeof(said), "the picture it wrote is "
			 "incomplete (disk full?)");
	/*
	 * Listed in the run's marker before it exists there; a file of that
	 * name slabsim did not write (no marker lists it) is not replaced.
	 */
	char rel[400];
	const char *base = strrchr(out, '/');	/* per-zone names too */
	snprintf(rel, sizeof(rel), "plots/%.300s", base ? base + 1 : out);
	struct stat old;
	if (ok && lstat(out, &old) == 0 &&
	    !outdir_marker_lists(dir, "file", rel)) {
		snprintf(said, sizeof(said), "%.200s exists and slabsim did "
			 "not write it; not replacing it", out);
		ours = true;
		ok = false;
	}
	if (ok && !outdir_marker_add(dir, "file", rel)) {
		snprintf(said, sizeof(said), "cannot add it to %s/%s: %s", dir,
			 OUTDIR_RUN_MARKER, strerror(errno));
		ours = true;
		ok = false;
	}
	if (ok && rename(tmp, out) != 0) {
		snprintf(said, sizeof(said), "cannot rename it into place: %s",
			 strerror(errno));
		ours = true;
		ok = false;
	}
	if (!ok)
		unlink(tmp);
	free(tmp);
	if (!ok) {
		if (!said[0])
			last_line(fileno(err), said, sizeof(said));
		if (!said[0])
			snprintf(said, sizeof(said), "%s",
				 WIFSIGNALED(status) ? "killed by a signal" :
				 WIFEXITED(status) && WEXITSTATUS(status) == 0 ?
				 "it wrote nothing" : "no message");
		fprintf(stderr, "slabsim: plot: %s (%s): %s%s\n", name, fmt,
			ours ? "" : "gnuplot failed: ", said);
	}
	fclose(err);
	return ok;
}

/* ------------------------------------------------------------------ */
/* The command                                                          */
/* ------------------------------------------------------------------ */

/* gnuplot gets paths inside '...' strings, which cannot hold a quote. */
static void check_quotable(const char *what, const char *path)
{
	if (strchr(path, '\''))
		user_error("plot: %s '%s' contains a single quote, which cannot "
			   "be passed to gnuplot; rename it", what, path);
	for (const char *p = path; *p; p++)
		if ((unsigned char)*p < 0x20)
			user_error("plot: %s contains a control character; "
				   "rename it", what);
}

/*
 * A script another script loads (common.gp: shared set-up) is a library,
 * not a plot: its name, as NAME.gp, appears in some other script's text.
 */
static bool is_library(const char *scripts, char **names, size_t nr,
		       size_t which)
{
	char path[4400], needle[300];
	bool lib = false;

	snprintf(needle, sizeof(needle), "%s.gp", names[which]);
	for (size_t i = 0; i < nr && !lib; i++) {
		if (i == which)
			continue;
		snprintf(path, sizeof(path), "%s/%s.gp", scripts, names[i]);
		char *text = slurp_text(path);
		lib = text && strstr(text, needle);
		free(text);
	}
	return lib;
}

static bool in_list(const char *list, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = list; *p;) {
		size_t len = strcspn(p, ",");
		if (len == n && !strncmp(p, name, n))
			return true;
		p += len + (p[len] == ',');
	}
	return false;
}

int cmd_plot(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "only", required_argument, NULL, 'O' },
		{ "compare", required_argument, NULL, 'C' },
		{ "node", required_argument, NULL, 'N' },
		{ "zone", required_argument, NULL, 'Z' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *format = "both", *only = NULL, *zone = NULL, *cmp = NULL;
	int node = -1;
	char path[4400];
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'f': format = optarg; break;
		case 'O': only = optarg; break;
		case 'C': cmp = optarg; break;
		case 'N': {
			char *end;
			long v = strtol(optarg, &end, 10);
			if (!*optarg || *end || v < 0 || v > 1023)
				user_error("plot: --node must be a node number, "
					   "not '%s'", optarg);
			node = (int)v;
			break;
		}
		case 'Z': zone = optarg; break;
		case 'h':
			fputs(usage_plot, stdout);
			return 0;
		default:
			user_error("plot: bad option '%s' (see slabsim plot --help)",
				   argv[optind - 1]);
		}
	}
	bool png = !strcmp(format, "png") || !strcmp(format, "both");
	bool svg = !strcmp(format, "svg") || !strcmp(format, "both");
	if (!png && !svg)
		user_error("plot: --format must be png, svg or both, not '%s'",
			   format);
	if (optind != argc - 1)
		user_error("plot: expected one run directory (see slabsim plot --help)");

	/* DIR without trailing slashes, for tidy paths in messages. */
	const char *arg = argv[optind];
	size_t arglen = strlen(arg);
	while (arglen > 1 && arg[arglen - 1] == '/')
		arglen--;
	char *dir = xcalloc(1, arglen + 1);
	memcpy(dir, arg, arglen);
	snprintf(path, sizeof(path), "%.*s/summary.json", (int)arglen, arg);
	if (!is_dir(dir) || access(path, F_OK) != 0)
		user_error("plot: %s: not a run directory (no summary.json)", dir);
	check_quotable("directory", dir);
	if (cmp) {
		snprintf(path, sizeof(path), "%s/summary.json", cmp);
		if (!is_dir(cmp) || access(path, F_OK) != 0)
			user_error("plot: --compare %s: not a run directory (no summary.json)",
				   cmp);
		check_quotable("directory", cmp);
	}

	char *scripts = plots_dir();
	size_t nr;
	char **names = list_scripts(scripts, &nr);
	bool *lib = xcalloc(nr ? nr : 1, sizeof(bool));
	size_t kept = 0;
	for (size_t i = 0; i < nr; i++)
		lib[i] = is_library(scripts, names, nr, i);
	for (size_t i = 0; i < nr; i++) {
		if (!lib[i])
			names[kept++] = names[i];
		else
			free(names[i]);
	}
	free(lib);
	nr = kept;
	if (!nr)
		user_error("plot: no gnuplot scripts (*.gp) in %s", scripts);
	if (only) {
		for (const char *p = only; *p;) {
			size_t len = strcspn(p, ",");
			bool known = false;
			for (size_t i = 0; i < nr; i++)
				known |= strlen(names[i]) == len &&
					 !strncmp(names[i], p, len);
			if (!known) {
				struct strbuf list;
				sb_init(&list);
				for (size_t i = 0; i < nr; i++)
					sb_printf(&list, "%s%s", i ? ", " : "",
						  names[i]);
				user_error("plot: --only: no plot named '%.*s' "
					   "(the plots are: %s)", (int)len, p,
					   list.buf);
			}
			p += len + (p[len] == ',');
		}
	}

	struct zone_id *zones = xcalloc(MAX_ZONES, sizeof(*zones));
	size_t nzones = run_zones(dir, node, zone, zones);
	if ((node >= 0 || zone) && !nzones) {
		struct zone_id *all = xcalloc(MAX_ZONES, sizeof(*all));
		size_t na = run_zones(dir, -1, NULL, all);
		struct strbuf list;
		sb_init(&list);
		sb_puts(&list, "");
		for (size_t i = 0; i < na; i++)
			sb_printf(&list, "%snode %d %s", i ? ", " : "",
				  all[i].node, all[i].name);
		user_error("plot: no zone matches --node/--zone in %s/buddyinfo "
			   "(it has: %s)", dir, na ? list.buf : "none");
	}

	char *gnuplot = find_gnuplot();
	if (!gnuplot)
		user_error("plot: gnuplot not found; install it with: "
			   "apt-get install gnuplot-nox");

	snprintf(path, sizeof(path), "%s/plots", dir);
	if (!outdir_marker_add(dir, "dir", "plots"))
		user_error("plot: cannot add plots/ to %s/%s: %s", dir,
			   OUTDIR_RUN_MARKER, strerror(errno));
	if (mkdir(path, 0777) != 0 && errno != EEXIST)
		user_error("plot: cannot create %s: %s", path, strerror(errno));
	if (!is_dir(path))
		user_error("plot: %s exists and is not a directory", path);

	int failed = 0;
	for (size_t i = 0; i < nr; i++) {
		char script[4400], out[4400], csv[256];

		if (only && !in_list(only, names[i]))
			continue;
		snprintf(script, sizeof(script), "%s/%s.gp", scripts, names[i]);
		if (script_lacks_data(script, dir, csv, sizeof(csv))) {
			fprintf(stderr, "slabsim: plot: %s skipped: %s has no "
				"data rows\n", names[i], csv);
			continue;
		}
		char *text = slurp_text(script);
		bool per_zone = text && strstr(text, PER_ZONE_MARK);
		free(text);
		size_t reps = per_zone ? nzones : 1;
		for (size_t z = 0; z < reps; z++)
		for (int f = 0; f < 2; f++) {
			const char *fmt = f ? "svg" : "png";
			if (!(f ? svg : png))
				continue;
			if (per_zone)
				snprintf(out, sizeof(out), "%s/plots/%s-node%d-%s.%s",
					 dir, names[i], zones[z].node,
					 zones[z].name, fmt);
			else
				snprintf(out, sizeof(out), "%s/plots/%s.%s", dir,
					 names[i], fmt);
			if (draw(gnuplot, names[i], script, dir, out, fmt, cmp,
				 per_zone ? &zones[z] : NULL))
				printf("slabsim: plot: wrote %s\n", out);
			else
				failed++;
		}
	}
	free(zones);

	for (size_t i = 0; i < nr; i++)
		free(names[i]);
	free(names);
	free(scripts);
	free(gnuplot);
	free(dir);
	return failed ? 1 : 0;
}
