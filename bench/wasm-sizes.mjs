#!/usr/bin/env node
// What fills a module's code section: the size of each function body, by function and by class,
// from the names section of a build that keeps names (wasm-filter/target/lambdagate-bench.wasm,
// built with -Dlambdagate.wasm.names=true by `mvn -Pbench`).
//
//   node bench/wasm-sizes.mjs wasm-filter/target/lambdagate-bench.wasm [--top 40] [--grep TEXT]
//
// TeaVM names a method meth_<package initials>_<Class>_<method> (dev.lambdagate.json.Utf8.encode
// is meth_dlj_Utf8_encode); the class is the name without its last part. Functions without such a
// name (runtime glue, exports) are grouped under their own name.

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values: options, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '40' }, grep: { type: 'string' } },
});
if (positionals.length !== 1) {
  process.stderr.write('usage: node bench/wasm-sizes.mjs MODULE.wasm [--top N] [--grep TEXT]\n');
  process.exit(2);
}
const bytes = readFileSync(positionals[0]);
let pos = 8;
const u32 = () => {
  let result = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[pos++];
    result += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) return result;
    shift += 7;
  }
};
const text = () => {
  const n = u32();
  const s = bytes.toString('utf8', pos, pos + n);
  pos += n;
  return s;
};

let importedFunctions = 0;
const bodySizes = [];
const names = new Map();
const sectionSizes = new Map();
while (pos < bytes.length) {
  const id = bytes[pos++];
  const size = u32();
  const end = pos + size;
  sectionSizes.set(id, (sectionSizes.get(id) ?? 0) + size);
  if (id === 2) {
    for (let n = u32(); n > 0; n--) {
      text();
      text();
      const kind = bytes[pos++];
      if (kind === 0) { importedFunctions++; u32(); } else if (kind === 1) { pos++; const f = bytes[pos++]; u32(); if (f & 1) u32(); } else if (kind === 2) { const f = bytes[pos++]; u32(); if (f & 1) u32(); } else { pos += 2; }
    }
  } else if (id === 10) {
    for (let n = u32(); n > 0; n--) {
      const bodySize = u32();
      bodySizes.push(bodySize);
      pos += bodySize;
    }
  } else if (id === 0 && text() === 'name') {
    while (pos < end) {
      const sub = bytes[pos++];
      const subSize = u32();
      const subEnd = pos + subSize;
      if (sub === 1) {
        for (let n = u32(); n > 0; n--) {
          const index = u32();
          names.set(index, text());
        }
      }
      pos = subEnd;
    }
  }
  pos = end;
}
if (names.size === 0) {
  process.stderr.write(`${positionals[0]} has no function names: use the bench build (mvn -Pbench)\n`);
  process.exit(1);
}

const functions = bodySizes.map((size, i) => ({ name: names.get(i + importedFunctions) ?? `#${i + importedFunctions}`, size }));
const classOf = (name) => (/^meth_/.test(name) ? name.replace(/_[^_]*$/, '') : name.replace(/_.*$/, ''));
const byClass = new Map();
for (const f of functions) byClass.set(classOf(f.name), (byClass.get(classOf(f.name)) ?? 0) + f.size);
const areaOf = (name) => {
  if (name.startsWith('meth_dl')) return 'dev.lambdagate';
  if (/^meth_j/.test(name)) return 'JDK (TeaVM class library)';
  if (/^meth_o/.test(name)) return 'TeaVM runtime / other libraries';
  return 'glue and unnamed';
};
const byArea = new Map();
for (const f of functions) byArea.set(areaOf(f.name), (byArea.get(areaOf(f.name)) ?? 0) + f.size);

const codeTotal = bodySizes.reduce((a, b) => a + b, 0);
const top = Number(options.top);
const filter = (name) => !options.grep || name.includes(options.grep);
const row = (size, name) => `${String(size).padStart(9)}  ${(100 * size / codeTotal).toFixed(1).padStart(5)} %  ${name}`;
console.log(`${positionals[0]}: ${bytes.length} bytes; code section ${sectionSizes.get(10)} bytes in ${bodySizes.length} functions, data ${sectionSizes.get(11) ?? 0}, names ${sectionSizes.get(0) ?? 0}`);
console.log('\nby area');
for (const [area, size] of [...byArea].sort((a, b) => b[1] - a[1])) console.log(row(size, area));
console.log(`\nbiggest classes (top ${top})`);
for (const [name, size] of [...byClass].filter(([n]) => filter(n)).sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(row(size, name));
console.log(`\nbiggest functions (top ${top})`);
for (const f of functions.filter((g) => filter(g.name)).sort((a, b) => b.size - a.size).slice(0, top)) console.log(row(f.size, f.name));
