// Finds what upstream's strict JSON decoder would reject in a request body: unknown fields and wrongly typed values.
//
// Paths follow sigs.k8s.io/json's strict errors: struct fields and map keys joined by '.', list items as
// '[i]' (`spec.template.spec.containers[0].bogus`), in the order the decoder meets them, deduplicated and
// capped at 100. The server words the final error, e.g.
//   Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.bogus"
// Upstream only reports strict errors when decoding otherwise succeeded, and then only the first type error.

import { getDefinition, resolveSchema, type OpenApiSchema } from './definitions.ts';

const MAX_STRICT_ERRORS = 100;
const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
const QUANTITY_FORMAT_ERROR = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

type JsonObject = Record<string, unknown>;

function isObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function rootSchema(definitionName: string): OpenApiSchema {
  const schema = getDefinition(definitionName);
  if (schema === undefined) throw new Error(`unknown definition ${definitionName}`);
  return schema;
}

function child(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/**
 * Paths of fields in `obj` that the definition does not declare. Values of maps (labels, annotations,
 * data) and free-form fields (RawExtension, CRD JSON) are never reported; `apiVersion` and `kind` are
 * always allowed at the top.
 */
export function unknownFields(obj: unknown, definitionName: string): string[] {
  const found = new Set<string>();
  collectUnknown(obj, rootSchema(definitionName), '', true, found);
  return [...found];
}

function collectUnknown(value: unknown, schema: OpenApiSchema, path: string, top: boolean, found: Set<string>): void {
  if (found.size >= MAX_STRICT_ERRORS) return;
  const s = resolveSchema(schema).schema;
  if (Array.isArray(value)) {
    if (s.type !== 'array' || s.items === undefined) return;
    value.forEach((item, i) => collectUnknown(item, s.items!, `${path}[${i}]`, false, found));
    return;
  }
  if (!isObject(value)) return;
  if (s.properties !== undefined) {
    for (const [key, v] of Object.entries(value)) {
      const prop = Object.hasOwn(s.properties, key) ? s.properties[key] : undefined;
      if (prop !== undefined) collectUnknown(v, prop, child(path, key), false, found);
      else if (!(top && (key === 'apiVersion' || key === 'kind')) && found.size < MAX_STRICT_ERRORS) found.add(child(path, key));
    }
  } else if (s.additionalProperties !== undefined) {
    for (const [key, v] of Object.entries(value)) collectUnknown(v, s.additionalProperties, child(path, key), false, found);
  }
}

/** A value the decoder cannot store in its field's Go type. */
export interface FieldTypeError {
  /** Where, in the same notation as unknownFields. */
  readonly path: string;
  /** The Go type upstream names, e.g. `int32`, `string`, `[]v1.Container`, `v1.DeploymentSpec`. */
  readonly expected: string;
  /** What the JSON held, as Go words it: `string`, `number`, `number 1.5`, `bool`, `array`, `object`. */
  readonly got: string;
  /** The decoder's error text, e.g. `json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32`. */
  readonly message: string;
}

interface GoContext {
  /** Go name of the struct whose field is being decoded; empty at the top. */
  readonly struct: string;
  /** Struct field names from the root (Go's error context has no list indices or map keys). */
  readonly fields: readonly string[];
}

/**
 * Values whose JSON type does not fit the schema, in encounter order. Named Go types the schema cannot
 * know (`v1.Protocol`, `v1.ResourceList`) are reported by their underlying type, and string contents
 * (quantities, timestamps, base64) are not checked here.
 */
export function typeErrors(obj: unknown, definitionName: string): FieldTypeError[] {
  rootSchema(definitionName);
  const out: FieldTypeError[] = [];
  checkType(obj, { $ref: definitionName }, '', { struct: '', fields: [] }, out);
  return out;
}

function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'string') return 'string';
  return 'object';
}

function report(out: FieldTypeError[], path: string, ctx: GoContext, got: string, expected: string, message?: string): void {
  const text = message ??
    (ctx.struct === ''
      ? `json: cannot unmarshal ${got} into Go value of type ${expected}`
      : `json: cannot unmarshal ${got} into Go struct field ${ctx.struct}.${ctx.fields.join('.')} of type ${expected}`);
  out.push({ path, expected, got, message: text });
}

/** Where Go's base64.StdEncoding would report corrupt input in a []byte field, or undefined when it decodes. */
export function base64ErrorOffset(text: string): number | undefined {
  const src = text.replace(/[\r\n]/g, '');
  const bad = /[^A-Za-z0-9+/=]/.exec(src);
  if (bad) return bad.index;
  const pad = src.indexOf('=');
  if (pad >= 0) {
    const tail = src.slice(pad);
    if (pad % 4 === 2 && tail === '=') return src.length;
    const quantumStart = pad - (pad % 4);
    if (!/^={1,2}$/.test(tail) || pad % 4 < 2 || src.length % 4 !== 0) return quantumStart + Math.max(pad % 4, 0);
    return undefined;
  }
  if (src.length % 4 !== 0) return src.length - (src.length % 4);
  return undefined;
}

function fitsInteger(v: number, format: string | undefined): boolean {
  if (!Number.isInteger(v)) return false;
  if (format === 'int32') return v >= -2147483648 && v <= 2147483647;
  return v >= -9223372036854775808 && v <= 9223372036854775807;
}

function checkType(value: unknown, schema: OpenApiSchema, path: string, ctx: GoContext, out: FieldTypeError[]): void {
  if (value === null || value === undefined) return;
  const { name, schema: s } = resolveSchema(schema);
  if (name === INT_OR_STRING) {
    if (typeof value === 'string' || (typeof value === 'number' && fitsInteger(value, 'int32'))) return;
    report(out, path, ctx, typeof value === 'number' ? `number ${value}` : jsonKind(value), 'int32');
    return;
  }
  if (name === QUANTITY) {
    if (typeof value !== 'string' && typeof value !== 'number') {
      report(out, path, ctx, jsonKind(value), 'resource.Quantity', QUANTITY_FORMAT_ERROR);
    }
    return;
  }
  if (s.properties !== undefined) {
    if (!isObject(value)) {
      report(out, path, ctx, jsonKind(value), goType(schema));
      return;
    }
    const struct = name === undefined ? ctx.struct : name.slice(name.lastIndexOf('.') + 1);
    for (const [key, v] of Object.entries(value)) {
      const prop = Object.hasOwn(s.properties, key) ? s.properties[key] : undefined;
      if (prop !== undefined) checkType(v, prop, child(path, key), { struct, fields: [...ctx.fields, key] }, out);
    }
    return;
  }
  if (s.additionalProperties !== undefined) {
    if (!isObject(value)) {
      report(out, path, ctx, jsonKind(value), goType(schema));
      return;
    }
    for (const [key, v] of Object.entries(value)) checkType(v, s.additionalProperties, child(path, key), ctx, out);
    return;
  }
  switch (s.type) {
    case 'array':
      if (!Array.isArray(value)) {
        report(out, path, ctx, jsonKind(value), goType(schema));
        return;
      }
      value.forEach((item, i) => checkType(item, s.items ?? {}, `${path}[${i}]`, ctx, out));
      return;
    case 'string':
      if (typeof value !== 'string') report(out, path, ctx, jsonKind(value), goType(schema));
      else if (s.format === 'byte') {
        const at = base64ErrorOffset(value);
        if (at !== undefined) report(out, path, ctx, 'string', '[]uint8', `illegal base64 data at input byte ${at}`);
      }
      return;
    case 'boolean':
      if (typeof value !== 'boolean') report(out, path, ctx, jsonKind(value), 'bool');
      return;
    case 'integer':
      if (typeof value === 'number') {
        if (!fitsInteger(value, s.format)) report(out, path, ctx, `number ${value}`, goType(schema));
      } else {
        report(out, path, ctx, jsonKind(value), goType(schema));
      }
      return;
    case 'number':
      if (typeof value !== 'number') report(out, path, ctx, jsonKind(value), 'float64');
      return;
  }
  // Free-form (RawExtension, FieldsV1, CRD JSON): anything decodes.
}

/** How Go's reflect spells the type a schema was generated from, as far as the schema tells. */
export function goType(schema: OpenApiSchema): string {
  const { name, schema: s } = resolveSchema(schema);
  if (name !== undefined && (s.properties !== undefined || name === INT_OR_STRING || name === QUANTITY)) {
    const parts = name.split('.');
    return `${parts[parts.length - 2]}.${parts[parts.length - 1]}`;
  }
  if (s.additionalProperties !== undefined) return `map[string]${goType(s.additionalProperties)}`;
  switch (s.type) {
    case 'array':
      return `[]${goType(s.items ?? {})}`;
    case 'string':
      return s.format === 'byte' ? '[]uint8' : 'string';
    case 'boolean':
      return 'bool';
    case 'integer':
      return s.format === 'int32' ? 'int32' : 'int64';
    case 'number':
      return 'float64';
  }
  return name === undefined ? 'interface {}' : name.slice(name.lastIndexOf('.') + 1);
}
