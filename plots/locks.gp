# Lock contention per lock class, from the run's lock statistics (the
# columns of /proc/lock_stat): how often an acquisition had to wait, and
# how long all the waits took together. Contended share (contentions /
# acquisitions) is written over each bar on the left. Only the class rows
# (cache empty), which come first; the per-cache split rows follow them.
# Input: DIR/lock_stat.csv.

name = 'locks'
W = 1100
here(p) = strstrt(p, '/') ? p[1:strstrt(p, '/')] . here(p[strstrt(p, '/') + 1:]) : ''
load here(ARG0) . 'common.gp'

f = dir . '/lock_stat.csv'
stats f using (strcol("cache") eq '' ? column("contentions") : NaN) name 'C' nooutput
nbars = C_records
last = nbars - 1
share(dummy) = column("acquisitions") > 0 ? \
	100.0 * column("contentions") / column("acquisitions") : 0

set style fill solid 0.85 border -1
set boxwidth 0.7
set xrange [-0.6:nbars - 0.4]
set xtics rotate by -35 left scale 0
set bmargin 9
set key off
set yrange [0:*]
set offsets 0, 0, graph 0.1, 0

set multiplot layout 1, 2 title 'Lock contention per lock class'

set title 'Contended acquisitions'
set ylabel 'contentions (count)'
plot f every ::0::last using 0:"contentions":xtic(strcol("class")) with boxes lc rgb colour(2), \
     '' every ::0::last using 0:"contentions":(sprintf("%.1f%%", share(0))) \
	with labels offset 0, 0.8 font ',9'

set title 'Time spent waiting'
set ylabel 'total wait (µs)'
plot f every ::0::last using 0:"wait_total_us":xtic(strcol("class")) with boxes lc rgb colour(4)

unset multiplot
