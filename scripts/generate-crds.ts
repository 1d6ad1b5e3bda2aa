// Writes src/api/crds/*.json: the CustomResourceDefinitions dabba installs at start (Istio networking, the VPA).
//
// Reads upstream's generated CRD manifests (Istio: istio/api, VPA: kubernetes/autoscaler; both Apache-2.0, see
// NOTICE) and keeps exactly the kinds dabba installs, unchanged: names, versions (served/storage as upstream),
// schemas, printer columns, subresources, labels and annotations. Descriptions are kept so `kubectl explain`
// is as useful as on a real cluster (about 330 kB in all). Each file gets a `dabba.io/bundle-hash`
// annotation so the installer can tell when the bundled version changed.
//
// Run: node scripts/generate-crds.ts [--strip-descriptions] [DIR]
//   DIR holds the upstream files (default ../shared/reference/crds); --strip-descriptions leaves out the
//   description texts (about half the size; `kubectl explain` then lists fields and types only).

import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { bundleHashAnnotation, bundledCrdNames } from '../src/api/crds/bundled-crds.ts';

const args = process.argv.slice(2);
const stripDescriptions = args.includes('--strip-descriptions');
const dirArg = args.find((a) => !a.startsWith('--'));
const sourceDir = resolve(dirArg ?? new URL('../../shared/reference/crds', import.meta.url).pathname);
const outDir = new URL('../src/api/crds/', import.meta.url).pathname;
const sources = ['istio-customresourcedefinitions.gen.yaml', 'vpa-v1-crd-gen.yaml'];

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Object keys in a stable order, so the output (and its hash) does not depend on the source's layout. */
function sorted(v: Json): Json {
  if (Array.isArray(v)) return v.map(sorted);
  if (v && typeof v === 'object') {
    const out: Record<string, Json> = {};
    for (const k of Object.keys(v).sort()) out[k] = sorted(v[k]);
    return out;
  }
  return v;
}

/** Drops schema descriptions (a `description` property of a schema is a field, and is kept). */
function withoutDescriptions(v: Json, inProperties = false): Json {
  if (Array.isArray(v)) return v.map((x) => withoutDescriptions(x));
  if (v && typeof v === 'object') {
    const out: Record<string, Json> = {};
    for (const [k, x] of Object.entries(v)) {
      if (k === 'description' && !inProperties && typeof x === 'string') continue;
      out[k] = withoutDescriptions(x, k === 'properties' && !inProperties);
    }
    return out;
  }
  return v;
}

const found = new Map<string, Record<string, any>>();
for (const file of sources) {
  // kubectl reads manifests as YAML 1.1; so does this script.
  for (const doc of parseAllDocuments(readFileSync(join(sourceDir, file), 'utf8'), { version: '1.1' })) {
    if (doc.errors.length) throw new Error(`${file}: ${doc.errors[0].message}`);
    const crd = doc.toJS() as Record<string, any> | null;
    if (crd?.kind !== 'CustomResourceDefinition') continue;
    if (bundledCrdNames.includes(crd.metadata.name)) found.set(crd.metadata.name, crd);
  }
}

mkdirSync(outDir, { recursive: true });
let total = 0;
for (const name of bundledCrdNames) {
  const crd = found.get(name);
  if (!crd) throw new Error(`${name}: not found in ${sources.join(', ')} under ${sourceDir}`);
  const spec = stripDescriptions ? withoutDescriptions(crd.spec) : crd.spec;
  const body = sorted({ apiVersion: crd.apiVersion, kind: crd.kind, metadata: crd.metadata, spec }) as Record<string, any>;
  const hash = createHash('sha256').update(JSON.stringify(body)).digest('hex').slice(0, 16);
  body.metadata.annotations = { ...(body.metadata.annotations ?? {}), [bundleHashAnnotation]: hash };
  const text = JSON.stringify(sorted(body)) + '\n';
  writeFileSync(join(outDir, `${name}.json`), text);
  total += text.length;
  console.log(`${name}: ${text.length} bytes, versions ${crd.spec.versions.map((v: any) => `${v.name}${v.storage ? '*' : ''}${v.served ? '' : '(unserved)'}`).join(' ')}`);
}
console.log(`wrote ${bundledCrdNames.length} CRDs (${total} bytes) to ${outDir}`);
