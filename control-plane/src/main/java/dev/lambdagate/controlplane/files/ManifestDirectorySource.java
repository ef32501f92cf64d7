package dev.lambdagate.controlplane.files;

import dev.lambdagate.controlplane.state.ClusterState;
import dev.lambdagate.controlplane.state.StateSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * File mode's {@link StateSource}: the manifests of a directory, re-read when a file is added,
 * changed or removed (polled every 500 ms). A broken file is reported (file and document) and the
 * last good state stays in force.
 */
public final class ManifestDirectorySource implements StateSource {
  private static final Logger LOG = LoggerFactory.getLogger(ManifestDirectorySource.class);

  private final Path dir;
  private final ManifestLoader loader;
  private final long pollMillis;
  private final ScheduledExecutorService executor;
  private String fingerprint;
  private volatile String lastError;

  public ManifestDirectorySource(Path dir, ManifestLoader loader, long pollMillis) {
    this.dir = dir;
    this.loader = loader;
    this.pollMillis = pollMillis;
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "manifests");
              t.setDaemon(true);
              return t;
            });
  }

  @Override
  public void start(Consumer<ClusterState> listener) {
    executor.scheduleWithFixedDelay(() -> poll(listener), 0, pollMillis, TimeUnit.MILLISECONDS);
  }

  /** The last load error, or null when the last load succeeded. */
  public String lastError() {
    return lastError;
  }

  private void poll(Consumer<ClusterState> listener) {
    try {
      List<Path> files = ManifestLoader.files(dir);
      String fp = FileFingerprint.of(files);
      if (fp.equals(fingerprint)) {
        return;
      }
      fingerprint = fp;
      ClusterState state;
      try {
        state = loader.loadDirectory(dir);
      } catch (ManifestException e) {
        lastError = e.getMessage();
        LOG.error("{} (keeping the last good configuration)", e.getMessage());
        return;
      }
      lastError = null;
      LOG.info("read {} manifest file(s) from {}", files.size(), dir);
      listener.accept(state);
    } catch (IOException e) {
      lastError = "cannot list " + dir + ": " + e.getMessage();
      LOG.error(lastError);
    } catch (RuntimeException e) {
      LOG.error("applying manifests from {} failed", dir, e);
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
