package dev.lambdagate.controlplane.model;

import dev.lambdagate.config.Endpoint;

/** How the filter gets AWS credentials for one backend. {@code toString} never shows a secret. */
public sealed interface Credentials {

  /**
   * Whether these come from STS: the filter's exchange (which the control plane checks), or the
   * control plane's own exchange of a Secret's keys ({@link SecretSession}).
   */
  default boolean fromSts() {
    return !(this instanceof Inline) && !(this instanceof PodIdentity);
  }

  /** Keys from a Secret ({@code accessKey}, {@code secretKey}, optional {@code sessionToken}). */
  record Inline(String accessKeyId, String secretAccessKey, String sessionToken)
      implements Credentials {
    @Override
    public String toString() {
      return "Inline[accessKeyId="
          + accessKeyId
          + ", secretAccessKey=<redacted>, sessionToken="
          + (sessionToken == null ? "none" : "<redacted>")
          + "]";
    }
  }

  /**
   * A Secret's long-term keys that the control plane exchanges with STS {@code GetSessionToken}
   * (see {@link SessionCredentials}): only {@code session} reaches the proxies, never {@code
   * longTerm}. Without a {@code session} (none issued yet, or the last one expired) the backend is
   * not programmed: its requests are refused and no key is pushed.
   *
   * @param longTerm the Secret's keys (no session token)
   * @param stsRegion the signing region of the call (the Backend's region)
   * @param stsEndpoint where the control plane calls STS
   * @param session the session credentials to push, or null when there is no valid one
   */
  record SecretSession(Inline longTerm, String stsRegion, Endpoint stsEndpoint, Inline session)
      implements Credentials {
    /** The exchange itself, whatever session it has issued: what sessions are keyed by. */
    public SecretSession source() {
      return session == null ? this : new SecretSession(longTerm, stsRegion, stsEndpoint, null);
    }

    public SecretSession withSession(Inline newSession) {
      return new SecretSession(longTerm, stsRegion, stsEndpoint, newSession);
    }

    @Override
    public String toString() {
      return "SecretSession[longTerm="
          + longTerm
          + ", stsRegion="
          + stsRegion
          + ", stsEndpoint="
          + stsEndpoint.url()
          + ", session="
          + session
          + "]";
    }
  }

  /**
   * IRSA: a ServiceAccount token the filter exchanges with STS (AssumeRoleWithWebIdentity).
   *
   * @param stsCluster the Envoy cluster the filter calls STS through
   */
  record WebIdentity(
      String roleArn, String token, String stsRegion, Endpoint stsEndpoint, String stsCluster)
      implements Credentials {
    @Override
    public String toString() {
      return "WebIdentity[roleArn="
          + roleArn
          + ", token=<redacted>, stsRegion="
          + stsRegion
          + ", stsEndpoint="
          + stsEndpoint.url()
          + ", stsCluster="
          + stsCluster
          + "]";
    }
  }

  /**
   * EKS Pod Identity ({@code auth.type: PodIdentity}): the filter calls the node-local Pod Identity
   * agent ({@code GET /v1/credentials}) through {@code cluster} with a token of the Gateway proxy's
   * ServiceAccount minted for audience {@code pods.eks.amazonaws.com}. No STS exchange is involved.
   *
   * @param token the ServiceAccount token, sent as the agent call's {@code Authorization}
   * @param cluster the Envoy cluster that reaches the agent
   * @param agentEndpoint the agent's address ({@code http://169.254.170.23:80} on EKS)
   */
  record PodIdentity(String token, String cluster, Endpoint agentEndpoint) implements Credentials {
    @Override
    public String toString() {
      return "PodIdentity[token=<redacted>, cluster="
          + cluster
          + ", agentEndpoint="
          + agentEndpoint.url()
          + "]";
    }
  }

  /**
   * Role chaining ({@code auth.type: AssumeRole}): the filter gets {@code base} credentials, then
   * calls STS {@code AssumeRole} signed with them and signs Invoke calls with the role's.
   */
  record Chained(
      Credentials base,
      String roleArn,
      String roleSessionName,
      String externalId,
      String stsRegion,
      Endpoint stsEndpoint,
      String stsCluster)
      implements Credentials {}
}
