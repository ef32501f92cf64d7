package dev.lambdagate.bench.jmh;

import dev.lambdagate.bench.BenchKernels;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The filter's SHA-256 and SigV4 code on HotSpot: {@link BenchKernels}, the same Java the
 * benchmark Wasm module runs in V8 ({@code bench/run.sh} puts the two side by side).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class JvmKernelsBenchmark {

  /** SHA-256 over one input size. */
  @State(Scope.Thread)
  public static class Sha256State {
    @Param({"1024", "65536", "1048576", "6291456"})
    public int size;

    final BenchKernels kernels = new BenchKernels();

    @Setup
    public void prepare() {
      kernels.prepareSha256(size);
    }
  }

  /** Signing, key cached. */
  @State(Scope.Thread)
  public static class SignState {
    final BenchKernels kernels = new BenchKernels();

    @Setup
    public void prepare() {
      kernels.signEmptyBody(); // derives and caches the signing key
    }
  }

  @Benchmark
  public int sha256(Sha256State state) {
    return state.kernels.sha256();
  }

  @Benchmark
  public int signEmptyBody(SignState state) {
    return state.kernels.signEmptyBody();
  }
}
