package dev.lambdagate.config;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The {@code sign} section of a backend: SigV4-sign requests for any AWS service. */
public final class SignConfig {

  /**
   * Headers never signed: proxies on the way to AWS may add or change them, which would break the
   * signature — the forwarding headers, and the hop-by-hop headers (and {@code expect}) that Envoy
   * consumes or regenerates per connection instead of forwarding, which the AWS SDK's signer also
   * leaves out.
   */
  public static final List<String> ALWAYS_EXCLUDED_HEADERS =
      Collections.unmodifiableList(
          Arrays.asList(
              "x-forwarded-for",
              "x-forwarded-proto",
              "x-amzn-trace-id",
              "connection",
              "keep-alive",
              "proxy-connection",
              "transfer-encoding",
              "te",
              "trailer",
              "upgrade",
              "expect"));

  private final String service;
  private final String region;
  private final boolean unsignedPayload;
  private final String hostRewrite;
  private final List<String> excludedHeaders;
  private final Set<String> excludedHeaderSet;

  SignConfig(
      String service,
      String region,
      boolean unsignedPayload,
      String hostRewrite,
      List<String> excludedHeaders) {
    this.service = service;
    this.region = region;
    this.unsignedPayload = unsignedPayload;
    this.hostRewrite = hostRewrite;
    this.excludedHeaders = Collections.unmodifiableList(excludedHeaders);
    this.excludedHeaderSet = new HashSet<>(excludedHeaders);
  }

  /** The signing name, e.g. {@code execute-api}. */
  public String service() {
    return service;
  }

  /** The signing region. */
  public String region() {
    return region;
  }

  /** Whether the payload hash is {@code UNSIGNED-PAYLOAD} (body streamed, not buffered). */
  public boolean unsignedPayload() {
    return unsignedPayload;
  }

  /**
   * The Host set before signing ({@code host} or {@code host:port}, lower case), or null to keep
   * the request's.
   */
  public String hostRewrite() {
    return hostRewrite;
  }

  /**
   * Lower-case names of the headers left out of the signature: {@link #ALWAYS_EXCLUDED_HEADERS}
   * followed by the configured ones, without duplicates.
   */
  public List<String> excludedHeaders() {
    return excludedHeaders;
  }

  /** Whether header {@code lowerCaseName} (already in lower case) is left out of the signature. */
  public boolean isExcluded(String lowerCaseName) {
    return excludedHeaderSet.contains(lowerCaseName);
  }

  @Override
  public String toString() {
    return "SignConfig{service="
        + service
        + ", region="
        + region
        + ", unsignedPayload="
        + unsignedPayload
        + ", hostRewrite="
        + hostRewrite
        + ", excludedHeaders="
        + excludedHeaders
        + "}";
  }
}
