/*
 * Fuzz harness for the trace importer (slabsim import): any bytes, given
 * as a captured trace (ftrace, perf script, trace-cmd report, pre-6.1 or
 * 6.1+ field names), must either import or be refused with one line,
 * and what it imports must be a workload the loader takes as it is:
 * the importer writes workloads, the loader is their only reader.
 *
 * The first byte of the input picks the options (compact or mapping
 * form, call sites or not, the --stat table or the workload), so one
 * corpus reaches every output path; the rest is the trace.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/util.h"
#include "sim/workload.h"
#include "sim/workload/import.h"
#include "tests/fuzz/fuzz.h"

static void check_error(const char *err, const char *what)
{
	if (!err[0])
		fuzz_fail("%s refused without a message", what);
	if (strchr(err, '\n'))
		fuzz_fail("%s: message is more than one line: %s", what, err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct import_options o = { 0 };
	struct strbuf out;
	struct workload wl;
	char err[512];
	bool stat;

	if (size < 1)
		return 0;
	o.form = data[0] & 1 ? IMPORT_MAPPING : IMPORT_COMPACT;
	o.no_sites = data[0] & 2;
	stat = data[0] & 4;
	sb_init(&out);
	if (!import_buffer("fuzz.trace", (const char *)data + 1, size - 1, &o,
			   stat, &out, err, sizeof(err))) {
		check_error(err, "import");
		sb_free(&out);
		return 0;
	}
	if (!stat) {
		/* the workload as written, through the whole loader */
		if (!workload_load_string("imported.yaml",
					  out.buf ? out.buf : "", &wl, err,
					  sizeof(err)))
			fuzz_fail("the loader refuses an imported workload: %s",
				  err);
#ifdef WL_DEAD_NAMES
		if (!workload_read_all(&wl, err, sizeof(err)))
			fuzz_fail("the loader refuses an imported event: %s",
				  err);
#endif
		workload_free(&wl);
	}
	sb_free(&out);
	return 0;
}
