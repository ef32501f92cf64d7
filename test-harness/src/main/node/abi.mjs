// Enumerations of proxy-wasm ABI 0.2.1 and the exact import surface Envoy offers a module.

/** WasmResult: the status every proxy_* host function returns. */
export const Status = Object.freeze({
  Ok: 0,
  NotFound: 1,
  BadArgument: 2,
  SerializationFailure: 3,
  ParseFailure: 4,
  BadExpression: 5,
  InvalidMemoryAccess: 6,
  Empty: 7,
  CasMismatch: 8,
  ResultMismatch: 9,
  InternalFailure: 10,
  BrokenConnection: 11,
  Unimplemented: 12,
});

/** Header map types (proxy_*_header_map_*). */
export const MapType = Object.freeze({
  RequestHeaders: 0,
  RequestTrailers: 1,
  ResponseHeaders: 2,
  ResponseTrailers: 3,
  GrpcReceiveInitialMetadata: 4,
  GrpcReceiveTrailingMetadata: 5,
  HttpCallResponseHeaders: 6,
  HttpCallResponseTrailers: 7,
  Max: 7,
});

/** Buffer types (proxy_*_buffer_*). */
export const BufferType = Object.freeze({
  HttpRequestBody: 0,
  HttpResponseBody: 1,
  NetworkDownstreamData: 2,
  NetworkUpstreamData: 3,
  HttpCallResponseBody: 4,
  GrpcReceiveBuffer: 5,
  VmConfiguration: 6,
  PluginConfiguration: 7,
  CallData: 8,
  Max: 8,
});

export const StreamType = Object.freeze({ Request: 0, Response: 1, Downstream: 2, Upstream: 3, Max: 3 });

export const LOG_LEVELS = Object.freeze(['trace', 'debug', 'info', 'warn', 'error', 'critical']);

/** Returned by header/body callbacks; anything but Continue stops iteration. */
export const Action = Object.freeze({ Continue: 0, Pause: 1 });

/** WASI errno values the host returns. */
export const Errno = Object.freeze({ Success: 0, Badf: 8, Fault: 21, Nosys: 52, Notsup: 58 });

const I32 = 'i32';
const I64 = 'i64';
const sig = (params, results = [I32]) => ({ params, results });
const i32s = (n) => new Array(n).fill(I32);

/**
 * Every `env` function Envoy registers for ABI 0.2.1, with its Wasm signature. `implemented`
 * false: Envoy offers it but this host does not (gRPC, shared queues, foreign functions); a
 * module importing one fails to load here with a message saying so, rather than at the call.
 */
export const ENV_FUNCTIONS = Object.freeze({
  proxy_log: sig(i32s(3)),
  proxy_get_log_level: sig(i32s(1)),
  proxy_set_tick_period_milliseconds: sig(i32s(1)),
  proxy_get_current_time_nanoseconds: sig(i32s(1)),
  proxy_get_status: { ...sig(i32s(3)), implemented: false },
  proxy_get_property: sig(i32s(4)),
  proxy_set_property: sig(i32s(4)),
  proxy_continue_request: sig([]),
  proxy_continue_response: sig([]),
  proxy_continue_stream: sig(i32s(1)),
  proxy_close_stream: sig(i32s(1)),
  proxy_send_local_response: sig(i32s(8)),
  proxy_clear_route_cache: { ...sig([]), implemented: false },
  proxy_get_shared_data: sig(i32s(5)),
  proxy_set_shared_data: sig(i32s(5)),
  proxy_register_shared_queue: { ...sig(i32s(3)), implemented: false },
  proxy_resolve_shared_queue: { ...sig(i32s(5)), implemented: false },
  proxy_dequeue_shared_queue: { ...sig(i32s(3)), implemented: false },
  proxy_enqueue_shared_queue: { ...sig(i32s(3)), implemented: false },
  proxy_get_header_map_value: sig(i32s(5)),
  proxy_add_header_map_value: sig(i32s(5)),
  proxy_replace_header_map_value: sig(i32s(5)),
  proxy_remove_header_map_value: sig(i32s(3)),
  proxy_get_header_map_pairs: sig(i32s(3)),
  proxy_set_header_map_pairs: sig(i32s(3)),
  proxy_get_header_map_size: sig(i32s(3)),
  proxy_get_buffer_status: sig(i32s(3)),
  proxy_get_buffer_bytes: sig(i32s(5)),
  proxy_set_buffer_bytes: sig(i32s(5)),
  proxy_http_call: sig(i32s(10)),
  proxy_grpc_call: { ...sig(i32s(12)), implemented: false },
  proxy_grpc_stream: { ...sig(i32s(9)), implemented: false },
  proxy_grpc_send: { ...sig(i32s(4)), implemented: false },
  proxy_grpc_cancel: { ...sig(i32s(1)), implemented: false },
  proxy_grpc_close: { ...sig(i32s(1)), implemented: false },
  proxy_define_metric: sig(i32s(4)),
  proxy_increment_metric: sig([I32, I64]),
  proxy_record_metric: sig([I32, I64]),
  proxy_get_metric: sig(i32s(2)),
  proxy_set_effective_context: sig(i32s(1)),
  proxy_done: sig([]),
  proxy_call_foreign_function: { ...sig(i32s(6)), implemented: false },
});

/** The WASI (snapshot preview 1) subset Envoy registers. */
export const WASI_FUNCTIONS = Object.freeze({
  fd_write: sig(i32s(4)),
  proc_exit: sig(i32s(1), []),
  clock_time_get: sig([I32, I64, I32]),
  random_get: sig(i32s(2)),
  environ_get: sig(i32s(2)),
  environ_sizes_get: sig(i32s(2)),
  args_get: sig(i32s(2)),
  args_sizes_get: sig(i32s(2)),
  fd_close: sig(i32s(1)),
  fd_seek: sig([I32, I64, I32, I32]),
  fd_fdstat_get: sig(i32s(2)),
  sched_yield: sig([]),
  poll_oneoff: sig(i32s(4)),
});

export const WASI_MODULE = 'wasi_snapshot_preview1';

/**
 * Host calls Envoy allows while the module starts (_initialize), everything else traps with
 * "restricted_callback": a module cannot, say, read headers before it has a context.
 */
export const ALLOWED_DURING_START = new Set([
  'env.proxy_log',
  `${WASI_MODULE}.fd_write`,
  `${WASI_MODULE}.args_sizes_get`,
  `${WASI_MODULE}.args_get`,
  `${WASI_MODULE}.environ_sizes_get`,
  `${WASI_MODULE}.environ_get`,
  `${WASI_MODULE}.clock_time_get`,
  `${WASI_MODULE}.random_get`,
]);

/** Host calls Envoy allows while the module runs proxy_on_memory_allocate. */
export const ALLOWED_DURING_ALLOCATE = new Set([
  'env.proxy_log',
  `${WASI_MODULE}.fd_write`,
]);
