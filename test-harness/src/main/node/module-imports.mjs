// Reads a module's imports with their signatures straight from the binary. V8's JS API lists
// import names but not function types (type reflection is not shipped in Node 20), and Envoy
// rejects a module whose import has the wrong signature, so the host must see the types too.

import { ModuleLoadError } from './errors.mjs';

const SECTION_TYPE = 1;
const SECTION_IMPORT = 2;
const VALUE_TYPES = { 0x7f: 'i32', 0x7e: 'i64', 0x7d: 'f32', 0x7c: 'f64', 0x7b: 'v128', 0x70: 'funcref', 0x6f: 'externref' };
const KINDS = ['function', 'table', 'memory', 'global', 'tag'];

class Reader {
  constructor(bytes, pos = 0) {
    this.bytes = bytes;
    this.pos = pos;
  }

  byte() {
    if (this.pos >= this.bytes.length) throw new Error('truncated Wasm module');
    return this.bytes[this.pos++];
  }

  u32() {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = this.byte();
      result |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result >>> 0;
      shift += 7;
      if (shift > 28) throw new Error('bad LEB128 in Wasm module');
    }
  }

  name() {
    const length = this.u32();
    const text = Buffer.from(this.bytes.subarray(this.pos, this.pos + length)).toString('utf8');
    this.pos += length;
    return text;
  }

  valueType() {
    const code = this.byte();
    return VALUE_TYPES[code] ?? `0x${code.toString(16)}`;
  }

  limits() {
    const flags = this.byte();
    this.u32();
    if (flags & 1) this.u32();
  }
}

/**
 * Lists every import: {module, name, kind, params?, results?}. Only the type and import
 * sections are decoded; everything else is skipped by its length.
 */
export function readImports(bytes) {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  if (view.length < 8 || view[0] !== 0 || view[1] !== 0x61 || view[2] !== 0x73 || view[3] !== 0x6d) {
    throw new Error('not a Wasm module (bad magic)');
  }
  const reader = new Reader(view, 8);
  const types = [];
  const imports = [];
  while (reader.pos < view.length) {
    const id = reader.byte();
    const size = reader.u32();
    const end = reader.pos + size;
    if (id === SECTION_TYPE) {
      for (let count = reader.u32(); count > 0; count--) {
        const form = reader.byte();
        if (form !== 0x60) throw new Error(`unsupported type form 0x${form.toString(16)}`);
        const params = Array.from({ length: reader.u32() }, () => reader.valueType());
        const results = Array.from({ length: reader.u32() }, () => reader.valueType());
        types.push({ params, results });
      }
    } else if (id === SECTION_IMPORT) {
      for (let count = reader.u32(); count > 0; count--) {
        const module = reader.name();
        const name = reader.name();
        const kind = KINDS[reader.byte()] ?? 'unknown';
        if (kind === 'function') {
          const type = types[reader.u32()];
          imports.push({ module, name, kind, params: type.params, results: type.results });
        } else {
          if (kind === 'table') reader.byte();
          if (kind === 'table' || kind === 'memory') reader.limits();
          if (kind === 'global') reader.pos += 2;
          if (kind === 'tag') {
            reader.byte();
            reader.u32();
          }
          imports.push({ module, name, kind });
        }
      }
      return imports; // the import section follows the type section; nothing after matters
    }
    reader.pos = end;
  }
  return imports;
}

export function signatureText({ params, results }) {
  return `(${params.join(', ')}) -> (${results.join(', ')})`;
}

/**
 * Checks every import against what Envoy registers for ABI 0.2.1 (and this host implements),
 * and throws one ModuleLoadError naming all offenders. A JS host would accept a missing or
 * mistyped function until it is called; Envoy refuses to load the module, so this host does too.
 */
export function checkImports(imports, envFunctions, wasiModule, wasiFunctions) {
  const problems = [];
  for (const entry of imports) {
    const qualified = `${entry.module}.${entry.name}`;
    const table = entry.module === 'env' ? envFunctions : entry.module === wasiModule ? wasiFunctions : null;
    const expected = table && entry.kind === 'function' ? table[entry.name] : undefined;
    if (expected === undefined) {
      problems.push(`missing import: ${qualified} (${entry.kind}); Envoy registers no such import`);
    } else if (expected.implemented === false) {
      problems.push(`missing import: ${qualified} is registered by Envoy but not implemented by this host`);
    } else if (signatureText(expected) !== signatureText(entry)) {
      problems.push(`import type mismatch for ${qualified}: want ${signatureText(entry)}, host exports ${signatureText(expected)}`);
    }
  }
  if (problems.length > 0) {
    throw new ModuleLoadError(`Failed to load Wasm module:\n  ${problems.join('\n  ')}`);
  }
}
