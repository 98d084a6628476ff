# Shared set-up for every slabsim plot, loaded by each script after it has
# set `name` (the plot's base name) and optionally W and H (pixels).
#
# Every script is run as
#   gnuplot -e "dir='RUN'; out='FILE'; fmt='png'" plots/NAME.gp
# dir defaults to '.', fmt to png, out to DIR/NAME.FMT.

if (!exists("dir")) dir = '.'
if (!exists("fmt")) fmt = 'png'
if (!exists("out")) out = dir . '/' . name . '.' . fmt
if (!exists("W")) W = 1000
if (!exists("H")) H = 600

# noenhanced: cache names such as size-64 or dentry_cache are shown
# as written, not as subscripts.
if (fmt eq 'svg') {
	set terminal svg size W, H dynamic noenhanced font 'Sans,11' \
		background rgb 'white'
} else {
	if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {
		set terminal pngcairo size W, H noenhanced font 'Sans,10'
	} else {
		set terminal png size W, H noenhanced
	}
}
set output out

# The run's CSV files: comma separated, one header line naming the columns,
# so scripts address columns by name and survive added columns.
set datafile separator ','
set datafile columnheaders
# A row of another series evaluates to NaN; treating NaN as missing (not
# undefined) keeps each series' line unbroken across such rows.
set datafile missing NaN

set grid lc rgb '#dddddd'
set border 3
set tics nomirror
set key outside right top vertical Left reverse noautotitle

# One colour per series, readable on white; twelve, so that the eleven
# buddy orders (0..10) never share one.
array pal[12] = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', \
		 '#8c564b', '#e377c2', '#17becf', '#7f7f7f', '#bcbd22', \
		 '#000000', '#aec7e8']
colour(i) = pal[(int(i) - 1) % 12 + 1]

# Byte counts in MiB.
MiB(x) = x / 1048576.0

# Distinct values of a text column, in order of first appearance, as a
# space-separated list with a space at both ends (' a b '), so that
# membership is a substring test.
ulist = ' '
uadd(c) = strstrt(ulist, ' ' . c . ' ') ? 0 : (ulist = ulist . c . ' ', 0)
member(list, c) = strstrt(list, ' ' . c . ' ') > 0

# Running maximum with its label, for picking the largest series by hand
# (gnuplot has no sort): reset best and bestname, then stats with pick().
pick(c, v) = (v > best ? (best = v, bestname = c, 0) : 0)
