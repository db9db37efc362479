#!/usr/bin/env bash
# Opt-in check: the dynamics-web-api npm client (a widely used Dataverse Web API client, pinned in package.json),
# unchanged, against the Dynamics simulator on loopback. Needs node >= 18 and npm (Debian: apt-get install nodejs
# npm); not part of `mvn verify` because CI has only JDK + Maven. Ends with "N passed, M failed".
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
command -v node >/dev/null && command -v npm >/dev/null || { echo "needs node and npm" >&2; exit 2; }
jar="$root/simulators/target/dynamics-simulator.jar"
if [ ! -f "$jar" ]; then
  (cd "$root" && mvn -B -q -Dstyle.color=never -pl simulators -am package -DskipTests)
fi
(cd "$here" && npm install --no-audit --no-fund --silent)
contacts=150
log=$(mktemp)
java -jar "$jar" --port 0 --contacts "$contacts" --accounts 20 >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 1 100); do grep -q "^Web API:" "$log" && break; sleep 0.2; done
base=$(sed -n 's/.*listening on \(http:[^ ]*\).*/\1/p' "$log")
[ -n "$base" ] || { cat "$log"; exit 1; }
field() { sed -n "s/^$1 *\(.*\)/\1/p" "$log"; }
# only loopback: no proxy may take the simulator's traffic elsewhere
env -u http_proxy -u https_proxy -u HTTP_PROXY -u HTTPS_PROXY \
  SIM_BASE_URL="$base" SIM_CONTACTS="$contacts" \
  SIM_TENANT_ID=$(field "Token URL:" | sed 's#.*/\([^/]*\)/oauth2/.*#\1#') \
  SIM_CLIENT_ID=$(field "Client id:") \
  SIM_CLIENT_SECRET=$(sed -n 's/^Client secret[^:]*: *//p' "$log") \
  node "$here/check.js"
