#!/usr/bin/env bash
# staticcheck (honnef.co/go/tools), pinned: .ci/run runs it on ./... after
# go vet and fails on any finding. Installed with the Go toolchain from the
# module proxy; idempotent (nothing to do when the pinned version is there).
# Writes STATICCHECK (the binary's path) to "$CI_ENV_FILE".
set -euo pipefail
VERSION=v0.8.2 # staticcheck 2026.2.2
BIN="$(go env GOPATH)/bin/staticcheck"
if [ -x "$BIN" ] && "$BIN" -version 2>/dev/null | grep -q "(${VERSION#v})"; then
  echo "staticcheck ${VERSION} already installed: $("$BIN" -version)"
else
  echo "installing staticcheck ${VERSION}"
  (cd / && GOFLAGS= go install "honnef.co/go/tools/cmd/staticcheck@${VERSION}")
  "$BIN" -version
fi
if [ -n "${CI_ENV_FILE:-}" ]; then
  echo "STATICCHECK=$BIN" >>"$CI_ENV_FILE"
fi
