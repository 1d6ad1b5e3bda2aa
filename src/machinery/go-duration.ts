// Duration strings as Go's time.ParseDuration reads them ("1h30m", "0.5s", "250ms"), with Go's error texts: istiod's fields, kube-apiserver's flags.

const units: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  'µs': 1_000n, // U+00B5 micro sign
  'μs': 1_000n, // U+03BC Greek mu
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

const maxInt64 = (1n << 63n) - 1n;

/** The time package's quote: ASCII as is (with `"` and `\` escaped), anything else byte by byte as \xNN. */
function timeQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c >= 0x80 || c < 0x20) {
      for (const b of Buffer.from(ch, 'utf8')) out += `\\x${b.toString(16).padStart(2, '0')}`;
    } else {
      if (ch === '"' || ch === '\\') out += '\\';
      out += ch;
    }
  }
  return out + '"';
}

export class DurationSyntaxError extends Error {
  readonly code = 'DABBA_ERR_DURATION_SYNTAX';
}

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

/** Nanoseconds of a Go duration string; throws DurationSyntaxError with Go's message when it is not one. */
export function parseGoDuration(orig: string): bigint {
  const invalid = () => new DurationSyntaxError(`time: invalid duration ${timeQuote(orig)}`);
  let s = orig;
  let neg = false;
  if (s !== '' && (s[0] === '-' || s[0] === '+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') throw invalid();
  let total = 0n;
  while (s !== '') {
    if (!(s[0] === '.' || isDigit(s[0]))) throw invalid();
    let i = 0;
    while (isDigit(s[i])) i++;
    const intDigits = s.slice(0, i);
    let v = intDigits === '' ? 0n : BigInt(intDigits);
    if (v > maxInt64) throw invalid();
    s = s.slice(i);
    const pre = intDigits !== '';
    let frac = '';
    let post = false;
    if (s[0] === '.') {
      s = s.slice(1);
      let j = 0;
      while (isDigit(s[j])) j++;
      frac = s.slice(0, j);
      post = j > 0;
      s = s.slice(j);
    }
    if (!pre && !post) throw invalid();
    let k = 0;
    while (k < s.length && s[k] !== '.' && !isDigit(s[k])) k++;
    const u = s.slice(0, k);
    s = s.slice(k);
    if (u === '') throw new DurationSyntaxError(`time: missing unit in duration ${timeQuote(orig)}`);
    const unit = units[u];
    if (unit === undefined) throw new DurationSyntaxError(`time: unknown unit ${timeQuote(u)} in duration ${timeQuote(orig)}`);
    if (v > maxInt64 / unit) throw invalid();
    v *= unit;
    if (frac !== '') {
      // Go keeps only as many fraction digits as fit; extra digits cannot change a nanosecond count.
      const digits = frac.slice(0, 18);
      v += (BigInt(digits) * unit) / 10n ** BigInt(digits.length);
      if (v > maxInt64) throw invalid();
    }
    total += v;
    if (total > maxInt64) throw invalid();
  }
  if (neg) return -total;
  if (total > maxInt64) throw invalid();
  return total;
}

export const nanosPerMilli = 1_000_000n;
