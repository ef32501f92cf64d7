package dev.lambdagate.controlplane.translate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lambdagate.config.ClusterMetadataBackend;
import dev.lambdagate.config.RouteMetadataEntry;
import dev.lambdagate.controlplane.model.BackendModel;
import dev.lambdagate.controlplane.model.Credentials;
import dev.lambdagate.controlplane.model.GatewayModel;
import dev.lambdagate.controlplane.model.LambdaTarget;
import dev.lambdagate.controlplane.model.PortModel;
import dev.lambdagate.controlplane.model.RouteModel;
import dev.lambdagate.controlplane.model.VirtualHostModel;
import java.util.List;
import java.util.TreeMap;

/**
 * Renders a Gateway's Wasm filter configuration: the routed backends shape of
 * docs/filter-config.md, with backends (function and credentials, or the error they answer with),
 * routes (single destination), route filters and clusters, keys sorted so that equal models give
 * equal bytes. A pure function of the model's backends and ports, which is why it is not kept in
 * the model. Stateless; thread-safe.
 *
 * <p>What Envoy gets is that document spread over the resources it belongs to: each backend's
 * cluster carries the backend's entry ({@link #backendJson}, {@link ClusterMetadataBackend}), each
 * route with filters or an error carries them ({@link #routeJson}, {@link RouteMetadataEntry}), and
 * the Listener's filter JSON is a constant that says so ({@link #listenerJson}). So one Backend or
 * Secret change is one Cluster update, and a route change travels in the route table alone; the
 * Listener never changes. {@link #json} is the whole document in one piece: the same backends and
 * routes, for a reader (golden files, tests) and for a filter configured without a control plane.
 */
public final class FilterConfigWriter {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Id prefix of the error backend a broken route gets in the filter JSON. */
  static final String INVALID_ROUTE_PREFIX = "invalid-route:";

  private FilterConfigWriter() {}

  /** The whole filter JSON of {@code gateway}: every backend inline. */
  public static String json(GatewayModel gateway) {
    return json(gateway.backends(), gateway.ports());
  }

  /**
   * The Listener's filter JSON: the same for every Gateway and every change. Each backend is in its
   * cluster's metadata ({@link #backendJson}), each route's filters or error in the route's ({@link
   * #routeJson}).
   */
  public static String listenerJson() {
    return LISTENER_JSON;
  }

  private static final String LISTENER_JSON =
      "{\"backends\":{},\"clusterMetadataBackends\":true,\"routeMetadata\":true}";

  /**
   * One route's entry as its route metadata carries it ({@link RouteMetadataEntry}): {@code
   * {"filters": ...}} for a route whose rule rewrites the event, {@code {"error": ...}} for a
   * broken route, null for every other route (no metadata).
   */
  public static String routeJson(RouteModel r) {
    ObjectNode o = JSON.createObjectNode();
    if (r.directResponse() != null) {
      o.put("error", r.directResponse());
      return write(o);
    }
    ObjectNode f = routeFilters(r);
    if (f == null) {
      return null;
    }
    o.set("filters", f);
    return write(o);
  }

  /**
   * One backend's entry as its cluster's metadata carries it ({@link
   * ClusterMetadataBackend#BACKEND_KEY}): the value {@link #json} has for it under {@code
   * backends}.
   */
  public static String backendJson(BackendModel backend) {
    return write(backendEntry(backend));
  }

  /**
   * @param backends sorted by id
   */
  static String json(List<BackendModel> backends, List<PortModel> ports) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode b = root.putObject("backends");
    TreeMap<String, String> clusters = new TreeMap<>();
    for (BackendModel m : backends) {
      b.set(m.id(), backendEntry(m));
      clusters.put(m.clusterName(), m.id());
    }
    TreeMap<String, String> routes = new TreeMap<>();
    TreeMap<String, ObjectNode> routeFilters = new TreeMap<>();
    for (PortModel p : ports) {
      for (VirtualHostModel v : p.virtualHosts()) {
        for (RouteModel r : v.routes()) {
          if (r.directResponse() != null) {
            // The filter answers a broken route itself: a generic 500 with the request id for
            // the client, the details in its log under the same id. The route's
            // direct_response stays as the answer when the filter does not run.
            String id = INVALID_ROUTE_PREFIX + r.name();
            b.putObject(id).put("error", r.directResponse());
            routes.put(r.name(), id);
          } else if (r.backends().size() == 1) {
            routes.put(r.name(), r.backends().get(0).backendId());
          }
          ObjectNode f = routeFilters(r);
          if (f != null) {
            routeFilters.put(r.name(), f);
          }
        }
      }
    }
    ObjectNode ro = root.putObject("routes");
    routes.forEach(ro::put);
    if (!routeFilters.isEmpty()) {
      ObjectNode fo = root.putObject("routeFilters");
      routeFilters.forEach(fo::set);
    }
    ObjectNode co = root.putObject("clusters");
    clusters.forEach(co::put);
    return write(root);
  }

  /** A backend document, or {@code {"error": ...}} for a backend that cannot serve. */
  private static ObjectNode backendEntry(BackendModel m) {
    ObjectNode o = JSON.createObjectNode();
    if (m.error() != null) {
      o.put("error", m.error());
      return o;
    }
    String notProgrammed = m.notProgrammedReason();
    if (notProgrammed != null) {
      o.put("error", notProgrammed);
      return o;
    }
    lambda(o.putObject("lambda"), m.lambda());
    credentials(o.putObject("credentials"), m.credentials());
    return o;
  }

  private static String write(ObjectNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void lambda(ObjectNode lo, LambdaTarget l) {
    lo.put("functionName", l.functionName());
    lo.put("region", l.region());
    if (l.accountId() != null) {
      lo.put("accountId", l.accountId());
    }
    if (l.qualifier() != null) {
      lo.put("qualifier", l.qualifier());
    }
    lo.put("invocationMode", l.invocationMode());
    lo.put("payloadTransformMode", l.payloadTransformMode());
    if (l.endpointUrl() != null) {
      lo.put("endpoint", l.endpoint().url());
    }
    if (l.functionErrorStatus() != null) {
      lo.put("functionErrorStatus", l.functionErrorStatus().intValue());
    }
    if (l.responseMode() != null) {
      lo.put("responseMode", l.responseMode()); // absent: Buffered, and entries stay as they were
    }
  }

  private static void credentials(ObjectNode c, Credentials creds) {
    if (creds instanceof Credentials.Chained ch) {
      ObjectNode ar = c.putObject("assumeRole");
      ar.put("roleArn", ch.roleArn());
      if (ch.roleSessionName() != null) {
        ar.put("roleSessionName", ch.roleSessionName());
      }
      if (ch.externalId() != null) {
        ar.put("externalId", ch.externalId());
      }
      ar.put("stsRegion", ch.stsRegion());
      ar.put("stsEndpoint", ch.stsEndpoint().url());
      ar.put("stsCluster", ch.stsCluster());
      creds = ch.base();
    }
    if (creds instanceof Credentials.SecretSession ss) {
      creds = ss.session(); // never the long-term keys
    }
    if (creds instanceof Credentials.Inline in) {
      c.put("accessKeyId", in.accessKeyId());
      c.put("secretAccessKey", in.secretAccessKey());
      if (in.sessionToken() != null) {
        c.put("sessionToken", in.sessionToken());
      }
    } else if (creds instanceof Credentials.WebIdentity w) {
      ObjectNode wi = c.putObject("webIdentity");
      wi.put("roleArn", w.roleArn());
      wi.put("token", w.token());
      wi.put("stsRegion", w.stsRegion());
      wi.put("stsEndpoint", w.stsEndpoint().url());
      wi.put("stsCluster", w.stsCluster());
    } else if (creds instanceof Credentials.PodIdentity p) {
      ObjectNode pi = c.putObject("podIdentity");
      pi.put("token", p.token());
      pi.put("cluster", p.cluster());
      pi.put("authority", p.agentEndpoint().authority());
    }
  }

  /**
   * A route's {@code URLRewrite} and {@code RequestHeaderModifier} as the filter applies them to
   * the event ({@code routeFilters} in docs/filter-config.md), or null when it has none.
   */
  private static ObjectNode routeFilters(RouteModel r) {
    if (r.directResponse() != null || (r.urlRewrite() == null && r.requestHeaders() == null)) {
      return null;
    }
    ObjectNode f = JSON.createObjectNode();
    RouteModel.UrlRewrite rw = r.urlRewrite();
    if (rw != null && rw.hostname() != null && !rw.hostname().isEmpty()) {
      f.put("hostname", rw.hostname());
    }
    if (rw != null && rw.pathType() != null && rw.replacement() != null) {
      ObjectNode p = f.putObject("path");
      p.put("type", rw.pathType());
      if ("ReplacePrefixMatch".equals(rw.pathType())) {
        p.put("matchedPrefix", r.matchSpec().pathValue());
      }
      p.put("value", rw.replacement());
    }
    RouteModel.HeaderModifier hm = r.requestHeaders();
    if (hm != null && !(hm.set().isEmpty() && hm.add().isEmpty() && hm.remove().isEmpty())) {
      ObjectNode h = f.putObject("requestHeaders");
      if (!hm.set().isEmpty()) {
        var set = h.putArray("set");
        hm.set().forEach(x -> set.addObject().put("name", x.name()).put("value", x.value()));
      }
      if (!hm.add().isEmpty()) {
        var add = h.putArray("add");
        hm.add().forEach(x -> add.addObject().put("name", x.name()).put("value", x.value()));
      }
      if (!hm.remove().isEmpty()) {
        var remove = h.putArray("remove");
        hm.remove().forEach(remove::add);
      }
    }
    return f.isEmpty() ? null : f;
  }
}
