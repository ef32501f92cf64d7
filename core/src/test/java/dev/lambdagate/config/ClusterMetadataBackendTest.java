package dev.lambdagate.config;

import static dev.lambdagate.config.ConfigJson.KEYS;
import static dev.lambdagate.config.ConfigJson.json;
import static dev.lambdagate.config.ConfigJson.lambdaDoc;
import static dev.lambdagate.config.ConfigJson.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The routed backends shape with backends in cluster metadata, and one entry read from there. */
class ClusterMetadataBackendTest {

  @Test
  void theFlagIsOffUnlessSet() throws Exception {
    assertThat(parse("{'backends': {}}").clusterMetadataBackends()).isFalse();
    assertThat(
            parse("{'backends': {}, 'clusterMetadataBackends': false}").clusterMetadataBackends())
        .isFalse();
    FilterConfig on = parse("{'backends': {}, 'clusterMetadataBackends': true}");
    assertThat(on.clusterMetadataBackends()).isTrue();
    assertThat(on.backends()).isEmpty();
    assertThat(on.backendFor("route", "cluster")).isNull();
  }

  @Test
  void aSingleBackendNeverReadsClusterMetadata() throws Exception {
    assertThat(parse(lambdaDoc("'functionName':'echo'")).clusterMetadataBackends()).isFalse();
  }

  @Test
  void theFlagMustBeABoolean() {
    assertThatThrownBy(() -> parse("{'backends': {}, 'clusterMetadataBackends': 'yes'}"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("clusterMetadataBackends");
  }

  @Test
  void readsALambdaEntry() throws Exception {
    Backend b =
        FilterConfigParser.parseClusterBackend(
            json(lambdaDoc("'functionName':'echo','region':'eu-west-1'")), "lambdagate|default|fn");
    LambdaBackend lambda = (LambdaBackend) b;
    assertThat(lambda.lambda().functionName()).isEqualTo("echo");
    assertThat(lambda.lambda().region()).isEqualTo("eu-west-1");
    assertThat(lambda.credentials()).isInstanceOf(InlineCredentials.class);
  }

  @Test
  void readsAnErrorEntry() throws Exception {
    Backend b =
        FilterConfigParser.parseClusterBackend(
            json("{'error': 'Secret default/aws-creds not found'}"), "c");
    assertThat(((InvalidBackend) b).message()).isEqualTo("Secret default/aws-creds not found");
  }

  @Test
  void aBadEntryNamesTheClusterAndTheKeyAndNoSecret() {
    assertThatThrownBy(
            () ->
                FilterConfigParser.parseClusterBackend(
                    json("{'lambda': {'region': 'us-east-1'}, 'credentials': " + KEYS + "}"),
                    "lambdagate|default|fn"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("cluster lambdagate|default|fn metadata backend")
        .hasMessageContaining("functionName")
        .hasMessageNotContaining("wJalrXUtnFEMI");
    assertThatThrownBy(() -> FilterConfigParser.parseClusterBackend(json("[1]"), "c"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("cluster c metadata backend")
        .hasMessageContaining("expected an object");
    assertThatThrownBy(() -> FilterConfigParser.parseClusterBackend(json("{'lambda':"), "c"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("invalid JSON");
  }
}
