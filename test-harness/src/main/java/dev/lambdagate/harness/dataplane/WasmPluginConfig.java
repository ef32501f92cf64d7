package dev.lambdagate.harness.dataplane;

import java.time.Duration;

/**
 * The {@code envoy.filters.http.wasm} filter of a listener: the plugin configuration handed to
 * {@code proxy_on_configure} (the filter's JSON) plus what identifies the code and what happens
 * when the VM fails. Two listeners (or two LDS versions) with equal values share one running VM
 * configuration.
 *
 * @param pluginName {@code PluginConfig.name}
 * @param rootId {@code PluginConfig.root_id}
 * @param configuration the {@code configuration} StringValue (the filter's JSON), "" when absent
 * @param codeSha256 the expected sha256 of the module (lower-case hex), "" when not given
 * @param codeSource where Envoy would load the code from (for messages only)
 * @param reload true for {@code FAIL_RELOAD} (a failed VM is replaced with backoff), false for
 *     {@code FAIL_CLOSED} (Envoy's default: a failed VM fails every request until the configuration
 *     changes). {@code FAIL_OPEN} is rejected: it would forward unsigned.
 * @param reloadBase {@code reload_config.backoff.base_interval} (Envoy's default 1 s)
 * @param reloadMax {@code reload_config.backoff.max_interval} (Envoy's default 10 x base)
 */
public record WasmPluginConfig(
    String pluginName,
    String rootId,
    String configuration,
    String codeSha256,
    String codeSource,
    boolean reload,
    Duration reloadBase,
    Duration reloadMax) {}
