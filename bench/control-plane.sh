#!/bin/sh
# Control-plane benchmark (docs/benchmarks-control-plane.md): one JVM per size.
#   bench/control-plane.sh                 # 100, 1000, 10000 routes
#   bench/control-plane.sh 1000 --changes 50
#   PROFILE=1 bench/control-plane.sh 10000 # also writes a JFR recording per size
# Extra arguments after the sizes go to ControlPlaneBench (--repeats, --warmup, --changes,
# --delta-changes, --coalesce-ms, --pause-ms). MVN defaults to offline, quiet Maven.
set -eu
cd "$(dirname "$0")/.."
MVN=${MVN:-mvn -o -q}
JAVA_OPTS=${JAVA_OPTS:--Xmx2g -XX:+UseG1GC}
sizes=""
while [ $# -gt 0 ]; do
  case "$1" in
    [0-9]*) sizes="$sizes $1"; shift ;;
    *) break ;;
  esac
done
[ -n "$sizes" ] || sizes="100 1000 10000"
cp_file=control-plane/target/bench.classpath
# One invocation: the reactor resolves lambdagate-core to core/target/classes only when the
# build-classpath goal runs after test-compile in the same build (every module writes the file;
# control-plane comes last).
$MVN -pl control-plane -am -Dexec.skip=true test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/$cp_file" >/dev/null
cp="control-plane/target/test-classes:control-plane/target/classes:$(cat $cp_file)"
echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(nproc) cores, load: $(cut -d' ' -f1-3 /proc/loadavg)"
java -version 2>&1 | head -1
log=control-plane/target/bench.log
: > "$log"
for n in $sizes; do
  prof=""
  if [ "${PROFILE:-0}" = 1 ]; then
    prof="-XX:StartFlightRecording=filename=control-plane/target/bench-$n.jfr,settings=profile"
  fi
  java $JAVA_OPTS $prof -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -cp "$cp" dev.lambdagate.controlplane.bench.ControlPlaneBench "$n" "$@" | tee -a "$log"
  echo "# load after $n: $(cut -d' ' -f1-3 /proc/loadavg)"
done
echo
echo "| routes | cold start to first full push ms | cold first translation ms | warm full translation ms, median (min–max) | LDS bytes | RDS bytes | CDS bytes | filter JSON bytes | heap MiB |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
sed -n 's/^S| /| /p' "$log"
echo
echo "| routes | change | n | processing ms (model / translate / publish / status) | delivery→response sent ms, delta | change→ACK ms, median (min–max) | change→ACK ms, delta | of which the mock API server's write ms, delta | SotW bytes pushed: LDS + RDS + CDS | delta bytes pushed: LDS + RDS + CDS |"
echo "|---:|---|---:|---|---:|---|---|---:|---|---|"
sed -n 's/^C| /| /p' "$log"
