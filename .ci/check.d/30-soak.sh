#!/usr/bin/env bash
# The soak test of issue 21 (TestSoak: 10,000 distinct listings and 1,000
# slow clients must leave the process under 200 MB, every well-behaved
# client served). The test step runs with -race, under which TestSoak skips
# itself (the race detector multiplies memory several times), so it runs
# here without; it runs the soak in a process of its own and logs its
# figures (peak RSS and heap, load average).
set -euo pipefail
cd "$(dirname "$0")/../.."
go test -count=1 -run '^TestSoak$' -v .
