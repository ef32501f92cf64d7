package dev.lambdagate.config;

import static dev.lambdagate.config.ConfigJson.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** {@code credentials.podIdentity}: what is read, its defaults and its errors. */
class PodIdentityConfigTest {

  static CredentialSource credentials(String podIdentity) throws ConfigException {
    return ((LambdaBackend)
            parse(
                    "{'lambda': {'functionName': 'echo'}, 'credentials': {'podIdentity': "
                        + podIdentity
                        + "}}")
                .singleBackend())
        .credentials();
  }

  @Test
  void readsTokenAndClusterWithTheAgentAddressAsDefaultAuthority() throws Exception {
    PodIdentityCredentials pod =
        (PodIdentityCredentials)
            credentials("{'token': 'eyJhbGciOi.x.y', 'cluster': 'lambdagate-pod-identity-agent'}");

    assertThat(pod.token()).isEqualTo("eyJhbGciOi.x.y");
    assertThat(pod.cluster()).isEqualTo("lambdagate-pod-identity-agent");
    assertThat(pod.authority()).isEqualTo("169.254.170.23");
    assertThat(pod.toString()).doesNotContain("eyJhbGciOi").contains("token=<redacted>");
  }

  @Test
  void takesAnExplicitAuthority() throws Exception {
    PodIdentityCredentials pod =
        (PodIdentityCredentials)
            credentials("{'token': 't', 'cluster': 'agent', 'authority': '[fd00:ec2::23]'}");

    assertThat(pod.authority()).isEqualTo("[fd00:ec2::23]");
  }

  @Test
  void refusesMissingFieldsNamingThem() {
    assertThatThrownBy(() -> credentials("{'cluster': 'agent'}"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("credentials.podIdentity.token");
    assertThatThrownBy(() -> credentials("{'token': 't'}"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("credentials.podIdentity.cluster");
  }

  @Test
  void refusesATokenWithSpacesWithoutQuotingIt() {
    assertThatThrownBy(() -> credentials("{'token': 'sec ret', 'cluster': 'agent'}"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("credentials.podIdentity.token")
        .hasMessageNotContaining("sec ret");
  }

  @Test
  void refusesPodIdentityBesideOtherSourcesOrChained() {
    assertThatThrownBy(
            () ->
                parse(
                    "{'lambda': {'functionName': 'echo'}, 'credentials': {'podIdentity': "
                        + "{'token': 't', 'cluster': 'a'}, 'accessKeyId': 'AKID', 'secretAccessKey': 's'}}"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("podIdentity");
    assertThatThrownBy(
            () ->
                parse(
                    "{'lambda': {'functionName': 'echo'}, 'credentials': {'podIdentity': "
                        + "{'token': 't', 'cluster': 'a'}, 'assumeRole': "
                        + "{'roleArn': 'arn:aws:iam::123456789012:role/r', 'stsCluster': 's'}}}"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("credentials.assumeRole")
        .hasMessageContaining("not supported");
  }
}
