// Strategic-merge-patch metadata for built-in kinds, read lazily from their OpenAPI definitions.

import { unknownPatchMeta, type PatchMeta } from '../../machinery/patch-meta.ts';
import { getDefinition, resolveSchema, type OpenApiSchema } from './definitions.ts';

/** Patch meta of a whole object of the named definition (e.g. io.k8s.api.apps.v1.Deployment). */
export function patchMetaFor(definitionName: string): PatchMeta {
  const schema = getDefinition(definitionName);
  if (schema === undefined) throw new Error(`unknown definition ${definitionName}`);
  return metaOf(schema);
}

function strategiesOf(schema: OpenApiSchema): readonly string[] {
  const text = schema['x-kubernetes-patch-strategy'];
  return text === undefined || text === '' ? [] : text.split(',');
}

/**
 * Meta of a value described by `schema`. The patch extensions sit on the property schema (beside any
 * `allOf` wrapper), so they are read before the reference is followed.
 */
function metaOf(schema: OpenApiSchema): PatchMeta {
  const strategies = strategiesOf(schema);
  const mergeKey = schema['x-kubernetes-patch-merge-key'];
  const s = resolveSchema(schema).schema;
  if (s.properties !== undefined) return objectMeta(s.properties, strategies);
  if (s.additionalProperties !== undefined) {
    return { kind: 'map', strategies, items: metaOf(s.additionalProperties), field: () => undefined };
  }
  if (s.type === 'array') {
    const items = s.items === undefined ? unknownPatchMeta : metaOf(s.items);
    return mergeKey === undefined
      ? { kind: 'list', strategies, items, field: () => undefined }
      : { kind: 'list', mergeKey, strategies, items, field: () => undefined };
  }
  if (s.type === 'string' || s.type === 'integer' || s.type === 'number' || s.type === 'boolean' || s.oneOf !== undefined) {
    // Scalars, and IntOrString / Quantity / Time, are replaced whole.
    return { kind: 'primitive', strategies, field: () => undefined };
  }
  // Free-form values (RawExtension, CRD JSON) merge key by key with lists replaced.
  return strategies.length === 0 ? unknownPatchMeta : { ...unknownPatchMeta, strategies };
}

function objectMeta(properties: Readonly<Record<string, OpenApiSchema>>, strategies: readonly string[]): PatchMeta {
  const fields = new Map<string, PatchMeta>();
  return {
    kind: 'object',
    strategies,
    field(name: string): PatchMeta | undefined {
      const known = fields.get(name);
      if (known !== undefined) return known;
      const prop = Object.hasOwn(properties, name) ? properties[name] : undefined;
      if (prop === undefined) return undefined;
      const meta = metaOf(prop);
      fields.set(name, meta);
      return meta;
    },
  };
}
