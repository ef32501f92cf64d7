package dev.lambdagate.controlplane.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lambdagate.controlplane.TestSupport;
import dev.lambdagate.controlplane.crd.Backend;
import dev.lambdagate.controlplane.files.ManifestLoader;
import dev.lambdagate.controlplane.state.ClusterState;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The patch path of {@link IncrementalModelBuilder} on a cluster where almost everything resolves
 * (each HTTPRoute sends to its own Backend and now and then another one, each Backend has its
 * Secret or the Gateway's role), as a large one does: objects changed in place, HTTPRoutes created
 * and deleted, one or a few at a time, must give the model a build of the same state gives, and
 * most of them must be patched rather than built. (IncrementalModelBuilderTest covers the patch's
 * refusals on a cluster full of errors.)
 */
class ModelPatcherTest {
  private static final int N = 40;

  private final ManifestLoader loader = TestSupport.loader();

  private final List<HTTPRoute> routes = new ArrayList<>();
  private final List<Backend> backends = new ArrayList<>();
  private final List<Secret> secrets = new ArrayList<>();
  private ClusterState base;

  @Test
  void changesInPlaceArePatchedAndGiveTheModelOfABuild() {
    for (long seed = 1; seed <= 8; seed++) {
      Random rnd = new Random(seed);
      base = parse(fixed(seed % 2 == 0));
      routes.clear();
      backends.clear();
      secrets.clear();
      for (int i = 0; i < N; i++) {
        routes.add(route(rnd, i, 1));
        backends.add(backend(rnd, i, 1, false));
        secrets.add(secret(i, 0));
      }
      ModelOptions options = ModelOptions.defaults();
      ModelBuilder fresh =
          new ModelBuilder(options, TestSupport.TOKENS, SessionCredentials.placeholder());
      IncrementalModelBuilder incremental = new IncrementalModelBuilder(fresh);
      dev.lambdagate.controlplane.translate.EnvoyTranslator translator = TestSupport.translator();
      List<HTTPRoute> r = present(routes);
      List<Backend> b = List.copyOf(backends);
      List<Secret> s = List.copyOf(secrets);
      Model last = incremental.build(state(r, b, s));
      dev.lambdagate.controlplane.status.DesiredStatus lastStatus =
          dev.lambdagate.controlplane.status.StatusComputer.compute(last, Map.of());
      int statusPatched = 0;
      int changes = 200;
      int changed = 0;
      for (int c = 1; c <= changes; c++) {
        int what = rnd.nextInt(100);
        int count = rnd.nextInt(10) == 0 ? 2 + rnd.nextInt(3) : 1; // now and then several at once
        for (int k = 0; k < count; k++) {
          int i = rnd.nextInt(N);
          if (what < 45) {
            routes.set(i, route(rnd, i, c + 1));
            r = present(routes);
          } else if (what < 55) {
            // Deleted, or created again.
            routes.set(i, routes.get(i) == null ? route(rnd, i, 1) : null);
            r = present(routes);
          } else if (what < 75) {
            // Now and then invalid (a name Lambda refuses): built, not patched, then valid again.
            backends.set(i, backend(rnd, i, c + 1, rnd.nextInt(12) == 0));
            b = List.copyOf(backends);
          } else {
            secrets.set(i, secret(i, c));
            s = List.copyOf(secrets);
          }
        }
        ClusterState state = state(r, b, s);
        Model model = incremental.build(state);
        Model exp = fresh.build(state);
        assertThat(model).as("seed %d, change %d", seed, c).isEqualTo(exp);
        // Status computed from the last one and what the patch changed is a fresh status.
        java.util.Set<dev.lambdagate.controlplane.state.ResourceKey> changedKeys =
            incremental.changedSince(last);
        dev.lambdagate.controlplane.status.DesiredStatus status =
            dev.lambdagate.controlplane.status.StatusComputer.compute(
                model, Map.of(), cr -> null, bm -> null, last, lastStatus, changedKeys);
        assertThat(status)
            .as("status, seed %d, change %d", seed, c)
            .isEqualTo(dev.lambdagate.controlplane.status.StatusComputer.compute(exp, Map.of()));
        if (changedKeys != null) {
          statusPatched++;
        }
        lastStatus = status;
        // The translator, patching its last clusters and versions, gives what a fresh one gives.
        for (GatewayModel g : model.gateways()) {
          assertThat(translator.translate(g))
              .as("translation, seed %d, change %d", seed, c)
              .isEqualTo(TestSupport.translator().translate(g));
        }
        if (model != last) {
          changed++;
        }
        last = model;
      }
      assertThat(changed).as("changes that changed the model, seed %d", seed).isGreaterThan(150);
      assertThat(statusPatched)
          .as("statuses computed from changed keys, seed %d", seed)
          .isGreaterThan(changes / 2);
      assertThat(incremental.patchedBuilds())
          .as("patched builds, seed %d", seed)
          .isGreaterThan(
              changes / 2); // the rest: a route's Backends or a Backend's validity changed
    }
  }

  @Test
  void aModelEqualToTheLastIsTheLast() {
    base = parse(fixed(false));
    Random rnd = new Random(7);
    HTTPRoute route = route(rnd, 0, 1);
    Backend backend = backend(rnd, 0, 1, false);
    Secret secret = secret(0, 0);
    IncrementalModelBuilder incremental = new IncrementalModelBuilder(TestSupport.modelBuilder());
    Model first = incremental.build(state(List.of(route), List.of(backend), List.of(secret)));
    // The same objects parsed again (an informer's resync): patched, equal, so the same instance.
    ClusterState resynced =
        state(List.of(reparse(route)), List.of(reparse(backend)), List.of(reparse(secret)));
    assertThat(incremental.build(resynced)).isSameAs(first);
    assertThat(incremental.patchedBuilds()).isEqualTo(1);
    // The very same state again (a session or token changed outside it): built, not patched.
    assertThat(incremental.build(resynced)).isSameAs(first);
    assertThat(incremental.patchedBuilds()).isEqualTo(1);
  }

  /** The routes not deleted, in order (their names sort as their indexes). */
  private static List<HTTPRoute> present(List<HTTPRoute> routes) {
    return routes.stream().filter(java.util.Objects::nonNull).toList();
  }

  private ClusterState state(List<HTTPRoute> r, List<Backend> b, List<Secret> s) {
    return new ClusterState(
        base.gatewayClasses(),
        base.gateways(),
        r,
        b,
        base.gatewayParameters(),
        s,
        base.serviceAccounts(),
        base.referenceGrants());
  }

  private static String fixed(boolean twoListeners) {
    String listeners =
        twoListeners
            ? "[{name: http, protocol: HTTP, port: 8080}, {name: alt, protocol: HTTP, port: 9090,"
                + " hostname: a.example.com}]"
            : "[{name: http, protocol: HTTP, port: 8080}]";
    return """
        apiVersion: gateway.networking.k8s.io/v1
        kind: GatewayClass
        metadata: {name: kgateway}
        spec: {controllerName: lambdagate.dev/gateway-controller}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw, namespace: default, generation: 1}
        spec:
          gatewayClassName: kgateway
          listeners: %s
        ---
        apiVersion: v1
        kind: ServiceAccount
        metadata:
          name: gw
          namespace: default
          annotations: {eks.amazonaws.com/role-arn: 'arn:aws:iam::123456789012:role/gw'}
        """
        .formatted(listeners);
  }

  /** Route {@code i}: to Backend {@code i}, sometimes also {@code i+1}; paths vary. */
  private HTTPRoute route(Random rnd, int i, int generation) {
    String hostnames = rnd.nextInt(3) == 0 ? "[a.example.com]" : "[]";
    String second =
        rnd.nextInt(4) == 0
            ? ", {group: gateway.kgateway.dev, kind: Backend, name: be-"
                + rnd.nextInt(N)
                + ", weight: 2}"
            : "";
    String extra =
        switch (rnd.nextInt(4)) {
          case 0 -> "\n    timeouts: {request: " + (1 + rnd.nextInt(3)) + "s}";
          case 1 ->
              "\n    filters: [{type: RequestHeaderModifier, requestHeaderModifier: {set:"
                  + " [{name: x-v, value: '"
                  + rnd.nextInt(3)
                  + "'}]}}]";
          default -> "";
        };
    String yaml =
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata:
          name: route-%02d
          namespace: default
          generation: %d
          creationTimestamp: '2026-01-01T00:00:%02dZ'
        spec:
          parentRefs: [{name: gw}]
          hostnames: %s
          rules:
          - matches: [{path: {type: %s, value: /r%d/%d}}%s]
            backendRefs: [{group: gateway.kgateway.dev, kind: Backend, name: be-%d}%s]%s
        """
            .formatted(
                i,
                generation,
                i % 60,
                hostnames,
                rnd.nextBoolean() ? "PathPrefix" : "Exact",
                i,
                rnd.nextInt(5),
                rnd.nextInt(3) == 0 ? ", {path: {type: PathPrefix, value: /all}, method: GET}" : "",
                i,
                second,
                extra);
    return (HTTPRoute) parse(yaml).httpRoutes().get(0);
  }

  /** Backend {@code i}: with its Secret, the Gateway's role, or that role chained. */
  private Backend backend(Random rnd, int i, int generation, boolean invalid) {
    String auth =
        switch (rnd.nextInt(4)) {
          case 0 -> "";
          case 1 ->
              "\n    auth: {type: AssumeRole, assumeRole: {roleArn:"
                  + " 'arn:aws:iam::123456789012:role/r"
                  + rnd.nextInt(2)
                  + "'}}";
          default -> "\n    auth: {type: Secret, secretRef: {name: cred-" + i + "}}";
        };
    String yaml =
        """
        apiVersion: gateway.kgateway.dev/v1alpha1
        kind: Backend
        metadata: {name: be-%d, namespace: default, generation: %d}
        spec:
          type: AWS
          aws:
            region: %s
            lambda: {functionName: %s}%s
        """
            .formatted(
                i,
                generation,
                rnd.nextInt(5) == 0 ? "eu-west-1" : "us-east-1",
                invalid ? "'bad name!'" : "fn-" + rnd.nextInt(4),
                auth);
    return parse(yaml).backends().get(0);
  }

  private Secret secret(int i, int rotation) {
    String yaml =
        """
        apiVersion: v1
        kind: Secret
        metadata: {name: cred-%d, namespace: default}
        stringData: {accessKey: AKID%d, secretKey: s%d}
        """
            .formatted(i, rotation, rotation);
    return parse(yaml).secrets().get(0);
  }

  @SuppressWarnings("unchecked")
  private <T extends HasMetadata> T reparse(T o) {
    String yaml =
        io.fabric8.kubernetes.client.utils.Serialization.asYaml(o).replaceFirst("^---\\n", "");
    ClusterState s = parse(yaml);
    List<HasMetadata> all = new ArrayList<>();
    all.addAll(s.httpRoutes());
    all.addAll(s.backends());
    all.addAll(s.secrets());
    return (T) all.get(0);
  }

  private ClusterState parse(String yaml) {
    try {
      return loader.loadString("t.yaml", yaml);
    } catch (Exception e) {
      throw new IllegalStateException(yaml, e);
    }
  }
}
