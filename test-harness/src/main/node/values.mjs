// Conversions between what callers pass in (strings, JSON) and what the host keeps (bytes,
// lowercased header pairs, NUL-separated property paths).

/** Header names lowercased, as Envoy's codecs deliver them. */
export function normalizeHeaders(headers) {
  return headers.map(([name, value]) => [String(name).toLowerCase(), String(value)]);
}

export function toBytes(value) {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value);
  return Buffer.from(String(value), 'utf8');
}

/**
 * {path: value} → Map keyed by the NUL-separated path the module sends. A dotted path
 * ('xds.route_name') is split at every dot; a path with a NUL in it is taken as is. Values:
 * strings as UTF-8, integers as 8-byte little-endian, booleans as one byte, bytes as given.
 */
export function propertyMap(properties) {
  const map = new Map();
  for (const [path, value] of Object.entries(properties)) {
    const key = path.includes('\0') ? path : path.split('.').join('\0');
    map.set(key, encodeProperty(value));
  }
  return map;
}

function encodeProperty(value) {
  if (typeof value === 'number' || typeof value === 'bigint') {
    const bytes = Buffer.alloc(8);
    bytes.writeBigInt64LE(BigInt(value));
    return bytes;
  }
  if (typeof value === 'boolean') return Buffer.from([value ? 1 : 0]);
  return toBytes(value);
}
