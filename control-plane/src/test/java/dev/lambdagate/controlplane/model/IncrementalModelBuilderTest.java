package dev.lambdagate.controlplane.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lambdagate.controlplane.TestSupport;
import dev.lambdagate.controlplane.crd.Backend;
import dev.lambdagate.controlplane.crd.GatewayParameters;
import dev.lambdagate.controlplane.files.ManifestLoader;
import dev.lambdagate.controlplane.state.ClusterState;
import dev.lambdagate.controlplane.status.DesiredStatus;
import dev.lambdagate.controlplane.status.StatusComputer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The incremental builder against a from-scratch {@link ModelBuilder}: a state of Gateways,
 * HTTPRoutes, Backends, Secrets, ServiceAccounts and ReferenceGrants goes through random changes
 * (an object replaced by a changed copy, replaced by an identical copy, deleted, created again; the
 * session STS issues changes), and after each one the incremental model must equal a fresh build of
 * the same state, and the status computed from the previous one must equal a fresh status.
 */
class IncrementalModelBuilderTest {
  private static final String[] NAMESPACES = {"default", "other"};
  private static final String[] TIMESTAMPS = {
    "2026-01-01T00:00:00Z", "2026-01-01T00:00:01Z", "2026-01-02T00:00:00Z"
  };

  private final ManifestLoader loader = TestSupport.loader();

  /** The objects of the state by {@code kind/ns/name}, as parsed (their instances are kept). */
  private final Map<String, HasMetadata> objects = new TreeMap<>();

  @Test
  void randomChangesGiveTheModelOfAFreshBuild() throws Exception {
    for (long seed = 1; seed <= 10; seed++) {
      checkSeries(seed, 150);
    }
  }

  private void checkSeries(long seed, int changes) throws Exception {
    Random rnd = new Random(seed);
    objects.clear();
    lists.clear();
    AtomicInteger sessionEpoch = new AtomicInteger();
    SessionCredentials sessions =
        source ->
            sessionEpoch.get() % 3 == 2
                ? null // STS has not answered (the backend is not programmed)
                : new Credentials.Inline(
                    "ASIA" + sessionEpoch.get() + source.longTerm().accessKeyId(),
                    "secret",
                    "token");
    ModelOptions options = ModelOptions.defaults().withOwnServiceAccountsOnly(seed % 2 == 0);
    ModelBuilder fresh = new ModelBuilder(options, TestSupport.TOKENS, sessions);
    IncrementalModelBuilder incremental = new IncrementalModelBuilder(fresh);

    for (int i = 0; i < 3; i++) {
      put(gateway(rnd, i));
    }
    for (int i = 0; i < 16; i++) {
      put(route(rnd, i));
      put(backend(rnd, i));
      put(secret(rnd, i));
    }
    put(serviceAccount(rnd, 0));
    put(grant(rnd));
    put(gatewayParameters(rnd));
    put(gatewayClass());

    int changesThatChangedTheModel = 0;
    Model last = null;
    DesiredStatus lastStatus = null;
    for (int c = 0; c <= changes; c++) {
      if (c > 0) {
        change(rnd, sessionEpoch);
      }
      ClusterState state = state();
      Model expected = fresh.build(state);
      Model actual = incremental.build(state);
      assertThat(actual).as("seed %d, change %d", seed, c).isEqualTo(expected);
      // Status computed from the previous one (what did not change reused) is the fresh one.
      // And from what the patches since changed, where they know it.
      DesiredStatus status =
          StatusComputer.compute(
              actual,
              Map.of(),
              cr -> null,
              b -> null,
              last,
              lastStatus,
              incremental.changedSince(last));
      assertThat(status)
          .as("status, seed %d, change %d", seed, c)
          .isEqualTo(StatusComputer.compute(expected, Map.of()));
      if (!actual.equals(last)) {
        changesThatChangedTheModel++;
      }
      last = actual;
      lastStatus = status;
    }
    // The series is worth something only if most changes reached the model.
    assertThat(changesThatChangedTheModel).as("seed %d", seed).isGreaterThan(changes / 3);
    // And only if the patch path (objects changed in place) was taken often enough to be checked.
    assertThat(incremental.patchedBuilds())
        .as("patched, seed %d", seed)
        .isGreaterThan(changes / 10);
  }

  /** One random change. */
  private void change(Random rnd, AtomicInteger sessionEpoch) throws Exception {
    int what = rnd.nextInt(100);
    int i = rnd.nextInt(16);
    HasMetadata next;
    if (what < 30) {
      next = route(rnd, i);
    } else if (what < 50) {
      next = backend(rnd, i);
    } else if (what < 65) {
      next = secret(rnd, i);
    } else if (what < 72) {
      next = gateway(rnd, rnd.nextInt(3));
    } else if (what < 76) {
      next = serviceAccount(rnd, 0);
    } else if (what < 80) {
      next = grant(rnd);
    } else if (what < 82) {
      next = gatewayParameters(rnd);
    } else if (what < 83) {
      next = gatewayClass(); // back if it was deleted, else a new instance of the same
    } else if (what < 88) {
      sessionEpoch.incrementAndGet();
      return;
    } else if (what < 94) {
      // The same object again, parsed anew: a new instance with the same content.
      List<String> keys = new ArrayList<>(objects.keySet());
      String key = keys.get(rnd.nextInt(keys.size()));
      objects.put(key, reparse(objects.get(key)));
      return;
    } else {
      List<String> keys = new ArrayList<>(objects.keySet());
      objects.remove(keys.get(rnd.nextInt(keys.size())));
      return;
    }
    put(next);
  }

  private void put(HasMetadata o) {
    objects.put(
        o.getKind() + "/" + o.getMetadata().getNamespace() + "/" + o.getMetadata().getName(), o);
  }

  private ClusterState state() {
    return new ClusterState(
        of(GatewayClass.class),
        of(Gateway.class),
        of(HTTPRoute.class),
        of(Backend.class),
        of(GatewayParameters.class),
        of(Secret.class),
        of(ServiceAccount.class),
        of(ReferenceGrant.class));
  }

  /**
   * The objects of {@code type}: the same list instance as last time while none of that kind
   * changed (as {@code KubeStateSource} hands them), a new one otherwise.
   */
  @SuppressWarnings("unchecked")
  private <T> List<T> of(Class<T> type) {
    List<T> out = new ArrayList<>();
    for (HasMetadata o : objects.values()) {
      if (type.isInstance(o)) {
        out.add(type.cast(o));
      }
    }
    List<?> last = lists.get(type);
    if (last != null && sameInstances(last, out)) {
      return (List<T>) last;
    }
    List<T> fresh = List.copyOf(out);
    lists.put(type, fresh);
    return fresh;
  }

  private final Map<Class<?>, List<?>> lists = new java.util.HashMap<>();

  private static boolean sameInstances(List<?> a, List<?> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (a.get(i) != b.get(i)) {
        return false;
      }
    }
    return true;
  }

  private HasMetadata gatewayClass() {
    return parse(
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: GatewayClass
        metadata: {name: kgateway}
        spec: {controllerName: lambdagate.dev/gateway-controller}
        """);
  }

  private HasMetadata gateway(Random rnd, int i) throws Exception {
    String ns = i == 2 ? "other" : "default";
    String listeners =
        switch (rnd.nextInt(4)) {
          case 0 -> "[{name: http, protocol: HTTP, port: 8080}]";
          case 1 ->
              "[{name: http, protocol: HTTP, port: 8080},"
                  + " {name: named, protocol: HTTP, port: 8080, hostname: '*.example.com',"
                  + " allowedRoutes: {namespaces: {from: All}}}]";
          case 2 ->
              "[{name: http, protocol: HTTP, port: 8080, allowedRoutes: {namespaces: {from: All}}},"
                  + " {name: alt, protocol: HTTP, port: 9090, hostname: a.example.com}]";
          default ->
              "[{name: http, protocol: HTTP, port: 8080}, {name: clash, protocol: HTTPS, port:"
                  + " 8080}]";
        };
    String infra =
        rnd.nextBoolean()
            ? "\n  infrastructure: {parametersRef: {group: gateway.kgateway.dev, kind:"
                + " GatewayParameters, name: params}}"
            : "";
    return parse(
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw-%d, namespace: %s, generation: %d}
        spec:
          gatewayClassName: %s
          listeners: %s%s
        """
            .formatted(
                i,
                ns,
                rnd.nextInt(3) + 1,
                rnd.nextInt(8) == 0 ? "someone-else" : "kgateway",
                listeners,
                infra));
  }

  private HasMetadata route(Random rnd, int i) throws Exception {
    String ns = NAMESPACES[i % 5 == 4 ? 1 : 0];
    StringBuilder parents = new StringBuilder();
    int parentCount = 1 + rnd.nextInt(2);
    for (int p = 0; p < parentCount; p++) {
      int gw = rnd.nextInt(4); // 3: a Gateway that does not exist
      parents.append(p == 0 ? "" : ", ").append("{name: gw-").append(gw);
      if (gw == 2 || rnd.nextInt(6) == 0) {
        parents.append(", namespace: other");
      }
      if (rnd.nextInt(5) == 0) {
        parents.append(", sectionName: ").append(rnd.nextBoolean() ? "named" : "alt");
      }
      parents.append('}');
    }
    String hostnames =
        switch (rnd.nextInt(4)) {
          case 0 -> "[a.example.com]";
          case 1 -> "['*.example.com', b.example.com]";
          case 2 -> "[c.example.org]";
          default -> "[]";
        };
    StringBuilder rules = new StringBuilder();
    int ruleCount = 1 + rnd.nextInt(2);
    for (int r = 0; r < ruleCount; r++) {
      rules.append("\n  - matches: [");
      int matchCount = rnd.nextInt(3);
      for (int m = 0; m < matchCount; m++) {
        String type = rnd.nextInt(4) == 0 ? "Exact" : "PathPrefix";
        rules
            .append(m == 0 ? "" : ", ")
            .append("{path: {type: ")
            .append(type)
            .append(", value: /p")
            .append(rnd.nextInt(4))
            .append('}');
        if (rnd.nextInt(4) == 0) {
          rules.append(", headers: [{name: x-v, value: '").append(rnd.nextInt(2)).append("'}]");
        }
        if (rnd.nextInt(6) == 0) {
          rules.append(", method: POST");
        }
        rules.append('}');
      }
      rules.append("]\n    backendRefs: [");
      int refCount = rnd.nextInt(8) == 0 ? 0 : 1 + rnd.nextInt(2);
      for (int b = 0; b < refCount; b++) {
        int target = rnd.nextInt(18); // 16, 17: Backends that never exist
        rules.append(b == 0 ? "" : ", ");
        if (rnd.nextInt(12) == 0) {
          rules.append("{kind: Service, name: svc-").append(target).append('}');
          continue;
        }
        rules.append("{group: gateway.kgateway.dev, kind: Backend, name: be-").append(target);
        if (rnd.nextInt(5) == 0) {
          rules.append(", namespace: ").append(NAMESPACES[rnd.nextInt(2)]);
        }
        if (rnd.nextInt(4) == 0) {
          rules.append(", weight: ").append(rnd.nextInt(3));
        }
        rules.append('}');
      }
      rules.append(']');
      if (rnd.nextInt(6) == 0) {
        rules.append(
            "\n    filters: [{type: URLRewrite, urlRewrite: {path: {type: ReplacePrefixMatch,"
                + " replacePrefixMatch: /x}}}]");
      }
      if (rnd.nextInt(6) == 0) {
        rules.append("\n    timeouts: {request: ").append(1 + rnd.nextInt(3)).append("s}");
      }
    }
    return parse(
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: route-%d, namespace: %s, generation: %d, creationTimestamp: '%s'}
        spec:
          parentRefs: [%s]
          hostnames: %s
          rules:%s
        """
            .formatted(
                i,
                ns,
                rnd.nextInt(3) + 1,
                TIMESTAMPS[rnd.nextInt(TIMESTAMPS.length)],
                parents,
                hostnames,
                rules));
  }

  private HasMetadata backend(Random rnd, int i) throws Exception {
    String ns = NAMESPACES[i % 4 == 3 ? 1 : 0];
    String auth =
        switch (rnd.nextInt(6)) {
          case 0 -> ""; // the Gateway's identity
          case 1 ->
              "\n    auth: {type: AssumeRole, assumeRole: {roleArn:"
                  + " 'arn:aws:iam::123456789012:role/r"
                  + rnd.nextInt(2)
                  + "'}}";
          default -> "\n    auth: {type: Secret, secretRef: {name: cred-" + rnd.nextInt(17) + "}}";
        };
    String function = rnd.nextInt(10) == 0 ? "'bad name!'" : "fn-" + rnd.nextInt(3);
    String region = rnd.nextInt(6) == 0 ? "eu-west-1" : "us-east-1";
    return parse(
        """
        apiVersion: gateway.kgateway.dev/v1alpha1
        kind: Backend
        metadata: {name: be-%d, namespace: %s, generation: %d}
        spec:
          type: AWS
          aws:
            region: %s
            lambda: {functionName: %s}%s
        """
            .formatted(i, ns, rnd.nextInt(3) + 1, region, function, auth));
  }

  private HasMetadata secret(Random rnd, int i) throws Exception {
    String ns = NAMESPACES[i % 4 == 3 ? 1 : 0];
    String data =
        rnd.nextInt(8) == 0
            ? "{secretKey: abc}" // no accessKey
            : "{accessKey: AKID" + rnd.nextInt(3) + ", secretKey: s" + rnd.nextInt(3) + "}";
    return parse(
        """
        apiVersion: v1
        kind: Secret
        metadata: {name: cred-%d, namespace: %s}
        stringData: %s
        """
            .formatted(i, ns, data));
  }

  private HasMetadata serviceAccount(Random rnd, int i) throws Exception {
    String annotations =
        switch (rnd.nextInt(3)) {
          case 0 -> "{eks.amazonaws.com/role-arn: 'arn:aws:iam::123456789012:role/gw'}";
          case 1 -> "{eks.amazonaws.com/role-arn: 'arn:aws:iam::123456789012:role/gw2'}";
          default -> "{}";
        };
    String labels =
        rnd.nextBoolean()
            ? "{app.kubernetes.io/managed-by: lambdagate,"
                + " gateway.networking.k8s.io/gateway-name: gw-"
                + i
                + "}"
            : "{}";
    return parse(
        """
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: gw-%d, namespace: default, annotations: %s, labels: %s}
        """
            .formatted(i, annotations, labels));
  }

  private HasMetadata grant(Random rnd) throws Exception {
    String to = rnd.nextBoolean() ? "" : ", name: be-" + rnd.nextInt(16);
    return parse(
        """
        apiVersion: gateway.networking.k8s.io/v1beta1
        kind: ReferenceGrant
        metadata: {name: routes, namespace: other}
        spec:
          from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: default}]
          to: [{group: gateway.kgateway.dev, kind: Backend%s}]
        """
            .formatted(to));
  }

  private HasMetadata gatewayParameters(Random rnd) throws Exception {
    return parse(
        """
        apiVersion: gateway.kgateway.dev/v1alpha1
        kind: GatewayParameters
        metadata: {name: params, namespace: default}
        spec:
          awsCredentials: {exchangeSecretKeys: %s}
        """
            .formatted(rnd.nextBoolean()));
  }

  private HasMetadata reparse(HasMetadata o) {
    return parse(
        io.fabric8.kubernetes.client.utils.Serialization.asYaml(o).replaceFirst("^---\\n", ""));
  }

  private HasMetadata parse(String yaml) {
    try {
      ClusterState s = loader.loadString("t.yaml", yaml);
      List<HasMetadata> all = new ArrayList<>();
      all.addAll(s.gatewayClasses());
      all.addAll(s.gateways());
      all.addAll(s.httpRoutes());
      all.addAll(s.backends());
      all.addAll(s.gatewayParameters());
      all.addAll(s.secrets());
      all.addAll(s.serviceAccounts());
      all.addAll(s.referenceGrants());
      assertThat(all).hasSize(1);
      return all.get(0);
    } catch (Exception e) {
      throw new IllegalStateException(yaml, e);
    }
  }
}
