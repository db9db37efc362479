#!/usr/bin/env bash
# The quickstart: builds the plugins, then runs Kafka, Kafka Connect, a database and the HubSpot simulator on this
# machine and wires them together. Ctrl-C stops everything it started.   quickstart/run.sh --help
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

usage() {
  cat <<'USAGE'
Usage: quickstart/run.sh [options]

Runs a CRM pipeline on this machine (loopback only): a Kafka broker, a Kafka Connect worker with every CRM Connect
plugin on its plugin.path, the HubSpot simulator and a database, with connectors registered from the example
configs the plugins ship. Needs JDK 17+ and Maven 3.8.7+. Ctrl-C stops everything it started.

  --scenario NAME         what to run (default hubspot-to-postgres):
                            hubspot-to-postgres  HubSpot contacts, companies, deals -> Kafka -> PostgreSQL
                            hubspot-to-mariadb   the same into MariaDB
                            topic-to-hubspot     warehouse users in a Kafka topic -> HubSpot contacts (reverse ETL)
                            hubspot-dynamics     HubSpot <-> Dynamics 365 two-way contact sync (both simulators;
                                                 --contacts defaults to 100 here)
                            snowflake-to-hubspot seed 000: a Snowflake users table (wire fake) -> Snowflake
                                                 source -> HubSpot sink -> HubSpot contacts (by id, else email)
                            bigquery-to-hubspot  seed 004: BigQuery patients and ROI requests (REST fake) ->
                                                 BigQuery source -> HubSpot contacts (3-tier match) and ROI objects
  --contacts N            contacts the simulator is seeded with (default 2000)
  --skip-build            use the plugins built last time (no mvn package)
  --headless              plain log lines instead of a live display (automatic when stdout is not a terminal)
  --until-rows N          stop everything and exit 0 once N rows arrived (for scripts and CI)
  --timeout-seconds S     with --until-rows: give up after S seconds (default 600)
  --kafka-port P          default 9092          --controller-port P   default 9093
  --connect-port P        default 8083          --simulator-port P    default 8089
  --dynamics-port P       default 8090 (the Dynamics 365 simulator, hubspot-dynamics)
  --snowflake-port P      default 8091 (the Snowflake fake, snowflake-to-hubspot)
  --bigquery-port P       default 8092 (the BigQuery fake, bigquery-to-hubspot)
  --postgres-port P       default 15432         --mariadb-port P      default 13306
  -h, --help              this help

Set HUBSPOT_TOKEN to read your real HubSpot portal instead of the simulator (hubspot-to-* scenarios).
Logs of every process: quickstart/target/run/logs/
USAGE
}

skip_build=false
args=()
for arg in "$@"; do
  case "$arg" in
    -h|--help) usage; exit 0 ;;
    --skip-build) skip_build=true ;;
    *) args+=("$arg") ;;
  esac
done
# No cursor movement or colours where nobody watches a terminal (CI logs, pipes, files).
if [ ! -t 1 ]; then
  args+=("--headless")
fi

if ! command -v java >/dev/null 2>&1; then
  echo "Java is not installed (or not on PATH). Install a JDK 17 or newer, e.g. 'apt-get install openjdk-17-jdk'." >&2
  exit 1
fi
java_major=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
if [ "${java_major%%.*}" -lt 17 ] 2>/dev/null; then
  echo "Java $java_major found; Kafka Connect 4.x needs Java 17 or newer. Point JAVA_HOME/PATH at a JDK 17+." >&2
  exit 1
fi

cd "$root"
if [ "$skip_build" = false ]; then
  if ! command -v mvn >/dev/null 2>&1; then
    echo "Maven is not installed (or not on PATH). Install Maven 3.8.7+, e.g. 'apt-get install maven'." >&2
    exit 1
  fi
  echo "[quickstart] Building the plugins (mvn package, tests skipped)..."
  # Maven 3.8 still writes colour resets in batch mode: drop escape sequences when not on a terminal.
  if [ -t 1 ]; then
    mvn -B -q -Dstyle.color=never -DskipTests -pl quickstart -am package
  else
    mvn -B -q -Dstyle.color=never -DskipTests -pl quickstart -am package 2>&1 | sed 's/\x1b\[[0-9;]*[A-Za-z]//g'
  fi
fi
[ -f quickstart/target/launcher.classpath ] || { echo "quickstart is not built: run without --skip-build" >&2; exit 1; }

exec java -Xmx512m -Dlog4j2.configurationFile=classpath:quickstart-log4j2.xml \
  -Dquickstart.log.file="$root/quickstart/target/launcher.log" -cp "quickstart/target/classes:$(cat quickstart/target/launcher.classpath)" \
  io.crmconnect.quickstart.Quickstart --repo "$root" ${args[@]+"${args[@]}"}
