// Reads the field tables that @kubernetes/client-node ships for every API type and turns them into schema properties.

import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REF_PREFIX } from './schema-scope.ts';

export interface Attribute {
  readonly name: string;
  readonly baseName: string;
  readonly type: string;
  readonly format: string;
}

export type Schema = Record<string, unknown>;

const TIME = 'io.k8s.apimachinery.pkg.apis.meta.v1.Time';
const MICRO_TIME = 'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime';
const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';

/** Class name → attribute table, for every model class client-node generates. */
export async function loadClientNodeModels(): Promise<Map<string, readonly Attribute[]>> {
  const require = createRequire(import.meta.url);
  const pkgDir = dirname(require.resolve('@kubernetes/client-node/package.json'));
  const modelsDir = join(pkgDir, 'dist', 'gen', 'models');
  const models = new Map<string, readonly Attribute[]>();
  for (const file of readdirSync(modelsDir).sort()) {
    if (!file.endsWith('.js') || file === 'all.js' || file === 'ObjectSerializer.js') continue;
    const mod = (await import(pathToFileURL(join(modelsDir, file)).href)) as Record<string, unknown>;
    for (const [name, value] of Object.entries(mod)) {
      const table = (value as { attributeTypeMap?: unknown } | undefined)?.attributeTypeMap;
      if (typeof value === 'function' && Array.isArray(table)) models.set(name, table as Attribute[]);
    }
  }
  return models;
}

const DEF_NAME = /^(.*)\.(v\d+(?:alpha\d+|beta\d+)?)\.(\w+)$/;

/**
 * The client-node class generated for an upstream definition. client-node names classes
 * `<Version><Kind>` and adds the group (`CoreV1Event`, `RbacV1Subject`) only where two groups
 * share a kind name, so the group-qualified spelling is tried first.
 */
export function classNameFor(definition: string, classes: ReadonlySet<string>): string | undefined {
  if (definition === 'io.k8s.apimachinery.pkg.version.Info') return classes.has('VersionInfo') ? 'VersionInfo' : undefined;
  const m = DEF_NAME.exec(definition);
  if (m === null) return undefined;
  const [, pkg, version, kind] = m as unknown as [string, string, string, string];
  const group = pkg.slice(pkg.lastIndexOf('.') + 1);
  const ver = 'V' + version.slice(1);
  const qualified = group.charAt(0).toUpperCase() + group.slice(1) + ver + kind;
  if (classes.has(qualified)) return qualified;
  const plain = ver + kind;
  return classes.has(plain) ? plain : undefined;
}

/**
 * Schema of one attribute, in OpenAPI v3 form, from client-node's TypeScript type spelling.
 * `definitionOf` maps a referenced class back to its upstream definition name.
 */
export function attributeSchema(attr: Attribute, definitionOf: (cls: string) => string | undefined): Schema {
  return typeSchema(attr.type, attr.format, definitionOf);
}

function typeSchema(type: string, format: string, definitionOf: (cls: string) => string | undefined): Schema {
  const array = /^Array<(.*)>$/.exec(type);
  if (array !== null) return { type: 'array', items: typeSchema(array[1]!, '', definitionOf) };
  const map = /^\{ \[key: string\]: (.*); \}$/.exec(type);
  if (map !== null) return { type: 'object', additionalProperties: typeSchema(map[1]!, '', definitionOf) };
  switch (type) {
    case 'string':
      return format === '' ? { type: 'string' } : { type: 'string', format };
    case 'boolean':
      return { type: 'boolean' };
    case 'number':
      if (format === 'int32' || format === 'int64') return { type: 'integer', format };
      return format === '' ? { type: 'number' } : { type: 'number', format };
    case 'Date':
      return { $ref: REF_PREFIX + (format === 'date-time-micro' ? MICRO_TIME : TIME) };
    case 'V1MicroTime':
      return { $ref: REF_PREFIX + MICRO_TIME };
    case 'IntOrString':
      return { $ref: REF_PREFIX + INT_OR_STRING };
    case 'any':
      return {};
  }
  const def = definitionOf(type);
  if (def === undefined) throw new Error(`client-node type ${type} has no upstream definition`);
  return { $ref: REF_PREFIX + def };
}

/** Marks a property whose client-node type has no upstream counterpart; the overlay must drop or replace it. */
export const UNMAPPED = 'x-dabba-unmapped';

/**
 * The schema client-node's tables imply for a definition: an object with one property per attribute,
 * `$ref` properties wrapped in `allOf` as upstream's v3 documents do. Undefined when no class exists.
 */
export function derivedSchema(
  definition: string,
  models: ReadonlyMap<string, readonly Attribute[]>,
  classOf: (definition: string) => string | undefined,
  definitionOf: (cls: string) => string | undefined,
): Schema | undefined {
  const cls = classOf(definition);
  if (cls === undefined) return undefined;
  const properties: Record<string, Schema> = {};
  for (const attr of models.get(cls)!) {
    let prop: Schema;
    try {
      prop = attributeSchema(attr, definitionOf);
    } catch {
      prop = { [UNMAPPED]: attr.type };
    }
    properties[attr.baseName] = typeof prop.$ref === 'string' ? { allOf: [{ $ref: prop.$ref }] } : prop;
  }
  return { type: 'object', properties };
}
