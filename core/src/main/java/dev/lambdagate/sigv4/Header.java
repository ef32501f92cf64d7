package dev.lambdagate.sigv4;

/**
 * One HTTP header as a name/value pair, in the case and form it arrived or is to be sent in.
 * Immutable, hence thread-safe.
 *
 * <p>{@link #toString()} hides the value of headers that carry credentials ({@code authorization},
 * {@code x-amz-security-token}), so a header list can be logged safely.
 */
public final class Header {
  private final String name;
  private final String value;

  /**
   * @param name header name, any case
   * @param value header value, as received (no trimming here: canonicalisation is the signer's job)
   */
  public Header(String name, String value) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("header name must not be empty");
    }
    if (value == null) {
      throw new IllegalArgumentException("header " + name + ": value must not be null");
    }
    this.name = name;
    this.value = value;
  }

  public String name() {
    return name;
  }

  public String value() {
    return value;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Header)) {
      return false;
    }
    Header other = (Header) o;
    return name.equals(other.name) && value.equals(other.value);
  }

  @Override
  public int hashCode() {
    return 31 * name.hashCode() + value.hashCode();
  }

  @Override
  public String toString() {
    boolean secret =
        name.equalsIgnoreCase(SigV4Signer.AUTHORIZATION)
            || name.equalsIgnoreCase(SigV4Signer.X_AMZ_SECURITY_TOKEN);
    return name + ": " + (secret ? "<redacted>" : value);
  }
}
