// The `env` host functions of proxy-wasm ABI 0.2.1, with Envoy's argument checks and status
// codes. Calls act on the effective context (the context whose callback runs, or the one set by
// proxy_set_effective_context); maps and buffers come from that context.

import { BufferType, MapType, Status, StreamType } from './abi.mjs';
import { decodePairs, encodePairs, pairsByteSize } from './header-pairs.mjs';

const LOG_MAX = 5;

export function envImports(host) {
  const mem = host.mem;
  const lower = (pairs) => pairs.map(([name, value]) => [name.toLowerCase(), value]);

  return {
    proxy_log(level, messagePtr, messageSize) {
      if (level >>> 0 > LOG_MAX) return Status.BadArgument;
      const message = mem.readString(messagePtr, messageSize);
      if (message === null) return Status.InvalidMemoryAccess;
      host.log(level, message);
      return Status.Ok;
    },

    proxy_get_log_level(levelPtr) {
      return mem.writeU32(levelPtr, host.logLevel) ? Status.Ok : Status.InvalidMemoryAccess;
    },

    proxy_set_tick_period_milliseconds(period) {
      host.tickPeriodMillis = period >>> 0;
      return Status.Ok;
    },

    proxy_get_current_time_nanoseconds(timePtr) {
      return mem.writeU64(timePtr, host.clock()) ? Status.Ok : Status.InvalidMemoryAccess;
    },

    proxy_get_property(pathPtr, pathSize, valuePtrPtr, valueSizePtr) {
      const path = mem.readString(pathPtr, pathSize);
      if (path === null) return Status.InvalidMemoryAccess;
      const value = host.effectiveContext().property(path);
      if (value === null) return Status.NotFound;
      return host.copyOut(value, valuePtrPtr, valueSizePtr) ? Status.Ok : Status.InvalidMemoryAccess;
    },

    proxy_set_property(pathPtr, pathSize, valuePtr, valueSize) {
      const path = mem.readString(pathPtr, pathSize);
      const value = mem.read(valuePtr, valueSize);
      if (path === null || value === null) return Status.InvalidMemoryAccess;
      host.effectiveContext().setProperty(path, value);
      return Status.Ok;
    },

    proxy_continue_stream(streamType) {
      if (streamType >>> 0 > StreamType.Max) return Status.BadArgument;
      return host.effectiveContext().continueStream(streamType);
    },

    proxy_continue_request() {
      return host.effectiveContext().continueStream(StreamType.Request);
    },

    proxy_continue_response() {
      return host.effectiveContext().continueStream(StreamType.Response);
    },

    proxy_close_stream(streamType) {
      if (streamType >>> 0 > StreamType.Max) return Status.BadArgument;
      return host.effectiveContext().closeStream(streamType);
    },

    proxy_send_local_response(statusCode, detailsPtr, detailsSize, bodyPtr, bodySize, headersPtr,
      headersSize, grpcStatus) {
      const details = mem.readString(detailsPtr, detailsSize);
      const body = mem.read(bodyPtr, bodySize);
      const headers = mem.read(headersPtr, headersSize);
      if (details === null || body === null || headers === null) return Status.InvalidMemoryAccess;
      host.effectiveContext().sendLocalResponse({
        status: statusCode >>> 0,
        // Envoy replaces whitespace in details, which end up in access logs as one token.
        details: details.replace(/\s/g, '_'),
        body,
        headers: lower(decodePairs(headers)),
        grpcStatus,
      });
      // Whatever the callback returns next, the stream stops: the reply replaces it.
      host.stopNextIteration = true;
      return Status.Ok;
    },

    proxy_get_shared_data(keyPtr, keySize, valuePtrPtr, valueSizePtr, casPtr) {
      const key = mem.readString(keyPtr, keySize);
      if (key === null) return Status.InvalidMemoryAccess;
      const entry = host.sharedData.get(key);
      if (entry === null) return Status.NotFound;
      if (!host.copyOut(entry.value, valuePtrPtr, valueSizePtr)) return Status.InvalidMemoryAccess;
      return mem.writeU32(casPtr, entry.cas) ? Status.Ok : Status.InvalidMemoryAccess;
    },

    proxy_set_shared_data(keyPtr, keySize, valuePtr, valueSize, cas) {
      const key = mem.readString(keyPtr, keySize);
      const value = mem.read(valuePtr, valueSize);
      if (key === null || value === null) return Status.InvalidMemoryAccess;
      return host.sharedData.set(key, value, cas >>> 0);
    },

    proxy_get_header_map_value(mapType, keyPtr, keySize, valuePtrPtr, valueSizePtr) {
      if (mapType >>> 0 > MapType.Max) return Status.BadArgument;
      const key = mem.readString(keyPtr, keySize);
      if (key === null) return Status.InvalidMemoryAccess;
      const map = host.readableMap(mapType);
      if (map === null) return Status.BadArgument; // the map does not exist in this phase
      const wanted = key.toLowerCase();
      // Like Envoy, only the first value of a repeated header.
      const entry = map.find(([name]) => name === wanted);
      if (entry === undefined) return Status.NotFound;
      return host.copyOut(Buffer.from(entry[1], 'utf8'), valuePtrPtr, valueSizePtr)
        ? Status.Ok
        : Status.InvalidMemoryAccess;
    },

    proxy_add_header_map_value(mapType, keyPtr, keySize, valuePtr, valueSize) {
      if (mapType >>> 0 > MapType.Max) return Status.BadArgument;
      const key = mem.readString(keyPtr, keySize);
      const value = mem.readString(valuePtr, valueSize);
      if (key === null || value === null) return Status.InvalidMemoryAccess;
      const map = host.writableMap(mapType);
      if (map === null) return Status.BadArgument;
      map.push([key.toLowerCase(), value]);
      return Status.Ok;
    },

    proxy_replace_header_map_value(mapType, keyPtr, keySize, valuePtr, valueSize) {
      if (mapType >>> 0 > MapType.Max) return Status.BadArgument;
      const key = mem.readString(keyPtr, keySize);
      const value = mem.readString(valuePtr, valueSize);
      if (key === null || value === null) return Status.InvalidMemoryAccess;
      const map = host.writableMap(mapType);
      if (map === null) return Status.BadArgument;
      // Envoy's setCopy: the first occurrence gets the value, further ones stay; else appended.
      const wanted = key.toLowerCase();
      const entry = map.find(([name]) => name === wanted);
      if (entry) entry[1] = value;
      else map.push([wanted, value]);
      return Status.Ok;
    },

    proxy_remove_header_map_value(mapType, keyPtr, keySize) {
      if (mapType >>> 0 > MapType.Max) return Status.BadArgument;
      const key = mem.readString(keyPtr, keySize);
      if (key === null) return Status.InvalidMemoryAccess;
      const map = host.writableMap(mapType);
      if (map === null) return Status.BadArgument;
      const wanted = key.toLowerCase();
      const kept = map.filter(([name]) => name !== wanted);
      map.splice(0, map.length, ...kept);
      return Status.Ok;
    },

    proxy_get_header_map_pairs(mapType, dataPtrPtr, dataSizePtr) {
      if (mapType >>> 0 > MapType.Max) return Status.BadArgument;
      // A map that does not exist in this phase reads as empty (Envoy), not as an error.
      const map = host.readableMap(mapType) ?? [];
      const data = map.length === 0 ? Buffer.alloc(0) : encodePairs(map);
      return host.copyOut(data, dataPtrPtr, dataSizePtr) ? Status.Ok : Status.InvalidMemoryAccess;
    },

    proxy_set_header_map_pairs(mapType, dataPtr, dataSize) {
      if (mapType >>> 0 > MapType.Max) return Status.BadArgument;
      const data = mem.read(dataPtr, dataSize);
      if (data === null) return Status.InvalidMemoryAccess;
      const map = host.writableMap(mapType);
      if (map === null) return Status.BadArgument;
      // Replaces the whole map, pseudo headers included, as Envoy does.
      map.splice(0, map.length, ...lower(decodePairs(data)));
      return Status.Ok;
    },

    proxy_get_header_map_size(mapType, sizePtr) {
      if (mapType >>> 0 > MapType.Max) return Status.BadArgument;
      const map = host.writableMap(mapType);
      if (map === null) return Status.BadArgument;
      // Envoy answers the map's byte size (keys plus values), not the number of pairs.
      return mem.writeU32(sizePtr, pairsByteSize(map)) ? Status.Ok : Status.InvalidMemoryAccess;
    },

    proxy_get_buffer_status(bufferType, lengthPtr, flagsPtr) {
      if (bufferType >>> 0 > BufferType.Max) return Status.BadArgument;
      const buffer = host.buffer(bufferType);
      if (buffer === null) return Status.NotFound;
      const length = buffer.bytes === null ? 0 : buffer.bytes.length;
      return mem.writeU32(lengthPtr, length) && mem.writeU32(flagsPtr, 0)
        ? Status.Ok
        : Status.InvalidMemoryAccess;
    },

    proxy_get_buffer_bytes(bufferType, start, length, dataPtrPtr, dataSizePtr) {
      if (bufferType >>> 0 > BufferType.Max) return Status.BadArgument;
      const buffer = host.buffer(bufferType);
      if (buffer === null) return Status.NotFound;
      start >>>= 0;
      length >>>= 0;
      if (start + length > 0xffffffff) return Status.BadArgument;
      const size = buffer.bytes === null ? 0 : buffer.bytes.length;
      if (start + length > size) length = Math.max(0, size - start);
      // Envoy writes nothing at all for an empty read and still answers Ok.
      if (length === 0) return Status.Ok;
      return host.copyOut(buffer.bytes.subarray(start, start + length), dataPtrPtr, dataSizePtr)
        ? Status.Ok
        : Status.InvalidMemoryAccess;
    },

    proxy_set_buffer_bytes(bufferType, start, length, dataPtr, dataSize) {
      if (bufferType >>> 0 > BufferType.Max) return Status.BadArgument;
      const buffer = host.buffer(bufferType);
      if (buffer === null) return Status.NotFound;
      const data = mem.read(dataPtr, dataSize);
      if (data === null) return Status.InvalidMemoryAccess;
      if (buffer.bytes === null) return Status.NotFound;
      if (!buffer.mutable) return Status.BadArgument;
      start >>>= 0;
      length >>>= 0;
      const current = buffer.bytes;
      // Envoy's Buffer::copyFrom: replace a prefix, or append at/after the end; nothing else.
      if (start === 0) buffer.replace(Buffer.concat([data, current.subarray(Math.min(length, current.length))]));
      else if (start >= current.length) buffer.replace(Buffer.concat([current, data]));
      else return Status.BadArgument;
      return Status.Ok;
    },

    proxy_http_call(upstreamPtr, upstreamSize, headersPtr, headersSize, bodyPtr, bodySize,
      trailersPtr, trailersSize, timeoutMillis, tokenPtr) {
      const upstream = mem.readString(upstreamPtr, upstreamSize);
      const headers = mem.read(headersPtr, headersSize);
      const body = mem.read(bodyPtr, bodySize);
      const trailers = mem.read(trailersPtr, trailersSize);
      if (upstream === null || headers === null || body === null || trailers === null) {
        return Status.InvalidMemoryAccess;
      }
      // Envoy checks the token slot before it starts the call.
      if (!mem.writeU32(tokenPtr, 0)) return Status.InvalidMemoryAccess;
      const result = host.httpCall({
        upstream,
        headers: lower(decodePairs(headers)),
        body,
        trailers: lower(decodePairs(trailers)),
        timeoutMillis,
      });
      if (result.status !== Status.Ok) return result.status;
      mem.writeU32(tokenPtr, result.token);
      return Status.Ok;
    },

    proxy_set_effective_context(contextId) {
      return host.setEffectiveContext(contextId >>> 0);
    },

    proxy_done() {
      return host.done(host.effectiveContext());
    },

    proxy_define_metric(type, namePtr, nameSize, idPtr) {
      // A host built without metrics (a test's stand-in; Envoy always has them) refuses.
      if (!host.metricsEnabled) return Status.Unimplemented;
      const name = mem.readString(namePtr, nameSize);
      if (name === null) return Status.InvalidMemoryAccess;
      const id = host.metrics.define(type >>> 0, name);
      if (id === null) return Status.BadArgument;
      return mem.writeU32(idPtr, id) ? Status.Ok : Status.InvalidMemoryAccess;
    },

    proxy_increment_metric(id, offset) {
      return host.metrics.increment(id >>> 0, BigInt.asIntN(64, offset));
    },

    proxy_record_metric(id, value) {
      return host.metrics.record(id >>> 0, BigInt.asUintN(64, value));
    },

    proxy_get_metric(id, valuePtr) {
      const result = host.metrics.get(id >>> 0);
      if (result.status !== Status.Ok) return result.status;
      return mem.writeU64(valuePtr, result.value) ? Status.Ok : Status.InvalidMemoryAccess;
    },
  };
}
