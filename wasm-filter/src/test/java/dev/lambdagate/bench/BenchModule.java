package dev.lambdagate.bench;

import dev.lambdagate.filter.FilterModule;
import org.teavm.interop.Export;
import org.teavm.runtime.GC;

/**
 * Entry class of the benchmark module {@code lambdagate-bench.wasm}: the filter exactly as shipped
 * ({@link FilterModule#main}) plus exports that run {@link BenchKernels} in a loop, so a host can
 * time them without a call per operation. Only the benchmark build compiles this class; the
 * production module has none of these exports (checked by the import gate test).
 */
public final class BenchModule {
  private static final BenchKernels KERNELS = new BenchKernels();

  private BenchModule() {}

  public static void main(String[] args) {
    FilterModule.main(args);
  }

  /** Prepares a SHA-256 input of {@code size} bytes. */
  @Export(name = "lambdagate_bench_sha256_prepare")
  public static void sha256Prepare(int size) {
    KERNELS.prepareSha256(size);
  }

  /** Hashes the prepared input {@code iterations} times. */
  @Export(name = "lambdagate_bench_sha256")
  public static int sha256(int iterations) {
    int sink = 0;
    for (int i = 0; i < iterations; i++) {
      sink += KERNELS.sha256();
    }
    return sink;
  }

  /** Signs an empty-body request {@code iterations} times (key cached after the first). */
  @Export(name = "lambdagate_bench_sign")
  public static int sign(int iterations) {
    int sink = 0;
    for (int i = 0; i < iterations; i++) {
      sink += KERNELS.signEmptyBody();
    }
    return sink;
  }

  /**
   * The free bytes of TeaVM's heap: each allocation lowers it by its size, a collection raises it.
   * Read around one request, it gives the bytes the filter allocated for it (bench.mjs
   * --alloc-wasm). Allocates nothing itself.
   */
  @Export(name = "lambdagate_bench_free_bytes")
  public static int freeBytes() {
    return GC.getFreeMemory();
  }
}
