package dev.lambdagate.sdk;

import dev.lambdagate.abi.ModuleCallbacks;
import dev.lambdagate.abi.ModuleExports;
import dev.lambdagate.json.Utf8;
import dev.lambdagate.lambda.HeaderList;

/**
 * Routes the host's callbacks to context objects by context id, and call-out responses to the
 * context that made the call (by token).
 *
 * <p>This is also where the "no exception escapes an export" rule is kept: a callback that throws
 * is logged with the request id, the stream gets a generic 500 local reply carrying that id (the
 * cause only in the log), and the VM goes on serving. Not thread-safe: a Wasm VM is
 * single-threaded.
 */
public final class Dispatcher implements ModuleCallbacks {
  private static Dispatcher instance;

  private final RootContextFactory rootFactory;
  private final IntObjectMap<RootContext> roots = new IntObjectMap<>();
  private final IntObjectMap<HttpContext> streams = new IntObjectMap<>();

  /** Starts a call-out at the host and returns its token: {@link Host#httpCall} in the module. */
  private final CalloutStarter starter;

  /**
   * Call-out token → what receives its response. Filled only by {@link #dispatch}, which starts the
   * call and registers its handler in one step, so no response can arrive unclaimed.
   */
  private final IntObjectMap<HttpCallHandler> callouts = new IntObjectMap<>();

  /** The stream whose callback is running (or being resumed), else null. */
  private HttpContext current;

  /** The raw {@code proxy_http_call}: starts a call-out and returns its token. */
  interface CalloutStarter {
    int start(String upstream, HeaderList headers, byte[] body, int timeoutMillis);
  }

  /** {@link Host#httpCall}; a named class, not a method reference, to keep the module small. */
  private static final class HostCallout implements CalloutStarter {
    static final HostCallout INSTANCE = new HostCallout();

    @Override
    public int start(String upstream, HeaderList headers, byte[] body, int timeoutMillis) {
      return Host.httpCall(upstream, headers, body, timeoutMillis);
    }
  }

  /** A dispatcher whose call-outs go through {@code starter} (the host, or a test's fake). */
  Dispatcher(RootContextFactory rootFactory, CalloutStarter starter) {
    this.rootFactory = rootFactory;
    this.starter = starter;
  }

  /** Installs the dispatcher behind the module's exports; called once from {@code main}. */
  public static void start(RootContextFactory rootFactory) {
    instance = new Dispatcher(rootFactory, HostCallout.INSTANCE);
    ModuleExports.install(instance);
  }

  /**
   * Makes an HTTP call-out whose response goes to {@code handler}, with the root context the host
   * delivers it to as the effective context. The only way to start a call-out: the token is
   * registered before this returns. Throws {@link HostCallException} when the host refuses the call
   * (e.g. an unknown cluster); nothing is registered then.
   */
  public static int httpCall(
      HttpCallHandler handler,
      String upstream,
      HeaderList headers,
      byte[] body,
      int timeoutMillis) {
    return instance.dispatch(handler, upstream, headers, body, timeoutMillis);
  }

  /**
   * Makes an HTTP call-out on behalf of {@code stream}: its response goes to {@link
   * HttpContext#onHttpCallResponse} with the stream as the effective context, or nowhere if the
   * stream has ended by then (the client went away).
   */
  public static int httpCall(
      HttpContext stream, String upstream, HeaderList headers, byte[] body, int timeoutMillis) {
    return instance.dispatch(stream, upstream, headers, body, timeoutMillis);
  }

  /** Starts a call-out whose response goes to {@code stream} while it lives. */
  int dispatch(
      HttpContext stream, String upstream, HeaderList headers, byte[] body, int timeoutMillis) {
    return dispatch(new StreamCallout(stream), upstream, headers, body, timeoutMillis);
  }

  /** Starts a call-out and registers {@code handler} for its token. */
  int dispatch(
      HttpCallHandler handler,
      String upstream,
      HeaderList headers,
      byte[] body,
      int timeoutMillis) {
    int token = starter.start(upstream, headers, body, timeoutMillis);
    callouts.put(token, handler);
    return token;
  }

  /** Number of call-outs awaiting their response; lets tests prove nothing leaks. */
  int pendingCallouts() {
    return callouts.size();
  }

  /** Delivers a stream's call-out response to the stream, if it is still there. */
  private final class StreamCallout implements HttpCallHandler {
    private final HttpContext stream;

    StreamCallout(HttpContext stream) {
      this.stream = stream;
    }

    @Override
    public void onHttpCallResponse(int token, int headers, int bodySize, int trailers) {
      if (streams.get(stream.contextId()) != stream) {
        return; // the stream ended (client went away) before the call-out answered
      }
      // Envoy makes every call-out on the root context (proxy_http_call goes through
      // root_context()) and so delivers the response there, as proxy-wasm-java-host does:
      // the token says which stream made the call, and it becomes the effective context.
      Host.setEffectiveContext(stream.contextId());
      try {
        // The stream is current, as in its other callbacks, so that a reply made here (a
        // failed call-out's 503) carries the client's x-request-id, not a fresh one.
        current = stream;
        stream.onHttpCallResponse(token, headers, bodySize, trailers);
      } catch (Throwable t) {
        failStream("proxy_on_http_call_response", t);
      } finally {
        current = null;
      }
    }
  }

  /**
   * The stream whose callback is running, or null outside stream callbacks: lets code that pauses a
   * stream (to resume it later with {@link #resumeStream}) know which one it is.
   */
  public static HttpContext currentStream() {
    return instance == null ? null : instance.current;
  }

  /**
   * Runs {@code action} on behalf of {@code stream} from another context's callback (e.g. a
   * call-out response): makes the stream the effective context so header, body, reply and {@code
   * proxy_continue_stream} calls act on it. Does nothing when the stream has ended (the client went
   * away). A failure answers the stream with a 500, as a failing callback does.
   */
  public static void resumeStream(HttpContext stream, Runnable action) {
    Dispatcher d = instance;
    if (d.streams.get(stream.contextId()) != stream) {
      return;
    }
    HttpContext previous = d.current;
    d.current = stream;
    try {
      Host.setEffectiveContext(stream.contextId());
      action.run();
    } catch (Throwable t) {
      d.failStream("resume of stream " + stream.contextId(), t);
    } finally {
      d.current = previous;
    }
  }

  /** Number of live stream contexts; lets tests prove nothing leaks. */
  public static int liveStreams() {
    return instance == null ? 0 : instance.streams.size();
  }

  @Override
  public int onMemoryAllocate(int size) {
    return MemoryArena.allocateForHost(size);
  }

  @Override
  public void onContextCreate(int contextId, int parentContextId) {
    try {
      if (parentContextId == 0) {
        roots.put(contextId, rootFactory.create(contextId));
      } else {
        RootContext root = roots.get(parentContextId);
        if (root != null) {
          streams.put(contextId, root.createHttpContext(contextId));
        }
      }
    } catch (Throwable t) {
      logFailure("proxy_on_context_create", t);
    }
  }

  @Override
  public int onVmStart(int rootContextId, int vmConfigurationSize) {
    try {
      RootContext root = roots.get(rootContextId);
      byte[] config = Host.buffer(AbiConstants.BUFFER_VM_CONFIGURATION, 0, vmConfigurationSize);
      return root == null || root.onVmStart(config) ? 1 : 0;
    } catch (Throwable t) {
      logFailure("proxy_on_vm_start", t);
      return 0;
    }
  }

  @Override
  public int onConfigure(int rootContextId, int pluginConfigurationSize) {
    try {
      RootContext root = roots.get(rootContextId);
      if (root == null || !root.acceptsConfigurationSize(pluginConfigurationSize)) {
        return 0; // refused before a byte of it is copied into the module
      }
      byte[] config =
          Host.bufferInPieces(AbiConstants.BUFFER_PLUGIN_CONFIGURATION, pluginConfigurationSize);
      return root.onConfigure(config) ? 1 : 0;
    } catch (Throwable t) {
      logFailure("proxy_on_configure", t);
      return 0;
    }
  }

  @Override
  public void onTick(int rootContextId) {
    try {
      RootContext root = roots.get(rootContextId);
      if (root != null) {
        root.onTick();
      }
    } catch (Throwable t) {
      logFailure("proxy_on_tick", t);
    }
  }

  @Override
  public int onRequestHeaders(int contextId, int headers, int endOfStream) {
    HttpContext stream = streams.get(contextId);
    if (stream == null) {
      return Action.CONTINUE.code();
    }
    try {
      current = stream;
      return stream.onRequestHeaders(headers, endOfStream != 0).code();
    } catch (Throwable t) {
      return failStream("proxy_on_request_headers", t);
    } finally {
      current = null;
    }
  }

  @Override
  public int onRequestBody(int contextId, int bodySize, int endOfStream) {
    HttpContext stream = streams.get(contextId);
    if (stream == null) {
      return Action.CONTINUE.code();
    }
    try {
      current = stream;
      return stream.onRequestBody(bodySize, endOfStream != 0).code();
    } catch (Throwable t) {
      return failStream("proxy_on_request_body", t);
    } finally {
      current = null;
    }
  }

  @Override
  public int onRequestTrailers(int contextId, int trailers) {
    HttpContext stream = streams.get(contextId);
    if (stream == null) {
      return Action.CONTINUE.code();
    }
    try {
      current = stream;
      return stream.onRequestTrailers(trailers).code();
    } catch (Throwable t) {
      return failStream("proxy_on_request_trailers", t);
    } finally {
      current = null;
    }
  }

  @Override
  public int onResponseHeaders(int contextId, int headers, int endOfStream) {
    HttpContext stream = streams.get(contextId);
    if (stream == null) {
      return Action.CONTINUE.code();
    }
    try {
      current = stream;
      return stream.onResponseHeaders(headers, endOfStream != 0).code();
    } catch (Throwable t) {
      return failStream("proxy_on_response_headers", t);
    } finally {
      current = null;
    }
  }

  @Override
  public int onResponseBody(int contextId, int bodySize, int endOfStream) {
    HttpContext stream = streams.get(contextId);
    if (stream == null) {
      return Action.CONTINUE.code();
    }
    try {
      current = stream;
      return stream.onResponseBody(bodySize, endOfStream != 0).code();
    } catch (Throwable t) {
      return failStream("proxy_on_response_body", t);
    } finally {
      current = null;
    }
  }

  @Override
  public int onResponseTrailers(int contextId, int trailers) {
    HttpContext stream = streams.get(contextId);
    if (stream == null) {
      return Action.CONTINUE.code();
    }
    try {
      current = stream;
      return stream.onResponseTrailers(trailers).code();
    } catch (Throwable t) {
      return failStream("proxy_on_response_trailers", t);
    } finally {
      current = null;
    }
  }

  @Override
  public void onHttpCallResponse(
      int contextId, int token, int headers, int bodySize, int trailers) {
    HttpCallHandler handler = callouts.remove(token);
    if (handler == null) {
      return; // cannot happen: every call-out is started by dispatch(), which registers it
    }
    try {
      // The root the host delivered the response to is the effective context unless the
      // handler (a stream's call-out) makes its own stream effective.
      if (roots.get(contextId) != null) {
        Host.setEffectiveContext(contextId);
      }
      handler.onHttpCallResponse(token, headers, bodySize, trailers);
    } catch (Throwable t) {
      logFailure("proxy_on_http_call_response", t);
    }
  }

  @Override
  public int onDone(int contextId) {
    try {
      HttpContext stream = streams.get(contextId);
      if (stream != null) {
        stream.onDone();
        return 1;
      }
      RootContext root = roots.get(contextId);
      return root == null || root.onDone() ? 1 : 0;
    } catch (Throwable t) {
      logFailure("proxy_on_done", t);
      return 1;
    }
  }

  @Override
  public void onLog(int contextId) {
    try {
      HttpContext stream = streams.get(contextId);
      if (stream != null) {
        stream.onLog();
      }
    } catch (Throwable t) {
      logFailure("proxy_on_log", t);
    }
  }

  @Override
  public void onDelete(int contextId) {
    try {
      HttpContext stream = streams.remove(contextId);
      if (stream != null) {
        stream.onDelete();
        return;
      }
      RootContext root = roots.remove(contextId);
      if (root != null) {
        root.onDelete();
      }
    } catch (Throwable t) {
      logFailure("proxy_on_delete", t);
    }
  }

  /**
   * Answers the running stream with a generic 500 {@code filter_error} and its request id; the
   * cause (exception class and message) goes only to the log, under the same id.
   */
  private int failStream(String callback, Throwable failure) {
    HttpContext stream = current;
    String requestId;
    try {
      requestId = stream == null ? RequestIds.generate() : stream.requestId();
    } catch (Throwable t) {
      requestId = RequestIds.generate();
    }
    logFailure("request " + requestId + ": " + callback, failure);
    try {
      HeaderList headers = new HeaderList(1);
      headers.add("content-type", "application/json");
      String body =
          "{\"error\":\"filter_error\",\"message\":\"Internal Server Error\","
              + "\"requestId\":\""
              + requestId
              + "\"}";
      Host.sendLocalResponse(500, "lambdagate_filter_error", Utf8.encode(body), headers);
      if (stream != null) {
        stream.onFilterError();
      }
    } catch (Throwable ignored) {
      // The reply itself failed (e.g. the response already started); the log line stands.
    }
    return Action.PAUSE.code();
  }

  private static void logFailure(String callback, Throwable failure) {
    try {
      Host.log(AbiConstants.LOG_ERROR, "lambdagate: " + callback + " failed: " + describe(failure));
    } catch (Throwable ignored) {
      // Nothing left to report with.
    }
  }

  private static String describe(Throwable failure) {
    String name = failure.getClass().getName();
    int dot = name.lastIndexOf('.');
    String simple = dot >= 0 ? name.substring(dot + 1) : name;
    return failure.getMessage() == null ? simple : simple + ": " + failure.getMessage();
  }
}
