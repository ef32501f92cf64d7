package dev.lambdagate.lambda;

import dev.lambdagate.json.JsonWriter;
import dev.lambdagate.json.Utf8;

/**
 * Decides whether a request body travels in an event as text or as Base64, and writes it.
 *
 * <p>Text when the body is empty, or when its content type is {@code text/*} or mentions {@code
 * json}, {@code xml} or {@code javascript}, it is not content-encoded (gzip bytes are not text
 * whatever the type says) and it is valid UTF-8 (a JSON string can carry nothing else without
 * loss). Everything else, including a body without a content type, is Base64.
 */
final class BodyEncoding {

  /**
   * How much of the body is copied into the module at a time: a multiple of 3 so that the Base64 of
   * each piece but the last has no padding. The body itself is never held whole.
   */
  static final int PIECE = 48 * 1024;

  private BodyEncoding() {}

  static boolean isBase64(HttpRequest request) {
    RequestBody body = request.body();
    if (body.length() == 0) {
      return false;
    }
    HeaderList headers = request.headers();
    String encoding = headers.get("content-encoding");
    if (encoding != null && !HeaderNames.equalsIgnoreCase(encoding.trim(), "identity")) {
      return true;
    }
    String contentType = headers.get("content-type");
    if (contentType == null || !isTextual(contentType)) {
      return true;
    }
    return !isValidUtf8(body);
  }

  /** Whether a content type names text: {@code text/*}, or mentions json, xml or javascript. */
  static boolean isTextual(String contentType) {
    int end = contentType.indexOf(';');
    String mediaType =
        HeaderNames.toLowerCase((end < 0 ? contentType : contentType.substring(0, end)).trim());
    return mediaType.startsWith("text/")
        || mediaType.contains("json")
        || mediaType.contains("xml")
        || mediaType.contains("javascript");
  }

  /** The buffer for pieces of a body of {@code length} bytes. */
  private static int pieceSize(int length) {
    return (length < PIECE ? length : PIECE) + 3;
  }

  /** Whether the whole body is well-formed UTF-8, checked piece by piece. */
  private static boolean isValidUtf8(RequestBody body) {
    byte[] piece = new byte[pieceSize(body.length())];
    int length = body.length();
    int start = 0;
    while (start < length) {
      int n = length - start < PIECE ? length - start : PIECE;
      body.read(start, piece, 0, n);
      int usable = start + n == length ? n : characterBoundary(piece, n);
      if (!Utf8.isValid(piece, 0, usable)) {
        return false;
      }
      start += usable;
    }
    return true;
  }

  /**
   * Where the last whole UTF-8 character of {@code piece[0, n)} ends: {@code n}, or the start of a
   * sequence the piece cuts off (its rest is read with the next piece).
   */
  static int characterBoundary(byte[] piece, int n) {
    for (int i = n - 1; i >= 0 && i >= n - 3; i--) {
      int b = piece[i] & 0xFF;
      if (b < 0x80) {
        return n; // ASCII: nothing cut
      }
      if (b >= 0xC0) {
        int sequence = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
        return i + sequence > n && i > 0 ? i : n;
      }
    }
    return n;
  }

  /** Writes the body as a JSON string, Base64-encoded when {@code base64}, piece by piece. */
  static void write(JsonWriter out, RequestBody body, boolean base64) {
    int length = body.length();
    byte[] piece = new byte[pieceSize(length)];
    out.beginStringValue();
    int start = 0;
    while (start < length) {
      int n = length - start < PIECE ? length - start : PIECE;
      body.read(start, piece, 0, n);
      if (base64) {
        out.stringPartBase64(piece, 0, n);
        start += n;
      } else {
        int usable = start + n == length ? n : characterBoundary(piece, n);
        out.stringPartFromUtf8(piece, 0, usable);
        start += usable;
      }
    }
    out.endStringValue();
  }

  /**
   * A starting buffer size for an event about {@code request}, so that building it rarely regrows
   * the buffer; never more than {@code limit}.
   */
  static int eventCapacity(HttpRequest request, boolean base64, int limit) {
    long size = 512L + request.path().length() * 3L;
    HeaderList headers = request.headers();
    for (int i = 0; i < headers.size(); i++) {
      size += headers.name(i).length() * 2L + headers.value(i).length() + 16;
    }
    int bodyLength = request.bodyLength();
    size += base64 ? (bodyLength + 2L) / 3 * 4 : bodyLength + bodyLength / 8;
    return size > limit ? limit : (int) size;
  }
}
