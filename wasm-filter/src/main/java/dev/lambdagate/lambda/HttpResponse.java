package dev.lambdagate.lambda;

import dev.lambdagate.json.Utf8;

/** A response for the client, in plain data. */
public final class HttpResponse {

    private static final byte[] NO_BODY = new byte[0];

    private final int status;
    private final HeaderList headers;
    private final byte[] body;

    /**
     * @param headers not copied
     * @param body not copied; null for none
     */
    public HttpResponse(int status, HeaderList headers, byte[] body) {
        this.status = status;
        this.headers = headers == null ? new HeaderList(0) : headers;
        this.body = body == null ? NO_BODY : body;
    }

    public int status() {
        return status;
    }

    public HeaderList headers() {
        return headers;
    }

    /** The body; empty, never null. */
    public byte[] body() {
        return body;
    }

    /** The body decoded as UTF-8 (malformed bytes become U+FFFD); meant for logs and tests. */
    public String bodyText() {
        return Utf8.decodeString(body, 0, body.length);
    }

    @Override
    public String toString() {
        return "HttpResponse{" + status + ", " + headers + ", " + body.length + " bytes}";
    }
}
