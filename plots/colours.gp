# Slab colouring seen by the cache model: for each cache, misses by the
# colour of the slab the object lives in. Colouring shifts each slab's
# objects by a multiple of the cache line so that slabs do not all compete
# for the same cache sets; a colour that misses far more than its
# neighbours says the shift did not help. Top: misses served by memory.
# Bottom: L1 miss rate, which does not depend on how busy a colour was.
# The caches with most misses in total are shown.
# Input: DIR/cache.csv. Optional: -e "top=8".

name = 'colours'
if (!exists("H")) H = 800
here(p) = strstrt(p, '/') ? p[1:strstrt(p, '/')] . here(p[strstrt(p, '/') + 1:]) : ''
load here(ARG0) . 'common.gp'
if (!exists("top")) top = 8

f = dir . '/cache.csv'
stats f using (uadd(strcol("cache"))) nooutput
ncaches = words(ulist)

# total misses per cache, then the largest `top` of them
array total[ncaches]
do for [i = 1:ncaches] {
	stats f using (strcol("cache") eq word(ulist, i) ? column("misses") : 0) \
		name 'M' nooutput
	total[i] = M_sum
}
chosen = ' '
do for [k = 1:(top < ncaches ? top : ncaches)] {
	best = -1; bestname = ''
	do for [i = 1:ncaches] {
		if (!member(chosen, word(ulist, i)) && total[i] > best) {
			best = total[i]; bestname = word(ulist, i)
		}
	}
	chosen = chosen . bestname . ' '
}
n = words(chosen)

stats f using (column("colour")) name 'K' nooutput
set xrange [-0.5:K_max + 0.5]
set xtics 1
if (K_max > 20) { set xtics 5 }
set xlabel 'slab colour (colour offset = colour x colour_off bytes)'
set key title 'cache'

misses(c) = strcol("cache") eq c ? column("misses") : NaN
l1rate(c) = (strcol("cache") eq c && column("accesses") > 0) ? \
	100.0 * (column("accesses") - column("l1_hits")) / column("accesses") : NaN

set lmargin 12
set multiplot layout 2, 1 title sprintf("Cache misses per slab colour, %d caches with most misses", n)

set title 'Misses served by memory'
set ylabel 'misses (count)'
set yrange [0:*]
plot for [i = 1:n] f using "colour":(misses(word(chosen, i))) \
	with linespoints lw 1.5 pt 7 ps 0.8 lc rgb colour(i) title word(chosen, i)

set title 'L1 miss rate'
set ylabel 'L1 misses / accesses (%)'
set yrange [0:*]
plot for [i = 1:n] f using "colour":(l1rate(word(chosen, i))) \
	with linespoints lw 1.5 pt 7 ps 0.8 lc rgb colour(i) title word(chosen, i)

unset multiplot
