package dev.lambdagate.harness.dataplane;

/**
 * The {@code envoy.filters.http.wasm} filter of a listener: the plugin configuration handed to
 * {@code proxy_on_configure} (the filter's JSON) plus what identifies the code. Two listeners
 * (or two LDS versions) with equal values share one running VM configuration.
 *
 * @param pluginName {@code PluginConfig.name}
 * @param rootId {@code PluginConfig.root_id}
 * @param configuration the {@code configuration} StringValue (the filter's JSON), "" when absent
 * @param codeSha256 the expected sha256 of the module (lower-case hex), "" when not given
 * @param codeSource where Envoy would load the code from (for messages only)
 */
public record WasmPluginConfig(String pluginName, String rootId, String configuration,
    String codeSha256, String codeSource) {}
