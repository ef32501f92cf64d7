package dev.lambdagate.controlplane;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * A loopback port that refuses connections for as long as this is open: a TCP socket bound to an
 * ephemeral port that never listens. Connecting to it gets a reset ("connection refused"), and no
 * other process can take the port meanwhile — unlike a port found free and closed again, which
 * anything may bind before the test connects. Not thread-safe; open it in the test that uses it.
 */
public final class RefusingPort implements AutoCloseable {
  private final Socket socket = new Socket();

  public RefusingPort() throws IOException {
    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
  }

  /** The port (on 127.0.0.1). */
  public int port() {
    return socket.getLocalPort();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
