/*
 * Fuzz harness for the workload loader: any bytes, given as a workload
 * file, must either load into a workload the runner may rely on or be
 * refused with one line of error, without a crash, a hang, a leak or a
 * sanitizer report.
 *
 * The seeds (corpus/workload/) cover both event forms: the mapping form
 * and the compact one-scalar form ("T CPU OP ARGS [key=value] [@SITE]"),
 * every section and key, and the overrides.
 *
 * With the streaming loader (its workload.h defines WL_DEAD_NAMES) the
 * events stay in the file after workload_load_string; the harness then
 * reads them all (workload_read_all, the same reader the runner's
 * workload_next_event uses), so event parsing is fuzzed too, and a
 * mistake found there must keep the same one-line contract.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/workload.h"
#include "tests/fuzz/fuzz.h"

/* The loader's contract for a refusal: one line, naming the file. */
static void check_error(const char *err, const char *what)
{
	if (!err[0])
		fuzz_fail("%s refused without a message", what);
	if (strchr(err, '\n'))
		fuzz_fail("%s: message is more than one line: %s", what, err);
	if (strncmp(err, "fuzz.yaml", 9) != 0)
		fuzz_fail("%s: message does not name the file: %s", what, err);
}

/* What workload.h promises the runner about a loaded workload. */
static void check_loaded(const struct workload *wl)
{
	const struct wl_machine *m = &wl->machine;

	if (m->cpus < 1 || m->cpus > WL_MAX_CPUS || m->nodes < 1 ||
	    m->nodes > WL_MAX_NODES)
		fuzz_fail("machine out of range: %d cpus, %d nodes", m->cpus,
			  m->nodes);
	for (size_t i = 0; i < wl->nr_events; i++) {
		const struct wl_event *ev = &wl->events[i];

		if (ev->t > WL_MAX_TIME)
			fuzz_fail("event %zu at t=%llu past the horizon", i,
				  (unsigned long long)ev->t);
		if (i && ev->t < wl->events[i - 1].t)
			fuzz_fail("events not sorted at %zu", i);
		if (ev->cpu >= m->cpus)
			fuzz_fail("event %zu on cpu %d of %d", i, ev->cpu,
				  m->cpus);
		if (ev->cache >= (int)wl->nr_caches)
			fuzz_fail("event %zu names cache %d of %zu", i,
				  ev->cache, wl->nr_caches);
		if (ev->name >= (int)wl->nr_names)
			fuzz_fail("event %zu names name %d of %zu", i, ev->name,
				  wl->nr_names);
	}
	for (size_t i = 0; i < wl->nr_generators; i++) {
		const struct wl_generator *g = &wl->generators[i];

		if (g->cache >= (int)wl->nr_caches || g->nr_cpus < 1 ||
		    g->nr_cpus > m->cpus || g->from >= g->until)
			fuzz_fail("generator %zu out of range", i);
	}
}

/* Overrides a sweep or --set might apply to any workload (in order). */
static const char *const overrides[] = {
	"seed=7", "machine.cpus=1", "machine.nodes=2", "duration=1ms",
	"sample=100us", "slab.debug=true", "machine.memory=16MiB",
	"generators.0.rate=1/ms", "generators.0.from=1us",
	"generators.0.walk.every=1ms", "generators.0.until=2ms",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct workload wl;
	char err[512];
	char *text;

	/* workload_load_string reads a C string: a NUL ends the file. */
	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	memset(&wl, 0xa5, sizeof(wl));	/* the loader must not read it */
	if (!workload_load_string("fuzz.yaml", text, &wl, err, sizeof(err))) {
		check_error(err, "load");
		free(text);
		return 0;
	}
	/*
	 * Overrides a sweep or --set might apply, each either holding or
	 * leaving the workload as it was. They come before the events, as
	 * in a run: the streaming loader checks each event against the
	 * machine as it reads it.
	 */
	for (size_t i = 0; i < sizeof(overrides) / sizeof(overrides[0]); i++)
		if (!workload_override(&wl, overrides[i], err, sizeof(err)) &&
		    (!err[0] || strchr(err, '\n')))
			fuzz_fail("override %s: bad message '%s'", overrides[i],
				  err);
#ifdef WL_DEAD_NAMES
	if (!workload_read_all(&wl, err, sizeof(err))) {
		check_error(err, "events");
		workload_free(&wl);
		free(text);
		return 0;
	}
#endif
	check_loaded(&wl);
	workload_free(&wl);
	free(text);
	return 0;
}
