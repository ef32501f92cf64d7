package dev.lambdagate.controlplane.files;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.lambdagate.controlplane.crd.Backend;
import dev.lambdagate.controlplane.crd.GatewayParameters;
import dev.lambdagate.controlplane.state.ClusterState;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads Kubernetes manifests ({@code *.yaml}, {@code *.yml}, several documents per file, {@code
 * kind: List} too) into a {@link ClusterState}. {@code kind} and the group of {@code apiVersion}
 * choose the type; other kinds are logged and skipped; a missing {@code metadata.namespace} is
 * {@code default}. {@code ${NAME}} is replaced by the variable's value when it is defined (as the
 * shell does for the {@code kubectl apply -f - <<EOF} documents), and left alone otherwise.
 */
public final class ManifestLoader {
  private static final Logger LOG = LoggerFactory.getLogger(ManifestLoader.class);
  private static final Pattern VAR = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final KubernetesSerialization K8S = new KubernetesSerialization();

  private final Function<String, String> variables;

  public ManifestLoader(Function<String, String> variables) {
    this.variables = variables;
  }

  /** Substitutes from the process environment. */
  public static ManifestLoader withEnvironment() {
    return new ManifestLoader(System::getenv);
  }

  /** The manifest files of {@code dir} (not recursive), sorted by name. */
  public static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(
              p -> {
                String n = p.getFileName().toString();
                return Files.isRegularFile(p)
                    && !n.startsWith(".")
                    && (n.endsWith(".yaml") || n.endsWith(".yml"));
              })
          .sorted()
          .toList();
    }
  }

  public ClusterState loadDirectory(Path dir) throws ManifestException {
    List<Path> files;
    try {
      files = files(dir);
    } catch (IOException e) {
      throw new ManifestException("cannot list " + dir + ": " + e.getMessage(), e);
    }
    Builder b = new Builder();
    for (Path f : files) {
      String text;
      try {
        text = Files.readString(f);
      } catch (IOException e) {
        throw new ManifestException(f + ": cannot read: " + e.getMessage(), e);
      }
      load(f.toString(), text, b);
    }
    return b.build();
  }

  public ClusterState loadString(String name, String yaml) throws ManifestException {
    Builder b = new Builder();
    load(name, yaml, b);
    return b.build();
  }

  private void load(String file, String text, Builder b) throws ManifestException {
    text = substitute(text);
    int doc = 0;
    try (JsonParser p = YAML.getFactory().createParser(text);
        MappingIterator<JsonNode> it = YAML.readValues(p, JsonNode.class)) {
      while (true) {
        doc++;
        JsonNode node;
        try {
          if (!it.hasNextValue()) {
            break;
          }
          node = it.nextValue();
        } catch (Exception e) {
          throw new ManifestException(
              file + " document " + doc + ": invalid YAML: " + firstLine(e.getMessage()), e);
        }
        if (node == null
            || node.isNull()
            || node.isMissingNode()
            || (node.isObject() && node.isEmpty())) {
          continue;
        }
        if (!node.isObject()) {
          throw new ManifestException(file + " document " + doc + ": expected a mapping", null);
        }
        if ("List".equals(node.path("kind").asText()) && node.path("items").isArray()) {
          int i = 0;
          for (JsonNode item : node.get("items")) {
            add(file, doc + " item " + i++, item, b);
          }
        } else {
          add(file, String.valueOf(doc), node, b);
        }
      }
    } catch (IOException e) {
      throw new ManifestException(
          file + " document " + doc + ": invalid YAML: " + firstLine(e.getMessage()), e);
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  String substitute(String text) {
    Matcher m = VAR.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String v = variables.apply(m.group(1));
      m.appendReplacement(out, Matcher.quoteReplacement(v == null ? m.group() : v));
    }
    m.appendTail(out);
    return out.toString();
  }

  private void add(String file, String doc, JsonNode node, Builder b) throws ManifestException {
    String where = file + " document " + doc;
    String kind = node.path("kind").asText("");
    String apiVersion = node.path("apiVersion").asText("");
    if (kind.isEmpty() || apiVersion.isEmpty()) {
      throw new ManifestException(where + ": apiVersion and kind are required", null);
    }
    String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    ObjectNode obj = (ObjectNode) node.deepCopy();
    JsonNode meta = obj.path("metadata");
    if (!meta.isObject() || meta.path("name").asText("").isEmpty()) {
      throw new ManifestException(where + " (" + kind + "): metadata.name is required", null);
    }
    if (meta.path("namespace").asText("").isEmpty() && !"GatewayClass".equals(kind)) {
      ((ObjectNode) meta).put("namespace", "default");
    }
    try {
      switch (group + "/" + kind) {
        case "/Secret" -> b.secrets.add(convert(obj, Secret.class));
        case "/ServiceAccount" -> b.serviceAccounts.add(convert(obj, ServiceAccount.class));
        case "gateway.networking.k8s.io/GatewayClass" ->
            b.gatewayClasses.add(convert(obj, GatewayClass.class));
        case "gateway.networking.k8s.io/Gateway" -> b.gateways.add(convert(obj, Gateway.class));
        case "gateway.networking.k8s.io/HTTPRoute" -> b.routes.add(convert(obj, HTTPRoute.class));
        case "gateway.networking.k8s.io/ReferenceGrant" ->
            b.grants.add(convert(obj, ReferenceGrant.class));
        case "gateway.kgateway.dev/Backend" -> b.backends.add(convert(obj, Backend.class));
        case "gateway.kgateway.dev/GatewayParameters" ->
            b.parameters.add(convert(obj, GatewayParameters.class));
        default ->
            LOG.warn(
                "{}: skipping {} {} ({}), not a kind lambdagate reads",
                where,
                kind,
                meta.path("name").asText(),
                apiVersion);
      }
    } catch (RuntimeException e) {
      // No cause attached: Jackson's messages quote the value they could not read, and in a
      // Secret that value is a key.
      throw new ManifestException(
          where + " (" + kind + " " + meta.path("name").asText() + "): " + describe(e));
    }
  }

  /**
   * What could not be read and where, never the value: the field's path and the type expected
   * ("stringData: expected an object").
   */
  static String describe(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof MismatchedInputException m) {
        String path = fieldPath(m.getPath());
        return (path.isEmpty() ? "the document" : path)
            + ": expected "
            + expected(m.getTargetType());
      }
      if (c instanceof JsonMappingException m && !m.getPath().isEmpty()) {
        return fieldPath(m.getPath()) + ": cannot be read";
      }
    }
    return "cannot be read as this kind";
  }

  private static String fieldPath(List<JsonMappingException.Reference> path) {
    StringBuilder out = new StringBuilder();
    for (JsonMappingException.Reference r : path) {
      if (r.getFieldName() != null) {
        out.append(out.length() == 0 ? "" : ".").append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        out.append('[').append(r.getIndex()).append(']');
      }
    }
    return out.toString();
  }

  private static String expected(Class<?> type) {
    if (type == null) {
      return "another type";
    }
    if (java.util.Map.class.isAssignableFrom(type)) {
      return "an object";
    }
    if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "a list";
    }
    if (type == String.class) {
      return "a string";
    }
    if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class)) {
      return "a number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    return "an object (" + type.getSimpleName() + ")";
  }

  private static <T extends HasMetadata> T convert(ObjectNode node, Class<T> type) {
    // apiVersion of the class (a v1beta1 HTTPRoute reads as v1: the schema is the same).
    T value = K8S.convertValue(node, type);
    return value;
  }

  private static final class Builder {
    final List<GatewayClass> gatewayClasses = new ArrayList<>();
    final List<Gateway> gateways = new ArrayList<>();
    final List<HTTPRoute> routes = new ArrayList<>();
    final List<Backend> backends = new ArrayList<>();
    final List<GatewayParameters> parameters = new ArrayList<>();
    final List<Secret> secrets = new ArrayList<>();
    final List<ServiceAccount> serviceAccounts = new ArrayList<>();
    final List<ReferenceGrant> grants = new ArrayList<>();

    ClusterState build() {
      return new ClusterState(
          gatewayClasses, gateways, routes, backends, parameters, secrets, serviceAccounts, grants);
    }
  }
}
