package dev.lambdagate.harness.dataplane;

/**
 * An xDS resource the embedded data plane cannot apply. Its message becomes the NACK's {@code
 * error_detail} and names the resource and the field, as Envoy's rejections do.
 */
public final class XdsRejectedException extends Exception {
  public XdsRejectedException(String message) {
    super(message);
  }

  public XdsRejectedException(String message, Throwable cause) {
    super(message, cause);
  }
}
