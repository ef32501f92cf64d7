package dev.lambdagate.controlplane.bench;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.lambdagate.controlplane.xds.GatewayNodeGroup;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The benchmark's stand-in Envoy on one ADS stream (state of the world or delta): it records every
 * response it gets (type, version, bytes, arrival time) and ACKs it.
 *
 * <p>Thread-safety: responses are recorded from gRPC's thread into a concurrent list; {@link
 * #clear} and {@link #received} may be called from any thread.
 */
abstract class BenchAdsClient implements AutoCloseable {
  /** One response: its type URL, version, resources' serialized bytes, wire bytes, arrival. */
  record Received(String typeUrl, String version, long resourceBytes, long wireBytes, long at) {}

  final List<Received> received = new CopyOnWriteArrayList<>();
  volatile boolean closing;

  static Node node(String group) {
    return Node.newBuilder()
        .setId("bench-envoy")
        .setCluster("lambdagate")
        .setMetadata(
            Struct.newBuilder()
                .putFields(
                    GatewayNodeGroup.METADATA_KEY,
                    Value.newBuilder().setStringValue(group).build()))
        .build();
  }

  /** Subscribes to CDS, LDS (wildcard) and RDS ({@code routeName}). */
  abstract void subscribe(String routeName);

  /** Forgets what was received so far. */
  void clear() {
    received.clear();
  }

  /** The first response of {@code typeUrl} with {@code version}, or null. */
  Received find(String typeUrl, String version) {
    for (Received r : received) {
      if (r.typeUrl().equals(typeUrl) && r.version().equals(version)) {
        return r;
      }
    }
    return null;
  }

  /** Sum of the resources' serialized bytes received for {@code typeUrl}. */
  long resourceBytes(String typeUrl) {
    long n = 0;
    for (Received r : received) {
      if (r.typeUrl().equals(typeUrl)) {
        n += r.resourceBytes();
      }
    }
    return n;
  }

  @Override
  public void close() {
    closing = true;
  }
}
