package dev.lambdagate.controlplane;

import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.StringValue;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.http.wasm.v3.Wasm;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.resource_monitors.downstream_connections.v3.DownstreamConnectionsConfig;
import io.envoyproxy.envoy.extensions.resource_monitors.fixed_heap.v3.FixedHeapConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.pgv.ReflectiveValidatorIndex;
import io.envoyproxy.pgv.ValidationException;
import io.envoyproxy.pgv.ValidatorIndex;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Validates a resource with the generated PGV validators, every message inside it, and every
 * message packed in an {@code Any} (PGV stops at {@code Any}): HCM, Wasm, Router,
 * UpstreamTlsContext, DownstreamTlsContext, TlsInspector.
 */
public final class PgvValidation {
  private static final ValidatorIndex INDEX = new ReflectiveValidatorIndex();
  private static final Map<String, Message> TYPES =
      Map.of(
          typeUrl(HttpConnectionManager.getDefaultInstance()),
          HttpConnectionManager.getDefaultInstance(),
          typeUrl(Wasm.getDefaultInstance()),
          Wasm.getDefaultInstance(),
          typeUrl(Router.getDefaultInstance()),
          Router.getDefaultInstance(),
          typeUrl(UpstreamTlsContext.getDefaultInstance()),
          UpstreamTlsContext.getDefaultInstance(),
          typeUrl(DownstreamTlsContext.getDefaultInstance()),
          DownstreamTlsContext.getDefaultInstance(),
          typeUrl(TlsInspector.getDefaultInstance()),
          TlsInspector.getDefaultInstance(),
          typeUrl(StringValue.getDefaultInstance()),
          StringValue.getDefaultInstance(),
          typeUrl(FixedHeapConfig.getDefaultInstance()),
          FixedHeapConfig.getDefaultInstance(),
          typeUrl(DownstreamConnectionsConfig.getDefaultInstance()),
          DownstreamConnectionsConfig.getDefaultInstance());

  private PgvValidation() {}

  private static String typeUrl(Message m) {
    return "type.googleapis.com/" + m.getDescriptorForType().getFullName();
  }

  /** Validates {@code m} and everything packed inside; returns the names of the types checked. */
  public static List<String> validate(Message m) throws ValidationException {
    List<String> checked = new ArrayList<>();
    walk(m, checked);
    return checked;
  }

  private static void walk(Message m, List<String> checked) throws ValidationException {
    if (m instanceof Any any) {
      Message proto = TYPES.get(any.getTypeUrl());
      if (proto == null) {
        throw new AssertionError("no type registered for " + any.getTypeUrl());
      }
      try {
        walk(proto.getParserForType().parseFrom(any.getValue()), checked);
      } catch (InvalidProtocolBufferException e) {
        throw new AssertionError(e);
      }
      return;
    }
    INDEX.validatorFor(m.getClass()).assertValid(m);
    checked.add(m.getDescriptorForType().getFullName());
    for (Map.Entry<FieldDescriptor, Object> e : m.getAllFields().entrySet()) {
      if (e.getKey().getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
        continue;
      }
      if (e.getKey().isRepeated()) {
        for (Object o : (List<?>) e.getValue()) {
          walkChild((Message) o, checked);
        }
      } else {
        walkChild((Message) e.getValue(), checked);
      }
    }
  }

  /**
   * Every nested message is validated on its own too: PGV generates nothing for a file without
   * rules (envoy/extensions/wasm/v3/wasm.proto, .../filters/http/wasm/v3/wasm.proto), and a message
   * without a validator does not check the messages inside it.
   */
  private static void walkChild(Message m, List<String> checked) throws ValidationException {
    walk(m, checked);
  }
}
