package dev.lambdagate.abi;

import org.teavm.interop.Import;

/**
 * The proxy-wasm ABI 0.2.1 host functions (module {@code env}) that the filter imports.
 *
 * <p>Raw declarations only: pointers and sizes are linear-memory addresses as {@code int}, every
 * function returns a {@code WasmResult} status code ({@link Status}). Only functions that Envoy
 * registers for ABI 0.2.1 may appear here: Envoy refuses to load a module with any other import,
 * and the build's import gate test checks the compiled module against that list.
 */
public final class HostCalls {
  private HostCalls() {}

  @Import(module = "env", name = "proxy_log")
  public static native int log(int level, int messagePtr, int messageSize);

  @Import(module = "env", name = "proxy_get_log_level")
  public static native int getLogLevel(int returnLevelPtr);

  @Import(module = "env", name = "proxy_get_current_time_nanoseconds")
  public static native int getCurrentTimeNanoseconds(int returnTimePtr);

  @Import(module = "env", name = "proxy_set_tick_period_milliseconds")
  public static native int setTickPeriodMilliseconds(int periodMillis);

  @Import(module = "env", name = "proxy_get_buffer_bytes")
  public static native int getBufferBytes(
      int bufferType, int start, int maxSize, int returnBufferData, int returnBufferSize);

  @Import(module = "env", name = "proxy_set_buffer_bytes")
  public static native int setBufferBytes(
      int bufferType, int start, int size, int dataPtr, int dataSize);

  @Import(module = "env", name = "proxy_get_header_map_pairs")
  public static native int getHeaderMapPairs(int mapType, int returnMapData, int returnMapSize);

  @Import(module = "env", name = "proxy_set_header_map_pairs")
  public static native int setHeaderMapPairs(int mapType, int mapData, int mapSize);

  @Import(module = "env", name = "proxy_get_header_map_value")
  public static native int getHeaderMapValue(
      int mapType, int keyPtr, int keySize, int returnValueData, int returnValueSize);

  @Import(module = "env", name = "proxy_replace_header_map_value")
  public static native int replaceHeaderMapValue(
      int mapType, int keyPtr, int keySize, int valuePtr, int valueSize);

  @Import(module = "env", name = "proxy_add_header_map_value")
  public static native int addHeaderMapValue(
      int mapType, int keyPtr, int keySize, int valuePtr, int valueSize);

  @Import(module = "env", name = "proxy_remove_header_map_value")
  public static native int removeHeaderMapValue(int mapType, int keyPtr, int keySize);

  @Import(module = "env", name = "proxy_get_property")
  public static native int getProperty(
      int pathPtr, int pathSize, int returnValueData, int returnValueSize);

  @Import(module = "env", name = "proxy_get_shared_data")
  public static native int getSharedData(
      int keyPtr, int keySize, int returnValueData, int returnValueSize, int returnCas);

  @Import(module = "env", name = "proxy_set_shared_data")
  public static native int setSharedData(
      int keyPtr, int keySize, int valuePtr, int valueSize, int cas);

  @Import(module = "env", name = "proxy_continue_stream")
  public static native int continueStream(int streamType);

  @Import(module = "env", name = "proxy_close_stream")
  public static native int closeStream(int streamType);

  @Import(module = "env", name = "proxy_send_local_response")
  public static native int sendLocalResponse(
      int statusCode,
      int statusCodeDetailsPtr,
      int statusCodeDetailsSize,
      int bodyPtr,
      int bodySize,
      int headersPtr,
      int headersSize,
      int grpcStatus);

  @Import(module = "env", name = "proxy_http_call")
  public static native int httpCall(
      int upstreamPtr,
      int upstreamSize,
      int headersPtr,
      int headersSize,
      int bodyPtr,
      int bodySize,
      int trailersPtr,
      int trailersSize,
      int timeoutMillis,
      int returnToken);

  @Import(module = "env", name = "proxy_set_effective_context")
  public static native int setEffectiveContext(int contextId);

  @Import(module = "env", name = "proxy_define_metric")
  public static native int defineMetric(int metricType, int namePtr, int nameSize, int returnId);

  @Import(module = "env", name = "proxy_increment_metric")
  public static native int incrementMetric(int metricId, long offset);

  @Import(module = "env", name = "proxy_record_metric")
  public static native int recordMetric(int metricId, long value);

  @Import(module = "env", name = "proxy_done")
  public static native int done();
}
