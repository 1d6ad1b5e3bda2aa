// Exact fixed-point resource quantities (`500m`, `128Mi`, `1e3`) with the parsing and canonical printing of apimachinery's resource.Quantity.

/** How a quantity prints: decimal SI suffixes, binary SI suffixes, or `e` exponents. */
export type QuantityFormat = 'DecimalExponent' | 'BinarySI' | 'DecimalSI';

const splitREString = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';
const errFormatWrong = `quantities must match the regular expression '${splitREString}'`;
const errNumeric = 'unable to parse numeric part of quantity';
const errSuffix = "unable to parse quantity's suffix";

/** A string resource.ParseQuantity rejects; the message is upstream's (ErrFormatWrong, ErrNumeric or ErrSuffix). */
export class QuantityParseError extends Error {
  readonly code = 'MACHINERY_ERR_QUANTITY';
  constructor(message: string = errFormatWrong) {
    super(message);
    this.name = 'QuantityParseError';
  }
}

const maxInt64 = 9223372036854775807n;
const minInt64 = -9223372036854775808n;
// Parsed values are rounded up to whole nanos (10^-9).
const nanoScale = -9;

const decimalSuffixes: Record<string, number | undefined> = Object.assign(Object.create(null), {
  '': 0,
  n: -9,
  u: -6,
  m: -3,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
});
const binarySuffixes: Record<string, number | undefined> = Object.assign(Object.create(null), {
  Ki: 10,
  Mi: 20,
  Gi: 30,
  Ti: 40,
  Pi: 50,
  Ei: 60,
});
const decimalSuffixByExponent = new Map<number, string>(
  Object.entries(decimalSuffixes).map(([s, e]) => [e!, s] as [number, string]),
);
const binarySuffixByPower = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

const pow10Cache: bigint[] = [];
function pow10(n: number): bigint {
  if (n < 64) return (pow10Cache[n] ??= 10n ** BigInt(n));
  return 10n ** BigInt(n);
}

const abs = (n: bigint) => (n < 0n ? -n : n);
const signOf = (n: bigint): -1 | 0 | 1 => (n < 0n ? -1 : n > 0n ? 1 : 0);
const digitCount = (n: bigint) => (n === 0n ? 0 : abs(n).toString().length);

/** m·10^e with no trailing decimal zeros in m (and e = 0 for zero), so equal values look equal. */
function normalize(m: bigint, e: number): [bigint, number] {
  if (m === 0n) return [0n, 0];
  while (m % 10n === 0n) {
    m /= 10n;
    e++;
  }
  return [m, e];
}

/** Compares m1·10^e1 with m2·10^e2 exactly, without materialising huge powers of ten. */
function compare(m1: bigint, e1: number, m2: bigint, e2: number): -1 | 0 | 1 {
  const s1 = signOf(m1);
  const s2 = signOf(m2);
  if (s1 !== s2) return s1 > s2 ? 1 : -1;
  if (s1 === 0) return 0;
  // Same sign: compare magnitudes by order of magnitude first.
  const mag1 = digitCount(m1) + e1;
  const mag2 = digitCount(m2) + e2;
  if (mag1 !== mag2) return (mag1 > mag2 ? s1 : -s1) as -1 | 1;
  // Same order of magnitude: the exponent gap is bounded by the digit counts.
  const e = Math.min(e1, e2);
  const a = m1 * pow10(e1 - e);
  const b = m2 * pow10(e2 - e);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** ceil-away-from-zero of m·10^e / 10^scale, saturating at the int64 range as upstream's int64 path does. */
function scaledValue(m: bigint, e: number, scale: number): bigint {
  if (m === 0n) return 0n;
  const shift = e - scale;
  if (shift >= 0) {
    if (digitCount(m) + shift > 19) return m < 0n ? minInt64 : maxInt64;
    const v = m * pow10(shift);
    return v > maxInt64 ? maxInt64 : v < minInt64 ? minInt64 : v;
  }
  const down = -shift;
  if (down > digitCount(m)) return m < 0n ? -1n : 1n;
  const d = pow10(down);
  const q = abs(m) / d;
  const r = abs(m) % d;
  const mag = r === 0n ? q : q + 1n;
  return m < 0n ? -mag : mag;
}

/** Rounds a non-zero value up (away from zero) to nano precision, as ParseQuantity does. */
function roundToNano(m: bigint, e: number): [bigint, number] {
  if (m === 0n || e >= nanoScale) return [m, e];
  const down = nanoScale - e;
  const sign = m < 0n ? -1n : 1n;
  if (down > digitCount(m)) return normalize(sign, nanoScale);
  const d = pow10(down);
  const q = abs(m) / d;
  const r = abs(m) % d;
  return normalize(sign * (r === 0n ? q : q + 1n), nanoScale);
}

/** The pieces of `[sign]digits[.digits][suffix]`, or an error message, as upstream's scanner. */
function scan(str: string): { positive: boolean; num: string; denom: string; suffix: string } | string {
  let positive = true;
  let pos = 0;
  const end = str.length;
  const isDigit = (c: string) => c >= '0' && c <= '9';
  if (pos < end) {
    if (str[0] === '-') {
      positive = false;
      pos++;
    } else if (str[0] === '+') {
      pos++;
    }
  }
  while (pos < end && str[pos] === '0') pos++;
  if (pos >= end) return { positive, num: '0', denom: '', suffix: '' };
  let i = pos;
  while (i < end && isDigit(str[i])) i++;
  let num = str.slice(pos, i);
  pos = i;
  if (pos >= end) return { positive, num, denom: '', suffix: '' };
  if (num.length === 0) num = '0';
  let denom = '';
  if (str[pos] === '.') {
    pos++;
    i = pos;
    while (i < end && isDigit(str[i])) i++;
    denom = str.slice(pos, i);
    pos = i;
    if (pos >= end) return { positive, num, denom, suffix: '' };
  }
  const suffixStart = pos;
  while (pos < end && 'eEinumkKMGTP'.includes(str[pos])) pos++;
  if (pos < end && (str[pos] === '-' || str[pos] === '+')) pos++;
  while (pos < end && isDigit(str[pos])) pos++;
  if (pos < end) return errFormatWrong;
  return { positive, num, denom, suffix: str.slice(suffixStart) };
}

/** The base and exponent a suffix stands for, or undefined if upstream does not know it. */
function interpretSuffix(s: string): { base: 2 | 10; exponent: number; format: QuantityFormat } | undefined {
  const dec = decimalSuffixes[s];
  if (dec !== undefined) return { base: 10, exponent: dec, format: 'DecimalSI' };
  const bin = binarySuffixes[s];
  if (bin !== undefined) return { base: 2, exponent: bin, format: 'BinarySI' };
  if (s.length > 1 && (s[0] === 'e' || s[0] === 'E')) {
    const rest = s.slice(1);
    if (!/^[+-]?[0-9]+$/.test(rest)) return undefined;
    const parsed = BigInt(rest);
    if (parsed > maxInt64 || parsed < minInt64) return undefined;
    // Upstream narrows the parsed int64 to int32.
    return { base: 10, exponent: Number(BigInt.asIntN(32, parsed)), format: 'DecimalExponent' };
  }
  return undefined;
}

/**
 * An exact quantity: the value m·10^e, the format it prints in, and (as upstream) the string it
 * was parsed from when that string is already canonical, so it round-trips byte for byte.
 */
export class Quantity {
  readonly #m: bigint;
  readonly #e: number;
  readonly format: QuantityFormat;
  #s: string | undefined;

  private constructor(m: bigint, e: number, format: QuantityFormat, s?: string) {
    [this.#m, this.#e] = normalize(m, e);
    this.format = format;
    this.#s = s;
  }

  /** resource.ParseQuantity. Numbers are read from their JavaScript decimal text. */
  static parse(input: string | number): Quantity {
    let str: string;
    if (typeof input === 'number') {
      if (!Number.isFinite(input)) throw new QuantityParseError();
      str = String(input);
    } else if (typeof input === 'string') {
      str = input;
    } else {
      throw new QuantityParseError();
    }
    if (str.length === 0) throw new QuantityParseError();
    if (str === '0') return new Quantity(0n, 0, 'DecimalSI', str);

    const scanned = scan(str);
    if (typeof scanned === 'string') throw new QuantityParseError(scanned);
    const { positive, num, denom, suffix } = scanned;
    const interpreted = interpretSuffix(suffix);
    if (interpreted === undefined) throw new QuantityParseError(errSuffix);
    const { base, exponent } = interpreted;
    let format = interpreted.format;

    // Upstream's int64 fast path decides both whether the input string is kept as the canonical
    // text and whether an over-long mantissa is an error.
    let precision: number;
    if (base === 10) precision = 19 - (num.length + denom.length);
    else if (exponent >= 0 && denom.length === 0) precision = 15 - num.length - Math.trunc((exponent * 3) / 10) - 1;
    else precision = -1;
    const digits = BigInt(num + denom);
    if (precision >= 0) {
      const scale = (base === 10 ? exponent : 0) - denom.length;
      if (scale >= nanoScale) {
        if (digits > maxInt64) throw new QuantityParseError(errNumeric);
        const mantissa = base === 2 ? 1n << BigInt(exponent) : 1n;
        const result = digits * mantissa;
        if (result <= maxInt64) {
          const shifted = num + denom;
          const keep =
            base === 2
              ? exponent % 10 === 0 && (digits & 7n) !== 0n
              : scale % 3 === 0 && !shifted.endsWith('000') && shifted[0] !== '0';
          return new Quantity(positive ? result : -result, scale, format, keep ? str : undefined);
        }
      }
    }

    let m = positive ? digits : -digits;
    let e = -denom.length;
    if (base === 10) e += exponent;
    else m <<= BigInt(exponent);
    [m, e] = roundToNano(...normalize(m, e));
    if (format === 'BinarySI') {
      if (compare(abs(m), e, maxInt64, 0) > 0) [m, e] = [m < 0n ? -maxInt64 : maxInt64, 0];
      if (m !== 0n && compare(abs(m), e, 1n, 0) < 0) format = 'DecimalSI';
    }
    return new Quantity(m, e, format);
  }

  /** Parses what a JSON document holds for a quantity: a string (trimmed, as upstream) or a number. */
  static fromJSON(v: unknown): Quantity {
    if (typeof v === 'string') return Quantity.parse(v.trim());
    if (typeof v === 'number') return Quantity.parse(v);
    throw new QuantityParseError();
  }

  /** value·10^scale (resource.NewScaledQuantity when format is DecimalSI). */
  static fromScaled(value: number | bigint, scale: number, format: QuantityFormat = 'DecimalSI'): Quantity {
    return new Quantity(toBigInt(value), scale, format);
  }

  /** resource.NewQuantity. */
  static fromValue(value: number | bigint, format: QuantityFormat = 'DecimalSI'): Quantity {
    return new Quantity(toBigInt(value), 0, format);
  }

  /** resource.NewMilliQuantity. */
  static fromMilli(milli: number | bigint, format: QuantityFormat = 'DecimalSI'): Quantity {
    return new Quantity(toBigInt(milli), -3, format);
  }

  cmp(o: Quantity): -1 | 0 | 1 {
    return compare(this.#m, this.#e, o.#m, o.#e);
  }

  equals(o: Quantity): boolean {
    return this.cmp(o) === 0;
  }

  /** ceil(q·1000), rounding away from zero and saturating at the int64 range. */
  milliValue(): number {
    return Number(scaledValue(this.#m, this.#e, -3));
  }

  /** The value rounded up (away from zero) to an integer, saturating at the int64 range. */
  value(): number {
    return Number(scaledValue(this.#m, this.#e, 0));
  }

  /** ceil(q / 10^scale) as a bigint, for callers that need all 64 bits. */
  scaledValue(scale: number): bigint {
    return scaledValue(this.#m, this.#e, scale);
  }

  /** The value as a float; may lose precision. */
  asApproximateNumber(): number {
    return Number(this.#m) * 10 ** this.#e;
  }

  isZero(): boolean {
    return this.#m === 0n;
  }

  sign(): -1 | 0 | 1 {
    return signOf(this.#m);
  }

  /** this + o; a zero receiver takes o's format, as upstream's Add. */
  add(o: Quantity): Quantity {
    const e = Math.min(this.#e, o.#e);
    const m = this.#m * pow10(this.#e - e) + o.#m * pow10(o.#e - e);
    return new Quantity(m, e, this.isZero() ? o.format : this.format);
  }

  /** this − o; a zero receiver takes o's format, as upstream's Sub. */
  sub(o: Quantity): Quantity {
    const e = Math.min(this.#e, o.#e);
    const m = this.#m * pow10(this.#e - e) - o.#m * pow10(o.#e - e);
    return new Quantity(m, e, this.isZero() ? o.format : this.format);
  }

  neg(): Quantity {
    return new Quantity(-this.#m, this.#e, this.format);
  }

  /** The canonical text, as upstream's String(): the largest suffix that loses no precision. */
  toString(): string {
    return (this.#s ??= this.#canonical());
  }

  toJSON(): string {
    return this.toString();
  }

  #canonical(): string {
    const m = this.#m;
    const e = this.#e;
    if (m === 0n) return '0';
    let format = this.format;
    if (format === 'BinarySI') {
      // Small values and fractions print in decimal to avoid rounding (upstream CanonicalizeBytes).
      // Exponents past 64 cannot come from parsing (binary values are capped at 2^63-1).
      if (compare(abs(m), e, 1024n, 0) < 0 || e < 0 || e > 64) format = 'DecimalSI';
    }
    if (format === 'BinarySI') {
      let n = abs(m) * pow10(e);
      let power = 0;
      while (n >= 1024n && n % 1024n === 0n) {
        n /= 1024n;
        power++;
      }
      // Upstream has no suffix for 2^0 (or past Ei) in its binary table and prints none.
      const suffix = binarySuffixByPower[power] ?? '';
      return `${m < 0n ? '-' : ''}${n}${suffix}`;
    }
    // Lower the exponent to a multiple of three, moving the difference into the mantissa.
    const r = ((e % 3) + 3) % 3;
    const mantissa = m * pow10(r);
    const exp = e - r;
    let suffix: string;
    if (format === 'DecimalExponent') suffix = exp === 0 ? '' : `e${exp}`;
    else suffix = decimalSuffixByExponent.get(exp) ?? ''; // upstream prints no suffix past E, too
    return `${mantissa}${suffix}`;
  }
}

function toBigInt(v: number | bigint): bigint {
  if (typeof v === 'bigint') return v;
  if (!Number.isInteger(v)) throw new RangeError(`not an integer: ${v}`);
  return BigInt(v);
}

/** Whether `s` is a string or number that resource.ParseQuantity accepts. */
export function isValidQuantity(s: unknown): boolean {
  if (typeof s !== 'string' && typeof s !== 'number') return false;
  try {
    Quantity.parse(s);
    return true;
  } catch (e) {
    if (e instanceof QuantityParseError) return false;
    throw e;
  }
}
