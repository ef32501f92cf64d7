package dev.lambdagate.harness.host;

import java.nio.file.Path;
import java.nio.file.Paths;

/** The built {@code lambdagate.wasm}, compiled once per test JVM (compiling takes seconds). */
public final class ModuleUnderTest {
  private static WasmFilter filter;

  private ModuleUnderTest() {}

  public static synchronized WasmFilter filter() throws Exception {
    if (filter == null) {
      filter = WasmFilter.load(path());
    }
    return filter;
  }

  public static Path path() {
    return Paths.get(
        System.getProperty("lambdagate.wasm", "../wasm-filter/target/lambdagate.wasm"));
  }
}
