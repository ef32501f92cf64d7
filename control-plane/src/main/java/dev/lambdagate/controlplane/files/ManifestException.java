package dev.lambdagate.controlplane.files;

/** A manifest that cannot be read; the message names the file and the document. */
public final class ManifestException extends Exception {
  public ManifestException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Without a cause: for errors whose cause's message would quote a value (a Secret's). */
  public ManifestException(String message) {
    super(message);
  }
}
