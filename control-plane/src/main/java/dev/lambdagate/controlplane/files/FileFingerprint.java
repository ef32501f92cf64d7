package dev.lambdagate.controlplane.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Detects changes by polling: names, sizes and modification times of a set of files. Polling (every
 * 500 ms) works the same on every file system, including bind mounts and ConfigMap volumes whose
 * symlink swaps a WatchService misses.
 */
final class FileFingerprint {
  private FileFingerprint() {}

  static String of(List<Path> files) {
    List<String> parts = new ArrayList<>();
    for (Path p : files) {
      try {
        parts.add(
            p
                + ":"
                + Files.size(p)
                + ":"
                + Files.getLastModifiedTime(p).toMillis()
                + ":"
                + Objects.hashCode(Files.readString(p)));
      } catch (IOException e) {
        parts.add(p + ":missing");
      }
    }
    return String.join("|", parts);
  }
}
