package dev.lambdagate.controlplane;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

/**
 * Serves {@code lambdagate.wasm} over HTTP to the proxies the control plane provisions: Envoy
 * fetches it as the Wasm filter's {@code remote} code and checks its sha256, so the module is read
 * once here and never changes while served. Thread-safe.
 *
 * <p>Any pod can reach this port, so no client may hold the server up: one event loop thread serves
 * every connection (a client that sends slowly holds no thread), and a connection is closed {@link
 * #REQUEST_DEADLINE_SECONDS} after it opens unless its request has been answered by then. The
 * request line and headers are bounded as Envoy's own are (8 KiB); anything but {@code GET} (or
 * {@code HEAD}) of {@link #PATH} is answered 405 or 404, and each connection serves one request.
 */
final class WasmFileServer implements AutoCloseable {
  static final String PATH = "/lambdagate.wasm";

  /** From a connection's opening to its response (Envoy's fetch is one small GET). */
  static final int REQUEST_DEADLINE_SECONDS = 10;

  private static final int MAX_HEAD_BYTES = 8 * 1024;

  private final EventLoopGroup group;
  private final Channel channel;
  private final String sha256;

  private WasmFileServer(EventLoopGroup group, Channel channel, String sha256) {
    this.group = group;
    this.channel = channel;
    this.sha256 = sha256;
  }

  static WasmFileServer start(Path file, int port) throws IOException {
    return start(file, port, TimeUnit.SECONDS.toMillis(REQUEST_DEADLINE_SECONDS));
  }

  /** {@link #start(Path, int)} with another deadline per connection (tests). */
  static WasmFileServer start(Path file, int port, long deadlineMillis) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException("no such file (set --wasm-file to lambdagate.wasm)");
    }
    byte[] module = Files.readAllBytes(file);
    String sha;
    try {
      sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(module));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    ByteBuf body = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(module));
    EventLoopGroup group =
        new NioEventLoopGroup(1, new DefaultThreadFactory("wasm-file-server", true));
    try {
      Channel channel =
          new ServerBootstrap()
              .group(group)
              .channel(NioServerSocketChannel.class)
              .childHandler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                      ScheduledFuture<?> deadline =
                          ch.eventLoop()
                              .schedule(() -> ch.close(), deadlineMillis, TimeUnit.MILLISECONDS);
                      ch.closeFuture().addListener(f -> deadline.cancel(false));
                      ch.pipeline()
                          .addLast(new HttpServerCodec(MAX_HEAD_BYTES, MAX_HEAD_BYTES, 8192))
                          .addLast(new ModuleHandler(body, deadline));
                    }
                  })
              .bind(new InetSocketAddress(port))
              .syncUninterruptibly()
              .channel();
      return new WasmFileServer(group, channel, sha);
    } catch (RuntimeException e) {
      group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      throw new IOException(e.getMessage(), e);
    }
  }

  String sha256() {
    return sha256;
  }

  int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** Answers the connection's first request, then closes it. */
  private static final class ModuleHandler extends SimpleChannelInboundHandler<Object> {
    private final ByteBuf module;
    private final ScheduledFuture<?> deadline;
    private boolean answered;

    ModuleHandler(ByteBuf module, ScheduledFuture<?> deadline) {
      this.module = module;
      this.deadline = deadline;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Object message) {
      if (answered || !(message instanceof HttpRequest request)) {
        return; // the request's body, if any, or a second request: not read
      }
      answered = true;
      FullHttpResponse response;
      if (request.decoderResult().isFailure()) {
        response = empty(HttpResponseStatus.BAD_REQUEST);
      } else if (!PATH.equals(request.uri())) {
        response = empty(HttpResponseStatus.NOT_FOUND);
      } else if (request.method().equals(HttpMethod.GET)) {
        response =
            new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, HttpResponseStatus.OK, module.duplicate());
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/wasm");
      } else if (request.method().equals(HttpMethod.HEAD)) {
        response = empty(HttpResponseStatus.OK);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/wasm");
      } else {
        response = empty(HttpResponseStatus.METHOD_NOT_ALLOWED);
        response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
      }
      response.headers().set(HttpHeaderNames.CONTENT_LENGTH, contentLength(request, response));
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      deadline.cancel(false); // answered in time: the transfer is not cut short
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    private int contentLength(HttpRequest request, FullHttpResponse response) {
      return request.method().equals(HttpMethod.HEAD) && response.status().code() == 200
          ? module.readableBytes()
          : response.content().readableBytes();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close(); // a reset or malformed connection concerns only itself
    }

    private static FullHttpResponse empty(HttpResponseStatus status) {
      return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER);
    }
  }
}
