/*
 * slabsim import: option parsing and messages for the trace importer
 * (sim/workload/import.c does the work). Inputs are read through zlib,
 * which passes plain text through unchanged, so .gz needs no flag.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include "sim/cli.h"
#include "sim/progress.h"
#include "sim/util.h"
#include "sim/workload/import.h"

#define CHUNK	(1u << 20)

static const char usage_import[] =
	"usage: slabsim import TRACE... -o WORKLOAD.yaml [--machine BASE.yaml]\n"
	"                      [--cpus N] [--nodes N] [--form compact|mapping]\n"
	"                      [--name NAME] [--no-sites] [-q]\n"
	"       slabsim import --stat [--format text|csv] [--cpus N] [--nodes N] TRACE...\n"
	"\n"
	"Turns kmem tracepoint text into a workload: ftrace trace or trace_pipe\n"
	"files, 'perf script' output, 'trace-cmd report' output, of kernels\n"
	"before 6.1 (hex call_site, *_node events) and after. TRACE '-' is\n"
	"standard input; a .gz file is read as it is. Frees are matched to\n"
	"allocations by pointer; lines that cannot be used are counted, listed\n"
	"on stderr and in the comment at the top of the workload.\n"
	"\n"
	"  -o, --out FILE        workload to write (replaced only when complete)\n"
	"  --machine BASE.yaml   take machine:, slab: and caches: from BASE (its\n"
	"                        caches win over the ones the trace implies)\n"
	"  --cpus N              CPUs of the machine (default: highest in the trace + 1)\n"
	"  --nodes N             NUMA nodes, CPUs numbered node by node (default 1)\n"
	"  --form compact|mapping  one scalar per event (default), or flow mappings\n"
	"  --name NAME           the workload's name (default: from FILE)\n"
	"  --no-sites            leave the call sites out of the events\n"
	"  -q, --quiet           print nothing on success\n"
	"  --stat                print the trace's per-call-site table instead\n"
	"                        (perf kmem stat --caller's columns, as the traced\n"
	"                        kernel served it); --format csv for a run's\n"
	"                        callsites.csv columns\n"
	"\n"
	"Exit status: 0 ok; 2 unusable input or options (nothing written).\n";

static int parse_count(const char *opt, const char *s, int lo, int hi)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		user_error("import: %s '%s' is not a number in %d..%d", opt, s, lo, hi);
	return (int)v;
}

/* Feed one input; exits 2 when it is unusable (nothing is written yet). */
static void read_input(struct importer *im, const char *path, bool progress)
{
	char err[600];
	gzFile gz;

	if (!strcmp(path, "-")) {
		int fd = dup(STDIN_FILENO);

		gz = fd >= 0 ? gzdopen(fd, "rb") : NULL;
	} else {
		int fd = open(path, O_RDONLY);

		if (fd < 0) {
			user_error("import: %s: %s", path, strerror(errno));
		}
		gz = gzdopen(fd, "rb");
	}
	if (!gz) {
		user_error("import: %s: cannot open", path);
	}
	gzbuffer(gz, 256 * 1024);
	char *buf = xcalloc(1, CHUNK);
	import_source(im, path);
	for (;;) {
		int n = gzread(gz, buf, CHUNK);

		if (n < 0) {
			int zerr;
			const char *msg = gzerror(gz, &zerr);

			progress_end();
			user_error("import: %s: %s", path,
				   zerr == Z_ERRNO ? strerror(errno) : msg);
		}
		if (n == 0)
			break;
		if (!import_feed(im, buf, (size_t)n, err, sizeof(err))) {
			progress_end();
			user_error("import: %s", err);
		}
		progress_lines(progress, import_lines(im));
	}
	/* zlib hands out what a cut .gz holds and says so only here */
	int zerr;
	const char *msg = gzerror(gz, &zerr);
	if (zerr == Z_BUF_ERROR)
		import_note(im, "compressed data ends early (a cut file): imported what it holds");
	else if (zerr != Z_OK)
		user_error("import: %s: %s", path, msg);
	import_source_end(im);
	free(buf);
	gzclose(gz);
}

/* mkstemp made the file 0600; a workload is as readable as any file. */
static bool fchmod_default(const char *path)
{
	mode_t mask = umask(0);

	umask(mask);
	return chmod(path, 0666 & ~mask) == 0;
}

/* The workload's name from the output file: its base name, no .yaml. */
static void name_from(const char *out, char *name, size_t len)
{
	const char *b = strrchr(out, '/');
	size_t n, i;

	b = b ? b + 1 : out;
	n = strlen(b);
	if (n > 5 && !strcmp(b + n - 5, ".yaml"))
		n -= 5;
	else if (n > 4 && !strcmp(b + n - 4, ".yml"))
		n -= 4;
	if (n > len - 1)
		n = len - 1;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)b[i];

		name[i] = c > ' ' && c < 0x7f && !strchr("\"'#:,[]{}&*!|>%@`\\", c) ? (char)c : '_';
	}
	name[i] = '\0';
	if (!i)
		snprintf(name, len, "imported");
}

int cmd_import(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "machine", required_argument, NULL, 'm' },
		{ "cpus", required_argument, NULL, 'c' },
		{ "nodes", required_argument, NULL, 'n' },
		{ "form", required_argument, NULL, 'f' },
		{ "name", required_argument, NULL, 'N' },
		{ "no-sites", no_argument, NULL, 'S' },
		{ "stat", no_argument, NULL, 's' },
		{ "format", required_argument, NULL, 'F' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct import_options o = { 0 };
	struct import_base base;
	const char *out = NULL, *machine = NULL, *format = NULL;
	bool stat = false, quiet = false, have_base = false;
	char name[64], err[600];
	int c;

	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(usage_import, stdout);
			return 0;
		}
	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:qh", opts, NULL)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 'm': machine = optarg; break;
		case 'c': o.cpus = parse_count("--cpus", optarg, 1, 256); break;
		case 'n': o.nodes = parse_count("--nodes", optarg, 1, 64); break;
		case 'f':
			if (!strcmp(optarg, "compact"))
				o.form = IMPORT_COMPACT;
			else if (!strcmp(optarg, "mapping"))
				o.form = IMPORT_MAPPING;
			else
				user_error("import: --form takes compact or mapping, not '%s'", optarg);
			break;
		case 'N': o.name = optarg; break;
		case 'S': o.no_sites = true; break;
		case 's': stat = true; break;
		case 'F': format = optarg; break;
		case 'q': quiet = true; break;
		default:
			user_error("import: unknown option '%s' (see slabsim import --help)",
				   argv[optind - 1]);
		}
	}
	if (optind >= argc)
		user_error("import: expected at least one TRACE file (see slabsim import --help)");
	if (format && strcmp(format, "text") && strcmp(format, "csv"))
		user_error("import: --format takes text or csv, not '%s'", format);
	if (format && !stat)
		user_error("import: --format goes with --stat");
	if (stat && out)
		user_error("import: --stat prints to standard output; leave out -o");
	if (!stat && !out)
		user_error("import: -o WORKLOAD.yaml is required (see slabsim import --help)");
	if (o.name) {
		char q[64];

		name_from(o.name, q, sizeof(q));
		if (strcmp(q, o.name))
			user_error("import: --name '%s' must be 1..63 printable characters without spaces or YAML punctuation", o.name);
	} else if (out) {
		name_from(out, name, sizeof(name));
		o.name = name;
	}
	if (machine) {
		if (!import_base_load(machine, &base, err, sizeof(err)))
			user_error("import: --machine: %s", err);
		have_base = true;
		o.base = &base;
	}

	bool progress = isatty(STDERR_FILENO);
	struct importer *im = import_new(&o);
	progress_lines_start(progress);
	for (int i = optind; i < argc; i++)
		read_input(im, argv[i], progress);
	progress_end();
	if (!import_finish(im, err, sizeof(err)))
		user_error("import: %s", err);

	if (stat) {
		if (!import_write_stat(im, stdout, format && !strcmp(format, "csv")) ||
		    fflush(stdout))
			user_error("import: cannot write the table: %s", strerror(errno));
	} else {
		/* Beside the target, so the rename stays on one file system. */
		size_t n = strlen(out) + 16;
		char *tmp = xcalloc(1, n);
		snprintf(tmp, n, "%s.tmpXXXXXX", out);
		int fd = mkstemp(tmp);
		if (fd < 0)
			user_error("import: cannot create %s: %s", tmp, strerror(errno));
		FILE *f = fdopen(fd, "w");
		bool ok = f != NULL;
		if (ok) {
			setvbuf(f, NULL, _IOFBF, CHUNK);
			ok = import_write(im, f);
			ok = fclose(f) == 0 && ok;
		}
		if (ok && fchmod_default(tmp) && rename(tmp, out) == 0) {
			free(tmp);
		} else {
			int e = errno;

			unlink(tmp);
			user_error("import: cannot write %s: %s", out, strerror(e));
		}
	}
	if (!quiet) {
		struct strbuf sb;

		sb_init(&sb);
		import_report(im, &sb, "slabsim: import: ");
		fputs(sb.buf ? sb.buf : "", stderr);
		sb_free(&sb);
	}
	import_free(im);
	if (have_base)
		import_base_free(&base);
	return 0;
}
