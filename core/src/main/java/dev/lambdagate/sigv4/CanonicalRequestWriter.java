package dev.lambdagate.sigv4;

import dev.lambdagate.json.Utf8;
import java.util.List;
import java.util.Set;

/**
 * Writes the SigV4 canonical request of one request as UTF-8 bytes into buffers it keeps and
 * reuses: the same bytes as {@link CanonicalRequest}'s text (which stays the readable reference,
 * and is tested to agree), without a {@code String} or {@code StringBuilder} on the way. Once the
 * buffers have grown to the size of the requests seen, writing allocates nothing.
 *
 * <p>Not thread-safe: one per thread ({@link SigningBuffers} holds one).
 */
final class CanonicalRequestWriter {
  /** The canonical request: {@code bytes[0, length)}. */
  byte[] bytes = new byte[1024];

  int length;

  /** The signed header names joined with {@code ;}: {@code signedHeaders[0, signedLength)}. */
  byte[] signedHeaders = new byte[256];

  int signedLength;

  /** Canonical query keys and values, and per parameter {key start, key end, value end}. */
  private byte[] query = new byte[256];

  private int[] queryParts = new int[3 * 8];
  private int[] queryOrder = new int[8];
  private int[] order = new int[16];
  private String[] names = new String[16];
  private String[] values = new String[16];

  /**
   * Writes the canonical request of {@code headers} without the ones whose lower-case name is in
   * {@code excluded}, plus the {@code addedCount} headers of {@code addedNames}/{@code addedValues}
   * (lower-case names, signed unconditionally). Same rules and errors as {@link
   * CanonicalRequest#build}.
   */
  void write(
      String method,
      String pathAndQuery,
      List<Header> headers,
      Set<String> excluded,
      String[] addedNames,
      String[] addedValues,
      int addedCount,
      String payloadHash,
      boolean s3Like) {
    int n = headers.size();
    String[] headerNames = new String[n];
    String[] headerValues = new String[n];
    for (int i = 0; i < n; i++) {
      headerNames[i] = headers.get(i).name();
      headerValues[i] = headers.get(i).value();
    }
    write(
        method,
        pathAndQuery,
        headerNames,
        headerValues,
        n,
        excluded,
        addedNames,
        addedValues,
        addedCount,
        payloadHash,
        s3Like);
  }

  /**
   * As {@link #write(String, String, List, Set, String[], String[], int, String, boolean)}, with
   * the request's headers as the first {@code headerCount} names and values of two arrays.
   */
  void write(
      String method,
      String pathAndQuery,
      String[] headerNames,
      String[] headerValues,
      int headerCount,
      Set<String> excluded,
      String[] addedNames,
      String[] addedValues,
      int addedCount,
      String payloadHash,
      boolean s3Like) {
    if (method == null || method.isEmpty()) {
      throw new IllegalArgumentException("method must not be empty");
    }
    CanonicalRequest.checkPayloadHash(payloadHash);

    // Headers: collect the signed ones, then sort an index array.
    int capacity = headerCount + addedCount;
    if (names.length < capacity) {
      names = new String[capacity * 2];
      values = new String[capacity * 2];
      order = new int[capacity * 2];
    }
    int count = 0;
    int headerChars = 0;
    boolean hasHost = false;
    for (int i = 0; i < headerCount; i++) {
      String name = CanonicalRequest.lowerCaseAscii(headerNames[i]);
      String value = headerValues[i];
      if (name.isEmpty() || value == null) { // what a Header refuses
        clear(count);
        throw new IllegalArgumentException("a header needs a name and a value");
      }
      if (name.charAt(0) == ':' || excluded.contains(name)) {
        continue;
      }
      hasHost |= name.equals("host");
      names[count] = name;
      values[count] = value;
      headerChars += name.length() + value.length() + 2;
      count++;
    }
    for (int i = 0; i < addedCount; i++) {
      hasHost |= addedNames[i].equals("host");
      names[count] = addedNames[i];
      values[count] = addedValues[i];
      headerChars += addedNames[i].length() + addedValues[i].length() + 2;
      count++;
    }
    if (!hasHost) {
      clear(count);
      throw new IllegalArgumentException("a host header is required: SigV4 always signs it");
    }
    CanonicalRequest.sortOrder(names, null, count, order);

    int queryStart = pathAndQuery.indexOf('?');
    int pathEnd = queryStart < 0 ? pathAndQuery.length() : queryStart;

    // Room for the worst case: a character becomes at most 3 UTF-8 bytes, each escaped as %XY.
    long bound =
        3L * method.length()
            + 12L * pathAndQuery.length()
            + 3L * headerChars
            + 3L * headerChars
            + payloadHash.length()
            + 16;
    if (bound > Integer.MAX_VALUE - 64) {
      throw new IllegalArgumentException("request too large to sign");
    }
    if (bytes.length < bound) {
      bytes = new byte[(int) Math.max(bound, 2L * bytes.length)];
    }
    if (signedHeaders.length < 3 * headerChars) {
      signedHeaders = new byte[Math.max(3 * headerChars, 2 * signedHeaders.length)];
    }
    byte[] out = bytes;
    int p = Utf8.encodeInto(method, out, 0);
    out[p++] = '\n';
    p = writeCanonicalUri(pathAndQuery, pathEnd, s3Like, out, p);
    out[p++] = '\n';
    if (queryStart >= 0) {
      p = writeCanonicalQuery(pathAndQuery, queryStart + 1, pathAndQuery.length(), out, p);
    }
    out[p++] = '\n';

    // Canonical headers, and the signed header list written alongside.
    byte[] signed = signedHeaders;
    int s = 0;
    for (int k = 0; k < count; ) {
      String name = names[order[k]];
      if (s > 0) {
        signed[s++] = ';';
      }
      s = Utf8.encodeInto(name, signed, s);
      p = Utf8.encodeInto(name, out, p);
      out[p++] = ':';
      p = writeTrimmedCollapsed(values[order[k]], out, p);
      k++;
      // The sort is stable, so equal names follow each other in arrival order.
      while (k < count && names[order[k]].equals(name)) {
        out[p++] = ',';
        p = writeTrimmedCollapsed(values[order[k]], out, p);
        k++;
      }
      out[p++] = '\n';
    }
    signedLength = s;
    out[p++] = '\n';
    System.arraycopy(signed, 0, out, p, s);
    p += s;
    out[p++] = '\n';
    for (int i = 0, n = payloadHash.length(); i < n; i++) {
      out[p++] = (byte) payloadHash.charAt(i); // checked: hex digits or UNSIGNED-PAYLOAD
    }
    length = p;
    clear(count);
  }

  /** Drops the references to this request's strings, so the buffers keep nothing alive. */
  private void clear(int count) {
    for (int i = 0; i < count; i++) {
      names[i] = null;
      values[i] = null;
    }
  }

  private static int writeCanonicalUri(
      String pathAndQuery, int pathEnd, boolean s3Like, byte[] out, int p) {
    if (pathEnd == 0) {
      out[p++] = '/';
      return p;
    }
    if (s3Like) {
      if (pathAndQuery.charAt(0) != '/') {
        out[p++] = '/';
      }
      return UriEncoding.canonicalInto(pathAndQuery, 0, pathEnd, true, out, p);
    }
    if (PathNormalizer.isNormalized(pathAndQuery, 0, pathEnd)) {
      return UriEncoding.encodeInto(pathAndQuery, 0, pathEnd, true, out, p);
    }
    String path = PathNormalizer.normalize(pathAndQuery, 0, pathEnd);
    return UriEncoding.encodeInto(path, 0, path.length(), true, out, p);
  }

  private int writeCanonicalQuery(String text, int from, int to, byte[] out, int p) {
    int parameters = 1;
    for (int i = from; i < to; i++) {
      if (text.charAt(i) == '&') {
        parameters++;
      }
    }
    if (queryParts.length < 3 * parameters) {
      queryParts = new int[6 * parameters];
    }
    if (queryOrder.length < parameters) {
      queryOrder = new int[2 * parameters];
    }
    if (query.length < 12 * (to - from)) {
      query = new byte[Math.max(12 * (to - from), 2 * query.length)];
    }
    byte[] q = query;
    int[] parts = queryParts;
    int qp = 0;
    int count = 0;
    int start = from;
    while (start <= to) {
      int end = start;
      while (end < to && text.charAt(end) != '&') {
        end++;
      }
      if (end > start) {
        int equals = start;
        while (equals < end && text.charAt(equals) != '=') {
          equals++;
        }
        parts[3 * count] = qp;
        qp = UriEncoding.canonicalInto(text, start, equals, false, q, qp);
        parts[3 * count + 1] = qp;
        if (equals < end) {
          qp = UriEncoding.canonicalInto(text, equals + 1, end, false, q, qp);
        }
        parts[3 * count + 2] = qp;
        count++;
      }
      start = end + 1;
    }
    int[] sorted = queryOrder;
    // Stable binary insertion sort by key, then value (both ASCII after canonical encoding).
    for (int i = 0; i < count; i++) {
      int low = 0;
      int high = i;
      while (low < high) {
        int mid = (low + high) >>> 1;
        if (compareParameters(q, parts, sorted[mid], i) <= 0) {
          low = mid + 1;
        } else {
          high = mid;
        }
      }
      System.arraycopy(sorted, low, sorted, low + 1, i - low);
      sorted[low] = i;
    }
    for (int k = 0; k < count; k++) {
      if (k > 0) {
        out[p++] = '&';
      }
      int param = sorted[k];
      int keyStart = parts[3 * param];
      int keyEnd = parts[3 * param + 1];
      int valueEnd = parts[3 * param + 2];
      System.arraycopy(q, keyStart, out, p, keyEnd - keyStart);
      p += keyEnd - keyStart;
      out[p++] = '=';
      System.arraycopy(q, keyEnd, out, p, valueEnd - keyEnd);
      p += valueEnd - keyEnd;
    }
    return p;
  }

  private static int compareParameters(byte[] q, int[] parts, int a, int b) {
    int c = compareBytes(q, parts[3 * a], parts[3 * a + 1], parts[3 * b], parts[3 * b + 1]);
    if (c == 0) {
      c = compareBytes(q, parts[3 * a + 1], parts[3 * a + 2], parts[3 * b + 1], parts[3 * b + 2]);
    }
    return c;
  }

  private static int compareBytes(byte[] q, int aFrom, int aTo, int bFrom, int bTo) {
    int n = Math.min(aTo - aFrom, bTo - bFrom);
    for (int i = 0; i < n; i++) {
      int c = (q[aFrom + i] & 0xff) - (q[bFrom + i] & 0xff);
      if (c != 0) {
        return c;
      }
    }
    return (aTo - aFrom) - (bTo - bFrom);
  }

  private static boolean isWhitespace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  }

  /**
   * Writes {@code value} trimmed, each inner run of white space as one space, in UTF-8 (an unpaired
   * surrogate as {@code ?}, as {@link Utf8#encode} does).
   */
  private static int writeTrimmedCollapsed(String value, byte[] out, int p) {
    int start = 0;
    int end = value.length();
    while (start < end && isWhitespace(value.charAt(start))) {
      start++;
    }
    while (end > start && isWhitespace(value.charAt(end - 1))) {
      end--;
    }
    boolean inWhitespace = false;
    for (int i = start; i < end; i++) {
      char c = value.charAt(i);
      if (c < 0x80) {
        if (isWhitespace(c)) {
          if (!inWhitespace) {
            out[p++] = ' ';
            inWhitespace = true;
          }
        } else {
          out[p++] = (byte) c;
          inWhitespace = false;
        }
        continue;
      }
      inWhitespace = false;
      if (c < 0x800) {
        out[p++] = (byte) (0xC0 | (c >> 6));
        out[p++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isHighSurrogate(c)
          && i + 1 < end
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, value.charAt(++i));
        out[p++] = (byte) (0xF0 | (cp >> 18));
        out[p++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
        out[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        out[p++] = (byte) (0x80 | (cp & 0x3F));
      } else if (Character.isSurrogate(c)) {
        out[p++] = '?';
      } else {
        out[p++] = (byte) (0xE0 | (c >> 12));
        out[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        out[p++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    return p;
  }
}
