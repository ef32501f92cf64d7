package dev.lambdagate.controlplane.model;

import java.util.List;

/**
 * One TLS filter chain of an HTTPS port: the certificates of one Gateway listener, presented to
 * clients whose SNI matches its hostname. Immutable; thread-safe.
 *
 * @param hostname the listener's hostname ({@code *.example.com} matches any subdomain, as in
 *     Envoy's {@code server_names}), or null: the chain for every other SNI and for none
 * @param listener the Gateway listener's name (the filter chain's name)
 * @param certificates at least one
 */
public record TlsChain(String hostname, String listener, List<TlsCertificate> certificates) {
  public TlsChain {
    certificates = List.copyOf(certificates);
  }
}
