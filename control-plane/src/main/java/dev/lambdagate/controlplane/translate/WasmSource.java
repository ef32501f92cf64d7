package dev.lambdagate.controlplane.translate;

import java.net.URI;

/**
 * Where Envoy loads {@code lambdagate.wasm} from: a file on the proxy's disk, or an HTTP(S) URL
 * checked against a SHA-256 (fetched through the cluster {@code lambdagate-wasm}).
 */
public record WasmSource(String file, String url, String sha256) {
  public static final String DEFAULT_FILE = "/etc/envoy/lambdagate.wasm";

  public static WasmSource file(String path) {
    return new WasmSource(path, null, null);
  }

  public static WasmSource remote(String url, String sha256) {
    URI u = URI.create(url);
    if (u.getHost() == null || !("http".equals(u.getScheme()) || "https".equals(u.getScheme()))) {
      throw new IllegalArgumentException("--wasm-url must be an http:// or https:// URL");
    }
    if (sha256 == null || !sha256.matches("[0-9a-fA-F]{64}")) {
      throw new IllegalArgumentException("--wasm-sha256 must be 64 hex digits");
    }
    return new WasmSource(null, url, sha256.toLowerCase(java.util.Locale.ROOT));
  }

  public boolean isRemote() {
    return url != null;
  }
}
