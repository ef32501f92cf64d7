package dev.lambdagate.controlplane.files;

import dev.lambdagate.controlplane.state.WebIdentityTokenSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * File mode's web identity token ({@code --web-identity-token-file}): the file's content (trimmed)
 * is the token of every ServiceAccount. Re-read when it changes; {@code onChange} then runs so the
 * new token is pushed.
 */
public final class FileTokenSource implements WebIdentityTokenSource, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FileTokenSource.class);
  private final Path file;
  private final ScheduledExecutorService executor;
  private volatile String token;
  private String fingerprint;

  public FileTokenSource(Path file) {
    this.file = file;
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "token-file");
              t.setDaemon(true);
              return t;
            });
    read();
  }

  /** Polls the file every {@code pollMillis}; runs {@code onChange} after the token changed. */
  public void watch(long pollMillis, Runnable onChange) {
    executor.scheduleWithFixedDelay(
        () -> {
          String before = token;
          read();
          if (!java.util.Objects.equals(before, token)) {
            LOG.info("web identity token in {} changed", file);
            onChange.run();
          }
        },
        pollMillis,
        pollMillis,
        TimeUnit.MILLISECONDS);
  }

  private synchronized void read() {
    String fp = FileFingerprint.of(List.of(file));
    if (fp.equals(fingerprint)) {
      return;
    }
    fingerprint = fp;
    try {
      String t = Files.readString(file).strip();
      token = t.isEmpty() ? null : t;
    } catch (IOException e) {
      LOG.warn("cannot read web identity token file {}: {}", file, e.toString());
      token = null;
    }
  }

  @Override
  public Optional<String> token(String namespace, String serviceAccount) {
    return Optional.ofNullable(token);
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
