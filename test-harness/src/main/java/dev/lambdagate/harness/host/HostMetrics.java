package dev.lambdagate.harness.host;

import io.roastedroot.proxywasm.MetricType;
import io.roastedroot.proxywasm.MetricsHandler;
import io.roastedroot.proxywasm.WasmException;
import io.roastedroot.proxywasm.internal.WasmResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The plugin's metrics as Envoy keeps them ({@code proxy_define_metric}, {@code
 * proxy_increment_metric}, {@code proxy_record_metric}, {@code proxy_get_metric}): a counter only
 * grows (an increment of 0 or less is {@code BadArgument}), a gauge moves both ways and is set by
 * record, a histogram only records. One stat per name: pass the same instance to several VMs and
 * their updates add up, as Envoy's stats do across worker threads. Histograms keep a summary
 * (count, sum, min, max), not Envoy's quantiles.
 *
 * <p>Thread-safe: every method is synchronized (VMs of a data plane run on their own threads).
 */
public final class HostMetrics implements MetricsHandler {
  /** Envoy's prefix for stats a Wasm plugin defines ({@code wasmcustom.}). */
  public static final String ENVOY_PREFIX = "wasmcustom.";

  /** A histogram's recorded samples, summarized. */
  public record HistogramSummary(long count, long sum, long min, long max) {}

  private static final class Stat {
    final MetricType type;
    final String name;
    long value;
    long count;
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;

    Stat(MetricType type, String name) {
      this.type = type;
      this.name = name;
    }
  }

  private final Map<String, Integer> idsByKey = new HashMap<>();
  private final List<Stat> stats = new ArrayList<>();

  @Override
  public synchronized int defineMetric(MetricType type, String name) throws WasmException {
    if (type == null || name == null) {
      throw new WasmException(WasmResult.BAD_ARGUMENT);
    }
    String key = type.getValue() + ":" + name;
    Integer id = idsByKey.get(key);
    if (id == null) {
      stats.add(new Stat(type, name));
      id = stats.size(); // ids start at 1
      idsByKey.put(key, id);
    }
    return id;
  }

  @Override
  public synchronized WasmResult incrementMetric(int id, long offset) {
    Stat stat = stat(id);
    if (stat == null) {
      return WasmResult.NOT_FOUND;
    }
    if (stat.type == MetricType.HISTOGRAM || stat.type == MetricType.COUNTER && offset <= 0) {
      return WasmResult.BAD_ARGUMENT;
    }
    stat.value += offset;
    return WasmResult.OK;
  }

  @Override
  public synchronized WasmResult recordMetric(int id, long value) {
    Stat stat = stat(id);
    if (stat == null) {
      return WasmResult.NOT_FOUND;
    }
    if (stat.type == MetricType.COUNTER) {
      stat.value += value;
    } else if (stat.type == MetricType.GAUGE) {
      stat.value = value;
    } else {
      stat.count++;
      stat.value += value;
      stat.min = Math.min(stat.min, value);
      stat.max = Math.max(stat.max, value);
    }
    return WasmResult.OK;
  }

  @Override
  public synchronized long getMetric(int id) throws WasmException {
    Stat stat = stat(id);
    if (stat == null) {
      throw new WasmException(WasmResult.NOT_FOUND);
    }
    if (stat.type == MetricType.HISTOGRAM) {
      throw new WasmException(WasmResult.BAD_ARGUMENT);
    }
    return stat.value;
  }

  @Override
  public synchronized WasmResult removeMetric(int id) {
    return WasmResult.UNIMPLEMENTED; // Envoy's ABI 0.2.1 has no proxy_remove_metric
  }

  /** A counter's or gauge's value by the name the plugin gave it; 0 when never defined. */
  public synchronized long value(String name) {
    for (Stat stat : stats) {
      if (stat.name.equals(name) && stat.type != MetricType.HISTOGRAM) {
        return stat.value;
      }
    }
    return 0;
  }

  /** A histogram's summary by name; all zero when never defined or never recorded. */
  public synchronized HistogramSummary histogram(String name) {
    for (Stat stat : stats) {
      if (stat.name.equals(name) && stat.type == MetricType.HISTOGRAM && stat.count > 0) {
        return new HistogramSummary(stat.count, stat.value, stat.min, stat.max);
      }
    }
    return new HistogramSummary(0, 0, 0, 0);
  }

  /**
   * Every metric as Envoy's admin {@code /stats} prints it, sorted by name: {@code
   * wasmcustom.<name>: <value>} for counters and gauges, {@code wasmcustom.<name>: count=N sum=S
   * min=A max=B} for histograms ({@code count=0} before the first sample).
   */
  public synchronized String envoyText() {
    Map<String, String> lines = new TreeMap<>();
    for (Stat stat : stats) {
      String value =
          stat.type != MetricType.HISTOGRAM
              ? Long.toString(stat.value)
              : stat.count == 0
                  ? "count=0"
                  : "count="
                      + stat.count
                      + " sum="
                      + stat.value
                      + " min="
                      + stat.min
                      + " max="
                      + stat.max;
      lines.put(ENVOY_PREFIX + stat.name, value);
    }
    StringBuilder out = new StringBuilder();
    lines.forEach((name, value) -> out.append(name).append(": ").append(value).append('\n'));
    return out.toString();
  }

  private Stat stat(int id) {
    return id >= 1 && id <= stats.size() ? stats.get(id - 1) : null;
  }
}
