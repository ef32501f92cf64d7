package dev.lambdagate.filter;

import dev.lambdagate.config.LambdaConfig;
import dev.lambdagate.config.PayloadTransformMode;
import dev.lambdagate.config.RouteFilters;
import dev.lambdagate.lambda.EventContext;
import dev.lambdagate.lambda.HttpRequest;
import dev.lambdagate.lambda.HttpResponse;
import dev.lambdagate.lambda.InvokePayload;
import dev.lambdagate.lambda.LambdaResultMapper;
import dev.lambdagate.lambda.PayloadLimit;
import dev.lambdagate.lambda.RequestRewriter;
import dev.lambdagate.lambda.RequestSanitizer;
import dev.lambdagate.sdk.AbiConstants;
import dev.lambdagate.sdk.Dispatcher;
import dev.lambdagate.sdk.HttpContext;
import dev.lambdagate.sdk.HeaderList;
import dev.lambdagate.sdk.Host;
import dev.lambdagate.sigv4.Credentials;
import dev.lambdagate.sigv4.PayloadHash;
import java.nio.charset.StandardCharsets;

/**
 * Lambda mode for one request: the HTTP request becomes a signed {@code Invoke} call, and the
 * Invoke result becomes the HTTP response.
 *
 * <p>Request: the body is buffered (its hash is signed and its size checked against Lambda's
 * limit before anything is sent), turned into the event of the backend's transform mode, and
 * the request is rewritten to {@code POST /2015-03-31/functions/{fn}/invocations} at the
 * endpoint. The client's {@code authorization}, every {@code x-amz-*} and hop-by-hop header are
 * removed first, so a client cannot choose the invocation type, client context or credentials.
 * Only {@code host}, {@code content-type} and the {@code x-amz-*} headers the filter sets are
 * signed: headers a proxy may still rewrite after the filter (content-length, forwarding
 * headers) must not break the signature.
 *
 * <p>Response: buffered whole, then mapped (function error, API error, Async/DryRun, unwrap).
 *
 * <p>A request without a body in a transform mode still needs an event as the Invoke body, but
 * Envoy lets a filter set the request body only while the body is passing through it. Such a
 * request is therefore invoked by an HTTP call-out to the route's cluster
 * ({@code xds.cluster_name}) and answered with a local reply built from the mapped result.
 */
final class LambdaStream implements StreamHandler {
  /** Envoy's default route timeout; a call-out has no route, so it gets the same bound. */
  static final int CALLOUT_TIMEOUT_MILLIS = 15_000;

  private final PreparedBackend backend;
  /** The route's URLRewrite and RequestHeaderModifier for the event, or null. */
  private final RouteFilters routeFilters;
  private final LambdaConfig config;
  private final HttpContext context;
  private HeaderList requestHeaders;
  private int responseStatus;
  private HeaderList responseHeaders;
  private boolean invoked;
  /** The filter answered the request itself: a response passing back is that reply. */
  private boolean answeredLocally;

  LambdaStream(PreparedBackend backend, RouteFilters routeFilters, HttpContext context) {
    this.backend = backend;
    this.routeFilters = routeFilters;
    this.context = context;
    this.config = backend.lambdaConfig();
  }

  @Override
  public int onRequestHeaders(int headerCount, boolean endOfStream) {
    requestHeaders = Host.headers(AbiConstants.MAP_REQUEST_HEADERS);
    String contentLength = requestHeaders.get("content-length");
    if (contentLength != null && tooLarge(parseLength(contentLength))) {
      return AbiConstants.ACTION_PAUSE;
    }
    if (endOfStream) {
      return invoke(new byte[0], false);
    }
    return AbiConstants.ACTION_PAUSE; // the whole body is needed: it is hashed and signed
  }

  @Override
  public int onRequestBody(int bodySize, boolean endOfStream) {
    if (invoked) {
      return AbiConstants.ACTION_CONTINUE;
    }
    // Checked on every chunk so an oversized upload is refused before it is all buffered.
    if (tooLarge(bodySize)) {
      return AbiConstants.ACTION_PAUSE;
    }
    if (!endOfStream) {
      return AbiConstants.ACTION_PAUSE;
    }
    return invoke(Host.buffer(AbiConstants.BUFFER_REQUEST_BODY, 0, bodySize), true);
  }

  private boolean tooLarge(long bytes) {
    HttpResponse refusal = PayloadLimit.check(bytes, config.invocationMode());
    if (refusal == null) {
      return false;
    }
    invoked = true; // nothing more to do for this request
    answeredLocally = true;
    LocalReplies.send(refusal);
    return true;
  }

  private int invoke(byte[] body, boolean hadBody) {
    Credentials credentials = CredentialsGate.acquire(backend, () -> invoke(body, hadBody));
    if (credentials == null) {
      return AbiConstants.ACTION_PAUSE; // answered 503, or resumed once STS has answered
    }
    byte[] payload = buildPayload(body);
    if (payload.length != body.length && tooLarge(payload.length)) {
      return AbiConstants.ACTION_PAUSE;
    }
    HeaderList signed = invokeHeaders();
    if (!hadBody && payload.length > 0) {
      return invokeByCallout(signed, payload, credentials);
    }
    rewriteRequest(payload, hadBody, body.length);
    RequestSigner.sign(backend.signer(), signed, PayloadHash.sha256Hex(payload), credentials);
    invoked = true;
    return AbiConstants.ACTION_CONTINUE;
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

  private int invokeByCallout(HeaderList call, byte[] payload, Credentials credentials) {
    invoked = true;
    answeredLocally = true; // by a local reply: now, or when the call-out answers
    byte[] cluster = Host.property("xds", "cluster_name");
    if (cluster == null || cluster.length == 0) {
      LocalReplies.send(500, "no_upstream_cluster", "a request without a body in "
          + config.payloadTransformMode().name() + " mode is invoked by an HTTP call-out,"
          + " which needs the route's cluster (xds.cluster_name); none is set");
      return AbiConstants.ACTION_PAUSE;
    }
    java.util.List<dev.lambdagate.sigv4.Header> signature = RequestSigner.signatureHeaders(
        backend.signer(), call, PayloadHash.sha256Hex(payload), credentials);
    for (int i = 0; i < signature.size(); i++) {
      call.add(signature.get(i).name(), signature.get(i).value());
    }
    call.add("content-length", Integer.toString(payload.length));
    Dispatcher.httpCall(context, new String(cluster, StandardCharsets.UTF_8), call, payload,
        CALLOUT_TIMEOUT_MILLIS);
    return AbiConstants.ACTION_PAUSE;
  }

  @Override
  public void onHttpCallResponse(int token, int headerCount, int bodySize, int trailers) {
    HeaderList headers = headerCount == 0 ? null
        : Host.headers(AbiConstants.MAP_HTTP_CALL_RESPONSE_HEADERS);
    String status = headers == null ? null : headers.get(":status");
    if (status == null) {
      LocalReplies.send(503, "lambda_unreachable", "the Invoke call-out to "
          + config.endpoint().authority() + " failed (connection failure or timeout after "
          + CALLOUT_TIMEOUT_MILLIS + " ms)");
      return;
    }
    byte[] body = bodySize == 0 ? new byte[0]
        : Host.buffer(AbiConstants.BUFFER_HTTP_CALL_RESPONSE_BODY, 0, bodySize);
    HttpResponse mapped = LocalReplies.withRequestId(map((int) parseLength(status), headers,
        body));
    dev.lambdagate.lambda.HeaderList out = mapped.headers();
    HeaderList replyHeaders = new HeaderList(out.size());
    for (int i = 0; i < out.size(); i++) {
      replyHeaders.add(out.name(i), out.value(i));
    }
    Host.sendLocalResponse(mapped.status(), "lambdagate_invoked_by_callout", mapped.body(),
        replyHeaders);
  }

  private byte[] buildPayload(byte[] body) {
    if (config.payloadTransformMode() == PayloadTransformMode.NONE) {
      return body; // the seeds' behaviour: the body is the event
    }
    dev.lambdagate.lambda.HeaderList headers = new dev.lambdagate.lambda.HeaderList(
        requestHeaders.size());
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
    HttpRequest request = new HttpRequest(method, RequestRewriter.path(routeFilters, path),
        RequestRewriter.headers(routeFilters, headers), body, sourceIp());
    long nowMillis = Host.currentTimeNanos() / 1_000_000L;
    return InvokePayload.build(config.payloadTransformMode(), request,
        new EventContext(nowMillis, requestHeaders.get("x-request-id")));
  }

  private void rewriteRequest(byte[] payload, boolean hadBody, int oldBodySize) {
    int map = AbiConstants.MAP_REQUEST_HEADERS;
    String connection = requestHeaders.get("connection");
    for (int i = 0; i < requestHeaders.size(); i++) {
      String name = requestHeaders.name(i);
      if (!name.startsWith(":") && (RequestSanitizer.isRemoved(name, connection)
          || name.equalsIgnoreCase("content-type"))) {
        Host.removeHeader(map, name);
      }
    }
    Host.replaceHeader(map, ":method", "POST");
    Host.replaceHeader(map, ":path", config.invokePath());
    Host.replaceHeader(map, ":authority", config.endpoint().authority());
    Host.replaceHeader(map, "x-amz-invocation-type", config.invocationType());
    Host.replaceHeader(map, "content-type", "application/json");
    Host.replaceHeader(map, "content-length", Integer.toString(payload.length));
    if (hadBody || payload.length > 0) {
      Host.setBuffer(AbiConstants.BUFFER_REQUEST_BODY, 0, oldBodySize, payload);
    }
  }

  private static String sourceIp() {
    byte[] address = Host.property("source", "address");
    if (address == null) {
      return null;
    }
    String text = new String(address, StandardCharsets.UTF_8);
    int colon = text.lastIndexOf(':');
    // "1.2.3.4:5678" or "[::1]:5678": drop the port, keep the address.
    if (colon > 0 && text.indexOf(']') < colon && (text.indexOf(':') == colon
        || text.startsWith("["))) {
      text = text.substring(0, colon);
    }
    if (text.startsWith("[") && text.endsWith("]")) {
      text = text.substring(1, text.length() - 1);
    }
    return text;
  }

  @Override
  public int onResponseHeaders(int headerCount, boolean endOfStream) {
    if (!invoked || answeredLocally) {
      return AbiConstants.ACTION_CONTINUE;
    }
    responseHeaders = Host.headers(AbiConstants.MAP_RESPONSE_HEADERS);
    String status = responseHeaders.get(":status");
    responseStatus = status == null ? 502 : (int) parseLength(status);
    if (endOfStream) {
      respond(new byte[0], 0, false);
      return AbiConstants.ACTION_CONTINUE;
    }
    return AbiConstants.ACTION_PAUSE; // map once the whole result is here
  }

  @Override
  public int onResponseBody(int bodySize, boolean endOfStream) {
    if (!invoked || answeredLocally || responseHeaders == null) {
      return AbiConstants.ACTION_CONTINUE;
    }
    if (!endOfStream) {
      return AbiConstants.ACTION_PAUSE;
    }
    byte[] body = Host.buffer(AbiConstants.BUFFER_RESPONSE_BODY, 0, bodySize);
    respond(body, bodySize, true);
    responseHeaders = null;
    return AbiConstants.ACTION_CONTINUE;
  }

  /** Maps an Invoke result (status, headers as the host gave them, payload). */
  private HttpResponse map(int status, HeaderList headers, byte[] payload) {
    dev.lambdagate.lambda.HeaderList lambdaHeaders = new dev.lambdagate.lambda.HeaderList(
        headers.size());
    for (int i = 0; i < headers.size(); i++) {
      if (!headers.name(i).startsWith(":")) {
        lambdaHeaders.add(headers.name(i), headers.value(i));
      }
    }
    return LambdaResultMapper.map(config, status, lambdaHeaders, payload);
  }

  private void respond(byte[] lambdaBody, int lambdaBodySize, boolean hasBody) {
    HttpResponse mapped = LocalReplies.withRequestId(map(responseStatus, responseHeaders,
        lambdaBody));
    int map = AbiConstants.MAP_RESPONSE_HEADERS;
    for (int i = 0; i < responseHeaders.size(); i++) {
      String name = responseHeaders.name(i);
      if (!name.startsWith(":")) {
        Host.removeHeader(map, name);
      }
    }
    Host.replaceHeader(map, ":status", Integer.toString(mapped.status()));
    dev.lambdagate.lambda.HeaderList out = mapped.headers();
    for (int i = 0; i < out.size(); i++) {
      Host.addHeader(map, out.name(i), out.value(i));
    }
    byte[] body = mapped.body();
    Host.replaceHeader(map, "content-length", Integer.toString(body.length));
    if (hasBody || body.length > 0) {
      Host.setBuffer(AbiConstants.BUFFER_RESPONSE_BODY, 0, lambdaBodySize, body);
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
