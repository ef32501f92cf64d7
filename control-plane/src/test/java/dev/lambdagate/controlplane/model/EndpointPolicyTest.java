package dev.lambdagate.controlplane.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lambdagate.config.Endpoint;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EndpointPolicyTest {
  private static final EndpointPolicy AWS_ONLY = EndpointPolicy.awsOnly();

  private static String lambda(EndpointPolicy policy, String url) {
    return policy.violation(Endpoint.parse(url), "lambda");
  }

  private static String sts(EndpointPolicy policy, String url) {
    return policy.violation(Endpoint.parse(url), "sts");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://lambda.us-east-1.amazonaws.com",
        "https://lambda.us-east-1.amazonaws.com:443/",
        "https://LAMBDA.EU-WEST-1.AMAZONAWS.COM",
        "https://lambda-fips.us-gov-west-1.amazonaws.com",
        "https://lambda.cn-north-1.amazonaws.com.cn",
        "https://lambda.us-iso-east-1.c2s.ic.gov",
        "https://lambda.us-isob-east-1.sc2s.sgov.gov",
        "https://lambda.us-east-1.api.aws",
        "https://lambda-fips.us-east-1.api.aws",
        "https://lambda.dualstack.us-east-1.amazonaws.com",
        "https://vpce-0123456789abcdef0-abcdefgh.lambda.us-east-1.vpce.amazonaws.com",
        "https://vpce-0123456789abcdef0-abcdefgh-us-east-1a.lambda.us-east-1.vpce.amazonaws.com",
        "https://vpce-0a1b2c3d.lambda.cn-northwest-1.vpce.amazonaws.com.cn",
        "http://127.0.0.1:9001",
        "http://127.1.2.3:9001",
        "http://localhost:9001",
        "http://[::1]:9001",
        "https://localhost"
      })
  void awsLambdaEndpointsAndLoopbackAreAllowed(String url) {
    assertThat(lambda(AWS_ONLY, url)).isNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://sts.us-east-1.amazonaws.com",
        "https://sts.amazonaws.com",
        "https://sts-fips.us-east-2.amazonaws.com",
        "https://sts.cn-north-1.amazonaws.com.cn",
        "https://sts.us-east-1.api.aws",
        "https://vpce-0123456789abcdef0-abcdefgh.sts.eu-central-1.vpce.amazonaws.com",
        "http://127.0.0.1:9002"
      })
  void awsStsEndpointsAndLoopbackAreAllowed(String url) {
    assertThat(sts(AWS_ONLY, url)).isNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://lambda.internal.example:8443",
        "https://evil.com",
        "https://lambda.us-east-1.amazonaws.com.evil.com",
        "https://evilamazonaws.com",
        "https://lambda.us-east-1.evilamazonaws.com",
        "https://lambda.us-east-1.amazonaws.com.",
        "https://lambdaxus-east-1.amazonaws.com",
        "https://xlambda.us-east-1.amazonaws.com",
        "https://lambda.us-east-1.amazonaws.co",
        "https://lambda.us-east-1.api.aws.evil.com",
        "https://vpce-1.lambda.us-east-1.vpce.amazonaws.com.evil.com",
        "https://sts.us-east-1.amazonaws.com",
        "https://s3.us-east-1.amazonaws.com",
        "https://10.0.0.1",
        "https://169.254.169.254",
        "http://169.254.169.254",
        "https://[fd00::1]",
        "https://2130706433",
        "http://127.0.0.1.evil.com:9001",
        "http://localhost.evil.com",
        "http://lambda-emulator.test.svc:9001"
      })
  void everythingElseIsRefusedForLambda(String url) {
    assertThat(lambda(AWS_ONLY, url))
        .contains("is not an AWS lambda endpoint")
        .contains("--endpoint-allowlist");
  }

  @Test
  void awsNamesNeedHttpsOn443() {
    assertThat(lambda(AWS_ONLY, "http://lambda.us-east-1.amazonaws.com"))
        .contains("must use https");
    assertThat(lambda(AWS_ONLY, "https://lambda.us-east-1.amazonaws.com:8443"))
        .contains("must use port 443");
    assertThat(sts(AWS_ONLY, "http://sts.amazonaws.com")).contains("must use https");
  }

  @Test
  void aLambdaNameIsNoStsEndpoint() {
    assertThat(sts(AWS_ONLY, "https://lambda.us-east-1.amazonaws.com"))
        .contains("is not an AWS sts endpoint");
    assertThat(sts(AWS_ONLY, "https://sts.example.com")).contains("is not an AWS sts endpoint");
  }

  @Test
  void userInformationNeverGetsThatFar() {
    // Endpoint.parse refuses it, so no policy check could be fooled by the host it hides.
    assertThatThrownBy(() -> Endpoint.parse("https://lambda.us-east-1.amazonaws.com@evil.com"))
        .hasMessage("must not contain user information");
  }

  @Test
  void theOperatorsAllowlistAddsHostsWithOrWithoutPort() {
    EndpointPolicy policy =
        EndpointPolicy.withAllowlist(
            List.of(
                "lambda-emulator.test.svc:9001", " Lambda.Internal.Example ", "[fd00::1]:443", ""));
    assertThat(lambda(policy, "http://lambda-emulator.test.svc:9001")).isNull();
    assertThat(lambda(policy, "https://lambda-emulator.test.svc:9001")).isNull();
    assertThat(lambda(policy, "http://lambda-emulator.test.svc:9002"))
        .contains("is not an AWS lambda endpoint");
    assertThat(lambda(policy, "https://lambda.internal.example:8443")).isNull();
    assertThat(lambda(policy, "http://lambda.internal.example")).isNull();
    assertThat(lambda(policy, "https://[fd00::1]")).isNull();
    assertThat(sts(policy, "https://lambda.internal.example")).isNull();
    assertThat(lambda(policy, "https://sub.lambda.internal.example"))
        .contains("is not an AWS lambda endpoint");
    assertThat(lambda(policy, "https://lambda.internal.example.evil.com"))
        .contains("is not an AWS lambda endpoint");
  }

  @Test
  void aBadAllowlistEntryIsNamed() {
    assertThatThrownBy(() -> EndpointPolicy.withAllowlist(List.of("ok.example", "a/b")))
        .hasMessageStartingWith("\"a/b\" must not have a path");
    assertThatThrownBy(() -> EndpointPolicy.withAllowlist(List.of("user@host")))
        .hasMessageContaining("\"user@host\" must not contain user information");
  }

  @Test
  void loopbackIsExactlyLocalhost127And1() {
    assertThat(EndpointPolicy.isLoopback("127.0.0.1")).isTrue();
    assertThat(EndpointPolicy.isLoopback("127.255.255.255")).isTrue();
    assertThat(EndpointPolicy.isLoopback("127.0.0.256")).isFalse();
    assertThat(EndpointPolicy.isLoopback("127.0.0")).isFalse();
    assertThat(EndpointPolicy.isLoopback("128.0.0.1")).isFalse();
    assertThat(EndpointPolicy.isLoopback("::2")).isFalse();
  }
}
