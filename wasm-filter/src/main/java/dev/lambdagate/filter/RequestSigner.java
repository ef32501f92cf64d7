package dev.lambdagate.filter;

import dev.lambdagate.lambda.HeaderList;
import dev.lambdagate.lambda.HeaderNames;
import dev.lambdagate.sdk.AbiConstants;
import dev.lambdagate.sdk.Host;
import dev.lambdagate.sigv4.Credentials;
import dev.lambdagate.sigv4.Header;
import dev.lambdagate.sigv4.SigV4Signer;
import dev.lambdagate.sigv4.SigningBuffers;
import dev.lambdagate.sigv4.SigningResult;
import java.util.List;

/**
 * Signs the request headers of the current stream with SigV4 and writes the result back to the
 * host: the bridge between the plain-Java signer and proxy-wasm header maps.
 */
final class RequestSigner {
  /**
   * The signer's working memory, one per VM (a VM is single-threaded and signs one request at a
   * time): canonical request and string to sign are written into its reused arrays.
   */
  private static final SigningBuffers BUFFERS = new SigningBuffers();

  /** The headers handed to the signer, reused from request to request (cleared after each). */
  private static String[] names = new String[16];

  private static String[] values = new String[16];

  private RequestSigner() {}

  /**
   * Signs {@code headers} (the stream's request headers, pseudo headers included) and sets {@code
   * authorization}, {@code x-amz-date}, with a session token {@code x-amz-security-token}, and
   * {@code x-amz-content-sha256} when the signer sends it (S3-like services, {@code
   * UNSIGNED-PAYLOAD}, or one in {@code headers}) on the request.
   */
  static void sign(
      SigV4Signer signer, HeaderList headers, String payloadHash, Credentials credentials) {
    List<Header> toSet = signatureHeaders(signer, headers, payloadHash, credentials);
    for (int i = 0; i < toSet.size(); i++) {
      Header h = toSet.get(i);
      Host.replaceHeader(AbiConstants.MAP_REQUEST_HEADERS, h.name(), h.value());
    }
  }

  /**
   * Signs {@code headers} and returns the headers that carry the signature ({@code authorization},
   * {@code x-amz-date}, {@code x-amz-security-token}) without setting them anywhere: for requests
   * the filter sends itself.
   */
  static List<Header> signatureHeaders(
      SigV4Signer signer, HeaderList headers, String payloadHash, Credentials credentials) {
    String method = headers.get(":method");
    String path = headers.get(":path");
    int size = headers.size();
    if (names.length < size + 1) {
      names = new String[2 * size + 1];
      values = new String[2 * size + 1];
    }
    int count = 0;
    try {
      boolean hasHost = false;
      for (int i = 0; i < size; i++) {
        String name = headers.name(i);
        if (name.startsWith(":")) {
          continue;
        }
        hasHost |= HeaderNames.equalsIgnoreCase(name, "host");
        names[count] = name;
        values[count++] = headers.value(i);
      }
      if (!hasHost) {
        String authority = headers.get(":authority");
        if (authority == null) {
          throw new IllegalArgumentException("request has no :authority (Host) to sign");
        }
        names[count] = "host";
        values[count++] = authority;
      }
      long epochSeconds = Host.currentTimeNanos() / 1_000_000_000L;
      boolean trace = FilterLog.traceEnabled();
      SigningResult result =
          signer.sign(
              method == null ? "GET" : method,
              path == null ? "/" : path,
              names,
              values,
              count,
              payloadHash,
              credentials,
              epochSeconds,
              BUFFERS,
              trace);
      if (trace) {
        logTrace(result, credentials);
      }
      return result.headersToSet();
    } finally {
      for (int i = 0; i < count; i++) { // keep no request's headers alive between requests
        names[i] = null;
        values[i] = null;
      }
    }
  }

  /** The canonical request and string to sign help debug a signature mismatch; no secrets. */
  private static void logTrace(SigningResult result, Credentials credentials) {
    String canonical = result.canonicalRequest();
    if (credentials.hasSessionToken()) {
      canonical = canonical.replace(credentials.sessionToken(), "<redacted>");
    }
    Host.log(AbiConstants.LOG_TRACE, "lambdagate: sigv4 canonical request:\n" + canonical);
    Host.log(AbiConstants.LOG_TRACE, "lambdagate: sigv4 string to sign:\n" + result.stringToSign());
  }
}
