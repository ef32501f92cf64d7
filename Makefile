# lambdagate — every entry point a user or CI needs. Maven does the work; this file names it.
MVN ?= mvn -B -ntp

.PHONY: build test bench clean run

## run: the whole path without a cluster (see README, "Quick start")
MANIFESTS ?= examples/secret
run: build
	java -XX:-DontCompileHugeMethods -jar test-harness/target/lambdagate-harness.jar run --manifests $(MANIFESTS)

## build: wasm-filter/target/lambdagate.wasm and test-harness/target/lambdagate-harness.jar
build:
	$(MVN) package -DskipTests

## test: every test of every module (what CI runs)
test:
	$(MVN) verify

## bench: build, run every benchmark (V8, HotSpot JMH, Chicory JMH), write docs/benchmarks.md.
## Not part of test; takes about 10 minutes on 2 idle cores. Options: see bench/run.sh.
bench:
	MVN="$(MVN)" bench/run.sh

clean:
	$(MVN) clean
