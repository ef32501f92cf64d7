package dev.lambdagate.abi;

import org.teavm.backend.wasm.runtime.WasmSupport;
import org.teavm.interop.Export;

/**
 * The functions the module exports to the proxy (proxy-wasm ABI 0.2.1), forwarding each callback to
 * the installed {@link ModuleCallbacks}.
 */
public final class ModuleExports {
  private static ModuleCallbacks callbacks;

  private ModuleExports() {}

  /** Called once by the module's {@code main}, which {@link #initialize} runs. */
  public static void install(ModuleCallbacks moduleCallbacks) {
    callbacks = moduleCallbacks;
  }

  /**
   * Starts the TeaVM runtime (heap, static initialisers, {@code main}) as a WASI reactor.
   *
   * <p>TeaVM's own {@code _start} asks WASI for the program arguments and builds {@code new
   * String[argc - 1]}; with the zero arguments Envoy passes that is a negative length that corrupts
   * the heap, which only shows at the first GC. Envoy calls {@code _initialize} in preference to
   * {@code _start}, so this export starts the same runtime with no argument array.
   */
  @Export(name = "_initialize")
  public static void initialize() {
    WasmSupport.runWithArgs(null);
  }

  /** Marks the module as speaking ABI 0.2.1; the proxy looks for this export by name. */
  @Export(name = "proxy_abi_version_0_2_1")
  public static void abiVersion() {}

  @Export(name = "proxy_on_memory_allocate")
  public static int onMemoryAllocate(int size) {
    return callbacks.onMemoryAllocate(size);
  }

  /** The pre-0.2.0 name of the allocator; some hosts still look it up. */
  @Export(name = "malloc")
  public static int malloc(int size) {
    return callbacks.onMemoryAllocate(size);
  }

  @Export(name = "proxy_on_context_create")
  public static void onContextCreate(int contextId, int parentContextId) {
    callbacks.onContextCreate(contextId, parentContextId);
  }

  @Export(name = "proxy_on_vm_start")
  public static int onVmStart(int rootContextId, int vmConfigurationSize) {
    return callbacks.onVmStart(rootContextId, vmConfigurationSize);
  }

  @Export(name = "proxy_on_configure")
  public static int onConfigure(int rootContextId, int pluginConfigurationSize) {
    return callbacks.onConfigure(rootContextId, pluginConfigurationSize);
  }

  @Export(name = "proxy_on_tick")
  public static void onTick(int rootContextId) {
    callbacks.onTick(rootContextId);
  }

  @Export(name = "proxy_on_request_headers")
  public static int onRequestHeaders(int contextId, int headers, int endOfStream) {
    return callbacks.onRequestHeaders(contextId, headers, endOfStream);
  }

  @Export(name = "proxy_on_request_body")
  public static int onRequestBody(int contextId, int bodySize, int endOfStream) {
    return callbacks.onRequestBody(contextId, bodySize, endOfStream);
  }

  @Export(name = "proxy_on_request_trailers")
  public static int onRequestTrailers(int contextId, int trailers) {
    return callbacks.onRequestTrailers(contextId, trailers);
  }

  @Export(name = "proxy_on_response_headers")
  public static int onResponseHeaders(int contextId, int headers, int endOfStream) {
    return callbacks.onResponseHeaders(contextId, headers, endOfStream);
  }

  @Export(name = "proxy_on_response_body")
  public static int onResponseBody(int contextId, int bodySize, int endOfStream) {
    return callbacks.onResponseBody(contextId, bodySize, endOfStream);
  }

  @Export(name = "proxy_on_response_trailers")
  public static int onResponseTrailers(int contextId, int trailers) {
    return callbacks.onResponseTrailers(contextId, trailers);
  }

  @Export(name = "proxy_on_http_call_response")
  public static void onHttpCallResponse(
      int contextId, int token, int headers, int bodySize, int trailers) {
    callbacks.onHttpCallResponse(contextId, token, headers, bodySize, trailers);
  }

  @Export(name = "proxy_on_done")
  public static int onDone(int contextId) {
    return callbacks.onDone(contextId);
  }

  @Export(name = "proxy_on_log")
  public static void onLog(int contextId) {
    callbacks.onLog(contextId);
  }

  @Export(name = "proxy_on_delete")
  public static void onDelete(int contextId) {
    callbacks.onDelete(contextId);
  }
}
