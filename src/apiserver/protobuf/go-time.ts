// How apimachinery writes times and durations in JSON: metav1.Time (RFC 3339, seconds), MicroTime (6 digits), Duration.

function rfc3339Seconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, '');
}

/** metav1.Time: UTC, `2006-01-02T15:04:05Z`; the fraction is dropped. */
export function formatTime(seconds: number, _nanos: number): string {
  return `${rfc3339Seconds(seconds)}Z`;
}

/** metav1.MicroTime: UTC, `2006-01-02T15:04:05.000000Z`. */
export function formatMicroTime(seconds: number, nanos: number): string {
  return `${rfc3339Seconds(seconds)}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z`;
}

/** Go's fraction of `v / 10^prec` without trailing zeros (and without the point when it is zero). */
function fraction(v: bigint, prec: number): { text: string; rest: bigint } {
  const scale = 10n ** BigInt(prec);
  const digits = (v % scale).toString().padStart(prec, '0').replace(/0+$/, '');
  return { text: digits ? `.${digits}` : '', rest: v / scale };
}

/** time.Duration.String(): `1h2m3.5s`, `1.5ms`, `0s`; metav1.Duration writes its nanoseconds this way. */
export function formatGoDuration(nanos: bigint): string {
  const neg = nanos < 0n;
  const u = neg ? -nanos : nanos;
  let out: string;
  if (u === 0n) return '0s';
  if (u < 1_000_000_000n) {
    const [prec, unit] = u < 1_000n ? [0, 'ns'] : u < 1_000_000n ? [3, 'µs'] : [6, 'ms'];
    const f = fraction(u, prec);
    out = `${f.rest}${f.text}${unit}`;
  } else {
    const f = fraction(u, 9);
    const secs = f.rest;
    out = `${secs % 60n}${f.text}s`;
    const mins = secs / 60n;
    if (mins > 0n) {
      out = `${mins % 60n}m${out}`;
      const hours = mins / 60n;
      if (hours > 0n) out = `${hours}h${out}`;
    }
  }
  return neg ? `-${out}` : out;
}
