package dev.lambdagate.sigv4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CredentialsTest {
  @Test
  void toStringRedactsSecretAndToken() {
    Credentials credentials =
        new Credentials(
            "ASIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "FwoGZXIvYXdzEXAMPLE");
    assertThat(credentials.toString())
        .isEqualTo(
            "Credentials[accessKeyId=ASIA..., secretAccessKey=<redacted>, sessionToken=<redacted>]")
        .doesNotContain("wJalr", "EXAMPLEKEY", "FwoG", "IOSFODNN7");
  }

  @Test
  void toStringOfLongTermCredentials() {
    assertThat(Credentials.of("AKIDEXAMPLE", "secret").toString())
        .isEqualTo(
            "Credentials[accessKeyId=AKID..., secretAccessKey=<redacted>, sessionToken=none]");
    assertThat(Credentials.of("AKID", "secret").toString()).doesNotContain("AKID");
  }

  @Test
  void emptyTokenMeansNoToken() {
    Credentials credentials = new Credentials("AKID", "secret", "");
    assertThat(credentials.hasSessionToken()).isFalse();
    assertThat(credentials.sessionToken()).isNull();
    assertThat(new Credentials("AKID", "secret", "t").sessionToken()).isEqualTo("t");
  }

  @Test
  void keysAreRequired() {
    assertThatThrownBy(() -> Credentials.of("", "secret"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Credentials.of("AKID", null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
