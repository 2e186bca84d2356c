#!/usr/bin/env bash
# arcsecond: Debian's chromium (and DejaVu fonts) for the dashboard's headless
# browser tests (the root package: TestDashboardBrowser, TestDashboardSkyGeometry,
# TestDashboardTenThousand), driven by chromedp. Exports
# ARCSECOND_CHROMIUM for the test. Idempotent.
set -euo pipefail
if [ ! -x /usr/bin/chromium ]; then
  if command -v apt-get >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core
  else
    echo "60-browser.sh: apt-get not available; the browser test will fail under CI=true" >&2
    exit 1
  fi
fi
/usr/bin/chromium --version 2>/dev/null || true
mkdir -p out
if [ -n "${CI_ENV_FILE:-}" ]; then
  echo "ARCSECOND_CHROMIUM=/usr/bin/chromium" >> "$CI_ENV_FILE"
fi
