package dev.lambdagate.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the STS response reader and its XML reader. Properties: {@link XmlElement#parse} gives an
 * element or an {@link IllegalArgumentException}; {@link StsResponseParser#parse} gives a response
 * or an {@link IllegalArgumentException}, never another exception, and its error message never
 * quotes the secret access key of the document (a marker placed in it).
 */
@Timeout(10) // seconds per input: a parser must not hang
class StsResponseParserFuzzTest {
  static final String SECRET_MARKER = "SECRETwJalrXUtnFEMI";

  @FuzzTest
  @DictionaryEntries({
    "<Credentials>",
    "</Credentials>",
    "<AccessKeyId>",
    "<SecretAccessKey>",
    "<SessionToken>",
    "<Expiration>",
    "2026-01-01T00:00:00Z",
    "<Error>",
    "<Code>",
    "<Message>",
    "<AssumeRoleWithWebIdentityResponse>",
    "<AssumeRoleWithWebIdentityResult>",
    "<![CDATA[",
    "]]>",
    "&amp;",
    "&#x41;",
    "&#65;",
    "<!--",
    "-->",
    "<?xml version=\"1.0\"?>",
    "<!DOCTYPE",
    "xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"",
    "</"
  })
  void parse(FuzzedDataProvider data) {
    int status = data.pickValue(new int[] {200, 400, 403, 500, 503});
    String body = data.consumeRemainingAsString();
    try {
      XmlElement root = XmlElement.parse(body);
      assertThat(root.name()).isNotNull();
    } catch (IllegalArgumentException expected) {
      // not well-formed: said so
    }
    try {
      StsResponse response = StsResponseParser.parse(status, body.getBytes(StandardCharsets.UTF_8));
      assertThat(response.toString()).doesNotContain(SECRET_MARKER);
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage()).isNotEmpty();
    }
  }

  /** A well-formed success whose fields the fuzzer chooses: the secret never leaks. */
  @FuzzTest
  void secretNeverInAnError(FuzzedDataProvider data) {
    String xml =
        "<AssumeRoleResponse><AssumeRoleResult><Credentials>"
            + "<AccessKeyId>"
            + data.consumeString(30)
            + "</AccessKeyId>"
            + "<SecretAccessKey>"
            + SECRET_MARKER
            + data.consumeString(10)
            + "</SecretAccessKey>"
            + "<SessionToken>"
            + data.consumeString(30)
            + "</SessionToken>"
            + "<Expiration>"
            + data.consumeRemainingAsString()
            + "</Expiration>"
            + "</Credentials></AssumeRoleResult></AssumeRoleResponse>";
    try {
      StsResponse response = StsResponseParser.parse(200, xml.getBytes(StandardCharsets.UTF_8));
      assertThat(response.toString()).doesNotContain(SECRET_MARKER);
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage()).doesNotContain(SECRET_MARKER);
    }
  }
}
