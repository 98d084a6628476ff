/*
 * Tests of the trace importer (sim/workload/import.c) through its pure
 * API: small hand-written traces in every format, the events they must
 * become (worked out by hand next to each), pointer matching, the merge
 * of CPUs, the counts of the header, --stat's figures, and every kind of
 * bad input. The real captures are imported by the e2e suite.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "sim/util.h"
#include "sim/workload/import.h"

static char err[1024];

/* Imports text (named "t.txt"); the output, malloc'd; fails the test on error. */
static char *imp_opts(const char *text, const struct import_options *o, bool stat)
{
	struct strbuf sb;

	sb_init(&sb);
	err[0] = '\0';
	if (!import_buffer("t.txt", text, strlen(text), o, stat, &sb, err, sizeof(err)))
		fail_msg("import failed: %s", err);
	return sb.buf;
}

static char *imp(const char *text)
{
	struct import_options o = { 0 };

	return imp_opts(text, &o, false);
}

/* The lines after "events:\n". */
static const char *events_of(const char *out)
{
	const char *e = strstr(out, "\nevents:\n");

	assert_non_null(e);
	return e + 9;
}

/* Expects the import to fail with err containing msg. */
static void refuse(const char *text, size_t len, const char *msg)
{
	struct import_options o = { 0 };
	struct strbuf sb;

	sb_init(&sb);
	err[0] = '\0';
	assert_false(import_buffer("t.txt", text, len, &o, false, &sb, err, sizeof(err)));
	if (!strstr(err, msg))
		fail_msg("error '%s' lacks '%s'", err, msg);
	assert_null(strchr(err, '\n'));
	sb_free(&sb);
}

static void has(const char *out, const char *s)
{
	if (!strstr(out, s))
		fail_msg("output lacks '%s':\n%s", s, out);
}

static void lacks(const char *out, const char *s)
{
	if (strstr(out, s))
		fail_msg("output has '%s':\n%s", s, out);
}

/* ---- formats ---- */

/*
 * Before 6.1: hex call sites, *_node events, no name=; GFP names without
 * underscores (GFP_ZERO). Times from 100.000001 s, so t0 is that line.
 * Objects are named by a counter: 0 (cache), 1 (kmalloc), 2, 3; the
 * kmalloc_node asks node 1, which exists with --nodes 2.
 */
static const char old_format[] =
	"# tracer: nop\n"
	"#\n"
	"# entries-in-buffer/entries-written: 8/8   #P:4\n"
	"            bash-1234  [000] ....   100.000001: kmem_cache_alloc: call_site=ffffffff8116ffbd ptr=ffff88007d6ec000 bytes_req=168 bytes_alloc=192 gfp_flags=GFP_KERNEL\n"
	"            bash-1234  [000] ....   100.000002: kmalloc: call_site=ffffffff81234567 ptr=ffff88007d6ed000 bytes_req=96 bytes_alloc=96 gfp_flags=GFP_NOFS|GFP_ZERO\n"
	"            bash-1234  [001] d...   100.000003: kmalloc_node: call_site=ffffffff81234568 ptr=ffff88007d6ee000 bytes_req=300 bytes_alloc=512 gfp_flags=GFP_KERNEL node=1\n"
	"            bash-1234  [001] ..s1   100.000004: kmem_cache_alloc_node: call_site=ffffffff8116ffc0 ptr=ffff88007d6ef000 bytes_req=168 bytes_alloc=192 gfp_flags=GFP_ATOMIC|GFP_NOWARN node=0\n"
	"            bash-1234  [002] ....   100.000005: kfree: call_site=ffffffff81234570 ptr=ffff88007d6ed000\n"
	"            bash-1234  [003] ....   100.000006: kmem_cache_free: call_site=ffffffff81160000 ptr=ffff88007d6ec000\n"
	"            bash-1234  [000] ....   100.000007: kfree: call_site=ffffffff81234570 ptr=(null)\n"
	"            bash-1234  [000] ....   100.000008: kmem_cache_free: call_site=ffffffff81160000 ptr=ffff880012345678\n"
	"            bash-1234  [002] ....   100.000009: mm_page_alloc: page=ffffea0001b3c000 pfn=970744 order=2 migratetype=0 gfp_flags=GFP_KERNEL\n"
	"            bash-1234  [002] ....   100.000010: mm_page_free: page=ffffea0001b3c000 pfn=970744 order=2\n";

static void test_old_format(void **state)
{
	struct import_options o = { .nodes = 2 };
	char *out = imp_opts(old_format, &o, false);

	assert_string_equal(events_of(out),
		"- 0ns 0 alloc obj-168 0 @ffffffff8116ffbd\n"
		"- 1000ns 0 kmalloc 96 1 gfp=GFP_NOFS @ffffffff81234567\n"
		"- 2000ns 1 kmalloc_node 300 1 2 @ffffffff81234568\n"
		"- 3000ns 1 alloc_node obj-168 0 3 gfp=GFP_ATOMIC|__GFP_NOWARN @ffffffff8116ffc0\n"
		"- 4000ns 2 kfree 1 @ffffffff81234570\n"
		"- 5000ns 3 free 0 @ffffffff81160000\n");
	/* 168 -> 192 is a line-aligned object: HWCACHE_ALIGN */
	has(out, "caches:\n  - {name: obj-168, size: 168, flags: [HWCACHE_ALIGN]}\n");
	/* CPUs 0..3 seen: 4 CPUs; 2 nodes asked; peak 192+96+512+192 = 992 */
	has(out, "machine: {cpus: 4, nodes: 2, memory: 32MiB}\n");
	has(out, "# peak live: 992 bytes in 4 objects");
	has(out, "# replayed: 4 allocations, 2 frees; 2 objects still live at the end\n");
	has(out, "# 1 frees of a null pointer, skipped\n");
	has(out, "# 1 frees of pointers never seen allocated");
	has(out, "# 1 __GFP_ZERO on kmalloc");
	has(out, "mm_page_alloc 1 (4 pages), mm_page_free 1 (4 pages)");
	lacks(out, "LOST");
	/* events: is the last key */
	assert_null(strstr(events_of(out), ":\n"));
	free(out);

	/* One node: node=1 is made plain and counted; node=0 stays. */
	out = imp(old_format);
	has(events_of(out), "- 2000ns 1 kmalloc 300 2 @ffffffff81234568\n");
	has(events_of(out), "- 3000ns 1 alloc_node obj-168 0 3 ");
	has(out, "# 1 node= requests for nodes the machine lacks");
	free(out);
}

/*
 * 6.1+ ftrace: sym+off/len sites, name=, node=-1, accounted=, hashed
 * pointers. A cache object freed by kfree is still a cache free (the
 * kind comes from the allocation), and a kmalloc'd one freed through
 * kmem_cache_free a kfree.
 */
static const char new_ftrace[] =
	"# tracer: nop\n"
	"# entries-in-buffer/entries-written: 5/9   #P:2\n"
	"             seq-12265   [001] .....   765.585551: kmem_cache_alloc: call_site=alloc_empty_file+0x3c/0x110 ptr=00000000c028abdc name=filp bytes_req=184 bytes_alloc=192 gfp_flags=GFP_KERNEL node=-1 accounted=true\n"
	"             seq-12265   [001] .....   765.585557: kmalloc: call_site=single_open+0x2a/0x90 ptr=00000000635cfc0c bytes_req=32 bytes_alloc=32 gfp_flags=GFP_KERNEL_ACCOUNT|__GFP_ZERO node=-1 accounted=true\n"
	"             seq-12265   [000] .....   765.585560: kmem_cache_alloc: call_site=security_file_alloc+0x27/0x90 ptr=000000001111aaaa name=lsm_file_cache bytes_req=24 bytes_alloc=24 gfp_flags=GFP_KERNEL|__GFP_ZERO node=-1 accounted=false\n"
	"             seq-12265   [000] .....   765.585618: kfree: call_site=__fput+0x141/0x2b0 ptr=00000000c028abdc\n"
	"             seq-12265   [001] .....   765.585624: kmem_cache_free: call_site=single_release+0x26/0x40 ptr=00000000635cfc0c name=kmalloc-32\n";

static void test_new_ftrace(void **state)
{
	char *out = imp(new_ftrace);

	/* 000 at .585551 is t0; times in ns after it */
	assert_string_equal(events_of(out),
		"- 0ns 1 alloc filp 0 @alloc_empty_file+0x3c/0x110\n"
		"- 6000ns 1 kmalloc 32 1 @single_open+0x2a/0x90\n"
		"- 9000ns 0 zalloc lsm_file_cache 2 @security_file_alloc+0x27/0x90\n"
		"- 67000ns 0 free 0 @__fput+0x141/0x2b0\n"
		"- 73000ns 1 kfree 1 @single_release+0x26/0x40\n");
	has(out, "  - {name: filp, size: 184, flags: [HWCACHE_ALIGN]}\n");
	has(out, "  - {name: lsm_file_cache, size: 24}\n");
	has(out, "# LOST EVENTS: the ftrace buffer overwrote 4 events");
	has(out, "# 1 __GFP_ZERO on kmalloc");
	free(out);
}

/*
 * perf script: "kmem:" prefixes, 0x pointers, (nil), a module symbol
 * after the site ("[ext4]", kept without the space), sites without /len.
 */
static const char perf_text[] =
	"            perf 11990 [000]   750.163030:          kmem:kmalloc: call_site=sched_setaffinity+0x127 ptr=0xffff8881048606e0 bytes_req=32 bytes_alloc=32 gfp_flags=GFP_KERNEL node=-1 accounted=false\n"
	"       perf-exec 11992 [001]   750.163465: kmem:kmem_cache_alloc: call_site=ext4_alloc_inode+0x1f [ext4] ptr=0xffff88811b970468 name=ext4_inode_cache bytes_req=1120 bytes_alloc=1128 gfp_flags=GFP_NOFS node=-1 accounted=true\n"
	"       perf-exec 11992 [001]   750.163470:            kmem:kfree: call_site=ext4_fname_free_filename+0x12 ptr=(nil)\n"
	"            perf 11990 [000]   750.163120:            kmem:kfree: call_site=sched_setaffinity+0x17b ptr=0xffff8881048606e0\n"
	"       perf-exec 11992 [001]   750.163490:    kmem:rss_stat: mm_id=1 curr=1 type=MM_ANONPAGES size=4096B\n"
	"       perf-exec 11992 [001]   750.163491:    sched:sched_switch: prev_comm=a\n";

static void test_perf_script(void **state)
{
	char *out = imp(perf_text);

	/* CPU 0's kfree at .163120, printed late, is merged before CPU 1's .163465 */
	assert_string_equal(events_of(out),
		"- 0ns 0 kmalloc 32 0 @sched_setaffinity+0x127\n"
		"- 90000ns 0 kfree 0 @sched_setaffinity+0x17b\n"
		"- 435000ns 1 alloc ext4_inode_cache 1 gfp=GFP_NOFS @ext4_alloc_inode+0x1f[ext4]\n");
	/* 1120 -> 1128 is SLUB's metadata, not a line: no flag */
	has(out, "  - {name: ext4_inode_cache, size: 1120}\n");
	has(out, "# 1 frees of a null pointer, skipped\n");
	has(out, "# other kmem events, not replayed: rss_stat 1\n");
	has(out, "# 1 events that are not kmem events, skipped (first: t.txt:6)\n");
	free(out);
}

/* perf record without -a: no CPU field; CPU 0, counted. */
static void test_no_cpu(void **state)
{
	char *out = imp(
		"              ls 12345   750.163030: kmem:kmalloc: call_site=a+0x1 ptr=0xffff888100000010 bytes_req=8 bytes_alloc=8 gfp_flags=GFP_KERNEL\n"
		"              ls 12345   750.163031: kmem:kfree: call_site=b+0x2 ptr=0xffff888100000010\n");

	assert_string_equal(events_of(out),
		"- 0ns 0 kmalloc 8 0 @a+0x1\n"
		"- 1000ns 0 kfree 0 @b+0x2\n");
	has(out, "# 2 lines without a CPU ([NNN]; perf record without -a), put on CPU 0 (first: t.txt:1)\n");
	free(out);
}

/* trace-cmd report: a "cpus=" header line, no flags column. */
static void test_trace_cmd(void **state)
{
	char *out = imp(
		"cpus=2\n"
		"             seq-12265 [001]   765.585551: kmem_cache_alloc:     call_site=vm_area_alloc+0x1a ptr=0xffff888100001000 name=vm_area_struct bytes_req=192 bytes_alloc=192 gfp_flags=GFP_KERNEL node=-1 accounted=true\n"
		"             seq-12265 [000]   765.585552: kmem_cache_free:      call_site=vm_area_free+0x1c ptr=0xffff888100001000 name=vm_area_struct\n");

	assert_string_equal(events_of(out),
		"- 0ns 1 alloc vm_area_struct 0 @vm_area_alloc+0x1a\n"
		"- 1000ns 0 free 0 @vm_area_free+0x1c\n");
	has(out, "1 header and 0 blank lines");
	free(out);
}

/* The mapping form means the same, with a site: key. */
static void test_mapping_form(void **state)
{
	struct import_options o = { .form = IMPORT_MAPPING, .nodes = 2 };
	char *out = imp_opts(old_format, &o, false);

	assert_string_equal(events_of(out),
		"- {t: 0ns, cpu: 0, alloc: obj-168, as: 0, site: \"ffffffff8116ffbd\"}\n"
		"- {t: 1000ns, cpu: 0, kmalloc: 96, as: 1, gfp: GFP_NOFS, site: \"ffffffff81234567\"}\n"
		"- {t: 2000ns, cpu: 1, kmalloc_node: 300, node: 1, as: 2, site: \"ffffffff81234568\"}\n"
		"- {t: 3000ns, cpu: 1, alloc_node: obj-168, node: 0, as: 3, gfp: GFP_ATOMIC|__GFP_NOWARN, site: \"ffffffff8116ffc0\"}\n"
		"- {t: 4000ns, cpu: 2, kfree: 1, site: \"ffffffff81234570\"}\n"
		"- {t: 5000ns, cpu: 3, free: 0, site: \"ffffffff81160000\"}\n");
	free(out);

	o.no_sites = true;
	o.form = IMPORT_COMPACT;
	out = imp_opts(old_format, &o, false);
	has(events_of(out), "- 0ns 0 alloc obj-168 0\n- 1000ns 0 kmalloc 96 1 gfp=GFP_NOFS\n");
	lacks(out, "@");
	free(out);
}

/* ---- pointers ---- */

#define L(cpu, t, rest) " t-1 [00" #cpu "] " t ": " rest "\n"

static void test_pointer_reuse(void **state)
{
	char *out = imp(
		L(0, "1.000000", "kmalloc: call_site=a ptr=10 bytes_req=8 bytes_alloc=8 gfp_flags=GFP_KERNEL")
		L(0, "1.000001", "kmalloc: call_site=a ptr=20 bytes_req=8 bytes_alloc=8 gfp_flags=GFP_KERNEL")
		L(0, "1.000002", "kfree: call_site=b ptr=10")
		/* 10 again after its free: a new object, with a new name
		 * (names are never reused: a replayed free may run late) */
		L(0, "1.000003", "kmalloc: call_site=a ptr=10 bytes_req=16 bytes_alloc=16 gfp_flags=GFP_KERNEL")
		/* 20 again while live: its free was not traced */
		L(1, "1.000004", "kmem_cache_alloc: call_site=c ptr=20 name=x bytes_req=40 bytes_alloc=40 gfp_flags=GFP_KERNEL")
		L(1, "1.000005", "kfree: call_site=b ptr=20")
		L(1, "1.000006", "kfree: call_site=b ptr=10")
		L(1, "1.000007", "kfree: call_site=b ptr=10")
		L(1, "1.000008", "kfree: call_site=b ptr=0"));

	assert_string_equal(events_of(out),
		"- 0ns 0 kmalloc 8 0 @a\n"
		"- 1000ns 0 kmalloc 8 1 @a\n"
		"- 2000ns 0 kfree 0 @b\n"
		"- 3000ns 0 kmalloc 16 2 @a\n"
		"- 4000ns 1 kfree 1 @untraced\n"
		"- 4000ns 1 alloc x 3 @c\n"
		"- 5000ns 1 free 3 @b\n"
		"- 6000ns 1 kfree 2 @b\n");
	has(out, "# 1 allocations of a pointer still live");
	has(out, "# 1 frees of pointers never seen allocated");
	has(out, "# 1 frees of a null pointer");
	has(out, "# replayed: 4 allocations, 3 frees; 0 objects still live at the end\n");
	free(out);
}

/* Failed allocations, kmalloc(0), and objects SLAB cannot hold. */
static void test_unreplayable(void **state)
{
	char *out = imp(
		L(0, "1.000000", "kmalloc: call_site=a ptr=0 bytes_req=8 bytes_alloc=0 gfp_flags=GFP_KERNEL")
		L(0, "1.000001", "kmalloc: call_site=a ptr=10 bytes_req=0 bytes_alloc=0 gfp_flags=GFP_KERNEL")
		L(0, "1.000002", "kfree: call_site=a ptr=10")
		L(0, "1.000003", "kmem_cache_alloc: call_site=a ptr=30 name=huge bytes_req=200000 bytes_alloc=200704 gfp_flags=GFP_KERNEL")
		L(0, "1.000004", "kmem_cache_free: call_site=a ptr=30 name=huge")
		L(0, "1.000005", "kmalloc: call_site=a ptr=40 bytes_req=262144 bytes_alloc=262144 gfp_flags=GFP_KERNEL"));

	/* only the big kmalloc is replayed: the first event written is at 0 */
	assert_string_equal(events_of(out), "- 0ns 0 kmalloc 262144 0 @a\n");
	has(out, "# 1 allocations that failed in the traced kernel");
	has(out, "# 1 kmalloc(0)");
	has(out, "# 1 kmem_cache_alloc of objects over 128 KiB");
	has(out, "# 1 kmallocs over 128 KiB, kept");
	lacks(out, "name: huge");
	lacks(out, "never seen allocated");
	free(out);
}

/* Lines out of order across CPUs are merged; equal times keep file order. */
static void test_merge(void **state)
{
	char *out = imp(
		L(1, "2.000005", "kmalloc: call_site=a ptr=10 bytes_req=8 bytes_alloc=8 gfp_flags=GFP_KERNEL")
		L(1, "2.000009", "kfree: call_site=b ptr=20")
		L(0, "2.000001", "kmalloc: call_site=a ptr=20 bytes_req=8 bytes_alloc=8 gfp_flags=GFP_KERNEL")
		L(0, "2.000009", "kfree: call_site=c ptr=10")
		L(0, "2.000010", "kmalloc: call_site=a ptr=30 bytes_req=8 bytes_alloc=8 gfp_flags=GFP_KERNEL"));

	assert_string_equal(events_of(out),
		"- 0ns 0 kmalloc 8 0 @a\n"
		"- 4000ns 1 kmalloc 8 1 @a\n"
		"- 8000ns 1 kfree 0 @b\n"
		"- 8000ns 0 kfree 1 @c\n"
		"- 9000ns 0 kmalloc 8 2 @a\n");
	free(out);
}

/* Time going back on one CPU is a bad line, counted with its place. */
static void test_backwards(void **state)
{
	char *out = imp(
		L(0, "3.000005", "kmalloc: call_site=a ptr=10 bytes_req=8 bytes_alloc=8 gfp_flags=GFP_KERNEL")
		L(0, "3.000001", "kfree: call_site=b ptr=10")
		L(0, "3.000006", "kfree: call_site=b ptr=10"));

	assert_string_equal(events_of(out),
		"- 0ns 0 kmalloc 8 0 @a\n"
		"- 1000ns 0 kfree 0 @b\n");
	free(out);

	/* a garbled stamp far in the future is dropped, not a 30-year workload */
	out = imp(
		L(0, "3.000005", "kmalloc: call_site=a ptr=10 bytes_req=8 bytes_alloc=8 gfp_flags=GFP_KERNEL")
		L(1, "999999999.000001", "kfree: call_site=b ptr=10"));
	assert_string_equal(events_of(out), "- 0ns 0 kmalloc 8 0 @a\n");
	has(out, "# 1 events over 10^6 s after the first");
	free(out);
	out = imp(
		L(0, "3.000005", "kmalloc: call_site=a ptr=10 bytes_req=8 bytes_alloc=8 gfp_flags=GFP_KERNEL")
		L(0, "3.000001", "kfree: call_site=b ptr=10")
		L(0, "3.000006", "kfree: call_site=b ptr=10"));
	has(out, "# 1 lines whose time went back on their CPU, skipped (first: t.txt:2)\n");
	free(out);
}

/* ---- bad input ---- */

static void test_bad_lines(void **state)
{
	char *out = imp(
		"garbage without a cpu\n"
		"\n"
		" x-1 [4096] 1.0: kmalloc: call_site=a ptr=1 bytes_req=8 bytes_alloc=8 gfp_flags=GFP_KERNEL\n"
		" x-1 [99999999999] 1.0: kmalloc: call_site=a ptr=1 bytes_req=8 bytes_alloc=8 gfp_flags=GFP_KERNEL\n"
		" x-1 [000] 1.000000: kmalloc: call_site=a ptr=zz bytes_req=8 bytes_alloc=8\n"
		" x-1 [000] 1.000000: kmalloc: call_site=a ptr=10 bytes_alloc=8\n"
		" x-1 [000] notatime: kmalloc: call_site=a ptr=10 bytes_req=8 bytes_alloc=8\n"
		L(0, "1.000001", "kmalloc: call_site=a ptr=10 bytes_req=8 bytes_alloc=8 gfp_flags=GFP_KERNEL|__GFP_ACCOUNT|0x4000000")
		/* cut short: no newline at the end */
		" x-1 [000] 1.000002: kfree: call_site=a ptr=1");

	assert_string_equal(events_of(out), "- 0ns 0 kmalloc 8 0 @a\n");
	has(out, "# 4 lines not understood, skipped (first: t.txt:1)\n");
	has(out, "# 2 lines with a CPU over 4095, skipped (first: t.txt:3)\n");
	has(out, "# 1 last lines without a newline (a cut capture), skipped (first: t.txt:9)\n");
	has(out, "dropped: __GFP_ACCOUNT 1, unknown 1\n");
	has(out, "0 header and 1 blank lines");
	free(out);
}

static void test_unusable(void **state)
{
	static const char bin[] = "abc\0def\n";

	static const char dat[] = "\x17\x08\x44tracing6\n";
	const char *t;

	refuse("", 0, "t.txt: empty, no trace lines");
	t = "# tracer: nop\n hello [000] 1.0: sched_switch: a=b\n";
	refuse(t, strlen(t), "t.txt: no kmem slab events");
	refuse(bin, sizeof(bin) - 1, "t.txt: binary data, not trace text");
	refuse("PERFILE2xxxxxxxxxxxxxxxx", 24, "perf script");
	refuse(dat, sizeof(dat) - 1, "trace-cmd report");
	t = L(0, "1.0", "kfree: call_site=a ptr=10");
	refuse(t, strlen(t), "none of the 1 kmem slab events can be replayed");

	struct import_options o = { .cpus = 2 };
	struct strbuf sb;
	t = L(3, "1.0", "kmalloc: call_site=a ptr=10 bytes_req=8 bytes_alloc=8 gfp_flags=GFP_KERNEL");
	sb_init(&sb);
	assert_false(import_buffer("t.txt", t, strlen(t), &o, false, &sb, err, sizeof(err)));
	assert_string_equal(err, "the trace has CPU 3 but the machine has 2 CPUs (--cpus)");
	t = " x-1 [300] 1.0: kmalloc: call_site=a ptr=10 bytes_req=8 bytes_alloc=8 gfp_flags=GFP_KERNEL\n";
	o.cpus = 0;
	assert_false(import_buffer("t.txt", t, strlen(t), &o, false, &sb, err, sizeof(err)));
	assert_string_equal(err, "the trace has CPU 300; the simulator has at most 256 CPUs");
	sb_free(&sb);
}

/* Any chunking gives the same bytes as one feed. */
static void test_chunks(void **state)
{
	struct import_options o = { .nodes = 2 };
	char *whole = imp_opts(old_format, &o, false);

	for (size_t step = 1; step < 200; step += 37) {
		struct importer *im = import_new(&o);
		char *text = NULL;
		size_t len = 0, n = strlen(old_format);
		FILE *f = open_memstream(&text, &len);

		import_source(im, "t.txt");
		for (size_t i = 0; i < n; i += step)
			assert_true(import_feed(im, old_format + i,
						i + step < n ? step : n - i, err, sizeof(err)));
		import_source_end(im);
		assert_true(import_finish(im, err, sizeof(err)));
		assert_true(import_write(im, f));
		fclose(f);
		assert_string_equal(text, whole);
		free(text);
		import_free(im);
	}
	free(whole);
}

/*
 * --stat on a tiny trace, figures by hand. foo: 2 allocs, 100+60 = 160
 * asked, 128+64 = 192 given, frag 100 - 100*160/192 = 16.667; object 1000
 * freed on CPU 1, allocated on CPU 0: one ping-pong (and, with 2 CPUs on
 * 2 nodes, one cross-node). bar: 184 in 192 = 4.167%, freed on the other
 * CPU. baz freed 2 (9999 never allocated: not counted), qux 1.
 */
static const char stat_tiny[] =
	" a-1 [000] 1.000000: kmalloc: call_site=foo+0x10/0x40 ptr=1000 bytes_req=100 bytes_alloc=128 gfp_flags=GFP_KERNEL\n"
	" a-1 [000] 1.000001: kmalloc: call_site=foo+0x10/0x40 ptr=2000 bytes_req=60 bytes_alloc=64 gfp_flags=GFP_KERNEL\n"
	" a-1 [001] 1.000002: kmem_cache_alloc: call_site=bar+0x1/0x8 ptr=3000 name=filp bytes_req=184 bytes_alloc=192 gfp_flags=GFP_KERNEL\n"
	" a-1 [001] 1.000003: kfree: call_site=baz+0x2/0x9 ptr=1000\n"
	" a-1 [000] 1.000004: kfree: call_site=baz+0x2/0x9 ptr=2000\n"
	" a-1 [000] 1.000005: kmem_cache_free: call_site=qux+0x3/0x9 ptr=3000 name=filp\n"
	" a-1 [001] 1.000006: kfree: call_site=baz+0x2/0x9 ptr=9999\n";

static void test_stat(void **state)
{
	struct import_options o = { .nodes = 2 };
	char *out = imp_opts(stat_tiny, &o, true);

	assert_string_equal(out,
		"site,allocs,frees,bytes_req,bytes_alloc,frag_pct,cross_cpu_frees,cross_node_frees\n"
		"foo+0x10/0x40,2,0,160,192,16.667,1,1\n"
		"bar+0x1/0x8,1,0,184,192,4.167,1,1\n"
		"baz+0x2/0x9,0,2,0,0,0.000,0,0\n"
		"qux+0x3/0x9,0,1,0,0,0.000,0,0\n");
	free(out);

	/* the text table's summary: 344 of 384, 40 wasted, 10.417% */
	struct importer *im = import_new(&o);
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	import_source(im, "t.txt");
	assert_true(import_feed(im, stat_tiny, strlen(stat_tiny), err, sizeof(err)));
	import_source_end(im);
	assert_true(import_finish(im, err, sizeof(err)));
	assert_true(import_write_stat(im, f, false));
	fclose(f);
	has(text, " foo+0x10/0x40                            |            192/96 |            160/80 |        2 |        0 |         1 |  16.667%\n");
	has(text, "Total bytes requested: 344\n");
	has(text, "Total bytes allocated: 384\n");
	has(text, "Total bytes wasted on internal fragmentation: 40\n");
	has(text, "Internal fragmentation: 10.417%\n");
	has(text, "Cross CPU frees: 2/3\n");
	has(text, "Cross node frees: 2/3 (2 nodes)\n");
	free(text);
	import_free(im);
}

/* Cache names the loader would refuse are made legal, and unique. */
static void test_cache_names(void **state)
{
	char *out = imp(
		L(0, "1.0", "kmem_cache_alloc: call_site=a ptr=10 name=size-64 bytes_req=64 bytes_alloc=64 gfp_flags=GFP_KERNEL")
		L(0, "1.1", "kmem_cache_alloc: call_site=a ptr=20 name=a:b bytes_req=24 bytes_alloc=24 gfp_flags=GFP_KERNEL")
		L(0, "1.2", "kmem_cache_alloc: call_site=a ptr=30 name=a_b bytes_req=32 bytes_alloc=32 gfp_flags=GFP_KERNEL")
		L(0, "1.3", "kmem_cache_alloc: call_site=a ptr=40 bytes_req=4 bytes_alloc=8 gfp_flags=GFP_KERNEL"));

	has(out, "  - {name: t_size-64, size: 64}\n");
	has(out, "  - {name: a_b, size: 24}\n");
	has(out, "  - {name: a_b-2, size: 32}\n");
	/* below a word: the smallest object kmem_cache_create takes */
	has(out, "  - {name: obj-4, size: 8}\n");
	free(out);
}

/* A fuzz-like sweep: every prefix of a real-looking trace, never a crash. */
static void test_prefixes(void **state)
{
	size_t n = strlen(old_format);

	for (size_t i = 0; i <= n; i += 7) {
		struct import_options o = { 0 };
		struct strbuf sb;

		sb_init(&sb);
		(void)import_buffer("t.txt", old_format, i, &o, false, &sb, err, sizeof(err));
		(void)import_buffer("t.txt", old_format, i, &o, true, &sb, err, sizeof(err));
		sb_free(&sb);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_old_format),
		cmocka_unit_test(test_new_ftrace),
		cmocka_unit_test(test_perf_script),
		cmocka_unit_test(test_trace_cmd),
		cmocka_unit_test(test_no_cpu),
		cmocka_unit_test(test_mapping_form),
		cmocka_unit_test(test_pointer_reuse),
		cmocka_unit_test(test_unreplayable),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_backwards),
		cmocka_unit_test(test_bad_lines),
		cmocka_unit_test(test_unusable),
		cmocka_unit_test(test_chunks),
		cmocka_unit_test(test_stat),
		cmocka_unit_test(test_cache_names),
		cmocka_unit_test(test_prefixes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
