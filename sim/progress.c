/*
 * Terminal progress. The state is one display per process (a run, or the
 * sweep driving several runs as children), so it lives here rather than
 * in every caller. Only integers are formatted and the line is written
 * with write(2): the run calls in from a simulated CPU's stack, where a
 * small and predictable footprint is welcome.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sim/progress.h"

/* Do not draw at all before this much wall time: short runs stay silent. */
#define PROGRESS_DELAY_MS	500
/* Then redraw at most this often. */
#define PROGRESS_PERIOD_MS	200

static struct {
	bool on;
	bool drawn;		/* a line is on the screen */
	uint64_t end_ns;
	uint64_t next_ops;	/* next operation count to look at the clock */
	uint64_t t0_ms;		/* wall clock at the start */
	uint64_t last_ms;	/* wall clock of the last redraw */
} prog;

static uint64_t wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Replace the line on the terminal by text (no newline). */
static void draw(const char *text)
{
	char line[256];
	int n = snprintf(line, sizeof(line), "\r%s\033[K", text);

	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line))
		n = sizeof(line) - 1;
	if (write(STDERR_FILENO, line, (size_t)n) == n)
		prog.drawn = true;
}

void progress_run_start(bool on, uint64_t end_ns)
{
	memset(&prog, 0, sizeof(prog));
	prog.on = on;
	if (!on)
		return;
	prog.end_ns = end_ns;
	prog.next_ops = PROGRESS_EVERY_OPS;
	prog.t0_ms = wall_ms();
	prog.last_ms = prog.t0_ms;
}

void progress_run_tick(uint64_t ops, uint64_t events, uint64_t now_ns)
{
	char text[200], of[64] = "";

	if (!prog.on || ops < prog.next_ops)
		return;
	prog.next_ops = ops + PROGRESS_EVERY_OPS;

	uint64_t now = wall_ms();
	uint64_t elapsed = now - prog.t0_ms;
	if (elapsed < PROGRESS_DELAY_MS || now - prog.last_ms < PROGRESS_PERIOD_MS)
		return;
	prog.last_ms = now;

	uint64_t sim_ms = now_ns / 1000000, end_ms = prog.end_ns / 1000000;
	if (prog.end_ns) {
		uint64_t pct = now_ns * 100 / prog.end_ns;

		snprintf(of, sizeof(of), " of %llu.%03llu s (%llu%%)",
			 (unsigned long long)(end_ms / 1000),
			 (unsigned long long)(end_ms % 1000),
			 (unsigned long long)(pct > 100 ? 100 : pct));
	}
	snprintf(text, sizeof(text),
		 "slabsim: %llu.%03llu s%s simulated, %llu events read "
		 "(%llu/s), %llu ops/s",
		 (unsigned long long)(sim_ms / 1000),
		 (unsigned long long)(sim_ms % 1000), of,
		 (unsigned long long)events,
		 (unsigned long long)(events * 1000 / elapsed),
		 (unsigned long long)(ops * 1000 / elapsed));
	draw(text);
}

void progress_lines_start(bool on)
{
	memset(&prog, 0, sizeof(prog));
	prog.on = on;
	if (on)
		prog.last_ms = prog.t0_ms = wall_ms();
}

void progress_lines(bool on, uint64_t lines)
{
	char text[160];

	if (!on || !prog.on)
		return;
	uint64_t now = wall_ms();
	uint64_t elapsed = now - prog.t0_ms;
	if (elapsed < PROGRESS_DELAY_MS || now - prog.last_ms < PROGRESS_PERIOD_MS)
		return;
	prog.last_ms = now;
	snprintf(text, sizeof(text), "slabsim: import: %llu lines read, %llu lines/s",
		 (unsigned long long)lines,
		 (unsigned long long)(lines * 1000 / elapsed));
	draw(text);
}

void progress_end(void)
{
	static const char erase[] = "\r\033[K";

	if (prog.drawn) {
		/* Nothing useful to do when the terminal went away. */
		ssize_t w = write(STDERR_FILENO, erase, sizeof(erase) - 1);
		(void)w;
	}
	prog.drawn = false;
	prog.on = false;
}

void progress_sweep(bool on, unsigned int done, unsigned int total,
		    unsigned int running)
{
	char text[160];

	if (!on)
		return;
	prog.on = true;
	snprintf(text, sizeof(text), "slabsim: sweep: %u/%u points done, "
		 "%u running", done, total, running);
	draw(text);
}
