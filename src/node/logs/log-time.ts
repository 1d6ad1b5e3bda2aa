// Container log time: a wall clock with nanosecond digits, and the two RFC 3339 layouts the CRI log uses (written trimmed, shown fixed).

/** How far the derived clock may stray from Date.now() before it is set again (NTP steps, suspend). */
const MAX_DRIFT_NS = 2_000_000n;

let anchorWallNs = 0n;
let anchorMono = 0n;
let lastNs = 0n;

function anchor(): void {
  // performance.timeOrigin is the wall time (with sub-millisecond digits) at which performance.now() was 0.
  const mono = process.hrtime.bigint();
  const sinceOriginNs = BigInt(Math.round(performance.now() * 1e6));
  anchorWallNs = BigInt(Math.round(performance.timeOrigin * 1e3)) * 1000n + sinceOriginNs;
  anchorMono = mono;
}

/**
 * The wall clock in nanoseconds since the epoch: Date.now() has only milliseconds, so the monotonic clock supplies
 * the digits below them. Strictly increasing within the process, so records keep their order when sorted.
 */
export function wallClockNanos(): bigint {
  if (anchorMono === 0n) anchor();
  let ns = anchorWallNs + (process.hrtime.bigint() - anchorMono);
  const wallMs = BigInt(Date.now()) * 1_000_000n;
  // Date.now() truncates: the true time lies in [wallMs, wallMs + 1 ms).
  if (ns < wallMs - MAX_DRIFT_NS || ns > wallMs + 1_000_000n + MAX_DRIFT_NS) {
    anchor();
    ns = anchorWallNs + (process.hrtime.bigint() - anchorMono);
    if (ns < wallMs - MAX_DRIFT_NS || ns > wallMs + 1_000_000n + MAX_DRIFT_NS) {
      // timeOrigin itself is off (the clock was set after start): keep the milliseconds, the monotonic digits below.
      anchorWallNs = wallMs;
      anchorMono = process.hrtime.bigint();
      ns = anchorWallNs;
    }
  }
  if (ns <= lastNs) ns = lastNs + 1n;
  lastNs = ns;
  return ns;
}

function split(ns: bigint): { seconds: string; fraction: string } {
  const ms = Number(ns / 1_000_000n);
  const iso = new Date(ms).toISOString(); // 2026-11-26T07:16:04.123Z
  return { seconds: iso.slice(0, 19), fraction: String(ns % 1_000_000_000n).padStart(9, '0') };
}

/** Go's time.RFC3339Nano in UTC: `2026-11-26T07:16:04.12345Z`, trailing zeros of the fraction dropped (containerd's log files). */
export function formatRFC3339Nano(ns: bigint): string {
  const { seconds, fraction } = split(ns);
  const trimmed = fraction.replace(/0+$/, '');
  return `${seconds}${trimmed ? `.${trimmed}` : ''}Z`;
}

/** The kubelet's RFC3339NanoFixed: always nine fractional digits, `2026-11-26T07:16:04.123450000Z`. */
export function formatRFC3339NanoFixed(ns: bigint): string {
  const { seconds, fraction } = split(ns);
  return `${seconds}.${fraction}Z`;
}

/**
 * Rewrites a timestamp read from a log file (any fraction length, `Z` or an offset, as RFC3339NanoLenient accepts)
 * with nine fractional digits, keeping its offset as Go's Format does. Unparseable text comes back unchanged.
 */
export function fixedRFC3339Nano(ts: string): string {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(ts);
  if (!m) return ts;
  return `${m[1]}.${(m[2] ?? '').padEnd(9, '0')}${m[3]}`;
}

/** Nanoseconds since the epoch of a log timestamp (undefined when unparseable). */
export function parseRFC3339Nano(ts: string): bigint | undefined {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(ts);
  if (!m) return undefined;
  const secondsMs = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(secondsMs)) return undefined;
  return BigInt(secondsMs) * 1_000_000n + BigInt((m[2] ?? '').padEnd(9, '0'));
}
