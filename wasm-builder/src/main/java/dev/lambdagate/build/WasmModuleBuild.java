package dev.lambdagate.build;

import java.io.File;
import java.nio.file.Files;
import org.teavm.diagnostics.Problem;
import org.teavm.diagnostics.ProblemSeverity;
import org.teavm.tooling.ConsoleTeaVMToolLog;
import org.teavm.tooling.TeaVMProblemRenderer;
import org.teavm.tooling.TeaVMTargetType;
import org.teavm.tooling.TeaVMTool;
import org.teavm.vm.TeaVMOptimizationLevel;

/**
 * Compiles the filter's classes to {@code lambdagate.wasm} with TeaVM's WASI target.
 *
 * <p>TeaVM 0.13.1 (the newest release with a WASI target) has no published Maven plugin, so
 * wasm-filter's build runs this class with {@code exec-maven-plugin} in {@code process-classes}:
 * right after the filter is compiled, before the tests that load the module. TeaVM reads the
 * filter's classes (and core's) from the classpath this class runs on; nothing of this module
 * reaches the Wasm module.
 *
 * <p>Arguments: output file, optimisation level ({@code SIMPLE}, {@code ADVANCED}, {@code FULL}),
 * and optionally the entry class (default: the filter; the benchmark build names its own, which
 * adds benchmark exports to the same code). The module's data segment is then packed by {@link
 * WasmDataPacker}.
 */
public final class WasmModuleBuild {
  /** The class whose {@code main} TeaVM starts from; it reaches every exported function. */
  static final String ENTRY_CLASS = "dev.lambdagate.filter.FilterModule";

  /** The heap a fresh VM starts with. */
  static final int MIN_HEAP_BYTES = 4 * 1024 * 1024;

  /** The heap's ceiling: the per-VM budget of wasm-filter/README.md ("Memory budget"). */
  static final int MAX_HEAP_BYTES = 128 * 1024 * 1024;

  private WasmModuleBuild() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2 && args.length != 3) {
      System.err.println("usage: WasmModuleBuild OUTPUT.wasm SIMPLE|ADVANCED|FULL [ENTRY_CLASS]");
      System.exit(2);
    }
    File output = new File(args[0]).getAbsoluteFile();
    TeaVMTool tool = configuredTool(output, args[1], args.length == 3 ? args[2] : ENTRY_CLASS);
    tool.setLog(new ConsoleTeaVMToolLog(false));
    long started = System.nanoTime();
    tool.generate();
    TeaVMProblemRenderer.describeProblems(
        tool.getDependencyInfo().getCallGraph(), tool.getProblemProvider(), tool.getLog());
    boolean severe = false;
    for (Problem problem : tool.getProblemProvider().getProblems()) {
      severe |= problem.getSeverity() == ProblemSeverity.ERROR;
    }
    if (severe || !output.isFile()) {
      System.err.println("lambdagate: TeaVM could not compile the filter (errors above)");
      System.exit(1);
    }
    long teavmBytes = output.length();
    byte[] packed = WasmDataPacker.pack(Files.readAllBytes(output.toPath()));
    Files.write(output.toPath(), packed);
    System.out.printf(
        "lambdagate: wrote %s (%d bytes; %d before dropping zero runs from the data"
            + " segment) in %d ms%n",
        output, output.length(), teavmBytes, (System.nanoTime() - started) / 1_000_000);
  }

  /**
   * TeaVM set up as the filter is built: WASI target, the patched GC, the memory budget's heap
   * limits. Also used by tests that build a probe module with the same runtime.
   */
  static TeaVMTool configuredTool(File output, String optimization, String entryClass)
      throws java.io.IOException {
    TeaVMTool tool = new TeaVMTool();
    tool.setTargetType(TeaVMTargetType.WEBASSEMBLY_WASI);
    tool.setMainClass(entryClass);
    tool.setTargetDirectory(output.getParentFile());
    tool.setTargetFileName(output.getName());
    // TeaVM compiles its own runtime from bytecode too: its heap-growth bug is patched there.
    tool.setClassLoader(
        GcHeapGrowthPatch.classLoader(
            WasmModuleBuild.class.getClassLoader(),
            output.getParentFile().toPath().resolve("teavm-patched-classes")));
    tool.setOptimizationLevel(TeaVMOptimizationLevel.valueOf(optimization));
    // The benchmark build keeps function names (-Dlambdagate.wasm.names=true) so that a V8 CPU
    // profile names the Java methods; names change nothing else in the code.
    tool.setObfuscated(!Boolean.getBoolean("lambdagate.wasm.names"));
    // The Wasm exception-handling proposal instead of TeaVM's exception flag tested after every
    // call (-Dlambdagate.wasm.exceptions=true): measured in docs/benchmarks.md, off by default
    // until Envoy's V8 is known to run it.
    tool.setWasmExceptionsUsed(Boolean.getBoolean("lambdagate.wasm.exceptions"));
    tool.setDebugInformationGenerated(false);
    tool.setIncremental(false);
    // The per-VM memory budget (wasm-filter/README.md, "Memory budget"): the heap starts small
    // and grows, as traffic needs, up to MAX_HEAP_BYTES and no further.
    tool.setMinHeapSize(MIN_HEAP_BYTES);
    tool.setMaxHeapSize(MAX_HEAP_BYTES);
    return tool;
  }
}
