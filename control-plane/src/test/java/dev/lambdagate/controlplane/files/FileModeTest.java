package dev.lambdagate.controlplane.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lambdagate.controlplane.TestSupport;
import dev.lambdagate.controlplane.model.Credentials;
import dev.lambdagate.controlplane.model.GatewayModel;
import dev.lambdagate.controlplane.model.Model;
import dev.lambdagate.controlplane.state.ClusterState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileModeTest {

  @Test
  void examplesLoadAndTranslate() throws Exception {
    for (String example : new String[] {"secret", "irsa"}) {
      ClusterState state =
          new ManifestLoader(k -> null).loadDirectory(TestSupport.examplesDir().resolve(example));
      assertThat(state.gateways()).hasSize(1);
      assertThat(state.httpRoutes()).hasSize(1);
      assertThat(state.backends()).hasSize(1);
      long t0 = System.nanoTime();
      Model model = TestSupport.modelBuilder().build(state);
      GatewayModel g = model.gateways().get(0);
      var resources = TestSupport.translator().translate(g);
      long micros = (System.nanoTime() - t0) / 1000;
      System.out.printf(
          "examples/%s: model + translation in %d us (first run, cold)%n", example, micros);
      assertThat(g.backends())
          .singleElement()
          .satisfies(
              b -> {
                assertThat(b.error()).isNull();
                assertThat(b.lambda().endpoint().url()).isEqualTo("http://127.0.0.1:9001");
                if (example.equals("secret")) {
                  // Long-term keys: exchanged for a session (the tests' placeholder).
                  assertThat(b.credentials())
                      .isInstanceOfSatisfying(
                          Credentials.SecretSession.class,
                          c -> assertThat(c.session()).isNotNull());
                } else {
                  assertThat(b.credentials()).isInstanceOf(Credentials.WebIdentity.class);
                }
              });
      assertThat(resources.listeners()).hasSize(1);
      // Warm timing.
      t0 = System.nanoTime();
      for (int i = 0; i < 100; i++) {
        TestSupport.translator()
            .translate(TestSupport.modelBuilder().build(state).gateways().get(0));
      }
      System.out.printf(
          "examples/%s: model + translation, warm: %d us each%n",
          example, (System.nanoTime() - t0) / 100_000);
    }
  }

  @Test
  void seedDocumentsUnchangedWithVariables() throws Exception {
    String yaml = Files.readString(TestSupport.goldenDir().resolve("seed-secret/input.yaml"));
    assertThat(yaml).contains("${REGION}").contains("${AWS_ACCESS_KEY_ID}");
    ClusterState state = TestSupport.loader().loadString("seed.yaml", yaml);
    assertThat(state.backends().get(0).getSpec().aws().region()).isEqualTo("us-east-1");
    assertThat(state.secrets().get(0).getMetadata().getNamespace()).isEqualTo("default");
    assertThat(state.secrets().get(0).getStringData()).containsEntry("accessKey", "AKIDEXAMPLE");
    // An unset variable stays as written (and the Backend then names the bad field).
    ClusterState raw = new ManifestLoader(k -> null).loadString("seed.yaml", yaml);
    Model model = TestSupport.modelBuilder().build(raw);
    assertThat(model.backendErrors().values())
        .singleElement()
        .asString()
        .startsWith("spec.aws.region: must be a region name");
  }

  @Test
  void dataIsBase64AndUnknownKindsAreSkipped() throws Exception {
    ClusterState s =
        TestSupport.loader()
            .loadString(
                "x.yaml",
                """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: skipped}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: s, namespace: ns}
        data: {accessKey: QUtJREVYQU1QTEU=}
        ---
        # an empty document
        """);
    assertThat(s.secrets())
        .singleElement()
        .satisfies(x -> assertThat(x.getData()).containsEntry("accessKey", "QUtJREVYQU1QTEU="));
  }

  @Test
  void brokenDocumentIsNamed() {
    assertThatThrownBy(
            () ->
                TestSupport.loader()
                    .loadString(
                        "dir/broken.yaml",
                        """
        apiVersion: v1
        kind: Secret
        metadata: {name: ok}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: r}
        spec:
          rules: "not a list"
        """))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("dir/broken.yaml document 2")
        .hasMessageContaining("HTTPRoute r")
        .hasMessageContaining("spec.rules: expected a list");
    assertThatThrownBy(() -> TestSupport.loader().loadString("bad.yaml", "a: [unclosed\n"))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("bad.yaml document 1");
    assertThatThrownBy(() -> TestSupport.loader().loadString("nokind.yaml", "metadata: {}\n"))
        .hasMessageContaining("apiVersion and kind are required");
  }

  /**
   * A Secret written wrong says which field and what was expected, and never quotes the value:
   * Jackson's own message (and so any cause attached) would.
   */
  @Test
  void aMalformedSecretIsNamedWithoutItsValue() {
    String key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    for (String[] doc :
        new String[][] {
          {"stringData: \"" + key + "\"", "stringData: expected an object"},
          {"data:\n  tls.key: [\"" + key + "\"]", "data.tls.key: expected a string"},
        }) {
      String yaml = "apiVersion: v1\nkind: Secret\nmetadata: {name: aws}\n" + doc[0] + "\n";
      assertThatThrownBy(() -> TestSupport.loader().loadString("secret.yaml", yaml))
          .isInstanceOf(ManifestException.class)
          .hasMessageContaining("Secret aws")
          .hasMessageContaining(doc[1])
          .hasNoCause()
          .message()
          .doesNotContain(key)
          .doesNotContain(key.substring(0, 12));
    }
  }

  @Test
  void watchDeliversChangesAndKeepsLastGoodState(@TempDir Path dir) throws Exception {
    for (String f :
        new String[] {"gateway.yaml", "secret.yaml", "backend.yaml", "httproute.yaml"}) {
      Files.copy(TestSupport.examplesDir().resolve("secret").resolve(f), dir.resolve(f));
    }
    BlockingQueue<ClusterState> states = new LinkedBlockingQueue<>();
    try (ManifestDirectorySource source =
        new ManifestDirectorySource(dir, TestSupport.loader(), 50)) {
      source.start(states::add);
      ClusterState first = states.poll(5, TimeUnit.SECONDS);
      assertThat(first).isNotNull();
      assertThat(first.backends()).hasSize(1);

      Files.writeString(
          dir.resolve("backend.yaml"),
          Files.readString(dir.resolve("backend.yaml"))
              .replace("functionName: echo", "functionName: echo2"));
      ClusterState second = states.poll(5, TimeUnit.SECONDS);
      assertThat(second).as("change delivered").isNotNull();
      assertThat(second.backends().get(0).getSpec().aws().lambda().functionName())
          .isEqualTo("echo2");

      Files.writeString(dir.resolve("zz-broken.yml"), "kind: Backend\napiVersion: [\n");
      long deadline = System.currentTimeMillis() + 5000;
      while (source.lastError() == null && System.currentTimeMillis() < deadline) {
        Thread.sleep(20);
      }
      assertThat(source.lastError()).contains("zz-broken.yml").contains("document 1");
      assertThat(states.poll(300, TimeUnit.MILLISECONDS)).as("last good state kept").isNull();

      Files.delete(dir.resolve("zz-broken.yml"));
      assertThat(states.poll(5, TimeUnit.SECONDS)).as("fixed again").isNotNull();
      assertThat(source.lastError()).isNull();
    }
  }

  @Test
  void tokenFileIsReRead(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("token");
    Files.writeString(f, "token-1\n");
    BlockingQueue<String> changes = new LinkedBlockingQueue<>();
    try (FileTokenSource tokens = new FileTokenSource(f)) {
      assertThat(tokens.token("default", "http")).contains("token-1");
      tokens.watch(50, () -> changes.add("changed"));
      Files.writeString(f, "token-2-longer");
      assertThat(changes.poll(5, TimeUnit.SECONDS)).isNotNull();
      assertThat(tokens.token("default", "http")).contains("token-2-longer");
    }
  }
}
