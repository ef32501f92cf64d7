// Bounds-checked access to the module's linear memory. Every address the module passes is
// checked before use, as Envoy does: an out-of-range pointer makes the host call fail with
// InvalidMemoryAccess instead of reading or writing somewhere else.

export class LinearMemory {
  /** Created before the instance exists (the imports need it); attach() gives it the memory. */
  constructor() {
    this.memory = null;
    this.buffer = null;
  }

  attach(memory) {
    this.memory = memory;
    return this.refresh();
  }

  /** Re-creates the views when memory.grow() has replaced the ArrayBuffer. */
  refresh() {
    if (this.buffer !== this.memory.buffer) {
      this.buffer = this.memory.buffer;
      this.bytes = new Uint8Array(this.buffer);
      this.data = new DataView(this.buffer);
    }
    return this;
  }

  get byteLength() {
    return this.refresh().buffer.byteLength;
  }

  get pages() {
    return this.byteLength / 65536;
  }

  inBounds(ptr, length) {
    return ptr >= 0 && length >= 0 && ptr + length <= this.byteLength;
  }

  /** A copy of [ptr, ptr + length), or null when out of bounds. */
  read(ptr, length) {
    ptr >>>= 0;
    length >>>= 0;
    if (!this.inBounds(ptr, length)) return null;
    return Buffer.from(this.bytes.subarray(ptr, ptr + length));
  }

  readString(ptr, length) {
    const bytes = this.read(ptr, length);
    return bytes === null ? null : bytes.toString('utf8');
  }

  readU32(ptr) {
    ptr >>>= 0;
    return this.inBounds(ptr, 4) ? this.data.getUint32(ptr, true) : null;
  }

  writeU32(ptr, value) {
    ptr >>>= 0;
    if (!this.inBounds(ptr, 4)) return false;
    this.data.setUint32(ptr, value >>> 0, true);
    return true;
  }

  writeU64(ptr, value) {
    ptr >>>= 0;
    if (!this.inBounds(ptr, 8)) return false;
    this.data.setBigUint64(ptr, BigInt.asUintN(64, BigInt(value)), true);
    return true;
  }

  writeBytes(ptr, bytes) {
    ptr >>>= 0;
    if (!this.inBounds(ptr, bytes.length)) return false;
    this.bytes.set(bytes, ptr);
    return true;
  }

  /** A live view (no copy) for the host to fill, e.g. random_get; null when out of bounds. */
  window(ptr, length) {
    ptr >>>= 0;
    length >>>= 0;
    return this.inBounds(ptr, length) ? this.bytes.subarray(ptr, ptr + length) : null;
  }
}
