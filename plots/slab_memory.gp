# Memory held by slab caches over time: bytes held (pages owned by the
# cache) as solid lines, bytes in the users' live objects (user_objs x
# object size: objects parked in per-CPU, shared and alien arrays are
# not live) as dashed lines of the same colour, for the caches holding the
# most memory at the end of the run. The gap between the two is what the
# allocator keeps for itself. Page allocation failures are marked on the
# time axis (failmarks.gp).
# Input: DIR/timeseries.csv (and fragmentation.csv). Optional: -e "top=8".

name = 'slab_memory'
here(p) = strstrt(p, '/') ? p[1:strstrt(p, '/')] . here(p[strstrt(p, '/') + 1:]) : ''
load here(ARG0) . 'common.gp'
load here(ARG0) . 'failmarks.gp'
if (!exists("top")) top = 6

f = dir . '/timeseries.csv'
stats f using (column("t_ms")) name 'T' nooutput
tend = T_max

# the top caches by bytes held at the last sample
chosen = ' '
do for [k = 1:top] {
	best = 0; bestname = ''
	stats f using ((column("t_ms") == tend && \
		!member(chosen, strcol("cache"))) ? \
		pick(strcol("cache"), column("bytes_held")) : 0) nooutput
	if (bestname ne '') { chosen = chosen . bestname . ' ' }
}
n = words(chosen)

set title sprintf("Slab memory over time: the %d caches holding most at the end (t = %g ms)", n, tend)
set xlabel 'simulated time (ms)'
set ylabel 'memory (MiB)'
set yrange [0:*]
set xrange [*:*]
set key title 'cache'

held(c) = strcol("cache") eq c ? MiB(column("bytes_held")) : NaN
live(c) = strcol("cache") eq c ? MiB(column("bytes_user")) : NaN

plot for [i = 1:n] f using "t_ms":(held(word(chosen, i))) \
	with lines lw 2 lc rgb colour(i) title word(chosen, i), \
     for [i = 1:n] f using "t_ms":(live(word(chosen, i))) \
	with lines lw 1.5 dt 2 lc rgb colour(i) notitle, \
     NaN with lines lw 2 lc rgb 'black' title 'held (pages)', \
     NaN with lines lw 1.5 dt 2 lc rgb 'black' title 'in live objects', \
     NaN with lines dt 3 lw 1.5 lc rgb failcolour title failtitle
