package dev.lambdagate.controlplane.state;

import java.util.Optional;

/**
 * Web identity tokens for ServiceAccounts (IRSA). A Backend without {@code auth} uses its Gateway
 * proxy's ServiceAccount: when that ServiceAccount carries {@code eks.amazonaws.com/role-arn},
 * translation asks this source for a token minted with the TokenRequest API (audience {@code
 * sts.amazonaws.com}) and puts it, with the role ARN, into the filter's {@code
 * credentials.webIdentity}. Implementations renew tokens before they expire and call the listener
 * so that a renewed token is pushed. Thread-safe.
 */
public interface WebIdentityTokenSource {
  /** The current token for {@code namespace/serviceAccount}, or empty while none is minted. */
  Optional<String> token(String namespace, String serviceAccount);

  /** A source that has no tokens (file mode without a token, tests). */
  static WebIdentityTokenSource none() {
    return (namespace, serviceAccount) -> Optional.empty();
  }
}
