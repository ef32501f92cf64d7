# lambdagate — every entry point a user or CI needs. Maven does the work; this file names it.
MVN ?= mvn -B -ntp

.PHONY: build test clean

## build: wasm-filter/target/lambdagate.wasm and test-harness/target/lambdagate-harness.jar
build:
	$(MVN) package -DskipTests

## test: every test of every module (what CI runs)
test:
	$(MVN) verify

clean:
	$(MVN) clean
