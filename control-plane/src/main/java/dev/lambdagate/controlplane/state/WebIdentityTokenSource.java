package dev.lambdagate.controlplane.state;

import java.util.Optional;

/**
 * Web identity tokens for ServiceAccounts (IRSA). A Backend without {@code auth} uses its Gateway
 * proxy's ServiceAccount: when that ServiceAccount carries {@code eks.amazonaws.com/role-arn},
 * translation asks this source for a token minted with the TokenRequest API (audience {@code
 * sts.amazonaws.com}) and puts it, with the role ARN, into the filter's {@code
 * credentials.webIdentity}. Implementations renew tokens before they expire and call the listener
 * so that a renewed token is pushed. The same source answers EKS Pod Identity tokens ({@link
 * #podIdentityToken}). Thread-safe.
 */
public interface WebIdentityTokenSource {
  /** The current token for {@code namespace/serviceAccount}, or empty while none is minted. */
  Optional<String> token(String namespace, String serviceAccount);

  /**
   * The current EKS Pod Identity token (audience {@code pods.eks.amazonaws.com}) for {@code
   * namespace/serviceAccount}, or empty while none is minted. Sources that mint tokens start doing
   * so for an account on its first demand (nothing on a ServiceAccount says it has a Pod Identity
   * association) and call their listener once one is there. None by default.
   */
  default Optional<String> podIdentityToken(String namespace, String serviceAccount) {
    return Optional.empty();
  }

  /** A source that has no tokens (file mode without a token, tests). */
  static WebIdentityTokenSource none() {
    return (namespace, serviceAccount) -> Optional.empty();
  }

  /**
   * Web identity tokens from {@code webIdentity}, Pod Identity tokens from what {@code podIdentity}
   * answers to {@link #token} (file mode: one file each).
   */
  static WebIdentityTokenSource combining(
      WebIdentityTokenSource webIdentity, WebIdentityTokenSource podIdentity) {
    return new WebIdentityTokenSource() {
      @Override
      public Optional<String> token(String namespace, String serviceAccount) {
        return webIdentity.token(namespace, serviceAccount);
      }

      @Override
      public Optional<String> podIdentityToken(String namespace, String serviceAccount) {
        return podIdentity.token(namespace, serviceAccount);
      }
    };
  }
}
