#!/usr/bin/env bash
# make bench: builds what the benchmarks need, runs them, writes docs/benchmarks.md.
#
#   bench/run.sh                 # everything (about 10 minutes on 2 idle cores)
#   BENCH_REQUESTS=100000 bench/run.sh   # fewer filter requests in V8 (default 1,000,000)
#   BENCH_SKIP_BUILD=1 bench/run.sh      # reuse the modules and jars already built
#   BENCH_JMH_ARGS='-f 1 -wi 1 -i 2' bench/run.sh   # extra JMH options (e.g. a quick pass)
#   BENCH_MODE_REQUESTS=20000 bench/run.sh   # requests per mode in the per-mode table (default 100,000)
#   BENCH_V8_ONLY=1 bench/run.sh         # the V8 part only (builds only the modules, no JMH): for iterating
#
# Results land in bench/results/ (raw JSON, not committed) and docs/benchmarks.md (committed).
# Steps: Maven (-Pbench) builds lambdagate.wasm, lambdagate-bench.wasm (the same filter plus
# benchmark exports), the JMH jar; Node (--no-liftoff, as Envoy's V8) runs bench-kernels.mjs and
# bench.mjs; JMH runs the same kernels on HotSpot and the whole filter in Chicory; report.mjs
# writes the document. To add a benchmark: a JMH class in bench/src/main/java (package
# dev.lambdagate.bench.controlplane for the "Control plane" section) is picked up by this script.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
MVN=${MVN:-mvn -B -ntp}
OUT=$ROOT/bench/results
NODE=${NODE:-node}
REQUESTS=${BENCH_REQUESTS:-1000000}
WASM=$ROOT/wasm-filter/target/lambdagate.wasm
BENCH_WASM=$ROOT/wasm-filter/target/lambdagate-bench.wasm
CONFIG=$ROOT/bench/fixtures/lambda-envoy.config.json
REQUEST=$ROOT/bench/fixtures/lambda-envoy-1k.request.json
NODE_DIR=$ROOT/test-harness/src/main/node
mkdir -p "$OUT"

if [ -z "${BENCH_SKIP_BUILD:-}" ]; then
  echo "== build (mvn -Pbench package)"
  if [ -n "${BENCH_V8_ONLY:-}" ]; then
    $MVN -Pbench -pl wasm-filter -am package -DskipTests
  else
    $MVN -Pbench -pl wasm-filter,test-harness,bench -am package -DskipTests
  fi
fi

date -u +%Y-%m-%dT%H:%M:%SZ > "$OUT/started"
cat /proc/loadavg > "$OUT/loadavg-start"

echo "== V8: SHA-256 and signing inside the module"
"$NODE" --no-liftoff "$NODE_DIR/bench-kernels.mjs" --wasm "$BENCH_WASM" --config "$CONFIG" \
  > "$OUT/v8-kernels.json"

# Every filter run: the no-op module alternates with the filter in the same host (own cost =
# difference of the two), and the benchmark build counts the bytes allocated per request.
echo "== V8: the whole filter, $REQUESTS requests (latency, own cost, allocation, linear memory)"
"$NODE" --no-liftoff "$NODE_DIR/bench.mjs" --wasm "$WASM" --config "$CONFIG" --request "$REQUEST" \
  --iterations "$REQUESTS" --warmup 5000 --allow-on-headers-stop-iteration \
  --baseline noop --alloc-wasm "$BENCH_WASM" \
  > "$OUT/v8-filter.json"

MODE_REQUESTS=${BENCH_MODE_REQUESTS:-100000}
echo "== V8: sign mode and each payload transform mode, $MODE_REQUESTS requests each"
for mode in sign lambda-none lambda-envoy lambda-apigatewayv1 lambda-apigatewayv2; do
  "$NODE" --no-liftoff "$NODE_DIR/bench.mjs" --wasm "$WASM" --config "$ROOT/bench/fixtures/$mode.config.json" \
    --request "$REQUEST" --iterations "$MODE_REQUESTS" --warmup 5000 --allow-on-headers-stop-iteration \
    --baseline noop --alloc-wasm "$BENCH_WASM" \
    > "$OUT/v8-mode-$mode.json"
done
echo "== V8: sign mode, 1 MiB request body (read from the host and hashed), 500 requests"
"$NODE" --no-liftoff "$NODE_DIR/bench.mjs" --wasm "$WASM" --config "$ROOT/bench/fixtures/sign.config.json" \
  --request "$REQUEST" --body-bytes 1048576 --iterations 500 --warmup 50 --allow-on-headers-stop-iteration \
  --baseline noop > "$OUT/v8-body-1mib.json"

echo "== V8: CPU profile of the whole filter (100,000 requests; benchmark module, names kept)"
rm -rf "$OUT/cpuprofile" && mkdir -p "$OUT/cpuprofile"
"$NODE" --no-liftoff --cpu-prof --cpu-prof-dir="$OUT/cpuprofile" "$NODE_DIR/bench.mjs" \
  --wasm "$BENCH_WASM" --config "$CONFIG" --request "$REQUEST" --iterations 100000 --warmup 5000 \
  --allow-on-headers-stop-iteration > /dev/null

if [ -z "${BENCH_V8_ONLY:-}" ]; then
echo "== JMH: HotSpot kernels, Chicory whole filter"
# shellcheck disable=SC2086
java -jar "$ROOT/bench/target/benchmarks.jar" -rf json -rff "$OUT/jmh.json" \
  -jvmArgsPrepend "-Dlambdagate.wasm=$WASM -Dlambdagate.bench.config=$CONFIG -Dlambdagate.bench.request=$REQUEST" \
  ${BENCH_JMH_ARGS:-} | tee "$OUT/jmh.log" | grep -E '^(Benchmark|[A-Z][A-Za-z]+Benchmark)' || true
fi

cat /proc/loadavg > "$OUT/loadavg-end"
echo "== report"
"$NODE" "$ROOT/bench/report.mjs" --results "$OUT" --wasm "$WASM" --out "$ROOT/docs/benchmarks.md"
echo "wrote docs/benchmarks.md"
