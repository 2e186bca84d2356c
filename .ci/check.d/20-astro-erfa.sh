#!/usr/bin/env bash
# astro: cross-check against ERFA in-process (thousands of random inputs per
# function) through cgo; needs liberfa-dev from .ci/setup.d/20-astro.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
go test -tags erfa -count=1 ./astro/...
