# lambdagate — every entry point a user or CI needs. Maven does the work; this file names it.
MVN ?= mvn -B -ntp

.PHONY: build test fuzz bench bench-control-plane clean run

## run: the whole path without a cluster (see README, "Quick start");
## more options of 'run' in RUN_ARGS, e.g. make run RUN_ARGS="--listener-port 18080"
MANIFESTS ?= examples/secret
RUN_ARGS ?=
run: build
	java -XX:-DontCompileHugeMethods -jar test-harness/target/lambdagate-harness.jar run --manifests $(MANIFESTS) $(RUN_ARGS)

## build: wasm-filter/target/lambdagate.wasm and test-harness/target/lambdagate-harness.jar
build:
	$(MVN) package -DskipTests

## test: every test of every module (what CI runs): the fuzz targets replay their committed
## inputs as regression tests, then each is fuzzed briefly (TEST_FUZZ_SECONDS each; 2-5 minutes
## in all, most of it JVM start-ups: 307 s measured on a 2-core machine under heavy load)
TEST_FUZZ_SECONDS ?= 4
test:
	$(MVN) verify
	MVN="$(MVN)" FUZZ_SECONDS=$(TEST_FUZZ_SECONDS) fuzz/run.sh

## fuzz: Jazzer on every parser (JSON, configuration, Lambda results, STS XML, URI and query
## encoding, request files), FUZZ_SECONDS each (default 300: ~65 minutes); findings in
## target/fuzz/findings/. Options: see fuzz/run.sh.
FUZZ_SECONDS ?= 300
fuzz:
	MVN="$(MVN)" FUZZ_SECONDS=$(FUZZ_SECONDS) fuzz/run.sh

## bench: every benchmark: the filter (V8, HotSpot JMH, Chicory JMH) -> docs/benchmarks.md, then
## the control plane -> docs/benchmarks-control-plane.md. Not part of test; ~20 minutes on 2 idle
## cores. Options: see bench/run.sh and bench/control-plane.sh.
bench:
	MVN="$(MVN)" bench/run.sh
	bench/control-plane.sh $(BENCH_ARGS)

## bench-control-plane: control-plane benchmark, 100/1,000/10,000 routes (docs/benchmarks-control-plane.md); not part of test
bench-control-plane:
	bench/control-plane.sh $(BENCH_ARGS)

clean:
	$(MVN) clean
