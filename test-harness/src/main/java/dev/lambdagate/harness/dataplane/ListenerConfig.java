package dev.lambdagate.harness.dataplane;

/**
 * An LDS listener as the embedded data plane serves it: one address, one HTTP connection
 * manager whose routes come from RDS ({@code rdsName}) or inline ({@code inlineRoutes}), and
 * an optional Wasm filter before the router.
 */
public record ListenerConfig(String name, String bindAddress, int port, String rdsName,
    RouteTable inlineRoutes, WasmPluginConfig wasm, boolean stripAnyHostPort) {

  public boolean usesRds() {
    return rdsName != null;
  }
}
