package dev.lambdagate.harness.dataplane;

import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;

/** Real-Envoy tests need a Docker daemon; without one they skip and say so, loudly. */
public final class DockerAvailability {
  private DockerAvailability() {}

  /** Skips the calling test (or class) unless a Docker daemon answers, printing why. */
  public static void assume(String test, String what) {
    boolean docker;
    try {
      docker = DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException e) {
      docker = false;
    }
    if (!docker) {
      System.err.println("[" + test + "] SKIPPED: no Docker daemon, so no real Envoy here; "
          + "this test runs wherever Docker is available");
    }
    Assumptions.assumeTrue(docker, "no Docker daemon: " + what + " is skipped");
  }
}
