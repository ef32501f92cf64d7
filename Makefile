# lambdagate — every entry point a user or CI needs. Maven does the work; this file names it.
MVN ?= mvn -B -ntp

.PHONY: build test clean bench-control-plane

## build: wasm-filter/target/lambdagate.wasm and test-harness/target/lambdagate-harness.jar
build:
	$(MVN) package -DskipTests

## test: every test of every module (what CI runs)
test:
	$(MVN) verify

## bench-control-plane: control-plane benchmark, 100/1,000/10,000 routes (docs/benchmarks-control-plane.md); not part of test
bench-control-plane:
	bench/control-plane.sh $(BENCH_ARGS)

clean:
	$(MVN) clean
