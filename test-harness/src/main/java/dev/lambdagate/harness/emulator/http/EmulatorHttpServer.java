package dev.lambdagate.harness.emulator.http;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A started {@code com.sun.net.httpserver} server with one handler for every path, served by a pool
 * of daemon threads (so a sleeping function does not hold up other requests, and a forgotten
 * emulator does not keep the JVM alive).
 *
 * <p>Thread-safe; {@link #close()} is idempotent.
 */
public final class EmulatorHttpServer implements AutoCloseable {

  private final HttpServer server;
  private final ExecutorService workers;
  private volatile boolean closed;

  private EmulatorHttpServer(HttpServer server, ExecutorService workers) {
    this.server = server;
    this.workers = workers;
  }

  /**
   * Binds and starts.
   *
   * @param bindAddress host or IP to listen on, e.g. {@code 127.0.0.1} or {@code 0.0.0.0}
   * @param port TCP port, 0 for an ephemeral one
   * @param threadName prefix for worker thread names
   * @param handler serves every request
   * @throws java.net.BindException when the port is taken
   */
  public static EmulatorHttpServer start(
      String bindAddress, int port, String threadName, HttpHandler handler) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(bindAddress, port), 128);
    ExecutorService workers = Executors.newCachedThreadPool(daemonThreads(threadName));
    server.setExecutor(workers);
    server.createContext("/", handler);
    server.start();
    return new EmulatorHttpServer(server, workers);
  }

  /** The port actually bound. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** The address actually bound. */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** Stops accepting, closes connections, and stops the worker threads. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    server.stop(0);
    workers.shutdownNow();
    try {
      workers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** {@code http://host:port} for a bound address; 127.0.0.1 stands in for the wildcard address. */
  public static URI endpointOf(InetSocketAddress address) {
    InetAddress ip = address.getAddress();
    String host =
        ip.isAnyLocalAddress()
            ? "127.0.0.1"
            : ip instanceof Inet6Address ? "[" + ip.getHostAddress() + "]" : ip.getHostAddress();
    return URI.create("http://" + host + ":" + address.getPort());
  }

  /** Daemon threads named {@code prefix-1}, {@code prefix-2}, ... */
  public static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger counter = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + "-" + counter.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
