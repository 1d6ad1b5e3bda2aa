// The shape of a kind as server-side apply sees it (structured-merge-diff atoms), converted from OpenAPI as kube-openapi's schemaconv does.
import { refName, type OpenApiSchema } from '../../api/schema/definitions.ts';
import type { JsonValue } from './path-element.ts';

export type ScalarType = 'numeric' | 'string' | 'boolean' | 'untyped';

export interface StructField {
  readonly type: TypeRef;
  /** Used for map-list keys an item leaves out (`protocol` of a container port is TCP). */
  readonly default?: JsonValue;
}

export interface MapSchema {
  readonly fields: ReadonlyMap<string, StructField>;
  /** The type of keys that are not declared fields; undefined when such keys are not allowed. */
  readonly elementType: TypeRef | undefined;
  /** '' (unset) and 'separable' are both granular. */
  readonly relationship: '' | 'atomic' | 'separable';
}

export interface ListSchema {
  readonly relationship: 'atomic' | 'associative';
  /** Map-type lists: the key fields; set-type lists: none. */
  readonly keys: readonly string[];
  readonly elementType: TypeRef;
}

/** One or more of the forms a value may take; a value picks the one that fits it. */
export interface Atom {
  readonly scalar?: ScalarType;
  readonly list?: ListSchema;
  readonly map?: MapSchema;
}

export interface TypeRef {
  /** The atom, or undefined when the schema names no type (a field the schema does not declare). */
  resolve(): Atom | undefined;
}

const fixed = (atom: Atom): TypeRef => ({ resolve: () => atom });

function lazy(build: () => Atom | undefined): TypeRef {
  let done = false;
  let atom: Atom | undefined;
  return {
    resolve() {
      if (!done) {
        atom = build();
        done = true;
      }
      return atom;
    },
  };
}

const noFields: ReadonlyMap<string, StructField> = new Map();

/** `__untyped_atomic_`: anything, owned as a whole. */
export const untypedAtomic: TypeRef = lazy(() => ({
  scalar: 'untyped',
  list: { relationship: 'atomic', keys: [], elementType: untypedAtomic },
  map: { fields: noFields, elementType: untypedAtomic, relationship: 'atomic' },
}));

/** `__untyped_deduced_`: maps are granular all the way down, lists atomic; what objects without a schema get. */
export const deduced: TypeRef = lazy(() => ({
  scalar: 'untyped',
  list: { relationship: 'atomic', keys: [], elementType: untypedAtomic },
  map: { fields: noFields, elementType: deduced, relationship: 'separable' },
}));

const quantityName = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
const rawExtensionName = 'io.k8s.apimachinery.pkg.runtime.RawExtension';

/**
 * Field defaults upstream's OpenAPI declares (`+default=`) on map-list keys, which the generated definitions
 * leave out; without them a container port without `protocol` would have no key.
 */
const keyDefaults: Record<string, Record<string, JsonValue>> = {
  'io.k8s.api.core.v1.ContainerPort': { protocol: 'TCP' },
  'io.k8s.api.core.v1.ServicePort': { protocol: 'TCP' },
  'io.k8s.api.core.v1.LocalObjectReference': { name: '' },
};

type Extensions = Record<string, unknown>;

function mapRelationship(ext: Extensions): '' | 'atomic' | 'separable' {
  const v = ext['x-kubernetes-map-type'];
  return v === 'atomic' ? 'atomic' : v === 'granular' ? 'separable' : '';
}

/** x-kubernetes-list-type first, else the patch strategy: `merge` lists are keyed by the merge key (or sets). */
function listRelationship(ext: Extensions): { relationship: 'atomic' | 'associative'; keys: string[] } {
  const type = ext['x-kubernetes-list-type'];
  if (type !== undefined) {
    if (type === 'set') return { relationship: 'associative', keys: [] };
    if (type === 'map') {
      const keys = ext['x-kubernetes-list-map-keys'];
      return { relationship: 'associative', keys: Array.isArray(keys) ? keys.filter((k): k is string => typeof k === 'string') : [] };
    }
    return { relationship: 'atomic', keys: [] };
  }
  const strategy = ext['x-kubernetes-patch-strategy'];
  if (strategy === 'merge' || strategy === 'merge,retainKeys') {
    const key = ext['x-kubernetes-patch-merge-key'];
    return { relationship: 'associative', keys: typeof key === 'string' ? [key] : [] };
  }
  return { relationship: 'atomic', keys: [] };
}

/** Converts OpenAPI v3 component schemas (built-in definitions or a CRD version's) into atoms, lazily. */
export class OpenApiTypes {
  readonly #lookup: (name: string) => OpenApiSchema | undefined;
  readonly #named = new Map<string, TypeRef>();

  constructor(lookup: (name: string) => OpenApiSchema | undefined) {
    this.#lookup = lookup;
  }

  /** The type of a named definition; deduced when the definition is unknown. */
  named(name: string): TypeRef {
    let ref = this.#named.get(name);
    if (ref) return ref;
    ref = lazy(() => {
      if (name === quantityName) return { scalar: 'untyped' };
      if (name === rawExtensionName) return untypedAtomic.resolve();
      const schema = this.#lookup(name);
      return schema === undefined ? deduced.resolve() : this.#parse(schema, false, name);
    });
    this.#named.set(name, ref);
    return ref;
  }

  /** A type written inline, such as a CRD's whole schema. */
  inline(schema: OpenApiSchema): TypeRef {
    return lazy(() => this.#parse(schema, false, undefined));
  }

  #parse(schema: OpenApiSchema, preserveUnknown: boolean, name: string | undefined): Atom {
    const ext = schema as unknown as Extensions;
    const preserve = preserveUnknown || ext['x-kubernetes-preserve-unknown-fields'] === true;
    switch (schema.type ?? '') {
      case '':
        return { scalar: 'untyped', list: this.#list(schema, preserve), map: this.#object(schema, preserve, name) };
      case 'object':
        return { map: this.#object(schema, preserve, name) };
      case 'array':
        return { list: this.#list(schema, preserve) };
      case 'integer':
      case 'number':
        return { scalar: 'numeric' };
      case 'boolean':
        return { scalar: 'boolean' };
      case 'string':
        return { scalar: schema.format === undefined || schema.format === '' || schema.format === 'byte' ? 'string' : 'untyped' };
      default:
        return { scalar: 'untyped' };
    }
  }

  /** A property's type: a reference (possibly wrapped in a one-element allOf) or an inline schema. */
  #ref(schema: OpenApiSchema, preserveUnknown: boolean): TypeRef {
    const ref = schema.$ref ?? (schema.allOf?.length === 1 ? schema.allOf[0]!.$ref : undefined);
    if (ref !== undefined) {
      const target = this.named(refName(ref));
      const override = mapRelationship(schema as unknown as Extensions);
      if (override === '') return target;
      return lazy(() => {
        const atom = target.resolve();
        if (atom?.map) return { ...atom, map: { ...atom.map, relationship: override } };
        if (atom?.list) return { ...atom, list: { ...atom.list, relationship: override === 'atomic' ? 'atomic' : 'associative' } };
        return atom;
      });
    }
    return lazy(() => this.#parse(schema, preserveUnknown, undefined));
  }

  #object(schema: OpenApiSchema, preserve: boolean, name: string | undefined): MapSchema {
    const fields = new Map<string, StructField>();
    const props = schema.properties ?? {};
    const defaults = name === undefined ? undefined : keyDefaults[name];
    for (const [field, prop] of Object.entries(props)) {
      const declared = (prop as unknown as Extensions).default as JsonValue | undefined;
      const def = declared ?? defaults?.[field];
      fields.set(field, def === undefined ? { type: this.#ref(prop, preserve) } : { type: this.#ref(prop, preserve), default: def });
    }
    const additional = (schema as unknown as Extensions).additionalProperties as OpenApiSchema | boolean | undefined;
    let elementType: TypeRef | undefined;
    if (additional === undefined) elementType = preserve || fields.size === 0 ? deduced : undefined;
    else if (additional === true) elementType = deduced;
    else if (additional === false) elementType = undefined;
    else elementType = this.#ref(additional, preserve);
    return { fields, elementType, relationship: mapRelationship(schema as unknown as Extensions) };
  }

  #list(schema: OpenApiSchema, preserve: boolean): ListSchema {
    const { relationship, keys } = listRelationship(schema as unknown as Extensions);
    return { relationship, keys, elementType: schema.items ? this.#ref(schema.items, preserve) : untypedAtomic };
  }
}

export { fixed as fixedType };
