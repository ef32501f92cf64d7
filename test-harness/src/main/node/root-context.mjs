// The plugin's root context (and the VM context the module starts in): no stream behind it.

import { Status } from './abi.mjs';

/**
 * As in Envoy, a root context has no stream: its maps are absent, continue/close answer Ok and
 * do nothing, a local reply goes nowhere. A module acting for a stream (e.g. in a call-out
 * response) must first make that stream the effective context.
 */
export class RootContext {
  constructor(host, id) {
    this.host = host;
    this.id = id;
    this.properties = new Map();
  }

  property(path) {
    return this.properties.get(path) ?? this.host.properties.get(path) ?? null;
  }

  setProperty(path, value) {
    this.properties.set(path, value);
  }

  readableMap() {
    return null;
  }

  writableMap() {
    return null;
  }

  bodyBuffer() {
    return { bytes: null };
  }

  continueStream() {
    return Status.Ok;
  }

  closeStream() {
    return Status.Ok;
  }

  sendLocalResponse() {}
}
