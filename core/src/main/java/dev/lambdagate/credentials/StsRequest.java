package dev.lambdagate.credentials;

import dev.lambdagate.json.Utf8;
import dev.lambdagate.sigv4.Credentials;
import dev.lambdagate.sigv4.Header;
import dev.lambdagate.sigv4.PayloadHash;
import dev.lambdagate.sigv4.SigV4Signer;
import dev.lambdagate.sigv4.SigningResult;
import dev.lambdagate.sigv4.UriEncoding;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Builds STS query-protocol calls ({@code POST /}, form body, API version 2011-06-15): {@code
 * AssumeRoleWithWebIdentity} (unsigned: the token is the proof), {@code AssumeRole} and {@code
 * GetSessionToken} (SigV4-signed, service {@code sts}, with the caller's credentials; the control
 * plane uses the last one to turn a Secret's long-term keys into session credentials). Stateless.
 */
public final class StsRequest {
  public static final String VERSION = "2011-06-15";
  public static final String CONTENT_TYPE = "application/x-www-form-urlencoded";

  private StsRequest() {}

  /**
   * {@code Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=…&RoleSessionName=…
   * &WebIdentityToken=…}, in aws-c-auth's order, values URL-encoded.
   */
  public static String webIdentityForm(String roleArn, String sessionName, String token) {
    StringBuilder form = new StringBuilder(128 + token.length());
    form.append("Action=AssumeRoleWithWebIdentity&Version=").append(VERSION);
    param(form, "RoleArn", roleArn);
    param(form, "RoleSessionName", sessionName);
    param(form, "WebIdentityToken", token);
    return form.toString();
  }

  /** {@code Action=AssumeRole&Version=2011-06-15&RoleArn=…&RoleSessionName=…[&ExternalId=…]}. */
  public static String assumeRoleForm(String roleArn, String sessionName, String externalId) {
    StringBuilder form = new StringBuilder(160);
    form.append("Action=AssumeRole&Version=").append(VERSION);
    param(form, "RoleArn", roleArn);
    param(form, "RoleSessionName", sessionName);
    if (externalId != null) {
      param(form, "ExternalId", externalId);
    }
    return form.toString();
  }

  /**
   * {@code Action=GetSessionToken&Version=2011-06-15[&DurationSeconds=…]}: without a duration STS
   * issues 12 hours for an IAM user (1 hour for the root user).
   */
  public static String getSessionTokenForm(Integer durationSeconds) {
    StringBuilder form = new StringBuilder(64);
    form.append("Action=GetSessionToken&Version=").append(VERSION);
    if (durationSeconds != null) {
      form.append("&DurationSeconds=").append(durationSeconds.intValue());
    }
    return form.toString();
  }

  /** The unsigned {@code AssumeRoleWithWebIdentity} call to {@code authority}. */
  public static StsHttpRequest webIdentity(
      String authority, String roleArn, String sessionName, String token) {
    byte[] body = Utf8.encode(webIdentityForm(roleArn, sessionName, token));
    return new StsHttpRequest("AssumeRoleWithWebIdentity", baseHeaders(authority), body);
  }

  /**
   * The {@code AssumeRole} call to {@code authority}, signed with {@code caller} for service {@code
   * sts} in {@code region} at {@code epochSeconds}.
   */
  public static StsHttpRequest assumeRole(
      String authority,
      String region,
      String roleArn,
      String sessionName,
      String externalId,
      Credentials caller,
      long epochSeconds) {
    byte[] body = Utf8.encode(assumeRoleForm(roleArn, sessionName, externalId));
    return signed("AssumeRole", authority, region, body, caller, epochSeconds);
  }

  /**
   * The {@code GetSessionToken} call to {@code authority}, signed with the long-term keys {@code
   * caller} for service {@code sts} in {@code region} at {@code epochSeconds}; {@code
   * durationSeconds} null leaves the duration to STS.
   */
  public static StsHttpRequest getSessionToken(
      String authority,
      String region,
      Integer durationSeconds,
      Credentials caller,
      long epochSeconds) {
    byte[] body = Utf8.encode(getSessionTokenForm(durationSeconds));
    return signed("GetSessionToken", authority, region, body, caller, epochSeconds);
  }

  private static StsHttpRequest signed(
      String action,
      String authority,
      String region,
      byte[] body,
      Credentials caller,
      long epochSeconds) {
    List<Header> headers = baseHeaders(authority);
    List<Header> signed = new ArrayList<>(2);
    signed.add(new Header("host", authority));
    signed.add(new Header("content-type", CONTENT_TYPE));
    SigV4Signer signer = new SigV4Signer("sts", region, Collections.<String>emptyList(), false);
    SigningResult result =
        signer.sign("POST", "/", signed, PayloadHash.sha256Hex(body), caller, epochSeconds);
    headers.addAll(result.headersToSet());
    return new StsHttpRequest(action, headers, body);
  }

  private static List<Header> baseHeaders(String authority) {
    List<Header> headers = new ArrayList<>(8);
    headers.add(new Header(":method", "POST"));
    headers.add(new Header(":path", "/"));
    headers.add(new Header(":authority", authority));
    headers.add(new Header("content-type", CONTENT_TYPE));
    headers.add(new Header("accept", "*/*"));
    return headers;
  }

  private static void param(StringBuilder form, String name, String value) {
    form.append('&').append(name).append('=').append(UriEncoding.encode(value, false));
  }

  /**
   * A session name STS accepts ({@code [\w+=,.@-]}, 2 to 64 characters): {@code prefix} with other
   * characters replaced by {@code -}, then {@code -<epochSeconds>}.
   */
  public static String sessionName(String prefix, long epochSeconds) {
    String suffix = "-" + epochSeconds;
    StringBuilder out = new StringBuilder(64);
    for (int i = 0; i < prefix.length() && out.length() + suffix.length() < 64; i++) {
      char c = prefix.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || "_+=,.@-".indexOf(c) >= 0;
      out.append(ok ? c : '-');
    }
    return out.append(suffix).toString();
  }
}
