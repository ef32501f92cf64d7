// The WASI (snapshot preview 1) functions Envoy registers, with Envoy's behaviour: stdout and
// stderr become log lines, zero program arguments, no files, time from the host clock.

import { randomFillSync } from 'node:crypto';
import { Errno } from './abi.mjs';

const LOG_INFO = 2;
const LOG_ERROR = 4;

/** Thrown by proc_exit: the module asked to stop, which Envoy treats as a VM failure. */
export class ProcExit extends Error {
  constructor(code) {
    super(`proc_exit(${code}) called by the module`);
    this.code = code;
  }
}

export function wasiImports(host) {
  return {
    fd_write(fd, iovs, iovsLength, writtenPtr) {
      const level = fd === 1 ? LOG_INFO : fd === 2 ? LOG_ERROR : -1;
      if (level < 0) return Errno.Badf;
      const parts = [];
      for (let i = 0; i < iovsLength; i++) {
        const base = host.mem.readU32(iovs + i * 8);
        const length = host.mem.readU32(iovs + i * 8 + 4);
        if (base === null || length === null) return Errno.Fault;
        const part = host.mem.read(base, length);
        if (part === null) return Errno.Fault;
        parts.push(part);
      }
      const bytes = Buffer.concat(parts);
      if (bytes.length > 0) {
        // Envoy logs each write as one line, without its trailing newline.
        const end = bytes[bytes.length - 1] === 0x0a ? bytes.length - 1 : bytes.length;
        host.log(level, bytes.toString('utf8', 0, end));
      }
      return host.mem.writeU32(writtenPtr, bytes.length) ? Errno.Success : Errno.Fault;
    },

    proc_exit(code) {
      throw new ProcExit(code);
    },

    clock_time_get(clockId, _precision, timePtr) {
      let now;
      if (clockId === 0) now = host.clock();
      else if (clockId === 1) now = host.monotonicClock();
      else return Errno.Notsup; // process and thread CPU time: Envoy does not offer them either
      return host.mem.writeU64(timePtr, now) ? Errno.Success : Errno.Fault;
    },

    random_get(bufferPtr, length) {
      const target = host.mem.window(bufferPtr, length);
      if (target === null) return Errno.Fault;
      randomFillSync(target);
      return Errno.Success;
    },

    environ_sizes_get(countPtr, sizePtr) {
      const size = host.environment.reduce((sum, entry) => sum + entry.length + 1, 0);
      return host.mem.writeU32(countPtr, host.environment.length) && host.mem.writeU32(sizePtr, size)
        ? Errno.Success
        : Errno.Fault;
    },

    environ_get(pointersPtr, bufferPtr) {
      let pointer = pointersPtr >>> 0;
      let buffer = bufferPtr >>> 0;
      for (const entry of host.environment) {
        const bytes = Buffer.concat([entry, Buffer.alloc(1)]);
        if (!host.mem.writeU32(pointer, buffer) || !host.mem.writeBytes(buffer, bytes)) return Errno.Fault;
        pointer += 4;
        buffer += bytes.length;
      }
      return Errno.Success;
    },

    // Envoy starts every module with zero arguments (no program name either).
    args_sizes_get(countPtr, sizePtr) {
      return host.mem.writeU32(countPtr, 0) && host.mem.writeU32(sizePtr, 0) ? Errno.Success : Errno.Fault;
    },

    args_get() {
      return Errno.Success;
    },

    // There are no files; Envoy logs these calls and reports success.
    fd_close(fd) {
      host.log(LOG_ERROR, `wasi fd_close(${fd}) called: the host has no files`);
      return Errno.Success;
    },

    fd_seek(fd) {
      host.log(LOG_ERROR, `wasi fd_seek(${fd}) called: the host has no files`);
      return Errno.Success;
    },

    fd_fdstat_get(fd, statPtr) {
      if (fd !== 1 && fd !== 2) return Errno.Badf;
      // __wasi_fdstat_t (24 bytes): zeroed but for fs_rights_base = FD_WRITE, as Envoy answers.
      const stat = Buffer.alloc(24);
      stat.writeBigUInt64LE(64n, 8);
      return host.mem.writeBytes(statPtr, stat) ? Errno.Success : Errno.Fault;
    },

    sched_yield() {
      return Errno.Success;
    },

    poll_oneoff() {
      host.log(LOG_ERROR, 'wasi poll_oneoff called: the host cannot block');
      return Errno.Nosys;
    },
  };
}
