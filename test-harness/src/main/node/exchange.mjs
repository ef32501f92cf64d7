// One request/response exchange through a host, and its JSON form, shared by the driver
// (run-requests.mjs) and the benchmark (bench.mjs).
//
// JSON request (one line):
//   {"headers": [[":method","GET"], [":path","/"], [":authority","example.amazonaws.com"]],
//    "body": "<base64>", "properties": {"xds.route_name": "r1"},
//    "callouts": [{"headers": [[":status","200"]], "body": "<base64>"}, null],
//    "response": {"headers": [[":status","200"]], "body": "<base64>"}}
// A request may carry "trailers" ([[name, value], ...]): it then ends with them, as an HTTP/2
// request may (proxy_on_request_trailers; no body callback has end of stream).
// Call-outs the filter makes are answered in order from "callouts" (null, a missing entry or
// {"fail": true}: the call failed, as on a reset or timeout). "response", when present, is the
// upstream's answer and runs through the response callbacks if the request was forwarded.

/** A call-out answer loop that never ends is a filter bug; stop it here. */
const MAX_CALLOUTS_PER_EXCHANGE = 100;

/**
 * Runs one request (host form: bodies as Buffers) through `host`; returns the request outcome
 * with `callouts` (what the filter asked for) and `response` (the response outcome, if run).
 */
export function runExchange(host, request) {
  const stream = host.openStream(request.properties ?? {});
  const answers = [...(request.callouts ?? [])];
  const calls = [];
  const answerCallouts = () => {
    for (let call = stream.pendingCallouts()[0]; call; call = stream.pendingCallouts()[0]) {
      if (calls.length >= MAX_CALLOUTS_PER_EXCHANGE) {
        throw new Error(`the filter made more than ${MAX_CALLOUTS_PER_EXCHANGE} call-outs for one request`);
      }
      calls.push(call);
      stream.deliverCallout(call.token, answers.length > 0 ? answers.shift() : null);
    }
  };
  try {
    stream.sendRequest(request);
    answerCallouts();
    const result = stream.outcome();
    const forwarded = !result.localReply && !result.paused && !result.reset && !result.vmFailure;
    if (request.response && forwarded) {
      stream.sendResponse(request.response);
      answerCallouts();
      result.response = stream.outcome();
    }
    result.callouts = calls;
    return result;
  } finally {
    stream.close();
  }
}

/**
 * Runs several requests as concurrent streams of one VM: every request goes through the filter
 * first (each stream stays open), then the upstream responses come back in reverse order, then
 * the streams close. Call-outs are not answered here. Returns one result per request, in order.
 */
export function runInterleaved(host, requests) {
  const streams = requests.map((request) => host.openStream(request.properties ?? {}));
  try {
    const results = requests.map((request, i) => streams[i].sendRequest(request));
    for (let i = requests.length - 1; i >= 0; i--) {
      const result = results[i];
      const forwarded = !result.localReply && !result.paused && !result.reset && !result.vmFailure;
      if (requests[i].response && forwarded) result.response = streams[i].sendResponse(requests[i].response);
      result.callouts = [];
    }
    return results;
  } finally {
    streams.forEach((stream) => stream.close());
  }
}

/** JSON request → host form. Throws with the field that is wrong. */
export function requestFromJson(json) {
  const message = (value, where) => ({
    headers: headerList(value.headers ?? [], `${where}.headers`),
    body: Buffer.from(value.body ?? '', 'base64'),
    trailers: headerList(value.trailers ?? [], `${where}.trailers`),
  });
  if (json === null || typeof json !== 'object') throw new Error('request: expected a JSON object');
  const request = { ...message(json, 'request'), properties: json.properties ?? {} };
  request.callouts = (json.callouts ?? []).map((answer, i) =>
    answer === null || answer.fail ? null : message(answer, `callouts[${i}]`));
  if (json.response) request.response = message(json.response, 'response');
  return request;
}

/** Host result → JSON (bodies base64, call-outs without host internals). */
export function resultToJson(result) {
  const json = {
    localReply: result.localReply,
    phase: result.phase,
    paused: result.paused,
    reset: result.reset,
    headers: result.headers,
    body: result.body.toString('base64'),
  };
  if (result.localReply) Object.assign(json, { status: result.status, details: result.details });
  if (result.passes) {
    json.passes = result.passes.map((pass) => ({
      after: pass.after,
      ...(pass.headers ? { headers: pass.headers } : {}),
      body: pass.body.toString('base64'),
    }));
  }
  if (result.vmFailure) json.vmFailure = result.vmFailure;
  if (result.callouts) {
    json.callouts = result.callouts.map((call) => ({
      upstream: call.upstream,
      headers: call.headers,
      body: call.body.toString('base64'),
      timeoutMillis: call.timeoutMillis,
    }));
  }
  if (result.response) json.response = resultToJson(result.response);
  return json;
}

function headerList(headers, where) {
  if (!Array.isArray(headers)
    || !headers.every((h) => Array.isArray(h) && h.length === 2 && h.every((s) => typeof s === 'string'))) {
    throw new Error(`${where}: expected [[name, value], ...] of strings`);
  }
  return headers;
}
