package dev.lambdagate.config;

/**
 * What a route carries for the filter when the routed backends configuration says {@code
 * "routeMetadata": true}: in the Envoy route's {@code metadata.filter_metadata["dev.lambdagate"]},
 * two strings — {@code route}, this entry's JSON, and {@code version}, which changes whenever the
 * entry does. The entry is {@code {"filters": {...}}} (what the route's rule does to the request
 * the function sees, the value of a {@code routeFilters} entry) or {@code {"error": "..."}} (a
 * broken route: answered 500 {@code backend_invalid}). A route without the metadata has neither.
 * The filter reads the properties {@code xds.route_metadata.filter_metadata.dev.lambdagate.version}
 * and {@code ….route}, which Envoy resolves once routing matched the route.
 *
 * <p>Why: with route filters and broken routes in the Listener's filter JSON, a change of one
 * route's filters re-sent the Listener and drained its connections; in the route, it travels with
 * the route table that changes anyway. Immutable.
 */
public final class RouteMetadataEntry {
  /** The key of the entry's JSON (next to {@link ClusterMetadataBackend#VERSION_KEY}). */
  public static final String ROUTE_KEY = "route";

  private final RouteFilters filters;
  private final InvalidBackend invalid;

  RouteMetadataEntry(RouteFilters filters, InvalidBackend invalid) {
    this.filters = filters;
    this.invalid = invalid;
  }

  /** What the route's rule does to the event, or null. */
  public RouteFilters filters() {
    return filters;
  }

  /** The error a broken route answers with, or null. */
  public InvalidBackend invalid() {
    return invalid;
  }
}
