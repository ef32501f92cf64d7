package dev.lambdagate.module;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The import gate: Envoy refuses a module that imports anything it does not register, and some
 * innocent JDK calls make TeaVM add such imports. Reading the built module is the only reliable
 * guard, so this test fails on any import outside Envoy's list for ABI 0.2.1.
 */
class ImportGateTest {
  /** The {@code env} host functions of proxy-wasm ABI 0.2.1 that Envoy registers. */
  static final Set<String> ENVOY_PROXY_FUNCTIONS =
      Set.of(
          "proxy_log",
          "proxy_get_log_level",
          "proxy_set_tick_period_milliseconds",
          "proxy_get_current_time_nanoseconds",
          "proxy_get_status",
          "proxy_get_property",
          "proxy_set_property",
          "proxy_continue_request",
          "proxy_continue_response",
          "proxy_continue_stream",
          "proxy_close_stream",
          "proxy_send_local_response",
          "proxy_clear_route_cache",
          "proxy_get_shared_data",
          "proxy_set_shared_data",
          "proxy_register_shared_queue",
          "proxy_resolve_shared_queue",
          "proxy_dequeue_shared_queue",
          "proxy_enqueue_shared_queue",
          "proxy_get_header_map_value",
          "proxy_add_header_map_value",
          "proxy_replace_header_map_value",
          "proxy_remove_header_map_value",
          "proxy_get_header_map_pairs",
          "proxy_set_header_map_pairs",
          "proxy_get_header_map_size",
          "proxy_get_buffer_status",
          "proxy_get_buffer_bytes",
          "proxy_set_buffer_bytes",
          "proxy_http_call",
          "proxy_grpc_call",
          "proxy_grpc_stream",
          "proxy_grpc_send",
          "proxy_grpc_cancel",
          "proxy_grpc_close",
          "proxy_define_metric",
          "proxy_increment_metric",
          "proxy_record_metric",
          "proxy_get_metric",
          "proxy_set_effective_context",
          "proxy_done",
          "proxy_call_foreign_function");

  /** The WASI subset Envoy registers. */
  static final Set<String> ENVOY_WASI_FUNCTIONS =
      Set.of(
          "fd_write",
          "proc_exit",
          "clock_time_get",
          "random_get",
          "environ_get",
          "environ_sizes_get",
          "args_get",
          "args_sizes_get",
          "fd_close",
          "fd_seek",
          "fd_fdstat_get",
          "sched_yield",
          "poll_oneoff");

  static WasmModuleSections module;

  @BeforeAll
  static void readModule() throws Exception {
    module = WasmModuleSections.read(builtModule());
  }

  static Path builtModule() {
    Path wasm = Paths.get(System.getProperty("lambdagate.wasm", "target/lambdagate.wasm"));
    assertThat(Files.isRegularFile(wasm))
        .as("%s must exist: the build compiles it before the tests run", wasm)
        .isTrue();
    return wasm;
  }

  @Test
  void everyImportIsOneEnvoyRegisters() {
    List<String> rejected =
        module.imports.stream()
            .filter(
                i ->
                    !(i.kind() == 0
                        && ("env".equals(i.module()) && ENVOY_PROXY_FUNCTIONS.contains(i.name())
                            || "wasi_snapshot_preview1".equals(i.module())
                                && ENVOY_WASI_FUNCTIONS.contains(i.name()))))
            .map(Object::toString)
            .collect(Collectors.toList());
    assertThat(rejected).as("imports Envoy would reject with 'missing import'").isEmpty();
    assertThat(module.imports)
        .as("the filter logs through the host")
        .anyMatch(i -> i.name().equals("proxy_log"));
  }

  /**
   * The filter's metrics use exactly the three metric calls Envoy registers (their Wasm types are
   * checked against Envoy's by the Node host, which refuses a mismatch as V8 in Envoy would).
   */
  @Test
  void metricsUseTheMetricCallsEnvoyRegisters() {
    List<String> metricImports =
        module.imports.stream()
            .filter(i -> "env".equals(i.module()) && i.name().endsWith("_metric"))
            .map(WasmModuleSections.Entry::name)
            .sorted()
            .collect(Collectors.toList());
    assertThat(metricImports)
        .containsExactly("proxy_define_metric", "proxy_increment_metric", "proxy_record_metric");
    assertThat(ENVOY_PROXY_FUNCTIONS).containsAll(metricImports);
  }

  @Test
  void memoryIsExportedNotImported() {
    assertThat(module.imports).noneMatch(i -> i.kind() == 2);
    assertThat(module.exports).anyMatch(e -> e.name().equals("memory") && e.kind() == 2);
  }

  @Test
  void exportsWhatEnvoyNeeds() {
    Set<String> functions =
        module.exports.stream()
            .filter(e -> e.kind() == 0)
            .map(WasmModuleSections.Entry::name)
            .collect(Collectors.toSet());
    assertThat(functions)
        .contains(
            "proxy_abi_version_0_2_1",
            "proxy_on_memory_allocate",
            "_initialize",
            "proxy_on_context_create",
            "proxy_on_vm_start",
            "proxy_on_configure",
            "proxy_on_request_headers",
            "proxy_on_request_body",
            "proxy_on_response_headers",
            "proxy_on_response_body",
            "proxy_on_http_call_response",
            "proxy_on_done",
            "proxy_on_delete");
  }

  @Test
  void benchmarkExportsStayInTheBenchmarkBuild() {
    assertThat(module.exports).noneMatch(e -> e.name().startsWith("lambdagate_bench_"));
  }
}
