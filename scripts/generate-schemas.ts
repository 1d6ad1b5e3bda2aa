// Writes src/api/schema/definitions.json: OpenAPI v3 component schemas of the built-in kinds dabba serves.
//
// Field sets come from @kubernetes/client-node's generated models; scripts/schema-overlay.json adds what those
// lack (required lists, x-kubernetes-* extensions, Quantity/RawExtension references, fields newer than the
// Kubernetes release we match removed). Run: node scripts/generate-schemas.ts

import { readFileSync, writeFileSync } from 'node:fs';
import { classNameFor, derivedSchema, loadClientNodeModels, UNMAPPED } from './client-node-models.ts';
import { applyMergePatch, sortKeys } from './merge-patch.ts';
import { servedClosure } from './schema-scope.ts';

const overlay = JSON.parse(readFileSync(new URL('./schema-overlay.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const models = await loadClientNodeModels();
const classes = new Set(models.keys());
const classOf = (d: string) => classNameFor(d, classes);
const byClass = new Map<string, string>();
for (const name of Object.keys(overlay)) {
  const cls = classOf(name);
  if (cls !== undefined) byClass.set(cls, name);
}

const definitions: Record<string, unknown> = {};
for (const [name, patch] of Object.entries(overlay)) {
  const derived = derivedSchema(name, models, classOf, (cls) => byClass.get(cls)) ?? {};
  const schema = applyMergePatch(derived, patch);
  const text = JSON.stringify(schema);
  if (text.includes(UNMAPPED)) throw new Error(`${name}: a client-node type has no upstream definition: ${text}`);
  definitions[name] = sortKeys(schema);
}

const served = servedClosure(definitions);
const lines = served.map((n) => `  ${JSON.stringify(n)}: ${JSON.stringify(definitions[n])}`);
const out = new URL('../src/api/schema/definitions.json', import.meta.url);
writeFileSync(out, `{\n${lines.join(',\n')}\n}\n`);
console.log(`wrote ${served.length} definitions to ${out.pathname}`);
