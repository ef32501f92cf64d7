package io.roastedroot.proxywasm.internal;

/**
 * Makes a context the host's active context before one of its callbacks runs.
 *
 * <p>proxy-wasm-java-host 0.0.5 sends host calls to the context created or activated last, not to
 * the one whose callback is running. Envoy always uses the running context; with several streams
 * open on one VM the harness must do the same, and the switch is package-private.
 */
public final class ContextActivation {
  private ContextActivation() {}

  public static void activate(Context context) {
    context.proxyWasm().setActiveContext(context);
  }
}
