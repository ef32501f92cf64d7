package dev.lambdagate.harness.host;

import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * {@code lambdagate.wasm}, parsed and compiled to JVM bytecode once (Chicory's compiled mode: its
 * interpreter is two orders of magnitude too slow for traffic). Immutable; any number of {@link
 * FilterVm}s may be started from one instance, on any threads.
 */
public final class WasmFilter {
  private final Path path;
  private final WasmModule module;
  private final Function<Instance, Machine> machineFactory;

  private WasmFilter(Path path, WasmModule module, Function<Instance, Machine> machineFactory) {
    this.path = path;
    this.module = module;
    this.machineFactory = machineFactory;
  }

  /** Loads and compiles a module; the error names the file when it is missing or invalid. */
  public static WasmFilter load(Path wasm) throws IOException {
    if (!Files.isRegularFile(wasm)) {
      throw new IOException(wasm + ": no such file (build it with 'make build')");
    }
    WasmModule module;
    try {
      module = Parser.parse(Files.readAllBytes(wasm));
    } catch (RuntimeException e) {
      throw new IOException(wasm + ": not a valid WebAssembly module: " + e.getMessage(), e);
    }
    return new WasmFilter(wasm, module, MachineFactoryCompiler.compile(module));
  }

  public Path path() {
    return path;
  }

  WasmModule module() {
    return module;
  }

  Function<Instance, Machine> machineFactory() {
    return machineFactory;
  }
}
