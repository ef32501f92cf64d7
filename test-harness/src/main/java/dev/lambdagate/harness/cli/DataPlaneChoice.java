package dev.lambdagate.harness.cli;

/**
 * Which data plane {@code run} starts and why, decided from what the machine has: a pure function,
 * so the {@code auto} rule is tested without an Envoy binary or a Docker daemon. Immutable.
 *
 * @param kind {@code envoy}, {@code docker} or {@code embedded}
 * @param reason the "because ..." that {@code run} prints
 */
public record DataPlaneChoice(String kind, String reason) {

  /**
   * {@code auto}: envoy on PATH, else a reachable Docker daemon, else the embedded data plane. An
   * explicit {@code envoy} or {@code docker} needs what it names.
   *
   * @param asked the {@code --data-plane} value: auto, embedded, envoy or docker
   * @param envoyOnPath where {@code envoy} was found on PATH, or null
   * @param dockerReachable whether a Docker daemon answers
   * @throws IllegalArgumentException when the data plane asked for cannot run here, saying why
   */
  public static DataPlaneChoice choose(String asked, String envoyOnPath, boolean dockerReachable) {
    String kind = asked;
    if (kind.equals("auto")) {
      kind = envoyOnPath != null ? "envoy" : dockerReachable ? "docker" : "embedded";
    }
    String why =
        switch (kind) {
          case "envoy" -> envoyOnPath != null ? "envoy found at " + envoyOnPath : null;
          case "docker" ->
              dockerReachable ? "no envoy on PATH; a Docker daemon is reachable" : null;
          default ->
              asked.equals("embedded")
                  ? "asked for with --data-plane embedded"
                  : "no envoy on PATH and no Docker daemon";
        };
    if (why == null) {
      throw new IllegalArgumentException(
          "--data-plane "
              + kind
              + ": "
              + (kind.equals("envoy") ? "no envoy on PATH" : "no Docker daemon reachable"));
    }
    return new DataPlaneChoice(kind, why);
  }

  /** The line {@code run} prints: which data plane, and because of what. */
  public String announcement(String envoyImage) {
    return "run: data plane: "
        + (kind.equals("embedded")
            ? "embedded (lambdagate.wasm in " + "proxy-wasm-java-host, Chicory compiled mode)"
            : "Envoy " + (kind.equals("docker") ? "(Docker image " + envoyImage + ")" : "binary"))
        + ", because "
        + reason;
  }
}
