package dev.lambdagate.controlplane.model;

import dev.lambdagate.config.AwsRegion;
import dev.lambdagate.config.Endpoint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Where a request signed with a Gateway's credentials may be sent: the filter hands the receiver a
 * session token and a request it can replay for five minutes, so a Backend's {@code
 * lambda.endpointURL} and the STS endpoint must be AWS's own.
 *
 * <p>Allowed:
 *
 * <ul>
 *   <li>{@code https} on port 443 to an AWS endpoint name of the service: regional ({@code
 *       lambda.us-east-1.amazonaws.com}), FIPS ({@code lambda-fips.…}), dual-stack ({@code
 *       lambda.us-east-1.api.aws}, {@code lambda.dualstack.us-east-1.amazonaws.com}), the global
 *       {@code sts.amazonaws.com}, VPC interface endpoints ({@code
 *       vpce-…​.lambda.us-east-1.vpce.amazonaws.com}), in every partition the filter knows ({@code
 *       amazonaws.com}, {@code amazonaws.com.cn}, {@code c2s.ic.gov}, {@code sc2s.sgov.gov}, and
 *       {@code api.amazonwebservices.com.cn} for dual-stack in China);
 *   <li>loopback hosts ({@code localhost}, {@code 127.0.0.0/8}, {@code ::1}), over {@code http} or
 *       {@code https} on any port: emulators on the proxy's own machine;
 *   <li>hosts on the cluster operator's allowlist ({@code --endpoint-allowlist host[:port],…}),
 *       over {@code http} or {@code https}: the operator vouches for them. An entry without a port
 *       allows every port of that host.
 * </ul>
 *
 * Everything else is refused, including look-alikes ({@code lambda.us-east-1.amazonaws.com.evil
 * .com}), IP addresses other than loopback and AWS names on another port or over {@code http}.
 * Immutable and thread-safe.
 */
public final class EndpointPolicy {
  private static final String REGION = "[a-z]{2}(?:-[a-z]+)+-[0-9]+";

  /** The regional endpoint suffixes of every partition, as the filter knows them. */
  private static final String SUFFIX =
      Arrays.stream(AwsRegion.dnsSuffixes())
          .map(Pattern::quote)
          .collect(Collectors.joining("|", "(?:", ")"));

  private static final String DUALSTACK_SUFFIX = "(?:api\\.aws|api\\.amazonwebservices\\.com\\.cn)";

  private final List<AllowedHost> allowlist;

  /** One allowlist entry: a host, and a port or -1 for any. */
  private record AllowedHost(String host, int port) {}

  private EndpointPolicy(List<AllowedHost> allowlist) {
    this.allowlist = List.copyOf(allowlist);
  }

  /** AWS endpoints and loopback only. */
  public static EndpointPolicy awsOnly() {
    return new EndpointPolicy(List.of());
  }

  /**
   * AWS endpoints, loopback and the operator's {@code host[:port]} entries ({@code [v6]:port} for
   * IPv6 addresses).
   *
   * @throws IllegalArgumentException naming the bad entry
   */
  public static EndpointPolicy withAllowlist(List<String> entries) {
    List<AllowedHost> hosts = new ArrayList<>();
    for (String entry : entries) {
      String e = entry.strip();
      if (e.isEmpty()) {
        continue;
      }
      Endpoint parsed;
      try {
        parsed = Endpoint.parse("https://" + e);
      } catch (IllegalArgumentException ex) {
        throw new IllegalArgumentException("\"" + entry + "\" " + ex.getMessage());
      }
      boolean hasPort = e.startsWith("[") ? e.indexOf("]:") > 0 : e.indexOf(':') > 0;
      hosts.add(new AllowedHost(parsed.address(), hasPort ? parsed.port() : -1));
    }
    return new EndpointPolicy(hosts);
  }

  /**
   * Why {@code endpoint} may not receive requests for {@code service} ({@code lambda} or {@code
   * sts}), or null when it may.
   */
  public String violation(Endpoint endpoint, String service) {
    String host = endpoint.address();
    if (isLoopback(host)) {
      return null;
    }
    for (AllowedHost a : allowlist) {
      if (a.host().equals(host) && (a.port() < 0 || a.port() == endpoint.port())) {
        return null;
      }
    }
    boolean awsName = awsPattern(service).matcher(host).matches();
    if (!awsName) {
      return endpoint.url()
          + " is not an AWS "
          + service
          + " endpoint (https://"
          + service
          + ".<region>.amazonaws.com and its FIPS, dual-stack, VPC endpoint and partition "
          + "variants), not loopback and not on the operator's --endpoint-allowlist";
    }
    if (!endpoint.isTls()) {
      return endpoint.url()
          + " must use https: signed requests and session tokens must not "
          + "travel in clear text";
    }
    if (endpoint.port() != 443) {
      return endpoint.url() + " must use port 443, where AWS serves " + service;
    }
    return null;
  }

  /** {@code localhost}, {@code 127.0.0.0/8} written as four decimal octets, or {@code ::1}. */
  static boolean isLoopback(String host) {
    if (host.equals("localhost") || host.equals("::1") || host.equals("0:0:0:0:0:0:0:1")) {
      return true;
    }
    String[] octets = host.split("\\.", -1);
    if (octets.length != 4 || !octets[0].equals("127")) {
      return false;
    }
    for (String o : octets) {
      if (o.isEmpty()
          || o.length() > 3
          || !o.chars().allMatch(c -> c >= '0' && c <= '9')
          || Integer.parseInt(o) > 255) {
        return false;
      }
    }
    return true;
  }

  private static Pattern awsPattern(String service) {
    return service.equals("sts") ? STS : LAMBDA;
  }

  private static final Pattern LAMBDA = awsNames("lambda", false);
  private static final Pattern STS = awsNames("sts", true);

  private static Pattern awsNames(String service, boolean global) {
    String svc = service + "(?:-fips)?";
    List<String> forms = new ArrayList<>();
    forms.add(svc + "\\." + REGION + "\\." + SUFFIX);
    forms.add(svc + "\\.dualstack\\." + REGION + "\\." + SUFFIX);
    forms.add(svc + "\\." + REGION + "\\." + DUALSTACK_SUFFIX);
    forms.add(
        "vpce-[a-z0-9]+(?:-[a-z0-9]+)*\\." + service + "\\." + REGION + "\\.vpce\\." + SUFFIX);
    if (global) {
      forms.add(service + "\\." + SUFFIX);
    }
    return Pattern.compile("(?:" + String.join("|", forms) + ")");
  }
}
