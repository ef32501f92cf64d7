#!/usr/bin/env node
// Per-request filter time in V8, the engine Envoy runs Wasm in.
//
//   node --no-liftoff bench.mjs --wasm FILE --config FILE [--request FILE] [--iterations N]
//        [--warmup W] [--time 20150830T123600Z] [--log-level info] [--allow-on-headers-stop-iteration]
//        [--baseline noop|FILE] [--alloc-wasm FILE] [--alloc-requests N] [--body-bytes N]
//
// One "request" is everything the filter does for it: context create, request headers and
// body, any call-outs answered from the request file, the response if given, done/log/delete.
// The request file holds one JSON request in the driver's format (exchange.mjs); default: a GET
// without body. The first W requests warm V8 up and are not measured. Prints one JSON object.
//
// --baseline: a second module run in the same host code and process, in alternating blocks of
// requests with the filter (so both see the same machine load); `noop` is noop-module.mjs, a
// module whose callbacks do nothing. `ownNanos` is then the filter's own cost: its percentile
// minus the baseline's.
// --alloc-wasm: the benchmark build of the filter (lambdagate-bench.wasm, export
// lambdagate_bench_free_bytes: the free bytes of TeaVM's heap). After the timed runs it serves
// --alloc-requests requests (default 20,000), reading the free bytes around each: the bytes the
// filter allocated for a request (exact when no collection ran during it) and how many of those
// requests ran a collection (free bytes grew).
// --body-bytes: replaces the request's body with N bytes of JSON-safe text (body throughput:
// N divided by the own cost is the rate at which the filter takes a body in).

import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { fixedClock, systemClock } from './clock.mjs';
import { requestFromJson, runExchange } from './exchange.mjs';
import { noopModuleBytes } from './noop-module.mjs';
import { ProxyWasmHost } from './proxy-wasm-host.mjs';

const DEFAULT_REQUEST = {
  headers: [[':method', 'GET'], [':path', '/'], [':authority', 'example.amazonaws.com'], [':scheme', 'https']],
};

const { values: options } = parseArgs({
  options: {
    wasm: { type: 'string' },
    config: { type: 'string' },
    request: { type: 'string' },
    iterations: { type: 'string', default: '20000' },
    warmup: { type: 'string', default: '2000' },
    time: { type: 'string' },
    'log-level': { type: 'string', default: 'info' }, // Envoy's default
    'allow-on-headers-stop-iteration': { type: 'boolean', default: false },
    baseline: { type: 'string' },
    'alloc-wasm': { type: 'string' },
    'alloc-requests': { type: 'string', default: '20000' },
    'body-bytes': { type: 'string' },
  },
});
if (!options.wasm || !options.config) {
  process.stderr.write('usage: node --no-liftoff bench.mjs --wasm FILE --config FILE [--request FILE]'
    + ' [--iterations N] [--warmup W] [--time T] [--log-level LEVEL] [--allow-on-headers-stop-iteration]'
    + ' [--baseline noop|FILE] [--alloc-wasm FILE] [--alloc-requests N] [--body-bytes N]\n');
  process.exit(2);
}
const liftoff = !process.execArgv.includes('--no-liftoff');
if (liftoff) process.stderr.write('warning: run with node --no-liftoff to compile Wasm as Envoy does\n');

const iterations = Number(options.iterations);
const warmup = Number(options.warmup);
const requestJson = options.request ? JSON.parse(await readFile(options.request, 'utf8')) : DEFAULT_REQUEST;
if (options['body-bytes']) {
  const body = Buffer.alloc(Number(options['body-bytes']));
  for (let i = 0; i < body.length; i++) body[i] = 0x61 + ((i * 7) % 26); // a..z
  requestJson.body = body.toString('base64');
}
const request = requestFromJson(requestJson);
const startHost = async (wasm) => ProxyWasmHost.start({
  wasm,
  pluginConfig: await readFile(options.config),
  clock: options.time ? fixedClock(options.time) : systemClock(),
  logLevel: options['log-level'],
  allowOnHeadersStopIteration: options['allow-on-headers-stop-iteration'],
  onLog: () => {}, // the filter still formats what its level lets through; the host drops it
});
const host = await startHost(options.wasm);
const baseline = options.baseline
  ? await startHost(options.baseline === 'noop' ? noopModuleBytes() : options.baseline)
  : null;

for (let i = 0; i < warmup; i++) runExchange(host, request);
for (let i = 0; baseline && i < warmup; i++) runExchange(baseline, request);
const pagesBefore = host.memoryPages();
const samples = new Float64Array(iterations);
const baselineSamples = baseline ? new Float64Array(iterations) : null;
let last;
// Alternating blocks, so that a load change on the machine hits filter and baseline alike.
const BLOCK = 1000;
for (let done = 0; done < iterations; done += BLOCK) {
  const end = Math.min(iterations, done + BLOCK);
  for (let i = done; i < end; i++) {
    const start = process.hrtime.bigint();
    last = runExchange(host, request);
    samples[i] = Number(process.hrtime.bigint() - start);
  }
  for (let i = done; baseline && i < end; i++) {
    const start = process.hrtime.bigint();
    runExchange(baseline, request);
    baselineSamples[i] = Number(process.hrtime.bigint() - start);
  }
}
const pagesAfter = host.memoryPages();

const summary = (values) => {
  values.sort();
  const percentile = (p) => values[Math.min(values.length - 1, Math.floor((p / 100) * values.length))];
  const mean = values.reduce((sum, x) => sum + x, 0) / values.length;
  return {
    median: percentile(50),
    p90: percentile(90),
    p99: percentile(99),
    mean: Math.round(mean),
    min: values[0],
    max: values[values.length - 1],
  };
};
const nanosPerRequest = summary(samples);
const baselineNanos = baseline ? summary(baselineSamples) : null;
const ownNanos = baseline
  ? Object.fromEntries(['median', 'p90', 'p99', 'mean', 'min'].map((k) => [k, nanosPerRequest[k] - baselineNanos[k]]))
  : null;

// Allocation per request, on the benchmark build (same filter code, one more export).
let allocation = null;
if (options['alloc-wasm']) {
  const probe = await startHost(options['alloc-wasm']);
  const freeBytes = probe.exports.lambdagate_bench_free_bytes;
  if (typeof freeBytes !== 'function') {
    throw new Error(`${options['alloc-wasm']} has no export lambdagate_bench_free_bytes: build it with mvn -Pbench`);
  }
  for (let i = 0; i < warmup; i++) runExchange(probe, request);
  const count = Number(options['alloc-requests']);
  const bytes = [];
  let collections = 0;
  for (let i = 0; i < count; i++) {
    const before = freeBytes();
    runExchange(probe, request);
    const after = freeBytes();
    if (after > before) collections++;
    else bytes.push(before - after);
  }
  bytes.sort((a, b) => a - b);
  allocation = {
    requests: count,
    bytesPerRequest: bytes.length > 0
      ? { median: bytes[Math.floor(bytes.length / 2)], min: bytes[0], max: bytes[bytes.length - 1] }
      : null,
    requestsWithCollection: collections,
    collectionsPerMillionRequests: Math.round((collections * 1e6) / count),
  };
}

process.stdout.write(`${JSON.stringify({
  engine: { node: process.version, v8: process.versions.v8, liftoff },
  iterations,
  warmup,
  requestBodyBytes: request.body?.length ?? 0,
  nanosPerRequest,
  baseline: baseline ? { module: options.baseline, nanosPerRequest: baselineNanos } : null,
  ownNanos,
  allocation,
  memoryPages: { before: pagesBefore, after: pagesAfter },
  lastOutcome: { localReply: last.localReply, status: last.status ?? null, paused: last.paused },
})}\n`);
