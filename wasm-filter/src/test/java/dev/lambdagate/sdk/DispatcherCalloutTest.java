package dev.lambdagate.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lambdagate.lambda.HeaderList;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Call-outs on the JVM: a fake {@code proxy_http_call} hands out tokens, and the test plays the
 * host delivering {@code proxy_on_http_call_response} for them. Context id 99 is no root the
 * dispatcher knows, so no effective-context host call is made.
 */
class DispatcherCalloutTest {
  private static final int UNKNOWN_ROOT = 99;

  /** The fake host side of proxy_http_call: records each call, answers with the next token. */
  private static final class FakeStarter implements Dispatcher.CalloutStarter {
    final List<String> upstreams = new ArrayList<>();
    int nextToken = 41;
    boolean refuse;

    @Override
    public int start(String upstream, HeaderList headers, byte[] body, int timeoutMillis) {
      if (refuse) {
        throw new HostCallException("proxy_http_call", 2);
      }
      upstreams.add(upstream);
      return nextToken++;
    }
  }

  /** Records every response it receives as "token headers bodySize trailers". */
  private static final class RecordingHandler implements HttpCallHandler {
    final List<String> responses = new ArrayList<>();

    @Override
    public void onHttpCallResponse(int token, int headers, int bodySize, int trailers) {
      responses.add(token + " " + headers + " " + bodySize + " " + trailers);
    }
  }

  private final FakeStarter host = new FakeStarter();
  private final Dispatcher dispatcher =
      new Dispatcher(
          id -> {
            throw new AssertionError("no root context is created here");
          },
          host);

  @Test
  void aDispatchedCallRegistersItsHandlerAndTheResponseReachesIt() {
    RecordingHandler handler = new RecordingHandler();

    int token = dispatcher.dispatch(handler, "sts", new HeaderList(), new byte[0], 5_000);

    assertThat(host.upstreams).containsExactly("sts");
    assertThat(token).isEqualTo(41);
    assertThat(dispatcher.pendingCallouts()).isEqualTo(1);
    dispatcher.onHttpCallResponse(UNKNOWN_ROOT, token, 3, 120, 0);
    assertThat(handler.responses).containsExactly("41 3 120 0");
    assertThat(dispatcher.pendingCallouts()).isZero();
  }

  @Test
  void eachResponseGoesToTheHandlerOfItsOwnTokenOnce() {
    RecordingHandler first = new RecordingHandler();
    RecordingHandler second = new RecordingHandler();
    int firstToken = dispatcher.dispatch(first, "a", new HeaderList(), new byte[0], 1_000);
    int secondToken = dispatcher.dispatch(second, "b", new HeaderList(), new byte[0], 1_000);

    dispatcher.onHttpCallResponse(UNKNOWN_ROOT, secondToken, 0, 0, 0);
    dispatcher.onHttpCallResponse(UNKNOWN_ROOT, firstToken, 2, 7, 1);
    dispatcher.onHttpCallResponse(UNKNOWN_ROOT, firstToken, 2, 7, 1); // a duplicate: dropped

    assertThat(first.responses).containsExactly(firstToken + " 2 7 1");
    assertThat(second.responses).containsExactly(secondToken + " 0 0 0");
    assertThat(dispatcher.pendingCallouts()).isZero();
  }

  @Test
  void aCallTheHostRefusesRegistersNothing() {
    host.refuse = true;

    assertThatThrownBy(
            () ->
                dispatcher.dispatch(
                    new RecordingHandler(), "nowhere", new HeaderList(), new byte[0], 1_000))
        .isInstanceOf(HostCallException.class);
    assertThat(dispatcher.pendingCallouts()).isZero();
  }

  @Test
  void aStreamThatEndedBeforeItsResponseDoesNotReceiveIt() {
    List<Integer> received = new ArrayList<>();
    HttpContext stream =
        new HttpContext(5) {
          @Override
          public void onHttpCallResponse(int token, int headers, int bodySize, int trailers) {
            received.add(token);
          }
        };
    // Never created through onContextCreate (or already deleted): not a live stream.
    int token = dispatcher.dispatch(stream, "lambda", new HeaderList(), new byte[0], 1_000);

    dispatcher.onHttpCallResponse(UNKNOWN_ROOT, token, 4, 0, 0);

    assertThat(received).isEmpty();
    assertThat(dispatcher.pendingCallouts()).isZero();
  }
}
