package dev.lambdagate.harness.emulator.sts;

import dev.lambdagate.harness.emulator.credentials.StoredCredential;
import dev.lambdagate.harness.emulator.http.HttpReply;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * STS's XML documents: the three success responses and {@code <ErrorResponse>}, laid out like the
 * samples AWS publishes (two-space indentation, the 2011-06-15 namespace). Stateless and
 * thread-safe.
 */
final class StsXml {

  static final String NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";

  private StsXml() {}

  /** Who the caller became: the assumed-role ARN and {@code AROA...:session} id. */
  record AssumedRoleUser(String arn, String assumedRoleId) {}

  /** Optional members of the web identity result; nulls are left out. */
  record WebIdentityDetails(String subject, String audience, String provider) {}

  static HttpReply assumeRoleWithWebIdentity(
      StoredCredential credentials,
      AssumedRoleUser user,
      WebIdentityDetails details,
      String requestId) {
    StringBuilder xml = new StringBuilder();
    xml.append("<AssumeRoleWithWebIdentityResponse xmlns=\"").append(NAMESPACE).append("\">\n");
    xml.append("  <AssumeRoleWithWebIdentityResult>\n");
    element(xml, 4, "SubjectFromWebIdentityToken", details.subject());
    element(xml, 4, "Audience", details.audience());
    assumedRoleUser(xml, user);
    credentials(xml, credentials);
    element(xml, 4, "Provider", details.provider());
    xml.append("  </AssumeRoleWithWebIdentityResult>\n");
    responseMetadata(xml, requestId);
    xml.append("</AssumeRoleWithWebIdentityResponse>\n");
    return ok(xml, requestId);
  }

  static HttpReply assumeRole(
      StoredCredential credentials, AssumedRoleUser user, String requestId) {
    StringBuilder xml = new StringBuilder();
    xml.append("<AssumeRoleResponse xmlns=\"").append(NAMESPACE).append("\">\n");
    xml.append("  <AssumeRoleResult>\n");
    assumedRoleUser(xml, user);
    credentials(xml, credentials);
    xml.append("  </AssumeRoleResult>\n");
    responseMetadata(xml, requestId);
    xml.append("</AssumeRoleResponse>\n");
    return ok(xml, requestId);
  }

  static HttpReply getSessionToken(StoredCredential credentials, String requestId) {
    StringBuilder xml = new StringBuilder();
    xml.append("<GetSessionTokenResponse xmlns=\"").append(NAMESPACE).append("\">\n");
    xml.append("  <GetSessionTokenResult>\n");
    credentials(xml, credentials);
    xml.append("  </GetSessionTokenResult>\n");
    responseMetadata(xml, requestId);
    xml.append("</GetSessionTokenResponse>\n");
    return ok(xml, requestId);
  }

  static HttpReply error(int status, String type, String code, String message, String requestId) {
    StringBuilder xml = new StringBuilder();
    xml.append("<ErrorResponse xmlns=\"").append(NAMESPACE).append("\">\n");
    xml.append("  <Error>\n");
    element(xml, 4, "Type", type);
    element(xml, 4, "Code", code);
    element(xml, 4, "Message", message);
    xml.append("  </Error>\n");
    element(xml, 2, "RequestId", requestId);
    xml.append("</ErrorResponse>\n");
    return reply(status, xml, requestId);
  }

  private static void assumedRoleUser(StringBuilder xml, AssumedRoleUser user) {
    xml.append("    <AssumedRoleUser>\n");
    element(xml, 6, "Arn", user.arn());
    element(xml, 6, "AssumedRoleId", user.assumedRoleId());
    xml.append("    </AssumedRoleUser>\n");
  }

  private static void credentials(StringBuilder xml, StoredCredential credentials) {
    xml.append("    <Credentials>\n");
    element(xml, 6, "SessionToken", credentials.sessionToken());
    element(xml, 6, "SecretAccessKey", credentials.secretAccessKey());
    element(xml, 6, "Expiration", DateTimeFormatter.ISO_INSTANT.format(credentials.expiration()));
    element(xml, 6, "AccessKeyId", credentials.accessKeyId());
    xml.append("    </Credentials>\n");
  }

  private static void responseMetadata(StringBuilder xml, String requestId) {
    xml.append("  <ResponseMetadata>\n");
    element(xml, 4, "RequestId", requestId);
    xml.append("  </ResponseMetadata>\n");
  }

  private static void element(StringBuilder xml, int indent, String name, String value) {
    if (value == null) {
      return;
    }
    xml.append(" ".repeat(indent))
        .append('<')
        .append(name)
        .append('>')
        .append(escape(value))
        .append("</")
        .append(name)
        .append(">\n");
  }

  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&apos;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  private static HttpReply ok(StringBuilder xml, String requestId) {
    return reply(200, xml, requestId);
  }

  private static HttpReply reply(int status, StringBuilder xml, String requestId) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "text/xml");
    headers.put("x-amzn-RequestId", requestId);
    return HttpReply.of(status, headers, xml.toString());
  }
}
