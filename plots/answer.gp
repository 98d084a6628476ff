# The figures that answer a sweep's question, one small bar chart per
# figure, side by side (scripts/results.sh). Run as
#   gnuplot -e "in='answer.csv'; out='answer.png'; ttl='TITLE'" plots/answer.gp
# answer.csv: a header (the swept key, then one title per figure) and one
# row per point (the value, then the figures).
if (!exists("ttl")) ttl = 'sweep'
set datafile separator ','
set key top center samplen 0 font ',10'
# figures: the header's fields less the first (point values may be words)
n = int(system("head -1 '" . in . "' | tr -cd , | wc -c"))
W = 280 * n + 80
H = 380
if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {
	set terminal pngcairo size W, H noenhanced font 'Sans,9'
} else {
	set terminal png size W, H noenhanced
}
set output out
set style fill solid 0.8 border -1
set boxwidth 0.6
set grid ytics
set yrange [0:*]
set format y '%.3s%c'
set multiplot layout 1, n title ttl
set offsets 0, 0, graph 0.15, 0
do for [i = 2:n + 1] {
	plot in using 0:i:xtic(1) with boxes lc rgb '#4477aa' title columnheader(i)
}
unset multiplot
