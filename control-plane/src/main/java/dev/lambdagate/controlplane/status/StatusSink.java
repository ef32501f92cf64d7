package dev.lambdagate.controlplane.status;

/**
 * Where computed status goes: the Kubernetes API (status subresources), or, in file mode, the log.
 * Implementations write only what differs from what they last wrote. Called from one thread at a
 * time.
 */
public interface StatusSink {
  void publish(DesiredStatus status);
}
