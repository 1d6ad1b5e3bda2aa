// One step of a field path (a struct field, a list item by key or by value, or an index) with the ordering, text and FieldsV1 encoding of structured-merge-diff v4.

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export type KeyField = readonly [name: string, value: JsonValue];

export type PathElement =
  | { readonly kind: 'field'; readonly name: string }
  /** A map-type list item, by its key fields sorted by name. */
  | { readonly kind: 'key'; readonly fields: readonly KeyField[] }
  /** A set-type list item, by its value. */
  | { readonly kind: 'value'; readonly value: JsonValue }
  /** An item of an atomic list, by position (used in validation messages only). */
  | { readonly kind: 'index'; readonly index: number };

export type Path = readonly PathElement[];

export const fieldElement = (name: string): PathElement => ({ kind: 'field', name });

export const isJsonMap = (v: unknown): v is { [key: string]: JsonValue } => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Go compares strings bytewise in UTF-8, which is code point order (UTF-16 order differs above U+D7FF). */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const surrogateX = x >= 0xd800 && x <= 0xdfff;
    const surrogateY = y >= 0xd800 && y <= 0xdfff;
    if (surrogateX !== surrogateY) return surrogateX ? 1 : -1;
    return x < y ? -1 : 1;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

/** The rank of a value's type in value.Compare: numbers, strings, booleans, lists, maps, null. */
function typeRank(v: JsonValue): number {
  if (typeof v === 'number') return 0;
  if (typeof v === 'string') return 1;
  if (typeof v === 'boolean') return 2;
  if (Array.isArray(v)) return 3;
  if (v !== null && typeof v === 'object') return 4;
  return 5;
}

/** A total order over values (value.Compare). */
export function compareValues(a: JsonValue, b: JsonValue): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  switch (ra) {
    case 0:
      return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
    case 1:
      return compareStrings(a as string, b as string);
    case 2:
      return a === b ? 0 : a === false ? -1 : 1;
    case 3: {
      const la = a as JsonValue[];
      const lb = b as JsonValue[];
      for (let i = 0; i < Math.min(la.length, lb.length); i++) {
        const c = compareValues(la[i]!, lb[i]!);
        if (c !== 0) return c;
      }
      return la.length < lb.length ? -1 : la.length > lb.length ? 1 : 0;
    }
    case 4: {
      const ma = a as { [key: string]: JsonValue };
      const mb = b as { [key: string]: JsonValue };
      const ka = Object.keys(ma).sort(compareStrings);
      const kb = Object.keys(mb).sort(compareStrings);
      for (let i = 0; i < Math.min(ka.length, kb.length); i++) {
        const c = compareStrings(ka[i]!, kb[i]!);
        if (c !== 0) return c < 0 ? -1 : 1;
        const cv = compareValues(ma[ka[i]!]!, mb[kb[i]!]!);
        if (cv !== 0) return cv;
      }
      return ka.length < kb.length ? -1 : ka.length > kb.length ? 1 : 0;
    }
    default:
      return 0;
  }
}

/** Deep equality of JSON values (value.Equals); absent map entries differ from null ones. */
export function equalValues(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => equalValues(x, b[i]));
  }
  if (typeof a === 'object') {
    if (!isJsonMap(b)) return false;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.hasOwn(b, k) && equalValues(a[k], b[k]));
  }
  return false;
}

function compareKeys(a: readonly KeyField[], b: readonly KeyField[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = compareStrings(a[i]![0], b[i]![0]);
    if (c !== 0) return c < 0 ? -1 : 1;
    const cv = compareValues(a[i]![1], b[i]![1]);
    if (cv !== 0) return cv;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

const kindRank = { field: 0, key: 1, value: 2, index: 3 } as const;

/** Fields sort first, then keys, values and indexes (PathElement.Compare). */
export function compareElements(a: PathElement, b: PathElement): number {
  if (a.kind !== b.kind) return kindRank[a.kind] < kindRank[b.kind] ? -1 : 1;
  switch (a.kind) {
    case 'field': {
      const c = compareStrings(a.name, (b as typeof a).name);
      return c < 0 ? -1 : c > 0 ? 1 : 0;
    }
    case 'key':
      return compareKeys(a.fields, (b as typeof a).fields);
    case 'value':
      return compareValues(a.value, (b as typeof a).value);
    case 'index': {
      const i = (b as typeof a).index;
      return a.index < i ? -1 : a.index > i ? 1 : 0;
    }
  }
}

/** Go's %q for printable strings (control characters aside, JSON quoting is the same). */
const goQuoted = (s: string): string => JSON.stringify(s);

/** value.ToString: how a value reads inside a printed path. */
export function valueToString(v: JsonValue): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return goQuoted(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(valueToString).join(',')}]`;
  return Object.keys(v)
    .map((k) => `${k}=${valueToString(v[k]!)}`)
    .join('');
}

/** PathElement.String: `.name`, `[name="web"]`, `[="a"]`, `[0]`. */
export function elementToString(pe: PathElement): string {
  switch (pe.kind) {
    case 'field':
      return '.' + pe.name;
    case 'key':
      return `[${pe.fields.map(([k, v]) => `${k}=${valueToString(v)}`).join(',')}]`;
    case 'value':
      return `[=${valueToString(pe.value)}]`;
    case 'index':
      return `[${pe.index}]`;
  }
}

export const pathToString = (p: Path): string => p.map(elementToString).join('');

const goEscapes: Record<string, string> = { '<': '\\u003c', '>': '\\u003e', '&': '\\u0026', '\u2028': '\\u2028', '\u2029': '\\u2029' };

/** JSON as Go's encoding/json writes it: map keys sorted, HTML characters escaped. */
export function goJson(v: JsonValue): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v).replace(/[<>&\u2028\u2029]/g, (c) => goEscapes[c]!);
  if (Array.isArray(v)) return `[${v.map(goJson).join(',')}]`;
  const keys = Object.keys(v).sort(compareStrings);
  return `{${keys.map((k) => `${goJson(k)}:${goJson(v[k]!)}`).join(',')}}`;
}

/** The FieldsV1 key of an element: `f:name`, `k:{"name":"web"}`, `v:"a"`, `i:0`. */
export function serializeElement(pe: PathElement): string {
  switch (pe.kind) {
    case 'field':
      return 'f:' + pe.name;
    case 'key':
      return `k:{${pe.fields.map(([k, v]) => `${goJson(k)}:${goJson(v)}`).join(',')}}`;
    case 'value':
      return 'v:' + goJson(pe.value);
    case 'index':
      return 'i:' + pe.index;
  }
}

export class PathElementError extends Error {
  readonly code = 'DABBA_FIELDS_V1_ELEMENT';
}

/** Parses a FieldsV1 key; undefined for a type this version does not know (skipped, as upstream does). */
export function deserializeElement(s: string): PathElement | undefined {
  if (s.length < 2) throw new PathElementError('key must be 2 characters long:');
  if (s[1] !== ':') throw new PathElementError(`missing colon: ${s}`);
  const body = s.slice(2);
  switch (s[0]) {
    case 'f':
      return { kind: 'field', name: body };
    case 'v':
      return { kind: 'value', value: parseJson(body) };
    case 'k': {
      const o = parseJson(body);
      if (!isJsonMap(o)) throw new PathElementError(`expected an object in ${s}`);
      return { kind: 'key', fields: sortKeyFields(Object.entries(o)) };
    }
    case 'i': {
      if (!/^[+-]?\d+$/.test(body)) throw new PathElementError(`strconv.Atoi: parsing ${JSON.stringify(body)}: invalid syntax`);
      return { kind: 'index', index: Number(body) };
    }
    default:
      return undefined;
  }
}

function parseJson(text: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch (e) {
    throw new PathElementError((e as Error).message, { cause: e });
  }
}

export function sortKeyFields(fields: KeyField[]): KeyField[] {
  return fields.sort((a, b) => compareStrings(a[0], b[0]));
}
