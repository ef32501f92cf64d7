package dev.lambdagate.controlplane.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The mock API server with {@link ApiServerCrudDispatcher} stores Secrets as a real one does. */
class ApiServerCrudDispatcherTest {
  static final String NS = "kgateway-system";

  KubernetesMockServer server;
  KubernetesClient client;

  @BeforeEach
  void start() {
    MockApi.quiet();
    server = MockApi.startApiServer();
    client = server.createClient();
  }

  @AfterEach
  void stop() {
    client.close();
    server.destroy();
  }

  @Test
  void theGuidesSecretIsServedAsBase64DataWithItsEmptySessionToken() {
    Secret seed =
        (Secret)
            MockApi.load(client, "kube/seed-secret-credentials.yaml", MockApi.SEED_VARS).get(0);
    assertThat(seed.getStringData()).containsKey("sessionToken");

    Secret created = client.resource(seed).create();
    Secret read = client.secrets().inNamespace(NS).withName("aws-creds").get();

    for (Secret s : List.of(created, read)) {
      assertThat(s.getStringData()).isNullOrEmpty();
      assertThat(s.getData())
          .containsOnly(
              Map.entry("accessKey", base64(MockApi.SEED_VARS.get("AWS_ACCESS_KEY_ID"))),
              Map.entry("secretKey", base64(MockApi.SEED_VARS.get("AWS_SECRET_ACCESS_KEY"))),
              Map.entry("sessionToken", ""));
    }
  }

  @Test
  void stringDataIsMergedOverDataOnUpdateAndPatchAndWatchersSeeTheStoredForm()
      throws InterruptedException {
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("keys")
                .withNamespace(NS)
                .endMetadata()
                .addToData("kept", base64("old-kept"))
                .addToData("replaced", base64("old"))
                .build())
        .create();
    List<Secret> watched = new CopyOnWriteArrayList<>();
    try (var watch =
        client
            .secrets()
            .inNamespace(NS)
            .watch(
                new Watcher<Secret>() {
                  @Override
                  public void eventReceived(Action action, Secret resource) {
                    watched.add(resource);
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                })) {
      Secret update = client.secrets().inNamespace(NS).withName("keys").get();
      update.setStringData(Map.of("replaced", "by-update", "added", "new"));
      client.resource(update).update();
      assertThat(client.secrets().inNamespace(NS).withName("keys").get().getData())
          .containsOnly(
              Map.entry("kept", base64("old-kept")),
              Map.entry("replaced", base64("by-update")),
              Map.entry("added", base64("new")));

      client
          .secrets()
          .inNamespace(NS)
          .withName("keys")
          .edit(s -> new SecretBuilder(s).addToStringData("kept", "by-patch").build());
      Secret patched = client.secrets().inNamespace(NS).withName("keys").get();
      assertThat(patched.getStringData()).isNullOrEmpty();
      assertThat(patched.getData()).containsEntry("kept", base64("by-patch")).hasSize(3);

      // The watch may also replay the Secret as it was created, so wait for the patched form
      // itself rather than for a count of events.
      assertThat(
              MockApi.await(
                  5000,
                  () ->
                      !watched.isEmpty()
                          && watched.get(watched.size() - 1).getData().equals(patched.getData())))
          .as("watch event with the patched data")
          .isTrue();
      assertThat(watched.size()).as("watch events").isGreaterThanOrEqualTo(2);
      assertThat(watched).allSatisfy(s -> assertThat(s.getStringData()).isNullOrEmpty());
    }
  }

  @Test
  void otherObjectsAreStoredAsWritten() {
    client
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("not-a-secret")
                .withNamespace(NS)
                .endMetadata()
                .addToData("stringData", "stays")
                .build())
        .create();
    assertThat(client.configMaps().inNamespace(NS).withName("not-a-secret").get().getData())
        .containsOnly(Map.entry("stringData", "stays"));
  }

  private static String base64(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }
}
