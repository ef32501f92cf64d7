package dev.lambdagate.sigv4;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The SigV4 canonical request of one HTTP request, and the list of headers it signs. Immutable,
 * hence thread-safe.
 *
 * <p>The text is, each part on its own line: the method; the canonical URI; the canonical query
 * string; the canonical headers (one {@code name:value} line each, then an empty line); the signed
 * header names joined with {@code ;}; the payload hash.
 *
 * <ul>
 *   <li><b>URI.</b> The path as received (still percent-encoded). Except for S3-like services it is
 *       normalised ({@link PathNormalizer}) and encoded once more ({@link
 *       UriEncoding#appendEncoded}: "each segment encoded twice"); for S3-like services it is used
 *       as is, only brought to canonical single encoding ({@link UriEncoding#appendCanonical}).
 *   <li><b>Query.</b> Split on {@code &} (empty parameters dropped) and on the first {@code =};
 *       keys and values brought to canonical single encoding ({@code +} is a literal plus); sorted
 *       by key, then by value.
 *   <li><b>Headers.</b> Names lower-cased; values trimmed and every inner run of white space
 *       (space, tab, CR, LF: a folded multi-line value included) collapsed to one space; several
 *       headers of one name joined with {@code ,} in arrival order; sorted by name. Pseudo headers
 *       ({@code :path}, ...) and {@link #ALWAYS_EXCLUDED} are never signed. A {@code host} header
 *       is required: SigV4 always signs it.
 * </ul>
 */
public final class CanonicalRequest {
  /**
   * Headers never signed: proxies (Envoy among them) add or rewrite them on the way, so a signature
   * over them would break.
   */
  public static final Set<String> ALWAYS_EXCLUDED =
      Collections.unmodifiableSet(
          new HashSet<>(Arrays.asList("x-forwarded-for", "x-forwarded-proto", "x-amzn-trace-id")));

  private final String text;
  private final String signedHeaders;

  private CanonicalRequest(String text, String signedHeaders) {
    this.text = text;
    this.signedHeaders = signedHeaders;
  }

  /**
   * Builds the canonical request of a request whose headers are all given here: what is passed is
   * what is signed, except pseudo headers, {@link #ALWAYS_EXCLUDED} and {@code excludedHeaders}.
   * {@link SigV4Signer} is the usual entry point; it adds its own {@code x-amz-*} headers.
   *
   * @param method request method, as sent ({@code GET}, {@code POST}, ...)
   * @param pathAndQuery the request target as received, e.g. {@code /foo/bar?b=2&a=1}
   * @param headers the request headers in arrival order; names in any case, duplicates allowed
   * @param excludedHeaders names of headers not to sign, any case
   * @param payloadHash lower-case hex SHA-256 of the body, or {@link PayloadHash#UNSIGNED_PAYLOAD}
   * @param s3Like true for S3-like services: no path normalisation, no second path encoding
   * @throws IllegalArgumentException if there is no {@code host} header or the hash is malformed
   */
  public static CanonicalRequest of(
      String method,
      String pathAndQuery,
      List<Header> headers,
      Collection<String> excludedHeaders,
      String payloadHash,
      boolean s3Like) {
    return build(
        method,
        pathAndQuery,
        headers,
        lowerCaseWith(excludedHeaders, ALWAYS_EXCLUDED),
        Collections.<Header>emptyList(),
        payloadHash,
        s3Like);
  }

  /**
   * The canonical request of {@code headers} without the ones whose lower-case name is in {@code
   * excluded} (which the caller has already merged with {@link #ALWAYS_EXCLUDED}), plus {@code
   * added}, whose names are lower case and which are signed unconditionally.
   */
  static CanonicalRequest build(
      String method,
      String pathAndQuery,
      List<Header> headers,
      Set<String> excluded,
      List<Header> added,
      String payloadHash,
      boolean s3Like) {
    if (method == null || method.isEmpty()) {
      throw new IllegalArgumentException("method must not be empty");
    }
    checkPayloadHash(payloadHash);

    // Headers: collect the signed ones, then sort an index array (no per-header objects).
    int capacity = headers.size() + added.size();
    String[] names = new String[capacity];
    String[] values = new String[capacity];
    int count = 0;
    int headerChars = 0;
    boolean hasHost = false;
    for (int i = 0, n = headers.size(); i < n; i++) {
      Header header = headers.get(i);
      String name = lowerCaseAscii(header.name());
      if (name.charAt(0) == ':' || excluded.contains(name)) {
        continue;
      }
      hasHost |= name.equals("host");
      names[count] = name;
      values[count] = header.value();
      headerChars += name.length() + header.value().length() + 2;
      count++;
    }
    for (int i = 0, n = added.size(); i < n; i++) {
      Header header = added.get(i);
      hasHost |= header.name().equals("host");
      names[count] = header.name();
      values[count] = header.value();
      headerChars += header.name().length() + header.value().length() + 2;
      count++;
    }
    if (!hasHost) {
      throw new IllegalArgumentException("a host header is required: SigV4 always signs it");
    }
    int[] order = sortedOrder(names, null, count);

    int queryStart = pathAndQuery.indexOf('?');
    int pathEnd = queryStart < 0 ? pathAndQuery.length() : queryStart;

    StringBuilder out =
        new StringBuilder(
            method.length()
                + 2 * pathAndQuery.length()
                + 2 * headerChars
                + payloadHash.length()
                + 32);
    out.append(method).append('\n');
    appendCanonicalUri(out, pathAndQuery, pathEnd, s3Like);
    out.append('\n');
    if (queryStart >= 0) {
      appendCanonicalQuery(out, pathAndQuery, queryStart + 1, pathAndQuery.length());
    }
    out.append('\n');

    // Canonical headers, and the signed header list built alongside.
    StringBuilder signed = new StringBuilder(headerChars);
    for (int k = 0; k < count; ) {
      String name = names[order[k]];
      out.append(name).append(':');
      if (signed.length() > 0) {
        signed.append(';');
      }
      signed.append(name);
      appendTrimmedCollapsed(out, values[order[k]]);
      k++;
      // The sort is stable, so equal names follow each other in arrival order.
      while (k < count && names[order[k]].equals(name)) {
        out.append(',');
        appendTrimmedCollapsed(out, values[order[k]]);
        k++;
      }
      out.append('\n');
    }
    String signedHeaders = signed.toString();
    out.append('\n').append(signedHeaders).append('\n').append(payloadHash);
    return new CanonicalRequest(out.toString(), signedHeaders);
  }

  /** The canonical request text, the input of the string to sign's hash. */
  public String text() {
    return text;
  }

  /** The signed header names, lower case, sorted, joined with {@code ;}. */
  public String signedHeaders() {
    return signedHeaders;
  }

  @Override
  public String toString() {
    return text;
  }

  static Set<String> lowerCaseWith(Collection<String> names, Collection<String> more) {
    HashSet<String> set = new HashSet<>();
    for (String name : names) {
      set.add(lowerCaseAscii(name));
    }
    set.addAll(more);
    return Collections.unmodifiableSet(set);
  }

  /**
   * ASCII lower case; {@code s} itself when already lower case (Envoy hands over lower-case names).
   * Not {@link String#toLowerCase()}, whose result depends on the default locale.
   */
  static String lowerCaseAscii(String s) {
    int n = s.length();
    int i = 0;
    while (i < n) {
      char c = s.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        break;
      }
      i++;
    }
    if (i == n) {
      return s;
    }
    char[] chars = s.toCharArray();
    for (; i < n; i++) {
      char c = chars[i];
      if (c >= 'A' && c <= 'Z') {
        chars[i] = (char) (c + ('a' - 'A'));
      }
    }
    return new String(chars);
  }

  private static void appendCanonicalUri(
      StringBuilder out, String pathAndQuery, int pathEnd, boolean s3Like) {
    if (pathEnd == 0) {
      out.append('/');
      return;
    }
    if (s3Like) {
      if (pathAndQuery.charAt(0) != '/') {
        out.append('/');
      }
      UriEncoding.appendCanonical(out, pathAndQuery, 0, pathEnd, true);
    } else {
      String path = PathNormalizer.normalize(pathAndQuery, 0, pathEnd);
      UriEncoding.appendEncoded(out, path, 0, path.length(), true);
    }
  }

  private static void appendCanonicalQuery(StringBuilder out, String text, int from, int to) {
    int parameters = 1;
    for (int i = from; i < to; i++) {
      if (text.charAt(i) == '&') {
        parameters++;
      }
    }
    String[] keys = new String[parameters];
    String[] values = new String[parameters];
    int count = 0;
    StringBuilder scratch = new StringBuilder(to - from + 16);
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
        scratch.setLength(0);
        UriEncoding.appendCanonical(scratch, text, start, equals, false);
        keys[count] = scratch.toString();
        scratch.setLength(0);
        if (equals < end) {
          UriEncoding.appendCanonical(scratch, text, equals + 1, end, false);
        }
        values[count] = scratch.toString();
        count++;
      }
      start = end + 1;
    }
    int[] order = sortedOrder(keys, values, count);
    for (int k = 0; k < count; k++) {
      if (k > 0) {
        out.append('&');
      }
      out.append(keys[order[k]]).append('=').append(values[order[k]]);
    }
  }

  /**
   * Indices {@code 0..count-1} ordered by {@code primary}, then by {@code secondary} (if not null),
   * then by index: a stable binary insertion sort, which needs no comparator objects and does O(n
   * log n) comparisons for the few dozen headers or parameters of a request.
   */
  private static int[] sortedOrder(String[] primary, String[] secondary, int count) {
    int[] order = new int[count];
    sortOrder(primary, secondary, count, order);
    return order;
  }

  /** {@link #sortedOrder} into {@code order} (at least {@code count} long). */
  static void sortOrder(String[] primary, String[] secondary, int count, int[] order) {
    for (int i = 0; i < count; i++) {
      int low = 0;
      int high = i;
      // Find the first position whose element sorts strictly after element i.
      while (low < high) {
        int mid = (low + high) >>> 1;
        if (compare(primary, secondary, order[mid], i) <= 0) {
          low = mid + 1;
        } else {
          high = mid;
        }
      }
      System.arraycopy(order, low, order, low + 1, i - low);
      order[low] = i;
    }
  }

  private static int compare(String[] primary, String[] secondary, int a, int b) {
    int c = primary[a].compareTo(primary[b]);
    if (c == 0 && secondary != null) {
      c = secondary[a].compareTo(secondary[b]);
    }
    return c;
  }

  private static boolean isWhitespace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  }

  /** Appends {@code value} trimmed, each inner run of white space written as one space. */
  private static void appendTrimmedCollapsed(StringBuilder out, String value) {
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
      if (isWhitespace(c)) {
        if (!inWhitespace) {
          out.append(' ');
          inWhitespace = true;
        }
      } else {
        out.append(c);
        inWhitespace = false;
      }
    }
  }

  static void checkPayloadHash(String payloadHash) {
    if (PayloadHash.UNSIGNED_PAYLOAD.equals(payloadHash)) {
      return;
    }
    boolean valid = payloadHash != null && payloadHash.length() == 64;
    for (int i = 0; valid && i < 64; i++) {
      char c = payloadHash.charAt(i);
      valid = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    }
    if (!valid) {
      throw new IllegalArgumentException(
          "payload hash must be 64 lower-case hex digits or UNSIGNED-PAYLOAD: " + payloadHash);
    }
  }
}
