package dev.lambdagate.harness.host;

import io.roastedroot.proxywasm.internal.Action;
import io.roastedroot.proxywasm.internal.ArrayProxyMap;
import io.roastedroot.proxywasm.internal.ChainedHandler;
import io.roastedroot.proxywasm.internal.ContextActivation;
import io.roastedroot.proxywasm.internal.Handler;
import io.roastedroot.proxywasm.internal.HttpContext;
import io.roastedroot.proxywasm.internal.ProxyMap;
import io.roastedroot.proxywasm.internal.SendResponse;
import io.roastedroot.proxywasm.internal.StreamType;
import io.roastedroot.proxywasm.internal.WasmResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One HTTP stream through the filter, driven the way Envoy drives it: request headers (end of
 * stream when there is no body), then the whole body with end of stream; later the upstream's
 * response the same way. Call-outs the filter makes while the stream is paused are performed and
 * answered before {@link #request} returns.
 *
 * <p>Not thread-safe on its own; every call enters the VM under the VM's lock.
 */
public final class FilterStream implements AutoCloseable {
  private final FilterVm vm;
  private final StreamHandler handler;
  private final HttpContext context;

  FilterStream(FilterVm vm, Map<List<String>, byte[]> properties) {
    this.vm = vm;
    this.handler = new StreamHandler(vm.proxyWasm().getPluginHandler(), properties);
    this.context = vm.proxyWasm().createHttpContext(handler);
  }

  /** Runs the request through the filter: forwarded upstream (as rewritten), or answered. */
  public FilterOutcome request(HttpMessage request) {
    synchronized (vm) {
      begin(request);
      return finish();
    }
  }

  /**
   * Delivers the request to the filter without performing the call-outs it starts: the stream may
   * stay paused, as in Envoy while a call-out is in flight. Open several streams this way to model
   * concurrent requests, then {@link #finish} each.
   */
  public void begin(HttpMessage request) {
    synchronized (vm) {
      handler.requestHeaders = toMap(request.headers());
      handler.requestBody = request.body();
      boolean hasBody = request.body().length > 0;
      ContextActivation.activate(context);
      Action action = context.callOnRequestHeaders(!hasBody);
      handler.requestAction = action;
      if (handler.localReply == null && hasBody) {
        ContextActivation.activate(context);
        handler.requestAction = context.callOnRequestBody(true);
      }
    }
  }

  /**
   * Runs the request through the filter as an HTTP/2 client may send it: headers, the body in two
   * data frames of which neither ends the stream, then trailers, which do. Envoy then calls {@code
   * proxy_on_request_trailers} with the whole body buffered (the filter paused on it), and no body
   * callback ever sees the end of the stream. The buffer grows as Envoy's: each body callback
   * announces all that is buffered so far.
   */
  public FilterOutcome requestEndingWithTrailers(HttpMessage request) {
    return requestEndingWithTrailers(request, false);
  }

  /**
   * {@link #requestEndingWithTrailers(HttpMessage)}, optionally handing the filter the rest of the
   * request even after it replied locally. Envoy stops there; this checks that the filter does not
   * rely on it: {@link #requestContinued()} then says whether the last callback let the request go.
   */
  public FilterOutcome requestEndingWithTrailers(HttpMessage request, boolean evenAfterAReply) {
    synchronized (vm) {
      byte[] body = request.body();
      handler.requestHeaders = toMap(request.headers());
      handler.requestBody = Arrays.copyOf(body, body.length / 2);
      ContextActivation.activate(context);
      handler.requestAction = context.callOnRequestHeaders(false);
      for (int frame = 0;
          frame < 2 && body.length > 0 && (evenAfterAReply || handler.localReply == null);
          frame++) {
        if (frame == 1) {
          handler.requestBody = body;
        }
        ContextActivation.activate(context);
        handler.requestAction = context.callOnRequestBody(false);
      }
      if (evenAfterAReply || handler.localReply == null) {
        ContextActivation.activate(context);
        handler.requestAction = Action.fromInt(vm.onRequestTrailers(context.id(), 1));
      }
      return finish();
    }
  }

  /** Whether the request side's last callback (or a resume) continued the request. */
  public boolean requestContinued() {
    synchronized (vm) {
      return handler.requestAction == Action.CONTINUE;
    }
  }

  /** Whether the request side is paused (waiting for a call-out) with no reply yet. */
  public boolean requestPaused() {
    synchronized (vm) {
      return handler.localReply == null && paused(StreamType.REQUEST);
    }
  }

  /**
   * The outcome of a request started with {@link #begin}: performs pending call-outs (of any stream
   * of the VM) while this stream is paused.
   */
  public FilterOutcome finish() {
    synchronized (vm) {
      return settle(handler.requestHeaders, () -> handler.requestBody, StreamType.REQUEST);
    }
  }

  /** Runs the upstream's response through the filter. */
  public FilterOutcome response(HttpMessage response) {
    synchronized (vm) {
      handler.responseHeaders = toMap(response.headers());
      handler.responseBody = response.body();
      boolean hasBody = response.body().length > 0;
      ContextActivation.activate(context);
      handler.responseAction = context.callOnResponseHeaders(!hasBody);
      if (handler.localReply == null && hasBody) {
        ContextActivation.activate(context);
        handler.responseAction = context.callOnResponseBody(true);
      }
      return settle(handler.responseHeaders, () -> handler.responseBody, StreamType.RESPONSE);
    }
  }

  /**
   * What one response callback let through, as Envoy's filter manager would pass it on.
   *
   * @param head the status and headers, in the step where they leave the filter (the headers
   *     callback continued, or a later body callback continued after they were held), or a local
   *     reply's; null in every other step
   * @param body the body bytes that leave the filter in this step (possibly none)
   * @param end nothing more leaves the filter: end of stream passed, or a local reply
   * @param reset the filter closed the stream ({@code proxy_close_stream}): Envoy resets it
   * @param localReply the filter answered with {@code proxy_send_local_response}
   * @param held bytes the filter holds (StopIterationAndBuffer) after this step
   */
  public record ResponseStep(
      HttpMessage head, byte[] body, boolean end, boolean reset, boolean localReply, long held) {}

  private boolean responseHeadersSent;
  private boolean responseBodyHeld;
  private long responseHeld;

  /**
   * The upstream's response headers, delivered as Envoy delivers them: {@code endOfStream} when
   * there is no body. Call-outs the filter starts while it holds the response are performed first.
   * Start of the incremental response API ({@link #responseBody}); {@link #response} delivers a
   * whole response instead.
   */
  public ResponseStep responseHeaders(List<String[]> headers, boolean endOfStream) {
    synchronized (vm) {
      handler.responseHeaders = toMap(headers);
      handler.responseBody = new byte[0];
      ContextActivation.activate(context);
      handler.responseAction = context.callOnResponseHeaders(endOfStream);
      return step(new byte[0], endOfStream);
    }
  }

  /**
   * The next piece of the upstream's response body. While the filter holds the body
   * (StopIterationAndBuffer) the callback sees everything held so far plus {@code chunk}, as in
   * Envoy; after it continued, only {@code chunk}. Follows Envoy's rule for held headers: a body
   * callback that continues sends the (possibly rewritten) headers first, then the body.
   */
  public ResponseStep responseBody(byte[] chunk, boolean endOfStream) {
    synchronized (vm) {
      if (responseBodyHeld && handler.responseBody.length > 0) {
        byte[] joined = new byte[handler.responseBody.length + chunk.length];
        System.arraycopy(handler.responseBody, 0, joined, 0, handler.responseBody.length);
        System.arraycopy(chunk, 0, joined, handler.responseBody.length, chunk.length);
        handler.responseBody = joined;
      } else {
        handler.responseBody = chunk;
      }
      ContextActivation.activate(context);
      handler.responseAction = context.callOnResponseBody(endOfStream);
      return step(handler.responseBody, endOfStream);
    }
  }

  private ResponseStep step(byte[] bodyAfterCallback, boolean endOfStream) {
    if (vm.takeCloseStream()) {
      return new ResponseStep(null, new byte[0], true, true, false, 0);
    }
    while (handler.localReply == null
        && paused(StreamType.RESPONSE)
        && endOfStream
        && vm.hasPendingCallouts()) {
      vm.drainCallouts();
    }
    if (handler.localReply != null) {
      FilterOutcome reply = settle(handler.responseHeaders, () -> new byte[0], StreamType.RESPONSE);
      return new ResponseStep(reply.message(), reply.message().body(), true, false, true, 0);
    }
    boolean continued = !paused(StreamType.RESPONSE);
    HttpMessage head = null;
    if (continued && !responseHeadersSent) {
      responseHeadersSent = true;
      List<String[]> pairs = new ArrayList<>();
      for (Map.Entry<String, String> e : handler.responseHeaders.entries()) {
        pairs.add(new String[] {e.getKey(), e.getValue()});
      }
      head = new HttpMessage(pairs, new byte[0]);
    }
    if (continued) {
      responseBodyHeld = false;
      responseHeld = 0;
      byte[] out = handler.responseBody;
      handler.responseBody = new byte[0];
      return new ResponseStep(head, out, endOfStream, false, false, 0);
    }
    responseBodyHeld = true;
    responseHeld = bodyAfterCallback.length;
    return new ResponseStep(null, new byte[0], false, false, false, responseHeld);
  }

  private FilterOutcome settle(
      ProxyMap headers, java.util.function.Supplier<byte[]> body, StreamType side) {
    while (handler.localReply == null && paused(side) && vm.hasPendingCallouts()) {
      vm.drainCallouts();
    }
    if (handler.localReply != null) {
      SendResponse reply = handler.localReply;
      List<String[]> replyHeaders = new ArrayList<>();
      replyHeaders.add(new String[] {":status", Integer.toString(reply.statusCode())});
      if (reply.headers() != null) {
        for (Map.Entry<String, String> e : reply.headers().entries()) {
          replyHeaders.add(new String[] {e.getKey(), e.getValue()});
        }
      }
      byte[] details = reply.statusCodeDetails();
      return new FilterOutcome(
          true,
          new HttpMessage(replyHeaders, reply.body()),
          details == null ? "" : new String(details, StandardCharsets.UTF_8));
    }
    if (paused(side)) {
      throw new IllegalStateException(
          "the filter paused the "
              + side.name().toLowerCase()
              + " and did not resume it or reply (no call-out pending)");
    }
    List<String[]> pairs = new ArrayList<>();
    for (Map.Entry<String, String> e : headers.entries()) {
      pairs.add(new String[] {e.getKey(), e.getValue()});
    }
    return new FilterOutcome(false, new HttpMessage(pairs, body.get()), "");
  }

  private boolean paused(StreamType side) {
    Action action = side == StreamType.REQUEST ? handler.requestAction : handler.responseAction;
    return action == Action.PAUSE;
  }

  @Override
  public void close() {
    synchronized (vm) {
      ContextActivation.activate(context);
      context.close();
    }
  }

  private static ArrayProxyMap toMap(List<String[]> headers) {
    ArrayProxyMap map = new ArrayProxyMap(headers.size());
    for (String[] h : headers) {
      map.add(h[0], h[1]);
    }
    return map;
  }

  /** The stream's side of the host: its headers, bodies, properties and replies. */
  private static final class StreamHandler extends ChainedHandler {
    private final Handler root;
    private final Map<List<String>, byte[]> properties;
    ArrayProxyMap requestHeaders = new ArrayProxyMap();
    ArrayProxyMap responseHeaders = new ArrayProxyMap();
    byte[] requestBody = new byte[0];
    byte[] responseBody = new byte[0];
    Action requestAction;
    Action responseAction;
    SendResponse localReply;

    StreamHandler(Handler root, Map<List<String>, byte[]> properties) {
      this.root = root;
      this.properties = properties;
    }

    @Override
    protected Handler next() {
      return root;
    }

    @Override
    public ProxyMap getHttpRequestHeaders() {
      return requestHeaders;
    }

    @Override
    public ProxyMap getHttpResponseHeaders() {
      return responseHeaders;
    }

    @Override
    public byte[] getHttpRequestBody() {
      return requestBody;
    }

    @Override
    public WasmResult setHttpRequestBody(byte[] body) {
      requestBody = body;
      return WasmResult.OK;
    }

    @Override
    public byte[] getHttpResponseBody() {
      return responseBody;
    }

    @Override
    public WasmResult setHttpResponseBody(byte[] body) {
      responseBody = body;
      return WasmResult.OK;
    }

    @Override
    public WasmResult setAction(StreamType type, Action action) {
      // A later CONTINUE is the filter resuming a paused stream (proxy_continue_stream).
      if (type == StreamType.REQUEST) {
        requestAction = action;
      } else if (type == StreamType.RESPONSE) {
        responseAction = action;
      }
      return WasmResult.OK;
    }

    @Override
    public WasmResult sendHttpResponse(
        int statusCode, byte[] statusCodeDetails, byte[] body, ProxyMap headers, int grpcStatus) {
      localReply = new SendResponse(statusCode, statusCodeDetails, body, headers, grpcStatus);
      return WasmResult.OK;
    }

    @Override
    public byte[] getProperty(List<String> path) throws io.roastedroot.proxywasm.WasmException {
      byte[] value = properties.get(path);
      return value != null ? value : root.getProperty(path);
    }
  }
}
