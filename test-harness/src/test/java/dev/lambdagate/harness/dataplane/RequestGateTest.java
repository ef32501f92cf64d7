package dev.lambdagate.harness.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lambdagate.harness.dataplane.RequestLimits.EscapedSlashes;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The connection manager's request checks, case by case, with the answers Envoy gives. */
class RequestGateTest {
  static final RequestLimits EDGE =
      new RequestLimits(
          60 * 1024, 100, true, false, true, true, EscapedSlashes.UNESCAPE_AND_REDIRECT, null);

  static List<String[]> request(String path, String... headers) {
    List<String[]> h = new ArrayList<>();
    h.add(new String[] {":method", "POST"});
    h.add(new String[] {":path", path});
    h.add(new String[] {":authority", "gw"});
    for (int i = 0; i < headers.length; i += 2) {
      h.add(new String[] {headers[i], headers[i + 1]});
    }
    return h;
  }

  static String pathOf(RequestGate.Verdict v) {
    assertThat(v.reply()).isNull();
    for (String[] h : v.headers()) {
      if (h[0].equals(":path")) {
        return h[1];
      }
    }
    throw new AssertionError("no :path");
  }

  @Test
  void pathsAreNormalisedMergedAndLeftAloneOtherwise() {
    assertThat(pathOf(RequestGate.check(request("/a/./b/../c?q=/../x"), EDGE)))
        .isEqualTo("/a/c?q=/../x");
    assertThat(pathOf(RequestGate.check(request("//a///b//"), EDGE))).isEqualTo("/a/b/");
    assertThat(pathOf(RequestGate.check(request("/../../etc/passwd"), EDGE)))
        .isEqualTo("/etc/passwd");
    assertThat(pathOf(RequestGate.check(request("/%7euser/%41%2a"), EDGE)))
        .isEqualTo("/~user/A%2A");
    assertThat(pathOf(RequestGate.check(request("/a/.."), EDGE))).isEqualTo("/");
    assertThat(pathOf(RequestGate.check(request("/a//../b"), RequestLimits.ENVOY_DEFAULTS)))
        .as("Envoy's defaults change nothing")
        .isEqualTo("/a//../b");
  }

  @Test
  void escapedSlashesFollowTheAction() {
    RequestGate.Verdict redirect = RequestGate.check(request("/a%2F..%2Fb%5Cc?x=%2F"), EDGE);
    assertThat(redirect.reply().status()).isEqualTo(307);
    assertThat(redirect.reply().location()).isEqualTo("/b/c?x=%2F");
    RequestLimits reject =
        new RequestLimits(
            60 * 1024, 100, false, false, false, false, EscapedSlashes.REJECT_REQUEST, null);
    assertThat(RequestGate.check(request("/a%2fb"), reject).reply().status()).isEqualTo(400);
    RequestLimits forward =
        new RequestLimits(
            60 * 1024, 100, false, false, false, false, EscapedSlashes.UNESCAPE_AND_FORWARD, null);
    assertThat(pathOf(RequestGate.check(request("/a%2fb"), forward))).isEqualTo("/a/b");
    assertThat(pathOf(RequestGate.check(request("/a%2fb"), RequestLimits.ENVOY_DEFAULTS)))
        .isEqualTo("/a%2fb");
  }

  @Test
  void headerLimitsAnswer431AndClose() {
    RequestGate.ReplyAndClose big =
        RequestGate.check(request("/", "x-big", "v".repeat(60 * 1024)), EDGE).reply();
    assertThat(big.status()).isEqualTo(431);
    assertThat(big.close()).isTrue();
    String[] many = new String[2 * 101];
    for (int i = 0; i < 101; i++) {
      many[2 * i] = "x-h" + i;
      many[2 * i + 1] = "v";
    }
    assertThat(RequestGate.check(request("/", many), EDGE).reply().status()).isEqualTo(431);
    String[] hundred = java.util.Arrays.copyOf(many, 200);
    assertThat(RequestGate.check(request("/", hundred), EDGE).reply()).isNull();
  }

  @Test
  void underscoresAreRejectedDroppedOrAllowed() {
    RequestGate.ReplyAndClose rejected =
        RequestGate.check(request("/", "x_user", "admin"), EDGE).reply();
    assertThat(rejected.status()).isEqualTo(400);
    assertThat(rejected.close()).isTrue();
    RequestLimits drop =
        new RequestLimits(
            60 * 1024, 100, false, true, false, false, EscapedSlashes.KEEP_UNCHANGED, null);
    RequestGate.Verdict dropped =
        RequestGate.check(request("/", "x_user", "admin", "x-ok", "1"), drop);
    assertThat(dropped.reply()).isNull();
    assertThat(dropped.headers()).extracting(h -> h[0]).contains("x-ok").doesNotContain("x_user");
    assertThat(
            RequestGate.check(request("/", "x_user", "admin"), RequestLimits.ENVOY_DEFAULTS)
                .reply())
        .isNull();
  }
}
