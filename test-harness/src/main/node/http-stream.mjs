// One HTTP stream through the filter, driven the way Envoy drives a Wasm HTTP filter: headers
// (end of stream when there is no body), then the whole body with end of stream; the response
// the same way; then proxy_on_done, proxy_on_log, proxy_on_delete. A request with trailers (as
// HTTP/2 may carry them) ends with proxy_on_request_trailers instead: no body callback has end of
// stream, and the body the filter held stays readable there. Envoy's phase rules are kept,
// because a filter that breaks them works in a lenient host and fails in Envoy:
//   - a headers callback that stops iteration gets no body callback until it continues, unless
//     the plugin sets allow_on_headers_stop_iteration (then StopIteration lets the body through);
//   - a map or body is visible only during its callback, or afterwards while the callback keeps
//     iteration stopped; proxy_continue_stream withdraws the request's headers and body;
//   - a local reply is sent after the VM call returns, and (sent before the response) passes
//     through this filter's own response callbacks, like every encoder filter in Envoy;
//   - a trap fails the stream with 503 "wasm_fail_stream" and the VM for good.

import { Action, BufferType, MapType, Status, StreamType } from './abi.mjs';
import { VmFailure } from './errors.mjs';
import { normalizeHeaders, toBytes } from './values.mjs';

const STOP_ITERATION = 1;

/** One direction of the stream: its headers and body as the filter has left them. */
class Direction {
  constructor(name, headersCallback, bodyCallback) {
    this.name = name;
    this.headersCallback = headersCallback;
    this.bodyCallback = bodyCallback;
    this.started = false;
    this.headers = [];
    this.body = Buffer.alloc(0);
    this.headersVisible = false;
    this.bodyVisible = false;
    this.stopped = false; // iteration stopped at this filter and not continued yet
    this.bodyHeldBack = false; // headers stopped all iteration: the body waits for a continue
    this.delivered = 0; // body bytes handed to the filter so far (chunked delivery)
    // What left the filter, callback by callback: {after, headers?, body}. `after` is how many
    // body bytes the filter had been given; `headers` is on the pass that sent them (the headers
    // callback continuing, or, if it stopped, the first body callback that continued — Envoy
    // sends held headers, as the filter left them, just before that body).
    this.passes = [];
    this.headersSent = false;
    this.trailers = null; // the request's trailers, when it ends with them
  }
}

export class HttpStream {
  constructor(host, id, properties) {
    this.host = host;
    this.id = id;
    this.properties = properties;
    this.request = new Direction('request', 'proxy_on_request_headers', 'proxy_on_request_body');
    this.response = new Direction('response', 'proxy_on_response_headers', 'proxy_on_response_body');
    this.inCallback = null; // the direction whose callback is running
    this.localReply = null; // {status, details, grpcStatus, direct}
    this.resetBy = null; // 'request' or 'response' after proxy_close_stream
    this.logPhase = false;
    this.closed = false;
    this.failure = null;
  }

  create() {
    try {
      this.host.invoke(this, 'proxy_on_context_create', this.id, this.host.root.id);
      this.host.settle();
    } catch (error) {
      this.#fail(error);
    }
  }

  // ---- the driver's side ----

  /** Runs the request through the filter; returns outcome(). */
  sendRequest({ headers, body = '', trailers = [] }) {
    this.#run(this.request, headers, body, trailers);
    return this.outcome();
  }

  /** Runs the upstream's response through the filter; returns outcome(). */
  sendResponse({ headers, body = '' }) {
    if (this.localReply) throw new Error('the filter answered locally: there is no upstream response');
    this.#run(this.response, headers, body);
    return this.outcome();
  }

  /** Call-outs this stream made that have not been answered yet. */
  pendingCallouts() {
    return this.host.pendingCallouts().filter((call) => call.callerContextId === this.id);
  }

  /** Answers one call-out (see ProxyWasmHost.deliverCalloutResponse); returns outcome(). */
  deliverCallout(token, response, options) {
    this.host.deliverCalloutResponse(token, response, options);
    if (this.host.failure && !this.failure) this.#fail(this.host.failure);
    return this.outcome();
  }

  /**
   * Where the stream stands: the request as it would go upstream (or the response as it would
   * go to the client once the response was sent), or the local reply; paused while the filter
   * holds the stream.
   */
  outcome() {
    const direction = this.localReply || this.response.started ? this.response : this.request;
    const result = {
      localReply: this.localReply !== null,
      phase: direction.name,
      paused: this.localReply === null && (direction.stopped || direction.bodyHeldBack),
      reset: this.resetBy,
      headers: direction.headers.map(([name, value]) => [name, value]),
      body: direction.body,
      passes: direction.passes,
    };
    if (this.localReply) {
      const status = direction.headers.find(([name]) => name === ':status');
      result.status = status ? Number(status[1]) : this.localReply.status;
      result.details = this.localReply.details;
    }
    if (this.failure) result.vmFailure = this.failure.message;
    return result;
  }

  /** Ends the stream: proxy_on_done, proxy_on_log (headers readable), proxy_on_delete. */
  close() {
    if (this.closed) return;
    this.closed = true;
    try {
      if (!this.host.failure) {
        this.host.invoke(this, 'proxy_on_done', this.id);
        this.host.settle();
        this.logPhase = true;
        this.host.invoke(this, 'proxy_on_log', this.id);
        this.logPhase = false;
        this.host.settle();
        this.host.invoke(this, 'proxy_on_delete', this.id);
        this.host.settle();
      }
    } catch (error) {
      if (!(error instanceof VmFailure)) throw error;
      this.failure ??= error;
    } finally {
      this.host.contexts.delete(this.id);
    }
  }

  // ---- what the module reaches through the host functions ----

  property(path) {
    return this.properties.get(path) ?? this.host.properties.get(path) ?? null;
  }

  setProperty(path, value) {
    this.properties.set(path, value);
  }

  readableMap(type) {
    const direction = this.#directionOfMap(type);
    if (direction === null) return null;
    // The access log phase reads both directions' final headers.
    return direction.headersVisible || (this.logPhase && direction.started) ? direction.headers : null;
  }

  writableMap(type) {
    const direction = this.#directionOfMap(type);
    return direction !== null && direction.headersVisible ? direction.headers : null;
  }

  bodyBuffer(type) {
    const direction = type === BufferType.HttpRequestBody ? this.request : this.response;
    if (!direction.bodyVisible) return { bytes: null };
    return { bytes: direction.body, mutable: true, replace: (bytes) => { direction.body = bytes; } };
  }

  continueStream(type) {
    if (type === StreamType.Downstream) return Status.Ok;
    if (type === StreamType.Upstream) return Status.Unimplemented;
    const direction = type === StreamType.Request ? this.request : this.response;
    // Envoy withdraws the request's headers and body on every continue (either direction).
    this.request.headersVisible = false;
    this.request.bodyVisible = false;
    if (this.inCallback === direction) {
      this.host.warn(`context ${this.id}: proxy_continue_stream(${direction.name}) inside its own `
        + `${direction.name} callback; Envoy's filter manager does not expect a continue from inside `
        + 'the callback (return Continue instead)');
    }
    this.host.defer(() => this.#resume(direction));
    return Status.Ok;
  }

  closeStream(type) {
    if (type === StreamType.Request || type === StreamType.Response) {
      const name = type === StreamType.Request ? 'request' : 'response';
      this.host.defer(() => { this.resetBy ??= name; });
    }
    return Status.Ok;
  }

  sendLocalResponse(reply) {
    this.host.defer(() => this.#sendLocalReply(reply));
  }

  // ---- the stream machinery ----

  #run(direction, headers, body, trailers = []) {
    if (this.failure || this.closed) return;
    if (direction.started) throw new Error(`the ${direction.name} was already sent`);
    direction.started = true;
    direction.headers = normalizeHeaders(headers);
    direction.body = toBytes(body);
    direction.trailers = trailers.length > 0 ? normalizeHeaders(trailers) : null;
    const hasBody = direction.body.length > 0;
    const more = hasBody || direction.trailers !== null;
    const action = this.#callback(direction, 'headers', direction.headers.length, more ? 0 : 1);
    if (action === undefined || this.#finished(direction) || !more) return;
    if (direction.stopped && this.#stopsBody(action)) {
      direction.bodyHeldBack = true;
    } else {
      this.#deliverRest(direction);
    }
  }

  /** What follows the headers: the body (if any), then the trailers (if any), which end it. */
  #deliverRest(direction) {
    if (direction.body.length > 0) {
      this.#deliverBody(direction);
      if (this.#finished(direction)) return;
    }
    if (direction.trailers !== null) {
      this.#callback(direction, 'trailers', direction.trailers.length, 0);
    }
  }

  /**
   * The body callback(s). With host.bodyChunkSize set, the body arrives as Envoy's codec hands
   * it on: chunks with end_of_stream false, each callback seeing the body buffered so far
   * while the filter stops iteration (StopIterationAndBuffer), then the rest with end of stream.
   * A filter that continues mid-body gets the remaining chunks as they come.
   */
  #deliverBody(direction) {
    const whole = direction.body;
    const chunk = this.host.bodyChunkSize;
    const endsStream = direction.trailers === null ? 1 : 0;
    if (!chunk || whole.length <= chunk) {
      direction.delivered = whole.length;
      this.#callback(direction, 'body', whole.length, endsStream);
      return;
    }
    const forwarded = []; // what the filter let through mid-body, as it left it
    let passed = 0;
    for (let at = 0; at < whole.length; at += chunk) {
      const end = Math.min(at + chunk, whole.length);
      const last = end === whole.length;
      direction.body = whole.subarray(passed, end);
      direction.delivered = end;
      const action = this.#callback(direction, 'body', direction.body.length, last ? endsStream : 0);
      if (action === undefined || this.#finished(direction)) return;
      if (last) break;
      if (action === Action.Continue) {
        forwarded.push(direction.body); // streamed on: later callbacks see only new data
        passed = end;
      }
    }
    if (forwarded.length > 0) direction.body = Buffer.concat([...forwarded, direction.body]);
  }

  /**
   * Calls one header, body or (request) trailers callback; returns its action, or undefined when
   * the VM failed. The trailers callback leaves visibility as it was: the held headers and body
   * stay readable in it, as Envoy keeps them while the filter holds them.
   */
  #callback(direction, part, size, endOfStream) {
    const saved = this.inCallback;
    this.inCallback = direction;
    if (part === 'headers') direction.headersVisible = true;
    else if (part === 'body') direction.bodyVisible = true;
    this.host.stopNextIteration = false;
    let result;
    try {
      result = part === 'trailers'
        ? this.host.invoke(this, 'proxy_on_request_trailers', this.id, size)
        : this.host.invoke(this, part === 'headers' ? direction.headersCallback : direction.bodyCallback,
          this.id, size, endOfStream);
    } catch (error) {
      this.#fail(error);
      return undefined;
    } finally {
      this.inCallback = saved;
    }
    // A local reply stops the stream whatever the callback returned.
    const action = this.host.stopNextIteration ? Action.Pause : (result ?? Action.Continue) >>> 0;
    this.host.stopNextIteration = false;
    if (action === Action.Continue) this.#recordPass(direction, part);
    direction.stopped = action !== Action.Continue;
    if (part === 'headers') direction.headersVisible &&= direction.stopped;
    else if (part === 'body') direction.bodyVisible &&= direction.stopped;
    this.host.settle();
    return action;
  }

  #recordPass(direction, part) {
    // Continuing at the trailers sends on the body the filter held (if it held one) with them.
    const carriesBody = part === 'body' || (part === 'trailers' && direction.bodyVisible);
    const pass = { after: direction.delivered, body: carriesBody ? Buffer.from(direction.body) : Buffer.alloc(0) };
    if (!direction.headersSent) {
      direction.headersSent = true;
      pass.headers = direction.headers.map(([name, value]) => [name, value]);
    }
    direction.passes.push(pass);
  }

  /**
   * Whether a stopping headers callback also holds back the body from this filter. Envoy turns
   * StopIteration (1) into StopAllIterationAndWatermark unless the plugin is configured with
   * allow_on_headers_stop_iteration (Envoy 1.35+): by default a filter that pauses its headers
   * gets no body callback until it continues.
   */
  #stopsBody(action) {
    return action !== STOP_ITERATION || !this.host.allowOnHeadersStopIteration;
  }

  /** Nothing more flows in this direction: answered locally, reset, or failed. */
  #finished(direction) {
    if (this.failure || this.resetBy) return true;
    return this.localReply !== null && (direction === this.request || this.localReply.direct);
  }

  #resume(direction) {
    if (this.closed || this.failure || this.localReply || !direction.stopped) return;
    direction.stopped = false;
    if (direction.bodyHeldBack) {
      direction.bodyHeldBack = false;
      this.#deliverRest(direction);
    }
  }

  #sendLocalReply(reply) {
    if (this.closed || this.failure) return;
    if (this.localReply) {
      this.host.warn(`context ${this.id}: a second proxy_send_local_response was ignored`);
      return;
    }
    const headers = [[':status', String(reply.status)], ...reply.headers];
    if (reply.body.length > 0) {
      const rest = headers.filter(([name]) => name !== 'content-length');
      headers.splice(0, headers.length, ...rest, ['content-length', String(reply.body.length)]);
      if (!headers.some(([name]) => name === 'content-type')) headers.push(['content-type', 'text/plain']);
    }
    const direct = this.response.started;
    this.localReply = { status: reply.status, details: reply.details, grpcStatus: reply.grpcStatus, direct };
    if (direct) {
      // The response is already being filtered: Envoy sends the reply straight to the client.
      Object.assign(this.response, { headers, body: reply.body, stopped: false, bodyHeldBack: false });
    } else {
      // Before any response, Envoy runs the reply through the encoder filters, this one included.
      this.#run(this.response, headers, reply.body);
    }
  }

  /** Envoy's failStream: 503 "wasm_fail_stream", which the failed VM never sees. */
  #fail(error) {
    if (!(error instanceof VmFailure)) throw error;
    this.failure = error;
    this.localReply = { status: 503, details: 'wasm_fail_stream', grpcStatus: 14, direct: true };
    Object.assign(this.response, {
      started: true, headers: [[':status', '503']], body: Buffer.alloc(0), stopped: false, bodyHeldBack: false,
    });
  }

  #directionOfMap(type) {
    if (type === MapType.RequestHeaders) return this.request;
    if (type === MapType.ResponseHeaders) return this.response;
    return null; // trailers: this host delivers none
  }
}
