#!/usr/bin/env bash
# Runs the Go benchmarks of astro (apparent places, rise/transit/set,
# altitude curves), astro/vsop87 and astro/elpmpp02, and the Node
# peers (astronomy-engine, aa-js) back to back, ROUNDS times, so that the
# figures come from one run on one machine. Prints every line, then the best
# (minimum) ns/op of each benchmark over the rounds.
#
#   bench/astro/run.sh [ROUNDS]      (default 3; needs Go and Node >= 18)
set -euo pipefail
cd "$(dirname "$0")"
ROUNDS="${1:-3}"
[ -d node_modules/astronomy-engine ] || npm install --no-audit --no-fund >/dev/null
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for r in $(seq "$ROUNDS"); do
  echo "# round $r ($(date -u +%H:%M:%S), load: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a))"
  (cd ../.. && go test -run '^$' -bench 'BenchmarkMoon$|BenchmarkMoonOfDate$|BenchmarkMoonFast$|BenchmarkEarth$|BenchmarkEarth1e7$|BenchmarkMars$|BenchmarkMars1e7$|BenchmarkGeocentricMars$' \
      -benchtime 300ms ./astro/elpmpp02/ ./astro/vsop87/) | grep '^Benchmark' | tee -a "$out"
  (cd ../.. && go test -run '^$' -bench 'BenchmarkApparent|BenchmarkRiseTransitSet|BenchmarkAltitudeCurve1000' \
      -benchtime 300ms ./astro/) | grep '^Benchmark' | tee -a "$out"
  node bench.mjs 300 | tee -a "$out"
  node observing.mjs 300 | tee -a "$out"
done
echo
echo "# best of $ROUNDS rounds: mean wall ns/op, process CPU ns/op, fastest-batch ns/op"
awk '{ name=$1; sub(/-[0-9]+$/, "", name); w=$3+0; c=-1; m=-1
       for (i = 4; i < NF; i++) { if ($(i+1) == "cpu-ns/op") c=$i+0; if ($(i+1) == "min-ns/op") m=$i+0 }
       if (!(name in bw) || w < bw[name]) bw[name]=w
       if (c >= 0 && (!(name in bc) || c < bc[name])) bc[name]=c
       if (m >= 0 && (!(name in bm) || m < bm[name])) bm[name]=m }
     END { for (n in bw) printf "%-72s %10.1f %10.1f %10.1f\n", n, bw[n], bc[n], bm[n] }' "$out" | sort
