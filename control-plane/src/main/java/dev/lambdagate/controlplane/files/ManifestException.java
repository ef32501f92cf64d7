package dev.lambdagate.controlplane.files;

/** A manifest that cannot be read; the message names the file and the document. */
public final class ManifestException extends Exception {
  public ManifestException(String message, Throwable cause) {
    super(message, cause);
  }
}
