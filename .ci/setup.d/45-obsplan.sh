#!/usr/bin/env bash
# Publishes the ObsLocTAP test table ivoa.obsplan (testdata/dachs/obsplan.rd,
# rows obsplan.csv: Rubin's and Chandra's recorded rows and a synthetic
# planning log) on the DaCHS server that 40-dachs.sh installed and started,
# for the integration tests of connectors/obsloctap. Idempotent: a second
# run re-imports the table. Reads the TAP URL from ARCSECOND_TAP_URL (the
# environment, else the line 40-dachs.sh wrote to "$CI_ENV_FILE") and
# writes ARCSECOND_OBSLOCTAP_URL to "$CI_ENV_FILE".
set -euo pipefail
cd "$(dirname "$0")/../.."
REPO=$PWD
t0=$(date +%s)
log() { printf '[45-obsplan %3ds] %s\n' "$(( $(date +%s) - t0 ))" "$*"; }

TAP_URL=${ARCSECOND_TAP_URL:-}
if [ -z "$TAP_URL" ] && [ -n "${CI_ENV_FILE:-}" ] && [ -f "$CI_ENV_FILE" ]; then
  TAP_URL=$(sed -n 's/^ARCSECOND_TAP_URL=//p' "$CI_ENV_FILE" | tail -1)
fi
if [ -z "$TAP_URL" ]; then
  log "no ARCSECOND_TAP_URL: run .ci/setup.d/40-dachs.sh first"
  exit 1
fi
if ! command -v dachs >/dev/null; then
  log "dachs is not installed: run .ci/setup.d/40-dachs.sh first"
  exit 1
fi

# 1. The resource descriptor and its rows.
DEST=/var/gavo/inputs/arcsecond_obsplan
mkdir -p "$DEST"
cp "$REPO/testdata/dachs/obsplan.rd" "$DEST/q.rd"
cp "$REPO/testdata/dachs/obsplan.csv" "$DEST/"
chown -R dachsroot:gavo "$DEST" 2>/dev/null || true

# 2. Import (creates ivoa.obsplan) and publish.
cd /var/gavo/inputs
log "importing arcsecond_obsplan/q"
dachs imp arcsecond_obsplan/q
dachs pub arcsecond_obsplan/q
cd "$REPO"
dachs serve reload >/dev/null 2>&1 || true

# 3. Wait until TAP answers a query on the table with every row.
want=$(( $(wc -l <"$REPO/testdata/dachs/obsplan.csv") - 1 ))
for i in $(seq 1 60); do
  if curl -fsS -m 10 "$TAP_URL/sync" -d REQUEST=doQuery -d LANG=ADQL -d RESPONSEFORMAT=csv \
      --data-urlencode "QUERY=SELECT COUNT(*) AS n FROM ivoa.obsplan" 2>/dev/null | tr -d "\r" | tail -1 | grep -qx "$want"; then
    log "ivoa.obsplan answers with $want rows at $TAP_URL"
    if [ -n "${CI_ENV_FILE:-}" ]; then
      echo "ARCSECOND_OBSLOCTAP_URL=$TAP_URL" >>"$CI_ENV_FILE"
    fi
    exit 0
  fi
  sleep 1
done
log "ivoa.obsplan did not answer with $want rows at $TAP_URL within 60 s"
curl -sS -m 10 "$TAP_URL/sync" -d REQUEST=doQuery -d LANG=ADQL --data-urlencode "QUERY=SELECT COUNT(*) FROM ivoa.obsplan" || true
exit 1
