#ifndef SLABSIM_SIM_PROGRESS_H
#define SLABSIM_SIM_PROGRESS_H
/*
 * Terminal progress: one updating line on stderr while a long run or a
 * sweep goes on. This is the only place the simulator reads the host's
 * wall clock, and what it prints goes to a terminal only, never into a
 * file, so a run's output stays a function of its input.
 *
 * A progress line is owned by one process; a run and a sweep each drive
 * their own. All functions do nothing when the display is off.
 */
#include <stdbool.h>
#include <stdint.h>

/* Workload operations between two looks at the wall clock. */
#define PROGRESS_EVERY_OPS	4096

/*
 * Start the run display. on: the caller decided stderr is a terminal (the
 * runner's run_options.progress). end_ns: simulated time the run stops.
 */
void progress_run_start(bool on, uint64_t end_ns);

/*
 * Called from the run's hot path with the operation count and the
 * simulated time. Looks at the clock only every PROGRESS_EVERY_OPS
 * operations and redraws at most a few times a second.
 */
void progress_run_tick(uint64_t ops, uint64_t events, uint64_t now_ns);

/*
 * Import display: lines read and lines per second. Start it once (on:
 * stderr is a terminal), then tick with the running line count; it
 * redraws at most a few times a second.
 */
void progress_lines_start(bool on);
void progress_lines(bool on, uint64_t lines);

/* Erase the line (if one was drawn), so later output starts clean. */
void progress_end(void);

/*
 * Sweep display: points done of total, how many are running now. Drawn
 * at once when on; the caller calls it only when something changed.
 */
void progress_sweep(bool on, unsigned int done, unsigned int total,
		    unsigned int running);

#endif /* SLABSIM_SIM_PROGRESS_H */
