#!/usr/bin/env node
// Writes docs/benchmarks.md from the raw results of bench/run.sh.
//
//   node bench/report.mjs --results bench/results --wasm wasm-filter/target/lambdagate.wasm --out docs/benchmarks.md
//
// Figures come only from the result files of this run; the hand-written analysis (size history,
// what dominates, next steps) is bench/notes.md, copied in below the figures. JMH results of
// benchmarks in package dev.lambdagate.bench.controlplane fill the "Control plane" section.

import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';

const { values: options } = parseArgs({
  options: { results: { type: 'string' }, wasm: { type: 'string' }, out: { type: 'string' } },
});
const dir = options.results;
const read = (name) => (existsSync(join(dir, name)) ? readFileSync(join(dir, name), 'utf8') : null);
const json = (name) => { const text = read(name); return text ? JSON.parse(text) : null; };

const TARGETS = { sha256MBps: 250, signMicros: 4, filterP50Micros: 20, signOwnMicros: 12, moduleKB: 300 };
const fmt = (x, digits = 1) => (x === undefined || x === null || Number.isNaN(x) ? 'n/a' : Number(x).toFixed(digits));
const us = (nanos) => fmt(nanos / 1000, 2);
const verdict = (ok) => (ok ? 'met' : '**missed**');
const lines = [];
const out = (s = '') => lines.push(s);

// ---- machine
const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
const model = (cpuinfo.match(/^model name\s*:\s*(.*)$/m) ?? [])[1] ?? cpus()[0]?.model ?? 'unknown';
const mhz = (cpuinfo.match(/^cpu MHz\s*:\s*(.*)$/m) ?? [])[1];
const flags = (cpuinfo.match(/^flags\s*:\s*(.*)$/m) ?? [])[1] ?? '';
const memKB = Number((readFileSync('/proc/meminfo', 'utf8').match(/^MemTotal:\s*(\d+)/m) ?? [])[1] ?? totalmem() / 1024);
let javaVersion = 'unknown';
try {
  javaVersion = execFileSync('java', ['-version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) || '';
} catch (e) { javaVersion = String(e.stderr ?? ''); }
try {
  const r = execFileSync('sh', ['-c', 'java -version 2>&1'], { encoding: 'utf8' });
  javaVersion = r.split('\n').filter(Boolean).join('; ');
} catch { /* keep */ }
const started = (read('started') ?? '').trim();
const loadStart = (read('loadavg-start') ?? '').trim().split(' ').slice(0, 3).join(' ');
const loadEnd = (read('loadavg-end') ?? '').trim().split(' ').slice(0, 3).join(' ');

// ---- results
const kernels = json('v8-kernels.json');
const filter = json('v8-filter.json');
const MODES = [
  ['sign', 'sign mode (`execute-api`, body hashed and signed)'],
  ['lambda-none', 'Lambda, `None` (body passed as the payload)'],
  ['lambda-envoy', 'Lambda, `Envoy` event'],
  ['lambda-apigatewayv1', 'Lambda, `ApiGatewayV1` event'],
  ['lambda-apigatewayv2', 'Lambda, `ApiGatewayV2` event'],
];
const modes = MODES.map(([key, label]) => ({ key, label, r: json(`v8-mode-${key}.json`) })).filter((m) => m.r);
const signMode = modes.find((m) => m.key === 'sign')?.r;
const jmh = json('jmh.json') ?? [];
const jmhFind = (suffix, param) => jmh.find((r) => r.benchmark.endsWith(suffix)
  && (!param || Object.entries(param).every(([k, v]) => r.params?.[k] === String(v))));
const raw = (r) => (r?.primaryMetric?.rawData ?? []).flat();
const summary = (values) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length ? { min: s[0], median: s[Math.floor(s.length / 2)], max: s[s.length - 1] } : null;
};

// ---- module
const wasm = readFileSync(options.wasm);
const sections = [];
for (let i = 8; i < wasm.length;) {
  const id = wasm[i++];
  let size = 0; let shift = 0; let b;
  do { b = wasm[i++]; size |= (b & 0x7f) << shift; shift += 7; } while (b & 0x80);
  sections.push({ id, size });
  i += size;
}
const sectionSize = (id) => sections.filter((s) => s.id === id).reduce((a, s) => a + s.size, 0);
const moduleKB = wasm.length / 1024;

out('# lambdagate benchmarks');
out();
out('<!-- Written by `make bench` (bench/run.sh → bench/report.mjs). Edit bench/notes.md for the analysis; -->');
out('<!-- the figures below are replaced on every run. -->');
out();
out(`Run: ${started || 'unknown'} (UTC). Reproduce: \`make bench\` (one command: builds the modules and the`);
out('JMH jar with `mvn -Pbench`, runs Node and JMH, rewrites this file; raw results in `bench/results/`).');
out();
out('## Machine');
out(`- CPU: ${model}${mhz ? ` (${Math.round(Number(mhz))} MHz)` : ''}, ${cpus().length} logical cores visible; `
  + `SHA extensions: ${/\bsha_ni\b/.test(flags) ? 'yes' : 'no'}, AVX2: ${/\bavx2\b/.test(flags) ? 'yes' : 'no'}`);
out(`- Memory: ${fmt(memKB / 1024 / 1024, 1)} GiB`);
out(`- Load average (1/5/15 min) at start: ${loadStart || 'n/a'}; at end: ${loadEnd || 'n/a'}`
  + ' — figures taken with a load above the core count are noisy (other processes share the cores).');
out(`- Node ${kernels?.engine?.node ?? process.version} (V8 ${kernels?.engine?.v8 ?? process.versions.v8}), run with`
  + ' `--no-liftoff` (TurboFan only, as Envoy compiles Wasm)');
out(`- Java: ${javaVersion}`);
out(`- JMH ${jmh[0]?.jmhVersion ?? 'n/a'}; JVM ${jmh[0]?.vmName ?? ''} ${jmh[0]?.vmVersion ?? ''}`);
out();

out('## Summary against the targets');
out('| measure | target | result | |');
out('|---|---|---|---|');
const sha1m = kernels?.sha256?.find((s) => s.size === 1048576);
const shaMin = kernels ? Math.min(...kernels.sha256.map((s) => s.mbPerSecond.median)) : NaN;
out(`| SHA-256 throughput in V8, median, smallest over 1 KB…6 MB | ≥ ${TARGETS.sha256MBps} MB/s | ${fmt(shaMin)} MB/s (1 MB: ${fmt(sha1m?.mbPerSecond?.median)}) | ${verdict(shaMin >= TARGETS.sha256MBps)} |`);
const signMed = kernels?.signEmptyBody?.nanosPerSignature?.median;
out(`| SigV4 signing, empty body, key cached, V8, median | ≤ ${TARGETS.signMicros} µs | ${us(signMed)} µs | ${verdict(signMed / 1000 <= TARGETS.signMicros)} |`);
const p50 = filter?.nanosPerRequest?.median;
out(`| whole filter per request (Envoy transform + sign + unwrap, 1 KB JSON), V8, p50 | ≤ ${TARGETS.filterP50Micros} µs | ${us(p50)} µs | ${verdict(p50 / 1000 <= TARGETS.filterP50Micros)} |`);
const body = json('v8-body-1mib.json');
const bodyMBps = (nanos) => (body ? body.requestBodyBytes / 1e6 / (nanos / 1e9) : NaN);
out(`| request body, 1 MiB, through \`proxy_on_request_body\` (read + hash; sign mode, own cost at p50), V8 | ≥ 250 MB/s | ${fmt(bodyMBps(body?.ownNanos?.median))} MB/s (fastest request: ${fmt(bodyMBps(body?.ownNanos?.min))}) | ${verdict(bodyMBps(body?.ownNanos?.median) >= 250)} |`);
const signOwn = signMode?.ownNanos?.median;
out(`| sign mode, POST 1 KB body, filter's own cost (p50 minus a no-op module's p50, same host and run), V8 | ≤ ${TARGETS.signOwnMicros} µs | ${us(signOwn)} µs | ${verdict(signOwn / 1000 <= TARGETS.signOwnMicros)} |`);
const signAlloc = signMode?.allocation?.bytesPerRequest?.median;
out(`| bytes allocated per request in steady state, sign mode (median; TeaVM heap) | 0 | ${signAlloc ?? 'n/a'} B (collections: ${signMode?.allocation?.collectionsPerMillionRequests ?? 'n/a'} per million requests) | ${verdict(signAlloc === 0)} |`);
out(`| module size | ≤ ${TARGETS.moduleKB} KB | ${fmt(moduleKB)} KB (${wasm.length} bytes) | ${verdict(moduleKB <= TARGETS.moduleKB)} |`);
const pagesFlat = filter && filter.memoryPages.before === filter.memoryPages.after;
out(`| linear memory after ${filter?.iterations?.toLocaleString('en-US') ?? 'n/a'} requests | flat | ${filter?.memoryPages?.before ?? 'n/a'} → ${filter?.memoryPages?.after ?? 'n/a'} pages of 64 KiB | ${verdict(pagesFlat)} |`);
out();

out('## Module size');
out(`\`wasm-filter/target/lambdagate.wasm\`: ${wasm.length} bytes (${fmt(moduleKB)} KB), gzip -9: `
  + `${gzipSync(wasm, { level: 9 }).length} bytes. Code section ${sectionSize(10)} bytes, data section `
  + `${sectionSize(11)} bytes, everything else ${wasm.length - sectionSize(10) - sectionSize(11)} bytes.`);
out();

out('## SHA-256 (V8 vs HotSpot, same Java code, same run)');
out('MB/s = 10^6 bytes per second. V8: min / median / max over samples of about 8 MiB each (min is the slowest).');
out('HotSpot: JMH average time per operation, min / median / max over measurement iterations, as MB/s.');
out();
out('| input | V8 min | V8 median | V8 max | HotSpot median | HotSpot/V8 |');
out('|---|---|---|---|---|---|');
for (const s of kernels?.sha256 ?? []) {
  const r = jmhFind('.JvmKernelsBenchmark.sha256', { size: s.size });
  const hs = summary(raw(r).map((ns) => s.size / 1e6 / (ns / 1e9)));
  const label = s.size >= 1 << 20 ? `${s.size / (1 << 20)} MiB` : `${s.size / 1024} KiB`;
  out(`| ${label} | ${fmt(s.mbPerSecond.min)} | ${fmt(s.mbPerSecond.median)} | ${fmt(s.mbPerSecond.max)} | ${fmt(hs?.median)} | ${hs ? fmt(hs.median / s.mbPerSecond.median, 1) + '×' : 'n/a'} |`);
}
out();

out('## SigV4 signing, empty body, signing key cached');
const signJmh = summary(raw(jmhFind('.JvmKernelsBenchmark.signEmptyBody')));
const sk = kernels?.signEmptyBody?.nanosPerSignature;
out('| engine | min | median | max | |');
out('|---|---|---|---|---|');
out(`| V8 (${kernels?.signEmptyBody?.samples ?? 'n/a'} samples of ${kernels?.signEmptyBody?.signaturesPerSample ?? 'n/a'} signatures) | ${us(sk?.min)} µs | ${us(sk?.median)} µs | ${us(sk?.max)} µs | |`);
out(`| HotSpot (JMH iterations) | ${us(signJmh?.min)} µs | ${us(signJmh?.median)} µs | ${us(signJmh?.max)} µs | V8/HotSpot ${signJmh && sk ? fmt(sk.median / signJmh.median, 1) + '×' : 'n/a'} |`);
out();

out('## Whole filter per request');
out('Lambda mode, `payloadTransformMode: Envoy`: POST with a 1 KB JSON body → event built, request rewritten to');
out('Invoke and signed (body hashed); the Invoke result (about 1.3 KB) → unwrapped into the response. One request');
out('is everything the filter does for it, context create to delete (`bench/fixtures/`).');
out();
out('| host | p50 | p90 | p99 | min | max | requests |');
out('|---|---|---|---|---|---|---|');
if (filter) {
  const n = filter.nanosPerRequest;
  out(`| V8, Node proxy-wasm host (\`bench.mjs\`; includes the JS host's own work) | ${us(n.median)} µs | ${us(n.p90)} µs | ${us(n.p99)} µs | ${us(n.min)} µs | ${us(n.max)} µs | ${filter.iterations.toLocaleString('en-US')} after ${filter.warmup} warm-up |`);
}
const chicoryRows = [
  ['.ChicoryFilterBenchmark.request', 'Chicory compiled mode, proxy-wasm-java-host, default JVM flags (JMH sample time)'],
  ['.ChicoryFilterHugeMethodsBenchmark.request', 'Chicory compiled mode, JVM with `-XX:-DontCompileHugeMethods` (JMH sample time)'],
];
const ratios = [];
for (const [name, label] of chicoryRows) {
  const r = jmhFind(name);
  if (!r) continue;
  const p = r.primaryMetric.scorePercentiles;
  out(`| ${label} | ${fmt(p['50.0'], 2)} µs | ${fmt(p['90.0'], 2)} µs | ${fmt(p['99.0'], 2)} µs | ${fmt(p['0.0'], 2)} µs | ${fmt(p['100.0'], 2)} µs | ${(r.primaryMetric.rawDataHistogram ?? []).flat(2).reduce((n, [, c]) => n + c, 0).toLocaleString('en-US')} samples |`);
  if (filter) ratios.push(`${label.split(' (')[0]}: ${fmt(p['50.0'] / (filter.nanosPerRequest.median / 1000), 1)}× V8`);
}
if (ratios.length) out(`\nAt p50 — ${ratios.join('; ')}.`);
out();
if (filter?.ownNanos) {
  out(`A no-op module (\`noop-module.mjs\`: every callback returns at once) in the same host, alternating with the filter`);
  out(`in blocks of 1,000 requests: p50 ${us(filter.baseline.nanosPerRequest.median)} µs. The filter's own cost (its p50 minus`);
  out(`the no-op's): **${us(filter.ownNanos.median)} µs** (p90 ${us(filter.ownNanos.p90)} µs).`);
  out();
}

if (modes.length) {
  out('### Per mode: own cost and allocation');
  out('The same POST with a 1 KB JSON body (`bench/fixtures/lambda-envoy-1k.request.json`) in each mode, V8. Own cost: p50 and p90');
  out('of the filter minus those of the no-op module, alternating in the same host and run. Allocation: TeaVM heap bytes');
  out('allocated per request (free bytes read around each request on the benchmark build, `lambdagate_bench_free_bytes`),');
  out('median over the requests that ran no collection; collections per million requests.');
  out();
  out('| mode | p50 | no-op p50 | own p50 | own p90 | bytes allocated / request | collections / 10^6 requests | requests |');
  out('|---|---|---|---|---|---|---|---|');
  for (const { label, r } of modes) {
    const a = r.allocation;
    out(`| ${label} | ${us(r.nanosPerRequest.median)} µs | ${us(r.baseline?.nanosPerRequest?.median)} µs | ${us(r.ownNanos?.median)} µs | ${us(r.ownNanos?.p90)} µs | ${a?.bytesPerRequest?.median ?? 'n/a'} | ${a?.collectionsPerMillionRequests ?? 'n/a'} | ${r.iterations.toLocaleString('en-US')} |`);
  }
  out();
}
if (filter) {
  out(`Linear memory: ${filter.memoryPages.before} pages after warm-up, ${filter.memoryPages.after} pages after ${filter.iterations.toLocaleString('en-US')} more requests.`);
  out();
}

// ---- CPU profile: self time by function
const profDir = join(dir, 'cpuprofile');
if (existsSync(profDir)) {
  const file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
  if (file) {
    const prof = JSON.parse(readFileSync(join(profDir, file), 'utf8'));
    const self = new Map();
    let total = 0;
    for (const node of prof.nodes) {
      const name = node.callFrame.functionName || `(${node.callFrame.url ? node.callFrame.url.split('/').pop() : 'anonymous'})`;
      // Wasm frames carry the module's hash as their url: only JS files are worth naming.
      const url = node.callFrame.url ?? '';
      const where = /\.m?js$|^node:/.test(url) ? url.split('/').pop() : '';
      const key = `${name}${where && !name.startsWith('(') ? ` (${where})` : ''}`;
      self.set(key, (self.get(key) ?? 0) + (node.hitCount ?? 0));
      total += node.hitCount ?? 0;
    }
    const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25);
    const category = (key) => {
      if (key.startsWith('meth_dl')) return 'filter code (dev.lambdagate.*)';
      if (/^meth_j/.test(key)) return 'JDK classes (TeaVM class library)';
      if (/^(meth_ot|teavm_|supertypeof_|initclass_)/.test(key)) return 'TeaVM runtime (allocation, GC, shadow stack)';
      if (/^(proxy_|malloc|_initialize|lambdagate_bench)/.test(key)) return 'module exports (glue)';
      if (key.startsWith('(garbage collector)')) return 'V8 garbage collector (JS heap of the host)';
      if (/^\((idle|program|root)\)/.test(key)) return 'V8 idle / program';
      return 'Node host and runtime (JS)';
    };
    const byCategory = new Map();
    for (const [key, hits] of self) byCategory.set(category(key), (byCategory.get(category(key)) ?? 0) + hits);
    out('### Where the time goes (V8 `--cpu-prof`, whole filter, self time)');
    out('Profile of the benchmark module (same filter code, function names kept), 100,000 requests; samples');
    out('in Wasm functions carry the Java method (`meth_<package initials>_<Class>_<method>`), samples in');
    out('`.mjs` files are the Node host, not the filter.');
    out();
    out('| share | category |');
    out('|---|---|');
    for (const [name, hits] of [...byCategory.entries()].sort((a, b) => b[1] - a[1])) out(`| ${fmt((100 * hits) / total)} % | ${name} |`);
    out();
    out('| self | function |');
    out('|---|---|');
    for (const [name, hits] of top) out(`| ${fmt((100 * hits) / total)} % | \`${name}\` |`);
    out();
  }
}

out('## Control plane');
const cp = jmh.filter((r) => r.benchmark.includes('.controlplane.'));
if (cp.length === 0) {
  out('Measured by `bench/control-plane.sh` (the second half of `make bench`): full translation,');
  out('one-change-to-ACK, xDS size and heap at 100 / 1,000 / 10,000 HTTPRoutes, fed through fabric8\'s mock');
  out('API server. Figures, growth and what dominates: [benchmarks-control-plane.md](benchmarks-control-plane.md).');
} else {
  out('| benchmark | params | score | error | unit |');
  out('|---|---|---|---|---|');
  for (const r of cp) {
    out(`| ${r.benchmark.replace(/^.*controlplane\./, '')} | ${Object.entries(r.params ?? {}).map(([k, v]) => `${k}=${v}`).join(', ')} | ${fmt(r.primaryMetric.score, 3)} | ${fmt(r.primaryMetric.scoreError, 3)} | ${r.primaryMetric.scoreUnit} |`);
  }
}
out();

const notes = join(dir, '..', 'notes.md');
if (existsSync(notes)) {
  out(readFileSync(notes, 'utf8').trimEnd());
  out();
}
writeFileSync(options.out, `${lines.join('\n')}\n`);
