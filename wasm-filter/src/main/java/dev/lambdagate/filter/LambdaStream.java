package dev.lambdagate.filter;

import dev.lambdagate.config.InvocationMode;
import dev.lambdagate.config.LambdaConfig;
import dev.lambdagate.config.PayloadTransformMode;
import dev.lambdagate.config.ResponseMode;
import dev.lambdagate.config.RouteFilters;
import dev.lambdagate.json.JsonWriter;
import dev.lambdagate.json.Utf8;
import dev.lambdagate.lambda.EventContext;
import dev.lambdagate.lambda.HeaderList;
import dev.lambdagate.lambda.HttpRequest;
import dev.lambdagate.lambda.HttpResponse;
import dev.lambdagate.lambda.InvokePayload;
import dev.lambdagate.lambda.LambdaResultMapper;
import dev.lambdagate.lambda.PayloadLimit;
import dev.lambdagate.lambda.RequestBody;
import dev.lambdagate.lambda.RequestRewriter;
import dev.lambdagate.lambda.RequestSanitizer;
import dev.lambdagate.lambda.ResponseUnwrapper;
import dev.lambdagate.sdk.AbiConstants;
import dev.lambdagate.sdk.Action;
import dev.lambdagate.sdk.Dispatcher;
import dev.lambdagate.sdk.Host;
import dev.lambdagate.sigv4.Credentials;
import dev.lambdagate.sigv4.PayloadHash;

/**
 * Lambda mode for one request: the HTTP request becomes a signed {@code Invoke} call, and the
 * Invoke result becomes the HTTP response.
 *
 * <p>Request: Envoy buffers the body (its hash is signed and its size checked against Lambda's
 * limit before anything is sent; a request over the limit is answered 413 from its content-length,
 * or as soon as the buffered body passes the limit). In {@code None} mode the body is the payload:
 * it is hashed chunk by chunk as it arrives and never copied whole into the module or set back. In
 * the transform modes the event is written once, into a buffer this VM reuses, reading the body
 * from Envoy's buffer piece by piece, and set as the new body from that buffer. The request is
 * rewritten to {@code POST /2015-03-31/functions/{fn}/invocations} at the endpoint. The client's
 * {@code authorization}, every {@code x-amz-*} and hop-by-hop header are removed first, so a client
 * cannot choose the invocation type, client context or credentials. Only {@code host}, {@code
 * content-type} and the {@code x-amz-*} headers the filter sets are signed: headers a proxy may
 * still rewrite after the filter (content-length, forwarding headers) must not break the signature.
 *
 * <p>Response: the status and headers are mapped when they arrive (function error, API error,
 * Async/DryRun). Only a successful result in a transform mode is read into the module (into a
 * reused buffer) and unwrapped; every other body passes through untouched.
 *
 * <p>Memory: a stream keeps no payload in the module between callbacks (only its headers and, in
 * {@code None} mode, a running SHA-256), so concurrent streams do not add up; the largest event and
 * result stay in two buffers per VM (wasm-filter/README.md, "Memory budget").
 *
 * <p>A request without a body in a transform mode still needs an event as the Invoke body, but
 * Envoy lets a filter set the request body only while the body is passing through it. Such a
 * request is therefore invoked by an HTTP call-out to the route's cluster ({@code
 * xds.cluster_name}) and answered with a local reply built from the mapped result.
 */
final class LambdaStream implements StreamHandler {
  /** Envoy's default route timeout; a call-out has no route, so it gets the same bound. */
  static final int CALLOUT_TIMEOUT_MILLIS = 15_000;

  /** Bytes read from a host buffer at a time (and the arena's working size for bodies). */
  static final int PIECE = RequestBodyHasher.PIECE;

  /**
   * The largest function result unwrapped: Lambda's synchronous response limit. Larger results
   * cannot come from Lambda; they are refused with 502 rather than read into the module.
   */
  static final int MAX_RESULT_BYTES = InvocationMode.SYNC.payloadLimitBytes();

  private static final byte[] NO_BYTES = new byte[0];

  /** Per VM, reused: the last event built; grows to the largest event and stays. */
  private static byte[] eventBuffer = NO_BYTES;

  /** Per VM, reused: the last result read for unwrapping; grows to the largest and stays. */
  private static byte[] resultBuffer = NO_BYTES;

  private final PreparedBackend backend;

  /** The route's URLRewrite and RequestHeaderModifier for the event, or null. */
  private final RouteFilters routeFilters;

  private final LambdaConfig config;
  private final LambdagateHttpContext context;
  private final BackendStats stats;
  private HeaderList requestHeaders;
  private int responseStatus;
  private HeaderList responseHeaders;
  private boolean invoked;

  /** The filter answered the request itself: a response passing back is that reply. */
  private boolean answeredLocally;

  /** None mode: the SHA-256 of the body so far, fed as Envoy buffers it; else null. */
  private RequestBodyHasher bodyHash;

  /** The body Envoy holds so far: each body callback announces the whole buffered body. */
  private int bufferedBytes;

  /** The response body is dropped as it passes (Async/DryRun statuses have none). */
  private boolean dropResponseBody;

  /** Streaming mode, once Lambda has accepted the call: its event stream being decoded. */
  private StreamedResponse streamed;

  LambdaStream(PreparedBackend backend, RouteFilters routeFilters, LambdagateHttpContext context) {
    this.backend = backend;
    this.stats = backend.stats();
    this.routeFilters = routeFilters;
    this.context = context;
    this.config = backend.lambdaConfig();
  }

  @Override
  public Action onRequestHeaders(int headerCount, boolean endOfStream) {
    requestHeaders = Host.headers(AbiConstants.MAP_REQUEST_HEADERS);
    String contentLength = requestHeaders.get("content-length");
    // Refused before Envoy buffers anything.
    if (contentLength != null && tooLarge(parseLength(contentLength))) {
      return Action.PAUSE;
    }
    if (endOfStream) {
      return invoke(false, 0);
    }
    if (config.payloadTransformMode() == PayloadTransformMode.NONE) {
      bodyHash = new RequestBodyHasher();
    }
    return Action.PAUSE; // the whole body is needed: it is hashed and signed
  }

  @Override
  public Action onRequestBody(int bodySize, boolean endOfStream) {
    if (invoked) {
      return Action.CONTINUE;
    }
    // Checked on every chunk so an oversized upload is refused before it is all buffered.
    if (tooLarge(bodySize)) {
      return Action.PAUSE;
    }
    if (bodyHash != null) {
      bodyHash.hashBuffered(bodySize);
    }
    bufferedBytes = bodySize;
    if (!endOfStream) {
      return Action.PAUSE; // Envoy keeps buffering (StopIterationAndBuffer)
    }
    return invoke(true, bodySize);
  }

  /**
   * A body that ends with trailers (HTTP/2) ends here, with no body callback at its end of stream:
   * the buffered body is invoked as it would have been there. The trailers do not reach Lambda: the
   * Invoke has a content-length, and Envoy's HTTP/1.1 upstream codec sends no trailers with one.
   */
  @Override
  public Action onRequestTrailers(int trailerCount) {
    if (answeredLocally) {
      return Action.PAUSE;
    }
    if (invoked) {
      return Action.CONTINUE;
    }
    return invoke(bufferedBytes > 0, bufferedBytes);
  }

  private boolean tooLarge(long bytes) {
    HttpResponse refusal = PayloadLimit.check(bytes, config.invocationMode());
    return refuse(refusal);
  }

  private boolean refuse(HttpResponse refusal) {
    if (refusal == null) {
      return false;
    }
    invoked = true; // nothing more to do for this request
    answeredLocally = true;
    LocalReplies.send(refusal);
    return true;
  }

  private Action invoke(boolean hadBody, int bodySize) {
    Credentials credentials = CredentialsGate.acquire(backend, () -> invoke(hadBody, bodySize));
    if (credentials == null) {
      return Action.PAUSE; // answered 503, or resumed once STS has answered
    }
    HeaderList signed = invokeHeaders();
    if (config.payloadTransformMode() == PayloadTransformMode.NONE) {
      // The body is the payload, unchanged: it stays in Envoy's buffer.
      String hash = hadBody ? bodyHash.finish() : PayloadHash.EMPTY_SHA256;
      rewriteRequest(bodySize, hadBody, bodySize, null);
      RequestSigner.sign(backend.signer(), signed, hash, credentials);
      invoked = true;
      stats.invokePayloadBytes.increment(bodySize);
      return Action.CONTINUE;
    }
    JsonWriter event;
    try {
      event = buildEvent(hadBody ? new HostRequestBody(bodySize) : RequestBody.EMPTY);
    } catch (JsonWriter.SizeLimitExceeded e) {
      refuse(PayloadLimit.eventTooLarge(config.invocationMode()));
      return Action.PAUSE;
    }
    int length = event.length();
    if (!hadBody && length > 0) {
      return invokeByCallout(signed, event.toUtf8(), credentials);
    }
    rewriteRequest(length, hadBody, bodySize, event);
    RequestSigner.sign(
        backend.signer(), signed, PayloadHash.sha256Hex(event.buffer(), 0, length), credentials);
    invoked = true;
    stats.invokePayloadBytes.increment(length);
    return Action.CONTINUE;
  }

  /** The request body as Envoy buffered it, read a piece at a time while the event is written. */
  private static final class HostRequestBody implements RequestBody {
    private final int length;

    HostRequestBody(int length) {
      this.length = length;
    }

    @Override
    public int length() {
      return length;
    }

    @Override
    public void read(int start, byte[] dst, int offset, int count) {
      int done = 0;
      while (done < count) {
        int n =
            Host.readBuffer(
                AbiConstants.BUFFER_REQUEST_BODY, start + done, dst, offset + done, count - done);
        if (n <= 0) {
          throw new IllegalStateException(
              "the request body buffer ended at "
                  + (start + done)
                  + " bytes, the host announced "
                  + length);
        }
        done += n;
      }
    }
  }

  /** The headers of the Invoke call that are signed (and all that a call-out sends). */
  private HeaderList invokeHeaders() {
    HeaderList signed = new HeaderList(9);
    signed.add(":method", "POST");
    signed.add(":path", config.invokePath());
    signed.add(":authority", config.endpoint().authority());
    signed.add("x-amz-invocation-type", config.invocationType());
    signed.add("content-type", "application/json");
    return signed;
  }

  private Action invokeByCallout(HeaderList call, byte[] payload, Credentials credentials) {
    invoked = true;
    answeredLocally = true; // by a local reply: now, or when the call-out answers
    byte[] cluster = Host.property("xds", "cluster_name");
    if (cluster == null || cluster.length == 0) {
      LocalReplies.send(
          500,
          "no_upstream_cluster",
          "a request without a body in "
              + config.payloadTransformMode().name()
              + " mode is invoked by an HTTP call-out,"
              + " which needs the route's cluster (xds.cluster_name); none is set");
      return Action.PAUSE;
    }
    java.util.List<dev.lambdagate.sigv4.Header> signature =
        RequestSigner.signatureHeaders(
            backend.signer(), call, PayloadHash.sha256Hex(payload), credentials);
    for (int i = 0; i < signature.size(); i++) {
      call.add(signature.get(i).name(), signature.get(i).value());
    }
    call.add("content-length", Integer.toString(payload.length));
    stats.invokePayloadBytes.increment(payload.length);
    Dispatcher.httpCall(
        context,
        Utf8.decodeString(cluster, 0, cluster.length),
        call,
        payload,
        CALLOUT_TIMEOUT_MILLIS);
    return Action.PAUSE;
  }

  @Override
  public void onHttpCallResponse(int token, int headerCount, int bodySize, int trailers) {
    HeaderList headers =
        headerCount == 0 ? null : Host.headers(AbiConstants.MAP_HTTP_CALL_RESPONSE_HEADERS);
    String status = headers == null ? null : headers.get(":status");
    if (status == null) {
      LocalReplies.send(
          503,
          "lambda_unreachable",
          "the Invoke call-out to "
              + config.endpoint().authority()
              + " failed (connection failure or timeout after "
              + CALLOUT_TIMEOUT_MILLIS
              + " ms)");
      return;
    }
    responseStatus = (int) parseLength(status);
    responseHeaders = headers;
    countLambdaOutcome();
    stats.invokeResultBytes.increment(bodySize);
    HttpResponse mapped;
    if (bodySize > MAX_RESULT_BYTES) {
      mapped = resultTooLarge();
    } else {
      int read = readResult(AbiConstants.BUFFER_HTTP_CALL_RESPONSE_BODY, bodySize);
      mapped =
          isEventStream()
              ? StreamedResponse.decodeWhole(
                  resultBuffer, read, headers.get("content-type"), config.functionErrorStatus())
              : resultIsUnwrapped()
                  ? ResponseUnwrapper.unwrap(config.payloadTransformMode(), resultBuffer, 0, read)
                  : map(responseStatus, headers, java.util.Arrays.copyOf(resultBuffer, read));
    }
    responseHeaders = null;
    mapped = LocalReplies.withRequestId(mapped); // an error: generic body, details in the log
    context.recordResponse(mapped.status());
    Host.sendLocalResponse(
        mapped.status(),
        "lambdagate_invoked_by_callout",
        mapped.body() == null ? NO_BYTES : mapped.body(),
        mapped.headers());
  }

  /**
   * Writes the transform mode's event into the VM's event buffer, at most Lambda's payload limit of
   * it (over that, {@link JsonWriter.SizeLimitExceeded}).
   */
  private JsonWriter buildEvent(RequestBody body) {
    HeaderList headers = new HeaderList(requestHeaders.size());
    String method = "GET";
    String path = "/";
    for (int i = 0; i < requestHeaders.size(); i++) {
      String name = requestHeaders.name(i);
      if (name.equals(":method")) {
        method = requestHeaders.value(i);
      } else if (name.equals(":path")) {
        path = requestHeaders.value(i);
      } else if (name.equals(":authority")) {
        headers.add("host", requestHeaders.value(i));
      } else if (!name.startsWith(":")) {
        headers.add(name, requestHeaders.value(i));
      }
    }
    HttpRequest request =
        new HttpRequest(
            method,
            RequestRewriter.path(routeFilters, path),
            RequestRewriter.headers(routeFilters, headers),
            body,
            sourceIp(),
            null);
    long nowMillis = Host.currentTimeNanos() / 1_000_000L;
    JsonWriter event =
        InvokePayload.write(
            config.payloadTransformMode(),
            request,
            new EventContext(nowMillis, requestHeaders.get("x-request-id")),
            eventBuffer,
            config.invocationMode().payloadLimitBytes());
    eventBuffer = event.buffer(); // kept: the next event reuses it
    return event;
  }

  /**
   * Rewrites the request into the Invoke call; {@code event} is the new body (transform modes), or
   * null when the body goes as it is ({@code None}).
   */
  private void rewriteRequest(
      int payloadLength, boolean hadBody, int oldBodySize, JsonWriter event) {
    int map = AbiConstants.MAP_REQUEST_HEADERS;
    String connection = requestHeaders.get("connection");
    for (int i = 0; i < requestHeaders.size(); i++) {
      String name = requestHeaders.name(i);
      if (!name.startsWith(":")
          && (RequestSanitizer.isRemoved(name, connection)
              || name.equalsIgnoreCase("content-type"))) {
        Host.removeHeader(map, name);
      }
    }
    Host.replaceHeader(map, ":method", "POST");
    Host.replaceHeader(map, ":path", config.invokePath());
    Host.replaceHeader(map, ":authority", config.endpoint().authority());
    Host.replaceHeader(map, "x-amz-invocation-type", config.invocationType());
    Host.replaceHeader(map, "content-type", "application/json");
    Host.replaceHeader(map, "content-length", Integer.toString(payloadLength));
    if (event != null && (hadBody || payloadLength > 0)) {
      Host.setBuffer(
          AbiConstants.BUFFER_REQUEST_BODY, 0, oldBodySize, event.buffer(), 0, payloadLength);
    }
  }

  private static String sourceIp() {
    byte[] address = Host.property("source", "address");
    if (address == null) {
      return null;
    }
    String text = Utf8.decodeString(address, 0, address.length);
    int colon = text.lastIndexOf(':');
    // "1.2.3.4:5678" or "[::1]:5678": drop the port, keep the address.
    if (colon > 0
        && text.indexOf(']') < colon
        && (text.indexOf(':') == colon || text.startsWith("["))) {
      text = text.substring(0, colon);
    }
    if (text.startsWith("[") && text.endsWith("]")) {
      text = text.substring(1, text.length() - 1);
    }
    return text;
  }

  @Override
  public Action onResponseHeaders(int headerCount, boolean endOfStream) {
    if (!invoked || answeredLocally) {
      return Action.CONTINUE;
    }
    responseHeaders = Host.headers(AbiConstants.MAP_RESPONSE_HEADERS);
    String status = responseHeaders.get(":status");
    responseStatus = status == null ? 502 : (int) parseLength(status);
    countLambdaOutcome();
    if (isEventStream()) {
      streamed =
          new StreamedResponse(
              responseHeaders,
              responseHeaders.get("content-type"),
              context,
              stats,
              config.functionErrorStatus());
      responseHeaders = null;
      if (endOfStream) {
        streamed.onEmptyStream();
        return Action.CONTINUE;
      }
      // Held until the head is known (the prelude's end or the first payload): see
      // StreamedResponse for the order Envoy allows.
      return Action.PAUSE;
    }
    if (endOfStream) {
      respond(map(responseStatus, responseHeaders, null), 0, false);
      return Action.CONTINUE;
    }
    if (!resultIsUnwrapped() && !LambdaResultMapper.isApiError(responseStatus)) {
      // The body passes as Lambda sent it (or is dropped): map status and headers now.
      HttpResponse mapped = map(responseStatus, responseHeaders, null);
      dropResponseBody = mapped.status() == 202 || mapped.status() == 204;
      String length = dropResponseBody ? "0" : responseHeaders.get("content-length");
      applyHeaders(mapped, length);
      responseHeaders = null;
      return Action.CONTINUE;
    }
    // Unwrap once the whole result is here; an API error's body (which names the account and
    // the function's ARN) is read too, for the log, and replaced by the generic error.
    return Action.PAUSE;
  }

  /**
   * Whether Lambda's answer is an {@code InvokeWithResponseStream} event stream: Streaming mode and
   * 200 (a refused call — 4xx/5xx with a JSON error — and a DryRun's 204 are mapped as in Buffered
   * mode).
   */
  private boolean isEventStream() {
    return config.responseMode() == ResponseMode.STREAMING
        && responseStatus == 200
        && responseHeaders.get("x-amz-function-error") == null;
  }

  /** Counts what Lambda itself answered: a function error, or throttling (429). */
  private void countLambdaOutcome() {
    if (responseStatus == 429) {
      stats.throttled.increment();
    }
    if (responseHeaders.get("x-amz-function-error") != null) {
      stats.functionError.increment();
    }
  }

  /**
   * Whether the result body is read and unwrapped: only a successful result of a transform mode.
   * Function errors, API errors and {@code None} results pass through as they are.
   */
  private boolean resultIsUnwrapped() {
    return config.payloadTransformMode() != PayloadTransformMode.NONE
        && responseStatus >= 200
        && responseStatus < 300
        && responseStatus != 202
        && responseStatus != 204
        && responseHeaders.get("x-amz-function-error") == null;
  }

  @Override
  public Action onResponseBody(int bodySize, boolean endOfStream) {
    if (!invoked || answeredLocally) {
      return Action.CONTINUE;
    }
    if (streamed != null) {
      return streamed.onBody(bodySize, endOfStream);
    }
    if (dropResponseBody || responseHeaders == null) {
      // Passing through (or dropped): each callback sees the next piece of the result.
      stats.invokeResultBytes.increment(bodySize);
      if (dropResponseBody) {
        Host.setBuffer(AbiConstants.BUFFER_RESPONSE_BODY, 0, bodySize, NO_BYTES, 0, 0);
      }
      return Action.CONTINUE;
    }
    if (bodySize > MAX_RESULT_BYTES) {
      stats.invokeResultBytes.increment(bodySize);
      respond(resultTooLarge(), bodySize, true);
      responseHeaders = null;
      dropResponseBody = !endOfStream; // what is still to come is dropped too
      return Action.CONTINUE;
    }
    if (!endOfStream) {
      return Action.PAUSE;
    }
    stats.invokeResultBytes.increment(bodySize); // the whole result, buffered
    int read = readResult(AbiConstants.BUFFER_RESPONSE_BODY, bodySize);
    HttpResponse mapped =
        LambdaResultMapper.isApiError(responseStatus)
            ? map(responseStatus, responseHeaders, java.util.Arrays.copyOf(resultBuffer, read))
            : ResponseUnwrapper.unwrap(config.payloadTransformMode(), resultBuffer, 0, read);
    respond(mapped, bodySize, true);
    responseHeaders = null;
    return Action.CONTINUE;
  }

  /** 502 for a result over Lambda's response limit (it is never read into the module). */
  private static HttpResponse resultTooLarge() {
    return dev.lambdagate.lambda.ErrorResponse.lambdaResponseInvalid(
        "the function result" + " exceeds " + MAX_RESULT_BYTES + " bytes, Lambda's response limit");
  }

  /** Reads a result body into the VM's result buffer, a piece at a time; returns its length. */
  private static int readResult(int bufferType, int bodySize) {
    if (resultBuffer.length < bodySize) {
      resultBuffer = NO_BYTES; // let the old one go before the larger one is allocated
      resultBuffer =
          new byte[dev.lambdagate.lambda.InvokePayload.grownCapacity(bodySize, MAX_RESULT_BYTES)];
    }
    int read = 0;
    while (read < bodySize) {
      int n =
          Host.readBuffer(bufferType, read, resultBuffer, read, Math.min(PIECE, bodySize - read));
      if (n <= 0) {
        break;
      }
      read += n;
    }
    return read;
  }

  /** Maps an Invoke result (status, headers as the host gave them, payload or null). */
  private HttpResponse map(int status, HeaderList headers, byte[] payload) {
    HeaderList lambdaHeaders = new HeaderList(headers.size());
    for (int i = 0; i < headers.size(); i++) {
      if (!headers.name(i).startsWith(":")) {
        lambdaHeaders.add(headers.name(i), headers.value(i));
      }
    }
    return LambdaResultMapper.map(config, status, lambdaHeaders, payload);
  }

  /** Sets the mapped status and headers and replaces the body with the mapped one. */
  private void respond(HttpResponse result, int lambdaBodySize, boolean hasBody) {
    HttpResponse mapped = LocalReplies.withRequestId(result); // errors: generic + request id
    byte[] body = mapped.body() == null ? NO_BYTES : mapped.body();
    applyHeaders(mapped, Integer.toString(body.length));
    if (hasBody || body.length > 0) {
      Host.setBuffer(AbiConstants.BUFFER_RESPONSE_BODY, 0, lambdaBodySize, body, 0, body.length);
    }
  }

  /**
   * Replaces Lambda's response headers with the mapped status and headers, and {@code
   * content-length} (none when null).
   */
  private void applyHeaders(HttpResponse mapped, String contentLength) {
    context.recordResponse(mapped.status());
    int map = AbiConstants.MAP_RESPONSE_HEADERS;
    for (int i = 0; i < responseHeaders.size(); i++) {
      String name = responseHeaders.name(i);
      if (!name.startsWith(":")) {
        Host.removeHeader(map, name);
      }
    }
    Host.replaceHeader(map, ":status", Integer.toString(mapped.status()));
    HeaderList out = mapped.headers();
    for (int i = 0; i < out.size(); i++) {
      Host.addHeader(map, out.name(i), out.value(i));
    }
    if (contentLength != null) {
      Host.replaceHeader(map, "content-length", contentLength);
    }
  }

  private static long parseLength(String value) {
    long n = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9' || n > Integer.MAX_VALUE) {
        return -1;
      }
      n = n * 10 + (c - '0');
    }
    return n;
  }
}
