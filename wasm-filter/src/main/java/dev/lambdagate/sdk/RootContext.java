package dev.lambdagate.sdk;

/**
 * The plugin-wide context: configuration, timers, and the factory of per-request contexts. Every
 * callback does nothing (or accepts) by default; subclasses override what they need.
 */
public abstract class RootContext {
  private final int contextId;

  protected RootContext(int contextId) {
    this.contextId = contextId;
  }

  public final int contextId() {
    return contextId;
  }

  /** The VM started; {@code vmConfiguration} is the VM's configuration bytes. */
  public boolean onVmStart(byte[] vmConfiguration) {
    return true;
  }

  /**
   * Whether a plugin configuration of {@code bytes} may be read at all; false rejects it before it
   * is copied into the module (the context logs why).
   */
  public boolean acceptsConfigurationSize(int bytes) {
    return true;
  }

  /** The plugin configuration arrived (or changed); false rejects it. */
  public boolean onConfigure(byte[] pluginConfiguration) {
    return true;
  }

  public void onTick() {}

  /** Creates the context of one HTTP stream. */
  public abstract HttpContext createHttpContext(int contextId);

  public boolean onDone() {
    return true;
  }

  public void onDelete() {}
}
