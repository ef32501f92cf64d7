package dev.lambdagate.filter;

import dev.lambdagate.config.AssumeRoleCredentials;
import dev.lambdagate.config.Backend;
import dev.lambdagate.config.CredentialSource;
import dev.lambdagate.config.InlineCredentials;
import dev.lambdagate.config.InvalidBackend;
import dev.lambdagate.config.LambdaBackend;
import dev.lambdagate.config.LambdaConfig;
import dev.lambdagate.config.PodIdentityCredentials;
import dev.lambdagate.config.SignBackend;
import dev.lambdagate.config.SignConfig;
import dev.lambdagate.config.WebIdentityCredentials;
import dev.lambdagate.credentials.CredentialsEvents;
import dev.lambdagate.credentials.CredentialsProvider;
import dev.lambdagate.credentials.FetchedCredentialsProvider;
import dev.lambdagate.credentials.Jitter;
import dev.lambdagate.credentials.MillisClock;
import dev.lambdagate.credentials.PodIdentityCredentialsProvider;
import dev.lambdagate.credentials.StaticCredentialsProvider;
import dev.lambdagate.credentials.StsCredentialsProvider;
import dev.lambdagate.credentials.StsEndpoint;
import dev.lambdagate.sdk.Host;
import dev.lambdagate.sigv4.Credentials;
import dev.lambdagate.sigv4.SigV4Signer;
import java.util.Collections;

/**
 * A configured backend with everything a request needs built once, at configure time: the signer
 * (whose signing key is then cached per day), the credentials provider, the resolved Lambda or
 * signing settings — or the reason the backend cannot serve — and its metrics ({@link
 * BackendStats}) under a stat label fixed here: the backend's id for routed backends, the cluster's
 * name for one read from cluster metadata, {@code default} for the single backend. Immutable apart
 * from the metrics' cached ids.
 */
final class PreparedBackend {
  enum Kind {
    SIGN,
    LAMBDA,
    INVALID
  }

  private final Kind kind;
  private final SignConfig signConfig;
  private final LambdaConfig lambdaConfig;
  private final SigV4Signer signer;
  private final CredentialsProvider credentials;
  private final String error;
  private final BackendStats stats;

  /** The stat label of the single backend of a configuration without {@code backends}. */
  static final String DEFAULT_LABEL = "default";

  private PreparedBackend(
      Kind kind,
      SignConfig signConfig,
      LambdaConfig lambdaConfig,
      SigV4Signer signer,
      CredentialsProvider credentials,
      String error,
      String label) {
    this.kind = kind;
    this.signConfig = signConfig;
    this.lambdaConfig = lambdaConfig;
    this.signer = signer;
    this.credentials = credentials;
    this.error = error;
    this.stats = new BackendStats(label);
    if (credentials instanceof FetchedCredentialsProvider) {
      ((FetchedCredentialsProvider) credentials).reportTo(new RefreshStats(stats));
    }
  }

  /** Counts a credentials provider's fetches in the backend's stats. */
  private static final class RefreshStats implements CredentialsEvents {
    private final BackendStats stats;

    RefreshStats(BackendStats stats) {
      this.stats = stats;
    }

    @Override
    public void refreshed() {
      stats.credentialsRefreshed.increment();
    }

    @Override
    public void refreshFailed() {
      stats.credentialsRefreshFailed.increment();
    }
  }

  /**
   * Prepares {@code backend}; {@code label} names it in the stats ({@link BackendStats#statLabel}
   * makes it safe as one element of a stat name).
   */
  static PreparedBackend prepare(Backend backend, String label) {
    if (backend instanceof SignBackend) {
      SignBackend sign = (SignBackend) backend;
      SignConfig config = sign.sign();
      SigV4Signer signer =
          new SigV4Signer(
              config.service(),
              config.region(),
              config.excludedHeaders(),
              isS3Like(config.service()));
      return new PreparedBackend(
          Kind.SIGN, config, null, signer, provider(sign.credentials()), null, label);
    }
    if (backend instanceof LambdaBackend) {
      LambdaBackend lambda = (LambdaBackend) backend;
      LambdaConfig config = lambda.lambda();
      SigV4Signer signer =
          new SigV4Signer("lambda", config.region(), Collections.<String>emptyList(), false);
      return new PreparedBackend(
          Kind.LAMBDA, null, config, signer, provider(lambda.credentials()), null, label);
    }
    String message =
        backend instanceof InvalidBackend
            ? ((InvalidBackend) backend).message()
            : "unsupported backend " + backend;
    return new PreparedBackend(Kind.INVALID, null, null, null, null, message, label);
  }

  private static CredentialsProvider provider(CredentialSource source) {
    if (source instanceof InlineCredentials) {
      return new StaticCredentialsProvider(inline((InlineCredentials) source));
    }
    if (source instanceof PodIdentityCredentials) {
      PodIdentityCredentials pod = (PodIdentityCredentials) source;
      return new PodIdentityCredentialsProvider(
          pod.cluster(),
          pod.authority(),
          pod.token(),
          CLOCK,
          HostStsTransport.POD_IDENTITY_AGENT,
          HostSharedStore.INSTANCE,
          jitter());
    }
    if (source instanceof WebIdentityCredentials) {
      return StsCredentialsProvider.webIdentity(
          webIdentity((WebIdentityCredentials) source),
          null,
          CLOCK,
          HostStsTransport.INSTANCE,
          HostSharedStore.INSTANCE,
          jitter());
    }
    AssumeRoleCredentials chain = (AssumeRoleCredentials) source;
    StsCredentialsProvider.AssumeRole assumeRole =
        new StsCredentialsProvider.AssumeRole(
            chain.roleArn(),
            chain.roleSessionName(),
            chain.externalId(),
            new StsEndpoint(
                chain.stsCluster(), chain.stsEndpoint().authority(), chain.stsRegion()));
    if (chain.base() instanceof InlineCredentials) {
      return StsCredentialsProvider.assumeRole(
          inline((InlineCredentials) chain.base()),
          assumeRole,
          CLOCK,
          HostStsTransport.INSTANCE,
          HostSharedStore.INSTANCE,
          jitter());
    }
    return StsCredentialsProvider.webIdentity(
        webIdentity((WebIdentityCredentials) chain.base()),
        assumeRole,
        CLOCK,
        HostStsTransport.INSTANCE,
        HostSharedStore.INSTANCE,
        jitter());
  }

  /** The host's clock (a harness can set it), in milliseconds. */
  private static final MillisClock CLOCK = () -> Host.currentTimeNanos() / 1_000_000L;

  private static Jitter jitter() {
    return Jitter.xorShift(Host.currentTimeNanos());
  }

  private static Credentials inline(InlineCredentials inline) {
    return new Credentials(inline.accessKeyId(), inline.secretAccessKey(), inline.sessionToken());
  }

  private static StsCredentialsProvider.WebIdentity webIdentity(WebIdentityCredentials web) {
    return new StsCredentialsProvider.WebIdentity(
        web.roleArn(),
        web.token(),
        new StsEndpoint(web.stsCluster(), web.stsEndpoint().authority(), web.stsRegion()));
  }

  /** S3 and its variants sign the path as sent and require x-amz-content-sha256. */
  private static boolean isS3Like(String service) {
    return service.equals("s3") || service.equals("s3-outposts") || service.equals("s3express");
  }

  Kind kind() {
    return kind;
  }

  SignConfig signConfig() {
    return signConfig;
  }

  LambdaConfig lambdaConfig() {
    return lambdaConfig;
  }

  SigV4Signer signer() {
    return signer;
  }

  CredentialsProvider credentials() {
    return credentials;
  }

  String error() {
    return error;
  }

  BackendStats stats() {
    return stats;
  }
}
