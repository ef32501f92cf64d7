package dev.lambdagate.credentials;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A transport whose calls a test answers by hand. */
final class FakeSts implements StsTransport {
  static final class Call {
    final String cluster;
    final StsHttpRequest request;
    final Callback callback;

    Call(String cluster, StsHttpRequest request, Callback callback) {
      this.cluster = cluster;
      this.request = request;
      this.callback = callback;
    }

    String body() {
      return new String(request.body(), StandardCharsets.UTF_8);
    }

    void succeed(String action, String accessKeyId, long expirationMillis) {
      callback.onResponse(
          200, success(action, accessKeyId, expirationMillis).getBytes(StandardCharsets.UTF_8));
    }

    void fail(int status, String code, String message) {
      callback.onResponse(
          status,
          ("<ErrorResponse><Error><Type>Sender</Type><Code>"
                  + code
                  + "</Code><Message>"
                  + message
                  + "</Message></Error></ErrorResponse>")
              .getBytes(StandardCharsets.UTF_8));
    }
  }

  final List<Call> calls = new ArrayList<>();
  final List<Call> open = new ArrayList<>();
  String refuseWith;

  @Override
  public void send(String cluster, StsHttpRequest request, Callback callback) {
    if (refuseWith != null) {
      callback.onFailure(refuseWith);
      return;
    }
    Call call = new Call(cluster, request, callback);
    calls.add(call);
    open.add(call);
  }

  Call next() {
    return open.remove(0);
  }

  static String success(String action, String accessKeyId, long expirationMillis) {
    return "<"
        + action
        + "Response><"
        + action
        + "Result><Credentials><AccessKeyId>"
        + accessKeyId
        + "</AccessKeyId><SecretAccessKey>secret-"
        + accessKeyId
        + "</SecretAccessKey><SessionToken>token-"
        + accessKeyId
        + "</SessionToken><Expiration>"
        + Instant.ofEpochMilli(expirationMillis)
        + "</Expiration></Credentials></"
        + action
        + "Result></"
        + action
        + "Response>";
  }
}
