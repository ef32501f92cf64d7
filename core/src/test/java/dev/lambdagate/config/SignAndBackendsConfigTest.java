package dev.lambdagate.config;

import static dev.lambdagate.config.ConfigJson.KEYS;
import static dev.lambdagate.config.ConfigJson.parse;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SignAndBackendsConfigTest {

  @Test
  void readsTheDocumentedSignExample() throws Exception {
    FilterConfig config =
        parse(
            "{'sign': {'service': 'execute-api', 'region': 'us-east-1', "
                + "'unsignedPayload': false, 'hostRewrite': null, 'excludedHeaders': []},"
                + " 'credentials': {'accessKeyId': 'AKIDEXAMPLE', 'secretAccessKey': 'abc', 'sessionToken': null}}");

    SignBackend backend = (SignBackend) config.singleBackend();
    SignConfig sign = backend.sign();
    assertThat(sign.service()).isEqualTo("execute-api");
    assertThat(sign.region()).isEqualTo("us-east-1");
    assertThat(sign.unsignedPayload()).isFalse();
    assertThat(sign.hostRewrite()).isNull();
    assertThat(sign.excludedHeaders())
        .containsExactlyElementsOf(SignConfig.ALWAYS_EXCLUDED_HEADERS);
    assertThat(sign.isExcluded("x-amzn-trace-id")).isTrue();
    assertThat(sign.isExcluded("connection")).isTrue();
    assertThat(sign.isExcluded("expect")).isTrue();
    assertThat(sign.isExcluded("content-type")).isFalse();
    assertThat(config.backendFor("any", "thing")).isSameAs(backend);
    assertThat(config.backendFor(null, null)).isSameAs(backend);
  }

  @Test
  void addsConfiguredExcludedHeadersInLowerCaseWithoutDuplicates() throws Exception {
    SignConfig sign =
        ((SignBackend)
                parse(
                        "{'sign': {'service': 's3', 'region': 'eu-central-1', "
                            + "'unsignedPayload': true, 'hostRewrite': 'My-Bucket.S3.amazonaws.com:8443', "
                            + "'excludedHeaders': ['User-Agent', 'X-Forwarded-For', 'user-agent']}, 'credentials': "
                            + KEYS
                            + "}")
                    .singleBackend())
            .sign();

    assertThat(sign.unsignedPayload()).isTrue();
    assertThat(sign.hostRewrite()).isEqualTo("my-bucket.s3.amazonaws.com:8443");
    assertThat(sign.excludedHeaders())
        .endsWith("user-agent")
        .containsOnlyOnce("user-agent", "x-forwarded-for");
    assertThat(sign.isExcluded("user-agent")).isTrue();
  }

  @Test
  void readsTheDocumentedBackendsExample() throws Exception {
    FilterConfig config =
        parse(
            "{'backends': {"
                + "'default/lambda': {'lambda': {'functionName': 'echo', 'region': 'us-east-1'},"
                + "                   'credentials': {'accessKeyId': 'AKID', 'secretAccessKey': 'abc'}},"
                + "'default/broken': {'error': 'Backend default/broken: Secret default/aws-creds not found'}},"
                + "'routes':   {'default/lambda/rule-0/match-0': 'default/lambda'},"
                + "'clusters': {'lambdagate|default|lambda': 'default/lambda', 'lambdagate|default|broken': 'default/broken'}}");

    assertThat(config.isMultiBackend()).isTrue();
    assertThat(config.singleBackend()).isNull();
    assertThat(config.backends()).containsOnlyKeys("default/lambda", "default/broken");
    Backend lambda = config.backends().get("default/lambda");
    assertThat(((LambdaBackend) lambda).lambda().invokePath())
        .isEqualTo("/2015-03-31/functions/echo/invocations");
    InvalidBackend broken = (InvalidBackend) config.backends().get("default/broken");
    assertThat(broken.message())
        .isEqualTo("Backend default/broken: Secret default/aws-creds not found");
    assertThat(config.routes()).containsEntry("default/lambda/rule-0/match-0", "default/lambda");

    assertThat(config.backendFor("default/lambda/rule-0/match-0", null)).isSameAs(lambda);
    assertThat(config.backendFor("unmapped-route", "lambdagate|default|lambda")).isSameAs(lambda);
    assertThat(config.backendFor(null, "lambdagate|default|broken")).isSameAs(broken);
    assertThat(config.backendFor("unmapped-route", "unmapped-cluster")).isNull();
    assertThat(config.backendFor(null, null)).isNull();
  }

  @Test
  void theRouteWinsOverTheCluster() throws Exception {
    FilterConfig config =
        parse(
            "{'backends': {"
                + "'a': {'lambda': {'functionName': 'a'}, 'credentials': "
                + KEYS
                + "},"
                + "'b': {'lambda': {'functionName': 'b'}, 'credentials': "
                + KEYS
                + "}},"
                + "'routes': {'r': 'a'}, 'clusters': {'c': 'b'}}");

    assertThat(((LambdaBackend) config.backendFor("r", "c")).lambda().functionName())
        .isEqualTo("a");
    assertThat(((LambdaBackend) config.backendFor("other", "c")).lambda().functionName())
        .isEqualTo("b");
  }

  @Test
  void acceptsBackendsWithoutRoutesOrClustersAndSignBackends() throws Exception {
    FilterConfig config =
        parse(
            "{'backends': {'s': {'sign': {'service': 'execute-api', 'region': 'us-east-1'},"
                + " 'credentials': "
                + KEYS
                + "}}}");

    assertThat(config.backends().get("s")).isInstanceOf(SignBackend.class);
    assertThat(config.routes()).isEmpty();
    assertThat(config.clusters()).isEmpty();
    assertThat(config.backendFor("s", "s")).isNull();
    assertThat(parse("{'backends': {}}").backends()).isEmpty();
  }

  @Test
  void treatsAnEmptySessionTokenAsNone() throws Exception {
    InlineCredentials keys =
        (InlineCredentials)
            ((LambdaBackend)
                    parse(
                            "{'lambda': {'functionName': 'echo'}, "
                                + "'credentials': {'accessKeyId': 'AKIA0000', 'secretAccessKey': 's', 'sessionToken': ''}}")
                        .singleBackend())
                .credentials();

    assertThat(keys.sessionToken()).isNull();
    assertThat(keys.toString())
        .isEqualTo(
            "InlineCredentials{accessKeyId=AKIA..., secretAccessKey=<redacted>, sessionToken=none}");
  }

  @Test
  void keepsASessionTokenButNeverShowsIt() throws Exception {
    InlineCredentials keys =
        (InlineCredentials)
            ((LambdaBackend)
                    parse(
                            "{'lambda': {'functionName': 'echo'}, "
                                + "'credentials': {'accessKeyId': 'ASIA0000', 'secretAccessKey': 's3cr3t', 'sessionToken': 'T0KEN+/='}}")
                        .singleBackend())
                .credentials();

    assertThat(keys.sessionToken()).isEqualTo("T0KEN+/=");
    assertThat(keys.toString())
        .doesNotContain("s3cr3t")
        .doesNotContain("T0KEN")
        .contains("sessionToken=<redacted>");
  }

  @Test
  void readsWebIdentityWithDefaultsFromTheBackendRegion() throws Exception {
    WebIdentityCredentials web =
        (WebIdentityCredentials)
            ((LambdaBackend)
                    parse(
                            "{'lambda': {'functionName': 'echo', 'region': 'eu-west-1'}, 'credentials': {'webIdentity': "
                                + "{'roleArn': 'arn:aws:iam::123456789012:role/lambda-invoker', 'token': 'eyJhbGciOi.x.y',"
                                + " 'stsCluster': 'sts'}}}")
                        .singleBackend())
                .credentials();

    assertThat(web.roleArn()).isEqualTo("arn:aws:iam::123456789012:role/lambda-invoker");
    assertThat(web.token()).isEqualTo("eyJhbGciOi.x.y");
    assertThat(web.stsRegion()).isEqualTo("eu-west-1");
    assertThat(web.stsEndpoint().url()).isEqualTo("https://sts.eu-west-1.amazonaws.com");
    assertThat(web.stsCluster()).isEqualTo("sts");
    assertThat(web.toString()).doesNotContain("eyJhbGciOi").contains("token=<redacted>");
  }

  @Test
  void readsWebIdentityWithExplicitStsSettings() throws Exception {
    WebIdentityCredentials web =
        (WebIdentityCredentials)
            ((LambdaBackend)
                    parse(
                            "{'lambda': {'functionName': 'echo'}, 'credentials': {'webIdentity': "
                                + "{'roleArn': 'arn:aws-us-gov:iam::123456789012:role/path/to/role', 'token': 't',"
                                + " 'stsRegion': 'us-gov-west-1', 'stsEndpoint': 'http://sts-emulator:4566',"
                                + " 'stsCluster': 'lambdagate|sts'}}}")
                        .singleBackend())
                .credentials();

    assertThat(web.stsRegion()).isEqualTo("us-gov-west-1");
    assertThat(web.stsEndpoint().authority()).isEqualTo("sts-emulator:4566");
    assertThat(web.stsEndpoint().isTls()).isFalse();
  }

  @Test
  void ignoresUnknownKeysForForwardCompatibility() throws Exception {
    FilterConfig config =
        parse(
            "{'lambda': {'functionName': 'echo', 'futureOption': [1]}, 'credentials': "
                + KEYS
                + ", 'telemetry': {}}");

    assertThat(((LambdaBackend) config.singleBackend()).lambda().functionName()).isEqualTo("echo");
  }

  @Test
  void readsAssumeRoleChainedToWebIdentityWithItsStsSettings() throws Exception {
    AssumeRoleCredentials chain =
        (AssumeRoleCredentials)
            ((LambdaBackend)
                    parse(
                            "{'lambda': {'functionName': 'echo', 'region': 'eu-west-1'}, 'credentials': {'webIdentity': "
                                + "{'roleArn': 'arn:aws:iam::123456789012:role/irsa', 'token': 'eyJhbGciOi.x.y',"
                                + " 'stsEndpoint': 'http://sts-emulator:4566', 'stsCluster': 'sts'},"
                                + " 'assumeRole': {'roleArn': 'arn:aws:iam::210987654321:role/target',"
                                + " 'roleSessionName': 'gateway', 'externalId': 'ext-42'}}}")
                        .singleBackend())
                .credentials();

    assertThat(chain.base()).isInstanceOf(WebIdentityCredentials.class);
    assertThat(chain.roleArn()).isEqualTo("arn:aws:iam::210987654321:role/target");
    assertThat(chain.roleSessionName()).isEqualTo("gateway");
    assertThat(chain.externalId()).isEqualTo("ext-42");
    assertThat(chain.stsRegion()).isEqualTo("eu-west-1");
    assertThat(chain.stsEndpoint().authority()).isEqualTo("sts-emulator:4566");
    assertThat(chain.stsCluster()).isEqualTo("sts");
    assertThat(chain.toString()).doesNotContain("eyJhbGciOi").doesNotContain("ext-42");
  }

  @Test
  void readsAssumeRoleWithInlineKeys() throws Exception {
    AssumeRoleCredentials chain =
        (AssumeRoleCredentials)
            ((LambdaBackend)
                    parse(
                            "{'lambda': {'functionName': 'echo', 'region': 'eu-west-1'}, 'credentials': {"
                                + "'accessKeyId': 'AKIA0000', 'secretAccessKey': 's3cr3t',"
                                + " 'assumeRole': {'roleArn': 'arn:aws:iam::210987654321:role/target',"
                                + " 'stsCluster': 'sts', 'stsRegion': 'us-west-2'}}}")
                        .singleBackend())
                .credentials();

    assertThat(chain.base()).isInstanceOf(InlineCredentials.class);
    assertThat(chain.roleSessionName()).isNull();
    assertThat(chain.stsEndpoint().url()).isEqualTo("https://sts.us-west-2.amazonaws.com");
    assertThat(chain.toString()).doesNotContain("s3cr3t");
  }
}
