package dev.lambdagate.harness.host;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An HTTP message as a proxy sees it: ordered header pairs (pseudo headers such as {@code :method},
 * {@code :path}, {@code :authority} or {@code :status} included) and a body.
 */
public record HttpMessage(List<String[]> headers, byte[] body) {
  public HttpMessage {
    List<String[]> copy = new ArrayList<>(headers.size());
    for (String[] h : headers) {
      copy.add(new String[] {h[0], h[1]});
    }
    headers = List.copyOf(copy);
    body = body == null ? new byte[0] : body;
  }

  /** The first value of a header (case-insensitive), or null. */
  public String header(String name) {
    for (String[] h : headers) {
      if (h[0].equalsIgnoreCase(name)) {
        return h[1];
      }
    }
    return null;
  }

  /** Every value of a header (case-insensitive), in order. */
  public List<String> headerValues(String name) {
    List<String> values = new ArrayList<>();
    for (String[] h : headers) {
      if (h[0].equalsIgnoreCase(name)) {
        values.add(h[1]);
      }
    }
    return values;
  }

  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** A request with pseudo headers built from a parsed {@code .req} file. */
  public static HttpMessage fromRaw(RawHttpRequest raw) {
    List<String[]> headers = new ArrayList<>();
    headers.add(new String[] {":method", raw.method()});
    headers.add(new String[] {":path", raw.target()});
    String host = raw.header("host");
    if (host != null) {
      headers.add(new String[] {":authority", host});
    }
    for (String[] h : raw.headers()) {
      if (!h[0].equalsIgnoreCase("host")) {
        headers.add(new String[] {h[0].toLowerCase(java.util.Locale.ROOT), h[1]});
      }
    }
    return new HttpMessage(headers, raw.body());
  }
}
