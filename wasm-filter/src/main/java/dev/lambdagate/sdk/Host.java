package dev.lambdagate.sdk;

import dev.lambdagate.abi.HostCalls;
import dev.lambdagate.abi.Status;
import dev.lambdagate.abi.WasiCalls;
import dev.lambdagate.json.Utf8;
import dev.lambdagate.lambda.HeaderList;

/**
 * Typed host calls: Java values in and out, the {@link MemoryArena} discipline inside.
 *
 * <p>Calls act on the current effective context (the one whose callback is running, or the one set
 * by {@link #setEffectiveContext}). Not thread-safe: a Wasm VM is single-threaded.
 */
public final class Host {
  private static final byte[] EMPTY = new byte[0];
  private static final byte[] EMPTY_MAP = HeaderMapCodec.encode(new HeaderList(0));

  private Host() {}

  public static void log(int level, String message) {
    byte[] bytes = Utf8.encode(message);
    MemoryArena.begin(bytes.length);
    HostCalls.log(level, MemoryArena.put(bytes), bytes.length);
  }

  /** The host's log level ({@link AbiConstants#LOG_TRACE} .. {@code LOG_CRITICAL}). */
  public static int logLevel() {
    MemoryArena.begin(4);
    int slot = MemoryArena.reserve(4);
    if (HostCalls.getLogLevel(slot) != Status.OK) {
      return AbiConstants.LOG_INFO;
    }
    return MemoryArena.readInt(slot);
  }

  /** Wall-clock time from the host, so a harness can fix it; never {@code System.*}. */
  public static long currentTimeNanos() {
    MemoryArena.begin(8);
    int slot = MemoryArena.reserve(8);
    check("proxy_get_current_time_nanoseconds", HostCalls.getCurrentTimeNanoseconds(slot));
    return MemoryArena.readLong(slot);
  }

  /**
   * The host's monotonic clock in nanoseconds (WASI {@code clock_time_get}, clock 1), for
   * durations: unaffected by wall-clock steps or a harness's fixed time; 0 if the host refuses.
   */
  public static long monotonicNanos() {
    MemoryArena.begin(8);
    int slot = MemoryArena.reserve(8);
    if (WasiCalls.clockTimeGet(WasiCalls.CLOCK_MONOTONIC, 1, slot) != 0) {
      return 0;
    }
    return MemoryArena.readLong(slot);
  }

  public static HeaderList headers(int mapType) {
    int capacity = 0;
    for (int attempt = 0; ; attempt++) {
      MemoryArena.begin(capacity);
      int slots = MemoryArena.reserve(8);
      int status = HostCalls.getHeaderMapPairs(mapType, slots, slots + 4);
      if (status == Status.OK) {
        int length = MemoryArena.readInt(slots + 4);
        int index = MemoryArena.indexOf(MemoryArena.readInt(slots), length);
        return HeaderMapCodec.decode(MemoryArena.bytes(), index, length);
      }
      if (status == Status.NOT_FOUND || status == Status.EMPTY) {
        return new HeaderList(0);
      }
      capacity = MemoryArena.deniedSize();
      if (attempt > 0 || capacity == 0) {
        throw new HostCallException("proxy_get_header_map_pairs", status);
      }
    }
  }

  /** One header's value, or null when absent. */
  public static String header(int mapType, String name) {
    byte[] key = Utf8.encode(name);
    int capacity = key.length;
    for (int attempt = 0; ; attempt++) {
      MemoryArena.begin(capacity);
      int keyPtr = MemoryArena.put(key);
      int slots = MemoryArena.reserve(8);
      int status = HostCalls.getHeaderMapValue(mapType, keyPtr, key.length, slots, slots + 4);
      if (status == Status.OK) {
        int length = MemoryArena.readInt(slots + 4);
        int index = MemoryArena.indexOf(MemoryArena.readInt(slots), length);
        return Utf8.decodeString(MemoryArena.bytes(), index, length);
      }
      if (status == Status.NOT_FOUND || status == Status.EMPTY) {
        return null;
      }
      capacity = key.length + MemoryArena.deniedSize();
      if (attempt > 0 || MemoryArena.deniedSize() == 0) {
        throw new HostCallException("proxy_get_header_map_value", status);
      }
    }
  }

  public static void replaceHeader(int mapType, String name, String value) {
    int keyLength = Utf8.encodedLength(name);
    int valueLength = Utf8.encodedLength(value);
    MemoryArena.begin(keyLength + valueLength + 16);
    int keyPtr = MemoryArena.putUtf8(name, keyLength);
    int valPtr = MemoryArena.putUtf8(value, valueLength);
    check(
        "proxy_replace_header_map_value",
        HostCalls.replaceHeaderMapValue(mapType, keyPtr, keyLength, valPtr, valueLength));
  }

  public static void addHeader(int mapType, String name, String value) {
    int keyLength = Utf8.encodedLength(name);
    int valueLength = Utf8.encodedLength(value);
    MemoryArena.begin(keyLength + valueLength + 16);
    int keyPtr = MemoryArena.putUtf8(name, keyLength);
    int valPtr = MemoryArena.putUtf8(value, valueLength);
    check(
        "proxy_add_header_map_value",
        HostCalls.addHeaderMapValue(mapType, keyPtr, keyLength, valPtr, valueLength));
  }

  public static void removeHeader(int mapType, String name) {
    int keyLength = Utf8.encodedLength(name);
    MemoryArena.begin(keyLength);
    HostCalls.removeHeaderMapValue(mapType, MemoryArena.putUtf8(name, keyLength), keyLength);
  }

  /** {@code length} bytes of a buffer from {@code start}; empty when the buffer is. */
  public static byte[] buffer(int bufferType, int start, int length) {
    int capacity = length;
    for (int attempt = 0; ; attempt++) {
      MemoryArena.begin(capacity);
      int slots = MemoryArena.reserve(8);
      int status = HostCalls.getBufferBytes(bufferType, start, length, slots, slots + 4);
      if (status == Status.OK) {
        return MemoryArena.copyOut(MemoryArena.readInt(slots), MemoryArena.readInt(slots + 4));
      }
      if (status == Status.NOT_FOUND || status == Status.EMPTY) {
        return EMPTY;
      }
      capacity = MemoryArena.deniedSize();
      if (attempt > 0 || capacity == 0) {
        throw new HostCallException("proxy_get_buffer_bytes", status);
      }
    }
  }

  /**
   * Copies {@code length} bytes of a buffer from {@code start} into {@code dst} at {@code offset};
   * returns how many the host had (fewer at the buffer's end). Only {@code length} bytes pass
   * through the arena, so a large body read in pieces keeps the arena (and linear memory) small.
   */
  public static int readBuffer(int bufferType, int start, byte[] dst, int offset, int length) {
    int capacity = length;
    for (int attempt = 0; ; attempt++) {
      MemoryArena.begin(capacity);
      int slots = MemoryArena.reserve(8);
      int status = HostCalls.getBufferBytes(bufferType, start, length, slots, slots + 4);
      if (status == Status.OK) {
        int got = Math.min(length, MemoryArena.readInt(slots + 4));
        MemoryArena.copyOut(MemoryArena.readInt(slots), dst, offset, got);
        return got;
      }
      if (status == Status.NOT_FOUND || status == Status.EMPTY) {
        return 0;
      }
      capacity = MemoryArena.deniedSize();
      if (attempt > 0 || capacity == 0) {
        throw new HostCallException("proxy_get_buffer_bytes", status);
      }
    }
  }

  /**
   * The first {@code size} bytes of a buffer as a new array, read in 64 KiB pieces so that the
   * arena does not grow to the buffer's size for good.
   */
  public static byte[] bufferInPieces(int bufferType, int size) {
    byte[] out = new byte[size];
    int read = 0;
    while (read < size) {
      int n = readBuffer(bufferType, read, out, read, Math.min(64 * 1024, size - read));
      if (n <= 0) {
        return java.util.Arrays.copyOf(out, read);
      }
      read += n;
    }
    return out;
  }

  /**
   * Replaces {@code length} bytes from {@code start} of a buffer with {@code data[offset, offset +
   * dataLength)}, handing the host the array's own address: no copy through the arena. Safe because
   * nothing allocates (so the GC cannot move the array) between taking the address and the host's
   * return, and proxy_set_buffer_bytes asks the module for no memory.
   */
  public static void setBuffer(
      int bufferType, int start, int length, byte[] data, int offset, int dataLength) {
    if (offset < 0 || dataLength < 0 || offset > data.length - dataLength) {
      throw new IndexOutOfBoundsException("offset " + offset + ", length " + dataLength);
    }
    int address = org.teavm.interop.Address.ofData(data).toInt() + offset;
    check(
        "proxy_set_buffer_bytes",
        HostCalls.setBufferBytes(bufferType, start, length, address, dataLength));
  }

  /** Replaces {@code length} bytes from {@code start} of a buffer with {@code data}. */
  public static void setBuffer(int bufferType, int start, int length, byte[] data) {
    MemoryArena.begin(data.length);
    check(
        "proxy_set_buffer_bytes",
        HostCalls.setBufferBytes(bufferType, start, length, MemoryArena.put(data), data.length));
  }

  /** A property such as {@code xds.route_name} as raw bytes, or null when the host has none. */
  public static byte[] property(String... path) {
    return property(PropertyPath.of(path));
  }

  /**
   * A property by a path encoded once (for paths read on every request), or null when the host has
   * none.
   */
  public static byte[] property(PropertyPath path) {
    byte[] joined = path.encoded();
    int capacity = joined.length;
    for (int attempt = 0; ; attempt++) {
      MemoryArena.begin(capacity);
      int pathPtr = MemoryArena.put(joined);
      int slots = MemoryArena.reserve(8);
      int status = HostCalls.getProperty(pathPtr, joined.length, slots, slots + 4);
      if (status == Status.OK) {
        return MemoryArena.copyOut(MemoryArena.readInt(slots), MemoryArena.readInt(slots + 4));
      }
      if (status != Status.INVALID_MEMORY_ACCESS || attempt > 0 || MemoryArena.deniedSize() == 0) {
        return null;
      }
      capacity = joined.length + MemoryArena.deniedSize();
    }
  }

  /** Answers the request from the filter; the upstream is not called. */
  public static void sendLocalResponse(
      int status, String details, byte[] body, HeaderList headers) {
    byte[] detailBytes = Utf8.encode(details);
    byte[] headerBytes = HeaderMapCodec.encode(headers);
    MemoryArena.begin(detailBytes.length + body.length + headerBytes.length + 32);
    int detailsPtr = MemoryArena.put(detailBytes);
    int bodyPtr = MemoryArena.put(body);
    int headersPtr = MemoryArena.put(headerBytes);
    check(
        "proxy_send_local_response",
        HostCalls.sendLocalResponse(
            status,
            detailsPtr,
            detailBytes.length,
            bodyPtr,
            body.length,
            headersPtr,
            headerBytes.length,
            -1));
  }

  /**
   * Starts an HTTP call-out to an upstream cluster; returns the token its response carries.
   * Package-private: call-outs start through {@link Dispatcher#httpCall}, which registers the
   * token's handler, so that no response arrives with nobody to take it.
   */
  static int httpCall(String upstream, HeaderList headers, byte[] body, int timeoutMillis) {
    byte[] upstreamBytes = Utf8.encode(upstream);
    byte[] headerBytes = HeaderMapCodec.encode(headers);
    MemoryArena.begin(
        upstreamBytes.length + headerBytes.length + body.length + EMPTY_MAP.length + 64);
    int upstreamPtr = MemoryArena.put(upstreamBytes);
    int headersPtr = MemoryArena.put(headerBytes);
    int bodyPtr = MemoryArena.put(body);
    int trailersPtr = MemoryArena.put(EMPTY_MAP);
    int tokenSlot = MemoryArena.reserve(4);
    check(
        "proxy_http_call",
        HostCalls.httpCall(
            upstreamPtr,
            upstreamBytes.length,
            headersPtr,
            headerBytes.length,
            bodyPtr,
            body.length,
            trailersPtr,
            EMPTY_MAP.length,
            timeoutMillis,
            tokenSlot));
    return MemoryArena.readInt(tokenSlot);
  }

  /** Resumes a request or response stream that a callback paused. */
  public static void continueStream(int streamType) {
    check("proxy_continue_stream", HostCalls.continueStream(streamType));
  }

  /**
   * Ends a stream abruptly. Envoy resets it ({@code resetStream()} on the filter's callbacks): once
   * the response headers have gone to the client, this is the only way to tell it that the body is
   * incomplete (a local reply is no longer possible). Returns the host's status rather than
   * throwing: a host without the call (status Unimplemented) must not turn a failed stream into a
   * VM failure.
   */
  public static int closeStream(int streamType) {
    return HostCalls.closeStream(streamType);
  }

  public static void setEffectiveContext(int contextId) {
    HostCalls.setEffectiveContext(contextId);
  }

  /** Reads shared data (visible to every VM of the plugin on this proxy). */
  public static SharedValue sharedData(String key) {
    byte[] keyBytes = Utf8.encode(key);
    int capacity = keyBytes.length;
    for (int attempt = 0; ; attempt++) {
      MemoryArena.begin(capacity);
      int keyPtr = MemoryArena.put(keyBytes);
      int slots = MemoryArena.reserve(12);
      int status = HostCalls.getSharedData(keyPtr, keyBytes.length, slots, slots + 4, slots + 8);
      if (status == Status.OK) {
        int cas = MemoryArena.readInt(slots + 8);
        return new SharedValue(
            MemoryArena.copyOut(MemoryArena.readInt(slots), MemoryArena.readInt(slots + 4)), cas);
      }
      if (status == Status.NOT_FOUND) {
        return new SharedValue(null, 0);
      }
      capacity = keyBytes.length + MemoryArena.deniedSize();
      if (attempt > 0 || MemoryArena.deniedSize() == 0) {
        throw new HostCallException("proxy_get_shared_data", status);
      }
    }
  }

  /** Writes shared data if {@code cas} still matches (0: unconditionally); returns the status. */
  public static int setSharedData(String key, byte[] value, int cas) {
    byte[] keyBytes = Utf8.encode(key);
    MemoryArena.begin(keyBytes.length + value.length + 16);
    int keyPtr = MemoryArena.put(keyBytes);
    int valuePtr = MemoryArena.put(value);
    return HostCalls.setSharedData(keyPtr, keyBytes.length, valuePtr, value.length, cas);
  }

  /**
   * Defines a metric ({@link AbiConstants#METRIC_COUNTER}, {@code METRIC_GAUGE}, {@code
   * METRIC_HISTOGRAM}) named by UTF-8 {@code name}; returns its id, or -1 when the host refuses (a
   * host without metrics): the caller then leaves the metric alone. Ids are per VM; defining a name
   * again gives an id for the same metric.
   */
  public static long defineMetric(int type, byte[] name) {
    MemoryArena.begin(name.length + 8);
    int namePtr = MemoryArena.put(name);
    int slot = MemoryArena.reserve(4);
    if (HostCalls.defineMetric(type, namePtr, name.length, slot) != Status.OK) {
      return -1;
    }
    return MemoryArena.readInt(slot) & 0xffffffffL;
  }

  /** Adds {@code offset} to a counter or gauge; the host's status, never thrown. */
  public static int incrementMetric(int id, long offset) {
    return HostCalls.incrementMetric(id, offset);
  }

  /** Records a histogram sample (or sets a gauge); the host's status, never thrown. */
  public static int recordMetric(int id, long value) {
    return HostCalls.recordMetric(id, value);
  }

  private static void check(String function, int status) {
    if (status != Status.OK) {
      throw new HostCallException(function, status);
    }
  }
}
