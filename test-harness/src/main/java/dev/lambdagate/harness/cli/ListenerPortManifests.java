package dev.lambdagate.harness.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.lambdagate.controlplane.files.ManifestLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * {@code run --listener-port N}: a copy of a manifest directory in which one Gateway's listeners
 * are on port N, kept in step with the original (polled every 250 ms) so that editing the original
 * still changes routing live. The control plane reads the copy, so the listener it sends over LDS
 * carries N and every data plane (Envoy or the embedded one) binds N: the port is overridden where
 * the Gateway is, not behind the control plane's back.
 *
 * <p>Only the named Gateway's documents are rewritten (re-serialized, so their comments are lost in
 * the copy); every other file is copied byte for byte, a file that does not parse too, so the
 * control plane reports it as usual. A Gateway whose listeners use more than one port is refused
 * (which listener would move is a guess); on a live edit the copy's previous version of that file
 * stays, as the control plane keeps the last good configuration.
 *
 * <p>Thread-safety: the copy is refreshed on one daemon thread; {@link #close} may be called from
 * any thread.
 */
final class ListenerPortManifests implements AutoCloseable {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final Path source;
  private final Path copy;
  private final String namespace;
  private final String name;
  private final int port;
  private final Consumer<String> log;
  private final Map<String, String> copied = new HashMap<>();
  private final ScheduledExecutorService poller;

  private ListenerPortManifests(
      Path source, Path copy, String gateway, int port, Consumer<String> log) {
    this.source = source;
    this.copy = copy;
    int slash = gateway.indexOf('/');
    this.namespace = gateway.substring(0, slash);
    this.name = gateway.substring(slash + 1);
    this.port = port;
    this.log = log;
    this.poller =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "listener-port-manifests");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Writes the copy and starts keeping it in step.
   *
   * @param gateway {@code namespace/name} of the Gateway whose listeners move to {@code port}
   * @param log where problems met on a later refresh are reported (one line each)
   * @throws IllegalArgumentException when {@code source} has no such Gateway, or its listeners use
   *     more than one port (the message says which)
   */
  static ListenerPortManifests start(Path source, String gateway, int port, Consumer<String> log)
      throws IOException {
    if (gateway.indexOf('/') <= 0 || gateway.endsWith("/")) {
      throw new IllegalArgumentException(
          "--gateway: expected NAMESPACE/NAME, got '" + gateway + "'");
    }
    Path copy = Files.createTempDirectory("lambdagate-manifests-");
    ListenerPortManifests manifests = new ListenerPortManifests(source, copy, gateway, port, log);
    try {
      if (!manifests.refresh(true)) {
        throw new IllegalArgumentException("no Gateway " + gateway + " in " + source);
      }
    } catch (IOException | RuntimeException e) {
      manifests.close();
      throw e;
    }
    manifests.poller.scheduleWithFixedDelay(
        manifests::refreshQuietly, 250, 250, TimeUnit.MILLISECONDS);
    return manifests;
  }

  /** The directory the control plane reads. */
  Path directory() {
    return copy;
  }

  private void refreshQuietly() {
    try {
      refresh(false);
    } catch (IOException | RuntimeException e) {
      log.accept("--listener-port: cannot refresh the copy of " + source + ": " + e.getMessage());
    }
  }

  /**
   * Brings the copy in step with the source; true when the Gateway was found. On the first refresh
   * a Gateway that cannot be moved is an error; later it is reported and skipped.
   */
  private synchronized boolean refresh(boolean first) throws IOException {
    boolean found = false;
    List<String> present = new ArrayList<>();
    for (Path file : ManifestLoader.files(source)) {
      String fileName = file.getFileName().toString();
      present.add(fileName);
      String text;
      try {
        text = Files.readString(file);
      } catch (IOException e) {
        continue; // removed or being replaced: the next round sees it
      }
      String rewritten;
      try {
        rewritten = rewrite(text, namespace, name, port);
      } catch (IllegalArgumentException e) {
        if (first) {
          throw new IllegalArgumentException(file + ": " + e.getMessage());
        }
        if (!text.equals(copied.put(fileName, text))) {
          log.accept(
              "--listener-port: "
                  + file
                  + ": "
                  + e.getMessage()
                  + "; the copy keeps its previous version");
        }
        found = true;
        continue;
      }
      found |= rewritten != null;
      if (text.equals(copied.get(fileName))) {
        continue;
      }
      Path temp = copy.resolve("." + fileName + ".tmp");
      Files.writeString(temp, rewritten != null ? rewritten : text);
      Files.move(
          temp,
          copy.resolve(fileName),
          StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
      copied.put(fileName, text);
    }
    for (String gone : new ArrayList<>(copied.keySet())) {
      if (!present.contains(gone)) {
        Files.deleteIfExists(copy.resolve(gone));
        copied.remove(gone);
      }
    }
    return found;
  }

  /**
   * The manifest text with every listener of Gateway {@code namespace/name} on {@code port}, or
   * null when the text has no such Gateway (or does not parse: the control plane says why).
   *
   * @throws IllegalArgumentException when that Gateway's listeners use more than one port
   */
  static String rewrite(String text, String namespace, String name, int port) {
    List<JsonNode> documents = new ArrayList<>();
    try (JsonParser p = YAML.getFactory().createParser(text);
        MappingIterator<JsonNode> it = YAML.readValues(p, JsonNode.class)) {
      while (it.hasNextValue()) {
        documents.add(it.nextValue());
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
    boolean changed = false;
    for (JsonNode document : documents) {
      if (document != null
          && "List".equals(document.path("kind").asText())
          && document.path("items").isArray()) {
        for (JsonNode item : document.get("items")) {
          changed |= moveListeners(item, namespace, name, port);
        }
      } else {
        changed |= moveListeners(document, namespace, name, port);
      }
    }
    if (!changed) {
      return null;
    }
    StringBuilder out = new StringBuilder();
    for (JsonNode document : documents) {
      try {
        out.append(YAML.writeValueAsString(document));
      } catch (IOException e) {
        throw new IllegalStateException("cannot write YAML: " + e.getMessage(), e);
      }
    }
    return out.toString();
  }

  private static boolean isGateway(JsonNode document, String namespace, String name) {
    return document != null
        && document.isObject()
        && "Gateway".equals(document.path("kind").asText())
        && document.path("apiVersion").asText().startsWith("gateway.networking.k8s.io/")
        && name.equals(document.path("metadata").path("name").asText())
        && namespace.equals(document.path("metadata").path("namespace").asText("default"));
  }

  private static boolean moveListeners(JsonNode document, String namespace, String name, int port) {
    if (!isGateway(document, namespace, name)) {
      return false;
    }
    JsonNode listeners = document.path("spec").path("listeners");
    if (!listeners.isArray() || listeners.isEmpty()) {
      return false;
    }
    TreeSet<String> ports = new TreeSet<>(Comparator.naturalOrder());
    for (JsonNode listener : listeners) {
      ports.add(listener.path("port").asText());
    }
    if (ports.size() > 1) {
      throw new IllegalArgumentException(
          "Gateway "
              + namespace
              + "/"
              + name
              + " has listeners on ports "
              + String.join(", ", ports)
              + "; --listener-port moves a Gateway whose listeners share one port");
    }
    for (JsonNode listener : listeners) {
      if (listener.isObject()) {
        ((ObjectNode) listener).put("port", port);
      }
    }
    return true;
  }

  /**
   * The ports of Gateway {@code gateway}'s listeners in the manifests of {@code dir}, sorted; empty
   * when it is not there or a file does not parse.
   */
  static List<Integer> gatewayPorts(Path dir, String gateway) throws IOException {
    return gatewayPorts(dir, gateway, false);
  }

  /** The ports of the Gateway's HTTPS listeners in {@code dir}, sorted; empty when unreadable. */
  static List<Integer> gatewayHttpsPorts(Path dir, String gateway) throws IOException {
    return gatewayPorts(dir, gateway, true);
  }

  private static List<Integer> gatewayPorts(Path dir, String gateway, boolean httpsOnly)
      throws IOException {
    int slash = gateway.indexOf('/');
    String namespace = gateway.substring(0, Math.max(slash, 0));
    String name = gateway.substring(slash + 1);
    TreeSet<Integer> ports = new TreeSet<>();
    for (Path file : ManifestLoader.files(dir)) {
      try (JsonParser p = YAML.getFactory().createParser(Files.readString(file));
          MappingIterator<JsonNode> it = YAML.readValues(p, JsonNode.class)) {
        while (it.hasNextValue()) {
          JsonNode document = it.nextValue();
          List<JsonNode> candidates = new ArrayList<>();
          if (document != null && document.path("items").isArray()) {
            document.get("items").forEach(candidates::add);
          } else {
            candidates.add(document);
          }
          for (JsonNode candidate : candidates) {
            if (isGateway(candidate, namespace, name)) {
              for (JsonNode listener : candidate.path("spec").path("listeners")) {
                if (listener.path("port").canConvertToInt()
                    && (!httpsOnly || "HTTPS".equals(listener.path("protocol").asText()))) {
                  ports.add(listener.path("port").asInt());
                }
              }
            }
          }
        }
      } catch (IOException | RuntimeException e) {
        return List.of();
      }
    }
    return List.copyOf(ports);
  }

  /** Stops refreshing and deletes the copy. */
  @Override
  public void close() {
    poller.shutdownNow();
    try {
      poller.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> files = Files.list(copy)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.deleteIfExists(f);
      }
      Files.deleteIfExists(copy);
    } catch (IOException e) {
      // a temporary directory: left for the system to clean
    }
  }
}
