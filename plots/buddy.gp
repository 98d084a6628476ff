# The buddy allocator's free lists over time: free blocks of each order in
# one zone (node 0, Normal by default). Orders that drain while order 0
# fills up are the picture of external fragmentation. The y axis is
# logarithmic so that a few high-order blocks stay visible next to
# thousands of single pages; an empty list is drawn at the bottom.
# Page allocation failures are marked on the time axis (failmarks.gp).
# Input: DIR/fragmentation.csv. Optional: -e "node=1; zone='DMA'".
# slabsim: one zone (slabsim plot draws it for each zone, or --node/--zone)

name = 'buddy'
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
# an empty list is shown as 0.5 so that it sits below 1 on the log axis
blocks(o) = this(o) ? (column("nr_free") > 0 ? column("nr_free") : 0.5) : NaN

set title sprintf("Buddy allocator: free blocks per order, node %d zone %s", node, zone)
set xlabel 'simulated time (ms)'
set ylabel 'free blocks (log scale; 0 drawn at 0.5)'
set logscale y
set yrange [0.4:*]
set key title 'order (pages)'

plot for [o = 0:maxorder] f using "t_ms":(blocks(o)) with linespoints \
	lw 1.5 pt 7 ps 0.5 lc rgb colour(o + 1) \
	title sprintf("%d (%d)", o, 2**o), \
     NaN with lines dt 3 lw 1.5 lc rgb failcolour title failtitle
