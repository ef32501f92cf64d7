package dev.lambdagate.controlplane.sts;

/**
 * What the control plane learnt by making a Backend's STS exchange itself.
 *
 * @param state the outcome
 * @param reason a condition reason: {@code CredentialsIssued}, {@code Pending}, {@code StsError} or
 *     {@code StsUnreachable}
 * @param message for people: the STS action and role, and on failure STS's {@code Code: Message} or
 *     why no answer came; never a credential
 */
public record StsCheckResult(State state, String reason, String message) {

  /** How sure the control plane is. */
  public enum State {
    /** STS issued credentials. */
    ISSUED,
    /** STS answered with an error: the filter will get the same answer. */
    REJECTED,
    /**
     * No usable answer (connection failure, timeout, throttling, a 5xx): the control plane's own
     * network path says little about the proxies', so this is not a verdict.
     */
    UNREACHABLE,
    /** Not checked yet. */
    PENDING
  }

  public static final StsCheckResult PENDING =
      new StsCheckResult(State.PENDING, "Pending", "the STS exchange has not been checked yet");

  public static StsCheckResult issued(String message) {
    return new StsCheckResult(State.ISSUED, "CredentialsIssued", message);
  }

  public static StsCheckResult rejected(String message) {
    return new StsCheckResult(State.REJECTED, "StsError", message);
  }

  public static StsCheckResult unreachable(String message) {
    return new StsCheckResult(State.UNREACHABLE, "StsUnreachable", message);
  }
}
