# L1 data cache sets: accesses and misses per set index, summed over all
# CPUs. Slab colouring exists to spread objects over these sets; a few
# tall bars with the rest flat is the signature of objects that all start
# at the same offset within their pages. The line (right axis) is the miss
# rate of each set. Input: DIR/l1sets.csv.

name = 'l1sets'
here(p) = strstrt(p, '/') ? p[1:strstrt(p, '/')] . here(p[strstrt(p, '/') + 1:]) : ''
load here(ARG0) . 'common.gp'

f = dir . '/l1sets.csv'
stats f using (column("set")) name 'S' nooutput
nsets = int(S_max) + 1
rate(dummy) = column("accesses") > 0 ? \
	100.0 * column("misses") / column("accesses") : NaN

set title sprintf("L1 data cache: accesses and misses per set (%d sets, all CPUs)", nsets)
set xlabel 'L1 set index'
set ylabel 'line accesses (count)'
set y2label 'miss rate (%)'
set xrange [-1:nsets]
set yrange [0:*]
set y2range [0:100]
set y2tics 0, 20, 100 nomirror
set boxwidth 0.9
set style fill solid 1.0 noborder
set key inside right top vertical noreverse Right opaque

plot f using "set":"accesses" with boxes lc rgb '#aec7e8' title 'accesses', \
     '' using "set":"misses" with boxes lc rgb colour(1) title 'L1 misses', \
     '' using "set":(rate(0)) axes x1y2 with lines lw 1.5 lc rgb colour(2) \
	title 'miss rate (right axis)'
