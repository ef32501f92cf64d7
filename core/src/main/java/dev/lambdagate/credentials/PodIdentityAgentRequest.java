package dev.lambdagate.credentials;

import dev.lambdagate.sigv4.Header;
import java.util.ArrayList;
import java.util.List;

/**
 * The EKS Pod Identity agent's credentials call, as the AWS SDKs' container credentials provider
 * sends it: {@code GET /v1/credentials} with the ServiceAccount token (audience {@code
 * pods.eks.amazonaws.com}) as the whole {@code Authorization} value, no {@code Bearer} prefix.
 * Stateless.
 */
public final class PodIdentityAgentRequest {
  /** What failure messages call the call (the transport prefixes nothing of its own). */
  public static final String ACTION = "EKS Pod Identity agent GetCredentials";

  /** The agent's credentials path. */
  public static final String PATH = "/v1/credentials";

  /** The agent's IPv4 link-local address, its default {@code :authority}. */
  public static final String DEFAULT_AUTHORITY = "169.254.170.23";

  private PodIdentityAgentRequest() {}

  /** The call to the agent at {@code authority} with {@code token}. */
  public static StsHttpRequest credentials(String authority, String token) {
    List<Header> headers = new ArrayList<>(5);
    headers.add(new Header(":method", "GET"));
    headers.add(new Header(":path", PATH));
    headers.add(new Header(":authority", authority));
    headers.add(new Header("authorization", token));
    headers.add(new Header("accept", "application/json"));
    return new StsHttpRequest(ACTION, headers, new byte[0]);
  }
}
