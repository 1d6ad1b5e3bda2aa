// Field selectors: parsing and matching `?fieldSelector=` strings (`a=b,c!=d`, with `\` escapes) as apimachinery's fields package.

export interface FieldRequirement {
  readonly field: string;
  readonly operator: '=' | '!=';
  readonly value: string;
}

export interface FieldSelector {
  /** ANDed, in the order upstream keeps them (terms sorted as strings before parsing). */
  readonly requirements: readonly FieldRequirement[];
  /** A field that is absent reads as the empty string, as upstream's fields.Set.Get. */
  matches(fields: Readonly<Record<string, string>>): boolean;
  isEmpty(): boolean;
  /** The value the selector requires `field` to equal, if any. */
  requiresExactMatch(field: string): string | undefined;
  toString(): string;
}

/** A field selector upstream refuses; the message is upstream's. */
export class FieldSelectorParseError extends Error {
  readonly code = 'MACHINERY_ERR_FIELD_SELECTOR';
  constructor(message: string) {
    super(message);
    this.name = 'FieldSelectorParseError';
  }
}

/** fields.EscapeValue: prefixes `\`, `,` and `=` with a backslash. */
export function escapeFieldValue(s: string): string {
  return s.replace(/[\\,=]/g, (c) => `\\${c}`);
}

/** fields.UnescapeValue: the literal value of an escaped selector value. */
export function unescapeFieldValue(s: string): string {
  if (!/[\\,=]/.test(s)) return s;
  let out = '';
  let inSlash = false;
  for (const c of s) {
    if (inSlash) {
      if (c !== '\\' && c !== ',' && c !== '=') {
        throw new FieldSelectorParseError(`invalid field selector: invalid escape sequence: \\${c}`);
      }
      out += c;
      inSlash = false;
      continue;
    }
    if (c === '\\') inSlash = true;
    else if (c === ',' || c === '=') {
      // Upstream prints the rune with %v, i.e. as its number.
      throw new FieldSelectorParseError(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    } else out += c;
  }
  if (inSlash) throw new FieldSelectorParseError('invalid field selector: invalid escape sequence: \\');
  return out;
}

/** Comma-separated terms; a backslash-escaped comma stays inside its term, backslash and all. */
function splitTerms(selector: string): string[] {
  if (selector.length === 0) return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (inSlash) inSlash = false;
    else if (c === '\\') inSlash = true;
    else if (c === ',') {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms;
}

// `==` is tried before `=` so that it does not leave a leading `=` on the value.
const termOperators = ['!=', '==', '='] as const;

function splitTerm(term: string): [string, (typeof termOperators)[number], string] | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of termOperators) {
      if (term.startsWith(op, i)) return [term.slice(0, i), op, term.slice(i + op.length)];
    }
  }
  return undefined;
}

/** Go's sort.Strings orders by bytes; code point order is the same thing. */
function codePointOrder(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i].codePointAt(0)! - y[i].codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

class Terms implements FieldSelector {
  readonly requirements: readonly FieldRequirement[];
  constructor(requirements: readonly FieldRequirement[]) {
    this.requirements = requirements;
  }
  matches(fields: Readonly<Record<string, string>>): boolean {
    return this.requirements.every((r) => {
      const v = Object.hasOwn(fields, r.field) ? fields[r.field] : '';
      return r.operator === '=' ? v === r.value : v !== r.value;
    });
  }
  isEmpty(): boolean {
    return this.requirements.length === 0;
  }
  requiresExactMatch(field: string): string | undefined {
    return this.requirements.find((r) => r.operator === '=' && r.field === field)?.value;
  }
  toString(): string {
    return this.requirements.map((r) => `${r.field}${r.operator}${escapeFieldValue(r.value)}`).join(',');
  }
}

/** A selector built from requirements already in hand (e.g. to add `metadata.namespace=ns`). */
export function fieldSelectorFromRequirements(requirements: readonly FieldRequirement[]): FieldSelector {
  return new Terms([...requirements]);
}

/** The selector that restricts nothing. */
export function everythingFields(): FieldSelector {
  return new Terms([]);
}

/**
 * fields.ParseSelector: `a=b`, `a==b` and `a!=b` terms joined by commas; values may escape `\`, `,`
 * and `=` with a backslash. A term whose field and value are both empty (`=`) is dropped, as upstream's
 * identity transform does. Throws FieldSelectorParseError with upstream's message.
 */
export function parseFieldSelector(s: string): FieldSelector {
  const parts = splitTerms(s).sort(codePointOrder);
  const reqs: FieldRequirement[] = [];
  for (const part of parts) {
    if (part === '') continue;
    const split = splitTerm(part);
    if (split === undefined) throw new FieldSelectorParseError(`invalid selector: '${s}'; can't understand '${part}'`);
    const [field, op, rhs] = split;
    const value = unescapeFieldValue(rhs);
    if (field === '' && value === '') continue;
    reqs.push({ field, operator: op === '!=' ? '!=' : '=', value });
  }
  return new Terms(reqs);
}
