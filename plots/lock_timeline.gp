# Lock contention over time, per cache: contentions on each cache's own
# locks (its node lists' list_lock, shared and alien array locks) in each
# sample interval, and the time CPUs spent waiting for them, for the caches
# with the most contentions over the run. Page allocation failures are
# marked on the time axis (failmarks.gp).
# Input: DIR/timeseries.csv (lock_contentions, lock_wait_ns). Optional:
# -e "top=8".

name = 'lock_timeline'
if (!exists("H")) H = 800
here(p) = strstrt(p, '/') ? p[1:strstrt(p, '/')] . here(p[strstrt(p, '/') + 1:]) : ''
load here(ARG0) . 'common.gp'
load here(ARG0) . 'failmarks.gp'
if (!exists("top")) top = 5

f = dir . '/timeseries.csv'

# the caches with the most contentions over the run (sum of the samples),
# among those contended at all (one pass finds them; few ever are)
ulist = ' '
stats f using (column("lock_contentions") > 0 ? uadd(strcol("cache")) : 0) nooutput
contended = ulist
chosen = ' '
do for [k = 1:top] {
	best = 0; bestname = ''
	ulist = contended
	do for [i = 1:words(ulist)] {
		c = word(ulist, i)
		if (!member(chosen, c)) {
			stats f using (strcol("cache") eq c ? column("lock_contentions") : 0) name 'S' nooutput
			if (S_sum > best) { best = S_sum; bestname = c }
		}
	}
	if (bestname ne '') { chosen = chosen . bestname . ' ' }
}
n = words(chosen)

cont(c) = strcol("cache") eq c ? column("lock_contentions") : NaN
wait(c) = strcol("cache") eq c ? column("lock_wait_ns") / 1000.0 : NaN

set multiplot layout 2, 1 title 'Lock contention per sample interval, per cache'
set xlabel 'simulated time (ms)'
set key title 'cache'
set yrange [0:*]

set title 'Contended acquisitions per interval'
set ylabel 'contentions'
if (n > 0) {
	plot for [i = 1:n] f using "t_ms":(cont(word(chosen, i))) \
		with linespoints lw 1.5 pt 7 ps 0.5 lc rgb colour(i) title word(chosen, i), \
	     NaN with lines dt 3 lw 1.5 lc rgb failcolour title failtitle
} else {
	set label 1 'no lock of any cache was contended' at graph 0.5, 0.5 center
	set yrange [0:1]
	plot 0 with lines lc rgb '#dddddd' notitle
}

set title 'Time spent waiting per interval'
set ylabel 'wait (µs)'
if (n > 0) {
	plot for [i = 1:n] f using "t_ms":(wait(word(chosen, i))) \
		with linespoints lw 1.5 pt 7 ps 0.5 lc rgb colour(i) title word(chosen, i)
} else {
	plot 0 with lines lc rgb '#dddddd' notitle
}
unset multiplot
