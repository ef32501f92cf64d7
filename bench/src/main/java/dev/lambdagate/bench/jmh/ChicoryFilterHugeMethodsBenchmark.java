package dev.lambdagate.bench.jmh;

import org.openjdk.jmh.annotations.Fork;

/**
 * {@link ChicoryFilterBenchmark} in a JVM started with {@code -XX:-DontCompileHugeMethods}, so
 * HotSpot also JIT-compiles the JVM methods Chicory generates for the module's large functions.
 * The flag an embedded data plane running the filter in Chicory should run with.
 */
@Fork(value = 1, jvmArgsAppend = "-XX:-DontCompileHugeMethods")
public class ChicoryFilterHugeMethodsBenchmark extends ChicoryFilterBenchmark {}
