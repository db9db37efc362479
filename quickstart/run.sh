#!/usr/bin/env bash
# The quickstart: builds the plugins, then runs Kafka, Kafka Connect, PostgreSQL and the HubSpot simulator on this
# machine and wires them together. Ctrl-C stops everything it started.   quickstart/run.sh --help
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

if ! command -v java >/dev/null 2>&1; then
  echo "Java is not installed (or not on PATH). Install a JDK 17 or newer, e.g. 'apt-get install openjdk-17-jdk'." >&2
  exit 1
fi
java_major=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
if [ "${java_major%%.*}" -lt 17 ] 2>/dev/null; then
  echo "Java $java_major found; Kafka Connect 4.x needs Java 17 or newer. Point JAVA_HOME/PATH at a JDK 17+." >&2
  exit 1
fi

skip_build=false
args=()
for arg in "$@"; do
  case "$arg" in
    --skip-build) skip_build=true ;;
    *) args+=("$arg") ;;
  esac
done

cd "$root"
if [ "$skip_build" = false ]; then
  if ! command -v mvn >/dev/null 2>&1; then
    echo "Maven is not installed (or not on PATH). Install Maven 3.8.7+, e.g. 'apt-get install maven'." >&2
    exit 1
  fi
  echo "[quickstart] Building the plugins (mvn package, tests skipped)..."
  mvn -B -q -Dstyle.color=never -DskipTests -pl quickstart -am install
fi
[ -f quickstart/target/launcher.classpath ] || { echo "quickstart is not built: run without --skip-build" >&2; exit 1; }

exec java -Xmx512m -Dlog4j2.configurationFile=classpath:quickstart-log4j2.xml \
  -Dquickstart.log.file="$root/quickstart/target/launcher.log" -cp "quickstart/target/classes:$(cat quickstart/target/launcher.classpath)" \
  io.crmconnect.quickstart.Quickstart --repo "$root" ${args[@]+"${args[@]}"}
