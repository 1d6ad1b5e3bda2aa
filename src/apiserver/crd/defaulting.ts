// Applies a structural schema's `default` values to a custom resource, and drops nulls the schema cannot hold.
import { FieldError, FieldPath, fieldInvalid } from '../../machinery/field-errors.ts';
import { additionalOf, copyJson, hasDefault, isEmbedded, isObject, itemsOf, jsonEqual, propertySchema, type JSONSchemaProps } from './json-schema.ts';
import { prune } from './pruning.ts';
import { coerceEmbedded, validateEmbedded } from './object-meta.ts';
import { goJsonValue, validateAgainstSchema } from './schema-validator.ts';

const isNonNullableNull = (x: unknown, s: JSONSchemaProps | undefined) => x === null && s !== undefined && !s.nullable;

/** Sets defaults in place: absent (or null, when not nullable) properties, map values and list items get theirs. */
export function applyDefaults(x: unknown, s: JSONSchemaProps | undefined): void {
  if (s === undefined) return;
  if (isObject(x)) {
    for (const [k, prop] of Object.entries(s.properties ?? {})) {
      if (!hasDefault(prop)) continue;
      if (!Object.hasOwn(x, k) || isNonNullableNull(x[k], prop)) x[k] = copyJson(prop.default);
    }
    const additional = additionalOf(s)?.schema;
    for (const k of Object.keys(x)) {
      if (s.properties && Object.hasOwn(s.properties, k)) {
        applyDefaults(x[k], s.properties[k]);
      } else if (additional) {
        if (isNonNullableNull(x[k], additional) && hasDefault(additional)) x[k] = copyJson(additional.default);
        applyDefaults(x[k], additional);
      }
    }
  } else if (Array.isArray(x)) {
    const items = itemsOf(s);
    for (let i = 0; i < x.length; i++) {
      if (isNonNullableNull(x[i], items) && hasDefault(items)) x[i] = copyJson(items!.default);
      applyDefaults(x[i], items);
    }
  }
}

/** Removes null values of fields that are neither nullable nor defaulted (PruneNonNullableNullsWithoutDefaults). */
export function pruneNulls(x: unknown, s: JSONSchemaProps | undefined): void {
  if (isObject(x)) {
    for (const k of Object.keys(x)) {
      const sub = propertySchema(s, k);
      if (x[k] === null && sub !== undefined && !sub.nullable && !hasDefault(sub)) delete x[k];
      else pruneNulls(x[k], sub);
    }
  } else if (Array.isArray(x)) {
    const items = s === undefined ? undefined : itemsOf(s);
    for (const v of x) pruneNulls(v, items);
  }
}

/**
 * ValidateDefaults: every `default` in a CRD schema must survive pruning unchanged (when required), give valid
 * embedded metadata, and validate against its own node. Errors are reported under `<node>.default`.
 */
export function validateDefaults(p: FieldPath, s: JSONSchemaProps, isResourceRoot: boolean, requirePrunedDefaults: boolean): FieldError[] {
  const root = isResourceRoot ? { ...s, 'x-kubernetes-embedded-resource': true } : s;
  return validateNodeDefaults(p, root, false, requirePrunedDefaults);
}

function validateNodeDefaults(p: FieldPath, s: JSONSchemaProps | undefined, insideMeta: boolean, requirePruned: boolean): FieldError[] {
  if (s === undefined) return [];
  const errs: FieldError[] = [];
  const embedded = isEmbedded(s);
  if (embedded) insideMeta = false;
  if (hasDefault(s)) {
    const at = p.child('default');
    const value = copyJson(s.default);
    if (!insideMeta && requirePruned) {
      const pruned = copyJson(s.default);
      prune(pruned, s, embedded);
      if (!jsonEqual(pruned, s.default)) errs.push(fieldInvalid(at, goJsonValue(s.default), 'must not have unknown fields'));
    }
    const coerced = coerceEmbedded(value, s, embedded && !insideMeta);
    if (coerced.error) {
      errs.push(prefixed(at, coerced.error));
    } else {
      const metaErrs = validateEmbedded(at, value, s, embedded && !insideMeta);
      if (metaErrs.length) errs.push(...metaErrs);
      else errs.push(...validateAgainstSchema(s, s.default, { fldPath: at.text, structural: true }));
    }
  }
  const items = itemsOf(s);
  if (items) errs.push(...validateNodeDefaults(p.child('items'), items, insideMeta, requirePruned));
  for (const [k, sub] of Object.entries(s.properties ?? {})) {
    const subInsideMeta = insideMeta || (embedded && (k === 'metadata' || k === 'apiVersion' || k === 'kind'));
    errs.push(...validateNodeDefaults(p.child('properties').key(k), sub, subInsideMeta, requirePruned));
  }
  return errs;
}

/** A coercion error found relative to a default value, re-rooted under the default's path. */
function prefixed(at: FieldPath, e: FieldError): FieldError {
  return new FieldError(e.type, e.field ? `${at.text}.${e.field}` : at.text, e.badValue, e.detail);
}
