package dev.lambdagate.json;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Builds compact JSON text in a {@link StringBuilder}, checking that names and values are
 * written in a valid order.
 *
 * <p>Strings are escaped so that the output is valid JSON and safe to embed in JavaScript:
 * quote, backslash, every control character below U+0020 and U+2028/U+2029 are escaped;
 * other characters, including non-ASCII ones, are written as themselves (UTF-8 once
 * {@link #toUtf8()} encodes them). An unpaired surrogate, which has no UTF-8 form, is written
 * as U+FFFD.
 *
 * <pre>{@code
 * String json = new JsonWriter().beginObject()
 *         .name("error").value("payload_too_large")
 *         .name("message").value(message)
 *         .endObject().toString();
 * }</pre>
 */
public final class JsonWriter {

    private static final byte ARRAY_EMPTY = 0;
    private static final byte ARRAY = 1;
    private static final byte OBJECT_EMPTY = 2;
    private static final byte OBJECT = 3;

    private static final char REPLACEMENT = '\uFFFD';
    private static final String HEX = "0123456789abcdef";

    private final StringBuilder out;
    /** One entry per open array or object: whether it is an object and whether it has members. */
    private byte[] open = new byte[16];
    private int depth;
    private boolean nameWritten;
    private boolean rootWritten;

    public JsonWriter() {
        this(128);
    }

    /** A writer whose buffer starts with room for {@code capacity} characters. */
    public JsonWriter(int capacity) {
        this.out = new StringBuilder(capacity);
    }

    public JsonWriter beginObject() {
        beforeValue();
        out.append('{');
        push(OBJECT_EMPTY);
        return this;
    }

    public JsonWriter endObject() {
        if (depth == 0 || open[depth - 1] < OBJECT_EMPTY) {
            throw new IllegalStateException("endObject outside an object");
        }
        if (nameWritten) {
            throw new IllegalStateException("endObject after a name without a value");
        }
        depth--;
        out.append('}');
        return this;
    }

    public JsonWriter beginArray() {
        beforeValue();
        out.append('[');
        push(ARRAY_EMPTY);
        return this;
    }

    public JsonWriter endArray() {
        if (depth == 0 || open[depth - 1] >= OBJECT_EMPTY) {
            throw new IllegalStateException("endArray outside an array");
        }
        depth--;
        out.append(']');
        return this;
    }

    /** Writes the name of the next member of the current object. */
    public JsonWriter name(String name) {
        if (depth == 0 || open[depth - 1] < OBJECT_EMPTY) {
            throw new IllegalStateException("a member name outside an object");
        }
        if (nameWritten) {
            throw new IllegalStateException("two member names in a row");
        }
        if (open[depth - 1] == OBJECT) {
            out.append(',');
        } else {
            open[depth - 1] = OBJECT;
        }
        appendQuoted(out, name);
        out.append(':');
        nameWritten = true;
        return this;
    }

    /** Writes a string value, or JSON null when {@code value} is null. */
    public JsonWriter value(String value) {
        if (value == null) {
            return nullValue();
        }
        beforeValue();
        appendQuoted(out, value);
        return this;
    }

    public JsonWriter value(long value) {
        beforeValue();
        out.append(value);
        return this;
    }

    public JsonWriter value(boolean value) {
        beforeValue();
        out.append(value ? "true" : "false");
        return this;
    }

    public JsonWriter nullValue() {
        beforeValue();
        out.append("null");
        return this;
    }

    /**
     * Writes a string value whose content is the UTF-8 text {@code utf8[offset, offset+length)},
     * without first building a {@link String}. Malformed sequences are written as U+FFFD; check
     * {@link Utf8#isValid} first when that matters.
     */
    public JsonWriter valueFromUtf8(byte[] utf8, int offset, int length) {
        beforeValue();
        out.append('"');
        // Characters that need no escape are gathered in a chunk and appended together: one
        // StringBuilder call per chunk instead of one per character (costly in TeaVM's Wasm).
        char[] chunk = new char[length < 2 ? 2 : length > 1024 ? 1024 : length];
        int n = 0;
        int end = offset + length;
        int i = offset;
        while (i < end) {
            if (n > chunk.length - 2) {
                out.append(chunk, 0, n);
                n = 0;
            }
            byte b = utf8[i];
            if (b >= 0x20 && b != '"' && b != '\\') {
                chunk[n++] = (char) b;
                i++;
                continue;
            }
            if (b >= 0) {
                out.append(chunk, 0, n);
                n = 0;
                appendEscaped(out, (char) b);
                i++;
                continue;
            }
            int len = Utf8.sequenceLength(utf8, i, end);
            if (len == 0) {
                chunk[n++] = REPLACEMENT;
                i++;
                continue;
            }
            int codePoint = Utf8.decode(utf8, i, len);
            if (codePoint >= 0x10000) {
                chunk[n++] = Character.highSurrogate(codePoint);
                chunk[n++] = Character.lowSurrogate(codePoint);
            } else if (codePoint == 0x2028 || codePoint == 0x2029) {
                out.append(chunk, 0, n);
                n = 0;
                appendEscaped(out, (char) codePoint);
            } else {
                chunk[n++] = (char) codePoint;
            }
            i += len;
        }
        out.append(chunk, 0, n);
        out.append('"');
        return this;
    }

    /** Writes a string value holding {@code bytes[offset, offset+length)} in standard Base64. */
    public JsonWriter valueBase64(byte[] bytes, int offset, int length) {
        beforeValue();
        out.append('"');
        Base64Codec.encodeTo(out, bytes, offset, length);
        out.append('"');
        return this;
    }

    /** Writes a whole tree. Numbers are written exactly as their source text. */
    public JsonWriter value(JsonValue value) {
        switch (value.type()) {
            case OBJECT:
                beginObject();
                for (Map.Entry<String, JsonValue> member : ((JsonObject) value).members().entrySet()) {
                    name(member.getKey());
                    value(member.getValue());
                }
                return endObject();
            case ARRAY:
                beginArray();
                List<JsonValue> items = ((JsonArray) value).items();
                for (int i = 0; i < items.size(); i++) {
                    value(items.get(i));
                }
                return endArray();
            case STRING:
                return value(((JsonString) value).value());
            case NUMBER:
                beforeValue();
                out.append(((JsonNumber) value).text());
                return this;
            case BOOLEAN:
                return value(((JsonBoolean) value).value());
            default:
                return nullValue();
        }
    }

    /** The JSON text written so far. */
    @Override
    public String toString() {
        return out.toString();
    }

    /** The JSON text written so far, encoded as UTF-8. */
    public byte[] toUtf8() {
        return Utf8.encode(out.toString());
    }

    /** {@code value} as a JSON string literal, quotes included. */
    public static String quote(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 2);
        appendQuoted(sb, value);
        return sb.toString();
    }

    /** Appends {@code value} to {@code sb} as a JSON string literal, quotes included. */
    public static void appendQuoted(StringBuilder sb, String value) {
        sb.append('"');
        int length = value.length();
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(value.charAt(i + 1))) {
                    sb.append(c).append(value.charAt(i + 1));
                    i++;
                } else {
                    sb.append(REPLACEMENT);
                }
            } else {
                appendEscaped(sb, c);
            }
        }
        sb.append('"');
    }

    private static void appendEscaped(StringBuilder sb, char c) {
        if (c >= 0x20 && c != '"' && c != '\\' && c != '\u2028' && c != '\u2029') {
            sb.append(c);
            return;
        }
        switch (c) {
            case '"':
                sb.append("\\\"");
                return;
            case '\\':
                sb.append("\\\\");
                return;
            case '\n':
                sb.append("\\n");
                return;
            case '\r':
                sb.append("\\r");
                return;
            case '\t':
                sb.append("\\t");
                return;
            case '\b':
                sb.append("\\b");
                return;
            case '\f':
                sb.append("\\f");
                return;
            default:
                sb.append("\\u")
                        .append(HEX.charAt((c >> 12) & 0xF))
                        .append(HEX.charAt((c >> 8) & 0xF))
                        .append(HEX.charAt((c >> 4) & 0xF))
                        .append(HEX.charAt(c & 0xF));
        }
    }

    private void beforeValue() {
        if (depth == 0) {
            if (rootWritten) {
                throw new IllegalStateException("a JSON text holds a single top-level value");
            }
            rootWritten = true;
            return;
        }
        byte state = open[depth - 1];
        if (state >= OBJECT_EMPTY) {
            if (!nameWritten) {
                throw new IllegalStateException("an object member needs a name before its value");
            }
            nameWritten = false;
        } else if (state == ARRAY) {
            out.append(',');
        } else {
            open[depth - 1] = ARRAY;
        }
    }

    private void push(byte state) {
        if (depth == open.length) {
            open = Arrays.copyOf(open, depth * 2);
        }
        open[depth++] = state;
    }
}
