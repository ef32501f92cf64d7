package dev.lambdagate.controlplane.model;

import java.util.List;

/** An Envoy virtual host: the routes for some hostnames, in Gateway API precedence order. */
public record VirtualHostModel(String name, List<String> domains, List<RouteModel> routes) {
  public VirtualHostModel {
    domains = List.copyOf(domains);
    routes = List.copyOf(routes);
  }
}
