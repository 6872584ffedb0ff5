#!/bin/bash
# run.sh: run libFuzzer targets one after the other from their seeds and
# report one line per target, then "N passed, N failed" (the shape of
# tests/run.sh, which .ci/run adds up).
#   run.sh BUILD_DIR SRC_DIR TOTAL_SECONDS TARGET...
# Each target gets TOTAL_SECONDS divided among them, or $FUZZ_EACH seconds
# when set. NAME_fuzz starts from tests/fuzz/NAME_seeds/ (copied: the seeds in
# the source tree are never written) and grows its corpus in
# BUILD_DIR/tests/fuzz/corpus/NAME/, kept between runs so that a longer run
# goes on where the last one stopped. An input that crashes, leaks, hangs
# (over 25 s) or trips ASan or UBSan fails the target; the input is kept as
# BUILD_DIR/tests/fuzz/artifacts/NAME-crash-* for a regression seed, and the
# end of the log is shown.
set -u
build=$1 src=$2 total=$3
shift 3
[ $# -gt 0 ] || { echo "usage: run.sh BUILD_DIR SRC_DIR TOTAL_SECONDS TARGET..." >&2; exit 2; }
each=${FUZZ_EACH:-}
[ -n "$each" ] || each=$((total / $#))
[ "$each" -ge 1 ] || each=1
out=$build/tests/fuzz
mkdir -p "$out/artifacts" "$out/corpus"
passed=0 failed=0

# libFuzzer's own leak check stays on; UBSan stops at the first report
# instead of printing and going on, so that it fails the target.
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1}
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
# ctl_decode_fuzz's server role needs the unit test's certificates
export CTL_FUZZ_CERTS=$src/tests/ovpn_proto

for t in "$@"; do
	name=$(basename "$t")
	bin=$build/$t
	seeds=$src/tests/fuzz/${name%_fuzz}_seeds	# console_fuzz: console_seeds
	corpus=$out/corpus/$name
	log=$out/$name.log
	if [ ! -x "$bin" ]; then
		failed=$((failed + 1)); echo "FAIL: fuzz/$name: $bin is not built"; continue
	fi
	if [ ! -d "$seeds" ] || [ -z "$(ls -A "$seeds")" ]; then
		failed=$((failed + 1)); echo "FAIL: fuzz/$name: no seeds in $seeds"; continue
	fi
	mkdir -p "$corpus"
	# the seeds join the corpus; libFuzzer writes what it finds there
	cp -n "$seeds"/* "$corpus"/ 2> /dev/null
	# the .ovpn fixtures of the unit and refusal tests are seeds too
	[ "$name" = ovpn_parse_fuzz ] && cp -n "$src"/tests/ovpn/*.ovpn "$src"/tests/ovpn/bad/*.ovpn "$corpus"/
	(cd "$src" && timeout -k 10 $((each + 120)) "$bin" -max_total_time="$each" -timeout=25 \
		-rss_limit_mb=2560 -print_final_stats=1 -artifact_prefix="$out/artifacts/$name-" \
		"$corpus") > "$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	units=$(grep -Eo 'corp: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
	cov=$(grep -Eo 'cov: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
	if [ $rc -eq 0 ]; then
		passed=$((passed + 1))
		echo "PASS: fuzz/$name (${each} s, ${runs:-?} runs, ${units:-?} corpus, cov ${cov:-?})"
	else
		failed=$((failed + 1))
		seed=$(sed -n 's/^INFO: Seed: *//p' "$log" | head -1)
		echo "FAIL: fuzz/$name (exit $rc after ${runs:-?} runs, -seed=${seed:-?}; log $log)"
		grep -E 'ERROR|SUMMARY|runtime error|Test unit written|abort|==[0-9]+==' "$log" |
			head -20 | sed 's/^/    /'
	fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
