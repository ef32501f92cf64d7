package dev.lambdagate.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.teavm.tooling.ConsoleTeaVMToolLog;
import org.teavm.tooling.TeaVMTool;

/**
 * The heap grows to the memory budget: a probe module built with exactly the filter's TeaVM
 * settings (patched GC, {@link WasmModuleBuild#MAX_HEAP_BYTES}) keeps arrays of every size residue
 * live until all but 24 MiB of the ceiling is used, in V8 ({@code node --no-liftoff}). (Measured by
 * hand with this probe: 120 of the 128 MiB fit.)
 */
class HeapBudgetTest {
  /** Left for TeaVM's own structures and the collector's working room. */
  static final int HEADROOM_MIB = 24;

  @Test
  void liveArraysUpToTheBudgetFitInTheHeap() throws Exception {
    assumeTrue(nodeAvailable(), "node is not on PATH: this test runs the probe in V8");
    File output = Paths.get("target", "heap-probe", "heap-probe.wasm").toAbsolutePath().toFile();
    Files.createDirectories(output.getParentFile().toPath());
    TeaVMTool tool =
        WasmModuleBuild.configuredTool(output, "SIMPLE", HeapBudgetProbe.class.getName());
    tool.setLog(new ConsoleTeaVMToolLog(false));
    tool.generate();
    assertThat(tool.getProblemProvider().getSevereProblems()).isEmpty();
    assertThat(output).isFile();

    long targetMib = WasmModuleBuild.MAX_HEAP_BYTES / (1024 * 1024) - HEADROOM_MIB;
    Path script = output.toPath().resolveSibling("run-probe.mjs");
    Files.writeString(
        script,
        String.join(
            "\n",
            "import { readFileSync } from 'node:fs';",
            "import { WASI } from 'node:wasi';",
            "const wasi = new WASI({ version: 'preview1', args: ['probe', process.argv[3]],"
                + " env: {}, returnOnExit: true });",
            "const module = await WebAssembly.compile(readFileSync(process.argv[2]));",
            "const instance = await WebAssembly.instantiate(module, wasi.getImportObject());",
            "process.exitCode = wasi.start(instance);",
            ""));
    Process node =
        new ProcessBuilder(
                "node",
                "--no-liftoff",
                "--no-warnings",
                script.toString(),
                output.toString(),
                Long.toString(targetMib))
            .redirectErrorStream(true)
            .start();
    String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(node.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(node.exitValue()).as(out).isZero();
    long allocated = Long.parseLong(out.trim().replaceAll("(?s).*allocated (\\d+).*", "$1"));
    assertThat(allocated).isGreaterThanOrEqualTo(targetMib * 1024 * 1024);
  }

  static boolean nodeAvailable() {
    try {
      Process probe = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      probe.getInputStream().readAllBytes();
      return probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0;
    } catch (Exception e) {
      return false;
    }
  }
}
