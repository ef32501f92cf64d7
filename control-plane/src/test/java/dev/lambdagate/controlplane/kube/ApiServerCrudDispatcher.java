package dev.lambdagate.controlplane.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;

/**
 * fabric8's CRUD dispatcher, storing Secrets as the Kubernetes API server does. The Secret's API
 * reference: {@code stringData} is "a write-only input field"; "all keys and values are merged into
 * the data field on write, overwriting any existing values", and it "is never output when reading
 * from the API". The mock keeps {@code stringData} as written, so without this, a test of the
 * guides' Secret would read a field a real cluster never serves, and the guide's empty {@code
 * sessionToken} would never be seen as the empty {@code data} value it becomes.
 */
public final class ApiServerCrudDispatcher extends KubernetesCrudDispatcher {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Override
  public void processEvent(
      String path,
      AttributeSet pathAttributes,
      AttributeSet oldAttributes,
      GenericKubernetesResource resource,
      String newState) {
    super.processEvent(
        path, pathAttributes, oldAttributes, resource, newState == null ? null : stored(newState));
  }

  @Override
  public MockResponse handleCreate(RecordedRequest request) {
    return storedBody(super.handleCreate(request));
  }

  @Override
  public MockResponse handleUpdate(RecordedRequest request) {
    return storedBody(super.handleUpdate(request));
  }

  @Override
  public MockResponse handlePatch(RecordedRequest request) {
    return storedBody(super.handlePatch(request));
  }

  /** The write's response shows the object as stored, as the API server's does. */
  private static MockResponse storedBody(MockResponse response) {
    if (response.code() / 100 == 2 && response.getBody() != null) {
      String body = new String(response.getBody().getBytes(), StandardCharsets.UTF_8);
      String stored = stored(body);
      if (!stored.equals(body)) {
        response.setBody(stored);
      }
    }
    return response;
  }

  /**
   * The JSON of an object as the API server stores it: for a v1 Secret, {@code stringData} merged
   * into {@code data}; anything else unchanged.
   */
  static String stored(String json) {
    JsonNode node;
    try {
      node = MAPPER.readTree(json);
    } catch (IOException e) {
      return json; // not an object the server stores; the dispatcher answers it as it would
    }
    if (!(node instanceof ObjectNode object)
        || !"Secret".equals(object.path("kind").asText())
        || !"v1".equals(object.path("apiVersion").asText())
        || !object.has("stringData")) {
      return json;
    }
    JsonNode stringData = object.remove("stringData");
    if (stringData.isObject()) {
      ObjectNode data =
          object.get("data") instanceof ObjectNode existing ? existing : object.putObject("data");
      for (Iterator<Map.Entry<String, JsonNode>> it = stringData.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        data.put(
            e.getKey(),
            Base64.getEncoder()
                .encodeToString(e.getValue().asText().getBytes(StandardCharsets.UTF_8)));
      }
    }
    try {
      return MAPPER.writeValueAsString(object);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
