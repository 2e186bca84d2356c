#!/usr/bin/env bash
# Compares the arcsecond VOTable reader at two revisions on the benchmark
# corpus, in ONE run: for each file, REPEAT alternating runs (base, this
# tree, base, this tree, ...) of the benchmark program built at each, with
# wall time, CPU time (user + sys) and peak RSS from /usr/bin/time -v and
# the 1-minute load average when each run started; then the medians and the
# ratio of the medians (this tree / base). CPU time is the steadier figure
# on a shared machine; wall time needs an idle one.
#
# Usage: [REPEAT=11] bench/votable/compare.sh BASE_REV [DATA_DIR]
#   (default DATA_DIR /tmp/votable-bench-data, built by run.sh)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
base=${1:?usage: compare.sh BASE_REV [DATA_DIR]}
dir=${2:-/tmp/votable-bench-data}
[ -s "$dir/obscore_binary2.vot" ] || { echo "no corpus in $dir (bench/votable/run.sh builds it)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/base"
git -C "$repo" archive "$base" | tar -x -C "$work/base"
(cd "$work/base" && go build -o "$work/bench-base" ./bench/votable)
(cd "$repo" && go build -o "$work/bench-this" ./bench/votable)

measure() { # name file
  local load; load=$(cut -d' ' -f1 /proc/loadavg)
  /usr/bin/time -v -o "$work/tv" "$work/bench-$1" "$2" >/dev/null
  awk -v n="$1" -v f="$(basename "$2")" -v l="$load" '
    /Elapsed \(wall clock\)/ { split($NF, a, ":"); wall = (length(a) == 3) ? a[1]*3600 + a[2]*60 + a[3] : a[1]*60 + a[2] }
    /User time/ { user = $NF } /System time/ { sys = $NF }
    /Maximum resident set size/ { rss = $NF / 1024 }
    END { printf "%-4s %-22s wall_s=%.2f cpu_s=%.2f peak_rss_mib=%.1f load1=%s\n", n, f, wall, user + sys, rss, l }' "$work/tv"
}

echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(uname -m) $(nproc) cores; base $(git -C "$repo" rev-parse --short "$base"), this $(git -C "$repo" rev-parse --short HEAD)$(git -C "$repo" diff --quiet || echo '+changes'); load: $(cut -d' ' -f1-3 /proc/loadavg)"
for fmt in tabledata binary binary2; do
  f="$dir/obscore_$fmt.vot"
  "$work/bench-base" "$f" >/dev/null # warm the page cache
  for _ in $(seq "${REPEAT:-11}"); do
    measure base "$f"
    measure this "$f"
  done | tee "$work/runs"
  awk -v f="obscore_$fmt.vot" '
    function med(a, n,   i, j, t) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
      return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
    { split($3, w, "="); split($4, c, "="); split($5, r, "=")
      if ($1 == "base") { bw[++nb] = w[2]; bc[nb] = c[2]; br[nb] = r[2] } else { tw[++nt] = w[2]; tc[nt] = c[2]; tr[nt] = r[2] } }
    END { mbw = med(bw, nb); mbc = med(bc, nb); mtw = med(tw, nt); mtc = med(tc, nt)
      printf "# %s medians: base wall %.2f s cpu %.3f s rss %.1f MiB; this wall %.2f s cpu %.3f s rss %.1f MiB; this/base wall %.2f cpu %.2f\n",
        f, mbw, mbc, med(br, nb), mtw, mtc, med(tr, nt), mtw / mbw, mtc / mbc }' "$work/runs"
done
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
