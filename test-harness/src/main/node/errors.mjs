// Why a module could not be used, in the order the host finds out.

/** The module cannot be loaded (Envoy: "Failed to load Wasm module"), e.g. a missing import. */
export class ModuleLoadError extends Error {}

/** The module loaded but refused to start: a false proxy_on_vm_start / proxy_on_configure. */
export class HostStartError extends Error {}

/** The module trapped (or called proc_exit): like Envoy, the VM is unusable from then on. */
export class VmFailure extends Error {}
