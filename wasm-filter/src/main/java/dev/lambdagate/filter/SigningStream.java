package dev.lambdagate.filter;

import dev.lambdagate.config.SignConfig;
import dev.lambdagate.lambda.HeaderList;
import dev.lambdagate.sdk.AbiConstants;
import dev.lambdagate.sdk.Action;
import dev.lambdagate.sdk.Host;
import dev.lambdagate.sigv4.Credentials;
import dev.lambdagate.sigv4.PayloadHash;
import dev.lambdagate.sigv4.SigV4Signer;

/**
 * Signing mode for one request: strips the client's own signature headers, then signs with SigV4 as
 * the request leaves. The body is buffered only when the payload is signed ({@code unsignedPayload:
 * false}); with {@code UNSIGNED-PAYLOAD} it streams through.
 */
final class SigningStream implements StreamHandler {
  /** A client must not smuggle its own signature or identity past the filter. */
  private static final String[] CLIENT_SIGNATURE_HEADERS = {
    "authorization", "x-amz-date", "x-amz-security-token"
  };

  private final PreparedBackend backend;
  private HeaderList headers;
  private boolean signed;

  /** The signed body's SHA-256, fed chunk by chunk as Envoy buffers it; null when unsigned. */
  private RequestBodyHasher bodyHash;

  SigningStream(PreparedBackend backend) {
    this.backend = backend;
  }

  @Override
  public Action onRequestHeaders(int headerCount, boolean endOfStream) {
    SignConfig config = backend.signConfig();
    headers = Host.headers(AbiConstants.MAP_REQUEST_HEADERS);
    for (String name : CLIENT_SIGNATURE_HEADERS) {
      if (headers.remove(name) > 0) {
        Host.removeHeader(AbiConstants.MAP_REQUEST_HEADERS, name);
      }
    }
    // The client's payload hash never reaches AWS, but stays in the list given to the signer:
    // having one there makes the signer send and sign its own in its place (see SigV4Signer).
    if (headers.get(SigV4Signer.X_AMZ_CONTENT_SHA256) != null) {
      Host.removeHeader(AbiConstants.MAP_REQUEST_HEADERS, SigV4Signer.X_AMZ_CONTENT_SHA256);
    }
    if (config.hostRewrite() != null) {
      headers.set(":authority", config.hostRewrite());
      Host.replaceHeader(AbiConstants.MAP_REQUEST_HEADERS, ":authority", config.hostRewrite());
    }
    if (endOfStream || config.unsignedPayload()) {
      return sign(
          endOfStream && !config.unsignedPayload()
              ? PayloadHash.EMPTY_SHA256
              : PayloadHash.UNSIGNED_PAYLOAD);
    }
    bodyHash = new RequestBodyHasher();
    return Action.PAUSE; // wait for the whole body: its hash is signed
  }

  @Override
  public Action onRequestBody(int bodySize, boolean endOfStream) {
    if (signed) {
      return Action.CONTINUE;
    }
    if (bodyHash == null) {
      return Action.PAUSE; // signing waits for credentials; the gate resumes it
    }
    bodyHash.hashBuffered(bodySize);
    if (!endOfStream) {
      return Action.PAUSE; // Envoy buffers until the end of the stream
    }
    return sign(bodyHash.finish());
  }

  /**
   * A body that ends with trailers (HTTP/2) ends here: it is signed as at the end of the stream.
   * The trailers pass unsigned, as SigV4 signs none.
   */
  @Override
  public Action onRequestTrailers(int trailerCount) {
    if (signed) {
      return Action.CONTINUE;
    }
    if (bodyHash == null) {
      return Action.PAUSE; // signing waits for credentials; the gate resumes it
    }
    return sign(bodyHash.finish());
  }

  private Action sign(String payloadHash) {
    Credentials credentials = CredentialsGate.acquire(backend, () -> sign(payloadHash));
    if (credentials == null) {
      return Action.PAUSE; // answered 503, or resumed once STS has answered
    }
    RequestSigner.sign(backend.signer(), headers, payloadHash, credentials);
    signed = true;
    BackendStats stats = backend.stats();
    stats.signingAdded.increment();
    if (!PayloadHash.UNSIGNED_PAYLOAD.equals(payloadHash)) {
      stats.payloadSigningAdded.increment();
    }
    return Action.CONTINUE;
  }
}
