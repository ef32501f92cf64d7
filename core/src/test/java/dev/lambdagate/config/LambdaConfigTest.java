package dev.lambdagate.config;

import static dev.lambdagate.config.ConfigJson.lambda;
import static dev.lambdagate.config.ConfigJson.parse;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LambdaConfigTest {

  @Test
  void resolvesTheDocumentedExampleToTheFullArn() throws Exception {
    FilterConfig config =
        parse(
            "{'lambda': {'functionName': 'echo', 'region': 'us-east-1', "
                + "'accountId': '123456789012', 'qualifier': null, 'invocationMode': 'Sync', "
                + "'payloadTransformMode': 'None', 'endpoint': null},"
                + " 'credentials': {'accessKeyId': 'AKIDEXAMPLE', 'secretAccessKey': 'secret', 'sessionToken': null}}");

    assertThat(config.isMultiBackend()).isFalse();
    LambdaBackend backend = (LambdaBackend) config.singleBackend();
    LambdaConfig lambda = backend.lambda();
    assertThat(lambda.functionName()).isEqualTo("echo");
    assertThat(lambda.region()).isEqualTo("us-east-1");
    assertThat(lambda.accountId()).isEqualTo("123456789012");
    assertThat(lambda.qualifier()).isNull();
    assertThat(lambda.invocationMode()).isEqualTo(InvocationMode.SYNC);
    assertThat(lambda.payloadTransformMode()).isEqualTo(PayloadTransformMode.NONE);
    assertThat(lambda.invokePath())
        .isEqualTo(
            "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Aecho/invocations");
    assertThat(lambda.endpoint().url()).isEqualTo("https://lambda.us-east-1.amazonaws.com");
    assertThat(lambda.endpoint().authority()).isEqualTo("lambda.us-east-1.amazonaws.com");
    assertThat(lambda.endpoint().isTls()).isTrue();
    assertThat(lambda.endpoint().port()).isEqualTo(443);
    assertThat(lambda.invocationType()).isEqualTo("RequestResponse");
    assertThat(lambda.payloadLimitBytes()).isEqualTo(6291456);
    assertThat(lambda.functionErrorStatus()).isEqualTo(502);
    InlineCredentials keys = (InlineCredentials) backend.credentials();
    assertThat(keys.accessKeyId()).isEqualTo("AKIDEXAMPLE");
    assertThat(keys.secretAccessKey()).isEqualTo("secret");
    assertThat(keys.sessionToken()).isNull();
  }

  @Test
  void appliesDefaultsToAMinimalDocument() throws Exception {
    LambdaConfig lambda = lambda("'functionName':'echo'");

    assertThat(lambda.region()).isEqualTo("us-east-1");
    assertThat(lambda.accountId()).isNull();
    assertThat(lambda.invokePath()).isEqualTo("/2015-03-31/functions/echo/invocations");
    assertThat(lambda.endpoint().authority()).isEqualTo("lambda.us-east-1.amazonaws.com");
    assertThat(lambda.invocationMode()).isEqualTo(InvocationMode.SYNC);
    assertThat(lambda.payloadTransformMode()).isEqualTo(PayloadTransformMode.NONE);
    assertThat(lambda.functionErrorStatus()).isEqualTo(502);
  }

  @Test
  void treatsNullAndEmptyOptionalKeysAsDefaults() throws Exception {
    LambdaConfig lambda =
        lambda(
            "'functionName':'echo','region':'','accountId':null,'qualifier':'',"
                + "'invocationMode':null,'payloadTransformMode':'','endpoint':'','functionErrorStatus':null");

    assertThat(lambda.toString()).isEqualTo(lambda("'functionName':'echo'").toString());
  }

  @Test
  void theStaticInvokePathIsTheParsedObjects() throws Exception {
    assertThat(LambdaConfig.invokePath("echo", "us-east-1", null, "live"))
        .isEqualTo(lambda("'functionName':'echo','qualifier':'live'").invokePath());
    assertThat(LambdaConfig.invokePath("echo", "eu-west-1", "123456789012", null))
        .isEqualTo(
            lambda("'functionName':'echo','region':'eu-west-1','accountId':'123456789012'")
                .invokePath());
    assertThat(LambdaConfig.invokePath("echo:live", "us-east-1", null, "live"))
        .isEqualTo("/2015-03-31/functions/echo%3Alive/invocations");
  }

  @Test
  void sendsTheQualifierKeyAsAQueryParameter() throws Exception {
    assertThat(lambda("'functionName':'echo','qualifier':'live'").invokePath())
        .isEqualTo("/2015-03-31/functions/echo/invocations?Qualifier=live");
    assertThat(lambda("'functionName':'echo','qualifier':'$LATEST'").invokePath())
        .isEqualTo("/2015-03-31/functions/echo/invocations?Qualifier=%24LATEST");
    assertThat(lambda("'functionName':'echo','qualifier':'7'").qualifier()).isEqualTo("7");
  }

  @Test
  void encodesTheColonOfNameAndQualifier() throws Exception {
    LambdaConfig lambda = lambda("'functionName':'my-function_1:v2'");

    assertThat(lambda.invokePath())
        .isEqualTo("/2015-03-31/functions/my-function_1%3Av2/invocations");
    assertThat(lambda.qualifier()).isEqualTo("v2");
  }

  @Test
  void aQualifierInTheNameAndTheSameQualifierKeyIsSentOnce() throws Exception {
    assertThat(lambda("'functionName':'echo:live','qualifier':'live'").invokePath())
        .isEqualTo("/2015-03-31/functions/echo%3Alive/invocations");
  }

  @Test
  void keepsTheQualifierOfAPlainNameInTheFullArn() throws Exception {
    assertThat(
            lambda("'functionName':'echo:live','accountId':'123456789012','region':'eu-west-1'")
                .invokePath())
        .isEqualTo(
            "/2015-03-31/functions/"
                + "arn%3Aaws%3Alambda%3Aeu-west-1%3A123456789012%3Afunction%3Aecho%3Alive/invocations");
  }

  @Test
  void acceptsAPartialArn() throws Exception {
    LambdaConfig lambda =
        lambda("'functionName':'123456789012:function:echo:3','region':'eu-west-1'");

    assertThat(lambda.accountId()).isEqualTo("123456789012");
    assertThat(lambda.qualifier()).isEqualTo("3");
    assertThat(lambda.invokePath())
        .isEqualTo("/2015-03-31/functions/123456789012%3Afunction%3Aecho%3A3/invocations");
    assertThat(lambda.endpoint().authority()).isEqualTo("lambda.eu-west-1.amazonaws.com");
  }

  @Test
  void takesTheRegionAndAccountOfAFullArn() throws Exception {
    LambdaConfig lambda =
        lambda("'functionName':'arn:aws:lambda:us-west-2:123456789012:function:echo'");

    assertThat(lambda.region()).isEqualTo("us-west-2");
    assertThat(lambda.accountId()).isEqualTo("123456789012");
    assertThat(lambda.endpoint().authority()).isEqualTo("lambda.us-west-2.amazonaws.com");
    assertThat(lambda.invokePath())
        .isEqualTo(
            "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-west-2%3A123456789012%3Afunction%3Aecho/invocations");
  }

  @Test
  void acceptsAFullArnWithAQualifierAndMatchingKeys() throws Exception {
    LambdaConfig lambda =
        lambda(
            "'functionName':'arn:aws:lambda:us-west-2:123456789012:function:echo:$LATEST',"
                + "'region':'us-west-2','accountId':'123456789012'");

    assertThat(lambda.qualifier()).isEqualTo("$LATEST");
    assertThat(lambda.invokePath())
        .isEqualTo(
            "/2015-03-31/functions/"
                + "arn%3Aaws%3Alambda%3Aus-west-2%3A123456789012%3Afunction%3Aecho%3A%24LATEST/invocations");
  }

  @Test
  void usesThePartitionAndDomainOfChinaRegions() throws Exception {
    LambdaConfig lambda =
        lambda("'functionName':'echo','region':'cn-north-1','accountId':'123456789012'");

    assertThat(lambda.endpoint().url()).isEqualTo("https://lambda.cn-north-1.amazonaws.com.cn");
    assertThat(lambda.invokePath())
        .startsWith("/2015-03-31/functions/arn%3Aaws-cn%3Alambda%3Acn-north-1%3A");
  }

  @Test
  void resolvesEachInvocationMode() throws Exception {
    LambdaConfig async = lambda("'functionName':'echo','invocationMode':'Async'");
    assertThat(async.invocationType()).isEqualTo("Event");
    assertThat(async.payloadLimitBytes()).isEqualTo(1048576);

    LambdaConfig dryRun = lambda("'functionName':'echo','invocationMode':'DryRun'");
    assertThat(dryRun.invocationType()).isEqualTo("DryRun");
    assertThat(dryRun.payloadLimitBytes()).isEqualTo(6291456);
  }

  @Test
  void readsEachPayloadTransformMode() throws Exception {
    assertThat(lambda("'functionName':'f','payloadTransformMode':'Envoy'").payloadTransformMode())
        .isEqualTo(PayloadTransformMode.ENVOY);
    assertThat(
            lambda("'functionName':'f','payloadTransformMode':'ApiGatewayV1'")
                .payloadTransformMode())
        .isEqualTo(PayloadTransformMode.API_GATEWAY_V1);
    assertThat(
            lambda("'functionName':'f','payloadTransformMode':'ApiGatewayV2'")
                .payloadTransformMode())
        .isEqualTo(PayloadTransformMode.API_GATEWAY_V2);
  }

  @Test
  void readsACustomEndpoint() throws Exception {
    Endpoint local = lambda("'functionName':'f','endpoint':'http://Localhost:9001'").endpoint();
    assertThat(local.isTls()).isFalse();
    assertThat(local.host()).isEqualTo("localhost");
    assertThat(local.port()).isEqualTo(9001);
    assertThat(local.authority()).isEqualTo("localhost:9001");

    Endpoint defaultPort =
        lambda("'functionName':'f','endpoint':'HTTPS://lambda.example.com:443/'").endpoint();
    assertThat(defaultPort.isTls()).isTrue();
    assertThat(defaultPort.authority()).isEqualTo("lambda.example.com");
    assertThat(defaultPort.url()).isEqualTo("https://lambda.example.com");

    Endpoint ipv6 = lambda("'functionName':'f','endpoint':'http://[::1]:8080'").endpoint();
    assertThat(ipv6.host()).isEqualTo("[::1]");
    assertThat(ipv6.authority()).isEqualTo("[::1]:8080");
  }

  @Test
  void readsFunctionErrorStatus() throws Exception {
    assertThat(lambda("'functionName':'f','functionErrorStatus':200").functionErrorStatus())
        .isEqualTo(200);
    assertThat(lambda("'functionName':'f','functionErrorStatus':599").functionErrorStatus())
        .isEqualTo(599);
  }

  @Test
  void streamingModeInvokesWithResponseStreamOnTheSameTarget() throws Exception {
    LambdaConfig buffered = lambda("'functionName':'echo','qualifier':'live'");
    LambdaConfig streaming =
        lambda("'functionName':'echo','qualifier':'live','responseMode':'Streaming'");

    assertThat(buffered.responseMode()).isEqualTo(ResponseMode.BUFFERED);
    assertThat(streaming.responseMode()).isEqualTo(ResponseMode.STREAMING);
    assertThat(streaming.invokePath())
        .isEqualTo("/2021-11-15/functions/echo/response-streaming-invocations?Qualifier=live");
    assertThat(lambda("'functionName':'echo','responseMode':'Buffered'").invokePath())
        .isEqualTo("/2015-03-31/functions/echo/invocations");
    // The full ARN when an account is configured, as for Invoke.
    assertThat(
            lambda("'functionName':'echo','accountId':'123456789012','responseMode':'Streaming'")
                .invokePath())
        .isEqualTo(
            "/2021-11-15/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Aecho"
                + "/response-streaming-invocations");
    // The control plane's DryRun check uses Invoke whatever the mode.
    assertThat(LambdaConfig.invokePath("echo", "us-east-1", null, "live"))
        .isEqualTo(buffered.invokePath());
    assertThat(streaming.toString()).contains("responseMode=Streaming");
  }

  @Test
  void acceptsFunctionNamesAtTheLengthLimits() throws Exception {
    String name64 = "a".repeat(64);
    assertThat(lambda("'functionName':'" + name64 + "'").invokePath()).contains("/" + name64 + "/");

    String arn = "arn:aws:lambda:us-east-1:123456789012:function:" + name64 + ":" + "q".repeat(128);
    assertThat(arn.length()).isLessThanOrEqualTo(256);
    assertThat(lambda("'functionName':'" + arn + "'").qualifier()).hasSize(128);
  }

  @Test
  void toStringShowsNoCredentials() throws Exception {
    FilterConfig config = parse(ConfigJson.lambdaDoc("'functionName':'echo'"));

    assertThat(config.singleBackend().toString())
        .contains("functionName=echo")
        .contains("accessKeyId=AKID...")
        .doesNotContain("AKIDEXAMPLE")
        .doesNotContain("wJalrXUtnFEMI");
  }
}
