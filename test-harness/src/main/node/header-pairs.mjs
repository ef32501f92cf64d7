// The header map wire format of proxy-wasm ABI 0.2.1: a little-endian u32 count, then a u32
// key length and u32 value length per pair, then every key and value, each followed by NUL.

/** Encodes [[name, value], ...] (strings, UTF-8) into the wire format. */
export function encodePairs(pairs) {
  const encoded = pairs.map(([name, value]) => [Buffer.from(name, 'utf8'), Buffer.from(value, 'utf8')]);
  let size = 4 + 8 * encoded.length;
  for (const [name, value] of encoded) size += name.length + value.length + 2;
  const out = Buffer.alloc(size);
  out.writeUInt32LE(encoded.length, 0);
  let lengths = 4;
  let data = 4 + 8 * encoded.length;
  for (const [name, value] of encoded) {
    out.writeUInt32LE(name.length, lengths);
    out.writeUInt32LE(value.length, lengths + 4);
    lengths += 8;
    name.copy(out, data);
    data += name.length + 1; // the NUL is already there: Buffer.alloc zero-fills
    value.copy(out, data);
    data += value.length + 1;
  }
  return out;
}

/**
 * Decodes the wire format. Like Envoy, a malformed map decodes to no pairs at all rather than
 * to a partial list.
 */
export function decodePairs(bytes) {
  if (bytes.length < 4) return [];
  const count = bytes.readUInt32LE(0);
  if (4 + count * 8 > bytes.length) return [];
  const pairs = [];
  let data = 4 + count * 8;
  for (let i = 0; i < count; i++) {
    const nameLength = bytes.readUInt32LE(4 + i * 8);
    const valueLength = bytes.readUInt32LE(8 + i * 8);
    if (data + nameLength + valueLength + 2 > bytes.length) return [];
    const name = bytes.toString('utf8', data, data + nameLength);
    data += nameLength + 1;
    const value = bytes.toString('utf8', data, data + valueLength);
    data += valueLength + 1;
    pairs.push([name, value]);
  }
  return pairs;
}

/** Byte size of a map as Envoy reports it for proxy_get_header_map_size (keys plus values). */
export function pairsByteSize(pairs) {
  let size = 0;
  for (const [name, value] of pairs) size += Buffer.byteLength(name) + Buffer.byteLength(value);
  return size;
}
