# timed.sh: timing helpers for the concurrency tests (sourced; needs $T and
# a rosh function). timed LINE runs one console line and sets OUT, RC and
# SECS (wall time), keeping all it said in $T/all.out for the final check;
# quick says the line did not wait for another console's delay (alone it
# takes about 0.1 s; 5 s leaves room for a loaded machine).
timed() {
	local t0
	t0=$(date +%s.%N)
	OUT=$(rosh -c "$1" 2>&1)
	RC=$?
	SECS=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
	printf '%s\n' "$OUT" >> "$T/all.out"
}
quick() { awk -v s="$SECS" 'BEGIN { exit !(s < 5) }'; }
