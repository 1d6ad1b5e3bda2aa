// Uniqueness of `x-kubernetes-list-type: set` items and `map` keys in custom resources, as upstream's listtype validation.
import { FieldError, FieldPath, fieldDuplicate, fieldInvalid } from '../../machinery/field-errors.ts';
import { additionalOf, isObject, itemsOf, type JSONSchemaProps } from './json-schema.ts';
import { goJsonValue } from './schema-validator.ts';

/** Go's json.Marshal of a decoded value: map keys sorted, for comparing compound set items. */
function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (isObject(v)) {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

const unspecified = Symbol('unspecified key');

/** Indices of the second occurrence of each repeated item (scalars by value, objects and lists by JSON). */
function duplicates(items: unknown[]): number[] {
  const seen = new Map<string, number>();
  const out: number[] = [];
  items.forEach((x, i) => {
    const key = x === unspecified ? 'unspecified' : isObject(x) || Array.isArray(x) ? `c${canonicalJson(x)}` : `s${typeof x}:${String(x)}`;
    const times = seen.get(key);
    if (times === undefined) seen.set(key, 1);
    else {
      seen.set(key, times + 1);
      if (times === 1) out.push(i);
    }
  });
  return out;
}

/** ValidateListSetsAndMaps over a whole object: duplicate set items and map-list keys, at their paths. */
export function validateListSetsAndMaps(p: FieldPath | undefined, s: JSONSchemaProps | undefined, obj: Record<string, unknown>): FieldError[] {
  if (s === undefined) return [];
  const errs: FieldError[] = [];
  const additional = additionalOf(s)?.schema;
  if (additional) {
    for (const [k, v] of Object.entries(obj)) errs.push(...validateValue(p ? p.key(k) : new FieldPath(`[${k}]`), additional, v));
  }
  if (s.properties) {
    for (const [k, v] of Object.entries(obj)) {
      if (Object.hasOwn(s.properties, k)) errs.push(...validateValue(p ? p.child(k) : new FieldPath(k), s.properties[k], v));
    }
  }
  return errs;
}

function validateValue(p: FieldPath, s: JSONSchemaProps, v: unknown): FieldError[] {
  if (Array.isArray(v)) return validateArray(p, s, v);
  if (isObject(v)) return validateListSetsAndMaps(p, s, v);
  return [];
}

function validateArray(p: FieldPath, s: JSONSchemaProps, list: unknown[]): FieldError[] {
  const errs: FieldError[] = [];
  const type = s['x-kubernetes-list-type'];
  if (type === 'set') {
    if (list.length > 1) for (const i of duplicates(list)) errs.push(fieldDuplicate(p.index(i), goJsonValue(list[i])));
  } else if (type === 'map') {
    errs.push(...validateListMap(p, s, list));
  }
  const items = itemsOf(s);
  if (items) list.forEach((x, i) => errs.push(...validateValue(p.index(i), items, x)));
  return errs;
}

function validateListMap(p: FieldPath, s: JSONSchemaProps, list: unknown[]): FieldError[] {
  for (let i = 0; i < list.length; i++) {
    const x = list[i];
    if (x !== null && !isObject(x)) return [fieldInvalid(p.index(i), goJsonValue(x), 'must be an object for an array of list-type map')];
  }
  if (list.length <= 1) return [];
  const keyFields = s['x-kubernetes-list-map-keys'] ?? [];
  if (keyFields.length === 1) {
    const keyField = keyFields[0];
    const keys = list.map((x) => (isObject(x) && Object.hasOwn(x, keyField) ? x[keyField] : unspecified));
    return duplicates(keys).map((i) =>
      fieldDuplicate(p.index(i), goJsonValue(keys[i] === unspecified ? {} : { [keyField]: keys[i] })),
    );
  }
  const keys = list.map((x) => {
    const key: Record<string, unknown> = {};
    if (isObject(x)) for (const k of keyFields) if (Object.hasOwn(x, k)) key[k] = x[k];
    return key;
  });
  return duplicates(keys).map((i) => fieldDuplicate(p.index(i), goJsonValue(keys[i])));
}
