#!/usr/bin/env node
// Drives a filter module in V8 through ProxyWasmHost, one long-lived process per configuration,
// so that JVM tests can use V8 as a second host.
//
//   node --no-liftoff run-requests.mjs --wasm FILE --config FILE [--time 20150830T123600Z]
//        [--log-level trace|debug|info|warn|error|critical] [--callout-context root|caller]
//        [--allow-on-headers-stop-iteration] [--body-chunk-size BYTES] [--memory-check N [--warmup W]]
//        [--no-metrics]
//
// --no-metrics makes proxy_define_metric fail, as on a host without metrics.
//
// --body-chunk-size delivers request and response bodies in chunks (end_of_stream false until
// the last), as Envoy does with a large body.
//
// --allow-on-headers-stop-iteration is Envoy's PluginConfig option of that name (Envoy 1.35+):
// without it, Envoy holds the body back from a filter whose headers callback paused.
//
// Output, one JSON object per line on stdout:
//   1. the start: {"ready":true,"startFunction":"_initialize","imports":["env.proxy_log",...],
//      "memoryPages":N,"logs":[...]}, or {"ready":false,"error":"...","errorType":"...",
//      "logs":[...]} and exit status 2 (module refused, configuration rejected, bad arguments);
//   2. per request line read from stdin (format: exchange.mjs), its result:
//      {"localReply":false,"headers":[...],"body":"<base64>","paused":false,"callouts":[...],
//       "logs":[{"level":"trace","message":"..."}],"memoryPages":N,
//       "metrics":{"lambdagate.backend.default.rq_2xx":"1","lambdagate.filter_time_us":["52"]},...}
//      (metrics: every metric the plugin defined, cumulative over the run; counters and gauges
//      as decimal strings, histograms as their samples)
//      or {"error":"..."} for a line that could not be run.
//      A line {"interleave":[request, ...]} runs several streams on the VM at once (requests in
//      order, then the responses in reverse order, then the streams close) and prints
//      {"results":[result, ...],"memoryPages":N}.
// A line may carry "time" (as --time): the host's clock is set to it before the line runs, so a
// test can let time pass between requests (credentials expiring, refresh ahead).
// With --memory-check N, only the first stdin line is read; it runs W times (default 1000) to
// warm up, then N times, and one line reports the pages: {"pagesBefore":a,"pagesAfter":b,...}.

import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { fixedClock, systemClock } from './clock.mjs';
import { requestFromJson, resultToJson, runExchange, runInterleaved } from './exchange.mjs';
import { ProxyWasmHost } from './proxy-wasm-host.mjs';

const USAGE = 'usage: node --no-liftoff run-requests.mjs --wasm FILE --config FILE [--time 20150830T123600Z]'
  + ' [--log-level LEVEL] [--callout-context root|caller] [--allow-on-headers-stop-iteration] [--body-chunk-size BYTES]'
  + ' [--memory-check N [--warmup W]] [--no-metrics]';

function print(json) {
  process.stdout.write(`${JSON.stringify(json)}\n`);
}

function fail(error, logs = []) {
  print({ ready: false, error: error.message, errorType: error.constructor.name, logs });
  process.exitCode = 2;
}

async function main() {
  let options;
  try {
    ({ values: options } = parseArgs({
      options: {
        wasm: { type: 'string' },
        config: { type: 'string' },
        time: { type: 'string' },
        'log-level': { type: 'string', default: 'info' },
        'callout-context': { type: 'string', default: 'root' },
        'allow-on-headers-stop-iteration': { type: 'boolean', default: false },
        'body-chunk-size': { type: 'string', default: '0' },
        'memory-check': { type: 'string' },
        'no-metrics': { type: 'boolean', default: false },
        warmup: { type: 'string', default: '1000' },
      },
    }));
    if (!options.wasm || !options.config) throw new Error(USAGE);
    if (!['root', 'caller'].includes(options['callout-context'])) throw new Error(USAGE);
  } catch (error) {
    fail(error);
    return;
  }

  let logs = [];
  let host;
  try {
    host = await ProxyWasmHost.start({
      wasm: options.wasm,
      pluginConfig: await readFile(options.config),
      clock: options.time ? fixedClock(options.time) : systemClock(),
      logLevel: options['log-level'],
      calloutDelivery: options['callout-context'],
      allowOnHeadersStopIteration: options['allow-on-headers-stop-iteration'],
      bodyChunkSize: Number(options['body-chunk-size']),
      metrics: !options['no-metrics'],
      onLog: (level, message) => logs.push({ level, message }),
    });
  } catch (error) {
    fail(error, logs);
    return;
  }
  print({
    ready: true,
    startFunction: host.startFunction,
    imports: host.imports.map((i) => `${i.module}.${i.name}`),
    memoryPages: host.memoryPages(),
    logs,
  });

  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  if (options['memory-check'] !== undefined) {
    const first = await firstLine(lines);
    logs = null;
    host.onLog = () => {}; // 20,000 requests of trace logs are not worth keeping
    print(memoryCheck(host, first, Number(options['memory-check']), Number(options.warmup)));
    return;
  }
  for await (const line of lines) {
    if (line.trim() === '') continue;
    logs = [];
    try {
      const parsed = JSON.parse(line);
      if (parsed && typeof parsed.time === 'string') host.clock = fixedClock(parsed.time);
      const json = parsed && Array.isArray(parsed.interleave)
        ? { results: runInterleaved(host, parsed.interleave.map(requestFromJson)).map(resultToJson),
          logs, memoryPages: host.memoryPages() }
        : { ...resultToJson(runExchange(host, requestFromJson(parsed))), logs, memoryPages: host.memoryPages() };
      // The plugin's metrics so far (cumulative, as Envoy's stats): name → value or samples.
      json.metrics = host.metrics.snapshot();
      if (host.warnings.length > 0) json.warnings = host.warnings.splice(0);
      print(json);
    } catch (error) {
      print({ error: error.message, logs });
    }
  }
}

async function firstLine(lines) {
  for await (const line of lines) {
    if (line.trim() !== '') return line;
  }
  throw new Error('--memory-check needs a request line on stdin');
}

function memoryCheck(host, line, count, warmup) {
  const request = requestFromJson(JSON.parse(line));
  const pagesAtStart = host.memoryPages();
  for (let i = 0; i < warmup; i++) runExchange(host, request);
  const pagesBefore = host.memoryPages();
  let last;
  for (let i = 0; i < count; i++) last = runExchange(host, request);
  return {
    requests: count,
    warmup,
    pagesAtStart,
    pagesBefore,
    pagesAfter: host.memoryPages(),
    lastLocalReply: last ? last.localReply : null,
    vmFailure: host.failure ? host.failure.message : null,
  };
}

main().catch((error) => {
  print({ error: error.message });
  process.exitCode = 1;
});
