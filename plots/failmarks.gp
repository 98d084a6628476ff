# Page allocation failures as marks on the time axis, for the plots whose
# x axis is simulated time: a dotted red line at each failure (at most 300,
# spread evenly over them), a key entry counting them, and a note when some
# came while their zone's fragmentation index read -1 (a block of that
# order was free, but the watermark check kept it back).
# Loaded by a plot script after common.gp and before its plot command;
# reads DIR/fragmentation.csv (its `failure` rows). Sets NFAIL, and
# failtitle: the key entry ('' when there are none) to plot with
#   NaN with lines dt 3 lw 1.5 lc rgb failcolour title failtitle

failcolour = '#d62728'
ff = dir . '/fragmentation.csv'
NFAIL = 0
NFAILNEG = 0
isfail(d) = strcol("kind") eq 'failure'
stats ff using (isfail(0) ? (NFAIL = NFAIL + 1, \
	NFAILNEG = NFAILNEG + (column("fragmentation_index") == -1), 0) : 0) nooutput
if (NFAIL > 0) {
	array tf[NFAIL]
	k = 0
	stats ff using (isfail(0) ? (k = k + 1, tf[k] = column("t_ms"), 0) : 0) nooutput
	step = NFAIL > 300 ? int(ceil(NFAIL / 300.0)) : 1
	do for [i = 1:NFAIL:step] {
		set arrow from first tf[i], graph 0 to first tf[i], graph 1 \
			nohead back dt 3 lw 1 lc rgb failcolour
	}
}
failtitle = NFAIL > 0 ? sprintf('page allocation failure (%d)', NFAIL) : ''
if (NFAILNEG > 0) {
	# room under the x axis label for the note
	set bmargin 5
	set label 99 sprintf("note: %d of the %d page allocation failures came while the fragmentation index read -1: a block of that order was free, but the watermark kept it back", NFAILNEG, NFAIL) at screen 0.01, screen 0.012 left font ',9' tc rgb failcolour
}
