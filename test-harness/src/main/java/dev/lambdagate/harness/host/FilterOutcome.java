package dev.lambdagate.harness.host;

/**
 * What the filter did with one side of a stream: let it through (possibly rewritten) or answer it
 * with a local reply.
 *
 * @param localReply true when the filter answered with {@code proxy_send_local_response}
 * @param message the message as it leaves the filter: the forwarded request or response, or the
 *     local reply (with {@code :status})
 * @param details the local reply's status-code details (empty otherwise)
 */
public record FilterOutcome(boolean localReply, HttpMessage message, String details) {
  public int status() {
    String status = message.header(":status");
    return status == null ? 0 : Integer.parseInt(status);
  }
}
