/*
 * The command line: slabsim run | geometry | plot | compare | sweep.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/cli.h"
#include "sim/machine.h"
#include "sim/report/report.h"
#include "sim/report/outdir.h"
#include "sim/run.h"
#include "sim/workload.h"

static const char usage_main[] =
	"usage: slabsim COMMAND [ARGS]\n"
	"\n"
	"A deterministic simulator of the Linux 2.6.17 SLAB allocator.\n"
	"\n"
	"commands:\n"
	"  run WORKLOAD -o DIR     run a workload, write its run directory\n"
	"  geometry --size N ...   what kmem_cache_create would decide\n"
	"  plot DIR                draw a run's plots (PNG and SVG, gnuplot)\n"
	"  compare DIR...          put runs side by side\n"
	"  diff BASE RUN           exit 1 when a headline figure moved\n"
	"  sweep WORKLOAD --vary KEY=V1,V2 ... -o DIR   run a parameter sweep\n"
	"  import TRACE... -o WORKLOAD.yaml   a workload from kmem tracepoint text\n"
	"\n"
	"'slabsim COMMAND --help' describes each command; 'slabsim --version'\n"
	"prints the version.\n"
	"\n"
	"Exit status: 0 ok; 1 an expectation failed (run), a headline figure\n"
	"moved (diff) or a point failed (sweep); 2 bad input; 3 the simulated\n"
	"kernel hit BUG.\n";

static const char usage_run[] =
	"usage: slabsim run WORKLOAD -o DIR [--seed N] [--set KEY=VALUE]... [--quiet]\n"
	"                    [--check] [--force]\n"
	"\n"
	"Runs the YAML workload and writes DIR: slabinfo (final /proc/slabinfo,\n"
	"2.1 statistics format), slabinfo.<t>us snapshots, timeseries.csv,\n"
	"fragmentation.csv, buddyinfo, unusable_index, extfrag_index, lock_stat,\n"
	"lock_stat.csv, cache.csv, l1sets.csv, callsites.csv, summary.json and\n"
	"kernel.log, and with expect: in the workload expect.json and junit.xml\n"
	"(each expectation's value and verdict are printed too).\n"
	"DIR is replaced as a whole, or left as it was when the run fails; only\n"
	"a directory slabsim wrote (its .slabsim-run marker lists every entry)\n"
	"is ever replaced, and that is checked before anything runs.\n"	"\n"
	"  -o, --out DIR       run directory to write (required)\n"
	"  --seed N            override the workload's seed\n"
	"  --set KEY=VALUE     override a workload value, e.g. machine.cpus=4,\n"
	"                      caches.NAME.tune.limit=16,\n"
	"                      generators.NAME.rate=5000/s (repeatable)\n"
	"  -q, --quiet         print nothing on success\n"
	"  --slabinfo FORM     statistics (default: the 2.1 (statistics) form,\n"
	"                      with globalstat and cpustat) or plain (as a\n"
	"                      non-debug 2.6.17 kernel prints it)\n"
	"  --check             run the slab validators after every operation\n"
	"                      that leaves no CPU inside the allocator; stop\n"
	"                      with a report at the first inconsistency\n"
	"  --force             run a workload whose generators would make more\n"
	"                      than 10^10 allocations\n"
	"  --access-trace FILE write every access the cache-line model sees to\n"
	"                      FILE, one line each: cpu node addr(hex) len R|W\n"
	"                      home-node tag (the row of cache.csv)\n"
	"\n"
	"Exit status: 0 ok (every expectation held); 1 an expectation failed\n"
	"(the run directory is written); 2 bad input, including an expectation\n"
	"naming a figure that does not exist (nothing written); 3 the\n"
	"simulated kernel hit BUG or panic (the run directory holds the\n"
	"report).\n";

static const char usage_geometry[] =
	"usage: slabsim geometry --size N [--align A] [--flags F,...] [--arch ARCH]\n"
	"                        [--line BYTES] [--bufctl 2|4] [--cpus N] [--memory M]\n"
	"\n"
	"Prints what kmem_cache_create() decides for a cache of objects of N bytes\n"
	"on the simulated architecture: object size, objects and pages per slab,\n"
	"on- or off-slab management, colours, left-over bytes, and the per-CPU\n"
	"array tunables enable_cpucache() picks.\n"
	"\n"
	"  --arch x86_64|i386   (default x86_64)\n"
	"  --line 32|64|128     cache line size (default 64)\n"
	"  --bufctl 4|2         kmem_bufctl_t bytes: 2 as before Linux 2.6.14\n"
	"  --flags F,...        HWCACHE_ALIGN, CACHE_DMA, RECLAIM_ACCOUNT, ...\n"
	"  --cpus N             CPUs of the machine (shared arrays need > 1)\n"
	"  --memory M           memory of the machine (<= 32MiB lowers slab order)\n"
	"  --debug              as CONFIG_DEBUG_SLAB (red zones, poisoning)\n"
	"\n"
	"Exit status: 0 ok; 2 bad input, or a cache kmem_cache_create refuses;\n"
	"3 the simulated kernel hit BUG during boot or the creation.\n";

static bool want_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return true;
	return false;
}

/* ------------------------------------------------------------------ */
/* run                                                                  */
/* ------------------------------------------------------------------ */

static int cmd_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "seed", required_argument, NULL, 's' },
		{ "set", required_argument, NULL, 'S' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "check", no_argument, NULL, 'c' },
		{ "force", no_argument, NULL, 'F' },
		{ "access-trace", required_argument, NULL, 'A' },
		{ "slabinfo", required_argument, NULL, 'I' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct run_options ro = { 0 };
	const char *seed = NULL;
	const char **sets = calloc((size_t)argc, sizeof(*sets));
	int nsets = 0, c;

	if (want_help(argc, argv)) {
		fputs(usage_run, stdout);
		free(sets);
		return 0;
	}
	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:qh", opts, NULL)) != -1) {
		switch (c) {
		case 'o': ro.out_dir = optarg; break;
		case 's': seed = optarg; break;
		case 'S': sets[nsets++] = optarg; break;
		case 'q': ro.quiet = true; break;
		case 'c': ro.check = true; break;
		case 'F': workload_allow_huge(true); break;
		case 'A': ro.access_trace = optarg; break;
		case 'I':
			if (!strcmp(optarg, "plain"))
				ro.slabinfo_plain = true;
			else if (strcmp(optarg, "statistics"))
				user_error("run: --slabinfo must be plain or "
					   "statistics, not '%s'", optarg);
			break;
		default:
			user_error("run: unknown option '%s' (see slabsim run --help)",
				   argv[optind - 1]);
		}
	}
	if (optind != argc - 1)
		user_error("run: expected one WORKLOAD file (see slabsim run --help)");
	if (!ro.out_dir)
		user_error("run: -o DIR is required (see slabsim run --help)");
	/*
	 * Known before simulating: a directory slabsim did not write is
	 * never replaced, and a path it cannot write fails now, not after.
	 */
	char *out_dir = outdir_check_or_die("run", ro.out_dir, OUTDIR_RUN);
	ro.out_dir = out_dir;

	struct workload wl;
	char err[512];
	if (!workload_load(argv[optind], &wl, err, sizeof(err)))
		user_error("%s", err);
	if (seed) {
		char a[128];
		snprintf(a, sizeof(a), "seed=%s", seed);
		if (!workload_override(&wl, a, err, sizeof(err)))
			user_error("--seed: %s", err);
	}
	for (int i = 0; i < nsets; i++)
		if (!workload_override(&wl, sets[i], err, sizeof(err)))
			user_error("--set %s: %s", sets[i], err);
	free(sets);
	ro.progress = isatty(STDERR_FILENO);
	int status = run_workload(&wl, &ro);
	workload_free(&wl);
	free(out_dir);
	return status;
}

/* ------------------------------------------------------------------ */
/* geometry                                                             */
/* ------------------------------------------------------------------ */

struct geometry_req {
	size_t size, align;
	unsigned long flags;
	struct kmem_cache *cachep;
};

static void geometry_create(void *arg)
{
	struct geometry_req *g = arg;

	g->cachep = kmem_cache_create("geometry", g->size, g->align, g->flags,
				      NULL, NULL);
	engine_stop(machine_current()->eng, 0);
}

static int cmd_geometry(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "size", required_argument, NULL, 's' },
		{ "align", required_argument, NULL, 'a' },
		{ "flags", required_argument, NULL, 'f' },
		{ "arch", required_argument, NULL, 'A' },
		{ "line", required_argument, NULL, 'l' },
		{ "bufctl", required_argument, NULL, 'b' },
		{ "cpus", required_argument, NULL, 'c' },
		{ "memory", required_argument, NULL, 'm' },
		{ "debug", no_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *size = NULL, *align = "0", *flags = "", *arch = "x86_64";
	const char *line = "64", *bufctl = "4", *cpus = "1", *memory = "256MiB";
	bool debug = false;
	int c;

	if (want_help(argc, argv)) {
		fputs(usage_geometry, stdout);
		return 0;
	}
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 's': size = optarg; break;
		case 'a': align = optarg; break;
		case 'f': flags = optarg; break;
		case 'A': arch = optarg; break;
		case 'l': line = optarg; break;
		case 'b': bufctl = optarg; break;
		case 'c': cpus = optarg; break;
		case 'm': memory = optarg; break;
		case 'd': debug = true; break;
		default:
			user_error("geometry: unknown option '%s' (see slabsim geometry --help)",
				   argv[optind - 1]);
		}
	}
	if (!size || optind != argc)
		user_error("geometry: --size N is required (see slabsim geometry --help)");

	/* Let the loader check every value: one set of rules, one set of
	 * messages. */
	char yaml[2048];
	snprintf(yaml, sizeof(yaml),
		 "name: geometry\n"
		 "machine: {arch: '%s', cpus: %s, memory: '%s', bufctl: %s,\n"
		 "          caches: {line: %s, model: false}}\n"
		 "slab: {debug: %s}\n"
		 "caches:\n"
		 "  - {name: geometry, size: '%s', align: '%s', flags: [%s]}\n",
		 arch, cpus, memory, bufctl, line, debug ? "true" : "false",
		 size, align, flags);
	struct workload wl;
	char err[512];
	if (!workload_load_string("geometry", yaml, &wl, err, sizeof(err))) {
		/* The YAML is ours, not the user's: its file:line:col would
		 * point into nothing they wrote. The message names the value. */
		const char *msg = err;
		unsigned int l, col;
		int used = 0;
		if (sscanf(err, "geometry:%u:%u: %n", &l, &col, &used) == 2 && used)
			msg = err + used;
		user_error("geometry: %s", msg);
	}

	struct machine *m = machine_create(&wl, err, sizeof(err));
	if (!m)
		user_error("geometry: %s", err);
	if (machine_boot(m) != RUN_OK) {
		fputs(m->klog.buf ? m->klog.buf : "", stderr);
		return RUN_KERNEL_BUG;
	}
	struct geometry_req g = {
		.size = wl.caches[0].size,
		.align = wl.caches[0].align,
		.flags = wl.caches[0].flags,
	};
	engine_post(m->eng, engine_cpu_clock(m->eng, 0), 0, geometry_create, &g);
	if (engine_run(m->eng) != 0) {
		fputs(m->klog.buf ? m->klog.buf : "", stderr);
		return RUN_KERNEL_BUG;
	}
	if (!g.cachep) {
		fputs(m->klog.buf ? m->klog.buf : "", stderr);
		user_error("geometry: kmem_cache_create refused the cache");
	}
	struct kmem_cache_info i;
	kmem_cache_get_info(g.cachep, &i);
	printf("kmem_cache_create(size %zu, align %zu, flags 0x%lx) on %s, "
	       "line %u, %u-byte bufctl, %d CPU%s\n",
	       g.size, g.align, g.flags, m->arch.name, m->arch.cache_line,
	       m->arch.sizeof_bufctl, m->nr_cpus, m->nr_cpus == 1 ? "" : "s");
	printf("  objsize          %u (object %u at offset %u)\n",
	       i.buffer_size, i.obj_size, i.obj_offset);
	printf("  objperslab       %u\n", i.num);
	printf("  pagesperslab     %u (order %u)\n", 1u << i.gfporder, i.gfporder);
	printf("  management       %s-slab, %u bytes\n",
	       i.off_slab ? "off" : "on", i.slab_size);
	printf("  colours          %u x %u bytes\n", i.colour, i.colour_off);
	printf("  left-over        %lu bytes per slab\n", i.left_over);
	printf("  tunables         limit %u batchcount %u shared %u\n",
	       i.limit, i.batchcount, i.shared);
	machine_destroy(m);
	workload_free(&wl);
	return 0;
}

/* ------------------------------------------------------------------ */

static const struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
} commands[] = {
	{ "run", cmd_run },
	{ "geometry", cmd_geometry },
	{ "plot", cmd_plot },
	{ "compare", cmd_compare },
	{ "diff", cmd_diff },
	{ "sweep", cmd_sweep },
	{ "import", cmd_import },
};

/*
 * What went to standard output (a table, a summary) is buffered: a full
 * disk or a closed pipe shows only when it is flushed. Checked at exit,
 * so `slabsim compare a b > file` on a full disk fails (exit 2) instead
 * of reporting success over a truncated file.
 */
static void close_stdout(void)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "slabsim: cannot write to standard output: %s\n",
			strerror(errno));
		_exit(2);
	}
}

int main(int argc, char **argv)
{
	atexit(close_stdout);
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		fputs(usage_main, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("slabsim %s\n", SLABSIM_VERSION);
		return 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	user_error("unknown command '%s' (see slabsim --help)", argv[1]);
}
