package dev.lambdagate.controlplane.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Helpers for tests against the fabric8 mock API server in CRUD mode. */
public final class MockApi {
  /** Values for the {@code ${VARS}} of kgateway's Lambda guides (kube/seed-*.yaml). */
  public static final Map<String, String> SEED_VARS =
      Map.of(
          "REGION", "us-east-1",
          "ACCOUNT_ID", "123456789012",
          "AWS_ACCESS_KEY_ID", "AKIAEXAMPLEEXAMPLE00",
          "AWS_SECRET_ACCESS_KEY", "not-a-real-secret-key",
          "AWS_LAMBDA_REGION", "us-west-2",
          "AWS_ACCOUNT_ID", "210987654321");

  private MockApi() {}

  /** Silences the mock web server's per-request java.util.logging lines. */
  public static void quiet() {
    java.util.logging.Logger.getLogger("io.fabric8.mockwebserver")
        .setLevel(java.util.logging.Level.WARNING);
  }

  /**
   * A started mock API server in CRUD mode over plain HTTP, as
   * {@code @EnableKubernetesMockClient(crud = true)} makes it, but storing Secrets as a real API
   * server does ({@link ApiServerCrudDispatcher}).
   */
  public static KubernetesMockServer startApiServer() {
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new ApiServerCrudDispatcher(),
            false);
    server.init();
    return server;
  }

  /** Registers lambdagate's CRDs and minimal Gateway API CRDs through the API. */
  public static void installCrds(KubernetesClient client) {
    for (String path :
        List.of(
            "crds/backends.yaml",
            "crds/gatewayparameters.yaml",
            "kube/gateway-api-test-crds.yaml")) {
      for (HasMetadata crd : load(client, path, Map.of())) {
        client.resource(crd).create();
      }
    }
  }

  /** Reads a class-path YAML, substituting {@code ${VAR}}, into objects. */
  public static List<HasMetadata> load(
      KubernetesClient client, String resource, Map<String, String> vars) {
    String yaml = substitute(read(resource), vars);
    return client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items();
  }

  /** {@code kubectl apply}-like: create, or update what exists. */
  public static void apply(KubernetesClient client, List<HasMetadata> objects) {
    for (HasMetadata o : objects) {
      client.resource(o).createOr(NonDeletingOperation::update);
    }
  }

  public static String read(String resource) {
    try (InputStream in = MockApi.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException(resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Expands {@code ${NAME}} like the shell would for an exported variable. */
  public static String substitute(String text, Map<String, String> vars) {
    Matcher m = Pattern.compile("\\$\\{([A-Z_][A-Z0-9_]*)}").matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String v = vars.get(m.group(1));
      if (v == null) {
        throw new IllegalArgumentException("unset variable " + m.group(1));
      }
      m.appendReplacement(out, Matcher.quoteReplacement(v));
    }
    m.appendTail(out);
    return out.toString();
  }

  /**
   * Runs {@code edit}, again after a 409 Conflict (another writer got in first), up to 10 times.
   */
  public static void retryOnConflict(Runnable edit) {
    for (int attempt = 1; ; attempt++) {
      try {
        edit.run();
        return;
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 10) {
          throw e;
        }
      }
    }
  }

  /** Polls until {@code condition} holds or {@code millis} pass. */
  public static boolean await(long millis, BooleanSupplier condition) {
    long end = System.currentTimeMillis() + millis;
    while (System.currentTimeMillis() < end) {
      if (condition.getAsBoolean()) {
        return true;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return condition.getAsBoolean();
  }
}
