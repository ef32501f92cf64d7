package dev.lambdagate.abi;

/**
 * What the module's exported functions forward to: one method per proxy-wasm 0.2.1 callback.
 *
 * <p>The {@code abi} layer only declares the exports; the {@code sdk} layer implements this
 * interface and installs itself with {@link ModuleExports#install}. Booleans and enums travel as
 * the {@code int} values of the ABI. Implementations must not let an exception escape: an exception
 * out of an export traps the VM, which Envoy treats as a crashed filter.
 */
public interface ModuleCallbacks {
  int onMemoryAllocate(int size);

  void onContextCreate(int contextId, int parentContextId);

  int onVmStart(int rootContextId, int vmConfigurationSize);

  int onConfigure(int rootContextId, int pluginConfigurationSize);

  void onTick(int rootContextId);

  int onRequestHeaders(int contextId, int headers, int endOfStream);

  int onRequestBody(int contextId, int bodySize, int endOfStream);

  int onRequestTrailers(int contextId, int trailers);

  int onResponseHeaders(int contextId, int headers, int endOfStream);

  int onResponseBody(int contextId, int bodySize, int endOfStream);

  int onResponseTrailers(int contextId, int trailers);

  void onHttpCallResponse(int contextId, int token, int headers, int bodySize, int trailers);

  int onDone(int contextId);

  void onLog(int contextId);

  void onDelete(int contextId);
}
