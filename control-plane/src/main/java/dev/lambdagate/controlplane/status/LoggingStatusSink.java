package dev.lambdagate.controlplane.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lambdagate.controlplane.state.ResourceKey;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** File mode: status goes to the log, one line per object whose status changed. */
public final class LoggingStatusSink implements StatusSink {
  private static final Logger LOG = LoggerFactory.getLogger(LoggingStatusSink.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Map<ResourceKey, String> last = new HashMap<>();

  /** The status objects last logged: one published again (the same instance) is not rendered. */
  private final Map<ResourceKey, Object> lastValue = new HashMap<>();

  @Override
  public void publish(DesiredStatus status) {
    Map<ResourceKey, Object> all = new java.util.TreeMap<>();
    all.putAll(status.backends());
    all.putAll(status.httpRoutes());
    all.putAll(status.gateways());
    all.putAll(status.gatewayParameters());
    for (Map.Entry<ResourceKey, Object> e : all.entrySet()) {
      if (lastValue.put(e.getKey(), e.getValue()) == e.getValue()) {
        continue;
      }
      String text;
      try {
        text = JSON.writeValueAsString(e.getValue());
      } catch (Exception ex) {
        text = String.valueOf(e.getValue());
      }
      if (!text.equals(last.put(e.getKey(), text))) {
        LOG.info("status {}: {}", e.getKey(), text);
      }
    }
    last.keySet().retainAll(all.keySet());
    lastValue.keySet().retainAll(all.keySet());
  }
}
