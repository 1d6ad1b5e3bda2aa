// The OpenAPI v3 component schemas of the built-in kinds, as upstream Kubernetes 1.33 names and serves them.

import { readFileSync } from 'node:fs';

export interface GroupVersionKind {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

/** The subset of OpenAPI v3 schema objects (plus Kubernetes extensions) that definitions.json uses. */
export interface OpenApiSchema {
  readonly type?: string;
  readonly format?: string;
  readonly properties?: Readonly<Record<string, OpenApiSchema>>;
  readonly required?: readonly string[];
  readonly items?: OpenApiSchema;
  readonly additionalProperties?: OpenApiSchema;
  readonly allOf?: readonly OpenApiSchema[];
  readonly oneOf?: readonly OpenApiSchema[];
  readonly $ref?: string;
  readonly 'x-kubernetes-group-version-kind'?: readonly GroupVersionKind[];
  readonly 'x-kubernetes-patch-merge-key'?: string;
  readonly 'x-kubernetes-patch-strategy'?: string;
  readonly 'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  readonly 'x-kubernetes-list-map-keys'?: readonly string[];
  readonly 'x-kubernetes-map-type'?: 'atomic' | 'granular';
  readonly 'x-kubernetes-unions'?: readonly unknown[];
}

export const SCHEMA_REF_PREFIX = '#/components/schemas/';

/** Meta types every group-version document needs because its operations return or accept them. */
const OPERATION_DEFINITIONS = [
  'io.k8s.apimachinery.pkg.apis.meta.v1.APIResourceList',
  'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions',
  'io.k8s.apimachinery.pkg.apis.meta.v1.Patch',
  'io.k8s.apimachinery.pkg.apis.meta.v1.Status',
  'io.k8s.apimachinery.pkg.apis.meta.v1.WatchEvent',
];

interface Catalog {
  readonly definitions: Readonly<Record<string, OpenApiSchema>>;
  readonly byGvk: ReadonlyMap<string, string>;
}

// The file is immutable data shipped beside this module; parsing it once on first use keeps startup cheap.
let catalog: Catalog | undefined;

function load(): Catalog {
  if (catalog !== undefined) return catalog;
  const text = readFileSync(new URL('./definitions.json', import.meta.url), 'utf8');
  const definitions = JSON.parse(text) as Record<string, OpenApiSchema>;
  const byGvk = new Map<string, string>();
  for (const [name, schema] of Object.entries(definitions)) {
    for (const gvk of schema['x-kubernetes-group-version-kind'] ?? []) {
      byGvk.set(gvkKey(gvk.group, gvk.version, gvk.kind), name);
    }
  }
  catalog = { definitions, byGvk };
  return catalog;
}

function gvkKey(group: string, version: string, kind: string): string {
  return `${group}/${version}/${kind}`;
}

/** The definition name upstream uses for a kind (group '' is core), e.g. apps/v1 Deployment → io.k8s.api.apps.v1.Deployment. */
export function definitionFor(group: string, version: string, kind: string): string | undefined {
  return load().byGvk.get(gvkKey(group, version, kind));
}

export function getDefinition(name: string): OpenApiSchema | undefined {
  return Object.hasOwn(load().definitions, name) ? load().definitions[name] : undefined;
}

export function allDefinitions(): Readonly<Record<string, OpenApiSchema>> {
  return load().definitions;
}

/** The definition name a `$ref` points at. */
export function refName(ref: string): string {
  return ref.startsWith(SCHEMA_REF_PREFIX) ? ref.slice(SCHEMA_REF_PREFIX.length) : ref;
}

/**
 * Follows a property schema's `$ref` (or upstream's v3 `allOf: [{$ref}]` wrapper) to the definition it names.
 * Returns the schema itself, with no name, when it is inline.
 */
export function resolveSchema(schema: OpenApiSchema): { readonly name?: string; readonly schema: OpenApiSchema } {
  let current = schema;
  let name: string | undefined;
  for (let hops = 0; hops < 8; hops++) {
    const ref = current.$ref ?? (current.allOf?.length === 1 ? current.allOf[0]!.$ref : undefined);
    if (ref === undefined) break;
    name = refName(ref);
    const target = getDefinition(name);
    if (target === undefined) throw new Error(`schema references unknown definition ${name}`);
    current = target;
  }
  return name === undefined ? { schema: current } : { name, schema: current };
}

/** Names of every definition `roots` reference, transitively, including the roots. */
export function definitionClosure(roots: Iterable<string>): string[] {
  const seen = new Set<string>();
  const stack = [...roots];
  while (stack.length > 0) {
    const name = stack.pop()!;
    if (seen.has(name)) continue;
    const schema = getDefinition(name);
    if (schema === undefined) throw new Error(`unknown definition ${name}`);
    seen.add(name);
    collectRefs(schema, stack);
  }
  return [...seen].sort();
}

function collectRefs(schema: unknown, out: string[]): void {
  if (Array.isArray(schema)) {
    for (const s of schema) collectRefs(s, out);
  } else if (schema !== null && typeof schema === 'object') {
    for (const [k, v] of Object.entries(schema)) {
      if (k === '$ref' && typeof v === 'string') out.push(refName(v));
      else collectRefs(v, out);
    }
  }
}

/**
 * The component schemas of one group-version's document: its kinds, the meta types its operations use,
 * any `extraRoots` (kinds of subresources served from another group, such as autoscaling/v1 Scale under
 * apps/v1), and everything those reference. Empty for a group-version with no built-in kinds.
 */
export function definitionsForGroupVersion(
  group: string,
  version: string,
  extraRoots: readonly string[] = [],
): Record<string, OpenApiSchema> {
  const kinds = Object.entries(load().definitions)
    .filter(([name, schema]) => !OPERATION_DEFINITIONS.includes(name) &&
      schema['x-kubernetes-group-version-kind']?.some((g) => g.group === group && g.version === version))
    .map(([name]) => name);
  if (kinds.length === 0 && extraRoots.length === 0) return {};
  const roots = [...kinds, ...extraRoots, ...OPERATION_DEFINITIONS];
  const out: Record<string, OpenApiSchema> = {};
  for (const name of definitionClosure(roots)) out[name] = getDefinition(name)!;
  return out;
}
