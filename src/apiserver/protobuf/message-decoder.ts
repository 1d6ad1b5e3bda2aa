// Decodes a Kubernetes protobuf message into the JSON that upstream would write for the same Go object.
//
// Upstream unmarshals protobuf into Go structs and later writes them with encoding/json, so a field's JSON
// depends on its Go shape: an absent value field is its zero value, an absent pointer, slice or map is nil
// (`null`), and `omitempty` drops nil, zero scalars and empty slices and maps but never structs. A few
// apimachinery types marshal themselves (Time, MicroTime, Duration, Quantity, IntOrString, RawExtension,
// FieldsV1); they are formatted here by name.
import type { FieldDescriptor, MessageDescriptor, ProtobufDescriptors } from './descriptors.ts';
import { formatGoDuration, formatMicroTime, formatTime } from './go-time.ts';
import { int32, int64, uint64, WireFormatError, WireReader, WireType, zigzag32, zigzag64, type Bits64 } from './wire-reader.ts';

const meta = 'k8s.io.apimachinery.pkg.apis.meta.v1.';
const TIME = `${meta}Time`;
const MICRO_TIME = `${meta}MicroTime`;
const DURATION = `${meta}Duration`;
const FIELDS_V1 = `${meta}FieldsV1`;
const QUANTITY = 'k8s.io.apimachinery.pkg.api.resource.Quantity';
const QUANTITY_VALUE = 'k8s.io.apimachinery.pkg.api.resource.QuantityValue';
const INT_OR_STRING = 'k8s.io.apimachinery.pkg.util.intstr.IntOrString';
const RAW_EXTENSION = 'k8s.io.apimachinery.pkg.runtime.RawExtension';

const empty = new Uint8Array(0);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** A non-repeated field as read: scalars keep the last value, messages collect every occurrence (they merge). */
type Collected = { scalar?: unknown; parts?: Uint8Array[]; list?: unknown[]; map?: Map<string, Json> };

/** Turns raw bytes embedded in a RawExtension into JSON; the envelope decoder handles nested `k8s\0` objects. */
export type RawDecoder = (raw: Uint8Array) => Json;

interface CompiledMessage {
  fields: FieldDescriptor[];
  byNumber: Map<number, number>;
}

export class MessageDecoder {
  readonly #messages: Record<string, MessageDescriptor>;
  readonly #compiled = new Map<string, CompiledMessage>();
  #raw: RawDecoder = (raw) => parseRawJson(raw);

  constructor(descriptors: ProtobufDescriptors) {
    this.#messages = descriptors.messages;
  }

  /** Sets how RawExtension bytes that are not JSON are read (nested protobuf objects). */
  setRawDecoder(fn: RawDecoder): void {
    this.#raw = fn;
  }

  has(message: string): boolean {
    return message in this.#messages;
  }

  /** Decodes `bytes` as `message` into the JSON object upstream would write. */
  decode(message: string, bytes: Uint8Array): Json {
    switch (message) {
      case TIME:
        return this.#time(message, bytes, formatTime);
      case MICRO_TIME:
        return this.#time(message, bytes, formatMicroTime);
      case DURATION:
        return formatGoDuration(durationNanos(bytes));
      case QUANTITY:
      case QUANTITY_VALUE: {
        const s = this.#read(message, bytes).get(1)?.scalar as string | undefined;
        return s || '0';
      }
      case INT_OR_STRING: {
        const r = this.#read(message, bytes);
        const type = (r.get(1)?.scalar as number | undefined) ?? 0;
        if (type === 1) return (r.get(3)?.scalar as string | undefined) ?? '';
        return (r.get(2)?.scalar as number | undefined) ?? 0;
      }
      case RAW_EXTENSION:
      case FIELDS_V1: {
        const raw = this.#read(message, bytes).get(1)?.scalar as Uint8Array | undefined;
        return raw === undefined || raw.length === 0 ? null : this.#raw(raw);
      }
    }
    const desc = this.#messages[message];
    if (desc === undefined) throw new WireFormatError(`no protobuf descriptor for ${message}`);
    if (!Array.isArray(desc)) {
      const items = this.#read(message, bytes, { items: desc.items }).get(1)?.list;
      return items && items.length ? items.map((v) => this.#value(desc.items, v)) : null;
    }
    const collected = this.#read(message, bytes);
    const out: { [k: string]: Json } = {};
    for (const f of this.#compile(message, desc).fields) {
      const [number, json, type, flags] = f;
      const got = collected.get(number);
      if (flags.includes('i')) {
        Object.assign(out, this.decode(type, concat(got?.parts)));
        continue;
      }
      const shape = flags[0];
      let value: Json | undefined;
      if (got !== undefined) {
        if (shape === 's') value = got.list!.map((v) => this.#value(type, v));
        else if (shape === 'm') value = Object.fromEntries(got.map!);
        else value = got.parts ? this.decode(type, concat(got.parts)) : this.#value(type, got.scalar);
      } else if (shape === 'v') {
        value = this.#zero(type);
      }
      if (flags.includes('o') && isEmpty(shape, type, value, got !== undefined)) continue;
      out[json] = value === undefined ? null : value;
    }
    return out;
  }

  /** metav1.Time and MicroTime: an empty message is the zero time, which both write as `null`. */
  #time(message: string, bytes: Uint8Array, format: (seconds: number, nanos: number) => string): Json {
    if (bytes.length === 0) return null;
    const r = this.#read(message, bytes);
    return format((r.get(1)?.scalar as number | undefined) ?? 0, (r.get(2)?.scalar as number | undefined) ?? 0);
  }

  #compile(message: string, fields: FieldDescriptor[]): CompiledMessage {
    let c = this.#compiled.get(message);
    if (!c) {
      c = { fields, byNumber: new Map(fields.map((f, i) => [f[0], i])) };
      this.#compiled.set(message, c);
    }
    return c;
  }

  /** Reads a message's fields by number, without interpreting messages nested in them yet. */
  #read(message: string, bytes: Uint8Array, list?: { items: string }): Map<number, Collected> {
    const desc = this.#messages[message];
    const fields: FieldDescriptor[] = list ? [[1, 'items', list.items, 's']] : (desc as FieldDescriptor[]);
    const compiled = list ? { fields, byNumber: new Map([[1, 0]]) } : this.#compile(message, fields);
    const out = new Map<number, Collected>();
    const r = new WireReader(bytes);
    while (!r.done) {
      const { number, wireType } = r.tag();
      const i = compiled.byNumber.get(number);
      if (i === undefined) {
        r.skip(wireType);
        continue;
      }
      const [, json, type, flags, key] = fields[i];
      let c = out.get(number);
      if (!c) out.set(number, (c = {}));
      const shape = flags[0];
      if (shape === 'm') {
        if (wireType !== WireType.bytes) throw wrongWireType(wireType, json);
        c.map ??= new Map();
        const [k, v] = this.#mapEntry(r.bytes(), key!, type);
        c.map.set(k, v);
      } else if (shape === 's') {
        c.list ??= [];
        if (wireType === WireType.bytes && isPackable(type)) {
          const packed = new WireReader(r.bytes());
          while (!packed.done) c.list.push(readScalar(packed, type, wireTypeOf(type), json));
        } else {
          c.list.push(readScalar(r, type, wireType, json));
        }
      } else if (!isScalar(type)) {
        if (wireType !== WireType.bytes) throw wrongWireType(wireType, json);
        (c.parts ??= []).push(r.bytes());
      } else {
        c.scalar = readScalar(r, type, wireType, json);
      }
    }
    return out;
  }

  #mapEntry(bytes: Uint8Array, keyType: string, valueType: string): [string, Json] {
    const r = new WireReader(bytes);
    let key: unknown;
    let value: unknown;
    const parts: Uint8Array[] = [];
    while (!r.done) {
      const { number, wireType } = r.tag();
      if (number === 1) key = readScalar(r, keyType, wireType, 'key');
      else if (number === 2) {
        if (isScalar(valueType)) value = readScalar(r, valueType, wireType, 'value');
        else {
          if (wireType !== WireType.bytes) throw wrongWireType(wireType, 'value');
          parts.push(r.bytes());
        }
      } else r.skip(wireType);
    }
    const k = key === undefined ? this.#zero(keyType) : this.#value(keyType, key);
    const v = isScalar(valueType)
      ? value === undefined
        ? this.#zero(valueType)
        : this.#value(valueType, value)
      : this.decode(valueType, concat(parts));
    return [String(k), v];
  }

  /** A scalar as JSON (bytes as standard base64, as encoding/json writes []byte), or a message's bytes decoded. */
  #value(type: string, v: unknown): Json {
    if (v instanceof Uint8Array) return type === 'bytes' ? Buffer.from(v.buffer, v.byteOffset, v.length).toString('base64') : this.decode(type, v);
    return v as Json;
  }

  #zero(type: string): Json {
    switch (type) {
      case 'string':
      case 'bytes':
        return '';
      case 'bool':
        return false;
    }
    return isScalar(type) ? 0 : this.decode(type, empty);
  }
}

/** Go's omitempty: nil pointers, slices and maps, empty slices and maps, zero scalars; never a struct. */
function isEmpty(shape: string, type: string, value: Json | undefined, present: boolean): boolean {
  switch (shape) {
    case 'p':
      return !present;
    case 's':
    case 'm':
    case 'b':
      if (!present || value === null || value === undefined) return true;
      if (Array.isArray(value)) return value.length === 0;
      if (typeof value === 'object') return Object.keys(value).length === 0;
      return value === '';
    default:
      return isScalar(type) && (value === '' || value === 0 || value === false);
  }
}

const scalarTypes = new Set([
  'double', 'float', 'int32', 'int64', 'uint32', 'uint64', 'sint32', 'sint64',
  'fixed32', 'fixed64', 'sfixed32', 'sfixed64', 'bool', 'string', 'bytes',
]);

function isScalar(type: string): boolean {
  return scalarTypes.has(type);
}

function isPackable(type: string): boolean {
  return isScalar(type) && type !== 'string' && type !== 'bytes';
}

function wireTypeOf(type: string): number {
  switch (type) {
    case 'double':
    case 'fixed64':
    case 'sfixed64':
      return WireType.fixed64;
    case 'float':
    case 'fixed32':
    case 'sfixed32':
      return WireType.fixed32;
    case 'string':
    case 'bytes':
      return WireType.bytes;
    default:
      return WireType.varint;
  }
}

function wrongWireType(wireType: number, field: string): WireFormatError {
  return new WireFormatError(`proto: wrong wireType = ${wireType} for field ${field}`);
}

const utf8 = new TextDecoder('utf-8');

function readScalar(r: WireReader, type: string, wireType: number, field: string): unknown {
  if (!isScalar(type)) {
    if (wireType !== WireType.bytes) throw wrongWireType(wireType, field);
    return r.bytes();
  }
  if (wireType !== wireTypeOf(type)) throw wrongWireType(wireType, field);
  switch (type) {
    case 'string':
      return utf8.decode(r.bytes());
    case 'bytes':
      return r.bytes();
    case 'bool': {
      const v = r.varint();
      return v.lo !== 0 || v.hi !== 0;
    }
    case 'int32':
      return int32(r.varint());
    case 'uint32':
      return r.varint().lo;
    case 'int64':
      return int64(r.varint());
    case 'uint64':
      return uint64(r.varint());
    case 'sint32':
      return zigzag32(r.varint());
    case 'sint64':
      return zigzag64(r.varint());
    case 'fixed32':
      return r.fixed32();
    case 'sfixed32':
      return r.fixed32() | 0;
    case 'fixed64':
      return uint64(r.fixed64());
    case 'sfixed64':
      return int64(r.fixed64());
    case 'float':
      return floatOf(r.fixed32());
    case 'double':
      return doubleOf(r.fixed64());
  }
  throw new WireFormatError(`proto: unsupported type ${type}`);
}

const scratch = new DataView(new ArrayBuffer(8));

function floatOf(bits: number): number {
  scratch.setUint32(0, bits, true);
  return scratch.getFloat32(0, true);
}

function doubleOf(v: Bits64): number {
  scratch.setUint32(0, v.lo, true);
  scratch.setUint32(4, v.hi, true);
  return scratch.getFloat64(0, true);
}

/** metav1.Duration's nanoseconds (field 1), exact beyond 2^53. */
function durationNanos(bytes: Uint8Array): bigint {
  const r = new WireReader(bytes);
  let ns = 0n;
  while (!r.done) {
    const { number, wireType } = r.tag();
    if (number !== 1) {
      r.skip(wireType);
      continue;
    }
    if (wireType !== WireType.varint) throw wrongWireType(wireType, 'duration');
    const v = r.varint();
    ns = BigInt.asIntN(64, (BigInt(v.hi) << 32n) | BigInt(v.lo));
  }
  return ns;
}

function concat(parts: Uint8Array[] | undefined): Uint8Array {
  if (!parts || parts.length === 0) return empty;
  if (parts.length === 1) return parts[0];
  return Buffer.concat(parts);
}

/** RawExtension and FieldsV1 hold JSON text; anything else cannot be written as JSON (upstream fails too). */
export function parseRawJson(raw: Uint8Array): Json {
  try {
    return JSON.parse(utf8.decode(raw)) as Json;
  } catch (e) {
    throw new WireFormatError(`embedded object is not JSON: ${(e as Error).message}`);
  }
}
