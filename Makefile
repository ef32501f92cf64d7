# lambdagate — every entry point a user or CI needs. Maven does the work; this file names it.
MVN ?= mvn -B -ntp

.PHONY: build test clean run

## run: the whole path without a cluster (see README, "Quick start")
MANIFESTS ?= examples/secret
run: build
	java -jar test-harness/target/lambdagate-harness.jar run --manifests $(MANIFESTS)

## build: wasm-filter/target/lambdagate.wasm and test-harness/target/lambdagate-harness.jar
build:
	$(MVN) package -DskipTests

## test: every test of every module (what CI runs)
test:
	$(MVN) verify

clean:
	$(MVN) clean
