package dev.lambdagate.controlplane.translate;

/**
 * @param trustedCa CA bundle Envoy validates AWS endpoints against
 */
public record TranslatorOptions(WasmSource wasm, String trustedCa) {
  public static final String DEFAULT_TRUSTED_CA = "/etc/ssl/certs/ca-certificates.crt";

  public static TranslatorOptions defaults() {
    return new TranslatorOptions(WasmSource.file(WasmSource.DEFAULT_FILE), DEFAULT_TRUSTED_CA);
  }
}
