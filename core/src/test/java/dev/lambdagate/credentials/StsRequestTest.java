package dev.lambdagate.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lambdagate.sigv4.Credentials;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StsRequestTest {
  @Test
  void webIdentityBodyIsAwsCAuthsOrderAndEncoding() {
    assertThat(
            StsRequest.webIdentityForm(
                "arn:aws:iam::1234567890:role/test-arn", "9876543210", "eyJ.a+b/c="))
        .isEqualTo(
            "Action=AssumeRoleWithWebIdentity&Version=2011-06-15"
                + "&RoleArn=arn%3Aaws%3Aiam%3A%3A1234567890%3Arole%2Ftest-arn"
                + "&RoleSessionName=9876543210&WebIdentityToken=eyJ.a%2Bb%2Fc%3D");
  }

  @Test
  void webIdentityCallIsAnUnsignedFormPost() {
    StsHttpRequest request =
        StsRequest.webIdentity(
            "sts.us-east-1.amazonaws.com", "arn:aws:iam::123456789012:role/r", "s1", "tok.en.x");
    assertThat(request.action()).isEqualTo("AssumeRoleWithWebIdentity");
    assertThat(request.header(":method")).isEqualTo("POST");
    assertThat(request.header(":path")).isEqualTo("/");
    assertThat(request.header(":authority")).isEqualTo("sts.us-east-1.amazonaws.com");
    assertThat(request.header("content-type")).isEqualTo("application/x-www-form-urlencoded");
    assertThat(request.header("authorization")).isNull();
    assertThat(new String(request.body(), StandardCharsets.UTF_8))
        .startsWith("Action=AssumeRoleWithWebIdentity&");
    assertThat(request.toString()).doesNotContain("tok.en.x");
  }

  @Test
  void assumeRoleIsSignedForStsWithTheCallersSessionToken() {
    Credentials caller = new Credentials("ASIAEXAMPLE", "secret", "session-token");
    StsHttpRequest request =
        StsRequest.assumeRole(
            "127.0.0.1:4566",
            "eu-west-1",
            "arn:aws:iam::123456789012:role/chained",
            "lambdagate-1",
            "ext id",
            caller,
            1_440_938_160L);
    assertThat(new String(request.body(), StandardCharsets.UTF_8))
        .isEqualTo(
            "Action=AssumeRole&Version=2011-06-15"
                + "&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fchained"
                + "&RoleSessionName=lambdagate-1&ExternalId=ext%20id");
    assertThat(request.header("authorization"))
        .startsWith(
            "AWS4-HMAC-SHA256 Credential="
                + "ASIAEXAMPLE/20150830/eu-west-1/sts/aws4_request, SignedHeaders="
                + "content-type;host;x-amz-date;x-amz-security-token, Signature=");
    assertThat(request.header("x-amz-date")).isEqualTo("20150830T123600Z");
    assertThat(request.header("x-amz-security-token")).isEqualTo("session-token");
  }

  @Test
  void assumeRoleLeavesOutAnAbsentExternalId() {
    assertThat(StsRequest.assumeRoleForm("arn:aws:iam::123456789012:role/r", "s", null))
        .doesNotContain("ExternalId");
  }

  @Test
  void sessionNamesAreWhatStsAccepts() {
    assertThat(StsRequest.sessionName("lambdagate", 1700000000L))
        .isEqualTo("lambdagate-1700000000");
    String odd = StsRequest.sessionName("a b/c" + "x".repeat(100), 1700000000L);
    assertThat(odd)
        .hasSizeLessThanOrEqualTo(64)
        .startsWith("a-b-c")
        .endsWith("-1700000000")
        .matches("[\\w+=,.@-]{2,64}");
  }

  @Test
  void getSessionTokenIsSignedWithTheLongTermKeysAndNoToken() {
    Credentials longTerm = new Credentials("AKIDEXAMPLE", "secret", null);
    StsHttpRequest request =
        StsRequest.getSessionToken(
            "sts.us-east-1.amazonaws.com", "us-east-1", null, longTerm, 1_440_938_160L);
    assertThat(request.action()).isEqualTo("GetSessionToken");
    assertThat(new String(request.body(), StandardCharsets.UTF_8))
        .isEqualTo("Action=GetSessionToken&Version=2011-06-15");
    assertThat(request.header(":method")).isEqualTo("POST");
    assertThat(request.header(":authority")).isEqualTo("sts.us-east-1.amazonaws.com");
    assertThat(request.header("authorization"))
        .startsWith(
            "AWS4-HMAC-SHA256 Credential="
                + "AKIDEXAMPLE/20150830/us-east-1/sts/aws4_request, SignedHeaders="
                + "content-type;host;x-amz-date, Signature=");
    assertThat(request.header("x-amz-security-token")).isNull();
    assertThat(StsRequest.getSessionTokenForm(3600))
        .isEqualTo("Action=GetSessionToken&Version=2011-06-15&DurationSeconds=3600");
  }
}
