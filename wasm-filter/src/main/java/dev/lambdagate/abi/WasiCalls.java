package dev.lambdagate.abi;

import org.teavm.interop.Import;

/**
 * The WASI functions (module {@code wasi_snapshot_preview1}) the filter calls itself. Envoy
 * registers {@code clock_time_get} with the realtime (0) and monotonic (1) clocks; TeaVM's runtime
 * already imports it, so declaring it here adds no function Envoy lacks (the import gate test
 * checks the built module).
 */
public final class WasiCalls {
  private WasiCalls() {}

  /** WASI's monotonic clock id. */
  public static final int CLOCK_MONOTONIC = 1;

  /** Writes the clock's time in nanoseconds (u64) at {@code timePtr}; returns a WASI errno. */
  @Import(module = "wasi_snapshot_preview1", name = "clock_time_get")
  public static native int clockTimeGet(int clockId, long precision, int timePtr);
}
