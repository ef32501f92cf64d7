#!/usr/bin/env bash
# Fuzzes every @FuzzTest target for FUZZ_SECONDS each with Jazzer's stand-alone driver (one JVM
# per target), starting from the committed inputs (src/test/resources/<package>/<Class>Inputs/
# <method>/, which `mvn verify` replays as regression tests) plus what earlier runs found
# (target/fuzz/corpus/, kept between runs).
#
#   make fuzz                   # FUZZ_SECONDS=300 per target (see the README, "Build and test")
#   make fuzz FUZZ_SECONDS=30
#   make test                   # runs this with FUZZ_SECONDS=4 after `mvn verify`
#   FUZZ_ONLY='UriEncoding|Json' fuzz/run.sh   # only the targets whose Class.method matches
#
# A finding is written to target/fuzz/findings/<Class>.<method>-crash-<sha1> (the input as it is:
# copy it into the target's <Class>Inputs/<method>/ directory to make it a regression test),
# the run goes on with the other targets and the script exits 1 at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

MVN=${MVN:-mvn -B -ntp}
FUZZ_SECONDS=${FUZZ_SECONDS:-300}
# An input that takes longer than this (seconds) is a finding: the parsers must not hang.
INPUT_TIMEOUT=${INPUT_TIMEOUT:-10}

# module  class  method
TARGETS="
core dev.lambdagate.json.JsonFuzzTest parseThenWriteRoundTrips
core dev.lambdagate.json.JsonFuzzTest quotedStringsReadBackAsThemselves
core dev.lambdagate.json.JsonFuzzTest parseMembersAgreesWithParse
core dev.lambdagate.config.FilterConfigFuzzTest parseBytes
core dev.lambdagate.config.FilterConfigFuzzTest parseStructured
core dev.lambdagate.lambda.ResponseUnwrapperFuzzTest unwrap
core dev.lambdagate.credentials.StsResponseParserFuzzTest parse
core dev.lambdagate.credentials.StsResponseParserFuzzTest secretNeverInAnError
core dev.lambdagate.sigv4.UriEncodingFuzzTest encodeMatchesTheJdk
core dev.lambdagate.sigv4.UriEncodingFuzzTest canonicalIsSingleEncoded
core dev.lambdagate.lambda.QueryStringFuzzTest anyQueryParses
core dev.lambdagate.lambda.QueryStringFuzzTest jdkEncodedParametersRoundTrip
test-harness dev.lambdagate.harness.host.RawHttpRequestFuzzTest parse
test-harness dev.lambdagate.harness.host.RawHttpRequestFuzzTest writtenRequestsParseBack
"

# test-harness's test classpath holds every library the targets need (Jazzer, AssertJ). Compiling
# with -am in the same reactor run resolves core and the control plane from this checkout, never
# from ~/.m2 (where they may be stale or absent); the Wasm build is not needed here.
$MVN -q test-compile dependency:build-classpath -pl core,test-harness -am -Dexec.skip=true \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/fuzz.classpath
# This worktree's classes first; the lambdagate jars Maven may resolve from ~/.m2 are dropped.
deps=$(tr ':' '\n' < test-harness/target/fuzz.classpath | grep -v '/dev/lambdagate/' | paste -sd: -)
classpath="core/target/test-classes:core/target/classes"
classpath="$classpath:test-harness/target/test-classes:test-harness/target/classes:$deps"

mkdir -p target/fuzz/findings
failed=""
while read -r module class method; do
  [ -z "$module" ] && continue
  simple=${class##*.}
  if [ -n "${FUZZ_ONLY:-}" ] && ! echo "$simple.$method" | grep -Eq "$FUZZ_ONLY"; then
    continue
  fi
  inputs="$module/src/test/resources/$(echo "${class%.*}" | tr . /)/${simple}Inputs/$method"
  corpus="target/fuzz/corpus/$simple/$method"
  mkdir -p "$corpus" "$inputs"
  echo "== fuzzing $simple.$method for ${FUZZ_SECONDS}s"
  log="target/fuzz/$simple.$method.log"
  if java -Xmx768m -XX:+UseSerialGC -cp "$classpath" com.code_intelligence.jazzer.Jazzer \
      --target_class=dev.lambdagate.harness.fuzz.FuzzTestLauncher \
      "--target_args=$class $method" \
      '--instrumentation_includes=dev.lambdagate.**' '--custom_hook_includes=dev.lambdagate.**' \
      "-max_total_time=$FUZZ_SECONDS" "-timeout=$INPUT_TIMEOUT" \
      "-artifact_prefix=target/fuzz/findings/$simple.$method-" \
      "$corpus" "$inputs" > "$log" 2>&1; then
    { grep -E '^Done [0-9]+ runs' "$log" || true; } | sed 's/^/   /'
  else
    echo "   FINDING (log: $log)"
    { grep -E '^(== Java Exception|Caused by|==[0-9]+== ERROR|\s+at dev\.lambdagate)' "$log" \
      || true; } | head -8 | sed 's/^/   /'
    failed="$failed $simple.$method"
  fi
done <<< "$TARGETS"

if [ -n "$failed" ]; then
  echo "fuzzing found problems in:$failed (inputs in target/fuzz/findings/)"
  exit 1
fi
echo "fuzzing found nothing"
