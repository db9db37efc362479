#!/usr/bin/env bash
# One command per benchmark:  benchmarks/run.sh <name> [args...]
# Builds the benchmark module (and what it needs, including plugin archives) and runs its shaded jar.
# Every benchmark ends with one line: RESULT name=<n> value=<v> unit=<u> ceiling=<c> ratio=<r>
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
name=${1:?usage: benchmarks/run.sh <name> [args...]   (names: $(cd "$root/benchmarks" && ls -d */ | tr -d / | tr '\n' ' '))}
shift
[ -d "$root/benchmarks/$name" ] || { echo "no benchmark named '$name' under benchmarks/" >&2; exit 2; }
cd "$root"
mvn -B -q -Dstyle.color=never -DskipTests -pl "benchmarks/$name" -am install
exec java ${BENCH_JAVA_OPTS:-} -Dcrmconnect.repo.root="$root" -jar "benchmarks/$name/target/benchmark.jar" "$@"
