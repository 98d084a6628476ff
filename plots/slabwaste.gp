# Where the slab's pages go, over time, summed over every cache: the bytes
# users asked for at the bottom, then each kind of waste stacked on top, so
# the top edge is the memory held in slab pages. Internal waste (rounding
# to the object size, left-over, on-slab management) sits low and moves
# with the load; free slots in partial slabs are the pinned-slab
# fragmentation the SLAB cannot give back; free slots in free slabs and
# objects parked in the per-CPU, shared and alien arrays are what a shrink
# or cache_reap would return.
# Input: DIR/fragmentation.csv (its slab_total rows).

name = 'slabwaste'
here(p) = strstrt(p, '/') ? p[1:strstrt(p, '/')] . here(p[strstrt(p, '/') + 1:]) : ''
load here(ARG0) . 'common.gp'

f = dir . '/fragmentation.csv'
# Runs from before the slab rows existed have no kind column: say so in
# the picture instead of failing.
hdr = system(sprintf("head -n 1 '%s' 2>/dev/null", f))
if (strstrt(hdr, ',kind,') == 0 || strstrt(hdr, ',idle_partial,') == 0) {
	set title 'Slab memory by use: this run has no slab rows in fragmentation.csv'
	unset xtics
	unset ytics
	set xrange [0:1]
	set yrange [0:1]
	plot 2 notitle
	exit
}

tot(c) = strcol("kind") eq 'slab_total' ? column(c) : NaN
parked(x) = tot("parked_cpu") + tot("parked_shared") + tot("parked_alien")
# Cumulative tops, bottom to top.
s1(x) = tot("bytes_requested")
s2(x) = s1(x) + tot("rounding")
s3(x) = s2(x) + tot("left_over")
s4(x) = s3(x) + tot("mgmt")
s5(x) = s4(x) + tot("kernel_objs")
s6(x) = s5(x) + parked(x)
s7(x) = s6(x) + tot("idle_partial")
s8(x) = s7(x) + tot("idle_free")

set title 'Slab memory by use, all caches (top edge: bytes held in slab pages)'
set xlabel 'simulated time (ms)'
set ylabel 'MiB'
set yrange [0:*]
set style fill solid 0.75 noborder
set key title 'bytes'

plot f using "t_ms":(0):(MiB(s1(x))) with filledcurves lc rgb colour(3) title 'requested by users', \
     '' using "t_ms":(MiB(s1(x))):(MiB(s2(x))) with filledcurves lc rgb colour(4) title 'rounding to object size', \
     '' using "t_ms":(MiB(s2(x))):(MiB(s3(x))) with filledcurves lc rgb colour(10) title 'left-over per slab', \
     '' using "t_ms":(MiB(s3(x))):(MiB(s4(x))) with filledcurves lc rgb colour(6) title 'management (on-slab)', \
     '' using "t_ms":(MiB(s4(x))):(MiB(s5(x))) with filledcurves lc rgb colour(9) title "kernel's own objects", \
     '' using "t_ms":(MiB(s5(x))):(MiB(s6(x))) with filledcurves lc rgb colour(5) title 'parked in array caches', \
     '' using "t_ms":(MiB(s6(x))):(MiB(s7(x))) with filledcurves lc rgb colour(2) title 'free slots, partial slabs', \
     '' using "t_ms":(MiB(s7(x))):(MiB(s8(x))) with filledcurves lc rgb colour(1) title 'free slots, free slabs', \
     '' using "t_ms":(MiB(tot("bytes_held"))) with lines lw 1.5 lc rgb '#000000' title 'held'
