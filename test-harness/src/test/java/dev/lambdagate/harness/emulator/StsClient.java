package dev.lambdagate.harness.emulator;

import java.io.ByteArrayInputStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import software.amazon.awssdk.auth.credentials.AwsCredentials;

/** Test client for one STS emulator: form posts, signed (AssumeRole) or not. */
final class StsClient {

  static final String ROLE_ARN = "arn:aws:iam::111122223333:role/lambda-role";
  static final String FORM = "application/x-www-form-urlencoded; charset=utf-8";

  private final StsEmulator sts;
  private final Clock clock;

  StsClient(StsEmulator sts, Clock clock) {
    this.sts = sts;
    this.clock = clock;
  }

  /** An EKS-like service account token: JWT-shaped, payload with iss/sub/aud, fake signature. */
  static String serviceAccountToken() {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String header =
        b64.encodeToString("{\"alg\":\"RS256\",\"kid\":\"test\"}".getBytes(StandardCharsets.UTF_8));
    String payload =
        b64.encodeToString(
            ("{\"aud\":[\"sts.amazonaws.com\"],\"exp\":1893456000,"
                    + "\"iss\":\"https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE\","
                    + "\"sub\":\"system:serviceaccount:kgateway-system:http\"}")
                .getBytes(StandardCharsets.UTF_8));
    return header + "." + payload + ".c2lnbmF0dXJl";
  }

  /** AssumeRoleWithWebIdentity's parameters in aws-c-auth's order. */
  static Map<String, String> webIdentityParams(String token) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("Action", "AssumeRoleWithWebIdentity");
    params.put("Version", "2011-06-15");
    params.put("RoleArn", ROLE_ARN);
    params.put("RoleSessionName", "9876543210");
    params.put("WebIdentityToken", token);
    return params;
  }

  static String form(Map<String, String> params) {
    return params.entrySet().stream()
        .map(
            e ->
                URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  HttpResponse<byte[]> postUnsigned(Map<String, String> params) {
    return SignedHttp.send(
        new SignedHttp.Outgoing(
            "POST",
            sts.endpoint().resolve("/"),
            Map.of("Content-Type", java.util.List.of(FORM)),
            form(params).getBytes(StandardCharsets.UTF_8)));
  }

  SignedHttp.Outgoing signed(Map<String, String> params, AwsCredentials credentials) {
    return SignedHttp.sign(
        "POST",
        sts.endpoint(),
        "/",
        Map.of(),
        Map.of("Content-Type", FORM),
        form(params).getBytes(StandardCharsets.UTF_8),
        credentials,
        "us-east-1",
        "sts",
        clock.instant());
  }

  HttpResponse<byte[]> postSigned(Map<String, String> params, AwsCredentials credentials) {
    return SignedHttp.send(signed(params, credentials));
  }

  static Document xml(HttpResponse<byte[]> response) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    return factory.newDocumentBuilder().parse(new ByteArrayInputStream(response.body()));
  }

  static String text(Document document, String element) {
    var nodes = document.getElementsByTagNameNS("*", element);
    return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent();
  }
}
