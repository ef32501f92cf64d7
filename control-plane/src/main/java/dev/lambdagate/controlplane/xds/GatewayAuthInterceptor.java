package dev.lambdagate.controlplane.xds;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.lambdagate.controlplane.tls.GatewayIdentity;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the authenticated Gateway into every discovery request, so that java-control-plane's node
 * grouping ({@link GatewayNodeGroup}) never trusts what a client says about itself.
 *
 * <p>A call is accepted only over TLS with a peer certificate naming a Gateway ({@link
 * GatewayIdentity}; the TLS layer already checked it was issued by the control plane's CA); any
 * other call ends with {@code UNAUTHENTICATED} before a message is read. For each request of an
 * accepted stream the node is: the request's own node, or, when the request has none, the stream's
 * first node (Envoy's {@code set_node_on_first_message_only} sends it only once, and
 * java-control-plane groups every request by its own node); in either case with metadata {@value
 * GatewayNodeGroup#AUTHENTICATED_GATEWAY_KEY} set to the certificate's Gateway, replacing whatever
 * the client sent under that key.
 *
 * <p>Thread-safety: stateless; per-stream state lives in the call's listener, which gRPC calls
 * serially.
 */
public final class GatewayAuthInterceptor implements ServerInterceptor {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayAuthInterceptor.class);

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    String gateway =
        authenticatedGateway(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
    if (gateway == null) {
      LOG.warn(
          "xDS call {} from {} refused: no client certificate of a lambdagate Gateway",
          call.getMethodDescriptor().getFullMethodName(),
          call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
      call.close(
          Status.UNAUTHENTICATED.withDescription(
              "a client certificate issued by the lambdagate control plane to a Gateway is required"),
          new Metadata());
      return new ServerCall.Listener<>() {};
    }
    return new NodeStamping<>(next.startCall(call, headers), gateway);
  }

  /** The Gateway of the TLS peer's certificate, or null. */
  static String authenticatedGateway(SSLSession session) {
    if (session == null) {
      return null;
    }
    Certificate[] peer;
    try {
      peer = session.getPeerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      return null;
    }
    if (peer == null || peer.length == 0 || !(peer[0] instanceof X509Certificate leaf)) {
      return null;
    }
    return GatewayIdentity.of(leaf);
  }

  /** {@code node} with the authenticated Gateway in its metadata. */
  static Node stamp(Node node, String gateway) {
    Struct.Builder metadata =
        node.getMetadata().toBuilder()
            .putFields(
                GatewayNodeGroup.AUTHENTICATED_GATEWAY_KEY,
                Value.newBuilder().setStringValue(gateway).build());
    return node.toBuilder().setMetadata(metadata).build();
  }

  private static final class NodeStamping<ReqT>
      extends ForwardingServerCallListener.SimpleForwardingServerCallListener<ReqT> {
    private final String gateway;
    private Node streamNode;

    NodeStamping(ServerCall.Listener<ReqT> delegate, String gateway) {
      super(delegate);
      this.gateway = gateway;
      this.streamNode = stamp(Node.getDefaultInstance(), gateway);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void onMessage(ReqT message) {
      if (message instanceof DiscoveryRequest r) {
        message = (ReqT) r.toBuilder().setNode(node(r.hasNode(), r.getNode())).build();
      } else if (message instanceof DeltaDiscoveryRequest r) {
        message = (ReqT) r.toBuilder().setNode(node(r.hasNode(), r.getNode())).build();
      }
      super.onMessage(message);
    }

    private Node node(boolean present, Node sent) {
      if (!present) {
        return streamNode;
      }
      Node stamped = stamp(sent, gateway);
      streamNode = stamped;
      return stamped;
    }
  }
}
