/**
 * The embedded data plane: Envoy's role, played by the JVM where no Envoy can run. It is configured
 * over ADS (v3, one gRPC stream, mutual TLS with the Gateway's client certificate, node on the
 * first request of a stream only) exactly like Envoy — incremental ({@code DELTA_GRPC}, {@link
 * dev.lambdagate.harness.dataplane.DeltaAdsClient}, the default, as in lambdagate's bootstraps) or
 * state of the world ({@code GRPC}, {@link dev.lambdagate.harness.dataplane.SotwAdsClient}), chosen
 * by {@link dev.lambdagate.harness.dataplane.DataPlaneOptions#adsApiType()} — and serves HTTP/1.1
 * (its own codec on plain sockets: {@code Content-Length} or chunked bodies, {@code Expect:
 * 100-continue}, keep-alive) through the real {@code lambdagate.wasm}.
 *
 * <h2>The xDS subset it applies (everything else is NACKed with an error_detail)</h2>
 *
 * <ul>
 *   <li><b>Node</b>: {@code id} and {@code metadata.gateway = "ns/name"} (configurable).
 *   <li><b>Subscriptions</b>: CDS and LDS wildcard; RDS for the {@code route_config_name}s the
 *       listeners' HCMs reference (over delta: subscribed and unsubscribed by difference as the
 *       listeners change). EDS, SDS, VHDS, ECDS: not used.
 *   <li><b>Listener</b>: {@code address.socket_address} (address, {@code port_value}); {@code
 *       per_connection_buffer_limit_bytes} (default 1 MiB: the stream buffer limit, see "Per
 *       request"); exactly one filter chain (in {@code filter_chains} or {@code
 *       default_filter_chain}) with no {@code transport_socket} and exactly one network filter,
 *       typed {@code
 *       envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager}; or, for
 *       downstream TLS, any number of chains that all carry the same network filter and a {@code
 *       envoy.transport_sockets.tls} {@code DownstreamTlsContext} (inline {@code tls_certificates},
 *       {@code tls_params} versions, {@code alpn_protocols} of which only {@code http/1.1} is ever
 *       selected; SDS, files, client certificate validation NACKed), told apart by {@code
 *       filter_chain_match.server_names} only, chosen by SNI as Envoy does (exact name, then the
 *       longest {@code *.} suffix, then the chain without names, else the connection is refused;
 *       {@link dev.lambdagate.harness.dataplane.ServerTls}). A key that is not its certificate's,
 *       or two chains with the same names, NACK. Listener filters: {@code
 *       envoy.filters.listener.tls_inspector} only. A port that cannot be bound NACKs the whole LDS
 *       update.
 *   <li><b>HttpConnectionManager</b>: {@code rds} with {@code config_source.ads}, or inline {@code
 *       route_config}; {@code strip_any_host_port}; {@code http_filters}: at most one {@code
 *       envoy.extensions.filters.http.wasm.v3.Wasm}, then {@code
 *       envoy.extensions.filters.http.router.v3.Router} last (required). Other filters are NACKed
 *       unless {@code is_optional} (then skipped, as Envoy does) or {@code disabled}. Request
 *       checks, with Envoy's defaults when unset: {@code max_request_headers_kb} (60) and {@code
 *       common_http_protocol_options} {@code .max_headers_count} (100) → 431 and the connection
 *       closed; {@code .headers_with_underscores_action} ({@code REJECT_REQUEST} → 400 and closed,
 *       {@code DROP_HEADER}); {@code path_with_escaped_slashes_action} ({@code REJECT_REQUEST} →
 *       400, {@code UNESCAPE_AND_REDIRECT} → 307 to the unescaped path, {@code
 *       UNESCAPE_AND_FORWARD}), {@code normalize_path}, {@code merge_slashes}, in that order
 *       ({@link dev.lambdagate.harness.dataplane.RequestGate}); {@code request_headers_timeout}
 *       (headers incomplete that long after their first byte: 408 {@code request header timeout},
 *       closed; {@link dev.lambdagate.harness.dataplane.Http1Server} reads the head itself for
 *       this). Other HCM fields (stat_prefix, codec_type, use_remote_address, other timeouts, http2
 *       options) are ignored: the plane serves HTTP/1.1 only.
 *   <li><b>Wasm</b> {@code config} (PluginConfig): {@code name}, {@code root_id}, {@code
 *       configuration} as {@code google.protobuf.StringValue} (the filter JSON,
 *       docs/filter-config.md), {@code vm_config.code.local.filename} (the plane runs its own
 *       configured module) or {@code vm_config.code.remote} with {@code sha256} (checked against
 *       the local module; mismatch NACKs). A JSON the filter rejects in {@code proxy_on_configure}
 *       NACKs the LDS update with the filter's log line. {@code failure_policy}: {@code
 *       FAIL_CLOSED} (default) or {@code FAIL_RELOAD} with {@code reload_config.backoff} (base 1 s,
 *       max 10 x base by default); {@code FAIL_OPEN} and {@code fail_open} are NACKed (they would
 *       forward requests unsigned).
 *   <li><b>RouteConfiguration</b>: {@code virtual_hosts} with {@code domains} ({@code host}, {@code
 *       *.suffix}, {@code prefix.*}, {@code *}; the Host port counts unless {@code
 *       ignore_port_in_host_matching} / {@code strip_any_host_port}); routes in order; {@code
 *       request_headers_to_add}/{@code _to_remove} at route-config, virtual-host, route and
 *       weighted-cluster level.
 *   <li><b>Route</b>: {@code name} (becomes the {@code xds.route_name} property); {@code match}:
 *       {@code prefix} | {@code path} | {@code safe_regex} | {@code path_separated_prefix}, {@code
 *       case_sensitive}, {@code headers}
 *       (exact/prefix/suffix/contains/safe_regex/present/string_match, invert_match,
 *       treat_missing_header_as_empty), {@code query_parameters} (string_match, present_match);
 *       grpc, runtime_fraction, tls_context, dynamic_metadata, range_match are NACKed. Action
 *       {@code route} ({@code cluster} or {@code weighted_clusters} with weights, {@code
 *       prefix_rewrite}, {@code regex_rewrite}, {@code host_rewrite_literal}, {@code
 *       auto_host_rewrite}, {@code timeout} (default 15 s, 0 = none), {@code retry_policy} ({@code
 *       retry_on} 5xx, gateway-error, connect-failure, reset, refused-stream, retriable-4xx,
 *       retriable-status-codes; {@code num_retries}, {@code retriable_status_codes}, {@code
 *       retry_back_off}; anything else NACKed: {@link
 *       dev.lambdagate.harness.dataplane.RouteRetry})), {@code direct_response} (status, inline
 *       body) or {@code redirect} (scheme, host, port, path, prefix or regex rewrite, strip_query,
 *       response code; the Location built as Envoy's {@code Http::Utility::newUri} builds it);
 *       other actions are NACKed. {@code metadata.filter_metadata} (string values) for the Wasm
 *       filter's properties.
 *   <li><b>Cluster</b>: {@code STATIC}, {@code STRICT_DNS} or {@code LOGICAL_DNS} with an inline
 *       {@code load_assignment} (socket addresses with {@code port_value}; round robin), {@code
 *       connect_timeout} (default 5 s), {@code transport_socket} {@code
 *       envoy.transport_sockets.tls} ({@code UpstreamTlsContext}; {@code sni} must equal the
 *       endpoint host; certificates checked against the JVM trust store) or none/raw_buffer; {@code
 *       metadata.filter_metadata} (string values, for the Wasm filter's properties: see "Per
 *       request"). EDS and custom cluster types are NACKed.
 * </ul>
 *
 * <h2>Per request</h2>
 *
 * Route match (no match: 404, empty body) → the Wasm filter's request phase with the properties
 * {@code xds.route_name}, {@code xds.cluster_name} (the chosen weighted cluster), {@code
 * xds.cluster_metadata.filter_metadata.<namespace>.<key>} for every string value at the top level
 * of that cluster's {@code metadata.filter_metadata} namespaces (numbers, booleans and nested
 * Structs, which Envoy would also answer, are left out: "not found"), the same for the matched
 * route's metadata as {@code xds.route_metadata.filter_metadata.<namespace>.<key>}, {@code
 * xds.virtual_host_name}, {@code xds.listener_name}, {@code source.address}, {@code
 * destination.address}, {@code request.id} → a local reply is returned as is → otherwise the router
 * applies rewrites and header mutations to what the filter produced and sends it to the cluster
 * ({@code :authority} becomes Host) → the response phase → the client. The route chosen before the
 * filter stays chosen although the filter rewrites {@code :path} and {@code :authority}: Envoy
 * behaves so since envoyproxy/envoy#36671 (Wasm no longer clears the route cache on header
 * changes). Envoy releases before that re-match the rewritten request (envoyproxy/envoy#14318),
 * which this plane does not model. Before the route match, the listener's request checks (above).
 * On a listener with the Wasm filter, a request body over the stream buffer limit is answered 413
 * {@code Payload Too Large} (the filter buffers it, so Envoy answers itself). The response goes
 * through the filter as Envoy passes it: headers (with end of stream when the framing says there is
 * no body), then each piece of the body as the upstream sends it; what the filter lets through goes
 * to the client at once (chunked transfer encoding when there is no {@code content-length}).
 * Headers the filter holds leave, as it left them, with the first body callback that continues
 * (Envoy's rule). Bytes the filter holds (StopIterationAndBuffer) over the buffer limit are 500
 * {@code Internal Server Error} while the headers are held and a reset after; a filter's {@code
 * proxy_close_stream} after the headers resets the client's connection (TCP RST), as does the
 * upstream breaking off mid-body. The cluster's {@code per_connection_buffer_limit_bytes} is not
 * modelled (Envoy only applies back-pressure there). A request on a listener with the Wasm filter
 * is never forwarded without having passed the filter: no VM (the listener's VMs are gone) or a
 * failed VM answers 503, empty body. Upstream timeout: 504 {@code upstream request timeout};
 * connection failure: 503; unknown cluster or no endpoints: 503. With a retry policy, a retriable
 * answer or failure is tried again after Envoy's jittered back-off, every try within the route
 * timeout (its expiry: 504, never retried); the last try's answer is the response. The filter's
 * call-outs ({@code proxy_http_call}, e.g. STS) go to CDS clusters by name.
 *
 * <h2>Robustness</h2>
 *
 * ACK after applying, NACK (state of the world: last good version + nonce + error_detail; delta:
 * nonce + error_detail) and keep serving everything held before the rejected response (all or
 * nothing: Envoy would apply the valid resources of a partly rejected delta update); over state of
 * the world a re-sent rejected version is re-NACKed after a delay (SimpleCache would otherwise
 * loop); reconnect with exponential backoff while keeping the last configuration (over delta, the
 * new stream's first requests carry {@code initial_resource_versions} of everything held); a
 * changed plugin configuration starts new VMs before the swap, and the old ones close when their
 * in-flight streams end. A VM that fails while running a stream (a trap, or any error in a
 * callback) fails that stream with 503 (Envoy's {@code failStream}) and is never entered again:
 * under {@code FAIL_CLOSED} its streams keep failing until the configuration changes; under {@code
 * FAIL_RELOAD} the next stream for it starts a fresh VM once the backoff since the last load has
 * passed (base, doubling per reload to the maximum, back to the base once a reloaded VM has served
 * a stream).
 */
package dev.lambdagate.harness.dataplane;
