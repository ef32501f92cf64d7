package dev.lambdagate.lambda;

import static dev.lambdagate.lambda.SampleRequests.CONTEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lambdagate.config.PayloadTransformMode;
import dev.lambdagate.json.JsonObject;
import dev.lambdagate.json.JsonParser;
import dev.lambdagate.json.JsonString;
import dev.lambdagate.json.JsonWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Events of bodies larger than a piece: read piece by piece, characters never cut. */
class LargeBodyEventTest {

  /** A body that counts how much of it is read at a time. */
  private static final class CountingBody implements RequestBody {
    final byte[] bytes;
    final AtomicInteger largestRead = new AtomicInteger();

    CountingBody(byte[] bytes) {
      this.bytes = bytes;
    }

    @Override
    public int length() {
      return bytes.length;
    }

    @Override
    public void read(int start, byte[] dst, int offset, int length) {
      largestRead.accumulateAndGet(length, Math::max);
      System.arraycopy(bytes, start, dst, offset, length);
    }
  }

  @Test
  void multiByteCharactersAcrossPieceBoundariesStayWhole() throws Exception {
    // 1, 2, 3 and 4-byte characters in turn: every piece boundary falls inside some of them.
    String unit = "a\u00e9\u20ac\uD83D\uDE00";
    String text = unit.repeat(3 * BodyEncoding.PIECE / 10 + 7);
    CountingBody body = new CountingBody(text.getBytes(StandardCharsets.UTF_8));
    HttpRequest request =
        new HttpRequest("POST", "/", HeaderList.of("content-type", "text/plain"), body, null, null);

    JsonWriter event =
        InvokePayload.write(
            PayloadTransformMode.API_GATEWAY_V2,
            request,
            CONTEXT,
            new byte[0],
            Integer.MAX_VALUE - 64);

    JsonObject parsed = (JsonObject) JsonParser.parse(event.buffer(), 0, event.length());
    assertThat(parsed.get("isBase64Encoded").toString()).isEqualTo("false");
    assertThat(((JsonString) parsed.get("body")).value()).isEqualTo(text);
    assertThat(body.largestRead.get()).isLessThanOrEqualTo(BodyEncoding.PIECE);
  }

  @Test
  void invalidUtf8AfterTheFirstPieceMakesTheBodyBase64() throws Exception {
    byte[] bytes = "x".repeat(BodyEncoding.PIECE * 2).getBytes(StandardCharsets.UTF_8);
    bytes[BodyEncoding.PIECE + 10] = (byte) 0xFF;
    HttpRequest request =
        new HttpRequest(
            "POST", "/", HeaderList.of("content-type", "application/json"), bytes, null);
    JsonObject parsed =
        (JsonObject)
            JsonParser.parse(InvokePayload.build(PayloadTransformMode.ENVOY, request, CONTEXT));
    assertThat(parsed.get("is_base64_encoded").toString()).isEqualTo("true");
  }

  @Test
  void anEventPastThePayloadLimitStopsThereInsteadOfGrowing() {
    byte[] bytes = new byte[10_000];
    HttpRequest request =
        new HttpRequest("POST", "/", HeaderList.of("content-type", "application/zip"), bytes, null);
    assertThatThrownBy(
            () ->
                InvokePayload.write(
                    PayloadTransformMode.API_GATEWAY_V1, request, CONTEXT, new byte[0], 8_000))
        .isInstanceOf(JsonWriter.SizeLimitExceeded.class);
    assertThat(PayloadLimit.eventTooLarge(dev.lambdagate.config.InvocationMode.SYNC).status())
        .isEqualTo(413);
  }

  @Test
  void theReusedBufferGrowsInPowersOfTwoUpToTheLimit() {
    assertThat(InvokePayload.grownCapacity(1_000_001, 6 * 1024 * 1024)).isEqualTo(1 << 20);
    assertThat(InvokePayload.grownCapacity(5_000_000, 6 * 1024 * 1024)).isEqualTo(6 * 1024 * 1024);
    assertThat(InvokePayload.grownCapacity(1 << 20, 6 * 1024 * 1024)).isEqualTo(1 << 20);
  }
}
