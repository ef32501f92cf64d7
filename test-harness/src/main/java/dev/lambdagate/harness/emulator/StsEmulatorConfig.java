package dev.lambdagate.harness.emulator;

import dev.lambdagate.harness.emulator.credentials.CredentialStore;
import dev.lambdagate.harness.emulator.credentials.StoredCredential;
import dev.lambdagate.harness.emulator.sts.StsFailure;
import dev.lambdagate.harness.emulator.sts.WebIdentityTokens;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * How to start an {@link StsEmulator}. Immutable and thread-safe; build with {@link #builder()}.
 *
 * <p>Defaults: ephemeral port on 127.0.0.1, region {@code us-east-1}, account {@code 123456789012},
 * the documented test key pair as the only AssumeRole caller, a fresh credential store, the system
 * UTC clock, any JWT-shaped web identity token accepted, issued credentials living for the
 * requested DurationSeconds (default 3600), MaxSessionDuration 12 h, no failures.
 */
public final class StsEmulatorConfig {

  private final int port;
  private final String bindAddress;
  private final String region;
  private final String accountId;
  private final List<StoredCredential> credentials;
  private final CredentialStore credentialStore;
  private final Clock clock;
  private final Predicate<String> tokenPolicy;
  private final Duration credentialLifetime;
  private final Duration maxSessionDuration;
  private final StsFailure failAll;

  private StsEmulatorConfig(Builder b) {
    this.port = b.port;
    this.bindAddress = b.bindAddress;
    this.region = b.region;
    this.accountId = b.accountId;
    this.credentials = List.copyOf(b.credentials);
    this.credentialStore = b.credentialStore;
    this.clock = b.clock;
    this.tokenPolicy = b.tokenPolicy;
    this.credentialLifetime = b.credentialLifetime;
    this.maxSessionDuration = b.maxSessionDuration;
    this.failAll = b.failAll;
  }

  /** A builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The defaults. */
  public static StsEmulatorConfig defaults() {
    return builder().build();
  }

  public int port() {
    return port;
  }

  public String bindAddress() {
    return bindAddress;
  }

  public String region() {
    return region;
  }

  public String accountId() {
    return accountId;
  }

  /** Long-term credentials added to the store at start (callers of AssumeRole). */
  public List<StoredCredential> credentials() {
    return credentials;
  }

  /** The store to use (shared with a {@link LambdaEmulator}), or null for a new one. */
  public CredentialStore credentialStore() {
    return credentialStore;
  }

  public Clock clock() {
    return clock;
  }

  public Predicate<String> tokenPolicy() {
    return tokenPolicy;
  }

  /** Fixed lifetime of issued credentials, or null to honour DurationSeconds. */
  public Duration credentialLifetime() {
    return credentialLifetime;
  }

  public Duration maxSessionDuration() {
    return maxSessionDuration;
  }

  /** A failure every call gets from start, or null. */
  public StsFailure failAll() {
    return failAll;
  }

  /** Mutable builder; not thread-safe. */
  public static final class Builder {
    private int port;
    private String bindAddress = "127.0.0.1";
    private String region = "us-east-1";
    private String accountId = "123456789012";
    private List<StoredCredential> credentials =
        new ArrayList<>(List.of(CredentialStore.testKeyPair()));
    private CredentialStore credentialStore;
    private Clock clock = Clock.systemUTC();
    private Predicate<String> tokenPolicy = WebIdentityTokens.anyJwtShaped();
    private Duration credentialLifetime;
    private Duration maxSessionDuration = Duration.ofHours(12);
    private StsFailure failAll;

    private Builder() {}

    /** TCP port; 0 (the default) picks a free one. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0-65535: " + port);
      }
      this.port = port;
      return this;
    }

    public Builder bindAddress(String bindAddress) {
      this.bindAddress = Objects.requireNonNull(bindAddress);
      return this;
    }

    /** The region AssumeRole signatures must be scoped to. */
    public Builder region(String region) {
      this.region = Objects.requireNonNull(region);
      return this;
    }

    /** The account named in the OIDC provider ARN of web identity responses. */
    public Builder accountId(String accountId) {
      if (!accountId.matches("\\d{12}")) {
        throw new IllegalArgumentException("account id must be 12 digits: " + accountId);
      }
      this.accountId = accountId;
      return this;
    }

    /** Replaces the default AssumeRole callers (the test key pair) with these. */
    public Builder credentials(List<StoredCredential> credentials) {
      this.credentials = new ArrayList<>(credentials);
      return this;
    }

    /** Uses this store, e.g. one shared with a {@link LambdaEmulator}. */
    public Builder credentialStore(CredentialStore credentialStore) {
      this.credentialStore = credentialStore;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock);
      return this;
    }

    /** Which web identity tokens to accept; see {@link WebIdentityTokens}. */
    public Builder tokenPolicy(Predicate<String> tokenPolicy) {
      this.tokenPolicy = Objects.requireNonNull(tokenPolicy);
      return this;
    }

    /** Accept exactly these web identity tokens. */
    public Builder acceptTokens(List<String> tokens) {
      return tokenPolicy(WebIdentityTokens.only(tokens));
    }

    /** Issue credentials with this fixed lifetime (e.g. 5 s), whatever DurationSeconds asks for. */
    public Builder credentialLifetime(Duration lifetime) {
      if (lifetime != null && (lifetime.isNegative() || lifetime.isZero())) {
        throw new IllegalArgumentException("lifetime must be positive");
      }
      this.credentialLifetime = lifetime;
      return this;
    }

    /** The role's MaxSessionDuration (1-12 h in IAM). */
    public Builder maxSessionDuration(Duration maxSessionDuration) {
      this.maxSessionDuration = Objects.requireNonNull(maxSessionDuration);
      return this;
    }

    /** Fail every call with this from start (switch off through {@link StsEmulator#failures()}). */
    public Builder failAll(StsFailure failure) {
      this.failAll = failure;
      return this;
    }

    public StsEmulatorConfig build() {
      return new StsEmulatorConfig(this);
    }
  }
}
