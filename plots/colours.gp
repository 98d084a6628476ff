# What colouring buys, as the cache model saw it.
#
# Top: L1 misses per slab colour, for the caches that have more than one
# colour (a cache with one colour has nothing to compare). Solid lines are
# capacity/conflict misses (the line was evicted, or never there, whether
# L2 or memory then served it); dashed lines, same colour, coherence
# misses (another CPU's write took the line: false or true sharing). Colouring shifts each slab's objects by a
# multiple of the cache line so that slabs do not all compete for the same
# L1 sets; a colour that misses far more than its neighbours says the
# shift did not help.
#
# Middle: per cache, L1 misses by kind, capacity/conflict against
# coherence (all colours): false sharing shows as a tall coherence bar.
#
# Bottom: the L1 set histogram of each of the caches with most L1 misses,
# one panel per cache (from l1sets_cache.csv, not all caches mixed): a few
# tall bars with the rest flat is the signature of objects that start at
# the same offset in every slab. The miss rate (points, right axis) is
# drawn only for sets with at least `minacc` accesses (default 32): the
# rate of a set touched a handful of times says nothing.
#
# With a comparison run (slabsim plot DIR --compare OTHER, e.g. colouring
# off against on for a walk), a last panel puts the L1 misses per set of
# the cache with most L1 accesses in DIR against the same cache in OTHER.
#
# Input: DIR/cache.csv, DIR/l1sets_cache.csv (and OTHER's).
# Optional: -e "top=6; sets_top=3; minacc=32".

name = 'colours'
H_given = exists("H")
if (!H_given) H = 800
here(p) = strstrt(p, '/') ? p[1:strstrt(p, '/')] . here(p[strstrt(p, '/') + 1:]) : ''
load here(ARG0) . 'common.gp'
if (!exists("top")) top = 6
if (!exists("sets_top")) sets_top = 3
if (!exists("minacc")) minacc = 32
if (!exists("cmp")) cmp = ''

f = dir . '/cache.csv'
fs = dir . '/l1sets_cache.csv'
base(p) = strstrt(p, '/') ? base(p[strstrt(p, '/') + 1:]) : p

stats f using (uadd(strcol("cache"))) nooutput
ncaches = words(ulist)

# Per cache: L1 misses, accesses, number of colours.
array l1miss[ncaches]
array acc[ncaches]
array ncol[ncaches]
do for [i = 1:ncaches] {
	c = word(ulist, i)
	stats f using (strcol("cache") eq c ? column("accesses") - column("l1_hits") : 0) \
		name 'L' nooutput
	l1miss[i] = L_sum
	stats f using (strcol("cache") eq c ? column("accesses") : 0) name 'A' nooutput
	acc[i] = A_sum
	stats f using (strcol("cache") eq c ? 1 : 0) name 'C' nooutput
	ncol[i] = C_sum
}

# The caches to show, as word lists; gnuplot has no sort, so each list
# picks the best not yet chosen, again and again.
chosen = ' '
do for [r = 1:top] {
	best = 0; bestname = ''
	do for [i = 1:ncaches] {
		if (ncol[i] > 1 && !member(chosen, word(ulist, i)) && l1miss[i] > best) {
			best = l1miss[i]; bestname = word(ulist, i)
		}
	}
	if (bestname ne '') { chosen = chosen . bestname . ' ' }
}
n = words(chosen)

bars = ' '
do for [r = 1:top] {
	best = 0; bestname = ''
	do for [i = 1:ncaches] {
		if (!member(bars, word(ulist, i)) && l1miss[i] > best) {
			best = l1miss[i]; bestname = word(ulist, i)
		}
	}
	if (bestname ne '') { bars = bars . bestname . ' ' }
}
nbars = words(bars)

hist = ' '
do for [r = 1:sets_top] {
	best = 0; bestname = ''
	do for [i = 1:ncaches] {
		if (!member(hist, word(ulist, i)) && l1miss[i] > best) {
			best = l1miss[i]; bestname = word(ulist, i)
		}
	}
	if (bestname ne '') { hist = hist . bestname . ' ' }
}
nhist = words(hist)

# the cache with most accesses: the walked one, in a walk's A/B
walked = ''
best = 0
do for [i = 1:ncaches] {
	if (word(ulist, i) ne '(other)' && acc[i] > best) {
		best = acc[i]; walked = word(ulist, i)
	}
}
compare = cmp ne '' && walked ne ''

rows = 2 + (nhist > 0 ? nhist : 1) + (compare ? 1 : 0)
if (!H_given) { H = 330 * rows }
if (fmt eq 'svg') {
	set terminal svg size W, H dynamic noenhanced font 'Sans,11' background rgb 'white'
} else {
	if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {
		set terminal pngcairo size W, H noenhanced font 'Sans,10'
	} else {
		set terminal png size W, H noenhanced
	}
}
set output out

cap(c) = strcol("cache") eq c ? \
	column("accesses") - column("l1_hits") - column("coherence_misses") : NaN
coh(c) = strcol("cache") eq c ? column("coherence_misses") : NaN

set lmargin 12
set multiplot layout rows, 1 title 'What colouring buys: cache misses by colour, kind and L1 set'

# ---- misses per colour ----
set title sprintf('L1 misses per slab colour (caches with more than one colour; %d shown)', n)
set xlabel 'slab colour (offset = colour x colour_off bytes)'
set ylabel 'L1 misses (count)'
set yrange [0:*]
set xtics 1
if (n > 0) {
	stats f using (member(chosen, strcol("cache")) ? column("colour") : NaN) name 'K' nooutput
	set xrange [-0.5:K_max + 0.5]
	if (K_max > 20) { set xtics 5 }
	plot for [i = 1:n] f using "colour":(cap(word(chosen, i))) \
		with linespoints lw 1.5 pt 7 ps 0.8 lc rgb colour(i) \
		title word(chosen, i) . ' capacity/conflict', \
	     for [i = 1:n] f using "colour":(coh(word(chosen, i))) \
		with linespoints lw 1.5 dt 2 pt 6 ps 0.8 lc rgb colour(i) \
		title word(chosen, i) . ' coherence'
} else {
	set xrange [0:1]
	set yrange [0:1]
	unset xtics
	unset ytics
	set label 1 'no cache has more than one colour (colouring off, or no room left over in its slabs)' at 0.5, 0.5 center
	plot NaN notitle
	unset label 1
	set xtics
	set ytics
	set autoscale xy
}
set xtics 1 autofreq
unset xrange

# ---- capacity/conflict against coherence, per cache ----
set title sprintf('L1 misses by kind, per cache (%d caches with most L1 misses)', nbars)
set xlabel ''
set ylabel 'L1 misses (count)'
set yrange [0:*]
set xrange [-0.5:(nbars > 0 ? nbars : 1) - 0.5]
set style fill solid 0.9 noborder
set boxwidth 0.6
set xtics rotate by -20 nomirror
# one row per cache: position, capacity/conflict, coherence
set print $bars
do for [i = 1:nbars] {
	c = word(bars, i)
	stats f using (strcol("cache") eq c ? \
		column("accesses") - column("l1_hits") - column("coherence_misses") : 0) \
		name 'P' nooutput
	stats f using (strcol("cache") eq c ? column("coherence_misses") : 0) name 'Q' nooutput
	print sprintf("%d %d %d", i - 1, P_sum, Q_sum)
}
unset print
set xtics ()
do for [i = 1:nbars] { set xtics add (word(bars, i) i - 1) }
if (nbars > 0) {
	# the coherence bar stands on the capacity/conflict one
	set datafile separator whitespace
	unset datafile columnheaders
	plot $bars using 1:($2 + $3) with boxes lc rgb colour(2) \
		title 'coherence (another CPU wrote the line)', \
	     '' using 1:2 with boxes lc rgb colour(1) title 'capacity/conflict'
	set datafile separator ','
	set datafile columnheaders
} else {
	plot NaN notitle
}
unset xtics
set xtics nomirror norotate autofreq
unset xrange

# ---- L1 set histogram per cache ----
stats fs using (column("set")) name 'S' nooutput
nsets = int(S_max) + 1
setacc(c) = strcol("cache") eq c ? column("accesses") : NaN
setmiss(c) = strcol("cache") eq c ? column("misses") : NaN
setrate(c) = (strcol("cache") eq c && column("accesses") >= minacc) ? \
	100.0 * column("misses") / column("accesses") : NaN

set xlabel 'L1 set index'
set ylabel 'line accesses (count)'
set y2label 'miss rate (%)'
set xrange [-1:nsets]
set yrange [0:*]
set y2range [0:100]
set y2tics 0, 20, 100 nomirror
set boxwidth 0.9
set style fill solid 1.0 noborder
do for [i = 1:nhist] {
	c = word(hist, i)
	set title sprintf('L1 sets used by %s (%d sets, all CPUs; rate shown where a set had >= %d accesses)', \
		c, nsets, minacc)
	stats fs using ((strcol("cache") eq c && column("accesses") >= minacc) ? 1 : 0) \
		name 'R' nooutput
	stats fs using (strcol("cache") eq c ? 1 : 0) name 'E' nooutput
	if (E_sum == 0) {
		plot NaN notitle
	} else { if (R_sum > 0) {
		plot fs using "set":(setacc(c)) with boxes lc rgb '#aec7e8' title 'accesses', \
		     '' using "set":(setmiss(c)) with boxes lc rgb colour(1) title 'L1 misses', \
		     '' using "set":(setrate(c)) axes x1y2 with points pt 7 ps 0.6 \
			lc rgb colour(2) title 'miss rate (right axis)'
	} else {
		plot fs using "set":(setacc(c)) with boxes lc rgb '#aec7e8' title 'accesses', \
		     '' using "set":(setmiss(c)) with boxes lc rgb colour(1) title 'L1 misses'
	} }
}
if (nhist == 0) {
	set title 'L1 sets: no L1 misses in this run'
	plot NaN notitle
}

# ---- the walked cache, this run against the comparison run ----
if (compare) {
	fc = cmp . '/l1sets_cache.csv'
	unset y2tics
	unset y2label
	set ylabel 'L1 misses (count)'
	set title sprintf('L1 misses per set of %s: %s against %s', walked, base(dir), base(cmp))
	set boxwidth 0.45
	plot fs using ($2 - 0.22):(strcol("cache") eq walked ? column("misses") : NaN) \
		with boxes lc rgb colour(1) title base(dir), \
	     fc using ($2 + 0.22):(strcol("cache") eq walked ? column("misses") : NaN) \
		with boxes lc rgb colour(3) title base(cmp)
}

unset multiplot
