package dev.lambdagate.filter;

import dev.lambdagate.credentials.StsHttpRequest;
import dev.lambdagate.credentials.StsTransport;
import dev.lambdagate.lambda.HeaderList;
import dev.lambdagate.sdk.AbiConstants;
import dev.lambdagate.sdk.Dispatcher;
import dev.lambdagate.sdk.Host;
import dev.lambdagate.sdk.HttpCallHandler;
import dev.lambdagate.sdk.IntObjectMap;
import dev.lambdagate.sdk.Metric;
import dev.lambdagate.sigv4.Header;
import java.util.List;

/**
 * Credential calls (STS, or the EKS Pod Identity agent) as proxy-wasm HTTP call-outs ({@code
 * proxy_http_call}) to the configured cluster, with a timeout: Envoy answers a call that times out
 * (or cannot connect) with no headers, which is reported as a failure, so no caller waits forever.
 * One per VM and kind of call ({@link #INSTANCE} for STS, {@link #POD_IDENTITY_AGENT}), each
 * counting its calls in its own metrics.
 */
final class HostStsTransport implements StsTransport, HttpCallHandler {
  /** How long one STS call may take before it counts as failed. */
  static final int TIMEOUT_MILLIS = 5_000;

  static final HostStsTransport INSTANCE =
      new HostStsTransport("STS", "STS ", FilterStats.STS_CALL, FilterStats.STS_CALL_FAILED);

  static final HostStsTransport POD_IDENTITY_AGENT =
      new HostStsTransport(
          "the EKS Pod Identity agent",
          "",
          FilterStats.POD_IDENTITY_CALL,
          FilterStats.POD_IDENTITY_CALL_FAILED);

  /** What failure messages call the other end. */
  private final String target;

  /** What log lines put before the request's action. */
  private final String logPrefix;

  private final Metric calls;
  private final Metric failedCalls;

  private final IntObjectMap<Pending> pending = new IntObjectMap<>();

  private static final class Pending {
    final String cluster;
    final String action;
    final Callback callback;

    Pending(String cluster, String action, Callback callback) {
      this.cluster = cluster;
      this.action = action;
      this.callback = callback;
    }
  }

  private HostStsTransport(String target, String logPrefix, Metric calls, Metric failedCalls) {
    this.target = target;
    this.logPrefix = logPrefix;
    this.calls = calls;
    this.failedCalls = failedCalls;
  }

  @Override
  public void send(String cluster, StsHttpRequest request, Callback callback) {
    List<Header> headers = request.headers();
    HeaderList wire = new HeaderList(headers.size());
    for (int i = 0; i < headers.size(); i++) {
      wire.add(headers.get(i).name(), headers.get(i).value());
    }
    int token;
    calls.increment();
    try {
      token = Dispatcher.httpCall(this, cluster, wire, request.body(), TIMEOUT_MILLIS);
    } catch (RuntimeException e) {
      // Envoy refuses at once a cluster it does not know (BadArgument).
      failedCalls.increment();
      callback.onFailure(
          "cannot call " + target + " through cluster '" + cluster + "': " + e.getMessage());
      return;
    }
    FilterLog.info(logPrefix + request.action() + " started through cluster '" + cluster + "'");
    pending.put(token, new Pending(cluster, request.action(), callback));
  }

  @Override
  public void onHttpCallResponse(int token, int headers, int bodySize, int trailers) {
    Pending call = pending.remove(token);
    if (call == null) {
      return;
    }
    if (headers == 0) {
      failedCalls.increment();
      call.callback.onFailure(
          "no response from cluster '"
              + call.cluster
              + "' (connection failure or timeout after "
              + TIMEOUT_MILLIS
              + " ms)");
      return;
    }
    String status = Host.header(AbiConstants.MAP_HTTP_CALL_RESPONSE_HEADERS, ":status");
    int httpStatus = parseStatus(status);
    if (httpStatus < 200 || httpStatus > 299) {
      failedCalls.increment();
    }
    byte[] body =
        bodySize > 0
            ? Host.buffer(AbiConstants.BUFFER_HTTP_CALL_RESPONSE_BODY, 0, bodySize)
            : new byte[0];
    FilterLog.info(logPrefix + call.action + " answered " + httpStatus);
    call.callback.onResponse(httpStatus, body);
  }

  private static int parseStatus(String status) {
    if (status == null || status.isEmpty() || status.length() > 3) {
      return 0;
    }
    int n = 0;
    for (int i = 0; i < status.length(); i++) {
      char c = status.charAt(i);
      if (c < '0' || c > '9') {
        return 0;
      }
      n = n * 10 + (c - '0');
    }
    return n;
  }
}
