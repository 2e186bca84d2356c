#!/usr/bin/env bash
# Installs PostgreSQL and GAVO DaCHS from Debian, publishes the test ObsCore
# table of testdata/dachs (resource descriptor q.rd, rows obs.csv) and starts
# the DaCHS server, whose TAP service the integration tests of
# connectors/vo/tap, connectors/obscore and examples/arcsecond use.
# Idempotent: a second run re-imports the table and restarts nothing that
# already answers. Writes ARCSECOND_TAP_URL to "$CI_ENV_FILE".
#
# The server listens on 127.0.0.1:$ARCSECOND_DACHS_PORT (default 18080),
# never on 8080, DaCHS's default, which is the address of the README's main
# job (go run ./examples/activityd). The port is DaCHS's [web] serverPort,
# with bindAddress and serverURL, in its system configuration
# ($GAVOSETTINGS, by default /etc/gavo.rc); a server still running with
# another configuration (an earlier run of this script on 8080) is stopped
# and started again on the new port.
set -euo pipefail
cd "$(dirname "$0")/../.."
REPO=$PWD
DACHS_PORT=${ARCSECOND_DACHS_PORT:-18080}
if [ "$DACHS_PORT" = 8080 ]; then
  echo "40-dachs: port 8080 is the main job's (examples/activityd); choose another ARCSECOND_DACHS_PORT" >&2
  exit 1
fi
TAP_URL=http://localhost:$DACHS_PORT/tap
GAVORC=${GAVOSETTINGS:-/etc/gavo.rc}
t0=$(date +%s)
log() { printf '[40-dachs %3ds] %s\n' "$(( $(date +%s) - t0 ))" "$*"; }
export DEBIAN_FRONTEND=noninteractive

start_pg() {
  if command -v pg_lsclusters >/dev/null; then
    pg_lsclusters --no-header | while read -r ver name _port status _rest; do
      if [ "$status" != "online" ]; then
        log "starting PostgreSQL $ver/$name"
        pg_ctlcluster "$ver" "$name" start || true
      fi
    done
  fi
}

# 1. PostgreSQL (with pgsphere and q3c) and DaCHS.
if ! command -v dachs >/dev/null || ! dpkg -s gavodachs2-server >/dev/null 2>&1 \
   || [ "$(dpkg-query -W -f='${Status}' gavodachs2-server 2>/dev/null)" != "install ok installed" ]; then
  log "installing postgresql and gavodachs2-server"
  # PostgreSQL must run for DaCHS's postinst to create its database.
  apt-get install -y -qq postgresql >/dev/null || true
  start_pg
  apt-get install -y -qq gavodachs2-server >/dev/null || {
    log "install stopped in configuration; starting PostgreSQL and finishing it"
    start_pg
    dpkg --configure -a
  }
fi
start_pg
# A postinst that ran without a database leaves packages half-configured.
if dpkg -l | grep -E '^(iF|iU)' >/dev/null; then
  log "finishing half-configured packages"
  dpkg --configure -a
fi
log "DaCHS $(dachs --version 2>/dev/null | head -1)"

# DaCHS 2.7 updates its job table with a 0.1 s statement timeout
# (_DEFAULT_LOCK_TIMEOUT in gavo/protocols/uws.py); on a loaded 2-core CI
# machine its job workers then die with "Job hung in EXECUTING". Give them
# 10 s (the value DaCHS itself uses for phase changes from the web side).
UWSPY=$(/usr/bin/python3 -c 'import gavo.protocols.uws as u; print(u.__file__)' 2>/dev/null || true)
if [ -n "$UWSPY" ] && grep -q '^_DEFAULT_LOCK_TIMEOUT = 0.1$' "$UWSPY"; then
  log "raising DaCHS's UWS lock timeout to 10 s"
  sed -i 's/^_DEFAULT_LOCK_TIMEOUT = 0.1$/_DEFAULT_LOCK_TIMEOUT = 10/' "$UWSPY"
  rm -rf "$(dirname "$UWSPY")/__pycache__/uws."*.pyc
  RESTART=1
fi

# 2a. The server's address, in DaCHS's system configuration (read by
#     gavo/base/config.py: [web] bindAddress, serverPort, serverURL).
rc=0
/usr/bin/python3 - "$GAVORC" "$DACHS_PORT" <<'PY' || rc=$?
import configparser, sys
path, port = sys.argv[1:3]
want = {"bindAddress": "127.0.0.1", "serverPort": port, "serverURL": "http://localhost:" + port}
cp = configparser.ConfigParser(interpolation=None)
cp.optionxform = str  # DaCHS's keys are camelCase
cp.read(path, encoding="utf-8")
if not cp.has_section("web"):
    cp.add_section("web")
if all(cp.get("web", k, fallback=None) == v for k, v in want.items()):
    sys.exit(3)  # unchanged
for k, v in want.items():
    cp.set("web", k, v)
with open(path, "w", encoding="utf-8") as f:
    cp.write(f)
print("wrote [web] %s to %s" % (want, path))
PY
case $rc in
  0) RESTART=1 ;;
  3) ;;
  *) log "could not write $GAVORC"; exit 1 ;;
esac
log "DaCHS serves on 127.0.0.1:$(dachs config web serverPort) ($GAVORC)"

# 2b. Site configuration: extend ivoa.obscore by the optional ObsCore 1.1
#    columns proposal_id and obs_creator_name (DaCHS's "Extending Obscore").
SYSUC=$(python3 -c 'import gavo, os; print(os.path.join(os.path.dirname(gavo.__file__), "resources/inputs/__system__/userconfig.rd"))' 2>/dev/null \
  || echo /usr/lib/python3/dist-packages/gavo/resources/inputs/__system__/userconfig.rd)
/usr/bin/python3 - "$SYSUC" "$REPO/testdata/dachs/obscore-extra.xml" /var/gavo/etc/userconfig.rd <<'PY'
import re, sys
sysrd, extra, dest = sys.argv[1:4]
text = open(sysrd, encoding="utf-8").read()
extra = open(extra, encoding="utf-8").read()
for sid in ("obscore-extraevents", "obscore-extrapars", "obscore-extracolumns"):
    m = re.search(r'<STREAM id="%s">.*?</STREAM>' % sid, extra, re.S)
    text, n = re.subn(r'<STREAM id="%s">.*?</STREAM>' % sid, lambda _: m.group(0), text, count=1, flags=re.S)
    if n != 1:
        sys.exit("userconfig.rd: STREAM %s not found in %s" % (sid, sysrd))
try:
    old = open(dest, encoding="utf-8").read()
except OSError:
    old = None
if old != text:
    open(dest, "w", encoding="utf-8").write(text)
    print("wrote", dest)
PY
chown dachsroot:gavo /var/gavo/etc/userconfig.rd 2>/dev/null || true

# 3. The resource descriptor and its data.
DEST=/var/gavo/inputs/arcsecond
mkdir -p "$DEST"
cp "$REPO/testdata/dachs/q.rd" "$REPO/testdata/dachs/obs.csv" "$DEST/"
chown -R dachsroot:gavo "$DEST" 2>/dev/null || true

# 4. Import: the obscore machinery (again, since the extra columns change
#    it), then the table, which joins ivoa.obscore; publish it.
cd /var/gavo/inputs
log "importing //obscore"
dachs imp //obscore
log "importing arcsecond/q"
dachs imp arcsecond/q
dachs pub arcsecond/q
# DaCHS's publications carry [web] serverURL, which its documentation says
# to refresh after a change ("dachs pub -a" there; ALL in DaCHS 2.7's CLI).
# Done on every run, so that an interrupted run that changed it is repaired.
log "republishing all RDs for serverURL $(dachs config web serverURL)"
dachs pub ALL
cd "$REPO"

# 5. The server: started, or reloaded so it sees the new RD. A server
#    running from before a configuration change (another port) is stopped:
#    DaCHS's PID file ([general] stateDir/web.pid) names it.
PIDFILE="$(dachs config stateDir)/web.pid"
if [ "${RESTART:-0}" = 1 ] && [ -s "$PIDFILE" ] && [ -e "/proc/$(cat "$PIDFILE")" ]; then
  log "restarting DaCHS server (pid $(cat "$PIDFILE")) for the new configuration"
  dachs serve stop || true
  sleep 2
fi
if curl -fsS -m 5 "$TAP_URL/availability" >/dev/null 2>&1; then
  log "DaCHS already serving; reloading"
  dachs serve reload || { dachs serve stop || true; sleep 2; }
fi
if ! curl -fsS -m 5 "$TAP_URL/availability" >/dev/null 2>&1; then
  log "starting DaCHS server"
  (cd /tmp && setsid dachs serve start </dev/null >/tmp/dachs-serve.log 2>&1 &)
fi

# 6. Wait until TAP answers a query on the new table.
for i in $(seq 1 120); do
  if curl -fsS -m 10 "$TAP_URL/sync" -d REQUEST=doQuery -d LANG=ADQL \
      --data-urlencode "QUERY=SELECT COUNT(*) FROM ivoa.obscore WHERE obs_collection='HST'" 2>/dev/null \
      | grep -q 'QUERY_STATUS" value="OK"'; then
    log "TAP answers at $TAP_URL"
    if [ -n "${CI_ENV_FILE:-}" ]; then
      echo "ARCSECOND_TAP_URL=$TAP_URL" >>"$CI_ENV_FILE"
    fi
    exit 0
  fi
  sleep 1
done
log "DaCHS TAP did not answer at $TAP_URL within 120 s"
tail -50 /tmp/dachs-serve.log /var/gavo/logs/dcErrors 2>/dev/null || true
exit 1
