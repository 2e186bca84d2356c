#!/usr/bin/env bash
# VOTable (connectors/vo/votable): STILTS for the votlint check of the
# writer's output (TestWriterVotlint fails under CI=true without it).
# astropy is not needed in CI: its expected outputs are committed under
# connectors/vo/votable/testdata/astropy (regenerate with gen.py there).
set -euo pipefail
if command -v stilts >/dev/null 2>&1; then
  echo "stilts already installed"
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq stilts
command -v stilts
