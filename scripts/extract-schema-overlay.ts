// Rebuilds scripts/schema-overlay.json from an upstream Kubernetes swagger.json: what client-node's tables lack.
//
// Usage: node scripts/extract-schema-overlay.ts <swagger.json of the target Kubernetes release>
// The file is kubernetes/kubernetes api/openapi-spec/swagger.json at the release (Apache-2.0); the 1.33 one
// used here is kubernetes-client/python v33.1.0:kubernetes/swagger.json.unprocessed, a verbatim copy.
// Only shape facts are kept (types, formats, required lists, x-kubernetes-* extensions); descriptions
// and defaults are dropped. Afterwards run scripts/generate-schemas.ts.

import { readFileSync, writeFileSync } from 'node:fs';
import { classNameFor, derivedSchema, loadClientNodeModels, type Schema } from './client-node-models.ts';
import { applyMergePatch, diffMergePatch, sortKeys } from './merge-patch.ts';
import { REF_PREFIX, servedClosure } from './schema-scope.ts';

const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';

/** Upstream's v2 definition → the v3 component schema upstream serves, minus descriptions and defaults. */
function toV3(name: string, def: Schema): Schema {
  // Upstream's v3 documents describe these two as unions rather than as strings.
  if (name === INT_OR_STRING) return { format: 'int-or-string', oneOf: [{ type: 'integer' }, { type: 'string' }] };
  if (name === QUANTITY) return { oneOf: [{ type: 'string' }, { type: 'number' }] };
  const out = strip(def) as Schema;
  const props = out.properties as Record<string, Schema> | undefined;
  if (props !== undefined) {
    for (const [k, p] of Object.entries(props)) {
      if (typeof p.$ref === 'string') {
        const { $ref, ...rest } = p;
        props[k] = { allOf: [{ $ref }], ...rest };
      }
    }
  }
  return out;
}

function strip(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(strip);
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === 'description' || k === 'default') continue;
    if (k === '$ref' && typeof x === 'string') out[k] = REF_PREFIX + x.slice('#/definitions/'.length);
    else if (k === 'properties' && x !== null && typeof x === 'object') {
      // Property names are data here, not keywords: a field may well be called `description`.
      out[k] = Object.fromEntries(Object.entries(x).map(([name, p]) => [name, strip(p)]));
    } else out[k] = strip(x);
  }
  return out;
}

const swaggerPath = process.argv[2];
if (swaggerPath === undefined) throw new Error('usage: extract-schema-overlay.ts <swagger.json>');
const swagger = JSON.parse(readFileSync(swaggerPath, 'utf8')) as { definitions: Record<string, Schema> };
const upstream: Record<string, Schema> = {};
for (const [name, def] of Object.entries(swagger.definitions)) upstream[name] = toV3(name, def);
const names = servedClosure(upstream);

const models = await loadClientNodeModels();
const classes = new Set(models.keys());
const classOf = (d: string) => classNameFor(d, classes);
const byClass = new Map<string, string>();
for (const name of names) {
  const cls = classOf(name);
  if (cls === undefined) continue;
  const other = byClass.get(cls);
  if (other !== undefined) throw new Error(`${name} and ${other} both map to client-node class ${cls}`);
  byClass.set(cls, name);
}
const definitionOf = (cls: string) => byClass.get(cls);

const overlay: Record<string, unknown> = {};
let withoutClass = 0;
for (const name of names) {
  const derived = derivedSchema(name, models, classOf, definitionOf) ?? {};
  if (Object.keys(derived).length === 0) withoutClass++;
  const patch = diffMergePatch(derived, upstream[name]) ?? {};
  const rebuilt = applyMergePatch(derived, patch);
  if (JSON.stringify(sortKeys(rebuilt)) !== JSON.stringify(sortKeys(upstream[name]))) {
    throw new Error(`overlay for ${name} does not reproduce upstream`);
  }
  overlay[name] = sortKeys(patch);
}

// One definition per line keeps the overlay reviewable.
const lines = Object.entries(overlay).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
writeFileSync(new URL('./schema-overlay.json', import.meta.url), `{\n${lines.join(',\n')}\n}\n`);
console.log(`overlay: ${names.length} definitions, ${withoutClass} without a client-node class`);
