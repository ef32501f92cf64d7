package dev.lambdagate.config;

import dev.lambdagate.sigv4.Header;
import java.util.Collections;
import java.util.List;

/**
 * What a Gateway API rule's {@code URLRewrite} and {@code RequestHeaderModifier} do to the request
 * a Lambda function sees (its event), for one Envoy route. Envoy's router would apply them only
 * after the filter has turned the request into the signed Invoke call — too late for the event, and
 * fatal to the signature — so the control plane hands them to the filter instead ({@code
 * routeFilters} in docs/filter-config.md). Immutable.
 */
public final class RouteFilters {

  /** How the path is rewritten. */
  public enum PathRewrite {
    /** The path is left alone. */
    NONE,
    /** The whole path (not the query) becomes {@link #pathValue()}. */
    REPLACE_FULL_PATH,
    /** {@link #matchedPrefix()} at the start of the path becomes {@link #pathValue()}. */
    REPLACE_PREFIX_MATCH
  }

  private final String hostname;
  private final PathRewrite pathRewrite;
  private final String pathValue;
  private final String matchedPrefix;
  private final List<Header> set;
  private final List<Header> add;
  private final List<String> remove;

  RouteFilters(
      String hostname,
      PathRewrite pathRewrite,
      String pathValue,
      String matchedPrefix,
      List<Header> set,
      List<Header> add,
      List<String> remove) {
    this.hostname = hostname;
    this.pathRewrite = pathRewrite;
    this.pathValue = pathValue;
    this.matchedPrefix = matchedPrefix;
    this.set = Collections.unmodifiableList(set);
    this.add = Collections.unmodifiableList(add);
    this.remove = Collections.unmodifiableList(remove);
  }

  /** The Host the function sees, or null to keep the client's. */
  public String hostname() {
    return hostname;
  }

  public PathRewrite pathRewrite() {
    return pathRewrite;
  }

  /** The new path, or what replaces the matched prefix; null for {@link PathRewrite#NONE}. */
  public String pathValue() {
    return pathValue;
  }

  /** The route's {@code PathPrefix}; only for {@link PathRewrite#REPLACE_PREFIX_MATCH}. */
  public String matchedPrefix() {
    return matchedPrefix;
  }

  /** Headers replacing any of the same name (names in lower case). */
  public List<Header> set() {
    return set;
  }

  /** Headers added after any of the same name. */
  public List<Header> add() {
    return add;
  }

  /** Lower-case names of headers removed (before {@link #set()} and {@link #add()} apply). */
  public List<String> remove() {
    return remove;
  }

  @Override
  public String toString() {
    return "RouteFilters{hostname="
        + hostname
        + ", path="
        + pathRewrite
        + " "
        + pathValue
        + (matchedPrefix == null ? "" : " for " + matchedPrefix)
        + ", set="
        + set.size()
        + ", add="
        + add.size()
        + ", remove="
        + remove
        + "}";
  }
}
