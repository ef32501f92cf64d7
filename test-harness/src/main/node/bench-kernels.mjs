#!/usr/bin/env node
// SHA-256 throughput and SigV4 signing time inside the module, in V8 (the engine Envoy uses).
//
//   node --no-liftoff bench-kernels.mjs --wasm lambdagate-bench.wasm --config FILE [--samples N]
//
// The benchmark module is the filter plus exports that loop over dev.lambdagate.bench.BenchKernels
// (wasm-filter test sources; built by `mvn -Pbench`), so one call runs many operations and the
// host's call overhead is not measured. Each sample times one call; the figures are the min,
// median and max over the samples, after warm-up calls that are not counted. Prints one JSON object.

import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { systemClock } from './clock.mjs';
import { ProxyWasmHost } from './proxy-wasm-host.mjs';

const { values: options } = parseArgs({
  options: {
    wasm: { type: 'string' },
    config: { type: 'string' },
    samples: { type: 'string', default: '11' },
    sizes: { type: 'string', default: '1024,65536,1048576,6291456' },
  },
});
if (!options.wasm || !options.config) {
  process.stderr.write('usage: node --no-liftoff bench-kernels.mjs --wasm FILE --config FILE [--samples N] [--sizes a,b,c]\n');
  process.exit(2);
}
const liftoff = !process.execArgv.includes('--no-liftoff');
if (liftoff) process.stderr.write('warning: run with node --no-liftoff to compile Wasm as Envoy does\n');
const samples = Number(options.samples);

const host = await ProxyWasmHost.start({
  wasm: options.wasm,
  pluginConfig: await readFile(options.config),
  clock: systemClock(),
  logLevel: 'info',
  onLog: () => {},
});
const wasm = host.exports;
for (const name of ['lambdagate_bench_sha256_prepare', 'lambdagate_bench_sha256', 'lambdagate_bench_sign']) {
  if (typeof wasm[name] !== 'function') throw new Error(`${options.wasm} has no export ${name}: build it with mvn -Pbench`);
}

const time = (fn) => {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start);
};
const summary = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { min: sorted[0], median: sorted[Math.floor(sorted.length / 2)], max: sorted[sorted.length - 1] };
};

// SHA-256: iterations per sample so that one sample hashes about 8 MiB (at least once).
const sha256 = [];
for (const size of options.sizes.split(',').map(Number)) {
  wasm.lambdagate_bench_sha256_prepare(size);
  const iterations = Math.max(1, Math.round((8 << 20) / size));
  for (let i = 0; i < 3; i++) wasm.lambdagate_bench_sha256(iterations);
  const mbPerSecond = [];
  for (let s = 0; s < samples; s++) {
    const nanos = time(() => wasm.lambdagate_bench_sha256(iterations));
    mbPerSecond.push((size * iterations) / 1e6 / (nanos / 1e9));
  }
  // min is the slowest sample, max the fastest.
  sha256.push({ size, iterationsPerSample: iterations, mbPerSecond: summary(mbPerSecond) });
}
wasm.lambdagate_bench_sha256_prepare(0);

// Signing: 2000 signatures per sample, key cached after the first.
const SIGNS = 2000;
for (let i = 0; i < 5; i++) wasm.lambdagate_bench_sign(SIGNS);
const signNanos = [];
for (let s = 0; s < samples * 3; s++) signNanos.push(time(() => wasm.lambdagate_bench_sign(SIGNS)) / SIGNS);

process.stdout.write(`${JSON.stringify({
  engine: { node: process.version, v8: process.versions.v8, liftoff },
  samples,
  sha256,
  signEmptyBody: { signaturesPerSample: SIGNS, samples: signNanos.length, nanosPerSignature: summary(signNanos) },
  memoryPages: host.memoryPages(),
})}\n`);
