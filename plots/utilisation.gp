# Object utilisation per cache at the end of the run: the users' live
# objects over the objects the cache holds (user_objs / num_objs). Objects
# parked in per-CPU, shared and alien arrays count as free here, though
# /proc/slabinfo's active_objs counts them: a low bar is a cache whose
# arrays, partial and free slabs hold memory its users do not. Caches with
# no slab at the end are left out. Input: DIR/timeseries.csv.

name = 'utilisation'
here(p) = strstrt(p, '/') ? p[1:strstrt(p, '/')] . here(p[strstrt(p, '/') + 1:]) : ''
load here(ARG0) . 'common.gp'

f = dir . '/timeseries.csv'
stats f using (column("t_ms")) name 'T' nooutput
tend = T_max

# the last sample's rows, filtered into a table: cache, utilisation (%)
keep(dummy) = column("t_ms") == tend && column("num_objs") > 0
set table $last separator comma
plot f using (strcol("cache")):(100.0 * column("user_objs") / column("num_objs")) \
	with table if (keep(0))
unset table
set datafile nocolumnheaders
stats $last using 2 name 'U' nooutput
nbars = U_records

set title sprintf("Object utilisation per cache at the end of the run (t = %g ms)", tend)
set ylabel "users' live objects / objects held (%)"
set xlabel 'cache'
set yrange [0:110]
set ytics 0, 20, 100
set xrange [-0.6:nbars - 0.4]
set xtics rotate by -40 left scale 0
set boxwidth 0.7
set style fill solid 0.85 border -1
set bmargin 9
set key off

plot $last using 0:2:xtic(1) with boxes lc rgb colour(1), \
     '' using 0:2:(sprintf("%.0f%%", $2)) with labels offset 0, 0.7 font ',9'
