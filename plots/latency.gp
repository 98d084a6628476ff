# The cost of an operation: time spent in the allocator per call (virtual
# ns on the calling CPU, lock waits included), per cache and kind of call
# (alloc, free, kmalloc, kfree): p50 and p99 as bars, the mean as a
# diamond and the maximum as a dash. The y axis is logarithmic, so that a
# refill that waited on a lock shows next to a per-CPU array hit.
# Input: DIR/latency.csv (p50/p99: see README, "latency.csv").

name = 'latency'
W = 1100
here(p) = strstrt(p, '/') ? p[1:strstrt(p, '/')] . here(p[strstrt(p, '/') + 1:]) : ''
load here(ARG0) . 'common.gp'

f = dir . '/latency.csv'
stats f using (column("count")) name 'C' nooutput
nbars = C_records
label(d) = strcol("cache") . ' ' . strcol("op")

set title 'Time in the allocator per call (virtual ns, lock waits included)'
set ylabel 'ns per call (log scale)'
set logscale y
set yrange [1:*]
set xrange [-0.6:nbars - 0.4]
set xtics rotate by -35 left scale 0
set bmargin 9
set style fill solid 0.85 border -1
set boxwidth 0.35
set key inside left top

plot f using ($0 - 0.18):"p50_ns":xtic(label(0)) with boxes lc rgb colour(1) title 'p50', \
     '' using ($0 + 0.18):"p99_ns" with boxes lc rgb colour(4) title 'p99', \
     '' using 0:"mean_ns" with points pt 13 ps 1.5 lc rgb 'black' title 'mean', \
     '' using 0:"max_ns":(0.3) with xerrorbars pt 0 lw 2 lc rgb colour(2) title 'max'
