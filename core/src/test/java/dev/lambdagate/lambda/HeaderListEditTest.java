package dev.lambdagate.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The editing a filter does on a header list read from the host: remove and set. */
class HeaderListEditTest {
  @Test
  void removeDropsEveryHeaderOfThatNameInAnyCaseAndKeepsTheOrderOfTheRest() {
    HeaderList headers =
        HeaderList.of("a", "1", "X-Amz-Date", "d", "b", "2", "x-amz-date", "e", "c", "3");

    assertThat(headers.remove("x-AMZ-date")).isEqualTo(2);

    assertThat(headers).isEqualTo(HeaderList.of("a", "1", "b", "2", "c", "3"));
    assertThat(headers.remove("x-amz-date")).isZero();
    headers.add("d", "4"); // the freed slots are reused
    assertThat(headers).isEqualTo(HeaderList.of("a", "1", "b", "2", "c", "3", "d", "4"));
  }

  @Test
  void setReplacesEveryValueWithOneAtTheEndOrAddsIt() {
    HeaderList headers =
        HeaderList.of(":authority", "client.example", "x", "1", ":Authority", "again");

    headers.set(":authority", "lambda.example");
    headers.set("new", "v");

    assertThat(headers)
        .isEqualTo(HeaderList.of("x", "1", ":authority", "lambda.example", "new", "v"));
    assertThat(headers.get(":AUTHORITY")).isEqualTo("lambda.example");
  }
}
