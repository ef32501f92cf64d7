package dev.lambdagate.harness.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lambdagate.controlplane.translate.FilterConfigWriter;
import dev.lambdagate.harness.cli.RunCommand;
import dev.lambdagate.harness.emulator.lambda.InvocationRecord;
import dev.lambdagate.harness.host.ErrorReplyAssertions;
import dev.lambdagate.harness.host.ModuleUnderTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's quick start, end to end: the {@code run} command's stack (the control plane in file
 * mode on {@code examples/}, the Lambda and STS emulators, the embedded data plane fed over ADS)
 * answers the README's curl with the README's response — for the Secret guide (signed with the
 * session the control plane got for the Secret's keys, which never reach the proxy) and the
 * service-account (IRSA) guide — and a live edit of a manifest changes routing. The examples are
 * copied with free ports in place of 8080/9001/9002; nothing else is changed.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class QuickStartEndToEndTest {
  static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** The curl body and the expected response, read from the README (so they cannot drift). */
  static String curlBody;

  static String expectedResponse;

  @TempDir Path dir; // set by the JarIT too
  final ByteArrayOutputStream log = new ByteArrayOutputStream();

  @BeforeAll
  static void readTheReadme() throws IOException {
    String readme = Files.readString(repoRoot().resolve("README.md"));
    Matcher curl =
        Pattern.compile("\ncurl localhost:8080/echo -d '([^']*)' -X POST\n").matcher(readme);
    assertThat(curl.find()).as("README quick start has the curl of the Secret guide").isTrue();
    curlBody = curl.group(1);
    Matcher response = Pattern.compile("\n(\\{\"statusCode\":200,[^\n]*)\n").matcher(readme);
    assertThat(response.find()).as("README quick start shows the response").isTrue();
    expectedResponse = response.group(1);
    assertThat(Files.readString(repoRoot().resolve("Makefile")))
        .contains("-jar test-harness/target/lambdagate-harness.jar run --manifests $(MANIFESTS)")
        .contains("MANIFESTS ?= examples/secret");
  }

  @Test
  void secretGuideAnswersTheCurlAndALiveEditChangesRouting() throws Exception {
    Ports ports = Ports.free();
    Path manifests = copyExample("secret", ports);
    try (RunCommand.Stack stack = RunCommand.start(options(manifests, ports), out())) {
      assertThat(stack.dataPlaneChoice()).isEqualTo("embedded");
      // The first guide's curl sends the Lambda host as Host; it routes all the same.
      HttpResponse<String> answer =
          post(ports.listener, "/echo", curlBody, "lambda.us-east-1.amazonaws.com");
      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(answer.body()).isEqualTo(expectedResponse);
      InvocationRecord call = stack.lambda().invocations().last().orElseThrow();
      assertSignedWithTheSessionNotTheSecretsKey(stack, call);

      // Live edit: the route's prefix /echo becomes /hello.
      Path route = manifests.resolve("httproute.yaml");
      Files.writeString(route, Files.readString(route).replace("value: /echo", "value: /hello"));
      awaitStatus(ports.listener, "/hello", 200);
      assertThat(post(ports.listener, "/echo", curlBody, null).statusCode()).isEqualTo(404);
    }
    assertThat(log.toString(StandardCharsets.UTF_8))
        .contains("data plane: embedded")
        .contains("because")
        .doesNotContain("wJalrXUtnFEMI");
  }

  @Test
  void serviceAccountGuideGetsSessionCredentialsFromSts() throws Exception {
    Ports ports = Ports.free();
    Path manifests = copyExample("irsa", ports);
    try (RunCommand.Stack stack = RunCommand.start(options(manifests, ports), out())) {
      // The second guide's curl: no Host header.
      HttpResponse<String> answer = post(ports.listener, "/echo", curlBody, null);
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      assertThat(answer.body()).isEqualTo(expectedResponse);
      InvocationRecord call = stack.lambda().invocations().last().orElseThrow();
      // Signed with the STS emulator's session credentials, not the long-term test key.
      assertThat(call.header("x-amz-security-token")).isNotBlank();
      assertThat(call.header("authorization")).doesNotContain("Credential=AKIDEXAMPLE/");
      // Later requests reuse the cached credentials.
      assertThat(post(ports.listener, "/echo", curlBody, null).body()).isEqualTo(expectedResponse);
      // The control plane made the same exchange with STS and says so on the Backend.
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      String ready = null;
      while (System.nanoTime() < end && !"True".equals(ready)) {
        var status = stack.controlPlane().controlPlane().lastStatus();
        ready =
            status == null
                ? null
                : status.backends().entrySet().stream()
                    .filter(e -> e.getKey().name().equals("lambda"))
                    .flatMap(e -> e.getValue().stream())
                    .filter(c -> c.getType().equals("CredentialsReady"))
                    .map(c -> c.getStatus() + " " + c.getReason() + ": " + c.getMessage())
                    .findFirst()
                    .orElse(null);
        if (ready != null && ready.startsWith("True ")) {
          break;
        }
        Thread.sleep(50);
      }
      assertThat(ready)
          .startsWith("True CredentialsIssued: STS issued credentials for arn:aws:iam::");
    }
  }

  /**
   * Keys STS does not know: no session, so the Backend is not programmed — requests are refused
   * without reaching Lambda, nothing with the keys is pushed, and the Backend says why.
   */
  @Test
  void keysStsRefusesFailClosed() throws Exception {
    Ports ports = Ports.free();
    Path manifests = copyExample("secret", ports);
    Path secret = manifests.resolve("secret.yaml");
    Files.writeString(
        secret,
        Files.readString(secret)
            .replace("accessKey: AKIDEXAMPLE", "accessKey: AKIDUNKNOWNEXAMPLE"));
    try (RunCommand.Stack stack = RunCommand.start(options(manifests, ports), out())) {
      HttpResponse<String> answer = post(ports.listener, "/echo", curlBody, null);
      assertThat(answer.statusCode()).isEqualTo(500);
      // Generic to the client; why (no session for the Secret's keys) is on the Backend's status.
      dev.lambdagate.harness.host.ErrorReplyAssertions.assertGenericError(
          answer.body(), "backend_invalid", "Internal Server Error");
      assertThat(answer.body()).doesNotContain("AKIDUNKNOWNEXAMPLE").doesNotContain("Secret");
      assertThat(stack.lambda().invocations().last()).isEmpty();
      var ready =
          stack.controlPlane().controlPlane().lastStatus().backends().values().stream()
              .flatMap(List::stream)
              .filter(c -> c.getType().equals("CredentialsReady"))
              .findFirst()
              .orElseThrow();
      assertThat(ready.getStatus()).isEqualTo("False");
      assertThat(ready.getReason()).isEqualTo("StsError");
      assertThat(ready.getMessage())
          .startsWith("GetSessionToken with the Secret's keys: " + "InvalidClientTokenId: ");
    }
  }

  /**
   * The control plane exchanged the Secret's long-term key (the emulators' test key) with the STS
   * emulator's GetSessionToken: Lambda saw a request signed with that session, and nothing the
   * proxies were given holds the long-term key or its secret.
   */
  static void assertSignedWithTheSessionNotTheSecretsKey(
      RunCommand.Stack stack, InvocationRecord call) {
    var exchanges =
        stack.sts().calls().all().stream()
            .filter(c -> "GetSessionToken".equals(c.action()) && c.issuedAccessKeyId() != null)
            .toList();
    assertThat(exchanges).as("the control plane called GetSessionToken").isNotEmpty();
    String session = exchanges.get(exchanges.size() - 1).issuedAccessKeyId();
    assertThat(call.header("authorization"))
        .contains("Credential=" + session + "/")
        .doesNotContain("AKIDEXAMPLE");
    assertThat(call.header("x-amz-security-token"))
        .isEqualTo(stack.sts().credentials().find(session).orElseThrow().sessionToken());
    var resources = stack.controlPlane().controlPlane().resources();
    String pushed =
        dev.lambdagate.controlplane.translate.XdsYaml.dump(resources).replaceAll("\\\\?\n\\s*", "")
            + stack.controlPlane().controlPlane().model().gateways().stream()
                .map(FilterConfigWriter::json)
                .toList();
    assertThat(pushed)
        .contains(session)
        .doesNotContain("AKIDEXAMPLE")
        .doesNotContain("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
  }

  /**
   * A rule's URLRewrite and RequestHeaderModifier reach the function's event: the control plane
   * hands them to the filter, which applies them before building the (signed) Invoke call.
   */
  @Test
  void urlRewriteAndHeaderModifierShapeTheEvent() throws Exception {
    Ports ports = Ports.free();
    Path manifests = copyExample("secret", ports);
    Path backend = manifests.resolve("backend.yaml");
    Files.writeString(
        backend,
        Files.readString(backend)
            .replace(
                "functionName: echo",
                "functionName: event-echo\n      payloadTransformMode: ApiGatewayV2"));
    Path route = manifests.resolve("httproute.yaml");
    String filters =
        """
            filters:
            - type: URLRewrite
              urlRewrite:
                hostname: internal.example.com
                path: {type: ReplacePrefixMatch, replacePrefixMatch: /v2}
            - type: RequestHeaderModifier
              requestHeaderModifier:
                set: [{name: x-team, value: payments}]
                add: [{name: x-tag, value: gateway}]
                remove: [user-agent]
        """;
    Files.writeString(
        route,
        Files.readString(route).replace("    backendRefs:\n", filters + "    backendRefs:\n"));
    try (RunCommand.Stack stack = RunCommand.start(options(manifests, ports), out())) {
      HttpResponse<String> answer = post(ports.listener, "/echo/orders?id=7", curlBody, null);
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      InvocationRecord call = stack.lambda().invocations().last().orElseThrow();
      var event = new com.fasterxml.jackson.databind.ObjectMapper().readTree(call.bodyText());
      assertThat(event.path("rawPath").asText()).isEqualTo("/v2/orders");
      assertThat(event.path("rawQueryString").asText()).isEqualTo("id=7");
      assertThat(event.path("headers").path("host").asText()).isEqualTo("internal.example.com");
      assertThat(event.path("headers").path("x-team").asText()).isEqualTo("payments");
      assertThat(event.path("headers").path("x-tag").asText()).isEqualTo("gateway");
      assertThat(event.path("headers").has("user-agent")).as(event.toString()).isFalse();
      // The Invoke call itself is untouched by the rule: Lambda's own path, no rule headers.
      assertThat(call.rawPath()).endsWith("/invocations");
      assertThat(call.header("x-team")).isNull();
    }
  }

  /**
   * A rule's RequestRedirect is answered by the router with the Location Envoy builds, before any
   * function: the filter finds no backend on the route and lets the request through untouched.
   */
  @Test
  void requestRedirectIsAnsweredWithoutInvokingAnything() throws Exception {
    Ports ports = Ports.free();
    Path manifests = copyExample("secret", ports);
    Path route = manifests.resolve("httproute.yaml");
    String redirects =
        """
          - matches:
            - path: {type: PathPrefix, value: /old}
            filters:
            - type: RequestRedirect
              requestRedirect:
                scheme: https
                path: {type: ReplacePrefixMatch, replacePrefixMatch: /new}
                statusCode: 301
          - matches:
            - path: {type: PathPrefix, value: /moved}
            filters:
            - type: RequestRedirect
              requestRedirect:
                hostname: elsewhere.example.com
                port: 8443
                path: {type: ReplaceFullPath, replaceFullPath: /landing}
        """;
    Files.writeString(
        route, Files.readString(route).replace("  rules:\n", "  rules:\n" + redirects));
    try (RunCommand.Stack stack = RunCommand.start(options(manifests, ports), out())) {
      awaitStatus(ports.listener, "/old/orders?id=7", 301);
      // The scheme changes from http, so Envoy drops the request's default port :80.
      HttpResponse<String> moved =
          post(ports.listener, "/old/orders?id=7", curlBody, "gw.example.com:80");
      assertThat(moved.statusCode()).isEqualTo(301);
      assertThat(moved.headers().firstValue("location"))
          .hasValue("https://gw.example.com/new/orders?id=7");
      assertThat(moved.body()).isEmpty();

      HttpResponse<String> found = post(ports.listener, "/moved/a?b=c", curlBody, "gw.example.com");
      assertThat(found.statusCode()).isEqualTo(302);
      assertThat(found.headers().firstValue("location"))
          .hasValue("http://elsewhere.example.com:8443/landing?b=c");

      // Nothing was invoked for the redirects (the control plane's DryRun check aside), and
      // the function's own rule is still served.
      assertThat(stack.lambda().invocations().all())
          .allSatisfy(call -> assertThat(call.invocationType().name()).isEqualTo("DRY_RUN"));
      HttpResponse<String> echo = post(ports.listener, "/echo", curlBody, null);
      assertThat(echo.statusCode()).as(echo.body()).isEqualTo(200);
      assertThat(stack.lambda().invocations().last().orElseThrow().invocationType().name())
          .isEqualTo("REQUEST_RESPONSE");
    }
  }

  /**
   * The endpoint policy end to end: a live edit points the Backend at a look-alike host; the
   * control plane refuses it (Accepted=False naming endpointURL), pushes none of its credentials,
   * and the filter answers its route with a generic 500 whose request id names the log line that
   * says why. Nothing reaches any Lambda.
   */
  @Test
  void aBackendOutsideTheEndpointPolicyAnswersAGeneric500() throws Exception {
    Ports ports = Ports.free();
    Path manifests = copyExample("secret", ports);
    try (RunCommand.Stack stack = RunCommand.start(options(manifests, ports), out())) {
      awaitStatus(ports.listener, "/echo", 200);
      Path backend = manifests.resolve("backend.yaml");
      Files.writeString(
          backend,
          Files.readString(backend)
              .replace(
                  "http://127.0.0.1:" + ports.lambda,
                  "https://lambda.us-east-1.amazonaws.com.evil.com"));
      awaitStatus(ports.listener, "/echo", 500);
      long invocations = stack.lambda().invocations().count();

      HttpResponse<String> answer =
          CLIENT.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.listener + "/echo"))
                  .timeout(Duration.ofSeconds(30))
                  .header("x-request-id", "policy-check-1")
                  .POST(HttpRequest.BodyPublishers.ofString(curlBody))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).isEqualTo(500);
      assertThat(
              ErrorReplyAssertions.assertGenericError(
                  answer.body(), "backend_invalid", "Internal Server Error"))
          .isEqualTo("policy-check-1");
      assertThat(answer.body())
          .doesNotContain("default")
          .doesNotContain("evil")
          .doesNotContain("endpointURL");
      assertThat(stack.lambda().invocations().count()).isEqualTo(invocations);
      ErrorReplyAssertions.assertLoggedWith(
          log.toString(StandardCharsets.UTF_8).lines().toList(),
          "policy-check-1",
          "answered 500 backend_invalid: Backend default/lambda: "
              + "spec.aws.lambda.endpointURL: https://lambda.us-east-1.amazonaws.com.evil.com is not"
              + " an AWS lambda endpoint");
      var accepted =
          stack.controlPlane().controlPlane().lastStatus().backends().entrySet().stream()
              .filter(e -> e.getKey().name().equals("lambda"))
              .flatMap(e -> e.getValue().stream())
              .filter(c -> c.getType().equals("Accepted"))
              .findFirst()
              .orElseThrow();
      assertThat(accepted.getStatus()).isEqualTo("False");
      assertThat(accepted.getMessage())
          .startsWith(
              "spec.aws.lambda.endpointURL: "
                  + "https://lambda.us-east-1.amazonaws.com.evil.com is not an AWS lambda endpoint");
    }
    assertThat(log.toString(StandardCharsets.UTF_8)).doesNotContain("wJalrXUtnFEMI");
  }

  @Test
  void aPortAlreadyInUseIsNamed() throws Exception {
    Ports ports = Ports.free();
    try (ServerSocket taken = new ServerSocket(0)) {
      RunCommand.Options options =
          options(copyExample("secret", ports), ports)
              .withPorts(taken.getLocalPort(), ports.sts, ports.ads, 0);
      RunCommand.StartException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              RunCommand.StartException.class, () -> RunCommand.start(options, out()));
      assertThat(e.getMessage())
          .contains("port " + taken.getLocalPort())
          .contains("already in use")
          .contains("--lambda-port");
    }
  }

  RunCommand.Options options(Path manifests, Ports ports) throws Exception {
    return RunCommand.Options.defaults(manifests, ModuleUnderTest.path())
        .withPorts(ports.lambda, ports.sts, ports.ads, 0)
        .withDataPlane("embedded");
  }

  PrintStream out() {
    return new PrintStream(log, true, StandardCharsets.UTF_8);
  }

  /** Copies examples/NAME, replacing only the well-known ports by free ones. */
  Path copyExample(String name, Ports ports) throws IOException {
    Path source = repoRoot().resolve("examples").resolve(name);
    Path target = Files.createDirectories(dir.resolve(name));
    try (Stream<Path> files = Files.list(source)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        String text =
            Files.readString(f)
                .replace("http://127.0.0.1:9001", "http://127.0.0.1:" + ports.lambda)
                .replace("port: 8080", "port: " + ports.listener);
        Files.writeString(target.resolve(f.getFileName()), text);
      }
    }
    return target;
  }

  static HttpResponse<String> post(int port, String path, String body, String host)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(30))
            .header("content-type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (host != null) {
      request.header("host", host);
    }
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static void awaitStatus(int port, String path, int status) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    int last = -1;
    while (System.nanoTime() < deadline) {
      last = post(port, path, curlBody, null).statusCode();
      if (last == status) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError(path + " answered " + last + ", not " + status + ", within 30 s");
  }

  static Path repoRoot() {
    for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("examples")) && Files.isRegularFile(p.resolve("Makefile"))) {
        return p;
      }
    }
    throw new IllegalStateException("repository root not found");
  }

  /**
   * The ports of a stack under test. The listener and Lambda ports are written into the copied
   * manifests before anything starts (the Gateway's listener port, which Gateway API requires to be
   * 1 to 65535, and the Backend's {@code endpointURL}), so they cannot be bound first and read
   * back: they are found free just before the stack binds them, the narrowest window there is. 0
   * means the stack binds an ephemeral port itself and reports it.
   */
  public record Ports(int listener, int lambda, int sts, int ads) {
    /**
     * For {@code run}: listener and Lambda found free; STS and ADS 0, bound by the stack itself
     * (the control plane reads the STS emulator's endpoint, the data plane the ADS port, from the
     * started servers).
     */
    static Ports free() throws IOException {
      int[] p = reserve(2);
      return new Ports(p[0], p[1], 0, 0);
    }

    /** {@code n} distinct ports that were free a moment ago (held together so they differ). */
    private static int[] reserve(int n) throws IOException {
      int[] p = new int[n];
      List<ServerSocket> held = new java.util.ArrayList<>();
      try {
        for (int i = 0; i < p.length; i++) {
          ServerSocket s = new ServerSocket(0);
          held.add(s);
          p[i] = s.getLocalPort();
        }
      } finally {
        for (ServerSocket s : held) {
          s.close();
        }
      }
      return p;
    }
  }
}
