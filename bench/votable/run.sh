#!/usr/bin/env bash
# Runs the arcsecond VOTable reader and the two reference readers (STILTS and
# astropy, through the shared harness's commands) on the same 500,000-row
# ObsCore-like corpus, in ONE run: for each file, REPEAT alternating pairs
# (arcsecond, STILTS, arcsecond, STILTS, ...), then astropy once (it takes
# minutes), printing wall time, CPU time and peak RSS for each run (from
# /usr/bin/time -v) with the load average (1 min) when it started.
#
# Usage: [REPEAT=3] bench/votable/run.sh [DATA_DIR]   (default /tmp/votable-bench-data)
# Needs: Go, Debian packages stilts and python3-astropy, and the shared
# harness in ../shared/bench/votable beside the clone (make-data.sh builds
# the corpus when DATA_DIR is empty). Not run in CI: it takes minutes.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
harness=${HARNESS:-$repo/../shared/bench/votable}
dir=${1:-/tmp/votable-bench-data}
[ -d "$harness" ] || { echo "shared harness not found at $harness" >&2; exit 1; }
[ -s "$dir/obscore_binary2.vot" ] || bash "$harness/make-data.sh" 500000 "$dir"
bin=$(mktemp -d)/votable-bench
(cd "$repo" && go build -o "$bin" ./bench/votable)
tv=$(mktemp)
trap 'rm -f "$tv" "$bin"' EXIT

measure() { # name file cmd...
  local name=$1 file=$2; shift 2
  local load; load=$(cut -d' ' -f1 /proc/loadavg)
  if ! /usr/bin/time -v -o "$tv" "$@" >/dev/null 2>&1; then
    echo "$name $(basename "$file") FAILED"
    return
  fi
  awk -v n="$name" -v f="$(basename "$file")" '
    /Elapsed \(wall clock\)/ { split($NF, a, ":"); wall = (length(a) == 3) ? a[1]*3600 + a[2]*60 + a[3] : a[1]*60 + a[2] }
    /User time/ { user = $NF } /System time/ { sys = $NF }
    /Maximum resident set size/ { rss = $NF / 1024 }
    END { printf "%-9s %-22s wall_s=%7.2f cpu_s=%7.2f peak_rss_mib=%7.1f load1=%s\n", n, f, wall, user + sys, rss, l }' l="$load" "$tv"
}

echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(uname -m) $(nproc) cores; load: $(cut -d' ' -f1-3 /proc/loadavg)"
for fmt in tabledata binary binary2; do
  f="$dir/obscore_$fmt.vot"
  for _ in $(seq "${REPEAT:-3}"); do
    measure arcsecond "$f" "$bin" "$f"
    measure stilts "$f" stilts tpipe in="$f" omode=count
  done
  measure astropy "$f" /usr/bin/python3 "$harness/astropy_read.py" "$f"
done
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
