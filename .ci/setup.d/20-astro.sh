#!/usr/bin/env bash
# astro: ERFA (liberfa-dev) for the in-process cgo cross-check and the
# side-by-side benchmarks in astro/internal/erfacheck (build tag "erfa"). Idempotent.
set -euo pipefail
if [ ! -e /usr/include/erfa.h ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq liberfa-dev
fi
