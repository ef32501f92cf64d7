package dev.lambdagate.config;

import static dev.lambdagate.config.ConfigJson.KEYS;
import static dev.lambdagate.config.ConfigJson.lambdaDoc;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every rejected configuration names the JSON path of the offending key. */
class ConfigErrorsTest {

  private static final String ROLE = "'roleArn':'arn:aws:iam::123456789012:role/r'";

  @Test
  void aConfigurationOverTheSizeLimitIsRefusedNamingTheLimit() {
    String padding = "x".repeat(FilterConfigParser.MAX_CONFIG_BYTES);
    byte[] doc =
        ("{\"lambda\":{},\"padding\":\"" + padding + "\"}").getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> FilterConfigParser.parse(doc))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("over the limit of 8388608 bytes (8 MiB)")
        .hasMessageContaining(Integer.toString(doc.length));
  }

  static Stream<Arguments> invalidDocuments() {
    return Stream.of(
        // The document as a whole
        Arguments.of(
            "[]", "expected an object with one of the keys sign, lambda or backends, got array"),
        Arguments.of("{}", "expected an object with one of the keys sign, lambda or backends"),
        Arguments.of(
            "{'lambda': null, 'credentials': " + KEYS + "}",
            "expected an object with one of the keys sign, lambda or backends"),
        Arguments.of("{'sign': {}, 'lambda': {}}", "expected either sign or lambda, not both"),
        Arguments.of(
            "{'backends': {}, 'lambda': {}}",
            "expected either backends or one backend (sign or lambda), not both"),
        Arguments.of(
            "{'lambda': 'echo', 'credentials': " + KEYS + "}",
            "lambda: expected an object, got string"),

        // lambda.*
        Arguments.of(lambdaDoc("'region':'us-east-1'"), "lambda.functionName: required"),
        Arguments.of(lambdaDoc("'functionName':''"), "lambda.functionName: must not be empty"),
        Arguments.of(
            lambdaDoc("'functionName':7"), "lambda.functionName: expected a string, got number"),
        Arguments.of(
            lambdaDoc("'functionName':'" + "a".repeat(257) + "'"),
            "lambda.functionName: must be at most 256 characters"),
        Arguments.of(
            lambdaDoc("'functionName':'" + "a".repeat(65) + "'"),
            "lambda.functionName: the function name must be 1 to 64 letters, digits, '-' or '_'"),
        Arguments.of(
            lambdaDoc("'functionName':'my.function'"),
            "lambda.functionName: the function name must be 1 to 64 letters, digits, '-' or '_'"),
        Arguments.of(
            lambdaDoc("'functionName':'a:b:c'"),
            "lambda.functionName: must be a function name, name:qualifier, a partial ARN "
                + "123456789012:function:name or a full ARN arn:aws:lambda:region:123456789012:function:name"),
        Arguments.of(
            lambdaDoc("'functionName':'arn:aws:s3:us-east-1:123456789012:function:f'"),
            "lambda.functionName: must be a function name, name:qualifier, a partial ARN "
                + "123456789012:function:name or a full ARN arn:aws:lambda:region:123456789012:function:name"),
        Arguments.of(
            lambdaDoc("'functionName':'arn:aws:lambda:US-EAST-1:123456789012:function:f'"),
            "lambda.functionName: the region in the ARN is not a valid region name"),
        Arguments.of(
            lambdaDoc("'functionName':'arn:aws:lambda:us-east-1:12345:function:f'"),
            "lambda.functionName: the account id in the ARN must be 12 digits"),
        Arguments.of(
            lambdaDoc("'functionName':'12345:function:f'"),
            "lambda.functionName: the account id in the ARN must be 12 digits"),
        Arguments.of(
            lambdaDoc("'functionName':'echo:'"),
            "lambda.functionName: the qualifier after the function name must be $LATEST, a version or an "
                + "alias (letters, digits, '-' or '_')"),
        Arguments.of(
            lambdaDoc("'functionName':'echo:$PROD'"),
            "lambda.functionName: the qualifier after the function name must be $LATEST, a version or an "
                + "alias (letters, digits, '-' or '_')"),
        Arguments.of(
            lambdaDoc("'functionName':'echo','region':1"),
            "lambda.region: expected a string, got number"),
        Arguments.of(
            lambdaDoc("'functionName':'echo','region':'US_EAST_1'"),
            "lambda.region: must be a region name like us-east-1"),
        Arguments.of(
            lambdaDoc("'functionName':'echo','region':'evil.com/x'"),
            "lambda.region: must be a region name like us-east-1"),
        Arguments.of(
            lambdaDoc(
                "'functionName':'arn:aws:lambda:us-east-1:123456789012:function:f',"
                    + "'region':'us-west-2'"),
            "lambda.region: us-west-2 does not match the region us-east-1 in the function ARN"),
        Arguments.of(
            lambdaDoc("'functionName':'echo','accountId':123456789012"),
            "lambda.accountId: expected a string, got number"),
        Arguments.of(
            lambdaDoc("'functionName':'echo','accountId':'12345678901'"),
            "lambda.accountId: must be exactly 12 digits"),
        Arguments.of(
            lambdaDoc("'functionName':'111111111111:function:f','accountId':'222222222222'"),
            "lambda.accountId: 222222222222 does not match the account 111111111111 in the function ARN"),
        Arguments.of(
            lambdaDoc("'functionName':'echo','qualifier':'a.b'"),
            "lambda.qualifier: must be $LATEST, a version or an alias: up to 128 letters, digits, '-', '_' or '$'"),
        Arguments.of(
            lambdaDoc("'functionName':'echo','qualifier':'" + "q".repeat(129) + "'"),
            "lambda.qualifier: must be $LATEST, a version or an alias: up to 128 letters, digits, '-', '_' or '$'"),
        Arguments.of(
            lambdaDoc("'functionName':'echo:live','qualifier':'beta'"),
            "lambda.qualifier: beta does not match the qualifier live in the function name"),
        Arguments.of(
            lambdaDoc("'functionName':'echo','invocationMode':'sync'"),
            "lambda.invocationMode: must be one of Sync, Async, DryRun"),
        Arguments.of(
            lambdaDoc("'functionName':'echo','invocationMode':true"),
            "lambda.invocationMode: expected a string, got boolean"),
        Arguments.of(
            lambdaDoc("'functionName':'echo','responseMode':'streaming'"),
            "lambda.responseMode: must be one of Buffered, Streaming"),
        Arguments.of(
            lambdaDoc("'functionName':'echo','invocationMode':'Async','responseMode':'Streaming'"),
            "lambda.responseMode: Streaming is not supported with invocationMode Async (an"
                + " asynchronous invocation has no response to stream)"),
        Arguments.of(
            lambdaDoc("'functionName':'echo','payloadTransformMode':'Json'"),
            "lambda.payloadTransformMode: must be one of None, Envoy, ApiGatewayV1, ApiGatewayV2"),
        Arguments.of(
            lambdaDoc("'functionName':'echo','endpoint':'ftp://lambda'"),
            "lambda.endpoint: must start with http:// or https://"),
        Arguments.of(
            lambdaDoc("'functionName':'echo','endpoint':'lambda.us-east-1.amazonaws.com'"),
            "lambda.endpoint: must start with http:// or https://"),
        Arguments.of(
            lambdaDoc("'functionName':'echo','endpoint':'https://lambda/prefix'"),
            "lambda.endpoint: must not have a path, query or fragment"),
        Arguments.of(
            lambdaDoc("'functionName':'echo','endpoint':'https://lambda?x=1'"),
            "lambda.endpoint: must not have a path, query or fragment"),
        Arguments.of(
            lambdaDoc("'functionName':'echo','endpoint':'https://user:pw@lambda'"),
            "lambda.endpoint: must not contain user information"),
        Arguments.of(
            lambdaDoc("'functionName':'echo','endpoint':'https://'"),
            "lambda.endpoint: must have a host"),
        Arguments.of(
            lambdaDoc("'functionName':'echo','endpoint':'https://:443'"),
            "lambda.endpoint: must have a host"),
        Arguments.of(
            lambdaDoc("'functionName':'echo','endpoint':'https://la mbda'"),
            "lambda.endpoint: has an invalid host: only letters, digits, '-', '.' and '_' are allowed"),
        Arguments.of(
            lambdaDoc("'functionName':'echo','endpoint':'https://lambda:0'"),
            "lambda.endpoint: has a port outside 1-65535"),
        Arguments.of(
            lambdaDoc("'functionName':'echo','endpoint':'https://lambda:65536'"),
            "lambda.endpoint: has a port outside 1-65535"),
        Arguments.of(
            lambdaDoc("'functionName':'echo','endpoint':'https://lambda:x'"),
            "lambda.endpoint: has an invalid port"),
        Arguments.of(
            lambdaDoc("'functionName':'echo','endpoint':'https://lambda:'"),
            "lambda.endpoint: has an invalid port"),
        Arguments.of(
            lambdaDoc("'functionName':'echo','endpoint':'http://[::1'"),
            "lambda.endpoint: has an unterminated IPv6 address"),
        Arguments.of(
            lambdaDoc("'functionName':'echo','functionErrorStatus':600"),
            "lambda.functionErrorStatus: must be an HTTP status from 100 to 599"),
        Arguments.of(
            lambdaDoc("'functionName':'echo','functionErrorStatus':99"),
            "lambda.functionErrorStatus: must be an HTTP status from 100 to 599"),
        Arguments.of(
            lambdaDoc("'functionName':'echo','functionErrorStatus':'502'"),
            "lambda.functionErrorStatus: expected an integer, got string"),
        Arguments.of(
            lambdaDoc("'functionName':'echo','functionErrorStatus':502.5"),
            "lambda.functionErrorStatus: expected an integer, got 502.5"),
        Arguments.of(
            lambdaDoc("'functionName':'echo','functionErrorStatus':99999999999"),
            "lambda.functionErrorStatus: expected an integer, got 99999999999"),

        // credentials.*
        Arguments.of("{'lambda':{'functionName':'echo'}}", "credentials: required"),
        Arguments.of(
            "{'lambda':{'functionName':'echo'},'credentials':[]}",
            "credentials: expected an object, got array"),
        Arguments.of(
            "{'lambda':{'functionName':'echo'},'credentials':{}}",
            "credentials.accessKeyId: required"),
        Arguments.of(
            "{'lambda':{'functionName':'echo'},'credentials':{'accessKeyId':'AKID'}}",
            "credentials.secretAccessKey: required"),
        Arguments.of(
            "{'lambda':{'functionName':'echo'},'credentials':{'accessKeyId':'AKID','secretAccessKey':null}}",
            "credentials.secretAccessKey: required"),
        Arguments.of(
            "{'lambda':{'functionName':'echo'},'credentials':{'accessKeyId':'AKID','secretAccessKey':5}}",
            "credentials.secretAccessKey: expected a string, got number"),
        Arguments.of(
            "{'lambda':{'functionName':'echo'},'credentials':{'accessKeyId':'AK/ID','secretAccessKey':'s'}}",
            "credentials.accessKeyId: must contain only letters and digits"),
        Arguments.of(
            "{'lambda':{'functionName':'echo'},'credentials':{'accessKeyId':'AKID','secretAccessKey':'s\\n'}}",
            "credentials.secretAccessKey: must contain only printable ASCII characters, without spaces"),
        Arguments.of(
            "{'lambda':{'functionName':'echo'},'credentials':{'accessKeyId':'AKID','secretAccessKey':'s',"
                + "'sessionToken':'a b'}}",
            "credentials.sessionToken: must contain only printable ASCII characters, without spaces"),
        Arguments.of(
            "{'lambda':{'functionName':'echo'},'credentials':{'accessKeyId':'AKID','secretAccessKey':'s',"
                + "'sessionToken':false}}",
            "credentials.sessionToken: expected a string, got boolean"),
        Arguments.of(
            "{'lambda':{'functionName':'echo'},'credentials':{'accessKeyId':'AKID',"
                + "'webIdentity':{"
                + ROLE
                + ",'token':'t','stsCluster':'c'}}}",
            "credentials: expected either accessKeyId and secretAccessKey or webIdentity, not both"),
        Arguments.of(
            "{'lambda':{'functionName':'echo'},'credentials':{'webIdentity':'token'}}",
            "credentials.webIdentity: expected an object, got string"),
        Arguments.of(
            "{'lambda':{'functionName':'echo'},'credentials':{'webIdentity':{'token':'t','stsCluster':'c'}}}",
            "credentials.webIdentity.roleArn: required"),
        Arguments.of(
            "{'lambda':{'functionName':'echo'},'credentials':{'webIdentity':"
                + "{'roleArn':'arn:aws:iam::123456789012:user/bob','token':'t','stsCluster':'c'}}}",
            "credentials.webIdentity.roleArn: must be an IAM role ARN like arn:aws:iam::123456789012:role/name"),
        Arguments.of(
            "{'lambda':{'functionName':'echo'},'credentials':{'webIdentity':"
                + "{'roleArn':'arn:aws:iam::1234:role/r','token':'t','stsCluster':'c'}}}",
            "credentials.webIdentity.roleArn: must be an IAM role ARN like arn:aws:iam::123456789012:role/name"),
        Arguments.of(
            "{'lambda':{'functionName':'echo'},'credentials':{'webIdentity':{"
                + ROLE
                + ",'stsCluster':'c'}}}",
            "credentials.webIdentity.token: required"),
        Arguments.of(
            "{'lambda':{'functionName':'echo'},'credentials':{'webIdentity':{"
                + ROLE
                + ",'token':'t'}}}",
            "credentials.webIdentity.stsCluster: required"),
        Arguments.of(
            "{'lambda':{'functionName':'echo'},'credentials':{'webIdentity':{"
                + ROLE
                + ",'token':'t','stsCluster':'c','stsRegion':'Mars'}}}",
            "credentials.webIdentity.stsRegion: must be a region name like us-east-1"),
        Arguments.of(
            "{'lambda':{'functionName':'echo'},'credentials':{'webIdentity':{"
                + ROLE
                + ",'token':'t','stsCluster':'c','stsEndpoint':'sts.amazonaws.com'}}}",
            "credentials.webIdentity.stsEndpoint: must start with http:// or https://"),
        Arguments.of(
            "{'lambda':{'functionName':'echo'},'credentials':{'webIdentity':{"
                + ROLE
                + ",'token':'t','stsCluster':'c'},'assumeRole':'arn'}}",
            "credentials.assumeRole: expected an object, got string"),
        Arguments.of(
            "{'lambda':{'functionName':'echo'},'credentials':{'webIdentity':{"
                + ROLE
                + ",'token':'t','stsCluster':'c'},'assumeRole':{}}}",
            "credentials.assumeRole.roleArn: required"),
        Arguments.of(
            "{'lambda':{'functionName':'echo'},'credentials':{'webIdentity':{"
                + ROLE
                + ",'token':'t','stsCluster':'c'},'assumeRole':{'roleArn':'arn:aws:iam::1:role/x'}}}",
            "credentials.assumeRole.roleArn: must be an IAM role ARN like arn:aws:iam::123456789012:role/name"),
        Arguments.of(
            "{'lambda':{'functionName':'echo'},'credentials':{'webIdentity':{"
                + ROLE
                + ",'token':'t','stsCluster':'c'},'assumeRole':{"
                + ROLE
                + ",'roleSessionName':'a b'}}}",
            "credentials.assumeRole.roleSessionName: must be 2 to 64 characters of letters, digits and _+=,.@-"),
        Arguments.of(
            "{'lambda':{'functionName':'echo'},'credentials':{'webIdentity':{"
                + ROLE
                + ",'token':'t','stsCluster':'c'},'assumeRole':{"
                + ROLE
                + ",'externalId':'x'}}}",
            "credentials.assumeRole.externalId: must be 2 to 1224 characters"),
        Arguments.of(
            "{'lambda':{'functionName':'echo'},'credentials':{'webIdentity':{"
                + ROLE
                + ",'token':'t','stsCluster':'c'},'assumeRole':{"
                + ROLE
                + ",'stsRegion':'Mars'}}}",
            "credentials.assumeRole.stsRegion: must be a region name like us-east-1"),
        Arguments.of(
            "{'lambda':{'functionName':'echo'},'credentials':{'accessKeyId':'AKID','secretAccessKey':'s',"
                + "'assumeRole':{"
                + ROLE
                + "}}}",
            "credentials.assumeRole.stsCluster: required"),

        // sign.*
        Arguments.of(
            "{'sign':{'region':'us-east-1'},'credentials':" + KEYS + "}", "sign.service: required"),
        Arguments.of(
            "{'sign':{'service':'Execute API','region':'us-east-1'},'credentials':" + KEYS + "}",
            "sign.service: must be a signing name of lower-case letters, digits and '-', like execute-api"),
        Arguments.of(
            "{'sign':{'service':'s3'},'credentials':" + KEYS + "}", "sign.region: required"),
        Arguments.of(
            "{'sign':{'service':'s3','region':'us-east-1','unsignedPayload':'yes'},'credentials':"
                + KEYS
                + "}",
            "sign.unsignedPayload: expected a boolean, got string"),
        Arguments.of(
            "{'sign':{'service':'s3','region':'us-east-1','hostRewrite':'h/x'},'credentials':"
                + KEYS
                + "}",
            "sign.hostRewrite: must be host or host:port; it has an invalid host: only letters, digits, "
                + "'-', '.' and '_' are allowed"),
        Arguments.of(
            "{'sign':{'service':'s3','region':'us-east-1','excludedHeaders':'user-agent'},"
                + "'credentials':"
                + KEYS
                + "}",
            "sign.excludedHeaders: expected an array, got string"),
        Arguments.of(
            "{'sign':{'service':'s3','region':'us-east-1','excludedHeaders':['a',1]},"
                + "'credentials':"
                + KEYS
                + "}",
            "sign.excludedHeaders[1]: expected a string, got number"),
        Arguments.of(
            "{'sign':{'service':'s3','region':'us-east-1','excludedHeaders':['Host']},"
                + "'credentials':"
                + KEYS
                + "}",
            "sign.excludedHeaders[0]: host is always signed"),
        Arguments.of(
            "{'sign':{'service':'s3','region':'us-east-1','excludedHeaders':['X-Amz-Date']},"
                + "'credentials':"
                + KEYS
                + "}",
            "sign.excludedHeaders[0]: x-amz-date is always signed"),
        Arguments.of(
            "{'sign':{'service':'s3','region':'us-east-1','excludedHeaders':['a b']},"
                + "'credentials':"
                + KEYS
                + "}",
            "sign.excludedHeaders[0]: must be an HTTP header name"),
        Arguments.of(
            "{'sign':{'service':'s3','region':'us-east-1','excludedHeaders':['']},"
                + "'credentials':"
                + KEYS
                + "}",
            "sign.excludedHeaders[0]: must not be empty"),
        Arguments.of(
            "{'sign':{'service':'s3','region':'us-east-1'},'credentials':{}}",
            "credentials.accessKeyId: required"),

        // backends, routes, clusters
        Arguments.of("{'backends':[]}", "backends: expected an object, got array"),
        Arguments.of("{'backends':null}", "backends: required"),
        Arguments.of("{'backends':{'b':'x'}}", "backends.b: expected an object, got string"),
        Arguments.of(
            "{'backends':{'b':{}}}",
            "backends.b: expected an object with one of the keys sign, lambda or error"),
        Arguments.of(
            "{'backends':{'b':{'error':5}}}", "backends.b.error: expected a string, got number"),
        Arguments.of(
            "{'backends':{'default/lambda':{'lambda':{'functionName':'echo','invocationMode':'Later'},"
                + "'credentials':"
                + KEYS
                + "}}}",
            "backends.default/lambda.lambda.invocationMode: must be one of Sync, Async, DryRun"),
        Arguments.of(
            "{'backends':{'default/lambda':{'lambda':{'functionName':'echo'},"
                + "'credentials':{'accessKeyId':'AKID'}}}}",
            "backends.default/lambda.credentials.secretAccessKey: required"),
        Arguments.of(
            "{'backends':{'b':{'error':'broken'}},'routes':{'r1':'x'}}",
            "routes.r1: unknown backend \"x\""),
        Arguments.of(
            "{'backends':{'b':{'error':'broken'}},'routes':{'r1':1}}",
            "routes.r1: expected a string, got number"),
        Arguments.of(
            "{'backends':{'b':{'error':'broken'}},'routes':['b']}",
            "routes: expected an object, got array"),
        Arguments.of(
            "{'backends':{'b':{'error':'broken'}},'clusters':{'c':'nope'}}",
            "clusters.c: unknown backend \"nope\""));
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @MethodSource("invalidDocuments")
  void namesTheJsonPathOfTheProblem(String document, String message) {
    assertThatThrownBy(() -> ConfigJson.parse(document))
        .isInstanceOf(ConfigException.class)
        .hasMessage(message);
  }

  @Test
  void exposesPathAndProblemSeparately() {
    assertThatThrownBy(() -> ConfigJson.parse(lambdaDoc("'functionName':'echo','region':1")))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e -> {
              org.assertj.core.api.Assertions.assertThat(e.path()).isEqualTo("lambda.region");
              org.assertj.core.api.Assertions.assertThat(e.problem())
                  .isEqualTo("expected a string, got number");
            });
  }

  @Test
  void reportsInvalidJsonWithItsOffset() {
    assertThatThrownBy(
            () -> FilterConfigParser.parse("{\"lambda\": }".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(ConfigException.class)
        .hasMessage("invalid JSON: unexpected '}', expected a value at offset 11");
    assertThatThrownBy(() -> FilterConfigParser.parse(new byte[0]))
        .hasMessage("invalid JSON: unexpected end of input, expected a value at offset 0");
  }

  @Test
  void neverQuotesASecretInAnError() {
    String secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    String[] documents = {
      "{'lambda':{'functionName':'echo'},'credentials':{'accessKeyId':'"
          + secret
          + "','secretAccessKey':'s'}}",
      "{'lambda':{'functionName':'echo'},'credentials':{'accessKeyId':'AKID','secretAccessKey':'"
          + secret
          + " '}}",
      "{'lambda':{'functionName':'echo'},'credentials':{'accessKeyId':'AKID','secretAccessKey':'s',"
          + "'sessionToken':'"
          + secret
          + "\\t'}}",
      "{'lambda':{'functionName':'echo'},'credentials':{'webIdentity':{"
          + ROLE
          + ",'token':'"
          + secret
          + " '}}}",
    };
    for (String document : documents) {
      assertThatThrownBy(() -> ConfigJson.parse(document))
          .isInstanceOf(ConfigException.class)
          .message()
          .doesNotContain(secret)
          .doesNotContain("wJalr");
    }
  }
}
