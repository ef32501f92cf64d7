package dev.lambdagate.config;

import dev.lambdagate.json.JsonObject;
import dev.lambdagate.json.JsonParseException;
import dev.lambdagate.json.JsonParser;
import dev.lambdagate.json.JsonType;
import dev.lambdagate.json.JsonValue;
import dev.lambdagate.json.JsonWriter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parses the filter's JSON plugin configuration (docs/filter-config.md) into a {@link
 * FilterConfig}: a single signing backend ({@code sign}), a single Lambda backend ({@code lambda})
 * or routed backends ({@code backends}). Runs once per configuration, so it favours clear errors
 * over speed.
 *
 * <p>Unknown keys are ignored, because later versions may add keys; everything known is checked,
 * and the first problem found is reported with its JSON path.
 */
public final class FilterConfigParser {

  /**
   * The largest plugin configuration accepted, in bytes (docs/filter-config.md): about twice what
   * the control plane writes for 10,000 routes, and small enough that parsing it stays within the
   * filter's memory budget.
   */
  public static final int MAX_CONFIG_BYTES = 8 * 1024 * 1024;

  private FilterConfigParser() {}

  /** The error for a configuration of {@code bytes} over {@link #MAX_CONFIG_BYTES}, or null. */
  public static String sizeError(long bytes) {
    if (bytes <= MAX_CONFIG_BYTES) {
      return null;
    }
    return "the plugin configuration is "
        + bytes
        + " bytes, over the limit of "
        + MAX_CONFIG_BYTES
        + " bytes (8 MiB)";
  }

  /**
   * @param json the UTF-8 JSON configuration document
   * @throws ConfigException naming the first offending key
   */
  public static FilterConfig parse(byte[] json) throws ConfigException {
    String tooLarge = sizeError(json.length);
    if (tooLarge != null) {
      throw new ConfigException("", tooLarge);
    }
    JsonValue root;
    try {
      root = JsonParser.parse(json);
    } catch (JsonParseException e) {
      throw new ConfigException("", "invalid JSON: " + e.getMessage());
    }
    if (root.type() != JsonType.OBJECT) {
      throw new ConfigException(
          "",
          "expected an object with one of the keys sign, lambda or backends, got "
              + root.typeName());
    }
    JsonObject o = (JsonObject) root;
    if (o.has("backends")) {
      if (o.has("sign") || o.has("lambda")) {
        throw new ConfigException(
            "", "expected either backends or one backend (sign or lambda), not both");
      }
      return routedBackends(o);
    }
    return FilterConfig.ofSingleBackend(backendDocument(o, ""));
  }

  /** The routed backends shape: backend documents by id, chosen by Envoy route or cluster name. */
  private static FilterConfig routedBackends(JsonObject o) throws ConfigException {
    JsonFields f = new JsonFields(o, "");
    JsonObject backendsObject = f.requiredObject("backends");
    Map<String, Backend> backends = new LinkedHashMap<>();
    for (Map.Entry<String, JsonValue> e : backendsObject.members().entrySet()) {
      String path = "backends." + e.getKey();
      JsonObject b = JsonFields.object(path, e.getValue());
      backends.put(e.getKey(), b.has("error") ? invalidBackend(b, path) : backendDocument(b, path));
    }
    Map<String, String> routes = new LinkedHashMap<>();
    Map<String, Backend> byRoute = new HashMap<>();
    targets(f.optionalObject("routes"), "routes", backends, routes, byRoute);
    Map<String, String> clusters = new LinkedHashMap<>();
    Map<String, Backend> byCluster = new HashMap<>();
    targets(f.optionalObject("clusters"), "clusters", backends, clusters, byCluster);
    Map<String, RouteFilters> routeFilters = new HashMap<>();
    JsonObject filters = f.optionalObject("routeFilters");
    if (filters != null) {
      for (Map.Entry<String, JsonValue> e : filters.members().entrySet()) {
        String path = "routeFilters." + e.getKey();
        routeFilters.put(
            e.getKey(), RouteFiltersReader.read(JsonFields.object(path, e.getValue()), path));
      }
    }
    return FilterConfig.ofRoutedBackends(
        backends,
        routes,
        clusters,
        byRoute,
        byCluster,
        routeFilters,
        f.optionalBoolean("clusterMetadataBackends", false),
        f.optionalBoolean("routeMetadata", false));
  }

  /**
   * One route's entry as its route metadata carries it ({@link RouteMetadataEntry}).
   *
   * @param json the UTF-8 JSON entry
   * @throws ConfigException naming the first offending key
   */
  public static RouteMetadataEntry parseRouteEntry(byte[] json) throws ConfigException {
    String path = "route metadata " + RouteMetadataEntry.ROUTE_KEY;
    String tooLarge = sizeError(json.length);
    if (tooLarge != null) {
      throw new ConfigException(path, tooLarge);
    }
    JsonValue root;
    try {
      root = JsonParser.parse(json);
    } catch (JsonParseException e) {
      throw new ConfigException(path, "invalid JSON: " + e.getMessage());
    }
    JsonObject o = JsonFields.object(path, root);
    if (o.has("error")) {
      return new RouteMetadataEntry(null, invalidBackend(o, path));
    }
    JsonFields f = new JsonFields(o, path);
    JsonObject filters = f.optionalObject("filters");
    if (filters == null) {
      throw new ConfigException(path, "expected an object with the key filters or error");
    }
    return new RouteMetadataEntry(RouteFiltersReader.read(filters, f.pathOf("filters")), null);
  }

  /**
   * One backend entry as a cluster's metadata carries it ({@link ClusterMetadataBackend}): a
   * backend document or {@code {"error": "..."}}, the same as a value of {@code backends}.
   *
   * @param json the UTF-8 JSON entry
   * @param clusterName the cluster it came from, named in errors
   * @throws ConfigException naming the cluster and the first offending key
   */
  public static Backend parseClusterBackend(byte[] json, String clusterName)
      throws ConfigException {
    String path = "cluster " + clusterName + " metadata " + ClusterMetadataBackend.BACKEND_KEY;
    String tooLarge = sizeError(json.length);
    if (tooLarge != null) {
      throw new ConfigException(path, tooLarge);
    }
    JsonValue root;
    try {
      root = JsonParser.parse(json);
    } catch (JsonParseException e) {
      throw new ConfigException(path, "invalid JSON: " + e.getMessage());
    }
    JsonObject b = JsonFields.object(path, root);
    return b.has("error") ? invalidBackend(b, path) : backendDocument(b, path);
  }

  /** Reads a {@code routes} or {@code clusters} map; every target must be a known backend id. */
  private static void targets(
      JsonObject map,
      String path,
      Map<String, Backend> backends,
      Map<String, String> ids,
      Map<String, Backend> resolved)
      throws ConfigException {
    if (map == null) {
      return;
    }
    for (Map.Entry<String, JsonValue> e : map.members().entrySet()) {
      String itemPath = path + "." + e.getKey();
      String id = JsonFields.string(itemPath, e.getValue());
      Backend backend = backends.get(id);
      if (backend == null) {
        throw new ConfigException(itemPath, "unknown backend " + JsonWriter.quote(id));
      }
      ids.put(e.getKey(), id);
      resolved.put(e.getKey(), backend);
    }
  }

  private static InvalidBackend invalidBackend(JsonObject b, String path) throws ConfigException {
    return new InvalidBackend(new JsonFields(b, path).requiredString("error"));
  }

  /**
   * A backend document: a single signing backend ({@code sign}) or single Lambda backend ({@code
   * lambda}) with its {@code credentials}; the whole configuration, or one of routed backends.
   */
  private static Backend backendDocument(JsonObject o, String path) throws ConfigException {
    JsonFields f = new JsonFields(o, path);
    boolean sign = f.isSet("sign");
    boolean lambda = f.isSet("lambda");
    if (sign && lambda) {
      throw new ConfigException(path, "expected either sign or lambda, not both");
    }
    if (!sign && !lambda) {
      throw new ConfigException(
          path,
          path.isEmpty()
              ? "expected an object with one of the keys sign, lambda or backends"
              : "expected an object with one of the keys sign, lambda or error");
    }
    if (lambda) {
      LambdaConfig config = LambdaConfigReader.read(f.requiredObject("lambda"), f.pathOf("lambda"));
      CredentialSource credentials =
          CredentialsReader.read(
              f.requiredObject("credentials"), f.pathOf("credentials"), config.region());
      return new LambdaBackend(config, credentials);
    }
    SignConfig config = SignConfigReader.read(f.requiredObject("sign"), f.pathOf("sign"));
    CredentialSource credentials =
        CredentialsReader.read(
            f.requiredObject("credentials"), f.pathOf("credentials"), config.region());
    return new SignBackend(config, credentials);
  }
}
