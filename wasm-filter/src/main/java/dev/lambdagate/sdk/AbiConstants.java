package dev.lambdagate.sdk;

/** Enumerations of proxy-wasm ABI 0.2.1, as the {@code int} values the host exchanges. */
public final class AbiConstants {
  private AbiConstants() {}

  /** Header map types ({@code proxy_*_header_map_*}). */
  public static final int MAP_REQUEST_HEADERS = 0;

  public static final int MAP_REQUEST_TRAILERS = 1;
  public static final int MAP_RESPONSE_HEADERS = 2;
  public static final int MAP_RESPONSE_TRAILERS = 3;
  public static final int MAP_HTTP_CALL_RESPONSE_HEADERS = 6;
  public static final int MAP_HTTP_CALL_RESPONSE_TRAILERS = 7;

  /** Buffer types ({@code proxy_get_buffer_bytes}). */
  public static final int BUFFER_REQUEST_BODY = 0;

  public static final int BUFFER_RESPONSE_BODY = 1;
  public static final int BUFFER_HTTP_CALL_RESPONSE_BODY = 4;
  public static final int BUFFER_VM_CONFIGURATION = 6;
  public static final int BUFFER_PLUGIN_CONFIGURATION = 7;

  /** Stream types ({@code proxy_continue_stream}). */
  public static final int STREAM_REQUEST = 0;

  public static final int STREAM_RESPONSE = 1;

  /** Log levels ({@code proxy_log}). */
  public static final int LOG_TRACE = 0;

  public static final int LOG_DEBUG = 1;
  public static final int LOG_INFO = 2;
  public static final int LOG_WARN = 3;
  public static final int LOG_ERROR = 4;
  public static final int LOG_CRITICAL = 5;

  /** Metric types ({@code proxy_define_metric}). */
  public static final int METRIC_COUNTER = 0;

  public static final int METRIC_GAUGE = 1;
  public static final int METRIC_HISTOGRAM = 2;
}
