package dev.lambdagate.controlplane.model;

import java.util.Comparator;

/**
 * Gateway API route precedence inside one virtual host: Exact paths, then regular expressions
 * (longest first; their rank is implementation-specific in Gateway API), then prefixes, longest
 * first (so {@code /} comes last), then a method match, more header matches, more query matches,
 * then the oldest route, then {@code ns/name}, then rule and match order.
 */
final class RoutePrecedence {
  private RoutePrecedence() {}

  private static int pathRank(RouteModel r) {
    return switch (r.matchSpec().pathType()) {
      case "Exact" -> 0;
      case "RegularExpression" -> 1;
      default -> 2;
    };
  }

  static final Comparator<RouteModel> ORDER =
      Comparator.comparingInt(RoutePrecedence::pathRank)
          .thenComparing(r -> -r.matchSpec().pathValue().length())
          .thenComparing(r -> r.matchSpec().method() == null ? 1 : 0)
          .thenComparing(r -> -r.matchSpec().headers().size())
          .thenComparing(r -> -r.matchSpec().queryParams().size())
          .thenComparing(RouteModel::creationTimestamp)
          .thenComparing(r -> r.route().namespacedName())
          .thenComparingInt(RouteModel::rule)
          .thenComparingInt(RouteModel::match);
}
