// The pod-template-hash as upstream computes it: FNV-32a of go-spew's `%#v` of the Go v1.PodTemplateSpec, plus collisionCount, SafeEncodeString'd.
//
// Upstream hashes the Go struct, so the text hashed depends on Go's field order and types, not on JSON. The
// layout (pod-template-layout.json, generated from k8s.io/api v0.33.0 by scripts/generate-pod-template-layout.ts)
// gives every field of every struct reachable from PodTemplateSpec; this module prints the JSON template as
// go-spew (ConfigState{SortKeys, DisableMethods, SpewKeys, DisablePointerAddresses, DisableCapacities}) prints
// the struct decoded from protobuf, where empty lists and maps are nil.
import { readFileSync } from 'node:fs';

interface Field {
  name: string;
  type: string;
  json: string;
  inline?: boolean;
}
type Decl = { kind: 'struct'; fields: Field[] } | { kind: 'named'; underlying: string };

const layout = JSON.parse(readFileSync(new URL('./pod-template-layout.json', import.meta.url), 'utf8')) as { types: Record<string, Decl> };

/** reflect.Type.String(): package names, and both core/v1 and meta/v1 are package "v1". */
const goName = (t: string): string => t.replace(/\b(core|meta)\./g, 'v1.');

const intKinds = new Set(['int', 'int8', 'int16', 'int32', 'int64', 'uint', 'uint8', 'uint16', 'uint32', 'uint64']);

/** The underlying kind of a type expression, following named types. */
function underlying(t: string): string {
  const d = layout.types[t];
  if (d?.kind === 'named') return d.underlying.startsWith('=') ? underlying(d.underlying.slice(1)) : underlying(d.underlying);
  if (t === 'types.UID') return 'string';
  if (t === 'intstr.Type') return 'int64';
  return t;
}

/** An alias prints as the type it stands for. */
const resolveAlias = (t: string): string => {
  const d = layout.types[t];
  return d?.kind === 'named' && d.underlying.startsWith('=') ? resolveAlias(d.underlying.slice(1)) : t;
};

type Json = unknown;
const isObj = (v: Json): v is Record<string, Json> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Go's string order: bytewise on UTF-8. */
const byBytes = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** Prints `v` of Go type `t`; `showType` is false where spew omits the type (slice elements, map keys/values, a pointer's target). */
function spew(t: string, v: Json, showType: boolean): string {
  t = resolveAlias(t);
  if (t.startsWith('*')) {
    const elem = t.slice(1);
    if (v === undefined || v === null) return showType ? `(${goName(t)})<nil>` : '<nil>';
    return (showType ? `(*${goName(elem)})` : '<*>') + spew(elem, v, false);
  }
  const prefix = showType ? `(${goName(t)})` : '';
  const special = specials[t];
  if (special) return prefix + special(v);
  const u = underlying(t);
  const d = layout.types[t];
  if (d?.kind === 'struct') {
    const o = isObj(v) ? v : {};
    return prefix + '{' + d.fields.map((f) => `${f.name}:${spew(f.type, f.inline ? o : o[f.json], true)}`).join(' ') + '}';
  }
  if (u.startsWith('[]')) {
    if (!Array.isArray(v) || v.length === 0) return prefix + '<nil>';
    return prefix + '[' + v.map((x) => spew(u.slice(2), x, false)).join(' ') + ']';
  }
  if (u.startsWith('map[')) {
    const close = u.indexOf(']');
    const valueType = u.slice(close + 1);
    if (!isObj(v) || Object.keys(v).length === 0) return prefix + '<nil>';
    const keys = Object.keys(v).sort(byBytes);
    return prefix + 'map[' + keys.map((k) => `${k}:${spew(valueType, v[k], false)}`).join(' ') + ']';
  }
  if (u === 'string') return prefix + (typeof v === 'string' ? v : '');
  if (u === 'bool') return prefix + (v === true ? 'true' : 'false');
  if (intKinds.has(u)) return prefix + String(typeof v === 'number' ? Math.trunc(v) : 0);
  if (u === 'float32' || u === 'float64') return prefix + (typeof v === 'number' ? String(v) : '0');
  throw new Error(`pod-template-hash: no layout for Go type ${t}`);
}

const specials: Record<string, (v: Json) => string> = {
  // Templates carry creationTimestamp: null; a set time would print its wall/ext/loc internals, which no template has.
  'meta.Time': () => '{Time:(time.Time){wall:(uint64)0 ext:(int64)0 loc:(*time.Location)<nil>}}',
  'intstr.IntOrString': (v) =>
    typeof v === 'string' ? `{Type:(intstr.Type)1 IntVal:(int32)0 StrVal:(string)${v}}` : `{Type:(intstr.Type)0 IntVal:(int32)${typeof v === 'number' ? v : 0} StrVal:(string)}`,
  'resource.Quantity': (v) => quantity(typeof v === 'string' ? v : typeof v === 'number' ? String(v) : ''),
};

const decimalSuffixes: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const binarySuffixes: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

/**
 * A Quantity as resource.ParseQuantity leaves it when decoding the canonical string the API stored: the int64
 * amount and scale, the cached string when the form is canonical, and the format.
 */
export function quantity(str: string): string {
  const print = (value: bigint | number, scale: number, s: string, format: string) =>
    `{i:(resource.int64Amount){value:(int64)${value} scale:(resource.Scale)${scale}} d:(resource.infDecAmount){Dec:(*inf.Dec)<nil>} s:(string)${s} Format:(resource.Format)${format}}`;
  if (str === '0') return print(0, 0, '0', 'DecimalSI');
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(.*)$/.exec(str);
  if (!m || !str) return print(0, 0, '', '');
  const positive = m[1] !== '-';
  const num = m[2] ?? '';
  const denom = m[3] ?? '';
  const suffix = m[4] ?? '';
  let format: string;
  let exponent: number;
  if (suffix in binarySuffixes) {
    format = 'BinarySI';
    exponent = binarySuffixes[suffix]!;
  } else if (suffix in decimalSuffixes) {
    format = 'DecimalSI';
    exponent = decimalSuffixes[suffix]!;
  } else if (/^[eE][+-]?\d+$/.test(suffix)) {
    format = 'DecimalExponent';
    exponent = Number(suffix.slice(1));
  } else return print(0, 0, '', '');
  let scale = 0;
  let precision: number;
  let mantissa = 1n;
  if (format === 'BinarySI') {
    if (exponent >= 0 && denom.length === 0) {
      mantissa = 1n << BigInt(exponent);
      precision = 15 - num.length - Math.trunc((exponent * 3) / 10) - 1;
    } else precision = -1;
  } else {
    scale = exponent;
    precision = 18 - (num.length + denom.length);
  }
  if (precision >= 0) {
    scale -= denom.length;
    if (scale >= -9) {
      const shifted = num + denom;
      const value = BigInt(shifted || '0');
      let result = value * mantissa;
      if (result <= 9223372036854775807n) {
        if (!positive) result = -result;
        const canonical =
          format === 'BinarySI' ? exponent % 10 === 0 && (value & 7n) !== 0n : scale % 3 === 0 && !shifted.endsWith('000') && shifted[0] !== '0';
        return print(result, scale, canonical ? str : '', format);
      }
    }
  }
  // Very large or very precise amounts go through inf.Dec upstream; they do not occur in canonical pod templates.
  return `{i:(resource.int64Amount){value:(int64)0 scale:(resource.Scale)0} d:(resource.infDecAmount){Dec:(*inf.Dec){unscaled:(big.Int){neg:(bool)${!positive} abs:(big.nat)[${(num + denom).replace(/^0+/, '') || ''}]} scale:(inf.Scale)${denom.length}}} s:(string) Format:(resource.Format)${format}}`;
}

/** go-spew's `%#v` of the template as a Go v1.PodTemplateSpec (dump.ForHash). */
export function spewPodTemplate(template: Json): string {
  return spew('core.PodTemplateSpec', template ?? {}, true);
}

/** FNV-1a, 32 bits. */
function fnv32a(bytes: Uint8Array, h = 0x811c9dc5): number {
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

const alphanums = 'bcdfghjklmnpqrstvwxz2456789';
/** rand.SafeEncodeString: each character mapped into consonants and digits, so the result has no vowels. */
export const safeEncodeString = (s: string): string => [...s].map((c) => alphanums[c.codePointAt(0)! % alphanums.length]).join('');

/** controller.ComputeHash: the pod-template-hash label value and ReplicaSet name suffix. */
export function computeHash(template: Json, collisionCount?: number | null): string {
  let h = fnv32a(Buffer.from(spewPodTemplate(template), 'utf8'));
  if (collisionCount !== undefined && collisionCount !== null) {
    const extra = new Uint8Array(8);
    new DataView(extra.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv32a(extra, h);
  }
  return safeEncodeString(String(h));
}
