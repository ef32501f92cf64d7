package dev.lambdagate.harness.cli;

import java.util.concurrent.CountDownLatch;

/** Blocks a long-running command until Ctrl-C (SIGINT/SIGTERM), then runs its cleanup once. */
final class ServeUntilStopped {
  private ServeUntilStopped() {}

  static void await(String what, Runnable cleanup, java.io.PrintStream err) {
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              err.println(what + ": stopping");
              try {
                cleanup.run();
              } finally {
                stopped.countDown();
              }
            },
            what + "-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      cleanup.run();
    }
  }
}
