package dev.lambdagate.harness.dataplane;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.StringValue;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.QueryParameterMatcher;
import io.envoyproxy.envoy.config.route.v3.RedirectAction;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.http.wasm.v3.Wasm;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.extensions.wasm.v3.FailurePolicy;
import io.envoyproxy.envoy.extensions.wasm.v3.PluginConfig;
import io.envoyproxy.envoy.extensions.wasm.v3.VmConfig;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatchAndSubstitute;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Turns Envoy v3 xDS resources into the embedded data plane's model, or rejects them with a message
 * naming the resource and the field (the NACK's {@code error_detail}). Anything that changes which
 * request goes where and is not implemented is rejected rather than ignored: serving it wrongly
 * would be worse than keeping the last good configuration.
 */
public final class XdsTranslator {
  public static final String LISTENER_TYPE =
      "type.googleapis.com/envoy.config.listener.v3.Listener";
  public static final String CLUSTER_TYPE = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
  public static final String ROUTE_TYPE =
      "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";

  static final String HCM_TYPE =
      "type.googleapis.com/" + HttpConnectionManager.getDescriptor().getFullName();
  static final String WASM_TYPE = "type.googleapis.com/" + Wasm.getDescriptor().getFullName();
  static final String ROUTER_TYPE = "type.googleapis.com/" + Router.getDescriptor().getFullName();
  static final String TLS_TYPE =
      "type.googleapis.com/" + UpstreamTlsContext.getDescriptor().getFullName();
  static final String RAW_BUFFER_TYPE =
      "type.googleapis.com/" + "envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer";

  private XdsTranslator() {}

  // ---------------------------------------------------------------------------------- CDS

  public static ClusterConfig cluster(Cluster c) throws XdsRejectedException {
    String where = "cluster '" + c.getName() + "'";
    if (c.getName().isEmpty()) {
      throw new XdsRejectedException("cluster: name is empty");
    }
    if (c.hasClusterType()) {
      throw new XdsRejectedException(where + ": cluster_type (custom cluster) is not supported");
    }
    switch (c.getType()) {
      case STATIC, STRICT_DNS, LOGICAL_DNS -> {}
      default ->
          throw new XdsRejectedException(
              where
                  + ": type "
                  + c.getType()
                  + " is not supported (STATIC, STRICT_DNS, LOGICAL_DNS with an inline load_assignment)");
    }
    List<ClusterConfig.Endpoint> endpoints = new ArrayList<>();
    for (LocalityLbEndpoints locality : c.getLoadAssignment().getEndpointsList()) {
      for (LbEndpoint lb : locality.getLbEndpointsList()) {
        if (!lb.hasEndpoint()) {
          throw new XdsRejectedException(
              where
                  + ": lb_endpoints without an endpoint "
                  + "(named endpoints are not supported)");
        }
        endpoints.add(endpoint(lb.getEndpoint().getAddress(), where));
      }
    }
    boolean tls = false;
    String sni = "";
    if (c.hasTransportSocket()) {
      var ts = c.getTransportSocket();
      String type = ts.hasTypedConfig() ? ts.getTypedConfig().getTypeUrl() : "";
      if (type.equals(TLS_TYPE)
          || (type.isEmpty() && ts.getName().equals("envoy.transport_sockets.tls"))) {
        tls = true;
        if (ts.hasTypedConfig()) {
          try {
            sni = ts.getTypedConfig().unpack(UpstreamTlsContext.class).getSni();
          } catch (InvalidProtocolBufferException e) {
            throw new XdsRejectedException(
                where + ": transport_socket: invalid " + "UpstreamTlsContext: " + e.getMessage(),
                e);
          }
        }
      } else if (!(type.equals(RAW_BUFFER_TYPE)
          || (type.isEmpty() && ts.getName().equals("envoy.transport_sockets.raw_buffer")))) {
        throw new XdsRejectedException(
            where
                + ": transport_socket '"
                + ts.getName()
                + "' ("
                + type
                + ") is not supported (envoy.transport_sockets.tls or raw_buffer)");
      }
    }
    if (tls && !sni.isEmpty()) {
      for (ClusterConfig.Endpoint e : endpoints) {
        if (!e.host().equalsIgnoreCase(sni)) {
          throw new XdsRejectedException(
              where
                  + ": sni '"
                  + sni
                  + "' differs from endpoint "
                  + "host '"
                  + e.host()
                  + "'; the embedded data plane sends the endpoint host as "
                  + "SNI (and verifies the certificate against it)");
        }
      }
    }
    Duration connectTimeout =
        c.hasConnectTimeout() ? duration(c.getConnectTimeout()) : Duration.ofSeconds(5);
    return new ClusterConfig(
        c.getName(), endpoints, tls, sni, connectTimeout, stringFilterMetadata(c.getMetadata()));
  }

  /**
   * The string values at the top level of each {@code metadata.filter_metadata} namespace: what a
   * Wasm filter reads through {@code xds.cluster_metadata.filter_metadata.<namespace>.<key>}. Envoy
   * would also answer for numbers, booleans and nested Structs (serialized as their protobuf
   * values); lambdagate's filter reads only string keys, so the embedded data plane models those
   * and leaves the rest out (a filter reading one here gets "not found").
   */
  /**
   * Metadata strings as Wasm properties, as Envoy's Wasm host resolves them: path {@code [xds,
   * <attribute>, filter_metadata, <namespace>, <key>]} to the string's UTF-8 bytes ({@code
   * attribute}: {@code cluster_metadata} or {@code route_metadata}). A path not here is "not
   * found".
   */
  static Map<List<String>, byte[]> metadataProperties(
      String attribute, Map<String, Map<String, String>> metadata) {
    Map<List<String>, byte[]> properties = new LinkedHashMap<>();
    metadata.forEach(
        (ns, values) ->
            values.forEach(
                (key, value) ->
                    properties.put(
                        List.of("xds", attribute, "filter_metadata", ns, key),
                        value.getBytes(StandardCharsets.UTF_8))));
    return properties;
  }

  static Map<String, Map<String, String>> stringFilterMetadata(
      io.envoyproxy.envoy.config.core.v3.Metadata source) {
    Map<String, Map<String, String>> metadata = new LinkedHashMap<>();
    source
        .getFilterMetadataMap()
        .forEach(
            (namespace, struct) -> {
              Map<String, String> strings = new LinkedHashMap<>();
              struct
                  .getFieldsMap()
                  .forEach(
                      (key, value) -> {
                        if (value.getKindCase()
                            == com.google.protobuf.Value.KindCase.STRING_VALUE) {
                          strings.put(key, value.getStringValue());
                        }
                      });
              metadata.put(namespace, strings);
            });
    return metadata;
  }

  private static ClusterConfig.Endpoint endpoint(Address address, String where)
      throws XdsRejectedException {
    if (!address.hasSocketAddress()) {
      throw new XdsRejectedException(where + ": only socket_address endpoints are supported");
    }
    SocketAddress sa = address.getSocketAddress();
    if (sa.getPortSpecifierCase() != SocketAddress.PortSpecifierCase.PORT_VALUE) {
      throw new XdsRejectedException(
          where + ": endpoint " + sa.getAddress() + " needs a port_value");
    }
    return new ClusterConfig.Endpoint(sa.getAddress(), sa.getPortValue());
  }

  // ---------------------------------------------------------------------------------- LDS

  public static ListenerConfig listener(Listener l) throws XdsRejectedException {
    String where = "listener '" + l.getName() + "'";
    if (!l.getAddress().hasSocketAddress()) {
      throw new XdsRejectedException(where + ": address.socket_address is required");
    }
    SocketAddress sa = l.getAddress().getSocketAddress();
    if (sa.getPortSpecifierCase() != SocketAddress.PortSpecifierCase.PORT_VALUE) {
      throw new XdsRejectedException(where + ": address needs a port_value");
    }
    List<FilterChain> chains = new ArrayList<>(l.getFilterChainsList());
    if (l.hasDefaultFilterChain()) {
      chains.add(l.getDefaultFilterChain());
    }
    DownstreamTlsTranslator.checkListenerFilters(l, where);
    if (chains.isEmpty()) {
      throw new XdsRejectedException(where + ": no filter chains");
    }
    FilterChain chain = chains.get(0);
    ServerTls tls = null;
    if (chain.hasTransportSocket()) {
      // Downstream TLS: several chains, told apart by SNI, all running the same connection
      // manager (the control plane's shape: one per Gateway listener of the port).
      for (FilterChain other : chains) {
        if (!other.hasTransportSocket()) {
          throw new XdsRejectedException(
              where + ": plaintext and TLS filter chains on one listener are not supported");
        }
        if (!other.getFiltersList().equals(chain.getFiltersList())) {
          throw new XdsRejectedException(
              where + ": TLS filter chains with different network filters are not supported");
        }
      }
      tls = DownstreamTlsTranslator.serverTls(chains, where);
    } else if (chains.size() != 1) {
      throw new XdsRejectedException(
          where + ": exactly one filter chain is supported without TLS, got " + chains.size());
    }
    if (chain.getFiltersCount() != 1) {
      throw new XdsRejectedException(
          where
              + ": the filter chain must hold exactly one network "
              + "filter, envoy.filters.network.http_connection_manager");
    }
    Filter filter = chain.getFilters(0);
    if (!filter.hasTypedConfig() || !filter.getTypedConfig().getTypeUrl().equals(HCM_TYPE)) {
      throw new XdsRejectedException(
          where
              + ": network filter '"
              + filter.getName()
              + "' is not supported (only envoy.filters.network.http_connection_manager)");
    }
    HttpConnectionManager hcm;
    try {
      hcm = filter.getTypedConfig().unpack(HttpConnectionManager.class);
    } catch (InvalidProtocolBufferException e) {
      throw new XdsRejectedException(
          where + ": invalid HttpConnectionManager: " + e.getMessage(), e);
    }
    String rdsName = null;
    RouteTable inline = null;
    switch (hcm.getRouteSpecifierCase()) {
      case RDS -> {
        var rds = hcm.getRds();
        if (!rds.getConfigSource().hasAds()) {
          throw new XdsRejectedException(where + ": rds.config_source must be ads");
        }
        rdsName = rds.getRouteConfigName();
        if (rdsName.isEmpty()) {
          throw new XdsRejectedException(where + ": rds.route_config_name is empty");
        }
      }
      case ROUTE_CONFIG -> inline = routes(hcm.getRouteConfig());
      default ->
          throw new XdsRejectedException(
              where
                  + ": HttpConnectionManager needs rds or "
                  + "route_config ("
                  + hcm.getRouteSpecifierCase()
                  + " is not supported)");
    }
    WasmPluginConfig wasm = null;
    boolean router = false;
    for (HttpFilter hf : hcm.getHttpFiltersList()) {
      String fwhere = where + ": http_filters '" + hf.getName() + "'";
      if (router) {
        throw new XdsRejectedException(fwhere + ": no filter may follow the router");
      }
      if (hf.getDisabled()) {
        continue;
      }
      if (hf.hasConfigDiscovery()) {
        throw new XdsRejectedException(fwhere + ": config_discovery (ECDS) is not supported");
      }
      String type = hf.hasTypedConfig() ? hf.getTypedConfig().getTypeUrl() : "";
      if (type.equals(ROUTER_TYPE)
          || (type.isEmpty() && hf.getName().equals("envoy.filters.http.router"))) {
        router = true;
      } else if (type.equals(WASM_TYPE)) {
        if (wasm != null) {
          throw new XdsRejectedException(
              fwhere + ": only one Wasm filter per listener is " + "supported");
        }
        wasm = wasm(hf.getTypedConfig(), fwhere);
      } else if (hf.getIsOptional()) {
        continue; // Envoy skips an optional filter it does not know
      } else {
        throw new XdsRejectedException(
            fwhere
                + ": unsupported http filter type '"
                + (type.isEmpty() ? "(none)" : type)
                + "' (supported: envoy.filters.http.wasm, "
                + "envoy.filters.http.router)");
      }
    }
    if (!router) {
      throw new XdsRejectedException(
          where + ": http_filters must end with " + "envoy.filters.http.router");
    }
    long bufferLimit =
        l.hasPerConnectionBufferLimitBytes()
            ? Integer.toUnsignedLong(l.getPerConnectionBufferLimitBytes().getValue())
            : ListenerConfig.DEFAULT_BUFFER_LIMIT;
    return new ListenerConfig(
        l.getName(),
        sa.getAddress(),
        sa.getPortValue(),
        rdsName,
        inline,
        wasm,
        hcm.getStripAnyHostPort(),
        bufferLimit,
        requestLimits(hcm, where),
        tls);
  }

  /** The HCM's request checks (Envoy's defaults where a field is not set). */
  static RequestLimits requestLimits(HttpConnectionManager hcm, String where)
      throws XdsRejectedException {
    var common = hcm.getCommonHttpProtocolOptions();
    int headersKb = hcm.hasMaxRequestHeadersKb() ? hcm.getMaxRequestHeadersKb().getValue() : 60;
    int count = common.hasMaxHeadersCount() ? common.getMaxHeadersCount().getValue() : 100;
    var underscores = common.getHeadersWithUnderscoresAction();
    if (underscores
        == io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions.HeadersWithUnderscoresAction
            .UNRECOGNIZED) {
      throw new XdsRejectedException(where + ": unknown headers_with_underscores_action");
    }
    RequestLimits.EscapedSlashes escaped =
        switch (hcm.getPathWithEscapedSlashesAction()) {
          case IMPLEMENTATION_SPECIFIC_DEFAULT, KEEP_UNCHANGED ->
              RequestLimits.EscapedSlashes.KEEP_UNCHANGED;
          case REJECT_REQUEST -> RequestLimits.EscapedSlashes.REJECT_REQUEST;
          case UNESCAPE_AND_REDIRECT -> RequestLimits.EscapedSlashes.UNESCAPE_AND_REDIRECT;
          case UNESCAPE_AND_FORWARD -> RequestLimits.EscapedSlashes.UNESCAPE_AND_FORWARD;
          default ->
              throw new XdsRejectedException(
                  where + ": unknown " + "path_with_escaped_slashes_action");
        };
    Duration headersTimeout =
        hcm.hasRequestHeadersTimeout()
                && duration(hcm.getRequestHeadersTimeout()).compareTo(Duration.ZERO) > 0
            ? duration(hcm.getRequestHeadersTimeout())
            : null;
    return new RequestLimits(
        headersKb * 1024,
        count,
        underscores
            == io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions.HeadersWithUnderscoresAction
                .REJECT_REQUEST,
        underscores
            == io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions.HeadersWithUnderscoresAction
                .DROP_HEADER,
        hcm.hasNormalizePath() && hcm.getNormalizePath().getValue(),
        hcm.getMergeSlashes(),
        escaped,
        headersTimeout);
  }

  private static WasmPluginConfig wasm(Any any, String where) throws XdsRejectedException {
    PluginConfig plugin;
    try {
      plugin = any.unpack(Wasm.class).getConfig();
    } catch (InvalidProtocolBufferException e) {
      throw new XdsRejectedException(where + ": invalid Wasm config: " + e.getMessage(), e);
    }
    String configuration = "";
    if (plugin.hasConfiguration()) {
      Any c = plugin.getConfiguration();
      if (!c.is(StringValue.class)) {
        throw new XdsRejectedException(
            where
                + ": configuration must be a "
                + "google.protobuf.StringValue (got "
                + c.getTypeUrl()
                + ")");
      }
      try {
        configuration = c.unpack(StringValue.class).getValue();
      } catch (InvalidProtocolBufferException e) {
        throw new XdsRejectedException(where + ": invalid configuration: " + e.getMessage(), e);
      }
    }
    if (plugin.getVmCase() != PluginConfig.VmCase.VM_CONFIG) {
      throw new XdsRejectedException(where + ": vm_config is required");
    }
    VmConfig vm = plugin.getVmConfig();
    String sha256 = "";
    String source;
    var code = vm.getCode();
    if (code.hasLocal()) {
      var local = code.getLocal();
      source = local.hasFilename() ? local.getFilename() : "(inline code)";
    } else if (code.hasRemote()) {
      sha256 = code.getRemote().getSha256().toLowerCase(Locale.ROOT);
      source = code.getRemote().getHttpUri().getUri();
    } else {
      throw new XdsRejectedException(where + ": vm_config.code needs local or remote");
    }
    // FAIL_OPEN would forward a request unsigned, with the client's own Authorization, when the
    // VM fails: lambdagate never asks for it and the embedded data plane refuses to model it.
    if (plugin.getFailOpen() || plugin.getFailurePolicy() == FailurePolicy.FAIL_OPEN) {
      throw new XdsRejectedException(
          where
              + ": failure_policy FAIL_OPEN (or fail_open) is not "
              + "supported: a failed filter must never let a request through unsigned");
    }
    if (plugin.getFailurePolicy() == FailurePolicy.UNRECOGNIZED) {
      throw new XdsRejectedException(where + ": unknown failure_policy");
    }
    boolean reload = plugin.getFailurePolicy() == FailurePolicy.FAIL_RELOAD;
    var backoff = plugin.getReloadConfig().getBackoff();
    Duration base =
        backoff.hasBaseInterval() ? duration(backoff.getBaseInterval()) : Duration.ofSeconds(1);
    Duration max =
        backoff.hasMaxInterval() ? duration(backoff.getMaxInterval()) : base.multipliedBy(10);
    if (base.compareTo(Duration.ofMillis(1)) < 0 || max.compareTo(base) < 0) {
      throw new XdsRejectedException(
          where
              + ": reload_config.backoff needs base_interval >= "
              + "1ms and max_interval >= base_interval");
    }
    return new WasmPluginConfig(
        plugin.getName(), plugin.getRootId(), configuration, sha256, source, reload, base, max);
  }

  // ---------------------------------------------------------------------------------- RDS

  public static RouteTable routes(RouteConfiguration rc) throws XdsRejectedException {
    String where = "route configuration '" + rc.getName() + "'";
    if (rc.hasVhds()) {
      throw new XdsRejectedException(where + ": vhds is not supported");
    }
    List<RouteTable.VirtualHost> hosts = new ArrayList<>();
    for (VirtualHost vh : rc.getVirtualHostsList()) {
      String vwhere = where + ", virtual host '" + vh.getName() + "'";
      if (vh.getDomainsCount() == 0) {
        throw new XdsRejectedException(vwhere + ": domains is empty");
      }
      for (String d : vh.getDomainsList()) {
        if (d.isEmpty()
            || (d.indexOf('*') >= 0 && !d.equals("*") && !d.startsWith("*") && !d.endsWith("*"))
            || d.indexOf('*') != d.lastIndexOf('*')) {
          throw new XdsRejectedException(vwhere + ": invalid domain '" + d + "'");
        }
      }
      List<RouteTable.Route> routes = new ArrayList<>();
      for (int i = 0; i < vh.getRoutesCount(); i++) {
        Route r = vh.getRoutes(i);
        String rwhere =
            vwhere + ", route " + (r.getName().isEmpty() ? "#" + i : "'" + r.getName() + "'");
        routes.add(route(r, rwhere));
      }
      hosts.add(
          new RouteTable.VirtualHost(
              vh.getName(),
              vh.getDomainsList(),
              routes,
              mutation(vh.getRequestHeadersToAddList(), vh.getRequestHeadersToRemoveList())));
    }
    return new RouteTable(
        rc.getName(),
        hosts,
        mutation(rc.getRequestHeadersToAddList(), rc.getRequestHeadersToRemoveList()),
        rc.getIgnorePortInHostMatching());
  }

  private static RouteTable.Route route(Route r, String where) throws XdsRejectedException {
    RouteMatch m = r.getMatch();
    Predicate<RouteTable.Request> matcher = pathMatcher(m, where);
    for (HeaderMatcher hm : m.getHeadersList()) {
      matcher = matcher.and(headerMatcher(hm, where));
    }
    for (QueryParameterMatcher qm : m.getQueryParametersList()) {
      matcher = matcher.and(queryMatcher(qm, where));
    }
    RouteTable.Action action;
    switch (r.getActionCase()) {
      case ROUTE -> action = forward(r.getRoute(), m, where);
      case DIRECT_RESPONSE -> {
        var dr = r.getDirectResponse();
        byte[] body = new byte[0];
        if (dr.hasBody()) {
          var b = dr.getBody();
          if (b.hasInlineString()) {
            body = b.getInlineString().getBytes(StandardCharsets.UTF_8);
          } else if (b.hasInlineBytes()) {
            body = b.getInlineBytes().toByteArray();
          } else {
            throw new XdsRejectedException(where + ": direct_response.body must be inline");
          }
        }
        if (dr.getStatus() < 200 || dr.getStatus() > 599) {
          throw new XdsRejectedException(
              where + ": direct_response.status " + dr.getStatus() + " is out of range");
        }
        action = new RouteTable.DirectResponse(dr.getStatus(), body);
      }
      case REDIRECT -> action = redirect(r.getRedirect(), m, where);
      default ->
          throw new XdsRejectedException(
              where
                  + ": action "
                  + r.getActionCase()
                  + " is not supported (route, direct_response or redirect)");
    }
    return new RouteTable.Route(
        r.getName(),
        matcher,
        action,
        mutation(r.getRequestHeadersToAddList(), r.getRequestHeadersToRemoveList()),
        stringFilterMetadata(r.getMetadata()));
  }

  private static Predicate<RouteTable.Request> pathMatcher(RouteMatch m, String where)
      throws XdsRejectedException {
    if (m.hasGrpc()
        || m.hasRuntimeFraction()
        || m.hasTlsContext()
        || m.hasConnectMatcher()
        || m.hasPathMatchPolicy()
        || m.getDynamicMetadataCount() > 0
        || m.getFilterStateCount() > 0) {
      throw new XdsRejectedException(
          where
              + ": match uses a field that is not supported "
              + "(only prefix, path, safe_regex, path_separated_prefix, case_sensitive, headers, "
              + "query_parameters)");
    }
    boolean caseSensitive = !m.hasCaseSensitive() || m.getCaseSensitive().getValue();
    switch (m.getPathSpecifierCase()) {
      case PREFIX -> {
        String prefix = m.getPrefix();
        return caseSensitive
            ? req -> req.path().startsWith(prefix)
            : req -> req.path().regionMatches(true, 0, prefix, 0, prefix.length());
      }
      case PATH -> {
        String path = m.getPath();
        return caseSensitive
            ? req -> req.pathOnly().equals(path)
            : req -> req.pathOnly().equalsIgnoreCase(path);
      }
      case SAFE_REGEX -> {
        Pattern p = regex(m.getSafeRegex(), where, caseSensitive ? 0 : Pattern.CASE_INSENSITIVE);
        return req -> p.matcher(req.pathOnly()).matches();
      }
      case PATH_SEPARATED_PREFIX -> {
        String prefix = m.getPathSeparatedPrefix();
        return req -> {
          String p = req.pathOnly();
          boolean starts =
              caseSensitive
                  ? p.startsWith(prefix)
                  : p.regionMatches(true, 0, prefix, 0, prefix.length());
          return starts && (p.length() == prefix.length() || p.charAt(prefix.length()) == '/');
        };
      }
      default ->
          throw new XdsRejectedException(
              where
                  + ": match needs prefix, path, "
                  + "safe_regex or path_separated_prefix (got "
                  + m.getPathSpecifierCase()
                  + ")");
    }
  }

  private static Predicate<RouteTable.Request> headerMatcher(HeaderMatcher hm, String where)
      throws XdsRejectedException {
    String name = hm.getName().toLowerCase(Locale.ROOT);
    String hwhere = where + ": header matcher '" + hm.getName() + "'";
    Predicate<String> value;
    switch (hm.getHeaderMatchSpecifierCase()) {
      case EXACT_MATCH -> {
        String v = hm.getExactMatch();
        value = s -> s != null && s.equals(v);
      }
      case PREFIX_MATCH -> {
        String v = hm.getPrefixMatch();
        value = s -> s != null && s.startsWith(v);
      }
      case SUFFIX_MATCH -> {
        String v = hm.getSuffixMatch();
        value = s -> s != null && s.endsWith(v);
      }
      case CONTAINS_MATCH -> {
        String v = hm.getContainsMatch();
        value = s -> s != null && s.contains(v);
      }
      case SAFE_REGEX_MATCH -> {
        Pattern p = regex(hm.getSafeRegexMatch(), hwhere, 0);
        value = s -> s != null && p.matcher(s).matches();
      }
      case PRESENT_MATCH -> {
        boolean want = hm.getPresentMatch();
        value = s -> (s != null) == want;
      }
      case STRING_MATCH -> {
        Predicate<String> sm = stringMatcher(hm.getStringMatch(), hwhere);
        value = s -> s != null && sm.test(s);
      }
      case HEADERMATCHSPECIFIER_NOT_SET -> value = s -> s != null;
      default ->
          throw new XdsRejectedException(
              hwhere + ": " + hm.getHeaderMatchSpecifierCase() + " is not supported");
    }
    boolean invert = hm.getInvertMatch();
    boolean missingAsEmpty = hm.getTreatMissingHeaderAsEmpty();
    Predicate<String> v = value;
    return req -> {
      String actual = headerValue(req, name);
      if (actual == null && missingAsEmpty) {
        actual = "";
      }
      return v.test(actual) != invert;
    };
  }

  /** Envoy joins repeated headers with ',' for matching. */
  private static String headerValue(RouteTable.Request req, String name) {
    StringBuilder joined = null;
    for (String[] h : req.headers()) {
      if (h[0].equals(name)) {
        if (joined == null) {
          joined = new StringBuilder(h[1]);
        } else {
          joined.append(',').append(h[1]);
        }
      }
    }
    return joined == null ? null : joined.toString();
  }

  private static Predicate<RouteTable.Request> queryMatcher(QueryParameterMatcher qm, String where)
      throws XdsRejectedException {
    String name = qm.getName();
    String qwhere = where + ": query parameter matcher '" + name + "'";
    Predicate<String> value;
    if (qm.hasStringMatch()) {
      value = stringMatcher(qm.getStringMatch(), qwhere);
    } else if (qm.hasPresentMatch()) {
      value = s -> true;
    } else {
      value = s -> true; // no specifier: presence
    }
    return req -> {
      for (String pair : req.query().split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String k = decode(eq < 0 ? pair : pair.substring(0, eq));
        String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
        if (k.equals(name)) {
          return value.test(v);
        }
      }
      return false;
    };
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s;
    }
  }

  private static Predicate<String> stringMatcher(StringMatcher sm, String where)
      throws XdsRejectedException {
    boolean ic = sm.getIgnoreCase();
    switch (sm.getMatchPatternCase()) {
      case EXACT -> {
        String v = sm.getExact();
        return ic ? s -> s.equalsIgnoreCase(v) : s -> s.equals(v);
      }
      case PREFIX -> {
        String v = sm.getPrefix();
        return s -> s.regionMatches(ic, 0, v, 0, v.length());
      }
      case SUFFIX -> {
        String v = sm.getSuffix();
        return s ->
            s.length() >= v.length()
                && s.regionMatches(ic, s.length() - v.length(), v, 0, v.length());
      }
      case CONTAINS -> {
        String v = ic ? sm.getContains().toLowerCase(Locale.ROOT) : sm.getContains();
        return s -> (ic ? s.toLowerCase(Locale.ROOT) : s).contains(v);
      }
      case SAFE_REGEX -> {
        Pattern p = regex(sm.getSafeRegex(), where, 0);
        return s -> p.matcher(s).matches();
      }
      default ->
          throw new XdsRejectedException(
              where + ": string matcher " + sm.getMatchPatternCase() + " is not supported");
    }
  }

  private static Pattern regex(RegexMatcher rm, String where, int flags)
      throws XdsRejectedException {
    try {
      return Pattern.compile(rm.getRegex(), flags);
    } catch (PatternSyntaxException e) {
      throw new XdsRejectedException(
          where + ": invalid regex '" + rm.getRegex() + "': " + e.getDescription(), e);
    }
  }

  private static RouteTable.Forward forward(RouteAction a, RouteMatch m, String where)
      throws XdsRejectedException {
    List<RouteTable.WeightedCluster> clusters = new ArrayList<>();
    int total = 0;
    switch (a.getClusterSpecifierCase()) {
      case CLUSTER ->
          clusters.add(
              new RouteTable.WeightedCluster(a.getCluster(), 1, HeaderMutation.NONE, null));
      case WEIGHTED_CLUSTERS -> {
        WeightedCluster wc = a.getWeightedClusters();
        if (wc.hasHeaderName() || !wc.getRuntimeKeyPrefix().isEmpty()) {
          throw new XdsRejectedException(
              where
                  + ": weighted_clusters.header_name / "
                  + "runtime_key_prefix are not supported");
        }
        for (WeightedCluster.ClusterWeight cw : wc.getClustersList()) {
          if (cw.getName().isEmpty()) {
            throw new XdsRejectedException(
                where + ": weighted cluster without a name " + "(cluster_header is not supported)");
          }
          clusters.add(
              new RouteTable.WeightedCluster(
                  cw.getName(),
                  cw.hasWeight() ? cw.getWeight().getValue() : 0,
                  mutation(cw.getRequestHeadersToAddList(), cw.getRequestHeadersToRemoveList()),
                  cw.hasHostRewriteLiteral() ? cw.getHostRewriteLiteral() : null));
        }
        if (clusters.isEmpty()) {
          throw new XdsRejectedException(where + ": weighted_clusters is empty");
        }
        total = wc.hasTotalWeight() ? wc.getTotalWeight().getValue() : 0;
      }
      default ->
          throw new XdsRejectedException(
              where
                  + ": route action needs cluster or "
                  + "weighted_clusters ("
                  + a.getClusterSpecifierCase()
                  + " is not supported)");
    }
    if (a.hasPathRewritePolicy() || a.hasHostRewriteHeader() || a.hasHostRewritePathRegex()) {
      throw new XdsRejectedException(
          where
              + ": path_rewrite_policy, host_rewrite_header and "
              + "host_rewrite_path_regex are not supported");
    }
    RouteTable.PathRewrite pathRewrite =
        pathRewrite(
            a.getPrefixRewrite(), a.hasRegexRewrite() ? a.getRegexRewrite() : null, m, where);
    Duration timeout = a.hasTimeout() ? duration(a.getTimeout()) : Duration.ofSeconds(15);
    RouteRetry retry = a.hasRetryPolicy() ? RouteRetry.of(a.getRetryPolicy(), where) : null;
    return new RouteTable.Forward(
        clusters,
        total,
        pathRewrite,
        a.hasHostRewriteLiteral() ? a.getHostRewriteLiteral() : null,
        a.hasAutoHostRewrite() && a.getAutoHostRewrite().getValue(),
        timeout,
        retry);
  }

  private static RouteTable.Redirect redirect(RedirectAction a, RouteMatch m, String where)
      throws XdsRejectedException {
    String scheme = null;
    if (!a.getSchemeRedirect().isEmpty()) {
      scheme = a.getSchemeRedirect().toLowerCase(java.util.Locale.ROOT);
    } else if (a.getHttpsRedirect()) {
      scheme = "https";
    }
    if (a.getPortRedirect() > 65535) {
      throw new XdsRejectedException(where + ": redirect.port_redirect " + a.getPortRedirect());
    }
    String pathRedirect =
        a.getPathRewriteSpecifierCase() == RedirectAction.PathRewriteSpecifierCase.PATH_REDIRECT
            ? a.getPathRedirect()
            : null;
    RouteTable.PathRewrite pathRewrite =
        pathRewrite(
            a.getPrefixRewrite(), a.hasRegexRewrite() ? a.getRegexRewrite() : null, m, where);
    int status =
        switch (a.getResponseCode()) {
          case MOVED_PERMANENTLY -> 301;
          case FOUND -> 302;
          case SEE_OTHER -> 303;
          case TEMPORARY_REDIRECT -> 307;
          case PERMANENT_REDIRECT -> 308;
          default ->
              throw new XdsRejectedException(
                  where + ": redirect.response_code " + a.getResponseCodeValue());
        };
    return new RouteTable.Redirect(
        scheme,
        a.getHostRedirect().isEmpty() ? null : a.getHostRedirect(),
        a.getPortRedirect(),
        pathRedirect,
        pathRewrite,
        a.getStripQuery(),
        status);
  }

  /**
   * A route's or a redirect's path rewrite: {@code prefix_rewrite} (empty for none), which replaces
   * the match's prefix or path, or {@code regex_rewrite} (null for none); not both.
   */
  private static RouteTable.PathRewrite pathRewrite(
      String prefixRewrite, RegexMatchAndSubstitute regexRewrite, RouteMatch m, String where)
      throws XdsRejectedException {
    if (!prefixRewrite.isEmpty()) {
      if (regexRewrite != null) {
        throw new XdsRejectedException(where + ": prefix_rewrite and regex_rewrite together");
      }
      String matchedPrefix =
          switch (m.getPathSpecifierCase()) {
            case PREFIX -> m.getPrefix();
            case PATH -> m.getPath();
            case PATH_SEPARATED_PREFIX -> m.getPathSeparatedPrefix();
            default ->
                throw new XdsRejectedException(
                    where + ": prefix_rewrite needs a prefix or path match");
          };
      return new RouteTable.PathRewrite(matchedPrefix, prefixRewrite, null, null);
    }
    if (regexRewrite != null) {
      return new RouteTable.PathRewrite(
          null,
          null,
          regex(regexRewrite.getPattern(), where, 0),
          toJavaReplacement(regexRewrite.getSubstitution()));
    }
    return RouteTable.PathRewrite.NONE;
  }

  /** RE2 substitutions use {@code \1}; Java uses {@code $1}. */
  static String toJavaReplacement(String re2) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < re2.length(); i++) {
      char c = re2.charAt(i);
      if (c == '\\' && i + 1 < re2.length()) {
        char n = re2.charAt(++i);
        if (Character.isDigit(n)) {
          out.append('$').append(n);
        } else {
          out.append(java.util.regex.Matcher.quoteReplacement(String.valueOf(n)));
        }
      } else {
        out.append(java.util.regex.Matcher.quoteReplacement(String.valueOf(c)));
      }
    }
    return out.toString();
  }

  private static HeaderMutation mutation(List<HeaderValueOption> add, List<String> remove) {
    if (add.isEmpty() && remove.isEmpty()) {
      return HeaderMutation.NONE;
    }
    List<HeaderMutation.Add> adds = new ArrayList<>();
    for (HeaderValueOption o : add) {
      HeaderMutation.Mode mode;
      if (o.hasAppend()) {
        mode =
            o.getAppend().getValue() ? HeaderMutation.Mode.APPEND : HeaderMutation.Mode.OVERWRITE;
      } else {
        mode =
            switch (o.getAppendAction()) {
              case ADD_IF_ABSENT -> HeaderMutation.Mode.ADD_IF_ABSENT;
              case OVERWRITE_IF_EXISTS_OR_ADD -> HeaderMutation.Mode.OVERWRITE;
              case OVERWRITE_IF_EXISTS -> HeaderMutation.Mode.OVERWRITE_IF_EXISTS;
              default -> HeaderMutation.Mode.APPEND;
            };
      }
      adds.add(new HeaderMutation.Add(o.getHeader().getKey(), o.getHeader().getValue(), mode));
    }
    return new HeaderMutation(adds, remove);
  }

  static Duration duration(com.google.protobuf.Duration d) {
    return Duration.ofSeconds(d.getSeconds(), d.getNanos());
  }
}
