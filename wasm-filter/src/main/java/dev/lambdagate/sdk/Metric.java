package dev.lambdagate.sdk;

import dev.lambdagate.json.Utf8;
import java.util.HashMap;
import java.util.Map;

/**
 * One of the plugin's metrics (a counter or a histogram in the host's stats), defined at the host
 * on first use and then updated by its cached id: one host call per update, no allocation.
 *
 * <p>Envoy keeps metric ids per VM and shows a metric named {@code lambdagate.x} as {@code
 * wasmcustom.lambdagate.x}; defining a name again gives a new id for the same stat, so every name
 * is defined once per VM: {@link #counter}/{@link #histogram} return the VM's one instance for a
 * name. A host that refuses the definition (one without metrics) makes the metric a no-op, and a
 * refused update is ignored: metrics never fail a request.
 *
 * <p>Not thread-safe: a Wasm VM is single-threaded.
 */
public final class Metric {
  private static final int UNDEFINED = 0;
  private static final int DEFINED = 1;
  private static final int UNAVAILABLE = 2;

  /** The VM's metrics by type and name. */
  private static final Map<String, Metric> BY_NAME = new HashMap<>();

  private final int type;
  private final byte[] name;
  private int id;
  private int state = UNDEFINED;

  private Metric(int type, String name) {
    this.type = type;
    this.name = Utf8.encode(name);
  }

  /** The VM's counter of this name; defined at the host when first incremented. */
  public static Metric counter(String name) {
    return named(AbiConstants.METRIC_COUNTER, name);
  }

  /** The VM's histogram of this name; defined at the host when first recorded. */
  public static Metric histogram(String name) {
    return named(AbiConstants.METRIC_HISTOGRAM, name);
  }

  private static Metric named(int type, String name) {
    String key = type + name;
    Metric metric = BY_NAME.get(key);
    if (metric == null) {
      metric = new Metric(type, name);
      BY_NAME.put(key, metric);
    }
    return metric;
  }

  /** Adds {@code offset} to a counter; nothing for {@code offset <= 0} (Envoy refuses those). */
  public void increment(long offset) {
    if (offset > 0 && defined()) {
      Host.incrementMetric(id, offset);
    }
  }

  /** Adds one to a counter. */
  public void increment() {
    increment(1);
  }

  /** Records a sample into a histogram. */
  public void record(long value) {
    if (defined()) {
      Host.recordMetric(id, value);
    }
  }

  private boolean defined() {
    if (state == UNDEFINED) {
      long defined;
      try {
        defined = Host.defineMetric(type, name);
      } catch (RuntimeException e) {
        defined = -1;
      }
      if (defined < 0) {
        state = UNAVAILABLE;
      } else {
        id = (int) defined;
        state = DEFINED;
      }
    }
    return state == DEFINED;
  }
}
