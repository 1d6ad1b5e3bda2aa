// The registry entry that serves one CRD's custom resources: versions, scope, names, subresources, strategy and schemas.
import type { KObject } from '../registry/kobject.ts';
import type { ResourceDefinition, ServedVersion } from '../registry/resource.ts';
import { CustomResourceSchemas, convertForVersion } from './custom-resource-schema.ts';
import { customResourceStrategy } from './custom-resource-strategy.ts';
import { versionOf, type CustomResourceModel } from './custom-resource-model.ts';

/** Discovery verbs of custom resources, in upstream's order. */
export const customResourceVerbs = ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'];

/** Reads a `.a.b` path of an object. */
function readPath(obj: unknown, path: string): unknown {
  let cur = obj;
  for (const p of path.replace(/^\./, '').split('.')) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

/** The ResourceDefinition for a CRD model: the storage version needs no conversion, the others rewrite apiVersion. */
export function customResourceDefinition(model: CustomResourceModel): ResourceDefinition {
  const storage = versionOf(model, model.storageVersion)!;
  const versions: ServedVersion[] = model.versions
    .filter((v) => v.served)
    .map((v) => {
      const served: ServedVersion = { version: v.name };
      if (v.name !== model.storageVersion) {
        served.conversion = {
          toStorage: (obj: KObject) => ({ ...obj, apiVersion: `${model.group}/${model.storageVersion}` }),
          fromStorage: (obj: KObject) => convertForVersion(model, v.name, obj) as KObject,
        };
      }
      if (v.deprecationWarning !== undefined) served.deprecationWarning = v.deprecationWarning;
      return served;
    });
  const scale = storage.subresources?.scale;
  const def: ResourceDefinition = {
    group: model.group,
    versions,
    storageVersion: model.storageVersion,
    kind: model.names.kind,
    listKind: model.names.listKind,
    resource: model.names.plural,
    singular: model.names.singular,
    namespaced: model.namespaced,
    verbs: customResourceVerbs,
    subresources: {},
    strategy: customResourceStrategy(model),
    schemaProvider: new CustomResourceSchemas(model),
  };
  if (model.names.shortNames?.length) def.shortNames = model.names.shortNames;
  if (model.names.categories?.length) def.categories = model.names.categories;
  if (storage.subresources?.status !== undefined) def.subresources.status = true;
  if (scale) {
    def.subresources.scale = {
      specReplicasPath: (scale.specReplicasPath ?? '').replace(/^\./, ''),
      statusReplicasPath: (scale.statusReplicasPath ?? '').replace(/^\./, ''),
      selector: (obj) => {
        if (!scale.labelSelectorPath) return '';
        const v = readPath(obj, scale.labelSelectorPath);
        return typeof v === 'string' ? v : '';
      },
    };
  }
  return def;
}
