// What field management needs to know about a served kind: its schema per version, conversion, defaulting and empty object.
import { definitionFor, getDefinition, type OpenApiSchema } from '../../api/schema/definitions.ts';
import type { KObject } from '../registry/kobject.ts';
import { apiVersionOf, type ResourceDefinition } from '../registry/resource.ts';
import type { JsonValue } from './path-element.ts';
import { deduced, OpenApiTypes, type TypeRef } from './type-schema.ts';
import type { Value } from './typed-value.ts';
import { zeroValueOf } from './zero-values.ts';

const builtinTypes = new OpenApiTypes(getDefinition);

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

/** One kind as the field manager sees it. */
export class KindSchema {
  readonly def: ResourceDefinition;
  readonly #types = new Map<string, TypeRef | undefined>();

  constructor(def: ResourceDefinition) {
    this.def = def;
  }

  served(version: string): boolean {
    return this.def.versions.some((v) => v.version === version);
  }

  apiVersion(version: string): string {
    return apiVersionOf(this.def.group, version);
  }

  /** The root type in `version`: the built-in definition, the CRD's schema, or deduced when there is none. */
  type(version: string): TypeRef {
    if (this.#types.has(version)) return this.#types.get(version) ?? deduced;
    let t: TypeRef | undefined;
    const provider = this.def.schemaProvider;
    if (provider) {
      const own = provider.openapi(version);
      if (own) {
        const schemas = own.schemas as Record<string, OpenApiSchema>;
        const types = new OpenApiTypes((n) => (Object.hasOwn(schemas, n) ? schemas[n] : getDefinition(n)));
        t = types.named(own.name);
      }
    } else {
      const name = definitionFor(this.def.group, version, this.def.kind);
      if (name) t = builtinTypes.named(name);
    }
    this.#types.set(version, t);
    return t ?? deduced;
  }

  /** `obj` (in `from`) as the served version `to`; undefined when `to` is not served. */
  convert(obj: Value, from: string, to: string): Value {
    const target = this.def.versions.find((v) => v.version === to);
    if (!target) return undefined;
    if (from === to || obj === null || typeof obj !== 'object' || Array.isArray(obj)) return obj;
    const source = this.def.versions.find((v) => v.version === from);
    const input = { metadata: {}, ...(structuredClone(obj) as object) } as KObject;
    const stored = source?.conversion ? source.conversion.toStorage(input) : input;
    const out = target.conversion ? target.conversion.fromStorage(stored) : stored;
    return { ...out, apiVersion: this.apiVersion(to), kind: this.def.kind } as unknown as JsonValue;
  }

  /** Upstream defaults decoding: what a client's object holds once the server has read it. */
  withDefaults(obj: KObject, version: string): KObject {
    const defaults = this.def.strategy.defaults;
    if (!defaults) return obj;
    const served = this.def.versions.find((v) => v.version === version);
    const stored = served?.conversion ? served.conversion.toStorage(structuredClone(obj)) : structuredClone(obj);
    defaults(stored);
    const out = served?.conversion ? served.conversion.fromStorage(stored) : stored;
    return { ...out, apiVersion: obj.apiVersion, kind: obj.kind };
  }

  /** The object a create or a first apply starts from: the Go type's zero value, as upstream's New() gives it. */
  empty(version: string): KObject {
    const name = this.def.schemaProvider ? undefined : definitionFor(this.def.group, version, this.def.kind);
    const zero = (name ? zeroValueOf(name) : undefined) ?? {};
    return { ...structuredClone(zero), apiVersion: this.apiVersion(version), kind: this.def.kind } as KObject;
  }
}

/** The part of the registry kinds are found in (definitions change at run time with CRDs). */
export interface DefinitionSource {
  readonly version: number;
  definitions(): ResourceDefinition[];
}

/** Finds the kind an object names, among the registry's current definitions. */
export class KindSchemas {
  readonly #registry: DefinitionSource;
  #cache = new Map<string, KindSchema | undefined>();
  #builtFor = -1;

  constructor(registry: DefinitionSource) {
    this.#registry = registry;
  }

  lookup(apiVersion: string | undefined, kind: string | undefined): KindSchema | undefined {
    if (!apiVersion || !kind) return undefined;
    if (this.#builtFor !== this.#registry.version) {
      this.#cache = new Map();
      this.#builtFor = this.#registry.version;
    }
    const key = `${apiVersion}/${kind}`;
    if (this.#cache.has(key)) return this.#cache.get(key);
    const { group, version } = splitApiVersion(apiVersion);
    const def = this.#registry.definitions().find((d) => d.group === group && d.kind === kind && d.versions.some((v) => v.version === version));
    const found = def ? new KindSchema(def) : undefined;
    this.#cache.set(key, found);
    return found;
  }
}
