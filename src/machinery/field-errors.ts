// Field-addressed validation errors, shaped and worded like apimachinery's util/validation/field.

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

/** Prints a value like Go's fmt does in field errors: strings quoted, numbers and booleans bare. */
export function formatGoValue(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (v instanceof GoRepr) return v.text;
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (Array.isArray(v)) return `[]string{${v.map((x) => JSON.stringify(x)).join(', ')}}`;
  if (typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>);
    if (entries.every(([, x]) => typeof x === 'string')) {
      return `map[string]string{${entries
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, x]) => `${JSON.stringify(k)}:${JSON.stringify(x)}`)
        .join(', ')}}`;
    }
    return JSON.stringify(v);
  }
  return String(v);
}

export const fieldRequired = (p: FieldPath | string, detail = '') => new FieldError('FieldValueRequired', p, '', detail);
export const fieldInvalid = (p: FieldPath | string, value: unknown, detail = '') =>
  new FieldError('FieldValueInvalid', p, value, detail);
export const fieldForbidden = (p: FieldPath | string, detail: string) => new FieldError('FieldValueForbidden', p, '', detail);
export const fieldDuplicate = (p: FieldPath | string, value: unknown) => new FieldError('FieldValueDuplicate', p, value);
export const fieldNotFound = (p: FieldPath | string, value: unknown) => new FieldError('FieldValueNotFound', p, value);
export const fieldTooLong = (p: FieldPath | string, _value: unknown, max: number) =>
  new FieldError('FieldValueTooLong', p, '', `may not be more than ${max} bytes`);
export const fieldTooMany = (p: FieldPath | string, actual: number, max: number) =>
  new FieldError('FieldValueTooMany', p, actual, `must have at most ${max} items`);
export const fieldInternal = (p: FieldPath | string, err: Error) => new FieldError('InternalError', p, omit, err.message);
/** `Unsupported value: "x": supported values: "a", "b"` */
export const fieldNotSupported = (p: FieldPath | string, value: unknown, valid: readonly string[]) =>
  new FieldError(
    'FieldValueNotSupported',
    p,
    value,
    valid.length ? `supported values: ${valid.map((v) => JSON.stringify(v)).join(', ')}` : '',
  );
