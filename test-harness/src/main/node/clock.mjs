// Clocks for the host: nanoseconds since the Unix epoch as a BigInt. Injectable so that a test
// can fix the time (SigV4 signatures depend on it) while a benchmark uses the real one.

/** Wall-clock time with nanosecond resolution (Date.now() is only milliseconds). */
export function systemClock() {
  const base = BigInt(Date.now()) * 1_000_000n - process.hrtime.bigint();
  return () => base + process.hrtime.bigint();
}

/** A clock stopped at `instant` (see parseInstant). */
export function fixedClock(instant) {
  const nanos = parseInstant(instant);
  return () => nanos;
}

/** Monotonic nanoseconds (WASI clock 1): never fixed, only differences matter. */
export function monotonicClock() {
  return () => process.hrtime.bigint();
}

/**
 * Parses the SigV4 basic form 20150830T123600Z, or anything Date.parse accepts
 * (2015-08-30T12:36:00Z), into epoch nanoseconds.
 */
export function parseInstant(text) {
  const basic = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  const millis = basic
    ? Date.UTC(+basic[1], +basic[2] - 1, +basic[3], +basic[4], +basic[5], +basic[6])
    : Date.parse(text);
  if (Number.isNaN(millis)) {
    throw new Error(`bad time '${text}': expected 20150830T123600Z or an ISO-8601 instant`);
  }
  return BigInt(millis) * 1_000_000n;
}
