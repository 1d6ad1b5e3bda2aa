// ObjectMeta inside custom resources: strict decoding of the root and embedded metadata, and embedded-resource checks.
//
// A custom resource's metadata (and the metadata of every `x-kubernetes-embedded-resource`) is decoded as a
// real ObjectMeta: unknown fields are reported (`metadata.foo`) and dropped, as upstream's objectmeta package does.
import { unknownFields, typeErrors } from '../../api/schema/unknown-fields.ts';
import { omitEmpty } from '../../api/schema/omit-empty.ts';
import { FieldError, FieldPath, fieldInvalid, fieldRequired } from '../../machinery/field-errors.ts';
import { validateObjectMeta, type ObjectMetaLike } from '../../machinery/meta-validation.ts';
import { isDNS1035Label } from '../../machinery/validation.ts';
import { additionalOf, isEmbedded, isObject, itemsOf, type JSONSchemaProps } from './json-schema.ts';
import { goJsonValue } from './schema-validator.ts';

export const objectMetaDefinition = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

/** The decoding error ObjectMeta would give `metadata`, as Go words it, or undefined. */
export function objectMetaTypeError(metadata: unknown): string | undefined {
  if (!isObject(metadata)) {
    if (metadata === null) return undefined;
    const got = Array.isArray(metadata) ? 'array' : typeof metadata === 'boolean' ? 'bool' : typeof metadata;
    return `json: cannot unmarshal ${got} into Go value of type v1.ObjectMeta`;
  }
  return typeErrors(metadata, objectMetaDefinition)[0]?.message;
}

/** Paths of `metadata`'s fields that ObjectMeta does not declare, prefixed with `prefix` (e.g. `metadata`). */
export function objectMetaUnknownFields(metadata: unknown, prefix: string): string[] {
  if (!isObject(metadata)) return [];
  return unknownFields(metadata, objectMetaDefinition).map((p) => `${prefix}.${p}`);
}

/** Deletes `path` (dot and `[i]` notation relative to `obj`) from a JSON object. */
function deletePath(obj: unknown, path: string): void {
  const parts = path.match(/[^.[\]]+|\[\d+\]/g) ?? [];
  let cur: unknown = obj;
  for (let i = 0; i < parts.length - 1; i++) {
    const part = parts[i];
    if (part.startsWith('[')) cur = Array.isArray(cur) ? cur[Number(part.slice(1, -1))] : undefined;
    else cur = isObject(cur) ? cur[part] : undefined;
  }
  const last = parts[parts.length - 1];
  if (last && isObject(cur)) delete cur[last];
}

/** Round-trips `metadata` through ObjectMeta: drops unknown fields and empty optional ones, as SetObjectMeta does. */
export function normalizeObjectMeta(metadata: unknown): void {
  if (!isObject(metadata)) return;
  for (const p of unknownFields(metadata, objectMetaDefinition)) deletePath(metadata, p);
  omitEmpty(metadata, objectMetaDefinition);
  if (metadata.creationTimestamp === null) delete metadata.creationTimestamp;
}

const child = (p: FieldPath | undefined, k: string) => (p ? p.child(k) : new FieldPath(k));

/**
 * Coerces embedded resources below the root (schemaobjectmeta.Coerce with isResourceRoot false): their apiVersion and
 * kind must be strings and their metadata decodes as ObjectMeta. Returns the first error and the unknown metadata paths.
 */
export function coerceEmbedded(obj: unknown, s: JSONSchemaProps | undefined, isResourceRoot = false): { error?: FieldError; unknown: string[] } {
  const unknown: string[] = [];
  let root = s;
  if (isResourceRoot) root = { ...(s ?? {}), 'x-kubernetes-embedded-resource': true };
  const error = coerce(undefined, obj, root, unknown);
  return { error, unknown: unknown.sort() };
}

function coerce(p: FieldPath | undefined, x: unknown, s: JSONSchemaProps | undefined, unknown: string[]): FieldError | undefined {
  if (s === undefined) return undefined;
  if (isObject(x)) {
    for (const k of Object.keys(x)) {
      const v = x[k];
      if (isEmbedded(s)) {
        if ((k === 'apiVersion' || k === 'kind') && typeof v !== 'string') return fieldInvalid(child(p, k), goJsonValue(v), 'must be a string');
        if (k === 'metadata') {
          const err = objectMetaTypeError(v);
          if (err) return fieldInvalid(child(p, 'metadata'), goJsonValue(v), err);
          unknown.push(...objectMetaUnknownFields(v, child(p, 'metadata').text));
          normalizeObjectMeta(v);
        }
      }
      if (s.properties && Object.hasOwn(s.properties, k)) {
        const e = coerce(child(p, k), v, s.properties[k], unknown);
        if (e) return e;
      } else {
        const additional = additionalOf(s);
        if (additional) {
          const e = coerce(p ? p.key(k) : new FieldPath(`[${k}]`), v, additional.schema, unknown);
          if (e) return e;
        }
      }
    }
  } else if (Array.isArray(x)) {
    for (let i = 0; i < x.length; i++) {
      const e = coerce(p ? p.index(i) : new FieldPath(`[${i}]`), x[i], itemsOf(s), unknown);
      if (e) return e;
    }
  }
  return undefined;
}

/** Validates embedded resources (apiVersion, kind and metadata present and well formed), as schemaobjectmeta.Validate. */
export function validateEmbedded(p: FieldPath | undefined, obj: unknown, s: JSONSchemaProps | undefined, isResourceRoot = false): FieldError[] {
  let root = s;
  if (isResourceRoot) root = { ...(s ?? {}), 'x-kubernetes-embedded-resource': true };
  return walkEmbedded(p, obj, root);
}

function walkEmbedded(p: FieldPath | undefined, x: unknown, s: JSONSchemaProps | undefined): FieldError[] {
  if (s === undefined) return [];
  const errs: FieldError[] = [];
  if (isObject(x)) {
    if (isEmbedded(s)) errs.push(...embeddedResource(p, x));
    for (const [k, v] of Object.entries(x)) {
      if (s.properties && Object.hasOwn(s.properties, k)) errs.push(...walkEmbedded(child(p, k), v, s.properties[k]));
      else if (additionalOf(s)) errs.push(...walkEmbedded(p ? p.key(k) : new FieldPath(`[${k}]`), v, additionalOf(s)!.schema));
    }
  } else if (Array.isArray(x)) {
    x.forEach((v, i) => errs.push(...walkEmbedded(p ? p.index(i) : new FieldPath(`[${i}]`), v, itemsOf(s))));
  }
  return errs;
}

/** Go's schema.ParseGroupVersion error: more than one slash. */
function parseGroupVersionError(apiVersion: string): string | undefined {
  if (apiVersion === '/' || apiVersion.split('/').length <= 2) return undefined;
  return `unexpected GroupVersion string: ${apiVersion}`;
}

function embeddedResource(p: FieldPath | undefined, x: Record<string, unknown>): FieldError[] {
  const errs: FieldError[] = [];
  if (!Object.hasOwn(x, 'apiVersion')) errs.push(fieldRequired(child(p, 'apiVersion'), 'must not be empty'));
  if (!Object.hasOwn(x, 'kind')) errs.push(fieldRequired(child(p, 'kind'), 'must not be empty'));
  for (const [k, v] of Object.entries(x)) {
    if (k === 'apiVersion') {
      if (typeof v !== 'string') errs.push(fieldInvalid(child(p, k), goJsonValue(v), 'must be a string'));
      else if (v === '') errs.push(fieldInvalid(child(p, k), v, 'must not be empty'));
      else {
        const e = parseGroupVersionError(v);
        if (e) errs.push(fieldInvalid(child(p, k), v, e));
      }
    } else if (k === 'kind') {
      if (typeof v !== 'string') errs.push(fieldInvalid(child(p, k), goJsonValue(v), 'must be a string'));
      else if (v === '') errs.push(fieldInvalid(child(p, k), v, 'must not be empty'));
      else {
        const e = isDNS1035Label(v.toLowerCase());
        if (e.length) errs.push(fieldInvalid(child(p, k), v, 'may have mixed case, but should otherwise match: ' + e.join(',')));
      }
    } else if (k === 'metadata') {
      const err = objectMetaTypeError(v);
      if (err) {
        errs.push(fieldInvalid(child(p, 'metadata'), goJsonValue(v), err));
      } else {
        const meta = { ...(isObject(v) ? v : {}) } as Record<string, unknown>;
        if (!meta.name) meta.name = 'fakename';
        errs.push(...validateObjectMeta(meta as ObjectMetaLike, { namespaced: !!meta.namespace, nameValidation: 'pathSegment' }, child(p, 'metadata')));
      }
    }
  }
  return errs;
}
