package dev.lambdagate.harness.emulator;

import dev.lambdagate.harness.emulator.credentials.CredentialStore;
import dev.lambdagate.harness.emulator.credentials.StoredCredential;
import dev.lambdagate.harness.emulator.lambda.BuiltInFunctions;
import dev.lambdagate.harness.emulator.lambda.FunctionDefinition;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How to start a {@link LambdaEmulator}. Immutable and thread-safe; build with {@link #builder()}.
 *
 * <p>Defaults: ephemeral port on 127.0.0.1, region {@code us-east-1}, account {@code 123456789012},
 * the documented test key pair ({@link CredentialStore#TEST_ACCESS_KEY_ID}), a fresh credential
 * store, the system UTC clock, {@code slow} sleeping 2 s, no throttling, the last 1000 invocations
 * kept.
 */
public final class LambdaEmulatorConfig {

  private final int port;
  private final String bindAddress;
  private final String region;
  private final String accountId;
  private final List<StoredCredential> credentials;
  private final CredentialStore credentialStore;
  private final Clock clock;
  private final Duration slowDelay;
  private final int throttleNext;
  private final boolean throttleAll;
  private final int invocationLogCapacity;
  private final List<FunctionDefinition> extraFunctions;

  private LambdaEmulatorConfig(Builder b) {
    this.port = b.port;
    this.bindAddress = b.bindAddress;
    this.region = b.region;
    this.accountId = b.accountId;
    this.credentials = List.copyOf(b.credentials);
    this.credentialStore = b.credentialStore;
    this.clock = b.clock;
    this.slowDelay = b.slowDelay;
    this.throttleNext = b.throttleNext;
    this.throttleAll = b.throttleAll;
    this.invocationLogCapacity = b.invocationLogCapacity;
    this.extraFunctions = List.copyOf(b.extraFunctions);
  }

  /** A builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The defaults. */
  public static LambdaEmulatorConfig defaults() {
    return builder().build();
  }

  /** A builder starting from this configuration. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.port = port;
    b.bindAddress = bindAddress;
    b.region = region;
    b.accountId = accountId;
    b.credentials = new ArrayList<>(credentials);
    b.credentialStore = credentialStore;
    b.clock = clock;
    b.slowDelay = slowDelay;
    b.throttleNext = throttleNext;
    b.throttleAll = throttleAll;
    b.invocationLogCapacity = invocationLogCapacity;
    b.extraFunctions = new ArrayList<>(extraFunctions);
    return b;
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

  /** Credentials added to the store at start. */
  public List<StoredCredential> credentials() {
    return credentials;
  }

  /** The store to use (shared with an STS emulator), or null for a new one. */
  public CredentialStore credentialStore() {
    return credentialStore;
  }

  public Clock clock() {
    return clock;
  }

  public Duration slowDelay() {
    return slowDelay;
  }

  public int throttleNext() {
    return throttleNext;
  }

  public boolean throttleAll() {
    return throttleAll;
  }

  public int invocationLogCapacity() {
    return invocationLogCapacity;
  }

  /** Functions registered at start besides the built-in ones. */
  public List<FunctionDefinition> extraFunctions() {
    return extraFunctions;
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
    private Duration slowDelay = BuiltInFunctions.DEFAULT_SLOW_DELAY;
    private int throttleNext;
    private boolean throttleAll;
    private int invocationLogCapacity = 1000;
    private List<FunctionDefinition> extraFunctions = new ArrayList<>();

    private Builder() {}

    /** TCP port; 0 (the default) picks a free one. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0-65535: " + port);
      }
      this.port = port;
      return this;
    }

    /** Address to listen on; {@code 0.0.0.0} to be reachable from containers. */
    public Builder bindAddress(String bindAddress) {
      this.bindAddress = Objects.requireNonNull(bindAddress);
      return this;
    }

    /** The region signatures must be scoped to and ARNs must name. */
    public Builder region(String region) {
      this.region = Objects.requireNonNull(region);
      return this;
    }

    /** The account ARNs must name. */
    public Builder accountId(String accountId) {
      if (!accountId.matches("\\d{12}")) {
        throw new IllegalArgumentException("account id must be 12 digits: " + accountId);
      }
      this.accountId = accountId;
      return this;
    }

    /** Replaces the default credentials (the test key pair) with these. */
    public Builder credentials(List<StoredCredential> credentials) {
      this.credentials = new ArrayList<>(credentials);
      return this;
    }

    /** Adds one credential to those accepted. */
    public Builder addCredential(StoredCredential credential) {
      this.credentials.add(Objects.requireNonNull(credential));
      return this;
    }

    /**
     * Uses this store, e.g. one shared with an {@link StsEmulator}; credentials are added to it.
     */
    public Builder credentialStore(CredentialStore credentialStore) {
      this.credentialStore = credentialStore;
      return this;
    }

    /** The clock signatures and session expiries are judged by. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock);
      return this;
    }

    /** How long the {@code slow} function sleeps. */
    public Builder slowDelay(Duration slowDelay) {
      this.slowDelay = Objects.requireNonNull(slowDelay);
      return this;
    }

    /** Throttle the first {@code count} invocations after start. */
    public Builder throttleNext(int count) {
      if (count < 0) {
        throw new IllegalArgumentException("count must be >= 0");
      }
      this.throttleNext = count;
      return this;
    }

    /**
     * Throttle every invocation from start (until switched off through {@link
     * LambdaEmulator#throttle()}).
     */
    public Builder throttleAll(boolean throttleAll) {
      this.throttleAll = throttleAll;
      return this;
    }

    /** How many invocation records to keep. */
    public Builder invocationLogCapacity(int capacity) {
      if (capacity < 1) {
        throw new IllegalArgumentException("capacity must be >= 1");
      }
      this.invocationLogCapacity = capacity;
      return this;
    }

    /** Registers a function at start (replacing a built-in one of the same name). */
    public Builder function(FunctionDefinition function) {
      this.extraFunctions.add(Objects.requireNonNull(function));
      return this;
    }

    public LambdaEmulatorConfig build() {
      return new LambdaEmulatorConfig(this);
    }
  }
}
