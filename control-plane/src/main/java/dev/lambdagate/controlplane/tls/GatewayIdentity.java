package dev.lambdagate.controlplane.tls;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;

/**
 * The identity a Gateway's xDS client certificate carries: one URI subject alternative name {@code
 * spiffe://lambdagate/gateway/<namespace>/<name>}. A certificate is a Gateway's only when it has
 * exactly one such URI and the rest parses as {@code ns/name}. Stateless.
 */
public final class GatewayIdentity {
  /** The URI prefix before {@code <namespace>/<name>}. */
  public static final String URI_PREFIX = "spiffe://lambdagate/gateway/";

  private static final int SAN_URI = 6;

  private GatewayIdentity() {}

  /** The SAN URI of Gateway {@code gateway} ({@code ns/name}). */
  public static String uri(String gateway) {
    if (!valid(gateway)) {
      throw new IllegalArgumentException("not a Gateway namespace/name: " + gateway);
    }
    return URI_PREFIX + gateway;
  }

  /** The Gateway ({@code ns/name}) {@code cert} was issued to, or null when it names none. */
  public static String of(X509Certificate cert) {
    Collection<List<?>> sans;
    try {
      sans = cert.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      return null;
    }
    if (sans == null) {
      return null;
    }
    String found = null;
    for (List<?> san : sans) {
      if (san.size() == 2
          && Integer.valueOf(SAN_URI).equals(san.get(0))
          && san.get(1) instanceof String uri
          && uri.startsWith(URI_PREFIX)) {
        if (found != null) {
          return null; // two Gateways in one certificate: trust neither
        }
        found = uri.substring(URI_PREFIX.length());
      }
    }
    return found != null && valid(found) ? found : null;
  }

  /** {@code ns/name}: two non-empty DNS-label-ish parts. */
  static boolean valid(String gateway) {
    int slash = gateway == null ? -1 : gateway.indexOf('/');
    if (slash <= 0 || slash == gateway.length() - 1 || gateway.indexOf('/', slash + 1) >= 0) {
      return false;
    }
    for (int i = 0; i < gateway.length(); i++) {
      char c = gateway.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '/')) {
        return false;
      }
    }
    return true;
  }
}
