package dev.lambdagate.bench.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lambdagate.harness.host.FilterOutcome;
import dev.lambdagate.harness.host.FilterStream;
import dev.lambdagate.harness.host.FilterVm;
import dev.lambdagate.harness.host.FilterVmOptions;
import dev.lambdagate.harness.host.HttpMessage;
import dev.lambdagate.harness.host.WasmFilter;
import io.roastedroot.proxywasm.LogLevel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The whole filter per request in proxy-wasm-java-host, Chicory compiled mode (what the embedded
 * data plane runs): the same module, configuration and request file as the V8 figure of {@code
 * bench.mjs}. System properties: {@code lambdagate.wasm}, {@code lambdagate.bench.config}, {@code
 * lambdagate.bench.request} (paths).
 *
 * <p>Run in a JVM with default flags. Chicory turns each Wasm function into a JVM method, and the
 * module's large functions become methods over HotSpot's 8000-byte limit, which HotSpot then never
 * JIT-compiles ({@code DontCompileHugeMethods}); {@link ChicoryFilterHugeMethodsBenchmark} runs the
 * same with that limit lifted.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class ChicoryFilterBenchmark {
  // Not final: ChicoryFilterHugeMethodsBenchmark only changes the JVM flags.
  private FilterVm vm;
  private HttpMessage request;
  private HttpMessage response;

  @Setup
  public void start() throws Exception {
    Path wasm = Path.of(System.getProperty("lambdagate.wasm", "wasm-filter/target/lambdagate.wasm"));
    String config = Files.readString(Path.of(
        System.getProperty("lambdagate.bench.config", "bench/fixtures/lambda-envoy.config.json")));
    JsonNode json = new ObjectMapper().readTree(Files.readString(Path.of(System.getProperty(
        "lambdagate.bench.request", "bench/fixtures/lambda-envoy-1k.request.json"))));
    request = message(json);
    response = message(json.path("response"));
    vm = FilterVm.start(WasmFilter.load(wasm),
        FilterVmOptions.of(config).withLog((level, line) -> { }, LogLevel.INFO));
    FilterOutcome outcome = once();
    if (outcome.localReply() || outcome.status() != 200) {
      throw new IllegalStateException("the benchmark request does not pass through the filter: "
          + outcome);
    }
  }

  @TearDown
  public void stop() {
    vm.close();
  }

  /** One request: headers and body in, upstream Invoke result back through the response path. */
  @Benchmark
  public FilterOutcome request() {
    return once();
  }

  private FilterOutcome once() {
    try (FilterStream stream = vm.openStream(Map.of())) {
      FilterOutcome forwarded = stream.request(request);
      if (forwarded.localReply()) {
        return forwarded;
      }
      return stream.response(response);
    }
  }

  private static HttpMessage message(JsonNode node) {
    List<String[]> headers = new ArrayList<>();
    for (JsonNode pair : node.path("headers")) {
      headers.add(new String[] {pair.get(0).asText(), pair.get(1).asText()});
    }
    return new HttpMessage(headers, Base64.getDecoder().decode(node.path("body").asText("")));
  }
}
