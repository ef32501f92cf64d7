// A proxy-wasm module that does nothing: the baseline of the benchmark (bench.mjs --baseline noop).
//
// Every callback returns at once (headers and bodies: Continue; start and configure: true) and
// no host function is imported, so a request through it costs only what the host itself does
// (creating the stream, copying maps and bodies in JavaScript, the calls into Wasm). The filter's
// own cost is its time per request minus this module's, measured in the same host and run.
// Written as bytes here so that the benchmark needs no Wasm toolchain.

const I32 = 0x7f;

/** Callbacks: name, parameter count (all i32), result (an i32 constant, or null for none). */
const CALLBACKS = [
  ['_initialize', 0, null],
  ['proxy_abi_version_0_2_1', 0, null],
  ['proxy_on_memory_allocate', 1, 1024], // never called: the module reads nothing from the host
  ['proxy_on_context_create', 2, null],
  ['proxy_on_vm_start', 2, 1],
  ['proxy_on_configure', 2, 1],
  ['proxy_on_request_headers', 3, 0],
  ['proxy_on_request_body', 3, 0],
  ['proxy_on_request_trailers', 2, 0],
  ['proxy_on_response_headers', 3, 0],
  ['proxy_on_response_body', 3, 0],
  ['proxy_on_response_trailers', 2, 0],
  ['proxy_on_done', 1, 1],
  ['proxy_on_log', 1, null],
  ['proxy_on_delete', 1, null],
];

const unsigned = (n) => {
  const out = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
};
const signed = (n) => {
  const out = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
};
const vector = (items) => [...unsigned(items.length), ...items.flat()];
const name = (text) => vector([...Buffer.from(text, 'utf8')]);
const section = (id, content) => [id, ...unsigned(content.length), ...content];

/** The no-op module's bytes. */
export function noopModuleBytes() {
  const types = [];
  const typeIndex = new Map();
  const functionTypes = CALLBACKS.map(([, params, result]) => {
    const key = `${params}:${result !== null}`;
    if (!typeIndex.has(key)) {
      typeIndex.set(key, types.length);
      types.push([0x60, ...vector(new Array(params).fill([I32])), ...vector(result !== null ? [[I32]] : [])]);
    }
    return typeIndex.get(key);
  });
  const bodies = CALLBACKS.map(([, , result]) => {
    const code = [0x00, ...(result !== null ? [0x41, ...signed(result)] : []), 0x0b]; // no locals
    return [...unsigned(code.length), ...code];
  });
  const exports = [
    [...name('memory'), 0x02, 0x00],
    ...CALLBACKS.map(([exported], i) => [...name(exported), 0x00, ...unsigned(i)]),
  ];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vector(types)),
    ...section(3, vector(functionTypes.map((t) => unsigned(t)))),
    ...section(5, vector([[0x00, 0x02]])), // one memory, 2 pages, no maximum
    ...section(7, vector(exports)),
    ...section(10, vector(bodies)),
  ]);
}
