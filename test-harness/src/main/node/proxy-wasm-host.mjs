// A proxy-wasm ABI 0.2.1 host for Node: runs a filter module in V8 the way Envoy does (same
// imports, same start sequence, same status codes and phase rules), so tests and benchmarks get
// a second, independent host next to the JVM one. Run Node with --no-liftoff: Envoy compiles
// Wasm with TurboFan only.

import { readFile } from 'node:fs/promises';
import {
  ALLOWED_DURING_ALLOCATE, ALLOWED_DURING_START, BufferType, ENV_FUNCTIONS, LOG_LEVELS, MapType,
  Status, WASI_FUNCTIONS, WASI_MODULE,
} from './abi.mjs';
import { monotonicClock, systemClock } from './clock.mjs';
import { envImports } from './env-imports.mjs';
import { MetricsRegistry, SharedDataStore } from './host-state.mjs';
import { HostStartError, ModuleLoadError, VmFailure } from './errors.mjs';
import { HttpStream } from './http-stream.mjs';
import { LinearMemory } from './linear-memory.mjs';
import { checkImports, readImports } from './module-imports.mjs';
import { RootContext } from './root-context.mjs';
import { normalizeHeaders, propertyMap, toBytes } from './values.mjs';
import { wasiImports } from './wasi-imports.mjs';

export { HostStartError, HttpStream, ModuleLoadError, VmFailure };

export class ProxyWasmHost {
  /**
   * Loads, instantiates and starts a module; resolves once proxy_on_configure accepted the
   * configuration. Options:
   *   wasm            path or bytes of the module
   *   pluginConfig    string or bytes (buffer 7, only readable during proxy_on_configure)
   *   vmConfig        string or bytes (buffer 6)
   *   clock           () => BigInt epoch nanoseconds (default: the system clock)
   *   logLevel        'trace'..'critical' (default 'info'); lower levels are dropped
   *   onLog           (levelName, message) => void (default: stderr)
   *   properties      {path: value}; a path is dotted ('xds.route_name') or NUL-separated
   *   clusters        names proxy_http_call accepts (default: any)
   *   calloutDelivery 'root' (Envoy) or 'caller': the context id call-out responses go to
   *   bodyChunkSize  deliver bodies in chunks of this many bytes (default 0: whole)
   *   allowOnHeadersStopIteration  Envoy's PluginConfig knob of that name (default false, as
   *                   in Envoy): whether a headers callback returning StopIteration still gets
   *                   its body callback before it continues
   *   sharedData      a SharedDataStore to share between hosts (default: a new one)
   *   environment     {NAME: value} for WASI environ_get (default: none)
   *   metrics         false: proxy_define_metric answers Unimplemented, as a host without
   *                   metrics would (default true, as Envoy)
   */
  static async start(options) {
    const bytes = typeof options.wasm === 'string' ? await readFile(options.wasm) : options.wasm;
    const host = new ProxyWasmHost(options);
    await host.#instantiate(bytes);
    host.#startVm();
    host.#startPlugin();
    return host;
  }

  constructor(options) {
    this.pluginConfig = toBytes(options.pluginConfig ?? '');
    this.vmConfig = toBytes(options.vmConfig ?? '');
    this.clock = options.clock ?? systemClock();
    this.monotonicClock = options.monotonicClock ?? monotonicClock();
    this.logLevel = levelNumber(options.logLevel ?? 'info');
    this.onLog = options.onLog ?? ((level, message) => process.stderr.write(`[${level}] ${message}\n`));
    this.properties = propertyMap({
      plugin_name: 'lambdagate', plugin_root_id: '', plugin_vm_id: '', ...options.properties,
    });
    this.clusters = options.clusters ? new Set(options.clusters) : null;
    this.calloutDelivery = options.calloutDelivery ?? 'root';
    this.allowOnHeadersStopIteration = options.allowOnHeadersStopIteration ?? false;
    // Bodies arrive in chunks of this many bytes (end_of_stream false until the last), as
    // Envoy's codec delivers a large body; 0: one callback with the whole body.
    this.bodyChunkSize = options.bodyChunkSize ?? 0;
    this.sharedData = options.sharedData ?? new SharedDataStore();
    this.environment = Object.entries(options.environment ?? {}).map(([k, v]) => Buffer.from(`${k}=${v}`));
    this.metrics = new MetricsRegistry();
    this.metricsEnabled = options.metrics ?? true;
    this.mem = new LinearMemory();
    this.contexts = new Map();
    this.nextContextId = 1;
    this.callouts = new Map();
    this.nextCalloutToken = 1;
    this.calloutResponse = null; // {headers, body, trailers} during proxy_on_http_call_response
    this.currentContext = null;
    this.effectiveContextId = 0;
    this.deferred = []; // Envoy's "after VM call" actions
    this.allowedCalls = null; // null: every import allowed; else the only ones allowed now
    this.stopNextIteration = false;
    this.configuring = false;
    this.failure = null; // the VmFailure that broke the VM, if any
    this.tickPeriodMillis = 0;
    this.warnings = []; // ABI misuse Envoy would not report but would misbehave on
    this.imports = [];
    this.startFunction = null;
  }

  async #instantiate(bytes) {
    this.imports = readImports(bytes);
    checkImports(this.imports, ENV_FUNCTIONS, WASI_MODULE, WASI_FUNCTIONS);
    const module = await WebAssembly.compile(bytes);
    const exported = new Map(WebAssembly.Module.exports(module).map((e) => [e.name, e.kind]));
    const missing = [];
    if (exported.get('proxy_abi_version_0_2_1') !== 'function') {
      missing.push('proxy_abi_version_0_2_1 (Envoy: "Missing or unknown Proxy-Wasm ABI version")');
    }
    if (exported.get('proxy_on_memory_allocate') !== 'function') missing.push('proxy_on_memory_allocate');
    if (exported.get('memory') !== 'memory') missing.push('memory');
    if (missing.length > 0) throw new ModuleLoadError(`module does not export: ${missing.join(', ')}`);
    // Everything the module imports has been checked above; V8 ignores what it does not import.
    const env = guardAll(this, 'env', envImports(this));
    const wasi = guardAll(this, WASI_MODULE, wasiImports(this));
    const instance = await WebAssembly.instantiate(module, { env, [WASI_MODULE]: wasi });
    this.exports = instance.exports;
    this.mem.attach(this.exports.memory);
  }

  /** Envoy's startVm: _initialize (a WASI reactor, then main if exported), else _start. */
  #startVm() {
    const vmContext = new RootContext(this, 0);
    this.#restricted(ALLOWED_DURING_START, () => {
      try {
        if (typeof this.exports._initialize === 'function') {
          this.startFunction = '_initialize';
          this.invoke(vmContext, '_initialize');
          if (typeof this.exports.main === 'function') this.invoke(vmContext, 'main', 0, 0);
        } else if (typeof this.exports._start === 'function') {
          this.startFunction = '_start';
          this.invoke(vmContext, '_start');
        }
      } catch (error) {
        throw new HostStartError(`the module failed to start: ${error.message}`, { cause: error });
      }
    });
  }

  #startPlugin() {
    const root = new RootContext(this, this.nextContextId++);
    this.root = root;
    this.contexts.set(root.id, root);
    try {
      this.invoke(root, 'proxy_on_context_create', root.id, 0);
      this.settle();
      // A module without the callback accepts (undefined); only an explicit 0 refuses.
      if (this.invoke(root, 'proxy_on_vm_start', root.id, this.vmConfig.length) === 0) {
        throw new HostStartError('proxy_on_vm_start returned false');
      }
      this.settle();
      this.configuring = true;
      let accepted;
      try {
        accepted = this.invoke(root, 'proxy_on_configure', root.id, this.pluginConfig.length);
      } finally {
        this.configuring = false;
      }
      if (accepted === 0) {
        throw new HostStartError('proxy_on_configure returned false: the module rejected the plugin configuration');
      }
      this.settle();
    } catch (error) {
      if (error instanceof HostStartError) throw error;
      throw new HostStartError(error.message, { cause: error });
    }
  }

  /** Pages (64 KiB) of linear memory: flat under steady traffic, or the module leaks. */
  memoryPages() {
    return this.mem.pages;
  }

  /** A new HTTP stream (proxy_on_context_create with the root as parent). */
  openStream(properties = {}) {
    const stream = new HttpStream(this, this.nextContextId++, propertyMap(properties));
    this.contexts.set(stream.id, stream);
    stream.create();
    return stream;
  }

  /** Runs the root context's timer callback once (Envoy: every tick period). */
  tick() {
    this.invoke(this.root, 'proxy_on_tick', this.root.id);
    this.settle();
  }

  /** Pending call-outs: [{token, upstream, headers, body, trailers, timeoutMillis, callerContextId}]. */
  pendingCallouts() {
    return [...this.callouts.values()];
  }

  /**
   * Answers a call-out: response {headers, body, trailers} or null for a failure (reset or
   * timeout: Envoy then reports 0 headers and no body). Delivered on the root context id like
   * Envoy (the module must set the effective context itself), or on the caller's with
   * {on: 'caller'}.
   */
  deliverCalloutResponse(token, response, { on = this.calloutDelivery } = {}) {
    const call = this.callouts.get(token);
    if (!call) throw new Error(`no pending call-out with token ${token}`);
    this.callouts.delete(token);
    const target = on === 'caller' && this.contexts.has(call.callerContextId) ? call.callerContextId : this.root.id;
    this.calloutResponse = response === null ? null : {
      headers: normalizeHeaders(response.headers ?? []),
      body: toBytes(response.body ?? ''),
      trailers: normalizeHeaders(response.trailers ?? []),
    };
    // Queued first, so it runs before whatever the callback defers (Envoy's order).
    this.defer(() => { this.calloutResponse = null; });
    const r = this.calloutResponse;
    try {
      this.invoke(this.contexts.get(target), 'proxy_on_http_call_response', target, token,
        r ? r.headers.length : 0, r ? r.body.length : 0, r ? r.trailers.length : 0);
    } catch (error) {
      if (!(error instanceof VmFailure)) throw error;
    }
    this.settle();
  }

  /** Shuts the plugin down: proxy_on_done on the root, then proxy_on_delete unless it defers. */
  close() {
    if (this.failure || !this.contexts.has(this.root.id)) return;
    this.root.pendingDone = this.invoke(this.root, 'proxy_on_done', this.root.id) === 0;
    this.settle();
    if (!this.root.pendingDone) this.#deleteRoot();
  }

  #deleteRoot() {
    this.invoke(this.root, 'proxy_on_delete', this.root.id);
    this.contexts.delete(this.root.id);
    this.settle();
  }

  // ---- machinery used by HttpStream and the import functions ----

  /**
   * Calls an export with `context` as the current context and no effective context (restored
   * afterwards, so calls nest). A trap fails the VM for good, as in Envoy.
   */
  invoke(context, name, ...args) {
    if (this.failure) throw this.failure;
    const fn = this.exports[name];
    if (typeof fn !== 'function') return undefined; // every callback is optional in the ABI
    const savedContext = this.currentContext;
    const savedEffective = this.effectiveContextId;
    this.currentContext = context;
    this.effectiveContextId = 0;
    try {
      return fn(...args);
    } catch (error) {
      this.failure = new VmFailure(`${name}: ${error.message}`, { cause: error });
      throw this.failure;
    } finally {
      this.currentContext = savedContext;
      this.effectiveContextId = savedEffective;
    }
  }

  /** Queues an action for when the current VM call has returned (Envoy defers the same ones). */
  defer(action) {
    this.deferred.push(action);
  }

  /** Runs the deferred actions; they may call into the VM again (and defer more). */
  settle() {
    while (this.deferred.length > 0 && !this.failure) this.deferred.shift()();
    if (this.failure) this.deferred.length = 0;
  }

  effectiveContext() {
    if (this.effectiveContextId !== 0) {
      const effective = this.contexts.get(this.effectiveContextId);
      if (effective) return effective;
    }
    return this.currentContext;
  }

  setEffectiveContext(contextId) {
    if (!this.contexts.has(contextId)) return Status.BadArgument;
    this.effectiveContextId = contextId;
    return Status.Ok;
  }

  log(level, message) {
    if (level >= this.logLevel) this.onLog(LOG_LEVELS[level] ?? String(level), message);
  }

  warn(message) {
    this.warnings.push(message);
  }

  /** A map to read (null: not available in this phase). Call-out maps are readable anywhere. */
  readableMap(type) {
    if (type === MapType.HttpCallResponseHeaders) return this.calloutResponse?.headers ?? null;
    if (type === MapType.HttpCallResponseTrailers) return this.calloutResponse?.trailers ?? null;
    return this.effectiveContext().readableMap(type);
  }

  /** A map to change; Envoy never lets call-out maps be changed (nor sized). */
  writableMap(type) {
    if (type === MapType.HttpCallResponseHeaders || type === MapType.HttpCallResponseTrailers) return null;
    return this.effectiveContext().writableMap(type);
  }

  /** {bytes, mutable, replace} ; {bytes: null} an absent body (reads empty); null: NotFound. */
  buffer(type) {
    switch (type) {
      case BufferType.HttpRequestBody:
      case BufferType.HttpResponseBody:
        return this.effectiveContext().bodyBuffer(type);
      case BufferType.HttpCallResponseBody:
        return this.calloutResponse ? { bytes: this.calloutResponse.body, mutable: false } : null;
      case BufferType.VmConfiguration:
        return { bytes: this.vmConfig, mutable: false };
      case BufferType.PluginConfiguration:
        // Envoy hands out the plugin configuration only while proxy_on_configure runs.
        return this.configuring ? { bytes: this.pluginConfig, mutable: false } : null;
      default:
        return null;
    }
  }

  /**
   * Copies `bytes` into memory the module allocates, then writes its address and size to the
   * two out-pointers. Nothing is allocated for empty values (address 0, size 0), like Envoy.
   */
  copyOut(bytes, ptrPtr, sizePtr) {
    let address = 0;
    if (bytes.length > 0) {
      address = this.allocate(bytes.length);
      if (address === 0) return false;
      this.mem.writeBytes(address, bytes);
    }
    return this.mem.writeU32(ptrPtr, address) && this.mem.writeU32(sizePtr, bytes.length);
  }

  /** proxy_on_memory_allocate; 0 when the module refuses or answers an out-of-range block. */
  allocate(size) {
    const address = this.#restricted(ALLOWED_DURING_ALLOCATE,
      () => this.exports.proxy_on_memory_allocate(size) >>> 0);
    return address !== 0 && this.mem.inBounds(address, size) ? address : 0;
  }

  httpCall({ upstream, headers, body, trailers, timeoutMillis }) {
    if ((timeoutMillis | 0) < 0) return { status: Status.BadArgument };
    if (this.clusters && !this.clusters.has(upstream)) return { status: Status.BadArgument };
    const has = (name) => headers.some(([key]) => key === name);
    if (!has(':path') || !has(':method') || !has(':authority')) return { status: Status.BadArgument };
    const token = this.nextCalloutToken++;
    const caller = this.effectiveContext();
    this.callouts.set(token, { token, upstream, headers, body, trailers, timeoutMillis, callerContextId: caller.id });
    return { status: Status.Ok, token };
  }

  /** proxy_done: a root context that answered false to proxy_on_done is now finished. */
  done(context) {
    if (!context.pendingDone) return Status.NotFound;
    context.pendingDone = false;
    this.defer(() => this.#deleteRoot());
    return Status.Ok;
  }

  #restricted(allowed, action) {
    const saved = this.allowedCalls;
    this.allowedCalls = allowed;
    try {
      return action();
    } finally {
      this.allowedCalls = saved;
    }
  }
}

/**
 * Wraps each import so that a call Envoy would not allow right now traps ("restricted
 * callback"), e.g. reading headers from _initialize or from the allocator.
 */
function guardAll(host, moduleName, functions) {
  const guarded = {};
  for (const [name, fn] of Object.entries(functions)) {
    const qualified = `${moduleName}.${name}`;
    // Fixed arity instead of rest parameters: these run on every host call.
    guarded[name] = (a, b, c, d, e, f, g, h, i, j) => {
      if (host.allowedCalls !== null && !host.allowedCalls.has(qualified)) {
        throw new Error(`restricted_callback: ${qualified} may not be called at this point`);
      }
      return fn(a, b, c, d, e, f, g, h, i, j);
    };
  }
  return guarded;
}

function levelNumber(level) {
  const index = LOG_LEVELS.indexOf(String(level).toLowerCase());
  if (index < 0) throw new Error(`bad log level '${level}': one of ${LOG_LEVELS.join(', ')}`);
  return index;
}
