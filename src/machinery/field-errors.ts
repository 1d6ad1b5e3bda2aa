// Field-addressed validation errors, shaped and worded like apimachinery v0.33's util/validation/field (Kubernetes 1.33).

export type FieldErrorType =
  | 'FieldValueNotFound'
  | 'FieldValueRequired'
  | 'FieldValueDuplicate'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'InternalError'
  | 'FieldValueTypeInvalid';

const typeText: Record<FieldErrorType, string> = {
  FieldValueNotFound: 'Not found',
  FieldValueRequired: 'Required value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  InternalError: 'Internal error',
  FieldValueTypeInvalid: 'Invalid value',
};

/** A bad value already rendered the way Go's `%#v` prints it (for structs and maps). */
export class GoRepr {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
}

const omit = Symbol('omitValue');

/** A field path such as `spec.template.spec.containers[0].name`. */
export class FieldPath {
  readonly text: string;
  constructor(text = '') {
    this.text = text;
  }
  static root(name: string): FieldPath {
    return new FieldPath(name);
  }
  child(...names: string[]): FieldPath {
    let t = this.text;
    for (const n of names) t = t === '' ? n : `${t}.${n}`;
    return new FieldPath(t);
  }
  index(i: number): FieldPath {
    return new FieldPath(`${this.text}[${i}]`);
  }
  key(k: string): FieldPath {
    return new FieldPath(`${this.text}[${k}]`);
  }
  toString(): string {
    return this.text;
  }
}

export class FieldError {
  readonly type: FieldErrorType;
  readonly field: string;
  readonly badValue: unknown;
  readonly detail: string;
  constructor(type: FieldErrorType, field: FieldPath | string, badValue: unknown, detail = '') {
    this.type = type;
    this.field = String(field);
    this.badValue = badValue;
    this.detail = detail;
  }

  /** The message without the field, as upstream's ErrorBody. */
  body(): string {
    let s: string;
    const t = typeText[this.type];
    if (
      this.type === 'FieldValueRequired' ||
      this.type === 'FieldValueForbidden' ||
      this.type === 'FieldValueTooLong' ||
      this.type === 'InternalError' ||
      this.badValue === omit
    ) {
      s = t;
    } else {
      s = `${t}: ${formatGoValue(this.badValue)}`;
    }
    if (this.detail) s += `: ${this.detail}`;
    return s;
  }

  message(): string {
    return `${this.field}: ${this.body()}`;
  }
}

/** Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
const goPrintable = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** Go's strconv.Quote (what `%q` and `%#v` print for a string). */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    let c = ch.codePointAt(0)!;
    // A lone surrogate cannot come from UTF-8; Go would hold U+FFFD in its place.
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
    if (c === 0x22 || c === 0x5c) {
      out += `\\${String.fromCodePoint(c)}`;
    } else if (goPrintable.test(String.fromCodePoint(c))) {
      out += String.fromCodePoint(c);
    } else {
      switch (c) {
        case 0x07: out += '\\a'; break;
        case 0x08: out += '\\b'; break;
        case 0x0c: out += '\\f'; break;
        case 0x0a: out += '\\n'; break;
        case 0x0d: out += '\\r'; break;
        case 0x09: out += '\\t'; break;
        case 0x0b: out += '\\v'; break;
        default:
          if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
          else if (c < 0x10000) out += `\\u${c.toString(16).padStart(4, '0')}`;
          else out += `\\U${c.toString(16).padStart(8, '0')}`;
      }
    }
  }
  return `${out}"`;
}

/** Go's `%v` of a float64 (strconv.FormatFloat 'g', shortest): exponent form below 1e-4 and from 1e6 on. */
export function goFloat(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : '-Inf';
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  const [mant, expText] = n.toExponential().split('e');
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) {
    const sign = exp < 0 ? '-' : '+';
    return `${mant}e${sign}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return String(n);
}

/** `[]string{"a", "b"}`, or `[]string(nil)` for an absent slice (Go's `%#v`). */
export function goStringSlice(v: readonly string[] | null | undefined): string {
  if (v == null) return '[]string(nil)';
  return `[]string{${v.map(goQuote).join(', ')}}`;
}

/** `map[string]string{"a":"b", "c":"d"}` with sorted keys, or `map[string]string(nil)` (Go's `%#v`). */
export function goStringMap(m: Readonly<Record<string, string>> | null | undefined): string {
  if (m == null) return 'map[string]string(nil)';
  const keys = Object.keys(m).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `map[string]string{${keys.map((k) => `${goQuote(k)}:${goQuote(String(m[k]))}`).join(', ')}}`;
}

/** Go's `%+v` (same as `%v`) of unstructured JSON data: `map[a:1 b:[x y]]`, nil as `<nil>`. */
export function goPlusV(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : goFloat(v);
  if (typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (Array.isArray(v)) return `[${v.map(goPlusV).join(' ')}]`;
  if (typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `map[${entries.map(([k, x]) => `${k}:${goPlusV(x)}`).join(' ')}]`;
  }
  return String(v);
}

/** Go's `%#v` of a value held in an interface{} (as unstructured JSON data is). */
export function goInterfaceRepr(v: unknown): string {
  if (v === null || v === undefined) return 'interface {}(nil)';
  if (v instanceof GoRepr) return v.text;
  if (typeof v === 'string') return goQuote(v);
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : goFloat(v);
  if (typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (Array.isArray(v)) return `[]interface {}{${v.map(goInterfaceRepr).join(', ')}}`;
  if (typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `map[string]interface {}{${entries.map(([k, x]) => `${goQuote(k)}:${goInterfaceRepr(x)}`).join(', ')}}`;
  }
  return String(v);
}

/**
 * Prints a bad value as 1.33's field.Error.ErrorBody does: strings with `%q`, numbers and booleans
 * with `%v`, nil as `null`, anything else with `%#v`. Structured values should be passed as GoRepr
 * (their Go type names are not knowable here); bare arrays of strings print as `[]string{…}`,
 * objects of strings as `map[string]string{…}`, other JSON as `[]interface {}`/`map[string]interface {}`.
 */
export function formatGoValue(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (v instanceof GoRepr) return v.text;
  if (typeof v === 'string') return goQuote(v);
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : goFloat(v);
  if (typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x === 'string')) return goStringSlice(v as string[]);
    return goInterfaceRepr(v);
  }
  if (typeof v === 'object') {
    const rec = v as Record<string, unknown>;
    if (Object.values(rec).every((x) => typeof x === 'string')) return goStringMap(rec as Record<string, string>);
    return goInterfaceRepr(v);
  }
  return String(v);
}

export const fieldRequired = (p: FieldPath | string, detail = '') => new FieldError('FieldValueRequired', p, '', detail);
export const fieldInvalid = (p: FieldPath | string, value: unknown, detail = '') =>
  new FieldError('FieldValueInvalid', p, value, detail);
export const fieldForbidden = (p: FieldPath | string, detail: string) => new FieldError('FieldValueForbidden', p, '', detail);
export const fieldDuplicate = (p: FieldPath | string, value: unknown) => new FieldError('FieldValueDuplicate', p, value);
export const fieldNotFound = (p: FieldPath | string, value: unknown) => new FieldError('FieldValueNotFound', p, value);
/** 1.33's field.TooLong: `Too long: may not be more than N bytes` (no singular form before 1.34). */
export const fieldTooLong = (p: FieldPath | string, _value: unknown, max: number) =>
  new FieldError('FieldValueTooLong', p, '<value omitted>', max >= 0 ? `may not be more than ${max} bytes` : 'value is too long');
/** 1.33's field.TooMany: `Too many: 5: must have at most 3 items`; a negative count is omitted. */
export const fieldTooMany = (p: FieldPath | string, actual: number, max: number) =>
  new FieldError('FieldValueTooMany', p, actual >= 0 ? actual : omit, max >= 0 ? `must have at most ${max} items` : 'has too many items');
export const fieldInternal = (p: FieldPath | string, err: Error) => new FieldError('InternalError', p, omit, err.message);
/** `Unsupported value: "x": supported values: "a", "b"` */
export const fieldNotSupported = (p: FieldPath | string, value: unknown, valid: readonly string[]) =>
  new FieldError(
    'FieldValueNotSupported',
    p,
    value,
    valid.length ? `supported values: ${valid.map(goQuote).join(', ')}` : '',
  );
