// Normalises a decoded object the way a Go round trip does: optional nulls, empty maps, lists and strings vanish.
//
// Upstream decodes every write into Go structs and encodes it again; fields tagged `omitempty` that hold an
// empty map, slice or string (or JSON null) disappear. Without this, `kubectl diff` shows `annotations: {}`
// and similar noise that a real cluster never stores. Objects (structs) are kept even when empty, as Go
// keeps them (`status: {}`), and numbers and booleans are left alone: the schema can't tell pointers apart.
import { getDefinition, resolveSchema, type OpenApiSchema } from './definitions.ts';

type JsonObject = Record<string, unknown>;

const isObject = (v: unknown): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Prunes `obj` in place against the named definition. */
export function omitEmpty(obj: unknown, definitionName: string): void {
  const schema = getDefinition(definitionName);
  if (schema) walk(obj, schema);
}

function walk(value: unknown, schema: OpenApiSchema): void {
  const s = resolveSchema(schema).schema;
  if (Array.isArray(value)) {
    if (s.items) for (const item of value) walk(item, s.items);
    return;
  }
  if (!isObject(value)) return;
  if (s.properties) {
    const required = new Set(s.required ?? []);
    for (const [key, v] of Object.entries(value)) {
      const prop = Object.hasOwn(s.properties, key) ? s.properties[key] : undefined;
      if (!prop) continue;
      if (!required.has(key) && isEmpty(v, prop)) {
        delete value[key];
        continue;
      }
      walk(v, prop);
    }
  } else if (s.additionalProperties && typeof s.additionalProperties === 'object') {
    for (const v of Object.values(value)) walk(v, s.additionalProperties);
  }
}

function isEmpty(v: unknown, schema: OpenApiSchema): boolean {
  if (v === null) return true;
  const s = resolveSchema(schema).schema;
  if (Array.isArray(v)) return v.length === 0;
  if (isObject(v)) return s.additionalProperties !== undefined && s.properties === undefined && Object.keys(v).length === 0;
  if (v === '') return s.type === 'string' && s.format !== 'date-time' && s.format !== 'int-or-string' && !s.oneOf;
  return false;
}
