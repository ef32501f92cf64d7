package dev.lambdagate.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StsResponseParserTest {
  /** aws-c-auth's fixture: SessionToken first, AWS's example values. */
  static final String SUCCESS =
      """
      <AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
        <AssumeRoleWithWebIdentityResult>
          <SubjectFromWebIdentityToken>amzn1.account.AF6RHO7KZU5XRVQJGXK6HB56KR2A</SubjectFromWebIdentityToken>
          <Audience>client.5498841531868486423.1548@apps.example.com</Audience>
          <AssumedRoleUser>
            <Arn>arn:aws:sts::123456789012:assumed-role/FederatedWebIdentityRole/app1</Arn>
            <AssumedRoleId>AROACLKWSDQRAOEXAMPLE:app1</AssumedRoleId>
          </AssumedRoleUser>
          <Credentials>
            <SessionToken>AQoDYXdzEE0a8ANXXXXXXXXNO1ewxE5TijQyp+IEXAMPLE</SessionToken>
            <SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY</SecretAccessKey>
            <Expiration>2014-10-24T23:00:23Z</Expiration>
            <AccessKeyId>ASgeIAIOSFODNN7EXAMPLE</AccessKeyId>
          </Credentials>
          <Provider>www.amazon.com</Provider>
        </AssumeRoleWithWebIdentityResult>
        <ResponseMetadata>
          <RequestId>ad4156e9-bce1-11e2-82e6-6b6efEXAMPLE</RequestId>
        </ResponseMetadata>
      </AssumeRoleWithWebIdentityResponse>
      """;

  static StsResponse parse(int status, String xml) {
    return StsResponseParser.parse(status, xml.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsTheCredentialsInAnyOrder() {
    StsResponse response = parse(200, SUCCESS);
    assertThat(response.isSuccess()).isTrue();
    ExpiringCredentials c = response.credentials();
    assertThat(c.credentials().accessKeyId()).isEqualTo("ASgeIAIOSFODNN7EXAMPLE");
    assertThat(c.credentials().secretAccessKey())
        .isEqualTo("wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY");
    assertThat(c.credentials().sessionToken())
        .isEqualTo("AQoDYXdzEE0a8ANXXXXXXXXNO1ewxE5TijQyp+IEXAMPLE");
    assertThat(c.expirationMillis())
        .isEqualTo(Instant.parse("2014-10-24T23:00:23Z").toEpochMilli());
    assertThat(response.toString()).doesNotContain("wJalr").doesNotContain("AQoD");
  }

  @Test
  void readsAssumeRoleWithMicrosecondsEntitiesAndAPrefix() {
    StsResponse response =
        parse(
            200,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<!-- moto -->\n<s:AssumeRoleResponse xmlns:s=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
                + "<s:AssumeRoleResult><s:Credentials><s:AccessKeyId>ASIA1</s:AccessKeyId>"
                + "<s:SecretAccessKey>a&amp;b&#x2F;c&lt;</s:SecretAccessKey>"
                + "<s:SessionToken><![CDATA[tok<en]]></s:SessionToken>"
                + "<s:Expiration>2026-11-22T04:27:16.042291Z</s:Expiration></s:Credentials>"
                + "</s:AssumeRoleResult></s:AssumeRoleResponse>");
    assertThat(response.credentials().credentials().secretAccessKey()).isEqualTo("a&b/c<");
    assertThat(response.credentials().credentials().sessionToken()).isEqualTo("tok<en");
    assertThat(response.credentials().expirationMillis())
        .isEqualTo(Instant.parse("2026-11-22T04:27:16.042Z").toEpochMilli());
  }

  @Test
  void decodesCharacterReferences() {
    StsResponse response =
        parse(
            400,
            "<ErrorResponse><Error><Code>X</Code><Message>a&#65;&#x42;"
                + "&#x1F600;&quot;&apos;</Message></Error></ErrorResponse>");
    assertThat(response.errorMessage()).isEqualTo("aAB\uD83D\uDE00\"'");
    assertThatThrownBy(() -> parse(200, "<Error><Code>&#xZZ;</Code></Error>"))
        .hasMessageContaining("bad character reference");
    assertThatThrownBy(() -> parse(200, "<Error><Code>&nbsp;</Code></Error>"))
        .hasMessageContaining("unknown entity");
  }

  @Test
  void readsTheErrorAsAwsSendsIt() {
    StsResponse response =
        parse(
            400,
            """
        <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
          <Error>
            <Type>Sender</Type>
            <Code>InvalidIdentityToken</Code>
            <Message>Couldn't retrieve verification key from your identity provider, please reference AssumeRoleWithWebIdentity documentation for requirements</Message>
          </Error>
          <RequestId>00000000-0000-0000-0000-000000000000</RequestId>
        </ErrorResponse>
        """);
    assertThat(response.isSuccess()).isFalse();
    assertThat(response.errorCode()).isEqualTo("InvalidIdentityToken");
    assertThat(response.describeError())
        .isEqualTo(
            "InvalidIdentityToken: Couldn't retrieve "
                + "verification key from your identity provider, please reference "
                + "AssumeRoleWithWebIdentity documentation for requirements");
  }

  @Test
  void acceptsABareErrorRoot() {
    StsResponse response =
        parse(500, "<Error><Code>InternalFailure</Code><Message>boom" + "</Message></Error>");
    assertThat(response.describeError()).isEqualTo("InternalFailure: boom");
  }

  @Test
  void aNonXmlErrorPageBecomesAnHttpError() {
    StsResponse response = parse(503, "upstream connect error or disconnect/reset before headers");
    assertThat(response.errorCode()).isEqualTo("HTTP503");
    assertThat(response.errorMessage()).startsWith("upstream connect error");
  }

  @Test
  void malformedSuccessesAreClearErrors() {
    assertThatThrownBy(() -> parse(200, "<AssumeRoleWithWebIdentityResponse><Assume"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not well-formed XML");
    assertThatThrownBy(() -> parse(200, "{\"json\":true}"))
        .hasMessageContaining("not well-formed XML");
    assertThatThrownBy(() -> parse(200, "<A><B></A></B>"))
        .hasMessageContaining("</A> does not close <B>");
    assertThatThrownBy(
            () ->
                parse(
                    200,
                    SUCCESS.replace("<AccessKeyId>ASgeIAIOSFODNN7EXAMPLE" + "</AccessKeyId>", "")))
        .hasMessage("STS response has no <AccessKeyId> in <Credentials>");
    assertThatThrownBy(() -> parse(200, SUCCESS.replace("2014-10-24T23:00:23Z", "tomorrow")))
        .hasMessageContaining("invalid <Expiration>");
    assertThatThrownBy(() -> parse(200, "<Other/>"))
        .hasMessageContaining("neither a Result nor an Error");
    assertThatThrownBy(() -> parse(200, "<!DOCTYPE x [<!ENTITY e \"x\">]><x/>"))
        .hasMessageContaining("DOCTYPE");
  }

  @Test
  void malformedMessagesNeverQuoteTheSecret() {
    String broken = SUCCESS.replace("<Expiration>2014-10-24T23:00:23Z</Expiration>", "");
    assertThatThrownBy(() -> parse(200, broken))
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("wJalr").doesNotContain("AQoD"));
  }

  @Test
  void readsGetSessionTokenAsAwsDocumentsIt() {
    StsResponse r =
        parse(
            200,
            """
        <GetSessionTokenResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
          <GetSessionTokenResult>
            <Credentials>
              <SessionToken>AQoEXAMPLEH4aoAH0gNCAPyJxz4BlCFFxWNE1OPTgk5TthT</SessionToken>
              <SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY</SecretAccessKey>
              <Expiration>2011-07-11T19:55:29.611Z</Expiration>
              <AccessKeyId>ASIAIOSFODNN7EXAMPLE</AccessKeyId>
            </Credentials>
          </GetSessionTokenResult>
          <ResponseMetadata>
            <RequestId>58c5dbae-abef-11e0-8cfe-09039844ac7d</RequestId>
          </ResponseMetadata>
        </GetSessionTokenResponse>
        """);
    assertThat(r.isSuccess()).isTrue();
    assertThat(r.credentials().credentials().accessKeyId()).isEqualTo("ASIAIOSFODNN7EXAMPLE");
    assertThat(r.credentials().credentials().sessionToken())
        .isEqualTo("AQoEXAMPLEH4aoAH0gNCAPyJxz4BlCFFxWNE1OPTgk5TthT");
    assertThat(r.credentials().expirationMillis())
        .isEqualTo(Instant.parse("2011-07-11T19:55:29.611Z").toEpochMilli());
  }
}
