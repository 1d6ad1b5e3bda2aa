// Drops the fields a structural schema does not declare from a custom resource, reporting their paths (strict decoding).
//
// As upstream's pruning algorithm: `x-kubernetes-preserve-unknown-fields` keeps a subtree (while still pruning
// inside the properties it declares), embedded resources and the root keep apiVersion, kind and metadata, and
// `additionalProperties` declares every key. Paths read `spec.foo`, `spec.list[0].bar`, sorted.
import { additionalOf, isEmbedded, isObject, itemsOf, preservesUnknown, type JSONSchemaProps } from './json-schema.ts';

const metaFields = new Set(['apiVersion', 'kind', 'metadata']);

interface Tracker {
  paths: string[];
}

const join = (parent: string, key: string) => (parent === '' ? key : `${parent}.${key}`);

/** Prunes `obj` in place; returns the removed fields' paths, sorted. `isResourceRoot` treats the top as a resource. */
export function prune(obj: unknown, schema: JSONSchemaProps | undefined, isResourceRoot: boolean): string[] {
  let s = schema;
  if (isResourceRoot) s = { ...(s ?? {}), 'x-kubernetes-embedded-resource': true };
  const t: Tracker = { paths: [] };
  walk(obj, s, '', t);
  return t.paths.sort();
}

function walk(x: unknown, s: JSONSchemaProps | undefined, path: string, t: Tracker): void {
  if (s !== undefined && preservesUnknown(s)) {
    skipPrune(x, s, path, t);
    return;
  }
  if (isObject(x)) {
    if (s === undefined) {
      for (const k of Object.keys(x)) {
        t.paths.push(join(path, k));
        delete x[k];
      }
      return;
    }
    const additional = additionalOf(s);
    for (const k of Object.keys(x)) {
      if (isEmbedded(s) && metaFields.has(k)) continue;
      if (s.properties && Object.hasOwn(s.properties, k)) {
        walk(x[k], s.properties[k], join(path, k), t);
      } else if (additional) {
        walk(x[k], additional.schema, join(path, k), t);
      } else {
        if (!metaFields.has(k) || path !== '') t.paths.push(join(path, k));
        delete x[k];
      }
    }
  } else if (Array.isArray(x)) {
    const items = s === undefined ? undefined : itemsOf(s);
    x.forEach((v, i) => walk(v, items, `${path}[${i}]`, t));
  }
}

function skipPrune(x: unknown, s: JSONSchemaProps, path: string, t: Tracker): void {
  if (isObject(x)) {
    const additional = additionalOf(s);
    for (const k of Object.keys(x)) {
      if (isEmbedded(s) && metaFields.has(k)) continue;
      if (s.properties && Object.hasOwn(s.properties, k)) walk(x[k], s.properties[k], join(path, k), t);
      else if (additional) walk(x[k], additional.schema, join(path, k), t);
    }
  } else if (Array.isArray(x)) {
    const items = itemsOf(s);
    if (items) x.forEach((v, i) => skipPrune(v, items, `${path}[${i}]`, t));
  }
}
