# Gorman's fragmentation measures per order over time, one zone (node 0,
# Normal by default), as mm/vmstat.c computes them. Top: the unusable free
# space index, the share of free memory that cannot serve a request of that
# order (0 = all of it can, 1 = none). Bottom: the fragmentation index of a
# request that would fail: near 0 it fails for lack of memory, near 1
# because free memory is scattered; -1 means the request would succeed.
# Page allocation failures are marked on the time axis, with a note when
# some came while the index read -1 (failmarks.gp).
# Input: DIR/fragmentation.csv. Optional: -e "node=1; zone='DMA'".
# slabsim: one zone (slabsim plot draws it for each zone, or --node/--zone)

name = 'fragindex'
if (!exists("H")) H = 800
here(p) = strstrt(p, '/') ? p[1:strstrt(p, '/')] . here(p[strstrt(p, '/') + 1:]) : ''
load here(ARG0) . 'common.gp'
load here(ARG0) . 'failmarks.gp'
if (!exists("node")) node = 0
if (!exists("zone")) zone = 'Normal'

f = dir . '/fragmentation.csv'
stats f using (column("order")) name 'O' nooutput
maxorder = int(O_max)

# Only buddy rows count here (failure rows fill zone and order too).
this(o) = strcol("kind") eq 'buddy' && column("node") == node && strcol("zone") eq zone && column("order") == o
val(o, c) = this(o) ? column(c) : NaN

set lmargin 12
set multiplot layout 2, 1 title sprintf("Fragmentation indices per order, node %d zone %s", node, zone)
set xlabel 'simulated time (ms)'
set key title 'order'

set title 'Unusable free space index (share of free memory unusable at this order)'
set ylabel 'unusable index (0..1)'
set yrange [-0.05:1.05]
plot for [o = 0:maxorder] f using "t_ms":(val(o, "unusable_index")) \
	with linespoints lw 1.5 pt 7 ps 0.5 lc rgb colour(o + 1) \
	title sprintf("%d", o), \
     NaN with lines dt 3 lw 1.5 lc rgb failcolour title failtitle

set title 'Fragmentation index (-1: would succeed; ~0: no memory; ~1: fragmented)'
set ylabel 'fragmentation index'
set yrange [-1.1:1.1]
set ytics -1, 0.5, 1
plot for [o = 0:maxorder] f using "t_ms":(val(o, "fragmentation_index")) \
	with linespoints lw 1.5 pt 7 ps 0.5 lc rgb colour(o + 1) \
	title sprintf("%d", o)

unset multiplot
