package dev.lambdagate.lambda;

/** The host part of a Host header value, for API Gateway's {@code domainName}. */
final class HostNames {

  private HostNames() {}

  /** {@code example.com:8080} gives {@code example.com}; {@code [::1]:80} gives {@code [::1]}. */
  static String withoutPort(String host) {
    if (host.startsWith("[")) {
      int close = host.indexOf(']');
      return close < 0 ? host : host.substring(0, close + 1);
    }
    int colon = host.indexOf(':');
    return colon < 0 ? host : host.substring(0, colon);
  }

  /** The first label of a host name ({@code api} for {@code api.example.com}). */
  static String firstLabel(String hostWithoutPort) {
    int dot = hostWithoutPort.indexOf('.');
    return dot < 0 ? hostWithoutPort : hostWithoutPort.substring(0, dot);
  }
}
