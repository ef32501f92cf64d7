package dev.lambdagate.build;

import java.io.File;
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
 * the build runs this class with {@code exec-maven-plugin} in {@code process-test-classes}: after
 * the filter and this launcher are compiled, before the tests that load the module. It lives in
 * the test sources only because that is the one classpath holding both the filter classes and
 * the TeaVM compiler; nothing here reaches the module.
 *
 * <p>Arguments: output file, optimisation level ({@code SIMPLE}, {@code ADVANCED}, {@code FULL}).
 */
public final class WasmModuleBuild {
  /** The class whose {@code main} TeaVM starts from; it reaches every exported function. */
  static final String ENTRY_CLASS = "dev.lambdagate.filter.FilterModule";

  private WasmModuleBuild() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: WasmModuleBuild OUTPUT.wasm SIMPLE|ADVANCED|FULL");
      System.exit(2);
    }
    File output = new File(args[0]).getAbsoluteFile();
    TeaVMTool tool = new TeaVMTool();
    tool.setTargetType(TeaVMTargetType.WEBASSEMBLY_WASI);
    tool.setMainClass(ENTRY_CLASS);
    tool.setTargetDirectory(output.getParentFile());
    tool.setTargetFileName(output.getName());
    tool.setClassLoader(WasmModuleBuild.class.getClassLoader());
    tool.setOptimizationLevel(TeaVMOptimizationLevel.valueOf(args[1]));
    tool.setObfuscated(true);
    tool.setDebugInformationGenerated(false);
    tool.setIncremental(false);
    // Lambda payloads reach 6 MB and an event built from one is larger (base64); the heap grows
    // to what the largest request needs and no further.
    tool.setMinHeapSize(4 * 1024 * 1024);
    tool.setMaxHeapSize(256 * 1024 * 1024);
    tool.setLog(new ConsoleTeaVMToolLog(false));
    long started = System.nanoTime();
    tool.generate();
    TeaVMProblemRenderer.describeProblems(tool.getDependencyInfo().getCallGraph(),
        tool.getProblemProvider(), tool.getLog());
    boolean severe = false;
    for (Problem problem : tool.getProblemProvider().getProblems()) {
      severe |= problem.getSeverity() == ProblemSeverity.ERROR;
    }
    if (severe || !output.isFile()) {
      System.err.println("lambdagate: TeaVM could not compile the filter (errors above)");
      System.exit(1);
    }
    System.out.printf("lambdagate: wrote %s (%d bytes) in %d ms%n", output, output.length(),
        (System.nanoTime() - started) / 1_000_000);
  }
}
