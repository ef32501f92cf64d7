package dev.lambdagate.lambda;

import dev.lambdagate.json.JsonWriter;
import dev.lambdagate.json.Utf8;

/**
 * Decides whether a request body travels in an event as text or as Base64, and writes it.
 *
 * <p>Text when the body is empty, or when its content type is {@code text/*} or mentions
 * {@code json}, {@code xml} or {@code javascript}, it is not content-encoded (gzip bytes are
 * not text whatever the type says) and it is valid UTF-8 (a JSON string can carry nothing
 * else without loss). Everything else, including a body without a content type, is Base64.
 */
final class BodyEncoding {

    private BodyEncoding() {
    }

    static boolean isBase64(HttpRequest request) {
        byte[] body = request.body();
        if (body.length == 0) {
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
        return !Utf8.isValid(body);
    }

    /** Whether a content type names text: {@code text/*}, or mentions json, xml or javascript. */
    static boolean isTextual(String contentType) {
        int end = contentType.indexOf(';');
        String mediaType = HeaderNames.toLowerCase((end < 0 ? contentType : contentType.substring(0, end)).trim());
        return mediaType.startsWith("text/")
                || mediaType.contains("json")
                || mediaType.contains("xml")
                || mediaType.contains("javascript");
    }

    /** Writes the body as a JSON string, Base64-encoded when {@code base64}. */
    static void write(JsonWriter out, byte[] body, boolean base64) {
        if (base64) {
            out.valueBase64(body, 0, body.length);
        } else {
            out.valueFromUtf8(body, 0, body.length);
        }
    }

    /** A starting buffer size for an event about {@code request}, so that building it rarely regrows the buffer. */
    static int eventCapacity(HttpRequest request, boolean base64) {
        long size = 512L + request.path().length() * 3L;
        HeaderList headers = request.headers();
        for (int i = 0; i < headers.size(); i++) {
            size += headers.name(i).length() * 2L + headers.value(i).length() + 16;
        }
        int bodyLength = request.body().length;
        size += base64 ? (bodyLength + 2L) / 3 * 4 : bodyLength + bodyLength / 8;
        return size > Integer.MAX_VALUE - 16 ? Integer.MAX_VALUE - 16 : (int) size;
    }
}
