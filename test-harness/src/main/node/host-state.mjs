// State Envoy keeps outside any one context: shared data (visible to every VM of a plugin in
// the process) and the plugin's metrics.

import { Status } from './abi.mjs';

/**
 * Key-value store with compare-and-swap, as Envoy's: every write gives the key a new cas value
 * from one counter (never 0); a write with cas 0 is unconditional, any other cas must equal the
 * key's current value. Writing a key that does not exist always succeeds.
 */
export class SharedDataStore {
  constructor() {
    this.entries = new Map();
    this.lastCas = 0;
  }

  /** {value: Buffer, cas} or null. */
  get(key) {
    return this.entries.get(key) ?? null;
  }

  set(key, value, cas) {
    const current = this.entries.get(key);
    if (current && cas !== 0 && cas !== current.cas) return Status.CasMismatch;
    this.lastCas = this.lastCas >= 0xffffffff ? 1 : this.lastCas + 1;
    this.entries.set(key, { value: Buffer.from(value), cas: this.lastCas });
    return Status.Ok;
  }
}

const METRIC_TYPES = ['counter', 'gauge', 'histogram'];

/**
 * Metrics with Envoy's rules: counters only grow (increment by <= 0 is BadArgument), gauges
 * move both ways, histograms only record; get works on counters and gauges. Defining a name
 * twice returns the same id.
 */
export class MetricsRegistry {
  constructor() {
    this.byName = new Map();
    this.byId = new Map();
  }

  define(type, name) {
    if (type < 0 || type >= METRIC_TYPES.length) return null;
    const key = `${type}:${name}`;
    let id = this.byName.get(key);
    if (id === undefined) {
      id = this.byId.size + 1;
      this.byName.set(key, id);
      this.byId.set(id, { type: METRIC_TYPES[type], name, value: 0n, samples: [] });
    }
    return id;
  }

  increment(id, offset) {
    const metric = this.byId.get(id);
    if (!metric) return Status.NotFound;
    if (metric.type === 'histogram') return Status.BadArgument;
    if (metric.type === 'counter' && offset <= 0n) return Status.BadArgument;
    metric.value += offset;
    return Status.Ok;
  }

  record(id, value) {
    const metric = this.byId.get(id);
    if (!metric) return Status.NotFound;
    if (metric.type === 'counter') metric.value += value;
    else if (metric.type === 'gauge') metric.value = value;
    else metric.samples.push(value);
    return Status.Ok;
  }

  /** {status, value}. */
  get(id) {
    const metric = this.byId.get(id);
    if (!metric) return { status: Status.NotFound };
    if (metric.type === 'histogram') return { status: Status.BadArgument };
    return { status: Status.Ok, value: metric.value };
  }

  /** name → value (counters, gauges) or samples (histograms), for reports. */
  snapshot() {
    const out = {};
    for (const metric of this.byId.values()) {
      out[metric.name] = metric.type === 'histogram' ? metric.samples.map(String) : String(metric.value);
    }
    return out;
  }
}
