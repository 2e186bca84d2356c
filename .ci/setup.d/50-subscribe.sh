#!/usr/bin/env bash
# subscribe: a real SMTP server for the e-mail tests. The tests start
# Debian's aiosmtpd themselves (with STARTTLS on a throwaway certificate);
# this only installs it. Idempotent.
set -euo pipefail
if /usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null; then
  echo "python3-aiosmtpd already installed"
  exit 0
fi
if command -v apt-get >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-aiosmtpd
else
  echo "50-subscribe.sh: apt-get not available; the SMTP tests will fail under CI=true" >&2
  exit 1
fi
