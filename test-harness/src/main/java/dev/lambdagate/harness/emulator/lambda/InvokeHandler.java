package dev.lambdagate.harness.emulator.lambda;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.lambdagate.harness.emulator.http.FormEncoding;
import dev.lambdagate.harness.emulator.http.HttpReply;
import dev.lambdagate.harness.emulator.json.InvalidJsonPayloadException;
import dev.lambdagate.harness.emulator.json.JavaScriptJson;
import dev.lambdagate.harness.emulator.sigv4.ReceivedRequest;
import dev.lambdagate.harness.emulator.sigv4.SigV4Verifier;
import dev.lambdagate.harness.emulator.sigv4.SignatureVerification;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code POST /2015-03-31/functions/{FunctionName}/invocations[?Qualifier=]} like Lambda:
 * signature check, size limits, name and qualifier resolution, throttling, invocation type, JSON
 * check of the payload, then the function. Every request, accepted or not, is recorded in the
 * {@link InvocationLog}.
 *
 * <p>Thread-safe: it keeps no per-request state in fields; the collaborators are thread-safe.
 */
public final class InvokeHandler implements HttpHandler {

  /** Largest synchronous (RequestResponse, DryRun) payload. */
  public static final int SYNC_PAYLOAD_LIMIT = 6_291_456;

  /** Largest asynchronous (Event) payload. */
  public static final int ASYNC_PAYLOAD_LIMIT = 1_048_576;

  /** Largest function result Lambda returns; above it the invocation becomes a function error. */
  public static final int RESPONSE_PAYLOAD_LIMIT = 6_291_556;

  /** Bodies beyond this are answered 413 without being read to the end or verified. */
  private static final int READ_LIMIT = 4 * SYNC_PAYLOAD_LIMIT;

  private static final Pattern INVOKE_PATH =
      Pattern.compile("/2015-03-31/functions/([^/]+)/invocations");

  /** {@code InvokeWithResponseStream}. */
  private static final Pattern STREAM_PATH =
      Pattern.compile("/2021-11-15/functions/([^/]+)/response-streaming-invocations");

  /** Piece size when a buffered (non-streaming) function's result is sent as a stream. */
  static final int STREAM_CHUNK_BYTES = 32 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(InvokeHandler.class);

  private final String region;
  private final String accountId;
  private final SigV4Verifier verifier;
  private final FunctionRegistry functions;
  private final InvocationLog log;
  private final ThrottleSwitch throttle;
  private final Clock clock;
  private final ExecutorService asyncInvocations;
  private volatile Duration streamChunkDelay = Duration.ZERO;

  /**
   * @param region the emulator's region (ARNs must name it)
   * @param accountId the emulator's account (ARNs must name it)
   * @param verifier checks signatures (service {@code lambda})
   * @param functions the functions to run
   * @param log where every request is recorded
   * @param throttle the 429 switch
   * @param clock stamps records
   * @param asyncInvocations runs {@code Event} invocations after the 202 is sent
   */
  public InvokeHandler(
      String region,
      String accountId,
      SigV4Verifier verifier,
      FunctionRegistry functions,
      InvocationLog log,
      ThrottleSwitch throttle,
      Clock clock,
      ExecutorService asyncInvocations) {
    this.region = region;
    this.accountId = accountId;
    this.verifier = verifier;
    this.functions = functions;
    this.log = log;
    this.throttle = throttle;
    this.clock = clock;
    this.asyncInvocations = asyncInvocations;
  }

  /**
   * The pause before each streamed chunk after the first ({@code InvokeWithResponseStream}); zero
   * (the default) sends them back to back. A slow stream shows whether a caller passes each piece
   * on as it arrives.
   */
  public void streamChunkDelay(Duration delay) {
    this.streamChunkDelay = delay;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    Attempt attempt = new Attempt(clock.instant(), UUID.randomUUID().toString());
    HttpReply reply;
    try (InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readNBytes(READ_LIMIT + 1);
      attempt.request = ReceivedRequest.from(exchange, body);
      reply =
          body.length > READ_LIMIT
              ? LambdaErrors.requestTooLarge(SYNC_PAYLOAD_LIMIT, attempt.requestId)
              : process(attempt);
    } catch (RuntimeException e) {
      LOG.error("Lambda emulator failed on request {}", attempt.requestId, e);
      reply =
          HttpReply.of(
              500,
              Map.of(
                  "Content-Type",
                  "application/json",
                  "x-amzn-ErrorType",
                  "ServiceException",
                  "x-amzn-RequestId",
                  attempt.requestId),
              "{\"Type\":\"Service\",\"message\":\"Emulator error\"}");
    }
    InvocationRecord record = attempt.toRecord(reply);
    log.add(record);
    if (record.status() >= 400) {
      LOG.warn(
          "{} -> {} {} ({})",
          describe(record),
          record.status(),
          record.errorType(),
          record.verification().detail());
    } else {
      LOG.info("{} -> {}", describe(record), record.status());
    }
    if (attempt.stream != null && reply.status() == 200) {
      stream(exchange, attempt.stream, reply);
    } else {
      reply.writeTo(exchange);
    }
  }

  /** An accepted {@code InvokeWithResponseStream}: runs the function, streaming what it writes. */
  private void stream(HttpExchange exchange, PendingStream pending, HttpReply head)
      throws IOException {
    Map<String, String> headers = new LinkedHashMap<>();
    head.headers().forEach((name, values) -> headers.put(name, values.get(0)));
    EventStreamReply out = new EventStreamReply(exchange, headers, streamChunkDelay);
    try {
      if (pending.function.handler() instanceof StreamingLambdaFunction streaming) {
        streaming.stream(pending.event, pending.context, out);
        out.complete(null, null);
        return;
      }
      FunctionResult result = run(pending.function, pending.event, pending.context);
      String functionError = result.headers().get(FunctionResult.FUNCTION_ERROR_HEADER);
      if (functionError != null) {
        out.complete(functionError, result.payloadText());
        return;
      }
      byte[] payload = result.payload();
      for (int at = 0; at < payload.length; at += STREAM_CHUNK_BYTES) {
        out.write(
            java.util.Arrays.copyOfRange(
                payload, at, Math.min(payload.length, at + STREAM_CHUNK_BYTES)));
      }
      out.complete(null, null);
    } catch (IOException e) {
      LOG.info("stream {} ended: {}", pending.context.requestId(), e.toString());
      exchange.close();
    } catch (Exception e) {
      // A streaming handler that throws: Unhandled, as the runtime reports it at the stream's end.
      out.complete("Unhandled", e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  private HttpReply process(Attempt attempt) {
    String requestId = attempt.requestId;
    ReceivedRequest request = attempt.request;
    attempt.verification = verifier.verify(request);
    if (!attempt.verification.isValid()) {
      return LambdaErrors.forVerification(attempt.verification, requestId);
    }
    Matcher route = INVOKE_PATH.matcher(request.rawPath());
    boolean streaming = false;
    if (!route.matches()) {
      route = STREAM_PATH.matcher(request.rawPath());
      streaming = route.matches();
    }
    if (!"POST".equals(request.method()) || !route.matches()) {
      return LambdaErrors.unknownOperation(request.method(), request.rawPath(), requestId);
    }
    String typeHeader = request.header("X-Amz-Invocation-Type");
    InvocationType type = InvocationType.fromHeader(typeHeader).orElse(null);
    if (streaming && type == InvocationType.EVENT) {
      return LambdaErrors.validation(
          "1 validation error detected: Value 'Event' at 'invocationType' failed to satisfy "
              + "constraint: Member must satisfy enum value set: [RequestResponse, DryRun]",
          requestId);
    }
    if (type == null) {
      return LambdaErrors.validation(
          "1 validation error detected: Value '"
              + typeHeader
              + "' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: "
              + "[Event, RequestResponse, DryRun]",
          requestId);
    }
    attempt.invocationType = type;
    int limit = type == InvocationType.EVENT ? ASYNC_PAYLOAD_LIMIT : SYNC_PAYLOAD_LIMIT;
    if (request.body().length > limit) {
      return LambdaErrors.requestTooLarge(limit, requestId);
    }

    FunctionReference reference;
    try {
      reference = FunctionReference.parse(FormEncoding.percentDecode(route.group(1), false));
    } catch (IllegalArgumentException e) {
      return LambdaErrors.validation(e.getMessage(), requestId);
    }
    attempt.functionName = reference.name();
    List<String> qualifierParameter = FormEncoding.decodeQuery(request.rawQuery()).get("Qualifier");
    if (qualifierParameter != null) {
      String q = qualifierParameter.get(0);
      if (!FunctionReference.QUALIFIER_PARAMETER.matcher(q).matches()) {
        return LambdaErrors.validation(
            "1 validation error detected: Value '"
                + q
                + "' at 'qualifier' failed to "
                + "satisfy constraint: Member must satisfy regular expression pattern: "
                + "(|[a-zA-Z0-9$_-]+)",
            requestId);
      }
      if (reference.qualifier() != null && !reference.qualifier().equals(q)) {
        return LambdaErrors.invalidParameterValue(
            "The derived qualifier from the function name does not match the specified qualifier.",
            requestId);
      }
      reference = reference.withQualifier(q);
    }
    attempt.qualifier = reference.qualifier();
    String notFoundArn = reference.arn(region, accountId);
    if ((reference.region() != null && !reference.region().equals(region))
        || (reference.accountId() != null && !reference.accountId().equals(accountId))) {
      return LambdaErrors.resourceNotFound(notFoundArn, requestId);
    }
    FunctionDefinition function = functions.find(reference.name()).orElse(null);
    String version = function == null ? null : function.resolve(reference.qualifier()).orElse(null);
    if (version == null) {
      return LambdaErrors.resourceNotFound(notFoundArn, requestId);
    }
    attempt.executedVersion = version;
    if (throttle.throttleThisInvocation()) {
      return LambdaErrors.tooManyRequests(requestId);
    }
    if (type == InvocationType.DRY_RUN) {
      return HttpReply.of(204, Map.of("x-amzn-RequestId", requestId), new byte[0]);
    }

    byte[] event =
        request.body().length == 0 ? "{}".getBytes(StandardCharsets.UTF_8) : request.body();
    try {
      JavaScriptJson.parse(event);
    } catch (InvalidJsonPayloadException e) {
      return LambdaErrors.invalidRequestContent(e.getMessage(), requestId);
    }
    InvocationContext context = new InvocationContext(function.name(), version, requestId, type);
    if (streaming) {
      attempt.stream = new PendingStream(function, event, context);
      return HttpReply.of(
          200,
          Map.of("X-Amz-Executed-Version", version, "x-amzn-RequestId", requestId),
          new byte[0]);
    }
    if (type == InvocationType.EVENT) {
      return startAsync(function, event, context);
    }
    return invokeSync(function, event, context, "Tail".equals(request.header("X-Amz-Log-Type")));
  }

  private HttpReply startAsync(
      FunctionDefinition function, byte[] event, InvocationContext context) {
    try {
      asyncInvocations.execute(
          () -> {
            FunctionResult result = run(function, event, context);
            LOG.info(
                "Event invocation {} of {} finished with status {}",
                context.requestId(),
                function.name(),
                result.status());
          });
    } catch (RejectedExecutionException e) {
      LOG.info("Event invocation {} dropped: emulator is stopping", context.requestId());
    }
    return HttpReply.of(202, Map.of("x-amzn-RequestId", context.requestId()), new byte[0]);
  }

  private HttpReply invokeSync(
      FunctionDefinition function, byte[] event, InvocationContext context, boolean tail) {
    long started = System.nanoTime();
    FunctionResult result = run(function, event, context);
    if (result.payload().length > RESPONSE_PAYLOAD_LIMIT) {
      result =
          FunctionResult.unhandledError(
              "Function.ResponseSizeTooLarge",
              "Response payload size exceeded maximum allowed payload size ("
                  + RESPONSE_PAYLOAD_LIMIT
                  + " bytes).",
              List.of());
    }
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/json");
    headers.put("X-Amz-Executed-Version", context.executedVersion());
    headers.put("x-amzn-RequestId", context.requestId());
    headers.putAll(result.headers());
    if (tail) {
      headers.put(
          "X-Amz-Log-Result", tailLog(context, (System.nanoTime() - started) / 1_000_000.0));
    }
    return HttpReply.of(result.status(), headers, result.payload());
  }

  /** Runs the handler; an exception becomes an Unhandled function error, as in a real runtime. */
  private static FunctionResult run(
      FunctionDefinition function, byte[] event, InvocationContext context) {
    try {
      FunctionResult result = function.handler().invoke(event, context);
      if (result == null) {
        return FunctionResult.ok("null"); // a handler returning undefined yields JSON null
      }
      return result;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return FunctionResult.unhandledError("Error", "invocation interrupted", List.of());
    } catch (Exception e) {
      return FunctionResult.unhandledError(
          e.getClass().getSimpleName(),
          String.valueOf(e.getMessage()),
          List.of(e.getClass().getName() + ": " + e.getMessage()));
    }
  }

  /** A base64 log tail shaped like Lambda's START/END/REPORT lines. */
  private static String tailLog(InvocationContext context, double millis) {
    String id = context.requestId();
    String text =
        "START RequestId: "
            + id
            + " Version: "
            + context.executedVersion()
            + "\n"
            + "END RequestId: "
            + id
            + "\n"
            + String.format(
                Locale.ROOT,
                "REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: 128 MB\t"
                    + "Max Memory Used: 64 MB\t\n",
                id,
                millis,
                (long) Math.ceil(millis));
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String describe(InvocationRecord record) {
    if (record.functionName() == null) {
      return record.method() + " " + record.rawPath();
    }
    return "Invoke "
        + record.functionName()
        + (record.qualifier() != null ? ":" + record.qualifier() : "")
        + " "
        + (record.invocationType() != null ? record.invocationType().headerValue() : "");
  }

  /** An accepted {@code InvokeWithResponseStream}, run after the checks. */
  private record PendingStream(
      FunctionDefinition function, byte[] event, InvocationContext context) {}

  /** What one request has been found to be so far; becomes an {@link InvocationRecord}. */
  private static final class Attempt {
    final Instant receivedAt;
    final String requestId;
    ReceivedRequest request;
    SignatureVerification verification;
    String functionName;
    String qualifier;
    String executedVersion;
    InvocationType invocationType;
    PendingStream stream;

    Attempt(Instant receivedAt, String requestId) {
      this.receivedAt = receivedAt;
      this.requestId = requestId;
    }

    InvocationRecord toRecord(HttpReply reply) {
      ReceivedRequest r =
          request != null ? request : new ReceivedRequest("?", "?", null, Map.of(), new byte[0]);
      SignatureVerification v =
          verification != null
              ? verification
              : new SignatureVerification(
                  SignatureVerification.Outcome.UNVERIFIABLE,
                  "body over " + READ_LIMIT + " bytes was not read",
                  null);
      return new InvocationRecord(
          receivedAt,
          requestId,
          r.method(),
          r.rawPath(),
          r.rawQuery(),
          functionName,
          qualifier,
          executedVersion,
          invocationType,
          r.headers(),
          r.body(),
          v,
          reply.status(),
          reply.header("x-amzn-ErrorType"),
          reply.header(FunctionResult.FUNCTION_ERROR_HEADER));
    }
  }
}
