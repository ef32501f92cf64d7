#!/usr/bin/env node
// Per-request filter time in V8, the engine Envoy runs Wasm in.
//
//   node --no-liftoff bench.mjs --wasm FILE --config FILE [--request FILE] [--iterations N]
//        [--warmup W] [--time 20150830T123600Z] [--log-level info] [--allow-on-headers-stop-iteration]
//
// One "request" is everything the filter does for it: context create, request headers and
// body, any call-outs answered from the request file, the response if given, done/log/delete.
// The request file holds one JSON request in the driver's format (exchange.mjs); default: a GET
// without body. The first W requests warm V8 up and are not measured. Prints one JSON object.

import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { fixedClock, systemClock } from './clock.mjs';
import { requestFromJson, runExchange } from './exchange.mjs';
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
  },
});
if (!options.wasm || !options.config) {
  process.stderr.write('usage: node --no-liftoff bench.mjs --wasm FILE --config FILE [--request FILE]'
    + ' [--iterations N] [--warmup W] [--time T] [--log-level LEVEL] [--allow-on-headers-stop-iteration]\n');
  process.exit(2);
}
const liftoff = !process.execArgv.includes('--no-liftoff');
if (liftoff) process.stderr.write('warning: run with node --no-liftoff to compile Wasm as Envoy does\n');

const iterations = Number(options.iterations);
const warmup = Number(options.warmup);
const request = requestFromJson(options.request
  ? JSON.parse(await readFile(options.request, 'utf8'))
  : DEFAULT_REQUEST);
const host = await ProxyWasmHost.start({
  wasm: options.wasm,
  pluginConfig: await readFile(options.config),
  clock: options.time ? fixedClock(options.time) : systemClock(),
  logLevel: options['log-level'],
  allowOnHeadersStopIteration: options['allow-on-headers-stop-iteration'],
  onLog: () => {}, // the filter still formats what its level lets through; the host drops it
});

for (let i = 0; i < warmup; i++) runExchange(host, request);
const pagesBefore = host.memoryPages();
const samples = new Float64Array(iterations);
let last;
for (let i = 0; i < iterations; i++) {
  const start = process.hrtime.bigint();
  last = runExchange(host, request);
  samples[i] = Number(process.hrtime.bigint() - start);
}
samples.sort();

const percentile = (p) => samples[Math.min(samples.length - 1, Math.floor((p / 100) * samples.length))];
const mean = samples.reduce((sum, x) => sum + x, 0) / samples.length;
process.stdout.write(`${JSON.stringify({
  engine: { node: process.version, v8: process.versions.v8, liftoff },
  iterations,
  warmup,
  nanosPerRequest: {
    median: percentile(50),
    p90: percentile(90),
    p99: percentile(99),
    mean: Math.round(mean),
    min: samples[0],
    max: samples[samples.length - 1],
  },
  memoryPages: { before: pagesBefore, after: host.memoryPages() },
  lastOutcome: { localReply: last.localReply, status: last.status ?? null, paused: last.paused },
})}\n`);
